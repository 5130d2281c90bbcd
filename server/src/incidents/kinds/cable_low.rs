//! Cable that sags or hangs low over a road or pavement: it catches lorries and people.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "cable_low",
    name_vi: "Cáp võng, cáp treo thấp",
    name_en: "Sagging or low cable",
    description_vi: "Cáp treo võng thấp, sát mặt đường, hè hoặc đứt rơi xuống.",
    description_en: "Overhead cable sags low over the road or pavement, or has fallen.",
    group: "Cột và cáp treo",
    keywords: "cáp, võng, thấp, đứt, cable, sagging",
    asset_kinds: &[AssetKind::Cable, AssetKind::Pole],
    safety: true,
};
