//! Streets and zones where cable must go underground, from the city's yearly
//! plan: each with a target year and the document it comes from.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::assets::input::merge_patch;
use crate::audit::changes;
use crate::geometry::{self, CheckedGeometry, GeometryType};
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, remove))
}

const TAG: &str = "Undergrounding";

/// A street (a centre line and its corridor) or a zone (a polygon).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // Stored as text; this names its values for the description.
pub enum AreaType {
    Street,
    Zone,
}

/// A street or zone to put underground, as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndergroundingAreaFeature {
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    pub kind: &'static str,
    pub id: i64,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
    pub properties: UndergroundingAreaProperties,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct UndergroundingAreaProperties {
    pub name: String,
    #[schema(value_type = AreaType)]
    pub area_type: String,
    pub target_year: i32,
    pub source_doc: String,
    /// Half the street corridor's width, metres.
    pub corridor_m: f64,
    #[schema(required = true)]
    pub ward_code: Option<String>,
    #[schema(required = true)]
    pub ward_name: Option<String>,
}

/// The undergrounding areas, by target year and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndergroundingAreaCollection {
    #[serde(rename = "type")]
    #[schema(pattern = "^FeatureCollection$")]
    pub kind: &'static str,
    pub features: Vec<UndergroundingAreaFeature>,
}

/// What adding an area answers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndergroundingAreaCreated {
    pub id: i64,
    /// From the geometry's type.
    #[schema(value_type = AreaType)]
    pub area_type: &'static str,
    /// Things to check that did not stop the write, e.g. a former province's meridian.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::validation::FieldProblem>,
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    geometry: sqlx::types::Json<Value>,
    #[sqlx(flatten)]
    properties: UndergroundingAreaProperties,
}

/// An area as a planner submits it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaInput {
    pub name: String,
    /// A street (its centre line, a LineString) or a zone (a Polygon).
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
    pub target_year: i32,
    /// The plan that lists it, e.g. "Kế hoạch 58/KH-UBND ngày 22/3/2023".
    pub source_doc: String,
    /// For a street: half the corridor width in metres (default 15).
    #[serde(default)]
    pub corridor_m: Option<f64>,
}

impl AreaInput {
    fn check(&self) -> ApiResult<&'static str> {
        let mut problems = Problems::new();
        if self.name.trim().is_empty() || self.name.chars().count() > 300 {
            problems.add("name", "must have 1 to 300 characters");
        }
        if !(2000..=2100).contains(&self.target_year) {
            problems.add("target_year", "must be a year from 2000 to 2100");
        }
        if self.source_doc.trim().is_empty() {
            problems.add(
                "source_doc",
                "required: the plan that lists this street or zone",
            );
        }
        if self.corridor_m.is_some_and(|c| !(1.0..=100.0).contains(&c)) {
            problems.add("corridor_m", "from 1 to 100 metres");
        }
        let area_type = match self.geometry.get("type").and_then(Value::as_str) {
            Some("LineString" | "MultiLineString") => "street",
            Some("Polygon" | "MultiPolygon") => "zone",
            _ => {
                problems.add("geometry", "a street is a LineString, a zone a Polygon");
                "street"
            }
        };
        problems.into_result(area_type)
    }
}

#[utoipa::path(get, path = "/undergrounding/areas", tag = TAG, operation_id = "list_undergrounding_areas",
    summary = "Streets and zones to put underground",
    responses((status = 200, description = "A FeatureCollection of the areas, by target year and name.",
               content_type = "application/geo+json", body = UndergroundingAreaCollection),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn list(State(state): State<AppState>, principal: Principal) -> ApiResult<Response> {
    principal.require_login()?;
    let rows: Vec<AreaRow> = sqlx::query_as(
        "select a.id, ST_AsGeoJSON(a.geom, 7)::json as geometry, a.name, a.area_type, a.target_year,
                a.source_doc, a.corridor_m, w.gso_code as ward_code, w.name as ward_name
         from undergrounding_area a left join admin_unit w on w.id = a.ward_id
         order by a.target_year, a.name",
    )
    .fetch_all(&state.pool)
    .await?;
    let body = UndergroundingAreaCollection {
        kind: "FeatureCollection",
        features: rows
            .into_iter()
            .map(|row| UndergroundingAreaFeature {
                kind: "Feature",
                id: row.id,
                geometry: row.geometry.0,
                properties: row.properties,
            })
            .collect(),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        axum::Json(body),
    )
        .into_response())
}

/// The area's geometry checked, with the ward it lies in.
async fn checked(state: &AppState, geometry: &Value) -> ApiResult<CheckedGeometry> {
    let mut conn = state.pool.acquire().await?;
    geometry::parse_and_check(&mut conn, "geometry", Some(geometry), STREET_OR_ZONE).await
}

/// A street is its centre line, a zone its outline.
const STREET_OR_ZONE: &[GeometryType] = &[
    GeometryType::LineString,
    GeometryType::MultiLineString,
    GeometryType::Polygon,
    GeometryType::MultiPolygon,
];

#[utoipa::path(post, path = "/undergrounding/areas", tag = TAG, operation_id = "create_undergrounding_area",
    summary = "Add a street (LineString) or zone (Polygon) from the city's plan",
    request_body = AreaInput,
    responses((status = 201, description = "Added.", body = UndergroundingAreaCreated),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not a planner of the ward.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<AreaInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let area_type = input.check()?;
    let checked = checked(&state, &input.geometry).await?;
    principal.may_plan(checked.ward_id)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into undergrounding_area (name, geom, target_year, source_doc, area_type, corridor_m, created_by)
         values ($1, ST_SetSRID($2::geometry, 4326), $3, $4, $5, $6, $7) returning id",
    )
    .bind(input.name.trim())
    .bind(checked.wkb())
    .bind(input.target_year)
    .bind(input.source_doc.trim())
    .bind(area_type)
    .bind(input.corridor_m.unwrap_or(15.0))
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(UndergroundingAreaCreated {
            id,
            area_type,
            warnings: checked.field_warnings("geometry"),
        }),
    )
        .into_response())
}

#[utoipa::path(patch, path = "/undergrounding/areas/{id}", tag = TAG, operation_id = "update_undergrounding_area",
    summary = "Change an area (JSON Merge Patch)",
    params(("id" = i64, Path, description = "The area")),
    request_body(content = Value, description = "A JSON Merge Patch of the area (fields of AreaInput)"),
    responses((status = 204, description = "Changed."),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not a planner of the ward.", body = ErrorBody),
              (status = 404, description = "No such area.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let current: Option<(sqlx::types::Json<Value>, Option<i64>)> = sqlx::query_as(
        "select json_build_object('name', name, 'geometry', ST_AsGeoJSON(geom, 7)::json, 'target_year', target_year,
                'source_doc', source_doc, 'corridor_m', corridor_m), ward_id
         from undergrounding_area where id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    let (current, ward) = current
        .ok_or_else(|| ApiError::not_found(format!("there is no undergrounding area {id}")))?;
    principal.may_plan(ward)?;
    let mut document = current.0;
    merge_patch(&mut document, &patch);
    let input: AreaInput =
        serde_json::from_value(document).map_err(|e| ApiError::invalid("body", e.to_string()))?;
    let area_type = input.check()?;
    let checked = checked(&state, &input.geometry).await?;
    principal.may_plan(checked.ward_id)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query(
        "update undergrounding_area set name = $2, geom = ST_SetSRID($3::geometry, 4326), target_year = $4,
                source_doc = $5, area_type = $6, corridor_m = $7, ward_id = null, updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(input.name.trim())
    .bind(checked.wkb())
    .bind(input.target_year)
    .bind(input.source_doc.trim())
    .bind(area_type)
    .bind(input.corridor_m.unwrap_or(15.0))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/undergrounding/areas/{id}", tag = TAG, operation_id = "delete_undergrounding_area",
    summary = "Remove an area",
    params(("id" = i64, Path, description = "The area")),
    responses((status = 204, description = "Removed."),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not a planner of the ward.", body = ErrorBody),
              (status = 404, description = "No such area.", body = ErrorBody),
              (status = 409, description = "A project works on it.", body = ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let ward: Option<Option<i64>> =
        sqlx::query_scalar("select ward_id from undergrounding_area where id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
    let ward =
        ward.ok_or_else(|| ApiError::not_found(format!("there is no undergrounding area {id}")))?;
    principal.may_plan(ward)?;
    let used: bool = sqlx::query_scalar(
        "select exists (select 1 from undergrounding_project where area_id = $1)",
    )
    .bind(id)
    .fetch_one(&state.pool)
    .await?;
    if used {
        return Err(ApiError::conflict(
            "a project works on this area; close or cancel it first",
        ));
    }
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query("delete from undergrounding_area where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
