//! The checklist rules (table `inspection_rule`), edited by the
//! administrators: what each kind of asset is checked for, its legal basis,
//! whether a failure opens a violation, and the working days to put it right.
//!
//! A rule's key never changes and a rule is never deleted (findings keep their
//! answers to it): it is retired by giving it an end date (`valid_to`). Every
//! change goes into the audit history (`change_log`, trigger of migration 0040).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;

use crate::assets::AssetKind;
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use crate::validation::{Code, Problem, Problems};

/// A checklist rule, with how many answers refer to it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ChecklistRule {
    pub rule_key: String,
    /// The kinds of asset it applies to (`pole`, `cable`, …).
    pub asset_kinds: Vec<String>,
    pub title_vi: String,
    pub title_en: String,
    pub guidance_vi: Option<String>,
    /// The document and clause it comes from.
    pub citation: String,
    /// Not yet checked against the text of the regulation.
    pub provisional: bool,
    /// `violation` (a failure opens one) or `advice` (noted only).
    pub severity: String,
    /// Working days to put a failure right.
    pub fix_days: i32,
    /// Its place in the checklist (smaller first).
    pub sort: i32,
    pub valid_from: NaiveDate,
    /// The last day it applies; none while in force.
    pub valid_to: Option<NaiveDate>,
    /// Answers given to it at inspections.
    pub answers: i64,
}

/// A rule to add, or the new state of one (`rule_key` only when adding).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRuleInput {
    /// Lower-case words with dots: `cable.owner_label`. Only when adding; it never changes.
    #[serde(default)]
    pub rule_key: Option<String>,
    pub asset_kinds: Vec<String>,
    pub title_vi: String,
    pub title_en: String,
    #[serde(default)]
    pub guidance_vi: Option<String>,
    pub citation: String,
    /// True until someone checked the clause against the text (true when absent).
    #[serde(default = "yes")]
    pub provisional: bool,
    /// `violation` (default) or `advice`.
    #[serde(default = "violation")]
    pub severity: String,
    /// 1 to 365 working days (10 when absent).
    #[serde(default = "ten")]
    pub fix_days: i32,
    #[serde(default)]
    pub sort: Option<i32>,
    /// From when it applies (today when absent).
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
}

fn yes() -> bool {
    true
}
fn violation() -> String {
    "violation".into()
}
fn ten() -> i32 {
    10
}

const SEVERITIES: [&str; 2] = ["violation", "advice"];

fn text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 100
        && key.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

impl ChecklistRuleInput {
    /// Every problem at once (the key's only when `adding`).
    fn check(&self, adding: bool) -> Result<(), ApiError> {
        let mut problems = Problems::new();
        if adding {
            match text(&self.rule_key) {
                None => problems.add("rule_key", Problem::required()),
                Some(key) if !is_key(&key) => problems.add(
                    "rule_key",
                    Problem::new(
                        Code::Invalid,
                        "lower-case letters, digits and _ in words joined by dots, e.g. cable.owner_label",
                    ),
                ),
                Some(_) => {}
            }
        }
        let kinds: Vec<&str> = AssetKind::ALL.iter().map(|k| k.as_str()).collect();
        if self.asset_kinds.is_empty() {
            problems.add(
                "asset_kinds",
                Problem::new(Code::Empty, "name at least one kind of asset"),
            );
        }
        for kind in &self.asset_kinds {
            if !kinds.contains(&kind.as_str()) {
                problems.add("asset_kinds", Problem::unknown_value(kind, &kinds));
            }
        }
        for (field, value, max) in [
            ("title_vi", &self.title_vi, 300),
            ("title_en", &self.title_en, 300),
            ("citation", &self.citation, 500),
        ] {
            if value.trim().is_empty() {
                problems.add(field, Problem::required());
            } else if value.chars().count() > max {
                problems.add(field, Problem::too_long(max));
            }
        }
        if text(&self.guidance_vi).is_some_and(|g| g.chars().count() > 2000) {
            problems.add("guidance_vi", Problem::too_long(2000));
        }
        if !SEVERITIES.contains(&self.severity.as_str()) {
            problems.add(
                "severity",
                Problem::unknown_value(&self.severity, &SEVERITIES),
            );
        }
        if !(1..=365).contains(&self.fix_days) {
            problems.add(
                "fix_days",
                Problem::out_of_range(1, 365, Some("working_days")),
            );
        }
        if self.sort.is_some_and(|s| !(0..=100_000).contains(&s)) {
            problems.add("sort", Problem::out_of_range(0, 100_000, None));
        }
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to)
            && to < from
        {
            problems.add(
                "valid_to",
                Problem::new(Code::OutOfRange, "is before valid_from")
                    .with("min", from.to_string()),
            );
        }
        problems.into_result(())
    }
}

const COLUMNS: &str =
    "r.rule_key, r.asset_kinds, r.title_vi, r.title_en, r.guidance_vi, r.citation, r.provisional,
     r.severity, r.fix_days, r.sort, r.valid_from, r.valid_to,
     (select count(*) from inspection_answer a where a.rule_key = r.rule_key) as answers";

/// Every rule, retired ones too, in checklist order.
pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<ChecklistRule>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from inspection_rule r order by r.sort, r.rule_key"
    ))
    .fetch_all(pool)
    .await
}

async fn one(conn: &mut sqlx::PgConnection, key: &str) -> ApiResult<ChecklistRule> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from inspection_rule r where r.rule_key = $1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| {
        ApiError::not_found(
            Problem::new(Code::NotFound, format!("there is no checklist rule {key}"))
                .with("what", "inspection_rule")
                .with("value", key),
        )
    })
}

/// Adds a rule (administrators).
pub async fn create(
    pool: &PgPool,
    principal: &Principal,
    input: ChecklistRuleInput,
) -> ApiResult<ChecklistRule> {
    principal.may_edit_checklists()?;
    input.check(true)?;
    let key = text(&input.rule_key).unwrap_or_default();
    let mut tx = changes::begin(pool, principal).await?;
    let taken: bool =
        sqlx::query_scalar("select exists (select 1 from inspection_rule where rule_key = $1)")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
    if taken {
        return Err(ApiError::invalid(
            "rule_key",
            Problem::new(
                Code::AlreadyExists,
                format!("{key} is already a checklist rule"),
            )
            .with("value", key),
        ));
    }
    sqlx::query(
        "insert into inspection_rule (rule_key, asset_kinds, title_vi, title_en, guidance_vi, citation, provisional,
                                      severity, fix_days, sort, valid_from, valid_to)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                 coalesce($10, (select coalesce(max(sort), 0) + 10 from inspection_rule)),
                 coalesce($11, current_date), $12)",
    )
    .bind(&key)
    .bind(&input.asset_kinds)
    .bind(input.title_vi.trim())
    .bind(input.title_en.trim())
    .bind(text(&input.guidance_vi))
    .bind(input.citation.trim())
    .bind(input.provisional)
    .bind(&input.severity)
    .bind(input.fix_days)
    .bind(input.sort)
    .bind(input.valid_from)
    .bind(input.valid_to)
    .execute(&mut *tx)
    .await?;
    let rule = one(&mut tx, &key).await?;
    tx.commit().await?;
    Ok(rule)
}

/// Changes a rule (administrators); its key stays.
pub async fn update(
    pool: &PgPool,
    principal: &Principal,
    key: &str,
    input: ChecklistRuleInput,
) -> ApiResult<ChecklistRule> {
    principal.may_edit_checklists()?;
    let mut tx = changes::begin(pool, principal).await?;
    let current = one(&mut tx, key).await?;
    let mut problems = Problems::new();
    if let Some(other) = text(&input.rule_key)
        && other != key
    {
        problems.add(
            "rule_key",
            Problem::new(
                Code::ReadOnly,
                "a rule's key never changes; retire it and add another",
            ),
        );
    }
    problems.into_result(())?;
    let input = ChecklistRuleInput {
        valid_from: Some(input.valid_from.unwrap_or(current.valid_from)),
        ..input
    };
    input.check(false)?;
    sqlx::query(
        "update inspection_rule set asset_kinds = $2, title_vi = $3, title_en = $4, guidance_vi = $5, citation = $6,
                provisional = $7, severity = $8, fix_days = $9, sort = coalesce($10, sort), valid_from = $11, valid_to = $12
         where rule_key = $1",
    )
    .bind(key)
    .bind(&input.asset_kinds)
    .bind(input.title_vi.trim())
    .bind(input.title_en.trim())
    .bind(text(&input.guidance_vi))
    .bind(input.citation.trim())
    .bind(input.provisional)
    .bind(&input.severity)
    .bind(input.fix_days)
    .bind(input.sort)
    .bind(input.valid_from)
    .bind(input.valid_to)
    .execute(&mut *tx)
    .await?;
    let rule = one(&mut tx, key).await?;
    tx.commit().await?;
    Ok(rule)
}

/// Every checklist rule, retired ones too (anyone signed in).
#[utoipa::path(get, path = "/inspections/rules", tag = "In the field", operation_id = "list_checklist_rules",
    responses((status = 200, description = "The rules, in checklist order", body = Vec<ChecklistRule>),
              (status = 401, description = "Log in", body = ErrorBody)))]
pub async fn list_rules(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<Json<Vec<ChecklistRule>>> {
    principal.require_login()?;
    Ok(Json(list(&state.pool).await?))
}

/// Adds a checklist rule (administrators).
#[utoipa::path(post, path = "/inspections/rules", tag = "In the field", operation_id = "add_checklist_rule",
    request_body = ChecklistRuleInput,
    responses((status = 201, description = "Added", body = ChecklistRule),
              (status = 403, description = "For administrators", body = ErrorBody),
              (status = 422, description = "Every problem, by field", body = ErrorBody)))]
pub async fn create_rule(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<ChecklistRuleInput>,
) -> ApiResult<(StatusCode, Json<ChecklistRule>)> {
    Ok((
        StatusCode::CREATED,
        Json(create(&state.pool, &principal, input).await?),
    ))
}

/// Changes a checklist rule (administrators): titles, guidance, citation,
/// kinds, severity, days, order, validity. Retire one with `valid_to`.
#[utoipa::path(put, path = "/inspections/rules/{rule_key}", tag = "In the field", operation_id = "change_checklist_rule",
    params(("rule_key" = String, Path, description = "cable.owner_label, …")),
    request_body = ChecklistRuleInput,
    responses((status = 200, description = "Changed", body = ChecklistRule),
              (status = 403, description = "For administrators", body = ErrorBody),
              (status = 404, description = "No such rule", body = ErrorBody),
              (status = 422, description = "Every problem, by field", body = ErrorBody)))]
pub async fn update_rule(
    State(state): State<AppState>,
    principal: Principal,
    Path(rule_key): Path<String>,
    ApiJson(input): ApiJson<ChecklistRuleInput>,
) -> ApiResult<Json<ChecklistRule>> {
    Ok(Json(
        update(&state.pool, &principal, &rule_key, input).await?,
    ))
}
