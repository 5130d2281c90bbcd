//! The yearly report: drafted from a plan for a unit and year, with every
//! target's value in its DOCX, a PDF from LibreOffice and an XLSX annex;
//! finalised versions are frozen and hashed into the change log; a change
//! makes version 2; operators send their parts; the province sees its units'
//! reports and a roll-up.

use std::io::Read;

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::plans::Prepared;
use crate::support::{TestApp, spawn_app};

async fn unit_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("select id from admin_unit where gso_code = $1")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::SeqCst))
}

/// A plan of the fixture's ward (Chánh Lộ) for 2025–2030 with three
/// registry targets, a task done, a task overdue and the ward's reporting duty.
async fn plan(admin: &TestApp) -> i64 {
    let ward = unit_id(admin, "21031").await;
    let reply = admin
        .post_json("/api/v1/plans", &json!({"number": "45/KH-UBND", "issued_on": "2025-03-10", "issuer": "UBND phường Chánh Lộ",
            "title": unique("Kế hoạch phát triển hạ tầng số phường Chánh Lộ "), "unit_id": ward, "period_from": 2025, "period_to": 2030,
            "targets": [
                {"indicator": "towers_shared_pct", "target_value": 40.0, "year": 2030, "sentence": "40% trạm BTS dùng chung."},
                {"indicator": "poles_shared_pct", "target_value": 60.0, "year": 2030, "sentence": "60% cột treo cáp dùng chung."},
                {"indicator": "towers", "target_value": 3.0, "year": 2026, "sentence": "Ít nhất 3 trạm BTS."}],
            "tasks": [
                {"title": "Rà soát hạ tầng dùng chung", "lead": "Phòng Kinh tế, Hạ tầng và Đô thị", "due_on": "2026-06-30", "status": "done"},
                {"title": "Ngầm hóa tuyến Hai Bà Trưng", "lead": "Các doanh nghiệp viễn thông", "operators_lead": true, "due_on": "2026-10-31"}],
            "duties": [
                {"reporter": "Các bộ phận, doanh nghiệp", "recipient": "UBND phường", "what": "Báo cáo kết quả", "due_day": 1, "due_month": 12, "reporter_kind": "operators"},
                {"reporter": "UBND phường", "recipient": "UBND thành phố Quảng Ngãi", "what": "Báo cáo kết quả", "due_day": 5, "due_month": 12, "reporter_kind": "unit"}]}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// Two towers of VNPT in the ward, one shared with Viettel, and a shared pole.
async fn towers(admin: &TestApp) {
    let vnpt = admin.as_user("vnpt").await;
    let mut feature = pole(&unique("VNPT-YR-P"), 108.8001, 15.1151);
    feature["properties"]["operator"] = json!("VNPT");
    let pole = vnpt.create("poles", &feature).await;
    let reply = vnpt
        .post_json(
            &format!("/api/v1/assets/{pole}/tenancies"),
            &json!({"tenant": "VIETTEL", "since": "2025-01-01"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    for (i, lon) in [108.7995, 108.8005].iter().enumerate() {
        let id = vnpt
            .create("towers", &json!({"type": "Feature", "geometry": point(*lon, 15.1150),
                "properties": {"code": unique("VNPT-YR-T"), "operator": "VNPT", "tower_class": "A2b", "height_m": 30.0,
                               "structure": "monopole", "placement": "ground", "technologies": ["4G"], "capacity": 3}}))
            .await;
        if i == 0 {
            let reply = vnpt
                .post_json(
                    &format!("/api/v1/assets/{id}/tenancies"),
                    &json!({"tenant": "VIETTEL", "since": "2025-01-01"}),
                )
                .await;
            assert_eq!(reply.status, 201, "{}", reply.text);
        }
    }
}

async fn report(admin: &TestApp, plan: i64) -> Value {
    let ward = unit_id(admin, "21031").await;
    let reply = admin
        .post_json(
            "/api/v1/yearly-reports",
            &json!({"unit": ward, "year": 2026, "plan": plan}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn file(app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    let response = request.send().await.unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

fn document_xml(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The text only: runs joined.
    let mut text = String::new();
    for piece in xml.split("<w:t").skip(1) {
        if piece.starts_with('>') || piece.starts_with(' ') {
            let content = piece.split_once('>').map(|(_, r)| r).unwrap_or("");
            text.push_str(content.split("</w:t>").next().unwrap_or(""));
            text.push(' ');
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// `87,5%`, `2` — a figure as the report writes it.
fn written(value: f64, unit: &str) -> String {
    let text = format!("{value:.1}").replace('.', ",");
    if unit == "%" || unit.is_empty() {
        format!("{text}{unit}")
    } else {
        format!("{text} {unit}")
    }
}

#[tokio::test]
async fn bad_requests_say_every_problem_with_its_code() {
    let admin = spawn_app().await;
    let bad = admin
        .post_json("/api/v1/yearly-reports", &json!({"unit": -1, "year": 1999}))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    let codes: Vec<(String, String)> = bad.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().into(),
                p["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("year".into(), "out_of_range".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("unit".into(), "unknown_value".into())),
        "{codes:?}"
    );
    assert_eq!(bad.body["error"]["details"][0]["params"]["min"], 2000);

    // A unit without a plan for the year.
    let ward = unit_id(&admin, "21031").await;
    let none = admin
        .post_json(
            "/api/v1/yearly-reports",
            &json!({"unit": ward, "year": 2099}),
        )
        .await;
    assert_eq!(none.status, 422, "{}", none.text);
    assert_eq!(none.body["error"]["details"][0]["code"], "no_plan_for_year");
    assert_eq!(none.body["error"]["details"][0]["params"]["year"], 2099);

    let plan = plan(&admin).await;
    let id = report(&admin, plan).await["id"].as_i64().unwrap();
    let long = "x".repeat(20_001);
    let reply = admin
        .send(
            admin
                .client
                .patch(admin.url(&format!("/api/v1/yearly-reports/{id}")))
                .json(&json!({"difficulties": long, "number": " "})),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    let details = reply.body["error"]["details"].as_array().unwrap();
    assert_eq!(details.len(), 2, "{}", reply.text);
    assert!(details.iter().any(|p| p["field"] == "difficulties"
        && p["code"] == "too_long"
        && p["params"]["max"] == 20_000));
    assert!(
        details
            .iter()
            .any(|p| p["field"] == "number" && p["code"] == "empty")
    );
}

#[tokio::test]
async fn the_report_holds_every_targets_value_in_docx_pdf_and_xlsx() {
    let admin = spawn_app().await;
    towers(&admin).await;
    let plan = plan(&admin).await;
    let created = report(&admin, plan).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["state"], "draft");
    let targets = created["facts"]["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3);
    let towers_target = targets.iter().find(|t| t["indicator"] == "towers").unwrap();
    assert_eq!(
        towers_target["value"], 2.0,
        "two towers in the ward: {towers_target}"
    );
    let shared = targets
        .iter()
        .find(|t| t["indicator"] == "towers_shared_pct")
        .unwrap();
    assert_eq!(shared["value"], 50.0, "{shared}");

    let changed = admin
        .patch_json(&format!("/api/v1/yearly-reports/{id}"), &json!({"difficulties": "Kinh phí ngầm hóa còn hạn chế.\nThiếu cống bể trên đường Lê Lợi.",
            "proposals": "Đề nghị UBND thành phố bố trí kinh phí ngầm hóa năm 2027."}), None)
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let (status, docx) = file(&admin, &format!("/api/v1/yearly-reports/{id}.docx")).await;
    assert_eq!(status, 200);
    let text = document_xml(&docx);
    for target in changed.body["facts"]["targets"].as_array().unwrap() {
        let value = target["value"]
            .as_f64()
            .expect("every target here has a figure");
        let shown = written(value, target["unit"].as_str().unwrap());
        assert!(
            text.contains(&shown),
            "the DOCX shows {} = {shown}:\n{text}",
            target["indicator"]
        );
        assert!(
            text.contains(target["name"].as_str().unwrap()),
            "{}",
            target["name"]
        );
    }
    for expected in [
        "ỦY BAN NHÂN DÂN PHƯỜNG CHÁNH LỘ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO (DỰ THẢO)",
        "Kế hoạch số 45/KH-UBND ngày 10/03/2025",
        "Kinh phí ngầm hóa còn hạn chế.",
        "Thiếu cống bể trên đường Lê Lợi.",
        "Đề nghị UBND thành phố bố trí kinh phí ngầm hóa năm 2027.",
        "Rà soát hạ tầng dùng chung",
        "Nhiệm vụ chậm tiến độ (1)",
        "UBND thành phố Quảng Ngãi (để báo cáo)",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
    ] {
        assert!(text.contains(expected), "{expected:?} in the DOCX:\n{text}");
    }

    // LibreOffice opens the DOCX and makes the PDF.
    let (status, pdf) = file(&admin, &format!("/api/v1/yearly-reports/{id}.pdf")).await;
    assert_eq!(
        status,
        200,
        "{}",
        String::from_utf8_lossy(&pdf[..pdf.len().min(300)])
    );
    assert!(pdf.starts_with(b"%PDF"));
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-artifacts");
    let _ = std::fs::create_dir_all(&artifacts);
    let _ = std::fs::write(artifacts.join("yearly-report.pdf"), &pdf);
    let _ = std::fs::write(artifacts.join("yearly-report.docx"), &docx);

    let (status, xlsx) = file(&admin, &format!("/api/v1/yearly-reports/{id}.xlsx")).await;
    assert_eq!(status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx.as_slice())).unwrap();
    let mut strings = String::new();
    archive
        .by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    for expected in [
        "Chỉ tiêu",
        "Nguồn",
        "Tính từ sổ đăng ký hạ tầng",
        "towers_shared_pct",
        "Rà soát hạ tầng dùng chung",
    ] {
        assert!(strings.contains(expected), "the annex has {expected}");
    }
    let _ = std::fs::write(artifacts.join("yearly-report-annex.xlsx"), &xlsx);
}

#[tokio::test]
async fn a_finalised_report_is_frozen_and_hashed_and_a_change_makes_version_2() {
    let admin = spawn_app().await;
    towers(&admin).await;
    let plan = plan(&admin).await;
    let id = report(&admin, plan).await["id"].as_i64().unwrap();
    let reviewer = admin.as_user("reviewer").await;
    let first = reviewer
        .post_json(&format!("/api/v1/yearly-reports/{id}/finalise"), &json!({}))
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["state"], "finalised");
    assert_eq!(first.body["facts"]["version"], 1);
    let v1 = &first.body["versions"][0];
    // The hash is the stored facts' SHA-256, and the change log has it with its actor.
    let (text, sha): (String, String) = sqlx::query_as("select facts::text, sha256 from yearly_report_version where report_id = $1 and version = 1")
        .bind(id)
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(v1["sha256"], sha.as_str());
    assert_eq!(
        format!(
            "{:x}",
            <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes())
        ),
        sha,
        "the hash is of the stored facts"
    );
    assert!(
        text.contains("\"version\": 1"),
        "the frozen facts say their version"
    );
    let (actor, logged): (String, String) = sqlx::query_as(
        "select actor, after ->> 'sha256' from change_log where entity = 'yearly_report_version' and entity_key = $1",
    )
    .bind(format!("{id}/1"))
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    assert_eq!(logged, sha);
    assert_eq!(actor, "user:reviewer");
    // Again with nothing changed: refused.
    let again = reviewer
        .post_json(&format!("/api/v1/yearly-reports/{id}/finalise"), &json!({}))
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.body["error"]["reason"], "already_finalised");
    assert_eq!(again.body["error"]["params"]["version"], 1);

    // The registry changes: the finalised report does not.
    let (_, docx_before) = file(&admin, &format!("/api/v1/yearly-reports/{id}.docx")).await;
    towers(&admin).await;
    let read = admin.get(&format!("/api/v1/yearly-reports/{id}")).await;
    let towers_value = |body: &Value| {
        body["facts"]["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["indicator"] == "towers")
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(towers_value(&read.body), 2.0, "frozen as of its date");
    let (_, docx_after) = file(&admin, &format!("/api/v1/yearly-reports/{id}.docx")).await;
    assert_eq!(document_xml(&docx_before), document_xml(&docx_after));
    // A frozen version cannot be edited, even in the database.
    let tamper = sqlx::query(
        "update yearly_report_version set sha256 = repeat('0', 64) where report_id = $1",
    )
    .bind(id)
    .execute(&admin.pool)
    .await;
    assert!(tamper.is_err());

    // A change makes a draft of version 2, with today's figures; finalising freezes it.
    let changed = reviewer
        .patch_json(
            &format!("/api/v1/yearly-reports/{id}"),
            &json!({"proposals": "Bổ sung: đề nghị hỗ trợ kinh phí."}),
            Some(&format!("\"{}\"", read.body["version"])),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["state"], "draft");
    assert_eq!(towers_value(&changed.body), 4.0);
    let stale = reviewer
        .patch_json(
            &format!("/api/v1/yearly-reports/{id}"),
            &json!({"proposals": "x"}),
            Some(&format!("\"{}\"", read.body["version"])),
        )
        .await;
    assert_eq!(stale.status, 409);
    let second = reviewer
        .post_json(&format!("/api/v1/yearly-reports/{id}/finalise"), &json!({}))
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let versions = second.body["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_ne!(versions[0]["sha256"], versions[1]["sha256"]);
    // Version 1 still reads as it was.
    let (_, old) = file(
        &admin,
        &format!("/api/v1/yearly-reports/{id}.docx?version=1"),
    )
    .await;
    assert_eq!(document_xml(&old), document_xml(&docx_before));
    assert!(
        document_xml(&old).contains("BÁO CÁO "),
        "a finalised report is no draft"
    );
    assert!(!document_xml(&old).contains("DỰ THẢO"));
}

#[tokio::test]
async fn operators_send_their_parts_and_the_province_sees_its_units_and_a_rollup() {
    let admin = spawn_app().await;
    let plan = plan(&admin).await;
    let id = report(&admin, plan).await["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let sent = vnpt
        .send(vnpt.client.put(vnpt.url(&format!("/api/v1/yearly-reports/{id}/parts"))).json(
            &json!({"operator": "VNPT", "body": "Đã kéo cáp quang đến 12 tổ dân phố; hạ ngầm 1,2 km cáp.", "submit": true})))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    let viettel = admin.as_user("viettel").await;
    let forged = viettel
        .send(
            viettel
                .client
                .put(viettel.url(&format!("/api/v1/yearly-reports/{id}/parts")))
                .json(&json!({"operator": "VNPT", "body": "x"})),
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(forged.body["error"]["reason"], "not_own_operator");
    let bad = admin
        .send(
            admin
                .client
                .put(admin.url(&format!("/api/v1/yearly-reports/{id}/parts")))
                .json(&json!({"body": "x"})),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.has_problem("department"));
    assert_eq!(bad.body["error"]["details"][0]["code"], "required");

    let reviewer = admin.as_user("reviewer").await;
    let read = reviewer.get(&format!("/api/v1/yearly-reports/{id}")).await;
    let parts = read.body["facts"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 1, "{}", read.text);
    assert!(parts[0]["text"].as_str().unwrap().contains("12 tổ dân phố"));
    assert!(parts[0]["submitted_on"].is_string());
    assert_eq!(
        reviewer
            .post_json(&format!("/api/v1/yearly-reports/{id}/finalise"), &json!({}))
            .await
            .status,
        200
    );

    // The province's planner sees the ward's report among its units', and the roll-up.
    let planner = admin.as_user("planner").await;
    let province = unit_id(&admin, "51").await;
    let list = planner
        .get(&format!("/api/v1/yearly-reports?unit={province}&year=2026"))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.body.as_array().unwrap().iter().any(|r| r["id"] == id));
    let rollup = planner
        .get(&format!(
            "/api/v1/yearly-reports/rollup?unit={province}&year=2026"
        ))
        .await;
    assert_eq!(rollup.status, 200, "{}", rollup.text);
    let row = rollup.body["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["report_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["state"], "finalised");
    assert_eq!(row["targets"], 3);
    assert!(
        rollup.body["totals"]["Số trạm BTS"].is_object()
            || rollup.body["totals"]
                .as_object()
                .unwrap()
                .values()
                .any(|v| v["reports"] == 1),
        "{}",
        rollup.text
    );
    // A ward's reviewer does not read the province's roll-up; operators read no reports.
    assert_eq!(
        reviewer
            .get(&format!(
                "/api/v1/yearly-reports/rollup?unit={province}&year=2026"
            ))
            .await
            .status,
        403
    );
    assert_eq!(
        vnpt.get(&format!("/api/v1/yearly-reports/{id}"))
            .await
            .status,
        403
    );
}

/// The yearly reports' endpoints for the access matrix: public, admin,
/// reviewer (Chánh Lộ), planner (Quảng Ngãi), VNPT member, Viettel member, VNPT token.
pub const ACCESS: &[(&str, &str, [u16; 7])] = &[
    (
        "POST",
        "/api/v1/yearly-reports",
        [401, 201, 201, 201, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/yearly-reports",
        [401, 200, 200, 200, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/yearly-reports/rollup",
        [401, 200, 403, 200, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/yearly-reports/{key}",
        [401, 200, 200, 200, 403, 403, 403],
    ),
    (
        "PATCH",
        "/api/v1/yearly-reports/{key}",
        [401, 200, 200, 200, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/yearly-reports/{id}/finalise",
        [401, 200, 200, 200, 403, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/yearly-reports/{id}/parts",
        [401, 200, 403, 403, 200, 403, 200],
    ),
];

/// Prepares a request of the matrix, making what it needs as the admin.
pub async fn prepare(method: &str, path: &str, admin: &TestApp) -> Option<Prepared> {
    let ward = unit_id(admin, "21031").await;
    let province = unit_id(admin, "51").await;
    let fresh = || async {
        report(admin, plan(admin).await).await["id"]
            .as_i64()
            .unwrap()
    };
    Some(match (method, path) {
        ("POST", "/api/v1/yearly-reports") => Prepared::Json(
            path.into(),
            Some(json!({"unit": ward, "year": 2026, "plan": plan(admin).await})),
        ),
        ("GET", "/api/v1/yearly-reports") => {
            Prepared::Json(format!("{path}?unit={ward}&year=2026"), None)
        }
        ("GET", "/api/v1/yearly-reports/rollup") => {
            Prepared::Json(format!("{path}?unit={province}&year=2026"), None)
        }
        ("GET", "/api/v1/yearly-reports/{key}") => {
            Prepared::Json(format!("/api/v1/yearly-reports/{}", fresh().await), None)
        }
        ("PATCH", "/api/v1/yearly-reports/{key}") => Prepared::Json(
            format!("/api/v1/yearly-reports/{}", fresh().await),
            Some(json!({"proposals": "Đề nghị."})),
        ),
        ("POST", "/api/v1/yearly-reports/{id}/finalise") => Prepared::Json(
            format!("/api/v1/yearly-reports/{}/finalise", fresh().await),
            Some(json!({})),
        ),
        ("PUT", "/api/v1/yearly-reports/{id}/parts") => Prepared::Json(
            format!("/api/v1/yearly-reports/{}/parts", fresh().await),
            Some(json!({"operator": "VNPT", "body": "Báo cáo của VNPT.", "submit": true})),
        ),
        _ => return None,
    })
}
