//! Operators: the organisations that own or rent infrastructure. Telecom
//! operators (VNPT, Viettel, MobiFone, FPT Telecom, …) and the power and
//! lighting utilities whose poles carry telecom cable. Admins register them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::assets::input::merge_patch;
use crate::audit::changes;
use crate::database::constraint::OnConstraint;
use crate::http::error::ErrorBody;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
}

/// An operator as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Operator {
    pub code: String,
    pub legal_name: String,
    pub short_name: String,
    /// `telecom`, `power`, `lighting` or `other`.
    pub sector: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    /// Assets the operator owns that are not decommissioned.
    pub asset_count: i64,
}

impl Operator {
    /// The public sees who operators are, not whom to call.
    fn for_principal(mut self, principal: &Principal) -> Self {
        if !principal.sees_contacts() {
            self.contact_name = None;
            self.contact_phone = None;
            self.contact_email = None;
        }
        self
    }
}

const SELECT: &str =
    "select o.code, o.legal_name, o.short_name, o.sector, o.contact_name, o.contact_phone, o.contact_email,
            (select count(*) from asset a where a.owner_id = o.id and a.status <> 'decommissioned') as asset_count
     from operator o";

/// Every operator and utility, telecom first; contacts only for those who may see them.
#[utoipa::path(get, path = "/operators", tag = "Reference data", operation_id = "list_operators",
    summary = "Operators and utilities", security(()),
    responses((status = 200, description = "All operators, by code.", body = Vec<Operator>)))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<Operator>>> {
    let operators: Vec<Operator> =
        sqlx::query_as(&format!("{SELECT} order by o.sector <> 'telecom', o.code"))
            .fetch_all(&state.pool)
            .await?;
    Ok(axum::Json(
        operators
            .into_iter()
            .map(|o| o.for_principal(&principal))
            .collect(),
    ))
}

async fn fetch(state: &AppState, code: &str) -> ApiResult<Operator> {
    let operator: Option<Operator> = sqlx::query_as(&format!("{SELECT} where o.code = $1"))
        .bind(code)
        .fetch_optional(&state.pool)
        .await?;
    operator.ok_or_else(|| ApiError::not_found(format!("there is no operator with code {code}")))
}

#[utoipa::path(get, path = "/operators/{code}", tag = "Reference data", operation_id = "get_operator",
    summary = "One operator", security(()),
    params(("code" = String, Path, description = "The operator's code, e.g. VNPT.")),
    responses(
        (status = 200, description = "The operator.", body = Operator),
        (status = 404, description = "No such operator.", body = ErrorBody),
    ))]
async fn get_one(
    State(state): State<AppState>,
    principal: Principal,
    Path(code): Path<String>,
) -> ApiResult<axum::Json<Operator>> {
    Ok(axum::Json(
        fetch(&state, &code).await?.for_principal(&principal),
    ))
}

/// An operator as submitted by an admin.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorInput {
    /// Upper-case code, e.g. `VNPT`; cannot change later.
    pub code: String,
    pub legal_name: String,
    pub short_name: String,
    #[serde(default = "telecom")]
    pub sector: String,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
}

fn telecom() -> String {
    "telecom".into()
}

impl OperatorInput {
    fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        let code_ok = (2..=20).contains(&self.code.len())
            && self
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && self
                .code
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if !code_ok {
            problems.add(
                "code",
                "2 to 20 of A–Z, 0–9, '-' and '_', starting with a letter or digit",
            );
        }
        for (field, value, max) in [
            ("legal_name", &self.legal_name, 300),
            ("short_name", &self.short_name, 100),
        ] {
            if value.trim().is_empty() || value.chars().count() > max {
                problems.add(field, format!("must have 1 to {max} characters"));
            }
        }
        if !["telecom", "power", "lighting", "other"].contains(&self.sector.as_str()) {
            problems.add("sector", "one of telecom, power, lighting, other");
        }
        if self
            .contact_email
            .as_ref()
            .is_some_and(|e| !e.contains('@'))
        {
            problems.add("contact_email", "is not an e-mail address");
        }
        problems.into_result(())
    }
}

#[utoipa::path(post, path = "/operators", tag = "Administration", operation_id = "create_operator",
    summary = "Register an operator", request_body = OperatorInput,
    responses(
        (status = 201, description = "Registered.", body = Operator),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an admin.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<OperatorInput>,
) -> ApiResult<Response> {
    principal.may_administer()?;
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query(
        "insert into operator (code, legal_name, short_name, sector, contact_name, contact_phone, contact_email)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&input.code)
    .bind(&input.legal_name)
    .bind(&input.short_name)
    .bind(&input.sector)
    .bind(&input.contact_name)
    .bind(&input.contact_phone)
    .bind(&input.contact_email)
    .execute(&mut *tx)
    .await
    .on_constraint("operator_code_key", || {
        ApiError::invalid("code", format!("{} is already registered", input.code))
    })?;
    tx.commit().await?;
    tracing::info!(code = %input.code, "operator registered");
    Ok((
        StatusCode::CREATED,
        axum::Json(fetch(&state, &input.code).await?),
    )
        .into_response())
}

#[utoipa::path(patch, path = "/operators/{code}", tag = "Administration", operation_id = "update_operator",
    summary = "Change an operator (JSON Merge Patch)",
    params(("code" = String, Path, description = "The operator's code; it cannot change.")),
    request_body(content = Object, description = "The fields of `OperatorInput` to change.", content_type = "application/json"),
    responses(
        (status = 200, description = "Changed.", body = Operator),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not an admin.", body = ErrorBody),
        (status = 404, description = "No such operator.", body = ErrorBody),
        (status = 422, description = "Every problem, by field.", body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<axum::Json<Operator>> {
    principal.may_administer()?;
    let current = fetch(&state, &code).await?;
    let mut document = serde_json::json!({
        "code": current.code, "legal_name": current.legal_name, "short_name": current.short_name,
        "sector": current.sector, "contact_name": current.contact_name,
        "contact_phone": current.contact_phone, "contact_email": current.contact_email,
    });
    merge_patch(&mut document, &patch);
    let input: OperatorInput =
        serde_json::from_value(document).map_err(|e| ApiError::invalid("body", e.to_string()))?;
    if input.code != code {
        return Err(ApiError::invalid(
            "code",
            "an operator's code cannot change",
        ));
    }
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    sqlx::query(
        "update operator set legal_name = $2, short_name = $3, sector = $4, contact_name = $5, contact_phone = $6, contact_email = $7
         where code = $1",
    )
    .bind(&code)
    .bind(&input.legal_name)
    .bind(&input.short_name)
    .bind(&input.sector)
    .bind(&input.contact_name)
    .bind(&input.contact_phone)
    .bind(&input.contact_email)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(axum::Json(fetch(&state, &code).await?))
}
