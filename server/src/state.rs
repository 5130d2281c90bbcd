//! What every handler can reach: the database pool, the session settings,
//! the import limits, the tile cache, and what printed documents need (the
//! public address they link to and the PDF converter). At the bottom of the dependency
//! graph: domain modules name `AppState` in their routers; it names none of
//! their routers.

use std::net::SocketAddr;
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
    /// The address printed documents link to (see [`PublicAddress`]).
    pub public_url: PublicAddress,
    /// Turns DOCX into PDF (LibreOffice).
    pub pdf: crate::documents::pdf::Converter,
    /// Sessions' and tokens' principals kept for a few seconds (issue 15).
    pub principals: crate::accounts::cache::Principals,
}

/// Where printed documents send people to verify them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicAddress {
    /// `--public-url`.
    Configured(String),
    /// The embedded demo's own address, when no public URL is configured.
    Local(String),
    /// Production without `--public-url`: documents are not printed.
    Missing,
}

impl PublicAddress {
    /// The address for a server with `config` listening on `local`.
    pub fn resolve(config: &ServerConfig, local: SocketAddr) -> Self {
        match (&config.public_url, config.public_url_required) {
            (Some(url), _) => Self::Configured(url.as_str().to_string()),
            (None, true) => Self::Missing,
            (None, false) => {
                let host = if local.ip().is_unspecified() {
                    "127.0.0.1".to_string()
                } else {
                    local.ip().to_string()
                };
                Self::Local(format!("http://{host}:{}", local.port()))
            }
        }
    }

    /// The base address, if documents may be printed.
    pub fn base(&self) -> Option<&str> {
        match self {
            Self::Configured(url) | Self::Local(url) => Some(url),
            Self::Missing => None,
        }
    }
}

impl AppState {
    /// A public submission from `address`, with the server's hourly limit.
    pub fn public_origin<'a>(&self, address: &'a str) -> crate::incidents::guard::Origin<'a> {
        crate::incidents::guard::Origin {
            address,
            per_hour: self.settings.public_reports_per_hour,
        }
    }

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
            public_url: PublicAddress::Missing,
            pdf: crate::documents::pdf::Converter::new(),
            principals: crate::accounts::cache::Principals::new(std::time::Duration::from_secs(
                config.sessions.session_cache_seconds,
            )),
        }
    }
}
