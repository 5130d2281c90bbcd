//! Stored values: what operators file (written by the filings module through
//! [`record_filed`]), what departments declare, and the daily snapshots of
//! figures Hatang counts from the registry ([`snapshot`]), so that a trend
//! reaches back before today.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::{How, Source, figures::Scope};
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::policy::Principal;

/// A value an operator filed for one unit, as the filings module records it.
#[derive(Debug, Clone)]
pub struct FiledValue {
    /// A kind with source `filed` that is stored (`fibre_households_passed`, …).
    pub indicator: String,
    pub unit_id: i64,
    pub as_of: NaiveDate,
    pub operator_id: i64,
    pub value: f64,
    /// `form`, `upload`, or for coverage from polygons `area_weighted` or `household_points`.
    pub method: String,
    pub filing_id: Option<i64>,
    pub filing_version: Option<i32>,
    pub note: Option<String>,
}

/// Whether `code` is a stored kind of `source`.
fn stored_kind(code: &str, source: Source) -> Result<(), String> {
    match super::kind(code) {
        None => Err(format!("{code} is not an indicator Hatang knows")),
        Some(kind) if kind.meta().source != source || !matches!(kind.how(), How::Stored) => {
            Err(format!(
                "{code} is not a figure that is {}",
                match source {
                    Source::Filed => "filed by operators",
                    Source::Declared => "declared by departments",
                    Source::Computed => "computed",
                }
            ))
        }
        Some(_) => Ok(()),
    }
}

/// Records (or replaces, for a re-filing) a filed value in the caller's
/// transaction, as supplied by `principal`.
pub async fn record_filed(
    conn: &mut PgConnection,
    principal: &Principal,
    value: &FiledValue,
) -> ApiResult<i64> {
    stored_kind(&value.indicator, Source::Filed).map_err(|p| ApiError::invalid("indicator", p))?;
    let actor = principal.actor();
    let id = sqlx::query_scalar(
        "insert into indicator_value (indicator, unit_id, as_of, value, source, operator_id, method, supplied_by,
                                      supplied_by_user_id, supplied_by_token_id, filing_id, filing_version, note)
         values ($1, $2, $3, $4, 'filed', $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (indicator, unit_id, as_of, source, coalesce(operator_id, 0)) do update set
             value = excluded.value, method = excluded.method, supplied_by = excluded.supplied_by,
             supplied_by_user_id = excluded.supplied_by_user_id, supplied_by_token_id = excluded.supplied_by_token_id,
             filing_id = excluded.filing_id, filing_version = excluded.filing_version, note = excluded.note,
             recorded_at = now()
         returning id",
    )
    .bind(&value.indicator)
    .bind(value.unit_id)
    .bind(value.as_of)
    .bind(value.value)
    .bind(value.operator_id)
    .bind(&value.method)
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .bind(value.filing_id)
    .bind(value.filing_version)
    .bind(&value.note)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Records a coverage figure Hatang worked out for all operators together
/// (the union of their polygons), which stands for the unit as a whole.
pub async fn record_combined(
    conn: &mut PgConnection,
    indicator: &str,
    unit_id: i64,
    as_of: NaiveDate,
    value: f64,
    method: &str,
) -> ApiResult<()> {
    stored_kind(indicator, Source::Filed).map_err(|p| ApiError::invalid("indicator", p))?;
    sqlx::query(
        "insert into indicator_value (indicator, unit_id, as_of, value, source, method, supplied_by)
         values ($1, $2, $3, $4, 'computed', $5, 'system')
         on conflict (indicator, unit_id, as_of, source, coalesce(operator_id, 0)) do update set
             value = excluded.value, method = excluded.method, recorded_at = now()",
    )
    .bind(indicator)
    .bind(unit_id)
    .bind(as_of)
    .bind(value)
    .bind(method)
    .execute(conn)
    .await?;
    Ok(())
}

/// A department's value, with what it cites.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclaredInput {
    /// A kind with source `declared` (`adults_with_smartphone_pct`, …).
    pub indicator: String,
    pub unit_id: i64,
    pub as_of: NaiveDate,
    pub value: f64,
    /// The counts of a share, when the department has them.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// What the figure rests on ("Báo cáo số 12/BC-CA ngày 20/11/2026 của Công an phường").
    pub evidence: String,
    /// A file uploaded with `POST /api/v1/indicator-evidence`.
    pub evidence_document_id: Option<i64>,
    pub note: Option<String>,
}

impl DeclaredInput {
    pub fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        if let Err(p) = stored_kind(&self.indicator, Source::Declared) {
            problems.add("indicator", p);
        }
        let percent = super::kind(&self.indicator)
            .is_some_and(|k| k.meta().measure == super::Measure::Percent);
        if !self.value.is_finite() || self.value < 0.0 || (percent && self.value > 100.0) {
            problems.add(
                "value",
                if percent {
                    "a share from 0 to 100"
                } else {
                    "a number from 0"
                },
            );
        }
        match (self.numerator, self.denominator) {
            (None, None) => {}
            (Some(n), Some(d)) if n >= 0.0 && d > 0.0 && n <= d => {
                if percent && ((n / d * 100.0) - self.value).abs() > 0.5 {
                    problems.add("value", "does not match numerator / denominator");
                }
            }
            _ => problems.add(
                "denominator",
                "give both counts, the numerator no more than the denominator",
            ),
        }
        if self.evidence.trim().is_empty() || self.evidence.chars().count() > 2000 {
            problems.add(
                "evidence",
                "say what the figure rests on (1 to 2000 characters)",
            );
        }
        problems.into_result(())
    }
}

/// Records (or replaces) a declared value.
pub async fn declare(
    conn: &mut PgConnection,
    principal: &Principal,
    input: &DeclaredInput,
) -> ApiResult<i64> {
    if let Some(document) = input.evidence_document_id {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from indicator_evidence where id = $1)")
                .bind(document)
                .fetch_one(&mut *conn)
                .await?;
        if !exists {
            return Err(ApiError::invalid(
                "evidence_document_id",
                "no such document",
            ));
        }
    }
    let actor = principal.actor();
    let id = sqlx::query_scalar(
        "insert into indicator_value (indicator, unit_id, as_of, value, numerator, denominator, source, method,
                                      supplied_by, supplied_by_user_id, supplied_by_token_id, evidence, evidence_document_id, note)
         values ($1, $2, $3, $4, $5, $6, 'declared', 'declared', $7, $8, $9, $10, $11, $12)
         on conflict (indicator, unit_id, as_of, source, coalesce(operator_id, 0)) do update set
             value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,
             supplied_by = excluded.supplied_by, supplied_by_user_id = excluded.supplied_by_user_id,
             evidence = excluded.evidence, evidence_document_id = excluded.evidence_document_id,
             note = excluded.note, recorded_at = now()
         returning id",
    )
    .bind(&input.indicator)
    .bind(input.unit_id)
    .bind(input.as_of)
    .bind(input.value)
    .bind(input.numerator)
    .bind(input.denominator)
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .bind(input.evidence.trim())
    .bind(input.evidence_document_id)
    .bind(&input.note)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// A stored value as the API lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct StoredValue {
    pub id: i64,
    pub indicator: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub as_of: NaiveDate,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    #[schema(value_type = Option<Object>)]
    pub breakdown: Option<sqlx::types::Json<serde_json::Value>>,
    pub source: String,
    pub operator: Option<String>,
    pub method: Option<String>,
    pub supplied_by: String,
    pub filing_id: Option<i64>,
    pub filing_version: Option<i32>,
    pub evidence: Option<String>,
    pub evidence_document_id: Option<i64>,
    pub synthetic: bool,
    pub note: Option<String>,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// Values of a unit and its parts, newest first.
pub async fn list(
    conn: &mut PgConnection,
    unit_id: i64,
    indicator: Option<&str>,
    source: Option<&str>,
) -> sqlx::Result<Vec<StoredValue>> {
    sqlx::query_as(
        "select v.id, v.indicator, v.unit_id, u.name as unit_name, v.as_of, v.value, v.numerator, v.denominator,
                v.breakdown, v.source, o.code as operator, v.method, v.supplied_by, v.filing_id, v.filing_version,
                v.evidence, v.evidence_document_id, v.synthetic, v.note, v.recorded_at
         from indicator_value v join admin_unit u on u.id = v.unit_id left join operator o on o.id = v.operator_id
         where (v.unit_id = $1 or v.unit_id in (select admin_unit_descendants($1)))
           and ($2::text is null or v.indicator = $2) and ($3::text is null or v.source = $3)
         order by v.as_of desc, v.indicator, u.name, o.code nulls first
         limit 5000",
    )
    .bind(unit_id)
    .bind(indicator)
    .bind(source)
    .fetch_all(conn)
    .await
}

/// Records today's registry figures of every unit a plan is for (and of the
/// units it replaced and that replaced it), so that the trend has a point
/// for each day Hatang ran.
pub async fn snapshot(pool: &sqlx::PgPool) -> ApiResult<usize> {
    let mut conn = pool.acquire().await?;
    let units: Vec<i64> = sqlx::query_scalar(
        "select distinct u.id from plan p
         cross join lateral (select p.unit_id as id
                             union select predecessor_id from admin_unit_predecessor where unit_id = p.unit_id
                             union select unit_id from admin_unit_predecessor where predecessor_id = p.unit_id) u
         order by u.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let today = crate::vn_time::today();
    let mut written = 0;
    for unit in units {
        let scope = Scope {
            unit_id: unit,
            day: today,
            live: true,
            baseline: None,
        };
        for kind in super::kinds() {
            let How::Registry(compute) = kind.how() else {
                continue;
            };
            let Some(figure) = compute(&mut conn, &scope).await? else {
                continue;
            };
            sqlx::query(
                "insert into indicator_value (indicator, unit_id, as_of, value, numerator, denominator, breakdown,
                                              source, method, supplied_by)
                 values ($1, $2, $3, $4, $5, $6, $7, 'computed', 'registry', 'system')
                 on conflict (indicator, unit_id, as_of, source, coalesce(operator_id, 0)) do update set
                     value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,
                     breakdown = excluded.breakdown, recorded_at = now()",
            )
            .bind(kind.meta().code)
            .bind(unit)
            .bind(today)
            .bind(figure.value)
            .bind(figure.numerator)
            .bind(figure.denominator)
            .bind(figure.breakdown.map(sqlx::types::Json))
            .execute(&mut *conn)
            .await?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(indicator: &str, value: f64) -> DeclaredInput {
        DeclaredInput {
            indicator: indicator.into(),
            unit_id: 1,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            value,
            numerator: None,
            denominator: None,
            evidence: "Báo cáo số 12/BC-VHXH".into(),
            evidence_document_id: None,
            note: None,
        }
    }

    #[test]
    fn only_declared_kinds_are_declared_and_shares_stay_within_100() {
        assert!(declared("adults_with_smartphone_pct", 84.5).check().is_ok());
        assert!(
            declared("adults_with_smartphone_pct", 140.0)
                .check()
                .is_err()
        );
        assert!(declared("towers_shared_pct", 40.0).check().is_err());
        assert!(declared("fibre_households_passed", 40.0).check().is_err());
        assert!(declared("no_such_thing", 1.0).check().is_err());
        let mut with_counts = declared("adults_with_smartphone_pct", 80.0);
        with_counts.numerator = Some(400.0);
        with_counts.denominator = Some(500.0);
        assert!(with_counts.check().is_ok());
        with_counts.value = 60.0;
        assert!(with_counts.check().is_err());
    }
}
