//! What every test needs: one private PostgreSQL+PostGIS cluster per test
//! process (Hatang's own embedded cluster, in a temporary folder), a template
//! database with the schema and the fixture, and for each test a fresh copy of
//! it behind a real Hatang server on a free port.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use hatang::Application;
use hatang::accounts::users::{NewUser, create_user};
use hatang::config::ServerConfig;
use hatang::database::embedded::{ClusterOptions, EmbeddedError, EmbeddedPostgres};
use hatang::database::{connect, migrate};
use hatang::policy::Role;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde_json::Value;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};

const TEMPLATE: &str = "hatang_template";

/// The fixture's accounts: username, role, operator, scope (GSO codes).
pub const USERS: &[(&str, Role, Option<&str>, &[&str])] = &[
    ("admin", Role::Admin, None, &[]),
    ("reviewer", Role::Reviewer, None, &["21031"]),
    ("planner", Role::Planner, None, &["51"]),
    ("vnpt", Role::OperatorMember, Some("VNPT"), &[]),
    ("viettel", Role::OperatorMember, Some("VIETTEL"), &[]),
    ("fpt", Role::OperatorMember, Some("FPT"), &[]),
    ("evn", Role::OperatorMember, Some("EVNCPC"), &[]),
];

/// Test accounts' passwords (test data, not secrets).
pub fn password_of(username: &str) -> String {
    format!("test-password-of-{}", username.len() * 7919)
}

/// Connection options of the shared cluster (for any database in it).
fn cluster() -> &'static PgConnectOptions {
    static OPTIONS: OnceLock<PgConnectOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel();
        // The cluster belongs to a thread that lives as long as the process:
        // when the test process ends, the kernel stops the postmaster.
        std::thread::spawn(move || {
            let cluster = start_cluster();
            sender
                .send(cluster.connect_options("postgres"))
                .expect("the test thread waits");
            let _keep = cluster;
            loop {
                std::thread::park();
            }
        });
        receiver.recv().expect("the test cluster started")
    })
}

fn start_cluster() -> EmbeddedPostgres {
    let base = std::env::temp_dir();
    let options = |dir: PathBuf| ClusterOptions {
        data_dir: dir,
        bin_dir: None,
        os_user: None,
        durable: false,
    };
    match EmbeddedPostgres::start(&options(base.join("hatang-tests"))) {
        Ok(cluster) => cluster,
        // Another test process holds the shared folder: use one of our own.
        Err(EmbeddedError::Locked(_)) => {
            let dir = base.join(format!("hatang-tests-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            EmbeddedPostgres::start(&options(dir)).expect("start a private test cluster")
        }
        Err(error) => panic!("cannot start the test cluster: {error:?}"),
    }
}

/// Builds the template database once per process.
async fn template() -> &'static str {
    static READY: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    READY
        .get_or_init(|| async {
            let mut admin = PgConnection::connect_with(cluster())
                .await
                .expect("connect to the test cluster");
            let stale: Vec<String> = sqlx::query_scalar(
                "select datname from pg_database where datname like 'test\\_%' or datname = $1",
            )
            .bind(TEMPLATE)
            .fetch_all(&mut admin)
            .await
            .unwrap();
            for name in stale {
                sqlx::query(&format!("drop database if exists \"{name}\" with (force)"))
                    .execute(&mut admin)
                    .await
                    .unwrap();
            }
            sqlx::query(&format!("create database {TEMPLATE}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let mut conn = PgConnection::connect_with(&cluster().clone().database(TEMPLATE))
                .await
                .unwrap();
            migrate(&mut conn).await.expect("migrations apply");
            sqlx::raw_sql(include_str!("../fixtures/base.sql"))
                .execute(&mut conn)
                .await
                .expect("fixture loads");
            for (username, role, operator, scope) in USERS {
                let request = NewUser {
                    username: username.to_string(),
                    display_name: format!("Test {username}"),
                    role: *role,
                    operator: operator.map(str::to_string),
                    scope: scope.iter().map(|s| s.to_string()).collect(),
                    password: Some(password_of(username)),
                };
                create_user(&mut conn, request)
                    .await
                    .expect("test user is created");
            }
            conn.close().await.unwrap();
            admin.close().await.unwrap();
        })
        .await;
    TEMPLATE
}

/// A new database copied from the template; returns its name.
pub async fn fresh_database() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    static CREATING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let template = template().await;
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let _one_at_a_time = CREATING.lock().await;
    let mut admin = PgConnection::connect_with(cluster()).await.unwrap();
    sqlx::query(&format!("create database {name} template {template}"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    name
}

/// Options for a database of the test cluster.
pub fn database_options(name: &str) -> PgConnectOptions {
    cluster().clone().database(name)
}

/// A Hatang server on a free port with its own fresh database, and the
/// session its requests are sent with.
#[derive(Clone)]
pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    pub client: reqwest::Client,
    pub session: Option<Session>,
    /// An API token sent as `Authorization: Bearer`.
    pub token: Option<String>,
    /// The name of its database in the test cluster.
    pub database: String,
}

/// A logged-in browser session: its cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// A server whose requests are made as the fixture's admin.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server whose configuration `configure` changes first (smaller limits, say),
/// with requests made as the fixture's admin.
pub async fn spawn_app_with(configure: impl FnOnce(&mut ServerConfig)) -> TestApp {
    spawn(Some("admin"), configure).await
}

async fn spawn(user: Option<&str>, configure: impl FnOnce(&mut ServerConfig)) -> TestApp {
    // Server errors (5xx are only logged) show in the output of a failing test.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(tracing_subscriber::EnvFilter::new("error"))
        .try_init();
    let name = fresh_database().await;
    let pool = connect(database_options(&name))
        .await
        .expect("connect to the test database");
    let mut config = ServerConfig {
        port: 0,
        web_dir: PathBuf::from("/nonexistent"),
        ..ServerConfig::default()
    };
    configure(&mut config);
    let app = Application::build(&config, pool.clone())
        .await
        .expect("bind a port");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run(std::future::pending()));
    let app = TestApp {
        address,
        pool,
        client: reqwest::Client::new(),
        session: None,
        token: None,
        database: name,
    };
    match user {
        Some(user) => app.as_user(user).await,
        None => app,
    }
}

/// A `DATABASE_URL` for the app's database (over the cluster's socket), for
/// running the real binary against it.
pub fn database_url(app: &TestApp) -> String {
    let options = database_options(&app.database);
    let socket = options
        .get_socket()
        .map(|s| s.display().to_string())
        .unwrap_or_default();
    format!(
        "postgres://{}@localhost/{}?host={socket}",
        options.get_username(),
        app.database
    )
}

/// The `hatang` binary next to the test binary (`make test` builds it first).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(std::path::Path::parent).unwrap();
    let binary = dir.join("hatang");
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo build --bin hatang` first (make test does)",
        binary.display()
    );
    binary
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The error code of an error body.
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// `field: problem` lines of an error body.
    pub fn problems(&self) -> Vec<String> {
        self.body["error"]["details"]
            .as_array()
            .map(|d| {
                d.iter()
                    .map(|p| {
                        format!(
                            "{}: {}",
                            p["field"].as_str().unwrap_or(""),
                            p["problem"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether some problem is about `field`.
    pub fn has_problem(&self, field: &str) -> bool {
        self.problems()
            .iter()
            .any(|p| p.starts_with(&format!("{field}: ")))
    }

    pub fn etag(&self) -> Option<String> {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The same server, with requests made as `username` (logged in now).
    pub async fn as_user(&self, username: &str) -> TestApp {
        let session = self
            .login(username, &password_of(username))
            .await
            .unwrap_or_else(|reply| panic!("{username} cannot log in: {}", reply.text));
        TestApp {
            session: Some(session),
            token: None,
            ..self.clone()
        }
    }

    /// The same server, with requests made by the public.
    pub fn anonymous(&self) -> TestApp {
        TestApp {
            session: None,
            token: None,
            ..self.clone()
        }
    }

    /// The same server, with requests made with an API token.
    pub fn with_token(&self, token: &str) -> TestApp {
        TestApp {
            session: None,
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    /// Logs in; the session on success, the reply on failure.
    pub async fn login(&self, username: &str, password: &str) -> Result<Session, Reply> {
        let reply = self
            .anonymous()
            .send(
                self.client
                    .post(self.url("/api/v1/auth/login"))
                    .json(&serde_json::json!({"username": username, "password": password})),
            )
            .await;
        if reply.status != 200 {
            return Err(reply);
        }
        let set_cookie = reply
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let cookie = set_cookie.split(';').next().unwrap_or_default().to_string();
        let csrf = reply.body["csrf_token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Ok(Session { cookie, csrf })
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let mut request = request;
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(session) = &self.session {
            request = request
                .header("Cookie", &session.cookie)
                .header("X-CSRF-Token", &session.csrf);
        }
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body is readable");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    pub async fn patch_json(&self, path: &str, body: &Value, if_match: Option<&str>) -> Reply {
        let mut request = self
            .client
            .patch(self.url(path))
            .header(CONTENT_TYPE, "application/merge-patch+json")
            .body(body.to_string());
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        self.send(request).await
    }

    /// Registers an asset and returns its id, failing the test if refused.
    pub async fn create(&self, collection: &str, feature: &Value) -> i64 {
        let reply = self
            .post_json(&format!("/api/v1/{collection}"), feature)
            .await;
        assert_eq!(
            reply.status, 201,
            "creating in {collection} failed: {}",
            reply.text
        );
        reply.body["id"]
            .as_i64()
            .expect("the new feature has an id")
    }

    /// Every history entry of an asset.
    pub async fn history(&self, id: i64) -> Vec<Value> {
        let reply = self.get(&format!("/api/v1/assets/{id}/history")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["entries"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// Converts one coordinate pair with PROJ's `cs2cs` (Debian's proj-bin): an
/// independent computation to check Hatang's conversions against. The input
/// and output follow each CRS's official axis order (EPSG:4326: latitude first).
pub async fn cs2cs(from: &str, to: &str, a: f64, b: f64) -> (f64, f64) {
    use tokio::io::AsyncWriteExt;
    // EPSG codes as two arguments; PROJ strings as `+proj=… +to +proj=…`.
    let mut args: Vec<&str> = vec!["-f", "%.6f"];
    if from.starts_with('+') {
        args.extend(from.split_whitespace());
        args.push("+to");
        args.extend(to.split_whitespace());
    } else {
        args.extend([from, to]);
    }
    let mut child = tokio::process::Command::new("cs2cs")
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cs2cs runs (make test installs proj-bin)");
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{a} {b}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(numbers.len() >= 2, "cs2cs said {text:?}");
    (numbers[0], numbers[1])
}
