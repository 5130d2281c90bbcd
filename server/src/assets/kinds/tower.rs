//! Antenna towers and BTS sites (cột ăng ten, trạm BTS).
//!
//! Provincial plans sort towers into classes: A1 is "non-bulky" (on or in a
//! building without changing its structure; self-standing on a roof at most 3 m
//! and 20% of the building height, Circular 15/2016/TTLT-BTTTT-BXD Art. 3), A1b
//! a disguised or decorated monopole, A2a a tower on an existing building
//! (typically 10–20 m), A2b a ground tower (typically 40–45 m). Operators share
//! towers: the `capacity` of a tower is the number of operators' antenna
//! positions it can carry.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::{Code, Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TowerClass {
    A1,
    A1a,
    A1b,
    A2a,
    A2b,
    #[serde(rename = "other")]
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    Monopole,
    Lattice,
    Guyed,
    RooftopPole,
    Camouflaged,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Ground,
    Rooftop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Technology {
    #[serde(rename = "2G")]
    G2,
    #[serde(rename = "3G")]
    G3,
    #[serde(rename = "4G")]
    G4,
    #[serde(rename = "5G")]
    G5,
}

/// What is particular to a tower.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tower {
    pub tower_class: TowerClass,
    /// Height of the tower itself, metres (0–300).
    pub height_m: f64,
    /// Height of the building it stands on, metres; required on a rooftop.
    #[serde(default)]
    pub host_building_height_m: Option<f64>,
    pub structure: Structure,
    pub placement: Placement,
    /// Radio technologies served from the site.
    #[serde(default)]
    pub technologies: Vec<Technology>,
}

impl Kind for Tower {
    const KIND: AssetKind = AssetKind::Tower;
    const TABLE: &'static str = "tower";
    const TILE_COLUMNS: &'static str = "d.tower_class, d.height_m, d.placement";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] = &[
        ("tower_class", "String"),
        ("height_m", "Number"),
        ("placement", "String"),
    ];
    const SYNONYMS: &'static [(&'static str, &'static [&'static str])] = &[
        ("height_m", super::HEIGHT_SYNONYMS),
        (
            "tower_class",
            &["loai", "phan-loai", "class", "loai-cot-ang-ten"],
        ),
        ("technologies", &["cong-nghe", "technology"]),
    ];
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[
        ("host_building_height_m", "bldg_h_m"),
        ("technologies", "tech"),
    ];

    fn check(&self, problems: &mut Problems) {
        if !(self.height_m > 0.0 && self.height_m <= 300.0) {
            problems.add(
                "height_m",
                Problem::new(
                    Code::OutOfRange,
                    "must be more than 0 and at most 300 metres",
                )
                .with("min", 0)
                .with("max", 300)
                .with("min_exclusive", true)
                .with("unit", "m"),
            );
        }
        match (self.placement, self.host_building_height_m) {
            (Placement::Rooftop, None) => problems.add(
                "host_building_height_m",
                "required for a tower on a rooftop",
            ),
            (_, Some(h)) if !(h > 0.0 && h <= 500.0) => problems.add(
                "host_building_height_m",
                "must be more than 0 and at most 500 metres",
            ),
            _ => {}
        }
        match (self.tower_class, self.placement) {
            (TowerClass::A2b, Placement::Rooftop) => problems.add(
                "placement",
                "an A2b tower stands on the ground; a tower on a building is A2a",
            ),
            (TowerClass::A2a, Placement::Ground) => problems.add(
                "placement",
                "an A2a tower stands on a building; a ground tower is A2b",
            ),
            _ => {}
        }
        let mut seen = Vec::new();
        for t in &self.technologies {
            if seen.contains(t) {
                problems.add("technologies", "lists a technology twice");
                break;
            }
            seen.push(*t);
        }
    }
}
