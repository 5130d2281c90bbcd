//! A broken, missing or rocking manhole or duct cover: a hole in the pavement.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "cover_damaged",
    name_vi: "Nắp bể cáp, hố ga hư hỏng",
    name_en: "Damaged manhole or duct cover",
    description_vi: "Nắp bể cáp vỡ, mất, bập bênh hoặc không ngang mặt đường, hè.",
    description_en: "A manhole or duct cover is broken, missing, rocking or not flush.",
    group: "Công trình ngầm",
    keywords: "nắp bể, hố ga, manhole, cover",
    asset_kinds: &[AssetKind::Manhole, AssetKind::Duct],
    safety: true,
};
