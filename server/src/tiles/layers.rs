//! The tile layers: what each shows, from which zoom, and the properties its
//! features carry (the contract with the web app's map styles).
//!
//! Zoom thresholds, chosen for a city of some hundred thousand assets:
//! - a layer is empty below its `minzoom` (a province-wide view shows wards and
//!   towers, not every pole);
//! - below its `detail_zoom` a point layer is drawn as grid clusters (at most
//!   16 × 16 cells per tile, a cell holding a single asset draws that asset) and
//!   a line layer is simplified to one screen pixel and loses lines shorter
//!   than two pixels, longest lines first;
//! - from `detail_zoom` on, every asset is drawn as it is.
//!
//! Whatever the zoom, a layer never carries more than [`MAX_FEATURES`] features
//! in one tile.

use std::fmt;

use super::TileError;
use crate::assets::AssetKind;
use crate::assets::details::Details;

/// Hard cap on the features of one layer in one tile.
pub const MAX_FEATURES: u32 = 10_000;
/// Grid cells per tile side for point clusters below a layer's detail zoom.
pub const CLUSTER_GRID: u32 = 16;
/// Highest zoom in the TileJSON: clients draw deeper zooms from these tiles.
pub const MAX_ZOOM: u8 = 16;

/// One layer of the map, as named in URLs and as the MVT `source-layer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Towers,
    Poles,
    Ducts,
    Manholes,
    Trenches,
    Cables,
    CablesOverhead,
    CablesUnderground,
    Cabinets,
    Wards,
    Streets,
    /// What the public sees of the towers: those in wards that publish them,
    /// without sharing detail. Its MVT layer is called `towers` too, so the
    /// same map style draws it; it is served in place of `towers` to people
    /// who are not logged in.
    PublicTowers,
}

/// How a layer's features are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Point,
    Line,
    Polygon,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Point => "point",
            Self::Line => "line",
            Self::Polygon => "polygon",
        }
    }
}

/// The properties every asset feature carries, with their TileJSON types.
pub const ASSET_FIELDS: &[(&str, &str)] = &[
    ("id", "Number"),
    ("kind", "String"),
    ("code", "String"),
    ("operator", "String"),
    ("status", "String"),
    ("tenant_count", "Number"),
    ("shared", "Boolean"),
    ("ward_code", "String"),
];

/// The properties of a cluster feature (a point layer below its detail zoom).
pub const CLUSTER_FIELDS: &[(&str, &str)] = &[
    ("cluster", "Boolean"),
    ("count", "Number"),
    ("point_count", "Number"),
];

/// How one asset kind's layer reads its kind-specific attributes.
#[derive(Debug, Clone, Copy)]
pub struct AssetLayer {
    /// `asset.kind`.
    pub kind: &'static str,
    /// The detail table, joined as `d`.
    pub table: &'static str,
    /// Select-list expressions over `a` (asset) and `d` (detail row).
    pub columns: &'static str,
    /// Extra condition on `a` and `d`, starting with `and`.
    pub filter: &'static str,
    /// The kind-specific properties and their TileJSON types.
    pub fields: &'static [(&'static str, &'static str)],
}

impl Layer {
    pub const ALL: [Layer; 12] = [
        Self::Towers,
        Self::Poles,
        Self::Ducts,
        Self::Manholes,
        Self::Trenches,
        Self::Cables,
        Self::CablesOverhead,
        Self::CablesUnderground,
        Self::Cabinets,
        Self::Wards,
        Self::Streets,
        Self::PublicTowers,
    ];

    /// The name in URLs and the MVT layer name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Towers => "towers",
            Self::Poles => "poles",
            Self::Ducts => "ducts",
            Self::Manholes => "manholes",
            Self::Trenches => "trenches",
            Self::Cables => "cables",
            Self::CablesOverhead => "cables_overhead",
            Self::CablesUnderground => "cables_underground",
            Self::Cabinets => "cabinets",
            Self::Wards => "wards",
            Self::Streets => "streets",
            Self::PublicTowers => "public_towers",
        }
    }

    /// The layer's name inside the tile (the `source-layer` of map styles).
    pub fn mvt_name(self) -> &'static str {
        match self {
            Self::PublicTowers => "towers",
            other => other.name(),
        }
    }

    /// Whether the public (not logged in) may see the layer.
    pub fn is_public(self) -> bool {
        matches!(self, Self::PublicTowers | Self::Wards | Self::Streets)
    }

    /// The layer the public gets when it asks for this one, if any.
    pub fn for_public(self) -> Option<Self> {
        match self {
            Self::Towers | Self::PublicTowers => Some(Self::PublicTowers),
            Self::Wards | Self::Streets => Some(self),
            _ => None,
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }

    /// English description, for TileJSON.
    pub fn description(self) -> &'static str {
        match self {
            Self::Towers => "Antenna towers and BTS sites",
            Self::PublicTowers => "Antenna towers that the ward publishes",
            Self::Poles => "Poles carrying telecom cable",
            Self::Ducts => "Duct banks",
            Self::Manholes => "Manholes",
            Self::Trenches => "Technical trenches and tunnels",
            Self::Cables => "Cable routes, overhead and underground (property placement)",
            Self::CablesOverhead => "Overhead cable routes",
            Self::CablesUnderground => "Underground cable routes",
            Self::Cabinets => "Street cabinets",
            Self::Wards => "Ward boundaries valid today",
            Self::Streets => "Streets, for context",
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            Self::Towers | Self::PublicTowers | Self::Poles | Self::Manholes | Self::Cabinets => {
                Shape::Point
            }
            Self::Ducts
            | Self::Trenches
            | Self::Cables
            | Self::CablesOverhead
            | Self::CablesUnderground
            | Self::Streets => Shape::Line,
            Self::Wards => Shape::Polygon,
        }
    }

    /// Below this zoom the layer is empty.
    pub fn minzoom(self) -> u8 {
        match self {
            Self::Wards => 6,
            Self::Towers | Self::PublicTowers => 8,
            Self::Poles | Self::Manholes | Self::Cabinets => 10,
            Self::Cables | Self::CablesOverhead | Self::CablesUnderground => 10,
            Self::Trenches | Self::Streets => 10,
            Self::Ducts => 11,
        }
    }

    /// From this zoom on every feature is drawn as it is; below it points are
    /// clustered and lines simplified and thinned.
    pub fn detail_zoom(self) -> u8 {
        match self {
            Self::Towers | Self::PublicTowers => 12,
            Self::Cabinets => 14,
            Self::Poles | Self::Manholes => 15,
            Self::Ducts
            | Self::Trenches
            | Self::Cables
            | Self::CablesOverhead
            | Self::CablesUnderground
            | Self::Streets => 14,
            Self::Wards => 0,
        }
    }

    /// The asset kind behind the layer, if it is an asset layer.
    pub fn asset(self) -> Option<AssetLayer> {
        let layer = |kind: AssetKind| {
            let (columns, fields) = Details::tile_columns(kind);
            AssetLayer {
                kind: kind.as_str(),
                table: Details::table(kind),
                columns,
                filter: "",
                fields,
            }
        };
        Some(match self {
            Self::Towers | Self::PublicTowers => layer(AssetKind::Tower),
            Self::Poles => layer(AssetKind::Pole),
            Self::Ducts => layer(AssetKind::Duct),
            Self::Manholes => layer(AssetKind::Manhole),
            Self::Trenches => layer(AssetKind::Trench),
            Self::Cables => layer(AssetKind::Cable),
            Self::CablesOverhead => AssetLayer {
                filter: "and d.placement = 'overhead'",
                ..layer(AssetKind::Cable)
            },
            Self::CablesUnderground => AssetLayer {
                filter: "and d.placement = 'underground'",
                ..layer(AssetKind::Cable)
            },
            Self::Cabinets => layer(AssetKind::Cabinet),
            Self::Wards | Self::Streets => return None,
        })
    }

    /// Every property a feature of this layer may carry, with its TileJSON type.
    pub fn fields(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Wards => vec![("gso_code", "String"), ("name", "String")],
            Self::Streets => vec![("name", "String"), ("class", "String")],
            _ => {
                let mut fields = ASSET_FIELDS.to_vec();
                if self == Self::PublicTowers {
                    fields.retain(|(name, _)| !matches!(*name, "tenant_count" | "shared"));
                }
                if let Some(asset) = self.asset() {
                    fields.extend_from_slice(asset.fields);
                }
                if self.shape() == Shape::Point {
                    fields.extend_from_slice(CLUSTER_FIELDS);
                }
                if self.asset().is_some_and(|a| a.kind == "cable") {
                    // Below the detail zoom, routes merged into one feature.
                    fields.push(("count", "Number"));
                }
                fields
            }
        }
    }

    /// Whether an asset change can show in this layer.
    pub fn shows_assets(self) -> bool {
        self.asset().is_some()
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One or more layers served together in one tile: `poles`, or a composite
/// `towers,poles,cables`. The order in the URL does not matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LayerSet(u16);

impl LayerSet {
    /// Parses a comma-separated list of layer names.
    pub fn parse(text: &str) -> Result<Self, TileError> {
        let mut set = Self::default();
        for name in text.split(',') {
            let layer = Layer::parse(name.trim()).ok_or_else(|| TileError::UnknownLayer {
                name: name.trim().to_string(),
            })?;
            set.0 |= layer.bit();
        }
        Ok(set)
    }

    pub fn of(layers: &[Layer]) -> Self {
        Self(layers.iter().fold(0, |bits, l| bits | l.bit()))
    }

    /// Every asset layer.
    pub fn assets() -> Self {
        Self::of(
            &Layer::ALL
                .into_iter()
                .filter(|l| l.shows_assets())
                .collect::<Vec<_>>(),
        )
    }

    pub fn contains(self, layer: Layer) -> bool {
        self.0 & layer.bit() != 0
    }

    pub fn overlaps(self, other: LayerSet) -> bool {
        self.0 & other.0 != 0
    }

    /// The layers, in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = Layer> {
        Layer::ALL.into_iter().filter(move |l| self.contains(*l))
    }
}

impl fmt::Display for LayerSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Layer::name).collect();
        f.write_str(&names.join(","))
    }
}
