//! The one error type of the HTTP layer and its stable JSON body:
//! `{"error": {"code": "...", "message": "...", "details": [{"field": "...", "problem": "..."}]}}`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldProblem {
    /// Where the problem is: a property name, `geometry`, or a path such as `pipes[2].state`.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub problem: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Problems gathered while parsing one request, so that all of them are
/// reported at once rather than one per round trip.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push(FieldProblem::new(field, problem));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was found wrong, else a 422 with every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, ApiError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ApiError::Invalid(self.0))
        }
    }

    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }

    pub fn into_error(self) -> ApiError {
        ApiError::Invalid(self.0)
    }
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Malformed(String),
    #[error("the input is not valid")]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    NotFound(String),
    #[error("the resource was changed since version {expected}; it is now at version {current}")]
    VersionConflict {
        expected: i32,
        current: i32,
        changes: Vec<FieldProblem>,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// Too large in another way than the body's bytes (what a zip unpacks to).
    #[error("{message}")]
    TooLarge { message: String },
    #[error("send the body as JSON (Content-Type: application/json or application/geo+json)")]
    UnsupportedMediaType,
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("this write needs the session's CSRF token in the X-CSRF-Token header")]
    CsrfFailed,
    #[error("{message}")]
    TooManyRequests {
        retry_after_seconds: u64,
        message: String,
    },
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The database cannot be reached (restarting, or gone): try again soon.
    #[error("the database is unavailable; try again in a few seconds")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldProblem::new(field, problem)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Malformed(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::VersionConflict { .. } | Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } | Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CsrfFailed => StatusCode::FORBIDDEN,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Database(error) if unreachable(error) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed_request",
            Self::Invalid(_) => "validation_failed",
            Self::NotFound(_) => "not_found",
            Self::VersionConflict { .. } => "version_conflict",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge { .. } | Self::TooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::CsrfFailed => "csrf_failed",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Database(error) if unreachable(error) => "database_unavailable",
            Self::Unavailable => "database_unavailable",
            Self::Database(_) | Self::Internal(_) => "internal_error",
        }
    }
}

/// Errors that mean the database is not there (rather than a query that
/// failed): no connection in time, a connection lost, a server shutting down
/// or starting up.
fn unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || ["57P01", "57P02", "57P03"].contains(&code.as_ref())
        }),
        _ => false,
    }
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorObject,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorObject {
    pub code: String,
    pub message: String,
    pub details: Vec<FieldProblem>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = ?self, "database unavailable");
            ApiError::Unavailable.to_string()
        } else if status.is_server_error() {
            // Details of server faults go to the log, never to the client.
            tracing::error!(error = ?self, "request failed");
            "Something went wrong on the server; the error has been logged.".to_string()
        } else {
            self.to_string()
        };
        let code = self.code().to_string();
        let retry_after = match &self {
            Self::TooManyRequests {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        };
        let (details, current_version) = match self {
            Self::Invalid(details) => (details, None),
            Self::VersionConflict {
                changes, current, ..
            } => (changes, Some(current)),
            _ => (Vec::new(), None),
        };
        let body = ErrorBody {
            error: ErrorObject {
                code,
                message,
                details,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, 5.into());
        }
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        if let Some(version) = current_version
            && let Ok(value) = format!("\"{version}\"").parse()
        {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
