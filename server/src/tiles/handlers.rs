//! The tile routes, kept thin: parse the address, ask [`Tiles`] for the tile,
//! answer with the right encoding and caching headers.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::layers::{self, Layer, LayerSet, MAX_ZOOM};
use super::{TileCoord, TileError};
use crate::http::error::ApiError;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The media type of a Mapbox Vector Tile.
pub const MVT: &str = "application/vnd.mapbox-vector-tile";
/// What every stored asset lies in (the registry refuses anything outside
/// Vietnam's extent, islands included), as TileJSON `bounds`.
pub const BOUNDS: [f64; 4] = crate::coordinates::VIETNAM_EXTENT;

/// Routes under `/tiles`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/", get(list))
        .route("/_stats", get(stats))
        .route("/{layers}", get(tilejson))
        .route("/{layers}/{z}/{x}/{y}", get(tile))
}

impl From<TileError> for ApiError {
    fn from(error: TileError) -> Self {
        match error {
            TileError::UnknownLayer { .. } => ApiError::not_found(error.to_string()),
            TileError::NoSuchTile { .. } => ApiError::Malformed(error.to_string()),
            TileError::Query { .. } => ApiError::Internal(error.to_string()),
            TileError::Shared(shared) => match std::sync::Arc::try_unwrap(shared) {
                Ok(error) => error.into(),
                Err(shared) => ApiError::Internal(shared.to_string()),
            },
        }
    }
}

/// `{z}/{x}/{y}` with an optional `.mvt` or `.pbf` after `y`.
fn parse_coord(z: &str, x: &str, y: &str) -> Result<TileCoord, ApiError> {
    let y = y
        .strip_suffix(".mvt")
        .or_else(|| y.strip_suffix(".pbf"))
        .unwrap_or(y);
    match (z.parse::<u8>(), x.parse::<u32>(), y.parse::<u32>()) {
        (Ok(z), Ok(x), Ok(y)) => Ok(TileCoord::new(z, x, y)?),
        _ => Err(ApiError::Malformed(format!(
            "a tile address is three whole numbers z/x/y; got {z}/{x}/{y}"
        ))),
    }
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, not with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// Whether `If-None-Match` names one of the tile's ETags.
fn not_modified(headers: &HeaderMap, hash: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|tag| tag == "*" || tag == hash || tag.strip_suffix("-gzip") == Some(hash))
}

/// The layers `principal` may have: the public gets published towers (in
/// place of `towers`), wards and streets, and a 401 for anything else.
fn allowed(principal: &Principal, layers: LayerSet) -> Result<LayerSet, ApiError> {
    if !matches!(principal, Principal::Public) {
        return Ok(layers);
    }
    let mut public = Vec::new();
    for layer in layers.iter() {
        match layer.for_public() {
            Some(layer) => public.push(layer),
            None => {
                return Err(ApiError::unauthorized(format!(
                    "log in to see the {} layer",
                    layer.name()
                )));
            }
        }
    }
    Ok(LayerSet::of(&public))
}

async fn tile(
    State(state): State<AppState>,
    principal: Principal,
    Path((layers, z, x, y)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layers = allowed(&principal, LayerSet::parse(&layers)?)?;
    let at = parse_coord(&z, &x, &y)?;
    let tile = state.tiles.get(layers, at).await?;
    let gzip = accepts_gzip(&headers);
    // Each encoding is its own representation, so its own strong ETag.
    let etag = if gzip {
        format!("\"{}-gzip\"", tile.hash)
    } else {
        format!("\"{}\"", tile.hash)
    };
    let mut response = if not_modified(&headers, &tile.hash) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if gzip {
        let mut response = tile.gzip.clone().into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
    } else {
        tile.raw.clone().into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    // Cache, but ask again each time: a 304 costs nothing, and edits show at once.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    Ok(response)
}

/// The URL prefix the client used (`http://host:port`), from its `Host`.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|s| *s == "https" || *s == "http")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

fn vector_layer(layer: Layer) -> Value {
    let fields: serde_json::Map<String, Value> = layer
        .fields()
        .into_iter()
        .map(|(name, kind)| (name.to_string(), Value::from(kind)))
        .collect();
    json!({
        "id": layer.mvt_name(),
        "description": layer.description(),
        "minzoom": layer.minzoom(),
        "maxzoom": MAX_ZOOM,
        "fields": fields,
    })
}

/// `GET /tiles/{layers}`: TileJSON 3.0.0 of one layer or a composite.
async fn tilejson(
    principal: Principal,
    Path(layers): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let requested = LayerSet::parse(&layers)?;
    let set = allowed(&principal, requested)?;
    let minzoom = set.iter().map(Layer::minzoom).min().unwrap_or(0);
    let [west, south, east, north] = BOUNDS;
    let body = json!({
        "tilejson": "3.0.0",
        "name": format!("hatang {set}"),
        "description": set.iter().map(Layer::description).collect::<Vec<_>>().join("; "),
        "attribution": "Hạ tầng — sổ đăng ký hạ tầng viễn thông thụ động",
        "scheme": "xyz",
        "tiles": [format!("{}/tiles/{requested}/{{z}}/{{x}}/{{y}}", origin(&headers))],
        "minzoom": minzoom,
        "maxzoom": MAX_ZOOM,
        "bounds": [west, south, east, north],
        "center": [(west + east) / 2.0, (south + north) / 2.0, minzoom],
        "vector_layers": set.iter().map(vector_layer).collect::<Vec<_>>(),
    });
    Ok(axum::Json(body).into_response())
}

/// `GET /tiles`: the layers and how they generalise.
async fn list(principal: Principal, headers: HeaderMap) -> Response {
    let origin = origin(&headers);
    let public = matches!(principal, Principal::Public);
    let layers: Vec<Value> = Layer::ALL
        .into_iter()
        .filter(|layer| {
            if public {
                layer.is_public()
            } else {
                *layer != Layer::PublicTowers
            }
        })
        .map(|layer| {
            json!({
                "id": layer.name(),
                "description": layer.description(),
                "geometry": layer.shape().as_str(),
                "minzoom": layer.minzoom(),
                "detail_zoom": layer.detail_zoom(),
                "maxzoom": MAX_ZOOM,
                "tilejson": format!("{origin}/tiles/{}", layer.name()),
            })
        })
        .collect();
    axum::Json(json!({
        "layers": layers,
        "max_features_per_layer": layers::MAX_FEATURES,
        "cluster_grid": layers::CLUSTER_GRID,
        "composite": format!("{origin}/tiles/towers,poles,cables/{{z}}/{{x}}/{{y}}"),
    }))
    .into_response()
}

/// `GET /tiles/_stats`: counters of the tile cache.
async fn stats(State(state): State<AppState>, principal: Principal) -> Result<Response, ApiError> {
    principal.require_login()?;
    Ok(axum::Json(state.tiles.stats().await).into_response())
}

/// The tile endpoints in the OpenAPI description.
pub fn openapi_paths() -> Vec<(String, Value)> {
    let tag = ["Vector tiles"];
    let layers = json!({"name": "layers", "in": "path", "required": true, "schema": {"type": "string"},
        "description": "A layer or a comma-separated composite: towers, poles, ducts, manholes, trenches, cables, cables_overhead, cables_underground, cabinets, wards, streets. The public gets towers its ward publishes, wards and streets."});
    let number = |name: &str| json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}});
    let layers_schema = json!({
                "type": "object", "required": ["layers", "max_features_per_layer", "cluster_grid", "composite"], "additionalProperties": false,
                "properties": {
                    "layers": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                        "required": ["id", "description", "geometry", "minzoom", "detail_zoom", "maxzoom", "tilejson"],
                        "properties": {
                            "id": {"type": "string"}, "description": {"type": "string"},
                            "geometry": {"type": "string", "enum": ["point", "line", "polygon"]},
                            "minzoom": {"type": "integer"},
                            "detail_zoom": {"type": "integer", "description": "From this zoom on, every feature (below it, clusters or simplified lines)."},
                            "maxzoom": {"type": "integer"},
                            "tilejson": {"type": "string", "format": "uri"}}}},
                    "max_features_per_layer": {"type": "integer"},
                    "cluster_grid": {"type": "integer"},
                    "composite": {"type": "string", "description": "An example composite tile URL template."}}});
    let stats_schema = json!({
                "type": "object", "additionalProperties": false,
                "required": ["requests", "made", "queries", "invalidations", "cached_tiles", "cached_bytes"],
                "properties": {
                    "requests": {"type": "integer", "description": "Tile requests answered (including 304s)."},
                    "made": {"type": "integer", "description": "Tiles made because they were not cached."},
                    "queries": {"type": "integer", "description": "Database queries made for tiles."},
                    "invalidations": {"type": "integer"},
                    "cached_tiles": {"type": "integer"},
                    "cached_bytes": {"type": "integer"}}});
    let tilejson_schema = json!({
                "type": "object", "additionalProperties": false,
                "required": ["tilejson", "name", "tiles", "minzoom", "maxzoom", "bounds", "center", "vector_layers"],
                "properties": {
                    "tilejson": {"type": "string", "enum": ["3.0.0"]},
                    "name": {"type": "string"}, "description": {"type": "string"}, "attribution": {"type": "string"},
                    "scheme": {"type": "string", "enum": ["xyz"]},
                    "tiles": {"type": "array", "items": {"type": "string"}},
                    "minzoom": {"type": "integer"}, "maxzoom": {"type": "integer"},
                    "bounds": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
                    "center": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3},
                    "vector_layers": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                        "required": ["id", "minzoom", "maxzoom", "fields"],
                        "properties": {
                            "id": {"type": "string"}, "description": {"type": "string"},
                            "minzoom": {"type": "integer"}, "maxzoom": {"type": "integer"},
                            "fields": {"type": "object", "additionalProperties": {"type": "string"},
                                "description": "Attribute name → type (String, Number, Boolean)."}}}}}});
    vec![
        (
            "/tiles".into(),
            json!({"get": {"tags": tag, "summary": "The tile layers and how they generalise", "operationId": "list_tile_layers",
            "security": [], "responses": {"200": {"description": "Layers.", "content": {"application/json": {"schema": layers_schema}}}}}}),
        ),
        (
            "/tiles/_stats".into(),
            json!({"get": {"tags": tag, "summary": "Counters of the tile cache (requests, tiles made, database queries)",
            "operationId": "tile_stats", "responses": {"200": {"description": "Counters.", "content": {"application/json": {"schema": stats_schema}}}, "401": {"$ref": "#/components/responses/Error401"}}}}),
        ),
        (
            "/tiles/{layers}".into(),
            json!({"get": {"tags": tag, "summary": "TileJSON 3.0.0 of a layer or composite", "operationId": "tilejson",
            "parameters": [layers.clone()], "responses": {"200": {"description": "TileJSON.", "content": {"application/json": {"schema": tilejson_schema}}}, "401": {"$ref": "#/components/responses/Error401"}, "404": {"$ref": "#/components/responses/Error404"}}}}),
        ),
        (
            "/tiles/{layers}/{z}/{x}/{y}".into(),
            json!({"get": {"tags": tag,
            "summary": "A Mapbox Vector Tile (gzip when accepted; ETag and If-None-Match → 304)", "operationId": "tile",
            "parameters": [layers, number("z"), number("x"), number("y")],
            "responses": {"200": {"description": "The tile.", "content": {"application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}}},
                          "304": {"description": "Not modified."}, "401": {"$ref": "#/components/responses/Error401"},
                          "400": {"$ref": "#/components/responses/Error400"}}}}),
        ),
    ]
}
