//! The OpenAPI 3.0 definition of the OGC API (`/ogc/api`), which clients
//! read to learn the parameters, the page size limits and the property filters.

use serde_json::{Value, json};

use super::params::{ASSET_PROPERTIES, CRS_LIST, DEFAULT_LIMIT, MAX_LIMIT, WARD_PROPERTIES};
use super::source::Collection;

/// The definition, with `base` (the absolute URL of `/ogc`) as its server.
pub fn document(base: &str) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Hatang OGC API – Features",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Passive telecom infrastructure and wards as OGC API – Features (Part 1 core, GeoJSON, OpenAPI 3.0; Part 2 CRS)."
        },
        "servers": [{"url": base}],
        "paths": paths(),
        "components": {"parameters": parameters()}
    })
}

/// The `/ogc` paths, relative to the server; also merged into `/api/openapi.json`.
pub fn paths() -> Value {
    let json_ok = |description: &str| json!({"200": {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}});
    let geojson_ok = |description: &str| {
        json!({"200": {"description": description, "content": {"application/geo+json": {"schema": {"type": "object"}}}},
        "400": {"description": "A malformed or unknown parameter."}, "404": {"description": "No such collection or feature."}})
    };
    let collection_ids: Vec<&str> = Collection::all().into_iter().map(Collection::id).collect();
    json!({
        "/": {"get": {"tags": ["OGC API – Features"], "summary": "Landing page", "operationId": "ogc_landing",
            "parameters": [{"$ref": "#/components/parameters/f"}], "responses": json_ok("Links to the API definition, conformance and collections.")}},
        "/conformance": {"get": {"tags": ["OGC API – Features"], "summary": "Conformance classes", "operationId": "ogc_conformance",
            "parameters": [{"$ref": "#/components/parameters/f"}], "responses": json_ok("The conformance classes implemented.")}},
        "/collections": {"get": {"tags": ["OGC API – Features"], "summary": "The collections", "operationId": "ogc_collections",
            "parameters": [{"$ref": "#/components/parameters/f"}], "responses": json_ok("Every kind of asset, and the wards.")}},
        "/collections/{collectionId}": {"get": {"tags": ["OGC API – Features"], "summary": "One collection", "operationId": "ogc_collection",
            "parameters": [{"$ref": "#/components/parameters/collectionId"}, {"$ref": "#/components/parameters/f"}],
            "responses": json_ok("The collection's description and extent.")}},
        "/collections/{collectionId}/items": {"get": {"tags": ["OGC API – Features"], "summary": "Features of a collection", "operationId": "ogc_items",
            "description": format!("Pages by keyset: follow the `next` and `prev` links. Property filters of asset collections: {}; of wards: {}. Collections: {}.",
                ASSET_PROPERTIES.join(", "), WARD_PROPERTIES.join(", "), collection_ids.join(", ")),
            "parameters": [
                {"$ref": "#/components/parameters/collectionId"},
                {"$ref": "#/components/parameters/limit"},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0},
                 "description": "Features to skip before the page. The next and prev links page by keyset (`after`, `before`: a feature id) from there, so the thousandth page costs what the first does."},
                {"$ref": "#/components/parameters/bbox"},
                {"$ref": "#/components/parameters/bbox-crs"},
                {"$ref": "#/components/parameters/datetime"},
                {"$ref": "#/components/parameters/crs"},
                {"$ref": "#/components/parameters/f"},
                {"name": "operator", "in": "query", "schema": {"type": "string"}, "description": "Owner operator code (asset collections)."},
                {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "Statuses, comma-separated (asset collections)."},
                {"name": "ward_code", "in": "query", "schema": {"type": "string"}, "description": "Ward GSO code (asset collections)."},
                {"name": "shared", "in": "query", "schema": {"type": "boolean"}, "description": "Shared with another operator today (asset collections)."},
                {"name": "code", "in": "query", "schema": {"type": "string"}, "description": "The operator's asset code (asset collections)."},
                {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Text in the code or name (asset collections)."},
                {"name": "province_code", "in": "query", "schema": {"type": "string"}, "description": "Province GSO code (wards)."}
            ],
            "responses": geojson_ok("A FeatureCollection with numberMatched, numberReturned and paging links.")}},
        "/collections/{collectionId}/items/{featureId}": {"get": {"tags": ["OGC API – Features"], "summary": "One feature", "operationId": "ogc_item",
            "parameters": [{"$ref": "#/components/parameters/collectionId"},
                {"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/crs"}, {"$ref": "#/components/parameters/f"}],
            "responses": geojson_ok("The feature.")}}
    })
}

/// The shared parameters of the paths.
pub fn parameters() -> Value {
    let crs: Vec<&str> = CRS_LIST.iter().map(|c| c.0).collect();
    json!({
        "collectionId": {"name": "collectionId", "in": "path", "required": true,
            "schema": {"type": "string", "enum": Collection::all().into_iter().map(Collection::id).collect::<Vec<_>>()}},
        "limit": {"name": "limit", "in": "query", "style": "form", "explode": false,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        "bbox": {"name": "bbox", "in": "query", "style": "form", "explode": false,
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
        "bbox-crs": {"name": "bbox-crs", "in": "query", "schema": {"type": "string", "format": "uri", "enum": crs.clone()}},
        "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"},
            "description": "An instant or interval (RFC 3339, `..` for an open end). Assets: the time of their last change; wards: validity."},
        "crs": {"name": "crs", "in": "query", "schema": {"type": "string", "format": "uri", "enum": crs}},
        "f": {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json"]}}
    })
}
