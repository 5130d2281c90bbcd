//! Sharing (sử dụng chung): operators other than the owner using an asset —
//! antenna positions on a tower, attachments on a pole, rack space in a
//! cabinet — for a period. Operators must share where capacity allows (Decree
//! 72/2012/NĐ-CP; Telecom Law 24/2023/QH15), so the registry answers "shared by
//! how many" and "how much is free". Contract references and fees are
//! commercially sensitive.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::history::{self, Action};
use super::input::merge_patch;
use super::kind::AssetKind;
use super::store;
use crate::database::constraint::violated;
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::http::query::if_match_version;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
}

/// A tenancy as the API shows it (built in SQL by `asset_tenancies_for`, so
/// this describes it; `openapi_responses` checks answers against it): the
/// contract's reference and fee only to its parties and admins.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Described, not built.
pub struct Tenancy {
    id: i64,
    /// The tenant operator's code.
    tenant: String,
    #[schema(required = true)]
    tenant_name: Option<String>,
    since: NaiveDate,
    #[schema(required = true)]
    until: Option<NaiveDate>,
    #[schema(required = true)]
    capacity_used: Option<i64>,
    contract_ref: Option<String>,
    monthly_fee_vnd: Option<f64>,
    #[schema(required = true)]
    note: Option<String>,
    #[schema(required = false)]
    active: bool,
}

/// A tenancy as submitted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenancyInput {
    /// Code of the tenant operator.
    pub tenant: String,
    /// First day of use.
    pub since: NaiveDate,
    /// Last day of use; open-ended when absent.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Slots (or pipes, attachments) the tenant takes; default 1.
    #[serde(default = "one")]
    pub capacity_used: i32,
    #[serde(default)]
    pub contract_ref: Option<String>,
    #[serde(default)]
    pub monthly_fee_vnd: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

fn one() -> i32 {
    1
}

impl TenancyInput {
    fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        if self.until.is_some_and(|until| until < self.since) {
            problems.add("until", "is before since");
        }
        if !(0..=1000).contains(&self.capacity_used) {
            problems.add("capacity_used", "must be from 0 to 1000");
        }
        if self.monthly_fee_vnd.is_some_and(|fee| fee < 0) {
            problems.add("monthly_fee_vnd", "cannot be negative");
        }
        if self
            .contract_ref
            .as_ref()
            .is_some_and(|c| c.chars().count() > 200)
        {
            problems.add("contract_ref", "is longer than 200 characters");
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
            problems.add("note", "is longer than 4000 characters");
        }
        problems.into_result(())
    }
}

async fn asset_kind(conn: &mut PgConnection, id: i64) -> ApiResult<AssetKind> {
    let kind: Option<String> = sqlx::query_scalar("select kind from asset where id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    kind.and_then(|k| AssetKind::parse(&k))
        .ok_or_else(|| ApiError::not_found(format!("there is no asset with id {id}")))
}

#[utoipa::path(get, path = "/assets/{id}/tenancies", tag = "History and sharing", operation_id = "list_tenancies",
    summary = "Operators sharing an asset",
    params(("id" = i64, Path, description = "The asset")),
    responses((status = 200, description = "Tenancies, oldest first (contract and fee only to its parties and admins).",
               body = Vec<Tenancy>),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 404, description = "No such asset.", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    asset_kind(&mut conn, id).await?;
    let viewer = principal.viewer();
    let tenancies: sqlx::types::Json<Value> =
        sqlx::query_scalar("select asset_tenancies_for($1, $2, $3)")
            .bind(id)
            .bind(viewer.operator_id)
            .bind(viewer.admin)
            .fetch_one(&mut *conn)
            .await?;
    Ok(axum::Json(tenancies.0).into_response())
}

#[utoipa::path(post, path = "/assets/{id}/tenancies", tag = "History and sharing", operation_id = "create_tenancy",
    summary = "Declare a tenancy",
    params(("id" = i64, Path, description = "The asset")),
    request_body = TenancyInput,
    responses((status = 201, description = "Declared.", body = Tenancy),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the owner's member or an admin.", body = ErrorBody),
              (status = 404, description = "No such asset.", body = ErrorBody),
              (status = 409, description = "A stale If-Match.", body = ErrorBody),
              (status = 422, description = "Not valid (or overlapping); `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<TenancyInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let expected = if_match_version(&headers)?;
    let mut tx = state.pool.begin().await?;
    let kind = asset_kind(&mut tx, id).await?;
    let current = store::lock_current(&mut tx, kind, id, expected, &principal).await?;
    principal.may_manage_tenancies(current.owner_id)?;
    input.check()?;
    let before = current.snapshot;
    let tenant_id = check_tenant(&mut tx, id, &input, None).await?;
    let tenancy_id: i64 = sqlx::query_scalar(
        "insert into tenancy (asset_id, tenant_id, since, until, capacity_used, contract_ref, monthly_fee_vnd, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(id)
    .bind(tenant_id)
    .bind(input.since)
    .bind(input.until)
    .bind(input.capacity_used)
    .bind(&input.contract_ref)
    .bind(input.monthly_fee_vnd)
    .bind(&input.note)
    .fetch_one(&mut *tx)
    .await
    .map_err(overlap_problem)?;
    finish(&mut tx, id, &before, &principal).await?;
    tx.commit().await?;
    // The tenant count and sharing flag are drawn on the map.
    state.tiles.asset_changed(id, None).await;
    Ok((
        StatusCode::CREATED,
        axum::Json(tenancy(&state, tenancy_id, &principal).await?),
    )
        .into_response())
}

#[utoipa::path(patch, path = "/assets/{id}/tenancies/{tenancy_id}", tag = "History and sharing", operation_id = "update_tenancy",
    summary = "Change or end a tenancy (JSON Merge Patch)",
    params(("id" = i64, Path, description = "The asset"), ("tenancy_id" = i64, Path, description = "The tenancy")),
    request_body(content = Value, description = "A JSON Merge Patch of the tenancy (fields of TenancyInput)"),
    responses((status = 200, description = "Changed.", body = Tenancy),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the owner's member or an admin.", body = ErrorBody),
              (status = 404, description = "No such asset or tenancy.", body = ErrorBody),
              (status = 409, description = "A stale If-Match.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, tenancy_id)): Path<(i64, i64)>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let expected = if_match_version(&headers)?;
    let mut tx = state.pool.begin().await?;
    let kind = asset_kind(&mut tx, id).await?;
    let current = store::lock_current(&mut tx, kind, id, expected, &principal).await?;
    principal.may_manage_tenancies(current.owner_id)?;
    let before = current.snapshot;
    let current: Option<sqlx::types::Json<Value>> = sqlx::query_scalar(
        "select jsonb_build_object('tenant', o.code, 'since', t.since, 'until', t.until, 'capacity_used', t.capacity_used,
                'contract_ref', t.contract_ref, 'monthly_fee_vnd', t.monthly_fee_vnd, 'note', t.note)
         from tenancy t join operator o on o.id = t.tenant_id
         where t.id = $1 and t.asset_id = $2",
    )
    .bind(tenancy_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(sqlx::types::Json(mut document)) = current else {
        return Err(ApiError::not_found(format!(
            "asset {id} has no tenancy {tenancy_id}"
        )));
    };
    if patch
        .get("tenant")
        .is_some_and(|t| *t != document["tenant"])
    {
        return Err(ApiError::invalid(
            "tenant",
            "cannot change; end this tenancy and declare a new one",
        ));
    }
    merge_patch(&mut document, &patch);
    let input: TenancyInput =
        serde_json::from_value(document).map_err(|e| ApiError::invalid("body", e.to_string()))?;
    input.check()?;
    check_tenant(&mut tx, id, &input, Some(tenancy_id)).await?;
    sqlx::query(
        "update tenancy set since = $2, until = $3, capacity_used = $4, contract_ref = $5, monthly_fee_vnd = $6, note = $7
         where id = $1",
    )
    .bind(tenancy_id)
    .bind(input.since)
    .bind(input.until)
    .bind(input.capacity_used)
    .bind(&input.contract_ref)
    .bind(input.monthly_fee_vnd)
    .bind(&input.note)
    .execute(&mut *tx)
    .await
    .map_err(overlap_problem)?;
    finish(&mut tx, id, &before, &principal).await?;
    tx.commit().await?;
    // The tenant count and sharing flag are drawn on the map.
    state.tiles.asset_changed(id, None).await;
    Ok(axum::Json(tenancy(&state, tenancy_id, &principal).await?).into_response())
}

/// Resolves the tenant and checks it is not the owner and that the asset has room.
async fn check_tenant(
    conn: &mut PgConnection,
    asset_id: i64,
    input: &TenancyInput,
    replacing: Option<i64>,
) -> ApiResult<i64> {
    let row: Option<(i64, i64, Option<i32>, i64)> = sqlx::query_as(
        "select o.id, a.owner_id, a.capacity,
                coalesce((select sum(t.capacity_used) from tenancy t
                          where t.asset_id = a.id and active_tenancy(t) and t.id is distinct from $3), 0)::bigint
         from asset a, operator o
         where a.id = $1 and o.code = $2",
    )
    .bind(asset_id)
    .bind(&input.tenant)
    .bind(replacing)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((tenant_id, owner_id, capacity, used)) = row else {
        return Err(ApiError::invalid(
            "tenant",
            format!("{} is not a registered operator", input.tenant),
        ));
    };
    if tenant_id == owner_id {
        return Err(ApiError::invalid(
            "tenant",
            "is the owner of the asset; an owner is not its own tenant",
        ));
    }
    let today = crate::vn_time::today();
    let active = input.since <= today && input.until.is_none_or(|until| until >= today);
    if let Some(capacity) = capacity
        && active
        && used + i64::from(input.capacity_used) > i64::from(capacity)
    {
        return Err(ApiError::invalid(
            "capacity_used",
            format!(
                "the asset has {} of {capacity} slots free",
                (i64::from(capacity) - used).max(0)
            ),
        ));
    }
    Ok(tenant_id)
}

fn overlap_problem(error: sqlx::Error) -> ApiError {
    if violated(&error) == Some("tenancy_no_overlap") {
        return ApiError::invalid(
            "since",
            "this operator already has a tenancy on this asset for an overlapping period",
        );
    }
    ApiError::Database(error)
}

/// A tenancy change is a change of the asset: new version, history entry.
async fn finish(
    conn: &mut PgConnection,
    asset_id: i64,
    before: &Value,
    principal: &Principal,
) -> ApiResult<()> {
    sqlx::query("update asset set version = version + 1, updated_at = now() where id = $1")
        .bind(asset_id)
        .execute(&mut *conn)
        .await?;
    history::record(
        conn,
        asset_id,
        Action::Tenancy,
        &principal.actor(),
        None,
        Some(before),
    )
    .await?;
    Ok(())
}

async fn tenancy(state: &AppState, tenancy_id: i64, principal: &Principal) -> ApiResult<Value> {
    let viewer = principal.viewer();
    let value: Option<sqlx::types::Json<Value>> = sqlx::query_scalar(
        "select t from jsonb_array_elements(
             asset_tenancies_for((select asset_id from tenancy where id = $1), $2, $3)) t
         where (t ->> 'id')::bigint = $1",
    )
    .bind(tenancy_id)
    .bind(viewer.operator_id)
    .bind(viewer.admin)
    .fetch_optional(&state.pool)
    .await?;
    value
        .map(|v| v.0)
        .ok_or_else(|| ApiError::Internal("tenancy vanished".into()))
}
