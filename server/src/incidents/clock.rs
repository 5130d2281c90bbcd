//! The deadlines of a report, in working days of the [`Calendar`] (weekends,
//! public holidays and Tết do not count; the day of receipt does not count):
//!
//! - **triage**: the ward sorts a new (or reopened, or declined) report
//!   within `triage_days`;
//! - **fix**: the assigned operator puts it right within the type's
//!   `fix_days` of the assignment.
//!
//! A clock at or under `warning_days` left is *at risk* (the operator is
//! reminded); past its deadline it is *breached* and escalates to the ward's
//! staff, and `escalate_after_days` later to the administrators.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::state::IncidentState;
use crate::calendar::Calendar;

/// Durations in working days, from the rule `incident.deadlines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub triage_days: u32,
    /// For the report's type.
    pub fix_days: u32,
    pub warning_days: u32,
    pub escalate_after_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockPhase {
    /// The ward is to sort it.
    Triage,
    /// The operator is to fix it.
    Fix,
    /// Fixed and waiting for the ward's check, or closed.
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    None,
    OnTime,
    AtRisk,
    Breached,
}

/// Where a report stands against its deadline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentClock {
    pub phase: ClockPhase,
    pub status: ClockStatus,
    pub due: Option<NaiveDate>,
    /// Working days to `due` (negative once it has passed).
    pub working_days_left: Option<i64>,
    /// 0 on time; 1 overdue (the ward's staff are told); 2 overdue for
    /// `escalate_after_days` more (the administrators are told).
    pub escalation: u8,
}

/// The clock on `today`. `ward_since` is the day the ward's turn began (the
/// report arrived, was reopened or declined), `assigned_on` the day of the
/// current assignment.
pub fn compute(
    calendar: &Calendar,
    deadlines: Deadlines,
    state: IncidentState,
    ward_since: NaiveDate,
    assigned_on: Option<NaiveDate>,
    today: NaiveDate,
) -> IncidentClock {
    let (phase, due) = match state {
        IncidentState::New | IncidentState::Reopened => (
            ClockPhase::Triage,
            Some(calendar.add_working_days(ward_since, deadlines.triage_days)),
        ),
        // Triaged but not assigned: the ward still has to hand it on.
        IncidentState::Triaged => (
            ClockPhase::Triage,
            Some(calendar.add_working_days(ward_since, deadlines.triage_days.max(1) * 2)),
        ),
        IncidentState::Assigned | IncidentState::Acknowledged => (
            ClockPhase::Fix,
            Some(calendar.add_working_days(assigned_on.unwrap_or(ward_since), deadlines.fix_days)),
        ),
        IncidentState::Fixed | IncidentState::Closed => (ClockPhase::Stopped, None),
    };
    let Some(due) = due else {
        return IncidentClock {
            phase,
            status: ClockStatus::None,
            due: None,
            working_days_left: None,
            escalation: 0,
        };
    };
    let left = if today <= due {
        calendar.working_days_between(today, due)
    } else {
        -calendar.working_days_between(due, today)
    };
    let status = if left < 0 {
        ClockStatus::Breached
    } else if left <= i64::from(deadlines.warning_days) {
        ClockStatus::AtRisk
    } else {
        ClockStatus::OnTime
    };
    let escalation = match left {
        l if l < -i64::from(deadlines.escalate_after_days) => 2,
        l if l < 0 => 1,
        _ => 0,
    };
    IncidentClock {
        phase,
        status,
        due: Some(due),
        working_days_left: Some(left),
        escalation,
    }
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

    const SAGGING: Deadlines = Deadlines {
        triage_days: 1,
        fix_days: 2,
        warning_days: 1,
        escalate_after_days: 2,
    };

    #[test]
    fn a_report_on_friday_is_triaged_by_monday() {
        let clock = compute(
            &Calendar::default(),
            SAGGING,
            IncidentState::New,
            d("2026-03-06"),
            None,
            d("2026-03-07"),
        );
        assert_eq!(
            clock.due,
            Some(d("2026-03-09")),
            "Friday + 1 working day = Monday"
        );
        assert_eq!(clock.phase, ClockPhase::Triage);
        assert_eq!(clock.working_days_left, Some(1));
        assert_eq!(clock.status, ClockStatus::AtRisk);
    }

    #[test]
    fn a_fix_assigned_before_tet_is_due_after_it() {
        // Assigned Thursday 12 Feb 2026: Fri 13 (1), Tết 14–22 Feb, Mon 23 (2).
        let clock = compute(
            &tet_2026(),
            SAGGING,
            IncidentState::Assigned,
            d("2026-02-11"),
            Some(d("2026-02-12")),
            d("2026-02-18"),
        );
        assert_eq!(clock.due, Some(d("2026-02-23")));
        assert_eq!(clock.phase, ClockPhase::Fix);
        assert_eq!(
            clock.working_days_left,
            Some(1),
            "only Monday 23 is left during Tết"
        );
        assert_eq!(clock.status, ClockStatus::AtRisk);
        assert_eq!(clock.escalation, 0);
    }

    #[test]
    fn an_overdue_fix_escalates_to_the_ward_then_further() {
        let assigned = Some(d("2026-03-02")); // Monday; due Wednesday 4 March
        let one = compute(
            &Calendar::default(),
            SAGGING,
            IncidentState::Acknowledged,
            d("2026-03-02"),
            assigned,
            d("2026-03-05"),
        );
        assert_eq!(one.due, Some(d("2026-03-04")));
        assert_eq!(
            (one.status, one.working_days_left, one.escalation),
            (ClockStatus::Breached, Some(-1), 1)
        );
        // Three working days late (Thu, Fri, Mon) is past the two of escalate_after_days.
        let two = compute(
            &Calendar::default(),
            SAGGING,
            IncidentState::Acknowledged,
            d("2026-03-02"),
            assigned,
            d("2026-03-09"),
        );
        assert_eq!((two.working_days_left, two.escalation), (Some(-3), 2));
        // Weekends do not make a report later: Saturday 7 March is still two days late.
        let weekend = compute(
            &Calendar::default(),
            SAGGING,
            IncidentState::Acknowledged,
            d("2026-03-02"),
            assigned,
            d("2026-03-07"),
        );
        assert_eq!(weekend.working_days_left, Some(-2));
    }

    #[test]
    fn fixed_and_closed_reports_have_no_clock() {
        for state in [IncidentState::Fixed, IncidentState::Closed] {
            let clock = compute(
                &Calendar::default(),
                SAGGING,
                state,
                d("2026-03-02"),
                Some(d("2026-03-02")),
                d("2026-04-01"),
            );
            assert_eq!(clock.status, ClockStatus::None);
            assert_eq!(clock.escalation, 0);
        }
    }
}
