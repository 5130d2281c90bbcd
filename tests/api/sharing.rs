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

/// Dates are Vietnam's on every connection, not the server clock's zone: from
/// 17:00 to midnight UTC the two disagree, and a tenancy declared "from today"
/// (Vietnam's today, as the web app sends it) was then not yet active to the
/// capacity rule, which let a second tenant overfill the pole.
#[tokio::test]
async fn dates_are_read_in_vietnam_on_every_connection() {
    let app = spawn_app().await;
    let (zone, evening, vietnam_new_year): (String, chrono::NaiveDate, i32) = sqlx::query_as(
        "select current_setting('TimeZone'),
                (timestamptz '2026-12-02 17:30:00+00')::date,
                extract(year from timestamptz '2026-12-31 17:30:00+00')::int",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(zone, hatang::database::VIETNAM_ZONE);
    assert_eq!(
        evening.to_string(),
        "2026-12-03",
        "17:30 UTC is 00:30 the next day in Hà Nội"
    );
    assert_eq!(
        vietnam_new_year, 2027,
        "a permit filed at 00:30 on 1 January is numbered in the new year"
    );
    // Read between two looks at Vietnam's clock, in case midnight falls between.
    let before = hatang::vn_time::today();
    let today: chrono::NaiveDate = sqlx::query_scalar("select current_date")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let after = hatang::vn_time::today();
    assert!(
        today == before || today == after,
        "the database's today ({today}) is Vietnam's ({before})"
    );

    // The capacity rule counts a tenancy from Vietnam's today at once.
    let id = app.create("towers", &tower("T-VN-DAY")).await; // capacity 3
    let tenancies = format!("/api/v1/assets/{id}/tenancies");
    let since = hatang::vn_time::today().to_string();
    let first = app
        .post_json(
            &tenancies,
            &json!({"tenant": "VIETTEL", "since": since, "capacity_used": 2}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let over = app
        .post_json(
            &tenancies,
            &json!({"tenant": "MOBIFONE", "since": since, "capacity_used": 2}),
        )
        .await;
    assert_eq!(over.status, 422, "{}", over.text);
    assert!(over.has_problem("capacity_used"), "{:?}", over.problems());

    // The history's day filter is Vietnam's day: today's change is in today, not tomorrow.
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let today = hatang::vn_time::today();
    let within = app
        .get(&format!(
            "/api/v1/history?from={}&to={}",
            day(today),
            day(today)
        ))
        .await;
    assert_eq!(within.status, 200, "{}", within.text);
    assert!(
        within.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["asset_id"] == id),
        "{}",
        within.text
    );
    let tomorrow = today.succ_opt().unwrap();
    let after = app
        .get(&format!("/api/v1/history?from={}", day(tomorrow)))
        .await;
    assert!(
        !after.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["asset_id"] == id),
        "{}",
        after.text
    );
}
