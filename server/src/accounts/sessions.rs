//! Logging in and out. A login that succeeds starts a server-side session:
//! the browser gets an HttpOnly, SameSite=Strict cookie (Secure behind TLS)
//! and a CSRF token for its writes. Sessions end after a period without use
//! and, in any case, after a maximum age.
//!
//! Throttling slows guessing without letting anyone lock a person out: failed
//! logins for a username, or from an address, make the next attempt wait a
//! delay that doubles with each failure (capped: 15 minutes for a username,
//! one minute for an address, so an office behind one NAT address is slowed,
//! not shut out). A browser that once signed in as the user carries a device
//! cookie; from a known device only that device's own failures count, so the
//! right password from there gets in while an attacker elsewhere keeps
//! failing for the same name.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::password::{self, digest, random_secret};
use super::principal::{SESSION_COOKIE, load_user};
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::policy::{Principal, User};
use crate::state::AppState;

/// Failures that cost nothing yet, per username (or device) and per address.
const FREE_FAILURES_PER_USERNAME: i64 = 4;
const FREE_FAILURES_PER_ADDRESS: i64 = 19;
/// Longest delays, seconds.
const MAX_DELAY_PER_USERNAME: u64 = 15 * 60;
const MAX_DELAY_PER_ADDRESS: u64 = 60;
/// Failures older than this are forgotten.
const FAILURE_WINDOW_MINUTES: i32 = 60;
/// The cookie that marks a browser that signed in before.
pub const DEVICE_COOKIE: &str = "hatang_device";
/// How long a device stays known, days.
const DEVICE_DAYS: i64 = 365;

/// Seconds to wait after the last of `failures` failures: nothing for the
/// first `free`, then 2 s, 4 s, 8 s, … up to `cap`.
pub fn delay_seconds(failures: i64, free: i64, cap: u64) -> u64 {
    if failures <= free {
        return 0;
    }
    let doublings = (failures - free).min(32) as u32;
    (1u64 << doublings).min(cap)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    #[schema(format = Password)]
    pub password: String,
}

/// The current user, as the web app shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: crate::policy::Role,
    /// Code of the operator of an operator member.
    #[schema(required = true)]
    pub operator: Option<String>,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            operator: user.operator.as_ref().map(|o| o.code.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    /// Send it as `X-CSRF-Token` with every write made with the session cookie.
    pub csrf_token: String,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    operator_id: Option<i64>,
    operator_code: Option<String>,
    password_hash: String,
    disabled: bool,
}

/// Who asks, as `GET /auth/me` answers: a person's session, or an API token.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Me {
    Session(SessionView),
    Token { token: TokenIdentity },
}

/// The API token a request is made with.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenIdentity {
    pub id: i64,
    pub name: String,
    /// The code of the token's operator.
    pub operator: String,
}

#[utoipa::path(post, path = "/auth/login", tag = "Accounts and audit", operation_id = "login",
    summary = "Log in: starts a session (cookie) and returns the CSRF token", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; `Set-Cookie` carries the session.", body = SessionView),
        (status = 401, description = "Wrong username or password, or a disabled account.", body = ErrorBody),
        (status = 429, description = "Too many failed logins; see Retry-After.", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let username = request.username.trim().to_lowercase();
    let remote = remote.ip().to_string();
    let jar = CookieJar::from_headers(&headers);
    let device = jar.get(DEVICE_COOKIE).map(|c| digest(c.value()));
    let known_device: Option<Vec<u8>> = match &device {
        Some(hash) => {
            sqlx::query_scalar(
                "select d.device_hash from login_device d join app_user u on u.id = d.user_id
             where d.device_hash = $1 and u.username = $2",
            )
            .bind(hash)
            .bind(&username)
            .fetch_optional(&state.pool)
            .await?
        }
        None => None,
    };
    let wait = throttle(&state, &username, &remote, known_device.as_deref()).await?;
    if wait > 0 {
        return Err(ApiError::TooManyRequests {
            retry_after_seconds: wait,
            message: format!("too many failed logins; wait {wait} seconds and try again").into(),
        });
    }
    let candidate: Option<Candidate> = sqlx::query_as(
        "select u.id, u.username, u.display_name, u.role, u.operator_id, o.code as operator_code,
                u.password_hash, u.disabled_at is not null as disabled
         from app_user u left join operator o on o.id = u.operator_id
         where u.username = $1",
    )
    .bind(&username)
    .fetch_optional(&state.pool)
    .await?;
    let hash = candidate.as_ref().map(|c| c.password_hash.clone());
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || password::verify(&password, hash.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let succeeded = matches && candidate.as_ref().is_some_and(|c| !c.disabled);
    sqlx::query(
        "insert into login_attempt (username, remote, succeeded, device_hash) values ($1, $2, $3, $4)",
    )
    .bind(&username)
    .bind(&remote)
    .bind(succeeded)
    .bind(&known_device)
    .execute(&state.pool)
    .await?;
    let Some(candidate) = candidate.filter(|_| succeeded) else {
        tracing::info!(%username, %remote, "failed login");
        return Err(ApiError::unauthorized("wrong username or password"));
    };
    let user = load_user(
        &state.pool,
        candidate.id,
        candidate.username,
        candidate.display_name,
        &candidate.role,
        candidate.operator_id,
        candidate.operator_code,
    )
    .await?;
    let secret = random_secret();
    let csrf_token = random_secret();
    sqlx::query(
        "insert into user_session (token_hash, user_id, csrf_token, expires_at)
         values ($1, $2, $3, now() + make_interval(hours => $4))",
    )
    .bind(digest(&secret))
    .bind(user.id)
    .bind(&csrf_token)
    .bind(state.settings.session_max_hours as i32)
    .execute(&state.pool)
    .await?;
    tracing::info!(username = %user.username, "logged in");
    let secure = secure(&state, &headers);
    let cookie = session_cookie(&secret, state.settings.session_max_hours * 3600, secure);
    // The browser is a known device of the user from now on.
    let device_secret = match (&known_device, jar.get(DEVICE_COOKIE)) {
        (Some(_), Some(cookie)) => cookie.value().to_string(),
        _ => random_secret(),
    };
    sqlx::query(
        "insert into login_device (device_hash, user_id) values ($1, $2)
         on conflict (device_hash) do update set user_id = excluded.user_id, last_login_at = now()",
    )
    .bind(digest(&device_secret))
    .bind(user.id)
    .execute(&state.pool)
    .await?;
    let device_cookie = HeaderValue::from_str(&format!(
        "{DEVICE_COOKIE}={device_secret}; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age={}{}",
        DEVICE_DAYS * 86_400,
        if secure { "; Secure" } else { "" }
    ))
    .expect("a cookie of URL-safe characters is a valid header");
    let body = SessionView {
        user: UserView::from(&user),
        csrf_token,
    };
    let mut response = axum::Json(body).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
        .headers_mut()
        .append(header::SET_COOKIE, device_cookie);
    Ok(response)
}

/// Seconds the attempt must still wait (0: it may go ahead). From a known
/// device only its own failures count; otherwise those for the username (from
/// unknown devices) and those from the address.
async fn throttle(
    state: &AppState,
    username: &str,
    remote: &str,
    known_device: Option<&[u8]>,
) -> ApiResult<u64> {
    let (failures, last, address_failures, address_last): (
        i64,
        Option<f64>,
        i64,
        Option<f64>,
    ) = sqlx::query_as(
        "with recent as (
             select * from login_attempt where at > now() - make_interval(mins => $4)
         ),
         own as (
             -- Failures since the last success, of this device or of unknown devices for this name.
             select r.* from recent r
             where r.username = $1
               and (($3::bytea is null and r.device_hash is null) or r.device_hash = $3)
               and r.at > coalesce((select max(at) from recent s where s.username = $1 and s.succeeded
                                      and (($3::bytea is null) or s.device_hash = $3)), '-infinity')
         )
         select (select count(*) from own where not succeeded),
                (select extract(epoch from now() - max(at))::float8 from own where not succeeded),
                (select count(*) from recent where remote = $2 and not succeeded and device_hash is null),
                (select extract(epoch from now() - max(at))::float8 from recent
                  where remote = $2 and not succeeded and device_hash is null)",
    )
    .bind(username)
    .bind(remote)
    .bind(known_device)
    .bind(FAILURE_WINDOW_MINUTES)
    .fetch_one(&state.pool)
    .await?;
    let remaining = |delay: u64, since: Option<f64>| -> u64 {
        let since = since.unwrap_or(f64::MAX);
        if (delay as f64) > since {
            (delay as f64 - since).ceil() as u64
        } else {
            0
        }
    };
    let own = remaining(
        delay_seconds(failures, FREE_FAILURES_PER_USERNAME, MAX_DELAY_PER_USERNAME),
        last,
    );
    if known_device.is_some() {
        return Ok(own);
    }
    let address = remaining(
        delay_seconds(
            address_failures,
            FREE_FAILURES_PER_ADDRESS,
            MAX_DELAY_PER_ADDRESS,
        ),
        address_last,
    );
    Ok(own.max(address))
}

fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.settings.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https")
}

fn session_cookie(value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    ))
    .expect("a cookie of URL-safe characters is a valid header")
}

/// `POST /api/v1/auth/logout`: ends the session. Like every write made with
/// the cookie it needs the session's CSRF token, so another site cannot sign
/// a person out; without a live session there is nothing to end.
#[utoipa::path(post, path = "/auth/logout", tag = "Accounts and audit", operation_id = "logout",
    summary = "Log out", responses((status = 204, description = "The session is over.")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let jar = CookieJar::from_headers(&headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let sent = headers
            .get(super::principal::CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let ended =
            sqlx::query("delete from user_session where token_hash = $1 and csrf_token = $2")
                .bind(digest(cookie.value()))
                .bind(sent)
                .execute(&state.pool)
                .await?;
        if ended.rows_affected() == 0 {
            let live: bool = sqlx::query_scalar(
                "select exists (select 1 from user_session where token_hash = $1)",
            )
            .bind(digest(cookie.value()))
            .fetch_one(&state.pool)
            .await?;
            if live {
                return Err(ApiError::CsrfFailed);
            }
        }
        // Other servers hear of it from the database (migration 0060).
        state.principals.forget_session(&digest(cookie.value()));
    }
    let cleared = session_cookie("", 0, secure(&state, &headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared)]).into_response())
}

/// `GET /api/v1/auth/me`: the user of the session (with its CSRF token), or the token.
#[utoipa::path(get, path = "/auth/me", tag = "Accounts and audit", operation_id = "me",
    summary = "Who is logged in (and the session's CSRF token)",
    responses(
        (status = 200, description = "The user and the session's CSRF token, or the token.", body = Me),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    ))]
pub async fn me(
    State(state): State<AppState>,
    db: crate::database::routing::ReadDb,
    headers: HeaderMap,
    principal: Principal,
) -> ApiResult<Response> {
    match &principal {
        Principal::Public => Err(ApiError::unauthorized("not logged in")),
        Principal::Token { id, name, operator } => Ok(axum::Json(Me::Token {
            token: TokenIdentity {
                id: *id,
                name: name.clone(),
                operator: operator.code.clone(),
            },
        })
        .into_response()),
        Principal::User(user) => {
            let jar = CookieJar::from_headers(&headers);
            let csrf_token = match jar.get(SESSION_COOKIE) {
                Some(cookie) => super::principal::cached_session(
                    &state,
                    if state.databases.writable() {
                        &state.pool
                    } else {
                        &db.pool
                    },
                    cookie.value(),
                    state.databases.writable(),
                )
                .await?
                .map(|s| s.csrf_token.clone())
                .unwrap_or_default(),
                None => String::new(),
            };
            Ok(axum::Json(Me::Session(SessionView {
                user: UserView::from(user),
                csrf_token,
            }))
            .into_response())
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(min_length = 10)]
    pub new_password: String,
}

/// `POST /api/v1/auth/password`: changes one's own password and ends every
/// other session of the user.
#[utoipa::path(post, path = "/auth/password", tag = "Accounts and audit", operation_id = "change_password",
    summary = "Change one's own password (ends other sessions)", request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed."),
        (status = 401, description = "Not logged in as a person.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    principal: Principal,
    ApiJson(request): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    let Some(user) = principal.user() else {
        return Err(ApiError::unauthorized(
            "log in as a person to change a password",
        ));
    };
    let stored: String = sqlx::query_scalar("select password_hash from app_user where id = $1")
        .bind(user.id)
        .fetch_one(&state.pool)
        .await?;
    let current = request.current_password.clone();
    let matches = tokio::task::spawn_blocking(move || password::verify(&current, Some(&stored)))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !matches {
        return Err(ApiError::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let mut problems = Problems::new();
    password::check_new(
        &request.new_password,
        &user.username,
        "new_password",
        &mut problems,
    );
    problems.into_result(())?;
    let new_hash = tokio::task::spawn_blocking(move || password::hash(&request.new_password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let keep = CookieJar::from_headers(&headers)
        .get(SESSION_COOKIE)
        .map(|c| digest(c.value()));
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query(
        "update app_user set password_hash = $2, password_changed_at = now(), updated_at = now() where id = $1",
    )
    .bind(user.id)
    .bind(new_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from user_session where user_id = $1 and token_hash is distinct from $2")
        .bind(user.id)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    state.principals.forget_users(&[user.id]);
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_after_the_free_failures_up_to_the_cap() {
        let delays: Vec<u64> = (0..=16).map(|n| delay_seconds(n, 4, 900)).collect();
        assert_eq!(&delays[..9], &[0, 0, 0, 0, 0, 2, 4, 8, 16]);
        assert_eq!(delays[13], 512);
        assert_eq!(delays[14], 900);
        assert_eq!(delay_seconds(1_000_000, 4, 900), 900);
        assert_eq!(delay_seconds(25, 19, 60), 60);
    }
}
