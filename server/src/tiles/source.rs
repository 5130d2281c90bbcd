//! Where tiles come from: one SQL statement per tile, in which PostGIS clips,
//! generalises and encodes every requested layer (`ST_AsMVTGeom`, `ST_AsMVT`).
//! The HTTP layer never sees SQL; it asks [`PostgisSource::tile`] for bytes.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::PgPool;

use super::TileError;
use super::layers::{CLUSTER_GRID, Layer, LayerSet, MAX_FEATURES, Shape};

/// The deepest zoom served (OpenStreetMap's convention stops at 22 too).
pub const MAX_SERVED_ZOOM: u8 = 22;

/// A tile address in the XYZ scheme (y counted from the north).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileCoord {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileCoord {
    /// A tile that exists: zoom up to [`MAX_SERVED_ZOOM`], x and y below 2^z.
    pub fn new(z: u8, x: u32, y: u32) -> Result<Self, TileError> {
        if z > MAX_SERVED_ZOOM || u64::from(x) >= 1 << z || u64::from(y) >= 1 << z {
            return Err(TileError::NoSuchTile { z, x, y });
        }
        Ok(Self { z, x, y })
    }

    /// The tile's square in Web Mercator metres: `[xmin, ymin, xmax, ymax]`.
    pub fn bounds(self) -> [f64; 4] {
        let span = WORLD / f64::from(1u32 << self.z);
        let xmin = -HALF_WORLD + f64::from(self.x) * span;
        let ymax = HALF_WORLD - f64::from(self.y) * span;
        [xmin, ymax - span, xmin + span, ymax]
    }

    /// The tile's width in Web Mercator metres.
    pub fn span(self) -> f64 {
        WORLD / f64::from(1u32 << self.z)
    }
}

/// Width of the Web Mercator world, metres.
pub const WORLD: f64 = 40_075_016.685_578_49;
const HALF_WORLD: f64 = WORLD / 2.0;

const TILE_SQL: &str = include_str!("sql/tile.sql");
const ASSETS_SQL: &str = include_str!("sql/assets.sql");
const ASSET_CLUSTERS_SQL: &str = include_str!("sql/asset_clusters.sql");
const ASSET_LINES_SQL: &str = include_str!("sql/asset_lines.sql");
const CABLE_LINES_SQL: &str = include_str!("sql/cable_lines.sql");
const WARDS_SQL: &str = include_str!("sql/wards.sql");
const STREETS_SQL: &str = include_str!("sql/streets.sql");

/// How a layer is drawn at one zoom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every feature as it is.
    Detail,
    /// Points in grid clusters, or lines simplified and thinned.
    Generalised,
}

/// Vector tiles made by PostGIS from the registry's tables.
pub struct PostgisSource {
    pool: PgPool,
    /// Per layer (in `Layer::ALL` order): the SQL fragment for each mode.
    fragments: Vec<(String, String)>,
    queries: AtomicU64,
}

impl PostgisSource {
    pub fn new(pool: PgPool) -> Self {
        let fragments = Layer::ALL
            .into_iter()
            .map(|layer| {
                (
                    fragment(layer, Mode::Detail),
                    fragment(layer, Mode::Generalised),
                )
            })
            .collect();
        Self {
            pool,
            fragments,
            queries: AtomicU64::new(0),
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Database round trips made for tiles so far.
    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// The SQL of one tile, or `None` when no requested layer shows at this zoom.
    pub fn sql(&self, layers: LayerSet, z: u8) -> Option<String> {
        let parts: Vec<&str> = layers
            .iter()
            .filter(|layer| z >= layer.minzoom())
            .map(|layer| {
                let (detail, generalised) = &self.fragments[layer as usize];
                if z >= layer.detail_zoom() {
                    detail.as_str()
                } else {
                    generalised.as_str()
                }
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        Some(
            TILE_SQL
                .replace("{grid}", &CLUSTER_GRID.to_string())
                .replace("{layers}", &parts.join("\n || ")),
        )
    }

    /// The Mapbox Vector Tile of `layers` at `at` (empty when nothing is there).
    #[tracing::instrument(name = "tile query", skip(self), fields(layers = %layers))]
    pub async fn tile(&self, layers: LayerSet, at: TileCoord) -> Result<Vec<u8>, TileError> {
        self.tile_from(&self.pool, layers, at).await
    }

    /// The same, read from `pool` (a replica that is recent enough).
    pub async fn tile_from(
        &self,
        pool: &PgPool,
        layers: LayerSet,
        at: TileCoord,
    ) -> Result<Vec<u8>, TileError> {
        let Some(sql) = self.sql(layers, at.z) else {
            return Ok(Vec::new());
        };
        self.queries.fetch_add(1, Ordering::Relaxed);
        sqlx::query_scalar::<_, Vec<u8>>(&sql)
            .bind(i32::from(at.z))
            .bind(at.x as i32)
            .bind(at.y as i32)
            .fetch_one(pool)
            .await
            .map_err(|source| TileError::Query {
                layers: layers.to_string(),
                z: at.z,
                x: at.x,
                y: at.y,
                source,
            })
    }
}

/// The scalar subquery that encodes one layer at one mode.
fn fragment(layer: Layer, mode: Mode) -> String {
    let cap = MAX_FEATURES.to_string();
    match layer {
        Layer::Wards => WARDS_SQL.replace("{cap}", &cap),
        Layer::Streets => STREETS_SQL.replace("{cap}", &cap),
        _ => {
            let asset = layer
                .asset()
                .expect("every other layer shows one kind of asset");
            let template = match (layer.shape(), mode) {
                (Shape::Point, Mode::Generalised) => {
                    debug_assert!(asset.filter.is_empty(), "clusters take no detail filter");
                    ASSET_CLUSTERS_SQL
                }
                // Cables are the lines a city has most of: merged per operator and style.
                (Shape::Line, Mode::Generalised) if asset.kind == "cable" => CABLE_LINES_SQL,
                (Shape::Line, Mode::Generalised) => ASSET_LINES_SQL,
                _ => ASSETS_SQL,
            };
            let chosen_filter = if asset.filter.is_empty() {
                String::new()
            } else {
                format!(
                    "and exists (select from {} d where d.asset_id = a.id {})",
                    asset.table, asset.filter
                )
            };
            let sql = template
                .replace("{chosen_filter}", &chosen_filter)
                .replace(
                    "{audience}",
                    if layer == Layer::PublicTowers {
                        "and asset_published(a)"
                    } else {
                        ""
                    },
                )
                .replace("{layer}", layer.mvt_name())
                .replace("{kind}", asset.kind)
                .replace("{table}", asset.table)
                .replace("{columns}", asset.columns)
                .replace("{filter}", asset.filter)
                .replace("{cap}", &cap);
            if layer == Layer::PublicTowers {
                // The public sees where towers stand, not who shares them.
                sql.replace("sharing.tenant_count,", "null::integer as tenant_count,")
                    .replace(
                        "sharing.tenant_count > 0 as shared,",
                        "null::boolean as shared,",
                    )
            } else {
                sql
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_bounds_follow_the_xyz_scheme() {
        let world = TileCoord::new(0, 0, 0).unwrap().bounds();
        assert!((world[0] + HALF_WORLD).abs() < 1e-6 && (world[3] - HALF_WORLD).abs() < 1e-6);
        // z1 (0,0) is the north-west quarter.
        let nw = TileCoord::new(1, 0, 0).unwrap().bounds();
        assert!(nw[0] < 0.0 && nw[1].abs() < 1e-6 && nw[2].abs() < 1e-6 && nw[3] > 0.0);
        assert!(TileCoord::new(3, 8, 0).is_err());
        assert!(TileCoord::new(23, 0, 0).is_err());
    }

    #[test]
    fn every_fragment_has_its_placeholders_filled() {
        for layer in Layer::ALL {
            for mode in [Mode::Detail, Mode::Generalised] {
                let sql = fragment(layer, mode);
                assert!(!sql.contains('{'), "{layer} {mode:?}: {sql}");
            }
        }
    }
}
