//! The audit trail: the change history of every asset, read across assets —
//! by operator, by user, by period — exported as CSV, and checked for
//! tampering. Each history entry's hash covers its content and the previous
//! entry's hash (see the `asset_history_chain` trigger), so an edited or
//! deleted entry breaks the chain at that point. Deleting the newest entries
//! leaves a shorter but consistent chain: keep the head hash that
//! `hatang verify-history` prints somewhere outside the database (in the
//! yearly report, say) to detect that too.

pub mod actor;
pub mod changes;
pub mod diff;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgPool, Postgres, QueryBuilder};
use utoipa::ToSchema;

use self::diff::{Change, diff};
pub use actor::Actor;

use crate::http::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::policy::{Principal, Role};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(change_log::list))
        .routes(routes!(verify_handler))
}

pub mod change_log;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    asset: Option<i64>,
    /// Owner operator code.
    operator: Option<String>,
    /// Part of the username or of the name of the person who made the change.
    user: Option<String>,
    /// `create`, `update`, `decommission` or `tenancy`.
    action: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    /// `newest` (the default) or `oldest` first.
    order: Option<String>,
    /// Cursor of `oldest` first: entries with a larger id.
    after: Option<i64>,
    /// Cursor of `newest` first: entries with a smaller id.
    before: Option<i64>,
    /// At most this many (default 100, at most 1000; CSV: all).
    limit: Option<i64>,
    /// `json` (the default) or `csv`.
    format: Option<String>,
}

/// A page of the audit trail: `next_before` (newest first) or `next_after`
/// (oldest first) is the cursor of the next page, null on the last.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_before: Option<Option<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<Option<i64>>,
}

/// `%text%` for a LIKE over folded text (diacritics and case aside).
pub fn folded_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// The display name of the person who made the change (none for a token or the system).
    pub actor_name: Option<String>,
    pub action: String,
    pub asset_id: i64,
    pub asset_kind: String,
    pub asset_code: String,
    pub operator: String,
    pub version: i32,
    pub reason: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<sqlx::types::Json<Value>>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<sqlx::types::Json<Value>>,
    /// The fields that differ between `before` and `after`, as in an asset's own history.
    #[sqlx(skip)]
    pub changes: Vec<Change>,
    #[serde(skip)]
    pub owner_id: i64,
    /// Hex SHA-256 of the entry in the hash chain.
    pub hash: String,
}

const CSV_LIMIT: i64 = 100_000;

#[utoipa::path(get, path = "/history", tag = "Accounts and audit", operation_id = "audit_history",
    summary = "The audit trail across assets (JSON, or CSV with format=csv)", params(HistoryParams),
    responses(
        (status = 200, description = "Entries the caller may read.", content(
            (AuditPage = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A bad filter.", body = crate::http::error::ErrorBody),
        (status = 401, description = "Not logged in.", body = crate::http::error::ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let csv = match params.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::Malformed(format!(
                "format must be json or csv; got {other:?}"
            )));
        }
    };
    let limit = if csv {
        CSV_LIMIT
    } else {
        params.limit.unwrap_or(100)
    };
    if !(1..=1000).contains(&limit) && !csv {
        return Err(ApiError::Malformed("limit must be from 1 to 1000".into()));
    }
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        "select h.id, h.at, h.actor, u.display_name as actor_name, h.action, h.asset_id, a.kind as asset_kind,
                a.code as asset_code, o.code as operator, h.version, h.reason, h.before, h.after, a.owner_id,
                encode(h.hash, 'hex') as hash
         from asset_history h
         join asset a on a.id = h.asset_id
         join operator o on o.id = a.owner_id
         left join app_user u on u.id = h.actor_user_id
         where true",
    );
    // What the principal may read at all (see crate::policy).
    match &principal {
        Principal::Public => unreachable!("login was required above"),
        Principal::User(user) if user.role == Role::Admin => {}
        Principal::User(user) if matches!(user.role, Role::Reviewer | Role::Planner) => {
            query
                .push(" and a.ward_id = any(")
                .push_bind(user.scope_wards.clone())
                .push(")");
        }
        _ => {
            let operator_id = principal.operator().map(|o| o.id).unwrap_or(-1);
            query.push(" and a.owner_id = ").push_bind(operator_id);
        }
    }
    if let Some(asset) = params.asset {
        query.push(" and h.asset_id = ").push_bind(asset);
    }
    if let Some(operator) = params.operator {
        query.push(" and o.code = ").push_bind(operator);
    }
    if let Some(user) = params.user.filter(|u| !u.trim().is_empty()) {
        // Part of a username or of a name, as people remember it ("vnpt", "Nguyễn", "nguyen van").
        query
            .push(" and h.actor_user_id in (select id from app_user where vi_fold(username) like vi_fold(")
            .push_bind(folded_pattern(&user))
            .push(") or vi_fold(display_name) like vi_fold(")
            .push_bind(folded_pattern(&user))
            .push("))");
    }
    if let Some(action) = params.action {
        query.push(" and h.action = ").push_bind(action);
    }
    if let Some(from) = params.from {
        query
            .push(" and h.at >= (")
            .push_bind(from)
            .push("::date::timestamp at time zone 'Asia/Ho_Chi_Minh')");
    }
    if let Some(to) = params.to {
        query
            .push(" and h.at < ((")
            .push_bind(to)
            .push("::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')");
    }
    let oldest_first = match params.order.as_deref() {
        None | Some("newest") => false,
        Some("oldest") => true,
        Some(other) => {
            return Err(ApiError::Malformed(format!(
                "order must be newest or oldest; got {other:?}"
            )));
        }
    };
    if let Some(after) = params.after {
        query.push(" and h.id > ").push_bind(after);
    }
    if let Some(before) = params.before {
        query.push(" and h.id < ").push_bind(before);
    }
    query
        .push(if oldest_first {
            " order by h.id limit "
        } else {
            " order by h.id desc limit "
        })
        .push_bind(limit + 1);
    let mut entries: Vec<AuditEntry> = query.build_query_as().fetch_all(&state.pool).await?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    for entry in &mut entries {
        if !principal.is_admin() && principal.operator().is_none_or(|o| o.id != entry.owner_id) {
            for snapshot in [&mut entry.before, &mut entry.after].into_iter().flatten() {
                redact_lease_terms(&mut snapshot.0);
            }
        }
    }
    if csv {
        return to_csv(&entries);
    }
    for entry in &mut entries {
        entry.changes = diff(
            entry.before.as_ref().map(|j| &j.0),
            entry.after.as_ref().map(|j| &j.0),
        );
    }
    let next = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    // The cursor of the next page: `after` oldest first, `before` newest first.
    let page = if oldest_first {
        AuditPage {
            entries,
            next_before: None,
            next_after: Some(next),
        }
    } else {
        AuditPage {
            entries,
            next_before: Some(next),
            next_after: None,
        }
    };
    Ok(axum::Json(page).into_response())
}

/// Removes contract references and fees from a snapshot's tenancies.
pub fn redact_lease_terms(snapshot: &mut Value) {
    if let Some(tenancies) = snapshot.get_mut("tenancies").and_then(Value::as_array_mut) {
        for tenancy in tenancies {
            if let Some(t) = tenancy.as_object_mut() {
                t.remove("contract_ref");
                t.remove("monthly_fee_vnd");
            }
        }
    }
}

fn to_csv(entries: &[AuditEntry]) -> ApiResult<Response> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(e.to_string());
    writer
        .write_record([
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "asset_id",
            "asset_kind",
            "asset_code",
            "operator",
            "version",
            "reason",
            "changes",
            "hash",
        ])
        .map_err(fail)?;
    for e in entries {
        let changes: Vec<String> = diff(
            e.before.as_ref().map(|j| &j.0),
            e.after.as_ref().map(|j| &j.0),
        )
        .into_iter()
        .map(|c| match (&c.before, &c.after) {
            (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
                format!("{} changed", c.field)
            }
            (before, after) => format!("{}: {} → {}", c.field, before, after),
        })
        .collect();
        writer
            .write_record(
                [
                    e.id.to_string(),
                    e.at.to_rfc3339(),
                    e.actor.clone(),
                    e.actor_name.clone().unwrap_or_default(),
                    e.action.clone(),
                    e.asset_id.to_string(),
                    e.asset_kind.clone(),
                    e.asset_code.clone(),
                    e.operator.clone(),
                    e.version.to_string(),
                    e.reason.clone().unwrap_or_default(),
                    changes.join("; "),
                    e.hash.clone(),
                ]
                .iter()
                .map(|field| crate::tabular::safe_text(field).into_owned()),
            )
            .map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    // A byte-order mark so that spreadsheet programs read the Vietnamese text as UTF-8.
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend(bytes);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hatang-history.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The result of checking the hash chains: the asset history's, and the
/// change log's (settings, areas, works, accounts) under `change_log`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainReport {
    pub entries: i64,
    /// Hex hash of the newest entry: record it outside the database.
    pub head_hash: Option<String>,
    /// Whether both chains are intact.
    pub intact: bool,
    /// The first entry where the asset history's chain breaks, and why.
    pub first_broken: Option<BrokenLink>,
    pub change_log: change_log::ChainPart,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrokenLink {
    pub chain_seq: i64,
    pub history_id: i64,
    pub problem: String,
}

/// Recomputes every entry's hash and link, in chain order.
pub async fn verify(pool: &PgPool) -> sqlx::Result<ChainReport> {
    let (entries, head_hash): (i64, Option<String>) = sqlx::query_as(
        "select count(*), (select encode(hash, 'hex') from asset_history order by chain_seq desc limit 1) from asset_history",
    )
    .fetch_one(pool)
    .await?;
    let broken: Option<(i64, i64, bool, bool, bool)> = sqlx::query_as(
        "select chain_seq, id, hash_ok, link_ok, seq_ok from (
             select h.chain_seq, h.id,
                    h.hash is not distinct from asset_history_digest(h) as hash_ok,
                    h.prev_hash is not distinct from lag(h.hash) over w as link_ok,
                    h.chain_seq = coalesce(lag(h.chain_seq) over w, 0) + 1 as seq_ok
             from asset_history h
             window w as (order by h.chain_seq)
         ) c
         where not (hash_ok and link_ok and seq_ok)
         order by chain_seq
         limit 1",
    )
    .fetch_optional(pool)
    .await?;
    let first_broken = broken.map(|(chain_seq, history_id, hash_ok, link_ok, _)| BrokenLink {
        chain_seq,
        history_id,
        problem: if !hash_ok {
            "the entry's content does not match its hash: it was edited".into()
        } else if !link_ok {
            "the entry does not link to the one before it".into()
        } else {
            "an entry before this one is missing: it was deleted".into()
        },
    });
    let change_log = change_log::verify(pool).await?;
    Ok(ChainReport {
        entries,
        head_hash,
        intact: first_broken.is_none() && change_log.intact,
        first_broken,
        change_log,
    })
}

#[utoipa::path(get, path = "/history/verify", tag = "Administration", operation_id = "verify_history",
    summary = "Check the history's hash chain",
    responses(
        (status = 200, description = "Whether the chains are intact, the head hash, and the first broken entry.", body = ChainReport),
        (status = 401, description = "Not logged in.", body = crate::http::error::ErrorBody),
        (status = 403, description = "Not an admin.", body = crate::http::error::ErrorBody),
    ))]
async fn verify_handler(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<axum::Json<ChainReport>> {
    principal.may_administer()?;
    Ok(axum::Json(verify(&state.pool).await?))
}
