//! HTTP handlers for every asset kind: the same routes under each collection
//! (`/api/v1/towers`, `/api/v1/poles`, ...), with the kind fixed by the route.

use crate::database::routing::ReadDb;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use super::history;
use super::input::AssetInput;
use super::kind::{AssetKind, Status};
use super::store::{self, ListFilter, StoredFeature};
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::http::query::{ApiQuery, etag, if_match_version, if_none_match_version};
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// GeoJSON's media type (RFC 7946).
pub const GEOJSON: &str = "application/geo+json";
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new();
    for kind in AssetKind::ALL {
        let base = format!("/{}", kind.collection());
        router = router
            .route(
                &base,
                get(move |db, principal, query, uri| list(kind, db, principal, query, uri))
                    .post(move |state, principal, body| create(kind, state, principal, body)),
            )
            .route(
                &format!("{base}/{{id}}"),
                get(move |db, principal, path, headers| {
                    get_one(kind, db, principal, path, headers)
                })
                .patch(move |state, principal, path, headers, body| {
                    update(kind, state, principal, path, headers, body)
                }),
            )
            .route(
                &format!("{base}/{{id}}/decommission"),
                post(move |state, principal, path, headers, body| {
                    decommission(kind, state, principal, path, headers, body)
                }),
            );
    }
    router
        .routes(routes!(by_ids))
        .routes(routes!(get_any))
        .routes(routes!(history_of))
}

/// Query parameters of an asset list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `minLon,minLat,maxLon,maxLat` in WGS84.
    pub bbox: Option<String>,
    /// Owner operator code, e.g. `VNPT`.
    pub operator: Option<String>,
    /// One or more statuses, comma-separated.
    pub status: Option<String>,
    /// Ward GSO code, e.g. `21031`.
    pub ward: Option<String>,
    /// `true`: only assets with at least one tenant today; `false`: only unshared ones.
    pub shared: Option<String>,
    /// Text to find in the asset code or name.
    pub q: Option<String>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<String>,
    /// Cursor from the `next` link: the last id of the previous page.
    pub after: Option<String>,
}

impl ListParams {
    pub fn into_filter(self) -> ApiResult<ListFilter> {
        let bad = |message: String| ApiError::Malformed(message);
        let bbox = match self.bbox {
            None => None,
            Some(text) => {
                let numbers: Vec<f64> = text
                    .split(',')
                    .map(|n| n.trim().parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| {
                        bad(format!(
                            "bbox must be four numbers minLon,minLat,maxLon,maxLat; got {text:?}"
                        ))
                    })?;
                let [x1, y1, x2, y2] = numbers[..] else {
                    return Err(bad(format!(
                        "bbox must be four numbers minLon,minLat,maxLon,maxLat; got {text:?}"
                    )));
                };
                let in_range = |lon: f64, lat: f64| {
                    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
                };
                let [e1, f1, e2, f2] = crate::coordinates::VIETNAM_EXTENT;
                let meets_vietnam =
                    |[a, b, c, d]: [f64; 4]| a <= e2 && c >= e1 && b <= f2 && d >= f1;
                if !meets_vietnam([x1, y1, x2, y2])
                    && meets_vietnam([y1, x1, y2, x2])
                    && in_range(y1, x1)
                    && in_range(y2, x2)
                {
                    use crate::validation::{Code, Problem};
                    return Err(ApiError::bad_parameter(
                        "bbox",
                        Problem::new(
                            Code::AxesSwapped,
                            format!(
                                "bbox {text:?} looks like latitude and longitude swapped: write it as minLon,minLat,maxLon,maxLat"
                            ),
                        )
                        .with("bbox", vec![x1, y1, x2, y2])
                        .with("order", "lon_lat"),
                    ));
                }
                if !(x1 < x2 && y1 < y2 && in_range(x1, y1) && in_range(x2, y2)) {
                    return Err(bad(format!(
                        "bbox must be WGS84 minLon,minLat,maxLon,maxLat with min below max; got {text:?}"
                    )));
                }
                Some([x1, y1, x2, y2])
            }
        };
        let statuses = match self.status {
            None => Vec::new(),
            Some(text) => text
                .split(',')
                .map(|s| {
                    Status::parse(s.trim()).ok_or_else(|| {
                        let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                        bad(format!("unknown status {s:?}; one of {}", all.join(", ")))
                    })
                })
                .collect::<ApiResult<_>>()?,
        };
        let shared = match self.shared.as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => return Err(bad(format!("shared must be true or false; got {other:?}"))),
        };
        let limit = match self.limit {
            None => DEFAULT_LIMIT,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or_else(|| {
                    bad(format!(
                        "limit must be a whole number from 1 to {MAX_LIMIT}; got {text:?}"
                    ))
                })?,
        };
        let after = match self.after {
            None => None,
            Some(text) => Some(
                text.parse::<i64>()
                    .map_err(|_| bad(format!("after must be an asset id; got {text:?}")))?,
            ),
        };
        let q = self.q.filter(|q| !q.trim().is_empty());
        Ok(ListFilter {
            bbox,
            operator: self.operator,
            statuses,
            ward: self.ward,
            shared,
            q,
            after,
            limit,
            ..ListFilter::default()
        })
    }
}

async fn list(
    kind: AssetKind,
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
    OriginalUri(uri): OriginalUri,
) -> ApiResult<Response> {
    let filter = params.into_filter()?;
    principal.may_read_kind(kind)?;
    let viewer = principal.viewer();
    let (features, more) = store::list(&db.pool, kind, &filter, &viewer).await?;
    let next = more.then(|| next_link(&uri, features.last().map(|f| f.id).unwrap_or_default()));
    let body = feature_collection(&features, uri.to_string(), next.clone());
    let mut response = ([(header::CONTENT_TYPE, GEOJSON)], body).into_response();
    if let Some(next) = next
        && let Ok(value) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\""))
    {
        response.headers_mut().insert(header::LINK, value);
    }
    Ok(response)
}

/// A FeatureCollection of assets of any kinds, as `feature_collection` writes it.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // describes the text `feature_collection` builds
pub struct AssetCollection {
    /// `FeatureCollection`.
    #[schema(pattern = "^FeatureCollection$")]
    r#type: String,
    #[serde(rename = "numberReturned")]
    number_returned: i64,
    /// `self`, and `next` when more follow.
    links: Vec<AssetLink>,
    #[schema(schema_with = crate::http::openapi::any_asset_features)]
    features: (),
}

/// A link of a collection (OGC API style).
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AssetLink {
    /// `self` or `next`.
    rel: String,
    r#type: String,
    href: String,
}

/// The FeatureCollection text, with the features as PostgreSQL wrote them.
pub fn feature_collection(
    features: &[StoredFeature],
    self_link: String,
    next: Option<String>,
) -> String {
    let mut links = vec![serde_json::json!({"rel": "self", "type": GEOJSON, "href": self_link})];
    if let Some(next) = next {
        links.push(serde_json::json!({"rel": "next", "type": GEOJSON, "href": next}));
    }
    let mut body =
        String::with_capacity(features.iter().map(|f| f.feature.len() + 1).sum::<usize>() + 256);
    body.push_str("{\"type\":\"FeatureCollection\",\"numberReturned\":");
    body.push_str(&features.len().to_string());
    body.push_str(",\"links\":");
    body.push_str(&Value::Array(links).to_string());
    body.push_str(",\"features\":[");
    for (i, feature) in features.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&feature.feature);
    }
    body.push_str("]}");
    body
}

/// The same request with the cursor moved past `last_id`.
fn next_link(uri: &axum::http::Uri, last_id: i64) -> String {
    let mut pairs: Vec<String> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("after="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("after={last_id}"));
    format!("{}?{}", uri.path(), pairs.join("&"))
}

/// A single Feature response with its ETag. The ETag is the asset's version,
/// but the body depends on who asks (lease terms, tenants, owners' details), so
/// a browser must not answer one person's request with another's copy. A
/// browser whose stored copy does not match `Vary` still revalidates it with
/// its ETag and takes a 304 as leave to show it, so the browser stores none
/// (`no-store`); an API client that keeps its own copy still gets its 304.
fn feature_response(
    status: StatusCode,
    stored: StoredFeature,
    location: Option<String>,
) -> Response {
    let body = crate::http::json::with_warnings(stored.feature, &stored.warnings);
    let mut response = (status, [(header::CONTENT_TYPE, GEOJSON)], body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag(stored.version)) {
        headers.insert(header::ETAG, value);
    }
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Authorization"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

async fn get_one(
    kind: AssetKind,
    db: ReadDb,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut conn = db.pool.acquire().await?;
    let stored = store::get(&mut conn, Some(kind), id, &principal.viewer())
        .await?
        .ok_or_else(|| ApiError::not_found(store::not_found(kind, id)))?;
    if if_none_match_version(&headers) == Some(stored.version) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    Ok(feature_response(StatusCode::OK, stored, None))
}

/// The parameters of `GET /api/v1/assets`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IdsParams {
    /// Asset ids, comma-separated (at most 500).
    pub ids: String,
}

/// `GET /api/v1/assets?ids=280,281`: the assets with these ids that the
/// caller may see, whatever their kind, in the order asked; ids it may not see
/// (or that do not exist) are left out.
#[utoipa::path(
    get,
    path = "/assets",
    tag = "Assets",
    operation_id = "assets_by_ids",
    params(IdsParams),
    responses(
        (status = 200, description = "A FeatureCollection of the assets found.", body = AssetCollection, content_type = "application/geo+json"),
        (status = 400, description = "The ids are not a list of whole numbers.")
    )
)]
pub async fn by_ids(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<IdsParams>,
    OriginalUri(uri): OriginalUri,
) -> ApiResult<Response> {
    let ids: Vec<i64> = params
        .ids
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<i64>()
                .map_err(|_| ApiError::Malformed(format!("ids must be whole numbers; got {t:?}")))
        })
        .collect::<ApiResult<_>>()?;
    if ids.len() > 500 {
        return Err(ApiError::Malformed(format!(
            "at most 500 ids at once; got {}",
            ids.len()
        )));
    }
    let features = store::by_ids(&db.pool, &ids, &principal.viewer()).await?;
    let body = feature_collection(&features, uri.to_string(), None);
    Ok(([(header::CONTENT_TYPE, GEOJSON)], body).into_response())
}

#[utoipa::path(get, path = "/assets/{id}", tag = "History and sharing", operation_id = "get_asset",
    summary = "Any asset by id",
    params(("id" = i64, Path, description = "The asset")),
    responses((status = 200, description = "The asset as a Feature, of whichever kind it is.", content_type = "application/geo+json",
               body = ref("#/components/schemas/AnyAssetFeature")),
              (status = 404, description = "No such asset.", body = ErrorBody)))]
async fn get_any(db: ReadDb, principal: Principal, Path(id): Path<i64>) -> ApiResult<Response> {
    let mut conn = db.pool.acquire().await?;
    let stored = store::get(&mut conn, None, id, &principal.viewer())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no asset with id {id}")))?;
    Ok(feature_response(StatusCode::OK, stored, None))
}

async fn create(
    kind: AssetKind,
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    principal.may_register_assets()?;
    let input = AssetInput::parse(kind, body)?;
    let stored = store::create(&state.pool, kind, &input, &principal).await?;
    state
        .tiles
        .asset_changed(stored.id, Some(stored.version))
        .await;
    let location = format!("/api/v1/{}/{}", kind.collection(), stored.id);
    Ok(feature_response(
        StatusCode::CREATED,
        stored,
        Some(location),
    ))
}

async fn update(
    kind: AssetKind,
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<Response> {
    principal.may_register_assets()?;
    let expected = if_match_version(&headers)?;
    let stored = store::update(&state.pool, kind, id, expected, &patch, &principal).await?;
    state.tiles.asset_changed(id, Some(stored.version)).await;
    Ok(feature_response(StatusCode::OK, stored, None))
}

/// Body of a decommissioning: why the asset leaves service.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecommissionRequest {
    pub reason: Option<String>,
}

async fn decommission(
    kind: AssetKind,
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    principal.may_register_assets()?;
    let expected = if_match_version(&headers)?;
    let request: DecommissionRequest = if body.is_empty() {
        DecommissionRequest::default()
    } else {
        crate::http::json::parse_json(&body)?
    };
    if request
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 4000)
    {
        return Err(ApiError::invalid(
            "reason",
            "is longer than 4000 characters",
        ));
    }
    let stored = store::decommission(
        &state.pool,
        kind,
        id,
        expected,
        request.reason.as_deref(),
        &principal,
    )
    .await?;
    state.tiles.asset_changed(id, Some(stored.version)).await;
    Ok(feature_response(StatusCode::OK, stored, None))
}

/// An asset's change history.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AssetHistory {
    pub asset_id: i64,
    /// Every change, oldest first.
    pub entries: Vec<history::Entry>,
}

#[utoipa::path(get, path = "/assets/{id}/history", tag = "History and sharing", operation_id = "asset_history",
    summary = "Change history of an asset",
    params(("id" = i64, Path, description = "The asset")),
    responses((status = 200, description = "Every change, oldest first.", body = AssetHistory),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the caller's to read.", body = ErrorBody),
              (status = 404, description = "No such asset.", body = ErrorBody)))]
async fn history_of(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    let asset: Option<(i64, Option<i64>)> =
        sqlx::query_as("select owner_id, ward_id from asset where id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (owner_id, ward_id) =
        asset.ok_or_else(|| ApiError::not_found(format!("there is no asset with id {id}")))?;
    principal.may_read_history(owner_id, ward_id)?;
    let mut entries = history::entries(&mut conn, id, None).await?;
    if !principal.is_admin() && principal.operator().is_none_or(|o| o.id != owner_id) {
        for entry in &mut entries {
            for snapshot in [&mut entry.before, &mut entry.after].into_iter().flatten() {
                crate::audit::redact_lease_terms(snapshot);
            }
            entry.changes = history::diff(entry.before.as_ref(), entry.after.as_ref());
        }
    }
    Ok(axum::Json(AssetHistory {
        asset_id: id,
        entries,
    })
    .into_response())
}
