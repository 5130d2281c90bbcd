//! When a filing is due, whether it is late, and when to remind: pure
//! functions of the call's dates, the operator's filing and the working-day
//! calendar, used by the handlers, the status table and the housekeeping job.
//!
//! - A call is due on `due_on`. When that day is not a working day (a weekend,
//!   Tết), the period ends with the next working day: Civil Code 2015
//!   Art. 148(5) ("khi ngày cuối cùng của thời hạn là ngày nghỉ cuối tuần hoặc
//!   ngày nghỉ lễ thì thời hạn kết thúc tại thời điểm kết thúc ngày làm việc
//!   tiếp theo ngày nghỉ đó"). That day is the *effective* due date.
//! - An operator that has not submitted by the end of the effective due date
//!   is late from the next day on; a submission after it is kept and marked late.
//! - Reminders: one on the first working day from which at most
//!   `reminder_working_days` working days are left to the effective due date,
//!   and one on the first working day after it if nothing was submitted. Both
//!   go out on working days only: nobody reads the ward's mail during Tết.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::calendar::Calendar;

/// Where one operator stands in one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilingStatus {
    /// Nothing filed yet, and the due date has not passed.
    NotStarted,
    /// A version is saved but none is submitted.
    Draft,
    /// A version is submitted (perhaps late, perhaps with a newer draft).
    Submitted,
    /// The effective due date passed and nothing is submitted.
    Late,
}

impl FilingStatus {
    pub const ALL: [Self; 4] = [Self::NotStarted, Self::Draft, Self::Submitted, Self::Late];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Late => "late",
        }
    }
}

/// The last day of the period: `due_on`, or the next working day after it.
pub fn effective_due(calendar: &Calendar, due_on: NaiveDate) -> NaiveDate {
    let mut day = due_on;
    while !calendar.is_working_day(day) {
        day = day.succ_opt().expect("dates stay far from the end of time");
    }
    day
}

/// The status of an operator's filing on `today`.
pub fn status(
    calendar: &Calendar,
    due_on: NaiveDate,
    has_versions: bool,
    submitted: bool,
    today: NaiveDate,
) -> FilingStatus {
    if submitted {
        FilingStatus::Submitted
    } else if today > effective_due(calendar, due_on) {
        FilingStatus::Late
    } else if has_versions {
        FilingStatus::Draft
    } else {
        FilingStatus::NotStarted
    }
}

/// Whether a submission on `day` came after the effective due date.
pub fn submitted_late(calendar: &Calendar, due_on: NaiveDate, day: NaiveDate) -> bool {
    day > effective_due(calendar, due_on)
}

/// Working days left to the effective due date (0 on the day itself,
/// negative once it has passed).
pub fn working_days_left(calendar: &Calendar, due_on: NaiveDate, today: NaiveDate) -> i64 {
    let due = effective_due(calendar, due_on);
    if today <= due {
        calendar.working_days_between(today, due)
    } else {
        -calendar.working_days_between(due, today)
    }
}

/// A reminder the housekeeping sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The call is open: it tells the operator what is asked and by when.
    Opened,
    /// Few working days are left.
    DueSoon,
    /// The due date passed without a submission.
    Late,
}

impl Reminder {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::DueSoon => "due_soon",
            Self::Late => "late",
        }
    }
}

/// What a call asks of the reminders: its dates and the working days before the due date.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub opens_on: NaiveDate,
    pub due_on: NaiveDate,
    pub reminder_working_days: u32,
}

/// The reminders due on `today` for an operator that has not submitted
/// (the caller sends each at most once). Late wins over due-soon.
pub fn reminders_due(calendar: &Calendar, schedule: Schedule, today: NaiveDate) -> Vec<Reminder> {
    let mut due = Vec::new();
    if today < schedule.opens_on {
        return due;
    }
    due.push(Reminder::Opened);
    if !calendar.is_working_day(today) {
        return due;
    }
    let left = working_days_left(calendar, schedule.due_on, today);
    if left < 0 {
        due.push(Reminder::Late);
    } else if schedule.reminder_working_days > 0
        && left <= i64::from(schedule.reminder_working_days)
    {
        due.push(Reminder::DueSoon);
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Tết 2026 as the government announced it: Mon 16 – Fri 20 February off
    /// (with the weekends around it, 14–22 February).
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

    fn schedule(due: &str, days: u32) -> Schedule {
        Schedule {
            opens_on: d("2026-01-05"),
            due_on: d(due),
            reminder_working_days: days,
        }
    }

    #[test]
    fn a_due_date_on_a_weekend_moves_to_monday() {
        // Saturday 12 December 2026 → Monday 14 December.
        assert_eq!(
            effective_due(&Calendar::default(), d("2026-12-12")),
            d("2026-12-14")
        );
        assert_eq!(
            effective_due(&Calendar::default(), d("2026-12-11")),
            d("2026-12-11")
        );
    }

    #[test]
    fn a_due_date_in_tet_moves_past_it() {
        assert_eq!(effective_due(&tet_2026(), d("2026-02-17")), d("2026-02-23"));
    }

    #[test]
    fn late_only_after_the_effective_due_date() {
        let cal = tet_2026();
        // Due during Tết: still on time on the Monday after it, late on Tuesday.
        assert_eq!(
            status(&cal, d("2026-02-18"), false, false, d("2026-02-23")),
            FilingStatus::NotStarted
        );
        assert_eq!(
            status(&cal, d("2026-02-18"), true, false, d("2026-02-23")),
            FilingStatus::Draft
        );
        assert_eq!(
            status(&cal, d("2026-02-18"), true, false, d("2026-02-24")),
            FilingStatus::Late
        );
        assert_eq!(
            status(&cal, d("2026-02-18"), true, true, d("2026-03-24")),
            FilingStatus::Submitted
        );
        assert!(!submitted_late(&cal, d("2026-02-18"), d("2026-02-23")));
        assert!(submitted_late(&cal, d("2026-02-18"), d("2026-02-24")));
    }

    #[test]
    fn the_due_soon_reminder_counts_working_days_across_tet() {
        let cal = tet_2026();
        // Due Wednesday 25 Feb, 3 working days before: Mon 23, Tue 24, Wed 25 are left
        // from Friday 13 Feb (the last working day before Tết) — 16–20 Feb do not count.
        let s = schedule("2026-02-25", 3);
        assert_eq!(
            reminders_due(&cal, s, d("2026-02-12")),
            vec![Reminder::Opened]
        );
        assert_eq!(
            reminders_due(&cal, s, d("2026-02-13")),
            vec![Reminder::Opened, Reminder::DueSoon]
        );
        // Not during Tết, not at the weekend.
        assert_eq!(
            reminders_due(&cal, s, d("2026-02-17")),
            vec![Reminder::Opened]
        );
        assert_eq!(
            reminders_due(&cal, s, d("2026-02-14")),
            vec![Reminder::Opened]
        );
    }

    #[test]
    fn the_late_reminder_waits_for_a_working_day() {
        let cal = Calendar::default();
        // Due Friday 11 December 2026: late from Saturday, reminded on Monday 14.
        let s = schedule("2026-12-11", 3);
        assert_eq!(
            reminders_due(&cal, s, d("2026-12-11")),
            vec![Reminder::Opened, Reminder::DueSoon]
        );
        assert_eq!(
            status(&cal, s.due_on, false, false, d("2026-12-12")),
            FilingStatus::Late
        );
        assert_eq!(
            reminders_due(&cal, s, d("2026-12-12")),
            vec![Reminder::Opened]
        );
        assert_eq!(
            reminders_due(&cal, s, d("2026-12-14")),
            vec![Reminder::Opened, Reminder::Late]
        );
    }

    #[test]
    fn no_reminders_before_the_call_opens_and_none_when_switched_off() {
        let cal = Calendar::default();
        let s = schedule("2026-01-07", 0);
        assert!(reminders_due(&cal, s, d("2026-01-02")).is_empty());
        assert_eq!(
            reminders_due(&cal, s, d("2026-01-06")),
            vec![Reminder::Opened]
        );
    }

    #[test]
    fn working_days_left_is_negative_after_the_due_date() {
        let cal = Calendar::default();
        assert_eq!(working_days_left(&cal, d("2026-12-11"), d("2026-12-08")), 3);
        assert_eq!(working_days_left(&cal, d("2026-12-11"), d("2026-12-11")), 0);
        assert_eq!(
            working_days_left(&cal, d("2026-12-11"), d("2026-12-15")),
            -2
        );
    }
}
