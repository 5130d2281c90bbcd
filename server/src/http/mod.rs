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

use crate::app::AppState;

/// `GET /health`: 200 when the server and its database answer, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.pool).await {
        Ok(_) => {
            axum::Json(serde_json::json!({"status": "ok", "database": "ok", "version": env!("CARGO_PKG_VERSION")}))
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            error::ApiError::Unavailable.into_response()
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    axum::Json(openapi::document()).into_response()
}
