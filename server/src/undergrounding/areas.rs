//! Streets and zones where cable must go underground, from the city's yearly
//! plan: each with a target year and the document it comes from.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::accounts::policy::Principal;
use crate::assets::input::merge_patch;
use crate::audit::changes;
use crate::geometry::{self, CheckedGeometry, GeometryType};
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/undergrounding/areas", get(list).post(create))
        .route("/undergrounding/areas/{id}", patch(update).delete(remove))
}

/// An area as a planner submits it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaInput {
    pub name: String,
    /// A street (its centre line, a LineString) or a zone (a Polygon).
    #[schema(value_type = Object)]
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

async fn list(State(state): State<AppState>, principal: Principal) -> ApiResult<Response> {
    principal.require_login()?;
    let features: Vec<String> = sqlx::query_scalar(
        "select json_build_object('type', 'Feature', 'id', a.id, 'geometry', ST_AsGeoJSON(a.geom, 7)::json,
                'properties', json_build_object('name', a.name, 'area_type', a.area_type, 'target_year', a.target_year,
                    'source_doc', a.source_doc, 'corridor_m', a.corridor_m, 'ward_code', w.gso_code, 'ward_name', w.name))::text
         from undergrounding_area a left join admin_unit w on w.id = a.ward_id
         order by a.target_year, a.name",
    )
    .fetch_all(&state.pool)
    .await?;
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
        features.join(",")
    );
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// A write's answer with the geometry's warnings, when it has any.
pub(super) fn with_warnings(mut body: Value, checked: &CheckedGeometry) -> Value {
    let warnings = checked.field_warnings("geometry");
    if !warnings.is_empty() {
        body["warnings"] = serde_json::json!(warnings);
    }
    body
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
        axum::Json(with_warnings(
            serde_json::json!({"id": id, "area_type": area_type}),
            &checked,
        )),
    )
        .into_response())
}

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
