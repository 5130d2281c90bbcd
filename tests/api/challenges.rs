//! Challenges on the public map: the guard of the public form, triage,
//! the operator's answer, and the next filing that must correct the claim.

use serde_json::{Value, json};

use crate::filings::{coverage_file, open_call, rectangle, upload};
use crate::support::{Reply, TestApp, spawn_app};

async fn app() -> TestApp {
    spawn_app().await
}

/// A proof-of-work challenge of the public forms' guard, solved: (challenge, nonce).
async fn proof(app: &TestApp) -> (String, String) {
    let ticket = app.anonymous().get("/api/v1/challenges/ticket").await;
    assert_eq!(ticket.status, 200, "{}", ticket.text);
    let challenge = ticket.body["challenge"].as_str().unwrap().to_string();
    let difficulty = ticket.body["difficulty"].as_u64().unwrap() as u32;
    let nonce = hatang::incidents::guard::solve(&challenge, difficulty);
    (challenge, nonce)
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

/// The form of a challenge at (lon, lat).
fn form(fields: &[(&str, &str)], photo: Option<(Vec<u8>, &str)>) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((bytes, name)) = photo {
        form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    form
}

async fn send_form(app: &TestApp, form: reqwest::multipart::Form) -> Reply {
    app.anonymous()
        .send(
            app.client
                .post(app.url("/api/v1/challenges"))
                .multipart(form),
        )
        .await
}

/// A "no 5G here" at a point of Chánh Lộ, sent by the public.
async fn no_5g(app: &TestApp, lon: f64, lat: f64) -> i64 {
    let (challenge, nonce) = proof(app).await;
    let (lon, lat) = (lon.to_string(), lat.to_string());
    let reply = send_form(
        app,
        form(
            &[
                ("kind", "no_mobile"),
                ("technology", "5G"),
                ("lon", &lon),
                ("lat", &lat),
                ("address", "Số 12 đường Lê Lợi"),
                (
                    "description",
                    "Điện thoại chỉ bắt được 4G trong nhà và ngoài sân.",
                ),
                ("contact", "0905 123 456"),
                ("challenge", &challenge),
                ("nonce", &nonce),
            ],
            Some((png(), "anh.png")),
        ),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["state"], "submitted");
    reply.body["id"].as_i64().unwrap()
}

async fn act(app: &TestApp, id: i64, action: &str, body: Value) -> Reply {
    // Those who may not read it send some version: the gate is what is tested.
    let version = app.get(&format!("/api/v1/challenges/{id}")).await.body["version"]
        .as_i64()
        .unwrap_or(1);
    let mut body = body;
    body["version"] = json!(version);
    app.post_json(&format!("/api/v1/challenges/{id}/actions/{action}"), &body)
        .await
}

/// VNPT's 5G over the south-west of Chánh Lộ, filed and submitted; the filing's id.
async fn vnpt_5g(admin: &TestApp, call: i64, polygon: Value) -> Reply {
    let vnpt = admin.as_user("vnpt").await;
    let saved = upload(
        &vnpt,
        call,
        "5g.geojson",
        coverage_file(&[(polygon, "5G")]),
        "",
    )
    .await;
    assert_eq!(saved.status, 201, "{}", saved.text);
    saved
}

async fn submit(app: &TestApp, version: &Reply) -> Reply {
    let filing = version.body["filing_id"].as_i64().unwrap();
    let number = version.body["number"].as_i64().unwrap();
    app.post_json(
        &format!("/api/v1/filings/{filing}/versions/{number}/submit"),
        &json!({}),
    )
    .await
}

fn ids(layer: &Reply) -> Vec<i64> {
    layer.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn an_accepted_challenge_must_be_corrected_by_the_operators_next_filing() {
    let admin = app().await;
    let call = open_call(&admin, "mobile_coverage", json!({})).await["id"]
        .as_i64()
        .unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let covering = rectangle(108.797, 15.107, 108.806, 15.116);
    let first = vnpt_5g(&admin, call, covering.clone()).await;
    assert_eq!(submit(&vnpt, &first).await.status, 200);

    let id = no_5g(&admin, 108.800, 15.110).await;
    // Not triaged yet: staff see it on the map, the public not.
    let reviewer = admin.as_user("reviewer").await;
    assert_eq!(ids(&reviewer.get("/api/v1/challenges/map").await), [id]);
    assert!(ids(&admin.anonymous().get("/api/v1/challenges/map").await).is_empty());
    let seen = reviewer.get(&format!("/api/v1/challenges/{id}")).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.body["reporter_contact"], "0905 123 456");
    assert_eq!(
        seen.body["claimed_by"][0]["operator"], "VNPT",
        "{}",
        seen.text
    );
    assert_eq!(seen.body["actions"], json!(["forward", "reject"]));
    let photo = reviewer
        .get(&format!("/api/v1/challenges/{id}/photo"))
        .await;
    assert_eq!(photo.status, 200);
    assert_eq!(photo.headers["content-type"], "image/png");

    let forwarded = act(
        &reviewer,
        id,
        "forward",
        json!({"operator": "VNPT", "note": "Đề nghị VNPT kiểm tra"}),
    )
    .await;
    assert_eq!(forwarded.status, 200, "{}", forwarded.text);
    assert_eq!(forwarded.body["state"], "forwarded");
    assert!(forwarded.body["response_due_on"].is_string());
    let public_layer = admin.anonymous().get("/api/v1/challenges/map").await;
    assert_eq!(ids(&public_layer), [id]);
    let properties = &public_layer.body["features"][0]["properties"];
    assert_eq!(properties["technology"], "5G");
    assert!(properties.get("contact").is_none() && !public_layer.text.contains("0905"));

    // The operator concerned reads it without the sender's contact; others not at all.
    let theirs = vnpt.get(&format!("/api/v1/challenges/{id}")).await;
    assert_eq!(theirs.status, 200);
    assert!(theirs.body["reporter_contact"].is_null());
    assert_eq!(theirs.body["actions"], json!(["accept", "dispute"]));
    let viettel = admin.as_user("viettel").await;
    assert_eq!(
        viettel
            .get(&format!("/api/v1/challenges/{id}"))
            .await
            .status,
        403
    );
    assert_eq!(act(&viettel, id, "accept", json!({})).await.status, 403);
    assert_eq!(
        act(&vnpt, id, "uphold", json!({"note": "x"})).await.status,
        403
    );
    let notes = vnpt.get("/api/v1/notifications").await;
    assert!(
        notes.text.contains(&format!("/challenges/{id}")),
        "{}",
        notes.text
    );

    assert_eq!(
        act(&vnpt, id, "accept", json!({})).await.body["state"],
        "accepted"
    );
    // Filing the same polygon again is refused: it still claims 5G at the point.
    let again = vnpt_5g(&admin, call, covering).await;
    let problem = again.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "covers_accepted_challenge")
        .unwrap_or_else(|| panic!("{}", again.text));
    assert_eq!(problem["params"]["challenge"], id);
    assert_eq!(problem["row"], 1);
    assert_eq!(submit(&vnpt, &again).await.status, 422);
    // A polygon that leaves the point out corrects it.
    let corrected = vnpt_5g(&admin, call, rectangle(108.802, 15.107, 108.806, 15.116)).await;
    assert_eq!(corrected.body["error_count"], 0, "{}", corrected.text);
    assert_eq!(submit(&vnpt, &corrected).await.status, 200);
    let after = reviewer.get(&format!("/api/v1/challenges/{id}")).await;
    assert_eq!(after.body["state"], "corrected");
    assert!(after.body["corrected_by_version_id"].is_i64());
    assert!(ids(&admin.anonymous().get("/api/v1/challenges/map").await).is_empty());

    let log: Vec<(String, String)> = sqlx::query_as(
        "select action, actor from change_log where entity = 'challenge' and entity_key = $1 order by id",
    )
    .bind(id.to_string())
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    let actors: Vec<&str> = log.iter().map(|(_, a)| a.as_str()).collect();
    assert_eq!(
        actors,
        ["public", "user:reviewer", "user:vnpt", "user:vnpt"]
    );
    let logged: Value = sqlx::query_scalar(
        "select after from change_log where entity = 'challenge' and entity_key = $1 order by id limit 1",
    )
    .bind(id.to_string())
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    assert!(logged["photo_sha256"].is_string());
    assert!(
        !logged.to_string().contains("127.0.0.1"),
        "no address is kept: {logged}"
    );
}

#[tokio::test]
async fn a_disputed_challenge_is_decided_by_staff() {
    let admin = app().await;
    let id = no_5g(&admin, 108.801, 15.111).await;
    let reviewer = admin.as_user("reviewer").await;
    // Forwarding needs the operator; rejecting needs a reason.
    assert!(
        act(&reviewer, id, "forward", json!({}))
            .await
            .has_problem("operator")
    );
    assert!(
        act(&reviewer, id, "reject", json!({}))
            .await
            .has_problem("note")
    );
    assert_eq!(
        act(&reviewer, id, "uphold", json!({"note": "x"}))
            .await
            .status,
        409
    );
    assert_eq!(
        act(&reviewer, id, "forward", json!({"operator": "VIETTEL"}))
            .await
            .status,
        200
    );
    let viettel = admin.as_user("viettel").await;
    assert!(
        act(&viettel, id, "dispute", json!({}))
            .await
            .has_problem("note")
    );
    let version =
        viettel.get(&format!("/api/v1/challenges/{id}")).await.body["version"].to_string();
    let evidence = reqwest::multipart::Form::new()
        .text("version", version)
        .text("note", "Đo kiểm ngày 20/11: RSRP -95 dBm tại điểm phản ánh")
        .part(
            "evidence",
            reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("do-kiem.pdf"),
        );
    let disputed = viettel
        .send(
            viettel
                .client
                .post(viettel.url(&format!("/api/v1/challenges/{id}/actions/dispute")))
                .multipart(evidence),
        )
        .await;
    assert_eq!(disputed.status, 200, "{}", disputed.text);
    assert_eq!(disputed.body["state"], "disputed");
    assert_eq!(disputed.body["has_evidence"], true);
    let file = reviewer
        .get(&format!("/api/v1/challenges/{id}/evidence"))
        .await;
    assert_eq!(file.status, 200);
    assert!(file.text.starts_with("%PDF"));
    assert_eq!(
        act(&viettel, id, "dismiss", json!({"note": "x"}))
            .await
            .status,
        403
    );
    let upheld = act(
        &reviewer,
        id,
        "uphold",
        json!({"note": "Người dân gửi thêm ảnh đo tốc độ"}),
    )
    .await;
    assert_eq!(upheld.status, 200, "{}", upheld.text);
    assert_eq!(upheld.body["state"], "upheld");
    // A stale version is a conflict, not a second decision.
    let stale = viettel
        .post_json(
            &format!("/api/v1/challenges/{id}/actions/accept"),
            &json!({"version": 1}),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.text);
    // The operator's list holds it; another operator's does not.
    let listed = viettel.get("/api/v1/challenges").await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    let vnpt = admin.as_user("vnpt").await;
    assert!(
        vnpt.get("/api/v1/challenges")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        admin.anonymous().get("/api/v1/challenges").await.status,
        401
    );
}

#[tokio::test]
async fn the_public_form_is_guarded_without_any_third_party_service() {
    let admin = app().await;
    let base = |challenge: &str, nonce: &str| -> Vec<(String, String)> {
        [
            ("kind", "no_fibre"),
            ("lon", "108.80"),
            ("lat", "15.11"),
            ("challenge", challenge),
            ("nonce", nonce),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let with = |fields: Vec<(String, String)>, extra: &[(&str, &str)]| {
        let mut all: Vec<(String, String)> = fields;
        for (k, v) in extra {
            all.retain(|(name, _)| name != k);
            all.push((k.to_string(), v.to_string()));
        }
        all
    };
    let send = |fields: Vec<(String, String)>, photo: Option<(Vec<u8>, &'static str)>| {
        let admin = admin.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            send_form(&admin, form(&pairs, photo)).await
        }
    };

    let (challenge, nonce) = proof(&admin).await;
    // No proof, wrong work, a honeypot, a bad photo, a point outside every ward: each refused, nothing kept.
    let unproven = send(with(base("", ""), &[]), None).await;
    assert!(unproven.has_problem("challenge"), "{}", unproven.text);
    let wrong = send(with(base(&challenge, &nonce), &[("nonce", "12a")]), None).await;
    assert!(wrong.has_problem("challenge"), "{}", wrong.text);
    let honeypot = send(
        with(base(&challenge, &nonce), &[("website", "http://spam")]),
        None,
    )
    .await;
    assert!(honeypot.has_problem("website"), "{}", honeypot.text);
    let svg = send(
        base(&challenge, &nonce),
        Some((b"<svg onload=alert(1)>".to_vec(), "a.png")),
    )
    .await;
    assert!(svg.has_problem("photo"), "{}", svg.text);
    let far = send(
        with(
            base(&challenge, &nonce),
            &[("lon", "105.85"), ("lat", "21.03")],
        ),
        None,
    )
    .await;
    assert!(far.has_problem("lon"), "{}", far.text);
    let bad = send(
        with(
            base(&challenge, &nonce),
            &[("kind", "no_mobile"), ("technology", "3G"), ("lat", "abc")],
        ),
        None,
    )
    .await;
    assert!(
        bad.has_problem("technology") && bad.has_problem("lat"),
        "{:?}",
        bad.problems()
    );
    let big = send(
        base(&challenge, &nonce),
        Some((vec![0xFF; 6 * 1024 * 1024], "a.jpg")),
    )
    .await;
    assert_eq!(big.status, 413, "{}", big.text);
    let kept: i64 = sqlx::query_scalar("select count(*) from challenge")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    // A refused form does not use the proof up; a challenge does, once.
    let ok = send(base(&challenge, &nonce), None).await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    let reused = send(base(&challenge, &nonce), None).await;
    assert!(reused.has_problem("challenge"), "{}", reused.text);
    // One address sends at most so many public submissions an hour; then it waits.
    let limit = hatang::incidents::guard::MAX_PER_HOUR;
    for i in 1..=limit {
        let (challenge, nonce) = proof(&admin).await;
        let reply = send(base(&challenge, &nonce), None).await;
        let expected = if i < limit { 201 } else { 429 };
        assert_eq!(
            reply.status,
            expected,
            "submission {}: {}",
            i + 1,
            reply.text
        );
        if expected == 429 {
            assert!(reply.headers.get("retry-after").is_some());
        }
    }
}
