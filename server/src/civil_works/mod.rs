//! Planned civil works by others — roads, power, water, drainage, lighting —
//! that telecom operators could join so a street is dug once (Telecom Law
//! 2023 Art. 65 asks their owners to share the project information), and the
//! period after a street is resurfaced when it must not be dug again. Ward
//! staff and planners publish them; permit pre-checks read them.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::audit::changes;
use crate::geometry::{self, GeometryType, SubmittedGeometry};
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::http::query::if_match_version;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, remove))
        .routes(routes!(update))
        .routes(routes!(cancel))
        .routes(routes!(register_interest))
}

/// A civil work as published or changed: the operators it concerns were notified.
#[derive(Debug, Serialize, ToSchema)]
pub struct CivilWorkSaved {
    pub id: i64,
    /// After a change: the new version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[schema(required = true)]
    pub ward_id: Option<i64>,
    /// Codes of the operators it concerns.
    pub matched_operators: Vec<String>,
    /// What to check although the work was taken (code `former_zone`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::validation::FieldProblem>,
}

/// An operator a civil work concerns, and why.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Match {
    #[serde(skip)]
    pub operator_id: i64,
    pub operator: String,
    /// What of the operator's is there: `permit` (an application nearby at about
    /// the same time), `planned` (a planned route), `overhead` (overhead cable
    /// along the street, which could go into a shared duct).
    #[schema(value_type = Vec<MatchReason>)]
    pub reasons: sqlx::types::Json<Vec<MatchReason>>,
}

/// One thing of an operator's that a civil work meets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchReason {
    /// `permit`, `planned` or `overhead`.
    #[schema(pattern = "^(permit|planned|overhead)$")]
    pub source: String,
    /// The application's reference or the asset's code.
    #[serde(rename = "ref")]
    pub reference: String,
    #[schema(required = true)]
    pub title: Option<String>,
}

/// Dig-once matching: telecom operators with planned routes near the work at
/// about the same time, or with overhead cable along it.
pub async fn matches(conn: &mut sqlx::PgConnection, work_id: i64) -> sqlx::Result<Vec<Match>> {
    sqlx::query_as(
        "with w as (select geom, starts_on, ends_on from civil_work where id = $1 and cancelled_at is null),
              found as (
                  select p.operator_id, 'permit' as source, p.reference as ref, p.title
                  from permit_application p, w
                  where p.state = any($2)
                    and p.geom && metres_box(w.geom, 30) and ST_DWithin(p.geom::geography, w.geom::geography, 30)
                    and p.planned_start <= w.ends_on + 180 and p.planned_end >= w.starts_on - 180
                  union all
                  select a.owner_id, 'planned', a.code, a.name
                  from asset a, w
                  where a.kind in ('cable', 'duct', 'trench') and a.status in ('proposed', 'planned')
                    and a.geom && metres_box(w.geom, 30) and ST_DWithin(a.geom::geography, w.geom::geography, 30)
                  union all
                  select c.owner_id, 'overhead', c.code, null
                  from standing_overhead_cable c, w
                  where c.geom && metres_box(w.geom, 15) and ST_DWithin(c.geom::geography, w.geom::geography, 15)
                    and ST_Length(ST_Intersection(c.geom, ST_Buffer(w.geom::geography, 15)::geometry)::geography) >= 20)
         select o.id as operator_id, o.code as operator,
                json_agg(json_build_object('source', f.source, 'ref', f.ref, 'title', f.title) order by f.source, f.ref) as reasons
         from found f join operator o on o.id = f.operator_id
         where o.sector = 'telecom'
         group by o.id, o.code
         order by o.code",
    )
    .bind(work_id)
    .bind(crate::permits::lifecycle::names(crate::permits::lifecycle::LIVE))
    .fetch_all(conn)
    .await
}

#[utoipa::path(get, path = "/civil-works/{id}", tag = "Dig-once", operation_id = "get_civil_work",
    summary = "A civil work with the operators it concerns and their interest",
    params(("id" = i64, Path, description = "The civil work")),
    responses((status = 200, description = "The work.", body = ref("#/components/schemas/CivilWork")),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 404, description = "No such work.", body = ErrorBody)))]
async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Value>> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    let work: Option<sqlx::types::Json<Value>> = sqlx::query_scalar(
        "select json_build_object('id', c.id, 'title', c.title, 'sector', c.sector, 'owner_org', c.owner_org, 'contact', c.contact,
                'starts_on', c.starts_on, 'ends_on', c.ends_on, 'no_dig_until', c.no_dig_until, 'source_doc', c.source_doc,
                'ward_code', w.gso_code, 'ward_name', w.name, 'version', c.version, 'updated_at', c.updated_at,
                'cancelled_at', c.cancelled_at, 'cancel_reason', c.cancel_reason,
                'geometry', ST_AsGeoJSON(c.geom, 7)::json)
         from civil_work c left join admin_unit w on w.id = c.ward_id where c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let mut work = work
        .ok_or_else(|| ApiError::not_found(format!("there is no civil work {id}")))?
        .0;
    let found = matches(&mut conn, id).await?;
    let own = principal.operator().map(|o| o.id);
    let staff = !matches!(principal, Principal::Token { .. }) && principal.operator().is_none();
    // Operators see their own matches and interest; ward staff see all.
    let visible: Vec<&Match> = found
        .iter()
        .filter(|m| staff || Some(m.operator_id) == own)
        .collect();
    let interests: Vec<Value> = sqlx::query_scalar(
        "select json_build_object('operator', o.code, 'note', i.note, 'created_at', i.created_at)
         from civil_work_interest i join operator o on o.id = i.operator_id
         where i.civil_work_id = $1 and ($2 or i.operator_id = $3) order by i.created_at",
    )
    .bind(id)
    .bind(staff)
    .bind(own)
    .fetch_all(&mut *conn)
    .await?;
    work["matches"] =
        serde_json::to_value(visible).map_err(|e| ApiError::Internal(e.to_string()))?;
    work["interests"] = Value::Array(interests);
    Ok(axum::Json(work))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Interest {
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/v1/civil-works/{id}/interest`: an operator asks to co-build.
#[utoipa::path(post, path = "/civil-works/{id}/interest", tag = "Dig-once", operation_id = "register_civil_work_interest",
    summary = "Register the operator's interest in co-building",
    params(("id" = i64, Path, description = "The civil work")),
    request_body(content = Interest, description = "Optional: a note."),
    responses((status = 204, description = "Registered."),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an operator's member.", body = ErrorBody),
              (status = 404, description = "No such work.", body = ErrorBody)))]
async fn register_interest(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<StatusCode> {
    let interest: Interest = if body.is_empty() {
        Interest::default()
    } else {
        crate::http::json::parse_json(&body)?
    };
    let operator = principal
        .operator()
        .cloned()
        .ok_or_else(|| match principal {
            Principal::Public => ApiError::unauthorized("log in as a member of the operator"),
            _ => ApiError::forbidden("only an operator registers interest in co-building"),
        })?;
    let exists: bool = sqlx::query_scalar("select exists (select 1 from civil_work where id = $1)")
        .bind(id)
        .fetch_one(&state.pool)
        .await?;
    if !exists {
        return Err(ApiError::not_found(format!("there is no civil work {id}")));
    }
    if interest
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return Err(ApiError::invalid("note", "is longer than 2000 characters"));
    }
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query(
        "insert into civil_work_interest (civil_work_id, operator_id, note, created_by) values ($1, $2, $3, $4)
         on conflict (civil_work_id, operator_id) do update set note = excluded.note",
    )
    .bind(id)
    .bind(operator.id)
    .bind(&interest.note)
    .bind(principal.user().map(|u| u.id))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
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
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
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
    fn check(&self) -> ApiResult<SubmittedGeometry> {
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
        let submitted = geometry::parse(
            "geometry",
            Some(&self.geometry),
            self.geometry.get("crs"),
            GeometryType::ALL,
            &mut problems,
        );
        let submitted = problems.into_result(submitted)?;
        Ok(submitted.expect("parsed when no problem"))
    }
}

#[utoipa::path(get, path = "/civil-works", tag = "Dig-once", operation_id = "list_civil_works",
    summary = "Planned civil works by others, and no-dig periods",
    responses((status = 200, description = "A FeatureCollection, by start.", content_type = "application/geo+json",
               body = ref("#/components/schemas/CivilWorkCollection")),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn list(State(state): State<AppState>, principal: Principal) -> ApiResult<Response> {
    principal.require_login()?;
    let features: Vec<String> = sqlx::query_scalar(
        "select json_build_object('type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.geom, 7)::json,
                'properties', json_build_object('title', c.title, 'sector', c.sector, 'owner_org', c.owner_org,
                    'contact', c.contact, 'starts_on', c.starts_on, 'ends_on', c.ends_on,
                    'no_dig_until', c.no_dig_until, 'source_doc', c.source_doc, 'ward_code', w.gso_code,
                    'ward_name', w.name, 'cancelled_at', c.cancelled_at, 'cancel_reason', c.cancel_reason))::text
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

#[utoipa::path(post, path = "/civil-works", tag = "Dig-once", operation_id = "create_civil_work",
    summary = "Publish a planned civil work",
    request_body = CivilWorkInput,
    responses((status = 201, description = "Published; the operators it concerns are notified.", body = CivilWorkSaved),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not ward staff, or outside the person's wards.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<CivilWorkInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let submitted = input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let checked = place(&mut tx, &principal, &submitted).await?;
    let ward_id = checked.ward_id;
    let id: i64 = sqlx::query_scalar(
        "insert into civil_work (title, sector, owner_org, contact, geom, starts_on, ends_on, no_dig_until, source_doc, ward_id, created_by)
         values ($1, $2, $3, $4, ST_SetSRID($5::geometry, 4326), $6, $7, $8, $9, $10, $11) returning id",
    )
    .bind(input.title.trim())
    .bind(&input.sector)
    .bind(input.owner_org.trim())
    .bind(&input.contact)
    .bind(checked.wkb())
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(input.no_dig_until)
    .bind(&input.source_doc)
    .bind(ward_id)
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    let found = notify_matches(&mut tx, id, &input).await?;
    tx.commit().await?;
    let matched: Vec<&str> = found.iter().map(|m| m.operator.as_str()).collect();
    Ok((
        StatusCode::CREATED,
        axum::Json(CivilWorkSaved {
            id,
            version: None,
            ward_id,
            matched_operators: matched.iter().map(|m| m.to_string()).collect(),
            warnings: checked.field_warnings("geometry"),
        }),
    )
        .into_response())
}

/// The ward of a work's geometry, checked first: a valid geometry, and (for ward
/// staff and planners) lying in their wards. A work that runs out of them is
/// refused with what lies where, not with a bare "not your ward".
async fn place(
    conn: &mut sqlx::PgConnection,
    principal: &Principal,
    submitted: &geometry::SubmittedGeometry,
) -> ApiResult<geometry::CheckedGeometry> {
    let checked = geometry::check(&mut *conn, submitted)
        .await?
        .map_err(|problem| ApiError::invalid("geometry", problem))?;
    if let Some(user) = principal.user()
        && !principal.is_admin()
        && !user.scope_wards.is_empty()
    {
        // How much of the work lies outside the person's wards, and in which wards.
        let (outside, wards): (f64, Option<String>) = sqlx::query_as(
            "with g as (select ST_SetSRID($1::geometry, 4326) g),
                  scope as (select ST_Union(boundary) u from admin_unit where id = any($2)),
                  outside as (select ST_Difference(g.g, coalesce(scope.u, ST_GeomFromText('POLYGON EMPTY', 4326))) d from g, scope)
             select case when GeometryType(d) like '%POLYGON' then ST_Area(d::geography) else ST_Length(d::geography) end,
                    (select string_agg(w.name, ', ' order by w.name) from admin_unit w
                     where w.level = 'ward' and (w.valid_to is null or w.valid_to >= current_date)
                       and not w.id = any($2) and w.boundary && d and ST_Intersects(w.boundary, d)
                       and not ST_Touches(w.boundary, d))
             from outside",
        )
        .bind(checked.wkb())
        .bind(&user.scope_wards)
        .fetch_one(&mut *conn)
        .await?;
        let point = matches!(checked.geometry, geo_types::Geometry::Point(_));
        if (point && outside > 0.0) || outside > 1.0 {
            let where_ =
                wards.map_or_else(|| "outside every ward".to_string(), |w| format!("in {w}"));
            let amount = if point {
                "the point lies".to_string()
            } else if matches!(
                checked.geometry,
                geo_types::Geometry::Polygon(_) | geo_types::Geometry::MultiPolygon(_)
            ) {
                format!("{:.0} m² of the area lie", outside)
            } else {
                format!("{:.0} m of the line lie", outside)
            };
            return Err(ApiError::invalid(
                "geometry",
                format!(
                    "{amount} {where_}, outside the wards you work in: draw only the part in your wards, or ask the ward concerned to announce the rest"
                ),
            ));
        }
    }
    principal.may_manage_ward_plans(checked.ward_id)?;
    Ok(checked)
}

/// Dig-once: tells the operators the work concerns (each once per work).
async fn notify_matches(
    tx: &mut sqlx::PgConnection,
    id: i64,
    input: &CivilWorkInput,
) -> ApiResult<Vec<Match>> {
    let found = matches(&mut *tx, id).await?;
    for m in &found {
        crate::notifications::to_operator(
            &mut *tx,
            m.operator_id,
            None,
            "dig_once",
            &format!(
                "Cơ hội thi công chung: \"{}\" ({}) từ {} đến {} gần tuyến của quý doanh nghiệp. Đăng ký tham gia tại công trình số {id}.",
                input.title.trim(),
                input.owner_org.trim(),
                input.starts_on.format("%d/%m/%Y"),
                input.ends_on.format("%d/%m/%Y")
            ),
            &format!(
                "Dig-once chance: \"{}\" ({}) from {} to {} near your routes. Register interest on civil work {id}.",
                input.title.trim(),
                input.owner_org.trim(),
                input.starts_on,
                input.ends_on
            ),
            Some(format!("civil:{id}")),
        )
        .await?;
    }
    Ok(found)
}

/// `PATCH /api/v1/civil-works/{id}`: a JSON Merge Patch of the work (its
/// dates moved, its route redrawn); operators it newly concerns are told.
#[utoipa::path(
    patch,
    path = "/civil-works/{id}",
    tag = "Dig-once",
    operation_id = "update_civil_work",
    params(("id" = i64, Path, description = "The civil work")),
    request_body(content = Value, description = "A JSON Merge Patch of the work (fields of CivilWorkInput)", content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed: the new version and the operators it concerns.", body = CivilWorkSaved),
        (status = 401, description = "Not logged in."),
        (status = 403, description = "Outside the person's wards, or not ward staff."),
        (status = 404, description = "No such work."),
        (status = 409, description = "Cancelled, or a stale If-Match."),
        (status = 422, description = "Invalid, or partly outside the person's wards (said where).")
    )
)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<axum::Json<CivilWorkSaved>> {
    principal.require_login()?;
    let expected = if_match_version(&headers)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let current: Option<(sqlx::types::Json<Value>, Option<i64>, i32, bool)> = sqlx::query_as(
        "select json_build_object('title', title, 'sector', sector, 'owner_org', owner_org, 'contact', contact,
                'geometry', ST_AsGeoJSON(geom, 7)::json, 'starts_on', starts_on, 'ends_on', ends_on,
                'no_dig_until', no_dig_until, 'source_doc', source_doc),
                ward_id, version, cancelled_at is not null
         from civil_work where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (document, ward_id, version, cancelled) =
        current.ok_or_else(|| ApiError::not_found(format!("there is no civil work {id}")))?;
    principal.may_manage_ward_plans(ward_id)?;
    if cancelled {
        return Err(ApiError::conflict(format!(
            "civil work {id} is cancelled; it can no longer change"
        )));
    }
    if let Some(expected) = expected
        && expected != version
    {
        return Err(ApiError::VersionConflict {
            expected,
            current: version,
            changes: Vec::new(),
        });
    }
    let mut document = document.0;
    crate::assets::input::merge_patch(&mut document, &patch);
    let input: CivilWorkInput =
        serde_json::from_value(document).map_err(|e| ApiError::invalid("body", e.to_string()))?;
    let submitted = input.check()?;
    let checked = place(&mut tx, &principal, &submitted).await?;
    let ward_id = checked.ward_id;
    sqlx::query(
        "update civil_work set title = $2, sector = $3, owner_org = $4, contact = $5, geom = ST_SetSRID($6::geometry, 4326),
                starts_on = $7, ends_on = $8, no_dig_until = $9, source_doc = $10, ward_id = $11,
                version = version + 1, updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(input.title.trim())
    .bind(&input.sector)
    .bind(input.owner_org.trim())
    .bind(&input.contact)
    .bind(checked.wkb())
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(input.no_dig_until)
    .bind(&input.source_doc)
    .bind(ward_id)
    .execute(&mut *tx)
    .await?;
    let found = notify_matches(&mut tx, id, &input).await?;
    tx.commit().await?;
    let matched: Vec<String> = found.iter().map(|m| m.operator.clone()).collect();
    Ok(axum::Json(CivilWorkSaved {
        id,
        version: Some(version + 1),
        ward_id,
        matched_operators: matched,
        warnings: checked.field_warnings("geometry"),
    }))
}

/// Why a civil work is cancelled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cancellation {
    pub reason: String,
}

/// `POST /api/v1/civil-works/{id}/cancel`: the work will not happen; it stays on
/// record with the reason, and meets no permit or operator any more.
#[utoipa::path(
    post,
    path = "/civil-works/{id}/cancel",
    tag = "Dig-once",
    operation_id = "cancel_civil_work",
    params(("id" = i64, Path, description = "The civil work")),
    request_body = Cancellation,
    responses(
        (status = 204, description = "Cancelled."),
        (status = 401, description = "Not logged in."),
        (status = 403, description = "Outside the person's wards, or not ward staff."),
        (status = 404, description = "No such work."),
        (status = 409, description = "Already cancelled."),
        (status = 422, description = "No reason given.")
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<Cancellation>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::invalid(
            "reason",
            "must have 1 to 2000 characters",
        ));
    }
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let current: Option<(Option<i64>, bool)> = sqlx::query_as(
        "select ward_id, cancelled_at is not null from civil_work where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (ward_id, cancelled) =
        current.ok_or_else(|| ApiError::not_found(format!("there is no civil work {id}")))?;
    principal.may_manage_ward_plans(ward_id)?;
    if cancelled {
        return Err(ApiError::conflict(format!(
            "civil work {id} is already cancelled"
        )));
    }
    sqlx::query(
        "update civil_work set cancelled_at = now(), cancel_reason = $2, version = version + 1, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/civil-works/{id}", tag = "Dig-once", operation_id = "delete_civil_work",
    summary = "Remove a civil work",
    params(("id" = i64, Path, description = "The civil work")),
    responses((status = 204, description = "Removed."),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not ward staff, or outside the person's wards.", body = ErrorBody),
              (status = 404, description = "No such work.", body = ErrorBody)))]
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
        ward_id.ok_or_else(|| ApiError::not_found(format!("there is no civil work {id}")))?;
    principal.may_manage_ward_plans(ward_id)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query("delete from civil_work where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
