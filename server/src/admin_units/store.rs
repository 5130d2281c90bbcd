//! Reading and writing administrative units.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::{ListParams, MergeInput, UnitChange, UnitInput};
use crate::database::constraint::violated;
use crate::http::error::{ApiError, ApiResult};

/// A unit in a few words: to name predecessors, successors, parents.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct UnitRef {
    pub id: i64,
    pub level: String,
    pub unit_type: String,
    pub name: String,
    pub gso_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// For a predecessor: whether all of it went into the unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whole: Option<bool>,
}

/// An administrative unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub id: i64,
    pub level: String,
    pub unit_type: String,
    pub name: String,
    pub gso_code: Option<String>,
    pub parent: Option<UnitRef>,
    /// The province it lies in (itself for a province).
    pub province: Option<UnitRef>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Valid today.
    pub current: bool,
    pub established_by: Option<String>,
    pub ended_by: Option<String>,
    pub tm3_meridian: Option<f64>,
    pub boundary_quality: Option<String>,
    pub boundary_source: Option<String>,
    pub has_boundary: bool,
    pub area_km2: Option<f64>,
    /// [west, south, east, north] of the territory.
    pub bbox: Option<Vec<f64>>,
    pub note: Option<String>,
    /// Units it replaced, and units that replaced it.
    pub predecessors: Vec<UnitRef>,
    pub successors: Vec<UnitRef>,
    /// Units directly below it.
    pub children: i64,
    /// The newest households and population recorded for it.
    #[schema(value_type = Option<Object>)]
    pub population: Option<Value>,
    /// Its boundary as GeoJSON, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<Value>,
}

impl Unit {
    pub fn reference(&self) -> UnitRef {
        UnitRef {
            id: self.id,
            level: self.level.clone(),
            unit_type: self.unit_type.clone(),
            name: self.name.clone(),
            gso_code: self.gso_code.clone(),
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            whole: None,
        }
    }

    /// "Phường Chánh Lộ", "Tổ dân phố 3".
    pub fn title(&self) -> String {
        title(&self.unit_type, &self.name)
    }
}

/// A unit's type and name as Vietnamese writes them: "Phường Chánh Lộ";
/// a name that already starts with its type is left as it is ("Tổ dân phố 1").
pub fn title(unit_type: &str, name: &str) -> String {
    if name.to_lowercase().starts_with(&unit_type.to_lowercase()) {
        return name.to_string();
    }
    let mut chars = unit_type.chars();
    let capital: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{capital} {name}")
}

const REF: &str =
    "json_build_object('id', r.id, 'level', r.level, 'unit_type', r.unit_type, 'name', r.name,
    'gso_code', r.gso_code, 'valid_from', r.valid_from, 'valid_to', r.valid_to)";

/// The select list of a unit `u` as JSON ($1: with its boundary).
fn unit_json() -> String {
    format!(
        "json_build_object(
            'id', u.id, 'level', u.level, 'unit_type', u.unit_type, 'name', u.name, 'gso_code', u.gso_code,
            'parent', (select {REF} from admin_unit r where r.id = u.parent_id),
            'province', (select {REF} from admin_unit r where r.level = 'province' and r.id in (select admin_unit_ancestors(u.id)) limit 1),
            'valid_from', u.valid_from, 'valid_to', u.valid_to,
            'current', u.valid_from <= current_date and (u.valid_to is null or u.valid_to >= current_date),
            'established_by', u.established_by, 'ended_by', u.ended_by, 'tm3_meridian', u.tm3_meridian,
            'boundary_quality', u.boundary_quality, 'boundary_source', u.boundary_source,
            'has_boundary', u.boundary is not null,
            'area_km2', case when u.boundary is null then null else round((ST_Area(u.boundary::geography) / 1e6)::numeric, 3) end,
            'bbox', (select case when g is null then null else json_build_array(
                         round(ST_XMin(g)::numeric, 6), round(ST_YMin(g)::numeric, 6), round(ST_XMax(g)::numeric, 6), round(ST_YMax(g)::numeric, 6)) end
                     from (select coalesce(u.boundary, admin_unit_territory(u.id)) g) t),
            'note', u.note,
            'predecessors', coalesce((select json_agg({REF_WHOLE} order by r.name) from admin_unit_predecessor p
                                      join admin_unit r on r.id = p.predecessor_id where p.unit_id = u.id), '[]'),
            'successors', coalesce((select json_agg({REF_WHOLE} order by r.name) from admin_unit_predecessor p
                                    join admin_unit r on r.id = p.unit_id where p.predecessor_id = u.id), '[]'),
            'children', (select count(*) from admin_unit c where c.parent_id = u.id),
            'population', (select json_build_object('as_of', x.as_of, 'households', x.households, 'population', x.population,
                                                    'adults', x.adults, 'source', x.source, 'synthetic', x.synthetic)
                           from unit_population x where x.unit_id = u.id order by x.as_of desc limit 1),
            'boundary', case when $1 then ST_AsGeoJSON(u.boundary, 6)::json end)",
        REF_WHOLE = "json_build_object('id', r.id, 'level', r.level, 'unit_type', r.unit_type, 'name', r.name, 'gso_code', r.gso_code, 'valid_from', r.valid_from, 'valid_to', r.valid_to, 'whole', p.whole)"
    )
}

#[derive(serde::Deserialize)]
struct UnitDoc {
    id: i64,
    level: String,
    unit_type: String,
    name: String,
    gso_code: Option<String>,
    parent: Option<UnitRef>,
    province: Option<UnitRef>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    current: bool,
    established_by: Option<String>,
    ended_by: Option<String>,
    tm3_meridian: Option<f64>,
    boundary_quality: Option<String>,
    boundary_source: Option<String>,
    has_boundary: bool,
    area_km2: Option<f64>,
    bbox: Option<Vec<f64>>,
    note: Option<String>,
    predecessors: Vec<UnitRef>,
    successors: Vec<UnitRef>,
    children: i64,
    population: Option<Value>,
    boundary: Option<Value>,
}

impl From<UnitDoc> for Unit {
    fn from(d: UnitDoc) -> Self {
        Unit {
            id: d.id,
            level: d.level,
            unit_type: d.unit_type,
            name: d.name,
            gso_code: d.gso_code,
            parent: d.parent,
            province: d.province,
            valid_from: d.valid_from,
            valid_to: d.valid_to,
            current: d.current,
            established_by: d.established_by,
            ended_by: d.ended_by,
            tm3_meridian: d.tm3_meridian,
            boundary_quality: d.boundary_quality,
            boundary_source: d.boundary_source,
            has_boundary: d.has_boundary,
            area_km2: d.area_km2,
            bbox: d.bbox,
            note: d.note,
            predecessors: d.predecessors,
            successors: d.successors,
            children: d.children,
            population: d.population,
            boundary: d.boundary,
        }
    }
}

fn parse(docs: Vec<sqlx::types::Json<Value>>) -> ApiResult<Vec<Unit>> {
    docs.into_iter()
        .map(|d| {
            serde_json::from_value::<UnitDoc>(d.0)
                .map(Unit::from)
                .map_err(|e| ApiError::Internal(format!("unit document: {e}")))
        })
        .collect()
}

const LEVEL_ORDER: &str =
    "array_position(array['province', 'district', 'ward', 'neighbourhood'], u.level)";

/// Units matching the parameters, by level, then parent, then name.
pub async fn list(conn: &mut PgConnection, params: &ListParams) -> ApiResult<Vec<Unit>> {
    let q = params
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| q.replace('%', "\\%").replace('_', "\\_"));
    let docs: Vec<sqlx::types::Json<Value>> = sqlx::query_scalar(&format!(
        "select {}
         from admin_unit u
         where ($2::text is null or u.level = $2)
           and ($3::bigint is null or u.parent_id = $3)
           and ($4::text is null or u.name ilike '%' || $4 || '%' or u.gso_code = $4)
           and ($5::date is null or (u.valid_from <= $5 and (u.valid_to is null or u.valid_to >= $5)))
         order by {LEVEL_ORDER}, u.parent_id nulls first, u.name, u.valid_from
         limit 5000",
        unit_json()
    ))
    .bind(params.geometry.unwrap_or(false))
    .bind(&params.level)
    .bind(params.parent)
    .bind(q)
    .bind(params.at)
    .fetch_all(conn)
    .await?;
    parse(docs)
}

/// One unit, with its boundary when `geometry`.
pub async fn get(conn: &mut PgConnection, id: i64, geometry: bool) -> ApiResult<Unit> {
    let doc: Option<sqlx::types::Json<Value>> = sqlx::query_scalar(&format!(
        "select {} from admin_unit u where u.id = $2",
        unit_json()
    ))
    .bind(geometry)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let doc =
        doc.ok_or_else(|| ApiError::not_found(format!("there is no administrative unit {id}")))?;
    Ok(parse(vec![doc])?.remove(0))
}

/// The units whose staff answer for a unit (the facts access rules need):
/// the unit and every unit above it, and the units that replaced it (and
/// the units above those), whose offices took over its plans.
pub async fn ancestors(conn: &mut PgConnection, id: i64) -> ApiResult<Vec<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar("select admin_unit_responsible($1)")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    if ids.len() <= 1 {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from admin_unit where id = $1)")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if !exists {
            return Err(ApiError::not_found(format!(
                "there is no administrative unit {id}"
            )));
        }
    }
    Ok(ids)
}

/// Turns the database's refusals into problems of the input.
fn refusal(error: sqlx::Error) -> ApiError {
    match violated(&error) {
        Some("admin_unit_parent_level") => {
            ApiError::invalid("parent_id", "is not one tier above this unit")
        }
        Some("admin_unit_code_period") => ApiError::invalid(
            "gso_code",
            "another unit has this GSO code from the same day",
        ),
        Some("admin_unit_name_in_parent") => ApiError::invalid(
            "name",
            "the parent already has a neighbourhood unit of this name from the same day",
        ),
        Some("admin_unit_parent_id_fkey") => ApiError::invalid("parent_id", "no such unit"),
        Some("admin_unit_validity") => ApiError::invalid("valid_to", "is before valid_from"),
        _ => ApiError::from(error),
    }
}

/// A boundary from GeoJSON: a valid (Multi)Polygon in Vietnam, or the problem.
pub async fn boundary_sql_check(
    conn: &mut PgConnection,
    geojson: &Value,
) -> ApiResult<Result<(), String>> {
    let problem: Option<String> = sqlx::query_scalar(
        "select case when GeometryType(g) not in ('POLYGON', 'MULTIPOLYGON') then 'must be a Polygon or MultiPolygon'
                     else (checked_geometry(g, 4326)).problem end
         from (select ST_GeomFromGeoJSON($1) g) s",
    )
    .bind(geojson.to_string())
    .fetch_one(conn)
    .await
    .map_err(|_| ApiError::invalid("boundary", "is not a GeoJSON geometry"))?;
    Ok(match problem {
        Some(p) => Err(p),
        None => Ok(()),
    })
}

pub async fn insert(conn: &mut PgConnection, input: &UnitInput) -> ApiResult<i64> {
    if let Some(boundary) = &input.boundary
        && let Err(problem) = boundary_sql_check(conn, boundary).await?
    {
        return Err(ApiError::invalid("boundary", problem));
    }
    sqlx::query_scalar(
        "insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, tm3_meridian,
                                 boundary, established_by, boundary_quality, boundary_source, note)
         values (nullif($1, ''), $2, $3, $4, $5, $6, $7, $8,
                 case when $9::text is null then null else ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($9), 4326)) end,
                 $10, $11, $12, $13)
         returning id",
    )
    .bind(&input.gso_code)
    .bind(&input.level)
    .bind(input.name.trim())
    .bind(input.unit_type.trim())
    .bind(input.parent_id)
    .bind(input.valid_from)
    .bind(input.valid_to)
    .bind(input.tm3_meridian)
    .bind(input.boundary.as_ref().map(Value::to_string))
    .bind(&input.established_by)
    .bind(
        input
            .boundary_quality
            .clone()
            .or_else(|| input.boundary.as_ref().map(|_| "official".to_string())),
    )
    .bind(&input.boundary_source)
    .bind(&input.note)
    .fetch_one(conn)
    .await
    .map_err(refusal)
}

pub async fn update(conn: &mut PgConnection, id: i64, change: &UnitChange) -> ApiResult<()> {
    if let Some(boundary) = &change.boundary
        && let Err(problem) = boundary_sql_check(conn, boundary).await?
    {
        return Err(ApiError::invalid("boundary", problem));
    }
    sqlx::query(
        "update admin_unit set
             name = coalesce($2, name),
             unit_type = coalesce($3, unit_type),
             gso_code = case when $4::text is null then gso_code else nullif($4, '') end,
             parent_id = coalesce($5, parent_id),
             valid_from = coalesce($6, valid_from),
             valid_to = case when $7 then $8 else valid_to end,
             established_by = coalesce($9, established_by),
             ended_by = coalesce($10, ended_by),
             boundary = case when $11::text is null then boundary else ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($11), 4326)) end,
             boundary_quality = coalesce($12, case when $11::text is null then boundary_quality else 'official' end),
             boundary_source = coalesce($13, boundary_source),
             note = coalesce($14, note),
             updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(change.name.as_deref().map(str::trim))
    .bind(change.unit_type.as_deref().map(str::trim))
    .bind(&change.gso_code)
    .bind(change.parent_id)
    .bind(change.valid_from)
    .bind(change.valid_to.is_some())
    .bind(change.valid_to.flatten())
    .bind(&change.established_by)
    .bind(&change.ended_by)
    .bind(change.boundary.as_ref().map(Value::to_string))
    .bind(&change.boundary_quality)
    .bind(&change.boundary_source)
    .bind(&change.note)
    .execute(conn)
    .await
    .map_err(refusal)?;
    Ok(())
}

/// Ends the predecessors the day before `on`, links them, and (when asked)
/// gives the unit the union of their boundaries.
pub async fn merge(conn: &mut PgConnection, id: i64, input: &MergeInput) -> ApiResult<()> {
    let last_day = input.on.pred_opt().unwrap_or(input.on);
    sqlx::query(
        "update admin_unit set valid_to = $2, ended_by = $3, updated_at = now()
         where id = any($1) and (valid_to is null or valid_to > $2)",
    )
    .bind(&input.predecessors)
    .bind(last_day)
    .bind(&input.by)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into admin_unit_predecessor (unit_id, predecessor_id, whole)
         select $1, p, true from unnest($2::bigint[]) p
         union all
         select $1, p, false from unnest($3::bigint[]) p
         on conflict (unit_id, predecessor_id) do update set whole = excluded.whole",
    )
    .bind(id)
    .bind(&input.predecessors)
    .bind(&input.partly)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update admin_unit set valid_from = least(valid_from, $2),
             established_by = coalesce(established_by, $3),
             boundary = case when $4 and boundary is null
                             then (select ST_Multi(ST_Union(boundary)) from admin_unit where id = any($5))
                             else boundary end,
             boundary_quality = case when $4 and boundary is null then
                                     (select case when bool_and(boundary_quality = 'official') then 'official' else 'approximate' end
                                      from admin_unit where id = any($5))
                                     else boundary_quality end,
             boundary_source = case when $4 and boundary is null then 'Hợp các đơn vị được sắp xếp' else boundary_source end,
             updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(input.on)
    .bind(&input.by)
    .bind(input.union_boundary)
    .bind(&input.predecessors)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::title;

    #[test]
    fn titles_put_the_type_before_the_name_once() {
        assert_eq!(title("phường", "Chánh Lộ"), "Phường Chánh Lộ");
        assert_eq!(title("tổ dân phố", "Tổ dân phố 3"), "Tổ dân phố 3");
        assert_eq!(title("thôn", "Làng Rêu"), "Thôn Làng Rêu");
    }
}
