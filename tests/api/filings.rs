//! Data calls and operators' filings: who a call goes to, problems by row,
//! versions and re-filing, lateness and reminders across weekends and Tết,
//! and what each operator may see.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

/// A polygon from its corners (lon/lat).
pub fn rectangle(west: f64, south: f64, east: f64, north: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]})
}

/// Today in Vietnam, as the server counts it.
pub fn today() -> NaiveDate {
    hatang::vn_time::today()
}

pub fn days_from_today(days: i64) -> String {
    (today() + chrono::Duration::days(days)).to_string()
}

/// Opens a call for Chánh Lộ as `app`, with the given fields over sensible ones.
pub async fn open_call(app: &TestApp, kind: &str, extra: Value) -> Value {
    let mut body = json!({
        "kind": kind, "title": format!("Thu thập số liệu {kind}"), "unit": "21031",
        "as_of": "2026-06-30", "due_on": days_from_today(20), "operators": ["VNPT", "VIETTEL"]
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    if body["operators"].is_null() {
        body.as_object_mut().unwrap().remove("operators");
    }
    let reply = app.post_json("/api/v1/filings/calls", &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

/// Uploads a file as a new version of the caller's filing in `call`.
pub async fn upload(
    app: &TestApp,
    call: i64,
    file_name: &str,
    bytes: Vec<u8>,
    query: &str,
) -> crate::support::Reply {
    app.send(
        app.client
            .post(app.url(&format!(
                "/api/v1/filings/calls/{call}/versions?file_name={file_name}{query}"
            )))
            .header("content-type", "application/octet-stream")
            .body(bytes),
    )
    .await
}

pub fn coverage_file(features: &[(Value, &str)]) -> Vec<u8> {
    let features: Vec<Value> = features
        .iter()
        .map(|(geometry, technology)| feature(geometry.clone(), json!({"cong_nghe": technology})))
        .collect();
    json!({"type": "FeatureCollection", "features": features})
        .to_string()
        .into_bytes()
}

fn codes(problems: &Value) -> Vec<(Option<i64>, String)> {
    problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| (p["row"].as_i64(), p["code"].as_str().unwrap().to_string()))
        .collect()
}

fn recipient<'a>(call: &'a Value, operator: &str) -> &'a Value {
    call["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["operator"] == operator)
        .unwrap_or_else(|| panic!("{operator} is not asked: {call}"))
}

#[tokio::test]
async fn a_call_goes_to_every_operator_active_in_the_ward() {
    let admin = spawn_app().await;
    admin.create("towers", &tower("T-VNPT-1")).await;
    let mut viettel_tower = tower("T-VIETTEL-1");
    viettel_tower["properties"]["operator"] = json!("VIETTEL");
    admin.create("towers", &viettel_tower).await;
    sqlx::query("update operator set contact_email = 'ha.tang@vnpt.vn', contact_name = 'Phòng Kỹ thuật' where code = 'VNPT'")
        .execute(&admin.pool)
        .await
        .unwrap();
    let reviewer = admin.as_user("reviewer").await;
    let call = open_call(&reviewer, "mobile_coverage", json!({"operators": null})).await;
    let mut asked: Vec<&str> = call["operators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operator"].as_str().unwrap())
        .collect();
    asked.sort();
    // FPT and the power company have nothing in Chánh Lộ.
    assert_eq!(asked, ["VIETTEL", "VNPT"]);
    assert_eq!(call["state"], "open");
    assert_eq!(call["counts"]["not_started"], 2);
    assert_eq!(recipient(&call, "VNPT")["status"], "not_started");
    let id = call["id"].as_i64().unwrap();

    // Each operator hears of it at once, in the app and (where it has an address) by mail.
    let vnpt = admin.as_user("vnpt").await;
    let notes = vnpt.get("/api/v1/notifications").await;
    let opened: Vec<&Value> = notes
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "filing_opened")
        .collect();
    assert_eq!(opened.len(), 1, "{}", notes.text);
    assert_eq!(opened[0]["link"], format!("/filings/calls/{id}"));
    assert!(
        opened[0]["message_vi"]
            .as_str()
            .unwrap()
            .contains("30/06/2026")
    );
    let mail: Vec<(String, String, String)> = sqlx::query_as(
        "select to_address, subject, state from outgoing_mail where data_call_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert_eq!(mail.len(), 1, "only VNPT has an address: {mail:?}");
    assert_eq!(mail[0].0, "ha.tang@vnpt.vn");
    assert!(
        mail[0].1.contains("Mở đợt thu thập số liệu"),
        "{}",
        mail[0].1
    );
    assert_eq!(mail[0].2, "pending");

    // An operator sees only its own line of the call.
    let seen = vnpt.get(&format!("/api/v1/filings/calls/{id}")).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.body["operators"].as_array().unwrap().len(), 1);
    assert!(seen.body["counts"].is_null());
    let fpt = admin.as_user("fpt").await;
    assert_eq!(
        fpt.get(&format!("/api/v1/filings/calls/{id}")).await.status,
        403
    );
    assert!(
        fpt.get("/api/v1/filings/calls")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty(),
        "FPT is not asked"
    );

    // The opening is in the change history, with the person who opened it.
    let actor: String = sqlx::query_scalar(
        "select actor from change_log where entity = 'data_call' and entity_key = $1 and action = 'insert'",
    )
    .bind(id.to_string())
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    assert_eq!(actor, "user:reviewer");
}

#[tokio::test]
async fn a_call_is_opened_only_by_staff_of_the_unit_and_bad_input_is_listed_whole() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    let body = json!({"kind": "mobile_coverage", "title": "Vùng phủ", "unit": "21019",
                      "as_of": "2026-06-30", "due_on": days_from_today(10), "operators": ["VNPT"]});
    // Nghĩa Chánh is not in the reviewer's scope; operators never open calls.
    assert_eq!(
        reviewer
            .post_json("/api/v1/filings/calls", &body)
            .await
            .status,
        403
    );
    let vnpt = admin.as_user("vnpt").await;
    assert_eq!(
        vnpt.post_json("/api/v1/filings/calls", &body).await.status,
        403
    );
    assert_eq!(
        admin
            .anonymous()
            .post_json("/api/v1/filings/calls", &body)
            .await
            .status,
        401
    );
    let planner = admin.as_user("planner").await;
    assert_eq!(
        planner
            .post_json("/api/v1/filings/calls", &body)
            .await
            .status,
        201
    );

    let bad = reviewer
        .post_json(
            "/api/v1/filings/calls",
            &json!({"kind": "speed_test", "title": " ", "unit": "21031", "as_of": "2026-06-30",
                    "opens_on": days_from_today(5), "due_on": days_from_today(1),
                    "reminder_working_days": 45, "operators": ["VNPT", "NOBODY"]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    for field in [
        "kind",
        "title",
        "due_on",
        "reminder_working_days",
        "operators[1]",
    ] {
        assert!(bad.has_problem(field), "{field}: {:?}", bad.problems());
    }
    // With no operator active in the ward, the call must name them.
    let none = reviewer
        .post_json(
            "/api/v1/filings/calls",
            &json!({"kind": "yearly_plan", "title": "Kế hoạch 2027", "unit": "21031", "as_of": "2026-11-30",
                    "due_on": days_from_today(10)}),
        )
        .await;
    assert_eq!(none.status, 422, "{}", none.text);
    assert!(none.has_problem("operators"), "{:?}", none.problems());
}

#[tokio::test]
async fn coverage_problems_are_listed_by_row_and_a_corrected_file_is_a_new_version() {
    let admin = spawn_app().await;
    let call = open_call(&admin, "mobile_coverage", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let inside = rectangle(108.797, 15.107, 108.806, 15.116);
    // A bow tie (self-intersecting), a square in Hà Nội, a point, and "3G".
    let bow_tie = json!({"type": "Polygon", "coordinates": [[[108.80, 15.11], [108.81, 15.12], [108.81, 15.11], [108.80, 15.12], [108.80, 15.11]]]});
    let elsewhere = rectangle(105.80, 21.00, 105.81, 21.01);
    let file = coverage_file(&[
        (inside.clone(), "5G"),
        (elsewhere, "5G"),
        (inside.clone(), "3G"),
        (bow_tie, "4G"),
        (point(108.80, 15.11), "4G"),
        (rectangle(108.790, 15.110, 108.800, 15.120), "LTE"),
    ]);
    let first = upload(&vnpt, id, "vung-phu.geojson", file, "").await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["number"], 1);
    assert_eq!(
        codes(&first.body["problems"]),
        [
            (Some(2), "polygon_outside_unit".to_string()),
            (Some(3), "unknown_technology".to_string()),
            (Some(4), "invalid_geometry".to_string()),
            (Some(5), "not_a_polygon".to_string()),
        ]
    );
    // Half of row 6 lies in Nghĩa Chánh: a warning, not an error.
    let warnings: Vec<&Value> = first.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "warning")
        .collect();
    assert_eq!(warnings.len(), 1, "{}", first.text);
    assert_eq!(warnings[0]["row"], 6);
    assert_eq!(warnings[0]["code"], "polygon_partly_outside");
    assert_eq!(warnings[0]["column"], Value::Null);
    let technology_problem = first.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "unknown_technology")
        .unwrap();
    assert_eq!(
        technology_problem["column"], "cong_nghe",
        "the file's own column is named"
    );
    assert_eq!(first.body["submittable"], false);
    let filing = first.body["filing_id"].as_i64().unwrap();

    let refused = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/1/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.has_problem("rows[2].geometry"),
        "{:?}",
        refused.problems()
    );

    let status = admin.get(&format!("/api/v1/filings/calls/{id}")).await;
    assert_eq!(recipient(&status.body, "VNPT")["status"], "draft");
    assert_eq!(recipient(&status.body, "VNPT")["latest_errors"], 4);

    // The corrected file is version 2; version 1 stays.
    let second = upload(
        &vnpt,
        id,
        "vung-phu-sua.geojson",
        coverage_file(&[
            (inside.clone(), "5G"),
            (rectangle(108.800, 15.110, 108.810, 15.120), "4G"),
        ]),
        "",
    )
    .await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["number"], 2);
    assert_eq!(second.body["error_count"], 0, "{}", second.text);
    assert_eq!(second.body["submittable"], true);
    // Only the latest version can be submitted.
    let stale = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/1/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.text);
    let submitted = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/2/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.body["status"], "submitted");
    assert_eq!(submitted.body["submitted_late"], false);
    assert_eq!(submitted.body["versions"].as_array().unwrap().len(), 2);
    let again = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/2/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(again.status, 409);

    let areas = vnpt
        .get(&format!("/api/v1/filings/{filing}/versions/2/areas"))
        .await;
    assert_eq!(areas.status, 200);
    let features = areas.body["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["technology"], "5G");
    let file = vnpt
        .get(&format!("/api/v1/filings/{filing}/versions/2/file"))
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(file.body["features"].as_array().unwrap().len(), 2);

    // Staff of the ward hear of the submission; the history names who filed and who submitted.
    let reviewer = admin.as_user("reviewer").await;
    let notes = reviewer.get("/api/v1/notifications").await;
    assert!(
        notes
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "filing_submitted"),
        "{}",
        notes.text
    );
    let log: Vec<(String, String)> = sqlx::query_as(
        "select action, actor from change_log where entity = 'filing_version' order by id",
    )
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert_eq!(
        log,
        [
            ("insert".to_string(), "user:vnpt".to_string()),
            ("insert".to_string(), "user:vnpt".to_string()),
            ("update".to_string(), "user:vnpt".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_file_that_is_not_this_kind_of_filing_is_refused_whole() {
    let admin = spawn_app().await;
    let call = open_call(&admin, "mobile_coverage", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    // Coverage is polygons: a spreadsheet is the wrong format.
    let csv = upload(&vnpt, id, "vung-phu.csv", b"a,b\n1,2\n".to_vec(), "").await;
    assert_eq!(csv.status, 422, "{}", csv.text);
    assert!(csv.has_problem("file_name"));
    // No technology column and no technology= … is a missing column.
    let untagged = json!({"type": "FeatureCollection", "features": [feature(rectangle(108.80, 15.11, 108.81, 15.12), json!({"ten": "x"}))]});
    let missing = upload(
        &vnpt,
        id,
        "a.geojson",
        untagged.to_string().into_bytes(),
        "",
    )
    .await;
    assert_eq!(missing.status, 422, "{}", missing.text);
    assert!(
        missing.has_problem("technology"),
        "{:?}",
        missing.problems()
    );
    let tagged = upload(
        &vnpt,
        id,
        "a.geojson",
        untagged.to_string().into_bytes(),
        "&technology=5G",
    )
    .await;
    assert_eq!(tagged.status, 201, "{}", tagged.text);
    assert_eq!(tagged.body["rows"][0]["technology"], "5G");
    let garbage = upload(&vnpt, id, "a.geojson", b"{not json".to_vec(), "").await;
    assert_eq!(garbage.status, 422, "{}", garbage.text);
    let nothing_written: i64 = sqlx::query_scalar("select count(*) from filing_version")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(nothing_written, 1, "only the readable file made a version");
}

#[tokio::test]
async fn a_yearly_plan_is_read_from_a_vietnamese_spreadsheet() {
    let admin = spawn_app().await;
    let call = open_call(
        &admin,
        "yearly_plan",
        json!({"title": "Kế hoạch phát triển hạ tầng năm 2027", "as_of": "2026-12-01", "due_on": days_from_today(12)}),
    )
    .await;
    assert_eq!(call["plan_year"], 2027);
    let id = call["id"].as_i64().unwrap();
    let viettel = admin.as_user("viettel").await;
    let csv = "STT;Loại;Mô tả;Số lượng;Đơn vị hành chính;Quý\n\
               1;Trạm BTS;Trạm 5G tổ dân phố 3;2;Chánh Lộ;2\n\
               2;Ngầm hóa;Hạ ngầm cáp đường Hùng Vương;1,5;Phường Mới;3\n\
               3;Cáp treo;Kéo cáp mới;1;Chánh Lộ;5\n";
    let first = upload(
        &viettel,
        id,
        "ke-hoach-2027.csv",
        csv.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(
        codes(&first.body["problems"]),
        [
            (Some(2), "unknown_unit".to_string()),
            (Some(3), "unknown_item".to_string()),
            (Some(3), "out_of_range".to_string()),
        ]
    );
    let unit_problem = &first.body["problems"][0];
    assert_eq!(unit_problem["column"], "Đơn vị hành chính");
    assert_eq!(unit_problem["params"]["value"], "Phường Mới");
    assert_eq!(first.body["rows"][0]["item"], "tower");
    assert_eq!(
        first.body["rows"][1]["quantity"], 1.5,
        "1,5 is one and a half km"
    );

    let csv = "Loại;Mô tả;Số lượng;Đơn vị hành chính;Quý\n\
               Trạm BTS;Trạm 5G tổ dân phố 3;2;Chánh Lộ;2\n\
               Ngầm hóa;Hạ ngầm cáp đường Hùng Vương;1,5;21031;3\n";
    let second = upload(
        &viettel,
        id,
        "ke-hoach-2027-sua.csv",
        csv.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["error_count"], 0, "{}", second.text);
    let filing = second.body["filing_id"].as_i64().unwrap();
    let done = viettel
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/2/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);

    // The template has the same Vietnamese headers.
    let template = viettel
        .send(
            viettel
                .client
                .get(viettel.url(&format!("/api/v1/filings/calls/{id}/template?format=csv"))),
        )
        .await;
    assert_eq!(template.status, 200);
    assert!(
        template
            .text
            .contains("Loại,Mô tả,Số lượng,Đơn vị hành chính,Quý"),
        "{}",
        template.text
    );
}

#[tokio::test]
async fn fixed_broadband_rows_are_checked_and_filed_by_the_form() {
    let admin = spawn_app().await;
    let call = open_call(&admin, "fixed_broadband", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let fpt_not_asked = admin.as_user("fpt").await;
    let body = json!({"rows": [{"unit": "TDP 1", "households_passed": 10, "households_subscribed": 4, "max_speed_mbps": 1000}]});
    assert_eq!(
        fpt_not_asked
            .post_json(&format!("/api/v1/filings/calls/{id}/versions"), &body)
            .await
            .status,
        403
    );
    let vnpt = admin.as_user("vnpt").await;
    let reply = vnpt
        .post_json(
            &format!("/api/v1/filings/calls/{id}/versions"),
            &json!({"rows": [
                {"unit": "TDP 1", "households_passed": "1.200", "households_subscribed": 800, "max_speed_mbps": 1000},
                {"unit": "TDP 2", "households_passed": 10, "households_subscribed": 12, "max_speed_mbps": "nhanh"},
                {"households_passed": 5, "households_subscribed": 1, "max_speed_mbps": 300, "mau_sac": "xanh"}
            ]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["source"], "form");
    assert_eq!(reply.body["rows"][0]["households_passed"], 1200);
    let found = codes(&reply.body["problems"]);
    for expected in [
        (Some(2), "not_a_number"),
        (Some(2), "subscribed_exceeds_passed"),
        (Some(3), "required"),
    ] {
        assert!(
            found.contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {found:?}"
        );
    }
    let ignored = reply.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "field_ignored")
        .expect("an unknown field is a warning");
    assert_eq!(ignored["row"], 3);
}

#[tokio::test]
async fn an_operator_sees_only_its_own_filings() {
    let admin = spawn_app().await;
    let call = open_call(&admin, "mobile_coverage", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let viettel = admin.as_user("viettel").await;
    let mine = upload(
        &vnpt,
        id,
        "v.geojson",
        coverage_file(&[(rectangle(108.80, 15.11, 108.81, 15.12), "5G")]),
        "",
    )
    .await;
    assert_eq!(mine.status, 201, "{}", mine.text);
    let filing = mine.body["filing_id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/filings/{filing}"),
        format!("/api/v1/filings/{filing}/versions/1"),
        format!("/api/v1/filings/{filing}/versions/1/areas"),
        format!("/api/v1/filings/{filing}/versions/1/file"),
    ] {
        assert_eq!(viettel.get(&path).await.status, 403, "{path}");
        assert_eq!(vnpt.get(&path).await.status, 200, "{path}");
        assert_eq!(admin.anonymous().get(&path).await.status, 401, "{path}");
    }
    assert_eq!(
        viettel
            .post_json(
                &format!("/api/v1/filings/{filing}/versions/1/submit"),
                &json!({})
            )
            .await
            .status,
        403
    );
    // A member files for its own operator, never for another.
    let for_other = vnpt
        .send(
            vnpt.client
                .post(vnpt.url(&format!(
                    "/api/v1/filings/calls/{id}/versions?operator=VIETTEL"
                )))
                .json(&json!({"rows": []})),
        )
        .await;
    assert_eq!(for_other.status, 403, "{}", for_other.text);
    assert!(
        viettel
            .get("/api/v1/filings")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        vnpt.get("/api/v1/filings")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let reviewer = admin.as_user("reviewer").await;
    assert_eq!(
        reviewer
            .get(&format!("/api/v1/filings/{filing}"))
            .await
            .status,
        200
    );
    let call_for_viettel = viettel.get(&format!("/api/v1/filings/calls/{id}")).await;
    assert_eq!(
        call_for_viettel.body["operators"].as_array().unwrap().len(),
        1
    );
    assert_eq!(call_for_viettel.body["operators"][0]["operator"], "VIETTEL");
}

#[tokio::test]
async fn a_call_due_on_a_saturday_is_due_on_monday_and_late_after_it() {
    let admin = spawn_app().await;
    // Saturday 28 November 2026: due on Monday 30 November; late from 1 December.
    let call = open_call(
        &admin,
        "yearly_plan",
        json!({"opens_on": "2026-11-02", "due_on": "2026-11-28", "as_of": "2026-11-01"}),
    )
    .await;
    assert_eq!(call["effective_due_on"], "2026-11-30");
    let id = call["id"].as_i64().unwrap();
    if today() > NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() {
        assert_eq!(call["state"], "past_due");
        assert_eq!(recipient(&call, "VNPT")["status"], "late");
        assert_eq!(call["counts"]["late"], 2);
        let vnpt = admin.as_user("vnpt").await;
        let filed = vnpt
            .post_json(
                &format!("/api/v1/filings/calls/{id}/versions"),
                &json!({"rows": [{"item": "tower", "description": "Trạm mới", "quantity": 1}]}),
            )
            .await;
        assert_eq!(
            filed.status, 201,
            "a late filing is still taken: {}",
            filed.text
        );
        let filing = filed.body["filing_id"].as_i64().unwrap();
        let submitted = vnpt
            .post_json(
                &format!("/api/v1/filings/{filing}/versions/1/submit"),
                &json!({}),
            )
            .await;
        assert_eq!(submitted.status, 200, "{}", submitted.text);
        assert_eq!(submitted.body["status"], "submitted");
        assert_eq!(submitted.body["submitted_late"], true);
    }
    // A cancelled call takes nothing.
    let version = admin.get(&format!("/api/v1/filings/calls/{id}")).await.body["version"].clone();
    let cancelled = admin
        .send(
            admin
                .client
                .patch(admin.url(&format!("/api/v1/filings/calls/{id}")))
                .json(&json!({"version": version, "cancel": "Nhầm đơn vị"})),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    assert_eq!(cancelled.body["state"], "cancelled");
    let viettel = admin.as_user("viettel").await;
    let refused = viettel
        .post_json(
            &format!("/api/v1/filings/calls/{id}/versions"),
            &json!({"rows": [{"item": "tower", "description": "Trạm mới", "quantity": 1}]}),
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    let stale = admin
        .send(
            admin
                .client
                .patch(admin.url(&format!("/api/v1/filings/calls/{id}")))
                .json(&json!({"version": version, "title": "x"})),
        )
        .await;
    assert_eq!(stale.status, 409);
}

/// A call written straight into the database, so that the housekeeping can
/// be run on chosen days (the API opens calls as of today).
async fn call_in_2026(app: &TestApp, opens_on: &str, due_on: &str, reminder_days: i32) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "insert into data_call (kind, title, admin_unit_id, as_of, opens_on, due_on, reminder_working_days, created_by)
         select 'mobile_coverage', 'Vùng phủ 4G/5G đến 31/12/2025', id, '2025-12-31', $1::date, $2::date, $3, 'test'
         from admin_unit where gso_code = '21031' returning id",
    )
    .bind(opens_on)
    .bind(due_on)
    .bind(reminder_days)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into data_call_operator (call_id, operator_id) select $1, id from operator where code in ('VNPT', 'VIETTEL')",
    )
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("update operator set contact_email = lower(code) || '@example.vn' where code in ('VNPT', 'VIETTEL')")
        .execute(&app.pool)
        .await
        .unwrap();
    id
}

async fn reminders(app: &TestApp, call: i64) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "select o.code, r.kind, to_char(r.sent_on, 'YYYY-MM-DD') from filing_reminder r
         join operator o on o.id = r.operator_id where r.call_id = $1 order by r.sent_on, r.kind, o.code",
    )
    .bind(call)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[tokio::test]
async fn reminders_count_working_days_across_weekends_and_tet_and_go_out_once() {
    let admin = spawn_app().await;
    // Due Wednesday 25 February 2026, reminded 3 working days before: Tết
    // (16–20 February, with the weekends around it) does not count, so the
    // reminder goes out on Friday 13 February, the last working day before Tết.
    let call = call_in_2026(&admin, "2026-02-02", "2026-02-25", 3).await;
    let run = |date: &'static str| {
        let pool = admin.pool.clone();
        async move {
            hatang::filings::reminders::run(&pool, day(date))
                .await
                .unwrap()
        }
    };
    assert_eq!(run("2026-02-01").await, 0, "not open yet");
    assert_eq!(run("2026-02-02").await, 2, "opened: both operators");
    assert_eq!(run("2026-02-12").await, 0);
    // Two servers at once send it once.
    let (a, b) = tokio::join!(run("2026-02-13"), run("2026-02-13"));
    assert_eq!(a + b, 2, "due soon, once per operator");
    assert_eq!(run("2026-02-17").await, 0, "nothing during Tết");
    assert_eq!(run("2026-02-25").await, 0, "due today is not late");
    // VNPT submits before the due date passes; Viettel does not.
    let vnpt_filing: i64 = sqlx::query_scalar(
        "insert into filing (call_id, operator_id) select $1, id from operator where code = 'VNPT' returning id",
    )
    .bind(call)
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into filing_version (filing_id, number, source, created_by, submitted_at, submitted_by)
         values ($1, 1, 'form', 'test', '2026-02-24 09:00+07', 'test')",
    )
    .bind(vnpt_filing)
    .execute(&admin.pool)
    .await
    .unwrap();
    // Late from Thursday 26; the late reminder goes to Viettel only.
    assert_eq!(run("2026-02-26").await, 1);
    assert_eq!(run("2026-02-27").await, 0, "once");
    assert_eq!(
        reminders(&admin, call).await,
        [
            ("VIETTEL", "opened", "2026-02-02"),
            ("VNPT", "opened", "2026-02-02"),
            ("VIETTEL", "due_soon", "2026-02-13"),
            ("VNPT", "due_soon", "2026-02-13"),
            ("VIETTEL", "late", "2026-02-26"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    let mail: Vec<(String, String)> = sqlx::query_as(
        "select to_address, kind from outgoing_mail where data_call_id = $1 order by id",
    )
    .bind(call)
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert_eq!(mail.len(), 5, "{mail:?}");
    assert_eq!(
        mail[4],
        ("viettel@example.vn".to_string(), "filing_late".to_string())
    );
    let viettel = admin.as_user("viettel").await;
    let notes = viettel.get("/api/v1/notifications").await;
    let late = notes
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "filing_late")
        .expect("Viettel is told it is late");
    assert!(
        late["message_vi"].as_str().unwrap().contains("25/02/2026"),
        "{late}"
    );
    // The reviewer of the ward hears of the lateness too.
    let reviewer = admin.as_user("reviewer").await;
    assert!(
        reviewer
            .get("/api/v1/notifications")
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "filing_late")
    );
}

#[tokio::test]
async fn a_due_date_in_tet_moves_to_the_first_working_day_after_it() {
    let admin = spawn_app().await;
    // Due Tuesday 17 February 2026, mùng 1 Tết: the period ends Monday 23.
    let call = call_in_2026(&admin, "2026-02-02", "2026-02-17", 0).await;
    let run = |date: &'static str| {
        let pool = admin.pool.clone();
        async move {
            hatang::filings::reminders::run(&pool, day(date))
                .await
                .unwrap()
        }
    };
    assert_eq!(run("2026-02-02").await, 2);
    assert_eq!(run("2026-02-23").await, 0, "Monday 23 is still on time");
    assert_eq!(run("2026-02-24").await, 2, "late on Tuesday 24");
    let kinds: Vec<String> = reminders(&admin, call)
        .await
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(
        kinds,
        ["opened", "opened", "late", "late"],
        "no due-soon reminder when set to 0"
    );
}

/// The hand-computed case through a real filing. Three tổ dân phố of
/// Chánh Lộ, west to east, each a third of the ward, with 100/400, 200/700 and
/// 300/900 households/people; VNPT's 5G polygon covers the first whole and the
/// west half of the second. By area: 400 + 350 people and 100 + 100
/// households covered, so 750 / 2000 = 37,5 % of the people and 200 / 600 =
/// 33,33 % of the households of the ward.
#[tokio::test]
async fn a_submitted_5g_polygon_gives_the_population_covered_worked_out_by_hand() {
    let admin = spawn_app().await;
    let (ward, [t1, t2, t3]) = crate::plans::three_neighbourhoods(&admin).await;
    let call = open_call(&admin, "mobile_coverage", json!({"operators": ["VNPT"]})).await;
    let id = call["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let polygon = rectangle(108.795, 15.105, 108.805, 15.125);
    let reply = upload(
        &vnpt,
        id,
        "vung-phu-5g.geojson",
        coverage_file(&[(polygon, "5G")]),
        "",
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["error_count"], 0, "{}", reply.text);
    let filing = reply.body["filing_id"].as_i64().unwrap();
    let figure = |indicator: &'static str| {
        let admin = &admin;
        async move {
            let reply = admin
                .get(&format!(
                    "/api/v1/admin-units/{ward}/figures?indicators={indicator}&at=2026-11-30"
                ))
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            reply.body[0]["figure"].clone()
        }
    };
    // A draft counts for nothing.
    assert!(figure("population_5g_covered_pct").await.is_null());
    let submitted = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/1/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);

    let rows: Vec<(i64, String, String, f64, Option<i32>, String)> = sqlx::query_as(
        "select unit_id, indicator, source, value, filing_version, method from indicator_value
         where indicator in ('population_covered_5g', 'households_covered_5g') order by unit_id, indicator, source",
    )
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    let of = |unit: i64, indicator: &str, source: &str| {
        rows.iter()
            .find(|r| r.0 == unit && r.1 == indicator && r.2 == source)
            .map(|r| r.3)
    };
    for source in ["filed", "computed"] {
        assert_eq!(
            of(t1, "population_covered_5g", source),
            Some(400.0),
            "{rows:?}"
        );
        assert_eq!(
            of(t1, "households_covered_5g", source),
            Some(100.0),
            "{rows:?}"
        );
        assert_eq!(
            of(t2, "population_covered_5g", source),
            Some(350.0),
            "{rows:?}"
        );
        assert_eq!(
            of(t2, "households_covered_5g", source),
            Some(100.0),
            "{rows:?}"
        );
        assert_eq!(
            of(t3, "population_covered_5g", source),
            Some(0.0),
            "{rows:?}"
        );
    }
    assert!(rows.iter().all(|r| r.5 == "area_weighted"), "{rows:?}");
    assert!(
        rows.iter()
            .filter(|r| r.2 == "filed")
            .all(|r| r.4 == Some(1)),
        "{rows:?}"
    );

    let people = figure("population_5g_covered_pct").await;
    assert_eq!(people["value"], 37.5, "{people}");
    assert_eq!(people["numerator"], 750.0);
    assert_eq!(people["denominator"], 2000.0);
    assert_eq!(people["provenance"]["methods"], json!(["area_weighted"]));
    assert_eq!(people["provenance"]["as_of"], "2026-06-30");
    let households = figure("households_5g_covered_pct").await;
    assert_eq!(households["value"], 33.33, "{households}");

    // A corrected filing (version 2, the whole ward) replaces the figures.
    let whole = rectangle(108.795, 15.105, 108.815, 15.125);
    let reply = upload(
        &vnpt,
        id,
        "vung-phu-5g-sua.geojson",
        coverage_file(&[(whole, "5G")]),
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
    assert_eq!(figure("population_5g_covered_pct").await["value"], 100.0);
}

/// Households passed are checked against the tổ dân phố's households, and a
/// submitted fixed-broadband filing becomes the ward's figures.
#[tokio::test]
async fn fixed_broadband_is_checked_against_households_and_becomes_figures() {
    let admin = spawn_app().await;
    let (ward, [_t1, _t2, _t3]) = crate::plans::three_neighbourhoods(&admin).await;
    let call = open_call(&admin, "fixed_broadband", json!({"operators": ["VNPT"]})).await;
    let id = call["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let too_many = vnpt
        .post_json(
            &format!("/api/v1/filings/calls/{id}/versions"),
            &json!({"rows": [
                {"unit": "Tổ dân phố 1", "households_passed": 150, "households_subscribed": 40, "max_speed_mbps": 1000}
            ]}),
        )
        .await;
    assert_eq!(too_many.status, 201, "{}", too_many.text);
    assert!(
        codes(&too_many.body["problems"])
            .contains(&(Some(1), "passed_exceeds_households".to_string())),
        "{}",
        too_many.text
    );
    let reply = vnpt
        .post_json(
            &format!("/api/v1/filings/calls/{id}/versions"),
            &json!({"rows": [
                {"unit": "Tổ dân phố 1", "households_passed": 90, "households_subscribed": 40, "max_speed_mbps": 1000},
                {"unit": "Tổ dân phố 2", "households_passed": 150, "households_subscribed": 100, "max_speed_mbps": 300},
                {"unit": "Tổ dân phố 3", "households_passed": 60, "households_subscribed": 0, "max_speed_mbps": 300}
            ]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["error_count"], 0, "{}", reply.text);
    let filing = reply.body["filing_id"].as_i64().unwrap();
    let submitted = vnpt
        .post_json(
            &format!("/api/v1/filings/{filing}/versions/2/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    let reply = admin
        .get(&format!(
            "/api/v1/admin-units/{ward}/figures?indicators=fibre_households_passed_pct,gigabit_households_pct&at=2026-11-30"
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // (90 + 150 + 60) / 600 = 50 %; 1 Gb/s only in TDP 1: 90 / 600 = 15 %.
    let of = |code: &str| {
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["indicator"] == code)
            .unwrap()["figure"]
            .clone()
    };
    assert_eq!(
        of("fibre_households_passed_pct")["value"],
        50.0,
        "{}",
        reply.text
    );
    assert_eq!(
        of("fibre_households_passed_pct")["provenance"]["filings"],
        json!([format!("{filing} v2")]),
        "{}",
        reply.text
    );
    assert_eq!(
        of("gigabit_households_pct")["value"],
        15.0,
        "{}",
        reply.text
    );
}
