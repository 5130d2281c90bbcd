//! Vandalism, theft or obstruction of works (seed 000, Trương Quang Trọng VII.4a).

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "vandalism",
    name_vi: "Phá hoại, trộm cắp",
    name_en: "Vandalism or theft",
    description_vi: "Cáp bị cắt, trộm; tủ cáp, nắp bể bị phá; cản trở thi công.",
    description_en: "Cable cut or stolen; cabinets or covers broken open; works obstructed.",
    group: "An ninh",
    keywords: "phá hoại, trộm cáp, vandalism, theft",
    asset_kinds: &[
        AssetKind::Cable,
        AssetKind::Cabinet,
        AssetKind::Manhole,
        AssetKind::Pole,
        AssetKind::Tower,
    ],
    safety: false,
};
