//! The provinces and the central meridians of their VN-2000 TM-3 zones.
//!
//! Since 1/7/2025 Vietnam has 34 provinces (Resolution 202/2025/QH15); 28 of
//! the 63 earlier ones were merged into others. Survey files keep arriving in
//! the zones of the old provinces for years, so both lists are here: today's
//! provinces, and the merged-away ones with their legacy meridian and the
//! province they are now part of.
//!
//! Sources and certainty:
//! - legacy meridians: the table of Circular 973/2001/TT-TCĐC, as the
//!   provinces used it until 30/6/2025;
//! - today's meridians: Quảng Ngãi 108°00′, Hải Phòng 105°45′ and Thanh Hóa
//!   105°00′ are confirmed (project domain brief, Circular 24/2025/TT-BNNMT).
//!   For the other merged provinces this table assumes that the province keeps
//!   the meridian of the former province whose name it kept, as those three do;
//!   **check the others against the annex of Circular 24/2025/TT-BNNMT** before
//!   relying on them. A wrong entry is caught on import: points land outside
//!   the province and Hatang names the meridian that fits.
//! - GSO codes of today's provinces: as we recall the 2025 list, the code of
//!   the former province that hosts the new seat (Quảng Ngãi 51, Hải Phòng 31,
//!   as in the demo data; Gia Lai 52, from Bình Định); not verified.
//! - extents: rough bounding boxes `[min lon, min lat, max lon, max lat]` in
//!   WGS84, rounded outward, islands included (Hoàng Sa with Đà Nẵng, Trường Sa
//!   with Khánh Hòa). They are only used to catch gross errors (tens of
//!   kilometres) when the province's boundary is not loaded in `admin_unit`.
//!   Former provinces whose meridian differs from their new province's have
//!   an extent too (their bounding box, within the new province's): an import
//!   read in the new province's zone whose points lie mostly in one gets a
//!   note naming the old meridian. Bounding boxes overlap their neighbours, so
//!   a file near a former border may get a note it does not need; it is a
//!   note, never a refusal.

use super::{format_meridian, slug};
use crate::validation::{Code, Problem};

/// A province (today's or a former one) and its TM-3 central meridian.
#[derive(Debug, PartialEq)]
pub struct Province {
    /// GSO code.
    pub code: &'static str,
    pub name: &'static str,
    /// Central meridian of the province's TM-3 zone, degrees.
    pub meridian: f64,
    /// For a former province, its last day (`2025-06-30`).
    pub valid_to: Option<&'static str>,
    /// GSO code of the province it lies in today (itself for today's).
    pub now_in: &'static str,
    /// Rough extent (today's provinces, and the former ones whose meridian
    /// differs from that of the province they merged into).
    pub extent: Option<[f64; 4]>,
}

const fn today(
    code: &'static str,
    name: &'static str,
    meridian: f64,
    extent: [f64; 4],
) -> Province {
    Province {
        code,
        name,
        meridian,
        valid_to: None,
        now_in: code,
        extent: Some(extent),
    }
}

const fn former(
    code: &'static str,
    name: &'static str,
    meridian: f64,
    now_in: &'static str,
) -> Province {
    Province {
        code,
        name,
        meridian,
        valid_to: Some("2025-06-30"),
        now_in,
        extent: None,
    }
}

/// A former province whose TM-3 meridian differs from its new province's,
/// with its rough extent: files from there may still use the old zone.
const fn former_zone(
    code: &'static str,
    name: &'static str,
    meridian: f64,
    now_in: &'static str,
    extent: [f64; 4],
) -> Province {
    Province {
        extent: Some(extent),
        ..former(code, name, meridian, now_in)
    }
}

/// Today's 34 provinces, then the 28 merged into them on 1/7/2025.
pub const PROVINCES: &[Province] = &[
    today("01", "Hà Nội", 105.0, [105.25, 20.5, 106.05, 21.45]),
    today("04", "Cao Bằng", 105.75, [105.25, 22.3, 106.9, 23.15]),
    today("08", "Tuyên Quang", 106.0, [104.3, 21.45, 105.65, 23.4]),
    today("11", "Điện Biên", 103.0, [102.1, 20.85, 103.65, 22.6]),
    today("12", "Lai Châu", 103.0, [102.3, 21.65, 104.0, 22.85]),
    today("14", "Sơn La", 104.0, [103.15, 20.55, 105.05, 22.05]),
    today("15", "Lào Cai", 104.75, [103.5, 21.3, 105.15, 22.9]),
    today("19", "Thái Nguyên", 106.5, [105.4, 21.3, 106.3, 22.75]),
    today("20", "Lạng Sơn", 107.25, [106.05, 21.3, 107.4, 22.5]),
    today("22", "Quảng Ninh", 107.75, [106.4, 20.7, 108.1, 21.7]),
    today("24", "Bắc Ninh", 105.5, [105.85, 20.95, 107.05, 21.65]),
    today("25", "Phú Thọ", 104.75, [104.8, 20.3, 106.0, 21.75]),
    today("31", "Hải Phòng", 105.75, [106.0, 20.1, 107.8, 21.25]),
    today("33", "Hưng Yên", 105.5, [105.9, 20.25, 106.65, 21.05]),
    today("37", "Ninh Bình", 105.0, [105.5, 19.9, 106.6, 20.7]),
    today("38", "Thanh Hóa", 105.0, [104.35, 19.25, 106.1, 20.7]),
    today("40", "Nghệ An", 104.75, [103.85, 18.5, 105.85, 20.05]),
    today("42", "Hà Tĩnh", 105.5, [105.1, 17.85, 106.55, 18.8]),
    today("44", "Quảng Trị", 106.25, [105.6, 16.3, 107.4, 18.1]),
    today("46", "Huế", 107.0, [107.0, 15.95, 108.2, 16.8]),
    today("48", "Đà Nẵng", 107.75, [107.2, 14.9, 112.9, 17.2]),
    today("51", "Quảng Ngãi", 108.0, [107.3, 13.9, 109.2, 15.45]),
    today("52", "Gia Lai", 108.5, [107.45, 12.95, 109.4, 14.75]),
    today("56", "Khánh Hòa", 108.25, [108.5, 6.0, 117.9, 12.9]),
    today("66", "Đắk Lắk", 108.5, [107.45, 12.15, 109.5, 13.75]),
    today("68", "Lâm Đồng", 107.75, [107.2, 10.45, 109.0, 12.85]),
    today("75", "Đồng Nai", 107.75, [106.4, 10.5, 107.6, 12.3]),
    today("79", "Hồ Chí Minh", 105.75, [106.3, 8.5, 107.6, 11.5]),
    today("80", "Tây Ninh", 105.5, [105.5, 10.4, 106.8, 11.8]),
    today("82", "Đồng Tháp", 105.0, [105.2, 10.1, 106.8, 10.95]),
    today("86", "Vĩnh Long", 105.5, [105.7, 9.5, 106.8, 10.35]),
    today("91", "An Giang", 104.75, [103.4, 9.25, 105.6, 10.95]),
    today("92", "Cần Thơ", 105.0, [105.2, 9.2, 106.3, 10.35]),
    today("96", "Cà Mau", 104.5, [104.7, 8.4, 105.85, 9.65]),
    former_zone("02", "Hà Giang", 105.5, "08", [104.33, 22.13, 105.55, 23.4]),
    former("15", "Yên Bái", 104.75, "15"),
    former("06", "Bắc Kạn", 106.5, "19"),
    former_zone("26", "Vĩnh Phúc", 105.0, "25", [105.1, 21.06, 105.8, 21.58]),
    former_zone("17", "Hòa Bình", 106.0, "25", [104.8, 20.3, 105.88, 21.13]),
    former_zone(
        "24",
        "Bắc Giang",
        107.0,
        "24",
        [105.88, 21.11, 107.03, 21.62],
    ),
    former("34", "Thái Bình", 105.5, "33"),
    former_zone(
        "30",
        "Hải Dương",
        105.5,
        "31",
        [106.03, 20.61, 106.62, 21.24],
    ),
    former("35", "Hà Nam", 105.0, "37"),
    former_zone("36", "Nam Định", 105.5, "37", [105.92, 19.9, 106.55, 20.53]),
    former_zone(
        "44",
        "Quảng Bình",
        106.0,
        "44",
        [105.6, 16.92, 106.99, 18.1],
    ),
    former("49", "Quảng Nam", 107.75, "48"),
    former_zone("62", "Kon Tum", 107.5, "51", [107.33, 13.92, 108.55, 15.42]),
    former_zone(
        "52",
        "Bình Định",
        108.25,
        "52",
        [108.59, 13.5, 109.36, 14.71],
    ),
    former("58", "Ninh Thuận", 108.25, "56"),
    former_zone("67", "Đắk Nông", 108.5, "68", [107.2, 11.75, 108.12, 12.82]),
    former_zone(
        "60",
        "Bình Thuận",
        108.5,
        "68",
        [107.39, 10.45, 108.95, 11.58],
    ),
    former("54", "Phú Yên", 108.5, "66"),
    former("74", "Bình Dương", 105.75, "79"),
    former_zone(
        "77",
        "Bà Rịa - Vũng Tàu",
        107.75,
        "79",
        [106.5, 8.55, 107.6, 10.81],
    ),
    former_zone(
        "70",
        "Bình Phước",
        106.25,
        "75",
        [106.41, 11.27, 107.48, 12.28],
    ),
    former_zone("80", "Long An", 105.75, "80", [105.5, 10.4, 106.8, 11.03]),
    former_zone("94", "Sóc Trăng", 105.5, "92", [105.55, 9.2, 106.3, 9.93]),
    former("93", "Hậu Giang", 105.0, "92"),
    former_zone("83", "Bến Tre", 105.75, "86", [105.96, 9.8, 106.8, 10.34]),
    former("84", "Trà Vinh", 105.5, "86"),
    former_zone(
        "82",
        "Tiền Giang",
        105.75,
        "82",
        [105.82, 10.2, 106.8, 10.6],
    ),
    former_zone("95", "Bạc Liêu", 105.0, "96", [105.24, 9.0, 105.85, 9.63]),
    former_zone(
        "91",
        "Kiên Giang",
        104.5,
        "91",
        [103.45, 9.25, 105.55, 10.55],
    ),
];

/// A province by name (with or without diacritics), slug or GSO code. A GSO
/// code names today's province; a former province is found by its name.
pub fn find_province(text: &str) -> Option<&'static Province> {
    let wanted = slug(text);
    if wanted.is_empty() {
        return None;
    }
    let wanted = wanted
        .strip_prefix("tinh-")
        .or_else(|| wanted.strip_prefix("thanh-pho-"))
        .or_else(|| wanted.strip_prefix("tp-"))
        .unwrap_or(&wanted)
        .to_string();
    PROVINCES
        .iter()
        .find(|p| p.valid_to.is_none() && p.code == wanted)
        .or_else(|| PROVINCES.iter().find(|p| slug(p.name) == wanted))
        .or_else(|| {
            let squashed = wanted.replace('-', "");
            PROVINCES
                .iter()
                .find(|p| slug(p.name).replace('-', "") == squashed)
        })
}

/// Today's province with GSO code `code`.
pub fn current(code: &str) -> Option<&'static Province> {
    PROVINCES
        .iter()
        .find(|p| p.valid_to.is_none() && p.code == code)
}

impl Province {
    /// The province this one lies in today (itself for today's provinces).
    pub fn today(&self) -> &'static Province {
        current(self.now_in).expect("every former province points at a current one")
    }
}

/// The former provinces that lie in the zone of `meridian` (a merged
/// province's) while their own zone had another meridian: coordinates
/// surveyed there may still be on the old one (Kon Tum's 107°30′ inside
/// today's Quảng Ngãi, 108°00′).
pub fn former_zones_in(meridian: f64) -> impl Iterator<Item = &'static Province> {
    PROVINCES.iter().filter(move |p| {
        p.valid_to.is_some()
            && p.extent.is_some()
            && (p.meridian - meridian).abs() > 1e-9
            && (p.today().meridian - meridian).abs() < 1e-9
    })
}

/// Whether the WGS84 position `(lon, lat)` lies in the province's extent.
pub fn in_extent(province: &Province, (lon, lat): (f64, f64)) -> bool {
    province
        .extent
        .is_some_and(|[w, s, e, n]| (w..=e).contains(&lon) && (s..=n).contains(&lat))
}

/// The warning for `inside` of `points` positions read on `declared` that lie
/// in the former province `former`, whose zone had another meridian: both
/// readings land in the province, 26–54 km apart, so the numbers cannot tell.
/// A warning, never a refusal.
pub fn former_zone_warning(former: &Province, declared: f64, inside: u64, points: u64) -> Problem {
    let now = former.today();
    let text = format!(
        "{inside} of {points} points lie in the former province of {} (before 1/7/2025), whose TM-3 zone had the central meridian {} \
         rather than {}'s {}. Surveys made there often still use {}: if these coordinates do, they are 26–54 km off as read; \
         declare crs TM3:{} and check again.",
        former.name,
        format_meridian(former.meridian),
        now.name,
        format_meridian(declared),
        format_meridian(former.meridian),
        former.meridian,
    );
    Problem::new(Code::FormerZone, text)
        .with("former", former.name)
        .with("province", now.name)
        .with("declared", format_meridian(declared))
        .with("meridian", format_meridian(former.meridian))
        .with("crs", format!("TM3:{}", former.meridian))
        .with("tm3", slug(former.name))
        .with("inside", inside)
        .with("points", points)
}

/// The former-zone warnings for WGS84 positions that were sent in `srid`:
/// one for each former province holding at least half of them, when `srid`
/// is the TM-3 zone of a province that absorbed one with another meridian.
/// For every way coordinates come in (REST writes, OGC bounding boxes; the
/// import counts its staged rows in SQL with the same rule).
pub fn former_zone_warnings(srid: i32, positions: &[(f64, f64)]) -> Vec<Problem> {
    let Some(declared) = super::tm3_meridian_of(srid) else {
        return Vec::new();
    };
    if positions.is_empty() {
        return Vec::new();
    }
    let points = positions.len() as u64;
    former_zones_in(declared)
        .filter_map(|former| {
            let inside = positions.iter().filter(|p| in_extent(former, **p)).count() as u64;
            (inside * 2 >= points).then(|| former_zone_warning(former, declared, inside, points))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_34_provinces_today_and_every_former_one_lies_in_one() {
        assert_eq!(
            PROVINCES.iter().filter(|p| p.valid_to.is_none()).count(),
            34
        );
        for p in PROVINCES {
            let now = p.today();
            assert!(now.extent.is_some(), "{}", p.name);
            assert!(super::super::tm3_srid(p.meridian).is_some(), "{}", p.name);
        }
    }

    /// The legacy-zone note of imports needs the extent of every former
    /// province whose meridian is not its new province's (issue 13).
    #[test]
    fn every_former_province_with_another_meridian_has_an_extent_inside_its_new_province() {
        for p in PROVINCES.iter().filter(|p| p.valid_to.is_some()) {
            let now = p.today();
            if (p.meridian - now.meridian).abs() < 1e-9 {
                continue;
            }
            let [a, b, c, d] = p
                .extent
                .unwrap_or_else(|| panic!("{} has no extent", p.name));
            let [e, f, g, h] = now.extent.unwrap();
            assert!(a < c && b < d, "{}", p.name);
            assert!(
                a >= e && b >= f && c <= g && d <= h,
                "{} lies in {}",
                p.name,
                now.name
            );
        }
    }

    #[test]
    fn the_confirmed_meridians_are_right() {
        assert_eq!(find_province("Quảng Ngãi").unwrap().meridian, 108.0);
        assert_eq!(find_province("Kon Tum").unwrap().meridian, 107.5);
        assert_eq!(find_province("Hải Phòng").unwrap().meridian, 105.75);
        assert_eq!(find_province("Hải Dương").unwrap().meridian, 105.5);
        assert_eq!(find_province("Thanh Hóa").unwrap().meridian, 105.0);
        assert_eq!(find_province("Kon Tum").unwrap().today().name, "Quảng Ngãi");
    }

    #[test]
    fn kon_tum_points_read_on_quang_ngai_meridian_are_warned_of() {
        // Kon Tum city, 108.0°E, 14.35°N; read on 108°00′ (EPSG:5898 and Hatang's 910800).
        for srid in [5898, 910800] {
            let warnings = former_zone_warnings(srid, &[(108.0, 14.35)]);
            assert_eq!(warnings.len(), 1, "{srid}");
            let w = &warnings[0];
            assert_eq!(w.code, Code::FormerZone);
            assert_eq!(w.params["former"], "Kon Tum");
            assert_eq!(w.params["province"], "Quảng Ngãi");
            assert_eq!(w.params["meridian"], "107°30′");
            assert_eq!(w.params["declared"], "108°00′");
            assert_eq!(w.params["crs"], "TM3:107.5");
        }
        // Declared on Kon Tum's own meridian, or at the coast of Quảng Ngãi: nothing to say.
        assert!(former_zone_warnings(910750, &[(108.0, 14.35)]).is_empty());
        assert!(former_zone_warnings(910800, &[(108.8, 15.12)]).is_empty());
        // WGS84 and UTM are not TM-3 zones.
        assert!(former_zone_warnings(4326, &[(108.0, 14.35)]).is_empty());
        assert!(former_zone_warnings(3405, &[(108.0, 14.35)]).is_empty());
    }

    #[test]
    fn a_line_mostly_outside_the_former_province_is_not_warned_of() {
        let warnings =
            former_zone_warnings(910800, &[(108.0, 14.35), (108.8, 15.12), (108.9, 15.1)]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let warnings =
            former_zone_warnings(910800, &[(108.0, 14.35), (108.01, 14.36), (108.8, 15.12)]);
        assert_eq!(warnings[0].params["inside"], 2);
        assert_eq!(warnings[0].params["points"], 3);
    }
}
