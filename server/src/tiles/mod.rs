//! Vector tiles of the shared-infrastructure map.
//!
//! Planners, ward staff and operators look at a whole ward, or a whole city,
//! at once: tens of thousands of poles, manholes and cable routes. Sending that
//! as GeoJSON would be megabytes per screen. Instead the map asks for **vector
//! tiles**: the world cut into a pyramid of squares (zoom z has 2^z × 2^z of
//! them, in Web Mercator), each square a small binary file in the Mapbox Vector
//! Tile format holding only what is visible at that zoom, with coordinates
//! rounded to a 4096 × 4096 grid. The browser (MapLibre GL) draws and styles
//! them itself, so colouring by operator or filtering by status needs no new
//! request.
//!
//! PostGIS makes each tile in one query (`ST_AsMVTGeom` clips and rounds,
//! `ST_AsMVT` encodes). What a tile holds per layer and zoom is in [`layers`];
//! the SQL is in `sql/` beside this file. Tiles are kept in memory
//! ([`cache`]) with their gzipped form and a hash for the ETag, and forgotten
//! for the area of every change: the API's write handlers call
//! [`Tiles::asset_changed`] before they answer, and a database trigger
//! (migration 0010) notifies [`listen`] of changes made by anything else.
//!
//! Routes: `GET /tiles` (the layers), `GET /tiles/{layers}` (TileJSON 3.0.0),
//! `GET /tiles/{layers}/{z}/{x}/{y}` (a tile; `{layers}` is one layer name or a
//! comma-separated list), `GET /tiles/_stats` (cache counters).

pub mod cache;
pub mod handlers;
pub mod layers;
pub mod source;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::database::cluster::{Databases, Lsn};
use serde::Serialize;
use sqlx::PgPool;
use sqlx::postgres::PgListener;

pub use cache::{Invalidation, Tile, TileCache, TileKey};
pub use handlers::router;
pub use layers::{Layer, LayerSet};
pub use source::{PostgisSource, TileCoord};

/// Default bound of the tile cache.
pub const DEFAULT_CACHE_MB: u64 = 256;
/// The channel the database triggers notify (migration 0010).
pub const CHANNEL: &str = "hatang_tiles";
const CHANGE_EXTENT_SQL: &str = include_str!("sql/change_extent.sql");

/// `xmin, ymin, xmax, ymax`, all null for an empty area.
type Extent = (Option<f64>, Option<f64>, Option<f64>, Option<f64>);

/// Why a tile could not be served.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error("there is no tile layer {name:?}; see /tiles for the layers")]
    UnknownLayer { name: String },
    #[error("there is no tile {z}/{x}/{y}")]
    NoSuchTile { z: u8, x: u32, y: u32 },
    #[error("the tile {layers}/{z}/{x}/{y} could not be made: {source}")]
    Query {
        layers: String,
        z: u8,
        x: u32,
        y: u32,
        #[source]
        source: sqlx::Error,
    },
    #[error("the tile was not made: {0}")]
    Shared(#[from] Arc<TileError>),
}

/// Counters of the tile service, for `/tiles/_stats` and tests.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Stats {
    /// Tile requests answered (including 304s).
    pub requests: u64,
    /// Tiles made because they were not cached.
    pub made: u64,
    /// Database queries made for tiles.
    pub queries: u64,
    /// Invalidations received (from the API and from the database).
    pub invalidations: u64,
    /// Tiles in the cache, and their bytes.
    pub cached_tiles: u64,
    pub cached_bytes: u64,
}

/// The tile service: a source and its cache. Cheap to clone.
#[derive(Clone)]
pub struct Tiles {
    inner: Arc<Inner>,
}

struct Inner {
    source: PostgisSource,
    /// With read replicas, tiles are made on one that has replayed at least
    /// `fresh_from`, the primary's log position when the last change notice came.
    replicas: Option<Databases>,
    fresh_from: AtomicU64,
    cache: TileCache,
    requests: AtomicU64,
    made: AtomicU64,
    invalidations: AtomicU64,
}

impl Tiles {
    pub fn new(pool: PgPool, cache_bytes: u64) -> Self {
        Self::with_replicas(pool, None, cache_bytes)
    }

    /// Tiles made on the read replicas of `databases` when there are any.
    pub fn with_replicas(pool: PgPool, databases: Option<Databases>, cache_bytes: u64) -> Self {
        Self {
            inner: Arc::new(Inner {
                source: PostgisSource::new(pool),
                replicas: databases.filter(Databases::has_replicas),
                fresh_from: AtomicU64::new(0),
                cache: TileCache::new(cache_bytes),
                requests: AtomicU64::new(0),
                made: AtomicU64::new(0),
                invalidations: AtomicU64::new(0),
            }),
        }
    }

    /// The tile of `layers` at `at`, from the cache or made now.
    pub async fn get(&self, layers: LayerSet, at: TileCoord) -> Result<Arc<Tile>, TileError> {
        let inner = &self.inner;
        inner.requests.fetch_add(1, Ordering::Relaxed);
        let make = || async {
            let started = inner.cache.epoch();
            inner.made.fetch_add(1, Ordering::Relaxed);
            let raw = match &inner.replicas {
                Some(databases) => {
                    let fresh_from = Lsn(inner.fresh_from.load(Ordering::Relaxed));
                    let target = databases.reader(Some(fresh_from)).await;
                    inner.source.tile_from(&target.pool, layers, at).await?
                }
                None => inner.source.tile(layers, at).await?,
            };
            Ok::<_, TileError>(Tile::new(raw, started))
        };
        Ok(inner
            .cache
            .get_or_make(TileKey { layers, at }, make)
            .await?)
    }

    /// Forgets the cached tiles of `layers` in `bbox` (Web Mercator; `None`:
    /// everywhere), at every zoom.
    pub async fn invalidate(&self, invalidation: Invalidation) {
        self.inner.invalidations.fetch_add(1, Ordering::Relaxed);
        if let Some(databases) = &self.inner.replicas
            && let Some(lsn) = databases.current_write_position().await
        {
            // Tiles made from now on must come from a database that has the change.
            self.inner.fresh_from.fetch_max(lsn.0, Ordering::Relaxed);
        }
        self.inner.cache.invalidate(invalidation).await;
    }

    /// Forgets the tiles that showed asset `id` before its change to
    /// `version` (when the change has a history entry) and show it now. Call
    /// after the change is committed, before answering.
    pub async fn asset_changed(&self, id: i64, version: Option<i32>) {
        let extent: sqlx::Result<Extent> = sqlx::query_as(CHANGE_EXTENT_SQL)
            .bind(id)
            .bind(version)
            .fetch_one(self.inner.source.pool())
            .await;
        let bbox = match extent {
            Ok((Some(xmin), Some(ymin), Some(xmax), Some(ymax))) => Some([xmin, ymin, xmax, ymax]),
            Ok(_) => return,
            Err(error) => {
                // Better to make every asset tile again than to show a stale one.
                tracing::error!(%error, asset = id, "cannot find where the asset changed; forgetting every asset tile");
                None
            }
        };
        self.invalidate(Invalidation {
            layers: LayerSet::assets(),
            bbox,
        })
        .await;
    }

    pub async fn stats(&self) -> Stats {
        let (cached_tiles, cached_bytes) = self.inner.cache.size().await;
        Stats {
            requests: self.inner.requests.load(Ordering::Relaxed),
            made: self.inner.made.load(Ordering::Relaxed),
            queries: self.inner.source.queries(),
            invalidations: self.inner.invalidations.load(Ordering::Relaxed),
            cached_tiles,
            cached_bytes,
        }
    }
}

/// A change announced by the database on [`CHANNEL`].
#[derive(Debug, serde::Deserialize)]
struct Notice {
    source: String,
    bbox: [f64; 4],
}

impl Notice {
    fn invalidation(&self) -> Invalidation {
        let layers = match self.source.as_str() {
            "streets" => LayerSet::of(&[Layer::Streets]),
            "wards" => LayerSet::of(&[Layer::Wards]),
            _ => LayerSet::assets(),
        };
        Invalidation {
            layers,
            bbox: Some(self.bbox),
        }
    }
}

/// Listens for the database's change notices and invalidates the tiles they
/// name, for as long as the returned task runs. Returns once listening (or
/// once the first attempt failed, then it keeps trying in the background).
/// While the connection is down notices are lost, so after reconnecting every
/// tile is forgotten.
pub async fn listen(tiles: Tiles) -> tokio::task::JoinHandle<()> {
    let pool = tiles.inner.source.pool().clone();
    let first = subscribe(&pool).await;
    tokio::spawn(async move {
        let mut listener = first;
        let mut connected_before = false;
        loop {
            if let Some(mut connected) = listener.take() {
                if connected_before {
                    tiles
                        .invalidate(Invalidation {
                            layers: LayerSet::of(&Layer::ALL),
                            bbox: None,
                        })
                        .await;
                }
                connected_before = true;
                // `try_recv` gives `None` when the connection drops.
                while let Ok(Some(notification)) = connected.try_recv().await {
                    match serde_json::from_str::<Notice>(notification.payload()) {
                        Ok(notice) => tiles.invalidate(notice.invalidation()).await,
                        Err(error) => {
                            tracing::warn!(%error, payload = notification.payload(), "unreadable tile change notice")
                        }
                    }
                }
                tracing::warn!("lost the connection listening for tile changes");
            }
            if pool.is_closed() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
            listener = subscribe(&pool).await;
        }
    })
}

async fn subscribe(pool: &PgPool) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(pool)
        .await
        .map_err(|error| tracing::warn!(%error, "cannot connect to listen for tile changes"))
        .ok()?;
    listener
        .listen(CHANNEL)
        .await
        .map_err(|error| tracing::warn!(%error, "cannot listen for tile changes"))
        .ok()?;
    Some(listener)
}
