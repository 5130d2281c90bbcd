//! Coordinate reference systems of Vietnamese survey data.
//!
//! # VN-2000 and its TM-3 zones
//! VN-2000 is Vietnam's national datum (since 2000): the WGS84 ellipsoid,
//! positioned to fit Vietnam, so its coordinates differ from GPS (WGS84) ones by
//! a few hundred metres until a seven-parameter datum shift is applied. Survey
//! and cadastral work does not use the 6°-wide UTM zones (EPSG:3405/3406) but
//! narrow **TM-3** zones: a Transverse Mercator projection 3° wide, scale 0.9999
//! on the central meridian, false easting 500 000 m. Each province has its own
//! central meridian (Circular 973/2001/TT-TCĐC; after the 2025 merger of
//! provinces, Circular 24/2025/TT-BNNMT), so the same point has different
//! coordinates in two neighbouring provinces' files. Only four meridians have
//! EPSG codes (5896–5899: 102°, 105°, 108°, 111°); Hatang defines the others
//! itself (migration `0020_vn2000_tm3.sql`): one spatial reference per quarter
//! degree from 102°00′ to 109°30′, SRID `900000 + meridian × 100` (108°00′ is
//! 910800, 107°30′ is 910750), each reusing the datum shift of EPSG:4756 exactly
//! as PostGIS ships it.
//!
//! # What goes wrong with such files
//! - **X and Y swapped.** Vietnamese surveyors write X for the northing and Y for
//!   the easting (the geodetic convention), while GIS software reads X as the
//!   easting. A file taken at face value puts every point thousands of
//!   kilometres off. Northings in Vietnam run from about 650 000 m to
//!   2 600 000 m and TM-3 eastings stay within a few hundred kilometres of
//!   500 000 m, so a swap is recognisable from the numbers.
//! - **The wrong central meridian.** Coordinates taken in one province's zone
//!   and read in another's move by tens of kilometres (half a degree is about
//!   54 km at Quảng Ngãi's latitude) but still land in Vietnam. Files from a
//!   merged province often still use its legacy meridian (Kon Tum's 107°30′
//!   inside today's Quảng Ngãi). Points then land outside the province, or
//!   outside every known ward, while another meridian puts them inside.

pub mod provinces;

pub use provinces::{Province, find_province};

/// A coordinate reference system a file or an export may use.
#[derive(Debug, Clone, PartialEq)]
pub struct Crs {
    /// The SRID in PostGIS's `spatial_ref_sys`.
    pub srid: i32,
    /// How a person names it: "VN-2000 / TM-3 108°00′ (Quảng Ngãi)".
    pub label: String,
    /// For a TM-3 zone, the province whose zone it is (when chosen by province).
    pub province: Option<&'static Province>,
}

/// Vietnam's extent in WGS84, `[min lon, min lat, max lon, max lat]`: the
/// mainland and the Hoàng Sa and Trường Sa archipelagos. A first sieve (swapped
/// axes, OGC extents); whether a point is in Vietnam is decided by the boundary
/// in the database (`in_vietnam`).
/// The SQL side has the same extent in `vietnam_extent()` (server/sql), made
/// from this constant at start-up.
pub const VIETNAM_EXTENT: [f64; 4] = [102.0, 6.0, 118.0, 23.5];

/// The longitudes of [`VIETNAM_EXTENT`].
pub const VIETNAM_LON: std::ops::RangeInclusive<f64> =
    std::ops::RangeInclusive::new(VIETNAM_EXTENT[0], VIETNAM_EXTENT[2]);
/// The latitudes of [`VIETNAM_EXTENT`].
pub const VIETNAM_LAT: std::ops::RangeInclusive<f64> =
    std::ops::RangeInclusive::new(VIETNAM_EXTENT[1], VIETNAM_EXTENT[3]);

/// The point lies in [`VIETNAM_EXTENT`] (a sieve, not the boundary).
pub fn in_vietnam_extent(lon: f64, lat: f64) -> bool {
    VIETNAM_LON.contains(&lon) && VIETNAM_LAT.contains(&lat)
}

/// WGS84 longitude/latitude (GPS, GeoJSON).
pub const WGS84: i32 = 4326;
/// VN-2000 geographic (longitude/latitude on the VN-2000 datum).
pub const VN2000: i32 = 4756;
/// VN-2000 / UTM zone 48N (west of 108°E).
pub const VN2000_UTM_48N: i32 = 3405;
/// VN-2000 / UTM zone 49N (east of 108°E).
pub const VN2000_UTM_49N: i32 = 3406;
/// The meridians that have a Hatang TM-3 definition: every quarter degree
/// from 102°00′ to 109°30′ (all provinces' meridians fall on quarter degrees).
pub const TM3_MERIDIANS: std::ops::RangeInclusive<i32> = 10200..=10950;

/// The SRID of the VN-2000 TM-3 zone with central meridian `meridian` (degrees),
/// if Hatang defines it.
pub fn tm3_srid(meridian: f64) -> Option<i32> {
    let hundredths = (meridian * 100.0).round() as i32;
    let on_quarter = (meridian * 100.0 - hundredths as f64).abs() < 1e-6 && hundredths % 25 == 0;
    (on_quarter && TM3_MERIDIANS.contains(&hundredths)).then_some(900_000 + hundredths)
}

/// The central meridian of a Hatang TM-3 SRID.
pub fn tm3_meridian(srid: i32) -> Option<f64> {
    let hundredths = srid - 900_000;
    (TM3_MERIDIANS.contains(&hundredths) && hundredths % 25 == 0).then(|| hundredths as f64 / 100.0)
}

/// The central meridian of any VN-2000 TM-3 SRID: EPSG's four (5896–5899:
/// 102°, 105°, 108°, 111°) or Hatang's own ([`tm3_meridian`]).
pub fn tm3_meridian_of(srid: i32) -> Option<f64> {
    match srid {
        5896..=5899 => Some(102.0 + 3.0 * f64::from(srid - 5896)),
        _ => tm3_meridian(srid),
    }
}

/// A meridian written the way Vietnamese documents write it: 107°30′.
pub fn format_meridian(meridian: f64) -> String {
    let degrees = meridian.trunc();
    let minutes = ((meridian - degrees) * 60.0).round();
    format!("{degrees:.0}°{minutes:02.0}′")
}

/// Whether coordinates in `srid` are projected metres (not degrees).
pub fn is_projected(srid: i32) -> bool {
    !matches!(srid, WGS84 | VN2000)
}

impl Crs {
    /// A CRS by SRID, with its label.
    pub fn from_srid(srid: i32) -> Self {
        let label = match srid {
            WGS84 => "WGS84 longitude/latitude (EPSG:4326)".to_string(),
            VN2000 => "VN-2000 longitude/latitude (EPSG:4756)".to_string(),
            VN2000_UTM_48N => "VN-2000 / UTM 48N (EPSG:3405)".to_string(),
            VN2000_UTM_49N => "VN-2000 / UTM 49N (EPSG:3406)".to_string(),
            5896..=5899 => format!("VN-2000 / TM-3 (EPSG:{srid})"),
            _ => match tm3_meridian(srid) {
                Some(m) => format!("VN-2000 / TM-3 {}", format_meridian(m)),
                None => format!("EPSG:{srid}"),
            },
        };
        Self {
            srid,
            label,
            province: None,
        }
    }

    /// The TM-3 zone of a province (today's or a legacy one, by name or GSO code).
    pub fn tm3_of(province: &str) -> Result<Self, String> {
        let found = find_province(province).ok_or_else(|| {
            format!(
                "unknown province {province:?}; name a province (e.g. \"Quảng Ngãi\", \"quang-ngai\", \"Kon Tum\") or its GSO code"
            )
        })?;
        let srid = tm3_srid(found.meridian).ok_or_else(|| {
            format!(
                "no TM-3 definition for meridian {}",
                format_meridian(found.meridian)
            )
        })?;
        Ok(Self {
            srid,
            label: format!(
                "VN-2000 / TM-3 {} ({}{})",
                format_meridian(found.meridian),
                found.name,
                if found.valid_to.is_some() {
                    ", before 1/7/2025"
                } else {
                    ""
                }
            ),
            province: Some(found),
        })
    }

    /// Parses what a user types: `EPSG:3405`, `3405`, a CRS URI, `CRS84`, or
    /// `TM3:107.5` / `TM3:107°30'` for a bare meridian.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(meridian) = text
            .strip_prefix("TM3:")
            .or_else(|| text.strip_prefix("tm3:"))
        {
            let m = parse_meridian(meridian).ok_or_else(|| {
                format!("cannot read the meridian {meridian:?}; write 107.5 or 107°30'")
            })?;
            let srid = tm3_srid(m).ok_or_else(|| {
                format!(
                    "TM-3 meridians are quarter degrees from 102°00′ to 109°30′; got {meridian:?}"
                )
            })?;
            return Ok(Self::from_srid(srid));
        }
        let srid = srid_from_name(text)
            .or_else(|| text.parse::<i32>().ok())
            .ok_or_else(|| {
                format!("cannot read the CRS {text:?}; write EPSG:<code>, or choose a TM-3 zone by province")
            })?;
        Ok(Self::from_srid(srid))
    }
}

/// `107.5`, `107°30'`, `107°30′`, `107 30`.
pub fn parse_meridian(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(value) = text.parse::<f64>() {
        return Some(value);
    }
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_digit() || c == '.' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut parts = cleaned.split_whitespace();
    let degrees: f64 = parts.next()?.parse().ok()?;
    let minutes: f64 = parts
        .next()
        .map(str::parse)
        .transpose()
        .ok()?
        .unwrap_or(0.0);
    if parts.next().is_some() || !(0.0..60.0).contains(&minutes) {
        return None;
    }
    Some(degrees + minutes / 60.0)
}

/// Lower-case ASCII without Vietnamese diacritics, words joined by `-`:
/// "Quảng Ngãi" → "quang-ngai", "Bà Rịa - Vũng Tàu" → "ba-ria-vung-tau".
pub fn slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if ('\u{300}'..='\u{36f}').contains(&c) => continue,
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tm3_srids_follow_the_meridian() {
        assert_eq!(tm3_srid(108.0), Some(910800));
        assert_eq!(tm3_srid(107.5), Some(910750));
        assert_eq!(tm3_srid(105.75), Some(910575));
        assert_eq!(tm3_srid(107.6), None);
        assert_eq!(tm3_srid(111.0), None);
        assert_eq!(tm3_meridian(910750), Some(107.5));
        assert_eq!(tm3_meridian(4326), None);
        assert_eq!(tm3_meridian_of(5897), Some(105.0));
        assert_eq!(tm3_meridian_of(5898), Some(108.0));
        assert_eq!(tm3_meridian_of(910750), Some(107.5));
    }

    #[test]
    fn meridians_are_written_and_read_in_degrees_and_minutes() {
        assert_eq!(format_meridian(107.5), "107°30′");
        assert_eq!(format_meridian(105.75), "105°45′");
        assert_eq!(format_meridian(108.0), "108°00′");
        assert_eq!(parse_meridian("107°30'"), Some(107.5));
        assert_eq!(parse_meridian("105°45′"), Some(105.75));
        assert_eq!(parse_meridian("108"), Some(108.0));
    }

    #[test]
    fn provinces_are_found_by_name_slug_or_code() {
        assert_eq!(Crs::tm3_of("Quảng Ngãi").unwrap().srid, 910800);
        assert_eq!(Crs::tm3_of("quang-ngai").unwrap().srid, 910800);
        assert_eq!(Crs::tm3_of("51").unwrap().srid, 910800);
        assert_eq!(Crs::tm3_of("kon-tum").unwrap().srid, 910750);
        assert_eq!(Crs::tm3_of("Hải Dương").unwrap().srid, 910550);
        assert_eq!(Crs::tm3_of("Hải Phòng").unwrap().srid, 910575);
        assert_eq!(Crs::tm3_of("thanh hoa").unwrap().srid, 910500);
        assert!(Crs::tm3_of("Atlantis").is_err());
    }

    #[test]
    fn crs_names_are_parsed() {
        assert_eq!(Crs::parse("EPSG:3405").unwrap().srid, 3405);
        assert_eq!(Crs::parse("4756").unwrap().srid, 4756);
        assert_eq!(Crs::parse("TM3:107°30'").unwrap().srid, 910750);
        assert!(Crs::parse("TM3:107.6").is_err());
    }

    #[test]
    fn slugs_drop_diacritics() {
        assert_eq!(slug("Quảng Ngãi"), "quang-ngai");
        assert_eq!(slug("Bà Rịa - Vũng Tàu"), "ba-ria-vung-tau");
        assert_eq!(slug("Đắk Lắk"), "dak-lak");
        assert_eq!(slug("  Ghi chú "), "ghi-chu");
    }
}
