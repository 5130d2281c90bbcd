//! An operator's filing and its versions: saving a version (from the form or
//! a file), reading it back with its problems, submitting it, and the
//! polygons and file of a version.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use utoipa::{IntoParams, ToSchema};

use super::FilingKind;
use super::calls::{self, CallRow, CallView};
use super::checks::{self, Checked};
use super::deadline::{self, FilingStatus};
use super::rows::{self, Problem, RawRow, Severity};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::coordinates::{self, Crs};
use crate::http::error::{ApiError, ApiResult, FieldProblem};
use crate::http::json::parse_json;
use crate::http::query::ApiQuery;
use crate::import::source::{self, Format, SourceFile};
use crate::notifications::{self, Message};
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;

/// A version in a list.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct VersionSummary {
    pub number: i32,
    /// `form` or `upload`.
    pub source: String,
    pub file_name: Option<String>,
    pub error_count: i32,
    pub warning_count: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
}

/// A version with its rows and every problem.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    pub filing_id: i64,
    #[serde(flatten)]
    pub summary: VersionSummary,
    pub file_format: Option<String>,
    pub file_size: Option<i32>,
    pub file_sha256: Option<String>,
    /// The rows as read, with the unit each names (`unit_id`, `unit_name`).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Value>,
    pub problems: Vec<Problem>,
    /// Whether this version can be submitted now (the latest, without errors, not yet submitted, call open).
    pub submittable: bool,
    /// Coverage filings: the polygons as GeoJSON (`…/areas`).
    pub areas_url: Option<String>,
}

/// An operator's filing in a call.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilingView {
    pub id: i64,
    pub operator: String,
    pub operator_name: String,
    pub status: FilingStatus,
    pub submitted_late: bool,
    pub call: CallView,
    /// Newest first.
    pub versions: Vec<VersionSummary>,
    pub latest: Option<VersionView>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct FilingRow {
    id: i64,
    call_id: i64,
    operator_id: i64,
    operator_code: String,
    operator_name: String,
}

async fn load_filing(conn: &mut PgConnection, id: i64, lock: bool) -> ApiResult<FilingRow> {
    sqlx::query_as(&format!(
        "select f.id, f.call_id, f.operator_id, o.code as operator_code, o.short_name as operator_name
         from filing f join operator o on o.id = f.operator_id where f.id = $1 {}",
        if lock { "for update of f" } else { "" }
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("there is no filing {id}")))
}

async fn summaries(conn: &mut PgConnection, filing_id: i64) -> sqlx::Result<Vec<VersionSummary>> {
    sqlx::query_as(
        "select number, source, file_name, error_count, warning_count, created_by, created_at, submitted_at, submitted_by
         from filing_version where filing_id = $1 order by number desc",
    )
    .bind(filing_id)
    .fetch_all(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: i64,
    #[sqlx(flatten)]
    summary: VersionSummary,
    file_format: Option<String>,
    file_size: Option<i32>,
    file_sha256: Option<String>,
    rows: sqlx::types::Json<Vec<Value>>,
    problems: sqlx::types::Json<Vec<Problem>>,
}

async fn load_version(
    conn: &mut PgConnection,
    filing_id: i64,
    number: i32,
) -> ApiResult<VersionRow> {
    sqlx::query_as(
        "select id, number, source, file_name, error_count, warning_count, created_by, created_at, submitted_at,
                submitted_by, file_format, file_size, file_sha256, rows, problems
         from filing_version where filing_id = $1 and number = $2",
    )
    .bind(filing_id)
    .bind(number)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("filing {filing_id} has no version {number}")))
}

fn version_view(
    filing_id: i64,
    row: VersionRow,
    latest: i32,
    call: &CallRow,
    calendar: &Calendar,
) -> VersionView {
    let submittable = row.summary.number == latest
        && row.summary.error_count == 0
        && row.summary.submitted_at.is_none()
        && call.state(calendar, today()).takes_filings();
    let areas_url = (call.kind() == FilingKind::MobileCoverage).then(|| {
        format!(
            "/api/v1/filings/{filing_id}/versions/{}/areas",
            row.summary.number
        )
    });
    VersionView {
        filing_id,
        summary: row.summary,
        file_format: row.file_format,
        file_size: row.file_size,
        file_sha256: row.file_sha256,
        rows: row.rows.0,
        problems: row.problems.0,
        submittable,
        areas_url,
    }
}

async fn filing_view(
    conn: &mut PgConnection,
    filing: &FilingRow,
    call: &CallRow,
    principal: &Principal,
) -> ApiResult<FilingView> {
    let calendar = Calendar::load(conn).await?;
    let versions = summaries(conn, filing.id).await?;
    let latest = match versions.first() {
        Some(first) => {
            let number = first.number;
            let row = load_version(conn, filing.id, number).await?;
            Some(version_view(filing.id, row, number, call, &calendar))
        }
        None => None,
    };
    let submitted = versions.iter().find(|v| v.submitted_at.is_some());
    let status = deadline::status(
        &calendar,
        call.due_on,
        !versions.is_empty(),
        submitted.is_some(),
        today(),
    );
    let submitted_late = submitted
        .and_then(|v| v.submitted_at)
        .is_some_and(|at| deadline::submitted_late(&calendar, call.due_on, calls::vn_date(at)));
    let mut call_view = calls::view(conn, call, principal, &calendar).await?;
    call_view
        .operators
        .retain(|r| r.filing_id == Some(filing.id));
    Ok(FilingView {
        id: filing.id,
        operator: filing.operator_code.clone(),
        operator_name: filing.operator_name.clone(),
        status,
        submitted_late,
        call: call_view,
        versions,
        latest,
    })
}

/// One filing with its versions, the latest in full.
#[utoipa::path(get, path = "/filings/{id}", operation_id = "get_filing", tag = "Filings",
    params(("id" = i64, Path, description = "The filing's id.")),
    responses((status = 200, description = "The filing.", body = FilingView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Another operator's filing, or outside the caller's scope."),
              (status = 404, description = "No such filing.")))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<FilingView>> {
    let mut conn = state.pool.acquire().await?;
    let filing = load_filing(&mut conn, id, false).await?;
    let call = calls::load(&mut conn, filing.call_id).await?;
    principal.may_read_filing(filing.operator_id, &call.wards)?;
    Ok(axum::Json(
        filing_view(&mut conn, &filing, &call, &principal).await?,
    ))
}

/// A filing in a list.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct FilingSummary {
    pub id: i64,
    pub call_id: i64,
    pub call_title: String,
    pub kind: String,
    pub unit_name: String,
    pub operator: String,
    pub operator_name: String,
    pub latest_version: Option<i32>,
    pub submitted_version: Option<i32>,
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub operator_id: i64,
    #[serde(skip)]
    pub wards: Vec<i64>,
}

/// Query of the list of filings.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FilingListParams {
    /// Only this call's filings.
    pub call: Option<i64>,
    /// Only this operator's (code).
    pub operator: Option<String>,
}

/// The filings the caller may read: an operator its own, staff those in their scope.
#[utoipa::path(get, path = "/filings", operation_id = "list_filings", tag = "Filings", params(FilingListParams),
    responses((status = 200, description = "Filings, newest call first.", body = [FilingSummary]),
              (status = 401, description = "Not logged in.")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<FilingListParams>,
) -> ApiResult<axum::Json<Vec<FilingSummary>>> {
    principal.require_login()?;
    let rows: Vec<FilingSummary> = sqlx::query_as(&format!(
        "select f.id, f.call_id, c.title as call_title, c.kind, u.name as unit_name, o.code as operator,
                o.short_name as operator_name, f.operator_id,
                (select max(number) from filing_version v where v.filing_id = f.id) as latest_version,
                (select max(number) from filing_version v where v.filing_id = f.id and v.submitted_at is not null) as submitted_version,
                (select max(submitted_at) from filing_version v where v.filing_id = f.id) as submitted_at,
                {} as wards
         from filing f join data_call c on c.id = f.call_id join admin_unit u on u.id = c.admin_unit_id
         join operator o on o.id = f.operator_id
         where ($1::bigint is null or f.call_id = $1) and ($2::text is null or o.code = upper($2))
         order by c.due_on desc, f.id desc limit 1000",
        "array(
            with recursive down(id) as (
                select u2.id from admin_unit u2 where u2.id = c.admin_unit_id
                union all select u2.id from admin_unit u2 join down on u2.parent_id = down.id)
            select u2.id from admin_unit u2 join down using (id) where u2.level = 'ward')"
    ))
    .bind(params.call)
    .bind(params.operator.as_deref())
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(
        rows.into_iter()
            .filter(|f| principal.may_read_filing(f.operator_id, &f.wards).is_ok())
            .collect(),
    ))
}

/// One version of a filing.
#[utoipa::path(get, path = "/filings/{id}/versions/{number}", tag = "Filings",
    params(("id" = i64, Path, description = "The filing's id."), ("number" = i32, Path, description = "The version, from 1.")),
    responses((status = 200, description = "The version with its rows and problems.", body = VersionView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Another operator's filing, or outside the caller's scope."),
              (status = 404, description = "No such filing or version.")))]
pub async fn version(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, number)): Path<(i64, i32)>,
) -> ApiResult<axum::Json<VersionView>> {
    let mut conn = state.pool.acquire().await?;
    let filing = load_filing(&mut conn, id, false).await?;
    let call = calls::load(&mut conn, filing.call_id).await?;
    principal.may_read_filing(filing.operator_id, &call.wards)?;
    let latest: i32 =
        sqlx::query_scalar("select max(number) from filing_version where filing_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let row = load_version(&mut conn, id, number).await?;
    let calendar = Calendar::load(&mut conn).await?;
    Ok(axum::Json(version_view(id, row, latest, &call, &calendar)))
}

/// The polygons of a coverage version (built in SQL in [`areas`]; this
/// describes them, and `openapi_responses` checks answers against it).
#[derive(ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct FilingAreaCollection {
    #[serde(rename = "type")]
    #[schema(pattern = "^FeatureCollection$")]
    kind: String,
    features: Vec<FilingAreaFeature>,
}

#[derive(ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct FilingAreaFeature {
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    kind: String,
    /// The row of the file.
    id: i64,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    geometry: Value,
    properties: FilingAreaProperties,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Described, not built.
pub struct FilingAreaProperties {
    row: i64,
    /// `4G` or `5G`.
    technology: String,
}

/// The polygons of a coverage version, as GeoJSON.
#[utoipa::path(get, path = "/filings/{id}/versions/{number}/areas", tag = "Filings",
    params(("id" = i64, Path, description = "The filing's id."), ("number" = i32, Path, description = "The version.")),
    responses((status = 200, description = "A FeatureCollection: one feature per row, with `row` and `technology`.", content_type = "application/geo+json", body = FilingAreaCollection),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Another operator's filing, or outside the caller's scope."),
              (status = 404, description = "No such filing or version.")))]
pub async fn areas(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, number)): Path<(i64, i32)>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let filing = load_filing(&mut conn, id, false).await?;
    let call = calls::load(&mut conn, filing.call_id).await?;
    principal.may_read_filing(filing.operator_id, &call.wards)?;
    let version = load_version(&mut conn, id, number).await?;
    let body: String = sqlx::query_scalar(
        "select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
                    json_build_object('type', 'Feature', 'id', a.row_no, 'geometry', ST_AsGeoJSON(a.geom, 7)::json,
                                      'properties', json_build_object('row', a.row_no, 'technology', a.technology))
                    order by a.row_no), '[]'::json))::text
         from filing_area a where a.version_id = $1",
    )
    .bind(version.id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// The file of an uploaded version, as it came.
#[utoipa::path(get, path = "/filings/{id}/versions/{number}/file", tag = "Filings",
    params(("id" = i64, Path, description = "The filing's id."), ("number" = i32, Path, description = "The version.")),
    responses((status = 200, description = "The uploaded file, as a download.", content_type = "application/octet-stream", body = String),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Another operator's filing, or outside the caller's scope."),
              (status = 404, description = "No such filing or version, or it was filed by the form.")))]
pub async fn file(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, number)): Path<(i64, i32)>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let filing = load_filing(&mut conn, id, false).await?;
    let call = calls::load(&mut conn, filing.call_id).await?;
    principal.may_read_filing(filing.operator_id, &call.wards)?;
    let version = load_version(&mut conn, id, number).await?;
    let content: Option<Vec<u8>> =
        sqlx::query_scalar("select content from filing_file where version_id = $1")
            .bind(version.id)
            .fetch_optional(&mut *conn)
            .await?;
    let content = content.ok_or_else(|| {
        ApiError::not_found(format!(
            "version {number} was filed by the form, not a file"
        ))
    })?;
    let name: String = version
        .summary
        .file_name
        .unwrap_or_else(|| format!("filing-{id}-{number}"))
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-_".contains(*c))
        .collect();
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Query of a new version.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// The operator filed for (admins; members and tokens file for their own).
    pub operator: Option<String>,
    /// For an upload: the file's name, whose extension says the format
    /// (.csv, .xlsx, .geojson, .gpkg, .zip for a zipped Shapefile).
    pub file_name: Option<String>,
    /// CRS of the file's coordinates when it does not declare one: `EPSG:3405`, `TM3:108`, …
    pub crs: Option<String>,
    /// Or the province whose VN-2000 TM-3 zone they are in.
    pub tm3: Option<String>,
    /// The layer to read, for files with several.
    pub layer: Option<String>,
    /// Coverage files without a technology column: the technology of every polygon (4G or 5G).
    pub technology: Option<String>,
}

/// The body of a version filed by the form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingFormInput {
    /// One object per row, with the fields by name (`unit`, `households_passed`, …;
    /// coverage rows also a GeoJSON `geometry`).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Map<String, Value>>,
}

fn to_field_problems(problems: &[Problem]) -> Vec<FieldProblem> {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| {
            let field = match p.row {
                Some(row) => format!("rows[{row}].{}", p.field),
                None => p.field.clone(),
            };
            FieldProblem::new(field, format!("{} ({})", p.problem, p.code))
        })
        .collect()
}

/// What was read: the rows, the problems of the file, and its CRS.
pub struct Read {
    pub raw: Vec<RawRow>,
    pub problems: Vec<Problem>,
    pub srid: i32,
    pub upload: Option<Upload>,
}

impl Read {
    /// The rows of the form (objects with the fields by name), in WGS84.
    pub fn form(kind: FilingKind, rows: Vec<Map<String, Value>>) -> Self {
        let (raw, problems) = rows::from_form(kind, rows);
        Self {
            raw,
            problems,
            srid: coordinates::WGS84,
            upload: None,
        }
    }
}

/// An uploaded file, kept with its version.
pub struct Upload {
    pub name: String,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// Formats a kind takes.
fn formats(kind: FilingKind) -> &'static [Format] {
    match kind {
        FilingKind::FixedBroadband => &[Format::Csv, Format::Xlsx],
        FilingKind::MobileCoverage => &[Format::GeoJson, Format::GeoPackage, Format::Shapefile],
        FilingKind::YearlyPlan => &[
            Format::Csv,
            Format::Xlsx,
            Format::GeoJson,
            Format::GeoPackage,
            Format::Shapefile,
        ],
    }
}

async fn read_file(
    state: &AppState,
    kind: FilingKind,
    upload: Upload,
    params: &VersionParams,
) -> ApiResult<Read> {
    if !formats(kind).contains(&upload.format) {
        let names: Vec<&str> = formats(kind).iter().map(|f| f.label()).collect();
        return Err(ApiError::invalid(
            "file_name",
            format!(
                "a {} filing is uploaded as {}",
                kind.as_str(),
                names.join(", ")
            ),
        ));
    }
    let requested = crate::import::requested_crs(params.crs.as_deref(), params.tm3.as_deref())?;
    let file = Arc::new(
        SourceFile::in_memory(
            &upload.name,
            upload.format,
            upload.bytes.clone(),
            &state.imports.archive,
        )
        .map_err(crate::import::handlers::source_error)?,
    );
    let layer = params.layer.clone();
    let max_rows = state.imports.max_rows;
    let reader = file.clone();
    let (overview, rows) = tokio::task::spawn_blocking(move || {
        let overview = source::overview(&reader, layer.as_deref(), 0)?;
        let mut rows = Vec::new();
        source::read_rows(&reader, layer.as_deref(), max_rows, 1000, |batch| {
            rows.extend(batch);
            true
        })?;
        Ok::<_, source::SourceError>((overview, rows))
    })
    .await
    .map_err(|_| ApiError::Internal("the file reader stopped".into()))?
    .map_err(|e| match e {
        source::SourceError::TooManyRows(limit) => ApiError::invalid(
            "file",
            format!("the file has more than {limit} rows, the limit of one upload"),
        ),
        e => ApiError::invalid("file", e.to_string()),
    })?;
    let srid = match (
        &requested,
        overview.declared_crs.as_ref().and_then(|d| d.srid),
    ) {
        (Some(crs), _) => crs.srid,
        (None, Some(srid)) => srid,
        (None, None) => coordinates::WGS84,
    };
    let columns: Vec<String> = overview.columns.iter().map(|c| c.name.clone()).collect();
    let has_geometry = overview.geometry_type.is_some() && !upload.format.is_table();
    let (mapping, mut problems) = rows::match_columns(kind, &columns, has_geometry);
    let mut raw = rows::from_file(rows, &mapping);
    apply_technology(kind, params, &mut raw, &mut problems)?;
    if let Some(declared) = &overview.declared_crs
        && declared.srid.is_none()
        && requested.is_none()
    {
        problems.push(Problem::error(
            None,
            "crs",
            "unknown_crs",
            json!({"declared": declared.description}),
            format!(
                "the file declares a coordinate system Hatang does not recognise ({}); choose the CRS (crs=EPSG:… or tm3=<province>)",
                declared.description
            ),
        ));
    }
    Ok(Read {
        raw,
        problems,
        srid,
        upload: Some(upload),
    })
}

/// `technology=` names the technology of every row of a file without that column.
fn apply_technology(
    kind: FilingKind,
    params: &VersionParams,
    raw: &mut [RawRow],
    problems: &mut Vec<Problem>,
) -> ApiResult<()> {
    let Some(given) = params.technology.as_deref() else {
        return Ok(());
    };
    if kind != FilingKind::MobileCoverage {
        return Err(ApiError::invalid(
            "technology",
            "only coverage filings have a technology",
        ));
    }
    let technology =
        rows::technology(given).ok_or_else(|| ApiError::invalid("technology", "4G or 5G"))?;
    problems.retain(|p| !(p.code == "column_missing" && p.field == "technology"));
    for row in raw {
        row.cells
            .entry("technology")
            .or_insert_with(|| technology.into());
    }
    Ok(())
}

fn file_name_from(params: &VersionParams, headers: &axum::http::HeaderMap) -> Option<String> {
    params.file_name.clone().or_else(|| {
        let disposition = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
        let start = disposition.find("filename=")? + "filename=".len();
        let name = disposition[start..]
            .split(';')
            .next()?
            .trim()
            .trim_matches('"');
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// Saves a new version of the caller's filing, from the form (a JSON body
/// `{"rows": [...]}`) or a file (any other body, with `file_name`). The
/// version is kept with every problem found; one without errors can be
/// submitted.
#[utoipa::path(post, path = "/filings/calls/{id}/versions", operation_id = "create_filing_version", tag = "Filings",
    params(("id" = i64, Path, description = "The call's id."), VersionParams),
    request_body(content = FilingFormInput, description = "The form's rows as JSON; or the file itself (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) with `file_name`."),
    responses((status = 201, description = "The version, with the problems of every row.", body = VersionView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Not the operator's member or token, or the call is not addressed to it."),
              (status = 404, description = "No such call."),
              (status = 409, description = "The call is not open (not yet, or cancelled), or does not ask this operator."),
              (status = 413, description = "The file is larger than the import limit."),
              (status = 422, description = "The file cannot be read as this kind of filing (a column missing, no rows, a format it does not take).")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Path(call_id): Path<i64>,
    ApiQuery(params): ApiQuery<VersionParams>,
    request: Request,
) -> ApiResult<Response> {
    principal.require_login()?;
    let headers = request.headers().clone();
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge {
                    limit: state.imports.max_bytes,
                }
            } else {
                ApiError::Malformed(format!("could not read the body: {rejection}"))
            }
        })?;
    let mut conn = state.pool.acquire().await?;
    let call = calls::load(&mut conn, call_id).await?;
    principal.may_read_call(&call.wards, &call.recipients)?;
    let operator_id = match (&params.operator, principal.operator()) {
        (Some(code), _) => sqlx::query_scalar("select id from operator where code = upper($1)")
            .bind(code.trim())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| {
                ApiError::invalid("operator", format!("{code} is not a registered operator"))
            })?,
        (None, Some(own)) => own.id,
        (None, None) => {
            return Err(ApiError::invalid(
                "operator",
                "name the operator this filing is for (operator=CODE)",
            ));
        }
    };
    principal.may_file(operator_id)?;
    if !call.recipients.contains(&operator_id) {
        return Err(ApiError::conflict(
            "this call does not ask that operator; staff can add it to the call",
        ));
    }
    let calendar = Calendar::load(&mut conn).await?;
    match call.state(&calendar, today()) {
        calls::CallState::Scheduled => {
            return Err(ApiError::conflict(format!(
                "the call opens on {}",
                super::reminders::vn(call.opens_on)
            )));
        }
        calls::CallState::Cancelled => {
            return Err(ApiError::conflict("the call is cancelled"));
        }
        _ => {}
    }
    let kind = call.kind();
    let file_name = file_name_from(&params, &headers);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let json = content_type.starts_with("application/json") || content_type.contains("+json");
    let read = match file_name {
        Some(name) => {
            if name.chars().count() > 255 {
                return Err(ApiError::invalid(
                    "file_name",
                    "is longer than 255 characters",
                ));
            }
            let format = Format::from_file_name(&name).ok_or_else(|| {
                ApiError::invalid(
                    "file_name",
                    format!(
                        "{name:?} is not a format Hatang reads; one of {}",
                        source::EXTENSIONS
                    ),
                )
            })?;
            if body.is_empty() {
                return Err(ApiError::invalid("file", "the file is empty"));
            }
            read_file(
                &state,
                kind,
                Upload {
                    name,
                    format,
                    bytes: body.to_vec(),
                },
                &params,
            )
            .await?
        }
        None if json => {
            let value: Value = parse_json(&body)?;
            if value.get("type").and_then(Value::as_str) == Some("FeatureCollection") {
                read_file(
                    &state,
                    kind,
                    Upload {
                        name: "filing.geojson".into(),
                        format: Format::GeoJson,
                        bytes: body.to_vec(),
                    },
                    &params,
                )
                .await?
            } else {
                let input: FilingFormInput = parse_json(&body)?;
                let (mut raw, problems) = rows::from_form(kind, input.rows);
                let mut problems = problems;
                apply_technology(kind, &params, &mut raw, &mut problems)?;
                let srid = match crate::import::requested_crs(
                    params.crs.as_deref(),
                    params.tm3.as_deref(),
                )? {
                    Some(Crs { srid, .. }) => srid,
                    None => coordinates::WGS84,
                };
                Read {
                    raw,
                    problems,
                    srid,
                    upload: None,
                }
            }
        }
        None => {
            return Err(ApiError::invalid(
                "file_name",
                "send the form's rows as JSON, or a file with file_name=… (its extension says the format)",
            ));
        }
    };
    drop(conn);
    let (filing_id, number) = save(&state.pool, &principal, &call, operator_id, read).await?;
    let mut conn = state.pool.acquire().await?;
    let row = load_version(&mut conn, filing_id, number).await?;
    let view = version_view(filing_id, row, number, &call, &calendar);
    let mut response = (StatusCode::CREATED, axum::Json(view)).into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/filings/{filing_id}/versions/{number}"))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Checks what was read against the database and keeps it as the next
/// version of `operator_id`'s filing in `call`, with every problem; returns
/// the filing and the version's number. A file that is not this kind of
/// filing at all (a column missing, no rows) is refused whole.
pub async fn save(
    pool: &PgPool,
    principal: &Principal,
    call: &CallRow,
    operator_id: i64,
    read: Read,
) -> ApiResult<(i64, i32)> {
    let kind = call.kind();
    let mut conn = pool.acquire().await?;
    let Read {
        raw,
        problems: file_problems,
        srid,
        upload,
    } = read;
    let fatal: Vec<Problem> = file_problems
        .iter()
        .filter(|p| p.severity == Severity::Error && p.row.is_none())
        .cloned()
        .collect();
    if !fatal.is_empty() {
        return Err(ApiError::Invalid(to_field_problems(&fatal)));
    }
    if raw.is_empty() {
        return Err(ApiError::invalid("rows", "the filing has no rows"));
    }
    let (parsed, row_problems) = rows::check(kind, &raw);
    let Checked {
        rows: checked_rows,
        problems: db_problems,
        areas,
    } = checks::run(&mut conn, kind, call, operator_id, &raw, parsed, srid).await?;
    drop(conn);
    let mut problems: Vec<Problem> = file_problems
        .into_iter()
        .chain(row_problems)
        .chain(db_problems)
        .collect();
    problems.sort_by_key(|p| (p.row.unwrap_or(0), p.severity != Severity::Error));
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count() as i32;
    let warnings = problems.len() as i32 - errors;

    let actor = principal.actor();
    let mut tx = changes::begin(pool, principal).await?;
    sqlx::query(
        "insert into filing (call_id, operator_id) values ($1, $2) on conflict on constraint filing_once do nothing",
    )
    .bind(call.id)
    .bind(operator_id)
    .execute(&mut *tx)
    .await?;
    let filing_id: i64 = sqlx::query_scalar(
        "select id from filing where call_id = $1 and operator_id = $2 for update",
    )
    .bind(call.id)
    .bind(operator_id)
    .fetch_one(&mut *tx)
    .await?;
    let number: i32 = sqlx::query_scalar(
        "select coalesce(max(number), 0) + 1 from filing_version where filing_id = $1",
    )
    .bind(filing_id)
    .fetch_one(&mut *tx)
    .await?;
    let (file_name, file_format, file_size, sha) = match &upload {
        Some(u) => (
            Some(u.name.clone()),
            Some(u.format.label()),
            Some(u.bytes.len() as i32),
            Some(hex(&Sha256::digest(&u.bytes))),
        ),
        None => (None, None, None, None),
    };
    let version_id: i64 = sqlx::query_scalar(
        "insert into filing_version (filing_id, number, source, file_name, file_format, file_size, file_sha256,
                                     rows, problems, error_count, warning_count,
                                     created_by, created_by_user_id, created_by_token_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
    )
    .bind(filing_id)
    .bind(number)
    .bind(if upload.is_some() { "upload" } else { "form" })
    .bind(&file_name)
    .bind(file_format)
    .bind(file_size)
    .bind(&sha)
    .bind(sqlx::types::Json(&checked_rows))
    .bind(sqlx::types::Json(&problems))
    .bind(errors)
    .bind(warnings)
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(u) = &upload {
        sqlx::query("insert into filing_file (version_id, content) values ($1, $2)")
            .bind(version_id)
            .bind(&u.bytes)
            .execute(&mut *tx)
            .await?;
    }
    if !areas.is_empty() {
        let row_nos: Vec<i32> = areas.iter().map(|a| a.row_no).collect();
        let technologies: Vec<String> = areas.iter().map(|a| a.technology.clone()).collect();
        let shapes: Vec<Vec<u8>> = areas.into_iter().map(|a| a.ewkb).collect();
        sqlx::query(
            "insert into filing_area (version_id, row_no, technology, geom)
             select $1, t.row_no, t.technology, ST_Multi(ST_GeomFromEWKB(t.shape))
             from unnest($2::int[], $3::text[], $4::bytea[]) as t(row_no, technology, shape)",
        )
        .bind(version_id)
        .bind(&row_nos)
        .bind(&technologies)
        .bind(&shapes)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((filing_id, number))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Submits a version: the latest, without errors. Earlier submissions stay
/// in the history; this one becomes the operator's answer, and coverage
/// figures are computed from it.
#[utoipa::path(post, path = "/filings/{id}/versions/{number}/submit", tag = "Filings",
    params(("id" = i64, Path, description = "The filing's id."), ("number" = i32, Path, description = "The version to submit.")),
    responses((status = 200, description = "The filing with the version submitted.", body = FilingView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Not the operator's member or token."),
              (status = 404, description = "No such filing or version."),
              (status = 409, description = "Not the latest version, submitted already, or the call is not open."),
              (status = 422, description = "The version has errors; each is listed.")))]
pub async fn submit(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, number)): Path<(i64, i32)>,
) -> ApiResult<axum::Json<FilingView>> {
    submit_version(&state.pool, &principal, id, number).await?;
    let mut conn = state.pool.acquire().await?;
    let filing = load_filing(&mut conn, id, false).await?;
    let call = calls::load(&mut conn, filing.call_id).await?;
    Ok(axum::Json(
        filing_view(&mut conn, &filing, &call, &principal).await?,
    ))
}

/// Submits version `number` of filing `id` as `principal`: the latest, without
/// errors, not yet submitted, in an open call; marks the challenges it
/// corrects and tells the ward's staff.
pub async fn submit_version(
    pool: &PgPool,
    principal: &Principal,
    id: i64,
    number: i32,
) -> ApiResult<()> {
    let mut tx = changes::begin(pool, principal).await?;
    let filing = load_filing(&mut tx, id, true).await?;
    let call = calls::load(&mut tx, filing.call_id).await?;
    principal.may_read_filing(filing.operator_id, &call.wards)?;
    principal.may_file(filing.operator_id)?;
    let calendar = Calendar::load(&mut tx).await?;
    if !call.state(&calendar, today()).takes_filings() {
        return Err(ApiError::conflict(format!(
            "the call is {}",
            call.state(&calendar, today()).as_str()
        )));
    }
    let version = load_version(&mut tx, id, number).await?;
    let latest: i32 =
        sqlx::query_scalar("select max(number) from filing_version where filing_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if number != latest {
        return Err(ApiError::conflict(format!(
            "version {latest} is newer; submit the latest version"
        )));
    }
    if version.summary.submitted_at.is_some() {
        return Err(ApiError::conflict(format!(
            "version {number} is submitted already"
        )));
    }
    if version.summary.error_count > 0 {
        return Err(ApiError::Invalid(to_field_problems(&version.problems.0)));
    }
    // A challenge accepted since the version was saved must be corrected too.
    let uncorrected: Vec<(i32, i64, String)> = sqlx::query_as(
        "select a.row_no, ch.id, ch.technology from filing_area a
         join challenge ch on ch.operator_id = $2 and ch.state in ('accepted', 'upheld') and ch.kind = 'no_mobile'
                          and ch.technology = a.technology and ch.ward_id = any($3) and ST_Intersects(a.geom, ch.geom)
         where a.version_id = $1 order by a.row_no, ch.id",
    )
    .bind(version.id)
    .bind(filing.operator_id)
    .bind(&call.wards)
    .fetch_all(&mut *tx)
    .await?;
    if !uncorrected.is_empty() {
        return Err(ApiError::Invalid(
            uncorrected
                .into_iter()
                .map(|(row, challenge, technology)| {
                    FieldProblem::new(
                        format!("rows[{row}].geometry"),
                        format!("the polygon still claims {technology} where challenge {challenge} was accepted (covers_accepted_challenge)"),
                    )
                })
                .collect(),
        ));
    }
    let actor = principal.actor();
    sqlx::query(
        "update filing_version set submitted_at = now(), submitted_by = $2, submitted_by_user_id = $3,
                                   submitted_by_token_id = $4
         where id = $1",
    )
    .bind(version.id)
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .execute(&mut *tx)
    .await?;
    // The submitted figures become indicator values (coverage by unit, fibre counts).
    super::coverage::record(
        &mut tx,
        principal,
        &call,
        filing.id,
        filing.operator_id,
        version.id,
        number,
    )
    .await?;
    super::corrections::corrected_by(
        &mut tx,
        call.kind(),
        version.id,
        filing.operator_id,
        &call.wards,
    )
    .await?;
    let late = deadline::submitted_late(&calendar, call.due_on, today());
    let vi = format!(
        "{} đã nộp “{}” (phiên bản {number}){}.",
        filing.operator_name,
        call.title,
        if late { ", quá hạn" } else { "" }
    );
    let en = format!(
        "{} submitted “{}” (version {number}){}.",
        filing.operator_name,
        call.title,
        if late { ", late" } else { "" }
    );
    let link = format!("/filings/calls/{}", call.id);
    let note = Message {
        kind: "filing_submitted",
        vi: &vi,
        en: &en,
        link: &link,
        dedupe_key: Some(format!("filing_submitted:{}", version.id)),
    };
    notifications::scope_staff(&mut tx, &call.wards, &note).await?;
    tx.commit().await?;
    Ok(())
}

/// Query of a template.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateParams {
    /// `csv`, `xlsx` (default) or `json` (the form's fields and units).
    pub format: Option<String>,
}

/// The template as JSON (`format=json`): what the web form offers. Built as
/// JSON in [`template`]; this describes it (`openapi_responses` checks it).
#[derive(ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct TemplateChoices {
    /// The fields a row has.
    fields: Vec<String>,
    /// The units a row may name: for a yearly plan the call's wards, then
    /// the neighbourhood units with their households and population.
    units: Vec<TemplateUnit>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Described, not built.
pub struct TemplateUnit {
    id: i64,
    code: Option<String>,
    name: String,
    /// `ward` or `neighbourhood`.
    #[schema(pattern = "^(ward|neighbourhood)$")]
    level: String,
    /// A neighbourhood unit's.
    #[schema(required = false)]
    households: Option<i64>,
    /// A neighbourhood unit's.
    #[schema(required = false)]
    population: Option<i64>,
}

/// A spreadsheet to fill in: the call's neighbourhood units with their
/// households (fixed broadband), or the columns of a yearly plan, with
/// Vietnamese headers the upload understands; as JSON, the fields and the
/// units a row may name (what the web form offers).
#[utoipa::path(get, path = "/filings/calls/{id}/template", tag = "Filings",
    params(("id" = i64, Path, description = "The call's id."), TemplateParams),
    responses((status = 200, description = "The template as XLSX (default) or CSV, or the form's choices as JSON.",
               content((String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"),
                       (TemplateChoices = "application/json"))),
              (status = 400, description = "A bad `format`."),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Neither in the caller's scope nor addressed to its operator."),
              (status = 404, description = "No such call."),
              (status = 422, description = "Coverage is filed as polygons: there is no spreadsheet.")))]
pub async fn template(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<TemplateParams>,
) -> ApiResult<Response> {
    use crate::tabular::{Cell, Table, TableFormat};
    let mut conn = state.pool.acquire().await?;
    let call = calls::load(&mut conn, id).await?;
    principal.may_read_call(&call.wards, &call.recipients)?;
    let format = match params.format.as_deref() {
        None | Some("xlsx") => TableFormat::Xlsx,
        Some("csv") => TableFormat::Csv,
        Some("json") => TableFormat::Json,
        Some(other) => {
            return Err(ApiError::Malformed(format!(
                "format must be csv, xlsx or json; got {other:?}"
            )));
        }
    };
    // The form's choices: the units a row may name, with their households.
    let mut units: Vec<Value> = Vec::new();
    if call.kind() == FilingKind::YearlyPlan {
        let wards: Vec<(i64, Option<String>, String)> = sqlx::query_as(
            "select id, gso_code, name from admin_unit where id = any($1) order by name",
        )
        .bind(&call.wards)
        .fetch_all(&mut *conn)
        .await?;
        units.extend(wards.into_iter().map(
            |(id, code, name)| json!({"id": id, "code": code, "name": name, "level": "ward"}),
        ));
    }
    units.extend(
        checks::neighbourhoods(&mut conn, &call.wards, call.as_of)
            .await?
            .into_iter()
            .map(|u| json!({"id": u.id, "code": u.code, "name": u.name, "level": "neighbourhood", "households": u.households, "population": u.population})),
    );
    let choices = json!({"fields": rows::field_names(call.kind()), "units": units});
    let table = match call.kind() {
        FilingKind::FixedBroadband => {
            let units = checks::neighbourhoods(&mut conn, &call.wards, call.as_of).await?;
            Table {
                title: "Băng rộng cố định".into(),
                columns: [
                    "Mã tổ dân phố",
                    "Tên tổ dân phố",
                    "Số hộ",
                    "Số hộ được phủ cáp quang",
                    "Số hộ thuê bao cáp quang",
                    "Tốc độ tối đa (Mbps)",
                ]
                .map(String::from)
                .into(),
                rows: units
                    .into_iter()
                    .map(|u| {
                        vec![
                            Cell::from(u.code),
                            Cell::from(u.name),
                            u.households.map(Cell::from).unwrap_or(Cell::Empty),
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                        ]
                    })
                    .collect(),
            }
        }
        FilingKind::YearlyPlan => Table {
            title: format!("Kế hoạch năm {}", call.plan_year.unwrap_or_default()),
            columns: ["Loại", "Mô tả", "Số lượng", "Đơn vị hành chính", "Quý"]
                .map(String::from)
                .into(),
            rows: vec![
                vec![
                    "Trạm BTS".into(),
                    "Trạm 5G mới (ví dụ, xóa dòng này)".into(),
                    Cell::Number(1.0),
                    Cell::from(call.unit_name.clone()),
                    Cell::Number(2.0),
                ],
                vec![
                    "Ngầm hóa".into(),
                    "Hạ ngầm cáp tuyến phố (km, ví dụ)".into(),
                    Cell::Number(1.5),
                    Cell::from(call.unit_name.clone()),
                    Cell::Number(3.0),
                ],
            ],
        },
        FilingKind::MobileCoverage => {
            return Err(ApiError::invalid(
                "kind",
                "coverage is filed as polygons (GeoJSON, GeoPackage or zipped Shapefile) with a technology column (4G or 5G)",
            ));
        }
    };
    table.respond(format, &format!("mau-nop-so-lieu-{id}"), choices)
}
