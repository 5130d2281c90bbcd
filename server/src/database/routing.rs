//! Sending each request to the right database (see [`super::cluster`]).
//!
//! - [`writes`] (a middleware) refuses a write at once with 503 `read_only`
//!   while no database takes writes, and after a successful write remembers
//!   the primary's log position in the `hatang_written` cookie, so that the
//!   person's next reads wait for a replica that has replayed it (or go to the
//!   primary). The cookie is the whole state: any server behind the proxy
//!   honours it.
//! - [`ReadDb`] (an extractor) gives a handler the pool to read from; the
//!   middleware then says in the response which database served it
//!   (`X-Hatang-Database: replica-1`).

use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use sqlx::PgPool;

use super::cluster::Lsn;
use crate::http::error::ApiError;
use crate::state::AppState;

/// The cookie holding the log position of the person's last write.
pub const WRITTEN_COOKIE: &str = "hatang_written";
/// The response header naming the database a read came from.
pub const DATABASE_HEADER: &str = "x-hatang-database";

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Where [`ReadDb`] leaves the name of the database it chose, for the middleware.
#[derive(Clone, Default)]
struct ServedFrom(Arc<Mutex<Option<String>>>);

/// Refuses writes while there is no primary; remembers a successful write's
/// position; names the database a read came from.
pub async fn writes(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let write = is_write(request.method());
    if write && !state.databases.writable() {
        return ApiError::ReadOnly.into_response();
    }
    let served_from = ServedFrom::default();
    request.extensions_mut().insert(served_from.clone());
    let mut response = next.run(request).await;
    let source = served_from.0.lock().ok().and_then(|s| s.clone());
    if let Some(source) = source
        && let Ok(value) = HeaderValue::from_str(&source)
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static(DATABASE_HEADER), value);
    }
    if write
        && response.status().is_success()
        && state.databases.has_replicas()
        && let Some(lsn) = state.databases.current_write_position().await
    {
        let secure = if state.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{WRITTEN_COOKIE}={}; Path=/; Max-Age=300; HttpOnly; SameSite=Lax{secure}",
            lsn.0
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The pool a read-only handler should use: a replica when one is in shape and
/// has replayed the person's own last write, else the primary.
pub struct ReadDb {
    pub pool: PgPool,
    /// `primary`, `replica-1`, …
    pub source: String,
}

/// The position of the person's last write, from their cookie.
pub fn own_write(parts: &Parts) -> Option<Lsn> {
    CookieJar::from_headers(&parts.headers)
        .get(WRITTEN_COOKIE)
        .and_then(|c| c.value().parse::<u64>().ok())
        .map(Lsn)
}

impl FromRequestParts<AppState> for ReadDb {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let target = state.databases.reader(own_write(parts)).await;
        if let Some(served_from) = parts.extensions.get::<ServedFrom>()
            && let Ok(mut slot) = served_from.0.lock()
        {
            *slot = Some(target.name.clone());
        }
        Ok(Self {
            pool: target.pool,
            source: target.name,
        })
    }
}
