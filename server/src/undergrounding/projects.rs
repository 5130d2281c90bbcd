//! Undergrounding projects: a street or route where a shared duct is built and
//! the operators move their cable into it. Progress is reported in km built;
//! when the works are complete each operator confirms, with a photo, that its
//! overhead cable is down (its cables there are decommissioned, so the flags
//! update at once); a project closes only when no overhead cable stands in it.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::assets::AssetKind;
use crate::audit::changes;
use crate::geometry::{self, GeometryType};
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// Largest removal photo accepted.
const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one))
        .routes(routes!(set_status))
        .routes(routes!(progress))
        .routes(
            routes!(confirm_removal).layer(axum::extract::DefaultBodyLimit::max(
                MAX_PHOTO_BYTES + 64 * 1024,
            )),
        )
        .routes(routes!(photo))
        .routes(routes!(close))
}

const TAG: &str = "Undergrounding";

/// An undergrounding project with its progress and each operator's part.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: i64,
    pub name: String,
    #[schema(required = true)]
    pub area_id: Option<i64>,
    #[schema(required = true)]
    pub area_name: Option<String>,
    pub status: ProjectStatus,
    #[schema(required = true)]
    pub duct_design: Option<String>,
    #[schema(required = true)]
    pub starts_on: Option<NaiveDate>,
    #[schema(required = true)]
    pub ends_on: Option<NaiveDate>,
    #[schema(required = true)]
    pub budget_source: Option<String>,
    #[schema(required = true)]
    pub ward_code: Option<String>,
    #[schema(required = true)]
    pub ward_name: Option<String>,
    pub version: i64,
    /// The route's length, km.
    pub length_km: f64,
    /// Km of duct built, as last reported.
    pub built_km: f64,
    /// The reports, oldest first.
    pub progress: Vec<ProgressPoint>,
    /// The operators whose cable moves, by code.
    pub operators: Vec<ProjectOperator>,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
    /// Things to check that did not stop a write, e.g. a former province's meridian (only in a write's answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::validation::FieldProblem>,
}

/// Where a project stands; `closed` is reached only through `/close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Planned,
    InProgress,
    Completed,
    Closed,
    Cancelled,
}

/// One progress report of a project.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressPoint {
    pub day: NaiveDate,
    pub km_built: f64,
    #[schema(required = true)]
    pub note: Option<String>,
}

/// An operator's part in a project.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectOperator {
    pub operator: String,
    /// When it confirmed that its overhead cable is down.
    #[schema(required = true)]
    pub removal_confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The cables it took down (decommissioned).
    #[schema(required = true)]
    pub removed_cables: Option<Vec<i64>>,
    pub has_photo: bool,
    /// Its overhead cable still standing in the project, metres.
    pub overhead_m_remaining: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub name: String,
    /// The undergrounding area the project works on; or give a geometry.
    #[serde(default)]
    pub area_id: Option<i64>,
    /// The street or route (a LineString), when not an area.
    #[serde(default)]
    #[schema(schema_with = crate::geometry::schema::any_geometry_or_null)]
    pub geometry: Option<Value>,
    #[serde(default)]
    pub corridor_m: Option<f64>,
    #[serde(default)]
    pub duct_design: Option<String>,
    /// Codes of the operators whose cable moves into the duct.
    pub operators: Vec<String>,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    #[serde(default)]
    pub budget_source: Option<String>,
}

/// A project with its progress and each operator's confirmation.
async fn document(conn: &mut PgConnection, id: i64) -> ApiResult<(Project, Option<i64>)> {
    let row: Option<(sqlx::types::Json<Project>, Option<i64>)> = sqlx::query_as(
        "select json_build_object(
                    'id', p.id, 'name', p.name, 'area_id', p.area_id,
                    'area_name', (select u.name from undergrounding_area u where u.id = p.area_id),
                    'status', p.status, 'duct_design', p.duct_design,
                    'starts_on', p.starts_on, 'ends_on', p.ends_on, 'budget_source', p.budget_source,
                    'ward_code', w.gso_code, 'ward_name', w.name, 'version', p.version,
                    'length_km', round((ST_Length(p.geom::geography) / 1000)::numeric, 3),
                    'built_km', coalesce((select km_built from project_progress g where g.project_id = p.id order by g.day desc, g.id desc limit 1), 0),
                    'progress', coalesce((select json_agg(json_build_object('day', g.day, 'km_built', g.km_built, 'note', g.note) order by g.day, g.id)
                                          from project_progress g where g.project_id = p.id), '[]'),
                    'operators', coalesce((select json_agg(json_build_object(
                                     'operator', o.code, 'removal_confirmed_at', x.removal_confirmed_at,
                                     'removed_cables', x.removed_cables, 'has_photo', x.photo is not null,
                                     'overhead_m_remaining', (select coalesce(round(sum(ST_Length(ST_Intersection(c.geom, p.footprint)::geography))::numeric, 1), 0)
                                                              from standing_overhead_cable c
                                                              where c.owner_id = x.operator_id and ST_Intersects(c.geom, p.footprint)))
                                     order by o.code)
                                   from project_operator x join operator o on o.id = x.operator_id
                                   where x.project_id = p.id), '[]'),
                    'geometry', ST_AsGeoJSON(p.geom, 7)::json),
                p.ward_id
         from undergrounding_project p left join admin_unit w on w.id = p.ward_id
         where p.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let (document, ward) =
        row.ok_or_else(|| ApiError::not_found(format!("there is no undergrounding project {id}")))?;
    Ok((document.0, ward))
}

#[utoipa::path(get, path = "/undergrounding/projects", tag = TAG, operation_id = "list_undergrounding_projects",
    summary = "Undergrounding projects with progress",
    responses((status = 200, description = "The projects, open ones first.", body = Vec<Project>),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<Project>>> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    let ids: Vec<i64> = sqlx::query_scalar("select id from undergrounding_project order by status = 'closed', starts_on nulls last, id")
        .fetch_all(&mut *conn)
        .await?;
    let mut projects = Vec::new();
    for id in ids {
        projects.push(document(&mut conn, id).await?.0);
    }
    Ok(axum::Json(projects))
}

#[utoipa::path(get, path = "/undergrounding/projects/{id}", tag = TAG, operation_id = "get_undergrounding_project",
    summary = "A project with each operator's remaining overhead metres",
    params(("id" = i64, Path, description = "The project")),
    responses((status = 200, description = "The project.", body = Project),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 404, description = "No such project.", body = ErrorBody)))]
async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Project>> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(document(&mut conn, id).await?.0))
}

#[utoipa::path(post, path = "/undergrounding/projects", tag = TAG, operation_id = "create_undergrounding_project",
    summary = "Register a project",
    request_body = ProjectInput,
    responses((status = 201, description = "Registered.", body = Project),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not a planner of the ward.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<ProjectInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut problems = Problems::new();
    if input.name.trim().is_empty() || input.name.chars().count() > 300 {
        problems.add("name", "must have 1 to 300 characters");
    }
    if input.operators.is_empty() {
        problems.add(
            "operators",
            "name at least one operator whose cable moves underground",
        );
    }
    if input
        .starts_on
        .zip(input.ends_on)
        .is_some_and(|(s, e)| e < s)
    {
        problems.add("ends_on", "is before starts_on");
    }
    if input.area_id.is_none() && input.geometry.is_none() {
        problems.add("geometry", "give the street or route, or an area_id");
    }
    if input
        .corridor_m
        .is_some_and(|c| !(1.0..=100.0).contains(&c))
    {
        problems.add("corridor_m", "from 1 to 100 metres");
    }
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let mut operator_ids = Vec::new();
    let mut problems = Problems::new();
    for code in &input.operators {
        let id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        match id {
            Some(id) => operator_ids.push(id),
            None => problems.add("operators", format!("{code} is not a registered operator")),
        }
    }
    problems.into_result(())?;
    let corridor = input.corridor_m.unwrap_or(15.0);
    let geometry = match (&input.geometry, input.area_id) {
        (Some(geometry), _) => geometry.clone(),
        (None, Some(area)) => {
            let g: Option<sqlx::types::Json<Value>> = sqlx::query_scalar(
                "select ST_AsGeoJSON(geom)::json from undergrounding_area where id = $1",
            )
            .bind(area)
            .fetch_optional(&mut *tx)
            .await?;
            g.ok_or_else(|| {
                ApiError::invalid("area_id", format!("there is no undergrounding area {area}"))
            })?
            .0
        }
        (None, None) => unreachable!("checked above"),
    };
    let checked =
        geometry::parse_and_check(&mut tx, "geometry", Some(&geometry), GeometryType::ALL).await?;
    let ward = checked.ward_id;
    principal.may_plan(ward)?;
    let id: i64 = sqlx::query_scalar(
        "insert into undergrounding_project (name, area_id, geom, footprint, corridor_m, duct_design, starts_on, ends_on, budget_source, ward_id, created_by)
         select $1, $2, g,
                case when $2::bigint is not null then (select footprint from undergrounding_area where id = $2)
                     when GeometryType(g) in ('POLYGON', 'MULTIPOLYGON') then g
                     else ST_Buffer(g::geography, $4, 'endcap=flat join=round')::geometry end,
                $4, $5, $6, $7, $8, $9, $10
         from (select ST_SetSRID($3::geometry, 4326) as g) s
         returning id",
    )
    .bind(input.name.trim())
    .bind(input.area_id)
    .bind(checked.wkb())
    .bind(corridor)
    .bind(&input.duct_design)
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(&input.budget_source)
    .bind(ward)
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    for operator in operator_ids {
        sqlx::query("insert into project_operator (project_id, operator_id) values ($1, $2) on conflict do nothing")
            .bind(id)
            .bind(operator)
            .execute(&mut *tx)
            .await?;
    }
    let (mut body, _) = document(&mut tx, id).await?;
    tx.commit().await?;
    body.warnings = checked.field_warnings("geometry");
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// in_progress, completed or cancelled (closing has its own checks: `/close`).
    pub status: String,
}

#[utoipa::path(post, path = "/undergrounding/projects/{id}/status", tag = TAG, operation_id = "set_undergrounding_project_status",
    summary = "Start, complete or cancel a project",
    params(("id" = i64, Path, description = "The project")),
    request_body = StatusChange,
    responses((status = 200, description = "Done: the project as it now stands.", body = Project),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not allowed for this project.", body = ErrorBody),
              (status = 404, description = "No such project.", body = ErrorBody),
              (status = 409, description = "The project's state forbids it.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn set_status(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<StatusChange>,
) -> ApiResult<axum::Json<Project>> {
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let (current, ward): (String, Option<i64>) = sqlx::query_as(
        "select status, ward_id from undergrounding_project where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("there is no undergrounding project {id}")))?;
    principal.may_plan(ward)?;
    let allowed = matches!(
        (current.as_str(), change.status.as_str()),
        ("planned", "in_progress")
            | ("in_progress", "completed")
            | ("planned" | "in_progress", "cancelled")
            | ("completed", "in_progress")
    );
    if !allowed {
        return Err(ApiError::conflict(format!(
            "a project that is {current} cannot become {}; closing is POST …/close",
            change.status
        )));
    }
    sqlx::query("update undergrounding_project set status = $2, version = version + 1, updated_at = now() where id = $1")
        .bind(id)
        .bind(&change.status)
        .execute(&mut *tx)
        .await?;
    let (body, _) = document(&mut tx, id).await?;
    tx.commit().await?;
    Ok(axum::Json(body))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressReport {
    pub day: NaiveDate,
    /// Km of duct built to date.
    pub km_built: f64,
    #[serde(default)]
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/undergrounding/projects/{id}/progress", tag = TAG, operation_id = "report_undergrounding_progress",
    summary = "Report km of duct built",
    params(("id" = i64, Path, description = "The project")),
    request_body = ProgressReport,
    responses((status = 200, description = "Done: the project as it now stands.", body = Project),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not allowed for this project.", body = ErrorBody),
              (status = 404, description = "No such project.", body = ErrorBody),
              (status = 409, description = "The project's state forbids it.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn progress(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(report): ApiJson<ProgressReport>,
) -> ApiResult<axum::Json<Project>> {
    let mut conn = changes::begin(&state.pool, &principal).await?;
    let (body, ward) = document(&mut conn, id).await?;
    principal.may_plan(ward)?;
    let length = body.length_km;
    if !(0.0..=length * 1.05).contains(&report.km_built) {
        return Err(ApiError::invalid(
            "km_built",
            format!("must be from 0 to the project's length ({length} km)"),
        ));
    }
    if report.day > crate::vn_time::today() {
        return Err(ApiError::invalid("day", "cannot be in the future"));
    }
    sqlx::query("insert into project_progress (project_id, day, km_built, note, reported_by) values ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(report.day)
        .bind(report.km_built)
        .bind(&report.note)
        .bind(principal.user().map(|u| u.id))
        .execute(&mut *conn)
        .await?;
    let body = document(&mut conn, id).await?.0;
    conn.commit().await?;
    Ok(axum::Json(body))
}

/// The removal's form fields.
#[derive(ToSchema)]
#[allow(dead_code)] // Read from the multipart stream, not parsed into this; it describes the form.
pub struct RemovalForm {
    /// A photo of the street without the overhead cable (JPEG, PNG or TIFF).
    #[schema(value_type = String, format = Binary)]
    photo: Vec<u8>,
    /// Comma-separated cable ids (default: all of the operator's in the project).
    cables: Option<String>,
}

/// `POST …/removal` (multipart: `photo`, optional `cables` as comma-separated
/// ids): the operator's confirmation that its overhead cable is down. The
/// cables are decommissioned with the project as the reason.
#[utoipa::path(post, path = "/undergrounding/projects/{id}/removal", tag = TAG, operation_id = "confirm_overhead_removal",
    summary = "An operator confirms, with a photo, that its overhead cable is down (its cables there are decommissioned)",
    params(("id" = i64, Path, description = "The project")),
    request_body(content = RemovalForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "Done: the project as it now stands.", body = Project),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not allowed for this project.", body = ErrorBody),
              (status = 404, description = "No such project.", body = ErrorBody),
              (status = 409, description = "The project's state forbids it.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn confirm_removal(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> ApiResult<axum::Json<Project>> {
    let operator = principal
        .operator()
        .cloned()
        .ok_or_else(|| match principal {
            Principal::Public => ApiError::unauthorized("log in as a member of the operator"),
            _ => ApiError::forbidden("only an operator confirms the removal of its own cable"),
        })?;
    let mut photo: Option<(Vec<u8>, &'static str)> = None;
    let mut cables: Option<Vec<i64>> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge {
                limit: MAX_PHOTO_BYTES,
            }
        } else {
            ApiError::Malformed(format!("the upload is not valid multipart form data: {e}"))
        }
    })? {
        match field.name() {
            Some("photo") => {
                let bytes = field.bytes().await.map_err(|_| ApiError::PayloadTooLarge {
                    limit: MAX_PHOTO_BYTES,
                })?;
                let kind = crate::permits::attachments::sniff(&bytes)
                    .filter(|k| k.media_type.starts_with("image/"))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "photo",
                            "must be a JPEG, PNG or TIFF photo (judged by its content)",
                        )
                    })?;
                photo = Some((bytes.to_vec(), kind.media_type));
            }
            Some("cables") => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| ApiError::Malformed(e.to_string()))?;
                let ids: Result<Vec<i64>, _> = text
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().parse())
                    .collect();
                cables = Some(
                    ids.map_err(|_| ApiError::invalid("cables", "comma-separated cable ids"))?,
                );
            }
            _ => {}
        }
    }
    let (photo, photo_type) = photo.ok_or_else(|| {
        ApiError::invalid(
            "photo",
            "required: a photo of the street without the overhead cable",
        )
    })?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let row: Option<(String, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
        "select p.status, x.removal_confirmed_at from undergrounding_project p
         join project_operator x on x.project_id = p.id and x.operator_id = $2
         where p.id = $1 for update of x",
    )
    .bind(id)
    .bind(operator.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, confirmed)) = row else {
        return Err(ApiError::forbidden(format!(
            "{} does not take part in project {id}",
            operator.code
        )));
    };
    if status != "completed" {
        return Err(ApiError::conflict(format!(
            "removal is confirmed once the works are completed; the project is {status}"
        )));
    }
    if confirmed.is_some() {
        return Err(ApiError::conflict(format!(
            "{} has already confirmed its removal",
            operator.code
        )));
    }
    let in_project: Vec<i64> = sqlx::query_scalar(
        "select c.id from undergrounding_project p join standing_overhead_cable c on ST_Intersects(c.geom, p.footprint)
         where p.id = $1 and c.owner_id = $2 and ST_Length(ST_Intersection(c.geom, p.footprint)::geography) >= 1",
    )
    .bind(id)
    .bind(operator.id)
    .fetch_all(&mut *tx)
    .await?;
    let chosen = cables.unwrap_or_else(|| in_project.clone());
    for cable in &chosen {
        if !in_project.contains(cable) {
            return Err(ApiError::invalid(
                "cables",
                format!(
                    "cable {cable} is not one of {}'s overhead cables in this project",
                    operator.code
                ),
            ));
        }
    }
    let reason = format!("Đã hạ ngầm theo dự án ngầm hóa {id}; tháo dỡ cáp treo có ảnh xác nhận");
    for cable in &chosen {
        crate::assets::store::decommission_in(
            &mut tx,
            AssetKind::Cable,
            *cable,
            None,
            Some(&reason),
            &principal,
        )
        .await?;
    }
    sqlx::query(
        "update project_operator set removal_confirmed_at = now(), confirmed_by = $3, photo = $4, photo_type = $5,
                photo_sha256 = $6, removed_cables = $7
         where project_id = $1 and operator_id = $2",
    )
    .bind(id)
    .bind(operator.id)
    .bind(principal.user().map(|u| u.id))
    .bind(&photo)
    .bind(photo_type)
    .bind(format!("{:x}", Sha256::digest(&photo)))
    .bind(&chosen)
    .execute(&mut *tx)
    .await?;
    let (body, _) = document(&mut tx, id).await?;
    tx.commit().await?;
    Ok(axum::Json(body))
}

#[utoipa::path(get, path = "/undergrounding/projects/{id}/removal/{operator}/photo", tag = TAG, operation_id = "removal_photo",
    summary = "The removal photo",
    params(("id" = i64, Path, description = "The project"), ("operator" = String, Path, description = "The operator's code")),
    responses((status = 200, description = "The photo, with the type it was stored with.",
               content((String = "image/jpeg"), (String = "image/png"), (String = "image/tiff"))),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 404, description = "No such photo.", body = ErrorBody)))]
async fn photo(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, operator)): Path<(i64, String)>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let row: Option<(Option<Vec<u8>>, Option<String>)> = sqlx::query_as(
        "select x.photo, x.photo_type from project_operator x join operator o on o.id = x.operator_id
         where x.project_id = $1 and o.code = $2",
    )
    .bind(id)
    .bind(&operator)
    .fetch_optional(&state.pool)
    .await?;
    let Some((Some(photo), Some(media_type))) = row else {
        return Err(ApiError::not_found(format!(
            "{operator} has no removal photo in project {id}"
        )));
    };
    let mut response = (StatusCode::OK, photo).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// `POST …/close`: only when the works are complete, every operator has
/// confirmed, and no overhead cable stands in the project any more.
#[utoipa::path(post, path = "/undergrounding/projects/{id}/close", tag = TAG, operation_id = "close_undergrounding_project",
    summary = "Close a completed project (refused while overhead cable stands in it)",
    params(("id" = i64, Path, description = "The project")),
    responses((status = 200, description = "Done: the project as it now stands.", body = Project),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not allowed for this project.", body = ErrorBody),
              (status = 404, description = "No such project.", body = ErrorBody),
              (status = 409, description = "The project's state forbids it.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn close(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Project>> {
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let (status, ward): (String, Option<i64>) = sqlx::query_as(
        "select status, ward_id from undergrounding_project where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("there is no undergrounding project {id}")))?;
    principal.may_plan(ward)?;
    if status != "completed" {
        return Err(ApiError::conflict(format!(
            "only a completed project can be closed; this one is {status}"
        )));
    }
    let standing: Vec<(String, String, f64)> = sqlx::query_as(
        "select o.code, c.code, round(ST_Length(ST_Intersection(c.geom, p.footprint)::geography)::numeric, 1)::float8
         from undergrounding_project p
         join standing_overhead_cable c on ST_Intersects(c.geom, p.footprint)
         join operator o on o.id = c.owner_id
         where p.id = $1 and ST_Length(ST_Intersection(c.geom, p.footprint)::geography) >= 1
         order by o.code, c.code",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let unconfirmed: Vec<String> = sqlx::query_scalar(
        "select o.code from project_operator x join operator o on o.id = x.operator_id
         where x.project_id = $1 and x.removal_confirmed_at is null order by o.code",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    if !standing.is_empty() || !unconfirmed.is_empty() {
        let mut why = Vec::new();
        if !unconfirmed.is_empty() {
            why.push(format!("not yet confirmed by {}", unconfirmed.join(", ")));
        }
        if !standing.is_empty() {
            let list: Vec<String> = standing
                .iter()
                .map(|(o, c, m)| format!("{c} of {o} ({m} m)"))
                .collect();
            why.push(format!(
                "overhead cable still stands in it: {}",
                list.join("; ")
            ));
        }
        return Err(ApiError::conflict(format!(
            "project {id} cannot be closed: {}",
            why.join("; ")
        )));
    }
    sqlx::query("update undergrounding_project set status = 'closed', version = version + 1, updated_at = now() where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let (body, _) = document(&mut tx, id).await?;
    tx.commit().await?;
    Ok(axum::Json(body))
}
