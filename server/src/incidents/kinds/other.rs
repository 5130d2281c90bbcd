//! Anything else about telecom works in the street.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "other",
    name_vi: "Khác",
    name_en: "Other",
    description_vi: "Phản ánh khác về công trình viễn thông trên đường phố.",
    description_en: "Anything else about telecom works in the street.",
    group: "Khác",
    keywords: "khác, other",
    asset_kinds: &[
        AssetKind::Pole,
        AssetKind::Cable,
        AssetKind::Manhole,
        AssetKind::Cabinet,
        AssetKind::Tower,
    ],
    safety: false,
};
