//! OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0; Part 2: CRS by
//! reference) under `/ogc`, so that desktop GIS reads the registry without a
//! plug-in: QGIS ("WFS / OGC API – Features" connection) and GDAL
//! (`ogrinfo OAPIF:http://host/ogc`) list the collections — one per kind of
//! asset (`towers`, `poles`, …) and `wards` — and page through their features.
//!
//! The standard fixes the shape: a landing page linking the conformance
//! declaration, the API description and the collections; each collection has
//! an `items` resource that filters by `bbox`, `datetime` and properties, pages
//! with `limit` and `next`/`prev` links, and reports `numberMatched` and
//! `numberReturned`. Paging is by keyset (the id of the last feature), so the
//! thousandth page costs what the first does.
//!
//! What the features hold is exactly the public document of the REST API
//! (`asset_properties` in the schema): owner, status, sharing counts, the
//! kind's attributes — never the contract numbers or fees of tenancies.
//! Every read goes through [`source`], where access rules are applied.

pub mod api;
mod handlers;
mod params;
pub mod source;

use axum::routing::get;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Conformance classes this server implements.
pub const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
];

/// Routes under `/ogc`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/", get(handlers::landing))
        .route("/api", get(handlers::api))
        .route("/conformance", get(handlers::conformance))
        .route("/collections", get(handlers::collections))
        .route("/collections/{collection}", get(handlers::collection))
        .route("/collections/{collection}/items", get(handlers::items))
        .route(
            "/collections/{collection}/items/{feature}",
            get(handlers::item),
        )
}
