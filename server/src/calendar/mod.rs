//! The working-day calendar that permit deadlines are counted in. Vietnamese
//! administrative deadlines ("7 ngày làm việc") skip Saturdays, Sundays and
//! public holidays — Tết alone takes a week — and now and then a Saturday is
//! worked to make up for a bridge day. Holidays are data (table `holiday`),
//! edited each year when the government announces them.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::audit::changes;
use crate::database::constraint::OnConstraint;
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem, Problems};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Days that differ from the Monday-to-Friday week: holidays, and worked weekend days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: BTreeMap<NaiveDate, bool>,
}

impl Calendar {
    /// A calendar with these exceptions: `(day, day_off)`.
    pub fn new(exceptions: impl IntoIterator<Item = (NaiveDate, bool)>) -> Self {
        Self {
            exceptions: exceptions.into_iter().collect(),
        }
    }

    /// Loads every exception from the database (a few dozen rows a year).
    pub async fn load(conn: &mut PgConnection) -> sqlx::Result<Self> {
        let rows: Vec<(NaiveDate, bool)> = sqlx::query_as("select day, day_off from holiday")
            .fetch_all(conn)
            .await?;
        Ok(Self::new(rows))
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(day_off) => !day_off,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The day on which `n` working days after `start` have passed: the
    /// deadline of a period that starts the day after `start` (the day of
    /// receipt does not count). `n = 0` gives `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day += Duration::days(1);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(years))
        .routes(routes!(year, set_year))
}

/// How many days before a year starts the administrators are warned that its
/// holidays are missing (or only worked out from the law): from 1 October.
pub const WARN_DAYS: i64 = 92;

/// One year of the calendar: its exceptions and on what authority.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct YearSummary {
    pub year: i32,
    /// Days off and worked days listed.
    pub days: i64,
    pub citation: Option<String>,
    /// Worked out from the law, not yet checked against the year's notice.
    pub provisional: bool,
    pub note: Option<String>,
}

/// What is wrong with next year's holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningProblem {
    /// None are listed.
    Missing,
    /// They are only worked out from the Labour Code.
    Provisional,
}

/// `GET /api/v1/calendar`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarYears {
    /// Every year the calendar holds, oldest first.
    pub years: Vec<YearSummary>,
    /// Next year starts within 92 days with no holidays or only provisional ones.
    pub warning: Option<CalendarWarning>,
}

/// A year the administrators must see to: it starts soon and has no holidays,
/// or only provisional ones.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarWarning {
    pub year: i32,
    pub problem: WarningProblem,
    /// Days until the year starts.
    pub days_left: i64,
}

/// `GET /api/v1/calendar`: the years the calendar holds, and the warning of a
/// year about to start without its holidays.
#[utoipa::path(
    get,
    path = "/calendar",
    tag = "Rules and calendar",
    operation_id = "calendar_years",
    security(()),
    summary = "The years the calendar holds, and a warning about next year",
    responses((status = 200, description = "Each year with its days and authority; a warning when next year starts within 92 days with no or only provisional holidays.", body = CalendarYears))
)]
pub async fn years(State(state): State<AppState>) -> ApiResult<axum::Json<CalendarYears>> {
    let mut conn = state.pool.acquire().await?;
    let years: Vec<YearSummary> = sqlx::query_as(
        "with listed as (select extract(year from day)::int as year, count(*) as days from holiday group by 1)
         select coalesce(l.year, y.year) as year, coalesce(l.days, 0) as days, y.citation,
                coalesce(y.provisional, false) as provisional, y.note
         from listed l full join holiday_year y on y.year = l.year
         order by 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let warning = warning(&years, crate::vn_time::today());
    Ok(axum::Json(CalendarYears { years, warning }))
}

/// The warning about next year, if it starts within [`WARN_DAYS`] of `today`
/// and has no holidays, or only provisional ones.
pub fn warning(years: &[YearSummary], today: NaiveDate) -> Option<CalendarWarning> {
    let next = today.year() + 1;
    let starts = NaiveDate::from_ymd_opt(next, 1, 1)?;
    let days_left = (starts - today).num_days();
    if days_left > WARN_DAYS {
        return None;
    }
    let listed = years.iter().find(|y| y.year == next);
    let problem = match listed {
        None => WarningProblem::Missing,
        Some(y) if y.days == 0 => WarningProblem::Missing,
        Some(y) if y.provisional => WarningProblem::Provisional,
        Some(_) => return None,
    };
    Some(CalendarWarning {
        year: next,
        problem,
        days_left,
    })
}

/// Tells the administrators, once per year and problem, that next year's
/// holidays are missing or provisional (from the daily housekeeping).
pub async fn warn(pool: &sqlx::PgPool) -> sqlx::Result<()> {
    let years: Vec<YearSummary> = sqlx::query_as(
        "with listed as (select extract(year from day)::int as year, count(*) as days from holiday group by 1)
         select coalesce(l.year, y.year) as year, coalesce(l.days, 0) as days, y.citation,
                coalesce(y.provisional, false) as provisional, y.note
         from listed l full join holiday_year y on y.year = l.year",
    )
    .fetch_all(pool)
    .await?;
    let Some(warning) = warning(&years, crate::vn_time::today()) else {
        return Ok(());
    };
    let (vi, en) = match warning.problem {
        WarningProblem::Missing => (
            format!(
                "Lịch ngày nghỉ năm {} chưa có, còn {} ngày nữa là sang năm: thời hạn hồ sơ sẽ tính sai. Vào Quản trị → Ngày nghỉ lễ để nhập.",
                warning.year, warning.days_left
            ),
            format!(
                "The holidays of {} are missing and the year starts in {} days: deadlines would be counted wrong. Enter them under Administration → Holidays.",
                warning.year, warning.days_left
            ),
        ),
        WarningProblem::Provisional => (
            format!(
                "Lịch ngày nghỉ năm {} mới là tạm tính theo Bộ luật Lao động; còn {} ngày nữa là sang năm: đối chiếu với thông báo chính thức.",
                warning.year, warning.days_left
            ),
            format!(
                "The holidays of {} are only worked out from the Labour Code; the year starts in {} days: check them against the official notice.",
                warning.year, warning.days_left
            ),
        ),
    };
    sqlx::query(
        "insert into notification (user_id, application_id, kind, message_vi, message_en, dedupe_key)
         select u.id, null, 'calendar', $1, $2, $3 from app_user u where u.role = 'admin' and u.disabled_at is null
         on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing",
    )
    .bind(vi)
    .bind(en)
    .bind(format!(
        "calendar:{}:{}",
        warning.year,
        match warning.problem {
            WarningProblem::Missing => "missing",
            WarningProblem::Provisional => "provisional",
        }
    ))
    .execute(pool)
    .await?;
    Ok(())
}

/// A day that is not an ordinary Monday-to-Friday working day.
/// A public holiday, or (with `day_off` false) a Saturday or Sunday worked in its place.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
    /// `true` for a day off; `false` for a weekend day that is worked.
    #[serde(default = "yes")]
    pub day_off: bool,
}

fn yes() -> bool {
    true
}

/// The public holidays and worked weekend days of a year.
#[utoipa::path(get, path = "/calendar/{year}", tag = "Rules and calendar", operation_id = "get_calendar",
    summary = "Public holidays and worked weekend days of a year", security(()),
    params(("year" = i32, Path, description = "The year, e.g. 2026.")),
    responses((status = 200, description = "Days, in order.", body = Vec<Holiday>)))]
async fn year(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult<axum::Json<Vec<Holiday>>> {
    let holidays = sqlx::query_as(
        "select day, name, day_off from holiday where extract(year from day) = $1 order by day",
    )
    .bind(year)
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(holidays))
}

/// A year as an admin saves it: its days, with (or without) its authority.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum YearInput {
    /// The days only (the authority stays as it was).
    Days(Vec<Holiday>),
    Year {
        holidays: Vec<Holiday>,
        /// The notice or decision the days come from.
        citation: String,
        #[serde(default)]
        provisional: bool,
        #[serde(default)]
        note: Option<String>,
    },
}

/// Replaces a year's holidays and worked days, and given, the notice they come from (administrators).
#[utoipa::path(put, path = "/calendar/{year}", tag = "Rules and calendar", operation_id = "set_calendar",
    summary = "Replace a year's holidays",
    params(("year" = i32, Path, description = "The year, e.g. 2026.")),
    request_body = YearInput,
    responses(
        (status = 200, description = "Replaced; the year's days.", body = Vec<Holiday>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an administrator.", body = ErrorBody),
        (status = 422, description = "Every problem, by field (a day outside the year, a name or citation missing).", body = ErrorBody),
    ))]
async fn set_year(
    State(state): State<AppState>,
    principal: Principal,
    Path(year): Path<i32>,
    ApiJson(input): ApiJson<YearInput>,
) -> ApiResult<axum::Json<Vec<Holiday>>> {
    principal.may_administer()?;
    let (holidays, authority) = match input {
        YearInput::Days(days) => (days, None),
        YearInput::Year {
            holidays,
            citation,
            provisional,
            note,
        } => (holidays, Some((citation, provisional, note))),
    };
    let mut problems = Problems::new();
    if let Some((citation, _, _)) = &authority
        && citation.trim().is_empty()
    {
        problems.add(
            "citation",
            Problem::new(
                Code::Required,
                "required: the notice or decision the days come from",
            ),
        );
    }
    for (i, holiday) in holidays.iter().enumerate() {
        if holiday.day.year() != year {
            problems.add(format!("[{i}].day"), format!("is not in {year}"));
        }
        if holiday.name.trim().is_empty() {
            problems.add(format!("[{i}].name"), "required");
        }
        let weekend = matches!(holiday.day.weekday(), Weekday::Sat | Weekday::Sun);
        if !holiday.day_off && !weekend {
            problems.add(
                format!("[{i}].day_off"),
                "only a Saturday or Sunday can be a worked day",
            );
        }
    }
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query("delete from holiday where extract(year from day) = $1")
        .bind(year)
        .execute(&mut *tx)
        .await?;
    for holiday in &holidays {
        sqlx::query("insert into holiday (day, name, day_off) values ($1, $2, $3)")
            .bind(holiday.day)
            .bind(holiday.name.trim())
            .bind(holiday.day_off)
            .execute(&mut *tx)
            .await
            .on_constraint("holiday_pkey", || {
                ApiError::invalid("day", format!("{} is listed twice", holiday.day))
            })?;
    }
    if let Some((citation, provisional, note)) = authority {
        sqlx::query(
            "insert into holiday_year (year, citation, provisional, note) values ($1, $2, $3, $4)
             on conflict (year) do update set citation = excluded.citation, provisional = excluded.provisional,
                                              note = excluded.note, updated_at = now()",
        )
        .bind(year)
        .bind(citation.trim())
        .bind(provisional)
        .bind(note.as_deref().map(str::trim).filter(|n| !n.is_empty()))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(axum::Json(holidays))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn tet_2026() -> Calendar {
        Calendar::new(
            [
                "2026-02-16",
                "2026-02-17",
                "2026-02-18",
                "2026-02-19",
                "2026-02-20",
            ]
            .map(|s| (d(s), true)),
        )
    }

    #[test]
    fn seven_working_days_skip_the_weekend() {
        // Submitted on Wednesday 4 March 2026: Thu 5, Fri 6, Mon 9 … Fri 13 → Friday 13 March.
        assert_eq!(
            Calendar::default().add_working_days(d("2026-03-04"), 7),
            d("2026-03-13")
        );
    }

    #[test]
    fn tet_does_not_count() {
        // Submitted Thursday 12 Feb 2026: Fri 13, then Tết (14–22 Feb), then Mon 23 … Fri 27,
        // Mon 2 March → the 7th working day is Monday 2 March.
        assert_eq!(
            tet_2026().add_working_days(d("2026-02-12"), 7),
            d("2026-03-02")
        );
        assert_eq!(
            tet_2026().working_days_between(d("2026-02-12"), d("2026-03-02")),
            7
        );
    }

    fn year(year: i32, days: i64, provisional: bool) -> YearSummary {
        YearSummary {
            year,
            days,
            citation: None,
            provisional,
            note: None,
        }
    }

    #[test]
    fn admins_are_warned_from_october_of_a_year_without_its_holidays() {
        let loaded = [year(2026, 11, false)];
        assert!(warning(&loaded, d("2026-09-30")).is_none(), "too early");
        let w = warning(&loaded, d("2026-10-01")).expect("from 1 October");
        assert_eq!(
            (w.year, w.problem, w.days_left),
            (2027, WarningProblem::Missing, 92)
        );
        let provisional = [year(2026, 11, false), year(2027, 11, true)];
        assert_eq!(
            warning(&provisional, d("2026-12-01")).map(|w| w.problem),
            Some(WarningProblem::Provisional)
        );
        let official = [year(2027, 11, false)];
        assert!(warning(&official, d("2026-12-01")).is_none());
    }

    #[test]
    fn a_worked_saturday_counts() {
        let calendar = Calendar::new([
            (d("2025-04-26"), false),
            (d("2025-04-30"), true),
            (d("2025-05-01"), true),
            (d("2025-05-02"), true),
        ]);
        // Thursday 24 April 2025 + 2 working days: Fri 25, Sat 26 (worked).
        assert_eq!(
            calendar.add_working_days(d("2025-04-24"), 2),
            d("2025-04-26")
        );
        // + 3: Mon 28; + 5: Mon 5 May (30/4–2/5 are off).
        assert_eq!(
            calendar.add_working_days(d("2025-04-24"), 5),
            d("2025-05-05")
        );
    }
}
