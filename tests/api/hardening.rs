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

/// Every place a geometry comes in, as (what, path, body with a geometry).
fn entry_points() -> Vec<(&'static str, &'static str, Box<dyn Fn(Value) -> Value>)> {
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
            Box::new(|g| {
                json!({"name": "Khu thử", "target_year": 2027, "source_doc": "Kế hoạch (thử)", "geometry": g})
            }),
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
                (far_utm_point(), "outside the area where epsg:3405 is defined"),
                (empty_point(), "empty geometry"),
                (json!({"type": "Point", "coordinates": [108.8, 15.11, 35.5]}), "height"),
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
    assert_geometry_refused(&reply, "1e300 in UTM", "outside the area where epsg:3405 is defined");
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
    assert_eq!(stored.body["geometry"]["coordinates"], json!([108.8, 15.11]));
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
    assert!(reply.text.contains("\\\"geometry\\\" appears twice"), "{}", reply.text);
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
    assert!(reply.text.contains("appears twice in properties"), "{}", reply.text);
    assert_eq!(stored_rows(&app).await, 0);
}

#[tokio::test]
async fn path_method_and_multipart_errors_are_json() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/towers/abc").await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.error_code(), "malformed_request", "{}", reply.text);
    assert!(
        reply.headers["content-type"].to_str().unwrap().starts_with("application/json"),
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
    assert!(reply.body["error"]["message"].as_str().unwrap().contains("GET"));
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
