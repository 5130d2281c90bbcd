//! Who may do what: the whole access matrix in one place. Every handler asks
//! this module; none decides on its own.
//!
//! | what | public | operator member / API token | reviewer | planner | admin |
//! |---|---|---|---|---|---|
//! | reference data (operators, wards, provinces) | names only | yes | yes | yes | yes |
//! | asset lists, map, single asset | towers in wards that publish them, few fields | every asset | every asset | every asset | every asset |
//! | per-pipe occupants of a duct bank | no | own ducts, and own pipes in others' | in scope | in scope | yes |
//! | lease terms (contract ref, monthly fee) | no | as owner or as tenant | no | no | yes |
//! | register, change, decommission assets | no | own operator's only | no | no | yes |
//! | declare tenancies | no | on own operator's assets | no | no | yes |
//! | asset history | no | own operator's assets | in scope | in scope | yes |
//! | audit history by operator or user | no | own operator | in scope | in scope | yes |
//! | API tokens | no | own operator's (members only) | no | no | yes |
//! | users, operators, ward publication | no | no | no | no | yes |
//! | rules, holidays | read | read | read | read | change |
//! | permit applications: apply, resubmit, withdraw, report works | no | own operator's | no | no | yes |
//! | permit applications: check, decide, extend | no | no | in scope | no | yes |
//! | permit applications: read | statistics only | own operator's | in scope | in scope | yes |
//! | planned civil works, restricted zones | read | read | change in scope | change in scope | yes |
//! | notifications | no | own | own | own | own |
//! | undergrounding areas and projects: change | no | no | no | in scope | yes |
//! | undergrounding: confirm removal of own cable | no | participating operator | no | no | yes |
//! | undergrounding flags, dashboard, sharing analysis | ward's published dashboard | yes | yes | yes | yes |
//! | dig-once: register interest in a civil work | no | own operator | no | no | yes |
//! | reports of incidents: file one | yes (guarded, rate-limited) | yes | yes | yes | yes |
//! | reports: public status by tracking code, Open311 list | yes, without personal data | yes | yes | yes | yes |
//! | reports: read, with their timeline | no | those assigned to own operator | in scope | in scope | yes |
//! | reports: the reporter's contact details | no | no | in scope | no | yes |
//! | reports: triage, assign, close, reopen | no | no | in scope | no | yes |
//! | reports: acknowledge, decline, report fixed | no | assigned to own operator | no | no | yes |
//! | inspection rounds and findings: plan, record | no | no | in scope | no | yes |
//! | inspection rounds and findings: read | no | findings naming own operator | in scope | in scope | yes |
//! | violations: open, verify, cancel | no | no | in scope | no | yes |
//! | violations: read; report fixed | no | own operator's | read in scope | read in scope | yes |
//! | detection lists, field statistics | no | no | in scope | in scope | yes |
//!
//! "In scope" is the reviewer's or planner's wards (a province in their scope
//! counts all its wards). Public means not logged in: it sees only what a ward
//! chose to publish and never duct, lease or tenant detail, as Germany's
//! Infrastrukturatlas and the UK's NUAR keep such detail from the public.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::Actor;
use crate::http::error::{ApiError, Code, Problem};

/// What a user does in the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, operators, wards and rule settings.
    Admin,
    /// Ward construction staff: reviews permits for their wards.
    Reviewer,
    /// Reads everything in their province or wards; manages undergrounding plans.
    Planner,
    /// Works for one operator: registers and edits that operator's assets.
    OperatorMember,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Self::Admin,
        Self::Reviewer,
        Self::Planner,
        Self::OperatorMember,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Reviewer => "reviewer",
            Self::Planner => "planner",
            Self::OperatorMember => "operator_member",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// A logged-in person.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The operator of an operator member.
    pub operator: Option<OperatorRef>,
    /// Wards a reviewer or planner works in (provinces expanded to their wards).
    pub scope_wards: Vec<i64>,
}

/// An operator, by id and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorRef {
    pub id: i64,
    pub code: String,
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Principal {
    /// Not logged in.
    Public,
    /// A person with a browser session.
    User(User),
    /// An operator's system with an API token.
    Token {
        id: i64,
        name: String,
        operator: OperatorRef,
    },
}

/// What a principal may see of assets, in the terms the SQL needs.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub public: bool,
    pub admin: bool,
    /// The viewer's operator, for its own assets, pipes and tenancies.
    pub operator_id: Option<i64>,
    /// Wards where the viewer sees duct occupancy in full.
    pub scope_wards: Vec<i64>,
}

impl Principal {
    pub fn user(&self) -> Option<&User> {
        match self {
            Self::User(user) => Some(user),
            _ => None,
        }
    }

    fn role(&self) -> Option<Role> {
        self.user().map(|u| u.role)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    /// The operator this principal acts for (a member or a token).
    pub fn operator(&self) -> Option<&OperatorRef> {
        match self {
            Self::User(user) => user.operator.as_ref(),
            Self::Token { operator, .. } => Some(operator),
            Self::Public => None,
        }
    }

    /// Who to record in the history.
    pub fn actor(&self) -> Actor {
        match self {
            Self::Public => Actor::system(),
            Self::User(user) => Actor {
                name: format!("user:{}", user.username),
                user_id: Some(user.id),
                token_id: None,
            },
            Self::Token { id, name, operator } => Actor {
                name: format!("token:{id} ({} – {name})", operator.code),
                user_id: None,
                token_id: Some(*id),
            },
        }
    }

    pub fn viewer(&self) -> Viewer {
        match self {
            Self::Public => Viewer {
                public: true,
                ..Viewer::default()
            },
            Self::User(user) => Viewer {
                public: false,
                admin: user.role == Role::Admin,
                operator_id: user.operator.as_ref().map(|o| o.id),
                scope_wards: user.scope_wards.clone(),
            },
            Self::Token { operator, .. } => Viewer {
                operator_id: Some(operator.id),
                ..Viewer::default()
            },
        }
    }

    /// 401 for the public, otherwise fine.
    pub fn require_login(&self) -> Result<(), ApiError> {
        match self {
            Self::Public => Err(ApiError::unauthorized(Problem::new(
                Code::LoginRequired,
                "log in to do this",
            ))),
            _ => Ok(()),
        }
    }

    /// The refusal of `action` (a stable key, `what` its English words):
    /// 401 for the public, 403 for the others.
    fn deny(&self, action: &'static str, what: &str) -> ApiError {
        match self {
            Self::Public => ApiError::unauthorized(
                Problem::new(Code::LoginRequired, format!("log in to {what}"))
                    .with("action", action),
            ),
            _ => ApiError::forbidden(
                Problem::new(Code::RoleMayNot, format!("your role may not {what}"))
                    .with("action", action),
            ),
        }
    }

    /// Registering, changing or decommissioning an asset owned by `owner_id`.
    pub fn may_write_asset(&self, owner_id: i64) -> Result<(), ApiError> {
        if self.is_admin() {
            return Ok(());
        }
        match self.operator() {
            Some(operator) if operator.id == owner_id => Ok(()),
            Some(operator) => Err(ApiError::forbidden(
                Problem::new(
                    Code::NotOwnOperator,
                    format!(
                        "{} may change only its own assets; this one belongs to another operator",
                        operator.code
                    ),
                )
                .with("operator", operator.code.clone()),
            )),
            None => Err(self.deny("write_assets", "register or change assets")),
        }
    }

    /// Registering assets at all (before the owner is known).
    pub fn may_register_assets(&self) -> Result<(), ApiError> {
        if self.is_admin() || self.operator().is_some() {
            Ok(())
        } else {
            Err(self.deny("write_assets", "register or change assets"))
        }
    }

    /// Declaring or changing tenancies on an asset owned by `owner_id`.
    pub fn may_manage_tenancies(&self, owner_id: i64) -> Result<(), ApiError> {
        self.may_write_asset(owner_id)
    }

    /// Reading the history of an asset owned by `owner_id` in ward `ward_id`.
    pub fn may_read_history(&self, owner_id: i64, ward_id: Option<i64>) -> Result<(), ApiError> {
        match self {
            Self::Public => Err(self.deny("read_history", "read the change history")),
            Self::User(user) => match user.role {
                Role::Admin => Ok(()),
                Role::Reviewer | Role::Planner
                    if ward_id.is_some_and(|w| user.scope_wards.contains(&w)) =>
                {
                    Ok(())
                }
                Role::OperatorMember
                    if user.operator.as_ref().is_some_and(|o| o.id == owner_id) =>
                {
                    Ok(())
                }
                _ => Err(ApiError::forbidden(Problem::new(
                    Code::OutsideScope,
                    "this asset's history is outside what your role may read",
                ))),
            },
            Self::Token { operator, .. } if operator.id == owner_id => Ok(()),
            Self::Token { .. } => Err(ApiError::forbidden(Problem::new(
                Code::NotOwnOperator,
                "a token reads only its own operator's history",
            ))),
        }
    }

    /// Whether lease terms of a tenancy are visible: admin, the owner, the tenant.
    pub fn sees_lease_terms(&self, owner_id: i64, tenant_id: i64) -> bool {
        self.is_admin()
            || self
                .operator()
                .is_some_and(|o| o.id == owner_id || o.id == tenant_id)
    }

    /// Creating, listing and revoking API tokens of `operator_id`.
    pub fn may_manage_tokens(&self, operator_id: i64) -> Result<(), ApiError> {
        match self {
            Self::User(user) if user.role == Role::Admin => Ok(()),
            Self::User(user) if user.operator.as_ref().is_some_and(|o| o.id == operator_id) => {
                Ok(())
            }
            Self::Token { .. } => Err(ApiError::forbidden(Problem::new(
                Code::TokenMayNot,
                "API tokens cannot manage tokens; log in as a person",
            ))),
            _ => Err(self.deny("manage_tokens", "manage this operator's API tokens")),
        }
    }

    /// Users, operators, ward publication and rule settings.
    pub fn may_administer(&self) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(self.deny("administer", "administer users, operators and settings"))
        }
    }

    /// Applying for permits for `operator_id`, and acting on its applications.
    pub fn may_apply(&self, operator_id: i64) -> Result<(), ApiError> {
        self.may_write_asset(operator_id)
    }

    /// Taking the ward's side of an application in `ward_id`: checking,
    /// deciding, extending.
    pub fn may_review(&self, ward_id: Option<i64>) -> Result<(), ApiError> {
        match self {
            Self::User(user) if user.role == Role::Admin => Ok(()),
            Self::User(user)
                if user.role == Role::Reviewer
                    && ward_id.is_some_and(|w| user.scope_wards.contains(&w)) =>
            {
                Ok(())
            }
            Self::User(user) if user.role == Role::Reviewer => {
                Err(ApiError::forbidden(Problem::new(
                    Code::OutsideScope,
                    "this application is for a ward outside your scope",
                )))
            }
            _ => Err(self.deny("review_permits", "review permit applications")),
        }
    }

    /// Reading an application of `operator_id` in `ward_id`.
    pub fn may_read_application(
        &self,
        operator_id: i64,
        ward_id: Option<i64>,
    ) -> Result<(), ApiError> {
        match self {
            Self::Public => Err(self.deny("read_permits", "read permit applications")),
            Self::User(user) => match user.role {
                Role::Admin => Ok(()),
                Role::Reviewer | Role::Planner
                    if ward_id.is_some_and(|w| user.scope_wards.contains(&w)) =>
                {
                    Ok(())
                }
                Role::OperatorMember
                    if user.operator.as_ref().is_some_and(|o| o.id == operator_id) =>
                {
                    Ok(())
                }
                _ => Err(ApiError::forbidden(Problem::new(
                    Code::OutsideScope,
                    "this application is outside what your role may read",
                ))),
            },
            Self::Token { operator, .. } if operator.id == operator_id => Ok(()),
            Self::Token { .. } => Err(ApiError::forbidden(Problem::new(
                Code::NotOwnOperator,
                "a token reads only its own operator's applications",
            ))),
        }
    }

    /// Publishing planned civil works and restricted zones in `ward_id` (ward staff, planners).
    pub fn may_manage_ward_plans(&self, ward_id: Option<i64>) -> Result<(), ApiError> {
        match self {
            Self::User(user) if user.role == Role::Admin => Ok(()),
            Self::User(user)
                if matches!(user.role, Role::Reviewer | Role::Planner)
                    && ward_id.is_some_and(|w| user.scope_wards.contains(&w)) =>
            {
                Ok(())
            }
            _ => Err(self.deny("manage_ward_plans", "publish works and zones for this ward")),
        }
    }

    /// Undergrounding plans and projects in `ward_id` (planners in scope, admins).
    pub fn may_plan(&self, ward_id: Option<i64>) -> Result<(), ApiError> {
        match self {
            Self::User(user) if user.role == Role::Admin => Ok(()),
            Self::User(user)
                if user.role == Role::Planner
                    && ward_id.is_some_and(|w| user.scope_wards.contains(&w)) =>
            {
                Ok(())
            }
            _ => Err(self.deny(
                "manage_undergrounding",
                "manage undergrounding plans and projects here",
            )),
        }
    }

    /// The ward's side of a report, an inspection or a violation in `ward_id`:
    /// triage, assign, close and reopen reports; plan rounds and record
    /// findings; open, verify and cancel violations (reviewers in scope, admins).
    pub fn may_handle_field_work(&self, ward_id: Option<i64>) -> Result<(), ApiError> {
        match self {
            Self::User(user) if user.role == Role::Admin => Ok(()),
            Self::User(user)
                if user.role == Role::Reviewer
                    && ward_id.is_some_and(|w| user.scope_wards.contains(&w)) =>
            {
                Ok(())
            }
            Self::User(user) if user.role == Role::Reviewer => Err(ApiError::forbidden(
                Problem::new(Code::OutsideScope, "this is in a ward outside your scope"),
            )),
            _ => Err(self.deny(
                "handle_field_work",
                "handle reports, inspections and violations",
            )),
        }
    }

    /// Reading field work in `ward_id` as staff: reviewers and planners in scope, admins.
    pub fn may_read_field_work(&self, ward_id: Option<i64>) -> bool {
        match self {
            Self::User(user) => {
                user.role == Role::Admin
                    || (matches!(user.role, Role::Reviewer | Role::Planner)
                        && ward_id.is_some_and(|w| user.scope_wards.contains(&w)))
            }
            _ => false,
        }
    }

    /// Whether this principal acts for `operator_id` (its member, its token, or an admin).
    pub fn acts_for(&self, operator_id: Option<i64>) -> bool {
        self.is_admin() || operator_id.is_some_and(|id| self.operator().is_some_and(|o| o.id == id))
    }

    /// Reading a report in `ward_id` assigned to `operator_id`: the ward's
    /// staff, and the operator it is assigned to (no other operator).
    pub fn may_read_incident(
        &self,
        ward_id: Option<i64>,
        operator_id: Option<i64>,
    ) -> Result<(), ApiError> {
        if self.may_read_field_work(ward_id) || self.acts_for(operator_id) {
            Ok(())
        } else if matches!(self, Self::Public) {
            Err(ApiError::unauthorized(
                Problem::new(
                    Code::LoginRequired,
                    "log in to read reports; the public status is at /api/v1/incidents/track/{code}",
                )
                .with("action", "read_incidents"),
            ))
        } else if self.operator().is_some() {
            Err(ApiError::forbidden(Problem::new(
                Code::NotOwnOperator,
                "this report is not assigned to your operator",
            )))
        } else {
            Err(ApiError::forbidden(Problem::new(
                Code::OutsideScope,
                "this report is not in your scope",
            )))
        }
    }

    /// Whether the reporter's name, e-mail and phone are shown: the ward's
    /// staff in scope and admins, never operators or the public.
    pub fn sees_reporter_contact(&self, ward_id: Option<i64>) -> bool {
        self.may_handle_field_work(ward_id).is_ok()
    }

    /// Reading a violation of `operator_id` in `ward_id`: staff in scope, the operator.
    pub fn may_read_violation(
        &self,
        ward_id: Option<i64>,
        operator_id: i64,
    ) -> Result<(), ApiError> {
        if self.may_read_field_work(ward_id) || self.acts_for(Some(operator_id)) {
            Ok(())
        } else {
            Err(match self {
                Self::Public => ApiError::unauthorized(
                    Problem::new(Code::LoginRequired, "log in to read violations")
                        .with("action", "read_violations"),
                ),
                _ if self.operator().is_some() => ApiError::forbidden(Problem::new(
                    Code::NotOwnOperator,
                    "this violation is not your operator's",
                )),
                _ => ApiError::forbidden(Problem::new(
                    Code::OutsideScope,
                    "this violation is not in your scope",
                )),
            })
        }
    }

    /// Detection lists and field statistics: staff (reviewers, planners) and admins.
    pub fn may_see_field_statistics(&self) -> Result<(), ApiError> {
        match self {
            Self::User(user)
                if matches!(user.role, Role::Admin | Role::Reviewer | Role::Planner) =>
            {
                Ok(())
            }
            _ => Err(self.deny(
                "see_field_statistics",
                "see detection lists and field statistics",
            )),
        }
    }

    /// Adding and changing the inspection checklist rules: administrators.
    pub fn may_edit_checklists(&self) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(self.deny("edit_checklists", "change the inspection checklists"))
        }
    }

    /// Whether contact details of operators are shown (not to the public).
    pub fn sees_contacts(&self) -> bool {
        !matches!(self, Self::Public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(operator_id: i64) -> Principal {
        Principal::User(User {
            id: 1,
            username: "vnpt.demo".into(),
            display_name: "VNPT".into(),
            role: Role::OperatorMember,
            operator: Some(OperatorRef {
                id: operator_id,
                code: "VNPT".into(),
            }),
            scope_wards: vec![],
        })
    }

    fn staff(role: Role, wards: Vec<i64>) -> Principal {
        Principal::User(User {
            id: 2,
            username: "staff".into(),
            display_name: "Staff".into(),
            role,
            operator: None,
            scope_wards: wards,
        })
    }

    #[test]
    fn members_write_only_their_operators_assets() {
        assert!(member(1).may_write_asset(1).is_ok());
        assert!(matches!(
            member(1).may_write_asset(2),
            Err(ApiError::Forbidden(_))
        ));
        assert!(matches!(
            Principal::Public.may_write_asset(1),
            Err(ApiError::Unauthorized(_))
        ));
        assert!(matches!(
            staff(Role::Reviewer, vec![7]).may_write_asset(1),
            Err(ApiError::Forbidden(_))
        ));
        assert!(staff(Role::Admin, vec![]).may_write_asset(1).is_ok());
    }

    #[test]
    fn history_follows_scope_and_ownership() {
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_read_history(1, Some(7))
                .is_ok()
        );
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_read_history(1, Some(8))
                .is_err()
        );
        assert!(member(1).may_read_history(1, None).is_ok());
        assert!(member(1).may_read_history(2, Some(7)).is_err());
    }

    #[test]
    fn a_report_is_read_by_the_ward_and_its_operator_only() {
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_read_incident(Some(7), None)
                .is_ok()
        );
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_read_incident(Some(8), Some(1))
                .is_err()
        );
        assert!(member(1).may_read_incident(Some(8), Some(1)).is_ok());
        assert!(member(2).may_read_incident(Some(7), Some(1)).is_err());
        assert!(member(1).may_read_incident(Some(7), None).is_err());
        assert!(matches!(
            Principal::Public.may_read_incident(Some(7), Some(1)),
            Err(ApiError::Unauthorized(_))
        ));
        assert!(staff(Role::Reviewer, vec![7]).sees_reporter_contact(Some(7)));
        assert!(!member(1).sees_reporter_contact(Some(7)));
        assert!(!staff(Role::Planner, vec![7]).sees_reporter_contact(Some(7)));
        assert!(
            staff(Role::Planner, vec![7])
                .may_handle_field_work(Some(7))
                .is_err()
        );
        // The checklists: administrators change them, nobody else.
        assert!(staff(Role::Admin, vec![]).may_edit_checklists().is_ok());
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_edit_checklists()
                .is_err()
        );
        assert!(member(1).may_edit_checklists().is_err());
        assert!(matches!(
            Principal::Public.may_edit_checklists(),
            Err(ApiError::Unauthorized(_))
        ));
    }

    #[test]
    fn lease_terms_are_for_the_two_parties() {
        assert!(member(1).sees_lease_terms(1, 2));
        assert!(member(2).sees_lease_terms(1, 2));
        assert!(!member(3).sees_lease_terms(1, 2));
        assert!(!staff(Role::Planner, vec![7]).sees_lease_terms(1, 2));
    }
}
