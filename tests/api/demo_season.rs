//! The demo in the reporting season: every seed plan has figures, a data call
//! is open with operators at every stage, and an operator's filing changes
//! the coverage figures and the yearly report.

use serde_json::Value;

use crate::support::{TestApp, spawn_app};

/// Loads the demo (which replaces the registry, and with it the test's
/// users) and its accounts; the server as the demo's admin, and its logins.
async fn demo(app: &TestApp) -> (TestApp, Vec<hatang::accounts::demo::DemoLogin>) {
    hatang::demo::load(&app.pool, true)
        .await
        .expect("the demo loads");
    let logins = hatang::accounts::demo::create(&app.pool)
        .await
        .expect("the demo accounts");
    let admin = logins
        .iter()
        .find(|l| l.username == "admin")
        .expect("the demo admin");
    let session = app
        .login(admin.username, &admin.password)
        .await
        .unwrap_or_else(|reply| panic!("the demo admin logs in: {}", reply.text));
    let admin = TestApp {
        session: Some(session),
        token: None,
        ..app.clone()
    };
    (admin, logins)
}

/// The demo plans as the API lists them: (id, unit name).
async fn demo_plans(admin: &TestApp) -> Vec<(i64, String)> {
    let list = admin.get("/api/v1/plans").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list
        .body
        .as_array()
        .cloned()
        .or_else(|| list.body["items"].as_array().cloned())
        .unwrap_or_default();
    items
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["unit"]["name"]
                    .as_str()
                    .or(p["unit_name"].as_str())
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_demo_plan_has_figures_and_lights_for_its_filed_targets() {
    let (app, _) = demo(&spawn_app().await).await;
    let plans = demo_plans(&app).await;
    assert_eq!(plans.len(), 5, "{plans:?}");
    // Each plan's unit is cut into neighbourhood units with households and people.
    let parts: Vec<(String, i64, i64)> = sqlx::query_as(
        "select u.name, count(n.id), sum((select p.households from unit_population p where p.unit_id = n.id
                                          order by p.as_of desc limit 1))::int8
         from plan pl join admin_unit u on u.id = pl.unit_id
         join admin_unit n on n.id in (select admin_unit_neighbourhoods(u.id, current_date))
         group by u.name order by u.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let counts: Vec<(&str, i64)> = parts.iter().map(|(n, c, _)| (n.as_str(), *c)).collect();
    assert_eq!(
        counts,
        [
            ("Chánh Lộ", 12),
            ("Minh Long", 15),
            ("Phú Sơn", 6),
            ("Thủy Nguyên", 6),
            ("Trương Quang Trọng", 8)
        ],
        "{parts:?}"
    );
    assert!(
        parts.iter().all(|(_, _, households)| *households > 0),
        "{parts:?}"
    );
    for (id, unit) in &plans {
        let progress = app
            .get(&format!("/api/v1/plans/{id}/progress?year=2026"))
            .await;
        assert_eq!(progress.status, 200, "{}", progress.text);
        let targets = progress.body["targets"].as_array().unwrap();
        let lit: Vec<&Value> = targets
            .iter()
            .filter(|t| !t["value"].is_null() && t["light"] != "grey")
            .collect();
        assert!(
            !lit.is_empty(),
            "{unit}: no target with a figure: {}",
            progress.body
        );
        // In the demo every target of every plan has a figure.
        assert_eq!(
            progress.body["summary"]["no_data"], 0,
            "{unit}: {}",
            progress.body
        );
        // Every target measured from the operators' filings has a figure,
        // marked synthetic, from the plan's neighbourhood units.
        let filed: Vec<&Value> = targets.iter().filter(|t| t["source"] == "filed").collect();
        assert!(!filed.is_empty(), "{unit} has filed targets");
        for t in filed {
            assert!(
                !t["value"].is_null() && t["light"] != "grey",
                "{unit}: {} has no figure: {t}",
                t["indicator"]
            );
            assert_eq!(t["provenance"]["synthetic"], true, "{unit}: {t}");
            assert!(
                !t["provenance"]["operators"].as_array().unwrap().is_empty(),
                "{unit}: the operators that filed are named: {t}"
            );
        }
    }
}

#[tokio::test]
async fn the_demo_has_an_open_data_call_with_operators_at_every_stage() {
    let (app, _) = demo(&spawn_app().await).await;
    let summary = hatang::demo::filings::load(&app.pool)
        .await
        .expect("the demo data call loads");
    let (call, _) = summary.call.clone().expect("a call is opened");
    assert_eq!(summary.submitted.len(), 1, "{summary}");
    assert_eq!(summary.drafts.len(), 1, "{summary}");
    assert!(!summary.not_started.is_empty(), "{summary}");

    let reply = app.get(&format!("/api/v1/filings/calls/{call}")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let view = &reply.body;
    assert_eq!(view["state"], "open", "{view}");
    assert_eq!(view["kind"], "fixed_broadband");
    assert_eq!(view["unit"]["name"], "Trương Quang Trọng");
    let title = view["title"].as_str().unwrap();
    assert!(title.contains("6 tháng"), "the current half-year: {title}");
    // Due in the next weeks, counted in working days.
    let left = view["working_days_left"].as_i64().unwrap();
    assert!((1..=15).contains(&left), "{view}");
    let due: chrono::NaiveDate = view["due_on"].as_str().unwrap().parse().unwrap();
    let today = hatang::vn_time::today();
    assert!(
        due > today && due <= today + chrono::Duration::days(28),
        "{due}"
    );
    let counts = &view["counts"];
    assert_eq!(counts["submitted"], 1, "{view}");
    assert_eq!(counts["draft"], 1, "{view}");
    assert!(counts["not_started"].as_i64().unwrap() >= 1, "{view}");
    assert_eq!(counts["late"], 0, "{view}");
    let status = |code: &str| {
        view["operators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["operator"] == code)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status(&summary.submitted[0]).as_deref(), Some("submitted"));
    assert_eq!(status(&summary.drafts[0]).as_deref(), Some("draft"));
    for code in &summary.not_started {
        assert_eq!(status(code).as_deref(), Some("not_started"));
    }
    // The list of calls shows it too, and the operators heard of it.
    let list = app.get("/api/v1/filings/calls").await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.text.contains(title), "{}", list.text);
    let opened: i64 = sqlx::query_scalar(
        "select count(*) from filing_reminder where call_id = $1 and kind = 'opened'",
    )
    .bind(call)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        opened >= 2,
        "the operators not submitted were told it opened"
    );

    // The submitted figures count in Trương Quang Trọng's plan: its fibre
    // targets name the filing; the draft counts for nothing.
    let filing = view["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "submitted")
        .unwrap()["filing_id"]
        .as_i64()
        .unwrap();
    let plans = demo_plans(&app).await;
    let (plan, _) = plans
        .iter()
        .find(|(_, unit)| unit == "Trương Quang Trọng")
        .expect("the plan of Trương Quang Trọng");
    let progress = app
        .get(&format!("/api/v1/plans/{plan}/progress?year=2026"))
        .await;
    assert_eq!(progress.status, 200, "{}", progress.text);
    let fibre = progress.body["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "fibre_households_passed_pct")
        .unwrap();
    assert!(
        fibre["provenance"]["filings"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(format!("{filing} v1"))),
        "{fibre}"
    );
    let (submitted, others): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where f.id = $2), count(*) filter (where f.id <> $2)
         from indicator_value v join filing f on f.id = v.filing_id where f.call_id = $1",
    )
    .bind(call)
    .bind(filing)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(submitted > 0 && others == 0, "{submitted} {others}");
    let again = hatang::demo::filings::load(&app.pool).await.unwrap();
    assert!(again.call.is_none(), "loaded once");
}

/// The value of cell `cell` (`I4`) of a sheet's XML, if it has one.
fn cell(xml: &str, cell: &str) -> Option<String> {
    let start = xml.find(&format!("r=\"{cell}\""))?;
    let rest = &xml[start..];
    let end = rest.find("</c>").unwrap_or(rest.len());
    let inner = &rest[..end];
    let v = inner.find("<v>")? + 3;
    Some(inner[v..].split("</v>").next()?.to_string())
}

/// The annex's first sheet (the targets), as XML.
fn annex_numbers(xlsx: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

async fn bytes(app: &TestApp, path: &str) -> Vec<u8> {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn an_operators_filing_changes_the_coverage_map_and_the_yearly_report() {
    use crate::filings::{coverage_file, open_call, rectangle, upload};
    use serde_json::json;
    let admin = spawn_app().await;
    // Three tổ dân phố of 100/400, 200/700, 300/900 households/people.
    let (ward, [t1, t2, t3]) = crate::plans::three_neighbourhoods(&admin).await;
    let plan = admin
        .post_json("/api/v1/plans", &json!({
            "issuer": "UBND phường Chánh Lộ", "title": "Kế hoạch phát triển hạ tầng số (kiểm thử mùa báo cáo)",
            "unit_id": ward, "period_from": 2025, "period_to": 2030,
            "targets": [{"indicator": "population_5g_covered_pct", "target_value": 100.0, "year": 2030,
                         "sentence": "Mạng băng rộng di động 5G phủ sóng 100% dân số."}]}))
        .await;
    assert_eq!(plan.status, 201, "{}", plan.text);
    let plan = plan.body["id"].as_i64().unwrap();
    let report = admin
        .post_json(
            "/api/v1/yearly-reports",
            &json!({"unit": ward, "year": 2026, "plan": plan}),
        )
        .await;
    assert_eq!(report.status, 201, "{}", report.text);
    let report = report.body["id"].as_i64().unwrap();

    let coverage = || {
        let admin = &admin;
        async move {
            let reply = admin
                .get(&format!("/api/v1/admin-units/{ward}/coverage"))
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            let of_unit = |unit: i64| {
                reply.body["features"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["id"] == unit)
                    .unwrap()["properties"]["population_5g_covered_pct"]
                    .clone()
            };
            let total = reply.body["totals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["indicator"] == "population_5g_covered_pct")
                .unwrap()["figure"]["value"]
                .clone();
            (of_unit(t1), of_unit(t2), of_unit(t3), total)
        }
    };
    let in_report = || {
        let admin = &admin;
        async move {
            let view = admin.get(&format!("/api/v1/yearly-reports/{report}")).await;
            assert_eq!(view.status, 200, "{}", view.text);
            let target = view.body["facts"]["targets"][0].clone();
            let xlsx = annex_numbers(
                &bytes(admin, &format!("/api/v1/yearly-reports/{report}.xlsx")).await,
            );
            (target["value"].clone(), xlsx)
        }
    };
    // Before any filing: no coverage anywhere, nothing in the report.
    let (a, b, c, total) = coverage().await;
    assert!(
        a.is_null() && b.is_null() && c.is_null() && total.is_null(),
        "{a} {b} {c} {total}"
    );
    let (value, _) = in_report().await;
    assert!(value.is_null(), "{value}");

    // VNPT files 5G over the first tổ dân phố and the west half of the second.
    let call = open_call(&admin, "mobile_coverage", json!({"operators": ["VNPT"]})).await;
    let call = call["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let reply = upload(
        &vnpt,
        call,
        "vung-phu-5g.geojson",
        coverage_file(&[(rectangle(108.795, 15.105, 108.805, 15.125), "5G")]),
        "",
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let filing = reply.body["filing_id"].as_i64().unwrap();
    let submitted = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/1/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    // By hand: 400 of 400, 350 of 700, 0 of 900 people; the ward 750 / 2000.
    let (a, b, c, total) = coverage().await;
    assert_eq!(
        (a, b, c, total),
        (json!(100.0), json!(50.0), json!(0.0), json!(37.5))
    );
    let (value, xlsx) = in_report().await;
    assert_eq!(value, json!(37.5));
    // The annex's first target row (row 4): the result in column I.
    assert_eq!(cell(&xlsx, "I4").as_deref(), Some("37.5"), "{xlsx}");

    // A new version over the whole ward: every figure moves to 100 %.
    let reply = upload(
        &vnpt,
        call,
        "vung-phu-5g-sua.geojson",
        coverage_file(&[(rectangle(108.795, 15.105, 108.815, 15.125), "5G")]),
        "",
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let submitted = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/2/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    let (a, b, c, total) = coverage().await;
    assert_eq!(
        (a, b, c, total),
        (json!(100.0), json!(100.0), json!(100.0), json!(100.0))
    );
    let (value, xlsx) = in_report().await;
    assert_eq!(value, json!(100.0));
    assert_eq!(cell(&xlsx, "I4").as_deref(), Some("100"), "{xlsx}");
    // The report says where the figure comes from: VNPT's filing, version 2.
    let view = admin.get(&format!("/api/v1/yearly-reports/{report}")).await;
    assert!(view.text.contains("VNPT"), "{}", view.text);
}
