//! Who may do what: the role × endpoint matrix, operator isolation, tokens,
//! sessions, CSRF, login throttling, hostile input, and the audit trail.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, password_of, spawn_app};

/// The kinds of caller the matrix tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    Admin,
    Reviewer,
    Planner,
    /// A member of VNPT, which owns the assets the matrix works on.
    Owner,
    /// A member of Viettel.
    Other,
    /// VNPT's API token.
    Token,
}

const WHO: [Who; 7] = [
    Who::Public,
    Who::Admin,
    Who::Reviewer,
    Who::Planner,
    Who::Owner,
    Who::Other,
    Who::Token,
];

/// One endpoint and the status each caller gets, in the order of [`WHO`].
struct Case {
    method: &'static str,
    path: &'static str,
    expect: [u16; 7],
}

const fn case(method: &'static str, path: &'static str, expect: [u16; 7]) -> Case {
    Case {
        method,
        path,
        expect,
    }
}

//                    public admin review plan  owner other token
const ALL_200: [u16; 7] = [200, 200, 200, 200, 200, 200, 200];
const LOGGED_IN: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];
const ADMIN_ONLY: [u16; 7] = [401, 200, 403, 403, 403, 403, 403];
const ADMIN_CREATES: [u16; 7] = [401, 201, 403, 403, 403, 403, 403];
const OWNER_WRITES: [u16; 7] = [401, 200, 403, 403, 200, 403, 200];
const OWNER_CREATES: [u16; 7] = [401, 201, 403, 403, 201, 403, 201];

const MATRIX: &[Case] = &[
    case("GET", "/health", ALL_200),
    case("GET", "/livez", ALL_200),
    case("GET", "/readyz", ALL_200),
    case("GET", "/metrics", ALL_200),
    case("GET", "/api/v1/{kind}", [401, 200, 200, 200, 200, 200, 200]),
    case("POST", "/api/v1/{kind}", OWNER_CREATES),
    case(
        "GET",
        "/api/v1/{kind}/{id}",
        [404, 200, 200, 200, 200, 200, 200],
    ),
    case("PATCH", "/api/v1/{kind}/{id}", OWNER_WRITES),
    case("POST", "/api/v1/{kind}/{id}/decommission", OWNER_WRITES),
    case(
        "GET",
        "/api/v1/assets/{id}",
        [404, 200, 200, 200, 200, 200, 200],
    ),
    case(
        "GET",
        "/api/v1/assets/{id}/history",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case("GET", "/api/v1/assets/{id}/tenancies", LOGGED_IN),
    case("POST", "/api/v1/assets/{id}/tenancies", OWNER_CREATES),
    case(
        "PATCH",
        "/api/v1/assets/{id}/tenancies/{tenancy_id}",
        OWNER_WRITES,
    ),
    case("GET", "/api/v1/operators", ALL_200),
    case("POST", "/api/v1/operators", ADMIN_CREATES),
    case("GET", "/api/v1/operators/{code}", ALL_200),
    case("PATCH", "/api/v1/operators/{code}", ADMIN_ONLY),
    case("GET", "/api/v1/provinces", ALL_200),
    case("GET", "/api/v1/wards", ALL_200),
    case("GET", "/api/v1/wards/{code}", ALL_200),
    case("GET", "/api/v1/wards/{code}/publication", ALL_200),
    case("PUT", "/api/v1/wards/{code}/publication", ADMIN_ONLY),
    case("POST", "/api/v1/auth/login", ALL_200),
    case(
        "POST",
        "/api/v1/auth/logout",
        [204, 204, 204, 204, 204, 204, 204],
    ),
    case("GET", "/api/v1/auth/me", LOGGED_IN),
    // A wrong current password: the request is allowed, the change refused.
    case(
        "POST",
        "/api/v1/auth/password",
        [401, 422, 422, 422, 422, 422, 401],
    ),
    case("GET", "/api/v1/tokens", [401, 200, 403, 403, 200, 403, 403]),
    case(
        "POST",
        "/api/v1/tokens",
        [401, 201, 403, 403, 201, 403, 403],
    ),
    case(
        "DELETE",
        "/api/v1/tokens/{id}",
        [401, 204, 403, 403, 204, 403, 403],
    ),
    case("GET", "/api/v1/users", ADMIN_ONLY),
    case("POST", "/api/v1/users", ADMIN_CREATES),
    case("PATCH", "/api/v1/users/{id}", ADMIN_ONLY),
    case("GET", "/api/v1/history", LOGGED_IN),
    case("GET", "/api/v1/history/verify", ADMIN_ONLY),
    case("GET", "/api/v1/permits", LOGGED_IN),
    case("POST", "/api/v1/permits", OWNER_CREATES),
    case("GET", "/api/v1/permits/stats", ALL_200),
    case(
        "GET",
        "/api/v1/permits/{id}",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case("PATCH", "/api/v1/permits/{id}", OWNER_WRITES),
    case(
        "POST",
        "/api/v1/permits/{id}/actions/{action}",
        OWNER_WRITES,
    ),
    case(
        "POST",
        "/api/v1/permits/{id}/checks",
        [401, 200, 200, 403, 200, 403, 200],
    ),
    case(
        "GET",
        "/api/v1/permits/{id}/attachments",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case(
        "POST",
        "/api/v1/permits/{id}/attachments",
        [401, 201, 201, 403, 201, 403, 201],
    ),
    case(
        "GET",
        "/api/v1/permits/{id}/attachments/{attachment_id}",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case(
        "GET",
        "/api/v1/permits/{id}/permit.html",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case(
        "GET",
        "/api/v1/permits/{id}/permit.pdf",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case("GET", "/verify", ALL_200),
    case("GET", "/api/v1/calendar/{year}", ALL_200),
    case("PUT", "/api/v1/calendar/{year}", ADMIN_ONLY),
    case("GET", "/api/v1/rules", LOGGED_IN),
    case("POST", "/api/v1/rules", ADMIN_CREATES),
    case("PATCH", "/api/v1/rules/{id}", ADMIN_ONLY),
    case("GET", "/api/v1/civil-works", LOGGED_IN),
    case(
        "POST",
        "/api/v1/civil-works",
        [401, 201, 201, 201, 403, 403, 403],
    ),
    case(
        "DELETE",
        "/api/v1/civil-works/{id}",
        [401, 204, 204, 204, 403, 403, 403],
    ),
    case("GET", "/api/v1/restricted-zones", LOGGED_IN),
    case(
        "POST",
        "/api/v1/restricted-zones",
        [401, 201, 201, 201, 403, 403, 403],
    ),
    case(
        "DELETE",
        "/api/v1/restricted-zones/{id}",
        [401, 204, 204, 204, 403, 403, 403],
    ),
    case(
        "GET",
        "/api/v1/notifications",
        [401, 200, 200, 200, 200, 200, 401],
    ),
    case(
        "POST",
        "/api/v1/notifications/read",
        [401, 204, 204, 204, 204, 204, 401],
    ),
    // Nobody has notification 0: the gate is what is tested.
    case(
        "POST",
        "/api/v1/notifications/{id}/read",
        [401, 404, 404, 404, 404, 404, 401],
    ),
    case("GET", "/api/v1/undergrounding/areas", LOGGED_IN),
    case("POST", "/api/v1/undergrounding/areas", PLANNER_CREATES),
    case(
        "PATCH",
        "/api/v1/undergrounding/areas/{id}",
        [401, 204, 403, 204, 403, 403, 403],
    ),
    case(
        "DELETE",
        "/api/v1/undergrounding/areas/{id}",
        [401, 204, 403, 204, 403, 403, 403],
    ),
    case("GET", "/api/v1/undergrounding/flags", LOGGED_IN),
    case("GET", "/api/v1/undergrounding/dashboard", LOGGED_IN),
    case("GET", "/api/v1/undergrounding/projects", LOGGED_IN),
    case("POST", "/api/v1/undergrounding/projects", PLANNER_CREATES),
    case("GET", "/api/v1/undergrounding/projects/{id}", LOGGED_IN),
    case(
        "POST",
        "/api/v1/undergrounding/projects/{id}/status",
        PLANNER_WRITES,
    ),
    case(
        "POST",
        "/api/v1/undergrounding/projects/{id}/progress",
        PLANNER_WRITES,
    ),
    case(
        "POST",
        "/api/v1/undergrounding/projects/{id}/removal",
        [401, 403, 403, 403, 200, 403, 200],
    ),
    case(
        "GET",
        "/api/v1/undergrounding/projects/{id}/removal/{operator}/photo",
        LOGGED_IN,
    ),
    case(
        "POST",
        "/api/v1/undergrounding/projects/{id}/close",
        PLANNER_WRITES,
    ),
    case("GET", "/api/v1/sharing/ratio", LOGGED_IN),
    case("GET", "/api/v1/sharing/capacity", LOGGED_IN),
    case("GET", "/api/v1/sharing/colocation", LOGGED_IN),
    case("GET", "/api/v1/sharing/path", LOGGED_IN),
    case("GET", "/api/v1/civil-works/{id}", LOGGED_IN),
    case(
        "POST",
        "/api/v1/civil-works/{id}/interest",
        [401, 403, 403, 403, 204, 204, 204],
    ),
    case("GET", "/ogc", ALL_200),
    case("GET", "/ogc/conformance", ALL_200),
    case("GET", "/ogc/collections", ALL_200),
    case("GET", "/ogc/collections/{collectionId}", ALL_200),
    case("GET", "/ogc/collections/{collectionId}/items", LOGGED_IN),
    case(
        "GET",
        "/ogc/collections/{collectionId}/items/{featureId}",
        LOGGED_IN,
    ),
    case("POST", "/api/v1/imports", OWNER_CREATES),
    // Another operator's job does not exist for them.
    case(
        "GET",
        "/api/v1/imports/{id}",
        [401, 200, 404, 404, 200, 404, 200],
    ),
    case(
        "PUT",
        "/api/v1/imports/{id}/mapping",
        [401, 200, 404, 404, 200, 404, 200],
    ),
    case(
        "POST",
        "/api/v1/imports/{id}/validate",
        [401, 202, 404, 404, 202, 404, 202],
    ),
    case(
        "POST",
        "/api/v1/imports/{id}/commit",
        [401, 202, 404, 404, 202, 404, 202],
    ),
    case("GET", "/api/v1/{kind}/export", LOGGED_IN),
    case("GET", "/tiles", ALL_200),
    case("GET", "/tiles/_stats", LOGGED_IN),
    case("GET", "/tiles/{layers}", ALL_200),
    case("GET", "/tiles/{layers}/{z}/{x}/{y}", ALL_200),
    // In the field: reports, photos, violations, inspections, detection lists, Open311.
    case("GET", "/api/v1/incidents/types", ALL_200),
    case("GET", "/api/v1/incidents/challenge", ALL_200),
    case("GET", "/api/v1/incidents", LOGGED_IN),
    // The public without a solved challenge: refused as invalid, not for its role.
    case(
        "POST",
        "/api/v1/incidents",
        [422, 201, 201, 201, 201, 201, 201],
    ),
    case(
        "GET",
        "/api/v1/incidents/{id}",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case(
        "GET",
        "/api/v1/incidents/{id}/candidates",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    // `acknowledge`, a step of the operator the report is assigned to (VNPT).
    case(
        "POST",
        "/api/v1/incidents/{id}/actions/{action}",
        [401, 200, 403, 403, 200, 403, 200],
    ),
    case("GET", "/api/v1/incidents/track/{reference}", ALL_200),
    // A finding's photo: the ward's staff and the operator the finding names.
    case(
        "GET",
        "/api/v1/photos/{id}",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    case("GET", "/api/v1/violations", LOGGED_IN),
    case("POST", "/api/v1/violations", FIELD_CREATES),
    case(
        "GET",
        "/api/v1/violations/{id}",
        [401, 200, 200, 200, 200, 403, 200],
    ),
    // `verify`, the ward's step.
    case(
        "POST",
        "/api/v1/violations/{id}/actions/{action}",
        FIELD_WRITES,
    ),
    case("GET", "/api/v1/inspections/checklists", LOGGED_IN),
    case("GET", "/api/v1/inspections/rules", LOGGED_IN),
    case("POST", "/api/v1/inspections/rules", ADMIN_CREATES),
    case("PUT", "/api/v1/inspections/rules/{rule_key}", ADMIN_ONLY),
    case("GET", "/api/v1/inspections", FIELD_READS),
    case("POST", "/api/v1/inspections", FIELD_CREATES),
    case("GET", "/api/v1/inspections/{id}", FIELD_READS),
    case(
        "POST",
        "/api/v1/inspections/{id}/actions/{action}",
        FIELD_WRITES,
    ),
    case("POST", "/api/v1/inspections/{id}/findings", FIELD_CREATES),
    case("GET", "/api/v1/inspections/stats", FIELD_READS),
    case("GET", "/api/v1/detection/unpermitted", FIELD_READS),
    case("GET", "/api/v1/detection/as-built", FIELD_READS),
    case("GET", "/api/v1/detection/unlabelled", FIELD_READS),
    case(
        "POST",
        "/api/v1/detection/{list}/{id}/violation",
        FIELD_CREATES,
    ),
    case("GET", "/open311/v2/discovery.json", ALL_200),
    case("GET", "/open311/v2/services.json", ALL_200),
    case("GET", "/open311/v2/services.xml", ALL_200),
    // `{file}` is `{service_code}.json` (or `.xml`, below).
    case("GET", "/open311/v2/services/{file}", ALL_200),
    case("GET", "/open311/v2/services/{service_code}.xml", ALL_200),
    case("GET", "/open311/v2/requests.json", ALL_200),
    case("GET", "/open311/v2/requests.xml", ALL_200),
    // Open311 knows no session: who files is said by `api_key` (VNPT's token here).
    case("POST", "/open311/v2/requests.json", ALL_201),
    case("POST", "/open311/v2/requests.xml", ALL_201),
    // `{file}` is `{service_request_id}.json` (or `.xml`, below).
    case("GET", "/open311/v2/requests/{file}", ALL_200),
    case(
        "GET",
        "/open311/v2/requests/{service_request_id}.xml",
        ALL_200,
    ),
];

const ALL_201: [u16; 7] = [201, 201, 201, 201, 201, 201, 201];
/// The ward's staff in scope (reviewers) and admins.
const FIELD_CREATES: [u16; 7] = [401, 201, 201, 403, 403, 403, 403];
const FIELD_WRITES: [u16; 7] = [401, 200, 200, 403, 403, 403, 403];
/// Staff: reviewers and planners in scope, admins.
const FIELD_READS: [u16; 7] = [401, 200, 200, 200, 403, 403, 403];

/// A report in Chánh Lộ, triaged and assigned to VNPT by the admin: (id, tracking code).
async fn assigned_incident(admin: &TestApp) -> (i64, String) {
    let filed = admin
        .post_json("/api/v1/incidents", &json!({"incident_type": "cable_low", "description": "Cáp võng", "lon": IN_CHANH_LO[0], "lat": IN_CHANH_LO[1]}))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.body["id"].as_i64().unwrap();
    for (action, body) in [
        ("triage", json!({})),
        ("assign", json!({"operator": "VNPT"})),
    ] {
        let moved = admin
            .post_json(&format!("/api/v1/incidents/{id}/actions/{action}"), &body)
            .await;
        assert_eq!(moved.status, 200, "{action}: {}", moved.text);
    }
    (id, filed.body["reference"].as_str().unwrap().to_string())
}

/// An inspection round over Chánh Lộ's west, planned by the admin.
async fn field_round(admin: &TestApp) -> i64 {
    let round = admin
        .post_json(
            "/api/v1/inspections",
            &json!({"title": unique("Kiểm tra "), "category": "routine", "planned_on": "2026-12-15",
                    "geometry": {"type": "Polygon", "coordinates": [[[108.799, 15.114], [108.801, 15.114], [108.801, 15.116], [108.799, 15.116], [108.799, 15.114]]]}}),
        )
        .await;
    assert_eq!(round.status, 201, "{}", round.text);
    round.body["id"].as_i64().unwrap()
}

/// An open violation of VNPT, opened by the admin.
async fn vnpt_violation(admin: &TestApp) -> i64 {
    let pole = vnpt_pole(admin).await;
    let opened = admin
        .post_json("/api/v1/violations", &json!({"title": "Cáp không có thẻ", "legal_basis": "QCVN 33:2019/BTTTT, mục 2.7.2", "asset_id": pole}))
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    opened.body["id"].as_i64().unwrap()
}

/// The photo of a finding naming VNPT.
async fn finding_photo(admin: &TestApp) -> i64 {
    let round = field_round(admin).await;
    let form = reqwest::multipart::Form::new()
        .text("data", json!({"note": "Ảnh hiện trường", "lon": IN_CHANH_LO[0], "lat": IN_CHANH_LO[1], "responsible_operator": "VNPT"}).to_string())
        .part("photo", reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec()).file_name("anh.jpg"));
    let recorded = admin
        .send(
            admin
                .client
                .post(admin.url(&format!("/api/v1/inspections/{round}/findings")))
                .multipart(form),
        )
        .await;
    assert_eq!(recorded.status, 201, "{}", recorded.text);
    recorded.body["finding"]["photos"][0]["id"]
        .as_i64()
        .unwrap()
}

/// A GeoJSON file of two VNPT poles, as an operator's inventory would export it.
fn poles_file() -> Vec<u8> {
    json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": point(108.8, 15.115), "properties": {"code": unique("IMP-"), "material": "concrete", "height_m": 8.0}},
        {"type": "Feature", "geometry": point(108.801, 15.115), "properties": {"code": unique("IMP-"), "material": "steel", "height_m": 7.5}}
    ]})
    .to_string()
    .into_bytes()
}

/// An import job of VNPT poles, uploaded by the admin.
async fn import_job(admin: &TestApp) -> i64 {
    let reply = admin
        .send(
            admin
                .client
                .post(admin.url("/api/v1/imports?kind=poles&operator=VNPT&file_name=cot.geojson"))
                .header("content-type", "application/octet-stream")
                .body(poles_file()),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

const PLANNER_CREATES: [u16; 7] = [401, 201, 403, 201, 403, 403, 403];
const PLANNER_WRITES: [u16; 7] = [401, 200, 403, 200, 403, 403, 403];

/// An undergrounding area in Chánh Lộ, made by the admin.
async fn area(admin: &TestApp) -> i64 {
    let reply = admin
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": unique("Phố "), "geometry": line(&[[108.797, 15.115], [108.803, 15.115]]), "target_year": 2027, "source_doc": "Kế hoạch thử"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// An undergrounding project with VNPT taking part, moved on to `status`.
async fn project(admin: &TestApp, status: &str) -> i64 {
    let reply = admin
        .post_json(
            "/api/v1/undergrounding/projects",
            &json!({"name": unique("Dự án "), "geometry": line(&[[108.797, 15.115], [108.803, 15.115]]), "operators": ["VNPT"]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.body["id"].as_i64().unwrap();
    let steps: &[&str] = match status {
        "in_progress" => &["in_progress"],
        "completed" => &["in_progress", "completed"],
        _ => &[],
    };
    for next in steps {
        let moved = admin
            .post_json(
                &format!("/api/v1/undergrounding/projects/{id}/status"),
                &json!({"status": next}),
            )
            .await;
        assert_eq!(moved.status, 200, "{}", moved.text);
    }
    id
}

fn removal_photo() -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(b"\x89PNG\r\n\x1a\n\0\0".to_vec()).file_name("anh.png"),
    )
}

/// A permit application by VNPT in Chánh Lộ, as the admin makes it: a draft,
/// or moved on by `actions` (as the admin).
async fn vnpt_application(admin: &TestApp, actions: &[(&str, Value)]) -> i64 {
    let reply = admin
        .post_json(
            "/api/v1/permits",
            &json!({"operator": "VNPT", "works_type": "tower", "title": "Trạm thử", "geometry": point(IN_CHANH_LO[0], IN_CHANH_LO[1]),
                    "planned_start": "2027-01-04", "planned_end": "2027-02-26",
                    "tower": {"tower_class": "A2b", "height_m": 30.0, "placement": "ground"}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.body["id"].as_i64().unwrap();
    for (action, body) in actions {
        let moved = admin
            .post_json(&format!("/api/v1/permits/{id}/actions/{action}"), body)
            .await;
        assert_eq!(moved.status, 200, "{action}: {}", moved.text);
    }
    id
}

fn granted_path() -> Vec<(&'static str, Value)> {
    vec![
        ("submit", json!({})),
        ("begin_check", json!({})),
        ("accept", json!({})),
        ("grant", json!({})),
    ]
}

fn a_pdf() -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("ban-ve.pdf"),
    )
}

struct Callers {
    admin: TestApp,
    apps: Vec<TestApp>,
}

async fn callers(admin: &TestApp) -> Callers {
    let token = admin
        .as_user("vnpt")
        .await
        .post_json("/api/v1/tokens", &json!({"name": "matrix"}))
        .await;
    assert_eq!(token.status, 201, "{}", token.text);
    let token = token.body["token"].as_str().unwrap();
    let mut apps = Vec::new();
    for who in WHO {
        apps.push(match who {
            Who::Public => admin.anonymous(),
            Who::Admin => admin.clone(),
            Who::Reviewer => admin.as_user("reviewer").await,
            Who::Planner => admin.as_user("planner").await,
            Who::Owner => admin.as_user("vnpt").await,
            Who::Other => admin.as_user("viettel").await,
            Who::Token => admin.with_token(token),
        });
    }
    Callers {
        admin: admin.clone(),
        apps,
    }
}

/// A checklist rule to add or change (for the matrix).
fn checklist_rule(key: &str) -> Value {
    json!({"rule_key": key, "asset_kinds": ["pole"], "title_vi": "Cột có biển số", "title_en": "The pole has its number plate",
           "citation": "Quy định thử", "severity": "advice", "fix_days": 5})
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::SeqCst))
}

/// A fresh VNPT pole in Chánh Lộ, made by the admin.
async fn vnpt_pole(admin: &TestApp) -> i64 {
    let mut feature = pole(&unique("M-P-"), IN_CHANH_LO[0], IN_CHANH_LO[1]);
    feature["properties"]["operator"] = json!("VNPT");
    admin.create("poles", &feature).await
}

/// Makes the request of `case` as `app`, preparing fresh resources with the admin.
async fn attempt(case: &Case, who: Who, app: &TestApp, admin: &TestApp) -> u16 {
    let request = |method: &str, path: &str, body: Option<Value>| {
        let url = app.url(path);
        let builder = match method {
            "GET" => app.client.get(url),
            "POST" => app.client.post(url),
            "PATCH" => app.client.patch(url),
            "PUT" => app.client.put(url),
            "DELETE" => app.client.delete(url),
            other => panic!("unexpected method {other}"),
        };
        match body {
            Some(body) => builder.json(&body),
            None => builder,
        }
    };
    let (path, body): (String, Option<Value>) = match (case.method, case.path) {
        ("GET", "/api/v1/{kind}") => ("/api/v1/poles".into(), None),
        ("POST", "/api/v1/{kind}") => {
            let mut feature = pole(&unique("M-NEW-"), IN_CHANH_LO[0], IN_CHANH_LO[1]);
            feature["properties"]["operator"] = json!("VNPT");
            ("/api/v1/poles".into(), Some(feature))
        }
        ("GET", "/api/v1/{kind}/{id}") => {
            (format!("/api/v1/poles/{}", vnpt_pole(admin).await), None)
        }
        ("PATCH", "/api/v1/{kind}/{id}") => (
            format!("/api/v1/poles/{}", vnpt_pole(admin).await),
            Some(json!({"properties": {"height_m": 9.5}})),
        ),
        ("POST", "/api/v1/{kind}/{id}/decommission") => (
            format!("/api/v1/poles/{}/decommission", vnpt_pole(admin).await),
            Some(json!({"reason": "matrix"})),
        ),
        ("GET", "/api/v1/assets/{id}") => {
            (format!("/api/v1/assets/{}", vnpt_pole(admin).await), None)
        }
        ("GET", "/api/v1/assets/{id}/history") => (
            format!("/api/v1/assets/{}/history", vnpt_pole(admin).await),
            None,
        ),
        ("GET", "/api/v1/assets/{id}/tenancies") => (
            format!("/api/v1/assets/{}/tenancies", vnpt_pole(admin).await),
            None,
        ),
        ("POST", "/api/v1/assets/{id}/tenancies") => (
            format!("/api/v1/assets/{}/tenancies", vnpt_pole(admin).await),
            Some(json!({"tenant": "FPT", "since": "2024-01-01"})),
        ),
        ("PATCH", "/api/v1/assets/{id}/tenancies/{tenancy_id}") => {
            let id = vnpt_pole(admin).await;
            let tenancy = admin
                .post_json(
                    &format!("/api/v1/assets/{id}/tenancies"),
                    &json!({"tenant": "FPT", "since": "2024-01-01"}),
                )
                .await;
            let tenancy_id = tenancy.body["id"].as_i64().unwrap();
            (
                format!("/api/v1/assets/{id}/tenancies/{tenancy_id}"),
                Some(json!({"until": "2030-12-31"})),
            )
        }
        ("POST", "/api/v1/operators") => {
            let code = unique("OPM");
            (
                "/api/v1/operators".into(),
                Some(json!({"code": code, "legal_name": "Công ty thử", "short_name": "Thử"})),
            )
        }
        ("GET", "/api/v1/operators/{code}") => ("/api/v1/operators/VNPT".into(), None),
        ("PATCH", "/api/v1/operators/{code}") => (
            "/api/v1/operators/FPT".into(),
            Some(json!({"contact_phone": "0255 3 000 000"})),
        ),
        ("GET", "/api/v1/wards/{code}") => ("/api/v1/wards/21031".into(), None),
        ("GET", "/api/v1/wards/{code}/publication") => {
            ("/api/v1/wards/21031/publication".into(), None)
        }
        ("PUT", "/api/v1/wards/{code}/publication") => (
            "/api/v1/wards/21019/publication".into(),
            Some(json!({"towers": true, "undergrounding": false, "planned_works": false})),
        ),
        ("POST", "/api/v1/auth/login") => (
            "/api/v1/auth/login".into(),
            Some(json!({"username": "fpt", "password": password_of("fpt")})),
        ),
        ("POST", "/api/v1/auth/logout") => {
            // Log out a throw-away session, not the caller's own.
            let throwaway = admin.as_user("fpt").await;
            let session = throwaway.session.unwrap();
            let response = app
                .anonymous()
                .send(request("POST", "/api/v1/auth/logout", None).header("Cookie", session.cookie))
                .await;
            return response.status;
        }
        ("POST", "/api/v1/auth/password") => (
            "/api/v1/auth/password".into(),
            Some(
                json!({"current_password": "not my password", "new_password": "a-new-password-2026"}),
            ),
        ),
        ("GET", "/api/v1/tokens") => ("/api/v1/tokens?operator=VNPT".into(), None),
        ("POST", "/api/v1/tokens") => (
            "/api/v1/tokens".into(),
            Some(json!({"name": "matrix", "operator": "VNPT"})),
        ),
        ("DELETE", "/api/v1/tokens/{id}") => {
            let token = admin
                .post_json(
                    "/api/v1/tokens",
                    &json!({"name": "to revoke", "operator": "VNPT"}),
                )
                .await;
            (format!("/api/v1/tokens/{}", token.body["id"]), None)
        }
        ("POST", "/api/v1/users") => (
            "/api/v1/users".into(),
            Some(
                json!({"username": unique("matrix.user"), "display_name": "Người dùng thử", "role": "planner", "scope": ["51"]}),
            ),
        ),
        ("PATCH", "/api/v1/users/{id}") => {
            let user = admin
                .post_json(
                    "/api/v1/users",
                    &json!({"username": unique("matrix.patch"), "display_name": "Thử", "role": "reviewer", "scope": ["21031"]}),
                )
                .await;
            (
                format!("/api/v1/users/{}", user.body["id"]),
                Some(json!({"display_name": "Đã đổi tên"})),
            )
        }
        ("POST", "/api/v1/permits") => (
            "/api/v1/permits".into(),
            Some(
                json!({"operator": "VNPT", "works_type": "excavation_repair", "title": "Đào sửa cáp", "geometry": point(108.8, 15.11),
                        "planned_start": "2027-01-04", "planned_end": "2027-01-08"}),
            ),
        ),
        ("GET", "/api/v1/permits/{id}") => (
            format!(
                "/api/v1/permits/{}",
                vnpt_application(admin, &[("submit", json!({}))]).await
            ),
            None,
        ),
        ("PATCH", "/api/v1/permits/{id}") => (
            format!("/api/v1/permits/{}", vnpt_application(admin, &[]).await),
            Some(json!({"title": "Trạm thử (sửa)"})),
        ),
        ("POST", "/api/v1/permits/{id}/actions/{action}") => (
            format!(
                "/api/v1/permits/{}/actions/submit",
                vnpt_application(admin, &[]).await
            ),
            Some(json!({})),
        ),
        ("POST", "/api/v1/permits/{id}/checks") => (
            format!(
                "/api/v1/permits/{}/checks",
                vnpt_application(admin, &[("submit", json!({}))]).await
            ),
            None,
        ),
        ("GET", "/api/v1/permits/{id}/attachments") => (
            format!(
                "/api/v1/permits/{}/attachments",
                vnpt_application(admin, &[]).await
            ),
            None,
        ),
        ("POST", "/api/v1/permits/{id}/attachments") => {
            let id = vnpt_application(admin, &[]).await;
            let reply = app
                .send(
                    app.client
                        .post(app.url(&format!("/api/v1/permits/{id}/attachments")))
                        .multipart(a_pdf()),
                )
                .await;
            return reply.status;
        }
        ("GET", "/api/v1/permits/{id}/attachments/{attachment_id}") => {
            let id = vnpt_application(admin, &[]).await;
            let uploaded = admin
                .send(
                    admin
                        .client
                        .post(admin.url(&format!("/api/v1/permits/{id}/attachments")))
                        .multipart(a_pdf()),
                )
                .await;
            (
                format!("/api/v1/permits/{id}/attachments/{}", uploaded.body["id"]),
                None,
            )
        }
        ("GET", "/api/v1/permits/{id}/permit.html") => (
            format!(
                "/api/v1/permits/{}/permit.html",
                vnpt_application(admin, &granted_path()).await
            ),
            None,
        ),
        ("GET", "/api/v1/permits/{id}/permit.pdf") => (
            format!(
                "/api/v1/permits/{}/permit.pdf",
                vnpt_application(admin, &granted_path()).await
            ),
            None,
        ),
        ("GET", "/verify") => {
            let id = vnpt_application(admin, &granted_path()).await;
            let html = admin
                .get(&format!("/api/v1/permits/{id}/permit.html"))
                .await;
            let link = html
                .text
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .replace("&amp;", "&");
            let path = link
                .split_once("/verify")
                .map(|(_, rest)| format!("/verify{rest}"))
                .unwrap();
            (path, None)
        }
        ("GET", "/api/v1/calendar/{year}") => ("/api/v1/calendar/2026".into(), None),
        ("PUT", "/api/v1/calendar/{year}") => (
            "/api/v1/calendar/2031".into(),
            Some(json!([{"day": "2031-01-01", "name": "Tết Dương lịch"}])),
        ),
        ("POST", "/api/v1/rules") => (
            "/api/v1/rules".into(),
            Some(
                json!({"rule_key": "deadline.warning", "valid_from": "2030-01-01", "value": {"days": 3}, "citation": "Cấu hình thử"}),
            ),
        ),
        ("PATCH", "/api/v1/rules/{id}") => {
            let rule = admin
                .post_json("/api/v1/rules", &json!({"rule_key": "deadline.warning", "valid_from": "2031-01-01", "value": {"days": 3}, "citation": "Thử"}))
                .await;
            (
                format!("/api/v1/rules/{}", rule.body["id"]),
                Some(json!({"note": "đã sửa"})),
            )
        }
        ("POST", "/api/v1/civil-works") => (
            "/api/v1/civil-works".into(),
            Some(
                json!({"title": "Lát vỉa hè", "sector": "road", "owner_org": "Phường", "geometry": line(&[[108.799, 15.111], [108.801, 15.111]]),
                        "starts_on": "2027-01-01", "ends_on": "2027-02-01"}),
            ),
        ),
        ("DELETE", "/api/v1/civil-works/{id}") => {
            let work = admin
                .post_json(
                    "/api/v1/civil-works",
                    &json!({"title": "Lát vỉa hè", "sector": "road", "owner_org": "Phường", "geometry": line(&[[108.799, 15.111], [108.801, 15.111]]),
                            "starts_on": "2027-01-01", "ends_on": "2027-02-01"}),
                )
                .await;
            (format!("/api/v1/civil-works/{}", work.body["id"]), None)
        }
        ("POST", "/api/v1/restricted-zones") => (
            "/api/v1/restricted-zones".into(),
            Some(
                json!({"name": "Đình làng", "zone_type": "heritage", "geometry": point(108.801, 15.116), "buffer_m": 30, "citation": "Quyết định xếp hạng"}),
            ),
        ),
        ("DELETE", "/api/v1/restricted-zones/{id}") => {
            let zone = admin
                .post_json(
                    "/api/v1/restricted-zones",
                    &json!({"name": "Đình làng", "zone_type": "heritage", "geometry": point(108.801, 15.116), "buffer_m": 30, "citation": "Quyết định"}),
                )
                .await;
            (
                format!("/api/v1/restricted-zones/{}", zone.body["id"]),
                None,
            )
        }
        ("POST", "/api/v1/notifications/{id}/read") => {
            ("/api/v1/notifications/0/read".into(), None)
        }
        ("POST", "/api/v1/undergrounding/areas") => (
            "/api/v1/undergrounding/areas".into(),
            Some(
                json!({"name": unique("Phố "), "geometry": line(&[[108.797, 15.116], [108.803, 15.116]]), "target_year": 2027, "source_doc": "Kế hoạch"}),
            ),
        ),
        ("PATCH", "/api/v1/undergrounding/areas/{id}") => (
            format!("/api/v1/undergrounding/areas/{}", area(admin).await),
            Some(json!({"target_year": 2028})),
        ),
        ("DELETE", "/api/v1/undergrounding/areas/{id}") => (
            format!("/api/v1/undergrounding/areas/{}", area(admin).await),
            None,
        ),
        ("GET", "/api/v1/undergrounding/dashboard") => {
            ("/api/v1/undergrounding/dashboard?ward=21031".into(), None)
        }
        ("POST", "/api/v1/undergrounding/projects") => (
            "/api/v1/undergrounding/projects".into(),
            Some(
                json!({"name": unique("Dự án "), "geometry": line(&[[108.797, 15.117], [108.803, 15.117]]), "operators": ["VNPT"]}),
            ),
        ),
        ("GET", "/api/v1/undergrounding/projects/{id}") => (
            format!(
                "/api/v1/undergrounding/projects/{}",
                project(admin, "planned").await
            ),
            None,
        ),
        ("POST", "/api/v1/undergrounding/projects/{id}/status") => (
            format!(
                "/api/v1/undergrounding/projects/{}/status",
                project(admin, "planned").await
            ),
            Some(json!({"status": "in_progress"})),
        ),
        ("POST", "/api/v1/undergrounding/projects/{id}/progress") => (
            format!(
                "/api/v1/undergrounding/projects/{}/progress",
                project(admin, "in_progress").await
            ),
            Some(json!({"day": "2026-10-01", "km_built": 0.2})),
        ),
        ("POST", "/api/v1/undergrounding/projects/{id}/removal") => {
            let id = project(admin, "completed").await;
            let url = app.url(&format!("/api/v1/undergrounding/projects/{id}/removal"));
            return app
                .send(app.client.post(url).multipart(removal_photo()))
                .await
                .status;
        }
        ("GET", "/api/v1/undergrounding/projects/{id}/removal/{operator}/photo") => {
            let id = project(admin, "completed").await;
            let vnpt = admin.as_user("vnpt").await;
            let url = vnpt.url(&format!("/api/v1/undergrounding/projects/{id}/removal"));
            vnpt.send(vnpt.client.post(url).multipart(removal_photo()))
                .await;
            (
                format!("/api/v1/undergrounding/projects/{id}/removal/VNPT/photo"),
                None,
            )
        }
        ("POST", "/api/v1/undergrounding/projects/{id}/close") => {
            let id = project(admin, "completed").await;
            let vnpt = admin.as_user("vnpt").await;
            let url = vnpt.url(&format!("/api/v1/undergrounding/projects/{id}/removal"));
            vnpt.send(vnpt.client.post(url).multipart(removal_photo()))
                .await;
            (
                format!("/api/v1/undergrounding/projects/{id}/close"),
                Some(json!({})),
            )
        }
        ("GET", "/api/v1/sharing/colocation") => (
            "/api/v1/sharing/colocation?lon=108.8&lat=15.115".into(),
            None,
        ),
        ("GET", "/api/v1/sharing/path") => {
            let a = admin
                .create("manholes", &manhole(&unique("MH-A"), 108.798, 15.115))
                .await;
            let b = admin
                .create("manholes", &manhole(&unique("MH-B"), 108.799, 15.115))
                .await;
            (format!("/api/v1/sharing/path?from={a}&to={b}"), None)
        }
        ("GET", "/api/v1/civil-works/{id}") | ("POST", "/api/v1/civil-works/{id}/interest") => {
            let work = admin
                .post_json(
                    "/api/v1/civil-works",
                    &json!({"title": "Lát vỉa hè", "sector": "road", "owner_org": "Phường", "geometry": line(&[[108.799, 15.111], [108.801, 15.111]]),
                            "starts_on": "2027-01-01", "ends_on": "2027-02-01"}),
                )
                .await;
            let id = work.body["id"].as_i64().unwrap();
            if case.method == "POST" {
                (
                    format!("/api/v1/civil-works/{id}/interest"),
                    Some(json!({"note": "quan tâm"})),
                )
            } else {
                (format!("/api/v1/civil-works/{id}"), None)
            }
        }
        ("GET", "/ogc/collections/{collectionId}") => ("/ogc/collections/poles".into(), None),
        ("GET", "/ogc/collections/{collectionId}/items") => {
            ("/ogc/collections/poles/items?limit=5".into(), None)
        }
        ("GET", "/ogc/collections/{collectionId}/items/{featureId}") => (
            format!("/ogc/collections/poles/items/{}", vnpt_pole(admin).await),
            None,
        ),
        ("POST", "/api/v1/imports") => {
            let url = app.url("/api/v1/imports?kind=poles&operator=VNPT&file_name=cot.geojson");
            let request = app
                .client
                .post(url)
                .header("content-type", "application/octet-stream")
                .body(poles_file());
            return app.send(request).await.status;
        }
        ("GET", "/api/v1/imports/{id}") => {
            (format!("/api/v1/imports/{}", import_job(admin).await), None)
        }
        ("PUT", "/api/v1/imports/{id}/mapping") => (
            format!("/api/v1/imports/{}/mapping", import_job(admin).await),
            Some(json!({"mapping": {}})),
        ),
        ("POST", "/api/v1/imports/{id}/validate") => (
            format!("/api/v1/imports/{}/validate", import_job(admin).await),
            None,
        ),
        ("POST", "/api/v1/imports/{id}/commit") => (
            format!("/api/v1/imports/{}/commit", import_job(admin).await),
            None,
        ),
        ("GET", "/api/v1/{kind}/export") => ("/api/v1/poles/export?format=geojson".into(), None),
        ("GET", "/tiles/{layers}") => ("/tiles/towers,wards".into(), None),
        ("GET", "/tiles/{layers}/{z}/{x}/{y}") => {
            ("/tiles/towers,wards/14/13143/7495".into(), None)
        }
        ("POST", "/api/v1/incidents") => (
            "/api/v1/incidents".into(),
            Some(
                json!({"incident_type": "outage", "description": "Mất sóng", "lon": IN_CHANH_LO[0], "lat": IN_CHANH_LO[1]}),
            ),
        ),
        ("GET", "/api/v1/incidents/{id}") => (
            format!("/api/v1/incidents/{}", assigned_incident(admin).await.0),
            None,
        ),
        ("GET", "/api/v1/incidents/{id}/candidates") => (
            format!(
                "/api/v1/incidents/{}/candidates",
                assigned_incident(admin).await.0
            ),
            None,
        ),
        ("POST", "/api/v1/incidents/{id}/actions/{action}") => (
            format!(
                "/api/v1/incidents/{}/actions/acknowledge",
                assigned_incident(admin).await.0
            ),
            Some(json!({})),
        ),
        ("GET", "/api/v1/incidents/track/{reference}") => (
            format!(
                "/api/v1/incidents/track/{}",
                assigned_incident(admin).await.1
            ),
            None,
        ),
        ("GET", "/api/v1/photos/{id}") => (
            format!("/api/v1/photos/{}", finding_photo(admin).await),
            None,
        ),
        ("POST", "/api/v1/violations") => (
            "/api/v1/violations".into(),
            Some(
                json!({"title": "Cột nghiêng", "legal_basis": "QCVN 33:2019/BTTTT", "asset_id": vnpt_pole(admin).await}),
            ),
        ),
        ("GET", "/api/v1/violations/{id}") => (
            format!("/api/v1/violations/{}", vnpt_violation(admin).await),
            None,
        ),
        ("POST", "/api/v1/violations/{id}/actions/{action}") => (
            format!(
                "/api/v1/violations/{}/actions/verify",
                vnpt_violation(admin).await
            ),
            Some(json!({})),
        ),
        ("POST", "/api/v1/inspections") => (
            "/api/v1/inspections".into(),
            Some(
                json!({"title": "Kiểm tra", "category": "routine", "planned_on": "2026-12-15",
                        "geometry": {"type": "LineString", "coordinates": [[108.799, 15.115], [108.801, 15.115]]}}),
            ),
        ),
        ("GET", "/api/v1/inspections/{id}") => (
            format!("/api/v1/inspections/{}", field_round(admin).await),
            None,
        ),
        ("POST", "/api/v1/inspections/{id}/actions/{action}") => (
            format!(
                "/api/v1/inspections/{}/actions/start",
                field_round(admin).await
            ),
            Some(json!({})),
        ),
        ("POST", "/api/v1/inspections/{id}/findings") => (
            format!("/api/v1/inspections/{}/findings", field_round(admin).await),
            Some(json!({"note": "Bình thường", "lon": IN_CHANH_LO[0], "lat": IN_CHANH_LO[1]})),
        ),
        ("POST", "/api/v1/inspections/rules") => (
            "/api/v1/inspections/rules".into(),
            Some(checklist_rule(&unique("test.matrix_"))),
        ),
        ("PUT", "/api/v1/inspections/rules/{rule_key}") => {
            let key = unique("test.matrix_");
            let added = admin
                .post_json("/api/v1/inspections/rules", &checklist_rule(&key))
                .await;
            assert_eq!(added.status, 201, "{}", added.text);
            (
                format!("/api/v1/inspections/rules/{key}"),
                Some(checklist_rule(&key)),
            )
        }
        ("POST", "/api/v1/detection/{list}/{id}/violation") => {
            let mut t = tower(&unique("M-T-"));
            t["properties"]["operator"] = json!("VNPT");
            (
                format!(
                    "/api/v1/detection/unpermitted/{}/violation",
                    admin.create("towers", &t).await
                ),
                Some(json!({})),
            )
        }
        ("GET", "/open311/v2/services/{file}") => {
            ("/open311/v2/services/pole_fallen.json".into(), None)
        }
        ("GET", "/open311/v2/services/{service_code}.xml") => {
            ("/open311/v2/services/pole_fallen.xml".into(), None)
        }
        ("GET", "/open311/v2/requests/{file}") => (
            format!(
                "/open311/v2/requests/{}.json",
                assigned_incident(admin).await.1
            ),
            None,
        ),
        ("GET", "/open311/v2/requests/{service_request_id}.xml") => (
            format!(
                "/open311/v2/requests/{}.xml",
                assigned_incident(admin).await.1
            ),
            None,
        ),
        ("POST", path) if path.starts_with("/open311/") => {
            let token = admin
                .as_user("vnpt")
                .await
                .post_json("/api/v1/tokens", &json!({"name": unique("open311-")}))
                .await;
            let key = token.body["token"].as_str().unwrap().to_string();
            let reply = app
                .send(app.client.post(app.url(path)).form(&[
                    ("api_key", key.as_str()),
                    ("service_code", "cable_low"),
                    ("lat", "15.115"),
                    ("long", "108.8"),
                ]))
                .await;
            assert_ne!(reply.status, 500, "{who:?} POST {path}: {}", reply.text);
            return reply.status;
        }
        (_, path) => {
            assert!(
                !path.contains('{'),
                "no preparation for {} {path}",
                case.method
            );
            (path.to_string(), None)
        }
    };
    let reply = app.send(request(case.method, &path, body)).await;
    assert_ne!(
        reply.status, 500,
        "{who:?} {} {path}: {}",
        case.method, reply.text
    );
    reply.status
}

#[tokio::test]
async fn every_role_gets_the_expected_answer_from_every_endpoint() {
    let admin = spawn_app().await;
    let callers = callers(&admin).await;
    let mut wrong = Vec::new();
    for case in MATRIX {
        for (i, who) in WHO.iter().enumerate() {
            let status = attempt(case, *who, &callers.apps[i], &callers.admin).await;
            if status != case.expect[i] {
                wrong.push(format!(
                    "{who:?} {} {}: got {status}, expected {}",
                    case.method, case.path, case.expect[i]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the access matrix is not what it should be:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn every_described_endpoint_is_in_the_matrix() {
    let app = spawn_app().await;
    let description = app.get("/api/openapi.json").await;
    let kinds = [
        "towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets",
    ];
    let in_matrix: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|c| (c.method.to_string(), c.path.to_string()))
        .collect();
    let mut missing = Vec::new();
    for (path, item) in description.body["paths"].as_object().unwrap() {
        let mut general = path.clone();
        for kind in kinds {
            if let Some(rest) = path
                .strip_prefix(&format!("/api/v1/{kind}"))
                .filter(|r| r.is_empty() || r.starts_with('/'))
            {
                general = format!("/api/v1/{{kind}}{rest}");
            }
        }
        for method in item.as_object().unwrap().keys() {
            let key = (method.to_uppercase(), general.clone());
            if !in_matrix.contains(&key) {
                missing.push(format!("{} {}", key.0, key.1));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "described but not tested for access: {missing:?}"
    );
}

#[tokio::test]
async fn an_operator_cannot_change_another_operators_asset() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let viettel = admin.as_user("viettel").await;
    let mut feature = tower("VNPT-OWN-1");
    feature["properties"]["operator"] = json!("VNPT");
    let id = vnpt.create("towers", &feature).await;
    let before: Value = sqlx::query_scalar("select asset_snapshot($1)")
        .bind(id)
        .fetch_one(&admin.pool)
        .await
        .unwrap();

    let edit = viettel
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 10}}),
            None,
        )
        .await;
    assert_eq!(edit.status, 403, "{}", edit.text);
    let steal = viettel
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"operator": "VIETTEL"}}),
            None,
        )
        .await;
    assert_eq!(steal.status, 403);
    let decommission = viettel
        .send(
            viettel
                .client
                .post(viettel.url(&format!("/api/v1/towers/{id}/decommission"))),
        )
        .await;
    assert_eq!(decommission.status, 403);
    let tenancy = viettel
        .post_json(
            &format!("/api/v1/assets/{id}/tenancies"),
            &json!({"tenant": "VIETTEL", "since": "2024-01-01"}),
        )
        .await;
    assert_eq!(tenancy.status, 403);
    // Registering an asset in another operator's name is refused too.
    let mut forged = tower("VNPT-FORGED");
    forged["properties"]["operator"] = json!("VNPT");
    assert_eq!(
        viettel.post_json("/api/v1/towers", &forged).await.status,
        403
    );
    // VNPT cannot hand its asset over to Viettel either.
    let give = vnpt
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"operator": "VIETTEL"}}),
            None,
        )
        .await;
    assert_eq!(give.status, 403);

    let after: Value = sqlx::query_scalar("select asset_snapshot($1)")
        .bind(id)
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(before, after, "nothing changed");
    assert_eq!(admin.history(id).await.len(), 1);
    let forged_count: i64 =
        sqlx::query_scalar("select count(*) from asset where code = 'VNPT-FORGED'")
            .fetch_one(&admin.pool)
            .await
            .unwrap();
    assert_eq!(forged_count, 0);
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let created = vnpt
        .post_json("/api/v1/tokens", &json!({"name": "asset sync"}))
        .await;
    assert_eq!(created.status, 201);
    let secret = created.body["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("hat_"));
    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from api_token where id = $1")
        .bind(created.body["id"].as_i64())
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_ne!(stored, secret.as_bytes(), "only a hash is stored");

    let system = admin.with_token(&secret);
    let mut feature = pole("SYNC-1", 108.8, 15.11);
    feature["properties"]["operator"] = json!("VNPT");
    let id = system.create("poles", &feature).await;
    let entry = admin.history(id).await.pop().unwrap();
    assert!(
        entry["actor"].as_str().unwrap().starts_with("token:"),
        "{entry}"
    );
    let listed = vnpt.get("/api/v1/tokens").await;
    assert!(
        listed.body[0]["last_used_at"].is_string(),
        "{}",
        listed.text
    );
    assert!(
        listed.body[0].get("token").is_none(),
        "the secret is never listed"
    );

    let revoked = vnpt
        .send(
            vnpt.client
                .delete(vnpt.url(&format!("/api/v1/tokens/{}", created.body["id"]))),
        )
        .await;
    assert_eq!(revoked.status, 204);
    let refused = system.get("/api/v1/poles").await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.error_code(), "unauthorized");
    assert_eq!(
        admin
            .with_token("hat_made-up")
            .get("/api/v1/poles")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn an_expired_or_idle_session_is_over() {
    let admin = spawn_app().await;
    let planner = admin.as_user("planner").await;
    assert_eq!(planner.get("/api/v1/ducts").await.status, 200);
    sqlx::query("update user_session set expires_at = now() - interval '1 second' where user_id = (select id from app_user where username = 'planner')")
        .execute(&admin.pool)
        .await
        .unwrap();
    // A change made in the database reaches the server's session cache by notice.
    refused_within_5_s(&planner, "/api/v1/ducts").await;
    assert_eq!(planner.get("/api/v1/auth/me").await.status, 401);

    let reviewer = admin.as_user("reviewer").await;
    sqlx::query("update user_session set last_seen_at = now() - interval '3 hours' where user_id = (select id from app_user where username = 'reviewer')")
        .execute(&admin.pool)
        .await
        .unwrap();
    // "idle for longer than 2 hours"
    refused_within_5_s(&reviewer, "/api/v1/ducts").await;
}

/// Waits for `path` to answer 401 (after a change made directly in the database).
async fn refused_within_5_s(app: &TestApp, path: &str) {
    for _ in 0..250 {
        if app.get(path).await.status == 401 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{path} still answers after 5 s");
}

#[tokio::test]
async fn a_cookie_write_without_the_csrf_token_is_refused() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let session = vnpt.session.clone().unwrap();
    let mut feature = pole("CSRF-1", 108.8, 15.11);
    feature["properties"]["operator"] = json!("VNPT");
    let forged = vnpt
        .anonymous()
        .send(
            vnpt.client
                .post(vnpt.url("/api/v1/poles"))
                .header("Cookie", &session.cookie)
                .json(&feature),
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(forged.error_code(), "csrf_failed");
    let wrong = vnpt
        .anonymous()
        .send(
            vnpt.client
                .post(vnpt.url("/api/v1/poles"))
                .header("Cookie", &session.cookie)
                .header("X-CSRF-Token", "guess")
                .json(&feature),
        )
        .await;
    assert_eq!(wrong.status, 403);
    let count: i64 = sqlx::query_scalar("select count(*) from asset")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    // Reading needs no CSRF token; writing with it works.
    assert_eq!(
        vnpt.anonymous()
            .send(
                vnpt.client
                    .get(vnpt.url("/api/v1/poles"))
                    .header("Cookie", &session.cookie)
            )
            .await
            .status,
        200
    );
    vnpt.create("poles", &feature).await;
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let reply = app.login("viettel", "wrong password").await.unwrap_err();
        assert_eq!(reply.status, 401);
        assert_eq!(reply.body["error"]["message"], "wrong username or password");
    }
    let throttled = app
        .login("viettel", &password_of("viettel"))
        .await
        .unwrap_err();
    assert_eq!(throttled.status, 429, "even the right password waits");
    assert_eq!(throttled.error_code(), "too_many_requests");
    assert!(throttled.headers.get("retry-after").is_some());
    // Other users are not locked out by it.
    assert!(app.login("fpt", &password_of("fpt")).await.is_ok());
    // An unknown user gets the same answer as a wrong password.
    let unknown = app
        .login("nobody-here", "whatever it is")
        .await
        .unwrap_err();
    assert_eq!(
        unknown.body["error"]["message"],
        "wrong username or password"
    );
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = spawn_app().await;
    let hashes: Vec<String> = sqlx::query_scalar("select password_hash from app_user")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(!hashes.is_empty());
    assert!(
        hashes.iter().all(|h| h.starts_with("$argon2id$")),
        "{hashes:?}"
    );
}

#[tokio::test]
async fn changing_ones_password_ends_other_sessions() {
    let admin = spawn_app().await;
    let first = admin.as_user("fpt").await;
    let second = admin.as_user("fpt").await;
    let short = first
        .post_json(
            "/api/v1/auth/password",
            &json!({"current_password": password_of("fpt"), "new_password": "short"}),
        )
        .await;
    assert!(short.has_problem("new_password"));
    let changed = first
        .post_json(
            "/api/v1/auth/password",
            &json!({"current_password": password_of("fpt"), "new_password": "mật-khẩu-mới-2026"}),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    assert_eq!(
        first.get("/api/v1/auth/me").await.status,
        200,
        "the session that changed it stays"
    );
    assert_eq!(
        second.get("/api/v1/auth/me").await.status,
        401,
        "other sessions end"
    );
    assert!(admin.login("fpt", &password_of("fpt")).await.is_err());
    assert!(admin.login("fpt", "mật-khẩu-mới-2026").await.is_ok());
}

#[tokio::test]
async fn an_admin_creates_and_disables_accounts() {
    let admin = spawn_app().await;
    let created = admin
        .post_json("/api/v1/users", &json!({"username": "canbo.nghiachanh", "display_name": "Cán bộ Nghĩa Chánh", "role": "reviewer", "scope": ["21019"]}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let password = created.body["password"].as_str().unwrap().to_string();
    assert_eq!(created.body["scope"], json!(["21019"]));
    let session = admin
        .login("canbo.nghiachanh", &password)
        .await
        .expect("the new user logs in");
    let _ = session;
    let bad = admin
        .post_json(
            "/api/v1/users",
            &json!({"username": "x", "display_name": "", "role": "operator_member"}),
        )
        .await;
    assert!(
        bad.has_problem("username")
            && bad.has_problem("display_name")
            && bad.has_problem("operator"),
        "{:?}",
        bad.problems()
    );
    let id = created.body["id"].as_i64().unwrap();
    let disabled = admin
        .patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"disabled": true}),
            None,
        )
        .await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert!(
        admin.login("canbo.nghiachanh", &password).await.is_err(),
        "a disabled user cannot log in"
    );
}

/// Strings that have broken other systems.
const HOSTILE: &[&str] = &[
    "'; drop table asset; --",
    "\" or 1=1 --",
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "%_\\%",
    "Robert'); DELETE FROM operator;--",
    "{{7*7}} ${7*7}",
];

#[tokio::test]
async fn hostile_text_is_stored_as_text_and_never_breaks_a_filter() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    for (i, text) in HOSTILE.iter().enumerate() {
        let mut feature = tower(&format!("{text}-{i}"));
        feature["properties"]["operator"] = json!("VNPT");
        feature["properties"]["name"] = json!(text);
        feature["properties"]["note"] = json!(text);
        let id = vnpt.create("towers", &feature).await;
        let back = vnpt.get(&format!("/api/v1/towers/{id}")).await;
        assert_eq!(back.body["properties"]["name"], json!(text));
        assert_eq!(
            back.body["properties"]["code"],
            json!(format!("{text}-{i}"))
        );
        let tenancy = vnpt
            .post_json(
                &format!("/api/v1/assets/{id}/tenancies"),
                &json!({"tenant": "VIETTEL", "since": "2024-01-01", "contract_ref": text, "note": text}),
            )
            .await;
        assert_eq!(tenancy.status, 201, "{}", tenancy.text);
        assert_eq!(tenancy.body["contract_ref"], json!(text));
        let encoded: String = url_encode(text);
        for query in [
            "q", "operator", "ward", "status", "bbox", "shared", "limit", "after",
        ] {
            let reply = vnpt.get(&format!("/api/v1/towers?{query}={encoded}")).await;
            assert!(
                reply.status == 200 || reply.status == 400,
                "{query}={text}: {}",
                reply.text
            );
        }
        for query in ["operator", "user", "action", "asset", "from"] {
            let reply = admin
                .get(&format!("/api/v1/history?{query}={encoded}"))
                .await;
            assert!(
                reply.status == 200 || reply.status == 400,
                "history {query}={text}: {}",
                reply.text
            );
        }
        let wards = vnpt.get(&format!("/api/v1/wards?q={encoded}")).await;
        assert_eq!(wards.status, 200);
        let login = admin.login(text, text).await.unwrap_err();
        assert_eq!(login.status, 401);
    }
    let found = vnpt.get("/api/v1/towers?q=%25_%5C%25").await;
    assert_eq!(
        found.body["numberReturned"], 1,
        "a LIKE pattern in q is matched literally"
    );
    let operators: i64 = sqlx::query_scalar("select count(*) from operator")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(operators, 5, "nothing was dropped or deleted");
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_history_names_the_real_user_and_is_readable_by_operator_and_user() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let mut feature = tower("VNPT-H-1");
    feature["properties"]["operator"] = json!("VNPT");
    let id = vnpt.create("towers", &feature).await;
    vnpt.patch_json(
        &format!("/api/v1/towers/{id}"),
        &json!({"properties": {"height_m": 44}}),
        None,
    )
    .await;
    admin
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"note": "Kiểm tra"}}),
            None,
        )
        .await;
    let actors: Vec<String> = admin
        .history(id)
        .await
        .iter()
        .map(|e| e["actor"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actors, ["user:vnpt", "user:vnpt", "user:admin"]);
    let user_ids: Vec<Option<i64>> = sqlx::query_scalar(
        "select actor_user_id from asset_history where asset_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert!(user_ids.iter().all(Option::is_some));

    let by_user = admin.get("/api/v1/history?user=vnpt").await;
    assert_eq!(by_user.body["entries"].as_array().unwrap().len(), 2);
    let by_operator = vnpt.get("/api/v1/history?operator=VNPT").await;
    assert_eq!(by_operator.body["entries"].as_array().unwrap().len(), 3);
    let viettel = admin.as_user("viettel").await;
    let hidden = viettel.get("/api/v1/history?operator=VNPT").await;
    assert_eq!(
        hidden.body["entries"].as_array().unwrap().len(),
        0,
        "Viettel does not read VNPT's history"
    );
    let csv = admin.get("/api/v1/history?operator=VNPT&format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(
        csv.text.lines().count(),
        4,
        "a header and three entries:\n{}",
        csv.text
    );
    assert!(csv.text.contains("user:vnpt") && csv.text.contains("Kiểm tra"));
}

#[tokio::test]
async fn the_audit_trail_names_the_person_and_lists_the_changed_fields() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let mut feature = tower("VNPT-H-2");
    feature["properties"]["operator"] = json!("VNPT");
    let id = vnpt.create("towers", &feature).await;
    vnpt.patch_json(
        &format!("/api/v1/towers/{id}"),
        &json!({"properties": {"height_m": 45}}),
        None,
    )
    .await;

    let reply = vnpt
        .get(&format!("/api/v1/history?asset={id}&action=update"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let entries = reply.body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["actor"], "user:vnpt");
    assert_eq!(
        entries[0]["actor_name"], "Test vnpt",
        "the display name of the person, for people to read"
    );
    let changes = entries[0]["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "height_m" && c["after"].as_f64() == Some(45.0)),
        "{changes:?}"
    );
    assert!(
        changes.iter().all(|c| c["field"] != "version"),
        "bookkeeping fields are left out: {changes:?}"
    );

    let csv = admin
        .get(&format!("/api/v1/history?asset={id}&format=csv"))
        .await;
    assert!(
        csv.text.lines().next().unwrap().contains("actor_name"),
        "{}",
        csv.text
    );
    assert!(csv.text.contains("Test vnpt"), "{}", csv.text);
}

#[tokio::test]
async fn the_hash_chain_detects_an_edited_history_entry() {
    let admin = spawn_app().await;
    let id = admin.create("towers", &tower("CHAIN-1")).await;
    admin
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 41}}),
            None,
        )
        .await;
    admin
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 40}}),
            None,
        )
        .await;
    let report = admin.get("/api/v1/history/verify").await;
    assert_eq!(report.body["intact"], true, "{}", report.text);
    assert_eq!(report.body["entries"], 3);

    // The application cannot rewrite history...
    let refused =
        sqlx::query("update asset_history set actor = 'someone else' where asset_id = $1")
            .bind(id)
            .execute(&admin.pool)
            .await;
    assert!(refused.is_err(), "history is append-only");
    // ...but someone with the database's superuser can. The chain shows it.
    let middle: i64 = sqlx::query_scalar(
        "select id from asset_history where asset_id = $1 order by id offset 1 limit 1",
    )
    .bind(id)
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    let mut tx = admin.pool.begin().await.unwrap();
    sqlx::query("alter table asset_history disable trigger asset_history_append_only")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("update asset_history set after = jsonb_set(after, '{properties,height_m}', '30') where id = $1")
        .bind(middle)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("alter table asset_history enable trigger asset_history_append_only")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let report = admin.get("/api/v1/history/verify").await;
    assert_eq!(report.body["intact"], false);
    assert_eq!(report.body["first_broken"]["history_id"], middle);
    assert!(
        report.body["first_broken"]["problem"]
            .as_str()
            .unwrap()
            .contains("edited")
    );
}

#[tokio::test]
async fn commercial_detail_is_shown_only_to_those_entitled() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let mut feature = duct("VNPT-D-SECRET");
    feature["geometry"] = line(&[[108.780, 15.110], [108.790, 15.110]]); // Nghĩa Chánh, outside the reviewer's ward
    let duct_id = vnpt.create("ducts", &feature).await;
    let mut tower_feature = tower("VNPT-T-SECRET");
    tower_feature["properties"]["operator"] = json!("VNPT");
    let tower_id = vnpt.create("towers", &tower_feature).await;
    for tenant in ["VIETTEL", "MOBIFONE"] {
        let reply = vnpt
            .post_json(
                &format!("/api/v1/assets/{tower_id}/tenancies"),
                &json!({"tenant": tenant, "since": "2024-01-01", "contract_ref": format!("HĐ-{tenant}"), "monthly_fee_vnd": 5000000}),
            )
            .await;
        assert_eq!(reply.status, 201);
    }

    let occupants = |reply: &crate::support::Reply| -> Vec<Value> {
        reply.body["properties"]["pipes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["occupant"].clone())
            .collect()
    };
    let owner_view = vnpt.get(&format!("/api/v1/ducts/{duct_id}")).await;
    assert_eq!(
        occupants(&owner_view),
        [json!("VNPT"), json!("VIETTEL"), Value::Null, Value::Null]
    );
    let viettel = admin.as_user("viettel").await;
    let viettel_view = viettel.get(&format!("/api/v1/ducts/{duct_id}")).await;
    assert_eq!(
        occupants(&viettel_view),
        [Value::Null, json!("VIETTEL"), Value::Null, Value::Null],
        "only its own pipe"
    );
    assert_eq!(
        viettel_view.body["properties"]["free_capacity"], 1,
        "free capacity stays visible"
    );
    let fpt = admin.as_user("fpt").await;
    let listed = fpt.get("/api/v1/ducts").await;
    assert!(
        listed.body["features"][0]["properties"]["pipes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["occupant"].is_null())
    );
    let reviewer = admin.as_user("reviewer").await;
    assert_eq!(
        occupants(&reviewer.get(&format!("/api/v1/ducts/{duct_id}")).await),
        [Value::Null, json!(null), Value::Null, Value::Null].map(|v| v),
        "outside the reviewer's ward"
    );
    let planner = admin.as_user("planner").await;
    assert_eq!(
        occupants(&planner.get(&format!("/api/v1/ducts/{duct_id}")).await)[0],
        json!("VNPT"),
        "inside the planner's province"
    );

    let fees = |reply: &crate::support::Reply| -> Vec<Value> {
        reply.body["properties"]["tenants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["monthly_fee_vnd"].clone())
            .collect()
    };
    assert_eq!(
        fees(&vnpt.get(&format!("/api/v1/towers/{tower_id}")).await),
        [json!(5000000), json!(5000000)]
    );
    assert_eq!(
        fees(&viettel.get(&format!("/api/v1/towers/{tower_id}")).await),
        [json!(5000000), Value::Null],
        "its own lease only"
    );
    assert_eq!(
        fees(&planner.get(&format!("/api/v1/towers/{tower_id}")).await),
        [Value::Null, Value::Null]
    );
    let history = planner
        .get(&format!("/api/v1/assets/{tower_id}/history"))
        .await;
    assert!(
        !history.text.contains("5000000"),
        "no fee in the history a planner reads"
    );
    assert!(!history.text.contains("HĐ-VIETTEL"));
}

#[tokio::test]
async fn the_public_sees_only_published_towers() {
    let admin = spawn_app().await;
    let public = admin.anonymous();
    let id = admin.create("towers", &tower("PUBLIC-T-1")).await;
    admin
        .create("poles", &pole("PUBLIC-P-1", 108.8, 15.11))
        .await;
    assert_eq!(
        public.get("/api/v1/towers").await.body["numberReturned"],
        0,
        "nothing is published yet"
    );
    assert_eq!(
        public.get(&format!("/api/v1/towers/{id}")).await.status,
        404
    );
    let published = admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/wards/21031/publication"))
                .json(&json!({"towers": true, "undergrounding": false, "planned_works": false})),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.text);
    let towers = public.get("/api/v1/towers").await;
    assert_eq!(towers.body["numberReturned"], 1);
    let properties = towers.body["features"][0]["properties"]
        .as_object()
        .unwrap();
    for hidden in [
        "tenants",
        "capacity",
        "free_capacity",
        "note",
        "accuracy_m",
        "tenant_count",
    ] {
        assert!(
            !properties.contains_key(hidden),
            "the public does not see {hidden}"
        );
    }
    assert_eq!(public.get("/api/v1/poles").await.status, 401);
    assert_eq!(public.get("/api/v1/ducts").await.status, 401);
    let operators = public.get("/api/v1/operators").await;
    assert!(
        operators
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["contact_phone"].is_null())
    );
}
