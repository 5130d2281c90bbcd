//! Real answers against their description: the server runs on the demo, and
//! every GET operation of the served `/api/openapi.json` whose path can be
//! filled from the demo (ids taken from the list endpoints) is requested as
//! the admin and as the public. The JSON body of each 2xx answer must match
//! the operation's response schema (JSON Schema 2020-12, as OpenAPI 3.1 uses,
//! `$ref`s resolved inside the document).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::support::{Reply, TestApp, spawn_app};

/// Values for path parameters that no list endpoint gives: (path, parameter, value).
const FIXED: &[(&str, &str, &str)] = &[
    ("/api/v1/calendar/{year}", "year", "2026"),
    ("/tiles/{layers}", "layers", "towers"),
];

/// Where a parameter's value comes from when it is not the list just before
/// it in the path: (path prefix, parameter) → list path, field of an item.
const SOURCES: &[(&str, &str, &str, &str)] = &[
    ("/api/v1/assets/{id}", "id", "/api/v1/towers", "id"),
    ("/api/v1/wards/{code}", "code", "/api/v1/wards", "gso_code"),
    (
        "/api/v1/filings/{id}/versions/{number}",
        "number",
        "/api/v1/filings/{id}",
        "number",
    ),
    (
        "/api/v1/incidents/track/{reference}",
        "reference",
        "/api/v1/incidents",
        "reference",
    ),
];

/// The first item of a list answer: the array itself, or the first array among
/// the usual wrapper fields.
fn first_item(body: &Value) -> Option<&Value> {
    match body {
        Value::Array(items) => items.first(),
        Value::Object(object) => {
            for key in [
                "features",
                "items",
                "entries",
                "collections",
                "data",
                "results",
                "versions",
                "rows",
                "calls",
                "filings",
                "reports",
                "plans",
                "tasks",
                "notes",
            ] {
                if let Some(Value::Array(items)) = object.get(key) {
                    return items.first();
                }
            }
            object.values().find_map(|v| match v {
                Value::Array(items) if items.first().is_some_and(Value::is_object) => items.first(),
                _ => None,
            })
        }
        _ => None,
    }
}

/// The value of `param` in a list item: the field of that name, else `id` for
/// ids, else `code` for codes.
fn field_of(item: &Value, param: &str) -> Option<String> {
    let mut names = vec![param.to_string()];
    if param == "id" || param.ends_with("_id") || param.ends_with("Id") {
        names.push("id".into());
    }
    if param == "code" {
        names.push("code".into());
    }
    for name in names {
        let value = item
            .get(&name)
            .or_else(|| item.get("properties")?.get(&name));
        match value {
            Some(Value::String(s)) => return Some(s.clone()),
            Some(Value::Number(n)) => return Some(n.to_string()),
            _ => {}
        }
    }
    None
}

/// The JSON schemas of an operation's 2xx answers: status → media type → schema.
fn success_schemas(operation: &Value) -> BTreeMap<u16, BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    for (status, response) in operation["responses"].as_object().into_iter().flatten() {
        let Ok(code) = status.parse::<u16>() else {
            continue;
        };
        if !(200..300).contains(&code) {
            continue;
        }
        let mut types = BTreeMap::new();
        for (media, content) in response["content"].as_object().into_iter().flatten() {
            if let Some(schema) = content.get("schema") {
                types.insert(media.clone(), schema.clone());
            }
        }
        out.insert(code, types);
    }
    out
}

/// A validator for `schema`, its `$ref`s into `#/components/...` resolved in
/// the document it comes from.
fn validator(document: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
    });
    match schema {
        Value::Object(keys) => {
            for (key, value) in keys {
                root[key] = value.clone();
            }
        }
        Value::Bool(true) => {}
        other => panic!("a schema that is neither an object nor true: {other}"),
    }
    jsonschema::draft202012::new(&root)
        .unwrap_or_else(|e| panic!("the schema does not compile: {e}\n{schema}"))
}

struct Run {
    document: Value,
    admin: TestApp,
    public: TestApp,
    checked: Vec<String>,
    skipped: Vec<String>,
    without_schema: Vec<String>,
    mismatches: Vec<String>,
}

impl Run {
    /// A value for `param` at `template` (the path up to and including it),
    /// the earlier parameters already filled in `filled`.
    async fn value_of(
        &self,
        template: &str,
        param: &str,
        filled: &BTreeMap<String, String>,
    ) -> Option<String> {
        if let Some((_, _, value)) = FIXED.iter().find(|(p, n, _)| *p == template && *n == param) {
            return Some(value.to_string());
        }
        let (list, field) = match SOURCES
            .iter()
            .find(|(p, n, _, _)| template.starts_with(p) && *n == param)
        {
            Some((_, _, list, field)) => (list.to_string(), field.to_string()),
            None => {
                let placeholder = format!("{{{param}}}");
                let before = template.split(&placeholder).next()?.trim_end_matches('/');
                (before.to_string(), param.to_string())
            }
        };
        let list = fill(&list, filled);
        let reply = self.admin.get(&list).await;
        if reply.status != 200 {
            return None;
        }
        let item = first_item(&reply.body)?;
        field_of(item, &field)
    }

    async fn check(&mut self, template: &str, operation: &Value) {
        let schemas = success_schemas(operation);
        let mut filled = BTreeMap::new();
        let params: Vec<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect();
        for param in &params {
            let placeholder = format!("{{{param}}}");
            let upto = &template[..template.find(&placeholder).unwrap_or(0) + placeholder.len()];
            match self.value_of(upto, param, &filled).await {
                Some(value) => {
                    filled.insert(param.clone(), value);
                }
                None => {
                    self.skipped.push(format!(
                        "GET {template}: no value for {{{param}}} in the demo"
                    ));
                    return;
                }
            }
        }
        let required: Vec<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .filter_map(|p| p["name"].as_str())
            .collect();
        let mut query = Vec::new();
        for name in required {
            match self.query_value(name).await {
                Some(value) => query.push(format!("{name}={value}")),
                None => {
                    self.skipped.push(format!(
                        "GET {template}: required query `{name}` not filled"
                    ));
                    return;
                }
            }
        }
        let mut path = fill(template, &filled);
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        let mut answered = false;
        for (who, app) in [
            ("admin", self.admin.clone()),
            ("public", self.public.clone()),
        ] {
            let reply = app.get(&path).await;
            if !(200..300).contains(&reply.status) {
                if who == "admin" {
                    self.skipped.push(format!(
                        "GET {path}: the admin got {} ({})",
                        reply.status,
                        reply.error_code()
                    ));
                }
                continue;
            }
            answered = true;
            self.validate(template, &path, who, &reply, &schemas);
        }
        if answered {
            self.checked.push(format!("GET {path}"));
        }
    }

    fn validate(
        &mut self,
        template: &str,
        path: &str,
        who: &str,
        reply: &Reply,
        schemas: &BTreeMap<u16, BTreeMap<String, Value>>,
    ) {
        let media = reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if !media.ends_with("json") {
            return;
        }
        let described = schemas.get(&reply.status);
        let schema = described.and_then(|types| {
            types.get(&media).or_else(|| {
                types
                    .iter()
                    .find(|(m, _)| m.ends_with("json"))
                    .map(|(_, s)| s)
            })
        });
        let Some(schema) = schema else {
            if !self.without_schema.iter().any(|s| s.contains(template)) {
                self.without_schema.push(format!(
                    "GET {template}: {} {media} answer, no schema described",
                    reply.status
                ));
            }
            return;
        };
        let validator = validator(&self.document, schema);
        // One line per kind of mismatch: the same one in every item of a list
        // (`/features/*/properties`) is said once.
        let mut errors: Vec<String> = Vec::new();
        for error in validator.iter_errors(&reply.body) {
            let at: Vec<String> = error
                .instance_path()
                .to_string()
                .split('/')
                .map(|part| {
                    if part.parse::<usize>().is_ok() {
                        "*".to_string()
                    } else {
                        part.to_string()
                    }
                })
                .collect();
            let line = format!("    at `{}`: {error}", at.join("/"));
            if !errors.contains(&line) {
                errors.push(line);
            }
        }
        if !errors.is_empty() {
            let mut said = errors.join("\n");
            if said.len() > 2000 {
                said.truncate(2000);
                said.push('…');
            }
            self.mismatches
                .push(format!("GET {path} as {who} ({}):\n{said}", reply.status));
        }
    }

    async fn query_value(&self, name: &str) -> Option<String> {
        match name {
            "ward" => {
                let reply = self.admin.get("/api/v1/wards").await;
                field_of(first_item(&reply.body)?, "gso_code")
            }
            "unit" => {
                let reply = self.admin.get("/api/v1/admin-units").await;
                field_of(first_item(&reply.body)?, "id")
            }
            "year" => Some("2026".into()),
            "ids" => {
                let reply = self.admin.get("/api/v1/towers").await;
                field_of(first_item(&reply.body)?, "id")
            }
            "lon" | "lat" => {
                let reply = self.admin.get("/api/v1/towers").await;
                let coordinates = &first_item(&reply.body)?["geometry"]["coordinates"];
                let at = usize::from(name == "lat");
                Some(coordinates.get(at)?.as_f64()?.to_string())
            }
            _ => None,
        }
    }
}

fn fill(template: &str, values: &BTreeMap<String, String>) -> String {
    let mut path = template.to_string();
    for (name, value) in values {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    path
}

#[tokio::test]
async fn every_get_answers_as_its_schema_says() {
    let app = spawn_app().await;
    // Loading the demo afresh empties the accounts too: log in as its admin.
    hatang::demo::load(&app.pool, true)
        .await
        .expect("the demo loads");
    let logins = hatang::accounts::demo::create(&app.pool)
        .await
        .expect("the demo accounts");
    hatang::demo::field::load(&app.pool)
        .await
        .expect("the demo field work");
    let login = logins
        .iter()
        .find(|l| l.username == "admin")
        .expect("the demo has an admin");
    let session = app
        .login(login.username, &login.password)
        .await
        .expect("the demo admin logs in");
    let admin = TestApp {
        session: Some(session),
        ..app.anonymous()
    };
    let public = app.anonymous();
    let served = admin.get("/api/openapi.json").await;
    assert_eq!(served.status, 200, "{}", served.text);
    let mut run = Run {
        document: served.body.clone(),
        admin,
        public,
        checked: Vec::new(),
        skipped: Vec::new(),
        without_schema: Vec::new(),
        mismatches: Vec::new(),
    };
    let paths = run.document["paths"].as_object().unwrap().clone();
    for (template, item) in &paths {
        if let Some(operation) = item.get("get") {
            run.check(template, operation).await;
        }
    }
    println!("checked {} GET operations:", run.checked.len());
    for line in &run.checked {
        println!("  {line}");
    }
    println!("skipped {}:", run.skipped.len());
    for line in &run.skipped {
        println!("  {line}");
    }
    println!(
        "JSON answers with no schema described: {}",
        run.without_schema.len()
    );
    for line in &run.without_schema {
        println!("  {line}");
    }
    assert!(
        run.checked.len() >= 60,
        "too few operations could be requested: {}",
        run.checked.len()
    );
    assert!(
        run.mismatches.is_empty(),
        "{} answers do not match their schema:\n{}",
        run.mismatches.len(),
        run.mismatches.join("\n")
    );
}
