//! Restricted zones: heritage sites, military land, airport approaches and
//! other places where passive works need care (a warning) or are not allowed
//! (blocking), each with the decision that protects it. Permit pre-checks
//! test applications against them, with a buffer.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::audit::changes;
use crate::geometry::{self, GeometryType};
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use crate::validation::FieldProblem;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(remove))
}

/// The id of a zone just added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ZoneCreated {
    pub id: i64,
    /// Things to check that did not stop the write, e.g. a former province's meridian.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<FieldProblem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneInput {
    pub name: String,
    /// heritage, military, airport, park or other.
    pub zone_type: String,
    #[schema(value_type = Object)]
    pub geometry: Value,
    #[serde(default)]
    pub buffer_m: f64,
    /// warning or blocking.
    #[serde(default = "warning")]
    pub severity: String,
    pub citation: String,
}

fn warning() -> String {
    "warning".into()
}

#[utoipa::path(get, path = "/restricted-zones", tag = "Permits", operation_id = "list_restricted_zones",
    summary = "Restricted zones",
    responses((status = 200, description = "A FeatureCollection.", content_type = "application/geo+json",
               body = ref("#/components/schemas/RestrictedZoneCollection")),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn list(State(state): State<AppState>, principal: Principal) -> ApiResult<Response> {
    principal.require_login()?;
    let features: Vec<String> = sqlx::query_scalar(
        "select json_build_object('type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom, 7)::json,
                'properties', json_build_object('name', name, 'zone_type', zone_type, 'buffer_m', buffer_m,
                                                'severity', severity, 'citation', citation))::text
         from restricted_zone order by name",
    )
    .fetch_all(&state.pool)
    .await?;
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
        features.join(",")
    );
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

#[utoipa::path(post, path = "/restricted-zones", tag = "Permits", operation_id = "create_restricted_zone",
    summary = "Add a restricted zone",
    request_body = ZoneInput,
    responses((status = 201, description = "Added: its id.", body = ZoneCreated),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an admin or ward staff.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<ZoneInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut problems = Problems::new();
    if input.name.trim().is_empty() {
        problems.add("name", "required");
    }
    if !["heritage", "military", "airport", "park", "other"].contains(&input.zone_type.as_str()) {
        problems.add(
            "zone_type",
            "one of heritage, military, airport, park, other",
        );
    }
    if !["warning", "blocking"].contains(&input.severity.as_str()) {
        problems.add("severity", "warning or blocking");
    }
    if !(0.0..=5000.0).contains(&input.buffer_m) {
        problems.add("buffer_m", "from 0 to 5000 metres");
    }
    if input.citation.trim().is_empty() {
        problems.add("citation", "required: the decision that protects the zone");
    }
    let submitted = geometry::parse(
        "geometry",
        Some(&input.geometry),
        input.geometry.get("crs"),
        GeometryType::ALL,
        &mut problems,
    );
    let submitted = problems
        .into_result(submitted)?
        .expect("parsed when no problem");
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let checked = geometry::check(&mut tx, &submitted)
        .await?
        .map_err(|problem| ApiError::invalid("geometry", problem))?;
    principal.may_manage_ward_plans(checked.ward_id)?;
    let id: i64 = sqlx::query_scalar(
        "insert into restricted_zone (name, zone_type, geom, buffer_m, severity, citation)
         values ($1, $2, ST_SetSRID($3::geometry, 4326), $4, $5, $6) returning id",
    )
    .bind(input.name.trim())
    .bind(&input.zone_type)
    .bind(checked.wkb())
    .bind(input.buffer_m)
    .bind(&input.severity)
    .bind(input.citation.trim())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(ZoneCreated {
            id,
            warnings: checked.field_warnings("geometry"),
        }),
    )
        .into_response())
}

#[utoipa::path(delete, path = "/restricted-zones/{id}", tag = "Permits", operation_id = "delete_restricted_zone",
    summary = "Remove a restricted zone",
    params(("id" = i64, Path, description = "The zone")),
    responses((status = 204, description = "Removed."),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an admin or ward staff.", body = ErrorBody),
              (status = 404, description = "No such zone.", body = ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let ward_id: Option<Option<i64>> =
        sqlx::query_scalar("select ward_for(geom) from restricted_zone where id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
    let ward_id =
        ward_id.ok_or_else(|| ApiError::not_found(format!("there is no restricted zone {id}")))?;
    principal.may_manage_ward_plans(ward_id)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query("delete from restricted_zone where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
