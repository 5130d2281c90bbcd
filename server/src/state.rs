//! What every handler can reach: the database pool, the session settings,
//! the import limits and the tile cache. At the bottom of the dependency
//! graph: domain modules name `AppState` in their routers; it names none of
//! their routers.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::{ServerConfig, SessionSettings};
use crate::database::cluster::Databases;
use crate::tiles::Tiles;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The pool for writes (and reads that must see the latest data): always the
    /// database that takes writes now (see [`Databases`]).
    pub pool: PgPool,
    /// The primary and its read replicas, with their state.
    pub databases: Databases,
    pub settings: Arc<SessionSettings>,
    /// Limits of file imports.
    pub imports: crate::import::Limits,
    /// Vector tiles and their cache; write handlers invalidate it.
    pub tiles: Tiles,
    /// Sessions' and tokens' principals kept for a few seconds (issue 15).
    pub principals: crate::accounts::cache::Principals,
}

impl AppState {
    /// The state of a server with `config`, over `pool`.
    pub fn new(pool: PgPool, config: &ServerConfig) -> Self {
        Self::with_databases(Databases::single(pool), config)
    }

    /// The state of a server with `config`, over a primary and its replicas.
    pub fn with_databases(databases: Databases, config: &ServerConfig) -> Self {
        let pool = databases.write_pool().clone();
        let tiles = Tiles::with_replicas(
            pool.clone(),
            Some(databases.clone()),
            config.tile_cache_mb.saturating_mul(1 << 20),
        );
        Self {
            pool,
            databases,
            settings: Arc::new(config.sessions.clone()),
            imports: config.import_limits(),
            tiles,
            principals: crate::accounts::cache::Principals::new(std::time::Duration::from_secs(
                config.sessions.session_cache_seconds,
            )),
        }
    }
}
