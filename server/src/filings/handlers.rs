//! The routes of filings under `/api/v1/filings`.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use super::{calls, versions};
use crate::app::AppState;
use crate::import::Limits;

/// Routes under `/api/v1`; uploaded files may be as large as imports.
pub fn router(limits: Limits) -> Router<AppState> {
    Router::new()
        .route("/filings", get(versions::list))
        .route("/filings/calls", get(calls::list).post(calls::create))
        .route("/filings/calls/{id}", get(calls::one).patch(calls::change))
        .route(
            "/filings/calls/{id}/versions",
            post(versions::create).layer(DefaultBodyLimit::max(limits.max_bytes)),
        )
        .route("/filings/calls/{id}/template", get(versions::template))
        .route("/filings/{id}", get(versions::one))
        .route("/filings/{id}/versions/{number}", get(versions::version))
        .route(
            "/filings/{id}/versions/{number}/submit",
            post(versions::submit),
        )
        .route(
            "/filings/{id}/versions/{number}/areas",
            get(versions::areas),
        )
        .route("/filings/{id}/versions/{number}/file", get(versions::file))
}
