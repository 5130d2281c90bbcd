//! The routes of filings under `/api/v1/filings`, with their descriptions.

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use super::{calls, versions};
use crate::import::Limits;
use crate::state::AppState;

/// The routes of `routes` taking bodies of up to `bytes` (uploads, photos).
pub fn with_body_limit(
    routes: UtoipaMethodRouter<AppState>,
    bytes: usize,
) -> UtoipaMethodRouter<AppState> {
    let (schemas, paths, method_router) = routes;
    (
        schemas,
        paths,
        method_router.layer(DefaultBodyLimit::max(bytes)),
    )
}

/// Routes under `/api/v1`; uploaded files may be as large as imports.
pub fn router(limits: Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(versions::list))
        .routes(routes!(calls::list, calls::create))
        .routes(routes!(calls::one, calls::change))
        .routes(with_body_limit(routes!(versions::create), limits.max_bytes))
        .routes(routes!(versions::template))
        .routes(routes!(versions::one))
        .routes(routes!(versions::version))
        .routes(routes!(versions::submit))
        .routes(routes!(versions::areas))
        .routes(routes!(versions::file))
}
