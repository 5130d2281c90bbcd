//! The indicator endpoints: the registry of kinds, stored values, a
//! department's declaration with its evidence, a unit's figures on a day, and
//! the coverage map of a unit's neighbourhood units.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::values::{self, DeclaredInput, StoredValue};
use super::{Figure, How, Meta, Scope};
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, Code, Problem};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;

/// Largest evidence file.
const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let evidence_upload = OpenApiRouter::new()
        .routes(routes!(upload_evidence))
        .layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES));
    OpenApiRouter::new()
        .routes(routes!(kinds))
        .routes(routes!(list, declare))
        .routes(routes!(remove))
        .routes(routes!(evidence))
        .routes(routes!(unit_figures))
        .routes(routes!(coverage))
        .merge(evidence_upload)
}

/// A kind as the API lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindInfo {
    #[serde(flatten)]
    pub meta: Meta,
    /// registry, stored, share or units_with.
    pub how: &'static str,
}

fn how_name(how: How) -> &'static str {
    match how {
        How::Registry(_) => "registry",
        How::Stored => "stored",
        How::Share { .. } => "share",
        How::UnitsWith { .. } => "units_with",
    }
}

/// `GET /api/v1/indicators`: every kind of indicator.
#[utoipa::path(get, path = "/indicators", tag = "Indicators",
    responses((status = 200, body = [KindInfo])))]
pub async fn kinds() -> axum::Json<Vec<KindInfo>> {
    axum::Json(
        super::kinds()
            .iter()
            .map(|k| KindInfo {
                meta: k.meta().clone(),
                how: how_name(k.how()),
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ValueParams {
    /// The unit (its parts' values come too).
    pub unit: i64,
    pub indicator: Option<String>,
    /// computed, filed or declared.
    pub source: Option<String>,
}

/// `GET /api/v1/indicator-values?unit=…`: stored values with their source.
#[utoipa::path(get, path = "/indicator-values", operation_id = "list_indicator_values", tag = "Indicators",
    params(ValueParams),
    responses((status = 200, body = [StoredValue]), (status = 401, description = "Not logged in.")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<ValueParams>,
) -> ApiResult<axum::Json<Vec<StoredValue>>> {
    principal.may_read_plans()?;
    if let Some(source) = &params.source
        && super::Source::parse(source).is_none()
    {
        return Err(ApiError::Malformed(
            "source is computed, filed or declared".into(),
        ));
    }
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(
        values::list(
            &mut conn,
            params.unit,
            params.indicator.as_deref(),
            params.source.as_deref(),
        )
        .await?,
    ))
}

/// The id of what was stored.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NewId {
    pub id: i64,
}

/// An evidence file as stored.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StoredEvidence {
    pub id: i64,
    /// Hex SHA-256 of the file.
    pub sha256: String,
}

/// `POST /api/v1/indicator-values`: a department declares a value.
#[utoipa::path(post, path = "/indicator-values", tag = "Indicators",
    request_body = DeclaredInput,
    responses((status = 201, description = "Recorded (replacing the same unit's value of that day): its id.", body = crate::indicators::handlers::NewId),
              (status = 401, description = "Not logged in."), (status = 403, description = "The role may not declare values for this unit."),
              (status = 404, description = "No such unit."), (status = 422, description = "Every problem, by field.")))]
pub async fn declare(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<DeclaredInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    principal
        .may_declare_values(&crate::admin_units::store::ancestors(&mut tx, input.unit_id).await?)?;
    let id = values::declare(&mut tx, &principal, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(NewId { id })).into_response())
}

/// `DELETE /api/v1/indicator-values/{id}`: withdraws a declared value.
#[utoipa::path(delete, path = "/indicator-values/{id}", tag = "Indicators",
    params(("id" = i64, Path, description = "Value id")),
    responses((status = 204, description = "Withdrawn."), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not withdraw it."), (status = 404, description = "No such declared value.")))]
pub async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let unit: Option<i64> = sqlx::query_scalar(
        "select unit_id from indicator_value where id = $1 and source = 'declared'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let unit =
        unit.ok_or_else(|| ApiError::not_found(format!("there is no declared value {id}")))?;
    principal.may_declare_values(&crate::admin_units::store::ancestors(&mut tx, unit).await?)?;
    sqlx::query("delete from indicator_value where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    pub file_name: String,
}

/// `POST /api/v1/indicator-evidence?file_name=…`: the body is the file.
#[utoipa::path(post, path = "/indicator-evidence", tag = "Indicators",
    params(EvidenceParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored: its id and SHA-256.", body = crate::indicators::handlers::StoredEvidence), (status = 401, description = "Not logged in."),
              (status = 403, description = "Only staff who may declare values upload evidence."),
              (status = 413, description = "Larger than 20 MB."), (status = 422, description = "An empty file or a bad name.")))]
pub async fn upload_evidence(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<EvidenceParams>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require_login()?;
    if principal.operator().is_some() {
        return Err(ApiError::forbidden(
            Problem::new(
                Code::RoleMayNot,
                "evidence of declared values comes from the ward's departments",
            )
            .with("action", "declare_values"),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::invalid("body", "the file is empty"));
    }
    let name = params.file_name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(ApiError::invalid(
            "file_name",
            "must have 1 to 255 characters",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| *t != "application/octet-stream")
        .map(str::to_string)
        .unwrap_or_else(|| crate::http::attachment::content_type_of(name).to_string());
    let sha256 = hex(&Sha256::digest(&body));
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into indicator_evidence (file_name, content_type, size_bytes, sha256, content, uploaded_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(name)
    .bind(&content_type)
    .bind(body.len() as i32)
    .bind(&sha256)
    .bind(body.as_ref())
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(StoredEvidence { id, sha256 }),
    )
        .into_response())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /api/v1/indicator-evidence/{id}`: the file.
#[utoipa::path(get, path = "/indicator-evidence/{id}", operation_id = "indicator_evidence", tag = "Indicators",
    params(("id" = i64, Path, description = "Evidence id")),
    responses((status = 200, description = "The file, with the type it was stored with.", content(
            (String = "application/pdf"),
            (String = "application/msword"),
            (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (String = "application/vnd.ms-excel"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "application/vnd.oasis.opendocument.text"),
            (String = "image/png"),
            (String = "image/jpeg"),
            (String = "text/plain"),
            (String = "application/octet-stream"),
        )), (status = 401, description = "Not logged in."),
              (status = 404, description = "No such file.")))]
pub async fn evidence(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    principal.may_read_plans()?;
    let file: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "select file_name, content_type, content from indicator_evidence where id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    let (name, content_type, content) =
        file.ok_or_else(|| ApiError::not_found(format!("there is no evidence file {id}")))?;
    Ok(crate::http::attachment::attachment(
        &name,
        &content_type,
        content,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FigureParams {
    /// The day (default today).
    pub at: Option<NaiveDate>,
    /// Comma-separated indicator codes (default all).
    pub indicators: Option<String>,
}

/// One figure of a unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitFigure {
    pub indicator: String,
    pub name_vi: String,
    pub measure: super::Measure,
    pub figure: Option<Figure>,
}

/// Every figure (or those asked) of a unit on a day.
pub async fn figures_of(
    conn: &mut sqlx::PgConnection,
    unit_id: i64,
    day: NaiveDate,
    codes: Option<&[&str]>,
) -> ApiResult<Vec<UnitFigure>> {
    let scope = Scope {
        unit_id,
        day,
        live: day >= today(),
        baseline: None,
    };
    let mut out = Vec::new();
    for kind in super::kinds() {
        let meta = kind.meta();
        if codes.is_some_and(|c| !c.contains(&meta.code)) {
            continue;
        }
        out.push(UnitFigure {
            indicator: meta.code.to_string(),
            name_vi: meta.name_vi.to_string(),
            measure: meta.measure,
            figure: super::figures::figure(conn, *kind, &scope).await?,
        });
    }
    Ok(out)
}

fn parse_codes(text: Option<&str>) -> ApiResult<Option<Vec<&str>>> {
    let Some(text) = text else { return Ok(None) };
    let codes: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if let Some(unknown) = codes.iter().find(|c| super::kind(c).is_none()) {
        return Err(ApiError::Malformed(format!(
            "{unknown} is not an indicator"
        )));
    }
    Ok(Some(codes))
}

/// `GET /api/v1/admin-units/{id}/figures`: the unit's figures on a day.
#[utoipa::path(get, path = "/admin-units/{id}/figures", tag = "Indicators",
    params(("id" = i64, Path, description = "Unit id"), FigureParams),
    responses((status = 200, body = [UnitFigure]), (status = 400, description = "An unknown indicator."),
              (status = 401, description = "Not logged in."), (status = 404, description = "No such unit.")))]
pub async fn unit_figures(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<FigureParams>,
) -> ApiResult<axum::Json<Vec<UnitFigure>>> {
    principal.may_read_plans()?;
    let codes = parse_codes(params.indicators.as_deref())?;
    let mut conn = state.pool.acquire().await?;
    crate::admin_units::store::ancestors(&mut conn, id).await?;
    let day = params.at.unwrap_or_else(today);
    Ok(axum::Json(
        figures_of(&mut conn, id, day, codes.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CoverageParams {
    /// The day (default today).
    pub at: Option<NaiveDate>,
}

/// The coverage map's answer (built as JSON in [`coverage`]; this describes
/// it, and `openapi_responses` checks answers against it).
#[derive(ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct CoverageCollection {
    #[serde(rename = "type")]
    #[schema(pattern = "^FeatureCollection$")]
    kind: String,
    as_of: NaiveDate,
    /// The unit asked for.
    unit_id: i64,
    /// Its neighbourhood units.
    features: Vec<CoverageFeature>,
    /// The unit's own coverage figures.
    totals: Vec<UnitFigure>,
}

#[derive(ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct CoverageFeature {
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    kind: String,
    id: i64,
    /// The unit's boundary or territory; null where neither is known.
    #[schema(schema_with = crate::geometry::schema::any_geometry_or_null)]
    geometry: Option<Value>,
    properties: CoverageProperties,
}

/// A neighbourhood unit's households and population (where recorded) and,
/// under each of [`COVERAGE_FIGURES`]' codes, its share (a number or null),
/// with `<code>_source` (as_of, operators, methods, synthetic) where known.
#[derive(ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct CoverageProperties {
    name: String,
    unit_type: String,
    #[schema(required = false)]
    households: Option<i64>,
    #[schema(required = false)]
    population: Option<i64>,
    #[schema(required = false)]
    population_as_of: Option<NaiveDate>,
    #[schema(required = false)]
    population_synthetic: Option<bool>,
}

/// The figures of the coverage map.
pub const COVERAGE_FIGURES: [&str; 4] = [
    "fibre_households_passed_pct",
    "fibre_households_subscribed_pct",
    "population_5g_covered_pct",
    "population_4g5g_covered_pct",
];

/// `GET /api/v1/admin-units/{id}/coverage`: the unit's neighbourhood units
/// as GeoJSON Features with households, population and the coverage shares
/// (for a choropleth), and the unit's own totals.
#[utoipa::path(get, path = "/admin-units/{id}/coverage", tag = "Indicators",
    params(("id" = i64, Path, description = "A ward or commune"), CoverageParams),
    responses((status = 200, description = "A FeatureCollection of neighbourhood units, with `totals`.", content_type = "application/geo+json", body = CoverageCollection),
              (status = 401, description = "Not logged in."), (status = 404, description = "No such unit.")))]
pub async fn coverage(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<CoverageParams>,
) -> ApiResult<Response> {
    principal.may_read_plans()?;
    let day = params.at.unwrap_or_else(today);
    let mut conn = state.pool.acquire().await?;
    crate::admin_units::store::ancestors(&mut conn, id).await?;
    let parts: Vec<(i64, String, String, Option<sqlx::types::Json<Value>>)> = sqlx::query_as(
        "select u.id, u.name, u.unit_type, ST_AsGeoJSON(coalesce(u.boundary, admin_unit_territory(u.id)), 6)::json
         from admin_unit u where u.id in (select admin_unit_neighbourhoods($1, $2)) and u.id <> $1
         order by length(u.name), u.name",
    )
    .bind(id)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    let people = super::figures::population(
        &mut conn,
        &parts.iter().map(|p| p.0).collect::<Vec<_>>(),
        day,
    )
    .await?;
    let mut features = Vec::new();
    for (unit, name, unit_type, geometry) in parts {
        let figures = figures_of(&mut conn, unit, day, Some(&COVERAGE_FIGURES)).await?;
        let mut properties = serde_json::Map::new();
        properties.insert("name".into(), name.into());
        properties.insert("unit_type".into(), unit_type.into());
        if let Some(p) = people.iter().find(|p| p.unit_id == unit) {
            properties.insert("households".into(), p.households.into());
            properties.insert("population".into(), p.population.into());
            properties.insert("population_as_of".into(), json!(p.as_of));
            properties.insert("population_synthetic".into(), p.synthetic.into());
        }
        for f in figures {
            properties.insert(
                f.indicator.clone(),
                f.figure.as_ref().map_or(Value::Null, |x| x.value.into()),
            );
            if let Some(x) = &f.figure {
                properties.insert(
                    format!("{}_source", f.indicator),
                    json!({"as_of": x.provenance.as_of, "operators": x.provenance.operators,
                           "methods": x.provenance.methods, "synthetic": x.provenance.synthetic}),
                );
            }
        }
        features.push(json!({"type": "Feature", "id": unit, "geometry": geometry.map(|g| g.0), "properties": properties}));
    }
    let totals = figures_of(&mut conn, id, day, Some(&COVERAGE_FIGURES)).await?;
    let body = json!({"type": "FeatureCollection", "as_of": day, "unit_id": id, "features": features, "totals": totals});
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        body.to_string(),
    )
        .into_response())
}
