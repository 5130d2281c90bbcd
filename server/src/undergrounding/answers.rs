//! The shapes of the flags and dashboard answers, for the API description.
//!
//! Those two answers are put together as JSON in [`super::analysis`] (its
//! queries are tuned on their own), so these types only describe them; the
//! API test `openapi_responses` checks every real answer against them.

#![allow(dead_code)] // Described, not built: see above.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use utoipa::ToSchema;

use super::analysis::WardFigures;

/// Every segment of the undergrounding areas, worst first.
#[derive(ToSchema)]
pub struct FlagCollection {
    #[serde(rename = "type")]
    #[schema(pattern = "^FeatureCollection$")]
    kind: String,
    features: Vec<SegmentFeature>,
}

/// A street segment of an undergrounding area with the overhead cable on it.
#[derive(ToSchema)]
pub struct SegmentFeature {
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    kind: String,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    geometry: Value,
    properties: SegmentProperties,
}

/// A segment's figures (`Segment` without its geometry).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentProperties {
    area_id: i64,
    area_name: String,
    #[schema(value_type = super::areas::AreaType)]
    area_type: String,
    target_year: i32,
    source_doc: String,
    segment_name: String,
    #[schema(required = true)]
    ward_code: Option<String>,
    #[schema(required = true)]
    ward_name: Option<String>,
    /// Overhead cable still standing, km (summed over cables).
    overhead_km: f64,
    /// Of which along a duct bank with a free pipe.
    debt_km: f64,
    /// Cables running along the segment: the density index.
    cable_count: i64,
    /// Overhead km per owner (empty for the public).
    by_operator: BTreeMap<String, f64>,
}

/// A ward's undergrounding dashboard. The public (where the ward publishes
/// it) gets it without `by_operator` and `sharing_by_operator`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    ward_code: String,
    ward_name: String,
    as_of: NaiveDate,
    /// Overhead cable standing in the ward, km.
    overhead_km: f64,
    /// Of which in undergrounding areas.
    overhead_km_in_areas: f64,
    /// Along a duct bank with a free pipe.
    debt_km: f64,
    /// Undergrounding areas with a segment in the ward.
    areas: i64,
    /// The same figures per owner (not for the public).
    #[schema(required = false)]
    by_operator: Vec<WardFigures>,
    /// The ten worst segments.
    worst_segments: Vec<WorstSegment>,
    projects: Vec<DashboardProject>,
    /// Towers and poles shared, per owner (not for the public).
    #[schema(required = false)]
    sharing_by_operator: Vec<OperatorSharing>,
    /// The daily figures, oldest first, ending today.
    history: Vec<HistoryPoint>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorstSegment {
    area_id: i64,
    segment_name: String,
    overhead_km: f64,
    cable_count: i64,
    debt_km: f64,
    target_year: i32,
}

/// A project that meets the ward.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardProject {
    id: i64,
    name: String,
    status: super::projects::ProjectStatus,
    #[schema(required = true)]
    starts_on: Option<NaiveDate>,
    #[schema(required = true)]
    ends_on: Option<NaiveDate>,
    length_km: f64,
    built_km: f64,
    /// Operators taking part.
    operators: i64,
    /// Of which have confirmed their removal.
    removals_confirmed: i64,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorSharing {
    operator: String,
    /// Its towers and poles in the ward.
    assets: i64,
    /// Of which used by two or more operators.
    shared: i64,
    ratio: f64,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryPoint {
    day: NaiveDate,
    overhead_km_in_areas: f64,
    overhead_km: f64,
    debt_km: f64,
}
