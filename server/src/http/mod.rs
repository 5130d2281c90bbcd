//! The HTTP layer's shared parts: the error type, JSON and query extractors,
//! the OpenAPI description, and the health check.

pub mod error;
pub mod idempotency;
pub mod json;
pub mod openapi;
pub mod query;
pub mod rejections;
pub mod security;

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// What `/health` answers when all is well (a 503 is the usual error body,
/// `database_unavailable`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// `ok`: the database answered.
    pub database: &'static str,
    /// The server's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'static str>,
}

/// `GET /health`: 200 when the server and its database answer, 503 otherwise.
#[utoipa::path(get, path = "/health", tag = "Operations", operation_id = "health",
    summary = "Liveness and database check",
    responses(
        (status = 200, description = "Up, with a working database.", body = Health),
        (status = 503, description = "The database cannot be reached (`database_unavailable`, with `Retry-After`).", body = crate::http::error::ErrorBody),
    ))]
pub async fn health(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i32>("select 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => axum::Json(Health {
            status: "ok",
            database: "ok",
            version: Some(env!("CARGO_PKG_VERSION")),
        })
        .into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            error::ApiError::Unavailable.into_response()
        }
    }
}
