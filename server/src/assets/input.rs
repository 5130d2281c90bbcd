//! A submitted asset, parsed once at the edge into checked values: the core
//! properties every asset has, its geometry, and its kind's details.

use serde_json::{Map, Value};

use super::details::Details;
use super::geometry::{self, SubmittedGeometry};
use super::kind::{AssetKind, Status};
use crate::http::error::{ApiError, Code, Problem, Problems};

/// Properties the server computes: shown in every document, never accepted.
pub const COMPUTED: &[&str] = &[
    "kind",
    "operator_name",
    "ward_code",
    "ward_name",
    "tenant_count",
    "shared",
    "free_capacity",
    "version",
    "created_at",
    "updated_at",
    "tenants",
];

/// The Feature members a client may send.
const FEATURE_MEMBERS: &[&str] = &["type", "geometry", "properties", "crs", "bbox"];

/// A complete, checked asset ready to be stored.
#[derive(Debug, Clone)]
pub struct AssetInput {
    /// The operator's own code for the asset, unique per operator and kind.
    pub code: String,
    pub name: Option<String>,
    /// Code of the owning operator (resolved when stored).
    pub operator: String,
    pub status: Status,
    pub accuracy_m: Option<f64>,
    pub capacity: Option<i32>,
    pub note: Option<String>,
    pub geometry: SubmittedGeometry,
    pub details: Details,
}

impl AssetInput {
    /// Parses a GeoJSON Feature for an asset of `kind`, reporting every problem.
    pub fn parse(kind: AssetKind, feature: Value) -> Result<Self, ApiError> {
        let mut problems = Problems::new();
        let Value::Object(mut feature) = feature else {
            return Err(ApiError::invalid(
                "body",
                "must be a GeoJSON Feature object",
            ));
        };
        match feature.get("type") {
            None => {}
            Some(Value::String(t)) if t == "Feature" => {}
            Some(_) => problems.add(
                "type",
                Problem::new(Code::UnknownValue, "must be \"Feature\"")
                    .with("allowed", ["Feature"]),
            ),
        }
        for key in feature.keys() {
            if key == "id" {
                problems.add(
                    "id",
                    Problem::new(Code::ReadOnly, "is assigned by the server; leave it out"),
                );
            } else if !FEATURE_MEMBERS.contains(&key.as_str()) {
                problems.add(
                    key.clone(),
                    Problem::new(Code::UnknownField, "is not a member of a GeoJSON Feature")
                        .with("field", key.clone()),
                );
            }
        }
        let geometry = geometry::parse(
            kind,
            feature.get("geometry"),
            feature.get("crs"),
            &mut problems,
        );
        let mut properties = match feature.remove("properties") {
            Some(Value::Object(properties)) => properties,
            None | Some(Value::Null) => Map::new(),
            Some(_) => {
                problems.add(
                    "properties",
                    Problem::new(Code::WrongType, "must be an object").with("expected", "object"),
                );
                Map::new()
            }
        };
        for key in COMPUTED {
            if properties.remove(*key).is_some() {
                problems.add(
                    *key,
                    Problem::new(
                        Code::ReadOnly,
                        "is computed by the server and cannot be set",
                    ),
                );
            }
        }
        let code = take_text(&mut properties, "code", 64, true, &mut problems);
        let name = take_text(&mut properties, "name", 200, false, &mut problems);
        let operator = take_text(&mut properties, "operator", 20, true, &mut problems);
        let note = take_text(&mut properties, "note", 4000, false, &mut problems);
        let status = match properties.remove("status") {
            None | Some(Value::Null) => Some(Status::Operational),
            Some(Value::String(s)) => Status::parse(&s).or_else(|| {
                problems.add(
                    "status",
                    Problem::new(
                        Code::UnknownValue,
                        format!("unknown status {s:?}; one of {}", status_list()),
                    )
                    .with("value", s.clone())
                    .with("allowed", status_names()),
                );
                None
            }),
            Some(_) => {
                problems.add(
                    "status",
                    Problem::new(
                        Code::UnknownValue,
                        format!("must be one of {}", status_list()),
                    )
                    .with("allowed", status_names()),
                );
                None
            }
        };
        let accuracy_m = take_number(&mut properties, "accuracy_m", &mut problems);
        if accuracy_m.is_some_and(|a| !(a > 0.0 && a <= 1000.0)) {
            problems.add(
                "accuracy_m",
                Problem::new(
                    Code::OutOfRange,
                    "must be more than 0 and at most 1000 metres",
                )
                .with("min", 0)
                .with("max", 1000)
                .with("min_exclusive", true)
                .with("unit", "m"),
            );
        }
        let capacity = take_number(&mut properties, "capacity", &mut problems);
        let capacity = match capacity {
            Some(c) if c.fract() != 0.0 || !(0.0..=1000.0).contains(&c) => {
                problems.add(
                    "capacity",
                    Problem::new(Code::OutOfRange, "must be a whole number from 0 to 1000")
                        .with("min", 0)
                        .with("max", 1000)
                        .with("integer", true),
                );
                None
            }
            c => c.map(|c| c as i32),
        };
        let details = Details::parse(kind, properties, &mut problems);
        match (code, operator, status, geometry, details) {
            (Some(code), Some(operator), Some(status), Some(geometry), Some(details))
                if problems.is_empty() =>
            {
                Ok(Self {
                    code,
                    name,
                    operator,
                    status,
                    accuracy_m,
                    capacity,
                    note,
                    geometry,
                    details,
                })
            }
            _ => Err(problems.into_error()),
        }
    }
}

fn status_names() -> Vec<&'static str> {
    Status::ALL.iter().map(|s| s.as_str()).collect()
}

fn status_list() -> String {
    Status::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A text property: kept byte for byte (Vietnamese diacritics in any Unicode
/// form survive), limited in characters, free of control characters.
fn take_text(
    properties: &mut Map<String, Value>,
    key: &str,
    max_chars: usize,
    required: bool,
    problems: &mut Problems,
) -> Option<String> {
    match properties.remove(key) {
        None | Some(Value::Null) => {
            if required {
                problems.add(key, Problem::required());
            }
            None
        }
        Some(Value::String(s)) => {
            if s.trim().is_empty() {
                if required {
                    problems.add(key, Problem::new(Code::Empty, "must not be empty"));
                }
                return None;
            }
            if s.chars().count() > max_chars {
                problems.add(
                    key,
                    Problem::new(
                        Code::TooLong,
                        format!("is longer than {max_chars} characters"),
                    )
                    .with("max", max_chars),
                );
                return None;
            }
            if s.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                problems.add(
                    key,
                    Problem::new(Code::ControlCharacters, "contains control characters"),
                );
                return None;
            }
            Some(s)
        }
        Some(_) => {
            problems.add(
                key,
                Problem::new(Code::WrongType, "must be a string").with("expected", "string"),
            );
            None
        }
    }
}

fn take_number(
    properties: &mut Map<String, Value>,
    key: &str,
    problems: &mut Problems,
) -> Option<f64> {
    match properties.remove(key) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => {
            problems.add(
                key,
                Problem::new(Code::WrongType, "must be a number").with("expected", "number"),
            );
            None
        }
    }
}

/// Applies a JSON Merge Patch (RFC 7396) to `target`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target) = target else {
        unreachable!("made an object above")
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tower() -> Value {
        json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [108.806, 15.117]},
            "properties": {
                "code": "QNI-BTS-001", "operator": "VNPT", "status": "operational",
                "name": "Trạm BTS Chánh Lộ", "tower_class": "A2b", "height_m": 42.0,
                "structure": "lattice", "placement": "ground", "technologies": ["4G", "5G"]
            }
        })
    }

    fn problems_of(result: Result<AssetInput, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Invalid(problems)) => problems
                .into_iter()
                .map(|p| format!("{}: {}", p.field, p.problem))
                .collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_tower_parses() {
        let input = AssetInput::parse(AssetKind::Tower, tower()).unwrap();
        assert_eq!(input.code, "QNI-BTS-001");
        assert_eq!(input.name.as_deref(), Some("Trạm BTS Chánh Lộ"));
        assert!(matches!(input.details, Details::Tower(_)));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut feature = tower();
        feature["properties"]["code"] = json!("");
        feature["properties"]["status"] = json!("broken");
        feature["properties"]["version"] = json!(3);
        let problems = problems_of(AssetInput::parse(AssetKind::Tower, feature));
        assert!(
            problems.iter().any(|p| p.starts_with("code:")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("status: unknown status")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("version: is computed")),
            "{problems:?}"
        );
    }

    #[test]
    fn problems_carry_codes_and_params() {
        let mut feature = tower();
        feature["properties"]["code"] = json!(null);
        feature["properties"]["status"] = json!("broken");
        feature["properties"]["height_m"] = json!(301.0);
        feature["properties"]["note"] = json!("x".repeat(4001));
        let Err(ApiError::Invalid(problems)) = AssetInput::parse(AssetKind::Tower, feature) else {
            panic!("expected problems");
        };
        let of = |field: &str| problems.iter().find(|p| p.field == field).unwrap();
        assert_eq!(of("code").code, Code::Required);
        assert_eq!(of("status").code, Code::UnknownValue);
        assert_eq!(of("status").params["value"], "broken");
        assert_eq!(of("height_m").code, Code::OutOfRange);
        assert_eq!(of("height_m").params["max"], 300);
        assert_eq!(of("note").code, Code::TooLong);
        assert_eq!(of("note").params["max"], 4000);
    }

    #[test]
    fn unknown_fields_are_named() {
        let mut feature = tower();
        feature["properties"]["colour"] = json!("red");
        let problems = problems_of(AssetInput::parse(AssetKind::Tower, feature));
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("colour: unknown field")),
            "{problems:?}"
        );
    }

    #[test]
    fn tower_height_is_bounded() {
        for height in [0.0, -3.0, 301.0] {
            let mut feature = tower();
            feature["properties"]["height_m"] = json!(height);
            let problems = problems_of(AssetInput::parse(AssetKind::Tower, feature));
            assert!(
                problems.iter().any(|p| p.starts_with("height_m:")),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
    }
}
