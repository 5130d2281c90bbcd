//! The change history of an asset: every creation, update, decommissioning and
//! tenancy change, with who made it, when, and the asset's document before and
//! after. Written in the same transaction as the change itself.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::audit::Actor;
pub use crate::audit::diff::{Change, diff};
use crate::validation::FieldProblem;

/// What kind of change a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Decommission,
    Tenancy,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Decommission => "decommission",
            Self::Tenancy => "tenancy",
        }
    }
}

/// Records a change to `asset_id`, taking the "after" snapshot now.
pub async fn record(
    conn: &mut PgConnection,
    asset_id: i64,
    action: Action,
    actor: &Actor,
    reason: Option<&str>,
    before: Option<&Value>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into asset_history (asset_id, action, actor, actor_user_id, actor_token_id, version, reason, before, after)
         select a.id, $2, $3, $4, $5, a.version, $6, $7, asset_snapshot(a.id) from asset a where a.id = $1",
    )
    .bind(asset_id)
    .bind(action.as_str())
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .bind(reason)
    .bind(before.map(sqlx::types::Json))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the changes of a bulk write (an import), taking each "after"
/// snapshot now. Reads the temporary table `import_written` that
/// [`super::store::upsert_staged`] fills: one row per changed asset with its
/// `asset_id`, `action` and `before` snapshot (rows with no action changed
/// nothing and get no entry).
///
/// The "after" document is `asset_snapshot(id)` written out, so that its
/// parts are planned once for the whole statement: called per row, the
/// nested SQL functions are planned again for every asset (about 3 ms each on
/// PostgreSQL 15, against 1 ms this way). A test checks the two agree.
pub async fn record_staged(conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "insert into asset_history (asset_id, action, actor, actor_user_id, actor_token_id, version, before, after)
         select a.id, w.action, $1, $2, $3, a.version, w.before,
                jsonb_build_object('geometry', ST_AsGeoJSON(a.geom, 7)::jsonb,
                                   'properties', asset_properties(a),
                                   'tenancies', asset_tenancies(a.id))
         from import_written w
         join asset a on a.id = w.asset_id
         where w.action is not null
         order by w.row_no",
    )
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One entry of an asset's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    pub asset_id: i64,
    pub action: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// The asset's version after the change.
    pub version: i32,
    pub reason: Option<String>,
    /// The fields that changed (all of them for a creation).
    pub changes: Vec<Change>,
    /// The asset's document before the change (absent for a creation).
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    asset_id: i64,
    action: String,
    actor: String,
    at: DateTime<Utc>,
    version: i32,
    reason: Option<String>,
    before: Option<sqlx::types::Json<Value>>,
    after: Option<sqlx::types::Json<Value>>,
}

impl From<Row> for Entry {
    fn from(row: Row) -> Self {
        let before = row.before.map(|j| j.0);
        let after = row.after.map(|j| j.0);
        let changes = diff(before.as_ref(), after.as_ref());
        Entry {
            id: row.id,
            asset_id: row.asset_id,
            action: row.action,
            actor: row.actor,
            at: row.at,
            version: row.version,
            reason: row.reason,
            changes,
            before,
            after,
        }
    }
}

/// The history of an asset, oldest first; with `since_version`, only the
/// changes that produced later versions.
pub async fn entries(
    conn: &mut PgConnection,
    asset_id: i64,
    since_version: Option<i32>,
) -> sqlx::Result<Vec<Entry>> {
    let rows: Vec<Row> = sqlx::query_as(
        "select id, asset_id, action, actor, at, version, reason, before, after
         from asset_history
         where asset_id = $1 and ($2::int is null or version > $2)
         order by id",
    )
    .bind(asset_id)
    .bind(since_version)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Entry::from).collect())
}

/// The changes since `version`, described for a person whose edit was refused.
pub fn describe_for_conflict(entries: &[Entry]) -> Vec<FieldProblem> {
    entries
        .iter()
        .flat_map(|entry| {
            entry.changes.iter().map(move |change| {
                let shown = |v: &Value| match v {
                    Value::String(s) => s.clone(),
                    Value::Null => "(empty)".into(),
                    Value::Object(_) | Value::Array(_) => "(changed)".into(),
                    other => other.to_string(),
                };
                let what = if change.field == "geometry" || change.field == "tenancies" {
                    format!("{} changed", change.field)
                } else {
                    format!(
                        "changed from {} to {}",
                        shown(&change.before),
                        shown(&change.after)
                    )
                };
                FieldProblem::new(
                    change.field.clone(),
                    format!(
                        "{what} by {} at {} (version {})",
                        entry.actor,
                        entry.at.format("%Y-%m-%d %H:%M:%S UTC"),
                        entry.version
                    ),
                )
            })
        })
        .collect()
}
