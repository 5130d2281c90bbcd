//! Values in the operator's own words. A coded attribute takes one of a few
//! codes (a pole's `material` is `concrete`, `steel`, …), but operators' files
//! say "Bê tông", "Cột bê tông ly tâm", "Thép", "BTLT". So each coded column
//! gets a value mapping — source value → code, or nothing to leave the cell
//! empty — proposed from the codes' Vietnamese and English names and from what
//! the operator chose last time, corrected by the operator, and remembered
//! with the column mapping (by attribute, so a file with other headers finds
//! it too).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::coordinates::slug;
use crate::tabular::labels;

/// Attribute → source value → code (`null` leaves such cells empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct ValueMapping(pub BTreeMap<String, BTreeMap<String, Option<String>>>);

impl ValueMapping {
    /// The code chosen for `value` of `attribute`: `Some(Some(code))`, or
    /// `Some(None)` to leave it empty, or `None` when nothing was chosen.
    pub fn get(&self, attribute: &str, value: &str) -> Option<Option<&str>> {
        self.0
            .get(attribute)?
            .get(value.trim())
            .map(|code| code.as_deref())
    }

    /// `other`'s choices over these.
    pub fn extend(&mut self, other: &ValueMapping) {
        for (attribute, values) in &other.0 {
            self.0
                .entry(attribute.clone())
                .or_default()
                .extend(values.clone());
        }
    }
}

/// How a value's code was chosen, for the person checking the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ImportValueChosenBy)]
pub enum ChosenBy {
    /// The value is the code itself.
    Code,
    /// Chosen by the operator for this file.
    Request,
    /// What the operator chose last time.
    Saved,
    /// Proposed from the code's names.
    Synonym,
}

/// One distinct value of a coded column and the code it becomes.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportSourceValue)]
pub struct SourceValue {
    pub value: String,
    /// Rows holding it (of those scanned).
    pub count: u64,
    pub code: Option<String>,
    pub chosen_by: Option<ChosenBy>,
}

/// The values of one coded column.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportColumnValues)]
pub struct ColumnValues {
    pub column: String,
    pub attribute: String,
    /// The codes the attribute takes.
    pub codes: Vec<String>,
    pub values: Vec<SourceValue>,
    /// Whether every row was scanned (a very large file is scanned in part;
    /// the rest is checked when the import is validated).
    pub complete: bool,
}

/// Words people use for each code, as slugs (lower case, no diacritics,
/// `-` between words); a value containing one of them as whole words gets
/// the code ("cot-be-tong-ly-tam" contains "be-tong"), the longest match winning.
fn synonyms(attribute: &str, code: &str) -> &'static [&'static str] {
    match (attribute, code) {
        ("material" | "cover_material", "concrete") => &[
            "be-tong",
            "btlt",
            "bt",
            "be-tong-ly-tam",
            "be-tong-cot-thep",
            "btct",
            "xi-mang",
        ],
        ("material" | "cover_material", "steel") => {
            &["thep", "sat", "sat-thep", "thep-ma-kem", "ong-thep"]
        }
        ("material", "wood") => &["go", "cot-go", "tre"],
        ("material" | "cover_material", "composite") => {
            &["composite", "compozit", "nhua", "frp", "nhua-cot-soi"]
        }
        ("cover_material", "cast_iron") => &["gang", "gang-duc", "nap-gang"],
        ("material", "other") => &["khac"],
        ("purpose", "telecom") => &["vien-thong", "cot-vien-thong", "thong-tin", "treo-cap"],
        ("purpose", "power") => &[
            "dien",
            "dien-luc",
            "cot-dien",
            "luoi-dien",
            "ha-the",
            "trung-the",
        ],
        ("purpose", "lighting") => &["chieu-sang", "den", "cot-den", "den-duong"],
        ("purpose", "combined") => &["ket-hop", "dung-chung", "da-nang"],
        ("status", "proposed") => &["de-xuat", "du-kien"],
        ("status", "planned") => &["quy-hoach", "ke-hoach", "theo-ke-hoach"],
        ("status", "under_construction") => &["dang-xay-dung", "dang-thi-cong", "thi-cong"],
        ("status", "operational") => &[
            "dang-hoat-dong",
            "hoat-dong",
            "dang-su-dung",
            "su-dung",
            "van-hanh",
            "dang-van-hanh",
        ],
        ("status", "inactive") => &["tam-ngung", "ngung-hoat-dong", "khong-su-dung", "tam-dung"],
        ("status", "decommissioned") => &["da-thao-do", "thao-do", "huy", "thanh-ly", "giai-the"],
        ("placement", "overhead") => &["treo", "cap-treo", "noi", "tren-khong"],
        ("placement", "underground") => &["ngam", "cap-ngam", "chon-ngam"],
        ("placement", "ground") => &["duoi-dat", "mat-dat", "tren-mat-dat", "tiep-dat", "san"],
        ("placement", "rooftop") => &[
            "tren-mai",
            "mai",
            "nha",
            "tren-nha",
            "toa-nha",
            "san-thuong",
        ],
        ("medium", "fibre") => &["quang", "cap-quang", "soi-quang", "fiber", "fo"],
        ("medium", "copper") => &["dong", "cap-dong", "day-dong"],
        ("medium", "coax") => &["dong-truc", "cap-dong-truc", "coaxial"],
        ("role", "trunk") => &["truc", "truc-chinh", "cap-truc", "backbone"],
        ("role", "subscriber") => &["thue-bao", "nhanh", "phoi", "cap-thue-bao", "access"],
        ("structure", "monopole") => &["don-than", "cot-don", "mono"],
        ("structure", "lattice") => &[
            "tu-dung",
            "khung-giang",
            "thap",
            "cot-thap",
            "tam-giac",
            "tu-giac",
        ],
        ("structure", "guyed") => &["day-co", "co-day-co", "cot-day-co"],
        ("structure", "rooftop_pole") => &["cot-tren-mai", "tren-mai", "ong-tren-mai"],
        ("structure", "camouflaged") => &["nguy-trang", "trang-tri", "cay-gia"],
        ("trench_type", "trench") => &["hao", "hao-ky-thuat", "muong"],
        ("trench_type", "tunnel") => &["tuynel", "tunnel", "tuy-nen", "ham"],
        ("cabinet_type", "fibre_distribution") => {
            &["phoi-quang", "tu-phoi-quang", "odf", "tu-quang"]
        }
        ("cabinet_type", "copper_crossconnect") => {
            &["dau-noi-dong", "tu-cap-dong", "mdf", "tu-dau-noi"]
        }
        ("cabinet_type", "active_equipment") => &[
            "thiet-bi",
            "thiet-bi-tich-cuc",
            "olt",
            "dslam",
            "tu-thiet-bi",
        ],
        ("cabinet_type", "power") => &["nguon", "tu-nguon", "tu-dien"],
        ("mounting", "ground") => &["mat-dat", "dat", "be", "chan-de"],
        ("mounting", "pole") => &["tren-cot", "cot", "treo-cot"],
        ("mounting", "wall") => &["tuong", "tren-tuong", "gan-tuong"],
        ("surface", "road") => &["long-duong", "duong", "mat-duong"],
        ("surface", "pavement") => &["via-he", "le-duong", "he"],
        _ => &[],
    }
}

/// Whether `needle` occurs in `haystack` as whole slug words.
fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack == needle
        || haystack.starts_with(&format!("{needle}-"))
        || haystack.ends_with(&format!("-{needle}"))
        || haystack.contains(&format!("-{needle}-"))
}

/// The code a source value most likely means, from the codes' names.
pub fn propose(attribute: &str, codes: &[String], value: &str) -> Option<String> {
    let s = slug(value);
    if s.is_empty() {
        return None;
    }
    // The code itself, or its name as an export in Vietnamese or English writes it.
    if let Some(code) = codes.iter().find(|c| {
        slug(c) == s
            || labels::value_names(attribute, c)
                .is_some_and(|(vi, en)| slug(vi) == s || slug(en) == s)
    }) {
        return Some(code.clone());
    }
    let mut best: Option<(usize, &String)> = None;
    for code in codes {
        for synonym in synonyms(attribute, code) {
            let whole = s == *synonym;
            if whole || contains_words(&s, synonym) {
                // A whole match beats any part; otherwise the longest part wins.
                let score = if whole { usize::MAX } else { synonym.len() };
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, code));
                }
            }
        }
    }
    best.map(|(_, code)| code.clone())
}

/// The code of a cell for `attribute`: the chosen one, else the value itself.
/// A list cell (`4G,5G`) is mapped item by item.
pub fn apply(values: &ValueMapping, attribute: &str, cell: &Value) -> Value {
    let Some(choices) = values.0.get(attribute) else {
        return cell.clone();
    };
    let map_one = |text: &str| -> Value {
        match choices.get(text.trim()) {
            Some(Some(code)) => Value::String(code.clone()),
            Some(None) => Value::Null,
            None => Value::String(text.to_string()),
        }
    };
    match cell {
        Value::String(text) => map_one(text),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| match item {
                    Value::String(text) => map_one(text),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The text of a cell as a value to map (numbers as written).
pub fn cell_text(cell: &Value) -> Option<String> {
    match cell {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The choices of a column's distinct values: the operator's for this file,
/// then last time's, then the code itself, then a proposal from the names.
pub fn choose(
    attribute: &str,
    codes: &[String],
    distinct: &BTreeMap<String, u64>,
    requested: &ValueMapping,
    saved: &ValueMapping,
) -> Vec<SourceValue> {
    let mut values: Vec<SourceValue> = distinct
        .iter()
        .map(|(value, count)| {
            let (code, chosen_by) = if let Some(code) = requested.get(attribute, value) {
                (code.map(str::to_string), Some(ChosenBy::Request))
            } else if let Some(code) = codes.iter().find(|c| *c == value) {
                (Some(code.clone()), Some(ChosenBy::Code))
            } else if let Some(code) = saved
                .get(attribute, value)
                .filter(|c| c.is_none_or(|c| codes.iter().any(|x| x == c)))
            {
                (code.map(str::to_string), Some(ChosenBy::Saved))
            } else if let Some(code) = propose(attribute, codes, value) {
                (Some(code), Some(ChosenBy::Synonym))
            } else {
                (None, None)
            };
            SourceValue {
                value: value.clone(),
                count: *count,
                code,
                chosen_by,
            }
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

/// The value mapping the choices make (what `to_feature` applies): every
/// value whose code is not the value itself.
pub fn mapping_of(columns: &[ColumnValues]) -> ValueMapping {
    let mut mapping = ValueMapping::default();
    for column in columns {
        let entry = mapping.0.entry(column.attribute.clone()).or_default();
        for value in &column.values {
            if value.chosen_by.is_some() && value.code.as_deref() != Some(value.value.as_str()) {
                entry.insert(value.value.clone(), value.code.clone());
            }
        }
    }
    mapping.0.retain(|_, values| !values.is_empty());
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn vietnamese_words_propose_their_codes() {
        let materials = codes(&["concrete", "steel", "wood", "composite", "other"]);
        assert_eq!(
            propose("material", &materials, "Bê tông").as_deref(),
            Some("concrete")
        );
        assert_eq!(
            propose("material", &materials, "Cột bê tông ly tâm").as_deref(),
            Some("concrete")
        );
        assert_eq!(
            propose("material", &materials, "BTLT").as_deref(),
            Some("concrete")
        );
        assert_eq!(
            propose("material", &materials, "Thép").as_deref(),
            Some("steel")
        );
        assert_eq!(
            propose("material", &materials, "Cột thép mạ kẽm").as_deref(),
            Some("steel")
        );
        assert_eq!(
            propose("material", &materials, "steel").as_deref(),
            Some("steel")
        );
        assert_eq!(
            propose("material", &materials, "Gỗ").as_deref(),
            Some("wood")
        );
        assert_eq!(propose("material", &materials, "Đá"), None);
        let statuses = codes(&[
            "proposed",
            "planned",
            "under_construction",
            "operational",
            "inactive",
            "decommissioned",
        ]);
        assert_eq!(
            propose("status", &statuses, "Đang hoạt động").as_deref(),
            Some("operational")
        );
        assert_eq!(
            propose("status", &statuses, "Ngừng hoạt động").as_deref(),
            Some("inactive")
        );
        let purposes = codes(&["telecom", "power", "lighting", "combined"]);
        assert_eq!(
            propose("purpose", &purposes, "Cột điện hạ thế").as_deref(),
            Some("power")
        );
        assert_eq!(
            propose("purpose", &purposes, "Cột đèn chiếu sáng").as_deref(),
            Some("lighting")
        );
    }

    #[test]
    fn the_operators_choice_comes_first_then_last_time_then_the_names() {
        let materials = codes(&["concrete", "steel"]);
        let distinct: BTreeMap<String, u64> = [
            ("Bê tông".to_string(), 3),
            ("Sắt tròn".to_string(), 1),
            ("concrete".to_string(), 2),
            ("Đá".to_string(), 1),
        ]
        .into_iter()
        .collect();
        let mut saved = ValueMapping::default();
        saved
            .0
            .entry("material".into())
            .or_default()
            .insert("Sắt tròn".into(), Some("concrete".into()));
        let mut requested = ValueMapping::default();
        requested
            .0
            .entry("material".into())
            .or_default()
            .insert("Đá".into(), None);
        let chosen = choose("material", &materials, &distinct, &requested, &saved);
        let find = |v: &str| chosen.iter().find(|c| c.value == v).unwrap();
        assert_eq!(find("Bê tông").code.as_deref(), Some("concrete"));
        assert_eq!(find("Bê tông").chosen_by, Some(ChosenBy::Synonym));
        assert_eq!(find("Sắt tròn").code.as_deref(), Some("concrete"));
        assert_eq!(find("Sắt tròn").chosen_by, Some(ChosenBy::Saved));
        assert_eq!(find("concrete").chosen_by, Some(ChosenBy::Code));
        assert_eq!(find("Đá").code, None);
        assert_eq!(find("Đá").chosen_by, Some(ChosenBy::Request));
        assert_eq!(chosen[0].value, "Bê tông", "most rows first");

        let columns = vec![ColumnValues {
            column: "Vật liệu".into(),
            attribute: "material".into(),
            codes: materials,
            values: chosen,
            complete: true,
        }];
        let mapping = mapping_of(&columns);
        assert_eq!(mapping.get("material", "Bê tông"), Some(Some("concrete")));
        assert_eq!(mapping.get("material", "Đá"), Some(None));
        assert_eq!(
            mapping.get("material", "concrete"),
            None,
            "a code maps to itself"
        );
        assert_eq!(
            apply(&mapping, "material", &Value::String(" Bê tông ".into())),
            Value::String("concrete".into())
        );
        assert_eq!(
            apply(&mapping, "material", &Value::String("Đá".into())),
            Value::Null
        );
        assert_eq!(
            apply(&mapping, "height_m", &Value::String("Bê tông".into())),
            Value::String("Bê tông".into())
        );
    }
}
