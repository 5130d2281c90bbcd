//! Streets (đường phố): the centre lines the map draws for orientation, that
//! undergrounding areas and projects follow and permits name. They are public
//! context, like the ward boundaries: anyone may find a street by name, and a
//! screen that holds a street's id shows it by its name.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::http::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
}

/// The filters of the street list.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreetParams {
    /// Part of the name, with or without diacritics ("tran hung" finds Trần Hưng Đạo).
    pub q: Option<String>,
    /// Street ids, comma-separated (to show the streets a project names).
    pub ids: Option<String>,
    /// `minLon,minLat,maxLon,maxLat`: streets crossing the box.
    pub bbox: Option<String>,
    /// At most this many (default 20, at most 200).
    pub limit: Option<i64>,
}

/// A street as a GeoJSON Feature (the shape `FEATURE` builds).
#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)] // describes the JSON the SQL builds
pub struct StreetFeature {
    /// `Feature`.
    #[schema(pattern = "^Feature$")]
    r#type: String,
    id: i64,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    geometry: (),
    properties: StreetProperties,
}

#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
pub struct StreetProperties {
    id: i64,
    name: String,
    /// `main`, `secondary`, `local` or `alley`.
    class: String,
    length_m: f64,
    /// The wards (today's) it runs through, by name.
    ward_names: Vec<String>,
}

/// Streets as a GeoJSON FeatureCollection.
#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
pub struct StreetCollection {
    /// `FeatureCollection`.
    #[schema(pattern = "^FeatureCollection$")]
    r#type: String,
    #[serde(rename = "numberReturned")]
    number_returned: i64,
    features: Vec<StreetFeature>,
}

/// One street as a GeoJSON Feature: the properties are `id`, `name`, `class`
/// (main, secondary, local, alley), `length_m` and the names of the wards it
/// runs through (today's).
const FEATURE: &str = "json_build_object(
    'type', 'Feature', 'id', s.id,
    'geometry', ST_AsGeoJSON(s.geom, 7)::json,
    'properties', json_build_object(
        'id', s.id, 'name', s.name, 'class', s.class,
        'length_m', round(ST_Length(s.geom::geography)::numeric, 1),
        'ward_names', coalesce((select json_agg(w.name order by w.name) from admin_unit w
                                where w.level = 'ward' and (w.valid_to is null or w.valid_to >= current_date)
                                  and w.boundary && s.geom and ST_Intersects(w.boundary, s.geom)), '[]'::json)))";

fn parse_ids(text: &str) -> ApiResult<Vec<i64>> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<i64>()
                .map_err(|_| ApiError::Malformed(format!("ids must be whole numbers; got {t:?}")))
        })
        .collect()
}

fn parse_bbox(text: &str) -> ApiResult<[f64; 4]> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|t| t.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::Malformed(format!("bbox must be four numbers; got {text:?}")))?;
    match numbers[..] {
        [w, s, e, n] if w < e && s < n => Ok([w, s, e, n]),
        _ => Err(ApiError::Malformed(format!(
            "bbox must be minLon,minLat,maxLon,maxLat; got {text:?}"
        ))),
    }
}

/// `GET /api/v1/streets`: streets by name, by id or in a box, best match first.
#[utoipa::path(
    get,
    path = "/streets",
    tag = "Reference data",
    operation_id = "list_streets",
    security(()),
    params(StreetParams),
    responses((status = 200, description = "A GeoJSON FeatureCollection of streets.", body = StreetCollection, content_type = "application/geo+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StreetParams>,
) -> ApiResult<Response> {
    let ids = params.ids.as_deref().map(parse_ids).transpose()?;
    let bbox = params.bbox.as_deref().map(parse_bbox).transpose()?;
    let limit = params.limit.unwrap_or(20).clamp(1, 200);
    let q = params
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| {
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        });
    let features: Vec<String> = sqlx::query_scalar(&format!(
        "select {FEATURE}::text
         from street s
         where ($1::text is null or vi_fold(s.name) like '%' || vi_fold($1) || '%')
           and ($2::bigint[] is null or s.id = any($2))
           and ($3::float8[] is null or s.geom && ST_MakeEnvelope($3[1], $3[2], $3[3], $3[4], 4326))
         order by vi_fold(s.name) like vi_fold($1) || '%' desc nulls last,
                  case s.class when 'main' then 0 when 'secondary' then 1 when 'local' then 2 else 3 end,
                  s.name, s.id
         limit $4"
    ))
    .bind(q)
    .bind(ids)
    .bind(bbox.map(|b| b.to_vec()))
    .bind(limit)
    .fetch_all(&state.pool)
    .await?;
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"numberReturned\":{},\"features\":[{}]}}",
        features.len(),
        features.join(",")
    );
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// `GET /api/v1/streets/{id}`: one street.
#[utoipa::path(
    get,
    path = "/streets/{id}",
    tag = "Reference data",
    operation_id = "get_street",
    security(()),
    params(("id" = i64, Path, description = "The street's id")),
    responses(
        (status = 200, description = "The street as a GeoJSON Feature.", body = StreetFeature, content_type = "application/geo+json"),
        (status = 404, description = "No such street.")
    )
)]
pub async fn one(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Response> {
    let feature: Option<String> = sqlx::query_scalar(&format!(
        "select {FEATURE}::text from street s where s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    let feature = feature.ok_or_else(|| ApiError::not_found(format!("there is no street {id}")))?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], feature).into_response())
}
