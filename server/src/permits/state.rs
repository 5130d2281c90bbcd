//! The life of an application, as a state machine. Every transition that is
//! not in [`transition`] is refused with an error that says what is possible.
//!
//! ```text
//! draft ─submit→ submitted ─begin_check→ completeness_check ─accept→ under_review ─grant→ granted ─report_start→ works_started ─report_completion→ works_completed
//!   │ (exempt works: submit → notified ─report_start→ …)   │                              │  ├─refuse→ refused            └─lapse→ lapsed
//!   │                                   request_supplement (once)                         │  └─request_modification→ modification_requested ─resubmit→ under_review
//!   │                                                      ↓                              └─extend (once, ≤ 10 working days)
//!   │                                           supplement_requested ─resubmit→ completeness_check (the check goes on with the supplement)
//!   └─ withdraw → withdrawn (from any state before the decision)
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermitState {
    Draft,
    Submitted,
    CompletenessCheck,
    SupplementRequested,
    Resubmitted,
    UnderReview,
    ModificationRequested,
    Granted,
    Refused,
    Withdrawn,
    Lapsed,
    /// Exempt works: notified, no permit needed.
    Notified,
    WorksStarted,
    WorksCompleted,
}

impl PermitState {
    pub const ALL: [PermitState; 14] = [
        Self::Draft,
        Self::Submitted,
        Self::CompletenessCheck,
        Self::SupplementRequested,
        Self::Resubmitted,
        Self::UnderReview,
        Self::ModificationRequested,
        Self::Granted,
        Self::Refused,
        Self::Withdrawn,
        Self::Lapsed,
        Self::Notified,
        Self::WorksStarted,
        Self::WorksCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::CompletenessCheck => "completeness_check",
            Self::SupplementRequested => "supplement_requested",
            Self::Resubmitted => "resubmitted",
            Self::UnderReview => "under_review",
            Self::ModificationRequested => "modification_requested",
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
            Self::Lapsed => "lapsed",
            Self::Notified => "notified",
            Self::WorksStarted => "works_started",
            Self::WorksCompleted => "works_completed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Waiting for a decision by the ward (counts as pending).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Self::Submitted
                | Self::CompletenessCheck
                | Self::SupplementRequested
                | Self::Resubmitted
                | Self::UnderReview
                | Self::ModificationRequested
        )
    }

    /// Waiting for the applicant, so the ward's clock is paused.
    pub fn waits_for_applicant(self) -> bool {
        matches!(
            self,
            Self::SupplementRequested | Self::ModificationRequested
        )
    }

    /// The applicant may still change the file.
    pub fn editable(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::SupplementRequested | Self::ModificationRequested
        )
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Draft => "Bản nháp",
            Self::Submitted => "Đã nộp",
            Self::CompletenessCheck => "Đang kiểm tra hồ sơ",
            Self::SupplementRequested => "Yêu cầu bổ sung",
            Self::Resubmitted => "Đã nộp bổ sung",
            Self::UnderReview => "Đang thẩm định",
            Self::ModificationRequested => "Yêu cầu điều chỉnh",
            Self::Granted => "Đã cấp phép",
            Self::Refused => "Từ chối",
            Self::Withdrawn => "Đã rút",
            Self::Lapsed => "Hết hiệu lực",
            Self::Notified => "Miễn phép — đã thông báo",
            Self::WorksStarted => "Đã khởi công",
            Self::WorksCompleted => "Đã hoàn thành",
        }
    }
}

/// What someone does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermitAction {
    Submit,
    BeginCheck,
    RequestSupplement,
    Resubmit,
    Accept,
    Grant,
    Refuse,
    RequestModification,
    Extend,
    Withdraw,
    Lapse,
    ReportStart,
    ReportCompletion,
}

/// Who takes an action: the applying operator, or the ward's reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Applicant,
    Ward,
}

impl PermitAction {
    pub const ALL: [PermitAction; 13] = [
        Self::Submit,
        Self::BeginCheck,
        Self::RequestSupplement,
        Self::Resubmit,
        Self::Accept,
        Self::Grant,
        Self::Refuse,
        Self::RequestModification,
        Self::Extend,
        Self::Withdraw,
        Self::Lapse,
        Self::ReportStart,
        Self::ReportCompletion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::BeginCheck => "begin_check",
            Self::RequestSupplement => "request_supplement",
            Self::Resubmit => "resubmit",
            Self::Accept => "accept",
            Self::Grant => "grant",
            Self::Refuse => "refuse",
            Self::RequestModification => "request_modification",
            Self::Extend => "extend",
            Self::Withdraw => "withdraw",
            Self::Lapse => "lapse",
            Self::ReportStart => "report_start",
            Self::ReportCompletion => "report_completion",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    pub fn side(self) -> Side {
        match self {
            Self::Submit
            | Self::Resubmit
            | Self::Withdraw
            | Self::ReportStart
            | Self::ReportCompletion => Side::Applicant,
            Self::BeginCheck
            | Self::RequestSupplement
            | Self::Accept
            | Self::Grant
            | Self::Refuse
            | Self::RequestModification
            | Self::Extend
            | Self::Lapse => Side::Ward,
        }
    }
}

/// The state an action leads to from `from`, or `None` if the action is not
/// allowed there. `exempt` sends a submission to `notified`.
pub fn transition(from: PermitState, action: PermitAction, exempt: bool) -> Option<PermitState> {
    use PermitAction as A;
    use PermitState as S;
    Some(match (from, action) {
        (S::Draft, A::Submit) if exempt => S::Notified,
        (S::Draft, A::Submit) => S::Submitted,
        (S::Submitted | S::Resubmitted, A::BeginCheck) => S::CompletenessCheck,
        (S::CompletenessCheck, A::RequestSupplement) => S::SupplementRequested,
        // The supplement returns the file to the check it was asked in: the ward
        // accepts it (or not) without starting the check again. `resubmitted` is
        // where files supplemented before this rule wait for `begin_check`.
        (S::SupplementRequested, A::Resubmit) => S::CompletenessCheck,
        (S::CompletenessCheck, A::Accept) => S::UnderReview,
        (S::UnderReview, A::Grant) => S::Granted,
        (S::UnderReview, A::Refuse) => S::Refused,
        (S::UnderReview, A::RequestModification) => S::ModificationRequested,
        (S::ModificationRequested, A::Resubmit) => S::UnderReview,
        (S::UnderReview, A::Extend) => S::UnderReview,
        (
            S::Draft
            | S::Submitted
            | S::CompletenessCheck
            | S::SupplementRequested
            | S::Resubmitted
            | S::UnderReview
            | S::ModificationRequested,
            A::Withdraw,
        ) => S::Withdrawn,
        (S::Granted, A::Lapse) => S::Lapsed,
        (S::Granted | S::Notified, A::ReportStart) => S::WorksStarted,
        (S::WorksStarted, A::ReportCompletion) => S::WorksCompleted,
        _ => return None,
    })
}

/// The actions possible from a state (for error messages and the web app).
pub fn possible(from: PermitState, exempt: bool) -> Vec<PermitAction> {
    PermitAction::ALL
        .into_iter()
        .filter(|a| transition(from, *a, exempt).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_reaches_completion() {
        let mut state = PermitState::Draft;
        for action in [
            PermitAction::Submit,
            PermitAction::BeginCheck,
            PermitAction::RequestSupplement,
            PermitAction::Resubmit,
            PermitAction::Accept,
            PermitAction::Extend,
            PermitAction::Grant,
            PermitAction::ReportStart,
            PermitAction::ReportCompletion,
        ] {
            state = transition(state, action, false)
                .unwrap_or_else(|| panic!("{action:?} from {state:?}"));
        }
        assert_eq!(state, PermitState::WorksCompleted);
    }

    #[test]
    fn a_supplemented_file_goes_back_to_its_check() {
        assert_eq!(
            transition(
                PermitState::SupplementRequested,
                PermitAction::Resubmit,
                false
            ),
            Some(PermitState::CompletenessCheck)
        );
        assert_eq!(
            transition(PermitState::Resubmitted, PermitAction::BeginCheck, false),
            Some(PermitState::CompletenessCheck),
            "files that waited in `resubmitted` before still move on"
        );
    }

    #[test]
    fn exempt_works_are_only_notified() {
        assert_eq!(
            transition(PermitState::Draft, PermitAction::Submit, true),
            Some(PermitState::Notified)
        );
        assert_eq!(
            transition(PermitState::Notified, PermitAction::Grant, true),
            None
        );
    }

    #[test]
    fn decided_files_cannot_be_withdrawn_or_decided_again() {
        for state in [
            PermitState::Granted,
            PermitState::Refused,
            PermitState::Withdrawn,
            PermitState::Lapsed,
        ] {
            assert_eq!(transition(state, PermitAction::Withdraw, false), None);
            assert_eq!(transition(state, PermitAction::Grant, false), None);
        }
    }
}
