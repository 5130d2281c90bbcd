//! Data calls: what staff ask of the operators active in a unit, as of which
//! date, open from when and due by when; who it is addressed to, and where
//! each of them stands.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::{IntoParams, ToSchema};

use super::FilingKind;
use super::deadline::{self, FilingStatus};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Not open yet.
    Scheduled,
    /// Operators file now.
    Open,
    /// The effective due date has passed; late filings are still taken (and marked late).
    PastDue,
    Cancelled,
}

impl CallState {
    pub const ALL: [Self; 4] = [Self::Scheduled, Self::Open, Self::PastDue, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Open => "open",
            Self::PastDue => "past_due",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether operators may file.
    pub fn takes_filings(self) -> bool {
        matches!(self, Self::Open | Self::PastDue)
    }
}

/// A new call.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    /// `fixed_broadband`, `mobile_coverage` or `yearly_plan`.
    pub kind: String,
    pub title: String,
    /// GSO code of the ward (or province) the call is for.
    pub unit: String,
    /// The day the figures describe.
    pub as_of: NaiveDate,
    /// Default: today.
    #[serde(default)]
    pub opens_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    /// Yearly plans: the year planned (default: the year after `as_of`).
    #[serde(default)]
    pub plan_year: Option<i32>,
    /// Working days before the due date to remind those who have not filed (default 3; 0: none).
    #[serde(default)]
    pub reminder_working_days: Option<i32>,
    #[serde(default)]
    pub instructions: Option<String>,
    /// Codes of the operators asked; default: every telecom operator active in the unit
    /// (owning or renting assets there, or applying for permits there).
    #[serde(default)]
    pub operators: Option<Vec<String>>,
}

/// A change to a call; `version` is the one read.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallChange {
    pub version: i32,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub reminder_working_days: Option<i32>,
    #[serde(default)]
    pub instructions: Option<String>,
    /// Operators to ask as well.
    #[serde(default)]
    pub add_operators: Vec<String>,
    /// Operators no longer asked (only those that have filed nothing).
    #[serde(default)]
    pub remove_operators: Vec<String>,
    /// Cancels the call, with this reason.
    #[serde(default)]
    pub cancel: Option<String>,
}

/// A unit, as calls name it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallUnit {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub level: String,
}

/// Counts of operators by status.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct FilingStatusCounts {
    pub not_started: i64,
    pub draft: i64,
    pub submitted: i64,
    pub late: i64,
}

/// One operator asked by a call, and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallRecipient {
    pub operator: String,
    pub operator_name: String,
    pub status: FilingStatus,
    pub filing_id: Option<i64>,
    pub latest_version: Option<i32>,
    pub latest_saved_at: Option<DateTime<Utc>>,
    /// Errors of the latest version (a version with errors cannot be submitted).
    pub latest_errors: Option<i32>,
    pub submitted_version: Option<i32>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Submitted after the effective due date.
    pub submitted_late: bool,
    /// A version newer than the submitted one is being prepared.
    pub draft_pending: bool,
}

/// A call with where each operator stands (an operator sees only itself).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallView {
    pub id: i64,
    pub kind: FilingKind,
    pub title: String,
    pub unit: CallUnit,
    pub as_of: NaiveDate,
    pub plan_year: Option<i32>,
    pub opens_on: NaiveDate,
    pub due_on: NaiveDate,
    /// `due_on`, or the next working day when it falls on a weekend or holiday.
    pub effective_due_on: NaiveDate,
    /// Working days left to the effective due date (negative once passed).
    pub working_days_left: i64,
    pub reminder_working_days: i32,
    pub instructions: Option<String>,
    pub state: CallState,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// Operators by status (staff only).
    pub counts: Option<FilingStatusCounts>,
    pub operators: Vec<CallRecipient>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub admin_unit_id: i64,
    pub unit_code: Option<String>,
    pub unit_name: String,
    pub unit_level: String,
    pub as_of: NaiveDate,
    pub plan_year: Option<i32>,
    pub opens_on: NaiveDate,
    pub due_on: NaiveDate,
    pub reminder_working_days: i32,
    pub instructions: Option<String>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// The wards the call's unit covers (valid today).
    pub wards: Vec<i64>,
    pub recipients: Vec<i64>,
}

impl CallRow {
    pub fn kind(&self) -> FilingKind {
        FilingKind::parse(&self.kind).unwrap_or(FilingKind::FixedBroadband)
    }

    pub fn state(&self, calendar: &Calendar, today: NaiveDate) -> CallState {
        if self.cancelled_at.is_some() {
            CallState::Cancelled
        } else if today < self.opens_on {
            CallState::Scheduled
        } else if today <= deadline::effective_due(calendar, self.due_on) {
            CallState::Open
        } else {
            CallState::PastDue
        }
    }

    pub fn schedule(&self) -> deadline::Schedule {
        deadline::Schedule {
            opens_on: self.opens_on,
            due_on: self.due_on,
            reminder_working_days: self.reminder_working_days.max(0) as u32,
        }
    }
}

/// The wards below (or equal to) unit `$1`, valid today.
const UNIT_WARDS: &str = "array(
    with recursive down(id) as (
        select u.id from admin_unit u where u.id = c.admin_unit_id
        union all
        select u.id from admin_unit u join down on u.parent_id = down.id)
    select u.id from admin_unit u join down using (id)
    where u.level = 'ward' and u.valid_from <= current_date and (u.valid_to is null or u.valid_to >= current_date)
    order by u.id)";

fn select_calls() -> String {
    format!(
        "select c.id, c.kind, c.title, c.admin_unit_id, u.gso_code as unit_code, u.name as unit_name,
                u.level as unit_level, c.as_of, c.plan_year, c.opens_on, c.due_on, c.reminder_working_days,
                c.instructions, c.cancelled_at, c.cancel_reason, c.created_by, c.created_at, c.version,
                {UNIT_WARDS} as wards,
                array(select r.operator_id from data_call_operator r where r.call_id = c.id order by r.operator_id) as recipients
         from data_call c join admin_unit u on u.id = c.admin_unit_id"
    )
}

/// One call; 404 when there is none.
pub async fn load(conn: &mut PgConnection, id: i64) -> ApiResult<CallRow> {
    sqlx::query_as(&format!("{} where c.id = $1", select_calls()))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no data call {id}")))
}

/// Every call, newest first.
pub async fn load_all(conn: &mut PgConnection) -> sqlx::Result<Vec<CallRow>> {
    sqlx::query_as(&format!(
        "{} order by c.due_on desc, c.id desc limit 500",
        select_calls()
    ))
    .fetch_all(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct RecipientRow {
    operator_id: i64,
    code: String,
    short_name: String,
    filing_id: Option<i64>,
    latest_number: Option<i32>,
    latest_created_at: Option<DateTime<Utc>>,
    latest_errors: Option<i32>,
    submitted_number: Option<i32>,
    submitted_at: Option<DateTime<Utc>>,
}

/// Where each operator asked by `call` stands on `today`.
pub async fn recipients(
    conn: &mut PgConnection,
    call: &CallRow,
    calendar: &Calendar,
    today: NaiveDate,
) -> sqlx::Result<Vec<(i64, CallRecipient)>> {
    let rows: Vec<RecipientRow> = sqlx::query_as(
        "select o.id as operator_id, o.code, o.short_name, f.id as filing_id,
                lv.number as latest_number, lv.created_at as latest_created_at, lv.error_count as latest_errors,
                sv.number as submitted_number, sv.submitted_at
         from data_call_operator r
         join operator o on o.id = r.operator_id
         left join filing f on f.call_id = r.call_id and f.operator_id = r.operator_id
         left join lateral (select number, created_at, error_count from filing_version v
                            where v.filing_id = f.id order by number desc limit 1) lv on true
         left join lateral (select number, submitted_at from filing_version v
                            where v.filing_id = f.id and v.submitted_at is not null order by number desc limit 1) sv on true
         where r.call_id = $1
         order by o.short_name",
    )
    .bind(call.id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = deadline::status(
                calendar,
                call.due_on,
                r.latest_number.is_some(),
                r.submitted_number.is_some(),
                today,
            );
            let submitted_late = r.submitted_at.is_some_and(|at| {
                deadline::submitted_late(calendar, call.due_on, vn_date(at))
            });
            (
                r.operator_id,
                CallRecipient {
                    operator: r.code,
                    operator_name: r.short_name,
                    status,
                    filing_id: r.filing_id,
                    latest_version: r.latest_number,
                    latest_saved_at: r.latest_created_at,
                    latest_errors: r.latest_errors,
                    submitted_version: r.submitted_number,
                    submitted_at: r.submitted_at,
                    submitted_late,
                    draft_pending: matches!((r.latest_number, r.submitted_number), (Some(l), Some(s)) if l > s),
                },
            )
        })
        .collect())
}

/// The date in Vietnam of an instant.
pub fn vn_date(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::hours(7)).date_naive()
}

/// The view of a call for `principal`: staff see every operator, an operator only itself.
pub async fn view(
    conn: &mut PgConnection,
    call: &CallRow,
    principal: &Principal,
    calendar: &Calendar,
) -> ApiResult<CallView> {
    let today = today();
    let all = recipients(conn, call, calendar, today).await?;
    let staff = principal.oversees(&call.wards);
    let own = principal.operator().map(|o| o.id);
    let counts = staff.then(|| {
        let mut counts = FilingStatusCounts::default();
        for (_, r) in &all {
            match r.status {
                FilingStatus::NotStarted => counts.not_started += 1,
                FilingStatus::Draft => counts.draft += 1,
                FilingStatus::Submitted => counts.submitted += 1,
                FilingStatus::Late => counts.late += 1,
            }
        }
        counts
    });
    let operators = all
        .into_iter()
        .filter(|(id, _)| staff || Some(*id) == own)
        .map(|(_, r)| r)
        .collect();
    Ok(CallView {
        id: call.id,
        kind: call.kind(),
        title: call.title.clone(),
        unit: CallUnit {
            id: call.admin_unit_id,
            code: call.unit_code.clone(),
            name: call.unit_name.clone(),
            level: call.unit_level.clone(),
        },
        as_of: call.as_of,
        plan_year: call.plan_year,
        opens_on: call.opens_on,
        due_on: call.due_on,
        effective_due_on: deadline::effective_due(calendar, call.due_on),
        working_days_left: deadline::working_days_left(calendar, call.due_on, today),
        reminder_working_days: call.reminder_working_days,
        instructions: call.instructions.clone(),
        state: call.state(calendar, today),
        cancelled_at: call.cancelled_at,
        cancel_reason: call.cancel_reason.clone(),
        created_by: call.created_by.clone(),
        created_at: call.created_at,
        version: call.version,
        counts,
        operators,
    })
}

/// Query of the list of calls.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// GSO code of a unit: calls for it or for a unit within it.
    pub unit: Option<String>,
    /// `fixed_broadband`, `mobile_coverage` or `yearly_plan`.
    pub kind: Option<String>,
    /// `scheduled`, `open`, `past_due` or `cancelled`.
    pub state: Option<String>,
}

/// The calls the caller may see: staff those in their scope, an operator those addressed to it.
#[utoipa::path(get, path = "/filings/calls", operation_id = "list_calls", tag = "Filings",
    params(ListParams),
    responses((status = 200, description = "Calls, latest due date first.", body = [CallView]),
              (status = 401, description = "Not logged in.")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<Vec<CallView>>> {
    principal.require_login()?;
    let mut conn = state.pool.acquire().await?;
    let kind = match params.kind.as_deref() {
        Some(text) => Some(FilingKind::parse(text).ok_or_else(|| {
            ApiError::Malformed(format!(
                "kind must be fixed_broadband, mobile_coverage or yearly_plan; got {text:?}"
            ))
        })?),
        None => None,
    };
    let wanted_state = match params.state.as_deref() {
        Some(text) => Some(
            CallState::ALL
                .into_iter()
                .find(|s| s.as_str() == text)
                .ok_or_else(|| {
                    ApiError::Malformed(format!(
                        "state must be scheduled, open, past_due or cancelled; got {text:?}"
                    ))
                })?,
        ),
        None => None,
    };
    let unit_wards: Option<Vec<i64>> = match params.unit.as_deref() {
        Some(code) => {
            let unit = unit_by_code(&mut conn, code)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("there is no unit with code {code}")))?;
            Some(wards_of(&mut conn, unit.id).await?)
        }
        None => None,
    };
    let calendar = Calendar::load(&mut conn).await?;
    let today = today();
    let mut views = Vec::new();
    for call in load_all(&mut conn).await? {
        if principal
            .may_read_call(&call.wards, &call.recipients)
            .is_err()
        {
            continue;
        }
        if kind.is_some_and(|k| k != call.kind()) {
            continue;
        }
        if wanted_state.is_some_and(|s| s != call.state(&calendar, today)) {
            continue;
        }
        if let Some(wards) = &unit_wards
            && !call.wards.iter().any(|w| wards.contains(w))
        {
            continue;
        }
        views.push(view(&mut conn, &call, &principal, &calendar).await?);
    }
    Ok(axum::Json(views))
}

/// One call.
#[utoipa::path(get, path = "/filings/calls/{id}", operation_id = "get_call", tag = "Filings",
    params(("id" = i64, Path, description = "The call's id.")),
    responses((status = 200, description = "The call and where each operator stands.", body = CallView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Neither in the caller's scope nor addressed to its operator."),
              (status = 404, description = "No such call.")))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let call = load(&mut conn, id).await?;
    principal.may_read_call(&call.wards, &call.recipients)?;
    let calendar = Calendar::load(&mut conn).await?;
    let view = view(&mut conn, &call, &principal, &calendar).await?;
    Ok(with_etag(axum::Json(view).into_response(), call.version))
}

fn with_etag(mut response: Response, version: i32) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

#[derive(sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub level: String,
}

/// A unit valid today by its GSO code.
pub async fn unit_by_code(conn: &mut PgConnection, code: &str) -> sqlx::Result<Option<UnitRow>> {
    sqlx::query_as(
        "select id, level from admin_unit
         where gso_code = $1 and valid_from <= current_date and (valid_to is null or valid_to >= current_date)
         order by valid_from desc limit 1",
    )
    .bind(code.trim())
    .fetch_optional(conn)
    .await
}

/// The wards a unit covers, valid today.
pub async fn wards_of(conn: &mut PgConnection, unit_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(&format!(
        "select {UNIT_WARDS} from (select $1::bigint as admin_unit_id) c"
    ))
    .bind(unit_id)
    .fetch_one(conn)
    .await
}

/// Telecom operators active in `wards`: owning or renting a live asset
/// there, or applying for a permit there.
pub async fn active_operators(conn: &mut PgConnection, wards: &[i64]) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "select o.id from operator o
         where o.sector = 'telecom' and (
             exists (select 1 from asset a where a.owner_id = o.id and a.status <> 'decommissioned' and a.ward_id = any($1))
             or exists (select 1 from tenancy t join asset a on a.id = t.asset_id
                        where t.tenant_id = o.id and (t.until is null or t.until >= current_date) and a.ward_id = any($1))
             or exists (select 1 from permit_application p where p.operator_id = o.id and p.ward_id = any($1)))
         order by o.id",
    )
    .bind(wards)
    .fetch_all(conn)
    .await
}

/// Operators by code; unknown codes are problems of `field`.
async fn operators_by_code(
    conn: &mut PgConnection,
    codes: &[String],
    field: &str,
    problems: &mut Problems,
) -> sqlx::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
            .bind(code.trim().to_uppercase())
            .fetch_optional(&mut *conn)
            .await?;
        match id {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => problems.add(
                format!("{field}[{i}]"),
                format!("{code} is not a registered operator"),
            ),
        }
    }
    Ok(ids)
}

fn check_text(
    problems: &mut Problems,
    field: &str,
    value: Option<&str>,
    max: usize,
    required: bool,
) {
    match value.map(str::trim) {
        Some("") | None if required => problems.add(field, "required"),
        Some(text) if text.chars().count() > max => {
            problems.add(field, format!("at most {max} characters"))
        }
        _ => {}
    }
}

/// Opens a call.
#[utoipa::path(post, path = "/filings/calls", operation_id = "create_call", tag = "Filings", request_body = CallInput,
    responses((status = 201, description = "The call, addressed to the operators active in the unit.", body = CallView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Not staff of the unit."),
              (status = 422, description = "Every problem of the input.")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<CallInput>,
) -> ApiResult<Response> {
    if !principal.is_staff() {
        principal.may_manage_calls(&[])?;
    }
    let mut conn = state.pool.acquire().await?;
    let mut problems = Problems::new();
    let kind = FilingKind::parse(&input.kind);
    if kind.is_none() {
        problems.add(
            "kind",
            "one of fixed_broadband, mobile_coverage, yearly_plan",
        );
    }
    check_text(&mut problems, "title", Some(&input.title), 300, true);
    check_text(
        &mut problems,
        "instructions",
        input.instructions.as_deref(),
        4000,
        false,
    );
    let opens_on = input.opens_on.unwrap_or_else(today);
    if input.due_on < opens_on {
        problems.add("due_on", "is before the call opens");
    }
    let reminder = input.reminder_working_days.unwrap_or(3);
    if !(0..=30).contains(&reminder) {
        problems.add("reminder_working_days", "from 0 to 30 working days");
    }
    let plan_year = match kind {
        Some(FilingKind::YearlyPlan) => {
            let year = input.plan_year.unwrap_or(input.as_of.year() + 1);
            if !(2000..=2100).contains(&year) {
                problems.add("plan_year", "a year from 2000 to 2100");
            }
            Some(year)
        }
        _ => {
            if input.plan_year.is_some() {
                problems.add("plan_year", "only yearly plans have a plan year");
            }
            None
        }
    };
    let unit = unit_by_code(&mut conn, &input.unit).await?;
    let wards = match &unit {
        None => {
            problems.add(
                "unit",
                format!("{} is not the GSO code of a unit valid today", input.unit),
            );
            Vec::new()
        }
        Some(unit) if unit.level == "neighbourhood" => {
            problems.add(
                "unit",
                "a call is for a ward, district or province; its neighbourhood units are in it",
            );
            Vec::new()
        }
        Some(unit) => wards_of(&mut conn, unit.id).await?,
    };
    if unit.is_some() && wards.is_empty() && problems.is_empty() {
        problems.add("unit", "the unit has no ward valid today");
    }
    let named = match &input.operators {
        Some(codes) => {
            let ids = operators_by_code(&mut conn, codes, "operators", &mut problems).await?;
            if codes.is_empty() {
                problems.add("operators", "name at least one operator, or leave it out");
            }
            Some(ids)
        }
        None => None,
    };
    if !wards.is_empty() {
        principal.may_manage_calls(&wards)?;
    }
    let recipients = match named {
        Some(ids) => ids,
        None if !wards.is_empty() => {
            let ids = active_operators(&mut conn, &wards).await?;
            if ids.is_empty() {
                problems.add(
                    "operators",
                    "no telecom operator is active in the unit; name the operators to ask",
                );
            }
            ids
        }
        None => Vec::new(),
    };
    problems.into_result(())?;
    let (Some(kind), Some(unit)) = (kind, unit) else {
        return Err(ApiError::Internal("checked above".into()));
    };
    drop(conn);
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let actor = principal.actor();
    let id: i64 = sqlx::query_scalar(
        "insert into data_call (kind, title, admin_unit_id, as_of, plan_year, opens_on, due_on,
                                reminder_working_days, instructions, created_by, created_by_user_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
    )
    .bind(kind.as_str())
    .bind(input.title.trim())
    .bind(unit.id)
    .bind(input.as_of)
    .bind(plan_year)
    .bind(opens_on)
    .bind(input.due_on)
    .bind(reminder)
    .bind(
        input
            .instructions
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty()),
    )
    .bind(&actor.name)
    .bind(actor.user_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "insert into data_call_operator (call_id, operator_id) select $1, unnest($2::bigint[])",
    )
    .bind(id)
    .bind(&recipients)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let calendar = Calendar::load(&mut conn).await?;
    super::reminders::run_call(&mut conn, id, &calendar, today()).await?;
    let call = load(&mut conn, id).await?;
    let view = view(&mut conn, &call, &principal, &calendar).await?;
    let mut response = (StatusCode::CREATED, axum::Json(view)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/filings/calls/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(with_etag(response, call.version))
}

/// Changes a call: title, due date, reminders, instructions, who is asked; or cancels it.
#[utoipa::path(patch, path = "/filings/calls/{id}", tag = "Filings", request_body = CallChange,
    params(("id" = i64, Path, description = "The call's id.")),
    responses((status = 200, description = "The call as changed.", body = CallView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Not staff of the unit."),
              (status = 404, description = "No such call."),
              (status = 409, description = "Changed by someone else since `version`, or cancelled."),
              (status = 422, description = "Every problem of the input.")))]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CallChange>,
) -> ApiResult<Response> {
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let call = load(&mut tx, id).await?;
    principal.may_manage_calls(&call.wards)?;
    if call.version != input.version {
        return Err(ApiError::VersionConflict {
            expected: input.version,
            current: call.version,
            changes: Vec::new(),
        });
    }
    if call.cancelled_at.is_some() {
        return Err(ApiError::conflict("the call is cancelled"));
    }
    let mut problems = Problems::new();
    check_text(&mut problems, "title", input.title.as_deref(), 300, false);
    if input.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        problems.add("title", "required");
    }
    check_text(
        &mut problems,
        "instructions",
        input.instructions.as_deref(),
        4000,
        false,
    );
    if let Some(due) = input.due_on
        && due < call.opens_on
    {
        problems.add("due_on", "is before the call opens");
    }
    if let Some(days) = input.reminder_working_days
        && !(0..=30).contains(&days)
    {
        problems.add("reminder_working_days", "from 0 to 30 working days");
    }
    if let Some(reason) = &input.cancel
        && reason.trim().is_empty()
    {
        problems.add("cancel", "say why the call is cancelled");
    }
    let add = operators_by_code(
        &mut tx,
        &input.add_operators,
        "add_operators",
        &mut problems,
    )
    .await?;
    let remove = operators_by_code(
        &mut tx,
        &input.remove_operators,
        "remove_operators",
        &mut problems,
    )
    .await?;
    for (i, operator) in remove.iter().enumerate() {
        let filed: bool = sqlx::query_scalar(
            "select exists (select 1 from filing f join filing_version v on v.filing_id = f.id
                            where f.call_id = $1 and f.operator_id = $2)",
        )
        .bind(id)
        .bind(operator)
        .fetch_one(&mut *tx)
        .await?;
        if filed {
            problems.add(
                format!("remove_operators[{i}]"),
                "this operator has filed already; its filing stays with the call",
            );
        }
    }
    problems.into_result(())?;
    sqlx::query(
        "update data_call set title = coalesce($2, title), due_on = coalesce($3, due_on),
                reminder_working_days = coalesce($4, reminder_working_days),
                instructions = case when $5::text is null then instructions else nullif(trim($5), '') end,
                cancelled_at = case when $6::text is null then cancelled_at else now() end,
                cancel_reason = coalesce(nullif(trim($6), ''), cancel_reason),
                version = version + 1, updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(input.title.as_deref().map(str::trim))
    .bind(input.due_on)
    .bind(input.reminder_working_days)
    .bind(input.instructions.as_deref())
    .bind(input.cancel.as_deref())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into data_call_operator (call_id, operator_id) select $1, unnest($2::bigint[])
         on conflict do nothing",
    )
    .bind(id)
    .bind(&add)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from data_call_operator where call_id = $1 and operator_id = any($2)")
        .bind(id)
        .bind(&remove)
        .execute(&mut *tx)
        .await?;
    if input.due_on.is_some_and(|d| d != call.due_on) {
        // A new due date deserves its own reminders.
        sqlx::query(
            "delete from filing_reminder where call_id = $1 and kind in ('due_soon', 'late')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let calendar = Calendar::load(&mut conn).await?;
    super::reminders::run_call(&mut conn, id, &calendar, today()).await?;
    let call = load(&mut conn, id).await?;
    let view = view(&mut conn, &call, &principal, &calendar).await?;
    Ok(with_etag(axum::Json(view).into_response(), call.version))
}
