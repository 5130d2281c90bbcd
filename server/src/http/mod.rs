//! The HTTP layer's shared parts: the error type, JSON and query extractors,
//! the OpenAPI description, and the health check.

pub mod error;
pub mod idempotency;
pub mod json;
pub mod openapi;
pub mod query;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// What `/health` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
    /// The server's version (when healthy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'static str>,
}

/// `GET /health`: 200 when the server and its database answer, 503 otherwise.
#[utoipa::path(get, path = "/health", tag = "Operations", operation_id = "health",
    summary = "Liveness and database check",
    responses(
        (status = 200, description = "Up, with a working database.", body = Health),
        (status = 503, description = "The database cannot be reached.", body = Health),
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
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(Health {
                    status: "degraded",
                    database: "unreachable",
                    version: None,
                }),
            )
                .into_response()
        }
    }
}
