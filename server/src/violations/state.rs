//! The life of a violation: opened with its deadline, reported fixed by the
//! operator (with a photo), then verified by the ward (usually at the
//! follow-up inspection) or found not fixed and opened again with a new
//! deadline; the ward may cancel one opened in error.
//!
//! ```text
//! open ─report_fixed (operator, photo)→ fixed ─verify (ward)→ closed
//!   ↑                                      │
//!   └────────────reject_fix (ward)─────────┘        open | fixed ─cancel (ward)→ cancelled
//! open ─verify (ward: found put right at the follow-up)→ closed
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViolationState {
    Open,
    Fixed,
    Closed,
    Cancelled,
}

impl ViolationState {
    pub const ALL: [ViolationState; 4] = [Self::Open, Self::Fixed, Self::Closed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Fixed => "fixed",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Open => "Chưa khắc phục",
            Self::Fixed => "Báo đã khắc phục",
            Self::Closed => "Đã khắc phục (đã kiểm tra)",
            Self::Cancelled => "Đã hủy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViolationAction {
    ReportFixed,
    Verify,
    RejectFix,
    Cancel,
}

impl ViolationAction {
    pub const ALL: [ViolationAction; 4] = [
        Self::ReportFixed,
        Self::Verify,
        Self::RejectFix,
        Self::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReportFixed => "report_fixed",
            Self::Verify => "verify",
            Self::RejectFix => "reject_fix",
            Self::Cancel => "cancel",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// Whether the operator (not the ward) takes this step.
    pub fn by_operator(self) -> bool {
        self == Self::ReportFixed
    }
}

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Ward,
    /// The operator responsible for the violation.
    Responsible,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotNow,
    NotYours,
}

pub fn transition(from: ViolationState, action: ViolationAction) -> Option<ViolationState> {
    use ViolationAction as A;
    use ViolationState as S;
    Some(match (from, action) {
        (S::Open, A::ReportFixed) => S::Fixed,
        (S::Open | S::Fixed, A::Verify) => S::Closed,
        (S::Fixed, A::RejectFix) => S::Open,
        (S::Open | S::Fixed, A::Cancel) => S::Cancelled,
        _ => return None,
    })
}

pub fn decide(
    from: ViolationState,
    actor: Actor,
    action: ViolationAction,
) -> Result<ViolationState, Refusal> {
    let allowed = if action.by_operator() {
        actor == Actor::Responsible
    } else {
        actor == Actor::Ward
    };
    if !allowed {
        return Err(Refusal::NotYours);
    }
    transition(from, action).ok_or(Refusal::NotNow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;
    use ViolationAction as A;
    use ViolationState as S;

    const TABLE: &[(
        ViolationState,
        Actor,
        ViolationAction,
        Result<ViolationState, Refusal>,
    )] = &[
        (S::Open, Responsible, A::ReportFixed, Ok(S::Fixed)),
        (S::Open, Other, A::ReportFixed, Err(Refusal::NotYours)),
        (S::Open, Ward, A::ReportFixed, Err(Refusal::NotYours)),
        (S::Open, Ward, A::Verify, Ok(S::Closed)),
        (S::Open, Ward, A::RejectFix, Err(Refusal::NotNow)),
        (S::Open, Ward, A::Cancel, Ok(S::Cancelled)),
        (S::Open, Responsible, A::Cancel, Err(Refusal::NotYours)),
        (S::Fixed, Ward, A::Verify, Ok(S::Closed)),
        (S::Fixed, Ward, A::RejectFix, Ok(S::Open)),
        (S::Fixed, Responsible, A::Verify, Err(Refusal::NotYours)),
        (S::Fixed, Responsible, A::ReportFixed, Err(Refusal::NotNow)),
        (S::Closed, Ward, A::Cancel, Err(Refusal::NotNow)),
        (S::Closed, Responsible, A::ReportFixed, Err(Refusal::NotNow)),
        (S::Cancelled, Ward, A::Verify, Err(Refusal::NotNow)),
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
}
