//! Drafting a report: the plan's targets assessed for the unit and year
//! (`plans::progress`), the registry's figures (the computed indicators),
//! the plan's tasks, the parts sent in, the official's text and the map.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::map;
use super::model::{
    FigureFacts, PartFacts, PlanFacts, ReportFacts, TargetFacts, TaskFacts, UnitFacts,
};
use super::store::ReportRow;
use crate::http::error::ApiResult;
use crate::indicators::{self, Measure, Scope, Source};
use crate::plans::{progress, store as plans};

/// The registry's figures shown in section II, by group.
const REGISTRY_FIGURES: &[(&str, &str, usize)] = &[
    ("Dùng chung hạ tầng", "towers", 0),
    ("Dùng chung hạ tầng", "towers_shared_pct", 1),
    ("Dùng chung hạ tầng", "poles_shared_pct", 1),
    (
        "Ngầm hóa, chỉnh trang cáp",
        "overhead_km_in_undergrounding_areas",
        2,
    ),
    ("Ngầm hóa, chỉnh trang cáp", "undergrounding_debt_km", 2),
    ("Ngầm hóa, chỉnh trang cáp", "undergrounded_km", 2),
    ("Cấp phép xây dựng", "permits_on_time_pct", 1),
    ("Cấp phép xây dựng", "permits_median_days", 1),
];

fn source_words(source: Source, operators: &[String]) -> String {
    match source {
        Source::Computed => "Tính từ sổ đăng ký hạ tầng".into(),
        Source::Filed if operators.is_empty() => "Doanh nghiệp báo cáo".into(),
        Source::Filed => format!("Doanh nghiệp báo cáo: {}", operators.join(", ")),
        Source::Declared => "Phòng, ban chuyên môn kê khai".into(),
    }
}

fn unit_symbol(measure: Measure) -> String {
    measure.symbol_vi().to_string()
}

/// The report `row` as it stands on `today`.
pub async fn facts(
    conn: &mut PgConnection,
    row: &ReportRow,
    today: NaiveDate,
) -> ApiResult<ReportFacts> {
    let unit = crate::admin_units::store::get(conn, row.unit_id, false).await?;
    let plan = plans::get(conn, row.plan_id, today).await?;
    let first_year = plan
        .targets
        .iter()
        .filter_map(|t| t.baseline_year)
        .min()
        .unwrap_or(plan.period_from - 1)
        .min(row.year);
    let (progress, _) = progress::assess(
        conn,
        &plan.targets,
        row.unit_id,
        row.year,
        first_year,
        today,
    )
    .await?;
    let day = progress::day_of(row.year, today);

    let targets = progress
        .iter()
        .map(|t| TargetFacts {
            indicator: t.indicator.clone(),
            name: t.indicator_name.clone(),
            sentence: t.sentence.clone(),
            target_value: t.target_value,
            comparison: t.comparison.clone(),
            target_year: t.target_year,
            unit: unit_symbol(t.measure),
            value: t.value,
            numerator: t.numerator,
            denominator: t.denominator,
            gap: t.gap,
            status: serde_json::to_value(t.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            light: serde_json::to_value(t.light)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            source: source_words(
                t.source,
                t.provenance
                    .as_ref()
                    .map(|p| p.operators.as_slice())
                    .unwrap_or(&[]),
            ),
            as_of: t.as_of,
            method: t.method.clone(),
        })
        .collect();

    let mut figures = Vec::new();
    for (group, code, decimals) in REGISTRY_FIGURES {
        let Some(kind) = indicators::kind(code) else {
            continue;
        };
        let meta = kind.meta();
        let scope = Scope {
            unit_id: row.unit_id,
            day,
            live: day >= today,
            baseline: None,
        };
        let figure = indicators::figures::figure(conn, kind, &scope).await?;
        figures.push(FigureFacts {
            group: (*group).into(),
            name: meta.name_vi.into(),
            value: figure.as_ref().map(|f| f.value),
            unit: unit_symbol(meta.measure),
            decimals: *decimals,
            source: source_words(meta.source, &[]),
            as_of: figure
                .as_ref()
                .and_then(|f| f.provenance.as_of)
                .unwrap_or(day),
        });
    }

    let tasks = plan
        .tasks
        .iter()
        .filter(|t| t.status != "cancelled")
        .map(|t| {
            let (due, overdue) = plans::due_and_overdue(t, day);
            TaskFacts {
                code: t.code.clone(),
                title: t.title.clone(),
                lead: t.lead.clone(),
                due,
                status: t.status.clone(),
                overdue,
                evidence: t.evidence.clone().or_else(|| t.last_note.clone()),
            }
        })
        .collect();

    let duty = plan
        .duties
        .iter()
        .find(|d| d.reporter_kind == "unit")
        .or_else(|| plan.duties.first());
    let parts: Vec<(String, String, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
        "select contributor, body, submitted_at from yearly_report_part where report_id = $1 order by operator_id nulls first, contributor",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    let part_due = plan
        .duties
        .iter()
        .find(|d| d.reporter_kind != "unit")
        .and_then(|d| d.deadline_in(row.year));
    let map_svg = map::unit_map(conn, row.unit_id).await?;
    let parent = unit
        .parent
        .as_ref()
        .or(unit.province.as_ref())
        .filter(|p| p.id != unit.id)
        .map(|p| format!("{} {}", p.unit_type, p.name));
    Ok(ReportFacts {
        unit: UnitFacts {
            id: unit.id,
            name: unit.name.clone(),
            unit_type: unit.unit_type.clone(),
            parent,
        },
        year: row.year,
        number: row.number.clone(),
        dated: today.min(NaiveDate::from_ymd_opt(row.year + 1, 12, 31).unwrap_or(today)),
        plan: PlanFacts {
            id: plan.id,
            number: plan.number.clone(),
            issued_on: plan.issued_on,
            issuer: plan.issuer.clone(),
            title: plan.title.clone(),
        },
        recipient: duty.map(|d| d.recipient.clone()),
        due: duty.and_then(|d| d.deadline_in(row.year)),
        targets,
        figures,
        tasks,
        parts: parts
            .into_iter()
            .map(|(contributor, text, submitted)| PartFacts {
                contributor,
                due: part_due,
                submitted_on: submitted.map(|s| s.with_timezone(&chrono_tz_offset()).date_naive()),
                text,
            })
            .collect(),
        difficulties: row.difficulties.clone(),
        proposals: row.proposals.clone(),
        map_height_mm: if map_svg.is_some() {
            map::MAP_HEIGHT_MM
        } else {
            0.0
        },
        map_svg,
        version: None,
    })
}

/// Việt Nam's time zone (UTC+7, no daylight saving).
fn chrono_tz_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(7 * 3600).expect("a valid offset")
}
