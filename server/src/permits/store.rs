//! Applications in PostgreSQL: creating and editing them, moving them through
//! their states (each move recorded as an event, in one transaction with the
//! change), computing their clocks, and the ward's periodic housekeeping
//! (lapsing unused permits, warning of deadlines).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;

use super::WorksType;
use super::checks::{self, Outcome};
use super::clock::{self, Clock, ClockEvent, ClockStatus, Durations};
use super::lifecycle;
use super::state::{PermitAction, PermitState, Side};
use crate::assets::AssetKind;
use crate::assets::input::AssetInput;
use crate::assets::kinds::tower::{Placement, TowerClass};
use crate::calendar::Calendar;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::notifications;
use crate::policy::Principal;
use crate::rules;
use crate::vn_time::today;

/// An application as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Application {
    pub id: i64,
    pub reference: String,
    #[serde(skip)]
    pub operator_id: i64,
    pub operator: String,
    pub works_type: WorksType,
    pub title: String,
    pub description: String,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
    #[serde(skip)]
    pub geom_ewkt: String,
    #[serde(skip)]
    pub ward_id: Option<i64>,
    #[schema(required = true)]
    pub ward_code: Option<String>,
    #[schema(required = true)]
    pub ward_name: Option<String>,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    #[schema(value_type = Option<TowerSpec>)]
    #[schema(required = true)]
    pub tower: Option<Value>,
    #[schema(value_type = Vec<ProposedAsset>)]
    pub proposed_assets: Value,
    pub state: PermitState,
    pub state_label: &'static str,
    /// Exempt works: notification only.
    pub exempt: bool,
    pub supplement_requested: bool,
    pub extension_days: i32,
    #[schema(required = true)]
    pub permit_number: Option<String>,
    #[schema(required = true)]
    pub conditions: Option<String>,
    #[schema(required = true)]
    pub validity_end: Option<NaiveDate>,
    #[schema(required = true)]
    pub decision_reasons: Option<String>,
    #[schema(required = true)]
    pub works_started_on: Option<NaiveDate>,
    #[schema(required = true)]
    pub works_completed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// In the answer to a create or change that was taken: what to check
    /// (code `former_zone`, for a site sent in a merged province's zone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::validation::FieldProblem>,
}

impl Application {
    /// What the decisions about this application depend on ([`lifecycle`]).
    pub fn facts(&self) -> lifecycle::Facts {
        lifecycle::Facts {
            state: self.state,
            exempt: self.exempt,
            supplement_requested: self.supplement_requested,
            extension_days: self.extension_days,
            validity_end: self.validity_end,
            works_started_on: self.works_started_on,
        }
    }

    pub fn tower_class(&self) -> Option<String> {
        self.tower
            .as_ref()
            .and_then(|t| t["tower_class"].as_str())
            .map(String::from)
    }

    pub fn tower_height(&self) -> Option<f64> {
        self.tower.as_ref().and_then(|t| t["height_m"].as_f64())
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    reference: String,
    operator_id: i64,
    operator: String,
    works_type: String,
    title: String,
    description: String,
    geometry: sqlx::types::Json<Value>,
    geom_ewkt: String,
    ward_id: Option<i64>,
    ward_code: Option<String>,
    ward_name: Option<String>,
    planned_start: NaiveDate,
    planned_end: NaiveDate,
    tower: Option<sqlx::types::Json<Value>>,
    proposed_assets: sqlx::types::Json<Value>,
    state: String,
    exempt: bool,
    supplement_requested: bool,
    extension_days: i32,
    permit_number: Option<String>,
    conditions: Option<String>,
    validity_end: Option<NaiveDate>,
    decision_reasons: Option<String>,
    works_started_on: Option<NaiveDate>,
    works_completed_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i32,
}

impl TryFrom<Row> for Application {
    type Error = ApiError;
    fn try_from(r: Row) -> Result<Self, ApiError> {
        let state = PermitState::parse(&r.state)
            .ok_or_else(|| ApiError::Internal(format!("unknown state {}", r.state)))?;
        Ok(Self {
            id: r.id,
            reference: r.reference,
            operator_id: r.operator_id,
            operator: r.operator,
            works_type: WorksType::parse(&r.works_type)
                .ok_or_else(|| ApiError::Internal("unknown works type".into()))?,
            title: r.title,
            description: r.description,
            geometry: r.geometry.0,
            geom_ewkt: r.geom_ewkt,
            ward_id: r.ward_id,
            ward_code: r.ward_code,
            ward_name: r.ward_name,
            planned_start: r.planned_start,
            planned_end: r.planned_end,
            tower: r.tower.map(|t| t.0),
            proposed_assets: r.proposed_assets.0,
            state,
            state_label: state.label_vi(),
            exempt: r.exempt,
            supplement_requested: r.supplement_requested,
            extension_days: r.extension_days,
            permit_number: r.permit_number,
            conditions: r.conditions,
            validity_end: r.validity_end,
            decision_reasons: r.decision_reasons,
            works_started_on: r.works_started_on,
            works_completed_on: r.works_completed_on,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            warnings: Vec::new(),
        })
    }
}

pub const SELECT: &str = "select p.id, p.reference, p.operator_id, o.code as operator, p.works_type, p.title, p.description,
            ST_AsGeoJSON(p.geom, 7)::json as geometry, ST_AsEWKT(p.geom) as geom_ewkt,
            p.ward_id, w.gso_code as ward_code, w.name as ward_name, p.planned_start, p.planned_end, p.tower,
            p.proposed_assets, p.state, p.exempt, p.supplement_requested, p.extension_days, p.permit_number,
            p.conditions, p.validity_end, p.decision_reasons, p.works_started_on, p.works_completed_on,
            p.created_at, p.updated_at, p.version
     from permit_application p
     join operator o on o.id = p.operator_id
     left join admin_unit w on w.id = p.ward_id";

pub async fn load(conn: &mut PgConnection, id: i64, lock: bool) -> ApiResult<Application> {
    let lock = if lock { " for update of p" } else { "" };
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} where p.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| ApiError::not_found(format!("there is no permit application {id}")))?
        .try_into()
}

/// What the applicant submits (create), or the whole file after a merge patch.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub works_type: WorksType,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// GeoJSON geometry in WGS84: a point for a tower, a line for a route, a polygon for an excavation.
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    /// Required for a tower.
    #[serde(default)]
    pub tower: Option<TowerSpec>,
    /// The assets the works will create, registered from the as-built report.
    #[serde(default)]
    pub proposed_assets: Vec<ProposedAsset>,
    /// Applying operator: an admin must name it; a member applies for their own.
    #[serde(default)]
    pub operator: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TowerSpec {
    pub tower_class: TowerClass,
    pub height_m: f64,
    #[serde(default)]
    pub host_building_height_m: Option<f64>,
    pub placement: Placement,
}

/// An asset the works will create: its kind and a GeoJSON Feature as the asset API takes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposedAsset {
    pub kind: AssetKind,
    /// A GeoJSON Feature as the asset API takes it (of `kind`).
    #[schema(value_type = Value)]
    pub feature: Value,
}

impl ApplicationInput {
    /// Checks the file; `operator_code` is the applicant's.
    pub fn check(&self, operator_code: &str) -> ApiResult<()> {
        let mut problems = Problems::new();
        if self.title.trim().is_empty() || self.title.chars().count() > 300 {
            problems.add("title", "must have 1 to 300 characters");
        }
        if self.description.chars().count() > 10_000 {
            problems.add("description", "is longer than 10000 characters");
        }
        if self.planned_end < self.planned_start {
            problems.add("planned_end", "is before planned_start");
        }
        let geometry_type = self
            .geometry
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !self.works_type.allowed_geometry().contains(&geometry_type) {
            problems.add(
                "geometry",
                format!(
                    "{} works are drawn as {}, not {geometry_type:?}",
                    self.works_type.as_str(),
                    self.works_type.allowed_geometry().join(" or ")
                ),
            );
        } else {
            crate::geometry::parse(
                "geometry",
                Some(&self.geometry),
                self.geometry.get("crs"),
                crate::geometry::GeometryType::ALL,
                &mut problems,
            );
        }
        match (&self.tower, self.works_type) {
            (None, WorksType::Tower) => {
                problems.add("tower", "required for a tower: class, height, placement")
            }
            (Some(_), kind) if kind != WorksType::Tower => {
                problems.add("tower", "only for tower works")
            }
            (Some(tower), _) => {
                if !(tower.height_m > 0.0 && tower.height_m <= 300.0) {
                    problems.add(
                        "tower.height_m",
                        "must be more than 0 and at most 300 metres",
                    );
                }
                if tower.placement == Placement::Rooftop && tower.host_building_height_m.is_none() {
                    problems.add(
                        "tower.host_building_height_m",
                        "required for a tower on a rooftop",
                    );
                }
            }
            _ => {}
        }
        for (i, proposed) in self.proposed_assets.iter().enumerate() {
            let feature = with_operator(&proposed.feature, operator_code, &self.geometry);
            if let Err(ApiError::Invalid(details)) = AssetInput::parse(proposed.kind, feature) {
                for d in details {
                    problems.add(format!("proposed_assets[{i}].{}", d.field), d.problem);
                }
            }
        }
        problems.into_result(())
    }
}

/// A proposed asset's feature with the applicant as owner, planned, and the
/// application's geometry if it has none of its own.
fn with_operator(feature: &Value, operator_code: &str, geometry: &Value) -> Value {
    let mut feature = feature.clone();
    if !feature.is_object() {
        return feature;
    }
    if feature.get("geometry").is_none_or(Value::is_null) {
        feature["geometry"] = geometry.clone();
    }
    if !feature["properties"].is_object() {
        feature["properties"] = json!({});
    }
    feature["properties"]["operator"] = json!(operator_code);
    feature["properties"]["status"] = json!("planned");
    feature
}

/// The site checked in PostGIS (in Vietnam, valid), with its ward.
async fn checked_site(
    conn: &mut PgConnection,
    geometry: &Value,
) -> ApiResult<crate::geometry::CheckedGeometry> {
    crate::geometry::parse_and_check(
        conn,
        "geometry",
        Some(geometry),
        crate::geometry::GeometryType::ALL,
    )
    .await
}

/// Creates a draft application.
pub async fn create(
    pool: &PgPool,
    principal: &Principal,
    input: ApplicationInput,
) -> ApiResult<Application> {
    principal.require_login()?;
    let code = match (&input.operator, principal.operator()) {
        (Some(code), _) => code.clone(),
        (None, Some(own)) => own.code.clone(),
        (None, None) => {
            return Err(ApiError::invalid(
                "operator",
                "required: the operator applying",
            ));
        }
    };
    let mut tx = pool.begin().await?;
    let operator_id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?;
    let operator_id = operator_id.ok_or_else(|| {
        ApiError::invalid("operator", format!("{code} is not a registered operator"))
    })?;
    principal.may_apply(operator_id)?;
    input.check(&code)?;
    let site = checked_site(&mut tx, &input.geometry).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into permit_application (reference, operator_id, created_by, works_type, title, description, geom, ward_id,
                                         planned_start, planned_end, tower, proposed_assets)
         select 'pending-' || gen_random_uuid(), $1, $2, $3, $4, $5, g, ward_for(g), $7, $8, $9, $10
         from (select ST_SetSRID($6::geometry, 4326) as g) s
         returning id",
    )
    .bind(operator_id)
    .bind(principal.user().map(|u| u.id))
    .bind(input.works_type.as_str())
    .bind(input.title.trim())
    .bind(&input.description)
    .bind(site.wkb())
    .bind(input.planned_start)
    .bind(input.planned_end)
    .bind(input.tower.as_ref().map(sqlx::types::Json))
    .bind(sqlx::types::Json(&input.proposed_assets))
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("update permit_application set reference = format('HS-%s-%s', extract(year from created_at)::int, lpad(id::text, 6, '0')) where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_event(
        &mut tx,
        id,
        "create",
        None,
        PermitState::Draft,
        principal,
        None,
        None,
    )
    .await?;
    let application = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(Application {
        warnings: site.field_warnings("geometry"),
        ..application
    })
}

/// Changes the file while the applicant may (a draft, or when the ward asked
/// for more or for changes).
pub async fn update(
    pool: &PgPool,
    principal: &Principal,
    id: i64,
    expected_version: Option<i32>,
    patch: &Value,
) -> ApiResult<Application> {
    let mut tx = pool.begin().await?;
    let current = load(&mut tx, id, true).await?;
    principal.may_read_application(current.operator_id, current.ward_id)?;
    principal.may_apply(current.operator_id)?;
    check_version(&current, expected_version)?;
    if !current.state.editable() {
        return Err(ApiError::conflict(format!(
            "the file cannot be changed while it is {} ({})",
            current.state.as_str(),
            current.state.label_vi()
        )));
    }
    let mut document = json!({
        "works_type": current.works_type, "title": current.title, "description": current.description,
        "geometry": current.geometry, "planned_start": current.planned_start, "planned_end": current.planned_end,
        "tower": current.tower, "proposed_assets": current.proposed_assets,
    });
    if patch.get("operator").is_some() {
        return Err(ApiError::invalid("operator", "the applicant cannot change"));
    }
    crate::assets::input::merge_patch(&mut document, patch);
    let input: ApplicationInput = crate::http::json::parse_json(document.to_string().as_bytes())?;
    input.check(&current.operator)?;
    let site = checked_site(&mut tx, &input.geometry).await?;
    sqlx::query(
        "update permit_application
         set works_type = $2, title = $3, description = $4, geom = g, ward_id = ward_for(g), planned_start = $6,
             planned_end = $7, tower = $8, proposed_assets = $9, version = version + 1, updated_at = now()
         from (select ST_SetSRID($5::geometry, 4326) as g) s
         where id = $1",
    )
    .bind(id)
    .bind(input.works_type.as_str())
    .bind(input.title.trim())
    .bind(&input.description)
    .bind(site.wkb())
    .bind(input.planned_start)
    .bind(input.planned_end)
    .bind(input.tower.as_ref().map(sqlx::types::Json))
    .bind(sqlx::types::Json(&input.proposed_assets))
    .execute(&mut *tx)
    .await?;
    record_event(
        &mut tx,
        id,
        "edit",
        Some(current.state),
        current.state,
        principal,
        None,
        None,
    )
    .await?;
    let application = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(Application {
        warnings: site.field_warnings("geometry"),
        ..application
    })
}

fn check_version(current: &Application, expected: Option<i32>) -> ApiResult<()> {
    match expected {
        Some(expected) if expected != current.version => Err(ApiError::VersionConflict {
            expected,
            current: current.version,
            changes: vec![crate::http::error::FieldProblem::new(
                "state",
                format!(
                    "the application is now {} (version {})",
                    current.state.as_str(),
                    current.version
                ),
            )],
        }),
        _ => Ok(()),
    }
}

/// The body of an action; which fields matter depends on the action.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// Why: missing documents, refusal reasons, changes asked for, extension reason, withdrawal reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// Permit conditions (grant).
    #[serde(default)]
    pub conditions: Option<String>,
    /// Last day the permit is valid for starting works (grant; default 12 months).
    #[serde(default)]
    pub validity_end: Option<NaiveDate>,
    /// Working days of an extension.
    #[serde(default)]
    pub days: Option<u32>,
    /// Day works started or were completed.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// As-built geometry of the proposed assets, by index (report_completion).
    #[serde(default)]
    pub as_built: Vec<AsBuilt>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PermitAsBuilt)]
pub struct AsBuilt {
    /// Index in `proposed_assets`.
    pub index: usize,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
}

fn required_text(value: &Option<String>, field: &str) -> ApiResult<String> {
    match value.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() && text.chars().count() <= 10_000 => Ok(text.to_string()),
        Some(text) if !text.is_empty() => {
            Err(ApiError::invalid(field, "is longer than 10000 characters"))
        }
        _ => Err(ApiError::invalid(field, "required: say why, in writing")),
    }
}

/// Moves an application by `action`, if its state allows it and the principal
/// is on the right side. Everything else is refused and changes nothing.
pub async fn act(
    pool: &PgPool,
    principal: &Principal,
    id: i64,
    action: PermitAction,
    expected_version: Option<i32>,
    input: ActionInput,
) -> ApiResult<Application> {
    let mut tx = pool.begin().await?;
    let current = load(&mut tx, id, true).await?;
    principal.may_read_application(current.operator_id, current.ward_id)?;
    match action.side() {
        Side::Applicant => principal.may_apply(current.operator_id)?,
        Side::Ward => principal.may_review(current.ward_id)?,
    }
    check_version(&current, expected_version)?;
    let day = today();
    let mut exempt = current.exempt;
    let mut findings = None;
    if action == PermitAction::Submit && current.state == PermitState::Draft {
        let found = checks::run(&mut tx, &current, day).await?;
        exempt = found.iter().any(|f| f.outcome == Outcome::Exempt);
        findings = Some(found);
    }
    let facts = lifecycle::Facts {
        exempt,
        ..current.facts()
    };
    let next = lifecycle::decide(&facts, action, day)
        .map_err(|refusal| ApiError::conflict(refusal.message(action, current.state)))?;
    let province = province_code(&mut tx, current.ward_id).await?;
    let mut note = None;
    let mut data = json!({});
    match action {
        PermitAction::Submit => {
            let findings = findings.as_deref().unwrap_or_default();
            checks::store(&mut tx, id, findings).await?;
            sqlx::query("update permit_application set exempt = $2 where id = $1")
                .bind(id)
                .bind(exempt)
                .execute(&mut *tx)
                .await?;
        }
        PermitAction::RequestSupplement => {
            note = Some(required_text(&input.reason, "reason")?);
            sqlx::query("update permit_application set supplement_requested = true where id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        PermitAction::Resubmit => {
            note = input.reason.clone();
            let found = checks::run(&mut tx, &current, day).await?;
            checks::store(&mut tx, id, &found).await?;
        }
        PermitAction::Grant => {
            let validity_end = input.validity_end.unwrap_or_else(|| {
                NaiveDate::from_ymd_opt(day.year() + 1, day.month(), day.day().min(28))
                    .unwrap_or(day)
            });
            if validity_end <= day {
                return Err(ApiError::invalid("validity_end", "must be after today"));
            }
            let number = permit_number(&mut tx, &current, day).await?;
            sqlx::query(
                "update permit_application set permit_number = $2, conditions = $3, validity_end = $4, decision_reasons = null where id = $1",
            )
            .bind(id)
            .bind(&number)
            .bind(input.conditions.as_deref().map(str::trim).filter(|c| !c.is_empty()))
            .bind(validity_end)
            .execute(&mut *tx)
            .await?;
            data = json!({"permit_number": number, "validity_end": validity_end});
        }
        PermitAction::Refuse | PermitAction::RequestModification => {
            let reasons = required_text(&input.reason, "reason")?;
            sqlx::query("update permit_application set decision_reasons = $2 where id = $1")
                .bind(id)
                .bind(&reasons)
                .execute(&mut *tx)
                .await?;
            note = Some(reasons);
        }
        PermitAction::Extend => {
            let rule =
                rules::require(&mut tx, "deadline.extension", province.as_deref(), day).await?;
            let max = rule.number("max_days").unwrap_or(10) as u32;
            let days = input.days.ok_or_else(|| {
                ApiError::invalid("days", "required: working days of the extension")
            })?;
            if days == 0 || days > max {
                return Err(ApiError::invalid(
                    "days",
                    format!("must be from 1 to {max} working days ({})", rule.citation),
                ));
            }
            note = Some(required_text(&input.reason, "reason")?);
            sqlx::query("update permit_application set extension_days = $2 where id = $1")
                .bind(id)
                .bind(days as i32)
                .execute(&mut *tx)
                .await?;
            data = json!({"days": days});
        }
        PermitAction::Withdraw => note = input.reason.clone(),
        PermitAction::Lapse => {}
        PermitAction::ReportStart => {
            let date = input.date.unwrap_or(day);
            if date > day {
                return Err(ApiError::invalid("date", "cannot be in the future"));
            }
            if current.validity_end.is_some_and(|end| date > end) {
                return Err(ApiError::invalid(
                    "date",
                    "is after the permit's validity ended; the permit has lapsed",
                ));
            }
            sqlx::query("update permit_application set works_started_on = $2 where id = $1")
                .bind(id)
                .bind(date)
                .execute(&mut *tx)
                .await?;
            data = json!({"date": date});
        }
        PermitAction::ReportCompletion => {
            let date = input.date.unwrap_or(day);
            if date > day || current.works_started_on.is_some_and(|start| date < start) {
                return Err(ApiError::invalid(
                    "date",
                    "must be between the start of works and today",
                ));
            }
            let assets = register_as_built(&mut tx, principal, &current, &input.as_built).await?;
            let copies = rules::require(
                &mut tx,
                "deadline.as_built_copies",
                province.as_deref(),
                day,
            )
            .await?;
            let calendar = Calendar::load(&mut tx).await?;
            let due = calendar.add_working_days(date, copies.number("days").unwrap_or(7) as u32);
            sqlx::query("update permit_application set works_completed_on = $2 where id = $1")
                .bind(id)
                .bind(date)
                .execute(&mut *tx)
                .await?;
            notifications::to_operator(
                &mut tx,
                current.operator_id,
                Some(id),
                "as_built_copies",
                &format!(
                    "Hồ sơ {}: gửi bản sao giấy phép và hồ sơ hoàn công cho Sở Xây dựng và Sở Khoa học và Công nghệ trước ngày {} ({}).",
                    current.reference,
                    due.format("%d/%m/%Y"),
                    copies.citation
                ),
                &format!(
                    "Application {}: send copies of the permit and as-built records to the construction and science departments by {due} ({}).",
                    current.reference, copies.citation
                ),
                Some(format!("copies:{id}")),
            )
            .await?;
            data = json!({"date": date, "assets": assets, "copies_due": due});
        }
        PermitAction::BeginCheck | PermitAction::Accept => {}
    }
    sqlx::query("update permit_application set state = $2, version = version + 1, updated_at = now() where id = $1")
        .bind(id)
        .bind(next.as_str())
        .execute(&mut *tx)
        .await?;
    record_event(
        &mut tx,
        id,
        action.as_str(),
        Some(current.state),
        next,
        principal,
        note.as_deref(),
        Some(&data),
    )
    .await?;
    super::notices::state_changed(&mut tx, &current, next, principal).await?;
    let application = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(application)
}

/// Registers the proposed assets, as built, for the applicant: status
/// operational, linked to the application.
async fn register_as_built(
    conn: &mut PgConnection,
    principal: &Principal,
    application: &Application,
    as_built: &[AsBuilt],
) -> ApiResult<Vec<i64>> {
    let proposed: Vec<ProposedAsset> = serde_json::from_value(application.proposed_assets.clone())
        .map_err(|e| ApiError::Internal(format!("stored proposed assets: {e}")))?;
    for adjusted in as_built {
        if adjusted.index >= proposed.len() {
            return Err(ApiError::invalid(
                "as_built",
                format!("index {} is not a proposed asset", adjusted.index),
            ));
        }
    }
    let mut ids = Vec::new();
    for (i, asset) in proposed.iter().enumerate() {
        let mut feature =
            with_operator(&asset.feature, &application.operator, &application.geometry);
        feature["properties"]["status"] = json!("operational");
        if let Some(adjusted) = as_built.iter().find(|a| a.index == i) {
            feature["geometry"] = adjusted.geometry.clone();
        }
        let note = feature["properties"]["note"].as_str().map(String::from);
        feature["properties"]["note"] = json!(match note {
            Some(note) => format!("{note} — Hoàn công theo hồ sơ {}", application.reference),
            None => format!("Hoàn công theo hồ sơ {}", application.reference),
        });
        let input = AssetInput::parse(asset.kind, feature).map_err(|e| match e {
            ApiError::Invalid(details) => ApiError::Invalid(
                details
                    .into_iter()
                    .map(|d| {
                        crate::http::error::FieldProblem::new(
                            format!("as_built[{i}].{}", d.field),
                            d.problem,
                        )
                    })
                    .collect(),
            ),
            other => other,
        })?;
        let stored = crate::assets::store::create_in(conn, asset.kind, &input, principal).await?;
        sqlx::query("insert into permit_asset (application_id, asset_id) values ($1, $2)")
            .bind(application.id)
            .bind(stored.id)
            .execute(&mut *conn)
            .await?;
        ids.push(stored.id);
    }
    Ok(ids)
}

async fn province_code(
    conn: &mut PgConnection,
    ward_id: Option<i64>,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select p.gso_code from admin_unit w join admin_unit p on p.id = w.parent_id where w.id = $1")
        .bind(ward_id)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// The next permit number of the ward for the year: `12/2026/GPXD-21031`.
async fn permit_number(
    conn: &mut PgConnection,
    application: &Application,
    day: NaiveDate,
) -> sqlx::Result<String> {
    let ward = application
        .ward_code
        .clone()
        .unwrap_or_else(|| "UBND".into());
    let suffix = format!("/{}/GPXD-{ward}", day.year());
    let count: i64 = sqlx::query_scalar(
        "select count(*) from permit_application where permit_number like '%' || $1",
    )
    .bind(&suffix)
    .fetch_one(conn)
    .await?;
    Ok(format!("{}{suffix}", count + 1))
}

#[allow(clippy::too_many_arguments)]
async fn record_event(
    conn: &mut PgConnection,
    id: i64,
    action: &str,
    from: Option<PermitState>,
    to: PermitState,
    principal: &Principal,
    note: Option<&str>,
    data: Option<&Value>,
) -> sqlx::Result<()> {
    let actor = principal.actor();
    sqlx::query(
        "insert into permit_event (application_id, action, from_state, to_state, actor, actor_user_id, day, note, data)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(action)
    .bind(from.map(PermitState::as_str))
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

/// One event of the timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
#[schema(as = PermitEvent)]
pub struct Event {
    pub id: i64,
    pub action: String,
    #[schema(required = true)]
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub day: NaiveDate,
    #[schema(required = true)]
    pub note: Option<String>,
    #[schema(value_type = Option<Object>)]
    #[schema(required = true)]
    pub data: Option<sqlx::types::Json<Value>>,
}

pub async fn events(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as("select id, action, from_state, to_state, actor, at, day, note, data from permit_event where application_id = $1 order by id")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// The durations in force for an application (rules on its submission day).
pub async fn durations(
    conn: &mut PgConnection,
    province: Option<&str>,
    on: NaiveDate,
) -> ApiResult<Durations> {
    let completeness = rules::require(conn, "deadline.completeness", province, on).await?;
    let decision = rules::require(conn, "deadline.decision", province, on).await?;
    let warning = rules::find(conn, "deadline.warning", province, on).await?;
    Ok(Durations {
        completeness: completeness.number("days").unwrap_or(7) as u32,
        decision: decision.number("days").unwrap_or(20) as u32,
        warning: warning.and_then(|w| w.number("days")).unwrap_or(2) as u32,
    })
}

/// The clock of an application, from its timeline.
pub async fn clock_of(
    conn: &mut PgConnection,
    calendar: &Calendar,
    application: &Application,
    events: &[Event],
) -> ApiResult<Clock> {
    let clock_events: Vec<ClockEvent> = events
        .iter()
        .filter_map(|e| {
            let action = PermitAction::parse(&e.action)?;
            let extension_days = e
                .data
                .as_ref()
                .and_then(|d| d.0["days"].as_u64())
                .unwrap_or(0) as u32;
            Some(ClockEvent {
                action,
                day: e.day,
                extension_days,
            })
        })
        .collect();
    let submitted = clock_events
        .iter()
        .find(|e| e.action == PermitAction::Submit)
        .map(|e| e.day)
        .unwrap_or_else(today);
    let province = province_code(conn, application.ward_id).await?;
    let durations = durations(conn, province.as_deref(), submitted).await?;
    Ok(clock::compute(
        calendar,
        durations,
        &clock_events,
        application.state,
        application.exempt,
        today(),
    ))
}

/// The ward's daily chores: lapse permits whose validity ended without works,
/// and warn reviewers of cases about to breach or breached.
pub async fn housekeeping(pool: &PgPool) -> ApiResult<()> {
    let mut conn = pool.acquire().await?;
    let day = today();
    let candidates: Vec<i64> = sqlx::query_scalar(
        "select id from permit_application where state = any($2) and validity_end < $1 and works_started_on is null",
    )
    .bind(day)
    .bind(lifecycle::names(&lifecycle::states_allowing(PermitAction::Lapse)))
    .fetch_all(&mut *conn)
    .await?;
    for id in candidates {
        let mut tx = pool.begin().await?;
        let current = load(&mut tx, id, true).await?;
        let Ok(next) = lifecycle::decide(&current.facts(), PermitAction::Lapse, day) else {
            continue;
        };
        sqlx::query("update permit_application set state = $2, version = version + 1, updated_at = now() where id = $1")
            .bind(id)
            .bind(next.as_str())
            .execute(&mut *tx)
            .await?;
        record_event(
            &mut tx,
            id,
            PermitAction::Lapse.as_str(),
            Some(current.state),
            next,
            &Principal::Public,
            Some("Hết thời hạn khởi công"),
            None,
        )
        .await?;
        super::notices::state_changed(&mut tx, &current, next, &Principal::Public).await?;
        tx.commit().await?;
    }
    let pending: Vec<Row> = sqlx::query_as(&format!("{SELECT} where p.state = any($1)"))
        .bind(lifecycle::names(lifecycle::CLOCK_RUNNING))
        .fetch_all(&mut *conn)
        .await?;
    let calendar = Calendar::load(&mut conn).await?;
    for row in pending {
        let application: Application = row.try_into()?;
        let events = events(&mut conn, application.id).await?;
        let clock = clock_of(&mut conn, &calendar, &application, &events).await?;
        if matches!(clock.status, ClockStatus::AtRisk | ClockStatus::Breached) {
            super::notices::deadline(&mut conn, &application, &clock).await?;
        }
    }
    Ok(())
}
