//! A demo data call in season: the ward of Trương Quang Trọng asks the
//! operators active there for their fixed-broadband figures of the current
//! half-year, due a few working days from today. One operator has submitted
//! (its figures count in the plan's progress and the yearly report), one has
//! a draft, the others have not started; so the plan screen's filings tab
//! and /filings show every state.
//!
//! Everything goes through the filings stores as the demo accounts (the call
//! opened as the admin, each version saved and submitted as the operator's
//! member), so it carries reminders, notifications and audit history like
//! real work. The figures are SYNTHETIC (data/README.md): a little more than
//! each operator filed for the same tổ dân phố half a year earlier.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Map, Value, json};
use sqlx::PgPool;

use super::field::{principal_of, users};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::filings::versions::{self, Read};
use crate::filings::{FilingKind, calls, checks, reminders};
use crate::http::error::ApiError;
use crate::policy::Role;
use crate::vn_time::today;

/// The ward of the demo call (the new Trương Quang Trọng, whose tổ dân phố
/// are those of the ward it replaced).
const WARD_CODE: &str = "21172";

/// Working days from today to the call's due date.
const DUE_IN_WORKING_DAYS: u32 = 8;

/// What was loaded.
#[derive(Debug, Clone, Default)]
pub struct FilingsSummary {
    pub call: Option<(i64, String)>,
    pub submitted: Vec<String>,
    pub drafts: Vec<String>,
    pub not_started: Vec<String>,
}

impl std::fmt::Display for FilingsSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.call {
            None => write!(f, "no data call (one exists already, or no ward to ask)"),
            Some((id, title)) => write!(
                f,
                "call {id} “{title}”: submitted {}, draft {}, not started {}",
                self.submitted.join(", "),
                self.drafts.join(", "),
                self.not_started.join(", ")
            ),
        }
    }
}

/// "6 tháng đầu năm 2026" or "6 tháng cuối năm 2026".
fn half_year(day: NaiveDate) -> String {
    if day.month() <= 6 {
        format!("6 tháng đầu năm {}", day.year())
    } else {
        format!("6 tháng cuối năm {}", day.year())
    }
}

/// The rows operator `code` files for the call's tổ dân phố: its latest
/// earlier figures grown by `growth` (at most every household), from 1 Gb/s.
async fn rows_for(
    pool: &PgPool,
    operator_id: i64,
    neighbourhoods: &[checks::Neighbourhood],
    before: NaiveDate,
    growth: f64,
) -> Result<Vec<Map<String, Value>>, ApiError> {
    let mut rows = Vec::new();
    for unit in neighbourhoods {
        let latest = |indicator: &'static str| {
            sqlx::query_scalar::<_, f64>(
                "select value from indicator_value
                 where indicator = $1 and unit_id = $2 and operator_id = $3 and as_of < $4
                 order by as_of desc, id desc limit 1",
            )
            .bind(indicator)
            .bind(unit.id)
            .bind(operator_id)
            .bind(before)
            .fetch_optional(pool)
        };
        let (Some(passed), Some(households)) =
            (latest("fibre_households_passed").await?, unit.households)
        else {
            continue;
        };
        let subscribed = latest("fibre_households_subscribed").await?.unwrap_or(0.0);
        let households = households as f64;
        let passed = (passed * growth).round().min(households);
        let subscribed = (subscribed * growth).round().min(passed);
        let mut row = Map::new();
        row.insert("unit".into(), json!(unit.name));
        row.insert("households_passed".into(), json!(passed));
        row.insert("households_subscribed".into(), json!(subscribed));
        row.insert("max_speed_mbps".into(), json!(1000));
        rows.push(row);
    }
    Ok(rows)
}

/// Opens the demo call and files for it, once the demo registry, plans and
/// accounts are there. Does nothing when a call exists already.
pub async fn load(pool: &PgPool) -> Result<FilingsSummary, ApiError> {
    let mut summary = FilingsSummary::default();
    let started: bool = sqlx::query_scalar("select exists (select 1 from data_call)")
        .fetch_one(pool)
        .await?;
    if started {
        return Ok(summary);
    }
    let mut conn = pool.acquire().await?;
    let Some(unit) = calls::unit_by_code(&mut conn, WARD_CODE).await? else {
        return Ok(summary);
    };
    let wards = calls::wards_of(&mut conn, unit.id).await?;
    // The telecom operators active in the ward that have a member account, oldest first.
    let active = calls::active_operators(&mut conn, &wards).await?;
    let operators: Vec<(i64, String)> = sqlx::query_as(
        "select o.id, o.code from operator o
         where o.id = any($1) and exists (select 1 from app_user u where u.operator_id = o.id and u.disabled_at is null)
         order by case o.code when 'VNPT' then 0 when 'VIETTEL' then 1 else 2 end, o.id",
    )
    .bind(&active)
    .fetch_all(&mut *conn)
    .await?;
    if operators.len() < 3 {
        return Ok(summary);
    }
    let Some(admin) = users(pool, Role::Admin, None).await?.into_iter().next() else {
        return Ok(summary);
    };
    let staff = principal_of(pool, admin).await?;
    let calendar = Calendar::load(&mut conn).await?;
    let today = today();
    // Figures as of the end of last month, for the yearly report of December.
    let month_start = today.with_day(1).unwrap_or(today);
    let as_of = month_start - Duration::days(1);
    let due_on = calendar.add_working_days(today, DUE_IN_WORKING_DAYS);
    let title = format!("Số liệu băng rộng cố định {}", half_year(today));
    let instructions = "Mỗi doanh nghiệp kê khai theo từng tổ dân phố: số hộ gia đình được kéo cáp quang đến, số hộ đang sử dụng dịch vụ và tốc độ cao nhất cung cấp, tính đến ngày chốt số liệu; phục vụ báo cáo năm của phường (dữ liệu minh họa).";
    drop(conn);

    let mut tx = changes::begin(pool, &staff).await?;
    let actor = staff.actor();
    let call_id: i64 = sqlx::query_scalar(
        "insert into data_call (kind, title, admin_unit_id, as_of, opens_on, due_on, reminder_working_days,
                                instructions, created_by, created_by_user_id)
         values ('fixed_broadband', $1, $2, $3, $4, $5, 3, $6, $7, $8) returning id",
    )
    .bind(&title)
    .bind(unit.id)
    .bind(as_of)
    .bind(month_start.min(today))
    .bind(due_on)
    .bind(instructions)
    .bind(&actor.name)
    .bind(actor.user_id)
    .fetch_one(&mut *tx)
    .await?;
    let ids: Vec<i64> = operators.iter().map(|(id, _)| *id).collect();
    sqlx::query(
        "insert into data_call_operator (call_id, operator_id) select $1, unnest($2::bigint[])",
    )
    .bind(call_id)
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut conn = pool.acquire().await?;
    // The operators hear of it (in the app and by mail), as when staff open one.
    reminders::run_call(&mut conn, call_id, &calendar, today).await?;
    let call = calls::load(&mut conn, call_id).await?;
    let neighbourhoods = checks::neighbourhoods(&mut conn, &call.wards, as_of).await?;
    drop(conn);
    summary.call = Some((call_id, title));

    for (n, (operator_id, code)) in operators.iter().enumerate() {
        if n >= 2 {
            summary.not_started.push(code.clone());
            continue;
        }
        let Some(member) = users(pool, Role::OperatorMember, Some(*operator_id))
            .await?
            .into_iter()
            .next()
        else {
            summary.not_started.push(code.clone());
            continue;
        };
        let member = principal_of(pool, member).await?;
        let rows = rows_for(
            pool,
            *operator_id,
            &neighbourhoods,
            as_of,
            if n == 0 { 1.04 } else { 1.02 },
        )
        .await?;
        if rows.is_empty() {
            summary.not_started.push(code.clone());
            continue;
        }
        let read = Read::form(FilingKind::FixedBroadband, rows);
        let (filing_id, number) = versions::save(pool, &member, &call, *operator_id, read).await?;
        if n == 0 {
            versions::submit_version(pool, &member, filing_id, number).await?;
            summary.submitted.push(code.clone());
        } else {
            summary.drafts.push(code.clone());
        }
    }
    Ok(summary)
}
