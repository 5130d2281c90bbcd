//! Households and population of a unit's neighbourhood units as of a date —
//! the "serviceable locations" coverage is measured against — typed in or
//! imported from the ward's statistics sheet (XLSX or CSV with the headers
//! the ward uses: "Tổ dân phố", "Số hộ", "Số nhân khẩu"), and household or
//! building points for coverage counted by location.

use axum::extract::{Path, Request, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::boundaries::{FileProblem, cell, fold, name_key, read_upload};
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;

/// Households and population of a unit on a day.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct PopulationRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_type: String,
    pub as_of: NaiveDate,
    pub households: Option<i32>,
    pub population: Option<i32>,
    pub adults: Option<i32>,
    pub source: String,
    pub synthetic: bool,
    pub supplied_by: String,
}

/// `GET /api/v1/admin-units/{id}/population`: the unit's and its
/// neighbourhood units' figures, newest first.
#[utoipa::path(get, path = "/admin-units/{id}/population", operation_id = "list_population", tag = "Administrative units",
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = [PopulationRow]), (status = 401, description = "Not logged in."),
              (status = 404, description = "No such unit.")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<PopulationRow>>> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    super::store::ancestors(&mut conn, id).await?;
    let rows: Vec<PopulationRow> = sqlx::query_as(
        "select p.unit_id, u.name as unit_name, u.unit_type, p.as_of, p.households, p.population, p.adults,
                p.source, p.synthetic, p.supplied_by
         from unit_population p join admin_unit u on u.id = p.unit_id
         where p.unit_id = $1 or p.unit_id in (select admin_unit_descendants($1))
         order by p.as_of desc, length(u.name), u.name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(axum::Json(rows))
}

/// Figures typed in, for the unit or its neighbourhood units.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PopulationInput {
    pub rows: Vec<PopulationEntry>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PopulationEntry {
    /// The unit of the path or one of its neighbourhood units.
    pub unit_id: i64,
    pub as_of: NaiveDate,
    pub households: Option<i64>,
    pub population: Option<i64>,
    pub adults: Option<i64>,
    pub source: String,
    #[serde(default)]
    pub synthetic: bool,
}

/// What a write of figures did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportOutcome {
    pub rows: usize,
    /// Units given figures (and neighbourhood units created, with `create_missing`).
    pub recorded: usize,
    pub created_units: Vec<String>,
    pub problems: Vec<FileProblem>,
    pub written: bool,
}

fn check_counts(
    problems: &mut Vec<FileProblem>,
    row: i64,
    households: Option<i64>,
    population: Option<i64>,
    adults: Option<i64>,
) {
    let mut add = |field: &str, problem: &str| {
        problems.push(FileProblem {
            row,
            field: field.into(),
            problem: problem.into(),
        })
    };
    if households.is_none() && population.is_none() {
        add("households", "give households or population (or both)");
    }
    for (field, value) in [
        ("households", households),
        ("population", population),
        ("adults", adults),
    ] {
        if value.is_some_and(|v| !(0..=100_000_000).contains(&v)) {
            add(field, "must be a whole number from 0");
        }
    }
    if let (Some(h), Some(p)) = (households, population)
        && h > p
    {
        add("households", "more households than people");
    }
    if let (Some(a), Some(p)) = (adults, population)
        && a > p
    {
        add("adults", "more adults than people");
    }
}

async fn upsert(
    conn: &mut sqlx::PgConnection,
    principal: &Principal,
    unit_id: i64,
    as_of: NaiveDate,
    counts: (Option<i64>, Option<i64>, Option<i64>),
    source: &str,
    synthetic: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into unit_population (unit_id, as_of, households, population, adults, source, synthetic, supplied_by, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (unit_id, as_of) do update set households = $3, population = $4, adults = $5,
             source = $6, synthetic = $7, supplied_by = $8, created_by = $9, created_at = now()",
    )
    .bind(unit_id)
    .bind(as_of)
    .bind(counts.0.map(|v| v as i32))
    .bind(counts.1.map(|v| v as i32))
    .bind(counts.2.map(|v| v as i32))
    .bind(source)
    .bind(synthetic)
    .bind(principal.actor().name)
    .bind(principal.user().map(|u| u.id))
    .execute(conn)
    .await?;
    Ok(())
}

/// `POST /api/v1/admin-units/{id}/population`: figures typed in.
#[utoipa::path(post, path = "/admin-units/{id}/population", tag = "Administrative units",
    params(("id" = i64, Path, description = "Unit id")), request_body = PopulationInput,
    responses((status = 200, body = ImportOutcome), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not change this unit's figures."),
              (status = 404, description = "No such unit."), (status = 422, description = "Every problem, by row.")))]
pub async fn record(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PopulationInput>,
) -> ApiResult<axum::Json<ImportOutcome>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    principal.may_edit_population(&super::store::ancestors(&mut tx, id).await?)?;
    let allowed: Vec<i64> = sqlx::query_scalar("select $1 union select admin_unit_descendants($1)")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let mut problems = Problems::new();
    for (i, row) in input.rows.iter().enumerate() {
        let mut found = Vec::new();
        check_counts(
            &mut found,
            i as i64,
            row.households,
            row.population,
            row.adults,
        );
        for p in found {
            problems.add(format!("rows[{i}].{}", p.field), p.problem);
        }
        if !allowed.contains(&row.unit_id) {
            problems.add(
                format!("rows[{i}].unit_id"),
                "is not this unit or one of its parts",
            );
        }
        if row.source.trim().is_empty() || row.source.chars().count() > 500 {
            problems.add(format!("rows[{i}].source"), "must have 1 to 500 characters");
        }
        if row.synthetic && !principal.is_admin() {
            problems.add(
                format!("rows[{i}].synthetic"),
                "only the demo marks figures synthetic",
            );
        }
    }
    if input.rows.is_empty() {
        problems.add("rows", "give at least one row");
    }
    problems.into_result(())?;
    for row in &input.rows {
        upsert(
            &mut tx,
            &principal,
            row.unit_id,
            row.as_of,
            (row.households, row.population, row.adults),
            row.source.trim(),
            row.synthetic,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(axum::Json(ImportOutcome {
        rows: input.rows.len(),
        recorded: input.rows.len(),
        created_units: vec![],
        problems: vec![],
        written: true,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SheetParams {
    /// The uploaded file's name (.xlsx or .csv).
    pub file_name: String,
    /// The day the figures hold for (when the sheet has no date column).
    pub as_of: Option<NaiveDate>,
    /// Where the figures come from (default: the file name).
    pub source: Option<String>,
    /// Add neighbourhood units the sheet names that Hatang does not know yet.
    pub create_missing: Option<bool>,
    /// Only check; write nothing.
    pub dry_run: Option<bool>,
}

const NAME_COLUMNS: &[&str] = &[
    "tổ dân phố",
    "to dan pho",
    "tdp",
    "thôn",
    "thon",
    "khu dân cư",
    "khu dan cu",
    "khu phố",
    "khu pho",
    "tên",
    "ten",
    "tên đơn vị",
    "don vi",
    "đơn vị",
    "name",
    "unit",
];
const HOUSEHOLD_COLUMNS: &[&str] = &["số hộ", "so ho", "hộ", "ho", "số hộ gia đình", "households"];
const POPULATION_COLUMNS: &[&str] = &[
    "số nhân khẩu",
    "so nhan khau",
    "nhân khẩu",
    "nhan khau",
    "số khẩu",
    "dân số",
    "dan so",
    "số dân",
    "population",
];
const ADULT_COLUMNS: &[&str] = &[
    "dân số trưởng thành",
    "số người từ 18 tuổi trở lên",
    "từ 18 tuổi trở lên",
    "trên 18 tuổi",
    "adults",
];
const DATE_COLUMNS: &[&str] = &[
    "ngày",
    "ngay",
    "thời điểm",
    "thoi diem",
    "tính đến ngày",
    "as_of",
];

/// A whole number from a cell: 1234, "1.234" (Vietnamese thousands), "1 234".
fn count(value: Option<&Value>) -> Result<Option<i64>, String> {
    match value {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 => Ok(Some(f as i64)),
            _ => Err(format!("{n} is not a whole number")),
        },
        Some(Value::String(s)) => {
            let digits: String = s
                .chars()
                .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
                .collect();
            digits
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{s:?} is not a number"))
        }
        Some(other) => Err(format!("{other} is not a number")),
    }
}

fn date(value: Option<&Value>) -> Result<Option<NaiveDate>, String> {
    let Some(value) = value else { return Ok(None) };
    let text = value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string());
    let text = text.trim();
    for format in ["%d/%m/%Y", "%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(day) = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), format) {
            return Ok(Some(day));
        }
    }
    Err(format!("{text:?} is not a date (dd/mm/yyyy)"))
}

/// A row of a statistics sheet: the unit (none yet when it is to be
/// created), its name, the day, and households, population, adults.
type SheetRow = (
    Option<i64>,
    String,
    NaiveDate,
    (Option<i64>, Option<i64>, Option<i64>),
);

/// The neighbourhood type a sheet's name column says ("Thôn" → thôn).
fn neighbourhood_type(header: &str) -> &'static str {
    let h = fold(header);
    if h.starts_with("thon") {
        "thôn"
    } else if h.starts_with("khu dan cu") {
        "khu dân cư"
    } else if h.starts_with("khu pho") {
        "khu phố"
    } else {
        "tổ dân phố"
    }
}

/// `POST /api/v1/admin-units/{id}/population/import?file_name=…&as_of=…`:
/// the ward's statistics sheet, one row per neighbourhood unit.
#[utoipa::path(post, path = "/admin-units/{id}/population/import", operation_id = "import_population", tag = "Administrative units",
    params(("id" = i64, Path, description = "The ward or commune"), SheetParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "An XLSX or CSV sheet"),
    responses((status = 200, body = ImportOutcome, description = "What was found; written only when no row has a problem."),
              (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this unit's figures."),
              (status = 404, description = "No such unit."), (status = 422, description = "The file cannot be read.")))]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<SheetParams>,
    request: Request,
) -> ApiResult<axum::Json<ImportOutcome>> {
    principal.require_login()?;
    {
        let mut conn = state.pool.acquire().await?;
        principal.may_edit_population(&super::store::ancestors(&mut conn, id).await?)?;
    }
    let (overview, rows) = read_upload(&state, request, &params.file_name, None).await?;
    let name_header = overview
        .columns
        .iter()
        .map(|c| c.name.clone())
        .find(|c| NAME_COLUMNS.iter().any(|n| fold(n) == fold(c)));
    let Some(name_header) = name_header else {
        return Err(ApiError::invalid(
            "body",
            "the sheet has no column naming the neighbourhood units (\"Tổ dân phố\", \"Thôn\", \"Tên\")",
        ));
    };
    let unit_type = neighbourhood_type(&name_header);
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let (level, valid_from): (String, NaiveDate) =
        sqlx::query_as("select level, valid_from from admin_unit where id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if level != "ward" {
        return Err(ApiError::invalid(
            "id",
            "a statistics sheet lists the neighbourhood units of a ward or commune",
        ));
    }
    let known: Vec<(i64, String)> = sqlx::query_as(
        "select id, name from admin_unit where parent_id = $1 and level = 'neighbourhood'
         order by (valid_to is null or valid_to >= current_date) desc, valid_from desc",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let mut problems = Vec::new();
    let mut found: Vec<SheetRow> = Vec::new();
    for row in &rows {
        let Some(name) = cell(row, &[name_header.as_str()]).map(|v| match v {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        }) else {
            continue;
        };
        // The total line of a sheet is not a unit.
        if matches!(
            fold(&name).as_str(),
            "tong" | "tong cong" | "cong" | "toan phuong" | "toan xa"
        ) {
            continue;
        }
        let mut problem = |field: &str, text: String| {
            problems.push(FileProblem {
                row: row.row,
                field: field.into(),
                problem: text,
            })
        };
        let households = count(cell(row, HOUSEHOLD_COLUMNS)).unwrap_or_else(|e| {
            problem("households", e);
            None
        });
        let population = count(cell(row, POPULATION_COLUMNS)).unwrap_or_else(|e| {
            problem("population", e);
            None
        });
        let adults = count(cell(row, ADULT_COLUMNS)).unwrap_or_else(|e| {
            problem("adults", e);
            None
        });
        let as_of = match date(cell(row, DATE_COLUMNS)) {
            Ok(Some(day)) => Some(day),
            Ok(None) => params.as_of,
            Err(e) => {
                problem("as_of", e);
                params.as_of
            }
        };
        let Some(as_of) = as_of else {
            problem("as_of", "the sheet has no date: give as_of".into());
            continue;
        };
        check_counts(&mut problems, row.row, households, population, adults);
        let key = name_key(&name);
        let unit = known
            .iter()
            .find(|(_, n)| name_key(n) == key)
            .map(|(u, _)| *u);
        if unit.is_none() && !params.create_missing.unwrap_or(false) {
            problems.push(FileProblem {
                row: row.row,
                field: "name".into(),
                problem: format!(
                    "{name} is not a neighbourhood unit of this ward (create_missing=true adds it)"
                ),
            });
            continue;
        }
        if found.iter().any(|f| name_key(&f.1) == key && f.2 == as_of) {
            problems.push(FileProblem {
                row: row.row,
                field: "name".into(),
                problem: format!("{name} appears in an earlier row too"),
            });
            continue;
        }
        found.push((unit, name, as_of, (households, population, adults)));
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(FileProblem {
            row: 0,
            field: "body".into(),
            problem: "the sheet has no rows of figures".into(),
        });
    }
    let written = problems.is_empty() && !params.dry_run.unwrap_or(false);
    let mut created = Vec::new();
    if written {
        let source = params
            .source
            .clone()
            .unwrap_or_else(|| params.file_name.clone());
        for (unit, name, as_of, counts) in &found {
            let unit = match unit {
                Some(u) => *u,
                None => {
                    created.push(name.clone());
                    sqlx::query_scalar(
                        "insert into admin_unit (level, unit_type, name, parent_id, valid_from, established_by)
                         values ('neighbourhood', $1, $2, $3, $4, $5) returning id",
                    )
                    .bind(unit_type)
                    .bind(name)
                    .bind(id)
                    .bind(valid_from)
                    .bind(format!("Bảng thống kê {}", params.file_name))
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            upsert(&mut tx, &principal, unit, *as_of, *counts, &source, false).await?;
        }
        tx.commit().await?;
    }
    Ok(axum::Json(ImportOutcome {
        rows: rows.len(),
        recorded: if written { found.len() } else { 0 },
        created_units: created,
        problems,
        written,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PointParams {
    /// The uploaded file's name (.geojson, .gpkg, .zip, .csv with coordinates).
    pub file_name: String,
    /// household or building.
    pub kind: Option<String>,
    pub source: Option<String>,
    /// Coordinate system when the file declares none.
    pub crs: Option<String>,
    pub dry_run: Option<bool>,
}

/// `POST /api/v1/admin-units/{id}/household-points`: household or building
/// points of the unit (each placed in the neighbourhood unit that covers it).
#[utoipa::path(post, path = "/admin-units/{id}/household-points", tag = "Administrative units",
    params(("id" = i64, Path, description = "The ward or commune"), PointParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Points: GeoJSON, GeoPackage, zipped Shapefile"),
    responses((status = 200, body = ImportOutcome), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not change this unit's figures."),
              (status = 404, description = "No such unit."), (status = 422, description = "The file cannot be read.")))]
pub async fn import_points(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<PointParams>,
    request: Request,
) -> ApiResult<axum::Json<ImportOutcome>> {
    principal.require_login()?;
    {
        let mut conn = state.pool.acquire().await?;
        principal.may_edit_population(&super::store::ancestors(&mut conn, id).await?)?;
    }
    let kind = params.kind.clone().unwrap_or_else(|| "household".into());
    if !["household", "building"].contains(&kind.as_str()) {
        return Err(ApiError::invalid("kind", "household or building"));
    }
    let requested = params
        .crs
        .as_deref()
        .map(crate::coordinates::Crs::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("crs", e))?;
    let (overview, rows) = read_upload(&state, request, &params.file_name, None).await?;
    let srid = requested
        .map(|c| c.srid)
        .or(overview.declared_crs.as_ref().and_then(|c| c.srid))
        .unwrap_or(crate::coordinates::WGS84);
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let mut problems = Vec::new();
    let mut points = Vec::new();
    for row in &rows {
        let Some(geometry) = &row.geometry else {
            problems.push(FileProblem {
                row: row.row,
                field: "geometry".into(),
                problem: "has no geometry".into(),
            });
            continue;
        };
        let households = count(cell(row, HOUSEHOLD_COLUMNS))
            .unwrap_or(None)
            .unwrap_or(1);
        let population = count(cell(row, POPULATION_COLUMNS)).unwrap_or(None);
        let address = cell(row, &["địa chỉ", "dia chi", "address"])
            .and_then(Value::as_str)
            .map(str::to_string);
        let (problem, inside, text): (Option<String>, Option<bool>, Option<String>) =
            sqlx::query_as(
                "with c as (select (import_checked_geometry(ST_GeomFromGeoJSON($1), $2)).*)
             select case when c.problem is not null then c.problem
                         when GeometryType(c.geom) <> 'POINT' then 'is not a point' end,
                    ST_Intersects(c.geom, admin_unit_territory($3)), ST_AsGeoJSON(c.geom)
             from c",
            )
            .bind(geometry.to_string())
            .bind(srid)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(problem) = problem {
            problems.push(FileProblem {
                row: row.row,
                field: "geometry".into(),
                problem,
            });
            continue;
        }
        if inside == Some(false) {
            problems.push(FileProblem {
                row: row.row,
                field: "geometry".into(),
                problem: "lies outside the unit".into(),
            });
            continue;
        }
        points.push((text.unwrap_or_default(), households, population, address));
    }
    let written = problems.is_empty() && !params.dry_run.unwrap_or(false) && !points.is_empty();
    if written {
        let source = params
            .source
            .clone()
            .unwrap_or_else(|| params.file_name.clone());
        for (geojson, households, population, address) in &points {
            sqlx::query(
                "insert into household_point (kind, households, population, address, geom, source, created_by)
                 values ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7)",
            )
            .bind(&kind)
            .bind(*households as i32)
            .bind(population.map(|p| p as i32))
            .bind(address)
            .bind(geojson)
            .bind(&source)
            .bind(principal.user().map(|u| u.id))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(axum::Json(ImportOutcome {
        rows: rows.len(),
        recorded: if written { points.len() } else { 0 },
        created_units: vec![],
        problems,
        written,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_vietnamese_thousands() {
        assert_eq!(count(Some(&Value::from("1.234"))), Ok(Some(1234)));
        assert_eq!(count(Some(&Value::from(312))), Ok(Some(312)));
        assert!(count(Some(&Value::from("khoảng 300"))).is_err());
        assert!(count(Some(&Value::from(12.5))).is_err());
    }

    #[test]
    fn dates_are_day_first() {
        assert_eq!(
            date(Some(&Value::from("31/12/2025"))),
            Ok(NaiveDate::from_ymd_opt(2025, 12, 31))
        );
        assert!(date(Some(&Value::from("12/31/2025"))).is_err());
    }

    #[test]
    fn the_name_column_says_the_kind_of_unit() {
        assert_eq!(neighbourhood_type("Thôn"), "thôn");
        assert_eq!(neighbourhood_type("Tổ dân phố"), "tổ dân phố");
    }
}
