//! Manholes (bể cáp, hố ga): the chambers joining duct banks, where cable is
//! pulled, spliced and stored. A duct bank runs from one manhole to the next.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::Problems;

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

impl Manhole {
    pub const TABLE: &'static str = "manhole";

    pub fn check(&self, problems: &mut Problems) {
        if !(1..=8).contains(&self.covers) {
            problems.add("covers", "must be between 1 and 8");
        }
        if let Some(depth) = self.depth_m
            && !(depth > 0.0 && depth <= 10.0)
        {
            problems.add("depth_m", "must be more than 0 and at most 10 metres");
        }
    }
}
