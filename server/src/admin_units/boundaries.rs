//! Importing boundaries of administrative units from a GeoPackage, a zipped
//! Shapefile or GeoJSON (read with GDAL, as asset imports are): each feature
//! is matched to a unit by its GSO code or its name, its polygon converted
//! to WGS84 from the file's coordinate system (VN-2000 TM-3 zones included)
//! and checked. Every problem is reported by row; the boundaries are written
//! only when no row has one, all in one transaction.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use utoipa::{IntoParams, ToSchema};

use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::import::source::{self, Format, Overview, SourceFile, SourceRow};
use crate::policy::Principal;
use crate::state::AppState;

/// Reads an uploaded file whole: what it holds and every row.
pub async fn read_upload(
    state: &AppState,
    request: Request,
    file_name: &str,
    layer: Option<String>,
) -> ApiResult<(Overview, Vec<SourceRow>)> {
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge {
                    limit: state.imports.max_bytes,
                }
            } else {
                ApiError::Malformed(format!("could not read the uploaded file: {rejection}"))
            }
        })?;
    if body.is_empty() {
        return Err(ApiError::invalid("body", "the file is empty"));
    }
    let format = Format::from_file_name(file_name).ok_or_else(|| {
        ApiError::invalid(
            "file_name",
            format!(
                "{file_name:?} is not a format Hatang reads; one of {}",
                source::EXTENSIONS
            ),
        )
    })?;
    let file = Arc::new(
        SourceFile::in_memory(file_name, format, body.to_vec(), &state.imports.archive)
            .map_err(crate::import::handlers::source_error)?,
    );
    let max_rows = state.imports.max_rows;
    tokio::task::spawn_blocking(move || {
        let overview = source::overview(&file, layer.as_deref(), 3)?;
        let mut rows = Vec::new();
        source::read_rows(&file, Some(&overview.layer), max_rows, 1000, |batch| {
            rows.extend(batch);
            true
        })?;
        Ok::<_, source::SourceError>((overview, rows))
    })
    .await
    .map_err(|_| ApiError::Internal("the file reader stopped".into()))?
    .map_err(|e| ApiError::invalid("body", e.to_string()))
}

/// A cell by any of several column names (case and diacritics ignored).
pub fn cell<'a>(row: &'a SourceRow, names: &[&str]) -> Option<&'a Value> {
    row.cells
        .iter()
        .find(|(column, _)| {
            let column = fold(column);
            names.iter().any(|n| fold(n) == column)
        })
        .map(|(_, v)| v)
        .filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

/// Text folded for matching: lower case, without diacritics, spaces single.
pub fn fold(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect::<String>()
        .replace(['đ', 'Đ'], "d");
    stripped
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A unit's name as files write it, without its type: "Phường Chánh Lộ",
/// "P. Chánh Lộ" and "Chánh Lộ" are the same; "Tổ dân phố 3", "TDP 3",
/// "Tổ 3" too.
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let prefixes = [
        "thanh pho ",
        "tp ",
        "tp. ",
        "tinh ",
        "quan ",
        "huyen ",
        "thi xa ",
        "tx ",
        "tx. ",
        "phuong ",
        "p. ",
        "p ",
        "xa ",
        "x. ",
        "thi tran ",
        "tt ",
        "tt. ",
        "dac khu ",
        "to dan pho so ",
        "to dan pho ",
        "tdp so ",
        "tdp ",
        "tdp. ",
        "to so ",
        "to ",
        "thon ",
        "khu dan cu ",
        "kdc ",
        "khu pho ",
        "kp ",
        "ban ",
        "ap ",
        "lang ",
        "xom ",
    ];
    for prefix in prefixes {
        if let Some(rest) = folded.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    folded
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BoundaryParams {
    /// The name of the uploaded file; its extension says the format
    /// (.gpkg, .zip with a Shapefile, .geojson).
    pub file_name: String,
    /// Level of the units in the file.
    pub level: String,
    /// Match only units below this one (needed for neighbourhood units).
    pub parent: Option<i64>,
    /// Layer of a GeoPackage (default: the first with features).
    pub layer: Option<String>,
    /// Coordinate system of the file when it declares none (`EPSG:3405`, `TM3:108`).
    pub crs: Option<String>,
    /// Only check; write nothing.
    pub dry_run: Option<bool>,
    /// official, surveyed, approximate or synthetic (default official).
    pub quality: Option<String>,
    /// Where the boundaries come from (default: the file name).
    pub source: Option<String>,
}

/// A problem of one row of a file (1 = the first row after the header).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileProblem {
    pub row: i64,
    pub field: String,
    pub problem: String,
}

/// One matched feature.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoundaryMatch {
    pub row: i64,
    pub unit_id: i64,
    pub name: String,
    pub area_km2: f64,
}

/// What an import of boundaries found and did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoundaryOutcome {
    pub rows: usize,
    /// The coordinate system the file was read in.
    pub srid: i32,
    pub matched: Vec<BoundaryMatch>,
    pub problems: Vec<FileProblem>,
    /// Whether the boundaries were written (no problem, not a dry run).
    pub written: bool,
}

const CODE_COLUMNS: &[&str] = &[
    "gso_code", "ma", "ma_dvhc", "madvhc", "ma_xa", "maxa", "ma_tinh", "matinh", "ma_huyen",
    "code", "ma_so",
];
const NAME_COLUMNS: &[&str] = &[
    "name",
    "ten",
    "ten_dvhc",
    "tendvhc",
    "ten_xa",
    "tenxa",
    "ten_tinh",
    "ten_huyen",
    "ten_to",
    "to_dan_pho",
    "thon",
];

/// `POST /api/v1/admin-units/boundaries?file_name=…&level=…`: the body is
/// the file.
#[utoipa::path(post, path = "/admin-units/boundaries", tag = "Administrative units",
    params(BoundaryParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "A GeoPackage, zipped Shapefile or GeoJSON"),
    responses((status = 200, body = BoundaryOutcome, description = "Matched features and problems by row; written only without problems."),
              (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change these units."),
              (status = 413, description = "The file is larger than the import limit."), (status = 422, description = "The file or a parameter is not usable.")))]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<BoundaryParams>,
    request: Request,
) -> ApiResult<axum::Json<BoundaryOutcome>> {
    principal.require_login()?;
    if !super::LEVELS.contains(&params.level.as_str()) {
        return Err(ApiError::invalid(
            "level",
            format!("one of {}", super::LEVELS.join(", ")),
        ));
    }
    if params.level == "neighbourhood" && params.parent.is_none() {
        return Err(ApiError::invalid(
            "parent",
            "name the ward or commune whose neighbourhood units the file holds",
        ));
    }
    if let Some(q) = &params.quality
        && !["official", "surveyed", "approximate", "synthetic"].contains(&q.as_str())
    {
        return Err(ApiError::invalid(
            "quality",
            "one of official, surveyed, approximate, synthetic",
        ));
    }
    let ancestors = {
        let mut conn = state.pool.acquire().await?;
        match params.parent {
            Some(parent) => super::store::ancestors(&mut conn, parent).await?,
            None => vec![],
        }
    };
    principal.may_edit_unit(&params.level, &ancestors)?;
    let requested = params
        .crs
        .as_deref()
        .map(crate::coordinates::Crs::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("crs", e))?;
    let (overview, rows) =
        read_upload(&state, request, &params.file_name, params.layer.clone()).await?;
    let srid = requested
        .map(|c| c.srid)
        .or(overview.declared_crs.as_ref().and_then(|c| c.srid))
        .unwrap_or(crate::coordinates::WGS84);

    let mut tx = changes::begin(&state.pool, &principal).await?;
    let candidates: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select id, name, gso_code from admin_unit
         where level = $1 and ($2::bigint is null or parent_id = $2)
         order by (valid_to is null or valid_to >= current_date) desc, valid_from desc",
    )
    .bind(&params.level)
    .bind(params.parent)
    .fetch_all(&mut *tx)
    .await?;
    let mut problems = Vec::new();
    let mut matched: Vec<BoundaryMatch> = Vec::new();
    let mut geometries: Vec<(i64, String)> = Vec::new();
    for row in &rows {
        let code = cell(row, CODE_COLUMNS).map(|v| match v {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        });
        let name = cell(row, NAME_COLUMNS)
            .and_then(Value::as_str)
            .map(str::to_string);
        let unit = match (&code, &name) {
            (Some(code), _) if candidates.iter().any(|c| c.2.as_deref() == Some(code)) => {
                candidates.iter().find(|c| c.2.as_deref() == Some(code))
            }
            (_, Some(name)) => {
                let key = name_key(name);
                let found: Vec<_> = candidates
                    .iter()
                    .filter(|c| name_key(&c.1) == key)
                    .collect();
                if found.len() > 1 && params.parent.is_none() {
                    problems.push(FileProblem {
                        row: row.row,
                        field: "name".into(),
                        problem: format!(
                            "{name:?} names more than one {}; give GSO codes or a parent",
                            params.level
                        ),
                    });
                    continue;
                }
                found.first().copied()
            }
            _ => None,
        };
        let Some(unit) = unit else {
            problems.push(FileProblem {
                row: row.row,
                field: if code.is_some() { "gso_code" } else { "name" }.into(),
                problem: match (&code, &name) {
                    (None, None) => {
                        "neither a GSO code nor a name column (ma, ten, name …) has a value".into()
                    }
                    _ => format!(
                        "no {} {} matches",
                        params.level,
                        code.clone().or(name.clone()).unwrap_or_default()
                    ),
                },
            });
            continue;
        };
        if matched.iter().any(|m| m.unit_id == unit.0) {
            problems.push(FileProblem {
                row: row.row,
                field: "name".into(),
                problem: format!("{} appears in an earlier row too", unit.1),
            });
            continue;
        }
        let Some(geometry) = &row.geometry else {
            problems.push(FileProblem {
                row: row.row,
                field: "geometry".into(),
                problem: "has no geometry".into(),
            });
            continue;
        };
        let (problem, area, text): (Option<String>, Option<f64>, Option<String>) = sqlx::query_as(
            "with c as (select (import_checked_geometry(ST_GeomFromGeoJSON($1), $2)).*)
             select case when c.problem is not null then c.problem
                         when GeometryType(c.geom) not in ('POLYGON', 'MULTIPOLYGON') then 'is a ' || lower(GeometryType(c.geom)) || ', not a polygon'
                    end,
                    ST_Area(c.geom::geography) / 1e6, ST_AsGeoJSON(ST_Multi(c.geom))
             from c",
        )
        .bind(geometry.to_string())
        .bind(srid)
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
        matched.push(BoundaryMatch {
            row: row.row,
            unit_id: unit.0,
            name: unit.1.clone(),
            area_km2: (area.unwrap_or(0.0) * 1000.0).round() / 1000.0,
        });
        geometries.push((unit.0, text.unwrap_or_default()));
    }
    let written = problems.is_empty() && !params.dry_run.unwrap_or(false) && !matched.is_empty();
    if written {
        let quality = params.quality.clone().unwrap_or_else(|| "official".into());
        let source = params
            .source
            .clone()
            .unwrap_or_else(|| params.file_name.clone());
        for (id, geojson) in &geometries {
            sqlx::query(
                "update admin_unit set boundary = ST_SetSRID(ST_GeomFromGeoJSON($2), 4326),
                     boundary_quality = $3, boundary_source = $4, updated_at = now() where id = $1",
            )
            .bind(id)
            .bind(geojson)
            .bind(&quality)
            .bind(&source)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(axum::Json(BoundaryOutcome {
        rows: rows.len(),
        srid,
        matched,
        problems,
        written,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_with_or_without_their_type_and_diacritics() {
        assert_eq!(name_key("Phường Chánh Lộ"), name_key("Chánh Lộ"));
        assert_eq!(name_key("P. Chánh Lộ"), "chanh lo");
        assert_eq!(name_key("Tổ dân phố 3"), name_key("TDP 3"));
        assert_eq!(name_key("Tổ 3"), "3");
        assert_ne!(name_key("Nghĩa Lộ"), name_key("Chánh Lộ"));
        assert_eq!(fold("Số  nhân_khẩu"), "so nhan khau");
    }
}
