//! The HTTP layer's shared parts: the error type, JSON and query extractors,
//! the OpenAPI description, and the health check.

pub mod attachment;
pub mod error;
pub mod idempotency;
pub mod json;
pub mod openapi;
pub mod query;
pub mod rejections;
pub mod security;

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use serde::Serialize;
use utoipa::ToSchema;

use crate::database::cluster::NodeStatus;
use crate::state::AppState;

/// What `/health` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`; `read_only` when only reads can be served (no database takes
    /// writes); `unavailable` when neither reads nor writes can.
    pub status: &'static str,
    /// `ok` or `unreachable`: whether writes reach a database.
    pub database: &'static str,
    /// The server's version.
    pub version: &'static str,
    /// Each database: the primary and the read replicas.
    pub databases: Vec<NodeStatus>,
}

/// `GET /health`: the server and each of its databases — role (primary or
/// standby), state (up, down, lagging), replication lag, and whether it takes
/// reads or writes now.
#[utoipa::path(get, path = "/health", tag = "Operations", operation_id = "health",
    summary = "Health of the server and of each database",
    responses(
        (status = 200, description = "Reads and writes are served.", body = Health),
        (status = 503, description = "Only reads (`read_only`) or nothing (`unavailable`) can be served.", body = Health),
    ))]
pub async fn health(State(state): State<AppState>) -> Response {
    let databases = state.databases.status();
    // The monitor may not have seen a loss yet: a short, bounded probe.
    let probe = sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.pool);
    let writable = state.databases.writable()
        && matches!(
            tokio::time::timeout(Duration::from_secs(2), probe).await,
            Ok(Ok(_))
        );
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
    let body = Health {
        status,
        database: if writable { "ok" } else { "unreachable" },
        version: env!("CARGO_PKG_VERSION"),
        databases,
    };
    (code, axum::Json(body)).into_response()
}

/// What `/livez` and `/readyz` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Probe {
    /// Whether some database serves reads (always true for `/livez`).
    pub ready: bool,
    /// Whether some database takes writes.
    pub writable: bool,
}

/// `GET /livez`: the process is alive and answering (a supervisor's liveness probe).
#[utoipa::path(get, path = "/livez", tag = "Operations", operation_id = "live",
    summary = "Liveness: the process answers",
    responses((status = 200, description = "The process answers.", body = Probe)))]
pub async fn live(State(state): State<AppState>) -> Response {
    axum::Json(Probe {
        ready: true,
        writable: state.databases.writable(),
    })
    .into_response()
}

/// `GET /readyz`: 200 while some database serves reads, so a proxy may send
/// traffic here (writes may still be refused while the primary is lost).
#[utoipa::path(get, path = "/readyz", tag = "Operations", operation_id = "ready",
    summary = "Readiness: some database serves reads",
    responses(
        (status = 200, description = "Ready for traffic.", body = Probe),
        (status = 503, description = "No database answers.", body = Probe),
    ))]
pub async fn ready(State(state): State<AppState>) -> Response {
    let ready = state
        .databases
        .status()
        .iter()
        .any(|d| d.serving_reads && d.state != "down");
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Probe {
        ready,
        writable: state.databases.writable(),
    };
    (code, axum::Json(body)).into_response()
}
