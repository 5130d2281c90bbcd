//! A figure of an indicator for a unit on a day, and where it comes from.
//!
//! Stored values (filed, declared, and snapshots of computed ones) are found
//! in this order: the unit's own; else those of its neighbourhood units
//! (including the neighbourhood units of the units it replaced); else those
//! of the units it replaced. Each unit's latest value up to the day counts.
//! Within a unit the operators' filings combine as the kind says (the most
//! households any one operator passes; subscriptions add up); a value
//! Hatang computed for all operators together (a union of coverage
//! polygons) or a department declared stands for the unit as a whole.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::{Aggregate, Combine, How, Indicator, Per};
use crate::http::error::ApiResult;

/// The unit and day a figure is asked for.
#[derive(Debug, Clone)]
pub struct Scope {
    pub unit_id: i64,
    pub day: NaiveDate,
    /// Whether the day is today, so registry figures are counted live.
    pub live: bool,
    /// The plan's starting point for figures measured against it.
    pub baseline: Option<f64>,
}

/// A value with its provenance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figure {
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Parts of the value (by operator, class, technology).
    #[schema(value_type = Option<Object>)]
    pub breakdown: Option<serde_json::Value>,
    pub provenance: Provenance,
}

/// Where a figure comes from.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Provenance {
    /// computed, filed or declared (several when parts differ).
    pub sources: Vec<String>,
    /// How: registry, area_weighted, household_points, form, upload, declared.
    pub methods: Vec<String>,
    /// The newest and oldest as-of date of the values used.
    pub as_of: Option<NaiveDate>,
    pub oldest_as_of: Option<NaiveDate>,
    /// Who supplied the values (users, tokens, "system").
    pub supplied_by: Vec<String>,
    /// Operators whose filings count.
    pub operators: Vec<String>,
    /// Filings and versions: "filing 12 v3".
    pub filings: Vec<String>,
    /// What departments cited, and attached evidence ids.
    pub evidence: Vec<String>,
    pub evidence_documents: Vec<i64>,
    /// Units whose values were added up, and how many of the unit's parts had one.
    pub units_counted: i64,
    pub units_total: i64,
    /// Units replaced in a merger whose values count.
    pub predecessors: Vec<String>,
    /// Where households or population come from.
    pub population_sources: Vec<String>,
    /// Some part is invented (the demo).
    pub synthetic: bool,
}

impl Provenance {
    fn merge(&mut self, other: Provenance) {
        fn union<T: Ord + Clone>(a: &mut Vec<T>, b: Vec<T>) {
            let mut set: BTreeSet<T> = a.drain(..).collect();
            set.extend(b);
            *a = set.into_iter().collect();
        }
        union(&mut self.sources, other.sources);
        union(&mut self.methods, other.methods);
        union(&mut self.supplied_by, other.supplied_by);
        union(&mut self.operators, other.operators);
        union(&mut self.filings, other.filings);
        union(&mut self.evidence, other.evidence);
        union(&mut self.evidence_documents, other.evidence_documents);
        union(&mut self.predecessors, other.predecessors);
        union(&mut self.population_sources, other.population_sources);
        self.as_of = self.as_of.max(other.as_of);
        self.oldest_as_of = match (self.oldest_as_of, other.oldest_as_of) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.synthetic |= other.synthetic;
    }
}

/// One stored value, as read for a figure.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub as_of: NaiveDate,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub source: String,
    pub operator: Option<String>,
    pub method: Option<String>,
    pub supplied_by: String,
    pub filing_id: Option<i64>,
    pub filing_version: Option<i32>,
    pub evidence: Option<String>,
    pub evidence_document_id: Option<i64>,
    pub synthetic: bool,
}

/// One unit's combined value: its numerator and denominator when a share.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitValue {
    pub unit_id: i64,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// Combines the rows of one unit: a value for the unit as a whole (computed
/// or declared) wins; otherwise the operators' filings combine by `combine`.
pub fn combine_unit(rows: &[&StoredRow], combine: Combine) -> Option<UnitValue> {
    let whole = rows
        .iter()
        .filter(|r| r.operator.is_none())
        .max_by_key(|r| r.as_of);
    if let Some(r) = whole {
        return Some(UnitValue {
            unit_id: r.unit_id,
            value: r.value,
            numerator: r.numerator,
            denominator: r.denominator,
        });
    }
    let filed: Vec<&&StoredRow> = rows.iter().filter(|r| r.operator.is_some()).collect();
    let first = filed.first()?;
    let (value, numerator, denominator) = match combine {
        Combine::Max => {
            let best = filed
                .iter()
                .max_by(|a, b| a.value.total_cmp(&b.value))
                .expect("not empty");
            (best.value, best.numerator, best.denominator)
        }
        Combine::Sum => (
            filed.iter().map(|r| r.value).sum(),
            filed.iter().map(|r| r.numerator).sum::<Option<f64>>(),
            filed
                .iter()
                .map(|r| r.denominator)
                .max_by(|a, b| a.unwrap_or(0.0).total_cmp(&b.unwrap_or(0.0)))
                .flatten(),
        ),
    };
    Some(UnitValue {
        unit_id: first.unit_id,
        value,
        numerator,
        denominator,
    })
}

/// Adds up the values of several units. `weights` (population per unit)
/// weigh shares declared without their counts.
pub fn aggregate(
    values: &[UnitValue],
    aggregate: Aggregate,
    weight: impl Fn(i64) -> Option<f64>,
) -> Option<(f64, Option<f64>, Option<f64>)> {
    if values.is_empty() {
        return None;
    }
    if values.len() == 1 {
        let v = &values[0];
        return Some((v.value, v.numerator, v.denominator));
    }
    match aggregate {
        Aggregate::Sum => Some((values.iter().map(|v| v.value).sum(), None, None)),
        Aggregate::Max => values
            .iter()
            .map(|v| v.value)
            .max_by(f64::total_cmp)
            .map(|v| (v, None, None)),
        Aggregate::Share => {
            if values
                .iter()
                .all(|v| v.numerator.is_some() && v.denominator.is_some())
            {
                let n: f64 = values.iter().filter_map(|v| v.numerator).sum();
                let d: f64 = values.iter().filter_map(|v| v.denominator).sum();
                return Some((share(n, d)?, Some(n), Some(d)));
            }
            // Shares without counts: weighted by population where known,
            // else plainly averaged.
            let weights: Vec<f64> = values
                .iter()
                .map(|v| weight(v.unit_id).unwrap_or(0.0))
                .collect();
            let total: f64 = weights.iter().sum();
            if total > 0.0 {
                let sum: f64 = values.iter().zip(&weights).map(|(v, w)| v.value * w).sum();
                Some((sum / total, None, None))
            } else {
                let sum: f64 = values.iter().map(|v| v.value).sum();
                Some((sum / values.len() as f64, None, None))
            }
        }
    }
}

/// `n / d` in percent, rounded to two decimals; none when `d` is zero.
pub fn share(n: f64, d: f64) -> Option<f64> {
    (d > 0.0).then(|| (n / d * 10_000.0).round() / 100.0)
}

fn provenance_of(rows: &[StoredRow]) -> Provenance {
    let mut p = Provenance::default();
    for r in rows {
        p.merge(Provenance {
            sources: vec![r.source.clone()],
            methods: r.method.clone().into_iter().collect(),
            as_of: Some(r.as_of),
            oldest_as_of: Some(r.as_of),
            supplied_by: vec![r.supplied_by.clone()],
            operators: r.operator.clone().into_iter().collect(),
            filings: r
                .filing_id
                .map(|f| match r.filing_version {
                    Some(v) => format!("{f} v{v}"),
                    None => f.to_string(),
                })
                .into_iter()
                .collect(),
            evidence: r.evidence.clone().into_iter().collect(),
            evidence_documents: r.evidence_document_id.into_iter().collect(),
            synthetic: r.synthetic,
            ..Provenance::default()
        });
    }
    p
}

/// Which units' values stand for a unit: its own, its neighbourhood units,
/// or the units it replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Own,
    Neighbourhoods,
    Predecessors,
}

async fn tier_units(conn: &mut PgConnection, scope: &Scope, tier: Tier) -> sqlx::Result<Vec<i64>> {
    match tier {
        Tier::Own => Ok(vec![scope.unit_id]),
        Tier::Neighbourhoods => {
            sqlx::query_scalar(
                "select id from admin_unit_neighbourhoods($1, $2) id where id <> $1 order by id",
            )
            .bind(scope.unit_id)
            .bind(scope.day)
            .fetch_all(conn)
            .await
        }
        Tier::Predecessors => {
            sqlx::query_scalar(
                "select id from admin_unit_lineage($1) where depth > 0 order by depth, id",
            )
            .bind(scope.unit_id)
            .fetch_all(conn)
            .await
        }
    }
}

/// The latest value per unit, source and operator of `kind` up to the day.
async fn latest_rows(
    conn: &mut PgConnection,
    kind: &str,
    units: &[i64],
    day: NaiveDate,
) -> sqlx::Result<Vec<StoredRow>> {
    sqlx::query_as(
        "select distinct on (v.unit_id, v.source, coalesce(v.operator_id, 0))
                v.unit_id, u.name as unit_name, v.as_of, v.value, v.numerator, v.denominator, v.source,
                o.code as operator, v.method, v.supplied_by, v.filing_id, v.filing_version,
                v.evidence, v.evidence_document_id, v.synthetic
         from indicator_value v
         join admin_unit u on u.id = v.unit_id
         left join operator o on o.id = v.operator_id
         where v.indicator = $1 and v.unit_id = any($2) and v.as_of <= $3
         order by v.unit_id, v.source, coalesce(v.operator_id, 0), v.as_of desc, v.id desc",
    )
    .bind(kind)
    .bind(units)
    .bind(day)
    .fetch_all(conn)
    .await
}

/// Combined values per unit of a stored kind over the first tier that has
/// any, with their provenance and how many units of the tier they cover.
async fn stored_per_unit(
    conn: &mut PgConnection,
    kind: &dyn Indicator,
    scope: &Scope,
) -> sqlx::Result<Option<(Vec<UnitValue>, Provenance, Tier, i64)>> {
    for tier in [Tier::Own, Tier::Neighbourhoods, Tier::Predecessors] {
        let units = tier_units(conn, scope, tier).await?;
        if units.is_empty() {
            continue;
        }
        let rows = latest_rows(conn, kind.meta().code, &units, scope.day).await?;
        if rows.is_empty() {
            continue;
        }
        let mut values = Vec::new();
        let mut ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
        ids.dedup();
        for id in ids {
            let of_unit: Vec<&StoredRow> = rows.iter().filter(|r| r.unit_id == id).collect();
            if let Some(v) = combine_unit(&of_unit, kind.meta().combine) {
                values.push(v);
            }
        }
        let mut provenance = provenance_of(&rows);
        provenance.units_counted = values.len() as i64;
        provenance.units_total = units.len() as i64;
        if tier == Tier::Predecessors {
            let mut names: Vec<String> = rows.iter().map(|r| r.unit_name.clone()).collect();
            names.dedup();
            provenance.predecessors = names;
        }
        return Ok(Some((values, provenance, tier, units.len() as i64)));
    }
    Ok(None)
}

/// Households, population and adults of units on a day: the latest figure
/// up to the day, else the earliest after it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PopulationRow {
    pub unit_id: i64,
    pub as_of: NaiveDate,
    pub households: Option<i64>,
    pub population: Option<i64>,
    pub adults: Option<i64>,
    pub source: String,
    pub synthetic: bool,
}

impl PopulationRow {
    pub fn of(&self, per: Per) -> Option<f64> {
        match per {
            Per::Households => self.households,
            Per::Population => self.population,
            Per::Adults => self.adults,
        }
        .map(|n| n as f64)
    }
}

pub async fn population(
    conn: &mut PgConnection,
    units: &[i64],
    day: NaiveDate,
) -> sqlx::Result<Vec<PopulationRow>> {
    sqlx::query_as(
        "select distinct on (unit_id) unit_id, as_of, households::int8, population::int8, adults::int8, source, synthetic
         from unit_population where unit_id = any($1)
         order by unit_id, as_of > $2, abs(as_of - $2), id desc",
    )
    .bind(units)
    .bind(day)
    .fetch_all(conn)
    .await
}

/// The figure of `kind` for the scope, or none when nothing is known.
pub async fn figure(
    conn: &mut PgConnection,
    kind: &dyn Indicator,
    scope: &Scope,
) -> ApiResult<Option<Figure>> {
    match kind.how() {
        How::Registry(compute) => {
            if scope.live {
                return compute(conn, scope).await;
            }
            stored_figure(conn, kind, scope).await.map_err(Into::into)
        }
        How::Stored => stored_figure(conn, kind, scope).await.map_err(Into::into),
        How::Share { numerator, per } => share_figure(conn, numerator, per, scope)
            .await
            .map_err(Into::into),
        How::UnitsWith {
            figure,
            at_least_share,
            per,
            or_figure,
        } => units_with_figure(conn, figure, or_figure, at_least_share, per, scope)
            .await
            .map_err(Into::into),
    }
}

async fn stored_figure(
    conn: &mut PgConnection,
    kind: &dyn Indicator,
    scope: &Scope,
) -> sqlx::Result<Option<Figure>> {
    let Some((values, provenance, _, _)) = stored_per_unit(conn, kind, scope).await? else {
        return Ok(None);
    };
    let ids: Vec<i64> = values.iter().map(|v| v.unit_id).collect();
    let people = population(conn, &ids, scope.day).await?;
    let weight = |id: i64| {
        people
            .iter()
            .find(|p| p.unit_id == id)
            .and_then(|p| p.of(Per::Population))
    };
    Ok(
        aggregate(&values, kind.meta().aggregate, weight).map(|(value, numerator, denominator)| {
            Figure {
                value,
                numerator,
                denominator,
                breakdown: None,
                provenance,
            }
        }),
    )
}

/// The parts of a unit a share is counted over: its neighbourhood units
/// when it has any on the day, else the unit itself.
async fn parts(conn: &mut PgConnection, scope: &Scope) -> sqlx::Result<Vec<i64>> {
    let mut units: Vec<i64> =
        sqlx::query_scalar("select id from admin_unit_neighbourhoods($1, $2) id order by id")
            .bind(scope.unit_id)
            .bind(scope.day)
            .fetch_all(&mut *conn)
            .await?;
    if units.is_empty() {
        units.push(scope.unit_id);
    }
    Ok(units)
}

/// Per part, the combined stored value of `code` (the highest of several codes).
async fn per_part(
    conn: &mut PgConnection,
    codes: &[&str],
    units: &[i64],
    day: NaiveDate,
) -> ApiResult<(Vec<(i64, f64)>, Provenance)> {
    let mut best: Vec<(i64, f64)> = Vec::new();
    let mut provenance = Provenance::default();
    for code in codes {
        let kind = super::kind(code).ok_or_else(|| {
            crate::http::error::ApiError::Internal(format!("unknown indicator {code}"))
        })?;
        let rows = latest_rows(conn, code, units, day).await?;
        provenance.merge(provenance_of(&rows));
        for &unit in units {
            let of_unit: Vec<&StoredRow> = rows.iter().filter(|r| r.unit_id == unit).collect();
            if let Some(v) = combine_unit(&of_unit, kind.meta().combine) {
                match best.iter_mut().find(|(u, _)| *u == unit) {
                    Some((_, b)) => *b = b.max(v.value),
                    None => best.push((unit, v.value)),
                }
            }
        }
    }
    Ok((best, provenance))
}

fn population_provenance(people: &[PopulationRow], per: Per) -> Provenance {
    let mut p = Provenance::default();
    for row in people.iter().filter(|r| r.of(per).is_some()) {
        p.population_sources
            .push(format!("{} ({})", row.source, row.as_of.format("%d/%m/%Y")));
        p.synthetic |= row.synthetic;
    }
    p.population_sources.sort();
    p.population_sources.dedup();
    p
}

async fn share_figure(
    conn: &mut PgConnection,
    numerator: &'static [&'static str],
    per: Per,
    scope: &Scope,
) -> ApiResult<Option<Figure>> {
    let units = parts(conn, scope).await?;
    let (counts, mut provenance) = per_part(conn, numerator, &units, scope.day).await?;
    if counts.is_empty() {
        return Ok(None);
    }
    let people = population(conn, &units, scope.day).await?;
    let mut n = 0.0;
    let mut d = 0.0;
    for &unit in &units {
        let Some(of) = people
            .iter()
            .find(|p| p.unit_id == unit)
            .and_then(|p| p.of(per))
        else {
            continue;
        };
        d += of;
        // A part nobody filed for counts as none passed; no more than all.
        let count = counts
            .iter()
            .find(|(u, _)| *u == unit)
            .map_or(0.0, |(_, c)| *c);
        n += count.min(of);
    }
    provenance.units_counted = counts.len() as i64;
    provenance.units_total = units.len() as i64;
    provenance.merge(population_provenance(&people, per));
    Ok(share(n, d).map(|value| Figure {
        value,
        numerator: Some(n),
        denominator: Some(d),
        breakdown: None,
        provenance,
    }))
}

async fn units_with_figure(
    conn: &mut PgConnection,
    code: &'static str,
    or_code: Option<&'static str>,
    at_least_share: f64,
    per: Per,
    scope: &Scope,
) -> ApiResult<Option<Figure>> {
    let units: Vec<i64> = sqlx::query_scalar(
        "select id from admin_unit_neighbourhoods($1, $2) id where id <> $1 order by id",
    )
    .bind(scope.unit_id)
    .bind(scope.day)
    .fetch_all(&mut *conn)
    .await?;
    if units.is_empty() {
        return Ok(None);
    }
    let codes: Vec<&str> = std::iter::once(code).chain(or_code).collect();
    let (counts, mut provenance) = per_part(conn, &codes, &units, scope.day).await?;
    if counts.is_empty() {
        return Ok(None);
    }
    let people = population(conn, &units, scope.day).await?;
    let with = units
        .iter()
        .filter(|unit| {
            let count = counts
                .iter()
                .find(|(u, _)| u == *unit)
                .map_or(0.0, |(_, c)| *c);
            let of = people
                .iter()
                .find(|p| p.unit_id == **unit)
                .and_then(|p| p.of(per));
            match of {
                Some(of) if at_least_share > 0.0 => of > 0.0 && count >= at_least_share * of,
                _ => count > 0.0,
            }
        })
        .count() as f64;
    let total = units.len() as f64;
    provenance.units_counted = counts.len() as i64;
    provenance.units_total = units.len() as i64;
    if at_least_share > 0.0 {
        provenance.merge(population_provenance(&people, per));
    }
    Ok(share(with, total).map(|value| Figure {
        value,
        numerator: Some(with),
        denominator: Some(total),
        breakdown: None,
        provenance,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(unit: i64, operator: Option<&str>, value: f64) -> StoredRow {
        StoredRow {
            unit_id: unit,
            unit_name: format!("TDP {unit}"),
            as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            value,
            numerator: None,
            denominator: None,
            source: if operator.is_some() {
                "filed"
            } else {
                "declared"
            }
            .into(),
            operator: operator.map(String::from),
            method: None,
            supplied_by: "user:x".into(),
            filing_id: None,
            filing_version: None,
            evidence: None,
            evidence_document_id: None,
            synthetic: false,
        }
    }

    #[test]
    fn operators_households_passed_take_the_highest_subscriptions_add_up() {
        let a = row(1, Some("VNPT"), 120.0);
        let b = row(1, Some("VIETTEL"), 90.0);
        let rows = [&a, &b];
        assert_eq!(combine_unit(&rows, Combine::Max).unwrap().value, 120.0);
        assert_eq!(combine_unit(&rows, Combine::Sum).unwrap().value, 210.0);
    }

    #[test]
    fn a_value_for_the_whole_unit_wins_over_the_filings() {
        let a = row(1, Some("VNPT"), 120.0);
        let whole = row(1, None, 150.0);
        assert_eq!(
            combine_unit(&[&a, &whole], Combine::Max).unwrap().value,
            150.0
        );
    }

    #[test]
    fn shares_add_up_by_their_counts_not_by_averaging() {
        // 90 of 100 households and 10 of 300: 25 %, not the 51.7 % of the average.
        let values = [
            UnitValue {
                unit_id: 1,
                value: 90.0,
                numerator: Some(90.0),
                denominator: Some(100.0),
            },
            UnitValue {
                unit_id: 2,
                value: 3.33,
                numerator: Some(10.0),
                denominator: Some(300.0),
            },
        ];
        let (value, n, d) = aggregate(&values, Aggregate::Share, |_| None).unwrap();
        assert_eq!((value, n, d), (25.0, Some(100.0), Some(400.0)));
    }

    #[test]
    fn declared_shares_without_counts_are_weighted_by_population() {
        let values = [
            UnitValue {
                unit_id: 1,
                value: 80.0,
                numerator: None,
                denominator: None,
            },
            UnitValue {
                unit_id: 2,
                value: 40.0,
                numerator: None,
                denominator: None,
            },
        ];
        let weight = |id| Some(if id == 1 { 3000.0 } else { 1000.0 });
        assert_eq!(
            aggregate(&values, Aggregate::Share, weight).unwrap().0,
            70.0
        );
        assert_eq!(
            aggregate(&values, Aggregate::Share, |_| None).unwrap().0,
            60.0
        );
    }

    #[test]
    fn share_rounds_to_two_decimals_and_has_none_of_nothing() {
        assert_eq!(share(2.0, 3.0), Some(66.67));
        assert_eq!(share(1.0, 0.0), None);
    }
}
