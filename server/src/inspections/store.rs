//! Inspection rounds, their worklists and findings in PostgreSQL. Recording
//! a finding is one transaction: the answers, the photos, a violation for
//! each rule broken, and — on a follow-up round — the verdict on the
//! violation it came to check.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;

use crate::assets::history::diff;
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, Code, FieldProblem, Problem, Problems};
use crate::photos::{self, Owner, PhotoMeta, PhotoTaken, PhotoUpload};
use crate::policy::{Principal, Role};
use crate::violations::state::{ViolationAction, ViolationState};
use crate::violations::store::{self as violations, NewViolation};

/// A checklist item: a rule with its legal basis. (Named `InspectionRule` in
/// the description: `Rule` is the rules module's setting.)
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
#[schema(as = InspectionRule)]
pub struct Rule {
    pub rule_key: String,
    pub asset_kinds: Vec<String>,
    pub title_vi: String,
    pub title_en: String,
    pub guidance_vi: Option<String>,
    pub citation: String,
    /// Not yet checked against the text of the regulation.
    pub provisional: bool,
    /// `violation`: failing it opens a violation; `advice`: noted only.
    pub severity: String,
    pub fix_days: i32,
}

/// The rules in force, in checklist order.
pub async fn rules(conn: &mut PgConnection) -> sqlx::Result<Vec<Rule>> {
    sqlx::query_as(
        "select rule_key, asset_kinds, title_vi, title_en, guidance_vi, citation, provisional, severity, fix_days
         from inspection_rule where valid_from <= current_date and (valid_to is null or valid_to >= current_date)
         order by sort, rule_key",
    )
    .fetch_all(conn)
    .await
}

/// A round as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Round {
    pub id: i64,
    /// KT-2026-000123.
    pub reference: String,
    pub title: String,
    pub category: String,
    #[schema(value_type = Object)]
    pub geometry: sqlx::types::Json<Value>,
    pub corridor_m: f64,
    #[serde(skip)]
    pub ward_id: Option<i64>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub planned_on: NaiveDate,
    pub inspector: Option<String>,
    pub inspector_name: Option<String>,
    pub state: String,
    pub sample_percent: Option<i32>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub item_count: i64,
    pub finding_count: i64,
}

const SELECT: &str = "select r.id, r.reference, r.title, r.category, ST_AsGeoJSON(r.geom, 7)::json as geometry, r.corridor_m,
        r.ward_id, w.gso_code as ward_code, w.name as ward_name, r.planned_on, u.username as inspector,
        u.display_name as inspector_name, r.state, r.sample_percent, r.note, r.created_at, r.updated_at, r.version,
        (select count(*) from inspection_item i where i.round_id = r.id) as item_count,
        (select count(*) from inspection_finding f where f.round_id = r.id) as finding_count
     from inspection_round r
     left join admin_unit w on w.id = r.ward_id
     left join app_user u on u.id = r.inspector_id";

pub async fn load(conn: &mut PgConnection, id: i64) -> ApiResult<Round> {
    sqlx::query_as(&format!("{SELECT} where r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no inspection round {id}")))
}

/// A round to plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundInput {
    pub title: String,
    /// `routine`, `sample` (a random share of the assets), `complaint`, `follow_up`, `permit`.
    pub category: String,
    /// The area (a polygon) or the street (a line), GeoJSON in WGS84.
    #[schema(value_type = Object)]
    pub geometry: Value,
    /// For a street: metres either side (20 by default).
    #[serde(default)]
    pub corridor_m: Option<f64>,
    pub planned_on: NaiveDate,
    /// The inspector's username (a reviewer of the ward); the planner when absent.
    #[serde(default)]
    pub inspector: Option<String>,
    /// For a sample round: the share of assets to look at, percent.
    #[serde(default)]
    pub sample_percent: Option<i32>,
    #[serde(default)]
    pub note: Option<String>,
}

const CATEGORIES: [&str; 5] = ["routine", "sample", "complaint", "follow_up", "permit"];

/// Plans a round and fills its worklist: every asset in the area, or a random sample.
pub async fn create(pool: &PgPool, principal: &Principal, input: RoundInput) -> ApiResult<Round> {
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
    if !CATEGORIES.contains(&input.category.as_str()) {
        problems.add(
            "category",
            Problem::unknown_value(&input.category, &CATEGORIES),
        );
    }
    if input
        .corridor_m
        .is_some_and(|c| !(1.0..=500.0).contains(&c))
    {
        problems.add("corridor_m", Problem::out_of_range(1, 500, Some("m")));
    }
    match (input.category.as_str(), input.sample_percent) {
        ("sample", None) => problems.add(
            "sample_percent",
            Problem::new(Code::Required, "required for a sample round").with("category", "sample"),
        ),
        (_, Some(p)) if !(1..=100).contains(&p) => {
            problems.add("sample_percent", Problem::out_of_range(1, 100, Some("%")))
        }
        _ => {}
    }
    let mut tx = changes::begin(pool, principal).await?;
    let checked: (Option<String>, Option<String>) = sqlx::query_as(
        "select ST_AsEWKT(c.geom), c.problem from checked_geometry(ST_GeomFromGeoJSON($1), 4326) c",
    )
    .bind(input.geometry.to_string())
    .fetch_one(&mut *tx)
    .await
    .unwrap_or((None, Some("is not a GeoJSON geometry".into())));
    if let Some(problem) = &checked.1 {
        problems.add("geometry", problem.clone());
    }
    let inspector: Option<i64> = match input
        .inspector
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(username) => {
            let found: Option<(i64, String)> = sqlx::query_as(
                "select id, role from app_user where username = $1 and disabled_at is null",
            )
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
            match found {
                Some((id, role)) if role == "reviewer" || role == "admin" => Some(id),
                Some(_) => {
                    problems.add(
                        "inspector",
                        Problem::new(
                            Code::WrongRole,
                            "must be a reviewer (the ward's construction staff)",
                        )
                        .with("role", "reviewer"),
                    );
                    None
                }
                None => {
                    problems.add("inspector", Problem::not_found("user", username));
                    None
                }
            }
        }
        None => principal.user().map(|u| u.id),
    };
    problems.into_result(())?;
    let geom = checked.0.unwrap_or_default();
    let ward_id: Option<i64> =
        sqlx::query_scalar("select ward_for(ST_PointOnSurface(ST_GeomFromEWKT($1)))")
            .bind(&geom)
            .fetch_one(&mut *tx)
            .await?;
    principal.may_handle_field_work(ward_id)?;
    let id: i64 = sqlx::query_scalar(
        "insert into inspection_round (reference, title, category, geom, corridor_m, ward_id, planned_on, inspector_id,
                                       sample_percent, note, created_by)
         values ('pending-' || gen_random_uuid(), $1, $2, ST_GeomFromEWKT($3), $4, $5, $6, $7, $8, $9, $10)
         returning id",
    )
    .bind(input.title.trim())
    .bind(&input.category)
    .bind(&geom)
    .bind(input.corridor_m.unwrap_or(20.0))
    .bind(ward_id)
    .bind(input.planned_on)
    .bind(inspector)
    .bind(input.sample_percent)
    .bind(input.note.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("update inspection_round set reference = format('KT-%s-%s', extract(year from created_at)::int, lpad(id::text, 6, '0')) where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // The worklist: assets in the area (a line or a point: within the corridor).
    sqlx::query(
        "with r as (select * from inspection_round where id = $1),
         inside as (
             select a.id from asset a, r
             where a.status <> 'decommissioned'
               and a.geom && (case when GeometryType(r.geom) in ('POLYGON', 'MULTIPOLYGON') then r.geom
                                   else metres_box(r.geom, r.corridor_m) end)
               and case when GeometryType(r.geom) in ('POLYGON', 'MULTIPOLYGON') then ST_Intersects(a.geom, r.geom)
                        else ST_DWithin(a.geom::geography, r.geom::geography, r.corridor_m) end),
         chosen as (
             select id from inside
             order by case when (select sample_percent from r) is null then 0 else random() end
             limit (select case when r.sample_percent is null then 100000
                                else greatest(1, ceil((select count(*) from inside) * r.sample_percent / 100.0))::int end from r))
         insert into inspection_item (round_id, asset_id) select $1, id from chosen",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let round = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(round)
}

fn staff_only() -> ApiError {
    ApiError::forbidden(
        Problem::new(
            Code::RoleMayNot,
            "inspection rounds are for the ward's staff",
        )
        .with("action", "read_inspections"),
    )
}

/// Rounds the caller may see: the ward's staff in scope (their own first).
pub async fn list(
    conn: &mut PgConnection,
    principal: &Principal,
    mine: bool,
) -> ApiResult<Vec<Round>> {
    let Principal::User(user) = principal else {
        return Err(principal.require_login().err().unwrap_or_else(staff_only));
    };
    if !matches!(user.role, Role::Admin | Role::Reviewer | Role::Planner) {
        return Err(staff_only());
    }
    let all = user.role == Role::Admin;
    Ok(sqlx::query_as(&format!(
        "{SELECT} where ($1 or r.ward_id = any($2)) and (not $3 or r.inspector_id = $4)
         order by r.state in ('completed', 'cancelled'), r.planned_on, r.id limit 500"
    ))
    .bind(all)
    .bind(&user.scope_wards)
    .bind(mine)
    .bind(user.id)
    .fetch_all(conn)
    .await?)
}

/// An asset of a worklist, with what the inspector needs offline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Item {
    pub asset_id: i64,
    pub kind: String,
    pub code: String,
    pub name: Option<String>,
    pub operator: String,
    pub status: String,
    /// The version the inspector sees (sent back with the finding).
    pub version: i32,
    pub lon: f64,
    pub lat: f64,
    /// The violation a follow-up round checks here.
    pub violation_id: Option<i64>,
    /// Operators whose cables this pole carries (who a missing label may belong to).
    pub cable_operators: Vec<String>,
    pub finding_count: i64,
}

pub async fn items(conn: &mut PgConnection, round: i64) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as(
        "select a.id as asset_id, a.kind, a.code, a.name, o.code as operator, a.status, a.version,
                ST_X(ST_PointOnSurface(a.geom)) as lon, ST_Y(ST_PointOnSurface(a.geom)) as lat, i.violation_id,
                coalesce((select array_agg(distinct co.code order by co.code) from cable_support s
                          join asset c on c.id = s.cable_id join operator co on co.id = c.owner_id
                          where s.support_id = a.id and c.status <> 'decommissioned'), '{}') as cable_operators,
                (select count(*) from inspection_finding f where f.round_id = i.round_id and f.asset_id = a.id) as finding_count
         from inspection_item i join asset a on a.id = i.asset_id join operator o on o.id = a.owner_id
         where i.round_id = $1
         order by a.kind, a.code",
    )
    .bind(round)
    .fetch_all(conn)
    .await
}

/// A finding as stored, with its answers and photos.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finding {
    pub id: i64,
    pub round_id: i64,
    pub asset_id: Option<i64>,
    pub asset_code: Option<String>,
    pub asset_version: Option<i32>,
    pub lon: f64,
    pub lat: f64,
    pub note: Option<String>,
    pub responsible_operator: Option<String>,
    pub observed_at: DateTime<Utc>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    /// rule_key → pass, fail or not_applicable.
    #[schema(value_type = Object)]
    pub answers: Value,
    pub photos: Vec<PhotoMeta>,
    /// The violations it opened.
    pub violations: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct FindingRow {
    id: i64,
    round_id: i64,
    asset_id: Option<i64>,
    asset_code: Option<String>,
    asset_version: Option<i32>,
    lon: f64,
    lat: f64,
    note: Option<String>,
    responsible_operator: Option<String>,
    observed_at: DateTime<Utc>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    answers: sqlx::types::Json<Value>,
    violations: Vec<String>,
}

pub async fn findings(
    conn: &mut PgConnection,
    round: Option<i64>,
    id: Option<i64>,
) -> sqlx::Result<Vec<Finding>> {
    let rows: Vec<FindingRow> = sqlx::query_as(
        "select f.id, f.round_id, f.asset_id, a.code as asset_code, f.asset_version, ST_X(f.geom) as lon, ST_Y(f.geom) as lat,
                f.note, o.code as responsible_operator, f.observed_at, u.username as created_by, f.created_at,
                coalesce((select json_object_agg(x.rule_key, x.result) from inspection_answer x where x.finding_id = f.id), '{}') as answers,
                coalesce((select array_agg(v.reference order by v.id) from violation v where v.finding_id = f.id), '{}') as violations
         from inspection_finding f
         left join asset a on a.id = f.asset_id
         left join operator o on o.id = f.responsible_operator_id
         left join app_user u on u.id = f.created_by
         where ($1::bigint is null or f.round_id = $1) and ($2::bigint is null or f.id = $2)
         order by f.id",
    )
    .bind(round)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let photos = photos::list(conn, Owner::Finding(r.id)).await?;
        out.push(Finding {
            id: r.id,
            round_id: r.round_id,
            asset_id: r.asset_id,
            asset_code: r.asset_code,
            asset_version: r.asset_version,
            lon: r.lon,
            lat: r.lat,
            note: r.note,
            responsible_operator: r.responsible_operator,
            observed_at: r.observed_at,
            created_by: r.created_by,
            created_at: r.created_at,
            answers: r.answers.0,
            photos,
            violations: r.violations,
        });
    }
    Ok(out)
}

/// Photos of a finding: the ward's staff in scope, and the operator it names.
pub async fn check_finding_access(
    conn: &mut PgConnection,
    principal: &Principal,
    finding: i64,
) -> ApiResult<()> {
    let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
        "select r.ward_id, f.responsible_operator_id, a.owner_id from inspection_finding f
         join inspection_round r on r.id = f.round_id left join asset a on a.id = f.asset_id where f.id = $1",
    )
    .bind(finding)
    .fetch_optional(conn)
    .await?;
    let (ward, responsible, owner) =
        row.ok_or_else(|| ApiError::not_found(format!("there is no finding {finding}")))?;
    if principal.may_read_field_work(ward)
        || principal.acts_for(responsible)
        || principal.acts_for(owner)
    {
        Ok(())
    } else {
        principal.require_login()?;
        Err(ApiError::forbidden(Problem::new(
            Code::NotOwnOperator,
            "this finding does not concern your operator",
        )))
    }
}

/// What an inspector records at one asset (or one place).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    #[serde(default)]
    pub asset_id: Option<i64>,
    /// The asset's version the inspector saw; if it changed since, the finding
    /// is refused with the changes (409) until sent with `confirm_changed`.
    #[serde(default)]
    pub asset_version: Option<i32>,
    /// The person saw the changes and keeps the finding.
    #[serde(default)]
    pub confirm_changed: bool,
    /// Where; the asset's place when absent.
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// rule_key → `pass`, `fail` or `not_applicable`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Whose cable or asset broke the rule, when not the asset's owner (a cable on someone's pole).
    #[serde(default)]
    pub responsible_operator: Option<String>,
    /// When it was seen (offline findings are sent later).
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub photos: Vec<PhotoTaken>,
}

/// A finding recorded, and what it set off.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recorded {
    pub finding: Finding,
    /// Violations opened for the rules it broke.
    pub opened: Vec<String>,
    /// Violations it found put right (closed) or not (opened again).
    pub verified: Vec<String>,
    pub rejected: Vec<String>,
}

/// Records a finding; a retry with the same `client_key` returns the first.
pub async fn record_finding(
    pool: &PgPool,
    principal: &Principal,
    round_id: i64,
    input: FindingInput,
    photos: Vec<PhotoUpload>,
    client_key: Option<&str>,
) -> ApiResult<Recorded> {
    let mut tx = changes::begin(pool, principal).await?;
    let round = load(&mut tx, round_id).await?;
    principal.may_handle_field_work(round.ward_id)?;
    if let Some(key) = client_key {
        let existing: Option<(i64, i64)> =
            sqlx::query_as("select id, round_id from inspection_finding where client_key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((id, existing_round)) = existing {
            if existing_round != round_id {
                return Err(ApiError::invalid(
                    "Idempotency-Key",
                    Problem::new(
                        Code::IdempotencyKeyReused,
                        "was used for a finding of another round",
                    ),
                ));
            }
            let finding = findings(&mut tx, None, Some(id)).await?.remove(0);
            return Ok(Recorded {
                opened: finding.violations.clone(),
                finding,
                verified: vec![],
                rejected: vec![],
            });
        }
    }
    if matches!(round.state.as_str(), "completed" | "cancelled") {
        return Err(ApiError::conflict(
            Problem::new(
                Code::WrongState,
                format!(
                    "the round is {}; findings go into an open round",
                    round.state
                ),
            )
            .with("state", round.state.clone())
            .with("action", "record"),
        ));
    }
    let rules = rules(&mut tx).await?;
    let mut problems = Problems::new();
    // The asset, and whether it changed since the inspector saw it.
    let asset: Option<(String, i64, i32, f64, f64, String)> = match input.asset_id {
        Some(id) => {
            let found = sqlx::query_as(
                "select kind, owner_id, version, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)), ST_AsEWKT(geom)
                 from asset where id = $1",
            )
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
    if let (Some(asset), Some(seen)) = (&asset, input.asset_version)
        && seen != asset.2
        && !input.confirm_changed
    {
        /// A change to the asset since the version the inspector saw.
        type Since = (String, chrono::DateTime<Utc>, Option<Value>, Option<Value>);
        let rows: Vec<Since> = sqlx::query_as(
            "select actor, at, before, after from asset_history where asset_id = $1 and version > $2 order by id",
        )
        .bind(input.asset_id)
        .bind(seen)
        .fetch_all(&mut *tx)
        .await?;
        let mut changes = Vec::new();
        for (actor, at, before, after) in rows {
            for change in diff(before.as_ref(), after.as_ref()) {
                let at = at.format("%d/%m/%Y %H:%M").to_string();
                changes.push(FieldProblem::new(
                    change.field.clone(),
                    Problem::new(
                        Code::Changed,
                        format!("{} → {} ({actor}, {at})", change.before, change.after),
                    )
                    .with("before", change.before.clone())
                    .with("after", change.after.clone())
                    .with("actor", actor.clone())
                    .with("at", at),
                ));
            }
        }
        return Err(ApiError::VersionConflict {
            expected: seen,
            current: asset.2,
            changes,
        });
    }
    let kind = asset.as_ref().map(|a| a.0.clone());
    for (key, result) in &input.answers {
        match rules.iter().find(|r| &r.rule_key == key) {
            None => problems.add(
                format!("answers.{key}"),
                Problem::new(Code::UnknownValue, "is not a checklist item")
                    .with("value", key.clone()),
            ),
            Some(rule) if kind.as_ref().is_some_and(|k| !rule.asset_kinds.contains(k)) => {
                let kind = kind.as_deref().unwrap_or("");
                problems.add(
                    format!("answers.{key}"),
                    Problem::new(Code::NotApplicable, format!("does not apply to a {kind}"))
                        .with("rule", key.clone())
                        .with("kind", kind),
                )
            }
            _ => {}
        }
        if !["pass", "fail", "not_applicable"].contains(&result.as_str()) {
            problems.add(
                format!("answers.{key}"),
                Problem::new(Code::UnknownValue, "pass, fail or not_applicable")
                    .with("value", result.clone())
                    .with("allowed", ["pass", "fail", "not_applicable"].to_vec()),
            );
        }
    }
    if input.answers.is_empty() && input.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        problems.add(
            "answers",
            Problem::new(Code::Required, "answer the checklist, or write a note"),
        );
    }
    let (lon, lat) = match (input.lon, input.lat, &asset) {
        (Some(lon), Some(lat), _) => (lon, lat),
        (_, _, Some(asset)) => (asset.3, asset.4),
        _ => {
            problems.add(
                "lon",
                Problem::new(Code::Required, "required when no asset is named"),
            );
            (0.0, 0.0)
        }
    };
    let responsible: Option<i64> = match input
        .responsible_operator
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => {
            let found = sqlx::query_scalar("select id from operator where code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                problems.add("responsible_operator", Problem::not_found("operator", code));
            }
            found
        }
        None => asset.as_ref().map(|a| a.1),
    };
    let breaks: Vec<&Rule> = input
        .answers
        .iter()
        .filter(|(_, r)| r.as_str() == "fail")
        .filter_map(|(k, _)| rules.iter().find(|r| &r.rule_key == k))
        .filter(|r| r.severity == "violation")
        .collect();
    if !breaks.is_empty() && responsible.is_none() {
        problems.add(
            "responsible_operator",
            Problem::new(
                Code::Required,
                "required: the finding breaks a rule and no operator owns what was inspected",
            ),
        );
    }
    if input
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 4000)
    {
        problems.add("note", Problem::too_long(4000));
    }
    problems.into_result(())?;
    let finding_id: i64 = sqlx::query_scalar(
        "insert into inspection_finding (round_id, asset_id, asset_version, geom, note, responsible_operator_id, observed_at,
                                         created_by, client_key)
         values ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, coalesce($8, now()), $9, $10)
         returning id",
    )
    .bind(round_id)
    .bind(input.asset_id)
    .bind(asset.as_ref().map(|a| a.2))
    .bind(lon)
    .bind(lat)
    .bind(input.note.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    .bind(responsible)
    .bind(input.observed_at)
    .bind(principal.user().map(|u| u.id))
    .bind(client_key)
    .fetch_one(&mut *tx)
    .await?;
    for (key, result) in &input.answers {
        sqlx::query(
            "insert into inspection_answer (finding_id, rule_key, result) values ($1, $2, $3)",
        )
        .bind(finding_id)
        .bind(key)
        .bind(result)
        .execute(&mut *tx)
        .await?;
    }
    for photo in &photos {
        photos::store(
            &mut tx,
            Owner::Finding(finding_id),
            "finding",
            photo,
            principal.user().map(|u| u.id),
        )
        .await?;
    }
    if round.state == "planned" {
        sqlx::query("update inspection_round set state = 'in_progress', version = version + 1, updated_at = now() where id = $1")
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
    }
    let geom = asset
        .as_ref()
        .map(|a| a.5.clone())
        .unwrap_or_else(|| format!("SRID=4326;POINT({lon} {lat})"));
    let mut opened = Vec::new();
    for rule in &breaks {
        // On a follow-up, a rule still broken is the open violation's, not a new one.
        let already: Option<i64> = sqlx::query_scalar(
            "select id from violation where asset_id = $1 and rule_key = $2 and state in ('open', 'fixed') limit 1",
        )
        .bind(input.asset_id)
        .bind(&rule.rule_key)
        .fetch_optional(&mut *tx)
        .await?;
        if already.is_some() {
            continue;
        }
        let violation = violations::open(
            &mut tx,
            principal,
            NewViolation {
                source: "inspection",
                finding_id: Some(finding_id),
                incident_id: None,
                detection_key: None,
                rule_key: Some(rule.rule_key.clone()),
                asset_id: input.asset_id,
                permit_id: None,
                operator_id: responsible.unwrap_or_default(),
                geom_ewkt: geom.clone(),
                title: format!("Không đạt: {}", rule.title_vi),
                legal_basis: rule.citation.clone(),
                description: input.note.clone().unwrap_or_default(),
                fix_days: rule.fix_days as u32,
            },
        )
        .await?;
        opened.push(violation.reference);
    }
    // The verdict on violations of this asset whose rule was checked again.
    let (mut verified, mut rejected) = (Vec::new(), Vec::new());
    if let Some(asset_id) = input.asset_id {
        let pending: Vec<(i64, String, String, i32)> = sqlx::query_as(
            "select id, rule_key, state, version from violation where asset_id = $1 and state in ('open', 'fixed') and rule_key is not null
               and coalesce(finding_id, 0) <> $2",
        )
        .bind(asset_id)
        .bind(finding_id)
        .fetch_all(&mut *tx)
        .await?;
        for (id, rule_key, state, _) in pending {
            let Some(answer) = input.answers.get(&rule_key) else {
                continue;
            };
            let note = format!("Kiểm tra tại hiện trường ({}).", round.reference);
            let step = crate::violations::store::StepInput {
                note: Some(note),
                ..Default::default()
            };
            match (answer.as_str(), ViolationState::parse(&state)) {
                ("pass", Some(_)) => {
                    let v = violations::step(
                        &mut tx,
                        principal,
                        id,
                        ViolationAction::Verify,
                        None,
                        step,
                        &[],
                    )
                    .await?;
                    verified.push(v.reference);
                }
                ("fail", Some(ViolationState::Fixed)) => {
                    let v = violations::step(
                        &mut tx,
                        principal,
                        id,
                        ViolationAction::RejectFix,
                        None,
                        step,
                        &[],
                    )
                    .await?;
                    rejected.push(v.reference);
                }
                _ => {}
            }
        }
    }
    let finding = findings(&mut tx, None, Some(finding_id)).await?.remove(0);
    tx.commit().await?;
    Ok(Recorded {
        finding,
        opened,
        verified,
        rejected,
    })
}

/// Moves a round: `start`, `complete`, `cancel`.
pub async fn act(pool: &PgPool, principal: &Principal, id: i64, action: &str) -> ApiResult<Round> {
    let mut tx = changes::begin(pool, principal).await?;
    let round = load(&mut tx, id).await?;
    principal.may_handle_field_work(round.ward_id)?;
    let to = match (round.state.as_str(), action) {
        ("planned", "start") => "in_progress",
        ("planned" | "in_progress", "complete") => "completed",
        ("planned" | "in_progress", "cancel") => "cancelled",
        (_, "start" | "complete" | "cancel") => {
            return Err(ApiError::conflict(
                Problem::new(
                    Code::WrongState,
                    format!("cannot {action} a round that is {}", round.state),
                )
                .with("state", round.state.clone())
                .with("action", action),
            ));
        }
        _ => {
            return Err(ApiError::not_found(
                Problem::new(
                    Code::NotFound,
                    format!("unknown action {action:?}; one of start, complete, cancel"),
                )
                .with("action", action)
                .with("allowed", ["start", "complete", "cancel"].to_vec()),
            ));
        }
    };
    sqlx::query("update inspection_round set state = $2, version = version + 1, updated_at = now() where id = $1")
        .bind(id)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    let round = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(round)
}

/// Figures per operator and per ward: assets checked, checks failed,
/// violations open, overdue and closed, and the median working days to put one right.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct StatRow {
    pub key: String,
    pub name: String,
    pub findings: i64,
    pub checks: i64,
    pub failed_checks: i64,
    pub violations: i64,
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
    /// Median calendar days from opening to closing.
    pub median_days_to_close: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Stats {
    pub by_operator: Vec<StatRow>,
    pub by_ward: Vec<StatRow>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub async fn stats(
    conn: &mut PgConnection,
    principal: &Principal,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ApiResult<Stats> {
    principal.may_see_field_statistics()?;
    let (all, wards) = match principal {
        Principal::User(user) => (user.role == Role::Admin, user.scope_wards.clone()),
        _ => (false, vec![]),
    };
    let query = |group: &str| {
        format!(
            "with f as (
                 select f.*, r.ward_id, coalesce(f.responsible_operator_id, a.owner_id) as operator_id
                 from inspection_finding f join inspection_round r on r.id = f.round_id left join asset a on a.id = f.asset_id
                 where ($1 or r.ward_id = any($2)) and ($3::date is null or f.observed_at::date >= $3) and ($4::date is null or f.observed_at::date <= $4)),
             checks as (select f.{group} as k, count(distinct f.id) as findings, count(x.*) as checks,
                               count(x.*) filter (where x.result = 'fail') as failed
                        from f left join inspection_answer x on x.finding_id = f.id group by 1),
             v as (select v.{group} as k, count(*) as violations,
                          count(*) filter (where v.state in ('open', 'fixed')) as open,
                          count(*) filter (where v.state = 'open' and v.fix_due < current_date) as overdue,
                          count(*) filter (where v.state = 'closed') as closed,
                          percentile_cont(0.5) within group (order by (v.closed_on - v.opened_on)) filter (where v.state = 'closed') as median
                   from violation v
                   where ($1 or v.ward_id = any($2)) and ($3::date is null or v.opened_on >= $3) and ($4::date is null or v.opened_on <= $4)
                   group by 1),
             keys as (select k from checks union select k from v)
             select {key} as key, {name} as name, coalesce(c.findings, 0) as findings, coalesce(c.checks, 0) as checks,
                    coalesce(c.failed, 0) as failed_checks, coalesce(v.violations, 0) as violations, coalesce(v.open, 0) as open,
                    coalesce(v.overdue, 0) as overdue, coalesce(v.closed, 0) as closed, v.median as median_days_to_close
             from keys left join checks c on c.k = keys.k left join v on v.k = keys.k {join}
             where keys.k is not null order by 2",
            key = if group == "operator_id" { "o.code" } else { "coalesce(w.gso_code, '')" },
            name = if group == "operator_id" { "o.short_name" } else { "coalesce(w.name, '')" },
            join = if group == "operator_id" { "join operator o on o.id = keys.k" } else { "join admin_unit w on w.id = keys.k" },
        )
    };
    let by_operator = sqlx::query_as(&query("operator_id"))
        .bind(all)
        .bind(&wards)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
    let by_ward = sqlx::query_as(&query("ward_id"))
        .bind(all)
        .bind(&wards)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Stats {
        by_operator,
        by_ward,
        from,
        to,
    })
}

/// JSON for a checklist per asset kind.
pub fn checklists(rules: &[Rule]) -> Value {
    let mut out = serde_json::Map::new();
    for kind in [
        "tower", "pole", "duct", "manhole", "trench", "cable", "cabinet",
    ] {
        let keys: Vec<&str> = rules
            .iter()
            .filter(|r| r.asset_kinds.iter().any(|k| k == kind))
            .map(|r| r.rule_key.as_str())
            .collect();
        out.insert(kind.into(), json!(keys));
    }
    Value::Object(out)
}
