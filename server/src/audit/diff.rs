//! What changed between two snapshots of an asset's document (its GeoJSON
//! feature: properties, geometry and tenancies), as the asset history and the
//! audit trail show it.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// One field that a change altered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Change {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// Fields that bookkeeping changes on every write; not worth reporting.
const BOOKKEEPING: &[&str] = &["version", "updated_at", "created_at"];

/// The fields that differ between two snapshots: properties, geometry and tenancies.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let null = Value::Null;
    let empty = serde_json::Map::new();
    let props = |doc: Option<&Value>| {
        doc.and_then(|d| d.get("properties"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (old, new) = (props(before), props(after));
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes: Vec<Change> = keys
        .into_iter()
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
        .filter_map(|k| {
            let (b, a) = (old.get(k).unwrap_or(&null), new.get(k).unwrap_or(&null));
            (b != a).then(|| Change {
                field: k.clone(),
                before: b.clone(),
                after: a.clone(),
            })
        })
        .collect();
    for member in ["geometry", "tenancies"] {
        let b = before.and_then(|d| d.get(member)).unwrap_or(&null);
        let a = after.and_then(|d| d.get(member)).unwrap_or(&null);
        if b != a {
            changes.push(Change {
                field: member.into(),
                before: b.clone(),
                after: a.clone(),
            });
        }
    }
    changes
}
