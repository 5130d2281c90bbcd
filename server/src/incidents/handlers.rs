//! The reports API under `/api/v1/incidents`: the types, the challenge for
//! the public form, filing (JSON, or multipart with photos), the list (JSON,
//! GeoJSON for the map, CSV or XLSX), one report with its timeline, its
//! steps, the operators to propose, and the public status by tracking code.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::guard::{self, Challenge};
use super::kinds::{self, IncidentKind};
use super::state::IncidentAction;
use super::store::{
    self, Candidate, Channel, Event, IncidentView, ListParams, PublicReport, ReportInput, StepInput,
};
use crate::calendar::Calendar;
use crate::database::routing::ReadDb;
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem};
use crate::http::idempotency::IdempotencyKey;
use crate::http::query::{ApiQuery, etag, if_match_version};
use crate::photos::{self, PhotoMeta, WithPhotos};
use crate::policy::{Principal, Role};
use crate::state::AppState;
use crate::tabular::{self, Cell, Table, TableFormat};
use crate::vn_time::today;

pub fn router() -> OpenApiRouter<AppState> {
    let photo_body = || DefaultBodyLimit::max(photos::MAX_REQUEST_BYTES);
    OpenApiRouter::new()
        .routes(routes!(types))
        .routes(routes!(challenge))
        .routes(routes!(list, create).layer(photo_body()))
        .routes(routes!(track))
        .routes(routes!(one))
        .routes(routes!(candidates))
        .routes(routes!(act).layer(photo_body()))
}

/// A type of report with its deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TypeView {
    #[serde(flatten)]
    pub kind: &'static IncidentKind,
    /// Working days the operator has to fix it, from the rule in force.
    pub fix_days: u32,
    pub triage_days: u32,
}

/// The types of report, with their deadlines (public).
#[utoipa::path(get, path = "/incidents/types", tag = "In the field",
    responses((status = 200, description = "The types", body = Vec<TypeView>)))]
pub async fn types(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<TypeView>>> {
    let mut conn = state.pool.acquire().await?;
    let mut out = Vec::new();
    for kind in kinds::ALL {
        let deadlines = store::deadlines(&mut conn, kind.code, today()).await?;
        out.push(TypeView {
            kind,
            fix_days: deadlines.fix_days,
            triage_days: deadlines.triage_days,
        });
    }
    Ok(axum::Json(out))
}

/// A proof-of-work challenge for a report without an account (public).
#[utoipa::path(get, path = "/incidents/challenge", tag = "In the field",
    responses((status = 200, description = "Solve it and send `challenge` and `nonce` with the report", body = Challenge)))]
pub async fn challenge(State(state): State<AppState>) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let challenge = guard::issue(&mut conn, chrono::Utc::now()).await?;
    let mut response = axum::Json(challenge).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// What the reporter gets back: the tracking code and where to follow it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Filed {
    pub id: i64,
    pub reference: String,
    /// The public status page of the report.
    pub tracking_url: String,
    pub status: PublicReport,
    /// The whole report, for the ward's staff and the operators who filed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Value>,
}

/// File a report: JSON, or `multipart/form-data` with the report in a part
/// named `report` and up to six `photo` parts. Without an account, solve a
/// challenge first; an `Idempotency-Key` makes retries safe.
#[utoipa::path(post, path = "/incidents", tag = "In the field", operation_id = "file_incident",
    request_body(content = ReportInput, description = "The report (or multipart: `report` + `photo` parts)"),
    params(("Idempotency-Key" = Option<String>, Header, description = "A key (a UUID) so that a retry does not file the report twice")),
    responses((status = 201, description = "Filed", body = Filed), (status = 422, description = "Invalid", body = ErrorBody),
               (status = 429, description = "Too many reports from this address", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    key: Option<Extension<IdempotencyKey>>,
    WithPhotos { data, photos }: WithPhotos<ReportInput>,
) -> ApiResult<Response> {
    let channel = if principal.user().is_some() || matches!(principal, Principal::Token { .. }) {
        Channel::Staff
    } else {
        Channel::Web
    };
    let incident = store::create(
        &state.pool,
        &principal,
        state.public_origin(&remote.ip().to_string()),
        channel,
        data,
        photos,
        key.as_ref().map(|Extension(k)| k.0.as_str()),
        None,
    )
    .await?;
    filed(&state, &principal, incident).await
}

/// The answer to a filed report (also Open311's, in its own words).
pub async fn filed(
    state: &AppState,
    principal: &Principal,
    incident: store::Incident,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let id = incident.id;
    let status = store::public_view(&mut conn, &incident).await?;
    let report = if principal
        .may_read_incident(incident.ward_id, incident.operator_id)
        .is_ok()
        || incident
            .reporter_user_id
            .is_some_and(|u| principal.user().is_some_and(|me| me.id == u))
    {
        let calendar = Calendar::load(&mut conn).await?;
        let view = store::view(&mut conn, &calendar, principal, incident.clone()).await?;
        Some(serde_json::to_value(view).map_err(|e| ApiError::Internal(e.to_string()))?)
    } else {
        None
    };
    let body = Filed {
        id,
        tracking_url: format!("/phan-anh/{}", incident.reference),
        reference: incident.reference.clone(),
        status,
        report,
    };
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/incidents/track/{}", incident.reference))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The reports the caller may see, most urgent first: the ward's staff their
/// wards', an operator those assigned to it. `format=geojson` for the map,
/// `csv` or `xlsx` to take away.
#[utoipa::path(get, path = "/incidents", tag = "In the field", operation_id = "list_incidents", params(ListParams),
    responses((status = 200, description = "Reports with their clocks", body = Vec<IncidentView>), (status = 401, description = "Log in", body = ErrorBody)))]
pub async fn list(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Response> {
    let format = params.format.clone();
    let table_format = match format.as_deref() {
        Some("geojson") => None,
        other => Some(tabular::format(other)?),
    };
    let mut conn = db.pool.acquire().await?;
    let views = store::list(&mut conn, &principal, &params).await?;
    let Some(table_format) = table_format else {
        let features: Vec<Value> = views
            .iter()
            .map(|v| {
                json!({"type": "Feature", "id": v.incident.id,
                       "geometry": {"type": "Point", "coordinates": [v.incident.lon, v.incident.lat]},
                       "properties": {"id": v.incident.id, "reference": v.incident.reference, "incident_type": v.incident.incident_type,
                                      "type_name_vi": v.type_name_vi, "type_name_en": v.type_name_en, "safety": v.safety,
                                      "state": v.incident.state, "operator": v.incident.operator,
                                      "clock_status": v.clock.status, "due": v.clock.due}})
            })
            .collect();
        return Ok((
            [(header::CONTENT_TYPE, "application/geo+json")],
            json!({"type": "FeatureCollection", "features": features}).to_string(),
        )
            .into_response());
    };
    if table_format == TableFormat::Json {
        return Ok(axum::Json(views).into_response());
    }
    let mut columns = vec![
        "Mã phản ánh",
        "Loại",
        "Trạng thái",
        "Phường",
        "Địa chỉ",
        "Mô tả",
        "Kinh độ",
        "Vĩ độ",
        "Doanh nghiệp",
        "Ngày nhận",
        "Hạn xử lý",
        "Số ngày làm việc còn lại",
        "Kênh",
    ];
    let staff = principal
        .user()
        .is_some_and(|u| matches!(u.role, Role::Admin | Role::Reviewer));
    let contacts = staff
        && views
            .iter()
            .all(|v| principal.sees_reporter_contact(v.incident.ward_id));
    if contacts {
        columns.extend(["Người phản ánh", "Điện thoại", "Thư điện tử"]);
    }
    let rows = views
        .iter()
        .map(|v| {
            let i = &v.incident;
            let mut row: Vec<Cell> = vec![
                i.reference.clone().into(),
                v.type_name_vi.into(),
                i.state.0.label_vi().into(),
                i.ward_name.clone().into(),
                i.address.clone().into(),
                i.description.clone().into(),
                i.lon.into(),
                i.lat.into(),
                i.operator.clone().into(),
                i.received_on.format("%d/%m/%Y").to_string().into(),
                v.clock.due.map(|d| d.format("%d/%m/%Y").to_string()).into(),
                v.clock
                    .working_days_left
                    .map(Cell::from)
                    .unwrap_or(Cell::Empty),
                i.channel.clone().into(),
            ];
            if contacts {
                row.extend([
                    i.contact_name.clone().into(),
                    i.contact_phone.clone().into(),
                    i.contact_email.clone().into(),
                ]);
            }
            row
        })
        .collect();
    let table = Table {
        title: "Phản ánh".into(),
        columns: columns.into_iter().map(String::from).collect(),
        rows,
    };
    table.respond(
        table_format,
        &format!("phan-anh-{}", today().format("%Y%m%d")),
        Value::Null,
    )
}

/// One report with its timeline and photos.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub view: IncidentView,
    pub timeline: Vec<Event>,
    pub photos: Vec<PhotoMeta>,
    /// The public status page.
    pub tracking_url: String,
}

fn with_etag(version: i32, body: impl Serialize, status: StatusCode) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

async fn detail(
    state: &AppState,
    principal: &Principal,
    incident: store::Incident,
) -> ApiResult<IncidentDetail> {
    let mut conn = state.pool.acquire().await?;
    let calendar = Calendar::load(&mut conn).await?;
    let timeline = store::events(&mut conn, incident.id).await?;
    let photos = store::photos_of(&mut conn, incident.id).await?;
    let tracking_url = format!("/phan-anh/{}", incident.reference);
    let view = store::view(&mut conn, &calendar, principal, incident).await?;
    Ok(IncidentDetail {
        view,
        timeline,
        photos,
        tracking_url,
    })
}

/// A report: the ward's staff in scope, and the operator it is assigned to.
#[utoipa::path(get, path = "/incidents/{id}", tag = "In the field", operation_id = "incident",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The report", body = IncidentDetail), (status = 401, description = "Log in", body = ErrorBody),
               (status = 403, description = "Not assigned to your operator", body = ErrorBody), (status = 404, description = "No such report", body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let incident = store::load(&mut conn, id, false).await?;
    drop(conn);
    principal.may_read_incident(incident.ward_id, incident.operator_id)?;
    let version = incident.version;
    Ok(with_etag(
        version,
        detail(&state, &principal, incident).await?,
        StatusCode::OK,
    ))
}

/// Take a step (`triage`, `reject`, `assign`, `acknowledge`, `decline`,
/// `fix` with a photo as multipart, `close`, `reopen`).
#[utoipa::path(post, path = "/incidents/{id}/actions/{action}", tag = "In the field", operation_id = "incident_step",
    params(("id" = i64, Path), ("action" = String, Path, description = "triage, reject, assign, acknowledge, decline, fix, close, reopen")),
    request_body(content = StepInput, description = "Why, whom, and for `fix` the photo (multipart: `data` + `photo`)"),
    responses((status = 200, description = "The report after the step", body = IncidentDetail), (status = 403, description = "Not your step", body = ErrorBody),
               (status = 409, description = "Not possible now", body = ErrorBody), (status = 422, description = "Missing reason, operator or photo", body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
    WithPhotos { data, photos }: WithPhotos<StepInput>,
) -> ApiResult<Response> {
    let Some(action) = IncidentAction::parse(&action) else {
        let all: Vec<&str> = IncidentAction::ALL.iter().map(|a| a.as_str()).collect();
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
    let incident = store::act(&state.pool, &principal, id, action, expected, data, photos).await?;
    let version = incident.version;
    Ok(with_etag(
        version,
        detail(&state, &principal, incident).await?,
        StatusCode::OK,
    ))
}

/// The assets near a report and their owners, nearest first: whom to assign.
#[utoipa::path(get, path = "/incidents/{id}/candidates", tag = "In the field",
    params(("id" = i64, Path)),
    responses((status = 200, description = "Nearby assets and owners", body = Vec<Candidate>), (status = 403, description = "Not the ward's staff", body = ErrorBody)))]
pub async fn candidates(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Candidate>>> {
    let mut conn = state.pool.acquire().await?;
    let incident = store::load(&mut conn, id, false).await?;
    principal.may_read_incident(incident.ward_id, incident.operator_id)?;
    Ok(axum::Json(
        store::candidates(
            &mut conn,
            &incident.incident_type,
            incident.lon,
            incident.lat,
        )
        .await?,
    ))
}

/// The public status of a report by its tracking code: no names, no contact.
#[utoipa::path(get, path = "/incidents/track/{reference}", tag = "In the field",
    params(("reference" = String, Path, description = "The tracking code, PA-2026-000123")),
    responses((status = 200, description = "The status", body = PublicReport), (status = 404, description = "No such report", body = ErrorBody)))]
pub async fn track(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> ApiResult<axum::Json<PublicReport>> {
    let mut conn = state.pool.acquire().await?;
    let incident = store::load_by_reference(&mut conn, &reference).await?;
    Ok(axum::Json(store::public_view(&mut conn, &incident).await?))
}
