//! From a submitted filing to indicator values. A coverage filing's polygons
//! are intersected with the neighbourhood units of the call: where a unit has
//! household points (the FCC's "fabric" of serviceable locations) the
//! households covered are those whose point lies in a polygon, and the
//! population covered is the unit's population in the same share (or the
//! points' own population where they carry it) — method `household_points`;
//! elsewhere the share of the unit's area covered stands for its households
//! and population — method `area_weighted`. The figures are written per
//! operator (its filing and version, as of the call's date, supplied by who
//! submitted) and, for all operators' latest submissions together (the union
//! of their polygons), as the unit's own figure. A fixed-broadband filing
//! writes its rows' counts per unit as filed. Hatang derives the shares
//! (5G population %, households passed %) from these counts and the units'
//! households and population, and adds units up to the ward.

use serde_json::Value;
use sqlx::PgConnection;

use super::FilingKind;
use super::calls::CallRow;
use crate::http::error::ApiResult;
use crate::indicators::values::{self, FiledValue};
use crate::policy::Principal;

/// What one coverage figure of one unit is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Covered {
    pub unit_id: i64,
    pub technology: String,
    pub method: String,
    pub households: Option<f64>,
    pub population: Option<f64>,
}

/// The households and population covered in each neighbourhood unit of
/// `call` by the polygons of the given versions (one version: that
/// operator's; several: all operators together), per technology.
pub async fn covered(
    conn: &mut PgConnection,
    call: &CallRow,
    versions: &[i64],
) -> sqlx::Result<Vec<Covered>> {
    sqlx::query_as(include_str!("coverage.sql"))
        .bind(versions)
        .bind(&call.wards)
        .bind(call.as_of)
        .fetch_all(conn)
        .await
}

/// The latest submitted version of every operator's filing in `call`.
async fn latest_submitted(conn: &mut PgConnection, call: &CallRow) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "select (select v.id from filing_version v where v.filing_id = f.id and v.submitted_at is not null
                 order by v.number desc limit 1)
         from filing f where f.call_id = $1
           and exists (select 1 from filing_version v where v.filing_id = f.id and v.submitted_at is not null)",
    )
    .bind(call.id)
    .fetch_all(conn)
    .await
}

/// The indicator codes of a coverage figure.
fn codes(technology: &str) -> Option<(&'static str, &'static str)> {
    match technology {
        "4G" => Some(("households_covered_4g", "population_covered_4g")),
        "5G" => Some(("households_covered_5g", "population_covered_5g")),
        _ => None,
    }
}

/// What the submitted version `version_id` (number `number` of filing
/// `filing_id`, by `operator_id`) adds to the indicator values, in the
/// submission's transaction.
pub async fn record(
    conn: &mut PgConnection,
    principal: &Principal,
    call: &CallRow,
    filing_id: i64,
    operator_id: i64,
    version_id: i64,
    number: i32,
) -> ApiResult<()> {
    // A re-filing replaces what the operator filed before for this call: a
    // unit it no longer names must not keep the old figure.
    sqlx::query("delete from indicator_value where source = 'filed' and filing_id = $1")
        .bind(filing_id)
        .execute(&mut *conn)
        .await?;
    let filed = |indicator: &str, unit_id: i64, value: f64, method: &str| FiledValue {
        indicator: indicator.to_string(),
        unit_id,
        as_of: call.as_of,
        operator_id,
        value,
        method: method.to_string(),
        filing_id: Some(filing_id),
        filing_version: Some(number),
        note: None,
    };
    match call.kind() {
        FilingKind::MobileCoverage => {
            for c in covered(conn, call, &[version_id]).await? {
                let Some((households, population)) = codes(&c.technology) else {
                    continue;
                };
                if let Some(n) = c.households {
                    values::record_filed(
                        conn,
                        principal,
                        &filed(households, c.unit_id, n, &c.method),
                    )
                    .await?;
                }
                if let Some(n) = c.population {
                    values::record_filed(
                        conn,
                        principal,
                        &filed(population, c.unit_id, n, &c.method),
                    )
                    .await?;
                }
            }
            let all = latest_submitted(conn, call).await?;
            for c in covered(conn, call, &all).await? {
                let Some((households, population)) = codes(&c.technology) else {
                    continue;
                };
                if let Some(n) = c.households {
                    values::record_combined(conn, households, c.unit_id, call.as_of, n, &c.method)
                        .await?;
                }
                if let Some(n) = c.population {
                    values::record_combined(conn, population, c.unit_id, call.as_of, n, &c.method)
                        .await?;
                }
            }
        }
        FilingKind::FixedBroadband => {
            let (rows, source): (sqlx::types::Json<Vec<Value>>, String) =
                sqlx::query_as("select rows, source from filing_version where id = $1")
                    .bind(version_id)
                    .fetch_one(&mut *conn)
                    .await?;
            for row in rows.0 {
                let Some(unit_id) = row.get("unit_id").and_then(Value::as_i64) else {
                    continue;
                };
                let number = |field: &str| row.get(field).and_then(Value::as_f64);
                let passed = number("households_passed");
                let speed = number("max_speed_mbps");
                for (code, value) in [
                    ("fibre_households_passed", passed),
                    (
                        "fibre_households_subscribed",
                        number("households_subscribed"),
                    ),
                    ("fibre_max_speed_mbps", speed),
                    (
                        "fibre_households_gigabit",
                        passed.map(|p| {
                            if speed.unwrap_or(0.0) >= 1000.0 {
                                p
                            } else {
                                0.0
                            }
                        }),
                    ),
                ] {
                    if let Some(value) = value {
                        values::record_filed(
                            conn,
                            principal,
                            &filed(code, unit_id, value, &source),
                        )
                        .await?;
                    }
                }
            }
        }
        FilingKind::YearlyPlan => {}
    }
    Ok(())
}
