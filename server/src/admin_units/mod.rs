//! Administrative units, complete and over time: provinces, districts (the
//! tier that ended on 1/7/2025), communes and wards (xã, phường, đặc khu),
//! and the neighbourhood units below them (tổ dân phố in wards, thôn in
//! communes, khu dân cư, khu phố) that plans count households in.
//!
//! A unit keeps its GSO code where it has one, its name, parent and validity
//! period. Units are reorganised by resolutions of the National Assembly's
//! Standing Committee (the 2025 arrangement of commune-level units, e.g.
//! Resolution 1677/NQ-UBTVQH15 for Quảng Ngãi): a merger ends the old units
//! the day before and links the new unit to them, so that its figures include
//! their history. Nothing is deleted: an ended unit stays selectable for
//! plans and reports of its time.

pub mod boundaries;
pub mod population;
pub mod store;

use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;

pub use store::{Unit, UnitRef};

pub fn router() -> OpenApiRouter<AppState> {
    // Boundary files and population sheets are bigger than JSON bodies.
    let uploads = OpenApiRouter::new()
        .routes(routes!(boundaries::import))
        .routes(routes!(population::import))
        .routes(routes!(population::import_points))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES));
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, update))
        .routes(routes!(merge))
        .routes(routes!(population::list, population::record))
        .merge(uploads)
}

/// The largest boundary file (GeoPackage, zipped Shapefile, GeoJSON) or
/// population sheet accepted.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// The tiers, top down.
pub const LEVELS: [&str; 4] = ["province", "district", "ward", "neighbourhood"];

/// The unit types each level takes, as Vietnamese law names them.
pub fn unit_types(level: &str) -> &'static [&'static str] {
    match level {
        "province" => &["tỉnh", "thành phố"],
        "district" => &["huyện", "quận", "thị xã", "thành phố"],
        "ward" => &["phường", "xã", "thị trấn", "đặc khu"],
        "neighbourhood" => &[
            "tổ dân phố",
            "thôn",
            "khu dân cư",
            "khu phố",
            "bản",
            "ấp",
            "làng",
            "xóm",
            "buôn",
            "sóc",
        ],
        _ => &[],
    }
}

/// The level a parent must have for a unit of `level` (none for a province).
pub fn parent_levels(level: &str) -> &'static [&'static str] {
    match level {
        "district" => &["province"],
        "ward" => &["province", "district"],
        "neighbourhood" => &["ward"],
        _ => &[],
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// province, district, ward or neighbourhood.
    pub level: Option<String>,
    /// Units directly below this one.
    pub parent: Option<i64>,
    /// Text in the name (diacritics matter), or a GSO code.
    pub q: Option<String>,
    /// Only units valid on this day (YYYY-MM-DD); all, ended ones included, without it.
    pub at: Option<NaiveDate>,
    /// Include each unit's boundary as GeoJSON.
    pub geometry: Option<bool>,
}

/// `GET /api/v1/admin-units`: units, ended ones included unless `at` is given.
#[utoipa::path(get, path = "/admin-units", tag = "Administrative units",
    params(ListParams),
    responses((status = 200, description = "Units by level and name, with their predecessors and successors.", body = [Unit]),
              (status = 400, description = "A bad parameter.")))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<Vec<Unit>>> {
    if let Some(level) = &params.level
        && !LEVELS.contains(&level.as_str())
    {
        return Err(ApiError::Malformed(format!(
            "level must be one of {}; got {level:?}",
            LEVELS.join(", ")
        )));
    }
    let mut conn = state.pool.acquire().await?;
    let units = store::list(&mut conn, &params).await?;
    Ok(axum::Json(units))
}

/// `GET /api/v1/admin-units/{id}`.
#[utoipa::path(get, path = "/admin-units/{id}", tag = "Administrative units",
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = Unit), (status = 404, description = "No such unit.")))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Unit>> {
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(store::get(&mut conn, id, true).await?))
}

/// A new unit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    pub level: String,
    /// phường, xã, tổ dân phố, thôn … (see the level's list).
    pub unit_type: String,
    pub name: String,
    #[serde(default)]
    pub gso_code: Option<String>,
    /// Required for every level but the province.
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    #[serde(default)]
    pub established_by: Option<String>,
    /// A GeoJSON Polygon or MultiPolygon in WGS84.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<serde_json::Value>,
    #[serde(default)]
    pub boundary_quality: Option<String>,
    #[serde(default)]
    pub boundary_source: Option<String>,
    #[serde(default)]
    pub tm3_meridian: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

fn check_text(
    problems: &mut Problems,
    field: &str,
    value: Option<&str>,
    max: usize,
    required: bool,
) {
    match value.map(str::trim) {
        None | Some("") if required => problems.add(field, "required"),
        Some(text) if text.chars().count() > max => {
            problems.add(field, format!("is longer than {max} characters"))
        }
        _ => {}
    }
}

fn check_code(problems: &mut Problems, code: Option<&str>) {
    if let Some(code) = code
        && !(code.len() >= 2 && code.len() <= 5 && code.chars().all(|c| c.is_ascii_digit()))
    {
        problems.add("gso_code", "a GSO code has 2 to 5 digits");
    }
}

fn check_quality(problems: &mut Problems, quality: Option<&str>) {
    if let Some(q) = quality
        && !["official", "surveyed", "approximate", "synthetic"].contains(&q)
    {
        problems.add(
            "boundary_quality",
            "one of official, surveyed, approximate, synthetic",
        );
    }
}

impl UnitInput {
    fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        if !LEVELS.contains(&self.level.as_str()) {
            problems.add("level", format!("one of {}", LEVELS.join(", ")));
        } else if !unit_types(&self.level).contains(&self.unit_type.trim()) {
            problems.add(
                "unit_type",
                format!(
                    "for a {} one of {}",
                    self.level,
                    unit_types(&self.level).join(", ")
                ),
            );
        }
        check_text(&mut problems, "name", Some(&self.name), 200, true);
        check_code(&mut problems, self.gso_code.as_deref());
        if self.level == "province" && self.parent_id.is_some() {
            problems.add("parent_id", "a province has no parent");
        }
        if self.level != "province" && self.parent_id.is_none() {
            problems.add("parent_id", "required below the province");
        }
        if self.valid_to.is_some_and(|to| to < self.valid_from) {
            problems.add("valid_to", "is before valid_from");
        }
        check_text(
            &mut problems,
            "established_by",
            self.established_by.as_deref(),
            500,
            false,
        );
        check_text(
            &mut problems,
            "boundary_source",
            self.boundary_source.as_deref(),
            500,
            false,
        );
        check_text(&mut problems, "note", self.note.as_deref(), 2000, false);
        check_quality(&mut problems, self.boundary_quality.as_deref());
        if self.tm3_meridian.is_some() && self.level != "province" {
            problems.add("tm3_meridian", "only a province has a TM-3 meridian");
        }
        if self
            .tm3_meridian
            .is_some_and(|m| !(102.0..=118.0).contains(&m))
        {
            problems.add("tm3_meridian", "between 102 and 118 degrees");
        }
        problems.into_result(())
    }
}

/// `POST /api/v1/admin-units`.
#[utoipa::path(post, path = "/admin-units", tag = "Administrative units",
    request_body = UnitInput,
    responses((status = 201, body = Unit), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not add units of this level here."),
              (status = 422, description = "Every problem of the input, by field.")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<UnitInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let parent_ancestors = match input.parent_id {
        Some(parent) => store::ancestors(&mut tx, parent).await?,
        None => vec![],
    };
    principal.may_edit_unit(&input.level, &parent_ancestors)?;
    let id = store::insert(&mut tx, &input).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let unit = store::get(&mut conn, id, true).await?;
    Ok((StatusCode::CREATED, axum::Json(unit)).into_response())
}

/// What a PATCH may change: rename, recode, retype, move, end (`valid_to`
/// with `ended_by`), a new boundary.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitChange {
    pub name: Option<String>,
    pub unit_type: Option<String>,
    /// A new code; `""` removes it.
    pub gso_code: Option<String>,
    pub parent_id: Option<i64>,
    pub valid_from: Option<NaiveDate>,
    /// The last day of the unit; `null` reopens it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_to: Option<Option<NaiveDate>>,
    pub established_by: Option<String>,
    pub ended_by: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<serde_json::Value>,
    pub boundary_quality: Option<String>,
    pub boundary_source: Option<String>,
    pub note: Option<String>,
}

/// Tells a field set to `null` (Some(None)) from one left out (None).
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `PATCH /api/v1/admin-units/{id}`: rename, end, move, a new boundary.
#[utoipa::path(patch, path = "/admin-units/{id}", tag = "Administrative units",
    params(("id" = i64, Path, description = "Unit id")), request_body = UnitChange,
    responses((status = 200, body = Unit), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not change this unit."),
              (status = 404, description = "No such unit."), (status = 422, description = "Every problem, by field.")))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<UnitChange>,
) -> ApiResult<axum::Json<Unit>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let current = store::get(&mut tx, id, false).await?;
    principal.may_edit_unit(&current.level, &store::ancestors(&mut tx, id).await?)?;
    let mut problems = Problems::new();
    if let Some(name) = &change.name {
        check_text(&mut problems, "name", Some(name), 200, true);
    }
    if let Some(t) = &change.unit_type
        && !unit_types(&current.level).contains(&t.trim())
    {
        problems.add(
            "unit_type",
            format!(
                "for a {} one of {}",
                current.level,
                unit_types(&current.level).join(", ")
            ),
        );
    }
    check_code(
        &mut problems,
        change.gso_code.as_deref().filter(|c| !c.is_empty()),
    );
    let from = change.valid_from.unwrap_or(current.valid_from);
    let to = change.valid_to.unwrap_or(current.valid_to);
    if to.is_some_and(|to| to < from) {
        problems.add("valid_to", "is before valid_from");
    }
    if change.parent_id.is_some() && current.level == "province" {
        problems.add("parent_id", "a province has no parent");
    }
    check_quality(&mut problems, change.boundary_quality.as_deref());
    check_text(
        &mut problems,
        "ended_by",
        change.ended_by.as_deref(),
        500,
        false,
    );
    check_text(
        &mut problems,
        "established_by",
        change.established_by.as_deref(),
        500,
        false,
    );
    check_text(
        &mut problems,
        "boundary_source",
        change.boundary_source.as_deref(),
        500,
        false,
    );
    check_text(&mut problems, "note", change.note.as_deref(), 2000, false);
    problems.into_result(())?;
    if let Some(parent) = change.parent_id {
        principal.may_edit_unit(&current.level, &store::ancestors(&mut tx, parent).await?)?;
    }
    store::update(&mut tx, id, &change).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(store::get(&mut conn, id, true).await?))
}

/// A merger into the unit of the path: the units it replaces, the day it
/// takes effect and the act that decides it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// Units merged into this one; they end the day before `on`.
    pub predecessors: Vec<i64>,
    /// Units only part of which goes into this one; they do not end here.
    #[serde(default)]
    pub partly: Vec<i64>,
    /// The day the new organisation takes effect (its `valid_from`).
    pub on: NaiveDate,
    /// The resolution ("Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 …").
    pub by: String,
    /// Make this unit's boundary the union of the predecessors' (when it has none).
    #[serde(default)]
    pub union_boundary: bool,
}

/// What a merger did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MergeOutcome {
    pub unit: Unit,
    /// Units ended by the merger.
    pub ended: Vec<UnitRef>,
}

/// `POST /api/v1/admin-units/{id}/merge`: the units of the body are merged into
/// this one (ended the day before `on`, linked as its predecessors).
#[utoipa::path(post, path = "/admin-units/{id}/merge", tag = "Administrative units",
    params(("id" = i64, Path, description = "The unit formed by the merger")), request_body = MergeInput,
    responses((status = 200, body = MergeOutcome), (status = 401, description = "Not logged in."),
              (status = 403, description = "Only admins record mergers above the neighbourhood."),
              (status = 404, description = "No such unit."), (status = 422, description = "Every problem, by field.")))]
pub async fn merge(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MergeInput>,
) -> ApiResult<axum::Json<MergeOutcome>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let unit = store::get(&mut tx, id, false).await?;
    principal.may_edit_unit(&unit.level, &store::ancestors(&mut tx, id).await?)?;
    let mut problems = Problems::new();
    if input.predecessors.is_empty() && input.partly.is_empty() {
        problems.add(
            "predecessors",
            "name at least one unit merged into this one",
        );
    }
    check_text(&mut problems, "by", Some(&input.by), 500, true);
    let mut ended = Vec::new();
    for (field, ids) in [
        ("predecessors", &input.predecessors),
        ("partly", &input.partly),
    ] {
        for (i, other) in ids.iter().enumerate() {
            let path = format!("{field}[{i}]");
            if *other == id {
                problems.add(&path, "a unit cannot replace itself");
                continue;
            }
            match store::get(&mut tx, *other, false).await {
                Ok(p) if p.level != unit.level => problems.add(
                    &path,
                    format!(
                        "is a {}; a {} merges only units of its own level",
                        p.level, unit.level
                    ),
                ),
                Ok(p) if p.valid_from >= input.on => {
                    problems.add(&path, "begins on or after the day of the merger")
                }
                Ok(p)
                    if field == "predecessors"
                        && p.valid_to
                            .is_some_and(|to| to < input.on.pred_opt().unwrap_or(input.on)) =>
                {
                    problems.add(&path, "had already ended before the merger")
                }
                Ok(p) => {
                    if field == "predecessors" {
                        ended.push(p);
                    }
                }
                Err(ApiError::NotFound(_)) => problems.add(&path, "no such unit"),
                Err(other) => return Err(other),
            }
        }
    }
    if unit.valid_to.is_some_and(|to| to < input.on) {
        problems.add("on", "the unit has ended by then");
    }
    problems.into_result(())?;
    store::merge(&mut tx, id, &input).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(MergeOutcome {
        unit: store::get(&mut conn, id, true).await?,
        ended: ended.into_iter().map(|u| u.reference()).collect(),
    }))
}
