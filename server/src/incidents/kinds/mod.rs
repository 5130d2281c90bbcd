//! The types of report a resident or a crew can file, one file each. A type
//! says what it is called, which kinds of asset it is usually about (the
//! nearest of them proposes the operator to assign), whether it endangers
//! people (such reports go first), and its code for Open311 clients
//! (`service_code`). Deadlines are not here: they are a rule
//! (`incident.deadlines`) the ward can change.

mod cable_low;
mod cable_tangled;
mod cover_damaged;
mod other;
mod outage;
mod pole_fallen;
mod tower_unsafe;
mod vandalism;
mod works_unpermitted;

use serde::Serialize;
use utoipa::ToSchema;

use crate::assets::AssetKind;

/// One type of report.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentKind {
    /// Stable code, also the Open311 `service_code`.
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub description_vi: &'static str,
    pub description_en: &'static str,
    /// Open311 `group`.
    pub group: &'static str,
    /// Open311 `keywords`.
    pub keywords: &'static str,
    /// The kinds of asset such a report is usually about.
    #[serde(serialize_with = "kind_names")]
    #[schema(value_type = Vec<String>)]
    pub asset_kinds: &'static [AssetKind],
    /// It puts people at risk: the ward sees it first.
    pub safety: bool,
}

fn kind_names<S: serde::Serializer>(
    kinds: &&[AssetKind],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(kinds.iter().map(|k| k.as_str()))
}

/// Every type, in the order a form offers them.
pub const ALL: &[&IncidentKind] = &[
    &pole_fallen::KIND,
    &cable_low::KIND,
    &cable_tangled::KIND,
    &cover_damaged::KIND,
    &tower_unsafe::KIND,
    &works_unpermitted::KIND,
    &vandalism::KIND,
    &outage::KIND,
    &other::KIND,
];

/// The type with this code.
pub fn find(code: &str) -> Option<&'static IncidentKind> {
    ALL.iter().copied().find(|k| k.code == code)
}

/// The codes, for error messages.
pub fn codes() -> Vec<&'static str> {
    ALL.iter().map(|k| k.code).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_open311_safe() {
        let mut seen = std::collections::HashSet::new();
        for kind in ALL {
            assert!(seen.insert(kind.code), "{} twice", kind.code);
            assert!(
                kind.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
            );
        }
        assert!(find("pole_fallen").is_some_and(|k| k.safety));
        assert!(find("nonsense").is_none());
    }
}
