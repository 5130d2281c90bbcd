//! In-app notifications: the mailbox. A domain words what happened (a
//! permit's change of state in `permits::notices`, an incident's escalation,
//! a filing's reminder) and hands it here, in its own transaction, to the
//! people it concerns: an operator's members, a ward's reviewers or staff.
//! This module names no domain, so every domain can use it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read_all))
        .routes(routes!(read_one))
}

/// Something a person is told: in Vietnamese and English, about an application.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Notification {
    pub id: i64,
    pub application_id: Option<i64>,
    pub kind: String,
    pub message_vi: String,
    pub message_en: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// Where in the app it points (a report, a violation), when not at an application.
    pub link: Option<String>,
}

/// Someone to tell, and where the message points.
pub struct Message<'a> {
    pub kind: &'a str,
    pub vi: &'a str,
    pub en: &'a str,
    /// An address in the app (`/su-co/12`).
    pub link: &'a str,
    /// Sent once per key and person.
    pub dedupe_key: Option<String>,
}

/// Notifies every active member of an operator, with a link.
pub async fn operator_members(
    conn: &mut PgConnection,
    operator_id: i64,
    message: &Message<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into notification (user_id, kind, message_vi, message_en, dedupe_key, link)
         select u.id, $2, $3, $4, $5, $6 from app_user u where u.operator_id = $1 and u.disabled_at is null
         on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing",
    )
    .bind(operator_id)
    .bind(message.kind)
    .bind(message.vi)
    .bind(message.en)
    .bind(&message.dedupe_key)
    .bind(message.link)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notifies the reviewers whose scope covers the ward (or, with `admins`, the administrators), with a link.
pub async fn ward_staff(
    conn: &mut PgConnection,
    ward_id: Option<i64>,
    admins: bool,
    message: &Message<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into notification (user_id, kind, message_vi, message_en, dedupe_key, link)
         select distinct u.id, $2, $3, $4, $5, $6
         from app_user u
         left join user_scope s on s.user_id = u.id
         left join admin_unit scope on scope.id = s.admin_unit_id
         left join admin_unit w on w.id = $1 and (w.id = scope.id or w.parent_id = scope.id)
         where u.disabled_at is null
           and ((u.role = 'reviewer' and w.id is not null) or ($7 and u.role = 'admin'))
         on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing",
    )
    .bind(ward_id)
    .bind(message.kind)
    .bind(message.vi)
    .bind(message.en)
    .bind(&message.dedupe_key)
    .bind(message.link)
    .bind(admins)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notifies the reviewers and planners whose scope meets any of `wards`
/// (those who open data calls and triage challenges), with a link.
pub async fn scope_staff(
    conn: &mut PgConnection,
    wards: &[i64],
    message: &Message<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into notification (user_id, kind, message_vi, message_en, dedupe_key, link)
         select distinct u.id, $2, $3, $4, $5, $6
         from app_user u
         join user_scope s on s.user_id = u.id
         join admin_unit scope on scope.id = s.admin_unit_id
         join admin_unit w on w.id = any($1) and (w.id = scope.id or w.parent_id = scope.id)
         where u.role in ('reviewer', 'planner') and u.disabled_at is null
         on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing",
    )
    .bind(wards)
    .bind(message.kind)
    .bind(message.vi)
    .bind(message.en)
    .bind(&message.dedupe_key)
    .bind(message.link)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notifies every active member of an operator.
pub async fn to_operator(
    conn: &mut PgConnection,
    operator_id: i64,
    application_id: Option<i64>,
    kind: &str,
    vi: &str,
    en: &str,
    dedupe_key: Option<String>,
) -> sqlx::Result<()> {
    to_operator_but(
        conn,
        operator_id,
        application_id,
        kind,
        vi,
        en,
        dedupe_key,
        None,
    )
    .await
}

/// [`to_operator`], leaving out the person who did what is told (nobody needs
/// telling of their own action).
#[allow(clippy::too_many_arguments)]
pub async fn to_operator_but(
    conn: &mut PgConnection,
    operator_id: i64,
    application_id: Option<i64>,
    kind: &str,
    vi: &str,
    en: &str,
    dedupe_key: Option<String>,
    except_user: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into notification (user_id, application_id, kind, message_vi, message_en, dedupe_key)
         select u.id, $2, $3, $4, $5, $6 from app_user u
         where u.operator_id = $1 and u.disabled_at is null and u.id is distinct from $7
         on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing",
    )
    .bind(operator_id)
    .bind(application_id)
    .bind(kind)
    .bind(vi)
    .bind(en)
    .bind(dedupe_key)
    .bind(except_user)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notifies the reviewers whose scope covers the ward.
pub async fn to_reviewers(
    conn: &mut PgConnection,
    ward_id: Option<i64>,
    application_id: Option<i64>,
    kind: &str,
    vi: &str,
    en: &str,
    dedupe_key: Option<String>,
) -> sqlx::Result<()> {
    to_reviewers_but(
        conn,
        ward_id,
        application_id,
        kind,
        vi,
        en,
        dedupe_key,
        None,
    )
    .await
}

/// [`to_reviewers`], leaving out the reviewer who did what is told.
#[allow(clippy::too_many_arguments)]
pub async fn to_reviewers_but(
    conn: &mut PgConnection,
    ward_id: Option<i64>,
    application_id: Option<i64>,
    kind: &str,
    vi: &str,
    en: &str,
    dedupe_key: Option<String>,
    except_user: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into notification (user_id, application_id, kind, message_vi, message_en, dedupe_key)
         select distinct u.id, $2, $3, $4, $5, $6
         from app_user u
         join user_scope s on s.user_id = u.id
         join admin_unit scope on scope.id = s.admin_unit_id
         join admin_unit w on w.id = $1 and (w.id = scope.id or w.parent_id = scope.id)
         where u.role = 'reviewer' and u.disabled_at is null and u.id is distinct from $7
         on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing",
    )
    .bind(ward_id)
    .bind(application_id)
    .bind(kind)
    .bind(vi)
    .bind(en)
    .bind(dedupe_key)
    .bind(except_user)
    .execute(conn)
    .await?;
    Ok(())
}

/// My notifications, unread first (the 200 newest).
#[utoipa::path(get, path = "/notifications", tag = "Notifications", operation_id = "list_notifications",
    summary = "My notifications, unread first",
    responses(
        (status = 200, description = "Notifications.", body = Vec<Notification>),
        (status = 401, description = "Not logged in as a person.", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<Notification>>> {
    let user = principal
        .user()
        .ok_or_else(|| ApiError::unauthorized("log in to read notifications"))?;
    let notifications = sqlx::query_as(
        "select id, application_id, kind, message_vi, message_en, created_at, read_at, link
         from notification where user_id = $1
         order by read_at is not null, created_at desc
         limit 200",
    )
    .bind(user.id)
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(notifications))
}

/// Marks one of my notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "Notifications", operation_id = "read_notification",
    summary = "Mark one notification read",
    params(("id" = i64, Path, description = "The notification.")),
    responses(
        (status = 204, description = "Done."),
        (status = 401, description = "Not logged in as a person.", body = ErrorBody),
        (status = 404, description = "No such notification of mine.", body = ErrorBody),
    ))]
async fn read_one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let user = principal
        .user()
        .ok_or_else(|| ApiError::unauthorized("log in to read notifications"))?;
    let done = sqlx::query(
        "update notification set read_at = coalesce(read_at, now()) where id = $1 and user_id = $2",
    )
    .bind(id)
    .bind(user.id)
    .execute(&state.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(format!(
            "you have no notification {id}"
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Marks all my notifications read.
#[utoipa::path(post, path = "/notifications/read", tag = "Notifications", operation_id = "read_all_notifications",
    summary = "Mark all my notifications read",
    responses(
        (status = 204, description = "Done."),
        (status = 401, description = "Not logged in as a person.", body = ErrorBody),
    ))]
async fn read_all(State(state): State<AppState>, principal: Principal) -> ApiResult<StatusCode> {
    let user = principal
        .user()
        .ok_or_else(|| ApiError::unauthorized("log in to read notifications"))?;
    sqlx::query("update notification set read_at = now() where user_id = $1 and read_at is null")
        .bind(user.id)
        .execute(&state.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
