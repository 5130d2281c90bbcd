//! What every handler can reach: the database pool, the session settings,
//! the import limits and the tile cache. At the bottom of the dependency
//! graph: domain modules name `AppState` in their routers; it names none of
//! their routers.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::{ServerConfig, SessionSettings};
use crate::tiles::Tiles;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<SessionSettings>,
    /// Limits of file imports.
    pub imports: crate::import::Limits,
    /// Vector tiles and their cache; write handlers invalidate it.
    pub tiles: Tiles,
}

impl AppState {
    /// The state of a server with `config`, over `pool`.
    pub fn new(pool: PgPool, config: &ServerConfig) -> Self {
        let tiles = Tiles::new(pool.clone(), config.tile_cache_mb.saturating_mul(1 << 20));
        Self {
            pool,
            settings: Arc::new(config.sessions.clone()),
            imports: config.import_limits(),
            tiles,
        }
    }
}
