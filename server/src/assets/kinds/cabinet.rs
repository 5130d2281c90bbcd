//! Street cabinets (tủ cáp): fibre distribution and copper cross-connect
//! cabinets, outdoor cabinets with active equipment, and their power supplies.
//! `capacity` counts the rack or splice positions other operators may rent.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::Problems;

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

impl Cabinet {
    pub const TABLE: &'static str = "cabinet";

    pub fn check(&self, _problems: &mut Problems) {}
}
