//! Where Hatang keeps its data: the PostgreSQL given by `DATABASE_URL`, or its
//! own embedded cluster (see [`embedded`]). Migrations run at every start.
//!
//! The embedded cluster is watched by a supervisor thread, which owns it: if
//! the postmaster dies (a crash, `kill -9`), the supervisor sees it within a
//! tenth of a second, marks the database unavailable ([`health`]) so that
//! requests get a 503 "database unavailable" at once instead of waiting for a
//! connection, and restarts the cluster with a growing delay between attempts
//! (each logged) until it is back. PostgreSQL replays its write-ahead log on
//! the way up, so every acknowledged (committed) write is there.

pub mod backup;
pub mod cluster;
pub mod constraint;
pub mod embedded;
pub mod health;
pub mod replica;
pub mod routines;
pub mod routing;

pub use health::{Health, health};

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::config::DatabaseConfig;
use embedded::{ClusterOptions, EmbeddedPostgres};

/// The schema, embedded in the binary from `migrations/`.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Brings a database up to date: the migrations (the schema), then the SQL
/// routines of `server/sql` ([`routines`]), which replace themselves.
pub async fn migrate(conn: &mut sqlx::PgConnection) -> Result<(), DatabaseError> {
    MIGRATOR.run(&mut *conn).await?;
    routines::apply(conn).await?;
    Ok(())
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("embedded PostgreSQL")]
    Embedded(#[from] embedded::EmbeddedError),
    #[error("cannot connect to the database {target}")]
    Connect {
        target: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("migrating the database failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Sql(#[from] sqlx::Error),
}

/// The embedded cluster as the rest of Hatang sees it: the supervisor thread
/// owns the cluster itself.
pub struct Cluster {
    pgdata: PathBuf,
    version: String,
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Cluster {
    pub fn pgdata(&self) -> &std::path::Path {
        &self.pgdata
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// Stops the cluster (a fast shutdown) and its supervisor.
    pub fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// Starts the embedded cluster on a supervisor thread that owns it for the
/// process's life and restarts it when it dies.
fn supervise(
    options: ClusterOptions,
) -> Result<(Cluster, PgConnectOptions, PgConnectOptions), DatabaseError> {
    let (started, ready) = mpsc::sync_channel(1);
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("embedded-postgres".into())
        .spawn(move || {
            let mut cluster = match EmbeddedPostgres::start(&options) {
                Ok(cluster) => {
                    let _ = started.send(Ok((
                        cluster.pgdata().to_path_buf(),
                        cluster.version().to_string(),
                        cluster.connect_options("postgres"),
                        cluster.hatang_options(),
                    )));
                    cluster
                }
                Err(error) => {
                    let _ = started.send(Err(error));
                    return;
                }
            };
            watch(&mut cluster, &stopped);
            if let Err(error) = cluster.stop() {
                tracing::error!(%error, "stopping the embedded PostgreSQL failed");
            }
        })
        .map_err(|source| {
            DatabaseError::Embedded(embedded::EmbeddedError::Io {
                context: "cannot start the database supervisor".into(),
                source,
            })
        })?;
    match ready.recv() {
        Ok(Ok((pgdata, version, admin, hatang))) => Ok((
            Cluster {
                pgdata,
                version,
                stop,
                thread,
            },
            admin,
            hatang,
        )),
        Ok(Err(error)) => {
            let _ = thread.join();
            Err(error.into())
        }
        Err(_) => Err(DatabaseError::Embedded(embedded::EmbeddedError::Io {
            context: "the database supervisor ended while starting PostgreSQL".into(),
            source: std::io::Error::other("supervisor thread ended"),
        })),
    }
}

/// Polls the postmaster until a stop is asked for; restarts it when it died.
fn watch(cluster: &mut EmbeddedPostgres, stop: &mpsc::Receiver<()>) {
    const POLL: Duration = Duration::from_millis(100);
    const FIRST_DELAY: Duration = Duration::from_millis(250);
    const MAX_DELAY: Duration = Duration::from_secs(30);
    let health = health();
    loop {
        match stop.recv_timeout(POLL) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if !cluster.has_exited() {
            continue;
        }
        health.set_down();
        let since = Instant::now();
        tracing::error!(
            pgdata = %cluster.pgdata().display(),
            "the embedded PostgreSQL stopped unexpectedly; answering 503 and restarting it"
        );
        let mut delay = FIRST_DELAY;
        let mut attempt = 1u32;
        loop {
            match cluster.restart() {
                Ok(()) => {
                    health.set_up_after_restart();
                    tracing::warn!(
                        attempt,
                        down_ms = since.elapsed().as_millis() as u64,
                        pid = cluster.pid(),
                        "the embedded PostgreSQL is back"
                    );
                    break;
                }
                Err(error) => {
                    tracing::warn!(
                        attempt,
                        retry_in_ms = delay.as_millis() as u64,
                        %error,
                        "restarting the embedded PostgreSQL failed; trying again"
                    );
                    match stop.recv_timeout(delay) {
                        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                    }
                    delay = (delay * 2).min(MAX_DELAY);
                    attempt += 1;
                }
            }
        }
    }
}

/// An open database: the pool, and the embedded cluster when Hatang runs one.
pub struct Database {
    pub pool: PgPool,
    pub cluster: Option<Cluster>,
    /// How the pool connects, and where to (without a password), for [`Database::with_replicas`].
    options: PgConnectOptions,
    target: String,
}

impl Database {
    /// Connects to `DATABASE_URL`, or starts the embedded cluster, then migrates.
    pub async fn open(config: &DatabaseConfig) -> Result<Self, DatabaseError> {
        let (options, cluster, target) = match &config.database_url {
            Some(url) => {
                tracing::info!(database = %url, "using the configured database");
                let options: PgConnectOptions =
                    url.expose()
                        .parse()
                        .map_err(|source| DatabaseError::Connect {
                            target: url.redacted(),
                            source,
                        })?;
                (options, None, url.redacted())
            }
            None => {
                let (cluster, admin, hatang) = supervise(ClusterOptions {
                    data_dir: config.data_dir.clone(),
                    bin_dir: config.pg_bin_dir.clone(),
                    os_user: config.pg_user.clone(),
                    durable: true,
                })?;
                embedded::ensure_database(&admin).await.map_err(|source| {
                    DatabaseError::Connect {
                        target: cluster.pgdata().display().to_string(),
                        source,
                    }
                })?;
                let target = format!("embedded cluster in {}", cluster.pgdata().display());
                (hatang, Some(cluster), target)
            }
        };
        let pool = connect(options.clone())
            .await
            .map_err(|source| DatabaseError::Connect {
                target: target.clone(),
                source,
            })?;
        migrate(&mut *pool.acquire().await?).await?;
        Ok(Self {
            pool,
            cluster,
            options,
            target,
        })
    }

    /// This database as the primary of `config`'s read replicas (none: every
    /// read and write goes to it).
    pub fn with_replicas(
        &self,
        config: &DatabaseConfig,
    ) -> Result<cluster::Databases, DatabaseError> {
        let mut replicas = Vec::new();
        for url in &config.replica_urls {
            let options: PgConnectOptions =
                url.expose()
                    .parse()
                    .map_err(|source| DatabaseError::Connect {
                        target: url.redacted(),
                        source,
                    })?;
            replicas.push((settings(options), url.redacted()));
        }
        if !replicas.is_empty() {
            tracing::info!(replicas = replicas.len(), "reading from replicas");
        }
        let routing = cluster::RoutingSettings {
            max_lag: Duration::from_secs_f64(config.replica_max_lag_seconds.max(0.0)),
            ..cluster::RoutingSettings::default()
        };
        Ok(cluster::Databases::new(
            self.pool.clone(),
            settings(self.options.clone()),
            self.target.clone(),
            replicas,
            routing,
        ))
    }

    /// Closes the pool and stops the embedded cluster, if any.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.cluster {
            cluster.stop();
        }
    }
}

/// The time zone of every connection (UTC+7 all year).
pub const VIETNAM_ZONE: &str = "Asia/Ho_Chi_Minh";

/// Hatang's settings of every connection.
fn settings(options: PgConnectOptions) -> PgConnectOptions {
    use sqlx::ConnectOptions;
    // Loading the demo or importing a file legitimately takes seconds.
    options
        .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(10))
        // PostGIS functions are opaque to the JIT, and set-returning ones such as
        // ST_Subdivide inflate the planner's cost until the JIT starts: compiling
        // then took 0.7 s of a 30 ms dashboard query.
        .options([("jit", "off")])
}

/// Pool options under which every new connection first sets the time zone. Dates are Vietnam's: `current_date`, `created_at::date` and
/// a year taken from a time are read in Hà Nội, as `vn_time::today` is. In UTC
/// the two disagree from 17:00 to midnight UTC (a tenancy declared "from
/// today" was not yet active to the capacity rule). A `SET`, because sqlx
/// sends `TimeZone=UTC` at start-up, which outranks `-c timezone=…`.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new().after_connect(|conn, _| {
        Box::pin(async move {
            sqlx::query(&format!("set timezone = '{VIETNAM_ZONE}'"))
                .execute(conn)
                .await?;
            Ok(())
        })
    })
}

/// A pool with Hatang's settings.
pub async fn connect(options: PgConnectOptions) -> sqlx::Result<PgPool> {
    let options = settings(options);
    pool_options()
        .max_connections(32)
        // Short: a database that gives no connection in 5 s is down for the
        // person waiting (a 503 at once is better than a long wait for a 500).
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}
