//! The permit API: applications, their actions, checks, timeline and clocks,
//! the reviewer's inbox, and public statistics.

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{Postgres, QueryBuilder};
use utoipa::{IntoParams, ToSchema};

use super::attachments;
use super::checks;
use super::clock::Clock;
use super::document;
use super::lifecycle;
use super::state::{PermitAction, PermitState, Side};
use super::store::{self, ActionInput, Application, ApplicationInput};
use crate::calendar::Calendar;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::http::query::{ApiQuery, etag, if_match_version};
use crate::policy::{Principal, Role};
use crate::state::AppState;
use crate::vn_time::today;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(inbox, create))
        .routes(routes!(stats))
        .routes(routes!(one, update))
        .routes(routes!(act))
        .routes(routes!(rerun_checks))
        .routes(
            routes!(attachments::list, attachments::upload).layer(DefaultBodyLimit::max(
                attachments::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .routes(routes!(attachments::download))
        .routes(routes!(document::html))
        .routes(routes!(document::pdf))
        .routes(routes!(document::docx))
}

const TAG: &str = "Permits";

fn with_etag(version: i32, body: PermitView, status: StatusCode) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// An application with what the caller needs to act on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    #[serde(flatten)]
    pub application: Application,
    pub clock: Clock,
    /// Actions the caller may take now.
    pub actions: Vec<PermitAction>,
}

/// An application with its clock, pre-checks, timeline and attachments: what
/// reading, creating, changing or moving one answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PermitView {
    #[serde(flatten)]
    pub view: ApplicationView,
    /// The last run of the pre-checks, in the order they ran.
    pub checks: Vec<StoredCheck>,
    /// Every event, oldest first.
    pub timeline: Vec<store::Event>,
    pub attachments: Vec<attachments::AttachmentMeta>,
    /// Assets registered from the as-built report.
    pub registered_assets: Vec<i64>,
    /// Once granted: the printed permit's verification code and page.
    #[schema(required = true)]
    pub verification: Option<Verification>,
}

/// A pre-check finding as stored.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct StoredCheck {
    pub check_key: String,
    #[schema(value_type = checks::Outcome)]
    pub outcome: String,
    pub message_vi: String,
    pub message_en: String,
    #[schema(required = true)]
    pub citation: Option<String>,
    #[schema(required = true)]
    pub rule_id: Option<i64>,
    /// Related features for the map (see `Finding`).
    #[schema(value_type = Object)]
    pub details: sqlx::types::Json<Value>,
    pub run_at: chrono::DateTime<chrono::Utc>,
}

/// Where the printed permit can be checked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub code: String,
    /// The public verification page's path.
    pub path: String,
}

fn actions_for(principal: &Principal, application: &Application) -> Vec<PermitAction> {
    let may = |side| match side {
        Side::Applicant => principal.may_apply(application.operator_id).is_ok(),
        Side::Ward => principal.may_review(application.ward_id).is_ok(),
    };
    lifecycle::allowed(&application.facts(), may, today())
}

async fn view(
    state: &AppState,
    principal: &Principal,
    application: Application,
) -> ApiResult<PermitView> {
    let mut conn = state.pool.acquire().await?;
    let calendar = Calendar::load(&mut conn).await?;
    let events = store::events(&mut conn, application.id).await?;
    let clock = store::clock_of(&mut conn, &calendar, &application, &events).await?;
    let checks: Vec<StoredCheck> = sqlx::query_as(
        "select check_key, outcome, message_vi, message_en, citation, rule_id, details, run_at
         from permit_check where application_id = $1 order by id",
    )
    .bind(application.id)
    .fetch_all(&mut *conn)
    .await?;
    let attachments = attachments::metadata(&mut conn, application.id).await?;
    let assets: Vec<i64> = sqlx::query_scalar(
        "select asset_id from permit_asset where application_id = $1 order by asset_id",
    )
    .bind(application.id)
    .fetch_all(&mut *conn)
    .await?;
    let actions = actions_for(principal, &application);
    // What the printed permit carries, so the app can link to the public check.
    let granted_on = events
        .iter()
        .rev()
        .find(|e| e.action == PermitAction::Grant.as_str())
        .map(|e| e.day);
    let verification = granted_on
        .and_then(|day| document::verification(&application, day))
        .map(|(code, path)| Verification { code, path });
    Ok(PermitView {
        view: ApplicationView {
            application,
            clock,
            actions,
        },
        checks,
        timeline: events,
        attachments,
        registered_assets: assets,
        verification,
    })
}

#[utoipa::path(post, path = "/permits", tag = TAG, operation_id = "create_permit",
    summary = "Start an application (a draft)",
    request_body = ApplicationInput,
    responses((status = 201, description = "The draft; `Location` and `ETag` are set.", body = PermitView),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an operator's member.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> ApiResult<Response> {
    let application = store::create(&state.pool, &principal, input).await?;
    let version = application.version;
    let id = application.id;
    let body = view(&state, &principal, application).await?;
    let mut response = with_etag(version, body, StatusCode::CREATED);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/permits/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/permits/{id}", tag = TAG, operation_id = "get_permit",
    summary = "An application with its clock, pre-checks, timeline and attachments",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "The application; `ETag` is set.", body = PermitView),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Neither the applicant nor the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody)))]
async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let application = store::load(&mut conn, id, false).await?;
    drop(conn);
    principal.may_read_application(application.operator_id, application.ward_id)?;
    let version = application.version;
    Ok(with_etag(
        version,
        view(&state, &principal, application).await?,
        StatusCode::OK,
    ))
}

#[utoipa::path(patch, path = "/permits/{id}", tag = TAG, operation_id = "update_permit",
    summary = "Change the file (draft, or when the ward asked for more or for changes); JSON Merge Patch",
    params(("id" = i64, Path, description = "The application")),
    request_body(content = Value, description = "A JSON Merge Patch of the application (fields of ApplicationInput)"),
    responses((status = 200, description = "Changed; the new `ETag` is set.", body = PermitView),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the applicant.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody),
              (status = 409, description = "Its state forbids changes, or a stale If-Match.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<Response> {
    let expected = if_match_version(&headers)?;
    let application = store::update(&state.pool, &principal, id, expected, &patch).await?;
    let version = application.version;
    Ok(with_etag(
        version,
        view(&state, &principal, application).await?,
        StatusCode::OK,
    ))
}

#[utoipa::path(post, path = "/permits/{id}/actions/{action}", tag = TAG, operation_id = "act_on_permit",
    summary = "Move the application: submit, begin_check, request_supplement (once), resubmit, accept, grant, refuse, request_modification, extend (once, ≤ 10 working days), withdraw, lapse, report_start, report_completion",
    params(("id" = i64, Path, description = "The application"),
           ("action" = PermitAction, Path, description = "The action"),
           ("If-Match" = Option<String>, Header, description = "The ETag the action is based on; a stale one gets 409.")),
    request_body(content = ActionInput, description = "Optional: the decision's note, reasons, conditions, dates or as-built data."),
    responses((status = 200, description = "Moved; the application as it now stands.", body = PermitView),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the caller's to take.", body = ErrorBody),
              (status = 404, description = "No such application or action.", body = ErrorBody),
              (status = 409, description = "Not allowed in its state, or a stale If-Match.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn act(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let Some(action) = PermitAction::parse(&action) else {
        let all: Vec<&str> = PermitAction::ALL.iter().map(|a| a.as_str()).collect();
        return Err(ApiError::not_found(format!(
            "unknown action {action:?}; one of {}",
            all.join(", ")
        )));
    };
    let input: ActionInput = if body.is_empty() {
        ActionInput::default()
    } else {
        crate::http::json::parse_json(&body)?
    };
    let expected = if_match_version(&headers)?;
    let application = store::act(&state.pool, &principal, id, action, expected, input).await?;
    let version = application.version;
    Ok(with_etag(
        version,
        view(&state, &principal, application).await?,
        StatusCode::OK,
    ))
}

#[utoipa::path(post, path = "/permits/{id}/checks", tag = TAG, operation_id = "rerun_permit_checks",
    summary = "Run the pre-checks again",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "The findings, in the order the checks ran.", body = Vec<checks::Finding>),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Neither the applicant nor the ward's reviewers.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody)))]
async fn rerun_checks(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let mut tx = state.pool.begin().await?;
    let application = store::load(&mut tx, id, false).await?;
    principal.may_read_application(application.operator_id, application.ward_id)?;
    if principal.may_apply(application.operator_id).is_err()
        && principal.may_review(application.ward_id).is_err()
    {
        return Err(ApiError::forbidden(
            "only the applicant or the ward's reviewers re-run the checks",
        ));
    }
    let findings = checks::run(&mut tx, &application, today()).await?;
    checks::store(&mut tx, id, &findings).await?;
    tx.commit().await?;
    Ok(axum::Json(findings).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct InboxParams {
    /// States, comma-separated.
    state: Option<String>,
    /// Ward GSO code.
    ward: Option<String>,
    /// Operator code.
    operator: Option<String>,
    /// Text in the reference or title.
    q: Option<String>,
    /// `geojson` for the map layer.
    #[param(pattern = "^(json|geojson)$")]
    format: Option<String>,
}

/// The inbox as a map layer (`format=geojson`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PermitCollection {
    #[serde(rename = "type")]
    #[schema(pattern = "^FeatureCollection$")]
    pub kind: &'static str,
    pub features: Vec<PermitFeature>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermitFeature {
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    pub kind: &'static str,
    pub id: i64,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
    pub properties: PermitFeatureProperties,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermitFeatureProperties {
    pub reference: String,
    pub title: String,
    pub state: PermitState,
    pub works_type: super::WorksType,
    pub operator: String,
    pub clock_status: super::clock::ClockStatus,
}

/// The caller's applications, sorted by time left (the most urgent first).
/// Reviewers see their wards', operators their own, admins all.
#[utoipa::path(get, path = "/permits", tag = TAG, operation_id = "list_permits",
    summary = "The caller's applications, most urgent first (reviewers: their wards; operators: their own)",
    params(InboxParams),
    responses((status = 200, description = "Applications with their clocks and the actions the caller may take (or, with `format=geojson`, a map layer).",
               content((Vec<ApplicationView> = "application/json"), (PermitCollection = "application/geo+json"))),
              (status = 400, description = "An unknown state.", body = ErrorBody),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn inbox(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<InboxParams>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        "select p.id from permit_application p join operator o on o.id = p.operator_id
         left join admin_unit w on w.id = p.ward_id where true",
    );
    match &principal {
        Principal::User(user) if user.role == Role::Admin => {}
        Principal::User(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
            query
                .push(" and p.ward_id = any(")
                .push_bind(user.scope_wards.clone())
                .push(")");
            // The ward does not see drafts.
            query.push(" and p.state <> 'draft'");
        }
        _ => {
            query
                .push(" and p.operator_id = ")
                .push_bind(principal.operator().map(|o| o.id).unwrap_or(-1));
        }
    }
    if let Some(states) = &params.state {
        let mut parsed = Vec::new();
        for s in states.split(',') {
            parsed.push(
                PermitState::parse(s.trim())
                    .ok_or_else(|| ApiError::Malformed(format!("unknown state {s:?}")))?
                    .as_str(),
            );
        }
        query
            .push(" and p.state = any(")
            .push_bind(parsed)
            .push(")");
    }
    if let Some(ward) = &params.ward {
        query.push(" and w.gso_code = ").push_bind(ward.clone());
    }
    if let Some(operator) = &params.operator {
        query.push(" and o.code = ").push_bind(operator.clone());
    }
    if let Some(q) = params.q.as_ref().filter(|q| !q.trim().is_empty()) {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query
            .push(" and (p.reference ilike ")
            .push_bind(pattern.clone())
            .push(" or p.title ilike ")
            .push_bind(pattern)
            .push(")");
    }
    query.push(" order by p.id desc limit 500");
    let mut conn = state.pool.acquire().await?;
    let ids: Vec<i64> = query.build_query_scalar().fetch_all(&mut *conn).await?;
    let calendar = Calendar::load(&mut conn).await?;
    let mut entries = Vec::new();
    for id in ids {
        let application = store::load(&mut conn, id, false).await?;
        let events = store::events(&mut conn, application.id).await?;
        let clock = store::clock_of(&mut conn, &calendar, &application, &events).await?;
        let actions = actions_for(&principal, &application);
        entries.push(ApplicationView {
            application,
            clock,
            actions,
        });
    }
    // Most urgent first: least time left, then paused, then the rest.
    entries.sort_by_key(|e| {
        (
            e.clock.working_days_left.unwrap_or(i64::MAX),
            std::cmp::Reverse(e.application.id),
        )
    });
    if params.format.as_deref() == Some("geojson") {
        let features: Vec<PermitFeature> = entries
            .into_iter()
            .map(|e| PermitFeature {
                kind: "Feature",
                id: e.application.id,
                geometry: e.application.geometry,
                properties: PermitFeatureProperties {
                    reference: e.application.reference,
                    title: e.application.title,
                    state: e.application.state,
                    works_type: e.application.works_type,
                    operator: e.application.operator,
                    clock_status: e.clock.status,
                },
            })
            .collect();
        return Ok((
            [(header::CONTENT_TYPE, "application/geo+json")],
            axum::Json(PermitCollection {
                kind: "FeatureCollection",
                features,
            }),
        )
            .into_response());
    }
    Ok(axum::Json(entries).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct StatsParams {
    /// Province GSO code.
    province: Option<String>,
    /// Applications created from this day.
    from: Option<NaiveDate>,
}

/// One ward's permit figures.
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WardStats {
    #[schema(required = true)]
    pub ward_code: Option<String>,
    pub ward_name: String,
    pub pending: u32,
    pub granted: u32,
    pub refused: u32,
    #[serde(skip)]
    #[schema(ignore)]
    times: Vec<i64>,
    /// Median processing time of the decided (not exempt) cases, working days.
    #[schema(required = true)]
    pub median_working_days: Option<f64>,
}

/// The permit procedure's performance per ward (public).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermitStats {
    /// By ward name.
    pub wards: Vec<WardStats>,
    pub as_of: NaiveDate,
}

/// Per ward: pending, granted and refused cases and the median processing
/// time in working days. Public: the procedure's performance is public.
#[utoipa::path(get, path = "/permits/stats", tag = TAG, operation_id = "permit_stats", security(()),
    summary = "Public statistics per ward: pending, granted, refused, median processing time",
    params(StatsParams),
    responses((status = 200, description = "Statistics.", body = PermitStats)))]
async fn stats(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<axum::Json<PermitStats>> {
    let mut conn = state.pool.acquire().await?;
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "select p.id, w.gso_code, coalesce(w.name, '(không xác định)'), p.state
         from permit_application p
         left join admin_unit w on w.id = p.ward_id
         left join admin_unit pr on pr.id = w.parent_id
         where p.state <> 'draft' and ($1::text is null or pr.gso_code = $1)
           and ($2::date is null or p.created_at >= $2)",
    )
    .bind(&params.province)
    .bind(params.from)
    .fetch_all(&mut *conn)
    .await?;
    let calendar = Calendar::load(&mut conn).await?;
    let mut by_ward: HashMap<String, WardStats> = HashMap::new();
    for (id, code, name, state_text) in rows {
        let entry = by_ward.entry(name.clone()).or_insert_with(|| WardStats {
            ward_code: code.clone(),
            ward_name: name.clone(),
            ..Default::default()
        });
        let state = PermitState::parse(&state_text).unwrap_or(PermitState::Draft);
        if state.is_pending() {
            entry.pending += 1;
        }
        if matches!(
            state,
            PermitState::Granted
                | PermitState::WorksStarted
                | PermitState::WorksCompleted
                | PermitState::Lapsed
        ) {
            entry.granted += 1;
        }
        if state == PermitState::Refused {
            entry.refused += 1;
        }
        if !state.is_pending() {
            let application = store::load(&mut conn, id, false).await?;
            let events = store::events(&mut conn, id).await?;
            let clock = store::clock_of(&mut conn, &calendar, &application, &events).await?;
            if let Some(days) = clock
                .processing_working_days
                .filter(|_| !application.exempt)
            {
                entry.times.push(days);
            }
        }
    }
    let mut wards: Vec<WardStats> = by_ward.into_values().collect();
    for ward in &mut wards {
        ward.times.sort_unstable();
        ward.median_working_days = median(&ward.times);
    }
    wards.sort_by(|a, b| a.ward_name.cmp(&b.ward_name));
    Ok(axum::Json(PermitStats {
        wards,
        as_of: today(),
    }))
}

fn median(sorted: &[i64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2] as f64),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}
