//! An antenna tower that looks unsafe: leaning, loose guys, parts falling.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "tower_unsafe",
    name_vi: "Cột ăng ten mất an toàn",
    name_en: "Unsafe tower",
    description_vi: "Cột ăng ten nghiêng, dây co lỏng, thiết bị có nguy cơ rơi.",
    description_en: "An antenna tower leans, its guys are loose, or equipment may fall.",
    group: "Cột ăng ten",
    keywords: "cột ăng ten, trạm BTS, tower, antenna",
    asset_kinds: &[AssetKind::Tower],
    safety: true,
};
