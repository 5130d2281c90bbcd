//! In the field: reports from residents (proof of work, honeypot, rate
//! limit, public status without personal data), their workflow and who may
//! take each step, Open311 GeoReport v2 from a plain HTTP client, and
//! idempotency keys that make a retried request store nothing twice.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::fixtures::*;
use crate::support::{Reply, TestApp, spawn_app};

/// A tiny but well-formed-looking JPEG with an EXIF segment (GPS would be in it).
pub fn jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, b'J', b'F'];
    bytes.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0]);
    bytes.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 4, 0xFF, 0xD9]);
    bytes
}

fn work(challenge: &str, nonce: u64) -> u32 {
    let digest = Sha256::digest(format!("{challenge}:{nonce}").as_bytes());
    let mut bits = 0;
    for byte in digest {
        if byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}

/// Asks for a challenge and solves it, as the public form does.
pub async fn solved(app: &TestApp) -> (String, String) {
    let reply = app.anonymous().get("/api/v1/incidents/challenge").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let challenge = reply.body["challenge"].as_str().unwrap().to_string();
    let difficulty = reply.body["difficulty"].as_u64().unwrap() as u32;
    let nonce = (0u64..)
        .find(|n| work(&challenge, *n) >= difficulty)
        .unwrap();
    (challenge, nonce.to_string())
}

pub fn report(kind: &str, lon: f64, lat: f64) -> Value {
    json!({"incident_type": kind, "description": "Cáp treo võng sát mặt đường trước nhà số 12", "lon": lon, "lat": lat,
           "location_source": "gps", "accuracy_m": 8.0})
}

/// Files a report as `app` (multipart with one photo); the proof of work when public.
pub async fn file(app: &TestApp, mut body: Value, key: Option<&str>) -> Reply {
    if app.session.is_none() && app.token.is_none() {
        let (challenge, nonce) = solved(app).await;
        body["challenge"] = json!(challenge);
        body["nonce"] = json!(nonce);
    }
    let form = Form::new().text("report", body.to_string()).part(
        "photo",
        Part::bytes(jpeg())
            .file_name("anh.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let mut request = app
        .client
        .post(app.url("/api/v1/incidents"))
        .multipart(form);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    app.send(request).await
}

async fn step(app: &TestApp, id: i64, action: &str, body: Value) -> Reply {
    app.post_json(&format!("/api/v1/incidents/{id}/actions/{action}"), &body)
        .await
}

async fn step_with_photo(app: &TestApp, id: i64, action: &str, body: Value) -> Reply {
    let form = Form::new()
        .text("data", body.to_string())
        .part("photo", Part::bytes(jpeg()).file_name("da-sua.jpg"));
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/incidents/{id}/actions/{action}")))
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn a_resident_files_a_report_with_a_photo_and_follows_it_without_personal_data() {
    let admin = spawn_app().await;
    let public = admin.anonymous();
    let mut body = report("cable_low", IN_CHANH_LO[0], IN_CHANH_LO[1]);
    body["contact_name"] = json!("Nguyễn Văn An");
    body["contact_phone"] = json!("0905 123 456");
    body["contact_email"] = json!("an@example.vn");
    let filed = file(&public, body, None).await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let code = filed.body["reference"].as_str().unwrap().to_string();
    assert!(code.starts_with("PA-"), "{code}");
    assert!(
        !filed.text.contains("0905"),
        "the answer to the public carries no contact: {}",
        filed.text
    );
    assert_eq!(
        filed.body["tracking_url"],
        json!(format!("/phan-anh/{code}"))
    );

    let status = public.get(&format!("/api/v1/incidents/track/{code}")).await;
    assert_eq!(status.status, 200, "{}", status.text);
    assert_eq!(status.body["state"], "new");
    assert_eq!(status.body["status"], "open");
    for secret in ["Nguyễn Văn An", "0905", "an@example.vn", "contact"] {
        assert!(
            !status.text.contains(secret),
            "the public status shows {secret}: {}",
            status.text
        );
    }
    assert!(
        status.body["description"].is_null(),
        "not shown before the ward looked at it"
    );
    assert_eq!(status.body["photos"], json!([]));

    let reviewer = admin.as_user("reviewer").await;
    let id = filed.body["id"].as_i64().unwrap();
    let seen = reviewer.get(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.body["contact_phone"], "0905 123 456");
    assert_eq!(seen.body["channel"], "web");
    assert_eq!(seen.body["photos"].as_array().unwrap().len(), 1);
    // The photo lost its EXIF on the way in.
    let href = seen.body["photos"][0]["href"].as_str().unwrap();
    let photo = reviewer.send(reviewer.client.get(reviewer.url(href))).await;
    assert_eq!(photo.status, 200);
    assert_eq!(photo.headers["content-type"], "image/jpeg");
    assert_eq!(photo.headers["x-content-type-options"], "nosniff");
    let stored = reqwest::get(reviewer.url(href)).await.unwrap();
    assert_eq!(
        stored.status(),
        401,
        "the public cannot see a photo the ward has not looked at"
    );
    assert!(!photo.text.contains("Exif"), "EXIF removed");
    assert!(photo.text.contains("JF"), "the image itself kept");

    // The ward triages: the description and the photo become public, the contact never.
    let triaged = step(&reviewer, id, "triage", json!({})).await;
    assert_eq!(triaged.status, 200, "{}", triaged.text);
    let status = public.get(&format!("/api/v1/incidents/track/{code}")).await;
    assert_eq!(
        status.body["description"],
        "Cáp treo võng sát mặt đường trước nhà số 12"
    );
    assert_eq!(status.body["photos"].as_array().unwrap().len(), 1);
    assert!(!status.text.contains("0905"));
    assert_eq!(
        reqwest::get(reviewer.url(href)).await.unwrap().status(),
        200
    );
    // The ward's staff were told of the new report, with a link to it.
    let told = reviewer.get("/api/v1/notifications").await;
    assert!(
        told.body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["link"] == json!(format!("/su-co/{id}"))),
        "{}",
        told.text
    );
}

#[tokio::test]
async fn a_public_report_needs_a_solved_challenge_an_empty_honeypot_and_valid_fields() {
    let admin = spawn_app().await;
    let public = admin.anonymous();
    let unsolved = public
        .post_json(
            "/api/v1/incidents",
            &report("pole_fallen", IN_CHANH_LO[0], IN_CHANH_LO[1]),
        )
        .await;
    assert_eq!(unsolved.status, 422, "{}", unsolved.text);
    assert!(
        unsolved.has_problem("challenge"),
        "{:?}",
        unsolved.problems()
    );

    let (challenge, _) = solved(&public).await;
    let mut wrong = report("pole_fallen", IN_CHANH_LO[0], IN_CHANH_LO[1]);
    wrong["challenge"] = json!(challenge);
    wrong["nonce"] = json!("1");
    wrong["website"] = json!("http://spam.example");
    let refused = public.post_json("/api/v1/incidents", &wrong).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.has_problem("website") && refused.has_problem("challenge"),
        "{:?}",
        refused.problems()
    );

    // One challenge, one report.
    let (challenge, nonce) = solved(&public).await;
    let mut once = report("pole_fallen", IN_CHANH_LO[0], IN_CHANH_LO[1]);
    once["challenge"] = json!(challenge);
    once["nonce"] = json!(nonce);
    assert_eq!(
        public.post_json("/api/v1/incidents", &once).await.status,
        201
    );
    let again = public.post_json("/api/v1/incidents", &once).await;
    assert_eq!(again.status, 422);
    assert!(
        again.problems().iter().any(|p| p.contains("used already")),
        "{:?}",
        again.problems()
    );

    // Every field's problem at once, signed in (no challenge needed).
    let reviewer = admin.as_user("reviewer").await;
    let bad = reviewer
        .post_json(
            "/api/v1/incidents",
            &json!({"incident_type": "ufo", "description": "", "lon": 15.1, "lat": 108.8, "contact_email": "no", "contact_phone": "abc"}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    for field in [
        "incident_type",
        "description",
        "lon",
        "contact_email",
        "contact_phone",
    ] {
        assert!(bad.has_problem(field), "{field}: {:?}", bad.problems());
    }
    assert!(
        bad.problems().iter().any(|p| p.contains("swapped")),
        "{:?}",
        bad.problems()
    );
    let outside = reviewer
        .post_json("/api/v1/incidents", &report("outage", 105.85, 21.03))
        .await;
    assert_eq!(outside.status, 422, "{}", outside.text);
}

#[tokio::test]
async fn the_ward_triages_and_assigns_the_owner_who_fixes_with_a_photo_and_nobody_else_can() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    let vnpt = admin.as_user("vnpt").await;
    let viettel = admin.as_user("viettel").await;
    // A VNPT pole beside the place of the report: VNPT is proposed.
    let mut p = pole("VNPT-P-NEAR", IN_CHANH_LO[0] + 0.0001, IN_CHANH_LO[1]);
    p["properties"]["operator"] = json!("VNPT");
    p["properties"]["purpose"] = json!("telecom");
    admin.create("poles", &p).await;
    let filed = file(
        &reviewer,
        report("pole_fallen", IN_CHANH_LO[0], IN_CHANH_LO[1]),
        None,
    )
    .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.body["id"].as_i64().unwrap();
    assert_eq!(filed.body["report"]["proposed_operator"], "VNPT");
    assert_eq!(filed.body["report"]["actions"], json!(["triage", "reject"]));

    // Before assignment no operator sees it.
    assert_eq!(
        vnpt.get(&format!("/api/v1/incidents/{id}")).await.status,
        403
    );
    assert_eq!(step(&vnpt, id, "acknowledge", json!({})).await.status, 403);
    // Out of order: 409 with what is possible.
    let early = step(&reviewer, id, "assign", json!({"operator": "VNPT"})).await;
    assert_eq!(early.status, 409, "{}", early.text);
    assert!(early.text.contains("triage"), "{}", early.text);

    assert_eq!(step(&reviewer, id, "triage", json!({})).await.status, 200);
    let candidates = reviewer
        .get(&format!("/api/v1/incidents/{id}/candidates"))
        .await;
    assert_eq!(
        candidates.body[0]["operator"], "VNPT",
        "{}",
        candidates.text
    );
    let no_operator = step(&reviewer, id, "assign", json!({})).await;
    assert_eq!(no_operator.status, 422);
    assert!(no_operator.has_problem("operator"));
    let assigned = step(&reviewer, id, "assign", json!({"operator": "VNPT"})).await;
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    assert_eq!(assigned.body["operator"], "VNPT");
    assert_eq!(assigned.body["clock"]["phase"], "fix");

    // VNPT sees it, without the reporter's contact; Viettel neither sees nor acts.
    let seen = vnpt.get(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert!(seen.body["contact_phone"].is_null());
    assert_eq!(
        seen.body["actions"],
        json!(["acknowledge", "decline", "fix"])
    );
    assert_eq!(
        viettel.get(&format!("/api/v1/incidents/{id}")).await.status,
        403
    );
    assert_eq!(step(&viettel, id, "fix", json!({})).await.status, 403);
    let lists = |app: TestApp| async move {
        app.get("/api/v1/incidents")
            .await
            .body
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(lists(vnpt.clone()).await, 1);
    assert_eq!(lists(viettel.clone()).await, 0);
    // Operators were told.
    let told = vnpt.get("/api/v1/notifications").await;
    assert!(
        told.text
            .contains(filed.body["reference"].as_str().unwrap()),
        "{}",
        told.text
    );

    assert_eq!(step(&vnpt, id, "acknowledge", json!({})).await.status, 200);
    let no_photo = step(&vnpt, id, "fix", json!({"note": "Đã dựng lại cột"})).await;
    assert_eq!(no_photo.status, 422);
    assert!(no_photo.has_problem("photo"));
    let fixed = step_with_photo(&vnpt, id, "fix", json!({"note": "Đã dựng lại cột"})).await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert_eq!(fixed.body["state"], "fixed");
    assert_eq!(fixed.body["photos"].as_array().unwrap().len(), 2);

    // The ward: reopening needs a reason; closing ends it.
    assert_eq!(step(&reviewer, id, "reopen", json!({})).await.status, 422);
    let closed = step(&reviewer, id, "close", json!({})).await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.body["resolution"], "fixed");
    let timeline: Vec<&str> = closed.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        timeline,
        ["report", "triage", "assign", "acknowledge", "fix", "close"]
    );
    // Every change is in the change log, with its actor.
    let logged: Vec<String> = sqlx::query_scalar(
        "select actor from change_log where entity = 'incident' and entity_key = $1 order by id",
    )
    .bind(id.to_string())
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert!(
        logged.iter().any(|a| a == "user:vnpt") && logged.iter().any(|a| a == "user:reviewer"),
        "{logged:?}"
    );
}

#[tokio::test]
async fn the_same_report_sent_twice_with_one_idempotency_key_is_stored_once() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    let body = report("cable_tangled", IN_CHANH_LO[0], IN_CHANH_LO[1]);
    let first = file(
        &reviewer,
        body.clone(),
        Some("7c1f0b7e-2b8e-4a0e-9c47-1f6f8f1d0001"),
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text);
    // The phone lost the answer and sends the same form again (another multipart boundary).
    let second = file(
        &reviewer,
        body.clone(),
        Some("7c1f0b7e-2b8e-4a0e-9c47-1f6f8f1d0001"),
    )
    .await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["id"], first.body["id"]);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    let count: i64 = sqlx::query_scalar("select count(*) from incident")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(count, 1, "one report stored");
    let photos: i64 = sqlx::query_scalar("select count(*) from field_photo")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(photos, 1, "one photo stored");

    // The same key with another report is refused; another key files another.
    let mut other = body.clone();
    other["description"] = json!("Một phản ánh khác");
    let reused = file(
        &reviewer,
        other.clone(),
        Some("7c1f0b7e-2b8e-4a0e-9c47-1f6f8f1d0001"),
    )
    .await;
    assert_eq!(reused.status, 422, "{}", reused.text);
    assert_eq!(
        file(&reviewer, other, Some("another-key")).await.status,
        201
    );

    // JSON writes too, and a key is its sender's: the same key from another person is theirs.
    let key = "b4d1-json";
    let once = reviewer
        .send(
            reviewer
                .client
                .post(reviewer.url("/api/v1/incidents"))
                .header("Idempotency-Key", key)
                .json(&body),
        )
        .await;
    let twice = reviewer
        .send(
            reviewer
                .client
                .post(reviewer.url("/api/v1/incidents"))
                .header("Idempotency-Key", key)
                .json(&body),
        )
        .await;
    assert_eq!((once.status, twice.status), (201, 201));
    assert_eq!(once.body["id"], twice.body["id"]);
    // A refused request is not remembered: corrected, the same key goes through.
    let bad = reviewer
        .send(
            reviewer
                .client
                .post(reviewer.url("/api/v1/incidents"))
                .header("Idempotency-Key", "fix-me")
                .json(&json!({"incident_type": "x", "lon": 0, "lat": 0})),
        )
        .await;
    assert_eq!(bad.status, 422);
    let count: i64 = sqlx::query_scalar("select count(*) from incident")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(count, 3);
}

/// A plain HTTP client, as an Open311 app would be: no cookie, no token.
fn plain() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn an_open311_client_lists_services_posts_a_request_and_reads_it_back() {
    let admin = spawn_app().await;
    let client = plain();
    let services: Value = client
        .get(admin.url("/open311/v2/services.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    for code in [
        "pole_fallen",
        "cable_low",
        "cable_tangled",
        "cover_damaged",
        "tower_unsafe",
        "works_unpermitted",
        "vandalism",
        "outage",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert_eq!(services[0]["type"], "realtime");
    assert_eq!(services[0]["metadata"], false);

    let posted = client
        .post(admin.url("/open311/v2/requests.json"))
        .form(&[
            ("jurisdiction_id", "21031"),
            ("service_code", "cover_damaged"),
            ("lat", "15.115"),
            ("long", "108.8"),
            ("address_string", "Trước số 45 Phan Bội Châu"),
            ("description", "Nắp bể cáp bị vỡ, nguy hiểm cho xe máy"),
            ("email", "cudan@example.vn"),
            ("first_name", "Trần"),
            ("last_name", "Thị Bình"),
            ("phone", "0912345678"),
            ("device_id", "fms-app-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let posted: Value = posted.json().await.unwrap();
    let id = posted[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(id.starts_with("PA-"), "{posted}");

    let one = client
        .get(admin.url(&format!("/open311/v2/requests/{id}.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200);
    let one: Value = one.json().await.unwrap();
    assert_eq!(one[0]["service_request_id"], json!(id));
    assert_eq!(one[0]["status"], "open");
    assert_eq!(one[0]["service_code"], "cover_damaged");
    assert_eq!(one[0]["lat"], 15.115);
    assert_eq!(one[0]["long"], 108.8);
    assert!(
        one[0]["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+07:00")
    );
    let text = one.to_string();
    for secret in ["cudan@example.vn", "0912345678", "Bình"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let listed: Value = client
        .get(admin.url(&format!(
            "/open311/v2/requests.json?service_request_id={id}&status=open"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let xml = client
        .get(admin.url("/open311/v2/requests.xml"))
        .send()
        .await
        .unwrap();
    assert!(
        xml.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml")
    );
    let xml = xml.text().await.unwrap();
    assert!(
        xml.contains(&format!("<service_request_id>{id}</service_request_id>")),
        "{xml}"
    );

    // It is in the ward's inbox, as filed through Open311.
    let reviewer = admin.as_user("reviewer").await;
    let inbox = reviewer.get("/api/v1/incidents?state=new").await;
    let entry = inbox
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["reference"] == json!(id))
        .cloned()
        .expect("in the inbox");
    assert_eq!(entry["channel"], "open311");
    assert_eq!(entry["contact_name"], "Trần Thị Bình");
    assert_eq!(entry["client"], "device_id=fms-app-1");

    // Errors in Open311's shape.
    let missing = client
        .post(admin.url("/open311/v2/requests.json"))
        .form(&[("service_code", "outage")])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    let missing: Value = missing.json().await.unwrap();
    assert_eq!(missing[0]["code"], 400);
    assert!(
        missing[0]["description"].as_str().unwrap().contains("lat"),
        "{missing}"
    );
    let unknown = client
        .post(admin.url("/open311/v2/requests.json"))
        .form(&[
            ("service_code", "graffiti"),
            ("lat", "15.115"),
            ("long", "108.8"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);
    let unknown: Value = unknown.json().await.unwrap();
    assert!(
        unknown[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("service_code"),
        "{unknown}"
    );
    let nowhere = client
        .get(admin.url("/open311/v2/requests/PA-1999-000001.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(nowhere.status(), 404);
    assert_eq!(nowhere.json::<Value>().await.unwrap()[0]["code"], 404);
    let jurisdiction = client
        .get(admin.url("/open311/v2/services.json?jurisdiction_id=99999"))
        .send()
        .await
        .unwrap();
    assert_eq!(jurisdiction.status(), 404);
    let bad_key = client
        .post(admin.url("/open311/v2/requests.json"))
        .form(&[
            ("api_key", "hat_nonsense"),
            ("service_code", "outage"),
            ("lat", "15.115"),
            ("long", "108.8"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_key.status(), 403);
}

#[tokio::test]
async fn public_reports_are_limited_per_address() {
    let admin = spawn_app().await;
    let client = plain();
    let post = || {
        client
            .post(admin.url("/open311/v2/requests.json"))
            .form(&[
                ("service_code", "outage"),
                ("lat", "15.115"),
                ("long", "108.8"),
                ("description", "Mất sóng"),
            ])
            .send()
    };
    for _ in 0..10 {
        assert_eq!(post().await.unwrap().status(), 201);
    }
    let limited = post().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    // Signed-in staff are not limited.
    let reviewer = admin.as_user("reviewer").await;
    let filed = reviewer
        .post_json(
            "/api/v1/incidents",
            &report("outage", IN_CHANH_LO[0], IN_CHANH_LO[1]),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
}

#[tokio::test]
async fn the_list_is_filtered_mapped_and_exported_safely() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    let mut formula = report("vandalism", IN_CHANH_LO[0], IN_CHANH_LO[1]);
    formula["description"] = json!("=HYPERLINK(\"http://evil\",\"bấm\")");
    assert_eq!(
        reviewer
            .post_json("/api/v1/incidents", &formula)
            .await
            .status,
        201
    );
    assert_eq!(
        reviewer
            .post_json(
                "/api/v1/incidents",
                &report("outage", IN_CHANH_LO[0], IN_CHANH_LO[1])
            )
            .await
            .status,
        201
    );

    let only = reviewer.get("/api/v1/incidents?incident_type=outage").await;
    assert_eq!(only.body.as_array().unwrap().len(), 1);
    let map = reviewer.get("/api/v1/incidents?format=geojson").await;
    assert_eq!(map.headers["content-type"], "application/geo+json");
    assert_eq!(map.body["features"].as_array().unwrap().len(), 2);
    let csv = reviewer.get("/api/v1/incidents?format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.text.contains("'=HYPERLINK"),
        "formula neutralised: {}",
        csv.text
    );
    assert!(csv.text.contains("Mất liên lạc"));
    let xlsx = reviewer.get("/api/v1/incidents?format=xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    // Operators do not get the reporters' contacts in an export.
    let vnpt = admin.as_user("vnpt").await;
    assert!(
        !vnpt
            .get("/api/v1/incidents?format=csv")
            .await
            .text
            .contains("Điện thoại")
    );
}
