//! Street cabinets (tủ cáp): fibre distribution and copper cross-connect
//! cabinets, outdoor cabinets with active equipment, and their power supplies.
//! `capacity` counts the rack or splice positions other operators may rent.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::Problems;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CabinetType {
    FibreDistribution,
    CopperCrossconnect,
    ActiveEquipment,
    Power,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mounting {
    Ground,
    Pole,
    Wall,
}

/// What is particular to a street cabinet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cabinet {
    pub cabinet_type: CabinetType,
    pub mounting: Mounting,
}

impl Kind for Cabinet {
    const KIND: AssetKind = AssetKind::Cabinet;
    const TABLE: &'static str = "cabinet";
    const TILE_COLUMNS: &'static str = "d.cabinet_type";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] = &[("cabinet_type", "String")];
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[("cabinet_type", "cab_type")];

    fn check(&self, _problems: &mut Problems) {}
}
