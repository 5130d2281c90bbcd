//! Poles that carry telecom cable (cột treo cáp): telecom-owned poles, and power
//! and lighting poles used under Circular 21/2013/TTLT-BXD-BCT-BTTTT. The owner
//! of a power pole is the power utility (an operator with sector `power`); the
//! telecom operators hanging cable on it are its tenants, and `capacity` is the
//! number of cable attachments the pole takes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::{Code, Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Material {
    Concrete,
    Steel,
    Wood,
    Composite,
    Other,
}

/// What the pole was put up for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    #[default]
    Telecom,
    Power,
    Lighting,
    Combined,
}

/// What is particular to a pole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pole {
    pub material: Material,
    /// Height above ground, metres (0–50).
    pub height_m: f64,
    #[serde(default)]
    pub purpose: Purpose,
}

impl Kind for Pole {
    const KIND: AssetKind = AssetKind::Pole;
    const TABLE: &'static str = "pole";
    const TILE_COLUMNS: &'static str = "d.purpose, d.material";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] =
        &[("purpose", "String"), ("material", "String")];
    const SYNONYMS: &'static [(&'static str, &'static [&'static str])] = &[
        ("height_m", super::HEIGHT_SYNONYMS),
        ("material", &["vat-lieu", "chat-lieu"]),
        ("purpose", &["muc-dich", "loai-cot"]),
    ];

    fn check(&self, problems: &mut Problems) {
        if !(self.height_m > 0.0 && self.height_m <= 50.0) {
            problems.add(
                "height_m",
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
