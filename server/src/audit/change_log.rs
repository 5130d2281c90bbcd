//! The change log read back: everything people change besides assets — civil
//! works, restricted zones, undergrounding areas and projects, rules, holidays,
//! what wards publish, operators, accounts, scopes and tokens — as the
//! `change_log` trigger of each table wrote it (migration 0024), with who, when,
//! the row before and after, and the fields that changed. Newest first. The
//! entries are hash-chained like the asset history (migration 0083).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgPool, Postgres, QueryBuilder};
use utoipa::{IntoParams, ToSchema};

use super::diff::Change;
use super::{BrokenLink, folded_pattern};
use crate::http::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::policy::{ChangeLogReader, Principal};
use crate::state::AppState;

/// The filters of the change log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangeParams {
    /// The table changed: `civil_work`, `rule_setting`, `app_user`, …
    pub entity: Option<String>,
    /// Its key (the row's id, or its keys joined by `/`).
    pub key: Option<String>,
    /// Part of the username or the name of the person who made the change.
    pub user: Option<String>,
    /// `insert`, `update` or `delete`.
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Cursor: entries with a smaller id (the next page, newest first).
    pub before: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// A page of the change log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage {
    pub entries: Vec<ChangeEntry>,
    /// The cursor of the next (older) page; null on the last.
    pub next_before: Option<i64>,
}

/// One change of a row.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct ChangeEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The table.
    pub entity: String,
    pub entity_key: String,
    /// What a person calls the row: its title, name, rule key or username.
    pub label: Option<String>,
    pub action: String,
    pub actor: String,
    /// The display name of the person who made the change.
    pub actor_name: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<sqlx::types::Json<Value>>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<sqlx::types::Json<Value>>,
    /// The columns that differ between `before` and `after` (geometry said, not spelled out).
    #[sqlx(skip)]
    pub changes: Vec<Change>,
    /// Hex SHA-256 of the entry in the change log's hash chain.
    pub hash: Option<String>,
}

/// Columns every write touches, or that only repeat others.
const BOOKKEEPING: &[&str] = &[
    "version",
    "updated_at",
    "created_at",
    "updated_by",
    "created_by",
];
/// Geometry columns: their change is said, not spelled out in WKB.
const GEOMETRY: &[&str] = &["geom", "footprint", "geom_3857", "boundary"];

/// The columns that differ between two rows.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let old = before.and_then(Value::as_object).unwrap_or(&empty);
    let new = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
        .filter_map(|k| {
            let (b, a) = (
                old.get(k).unwrap_or(&Value::Null),
                new.get(k).unwrap_or(&Value::Null),
            );
            if b == a {
                return None;
            }
            Some(if GEOMETRY.contains(&k.as_str()) {
                Change {
                    field: "geometry".into(),
                    before: Value::Null,
                    after: Value::Null,
                }
            } else {
                Change {
                    field: k.clone(),
                    before: b.clone(),
                    after: a.clone(),
                }
            })
        })
        .collect()
}

/// `GET /api/v1/history/changes`: the change log the caller may read, newest first.
#[utoipa::path(
    get,
    path = "/history/changes",
    tag = "Accounts and audit",
    operation_id = "change_log",
    params(ChangeParams),
    responses(
        (status = 200, description = "`{entries, next_before}`: the entries the caller may read (admins: all; others: their own), newest first.", body = ChangePage),
        (status = 400, description = "A bad filter."),
        (status = 401, description = "Not logged in.")
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<ChangeParams>,
) -> ApiResult<Response> {
    let reader = principal.change_log_reader()?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::Malformed("limit must be from 1 to 1000".into()));
    }
    if let Some(action) = &params.action
        && !["insert", "update", "delete"].contains(&action.as_str())
    {
        return Err(ApiError::Malformed(format!(
            "action must be insert, update or delete; got {action:?}"
        )));
    }
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        "select c.id, c.at, c.entity, c.entity_key,
                coalesce(c.after ->> 'title', c.after ->> 'name', c.after ->> 'rule_key', c.after ->> 'username',
                         c.after ->> 'short_name', c.after ->> 'code',
                         c.before ->> 'title', c.before ->> 'name', c.before ->> 'rule_key', c.before ->> 'username',
                         c.before ->> 'short_name', c.before ->> 'code') as label,
                c.action, c.actor, u.display_name as actor_name, c.before, c.after, encode(c.hash, 'hex') as hash
         from change_log c left join app_user u on u.id = c.actor_user_id
         where true",
    );
    match reader {
        ChangeLogReader::All => {}
        ChangeLogReader::User(id) => {
            query.push(" and c.actor_user_id = ").push_bind(id);
        }
        ChangeLogReader::Token(id) => {
            query.push(" and c.actor_token_id = ").push_bind(id);
        }
    }
    if let Some(entity) = params.entity {
        query.push(" and c.entity = ").push_bind(entity);
    }
    if let Some(key) = params.key {
        query.push(" and c.entity_key = ").push_bind(key);
    }
    if let Some(user) = params.user.filter(|u| !u.trim().is_empty()) {
        query
            .push(" and c.actor_user_id in (select id from app_user where vi_fold(username) like vi_fold(")
            .push_bind(folded_pattern(&user))
            .push(") or vi_fold(display_name) like vi_fold(")
            .push_bind(folded_pattern(&user))
            .push("))");
    }
    if let Some(action) = params.action {
        query.push(" and c.action = ").push_bind(action);
    }
    if let Some(from) = params.from {
        query
            .push(" and c.at >= (")
            .push_bind(from)
            .push("::date::timestamp at time zone 'Asia/Ho_Chi_Minh')");
    }
    if let Some(to) = params.to {
        query
            .push(" and c.at < ((")
            .push_bind(to)
            .push("::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')");
    }
    if let Some(before) = params.before {
        query.push(" and c.id < ").push_bind(before);
    }
    query
        .push(" order by c.id desc limit ")
        .push_bind(limit + 1);
    let mut entries: Vec<ChangeEntry> = query.build_query_as().fetch_all(&state.pool).await?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    for entry in &mut entries {
        entry.changes = diff(
            entry.before.as_ref().map(|j| &j.0),
            entry.after.as_ref().map(|j| &j.0),
        );
    }
    let next = more.then(|| entries.last().map(|e| e.id)).flatten();
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        axum::Json(ChangePage {
            entries,
            next_before: next,
        }),
    )
        .into_response())
}

/// The change log's part of the chain check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainPart {
    pub entries: i64,
    /// Hex hash of the newest entry: record it outside the database too.
    pub head_hash: Option<String>,
    pub intact: bool,
    pub first_broken: Option<BrokenLink>,
}

/// Recomputes every change log entry's hash and link, in chain order.
pub async fn verify(pool: &PgPool) -> sqlx::Result<ChainPart> {
    let (entries, head_hash): (i64, Option<String>) = sqlx::query_as(
        "select count(*), (select encode(hash, 'hex') from change_log order by chain_seq desc limit 1) from change_log",
    )
    .fetch_one(pool)
    .await?;
    let broken: Option<(i64, i64, bool, bool)> = sqlx::query_as(
        "select chain_seq, id, hash_ok, link_ok from (
             select c.chain_seq, c.id,
                    c.hash is not distinct from change_log_digest(c) as hash_ok,
                    c.prev_hash is not distinct from lag(c.hash) over w as link_ok,
                    c.chain_seq = coalesce(lag(c.chain_seq) over w, 0) + 1 as seq_ok
             from change_log c
             window w as (order by c.chain_seq)
         ) x
         where not (hash_ok and link_ok and seq_ok)
         order by chain_seq
         limit 1",
    )
    .fetch_optional(pool)
    .await?;
    let first_broken = broken.map(|(chain_seq, history_id, hash_ok, link_ok)| BrokenLink {
        chain_seq,
        history_id,
        problem: if !hash_ok {
            "the change log entry's content does not match its hash: it was edited".into()
        } else if !link_ok {
            "the change log entry does not link to the one before it".into()
        } else {
            "a change log entry before this one is missing: it was deleted".into()
        },
    });
    Ok(ChainPart {
        entries,
        head_hash,
        intact: first_broken.is_none(),
        first_broken,
    })
}
