//! The real `hatang` binary with no database configured: it creates its own
//! PostgreSQL cluster in an empty folder, loads the demo, keeps its data across
//! restarts, stops cleanly on SIGTERM and recovers after being killed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::json;

/// The `hatang` binary next to this test binary (`make test` builds it first).
fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let binary = dir.join("hatang");
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo build --bin hatang` first (make test does)",
        binary.display()
    );
    binary
}

struct Server {
    child: Child,
    address: String,
    output: mpsc::Receiver<String>,
    /// What the server printed while starting.
    banner: Vec<String>,
}

#[allow(clippy::zombie_processes)] // Server's Drop kills and reaps the child.
fn start(data_dir: &Path) -> Server {
    let mut child = Command::new(binary())
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env("HATANG_WEB_DIR", "/nonexistent")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hatang starts");
    let (sender, output) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
    }
    let mut server = Server {
        child,
        address: String::new(),
        output,
        banner: Vec::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let Ok(line) = server
            .output
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        else {
            panic!(
                "hatang did not finish starting; output:\n{}",
                server.banner.join("\n")
            );
        };
        if let Some(rest) = line.split("is running at ").nth(1) {
            server.address = rest.trim().trim_end_matches('/').to_string();
        }
        let done = line.contains("Stop with Ctrl+C");
        server.banner.push(line);
        if done {
            return server;
        }
    }
}

impl Drop for Server {
    /// A failed test must not leave a server (and its PostgreSQL) running.
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Server {
    fn pid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }

    fn wait(&mut self, within: Duration) -> (std::process::ExitStatus, Vec<String>) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return (status, self.output.try_iter().collect());
            }
            assert!(Instant::now() < deadline, "hatang did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The demo password of `username`, as the start-up banner shows it.
    fn demo_password(&self, username: &str) -> String {
        self.banner
            .iter()
            .find_map(|line| {
                let mut words = line.split_whitespace();
                (words.next() == Some(username))
                    .then(|| words.next().unwrap_or_default().to_string())
            })
            .unwrap_or_else(|| {
                panic!(
                    "no demo login for {username} in:\n{}",
                    self.banner.join("\n")
                )
            })
    }

    /// Logs in as `username` with the printed demo password: the cookie and CSRF token.
    async fn login(&self, client: &reqwest::Client, username: &str) -> (String, String) {
        let response = client
            .post(format!("{}/api/v1/auth/login", self.address))
            .json(&json!({"username": username, "password": self.demo_password(username)}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            200,
            "{username} logs in with the printed password"
        );
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let body: serde_json::Value = response.json().await.unwrap();
        (cookie, body["csrf_token"].as_str().unwrap().to_string())
    }
}

/// Processes whose command line names this folder (the cluster's postmaster).
fn postgres_processes(pgdata: &Path) -> Vec<i32> {
    let needle = pgdata.to_string_lossy().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| {
                    String::from_utf8_lossy(&c).contains(&needle)
                        && String::from_utf8_lossy(&c).contains("postgres")
                })
                .unwrap_or(false)
        })
        .collect()
}

fn wait_for_no_postgres(pgdata: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !postgres_processes(pgdata).is_empty() {
        assert!(
            Instant::now() < deadline,
            "PostgreSQL was left running: {:?}",
            postgres_processes(pgdata)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hatang-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// GETs `path` as `username` (logged in with the printed demo password).
async fn get_as(
    client: &reqwest::Client,
    server: &Server,
    username: &str,
    path: &str,
) -> serde_json::Value {
    let (cookie, _) = server.login(client, username).await;
    client
        .get(format!("{}{path}", server.address))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn count(client: &reqwest::Client, server: &Server, collection: &str) -> usize {
    let (cookie, _) = server.login(client, "quyhoach.qng").await;
    let mut total = 0;
    let mut next = Some(format!("/api/v1/{collection}?limit=1000"));
    while let Some(path) = next.take() {
        let body: serde_json::Value = client
            .get(format!("{}{path}", server.address))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        total += body["features"].as_array().unwrap().len();
        next = body["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_string());
    }
    total
}

#[tokio::test]
async fn the_embedded_cluster_starts_empty_survives_restarts_and_recovers_from_a_kill() {
    let dir = scratch_dir("embedded");
    let pgdata = dir.join("pg");
    let client = reqwest::Client::new();

    // First start: an empty folder becomes a cluster with the demo loaded.
    let mut server = start(&dir);
    assert!(pgdata.join("PG_VERSION").is_file());
    assert!(
        pgdata.join(".s.PGSQL.5432").exists(),
        "listens on a socket in the data folder"
    );
    let health = client
        .get(format!("{}/health", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let towers = count(&client, &server, "towers").await;
    assert!(towers >= 40, "the demo's towers are there: {towers}");
    let (cookie, csrf) = server.login(&client, "vnpt.qng").await;
    let created = client
        .post(format!("{}/api/v1/poles", server.address))
        .header("Cookie", &cookie)
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.806, 15.112]},
                      "properties": {"code": "RESTART-TEST-1", "operator": "VNPT", "material": "steel", "height_m": 7.0}}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let postmaster = postgres_processes(&pgdata);
    assert!(!postmaster.is_empty());

    // SIGTERM: a clean stop, PostgreSQL with it.
    kill(server.pid(), Signal::SIGTERM).unwrap();
    let (status, output) = server.wait(Duration::from_secs(60));
    assert!(status.success(), "exit {status}: {output:?}");
    wait_for_no_postgres(&pgdata);

    // Second start: same data, no second demo load.
    let mut server = start(&dir);
    assert_eq!(count(&client, &server, "towers").await, towers);
    let found = get_as(
        &client,
        &server,
        "vnpt.qng",
        "/api/v1/poles?q=RESTART-TEST-1",
    )
    .await;
    assert_eq!(found["numberReturned"], 1);

    // SIGKILL: no chance to clean up. The next start must recover.
    kill(server.pid(), Signal::SIGKILL).unwrap();
    server.wait(Duration::from_secs(10));
    let mut server = start(&dir);
    let found = get_as(
        &client,
        &server,
        "vnpt.qng",
        "/api/v1/poles?q=RESTART-TEST-1",
    )
    .await;
    assert_eq!(found["numberReturned"], 1, "committed data survives a kill");
    kill(server.pid(), Signal::SIGTERM).unwrap();
    server.wait(Duration::from_secs(60));
    wait_for_no_postgres(&pgdata);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn two_servers_cannot_share_a_data_folder() {
    let dir = scratch_dir("locked");
    let mut first = start(&dir);
    let second = Command::new(binary())
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(&dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("already using the data folder"), "{stderr}");
    kill(first.pid(), Signal::SIGTERM).unwrap();
    let (status, _) = first.wait(Duration::from_secs(60));
    assert!(status.success());
    wait_for_no_postgres(&dir.join("pg"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Run as root, PostgreSQL runs as an unprivileged user, who must be able to
/// enter the data folder: a private folder (like `mktemp -d` makes) is refused
/// with a message that says what to do, before anything is created in it.
#[tokio::test]
async fn a_data_folder_the_postgres_user_cannot_enter_is_refused_clearly() {
    use std::os::unix::fs::PermissionsExt;
    if !nix::unistd::Uid::effective().is_root() {
        eprintln!("skipped: only a server run as root hands PostgreSQL to another user");
        return;
    }
    let dir = scratch_dir("private");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let output = Command::new(binary())
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(&dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot enter"), "{stderr}");
    assert!(stderr.contains("chmod o+x"), "{stderr}");
    assert!(!dir.join("pg").exists() && !dir.join("pg.initdb").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pid_file_left_by_a_killed_postmaster_does_not_count_as_ready() {
    use hatang::database::embedded::{ClusterOptions, EmbeddedPostgres};
    use sqlx::Connection;
    let dir = scratch_dir("stale-pid");
    let options = ClusterOptions {
        data_dir: dir.clone(),
        bin_dir: None,
        os_user: None,
        durable: false,
    };
    let cluster = EmbeddedPostgres::start(&options).unwrap();
    let pid_file = cluster.pgdata().join("postmaster.pid");
    let left_behind = std::fs::read_to_string(&pid_file).unwrap();
    assert!(left_behind.lines().nth(7).unwrap().trim() == "ready");
    cluster.stop().unwrap();
    // What a postmaster killed with SIGKILL leaves: its pid file, saying "ready".
    std::fs::write(&pid_file, &left_behind).unwrap();

    let cluster = EmbeddedPostgres::start(&options).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let connected = runtime.block_on(async {
        let mut conn =
            sqlx::PgConnection::connect_with(&cluster.connect_options("postgres")).await?;
        sqlx::query_scalar::<_, i32>("select 1")
            .fetch_one(&mut conn)
            .await
    });
    assert_eq!(
        connected.unwrap(),
        1,
        "start returned before the new postmaster listened"
    );
    cluster.stop().unwrap();

    // The same file after its pid was reused by another live process of
    // PostgreSQL's user (PostgreSQL itself would take the file as held).
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    let owner = std::fs::metadata(pid_file.parent().unwrap()).unwrap();
    let mut reused = Command::new("sleep")
        .arg("60")
        .uid(owner.uid())
        .gid(owner.gid())
        .spawn()
        .unwrap();
    let (_, rest) = left_behind.split_once('\n').unwrap();
    std::fs::write(&pid_file, format!("{}\n{rest}", reused.id())).unwrap();
    let started = EmbeddedPostgres::start(&options);
    let _ = reused.kill();
    let _ = reused.wait();
    started
        .expect("starts over a pid file whose pid was reused")
        .stop()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Creates an operator through the API as the admin; the status code.
async fn create_operator(client: &reqwest::Client, server: &Server, code: &str) -> u16 {
    let (cookie, csrf) = server.login(client, "admin").await;
    client
        .post(format!("{}/api/v1/operators", server.address))
        .header("Cookie", cookie)
        .header("X-CSRF-Token", csrf)
        .json(&json!({"code": code, "legal_name": format!("Công ty {code}"), "short_name": code}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn hatang(args: &[&str], data_dir: &Path) -> std::process::Output {
    Command::new(binary())
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("hatang runs")
}

/// Point-in-time recovery (issue 16): `hatang backup` while the server runs,
/// two writes a few seconds apart, then `hatang restore --to` a moment between
/// them. The first write is there, the second is not; the restored registry
/// takes writes again.
#[tokio::test(flavor = "multi_thread")]
async fn a_restore_to_a_moment_between_two_writes_finds_exactly_the_first() {
    let dir = scratch_dir("restore");
    let client = reqwest::Client::new();
    let mut server = start(&dir);
    let backup = hatang(&["backup"], &dir);
    assert!(
        backup.status.success(),
        "hatang backup: {}{}",
        String::from_utf8_lossy(&backup.stdout),
        String::from_utf8_lossy(&backup.stderr)
    );
    assert_eq!(create_operator(&client, &server, "BKA").await, 201);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let between = chrono::Utc::now();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(create_operator(&client, &server, "BKB").await, 201);

    // The server must be stopped to restore.
    let refused = hatang(&["restore", "--to", &between.to_rfc3339()], &dir);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stop it before restoring"));
    kill(server.pid(), Signal::SIGTERM).unwrap();
    let (status, _) = server.wait(Duration::from_secs(60));
    assert!(status.success());

    let restored = hatang(&["restore", "--to", &between.to_rfc3339()], &dir);
    assert!(
        restored.status.success(),
        "hatang restore: {}{}",
        String::from_utf8_lossy(&restored.stdout),
        String::from_utf8_lossy(&restored.stderr)
    );
    let server = start(&dir);
    let operators = get_as(&client, &server, "admin", "/api/v1/operators").await;
    let codes: Vec<&str> = operators
        .as_array()
        .expect("a list of operators")
        .iter()
        .filter_map(|o| o["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"BKA"),
        "the write before the moment is restored: {codes:?}"
    );
    assert!(
        !codes.contains(&"BKB"),
        "the write after the moment is not: {codes:?}"
    );
    assert_eq!(
        create_operator(&client, &server, "BKC").await,
        201,
        "the restored registry takes writes"
    );
}
