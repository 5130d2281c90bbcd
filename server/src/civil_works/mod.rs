//! Planned civil works by others — roads, power, water, drainage, lighting —
//! that telecom operators could join so a street is dug once (Telecom Law
//! 2023 Art. 65 asks their owners to share the project information), and the
//! period after a street is resurfaced when it must not be dug again. Ward
//! staff and planners publish them; permit pre-checks read them.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::accounts::policy::Principal;
use crate::app::AppState;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/civil-works", get(list).post(create))
        .route("/civil-works/{id}", delete(remove))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CivilWorkInput {
    pub title: String,
    /// road, power, water, drainage, lighting, telecom or other.
    pub sector: String,
    pub owner_org: String,
    #[serde(default)]
    pub contact: Option<String>,
    #[schema(value_type = Object)]
    pub geometry: Value,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Last day of the no-dig period after resurfacing.
    #[serde(default)]
    pub no_dig_until: Option<NaiveDate>,
    #[serde(default)]
    pub source_doc: Option<String>,
}

impl CivilWorkInput {
    fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        if self.title.trim().is_empty() || self.title.chars().count() > 300 {
            problems.add("title", "must have 1 to 300 characters");
        }
        if ![
            "road", "power", "water", "drainage", "lighting", "telecom", "other",
        ]
        .contains(&self.sector.as_str())
        {
            problems.add(
                "sector",
                "one of road, power, water, drainage, lighting, telecom, other",
            );
        }
        if self.owner_org.trim().is_empty() {
            problems.add("owner_org", "required");
        }
        if self.ends_on < self.starts_on {
            problems.add("ends_on", "is before starts_on");
        }
        if self.no_dig_until.is_some_and(|d| d < self.ends_on) {
            problems.add("no_dig_until", "is before the works end");
        }
        if geojson::Geometry::from_json_value(self.geometry.clone()).is_err() {
            problems.add("geometry", "is not a valid GeoJSON geometry");
        }
        problems.into_result(())
    }
}

async fn list(State(state): State<AppState>, principal: Principal) -> ApiResult<Response> {
    principal.require_login()?;
    let features: Vec<String> = sqlx::query_scalar(
        "select json_build_object('type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.geom, 7)::json,
                'properties', json_build_object('title', c.title, 'sector', c.sector, 'owner_org', c.owner_org,
                    'contact', c.contact, 'starts_on', c.starts_on, 'ends_on', c.ends_on,
                    'no_dig_until', c.no_dig_until, 'source_doc', c.source_doc, 'ward_code', w.gso_code))::text
         from civil_work c left join admin_unit w on w.id = c.ward_id
         order by c.starts_on",
    )
    .fetch_all(&state.pool)
    .await?;
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
        features.join(",")
    );
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<CivilWorkInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    input.check()?;
    let mut tx = state.pool.begin().await?;
    let (problem, ward_id): (Option<String>, Option<i64>) = sqlx::query_as(
        "select (checked_geometry(g, 4326)).problem, ward_for(g) from (select ST_GeomFromGeoJSON($1) g) s",
    )
    .bind(input.geometry.to_string())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(problem) = problem {
        return Err(ApiError::invalid("geometry", problem));
    }
    principal.may_manage_ward_plans(ward_id)?;
    let id: i64 = sqlx::query_scalar(
        "insert into civil_work (title, sector, owner_org, contact, geom, starts_on, ends_on, no_dig_until, source_doc, ward_id, created_by)
         values ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7, $8, $9, $10, $11) returning id",
    )
    .bind(input.title.trim())
    .bind(&input.sector)
    .bind(input.owner_org.trim())
    .bind(&input.contact)
    .bind(input.geometry.to_string())
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(input.no_dig_until)
    .bind(&input.source_doc)
    .bind(ward_id)
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::json!({"id": id, "ward_id": ward_id})),
    )
        .into_response())
}

async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let ward_id: Option<Option<i64>> =
        sqlx::query_scalar("select ward_id from civil_work where id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
    let ward_id =
        ward_id.ok_or_else(|| ApiError::NotFound(format!("there is no civil work {id}")))?;
    principal.may_manage_ward_plans(ward_id)?;
    sqlx::query("delete from civil_work where id = $1")
        .bind(id)
        .execute(&state.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
