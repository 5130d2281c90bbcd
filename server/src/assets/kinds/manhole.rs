//! Manholes (bể cáp, hố ga): the chambers joining duct banks, where cable is
//! pulled, spliced and stored. A duct bank runs from one manhole to the next.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::{Code, Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoverMaterial {
    Concrete,
    CastIron,
    Composite,
    Steel,
}

/// What is particular to a manhole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Manhole {
    /// Number of cover slabs (1–8): the size class of the chamber.
    pub covers: i16,
    #[serde(default)]
    pub cover_material: Option<CoverMaterial>,
    /// Inside depth, metres.
    #[serde(default)]
    pub depth_m: Option<f64>,
}

impl Kind for Manhole {
    const KIND: AssetKind = AssetKind::Manhole;
    const TABLE: &'static str = "manhole";
    const TILE_COLUMNS: &'static str = "d.covers::integer as covers";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] = &[("covers", "Number")];
    const SYNONYMS: &'static [(&'static str, &'static [&'static str])] = &[
        ("depth_m", super::DEPTH_SYNONYMS),
        ("covers", &["so-nap", "nap"]),
    ];
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[("cover_material", "cover_mat")];

    fn check(&self, problems: &mut Problems) {
        if !(1..=8).contains(&self.covers) {
            problems.add(
                "covers",
                Problem::new(Code::OutOfRange, "must be between 1 and 8")
                    .with("min", 1)
                    .with("max", 8),
            );
        }
        if let Some(depth) = self.depth_m
            && !(depth > 0.0 && depth <= 10.0)
        {
            problems.add(
                "depth_m",
                Problem::new(
                    Code::OutOfRange,
                    "must be more than 0 and at most 10 metres",
                )
                .with("min", 0)
                .with("max", 10)
                .with("min_exclusive", true)
                .with("unit", "m"),
            );
        }
    }
}
