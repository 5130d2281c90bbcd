//! Works going on without a permit: the ward checks against the permits it granted.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "works_unpermitted",
    name_vi: "Thi công không phép",
    name_en: "Works without a permit",
    description_vi: "Đào đường, dựng cột, kéo cáp mà không thấy biển báo hay giấy phép.",
    description_en: "Digging, raising poles or pulling cable with no sign or permit in sight.",
    group: "Thi công",
    keywords: "thi công, không phép, đào đường, works, permit",
    asset_kinds: &[
        AssetKind::Tower,
        AssetKind::Pole,
        AssetKind::Duct,
        AssetKind::Trench,
        AssetKind::Cable,
    ],
    safety: false,
};
