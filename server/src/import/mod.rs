//! Importing operators' files: the assets they already keep in GIS files and
//! spreadsheets — GeoJSON, CSV or XLSX with coordinate columns, zipped
//! Shapefiles, GeoPackages, KML — in WGS84 or VN-2000 (geographic, UTM, or a
//! province's TM-3 zone).
//!
//! An import is a job, because a file is not an API request: it is uploaded
//! once, looked at (a preview of its columns, its coordinate system and a
//! proposed field mapping that the operator corrects), validated row by row
//! with the API's own rules, and only then committed — in one transaction, so
//! that a file is imported whole or not at all. Re-importing a file updates
//! the operator's assets by their own asset code rather than duplicating them.
//! Every write is recorded in the assets' history as done by `import:<job>`.
//!
//! The same pipeline serves the command line (`hatang import FILE ...`).

pub mod archive;
pub mod cli;
pub mod handlers;
pub mod jobs;
pub mod mapping;
pub mod pipeline;
pub mod source;
pub mod values;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;
use utoipa::ToSchema;

pub use handlers::router;
use mapping::{Mapping, RowProblem};
use source::{Overview, SourceError, SourceFile};

use crate::assets::AssetKind;
use crate::assets::input::AssetInput;
use crate::coordinates::{self, Crs};
use crate::http::error::{ApiError, FieldProblem};
use crate::validation::{Code, Problem};

/// Limits of one import.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest upload, bytes.
    pub max_bytes: usize,
    /// Most rows in one file.
    pub max_rows: u64,
    /// What a zip container (Shapefile, XLSX) may unpack to.
    pub archive: archive::ArchiveLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
            max_rows: 1_000_000,
            archive: archive::ArchiveLimits::default(),
        }
    }
}

/// A file looked at: what it holds, the CRS and mapping proposed, and how
/// the first rows come out.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportPreview)]
pub struct Preview {
    #[serde(flatten)]
    pub overview: Overview,
    pub crs: PreviewCrs,
    pub mapping: Mapping,
    /// Problems of the mapping itself (a missing code column, say).
    pub mapping_problems: Vec<FieldProblem>,
    pub targets: Vec<mapping::Target>,
    /// The distinct values of each column mapped to a coded attribute, and
    /// the code each becomes.
    pub values: Vec<values::ColumnValues>,
    /// The codes the file's values stand for, as the rows are read with.
    pub value_mapping: values::ValueMapping,
    /// The first rows as they would be imported, with their problems.
    pub rows: Vec<PreviewRow>,
    /// What Hatang assumed in reading the file, for the person to confirm
    /// (codes `unknown_crs`, `crs_overridden`, `northings_first`,
    /// `computed_columns`, `values_to_choose`, `not_wgs84`).
    pub notes: Vec<FieldProblem>,
}

/// The CRS the coordinates are read in.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportPreviewCrs)]
pub struct PreviewCrs {
    pub srid: i32,
    pub label: String,
    pub chosen_by: CrsChosenBy,
}

/// Where the CRS of a file comes from: the request, the file's declaration,
/// the operator's last import of the kind, or WGS 84 for want of any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrsChosenBy {
    Request,
    File,
    Saved,
    Default,
}

impl CrsChosenBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::File => "file",
            Self::Saved => "saved",
            Self::Default => "default",
        }
    }
}

/// One of the first rows as it would be imported.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportPreviewRow)]
pub struct PreviewRow {
    pub row: i64,
    /// The asset as a GeoJSON Feature, when the row could be read as one.
    #[schema(value_type = Option<Object>)]
    pub feature: Option<Value>,
    pub problems: Vec<RowProblem>,
}

/// What the person asked for, on top of what Hatang proposes.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub crs: Option<Crs>,
    /// Columns to map (or, with `None`, to leave out), overriding the proposal.
    pub mapping: Option<Mapping>,
    /// Codes chosen for the file's values, overriding the proposal.
    pub values: Option<values::ValueMapping>,
    pub layer: Option<String>,
}

/// Rows read for the distinct values of coded columns, and values kept per column.
const VALUE_SCAN_ROWS: u64 = 100_000;
const MAX_DISTINCT_VALUES: usize = 200;

/// Looks at a file and proposes how to import it.
pub async fn prepare(
    pool: &PgPool,
    file: Arc<SourceFile>,
    kind: AssetKind,
    operator_id: i64,
    operator: &str,
    request: &Request,
) -> Result<Preview, PrepareError> {
    let reader = file.clone();
    let layer = request.layer.clone();
    let overview =
        tokio::task::spawn_blocking(move || source::overview(&reader, layer.as_deref(), 5))
            .await
            .map_err(|_| PrepareError::Reader)??;
    let saved = jobs::saved_mapping(pool, operator_id, kind).await?;
    let mut notes = Vec::new();
    let declared = overview.declared_crs.as_ref();
    let (crs, chosen_by) = match (&request.crs, declared.and_then(|d| d.srid), &saved) {
        (Some(crs), _, _) => (crs.clone(), CrsChosenBy::Request),
        (None, Some(srid), _) => (Crs::from_srid(srid), CrsChosenBy::File),
        (
            None,
            None,
            Some(jobs::SavedMapping {
                srid: Some(srid), ..
            }),
        ) if declared.is_none() => (Crs::from_srid(*srid), CrsChosenBy::Saved),
        _ => (Crs::from_srid(coordinates::WGS84), CrsChosenBy::Default),
    };
    if let Some(d) = declared
        && d.srid.is_none()
        && request.crs.is_none()
    {
        notes.push(FieldProblem::new(
            "crs",
            Problem::new(
                Code::UnknownCrs,
                format!(
                    "the file declares a coordinate system Hatang does not recognise ({}); choose the CRS (crs=EPSG:… or tm3=<province>)",
                    d.description
                ),
            )
            .with("description", d.description.clone()),
        ));
    }
    if let (Some(d), Some(asked)) = (declared.and_then(|d| d.srid), &request.crs)
        && d != asked.srid
    {
        let declared = Crs::from_srid(d).label;
        notes.push(FieldProblem::new(
            "crs",
            Problem::new(
                Code::CrsOverridden,
                format!(
                    "the file declares {declared}, but {} was chosen: the coordinates are read as {}",
                    asked.label, asked.label
                ),
            )
            .with("declared", declared)
            .with("chosen", asked.label.clone()),
        ));
    }
    let has_geometry = overview.geometry_type.is_some() && !file.format.is_table();
    let (mut mapping, mapping_notes) = mapping::suggest(
        kind,
        &overview.columns,
        saved.as_ref().map(|m| &m.columns),
        crs.srid,
        has_geometry,
    );
    notes.extend(mapping_notes);
    if let Some(requested) = &request.mapping {
        for (column, target) in &requested.0 {
            mapping.0.insert(column.clone(), target.clone());
        }
    }
    let mapping_problems = mapping::check(kind, &mapping, &overview.columns, has_geometry);
    let targets = mapping::targets(kind);

    // The values of coded columns, each with the code it becomes.
    let coded: Vec<(String, &mapping::Target)> = mapping
        .0
        .iter()
        .filter_map(|(column, target)| {
            let target = targets
                .iter()
                .find(|t| Some(&t.name) == target.as_ref() && !t.codes.is_empty())?;
            Some((column.clone(), target))
        })
        .collect();
    let (distinct, complete) = if coded.is_empty() {
        (source::Distinct::new(), true)
    } else {
        let reader = file.clone();
        let layer = request.layer.clone();
        let columns: Vec<String> = coded.iter().map(|(c, _)| c.clone()).collect();
        tokio::task::spawn_blocking(move || {
            source::distinct_values(
                &reader,
                layer.as_deref(),
                &columns,
                VALUE_SCAN_ROWS,
                MAX_DISTINCT_VALUES,
            )
        })
        .await
        .map_err(|_| PrepareError::Reader)??
    };
    let saved_values = saved.as_ref().map(|s| s.values.clone()).unwrap_or_default();
    let requested_values = request.values.clone().unwrap_or_default();
    let value_columns: Vec<values::ColumnValues> = coded
        .iter()
        .map(|(column, target)| values::ColumnValues {
            column: column.clone(),
            attribute: target.name.clone(),
            codes: target.codes.clone(),
            values: values::choose(
                &target.name,
                &target.codes,
                distinct.get(column).unwrap_or(&Default::default()),
                &requested_values,
                &saved_values,
            ),
            complete,
        })
        .collect();
    // Rows beyond those scanned still find last time's and this file's choices.
    let mut value_mapping = values::ValueMapping::default();
    for (_, target) in &coded {
        if let Some(saved) = saved_values.0.get(&target.name) {
            value_mapping.0.insert(target.name.clone(), saved.clone());
        }
    }
    value_mapping.extend(&values::mapping_of(&value_columns));
    value_mapping.extend(&requested_values);
    for column in &value_columns {
        let open: Vec<&str> = column
            .values
            .iter()
            .filter(|v| v.chosen_by.is_none())
            .map(|v| v.value.as_str())
            .collect();
        if !open.is_empty() {
            let shown: Vec<&str> = open.iter().take(5).copied().collect();
            notes.push(FieldProblem::new(
                column.attribute.clone(),
                Problem::new(
                    Code::ValuesToChoose,
                    format!(
                        "column {:?}: choose the {} of {} (the values {} are not codes Hatang knows)",
                        column.column,
                        column.attribute,
                        open.len(),
                        shown
                            .iter()
                            .map(|v| format!("{v:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with("column", column.column.clone())
                .with("attribute", column.attribute.clone())
                .with("count", open.len())
                .with("values", shown),
            ));
        }
    }
    let mut rows = Vec::new();
    for row in &overview.sample {
        let problem = |p: FieldProblem| {
            let column = mapping
                .column_for(p.field.split(['.', '[']).next().unwrap_or_default())
                .map(str::to_string);
            RowProblem::new(Some(row.row), column, p)
        };
        let (feature, problems) = if mapping_problems.is_empty() {
            let (feature, cells) = mapping::to_feature(
                kind,
                &targets,
                &mapping,
                &value_mapping,
                row,
                crs.srid,
                operator,
            );
            let feature = mapping::without_nulls(feature);
            let parsed = match AssetInput::parse(kind, feature.clone()) {
                Ok(_) => Vec::new(),
                Err(ApiError::Invalid(problems)) => problems,
                Err(other) => vec![FieldProblem::new("row", other.to_string())],
            };
            let problems = mapping::merge_problems(cells, parsed)
                .into_iter()
                .map(problem)
                .collect();
            (Some(feature), problems)
        } else {
            (None, Vec::new())
        };
        rows.push(PreviewRow {
            row: row.row,
            feature,
            problems,
        });
    }
    let metres = rows
        .iter()
        .filter_map(|r| r.feature.as_ref())
        .map(|f| &f["geometry"]["coordinates"])
        .find(|c| c[0].as_f64().is_some_and(|x| x.abs() > 1000.0));
    if crs.srid == coordinates::WGS84
        && let Some(first) = metres
    {
        notes.push(FieldProblem::new(
            "crs",
            Problem::new(
                Code::NotWgs84,
                "the coordinates look like metres (VN-2000 TM-3 or UTM), not degrees: choose the CRS (crs=EPSG:… or tm3=<province>)",
            )
            .with("x", first[0].clone())
            .with("y", first[1].clone()),
        ));
    }
    Ok(Preview {
        overview,
        crs: PreviewCrs {
            srid: crs.srid,
            label: crs.label.clone(),
            chosen_by,
        },
        mapping,
        mapping_problems,
        targets,
        values: value_columns,
        value_mapping,
        rows,
        notes,
    })
}

/// Why a file could not be looked at.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the reader stopped unexpectedly")]
    Reader,
}

impl From<PrepareError> for ApiError {
    fn from(error: PrepareError) -> Self {
        match error {
            PrepareError::Source(SourceError::NoSuchLayer(layer)) => {
                ApiError::invalid("layer", format!("the file has no layer named {layer:?}"))
            }
            PrepareError::Source(e) => ApiError::invalid("file", e.to_string()),
            PrepareError::Database(e) => ApiError::Database(e),
            PrepareError::Reader => ApiError::Internal("the file reader stopped".into()),
        }
    }
}

/// The CRS a request names: `crs` (EPSG code, URI, `TM3:<meridian>`) or
/// `tm3` (a province, today's or former); not both.
pub fn requested_crs(crs: Option<&str>, tm3: Option<&str>) -> Result<Option<Crs>, ApiError> {
    match (
        crs.filter(|c| !c.trim().is_empty()),
        tm3.filter(|t| !t.trim().is_empty()),
    ) {
        (Some(_), Some(_)) => Err(ApiError::invalid("crs", "give crs or tm3, not both")),
        (Some(crs), None) => Crs::parse(crs)
            .map(Some)
            .map_err(|e| ApiError::invalid("crs", e)),
        (None, Some(province)) => Crs::tm3_of(province)
            .map(Some)
            .map_err(|e| ApiError::invalid("tm3", e)),
        (None, None) => Ok(None),
    }
}
