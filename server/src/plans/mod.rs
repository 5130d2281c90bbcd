//! Plans for digital infrastructure (Kế hoạch phát triển hạ tầng số) of a
//! ward, commune or district, as the five seed plans are: a number and date,
//! the issuing People's Committee, the unit and period (2025 → 2030), the
//! **targets** it sets in its own words, the **tasks** of its annex (who
//! leads, who takes part, by when), and the **reporting duties** of its
//! closing section: departments report to the ward before 01/12, the ward to
//! the city before 05/12 (Chánh Lộ); operators send their own yearly plans
//! before 15/12 (Minh Long).
//!
//! The progress of a plan (`GET /api/v1/plans/{id}/progress`) sets each
//! target against its indicator's figure for a unit and year, from the
//! registry, the operators' filings or the departments' declarations
//! (`indicators`).

pub mod progress;
pub mod store;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::admin_units::double_option;
use crate::admin_units::store::ancestors;
use crate::audit::changes;
use crate::http::attachment;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;
use store::{DutyInput, Plan, PlanInput, PlanSummary, TargetInput, Task, TaskInput};

/// Largest plan document.
const MAX_DOCUMENT_BYTES: usize = 30 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let documents = OpenApiRouter::new()
        .routes(routes!(upload_document))
        .layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES));
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, update, remove))
        .routes(routes!(plan_progress))
        .routes(routes!(add_target))
        .routes(routes!(update_target, remove_target))
        .routes(routes!(list_tasks, add_task))
        .routes(routes!(update_task))
        .routes(routes!(task_notes, add_task_note))
        .routes(routes!(add_duty))
        .routes(routes!(update_duty, remove_duty))
        .routes(routes!(document))
        .merge(documents)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Plans of this unit, of the units it replaced or that replaced it, of
    /// the units above it and of its parts.
    pub unit: Option<i64>,
    /// Plans whose period holds this year.
    pub year: Option<i32>,
}

/// `GET /api/v1/plans`.
#[utoipa::path(get, path = "/plans", operation_id = "list_plans", tag = "Plans", params(ListParams),
    responses((status = 200, body = [PlanSummary]), (status = 401, description = "Not logged in.")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<Vec<PlanSummary>>> {
    principal.may_read_plans()?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(
        store::list(&mut conn, params.unit, params.year, today()).await?,
    ))
}

/// `POST /api/v1/plans`: a plan with its targets, tasks and duties.
#[utoipa::path(post, path = "/plans", operation_id = "create_plan", tag = "Plans", request_body = PlanInput,
    responses((status = 201, body = Plan), (status = 401, description = "Not logged in."),
              (status = 403, description = "Only planners in scope and admins add plans."),
              (status = 404, description = "No such unit."), (status = 422, description = "Every problem, by field.")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<PlanInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    input.check()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    principal.may_edit_plan(&ancestors(&mut tx, input.unit_id).await?)?;
    let id = store::insert(&mut tx, &input, principal.user().map(|u| u.id)).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(store::get(&mut conn, id, today()).await?),
    )
        .into_response())
}

/// `GET /api/v1/plans/{id}`.
#[utoipa::path(get, path = "/plans/{id}", operation_id = "get_plan", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = Plan), (status = 401, description = "Not logged in."), (status = 404, description = "No such plan.")))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Plan>> {
    principal.may_read_plans()?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(store::get(&mut conn, id, today()).await?))
}

/// What a PATCH of a plan may change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanChange {
    #[serde(default, deserialize_with = "double_option")]
    pub number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub issued_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    pub issued_text: Option<Option<String>>,
    pub issuer: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub signer: Option<Option<String>>,
    pub title: Option<String>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
    #[serde(default, deserialize_with = "double_option")]
    pub basis: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub note: Option<Option<String>>,
}

async fn editable_plan(
    tx: &mut sqlx::PgConnection,
    principal: &Principal,
    id: i64,
) -> ApiResult<i64> {
    let unit = store::unit_of(tx, id).await?;
    principal.may_edit_plan(&ancestors(tx, unit).await?)?;
    Ok(unit)
}

/// `PATCH /api/v1/plans/{id}`.
#[utoipa::path(patch, path = "/plans/{id}", operation_id = "update_plan", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id")), request_body = PlanChange,
    responses((status = 200, body = Plan), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such plan."), (status = 422, description = "Every problem, by field.")))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<PlanChange>,
) -> ApiResult<axum::Json<Plan>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let current = store::get(&mut tx, id, today()).await?;
    let merged = PlanInput {
        number: change.number.clone().unwrap_or(current.number),
        issued_on: change.issued_on.unwrap_or(current.issued_on),
        issued_text: change.issued_text.clone().unwrap_or(current.issued_text),
        issuer: change.issuer.clone().unwrap_or(current.issuer),
        signer: change.signer.clone().unwrap_or(current.signer),
        title: change.title.clone().unwrap_or(current.title),
        unit_id: current.unit.id,
        period_from: change.period_from.unwrap_or(current.period_from),
        period_to: change.period_to.unwrap_or(current.period_to),
        basis: change.basis.clone().unwrap_or(current.basis),
        note: change.note.clone().unwrap_or(current.note),
        targets: vec![],
        tasks: vec![],
        duties: vec![],
    };
    merged.check()?;
    sqlx::query(
        "update plan set number = $2, issued_on = $3, issued_text = $4, issuer = $5, signer = $6, title = $7,
             period_from = $8, period_to = $9, basis = $10, note = $11, updated_at = now(), version = version + 1
         where id = $1",
    )
    .bind(id)
    .bind(&merged.number)
    .bind(merged.issued_on)
    .bind(&merged.issued_text)
    .bind(merged.issuer.trim())
    .bind(&merged.signer)
    .bind(merged.title.trim())
    .bind(merged.period_from)
    .bind(merged.period_to)
    .bind(&merged.basis)
    .bind(&merged.note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(store::get(&mut conn, id, today()).await?))
}

/// `DELETE /api/v1/plans/{id}`: removes a plan entered by mistake.
#[utoipa::path(delete, path = "/plans/{id}", operation_id = "remove_plan", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 204, description = "Removed (the change log keeps it)."), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not remove this plan."), (status = 404, description = "No such plan.")))]
pub async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    sqlx::query("delete from plan where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// The unit (default the plan's; a part of it, or the unit that replaced it).
    pub unit: Option<i64>,
    /// The year (default this year).
    pub year: Option<i32>,
}

/// `GET /api/v1/plans/{id}/progress?unit=&year=`: every target with its
/// value, gap, trend, light and source.
#[utoipa::path(get, path = "/plans/{id}/progress", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ProgressParams),
    responses((status = 200, body = progress::Progress), (status = 400, description = "A bad year."),
              (status = 401, description = "Not logged in."), (status = 404, description = "No such plan or unit.")))]
pub async fn plan_progress(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<ProgressParams>,
) -> ApiResult<axum::Json<progress::Progress>> {
    principal.may_read_plans()?;
    let now = today();
    let year = params.year.unwrap_or(now.year());
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::Malformed(format!(
            "year must be from 2000 to 2100; got {year}"
        )));
    }
    let mut conn = state.pool.acquire().await?;
    let plan = store::get(&mut conn, id, now).await?;
    let unit_id = params.unit.unwrap_or(plan.unit.id);
    let unit = crate::admin_units::store::get(&mut conn, unit_id, false).await?;
    let lineage: Vec<crate::admin_units::UnitRef> = {
        let ids: Vec<i64> =
            sqlx::query_scalar("select id from admin_unit_lineage($1) order by depth, id")
                .bind(unit_id)
                .fetch_all(&mut *conn)
                .await?;
        let mut refs = Vec::new();
        for lid in ids {
            refs.push(
                crate::admin_units::store::get(&mut conn, lid, false)
                    .await?
                    .reference(),
            );
        }
        refs
    };
    let first_year = plan
        .targets
        .iter()
        .filter_map(|t| t.baseline_year)
        .min()
        .unwrap_or(plan.period_from - 1)
        .min(year);
    let (targets, summary) =
        progress::assess(&mut conn, &plan.targets, unit_id, year, first_year, now).await?;
    Ok(axum::Json(progress::Progress {
        plan_id: plan.id,
        plan_title: plan.title,
        plan_number: plan.number,
        unit: unit.reference(),
        lineage,
        year,
        as_of: progress::day_of(year, now),
        targets,
        summary,
    }))
}

/// `POST /api/v1/plans/{id}/targets`.
#[utoipa::path(post, path = "/plans/{id}/targets", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id")), request_body = TargetInput,
    responses((status = 201, body = store::Target), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such plan."), (status = 422, description = "Every problem, by field.")))]
pub async fn add_target(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TargetInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut problems = Problems::new();
    input.check(&mut problems, "");
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let position: i32 = sqlx::query_scalar(
        "select coalesce(max(position) + 1, 0) from plan_target where plan_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let target_id = store::insert_target(&mut tx, id, &input, position).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let target = store::targets(&mut conn, id)
        .await?
        .into_iter()
        .find(|t| t.id == target_id);
    Ok((StatusCode::CREATED, axum::Json(target)).into_response())
}

/// `PATCH /api/v1/plans/{id}/targets/{target_id}`: the whole target anew
/// (the fields left out keep their value).
#[utoipa::path(patch, path = "/plans/{id}/targets/{target_id}", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("target_id" = i64, Path, description = "Target id")),
    request_body = Object,
    responses((status = 200, body = store::Target), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such target."), (status = 422, description = "Every problem, by field.")))]
pub async fn update_target(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, target_id)): Path<(i64, i64)>,
    ApiJson(change): ApiJson<serde_json::Value>,
) -> ApiResult<axum::Json<store::Target>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let current = store::targets(&mut tx, id)
        .await?
        .into_iter()
        .find(|t| t.id == target_id)
        .ok_or_else(|| ApiError::not_found(format!("plan {id} has no target {target_id}")))?;
    let mut doc = serde_json::json!({
        "indicator": current.indicator, "target_value": current.target_value, "comparison": current.comparison,
        "year": current.year, "sentence": current.sentence, "section": current.section,
        "baseline_value": current.baseline_value, "baseline_year": current.baseline_year});
    merge_patch(&mut doc, &change);
    let input: TargetInput = crate::http::json::parse_json(doc.to_string().as_bytes())?;
    let mut problems = Problems::new();
    input.check(&mut problems, "");
    problems.into_result(())?;
    sqlx::query(
        "update plan_target set indicator = $2, target_value = $3, comparison = coalesce($4, 'at_least'), year = $5,
             sentence = $6, section = $7, baseline_value = $8, baseline_year = $9, updated_at = now()
         where id = $1",
    )
    .bind(target_id)
    .bind(&input.indicator)
    .bind(input.target_value)
    .bind(&input.comparison)
    .bind(input.year)
    .bind(input.sentence.trim())
    .bind(&input.section)
    .bind(input.baseline_value)
    .bind(input.baseline_year)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    store::targets(&mut conn, id)
        .await?
        .into_iter()
        .find(|t| t.id == target_id)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found(format!("plan {id} has no target {target_id}")))
}

/// JSON Merge Patch (RFC 7386).
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    if let (Some(t), Some(p)) = (target.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                t.insert(k.clone(), v.clone());
            }
        }
    } else {
        *target = patch.clone();
    }
}

/// `DELETE /api/v1/plans/{id}/targets/{target_id}`.
#[utoipa::path(delete, path = "/plans/{id}/targets/{target_id}", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("target_id" = i64, Path, description = "Target id")),
    responses((status = 204, description = "Removed."), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not change this plan."), (status = 404, description = "No such target.")))]
pub async fn remove_target(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, target_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let removed = sqlx::query("delete from plan_target where id = $1 and plan_id = $2")
        .bind(target_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(ApiError::not_found(format!(
            "plan {id} has no target {target_id}"
        )));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskParams {
    /// Only overdue tasks.
    pub overdue: Option<bool>,
}

/// `GET /api/v1/plans/{id}/tasks`: the task board.
#[utoipa::path(get, path = "/plans/{id}/tasks", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), TaskParams),
    responses((status = 200, body = [Task]), (status = 401, description = "Not logged in."), (status = 404, description = "No such plan.")))]
pub async fn list_tasks(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<TaskParams>,
) -> ApiResult<axum::Json<Vec<Task>>> {
    principal.may_read_plans()?;
    let mut conn = state.pool.acquire().await?;
    store::unit_of(&mut conn, id).await?;
    let mut tasks = store::tasks(&mut conn, id, today()).await?;
    if params.overdue.unwrap_or(false) {
        tasks.retain(|t| t.overdue);
    }
    Ok(axum::Json(tasks))
}

/// `POST /api/v1/plans/{id}/tasks`.
#[utoipa::path(post, path = "/plans/{id}/tasks", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id")), request_body = TaskInput,
    responses((status = 201, body = Task), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such plan."), (status = 422, description = "Every problem, by field.")))]
pub async fn add_task(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TaskInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut problems = Problems::new();
    input.check(&mut problems, "");
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let position: i32 = sqlx::query_scalar(
        "select coalesce(max(position) + 1, 0) from plan_task where plan_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let task_id = store::insert_task(
        &mut tx,
        id,
        &input,
        position,
        principal.user().map(|u| u.id),
    )
    .await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(store::task(&mut conn, id, task_id, today()).await?),
    )
        .into_response())
}

/// A change to a task: its status and evidence (ward staff), or more of it
/// (planners), with an optional note that goes into its progress notes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChange {
    pub status: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub evidence: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Option<NaiveDate>>,
    pub due_text: Option<String>,
    pub title: Option<String>,
    pub lead: Option<String>,
    pub partners: Option<String>,
    /// Written as a progress note with the change.
    pub note: Option<String>,
    /// The version the change is based on; a stale one gets 409.
    pub version: Option<i32>,
}

/// `PATCH /api/v1/plans/{id}/tasks/{task_id}`: status, evidence, due date.
#[utoipa::path(patch, path = "/plans/{id}/tasks/{task_id}", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("task_id" = i64, Path, description = "Task id")), request_body = TaskChange,
    responses((status = 200, body = Task), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not update this task."),
              (status = 404, description = "No such task."), (status = 409, description = "Changed by someone else since that version."),
              (status = 422, description = "Every problem, by field.")))]
pub async fn update_task(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, task_id)): Path<(i64, i64)>,
    ApiJson(change): ApiJson<TaskChange>,
) -> ApiResult<axum::Json<Task>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let unit = store::unit_of(&mut tx, id).await?;
    let unit_ancestors = ancestors(&mut tx, unit).await?;
    principal.may_update_task(&unit_ancestors)?;
    let current = store::task(&mut tx, id, task_id, today()).await?;
    if change.title.is_some() || change.lead.is_some() || change.partners.is_some() {
        principal.may_edit_plan(&unit_ancestors)?;
    }
    if let Some(expected) = change.version
        && expected != current.version
    {
        return Err(ApiError::VersionConflict {
            expected,
            current: current.version,
            changes: vec![],
        });
    }
    let mut problems = Problems::new();
    let input = TaskInput {
        code: current.code.clone(),
        title: change.title.clone().unwrap_or(current.title.clone()),
        lead: change.lead.clone().unwrap_or(current.lead.clone()),
        partners: change.partners.clone().or(current.partners.clone()),
        operators_lead: current.operators_lead,
        due_text: change.due_text.clone().or(current.due_text.clone()),
        due_on: change.due_on.unwrap_or(current.due_on),
        yearly: current.yearly,
        status: Some(change.status.clone().unwrap_or(current.status.clone())),
        evidence: change.evidence.clone().unwrap_or(current.evidence.clone()),
    };
    input.check(&mut problems, "");
    if let Some(note) = &change.note
        && (note.trim().is_empty() || note.chars().count() > 4000)
    {
        problems.add("note", "must have 1 to 4000 characters");
    }
    problems.into_result(())?;
    sqlx::query(
        "update plan_task set title = $2, lead = $3, partners = $4, due_text = $5, due_on = $6, status = $7,
             evidence = $8, updated_by = $9, updated_at = now(), version = version + 1
         where id = $1",
    )
    .bind(task_id)
    .bind(input.title.trim())
    .bind(input.lead.trim())
    .bind(&input.partners)
    .bind(&input.due_text)
    .bind(input.due_on)
    .bind(&input.status)
    .bind(&input.evidence)
    .bind(principal.user().map(|u| u.id))
    .execute(&mut *tx)
    .await?;
    let status_changed = input.status.as_deref() != Some(current.status.as_str());
    if change.note.is_some() || status_changed {
        let note = change.note.clone().unwrap_or_else(|| {
            format!(
                "Trạng thái: {} → {}",
                current.status,
                input.status.clone().unwrap_or_default()
            )
        });
        insert_note(
            &mut tx,
            &principal,
            task_id,
            &note,
            status_changed.then(|| input.status.clone()).flatten(),
            input.evidence.as_deref(),
        )
        .await?;
    }
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(
        store::task(&mut conn, id, task_id, today()).await?,
    ))
}

async fn insert_note(
    conn: &mut sqlx::PgConnection,
    principal: &Principal,
    task_id: i64,
    note: &str,
    status: Option<String>,
    evidence: Option<&str>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into plan_task_note (task_id, note, status, evidence, author, author_user_id)
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(task_id)
    .bind(note.trim())
    .bind(status)
    .bind(evidence)
    .bind(principal.actor().name)
    .bind(principal.user().map(|u| u.id))
    .fetch_one(conn)
    .await
}

/// A progress note on a task.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct TaskNote {
    pub id: i64,
    pub note: String,
    pub status: Option<String>,
    pub evidence: Option<String>,
    pub author: String,
    pub author_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/v1/plans/{id}/tasks/{task_id}/notes`, oldest first.
#[utoipa::path(get, path = "/plans/{id}/tasks/{task_id}/notes", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("task_id" = i64, Path, description = "Task id")),
    responses((status = 200, body = [TaskNote]), (status = 401, description = "Not logged in."), (status = 404, description = "No such task.")))]
pub async fn task_notes(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, task_id)): Path<(i64, i64)>,
) -> ApiResult<axum::Json<Vec<TaskNote>>> {
    principal.may_read_plans()?;
    let mut conn = state.pool.acquire().await?;
    store::task(&mut conn, id, task_id, today()).await?;
    let notes: Vec<TaskNote> = sqlx::query_as(
        "select n.id, n.note, n.status, n.evidence, n.author, u.display_name as author_name, n.created_at
         from plan_task_note n left join app_user u on u.id = n.author_user_id
         where n.task_id = $1 order by n.id",
    )
    .bind(task_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(axum::Json(notes))
}

/// A progress note.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub note: String,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// `POST /api/v1/plans/{id}/tasks/{task_id}/notes`: ward staff, and operators
/// on the tasks the operators lead.
#[utoipa::path(post, path = "/plans/{id}/tasks/{task_id}/notes", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("task_id" = i64, Path, description = "Task id")), request_body = NoteInput,
    responses((status = 201, body = TaskNote), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not write on this task."),
              (status = 404, description = "No such task."), (status = 422, description = "Every problem, by field.")))]
pub async fn add_task_note(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, task_id)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<NoteInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut problems = Problems::new();
    if input.note.trim().is_empty() || input.note.chars().count() > 4000 {
        problems.add("note", "must have 1 to 4000 characters");
    }
    if input
        .evidence
        .as_ref()
        .is_some_and(|e| e.chars().count() > 2000)
    {
        problems.add("evidence", "is longer than 2000 characters");
    }
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let unit = store::unit_of(&mut tx, id).await?;
    let task = store::task(&mut tx, id, task_id, today()).await?;
    principal.may_note_task(&ancestors(&mut tx, unit).await?, task.operators_lead)?;
    let note_id = insert_note(
        &mut tx,
        &principal,
        task_id,
        &input.note,
        None,
        input.evidence.as_deref(),
    )
    .await?;
    tx.commit().await?;
    let note: TaskNote = sqlx::query_as(
        "select n.id, n.note, n.status, n.evidence, n.author, u.display_name as author_name, n.created_at
         from plan_task_note n left join app_user u on u.id = n.author_user_id where n.id = $1",
    )
    .bind(note_id)
    .fetch_one(&state.pool)
    .await?;
    Ok((StatusCode::CREATED, axum::Json(note)).into_response())
}

/// `POST /api/v1/plans/{id}/duties`.
#[utoipa::path(post, path = "/plans/{id}/duties", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id")), request_body = DutyInput,
    responses((status = 201, body = store::Duty), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such plan."), (status = 422, description = "Every problem, by field.")))]
pub async fn add_duty(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DutyInput>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let mut problems = Problems::new();
    input.check(&mut problems, "");
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let position: i32 = sqlx::query_scalar(
        "select coalesce(max(position) + 1, 0) from plan_reporting_duty where plan_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let duty_id = store::insert_duty(&mut tx, id, &input, position).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let duty = store::duties(&mut conn, id, today().year())
        .await?
        .into_iter()
        .find(|d| d.id == duty_id);
    Ok((StatusCode::CREATED, axum::Json(duty)).into_response())
}

/// `PATCH /api/v1/plans/{id}/duties/{duty_id}` (JSON Merge Patch of the duty).
#[utoipa::path(patch, path = "/plans/{id}/duties/{duty_id}", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("duty_id" = i64, Path, description = "Duty id")), request_body = Object,
    responses((status = 200, body = store::Duty), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such duty."), (status = 422, description = "Every problem, by field.")))]
pub async fn update_duty(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, duty_id)): Path<(i64, i64)>,
    ApiJson(change): ApiJson<serde_json::Value>,
) -> ApiResult<axum::Json<store::Duty>> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let current = store::duties(&mut tx, id, today().year())
        .await?
        .into_iter()
        .find(|d| d.id == duty_id)
        .ok_or_else(|| ApiError::not_found(format!("plan {id} has no reporting duty {duty_id}")))?;
    let mut doc = serde_json::json!({"reporter": current.reporter, "recipient": current.recipient, "what": current.what,
        "due_day": current.due_day, "due_month": current.due_month, "before": current.before,
        "reporter_kind": current.reporter_kind, "sentence": current.sentence});
    merge_patch(&mut doc, &change);
    let input: DutyInput = crate::http::json::parse_json(doc.to_string().as_bytes())?;
    let mut problems = Problems::new();
    input.check(&mut problems, "");
    problems.into_result(())?;
    sqlx::query(
        "update plan_reporting_duty set reporter = $2, recipient = $3, what = $4, due_day = $5, due_month = $6,
             before = $7, reporter_kind = coalesce($8, 'department'), sentence = $9 where id = $1",
    )
    .bind(duty_id)
    .bind(input.reporter.trim())
    .bind(input.recipient.trim())
    .bind(input.what.trim())
    .bind(input.due_day)
    .bind(input.due_month)
    .bind(input.before)
    .bind(&input.reporter_kind)
    .bind(&input.sentence)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    store::duties(&mut conn, id, today().year())
        .await?
        .into_iter()
        .find(|d| d.id == duty_id)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found(format!("plan {id} has no reporting duty {duty_id}")))
}

/// `DELETE /api/v1/plans/{id}/duties/{duty_id}`.
#[utoipa::path(delete, path = "/plans/{id}/duties/{duty_id}", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("duty_id" = i64, Path, description = "Duty id")),
    responses((status = 204, description = "Removed."), (status = 401, description = "Not logged in."),
              (status = 403, description = "The role may not change this plan."), (status = 404, description = "No such duty.")))]
pub async fn remove_duty(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, duty_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    principal.require_login()?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let removed = sqlx::query("delete from plan_reporting_duty where id = $1 and plan_id = $2")
        .bind(duty_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(ApiError::not_found(format!(
            "plan {id} has no reporting duty {duty_id}"
        )));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentParams {
    pub file_name: String,
    /// source (the signed plan, default), annex or other.
    pub role: Option<String>,
}

/// `POST /api/v1/plans/{id}/documents?file_name=…`: the body is the file.
#[utoipa::path(post, path = "/plans/{id}/documents", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), DocumentParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = store::Document), (status = 401, description = "Not logged in."), (status = 403, description = "The role may not change this plan."),
              (status = 404, description = "No such plan."), (status = 413, description = "Larger than 30 MB."), (status = 422, description = "An empty file or a bad name.")))]
pub async fn upload_document(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<DocumentParams>,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require_login()?;
    let role = params.role.clone().unwrap_or_else(|| "source".into());
    let mut problems = Problems::new();
    if !["source", "annex", "other"].contains(&role.as_str()) {
        problems.add("role", "source, annex or other");
    }
    let name = params.file_name.trim().to_string();
    if name.is_empty() || name.chars().count() > 255 {
        problems.add("file_name", "must have 1 to 255 characters");
    }
    if body.is_empty() {
        problems.add("body", "the file is empty");
    }
    problems.into_result(())?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    editable_plan(&mut tx, &principal, id).await?;
    let sha256 = crate::indicators::handlers::hex(&Sha256::digest(&body));
    let document: store::Document = sqlx::query_as(
        "insert into plan_document (plan_id, role, file_name, content_type, size_bytes, sha256, content, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         returning id, role, file_name, content_type, size_bytes, sha256, uploaded_at",
    )
    .bind(id)
    .bind(&role)
    .bind(&name)
    .bind(attachment::content_type_of(&name))
    .bind(body.len() as i32)
    .bind(&sha256)
    .bind(body.as_ref())
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(document)).into_response())
}

/// `GET /api/v1/plans/{id}/documents/{document_id}`: the file.
#[utoipa::path(get, path = "/plans/{id}/documents/{document_id}", tag = "Plans",
    params(("id" = i64, Path, description = "Plan id"), ("document_id" = i64, Path, description = "Document id")),
    responses((status = 200, description = "The file, with the type of its name.", content(
            (String = "application/pdf"),
            (String = "application/msword"),
            (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (String = "application/vnd.ms-excel"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "application/vnd.oasis.opendocument.text"),
            (String = "image/png"),
            (String = "image/jpeg"),
            (String = "text/plain"),
            (String = "application/octet-stream"),
        )), (status = 401, description = "Not logged in."), (status = 404, description = "No such document.")))]
pub async fn document(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, document_id)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    principal.may_read_plans()?;
    let file: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "select file_name, content_type, content from plan_document where id = $1 and plan_id = $2",
    )
    .bind(document_id)
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    let (name, content_type, content) = file
        .ok_or_else(|| ApiError::not_found(format!("plan {id} has no document {document_id}")))?;
    Ok(attachment::attachment(&name, &content_type, content))
}
