//! A pole that has fallen or leans: it can fall on people and pull cables down.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "pole_fallen",
    name_vi: "Cột đổ, cột nghiêng",
    name_en: "Fallen or leaning pole",
    description_vi: "Cột treo cáp bị đổ, nghiêng, nứt gãy hoặc sắp đổ.",
    description_en: "A cable pole has fallen, leans, is cracked or about to fall.",
    group: "Cột và cáp treo",
    keywords: "cột, nghiêng, đổ, pole, leaning",
    asset_kinds: &[AssetKind::Pole],
    safety: true,
};
