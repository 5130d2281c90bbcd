//! Logging in and out. A login that succeeds starts a server-side session:
//! the browser gets an HttpOnly, SameSite=Strict cookie (Secure behind TLS)
//! and a CSRF token for its writes. Sessions end after a period without use
//! and, in any case, after a maximum age. Repeated failed logins for one
//! username or from one address are throttled.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::password::{self, digest, random_secret};
use super::policy::{Principal, User};
use super::principal::{SESSION_COOKIE, load_user};
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::state::AppState;

/// Failed logins allowed per username, and per address, in the window.
const MAX_FAILURES_PER_USERNAME: i64 = 5;
const MAX_FAILURES_PER_ADDRESS: i64 = 20;
const FAILURE_WINDOW_MINUTES: i32 = 15;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The current user, as the web app shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: super::policy::Role,
    /// Code of the operator of an operator member.
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

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let username = request.username.trim().to_lowercase();
    let remote = remote.ip().to_string();
    let (by_username, by_address): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where username = $1), count(*) filter (where remote = $2)
         from login_attempt
         where not succeeded and at > now() - make_interval(mins => $3)",
    )
    .bind(&username)
    .bind(&remote)
    .bind(FAILURE_WINDOW_MINUTES)
    .fetch_one(&state.pool)
    .await?;
    if by_username >= MAX_FAILURES_PER_USERNAME || by_address >= MAX_FAILURES_PER_ADDRESS {
        return Err(ApiError::TooManyRequests {
            retry_after_seconds: FAILURE_WINDOW_MINUTES as u64 * 60,
            message: "too many failed logins; wait 15 minutes and try again".into(),
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
    sqlx::query("insert into login_attempt (username, remote, succeeded) values ($1, $2, $3)")
        .bind(&username)
        .bind(&remote)
        .bind(succeeded)
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
    let cookie = session_cookie(
        &secret,
        state.settings.session_max_hours * 3600,
        secure(&state, &headers),
    );
    let body = SessionView {
        user: UserView::from(&user),
        csrf_token,
    };
    Ok(([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response())
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

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let jar = CookieJar::from_headers(&headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        sqlx::query("delete from user_session where token_hash = $1")
            .bind(digest(cookie.value()))
            .execute(&state.pool)
            .await?;
        // Other servers hear of it from the database (migration 0060).
        state.principals.forget_session(&digest(cookie.value()));
    }
    let cleared = session_cookie("", 0, secure(&state, &headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared)]).into_response())
}

/// `GET /api/v1/auth/me`: the user of the session (with its CSRF token), or the token.
pub async fn me(
    State(state): State<AppState>,
    db: crate::database::routing::ReadDb,
    headers: HeaderMap,
    principal: Principal,
) -> ApiResult<Response> {
    match &principal {
        Principal::Public => Err(ApiError::unauthorized("not logged in")),
        Principal::Token { id, name, operator } => Ok(axum::Json(serde_json::json!({
            "token": {"id": id, "name": name, "operator": operator.code}
        }))
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
            Ok(axum::Json(SessionView {
                user: UserView::from(user),
                csrf_token,
            })
            .into_response())
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/v1/auth/password`: changes one's own password and ends every
/// other session of the user.
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
