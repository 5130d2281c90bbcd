//! Reports in PostgreSQL: filing one (with its photos, in one transaction),
//! moving it through its states (each step an event, with who and why),
//! proposing the operator from the nearest asset, its clock, the public view
//! without personal data, and the hourly reminders and escalation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use utoipa::ToSchema;

use super::clock::{self, ClockStatus, Deadlines, IncidentClock};
use super::guard::{self, Proof};
use super::kinds;
use super::state::{self, Actor, IncidentAction, IncidentState, Refusal, Side};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::database::constraint::OnConstraint;
use crate::http::error::{ApiError, ApiResult, Code, Problem, Problems};
use crate::notifications::{self, Message};
use crate::photos::{self, Owner, PhotoMeta, PhotoTaken, PhotoUpload};
use crate::policy::{Principal, Role};
use crate::rules;
use crate::vn_time::today;

/// Where a report came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Open311,
    Staff,
    Inspection,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Open311 => "open311",
            Self::Staff => "staff",
            Self::Inspection => "inspection",
        }
    }
}

/// A report as filed: by a resident (with the proof of work), by staff, or
/// by an operator's crew.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// One of `GET /api/v1/incidents/types`.
    pub incident_type: String,
    #[serde(default)]
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    /// `gps`, `map`, `photo` (from the photo's EXIF) or `asset`.
    #[serde(default)]
    pub location_source: Option<String>,
    /// The phone's accuracy, metres.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    #[serde(default)]
    pub address: Option<String>,
    /// The asset the report is about, if the reporter picked one.
    #[serde(default)]
    pub asset_id: Option<i64>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// Where and when each photo was taken, in the order of the `photo` parts.
    #[serde(default)]
    pub photos: Vec<PhotoTaken>,
    /// The proof of work (reports without an account).
    #[serde(default)]
    pub challenge: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    /// The honeypot: leave it empty.
    #[serde(default)]
    pub website: Option<String>,
}

fn text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl ReportInput {
    /// Every problem with the report at once.
    pub fn check(&self, photo_count: usize) -> ApiResult<()> {
        let mut problems = Problems::new();
        if kinds::find(&self.incident_type).is_none() {
            problems.add(
                "incident_type",
                Problem::unknown_value(&self.incident_type, &kinds::codes()),
            );
        }
        if self.description.chars().count() > 4000 {
            problems.add("description", Problem::too_long(4000));
        }
        if self.description.trim().is_empty() && photo_count == 0 {
            problems.add(
                "description",
                Problem::new(
                    Code::Required,
                    "required: say what is wrong, or send a photo",
                ),
            );
        }
        if !self.lon.is_finite()
            || !self.lat.is_finite()
            || !(100.0..=120.0).contains(&self.lon)
            || !(5.0..=25.0).contains(&self.lat)
        {
            if (100.0..=120.0).contains(&self.lat) && (5.0..=25.0).contains(&self.lon) {
                problems.add(
                    "lon",
                    Problem::new(
                        Code::CoordinatesSwapped,
                        "looks like latitude and longitude swapped",
                    ),
                );
            } else {
                problems.add(
                    "lon",
                    Problem::new(Code::NotInVietnam, "the place is not in Vietnam"),
                );
            }
        }
        if let Some(source) = &self.location_source
            && !["gps", "map", "photo", "asset"].contains(&source.as_str())
        {
            problems.add(
                "location_source",
                Problem::unknown_value(source, &["gps", "map", "photo", "asset"]),
            );
        }
        if self
            .accuracy_m
            .is_some_and(|a| !(0.0..=100_000.0).contains(&a))
        {
            problems.add("accuracy_m", Problem::out_of_range(0, 100_000, Some("m")));
        }
        if text(&self.address).is_some_and(|a| a.chars().count() > 500) {
            problems.add("address", Problem::too_long(500));
        }
        if text(&self.contact_name).is_some_and(|a| a.chars().count() > 200) {
            problems.add("contact_name", Problem::too_long(200));
        }
        if let Some(email) = text(&self.contact_email)
            && (email.chars().count() > 200
                || !email.contains('@')
                || email.starts_with('@')
                || email.ends_with('@'))
        {
            problems.add(
                "contact_email",
                Problem::new(Code::NotAnEmail, "is not an e-mail address"),
            );
        }
        if let Some(phone) = text(&self.contact_phone)
            && (phone.len() > 50
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-.()".contains(c))
                || phone.chars().filter(char::is_ascii_digit).count() < 8)
        {
            problems.add(
                "contact_phone",
                Problem::new(Code::NotAPhoneNumber, "is not a telephone number"),
            );
        }
        problems.into_result(())
    }
}

/// A report as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Incident {
    pub id: i64,
    /// The tracking code: PA-2026-000123 (Open311's `service_request_id`).
    pub reference: String,
    pub incident_type: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub location_source: String,
    pub accuracy_m: Option<f64>,
    pub address: Option<String>,
    #[serde(skip)]
    pub ward_id: Option<i64>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub asset_id: Option<i64>,
    pub asset_code: Option<String>,
    #[serde(skip)]
    pub operator_id: Option<i64>,
    /// The operator it is assigned to.
    pub operator: Option<String>,
    pub proposed_operator: Option<String>,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub state: StateText,
    pub resolution: Option<String>,
    pub duplicate_of: Option<i64>,
    pub channel: String,
    /// Personal data: only for the ward's staff (emptied for everyone else).
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub client: Option<String>,
    #[serde(skip)]
    pub reporter_user_id: Option<i64>,
    pub received_on: NaiveDate,
    pub triaged_on: Option<NaiveDate>,
    pub assigned_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub escalation_level: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A state read from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StateText(pub IncidentState);

impl TryFrom<String> for StateText {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        IncidentState::parse(&value)
            .map(StateText)
            .ok_or_else(|| format!("unknown incident state {value}"))
    }
}

impl Incident {
    pub fn state(&self) -> IncidentState {
        self.state.0
    }

    /// Removes what the caller may not see: the reporter's contact details.
    pub fn for_viewer(mut self, principal: &Principal) -> Self {
        if !principal.sees_reporter_contact(self.ward_id) {
            self.contact_name = None;
            self.contact_email = None;
            self.contact_phone = None;
        }
        self
    }
}

pub const SELECT: &str = "select i.id, i.reference, i.incident_type, i.description, ST_X(i.geom) as lon, ST_Y(i.geom) as lat,
        i.location_source, i.accuracy_m, i.address, i.ward_id, w.gso_code as ward_code, w.name as ward_name,
        i.asset_id, a.code as asset_code, i.operator_id, o.code as operator, po.code as proposed_operator,
        i.state, i.resolution, i.duplicate_of, i.channel, i.contact_name, i.contact_email, i.contact_phone, i.client,
        i.reporter_user_id, i.received_on, i.triaged_on, i.assigned_on, i.closed_on, i.escalation_level,
        i.created_at, i.updated_at, i.version
     from incident i
     left join admin_unit w on w.id = i.ward_id
     left join asset a on a.id = i.asset_id
     left join operator o on o.id = i.operator_id
     left join operator po on po.id = i.proposed_operator_id";

pub async fn load(conn: &mut PgConnection, id: i64, lock: bool) -> ApiResult<Incident> {
    let lock = if lock { " for update of i" } else { "" };
    sqlx::query_as(&format!("{SELECT} where i.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no report {id}")))
}

pub async fn load_by_reference(conn: &mut PgConnection, reference: &str) -> ApiResult<Incident> {
    sqlx::query_as(&format!("{SELECT} where i.reference = $1"))
        .bind(reference.trim().to_ascii_uppercase())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no report {reference}")))
}

/// An asset near a report, and its owner: who to assign.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Candidate {
    pub asset_id: i64,
    pub kind: String,
    pub code: String,
    pub operator: String,
    pub operator_name: String,
    pub distance_m: f64,
}

/// The assets of the type's kinds within 100 m, nearest first, with the
/// cables that poles nearby carry (their owners are the ones to ask).
pub async fn candidates(
    conn: &mut PgConnection,
    incident_type: &str,
    lon: f64,
    lat: f64,
) -> sqlx::Result<Vec<Candidate>> {
    let kinds: Vec<&str> = kinds::find(incident_type)
        .map(|k| k.asset_kinds.iter().map(|a| a.as_str()).collect())
        .unwrap_or_default();
    sqlx::query_as(
        "with here as (select ST_SetSRID(ST_MakePoint($1, $2), 4326) as g),
         near as (
             select a.id, a.kind, a.code, a.owner_id, ST_Distance(a.geom::geography, here.g::geography) as distance_m
             from asset a, here
             where a.kind = any($3) and a.status <> 'decommissioned'
               and a.geom && metres_box(here.g, 100) and ST_DWithin(a.geom::geography, here.g::geography, 100)
             union all
             select c.id, c.kind, c.code, c.owner_id, ST_Distance(p.geom::geography, here.g::geography)
             from asset p join cable_support s on s.support_id = p.id join asset c on c.id = s.cable_id, here
             where 'cable' = any($3) and p.status <> 'decommissioned' and c.status <> 'decommissioned'
               and p.geom && metres_box(here.g, 100) and ST_DWithin(p.geom::geography, here.g::geography, 100))
         select distinct on (n.id) n.id as asset_id, n.kind, n.code, o.code as operator, o.short_name as operator_name,
                round(n.distance_m::numeric, 1)::float8 as distance_m
         from near n join operator o on o.id = n.owner_id
         order by n.id, n.distance_m",
    )
    .bind(lon)
    .bind(lat)
    .bind(&kinds)
    .fetch_all(conn)
    .await
    .map(|mut found: Vec<Candidate>| {
        found.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m).then(a.asset_id.cmp(&b.asset_id)));
        found.truncate(10);
        found
    })
}

/// The deadlines of a report of `incident_type` in force on `on`.
pub async fn deadlines(
    conn: &mut PgConnection,
    incident_type: &str,
    on: NaiveDate,
) -> ApiResult<Deadlines> {
    let rule = rules::find(conn, "incident.deadlines", None, on).await?;
    let value = rule.map(|r| r.value.0).unwrap_or(Value::Null);
    let days = |field: &str, default: u32| {
        value
            .get(field)
            .and_then(Value::as_u64)
            .map(|d| d as u32)
            .unwrap_or(default)
    };
    Ok(Deadlines {
        triage_days: days("triage_days", 1),
        fix_days: value["fix_days"]
            .get(incident_type)
            .and_then(Value::as_u64)
            .map(|d| d as u32)
            .unwrap_or(5),
        warning_days: days("warning_days", 1),
        escalate_after_days: days("escalate_after_days", 2),
    })
}

/// The day the ward's current turn began: the report, or its last reopening or decline.
async fn ward_since(conn: &mut PgConnection, incident: &Incident) -> sqlx::Result<NaiveDate> {
    let day: Option<NaiveDate> = sqlx::query_scalar(
        "select max(day) from incident_event where incident_id = $1 and action in ('reopen', 'decline', 'triage')",
    )
    .bind(incident.id)
    .fetch_one(conn)
    .await?;
    Ok(match incident.state() {
        IncidentState::New => incident.received_on,
        _ => day.unwrap_or(incident.received_on),
    })
}

/// The clock of a report today.
pub async fn clock_of(
    conn: &mut PgConnection,
    calendar: &Calendar,
    incident: &Incident,
) -> ApiResult<IncidentClock> {
    let deadlines = deadlines(conn, &incident.incident_type, incident.received_on).await?;
    let since = ward_since(conn, incident).await?;
    Ok(clock::compute(
        calendar,
        deadlines,
        incident.state(),
        since,
        incident.assigned_on,
        today(),
    ))
}

/// How the state machine sees `principal` for a step on `incident`.
pub fn actor_for(principal: &Principal, incident: &Incident, side: Side) -> Actor {
    let ward = principal.may_handle_field_work(incident.ward_id).is_ok();
    let operator = incident.operator_id.is_some() && principal.acts_for(incident.operator_id);
    match side {
        Side::Ward if ward => Actor::Ward,
        Side::Operator if operator => Actor::AssignedOperator,
        _ if principal.operator().is_some() => Actor::OtherOperator,
        _ => Actor::Bystander,
    }
}

/// The steps `principal` may take on `incident` now.
pub fn actions_for(principal: &Principal, incident: &Incident) -> Vec<IncidentAction> {
    IncidentAction::ALL
        .into_iter()
        .filter(|a| {
            state::decide(
                incident.state(),
                actor_for(principal, incident, a.side()),
                *a,
            )
            .is_ok()
        })
        .collect()
}

/// Files a report. A resident's needs the proof of work and counts against
/// the address's hourly limit; a retry with the same `client_key` gives the
/// report filed the first time.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    pool: &PgPool,
    principal: &Principal,
    origin: guard::Origin<'_>,
    channel: Channel,
    input: ReportInput,
    photos: Vec<PhotoUpload>,
    client_key: Option<&str>,
    client: Option<String>,
) -> ApiResult<Incident> {
    if let Some(key) = client_key {
        let mut conn = pool.acquire().await?;
        let existing: Option<(i64, Option<i64>)> =
            sqlx::query_as("select id, reporter_user_id from incident where client_key = $1")
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((id, reporter)) = existing {
            if reporter == principal.user().map(|u| u.id) {
                return load(&mut conn, id, false).await;
            }
            return Err(ApiError::invalid(
                "Idempotency-Key",
                Problem::new(Code::IdempotencyKeyReused, "was used for another report"),
            ));
        }
    }
    input.check(photos.len())?;
    let mut tx = changes::begin(pool, principal).await?;
    let now = Utc::now();
    if matches!(principal, Principal::Public) && channel == Channel::Web {
        guard::verify(
            &mut tx,
            &Proof {
                challenge: input.challenge.clone(),
                nonce: input.nonce.clone(),
                website: input.website.clone(),
            },
            now,
        )
        .await?;
    }
    if matches!(principal, Principal::Public) {
        guard::rate_limit(&mut tx, origin).await?;
    }
    let ward_id: Option<i64> =
        sqlx::query_scalar("select ward_for(ST_SetSRID(ST_MakePoint($1, $2), 4326))")
            .bind(input.lon)
            .bind(input.lat)
            .fetch_one(&mut *tx)
            .await?;
    if ward_id.is_none() {
        return Err(ApiError::invalid(
            "lon",
            Problem::new(
                Code::OutsideWards,
                "the place is outside every ward Hatang serves; report it to the local People's Committee",
            ),
        ));
    }
    let mut proposed: Option<i64> = None;
    if let Some(asset_id) = input.asset_id {
        proposed = sqlx::query_scalar("select owner_id from asset where id = $1")
            .bind(asset_id)
            .fetch_optional(&mut *tx)
            .await?;
        if proposed.is_none() {
            return Err(ApiError::invalid(
                "asset_id",
                Problem::not_found("asset", asset_id),
            ));
        }
    }
    if proposed.is_none() {
        let near = candidates(&mut tx, &input.incident_type, input.lon, input.lat).await?;
        if let Some(first) = near.first() {
            proposed = sqlx::query_scalar("select id from operator where code = $1")
                .bind(&first.operator)
                .fetch_optional(&mut *tx)
                .await?;
        }
    }
    let location_source = input
        .location_source
        .clone()
        .unwrap_or_else(|| "map".into());
    let day = today();
    let id: i64 = sqlx::query_scalar(
        "insert into incident (reference, incident_type, description, geom, location_source, accuracy_m, address, ward_id,
                               asset_id, proposed_operator_id, channel, reporter_user_id, reporter_token_id,
                               contact_name, contact_email, contact_phone, client, client_key, received_on)
         values ('pending-' || gen_random_uuid(), $1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8,
                 $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         returning id",
    )
    .bind(&input.incident_type)
    .bind(input.description.trim())
    .bind(input.lon)
    .bind(input.lat)
    .bind(&location_source)
    .bind(input.accuracy_m)
    .bind(text(&input.address))
    .bind(ward_id)
    .bind(input.asset_id)
    .bind(proposed)
    .bind(channel.as_str())
    .bind(principal.user().map(|u| u.id))
    .bind(match principal {
        Principal::Token { id, .. } => Some(*id),
        _ => None,
    })
    .bind(text(&input.contact_name))
    .bind(text(&input.contact_email))
    .bind(text(&input.contact_phone))
    .bind(client)
    .bind(client_key)
    .bind(day)
    .fetch_one(&mut *tx)
    .await
    .on_constraint("incident_client_key_key", || {
        ApiError::conflict(Problem::new(
            Code::InProgress,
            "this report is being filed by another request with the same Idempotency-Key",
        ))
    })?;
    sqlx::query("update incident set reference = format('PA-%s-%s', extract(year from created_at)::int, lpad(id::text, 6, '0')) where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        id,
        "report",
        None,
        IncidentState::New,
        principal,
        None,
        None,
    )
    .await?;
    for photo in &photos {
        photos::store(
            &mut tx,
            Owner::Incident(id),
            "report",
            photo,
            principal.user().map(|u| u.id),
        )
        .await?;
    }
    let incident = load(&mut tx, id, false).await?;
    let kind = kinds::find(&incident.incident_type);
    let vi = format!(
        "Phản ánh mới {}: {}{}.",
        incident.reference,
        kind.map(|k| k.name_vi).unwrap_or(""),
        if kind.is_some_and(|k| k.safety) {
            " (mất an toàn)"
        } else {
            ""
        }
    );
    let en = format!(
        "New report {}: {}.",
        incident.reference,
        kind.map(|k| k.name_en).unwrap_or("")
    );
    let link = format!("/su-co/{id}");
    notifications::ward_staff(
        &mut tx,
        incident.ward_id,
        false,
        &Message {
            kind: "incident",
            vi: &vi,
            en: &en,
            link: &link,
            dedupe_key: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(incident)
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut PgConnection,
    id: i64,
    action: &str,
    from: Option<IncidentState>,
    to: IncidentState,
    principal: &Principal,
    note: Option<&str>,
    data: Option<&Value>,
) -> sqlx::Result<()> {
    let actor = principal.actor();
    sqlx::query(
        "insert into incident_event (incident_id, action, from_state, to_state, actor, actor_user_id, day, note, data)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(action)
    .bind(from.map(IncidentState::as_str))
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

/// What a step carries.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = IncidentStepInput)]
pub struct StepInput {
    /// Why: required to reject, decline, reopen, and to close a report the ward handled itself.
    #[serde(default)]
    pub note: Option<String>,
    /// `assign`: the operator's code.
    #[serde(default)]
    pub operator: Option<String>,
    /// `triage`: the type, if the reporter chose the wrong one.
    #[serde(default)]
    pub incident_type: Option<String>,
    /// `triage`, `assign`: the asset it is about.
    #[serde(default)]
    pub asset_id: Option<i64>,
    /// `reject`: a duplicate of this report.
    #[serde(default)]
    pub duplicate_of: Option<i64>,
    /// Where and when each photo was taken (`fix`).
    #[serde(default)]
    pub photos: Vec<PhotoTaken>,
}

/// An event of the timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
#[schema(as = IncidentEvent)]
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
    sqlx::query_as(
        "select id, action, from_state, to_state, actor, at, day, note, data from incident_event where incident_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Takes a step, if the state allows it and it is the principal's to take.
pub async fn act(
    pool: &PgPool,
    principal: &Principal,
    id: i64,
    action: IncidentAction,
    expected_version: Option<i32>,
    input: StepInput,
    photos: Vec<PhotoUpload>,
) -> ApiResult<Incident> {
    let mut tx = changes::begin(pool, principal).await?;
    let current = load(&mut tx, id, true).await?;
    principal.may_read_incident(current.ward_id, current.operator_id)?;
    let actor = actor_for(principal, &current, action.side());
    let to = match state::decide(current.state(), actor, action) {
        Ok(to) => to,
        Err(Refusal::NotYours) => {
            return Err(match action.side() {
                Side::Ward => ApiError::forbidden(
                    Problem::new(
                        Code::NotYourStep,
                        format!("only the ward's staff may {} a report", action.as_str()),
                    )
                    .with("side", "ward")
                    .with("action", action.as_str()),
                ),
                Side::Operator => ApiError::forbidden(
                    Problem::new(
                        Code::NotYourStep,
                        format!(
                            "only the operator the report is assigned to may {} it",
                            action.as_str()
                        ),
                    )
                    .with("side", "operator")
                    .with("action", action.as_str()),
                ),
            });
        }
        Err(Refusal::NotNow) => {
            let possible: Vec<&str> = actions_for(principal, &current)
                .iter()
                .map(|a| a.as_str())
                .collect();
            let text = format!(
                "cannot {} a report that is {} ({}); possible now: {}",
                action.as_str(),
                current.state().as_str(),
                current.state().label_vi(),
                if possible.is_empty() {
                    "nothing".to_string()
                } else {
                    possible.join(", ")
                }
            );
            return Err(ApiError::conflict(
                Problem::new(Code::WrongState, text)
                    .with("action", action.as_str())
                    .with("state", current.state().as_str())
                    .with("possible", possible),
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
    let note = text(&input.note);
    let mut problems = Problems::new();
    let needs_note = matches!(
        action,
        IncidentAction::Reject | IncidentAction::Decline | IncidentAction::Reopen
    ) || (action == IncidentAction::Close
        && current.state() != IncidentState::Fixed);
    if needs_note && note.is_none() {
        problems.add(
            "note",
            Problem::new(Code::Required, "required: say why, in writing"),
        );
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        problems.add("note", Problem::too_long(4000));
    }
    if action == IncidentAction::Fix && photos.is_empty() {
        problems.add(
            "photo",
            Problem::new(Code::Required, "required: a photo of the fix"),
        );
    }
    let mut operator_id = current.operator_id;
    if action == IncidentAction::Assign {
        match text(&input.operator) {
            None => problems.add(
                "operator",
                Problem::new(
                    Code::Required,
                    "required: the operator to assign the report to",
                ),
            ),
            Some(code) => {
                let found: Option<i64> =
                    sqlx::query_scalar("select id from operator where code = $1")
                        .bind(&code)
                        .fetch_optional(&mut *tx)
                        .await?;
                match found {
                    Some(found) => operator_id = Some(found),
                    None => problems.add("operator", Problem::not_found("operator", code)),
                }
            }
        }
    }
    let mut incident_type = current.incident_type.clone();
    if let Some(new_type) = text(&input.incident_type) {
        if kinds::find(&new_type).is_none() {
            problems.add(
                "incident_type",
                Problem::unknown_value(&new_type, &kinds::codes()),
            );
        } else {
            incident_type = new_type;
        }
    }
    if let Some(asset_id) = input.asset_id {
        let exists: Option<i64> = sqlx::query_scalar("select id from asset where id = $1")
            .bind(asset_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            problems.add("asset_id", Problem::not_found("asset", asset_id));
        }
    }
    if let Some(other) = input.duplicate_of {
        let exists: Option<i64> =
            sqlx::query_scalar("select id from incident where id = $1 and id <> $2")
                .bind(other)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            problems.add(
                "duplicate_of",
                Problem::new(Code::NotFound, format!("there is no other report {other}"))
                    .with("what", "incident")
                    .with("value", other),
            );
        }
    }
    problems.into_result(())?;
    let day = today();
    let resolution = match (action, current.state()) {
        (IncidentAction::Close, IncidentState::Fixed) => Some("fixed"),
        (IncidentAction::Close, _) => Some("handled"),
        (IncidentAction::Reject, _) if input.duplicate_of.is_some() => Some("duplicate"),
        (IncidentAction::Reject, _) => Some("rejected"),
        _ => None,
    };
    sqlx::query(
        "update incident set state = $2, version = version + 1, updated_at = now(), incident_type = $3,
                operator_id = $4, asset_id = coalesce($5, asset_id),
                triaged_on = case when $6 = 'triage' then $7 else triaged_on end,
                assigned_on = case when $6 = 'assign' then $7 else assigned_on end,
                closed_on = case when $2 = 'closed' then $7 when $2 = 'reopened' then null else closed_on end,
                resolution = case when $2 = 'closed' then $8 when $2 = 'reopened' then null else resolution end,
                duplicate_of = coalesce($9, duplicate_of),
                escalation_level = 0
         where id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(&incident_type)
    .bind(operator_id)
    .bind(input.asset_id)
    .bind(action.as_str())
    .bind(day)
    .bind(resolution)
    .bind(input.duplicate_of)
    .execute(&mut *tx)
    .await?;
    let mut data = json!({});
    if action == IncidentAction::Assign {
        data["operator"] = json!(text(&input.operator));
    }
    if incident_type != current.incident_type {
        data["incident_type"] = json!(incident_type);
    }
    let mut stored = Vec::new();
    for photo in &photos {
        stored.push(
            photos::store(
                &mut tx,
                Owner::Incident(id),
                "fix",
                photo,
                principal.user().map(|u| u.id),
            )
            .await?
            .id,
        );
    }
    if !stored.is_empty() {
        data["photos"] = json!(stored);
    }
    let data = (data != json!({})).then_some(data);
    record(
        &mut tx,
        id,
        action.as_str(),
        Some(current.state()),
        to,
        principal,
        note.as_deref(),
        data.as_ref(),
    )
    .await?;
    let updated = load(&mut tx, id, false).await?;
    tell(&mut tx, &current, &updated, action).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Notifies the other side of a step.
async fn tell(
    conn: &mut PgConnection,
    before: &Incident,
    after: &Incident,
    action: IncidentAction,
) -> sqlx::Result<()> {
    let kind = kinds::find(&after.incident_type);
    let name_vi = kind.map(|k| k.name_vi).unwrap_or("");
    let name_en = kind.map(|k| k.name_en).unwrap_or("");
    let link = format!("/su-co/{}", after.id);
    let (vi, en) = (
        format!(
            "Phản ánh {} ({name_vi}): {} → {}.",
            after.reference,
            before.state().label_vi(),
            after.state().label_vi()
        ),
        format!(
            "Report {} ({name_en}): {} → {}.",
            after.reference,
            before.state().as_str(),
            after.state().as_str()
        ),
    );
    let message = Message {
        kind: "incident",
        vi: &vi,
        en: &en,
        link: &link,
        dedupe_key: None,
    };
    match action {
        IncidentAction::Assign => {
            if let Some(operator) = after.operator_id {
                notifications::operator_members(conn, operator, &message).await?;
            }
        }
        IncidentAction::Acknowledge | IncidentAction::Decline | IncidentAction::Fix => {
            notifications::ward_staff(conn, after.ward_id, false, &message).await?;
        }
        IncidentAction::Reopen | IncidentAction::Close => {
            if let Some(operator) = before.operator_id {
                notifications::operator_members(conn, operator, &message).await?;
            }
        }
        IncidentAction::Triage | IncidentAction::Reject => {}
    }
    Ok(())
}

/// Filters of the list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// States, comma-separated; `open` for every state but closed.
    pub state: Option<String>,
    /// Types, comma-separated.
    pub incident_type: Option<String>,
    /// Ward GSO code.
    pub ward: Option<String>,
    /// Assigned operator code.
    pub operator: Option<String>,
    /// Reference or words of the description.
    pub q: Option<String>,
    /// Received on or after (yyyy-mm-dd).
    pub from: Option<NaiveDate>,
    /// Received on or before.
    pub to: Option<NaiveDate>,
    /// `true`: only reports past their deadline.
    pub overdue: Option<bool>,
    /// `minLon,minLat,maxLon,maxLat`.
    pub bbox: Option<String>,
    /// `json` (default), `geojson` for the map, `csv` or `xlsx` to take away.
    pub format: Option<String>,
    pub limit: Option<i64>,
}

/// A report with what the caller needs: its clock and the steps they may take.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentView {
    #[serde(flatten)]
    pub incident: Incident,
    pub type_name_vi: &'static str,
    pub type_name_en: &'static str,
    pub safety: bool,
    pub clock: IncidentClock,
    pub actions: Vec<IncidentAction>,
}

pub async fn view(
    conn: &mut PgConnection,
    calendar: &Calendar,
    principal: &Principal,
    incident: Incident,
) -> ApiResult<IncidentView> {
    let clock = clock_of(conn, calendar, &incident).await?;
    let actions = actions_for(principal, &incident);
    let kind = kinds::find(&incident.incident_type);
    Ok(IncidentView {
        type_name_vi: kind.map(|k| k.name_vi).unwrap_or(""),
        type_name_en: kind.map(|k| k.name_en).unwrap_or(""),
        safety: kind.is_some_and(|k| k.safety),
        incident: incident.for_viewer(principal),
        clock,
        actions,
    })
}

/// The reports `principal` may see that match `params`, most urgent first.
pub async fn list(
    conn: &mut PgConnection,
    principal: &Principal,
    params: &ListParams,
) -> ApiResult<Vec<IncidentView>> {
    principal.require_login()?;
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(format!("{SELECT} where true"));
    match principal {
        Principal::User(user) if user.role == Role::Admin => {}
        Principal::User(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
            query
                .push(" and i.ward_id = any(")
                .push_bind(user.scope_wards.clone())
                .push(")");
        }
        _ => {
            // An operator sees only what is assigned to it.
            query
                .push(" and i.operator_id = ")
                .push_bind(principal.operator().map(|o| o.id).unwrap_or(-1));
        }
    }
    if let Some(states) = params.state.as_deref().filter(|s| !s.is_empty()) {
        if states == "open" {
            query.push(" and i.state <> 'closed'");
        } else {
            let mut parsed = Vec::new();
            for s in states.split(',') {
                parsed.push(
                    IncidentState::parse(s.trim())
                        .ok_or_else(|| ApiError::Malformed(format!("unknown state {s:?}")))?
                        .as_str(),
                );
            }
            query
                .push(" and i.state = any(")
                .push_bind(parsed)
                .push(")");
        }
    }
    if let Some(types) = params.incident_type.as_deref().filter(|s| !s.is_empty()) {
        let list: Vec<String> = types.split(',').map(|s| s.trim().to_string()).collect();
        for t in &list {
            if kinds::find(t).is_none() {
                return Err(ApiError::Malformed(format!("unknown incident_type {t:?}")));
            }
        }
        query
            .push(" and i.incident_type = any(")
            .push_bind(list)
            .push(")");
    }
    if let Some(ward) = &params.ward {
        query.push(" and w.gso_code = ").push_bind(ward.clone());
    }
    if let Some(operator) = &params.operator {
        query.push(" and o.code = ").push_bind(operator.clone());
    }
    if let Some(q) = params
        .q
        .as_ref()
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
    {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query
            .push(" and (i.reference ilike ")
            .push_bind(pattern.clone())
            .push(" or i.description ilike ")
            .push_bind(pattern.clone())
            .push(" or i.address ilike ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(from) = params.from {
        query.push(" and i.received_on >= ").push_bind(from);
    }
    if let Some(to) = params.to {
        query.push(" and i.received_on <= ").push_bind(to);
    }
    if let Some(bbox) = &params.bbox {
        let numbers: Vec<f64> = bbox
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        let [a, b, c, d] = numbers.as_slice() else {
            return Err(ApiError::Malformed(
                "bbox must be minLon,minLat,maxLon,maxLat".into(),
            ));
        };
        query
            .push(" and i.geom && ST_MakeEnvelope(")
            .push_bind(*a)
            .push(", ")
            .push_bind(*b)
            .push(", ")
            .push_bind(*c)
            .push(", ")
            .push_bind(*d)
            .push(", 4326)");
    }
    let limit = params.limit.unwrap_or(500).clamp(1, 5000);
    query.push(" order by i.id desc limit ").push_bind(limit);
    let rows: Vec<Incident> = query.build_query_as().fetch_all(&mut *conn).await?;
    let calendar = Calendar::load(conn).await?;
    let mut views = Vec::with_capacity(rows.len());
    for incident in rows {
        views.push(view(conn, &calendar, principal, incident).await?);
    }
    if params.overdue == Some(true) {
        views.retain(|v| v.clock.status == ClockStatus::Breached);
    }
    // Most urgent first: least time left; reports with no clock after.
    views.sort_by_key(|v| {
        (
            v.clock.working_days_left.unwrap_or(i64::MAX),
            std::cmp::Reverse(v.incident.id),
        )
    });
    Ok(views)
}

/// What anyone may see of a report: no names, no contact, no notes; the
/// description and the photos once the ward has looked at it (so a report
/// with someone's phone number in it is caught before it is shown).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicReport {
    pub reference: String,
    pub incident_type: String,
    pub type_name_vi: &'static str,
    pub type_name_en: &'static str,
    pub state: IncidentState,
    pub state_label: &'static str,
    /// Open311's `open` or `closed`.
    pub status: &'static str,
    pub resolution: Option<String>,
    pub description: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub ward_name: Option<String>,
    /// The operator responsible, once assigned.
    pub operator: Option<String>,
    pub received_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The day each step was taken and the state it led to.
    pub timeline: Vec<PublicStep>,
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicStep {
    pub day: NaiveDate,
    pub state: String,
    pub state_label: &'static str,
}

/// Whether the ward has looked at the report (its text and photos may be shown).
pub fn moderated(incident: &Incident) -> bool {
    incident.state() != IncidentState::New
        && !matches!(
            incident.resolution.as_deref(),
            Some("rejected" | "duplicate")
        )
}

pub async fn public_view(conn: &mut PgConnection, incident: &Incident) -> ApiResult<PublicReport> {
    let kind = kinds::find(&incident.incident_type);
    let timeline = events(conn, incident.id)
        .await?
        .into_iter()
        .map(|e| PublicStep {
            day: e.day,
            state_label: IncidentState::parse(&e.to_state)
                .map(|s| s.label_vi())
                .unwrap_or(""),
            state: e.to_state,
        })
        .collect();
    let shown = moderated(incident);
    let photos = if shown {
        photos::list(conn, Owner::Incident(incident.id))
            .await?
            .into_iter()
            .map(|p| p.href)
            .collect()
    } else {
        vec![]
    };
    Ok(PublicReport {
        reference: incident.reference.clone(),
        incident_type: incident.incident_type.clone(),
        type_name_vi: kind.map(|k| k.name_vi).unwrap_or(""),
        type_name_en: kind.map(|k| k.name_en).unwrap_or(""),
        state: incident.state(),
        state_label: incident.state().label_vi(),
        status: incident.state().open311_status(),
        resolution: incident.resolution.clone(),
        description: shown.then(|| incident.description.clone()),
        lon: incident.lon,
        lat: incident.lat,
        ward_name: incident.ward_name.clone(),
        operator: incident.operator.clone(),
        received_on: incident.received_on,
        created_at: incident.created_at,
        updated_at: incident.updated_at,
        timeline,
        photos,
    })
}

/// Photos of a report: to whoever reads the report, and to anyone once the ward looked at it.
pub async fn check_photo_access(
    conn: &mut PgConnection,
    principal: &Principal,
    incident_id: i64,
) -> ApiResult<()> {
    let incident = load(conn, incident_id, false).await?;
    if moderated(&incident) {
        return Ok(());
    }
    principal.may_read_incident(incident.ward_id, incident.operator_id)
}

/// The photos of a report.
pub async fn photos_of(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<PhotoMeta>> {
    photos::list(conn, Owner::Incident(id)).await
}

/// The hourly chores: remind operators of reports about to be due, escalate
/// overdue ones to the ward's staff and then to the administrators.
pub async fn housekeeping(pool: &PgPool) -> ApiResult<()> {
    let mut conn = pool.acquire().await?;
    guard::tidy(&mut conn).await?;
    let open: Vec<Incident> = sqlx::query_as(&format!("{SELECT} where i.state <> 'closed'"))
        .fetch_all(&mut *conn)
        .await?;
    let calendar = Calendar::load(&mut conn).await?;
    let day = today();
    for incident in open {
        let clock = clock_of(&mut conn, &calendar, &incident).await?;
        let left = clock.working_days_left.unwrap_or(0);
        let link = format!("/su-co/{}", incident.id);
        if clock.status == ClockStatus::AtRisk
            && clock.phase == clock::ClockPhase::Fix
            && let Some(operator) = incident.operator_id
        {
            let vi = format!(
                "Phản ánh {} còn {left} ngày làm việc đến hạn khắc phục.",
                incident.reference
            );
            let en = format!(
                "Report {} is due to be fixed in {left} working days.",
                incident.reference
            );
            notifications::operator_members(
                &mut conn,
                operator,
                &Message {
                    kind: "incident_deadline",
                    vi: &vi,
                    en: &en,
                    link: &link,
                    dedupe_key: Some(format!("incident:{}:{day}:remind", incident.id)),
                },
            )
            .await?;
        }
        if i32::from(clock.escalation) > incident.escalation_level {
            let vi = format!(
                "Phản ánh {} đã quá hạn {} ngày làm việc.",
                incident.reference, -left
            );
            let en = format!(
                "Report {} is {} working days overdue.",
                incident.reference, -left
            );
            let message = Message {
                kind: "incident_escalation",
                vi: &vi,
                en: &en,
                link: &link,
                dedupe_key: Some(format!(
                    "incident:{}:escalation:{}",
                    incident.id, clock.escalation
                )),
            };
            notifications::ward_staff(&mut conn, incident.ward_id, clock.escalation >= 2, &message)
                .await?;
            sqlx::query("update incident set escalation_level = $2 where id = $1")
                .bind(incident.id)
                .bind(i32::from(clock.escalation))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
