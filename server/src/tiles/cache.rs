//! The in-memory tile cache: finished tiles (plain and gzipped, with their
//! ETag) bounded by bytes, one database query for any number of concurrent
//! requests of the same missing tile, and invalidation by area.
//!
//! # Why an edit always shows on the next request
//! An invalidation removes the cached tiles it touches, but a tile whose query
//! was already running when the edit committed could still be stored after
//! that, with the old data. So every invalidation also gets a number (the
//! epoch) and goes into a short log; a tile remembers the epoch at which its
//! query started, and before a cached tile is served the invalidations logged
//! since then are checked against it. A stale tile is dropped and made again.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;

use super::layers::LayerSet;
use super::source::TileCoord;

/// A cache key: which layers, which tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub layers: LayerSet,
    pub at: TileCoord,
}

/// A finished tile, ready to send.
#[derive(Debug)]
pub struct Tile {
    /// The Mapbox Vector Tile.
    pub raw: Bytes,
    /// The same, gzipped.
    pub gzip: Bytes,
    /// Hash of `raw`, hex.
    pub hash: String,
    /// The invalidation epoch when the tile's query started.
    started: u64,
    /// The newest epoch this tile is known to be fresh at.
    checked: AtomicU64,
}

impl Tile {
    pub fn new(raw: Vec<u8>, started: u64) -> Self {
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&raw));
        let gzip = gzip(&raw);
        Self {
            raw: Bytes::from(raw),
            gzip: Bytes::from(gzip),
            hash,
            started,
            checked: AtomicU64::new(started),
        }
    }

    /// Bytes the tile holds in memory, for the cache's bound.
    fn weight(&self) -> u32 {
        (self.raw.len() + self.gzip.len() + self.hash.len() + 128)
            .try_into()
            .unwrap_or(u32::MAX)
    }
}

fn gzip(raw: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(raw.len() / 2 + 64),
        flate2::Compression::default(),
    );
    encoder
        .write_all(raw)
        .and_then(|()| encoder.finish())
        .expect("gzip into memory cannot fail")
}

/// An area (Web Mercator metres) of some layers that changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Invalidation {
    pub layers: LayerSet,
    /// `[xmin, ymin, xmax, ymax]`; `None` means everywhere.
    pub bbox: Option<[f64; 4]>,
}

impl Invalidation {
    /// Whether the tile `key` may show something in the changed area. A tile
    /// shows features in its buffer and counts clusters over whole cells
    /// around it, so it is widened by one cluster cell on every side.
    pub fn affects(&self, key: &TileKey) -> bool {
        if !self.layers.overlaps(key.layers) {
            return false;
        }
        let Some([xmin, ymin, xmax, ymax]) = self.bbox else {
            return true;
        };
        let [txmin, tymin, txmax, tymax] = key.at.bounds();
        let margin = key.at.span() / f64::from(super::layers::CLUSTER_GRID);
        xmin <= txmax + margin
            && xmax >= txmin - margin
            && ymin <= tymax + margin
            && ymax >= tymin - margin
    }
}

/// Invalidations kept to check tiles whose query overlapped them. A tile
/// older than the log is treated as stale.
const LOG_LENGTH: usize = 4096;

/// Cached tiles bounded by bytes.
pub struct TileCache {
    tiles: moka::future::Cache<TileKey, Arc<Tile>>,
    epoch: AtomicU64,
    log: Mutex<VecDeque<(u64, Invalidation)>>,
}

impl TileCache {
    /// A cache holding at most `max_bytes` of tiles. Entries also expire an
    /// hour after they were made: tenancy periods and ward validity depend on
    /// the date, which no edit announces.
    pub fn new(max_bytes: u64) -> Self {
        let tiles = moka::future::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_key: &TileKey, tile: &Arc<Tile>| tile.weight())
            .time_to_live(Duration::from_secs(3600))
            .build();
        Self {
            tiles,
            epoch: AtomicU64::new(0),
            log: Mutex::new(VecDeque::with_capacity(LOG_LENGTH)),
        }
    }

    /// The current invalidation epoch; read it before starting a tile query.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// The cached tile for `key`, or the one `make` produces. Concurrent
    /// callers for the same key share one run of `make`; a tile made before an
    /// invalidation that touches it is never returned.
    pub async fn get_or_make<F, Fut, E>(&self, key: TileKey, make: F) -> Result<Arc<Tile>, Arc<E>>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Tile, E>>,
        E: Send + Sync + 'static,
    {
        loop {
            let tile = self
                .tiles
                .try_get_with(key, async { make().await.map(Arc::new) })
                .await?;
            if self.is_fresh(&key, &tile) {
                return Ok(tile);
            }
            self.tiles.remove(&key).await;
        }
    }

    fn is_fresh(&self, key: &TileKey, tile: &Tile) -> bool {
        let now = self.epoch();
        let checked = tile.checked.load(Ordering::SeqCst);
        if checked >= now {
            return true;
        }
        let log = self
            .log
            .lock()
            .expect("the invalidation log is never poisoned");
        let oldest = log.front().map_or(now + 1, |(epoch, _)| *epoch);
        if oldest > checked + 1 {
            // Invalidations since the tile was made have left the log.
            return false;
        }
        let stale = log
            .iter()
            .filter(|(epoch, _)| *epoch > tile.started.max(checked))
            .any(|(_, invalidation)| invalidation.affects(key));
        if !stale {
            tile.checked.fetch_max(now, Ordering::SeqCst);
        }
        !stale
    }

    /// Forgets every cached tile the change touches. Tiles being made while
    /// this runs are checked again when served.
    pub async fn invalidate(&self, invalidation: Invalidation) {
        {
            let mut log = self
                .log
                .lock()
                .expect("the invalidation log is never poisoned");
            let epoch = self.epoch.fetch_add(1, Ordering::SeqCst) + 1;
            if log.len() == LOG_LENGTH {
                log.pop_front();
            }
            log.push_back((epoch, invalidation));
        }
        if invalidation.bbox.is_none() && invalidation.layers == LayerSet::of(&super::Layer::ALL) {
            self.tiles.invalidate_all();
            return;
        }
        let touched: Vec<TileKey> = self
            .tiles
            .iter()
            .filter(|(key, _)| invalidation.affects(key))
            .map(|(key, _)| *key)
            .collect();
        for key in touched {
            self.tiles.invalidate(&key).await;
        }
    }

    /// Tiles held and their bytes (approximate: the cache counts lazily).
    pub async fn size(&self) -> (u64, u64) {
        self.tiles.run_pending_tasks().await;
        (self.tiles.entry_count(), self.tiles.weighted_size())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiles::Layer;

    fn key(z: u8, x: u32, y: u32) -> TileKey {
        TileKey {
            layers: LayerSet::of(&[Layer::Poles, Layer::Towers]),
            at: TileCoord::new(z, x, y).unwrap(),
        }
    }

    #[test]
    fn an_invalidation_touches_the_tiles_around_its_area_only() {
        let at = key(14, 13_143, 7_568).at.bounds();
        let centre = [(at[0] + at[2]) / 2.0, (at[1] + at[3]) / 2.0];
        let change = Invalidation {
            layers: LayerSet::of(&[Layer::Poles]),
            bbox: Some([centre[0], centre[1], centre[0], centre[1]]),
        };
        assert!(change.affects(&key(14, 13_143, 7_568)));
        assert!(change.affects(&key(13, 6_571, 3_784)));
        assert!(change.affects(&key(0, 0, 0)));
        assert!(!change.affects(&key(14, 13_145, 7_568)));
        let streets = TileKey {
            layers: LayerSet::of(&[Layer::Streets]),
            ..key(14, 13_143, 7_568)
        };
        assert!(!change.affects(&streets));
    }

    #[tokio::test]
    async fn a_tile_made_before_an_invalidation_is_made_again() {
        let cache = TileCache::new(1 << 20);
        let made = AtomicU64::new(0);
        let (cache, made) = (&cache, &made);
        let make = move || async move {
            let started = cache.epoch();
            made.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(Tile::new(vec![1, 2, 3], started))
        };
        cache.get_or_make(key(10, 1, 1), make).await.unwrap();
        cache.get_or_make(key(10, 1, 1), make).await.unwrap();
        assert_eq!(made.load(Ordering::SeqCst), 1);
        // A tile whose query started before the edit, stored after it.
        let stale = Arc::new(Tile::new(vec![9], cache.epoch()));
        cache
            .invalidate(Invalidation {
                layers: LayerSet::of(&[Layer::Poles]),
                bbox: None,
            })
            .await;
        cache.tiles.insert(key(10, 1, 1), stale).await;
        let tile = cache.get_or_make(key(10, 1, 1), make).await.unwrap();
        assert_eq!(&tile.raw[..], &[1, 2, 3]);
        assert_eq!(made.load(Ordering::SeqCst), 2);
    }
}
