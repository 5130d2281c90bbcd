//! The OpenAPI schemas of geometries, for typed answers anywhere (domain types
//! name them in `#[schema(schema_with = …)]` without reaching up to `http`).

use utoipa::openapi::{RefOr, Schema};

/// A `$ref` to the GeoJSON geometry of any type, for the `geometry` of typed
/// features (`#[schema(schema_with = crate::geometry::schema::any_geometry)]`).
pub fn any_geometry() -> utoipa::openapi::Ref {
    utoipa::openapi::Ref::from_schema_name("AnyGeometry")
}

/// A GeoJSON geometry or null (`Option<Value>` fields).
pub fn any_geometry_or_null() -> RefOr<Schema> {
    RefOr::T(Schema::OneOf(
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name("AnyGeometry"))
            .item(utoipa::openapi::schema::Object::with_type(
                utoipa::openapi::schema::Type::Null,
            ))
            .build(),
    ))
}
