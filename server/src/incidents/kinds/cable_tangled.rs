//! Tangled bundles of cable with no owner's label ("mạng nhện"): unsightly,
//! and nobody can be asked to tidy them (QCVN 33:2019 §2.7.2 wants a label).

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "cable_tangled",
    name_vi: "Cáp rối, cáp không có thẻ",
    name_en: "Tangled or unlabelled cables",
    description_vi: "Cáp treo chằng chịt, cuộn cáp thừa treo trên cột, cáp không có thẻ ghi tên chủ sở hữu.",
    description_en: "Cables tangled like a web, coils hung on poles, cables without their owner's label.",
    group: "Cột và cáp treo",
    keywords: "cáp rối, mạng nhện, thẻ cáp, tangled, unlabelled",
    asset_kinds: &[AssetKind::Cable, AssetKind::Pole],
    safety: false,
};
