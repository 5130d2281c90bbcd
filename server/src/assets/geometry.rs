//! An asset's geometry as it arrives: the shapes each kind accepts. Reading and
//! checking is `crate::geometry`'s, the same for every geometry that comes in.

use serde_json::Value;

use super::kind::{AssetKind, Shape};
use crate::geometry::GeometryType;
use crate::validation::Problems;

pub use crate::coordinates::VIETNAM_EXTENT;
pub use crate::geometry::{MAX_VERTICES, SubmittedGeometry, parse_crs, srid_from_name};

/// Reads `geometry` (and the optional legacy `crs` member) for an asset of `kind`.
pub fn parse(
    kind: AssetKind,
    geometry: Option<&Value>,
    crs: Option<&Value>,
    problems: &mut Problems,
) -> Option<SubmittedGeometry> {
    let accepts: &[GeometryType] = match kind.shape() {
        Shape::Point => &[GeometryType::Point],
        Shape::Line => &[GeometryType::LineString],
        Shape::Lines => &[GeometryType::LineString, GeometryType::MultiLineString],
    };
    crate::geometry::parse("geometry", geometry, crs, accepts, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(kind: AssetKind, geometry: Value) -> Result<SubmittedGeometry, String> {
        let mut problems = Problems::new();
        parse(kind, Some(&geometry), None, &mut problems)
            .ok_or_else(|| format!("{:?}", problems.into_error()))
    }

    #[test]
    fn a_point_in_quang_ngai_is_accepted() {
        let g = check(
            AssetKind::Tower,
            json!({"type": "Point", "coordinates": [108.806, 15.117]}),
        )
        .unwrap();
        assert_eq!(g.srid, 4326);
    }

    #[test]
    fn a_tower_cannot_be_a_line() {
        let error = check(
            AssetKind::Tower,
            json!({"type": "LineString", "coordinates": [[108.8, 15.1], [108.81, 15.11]]}),
        )
        .unwrap_err();
        assert!(error.contains("must be a Point"), "{error}");
    }

    #[test]
    fn swapped_coordinates_are_named() {
        let error = check(
            AssetKind::Pole,
            json!({"type": "Point", "coordinates": [15.117, 108.806]}),
        )
        .unwrap_err();
        assert!(error.contains("swapped"), "{error}");
    }

    #[test]
    fn projected_coordinates_without_crs_are_refused() {
        let error = check(
            AssetKind::Pole,
            json!({"type": "Point", "coordinates": [586000.0, 1671000.0]}),
        )
        .unwrap_err();
        assert!(error.contains("declare the CRS"), "{error}");
    }

    #[test]
    fn crs_names_are_understood() {
        assert_eq!(srid_from_name("EPSG:3405"), Some(3405));
        assert_eq!(srid_from_name("urn:ogc:def:crs:EPSG::4756"), Some(4756));
        assert_eq!(srid_from_name("urn:ogc:def:crs:OGC:1.3:CRS84"), Some(4326));
        assert_eq!(srid_from_name("VN2000"), None);
    }
}
