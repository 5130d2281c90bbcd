//! API tokens for operators' own systems (asset inventories, GIS, scripts):
//! created by a member of the operator, shown once, stored only as a hash,
//! scoped to that operator, revocable at once, with the time of last use.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::password::{digest, random_secret};
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "GIS sync".
    pub name: String,
    /// Operator code; only an admin may name another operator than their own.
    #[serde(default)]
    pub operator: Option<String>,
    /// Days until the token expires; never when absent.
    #[serde(default)]
    pub expires_in_days: Option<i32>,
}

#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub operator: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "select t.id, t.name, o.code as operator, t.prefix, u.username as created_by,
            t.created_at, t.expires_at, t.last_used_at, t.revoked_at
     from api_token t join operator o on o.id = t.operator_id left join app_user u on u.id = t.created_by";

async fn operator_id(
    state: &AppState,
    principal: &Principal,
    requested: Option<&str>,
) -> ApiResult<i64> {
    let code = match (requested, principal.operator()) {
        (Some(code), _) => code.to_string(),
        (None, Some(own)) => own.code.clone(),
        (None, None) => {
            return Err(ApiError::invalid(
                "operator",
                "required: the operator the token acts for",
            ));
        }
    };
    let id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
        .bind(&code)
        .fetch_optional(&state.pool)
        .await?;
    let id = id.ok_or_else(|| {
        ApiError::invalid("operator", format!("{code} is not a registered operator"))
    })?;
    principal.may_manage_tokens(id)?;
    Ok(id)
}

/// A new token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub view: TokenView,
    /// The secret: send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub note: String,
}

#[utoipa::path(post, path = "/tokens", tag = "Accounts and audit", operation_id = "create_token",
    summary = "Create an API token (shown once)", request_body = NewToken,
    responses(
        (status = 201, description = "The token, with its secret.", body = CreatedToken),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "May not manage this operator's tokens.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<NewToken>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let operator_id = operator_id(&state, &principal, request.operator.as_deref()).await?;
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("name", "must have 1 to 100 characters"));
    }
    if request
        .expires_in_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        return Err(ApiError::invalid(
            "expires_in_days",
            "must be from 1 to 3650",
        ));
    }
    let token = format!("hat_{}", random_secret());
    let prefix: String = token.chars().take(10).collect();
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into api_token (operator_id, created_by, name, prefix, token_hash, expires_at)
         values ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) returning id",
    )
    .bind(operator_id)
    .bind(principal.user().map(|u| u.id))
    .bind(name)
    .bind(&prefix)
    .bind(digest(&token))
    .bind(request.expires_in_days)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let view: TokenView = sqlx::query_as(&format!("{SELECT} where t.id = $1"))
        .bind(id)
        .fetch_one(&state.pool)
        .await?;
    let body = CreatedToken {
        view,
        token,
        note: "This is the only time the token is shown. Store it safely; send it as `Authorization: Bearer <token>`.".into(),
    };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TokenListParams {
    /// The operator's code (an admin's choice; others see their own).
    operator: Option<String>,
}

#[utoipa::path(get, path = "/tokens", tag = "Accounts and audit", operation_id = "list_tokens",
    summary = "An operator's API tokens (without their secrets)", params(TokenListParams),
    responses(
        (status = 200, description = "Tokens, newest first.", body = Vec<TokenView>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "May not manage this operator's tokens.", body = ErrorBody),
        (status = 422, description = "An admin must name the operator.", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<TokenListParams>,
) -> ApiResult<axum::Json<Vec<TokenView>>> {
    principal.require_login()?;
    let operator_id = operator_id(&state, &principal, params.operator.as_deref()).await?;
    let tokens = sqlx::query_as(&format!(
        "{SELECT} where t.operator_id = $1 order by t.created_at desc"
    ))
    .bind(operator_id)
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(tokens))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "Accounts and audit", operation_id = "revoke_token",
    summary = "Revoke an API token (takes effect at once)",
    params(("id" = i64, Path, description = "The token.")),
    responses(
        (status = 204, description = "Revoked."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "May not manage this operator's tokens.", body = ErrorBody),
        (status = 404, description = "No such token.", body = ErrorBody),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let operator_id: Option<i64> =
        sqlx::query_scalar("select operator_id from api_token where id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
    let operator_id =
        operator_id.ok_or_else(|| ApiError::not_found(format!("there is no API token {id}")))?;
    principal.may_manage_tokens(operator_id)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query("update api_token set revoked_at = coalesce(revoked_at, now()) where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Other servers hear of it from the database (migration 0060).
    state.principals.forget_tokens(&[id]);
    Ok(StatusCode::NO_CONTENT)
}
