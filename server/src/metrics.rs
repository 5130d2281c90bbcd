//! Prometheus metrics at `/metrics` (OpenMetrics text): requests by route,
//! method and status, their latency, the tile cache, the connection pools and
//! each database's replication lag.
//!
//! Request metrics are counted by a middleware ([`record`]); the rest is read
//! from the server's state when `/metrics` is scraped.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The matched route (`/api/v1/towers/{id}`), never the raw path.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DatabaseLabels {
    database: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: String,
    state: String,
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    tile_requests: Gauge,
    tiles_made: Gauge,
    tile_cache_bytes: Gauge,
    tile_cache_tiles: Gauge,
    principal_cache_hits: Gauge,
    principal_cache_misses: Gauge,
    pool_connections: Family<PoolLabels, Gauge>,
    database_up: Family<DatabaseLabels, Gauge>,
    lag_bytes: Family<DatabaseLabels, Gauge>,
    lag_ms: Family<DatabaseLabels, Gauge>,
    writes_to: Family<DatabaseLabels, Gauge>,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("hatang");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ])
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request",
            latency.clone(),
        );
        let tile_requests = Gauge::default();
        registry.register(
            "tile_requests",
            "Tile requests answered since start (hits and misses)",
            tile_requests.clone(),
        );
        let tiles_made = Gauge::default();
        registry.register(
            "tiles_made",
            "Tiles made since start (cache misses)",
            tiles_made.clone(),
        );
        let tile_cache_bytes = Gauge::default();
        registry.register(
            "tile_cache_bytes",
            "Bytes of tiles in the cache",
            tile_cache_bytes.clone(),
        );
        let tile_cache_tiles = Gauge::default();
        registry.register(
            "tile_cache_tiles",
            "Tiles in the cache",
            tile_cache_tiles.clone(),
        );
        let principal_cache_hits = Gauge::default();
        registry.register(
            "principal_cache_hits",
            "Sessions and tokens recognised from memory since start",
            principal_cache_hits.clone(),
        );
        let principal_cache_misses = Gauge::default();
        registry.register(
            "principal_cache_misses",
            "Sessions and tokens looked up in the database since start",
            principal_cache_misses.clone(),
        );
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Connections of the write pool by state",
            pool_connections.clone(),
        );
        let database_up = Family::<DatabaseLabels, Gauge>::default();
        registry.register(
            "database_up",
            "1 when the database answers the monitor",
            database_up.clone(),
        );
        let lag_bytes = Family::<DatabaseLabels, Gauge>::default();
        registry.register(
            "replica_lag_bytes",
            "Write-ahead log a standby has still to replay",
            lag_bytes.clone(),
        );
        let lag_ms = Family::<DatabaseLabels, Gauge>::default();
        registry.register(
            "replica_lag_milliseconds",
            "Age of a lagging standby's last replayed transaction",
            lag_ms.clone(),
        );
        let writes_to = Family::<DatabaseLabels, Gauge>::default();
        registry.register(
            "database_takes_writes",
            "1 for the database writes go to",
            writes_to.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            tile_requests,
            tiles_made,
            tile_cache_bytes,
            tile_cache_tiles,
            principal_cache_hits,
            principal_cache_misses,
            pool_connections,
            database_up,
            lag_bytes,
            lag_ms,
            writes_to,
        }
    })
}

/// Middleware: counts every request by route, method and status, and times it.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unmatched)", MatchedPath::as_str)
        .to_string();
    let response = next.run(request).await;
    let m = metrics();
    m.requests
        .get_or_create(&RequestLabels {
            method: method.clone(),
            route: route.clone(),
            status: response.status().as_u16(),
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels { method, route })
        .observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: the Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "Operations", operation_id = "metrics",
    summary = "Prometheus metrics (OpenMetrics text)",
    responses((status = 200, description = "Requests by route and status, latency histograms, the tile cache, the write pool, each database's state and replication lag.",
        content_type = "application/openmetrics-text", body = String)))]
pub async fn render(State(state): State<AppState>) -> Response {
    let m = metrics();
    let stats = state.tiles.stats().await;
    m.tile_requests.set(stats.requests as i64);
    m.tiles_made.set(stats.made as i64);
    m.tile_cache_bytes.set(stats.cached_bytes as i64);
    m.tile_cache_tiles.set(stats.cached_tiles as i64);
    let principals = state.principals.stats();
    m.principal_cache_hits.set(principals.hits as i64);
    m.principal_cache_misses.set(principals.misses as i64);
    let size = state.pool.size() as i64;
    let idle = state.pool.num_idle() as i64;
    for (label, value) in [("idle", idle), ("busy", size - idle)] {
        m.pool_connections
            .get_or_create(&PoolLabels {
                pool: "write".into(),
                state: label.into(),
            })
            .set(value);
    }
    for node in state.databases.status() {
        let labels = DatabaseLabels {
            database: node.name,
        };
        m.database_up
            .get_or_create(&labels)
            .set(i64::from(node.state != "down"));
        m.writes_to
            .get_or_create(&labels)
            .set(i64::from(node.serving_writes));
        if let Some(bytes) = node.lag_bytes {
            m.lag_bytes.get_or_create(&labels).set(bytes as i64);
        }
        if let Some(seconds) = node.lag_seconds {
            m.lag_ms
                .get_or_create(&labels)
                .set((seconds * 1000.0) as i64);
        }
    }
    let mut body = String::new();
    if encode(&mut body, &m.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
