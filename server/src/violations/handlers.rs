//! The violations API under `/api/v1/violations`.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::state::ViolationAction;
use super::store::{self, Event, ListParams, StepInput, ViolationInput, ViolationView};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::database::routing::ReadDb;
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem};
use crate::http::json::ApiJson;
use crate::http::query::{ApiQuery, etag, if_match_version};
use crate::photos::{self, PhotoMeta, WithPhotos};
use crate::policy::Principal;
use crate::state::AppState;
use crate::tabular::{self, Cell, Table, TableFormat};
use crate::vn_time::today;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one))
        .routes(routes!(act).layer(DefaultBodyLimit::max(photos::MAX_REQUEST_BYTES)))
}

/// A violation with its timeline and photos.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationDetail {
    #[serde(flatten)]
    pub view: ViolationView,
    pub timeline: Vec<Event>,
    pub photos: Vec<PhotoMeta>,
}

async fn detail(
    state: &AppState,
    principal: &Principal,
    violation: store::Violation,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let calendar = Calendar::load(&mut conn).await?;
    let timeline = store::events(&mut conn, violation.id).await?;
    let photos = store::photos_of(&mut conn, violation.id).await?;
    let version = violation.version;
    let body = ViolationDetail {
        view: store::view(&calendar, principal, violation),
        timeline,
        photos,
    };
    let mut response = axum::Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// Violations the caller may see, soonest deadline first: the ward's staff
/// their wards', an operator its own. `format=geojson|csv|xlsx`.
#[utoipa::path(get, path = "/violations", tag = "In the field", operation_id = "list_violations", params(ListParams),
    responses((status = 200, description = "Violations", body = Vec<ViolationView>), (status = 401, description = "Log in", body = ErrorBody)))]
pub async fn list(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Response> {
    let geojson = params.format.as_deref() == Some("geojson");
    let format = if geojson {
        TableFormat::Json
    } else {
        tabular::format(params.format.as_deref())?
    };
    let mut conn = db.pool.acquire().await?;
    let views = store::list(&mut conn, &principal, &params).await?;
    if geojson {
        let features: Vec<Value> = views
            .iter()
            .map(|v| {
                json!({"type": "Feature", "id": v.violation.id, "geometry": v.violation.geometry.0,
                       "properties": {"id": v.violation.id, "reference": v.violation.reference, "title": v.violation.title,
                                      "state": v.violation.state, "operator": v.violation.operator, "overdue": v.overdue,
                                      "fix_due": v.violation.fix_due}})
            })
            .collect();
        return Ok((
            [(header::CONTENT_TYPE, "application/geo+json")],
            json!({"type": "FeatureCollection", "features": features}).to_string(),
        )
            .into_response());
    }
    if format == TableFormat::Json {
        return Ok(axum::Json(views).into_response());
    }
    let table = Table {
        title: "Vi phạm".into(),
        columns: [
            "Mã vi phạm",
            "Nội dung",
            "Căn cứ pháp lý",
            "Doanh nghiệp",
            "Phường",
            "Tài sản",
            "Trạng thái",
            "Ngày lập",
            "Hạn khắc phục",
            "Quá hạn",
            "Nguồn",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        rows: views
            .iter()
            .map(|v| {
                let x = &v.violation;
                vec![
                    x.reference.clone().into(),
                    x.title.clone().into(),
                    x.legal_basis.clone().into(),
                    x.operator.clone().into(),
                    x.ward_name.clone().into(),
                    x.asset_code.clone().into(),
                    v.state_label.into(),
                    x.opened_on.format("%d/%m/%Y").to_string().into(),
                    x.fix_due.format("%d/%m/%Y").to_string().into(),
                    Cell::from(if v.overdue { "có" } else { "" }),
                    x.source.clone().into(),
                ]
            })
            .collect(),
    };
    table.respond(
        format,
        &format!("vi-pham-{}", today().format("%Y%m%d")),
        Value::Null,
    )
}

/// Open a violation by hand (the ward's staff).
#[utoipa::path(post, path = "/violations", tag = "In the field", operation_id = "open_violation_by_hand", request_body = ViolationInput,
    responses((status = 201, description = "Opened", body = ViolationDetail), (status = 403, description = "Not the ward's staff", body = ErrorBody), (status = 422, description = "Invalid", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<ViolationInput>,
) -> ApiResult<Response> {
    let violation = store::create(&state.pool, &principal, input).await?;
    let id = violation.id;
    let mut response = detail(&state, &principal, violation).await?;
    *response.status_mut() = StatusCode::CREATED;
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/violations/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// A violation: the ward's staff in scope, the operator responsible.
#[utoipa::path(get, path = "/violations/{id}", tag = "In the field", operation_id = "violation", params(("id" = i64, Path)),
    responses((status = 200, description = "The violation", body = ViolationDetail), (status = 403, description = "Not yours", body = ErrorBody), (status = 404, description = "No such violation", body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let violation = store::load(&mut conn, id, false).await?;
    drop(conn);
    principal.may_read_violation(violation.ward_id, violation.operator_id)?;
    detail(&state, &principal, violation).await
}

/// `report_fixed` (the operator, with a photo as multipart), `verify`, `reject_fix`, `cancel` (the ward).
#[utoipa::path(post, path = "/violations/{id}/actions/{action}", tag = "In the field", operation_id = "violation_step",
    params(("id" = i64, Path), ("action" = String, Path, description = "report_fixed, verify, reject_fix, cancel")),
    request_body(content = StepInput, description = "Why, and for report_fixed the photo (multipart: `data` + `photo`)"),
    responses((status = 200, description = "After the step", body = ViolationDetail), (status = 403, description = "Not your step", body = ErrorBody),
               (status = 409, description = "Not possible now", body = ErrorBody), (status = 422, description = "Missing reason or photo", body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
    WithPhotos { data, photos }: WithPhotos<StepInput>,
) -> ApiResult<Response> {
    let Some(action) = ViolationAction::parse(&action) else {
        let all: Vec<&str> = ViolationAction::ALL.iter().map(|a| a.as_str()).collect();
        return Err(ApiError::not_found(
            Problem::new(
                Code::NotFound,
                format!("unknown action {action:?}; one of {}", all.join(", ")),
            )
            .with("action", action)
            .with("allowed", all),
        ));
    };
    let expected = if_match_version(&headers)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let violation = store::step(&mut tx, &principal, id, action, expected, data, &photos).await?;
    tx.commit().await?;
    detail(&state, &principal, violation).await
}
