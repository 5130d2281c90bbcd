//! Hostile but fair input (issue 13): every geometry entry point answers bad
//! geometry with a 422 naming the field, never a 500; bodies that would be
//! read differently by another parser are refused; axum's own rejections
//! (path, method, multipart) come in the documented JSON error shape.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{Reply, TestApp, spawn_app};

/// A polygon whose outline crosses itself (a bow tie) in Chánh Lộ.
fn bow_tie() -> Value {
    json!({"type": "Polygon", "coordinates": [[[108.800, 15.110], [108.802, 15.112], [108.802, 15.110], [108.800, 15.112], [108.800, 15.110]]]})
}

fn one_point_line() -> Value {
    json!({"type": "LineString", "coordinates": [[108.800, 15.110]]})
}

fn far_utm_point() -> Value {
    json!({"type": "Point", "coordinates": [1e300, 1e300],
           "crs": {"type": "name", "properties": {"name": "EPSG:3405"}}})
}

fn empty_point() -> Value {
    json!({"type": "Point", "coordinates": []})
}

fn empty_line() -> Value {
    json!({"type": "LineString", "coordinates": []})
}

fn assert_geometry_refused(reply: &Reply, what: &str, says: &str) {
    assert_eq!(reply.status, 422, "{what}: {}", reply.text);
    assert_eq!(reply.error_code(), "validation_failed", "{what}");
    let problems = reply.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("geometry") && p.to_lowercase().contains(says)),
        "{what}: expected a geometry problem saying {says:?}, got {problems:?}"
    );
}

/// A request body built around a geometry.
type WithGeometry = Box<dyn Fn(Value) -> Value>;

/// Every place a geometry comes in, as (what, path, body with a geometry).
fn entry_points() -> Vec<(&'static str, &'static str, WithGeometry)> {
    vec![
        (
            "restricted zone",
            "/api/v1/restricted-zones",
            Box::new(|g| {
                json!({"name": "Di tích", "zone_type": "heritage", "buffer_m": 50, "severity": "warning",
                       "citation": "Quyết định (thử)", "geometry": g})
            }),
        ),
        (
            "undergrounding area",
            "/api/v1/undergrounding/areas",
            Box::new(
                |g| json!({"name": "Khu thử", "target_year": 2027, "source_doc": "Kế hoạch (thử)", "geometry": g}),
            ),
        ),
        (
            "undergrounding project",
            "/api/v1/undergrounding/projects",
            Box::new(|g| {
                json!({"name": "Dự án thử", "operators": ["VNPT"], "duct_design": "4 ống", "budget_source": "Xã hội hóa",
                       "geometry": g})
            }),
        ),
        (
            "civil work",
            "/api/v1/civil-works",
            Box::new(|g| {
                json!({"title": "Thảm nhựa", "sector": "road", "owner_org": "Ban QLDA", "geometry": g,
                       "starts_on": "2027-03-01", "ends_on": "2027-06-30"})
            }),
        ),
        (
            "permit application",
            "/api/v1/permits",
            Box::new(|g| {
                json!({"works_type": "excavation_repair", "title": "Đào sửa cáp", "geometry": g, "operator": "VNPT",
                       "planned_start": "2027-02-01", "planned_end": "2027-02-28"})
            }),
        ),
        (
            "cable",
            "/api/v1/cables",
            Box::new(|g| {
                let mut f = cable("C-BAD", &[]);
                f["geometry"] = g;
                f
            }),
        ),
    ]
}

async fn stored_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "select (select count(*) from asset) + (select count(*) from restricted_zone)
              + (select count(*) from undergrounding_area) + (select count(*) from undergrounding_project)
              + (select count(*) from civil_work) + (select count(*) from permit_application)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn bad_geometry_is_a_422_at_every_entry_point() {
    let app = spawn_app().await;
    for (what, path, body) in entry_points() {
        let cases: Vec<(Value, &str)> = match what {
            // A cable is a line: a polygon is refused for its type, so test lines.
            "cable" => vec![
                (one_point_line(), "at least two"),
                (empty_line(), "empty geometry"),
                (
                    json!({"type": "LineString", "coordinates": [[108.8, 15.11, 12.0], [108.81, 15.11, 14.0]]}),
                    "height",
                ),
            ],
            _ => vec![
                (bow_tie(), "crosses itself"),
                (
                    far_utm_point(),
                    "outside the area where epsg:3405 is defined",
                ),
                (empty_point(), "empty geometry"),
                (
                    json!({"type": "Point", "coordinates": [108.8, 15.11, 35.5]}),
                    "height",
                ),
            ],
        };
        for (geometry, says) in cases {
            let reply = app.post_json(path, &body(geometry.clone())).await;
            // Undergrounding areas are streets or zones, never points.
            let says = if what == "undergrounding area" && geometry["type"] == "Point" {
                "a street is a linestring"
            } else {
                says
            };
            assert_geometry_refused(&reply, &format!("{what} with {geometry}"), says);
        }
        // Lines too, where a line is accepted.
        if what != "restricted zone" {
            let reply = app.post_json(path, &body(one_point_line())).await;
            assert_geometry_refused(&reply, &format!("{what} with one point"), "at least two");
        }
    }
    assert_eq!(stored_rows(&app).await, 0, "nothing is stored");
}

#[tokio::test]
async fn a_bow_tie_zone_is_refused_where_it_crosses_itself() {
    let app = spawn_app().await;
    let reply = app
        .post_json(
            "/api/v1/restricted-zones",
            &json!({"name": "Di tích", "zone_type": "heritage", "citation": "QĐ (thử)", "geometry": bow_tie()}),
        )
        .await;
    assert_geometry_refused(&reply, "bow tie", "crosses itself at point(108.801 15.111)");
}

#[tokio::test]
async fn an_empty_asset_geometry_says_empty_not_outside_vietnam() {
    let app = spawn_app().await;
    let mut feature = pole("P-EMPTY", 108.8, 15.11);
    feature["geometry"] = empty_point();
    let reply = app.post_json("/api/v1/poles", &feature).await;
    assert_geometry_refused(&reply, "empty point", "empty geometry");
    assert!(!reply.text.contains("outside Vietnam"), "{}", reply.text);
}

#[tokio::test]
async fn utm_coordinates_outside_the_zone_domain_are_refused_not_a_server_error() {
    let app = spawn_app().await;
    let mut feature = pole("P-FAR", 108.8, 15.11);
    feature["geometry"] = far_utm_point();
    // The legacy crs member belongs to the Feature.
    feature["crs"] = feature["geometry"]["crs"].take();
    feature["geometry"].as_object_mut().unwrap().remove("crs");
    let reply = app.post_json("/api/v1/poles", &feature).await;
    assert_geometry_refused(
        &reply,
        "1e300 in UTM",
        "outside the area where epsg:3405 is defined",
    );
}

#[tokio::test]
async fn heights_are_refused_with_a_message_never_dropped() {
    let app = spawn_app().await;
    let mut feature = pole("P-3D", 108.8, 15.11);
    feature["geometry"] = json!({"type": "Point", "coordinates": [108.8, 15.11, 7.5]});
    let reply = app.post_json("/api/v1/poles", &feature).await;
    assert_geometry_refused(&reply, "3D pole", "height");
    // A height of 0 (no height, as CAD writes it) is taken as 2D.
    feature["geometry"] = json!({"type": "Point", "coordinates": [108.8, 15.11, 0]});
    let id = app.create("poles", &feature).await;
    let stored = app.get(&format!("/api/v1/poles/{id}")).await;
    assert_eq!(
        stored.body["geometry"]["coordinates"],
        json!([108.8, 15.11])
    );
}

#[tokio::test]
async fn a_member_named_twice_is_a_400() {
    let app = spawn_app().await;
    let body = r#"{"type": "Feature",
        "geometry": {"type": "Point", "coordinates": [108.8, 15.11]},
        "properties": {"code": "P-DUP", "operator": "VNPT", "material": "concrete", "height_m": 8},
        "geometry": {"type": "Point", "coordinates": [108.9, 15.2]}}"#;
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/poles"))
                .header("Content-Type", "application/geo+json")
                .body(body),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.error_code(), "malformed_request");
    assert!(
        reply.text.contains("\\\"geometry\\\" appears twice"),
        "{}",
        reply.text
    );
    // Nested too.
    let body = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.8, 15.11]},
        "properties": {"code": "P-DUP", "operator": "VNPT", "operator": "VIETTEL"}}"#;
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/poles"))
                .header("Content-Type", "application/json")
                .body(body),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(
        reply.text.contains("appears twice in properties"),
        "{}",
        reply.text
    );
    assert_eq!(stored_rows(&app).await, 0);
}

#[tokio::test]
async fn path_method_and_multipart_errors_are_json() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/towers/abc").await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.error_code(), "malformed_request", "{}", reply.text);
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        reply.headers
    );
    let reply = app
        .send(app.client.delete(app.url("/api/v1/towers/1")))
        .await;
    assert_eq!(reply.status, 405, "{}", reply.text);
    assert_eq!(reply.error_code(), "method_not_allowed", "{}", reply.text);
    let allow = reply.headers["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("PATCH"), "{allow}");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("GET")
    );
    // An attachment sent as JSON instead of multipart.
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/permits/1/attachments"))
                .header("Content-Type", "application/json")
                .body("{}"),
        )
        .await;
    assert!(
        reply.status == 400 || reply.status == 415,
        "{} {}",
        reply.status,
        reply.text
    );
    assert!(reply.body["error"]["code"].is_string(), "{}", reply.text);
    // A query string that does not parse.
    let reply = app.get("/api/v1/towers?limit=many").await;
    assert!(reply.status == 400 || reply.status == 422, "{}", reply.text);
    assert!(reply.body["error"]["code"].is_string(), "{}", reply.text);
}

// ---------------------------------------------------------------------------
// Security: spreadsheets that run nothing, containers that unpack to little.

async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.bytes().await.unwrap().to_vec()
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

const PAYLOADS: &[&str] = &[
    "=HYPERLINK(\"http://evil.example\",\"bấm\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\tTab",
    "\rCR",
];

#[tokio::test]
async fn no_csv_or_xlsx_export_starts_a_cell_with_a_formula() {
    let app = spawn_app().await;
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let mut feature = pole(&format!("P-F{i}"), 108.80 + i as f64 * 0.001, 15.11);
        feature["properties"]["note"] = json!(payload);
        feature["properties"]["name"] = json!(payload);
        app.create("poles", &feature).await;
    }
    let csv = String::from_utf8(download(&app, "/api/v1/poles/export?format=csv").await).unwrap();
    let history = String::from_utf8(download(&app, "/api/v1/history?format=csv").await).unwrap();
    let xlsx = download(&app, "/api/v1/poles/export?format=xlsx").await;
    let strings = unzip(&xlsx, "xl/sharedStrings.xml");
    for payload in PAYLOADS {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(csv.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "asset CSV cell {cell:?}"
                );
            }
        }
        assert!(
            csv.contains(&format!("'{}", &payload[..2])),
            "{payload:?} in {csv}"
        );
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(history.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "history CSV cell {cell:?}"
                );
            }
        }
    }
    assert!(
        !strings.contains("<t>=") && !strings.contains("<t>+") && !strings.contains("<t>@"),
        "{strings}"
    );
    assert!(
        strings.contains("&apos;=HYPERLINK") || strings.contains("'=HYPERLINK"),
        "{strings}"
    );
}

#[tokio::test]
async fn an_export_imported_again_keeps_formula_like_text_as_it_was() {
    let app = spawn_app().await;
    let mut feature = pole("P-ROUND", 108.80, 15.11);
    feature["properties"]["note"] = json!("=1+1 ghi chú");
    let id = app.create("poles", &feature).await;
    let csv = download(&app, "/api/v1/poles/export?format=csv").await;
    let job = crate::import::import(&app, "poles", "EVNCPC", "lai.csv", csv, "").await;
    assert_eq!(
        job["result"]["updated"].as_i64().unwrap_or(0)
            + job["result"]["unchanged"].as_i64().unwrap_or(0),
        1,
        "{job}"
    );
    let stored = app.get(&format!("/api/v1/poles/{id}")).await;
    assert_eq!(stored.body["properties"]["note"], "=1+1 ghi chú");
}

#[tokio::test]
async fn an_xlsx_formula_cell_is_a_problem_of_its_row_and_column() {
    let app = spawn_app().await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, heading) in ["code", "x", "y", "height_m", "material"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *heading).unwrap();
    }
    sheet.write_string(1, 0, "XF-1").unwrap();
    sheet.write_number(1, 1, 108.8001).unwrap();
    sheet.write_number(1, 2, 15.1101).unwrap();
    sheet.write_number(1, 3, 9.0).unwrap();
    sheet.write_string(1, 4, "steel").unwrap();
    sheet.write_string(2, 0, "XF-2").unwrap();
    sheet.write_number(2, 1, 108.8002).unwrap();
    sheet.write_number(2, 2, 15.1102).unwrap();
    sheet
        .write_formula(
            2,
            3,
            rust_xlsxwriter::Formula::new("=D2*2").set_result("18"),
        )
        .unwrap();
    sheet.write_string(2, 4, "steel").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let uploaded = crate::import::upload(&app, "poles", "VNPT", "cot.xlsx", bytes, "").await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let id = uploaded.body["id"].as_i64().unwrap();
    let job = crate::import::run(&app, id, "commit").await;
    let problems = job["problems"].as_array().cloned().unwrap_or_default();
    assert!(
        problems.iter().any(|p| p["row"] == 2
            && p["column"] == "height_m"
            && p["problem"].as_str().unwrap().contains("D3")
            && p["problem"].as_str().unwrap().contains("=D2*2")
            && p["code"] == "formula_cell"
            && p["params"]["cell"] == "D3"
            && p["params"]["formula"] == "=D2*2"),
        "{job}"
    );
    assert_eq!(
        crate::import::asset_count(&app).await,
        0,
        "nothing is stored"
    );
}

/// A zip holding one entry of `size` zero bytes, named `name`.
fn zip_of_zeros(name: &str, size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() {
        writer.write_all(&chunk).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let app = crate::support::spawn_app_with(|config| {
        config.import_max_unpacked_mb = 8;
        config.import_max_entries = 20;
    })
    .await;
    // 200 MiB of zeros zip to about 200 KB: past the 8 MiB limit, 413.
    let bomb = zip_of_zeros("poles.dbf", 200 << 20);
    assert!(bomb.len() < 1 << 20);
    let reply = crate::import::upload(&app, "poles", "VNPT", "bom.zip", bomb.clone(), "").await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert!(reply.text.contains("8 MiB"), "{}", reply.text);
    assert_eq!(
        reply.body["error"]["reason"], "unpacked_too_large",
        "{}",
        reply.text
    );
    assert_eq!(
        reply.body["error"]["params"]["limit_mb"], 8,
        "{}",
        reply.text
    );
    // Under the default limit of 1 GiB the ratio refuses it.
    let default = spawn_app().await;
    let reply = crate::import::upload(&default, "poles", "VNPT", "bom.zip", bomb, "").await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert!(reply.text.contains("zip bomb"), "{}", reply.text);
    assert_eq!(problem_of(&reply, "file").0, "zip_bomb", "{}", reply.text);
    // Many entries.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..30 {
        writer
            .start_file(
                format!("f{i}.txt"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
    }
    let many = writer.finish().unwrap().into_inner();
    let reply = crate::import::upload(&app, "poles", "VNPT", "nhieu.zip", many, "").await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert!(reply.text.contains("30 files"), "{}", reply.text);
    let (code, params) = problem_of(&reply, "file");
    assert_eq!(
        (code.as_str(), params["entries"].as_i64()),
        ("too_many_entries", Some(30)),
        "{}",
        reply.text
    );
    // The same bomb as a workbook.
    let bomb = zip_of_zeros("xl/worksheets/sheet1.xml", 200 << 20);
    let reply = crate::import::upload(&app, "poles", "VNPT", "bom.xlsx", bomb, "").await;
    assert_eq!(reply.status, 413, "{}", reply.text);
}

// ---------------------------------------------------------------------------
// Accounts: tokens stop with their account, logout needs the CSRF token,
// throttling slows guessing without locking anyone out.

#[tokio::test]
async fn a_disabled_users_api_tokens_stop_at_once() {
    let admin = spawn_app().await;
    let member = admin
        .post_json(
            "/api/v1/users",
            &json!({"username": "vnpt.token", "display_name": "Thử token", "role": "operator_member", "operator": "VNPT"}),
        )
        .await;
    assert_eq!(member.status, 201, "{}", member.text);
    let id = member.body["id"].as_i64().unwrap();
    let password = member.body["password"].as_str().unwrap().to_string();
    let session = admin.login("vnpt.token", &password).await.unwrap();
    let mut as_member = admin.anonymous();
    as_member.session = Some(session);
    let token = as_member
        .post_json("/api/v1/tokens", &json!({"name": "hệ thống GIS"}))
        .await;
    assert_eq!(token.status, 201, "{}", token.text);
    let token = token.body["token"].as_str().unwrap().to_string();
    let by_token = admin.anonymous().with_token(&token);
    assert_eq!(by_token.get("/api/v1/poles").await.status, 200);
    let disabled = admin
        .patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"disabled": true}),
            None,
        )
        .await;
    assert!(disabled.status < 300, "{}", disabled.text);
    let refused = by_token.get("/api/v1/poles").await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    let refused = by_token
        .post_json("/api/v1/poles", &pole("P-TOK", 108.8, 15.11))
        .await;
    assert_eq!(refused.status, 401, "{}", refused.text);
}

#[tokio::test]
async fn logout_needs_the_csrf_header() {
    let admin = spawn_app().await;
    let session = admin
        .login("vnpt", &crate::support::password_of("vnpt"))
        .await
        .unwrap();
    let without = admin
        .anonymous()
        .send(
            admin
                .client
                .post(admin.url("/api/v1/auth/logout"))
                .header("Cookie", &session.cookie),
        )
        .await;
    assert_eq!(without.status, 403, "{}", without.text);
    assert_eq!(without.error_code(), "csrf_failed");
    // The session is still alive.
    let me = admin
        .anonymous()
        .send(
            admin
                .client
                .get(admin.url("/api/v1/auth/me"))
                .header("Cookie", &session.cookie),
        )
        .await;
    assert_eq!(me.status, 200, "{}", me.text);
    let with = admin
        .anonymous()
        .send(
            admin
                .client
                .post(admin.url("/api/v1/auth/logout"))
                .header("Cookie", &session.cookie)
                .header("X-CSRF-Token", &session.csrf),
        )
        .await;
    assert_eq!(with.status, 204, "{}", with.text);
}

async fn login_reply(app: &TestApp, username: &str, password: &str, device: Option<&str>) -> Reply {
    let mut request = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}));
    if let Some(device) = device {
        request = request.header("Cookie", device);
    }
    app.anonymous().send(request).await
}

fn device_cookie(reply: &Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hatang_device="))
        .and_then(|v| v.split(';').next())
        .expect("a device cookie")
        .to_string()
}

#[tokio::test]
async fn an_attacker_cannot_lock_a_user_out_and_is_slowed_more_and_more() {
    let app = spawn_app().await;
    let right = crate::support::password_of("admin");
    // The admin signed in from this browser before.
    let first = login_reply(&app, "admin", &right, None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let device = device_cookie(&first);
    // That was yesterday.
    sqlx::query("update login_attempt set at = at - interval '1 day'")
        .execute(&app.pool)
        .await
        .unwrap();
    // Someone else guesses the admin's password.
    let mut retry_afters = Vec::new();
    for _ in 0..8 {
        let reply = login_reply(&app, "admin", "guess", None).await;
        if reply.status == 429 {
            retry_afters.push(
                reply.headers["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap(),
            );
            // Let the delay pass, as a patient attacker would, by ageing the attempts.
            let wait = *retry_afters.last().unwrap() as f64 + 1.0;
            sqlx::query("update login_attempt set at = at - make_interval(secs => $1) where at > now() - interval '1 hour'")
                .bind(wait)
                .execute(&app.pool)
                .await
                .unwrap();
            let reply = login_reply(&app, "admin", "guess", None).await;
            assert_eq!(reply.status, 401, "{}", reply.text);
        } else {
            assert_eq!(reply.status, 401, "{}", reply.text);
        }
    }
    // The delays grow, and never became a 15-minute lockout at the fifth failure.
    assert!(retry_afters.len() >= 2, "{retry_afters:?}");
    assert!(
        retry_afters.windows(2).all(|w| w[1] > w[0]),
        "growing: {retry_afters:?}"
    );
    assert!(retry_afters[0] <= 4, "{retry_afters:?}");
    // The right password from an unknown browser waits …
    let elsewhere = login_reply(&app, "admin", &right, None).await;
    assert_eq!(elsewhere.status, 429, "{}", elsewhere.text);
    // … but from the admin's own browser it gets in at once.
    let own = login_reply(&app, "admin", &right, Some(&device)).await;
    assert_eq!(own.status, 200, "{}", own.text);
}

#[tokio::test]
async fn an_office_behind_one_address_is_slowed_not_locked_out() {
    let app = spawn_app().await;
    // Twenty-five failures from the office's one address, for several names.
    for i in 0..25 {
        sqlx::query("insert into login_attempt (username, remote, succeeded) values ($1, '127.0.0.1', false)")
            .bind(format!("nhanvien{}", i % 5))
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let colleague = login_reply(&app, "fpt", &crate::support::password_of("fpt"), None).await;
    assert_eq!(colleague.status, 429, "{}", colleague.text);
    let wait: u64 = colleague.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        wait <= 60,
        "an address waits at most a minute, not {wait} s"
    );
    sqlx::query("update login_attempt set at = at - interval '61 seconds'")
        .execute(&app.pool)
        .await
        .unwrap();
    let colleague = login_reply(&app, "fpt", &crate::support::password_of("fpt"), None).await;
    assert_eq!(colleague.status, 200, "{}", colleague.text);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/towers",
        "/api/v1/towers/abc",
        "/health",
        "/tiles",
        "/",
        "/ogc",
    ] {
        let reply = app.get(path).await;
        let header = |name: &str| {
            reply
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            header("content-security-policy").contains("script-src 'self';"),
            "{path}"
        );
        assert!(!header("referrer-policy").is_empty(), "{path}");
        assert!(
            header("strict-transport-security").is_empty(),
            "no HSTS over plain HTTP: {path}"
        );
    }
    let secure =
        crate::support::spawn_app_with(|config| config.sessions.secure_cookies = true).await;
    let reply = secure.get("/health").await;
    assert!(
        reply.headers["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age="),
        "{:?}",
        reply.headers
    );
}

// ---------------------------------------------------------------------------
// Coordinates: Vietnam is its land and waters, not a box around it.

#[tokio::test]
async fn a_point_in_laos_or_cambodia_or_at_sea_is_refused_and_says_where() {
    let app = spawn_app().await;
    for ([lon, lat], says) in [
        ([105.805, 15.129], "lies in laos"),
        ([104.92, 11.56], "lies in cambodia"),
        ([104.0, 22.8], "lies in china"),
        ([110.5, 12.5], "in the sea outside vietnam's waters"),
    ] {
        let reply = app
            .post_json("/api/v1/poles", &pole("P-OUT", lon, lat))
            .await;
        assert_geometry_refused(&reply, &format!("[{lon}, {lat}]"), says);
    }
    assert_eq!(stored_rows(&app).await, 0);
}

#[tokio::test]
async fn hoang_sa_and_truong_sa_are_in_vietnam() {
    let app = spawn_app().await;
    // Đảo Phú Lâm (Hoàng Sa) and Đảo Trường Sa Lớn, and the sea between the islands.
    for (i, [lon, lat]) in [
        [112.336, 16.834],
        [111.92, 8.645],
        [114.33, 10.38],
        [111.6, 16.5],
    ]
    .into_iter()
    .enumerate()
    {
        app.create("poles", &pole(&format!("P-HS-{i}"), lon, lat))
            .await;
    }
}

// ---------------------------------------------------------------------------
// Broken files through the real API: never a 5xx, nothing stored from a file
// with a problem (the parsers alone are property-tested in server/src/proptests.rs).

/// xorshift64*: a small deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn damaged(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => bytes[at] = rng.next() as u8,
            1 => bytes.insert(at, b"\",{}[]:\n0-9e"[rng.below(12)]),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at.max(1)),
        }
        if bytes.is_empty() {
            bytes.push(b'{');
        }
    }
    bytes
}

#[tokio::test]
async fn broken_files_never_give_a_server_error_and_store_nothing_when_refused() {
    let app = spawn_app().await;
    let seeds: [(&str, &[u8]); 3] = [
        (
            "cot.geojson",
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[108.8,15.11]},"properties":{"code":"B1","height_m":8,"material":"steel"}},{"type":"Feature","geometry":{"type":"Point","coordinates":[108.801,15.111]},"properties":{"code":"B2","height_m":9,"material":"steel"}}]}"#,
        ),
        ("cot.csv", b"code,x,y,height_m,material\nB1,108.8,15.11,8,steel\nB2,108.801,15.111,9,concrete\n"),
        (
            "cot.kml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><Placemark><name>B1</name><ExtendedData><Data name=\"code\"><value>B1</value></Data><Data name=\"height_m\"><value>8</value></Data><Data name=\"material\"><value>steel</value></Data></ExtendedData><Point><coordinates>108.8,15.11</coordinates></Point></Placemark></Document></kml>".as_bytes(),
        ),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut refused, mut accepted, mut tried) = (0, 0, 0);
    for round in 0..20 {
        for (name, seed) in seeds {
            tried += 1;
            let before = crate::import::asset_count(&app).await;
            let bytes = damaged(&mut rng, seed.to_vec());
            let reply = crate::import::upload(&app, "poles", "VNPT", name, bytes.clone(), "").await;
            assert!(
                reply.status < 500,
                "round {round}, {name}: {} {}\n{}",
                reply.status,
                reply.text,
                String::from_utf8_lossy(&bytes)
            );
            if reply.status != 201 {
                refused += 1;
                assert_eq!(crate::import::asset_count(&app).await, before);
                continue;
            }
            let id = reply.body["id"].as_i64().unwrap();
            let started = app
                .post_json(&format!("/api/v1/imports/{id}/commit"), &json!({}))
                .await;
            assert!(started.status < 500, "{}", started.text);
            if started.status != 202 {
                // Refused before it ran (no column for the code, no geometry …).
                refused += 1;
                assert_eq!(crate::import::asset_count(&app).await, before);
                continue;
            }
            let job = crate::import::wait(&app, id).await;
            let after = crate::import::asset_count(&app).await;
            if job["problem_count"].as_i64().unwrap_or(0) > 0 || job["status"] == "failed" {
                refused += 1;
                assert_eq!(after, before, "a refused file stores nothing: {job}");
            } else {
                accepted += 1;
                let written = job["result"]["created"].as_i64().unwrap_or(0);
                assert_eq!(after, before + written, "{job}");
            }
        }
    }
    eprintln!(
        "broken files: {tried} tried, {refused} refused, {accepted} still valid and imported"
    );
    assert!(refused > tried / 2, "{refused} of {tried}");
}

// ---------------------------------------------------------------------------
// Exports in VN-2000: a named CRS with its datum shift in every format, read
// back by GDAL to within a centimetre.

/// Metres between two WGS84 positions (equirectangular; fine at this scale).
fn metres_apart(a: [f64; 2], b: [f64; 2]) -> f64 {
    let lat = a[1].to_radians();
    let dx = (a[0] - b[0]) * 111_320.0 * lat.cos();
    let dy = (a[1] - b[1]) * 110_574.0;
    (dx * dx + dy * dy).sqrt()
}

#[tokio::test]
async fn tm3_and_vn2000_exports_read_back_by_gdal_land_within_a_centimetre() {
    let app = spawn_app().await;
    let here = [108.806_123_4, 15.117_456_7];
    let mut tower = tower("T-CRS");
    tower["geometry"] = point(here[0], here[1]);
    app.create("towers", &tower).await;
    let dir = std::env::temp_dir().join(format!("hatang-crs-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for crs in [
        "tm3=quang-ngai",
        "tm3=kon-tum",
        "crs=EPSG:5898",
        "crs=EPSG:4756",
        "crs=EPSG:3406",
    ] {
        for (format, extension) in [("geojson", "geojson"), ("gpkg", "gpkg"), ("shp", "shp.zip")] {
            let bytes = download(
                &app,
                &format!("/api/v1/towers/export?format={format}&{crs}"),
            )
            .await;
            let path = dir.join(format!("t-{}.{extension}", crs.replace([':', '='], "-")));
            std::fs::write(&path, &bytes).unwrap();
            let source = if format == "shp" {
                format!("/vsizip/{}", path.display())
            } else {
                path.display().to_string()
            };
            let info = std::process::Command::new("ogrinfo")
                .args(["-ro", "-so", "-al", &source])
                .output()
                .unwrap();
            let info = String::from_utf8_lossy(&info.stdout).to_string();
            assert!(
                info.contains("VN-2000") || info.contains("VN_2000"),
                "{crs} {format}: a named CRS\n{info}"
            );
            assert!(
                !info.contains("\"unknown\""),
                "{crs} {format}: not unknown\n{info}"
            );
            let back = std::process::Command::new("ogr2ogr")
                .args([
                    "-f",
                    "GeoJSON",
                    "-t_srs",
                    "EPSG:4326",
                    "-lco",
                    "COORDINATE_PRECISION=10",
                    "/vsistdout/",
                    &source,
                ])
                .output()
                .unwrap();
            assert!(
                back.status.success(),
                "{}",
                String::from_utf8_lossy(&back.stderr)
            );
            let back: Value = serde_json::from_slice(&back.stdout).unwrap();
            let c = &back["features"][0]["geometry"]["coordinates"];
            let there = [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()];
            let off = metres_apart(here, there);
            assert!(
                off < 0.01,
                "{crs} {format}: GDAL reads it back {off:.3} m off ({there:?})"
            );
        }
    }
    // GeoJSON keeps JSON types and names its CRS.
    let bytes = download(&app, "/api/v1/towers/export?format=geojson&tm3=quang-ngai").await;
    let exported: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(
        exported["crs"]["properties"]["name"]
            .as_str()
            .unwrap()
            .contains("VN-2000"),
        "{}",
        exported["crs"]
    );
    let properties = &exported["features"][0]["properties"];
    assert_eq!(properties["shared"], json!(false), "{properties}");
    assert!(properties["technologies"].is_array(), "{properties}");
    assert!(properties["height_m"].is_number(), "{properties}");
    let bytes = download(&app, "/api/v1/towers/export?format=geojson&crs=EPSG:4756").await;
    let exported: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        exported["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::4756"
    );
    let x = exported["features"][0]["geometry"]["coordinates"][0]
        .as_f64()
        .unwrap();
    assert!(
        (x * 1000.0).fract().abs() > 1e-6,
        "more than 3 decimals: {x}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn kml_exports_and_vietnamese_extended_data_names_import_unmangled() {
    let app = spawn_app().await;
    let kml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\
        <Placemark><name>Cột K1</name><ExtendedData><Data name=\"Mã cột\"><value>K-1</value></Data>\
        <Data name=\"Chiều cao\"><value>9.5</value></Data><Data name=\"Chất liệu\"><value>steel</value></Data></ExtendedData>\
        <Point><coordinates>108.8012,15.1123</coordinates></Point></Placemark></Document></kml>";
    let uploaded = crate::import::upload(
        &app,
        "poles",
        "VNPT",
        "cot.kml",
        kml.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let mapping = &uploaded.body["mapping"];
    assert_eq!(mapping["Mã cột"], "code", "{mapping}");
    assert_eq!(mapping["Chiều cao"], "height_m", "{mapping}");
    assert_eq!(mapping["Chất liệu"], "material", "{mapping}");
    let id = uploaded.body["id"].as_i64().unwrap();
    let job = crate::import::run(&app, id, "commit").await;
    assert_eq!(job["result"]["created"], 1, "{job}");

    let bytes = download(&app, "/api/v1/poles/export?format=kml").await;
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("<Placemark") && text.contains("K-1"),
        "{text}"
    );
    let path = std::env::temp_dir().join(format!("hatang-export-{}.kml", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let back = std::process::Command::new("ogr2ogr")
        .args(["-f", "GeoJSON", "/vsistdout/", path.to_str().unwrap()])
        .output()
        .unwrap();
    let back: Value = serde_json::from_slice(&back.stdout).unwrap();
    let c = &back["features"][0]["geometry"]["coordinates"];
    assert!(
        metres_apart(
            [108.8012, 15.1123],
            [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]
        ) < 0.01,
        "{back}"
    );
    let _ = std::fs::remove_file(&path);
    let refused = app
        .get("/api/v1/poles/export?format=kml&tm3=quang-ngai")
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
}

// ---------------------------------------------------------------------------
// Problems carry stable codes with parameters (validation::Code), so that the
// web app words them in Vietnamese or English and programs can act on them.

/// The code and params of the first problem of `field`.
fn problem_of(reply: &Reply, field: &str) -> (String, Value) {
    let details = reply.body["error"]["details"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let problem = details
        .iter()
        .find(|p| p["field"] == field)
        .unwrap_or_else(|| panic!("no problem of {field}: {}", reply.text));
    (
        problem["code"].as_str().unwrap_or_default().to_string(),
        problem["params"].clone(),
    )
}

/// A point in Quảng Ngãi in VN-2000 / TM-3 108° (EPSG:5898), [easting, northing].
async fn quang_ngai_tm3(app: &TestApp) -> [f64; 2] {
    let (x, y): (f64, f64) = sqlx::query_as(
        "select ST_X(g), ST_Y(g) from ST_Transform(ST_SetSRID(ST_MakePoint(108.8, 15.11), 4326), 5898) g",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    [x, y]
}

#[tokio::test]
async fn geometry_and_coordinate_problems_carry_codes_and_params() {
    let app = spawn_app().await;
    let zone = |g: Value| json!({"name": "Di tích", "zone_type": "heritage", "citation": "QĐ (thử)", "geometry": g});
    let reply = app
        .post_json("/api/v1/restricted-zones", &zone(bow_tie()))
        .await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(code, "self_intersection", "{}", reply.text);
    assert!(
        (params["x"].as_f64().unwrap() - 108.801).abs() < 1e-6,
        "{params}"
    );
    assert!(
        (params["y"].as_f64().unwrap() - 15.111).abs() < 1e-6,
        "{params}"
    );

    let with_geometry = |g: Value| {
        let mut f = pole("P-CODE", 108.8, 15.11);
        f["geometry"] = g;
        f
    };
    let reply = app
        .post_json("/api/v1/poles", &with_geometry(empty_point()))
        .await;
    assert_eq!(
        problem_of(&reply, "geometry").0,
        "empty_geometry",
        "{}",
        reply.text
    );
    let reply = app
        .post_json(
            "/api/v1/poles",
            &with_geometry(json!({"type": "Point", "coordinates": [108.8, 15.11, 7.5]})),
        )
        .await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(
        (code.as_str(), params["height"].as_f64()),
        ("has_height", Some(7.5)),
        "{}",
        reply.text
    );
    let mut cable = cable("C-CODE", &[]);
    cable["geometry"] = one_point_line();
    let reply = app.post_json("/api/v1/cables", &cable).await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(
        (code.as_str(), params["distinct"].as_i64()),
        ("too_few_points", Some(1)),
        "{}",
        reply.text
    );
    let mut far = with_geometry(far_utm_point());
    far["crs"] = far["geometry"]["crs"].take();
    far["geometry"].as_object_mut().unwrap().remove("crs");
    let reply = app.post_json("/api/v1/poles", &far).await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(
        (code.as_str(), params["srid"].as_i64()),
        ("outside_crs_domain", Some(3405)),
        "{}",
        reply.text
    );

    // Outside Vietnam, saying where.
    let reply = app
        .post_json("/api/v1/poles", &pole("P-LAOS", 105.805, 15.129))
        .await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(code, "not_in_vietnam", "{}", reply.text);
    assert_eq!(params["place"], "country", "{params}");
    assert_eq!(params["country"], "Laos", "{params}");
    assert!(params["country_vi"].is_string(), "{params}");
    let reply = app
        .post_json("/api/v1/poles", &pole("P-SEA", 110.5, 12.5))
        .await;
    assert_eq!(
        problem_of(&reply, "geometry").1["place"],
        "sea",
        "{}",
        reply.text
    );
    // Latitude first in WGS84.
    let reply = app
        .post_json("/api/v1/poles", &pole("P-SWAP", 15.11, 108.8))
        .await;
    assert_eq!(
        problem_of(&reply, "geometry").0,
        "axes_swapped",
        "{}",
        reply.text
    );

    // TM-3: [northing, easting] is "X and Y look swapped"; Quảng Ngãi's
    // numbers declared on 105° (EPSG:5897) name the meridian they fit.
    let [easting, northing] = quang_ngai_tm3(&app).await;
    let projected = |x: f64, y: f64, epsg: u32| {
        let mut f = pole("P-TM3", 108.8, 15.11);
        f["geometry"] = json!({"type": "Point", "coordinates": [x, y]});
        f["crs"] = json!({"type": "name", "properties": {"name": format!("EPSG:{epsg}")}});
        f
    };
    let reply = app
        .post_json("/api/v1/poles", &projected(northing, easting, 5898))
        .await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(code, "axes_swapped", "{}", reply.text);
    assert_eq!(params["srid"], 5898, "{params}");
    assert!(
        reply.text.contains("X and Y look swapped"),
        "{}",
        reply.text
    );
    let reply = app
        .post_json("/api/v1/poles", &projected(easting, northing, 5897))
        .await;
    let (code, params) = problem_of(&reply, "geometry");
    assert_eq!(code, "wrong_meridian", "{}", reply.text);
    assert_eq!(params["declared"], "105°00′", "{params}");
    assert!(
        params["fits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "108°00′"),
        "{params}"
    );
    assert_eq!(params["country"], "Laos", "{params}");
    // The right zone is accepted.
    app.create("poles", &projected(easting, northing, 5898))
        .await;

    // A member named twice.
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/poles"))
                .header("Content-Type", "application/json")
                .body(r#"{"type": "Feature", "properties": {"code": "A", "code": "B"}}"#),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(
        reply.body["error"]["reason"], "duplicate_member",
        "{}",
        reply.text
    );
    assert_eq!(
        reply.body["error"]["params"]["member"], "code",
        "{}",
        reply.text
    );
    assert_eq!(
        reply.body["error"]["params"]["at"], "properties",
        "{}",
        reply.text
    );
    // A method the address does not take.
    let reply = app
        .send(app.client.delete(app.url("/api/v1/towers/1")))
        .await;
    assert_eq!(reply.status, 405, "{}", reply.text);
    assert_eq!(
        reply.body["error"]["reason"], "method_not_allowed",
        "{}",
        reply.text
    );
    let allow = reply.body["error"]["params"]["allow"].as_array().unwrap();
    assert!(
        allow.iter().any(|m| m == "GET") && allow.iter().any(|m| m == "PATCH"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn an_ogc_bbox_with_swapped_axes_or_in_the_wrong_zone_is_diagnosed() {
    let app = spawn_app().await;
    app.create("poles", &pole("P-BBOX", 108.8, 15.11)).await;
    let items = |query: String| {
        let app = &app;
        async move {
            app.get(&format!("/ogc/collections/poles/items?{query}"))
                .await
        }
    };
    const EPSG: &str = "http://www.opengis.net/def/crs/EPSG/0/";
    let refused = |reply: &Reply, reason: &str| {
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert_eq!(reply.body["error"]["reason"], reason, "{}", reply.text);
        assert_eq!(
            reply.body["error"]["details"][0]["field"], "bbox",
            "{}",
            reply.text
        );
        reply.body["error"]["params"].clone()
    };
    let found = |reply: &Reply| {
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["features"].as_array().unwrap().len()
    };
    // CRS84 with latitude first.
    let reply = items("bbox=15.1,108.79,15.12,108.81".into()).await;
    assert_eq!(refused(&reply, "axes_swapped")["order"], "lon_lat");
    assert!(
        reply.text.contains("minLon,minLat,maxLon,maxLat"),
        "{}",
        reply.text
    );
    assert_eq!(
        found(&items("bbox=108.79,15.1,108.81,15.12".into()).await),
        1
    );
    // EPSG:4326 puts latitude first: longitude first is the swap there.
    let reply = items(format!("bbox=108.79,15.1,108.81,15.12&bbox-crs={EPSG}4326")).await;
    assert_eq!(refused(&reply, "axes_swapped")["order"], "lat_lon");
    assert_eq!(
        found(&items(format!("bbox=15.1,108.79,15.12,108.81&bbox-crs={EPSG}4326")).await),
        1
    );
    // TM-3 108° (EPSG:5898): the right box, the box with northing first, and
    // the same numbers declared on 105° (EPSG:5897), which land in Laos.
    let [e, n] = quang_ngai_tm3(&app).await;
    let right = format!("{},{},{},{}", e - 100.0, n - 100.0, e + 100.0, n + 100.0);
    let swapped = format!("{},{},{},{}", n - 100.0, e - 100.0, n + 100.0, e + 100.0);
    assert_eq!(
        found(&items(format!("bbox={right}&bbox-crs={EPSG}5898")).await),
        1
    );
    let reply = items(format!("bbox={swapped}&bbox-crs={EPSG}5898")).await;
    assert_eq!(refused(&reply, "axes_swapped")["srid"], 5898);
    let reply = items(format!("bbox={right}&bbox-crs={EPSG}5897")).await;
    let params = refused(&reply, "wrong_meridian");
    assert_eq!(params["declared"], "105°00′", "{params}");
    assert!(
        params["fits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "108°00′"),
        "{params}"
    );
    // A box of one point, and numbers outside the zone's domain.
    assert_eq!(
        found(&items(format!("bbox={e},{n},{e},{n}&bbox-crs={EPSG}5898")).await),
        0
    );
    let reply = items(format!("bbox=1e300,1e300,1e300,1e300&bbox-crs={EPSG}3405")).await;
    assert_eq!(refused(&reply, "outside_crs_domain")["srid"], 3405);
    // A box elsewhere that fits nothing is only an empty page.
    assert_eq!(found(&items("bbox=2,48,3,49".into()).await), 0);
    // The REST lists say it too.
    let reply = app.get("/api/v1/poles?bbox=15.1,108.79,15.12,108.81").await;
    assert_eq!(refused(&reply, "axes_swapped")["order"], "lon_lat");
    let reply = app.get("/api/v1/poles?bbox=108.79,15.1,108.81,15.12").await;
    assert_eq!(
        reply.body["features"].as_array().map(Vec::len),
        Some(1),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn points_of_a_former_province_read_in_its_new_provinces_zone_get_a_note() {
    let app = spawn_app().await;
    // Quy Nhơn (former Bình Định, TM-3 108°15′) read in today's Gia Lai zone (108°30′).
    let mut csv = String::from("code,easting,northing,material,height_m\n");
    for i in 0..3 {
        let (e, n) = crate::import::to_tm3(108.5, 109.215 + 0.002 * i as f64, 13.77).await;
        csv.push_str(&format!("BD-{i},{e:.3},{n:.3},concrete,8\n"));
    }
    let uploaded = crate::import::upload(
        &app,
        "poles",
        "VNPT",
        "quy-nhon.csv",
        csv.into_bytes(),
        "&tm3=gia-lai",
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let job = crate::import::run(&app, uploaded.body["id"].as_i64().unwrap(), "validate").await;
    assert_eq!(job["status"], "validated", "{job}");
    let warning = &job["warnings"][0];
    assert_eq!(warning["code"], "former_zone", "{job}");
    assert_eq!(warning["params"]["former"], "Bình Định", "{job}");
    assert_eq!(warning["params"]["meridian"], "108°15′", "{job}");
    assert_eq!(warning["params"]["declared"], "108°30′", "{job}");
    assert_eq!(warning["params"]["inside"], 3, "{job}");
}

/// [easting, northing] of a WGS84 position in the TM-3 zone `srid`.
async fn tm3_of(app: &TestApp, lon: f64, lat: f64, srid: i32) -> [f64; 2] {
    let (x, y): (f64, f64) = sqlx::query_as(
        "select ST_X(g), ST_Y(g) from ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), $3) g",
    )
    .bind(lon)
    .bind(lat)
    .bind(srid)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    [x, y]
}

/// The same rule as the import's for every other way coordinates come in:
/// a REST write in Quảng Ngãi's zone (108°00′) whose point lies in the former
/// Kon Tum (107°30′) is taken, with a `former_zone` warning that names the
/// old meridian; an OGC bounding box there is answered with the warning too.
#[tokio::test]
async fn rest_writes_and_ogc_boxes_in_a_former_provinces_zone_carry_a_warning() {
    let app = spawn_app().await;
    let crs = |srid: i32| json!({"type": "name", "properties": {"name": format!("EPSG:{srid}")}});
    // Kon Tum city, read on 108°00′: EPSG's code and Hatang's own.
    for (i, srid) in [5898, 910800].into_iter().enumerate() {
        let [e, n] = tm3_of(&app, 108.0, 14.35, srid).await;
        let mut feature = pole(&format!("KT-{i}"), 0.0, 0.0);
        feature["geometry"] = json!({"type": "Point", "coordinates": [e, n]});
        feature["crs"] = crs(srid);
        let reply = app.post_json("/api/v1/poles", &feature).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let warning = &reply.body["warnings"][0];
        assert_eq!(warning["code"], "former_zone", "{}", reply.text);
        assert_eq!(warning["field"], "geometry");
        assert_eq!(warning["params"]["former"], "Kon Tum");
        assert_eq!(warning["params"]["province"], "Quảng Ngãi");
        assert_eq!(warning["params"]["meridian"], "107°30′");
        assert_eq!(warning["params"]["crs"], "TM3:107.5");
        // The asset is stored as sent (a warning, not a refusal), and a read carries no warning.
        let id = reply.body["id"].as_i64().unwrap();
        let read = app.get(&format!("/api/v1/poles/{id}")).await;
        assert_eq!(read.status, 200);
        assert!(read.body.get("warnings").is_none(), "{}", read.text);
    }
    // Declared on Kon Tum's own meridian, or a point at the coast: no warning.
    let [e, n] = tm3_of(&app, 108.0, 14.35, 910750).await;
    let mut feature = pole("KT-OWN", 0.0, 0.0);
    feature["geometry"] = json!({"type": "Point", "coordinates": [e, n]});
    feature["crs"] = crs(910750);
    let reply = app.post_json("/api/v1/poles", &feature).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.body.get("warnings").is_none(), "{}", reply.text);
    let [e, n] = tm3_of(&app, 108.8, 15.11, 5898).await;
    let mut feature = pole("QN-COAST", 0.0, 0.0);
    feature["geometry"] = json!({"type": "Point", "coordinates": [e, n]});
    feature["crs"] = crs(5898);
    let reply = app.post_json("/api/v1/poles", &feature).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.body.get("warnings").is_none(), "{}", reply.text);
    // A move into Kon Tum by a merge patch in 108°00′ is warned of too.
    let id = reply.body["id"].as_i64().unwrap();
    let etag = reply.etag().unwrap();
    let [e, n] = tm3_of(&app, 108.01, 14.36, 5898).await;
    let patch = json!({"geometry": {"type": "Point", "coordinates": [e, n]}, "crs": crs(5898)});
    let reply = app
        .patch_json(&format!("/api/v1/poles/{id}"), &patch, Some(&etag))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["warnings"][0]["code"], "former_zone",
        "{}",
        reply.text
    );
    // An OGC box around Kon Tum city in 108°00′ is answered, with the warning.
    let [e, n] = tm3_of(&app, 108.0, 14.35, 5898).await;
    let bbox = format!("{},{},{},{}", e - 500.0, n - 500.0, e + 500.0, n + 500.0);
    let reply = app
        .get(&format!(
            "/ogc/collections/poles/items?bbox={bbox}&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5898"
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["warnings"][0]["code"], "former_zone",
        "{}",
        reply.text
    );
    assert_eq!(reply.body["warnings"][0]["field"], "bbox");
    assert!(
        !reply.body["features"].as_array().unwrap().is_empty(),
        "{}",
        reply.text
    );
}
