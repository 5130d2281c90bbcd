//! Every geometry that comes in, whatever it describes: an asset, a permit's
//! site, a restricted zone, an undergrounding area or project, a civil work.
//!
//! Input arrives as GeoJSON (RFC 7946), WGS84 longitude/latitude unless the
//! client declares another CRS with the legacy `crs` member. It is checked in
//! two steps, and each refusal is a problem of the field, never a server error:
//! - [`parse`] (here, in Rust): the type fits what the field accepts, the
//!   positions are numbers, a line has two distinct points, a ring is closed
//!   and has four positions, nothing is empty, no height would be lost, and
//!   WGS84 numbers look like a longitude and a latitude the right way round;
//! - [`check`] (in PostGIS, `checked_geometry` of migrations 0050 to 0054):
//!   the conversion to WGS84 (a coordinate outside the declared CRS's domain is
//!   refused, not an error), validity (a polygon that crosses itself, with
//!   where), simple lines, and that it lies in Vietnam; then the ward it is in.
//!
//! Heights: Hatang keeps positions in 2D. A third coordinate other than 0 is
//! refused with a message (the height belongs in an attribute such as
//! `height_m`), never dropped silently; a height of 0 everywhere, as CAD and
//! many GIS exports write for "no height", is taken as no height.

pub mod schema;

use serde_json::Value;
use sqlx::PgConnection;

use crate::http::error::Problems;
use crate::validation::{Code, Problem};

/// Most vertices one geometry may have.
pub const MAX_VERTICES: usize = 20_000;

/// The GeoJSON geometry types a field may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryType {
    Point,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
}

impl GeometryType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Point => "Point",
            Self::LineString => "LineString",
            Self::MultiLineString => "MultiLineString",
            Self::Polygon => "Polygon",
            Self::MultiPolygon => "MultiPolygon",
        }
    }

    /// Every type (a permit site or a civil work may be any of them).
    pub const ALL: &'static [Self] = &[
        Self::Point,
        Self::LineString,
        Self::MultiLineString,
        Self::Polygon,
        Self::MultiPolygon,
    ];
    /// Areas: restricted zones, undergrounding areas drawn as polygons.
    pub const AREAS: &'static [Self] = &[Self::Polygon, Self::MultiPolygon];
}

/// A geometry that passed [`parse`], in the SRID it was sent in.
#[derive(Debug, Clone)]
pub struct SubmittedGeometry {
    pub geometry: geo_types::Geometry<f64>,
    pub srid: i32,
}

/// A geometry that passed [`check`]: in WGS84, 2D, valid, in Vietnam.
#[derive(Debug, Clone)]
pub struct CheckedGeometry {
    pub geometry: geo_types::Geometry<f64>,
    /// The ward it lies in (for a line, the ward holding most of it).
    pub ward_id: Option<i64>,
    /// What the sender should check although the geometry was taken: TM-3
    /// coordinates read in a merged province's zone that lie in a former
    /// province whose zone had another meridian ([`Code::FormerZone`]).
    pub warnings: Vec<Problem>,
}

impl CheckedGeometry {
    /// The warnings as problems of `field`, for a write's answer.
    pub fn field_warnings(&self, field: &str) -> Vec<crate::validation::FieldProblem> {
        self.warnings
            .iter()
            .map(|w| crate::validation::FieldProblem::new(field, w.clone()))
            .collect()
    }

    /// For binding as `ST_SetSRID($n::geometry, 4326)`.
    pub fn wkb(&self) -> geozero::wkb::Encode<geo_types::Geometry<f64>> {
        geozero::wkb::Encode(self.geometry.clone())
    }
}

/// Reads the GeoJSON geometry `value` of `field`, in the CRS named by the
/// optional legacy `crs` member, accepting only the types in `accepts`.
/// Every problem found goes to `problems`; `None` when there was one.
pub fn parse(
    field: &str,
    value: Option<&Value>,
    crs: Option<&Value>,
    accepts: &[GeometryType],
    problems: &mut Problems,
) -> Option<SubmittedGeometry> {
    let srid = match crs {
        None | Some(Value::Null) => crate::coordinates::WGS84,
        Some(crs) => match parse_crs(crs) {
            Some(srid) => srid,
            None => {
                problems.add(
                    "crs",
                    Problem::new(
                        Code::UnknownCrs,
                        "unrecognised CRS; use {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:<code>\"}}, or omit it for WGS84",
                    ),
                );
                return None;
            }
        },
    };
    let value = match value {
        None | Some(Value::Null) => {
            problems.add(field, Problem::required());
            return None;
        }
        Some(value) => value,
    };
    match shape_problem(value, accepts) {
        Ok(()) => {}
        Err(problem) => {
            problems.add(field, problem);
            return None;
        }
    }
    let parsed = match geojson::Geometry::from_json_value(value.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            problems.add(
                field,
                Problem::new(
                    Code::MalformedGeometry,
                    format!("not a valid GeoJSON geometry: {error}"),
                ),
            );
            return None;
        }
    };
    if srid == crate::coordinates::WGS84
        && let Err(problem) = check_wgs84(&positions(&parsed.value))
    {
        problems.add(field, problem);
        return None;
    }
    match geo_types::Geometry::<f64>::try_from(parsed) {
        Ok(geometry) => Some(SubmittedGeometry { geometry, srid }),
        Err(error) => {
            problems.add(
                field,
                Problem::new(Code::MalformedGeometry, format!("cannot be read: {error}")),
            );
            None
        }
    }
}

/// What is wrong with the structure of a GeoJSON geometry, checked on the JSON
/// itself so that every message can say exactly which part is wrong.
fn shape_problem(value: &Value, accepts: &[GeometryType]) -> Result<(), Problem> {
    let malformed = |text: &'static str| Problem::new(Code::MalformedGeometry, text);
    let object = value.as_object().ok_or_else(|| {
        malformed("must be a GeoJSON geometry object with \"type\" and \"coordinates\"")
    })?;
    let type_name = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("has no \"type\""))?;
    let wrong_type = || {
        let allowed: Vec<&str> = accepts.iter().map(|t| t.as_str()).collect();
        Problem::new(
            Code::WrongGeometryType,
            format!("must be {}, not a {type_name}", accepted_list(accepts)),
        )
        .with("type", type_name)
        .with("allowed", allowed)
    };
    let Some(geometry_type) = GeometryType::ALL
        .iter()
        .copied()
        .find(|t| t.as_str() == type_name)
    else {
        return Err(match type_name {
            "MultiPoint" | "GeometryCollection" => wrong_type(),
            other => Problem::new(
                Code::MalformedGeometry,
                format!("{other:?} is not a GeoJSON geometry type"),
            ),
        });
    };
    if !accepts.contains(&geometry_type) {
        return Err(wrong_type());
    }
    let coordinates = object
        .get("coordinates")
        .ok_or_else(|| malformed("has no \"coordinates\""))?;
    let mut count = 0usize;
    let mut heights = Vec::new();
    let empty = || Problem::new(Code::EmptyGeometry, "empty geometry: it has no coordinates");
    let position = |value: &Value, count: &mut usize, heights: &mut Vec<f64>| {
        read_position(value, count, heights)
    };
    match geometry_type {
        GeometryType::Point => {
            if coordinates.as_array().is_some_and(Vec::is_empty) {
                return Err(empty());
            }
            position(coordinates, &mut count, &mut heights)?;
        }
        GeometryType::LineString => {
            let line = array(coordinates, "a list of positions")?;
            if line.is_empty() {
                return Err(empty());
            }
            read_line(line, "the line", &mut count, &mut heights)?;
        }
        GeometryType::MultiLineString => {
            let lines = array(coordinates, "a list of lines")?;
            if lines.is_empty() {
                return Err(empty());
            }
            for (i, line) in lines.iter().enumerate() {
                let line = array(line, "a list of positions")?;
                read_line(line, &format!("line {}", i + 1), &mut count, &mut heights)?;
            }
        }
        GeometryType::Polygon => {
            let rings = array(coordinates, "a list of rings")?;
            if rings.is_empty() {
                return Err(empty());
            }
            read_polygon(rings, "", &mut count, &mut heights)?;
        }
        GeometryType::MultiPolygon => {
            let polygons = array(coordinates, "a list of polygons")?;
            if polygons.is_empty() {
                return Err(empty());
            }
            for (i, polygon) in polygons.iter().enumerate() {
                let rings = array(polygon, "a list of rings")?;
                if rings.is_empty() {
                    return Err(Problem::new(
                        Code::EmptyGeometry,
                        format!("empty geometry: polygon {} has no coordinates", i + 1),
                    )
                    .with("part", format!("polygon {}", i + 1)));
                }
                read_polygon(
                    rings,
                    &format!("polygon {}: ", i + 1),
                    &mut count,
                    &mut heights,
                )?;
            }
        }
    }
    if count > MAX_VERTICES {
        return Err(Problem::new(
            Code::TooManyVertices,
            format!("has {count} vertices; the limit is {MAX_VERTICES}"),
        )
        .with("count", count)
        .with("max", MAX_VERTICES));
    }
    if let Some(height) = heights.iter().find(|h| **h != 0.0) {
        return Err(has_height(*height));
    }
    Ok(())
}

/// A third coordinate that 2D positions would lose.
fn has_height(height: f64) -> Problem {
    Problem::new(
        Code::HasHeight,
        format!(
            "has heights (a third coordinate, e.g. {height:?}); Hatang keeps positions in 2D and \
             would lose them: send [longitude, latitude] and give a height in its attribute (height_m)"
        ),
    )
    .with("height", height)
}

fn accepted_list(accepts: &[GeometryType]) -> String {
    let names: Vec<String> = accepts
        .iter()
        .map(|t| format!("a {}", t.as_str()))
        .collect();
    match names.as_slice() {
        [] => String::from("nothing"),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn array<'a>(value: &'a Value, what: &str) -> Result<&'a Vec<Value>, Problem> {
    value.as_array().ok_or_else(|| {
        Problem::new(
            Code::MalformedGeometry,
            format!("coordinates must be {what}"),
        )
    })
}

fn read_position(
    value: &Value,
    count: &mut usize,
    heights: &mut Vec<f64>,
) -> Result<[f64; 2], Problem> {
    let numbers = value.as_array().ok_or_else(|| {
        Problem::new(
            Code::MalformedGeometry,
            "every position must be [longitude, latitude]",
        )
    })?;
    if numbers.len() < 2 || numbers.len() > 3 {
        return Err(Problem::new(
            Code::MalformedGeometry,
            format!(
                "every position must be [longitude, latitude] (or with a height of 0); got {} numbers",
                numbers.len()
            ),
        ));
    }
    let mut xyz = [0.0; 3];
    for (i, n) in numbers.iter().enumerate() {
        xyz[i] = n.as_f64().filter(|f| f.is_finite()).ok_or_else(|| {
            Problem::new(
                Code::MalformedGeometry,
                format!("{n} is not a coordinate (a finite number)"),
            )
        })?;
    }
    if numbers.len() == 3 {
        heights.push(xyz[2]);
    }
    *count += 1;
    Ok([xyz[0], xyz[1]])
}

fn read_line(
    line: &[Value],
    name: &str,
    count: &mut usize,
    heights: &mut Vec<f64>,
) -> Result<(), Problem> {
    let mut points = Vec::with_capacity(line.len());
    for p in line {
        points.push(read_position(p, count, heights)?);
    }
    let distinct = points.windows(2).any(|w| w[0] != w[1]);
    if points.len() < 2 || !distinct {
        let n = if distinct { points.len() } else { 1 };
        return Err(Problem::new(
            Code::TooFewPoints,
            format!(
                "{name} has {n} distinct point{}; a line needs at least two",
                if n != 1 { "s" } else { "" }
            ),
        )
        .with("part", name)
        .with("distinct", n));
    }
    Ok(())
}

fn read_polygon(
    rings: &[Value],
    prefix: &str,
    count: &mut usize,
    heights: &mut Vec<f64>,
) -> Result<(), Problem> {
    for (i, ring) in rings.iter().enumerate() {
        let ring = array(ring, "a list of positions")?;
        let name = if i == 0 {
            format!("{prefix}the outer ring")
        } else {
            format!("{prefix}hole {i}")
        };
        let mut points = Vec::with_capacity(ring.len());
        for p in ring {
            points.push(read_position(p, count, heights)?);
        }
        if points.len() < 4 {
            return Err(Problem::new(
                Code::RingTooShort,
                format!(
                    "{name} has {} positions; a ring needs at least four (three corners and the first again)",
                    points.len()
                ),
            )
            .with("part", name)
            .with("positions", points.len()));
        }
        if points.first() != points.last() {
            return Err(Problem::new(
                Code::RingNotClosed,
                format!("{name} is not closed: its last position must repeat the first"),
            )
            .with("part", name));
        }
    }
    Ok(())
}

/// WGS84 numbers that are not a longitude/latitude, or that are one the wrong
/// way round. The exact test of "in Vietnam" is PostGIS's, in [`check`].
fn check_wgs84(positions: &[&Vec<f64>]) -> Result<(), Problem> {
    let [min_lon, min_lat, max_lon, max_lat] = crate::coordinates::VIETNAM_EXTENT;
    let in_extent = |lon: f64, lat: f64| {
        (min_lon..=max_lon).contains(&lon) && (min_lat..=max_lat).contains(&lat)
    };
    for position in positions {
        let (lon, lat) = (position[0], position[1]);
        if !in_extent(lon, lat) && in_extent(lat, lon) {
            return Err(Problem::new(
                Code::AxesSwapped,
                format!(
                    "[{lon:?}, {lat:?}] looks like latitude and longitude swapped; GeoJSON puts longitude first"
                ),
            )
            .with("x", lon)
            .with("y", lat)
            .with("srid", crate::coordinates::WGS84));
        }
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(Problem::new(
                Code::NotWgs84,
                format!(
                    "[{lon:?}, {lat:?}] is not a WGS84 longitude and latitude; GeoJSON coordinates are WGS84 (RFC 7946). \
                     For VN-2000 or UTM coordinates declare the CRS in a \"crs\" member"
                ),
            )
            .with("x", lon)
            .with("y", lat));
        }
    }
    Ok(())
}

/// Converts a parsed geometry to WGS84 in PostGIS and checks it there: the
/// conversion, validity, simple lines, in Vietnam. `Err` is the problem, with
/// its code, for the geometry's field.
pub async fn check(
    conn: &mut PgConnection,
    submitted: &SubmittedGeometry,
) -> sqlx::Result<Result<CheckedGeometry, Problem>> {
    /// What `checked_geometry` says of a geometry, and its ward when it is right.
    #[derive(sqlx::FromRow)]
    struct Checked {
        problem: Option<String>,
        code: Option<String>,
        params: Option<Value>,
        geom: Option<geozero::wkb::Decode<geo_types::Geometry<f64>>>,
        ward_id: Option<i64>,
    }
    let Checked {
        problem,
        code,
        params,
        geom: geometry,
        ward_id,
    } = sqlx::query_as(
        "select c.problem, c.code, c.params, c.geom,
                case when c.problem is null then ward_for(c.geom) end as ward_id
         from checked_geometry($1, $2) c",
    )
    .bind(geozero::wkb::Encode(submitted.geometry.clone()))
    .bind(submitted.srid)
    .fetch_one(conn)
    .await?;
    Ok(match (problem, geometry.and_then(|g| g.geometry)) {
        (None, Some(geometry)) => Ok(CheckedGeometry {
            warnings: crate::coordinates::provinces::former_zone_warnings(
                submitted.srid,
                &vertices(&geometry),
            ),
            geometry,
            ward_id,
        }),
        (Some(problem), _) => Err(database_problem(problem, code.as_deref(), params)),
        (None, None) => Err(Problem::new(
            Code::EmptyGeometry,
            "empty geometry: it has no coordinates",
        )),
    })
}

/// The positions of a geometry's vertices, `(x, y)`, in its own order.
pub fn vertices(geometry: &geo_types::Geometry<f64>) -> Vec<(f64, f64)> {
    use geo_types::Geometry as G;
    fn line(l: &geo_types::LineString<f64>, out: &mut Vec<(f64, f64)>) {
        out.extend(l.0.iter().map(|c| (c.x, c.y)));
    }
    fn polygon(p: &geo_types::Polygon<f64>, out: &mut Vec<(f64, f64)>) {
        line(p.exterior(), out);
        p.interiors().iter().for_each(|ring| line(ring, out));
    }
    let mut out = Vec::new();
    match geometry {
        G::Point(p) => out.push((p.x(), p.y())),
        G::MultiPoint(m) => out.extend(m.0.iter().map(|p| (p.x(), p.y()))),
        G::Line(l) => out.extend([(l.start.x, l.start.y), (l.end.x, l.end.y)]),
        G::LineString(l) => line(l, &mut out),
        G::MultiLineString(m) => m.0.iter().for_each(|l| line(l, &mut out)),
        G::Polygon(p) => polygon(p, &mut out),
        G::MultiPolygon(m) => m.0.iter().for_each(|p| polygon(p, &mut out)),
        G::Rect(r) => polygon(&r.to_polygon(), &mut out),
        G::Triangle(t) => polygon(&t.to_polygon(), &mut out),
        G::GeometryCollection(c) => c.0.iter().for_each(|g| out.extend(vertices(g))),
    }
    out
}

/// A problem as `checked_geometry` (migration 0054) states it: the English
/// text, a code's name and its parameters.
pub fn database_problem(text: String, code: Option<&str>, params: Option<Value>) -> Problem {
    let code = code
        .and_then(|c| serde_json::from_value(Value::String(c.to_string())).ok())
        .unwrap_or(Code::Invalid);
    let mut problem = Problem::new(code, text);
    if let Some(Value::Object(params)) = params {
        problem.params = params;
    }
    problem
}

/// [`parse`] then [`check`], for handlers of one geometry field: a 422 with
/// the field's problem, or the checked geometry.
pub async fn parse_and_check(
    conn: &mut PgConnection,
    field: &str,
    value: Option<&Value>,
    accepts: &[GeometryType],
) -> crate::http::error::ApiResult<CheckedGeometry> {
    let mut problems = Problems::new();
    let crs = value.and_then(|v| v.get("crs"));
    let Some(submitted) = parse(field, value, crs, accepts, &mut problems) else {
        return Err(problems.into_error());
    };
    match check(conn, &submitted).await? {
        Ok(checked) => Ok(checked),
        Err(problem) => Err(crate::http::error::ApiError::invalid(field, problem)),
    }
}

/// The SRID named by a legacy GeoJSON `crs` member.
pub fn parse_crs(crs: &Value) -> Option<i32> {
    let name = crs.get("properties")?.get("name")?.as_str()?;
    srid_from_name(name)
}

pub use crate::coordinates::srid_from_name;

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

    fn problem(value: Value, accepts: &[GeometryType]) -> String {
        let mut problems = Problems::new();
        assert!(parse("geometry", Some(&value), None, accepts, &mut problems).is_none());
        format!("{:?}", problems.into_vec())
    }

    #[test]
    fn a_one_point_line_is_refused() {
        let p = problem(
            json!({"type": "LineString", "coordinates": [[108.8, 15.1]]}),
            &[GeometryType::LineString],
        );
        assert!(p.contains("at least two"), "{p}");
        let p = problem(
            json!({"type": "LineString", "coordinates": [[108.8, 15.1], [108.8, 15.1]]}),
            &[GeometryType::LineString],
        );
        assert!(p.contains("1 distinct point;"), "{p}");
    }

    #[test]
    fn empty_geometries_say_so() {
        for value in [
            json!({"type": "Point", "coordinates": []}),
            json!({"type": "LineString", "coordinates": []}),
            json!({"type": "Polygon", "coordinates": []}),
            json!({"type": "MultiPolygon", "coordinates": []}),
        ] {
            let p = problem(value, GeometryType::ALL);
            assert!(p.contains("empty geometry"), "{p}");
        }
    }

    #[test]
    fn rings_must_be_closed_and_long_enough() {
        let p = problem(
            json!({"type": "Polygon", "coordinates": [[[108.8, 15.1], [108.81, 15.1], [108.8, 15.1]]]}),
            GeometryType::AREAS,
        );
        assert!(p.contains("at least four"), "{p}");
        let p = problem(
            json!({"type": "Polygon", "coordinates": [[[108.8, 15.1], [108.81, 15.1], [108.81, 15.11], [108.8, 15.11]]]}),
            GeometryType::AREAS,
        );
        assert!(p.contains("not closed"), "{p}");
    }

    #[test]
    fn heights_are_refused_unless_zero() {
        let p = problem(
            json!({"type": "Point", "coordinates": [108.8, 15.1, 12.5]}),
            &[GeometryType::Point],
        );
        assert!(p.contains("heights") && p.contains("12.5"), "{p}");
        let mut problems = Problems::new();
        let zero = json!({"type": "Point", "coordinates": [108.8, 15.1, 0.0]});
        assert!(
            parse(
                "geometry",
                Some(&zero),
                None,
                &[GeometryType::Point],
                &mut problems
            )
            .is_some()
        );
    }

    #[test]
    fn the_accepted_types_are_named() {
        let p = problem(
            json!({"type": "Point", "coordinates": [108.8, 15.1]}),
            GeometryType::AREAS,
        );
        assert!(p.contains("must be a Polygon or a MultiPolygon"), "{p}");
    }

    #[test]
    fn swapped_and_projected_numbers_are_named() {
        let p = problem(
            json!({"type": "Point", "coordinates": [15.117, 108.806]}),
            &[GeometryType::Point],
        );
        assert!(p.contains("swapped"), "{p}");
        let p = problem(
            json!({"type": "Point", "coordinates": [586000.0, 1671000.0]}),
            &[GeometryType::Point],
        );
        assert!(p.contains("declare the CRS"), "{p}");
    }
}
