//! The life of a challenge, as one table of (state, action) → state, and who
//! takes each action.
//!
//! ```text
//! submitted ─forward (staff)→ forwarded ─accept (operator)→ accepted ─┐
//!     │                           └─dispute (operator)→ disputed       ├─ a filing that no longer claims it → corrected
//!     └─reject (staff)→ rejected        ├─uphold (staff)→ upheld ──────┘
//!                                       └─dismiss (staff)→ dismissed
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeState {
    /// Waiting for staff to triage it.
    Submitted,
    /// Not a real challenge (spam, a point where nobody claims coverage, a duplicate).
    Rejected,
    /// Sent to the operator concerned, which must answer.
    Forwarded,
    /// The operator agrees: its next filing must correct the claim.
    Accepted,
    /// The operator disagrees, with evidence; staff decide.
    Disputed,
    /// Staff side with the challenger: as accepted.
    Upheld,
    /// Staff side with the operator: the claim stands.
    Dismissed,
    /// A later filing of the operator no longer claims coverage there.
    Corrected,
}

impl ChallengeState {
    pub const ALL: [Self; 8] = [
        Self::Submitted,
        Self::Rejected,
        Self::Forwarded,
        Self::Accepted,
        Self::Disputed,
        Self::Upheld,
        Self::Dismissed,
        Self::Corrected,
    ];

    /// States shown on the map as open challenges.
    pub const OPEN: [Self; 5] = [
        Self::Submitted,
        Self::Forwarded,
        Self::Accepted,
        Self::Disputed,
        Self::Upheld,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Rejected => "rejected",
            Self::Forwarded => "forwarded",
            Self::Accepted => "accepted",
            Self::Disputed => "disputed",
            Self::Upheld => "upheld",
            Self::Dismissed => "dismissed",
            Self::Corrected => "corrected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Submitted => "chờ xem xét",
            Self::Rejected => "không chấp nhận",
            Self::Forwarded => "đã chuyển doanh nghiệp",
            Self::Accepted => "doanh nghiệp thừa nhận",
            Self::Disputed => "doanh nghiệp phản đối",
            Self::Upheld => "giữ nguyên phản ánh",
            Self::Dismissed => "bác phản ánh",
            Self::Corrected => "đã điều chỉnh số liệu",
        }
    }

    /// Whether the operator must correct its next filing.
    pub fn binds_operator(self) -> bool {
        matches!(self, Self::Accepted | Self::Upheld)
    }
}

/// What someone does to a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeAction {
    Forward,
    Reject,
    Accept,
    Dispute,
    Uphold,
    Dismiss,
}

/// Who takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Staff,
    Operator,
}

impl ChallengeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Reject => "reject",
            Self::Accept => "accept",
            Self::Dispute => "dispute",
            Self::Uphold => "uphold",
            Self::Dismiss => "dismiss",
        }
    }

    pub fn side(self) -> Side {
        match self {
            Self::Accept | Self::Dispute => Side::Operator,
            _ => Side::Staff,
        }
    }
}

/// The state after `action` in `state`, if the action is possible there.
pub fn next(state: ChallengeState, action: ChallengeAction) -> Option<ChallengeState> {
    use ChallengeAction as A;
    use ChallengeState as S;
    match (state, action) {
        (S::Submitted, A::Forward) => Some(S::Forwarded),
        (S::Submitted, A::Reject) => Some(S::Rejected),
        (S::Forwarded, A::Accept) => Some(S::Accepted),
        (S::Forwarded, A::Dispute) => Some(S::Disputed),
        (S::Disputed, A::Uphold) => Some(S::Upheld),
        (S::Disputed, A::Dismiss) => Some(S::Dismissed),
        _ => None,
    }
}

/// The actions possible in `state`.
pub fn actions(state: ChallengeState) -> Vec<ChallengeAction> {
    use ChallengeAction as A;
    [
        A::Forward,
        A::Reject,
        A::Accept,
        A::Dispute,
        A::Uphold,
        A::Dismiss,
    ]
    .into_iter()
    .filter(|a| next(state, *a).is_some())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChallengeAction as A;
    use ChallengeState as S;

    #[test]
    fn every_state_and_action() {
        let table: &[(S, A, Option<S>)] = &[
            (S::Submitted, A::Forward, Some(S::Forwarded)),
            (S::Submitted, A::Reject, Some(S::Rejected)),
            (S::Submitted, A::Accept, None),
            (S::Forwarded, A::Accept, Some(S::Accepted)),
            (S::Forwarded, A::Dispute, Some(S::Disputed)),
            (S::Forwarded, A::Forward, None),
            (S::Accepted, A::Dispute, None),
            (S::Disputed, A::Uphold, Some(S::Upheld)),
            (S::Disputed, A::Dismiss, Some(S::Dismissed)),
            (S::Disputed, A::Accept, None),
            (S::Upheld, A::Dismiss, None),
            (S::Rejected, A::Forward, None),
            (S::Corrected, A::Dispute, None),
        ];
        for (state, action, expected) in table {
            assert_eq!(next(*state, *action), *expected, "{state:?} {action:?}");
        }
        assert_eq!(actions(S::Forwarded), [A::Accept, A::Dispute]);
        assert!(actions(S::Corrected).is_empty());
    }

    #[test]
    fn operators_answer_and_staff_decide() {
        assert_eq!(A::Accept.side(), Side::Operator);
        assert_eq!(A::Dispute.side(), Side::Operator);
        for a in [A::Forward, A::Reject, A::Uphold, A::Dismiss] {
            assert_eq!(a.side(), Side::Staff);
        }
        assert!(S::Upheld.binds_operator() && S::Accepted.binds_operator());
        assert!(!S::Disputed.binds_operator());
    }
}
