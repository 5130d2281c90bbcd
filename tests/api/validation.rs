//! Bad input gets a clear error, the right status and code, and stores nothing.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

async fn asset_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from asset")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Posts `feature` as a tower and expects a 422 naming `field`.
async fn refused(app: &TestApp, collection: &str, feature: Value, field: &str) {
    let reply = app
        .post_json(&format!("/api/v1/{collection}"), &feature)
        .await;
    assert_eq!(
        reply.status, 422,
        "expected 422 for {field}: {}",
        reply.text
    );
    assert_eq!(reply.error_code(), "validation_failed");
    assert!(
        reply.has_problem(field),
        "expected a problem with {field}, got {:?}",
        reply.problems()
    );
}

#[tokio::test]
async fn wrong_geometry_type_for_the_kind() {
    let app = spawn_app().await;
    let mut feature = tower("T-LINE");
    feature["geometry"] = line(&[[108.80, 15.11], [108.81, 15.11]]);
    refused(&app, "towers", feature, "geometry").await;
    let mut feature = duct("D-POINT");
    feature["geometry"] = point(108.80, 15.11);
    refused(&app, "ducts", feature, "geometry").await;
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn self_intersecting_and_degenerate_lines() {
    let app = spawn_app().await;
    let mut feature = duct("D-BOWTIE");
    feature["geometry"] = line(&[
        [108.798, 15.110],
        [108.802, 15.114],
        [108.802, 15.110],
        [108.798, 15.114],
    ]);
    refused(&app, "ducts", feature, "geometry").await;
    let mut feature = duct("D-ONE-POINT");
    feature["geometry"] = line(&[[108.798, 15.110], [108.798, 15.110]]);
    refused(&app, "ducts", feature, "geometry").await;
    let mut feature = duct("D-GARBAGE");
    feature["geometry"] = json!({"type": "LineString", "coordinates": "north"});
    refused(&app, "ducts", feature, "geometry").await;
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn coordinates_outside_vietnam_swapped_or_projected() {
    let app = spawn_app().await;
    for (coordinates, expected) in [
        ([2.35, 48.85], "outside Vietnam"),
        ([15.115, 108.8], "swapped"),
        ([586_000.0, 1_671_000.0], "crs"),
    ] {
        let mut feature = tower("T-FAR");
        feature["geometry"] = point(coordinates[0], coordinates[1]);
        let reply = app.post_json("/api/v1/towers", &feature).await;
        assert_eq!(reply.status, 422, "{}", reply.text);
        assert!(
            reply.problems().iter().any(|p| p.contains(expected)),
            "{expected}: {:?}",
            reply.problems()
        );
    }
    // A declared CRS whose coordinates land outside Vietnam after conversion.
    let mut feature = tower("T-UTM-FAR");
    feature["geometry"] = point(500_000.0, 5_000_000.0);
    feature["crs"] = json!({"type": "name", "properties": {"name": "EPSG:3405"}});
    refused(&app, "towers", feature, "geometry").await;
    let mut feature = tower("T-BAD-CRS");
    feature["crs"] = json!({"type": "name", "properties": {"name": "EPSG:999999"}});
    refused(&app, "towers", feature, "geometry").await;
    let mut feature = tower("T-WORD-CRS");
    feature["crs"] = json!({"type": "name", "properties": {"name": "VN2000 please"}});
    refused(&app, "towers", feature, "crs").await;
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn out_of_range_numbers() {
    let app = spawn_app().await;
    for height in [0.0, -1.0, 300.5] {
        let mut feature = tower("T-HIGH");
        feature["properties"]["height_m"] = json!(height);
        refused(&app, "towers", feature, "height_m").await;
    }
    let mut feature = tower("T-ACC");
    feature["properties"]["accuracy_m"] = json!(-2);
    refused(&app, "towers", feature, "accuracy_m").await;
    let mut feature = duct("D-LAYERS");
    feature["properties"]["layers"] = json!(9);
    refused(&app, "ducts", feature, "layers").await;
    let mut feature = tower("T-ROOF");
    feature["properties"]["placement"] = json!("rooftop");
    feature["properties"]["tower_class"] = json!("A2a");
    refused(&app, "towers", feature, "host_building_height_m").await;
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields() {
    let app = spawn_app().await;
    let mut feature = tower("T-ENUM");
    feature["properties"]["tower_class"] = json!("A3");
    refused(&app, "towers", feature, "tower_class").await;
    let mut feature = tower("T-STATUS");
    feature["properties"]["status"] = json!("demolished");
    refused(&app, "towers", feature, "status").await;
    let mut feature = tower("T-FIELD");
    feature["properties"]["colour"] = json!("red");
    refused(&app, "towers", feature, "colour").await;
    let mut feature = tower("T-MEMBER");
    feature["extra"] = json!(1);
    refused(&app, "towers", feature, "extra").await;
    let mut feature = tower("T-COMPUTED");
    feature["properties"]["ward_code"] = json!("21019");
    refused(&app, "towers", feature, "ward_code").await;
    let mut feature = duct("D-PIPE");
    feature["properties"]["pipes"][2]["state"] = json!("flooded");
    refused(&app, "ducts", feature, "pipes[2].state").await;
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn references_that_do_not_exist() {
    let app = spawn_app().await;
    let mut feature = tower("T-OP");
    feature["properties"]["operator"] = json!("NOBODY");
    refused(&app, "towers", feature, "operator").await;
    refused(&app, "cables", cable("C-GHOST", &[999_999]), "carried_by").await;
    let tower_id = app.create("towers", &tower("T-REAL")).await;
    let mut underground = cable("C-UNDER", &[tower_id]);
    underground["properties"]["placement"] = json!("underground");
    refused(&app, "cables", underground, "carried_by").await;
    let mut feature = duct("D-OCC");
    feature["properties"]["pipes"][0]["occupant"] = json!("NOBODY");
    refused(&app, "ducts", feature, "pipes").await;
    assert_eq!(asset_count(&app).await, 1, "only the real tower was stored");
}

#[tokio::test]
async fn the_same_code_twice_for_one_operator() {
    let app = spawn_app().await;
    app.create("towers", &tower("T-DUP")).await;
    refused(&app, "towers", tower("T-DUP"), "code").await;
    // Another operator may use the same code.
    let mut other = tower("T-DUP");
    other["properties"]["operator"] = json!("VIETTEL");
    app.create("towers", &other).await;
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/towers"))
                .header("content-type", "application/json")
                .body("{\"type\": \"Feature\", "),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "malformed_request");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/towers"))
                .header("content-type", "text/plain")
                .body("hello"),
        )
        .await;
    assert_eq!(reply.status, 415);
    assert_eq!(reply.error_code(), "unsupported_media_type");
    let reply = app.post_json("/api/v1/towers", &json!([1, 2, 3])).await;
    assert_eq!(reply.status, 422);
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app().await;
    let mut feature = tower("T-BIG");
    feature["properties"]["note"] = json!("x".repeat(3 * 1024 * 1024));
    let reply = app.post_json("/api/v1/towers", &feature).await;
    assert_eq!(
        reply.status,
        413,
        "{}",
        &reply.text[..reply.text.len().min(300)]
    );
    assert_eq!(reply.error_code(), "payload_too_large");
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn bad_query_parameters_are_a_400() {
    let app = spawn_app().await;
    for query in [
        "bbox=1,2,3",
        "bbox=108.8,15.2,108.7,15.1",
        "status=broken",
        "limit=0",
        "limit=5000",
        "shared=maybe",
        "after=x",
        "colour=red",
    ] {
        let reply = app.get(&format!("/api/v1/poles?{query}")).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        assert_eq!(reply.error_code(), "malformed_request", "{query}");
    }
}

#[tokio::test]
async fn a_stale_version_is_a_409_and_changes_nothing() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("T-V")).await;
    let first = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 40.0}}),
            Some("\"1\""),
        )
        .await;
    assert_eq!(first.status, 200);
    let before: (i32, f64) =
        sqlx::query_as("select a.version, t.height_m from asset a join tower t on t.asset_id = a.id where a.id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let stale = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 30.0}}),
            Some("\"1\""),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.text);
    assert_eq!(stale.error_code(), "version_conflict");
    assert_eq!(
        stale.etag().as_deref(),
        Some("\"2\""),
        "the 409 tells the current version"
    );
    assert!(
        stale
            .problems()
            .iter()
            .any(|p| p.starts_with("height_m: changed from 42 to 40")),
        "{:?}",
        stale.problems()
    );
    let after: (i32, f64) =
        sqlx::query_as("select a.version, t.height_m from asset a join tower t on t.asset_id = a.id where a.id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(before, after);
    let stale_decommission = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/towers/{id}/decommission")))
                .header("If-Match", "\"1\""),
        )
        .await;
    assert_eq!(stale_decommission.status, 409);
    let status: String = sqlx::query_scalar("select status from asset where id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "operational");
    let garbage = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({}),
            Some("yesterday"),
        )
        .await;
    assert_eq!(garbage.status, 400);
}

#[tokio::test]
async fn an_invalid_patch_changes_nothing() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("T-P")).await;
    let reply = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 0, "code": null}}),
            None,
        )
        .await;
    assert_eq!(reply.status, 422);
    assert!(
        reply.has_problem("height_m") && reply.has_problem("code"),
        "{:?}",
        reply.problems()
    );
    let unchanged = app.get(&format!("/api/v1/towers/{id}")).await;
    assert_eq!(unchanged.body["properties"]["height_m"], 42.0);
    assert_eq!(unchanged.body["properties"]["version"], 1);
    assert_eq!(app.history(id).await.len(), 1);
}
