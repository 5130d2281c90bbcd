//! The resources of OGC API – Features, as JSON documents with links.

use crate::database::routing::ReadDb;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::params::{self, ASSET_PROPERTIES, CRS_LIST, CRS84, ItemsParams, WARD_PROPERTIES};
use super::source::{self, Collection, Page};
use crate::assets::AssetKind;
use crate::assets::store::ListFilter;
use crate::http::error::{ApiError, ApiResult};
use crate::policy::Principal;
use crate::vn_time::today;
use crate::wards::WardFilter;

const JSON: &str = "application/json";
const GEOJSON: &str = "application/geo+json";
const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";

/// The absolute URL of `/ogc` as the client reached it.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|s| *s == "https" || *s == "http")
        .unwrap_or("http");
    format!("{scheme}://{host}/ogc")
}

fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media, "title": title})
}

fn json_response(body: Value) -> Response {
    ([(header::CONTENT_TYPE, JSON)], body.to_string()).into_response()
}

pub async fn landing(headers: HeaderMap, RawQuery(query): RawQuery) -> ApiResult<Response> {
    params::parse_plain(query.as_deref())?;
    let base = base(&headers);
    Ok(json_response(json!({
        "title": "Hạ tầng — registry of passive telecom infrastructure",
        "description": "Towers, poles, duct banks, manholes, trenches, cable routes and cabinets registered by telecom operators, and the wards they lie in, as OGC API – Features.",
        "links": [
            link(base.clone(), "self", JSON, "This document"),
            link(format!("{base}/api"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            link(format!("{base}/conformance"), "conformance", JSON, "Conformance classes implemented"),
            link(format!("{base}/collections"), "data", JSON, "The collections"),
        ]
    })))
}

pub async fn api(headers: HeaderMap) -> Response {
    (
        [(header::CONTENT_TYPE, OPENAPI)],
        super::api::document(&base(&headers)).to_string(),
    )
        .into_response()
}

pub async fn conformance(RawQuery(query): RawQuery) -> ApiResult<Response> {
    params::parse_plain(query.as_deref())?;
    Ok(json_response(json!({"conformsTo": super::CONFORMANCE})))
}

fn collection_document(base: &str, collection: Collection, extent: Option<[f64; 4]>) -> Value {
    let id = collection.id();
    let bbox = extent.unwrap_or(crate::assets::geometry::VIETNAM_EXTENT);
    json!({
        "id": id,
        "title": collection.title(),
        "description": collection.description(),
        "itemType": "feature",
        "extent": {
            "spatial": {"bbox": [bbox], "crs": CRS84},
            "temporal": {"interval": [[null, null]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
        },
        "crs": CRS_LIST.iter().map(|c| c.0).collect::<Vec<_>>(),
        "storageCrs": CRS84,
        "links": [
            link(format!("{base}/collections/{id}"), "self", JSON, collection.title()),
            link(format!("{base}/collections/{id}/items"), "items", GEOJSON, "The features"),
        ]
    })
}

pub async fn collections(
    db: ReadDb,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    params::parse_plain(query.as_deref())?;
    let base = base(&headers);
    let extents = source::extents(&db.pool).await?;
    let extent_of = |id: &str| extents.iter().find(|(c, _)| c == id).map(|(_, b)| *b);
    let collections: Vec<Value> = Collection::all()
        .into_iter()
        .map(|c| collection_document(&base, c, extent_of(c.id())))
        .collect();
    Ok(json_response(json!({
        "links": [link(format!("{base}/collections"), "self", JSON, "The collections")],
        "crs": CRS_LIST.iter().map(|c| c.0).collect::<Vec<_>>(),
        "collections": collections,
    })))
}

fn find(collection: &str) -> ApiResult<Collection> {
    Collection::parse(collection)
        .ok_or_else(|| ApiError::not_found(format!("there is no collection {collection:?}")))
}

pub async fn collection(
    db: ReadDb,
    Path(collection): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    params::parse_plain(query.as_deref())?;
    let collection = find(&collection)?;
    let extents = source::extents(&db.pool).await?;
    let extent = extents
        .iter()
        .find(|(c, _)| c == collection.id())
        .map(|(_, b)| *b);
    Ok(json_response(collection_document(
        &base(&headers),
        collection,
        extent,
    )))
}

/// What the caller may see of a collection: as in the rest of the API, the
/// public sees only published towers.
fn viewer(principal: &Principal, kind: AssetKind) -> ApiResult<crate::policy::Viewer> {
    let viewer = principal.viewer();
    if viewer.public && kind != AssetKind::Tower {
        return Err(ApiError::unauthorized(format!(
            "log in to see {}",
            kind.collection()
        )));
    }
    Ok(viewer)
}

pub async fn items(
    db: ReadDb,
    principal: Principal,
    Path(collection): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let collection = find(&collection)?;
    let properties = match collection {
        Collection::Assets(_) => ASSET_PROPERTIES,
        Collection::Wards => WARD_PROPERTIES,
    };
    let params = params::parse_items(query.as_deref(), properties)?;
    let (output, crs_uri) = params::output_for(params.crs.as_deref())?;
    let bbox = bbox_in_wgs84(&db.pool, &params).await?;
    let warnings = bbox_warnings(&params, bbox);
    let ((features, more), matched) = match collection {
        Collection::Assets(kind) => {
            let filter = asset_filter(&params, bbox)?;
            source::asset_page(&db.pool, kind, &filter, output, &viewer(&principal, kind)?).await?
        }
        Collection::Wards => {
            let filter = ward_filter(&params, bbox)?;
            source::ward_page(&db.pool, &filter, output).await?
        }
    };
    let body = feature_collection(
        &base(&headers),
        collection,
        query.as_deref(),
        &params,
        (features, more),
        matched,
    );
    let body = crate::http::json::with_warnings(body, &warnings);
    let mut response = ([(header::CONTENT_TYPE, GEOJSON)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("<{crs_uri}>")) {
        response.headers_mut().insert("content-crs", value);
    }
    Ok(response)
}

/// A `bbox` in a merged province's TM-3 zone whose centre lies in a former
/// province that used another meridian: the page is answered, with a warning
/// that the box may be 26–54 km off if its numbers are on the old meridian.
fn bbox_warnings(
    params: &ItemsParams,
    bbox: Option<[f64; 4]>,
) -> Vec<crate::validation::FieldProblem> {
    let (Some([w, s, e, n]), Some((srid, _))) = (bbox, params.bbox_crs) else {
        return Vec::new();
    };
    crate::coordinates::provinces::former_zone_warnings(srid, &[((w + e) / 2.0, (s + n) / 2.0)])
        .into_iter()
        .map(|w| crate::validation::FieldProblem::new("bbox", w))
        .collect()
}

/// The request's `bbox` in WGS84 longitude/latitude (`bbox-crs`, in its own
/// axis order, converted). A box wholly outside Vietnam is diagnosed rather
/// than answered with an empty page when the numbers say what went wrong
/// (issue 13): with the axes the other way round it covers Vietnam ("axes
/// swapped"), TM-3 numbers that fit Vietnam with another central meridian
/// ("wrong meridian"), or numbers PROJ cannot convert from `bbox-crs`. A box
/// elsewhere that fits none of these is just an empty page.
async fn bbox_in_wgs84(pool: &sqlx::PgPool, params: &ItemsParams) -> ApiResult<Option<[f64; 4]>> {
    use crate::coordinates::{VIETNAM_EXTENT, WGS84};
    use crate::validation::{Code, Problem};
    let Some(sent) = params.bbox else {
        return Ok(None);
    };
    let (srid, lat_first) = params.bbox_crs.unwrap_or((WGS84, false));
    let xy = if lat_first {
        [sent[1], sent[0], sent[3], sent[2]]
    } else {
        sent
    };
    let listed = sent.map(|n| format!("{n:?}")).join(",");
    let refused = |problem: Problem| ApiError::bad_parameter("bbox", problem);
    let Some(wgs84) = source::bbox_to_wgs84(pool, xy, srid).await? else {
        return Err(refused(
            Problem::new(
                Code::OutsideCrsDomain,
                format!("the bbox {listed} is outside the area where EPSG:{srid} is defined"),
            )
            .with("srid", srid),
        ));
    };
    let overlaps = |b: [f64; 4]| {
        let e = VIETNAM_EXTENT;
        b[0] <= e[2] && b[2] >= e[0] && b[1] <= e[3] && b[3] >= e[1]
    };
    // The rough extent first, then Vietnam's land and waters.
    let meets_vietnam = async |b: Option<[f64; 4]>| -> sqlx::Result<bool> {
        match b {
            Some(b) if overlaps(b) => source::box_meets_vietnam(pool, b).await,
            _ => Ok(false),
        }
    };
    if meets_vietnam(Some(wgs84)).await? {
        return Ok(Some(wgs84));
    }
    let flipped = [xy[1], xy[0], xy[3], xy[2]];
    if meets_vietnam(source::bbox_to_wgs84(pool, flipped, srid).await?).await? {
        let (order, words) = match (!crate::coordinates::is_projected(srid), lat_first) {
            (true, false) => ("lon_lat", "minLon,minLat,maxLon,maxLat (CRS84; latitude first only with a bbox-crs of EPSG:4326 or 4756)".to_string()),
            (true, true) => ("lat_lon", format!("minLat,minLon,maxLat,maxLon (bbox-crs EPSG:{srid} puts latitude first)")),
            (false, false) => ("east_north", format!("minX,minY,maxX,maxY in EPSG:{srid}: the easting first")),
            (false, true) => ("north_east", format!("in EPSG:{srid}'s own axis order: the northing first")),
        };
        return Err(refused(
            Problem::new(
                Code::AxesSwapped,
                format!(
                    "the bbox {listed} lies outside Vietnam, but with its axes the other way round it covers Vietnam: write it as {words}"
                ),
            )
            .with("srid", srid)
            .with("bbox", sent.to_vec())
            .with("order", order),
        ));
    }
    let centre = [(xy[0] + xy[2]) / 2.0, (xy[1] + xy[3]) / 2.0];
    if let Some((declared, fits)) = source::fitting_meridians(pool, centre, srid).await?
        && !fits.is_empty()
    {
        return Err(refused(
            Problem::new(
                Code::WrongMeridian,
                format!(
                    "the bbox {listed} in EPSG:{srid} (central meridian {declared}) lies outside Vietnam; \
                     the numbers would lie in Vietnam with the central meridian {}: choose that zone's CRS as bbox-crs",
                    fits.join(", ")
                ),
            )
            .with("srid", srid)
            .with("declared", declared)
            .with("fits", fits)
            .with("place", "elsewhere"),
        ));
    }
    Ok(Some(wgs84))
}

fn asset_filter(params: &ItemsParams, bbox: Option<[f64; 4]>) -> ApiResult<ListFilter> {
    let mut filter = ListFilter {
        bbox,
        after: params.after,
        before: params.before,
        limit: params.limit,
        offset: params.offset,
        ..ListFilter::default()
    };
    if let Some((from, to)) = params.datetime {
        filter.changed_from = from;
        filter.changed_to = to;
    }
    for (name, value) in &params.properties {
        match name.as_str() {
            "operator" => filter.operator = Some(value.clone()),
            "status" => filter.statuses = params::parse_statuses(value)?,
            "ward_code" => filter.ward = Some(value.clone()),
            "code" => filter.code = Some(value.clone()),
            "q" => filter.q = Some(value.clone()).filter(|q| !q.trim().is_empty()),
            "shared" => {
                filter.shared = Some(match value.as_str() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(ApiError::Malformed(format!(
                            "shared must be true or false; got {other:?}"
                        )));
                    }
                })
            }
            _ => {}
        }
    }
    Ok(filter)
}

fn ward_filter(params: &ItemsParams, bbox: Option<[f64; 4]>) -> ApiResult<WardFilter> {
    let (from, to) = match params.datetime {
        None => (today(), today()),
        Some((from, to)) => (
            from.map(|t| t.date_naive())
                .unwrap_or(chrono::NaiveDate::MIN),
            to.map(|t| t.date_naive()).unwrap_or(chrono::NaiveDate::MAX),
        ),
    };
    Ok(WardFilter {
        valid_from: from,
        valid_to: to,
        bbox,
        province: params
            .properties
            .iter()
            .find(|(n, _)| n == "province_code")
            .map(|(_, v)| v.clone()),
        after: params.after,
        before: params.before,
        limit: params.limit,
        offset: params.offset,
    })
}

/// The same query with the cursor replaced (and no `offset`: the cursor
/// says where the page starts).
fn page_link(
    base: &str,
    collection: Collection,
    query: Option<&str>,
    cursor: (&str, i64),
) -> String {
    let mut pairs: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| {
            !p.is_empty()
                && !p.starts_with("after=")
                && !p.starts_with("before=")
                && !p.starts_with("offset=")
        })
        .collect();
    let cursor = format!("{}={}", cursor.0, cursor.1);
    pairs.push(&cursor);
    format!(
        "{base}/collections/{}/items?{}",
        collection.id(),
        pairs.join("&")
    )
}

fn feature_collection(
    base: &str,
    collection: Collection,
    query: Option<&str>,
    params: &ItemsParams,
    (features, more): Page,
    matched: i64,
) -> String {
    let backwards = params.before.is_some() && params.after.is_none();
    let self_href = match query {
        Some(q) if !q.is_empty() => format!("{base}/collections/{}/items?{q}", collection.id()),
        _ => format!("{base}/collections/{}/items", collection.id()),
    };
    let mut links = vec![
        link(self_href, "self", GEOJSON, "This page"),
        link(
            format!("{base}/collections/{}", collection.id()),
            "collection",
            JSON,
            collection.title(),
        ),
    ];
    if let (Some((first, _)), Some((last, _))) = (features.first(), features.last()) {
        let has_next = if backwards { true } else { more };
        let has_prev = if backwards {
            more
        } else {
            params.after.is_some() || params.offset > 0
        };
        if has_next {
            links.push(link(
                page_link(base, collection, query, ("after", *last)),
                "next",
                GEOJSON,
                "Next page",
            ));
        }
        if has_prev {
            links.push(link(
                page_link(base, collection, query, ("before", *first)),
                "prev",
                GEOJSON,
                "Previous page",
            ));
        }
    }
    let mut body =
        String::with_capacity(features.iter().map(|(_, f)| f.len() + 1).sum::<usize>() + 512);
    body.push_str("{\"type\":\"FeatureCollection\",\"numberMatched\":");
    body.push_str(&matched.to_string());
    body.push_str(",\"numberReturned\":");
    body.push_str(&features.len().to_string());
    body.push_str(",\"timeStamp\":");
    body.push_str(
        &Value::String(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .to_string(),
    );
    body.push_str(",\"links\":");
    body.push_str(&Value::Array(links).to_string());
    body.push_str(",\"features\":[");
    for (i, (_, feature)) in features.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(feature);
    }
    body.push_str("]}");
    body
}

pub async fn item(
    db: ReadDb,
    principal: Principal,
    Path((collection, feature)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let collection = find(&collection)?;
    let crs = params::parse_item(query.as_deref())?;
    let (output, crs_uri) = params::output_for(crs.as_deref())?;
    let not_found = || {
        ApiError::not_found(format!(
            "there is no feature {feature:?} in {}",
            collection.id()
        ))
    };
    let id: i64 = feature.parse().map_err(|_| not_found())?;
    let found = match collection {
        Collection::Assets(kind) => {
            source::asset_feature(&db.pool, kind, id, output, &viewer(&principal, kind)?).await?
        }
        Collection::Wards => source::ward_feature(&db.pool, id, output).await?,
    };
    let found = found.ok_or_else(not_found)?;
    let mut document: Value =
        serde_json::from_str(&found).map_err(|e| ApiError::Internal(e.to_string()))?;
    let base = base(&headers);
    document["links"] = json!([
        link(
            format!("{base}/collections/{}/items/{id}", collection.id()),
            "self",
            GEOJSON,
            "This feature"
        ),
        link(
            format!("{base}/collections/{}", collection.id()),
            "collection",
            JSON,
            collection.title()
        ),
    ]);
    let mut response = ([(header::CONTENT_TYPE, GEOJSON)], document.to_string()).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("<{crs_uri}>")) {
        response.headers_mut().insert("content-crs", value);
    }
    Ok(response)
}
