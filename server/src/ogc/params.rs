//! The query parameters of OGC API – Features, read into Hatang's filters.

use chrono::{DateTime, NaiveDate, Utc};

use crate::assets::Status;
use crate::assets::store::Output;
use crate::http::error::ApiError;

/// Features per page when the client does not say.
pub const DEFAULT_LIMIT: i64 = 100;
/// The most features per page; a larger `limit` is lowered to it (Part 1, 7.15.3).
pub const MAX_LIMIT: i64 = 10_000;

/// CRS84: WGS84 longitude/latitude, the default of the standard.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// The coordinate reference systems the collections can be read in, by URI:
/// `(uri, srid, latitude first)`. EPSG's geographic CRSs order latitude first.
pub const CRS_LIST: &[(&str, i32, bool)] = &[
    (CRS84, 4326, false),
    ("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true),
    ("http://www.opengis.net/def/crs/EPSG/0/4756", 4756, true),
    ("http://www.opengis.net/def/crs/EPSG/0/3405", 3405, false),
    ("http://www.opengis.net/def/crs/EPSG/0/3406", 3406, false),
    ("http://www.opengis.net/def/crs/EPSG/0/5896", 5896, false),
    ("http://www.opengis.net/def/crs/EPSG/0/5897", 5897, false),
    ("http://www.opengis.net/def/crs/EPSG/0/5898", 5898, false),
    ("http://www.opengis.net/def/crs/EPSG/0/5899", 5899, false),
];

/// The output a `crs` URI asks for, and the URI to echo in `Content-Crs`.
pub fn output_for(crs: Option<&str>) -> Result<(Output, &'static str), ApiError> {
    let wanted = crs.unwrap_or(CRS84).trim();
    let wanted = wanted.trim_start_matches('<').trim_end_matches('>');
    CRS_LIST
        .iter()
        .find(|(uri, _, _)| *uri == wanted)
        .map(|(uri, srid, lat_first)| {
            (
                Output {
                    srid: *srid,
                    lat_first: *lat_first,
                },
                *uri,
            )
        })
        .ok_or_else(|| {
            ApiError::Malformed(format!(
                "crs {wanted:?} is not offered; one of {}",
                CRS_LIST.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
            ))
        })
}

/// A time interval; `None` for an open end.
pub type Interval = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The parameters of an `items` request.
#[derive(Debug, Default)]
pub struct ItemsParams {
    pub limit: i64,
    pub bbox: Option<[f64; 4]>,
    /// SRID the bbox is in, and whether it lists latitude first.
    pub bbox_crs: Option<(i32, bool)>,
    pub crs: Option<String>,
    pub datetime: Option<Interval>,
    pub after: Option<i64>,
    pub before: Option<i64>,
    /// Features to skip (after the cursor, if any); the next links page by
    /// keyset instead, so only the first page asked for pays for the skip.
    pub offset: i64,
    /// Property filters, `name=value`.
    pub properties: Vec<(String, String)>,
}

/// Property filters of asset collections.
pub const ASSET_PROPERTIES: &[&str] = &["operator", "status", "ward_code", "shared", "code", "q"];
/// Property filters of the wards collection.
pub const WARD_PROPERTIES: &[&str] = &["province_code"];

/// Reads an `items` query string; unknown parameters are a 400, as the standard asks.
pub fn parse_items(query: Option<&str>, properties: &[&str]) -> Result<ItemsParams, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::Malformed(format!("invalid query string: {e}")))?;
    let mut params = ItemsParams {
        limit: DEFAULT_LIMIT,
        ..ItemsParams::default()
    };
    for (key, value) in pairs {
        match key.as_str() {
            "f" => check_format(&value)?,
            "limit" => {
                let limit: i64 =
                    value
                        .trim()
                        .parse()
                        .ok()
                        .filter(|l| *l >= 1)
                        .ok_or_else(|| {
                            ApiError::Malformed(format!(
                                "limit must be a whole number of at least 1; got {value:?}"
                            ))
                        })?;
                params.limit = limit.min(MAX_LIMIT);
            }
            "offset" => {
                params.offset = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|o: &i64| *o >= 0)
                    .ok_or_else(|| {
                        ApiError::Malformed(format!(
                            "offset must be a whole number of at least 0; got {value:?}"
                        ))
                    })?;
            }
            "bbox" => params.bbox = Some(parse_bbox(&value)?),
            "bbox-crs" => {
                let (output, _) = output_for(Some(&value))?;
                params.bbox_crs = Some((output.srid, output.lat_first));
            }
            "crs" => params.crs = Some(value),
            "datetime" => params.datetime = Some(parse_datetime(&value)?),
            "after" | "before" => {
                let id: i64 = value.parse().map_err(|_| {
                    ApiError::Malformed(format!("{key} must be a feature id; got {value:?}"))
                })?;
                if key == "after" {
                    params.after = Some(id);
                } else {
                    params.before = Some(id);
                }
            }
            name if properties.contains(&name) => params.properties.push((key, value)),
            other => {
                return Err(ApiError::Malformed(format!(
                    "unknown parameter {other:?}; this collection takes f, limit, offset, bbox, bbox-crs, crs, datetime, after, before{}",
                    properties
                        .iter()
                        .map(|p| format!(", {p}"))
                        .collect::<String>()
                )));
            }
        }
    }
    Ok(params)
}

/// `f=json` (or geojson) is tolerated; the API speaks JSON only.
pub fn check_format(value: &str) -> Result<(), ApiError> {
    match value {
        "json" | "geojson" | "application/json" | "application/geo+json" => Ok(()),
        other => Err(ApiError::Malformed(format!(
            "f={other} is not offered; this API answers in JSON (f=json)"
        ))),
    }
}

/// Reads a query string that may only hold `f`.
pub fn parse_plain(query: Option<&str>) -> Result<(), ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::Malformed(format!("invalid query string: {e}")))?;
    for (key, value) in pairs {
        match key.as_str() {
            "f" => check_format(&value)?,
            "crs" => {
                output_for(Some(&value))?;
            }
            other => return Err(ApiError::Malformed(format!("unknown parameter {other:?}"))),
        }
    }
    Ok(())
}

/// The `crs` of a single-feature request.
pub fn parse_item(query: Option<&str>) -> Result<Option<String>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::Malformed(format!("invalid query string: {e}")))?;
    let mut crs = None;
    for (key, value) in pairs {
        match key.as_str() {
            "f" => check_format(&value)?,
            "crs" => crs = Some(value),
            other => return Err(ApiError::Malformed(format!("unknown parameter {other:?}"))),
        }
    }
    Ok(crs)
}

/// `minx,miny,maxx,maxy` (or the six numbers of a 3D box).
fn parse_bbox(text: &str) -> Result<[f64; 4], ApiError> {
    let bad = || {
        ApiError::Malformed(format!(
            "bbox must be minLon,minLat,maxLon,maxLat (four or six numbers); got {text:?}"
        ))
    };
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [x1, y1, x2, y2] = match numbers[..] {
        [x1, y1, x2, y2] | [x1, y1, _, x2, y2, _] => [x1, y1, x2, y2],
        _ => return Err(bad()),
    };
    if !(x1 <= x2 && y1 <= y2) || numbers.iter().any(|n| !n.is_finite()) {
        return Err(bad());
    }
    Ok([x1, y1, x2, y2])
}

/// An instant (`2025-07-01T00:00:00Z`, or a date for the whole day) or an
/// interval `start/end` with `..` (or nothing) for an open end.
pub fn parse_datetime(text: &str) -> Result<Interval, ApiError> {
    let bad = || {
        ApiError::Malformed(format!(
            "datetime must be an RFC 3339 instant, a date, or an interval start/end with .. for an open end; got {text:?}"
        ))
    };
    let instant = |part: &str, end: bool| -> Result<Option<DateTime<Utc>>, ApiError> {
        let part = part.trim();
        if part.is_empty() || part == ".." {
            return Ok(None);
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(part) {
            return Ok(Some(t.with_timezone(&Utc)));
        }
        let date = NaiveDate::parse_from_str(part, "%Y-%m-%d").map_err(|_| bad())?;
        let time = if end {
            date.and_hms_opt(23, 59, 59)
        } else {
            date.and_hms_opt(0, 0, 0)
        };
        Ok(time.map(|t| t.and_utc()))
    };
    match text.split_once('/') {
        Some((start, end)) => {
            let (start, end) = (instant(start, false)?, instant(end, true)?);
            if let (Some(s), Some(e)) = (start, end)
                && s > e
            {
                return Err(bad());
            }
            Ok((start, end))
        }
        None => {
            let start = instant(text, false)?.ok_or_else(bad)?;
            let end = if text.contains('T') {
                start
            } else {
                instant(text, true)?.ok_or_else(bad)?
            };
            Ok((Some(start), Some(end)))
        }
    }
}

/// Reads `status=operational,planned`.
pub fn parse_statuses(value: &str) -> Result<Vec<Status>, ApiError> {
    value
        .split(',')
        .map(|s| {
            Status::parse(s.trim()).ok_or_else(|| {
                let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                ApiError::Malformed(format!("unknown status {s:?}; one of {}", all.join(", ")))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_whole_numbers() {
        assert_eq!(
            parse_items(Some("offset=20"), ASSET_PROPERTIES)
                .unwrap()
                .offset,
            20
        );
        assert_eq!(parse_items(None, ASSET_PROPERTIES).unwrap().offset, 0);
        assert!(parse_items(Some("offset=-1"), ASSET_PROPERTIES).is_err());
        assert!(parse_items(Some("offset=x"), ASSET_PROPERTIES).is_err());
    }

    #[test]
    fn limits_above_the_maximum_are_lowered() {
        let p = parse_items(Some("limit=50000"), ASSET_PROPERTIES).unwrap();
        assert_eq!(p.limit, MAX_LIMIT);
        assert!(parse_items(Some("limit=0"), ASSET_PROPERTIES).is_err());
    }

    #[test]
    fn unknown_parameters_are_refused_and_property_filters_kept() {
        assert!(parse_items(Some("colour=red"), ASSET_PROPERTIES).is_err());
        let p = parse_items(Some("operator=VNPT&f=json"), ASSET_PROPERTIES).unwrap();
        assert_eq!(p.properties, [("operator".to_string(), "VNPT".to_string())]);
        assert!(parse_items(Some("f=html"), ASSET_PROPERTIES).is_err());
    }

    #[test]
    fn datetimes_are_instants_dates_or_intervals() {
        let (s, e) = parse_datetime("2025-07-01").unwrap();
        assert_eq!(s.unwrap().to_rfc3339(), "2025-07-01T00:00:00+00:00");
        assert_eq!(e.unwrap().to_rfc3339(), "2025-07-01T23:59:59+00:00");
        let (s, e) = parse_datetime("../2025-01-01T00:00:00Z").unwrap();
        assert!(s.is_none() && e.is_some());
        assert!(parse_datetime("2025-02-01/2025-01-01").is_err());
        assert!(parse_datetime("yesterday").is_err());
    }

    #[test]
    fn crs_uris_choose_the_axis_order() {
        let (out, _) = output_for(Some("http://www.opengis.net/def/crs/EPSG/0/4326")).unwrap();
        assert!(out.lat_first);
        let (out, uri) = output_for(None).unwrap();
        assert!(!out.lat_first && uri == CRS84);
        assert!(output_for(Some("EPSG:2154")).is_err());
    }
}
