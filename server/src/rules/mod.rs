//! Rules with legal force — deadlines, permit exemptions, tower spacing — kept
//! as settings rather than constants: each applies nationally or in one
//! province, for a period, and cites the document and article it comes from,
//! because such numbers differ by province and change with each new law (a
//! new Construction Law applies from 1/7/2026).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::assets::input::merge_patch;
use crate::audit::changes;
use crate::http::error::{ApiError, ApiResult, ErrorBody, Problems};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// A rule in force.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct Rule {
    pub id: i64,
    pub rule_key: String,
    /// GSO code of the province; national when absent.
    #[schema(required = true)]
    pub province_code: Option<String>,
    pub valid_from: NaiveDate,
    #[schema(required = true)]
    pub valid_to: Option<NaiveDate>,
    #[schema(value_type = Object)]
    pub value: sqlx::types::Json<Value>,
    /// Document and article the rule comes from.
    pub citation: String,
    #[schema(required = true)]
    pub note: Option<String>,
    /// Not yet checked against the legal text.
    pub provisional: bool,
}

impl Rule {
    /// A whole number from the rule's value, e.g. `days`.
    pub fn number(&self, field: &str) -> Option<i64> {
        self.value.0.get(field).and_then(Value::as_i64)
    }
}

const SELECT: &str = "select id, rule_key, province_code, valid_from, valid_to, value, citation, note, provisional from rule_setting";

/// The rule `key` in force on `on` for a province: the province's own rule
/// if it has one, else the national one.
pub async fn find(
    conn: &mut PgConnection,
    key: &str,
    province_code: Option<&str>,
    on: NaiveDate,
) -> sqlx::Result<Option<Rule>> {
    sqlx::query_as(&format!(
        "{SELECT}
         where rule_key = $1 and (province_code is null or province_code = $2)
           and valid_from <= $3 and (valid_to is null or valid_to >= $3)
         order by province_code is null, valid_from desc
         limit 1"
    ))
    .bind(key)
    .bind(province_code)
    .bind(on)
    .fetch_optional(conn)
    .await
}

/// Like [`find`], but a missing rule is an error a person can fix.
pub async fn require(
    conn: &mut PgConnection,
    key: &str,
    province_code: Option<&str>,
    on: NaiveDate,
) -> ApiResult<Rule> {
    find(conn, key, province_code, on).await?.ok_or_else(|| {
        ApiError::conflict(format!(
            "no rule {key} is in force on {on}; an administrator must add one (Quản trị → Quy định)"
        ))
    })
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
}

#[utoipa::path(get, path = "/rules", tag = "Rules and calendar", operation_id = "list_rules",
    summary = "Rules with their province, validity and citation",
    responses((status = 200, description = "Rules.", body = Vec<Rule>),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<Rule>>> {
    principal.require_login()?;
    let rules = sqlx::query_as(&format!(
        "{SELECT} order by rule_key, province_code nulls first, valid_from"
    ))
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(rules))
}

/// A rule as an admin submits it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    pub rule_key: String,
    #[serde(default)]
    pub province_code: Option<String>,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    #[schema(value_type = Object)]
    pub value: Value,
    pub citation: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub provisional: bool,
}

/// The rule keys the system reads, and what their value must hold.
const KNOWN: &[(&str, &[&str])] = &[
    ("deadline.completeness", &["days"]),
    ("deadline.decision", &["days"]),
    ("deadline.extension", &["max_days"]),
    ("deadline.as_built_copies", &["days"]),
    ("deadline.warning", &["days"]),
    ("exemption.towers", &["classes"]),
    ("tower_class.a1", &["max_height_m", "max_share_of_building"]),
    ("sharing.spacing", &["mode"]),
    ("document.permit", &["form", "bases", "duties"]),
    // In the field (incidents, violations, detection lists).
    ("incident.deadlines", &["triage_days", "fix_days"]),
    ("violation.as_built_distance", &["metres"]),
    ("permit.required", &["kinds"]),
];

impl RuleInput {
    fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        match KNOWN.iter().find(|(key, _)| *key == self.rule_key) {
            None => problems.add(
                "rule_key",
                format!(
                    "unknown; one of {}",
                    KNOWN.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                ),
            ),
            Some((_, fields)) => {
                for field in *fields {
                    if self.value.get(field).is_none() {
                        problems.add("value", format!("must have `{field}`"));
                    }
                }
            }
        }
        if self.valid_to.is_some_and(|to| to < self.valid_from) {
            problems.add("valid_to", "is before valid_from");
        }
        if self.citation.trim().is_empty() {
            problems.add(
                "citation",
                "required: the document and article the rule comes from",
            );
        }
        if self
            .province_code
            .as_ref()
            .is_some_and(|c| !c.chars().all(|c| c.is_ascii_digit()) || c.len() != 2)
        {
            problems.add("province_code", "a two-digit GSO province code");
        }
        problems.into_result(())
    }
}

#[utoipa::path(post, path = "/rules", tag = "Rules and calendar", operation_id = "create_rule",
    summary = "Add a rule",
    request_body = RuleInput,
    responses((status = 201, description = "Added.", body = Rule),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an admin.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<RuleInput>,
) -> ApiResult<Response> {
    principal.may_administer()?;
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let rule: Rule = sqlx::query_as(
        "insert into rule_setting (rule_key, province_code, valid_from, valid_to, value, citation, note, provisional)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         returning id, rule_key, province_code, valid_from, valid_to, value, citation, note, provisional",
    )
    .bind(&input.rule_key)
    .bind(&input.province_code)
    .bind(input.valid_from)
    .bind(input.valid_to)
    .bind(sqlx::types::Json(&input.value))
    .bind(&input.citation)
    .bind(&input.note)
    .bind(input.provisional)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(rule)).into_response())
}

#[utoipa::path(patch, path = "/rules/{id}", tag = "Rules and calendar", operation_id = "update_rule",
    summary = "Change a rule (JSON Merge Patch)",
    params(("id" = i64, Path, description = "The rule")),
    request_body(content = Value, description = "A JSON Merge Patch of the rule (fields of RuleInput)"),
    responses((status = 200, description = "Changed.", body = Rule),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not an admin.", body = ErrorBody),
              (status = 404, description = "No such rule.", body = ErrorBody),
              (status = 422, description = "Not valid; `details` by field.", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<axum::Json<Rule>> {
    principal.may_administer()?;
    let current: Option<Rule> = sqlx::query_as(&format!("{SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(&state.pool)
        .await?;
    let current = current.ok_or_else(|| ApiError::not_found(format!("there is no rule {id}")))?;
    let mut document = serde_json::json!({
        "rule_key": current.rule_key, "province_code": current.province_code, "valid_from": current.valid_from,
        "valid_to": current.valid_to, "value": current.value.0, "citation": current.citation, "note": current.note,
        "provisional": current.provisional,
    });
    merge_patch(&mut document, &patch);
    let input: RuleInput =
        serde_json::from_value(document).map_err(|e| ApiError::invalid("body", e.to_string()))?;
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let rule: Rule = sqlx::query_as(
        "update rule_setting set rule_key = $2, province_code = $3, valid_from = $4, valid_to = $5, value = $6,
                citation = $7, note = $8, provisional = $9, updated_at = now()
         where id = $1
         returning id, rule_key, province_code, valid_from, valid_to, value, citation, note, provisional",
    )
    .bind(id)
    .bind(&input.rule_key)
    .bind(&input.province_code)
    .bind(input.valid_from)
    .bind(input.valid_to)
    .bind(sqlx::types::Json(&input.value))
    .bind(&input.citation)
    .bind(&input.note)
    .bind(input.provisional)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(axum::Json(rule))
}
