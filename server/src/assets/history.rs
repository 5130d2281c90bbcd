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
///
/// With `skip_created`, assets created by the import are left out: their
/// entries were written by [`record_created`].
pub async fn record_staged(
    conn: &mut PgConnection,
    actor: &Actor,
    skip_created: bool,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "insert into asset_history (asset_id, action, actor, actor_user_id, actor_token_id, version, before, after)
         select a.id, w.action, $1, $2, $3, a.version, w.before,
                jsonb_build_object('geometry', ST_AsGeoJSON(a.geom, 7)::jsonb,
                                   'properties', asset_properties(a),
                                   'tenancies', asset_tenancies(a.id))
         from import_written w
         join asset a on a.id = w.asset_id
         where w.action is not null and not (w.created and $4)
         order by w.row_no",
    )
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(actor.token_id)
    .bind(skip_created)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Rows of created assets read per round trip by [`record_created`].
const CREATED_CHUNK: i64 = 20_000;

/// One created asset as [`record_created`] reads it.
#[derive(sqlx::FromRow)]
struct Created {
    row_no: i64,
    id: i64,
    code: String,
    name: Option<String>,
    status: String,
    accuracy_m: Option<f64>,
    capacity: Option<i32>,
    note: Option<String>,
    version: i32,
    created_at: String,
    updated_at: String,
    ward_code: Option<String>,
    ward_name: Option<String>,
    geometry: String,
    details: String,
}

/// Records the creations of a bulk write (an import) of a kind whose details
/// are one row (`detail_table`): the "after" documents are written here from
/// the stored rows, each entry is chained here (see [`super::chain`]), and
/// all are copied in. The same entries as [`record_staged`] writes, in the
/// same order, at a fraction of the cost: no document function is called
/// per asset, no trigger reads the chain's head per entry.
///
/// A new asset's document is `asset_snapshot`'s with nothing shared yet:
/// no tenancies, so `tenant_count` 0, `shared` false and `free_capacity`
/// the capacity. The detail row, the geometry and the timestamps are printed
/// by PostgreSQL (`to_jsonb`, `ST_AsGeoJSON`), the rest here. A test checks
/// that the documents equal `asset_snapshot` and that `verify-history` passes.
pub async fn record_created(
    conn: &mut PgConnection,
    kind: &str,
    detail_table: &str,
    operator: &str,
    actor: &Actor,
) -> sqlx::Result<u64> {
    use super::chain::{JsonbText, Link, hex};
    // The chain has one writer at a time, as in the trigger.
    sqlx::query("select pg_advisory_xact_lock(hashtext('asset_history_chain'))")
        .execute(&mut *conn)
        .await?;
    let (mut seq, mut prev): (i64, Option<Vec<u8>>) = sqlx::query_as(
        "select coalesce(max(chain_seq), 0),
                (select hash from asset_history where chain_seq is not null order by chain_seq desc limit 1)
         from asset_history",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (at_micros, operator_code, operator_name): (i64, String, Option<String>) = sqlx::query_as(
        "select (extract(epoch from now()) * 1000000)::bigint, code, short_name
             from operator where code = $1",
    )
    .bind(operator)
    .fetch_one(&mut *conn)
    .await?;
    let mut constant = String::new();
    JsonbText::string(&mut constant, kind);
    let kind_json = std::mem::take(&mut constant);
    JsonbText::string(&mut constant, &operator_code);
    let operator_json = std::mem::take(&mut constant);
    JsonbText::optional_string(&mut constant, operator_name.as_deref());
    let operator_name_json = constant;
    let select = format!(
        "select w.row_no, a.id, a.code, a.name, a.status, a.accuracy_m, a.capacity, a.note, a.version,
                to_jsonb(a.created_at)::text as created_at, to_jsonb(a.updated_at)::text as updated_at,
                u.gso_code as ward_code, u.name as ward_name,
                ST_AsGeoJSON(a.geom, 7)::jsonb::text as geometry,
                (to_jsonb(d) - 'asset_id')::text as details
         from import_written w
         join asset a on a.id = w.asset_id
         join {detail_table} d on d.asset_id = a.id
         left join admin_unit u on u.id = a.ward_id
         where w.created and w.action is not null and w.row_no > $1
         order by w.row_no
         limit $2"
    );
    let mut last_row = i64::MIN;
    let mut written = 0u64;
    loop {
        let rows: Vec<Created> = sqlx::query_as(&select)
            .bind(last_row)
            .bind(CREATED_CHUNK)
            .fetch_all(&mut *conn)
            .await?;
        let Some(last) = rows.last() else {
            break;
        };
        last_row = last.row_no;
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "select nextval(pg_get_serial_sequence('asset_history', 'id')) from generate_series(1, $1)",
        )
        .bind(rows.len() as i64)
        .fetch_all(&mut *conn)
        .await?;
        ids.sort_unstable();
        let mut copy = String::with_capacity(rows.len() * 900);
        let mut after = String::with_capacity(1024);
        for (row, id) in rows.iter().zip(ids) {
            after.clear();
            created_document(
                &mut after,
                row,
                [&kind_json, &operator_json, &operator_name_json],
            )
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            seq += 1;
            let hash = Link {
                chain_seq: seq,
                prev_hash: prev.as_deref(),
                id,
                asset_id: row.id,
                action: Action::Create.as_str(),
                actor: &actor.name,
                actor_user_id: actor.user_id,
                actor_token_id: actor.token_id,
                at_micros,
                version: row.version,
                reason: None,
                before: None,
                after: Some(&after),
            }
            .digest();
            // id, asset_id, action, actor, actor_user_id, actor_token_id,
            // version, reason, before, after, chain_seq, prev_hash, hash
            copy.push_str(&format!("{id}\t{}\tcreate\t", row.id));
            copy_text(&mut copy, &actor.name);
            copy.push('\t');
            match actor.user_id {
                Some(u) => copy.push_str(&u.to_string()),
                None => copy.push_str("\\N"),
            }
            copy.push('\t');
            match actor.token_id {
                Some(t) => copy.push_str(&t.to_string()),
                None => copy.push_str("\\N"),
            }
            copy.push_str(&format!("\t{}\t\\N\t\\N\t", row.version));
            copy_text(&mut copy, &after);
            copy.push_str(&format!("\t{seq}\t"));
            match &prev {
                Some(p) => copy.push_str(&format!("\\\\x{}", hex(p))),
                None => copy.push_str("\\N"),
            }
            copy.push_str(&format!("\t\\\\x{}\n", hex(&hash)));
            prev = Some(hash.to_vec());
        }
        let mut sink = conn
            .copy_in_raw(
                "copy asset_history (id, asset_id, action, actor, actor_user_id, actor_token_id, version, reason,
                                     before, after, chain_seq, prev_hash, hash) from stdin",
            )
            .await?;
        sink.send(copy.into_bytes()).await?;
        written += sink.finish().await?;
    }
    Ok(written)
}

/// The "after" document of a created asset, as `jsonb` prints it.
fn created_document(
    out: &mut String,
    row: &Created,
    [kind, operator, operator_name]: [&str; 3],
) -> Result<(), serde_json::Error> {
    use super::chain::JsonbText;
    let text = |s: &str| {
        let mut v = String::new();
        JsonbText::string(&mut v, s);
        v
    };
    let optional_text = |s: Option<&str>| {
        let mut v = String::new();
        JsonbText::optional_string(&mut v, s);
        v
    };
    let float = |x: Option<f64>| match x {
        Some(x) => {
            let mut v = String::new();
            JsonbText::float(&mut v, x);
            v
        }
        None => "null".into(),
    };
    let integer = |n: Option<i64>| n.map_or_else(|| "null".into(), |n| n.to_string());
    let code = text(&row.code);
    let name = optional_text(row.name.as_deref());
    let status = text(&row.status);
    let accuracy = float(row.accuracy_m);
    let capacity = integer(row.capacity.map(i64::from));
    let free = integer(row.capacity.map(|c| i64::from(c).max(0)));
    let note = optional_text(row.note.as_deref());
    let ward_code = optional_text(row.ward_code.as_deref());
    let ward_name = optional_text(row.ward_name.as_deref());
    let version = row.version.to_string();
    let details = raw_members(&row.details)?;
    let mut members: Vec<(&str, &str)> = vec![
        ("kind", kind),
        ("code", &code),
        ("name", &name),
        ("operator", operator),
        ("operator_name", operator_name),
        ("status", &status),
        ("accuracy_m", &accuracy),
        ("capacity", &capacity),
        ("note", &note),
        ("ward_code", &ward_code),
        ("ward_name", &ward_name),
        ("tenant_count", "0"),
        ("shared", "false"),
        ("free_capacity", &free),
        ("version", &version),
        ("created_at", &row.created_at),
        ("updated_at", &row.updated_at),
    ];
    members.extend(details.iter().map(|(k, v)| (k.as_str(), v.get())));
    let mut properties = String::with_capacity(512);
    JsonbText::object(&mut properties, members);
    JsonbText::object(
        out,
        vec![
            ("geometry", &row.geometry),
            ("properties", &properties),
            ("tenancies", "[]"),
        ],
    );
    Ok(())
}

/// The members of an object printed by PostgreSQL, their values as printed.
fn raw_members(
    object: &str,
) -> Result<Vec<(String, &serde_json::value::RawValue)>, serde_json::Error> {
    let map: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(object)?;
    Ok(map.into_iter().collect())
}

/// A value in `COPY ... FROM STDIN` text format.
fn copy_text(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
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
