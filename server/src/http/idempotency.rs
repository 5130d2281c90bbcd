//! `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): a phone
//! that sent a report and lost the answer sends it again with the same key,
//! and gets the first answer back instead of a second report. QField and
//! Mergin Maps users' first complaint is edits duplicated on sync; this is
//! the server's half of never doing that.
//!
//! For a write (`POST`, `PUT`, `PATCH`, `DELETE`) carrying the header:
//! - the first request claims the key (for its sender: the session, the
//!   token, or the public) and runs; a success (2xx) is stored with its
//!   status, `Location`, type and body, and every retry gets it back with
//!   `Idempotent-Replayed: true`;
//! - a retry while the first still runs gets 409 and `Retry-After`;
//! - the same key with another request (method, path or body) gets 422;
//! - a failure is not stored, so the sender may retry with the same key;
//! - keys are forgotten after [`KEEP_DAYS`] days.
//!
//! Handlers that create something also get the key ([`IdempotencyKey`]) and
//! store it on the row with a unique constraint, so even a crash between the
//! commit and the storing of the answer cannot make a duplicate.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::{ApiError, Code, Problem};
use crate::accounts::principal::SESSION_COOKIE;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// Days a key is kept.
pub const KEEP_DAYS: i64 = 7;
/// Largest request body the middleware reads (photos included).
const MAX_BODY: usize = crate::photos::MAX_REQUEST_BYTES;
/// Largest answer it stores.
const MAX_STORED: usize = 1024 * 1024;
/// A claim older than this is taken to be from a request that died.
const STALE_SECONDS: i64 = 120;

/// The key of the request being handled, for handlers that store it on what they create.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub String);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whose key it is: a hash of the session cookie or the token, else the public.
fn scope(request: &Request) -> String {
    if let Some(auth) = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return format!("token:{}", hex(&Sha256::digest(auth.as_bytes())));
    }
    let jar = axum_extra::extract::CookieJar::from_headers(request.headers());
    match jar.get(SESSION_COOKIE) {
        Some(cookie) => format!(
            "session:{}",
            hex(&Sha256::digest(cookie.value().as_bytes()))
        ),
        None => "public".into(),
    }
}

fn replay(
    status: i32,
    content_type: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
) -> Response {
    let mut response = (
        StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK),
        body,
    )
        .into_response();
    let headers = response.headers_mut();
    if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// The middleware; it does nothing to requests without the header.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match handle(state, request, next).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn handle(state: AppState, request: Request, next: Next) -> Result<Response, ApiError> {
    let writes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let Some(key) = request.headers().get(HEADER).filter(|_| writes) else {
        return Ok(next.run(request).await);
    };
    let key = key.to_str().unwrap_or("").trim().to_string();
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::Malformed(
            "Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID, say)".into(),
        ));
    }
    let scope = scope(&request);
    let method = request.method().to_string();
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::PayloadTooLarge { limit: MAX_BODY })?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // A retried form has a new multipart boundary but the same parts.
    let request_hash = match content_type.split("boundary=").nth(1) {
        Some(boundary) if content_type.starts_with("multipart/") => {
            let normal = normalise_boundary(&bytes, boundary.trim_matches('"'));
            hash_of(&method, &path, "multipart", &normal)
        }
        _ => hash_of(&method, &path, content_type, &bytes),
    };

    let pool = &state.pool;
    let claimed = sqlx::query(
        "insert into idempotency_key (scope, key, method, path, request_hash) values ($1, $2, $3, $4, $5)
         on conflict (scope, key) do nothing",
    )
    .bind(&scope)
    .bind(&key)
    .bind(&method)
    .bind(&path)
    .bind(&request_hash)
    .execute(pool)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        type Stored = (
            String,
            String,
            String,
            String,
            Option<i32>,
            Option<String>,
            Option<String>,
            Option<Vec<u8>>,
            bool,
        );
        let row: Option<Stored> = sqlx::query_as(
            "select method, path, request_hash, state, status, content_type, location, body,
                    created_at < now() - make_interval(secs => $3)
             from idempotency_key where scope = $1 and key = $2",
        )
        .bind(&scope)
        .bind(&key)
        .bind(STALE_SECONDS as f64)
        .fetch_optional(pool)
        .await?;
        let Some((
            old_method,
            old_path,
            old_hash,
            old_state,
            status,
            stored_type,
            location,
            body,
            stale,
        )) = row
        else {
            return Err(ApiError::conflict(Problem::new(
                Code::InProgress,
                "the Idempotency-Key was just released; send the request again",
            )));
        };
        if old_hash != request_hash || old_method != method || old_path != path {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                Problem::new(
                    Code::IdempotencyKeyReused,
                    "was already used for a different request; use a new key for a new request",
                ),
            ));
        }
        match old_state.as_str() {
            "done" => {
                return Ok(replay(
                    status.unwrap_or(200),
                    stored_type,
                    location,
                    body.unwrap_or_default(),
                ));
            }
            _ if !stale => {
                return Err(ApiError::conflict(Problem::new(
                    Code::InProgress,
                    "the first request with this Idempotency-Key is still being handled; try again in a moment",
                )));
            }
            _ => {
                // The first request died: this one takes the key over.
                sqlx::query(
                    "update idempotency_key set created_at = now() where scope = $1 and key = $2",
                )
                .bind(&scope)
                .bind(&key)
                .execute(pool)
                .await?;
            }
        }
    }

    let mut request = Request::from_parts(parts, Body::from(bytes));
    request.extensions_mut().insert(IdempotencyKey(key.clone()));
    // If the client goes away mid-request the handler is dropped; the guard
    // then releases the key, so the retry runs at once (a report or finding
    // already committed is found by its key column, never made twice).
    let mut claim = Claim {
        pool: Some(state.pool.clone()),
        scope: scope.clone(),
        key: key.clone(),
    };
    let response = next.run(request).await;
    claim.pool = None;
    let status = response.status();
    if !status.is_success() {
        // Not stored: the sender may try again with the same key.
        sqlx::query(
            "delete from idempotency_key where scope = $1 and key = $2 and state = 'processing'",
        )
        .bind(&scope)
        .bind(&key)
        .execute(pool)
        .await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_STORED).await else {
        sqlx::query("delete from idempotency_key where scope = $1 and key = $2")
            .bind(&scope)
            .bind(&key)
            .execute(pool)
            .await?;
        return Err(ApiError::Internal(
            "the answer was too large to keep for a retry".into(),
        ));
    };
    let header_text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    sqlx::query(
        "update idempotency_key set state = 'done', status = $3, content_type = $4, location = $5, body = $6, completed_at = now()
         where scope = $1 and key = $2",
    )
    .bind(&scope)
    .bind(&key)
    .bind(i32::from(status.as_u16()))
    .bind(header_text(header::CONTENT_TYPE))
    .bind(header_text(header::LOCATION))
    .bind(bytes.as_ref())
    .execute(pool)
    .await?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// A claimed key, released if the request is dropped before it finishes.
struct Claim {
    pool: Option<sqlx::PgPool>,
    scope: String,
    key: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        let Some(pool) = self.pool.take() else { return };
        let (scope, key) = (
            std::mem::take(&mut self.scope),
            std::mem::take(&mut self.key),
        );
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = sqlx::query("delete from idempotency_key where scope = $1 and key = $2 and state = 'processing'")
                    .bind(scope)
                    .bind(key)
                    .execute(&pool)
                    .await;
            });
        }
    }
}

fn normalise_boundary(body: &[u8], boundary: &str) -> Vec<u8> {
    if boundary.is_empty() {
        return body.to_vec();
    }
    let needle = boundary.as_bytes();
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    while at < body.len() {
        if body[at..].starts_with(needle) {
            out.extend_from_slice(b"BOUNDARY");
            at += needle.len();
        } else {
            out.push(body[at]);
            at += 1;
        }
    }
    out
}

fn hash_of(method: &str, path: &str, content_type: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [method.as_bytes(), path.as_bytes(), content_type.as_bytes()] {
        hasher.update(part);
        hasher.update([0]);
    }
    hasher.update(body);
    hex(&hasher.finalize())
}

/// Forgets keys older than [`KEEP_DAYS`].
pub async fn tidy(pool: &sqlx::PgPool) -> sqlx::Result<()> {
    sqlx::query("delete from idempotency_key where created_at < now() - make_interval(days => $1)")
        .bind(KEEP_DAYS as i32)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_body_hashes_the_same_whatever_its_boundary() {
        let a = b"--aaa\r\ncontent\r\n--aaa--";
        let b = b"--bbbbbb\r\ncontent\r\n--bbbbbb--";
        assert_eq!(
            hash_of("POST", "/x", "multipart", &normalise_boundary(a, "aaa")),
            hash_of("POST", "/x", "multipart", &normalise_boundary(b, "bbbbbb"))
        );
    }
}
