//! Reading and writing assets in PostgreSQL. Every write runs in one
//! transaction with its history entry, so a change and its record stand or fall
//! together.

use serde_json::Value;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};

use super::history::{self, Action};
use super::input::{AssetInput, COMPUTED};
use super::kind::{AssetKind, Status};
use crate::accounts::policy::{Principal, Viewer};
use crate::http::error::{ApiError, ApiResult, Problems};

/// A GeoJSON Feature of one asset, serialised by PostgreSQL, with its version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFeature {
    pub id: i64,
    pub version: i32,
    /// The Feature as JSON text.
    pub feature: String,
}

/// Filters of an asset list; all optional.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub bbox: Option<[f64; 4]>,
    pub operator: Option<String>,
    pub statuses: Vec<Status>,
    pub ward: Option<String>,
    pub shared: Option<bool>,
    /// Text to find in the code or name.
    pub q: Option<String>,
    /// Keyset cursor: only assets with a larger id.
    pub after: Option<i64>,
    pub limit: i64,
}

/// Appends the properties `viewer` may see of asset `a`.
fn push_properties(query: &mut QueryBuilder<'_, Postgres>, viewer: &Viewer) {
    if viewer.public {
        query.push("asset_public_properties(a)");
    } else {
        query
            .push("asset_properties_for(a, ")
            .push_bind(viewer.operator_id)
            .push(", ")
            .push_bind(viewer.admin)
            .push(", ")
            .push_bind(viewer.scope_wards.clone())
            .push(")");
    }
}

fn feature_query(viewer: &Viewer, with_tenants: bool) -> QueryBuilder<'static, Postgres> {
    let mut query = QueryBuilder::new(
        "select a.id, a.version, json_build_object('type', 'Feature', 'id', a.id, \
         'geometry', ST_AsGeoJSON(a.geom, 7)::json, 'properties', ",
    );
    push_properties(&mut query, viewer);
    if with_tenants && !viewer.public {
        query
            .push(" || jsonb_build_object('tenants', asset_tenancies_for(a.id, ")
            .push_bind(viewer.operator_id)
            .push(", ")
            .push_bind(viewer.admin)
            .push("))");
    }
    query.push(")::text as feature from asset a where true");
    if viewer.public {
        query.push(" and asset_published(a)");
    }
    query
}

/// One page of assets of a kind that `viewer` may see, in id order, and
/// whether more follow.
pub async fn list(
    pool: &PgPool,
    kind: AssetKind,
    filter: &ListFilter,
    viewer: &Viewer,
) -> sqlx::Result<(Vec<StoredFeature>, bool)> {
    let mut query = feature_query(viewer, false);
    query.push(" and a.kind = ").push_bind(kind.as_str());
    if let Some(after) = filter.after {
        query.push(" and a.id > ").push_bind(after);
    }
    if let Some([x1, y1, x2, y2]) = filter.bbox {
        query
            .push(" and ST_Intersects(a.geom, ST_MakeEnvelope(")
            .push_bind(x1)
            .push(", ")
            .push_bind(y1)
            .push(", ")
            .push_bind(x2)
            .push(", ")
            .push_bind(y2)
            .push(", 4326))");
    }
    if let Some(operator) = &filter.operator {
        query
            .push(" and a.owner_id = (select id from operator where code = ")
            .push_bind(operator.clone())
            .push(")");
    }
    if !filter.statuses.is_empty() {
        let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query
            .push(" and a.status = any(")
            .push_bind(statuses)
            .push(")");
    }
    if let Some(ward) = &filter.ward {
        query
            .push(" and a.ward_id in (select id from admin_unit where gso_code = ")
            .push_bind(ward.clone())
            .push(")");
    }
    if let Some(shared) = filter.shared {
        query
            .push(
                " and exists (select 1 from tenancy t where t.asset_id = a.id \
                 and t.tenant_id <> a.owner_id and active_tenancy(t)) = ",
            )
            .push_bind(shared);
    }
    if let Some(q) = &filter.q {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query
            .push(" and (a.code ilike ")
            .push_bind(pattern.clone())
            .push(" or a.name ilike ")
            .push_bind(pattern)
            .push(")");
    }
    query
        .push(" order by a.id limit ")
        .push_bind(filter.limit + 1);
    let mut rows: Vec<StoredFeature> = query.build_query_as().fetch_all(pool).await?;
    let more = rows.len() as i64 > filter.limit;
    rows.truncate(filter.limit as usize);
    Ok((rows, more))
}

/// One asset as a Feature, if it exists, is of `kind` (any kind when `None`)
/// and `viewer` may see it. The single-asset document also lists the asset's
/// tenancies, with lease terms only for those entitled.
pub async fn get(
    conn: &mut PgConnection,
    kind: Option<AssetKind>,
    id: i64,
    viewer: &Viewer,
) -> sqlx::Result<Option<StoredFeature>> {
    let mut query = feature_query(viewer, true);
    query.push(" and a.id = ").push_bind(id);
    if let Some(kind) = kind {
        query.push(" and a.kind = ").push_bind(kind.as_str());
    }
    query.build_query_as().fetch_optional(conn).await
}

/// Registers a new asset for `principal` and records its creation.
pub async fn create(
    pool: &PgPool,
    kind: AssetKind,
    input: &AssetInput,
    principal: &Principal,
) -> ApiResult<StoredFeature> {
    let mut tx = pool.begin().await?;
    let stored = create_in(&mut tx, kind, input, principal).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Registers a new asset inside the caller's transaction.
pub async fn create_in(
    tx: &mut PgConnection,
    kind: AssetKind,
    input: &AssetInput,
    principal: &Principal,
) -> ApiResult<StoredFeature> {
    principal.may_register_assets()?;
    let mut problems = Problems::new();
    let owner_id = check_references(&mut *tx, input, &mut problems).await?;
    if let Some(owner_id) = owner_id {
        principal.may_write_asset(owner_id)?;
    }
    let Some(owner_id) = owner_id.filter(|_| problems.is_empty()) else {
        return Err(problems.into_error());
    };
    let id: i64 = sqlx::query_scalar(
        "insert into asset (kind, code, name, owner_id, status, accuracy_m, capacity, note, geom)
         values ($1, $2, $3, $4, $5, $6, $7, $8, (checked_geometry($9, $10)).geom)
         returning id",
    )
    .bind(kind.as_str())
    .bind(&input.code)
    .bind(&input.name)
    .bind(owner_id)
    .bind(input.status.as_str())
    .bind(input.accuracy_m)
    .bind(input.capacity)
    .bind(&input.note)
    .bind(geozero::wkb::Encode(input.geometry.geometry.clone()))
    .bind(input.geometry.srid)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| constraint_problem(e, kind, input))?;
    input
        .details
        .save(&mut *tx, id, &mut problems)
        .await
        .map_err(|e| constraint_problem(e, kind, input))?;
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    history::record(&mut *tx, id, Action::Create, &principal.actor(), None, None).await?;
    get(&mut *tx, Some(kind), id, &principal.viewer())
        .await?
        .ok_or_else(|| ApiError::Internal("created asset vanished".into()))
}

/// Applies a JSON Merge Patch to an asset, checks the result as a whole, and
/// stores it as the next version. A patch that changes nothing stores nothing.
pub async fn update(
    pool: &PgPool,
    kind: AssetKind,
    id: i64,
    expected_version: Option<i32>,
    patch: &Value,
    principal: &Principal,
) -> ApiResult<StoredFeature> {
    principal.may_register_assets()?;
    let mut tx = pool.begin().await?;
    let current = lock_current(&mut tx, kind, id, expected_version, principal).await?;
    principal.may_write_asset(current.owner_id)?;
    let Value::Object(patch_members) = patch else {
        return Err(ApiError::invalid(
            "body",
            "must be a JSON object (a JSON Merge Patch of the Feature)",
        ));
    };
    if patch_members.contains_key("crs") && !patch_members.contains_key("geometry") {
        return Err(ApiError::invalid(
            "crs",
            "only applies to a geometry sent in the same request",
        ));
    }
    let editable = editable_document(&current.snapshot);
    let mut document = editable.clone();
    super::input::merge_patch(&mut document, patch);
    let viewer = principal.viewer();
    if document == editable {
        return get(&mut tx, Some(kind), id, &viewer)
            .await?
            .ok_or_else(|| ApiError::NotFound(not_found(kind, id)));
    }
    let input = AssetInput::parse(kind, document)?;
    let mut problems = Problems::new();
    let owner_id = check_references(&mut tx, &input, &mut problems).await?;
    if let Some(owner_id) = owner_id {
        // Handing an asset to another operator needs the right to write for both.
        principal.may_write_asset(owner_id)?;
    }
    let Some(owner_id) = owner_id.filter(|_| problems.is_empty()) else {
        return Err(problems.into_error());
    };
    sqlx::query(
        "update asset set code = $2, name = $3, owner_id = $4, status = $5, accuracy_m = $6, capacity = $7,
                note = $8, geom = (checked_geometry($9, $10)).geom, version = version + 1, updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(&input.code)
    .bind(&input.name)
    .bind(owner_id)
    .bind(input.status.as_str())
    .bind(input.accuracy_m)
    .bind(input.capacity)
    .bind(&input.note)
    .bind(geozero::wkb::Encode(input.geometry.geometry.clone()))
    .bind(input.geometry.srid)
    .execute(&mut *tx)
    .await
    .map_err(|e| constraint_problem(e, kind, &input))?;
    input
        .details
        .save(&mut tx, id, &mut problems)
        .await
        .map_err(|e| constraint_problem(e, kind, &input))?;
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    let was_decommissioned =
        current.snapshot["properties"]["status"] == Status::Decommissioned.as_str();
    let action = if input.status == Status::Decommissioned && !was_decommissioned {
        Action::Decommission
    } else {
        Action::Update
    };
    history::record(
        &mut tx,
        id,
        action,
        &principal.actor(),
        None,
        Some(&current.snapshot),
    )
    .await?;
    let stored = get(&mut tx, Some(kind), id, &viewer)
        .await?
        .ok_or_else(|| ApiError::NotFound(not_found(kind, id)))?;
    tx.commit().await?;
    debug_assert!(stored.version == current.version + 1);
    Ok(stored)
}

/// Takes an asset out of service. Nothing is deleted: the asset stays in the
/// registry, with status `decommissioned` and the reason in its history.
pub async fn decommission(
    pool: &PgPool,
    kind: AssetKind,
    id: i64,
    expected_version: Option<i32>,
    reason: Option<&str>,
    principal: &Principal,
) -> ApiResult<StoredFeature> {
    let mut tx = pool.begin().await?;
    let stored = decommission_in(&mut tx, kind, id, expected_version, reason, principal).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Decommissions inside the caller's transaction.
pub async fn decommission_in(
    tx: &mut PgConnection,
    kind: AssetKind,
    id: i64,
    expected_version: Option<i32>,
    reason: Option<&str>,
    principal: &Principal,
) -> ApiResult<StoredFeature> {
    principal.may_register_assets()?;
    let current = lock_current(&mut *tx, kind, id, expected_version, principal).await?;
    principal.may_write_asset(current.owner_id)?;
    if current.snapshot["properties"]["status"] == Status::Decommissioned.as_str() {
        return Err(ApiError::Conflict(format!(
            "{} {id} is already decommissioned",
            kind.as_str()
        )));
    }
    sqlx::query("update asset set status = 'decommissioned', version = version + 1, updated_at = now() where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    history::record(
        &mut *tx,
        id,
        Action::Decommission,
        &principal.actor(),
        reason,
        Some(&current.snapshot),
    )
    .await?;
    get(&mut *tx, Some(kind), id, &principal.viewer())
        .await?
        .ok_or_else(|| ApiError::NotFound(not_found(kind, id)))
}

/// The asset as it stands, locked for the rest of the transaction.
pub struct Current {
    pub version: i32,
    pub owner_id: i64,
    pub ward_id: Option<i64>,
    /// The full snapshot, as the history keeps it.
    pub snapshot: Value,
}

/// Locks the asset row for the rest of the transaction, checks the version the
/// client based its change on, and returns the asset as it stands. A version
/// conflict lists what changed since, to those who may read the history.
pub async fn lock_current(
    conn: &mut PgConnection,
    kind: AssetKind,
    id: i64,
    expected_version: Option<i32>,
    principal: &Principal,
) -> ApiResult<Current> {
    let row: Option<(i32, i64, Option<i64>, sqlx::types::Json<Value>)> = sqlx::query_as(
        "select version, owner_id, ward_id, asset_snapshot(id) from asset where id = $1 and kind = $2 for update",
    )
    .bind(id)
    .bind(kind.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((version, owner_id, ward_id, snapshot)) = row else {
        return Err(ApiError::NotFound(not_found(kind, id)));
    };
    if let Some(expected) = expected_version
        && expected != version
    {
        let changes = if principal.may_read_history(owner_id, ward_id).is_ok() {
            let since = history::entries(conn, id, Some(expected)).await?;
            history::describe_for_conflict(&since)
        } else {
            Vec::new()
        };
        return Err(ApiError::VersionConflict {
            expected,
            current: version,
            changes,
        });
    }
    Ok(Current {
        version,
        owner_id,
        ward_id,
        snapshot: snapshot.0,
    })
}

pub fn not_found(kind: AssetKind, id: i64) -> String {
    format!("there is no {} with id {id}", kind.as_str())
}

/// The part of a snapshot a client may change, as a Feature to patch.
fn editable_document(snapshot: &Value) -> Value {
    let mut properties = snapshot["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for key in COMPUTED {
        properties.remove(*key);
    }
    serde_json::json!({
        "type": "Feature",
        "geometry": snapshot["geometry"].clone(),
        "properties": properties,
    })
}

/// Resolves the owner and checks the geometry against PostGIS; returns the owner's id.
async fn check_references(
    conn: &mut PgConnection,
    input: &AssetInput,
    problems: &mut Problems,
) -> sqlx::Result<Option<i64>> {
    let owner_id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
        .bind(&input.operator)
        .fetch_optional(&mut *conn)
        .await?;
    if owner_id.is_none() {
        problems.add(
            "operator",
            format!("{} is not a registered operator", input.operator),
        );
    }
    let problem: Option<String> = sqlx::query_scalar("select (checked_geometry($1, $2)).problem")
        .bind(geozero::wkb::Encode(input.geometry.geometry.clone()))
        .bind(input.geometry.srid)
        .fetch_one(&mut *conn)
        .await?;
    if let Some(problem) = problem {
        problems.add("geometry", problem);
    }
    Ok(owner_id)
}

/// Turns a constraint violation into a 422 a person understands; other errors pass.
fn constraint_problem(error: sqlx::Error, kind: AssetKind, input: &AssetInput) -> ApiError {
    if let sqlx::Error::Database(db) = &error {
        if db.constraint() == Some("asset_code_per_owner") {
            return ApiError::invalid(
                "code",
                format!(
                    "{} already has a {} with code {}",
                    input.operator,
                    kind.as_str(),
                    input.code
                ),
            );
        }
        if db.code().as_deref() == Some("23514") {
            return ApiError::invalid(
                db.constraint().unwrap_or("properties"),
                format!(
                    "breaks the rule {}",
                    db.constraint().unwrap_or("of the schema")
                ),
            );
        }
    }
    ApiError::Database(error)
}
