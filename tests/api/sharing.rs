//! Tenancies: who shares an asset, and how much capacity is left.

use serde_json::json;

use crate::fixtures::*;
use crate::support::spawn_app;

#[tokio::test]
async fn tenancies_count_and_use_capacity() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("T-S")).await; // capacity 3
    let tenancies = format!("/api/v1/assets/{id}/tenancies");
    let viettel = app
        .post_json(
            &tenancies,
            &json!({"tenant": "VIETTEL", "since": "2022-03-01", "capacity_used": 1,
        "contract_ref": "HĐ-2022/VNPT-VTL-001", "monthly_fee_vnd": 4500000}),
        )
        .await;
    assert_eq!(viettel.status, 201, "{}", viettel.text);
    app.post_json(
        &tenancies,
        &json!({"tenant": "MOBIFONE", "since": "2023-01-01", "capacity_used": 1}),
    )
    .await;
    // An ended tenancy does not count.
    app.post_json(
        &tenancies,
        &json!({"tenant": "FPT", "since": "2019-01-01", "until": "2020-12-31"}),
    )
    .await;

    let tower = app.get(&format!("/api/v1/towers/{id}")).await;
    let p = &tower.body["properties"];
    assert_eq!(p["tenant_count"], 2);
    assert_eq!(p["shared"], true);
    assert_eq!(p["free_capacity"], 1);
    assert_eq!(p["tenants"].as_array().unwrap().len(), 3);
    assert_eq!(p["version"], 4, "each tenancy change is a new version");

    // No room for two more slots.
    let full = app
        .post_json(
            &tenancies,
            &json!({"tenant": "FPT", "since": "2024-01-01", "capacity_used": 2}),
        )
        .await;
    assert_eq!(full.status, 422);
    assert!(full.has_problem("capacity_used"), "{:?}", full.problems());
    // The owner is not its own tenant.
    let owner = app
        .post_json(
            &tenancies,
            &json!({"tenant": "VNPT", "since": "2024-01-01"}),
        )
        .await;
    assert!(owner.has_problem("tenant"), "{:?}", owner.problems());
    // Viettel cannot hold two tenancies over the same days.
    let overlap = app
        .post_json(
            &tenancies,
            &json!({"tenant": "VIETTEL", "since": "2024-01-01"}),
        )
        .await;
    assert_eq!(overlap.status, 422, "{}", overlap.text);
    let backwards = app
        .post_json(
            &tenancies,
            &json!({"tenant": "FPT", "since": "2024-01-01", "until": "2023-01-01"}),
        )
        .await;
    assert!(backwards.has_problem("until"));
    let unknown = app
        .post_json(
            &tenancies,
            &json!({"tenant": "FPT", "since": "2024-01-01", "price": 5}),
        )
        .await;
    assert_eq!(unknown.status, 422);

    // Ending Viettel's tenancy frees its slot.
    let tenancy_id = viettel.body["id"].as_i64().unwrap();
    let ended = app
        .patch_json(
            &format!("{tenancies}/{tenancy_id}"),
            &json!({"until": "2024-06-30"}),
            None,
        )
        .await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    assert_eq!(ended.body["active"], false);
    let tower = app.get(&format!("/api/v1/towers/{id}")).await;
    assert_eq!(tower.body["properties"]["tenant_count"], 1);
    assert_eq!(tower.body["properties"]["free_capacity"], 2);
    let moved = app
        .patch_json(
            &format!("{tenancies}/{tenancy_id}"),
            &json!({"tenant": "FPT"}),
            None,
        )
        .await;
    assert!(moved.has_problem("tenant"));
}

#[tokio::test]
async fn tenancies_of_an_unknown_asset_are_a_404() {
    let app = spawn_app().await;
    let reply = app
        .post_json(
            "/api/v1/assets/987654/tenancies",
            &json!({"tenant": "FPT", "since": "2024-01-01"}),
        )
        .await;
    assert_eq!(reply.status, 404);
}
