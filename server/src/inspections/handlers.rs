//! The inspections API under `/api/v1/inspections`.

use axum::extract::{DefaultBodyLimit, Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::rules;
use super::store::{self, Finding, FindingInput, Item, Recorded, Round, RoundInput, Rule, Stats};
use crate::database::routing::ReadDb;
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem};
use crate::http::idempotency::IdempotencyKey;
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::photos::{self, WithPhotos};
use crate::policy::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(checklists))
        .routes(routes!(rules::list_rules, rules::create_rule))
        .routes(routes!(rules::update_rule))
        .routes(routes!(stats))
        .routes(routes!(one))
        .routes(routes!(act))
        .routes(routes!(record).layer(DefaultBodyLimit::max(photos::MAX_REQUEST_BYTES)))
}

/// The checklist items and which apply to each kind of asset.
#[derive(Debug, Serialize, ToSchema)]
pub struct Checklists {
    pub rules: Vec<Rule>,
    /// kind → rule keys, in order.
    #[schema(value_type = Object)]
    pub by_kind: Value,
}

/// The checklists (for anyone signed in: operators see what they are held to).
#[utoipa::path(get, path = "/inspections/checklists", tag = "In the field",
    responses((status = 200, description = "Rules with their legal basis, by kind of asset", body = Checklists), (status = 401, description = "Log in", body = ErrorBody)))]
pub async fn checklists(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<Checklists>> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    let rules = store::rules(&mut conn).await?;
    let by_kind = store::checklists(&rules);
    Ok(axum::Json(Checklists { rules, by_kind }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `true`: only the caller's own rounds.
    pub mine: Option<bool>,
}

/// Rounds of the wards in the caller's scope, open ones first by date.
#[utoipa::path(get, path = "/inspections", tag = "In the field", operation_id = "list_inspection_rounds", params(ListParams),
    responses((status = 200, description = "Rounds", body = Vec<Round>), (status = 401, description = "Log in", body = ErrorBody), (status = 403, description = "For the ward's staff", body = ErrorBody)))]
pub async fn list(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<Vec<Round>>> {
    let mut conn = db.pool.acquire().await?;
    Ok(axum::Json(
        store::list(&mut conn, &principal, params.mine == Some(true)).await?,
    ))
}

/// A round with its worklist, findings and the checklists it needs (enough to work offline).
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDetail {
    #[serde(flatten)]
    pub round: Round,
    pub items: Vec<Item>,
    pub findings: Vec<Finding>,
    pub checklists: Checklists,
}

async fn detail(state: &AppState, round: Round) -> ApiResult<RoundDetail> {
    let mut conn = state.pool.acquire().await?;
    let items = store::items(&mut conn, round.id).await?;
    let findings = store::findings(&mut conn, Some(round.id), None).await?;
    let rules = store::rules(&mut conn).await?;
    let by_kind = store::checklists(&rules);
    Ok(RoundDetail {
        round,
        items,
        findings,
        checklists: Checklists { rules, by_kind },
    })
}

/// Plan a round (the ward's staff): its worklist is filled from the area.
#[utoipa::path(post, path = "/inspections", tag = "In the field", operation_id = "plan_inspection_round", request_body = RoundInput,
    responses((status = 201, description = "Planned", body = RoundDetail), (status = 403, description = "Not the ward's staff", body = ErrorBody), (status = 422, description = "Invalid", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<RoundInput>,
) -> ApiResult<Response> {
    let round = store::create(&state.pool, &principal, input).await?;
    let id = round.id;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(detail(&state, round).await?),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/inspections/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// A round (the ward's staff in scope).
#[utoipa::path(get, path = "/inspections/{id}", tag = "In the field", operation_id = "inspection_round", params(("id" = i64, Path)),
    responses((status = 200, description = "The round", body = RoundDetail), (status = 403, description = "Not in your scope", body = ErrorBody), (status = 404, description = "No such round", body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<RoundDetail>> {
    let mut conn = state.pool.acquire().await?;
    let round = store::load(&mut conn, id).await?;
    drop(conn);
    if !principal.may_read_field_work(round.ward_id) {
        principal.require_login()?;
        return Err(ApiError::forbidden(Problem::new(
            Code::OutsideScope,
            "this round is not in your scope",
        )));
    }
    Ok(axum::Json(detail(&state, round).await?))
}

/// `start`, `complete` or `cancel` a round.
#[utoipa::path(post, path = "/inspections/{id}/actions/{action}", tag = "In the field", operation_id = "inspection_round_step",
    params(("id" = i64, Path), ("action" = String, Path, description = "start, complete, cancel")),
    responses((status = 200, description = "The round", body = Round), (status = 403, description = "Not the ward's staff", body = ErrorBody), (status = 409, description = "Not possible now", body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, action)): Path<(i64, String)>,
) -> ApiResult<axum::Json<Round>> {
    Ok(axum::Json(
        store::act(&state.pool, &principal, id, &action).await?,
    ))
}

/// Record a finding (JSON, or multipart with `data` and `photo` parts). A
/// rule failed opens a violation; on a follow-up, a rule passed closes it.
/// If the asset changed since `asset_version`, 409 lists the changes.
#[utoipa::path(post, path = "/inspections/{id}/findings", tag = "In the field", operation_id = "record_finding", params(("id" = i64, Path)),
    request_body(content = FindingInput, description = "The answers (or multipart: `data` + `photo` parts)"),
    responses((status = 201, description = "Recorded", body = Recorded), (status = 409, description = "The asset changed since it was seen", body = ErrorBody),
               (status = 422, description = "Invalid", body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    key: Option<Extension<IdempotencyKey>>,
    WithPhotos { data, photos }: WithPhotos<FindingInput>,
) -> ApiResult<Response> {
    let recorded = store::record_finding(
        &state.pool,
        &principal,
        id,
        data,
        photos,
        key.as_ref().map(|Extension(k)| k.0.as_str()),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(recorded)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Figures per operator and per ward (the ward's staff and planners).
#[utoipa::path(get, path = "/inspections/stats", tag = "In the field", params(StatsParams),
    responses((status = 200, description = "Figures", body = Stats), (status = 403, description = "For staff", body = ErrorBody)))]
pub async fn stats(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<axum::Json<Stats>> {
    let mut conn = db.pool.acquire().await?;
    Ok(axum::Json(
        store::stats(&mut conn, &principal, params.from, params.to).await?,
    ))
}
