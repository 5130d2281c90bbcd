//! The construction-permit workflow: states, clocks, pre-checks, roles,
//! attachments, the permit document and the as-built registration.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{Reply, TestApp, spawn_app};

/// Metres to degrees of longitude at the fixture's latitude (15.115° N).
fn east(metres: f64) -> f64 {
    metres / (111_320.0 * 15.115f64.to_radians().cos())
}

pub(crate) fn tower_application(lon: f64, lat: f64, class: &str) -> Value {
    json!({
        "works_type": "tower",
        "title": "Trạm BTS Chánh Lộ 07",
        "description": "Cột tự đứng 40 m trên đất thuê của hộ dân.",
        "geometry": point(lon, lat),
        "planned_start": "2027-01-04",
        "planned_end": "2027-03-31",
        "tower": {"tower_class": class, "height_m": 40.0, "placement": "ground"},
        "proposed_assets": [{"kind": "tower", "feature": {"type": "Feature", "properties": {
            "code": "VNPT-CL-T07", "tower_class": class, "height_m": 40.0, "structure": "lattice",
            "placement": "ground", "technologies": ["4G", "5G"], "capacity": 3}}}]
    })
}

pub(crate) async fn apply(vnpt: &TestApp, body: &Value) -> Reply {
    let reply = vnpt.post_json("/api/v1/permits", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply
}

async fn act(app: &TestApp, id: i64, action: &str, body: Value) -> Reply {
    app.post_json(&format!("/api/v1/permits/{id}/actions/{action}"), &body)
        .await
}

pub(crate) async fn act_ok(app: &TestApp, id: i64, action: &str, body: Value) -> Reply {
    let reply = act(app, id, action, body).await;
    assert_eq!(reply.status, 200, "{action}: {}", reply.text);
    reply
}

/// A Hà Nội-style spacing rule for the fixture's province: within 100 m (urban) one builds, the others share.
async fn ha_noi_style_rule(app: &TestApp) {
    sqlx::query(
        "delete from rule_setting where rule_key = 'sharing.spacing' and province_code = '51'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into rule_setting (rule_key, province_code, valid_from, value, citation)
         values ('sharing.spacing', '51', '2020-01-01', '{\"mode\": \"required\", \"urban_m\": 100, \"rural_m\": 500}',
                 'Quyết định 5800/QĐ-UBND (2017) của UBND TP Hà Nội (áp dụng thử)')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
}

fn check<'a>(reply: &'a Reply, key: &str) -> &'a Value {
    reply.body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check_key"] == key)
        .unwrap_or_else(|| panic!("no {key} check in {}", reply.body["checks"]))
}

#[tokio::test]
async fn a_tower_80_m_from_a_shared_tower_must_share_and_150_m_need_not() {
    let admin = spawn_app().await;
    ha_noi_style_rule(&admin).await;
    // An existing Viettel tower, shared with MobiFone.
    let mut existing = tower("VTL-EXIST-1");
    existing["properties"]["operator"] = json!("VIETTEL");
    let existing_id = admin.create("towers", &existing).await;
    admin
        .post_json(
            &format!("/api/v1/assets/{existing_id}/tenancies"),
            &json!({"tenant": "MOBIFONE", "since": "2023-01-01"}),
        )
        .await;
    let vnpt = admin.as_user("vnpt").await;

    let near = apply(
        &vnpt,
        &tower_application(IN_CHANH_LO[0] + east(80.0), IN_CHANH_LO[1], "A2b"),
    )
    .await;
    let near = act_ok(
        &vnpt,
        near.body["id"].as_i64().unwrap(),
        "submit",
        json!({}),
    )
    .await;
    let sharing = check(&near, "sharing");
    assert_eq!(sharing["outcome"], "blocking", "{sharing}");
    assert!(
        sharing["message_en"]
            .as_str()
            .unwrap()
            .starts_with("Sharing required"),
        "{sharing}"
    );
    assert!(
        sharing["citation"]
            .as_str()
            .unwrap()
            .contains("5800/QĐ-UBND")
    );
    let candidate = &sharing["details"]["features"][0];
    assert_eq!(candidate["id"], existing_id);
    let distance = candidate["distance_m"].as_f64().unwrap();
    assert!((distance - 80.0).abs() < 1.0, "distance {distance}");
    assert_eq!(candidate["tenant_count"], 1);
    assert_eq!(candidate["free_capacity"], 2);
    assert_eq!(sharing["details"]["radius_m"], 100.0);
    assert_eq!(check(&near, "exemption")["outcome"], "required");

    let far = apply(
        &vnpt,
        &tower_application(IN_CHANH_LO[0] + east(150.0), IN_CHANH_LO[1], "A2b"),
    )
    .await;
    let far = act_ok(&vnpt, far.body["id"].as_i64().unwrap(), "submit", json!({})).await;
    assert_eq!(check(&far, "sharing")["outcome"], "pass");
}

#[tokio::test]
async fn a_non_bulky_a1_mast_is_exempt_and_only_notified() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let mut body = tower_application(IN_CHANH_LO[0], IN_CHANH_LO[1], "A1");
    body["tower"] = json!({"tower_class": "A1", "height_m": 2.5, "host_building_height_m": 18.0, "placement": "rooftop"});
    body["proposed_assets"] = json!([]);
    let created = apply(&vnpt, &body).await;
    let submitted = act_ok(
        &vnpt,
        created.body["id"].as_i64().unwrap(),
        "submit",
        json!({}),
    )
    .await;
    assert_eq!(submitted.body["state"], "notified");
    assert_eq!(submitted.body["exempt"], true);
    let exemption = check(&submitted, "exemption");
    assert_eq!(exemption["outcome"], "exempt");
    assert!(exemption["citation"].as_str().unwrap().contains("15/2016"));
    assert_eq!(
        submitted.body["clock"]["phase"], "stopped",
        "no clock for a notification"
    );
}

#[tokio::test]
async fn overhead_cable_on_an_undergrounding_street_is_blocked() {
    let admin = spawn_app().await;
    sqlx::query(
        "insert into undergrounding_area (name, geom, target_year, source_doc)
         values ('Đường Phan Đình Phùng', ST_GeomFromText('LINESTRING(108.797 15.113, 108.804 15.113)', 4326), 2026,
                 'Kế hoạch ngầm hóa năm 2026 của UBND thành phố')",
    )
    .execute(&admin.pool)
    .await
    .unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let cable = apply(
        &vnpt,
        &json!({"works_type": "overhead_cable", "title": "Kéo cáp quang treo", "geometry": line(&[[108.798, 15.1131], [108.802, 15.1131]]),
                "planned_start": "2027-02-01", "planned_end": "2027-02-10"}),
    )
    .await;
    let submitted = act_ok(
        &vnpt,
        cable.body["id"].as_i64().unwrap(),
        "submit",
        json!({}),
    )
    .await;
    let finding = check(&submitted, "undergrounding");
    assert_eq!(finding["outcome"], "blocking");
    assert!(
        finding["message_vi"]
            .as_str()
            .unwrap()
            .contains("Phan Đình Phùng")
    );
    assert!(finding["citation"].as_str().unwrap().contains("ngầm hóa"));
}

#[tokio::test]
async fn digging_meets_dig_once_chances_no_dig_periods_and_restricted_zones() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    // A street resurfaced last year: no digging until the end of next year.
    let resurfaced = reviewer
        .post_json(
            "/api/v1/civil-works",
            &json!({"title": "Thảm nhựa đường Hùng Vương", "sector": "road", "owner_org": "Ban QLDA phường",
                    "geometry": line(&[[108.797, 15.111], [108.803, 15.111]]),
                    "starts_on": "2026-03-01", "ends_on": "2026-05-30", "no_dig_until": "2027-12-31"}),
        )
        .await;
    assert_eq!(resurfaced.status, 201, "{}", resurfaced.text);
    // Water main works next year on a crossing street: a chance to dig once.
    reviewer
        .post_json(
            "/api/v1/civil-works",
            &json!({"title": "Cải tạo tuyến ống cấp nước", "sector": "water", "owner_org": "Công ty Cấp thoát nước",
                    "contact": "0255 3 822 000", "geometry": line(&[[108.7990, 15.1105], [108.8000, 15.1105]]),
                    "starts_on": "2027-01-15", "ends_on": "2027-04-30"}),
        )
        .await;
    reviewer
        .post_json(
            "/api/v1/restricted-zones",
            &json!({"name": "Di tích Thành cổ (giả định)", "zone_type": "heritage", "buffer_m": 150, "severity": "warning",
                    "citation": "Quyết định xếp hạng di tích (ví dụ)",
                    "geometry": {"type": "Polygon", "coordinates": [[[108.8005, 15.1105], [108.8015, 15.1105], [108.8015, 15.1115], [108.8005, 15.1115], [108.8005, 15.1105]]]}}),
        )
        .await;
    let vnpt = admin.as_user("vnpt").await;
    let duct = apply(
        &vnpt,
        &json!({"works_type": "duct", "title": "Cống bể 2 ống qua Hùng Vương", "geometry": line(&[[108.7995, 15.1100], [108.7995, 15.1120]]),
                "planned_start": "2027-02-01", "planned_end": "2027-02-28"}),
    )
    .await;
    let submitted = act_ok(
        &vnpt,
        duct.body["id"].as_i64().unwrap(),
        "submit",
        json!({}),
    )
    .await;
    let no_dig = check(&submitted, "no_dig");
    assert_eq!(no_dig["outcome"], "blocking", "{no_dig}");
    assert!(
        no_dig["message_vi"]
            .as_str()
            .unwrap()
            .contains("31/12/2027")
    );
    let dig_once = check(&submitted, "dig_once");
    assert_eq!(dig_once["outcome"], "info");
    assert_eq!(
        dig_once["details"]["features"][0]["title"],
        "Cải tạo tuyến ống cấp nước"
    );
    assert_eq!(check(&submitted, "restricted_zone")["outcome"], "warning");
}

/// Walks an application to `under_review`; returns its id.
pub(crate) async fn under_review(admin: &TestApp) -> (i64, TestApp, TestApp) {
    let vnpt = admin.as_user("vnpt").await;
    let reviewer = admin.as_user("reviewer").await;
    let created = apply(
        &vnpt,
        &tower_application(IN_CHANH_LO[0], IN_CHANH_LO[1], "A2b"),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    act_ok(&vnpt, id, "submit", json!({})).await;
    act_ok(&reviewer, id, "begin_check", json!({})).await;
    act_ok(&reviewer, id, "accept", json!({})).await;
    (id, vnpt, reviewer)
}

#[tokio::test]
async fn every_illegal_transition_is_refused_and_changes_nothing() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let all = [
        "submit",
        "begin_check",
        "request_supplement",
        "resubmit",
        "accept",
        "grant",
        "refuse",
        "request_modification",
        "extend",
        "withdraw",
        "lapse",
        "report_start",
        "report_completion",
    ];
    let created = apply(
        &vnpt,
        &tower_application(IN_CHANH_LO[0], IN_CHANH_LO[1], "A2b"),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    // The path a file takes, and at each state the actions that are legal there.
    let path: &[(&str, &[&str], &str, Value)] = &[
        ("draft", &["submit", "withdraw"], "submit", json!({})),
        (
            "submitted",
            &["begin_check", "withdraw"],
            "begin_check",
            json!({}),
        ),
        (
            "completeness_check",
            &["request_supplement", "accept", "withdraw"],
            "request_supplement",
            json!({"reason": "Thiếu bản vẽ mặt bằng"}),
        ),
        (
            "supplement_requested",
            &["resubmit", "withdraw"],
            "resubmit",
            json!({}),
        ),
        // The supplement goes back to the check: no "begin check" again, and
        // a second request for missing documents is not allowed.
        (
            "completeness_check",
            &["accept", "withdraw"],
            "accept",
            json!({}),
        ),
        (
            "under_review",
            &[
                "grant",
                "refuse",
                "request_modification",
                "extend",
                "withdraw",
            ],
            "grant",
            json!({"conditions": "Sơn màu xanh lá"}),
        ),
        ("granted", &["report_start"], "report_start", json!({})),
        (
            "works_started",
            &["report_completion"],
            "report_completion",
            json!({}),
        ),
        ("works_completed", &[], "", json!({})),
    ];
    for (state, legal, next, body) in path {
        let before: (String, i32, i64) = sqlx::query_as(
            "select state, version, (select count(*) from permit_event where application_id = $1) from permit_application where id = $1",
        )
        .bind(id)
        .fetch_one(&admin.pool)
        .await
        .unwrap();
        assert_eq!(&before.0, state);
        for action in all.iter().filter(|a| !legal.contains(a)) {
            let reply = act(
                &admin,
                id,
                action,
                json!({"reason": "thử", "days": 3, "date": "2020-01-01"}),
            )
            .await;
            assert!(
                reply.status == 409,
                "{action} from {state} should be refused: {} {}",
                reply.status,
                reply.text
            );
            assert!(
                reply.body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains(state),
                "{}",
                reply.text
            );
        }
        let after: (String, i32, i64) = sqlx::query_as(
            "select state, version, (select count(*) from permit_event where application_id = $1) from permit_application where id = $1",
        )
        .bind(id)
        .fetch_one(&admin.pool)
        .await
        .unwrap();
        assert_eq!(before, after, "refused actions changed nothing in {state}");
        if !next.is_empty() {
            act_ok(&admin, id, next, body.clone()).await;
        }
    }
}

#[tokio::test]
async fn deadlines_skip_weekends_and_tet_and_stop_while_waiting_for_the_applicant() {
    let admin = spawn_app().await;
    let (id, vnpt, reviewer) = under_review(&admin).await;
    act_ok(
        &reviewer,
        id,
        "request_modification",
        json!({"reason": "Điều chỉnh vị trí móng"}),
    )
    .await;
    act_ok(&vnpt, id, "resubmit", json!({})).await;
    // Put the timeline on hand-chosen days: submitted Thursday 12 Feb 2026, just before Tết
    // (holidays 16–20 Feb, weekends 14–15 and 21–22), accepted Wed 25 Feb, modification asked
    // Mon 2 Mar, answered Thu 5 Mar.
    for (action, day) in [
        ("submit", "2026-02-12"),
        ("begin_check", "2026-02-24"),
        ("accept", "2026-02-25"),
        ("request_modification", "2026-03-02"),
        ("resubmit", "2026-03-05"),
    ] {
        sqlx::query(
            "update permit_event set day = $3::date where application_id = $1 and action = $2",
        )
        .bind(id)
        .bind(action)
        .bind(day)
        .execute(&admin.pool)
        .await
        .unwrap();
    }
    let reply = admin.get(&format!("/api/v1/permits/{id}")).await;
    let clock = &reply.body["clock"];
    // Completeness: Fri 13 (1), Tết, Mon 23 … Fri 27 (6), Mon 2 March (7).
    assert_eq!(clock["completeness_due"], "2026-03-02", "{clock}");
    // Paused Tue 3, Wed 4, Thu 5 March: 3 working days.
    assert_eq!(clock["paused_working_days"], 3);
    // Decision: 12 Feb + 20 + 3 = 23 working days: 13 Feb (1); 23–27 Feb (6); 2–6 Mar (11);
    // 9–13 Mar (16); 16–20 Mar (21); 23 Mar (22); 24 Mar (23).
    assert_eq!(clock["decision_due"], "2026-03-24");
    assert_eq!(
        clock["status"], "breached",
        "today is long after March 2026"
    );
    // The reviewer's inbox puts it first, flagged.
    let inbox = reviewer.get("/api/v1/permits").await;
    assert_eq!(inbox.body[0]["id"], id);
    assert_eq!(inbox.body[0]["clock"]["status"], "breached");
}

#[tokio::test]
async fn extensions_and_supplements_are_limited() {
    let admin = spawn_app().await;
    let (id, _vnpt, reviewer) = under_review(&admin).await;
    let too_long = act(
        &reviewer,
        id,
        "extend",
        json!({"days": 11, "reason": "Chờ ý kiến Sở"}),
    )
    .await;
    assert_eq!(too_long.status, 422, "{}", too_long.text);
    let no_reason = act(&reviewer, id, "extend", json!({"days": 5})).await;
    assert!(no_reason.has_problem("reason"));
    let extended = act_ok(
        &reviewer,
        id,
        "extend",
        json!({"days": 10, "reason": "Chờ ý kiến Sở Xây dựng"}),
    )
    .await;
    assert_eq!(extended.body["clock"]["extension_working_days"], 10);
    let again = act(
        &reviewer,
        id,
        "extend",
        json!({"days": 2, "reason": "Thêm"}),
    )
    .await;
    assert_eq!(again.status, 409);
    let refuse = act(&reviewer, id, "refuse", json!({})).await;
    assert!(
        refuse.has_problem("reason"),
        "refusal needs written reasons"
    );
}

#[tokio::test]
async fn roles_decide_who_acts() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let viettel = admin.as_user("viettel").await;
    let planner = admin.as_user("planner").await;
    // Nghĩa Chánh: outside the reviewer's ward.
    let outside = apply(&vnpt, &tower_application(108.785, 15.115, "A2b")).await;
    let outside_id = outside.body["id"].as_i64().unwrap();
    act_ok(&vnpt, outside_id, "submit", json!({})).await;
    let reviewer = admin.as_user("reviewer").await;
    assert_eq!(
        act(&reviewer, outside_id, "begin_check", json!({}))
            .await
            .status,
        403
    );
    assert_eq!(
        reviewer
            .get(&format!("/api/v1/permits/{outside_id}"))
            .await
            .status,
        403
    );

    let (id, _, _) = under_review(&admin).await;
    assert_eq!(
        viettel.get(&format!("/api/v1/permits/{id}")).await.status,
        403,
        "another operator's file"
    );
    assert_eq!(act(&viettel, id, "withdraw", json!({})).await.status, 403);
    assert_eq!(
        act(&vnpt, id, "grant", json!({})).await.status,
        403,
        "an operator does not grant its own permit"
    );
    assert_eq!(
        planner.get(&format!("/api/v1/permits/{id}")).await.status,
        200,
        "planners read"
    );
    assert_eq!(
        act(&planner, id, "grant", json!({})).await.status,
        403,
        "planners do not decide"
    );
    assert_eq!(
        admin
            .anonymous()
            .get(&format!("/api/v1/permits/{id}"))
            .await
            .status,
        401
    );
    let operators_inbox = viettel.get("/api/v1/permits").await;
    assert_eq!(operators_inbox.body.as_array().unwrap().len(), 0);
    let reviewer_view = reviewer.get(&format!("/api/v1/permits/{id}")).await;
    let actions: Vec<&str> = reviewer_view.body["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["grant", "refuse", "request_modification", "extend"]
    );
}

fn multipart(filename: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()),
    )
}

#[tokio::test]
async fn attachments_are_checked_by_content_and_served_safely() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let created = apply(
        &vnpt,
        &tower_application(IN_CHANH_LO[0], IN_CHANH_LO[1], "A2b"),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    let url = vnpt.url(&format!("/api/v1/permits/{id}/attachments"));
    let upload = |name: &str, bytes: Vec<u8>| {
        vnpt.send(vnpt.client.post(&url).multipart(multipart(name, bytes)))
    };

    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let good = upload("bản vẽ mặt bằng.pdf", pdf.clone()).await;
    assert_eq!(good.status, 201, "{}", good.text);
    let expected_sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&pdf));
    assert_eq!(good.body["sha256"], expected_sha);
    assert_eq!(good.body["media_type"], "application/pdf");

    let html = upload(
        "hop-dong.pdf",
        b"<html><script>alert(document.cookie)</script></html>".to_vec(),
    )
    .await;
    assert_eq!(html.status, 422);
    assert!(html.problems()[0].contains("not a PDF, PNG, JPEG or TIFF"));
    let png_named_pdf = upload("giay-to.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).await;
    assert_eq!(png_named_pdf.status, 422);
    assert!(
        png_named_pdf.problems()[0].contains("content is a PNG image"),
        "{:?}",
        png_named_pdf.problems()
    );
    let exe = upload("setup.exe", b"MZ\x90\0\x03".to_vec()).await;
    assert_eq!(exe.status, 422);
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(21 * 1024 * 1024, b'0');
    let too_large = upload("lon.pdf", big).await;
    assert_eq!(
        too_large.status,
        413,
        "{}",
        &too_large.text[..too_large.text.len().min(200)]
    );
    let count: i64 = sqlx::query_scalar("select count(*) from permit_attachment")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(count, 1, "only the good file is stored");

    let download = vnpt
        .send(vnpt.client.get(vnpt.url(&format!(
            "/api/v1/permits/{id}/attachments/{}",
            good.body["id"]
        ))))
        .await;
    assert_eq!(download.status, 200);
    assert_eq!(download.headers["content-type"], "application/pdf");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");
    assert!(
        download.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let viettel = admin.as_user("viettel").await;
    assert_eq!(
        viettel
            .get(&format!("/api/v1/permits/{id}/attachments"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_granted_permit_prints_verifies_and_its_works_are_registered_as_built() {
    let admin = spawn_app().await;
    let (id, vnpt, reviewer) = under_review(&admin).await;
    let granted = act_ok(
        &reviewer,
        id,
        "grant",
        json!({"conditions": "Sơn cột màu xanh; treo biển chủ sở hữu"}),
    )
    .await;
    let number = granted.body["permit_number"].as_str().unwrap().to_string();
    assert!(number.ends_with("/GPXD-21031"), "{number}");

    let html = vnpt
        .send(
            vnpt.client
                .get(vnpt.url(&format!("/api/v1/permits/{id}/permit.html"))),
        )
        .await;
    assert_eq!(html.status, 200);
    for expected in [
        number.as_str(),
        "GIẤY PHÉP XÂY DỰNG",
        "Tập đoàn Bưu chính Viễn thông Việt Nam",
        "Sơn cột màu xanh",
        "<svg",
        "/verify?number=",
    ] {
        assert!(
            html.text.contains(expected),
            "the print view shows {expected}"
        );
    }
    let code = html.text.split("Mã xác thực: <b>").nth(1).unwrap()[..12].to_string();
    // The application carries the same code and the public check's path, for the web app.
    let read = vnpt.get(&format!("/api/v1/permits/{id}")).await;
    assert_eq!(read.body["verification"]["code"], code.as_str());
    let verify_path = read.body["verification"]["path"].as_str().unwrap();
    assert!(
        html.text
            .replace("&#38;", "&amp;")
            .contains(&verify_path.replace('&', "&amp;")),
        "the print view links to {verify_path}"
    );
    // A fresh permit cannot lapse yet, so the ward is not offered to lapse it.
    assert_eq!(granted.body["actions"], json!([]), "{}", granted.body);
    assert_eq!(read.body["actions"], json!(["report_start"]));
    let pdf = vnpt
        .send(
            vnpt.client
                .get(vnpt.url(&format!("/api/v1/permits/{id}/permit.pdf"))),
        )
        .await;
    assert_eq!(pdf.status, 200, "{}", &pdf.text[..pdf.text.len().min(300)]);
    assert_eq!(pdf.headers["content-type"], "application/pdf");

    let public = admin.anonymous();
    let encoded: String = number.replace('/', "%2F");
    let genuine = public
        .get(&format!("/verify?number={encoded}&code={code}"))
        .await;
    assert_eq!(genuine.status, 200);
    assert!(genuine.text.contains("Giấy phép hợp lệ"));
    let forged = public
        .get(&format!("/verify?number={encoded}&code=000000000000"))
        .await;
    assert_eq!(forged.status, 409);

    act_ok(&vnpt, id, "report_start", json!({})).await;
    let completed = act_ok(
        &vnpt,
        id,
        "report_completion",
        json!({"as_built": [{"index": 0, "geometry": point(108.8002, 15.1151)}]}),
    )
    .await;
    let assets = completed.body["registered_assets"].as_array().unwrap();
    assert_eq!(assets.len(), 1);
    let asset = vnpt.get(&format!("/api/v1/towers/{}", assets[0])).await;
    assert_eq!(asset.body["properties"]["status"], "operational");
    assert_eq!(asset.body["properties"]["code"], "VNPT-CL-T07");
    assert_eq!(
        asset.body["geometry"]["coordinates"],
        json!([108.8002, 15.1151])
    );
    assert!(
        asset.body["properties"]["note"]
            .as_str()
            .unwrap()
            .contains("HS-")
    );
    let notifications = vnpt.get("/api/v1/notifications").await;
    assert!(
        notifications
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "as_built_copies"),
        "a reminder to send copies within 7 working days"
    );
}

#[tokio::test]
async fn both_sides_are_notified_and_the_public_sees_statistics() {
    let admin = spawn_app().await;
    let (id, vnpt, reviewer) = under_review(&admin).await;
    act_ok(
        &reviewer,
        id,
        "refuse",
        json!({"reason": "Vị trí nằm trong hành lang an toàn lưới điện"}),
    )
    .await;
    // The reviewer hears of the operator's submission, not of their own check,
    // acceptance and refusal (nobody is told of what they did themselves).
    let reviewer_notes = reviewer.get("/api/v1/notifications").await;
    let notes = reviewer_notes.body.as_array().unwrap();
    assert_eq!(notes.len(), 1, "submitted only: {}", reviewer_notes.text);
    assert!(
        notes[0]["message_vi"].as_str().unwrap().contains("Đã nộp"),
        "{}",
        reviewer_notes.text
    );
    let operator_notes = vnpt.get("/api/v1/notifications").await;
    let first = &operator_notes.body[0];
    assert!(
        first["message_vi"].as_str().unwrap().contains("Từ chối"),
        "{first}"
    );
    let read = vnpt
        .send(
            vnpt.client
                .post(vnpt.url(&format!("/api/v1/notifications/{}/read", first["id"]))),
        )
        .await;
    assert_eq!(read.status, 204);

    let stats = admin.anonymous().get("/api/v1/permits/stats").await;
    assert_eq!(stats.status, 200);
    let ward = stats.body["wards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["ward_code"] == "21031")
        .unwrap()
        .clone();
    assert_eq!(ward["refused"], 1);
    assert_eq!(ward["pending"], 0);
    assert_eq!(
        ward["median_working_days"], 0.0,
        "decided the day it was submitted"
    );
}

#[tokio::test]
async fn a_bad_application_is_refused_with_every_problem() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let reply = vnpt
        .post_json(
            "/api/v1/permits",
            &json!({"works_type": "tower", "title": "", "geometry": line(&[[108.8, 15.11], [108.81, 15.11]]),
                    "planned_start": "2027-02-01", "planned_end": "2027-01-01"}),
        )
        .await;
    assert_eq!(reply.status, 422);
    for field in ["title", "planned_end", "geometry", "tower"] {
        assert!(reply.has_problem(field), "{field}: {:?}", reply.problems());
    }
    let outside = vnpt
        .post_json(
            "/api/v1/permits",
            &json!({"works_type": "excavation_repair", "title": "Đào sửa cáp", "geometry": point(2.35, 48.85),
                    "planned_start": "2027-02-01", "planned_end": "2027-02-02"}),
        )
        .await;
    assert!(outside.has_problem("geometry"), "{:?}", outside.problems());
}
