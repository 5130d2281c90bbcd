//! Operators: the organisations that own or rent infrastructure. Telecom
//! operators (VNPT, Viettel, MobiFone, FPT Telecom, …) and the power and
//! lighting utilities whose poles carry telecom cable.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::http::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operators", get(list))
        .route("/operators/{code}", get(get_one))
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

const SELECT: &str = "select o.code, o.legal_name, o.short_name, o.sector, o.contact_name, o.contact_phone, o.contact_email,
            (select count(*) from asset a where a.owner_id = o.id and a.status <> 'decommissioned') as asset_count
     from operator o";

async fn list(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<Operator>>> {
    let operators = sqlx::query_as(&format!("{SELECT} order by o.sector <> 'telecom', o.code"))
        .fetch_all(&state.pool)
        .await?;
    Ok(axum::Json(operators))
}

async fn get_one(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<axum::Json<Operator>> {
    let operator: Option<Operator> = sqlx::query_as(&format!("{SELECT} where o.code = $1"))
        .bind(&code)
        .fetch_optional(&state.pool)
        .await?;
    operator
        .map(axum::Json)
        .ok_or_else(|| ApiError::NotFound(format!("there is no operator with code {code}")))
}
