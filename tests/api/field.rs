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

/// A VNPT pole carrying a Viettel cable, in Chánh Lộ: what an inspector looks at.
async fn pole_with_cable(admin: &TestApp) -> (i64, i64) {
    let mut p = pole("VNPT-P-KT1", IN_CHANH_LO[0], IN_CHANH_LO[1]);
    p["properties"]["operator"] = json!("VNPT");
    p["properties"]["purpose"] = json!("telecom");
    let pole_id = admin.create("poles", &p).await;
    let mut c = cable("VT-C-KT1", &[pole_id]);
    c["properties"]["operator"] = json!("VIETTEL");
    let cable_id = admin.create("cables", &c).await;
    (pole_id, cable_id)
}

fn area() -> Value {
    json!({"type": "Polygon", "coordinates": [[[108.799, 15.114], [108.801, 15.114], [108.801, 15.116], [108.799, 15.116], [108.799, 15.114]]]})
}

async fn finding(app: &TestApp, round: i64, body: Value, key: Option<&str>) -> Reply {
    let form = Form::new()
        .text("data", body.to_string())
        .part("photo", Part::bytes(jpeg()).file_name("hien-truong.jpg"));
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/inspections/{round}/findings")))
        .multipart(form);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    app.send(request).await
}

#[tokio::test]
async fn a_failed_check_opens_a_violation_that_the_operator_fixes_and_the_follow_up_closes() {
    let admin = spawn_app().await;
    let (pole_id, _) = pole_with_cable(&admin).await;
    let reviewer = admin.as_user("reviewer").await;
    let vnpt = admin.as_user("vnpt").await;
    let viettel = admin.as_user("viettel").await;

    let checklists = vnpt.get("/api/v1/inspections/checklists").await;
    assert_eq!(checklists.status, 200);
    let label = checklists.body["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_key"] == "cable.owner_label")
        .unwrap()
        .clone();
    assert_eq!(label["citation"], "QCVN 33:2019/BTTTT, mục 2.7.2");
    assert!(
        checklists.body["by_kind"]["pole"]
            .as_array()
            .unwrap()
            .contains(&json!("cable.owner_label"))
    );

    let round = reviewer
        .post_json(
            "/api/v1/inspections",
            &json!({"title": "Kiểm tra tuyến Phan Bội Châu", "category": "routine", "geometry": area(), "planned_on": "2026-12-15"}),
        )
        .await;
    assert_eq!(round.status, 201, "{}", round.text);
    let round_id = round.body["id"].as_i64().unwrap();
    assert!(round.body["reference"].as_str().unwrap().starts_with("KT-"));
    let items = round.body["items"].as_array().unwrap();
    let item = items
        .iter()
        .find(|i| i["asset_id"] == json!(pole_id))
        .expect("the pole is on the worklist");
    assert_eq!(item["cable_operators"], json!(["VIETTEL"]));
    assert_eq!(
        vnpt.get(&format!("/api/v1/inspections/{round_id}"))
            .await
            .status,
        403
    );
    assert_eq!(vnpt.get("/api/v1/inspections").await.status, 403);

    // Viettel's cable hangs on VNPT's pole without a label: Viettel is responsible.
    let recorded = finding(
        &reviewer,
        round_id,
        json!({"asset_id": pole_id, "asset_version": item["version"], "responsible_operator": "VIETTEL",
               "answers": {"cable.owner_label": "fail", "pole.upright": "pass"}, "note": "Hai sợi cáp không có thẻ"}),
        Some("finding-key-1"),
    )
    .await;
    assert_eq!(recorded.status, 201, "{}", recorded.text);
    assert_eq!(
        recorded.body["opened"].as_array().unwrap().len(),
        1,
        "{}",
        recorded.text
    );
    assert_eq!(
        recorded.body["finding"]["photos"].as_array().unwrap().len(),
        1
    );
    // Sent again (the phone lost the answer): nothing new.
    let again = finding(
        &reviewer,
        round_id,
        json!({"asset_id": pole_id, "asset_version": item["version"], "responsible_operator": "VIETTEL",
               "answers": {"cable.owner_label": "fail", "pole.upright": "pass"}, "note": "Hai sợi cáp không có thẻ"}),
        Some("finding-key-1"),
    )
    .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body["finding"]["id"], recorded.body["finding"]["id"]);
    let counts: (i64, i64) = sqlx::query_as(
        "select (select count(*) from inspection_finding), (select count(*) from violation)",
    )
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    assert_eq!(counts, (1, 1));

    // Viettel sees it, with its legal basis and deadline; VNPT does not.
    let mine = viettel.get("/api/v1/violations").await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1, "{}", mine.text);
    let violation = mine.body[0].clone();
    let vid = violation["id"].as_i64().unwrap();
    assert_eq!(violation["legal_basis"], "QCVN 33:2019/BTTTT, mục 2.7.2");
    assert_eq!(violation["state"], "open");
    assert!(violation["follow_up_round_id"].as_i64().is_some());
    assert_eq!(
        vnpt.get("/api/v1/violations")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        vnpt.get(&format!("/api/v1/violations/{vid}")).await.status,
        403
    );
    assert!(
        viettel
            .get("/api/v1/notifications")
            .await
            .text
            .contains(violation["reference"].as_str().unwrap())
    );

    // Fixed with a photo (without one it is refused); VNPT cannot report it.
    let no_photo = viettel
        .post_json(
            &format!("/api/v1/violations/{vid}/actions/report_fixed"),
            &json!({}),
        )
        .await;
    assert_eq!(no_photo.status, 422);
    let form = Form::new()
        .text("data", json!({"note": "Đã gắn thẻ"}).to_string())
        .part("photo", Part::bytes(jpeg()).file_name("the-cap.jpg"));
    let fixed = viettel
        .send(
            viettel
                .client
                .post(viettel.url(&format!("/api/v1/violations/{vid}/actions/report_fixed")))
                .multipart(form),
        )
        .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert_eq!(fixed.body["state"], "fixed");
    assert_eq!(
        vnpt.post_json(
            &format!("/api/v1/violations/{vid}/actions/report_fixed"),
            &json!({})
        )
        .await
        .status,
        403
    );

    // The follow-up: the label is there now, the violation is closed.
    let follow_up = violation["follow_up_round_id"].as_i64().unwrap();
    let round = reviewer
        .get(&format!("/api/v1/inspections/{follow_up}"))
        .await;
    assert_eq!(round.body["category"], "follow_up");
    assert_eq!(round.body["items"][0]["violation_id"], json!(vid));
    let checked = finding(
        &reviewer,
        follow_up,
        json!({"asset_id": pole_id, "answers": {"cable.owner_label": "pass"}}),
        None,
    )
    .await;
    assert_eq!(checked.status, 201, "{}", checked.text);
    assert_eq!(checked.body["verified"], json!([violation["reference"]]));
    let closed = viettel.get(&format!("/api/v1/violations/{vid}")).await;
    assert_eq!(closed.body["state"], "closed");
    let steps: Vec<&str> = closed.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["open", "report_fixed", "verify"]);

    let stats = reviewer.get("/api/v1/inspections/stats").await;
    assert_eq!(stats.status, 200, "{}", stats.text);
    let viettel_row = stats.body["by_operator"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "VIETTEL")
        .cloned()
        .unwrap();
    assert_eq!(
        (
            viettel_row["violations"].as_i64(),
            viettel_row["closed"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(stats.body["by_ward"][0]["key"], "21031");
    assert_eq!(vnpt.get("/api/v1/inspections/stats").await.status, 403);
}

#[tokio::test]
async fn a_finding_on_an_asset_changed_meanwhile_is_shown_not_lost() {
    let admin = spawn_app().await;
    let (pole_id, _) = pole_with_cable(&admin).await;
    let reviewer = admin.as_user("reviewer").await;
    let round = reviewer
        .post_json("/api/v1/inspections", &json!({"title": "Kiểm tra", "category": "routine", "geometry": area(), "planned_on": "2026-12-15"}))
        .await;
    let round_id = round.body["id"].as_i64().unwrap();
    let seen = round.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["asset_id"] == json!(pole_id))
        .unwrap()["version"]
        .clone();
    // Meanwhile (the inspector is offline) VNPT changes the pole.
    let vnpt = admin.as_user("vnpt").await;
    let current = vnpt.get(&format!("/api/v1/poles/{pole_id}")).await;
    let changed = vnpt
        .patch_json(
            &format!("/api/v1/poles/{pole_id}"),
            &json!({"properties": {"height_m": 10.0}}),
            current.etag().as_deref(),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let body =
        json!({"asset_id": pole_id, "asset_version": seen, "answers": {"pole.upright": "fail"}});
    let conflict = finding(&reviewer, round_id, body.clone(), Some("offline-1")).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text);
    assert_eq!(conflict.error_code(), "version_conflict");
    assert!(
        conflict
            .problems()
            .iter()
            .any(|p| p.starts_with("height_m: ") && p.contains("user:vnpt")),
        "{:?}",
        conflict.problems()
    );
    let none: i64 = sqlx::query_scalar("select count(*) from inspection_finding")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
    // The person looked and keeps it: sent with the same key, confirmed.
    let mut confirmed = body.clone();
    confirmed["confirm_changed"] = json!(true);
    let kept = finding(&reviewer, round_id, confirmed, Some("offline-1b")).await;
    assert_eq!(kept.status, 201, "{}", kept.text);
    assert_eq!(kept.body["opened"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn detection_lists_find_unpermitted_towers_unbuilt_permits_and_unlabelled_cables() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    // A ground tower (A2b) needs a permit and has none; an A1 rooftop mast does not need one.
    let unpermitted = admin.create("towers", &tower("VNPT-T-NOPERMIT")).await;
    let mut a1 = tower("VNPT-T-A1");
    a1["properties"]["tower_class"] = json!("A1");
    a1["properties"]["placement"] = json!("rooftop");
    a1["properties"]["height_m"] = json!(3.0);
    a1["properties"]["host_building_height_m"] = json!(20.0);
    a1["properties"]["structure"] = json!("rooftop_pole");
    let exempt = admin.create("towers", &a1).await;
    let rows = reviewer.get("/api/v1/detection/unpermitted").await;
    assert_eq!(rows.status, 200, "{}", rows.text);
    let ids: Vec<i64> = rows
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["asset_id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&unpermitted), "{ids:?}");
    assert!(!ids.contains(&exempt), "A1 masts are exempt");
    // One click opens a violation; the row then shows it, and a second click is refused.
    let opened = reviewer
        .post_json(
            &format!("/api/v1/detection/unpermitted/{unpermitted}/violation"),
            &json!({}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    assert!(
        opened.body["legal_basis"]
            .as_str()
            .unwrap()
            .contains("Điều 89")
    );
    assert_eq!(opened.body["operator"], "VNPT");
    let row = reviewer
        .get("/api/v1/detection/unpermitted")
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["asset_id"] == json!(unpermitted))
        .cloned()
        .unwrap();
    assert_eq!(row["violation"], opened.body["reference"]);
    assert_eq!(
        reviewer
            .post_json(
                &format!("/api/v1/detection/unpermitted/{unpermitted}/violation"),
                &json!({})
            )
            .await
            .status,
        409
    );

    // A permit reported completed with no as-built asset.
    let permit = admin
        .post_json(
            "/api/v1/permits",
            &json!({"operator": "FPT", "works_type": "excavation_repair", "title": "Đào sửa cống", "geometry": point(IN_CHANH_LO[0], IN_CHANH_LO[1]),
                    "planned_start": "2027-01-04", "planned_end": "2027-01-08"}),
        )
        .await;
    assert_eq!(permit.status, 201, "{}", permit.text);
    let permit_id = permit.body["id"].as_i64().unwrap();
    sqlx::query("update permit_application set state = 'works_completed', works_completed_on = current_date where id = $1")
        .bind(permit_id)
        .execute(&admin.pool)
        .await
        .unwrap();
    let built = reviewer.get("/api/v1/detection/as-built").await;
    let row = built
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["permit_id"] == json!(permit_id))
        .cloned()
        .expect("listed");
    assert_eq!(row["problem"], "no_as_built");
    let opened = reviewer
        .post_json(
            &format!("/api/v1/detection/as-built/{permit_id}/violation"),
            &json!({}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    assert_eq!(opened.body["operator"], "FPT");

    // An unlabelled cable found with no one named: the operator must be said, unless the pole carries one operator's cable.
    let (pole_id, _) = pole_with_cable(&admin).await;
    let round = reviewer
        .post_json("/api/v1/inspections", &json!({"title": "Kiểm tra thẻ cáp", "category": "sample", "sample_percent": 100, "geometry": area(), "planned_on": "2026-12-15"}))
        .await;
    assert_eq!(round.status, 201, "{}", round.text);
    let round_id = round.body["id"].as_i64().unwrap();
    let advice_only = finding(&reviewer, round_id, json!({"asset_id": pole_id, "answers": {"cable.owner_label": "fail"}, "responsible_operator": "VIETTEL"}), None).await;
    assert_eq!(advice_only.status, 201, "{}", advice_only.text);
    let list = reviewer.get("/api/v1/detection/unlabelled").await;
    let row = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["asset_id"] == json!(pole_id))
        .cloned()
        .expect("listed");
    assert_eq!(row["cable_operators"], json!(["VIETTEL"]));
    assert!(
        row["violation"].is_string(),
        "the failed check already opened one: {row}"
    );
    // Access: operators do not see the lists.
    assert_eq!(
        admin
            .as_user("vnpt")
            .await
            .get("/api/v1/detection/unpermitted")
            .await
            .status,
        403
    );
    assert_eq!(
        admin
            .anonymous()
            .get("/api/v1/detection/as-built")
            .await
            .status,
        401
    );
}

/// The demo's field work: loaded through the stores as the demo accounts, in
/// the demo ward as it is today, audited, and loaded only once.
#[tokio::test]
async fn the_demo_has_reports_a_round_and_a_violation_filed_by_its_accounts() {
    let app = spawn_app().await;
    hatang::demo::load(&app.pool, true)
        .await
        .expect("the demo loads");
    let logins = hatang::accounts::demo::create(&app.pool)
        .await
        .expect("the demo accounts");
    let summary = hatang::demo::field::load(&app.pool)
        .await
        .expect("the demo field work");
    assert_eq!(
        (
            summary.incidents,
            summary.rounds,
            summary.findings,
            summary.violations
        ),
        (4, 1, 2, 1),
        "{summary}"
    );
    let password = &logins
        .iter()
        .find(|l| l.username == "admin")
        .unwrap()
        .password;
    let session = app
        .login("admin", password)
        .await
        .expect("the demo admin logs in");
    let admin = TestApp {
        session: Some(session),
        token: None,
        ..app.clone()
    };

    let reports = admin.get("/api/v1/incidents").await;
    assert_eq!(reports.status, 200, "{}", reports.text);
    let mut states: Vec<&str> = reports
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    states.sort();
    assert_eq!(
        states,
        ["assigned", "closed", "fixed", "new"],
        "{}",
        reports.text
    );
    let rounds = admin.get("/api/v1/inspections").await;
    let mut rounds: Vec<(String, String)> = rounds
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["category"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rounds.sort();
    // The round under way, and the follow-up the violation planned.
    assert_eq!(
        rounds,
        [
            ("follow_up".to_string(), "planned".to_string()),
            ("routine".into(), "in_progress".into())
        ]
    );
    let violations = admin.get("/api/v1/violations").await;
    assert_eq!(
        violations.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        violations.text
    );
    assert_eq!(violations.body[0]["state"], "open", "{}", violations.text);
    assert_eq!(
        violations.body[0]["source"], "inspection",
        "{}",
        violations.text
    );

    // In the ward of today: the report's ward is a current one.
    let current: bool = sqlx::query_scalar(
        "select bool_and(w.valid_to is null or w.valid_to >= current_date) from incident i join admin_unit w on w.id = i.ward_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(current, "the demo reports are in current wards");
    // Audited: the history names the demo people who did each step.
    let actors: Vec<String> = sqlx::query_scalar(
        "select distinct actor from change_log where entity in ('incident', 'violation', 'inspection_round', 'inspection_finding') order by 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(actors.iter().any(|a| a.starts_with("user:")), "{actors:?}");
    assert!(actors.len() >= 2, "the ward and an operator: {actors:?}");

    // Loaded once: a second run adds nothing.
    let again = hatang::demo::field::load(&app.pool).await.unwrap();
    assert_eq!(again.incidents, 0);
    let count: i64 = sqlx::query_scalar("select count(*) from incident")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 4);
}

/// The checklist rules: administrators add and change them (every problem at
/// once, the key never changes), retire one with an end date (it leaves the
/// checklists but keeps its answers), and every change is in the history.
#[tokio::test]
async fn administrators_edit_the_checklist_rules_and_retire_one_with_an_end_date() {
    let admin = spawn_app().await;
    let rules = admin.get("/api/v1/inspections/rules").await;
    assert_eq!(rules.status, 200, "{}", rules.text);
    let label = rules
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_key"] == "cable.owner_label")
        .unwrap();
    assert_eq!(label["citation"], "QCVN 33:2019/BTTTT, mục 2.7.2");

    // Every problem at once, by field, with codes.
    let bad = admin
        .post_json(
            "/api/v1/inspections/rules",
            &json!({"rule_key": "Cable Tag", "asset_kinds": ["lamp"], "title_vi": "", "title_en": "x", "citation": " ",
                    "severity": "fatal", "fix_days": 0, "valid_from": "2027-01-01", "valid_to": "2026-01-01"}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    for field in [
        "rule_key",
        "asset_kinds",
        "title_vi",
        "citation",
        "severity",
        "fix_days",
        "valid_to",
    ] {
        assert!(bad.has_problem(field), "{field}: {}", bad.text);
    }
    let codes: Vec<&str> = bad.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"unknown_value") && codes.contains(&"out_of_range"),
        "{codes:?}"
    );

    let rule = json!({"rule_key": "pole.number_plate", "asset_kinds": ["pole"], "title_vi": "Cột có biển số hiệu",
                      "title_en": "The pole carries its number plate", "citation": "Quy định của phường (thử)", "fix_days": 15});
    let added = admin.post_json("/api/v1/inspections/rules", &rule).await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(
        added.body["provisional"], true,
        "unchecked until someone says otherwise"
    );
    assert_eq!(added.body["severity"], "violation");
    let again = admin.post_json("/api/v1/inspections/rules", &rule).await;
    assert_eq!(again.status, 422, "{}", again.text);
    assert_eq!(
        again.body["error"]["details"][0]["code"], "already_exists",
        "{}",
        again.text
    );
    let checklists = admin.get("/api/v1/inspections/checklists").await;
    assert!(
        checklists.body["by_kind"]["pole"]
            .as_array()
            .unwrap()
            .contains(&json!("pole.number_plate"))
    );

    // Not for the ward's staff or operators.
    assert_eq!(
        admin
            .as_user("reviewer")
            .await
            .post_json("/api/v1/inspections/rules", &rule)
            .await
            .status,
        403
    );
    assert_eq!(
        admin
            .as_user("vnpt")
            .await
            .send(
                admin
                    .client
                    .put(admin.url("/api/v1/inspections/rules/pole.number_plate"))
                    .json(&rule)
            )
            .await
            .status,
        403
    );

    // The key stays; the rule retires with an end date.
    let mut changed = rule.clone();
    changed["rule_key"] = json!("pole.plate");
    let refused = admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/inspections/rules/pole.number_plate"))
                .json(&changed),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.has_problem("rule_key"));
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let mut retired = rule.clone();
    retired["valid_from"] = json!("2020-01-01");
    retired["valid_to"] = json!(yesterday);
    retired["provisional"] = json!(false);
    let put = admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/inspections/rules/pole.number_plate"))
                .json(&retired),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["valid_to"], json!(yesterday));
    let checklists = admin.get("/api/v1/inspections/checklists").await;
    assert!(
        !checklists.body["by_kind"]["pole"]
            .as_array()
            .unwrap()
            .contains(&json!("pole.number_plate")),
        "retired"
    );
    let missing = admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/inspections/rules/no.such_rule"))
                .json(&rule),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);

    let history: Vec<(String, String)> = sqlx::query_as(
        "select action, actor from change_log where entity = 'inspection_rule' and entity_key = 'pole.number_plate' order by id",
    )
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert_eq!(
        history.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        ["insert", "update"],
        "{history:?}"
    );
    assert!(
        history.iter().all(|(_, actor)| actor == "user:admin"),
        "{history:?}"
    );
}
