//! The application: the router of every module, and a server bound to a port.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::config::ServerConfig;
use crate::database::cluster::Databases;
use crate::http::error::ApiError;
use crate::http::json::MAX_JSON_BYTES;
pub use crate::state::{AppState, PublicAddress};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// All routes: the API under `/api/v1`, its description, the health check, and
/// the web app for everything else.
pub fn router(state: AppState, web_dir: &Path) -> Router {
    let security = crate::http::security::SecurityHeaders::new(
        state.settings.secure_cookies,
        &state.settings.csp_extra_origins,
    );
    let (routes, generated) = api_router(state.imports).split_for_parts();
    let description = Arc::new(crate::http::openapi::document(generated));
    let web = web_app(web_dir);
    let routes = routes
        .route(
            "/api/openapi.json",
            get(move || {
                let description = description.clone();
                async move { axum::Json(description.as_ref().clone()) }
            }),
        )
        .fallback_service(web)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::http::idempotency::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::database::routing::writes))
        .layer(axum::middleware::from_fn(crate::metrics::record))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // The matched route, not the raw path, so ids do not explode the span names.
            let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("(unmatched)");
            tracing::info_span!("request", method = %request.method(), route, uri = %request.uri())
        }))
        .with_state(state);
    // Around the routes as a whole, so that what the method routers add (the
    // `Allow` of a 405) is there when rejections are reshaped, and before
    // compression, which must see the final body.
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn(database_gate))
        .layer(axum::middleware::map_response(
            crate::http::rejections::json_rejections,
        ))
        .layer(axum::middleware::map_response(move |response| {
            let security = security.clone();
            async move { security.apply(response) }
        }))
        .layer(CompressionLayer::new())
}

/// While the embedded database is down (and being restarted), everything that
/// needs it answers 503 at once; the web app's files are still served.
async fn database_gate(request: Request, next: axum::middleware::Next) -> axum::response::Response {
    let path = request.uri().path();
    // Not /health, /livez, /readyz or /metrics: they say themselves what is down.
    let needs_database = ["/api/", "/ogc", "/tiles", "/verify"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if needs_database && !crate::database::health().is_up() {
        return ApiError::Unavailable.into_response();
    }
    next.run(request).await
}

/// Every route of the API with its OpenAPI description: each module's
/// `router()` registers its handlers (`routes!(...)` of `#[utoipa::path]`
/// handlers; see "Adding an endpoint" in the README).
pub fn api_router(imports: crate::import::Limits) -> OpenApiRouter<AppState> {
    let api = OpenApiRouter::new()
        .merge(crate::accounts::router())
        .merge(crate::audit::router())
        .merge(crate::assets::router())
        .merge(crate::operators::router())
        .merge(crate::wards::router())
        .merge(crate::streets::router())
        .merge(crate::permits::router())
        .merge(crate::calendar::router())
        .merge(crate::rules::router())
        .merge(crate::civil_works::router())
        .merge(crate::restricted_zones::router())
        .merge(crate::notifications::router())
        .merge(crate::undergrounding::router())
        .merge(crate::sharing::router())
        .merge(crate::import::router(imports))
        .merge(crate::export::router())
        .merge(crate::admin_units::router())
        .merge(crate::plans::router())
        .merge(crate::indicators::handlers::router())
        .merge(crate::filings::router(imports))
        .merge(crate::challenges::router())
        .merge(crate::yearly_reports::router())
        // In the field: reports, inspections, violations, detection lists.
        .merge(crate::incidents::router())
        .merge(crate::violations::router())
        .merge(crate::inspections::router())
        .merge(crate::field::router())
        .merge(crate::detection::router())
        .fallback(|| async { ApiError::not_found("no such API endpoint") });
    OpenApiRouter::new()
        .nest("/api/v1", api)
        .nest("/ogc", crate::ogc::router())
        .nest("/open311", crate::open311::router())
        .route(
            "/ogc/",
            get(|| async { axum::response::Redirect::permanent("/ogc") }),
        )
        .nest("/tiles", crate::tiles::router())
        .routes(routes!(crate::http::health))
        .routes(routes!(crate::permits::document::verify_page))
        .routes(routes!(crate::http::live))
        .routes(routes!(crate::http::ready))
        .routes(routes!(crate::metrics::render))
}

/// The API's OpenAPI description, as `/api/openapi.json` serves it.
pub fn openapi() -> serde_json::Value {
    let (_, generated) = api_router(crate::import::Limits::default()).split_for_parts();
    crate::http::openapi::document(generated)
}

/// The built web app if there is one (`make run` builds it), else a short page
/// pointing to the API.
fn web_app(web_dir: &Path) -> Router {
    let index = web_dir.join("index.html");
    if index.is_file() {
        Router::new().fallback_service(ServeDir::new(web_dir).fallback(ServeFile::new(index)))
    } else {
        Router::new().fallback(|| async {
            (
                StatusCode::OK,
                Html(concat!(
                    "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Hạ tầng</title>",
                    "<h1>Hạ tầng — sổ đăng ký hạ tầng viễn thông thụ động</h1>",
                    "<p>Giao diện bản đồ chưa được xây dựng trên máy này. API: ",
                    "<a href=\"/api/openapi.json\">/api/openapi.json</a>, ",
                    "<a href=\"/api/v1/towers\">/api/v1/towers</a>, <a href=\"/api/v1/wards\">/api/v1/wards</a>.</p></html>"
                )),
            )
                .into_response()
        })
    }
}

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// Follows the database's change notices for the tile cache.
    tile_changes: tokio::task::JoinHandle<()>,
    /// Watches the primary and the replicas.
    monitor: tokio::task::JoinHandle<()>,
    /// Follows the database's change notices for the principal cache.
    account_changes: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Binds the listener (port 0 picks a free port, as tests do).
    pub async fn build(config: &ServerConfig, pool: PgPool) -> io::Result<Self> {
        Self::build_with(config, Databases::single(pool)).await
    }

    /// Binds the listener for a server over a primary and its replicas.
    pub async fn build_with(config: &ServerConfig, databases: Databases) -> io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::new(config.bind, config.port)).await?;
        let mut state = AppState::with_databases(databases, config);
        state.public_url = PublicAddress::resolve(config, listener.local_addr()?);
        let router = router(state.clone(), &config.web_dir);
        let tile_changes = crate::tiles::listen(state.tiles.clone()).await;
        let monitor = tokio::spawn(state.databases.clone().monitor());
        let account_changes =
            crate::accounts::cache::listen(state.principals.clone(), state.pool.clone()).await;
        Ok(Self {
            listener,
            router,
            state,
            tile_changes,
            monitor,
            account_changes,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// The state the handlers share (tests read the tile counters from it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        // The change listener holds a pooled connection; the pool closes only without it.
        self.tile_changes.abort();
        let _ = self.tile_changes.await;
        self.monitor.abort();
        let _ = self.monitor.await;
        self.account_changes.abort();
        let _ = self.account_changes.await;
        served
    }
}

#[cfg(test)]
mod tests {
    /// The schemas the handlers describe go over the hand-written ones of the
    /// same name (`http::openapi::document`): a name in both must be one type.
    #[test]
    fn no_generated_schema_replaces_a_different_hand_written_one() {
        let (_, generated) = super::api_router(crate::import::Limits::default()).split_for_parts();
        let hand = crate::http::openapi::hand_written_components();
        let generated = generated.components.map(|c| c.schemas).unwrap_or_default();
        let mut clashes = Vec::new();
        for (name, schema) in generated {
            let schema = serde_json::to_value(schema).unwrap();
            if hand.get(&name).is_some_and(|written| *written != schema) {
                clashes.push(name);
            }
        }
        assert!(
            clashes.is_empty(),
            "generated schemas named like a different hand-written one: {clashes:?}"
        );
    }
}
