//! The checks of a filing that need the database: which neighbourhood unit a
//! row means and how many households it has, whether a polygon lies in the
//! call's unit, whether a polygon still claims coverage where the operator
//! accepted a challenge. Each problem names its row, field and column.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Value, json};
use sqlx::PgConnection;

use super::FilingKind;
use super::calls::CallRow;
use super::rows::{Problem, RawRow};
use crate::coordinates::slug;

/// A neighbourhood unit (tổ dân phố, thôn) of the call's wards, with its
/// households and population as of the call's date where they are known.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Neighbourhood {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub ward_id: i64,
    pub households: Option<i64>,
    pub population: Option<i64>,
}

/// The neighbourhood units of `wards` valid on `as_of`, with their households
/// and population.
pub async fn neighbourhoods(
    conn: &mut PgConnection,
    wards: &[i64],
    as_of: NaiveDate,
) -> sqlx::Result<Vec<Neighbourhood>> {
    sqlx::query_as(
        // Those of the wards a ward replaced too, with their households and
        // population as of the day (else the earliest after it).
        "select u.id, u.gso_code as code, u.name, u.parent_id as ward_id,
                p.households::bigint as households, p.population::bigint as population
         from admin_unit u
         left join lateral (
             select p.households, p.population from unit_population p where p.unit_id = u.id
             order by p.as_of > $2, abs(p.as_of - $2), p.id desc limit 1) p on true
         where u.id in (select admin_unit_neighbourhoods(w, $2) from unnest($1::bigint[]) as w)
         order by u.name",
    )
    .bind(wards)
    .bind(as_of)
    .fetch_all(conn)
    .await
}

/// How a cell names a unit, for matching: "Tổ dân phố 3", "TDP 3" and "3"
/// all become "3"; "Thôn Làng Rêu" becomes "lang-reu".
pub fn unit_key(text: &str) -> String {
    let s = slug(text);
    for prefix in [
        "to-dan-pho-",
        "khu-dan-cu-",
        "khu-pho-",
        "tdp-",
        "to-",
        "thon-",
        "kdc-",
        "ward-",
        "phuong-",
        "xa-",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return rest.trim_start_matches('0').to_string();
        }
    }
    s.trim_start_matches('0').to_string()
}

/// Finds the unit a row names, by code (exactly) or by name.
fn find<'a>(
    units: &'a [Neighbourhood],
    code: Option<&str>,
    name: Option<&str>,
) -> Option<&'a Neighbourhood> {
    if let Some(code) = code {
        if let Some(u) = units.iter().find(|u| {
            u.code
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(code.trim()))
        }) {
            return Some(u);
        }
        let key = unit_key(code);
        if let Some(u) = units.iter().find(|u| unit_key(&u.name) == key) {
            return Some(u);
        }
    }
    let key = unit_key(name?);
    units.iter().find(|u| unit_key(&u.name) == key)
}

/// A polygon of a coverage filing that could be read, in WGS84 (EWKB).
#[derive(Debug, Clone)]
pub struct Area {
    pub row_no: i32,
    pub technology: String,
    pub ewkb: Vec<u8>,
}

/// What the checks produce.
#[derive(Debug, Default)]
pub struct Checked {
    pub rows: Vec<Value>,
    pub problems: Vec<Problem>,
    pub areas: Vec<Area>,
}

fn problem_at(raw: Option<&RawRow>, mut problem: Problem) -> Problem {
    if let Some(raw) = raw {
        problem.column = raw
            .columns
            .get(problem.field.as_str())
            .cloned()
            .or(problem.column);
    }
    problem
}

/// Runs the database checks of `kind` on the rows already checked one by one.
pub async fn run(
    conn: &mut PgConnection,
    kind: FilingKind,
    call: &CallRow,
    operator_id: i64,
    raw: &[RawRow],
    rows: Vec<Value>,
    srid: i32,
) -> sqlx::Result<Checked> {
    match kind {
        FilingKind::FixedBroadband => fixed(conn, call, raw, rows).await,
        FilingKind::MobileCoverage => coverage(conn, call, operator_id, raw, rows, srid).await,
        FilingKind::YearlyPlan => plan(conn, call, raw, rows, srid).await,
    }
}

async fn fixed(
    conn: &mut PgConnection,
    call: &CallRow,
    raw: &[RawRow],
    mut rows: Vec<Value>,
) -> sqlx::Result<Checked> {
    let units = neighbourhoods(conn, &call.wards, call.as_of).await?;
    let mut problems = Vec::new();
    if units.is_empty() {
        problems.push(Problem::error(
            None,
            "unit",
            "no_neighbourhood_units",
            json!({"unit": call.unit_name}),
            format!(
                "{} has no neighbourhood units registered; the ward's staff must add them first",
                call.unit_name
            ),
        ));
    }
    let mut seen: BTreeMap<i64, i64> = BTreeMap::new();
    let mut without_figures = Vec::new();
    for (i, row) in rows.iter_mut().enumerate() {
        let r = raw.get(i);
        let n = row["row"].as_i64();
        let code = row.get("unit").and_then(Value::as_str).map(str::to_string);
        let name = row
            .get("unit_name")
            .and_then(Value::as_str)
            .map(str::to_string);
        if code.is_none() && name.is_none() {
            continue;
        }
        let Some(unit) = find(&units, code.as_deref(), name.as_deref()) else {
            let given = code.clone().or(name.clone()).unwrap_or_default();
            problems.push(problem_at(
                r,
                Problem::error(
                    n,
                    if code.is_some() { "unit" } else { "unit_name" },
                    "unknown_unit",
                    json!({"value": given, "unit": call.unit_name}),
                    format!(
                        "{given:?} is not a neighbourhood unit of {}",
                        call.unit_name
                    ),
                ),
            ));
            continue;
        };
        row["unit_id"] = unit.id.into();
        row["unit_name"] = unit.name.clone().into();
        if let Some(first) = seen.insert(unit.id, n.unwrap_or(0)) {
            problems.push(problem_at(
                r,
                Problem::error(
                    n,
                    "unit",
                    "duplicate_unit",
                    json!({"unit": unit.name, "first_row": first}),
                    format!("{} has a row already (row {first})", unit.name),
                ),
            ));
        }
        let passed = row.get("households_passed").and_then(Value::as_i64);
        match (unit.households, passed) {
            (Some(households), Some(passed)) if passed > households => {
                problems.push(problem_at(
                    r,
                    Problem::error(
                        n,
                        "households_passed",
                        "passed_exceeds_households",
                        json!({"passed": passed, "households": households, "unit": unit.name, "as_of": call.as_of}),
                        format!(
                            "{passed} households passed, but {} has {households} households as of {}",
                            unit.name, call.as_of
                        ),
                    ),
                ));
            }
            (None, _) => without_figures.push(unit.name.clone()),
            _ => {}
        }
    }
    if !without_figures.is_empty() {
        problems.push(Problem::warning(
            None,
            "unit",
            "no_household_figures",
            json!({"units": without_figures}),
            format!(
                "no household figures as of {} for {}; the share of households passed cannot be computed for them",
                call.as_of,
                without_figures.join(", ")
            ),
        ));
    }
    let missing: Vec<&str> = units
        .iter()
        .filter(|u| !seen.contains_key(&u.id))
        .map(|u| u.name.as_str())
        .collect();
    if !missing.is_empty() && !units.is_empty() {
        problems.push(Problem::warning(
            None,
            "unit",
            "units_without_row",
            json!({"units": missing}),
            format!(
                "no row for {}: they count as 0 households passed",
                missing.join(", ")
            ),
        ));
    }
    Ok(Checked {
        rows,
        problems,
        areas: Vec::new(),
    })
}

#[derive(sqlx::FromRow)]
struct PolygonCheck {
    row_no: i32,
    technology: String,
    problem: Option<String>,
    ewkb: Option<Vec<u8>>,
    inside: Option<f64>,
    challenges: Vec<i64>,
}

/// The problem codes of `filing_polygon`'s messages.
fn geometry_problem(row: Option<i64>, message: &str) -> Problem {
    if message == "not_a_polygon" {
        Problem::error(
            row,
            "geometry",
            "not_a_polygon",
            json!({}),
            "coverage must be a Polygon or MultiPolygon".into(),
        )
    } else if message.starts_with("the polygon crosses itself") {
        // checked_geometry's words for a self-intersection (migration 0054).
        Problem::error(
            row,
            "geometry",
            "invalid_geometry",
            json!({"reason": "self-intersection"}),
            message.to_string(),
        )
    } else if let Some(reason) = message.strip_prefix("invalid geometry: ") {
        Problem::error(
            row,
            "geometry",
            "invalid_geometry",
            json!({"reason": reason}),
            format!("the polygon is not valid: {reason}"),
        )
    } else if message.starts_with("lies outside Vietnam") {
        Problem::error(
            row,
            "geometry",
            "outside_vietnam",
            json!({"detail": message}),
            format!("the polygon {message}; is the coordinate system right?"),
        )
    } else {
        Problem::error(
            row,
            "geometry",
            "unreadable_geometry",
            json!({"reason": message}),
            message.to_string(),
        )
    }
}

/// More than this share of a polygon outside the unit is worth a warning.
const OUTSIDE_WARNING: f64 = 0.01;

async fn coverage(
    conn: &mut PgConnection,
    call: &CallRow,
    operator_id: i64,
    raw: &[RawRow],
    rows: Vec<Value>,
    srid: i32,
) -> sqlx::Result<Checked> {
    let input: Vec<Value> = raw
        .iter()
        .zip(&rows)
        .filter_map(|(r, row)| {
            let technology = row.get("technology").and_then(Value::as_str)?;
            let geometry = r.geometry.as_ref()?;
            super::rows::technology(technology)?;
            Some(json!({"row": r.row, "technology": technology, "geometry": geometry}))
        })
        .collect();
    let checks: Vec<PolygonCheck> = sqlx::query_as(
        "with input as (
             select (r->>'row')::int as row_no, r->>'technology' as technology, (r->'geometry')::text as gj
             from jsonb_array_elements($1::jsonb) r),
         checked as (
             select i.row_no, i.technology, p.geom, p.problem
             from input i cross join lateral filing_polygon(i.gj, $2) p),
         unit as (select ST_Union(boundary) as b from admin_unit where id = any($3))
         select c.row_no, c.technology, c.problem, ST_AsEWKB(c.geom) as ewkb,
                case when c.geom is not null and unit.b is not null then
                    coalesce(ST_Area(ST_Intersection(c.geom, unit.b)::geography) / nullif(ST_Area(c.geom::geography), 0), 0)
                end as inside,
                array(select ch.id from challenge ch
                      where ch.operator_id = $4 and ch.state in ('accepted', 'upheld') and ch.kind = 'no_mobile'
                        and ch.technology = c.technology and ch.ward_id = any($3)
                        and c.geom is not null and ST_Intersects(c.geom, ch.geom)
                      order by ch.id) as challenges
         from checked c cross join unit
         order by c.row_no",
    )
    .bind(Value::Array(input))
    .bind(srid)
    .bind(&call.wards)
    .bind(operator_id)
    .fetch_all(conn)
    .await?;
    let by_row: BTreeMap<i64, &RawRow> = raw.iter().map(|r| (r.row, r)).collect();
    let mut problems = Vec::new();
    let mut areas = Vec::new();
    for check in checks {
        let n = Some(i64::from(check.row_no));
        let r = by_row.get(&i64::from(check.row_no)).copied();
        if let Some(message) = &check.problem {
            problems.push(problem_at(r, geometry_problem(n, message)));
            continue;
        }
        match check.inside {
            Some(inside) if inside <= 0.0 => problems.push(Problem::error(
                n,
                "geometry",
                "polygon_outside_unit",
                json!({"unit": call.unit_name}),
                format!("the polygon lies outside {}", call.unit_name),
            )),
            Some(inside) if 1.0 - inside > OUTSIDE_WARNING => problems.push(Problem::warning(
                n,
                "geometry",
                "polygon_partly_outside",
                json!({"unit": call.unit_name, "outside_percent": ((1.0 - inside) * 1000.0).round() / 10.0}),
                format!(
                    "{:.1} % of the polygon lies outside {}; only the part inside counts",
                    (1.0 - inside) * 100.0,
                    call.unit_name
                ),
            )),
            None => problems.push(Problem::warning(
                n,
                "geometry",
                "unit_without_boundary",
                json!({"unit": call.unit_name}),
                format!("{} has no boundary to check the polygon against", call.unit_name),
            )),
            _ => {}
        }
        for challenge in &check.challenges {
            problems.push(Problem::error(
                n,
                "geometry",
                "covers_accepted_challenge",
                json!({"challenge": challenge, "technology": check.technology}),
                format!(
                    "the polygon still claims {} where challenge {challenge} was accepted; correct it, or dispute the challenge",
                    check.technology
                ),
            ));
        }
        if let Some(ewkb) = check.ewkb {
            areas.push(Area {
                row_no: check.row_no,
                technology: check.technology,
                ewkb,
            });
        }
    }
    if rows.is_empty() {
        problems.push(Problem::error(
            None,
            "rows",
            "no_rows",
            json!({}),
            "the filing has no rows".into(),
        ));
    }
    Ok(Checked {
        rows,
        problems,
        areas,
    })
}

async fn plan(
    conn: &mut PgConnection,
    call: &CallRow,
    raw: &[RawRow],
    mut rows: Vec<Value>,
    srid: i32,
) -> sqlx::Result<Checked> {
    // A plan's row may name a ward of the call or one of its neighbourhood units.
    let mut units = neighbourhoods(conn, &call.wards, call.as_of).await?;
    let wards: Vec<Neighbourhood> = sqlx::query_as(
        "select id, gso_code as code, name, id as ward_id, null::bigint as households, null::bigint as population
         from admin_unit where id = any($1)",
    )
    .bind(&call.wards)
    .fetch_all(&mut *conn)
    .await?;
    units.extend(wards);
    let mut problems = Vec::new();
    for (i, row) in rows.iter_mut().enumerate() {
        let r = raw.get(i);
        let n = row["row"].as_i64();
        if let Some(given) = row.get("unit").and_then(Value::as_str).map(str::to_string) {
            match find(&units, Some(&given), None) {
                Some(unit) => {
                    row["unit_id"] = unit.id.into();
                    row["unit_name"] = unit.name.clone().into();
                }
                None => problems.push(problem_at(
                    r,
                    Problem::error(
                        n,
                        "unit",
                        "unknown_unit",
                        json!({"value": given, "unit": call.unit_name}),
                        format!("{given:?} is not a unit of {}", call.unit_name),
                    ),
                )),
            }
        }
        if let Some(geometry) = r.and_then(|r| r.geometry.as_ref()) {
            let (problem, inside): (Option<String>, Option<bool>) = sqlx::query_as(
                "select p.problem,
                        case when p.geom is not null then exists (select 1 from admin_unit u where u.id = any($3) and ST_Intersects(u.boundary, p.geom)) end
                 from filing_geometry($1, $2) p",
            )
            .bind(geometry.to_string())
            .bind(srid)
            .bind(&call.wards)
            .fetch_one(&mut *conn)
            .await?;
            if let Some(message) = problem {
                problems.push(geometry_problem(n, &message));
            } else if inside == Some(false) {
                problems.push(Problem::error(
                    n,
                    "geometry",
                    "outside_unit",
                    json!({"unit": call.unit_name}),
                    format!("the location lies outside {}", call.unit_name),
                ));
            } else {
                row["geometry"] = geometry.clone();
            }
        }
    }
    Ok(Checked {
        rows,
        problems,
        areas: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_match_however_they_are_written() {
        assert_eq!(unit_key("Tổ dân phố 3"), "3");
        assert_eq!(unit_key("TDP 03"), "3");
        assert_eq!(unit_key("3"), "3");
        assert_eq!(unit_key("Thôn Làng Rêu"), "lang-reu");
    }
}
