//! An outage of telephone or internet service in an area.

use super::IncidentKind;
use crate::assets::AssetKind;

pub const KIND: IncidentKind = IncidentKind {
    code: "outage",
    name_vi: "Mất liên lạc",
    name_en: "Outage",
    description_vi: "Mất sóng di động, mất Internet hoặc điện thoại cố định trong khu vực.",
    description_en: "No mobile signal, internet or fixed telephone in an area.",
    group: "Dịch vụ",
    keywords: "mất sóng, mất mạng, outage",
    asset_kinds: &[AssetKind::Cabinet, AssetKind::Cable, AssetKind::Tower],
    safety: false,
};
