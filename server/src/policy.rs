//! Who may do what: the whole access matrix in one place. Every handler asks
//! this module; none decides on its own.
//!
//! | what | public | operator member / API token | reviewer | planner | admin |
//! |---|---|---|---|---|---|
//! | reference data (operators, wards, provinces) | names only | yes | yes | yes | yes |
//! | asset lists, map, single asset | towers in wards that publish them, few fields | every asset | every asset | every asset | every asset |
//! | streets and wards (names, lines, boundaries) | yes | yes | yes | yes | yes |
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
//! | undergrounding flags and dashboard | wards that publish their progress (no owners) | yes | yes | yes | yes |
//! | sharing analysis, undergrounding areas and projects, civil works lists | no | yes | yes | yes | yes |
//! | dig-once: register interest in a civil work | no | own operator | no | no | yes |
//! | administrative units, boundaries: read | yes | yes | yes | yes | yes |
//! | provinces, districts, wards: add, rename, merge, end, import boundaries | no | no | no | no | yes |
//! | neighbourhood units (tổ dân phố, thôn) and their households, population, points | no | no | in scope | in scope | yes |
//! | plans, targets, tasks, reporting duties, progress: read | no | yes | yes | yes | yes |
//! | plans, targets, reporting duties: change | no | no | no | in scope | yes |
//! | plan tasks: status, evidence | no | no | in scope | in scope | yes |
//! | plan tasks: progress notes | no | tasks operators lead | in scope | in scope | yes |
//! | declared indicator values (with evidence) | no | no | in scope | in scope | yes |
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
//! | data calls (filing windows): open, change, cancel | no | no | in scope | in scope | yes |
//! | data calls: read | no | those addressed to own operator | in scope | in scope | yes |
//! | filings: file, correct, submit | no | own operator's, in calls addressed to it | no | no | yes |
//! | filings: read, with their versions and problems | no | own operator's only | in scope | in scope | yes |
//! | coverage figures, open challenges on the map | yes | yes | yes | yes | yes |
//! | challenges: mark a point (rate-limited, with an abuse guard) | yes | yes | yes | yes | yes |
//! | challenges: read in full (contact, photo), triage, decide a dispute | no | no | in scope | in scope | yes |
//! | challenges: read, accept or dispute | no | those forwarded to own operator | — | — | yes |
//!
//! "In scope" is the reviewer's or planner's wards (a province in their scope
//! counts all its wards). For plans and units, a unit is in scope when it or
//! a unit above it is in the person's scope (a neighbourhood unit of a ward
//! in scope, every unit of a province in scope). Public means not logged in: it sees only what a ward
//! chose to publish and never duct, lease or tenant detail, as Germany's
//! Infrastrukturatlas and the UK's NUAR keep such detail from the public.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::{ApiError, Code, Problem};
use crate::vocabulary::AssetKind;

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
    /// The units of the scope as given (a province, a ward), not expanded.
    pub scope_units: Vec<i64>,
}

/// An operator, by id and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorRef {
    pub id: i64,
    pub code: String,
}

/// Whose entries of the change log a principal reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeLogReader {
    /// Every entry (admins).
    All,
    /// The entries this person made.
    User(i64),
    /// The entries made with this API token.
    Token(i64),
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

    /// Opening, changing and cancelling a data call for a unit covering
    /// `wards`: staff whose scope holds every one of them.
    pub fn may_manage_calls(&self, wards: &[i64]) -> Result<(), ApiError> {
        match self {
            Self::User(user) if user.role == Role::Admin => Ok(()),
            Self::User(user)
                if matches!(user.role, Role::Reviewer | Role::Planner)
                    && !wards.is_empty()
                    && wards.iter().all(|w| user.scope_wards.contains(w)) =>
            {
                Ok(())
            }
            Self::User(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
                Err(ApiError::forbidden(Problem::new(
                    Code::OutsideScope,
                    "this unit is outside your scope",
                )))
            }
            _ => Err(self.deny("manage_calls", "open data calls")),
        }
    }

    /// Admins, reviewers and planners: the people who open calls and triage challenges.
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::User(user) if matches!(user.role, Role::Admin | Role::Reviewer | Role::Planner))
    }

    /// Whether staff see everything of a call (and its filings) over `wards`:
    /// admins, and reviewers and planners whose scope meets them.
    pub fn oversees(&self, wards: &[i64]) -> bool {
        match self {
            Self::User(user) if user.role == Role::Admin => true,
            Self::User(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
                wards.iter().any(|w| user.scope_wards.contains(w))
            }
            _ => false,
        }
    }

    /// Reading a call over `wards` addressed to `recipients`: staff in scope,
    /// and the operators it is addressed to (who see only their own part).
    pub fn may_read_call(&self, wards: &[i64], recipients: &[i64]) -> Result<(), ApiError> {
        if self.oversees(wards) || self.operator().is_some_and(|o| recipients.contains(&o.id)) {
            Ok(())
        } else if self.is_staff() {
            Err(ApiError::forbidden(Problem::new(
                Code::OutsideScope,
                "this call is for a unit outside your scope",
            )))
        } else if let Some(operator) = self.operator() {
            Err(ApiError::forbidden(
                Problem::new(
                    Code::NotOwnOperator,
                    "this call is not addressed to your operator",
                )
                .with("operator", operator.code.clone()),
            ))
        } else {
            Err(self.deny("read_calls", "read data calls"))
        }
    }

    /// Filing for `operator_id` (saving a version, submitting it): the
    /// operator's members and tokens, and admins.
    pub fn may_file(&self, operator_id: i64) -> Result<(), ApiError> {
        if self.is_admin() {
            return Ok(());
        }
        match self.operator() {
            Some(operator) if operator.id == operator_id => Ok(()),
            Some(operator) => Err(ApiError::forbidden(
                Problem::new(
                    Code::NotOwnOperator,
                    format!("{} may file only for itself", operator.code),
                )
                .with("operator", operator.code.clone()),
            )),
            None => Err(self.deny("file", "file for an operator")),
        }
    }

    /// Reading the filing of `operator_id` in a call over `wards`: the
    /// operator itself and staff in scope; never another operator.
    pub fn may_read_filing(&self, operator_id: i64, wards: &[i64]) -> Result<(), ApiError> {
        if self.oversees(wards) || self.operator().is_some_and(|o| o.id == operator_id) {
            Ok(())
        } else if self.is_staff() {
            Err(ApiError::forbidden(Problem::new(
                Code::OutsideScope,
                "this filing is for a unit outside your scope",
            )))
        } else if let Some(operator) = self.operator() {
            Err(ApiError::forbidden(
                Problem::new(
                    Code::NotOwnOperator,
                    "an operator sees only its own filings",
                )
                .with("operator", operator.code.clone()),
            ))
        } else {
            Err(self.deny("read_filings", "read filings"))
        }
    }

    /// Triaging a challenge in `ward_id` and deciding a dispute: staff in scope.
    pub fn may_triage_challenge(&self, ward_id: Option<i64>) -> Result<(), ApiError> {
        match ward_id {
            Some(ward) if self.oversees(&[ward]) => Ok(()),
            None if self.is_admin() => Ok(()),
            _ if self.is_staff() => Err(ApiError::forbidden(Problem::new(
                Code::OutsideScope,
                "this challenge is in a ward outside your scope",
            ))),
            _ => Err(self.deny("triage_challenges", "triage challenges")),
        }
    }

    /// Accepting or disputing a challenge forwarded to `operator_id`.
    pub fn may_answer_challenge(&self, operator_id: Option<i64>) -> Result<(), ApiError> {
        if self.is_admin() {
            return Ok(());
        }
        match (self.operator(), operator_id) {
            (Some(operator), Some(concerned)) if operator.id == concerned => Ok(()),
            (Some(operator), _) => Err(ApiError::forbidden(
                Problem::new(
                    Code::NotOwnOperator,
                    "this challenge was not forwarded to your operator",
                )
                .with("operator", operator.code.clone()),
            )),
            (None, _) => Err(self.deny("answer_challenges", "answer challenges")),
        }
    }

    /// Reading a challenge in full: staff in scope, and the operator it was forwarded to.
    pub fn may_read_challenge(
        &self,
        ward_id: Option<i64>,
        operator_id: Option<i64>,
    ) -> Result<(), ApiError> {
        if self.may_triage_challenge(ward_id).is_ok()
            || self.operator().is_some_and(|o| Some(o.id) == operator_id)
        {
            Ok(())
        } else if self.is_staff() {
            self.may_triage_challenge(ward_id)
        } else if self.operator().is_some() {
            self.may_answer_challenge(operator_id)
        } else {
            Err(self.deny("read_challenges", "read challenges"))
        }
    }

    /// The refusal of a unit's staff work: `outside_scope` for a reviewer or
    /// planner whose scope does not hold the unit, else as [`Self::deny`].
    fn deny_staff_of_unit(&self, action: &'static str, what: &str) -> ApiError {
        match self.user() {
            Some(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
                ApiError::forbidden(
                    Problem::new(
                        Code::OutsideScope,
                        format!("this unit is outside your scope; you may not {what}"),
                    )
                    .with("action", action),
                )
            }
            _ => self.deny(action, what),
        }
    }

    /// The refusal of a part of a yearly report: an operator's part is sent by
    /// that operator only.
    fn deny_part(&self, operator_id: Option<i64>) -> ApiError {
        match (operator_id, self.operator()) {
            (Some(_), Some(operator)) => ApiError::forbidden(
                Problem::new(
                    Code::NotOwnOperator,
                    format!(
                        "{} may send only its own part of the yearly report",
                        operator.code
                    ),
                )
                .with("operator", operator.code.clone()),
            ),
            (None, _) => {
                self.deny_staff_of_unit("send_report_parts", "send this part of the yearly report")
            }
            _ => self.deny("send_report_parts", "send this part of the yearly report"),
        }
    }

    /// Whether contact details of operators are shown (not to the public).
    pub fn sees_contacts(&self) -> bool {
        !matches!(self, Self::Public)
    }

    /// The refusal of a rule for units: out of scope for staff of the right
    /// role, else what `deny` says.
    fn deny_for_unit(&self, action: &'static str, what: &str, roles: &[Role]) -> ApiError {
        match self.user() {
            Some(user) if roles.contains(&user.role) => ApiError::forbidden(
                Problem::new(
                    Code::OutsideScope,
                    format!("this unit is outside your scope; you may not {what}"),
                )
                .with("action", action),
            ),
            _ => self.deny(action, what),
        }
    }

    /// A reviewer or planner whose scope holds the unit or a unit above it
    /// (`ancestors`: the unit itself and every unit above it).
    fn staff_in_scope(&self, ancestors: &[i64], roles: &[Role]) -> bool {
        self.user().is_some_and(|user| {
            roles.contains(&user.role)
                && ancestors
                    .iter()
                    .any(|a| user.scope_wards.contains(a) || user.scope_units.contains(a))
        })
    }

    /// Adding, renaming, merging or ending a unit of `level` (its
    /// `ancestors` include the unit, or the parent of a new one), and
    /// importing its boundary. The tiers above the neighbourhood change by
    /// resolutions of the National Assembly's Standing Committee: admins
    /// record them. Ward staff keep their own neighbourhood units.
    pub fn may_edit_unit(&self, level: &str, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() {
            return Ok(());
        }
        if level == "neighbourhood"
            && self.staff_in_scope(ancestors, &[Role::Reviewer, Role::Planner])
        {
            return Ok(());
        }
        Err(self.deny_for_unit(
            "edit_unit",
            "change this administrative unit",
            &[Role::Reviewer, Role::Planner],
        ))
    }

    /// Households, population and household points of a unit.
    pub fn may_edit_population(&self, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() || self.staff_in_scope(ancestors, &[Role::Reviewer, Role::Planner]) {
            Ok(())
        } else {
            Err(self.deny_for_unit(
                "edit_population",
                "change the households and population of this unit",
                &[Role::Reviewer, Role::Planner],
            ))
        }
    }

    /// Reading plans, their targets, tasks and progress: everyone logged in
    /// (operators see what the plans ask of them).
    pub fn may_read_plans(&self) -> Result<(), ApiError> {
        match self {
            Self::Public => Err(self.deny("read_plans", "read plans")),
            _ => Ok(()),
        }
    }

    /// Listing and opening assets of `kind`: the public sees towers only (and
    /// of those only the ones in wards that publish them, which the store
    /// decides row by row); everyone signed in sees every kind.
    pub fn may_read_kind(&self, kind: AssetKind) -> Result<(), ApiError> {
        if self.readable_kinds().contains(&kind) {
            Ok(())
        } else {
            Err(self.deny("read_assets", &format!("see {}", kind.collection())))
        }
    }

    /// The kinds of asset the principal may list, in [`AssetKind::ALL`] order.
    pub fn readable_kinds(&self) -> Vec<AssetKind> {
        match self {
            Self::Public => vec![AssetKind::Tower],
            _ => AssetKind::ALL.to_vec(),
        }
    }

    /// Reading undergrounding figures (flags per street, the ward dashboard) of
    /// a ward; `published` is whether the ward shows its progress to the public.
    pub fn may_read_undergrounding(&self, published: bool) -> Result<(), ApiError> {
        match self {
            Self::Public if !published => Err(ApiError::unauthorized(
                Problem::new(
                    Code::LoginRequired,
                    "this ward does not publish its undergrounding progress; log in",
                )
                .with("action", "read_undergrounding"),
            )),
            _ => Ok(()),
        }
    }

    /// Creating or changing a plan of a unit, its targets and reporting duties.
    pub fn may_edit_plan(&self, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() || self.staff_in_scope(ancestors, &[Role::Planner]) {
            Ok(())
        } else {
            Err(self.deny_for_unit("edit_plan", "change plans of this unit", &[Role::Planner]))
        }
    }

    /// Setting a task's status and evidence.
    pub fn may_update_task(&self, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() || self.staff_in_scope(ancestors, &[Role::Reviewer, Role::Planner]) {
            Ok(())
        } else {
            Err(self.deny_for_unit(
                "update_task",
                "update tasks of this plan",
                &[Role::Reviewer, Role::Planner],
            ))
        }
    }

    /// Writing a progress note on a task: ward staff, and operators on the
    /// tasks the plan gives to the operators.
    pub fn may_note_task(&self, ancestors: &[i64], operators_lead: bool) -> Result<(), ApiError> {
        if self.may_update_task(ancestors).is_ok() || (operators_lead && self.operator().is_some())
        {
            Ok(())
        } else {
            Err(self.deny_for_unit(
                "note_task",
                "write progress notes on this task",
                &[Role::Reviewer, Role::Planner],
            ))
        }
    }

    /// Reading a unit's yearly reports: admins and staff whose scope holds the
    /// unit or a unit above it (so a province sees the reports of its units).
    pub fn may_read_reports(&self, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() || self.staff_in_scope(ancestors, &[Role::Reviewer, Role::Planner]) {
            Ok(())
        } else {
            Err(self.deny_staff_of_unit("read_reports", "read the yearly reports of this unit"))
        }
    }

    /// Drafting, correcting and finalising a unit's yearly report: the staff
    /// of the unit (or above it) and admins.
    pub fn may_write_report(&self, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() || self.staff_in_scope(ancestors, &[Role::Reviewer, Role::Planner]) {
            Ok(())
        } else {
            Err(self.deny_staff_of_unit("write_reports", "write the yearly report of this unit"))
        }
    }

    /// Sending a part of a unit's yearly report: an operator its own part
    /// (`operator_id`), the unit's staff a department's part (`None`).
    pub fn may_send_report_part(
        &self,
        ancestors: &[i64],
        operator_id: Option<i64>,
    ) -> Result<(), ApiError> {
        let allowed = match operator_id {
            Some(id) => self.is_admin() || self.operator().is_some_and(|o| o.id == id),
            None => self.may_write_report(ancestors).is_ok(),
        };
        if allowed {
            Ok(())
        } else {
            Err(self.deny_part(operator_id))
        }
    }

    /// Declaring a department's value of an indicator, with its evidence.
    pub fn may_declare_values(&self, ancestors: &[i64]) -> Result<(), ApiError> {
        if self.is_admin() || self.staff_in_scope(ancestors, &[Role::Reviewer, Role::Planner]) {
            Ok(())
        } else {
            Err(self.deny_for_unit(
                "declare_values",
                "declare indicator values for this unit",
                &[Role::Reviewer, Role::Planner],
            ))
        }
    }

    /// Whether the figures shown name who owns what (per-operator km, sharing
    /// by operator): not to the public, who sees the progress only.
    pub fn sees_owners_in_figures(&self) -> bool {
        !matches!(self, Self::Public)
    }

    /// Reading the change log (settings, areas, works, accounts): admins read it
    /// all — it holds accounts and settings — everyone else what they did.
    pub fn change_log_reader(&self) -> Result<ChangeLogReader, ApiError> {
        match self {
            Self::Public => Err(self.deny("read_change_log", "read the change log")),
            Self::User(user) if user.role == Role::Admin => Ok(ChangeLogReader::All),
            Self::User(user) => Ok(ChangeLogReader::User(user.id)),
            Self::Token { id, .. } => Ok(ChangeLogReader::Token(*id)),
        }
    }

    /// Whether assets show who shares them (tenant counts, the `shared` flag):
    /// not to the public, who sees where towers stand.
    pub fn sees_sharing(&self) -> bool {
        !matches!(self, Self::Public)
    }

    /// Reading the sharing analysis, undergrounding areas and projects, and the
    /// lists of civil works: everyone signed in.
    pub fn may_read_analysis(&self) -> Result<(), ApiError> {
        self.require_login()
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
            scope_units: vec![],
        })
    }

    fn staff(role: Role, wards: Vec<i64>) -> Principal {
        Principal::User(User {
            id: 2,
            username: "staff".into(),
            display_name: "Staff".into(),
            role,
            operator: None,
            scope_units: wards.clone(),
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
    fn units_above_the_neighbourhood_are_for_admins() {
        let ward_staff = staff(Role::Reviewer, vec![7]);
        // A tổ dân phố (id 70) of ward 7, in province 1.
        assert!(
            ward_staff
                .may_edit_unit("neighbourhood", &[70, 7, 1])
                .is_ok()
        );
        assert!(ward_staff.may_edit_unit("ward", &[7, 1]).is_err());
        assert!(
            staff(Role::Admin, vec![])
                .may_edit_unit("province", &[1])
                .is_ok()
        );
        assert!(
            member(1)
                .may_edit_unit("neighbourhood", &[70, 7, 1])
                .is_err()
        );
        assert!(matches!(
            Principal::Public.may_edit_unit("neighbourhood", &[70, 7, 1]),
            Err(ApiError::Unauthorized(_))
        ));
    }

    #[test]
    fn plans_are_changed_by_planners_in_scope_and_tasks_by_ward_staff() {
        let planner = staff(Role::Planner, vec![1]);
        let reviewer = staff(Role::Reviewer, vec![7]);
        assert!(planner.may_edit_plan(&[7, 1]).is_ok(), "a province planner");
        assert!(planner.may_edit_plan(&[9, 2]).is_err(), "another province");
        assert!(reviewer.may_edit_plan(&[7, 1]).is_err());
        assert!(reviewer.may_update_task(&[7, 1]).is_ok());
        assert!(member(1).may_update_task(&[7, 1]).is_err());
        assert!(member(1).may_note_task(&[7, 1], true).is_ok());
        assert!(member(1).may_note_task(&[7, 1], false).is_err());
        assert!(reviewer.may_declare_values(&[70, 7, 1]).is_ok());
        assert!(member(1).may_declare_values(&[7, 1]).is_err());
        assert!(Principal::Public.may_read_plans().is_err());
        assert!(member(1).may_read_plans().is_ok());
    }

    #[test]
    fn the_public_reads_towers_and_published_figures_only() {
        assert_eq!(Principal::Public.readable_kinds(), vec![AssetKind::Tower]);
        assert!(Principal::Public.may_read_kind(AssetKind::Tower).is_ok());
        assert!(matches!(
            Principal::Public.may_read_kind(AssetKind::Pole),
            Err(ApiError::Unauthorized(_))
        ));
        assert_eq!(member(1).readable_kinds().len(), AssetKind::ALL.len());
        assert!(Principal::Public.may_read_undergrounding(true).is_ok());
        assert!(Principal::Public.may_read_undergrounding(false).is_err());
        assert!(member(1).may_read_undergrounding(false).is_ok());
        assert!(!Principal::Public.sees_owners_in_figures());
        assert!(Principal::Public.may_read_analysis().is_err());
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
    fn an_operator_reads_only_its_own_filings() {
        assert!(member(1).may_read_filing(1, &[7]).is_ok());
        assert!(matches!(
            member(1).may_read_filing(2, &[7]),
            Err(ApiError::Forbidden(_))
        ));
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_read_filing(2, &[7])
                .is_ok()
        );
        assert!(
            staff(Role::Reviewer, vec![8])
                .may_read_filing(2, &[7])
                .is_err()
        );
        assert!(matches!(
            Principal::Public.may_read_filing(2, &[7]),
            Err(ApiError::Unauthorized(_))
        ));
        assert!(member(1).may_file(1).is_ok());
        assert!(member(1).may_file(2).is_err());
        assert!(staff(Role::Planner, vec![7]).may_file(1).is_err());
    }

    #[test]
    fn calls_are_opened_by_staff_whose_scope_covers_the_unit() {
        assert!(
            staff(Role::Planner, vec![7, 8])
                .may_manage_calls(&[7, 8])
                .is_ok()
        );
        assert!(
            staff(Role::Planner, vec![7])
                .may_manage_calls(&[7, 8])
                .is_err()
        );
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_manage_calls(&[])
                .is_err()
        );
        assert!(member(1).may_manage_calls(&[7]).is_err());
        assert!(member(1).may_read_call(&[7], &[1, 2]).is_ok());
        assert!(member(3).may_read_call(&[7], &[1, 2]).is_err());
    }

    #[test]
    fn challenges_go_to_staff_in_scope_and_the_operator_concerned() {
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_triage_challenge(Some(7))
                .is_ok()
        );
        assert!(
            staff(Role::Reviewer, vec![7])
                .may_triage_challenge(Some(8))
                .is_err()
        );
        assert!(member(1).may_triage_challenge(Some(7)).is_err());
        assert!(member(1).may_answer_challenge(Some(1)).is_ok());
        assert!(member(1).may_answer_challenge(Some(2)).is_err());
        assert!(member(1).may_answer_challenge(None).is_err());
        assert!(member(1).may_read_challenge(Some(7), Some(1)).is_ok());
        assert!(member(2).may_read_challenge(Some(7), Some(1)).is_err());
        assert!(Principal::Public.may_read_challenge(Some(7), None).is_err());
    }

    #[test]
    fn lease_terms_are_for_the_two_parties() {
        assert!(member(1).sees_lease_terms(1, 2));
        assert!(member(2).sees_lease_terms(1, 2));
        assert!(!member(3).sees_lease_terms(1, 2));
        assert!(!staff(Role::Planner, vec![7]).sees_lease_terms(1, 2));
    }
}
