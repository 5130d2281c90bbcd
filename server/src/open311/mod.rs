//! Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), the open standard
//! for reports to a city that FixMyStreet and many apps speak, so that they
//! can file reports with Hatang and follow them:
//!
//! | | |
//! |---|---|
//! | `GET /open311/v2/discovery.json` | the service discovery document |
//! | `GET /open311/v2/services.json` | the types of report (`service_code`) |
//! | `GET /open311/v2/services/{service_code}.json` | a type's definition (no extra attributes) |
//! | `POST /open311/v2/requests.json` | file a report (form-encoded; multipart with a `media` file also taken) |
//! | `GET /open311/v2/requests.json` | reports, by `service_request_id`, `service_code`, `start_date`, `end_date`, `status` |
//! | `GET /open311/v2/requests/{service_request_id}.json` | one report |
//!
//! Every resource is also offered as `.xml`, the format the standard
//! requires. `jurisdiction_id` is optional; when given it is a ward's or a
//! province's GSO code. `api_key` is optional too: without it a report is the
//! public's (counted against the address's hourly limit), with a Hatang API
//! token it is filed for the token's operator. `service_request_id` is the
//! report's tracking code (`PA-2026-000123`). Statuses are `open` and
//! `closed`; the description and the photo are shown once the ward has looked
//! at the report, and the reporter's name, e-mail and phone never are.
//! Errors have Open311's shape: `[{"code": 400, "description": "…"}]`.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State,
};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::calendar::Calendar;
use crate::http::error::ApiError;
use crate::incidents::kinds;
use crate::incidents::state::IncidentState;
use crate::incidents::store::{self, Channel, Incident, ReportInput};
use crate::photos;
use crate::policy::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    let body_limit = || DefaultBodyLimit::max(photos::MAX_REQUEST_BYTES);
    OpenApiRouter::new()
        .routes(routes!(discovery))
        .routes(routes!(services_json))
        .routes(routes!(services_xml))
        .routes(routes!(requests_json, post_requests_json).layer(body_limit()))
        .routes(routes!(requests_xml, post_requests_xml).layer(body_limit()))
        .routes(routes!(service_definition))
        .routes(routes!(one_request))
        // Any other file: an error in Open311's shape rather than the web app.
        .route("/v2/{resource}", get(unknown).post(unknown))
}

const TAG: &str = "Open311 GeoReport v2";

/// A type of report (an Open311 service).
#[derive(Debug, Serialize, ToSchema)]
pub struct Service {
    /// The report type's code (`pole_fallen`, …).
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Always false: no extra attributes.
    pub metadata: bool,
    /// Always `realtime`.
    #[serde(rename = "type")]
    pub service_type: String,
    /// Comma-separated words.
    pub keywords: String,
    pub group: String,
}

/// A report as Open311 shows it: no name, e-mail or phone; the description
/// and the photo once the ward has looked at it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRequest {
    /// The tracking code, PA-2026-000123.
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub status_notes: String,
    pub service_name: String,
    pub service_code: String,
    pub description: Option<String>,
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    /// ISO 8601 with Vietnam's offset.
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The deadline: the end of its working day.
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: f64,
    pub long: f64,
    pub media_url: Option<String>,
}

/// What a filed report gets back.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledRequest {
    pub service_request_id: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

/// An error as Open311 gives it (in a list).
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311ErrorItem {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}

/// A service's definition: it has no extra attributes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDefinition {
    pub service_code: String,
    #[schema(value_type = Vec<Object>)]
    pub attributes: Vec<Value>,
}

/// The fields of a report filed through Open311 (form-encoded, or multipart
/// with a `media` file). `lat` and `long` are required: addresses are not
/// looked up.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // describes the form; the handler reads it field by field
pub struct RequestForm {
    pub service_code: String,
    pub lat: f64,
    pub long: f64,
    pub address_string: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    /// Kept as a link in the description (not fetched).
    pub media_url: Option<String>,
    /// A Hatang API token: the report is filed for its operator.
    pub api_key: Option<String>,
    /// A ward's or a province's GSO code.
    pub jurisdiction_id: Option<String>,
}

/// Query of the services list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes the query; the handler reads it as a map
pub struct ServicesQuery {
    /// A ward's or a province's GSO code (optional).
    pub jurisdiction_id: Option<String>,
}

/// Query of the requests list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes the query; the handler reads it as a map
pub struct RequestsQuery {
    /// A ward's or a province's GSO code (optional).
    pub jurisdiction_id: Option<String>,
    /// Tracking codes, comma-separated (then the dates are ignored).
    pub service_request_id: Option<String>,
    /// Report types, comma-separated.
    pub service_code: Option<String>,
    /// ISO 8601; 90 days before `end_date` by default.
    pub start_date: Option<String>,
    /// ISO 8601; now by default.
    pub end_date: Option<String>,
    /// `open`, `closed`, or both comma-separated.
    pub status: Option<String>,
    /// 1 by default.
    pub page: Option<i64>,
    /// At most 1000 (the default).
    pub page_size: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// `requests.json` → ("requests", Json).
fn split(file: &str) -> Option<(&str, Format)> {
    if let Some(name) = file.strip_suffix(".json") {
        Some((name, Format::Json))
    } else {
        file.strip_suffix(".xml").map(|name| (name, Format::Xml))
    }
}

/// An error in Open311's shape.
struct Open311Error {
    status: StatusCode,
    description: String,
    format: Format,
    retry_after: Option<u64>,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>, format: Format) -> Self {
        Self {
            status,
            description: description.into(),
            format,
            retry_after: None,
        }
    }

    /// Hatang's error in Open311's words: field names as the standard names them.
    fn from_api(error: ApiError, format: Format) -> Self {
        let status = match error.status() {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        let description = match &error {
            ApiError::Invalid(problems) => problems
                .iter()
                .map(|p| {
                    let field = match p.field.as_str() {
                        "lon" => "long",
                        "incident_type" => "service_code",
                        "contact_email" => "email",
                        "contact_phone" => "phone",
                        "contact_name" => "first_name",
                        other => other,
                    };
                    format!("{field}: {}", p.problem)
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ if status.is_server_error() => {
                tracing::error!(error = ?error, "Open311 request failed");
                "something went wrong on the server; the error has been logged".to_string()
            }
            other => other.to_string(),
        };
        let retry_after = match &error {
            ApiError::TooManyRequests {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        };
        Self {
            retry_after,
            ..Self::new(status, description, format)
        }
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let error = to_value(Open311ErrorItem {
            code: self.status.as_u16(),
            description: self.description,
        });
        let mut response = respond(self.format, "errors", "error", vec![error]);
        *response.status_mut() = self.status;
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

type Result<T> = std::result::Result<T, Open311Error>;

fn xml_escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn xml_value(name: &str, value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            for item in items {
                // `keywords` and the like: a list of words.
                xml_value("value", item, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (key, value) in map {
                xml_value(key, value, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", xml_escape(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

/// A list of items as JSON (an array) or XML (`<root><item>…</item></root>`).
fn respond(format: Format, root: &str, item: &str, items: Vec<Value>) -> Response {
    match format {
        Format::Json => axum::Json(Value::Array(items)).into_response(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            out.push_str(&format!("<{root}>"));
            for value in &items {
                xml_value(item, value, &mut out);
            }
            out.push_str(&format!("</{root}>"));
            ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], out).into_response()
        }
    }
}

/// Vietnam's offset, for the timestamps the standard wants with a zone.
fn vn() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&vn())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// End of a working day in Vietnam (the deadline is the whole day).
fn end_of(day: NaiveDate) -> String {
    let at = day.and_time(NaiveTime::from_hms_opt(17, 0, 0).expect("17:00 exists"));
    vn().from_local_datetime(&at)
        .single()
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false))
        .unwrap_or_default()
}

async fn check_jurisdiction(
    state: &AppState,
    params: &HashMap<String, String>,
    format: Format,
) -> Result<()> {
    let Some(code) = params
        .get("jurisdiction_id")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    else {
        return Ok(());
    };
    let known: Option<i64> = sqlx::query_scalar(
        "select id from admin_unit where gso_code = $1 and (valid_to is null or valid_to >= current_date) limit 1",
    )
    .bind(code)
    .fetch_optional(&state.pool)
    .await
    .map_err(|e| Open311Error::from_api(e.into(), format))?;
    match known {
        Some(_) => Ok(()),
        None => Err(Open311Error::new(
            StatusCode::NOT_FOUND,
            format!(
                "jurisdiction_id {code} was not found: give a ward's or a province's GSO code, or leave it out"
            ),
            format,
        )),
    }
}

/// Service discovery: where the endpoints are and which formats they speak.
#[utoipa::path(get, path = "/v2/discovery.json", tag = TAG, security(()),
    responses((status = 200, description = "The discovery document", body = Object)))]
async fn discovery(headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let base = format!("http://{host}/open311/v2/");
    axum::Json(json!({
        "changeset": "2025-07-01T00:00:00+07:00",
        "contact": "Ủy ban nhân dân phường — bộ phận Địa chính - Xây dựng",
        "key_service": "An API token of Hatang (Tài khoản của tôi → Mã truy cập API), sent as api_key; optional",
        "endpoints": [
            {"specification": "http://wiki.open311.org/GeoReport_v2", "url": base, "changeset": "2025-07-01T00:00:00+07:00",
             "type": "production", "formats": ["application/json", "text/xml"]}
        ]
    }))
    .into_response()
}

fn services() -> Vec<Value> {
    kinds::ALL
        .iter()
        .map(|k| {
            to_value(Service {
                service_code: k.code.into(),
                service_name: k.name_vi.into(),
                description: k.description_vi.into(),
                metadata: false,
                service_type: "realtime".into(),
                keywords: k.keywords.into(),
                group: k.group.into(),
            })
        })
        .collect()
}

fn to_value(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

async fn list_services(
    state: &AppState,
    params: &HashMap<String, String>,
    format: Format,
) -> Response {
    match check_jurisdiction(state, params, format).await {
        Ok(()) => respond(format, "services", "service", services()),
        Err(e) => e.into_response(),
    }
}

/// The types of report (`service_code`), as JSON.
#[utoipa::path(get, path = "/v2/services.json", tag = TAG, security(()), params(ServicesQuery),
    responses((status = 200, description = "The services", body = Vec<Service>),
              (status = 404, description = "Unknown jurisdiction_id", body = Vec<Open311ErrorItem>)))]
async fn services_json(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    list_services(&state, &params, Format::Json).await
}

/// The types of report, as XML (`<services><service>…`).
#[utoipa::path(get, path = "/v2/services.xml", tag = TAG, security(()), params(ServicesQuery),
    responses((status = 200, description = "The services", content_type = "text/xml", body = String),
              (status = 404, description = "Unknown jurisdiction_id", content_type = "text/xml")))]
async fn services_xml(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    list_services(&state, &params, Format::Xml).await
}

async fn requests(
    state: &AppState,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    format: Format,
) -> Response {
    let result = async {
        check_jurisdiction(state, params, format).await?;
        list_requests(state, params, headers, format).await
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// Reports, newest first: by tracking code, type, dates and status (90 days by default).
#[utoipa::path(get, path = "/v2/requests.json", tag = TAG, security(()), params(RequestsQuery),
    responses((status = 200, description = "The service requests", body = Vec<ServiceRequest>),
              (status = 400, description = "A parameter is not valid", body = Vec<Open311ErrorItem>),
              (status = 404, description = "Unknown service_code or jurisdiction_id", body = Vec<Open311ErrorItem>)))]
async fn requests_json(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    requests(&state, &params, &headers, Format::Json).await
}

/// Reports, as XML (`<service_requests><request>…`).
#[utoipa::path(get, path = "/v2/requests.xml", tag = TAG, security(()), params(RequestsQuery),
    responses((status = 200, description = "The service requests", content_type = "text/xml", body = String),
              (status = 400, description = "A parameter is not valid", content_type = "text/xml")))]
async fn requests_xml(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    requests(&state, &params, &headers, Format::Xml).await
}

/// Any other resource: not found, in Open311's shape.
async fn unknown(Path(resource): Path<String>) -> Response {
    let format = split(&resource).map_or(Format::Json, |(_, f)| f);
    Open311Error::new(
        StatusCode::NOT_FOUND,
        format!("no resource {resource}; try services.json or requests.json"),
        format,
    )
    .into_response()
}

/// A type's definition (`{service_code}.json` or `.xml`): no extra attributes.
#[utoipa::path(get, path = "/v2/services/{file}", tag = TAG, security(()),
    params(("file" = String, Path, description = "`{service_code}.json` or `{service_code}.xml`")),
    responses((status = 200, description = "The definition", body = ServiceDefinition),
              (status = 404, description = "No such service", body = Vec<Open311ErrorItem>)))]
async fn service_definition(Path(file): Path<String>) -> Response {
    let Some((code, format)) = split(&file) else {
        return Open311Error::new(
            StatusCode::NOT_FOUND,
            "name the service as {service_code}.json",
            Format::Json,
        )
        .into_response();
    };
    match kinds::find(code) {
        Some(kind) => {
            let definition = to_value(ServiceDefinition {
                service_code: kind.code.into(),
                attributes: Vec::new(),
            });
            match format {
                Format::Json => axum::Json(definition).into_response(),
                Format::Xml => {
                    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
                    xml_value("service_definition", &definition, &mut out);
                    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], out).into_response()
                }
            }
        }
        None => Open311Error::new(
            StatusCode::NOT_FOUND,
            format!("service_code {code} was not found"),
            format,
        )
        .into_response(),
    }
}

/// A report as Open311 shows it.
async fn request_item(
    conn: &mut sqlx::PgConnection,
    calendar: &Calendar,
    base: &str,
    incident: &Incident,
) -> std::result::Result<Value, ApiError> {
    let kind = kinds::find(&incident.incident_type);
    let shown = store::moderated(incident);
    let clock = store::clock_of(conn, calendar, incident).await?;
    let media_url = if shown {
        store::photos_of(conn, incident.id)
            .await?
            .first()
            .map(|p| format!("{base}{}", p.href))
    } else {
        None
    };
    let status_notes = match (incident.state(), incident.resolution.as_deref()) {
        (IncidentState::Closed, Some("fixed")) => "Đã khắc phục và đóng.".to_string(),
        (IncidentState::Closed, Some("duplicate")) => "Trùng với phản ánh khác.".to_string(),
        (IncidentState::Closed, Some("rejected")) => "Không thuộc phạm vi xử lý.".to_string(),
        (state, _) => state.label_vi().to_string(),
    };
    let agency = match (&incident.operator, &incident.ward_name) {
        (Some(operator), _) => operator.clone(),
        (None, Some(ward)) => format!("UBND {ward}"),
        (None, None) => String::new(),
    };
    Ok(to_value(ServiceRequest {
        service_request_id: incident.reference.clone(),
        status: incident.state().open311_status().into(),
        status_notes,
        service_name: kind.map(|k| k.name_vi).unwrap_or("").into(),
        service_code: incident.incident_type.clone(),
        description: shown.then(|| incident.description.clone()),
        agency_responsible: agency,
        service_notice: None,
        requested_datetime: timestamp(incident.created_at),
        updated_datetime: timestamp(incident.updated_at),
        expected_datetime: clock.due.map(end_of),
        address: incident.address.clone(),
        address_id: None,
        zipcode: None,
        lat: incident.lat,
        long: incident.lon,
        media_url,
    }))
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

fn parse_time(text: &str, field: &str, format: Format) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| text.trim().parse::<NaiveDate>().map(|d| d.and_time(NaiveTime::MIN).and_utc()))
        .map_err(|_| Open311Error::new(StatusCode::BAD_REQUEST, format!("{field} must be an ISO 8601 date and time with a zone (2026-03-02T08:00:00+07:00)"), format))
}

async fn list_requests(
    state: &AppState,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    format: Format,
) -> Result<Response> {
    let fail = |e: ApiError| Open311Error::from_api(e, format);
    let list = |name: &str| -> Vec<String> {
        params
            .get(name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let ids = list("service_request_id");
    let codes = list("service_code");
    for code in &codes {
        if kinds::find(code).is_none() {
            return Err(Open311Error::new(
                StatusCode::NOT_FOUND,
                format!("service_code {code} was not found"),
                format,
            ));
        }
    }
    let statuses = list("status");
    for status in &statuses {
        if status != "open" && status != "closed" {
            return Err(Open311Error::new(
                StatusCode::BAD_REQUEST,
                "status is open or closed (or both, comma-separated)",
                format,
            ));
        }
    }
    let end = match params.get("end_date") {
        Some(t) => parse_time(t, "end_date", format)?,
        None => Utc::now(),
    };
    let start = match params.get("start_date") {
        Some(t) => parse_time(t, "start_date", format)?,
        // The standard's default: 90 days.
        None => end - chrono::Duration::days(90),
    };
    let page_size: i64 = params
        .get("page_size")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1000)
        .clamp(1, 1000);
    let page: i64 = params
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let jurisdiction = params
        .get("jurisdiction_id")
        .cloned()
        .filter(|s| !s.trim().is_empty());
    let mut conn = state.pool.acquire().await.map_err(|e| fail(e.into()))?;
    let incidents: Vec<Incident> = sqlx::query_as(&format!(
        "{} where (cardinality($1::text[]) = 0 or i.reference = any($1))
           and (cardinality($1::text[]) > 0 or (i.created_at >= $2 and i.created_at <= $3))
           and (cardinality($4::text[]) = 0 or i.incident_type = any($4))
           and (cardinality($5::text[]) = 0 or (case when i.state = 'closed' then 'closed' else 'open' end) = any($5))
           and ($6::text is null or w.gso_code = $6 or exists (select 1 from admin_unit p where p.id = w.parent_id and p.gso_code = $6))
         order by i.id desc limit $7 offset $8",
        store::SELECT
    ))
    .bind(&ids)
    .bind(start)
    .bind(end)
    .bind(&codes)
    .bind(&statuses)
    .bind(jurisdiction)
    .bind(page_size)
    .bind((page - 1) * page_size)
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| fail(e.into()))?;
    let calendar = Calendar::load(&mut conn)
        .await
        .map_err(|e| fail(e.into()))?;
    let base = base_url(headers);
    let mut items = Vec::new();
    for incident in &incidents {
        items.push(
            request_item(&mut conn, &calendar, &base, incident)
                .await
                .map_err(fail)?,
        );
    }
    Ok(respond(format, "service_requests", "request", items))
}

/// One report (`{service_request_id}.json` or `.xml`), in a list of one.
#[utoipa::path(get, path = "/v2/requests/{file}", tag = TAG, security(()),
    params(("file" = String, Path, description = "`{service_request_id}.json` or `.xml`, e.g. PA-2026-000123.json")),
    responses((status = 200, description = "The service request, in a list of one", body = Vec<ServiceRequest>),
              (status = 404, description = "No such request", body = Vec<Open311ErrorItem>)))]
async fn one_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((id, format)) = split(&file) else {
        return Open311Error::new(
            StatusCode::NOT_FOUND,
            "name the request as {service_request_id}.json",
            Format::Json,
        )
        .into_response();
    };
    let result = async {
        let fail = |e: ApiError| Open311Error::from_api(e, format);
        let mut conn = state.pool.acquire().await.map_err(|e| fail(e.into()))?;
        let incident = store::load_by_reference(&mut conn, id).await.map_err(|_| {
            Open311Error::new(
                StatusCode::NOT_FOUND,
                format!("service_request_id {id} was not found"),
                format,
            )
        })?;
        let calendar = Calendar::load(&mut conn)
            .await
            .map_err(|e| fail(e.into()))?;
        let item = request_item(&mut conn, &calendar, &base_url(&headers), &incident)
            .await
            .map_err(fail)?;
        Ok::<_, Open311Error>(respond(format, "service_requests", "request", vec![item]))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The fields of a POST: form-encoded, or multipart (with a `media` file).
async fn read_form(
    request: Request,
    state: &AppState,
) -> std::result::Result<(HashMap<String, String>, Vec<(Option<String>, Vec<u8>)>), String> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|e| e.to_string())?;
        let mut fields = HashMap::new();
        let mut files = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(|e| e.to_string())?;
            if name == "media" {
                files.push((filename, bytes.to_vec()));
            } else {
                fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        return Ok((fields, files));
    }
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|e| e.to_string())?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&bytes).map_err(|e| e.to_string())?;
    Ok((pairs.into_iter().collect(), Vec::new()))
}

/// File a report (form-encoded, or multipart with a `media` file); an
/// `Idempotency-Key` makes a retry safe.
#[utoipa::path(post, path = "/v2/requests.json", tag = TAG, security(()),
    request_body(content = RequestForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 201, description = "Filed", body = Vec<FiledRequest>),
              (status = 400, description = "A field is missing or not valid", body = Vec<Open311ErrorItem>),
              (status = 403, description = "api_key is not valid", body = Vec<Open311ErrorItem>),
              (status = 429, description = "Too many reports from this address", body = Vec<Open311ErrorItem>)))]
async fn post_requests_json(
    State(state): State<AppState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    post_request(state, remote, request, Format::Json).await
}

/// File a report, answered in XML.
#[utoipa::path(post, path = "/v2/requests.xml", tag = TAG, security(()),
    request_body(content = RequestForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 201, description = "Filed", content_type = "text/xml", body = String),
              (status = 400, description = "A field is missing or not valid", content_type = "text/xml")))]
async fn post_requests_xml(
    State(state): State<AppState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    post_request(state, remote, request, Format::Xml).await
}

async fn post_request(
    state: AppState,
    remote: SocketAddr,
    request: Request,
    format: Format,
) -> Response {
    let key = request
        .extensions()
        .get::<crate::http::idempotency::IdempotencyKey>()
        .map(|k| k.0.clone());
    let result = async {
        let (fields, files) = read_form(request, &state)
            .await
            .map_err(|e| Open311Error::new(StatusCode::BAD_REQUEST, format!("the body is not a form: {e}"), format))?;
        check_jurisdiction(&state, &fields, format).await?;
        let get = |name: &str| fields.get(name).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let principal = match get("api_key") {
            Some(api_key) => crate::accounts::principal::cached_token_principal(&state, &state.pool, &api_key, true)
                .await
                .map_err(|_| Open311Error::new(StatusCode::FORBIDDEN, "api_key is not valid (unknown, revoked or expired)", format))?,
            None => Principal::Public,
        };
        let Some(service_code) = get("service_code") else {
            return Err(Open311Error::new(StatusCode::BAD_REQUEST, "service_code is required (see services.json)", format));
        };
        let (Some(lat), Some(long)) = (get("lat"), get("long")) else {
            return Err(Open311Error::new(
                StatusCode::BAD_REQUEST,
                "lat and long are required: this server does not look up address_string or address_id",
                format,
            ));
        };
        let (Ok(lat), Ok(long)) = (lat.parse::<f64>(), long.parse::<f64>()) else {
            return Err(Open311Error::new(StatusCode::BAD_REQUEST, "lat and long must be decimal degrees (WGS84)", format));
        };
        let name = [get("first_name"), get("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
        let client = [get("device_id").map(|d| format!("device_id={d}")), get("account_id").map(|a| format!("account_id={a}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let mut description = get("description").unwrap_or_default();
        if let Some(url) = get("media_url") {
            // Not fetched (the server reaches no other host); kept for the ward to open.
            description = format!("{description}\n\nẢnh (media_url): {url}").trim().to_string();
        }
        if description.is_empty() {
            // The standard makes the description optional; the type then says what is wrong.
            description = kinds::find(&service_code).map(|k| k.name_vi.to_string()).unwrap_or_default();
        }
        let photos = photos::check_photos(files, &[]).map_err(|e| Open311Error::from_api(e, format))?;
        let input = ReportInput {
            incident_type: service_code,
            description,
            lon: long,
            lat,
            location_source: Some("gps".into()),
            address: get("address_string"),
            contact_name: (!name.is_empty()).then_some(name),
            contact_email: get("email"),
            contact_phone: get("phone"),
            ..ReportInput::default()
        };
        let incident = store::create(
            &state.pool,
            &principal,
            state.public_origin(&remote.ip().to_string()),
            Channel::Open311,
            input,
            photos,
            key.as_deref(),
            (!client.is_empty()).then_some(client),
        )
        .await
        .map_err(|e| Open311Error::from_api(e, format))?;
        let item = to_value(FiledRequest {
            service_request_id: incident.reference.clone(),
            service_notice: format!("Đã tiếp nhận. Theo dõi tại /phan-anh/{}", incident.reference),
            account_id: None,
        });
        let mut response = respond(format, "service_requests", "request", vec![item]);
        *response.status_mut() = StatusCode::CREATED;
        Ok(response)
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_escaped_and_lists_are_wrapped() {
        let mut out = String::new();
        xml_value(
            "request",
            &json!({"description": "<b>cáp & cột</b>", "lat": 15.1, "media_url": null}),
            &mut out,
        );
        assert_eq!(
            out,
            "<request><description>&lt;b&gt;cáp &amp; cột&lt;/b&gt;</description><lat>15.1</lat><media_url/></request>"
        );
    }

    #[test]
    fn times_carry_vietnams_offset() {
        let at = "2026-03-02T01:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(timestamp(at), "2026-03-02T08:00:00+07:00");
        assert_eq!(
            end_of("2026-03-04".parse().unwrap()),
            "2026-03-04T17:00:00+07:00"
        );
    }
}
