//! The rows of a filing, from the form (JSON) or from a file (read with the
//! import module's GDAL reader): columns are matched to the fields of the
//! filing's kind by their Vietnamese or English names ("Số hộ được phủ cáp
//! quang", `households_passed`), cells are parsed the way Vietnamese
//! spreadsheets write numbers (1.234 and 1.234,5), and every row is checked on
//! its own. Checks that need the database (the unit exists, its households,
//! its boundary, accepted challenges) are in `checks`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::FilingKind;
use crate::coordinates::slug;
use crate::import::source::SourceRow;

/// How bad a problem is: errors stop a submission, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FilingProblemSeverity)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem of one row (or of the whole filing, without a row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = FilingProblem)]
pub struct Problem {
    /// 1 for the first row (of a spreadsheet, the row after the header); none for the whole filing.
    pub row: Option<i64>,
    /// The file's column the value came from, if it came from a file.
    pub column: Option<String>,
    /// The field of the filing: `unit`, `households_passed`, `geometry`, …
    pub field: String,
    /// A stable code the web app words (`unknown_unit`, `passed_exceeds_households`, …).
    pub code: String,
    /// The values the message names (`{"households": 120, "passed": 130}`).
    #[schema(value_type = Object)]
    pub params: Value,
    pub severity: Severity,
    /// The problem in English, for API users without the web app.
    pub problem: String,
}

impl Problem {
    pub fn error(
        row: Option<i64>,
        field: &str,
        code: &str,
        params: Value,
        problem: String,
    ) -> Self {
        Self {
            row,
            column: None,
            field: field.into(),
            code: code.into(),
            params,
            severity: Severity::Error,
            problem,
        }
    }

    pub fn warning(
        row: Option<i64>,
        field: &str,
        code: &str,
        params: Value,
        problem: String,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(row, field, code, params, problem)
        }
    }
}

/// One row before checking: its cells by field, and its geometry (GeoJSON in
/// the file's coordinates), with the column each field came from.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub row: i64,
    pub cells: BTreeMap<&'static str, Value>,
    pub columns: BTreeMap<&'static str, String>,
    pub geometry: Option<Value>,
}

/// A field a kind of filing takes, and the column names that mean it (as
/// slugs: lower-case ASCII, words joined by `-`).
struct Field {
    name: &'static str,
    required: bool,
    aliases: &'static [&'static str],
}

const UNIT: Field = Field {
    name: "unit",
    required: true,
    aliases: &[
        "unit",
        "unit-code",
        "neighbourhood",
        "neighbourhood-unit",
        "ma-don-vi",
        "don-vi",
        "don-vi-hanh-chinh",
        "dia-ban",
        "ma-to-dan-pho",
        "to-dan-pho",
        "ma-thon",
        "thon",
        "to-dan-pho-thon",
        "khu-dan-cu",
        "ma-khu-dan-cu",
    ],
};
const UNIT_NAME: Field = Field {
    name: "unit_name",
    required: false,
    aliases: &[
        "unit-name",
        "ten-don-vi",
        "ten-to-dan-pho",
        "ten-thon",
        "ten-khu-dan-cu",
    ],
};

const FIXED: &[Field] = &[
    UNIT,
    UNIT_NAME,
    Field {
        name: "households_passed",
        required: true,
        aliases: &[
            "households-passed",
            "so-ho-duoc-phu-cap-quang",
            "ho-duoc-phu-cap-quang",
            "so-ho-co-cap-quang",
            "so-ho-co-the-ket-noi-cap-quang",
            "so-ho-phu-cap-quang",
        ],
    },
    Field {
        name: "households_subscribed",
        required: true,
        aliases: &[
            "households-subscribed",
            "so-ho-thue-bao",
            "so-ho-thue-bao-cap-quang",
            "ho-thue-bao-cap-quang",
            "so-thue-bao-cap-quang",
            "thue-bao-cap-quang",
        ],
    },
    Field {
        name: "max_speed_mbps",
        required: true,
        aliases: &[
            "max-speed-mbps",
            "max-speed",
            "toc-do-toi-da",
            "toc-do-toi-da-mbps",
            "toc-do-cao-nhat",
            "toc-do-cao-nhat-mbps",
            "toc-do-mbps",
        ],
    },
];

const COVERAGE: &[Field] = &[Field {
    name: "technology",
    required: true,
    aliases: &[
        "technology",
        "tech",
        "radio",
        "cong-nghe",
        "cong-nghe-di-dong",
    ],
}];

const PLAN: &[Field] = &[
    Field {
        name: "item",
        required: true,
        aliases: &[
            "item",
            "kind",
            "loai",
            "hang-muc",
            "loai-hang-muc",
            "loai-cong-trinh",
        ],
    },
    Field {
        name: "description",
        required: true,
        aliases: &[
            "description",
            "mo-ta",
            "noi-dung",
            "ten-cong-trinh",
            "ten-hang-muc",
        ],
    },
    Field {
        name: "quantity",
        required: true,
        aliases: &[
            "quantity",
            "so-luong",
            "khoi-luong",
            "so-luong-khoi-luong",
            "khoi-luong-km",
        ],
    },
    Field {
        name: "unit",
        required: false,
        aliases: UNIT.aliases,
    },
    Field {
        name: "quarter",
        required: false,
        aliases: &["quarter", "quy", "quy-thuc-hien", "thoi-gian-quy"],
    },
];

/// Columns that are understood but not used (a template's households column, a row number).
const IGNORED: &[&str] = &[
    "stt",
    "so-thu-tu",
    "so-ho",
    "tong-so-ho",
    "households",
    "dan-so",
    "population",
    "ghi-chu",
    "note",
    "notes",
    "fid",
    "id",
    "ogc-fid",
];

fn fields(kind: FilingKind) -> &'static [Field] {
    match kind {
        FilingKind::FixedBroadband => FIXED,
        FilingKind::MobileCoverage => COVERAGE,
        FilingKind::YearlyPlan => PLAN,
    }
}

/// The field names of a kind, in the order a form or template shows them.
pub fn field_names(kind: FilingKind) -> Vec<&'static str> {
    fields(kind).iter().map(|f| f.name).collect()
}

/// The field a column means, if any.
fn field_for(kind: FilingKind, column: &str) -> Option<&'static str> {
    let s = slug(column);
    let s = s.as_str();
    fields(kind)
        .iter()
        .find(|f| slug(f.name) == s || f.aliases.contains(&s))
        .map(|f| f.name)
}

/// What the columns of a file mean: the field of each used column, the
/// problems of the file as a whole (a required column missing is an error,
/// an unknown column a warning).
pub fn match_columns(
    kind: FilingKind,
    columns: &[String],
    has_geometry: bool,
) -> (BTreeMap<String, &'static str>, Vec<Problem>) {
    let mut mapping = BTreeMap::new();
    let mut problems = Vec::new();
    for column in columns {
        match field_for(kind, column) {
            Some(field) if !mapping.values().any(|f| *f == field) => {
                mapping.insert(column.clone(), field);
            }
            Some(field) => problems.push(Problem::warning(
                None,
                field,
                "column_repeated",
                json!({"column": column, "field": field}),
                format!("column {column:?} also means {field}; the first such column is used"),
            )),
            None if IGNORED.contains(&slug(column).as_str()) => {}
            None => problems.push(Problem::warning(
                None,
                "file",
                "column_ignored",
                json!({"column": column}),
                format!("column {column:?} is not a field of this filing and is left out"),
            )),
        }
    }
    for field in fields(kind) {
        if field.required && !mapping.values().any(|f| *f == field.name) {
            problems.push(Problem::error(
                None,
                field.name,
                "column_missing",
                json!({"field": field.name}),
                format!(
                    "the file has no column for {}; name it {:?} or {:?}",
                    field.name, field.name, field.aliases[0]
                ),
            ));
        }
    }
    if kind == FilingKind::MobileCoverage && !has_geometry {
        problems.push(Problem::error(
            None,
            "geometry",
            "geometry_missing",
            json!({}),
            "coverage is filed as polygons: upload GeoJSON, a GeoPackage or a zipped Shapefile"
                .into(),
        ));
    }
    (mapping, problems)
}

/// Rows read from a file, by the column mapping.
pub fn from_file(rows: Vec<SourceRow>, mapping: &BTreeMap<String, &'static str>) -> Vec<RawRow> {
    rows.into_iter()
        .map(|source| {
            let mut raw = RawRow {
                row: source.row,
                geometry: source.geometry,
                ..RawRow::default()
            };
            for (column, value) in source.cells {
                if let Some(field) = mapping.get(&column) {
                    raw.cells.insert(field, value);
                    raw.columns.insert(field, column);
                }
            }
            raw
        })
        .collect()
}

/// Rows of the form: objects with the fields by name (and for coverage, a
/// `geometry`), numbered from 1.
pub fn from_form(kind: FilingKind, rows: Vec<Map<String, Value>>) -> (Vec<RawRow>, Vec<Problem>) {
    let mut problems = Vec::new();
    let raw = rows
        .into_iter()
        .enumerate()
        .map(|(i, object)| {
            let row = i as i64 + 1;
            let mut raw = RawRow {
                row,
                ..RawRow::default()
            };
            for (key, value) in object {
                if key == "geometry" {
                    raw.geometry = (!value.is_null()).then_some(value);
                } else if let Some(field) = field_for(kind, &key) {
                    raw.cells.insert(field, value);
                } else if !IGNORED.contains(&slug(&key).as_str()) {
                    problems.push(Problem::warning(
                        Some(row),
                        &key,
                        "field_ignored",
                        json!({"field": key}),
                        format!("{key:?} is not a field of this filing and is left out"),
                    ));
                }
            }
            raw
        })
        .collect();
    (raw, problems)
}

/// A number as a spreadsheet cell holds it: a JSON number, or text written
/// the Vietnamese way (`1.234` is a thousand two hundred and thirty-four,
/// `1.234,5` has a decimal comma) or the English way (`1234.5`).
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => {
            let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if text.is_empty() {
                return None;
            }
            let normal = if text.contains(',') {
                text.replace('.', "").replace(',', ".")
            } else if is_grouped_by_dots(&text) {
                text.replace('.', "")
            } else {
                text
            };
            normal.parse::<f64>().ok().filter(|n| n.is_finite())
        }
        _ => None,
    }
}

/// `1.234` or `12.345.678`: groups of three digits after dots.
fn is_grouped_by_dots(text: &str) -> bool {
    let mut parts = text.trim_start_matches('-').split('.');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The checks of one row that need nothing but the row.
struct RowCheck<'a> {
    raw: &'a RawRow,
    problems: Vec<Problem>,
    out: Map<String, Value>,
}

impl<'a> RowCheck<'a> {
    fn new(raw: &'a RawRow) -> Self {
        let mut out = Map::new();
        out.insert("row".into(), raw.row.into());
        Self {
            raw,
            problems: Vec::new(),
            out,
        }
    }

    fn problem(&mut self, field: &str, code: &str, params: Value, message: String) {
        let mut problem = Problem::error(Some(self.raw.row), field, code, params, message);
        problem.column = self.raw.columns.get(field).cloned();
        self.problems.push(problem);
    }

    fn cell(&self, field: &str) -> Option<&'a Value> {
        self.raw.cells.get(field).filter(|v| match v {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            _ => true,
        })
    }

    fn required_text(&mut self, field: &str) -> Option<String> {
        match self.cell(field).and_then(text) {
            Some(t) => {
                self.out.insert(field.into(), Value::String(t.clone()));
                Some(t)
            }
            None => {
                self.problem(field, "required", json!({}), format!("{field} is required"));
                None
            }
        }
    }

    fn optional_text(&mut self, field: &str) -> Option<String> {
        let value = self.cell(field).and_then(text);
        if let Some(t) = &value {
            self.out.insert(field.into(), Value::String(t.clone()));
        }
        value
    }

    /// A number in `min..=max`; `whole` for counts.
    fn number(
        &mut self,
        field: &str,
        required: bool,
        whole: bool,
        min: f64,
        max: f64,
    ) -> Option<f64> {
        let Some(value) = self.cell(field) else {
            if required {
                self.problem(field, "required", json!({}), format!("{field} is required"));
            }
            return None;
        };
        let Some(n) = number(value) else {
            self.problem(
                field,
                "not_a_number",
                json!({"value": value}),
                format!("{value} is not a number"),
            );
            return None;
        };
        if whole && n.fract() != 0.0 {
            self.problem(
                field,
                "not_whole",
                json!({"value": n}),
                format!("{n} is not a whole number"),
            );
            return None;
        }
        if n < min || n > max {
            self.problem(
                field,
                "out_of_range",
                json!({"value": n, "min": min, "max": max}),
                format!("{n} is outside {min} to {max}"),
            );
            return None;
        }
        self.out.insert(
            field.into(),
            if whole {
                Value::from(n as i64)
            } else {
                json!(n)
            },
        );
        Some(n)
    }
}

/// Largest count of households in one row (a neighbourhood unit has hundreds).
const MAX_HOUSEHOLDS: f64 = 1_000_000.0;
/// 100 Gb/s: more than any access line sold today.
const MAX_SPEED_MBPS: f64 = 100_000.0;

/// The technologies coverage is filed for.
pub const TECHNOLOGIES: [&str; 2] = ["4G", "5G"];

/// The items of an operator's yearly plan.
pub const PLAN_ITEMS: [&str; 3] = ["tower", "cable_route", "undergrounding"];

/// A technology as operators write it: `4G`, `LTE`, `5G`, `NR`, `5G NR`.
pub fn technology(text: &str) -> Option<&'static str> {
    match slug(text).as_str() {
        "4g" | "lte" | "4g-lte" | "lte-4g" => Some("4G"),
        "5g" | "nr" | "5g-nr" | "nr-5g" => Some("5G"),
        _ => None,
    }
}

/// A plan item as operators write it, in Vietnamese or English.
fn plan_item(text: &str) -> Option<&'static str> {
    let s = slug(text);
    match s.as_str() {
        "tower" | "towers" | "tram" | "tram-bts" | "bts" | "cot-ang-ten" | "cot-anten"
        | "tram-phat-song" | "tram-moi" | "cot-ang-ten-moi" => Some("tower"),
        "cable-route" | "cable" | "tuyen-cap" | "tuyen-cap-moi" | "tuyen-cap-quang"
        | "cap-quang" => Some("cable_route"),
        "undergrounding" | "ngam-hoa" | "ha-ngam" | "ngam-hoa-cap" | "ha-ngam-cap"
        | "km-ngam-hoa" => Some("undergrounding"),
        _ => None,
    }
}

/// Checks each row on its own; returns the rows as they will be stored (the
/// fields parsed, with `row`) and the problems found.
pub fn check(kind: FilingKind, raw: &[RawRow]) -> (Vec<Value>, Vec<Problem>) {
    let mut rows = Vec::with_capacity(raw.len());
    let mut problems = Vec::new();
    for r in raw {
        let mut c = RowCheck::new(r);
        match kind {
            FilingKind::FixedBroadband => {
                let unit = c.optional_text("unit");
                let name = c.optional_text("unit_name");
                if unit.is_none() && name.is_none() {
                    c.problem(
                        "unit",
                        "required",
                        json!({}),
                        "unit is required: the neighbourhood unit's code or name".into(),
                    );
                }
                let passed = c.number("households_passed", true, true, 0.0, MAX_HOUSEHOLDS);
                let subscribed = c.number("households_subscribed", true, true, 0.0, MAX_HOUSEHOLDS);
                let speed_required = passed.is_some_and(|p| p > 0.0);
                c.number("max_speed_mbps", speed_required, false, 0.0, MAX_SPEED_MBPS);
                if let (Some(p), Some(s)) = (passed, subscribed)
                    && s > p
                {
                    c.problem(
                        "households_subscribed",
                        "subscribed_exceeds_passed",
                        json!({"subscribed": s, "passed": p}),
                        format!("{s} households subscribed, but only {p} are passed by fibre"),
                    );
                }
            }
            FilingKind::MobileCoverage => {
                if let Some(t) = c.required_text("technology") {
                    match technology(&t) {
                        Some(tech) => {
                            c.out.insert("technology".into(), tech.into());
                        }
                        None => c.problem(
                            "technology",
                            "unknown_technology",
                            json!({"value": t, "allowed": TECHNOLOGIES}),
                            format!("{t:?} is not a technology coverage is filed for (4G or 5G)"),
                        ),
                    }
                }
                if r.geometry.is_none() {
                    c.problem(
                        "geometry",
                        "required",
                        json!({}),
                        "the row has no polygon".into(),
                    );
                }
            }
            FilingKind::YearlyPlan => {
                if let Some(t) = c.required_text("item") {
                    match plan_item(&t) {
                        Some(item) => {
                            c.out.insert("item".into(), item.into());
                        }
                        None => c.problem(
                            "item",
                            "unknown_item",
                            json!({"value": t, "allowed": PLAN_ITEMS}),
                            format!(
                                "{t:?} is not a plan item: tower (trạm), cable_route (tuyến cáp) or undergrounding (ngầm hóa, km)"
                            ),
                        ),
                    }
                }
                c.required_text("description");
                let whole = c.out.get("item").and_then(Value::as_str) == Some("tower");
                c.number("quantity", true, whole, f64::MIN_POSITIVE, 100_000.0);
                c.number("quarter", false, true, 1.0, 4.0);
                c.optional_text("unit");
            }
        }
        rows.push(Value::Object(c.out));
        problems.extend(c.problems);
    }
    (rows, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_read_as_meant() {
        assert_eq!(number(&json!("1.234")), Some(1234.0));
        assert_eq!(number(&json!("1.234,5")), Some(1234.5));
        assert_eq!(number(&json!("12.345.678")), Some(12_345_678.0));
        assert_eq!(number(&json!("1000")), Some(1000.0));
        assert_eq!(number(&json!("1.5")), Some(1.5));
        assert_eq!(number(&json!(" 300 ")), Some(300.0));
        assert_eq!(number(&json!("ba trăm")), None);
        assert_eq!(number(&json!(42)), Some(42.0));
    }

    #[test]
    fn vietnamese_headers_find_their_fields() {
        let columns: Vec<String> = [
            "STT",
            "Mã tổ dân phố",
            "Số hộ",
            "Số hộ được phủ cáp quang",
            "Số hộ thuê bao cáp quang",
            "Tốc độ tối đa (Mbps)",
            "Người lập",
        ]
        .map(String::from)
        .into();
        let (mapping, problems) = match_columns(FilingKind::FixedBroadband, &columns, false);
        assert_eq!(mapping["Mã tổ dân phố"], "unit");
        assert_eq!(mapping["Số hộ được phủ cáp quang"], "households_passed");
        assert_eq!(mapping["Số hộ thuê bao cáp quang"], "households_subscribed");
        assert_eq!(mapping["Tốc độ tối đa (Mbps)"], "max_speed_mbps");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "column_ignored");
        assert_eq!(problems[0].params["column"], "Người lập");
    }

    #[test]
    fn a_missing_required_column_is_an_error_of_the_file() {
        let (_, problems) = match_columns(FilingKind::FixedBroadband, &["unit".to_string()], false);
        let missing: Vec<&str> = problems
            .iter()
            .filter(|p| p.code == "column_missing")
            .map(|p| p.field.as_str())
            .collect();
        assert_eq!(
            missing,
            [
                "households_passed",
                "households_subscribed",
                "max_speed_mbps"
            ]
        );
    }

    fn raw(row: i64, cells: &[(&'static str, Value)]) -> RawRow {
        RawRow {
            row,
            cells: cells.iter().cloned().collect(),
            ..RawRow::default()
        }
    }

    #[test]
    fn fixed_rows_are_checked_one_by_one() {
        let (rows, problems) = check(
            FilingKind::FixedBroadband,
            &[
                raw(
                    1,
                    &[
                        ("unit", json!("TDP1")),
                        ("households_passed", json!("1.200")),
                        ("households_subscribed", json!(800)),
                        ("max_speed_mbps", json!(1000)),
                    ],
                ),
                raw(
                    2,
                    &[
                        ("unit", json!("TDP2")),
                        ("households_passed", json!(10)),
                        ("households_subscribed", json!(12)),
                        ("max_speed_mbps", json!("nhanh")),
                    ],
                ),
                raw(
                    3,
                    &[
                        ("households_passed", json!(0)),
                        ("households_subscribed", json!(0)),
                    ],
                ),
            ],
        );
        assert_eq!(rows[0]["households_passed"], 1200);
        let found: Vec<(Option<i64>, &str, &str)> = problems
            .iter()
            .map(|p| (p.row, p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Some(2), "max_speed_mbps", "not_a_number"),
                (
                    Some(2),
                    "households_subscribed",
                    "subscribed_exceeds_passed"
                ),
                (Some(3), "unit", "required"),
            ]
        );
    }

    #[test]
    fn plan_items_and_technologies_are_read_in_both_languages() {
        assert_eq!(plan_item("Trạm BTS"), Some("tower"));
        assert_eq!(plan_item("Ngầm hóa"), Some("undergrounding"));
        assert_eq!(plan_item("tuyến cáp"), Some("cable_route"));
        assert_eq!(technology("5G NR"), Some("5G"));
        assert_eq!(technology("LTE"), Some("4G"));
        assert_eq!(technology("3G"), None);
    }
}
