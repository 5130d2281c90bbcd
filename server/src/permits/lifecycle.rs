//! Where permit decisions are made: what a principal may do with an
//! application on a given day, and whether an action is a transition or a
//! refusal. Pure functions over [`Facts`]; the handlers (the actions offered),
//! the store (an action taken) and the daily housekeeping (permits that lapse)
//! all ask here, so a rule is written once.
//!
//! The state machine itself is [`super::state::transition`]; this module adds
//! the rules that depend on more than the state: a supplement may be
//! requested once (Construction Law Art. 102), the decision deadline extended
//! once, and a permit lapses only when its validity has ended without works.

use chrono::NaiveDate;

use super::state::{PermitAction, PermitState, Side, possible, transition};

/// Applications that still stand for their place and time: filed and not yet
/// decided against, or granted (or notified) with the works not finished.
/// Dig-once matching and the overlap pre-check look at these.
pub const LIVE: &[PermitState] = &[
    PermitState::Submitted,
    PermitState::CompletenessCheck,
    PermitState::Resubmitted,
    PermitState::UnderReview,
    PermitState::Granted,
    PermitState::Notified,
    PermitState::WorksStarted,
];

/// Applications whose decision clock runs: waiting for the ward, not for the
/// applicant. Housekeeping warns reviewers of their deadlines.
pub const CLOCK_RUNNING: &[PermitState] = &[
    PermitState::Submitted,
    PermitState::CompletenessCheck,
    PermitState::Resubmitted,
    PermitState::UnderReview,
];

/// A set of states as text, to bind into SQL: `p.state = any($1)`.
pub fn names(states: &[PermitState]) -> Vec<&'static str> {
    states.iter().map(|state| state.as_str()).collect()
}

/// The states from which `action` leads somewhere (for a query that finds the
/// candidates, such as the permits that may lapse).
pub fn states_allowing(action: PermitAction) -> Vec<PermitState> {
    PermitState::ALL
        .into_iter()
        .filter(|state| transition(*state, action, false).is_some())
        .collect()
}

/// What a decision about an application depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub state: PermitState,
    /// Exempt works (no permit needed: a submission is only notified).
    pub exempt: bool,
    /// Missing documents were already requested once.
    pub supplement_requested: bool,
    /// Working days the decision deadline was already extended by.
    pub extension_days: i32,
    /// The last day of a granted permit's validity.
    pub validity_end: Option<NaiveDate>,
    pub works_started_on: Option<NaiveDate>,
}

/// Why an action is refused; the state does not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The state machine has no such transition; these are possible now.
    NotPossible(Vec<PermitAction>),
    /// Missing documents may be requested only once.
    SupplementAlreadyRequested,
    /// The decision deadline may be extended only once.
    AlreadyExtended,
    /// A permit lapses only when its validity has ended without the works starting.
    NotExpired,
}

impl Refusal {
    /// What the refusal says, in English: "cannot grant an application that
    /// is refused (Từ chối); possible now: nothing".
    pub fn message(&self, action: PermitAction, state: PermitState) -> String {
        let head = format!(
            "cannot {} an application that is {} ({})",
            action.as_str(),
            state.as_str(),
            state.label_vi()
        );
        let why = match self {
            Self::NotPossible(possible) => {
                let possible: Vec<&str> = possible.iter().map(|a| a.as_str()).collect();
                let possible = if possible.is_empty() {
                    "nothing".to_string()
                } else {
                    possible.join(", ")
                };
                return format!("{head}; possible now: {possible}");
            }
            Self::SupplementAlreadyRequested => {
                "missing documents may be requested only once (Construction Law Art. 102); accept or refuse the file"
            }
            Self::AlreadyExtended => "the decision deadline has already been extended once",
            Self::NotExpired => {
                "a permit lapses only when its validity has ended without the works starting"
            }
        };
        format!("{head}: {why}")
    }
}

/// The validity of a granted permit has ended without the works starting.
pub fn expired(facts: &Facts, today: NaiveDate) -> bool {
    facts.validity_end.is_some_and(|end| end < today) && facts.works_started_on.is_none()
}

/// `action` on an application with `facts` on `today`: the state it leads to,
/// or why not. Who may take it is [`allowed`]'s and the policy's question.
pub fn decide(
    facts: &Facts,
    action: PermitAction,
    today: NaiveDate,
) -> Result<PermitState, Refusal> {
    if action == PermitAction::RequestSupplement && facts.supplement_requested {
        return Err(Refusal::SupplementAlreadyRequested);
    }
    if action == PermitAction::Extend && facts.extension_days > 0 {
        return Err(Refusal::AlreadyExtended);
    }
    if action == PermitAction::Lapse && !expired(facts, today) {
        return Err(Refusal::NotExpired);
    }
    transition(facts.state, action, facts.exempt)
        .ok_or_else(|| Refusal::NotPossible(possible(facts.state, facts.exempt)))
}

/// The actions a principal may take on `today`: those that [`decide`] allows,
/// on a side (`may(Side::Applicant)`, `may(Side::Ward)`) the principal is on.
pub fn allowed(facts: &Facts, may: impl Fn(Side) -> bool, today: NaiveDate) -> Vec<PermitAction> {
    PermitAction::ALL
        .into_iter()
        .filter(|action| decide(facts, *action, today).is_ok())
        .filter(|action| may(action.side()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use PermitAction as A;
    use PermitState as S;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    fn facts(state: PermitState) -> Facts {
        Facts {
            state,
            exempt: false,
            supplement_requested: false,
            extension_days: 0,
            validity_end: None,
            works_started_on: None,
        }
    }

    /// The table: (facts, action, today) → outcome.
    #[test]
    fn decisions() {
        let today = day("2027-03-10");
        let granted = Facts {
            validity_end: Some(day("2027-03-01")),
            ..facts(S::Granted)
        };
        let cases: Vec<(Facts, PermitAction, Result<PermitState, Refusal>)> = vec![
            (facts(S::Draft), A::Submit, Ok(S::Submitted)),
            (
                Facts {
                    exempt: true,
                    ..facts(S::Draft)
                },
                A::Submit,
                Ok(S::Notified),
            ),
            (facts(S::Submitted), A::BeginCheck, Ok(S::CompletenessCheck)),
            (
                facts(S::CompletenessCheck),
                A::RequestSupplement,
                Ok(S::SupplementRequested),
            ),
            (
                Facts {
                    supplement_requested: true,
                    ..facts(S::CompletenessCheck)
                },
                A::RequestSupplement,
                Err(Refusal::SupplementAlreadyRequested),
            ),
            (
                facts(S::SupplementRequested),
                A::Resubmit,
                Ok(S::CompletenessCheck),
            ),
            (facts(S::UnderReview), A::Extend, Ok(S::UnderReview)),
            (
                Facts {
                    extension_days: 5,
                    ..facts(S::UnderReview)
                },
                A::Extend,
                Err(Refusal::AlreadyExtended),
            ),
            (facts(S::UnderReview), A::Grant, Ok(S::Granted)),
            (granted, A::Lapse, Ok(S::Lapsed)),
            (
                Facts {
                    validity_end: Some(day("2027-03-10")),
                    ..granted
                },
                A::Lapse,
                Err(Refusal::NotExpired),
            ),
            (
                Facts {
                    works_started_on: Some(day("2027-02-01")),
                    ..granted
                },
                A::Lapse,
                Err(Refusal::NotExpired),
            ),
            (granted, A::ReportStart, Ok(S::WorksStarted)),
            (
                facts(S::Refused),
                A::Grant,
                Err(Refusal::NotPossible(vec![])),
            ),
            (
                facts(S::WorksStarted),
                A::Grant,
                Err(Refusal::NotPossible(vec![A::ReportCompletion])),
            ),
        ];
        for (facts, action, outcome) in cases {
            assert_eq!(
                decide(&facts, action, today),
                outcome,
                "{action:?} on {facts:?}"
            );
        }
    }

    #[test]
    fn the_actions_offered_are_those_decided_for_the_principals_side() {
        let today = day("2027-03-10");
        let review = facts(S::UnderReview);
        assert_eq!(
            allowed(&review, |side| side == Side::Ward, today),
            [A::Grant, A::Refuse, A::RequestModification, A::Extend]
        );
        assert_eq!(
            allowed(&review, |side| side == Side::Applicant, today),
            [A::Withdraw]
        );
        let extended = Facts {
            extension_days: 3,
            ..review
        };
        assert!(!allowed(&extended, |_| true, today).contains(&A::Extend));
        let granted = Facts {
            validity_end: Some(day("2027-04-01")),
            ..facts(S::Granted)
        };
        assert_eq!(allowed(&granted, |_| true, today), [A::ReportStart]);
        assert_eq!(
            allowed(&granted, |_| true, day("2027-04-02")),
            [A::Lapse, A::ReportStart],
            "the ward is offered the lapse once the validity has ended"
        );
        assert!(allowed(&review, |_| false, today).is_empty());
    }

    #[test]
    fn refusals_say_what_is_possible() {
        assert_eq!(
            Refusal::NotPossible(vec![]).message(A::Grant, S::Refused),
            "cannot grant an application that is refused (Từ chối); possible now: nothing"
        );
        assert_eq!(
            Refusal::AlreadyExtended.message(A::Extend, S::UnderReview),
            "cannot extend an application that is under_review (Đang thẩm định): the decision deadline has already been extended once"
        );
    }

    #[test]
    fn the_state_sets_agree_with_the_state_machine() {
        for state in PermitState::ALL {
            assert_eq!(
                CLOCK_RUNNING.contains(&state),
                state.is_pending() && !state.waits_for_applicant(),
                "{state:?}"
            );
        }
        assert_eq!(states_allowing(A::Lapse), [S::Granted]);
        assert_eq!(
            names(CLOCK_RUNNING),
            [
                "submitted",
                "completeness_check",
                "resubmitted",
                "under_review"
            ]
        );
        for state in LIVE {
            assert!(
                !matches!(
                    state,
                    S::Draft | S::Refused | S::Withdrawn | S::Lapsed | S::WorksCompleted
                ),
                "{state:?} does not stand for its place"
            );
        }
    }
}
