//! Managing people's accounts (admins only): roles, the operator of a member,
//! the wards or provinces of a reviewer or planner, disabling, and password
//! resets. New and reset passwords are generated and shown once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::password;
use crate::audit::changes;
use crate::database::constraint::OnConstraint;
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::policy::{Principal, Role};
use crate::state::AppState;

#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub operator: Option<String>,
    /// GSO codes of the wards and provinces a reviewer or planner works in.
    pub scope: Vec<String>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

const SELECT: &str = "select u.id, u.username, u.display_name, u.role, o.code as operator,
            coalesce(array(select a.gso_code from user_scope s join admin_unit a on a.id = s.admin_unit_id
                           where s.user_id = u.id and a.gso_code is not null order by a.gso_code), '{}') as scope,
            u.disabled_at is not null as disabled, u.created_at, u.version
     from app_user u left join operator o on o.id = u.operator_id";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub scope: Vec<String>,
    /// Generated and returned once when absent.
    #[serde(default)]
    pub password: Option<String>,
}

/// An account as an admin sees it after creating or changing it: with the
/// password when one was generated (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserWithPassword {
    #[serde(flatten)]
    pub record: UserRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

#[utoipa::path(get, path = "/users", tag = "Administration", operation_id = "list_users",
    summary = "All accounts",
    responses(
        (status = 200, description = "Accounts.", body = Vec<UserRecord>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an admin.", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<UserRecord>>> {
    principal.may_administer()?;
    let users = sqlx::query_as(&format!("{SELECT} order by u.role, u.username"))
        .fetch_all(&state.pool)
        .await?;
    Ok(axum::Json(users))
}

/// Creates a user; returns the record and the password to hand over.
pub async fn create_user(conn: &mut PgConnection, request: NewUser) -> ApiResult<(i64, String)> {
    let mut problems = Problems::new();
    let username = request.username.trim().to_lowercase();
    let valid_username = username.len() >= 3
        && username.len() <= 40
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if !valid_username {
        problems.add("username", "3 to 40 of a–z, 0–9, '.', '-' and '_'");
    }
    if request.display_name.trim().is_empty() || request.display_name.chars().count() > 200 {
        problems.add("display_name", "must have 1 to 200 characters");
    }
    let password = match request.password {
        Some(p) => {
            password::check_new(&p, &username, "password", &mut problems);
            p
        }
        None => password::random_password(),
    };
    let operator_id = resolve_operator(
        conn,
        request.role,
        request.operator.as_deref(),
        &mut problems,
    )
    .await?;
    let scope = resolve_scope(conn, request.role, &request.scope, &mut problems).await?;
    problems.into_result(())?;
    let hash = tokio::task::spawn_blocking({
        let password = password.clone();
        move || password::hash(&password)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "insert into app_user (username, display_name, role, operator_id, password_hash) values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(&username)
    .bind(request.display_name.trim())
    .bind(request.role.as_str())
    .bind(operator_id)
    .bind(hash)
    .fetch_one(&mut *conn)
    .await
    .on_constraint("app_user_username_key", || {
        ApiError::invalid("username", format!("{username} is already taken"))
    })?;
    set_scope(conn, id, &scope).await?;
    Ok((id, password))
}

#[utoipa::path(post, path = "/users", tag = "Administration", operation_id = "create_user",
    summary = "Create an account (the password is generated and shown once unless given)",
    request_body = NewUser,
    responses(
        (status = 201, description = "Created.", body = UserWithPassword),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an admin.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<NewUser>,
) -> ApiResult<Response> {
    principal.may_administer()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let generated = request.password.is_none();
    let (id, password) = create_user(&mut tx, request).await?;
    tx.commit().await?;
    let record: UserRecord = sqlx::query_as(&format!("{SELECT} where u.id = $1"))
        .bind(id)
        .fetch_one(&state.pool)
        .await?;
    let body = UserWithPassword {
        record,
        password: generated.then_some(password),
    };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub scope: Option<Vec<String>>,
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Generate a new password (returned once) and end the user's sessions.
    #[serde(default)]
    pub reset_password: bool,
}

#[utoipa::path(patch, path = "/users/{id}", tag = "Administration", operation_id = "update_user",
    summary = "Change an account: role, operator, scope, disabled, password reset",
    params(("id" = i64, Path, description = "The account.")),
    request_body = UserChange,
    responses(
        (status = 200, description = "Changed (with the new password after a reset).", body = UserWithPassword),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an admin.", body = ErrorBody),
        (status = 404, description = "No such account.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<UserChange>,
) -> ApiResult<Response> {
    principal.may_administer()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let current: Option<(String, String, Option<String>)> = sqlx::query_as(
        "select u.role, u.username, o.code from app_user u left join operator o on o.id = u.operator_id where u.id = $1 for update of u",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((role, username, operator)) = current else {
        return Err(ApiError::not_found(format!("there is no user {id}")));
    };
    let role = change
        .role
        .or_else(|| Role::parse(&role))
        .ok_or_else(|| ApiError::Internal("unknown role".into()))?;
    if principal.user().is_some_and(|me| me.id == id)
        && (change.disabled == Some(true) || role != Role::Admin)
    {
        return Err(ApiError::invalid(
            "role",
            "you cannot disable yourself or give up your own admin role",
        ));
    }
    let mut problems = Problems::new();
    let operator = if role == Role::OperatorMember {
        change.operator.or(operator)
    } else {
        None
    };
    let operator_id = resolve_operator(&mut tx, role, operator.as_deref(), &mut problems).await?;
    let scope = match &change.scope {
        Some(scope) => Some(resolve_scope(&mut tx, role, scope, &mut problems).await?),
        // Becoming a reviewer or planner needs the wards to work in.
        None if matches!(role, Role::Reviewer | Role::Planner) => {
            let kept: i64 =
                sqlx::query_scalar("select count(*) from user_scope where user_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if kept == 0 {
                problems.add(
                    "scope",
                    "required for a reviewer or planner: the wards or provinces they work in",
                );
            }
            None
        }
        None => None,
    };
    if let Some(name) = &change.display_name
        && (name.trim().is_empty() || name.chars().count() > 200)
    {
        problems.add("display_name", "must have 1 to 200 characters");
    }
    problems.into_result(())?;
    sqlx::query(
        "update app_user set display_name = coalesce($2, display_name), role = $3, operator_id = $4,
                disabled_at = case when $5 is null then disabled_at when $5 then coalesce(disabled_at, now()) else null end,
                updated_at = now(), version = version + 1
         where id = $1",
    )
    .bind(id)
    .bind(change.display_name.as_deref().map(str::trim))
    .bind(role.as_str())
    .bind(operator_id)
    .bind(change.disabled)
    .execute(&mut *tx)
    .await?;
    if let Some(scope) = scope {
        set_scope(&mut tx, id, &scope).await?;
    }
    let mut new_password = None;
    if change.reset_password {
        let password = password::random_password();
        let hash = password::hash(&password);
        sqlx::query(
            "update app_user set password_hash = $2, password_changed_at = now() where id = $1",
        )
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        new_password = Some(password);
    }
    if change.reset_password || change.disabled == Some(true) || change.role.is_some() {
        // A changed role or password takes effect at once: end the user's sessions.
        sqlx::query("delete from user_session where user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    // Other servers hear of it from the database (migration 0060).
    state.principals.forget_users(&[id]);
    tracing::info!(user = %username, "account changed by an admin");
    let record: UserRecord = sqlx::query_as(&format!("{SELECT} where u.id = $1"))
        .bind(id)
        .fetch_one(&state.pool)
        .await?;
    let body = UserWithPassword {
        record,
        password: new_password,
    };
    Ok(axum::Json(body).into_response())
}

async fn resolve_operator(
    conn: &mut PgConnection,
    role: Role,
    code: Option<&str>,
    problems: &mut Problems,
) -> ApiResult<Option<i64>> {
    match (role, code) {
        (Role::OperatorMember, None) => {
            problems.add("operator", "required for an operator member");
            Ok(None)
        }
        (Role::OperatorMember, Some(code)) => {
            let id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
                .bind(code)
                .fetch_optional(&mut *conn)
                .await?;
            if id.is_none() {
                problems.add("operator", format!("{code} is not a registered operator"));
            }
            Ok(id)
        }
        (_, Some(_)) => {
            problems.add("operator", "only operator members belong to an operator");
            Ok(None)
        }
        (_, None) => Ok(None),
    }
}

async fn resolve_scope(
    conn: &mut PgConnection,
    role: Role,
    codes: &[String],
    problems: &mut Problems,
) -> ApiResult<Vec<i64>> {
    if !codes.is_empty() && !matches!(role, Role::Reviewer | Role::Planner) {
        problems.add("scope", "only reviewers and planners have a scope");
        return Ok(Vec::new());
    }
    if codes.is_empty() && matches!(role, Role::Reviewer | Role::Planner) {
        problems.add(
            "scope",
            "required for a reviewer or planner: the wards or provinces they work in",
        );
        return Ok(Vec::new());
    }
    let mut ids = Vec::new();
    for code in codes {
        // A GSO code, or the name of a current ward or province ("Chánh Lộ",
        // "phường chanh lo"), which must name one unit only.
        let found: Vec<(i64, String)> = sqlx::query_as(
            "with code as (
                 select id, coalesce(gso_code, '') from admin_unit
                 where gso_code = $1 and (valid_to is null or valid_to >= current_date)
                 order by valid_from desc limit 1),
             named as (
                 select id, coalesce(gso_code, '') from admin_unit
                 where level in ('ward', 'province') and (valid_to is null or valid_to >= current_date)
                   and vi_fold(name) = regexp_replace(vi_fold(trim($1)), '^(phuong|xa|thi tran|dac khu|tinh|thanh pho) ', ''))
             select * from code union all select * from named where not exists (select 1 from code)",
        )
        .bind(code)
        .fetch_all(&mut *conn)
        .await?;
        match found.as_slice() {
            [(id, _)] => ids.push(*id),
            [] => problems.add(
                "scope",
                format!("{code} is not the GSO code or the name of a current ward or province"),
            ),
            several => problems.add(
                "scope",
                format!(
                    "several units are named {code}: give the code, one of {}",
                    several
                        .iter()
                        .map(|(_, c)| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
    Ok(ids)
}

async fn set_scope(conn: &mut PgConnection, user_id: i64, scope: &[i64]) -> sqlx::Result<()> {
    sqlx::query("delete from user_scope where user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("insert into user_scope (user_id, admin_unit_id) select $1, unnest($2::bigint[])")
        .bind(user_id)
        .bind(scope)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
