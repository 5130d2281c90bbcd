//! The field mapping: which column of an operator's file holds which
//! attribute of an asset. Files use their own headers ("Mã cột", "Chiều cao",
//! "X", "Y"), so an import proposes a mapping from the names — with Vietnamese
//! and English synonyms and the operator's mapping of last time — and the
//! operator corrects it before anything is validated.
//!
//! A mapped row becomes a GeoJSON Feature, the same document the API takes,
//! and is checked by the same parser (`AssetInput::parse`).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::source::{Column, SourceRow};
use super::values::ValueMapping;
use crate::assets::AssetKind;
use crate::assets::details::Details;
use crate::assets::input::COMPUTED;
use crate::coordinates::{self, slug};
use crate::tabular::labels;
use crate::validation::FieldProblem;
use crate::validation::{Code, Problem};

/// The type of value an attribute takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ImportValueType)]
pub enum ValueType {
    Text,
    Number,
    Integer,
    Boolean,
    /// A list of text values, written `4G,5G` or as a JSON array.
    TextList,
    /// A list of whole numbers (asset ids), written `12,13` or as a JSON array.
    IntegerList,
    /// Structured data written as JSON (a duct bank's pipes).
    Json,
}

/// An attribute a column can be mapped to.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportTarget)]
pub struct Target {
    pub name: String,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    pub required: bool,
    pub description: &'static str,
    /// The codes a coded attribute takes (a pole's material: concrete, steel, …);
    /// empty for free values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
}

/// Geometry targets: coordinates in two columns (x = longitude or easting,
/// y = latitude or northing) or one column of WKT.
pub const X: &str = "x";
pub const Y: &str = "y";
pub const WKT: &str = "wkt";

/// Every target of a kind: the core attributes, the kind's own (read from the
/// same struct the API parses, so the two cannot drift), and the geometry.
pub fn targets(kind: AssetKind) -> Vec<Target> {
    let core = |name: &str, value_type, required, description| Target {
        name: name.into(),
        value_type,
        required,
        description,
        codes: if name == "status" {
            crate::assets::kind::Status::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect()
        } else {
            Vec::new()
        },
    };
    let mut targets = vec![
        core(
            "code",
            ValueType::Text,
            true,
            "the operator's own code for the asset",
        ),
        core("name", ValueType::Text, false, ""),
        core(
            "operator",
            ValueType::Text,
            false,
            "owner operator code; must be the import's operator",
        ),
        core(
            "status",
            ValueType::Text,
            false,
            "proposed, planned, under_construction, operational, inactive, decommissioned",
        ),
        core(
            "accuracy_m",
            ValueType::Number,
            false,
            "positional accuracy, metres",
        ),
        core(
            "capacity",
            ValueType::Integer,
            false,
            "slots tenants can take",
        ),
        core("note", ValueType::Text, false, ""),
    ];
    let (schema, mut refs) = schema_of(kind);
    refs.retain(|(_, s)| !s.is_null());
    let refs: HashMap<String, Value> = refs.into_iter().collect();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            targets.push(Target {
                name: name.clone(),
                value_type: value_type(property, &refs),
                required: required.contains(&name.as_str()),
                description: "",
                codes: codes_of(property, &refs),
            });
        }
    }
    targets.push(core(
        X,
        ValueType::Number,
        false,
        "longitude, or easting in a projected CRS",
    ));
    targets.push(core(
        Y,
        ValueType::Number,
        false,
        "latitude, or northing in a projected CRS",
    ));
    targets.push(core(WKT, ValueType::Text, false, "the geometry as WKT"));
    targets
}

fn schema_of(kind: AssetKind) -> (Value, Vec<(String, Value)>) {
    let (_, schema, refs) = Details::schema(kind);
    let refs = refs
        .into_iter()
        .map(|(name, s)| (name, serde_json::to_value(s).unwrap_or(Value::Null)))
        .collect();
    (serde_json::to_value(schema).unwrap_or(Value::Null), refs)
}

fn value_type(property: &Value, refs: &HashMap<String, Value>) -> ValueType {
    let types: Vec<&str> = match &property["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"array") {
        let items = &property["items"];
        return match referenced(items, refs) {
            Some(schema) if schema.get("properties").is_some() => ValueType::Json,
            Some(_) => ValueType::TextList,
            None if items["type"] == "integer" => ValueType::IntegerList,
            None => ValueType::TextList,
        };
    }
    for t in types {
        match t {
            "number" => return ValueType::Number,
            "integer" => return ValueType::Integer,
            "boolean" => return ValueType::Boolean,
            "string" => return ValueType::Text,
            _ => {}
        }
    }
    // An enum behind a reference, perhaps inside oneOf with null.
    ValueType::Text
}

/// The enum values of a property (itself, behind a reference, inside `oneOf`
/// with null, or of a list's items).
fn codes_of(property: &Value, refs: &HashMap<String, Value>) -> Vec<String> {
    let of = |schema: &Value| -> Vec<String> {
        let schema = referenced(schema, refs).unwrap_or(schema);
        schema["enum"]
            .as_array()
            .map(|e| {
                e.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut codes = of(property);
    if codes.is_empty() {
        for key in ["oneOf", "anyOf", "allOf"] {
            for part in property[key].as_array().into_iter().flatten() {
                codes.extend(of(part));
            }
        }
    }
    if codes.is_empty() && property["items"].is_object() {
        codes = of(&property["items"]);
    }
    codes
}

fn referenced<'a>(schema: &Value, refs: &'a HashMap<String, Value>) -> Option<&'a Value> {
    let reference = schema["$ref"].as_str()?;
    refs.get(reference.rsplit('/').next()?)
}

/// Source column → target attribute; `None` leaves the column out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct Mapping(pub BTreeMap<String, Option<String>>);

impl Mapping {
    /// The column mapped to `target`.
    pub fn column_for(&self, target: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, t)| t.as_deref() == Some(target))
            .map(|(c, _)| c.as_str())
    }
}

/// Short column names for the Shapefile export (dBase allows 10 characters),
/// recognised again on import.
pub fn short_name(attribute: &str) -> String {
    let known = match attribute {
        "accuracy_m" => "accuracy",
        "operator_name" => "op_name",
        "ward_code" => "ward_code",
        "ward_name" => "ward_name",
        "tenant_count" => "tenants",
        "free_capacity" => "free_cap",
        "created_at" => "created",
        "updated_at" => "updated",
        other => Details::short_name(other).unwrap_or(other),
    };
    known.chars().take(10).collect()
}

/// Other names a column holding the attribute may have (as slugs: lower
/// case, no diacritics, words joined by `-`).
fn synonyms(target: &str) -> &'static [&'static str] {
    match target {
        "code" => &[
            "ma",
            "ma-tai-san",
            "ma-hieu",
            "so-hieu",
            "ky-hieu",
            "ma-cot",
            "ma-tram",
            "ma-be",
            "ma-tu",
            "ma-tuyen",
            "ma-cong",
            "asset-code",
            "id-code",
            "ref",
        ],
        "name" => &[
            "ten",
            "ten-tram",
            "ten-tuyen",
            "ten-tai-san",
            "ten-cot",
            "ten-be",
            "ten-tu",
            "ten-cong",
            "ten-hao",
            "ten-ho-ga",
            "ten-goi",
            "title",
        ],
        "operator" => &["chu-so-huu", "doanh-nghiep", "don-vi", "owner", "nha-mang"],
        "status" => &["trang-thai", "tinh-trang", "state"],
        "note" => &["ghi-chu", "mo-ta", "notes", "description", "remark"],
        "accuracy_m" => &["do-chinh-xac", "accuracy"],
        "capacity" => &["suc-chua", "so-vi-tri"],
        x if x == X => &[
            "x",
            "lon",
            "lng",
            "long",
            "longitude",
            "kinh-do",
            "easting",
            "e",
            "dong",
        ],
        y if y == Y => &["y", "lat", "latitude", "vi-do", "northing", "n", "bac"],
        w if w == WKT => &[
            "wkt", "geometry", "geom", "the-geom", "hinh-hoc", "wkt-geom",
        ],
        other => Details::synonyms(other).unwrap_or(&[]),
    }
}

/// Whether a column's name (as a slug) is the header an export in Vietnamese
/// or English gives `attribute` ("Chiều cao (m)", "Height (m)").
fn is_label_of(attribute: &str, column_slug: &str) -> bool {
    labels::attribute_names(attribute)
        .is_some_and(|(vi, en)| slug(vi) == column_slug || slug(en) == column_slug)
}

/// Columns Hatang writes in its own exports that are computed, not imported.
fn is_computed(column_slug: &str) -> bool {
    column_slug == "id"
        || is_label_of("id", column_slug)
        || COMPUTED.iter().any(|c| {
            slug(c) == column_slug
                || slug(&short_name(c)) == column_slug
                || is_label_of(c, column_slug)
        })
}

/// The headers an export in a language gives a geometry target's columns.
fn is_geometry_label(target: &str, column_slug: &str) -> bool {
    match target {
        X => is_label_of("longitude", column_slug) || is_label_of("easting", column_slug),
        Y => is_label_of("latitude", column_slug) || is_label_of("northing", column_slug),
        WKT => is_label_of("wkt", column_slug),
        _ => false,
    }
}

/// Proposes a mapping: the operator's saved mapping for columns it knows,
/// then names, synonyms and Hatang's own export names. Returns notes for
/// the person checking it.
pub fn suggest(
    kind: AssetKind,
    columns: &[Column],
    saved: Option<&Mapping>,
    srid: i32,
    has_geometry: bool,
) -> (Mapping, Vec<FieldProblem>) {
    let targets = targets(kind);
    let mut mapping = BTreeMap::new();
    let mut notes = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for column in columns {
        if let Some(Some(target)) = saved.and_then(|m| m.0.get(&column.name))
            && targets.iter().any(|t| &t.name == target)
            && !taken.contains(target)
        {
            taken.push(target.clone());
            mapping.insert(column.name.clone(), Some(target.clone()));
            continue;
        }
        let s = slug(&column.name);
        let free = |t: &&Target| {
            let geometry_target = [X, Y, WKT].contains(&t.name.as_str());
            !(taken.contains(&t.name) || has_geometry && geometry_target)
        };
        // A column named exactly as an attribute (or its Shapefile name) is that
        // attribute, before any synonym or label of another ("pipes" is the
        // pipes, not the English label of the pipe count).
        let found = targets
            .iter()
            .filter(free)
            .find(|t| slug(&t.name) == s || slug(&short_name(&t.name)) == s)
            .or_else(|| {
                targets.iter().filter(free).find(|t| {
                    synonyms(&t.name).contains(&s.as_str())
                        || is_label_of(&t.name, &s)
                        || is_geometry_label(&t.name, &s)
                })
            })
            // "Tên cột điện", "Mã số trạm": Vietnamese headers start with what
            // they hold (tên: the name, mã: the code) and go on with the thing named.
            .or_else(|| {
                if is_computed(&s) {
                    return None;
                }
                let word = |prefix: &str| s.starts_with(&format!("{prefix}-"));
                let target = if word("ten") {
                    "name"
                } else if word("ma") || word("so-hieu") || word("ky-hieu") {
                    "code"
                } else {
                    return None;
                };
                targets.iter().filter(free).find(|t| t.name == target)
            });
        match found {
            Some(t) if !is_computed(&s) || t.name == "code" => {
                taken.push(t.name.clone());
                mapping.insert(column.name.clone(), Some(t.name.clone()));
            }
            _ => {
                mapping.insert(column.name.clone(), None);
            }
        }
    }
    let mut mapping = Mapping(mapping);
    // Vietnamese survey files write X for the northing and Y for the easting.
    if coordinates::is_projected(srid)
        && let (Some(x_col), Some(y_col)) = (
            mapping.column_for(X).map(str::to_string),
            mapping.column_for(Y).map(str::to_string),
        )
    {
        let first = |name: &str| {
            columns
                .iter()
                .find(|c| c.name == name)
                .and_then(|c| c.samples.iter().find_map(number))
        };
        if let (Some(x), Some(y)) = (first(&x_col), first(&y_col))
            && looks_like_northing(x)
            && !looks_like_northing(y)
        {
            mapping.0.insert(x_col.clone(), Some(Y.into()));
            mapping.0.insert(y_col.clone(), Some(X.into()));
            notes.push(FieldProblem::new(
                "mapping",
                Problem::new(
                    Code::NorthingsFirst,
                    format!(
                        "column {x_col:?} holds northings and {y_col:?} eastings (the Vietnamese survey convention, X north, Y east): {x_col:?} is read as the northing and {y_col:?} as the easting"
                    ),
                )
                .with("northing", x_col.clone())
                .with("easting", y_col.clone()),
            ));
        }
    }
    let computed: Vec<&str> = columns
        .iter()
        .filter(|c| is_computed(&slug(&c.name)) && mapping.0.get(&c.name) == Some(&None))
        .map(|c| c.name.as_str())
        .collect();
    if !computed.is_empty() {
        notes.push(FieldProblem::new(
            "mapping",
            Problem::new(
                Code::ComputedColumns,
                format!(
                    "not imported, Hatang computes them: {}",
                    computed.join(", ")
                ),
            )
            .with("columns", computed.clone()),
        ));
    }
    (mapping, notes)
}

/// In Vietnam, northings run from about 650 000 m to 2 600 000 m; TM-3 and
/// UTM eastings stay between about 100 000 and 900 000 m.
pub fn looks_like_northing(value: f64) -> bool {
    (950_000.0..2_700_000.0).contains(&value)
}

/// Checks a mapping against the kind and the file's columns.
pub fn check(
    kind: AssetKind,
    mapping: &Mapping,
    columns: &[Column],
    has_geometry: bool,
) -> Vec<FieldProblem> {
    let targets = targets(kind);
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (column, target) in &mapping.0 {
        if !columns.iter().any(|c| &c.name == column) {
            problems.push(FieldProblem::new(
                format!("mapping.{column}"),
                "the file has no such column",
            ));
        }
        let Some(target) = target else { continue };
        if !targets.iter().any(|t| &t.name == target) {
            let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
            problems.push(FieldProblem::new(
                format!("mapping.{column}"),
                format!(
                    "a {} has no attribute {target:?}; one of {}",
                    kind.as_str(),
                    names.join(", ")
                ),
            ));
        } else if let Some(other) = seen.insert(target, column) {
            problems.push(FieldProblem::new(
                format!("mapping.{column}"),
                format!("{target} is already taken from column {other:?}"),
            ));
        }
    }
    if mapping.column_for("code").is_none() {
        problems.push(FieldProblem::new(
            "mapping",
            format!(
                "no column is mapped to code, the operator's own code of each {}: it is required, and it is how a re-import finds the asset to update",
                kind.as_str()
            ),
        ));
    }
    let xy = (
        mapping.column_for(X).is_some(),
        mapping.column_for(Y).is_some(),
    );
    if xy.0 != xy.1 {
        problems.push(FieldProblem::new("mapping", "map both x and y, or neither"));
    }
    let has_coordinates = xy.0 && xy.1 || mapping.column_for(WKT).is_some();
    if !(has_geometry || has_coordinates) {
        problems.push(FieldProblem::new(
            "mapping",
            "the file has no geometry: map two columns to x and y (longitude/latitude or easting/northing), or one to wkt",
        ));
    }
    problems
}

/// A problem of one row, with the file's column where it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RowProblem {
    /// The row (1 = the first after the header); absent for the whole file.
    pub row: Option<i64>,
    pub field: String,
    pub column: Option<String>,
    /// What is wrong, as a stable code (absent in jobs stored before codes).
    #[serde(default)]
    pub code: Code,
    /// The code's parameters.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
    /// What is wrong, in English.
    pub problem: String,
}

impl RowProblem {
    /// `problem` of `row` (or of the whole file), read from `column`.
    pub fn new(row: Option<i64>, column: Option<String>, problem: FieldProblem) -> Self {
        Self {
            row,
            field: problem.field,
            column,
            code: problem.code,
            params: problem.params,
            problem: problem.problem,
        }
    }

    /// A problem of the whole file, under `field`.
    pub fn of_file(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self::new(None, None, FieldProblem::new(field, problem))
    }
}

/// Turns a mapped row into the Feature the API would receive, in the file's
/// coordinates (`crs` member when not WGS84), owned by `operator`, with the
/// problems of cells that could not be read (those are left out of the
/// Feature, so that the parser still reports everything else). An empty cell
/// is `null`: for an existing asset it clears the attribute.
pub fn to_feature(
    kind: AssetKind,
    targets: &[Target],
    mapping: &Mapping,
    values: &ValueMapping,
    row: &SourceRow,
    srid: i32,
    operator: &str,
) -> (Value, Vec<FieldProblem>) {
    let mut properties = Map::new();
    let mut problems = Vec::new();
    let (mut x, mut y, mut wkt) = (None, None, None);
    for (column, value) in &row.cells {
        let Some(Some(target)) = mapping.0.get(column) else {
            continue;
        };
        let Some(t) = targets.iter().find(|t| &t.name == target) else {
            continue;
        };
        // A coded attribute takes the code the operator's word was mapped to.
        let value = &super::values::apply(values, target, value);
        match convert(value, t.value_type) {
            Ok(v) => match target.as_str() {
                X => x = v.as_f64(),
                Y => y = v.as_f64(),
                WKT => wkt = v.as_str().map(str::to_string),
                _ => {
                    properties.insert(target.clone(), v);
                }
            },
            Err(problem) => problems.push(FieldProblem::new(target.clone(), problem)),
        }
    }
    for (column, cell, formula) in &row.formulas {
        let field = mapping
            .0
            .get(column)
            .cloned()
            .flatten()
            .unwrap_or_else(|| column.clone());
        problems.push(FieldProblem::new(
            field,
            Problem::new(
                Code::FormulaCell,
                format!(
                    "cell {cell} (column {column:?}) holds a formula ({formula}); Hatang imports values, not formulas: \
                     replace it by its value (copy, then Paste Special → Values) and upload the file again"
                ),
            )
            .with("cell", cell.as_str())
            .with("column", column.as_str())
            .with("formula", formula.as_str()),
        ));
    }
    match properties.get("operator") {
        None | Some(Value::Null) => {
            properties.insert("operator".into(), Value::String(operator.into()));
        }
        Some(Value::String(o)) if o.trim() == operator => {
            properties.insert("operator".into(), Value::String(operator.into()));
        }
        Some(other) => problems.push(FieldProblem::new(
            "operator",
            format!("the row belongs to {other}; this import is for {operator}'s assets"),
        )),
    }
    let geometry = if mapping.column_for(X).is_some() {
        match (x, y) {
            (Some(x), Some(y)) => Some(json!({"type": "Point", "coordinates": [x, y]})),
            _ => {
                problems.push(FieldProblem::new("geometry", "the x or y column is empty"));
                None
            }
        }
    } else if mapping.column_for(WKT).is_some() {
        match wkt.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            None => {
                problems.push(FieldProblem::new("geometry", "the wkt column is empty"));
                None
            }
            Some(text) => match gdal::vector::Geometry::from_wkt(text).and_then(|g| g.json()) {
                Ok(json) => serde_json::from_str(&json).ok(),
                Err(_) => {
                    problems.push(FieldProblem::new(
                        "geometry",
                        format!("cannot read the WKT {:?}", truncate(text)),
                    ));
                    None
                }
            },
        }
    } else {
        match &row.geometry {
            Some(g) => Some(g.clone()),
            None => {
                problems.push(FieldProblem::new("geometry", "the row has no geometry"));
                None
            }
        }
    };
    let mut feature = json!({"type": "Feature", "geometry": geometry.map(|g| single_part(kind, g)), "properties": properties});
    if srid != crate::coordinates::WGS84 {
        feature["crs"] = json!({"type": "name", "properties": {"name": format!("EPSG:{srid}")}});
    }
    (feature, problems)
}

/// The Feature of a new asset: empty cells are simply absent.
pub fn without_nulls(mut feature: Value) -> Value {
    if let Some(properties) = feature["properties"].as_object_mut() {
        properties.retain(|_, v| !v.is_null());
    }
    feature
}

/// The parser's problems, less those about fields whose cell already has one
/// (a cell that is not a number is not also "required").
pub fn merge_problems(
    mut cells: Vec<FieldProblem>,
    parsed: Vec<FieldProblem>,
) -> Vec<FieldProblem> {
    let known: Vec<String> = cells.iter().map(|p| p.field.clone()).collect();
    cells.extend(parsed.into_iter().filter(|p| !known.contains(&p.field)));
    cells
}

/// A multi-geometry of one part, as its part (Shapefile and GeoPackage
/// layers are often Multi* even when every feature has one part).
fn single_part(kind: AssetKind, geometry: Value) -> Value {
    use crate::assets::kind::Shape;
    let single = match (kind.shape(), geometry["type"].as_str()) {
        (Shape::Point, Some("MultiPoint")) => "Point",
        (Shape::Line, Some("MultiLineString")) => "LineString",
        _ => return geometry,
    };
    match geometry["coordinates"].as_array() {
        Some(parts) if parts.len() == 1 => json!({"type": single, "coordinates": parts[0]}),
        _ => geometry,
    }
}

fn truncate(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_number(s),
        _ => None,
    }
}

/// `8.5`, `8,5` (Vietnamese decimal comma), ` 1 671 816,86 `.
fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<f64>() {
        return Some(v);
    }
    if t.matches(',').count() == 1 && !t.contains('.') {
        return t.replace(',', ".").parse().ok();
    }
    None
}

/// A cell as the JSON value of an attribute of `value_type`.
pub fn convert(value: &Value, value_type: ValueType) -> Result<Value, String> {
    let text = match value {
        Value::Null => return Ok(Value::Null),
        Value::String(s) if s.trim().is_empty() => return Ok(Value::Null),
        Value::String(s) => Some(s.trim()),
        _ => None,
    };
    match value_type {
        ValueType::Text => Ok(match value {
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    Value::String(format!("{}", f as i64))
                }
                _ => Value::String(n.to_string()),
            },
            Value::String(_) => Value::String(text.unwrap_or_default().to_string()),
            other => Value::String(other.to_string()),
        }),
        ValueType::Number => number(value)
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{value} is not a number")),
        ValueType::Integer => match number(value) {
            Some(f) if f.fract() == 0.0 => Ok(Value::from(f as i64)),
            _ => Err(format!("{value} is not a whole number")),
        },
        ValueType::Boolean => match text.map(slug).as_deref() {
            Some("true" | "yes" | "co" | "1" | "x") => Ok(Value::Bool(true)),
            Some("false" | "no" | "khong" | "0") => Ok(Value::Bool(false)),
            _ => match value {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                Value::Number(n) => Ok(Value::Bool(n.as_f64() != Some(0.0))),
                _ => Err(format!("{value} is not yes or no")),
            },
        },
        ValueType::TextList | ValueType::IntegerList => {
            let items: Vec<Value> = match (value, text) {
                (Value::Array(items), _) => items.clone(),
                (_, Some(t)) if t.starts_with('[') => match serde_json::from_str::<Value>(t) {
                    Ok(Value::Array(items)) => items,
                    _ => return Err(format!("{t:?} is not a JSON list")),
                },
                (_, Some(t)) => t
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
                (other, None) => vec![other.clone()],
            };
            let item_type = if value_type == ValueType::IntegerList {
                ValueType::Integer
            } else {
                ValueType::Text
            };
            items
                .iter()
                .map(|item| convert(item, item_type))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        ValueType::Json => match (value, text) {
            (_, Some(t)) => serde_json::from_str(t).map_err(|e| format!("is not valid JSON: {e}")),
            (other, None) => Ok(other.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, samples: Vec<Value>) -> Column {
        Column {
            name: name.into(),
            kind: "String".into(),
            samples,
        }
    }

    #[test]
    fn targets_come_from_the_kind_structs() {
        let towers = targets(AssetKind::Tower);
        let find = |n: &str| towers.iter().find(|t| t.name == n).unwrap();
        assert_eq!(find("height_m").value_type, ValueType::Number);
        assert!(find("tower_class").required);
        assert_eq!(find("technologies").value_type, ValueType::TextList);
        let ducts = targets(AssetKind::Duct);
        assert_eq!(
            ducts.iter().find(|t| t.name == "pipes").unwrap().value_type,
            ValueType::Json
        );
        let cables = targets(AssetKind::Cable);
        assert_eq!(
            cables
                .iter()
                .find(|t| t.name == "carried_by")
                .unwrap()
                .value_type,
            ValueType::IntegerList
        );
    }

    #[test]
    fn vietnamese_headers_are_recognised_and_x_y_follow_the_survey_convention() {
        let columns = vec![
            column("Mã cột", vec![json!("P-1")]),
            column("Chiều cao (m)", vec![json!("8,5")]),
            column("Vật liệu", vec![json!("concrete")]),
            column("X", vec![json!(1671816.86)]),
            column("Y", vec![json!(585793.02)]),
            column("ward_name", vec![json!("Chánh Lộ")]),
        ];
        let (mapping, notes) = suggest(AssetKind::Pole, &columns, None, 910800, false);
        assert_eq!(mapping.column_for("code"), Some("Mã cột"));
        assert_eq!(mapping.column_for("height_m"), Some("Chiều cao (m)"));
        assert_eq!(mapping.column_for("material"), Some("Vật liệu"));
        assert_eq!(mapping.column_for(Y), Some("X"));
        assert_eq!(mapping.column_for(X), Some("Y"));
        assert_eq!(mapping.0["ward_name"], None);
        assert!(
            notes
                .iter()
                .any(|n| n.code == Code::NorthingsFirst && n.problem.contains("northings")),
            "{notes:?}"
        );
        assert!(check(AssetKind::Pole, &mapping, &columns, false).is_empty());
    }

    #[test]
    fn cells_are_converted_to_the_attribute_type() {
        assert_eq!(convert(&json!("8,5"), ValueType::Number), Ok(json!(8.5)));
        assert_eq!(convert(&json!(12.0), ValueType::Text), Ok(json!("12")));
        assert_eq!(
            convert(&json!("4G, 5G"), ValueType::TextList),
            Ok(json!(["4G", "5G"]))
        );
        assert_eq!(
            convert(&json!("[\"4G\"]"), ValueType::TextList),
            Ok(json!(["4G"]))
        );
        assert_eq!(
            convert(&json!("12;13"), ValueType::IntegerList),
            Ok(json!([12, 13]))
        );
        assert_eq!(convert(&json!(""), ValueType::Number), Ok(Value::Null));
        assert!(convert(&json!("tall"), ValueType::Number).is_err());
    }

    #[test]
    fn a_row_without_code_mapping_is_refused() {
        let columns = vec![column("height", vec![])];
        let mut m = BTreeMap::new();
        m.insert("height".to_string(), Some("height_m".to_string()));
        let problems = check(AssetKind::Pole, &Mapping(m), &columns, true);
        assert!(
            problems.iter().any(|p| p.problem.contains("code")),
            "{problems:?}"
        );
    }
}
