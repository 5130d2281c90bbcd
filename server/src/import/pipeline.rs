//! Validating and committing an import: every row is mapped, parsed by the
//! API's own parser, staged in a temporary table, checked as a whole by
//! PostGIS (geometry, swapped axes, the province of a TM-3 zone, duplicate
//! codes), and — when committing and nothing is wrong — written in the same
//! single transaction. A dry run is the same work rolled back.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use sqlx::{PgConnection, PgPool};

use super::mapping::{self, Mapping, RowProblem, Target};
use super::source::{self, SourceError, SourceFile, SourceRow};
use super::values::ValueMapping;
use crate::assets::AssetKind;
use crate::assets::details::Details;
use crate::assets::input::{AssetInput, COMPUTED, merge_patch};
use crate::assets::store;
use crate::audit::Actor;
use crate::coordinates::{self, Crs, format_meridian, provinces};
use crate::http::error::{ApiError, FieldProblem};
use crate::validation::{Code, Problem};

/// Rows read and checked together.
const BATCH: usize = 2000;
/// Problems kept for the report; all are counted.
pub const MAX_REPORTED: usize = 1000;

/// What an import is asked to do with which file.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: AssetKind,
    /// Code of the operator whose assets the file holds.
    pub operator: String,
    pub crs: Crs,
    pub mapping: Mapping,
    /// The codes the operator's values stand for.
    pub values: ValueMapping,
    pub layer: Option<String>,
    pub max_rows: u64,
}

/// Validate only (and roll back), or write.
#[derive(Debug, Clone)]
pub enum Mode {
    Validate,
    Commit(Actor),
}

/// How an import went.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub rows: u64,
    pub problem_count: u64,
    pub problems: Vec<RowProblem>,
    pub notes: Vec<String>,
    /// What the importer should check although the rows may be taken (the
    /// file's, with a code: `former_zone`).
    pub warnings: Vec<RowProblem>,
    /// What was (or, for a dry run, would have been) written.
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub committed: bool,
    /// `[west, south, east, north]` of the rows' geometries (WGS84), once checked.
    pub extent: Option<[f64; 4]>,
}

impl Outcome {
    fn add(&mut self, problem: RowProblem) {
        self.problem_count += 1;
        if self.problems.len() < MAX_REPORTED {
            self.problems.push(problem);
        }
    }
}

/// Why an import stopped before its rows could be judged.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the reader stopped unexpectedly")]
    Reader,
}

/// Progress reports: the phase and the rows read so far.
pub type Progress = Arc<dyn Fn(&'static str, u64) + Send + Sync>;

/// Runs an import. Problems in rows are in the outcome (and nothing is
/// written); errors are for files that cannot be read at all.
pub async fn run(
    pool: &PgPool,
    file: Arc<SourceFile>,
    plan: &Plan,
    mode: Mode,
    progress: Progress,
) -> Result<Outcome, ImportError> {
    let mut outcome = Outcome::default();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "create temp table import_row (
             row_no bigint primary key, code text not null, name text, status text not null,
             accuracy_m double precision, capacity integer, note text, geom geometry, srid integer not null,
             details jsonb not null, geom_wgs84 geometry, problem text, problem_code text, problem_params jsonb)
             on commit drop",
    )
    .execute(&mut *tx)
    .await?;

    // Rows come from a blocking thread that owns the GDAL dataset.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<SourceRow>>(4);
    let reader_file = file.clone();
    let (layer, max_rows) = (plan.layer.clone(), plan.max_rows);
    let reader = tokio::task::spawn_blocking(move || {
        source::read_rows(&reader_file, layer.as_deref(), max_rows, BATCH, |rows| {
            sender.blocking_send(rows).is_ok()
        })
    });

    let owner_id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
        .bind(&plan.operator)
        .fetch_optional(&mut *tx)
        .await?;
    // Three stages run side by side: the reader thread, the mapping and
    // parsing of a batch (on the blocking pool, its existing assets looked up
    // on a connection of its own), and the copying of the batch before it
    // into this transaction, so that both cores work while the database writes.
    let (prepared_sender, mut prepared) =
        tokio::sync::mpsc::channel::<Result<Prepared, ImportError>>(2);
    let preparer = {
        let (pool, plan) = (pool.clone(), Arc::new(plan.clone()));
        let targets = Arc::new(mapping::targets(plan.kind));
        tokio::spawn(async move {
            while let Some(rows) = receiver.recv().await {
                let batch = prepare_batch(&pool, &plan, &targets, owner_id, rows).await;
                let failed = batch.is_err();
                if prepared_sender.send(batch).await.is_err() || failed {
                    break;
                }
            }
        })
    };
    let mut complex: Vec<(i64, Details)> = Vec::new();
    let mut read: u64 = 0;
    progress("reading", 0);
    while let Some(batch) = prepared.recv().await {
        let batch = batch?;
        read += batch.rows;
        if !batch.copy.is_empty() {
            let mut sink = tx
                .copy_in_raw(
                    "copy import_row (row_no, code, name, status, accuracy_m, capacity, note, geom, srid, details) from stdin",
                )
                .await?;
            sink.send(batch.copy.into_bytes()).await?;
            sink.finish().await?;
        }
        for problem in batch.problems {
            outcome.add(problem);
        }
        complex.extend(batch.complex);
        progress("reading", read);
    }
    preparer.await.map_err(|_| ImportError::Reader)?;
    let total = reader.await.map_err(|_| ImportError::Reader)??;
    outcome.rows = total;
    if total == 0 {
        outcome.add(RowProblem::of_file("file", "the file holds no rows"));
    }

    progress("checking", total);
    check_staged(&mut tx, plan, &mut outcome).await?;
    if outcome.problem_count > 0 {
        tx.rollback().await?;
        return Ok(outcome);
    }

    outcome.extent = rows_extent(&mut tx).await?;
    progress("writing", total);
    let actor = match &mode {
        Mode::Commit(actor) => actor.clone(),
        Mode::Validate => Actor::named("dry-run"),
    };
    let written = store::upsert_staged(&mut tx, plan.kind, &plan.operator, &actor, &complex).await;
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            let problem = constraint_problem(&error).ok_or(error)?;
            outcome.add(problem);
            tx.rollback().await?;
            return Ok(outcome);
        }
    };
    for (row, problem) in written.problems {
        let column = plan.mapping.column_for(&problem.field).map(str::to_string);
        outcome.add(RowProblem::new(Some(row), column, problem));
    }
    outcome.created = written.created;
    outcome.updated = written.updated;
    outcome.unchanged = written.unchanged;
    if outcome.problem_count > 0 || matches!(mode, Mode::Validate) {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
        outcome.committed = true;
    }
    Ok(outcome)
}

/// Points read in a merged province's zone that lie in a former province
/// whose zone had another meridian (Kon Tum's 107°30′ inside today's Quảng
/// Ngãi, 108°00′; Hải Dương's 105°30′ inside Hải Phòng, 105°45′): both
/// readings land in the province, 26–54 km apart, so the numbers cannot tell.
/// The import warns of it, by the rule REST writes use
/// ([`provinces::former_zone_warnings`]), counted over the staged rows.
async fn legacy_zone_note(
    conn: &mut PgConnection,
    meridian: f64,
    outcome: &mut Outcome,
) -> Result<(), ImportError> {
    for former in provinces::former_zones_in(meridian) {
        let [a, b, c, d] = former.extent.expect("former zones have an extent");
        let (points, inside): (i64, i64) = sqlx::query_as(
            "select count(*), count(*) filter (where ST_Intersects(geom_wgs84, ST_MakeEnvelope($1, $2, $3, $4, 4326)))
             from import_row where geom_wgs84 is not null",
        )
        .bind(a)
        .bind(b)
        .bind(c)
        .bind(d)
        .fetch_one(&mut *conn)
        .await?;
        if points > 0 && inside * 2 >= points {
            let warning =
                provinces::former_zone_warning(former, meridian, inside as u64, points as u64);
            outcome.warnings.push(RowProblem::of_file("crs", warning));
        }
    }
    Ok(())
}

/// Where the staged rows lie, for "show on the map" after the import.
async fn rows_extent(conn: &mut sqlx::PgConnection) -> sqlx::Result<Option<[f64; 4]>> {
    let extent: Option<(f64, f64, f64, f64)> = sqlx::query_as(
        "select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
         from (select ST_Extent(geom_wgs84)::geometry as e from import_row) x
         where e is not null",
    )
    .fetch_optional(conn)
    .await?;
    Ok(extent.map(|(w, s, e, n)| [w, s, e, n]))
}

/// A check constraint broken by a bulk statement, as a problem of the file.
fn constraint_problem(error: &sqlx::Error) -> Option<RowProblem> {
    let sqlx::Error::Database(db) = error else {
        return None;
    };
    let code = db.code();
    if !matches!(code.as_deref(), Some("23514" | "23505" | "23503" | "23P01")) {
        return None;
    }
    Some(RowProblem::of_file(
        db.constraint().unwrap_or("file"),
        format!(
            "a row breaks the rule {} ({})",
            db.constraint().unwrap_or("of the schema"),
            db.message()
        ),
    ))
}

/// A batch of rows mapped and parsed: the `COPY` lines of those that parse,
/// the problems of the others.
struct Prepared {
    rows: u64,
    copy: String,
    problems: Vec<RowProblem>,
    complex: Vec<(i64, Details)>,
}

/// Maps and parses a batch of rows, off the async threads.
async fn prepare_batch(
    pool: &PgPool,
    plan: &Arc<Plan>,
    targets: &Arc<Vec<Target>>,
    owner_id: Option<i64>,
    rows: Vec<SourceRow>,
) -> Result<Prepared, ImportError> {
    let count = rows.len() as u64;
    let features = {
        let (plan, targets) = (plan.clone(), targets.clone());
        tokio::task::spawn_blocking(move || {
            rows.iter()
                .map(|row| {
                    (
                        row.row,
                        mapping::to_feature(
                            plan.kind,
                            &targets,
                            &plan.mapping,
                            &plan.values,
                            row,
                            plan.crs.srid,
                            &plan.operator,
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|_| ImportError::Reader)?
    };
    // Existing assets: a re-import changes the attributes the file carries and
    // keeps the others, as a JSON Merge Patch through the API would. They are
    // the committed ones, so another connection sees the same.
    let codes: Vec<String> = features
        .iter()
        .filter_map(|(_, (f, _))| f["properties"]["code"].as_str().map(str::to_string))
        .collect();
    let existing: HashMap<String, Value> = match owner_id {
        Some(owner_id) if !codes.is_empty() => {
            sqlx::query_as::<_, (String, sqlx::types::Json<Value>)>(
                "select a.code, jsonb_build_object('type', 'Feature',
                 'geometry', ST_AsGeoJSON(a.geom, 7)::jsonb, 'properties', asset_properties(a))
             from asset a
             where a.owner_id = $1 and a.kind = $2 and a.code = any($3)",
            )
            .bind(owner_id)
            .bind(plan.kind.as_str())
            .bind(&codes)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(code, doc)| (code, doc.0))
            .collect()
        }
        _ => HashMap::new(),
    };
    let plan = plan.clone();
    tokio::task::spawn_blocking(move || parse_batch(&plan, features, &existing, count))
        .await
        .map_err(|_| ImportError::Reader)
}

/// Parses mapped rows with the API's parser and writes those that parse as
/// `COPY` lines.
fn parse_batch(
    plan: &Plan,
    features: Vec<(i64, (Value, Vec<FieldProblem>))>,
    existing: &HashMap<String, Value>,
    rows: u64,
) -> Prepared {
    let mut prepared = Prepared {
        rows,
        copy: String::with_capacity(features.len() * 200),
        problems: Vec::new(),
        complex: Vec::new(),
    };
    for (row, (feature, cell_problems)) in features {
        let code = feature["properties"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let document = match existing.get(&code) {
            Some(current) => {
                let mut document = current.clone();
                if let Some(properties) = document["properties"].as_object_mut() {
                    for key in COMPUTED {
                        properties.remove(*key);
                    }
                }
                merge_patch(&mut document, &feature);
                document
            }
            None => mapping::without_nulls(feature),
        };
        match AssetInput::parse(plan.kind, document) {
            Ok(_) if !cell_problems.is_empty() => {
                for p in cell_problems {
                    prepared.problems.push(row_problem(plan, row, p));
                }
            }
            Ok(input) => {
                stage_line(&mut prepared.copy, row, &input);
                if Details::single_row_table(plan.kind).is_none() {
                    prepared.complex.push((row, input.details));
                }
            }
            Err(ApiError::Invalid(problems)) => {
                for p in mapping::merge_problems(cell_problems, problems) {
                    prepared.problems.push(row_problem(plan, row, p));
                }
            }
            Err(other) => prepared.problems.push(RowProblem::new(
                Some(row),
                None,
                FieldProblem::new("row", other.to_string()),
            )),
        }
    }
    prepared
}

fn row_problem(plan: &Plan, row: i64, problem: FieldProblem) -> RowProblem {
    let root = problem.field.split(['.', '[']).next().unwrap_or_default();
    let column = if root == "geometry" {
        match (
            plan.mapping.column_for(mapping::X),
            plan.mapping.column_for(mapping::Y),
        ) {
            (Some(x), Some(y)) => Some(format!("{x}, {y}")),
            _ => plan.mapping.column_for(mapping::WKT).map(str::to_string),
        }
    } else {
        plan.mapping.column_for(root).map(str::to_string)
    };
    RowProblem::new(Some(row), column, problem)
}

/// One line of `COPY ... FROM STDIN` (text format).
fn stage_line(out: &mut String, row: i64, input: &AssetInput) {
    use geozero::{CoordDimensions, ToWkb};
    fn text(out: &mut String, value: Option<&str>) {
        match value {
            None => out.push_str("\\N"),
            Some(v) => {
                for c in v.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    let wkb = input
        .geometry
        .geometry
        .to_wkb(CoordDimensions::xy())
        .unwrap_or_default();
    let mut hex = String::with_capacity(wkb.len() * 2);
    for byte in wkb {
        hex.push_str(&format!("{byte:02x}"));
    }
    out.push_str(&row.to_string());
    out.push('\t');
    text(out, Some(&input.code));
    out.push('\t');
    text(out, input.name.as_deref());
    out.push('\t');
    out.push_str(input.status.as_str());
    out.push('\t');
    text(out, input.accuracy_m.map(|a| a.to_string()).as_deref());
    out.push('\t');
    text(out, input.capacity.map(|c| c.to_string()).as_deref());
    out.push('\t');
    text(out, input.note.as_deref());
    out.push('\t');
    out.push_str(&hex);
    out.push('\t');
    out.push_str(&input.geometry.srid.to_string());
    out.push('\t');
    text(out, Some(&input.details.to_json().to_string()));
    out.push('\n');
}

/// Checks the staged rows together, in PostGIS: the geometry (valid, in
/// Vietnam), axes swapped, the province of a TM-3 zone and a wrong meridian,
/// and codes used twice in the file.
async fn check_staged(
    conn: &mut PgConnection,
    plan: &Plan,
    outcome: &mut Outcome,
) -> Result<(), ImportError> {
    accept_good_geometries(conn).await?;
    sqlx::query(
        "update import_row r set geom_wgs84 = (c.checked).geom, problem = (c.checked).problem,
                problem_code = (c.checked).code, problem_params = (c.checked).params
         from (select row_no, import_checked_geometry(geom, srid) as checked from import_row
               where geom_wgs84 is null) c
         where c.row_no = r.row_no",
    )
    .execute(&mut *conn)
    .await?;
    // X and Y swapped: the row lands outside Vietnam, its mirror inside.
    sqlx::query(
        "update import_row
         set problem = format('the coordinates look swapped: read as given, (%s, %s) lies outside Vietnam; with X and Y exchanged it lies inside. %s',
                              round(ST_X(ST_PointOnSurface(geom))::numeric, 3), round(ST_Y(ST_PointOnSurface(geom))::numeric, 3), $1::text),
             problem_code = 'axes_swapped',
             problem_params = jsonb_build_object('x', round(ST_X(ST_PointOnSurface(geom))::numeric, 3),
                                                 'y', round(ST_Y(ST_PointOnSurface(geom))::numeric, 3), 'srid', srid)
         where problem is not null and geom is not null
           and (import_checked_geometry(ST_FlipCoordinates(geom), srid)).problem is null",
    )
    .bind(swap_advice(plan.crs.srid))
    .execute(&mut *conn)
    .await?;
    // EPSG's TM-3 zones (5896-5899) are checked as Hatang's own are.
    if let Some(meridian) = coordinates::tm3_meridian_of(plan.crs.srid) {
        check_province(conn, plan, meridian, outcome).await?;
    }
    sqlx::query(
        "update import_row r set problem = format('the code %s is also used in row %s of the file; each code may appear once', r.code, d.first),
                problem_code = 'duplicate_in_file', problem_params = jsonb_build_object('code', r.code, 'row', d.first)
         from (select row_no, min(row_no) over (partition by code) as first from import_row) d
         where d.row_no = r.row_no and d.first <> r.row_no and r.problem is null",
    )
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(i64, String, Option<String>, Option<Value>)> = sqlx::query_as(
        "select row_no, problem, problem_code, problem_params from import_row
         where problem is not null order by row_no limit $1",
    )
    .bind(MAX_REPORTED as i64)
    .fetch_all(&mut *conn)
    .await?;
    let count: i64 =
        sqlx::query_scalar("select count(*) from import_row where problem is not null")
            .fetch_one(&mut *conn)
            .await?;
    let mut reported = 0;
    for (row, problem, code, params) in rows {
        let field = if code.as_deref() == Some("duplicate_in_file") {
            "code"
        } else {
            "geometry"
        };
        reported += 1;
        let problem = crate::geometry::database_problem(problem, code.as_deref(), params);
        outcome.add(row_problem(plan, row, FieldProblem::new(field, problem)));
    }
    outcome.problem_count += (count - reported).max(0) as u64;
    Ok(())
}

/// Accepts, in one statement, the staged geometries that pass every check
/// of `checked_geometry` (not empty, a known CRS, 2D, convertible to WGS84,
/// valid, a line simple, in Vietnam as `in_vietnam` tests it), so that the
/// per-row function only runs for the others, to say what is wrong with
/// them. Called per row, the function cost about 30 µs an asset, most of it
/// preparing Vietnam's outline again; here the outline is read once and
/// PostGIS keeps it prepared for the whole statement. A geometry that makes
/// a check fail with an error (PROJ cannot convert it) undoes the statement,
/// and every row is then checked by the function, as before.
async fn accept_good_geometries(conn: &mut PgConnection) -> Result<(), ImportError> {
    sqlx::query("savepoint import_geometry_bulk")
        .execute(&mut *conn)
        .await?;
    let accepted = sqlx::query(
        "update import_row r set geom_wgs84 = c.g
         from (select row_no, g
               from (select row_no,
                            case when srid = 4326 then ST_SetSRID(geom, 4326)
                                 else ST_Transform(ST_SetSRID(geom, srid), 4326) end as g
                     from import_row
                     where geom is not null and not ST_IsEmpty(geom) and ST_Zmflag(geom) = 0
                       and srid in (select s.srid from spatial_ref_sys s)
                       and (GeometryType(geom) not in ('LINESTRING', 'MULTILINESTRING')
                            or ST_NPoints(ST_RemoveRepeatedPoints(geom)) >= 2)
                     offset 0) t
               where ST_XMin(g) >= -180 and ST_XMax(g) <= 180 and ST_YMin(g) >= -90 and ST_YMax(g) <= 90
                 and (ST_IsValidDetail(g)).valid
                 and (GeometryType(g) not in ('LINESTRING', 'MULTILINESTRING') or ST_IsSimple(g))
                 and ST_CoveredBy(g, ST_MakeEnvelope(102.0, 6.0, 118.0, 23.5, 4326))
                 and ST_CoveredBy(g, (select e.geom from vietnam_extent e))) c
         where c.row_no = r.row_no",
    )
    .execute(&mut *conn)
    .await;
    match accepted {
        Ok(_) => {
            sqlx::query("release savepoint import_geometry_bulk")
                .execute(&mut *conn)
                .await?;
        }
        Err(sqlx::Error::Database(error)) => {
            tracing::debug!(%error, "bulk geometry check fell back to the per-row check");
            sqlx::query("rollback to savepoint import_geometry_bulk")
                .execute(&mut *conn)
                .await?;
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}

fn swap_advice(srid: i32) -> String {
    if coordinates::is_projected(srid) {
        "In Vietnamese survey files X is the northing and Y the easting; map the northing column to y and the easting column to x (or swap the coordinates in the file).".into()
    } else {
        "Longitude comes first (x), latitude second (y); swap the columns or the coordinates."
            .into()
    }
}

/// The region a TM-3 zone's points must land in: the provinces using that
/// meridian today or before 1/7/2025 (only the chosen province when one was
/// named), by boundary where `admin_unit` has one, else by rough extent.
async fn check_province(
    conn: &mut PgConnection,
    plan: &Plan,
    meridian: f64,
    outcome: &mut Outcome,
) -> Result<(), ImportError> {
    let region: Vec<&provinces::Province> = match plan.crs.province {
        Some(p) => vec![p.today()],
        None => {
            let mut list: Vec<&provinces::Province> = provinces::PROVINCES
                .iter()
                .filter(|p| (p.meridian - meridian).abs() < 1e-9)
                .map(|p| p.today())
                .collect();
            list.dedup_by_key(|p| p.code);
            list
        }
    };
    if region.is_empty() {
        return Ok(());
    }
    let codes: Vec<&str> = region.iter().map(|p| p.code).collect();
    let names: Vec<&str> = region.iter().map(|p| p.name).collect();
    let extents: Vec<String> = region
        .iter()
        .filter_map(|p| p.extent)
        .map(|[a, b, c, d]| format!("{a} {b} {c} {d}"))
        .collect();
    let described = match plan.crs.province {
        Some(p) => format!(
            "{} (the province of TM-3 zone {})",
            p.today().name,
            format_meridian(meridian)
        ),
        None => format!(
            "the provinces of TM-3 zone {} ({})",
            format_meridian(meridian),
            names.join(", ")
        ),
    };
    // Where is each row, compared with the region?
    sqlx::query(
        "create temp table import_region on commit drop as
         select coalesce(
                    (select ST_Union(boundary) from admin_unit
                     where level = 'province' and gso_code = any($1) and boundary is not null
                       and valid_from <= current_date and (valid_to is null or valid_to >= current_date)),
                    (select ST_Union(ST_Expand(ST_MakeEnvelope(split_part(e, ' ', 1)::float8, split_part(e, ' ', 2)::float8,
                                                              split_part(e, ' ', 3)::float8, split_part(e, ' ', 4)::float8, 4326), 0.05))
                     from unnest($2::text[]) e)) as area",
    )
    .bind(&codes)
    .bind(&extents)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update import_row r
         set problem = case
             when ST_Intersects(import_to_wgs84(ST_FlipCoordinates(r.geom), r.srid), g.area)
             then format('the coordinates look swapped: read as given the point lies outside %s, with X and Y exchanged it lies inside. %s', $1::text, $2::text)
             else format('lies outside %s, at %s', $1::text, ST_AsText(ST_PointOnSurface(r.geom_wgs84), 5)) end,
             problem_code = case
             when ST_Intersects(import_to_wgs84(ST_FlipCoordinates(r.geom), r.srid), g.area) then 'axes_swapped'
             else 'outside_zone_provinces' end,
             problem_params = case
             when ST_Intersects(import_to_wgs84(ST_FlipCoordinates(r.geom), r.srid), g.area)
             then jsonb_build_object('x', round(ST_X(ST_PointOnSurface(r.geom))::numeric, 3),
                                     'y', round(ST_Y(ST_PointOnSurface(r.geom))::numeric, 3), 'srid', r.srid)
             else jsonb_build_object('meridian', $3::text, 'provinces', $4::text[],
                                     'x', round(ST_X(ST_PointOnSurface(r.geom_wgs84))::numeric, 5),
                                     'y', round(ST_Y(ST_PointOnSurface(r.geom_wgs84))::numeric, 5)) end
         from import_region g
         where r.problem is null and g.area is not null and not ST_Intersects(r.geom_wgs84, g.area)",
    )
    .bind(&described)
    .bind(swap_advice(plan.crs.srid))
    .bind(format_meridian(meridian))
    .bind(&names)
    .execute(&mut *conn)
    .await?;
    // A wrong meridian: compare where a sample of the points lands with the
    // chosen meridian and with each other one, in known wards or the region.
    let same_zone = coordinates::tm3_srid(meridian);
    let mut candidates: Vec<i32> = coordinates::TM3_MERIDIANS
        .step_by(25)
        .filter(|h| ((*h as f64 / 100.0) - meridian).abs() <= 1.5 + 1e-9)
        .map(|h| 900_000 + h)
        .filter(|srid| Some(*srid) != same_zone)
        .collect();
    candidates.push(plan.crs.srid);
    let scores: Vec<(i32, i64, i64, i64)> = sqlx::query_as(
        "with sample as (
             select geom, srid from import_row where geom is not null order by row_no limit 500
         ), known as (
             select ST_Union(boundary) as wards from admin_unit
             where level = 'ward' and boundary is not null
               and valid_from <= current_date and (valid_to is null or valid_to >= current_date)
         )
         select c.srid,
                count(*) as points,
                count(*) filter (where k.wards is not null and ST_Intersects(p.g, k.wards)) as in_wards,
                count(*) filter (where ST_Intersects(p.g, a.area)) as in_region
         from unnest($1::int[]) c(srid)
         cross join sample s
         cross join lateral (select import_to_wgs84(s.geom, c.srid) as g) p
         cross join known k
         cross join import_region a
         group by c.srid",
    )
    .bind(&candidates)
    .fetch_all(&mut *conn)
    .await?;
    let chosen = scores.iter().find(|s| s.0 == plan.crs.srid).copied();
    let best = scores
        .iter()
        .filter(|s| s.0 != plan.crs.srid)
        .max_by_key(|s| (s.2, s.3))
        .copied();
    legacy_zone_note(conn, meridian, outcome).await?;
    if let (
        Some((_, points, chosen_wards, chosen_region)),
        Some((srid, _, best_wards, best_region)),
    ) = (chosen, best)
        && points > 0
    {
        let share = |n: i64| n as f64 / points as f64;
        let by_wards = share(chosen_wards) < 0.5 && share(best_wards) >= 0.9;
        let by_region = best_wards == 0 && share(chosen_region) < 0.5 && share(best_region) >= 0.9;
        let better = coordinates::tm3_meridian(srid).filter(|_| by_wards || by_region);
        if let Some(better) = better {
            let users: Vec<String> = provinces::PROVINCES
                .iter()
                .filter(|p| (p.meridian - better).abs() < 1e-9)
                .map(|p| {
                    if p.valid_to.is_some() {
                        format!("{} (before 1/7/2025, now in {})", p.name, p.today().name)
                    } else {
                        p.name.to_string()
                    }
                })
                .collect();
            let (what, chosen_n, better_n) = if by_wards {
                ("known wards", chosen_wards, best_wards)
            } else {
                ("the province", chosen_region, best_region)
            };
            outcome.add(RowProblem::of_file(
                "crs",
                Problem::new(
                    Code::WrongMeridian,
                    format!(
                        "the central meridian looks wrong: with {} ({}) {chosen_n} of the first {points} points land in {what}, with {} {better_n} do. \
                         The file is probably in the TM-3 zone of {}: choose that zone (tm3=<province> or crs=TM3:{better}) and import again.",
                        format_meridian(meridian),
                        plan.crs.label,
                        format_meridian(better),
                        users.join(", ")
                    ),
                )
                .with("declared", format_meridian(meridian))
                .with("fits", vec![format_meridian(better)])
                .with("provinces", users)
                .with("points", points)
                .with("landed", chosen_n)
                .with("landed_with_fit", better_n),
            ));
        }
    }
    Ok(())
}
