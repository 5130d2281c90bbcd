//! The kinds of asset and their shared vocabulary: kinds, shapes, statuses.
//! At the bottom of the crate with no dependency of its own, so that the
//! access policy (`crate::policy`), which decides per kind, sits below the
//! domains too. The assets module shows it as `assets::kind`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What sort of passive infrastructure an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    Tower,
    Pole,
    Duct,
    Manhole,
    Trench,
    Cable,
    Cabinet,
}

/// A kind's collection as the API names it (`/api/v1/towers`), for answers
/// that say which kind they are of. The values are `AssetKind::collection`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollectionName {
    Towers,
    Poles,
    Ducts,
    Manholes,
    Trenches,
    Cables,
    Cabinets,
}

/// The geometry a kind is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Point,
    Line,
    /// A line or a multi-line (a cable route may have branches).
    Lines,
}

impl AssetKind {
    pub const ALL: [AssetKind; 7] = [
        Self::Tower,
        Self::Pole,
        Self::Duct,
        Self::Manhole,
        Self::Trench,
        Self::Cable,
        Self::Cabinet,
    ];

    /// The value stored in `asset.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tower => "tower",
            Self::Pole => "pole",
            Self::Duct => "duct",
            Self::Manhole => "manhole",
            Self::Trench => "trench",
            Self::Cable => "cable",
            Self::Cabinet => "cabinet",
        }
    }

    /// The collection name used in URLs (`/api/v1/towers`) and tile layers.
    pub fn collection(self) -> &'static str {
        match self {
            Self::Tower => "towers",
            Self::Pole => "poles",
            Self::Duct => "ducts",
            Self::Manhole => "manholes",
            Self::Trench => "trenches",
            Self::Cable => "cables",
            Self::Cabinet => "cabinets",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn from_collection(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.collection() == value)
    }

    pub fn shape(self) -> Shape {
        match self {
            Self::Duct | Self::Trench => Shape::Line,
            Self::Cable => Shape::Lines,
            Self::Tower | Self::Pole | Self::Manhole | Self::Cabinet => Shape::Point,
        }
    }

    /// English title, for the API description.
    pub fn title(self) -> &'static str {
        match self {
            Self::Tower => "Antenna towers and BTS sites",
            Self::Pole => "Poles carrying telecom cable",
            Self::Duct => "Duct banks",
            Self::Manhole => "Manholes",
            Self::Trench => "Technical trenches and tunnels",
            Self::Cable => "Cable routes",
            Self::Cabinet => "Street cabinets",
        }
    }
}

/// Where an asset is in its life (the Open Fibre Data Standard uses the same list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AssetStatus)]
pub enum Status {
    Proposed,
    Planned,
    UnderConstruction,
    Operational,
    Inactive,
    Decommissioned,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Proposed,
        Self::Planned,
        Self::UnderConstruction,
        Self::Operational,
        Self::Inactive,
        Self::Decommissioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Planned => "planned",
            Self::UnderConstruction => "under_construction",
            Self::Operational => "operational",
            Self::Inactive => "inactive",
            Self::Decommissioned => "decommissioned",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collection_names_of_the_schema_are_the_kinds_collections() {
        let described: Vec<String> = [
            CollectionName::Towers,
            CollectionName::Poles,
            CollectionName::Ducts,
            CollectionName::Manholes,
            CollectionName::Trenches,
            CollectionName::Cables,
            CollectionName::Cabinets,
        ]
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
        let kinds: Vec<&str> = AssetKind::ALL.iter().map(|k| k.collection()).collect();
        assert_eq!(described, kinds);
    }
}
