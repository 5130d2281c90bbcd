//! Administrative units over time, households and population, plans and
//! their progress: figures worked out by hand on a small fixture built here.

use chrono::NaiveDate;
use hatang::indicators::values::{FiledValue, record_combined, record_filed};
use hatang::policy::Principal;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

fn this_year() -> i32 {
    use chrono::Datelike;
    hatang::vn_time::today().year()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn square(west: f64, south: f64, east: f64, north: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]})
}

async fn unit_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("select id from admin_unit where gso_code = $1")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn operator_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("select id from operator where code = $1")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Chánh Lộ's three tổ dân phố, west to east, each a third of the ward, with
/// 100/400, 200/700 and 300/900 households/people as of 30/6/2026.
pub async fn three_neighbourhoods(app: &TestApp) -> (i64, [i64; 3]) {
    let ward = unit_id(app, "21031").await;
    let mut ids = [0; 3];
    let edges = [108.795, 108.801_666, 108.808_333, 108.815];
    for i in 0..3 {
        let reply = app
            .post_json(
                "/api/v1/admin-units",
                &json!({"level": "neighbourhood", "unit_type": "tổ dân phố", "name": format!("Tổ dân phố {}", i + 1),
                        "parent_id": ward, "valid_from": "2010-01-01",
                        "boundary": square(edges[i], 15.105, edges[i + 1], 15.125)}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.body["parent"]["name"], "Chánh Lộ");
        assert_eq!(reply.body["province"]["gso_code"], "51");
        ids[i] = reply.body["id"].as_i64().unwrap();
    }
    let rows: Vec<Value> = [(100, 400), (200, 700), (300, 900)]
        .iter()
        .zip(ids)
        .map(|((h, p), id)| json!({"unit_id": id, "as_of": "2026-06-30", "households": h, "population": p, "source": "Thống kê của phường (kiểm thử)"}))
        .collect();
    let reply = app
        .post_json(
            &format!("/api/v1/admin-units/{ward}/population"),
            &json!({"rows": rows}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    (ward, ids)
}

async fn file(app: &TestApp, indicator: &str, unit: i64, operator: &str, value: f64) {
    let operator_id = operator_id(app, operator).await;
    let mut conn = app.pool.acquire().await.unwrap();
    record_filed(
        &mut conn,
        &Principal::Public,
        &FiledValue {
            indicator: indicator.into(),
            unit_id: unit,
            as_of: day("2026-06-30"),
            operator_id,
            value,
            method: "form".into(),
            filing_id: Some(7),
            filing_version: Some(2),
            note: None,
        },
    )
    .await
    .unwrap();
}

async fn figure(app: &TestApp, unit: i64, indicator: &str, at: &str) -> Value {
    let reply = app
        .get(&format!(
            "/api/v1/admin-units/{unit}/figures?indicators={indicator}&at={at}"
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body[0]["figure"].clone()
}

#[tokio::test]
async fn coverage_shares_are_worked_out_by_hand_on_three_neighbourhood_units() {
    let app = spawn_app().await;
    let (ward, [t1, t2, t3]) = three_neighbourhoods(&app).await;
    // Households passed: the most any one operator passes, per tổ dân phố.
    file(&app, "fibre_households_passed", t1, "VNPT", 80.0).await;
    file(&app, "fibre_households_passed", t1, "VIETTEL", 90.0).await;
    file(&app, "fibre_households_passed", t2, "VNPT", 150.0).await;
    file(&app, "fibre_households_passed", t3, "VIETTEL", 60.0).await;
    // Subscriptions add up; a tổ dân phố nobody filed for has none.
    file(&app, "fibre_households_subscribed", t1, "VNPT", 40.0).await;
    file(&app, "fibre_households_subscribed", t1, "VIETTEL", 30.0).await;
    file(&app, "fibre_households_subscribed", t2, "VNPT", 100.0).await;
    // 5G: Hatang's union of the operators' polygons covers TDP 1 whole and half of TDP 2.
    let mut conn = app.pool.acquire().await.unwrap();
    record_combined(
        &mut conn,
        "population_covered_5g",
        t1,
        day("2026-06-30"),
        400.0,
        "area_weighted",
    )
    .await
    .unwrap();
    record_combined(
        &mut conn,
        "population_covered_5g",
        t2,
        day("2026-06-30"),
        350.0,
        "area_weighted",
    )
    .await
    .unwrap();
    record_combined(
        &mut conn,
        "population_covered_4g",
        t1,
        day("2026-06-30"),
        400.0,
        "area_weighted",
    )
    .await
    .unwrap();
    record_combined(
        &mut conn,
        "population_covered_4g",
        t2,
        day("2026-06-30"),
        350.0,
        "area_weighted",
    )
    .await
    .unwrap();
    drop(conn);

    // (90 + 150 + 60) / (100 + 200 + 300) = 50 %.
    let passed = figure(&app, ward, "fibre_households_passed_pct", "2026-11-30").await;
    assert_eq!(passed["value"], 50.0, "{passed}");
    assert_eq!(passed["numerator"], 300.0);
    assert_eq!(passed["denominator"], 600.0);
    assert_eq!(
        passed["provenance"]["operators"],
        json!(["VIETTEL", "VNPT"])
    );
    assert_eq!(passed["provenance"]["filings"], json!(["7 v2"]));
    assert_eq!(passed["provenance"]["as_of"], "2026-06-30");
    assert_eq!(passed["provenance"]["units_total"], 3);
    // (40 + 30 + 100 + 0) / 600 = 28.33 %.
    let subscribed = figure(&app, ward, "fibre_households_subscribed_pct", "2026-11-30").await;
    assert_eq!(subscribed["value"], 28.33, "{subscribed}");
    // (400 + 350 + 0) / (400 + 700 + 900) = 37.5 %, by area.
    let five_g = figure(&app, ward, "population_5g_covered_pct", "2026-11-30").await;
    assert_eq!(five_g["value"], 37.5, "{five_g}");
    assert_eq!(five_g["provenance"]["methods"], json!(["area_weighted"]));
    // Every tổ dân phố has some fibre; two of three have half their people in 4G/5G.
    let with_fibre = figure(&app, ward, "neighbourhoods_with_fibre_pct", "2026-11-30").await;
    assert_eq!(with_fibre["value"], 100.0);
    let with_mobile = figure(
        &app,
        ward,
        "neighbourhoods_with_mobile_broadband_pct",
        "2026-11-30",
    )
    .await;
    assert_eq!(with_mobile["value"], 66.67, "{with_mobile}");
    // Before anything was filed there is no figure.
    assert!(
        figure(&app, ward, "fibre_households_passed_pct", "2026-01-31")
            .await
            .is_null()
    );
    // One tổ dân phố alone: 90 of 100.
    assert_eq!(
        figure(&app, t1, "fibre_households_passed_pct", "2026-11-30").await["value"],
        90.0
    );

    // The coverage map: one Feature per tổ dân phố with its shares.
    let map = app
        .get(&format!(
            "/api/v1/admin-units/{ward}/coverage?at=2026-11-30"
        ))
        .await;
    assert_eq!(map.status, 200, "{}", map.text);
    let features = map.body["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    let second = features.iter().find(|f| f["id"] == t2).unwrap();
    assert_eq!(second["properties"]["fibre_households_passed_pct"], 75.0);
    assert_eq!(second["properties"]["population_5g_covered_pct"], 50.0);
    assert_eq!(second["properties"]["households"], 200);
    assert_eq!(second["geometry"]["type"], "MultiPolygon");
}

#[tokio::test]
async fn a_merged_unit_counts_its_predecessors_history() {
    let app = spawn_app().await;
    let province = unit_id(&app, "51").await;
    let ward = |name: &str, code: &str, west: f64| {
        json!({"level": "ward", "unit_type": "phường", "name": name, "gso_code": code, "parent_id": province,
               "valid_from": "2000-01-01", "boundary": square(west, 15.20, west + 0.01, 15.21)})
    };
    let a = app
        .post_json("/api/v1/admin-units", &ward("Phường A", "21901", 108.70))
        .await;
    let b = app
        .post_json("/api/v1/admin-units", &ward("Phường B", "21902", 108.71))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let (a, b) = (
        a.body["id"].as_i64().unwrap(),
        b.body["id"].as_i64().unwrap(),
    );
    // Before the merger each ward declared its smartphone share and counted households.
    for (unit, value, people) in [(a, 80.0, 3000), (b, 40.0, 1000)] {
        let reply = app
            .post_json(
                "/api/v1/indicator-values",
                &json!({"indicator": "adults_with_smartphone_pct", "unit_id": unit,
                "as_of": "2024-12-31", "value": value, "evidence": "Báo cáo khảo sát 2024"}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let reply = app
            .post_json(&format!("/api/v1/admin-units/{unit}/population"),
                &json!({"rows": [{"unit_id": unit, "as_of": "2024-12-31", "population": people, "households": people / 4, "source": "Niên giám"}]}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let c = app
        .post_json(
            "/api/v1/admin-units",
            &json!({"level": "ward", "unit_type": "phường", "name": "Phường C", "gso_code": "21903",
            "parent_id": province, "valid_from": "2025-07-01"}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.text);
    let c = c.body["id"].as_i64().unwrap();
    let merged = app
        .post_json(
            &format!("/api/v1/admin-units/{c}/merge"),
            &json!({"predecessors": [a, b], "on": "2025-07-01",
            "by": "Nghị quyết số 9999/NQ-UBTVQH15 (kiểm thử)", "union_boundary": true}),
        )
        .await;
    assert_eq!(merged.status, 200, "{}", merged.text);
    assert_eq!(merged.body["ended"].as_array().unwrap().len(), 2);
    let unit = &merged.body["unit"];
    assert_eq!(unit["predecessors"].as_array().unwrap().len(), 2);
    assert_eq!(unit["boundary_quality"], "official");
    assert!(
        (unit["area_km2"].as_f64().unwrap() - 2.0 * 1.07 * 1.11).abs() < 0.1,
        "{unit}"
    );
    let a_now = app.get(&format!("/api/v1/admin-units/{a}")).await;
    assert_eq!(a_now.body["valid_to"], "2025-06-30");
    assert_eq!(
        a_now.body["ended_by"],
        "Nghị quyết số 9999/NQ-UBTVQH15 (kiểm thử)"
    );
    assert_eq!(a_now.body["successors"][0]["id"], c);
    assert_eq!(a_now.body["current"], false);

    // C's 2024 figure is its predecessors', weighted by their people: (80·3000 + 40·1000) / 4000 = 70 %.
    let before = figure(&app, c, "adults_with_smartphone_pct", "2024-12-31").await;
    assert_eq!(before["value"], 70.0, "{before}");
    assert_eq!(
        before["provenance"]["predecessors"],
        json!(["Phường A", "Phường B"])
    );
    // Once C declares its own, that is its figure.
    let own = app
        .post_json(
            "/api/v1/indicator-values",
            &json!({"indicator": "adults_with_smartphone_pct", "unit_id": c,
            "as_of": "2026-06-30", "value": 85.0, "evidence": "Báo cáo 2026"}),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.text);
    assert_eq!(
        figure(&app, c, "adults_with_smartphone_pct", "2026-11-30").await["value"],
        85.0
    );

    // A plan of C: its trend reaches back into A's and B's time.
    let plan = app
        .post_json("/api/v1/plans", &json!({"issuer": "UBND phường C", "title": "Kế hoạch thử", "unit_id": c,
            "period_from": 2025, "period_to": 2030,
            "targets": [{"indicator": "adults_with_smartphone_pct", "target_value": 95.0, "year": 2030,
                         "sentence": "95% dân số ở độ tuổi trưởng thành có điện thoại thông minh."}]}))
        .await;
    assert_eq!(plan.status, 201, "{}", plan.text);
    let id = plan.body["id"].as_i64().unwrap();
    let progress = app
        .get(&format!("/api/v1/plans/{id}/progress?year=2026"))
        .await;
    assert_eq!(progress.status, 200, "{}", progress.text);
    let target = &progress.body["targets"][0];
    assert_eq!(target["value"], 85.0);
    assert_eq!(target["trend"][0]["year"], 2024);
    assert_eq!(target["trend"][0]["value"], 70.0);
    assert_eq!(target["trend"][0]["from_predecessors"], true);
    assert_eq!(
        target["trend"].as_array().unwrap().last().unwrap()["value"],
        85.0
    );
    assert_eq!(target["direction"], "improving");
    // From 70 in 2024 to 95 in 2030, 2026 expects 78.3: 85 is on track.
    assert_eq!(target["status"], "on_track", "{target}");
    assert_eq!(progress.body["lineage"].as_array().unwrap().len(), 3);

    // The staff of C take over the plans of the wards it replaced; staff of
    // another ward do not.
    let old_plan = app
        .post_json(
            "/api/v1/plans",
            &json!({"issuer": "UBND phường A", "title": "Kế hoạch của phường A", "unit_id": a,
            "period_from": 2024, "period_to": 2030,
            "tasks": [{"title": "Tuyên truyền", "lead": "Bộ phận Văn hóa - Thông tin"}]}),
        )
        .await;
    assert_eq!(old_plan.status, 201, "{}", old_plan.text);
    let (old_id, task) = (
        old_plan.body["id"].as_i64().unwrap(),
        old_plan.body["tasks"][0]["id"].as_i64().unwrap(),
    );
    let mut conn = app.pool.acquire().await.unwrap();
    hatang::accounts::users::create_user(
        &mut conn,
        hatang::accounts::users::NewUser {
            username: "canbo.c".into(),
            display_name: "Cán bộ phường C".into(),
            role: hatang::policy::Role::Reviewer,
            operator: None,
            scope: vec!["21903".into()],
            password: Some(crate::support::password_of("canbo.c")),
        },
    )
    .await
    .unwrap();
    drop(conn);
    let status = json!({"status": "in_progress"});
    let of_c = app.as_user("canbo.c").await;
    let update = of_c
        .patch_json(
            &format!("/api/v1/plans/{old_id}/tasks/{task}"),
            &status,
            None,
        )
        .await;
    assert_eq!(update.status, 200, "{}", update.text);
    let elsewhere = app.as_user("reviewer").await;
    assert_eq!(
        elsewhere
            .patch_json(
                &format!("/api/v1/plans/{old_id}/tasks/{task}"),
                &status,
                None
            )
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn the_demo_holds_the_2025_reorganisation_and_chanh_los_plan_progress() {
    let app = spawn_app().await;
    hatang::demo::load(&app.pool, true)
        .await
        .expect("the demo loads");
    let (valid_to, ended_by): (Option<NaiveDate>, Option<String>) =
        sqlx::query_as("select valid_to, ended_by from admin_unit where gso_code = '21031'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(valid_to, Some(day("2025-06-30")));
    assert!(ended_by.unwrap().contains("1677/NQ-UBTVQH15"));
    let successors: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "select u.name, u.gso_code, (select count(*) from admin_unit_predecessor p where p.unit_id = u.id)
         from admin_unit u where u.valid_from = '2025-07-01' and u.level = 'ward' order by u.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for expected in [
        ("Cẩm Thành", "21025", 4),
        ("Minh Long", "21361", 3),
        ("Quang Trung", "14818", 4),
        ("Sơn Mai", "21349", 2),
        ("Thủy Nguyên", "11560", 5),
        ("Trương Quang Trọng", "21172", 4),
    ] {
        assert!(
            successors.iter().any(|(n, c, k)| n == expected.0
                && c.as_deref() == Some(expected.1)
                && *k == expected.2),
            "{expected:?} in {successors:?}"
        );
    }
    // Every asset lies in a ward valid today.
    let outside: i64 = sqlx::query_scalar(
        "select count(*) from asset a join admin_unit w on w.id = a.ward_id where w.valid_to is not null")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(outside, 0);
    // Every seed area has its plan, and every target of Chánh Lộ's has a figure in 2026.
    let plans: Vec<String> = sqlx::query_scalar(
        "select u.name from plan p join admin_unit u on u.id = p.unit_id order by u.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        plans,
        [
            "Chánh Lộ",
            "Minh Long",
            "Phú Sơn",
            "Thủy Nguyên",
            "Trương Quang Trọng"
        ]
    );
    let (plan, chanh_lo): (i64, i64) = sqlx::query_as(
        "select p.id, p.unit_id from plan p join admin_unit u on u.id = p.unit_id where u.gso_code = '21031'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let targets = hatang::plans::store::targets(&mut conn, plan)
        .await
        .unwrap();
    assert_eq!(targets.len(), 13);
    let (progress, summary) = hatang::plans::progress::assess(
        &mut conn,
        &targets,
        chanh_lo,
        2026,
        2022,
        day("2026-12-01"),
    )
    .await
    .unwrap();
    assert_eq!(summary.no_data, 0, "{progress:#?}");
    assert!(summary.met >= 1 && summary.behind >= 1, "{summary:?}");
    for target in &progress {
        let provenance = target.provenance.as_ref().unwrap();
        assert!(
            provenance.synthetic,
            "{} is demo data and says so",
            target.indicator
        );
        assert!(!target.trend.is_empty());
    }
    // Cẩm Thành counts Chánh Lộ's tổ dân phố.
    let cam_thanh: i64 = sqlx::query_scalar(
        "select id from admin_unit where gso_code = '21025' and valid_from = '2025-07-01'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let parts: i64 =
        sqlx::query_scalar("select count(*) from admin_unit_neighbourhoods($1, '2026-12-01')")
            .bind(cam_thanh)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(parts, 12);
}

#[tokio::test]
async fn progress_shows_every_target_with_value_gap_light_and_source() {
    let app = spawn_app().await;
    let (ward, [t1, t2, t3]) = three_neighbourhoods(&app).await;
    for (unit, passed) in [(t1, 90.0), (t2, 150.0), (t3, 60.0)] {
        file(&app, "fibre_households_passed", unit, "VNPT", passed).await;
    }
    // Two towers in Chánh Lộ; Viettel shares one.
    let shared = app.create("towers", &tower("T-SHARED")).await;
    app.create("towers", &tower("T-ALONE")).await;
    let tenancy = app
        .post_json(
            &format!("/api/v1/assets/{shared}/tenancies"),
            &json!({"tenant": "VIETTEL", "since": "2024-01-01"}),
        )
        .await;
    assert_eq!(tenancy.status, 201, "{}", tenancy.text);
    let plan = app
        .post_json("/api/v1/plans", &json!({
            "issuer": "UBND phường Chánh Lộ", "title": "Kế hoạch phát triển hạ tầng số phường Chánh Lộ đến năm 2025 và định hướng đến năm 2030",
            "unit_id": ward, "period_from": 2025, "period_to": 2030,
            "targets": [
                {"indicator": "fibre_households_passed_pct", "target_value": 80.0, "year": this_year(), "section": "II.1.2",
                 "sentence": "80% các hộ gia đình có kết nối Internet băng rộng cố định cáp quang."},
                {"indicator": "towers_shared_pct", "target_value": 40.0, "year": 2030, "sentence": "Tăng cường dùng chung hạ tầng."},
                {"indicator": "adults_with_smartphone_pct", "target_value": 80.0, "year": 2025, "sentence": "80% dân số ở độ tuổi trưởng thành có điện thoại thông minh."}],
            "tasks": [
                {"code": "1", "title": "Phổ cập dịch vụ viễn thông băng rộng", "lead": "Bộ phận Văn hóa - Thông tin", "due_on": "2025-12-31"},
                {"code": "2", "title": "Triển khai cáp quang đến các tổ dân phố", "lead": "Các doanh nghiệp viễn thông", "operators_lead": true, "due_text": "2025-2030", "due_on": "2030-12-31"}],
            "duties": [
                {"reporter": "Các ban ngành, bộ phận chuyên môn", "recipient": "UBND phường (qua bộ phận Văn hóa - Thông tin)",
                 "what": "Báo cáo kết quả triển khai thực hiện", "due_day": 1, "due_month": 12},
                {"reporter": "UBND phường", "recipient": "UBND thành phố", "what": "Báo cáo kết quả phát triển hạ tầng số",
                 "due_day": 5, "due_month": 12, "reporter_kind": "unit"}]}))
        .await;
    assert_eq!(plan.status, 201, "{}", plan.text);
    let id = plan.body["id"].as_i64().unwrap();
    let year = this_year();
    assert_eq!(
        plan.body["duties"][0]["deadline"].as_str().unwrap()[5..],
        *"11-30"
    );
    assert_eq!(
        plan.body["tasks"][0]["overdue"], true,
        "due 31/12/2025 and not done"
    );
    assert_eq!(plan.body["tasks"][1]["overdue"], false);

    // This year: registry figures are counted live.
    let progress = app
        .get(&format!("/api/v1/plans/{id}/progress?year={year}"))
        .await;
    assert_eq!(progress.status, 200, "{}", progress.text);
    let targets = progress.body["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3);
    let fibre = &targets[0];
    assert_eq!(fibre["value"], 50.0);
    assert_eq!(fibre["gap"], 30.0);
    assert_eq!(fibre["status"], "behind", "the target year has come");
    assert_eq!(fibre["light"], "red");
    assert_eq!(fibre["source"], "filed");
    assert_eq!(fibre["provenance"]["operators"], json!(["VNPT"]));
    assert_eq!(
        fibre["provenance"]["population_sources"],
        json!(["Thống kê của phường (kiểm thử) (30/06/2026)"])
    );
    let towers = &targets[1];
    assert_eq!(
        towers["value"], 50.0,
        "one of two towers is shared: {towers}"
    );
    assert_eq!(towers["status"], "met");
    assert_eq!(towers["light"], "green");
    assert_eq!(towers["provenance"]["methods"], json!(["registry"]));
    let phones = &targets[2];
    assert!(phones["value"].is_null());
    assert_eq!(phones["light"], "grey");
    assert_eq!(
        progress.body["summary"],
        json!({"met": 1, "on_track": 0, "at_risk": 0, "behind": 1, "no_data": 1})
    );

    // Progress for one tổ dân phố of the plan's ward.
    let one = app
        .get(&format!(
            "/api/v1/plans/{id}/progress?year={year}&unit={t1}"
        ))
        .await;
    assert_eq!(one.body["targets"][0]["value"], 90.0);
    assert_eq!(one.body["targets"][0]["status"], "met");

    // The task board: the overdue one, then its status and a note.
    let overdue = app
        .get(&format!("/api/v1/plans/{id}/tasks?overdue=true"))
        .await;
    assert_eq!(overdue.body.as_array().unwrap().len(), 1);
    let task = overdue.body[0]["id"].as_i64().unwrap();
    let done = app
        .patch_json(&format!("/api/v1/plans/{id}/tasks/{task}"),
            &json!({"status": "done", "evidence": "Báo cáo số 15/BC-VHTT", "note": "Đã hoàn thành trong quý IV/2025"}), None)
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["overdue"], false);
    assert_eq!(done.body["notes"], 1);
    let stale = app
        .patch_json(
            &format!("/api/v1/plans/{id}/tasks/{task}"),
            &json!({"status": "in_progress", "version": 1}),
            None,
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.text);
    let bad = app
        .patch_json(
            &format!("/api/v1/plans/{id}/tasks/{task}"),
            &json!({"status": "finished", "note": ""}),
            None,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.has_problem("status") && bad.has_problem("note"),
        "{:?}",
        bad.problems()
    );
}

#[tokio::test]
async fn bad_plans_get_every_problem_at_once() {
    let app = spawn_app().await;
    let ward = unit_id(&app, "21031").await;
    let reply = app
        .post_json("/api/v1/plans", &json!({"issuer": "", "title": "Kế hoạch", "unit_id": ward, "period_from": 2030, "period_to": 2025,
            "targets": [{"indicator": "no_such_indicator", "target_value": 80.0, "year": 2025, "sentence": "x"},
                        {"indicator": "population_5g_covered_pct", "target_value": 140.0, "year": 2030, "sentence": ""}],
            "duties": [{"reporter": "A", "recipient": "B", "what": "C", "due_day": 31, "due_month": 2}]}))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    for field in [
        "issuer",
        "period_to",
        "targets[0].indicator",
        "targets[1].target_value",
        "targets[1].sentence",
        "duties[0].due_day",
    ] {
        assert!(
            reply.has_problem(field),
            "{field} in {:?}",
            reply.problems()
        );
    }
    let missing = app
        .post_json("/api/v1/plans", &json!({"issuer": "UBND", "title": "K", "unit_id": 999999, "period_from": 2025, "period_to": 2030}))
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
}

#[tokio::test]
async fn who_may_change_units_population_plans_tasks_and_declared_values() {
    let admin = spawn_app().await;
    let (ward, [t1, ..]) = three_neighbourhoods(&admin).await;
    let province = unit_id(&admin, "51").await;
    let reviewer = admin.as_user("reviewer").await;
    let planner = admin.as_user("planner").await;
    let vnpt = admin.as_user("vnpt").await;
    let public = admin.anonymous();

    // Wards and provinces: admins; tổ dân phố: ward staff in scope.
    let new_ward = json!({"level": "ward", "unit_type": "phường", "name": "Phường mới", "parent_id": province, "valid_from": "2025-07-01"});
    assert_eq!(
        reviewer
            .post_json("/api/v1/admin-units", &new_ward)
            .await
            .status,
        403
    );
    assert_eq!(
        planner
            .post_json("/api/v1/admin-units", &new_ward)
            .await
            .status,
        403
    );
    assert_eq!(
        public
            .post_json("/api/v1/admin-units", &new_ward)
            .await
            .status,
        401
    );
    let tdp = json!({"level": "neighbourhood", "unit_type": "tổ dân phố", "name": "Tổ dân phố 9", "parent_id": ward, "valid_from": "2026-01-01"});
    assert_eq!(
        reviewer.post_json("/api/v1/admin-units", &tdp).await.status,
        201
    );
    assert_eq!(
        vnpt.post_json("/api/v1/admin-units", &tdp).await.status,
        403
    );
    let other_ward = unit_id(&admin, "21019").await;
    let elsewhere = json!({"level": "neighbourhood", "unit_type": "tổ dân phố", "name": "Tổ 1", "parent_id": other_ward, "valid_from": "2026-01-01"});
    assert_eq!(
        reviewer
            .post_json("/api/v1/admin-units", &elsewhere)
            .await
            .status,
        403,
        "Nghĩa Chánh is not the reviewer's"
    );
    assert_eq!(
        planner
            .post_json("/api/v1/admin-units", &elsewhere)
            .await
            .status,
        201,
        "the planner has the province"
    );
    assert_eq!(
        reviewer
            .patch_json(
                &format!("/api/v1/admin-units/{t1}"),
                &json!({"name": "Tổ dân phố Một"}),
                None
            )
            .await
            .status,
        200
    );
    assert_eq!(
        reviewer
            .patch_json(
                &format!("/api/v1/admin-units/{ward}"),
                &json!({"name": "Chánh Lộ mới"}),
                None
            )
            .await
            .status,
        403
    );
    // Reading units is for everyone.
    assert_eq!(
        public
            .get(&format!("/api/v1/admin-units?parent={ward}"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        4
    );

    // Plans: planners in scope; tasks: ward staff; notes: operators on the operators' tasks.
    let plan = json!({"issuer": "UBND phường Chánh Lộ", "title": "Kế hoạch", "unit_id": ward, "period_from": 2025, "period_to": 2030,
        "tasks": [{"title": "Cáp quang đến các tổ dân phố", "lead": "Các doanh nghiệp viễn thông", "operators_lead": true},
                  {"title": "Tuyên truyền", "lead": "Bộ phận Văn hóa - Thông tin"}]});
    assert_eq!(reviewer.post_json("/api/v1/plans", &plan).await.status, 403);
    assert_eq!(vnpt.post_json("/api/v1/plans", &plan).await.status, 403);
    let created = planner.post_json("/api/v1/plans", &plan).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let operators_task = created.body["tasks"][0]["id"].as_i64().unwrap();
    let ward_task = created.body["tasks"][1]["id"].as_i64().unwrap();
    assert_eq!(public.get(&format!("/api/v1/plans/{id}")).await.status, 401);
    assert_eq!(
        vnpt.get(&format!("/api/v1/plans/{id}/progress"))
            .await
            .status,
        200
    );
    assert_eq!(
        reviewer
            .patch_json(
                &format!("/api/v1/plans/{id}"),
                &json!({"number": "12/KH-UBND"}),
                None
            )
            .await
            .status,
        403
    );
    assert_eq!(
        planner
            .patch_json(
                &format!("/api/v1/plans/{id}"),
                &json!({"number": "12/KH-UBND"}),
                None
            )
            .await
            .status,
        200
    );
    let status = json!({"status": "in_progress"});
    assert_eq!(
        reviewer
            .patch_json(
                &format!("/api/v1/plans/{id}/tasks/{ward_task}"),
                &status,
                None
            )
            .await
            .status,
        200
    );
    assert_eq!(
        vnpt.patch_json(
            &format!("/api/v1/plans/{id}/tasks/{operators_task}"),
            &status,
            None
        )
        .await
        .status,
        403
    );
    let note = json!({"note": "Đã kéo cáp quang đến TDP 1, 2", "evidence": "Biên bản nghiệm thu"});
    assert_eq!(
        vnpt.post_json(
            &format!("/api/v1/plans/{id}/tasks/{operators_task}/notes"),
            &note
        )
        .await
        .status,
        201
    );
    assert_eq!(
        vnpt.post_json(
            &format!("/api/v1/plans/{id}/tasks/{ward_task}/notes"),
            &note
        )
        .await
        .status,
        403
    );

    // Declared values: ward staff in scope, with evidence.
    let declared = json!({"indicator": "adults_with_smartphone_pct", "unit_id": ward, "as_of": "2026-11-20", "value": 84.5,
                          "evidence": "Báo cáo khảo sát của bộ phận Văn hóa - Thông tin"});
    assert_eq!(
        vnpt.post_json("/api/v1/indicator-values", &declared)
            .await
            .status,
        403
    );
    assert_eq!(
        public
            .post_json("/api/v1/indicator-values", &declared)
            .await
            .status,
        401
    );
    assert_eq!(
        reviewer
            .post_json("/api/v1/indicator-values", &declared)
            .await
            .status,
        201
    );
    let filed_kind = json!({"indicator": "fibre_households_passed", "unit_id": ward, "as_of": "2026-11-20", "value": 10.0, "evidence": "x"});
    assert_eq!(
        reviewer
            .post_json("/api/v1/indicator-values", &filed_kind)
            .await
            .status,
        422,
        "operators file that"
    );
    // Population: ward staff in scope.
    let rows = json!({"rows": [{"unit_id": t1, "as_of": "2026-11-01", "households": 101, "population": 402, "source": "Thống kê"}]});
    assert_eq!(
        vnpt.post_json(&format!("/api/v1/admin-units/{ward}/population"), &rows)
            .await
            .status,
        403
    );
    assert_eq!(
        reviewer
            .post_json(&format!("/api/v1/admin-units/{ward}/population"), &rows)
            .await
            .status,
        200
    );

    // Every change is in the change log with who made it.
    let logged: Vec<(String, String)> = sqlx::query_as(
        "select entity, actor from change_log where entity in ('admin_unit', 'plan', 'plan_task', 'plan_task_note', 'indicator_value', 'unit_population')
         and actor <> 'system' order by id")
        .fetch_all(&admin.pool)
        .await
        .unwrap();
    for (entity, actor) in [
        ("admin_unit", "user:reviewer"),
        ("plan", "user:planner"),
        ("plan_task", "user:reviewer"),
        ("plan_task_note", "user:vnpt"),
        ("indicator_value", "user:reviewer"),
        ("unit_population", "user:reviewer"),
    ] {
        assert!(
            logged.iter().any(|(e, a)| e == entity && a == actor),
            "{entity} by {actor} in {logged:?}"
        );
    }
}

#[tokio::test]
async fn the_wards_statistics_sheet_is_read_with_its_vietnamese_headers() {
    let app = spawn_app().await;
    let (ward, _) = three_neighbourhoods(&app).await;
    let upload = |body: &'static str, query: &str| {
        let app = app.clone();
        let url = app.url(&format!(
            "/api/v1/admin-units/{ward}/population/import?file_name=thong-ke.csv&{query}"
        ));
        async move {
            app.send(
                app.client
                    .post(url)
                    .header("content-type", "application/octet-stream")
                    .body(body),
            )
            .await
        }
    };
    let sheet = "STT,Tổ dân phố,Số hộ,Số nhân khẩu\n1,Tổ dân phố 1,\"1.012\",\"4.100\"\n2,TDP 2,210,690\n3,Tổ 3,305,920\n4,Tổ dân phố 4,50,180\n,Tổng cộng,1577,5890\n";
    // Tổ dân phố 4 is unknown: reported, nothing written.
    let first = upload(sheet, "as_of=2026-10-31").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["written"], false);
    assert_eq!(
        first.body["problems"].as_array().unwrap().len(),
        1,
        "{}",
        first.text
    );
    assert_eq!(first.body["problems"][0]["row"], 4);
    // With create_missing it is added and every row is recorded.
    let second = upload(
        sheet,
        "as_of=2026-10-31&create_missing=true&source=Bảng thống kê tháng 10/2026",
    )
    .await;
    assert_eq!(second.body["written"], true, "{}", second.text);
    assert_eq!(second.body["recorded"], 4);
    assert_eq!(second.body["created_units"], json!(["Tổ dân phố 4"]));
    let rows = app
        .get(&format!("/api/v1/admin-units/{ward}/population"))
        .await;
    let first_row = rows
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_name"] == "Tổ dân phố 1" && r["as_of"] == "2026-10-31")
        .unwrap();
    assert_eq!(first_row["households"], 1012);
    assert_eq!(first_row["population"], 4100);
    assert_eq!(first_row["source"], "Bảng thống kê tháng 10/2026");
    // Every problem of a bad sheet, by row.
    let bad = upload(
        "Tổ dân phố,Số hộ,Số nhân khẩu\nTổ dân phố 1,abc,400\nTổ dân phố 2,800,700\n",
        "as_of=2026-10-31",
    )
    .await;
    let problems: Vec<(i64, String)> = bad.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(problems.contains(&(1, "households".into())), "{problems:?}");
    assert!(
        problems.contains(&(2, "households".into())),
        "more households than people: {problems:?}"
    );
    assert_eq!(bad.body["written"], false);
}

#[tokio::test]
async fn boundaries_are_imported_from_a_file_by_name() {
    let app = spawn_app().await;
    let (ward, _) = three_neighbourhoods(&app).await;
    let file = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ten": "TDP 1"}, "geometry": square(108.795, 15.105, 108.80, 15.125)},
        {"type": "Feature", "properties": {"ten": "Tổ dân phố 2"}, "geometry": square(108.80, 15.105, 108.81, 15.125)},
        {"type": "Feature", "properties": {"ten": "Tổ dân phố 7"}, "geometry": square(108.81, 15.105, 108.815, 15.125)}]});
    let url = |dry: bool| {
        app.url(&format!("/api/v1/admin-units/boundaries?file_name=ranh-gioi.geojson&level=neighbourhood&parent={ward}&dry_run={dry}"))
    };
    let reply = app
        .send(
            app.client
                .post(url(false))
                .header("content-type", "application/octet-stream")
                .body(file.to_string()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["written"], false, "Tổ dân phố 7 does not exist");
    assert_eq!(reply.body["matched"].as_array().unwrap().len(), 2);
    assert_eq!(reply.body["problems"][0]["row"], 3);
    let mut two = file.clone();
    two["features"].as_array_mut().unwrap().pop();
    let reply = app
        .send(
            app.client
                .post(url(false))
                .header("content-type", "application/octet-stream")
                .body(two.to_string()),
        )
        .await;
    assert_eq!(reply.body["written"], true, "{}", reply.text);
    let units = app.get(&format!("/api/v1/admin-units?parent={ward}")).await;
    let first = units
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "Tổ dân phố 1")
        .unwrap();
    assert_eq!(first["boundary_source"], "ranh-gioi.geojson");
    assert!(
        (first["area_km2"].as_f64().unwrap() - 0.537 * 2.21).abs() < 0.05,
        "{first}"
    );
}

/// The plans' endpoints for the access matrix (`access.rs`): method, path,
/// and the status of public, admin, reviewer (Chánh Lộ), planner (Quảng
/// Ngãi), VNPT member, Viettel member, VNPT token.
pub const ACCESS: &[(&str, &str, [u16; 7])] = &[
    ("GET", "/api/v1/admin-units", [200; 7]),
    (
        "POST",
        "/api/v1/admin-units",
        [401, 201, 403, 403, 403, 403, 403],
    ),
    ("GET", "/api/v1/admin-units/{id}", [200; 7]),
    ("PATCH", "/api/v1/admin-units/{id}", WARD_STAFF_WRITES),
    ("POST", "/api/v1/admin-units/{id}/merge", WARD_STAFF_WRITES),
    ("POST", "/api/v1/admin-units/boundaries", WARD_STAFF_WRITES),
    ("GET", "/api/v1/admin-units/{id}/population", LOGGED_IN),
    (
        "POST",
        "/api/v1/admin-units/{id}/population",
        WARD_STAFF_WRITES,
    ),
    (
        "POST",
        "/api/v1/admin-units/{id}/population/import",
        WARD_STAFF_WRITES,
    ),
    (
        "POST",
        "/api/v1/admin-units/{id}/household-points",
        WARD_STAFF_WRITES,
    ),
    ("GET", "/api/v1/admin-units/{id}/figures", LOGGED_IN),
    ("GET", "/api/v1/admin-units/{id}/coverage", LOGGED_IN),
    ("GET", "/api/v1/indicators", [200; 7]),
    ("GET", "/api/v1/indicator-values", LOGGED_IN),
    ("POST", "/api/v1/indicator-values", WARD_STAFF_CREATES),
    (
        "DELETE",
        "/api/v1/indicator-values/{id}",
        [401, 204, 204, 204, 403, 403, 403],
    ),
    ("POST", "/api/v1/indicator-evidence", WARD_STAFF_CREATES),
    ("GET", "/api/v1/indicator-evidence/{id}", LOGGED_IN),
    ("GET", "/api/v1/plans", LOGGED_IN),
    ("POST", "/api/v1/plans", PLANNER_CREATES),
    ("GET", "/api/v1/plans/{id}", LOGGED_IN),
    ("PATCH", "/api/v1/plans/{id}", PLANNER_WRITES),
    (
        "DELETE",
        "/api/v1/plans/{id}",
        [401, 204, 403, 204, 403, 403, 403],
    ),
    ("GET", "/api/v1/plans/{id}/progress", LOGGED_IN),
    ("POST", "/api/v1/plans/{id}/targets", PLANNER_CREATES),
    (
        "PATCH",
        "/api/v1/plans/{id}/targets/{target_id}",
        PLANNER_WRITES,
    ),
    (
        "DELETE",
        "/api/v1/plans/{id}/targets/{target_id}",
        [401, 204, 403, 204, 403, 403, 403],
    ),
    ("GET", "/api/v1/plans/{id}/tasks", LOGGED_IN),
    ("POST", "/api/v1/plans/{id}/tasks", PLANNER_CREATES),
    (
        "PATCH",
        "/api/v1/plans/{id}/tasks/{task_id}",
        WARD_STAFF_WRITES,
    ),
    ("GET", "/api/v1/plans/{id}/tasks/{task_id}/notes", LOGGED_IN),
    (
        "POST",
        "/api/v1/plans/{id}/tasks/{task_id}/notes",
        [401, 201, 201, 201, 201, 201, 201],
    ),
    ("POST", "/api/v1/plans/{id}/duties", PLANNER_CREATES),
    (
        "PATCH",
        "/api/v1/plans/{id}/duties/{duty_id}",
        PLANNER_WRITES,
    ),
    (
        "DELETE",
        "/api/v1/plans/{id}/duties/{duty_id}",
        [401, 204, 403, 204, 403, 403, 403],
    ),
    ("POST", "/api/v1/plans/{id}/documents", PLANNER_CREATES),
    (
        "GET",
        "/api/v1/plans/{id}/documents/{document_id}",
        LOGGED_IN,
    ),
];

const LOGGED_IN: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];
const WARD_STAFF_WRITES: [u16; 7] = [401, 200, 200, 200, 403, 403, 403];
const WARD_STAFF_CREATES: [u16; 7] = [401, 201, 201, 201, 403, 403, 403];
const PLANNER_CREATES: [u16; 7] = [401, 201, 403, 201, 403, 403, 403];
const PLANNER_WRITES: [u16; 7] = [401, 200, 403, 200, 403, 403, 403];

/// A request of the access matrix: a JSON request to make, or the status of
/// one already made (file uploads).
pub enum Prepared {
    Json(String, Option<Value>),
    Status(u16),
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::SeqCst))
}

/// A fresh tổ dân phố of Chánh Lộ, made by the admin.
async fn fresh_neighbourhood(admin: &TestApp) -> i64 {
    let ward = unit_id(admin, "21031").await;
    let reply = admin
        .post_json(
            "/api/v1/admin-units",
            &json!({"level": "neighbourhood", "unit_type": "tổ dân phố",
            "name": unique("Tổ dân phố M"), "parent_id": ward, "valid_from": "2010-01-01"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// A fresh plan of Chánh Lộ with a target, an operators' task and a duty.
async fn fresh_plan(admin: &TestApp) -> Value {
    let ward = unit_id(admin, "21031").await;
    let reply = admin
        .post_json("/api/v1/plans", &json!({"issuer": "UBND phường Chánh Lộ", "title": unique("Kế hoạch "), "unit_id": ward,
            "period_from": 2025, "period_to": 2030,
            "targets": [{"indicator": "towers_shared_pct", "target_value": 40.0, "year": 2030, "sentence": "Dùng chung hạ tầng."}],
            "tasks": [{"title": "Cáp quang đến các tổ dân phố", "lead": "Các doanh nghiệp viễn thông", "operators_lead": true}],
            "duties": [{"reporter": "Các bộ phận", "recipient": "UBND phường", "what": "Báo cáo", "due_day": 1, "due_month": 12}]}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn upload(app: &TestApp, path: &str, body: Vec<u8>) -> u16 {
    let request = app
        .client
        .post(app.url(path))
        .header("content-type", "application/octet-stream")
        .body(body);
    app.send(request).await.status
}

/// Prepares a request of the matrix for `app`, making what it needs as the admin.
pub async fn prepare(method: &str, path: &str, app: &TestApp, admin: &TestApp) -> Option<Prepared> {
    let ward = unit_id(admin, "21031").await;
    let province = unit_id(admin, "51").await;
    let json_to = |path: String, body: Option<Value>| Some(Prepared::Json(path, body));
    match (method, path) {
        ("GET", "/api/v1/admin-units") => {
            json_to(format!("/api/v1/admin-units?parent={ward}"), None)
        }
        ("POST", "/api/v1/admin-units") => json_to(
            path.into(),
            Some(json!({"level": "ward", "unit_type": "phường",
            "name": unique("Phường M"), "parent_id": province, "valid_from": "2025-07-01"})),
        ),
        ("GET", "/api/v1/admin-units/{id}") => json_to(format!("/api/v1/admin-units/{ward}"), None),
        ("PATCH", "/api/v1/admin-units/{id}") => json_to(
            format!("/api/v1/admin-units/{}", fresh_neighbourhood(admin).await),
            Some(json!({"name": unique("Tổ dân phố đổi tên ")})),
        ),
        ("POST", "/api/v1/admin-units/{id}/merge") => {
            let (a, b) = (
                fresh_neighbourhood(admin).await,
                fresh_neighbourhood(admin).await,
            );
            let into = admin
                .post_json("/api/v1/admin-units", &json!({"level": "neighbourhood", "unit_type": "tổ dân phố",
                    "name": unique("Tổ dân phố gộp "), "parent_id": ward, "valid_from": "2026-01-01"}))
                .await;
            let into = into.body["id"].as_i64().unwrap();
            json_to(
                format!("/api/v1/admin-units/{into}/merge"),
                Some(
                    json!({"predecessors": [a, b], "on": "2026-01-01", "by": "Quyết định của UBND phường (kiểm thử)"}),
                ),
            )
        }
        ("POST", "/api/v1/admin-units/boundaries") => {
            let name = {
                let id = fresh_neighbourhood(admin).await;
                admin.get(&format!("/api/v1/admin-units/{id}")).await.body["name"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            let file = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ten": name},
                "geometry": square(108.80, 15.11, 108.801, 15.111)}]});
            Some(Prepared::Status(upload(app, &format!(
                "/api/v1/admin-units/boundaries?file_name=rg.geojson&level=neighbourhood&parent={ward}&dry_run=true"),
                file.to_string().into_bytes()).await))
        }
        ("GET", "/api/v1/admin-units/{id}/population") => {
            json_to(format!("/api/v1/admin-units/{ward}/population"), None)
        }
        ("POST", "/api/v1/admin-units/{id}/population") => json_to(
            format!("/api/v1/admin-units/{ward}/population"),
            Some(
                json!({"rows": [{"unit_id": ward, "as_of": "2026-06-30", "households": 5000, "population": 18000, "source": "Thống kê"}]}),
            ),
        ),
        ("POST", "/api/v1/admin-units/{id}/population/import") => {
            let id = fresh_neighbourhood(admin).await;
            let name = admin.get(&format!("/api/v1/admin-units/{id}")).await.body["name"]
                .as_str()
                .unwrap()
                .to_string();
            Some(Prepared::Status(upload(app, &format!(
                "/api/v1/admin-units/{ward}/population/import?file_name=tk.csv&as_of=2026-06-30&dry_run=true"),
                format!("Tổ dân phố,Số hộ,Số nhân khẩu\n{name},100,400\n").into_bytes()).await))
        }
        ("POST", "/api/v1/admin-units/{id}/household-points") => {
            let file = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"so_ho": 1},
                "geometry": point(IN_CHANH_LO[0], IN_CHANH_LO[1])}]});
            Some(Prepared::Status(upload(app, &format!(
                "/api/v1/admin-units/{ward}/household-points?file_name=ho.geojson&dry_run=true"),
                file.to_string().into_bytes()).await))
        }
        ("GET", "/api/v1/admin-units/{id}/figures") => json_to(
            format!("/api/v1/admin-units/{ward}/figures?indicators=towers"),
            None,
        ),
        ("GET", "/api/v1/admin-units/{id}/coverage") => {
            json_to(format!("/api/v1/admin-units/{ward}/coverage"), None)
        }
        ("GET", "/api/v1/indicators") => json_to(path.into(), None),
        ("GET", "/api/v1/indicator-values") => {
            json_to(format!("/api/v1/indicator-values?unit={ward}"), None)
        }
        ("POST", "/api/v1/indicator-values") => json_to(
            path.into(),
            Some(json!({"indicator": "adults_with_smartphone_pct",
            "unit_id": ward, "as_of": "2026-11-20", "value": 84.5, "evidence": "Báo cáo khảo sát"})),
        ),
        ("DELETE", "/api/v1/indicator-values/{id}") => {
            let made = admin
                .post_json("/api/v1/indicator-values", &json!({"indicator": "adults_with_eid_pct", "unit_id": ward,
                    "as_of": format!("2026-{:02}-01", 1 + unique("").parse::<u32>().unwrap() % 12), "value": 70.0, "evidence": "Công an phường"}))
                .await;
            json_to(
                format!("/api/v1/indicator-values/{}", made.body["id"]),
                None,
            )
        }
        ("POST", "/api/v1/indicator-evidence") => Some(Prepared::Status(
            upload(
                app,
                "/api/v1/indicator-evidence?file_name=bao-cao.pdf",
                b"%PDF-1.4\n%%EOF\n".to_vec(),
            )
            .await,
        )),
        ("GET", "/api/v1/indicator-evidence/{id}") => {
            let made = admin
                .send(
                    admin
                        .client
                        .post(admin.url("/api/v1/indicator-evidence?file_name=bc.pdf"))
                        .header("content-type", "application/octet-stream")
                        .body(b"%PDF-1.4\n%%EOF\n".to_vec()),
                )
                .await;
            json_to(
                format!("/api/v1/indicator-evidence/{}", made.body["id"]),
                None,
            )
        }
        ("GET", "/api/v1/plans") => json_to(format!("/api/v1/plans?unit={ward}"), None),
        ("POST", "/api/v1/plans") => json_to(
            path.into(),
            Some(
                json!({"issuer": "UBND phường Chánh Lộ", "title": unique("Kế hoạch "),
            "unit_id": ward, "period_from": 2025, "period_to": 2030}),
            ),
        ),
        (_, p) if p.starts_with("/api/v1/plans/{id}") => {
            let plan = fresh_plan(admin).await;
            let id = plan["id"].as_i64().unwrap();
            let rest = &p["/api/v1/plans/{id}".len()..];
            let target = plan["targets"][0]["id"].as_i64().unwrap();
            let task = plan["tasks"][0]["id"].as_i64().unwrap();
            let duty = plan["duties"][0]["id"].as_i64().unwrap();
            let concrete = format!("/api/v1/plans/{id}{rest}")
                .replace("{target_id}", &target.to_string())
                .replace("{task_id}", &task.to_string())
                .replace("{duty_id}", &duty.to_string());
            let body = match (method, rest) {
                ("PATCH", "") => Some(json!({"number": "12/KH-UBND"})),
                ("POST", "/targets") => Some(
                    json!({"indicator": "poles_shared_pct", "target_value": 50.0, "year": 2030, "sentence": "x"}),
                ),
                ("PATCH", "/targets/{target_id}") => Some(json!({"target_value": 45.0})),
                ("POST", "/tasks") => {
                    Some(json!({"title": "Việc mới", "lead": "Bộ phận Văn hóa - Thông tin"}))
                }
                ("PATCH", "/tasks/{task_id}") => Some(json!({"status": "in_progress"})),
                ("POST", "/tasks/{task_id}/notes") => Some(json!({"note": "Đã triển khai"})),
                ("POST", "/duties") => Some(
                    json!({"reporter": "A", "recipient": "B", "what": "C", "due_day": 5, "due_month": 12}),
                ),
                ("PATCH", "/duties/{duty_id}") => Some(json!({"due_day": 10})),
                ("POST", "/documents") => {
                    return Some(Prepared::Status(
                        upload(
                            app,
                            &format!("{concrete}?file_name=ke-hoach.pdf"),
                            b"%PDF-1.4\n%%EOF\n".to_vec(),
                        )
                        .await,
                    ));
                }
                ("GET", "/documents/{document_id}") => {
                    let made =
                        admin
                            .send(
                                admin
                                    .client
                                    .post(admin.url(&format!(
                                        "/api/v1/plans/{id}/documents?file_name=kh.pdf"
                                    )))
                                    .header("content-type", "application/octet-stream")
                                    .body(b"%PDF-1.4\n%%EOF\n".to_vec()),
                            )
                            .await;
                    return json_to(
                        concrete.replace("{document_id}", &made.body["id"].to_string()),
                        None,
                    );
                }
                _ => None,
            };
            json_to(concrete, body)
        }
        _ => None,
    }
}
