//! The direction of dependencies inside the server crate (issue 14, item 2):
//! **http → domain → db**.
//!
//! - The HTTP layer is `app` (the composition root), `http` (the shared edge:
//!   error type, JSON and query extractors, security headers) and, in each
//!   domain folder, the files that speak HTTP — handlers, routers and
//!   extractors, recognisable because they name `axum`.
//! - Domain code is every other file of a domain folder: stores, rules,
//!   models, pure decisions. It does not reach up: it names neither
//!   `crate::http` nor `crate::app`.
//! - The domain folders (every top-level module but the platform ones listed
//!   in [`PLATFORM`]) form a graph of `crate::<folder>` uses with no cycle.
//!
//! This test reads `server/src/**/*.rs` (test modules left out) and fails with
//! the cycle, or the file, that breaks a rule. Where a fix did not fit yet, the
//! edge or the file is in an allow-list below, each with its reason; the lists
//! only shrink — an entry that is no longer needed fails the test too, so it
//! is taken out when its fix lands.
//!
//! Run it alone: `cargo test -p hatang --test dependencies`.

mod sources;

use std::collections::{BTreeMap, BTreeSet};

use sources::{Source, sources, without_tests};

/// Top-level modules that are not domain folders: the composition root, the
/// HTTP edge and the plumbing at the bottom. Their own rules are below.
const PLATFORM: &[&str] = &[
    "main",
    "lib",
    "app",
    "http",
    "state",
    "config",
    "database",
    "telemetry",
    "metrics",
    "validation",
    "proptests",
];

/// Domain-folder edges `(from, to)` that still close a cycle. Each is a
/// known debt of issue 14; take it out when the cycle is broken.
const ALLOWED_CYCLE_EDGES: &[(&str, &str, &str)] = &[
    // None left: keep it so.
];

/// Domain files (no `axum` in them) that still use `crate::http`, nearly all
/// for `ApiError`/`ApiResult` as their error type. Each domain should get
/// its own error enum that only `http/error.rs` maps to a status.
const ALLOWED_HTTP_IN_DOMAIN: &[&str] = &[
    "accounts/demo.rs",
    "policy.rs",
    "admin_units/store.rs",
    "assets/input.rs",
    "assets/store.rs",
    "demo/field.rs",
    "demo/filings.rs",
    "filings/coverage.rs",
    "filings/reminders.rs",
    "geometry/mod.rs",
    "import/mod.rs",
    "import/pipeline.rs",
    "incidents/guard.rs",
    "incidents/store.rs",
    "indicators/figures.rs",
    "indicators/kinds/mod.rs",
    "indicators/kinds/overhead_in_areas.rs",
    "indicators/kinds/permits_median_days.rs",
    "indicators/kinds/permits_on_time.rs",
    "indicators/kinds/poles_shared.rs",
    "indicators/kinds/towers.rs",
    "indicators/kinds/towers_shared.rs",
    "indicators/kinds/undergrounded.rs",
    "indicators/kinds/undergrounded_share.rs",
    "indicators/kinds/undergrounding_debt.rs",
    "indicators/values.rs",
    "inspections/store.rs",
    "ogc/params.rs",
    "permits/store.rs",
    "plans/progress.rs",
    "plans/store.rs",
    "violations/store.rs",
    "yearly_reports/gather.rs",
    "yearly_reports/store.rs",
];

/// The top-level module a file belongs to (`permits/store.rs` → `permits`,
/// `state.rs` → `state`).
fn top(path: &str) -> &str {
    match path.split_once('/') {
        Some((folder, _)) => folder,
        None => path.trim_end_matches(".rs"),
    }
}

/// The top-level modules a text names with `crate::…`, including those in
/// `crate::{a, b::c}`. `$crate` (inside macros) is the macro's own crate and
/// is left out.
fn crate_uses(text: &str) -> BTreeSet<String> {
    let mut uses = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c == '$' || c == '_' || c.is_alphanumeric()) {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The items of the group at its own depth: `a`, `b::{c, d}`, `e as f`.
            let mut depth = 0;
            let mut items = vec![String::new()];
            for c in group.chars() {
                match c {
                    '}' if depth == 0 => break,
                    ',' if depth == 0 => items.push(String::new()),
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 && c != ',' {
                    items.last_mut().unwrap().push(c);
                }
            }
            for item in items {
                let name: String = item
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    uses.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                uses.insert(name);
            }
        }
    }
    uses
}

fn speaks_http(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == "axum")
}

/// `(from, to)` → the files of `from` that name `to`.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn domain_graph(sources: &[Source]) -> Graph {
    let mut graph = Graph::new();
    for source in sources {
        let from = top(&source.path);
        if PLATFORM.contains(&from) {
            continue;
        }
        graph.entry(from.to_string()).or_default();
        for to in crate_uses(&source.text) {
            if to == from || PLATFORM.contains(&to.as_str()) {
                continue;
            }
            graph
                .entry(from.to_string())
                .or_default()
                .entry(to)
                .or_default()
                .insert(source.path.clone());
        }
    }
    graph
}

/// The strongly connected groups of more than one folder (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            let graph = self.graph;
            for next in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                loop {
                    let member = self.stack.pop().unwrap();
                    self.on_stack.remove(member);
                    group.push(member.to_string());
                    if member == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.groups.sort();
    walk.groups
}

/// A cycle's edges, with the files that make each one.
fn describe(graph: &Graph, group: &[String]) -> String {
    let mut text = format!("cycle between {}:\n", group.join(", "));
    for from in group {
        for (to, files) in &graph[from] {
            if group.contains(to) {
                let files: Vec<_> = files.iter().map(String::as_str).collect();
                text += &format!("  {from} -> {to}  ({})\n", files.join(", "));
            }
        }
    }
    text
}

#[test]
fn domain_folders_form_no_cycle() {
    let sources = sources();
    let mut graph = domain_graph(&sources);
    for (from, to, _) in ALLOWED_CYCLE_EDGES {
        let edges = graph
            .get_mut(*from)
            .unwrap_or_else(|| panic!("no folder {from}"));
        assert!(
            edges.remove(*to).is_some(),
            "allow-listed edge {from} -> {to} is gone: take it out of ALLOWED_CYCLE_EDGES"
        );
    }
    let found = cycles(&graph);
    let text: Vec<String> = found.iter().map(|group| describe(&graph, group)).collect();
    assert!(
        found.is_empty(),
        "import cycles between domain folders:\n{}",
        text.join("\n")
    );
}

#[test]
fn allowed_cycle_edges_still_close_a_cycle() {
    // An allow-listed edge that no longer lies on a cycle is a rule that could
    // be kept now: take it out of the list, so the check guards it.
    let graph = domain_graph(&sources());
    let groups = cycles(&graph);
    for (from, to, why) in ALLOWED_CYCLE_EDGES {
        let on_cycle = groups
            .iter()
            .any(|g| g.contains(&from.to_string()) && g.contains(&to.to_string()));
        assert!(
            on_cycle,
            "{from} -> {to} ({why}) closes no cycle any more: take it out"
        );
    }
}

#[test]
fn domain_code_does_not_use_http() {
    let mut found = Vec::new();
    let mut fixed = Vec::new();
    for source in sources() {
        if PLATFORM.contains(&top(&source.path)) {
            continue;
        }
        let breaks_rule = crate_uses(&source.text).contains("http") && !speaks_http(&source.text);
        let allowed = ALLOWED_HTTP_IN_DOMAIN.contains(&source.path.as_str());
        if breaks_rule && !allowed {
            found.push(source.path);
        } else if allowed && !breaks_rule {
            fixed.push(source.path);
        }
    }
    assert!(
        found.is_empty(),
        "domain files (no axum in them) using crate::http — give the domain its own \
         error or use crate::validation:\n  {}",
        found.join("\n  ")
    );
    assert!(
        fixed.is_empty(),
        "fixed, take out of ALLOWED_HTTP_IN_DOMAIN:\n  {}",
        fixed.join("\n  ")
    );
}

#[test]
fn only_the_binary_and_the_crate_root_use_app() {
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|s| !matches!(s.path.as_str(), "main.rs" | "lib.rs" | "app.rs"))
        .filter(|s| crate_uses(&s.text).contains("app"))
        .map(|s| s.path)
        .collect();
    assert!(
        found.is_empty(),
        "app is the top of the graph; use crate::state::AppState:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_bottom_modules_name_neither_app_nor_http() {
    // `validation` is what domain code gathers problems with; `state` is what
    // handlers reach. Neither names a router or the HTTP layer.
    for source in sources() {
        let uses = crate_uses(&source.text);
        match source.path.as_str() {
            "validation.rs" => assert!(uses.is_empty(), "validation.rs uses {uses:?}"),
            "state.rs" => {
                for name in ["app", "http"] {
                    assert!(!uses.contains(name), "state.rs uses crate::{name}");
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_reader_finds_the_uses() {
    let text =
        "use crate::{a, b::{c, d}, e as f};\nlet x = crate::g::h();\n$crate::i;\nmy_crate::j;";
    let uses: Vec<_> = crate_uses(text).into_iter().collect();
    assert_eq!(uses, ["a", "b", "e", "g"]);
    let text =
        "fn x() {}\n#[cfg(test)]\nmod tests {\n  use crate::z;\n  fn y() { {} }\n}\nuse crate::w;";
    assert_eq!(
        crate_uses(&without_tests(text))
            .into_iter()
            .collect::<Vec<_>>(),
        ["w"]
    );
}
