//! Administrative units: provinces and wards (phường, xã, đặc khu). Since
//! 1/7/2025 local government has two tiers and the ward's People's Committee
//! issues construction permits (Decree 140/2025/NĐ-CP), so the ward is where
//! assets are counted and permits decided. Units change over time (the 2025
//! reorganisation merged provinces and wards), so each has a validity period
//! and lookups are for a date (today by default).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(provinces))
        .routes(routes!(list))
        .routes(routes!(get_one))
        .routes(routes!(publication, set_publication))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct WardParams {
    /// Province GSO code.
    province: Option<String>,
    /// Text in the ward name.
    q: Option<String>,
    /// Date of validity (default today).
    #[param(format = Date)]
    at: Option<String>,
}

fn parse_date(text: Option<&str>) -> ApiResult<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| ApiError::Malformed(format!("at must be a date YYYY-MM-DD; got {t:?}")))
    })
    .transpose()
}

/// A province valid on a date.
#[derive(Debug, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Province {
    pub gso_code: String,
    pub name: String,
    pub unit_type: String,
    /// Central meridian of the province's VN-2000 TM-3 zone, degrees.
    #[schema(required = true)]
    pub tm3_meridian: Option<f64>,
    pub valid_from: NaiveDate,
    #[schema(required = true)]
    pub valid_to: Option<NaiveDate>,
}

/// The shape of [`ward_feature`]'s answer, for the API description (the
/// feature is built in SQL; `openapi_responses` checks answers against it).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct WardFeature {
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    kind: String,
    id: i64,
    /// The boundary; null where none is loaded.
    #[schema(schema_with = crate::geometry::schema::any_geometry_or_null)]
    geometry: Option<Value>,
    properties: WardProperties,
}

#[derive(utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Described, not built.
pub struct WardProperties {
    gso_code: String,
    name: String,
    unit_type: String,
    province_code: String,
    province_name: String,
    #[schema(required = true)]
    tm3_meridian: Option<f64>,
    valid_from: NaiveDate,
    #[schema(required = true)]
    valid_to: Option<NaiveDate>,
    /// Assets in the ward that are not decommissioned.
    asset_count: i64,
    /// minLon, minLat, maxLon, maxLat of the boundary.
    #[schema(min_items = 4, max_items = 4)]
    #[schema(required = true)]
    bbox: Option<Vec<f64>>,
}

/// Wards as a FeatureCollection.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Described, not built.
pub struct WardCollection {
    #[serde(rename = "type")]
    #[schema(pattern = "^FeatureCollection$")]
    kind: String,
    #[serde(rename = "numberReturned")]
    number_returned: i64,
    features: Vec<WardFeature>,
}

/// A ward as a GeoJSON Feature, with `geometry` the SQL of its boundary as GeoJSON.
fn ward_feature(geometry: &str) -> String {
    format!("json_build_object(
        'type', 'Feature', 'id', w.id,
        'geometry', {geometry},
        'properties', json_build_object(
            'gso_code', w.gso_code, 'name', w.name, 'unit_type', w.unit_type,
            'province_code', p.gso_code, 'province_name', p.name, 'tm3_meridian', p.tm3_meridian,
            'valid_from', w.valid_from, 'valid_to', w.valid_to,
            'asset_count', (select count(*) from asset a where a.ward_id = w.id and a.status <> 'decommissioned'),
            'bbox', case when w.boundary is null then null else json_build_array(
                ST_XMin(w.boundary), ST_YMin(w.boundary), ST_XMax(w.boundary), ST_YMax(w.boundary)) end))")
}

const BOUNDARY_GEOJSON: &str = "ST_AsGeoJSON(w.boundary, 6)::json";

const VALID_AT: &str = "w.valid_from <= $1 and (w.valid_to is null or w.valid_to >= $1)";

#[utoipa::path(get, path = "/wards", tag = "Reference data", operation_id = "list_wards",
    summary = "Wards with boundaries",
    params(WardParams),
    responses((status = 200, description = "A FeatureCollection of wards.", content_type = "application/geo+json",
               body = WardCollection),
              (status = 400, description = "A bad date.", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<WardParams>,
) -> ApiResult<Response> {
    let at = parse_date(params.at.as_deref())?;
    let q = params
        .q
        .filter(|q| !q.trim().is_empty())
        .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    let features: Vec<String> = sqlx::query_scalar(&format!(
        "select {}::text
         from admin_unit w join admin_unit p on p.id = w.parent_id
         where w.level = 'ward' and {VALID_AT}
           and ($2::text is null or p.gso_code = $2)
           and ($3::text is null or vi_fold(w.name) like vi_fold($3))
         order by p.name, w.name",
        ward_feature(BOUNDARY_GEOJSON)
    ))
    .bind(at.unwrap_or_else(today))
    .bind(params.province)
    .bind(q)
    .fetch_all(&state.pool)
    .await?;
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"numberReturned\":{},\"features\":[{}]}}",
        features.len(),
        features.join(",")
    );
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

#[utoipa::path(get, path = "/wards/{code}", tag = "Reference data", operation_id = "get_ward",
    summary = "One ward by GSO code",
    params(("code" = String, Path, description = "The ward's GSO code")),
    responses((status = 200, description = "The ward as a Feature.", content_type = "application/geo+json",
               body = WardFeature),
              (status = 404, description = "No such ward.", body = ErrorBody)))]
async fn get_one(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Response> {
    let feature: Option<String> = sqlx::query_scalar(&format!(
        "select {}::text
         from admin_unit w join admin_unit p on p.id = w.parent_id
         where w.level = 'ward' and w.gso_code = $2
         order by ({VALID_AT}) desc, w.valid_from desc
         limit 1",
        ward_feature(BOUNDARY_GEOJSON)
    ))
    .bind(today())
    .bind(&code)
    .fetch_optional(&state.pool)
    .await?;
    let feature = feature
        .ok_or_else(|| ApiError::not_found(format!("there is no ward with GSO code {code}")))?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], feature).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ProvinceParams {
    /// Date of validity (default today).
    #[param(format = Date)]
    at: Option<String>,
}

#[utoipa::path(get, path = "/provinces", tag = "Reference data", operation_id = "list_provinces",
    summary = "Provinces, with their VN-2000 TM-3 meridian",
    params(ProvinceParams),
    responses((status = 200, description = "Provinces valid on the date, by name.",
               body = Vec<Province>),
              (status = 400, description = "A bad date.", body = ErrorBody)))]
async fn provinces(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ProvinceParams>,
) -> ApiResult<axum::Json<Vec<Province>>> {
    let at = parse_date(params.at.as_deref())?;
    let provinces: Vec<Province> = sqlx::query_as(&format!(
        "select w.gso_code, w.name, w.unit_type, w.tm3_meridian, w.valid_from, w.valid_to
         from admin_unit w
         where w.level = 'province' and {VALID_AT}
         order by w.name"
    ))
    .bind(at.unwrap_or_else(today))
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(provinces))
}

/// What a ward shows the public (people who are not logged in).
#[derive(Debug, Clone, Default, serde::Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// Tower locations, classes and owners.
    pub towers: bool,
    /// Progress of undergrounding.
    pub undergrounding: bool,
    /// Planned works (road works, permits granted).
    pub planned_works: bool,
}

async fn current_ward_id(state: &AppState, code: &str) -> ApiResult<i64> {
    let id: Option<i64> = sqlx::query_scalar(
        "select id from admin_unit where level = 'ward' and gso_code = $1
         order by (valid_to is null or valid_to >= current_date) desc, valid_from desc limit 1",
    )
    .bind(code)
    .fetch_optional(&state.pool)
    .await?;
    id.ok_or_else(|| ApiError::not_found(format!("there is no ward with GSO code {code}")))
}

#[utoipa::path(get, path = "/wards/{code}/publication", tag = "Reference data", operation_id = "get_publication",
    summary = "What the ward shows the public",
    params(("code" = String, Path, description = "The ward's GSO code")),
    responses((status = 200, description = "Publication settings.", body = Publication),
              (status = 404, description = "No such ward.", body = ErrorBody)))]
async fn publication(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<axum::Json<Publication>> {
    let ward_id = current_ward_id(&state, &code).await?;
    let publication: Option<Publication> = sqlx::query_as(
        "select towers, undergrounding, planned_works from ward_publication where ward_id = $1",
    )
    .bind(ward_id)
    .fetch_optional(&state.pool)
    .await?;
    Ok(axum::Json(publication.unwrap_or_default()))
}

#[utoipa::path(put, path = "/wards/{code}/publication", tag = "Administration", operation_id = "set_publication",
    summary = "Set what the ward shows the public",
    params(("code" = String, Path, description = "The ward's GSO code")),
    request_body = Publication,
    responses((status = 200, description = "Set.", body = Publication),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an admin.", body = ErrorBody),
              (status = 404, description = "No such ward.", body = ErrorBody)))]
async fn set_publication(
    State(state): State<AppState>,
    principal: Principal,
    Path(code): Path<String>,
    ApiJson(publication): ApiJson<Publication>,
) -> ApiResult<axum::Json<Publication>> {
    principal.may_administer()?;
    let ward_id = current_ward_id(&state, &code).await?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query(
        "insert into ward_publication (ward_id, towers, undergrounding, planned_works, updated_by)
         values ($1, $2, $3, $4, $5)
         on conflict (ward_id) do update set towers = $2, undergrounding = $3, planned_works = $4,
             updated_by = $5, updated_at = now()",
    )
    .bind(ward_id)
    .bind(publication.towers)
    .bind(publication.undergrounding)
    .bind(publication.planned_works)
    .bind(principal.user().map(|u| u.id))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // What the public's map shows has changed.
    state
        .tiles
        .invalidate(crate::tiles::Invalidation {
            layers: crate::tiles::LayerSet::of(&[crate::tiles::Layer::PublicTowers]),
            bbox: None,
        })
        .await;
    Ok(axum::Json(publication))
}

/// Which wards a page of the OGC collection holds: valid on some day of
/// `[valid_from, valid_to]`, optionally in a box and a province, by id.
#[derive(Debug, Clone)]
pub struct WardFilter {
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub bbox: Option<[f64; 4]>,
    pub province: Option<String>,
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub limit: i64,
    /// Wards to skip before the page (OGC `offset`).
    pub offset: i64,
}

/// `from ... where ...` of the wards a filter selects.
fn push_ward_filter(
    query: &mut sqlx::QueryBuilder<sqlx::Postgres>,
    filter: &WardFilter,
    paged: bool,
) {
    query
        .push(" from admin_unit w join admin_unit p on p.id = w.parent_id where w.level = 'ward' and w.valid_from <= ")
        .push_bind(filter.valid_to)
        .push(" and (w.valid_to is null or w.valid_to >= ")
        .push_bind(filter.valid_from)
        .push(")");
    if let Some([x1, y1, x2, y2]) = filter.bbox {
        query
            .push(" and ST_Intersects(w.boundary, ST_MakeEnvelope(")
            .push_bind(x1)
            .push(", ")
            .push_bind(y1)
            .push(", ")
            .push_bind(x2)
            .push(", ")
            .push_bind(y2)
            .push(", 4326))");
    }
    if let Some(province) = &filter.province {
        query.push(" and p.gso_code = ").push_bind(province.clone());
    }
    if paged {
        if let Some(after) = filter.after {
            query.push(" and w.id > ").push_bind(after);
        }
        if let Some(before) = filter.before {
            query.push(" and w.id < ").push_bind(before);
        }
    }
}

/// One page of wards as Features `(id, feature)` in id order, the geometry
/// in `srid` (latitude first when `lat_first`), and whether more follow
/// (before the page, when paging backwards with `before`).
pub async fn page(
    pool: &sqlx::PgPool,
    filter: &WardFilter,
    srid: i32,
    lat_first: bool,
) -> sqlx::Result<(Vec<(i64, String)>, bool)> {
    let mut query = sqlx::QueryBuilder::new("select w.id, ");
    query
        .push(ward_feature(&boundary_sql(srid, lat_first)))
        .push("::text");
    push_ward_filter(&mut query, filter, true);
    let backwards = filter.before.is_some() && filter.after.is_none();
    query
        .push(if backwards {
            " order by w.id desc limit "
        } else {
            " order by w.id limit "
        })
        .push_bind(filter.limit + 1);
    if filter.offset > 0 {
        query.push(" offset ").push_bind(filter.offset);
    }
    let mut rows: Vec<(i64, String)> = query.build_query_as().fetch_all(pool).await?;
    let more = rows.len() as i64 > filter.limit;
    rows.truncate(filter.limit as usize);
    if backwards {
        rows.reverse();
    }
    Ok((rows, more))
}

/// How many wards a filter selects.
pub async fn count(pool: &sqlx::PgPool, filter: &WardFilter) -> sqlx::Result<i64> {
    let mut query = sqlx::QueryBuilder::new("select count(*)");
    push_ward_filter(&mut query, filter, false);
    query.build_query_scalar().fetch_one(pool).await
}

/// One ward by its id, as a Feature.
pub async fn feature(
    pool: &sqlx::PgPool,
    id: i64,
    srid: i32,
    lat_first: bool,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(&format!(
        "select {}::text from admin_unit w join admin_unit p on p.id = w.parent_id
         where w.level = 'ward' and w.id = $1",
        ward_feature(&boundary_sql(srid, lat_first))
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

fn boundary_sql(srid: i32, lat_first: bool) -> String {
    let mut geom = if srid == 4326 {
        "w.boundary".to_string()
    } else {
        format!("ST_Transform(w.boundary, {srid})")
    };
    if lat_first {
        geom = format!("ST_FlipCoordinates({geom})");
    }
    let digits = if crate::coordinates::is_projected(srid) {
        2
    } else {
        6
    };
    format!("ST_AsGeoJSON({geom}, {digits})::json")
}
