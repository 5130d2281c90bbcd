//! One component name, one Rust type (issue 14). utoipa files each schema
//! of the OpenAPI document under its type's name, or the name given with
//! `#[schema(as = …)]`; when two types share a name, the one gathered later
//! silently replaces the other, and answers of the first are then described
//! (and checked, and typed in the web app) with the second's shape.
//!
//! This test reads `server/src/**/*.rs` (test modules left out), finds every
//! type that derives `ToSchema`, works out the name utoipa gives it, and fails
//! when two types give one name. The fix is a distinct
//! `#[schema(as = DomainThing)]` (or a rename), then `make openapi`.
//!
//! Run it alone: `cargo test -p hatang --test schema_names`.

mod sources;

use std::collections::BTreeMap;

use sources::sources;

/// A type deriving `ToSchema`: where it is and the component name it gets.
#[derive(Debug)]
struct Described {
    /// `incidents/store.rs::Event`.
    rust: String,
    /// `IncidentEvent`.
    component: String,
}

/// The index just past the `)` that closes the `(` at `open`.
fn closing(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The `as = a::b::C` of the `#[schema(…)]` attributes in `attributes`, as
/// utoipa names it: the path's segments joined with `.`.
fn schema_as(attributes: &str) -> Option<String> {
    let mut rest = attributes;
    while let Some(at) = rest.find("#[schema(") {
        let open = at + "#[schema".len();
        let end = closing(rest, open).unwrap_or(rest.len());
        let inside = &rest[open + 1..end - 1];
        for part in inside.split(',') {
            if let Some((key, value)) = part.split_once('=')
                && key.trim() == "as"
            {
                let path: Vec<&str> = value.trim().split("::").map(str::trim).collect();
                return Some(path.join("."));
            }
        }
        rest = &rest[end..];
    }
    None
}

/// Every type of `text` (the file `path`) that derives `ToSchema`.
fn described_in(path: &str, text: &str) -> Vec<Described> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[derive(") {
        let open = at + "#[derive".len();
        let end = closing(rest, open).unwrap_or(rest.len());
        let derives = &rest[open..end];
        let after = &rest[end..];
        rest = after;
        if !words(derives).any(|w| w == "ToSchema") {
            continue;
        }
        // The item the derive is on: the first `struct` or `enum` after it;
        // what lies between are its other attributes.
        let mut item = None;
        let mut offset = 0;
        for word in after.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '_')) {
            let bare = word.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
            if bare == "struct" || bare == "enum" {
                let tail = &after[offset + word.len()..];
                let name: String = tail
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                item = Some((offset, name));
                break;
            }
            offset += word.len();
        }
        let Some((before, name)) = item else {
            panic!("{path}: a derive of ToSchema on neither a struct nor an enum");
        };
        let component = schema_as(&after[..before]).unwrap_or_else(|| name.clone());
        found.push(Described {
            rust: format!("{path}::{name}"),
            component,
        });
    }
    found
}

fn described() -> Vec<Described> {
    sources()
        .iter()
        .flat_map(|source| described_in(&source.path, &source.text))
        .collect()
}

#[test]
fn no_two_types_share_a_component_name() {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in described() {
        by_name.entry(d.component).or_default().push(d.rust);
    }
    let clashes: Vec<String> = by_name
        .iter()
        .filter(|(_, types)| types.len() > 1)
        .map(|(name, types)| format!("  {name}: {}", types.join(", ")))
        .collect();
    assert!(
        clashes.is_empty(),
        "types that the OpenAPI document files under one name (give each a \
         distinct #[schema(as = …)]):\n{}",
        clashes.join("\n")
    );
}

#[test]
fn the_reader_finds_the_types_and_their_names() {
    // The reader itself, on the shapes the sources use.
    let text = r#"
        #[derive(Debug, Serialize, ToSchema)]
        pub struct Plain { a: i32 }
        #[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[schema(as = IncidentEvent)]
        pub struct Event { id: i64 }
        #[derive(Debug, Serialize)]
        pub struct NotDescribed;
        #[derive(utoipa::ToSchema)]
        #[schema(example = json!({"a": [1, 2]}), as = a::b::Named)]
        pub(crate) enum Kind { A }
    "#;
    let found = described_in("x.rs", text);
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.rust.as_str(), d.component.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("x.rs::Plain", "Plain"),
            ("x.rs::Event", "IncidentEvent"),
            ("x.rs::Kind", "a.b.Named"),
        ]
    );
    // And on the real sources: the crate has a few hundred.
    assert!(described().len() > 200, "{}", described().len());
}
