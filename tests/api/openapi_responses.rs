//! Real answers against their description: the server runs on the demo, and
//! every GET operation of the served `/api/openapi.json` whose path can be
//! filled from the demo (ids taken from the list endpoints) is requested as
//! the admin and as the public. The JSON body of each 2xx answer must match
//! the operation's response schema (JSON Schema 2020-12, as OpenAPI 3.1 uses,
//! `$ref`s resolved inside the document).
//!
//! What the demo lacks is made first through the API — an import, a permit in
//! each state with an attachment, a resident's report with a photo, an
//! undergrounding area and project — and the answers of those POSTs and
//! PATCHes are checked against their schemas too.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::fixtures::point;
use crate::support::{Reply, TestApp, spawn_app};

/// Values for path parameters that no list endpoint gives: (path, parameter, value).
const FIXED: &[(&str, &str, &str)] = &[
    ("/api/v1/calendar/{year}", "year", "2026"),
    // The demo ward's tile at zoom 14.
    ("/tiles/{layers}/{z}", "z", "14"),
    ("/tiles/{layers}/{z}/{x}", "x", "13143"),
    ("/tiles/{layers}/{z}/{x}/{y}", "y", "7495"),
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
    /// Path parameters of what the test made: (path prefix, parameter, value).
    known: Vec<(String, String, String)>,
    /// More paths to read, of what the test made: (template, path).
    more: Vec<(String, String)>,
    checked: Vec<String>,
    /// Answers of writes checked against their schemas.
    writes: Vec<String>,
    skipped: Vec<String>,
    without_schema: Vec<String>,
    mismatches: Vec<String>,
}

impl Run {
    /// A value for `param` at `template` (the path up to and including it),
    /// the earlier parameters already filled in `filled`.
    async fn value_of(
        &self,
        full: &str,
        template: &str,
        param: &str,
        filled: &BTreeMap<String, String>,
    ) -> Option<String> {
        if let Some((_, _, value)) = FIXED.iter().find(|(p, n, _)| *p == template && *n == param) {
            return Some(value.to_string());
        }
        // Open311 names one service or report as a file: `{id}.json`.
        if let Some((list, field)) = match template {
            "/open311/v2/services/{file}" => Some(("/open311/v2/services.json", "service_code")),
            "/open311/v2/requests/{file}" => {
                Some(("/open311/v2/requests.json", "service_request_id"))
            }
            _ => None,
        } {
            let reply = self.admin.get(list).await;
            let id = field_of(first_item(&reply.body)?, field)?;
            return Some(format!("{id}.json"));
        }
        // What the test made: the longest prefix of the whole path that names it.
        if let Some((_, _, value)) = self
            .known
            .iter()
            .filter(|(p, n, _)| full.starts_with(p.as_str()) && n == param)
            .max_by_key(|(p, _, _)| p.len())
        {
            return Some(value.clone());
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
            match self.value_of(template, upto, param, &filled).await {
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
        self.read(template, operation, &path).await;
    }

    /// Reads `path` (of `template`) as the admin and the public and checks
    /// the answers.
    async fn read(&mut self, template: &str, operation: &Value, path: &str) {
        let schemas = success_schemas(operation);
        let path = path.to_string();
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
            self.validate("GET", template, &path, who, &reply, &schemas);
        }
        if answered {
            self.checked.push(format!("GET {path}"));
        }
    }

    /// Checks the answer of a write (`method` on `template`) against the
    /// operation's schema; the write itself must have succeeded.
    fn answer(&mut self, method: &str, template: &str, path: &str, reply: &Reply) {
        assert!(
            (200..300).contains(&reply.status),
            "{method} {path} failed ({}): {}",
            reply.status,
            reply.text
        );
        let operation = self.document["paths"][template][method.to_lowercase()].clone();
        assert!(
            operation.is_object(),
            "{method} {template} is not in the description"
        );
        let schemas = success_schemas(&operation);
        self.validate(method, template, path, "writer", reply, &schemas);
        let line = format!("{method} {template} ({})", reply.status);
        if !self.writes.contains(&line) {
            self.writes.push(line);
        }
    }

    fn validate(
        &mut self,
        method: &str,
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
                    "{method} {template}: {} {media} answer, no schema described",
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
            self.mismatches.push(format!(
                "{method} {path} as {who} ({}):\n{said}",
                reply.status
            ));
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
            // A download as CSV (not JSON, so not checked against a schema).
            "format" => Some("csv".into()),
            "kinds" => Some("towers".into()),
            "ids" => {
                let reply = self.admin.get("/api/v1/towers").await;
                field_of(first_item(&reply.body)?, "id")
            }
            // A route between two manholes of the demo.
            "from" | "to" => {
                let reply = self.admin.get("/api/v1/manholes").await;
                let at = usize::from(name == "to");
                field_of(reply.body["features"].get(at)?, "id")
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

/// A person of the demo, logged in.
async fn as_demo(
    app: &TestApp,
    logins: &[hatang::accounts::demo::DemoLogin],
    username: &str,
) -> TestApp {
    let login = logins
        .iter()
        .find(|l| l.username == username)
        .unwrap_or_else(|| panic!("the demo has {username}"));
    let session = app
        .login(login.username, &login.password)
        .await
        .unwrap_or_else(|reply| panic!("{username} logs in: {}", reply.text));
    TestApp {
        session: Some(session),
        ..app.anonymous()
    }
}

/// A tower application in the demo's ward (Cẩm Thành, the former Chánh Lộ).
fn application(n: usize) -> Value {
    let (lon, lat) = (108.800 + 0.0004 * n as f64, 15.115);
    json!({
        "works_type": "tower",
        "title": format!("Trạm BTS kiểm tra mô tả API {n}"),
        "description": "Cột tự đứng 40 m trên đất thuê của hộ dân.",
        "geometry": point(lon, lat),
        "planned_start": "2027-01-04",
        "planned_end": "2027-03-31",
        "tower": {"tower_class": "A2b", "height_m": 40.0, "placement": "ground"},
        "proposed_assets": [{"kind": "tower", "feature": {"type": "Feature", "properties": {
            "code": format!("VNPT-API-T{n}"), "tower_class": "A2b", "height_m": 40.0, "structure": "lattice",
            "placement": "ground", "technologies": ["4G", "5G"], "capacity": 3}}}]
    })
}

impl Run {
    /// Makes what the demo lacks through the API, checking each answer.
    async fn prepare(&mut self, app: &TestApp, logins: &[hatang::accounts::demo::DemoLogin]) {
        let vnpt = as_demo(app, logins, "vnpt.qng").await;
        let reviewer = as_demo(app, logins, "canbo.camthanh").await;
        let planner = as_demo(app, logins, "quyhoach.qng").await;

        // An import, previewed and validated.
        let file = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
            "geometry": point(108.8012, 15.1161),
            "properties": {"code": "VNPT-API-IMPORT-1", "tower_class": "A2b", "height_m": 30.0}}]});
        let path = "/api/v1/imports?kind=towers&operator=VNPT&file_name=cot.geojson";
        let uploaded = vnpt
            .send(
                vnpt.client
                    .post(vnpt.url(path))
                    .header("content-type", "application/octet-stream")
                    .body(file.to_string()),
            )
            .await;
        self.answer("POST", "/api/v1/imports", path, &uploaded);
        let job = uploaded.body["id"].as_i64().expect("the job's id");
        let path = format!("/api/v1/imports/{job}/validate");
        let started = vnpt.post_json(&path, &json!({})).await;
        self.answer("POST", "/api/v1/imports/{id}/validate", &path, &started);
        self.known("/api/v1/imports/{id}", "id", job);
        self.more.push((
            "/api/v1/imports/{id}".into(),
            format!("/api/v1/imports/{job}"),
        ));

        // A permit in each state: the actions that lead there, and who takes them.
        let paths: &[(&str, &[(&str, Value)])] = &[
            ("draft", &[]),
            ("submitted", &[("submit", json!({}))]),
            (
                "completeness_check",
                &[("submit", json!({})), ("begin_check", json!({}))],
            ),
            (
                "supplement_requested",
                &[
                    ("submit", json!({})),
                    ("begin_check", json!({})),
                    (
                        "request_supplement",
                        json!({"reason": "Thiếu bản vẽ mặt bằng"}),
                    ),
                ],
            ),
            (
                "under_review",
                &[
                    ("submit", json!({})),
                    ("begin_check", json!({})),
                    ("accept", json!({})),
                ],
            ),
            (
                "granted",
                &[
                    ("submit", json!({})),
                    ("begin_check", json!({})),
                    ("accept", json!({})),
                    ("grant", json!({"conditions": "Sơn cột màu xanh"})),
                ],
            ),
            (
                "works_started",
                &[
                    ("submit", json!({})),
                    ("begin_check", json!({})),
                    ("accept", json!({})),
                    ("grant", json!({})),
                    ("report_start", json!({})),
                ],
            ),
            (
                "refused",
                &[
                    ("submit", json!({})),
                    ("begin_check", json!({})),
                    ("accept", json!({})),
                    (
                        "refuse",
                        json!({"reason": "Trong hành lang bảo vệ di tích"}),
                    ),
                ],
            ),
            (
                "withdrawn",
                &[("withdraw", json!({"reason": "Đổi vị trí"}))],
            ),
        ];
        let applicant_actions = [
            "submit",
            "resubmit",
            "withdraw",
            "report_start",
            "report_completion",
        ];
        for (n, (state, actions)) in paths.iter().enumerate() {
            let created = vnpt.post_json("/api/v1/permits", &application(n)).await;
            self.answer("POST", "/api/v1/permits", "/api/v1/permits", &created);
            let id = created.body["id"].as_i64().expect("the application's id");
            for (action, body) in actions.iter() {
                let by = if applicant_actions.contains(action) {
                    &vnpt
                } else {
                    &reviewer
                };
                let path = format!("/api/v1/permits/{id}/actions/{action}");
                let moved = by.post_json(&path, body).await;
                self.answer(
                    "POST",
                    "/api/v1/permits/{id}/actions/{action}",
                    &path,
                    &moved,
                );
            }
            let read = vnpt.get(&format!("/api/v1/permits/{id}")).await;
            assert_eq!(read.body["state"], *state, "{}", read.text);
            self.more.push((
                "/api/v1/permits/{id}".into(),
                format!("/api/v1/permits/{id}"),
            ));
            if *state == "draft" {
                let path = format!("/api/v1/permits/{id}");
                let changed = vnpt
                    .patch_json(&path, &json!({"title": "Trạm BTS đổi tên"}), None)
                    .await;
                self.answer("PATCH", "/api/v1/permits/{id}", &path, &changed);
                let path = format!("/api/v1/permits/{id}/checks");
                let checked = vnpt.post_json(&path, &json!({})).await;
                self.answer("POST", "/api/v1/permits/{id}/checks", &path, &checked);
                let path = format!("/api/v1/permits/{id}/attachments");
                let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
                let form = reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(pdf).file_name("ban-ve.pdf"),
                );
                let attached = vnpt
                    .send(vnpt.client.post(vnpt.url(&path)).multipart(form))
                    .await;
                self.answer("POST", "/api/v1/permits/{id}/attachments", &path, &attached);
                self.known("/api/v1/permits/{id}", "id", id);
                self.known(
                    "/api/v1/permits/{id}/attachments/{attachment_id}",
                    "attachment_id",
                    attached.body["id"].as_i64().expect("the attachment's id"),
                );
            }
            if *state == "granted" {
                // The printed permit and its verification need a granted one.
                self.known("/api/v1/permits/{id}/permit", "id", id);
            }
        }
        self.more.push((
            "/api/v1/permits".into(),
            "/api/v1/permits?format=geojson".into(),
        ));
        // An admin names the operator whose tokens to list (alone it is a 422).
        self.more.push((
            "/api/v1/tokens".into(),
            "/api/v1/tokens?operator=VNPT".into(),
        ));

        // A resident's report with a photo.
        let report = json!({"incident_type": "cable_low", "description": "Cáp treo võng sát mặt đường",
            "lon": 108.8005, "lat": 15.1152, "location_source": "gps", "accuracy_m": 8.0});
        let reported = crate::field::file(&reviewer, report, None).await;
        self.answer("POST", "/api/v1/incidents", "/api/v1/incidents", &reported);
        let incident = reported.body["id"].as_i64().expect("the report's id");
        let seen = reviewer.get(&format!("/api/v1/incidents/{incident}")).await;
        let href = seen.body["photos"][0]["href"].as_str().unwrap_or_default();
        if let Some(photo) = href.rsplit('/').next().filter(|p| !p.is_empty()) {
            self.known
                .push(("/api/v1/photos/{id}".into(), "id".into(), photo.to_string()));
        }

        // An undergrounding area and a project on it, moved and reported on.
        let area = json!({"name": "Đường kiểm tra mô tả API", "target_year": 2027,
            "source_doc": "Kế hoạch 58/KH-UBND", "corridor_m": 15.0,
            "geometry": {"type": "LineString", "coordinates": [[108.7990, 15.1140], [108.8030, 15.1160]]}});
        let added = planner
            .post_json("/api/v1/undergrounding/areas", &area)
            .await;
        self.answer(
            "POST",
            "/api/v1/undergrounding/areas",
            "/api/v1/undergrounding/areas",
            &added,
        );
        let area_id = added.body["id"].as_i64().expect("the area's id");
        let project = json!({"name": "Dự án kiểm tra mô tả API", "area_id": area_id,
            "operators": ["VNPT", "VIETTEL"], "starts_on": "2026-01-05"});
        let registered = planner
            .post_json("/api/v1/undergrounding/projects", &project)
            .await;
        self.answer(
            "POST",
            "/api/v1/undergrounding/projects",
            "/api/v1/undergrounding/projects",
            &registered,
        );
        let project_id = registered.body["id"].as_i64().expect("the project's id");
        let path = format!("/api/v1/undergrounding/projects/{project_id}/status");
        let started = planner
            .post_json(&path, &json!({"status": "in_progress"}))
            .await;
        self.answer(
            "POST",
            "/api/v1/undergrounding/projects/{id}/status",
            &path,
            &started,
        );
        let path = format!("/api/v1/undergrounding/projects/{project_id}/progress");
        let reported = planner
            .post_json(
                &path,
                &json!({"day": "2026-02-02", "km_built": 0.1, "note": "Đã đào 100 m"}),
            )
            .await;
        self.answer(
            "POST",
            "/api/v1/undergrounding/projects/{id}/progress",
            &path,
            &reported,
        );
        self.more.push((
            "/api/v1/undergrounding/projects/{id}".into(),
            format!("/api/v1/undergrounding/projects/{project_id}"),
        ));
    }

    fn known(&mut self, prefix: &str, param: &str, value: i64) {
        self.known
            .push((prefix.into(), param.into(), value.to_string()));
    }
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
    let admin = as_demo(&app, &logins, "admin").await;
    let public = app.anonymous();
    let served = admin.get("/api/openapi.json").await;
    assert_eq!(served.status, 200, "{}", served.text);
    let mut run = Run {
        document: served.body.clone(),
        admin,
        public,
        known: Vec::new(),
        more: Vec::new(),
        checked: Vec::new(),
        writes: Vec::new(),
        skipped: Vec::new(),
        without_schema: Vec::new(),
        mismatches: Vec::new(),
    };
    run.prepare(&app, &logins).await;
    let paths = run.document["paths"].as_object().unwrap().clone();
    for (template, item) in &paths {
        if let Some(operation) = item.get("get") {
            run.check(template, operation).await;
        }
    }
    for (template, path) in std::mem::take(&mut run.more) {
        let operation = paths[&template]["get"].clone();
        run.read(&template, &operation, &path).await;
    }
    let operations = paths
        .values()
        .filter(|item| item.get("get").is_some())
        .count();
    println!(
        "{operations} GET operations: {} checked, {} skipped; {} write answers checked",
        run.checked.len(),
        run.skipped.len(),
        run.writes.len()
    );
    println!("checked {} GET requests:", run.checked.len());
    for line in &run.checked {
        println!("  {line}");
    }
    println!("skipped {}:", run.skipped.len());
    for line in &run.skipped {
        println!("  {line}");
    }
    println!("checked {} write answers:", run.writes.len());
    for line in &run.writes {
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
        run.without_schema.is_empty(),
        "{} JSON answers have no schema:\n{}",
        run.without_schema.len(),
        run.without_schema.join("\n")
    );
    assert!(
        run.mismatches.is_empty(),
        "{} answers do not match their schema:\n{}",
        run.mismatches.len(),
        run.mismatches.join("\n")
    );
}
