//! The life of a report, as a state machine. Who may take a step is part of
//! the machine: the ward's staff triage, assign, close and reopen; the
//! operator the report is assigned to acknowledges it, declines it (not its
//! asset) or reports it fixed; nobody else moves it.
//!
//! ```text
//! new ─triage→ triaged ─assign→ assigned ─acknowledge→ acknowledged ─fix (photo)→ fixed ─close→ closed
//!  │              │  ↑            │  └──────────────fix───────────────────────↗      │          │
//!  │              │  └──decline───┴──────────decline──────────┘                        └─reopen→ reopened ─assign→ …
//!  └──reject──────┴─reject / close (handled by the ward) → closed ─reopen→ reopened
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    /// Received, not yet looked at by the ward.
    New,
    /// The ward confirmed it and set its type.
    Triaged,
    /// Handed to the operator that owns what is wrong.
    Assigned,
    /// The operator took it on.
    Acknowledged,
    /// The operator says it is put right (with a photo).
    Fixed,
    Closed,
    /// Closed or fixed, and found not to be.
    Reopened,
}

impl IncidentState {
    pub const ALL: [IncidentState; 7] = [
        Self::New,
        Self::Triaged,
        Self::Assigned,
        Self::Acknowledged,
        Self::Fixed,
        Self::Closed,
        Self::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Triaged => "triaged",
            Self::Assigned => "assigned",
            Self::Acknowledged => "acknowledged",
            Self::Fixed => "fixed",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Open311's two statuses.
    pub fn open311_status(self) -> &'static str {
        if self == Self::Closed {
            "closed"
        } else {
            "open"
        }
    }

    /// Waiting for the operator (its fix clock runs).
    pub fn with_operator(self) -> bool {
        matches!(self, Self::Assigned | Self::Acknowledged)
    }

    /// Waiting for the ward to sort it (its triage clock runs).
    pub fn with_ward(self) -> bool {
        matches!(
            self,
            Self::New | Self::Triaged | Self::Reopened | Self::Fixed
        )
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::New => "Mới tiếp nhận",
            Self::Triaged => "Đã phân loại",
            Self::Assigned => "Đã giao doanh nghiệp",
            Self::Acknowledged => "Doanh nghiệp đã nhận",
            Self::Fixed => "Đã khắc phục",
            Self::Closed => "Đã đóng",
            Self::Reopened => "Mở lại",
        }
    }
}

/// A step someone takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentAction {
    Triage,
    Reject,
    Assign,
    Acknowledge,
    Decline,
    Fix,
    Close,
    Reopen,
}

impl IncidentAction {
    pub const ALL: [IncidentAction; 8] = [
        Self::Triage,
        Self::Reject,
        Self::Assign,
        Self::Acknowledge,
        Self::Decline,
        Self::Fix,
        Self::Close,
        Self::Reopen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Triage => "triage",
            Self::Reject => "reject",
            Self::Assign => "assign",
            Self::Acknowledge => "acknowledge",
            Self::Decline => "decline",
            Self::Fix => "fix",
            Self::Close => "close",
            Self::Reopen => "reopen",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// Who takes the step.
    pub fn side(self) -> Side {
        match self {
            Self::Acknowledge | Self::Decline | Self::Fix => Side::Operator,
            Self::Triage | Self::Reject | Self::Assign | Self::Close | Self::Reopen => Side::Ward,
        }
    }
}

/// The two sides of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The ward's staff (reviewers in scope) and admins.
    Ward,
    /// The operator the report is assigned to.
    Operator,
}

/// Who is asking, as the machine sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Ward,
    AssignedOperator,
    OtherOperator,
    /// The public, planners, staff of other wards.
    Bystander,
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not possible from this state (409).
    NotNow,
    /// Not this actor's step (403).
    NotYours,
}

/// The state `action` leads to from `from`, whoever takes it; `None` if it
/// is not possible there.
pub fn transition(from: IncidentState, action: IncidentAction) -> Option<IncidentState> {
    use IncidentAction as A;
    use IncidentState as S;
    Some(match (from, action) {
        (S::New, A::Triage) => S::Triaged,
        (S::New | S::Triaged | S::Reopened, A::Reject) => S::Closed,
        (S::Triaged | S::Reopened | S::Assigned | S::Acknowledged, A::Assign) => S::Assigned,
        (S::Assigned, A::Acknowledge) => S::Acknowledged,
        (S::Assigned | S::Acknowledged, A::Decline) => S::Triaged,
        (S::Assigned | S::Acknowledged, A::Fix) => S::Fixed,
        // Fixed by the operator, or handled by the ward itself (a violation opened, say).
        (S::Fixed | S::Triaged | S::Reopened, A::Close) => S::Closed,
        (S::Fixed | S::Closed, A::Reopen) => S::Reopened,
        _ => return None,
    })
}

/// The whole decision: the new state, or why not.
pub fn decide(
    from: IncidentState,
    actor: Actor,
    action: IncidentAction,
) -> Result<IncidentState, Refusal> {
    let allowed = match action.side() {
        Side::Ward => actor == Actor::Ward,
        Side::Operator => actor == Actor::AssignedOperator,
    };
    if !allowed {
        return Err(Refusal::NotYours);
    }
    transition(from, action).ok_or(Refusal::NotNow)
}

/// The steps `actor` may take from `from` (for the app's buttons).
pub fn possible(from: IncidentState, actor: Actor) -> Vec<IncidentAction> {
    IncidentAction::ALL
        .into_iter()
        .filter(|a| decide(from, actor, *a).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;
    use IncidentAction as A;
    use IncidentState as S;

    /// (state, actor, action) → outcome, for every case that matters.
    const TABLE: &[(
        IncidentState,
        Actor,
        IncidentAction,
        Result<IncidentState, Refusal>,
    )] = &[
        (S::New, Ward, A::Triage, Ok(S::Triaged)),
        (S::New, AssignedOperator, A::Triage, Err(Refusal::NotYours)),
        (S::New, Bystander, A::Triage, Err(Refusal::NotYours)),
        (S::New, Ward, A::Assign, Err(Refusal::NotNow)),
        (S::New, Ward, A::Reject, Ok(S::Closed)),
        (S::New, Ward, A::Close, Err(Refusal::NotNow)),
        (S::Triaged, Ward, A::Assign, Ok(S::Assigned)),
        (S::Triaged, Ward, A::Close, Ok(S::Closed)),
        (S::Triaged, OtherOperator, A::Assign, Err(Refusal::NotYours)),
        (
            S::Assigned,
            AssignedOperator,
            A::Acknowledge,
            Ok(S::Acknowledged),
        ),
        (
            S::Assigned,
            OtherOperator,
            A::Acknowledge,
            Err(Refusal::NotYours),
        ),
        (S::Assigned, Ward, A::Acknowledge, Err(Refusal::NotYours)),
        (S::Assigned, AssignedOperator, A::Fix, Ok(S::Fixed)),
        (S::Assigned, AssignedOperator, A::Decline, Ok(S::Triaged)),
        (S::Assigned, Ward, A::Assign, Ok(S::Assigned)),
        (S::Assigned, Ward, A::Close, Err(Refusal::NotNow)),
        (S::Acknowledged, AssignedOperator, A::Fix, Ok(S::Fixed)),
        (
            S::Acknowledged,
            AssignedOperator,
            A::Acknowledge,
            Err(Refusal::NotNow),
        ),
        (
            S::Acknowledged,
            AssignedOperator,
            A::Decline,
            Ok(S::Triaged),
        ),
        (
            S::Acknowledged,
            OtherOperator,
            A::Fix,
            Err(Refusal::NotYours),
        ),
        (S::Fixed, Ward, A::Close, Ok(S::Closed)),
        (S::Fixed, Ward, A::Reopen, Ok(S::Reopened)),
        (S::Fixed, AssignedOperator, A::Close, Err(Refusal::NotYours)),
        (S::Fixed, AssignedOperator, A::Fix, Err(Refusal::NotNow)),
        (S::Closed, Ward, A::Reopen, Ok(S::Reopened)),
        (S::Closed, Ward, A::Assign, Err(Refusal::NotNow)),
        (S::Closed, Bystander, A::Reopen, Err(Refusal::NotYours)),
        (S::Reopened, Ward, A::Assign, Ok(S::Assigned)),
        (S::Reopened, Ward, A::Reject, Ok(S::Closed)),
        (S::Reopened, AssignedOperator, A::Fix, Err(Refusal::NotNow)),
    ];

    #[test]
    fn the_table_of_state_actor_and_action() {
        for (state, actor, action, outcome) in TABLE {
            assert_eq!(
                decide(*state, *actor, *action),
                *outcome,
                "{state:?} × {actor:?} × {action:?}"
            );
        }
    }

    #[test]
    fn bystanders_and_other_operators_can_never_move_a_report() {
        for state in IncidentState::ALL {
            assert!(possible(state, Bystander).is_empty());
            assert!(possible(state, OtherOperator).is_empty());
        }
    }

    #[test]
    fn every_state_but_closed_can_reach_closed() {
        for state in IncidentState::ALL {
            let mut seen = vec![state];
            let mut frontier = vec![state];
            while let Some(s) = frontier.pop() {
                for action in IncidentAction::ALL {
                    if let Some(next) = transition(s, action)
                        && !seen.contains(&next)
                    {
                        seen.push(next);
                        frontier.push(next);
                    }
                }
            }
            assert!(
                seen.contains(&IncidentState::Closed),
                "{state:?} is a dead end"
            );
        }
    }
}
