//! The OpenAPI description of filings and challenges, derived from the
//! handlers' `#[utoipa::path]` attributes and the types they use.

use serde_json::Value;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        super::calls::list,
        super::calls::one,
        super::calls::create,
        super::calls::change,
        super::versions::list,
        super::versions::one,
        super::versions::version,
        super::versions::areas,
        super::versions::file,
        super::versions::create,
        super::versions::submit,
        super::versions::template,
        crate::challenges::ticket,
        crate::challenges::create,
        crate::challenges::map,
        crate::challenges::list,
        crate::challenges::one,
        crate::challenges::photo,
        crate::challenges::evidence,
        crate::challenges::act,
    ),
    components(schemas(super::rows::Problem, super::rows::Severity))
)]
struct FilingsApi;

/// Path items and component schemas to merge into the description.
pub fn parts() -> (Vec<(String, Value)>, Vec<(String, Value)>) {
    split(serde_json::to_value(FilingsApi::openapi()).unwrap_or(Value::Null))
}

/// The paths and the schemas of a generated document.
pub fn split(document: Value) -> (Vec<(String, Value)>, Vec<(String, Value)>) {
    let paths = document["paths"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let schemas = document["components"]["schemas"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    (paths, schemas)
}
