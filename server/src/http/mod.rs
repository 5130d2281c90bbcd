//! The HTTP layer's shared parts: the error type, JSON and query extractors,
//! the OpenAPI description, and the health check.

pub mod error;
pub mod json;
pub mod openapi;
pub mod query;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

/// `GET /health`: the server and each of its databases — role (primary or
/// standby), state (up, down, lagging), replication lag, and whether it takes
/// reads or writes now. 200 when writes and reads can be served, 503 with
/// `"status": "read_only"` when only reads can, 503 `"unavailable"` when
/// neither.
pub async fn health(State(state): State<AppState>) -> Response {
    let databases = state.databases.status();
    let writable = state.databases.writable()
        && sqlx::query_scalar::<_, i32>("select 1")
            .fetch_one(&state.pool)
            .await
            .is_ok();
    let readable = writable
        || databases
            .iter()
            .any(|d| d.serving_reads && d.state != "down");
    let (code, status) = match (writable, readable) {
        (true, _) => (StatusCode::OK, "ok"),
        (false, true) => (StatusCode::SERVICE_UNAVAILABLE, "read_only"),
        (false, false) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    if !writable {
        tracing::warn!(status, "health check: no database takes writes");
    }
    (
        code,
        axum::Json(serde_json::json!({
            "status": status,
            "database": if writable { "ok" } else { "unreachable" },
            "version": env!("CARGO_PKG_VERSION"),
            "databases": databases,
        })),
    )
        .into_response()
}

/// `GET /livez`: the process is alive and answering (for a supervisor's liveness probe).
pub async fn live() -> Response {
    axum::Json(serde_json::json!({"status": "ok"})).into_response()
}

/// `GET /readyz`: 200 when some database serves reads, so a proxy may send
/// traffic here (writes may still be refused while the primary is lost).
pub async fn ready(State(state): State<AppState>) -> Response {
    let readable = state
        .databases
        .status()
        .iter()
        .any(|d| d.serving_reads && d.state != "down");
    let code = if readable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        axum::Json(serde_json::json!({"ready": readable, "writable": state.databases.writable()})),
    )
        .into_response()
}
/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    axum::Json(openapi::document()).into_response()
}
