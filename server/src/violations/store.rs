//! Violations in PostgreSQL: opening one (from a finding, a detection list,
//! a report or by hand) with its legal basis, deadline and follow-up
//! inspection; its steps; the list; reminders and escalation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use utoipa::ToSchema;

use super::state::{self, Actor, Refusal, ViolationAction, ViolationState};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::database::constraint::OnConstraint;
use crate::http::error::{ApiError, ApiResult, Code, Problem, Problems};
use crate::notifications::{self, Message};
use crate::photos::{self, Owner, PhotoMeta, PhotoTaken, PhotoUpload};
use crate::policy::{Principal, Role};
use crate::vn_time::today;

/// A violation as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Violation {
    pub id: i64,
    /// VP-2026-000123.
    pub reference: String,
    pub source: String,
    pub finding_id: Option<i64>,
    pub incident_id: Option<i64>,
    pub detection_key: Option<String>,
    pub rule_key: Option<String>,
    pub asset_id: Option<i64>,
    pub asset_code: Option<String>,
    pub asset_kind: Option<String>,
    pub permit_id: Option<i64>,
    #[serde(skip)]
    pub operator_id: i64,
    pub operator: String,
    #[serde(skip)]
    pub ward_id: Option<i64>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    #[schema(value_type = Object)]
    pub geometry: sqlx::types::Json<Value>,
    pub title: String,
    /// The law or rule broken, as a citation.
    pub legal_basis: String,
    pub description: String,
    pub state: String,
    pub opened_on: NaiveDate,
    pub fix_due: NaiveDate,
    pub fixed_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The inspection that checks it.
    pub follow_up_round_id: Option<i64>,
    pub escalation_level: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl Violation {
    pub fn state(&self) -> ViolationState {
        ViolationState::parse(&self.state).unwrap_or(ViolationState::Open)
    }
}

const SELECT: &str = "select v.id, v.reference, v.source, v.finding_id, v.incident_id, v.detection_key, v.rule_key,
        v.asset_id, a.code as asset_code, a.kind as asset_kind, v.permit_id, v.operator_id, o.code as operator,
        v.ward_id, w.gso_code as ward_code, w.name as ward_name, ST_AsGeoJSON(v.geom, 7)::json as geometry,
        v.title, v.legal_basis, v.description, v.state, v.opened_on, v.fix_due, v.fixed_on, v.closed_on,
        v.follow_up_round_id, v.escalation_level, v.created_at, v.updated_at, v.version
     from violation v
     join operator o on o.id = v.operator_id
     left join asset a on a.id = v.asset_id
     left join admin_unit w on w.id = v.ward_id";

pub async fn load(conn: &mut PgConnection, id: i64, lock: bool) -> ApiResult<Violation> {
    let lock = if lock { " for update of v" } else { "" };
    sqlx::query_as(&format!("{SELECT} where v.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no violation {id}")))
}

/// Who may see a violation's photos: who may read the violation.
pub async fn check_access(
    conn: &mut PgConnection,
    principal: &Principal,
    id: i64,
) -> ApiResult<()> {
    let violation = load(conn, id, false).await?;
    principal.may_read_violation(violation.ward_id, violation.operator_id)
}

/// What a new violation is.
#[derive(Debug, Clone)]
pub struct NewViolation {
    pub source: &'static str,
    pub finding_id: Option<i64>,
    pub incident_id: Option<i64>,
    pub detection_key: Option<String>,
    pub rule_key: Option<String>,
    pub asset_id: Option<i64>,
    pub permit_id: Option<i64>,
    pub operator_id: i64,
    /// EWKT of where it is.
    pub geom_ewkt: String,
    pub title: String,
    pub legal_basis: String,
    pub description: String,
    pub fix_days: u32,
}

/// Opens a violation inside `conn`'s transaction: its deadline in working
/// days, a follow-up inspection the next working day after it (the
/// inspector who opened it, if a reviewer), and the operator is told.
pub async fn open(
    conn: &mut PgConnection,
    principal: &Principal,
    new: NewViolation,
) -> ApiResult<Violation> {
    let calendar = Calendar::load(conn).await?;
    let day = today();
    let due = calendar.add_working_days(day, new.fix_days.max(1));
    let follow_up = calendar.add_working_days(due, 1);
    let id: i64 = sqlx::query_scalar(
        "insert into violation (reference, source, finding_id, incident_id, detection_key, rule_key, asset_id, permit_id,
                                operator_id, ward_id, geom, title, legal_basis, description, opened_on, fix_due, created_by)
         select 'pending-' || gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, ward_for(g), g, $10, $11, $12, $13, $14, $15
         from (select ST_GeomFromEWKT($9) as g) s
         returning id",
    )
    .bind(new.source)
    .bind(new.finding_id)
    .bind(new.incident_id)
    .bind(&new.detection_key)
    .bind(&new.rule_key)
    .bind(new.asset_id)
    .bind(new.permit_id)
    .bind(new.operator_id)
    .bind(&new.geom_ewkt)
    .bind(&new.title)
    .bind(&new.legal_basis)
    .bind(&new.description)
    .bind(day)
    .bind(due)
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *conn)
    .await
    .on_constraints(&["violation_detection_open", "violation_finding_rule"], || {
        ApiError::conflict(Problem::new(
            Code::AlreadyOpen,
            "a violation is already open for this; see the violations list",
        ))
    })?;
    sqlx::query("update violation set reference = format('VP-%s-%s', extract(year from created_at)::int, lpad(id::text, 6, '0')) where id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // The follow-up inspection, on the asset (or the place).
    let inspector = principal
        .user()
        .filter(|u| u.role == Role::Reviewer)
        .map(|u| u.id);
    let round: i64 = sqlx::query_scalar(
        "insert into inspection_round (reference, title, category, geom, ward_id, planned_on, inspector_id, created_by)
         select 'pending-' || gen_random_uuid(), 'Tái kiểm tra ' || v.reference || ': ' || v.title, 'follow_up',
                ST_PointOnSurface(v.geom), v.ward_id, $2, $3, $4
         from violation v where v.id = $1
         returning id",
    )
    .bind(id)
    .bind(follow_up)
    .bind(inspector)
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("update inspection_round set reference = format('KT-%s-%s', extract(year from created_at)::int, lpad(id::text, 6, '0')) where id = $1")
        .bind(round)
        .execute(&mut *conn)
        .await?;
    if let Some(asset) = new.asset_id {
        sqlx::query("insert into inspection_item (round_id, asset_id, violation_id) values ($1, $2, $3) on conflict do nothing")
            .bind(round)
            .bind(asset)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("update violation set follow_up_round_id = $2 where id = $1")
        .bind(id)
        .bind(round)
        .execute(&mut *conn)
        .await?;
    record(
        conn,
        id,
        "open",
        None,
        ViolationState::Open,
        principal,
        None,
        Some(&json!({"fix_due": due, "follow_up_on": follow_up})),
    )
    .await?;
    let violation = load(conn, id, false).await?;
    let vi = format!(
        "Vi phạm {}: {}. Căn cứ: {}. Hạn khắc phục {}.",
        violation.reference,
        violation.title,
        violation.legal_basis,
        due.format("%d/%m/%Y")
    );
    let en = format!(
        "Violation {}: {}. Legal basis: {}. Put it right by {}.",
        violation.reference,
        violation.title,
        violation.legal_basis,
        due.format("%d/%m/%Y")
    );
    notifications::operator_members(
        conn,
        violation.operator_id,
        &Message {
            kind: "violation",
            vi: &vi,
            en: &en,
            link: &format!("/vi-pham/{id}"),
            dedupe_key: None,
        },
    )
    .await?;
    Ok(violation)
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut PgConnection,
    id: i64,
    action: &str,
    from: Option<ViolationState>,
    to: ViolationState,
    principal: &Principal,
    note: Option<&str>,
    data: Option<&Value>,
) -> sqlx::Result<()> {
    let actor = principal.actor();
    sqlx::query(
        "insert into violation_event (violation_id, action, from_state, to_state, actor, actor_user_id, day, note, data)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(action)
    .bind(from.map(ViolationState::as_str))
    .bind(to.as_str())
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(today())
    .bind(note)
    .bind(data.map(sqlx::types::Json))
    .execute(conn)
    .await?;
    Ok(())
}

/// A violation opened by hand.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViolationInput {
    pub title: String,
    /// The law or rule broken.
    pub legal_basis: String,
    #[serde(default)]
    pub description: String,
    /// The asset, whose owner is responsible unless `operator` says otherwise.
    #[serde(default)]
    pub asset_id: Option<i64>,
    #[serde(default)]
    pub operator: Option<String>,
    /// A report it comes from.
    #[serde(default)]
    pub incident_id: Option<i64>,
    /// Where, when there is no asset: a GeoJSON geometry.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<Value>,
    /// Working days to put it right (10 when absent).
    #[serde(default)]
    pub fix_days: Option<u32>,
}

/// Opens a violation by hand (or from a report).
pub async fn create(
    pool: &PgPool,
    principal: &Principal,
    input: ViolationInput,
) -> ApiResult<Violation> {
    principal.require_login()?;
    let mut problems = Problems::new();
    if input.title.trim().is_empty() {
        problems.add(
            "title",
            Problem::new(Code::Empty, "required, at most 300 characters"),
        );
    } else if input.title.chars().count() > 300 {
        problems.add("title", Problem::too_long(300));
    }
    if input.legal_basis.trim().is_empty() {
        problems.add(
            "legal_basis",
            Problem::new(
                Code::Empty,
                "required: the law or rule broken (at most 1000 characters)",
            ),
        );
    } else if input.legal_basis.chars().count() > 1000 {
        problems.add("legal_basis", Problem::too_long(1000));
    }
    if input.fix_days.is_some_and(|d| !(1..=365).contains(&d)) {
        problems.add(
            "fix_days",
            Problem::out_of_range(1, 365, Some("working_days")),
        );
    }
    let mut tx = changes::begin(pool, principal).await?;
    let asset: Option<(i64, String)> = match input.asset_id {
        Some(id) => {
            let found: Option<(i64, String)> =
                sqlx::query_as("select owner_id, ST_AsEWKT(geom) from asset where id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if found.is_none() {
                problems.add("asset_id", Problem::not_found("asset", id));
            }
            found
        }
        None => None,
    };
    let mut operator_id = asset.as_ref().map(|a| a.0);
    if let Some(code) = input
        .operator
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        operator_id = sqlx::query_scalar("select id from operator where code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        if operator_id.is_none() {
            problems.add("operator", Problem::not_found("operator", code));
        }
    }
    if operator_id.is_none() && input.operator.is_none() {
        problems.add(
            "operator",
            Problem::new(
                Code::Required,
                "required: the operator responsible (or an asset, whose owner is)",
            ),
        );
    }
    let geom = match (&asset, &input.geometry) {
        (_, Some(geometry)) => {
            let checked: (Option<String>, Option<String>) =
                sqlx::query_as("select ST_AsEWKT(c.geom), c.problem from checked_geometry(ST_GeomFromGeoJSON($1), 4326) c")
                    .bind(geometry.to_string())
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap_or((None, Some("is not a GeoJSON geometry".into())));
            if let Some(problem) = checked.1 {
                problems.add("geometry", problem);
            }
            checked.0
        }
        (Some(asset), None) => Some(asset.1.clone()),
        (None, None) => {
            problems.add(
                "geometry",
                Problem::new(Code::Required, "required when no asset is named"),
            );
            None
        }
    };
    problems.into_result(())?;
    let ward_id: Option<i64> =
        sqlx::query_scalar("select ward_for(ST_PointOnSurface(ST_GeomFromEWKT($1)))")
            .bind(geom.as_deref())
            .fetch_one(&mut *tx)
            .await?;
    principal.may_handle_field_work(ward_id)?;
    let violation = open(
        &mut tx,
        principal,
        NewViolation {
            source: if input.incident_id.is_some() {
                "incident"
            } else {
                "manual"
            },
            finding_id: None,
            incident_id: input.incident_id,
            detection_key: None,
            rule_key: None,
            asset_id: input.asset_id,
            permit_id: None,
            operator_id: operator_id.unwrap_or_default(),
            geom_ewkt: geom.unwrap_or_default(),
            title: input.title.trim().to_string(),
            legal_basis: input.legal_basis.trim().to_string(),
            description: input.description.trim().to_string(),
            fix_days: input.fix_days.unwrap_or(10),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(violation)
}

/// What a step carries.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ViolationStepInput)]
pub struct StepInput {
    /// Required to reject a fix or to cancel.
    #[serde(default)]
    pub note: Option<String>,
    /// `reject_fix`: working days for the new deadline (the rule's when absent).
    #[serde(default)]
    pub fix_days: Option<u32>,
    #[serde(default)]
    pub photos: Vec<PhotoTaken>,
}

fn actor_for(principal: &Principal, violation: &Violation, action: ViolationAction) -> Actor {
    if action.by_operator() {
        if principal.acts_for(Some(violation.operator_id)) {
            Actor::Responsible
        } else {
            Actor::Other
        }
    } else if principal.may_handle_field_work(violation.ward_id).is_ok() {
        Actor::Ward
    } else {
        Actor::Other
    }
}

pub fn actions_for(principal: &Principal, violation: &Violation) -> Vec<ViolationAction> {
    ViolationAction::ALL
        .into_iter()
        .filter(|a| {
            state::decide(violation.state(), actor_for(principal, violation, *a), *a).is_ok()
        })
        .collect()
}

/// Takes a step inside `conn`'s transaction (the follow-up inspection uses it too).
pub async fn step(
    conn: &mut PgConnection,
    principal: &Principal,
    id: i64,
    action: ViolationAction,
    expected_version: Option<i32>,
    input: StepInput,
    photos: &[PhotoUpload],
) -> ApiResult<Violation> {
    let current = load(conn, id, true).await?;
    principal.may_read_violation(current.ward_id, current.operator_id)?;
    let to = match state::decide(
        current.state(),
        actor_for(principal, &current, action),
        action,
    ) {
        Ok(to) => to,
        Err(Refusal::NotYours) => {
            let (side, text) = if action.by_operator() {
                (
                    "operator",
                    "only the operator responsible reports a violation fixed",
                )
            } else {
                (
                    "ward",
                    "only the ward's staff verify, reject or cancel a violation",
                )
            };
            return Err(ApiError::forbidden(
                Problem::new(Code::NotYourStep, text)
                    .with("side", side)
                    .with("action", action.as_str()),
            ));
        }
        Err(Refusal::NotNow) => {
            let text = format!(
                "cannot {} a violation that is {} ({})",
                action.as_str(),
                current.state,
                current.state().label_vi()
            );
            return Err(ApiError::conflict(
                Problem::new(Code::WrongState, text)
                    .with("action", action.as_str())
                    .with("state", current.state.clone()),
            ));
        }
    };
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(ApiError::VersionConflict {
            expected,
            current: current.version,
            changes: vec![],
        });
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let mut problems = Problems::new();
    if matches!(action, ViolationAction::RejectFix | ViolationAction::Cancel) && note.is_none() {
        problems.add(
            "note",
            Problem::new(Code::Required, "required: say why, in writing"),
        );
    }
    if action == ViolationAction::ReportFixed && photos.is_empty() {
        problems.add(
            "photo",
            Problem::new(Code::Required, "required: a photo showing it put right"),
        );
    }
    if input.fix_days.is_some_and(|d| !(1..=365).contains(&d)) {
        problems.add(
            "fix_days",
            Problem::out_of_range(1, 365, Some("working_days")),
        );
    }
    problems.into_result(())?;
    let day = today();
    let calendar = Calendar::load(conn).await?;
    let new_due = (action == ViolationAction::RejectFix)
        .then(|| calendar.add_working_days(day, input.fix_days.unwrap_or(5)));
    sqlx::query(
        "update violation set state = $2, version = version + 1, updated_at = now(), escalation_level = 0,
                fixed_on = case when $2 = 'fixed' then $3 when $2 = 'open' then null else fixed_on end,
                closed_on = case when $2 in ('closed', 'cancelled') then $3 else closed_on end,
                fix_due = coalesce($4, fix_due)
         where id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(day)
    .bind(new_due)
    .execute(&mut *conn)
    .await?;
    let mut stored = Vec::new();
    for photo in photos {
        let purpose = if action == ViolationAction::ReportFixed {
            "violation_fix"
        } else {
            "verification"
        };
        stored.push(
            photos::store(
                conn,
                Owner::Violation(id),
                purpose,
                photo,
                principal.user().map(|u| u.id),
            )
            .await?
            .id,
        );
    }
    let mut data = json!({});
    if !stored.is_empty() {
        data["photos"] = json!(stored);
    }
    if let Some(due) = new_due {
        data["fix_due"] = json!(due);
        // The follow-up moves with the deadline.
        sqlx::query("update inspection_round set planned_on = $2, state = 'planned', version = version + 1 where id = $1 and state <> 'cancelled'")
            .bind(current.follow_up_round_id)
            .bind(calendar.add_working_days(due, 1))
            .execute(&mut *conn)
            .await?;
    }
    let data = (data != json!({})).then_some(data);
    record(
        conn,
        id,
        action.as_str(),
        Some(current.state()),
        to,
        principal,
        note.as_deref(),
        data.as_ref(),
    )
    .await?;
    let updated = load(conn, id, false).await?;
    let vi = format!(
        "Vi phạm {}: {} → {}.",
        updated.reference,
        current.state().label_vi(),
        to.label_vi()
    );
    let en = format!(
        "Violation {}: {} → {}.",
        updated.reference,
        current.state,
        to.as_str()
    );
    let message = Message {
        kind: "violation",
        vi: &vi,
        en: &en,
        link: &format!("/vi-pham/{id}"),
        dedupe_key: None,
    };
    if action.by_operator() {
        notifications::ward_staff(conn, updated.ward_id, false, &message).await?;
    } else {
        notifications::operator_members(conn, updated.operator_id, &message).await?;
    }
    Ok(updated)
}

/// An event of a violation's timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
#[schema(as = ViolationEvent)]
pub struct Event {
    pub id: i64,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub day: NaiveDate,
    pub note: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub data: Option<sqlx::types::Json<Value>>,
}

pub async fn events(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as("select id, action, from_state, to_state, actor, at, day, note, data from violation_event where violation_id = $1 order by id")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// A violation with its timeline, photos, days left and the caller's steps.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViolationView {
    #[serde(flatten)]
    pub violation: Violation,
    pub state_label: &'static str,
    /// Working days to the deadline (negative once passed), while open.
    pub working_days_left: Option<i64>,
    pub overdue: bool,
    pub actions: Vec<ViolationAction>,
}

pub fn view(calendar: &Calendar, principal: &Principal, violation: Violation) -> ViolationView {
    let day = today();
    let left = (violation.state() == ViolationState::Open).then(|| {
        if day <= violation.fix_due {
            calendar.working_days_between(day, violation.fix_due)
        } else {
            -calendar.working_days_between(violation.fix_due, day)
        }
    });
    ViolationView {
        state_label: violation.state().label_vi(),
        working_days_left: left,
        overdue: left.is_some_and(|l| l < 0),
        actions: actions_for(principal, &violation),
        violation,
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// States, comma-separated; `open` (default) for open and fixed, `all` for every state.
    pub state: Option<String>,
    pub operator: Option<String>,
    pub ward: Option<String>,
    /// inspection, detection, incident, manual.
    pub source: Option<String>,
    pub overdue: Option<bool>,
    /// `json`, `geojson`, `csv`, `xlsx`.
    pub format: Option<String>,
}

pub async fn list(
    conn: &mut PgConnection,
    principal: &Principal,
    params: &ListParams,
) -> ApiResult<Vec<ViolationView>> {
    principal.require_login()?;
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(format!("{SELECT} where true"));
    match principal {
        Principal::User(user) if user.role == Role::Admin => {}
        Principal::User(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
            query
                .push(" and v.ward_id = any(")
                .push_bind(user.scope_wards.clone())
                .push(")");
        }
        _ => {
            query
                .push(" and v.operator_id = ")
                .push_bind(principal.operator().map(|o| o.id).unwrap_or(-1));
        }
    }
    match params.state.as_deref() {
        None | Some("") | Some("open") => {
            query.push(" and v.state in ('open', 'fixed')");
        }
        Some("all") => {}
        Some(states) => {
            let mut parsed = Vec::new();
            for s in states.split(',') {
                parsed.push(
                    ViolationState::parse(s.trim())
                        .ok_or_else(|| ApiError::Malformed(format!("unknown state {s:?}")))?
                        .as_str(),
                );
            }
            query
                .push(" and v.state = any(")
                .push_bind(parsed)
                .push(")");
        }
    }
    if let Some(operator) = &params.operator {
        query.push(" and o.code = ").push_bind(operator.clone());
    }
    if let Some(ward) = &params.ward {
        query.push(" and w.gso_code = ").push_bind(ward.clone());
    }
    if let Some(source) = &params.source {
        query.push(" and v.source = ").push_bind(source.clone());
    }
    query.push(" order by v.fix_due, v.id limit 2000");
    let rows: Vec<Violation> = query.build_query_as().fetch_all(&mut *conn).await?;
    let calendar = Calendar::load(conn).await?;
    let mut views: Vec<ViolationView> = rows
        .into_iter()
        .map(|v| view(&calendar, principal, v))
        .collect();
    if params.overdue == Some(true) {
        views.retain(|v| v.overdue);
    }
    Ok(views)
}

pub async fn photos_of(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<PhotoMeta>> {
    photos::list(conn, Owner::Violation(id)).await
}

/// Reminds operators of violations due tomorrow, escalates overdue ones.
pub async fn housekeeping(pool: &PgPool) -> ApiResult<()> {
    let mut conn = pool.acquire().await?;
    let open: Vec<Violation> = sqlx::query_as(&format!("{SELECT} where v.state = 'open'"))
        .fetch_all(&mut *conn)
        .await?;
    let calendar = Calendar::load(&mut conn).await?;
    let day = today();
    for violation in open {
        let left = if day <= violation.fix_due {
            calendar.working_days_between(day, violation.fix_due)
        } else {
            -calendar.working_days_between(violation.fix_due, day)
        };
        let link = format!("/vi-pham/{}", violation.id);
        if left == 1 {
            let vi = format!(
                "Vi phạm {} còn 1 ngày làm việc đến hạn khắc phục.",
                violation.reference
            );
            let en = format!(
                "Violation {} is due to be put right in 1 working day.",
                violation.reference
            );
            notifications::operator_members(
                &mut conn,
                violation.operator_id,
                &Message {
                    kind: "violation_deadline",
                    vi: &vi,
                    en: &en,
                    link: &link,
                    dedupe_key: Some(format!("violation:{}:{day}", violation.id)),
                },
            )
            .await?;
        }
        let level = match left {
            l if l < -2 => 2,
            l if l < 0 => 1,
            _ => 0,
        };
        if level > violation.escalation_level {
            let vi = format!(
                "Vi phạm {} ({}) quá hạn khắc phục {} ngày làm việc.",
                violation.reference, violation.operator, -left
            );
            let en = format!(
                "Violation {} ({}) is {} working days past its deadline.",
                violation.reference, violation.operator, -left
            );
            let message = Message {
                kind: "violation_escalation",
                vi: &vi,
                en: &en,
                link: &link,
                dedupe_key: Some(format!("violation:{}:escalation:{level}", violation.id)),
            };
            notifications::ward_staff(&mut conn, violation.ward_id, level >= 2, &message).await?;
            notifications::operator_members(&mut conn, violation.operator_id, &message).await?;
            sqlx::query("update violation set escalation_level = $2 where id = $1")
                .bind(violation.id)
                .bind(level)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
