//! Reading and writing assets in PostgreSQL. Every write runs in one
//! transaction with its history entry, so a change and its record stand or fall
//! together.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};

use super::details::Details;
use super::history::{self, Action};
use super::input::{AssetInput, COMPUTED};
use super::kind::{AssetKind, Status};
use crate::audit::Actor;
use crate::database::constraint::violated;
use crate::http::error::{ApiError, ApiResult, FieldProblem, Problems};
use crate::policy::{Principal, Viewer};

/// A GeoJSON Feature of one asset, serialised by PostgreSQL, with its version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFeature {
    pub id: i64,
    pub version: i32,
    /// The Feature as JSON text.
    pub feature: String,
    /// What the writer should check although the write was taken (a
    /// geometry read in a merged province's zone inside a former province
    /// that used another meridian); the answer carries them as `warnings`.
    #[sqlx(skip)]
    pub warnings: Vec<FieldProblem>,
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
    /// The operator's asset code, exactly.
    pub code: Option<String>,
    /// Only assets last changed at or after this instant.
    pub changed_from: Option<DateTime<Utc>>,
    /// Only assets last changed at or before this instant.
    pub changed_to: Option<DateTime<Utc>>,
    /// Keyset cursor: only assets with a larger id.
    pub after: Option<i64>,
    /// Keyset cursor backwards: only assets with a smaller id (the page before).
    pub before: Option<i64>,
    pub limit: i64,
    /// Assets to skip before the page (OGC `offset`).
    pub offset: i64,
}

/// The coordinates a Feature is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    /// SRID of the geometry (4326: WGS84, the API's own).
    pub srid: i32,
    /// Latitude before longitude (EPSG:4326 and 4756 as their EPSG definition
    /// orders the axes, for clients that ask for them by EPSG URI).
    pub lat_first: bool,
}

impl Default for Output {
    fn default() -> Self {
        Self {
            srid: 4326,
            lat_first: false,
        }
    }
}

impl Output {
    /// The SQL expression of `a.geom` as GeoJSON in this output.
    fn geometry_sql(self) -> String {
        let mut geom = if self.srid == 4326 {
            "a.geom".to_string()
        } else {
            format!("ST_Transform(a.geom, {})", self.srid)
        };
        if self.lat_first {
            geom = format!("ST_FlipCoordinates({geom})");
        }
        // 7 decimals of a degree is about 1 cm; projected coordinates to the millimetre.
        let digits = if crate::coordinates::is_projected(self.srid) {
            3
        } else {
            7
        };
        format!("ST_AsGeoJSON({geom}, {digits})::json")
    }
}

/// The properties `viewer` may see of asset `a`, as SQL.
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

/// `select a.id, a.version, <Feature> as feature` for `viewer`, with the
/// tenancies (single-asset documents) or without (lists).
fn push_feature(
    query: &mut QueryBuilder<'_, Postgres>,
    viewer: &Viewer,
    output: Output,
    with_tenants: bool,
) {
    query.push(format!(
        "select a.id, a.version, json_build_object('type', 'Feature', 'id', a.id, 'geometry', {}, 'properties', ",
        output.geometry_sql()
    ));
    push_properties(query, viewer);
    if with_tenants && !viewer.public {
        query
            .push(" || jsonb_build_object('tenants', asset_tenancies_for(a.id, ")
            .push_bind(viewer.operator_id)
            .push(", ")
            .push_bind(viewer.admin)
            .push("))");
    }
    query.push(")::text as feature");
}

/// What the public may not see: everything but published towers.
fn push_visibility(query: &mut QueryBuilder<'_, Postgres>, viewer: &Viewer) {
    if viewer.public {
        query.push(" and asset_published(a)");
    }
}

/// One page of assets of a kind that `viewer` may see, in id order, and
/// whether more follow.
pub async fn list(
    pool: &PgPool,
    kind: AssetKind,
    filter: &ListFilter,
    viewer: &Viewer,
) -> sqlx::Result<(Vec<StoredFeature>, bool)> {
    list_as(pool, kind, filter, Output::default(), viewer).await
}

/// [`list`] with the geometry in another CRS. With `filter.before` the page is
/// the one before that id (still in id order), and "more" means more before it.
pub async fn list_as(
    pool: &PgPool,
    kind: AssetKind,
    filter: &ListFilter,
    output: Output,
    viewer: &Viewer,
) -> sqlx::Result<(Vec<StoredFeature>, bool)> {
    let backwards = filter.before.is_some() && filter.after.is_none();
    let order = if backwards {
        " order by a.id desc"
    } else {
        " order by a.id"
    };
    // The page's ids first, then the documents of those rows only: with an
    // offset, PostgreSQL builds the select list of every skipped row, so
    // `offset=99900` built 99,900 documents to drop them (10 s).
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new("");
    push_feature(&mut query, viewer, output, false);
    query.push(" from asset a join (select a.id");
    push_filter(&mut query, kind, filter);
    push_visibility(&mut query, viewer);
    query
        .push(order)
        .push(" limit ")
        .push_bind(filter.limit + 1);
    if filter.offset > 0 {
        query.push(" offset ").push_bind(filter.offset);
    }
    query.push(") page on page.id = a.id").push(order);
    let mut rows: Vec<StoredFeature> = query.build_query_as().fetch_all(pool).await?;
    let more = rows.len() as i64 > filter.limit;
    rows.truncate(filter.limit as usize);
    if backwards {
        rows.reverse();
    }
    Ok((rows, more))
}

/// How many assets of a kind that `viewer` may see match `filter` (the cursors and limit aside).
pub async fn count(
    pool: &PgPool,
    kind: AssetKind,
    filter: &ListFilter,
    viewer: &Viewer,
) -> sqlx::Result<i64> {
    let unpaged = ListFilter {
        after: None,
        before: None,
        offset: 0,
        ..filter.clone()
    };
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new("select count(*)");
    push_filter(&mut query, kind, &unpaged);
    push_visibility(&mut query, viewer);
    query.build_query_scalar().fetch_one(pool).await
}

/// The Feature of one asset as in a list (no tenancies), if `viewer` may see it.
pub async fn feature(
    pool: &PgPool,
    kind: AssetKind,
    id: i64,
    output: Output,
    viewer: &Viewer,
) -> sqlx::Result<Option<StoredFeature>> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new("");
    push_feature(&mut query, viewer, output, false);
    query
        .push(" from asset a where a.id = ")
        .push_bind(id)
        .push(" and a.kind = ")
        .push_bind(kind.as_str());
    push_visibility(&mut query, viewer);
    query.build_query_as().fetch_optional(pool).await
}

/// `from asset a where ...` for a kind and a filter.
fn push_filter(query: &mut QueryBuilder<Postgres>, kind: AssetKind, filter: &ListFilter) {
    query
        .push(" from asset a where a.kind = ")
        .push_bind(kind.as_str());
    if let Some(after) = filter.after {
        query.push(" and a.id > ").push_bind(after);
    }
    if let Some(before) = filter.before {
        query.push(" and a.id < ").push_bind(before);
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
        // A ward that no longer exists (merged on 1/7/2025) still filters by
        // its territory: assets now belong to the ward that replaced it.
        query
            .push(" and (a.ward_id in (select id from admin_unit where gso_code = ")
            .push_bind(ward.clone())
            .push(") or ST_Intersects(a.geom, (select ST_Union(boundary) from admin_unit where level = 'ward' and valid_to < current_date and gso_code = ")
            .push_bind(ward.clone())
            .push(")))");
    }
    if let Some(shared) = filter.shared {
        query
            .push(
                " and exists (select 1 from tenancy t where t.asset_id = a.id and t.tenant_id <> a.owner_id and active_tenancy(t)) = ",
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
    if let Some(code) = &filter.code {
        query.push(" and a.code = ").push_bind(code.clone());
    }
    if let Some(from) = filter.changed_from {
        query.push(" and a.updated_at >= ").push_bind(from);
    }
    if let Some(to) = filter.changed_to {
        query.push(" and a.updated_at <= ").push_bind(to);
    }
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
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new("");
    push_feature(&mut query, viewer, Output::default(), true);
    query.push(" from asset a where a.id = ").push_bind(id);
    if let Some(kind) = kind {
        query.push(" and a.kind = ").push_bind(kind.as_str());
    }
    push_visibility(&mut query, viewer);
    query.build_query_as().fetch_optional(conn).await
}

/// The assets with these ids that `viewer` may see, whatever their kind, in
/// the order asked (as in lists: no tenancies). For screens that hold ids of
/// assets (a cable's supports, a duct's manholes) and show them by code and name.
pub async fn by_ids(
    pool: &PgPool,
    ids: &[i64],
    viewer: &Viewer,
) -> sqlx::Result<Vec<StoredFeature>> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new("");
    push_feature(&mut query, viewer, Output::default(), false);
    query
        .push(" from asset a where a.id = any(")
        .push_bind(ids.to_vec())
        .push(")");
    push_visibility(&mut query, viewer);
    query
        .push(" order by array_position(")
        .push_bind(ids.to_vec())
        .push(", a.id)");
    query.build_query_as().fetch_all(pool).await
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
    let (owner_id, warnings) = check_references(&mut *tx, input, &mut problems).await?;
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
    let stored = get(&mut *tx, Some(kind), id, &principal.viewer())
        .await?
        .ok_or_else(|| ApiError::Internal("created asset vanished".into()))?;
    Ok(StoredFeature { warnings, ..stored })
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
            .ok_or_else(|| ApiError::not_found(not_found(kind, id)));
    }
    let input = AssetInput::parse(kind, document)?;
    let mut problems = Problems::new();
    let (owner_id, warnings) = check_references(&mut tx, &input, &mut problems).await?;
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
        .ok_or_else(|| ApiError::not_found(not_found(kind, id)))?;
    tx.commit().await?;
    debug_assert!(stored.version == current.version + 1);
    Ok(StoredFeature { warnings, ..stored })
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
        return Err(ApiError::conflict(format!(
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
        .ok_or_else(|| ApiError::not_found(not_found(kind, id)))
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
        return Err(ApiError::not_found(not_found(kind, id)));
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

/// Resolves the owner and checks the geometry against PostGIS; returns the
/// owner's id and the geometry's warnings.
async fn check_references(
    conn: &mut PgConnection,
    input: &AssetInput,
    problems: &mut Problems,
) -> sqlx::Result<(Option<i64>, Vec<FieldProblem>)> {
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
    match crate::geometry::check(&mut *conn, &input.geometry).await? {
        Ok(checked) => {
            let warnings = checked
                .warnings
                .into_iter()
                .map(|w| FieldProblem::new("geometry", w))
                .collect();
            Ok((owner_id, warnings))
        }
        Err(problem) => {
            problems.add("geometry", problem);
            Ok((owner_id, Vec::new()))
        }
    }
}

/// Turns a constraint violation into a 422 a person understands; other errors pass.
fn constraint_problem(error: sqlx::Error, kind: AssetKind, input: &AssetInput) -> ApiError {
    if let sqlx::Error::Database(db) = &error {
        if violated(&error) == Some("asset_code_per_owner") {
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

/// The outcome of a bulk write: how many assets it created, changed and left
/// as they were, and the problems only the database could find (by row).
#[derive(Debug, Default, Clone)]
pub struct BulkOutcome {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub problems: Vec<(i64, FieldProblem)>,
}

/// Creates or updates, in the caller's transaction, every asset staged in the
/// temporary table `import_row` — one row per asset of `kind` owned by
/// `operator`, already parsed and checked: `row_no`, `code`, `name`,
/// `status`, `accuracy_m`, `capacity`, `note`, `geom_wgs84`, `details`
/// (the kind's attributes as JSON). An asset whose code the operator already
/// uses for this kind is updated, not duplicated; one whose document comes out
/// the same keeps its version and gets no history entry. Every change is
/// recorded in the history as done by `actor`.
///
/// `complex` carries the details of kinds with more than one detail row (a
/// duct bank's pipes, a cable's supports), by row number; they are written one
/// asset at a time with the same code as single API writes. If `problems` come
/// back, the caller must roll back.
pub async fn upsert_staged(
    conn: &mut PgConnection,
    kind: AssetKind,
    operator: &str,
    actor: &Actor,
    complex: &[(i64, Details)],
) -> sqlx::Result<BulkOutcome> {
    let owner_id: i64 = sqlx::query_scalar("select id from operator where code = $1")
        .bind(operator)
        .fetch_one(&mut *conn)
        .await?;
    for statement in [
        // Nobody else changes these assets until the import commits.
        "select a.id from asset a join import_row r on r.code = a.code
         where a.owner_id = $1 and a.kind = $2 order by a.id for update of a",
        "create temp table import_written on commit drop as
         select r.row_no, a.id as asset_id, a.id is null as created,
                case when a.id is not null then asset_snapshot(a.id) end as before,
                case when a.id is null then 'create' end as action
         from import_row r
         left join asset a on a.owner_id = $1 and a.kind = $2 and a.code = r.code",
        "update asset a
         set name = r.name, status = r.status, accuracy_m = r.accuracy_m, capacity = r.capacity,
             note = r.note, geom = r.geom_wgs84
         from import_written w join import_row r using (row_no)
         where a.id = w.asset_id and not w.created and a.owner_id = $1 and a.kind = $2",
    ] {
        sqlx::query(statement)
            .bind(owner_id)
            .bind(kind.as_str())
            .execute(&mut *conn)
            .await?;
    }
    // The ward of each new point, for all of them at once (see `ward_for`:
    // for a point, the first valid ward by id that covers it). The wards are
    // the outer loop, so that PostGIS prepares each boundary once and probes
    // an index of the points, rather than testing every point against every
    // boundary its box touches, unprepared, as the trigger does row by row
    // (about 40 µs an asset). Lines keep `ward_for` (the longest part).
    for statement in [
        "create index import_row_geom on import_row using gist (geom_wgs84)",
        "analyze import_row",
        "create temp table import_ward on commit drop as
         select r.row_no, min(u.id) as ward_id
         from admin_unit u
         join import_row r on ST_Intersects(u.boundary, r.geom_wgs84)
         where u.level = 'ward' and u.boundary is not null
           and u.valid_from <= current_date and (u.valid_to is null or u.valid_to >= current_date)
           and GeometryType(r.geom_wgs84) = 'POINT'
         group by r.row_no",
        "create index on import_ward (row_no)",
        // The trigger `asset_derive_ward` leaves the ward given here (migration 0111).
        "select set_config('hatang.asset_ward_given', 'on', true)",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    let inserted = sqlx::query(
        "with inserted as (
             insert into asset (kind, code, name, owner_id, status, accuracy_m, capacity, note, geom, ward_id)
             select $2, r.code, r.name, $1, r.status, r.accuracy_m, r.capacity, r.note, r.geom_wgs84,
                    case when GeometryType(r.geom_wgs84) = 'POINT' then x.ward_id else ward_for(r.geom_wgs84) end
             from import_row r join import_written w using (row_no)
             left join import_ward x using (row_no)
             where w.created
             order by r.row_no
             returning id, code)
         update import_written w set asset_id = i.id
         from inserted i join import_row r on r.code = i.code
         where w.row_no = r.row_no",
    )
    .bind(owner_id)
    .bind(kind.as_str())
    .execute(&mut *conn)
    .await;
    sqlx::query("select set_config('hatang.asset_ward_given', 'off', true)")
        .execute(&mut *conn)
        .await?;
    inserted?;
    sqlx::query("create index on import_written (row_no)")
        .execute(&mut *conn)
        .await?;
    let mut outcome = BulkOutcome::default();
    match Details::single_row_table(kind) {
        Some(table) => {
            sqlx::query(&format!(
                "delete from {table} d using import_written w where d.asset_id = w.asset_id"
            ))
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "insert into {table}
                 select d.*
                 from import_written w
                 join import_row r using (row_no)
                 cross join lateral jsonb_populate_record(null::{table},
                     r.details || jsonb_build_object('asset_id', w.asset_id)) d"
            ))
            .execute(&mut *conn)
            .await?;
        }
        None => {
            let ids: Vec<(i64, i64)> =
                sqlx::query_as("select row_no, asset_id from import_written order by row_no")
                    .fetch_all(&mut *conn)
                    .await?;
            let by_row: std::collections::HashMap<i64, i64> = ids.into_iter().collect();
            for (row_no, details) in complex {
                let Some(asset_id) = by_row.get(row_no) else {
                    continue;
                };
                let mut problems = Problems::new();
                details.save(conn, *asset_id, &mut problems).await?;
                outcome
                    .problems
                    .extend(problems.into_vec().into_iter().map(|p| (*row_no, p)));
            }
            if !outcome.problems.is_empty() {
                return Ok(outcome);
            }
        }
    }
    // The functions that build documents look assets up by id; after a large
    // write the planner's statistics still describe the table before it, and
    // lead those lookups to scan it whole. ANALYZE sees this transaction's rows.
    let written: i64 = sqlx::query_scalar("select count(*) from import_written")
        .fetch_one(&mut *conn)
        .await?;
    if written > 1000 {
        let detail_table = Details::single_row_table(kind).unwrap_or(kind.as_str());
        sqlx::query(&format!("analyze asset, {detail_table}"))
            .execute(&mut *conn)
            .await?;
    }
    // Which assets changed: new ones (marked 'create' from the start), and
    // those whose document differs now.
    sqlx::query(
        "update import_written w
         set action = case
                 when w.before #>> '{properties,status}' <> 'decommissioned'
                      and a.status = 'decommissioned' then 'decommission'
                 else 'update' end
         from asset a
         where a.id = w.asset_id and not w.created
           and ((w.before -> 'properties') - '{version,created_at,updated_at}'::text[]
                   is distinct from asset_properties(a) - '{version,created_at,updated_at}'::text[]
                or w.before -> 'geometry' is distinct from ST_AsGeoJSON(a.geom, 7)::jsonb)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update asset a set version = a.version + 1, updated_at = now()
         from import_written w
         where a.id = w.asset_id and not w.created and w.action is not null",
    )
    .execute(&mut *conn)
    .await?;
    // New assets of a kind with one detail row: documents and chain in Rust.
    let bulk = Details::single_row_table(kind);
    if let Some(table) = bulk {
        history::record_created(conn, kind.as_str(), table, operator, actor).await?;
    }
    history::record_staged(conn, actor, bulk.is_some()).await?;
    let (created, updated, unchanged): (i64, i64, i64) = sqlx::query_as(
        "select count(*) filter (where created),
                count(*) filter (where not created and action is not null),
                count(*) filter (where action is null)
         from import_written",
    )
    .fetch_one(&mut *conn)
    .await?;
    outcome.created = created as u64;
    outcome.updated = updated as u64;
    outcome.unchanged = unchanged as u64;
    Ok(outcome)
}
