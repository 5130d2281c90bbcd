//! Every change is recorded with its actor, time and before/after values.

use serde_json::json;

use crate::fixtures::*;
use crate::support::spawn_app;

#[tokio::test]
async fn every_change_writes_one_history_entry() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("T-H")).await;
    app.patch_json(
        &format!("/api/v1/towers/{id}"),
        &json!({"properties": {"status": "inactive"}}),
        Some("\"1\""),
    )
    .await;
    let tenancy = app
        .post_json(
            &format!("/api/v1/assets/{id}/tenancies"),
            &json!({"tenant": "VIETTEL", "since": "2024-01-01"}),
        )
        .await;
    assert_eq!(tenancy.status, 201, "{}", tenancy.text);
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/towers/{id}/decommission"))),
    )
    .await;

    let entries = app.history(id).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "update", "tenancy", "decommission"]);
    let versions: Vec<i64> = entries
        .iter()
        .map(|e| e["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 2, 3, 4]);
    for entry in &entries {
        assert_eq!(entry["actor"], "user:admin");
        assert!(entry["at"].as_str().is_some());
    }
    assert!(entries[0]["before"].is_null());
    assert_eq!(entries[0]["after"]["properties"]["status"], "operational");
    assert_eq!(entries[1]["before"]["properties"]["status"], "operational");
    assert_eq!(entries[1]["after"]["properties"]["status"], "inactive");
    assert_eq!(
        entries[1]["changes"],
        json!([{"field": "status", "before": "operational", "after": "inactive"}])
    );
    let tenancy_change = entries[2]["changes"].as_array().unwrap();
    assert!(
        tenancy_change.iter().any(|c| c["field"] == "tenancies"),
        "{tenancy_change:?}"
    );
    assert_eq!(
        entries[3]["after"]["properties"]["status"],
        "decommissioned"
    );
}

#[tokio::test]
async fn a_refused_change_writes_no_history() {
    let app = spawn_app().await;
    let id = app.create("poles", &pole("P-H", 108.8, 15.11)).await;
    app.patch_json(
        &format!("/api/v1/poles/{id}"),
        &json!({"properties": {"height_m": 99}}),
        None,
    )
    .await;
    app.patch_json(
        &format!("/api/v1/poles/{id}"),
        &json!({"properties": {"height_m": 9}}),
        Some("\"7\""),
    )
    .await;
    assert_eq!(app.history(id).await.len(), 1);
    let count: i64 = sqlx::query_scalar("select count(*) from asset_history")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn history_of_an_unknown_asset_is_a_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/v1/assets/424242/history").await.status, 404);
}

/// Changes that are not assets (registers, settings, accounts) go to the
/// change log with the person who made them, and never with a secret.
#[tokio::test]
async fn registers_settings_and_accounts_are_logged_with_their_actor() {
    let admin = spawn_app().await;
    let planner = admin.as_user("planner").await;
    let area = planner
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": "Phố ghi nhật ký", "target_year": 2027, "source_doc": "Kế hoạch (thử)",
                    "geometry": {"type": "LineString", "coordinates": [[108.797, 15.1150], [108.803, 15.1150]]}}),
        )
        .await;
    assert_eq!(area.status, 201, "{}", area.text);
    let area_id = area.body["id"].as_i64().unwrap();
    let renamed = planner
        .patch_json(
            &format!("/api/v1/undergrounding/areas/{area_id}"),
            &json!({"name": "Phố đã đổi tên"}),
            None,
        )
        .await;
    assert_eq!(renamed.status, 204, "{}", renamed.text);
    let removed = planner
        .send(
            planner
                .client
                .delete(planner.url(&format!("/api/v1/undergrounding/areas/{area_id}"))),
        )
        .await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    let user = admin
        .post_json(
            "/api/v1/users",
            &json!({"username": "nhat.ky", "display_name": "Người được ghi", "role": "planner", "scope": ["51"]}),
        )
        .await;
    assert_eq!(user.status, 201, "{}", user.text);

    let area_log: Vec<(
        String,
        String,
        Option<serde_json::Value>,
        Option<serde_json::Value>,
    )> = sqlx::query_as(
        "select action, actor, before, after from change_log
             where entity = 'undergrounding_area' and entity_key = $1 order by id",
    )
    .bind(area_id.to_string())
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = area_log.iter().map(|(a, ..)| a.as_str()).collect();
    assert_eq!(actions, ["insert", "update", "delete"]);
    assert!(
        area_log
            .iter()
            .all(|(_, actor, ..)| actor == "user:planner"),
        "{area_log:?}"
    );
    assert_eq!(area_log[1].2.as_ref().unwrap()["name"], "Phố ghi nhật ký");
    assert_eq!(area_log[1].3.as_ref().unwrap()["name"], "Phố đã đổi tên");
    assert!(area_log[2].3.is_none());

    let (actor, after): (String, serde_json::Value) = sqlx::query_as(
        "select actor, after from change_log where entity = 'app_user' and after ->> 'username' = 'nhat.ky'",
    )
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    assert_eq!(actor, "user:admin");
    assert_eq!(after["display_name"], "Người được ghi");
    assert!(after.get("password_hash").is_none(), "{after}");
}
