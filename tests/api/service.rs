//! The service around the API: health, OpenAPI description, unknown paths.

use crate::support::spawn_app;

#[tokio::test]
async fn health_reports_the_database() {
    let app = spawn_app().await;
    let reply = app.get("/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["database"], "ok");
}

#[tokio::test]
async fn the_openapi_description_covers_every_endpoint() {
    let app = spawn_app().await;
    let reply = app.get("/api/openapi.json").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = reply.body["paths"].as_object().unwrap();
    for collection in [
        "towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets",
    ] {
        for path in [
            format!("/api/v1/{collection}"),
            format!("/api/v1/{collection}/{{id}}"),
            format!("/api/v1/{collection}/{{id}}/decommission"),
        ] {
            assert!(paths.contains_key(&path), "{path} is described");
        }
    }
    for path in [
        "/api/v1/operators",
        "/api/v1/wards",
        "/api/v1/assets/{id}/history",
        "/health",
    ] {
        assert!(paths.contains_key(path), "{path} is described");
    }
    // Every $ref points at something that exists.
    let text = reply.text.clone();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = &reference[..reference.find('"').unwrap()];
        let pointer = target.trim_start_matches('#');
        assert!(
            reply.body.pointer(pointer).is_some(),
            "dangling reference {target}"
        );
    }
    let tower = &reply.body["components"]["schemas"]["Tower"];
    assert!(tower["properties"]["tower_class"].is_object(), "{tower}");
}

#[tokio::test]
async fn reference_data_is_served() {
    let app = spawn_app().await;
    let operators = app.get("/api/v1/operators").await;
    assert!(
        operators
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["code"] == "VIETTEL")
    );
    assert_eq!(app.get("/api/v1/operators/NOBODY").await.status, 404);
    let wards = app.get("/api/v1/wards?province=51").await;
    let names: Vec<&str> = wards.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Chánh Lộ", "Nghĩa Chánh"],
        "the dissolved ward is not listed today"
    );
    let old = app.get("/api/v1/wards?province=51&at=2015-06-01").await;
    assert_eq!(old.body["numberReturned"], 3);
    let ward = app.get("/api/v1/wards/21031").await;
    assert_eq!(ward.body["properties"]["tm3_meridian"], 108.0);
    assert_eq!(app.get("/api/v1/wards?at=yesterday").await.status, 400);
    let provinces = app.get("/api/v1/provinces").await;
    let names: Vec<&str> = provinces
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Quảng Ngãi"],
        "Kon Tum was merged into Quảng Ngãi in 2025"
    );
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/satellites").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
}
