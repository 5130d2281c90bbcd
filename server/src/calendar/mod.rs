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

use crate::accounts::policy::Principal;
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
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
    OpenApiRouter::new().routes(routes!(year, set_year))
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

/// Replaces the exceptions of one year.
/// Replaces a year's holidays and worked days (administrators).
#[utoipa::path(put, path = "/calendar/{year}", tag = "Rules and calendar", operation_id = "set_calendar",
    summary = "Replace a year's holidays",
    params(("year" = i32, Path, description = "The year, e.g. 2026.")),
    request_body = Vec<Holiday>,
    responses(
        (status = 200, description = "Replaced; the year's days.", body = Vec<Holiday>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an administrator.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
async fn set_year(
    State(state): State<AppState>,
    principal: Principal,
    Path(year): Path<i32>,
    ApiJson(holidays): ApiJson<Vec<Holiday>>,
) -> ApiResult<axum::Json<Vec<Holiday>>> {
    principal.may_administer()?;
    let mut problems = Problems::new();
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
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.constraint() == Some("holiday_pkey") => {
                    ApiError::invalid("day", format!("{} is listed twice", holiday.day))
                }
                _ => ApiError::Database(e),
            })?;
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
