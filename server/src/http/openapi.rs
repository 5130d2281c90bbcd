//! The OpenAPI 3 description of the API, served at `/api/openapi.json`.
//!
//! The per-kind paths are generated from the same list of kinds the router
//! uses, and the kind-specific property schemas come from the same structs the
//! API parses input with, so the description cannot drift from the code.

use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{IntoParams, ToSchema};

use crate::assets::AssetKind;
use crate::assets::details::Details;
use crate::assets::handlers::{DecommissionRequest, ListParams};
use crate::assets::history::Entry;
use crate::assets::tenancies::TenancyInput;
use crate::http::error::ErrorBody;

pub use crate::geometry::schema::{any_geometry, any_geometry_or_null};

/// Asset features of any kind (or the public's view of a tower), for typed
/// collections of mixed kinds.
pub fn any_asset_features() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::Array::new(utoipa::openapi::Ref::from_schema_name("AnyAssetFeature"))
}

fn details_schema(kind: AssetKind) -> String {
    Details::schema(kind).0
}

fn collect<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// Builds the whole description: what the handlers describe themselves
/// (`generated`, from their `#[utoipa::path]`) over the older hand-written
/// paths, which it replaces as handlers are annotated.
pub fn document(generated: utoipa::openapi::OpenApi) -> Value {
    let mut document = document_with(schemas());
    let generated = serde_json::to_value(generated).unwrap_or(Value::Null);
    if let Some(paths) = generated["paths"].as_object() {
        for (path, item) in paths {
            let entry = document["paths"]
                .as_object_mut()
                .map(|paths| paths.entry(path.clone()).or_insert_with(|| json!({})));
            if let Some(entry) = entry {
                merge(entry, item.clone());
            }
        }
    }
    if let Some(schemas) = generated["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            document["components"]["schemas"][name] = schema.clone();
        }
    }
    document
}

/// Every named schema, with the schemas they refer to.
fn schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut schemas: Vec<(String, RefOr<Schema>)> = Vec::new();
    for kind in AssetKind::ALL {
        let (name, schema, refs) = Details::schema(kind);
        schemas.push((name, schema));
        schemas.extend(refs);
    }
    collect::<ErrorBody>(&mut schemas);
    collect::<Entry>(&mut schemas);
    collect::<TenancyInput>(&mut schemas);
    collect::<crate::assets::tenancies::Tenancy>(&mut schemas);
    collect::<DecommissionRequest>(&mut schemas);
    collect::<crate::accounts::access::Access>(&mut schemas);
    collect::<crate::wards::Publication>(&mut schemas);
    collect::<crate::permits::store::ApplicationInput>(&mut schemas);
    collect::<crate::permits::store::ActionInput>(&mut schemas);
    collect::<crate::calendar::Holiday>(&mut schemas);
    collect::<crate::rules::RuleInput>(&mut schemas);
    collect::<crate::civil_works::CivilWorkInput>(&mut schemas);
    collect::<crate::restricted_zones::ZoneInput>(&mut schemas);
    collect::<crate::undergrounding::areas::AreaInput>(&mut schemas);
    collect::<crate::undergrounding::projects::ProjectInput>(&mut schemas);
    collect::<crate::undergrounding::projects::StatusChange>(&mut schemas);
    collect::<crate::undergrounding::projects::ProgressReport>(&mut schemas);
    collect::<crate::civil_works::Interest>(&mut schemas);
    collect::<crate::civil_works::Match>(&mut schemas);
    collect::<crate::sharing::RatioRow>(&mut schemas);
    collect::<crate::permits::attachments::AttachmentMeta>(&mut schemas);
    collect::<crate::rules::Rule>(&mut schemas);
    collect::<crate::civil_works::CivilWorkSaved>(&mut schemas);
    collect::<crate::civil_works::Cancellation>(&mut schemas);
    collect::<crate::import::mapping::RowProblem>(&mut schemas);
    collect::<crate::import::values::ValueMapping>(&mut schemas);
    schemas
}

/// The components of the hand-written part, before the generated ones go over it.
#[cfg(test)]
pub(crate) fn hand_written_components() -> serde_json::Map<String, Value> {
    document_with(schemas())["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn document_with(schemas: Vec<(String, RefOr<Schema>)>) -> Value {
    let mut components = serde_json::Map::new();
    for (name, schema) in schemas {
        components.insert(name, serde_json::to_value(schema).unwrap_or(Value::Null));
    }
    components.insert("CoreProperties".into(), core_properties());
    for (name, schema) in dig_once_schemas() {
        components.insert(name.into(), schema);
    }
    components.insert(
        "AnyGeometry".into(),
        json!({
            "type": "object",
            "description": "A GeoJSON geometry (RFC 7946) of any type, WGS84 longitude/latitude.",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]},
                "coordinates": {"type": "array"},
                "geometries": {"type": "array", "items": {"$ref": "#/components/schemas/AnyGeometry"}}
            }
        }),
    );
    components.insert(
        "PublicFeature".into(),
        json!({
            "type": "object",
            "description": "A published tower as the public sees it (`asset_public_properties`): the common properties and the tower's class, height, placement and technologies; no capacity, tenants or notes.",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer", "readOnly": true},
                "geometry": {"$ref": "#/components/schemas/Geometry"},
                "properties": {"allOf": [{"$ref": "#/components/schemas/CoreProperties"}, {"type": "object", "properties": {
                    "tower_class": {"anyOf": [{"$ref": "#/components/schemas/TowerClass"}, {"type": "null"}]},
                    "height_m": {"type": ["number", "null"]},
                    "placement": {"anyOf": [{"$ref": "#/components/schemas/Placement"}, {"type": "null"}]},
                    "technologies": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/Technology"}}
                }}], "unevaluatedProperties": false}
            }
        }),
    );
    components.insert(
        "Geometry".into(),
        json!({
            "type": "object",
            "description": "A GeoJSON geometry (RFC 7946) in WGS84 longitude/latitude.",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"type": "string", "enum": ["Point", "LineString", "MultiLineString"]},
                "coordinates": {"type": "array", "items": {}}
            }
        }),
    );

    let list_params: Vec<Value> =
        ListParams::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query))
            .into_iter()
            .map(|p| serde_json::to_value(p).unwrap_or(Value::Null))
            .collect();
    let errors = |codes: &[&str]| -> Value {
        let mut map = serde_json::Map::new();
        for code in codes {
            map.insert(
                (*code).into(),
                json!({"$ref": format!("#/components/responses/Error{code}")}),
            );
        }
        Value::Object(map)
    };

    let mut paths = serde_json::Map::new();
    for kind in AssetKind::ALL {
        let name = details_schema(kind);
        let properties = format!("{name}Properties");
        // The kind's part and the common properties together, and nothing else
        // (`unevaluatedProperties` sees both; the part's own
        // `additionalProperties: false` would forbid the common ones).
        if let Some(part) = components.get_mut(&name).and_then(Value::as_object_mut) {
            part.remove("additionalProperties");
        }
        components.insert(properties.clone(), json!({
            "allOf": [{"$ref": "#/components/schemas/CoreProperties"}, {"$ref": format!("#/components/schemas/{name}")}],
            "unevaluatedProperties": false
        }));
        let feature = format!("{name}Feature");
        components.insert(feature.clone(), json!({
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer", "readOnly": true},
                "geometry": {"$ref": "#/components/schemas/Geometry"},
                "properties": {"$ref": format!("#/components/schemas/{properties}")},
                "crs": {"type": "object", "description": "Legacy GeoJSON CRS member, e.g. {\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3405\"}}, for coordinates not in WGS84."},
                "warnings": {"type": "array", "readOnly": true, "items": {"$ref": "#/components/schemas/FieldProblem"},
                    "description": "In the answer to a write that was taken, what the writer should check (code `former_zone`: TM-3 coordinates read in a merged province's zone that lie in a former province whose zone had another meridian)."}
            }
        }));
        let feature_ref = json!({"$ref": format!("#/components/schemas/{feature}")});
        // What a reader gets: the whole feature, or the public's view of it.
        let answer_ref =
            json!({"anyOf": [feature_ref.clone(), {"$ref": "#/components/schemas/PublicFeature"}]});
        let collection = kind.collection();
        let tag = kind.title();
        let id_param =
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
        let if_match = json!({"name": "If-Match", "in": "header", "required": false, "schema": {"type": "string"},
            "description": "The ETag (version) the change is based on; a stale one gets 409 and changes nothing."});
        let mut list_responses = json!({"200": {"description": "A page of features, with a `next` link when more follow.",
            "content": {"application/geo+json": {"schema": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "numberReturned": {"type": "integer"},
                "links": {"type": "array", "items": {"type": "object"}},
                "features": {"type": "array", "items": answer_ref.clone()}}}}}}});
        merge(&mut list_responses, errors(&["400"]));
        let mut create_responses = json!({"201": {"description": "Registered; `Location` and `ETag` headers are set.",
            "content": {"application/geo+json": {"schema": feature_ref.clone()}}}});
        merge(&mut create_responses, errors(&["400", "413", "415", "422"]));
        let mut get_responses = json!({"200": {"description": "The asset, with its tenants.", "content": {"application/geo+json": {"schema": answer_ref.clone()}}},
            "304": {"description": "Not modified since the ETag in If-None-Match."}});
        merge(&mut get_responses, errors(&["404"]));
        let mut patch_responses = json!({"200": {"description": "Updated; the new ETag is set.", "content": {"application/geo+json": {"schema": feature_ref.clone()}}}});
        merge(
            &mut patch_responses,
            errors(&["400", "404", "409", "413", "415", "422"]),
        );
        let mut decommission_responses = json!({"200": {"description": "Decommissioned (nothing is deleted).", "content": {"application/geo+json": {"schema": feature_ref.clone()}}}});
        merge(&mut decommission_responses, errors(&["400", "404", "409"]));

        paths.insert(format!("/api/v1/{collection}"), json!({
            "get": {"tags": [tag], "summary": format!("List {collection}"), "operationId": format!("list_{collection}"),
                    "parameters": list_params, "responses": list_responses},
            "post": {"tags": [tag], "summary": format!("Register a {}", kind.as_str()), "operationId": format!("create_{}", kind.as_str()),
                     "requestBody": {"required": true, "content": {"application/geo+json": {"schema": feature_ref.clone()}, "application/json": {"schema": feature_ref.clone()}}},
                     "responses": create_responses}
        }));
        paths.insert(format!("/api/v1/{collection}/{{id}}"), json!({
            "get": {"tags": [tag], "summary": format!("One {}", kind.as_str()), "operationId": format!("get_{}", kind.as_str()),
                    "parameters": [id_param.clone()], "responses": get_responses},
            "patch": {"tags": [tag], "summary": format!("Change a {} (JSON Merge Patch of the Feature)", kind.as_str()),
                      "operationId": format!("update_{}", kind.as_str()), "parameters": [id_param.clone(), if_match.clone()],
                      "requestBody": {"required": true, "content": {"application/merge-patch+json": {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}}},
                      "responses": patch_responses}
        }));
        paths.insert(format!("/api/v1/{collection}/{{id}}/decommission"), json!({
            "post": {"tags": [tag], "summary": format!("Decommission a {}", kind.as_str()), "operationId": format!("decommission_{}", kind.as_str()),
                     "parameters": [id_param, if_match],
                     "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecommissionRequest"}}}},
                     "responses": decommission_responses}
        }));
    }
    let mut any_feature: Vec<Value> = AssetKind::ALL
        .iter()
        .map(|kind| json!({"$ref": format!("#/components/schemas/{}Feature", details_schema(*kind))}))
        .collect();
    any_feature.push(json!({"$ref": "#/components/schemas/PublicFeature"}));
    components.insert("AnyAssetFeature".into(), json!({"anyOf": any_feature}));
    interop_paths(&mut paths, &errors);

    for (path, item) in crate::tiles::handlers::openapi_paths() {
        merge(paths.entry(path).or_insert_with(|| json!({})), item);
    }

    let mut responses = serde_json::Map::new();
    for (code, description) in [
        (
            "400",
            "Malformed request: not JSON, or a bad query parameter.",
        ),
        ("404", "No such resource."),
        (
            "409",
            "Version conflict (stale If-Match) or a state that forbids the change; nothing was changed.",
        ),
        (
            "401",
            "Not logged in, or an unknown, revoked or expired API token.",
        ),
        (
            "403",
            "Logged in, but the role or operator may not do this; or a cookie write without its CSRF token.",
        ),
        ("413", "The body is larger than the limit."),
        ("415", "The body is not JSON."),
        (
            "422",
            "The input is well-formed but not valid; `details` lists every problem by field.",
        ),
    ] {
        responses.insert(
            format!("Error{code}"),
            json!({"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}),
        );
    }

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Hatang API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Registry of passive telecom infrastructure (towers, poles, ducts, manholes, trenches, cable routes, cabinets) for Vietnamese local government. Geometry is GeoJSON (RFC 7946) in WGS84; lists page by keyset (`next` link); every change is kept in the asset's history."
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "responses": responses,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "hatang_session",
                            "description": "Browser session from POST /api/v1/auth/login. Writes also need the X-CSRF-Token header."},
                "token": {"type": "http", "scheme": "bearer", "description": "An operator's API token (POST /api/v1/tokens)."}
            }
        },
        "security": [{}, {"session": []}, {"token": []}]
    })
}

/// The OGC API (under `/ogc`) and exports (import jobs describe themselves).
fn interop_paths(paths: &mut serde_json::Map<String, Value>, errors: &dyn Fn(&[&str]) -> Value) {
    if let Value::Object(ogc) = crate::ogc::api::paths() {
        for (path, mut item) in ogc {
            // The shared parameters are written out here: this document has no
            // `components.parameters` of its own.
            inline_parameters(&mut item, &crate::ogc::api::parameters());
            let full = if path == "/" {
                "/ogc".to_string()
            } else {
                format!("/ogc{path}")
            };
            paths.insert(full, item);
        }
    }
    let tag = "Import and export";
    let export_params: Vec<Value> = crate::export::ExportParams::into_params(|| {
        Some(utoipa::openapi::path::ParameterIn::Query)
    })
    .into_iter()
    .map(|p| serde_json::to_value(p).unwrap_or(Value::Null))
    .collect();
    for kind in AssetKind::ALL {
        let collection = kind.collection();
        let file = json!({"schema": {"type": "string", "format": "binary"}});
        let mut responses = json!({"200": {"description": "The file, as an attachment.", "content": {
            "application/geo+json": file, "text/csv": file, "application/geopackage+sqlite3": file, "application/zip": file,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": file}}});
        merge(&mut responses, errors(&["400"]));
        paths.insert(format!("/api/v1/{collection}/export"), json!({"get": {"tags": [tag], "summary": format!("Export {collection} (GeoJSON, CSV, XLSX, GeoPackage, zipped Shapefile)"),
            "operationId": format!("export_{collection}"), "parameters": export_params.clone(), "responses": responses}}));
    }
}

/// Replaces `$ref`s to `#/components/parameters/...` by the parameters themselves.
fn inline_parameters(item: &mut Value, parameters: &Value) {
    let Some(operations) = item.as_object_mut() else {
        return;
    };
    for operation in operations.values_mut() {
        if let Some(list) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        {
            for parameter in list.iter_mut() {
                if let Some(name) = parameter["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/parameters/"))
                {
                    *parameter = parameters[name].clone();
                }
            }
        }
        if let Some(tags) = operation.get_mut("tags") {
            *tags = json!(["OGC API – Features"]);
        }
    }
}

fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(target), Value::Object(extra)) = (target, extra) {
        target.extend(extra);
    }
}

fn core_properties() -> Value {
    json!({
        "type": "object",
        "required": ["code", "operator"],
        "properties": {
            "code": {"type": "string", "maxLength": 64, "description": "The operator's own code for the asset; unique per operator and kind."},
            "name": {"type": ["string", "null"], "maxLength": 200},
            "operator": {"type": "string", "description": "Owner operator code, e.g. VNPT, VIETTEL, MOBIFONE, FPT, or a utility."},
            "status": {"type": "string", "enum": ["proposed", "planned", "under_construction", "operational", "inactive", "decommissioned"], "default": "operational"},
            "accuracy_m": {"type": ["number", "null"], "description": "Positional accuracy, metres."},
            "capacity": {"type": ["integer", "null"], "description": "Slots tenants can take (antenna positions, cable attachments, rack positions)."},
            "note": {"type": ["string", "null"], "maxLength": 4000},
            "kind": {"type": "string", "readOnly": true},
            "operator_name": {"type": "string", "readOnly": true},
            "ward_code": {"type": ["string", "null"], "readOnly": true, "description": "GSO code of the ward, derived from the geometry."},
            "ward_name": {"type": ["string", "null"], "readOnly": true},
            "tenant_count": {"type": "integer", "readOnly": true, "description": "Operators other than the owner using the asset today."},
            "shared": {"type": "boolean", "readOnly": true},
            "free_capacity": {"type": ["integer", "null"], "readOnly": true, "description": "Free slots; for a duct bank, free pipes."},
            "version": {"type": "integer", "readOnly": true},
            "created_at": {"type": "string", "format": "date-time", "readOnly": true},
            "updated_at": {"type": "string", "format": "date-time", "readOnly": true},
            "tenants": {"type": "array", "items": {"$ref": "#/components/schemas/Tenancy"}, "readOnly": true,
                "description": "On one asset read by a logged-in person: its tenancies."}
        }
    })
}

/// Civil works and restricted zones as the API shows them (built in SQL).
fn dig_once_schemas() -> Vec<(&'static str, Value)> {
    let date = json!({"type": "string", "format": "date"});
    let date_or_null = json!({"type": ["string", "null"], "format": "date"});
    let work_fields = json!({
        "title": {"type": "string"},
        "sector": {"type": "string", "enum": ["road", "power", "water", "drainage", "lighting", "telecom", "other"]},
        "owner_org": {"type": "string"},
        "contact": {"type": ["string", "null"]},
        "starts_on": date,
        "ends_on": date,
        "no_dig_until": date_or_null,
        "source_doc": {"type": ["string", "null"]},
        "ward_code": {"type": ["string", "null"]},
        "ward_name": {"type": ["string", "null"]},
        "cancelled_at": {"type": ["string", "null"], "format": "date-time"},
        "cancel_reason": {"type": ["string", "null"]}
    });
    let mut work = work_fields.as_object().cloned().unwrap_or_default();
    work.insert("id".into(), json!({"type": "integer"}));
    work.insert("version".into(), json!({"type": "integer"}));
    work.insert(
        "updated_at".into(),
        json!({"type": ["string", "null"], "format": "date-time"}),
    );
    work.insert(
        "geometry".into(),
        json!({"$ref": "#/components/schemas/AnyGeometry"}),
    );
    work.insert(
        "matches".into(),
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Match"},
        "description": "The operators it concerns (an operator sees only itself)."}),
    );
    work.insert("interests".into(), json!({"type": "array", "description": "Operators' interest in co-building (an operator sees only its own).",
        "items": {"type": "object", "required": ["operator", "created_at"], "additionalProperties": false, "properties": {
            "operator": {"type": "string"}, "note": {"type": ["string", "null"]}, "created_at": {"type": "string", "format": "date-time"}}}}));
    let feature = |properties: Value| {
        json!({
            "type": "object", "required": ["type", "id", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer"},
                "geometry": {"$ref": "#/components/schemas/AnyGeometry"},
                "properties": properties
            }
        })
    };
    let collection = |item: &str| {
        json!({
            "type": "object", "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}
            }
        })
    };
    vec![
        (
            "CivilWork",
            json!({"type": "object", "description": "A planned civil work with the operators it concerns.",
            "required": work.keys().collect::<Vec<_>>(),
            "properties": work, "additionalProperties": false}),
        ),
        (
            "CivilWorkFeature",
            feature(
                json!({"type": "object", "required": work_fields.as_object().map(|f| f.keys().collect::<Vec<_>>()),
            "properties": work_fields, "additionalProperties": false}),
            ),
        ),
        ("CivilWorkCollection", collection("CivilWorkFeature")),
        (
            "RestrictedZoneFeature",
            feature(
                json!({"type": "object", "required": ["name", "zone_type", "buffer_m", "severity", "citation"],
            "additionalProperties": false, "properties": {
                "name": {"type": "string"},
                "zone_type": {"type": "string", "enum": ["heritage", "military", "airport", "park", "other"]},
                "buffer_m": {"type": "number"},
                "severity": {"type": "string", "enum": ["warning", "blocking"]},
                "citation": {"type": "string"}}}),
            ),
        ),
        (
            "RestrictedZoneCollection",
            collection("RestrictedZoneFeature"),
        ),
        (
            "Created",
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}},
            "description": "The id of what was created."}),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_types_share_a_schema_name() {
        let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for (name, schema) in schemas() {
            let text = serde_json::to_string(&schema).unwrap();
            if let Some(other) = seen.insert(name.clone(), text.clone()) {
                assert_eq!(
                    other, text,
                    "two different types are both called {name} in the API description"
                );
            }
        }
    }
}
