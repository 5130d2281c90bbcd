//! The yearly reports' API: draft a report for a unit and year, write its
//! difficulties and proposals, take the parts departments and operators
//! send, finalise it (a frozen, hashed version), and download it as DOCX,
//! PDF (LibreOffice's typesetting of that DOCX), XLSX annex or print view;
//! a province reads its units' reports and a roll-up.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::gather;
use super::model::{self, ReportFacts};
use super::store::{self, Part, ReportRow, VersionRow};
use crate::admin_units::double_option;
use crate::admin_units::store::ancestors;
use crate::audit::changes;
use crate::documents;
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem, Problems};
use crate::http::json::ApiJson;
use crate::http::query::if_match_version;
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;

/// The longest text an official or a contributor writes in one field.
const MAX_TEXT: usize = 20_000;

fn too_long() -> Problem {
    Problem::new(Code::TooLong, "at most 20,000 characters").with("max", MAX_TEXT)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(rollup))
        .routes(routes!(read, update))
        .routes(routes!(finalise))
        .routes(routes!(send_part))
}

/// `POST /api/v1/yearly-reports` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// The unit reporting (admin unit id).
    pub unit: i64,
    pub year: i32,
    /// The plan reported on; by default the unit's plan whose period holds the year.
    #[serde(default)]
    pub plan: Option<i64>,
}

/// A report with what it says now (a draft) or as finalised.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    #[serde(flatten)]
    pub report: ReportRow,
    pub unit_name: String,
    pub facts: ReportFacts,
    pub versions: Vec<VersionRow>,
    pub parts: Vec<Part>,
}

async fn view(state: &AppState, row: ReportRow) -> ApiResult<ReportView> {
    let mut conn = state.pool.acquire().await?;
    let facts = match (row.state.as_str(), row.finalised_version) {
        ("finalised", Some(v)) => store::frozen(&mut conn, row.id, v).await?,
        _ => gather::facts(&mut conn, &row, today()).await?,
    };
    Ok(ReportView {
        unit_name: facts.unit.written(),
        versions: store::versions(&mut conn, row.id).await?,
        parts: store::parts(&mut conn, row.id).await?,
        facts,
        report: row,
    })
}

/// `POST /api/v1/yearly-reports`: the report of a unit for a year (201 when
/// drafted now, 200 when it exists already).
#[utoipa::path(post, path = "/yearly-reports", operation_id = "create_yearly_report", tag = "Yearly reports", request_body = NewReport,
    responses((status = 201, body = ReportView, description = "Drafted now."), (status = 200, body = ReportView, description = "It existed already."),
              (status = 401, description = "Not logged in.", body = ErrorBody), (status = 403, description = "Not staff of the unit.", body = ErrorBody),
              (status = 422, description = "No such unit, a bad year, or no plan for it.", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<NewReport>,
) -> ApiResult<Response> {
    let mut problems = Problems::new();
    if !(2000..=2100).contains(&input.year) {
        problems.add(
            "year",
            Problem::new(Code::OutOfRange, "must be from 2000 to 2100")
                .with("min", 2000)
                .with("max", 2100),
        );
    }
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let exists: bool = sqlx::query_scalar("select exists (select 1 from admin_unit where id = $1)")
        .bind(input.unit)
        .fetch_one(&mut *tx)
        .await?;
    if !exists {
        problems.add(
            "unit",
            Problem::new(Code::UnknownValue, "no such administrative unit")
                .with("value", input.unit),
        );
    }
    problems.into_result(())?;
    principal.may_write_report(&ancestors(&mut tx, input.unit).await?)?;
    let plan: Option<i64> = match input.plan {
        Some(plan) => sqlx::query_scalar("select id from plan where id = $1").bind(plan).fetch_optional(&mut *tx).await?,
        None => sqlx::query_scalar(
            "select id from plan where unit_id in (select id from admin_unit_lineage($1)) and $2 between period_from and period_to
             order by (unit_id = $1) desc, issued_on desc nulls last, id desc limit 1",
        )
        .bind(input.unit)
        .bind(input.year)
        .fetch_optional(&mut *tx)
        .await?,
    };
    let Some(plan) = plan else {
        return Err(ApiError::invalid(
            if input.plan.is_some() { "plan" } else { "unit" },
            Problem::new(
                Code::NoPlanForYear,
                format!("has no plan whose period holds {}", input.year),
            )
            .with("year", input.year),
        ));
    };
    let (row, status) = match store::find(&mut tx, input.unit, input.year, plan).await? {
        Some(row) => (row, StatusCode::OK),
        None => (
            store::insert(&mut tx, input.unit, input.year, plan).await?,
            StatusCode::CREATED,
        ),
    };
    tx.commit().await?;
    let id = row.id;
    let mut response = (status, Json(view(&state, row).await?)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/yearly-reports/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Reports of this unit and of the units under it.
    pub unit: i64,
    pub year: Option<i32>,
}

/// A report in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSummary {
    #[serde(flatten)]
    pub report: ReportRow,
    pub unit_name: String,
    pub versions: Vec<VersionRow>,
}

async fn units_under(conn: &mut sqlx::PgConnection, unit: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "with recursive under as (select id from admin_unit where id = $1
                                   union select a.id from admin_unit a join under u on a.parent_id = u.id)
         select id from under",
    )
    .bind(unit)
    .fetch_all(conn)
    .await
}

/// `GET /api/v1/yearly-reports?unit=&year=`: the reports of a unit and the units under it.
#[utoipa::path(get, path = "/yearly-reports", operation_id = "list_yearly_reports", tag = "Yearly reports", params(ListParams),
    responses((status = 200, body = [ReportSummary], description = "The reports, with their versions."), (status = 401, description = "Not logged in.", body = ErrorBody), (status = 403, description = "Not staff of the unit.", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Vec<ReportSummary>>> {
    let mut conn = state.pool.acquire().await?;
    principal.may_read_reports(&ancestors(&mut conn, params.unit).await?)?;
    let units = units_under(&mut conn, params.unit).await?;
    let mut out = Vec::new();
    for report in store::list(&mut conn, &units, params.year).await? {
        let unit_name: String =
            sqlx::query_scalar("select unit_type || ' ' || name from admin_unit where id = $1")
                .bind(report.unit_id)
                .fetch_one(&mut *conn)
                .await?;
        out.push(ReportSummary {
            versions: store::versions(&mut conn, report.id).await?,
            unit_name,
            report,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RollupParams {
    /// The province (or any unit): its units' reports are rolled up.
    pub unit: i64,
    pub year: i32,
}

/// One unit's line of the roll-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollupRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub report_id: Option<i64>,
    /// `missing`, `draft` or `finalised`.
    pub state: String,
    pub version: Option<i32>,
    pub dated: Option<chrono::NaiveDate>,
    pub targets: usize,
    pub met: usize,
    pub behind: usize,
    pub no_data: usize,
}

/// The roll-up of a province's units for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rollup {
    pub unit_id: i64,
    pub year: i32,
    pub units: Vec<RollupRow>,
    /// Registry figures that add up (counts and km), summed over the finalised reports.
    #[schema(value_type = Object)]
    pub totals: Value,
}

/// `GET /api/v1/yearly-reports/rollup?unit=&year=`: every unit under the
/// given one that has a plan for the year, with its report's state and the
/// finalised reports' targets and summed figures.
#[utoipa::path(get, path = "/yearly-reports/rollup", tag = "Yearly reports", params(RollupParams),
    responses((status = 200, body = Rollup, description = "Each unit's report and the summed figures."), (status = 401, description = "Not logged in.", body = ErrorBody), (status = 403, description = "Not staff of the unit.", body = ErrorBody)))]
pub async fn rollup(
    State(state): State<AppState>,
    principal: Principal,
    Query(params): Query<RollupParams>,
) -> ApiResult<Json<Rollup>> {
    let mut conn = state.pool.acquire().await?;
    principal.may_read_reports(&ancestors(&mut conn, params.unit).await?)?;
    let units = units_under(&mut conn, params.unit).await?;
    type Line = (i64, String, Option<i64>, Option<String>, Option<i32>);
    let rows: Vec<Line> = sqlx::query_as(
        "select u.id, u.unit_type || ' ' || u.name, r.id, r.state, r.finalised_version
         from admin_unit u
         left join yearly_report r on r.unit_id = u.id and r.year = $2
         where u.id = any($1) and u.id <> $3
           and (r.id is not null or exists (select 1 from plan p where p.unit_id = u.id and $2 between p.period_from and p.period_to))
         order by u.name, r.id",
    )
    .bind(&units)
    .bind(params.year)
    .bind(params.unit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    let mut totals = serde_json::Map::new();
    for (unit_id, unit_name, report_id, state_, version) in rows {
        let mut row = RollupRow {
            unit_id,
            unit_name,
            report_id,
            state: state_.clone().unwrap_or_else(|| "missing".into()),
            version,
            dated: None,
            targets: 0,
            met: 0,
            behind: 0,
            no_data: 0,
        };
        if let (Some(id), Some(v)) = (report_id, version) {
            let facts = store::frozen(&mut conn, id, v).await?;
            row.dated = Some(facts.dated);
            row.targets = facts.targets.len();
            row.met = facts.targets.iter().filter(|t| t.status == "met").count();
            row.behind = facts
                .targets
                .iter()
                .filter(|t| t.status == "behind" || t.status == "at_risk")
                .count();
            row.no_data = facts
                .targets
                .iter()
                .filter(|t| t.status == "no_data")
                .count();
            for f in facts
                .figures
                .iter()
                .filter(|f| f.unit != "%" && !f.unit.contains("ngày"))
            {
                let entry = totals
                    .entry(f.name.clone())
                    .or_insert(json!({"value": 0.0, "unit": f.unit, "reports": 0}));
                entry["value"] =
                    json!(entry["value"].as_f64().unwrap_or(0.0) + f.value.unwrap_or(0.0));
                entry["reports"] = json!(entry["reports"].as_i64().unwrap_or(0) + 1);
            }
        }
        out.push(row);
    }
    Ok(Json(Rollup {
        unit_id: params.unit,
        year: params.year,
        units: out,
        totals: Value::Object(totals),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadParams {
    /// A finalised version (default: the last one once finalised, else the draft).
    pub version: Option<i32>,
}

fn parse_key(key: &str) -> ApiResult<(i64, Option<&str>)> {
    let (id, ext) = match key.split_once('.') {
        Some((id, ext)) => (id, Some(ext)),
        None => (key, None),
    };
    let id = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("no yearly report {key:?}")))?;
    match ext {
        None | Some("docx" | "pdf" | "xlsx" | "html") => Ok((id, ext)),
        Some(other) => Err(ApiError::not_found(format!(
            "yearly reports come as .docx, .pdf, .xlsx or .html, not .{other}"
        ))),
    }
}

fn download(
    bytes: Vec<u8>,
    content_type: &'static str,
    filename: String,
    inline: bool,
) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!(
        "{}; filename=\"{filename}\"",
        if inline { "inline" } else { "attachment" }
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /api/v1/yearly-reports/{id}` (JSON) and `{id}.docx`, `{id}.pdf`,
/// `{id}.xlsx` (the annex: every figure with its source), `{id}.html`.
#[utoipa::path(get, path = "/yearly-reports/{key}", tag = "Yearly reports",
    params(("key" = String, Path, description = "The report id, or the id with .docx, .pdf, .xlsx or .html"), ReadParams),
    responses((status = 200, description = "The report (JSON), or the file the key's extension asks for.",
               content((ReportView = "application/json"),
                       (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                       (String = "application/pdf"),
                       (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                       (String = "text/html"))), (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not staff of the unit.", body = ErrorBody), (status = 404, description = "No such report or version.", body = ErrorBody),
              (status = 503, description = "No LibreOffice on the server (PDF).", body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    principal: Principal,
    Path(key): Path<String>,
    Query(params): Query<ReadParams>,
) -> ApiResult<Response> {
    let (id, ext) = parse_key(&key)?;
    let mut conn = state.pool.acquire().await?;
    let row = store::get(&mut conn, id).await?;
    principal.may_read_reports(&ancestors(&mut conn, row.unit_id).await?)?;
    let Some(ext) = ext else {
        drop(conn);
        return Ok(Json(view(&state, row).await?).into_response());
    };
    let facts = match (params.version, row.state.as_str(), row.finalised_version) {
        (Some(v), ..) => store::frozen(&mut conn, id, v).await?,
        (None, "finalised", Some(v)) => store::frozen(&mut conn, id, v).await?,
        _ => gather::facts(&mut conn, &row, today()).await?,
    };
    drop(conn);
    let name = format!("bao-cao-{}-{}", row.year, id);
    let internal = |e: String| ApiError::Internal(e);
    Ok(match ext {
        "xlsx" => download(
            model::annex(&facts).map_err(|e| internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{name}-phu-luc.xlsx"),
            false,
        ),
        "html" => Html(
            documents::html::render(&model::document(&facts), &[])
                .map_err(|e| internal(e.to_string()))?,
        )
        .into_response(),
        ext => {
            if ext == "pdf" && !state.pdf.available() {
                return Err(documents::pdf::PdfError::NoLibreOffice.into());
            }
            let docx = tokio::task::spawn_blocking(move || {
                documents::docx::render(&model::document(&facts))
            })
            .await
            .map_err(|e| internal(e.to_string()))?
            .map_err(|e| internal(e.to_string()))?;
            if ext == "pdf" {
                let pdf = state.pdf.convert(&docx).await?;
                download(pdf.to_vec(), "application/pdf", format!("{name}.pdf"), true)
            } else {
                download(
                    docx,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    format!("{name}.docx"),
                    false,
                )
            }
        }
    })
}

/// `PATCH /api/v1/yearly-reports/{id}` body: what the official writes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportChange {
    #[serde(default)]
    pub difficulties: Option<String>,
    #[serde(default)]
    pub proposals: Option<String>,
    /// Number and symbol (`125/BC-UBND`); null clears it.
    #[serde(default, deserialize_with = "double_option")]
    pub number: Option<Option<String>>,
}

/// `PATCH /api/v1/yearly-reports/{id}`: the difficulties, proposals and
/// number. A finalised report becomes the draft of its next version;
/// `If-Match` with a stale version is a 409.
#[utoipa::path(patch, path = "/yearly-reports/{key}", operation_id = "update_yearly_report", tag = "Yearly reports",
    params(("key" = i64, Path, description = "The report id")), request_body = ReportChange,
    responses((status = 200, body = ReportView, description = "Changed."), (status = 401, description = "Not logged in.", body = ErrorBody), (status = 403, description = "Not staff of the unit.", body = ErrorBody),
              (status = 404, description = "No such report.", body = ErrorBody), (status = 409, description = "Changed since.", body = ErrorBody), (status = 422, description = "Every problem, by field.", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(key): Path<String>,
    headers: HeaderMap,
    ApiJson(change): ApiJson<ReportChange>,
) -> ApiResult<Json<ReportView>> {
    let (id, ext) = parse_key(&key)?;
    if ext.is_some() {
        return Err(ApiError::not_found("a report's files are read-only"));
    }
    let mut problems = Problems::new();
    for (field, text) in [
        ("difficulties", &change.difficulties),
        ("proposals", &change.proposals),
    ] {
        if text.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT) {
            problems.add(field, too_long());
        }
    }
    if let Some(Some(number)) = &change.number {
        if number.trim().is_empty() {
            problems.add(
                "number",
                Problem::new(
                    Code::Empty,
                    "the number and symbol, such as 125/BC-UBND (null clears it)",
                ),
            );
        } else if number.chars().count() > 60 {
            problems.add(
                "number",
                Problem::new(Code::TooLong, "at most 60 characters, such as 125/BC-UBND")
                    .with("max", 60),
            );
        }
    }
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let row = store::get(&mut tx, id).await?;
    principal.may_write_report(&ancestors(&mut tx, row.unit_id).await?)?;
    let row = store::update_text(
        &mut tx,
        id,
        if_match_version(&headers)?,
        change.number,
        change.difficulties,
        change.proposals,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(view(&state, row).await?))
}

/// `POST /api/v1/yearly-reports/{id}/finalise`: freezes the report as it
/// stands today as its next version, with its SHA-256 (recorded in the
/// change log); later changes make a new version.
#[utoipa::path(post, path = "/yearly-reports/{id}/finalise", tag = "Yearly reports",
    params(("id" = i64, Path, description = "The report id")),
    responses((status = 200, body = ReportView, description = "Finalised: its new version, hash and facts."), (status = 401, description = "Not logged in.", body = ErrorBody), (status = 403, description = "Not staff of the unit.", body = ErrorBody),
              (status = 404, description = "No such report.", body = ErrorBody), (status = 409, description = "Already finalised with nothing changed since.", body = ErrorBody)))]
pub async fn finalise(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReportView>> {
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let row = store::get(&mut tx, id).await?;
    principal.may_write_report(&ancestors(&mut tx, row.unit_id).await?)?;
    if row.state == "finalised" {
        let version = row.finalised_version.unwrap_or(1);
        return Err(ApiError::conflict(
            Problem::new(
                Code::AlreadyFinalised,
                format!(
                    "version {version} is finalised and nothing has changed since; change the report to make a new version"
                ),
            )
            .with("version", version),
        ));
    }
    let facts = gather::facts(&mut tx, &row, today()).await?;
    store::finalise(&mut tx, &row, &facts, &principal.actor().name).await?;
    let row = store::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(view(&state, row).await?))
}

/// `PUT /api/v1/yearly-reports/{id}/parts` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartInput {
    /// The operator sending its part (code); absent for a department's part.
    #[serde(default)]
    pub operator: Option<String>,
    /// The department sending it (`Phòng Văn hóa - Xã hội`); for operators, their name.
    #[serde(default)]
    pub department: Option<String>,
    pub body: String,
    /// Send it now (else it is kept as a draft).
    #[serde(default)]
    pub submit: bool,
}

/// `PUT /api/v1/yearly-reports/{id}/parts`: a department or an operator
/// writes (and sends) its part of the report.
#[utoipa::path(put, path = "/yearly-reports/{id}/parts", tag = "Yearly reports",
    params(("id" = i64, Path, description = "The report id")), request_body = PartInput,
    responses((status = 200, body = Part, description = "Saved (and sent, with `submit`)."), (status = 401, description = "Not logged in.", body = ErrorBody), (status = 403, description = "Not this operator or the unit's staff.", body = ErrorBody),
              (status = 404, description = "No such report.", body = ErrorBody), (status = 422, description = "Every problem, by field.", body = ErrorBody)))]
pub async fn send_part(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PartInput>,
) -> ApiResult<Json<Part>> {
    let mut problems = Problems::new();
    if input.body.chars().count() > MAX_TEXT {
        problems.add("body", too_long());
    }
    if input.operator.is_none()
        && input
            .department
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
    {
        problems.add(
            "department",
            Problem::new(
                Code::Required,
                "required for a department's part (or give the operator)",
            ),
        );
    }
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let operator: Option<(i64, String)> = match &input.operator {
        Some(code) => {
            let found = sqlx::query_as("select id, short_name from operator where code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                problems.add(
                    "operator",
                    Problem::new(Code::UnknownValue, "no such operator")
                        .with("value", code.as_str()),
                );
            }
            found
        }
        None => None,
    };
    problems.into_result(())?;
    let row = store::get(&mut tx, id).await?;
    principal.may_send_report_part(
        &ancestors(&mut tx, row.unit_id).await?,
        operator.as_ref().map(|o| o.0),
    )?;
    let contributor = match &operator {
        Some((_, name)) => name.clone(),
        None => input
            .department
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let part = store::save_part(
        &mut tx,
        id,
        operator.map(|o| o.0),
        &contributor,
        &input.body,
        input.submit,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(part))
}
