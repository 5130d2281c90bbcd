//! Where Hatang keeps its data: the PostgreSQL given by `DATABASE_URL`, or its
//! own embedded cluster (see [`embedded`]). Migrations run at every start.

pub mod embedded;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::config::DatabaseConfig;
use embedded::{ClusterOptions, EmbeddedPostgres};

/// The schema, embedded in the binary from `migrations/`.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

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

/// An open database: the pool, and the embedded cluster when Hatang runs one.
pub struct Database {
    pub pool: PgPool,
    pub cluster: Option<EmbeddedPostgres>,
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
                let cluster = EmbeddedPostgres::start(&ClusterOptions {
                    data_dir: config.data_dir.clone(),
                    bin_dir: config.pg_bin_dir.clone(),
                    os_user: config.pg_user.clone(),
                    durable: true,
                })?;
                cluster
                    .ensure_database()
                    .await
                    .map_err(|source| DatabaseError::Connect {
                        target: cluster.pgdata().display().to_string(),
                        source,
                    })?;
                let target = format!("embedded cluster in {}", cluster.pgdata().display());
                (cluster.hatang_options(), Some(cluster), target)
            }
        };
        let pool = connect(options)
            .await
            .map_err(|source| DatabaseError::Connect { target, source })?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool, cluster })
    }

    /// Closes the pool and stops the embedded cluster, if any.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.cluster
            && let Err(error) = cluster.stop()
        {
            tracing::error!(%error, "stopping the embedded PostgreSQL failed");
        }
    }
}

/// A pool with Hatang's settings.
pub async fn connect(options: PgConnectOptions) -> sqlx::Result<PgPool> {
    use sqlx::ConnectOptions;
    // Loading the demo or importing a file legitimately takes seconds.
    let options = options
        .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(10))
        // PostGIS functions are opaque to the JIT, and set-returning ones such as
        // ST_Subdivide inflate the planner's cost until the JIT starts: compiling
        // then took 0.7 s of a 30 ms dashboard query.
        .options([("jit", "off")]);
    PgPoolOptions::new()
        .max_connections(32)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
}
