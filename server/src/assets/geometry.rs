//! An asset's geometry as it arrives: GeoJSON (RFC 7946), in WGS84 longitude and
//! latitude unless the client declares another CRS (VN-2000 survey data, say)
//! with the legacy GeoJSON `crs` member. Shape, coordinate ranges and the
//! Vietnam extent are checked here; validity and self-intersection are checked
//! by PostGIS when the geometry is stored (see `checked_geometry` in the schema).

use serde_json::Value;

use super::kind::{AssetKind, Shape};
use crate::http::error::Problems;

/// Vietnam's extent in WGS84, `[min lon, min lat, max lon, max lat]`: the
/// mainland and the Hoàng Sa and Trường Sa archipelagos.
pub const VIETNAM_EXTENT: [f64; 4] = [102.0, 6.0, 118.0, 23.5];

/// Most vertices one asset geometry may have.
pub const MAX_VERTICES: usize = 20_000;

/// A geometry whose shape suits its kind, with the SRID it is expressed in.
#[derive(Debug, Clone)]
pub struct SubmittedGeometry {
    pub geometry: geo_types::Geometry<f64>,
    pub srid: i32,
}

/// Reads `geometry` (and the optional legacy `crs` member) for an asset of `kind`.
pub fn parse(
    kind: AssetKind,
    geometry: Option<&Value>,
    crs: Option<&Value>,
    problems: &mut Problems,
) -> Option<SubmittedGeometry> {
    let srid = match crs {
        None | Some(Value::Null) => 4326,
        Some(crs) => match parse_crs(crs) {
            Some(srid) => srid,
            None => {
                problems.add(
                    "crs",
                    "unrecognised CRS; use {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:<code>\"}}, or omit it for WGS84",
                );
                return None;
            }
        },
    };
    let value = match geometry {
        None | Some(Value::Null) => {
            problems.add("geometry", "required");
            return None;
        }
        Some(value) => value,
    };
    let parsed = match geojson::Geometry::from_json_value(value.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            problems.add("geometry", format!("not a valid GeoJSON geometry: {error}"));
            return None;
        }
    };
    let type_name = type_name(&parsed.value);
    let fits = match kind.shape() {
        Shape::Point => matches!(parsed.value, geojson::Value::Point(_)),
        Shape::Line => matches!(parsed.value, geojson::Value::LineString(_)),
        Shape::Lines => matches!(
            parsed.value,
            geojson::Value::LineString(_) | geojson::Value::MultiLineString(_)
        ),
    };
    if !fits {
        let expected = match kind.shape() {
            Shape::Point => "a Point",
            Shape::Line => "a LineString",
            Shape::Lines => "a LineString or MultiLineString",
        };
        problems.add(
            "geometry",
            format!("a {} must be {expected}, not a {type_name}", kind.as_str()),
        );
        return None;
    }
    let positions = positions(&parsed.value);
    if positions.len() > MAX_VERTICES {
        problems.add(
            "geometry",
            format!(
                "has {} vertices; the limit is {MAX_VERTICES}",
                positions.len()
            ),
        );
        return None;
    }
    if positions.iter().any(|p| p.len() < 2 || p.len() > 3) {
        problems.add(
            "geometry",
            "every position must be [longitude, latitude] or [longitude, latitude, height]",
        );
        return None;
    }
    if srid == 4326 && !check_wgs84(&positions, problems) {
        return None;
    }
    match geo_types::Geometry::<f64>::try_from(parsed) {
        Ok(geometry) => Some(SubmittedGeometry { geometry, srid }),
        Err(error) => {
            problems.add("geometry", format!("cannot be read: {error}"));
            None
        }
    }
}

fn check_wgs84(positions: &[&Vec<f64>], problems: &mut Problems) -> bool {
    let [min_lon, min_lat, max_lon, max_lat] = VIETNAM_EXTENT;
    let in_vietnam = |lon: f64, lat: f64| {
        (min_lon..=max_lon).contains(&lon) && (min_lat..=max_lat).contains(&lat)
    };
    for position in positions {
        let (lon, lat) = (position[0], position[1]);
        if !in_vietnam(lon, lat) && in_vietnam(lat, lon) {
            problems.add(
                "geometry",
                format!("[{lon}, {lat}] looks like latitude and longitude swapped; GeoJSON puts longitude first"),
            );
            return false;
        }
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            problems.add(
                "geometry",
                format!(
                    "[{lon}, {lat}] is not a WGS84 longitude and latitude; GeoJSON coordinates are WGS84 (RFC 7946). \
                     For VN-2000 or UTM coordinates declare the CRS in a \"crs\" member"
                ),
            );
            return false;
        }
        if !in_vietnam(lon, lat) {
            problems.add(
                "geometry",
                format!(
                    "[{lon}, {lat}] is outside Vietnam (longitude {min_lon}–{max_lon}, latitude {min_lat}–{max_lat})"
                ),
            );
            return false;
        }
    }
    true
}

/// The SRID named by a legacy GeoJSON `crs` member.
pub fn parse_crs(crs: &Value) -> Option<i32> {
    let name = crs.get("properties")?.get("name")?.as_str()?;
    srid_from_name(name)
}

/// `EPSG:3405`, `urn:ogc:def:crs:EPSG::3405`, `http://www.opengis.net/def/crs/EPSG/0/3405`,
/// or CRS84 (WGS84 longitude first).
pub fn srid_from_name(name: &str) -> Option<i32> {
    let name = name.trim();
    if name.ends_with("CRS84") {
        return Some(4326);
    }
    let code = name
        .strip_prefix("EPSG:")
        .or_else(|| name.strip_prefix("urn:ogc:def:crs:EPSG::"))
        .or_else(|| name.strip_prefix("urn:ogc:def:crs:EPSG:"))
        .or_else(|| name.strip_prefix("http://www.opengis.net/def/crs/EPSG/0/"))?;
    code.parse().ok().filter(|srid| *srid > 0)
}

fn type_name(value: &geojson::Value) -> &'static str {
    match value {
        geojson::Value::Point(_) => "Point",
        geojson::Value::MultiPoint(_) => "MultiPoint",
        geojson::Value::LineString(_) => "LineString",
        geojson::Value::MultiLineString(_) => "MultiLineString",
        geojson::Value::Polygon(_) => "Polygon",
        geojson::Value::MultiPolygon(_) => "MultiPolygon",
        geojson::Value::GeometryCollection(_) => "GeometryCollection",
    }
}

fn positions(value: &geojson::Value) -> Vec<&Vec<f64>> {
    match value {
        geojson::Value::Point(p) => vec![p],
        geojson::Value::MultiPoint(ps) | geojson::Value::LineString(ps) => ps.iter().collect(),
        geojson::Value::MultiLineString(ls) | geojson::Value::Polygon(ls) => {
            ls.iter().flatten().collect()
        }
        geojson::Value::MultiPolygon(ps) => ps.iter().flatten().flatten().collect(),
        geojson::Value::GeometryCollection(gs) => {
            gs.iter().flat_map(|g| positions(&g.value)).collect()
        }
    }
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
    fn paris_is_outside_vietnam() {
        let error = check(
            AssetKind::Pole,
            json!({"type": "Point", "coordinates": [2.35, 48.85]}),
        )
        .unwrap_err();
        assert!(error.contains("outside Vietnam"), "{error}");
    }

    #[test]
    fn crs_names_are_understood() {
        assert_eq!(srid_from_name("EPSG:3405"), Some(3405));
        assert_eq!(srid_from_name("urn:ogc:def:crs:EPSG::4756"), Some(4756));
        assert_eq!(srid_from_name("urn:ogc:def:crs:OGC:1.3:CRS84"), Some(4326));
        assert_eq!(srid_from_name("VN2000"), None);
    }
}
