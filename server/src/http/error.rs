//! The one error type of the HTTP layer and its stable JSON body:
//! `{"error": {"code": "...", "message": "...", "reason": "...", "params": {...},
//! "details": [{"field": "...", "code": "...", "params": {...}, "problem": "..."}]}}`.
//! `code` is the kind of failure (`forbidden`, `validation_failed`, ...);
//! `reason` and `params` say why, in a [`Code`] the web app words.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::validation::{Code, FieldProblem, Problem, Problems};

/// The 422 of problems, when there are any.
impl Problems {
    /// `Ok(value)` when nothing was found wrong, else a 422 with every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, ApiError> {
        self.check(value).map_err(ApiError::Invalid)
    }

    pub fn into_error(self) -> ApiError {
        ApiError::Invalid(self.into_vec())
    }
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Malformed(String),
    /// A query parameter that parses but cannot be what was meant (a bbox
    /// with its axes swapped): a 400 with the problem, its code and params.
    /// Boxed: a [`FieldProblem`] is large, and every `Result` carries this enum.
    #[error("{}: {}", .0.field, .0.problem)]
    BadParameter(Box<FieldProblem>),
    #[error("the input is not valid")]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    NotFound(Problem),
    #[error("the resource was changed since version {expected}; it is now at version {current}")]
    VersionConflict {
        expected: i32,
        current: i32,
        changes: Vec<FieldProblem>,
    },
    #[error("{0}")]
    Conflict(Problem),
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// Too large in another way than the body's bytes (what a zip unpacks to).
    #[error("{0}")]
    TooLarge(Problem),
    /// A JSON member named twice in one object: parsers disagree on which counts.
    #[error("the member {member:?} appears twice in {at}; send each member once")]
    DuplicateMember { member: String, at: String },
    #[error("send the body as JSON (Content-Type: application/json or application/geo+json)")]
    UnsupportedMediaType,
    #[error("{0}")]
    Unauthorized(Problem),
    #[error("{0}")]
    Forbidden(Problem),
    #[error("this write needs the session's CSRF token in the X-CSRF-Token header")]
    CsrfFailed,
    #[error("{message}")]
    TooManyRequests {
        retry_after_seconds: u64,
        message: Problem,
    },
    /// The server cannot do this as it is set up (a missing program or
    /// setting): a 503 whose reason says what is missing
    /// ([`Code::PublicUrlMissing`], [`Code::PdfUnavailable`]).
    #[error("{0}")]
    Unconfigured(Problem),
    #[error("read-only: the primary database is unavailable")]
    ReadOnly,
    /// The database cannot be reached (restarting, or gone): try again soon.
    #[error("the database is unavailable; try again in a few seconds")]
    Unavailable,
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self::Invalid(vec![FieldProblem::new(field, problem)])
    }

    /// A 400: the query parameter `field` parses but cannot be what was meant.
    pub fn bad_parameter(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self::BadParameter(Box::new(FieldProblem::new(field, problem)))
    }

    /// A 404: `problem` says what was not found (a bare text: [`Code::NotFound`]).
    pub fn not_found(problem: impl Into<Problem>) -> Self {
        Self::NotFound(problem.into())
    }

    /// A 409: the state of the resource does not allow the change.
    pub fn conflict(problem: impl Into<Problem>) -> Self {
        Self::Conflict(problem.into())
    }

    /// A 403: the principal may not do this.
    pub fn forbidden(problem: impl Into<Problem>) -> Self {
        Self::Forbidden(problem.into())
    }

    /// A 401: not signed in, or not with a valid token.
    pub fn unauthorized(problem: impl Into<Problem>) -> Self {
        Self::Unauthorized(problem.into())
    }

    /// Why the request was refused, as a code with parameters.
    pub fn reason(&self) -> (Code, serde_json::Map<String, serde_json::Value>) {
        let own = |p: &Problem, code: Code| {
            let code = if p.code == Code::Invalid {
                code
            } else {
                p.code
            };
            (code, p.params.clone())
        };
        match self {
            Self::NotFound(p) => own(p, Code::NotFound),
            Self::Conflict(p) => own(p, Code::Conflict),
            Self::Unauthorized(p) => own(p, Code::Unauthorized),
            Self::Forbidden(p) => own(p, Code::Forbidden),
            Self::Unconfigured(p) => own(p, Code::Unavailable),
            Self::TooManyRequests {
                retry_after_seconds,
                message,
            } => {
                let (code, mut params) = own(message, Code::TooManyRequests);
                params.insert("retry_after_seconds".into(), (*retry_after_seconds).into());
                (code, params)
            }
            Self::VersionConflict {
                expected, current, ..
            } => (
                Code::Conflict,
                serde_json::json!({"expected": expected, "current": current})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            ),
            Self::Invalid(_) => (Code::Invalid, serde_json::Map::new()),
            Self::CsrfFailed => (Code::Forbidden, serde_json::Map::new()),
            Self::TooLarge(p) => own(p, Code::Invalid),
            Self::BadParameter(p) => (p.code, p.params.clone()),
            Self::DuplicateMember { member, at } => (
                Code::DuplicateMember,
                serde_json::json!({"member": member, "at": at})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            ),
            Self::Unavailable => (Code::DatabaseUnavailable, serde_json::Map::new()),
            Self::Database(error) if database_unreachable(error) => {
                (Code::DatabaseUnavailable, serde_json::Map::new())
            }
            _ => (Code::Invalid, serde_json::Map::new()),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Malformed(_) | Self::DuplicateMember { .. } | Self::BadParameter(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::VersionConflict { .. } | Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } | Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CsrfFailed => StatusCode::FORBIDDEN,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::ReadOnly | Self::Unavailable | Self::Unconfigured(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Database(error) if database_unreachable(error) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) | Self::DuplicateMember { .. } | Self::BadParameter(_) => {
                "malformed_request"
            }
            Self::Invalid(_) => "validation_failed",
            Self::NotFound(_) => "not_found",
            Self::VersionConflict { .. } => "version_conflict",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge { .. } | Self::TooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::CsrfFailed => "csrf_failed",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unconfigured(_) => "service_unavailable",
            Self::ReadOnly => "read_only",
            Self::Unavailable => "database_unavailable",
            Self::Database(error) if database_unreachable(error) => "database_unavailable",
            Self::Database(_) | Self::Internal(_) => "internal_error",
        }
    }
}

/// Whether a database error means the database could not be reached (503, try
/// again) rather than a fault in the request or the code (500): no connection
/// in time, a connection lost (SQLSTATE 08xxx), a server shutting down or
/// starting up (57P01–57P03). A standby that refuses a write (SQLSTATE 25006,
/// read-only transaction) counts too: it means the primary has just been lost.
fn database_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|code| {
            code.starts_with("08") || ["25006", "57P01", "57P02", "57P03"].contains(&code.as_ref())
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
    /// The kind of failure: `validation_failed`, `forbidden`, `not_found`, ...
    pub code: String,
    /// What went wrong, in English.
    pub message: String,
    /// Why, as a code the web app words (`Code::Invalid` where the message says it).
    pub reason: Code,
    /// The reason's parameters.
    #[schema(value_type = Object)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Every problem with the input, by field (422), or what changed (409).
    pub details: Vec<FieldProblem>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status == StatusCode::SERVICE_UNAVAILABLE {
            if let Self::Database(error) = &self {
                tracing::warn!(%error, "database unavailable");
            }
            match &self {
                Self::ReadOnly | Self::Unconfigured(_) => self.to_string(),
                _ => Self::Unavailable.to_string(),
            }
        } else if status.is_server_error() {
            // Details of server faults go to the log, never to the client.
            tracing::error!(error = ?self, "request failed");
            "Something went wrong on the server; the error has been logged.".to_string()
        } else {
            self.to_string()
        };
        let code = self.code().to_string();
        let (reason, params) = self.reason();
        let retry_after = match &self {
            Self::TooManyRequests {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        };
        let (details, current_version) = match self {
            Self::Invalid(details) => (details, None),
            Self::BadParameter(problem) => (vec![*problem], None),
            Self::VersionConflict {
                changes, current, ..
            } => (changes, Some(current)),
            _ => (Vec::new(), None),
        };
        let body = ErrorBody {
            error: ErrorObject {
                code,
                message,
                reason,
                params,
                details,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        let retry_after = retry_after.or((status == StatusCode::SERVICE_UNAVAILABLE).then_some(2));
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

/// No PDF: a 503 when LibreOffice is missing (the DOCX and the print view
/// still work), else a fault of the server.
impl From<crate::documents::pdf::PdfError> for ApiError {
    fn from(error: crate::documents::pdf::PdfError) -> Self {
        use crate::documents::pdf::PdfError;
        match error {
            PdfError::NoLibreOffice => {
                Self::Unconfigured(Problem::new(Code::PdfUnavailable, error.to_string()))
            }
            PdfError::Failed(_) => Self::Internal(error.to_string()),
        }
    }
}
