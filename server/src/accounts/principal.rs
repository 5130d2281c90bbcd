//! Finding out who is asking: an API token in `Authorization: Bearer …`, a
//! session cookie, or nobody (the public). Cookie-authenticated writes must
//! also carry the session's CSRF token in `X-CSRF-Token`.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use std::sync::Arc;
use std::time::Duration;

use axum_extra::extract::CookieJar;
use sqlx::PgPool;

use super::password::digest;
use crate::http::error::ApiError;
use crate::policy::{OperatorRef, Principal, Role, User};
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "hatang_session";
/// Header that carries the CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // While the primary is lost, people are still recognised from a replica
        // (without recording the use of the session or token).
        let (pool, touch) = if state.databases.writable() {
            (state.pool.clone(), true)
        } else {
            let own_write = crate::database::routing::own_write(parts);
            (state.databases.reader(own_write).await.pool, false)
        };
        if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let value = value.to_str().unwrap_or("");
            let Some(token) = value.strip_prefix("Bearer ").map(str::trim) else {
                return Err(ApiError::unauthorized(
                    "the Authorization header must be `Bearer <API token>`",
                ));
            };
            return cached_token_principal(state, &pool, token, touch).await;
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Ok(Principal::Public);
        };
        let Some(session) = cached_session(state, &pool, cookie.value(), touch).await? else {
            // An expired or unknown session is the same as none.
            return Ok(Principal::Public);
        };
        if !is_safe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(session.csrf_token.as_str()) {
                return Err(ApiError::CsrfFailed);
            }
        }
        Ok(Principal::User(session.user.clone()))
    }
}

/// The principal of an API token, from memory when it was read in the last
/// seconds (see [`super::cache`]), else from `pool`.
pub async fn cached_token_principal(
    state: &AppState,
    pool: &PgPool,
    token: &str,
    touch: bool,
) -> Result<Principal, ApiError> {
    let key = digest(token);
    // Only while writable: the notices come from the primary.
    if touch && let Some(principal) = state.principals.token(&key) {
        return Ok(principal);
    }
    let generation = state.principals.generation();
    let (principal, live_for) = token_lookup(pool, token, touch).await?;
    if touch {
        state
            .principals
            .store_token(&key, principal.clone(), generation, live_for);
    }
    Ok(principal)
}

/// The live session of a cookie value, from memory when it was read in the
/// last seconds (see [`super::cache`]), else from `pool`.
pub async fn cached_session(
    state: &AppState,
    pool: &PgPool,
    cookie: &str,
    touch: bool,
) -> Result<Option<Arc<Session>>, ApiError> {
    let key = digest(cookie);
    if touch && let Some(session) = state.principals.session(&key) {
        return Ok(Some(session));
    }
    let generation = state.principals.generation();
    let Some((session, live_for)) =
        session_lookup(pool, cookie, state.settings.session_idle_minutes, touch).await?
    else {
        return Ok(None);
    };
    let session = Arc::new(session);
    if touch {
        state
            .principals
            .store_session(&key, session.clone(), generation, live_for);
    }
    Ok(Some(session))
}

/// Seconds left as a duration (none when past).
fn seconds_left(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The operator an API token acts for (Open311 clients send it as `api_key`);
/// `touch` records its use (not on a replica).
pub async fn token_principal(
    pool: &PgPool,
    token: &str,
    touch: bool,
) -> Result<Principal, ApiError> {
    Ok(token_lookup(pool, token, touch).await?.0)
}

/// [`token_principal`], and how long the token has left (none: no end).
async fn token_lookup(
    pool: &PgPool,
    token: &str,
    touch: bool,
) -> Result<(Principal, Option<Duration>), ApiError> {
    // A token stops with the account that made it: disabled, or moved to another operator.
    const LIVE_ACCOUNT: &str = "not exists (select 1 from app_user u
                           where u.id = t.created_by
                             and (u.disabled_at is not null
                                  or (u.role <> 'admin' and u.operator_id is distinct from t.operator_id)))";
    let sql = if touch {
        format!(
            "update api_token t set last_used_at = now()
             from operator o
             where t.token_hash = $1 and o.id = t.operator_id
               and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
               and {LIVE_ACCOUNT}
             returning t.id, t.name, o.id, o.code, extract(epoch from t.expires_at - now())::float8"
        )
    } else {
        format!(
            "select t.id, t.name, o.id, o.code, extract(epoch from t.expires_at - now())::float8
             from api_token t join operator o on o.id = t.operator_id
             where t.token_hash = $1
               and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
               and {LIVE_ACCOUNT}"
        )
    };
    let row: Option<(i64, String, i64, String, Option<f64>)> = sqlx::query_as(&sql)
        .bind(digest(token))
        .fetch_optional(pool)
        .await?;
    match row {
        Some((id, name, operator_id, code, left)) => Ok((
            Principal::Token {
                id,
                name,
                operator: OperatorRef {
                    id: operator_id,
                    code,
                },
            },
            left.map(seconds_left),
        )),
        None => Err(ApiError::unauthorized(
            "the API token is unknown, revoked or expired",
        )),
    }
}

/// A live session and its user.
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    username: String,
    display_name: String,
    role: String,
    operator_id: Option<i64>,
    operator_code: Option<String>,
    csrf_token: String,
    /// Seconds until the session ends (by its maximum age or idleness).
    live_seconds: f64,
}

/// The session behind a cookie value, if it is live; marks it as used. The
/// mark is written at most every 30 seconds: a map asks for dozens of tiles
/// at once, and each writing the same row made them wait on its lock in turn.
/// The live session of `cookie`; `touch` records its use (at most every 30 s; not on a replica).
pub async fn session_user(
    pool: &PgPool,
    cookie: &str,
    idle_minutes: i64,
    touch: bool,
) -> Result<Option<Session>, ApiError> {
    Ok(session_lookup(pool, cookie, idle_minutes, touch)
        .await?
        .map(|(session, _)| session))
}

/// [`session_user`], and how long the session has left if unused.
async fn session_lookup(
    pool: &PgPool,
    cookie: &str,
    idle_minutes: i64,
    touch: bool,
) -> Result<Option<(Session, Duration)>, ApiError> {
    const LIVE: &str = "live as (
             select s.token_hash, s.last_seen_at, s.csrf_token, u.id as user_id, u.username, u.display_name,
                    u.role, u.operator_id, o.code as operator_code,
                    extract(epoch from least(s.expires_at - now(),
                                             make_interval(mins => $2) - (now() - s.last_seen_at)))::float8 as live_seconds
             from user_session s
             join app_user u on u.id = s.user_id
             left join operator o on o.id = u.operator_id
             where s.token_hash = $1
               and s.expires_at > now() and s.last_seen_at > now() - make_interval(mins => $2)
               and u.disabled_at is null)";
    const TOUCHED: &str = "touched as (
             update user_session s set last_seen_at = now()
             from live
             where s.token_hash = live.token_hash and live.last_seen_at < now() - interval '30 seconds')";
    const SELECT: &str = "select user_id, username, display_name, role, operator_id, operator_code, csrf_token, live_seconds from live";
    let sql = if touch {
        format!("with {LIVE}, {TOUCHED} {SELECT}")
    } else {
        format!("with {LIVE} {SELECT}")
    };
    let row: Option<SessionRow> = sqlx::query_as(&sql)
        .bind(digest(cookie))
        .bind(idle_minutes as i32)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let user = load_user(
        pool,
        row.user_id,
        row.username,
        row.display_name,
        &row.role,
        row.operator_id,
        row.operator_code,
    )
    .await?;
    Ok(Some((
        Session {
            user,
            csrf_token: row.csrf_token,
        },
        seconds_left(row.live_seconds),
    )))
}

/// Builds a [`User`], expanding provinces in its scope to their wards.
pub async fn load_user(
    pool: &PgPool,
    id: i64,
    username: String,
    display_name: String,
    role: &str,
    operator_id: Option<i64>,
    operator_code: Option<String>,
) -> Result<User, ApiError> {
    let role =
        Role::parse(role).ok_or_else(|| ApiError::Internal(format!("unknown role {role}")))?;
    let scope_wards: Vec<i64> = sqlx::query_scalar(
        "select distinct w.id
         from user_scope s
         join admin_unit u on u.id = s.admin_unit_id
         join admin_unit w on w.level = 'ward' and (w.id = u.id or w.parent_id = u.id)
         where s.user_id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let scope_units: Vec<i64> =
        sqlx::query_scalar("select admin_unit_id from user_scope where user_id = $1")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let operator = match (operator_id, operator_code) {
        (Some(id), Some(code)) => Some(OperatorRef { id, code }),
        _ => None,
    };
    Ok(User {
        id,
        username,
        display_name,
        role,
        operator,
        scope_wards,
        scope_units,
    })
}
