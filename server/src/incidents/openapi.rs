//! The description of the field API (reports, photos, inspections,
//! violations, detection lists), derived from the handlers' `#[utoipa::path]`,
//! and of Open311, whose resources are files (`requests.json`).

use serde_json::{Value, json};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        super::handlers::types,
        super::handlers::challenge,
        super::handlers::create,
        super::handlers::list,
        super::handlers::one,
        super::handlers::act,
        super::handlers::candidates,
        super::handlers::track,
        crate::photos::download,
        crate::violations::handlers::list,
        crate::violations::handlers::create,
        crate::violations::handlers::one,
        crate::violations::handlers::act,
        crate::inspections::handlers::checklists,
        crate::inspections::handlers::list,
        crate::inspections::handlers::create,
        crate::inspections::handlers::one,
        crate::inspections::handlers::act,
        crate::inspections::handlers::record,
        crate::inspections::handlers::stats,
        crate::detection::unpermitted,
        crate::detection::as_built,
        crate::detection::unlabelled,
        crate::detection::open_violation,
    ),
    components(schemas(super::store::ReportInput, super::store::StepInput, crate::violations::store::ViolationInput,
                       crate::violations::store::StepInput, crate::inspections::store::RoundInput,
                       crate::inspections::store::FindingInput, crate::detection::OpenViolation))
)]
pub struct FieldApi;

/// Open311 GeoReport v2, as files.
pub fn open311_paths() -> Vec<(String, Value)> {
    let tag = ["Open311 GeoReport v2"];
    let format = |resource: &str| json!([{"name": "jurisdiction_id", "in": "query", "schema": {"type": "string"}, "description": format!("A ward's or province's GSO code (optional) for {resource}")}]);
    let error = json!({"description": "Open311 errors: [{\"code\": 400, \"description\": \"…\"}]"});
    let mut out = Vec::new();
    for ext in ["json", "xml"] {
        out.push((format!("/open311/v2/services.{ext}"), json!({"get": {"tags": tag, "summary": "The types of report (service_code)", "operationId": format!("open311_services_{ext}"),
            "security": [], "parameters": format("services"), "responses": {"200": {"description": "Services"}, "404": error}}})));
        out.push((format!("/open311/v2/requests.{ext}"), json!({
            "get": {"tags": tag, "summary": "Reports (service_request_id, service_code, start_date, end_date, status)", "operationId": format!("open311_requests_{ext}"),
                    "security": [], "parameters": format("requests"), "responses": {"200": {"description": "Service requests"}, "400": error}},
            "post": {"tags": tag, "summary": "File a report (form-encoded; multipart with a `media` file)", "operationId": format!("open311_post_request_{ext}"),
                     "security": [], "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object",
                        "required": ["service_code", "lat", "long"],
                        "properties": {"service_code": {"type": "string"}, "lat": {"type": "number"}, "long": {"type": "number"},
                                       "address_string": {"type": "string"}, "description": {"type": "string"}, "email": {"type": "string"},
                                       "first_name": {"type": "string"}, "last_name": {"type": "string"}, "phone": {"type": "string"},
                                       "device_id": {"type": "string"}, "account_id": {"type": "string"}, "media_url": {"type": "string"},
                                       "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"}}}}}},
                     "responses": {"201": {"description": "[{service_request_id, service_notice, account_id}]"}, "400": error, "403": error, "429": error}}})));
        out.push((format!("/open311/v2/requests/{{service_request_id}}.{ext}"), json!({"get": {"tags": tag, "summary": "One report", "operationId": format!("open311_request_{ext}"),
            "security": [], "parameters": [{"name": "service_request_id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The service request, in a list of one"}, "404": error}}})));
        out.push((format!("/open311/v2/services/{{service_code}}.{ext}"), json!({"get": {"tags": tag, "summary": "A service's definition (no extra attributes)", "operationId": format!("open311_service_{ext}"),
            "security": [], "parameters": [{"name": "service_code", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The definition"}, "404": error}}})));
    }
    out.push(("/open311/v2/discovery.json".into(), json!({"get": {"tags": tag, "summary": "Service discovery", "operationId": "open311_discovery",
        "security": [], "responses": {"200": {"description": "Endpoints"}}}})));
    out
}

/// Paths and component schemas to merge into the whole description.
pub fn parts() -> (Vec<(String, Value)>, Vec<(String, Value)>) {
    let doc = serde_json::to_value(FieldApi::openapi()).unwrap_or(Value::Null);
    let mut paths: Vec<(String, Value)> = doc["paths"]
        .as_object()
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    paths.extend(open311_paths());
    let schemas = doc["components"]["schemas"]
        .as_object()
        .map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    (paths, schemas)
}
