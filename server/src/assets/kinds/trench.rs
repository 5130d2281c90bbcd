//! Technical trenches and tunnels (hào kỹ thuật, tuynel kỹ thuật): shared
//! underground corridors that carry cables of several utilities.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::{Code, Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrenchType {
    /// A covered channel (hào kỹ thuật).
    Trench,
    /// A walkable tunnel (tuynel kỹ thuật).
    Tunnel,
}

/// What is particular to a trench or tunnel.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Trench {
    pub trench_type: TrenchType,
    /// Inside width, metres.
    #[serde(default)]
    pub width_m: Option<f64>,
    /// Depth below ground, metres.
    #[serde(default)]
    pub depth_m: Option<f64>,
}

impl Kind for Trench {
    const KIND: AssetKind = AssetKind::Trench;
    const TABLE: &'static str = "trench";
    const TILE_COLUMNS: &'static str = "d.trench_type";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] = &[("trench_type", "String")];
    const SYNONYMS: &'static [(&'static str, &'static [&'static str])] =
        &[("depth_m", super::DEPTH_SYNONYMS)];
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[("trench_type", "trench_typ")];

    fn check(&self, problems: &mut Problems) {
        if let Some(w) = self.width_m
            && !(w > 0.0 && w <= 30.0)
        {
            problems.add(
                "width_m",
                Problem::new(
                    Code::OutOfRange,
                    "must be more than 0 and at most 30 metres",
                )
                .with("min", 0)
                .with("max", 30)
                .with("min_exclusive", true)
                .with("unit", "m"),
            );
        }
        if let Some(d) = self.depth_m
            && !(d > 0.0 && d <= 50.0)
        {
            problems.add(
                "depth_m",
                Problem::new(
                    Code::OutOfRange,
                    "must be more than 0 and at most 50 metres",
                )
                .with("min", 0)
                .with("max", 50)
                .with("min_exclusive", true)
                .with("unit", "m"),
            );
        }
    }
}
