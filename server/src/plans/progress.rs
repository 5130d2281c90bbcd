//! A plan's progress for a unit and year: each target with its figure, the
//! gap to the target, the trend over the plan's years and a traffic light.
//!
//! The light is one rule ([`judge`]): green when the target is met, or when
//! the figure is where a straight line from the starting point to the target
//! says it should be by now; amber when it has made at least three quarters
//! of that way, or when there is no earlier figure to tell the way by; red
//! otherwise, and always red once the target year is reached unmet; grey
//! without a figure.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::store::Target;
use crate::admin_units::UnitRef;
use crate::http::error::ApiResult;
use crate::indicators::{self, Better, Figure, Measure, Provenance, Scope, Source};

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = TargetStatus)]
pub enum Status {
    Met,
    OnTrack,
    AtRisk,
    Behind,
    NoData,
}

/// The traffic light of a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    Amber,
    Red,
    Grey,
}

impl Status {
    pub fn light(self) -> Light {
        match self {
            Self::Met | Self::OnTrack => Light::Green,
            Self::AtRisk => Light::Amber,
            Self::Behind => Light::Red,
            Self::NoData => Light::Grey,
        }
    }
}

/// What the rule needs of a target.
#[derive(Debug, Clone, Copy)]
pub struct Goal {
    pub target: f64,
    /// Reach or exceed (`at_least`), or stay at or below.
    pub at_least: bool,
    pub year: i32,
    /// The starting point and its year, when known.
    pub start: Option<(i32, f64)>,
}

/// How far `value` is from the target: positive while short of it.
pub fn gap(goal: &Goal, value: f64) -> f64 {
    let g = if goal.at_least {
        goal.target - value
    } else {
        value - goal.target
    };
    (g * 100.0).round() / 100.0
}

/// The status of a target with `value` in `year`.
pub fn judge(goal: &Goal, value: Option<f64>, year: i32) -> Status {
    let Some(value) = value else {
        return Status::NoData;
    };
    if gap(goal, value) <= 0.0 {
        return Status::Met;
    }
    if year >= goal.year {
        return Status::Behind;
    }
    // Without a starting point before this year the way is not known yet.
    let Some((start_year, start)) = goal.start.filter(|(y, _)| *y < goal.year && *y < year) else {
        return Status::AtRisk;
    };
    let elapsed = f64::from((year - start_year).max(0)) / f64::from(goal.year - start_year);
    let expected = start + (goal.target - start) * elapsed;
    let made = if goal.at_least {
        value - start
    } else {
        start - value
    };
    let due = if goal.at_least {
        expected - start
    } else {
        start - expected
    };
    if due <= 0.0 || made >= due {
        Status::OnTrack
    } else if made >= 0.75 * due {
        Status::AtRisk
    } else {
        Status::Behind
    }
}

/// One point of a trend: the figure at the end of a year (today for this year).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Point {
    pub year: i32,
    pub as_of: NaiveDate,
    pub value: f64,
    /// From the units the unit replaced (before it existed).
    pub from_predecessors: bool,
}

/// Which way the last two points go, for the better or the worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improving,
    Worsening,
    Flat,
    Unknown,
}

pub fn direction(points: &[Point], better: Better) -> Direction {
    let [.., a, b] = points else {
        return Direction::Unknown;
    };
    let delta = b.value - a.value;
    if delta.abs() < 1e-9 {
        Direction::Flat
    } else if (delta > 0.0) == (better == Better::Higher) {
        Direction::Improving
    } else {
        Direction::Worsening
    }
}

/// A target and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetProgress {
    pub target_id: i64,
    pub indicator: String,
    pub indicator_name: String,
    pub indicator_name_en: String,
    pub source: Source,
    pub measure: Measure,
    pub better: Better,
    pub target_value: f64,
    pub comparison: String,
    pub target_year: i32,
    pub sentence: String,
    pub section: Option<String>,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub as_of: Option<NaiveDate>,
    /// Target minus value (value minus target for an at-most target): what is still missing.
    pub gap: Option<f64>,
    pub status: Status,
    pub light: Light,
    pub trend: Vec<Point>,
    pub direction: Direction,
    #[schema(value_type = Option<Object>)]
    pub breakdown: Option<serde_json::Value>,
    pub provenance: Option<Provenance>,
    /// How the figure is obtained, in the words of the report.
    pub method: String,
}

/// How many targets stand where.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Summary {
    pub met: usize,
    pub on_track: usize,
    pub at_risk: usize,
    pub behind: usize,
    pub no_data: usize,
}

/// The progress of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    pub plan_id: i64,
    pub plan_title: String,
    pub plan_number: Option<String>,
    pub unit: UnitRef,
    /// The units whose history counts (the unit and those it replaced).
    pub lineage: Vec<UnitRef>,
    pub year: i32,
    /// The day figures are taken (the year's last day, or today).
    pub as_of: NaiveDate,
    pub targets: Vec<TargetProgress>,
    pub summary: Summary,
}

/// The day figures of `year` are taken on.
pub fn day_of(year: i32, today: NaiveDate) -> NaiveDate {
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    end.min(today)
}

async fn figure_on(
    conn: &mut PgConnection,
    kind: &'static dyn indicators::Indicator,
    unit: i64,
    day: NaiveDate,
    today: NaiveDate,
    baseline: Option<f64>,
) -> ApiResult<Option<Figure>> {
    let scope = Scope {
        unit_id: unit,
        day,
        live: day >= today,
        baseline,
    };
    indicators::figures::figure(conn, kind, &scope).await
}

/// The progress of `targets` for `unit` in `year`, with trends from
/// `first_year`.
pub async fn assess(
    conn: &mut PgConnection,
    targets: &[Target],
    unit: i64,
    year: i32,
    first_year: i32,
    today: NaiveDate,
) -> ApiResult<(Vec<TargetProgress>, Summary)> {
    let day = day_of(year, today);
    let unit_from: NaiveDate =
        sqlx::query_scalar("select valid_from from admin_unit where id = $1")
            .bind(unit)
            .fetch_one(&mut *conn)
            .await?;
    let mut out = Vec::new();
    let mut summary = Summary::default();
    for target in targets {
        let Some(kind) = indicators::kind(&target.indicator) else {
            continue;
        };
        let meta = kind.meta();
        let figure = figure_on(conn, kind, unit, day, today, target.baseline_value).await?;
        let mut trend = Vec::new();
        for y in first_year..=year.min(today.year()) {
            let d = day_of(y, today);
            if d == day {
                if let Some(f) = &figure {
                    trend.push(Point {
                        year: y,
                        as_of: f.provenance.as_of.unwrap_or(d),
                        value: f.value,
                        from_predecessors: !f.provenance.predecessors.is_empty() || d < unit_from,
                    });
                }
                continue;
            }
            if let Some(f) = figure_on(conn, kind, unit, d, today, target.baseline_value).await? {
                trend.push(Point {
                    year: y,
                    as_of: f.provenance.as_of.unwrap_or(d),
                    value: f.value,
                    from_predecessors: !f.provenance.predecessors.is_empty() || d < unit_from,
                });
            }
        }
        // The same figure standing for several years (a value filed once) is one point.
        trend.dedup_by(|b, a| a.as_of == b.as_of && a.value == b.value);
        let start = match (target.baseline_year, target.baseline_value) {
            (Some(y), Some(v)) => Some((y, v)),
            _ => trend.first().map(|p| (p.year, p.value)),
        };
        let goal = Goal {
            target: target.target_value,
            at_least: target.comparison != "at_most",
            year: target.year,
            start,
        };
        let value = figure.as_ref().map(|f| f.value);
        let status = judge(&goal, value, year);
        match status {
            Status::Met => summary.met += 1,
            Status::OnTrack => summary.on_track += 1,
            Status::AtRisk => summary.at_risk += 1,
            Status::Behind => summary.behind += 1,
            Status::NoData => summary.no_data += 1,
        }
        out.push(TargetProgress {
            target_id: target.id,
            indicator: meta.code.to_string(),
            indicator_name: meta.name_vi.to_string(),
            indicator_name_en: meta.name_en.to_string(),
            source: meta.source,
            measure: meta.measure,
            better: meta.better,
            target_value: target.target_value,
            comparison: target.comparison.clone(),
            target_year: target.year,
            sentence: target.sentence.clone(),
            section: target.section.clone(),
            value,
            numerator: figure.as_ref().and_then(|f| f.numerator),
            denominator: figure.as_ref().and_then(|f| f.denominator),
            as_of: figure.as_ref().and_then(|f| f.provenance.as_of),
            gap: value.map(|v| gap(&goal, v)),
            status,
            light: status.light(),
            direction: direction(&trend, meta.better),
            trend,
            breakdown: figure.as_ref().and_then(|f| f.breakdown.clone()),
            provenance: figure.map(|f| f.provenance),
            method: meta.method_vi.to_string(),
        });
    }
    Ok((out, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(target: f64, year: i32, start: Option<(i32, f64)>) -> Goal {
        Goal {
            target,
            at_least: true,
            year,
            start,
        }
    }

    #[test]
    fn a_met_target_is_green_whatever_the_year() {
        assert_eq!(
            judge(&goal(90.0, 2025, None), Some(92.5), 2026),
            Status::Met
        );
        assert_eq!(
            judge(&goal(90.0, 2025, None), Some(90.0), 2024),
            Status::Met
        );
    }

    #[test]
    fn an_unmet_target_in_or_after_its_year_is_red() {
        assert_eq!(
            judge(&goal(90.0, 2025, None), Some(89.9), 2025),
            Status::Behind
        );
        assert_eq!(
            judge(&goal(90.0, 2025, Some((2023, 50.0))), Some(89.0), 2026),
            Status::Behind
        );
    }

    #[test]
    fn progress_is_measured_against_a_straight_line_to_the_target() {
        // From 60 % in 2025 to 100 % in 2030: by 2026 the line says 68 %.
        let g = goal(100.0, 2030, Some((2025, 60.0)));
        assert_eq!(judge(&g, Some(70.0), 2026), Status::OnTrack);
        assert_eq!(judge(&g, Some(66.5), 2026), Status::AtRisk);
        assert_eq!(judge(&g, Some(61.0), 2026), Status::Behind);
        assert_eq!(judge(&g, None, 2026), Status::NoData);
        assert_eq!(
            judge(&goal(100.0, 2030, None), Some(70.0), 2026),
            Status::AtRisk
        );
    }

    #[test]
    fn at_most_targets_count_downwards() {
        let g = Goal {
            target: 2.0,
            at_least: false,
            year: 2030,
            start: Some((2025, 12.0)),
        };
        assert_eq!(gap(&g, 5.0), 3.0);
        assert_eq!(judge(&g, Some(1.5), 2026), Status::Met);
        assert_eq!(judge(&g, Some(9.0), 2026), Status::OnTrack);
        assert_eq!(judge(&g, Some(11.9), 2026), Status::Behind);
    }

    #[test]
    fn lights_follow_statuses() {
        assert_eq!(Status::OnTrack.light(), Light::Green);
        assert_eq!(Status::AtRisk.light(), Light::Amber);
        assert_eq!(Status::Behind.light(), Light::Red);
        assert_eq!(Status::NoData.light(), Light::Grey);
    }

    #[test]
    fn the_trend_direction_knows_which_way_is_better() {
        let p = |year, value| Point {
            year,
            as_of: NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
            value,
            from_predecessors: false,
        };
        assert_eq!(
            direction(&[p(2025, 10.0), p(2026, 8.0)], Better::Lower),
            Direction::Improving
        );
        assert_eq!(
            direction(&[p(2025, 10.0), p(2026, 8.0)], Better::Higher),
            Direction::Worsening
        );
        assert_eq!(
            direction(&[p(2026, 8.0)], Better::Higher),
            Direction::Unknown
        );
    }

    #[test]
    fn figures_of_a_year_are_taken_on_its_last_day_or_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            day_of(2025, today),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        assert_eq!(day_of(2026, today), today);
    }
}
