//! Where Hatang keeps its data: the PostgreSQL given by `DATABASE_URL`, or its
//! own embedded cluster (see [`embedded`]). Migrations run at every start.

pub mod backup;
pub mod cluster;
pub mod embedded;
pub mod replica;
pub mod routing;

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
        let pool = connect(options.clone())
            .await
            .map_err(|source| DatabaseError::Connect {
                target: target.clone(),
                source,
            })?;
        MIGRATOR.run(&pool).await?;
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
        if let Some(cluster) = self.cluster
            && let Err(error) = cluster.stop()
        {
            tracing::error!(%error, "stopping the embedded PostgreSQL failed");
        }
    }
}

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

/// A pool with Hatang's settings.
pub async fn connect(options: PgConnectOptions) -> sqlx::Result<PgPool> {
    let options = settings(options);
    PgPoolOptions::new()
        .max_connections(32)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
}
