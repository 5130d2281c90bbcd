//! A private PostgreSQL + PostGIS cluster inside the project's data folder.
//!
//! With no `DATABASE_URL`, Hatang runs its own cluster so that one command on a
//! fresh machine gives a working system. The cluster:
//! - lives in `<data-dir>/pg`, created with the system's `initdb` the first time
//!   (into a scratch folder that is renamed when complete, so an interrupted
//!   first start leaves nothing half-made);
//! - listens only on a Unix socket in that folder (no TCP port, so two
//!   checkouts never collide and nothing is reachable from the network);
//! - runs as an unprivileged user when Hatang runs as root, because PostgreSQL
//!   refuses to run as root;
//! - is owned by one Hatang process at a time (a lock file), stopped with a fast
//!   shutdown when that process stops, and also when it dies (the kernel sends
//!   the parent-death signal), and recovered on the next start if a killed
//!   server left a postmaster behind.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid, User};
use sqlx::postgres::PgConnectOptions;

/// The database role and database that Hatang uses inside its own cluster.
const ROLE: &str = "hatang";
const DATABASE: &str = "hatang";
/// The port only names the socket file (`.s.PGSQL.5432`); nothing listens on TCP.
const PORT: u16 = 5432;
/// Longest path the kernel accepts for a Unix socket (`sun_path` less its NUL).
const MAX_SOCKET_PATH: usize = 107;

/// Why the embedded cluster could not be set up or started.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server programs were not found (looked in /usr/lib/postgresql/*/bin and for pg_config); run `make deps` to install them"
    )]
    BinariesNotFound,
    #[error(
        "PostGIS is not installed for PostgreSQL {version}; install the Debian package postgresql-{version}-postgis-3 (`make deps` does)"
    )]
    PostgisMissing { version: String },
    #[error(
        "another Hatang process is already using the data folder {0}; stop it, or start this one with another --data-dir"
    )]
    Locked(PathBuf),
    #[error(
        "PostgreSQL must run as the unprivileged user '{user}', who cannot enter {path} or a folder above it; choose a --data-dir that user can enter (for example under /var/lib or /tmp), or allow it in (`chmod o+x` on the folders)"
    )]
    Unreachable { user: String, path: PathBuf },
    #[error("the OS user '{0}' to run PostgreSQL as does not exist")]
    NoSuchUser(String),
    #[error("the socket path {0} is longer than a Unix socket allows; choose a shorter --data-dir")]
    SocketPathTooLong(PathBuf),
    #[error("{program} failed ({status}); its output:\n{output}")]
    ProgramFailed {
        program: String,
        status: String,
        output: String,
    },
    #[error(
        "PostgreSQL did not become ready within {seconds} s; the end of its log ({log}):\n{tail}"
    )]
    NotReady {
        seconds: u64,
        log: PathBuf,
        tail: String,
    },
    #[error("PostgreSQL exited during start-up; the end of its log ({log}):\n{tail}")]
    ExitedEarly { log: PathBuf, tail: String },
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("{context}")]
    Os {
        context: String,
        #[source]
        source: nix::Error,
    },
}

type Result<T, E = EmbeddedError> = std::result::Result<T, E>;

fn io_context(context: impl Into<String>) -> impl FnOnce(io::Error) -> EmbeddedError {
    let context = context.into();
    move |source| EmbeddedError::Io { context, source }
}

/// How to set up the cluster.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// The project's data folder; the cluster goes in `<data_dir>/pg`.
    pub data_dir: PathBuf,
    /// Folder with `initdb` and `postgres`; found automatically when `None`.
    pub bin_dir: Option<PathBuf>,
    /// OS user to run PostgreSQL as when Hatang runs as root
    /// (default: `postgres` if it exists, else `nobody`).
    pub os_user: Option<String>,
    /// `false` turns off fsync for throw-away clusters (tests). Never for real data.
    pub durable: bool,
}

/// A running private cluster. Stop it with [`EmbeddedPostgres::stop`]; dropping
/// it stops it too.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    pgdata: PathBuf,
    bin_dir: PathBuf,
    log_path: PathBuf,
    child: Option<Child>,
    version: String,
    _lock: File,
}

pub(super) struct RunAs {
    pub(super) name: String,
    pub(super) uid: Uid,
    pub(super) gid: Gid,
}

impl EmbeddedPostgres {
    /// Creates the cluster if needed and starts it, waiting until it accepts
    /// connections. Blocking; call it from the thread that should own the
    /// postmaster (it is stopped when that thread ends).
    pub fn start(options: &ClusterOptions) -> Result<Self> {
        fs::create_dir_all(&options.data_dir).map_err(io_context(format!(
            "cannot create {}",
            options.data_dir.display()
        )))?;
        let data_dir = fs::canonicalize(&options.data_dir).map_err(io_context(format!(
            "cannot resolve {}",
            options.data_dir.display()
        )))?;
        let lock = lock_data_dir(&data_dir)?;

        let (bin_dir, version) = find_binaries(options.bin_dir.as_deref())?;
        let run_as = run_as(options.os_user.as_deref())?;
        let pgdata = data_dir.join("pg");
        let socket = pgdata.join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(EmbeddedError::SocketPathTooLong(socket));
        }
        if let Some(user) = &run_as
            && !reachable_by(&pgdata, user.uid, user.gid)?
        {
            return Err(EmbeddedError::Unreachable {
                user: user.name.clone(),
                path: data_dir,
            });
        }

        let log_path = data_dir.join("postgres.log");
        if !pgdata.join("PG_VERSION").exists() {
            init_cluster(&bin_dir, &data_dir, &pgdata, run_as.as_ref(), &log_path)?;
        }
        stop_orphan(&pgdata)?;

        let child = spawn_postmaster(
            &bin_dir,
            &pgdata,
            run_as.as_ref(),
            &log_path,
            options
                .durable
                .then(|| data_dir.join(super::backup::WAL_ARCHIVE))
                .as_deref(),
        )?;
        let mut cluster = EmbeddedPostgres {
            pgdata,
            bin_dir: bin_dir.clone(),
            log_path,
            child: Some(child),
            version,
            _lock: lock,
        };
        cluster.wait_until_ready(Duration::from_secs(120))?;
        tracing::info!(pgdata = %cluster.pgdata.display(), version = %cluster.version, "embedded PostgreSQL is ready");
        Ok(cluster)
    }

    /// Options for connecting to `database` over the cluster's socket.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.pgdata)
            .port(PORT)
            .username(ROLE)
            .database(database)
            .application_name("hatang")
    }

    /// Options for Hatang's own database (created by [`Self::ensure_database`]).
    pub fn hatang_options(&self) -> PgConnectOptions {
        self.connect_options(DATABASE)
    }

    /// Creates Hatang's database in the cluster if it does not exist yet.
    pub async fn ensure_database(&self) -> sqlx::Result<()> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect_with(&self.connect_options("postgres")).await?;
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(DATABASE)
                .fetch_one(&mut conn)
                .await?;
        if !exists {
            sqlx::query(&format!(
                "create database {DATABASE} encoding 'UTF8' template template0"
            ))
            .execute(&mut conn)
            .await?;
        }
        conn.close().await
    }

    /// The folder holding the cluster (`<data-dir>/pg`).
    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    /// The folder of the PostgreSQL server programs in use.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// The PostgreSQL major version in use.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Stops the cluster with a fast shutdown (open transactions are rolled
    /// back, everything committed is on disk) and waits for it to exit.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = Pid::from_raw(child.id() as i32);
        let _ = kill(pid, Signal::SIGINT);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Ok(None) => {
                    tracing::warn!("PostgreSQL did not stop within 60 s; sending SIGQUIT");
                    let _ = kill(pid, Signal::SIGQUIT);
                    let _ = child.wait();
                    break;
                }
                Err(source) => {
                    return Err(EmbeddedError::Io {
                        context: "waiting for PostgreSQL to stop".into(),
                        source,
                    });
                }
            }
        }
        tracing::info!("embedded PostgreSQL stopped");
        Ok(())
    }

    fn wait_until_ready(&mut self, timeout: Duration) -> Result<()> {
        let started = Instant::now();
        let pid_file = self.pgdata.join("postmaster.pid");
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(_)) = child.try_wait()
            {
                self.child = None;
                return Err(EmbeddedError::ExitedEarly {
                    log: self.log_path.clone(),
                    tail: log_tail(&self.log_path),
                });
            }
            if let Ok(text) = fs::read_to_string(&pid_file)
                && let Some(child) = self.child.as_ref()
                && postmaster_is_ready(&text, child.id())
            {
                return Ok(());
            }
            if started.elapsed() > timeout {
                return Err(EmbeddedError::NotReady {
                    seconds: timeout.as_secs(),
                    log: self.log_path.clone(),
                    tail: log_tail(&self.log_path),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Whether `postmaster.pid` says that the postmaster `pid` accepts
/// connections. Line 1 is the postmaster's pid, line 8 its status (pg_ctl
/// waits on both). A file left by a killed postmaster also says "ready", so
/// the pid must be the one we started.
fn postmaster_is_ready(pid_file: &str, pid: u32) -> bool {
    let mut lines = pid_file.lines();
    let written_by_ours = lines
        .next()
        .and_then(|line| line.trim().parse::<u32>().ok())
        == Some(pid);
    written_by_ours && lines.nth(6).is_some_and(|status| status.trim() == "ready")
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if let Err(error) = self.shutdown() {
            tracing::error!(%error, "could not stop embedded PostgreSQL");
        }
    }
}

fn lock_data_dir(data_dir: &Path) -> Result<File> {
    let path = data_dir.join("hatang.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_context(format!("cannot open {}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(EmbeddedError::Locked(data_dir.to_path_buf())),
        Err(fs::TryLockError::Error(source)) => Err(EmbeddedError::Io {
            context: format!("cannot lock {}", path.display()),
            source,
        }),
    }
}

/// The newest installed PostgreSQL that has PostGIS, and its major version.
pub(super) fn find_binaries(explicit: Option<&Path>) -> Result<(PathBuf, String)> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(dir) => vec![dir.to_path_buf()],
        None => {
            let mut dirs: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
                .map(|entries| entries.flatten().map(|e| e.path().join("bin")).collect())
                .unwrap_or_default();
            if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
                && output.status.success()
            {
                dirs.push(PathBuf::from(
                    String::from_utf8_lossy(&output.stdout).trim(),
                ));
            }
            dirs
        }
    };
    let mut found: Vec<(u32, PathBuf, String)> = candidates
        .into_iter()
        .filter(|dir| dir.join("postgres").is_file() && dir.join("initdb").is_file())
        .filter_map(|dir| {
            let version = major_version(&dir)?;
            Some((version.parse().unwrap_or(0), dir, version))
        })
        .collect();
    found.sort_by_key(|(number, _, _)| std::cmp::Reverse(*number));
    let with_postgis = found
        .iter()
        .find(|(_, dir, version)| postgis_installed(dir, version));
    match (with_postgis, found.first()) {
        (Some((_, dir, version)), _) => Ok((dir.clone(), version.clone())),
        (None, Some((_, _, version))) => Err(EmbeddedError::PostgisMissing {
            version: version.clone(),
        }),
        (None, None) => Err(EmbeddedError::BinariesNotFound),
    }
}

fn major_version(bin_dir: &Path) -> Option<String> {
    let output = Command::new(bin_dir.join("postgres"))
        .arg("--version")
        .output()
        .ok()?;
    // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let text = String::from_utf8_lossy(&output.stdout);
    let number = text.split_whitespace().nth(2)?;
    Some(number.split('.').next()?.to_string())
}

fn postgis_installed(bin_dir: &Path, version: &str) -> bool {
    let share = Command::new(bin_dir.join("pg_config"))
        .arg("--sharedir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_else(|| PathBuf::from(format!("/usr/share/postgresql/{version}")));
    share.join("extension/postgis.control").is_file()
}

pub(super) fn run_as(requested: Option<&str>) -> Result<Option<RunAs>> {
    if !Uid::effective().is_root() {
        return Ok(None);
    }
    let names: Vec<&str> = match requested {
        Some(name) => vec![name],
        None => vec!["postgres", "nobody"],
    };
    for name in &names {
        let user = User::from_name(name).map_err(|source| EmbeddedError::Os {
            context: format!("cannot look up user {name}"),
            source,
        })?;
        if let Some(user) = user {
            if user.uid.is_root() {
                continue;
            }
            return Ok(Some(RunAs {
                name: user.name,
                uid: user.uid,
                gid: user.gid,
            }));
        }
    }
    Err(EmbeddedError::NoSuchUser(names.join(" or ")))
}

/// Whether `uid`/`gid` may enter every folder from `/` down to the parent
/// of `path` (the cluster's folder, which is handed to the user).
fn reachable_by(path: &Path, uid: Uid, gid: Gid) -> Result<bool> {
    for dir in path.ancestors().skip(1) {
        let meta =
            fs::metadata(dir).map_err(io_context(format!("cannot inspect {}", dir.display())))?;
        let mode = meta.mode();
        let can_enter = if meta.uid() == uid.as_raw() {
            mode & 0o100 != 0
        } else if meta.gid() == gid.as_raw() {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !can_enter {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A command for one of PostgreSQL's programs, run as the cluster's OS user.
pub(super) fn pg_command(bin_dir: &Path, program: &str, run_as: Option<&RunAs>) -> Command {
    let mut command = Command::new(bin_dir.join(program));
    command.env("LC_ALL", "C.UTF-8");
    if let Some(user) = run_as {
        command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
    }
    command
}

/// Runs `command` to the end; its output goes to the log, and a failure is an error.
pub(super) fn run_logged(mut command: Command, program: &str, log_path: &Path) -> Result<()> {
    let output = command
        .output()
        .map_err(io_context(format!("cannot run {program}")))?;
    append_log(log_path, &output.stdout, &output.stderr);
    if output.status.success() {
        return Ok(());
    }
    Err(EmbeddedError::ProgramFailed {
        program: program.into(),
        status: output.status.to_string(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}

/// A copy of a running cluster (`pg_basebackup`) holds the socket's lock file,
/// because the embedded cluster keeps its socket in its own folder; the copy
/// would refuse to start with it.
pub(super) fn remove_copied_locks(pgdata: &Path) {
    for file in [
        format!(".s.PGSQL.{PORT}.lock"),
        "postmaster.pid".to_string(),
    ] {
        let _ = fs::remove_file(pgdata.join(file));
    }
}

/// The data-folder lock, for commands that work on a stopped cluster.
pub(super) fn lock(data_dir: &Path) -> Result<File> {
    lock_data_dir(data_dir)
}

pub(super) fn hand_over(path: &Path, run_as: Option<&RunAs>) -> Result<()> {
    if let Some(user) = run_as {
        nix::unistd::chown(path, Some(user.uid), Some(user.gid)).map_err(|source| {
            EmbeddedError::Os {
                context: format!("cannot give {} to {}", path.display(), user.name),
                source,
            }
        })?;
    }
    fs::set_permissions(path, fs::Permissions::from_mode(0o700)).map_err(io_context(format!(
        "cannot set permissions of {}",
        path.display()
    )))
}

fn init_cluster(
    bin_dir: &Path,
    data_dir: &Path,
    pgdata: &Path,
    run_as: Option<&RunAs>,
    log_path: &Path,
) -> Result<()> {
    let scratch = data_dir.join("pg.initdb");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)
            .map_err(io_context(format!("cannot remove {}", scratch.display())))?;
    }
    fs::create_dir(&scratch).map_err(io_context(format!("cannot create {}", scratch.display())))?;
    hand_over(&scratch, run_as)?;
    tracing::info!(pgdata = %pgdata.display(), "creating the embedded PostgreSQL cluster (first start)");

    let mut command = Command::new(bin_dir.join("initdb"));
    command
        .arg("--pgdata")
        .arg(&scratch)
        .args([
            "--username",
            ROLE,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-instructions",
        ])
        .env("LC_ALL", "C.UTF-8")
        .current_dir(data_dir);
    if let Some(user) = run_as {
        command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
    }
    let output = command.output().map_err(io_context("cannot run initdb"))?;
    append_log(log_path, &output.stdout, &output.stderr);
    if !output.status.success() {
        return Err(EmbeddedError::ProgramFailed {
            program: "initdb".into(),
            status: output.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        });
    }
    fs::rename(&scratch, pgdata).map_err(io_context(format!(
        "cannot move the new cluster to {}",
        pgdata.display()
    )))
}

/// A Hatang process that was killed leaves its postmaster running (if the
/// parent-death signal could not reach it). We hold the data-folder lock, so a
/// live postmaster on our data folder is such an orphan: shut it down cleanly.
fn stop_orphan(pgdata: &Path) -> Result<()> {
    let Ok(text) = fs::read_to_string(pgdata.join("postmaster.pid")) else {
        return Ok(());
    };
    let Some(pid) = text
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok())
    else {
        return Ok(());
    };
    let pid = Pid::from_raw(pid);
    let cmdline = fs::read(format!("/proc/{pid}/cmdline"))
        .map(|cmdline| String::from_utf8_lossy(&cmdline).into_owned())
        .ok();
    let is_postgres = cmdline.as_deref().is_some_and(|c| c.contains("postgres"));
    let is_our_postmaster = is_postgres
        && cmdline
            .as_deref()
            .is_some_and(|c| c.contains(pgdata.to_string_lossy().as_ref()));
    if is_postgres && !is_our_postmaster {
        // Some other PostgreSQL process: PostgreSQL's own check decides (and
        // says so in its log if it refuses to start).
        return Ok(());
    }
    if !is_our_postmaster {
        // A stale pid file: its process is gone, or the pid now belongs to a
        // program that is not PostgreSQL. PostgreSQL would still refuse to
        // start if that program runs as its user, so remove the file (and the
        // socket's lock file, which it checks the same way): we hold the
        // data-folder lock, so no other Hatang is using this cluster.
        for stale in ["postmaster.pid", &format!(".s.PGSQL.{PORT}.lock")] {
            match fs::remove_file(pgdata.join(stale)) {
                Ok(()) => tracing::info!(
                    file = stale,
                    "removed a lock file left by a stopped PostgreSQL"
                ),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(EmbeddedError::Io {
                        context: format!("cannot remove the stale {stale}"),
                        source,
                    });
                }
            }
        }
        return Ok(());
    }
    tracing::warn!(%pid, "a PostgreSQL left behind by a stopped Hatang is still running; shutting it down");
    let _ = kill(pid, Signal::SIGINT);
    let deadline = Instant::now() + Duration::from_secs(60);
    while kill(pid, None).is_ok() {
        if Instant::now() > deadline {
            let _ = kill(pid, Signal::SIGQUIT);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Our settings for the few parameters a hot standby must hold at least as
/// high as its primary (PostgreSQL refuses to replay otherwise: "recovery
/// aborted because of insufficient parameter settings"). A standby copied from
/// a primary that allows more takes the primary's values, which its control
/// file records; every other cluster gets ours.
fn capacity_settings(bin_dir: &Path, pgdata: &Path, run_as: Option<&RunAs>) -> Vec<String> {
    const OURS: [(&str, &str, u64); 5] = [
        ("max_connections", "max_connections setting", 200),
        ("max_worker_processes", "max_worker_processes setting", 8),
        ("max_wal_senders", "max_wal_senders setting", 10),
        ("max_prepared_transactions", "max_prepared_xacts setting", 0),
        (
            "max_locks_per_transaction",
            "max_locks_per_xact setting",
            64,
        ),
    ];
    let primary = if pgdata.join("standby.signal").exists() {
        control_data(bin_dir, pgdata, run_as)
    } else {
        String::new()
    };
    OURS.iter()
        .flat_map(|(name, label, ours)| {
            let value = control_value(&primary, label).map_or(*ours, |theirs| theirs.max(*ours));
            ["-c".to_string(), format!("{name}={value}")]
        })
        .collect()
}

/// `pg_controldata`'s report of a cluster ("" when it cannot be read: the
/// start-up then says what is wrong).
fn control_data(bin_dir: &Path, pgdata: &Path, run_as: Option<&RunAs>) -> String {
    pg_command(bin_dir, "pg_controldata", run_as)
        .arg("-D")
        .arg(pgdata)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default()
}

fn control_value(report: &str, label: &str) -> Option<u64> {
    report.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == label)
            .then(|| value.trim().parse().ok())
            .flatten()
    })
}

/// Starts the postmaster. `archive` (durable clusters only) is where the
/// write-ahead log is archived for point-in-time recovery once `hatang backup`
/// has created that folder; until then nothing is archived.
fn spawn_postmaster(
    bin_dir: &Path,
    pgdata: &Path,
    run_as: Option<&RunAs>,
    log_path: &Path,
    archive: Option<&Path>,
) -> Result<Child> {
    let durable = archive.is_some();
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)
        .map_err(io_context(format!("cannot open {}", log_path.display())))?;
    let log_err = log
        .try_clone()
        .map_err(io_context("cannot duplicate the log handle"))?;

    let mut command = Command::new(bin_dir.join("postgres"));
    command
        .arg("-D")
        .arg(pgdata)
        .arg("-k")
        .arg(pgdata)
        .arg("-p")
        .arg(PORT.to_string())
        .args([
            "-c",
            "listen_addresses=",
            "-c",
            "unix_socket_permissions=0700",
        ])
        .args(["-c", "shared_buffers=256MB"])
        .args(capacity_settings(bin_dir, pgdata, run_as))
        .args([
            "-c",
            "timezone=Asia/Ho_Chi_Minh",
            "-c",
            "log_timezone=Asia/Ho_Chi_Minh",
        ])
        .env("LC_ALL", "C.UTF-8")
        .current_dir(pgdata)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    if let Some(archive) = archive {
        let dir = archive.display().to_string().replace('\'', "");
        command.args([
            "-c".to_string(),
            "archive_mode=on".to_string(),
            "-c".to_string(),
            format!("archive_command=if [ -d '{dir}' ]; then test ! -f '{dir}/%f' && cp %p '{dir}/%f'; fi"),
        ]);
    }
    if !durable {
        command.args([
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ]);
    }
    if let Some(user) = run_as {
        command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
    }
    // Runs in the child after the switch of user and before exec: ask the kernel
    // for a fast shutdown (SIGINT) of the postmaster if this thread dies, so a
    // killed Hatang leaves no server behind.
    #[allow(unsafe_code)]
    // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches no memory
    // shared with the parent.
    unsafe {
        command
            .pre_exec(|| nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(io::Error::from));
    }
    command.spawn().map_err(io_context("cannot start postgres"))
}

fn append_log(log_path: &Path, stdout: &[u8], stderr: &[u8]) {
    if let Ok(mut file) = OpenOptions::new().create(true).append(true).open(log_path) {
        use std::io::Write;
        let _ = file.write_all(stdout);
        let _ = file.write_all(stderr);
    }
}

/// The last lines of the PostgreSQL log, for error messages.
fn log_tail(log_path: &Path) -> String {
    let Ok(mut file) = File::open(log_path) else {
        return String::from("(no log)");
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(4096)));
    let mut reader = BufReader::new(file);
    let mut lines = Vec::new();
    let mut buffer = Vec::new();
    while reader.read_until(b'\n', &mut buffer).unwrap_or(0) > 0 {
        lines.push(String::from_utf8_lossy(&buffer).trim_end().to_string());
        buffer.clear();
    }
    let start = lines.len().saturating_sub(20);
    let mut tail = lines[start..].join("\n");
    if tail.is_empty() {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        tail = rest;
    }
    tail
}

#[cfg(test)]
mod tests {
    use super::{control_value, postmaster_is_ready};

    const PID_FILE: &str =
        "4242\n/srv/pg\n1700000000\n5432\n/srv/pg\n\n  5432001    32768\nready   \n";

    #[test]
    fn only_our_own_postmaster_saying_ready_counts() {
        assert!(postmaster_is_ready(PID_FILE, 4242));
        assert!(!postmaster_is_ready(PID_FILE, 4243));
        assert!(!postmaster_is_ready(
            &PID_FILE.replace("ready", "starting"),
            4242
        ));
        assert!(!postmaster_is_ready("4242\n", 4242));
    }

    #[test]
    fn a_standby_reads_its_primarys_capacity_from_the_control_file() {
        let report = "pg_control version number:            1300\n\
                      max_connections setting:              300\n\
                      max_locks_per_xact setting:           64\n";
        assert_eq!(control_value(report, "max_connections setting"), Some(300));
        assert_eq!(
            control_value(report, "max_locks_per_xact setting"),
            Some(64)
        );
        assert_eq!(control_value(report, "max_wal_senders setting"), None);
        assert_eq!(control_value("", "max_connections setting"), None);
    }
}
