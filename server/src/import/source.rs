//! Reading operators' files with GDAL: which format a file is, its layers,
//! columns and coordinate system, and its rows one after the other.
//!
//! GDAL datasets are not shared between threads: everything here runs on a
//! blocking thread, and rows travel to the async side in batches.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::archive::{self, ArchiveLimits, FormulaCell};
use crate::coordinates::{self, VN2000, WGS84};

/// The file formats an import takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    GeoJson,
    Csv,
    Xlsx,
    /// A zipped Shapefile (`.shp`, `.shx`, `.dbf`, `.prj` in one `.zip`).
    Shapefile,
    GeoPackage,
    Kml,
}

impl Format {
    /// The format a file name says, by its extension.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit('.').next()?;
        Some(match ext {
            "geojson" | "json" => Self::GeoJson,
            "csv" | "txt" => Self::Csv,
            "xlsx" => Self::Xlsx,
            "zip" | "shz" => Self::Shapefile,
            "gpkg" => Self::GeoPackage,
            "kml" => Self::Kml,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON",
            Self::Csv => "CSV",
            Self::Xlsx => "XLSX",
            Self::Shapefile => "Shapefile (zipped)",
            Self::GeoPackage => "GeoPackage",
            Self::Kml => "KML",
        }
    }

    /// The only GDAL drivers allowed to open such a file, so that a file
    /// cannot make GDAL read anything else (a VRT pointing at local files, say).
    fn drivers(self) -> &'static [&'static str] {
        match self {
            Self::GeoJson => &["GeoJSON"],
            Self::Csv => &["CSV"],
            Self::Xlsx => &["XLSX"],
            Self::Shapefile => &["ESRI Shapefile"],
            Self::GeoPackage => &["GPKG"],
            Self::Kml => &["LIBKML", "KML"],
        }
    }

    fn open_options(self) -> &'static [&'static str] {
        match self {
            // Every cell as text, the separator guessed (Vietnamese Excel writes `;`).
            Self::Csv => &[
                "HEADERS=YES",
                "SEPARATOR=AUTO",
                "AUTODETECT_TYPE=NO",
                "EMPTY_STRING_AS_NULL=YES",
            ],
            _ => &[],
        }
    }

    /// Whether coordinates come from columns rather than geometries.
    pub fn is_table(self) -> bool {
        matches!(self, Self::Csv | Self::Xlsx)
    }

    /// Formats whose layers are parts of one data set, read one after another
    /// (KML folders), rather than alternatives to choose from.
    fn reads_all_layers(self) -> bool {
        matches!(self, Self::Kml)
    }
}

/// The supported extensions, for messages.
pub const EXTENSIONS: &str = ".geojson/.json, .csv, .xlsx, .zip (Shapefile), .gpkg, .kml";

/// Why a file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read {file} as {format}: {reason}")]
    Unreadable {
        file: String,
        format: &'static str,
        reason: String,
    },
    #[error("the file has no layer named {0:?}")]
    NoSuchLayer(String),
    #[error(
        "the file has more than {0} rows, the limit of one import; split it into several files"
    )]
    TooManyRows(u64),
    #[error("{0}")]
    Archive(#[from] super::archive::ArchiveError),
}

static GDAL_SETUP: Once = Once::new();

/// GDAL's messages go to the log, and files may not make it fetch URLs.
fn setup_gdal() {
    GDAL_SETUP.call_once(|| {
        let _ = gdal::config::set_config_option("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".hatang-none");
        let _ = gdal::config::set_config_option("GDAL_HTTP_TIMEOUT", "1");
        // GDAL 3.6 reads these for XLSX (no open options yet): the first row
        // is the header, even when every cell of the sheet is text.
        let _ = gdal::config::set_config_option("OGR_XLSX_HEADERS", "FORCE");
        let _ = gdal::config::set_config_option("OGR_XLSX_FIELD_TYPES", "AUTO");
        // LIBKML turns ExtendedData names into ASCII ("Chiều cao" → "Chi___u_cao"):
        // keep them as written, so Vietnamese column names map as they do elsewhere.
        let _ = gdal::config::set_config_option("LIBKML_LAUNDER_FIELD_NAMES", "NO");
        gdal::config::set_error_handler(|class, number, message| {
            tracing::debug!(?class, number, message, "GDAL");
        });
    });
}

/// A file GDAL can open: in memory (an upload) or on disk (the command line).
pub struct SourceFile {
    pub name: String,
    pub format: Format,
    /// What GDAL opens: a path, `/vsimem/...`, or `/vsizip/...`.
    gdal_path: String,
    mem_file: Option<String>,
    /// A workbook's formula cells by sheet and spreadsheet row.
    formulas: HashMap<(String, u32), Vec<FormulaCell>>,
}

/// The formula cells of a workbook, by sheet and row.
fn by_row(cells: Vec<FormulaCell>) -> HashMap<(String, u32), Vec<FormulaCell>> {
    let mut map: HashMap<(String, u32), Vec<FormulaCell>> = HashMap::new();
    for cell in cells {
        map.entry((cell.sheet.clone(), cell.sheet_row))
            .or_default()
            .push(cell);
    }
    map
}

/// Whether the format is a zip container the import unpacks.
fn is_zip(format: Format) -> bool {
    matches!(format, Format::Shapefile | Format::Xlsx)
}

static MEM_FILES: AtomicU64 = AtomicU64::new(0);

impl SourceFile {
    /// A file held in memory, named as it was uploaded. A zip container is
    /// checked against `limits` first.
    pub fn in_memory(
        name: &str,
        format: Format,
        bytes: Vec<u8>,
        limits: &ArchiveLimits,
    ) -> Result<Self, SourceError> {
        setup_gdal();
        let formulas = if is_zip(format) {
            archive::inspect(
                std::io::Cursor::new(&bytes),
                bytes.len() as u64,
                limits,
                format == Format::Xlsx,
            )?
        } else {
            Vec::new()
        };
        let n = MEM_FILES.fetch_add(1, Ordering::Relaxed);
        let safe_name: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mem = format!(
            "/vsimem/hatang-import-{}-{n}/{safe_name}",
            std::process::id()
        );
        gdal::vsi::create_mem_file(&mem, bytes).map_err(|e| SourceError::Unreadable {
            file: name.to_string(),
            format: format.label(),
            reason: e.to_string(),
        })?;
        let gdal_path = if format == Format::Shapefile {
            format!("/vsizip/{mem}")
        } else {
            mem.clone()
        };
        Ok(Self {
            name: name.to_string(),
            format,
            gdal_path,
            mem_file: Some(mem),
            formulas: by_row(formulas),
        })
    }

    /// A file on disk; a zip container is checked against `limits` first.
    pub fn on_disk(
        path: &Path,
        format: Format,
        limits: &ArchiveLimits,
    ) -> Result<Self, SourceError> {
        setup_gdal();
        let formulas = if is_zip(format) {
            let file = std::fs::File::open(path).map_err(|e| SourceError::Unreadable {
                file: path.display().to_string(),
                format: format.label(),
                reason: e.to_string(),
            })?;
            let packed = file.metadata().map(|m| m.len()).unwrap_or(0);
            archive::inspect(
                std::io::BufReader::new(file),
                packed,
                limits,
                format == Format::Xlsx,
            )?
        } else {
            Vec::new()
        };
        let text = path.display().to_string();
        let gdal_path =
            if format == Format::Shapefile && text.to_ascii_lowercase().ends_with(".zip") {
                format!("/vsizip/{text}")
            } else {
                text.clone()
            };
        Ok(Self {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or(text),
            format,
            gdal_path,
            mem_file: None,
            formulas: by_row(formulas),
        })
    }

    fn open(&self) -> Result<Dataset, SourceError> {
        Dataset::open_ex(
            &self.gdal_path,
            DatasetOptions {
                open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
                allowed_drivers: Some(self.format.drivers()),
                open_options: Some(self.format.open_options()),
                sibling_files: None,
            },
        )
        .map_err(|e| self.unreadable(e.to_string()))
    }

    fn unreadable(&self, reason: String) -> SourceError {
        SourceError::Unreadable {
            file: self.name.clone(),
            format: self.format.label(),
            reason: reason.trim().to_string(),
        }
    }
}

impl Drop for SourceFile {
    fn drop(&mut self) {
        if let Some(mem) = &self.mem_file {
            let _ = gdal::vsi::unlink_mem_file(mem);
        }
    }
}

/// One column of the file, with a few example values.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportColumn)]
pub struct Column {
    pub name: String,
    /// GDAL's type name: String, Integer, Real, Date, ...
    #[serde(rename = "type")]
    pub kind: String,
    pub samples: Vec<Value>,
}

/// The coordinate system a file declares.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportDeclaredCrs)]
pub struct DeclaredCrs {
    /// The SRID Hatang knows it by, if it recognises it.
    pub srid: Option<i32>,
    /// What the file says (its name or PROJ string).
    pub description: String,
}

/// What a file holds, before any mapping.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportOverview)]
pub struct Overview {
    pub format: &'static str,
    pub layers: Vec<String>,
    /// The layer (or, for KML, the first of the layers) that is read.
    pub layer: String,
    /// Rows in the layer(s) read, when GDAL can tell without reading them all.
    pub feature_count: Option<u64>,
    pub geometry_type: Option<String>,
    pub declared_crs: Option<DeclaredCrs>,
    pub columns: Vec<Column>,
    /// The first rows.
    pub sample: Vec<SourceRow>,
}

/// One row of the file: its cells and its geometry as GeoJSON (in the file's
/// own coordinates).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportSourceRow)]
pub struct SourceRow {
    /// 1 for the first row (for a spreadsheet, the row after the header).
    pub row: i64,
    pub cells: Vec<(String, Value)>,
    pub geometry: Option<Value>,
    /// Cells of a workbook that hold a formula: column name, cell, formula.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub formulas: Vec<(String, String, String)>,
}

/// Looks at a file: layers, columns, declared CRS and the first `sample` rows.
pub fn overview(
    file: &SourceFile,
    layer: Option<&str>,
    sample: usize,
) -> Result<Overview, SourceError> {
    let dataset = file.open()?;
    let layers: Vec<String> = dataset.layers().map(|l| l.name()).collect();
    if layers.is_empty() {
        return Err(file.unreadable("it holds no layer of features".into()));
    }
    let chosen = choose_layer(&dataset, &layers, layer)?;
    let mut lyr = dataset
        .layer_by_name(&chosen)
        .map_err(|e| file.unreadable(e.to_string()))?;
    let feature_count = if file.format.reads_all_layers() {
        let mut total = 0;
        for l in dataset.layers() {
            total += l.try_feature_count().unwrap_or(0);
        }
        Some(total)
    } else {
        lyr.try_feature_count()
    };
    let declared_crs = lyr.spatial_ref().map(|srs| declared(&srs));
    let geometry_type = {
        let ty = lyr.defn().geom_fields().next().map(|g| g.field_type());
        ty.filter(|t| *t != gdal::vector::OGRwkbGeometryType::wkbNone)
            .map(gdal::vector::geometry_type_to_name)
    };
    let mut columns: Vec<Column> = lyr
        .defn()
        .fields()
        .map(|f| Column {
            name: f.name(),
            kind: gdal::vector::field_type_to_name(f.field_type()),
            samples: Vec::new(),
        })
        .collect();
    let names = field_names(&lyr);
    let mut rows = Vec::new();
    for (i, feature) in lyr.features().take(sample).enumerate() {
        rows.push(row_of(file, &chosen, i as i64 + 1, &names, &feature));
    }
    for column in &mut columns {
        column.samples = rows
            .iter()
            .filter_map(|r| {
                r.cells
                    .iter()
                    .find(|(n, _)| *n == column.name)
                    .map(|(_, v)| v.clone())
            })
            .filter(|v| !v.is_null())
            .take(3)
            .collect();
    }
    Ok(Overview {
        format: file.format.label(),
        layers,
        layer: chosen,
        feature_count,
        geometry_type,
        declared_crs,
        columns,
        sample: rows,
    })
}

fn choose_layer(
    dataset: &Dataset,
    layers: &[String],
    wanted: Option<&str>,
) -> Result<String, SourceError> {
    if let Some(wanted) = wanted {
        return layers
            .iter()
            .find(|l| *l == wanted)
            .cloned()
            .ok_or_else(|| SourceError::NoSuchLayer(wanted.to_string()));
    }
    // The first layer with features, else the first.
    Ok(dataset
        .layers()
        .find(|l| l.try_feature_count().unwrap_or(1) > 0)
        .map(|l| l.name())
        .unwrap_or_else(|| layers[0].clone()))
}

/// Reads every row, handing them to `deliver` in batches of `batch`;
/// `deliver` returns false to stop. More than `max_rows` rows is an error.
pub fn read_rows(
    file: &SourceFile,
    layer: Option<&str>,
    max_rows: u64,
    batch: usize,
    mut deliver: impl FnMut(Vec<SourceRow>) -> bool,
) -> Result<u64, SourceError> {
    let dataset = file.open()?;
    let layers: Vec<String> = dataset.layers().map(|l| l.name()).collect();
    if layers.is_empty() {
        return Err(file.unreadable("it holds no layer of features".into()));
    }
    let names = if file.format.reads_all_layers() && layer.is_none() {
        layers.clone()
    } else {
        vec![choose_layer(&dataset, &layers, layer)?]
    };
    let mut n: u64 = 0;
    let mut rows = Vec::with_capacity(batch);
    for name in names {
        let mut lyr = dataset
            .layer_by_name(&name)
            .map_err(|e| file.unreadable(e.to_string()))?;
        let names = field_names(&lyr);
        for feature in lyr.features() {
            n += 1;
            if n > max_rows {
                return Err(SourceError::TooManyRows(max_rows));
            }
            rows.push(row_of(file, &name, n as i64, &names, &feature));
            if rows.len() >= batch
                && !deliver(std::mem::replace(&mut rows, Vec::with_capacity(batch)))
            {
                return Ok(n);
            }
        }
    }
    if !rows.is_empty() {
        deliver(rows);
    }
    Ok(n)
}

/// The distinct values of `columns` (text as written) with how many rows hold
/// each, from the first `max_rows` rows, at most `max_values` per column; and
/// whether every row was read.
pub type Distinct = std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>;

pub fn distinct_values(
    file: &SourceFile,
    layer: Option<&str>,
    columns: &[String],
    max_rows: u64,
    max_values: usize,
) -> Result<(Distinct, bool), SourceError> {
    let mut distinct: Distinct = columns
        .iter()
        .map(|c| (c.clone(), Default::default()))
        .collect();
    let mut seen: u64 = 0;
    let mut complete = true;
    read_rows(file, layer, u64::MAX, 1000, |rows| {
        for row in rows {
            seen += 1;
            if seen > max_rows {
                complete = false;
                return false;
            }
            for (column, value) in &row.cells {
                let Some(counts) = distinct.get_mut(column) else {
                    continue;
                };
                let Some(text) = super::values::cell_text(value) else {
                    continue;
                };
                // A list cell (4G,5G) counts each of its items.
                let items: Vec<String> = if text.contains([',', ';']) && !text.starts_with('[') {
                    text.split([',', ';'])
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect()
                } else {
                    vec![text]
                };
                for item in items {
                    if counts.len() < max_values || counts.contains_key(&item) {
                        *counts.entry(item).or_default() += 1;
                    } else {
                        complete = false;
                    }
                }
            }
        }
        true
    })?;
    Ok((distinct, complete))
}

fn field_names(layer: &gdal::vector::Layer) -> Vec<String> {
    layer.defn().fields().map(|f| f.name()).collect()
}

/// Whether a feature has a value for field `index` at all: GeoJSON and KML
/// features may leave properties out, and the gdal crate reads such unset
/// fields as 0 or "" (it checks only for null).
#[allow(unsafe_code)]
fn is_set(feature: &gdal::vector::Feature, index: usize) -> bool {
    let Ok(index) = i32::try_from(index) else {
        return false;
    };
    // SAFETY: the handle belongs to `feature`, alive for this call;
    // OGR_F_IsFieldSet only reads it and checks the index itself.
    unsafe { gdal_sys::OGR_F_IsFieldSet(feature.c_feature(), index) != 0 }
}

fn row_of(
    file: &SourceFile,
    layer: &str,
    row: i64,
    names: &[String],
    feature: &gdal::vector::Feature,
) -> SourceRow {
    let table = file.format.is_table();
    let cells = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let value = if is_set(feature, i) {
                feature.field(i).ok().flatten().map(cell)
            } else {
                None
            };
            // A spreadsheet export's neutralised formula-like text, as it was.
            let value = match value {
                Some(Value::String(text)) if table => {
                    Some(Value::String(crate::tabular::unquoted(&text).to_string()))
                }
                other => other,
            };
            (name.clone(), value.unwrap_or(Value::Null))
        })
        .collect();
    let geometry = feature
        .geometry()
        .filter(|g| !g.is_empty())
        .and_then(|g| g.json().ok())
        .and_then(|text| serde_json::from_str(&text).ok());
    // The header is the sheet's first row.
    let formulas = u32::try_from(row + 1)
        .ok()
        .and_then(|sheet_row| file.formulas.get(&(layer.to_string(), sheet_row)))
        .map(|cells| {
            cells
                .iter()
                .map(|c| {
                    let column = names
                        .get(c.column)
                        .cloned()
                        .unwrap_or_else(|| c.cell.clone());
                    (column, c.cell.clone(), c.formula.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    SourceRow {
        row,
        cells,
        geometry,
        formulas,
    }
}

fn cell(value: FieldValue) -> Value {
    match value {
        FieldValue::IntegerValue(v) => Value::from(v),
        FieldValue::Integer64Value(v) => Value::from(v),
        FieldValue::RealValue(v) => serde_json::Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        FieldValue::StringValue(v) => Value::String(v),
        FieldValue::DateValue(v) => Value::String(v.to_string()),
        FieldValue::DateTimeValue(v) => Value::String(v.to_rfc3339()),
        FieldValue::IntegerListValue(v) => Value::from(v),
        FieldValue::Integer64ListValue(v) => Value::from(v),
        FieldValue::RealListValue(v) => Value::from(v),
        FieldValue::StringListValue(v) => Value::from(v),
    }
}

/// Recognises the CRS a file declares: an EPSG code, or a VN-2000 TM-3 zone
/// described by its parameters (what a `.prj` or a GeoPackage written by
/// other software holds for the zones without an EPSG code).
fn declared(srs: &gdal::spatial_ref::SpatialRef) -> DeclaredCrs {
    let proj4 = srs.to_proj4().unwrap_or_default();
    let description = srs
        .name()
        .filter(|n| !n.is_empty() && n != "unknown")
        .unwrap_or_else(|| proj4.clone());
    let epsg = || -> Option<i32> {
        if srs.auth_name().as_deref() == Some("EPSG") {
            return srs.auth_code().ok();
        }
        let mut copy = srs.clone();
        copy.auto_identify_epsg().ok()?;
        (copy.auth_name().as_deref() == Some("EPSG"))
            .then(|| copy.auth_code().ok())
            .flatten()
    };
    // GDAL leaves the datum shift out of a CRS it can match to EPSG's VN-2000
    // datum (GeoPackage, ESRI .prj): the datum's name says it is VN-2000.
    let wkt = srs.to_wkt().unwrap_or_default();
    let vn2000_named = ["Vietnam_2000", "Vietnam 2000", "VN-2000", "VN_2000"]
        .iter()
        .any(|name| wkt.contains(name));
    let srid = recognise_proj4(&proj4)
        .or_else(|| {
            vn2000_named
                .then(|| recognise_proj4(&format!("{proj4} +towgs84=-191.904")))
                .flatten()
        })
        .or_else(epsg);
    DeclaredCrs { srid, description }
}

/// The SRID of a PROJ string Hatang knows: WGS84, VN-2000 geographic, and the
/// VN-2000 Transverse Mercator zones (TM-3 by meridian, UTM 48N/49N).
pub fn recognise_proj4(proj4: &str) -> Option<i32> {
    let param = |name: &str| -> Option<&str> {
        proj4
            .split_whitespace()
            .find_map(|p| p.strip_prefix(&format!("+{name}=")))
    };
    let number = |name: &str| param(name).and_then(|v| v.parse::<f64>().ok());
    let vn2000 = param("towgs84").is_some_and(|t| t.starts_with("-191.904"));
    match param("proj")? {
        "longlat" if vn2000 => Some(VN2000),
        "longlat" if param("datum") == Some("WGS84") && param("towgs84").is_none() => Some(WGS84),
        "tmerc" if vn2000 => {
            let k = number("k").or_else(|| number("k_0"))?;
            let x0 = number("x_0")?;
            let lon0 = number("lon_0")?;
            if (x0 - 500_000.0).abs() > 1e-6 || number("y_0").unwrap_or(0.0).abs() > 1e-6 {
                return None;
            }
            if (k - 0.9999).abs() < 1e-9 {
                coordinates::tm3_srid(lon0)
            } else if (k - 0.9996).abs() < 1e-9 && (lon0 - 105.0).abs() < 1e-9 {
                Some(coordinates::VN2000_UTM_48N)
            } else if (k - 0.9996).abs() < 1e-9 && (lon0 - 111.0).abs() < 1e-9 {
                Some(coordinates::VN2000_UTM_49N)
            } else {
                None
            }
        }
        "utm" if vn2000 => match param("zone")? {
            "48" => Some(coordinates::VN2000_UTM_48N),
            "49" => Some(coordinates::VN2000_UTM_49N),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(Format::from_file_name("cot.GPKG"), Some(Format::GeoPackage));
        assert_eq!(
            Format::from_file_name("poles.shp.zip"),
            Some(Format::Shapefile)
        );
        assert_eq!(Format::from_file_name("a.xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::from_file_name("a.dwg"), None);
    }

    #[test]
    fn vn2000_zones_are_recognised_from_proj_strings() {
        let shift = "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278";
        let tm3 = format!(
            "+proj=tmerc +lat_0=0 +lon_0=107.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 {shift} +units=m +no_defs"
        );
        assert_eq!(recognise_proj4(&tm3), Some(910750));
        let utm = format!("+proj=utm +zone=49 +ellps=WGS84 {shift} +units=m +no_defs");
        assert_eq!(recognise_proj4(&utm), Some(3406));
        assert_eq!(
            recognise_proj4("+proj=longlat +datum=WGS84 +no_defs"),
            Some(4326)
        );
        assert_eq!(recognise_proj4("+proj=lcc +lat_1=49 +datum=WGS84"), None);
    }
}
