//! Sessions and tokens recognised from memory (issue 15, must-have 4): the
//! cache must never let in a session or token that has ended, on the server
//! that ended it (at once) nor on another server over the same database
//! (through the database's change notices, migration 0060).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hatang::Application;
use hatang::config::ServerConfig;
use hatang::database::connect;
use serde_json::{Value, json};

use crate::support::{TestApp, database_options, password_of, spawn_app};

/// Another Hatang server over the same database as `app`, with the same credentials.
async fn second_server(app: &TestApp) -> TestApp {
    let pool = connect(database_options(&app.database))
        .await
        .expect("connect to the test database");
    let config = ServerConfig {
        port: 0,
        web_dir: PathBuf::from("/nonexistent"),
        ..ServerConfig::default()
    };
    let server = Application::build(&config, pool.clone())
        .await
        .expect("bind a port");
    let address = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run(std::future::pending()));
    TestApp {
        address,
        pool,
        ..app.clone()
    }
}

/// `who`'s credentials sent to the server of `server`.
fn on(server: &TestApp, who: &TestApp) -> TestApp {
    TestApp {
        address: server.address.clone(),
        ..who.clone()
    }
}

/// Sessions and tokens the server recognised from memory so far.
async fn cache_hits(app: &TestApp) -> f64 {
    let text = app.anonymous().get("/metrics").await.text;
    text.lines()
        .find_map(|l| l.strip_prefix("hatang_principal_cache_hits "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no principal cache counter in /metrics:\n{text}"))
}

/// Waits until `path` answers 401 to `app` (a change made elsewhere arrives
/// by notice); panics after 5 s. Returns how long it took.
async fn refused_soon(app: &TestApp, path: &str, what: &str) -> Duration {
    let started = Instant::now();
    loop {
        let reply = app.get(path).await;
        if reply.status == 401 {
            return started.elapsed();
        }
        assert_eq!(reply.status, 200, "{what}: {}", reply.text);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what}: still let in after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn user_id(admin: &TestApp, username: &str) -> i64 {
    let users = admin.get("/api/v1/users").await;
    users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["id"].as_i64())
        .unwrap()
}

async fn logout(app: &TestApp) {
    let reply = app
        .send(app.client.post(app.url("/api/v1/auth/logout")))
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
}

#[tokio::test]
async fn a_logged_out_or_disabled_session_is_refused_at_once() {
    let admin = spawn_app().await;
    let planner = admin.as_user("planner").await;
    let hits = cache_hits(&admin).await;
    for _ in 0..3 {
        assert_eq!(planner.get("/api/v1/auth/me").await.status, 200);
    }
    assert!(
        cache_hits(&admin).await >= hits + 2.0,
        "the session is recognised from memory"
    );
    logout(&planner).await;
    assert_eq!(
        planner.get("/api/v1/auth/me").await.status,
        401,
        "a logged-out session is over on its next request"
    );

    let reviewer = admin.as_user("reviewer").await;
    assert_eq!(reviewer.get("/api/v1/ducts").await.status, 200);
    let id = user_id(&admin, "reviewer").await;
    let disabled = admin
        .patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"disabled": true}),
            None,
        )
        .await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(
        reviewer.get("/api/v1/ducts").await.status,
        401,
        "a disabled user's session is over on its next request"
    );

    // A new password ends the user's other sessions at once.
    let first = admin.as_user("fpt").await;
    let second = admin.as_user("fpt").await;
    assert_eq!(second.get("/api/v1/auth/me").await.status, 200);
    let changed = first
        .post_json(
            "/api/v1/auth/password",
            &json!({"current_password": password_of("fpt"), "new_password": "a new long passphrase 2027"}),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    assert_eq!(second.get("/api/v1/auth/me").await.status, 401);
    assert_eq!(first.get("/api/v1/auth/me").await.status, 200);

    // A role change (which ends the sessions) shows on the next request.
    let evn = admin.as_user("evn").await;
    assert_eq!(
        evn.get("/api/v1/auth/me").await.body["user"]["role"],
        "operator_member"
    );
    let id = user_id(&admin, "evn").await;
    let changed = admin
        .patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"role": "planner", "scope": ["51"]}),
            None,
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(evn.get("/api/v1/auth/me").await.status, 401);
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once_despite_the_cache() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let created = vnpt
        .post_json("/api/v1/tokens", &json!({"name": "sync"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let system = admin.with_token(created.body["token"].as_str().unwrap());
    for _ in 0..2 {
        assert_eq!(system.get("/api/v1/poles").await.status, 200);
    }
    let revoked = vnpt
        .send(
            vnpt.client
                .delete(vnpt.url(&format!("/api/v1/tokens/{}", created.body["id"]))),
        )
        .await;
    assert_eq!(revoked.status, 204);
    assert_eq!(system.get("/api/v1/poles").await.status, 401);
}

#[tokio::test]
async fn another_server_forgets_what_one_server_ended() {
    let a = spawn_app().await;
    let b = second_server(&a).await;

    // Disabling an account on A.
    let planner = a.as_user("planner").await;
    let planner_on_b = on(&b, &planner);
    let hits = cache_hits(&b).await;
    for _ in 0..3 {
        assert_eq!(planner_on_b.get("/api/v1/auth/me").await.status, 200);
    }
    assert!(
        cache_hits(&b).await >= hits + 2.0,
        "B recognises the session from memory"
    );
    let id = user_id(&a, "planner").await;
    let disabled = a
        .patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"disabled": true}),
            None,
        )
        .await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    let took = refused_soon(
        &planner_on_b,
        "/api/v1/auth/me",
        "disabled on A, asked of B",
    )
    .await;
    eprintln!("a disabled account reached the other server in {took:?}");

    // Logging out on A.
    let vnpt = a.as_user("vnpt").await;
    let vnpt_on_b = on(&b, &vnpt);
    assert_eq!(vnpt_on_b.get("/api/v1/auth/me").await.status, 200);
    assert_eq!(vnpt_on_b.get("/api/v1/auth/me").await.status, 200);
    logout(&vnpt).await;
    refused_soon(&vnpt_on_b, "/api/v1/auth/me", "logged out on A, asked of B").await;

    // Changing one's password on A ends the other sessions everywhere.
    let first = a.as_user("fpt").await;
    let second_on_b = on(&b, &a.as_user("fpt").await);
    assert_eq!(second_on_b.get("/api/v1/auth/me").await.status, 200);
    let changed = first
        .post_json(
            "/api/v1/auth/password",
            &json!({"current_password": password_of("fpt"), "new_password": "a new long passphrase 2027"}),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    refused_soon(
        &second_on_b,
        "/api/v1/auth/me",
        "password changed on A, asked of B",
    )
    .await;
    assert_eq!(on(&b, &first).get("/api/v1/auth/me").await.status, 200);

    // Revoking a token on A.
    let viettel = a.as_user("viettel").await;
    let created = viettel
        .post_json("/api/v1/tokens", &json!({"name": "sync"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let system_on_b = b.with_token(created.body["token"].as_str().unwrap());
    assert_eq!(system_on_b.get("/api/v1/poles").await.status, 200);
    assert_eq!(system_on_b.get("/api/v1/poles").await.status, 200);
    let revoked = viettel
        .send(
            viettel
                .client
                .delete(viettel.url(&format!("/api/v1/tokens/{}", created.body["id"]))),
        )
        .await;
    assert_eq!(revoked.status, 204);
    refused_soon(
        &system_on_b,
        "/api/v1/poles",
        "token revoked on A, used on B",
    )
    .await;
}

#[tokio::test]
async fn a_change_made_directly_in_the_database_reaches_the_cache() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    assert_eq!(reviewer.get("/api/v1/auth/me").await.status, 200);
    assert_eq!(reviewer.get("/api/v1/auth/me").await.status, 200);
    sqlx::query("update app_user set disabled_at = now() where username = 'reviewer'")
        .execute(&admin.pool)
        .await
        .unwrap();
    refused_soon(&reviewer, "/api/v1/auth/me", "disabled in psql").await;

    // A scope changed in the database shows without a new login.
    let planner = admin.as_user("planner").await;
    let before: Value = planner.get("/api/v1/auth/me").await.body;
    assert_eq!(before["user"]["role"], "planner");
    sqlx::query("update app_user set display_name = 'Renamed planner' where username = 'planner'")
        .execute(&admin.pool)
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let me = planner.get("/api/v1/auth/me").await.body;
        if me["user"]["display_name"] == "Renamed planner" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the new name did not arrive: {me}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
