//! The permit clocks (Construction Law 2014 Art. 102 as amended in 2020, with
//! durations from the rules in force on the day of submission):
//!
//! - **completeness**: from submission the ward has 7 working days to check the
//!   file and, once only, ask for what is missing;
//! - **decision**: 20 working days from the day a complete file is received —
//!   the day of submission, or of the resubmission that completed it;
//! - while the ward waits for the applicant (a requested modification) the
//!   clock stands still; an extension (at most 10 working days, with a written
//!   reason) moves the deadline.
//!
//! Days are counted in the [`Calendar`]: the day of receipt does not count,
//! weekends and public holidays (Tết) do not count.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::state::{PermitAction, PermitState};
use crate::calendar::Calendar;

/// One event of the timeline, as the clock sees it.
#[derive(Debug, Clone)]
pub struct ClockEvent {
    pub action: PermitAction,
    pub day: NaiveDate,
    /// Working days of an extension.
    pub extension_days: u32,
}

/// Durations in working days, from the rules in force at submission.
#[derive(Debug, Clone, Copy)]
pub struct Durations {
    pub completeness: u32,
    pub decision: u32,
    /// At or below this many working days left, a case is about to breach.
    pub warning: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not submitted yet.
    NotStarted,
    Completeness,
    Decision,
    /// Waiting for the applicant: the clock stands still.
    Paused,
    /// Decided, withdrawn, or exempt.
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PermitClockStatus)]
pub enum ClockStatus {
    None,
    OnTime,
    /// Few working days left.
    AtRisk,
    Breached,
    Paused,
}

/// Where an application stands against its deadlines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Clock {
    pub phase: Phase,
    pub status: ClockStatus,
    #[schema(required = true)]
    pub submitted_on: Option<NaiveDate>,
    #[schema(required = true)]
    pub completeness_due: Option<NaiveDate>,
    /// The day the complete file was received (the decision clock's start).
    #[schema(required = true)]
    pub complete_on: Option<NaiveDate>,
    #[schema(required = true)]
    pub decision_due: Option<NaiveDate>,
    /// Working days the clock stood still waiting for the applicant.
    pub paused_working_days: i64,
    pub extension_working_days: i64,
    /// Working days to the current deadline (negative once it has passed).
    #[schema(required = true)]
    pub working_days_left: Option<i64>,
    #[schema(required = true)]
    pub decided_on: Option<NaiveDate>,
    /// Working days from submission to decision, less the pauses.
    #[schema(required = true)]
    pub processing_working_days: Option<i64>,
}

/// Working days from `today` to `due`, negative when `due` has passed.
fn left(calendar: &Calendar, today: NaiveDate, due: NaiveDate) -> i64 {
    if today <= due {
        calendar.working_days_between(today, due)
    } else {
        -calendar.working_days_between(due, today)
    }
}

/// Computes the clock from the events (oldest first) and the current state.
pub fn compute(
    calendar: &Calendar,
    durations: Durations,
    events: &[ClockEvent],
    state: PermitState,
    exempt: bool,
    today: NaiveDate,
) -> Clock {
    let mut clock = Clock {
        phase: Phase::NotStarted,
        status: ClockStatus::None,
        submitted_on: None,
        completeness_due: None,
        complete_on: None,
        decision_due: None,
        paused_working_days: 0,
        extension_working_days: 0,
        working_days_left: None,
        decided_on: None,
        processing_working_days: None,
    };
    let Some(submitted) = events
        .iter()
        .find(|e| e.action == PermitAction::Submit)
        .map(|e| e.day)
    else {
        return clock;
    };
    clock.submitted_on = Some(submitted);
    if exempt {
        clock.phase = Phase::Stopped;
        return clock;
    }
    clock.completeness_due = Some(calendar.add_working_days(submitted, durations.completeness));

    // The complete file arrives with the submission, or with the resubmission
    // after the (single) request for missing documents.
    let supplement = events
        .iter()
        .position(|e| e.action == PermitAction::RequestSupplement);
    let complete_on = match supplement {
        None => Some(submitted),
        Some(at) => events[at..]
            .iter()
            .find(|e| e.action == PermitAction::Resubmit)
            .map(|e| e.day),
    };
    clock.complete_on = complete_on;

    let mut paused_since: Option<NaiveDate> = None;
    let mut decided_on = None;
    let mut accepted = false;
    for event in events {
        match event.action {
            PermitAction::Accept => accepted = true,
            PermitAction::RequestModification => paused_since = Some(event.day),
            PermitAction::Resubmit => {
                if let Some(since) = paused_since.take() {
                    clock.paused_working_days += calendar.working_days_between(since, event.day);
                }
            }
            PermitAction::Extend => clock.extension_working_days += i64::from(event.extension_days),
            PermitAction::Grant | PermitAction::Refuse | PermitAction::Withdraw => {
                decided_on = Some(event.day)
            }
            _ => {}
        }
    }
    let still_paused = paused_since
        .map(|since| calendar.working_days_between(since, today))
        .unwrap_or(0);
    if let Some(start) = complete_on {
        let total = i64::from(durations.decision)
            + clock.paused_working_days
            + still_paused
            + clock.extension_working_days;
        clock.decision_due = Some(calendar.add_working_days(start, total as u32));
    }
    clock.decided_on = decided_on;
    if let Some(decided) = decided_on {
        clock.processing_working_days =
            Some(calendar.working_days_between(submitted, decided) - clock.paused_working_days);
    }

    let (phase, due) = if decided_on.is_some() || !state.is_pending() {
        (Phase::Stopped, None)
    } else if state.waits_for_applicant() {
        (Phase::Paused, None)
    } else if supplement.is_none() && !accepted {
        (Phase::Completeness, clock.completeness_due)
    } else {
        (Phase::Decision, clock.decision_due)
    };
    clock.phase = phase;
    clock.status = match (phase, due) {
        (Phase::Paused, _) => ClockStatus::Paused,
        (_, Some(due)) => {
            let days = left(calendar, today, due);
            clock.working_days_left = Some(days);
            if days < 0 {
                ClockStatus::Breached
            } else if days <= i64::from(durations.warning) {
                ClockStatus::AtRisk
            } else {
                ClockStatus::OnTime
            }
        }
        _ => ClockStatus::None,
    };
    clock
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn event(action: PermitAction, day: &str) -> ClockEvent {
        ClockEvent {
            action,
            day: d(day),
            extension_days: 0,
        }
    }

    const LAW_2020: Durations = Durations {
        completeness: 7,
        decision: 20,
        warning: 2,
    };

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
    fn a_file_submitted_before_tet_has_its_completeness_check_after_it() {
        // Thursday 12 Feb 2026: Fri 13, (Tết 14–22), Mon 23 … Fri 27, Mon 2 March.
        let events = [event(PermitAction::Submit, "2026-02-12")];
        let clock = compute(
            &tet_2026(),
            LAW_2020,
            &events,
            PermitState::Submitted,
            false,
            d("2026-02-25"),
        );
        assert_eq!(clock.completeness_due, Some(d("2026-03-02")));
        assert_eq!(clock.phase, Phase::Completeness);
        assert_eq!(clock.working_days_left, Some(3), "Thu 26, Fri 27, Mon 2");
        assert_eq!(clock.status, ClockStatus::OnTime);
    }

    #[test]
    fn the_decision_clock_starts_at_the_resubmission_and_stops_while_waiting() {
        let events = [
            event(PermitAction::Submit, "2026-03-02"),
            event(PermitAction::BeginCheck, "2026-03-03"),
            event(PermitAction::RequestSupplement, "2026-03-05"),
            event(PermitAction::Resubmit, "2026-03-10"), // Tuesday: the complete file
            event(PermitAction::BeginCheck, "2026-03-10"),
            event(PermitAction::Accept, "2026-03-11"),
            event(PermitAction::RequestModification, "2026-03-16"), // Monday
            event(PermitAction::Resubmit, "2026-03-19"), // Thursday: Tue, Wed, Thu paused = 3
        ];
        let clock = compute(
            &Calendar::default(),
            LAW_2020,
            &events,
            PermitState::UnderReview,
            false,
            d("2026-03-20"),
        );
        assert_eq!(clock.complete_on, Some(d("2026-03-10")));
        assert_eq!(clock.paused_working_days, 3);
        // 10 March + 23 working days: 11–13 (3), 16–20 (8), 23–27 (13), 30 Mar–3 Apr (18), 6–10 Apr (23).
        assert_eq!(clock.decision_due, Some(d("2026-04-10")));
        assert_eq!(clock.phase, Phase::Decision);
    }

    #[test]
    fn an_extension_moves_the_deadline_and_a_late_case_is_breached() {
        let mut extend = event(PermitAction::Extend, "2026-03-25");
        extend.extension_days = 5;
        let events = [
            event(PermitAction::Submit, "2026-03-02"),
            event(PermitAction::BeginCheck, "2026-03-02"),
            event(PermitAction::Accept, "2026-03-04"),
            extend,
        ];
        let clock = compute(
            &Calendar::default(),
            LAW_2020,
            &events,
            PermitState::UnderReview,
            false,
            d("2026-04-07"),
        );
        // 2 March + 25 working days = Monday 6 April.
        assert_eq!(clock.decision_due, Some(d("2026-04-06")));
        assert_eq!(clock.working_days_left, Some(-1));
        assert_eq!(clock.status, ClockStatus::Breached);
    }

    #[test]
    fn a_case_waiting_for_the_applicant_is_paused() {
        let events = [
            event(PermitAction::Submit, "2026-03-02"),
            event(PermitAction::BeginCheck, "2026-03-02"),
            event(PermitAction::Accept, "2026-03-03"),
            event(PermitAction::RequestModification, "2026-03-09"),
        ];
        let clock = compute(
            &Calendar::default(),
            LAW_2020,
            &events,
            PermitState::ModificationRequested,
            false,
            d("2026-03-13"),
        );
        assert_eq!(clock.status, ClockStatus::Paused);
        // 20 working days plus the 4 paused so far (Tue 10 – Fri 13): 2 March + 24 = 3 April.
        assert_eq!(clock.decision_due, Some(d("2026-04-03")));
    }
}
