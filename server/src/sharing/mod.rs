//! Sharing of passive infrastructure (sử dụng chung hạ tầng): operators must
//! share where capacity allows (Decree 72/2012/NĐ-CP; Telecom Law 2023), and
//! the plans count shared sites as a measure of urban aesthetics. This module
//! answers: how much is shared (ratio per ward and operator), where is room
//! (free slots on towers, free pipes in duct banks), where could a new site
//! co-locate, and is there a free path through the ducts from one manhole to
//! another.

use crate::database::routing::ReadDb;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::{IntoParams, ToSchema};

use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::rules;
use crate::state::AppState;
use crate::tabular::{self, Cell, Table};
use crate::vn_time::today;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ratio))
        .routes(routes!(capacity))
        .routes(routes!(colocation))
        .routes(routes!(path))
}

const TAG: &str = "Sharing";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct RatioParams {
    /// `ward` (default) or `operator`.
    #[param(pattern = "^(ward|operator)$")]
    by: Option<String>,
    /// Province GSO code.
    province: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
}

/// The sharing ratio's rows, per ward or per owner operator.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatioTable {
    /// `ward` or `operator`.
    #[schema(pattern = "^(ward|operator)$")]
    pub by: &'static str,
    pub rows: Vec<RatioRow>,
}

#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct RatioRow {
    #[schema(required = true)]
    pub code: Option<String>,
    pub name: String,
    pub towers: i64,
    pub shared_towers: i64,
    pub poles: i64,
    pub shared_poles: i64,
    /// Towers and poles used by two or more operators, over all of them.
    pub ratio: f64,
}

/// `GET /api/v1/sharing/ratio`: towers and poles with two or more users
/// (the owner and at least one tenant today), per ward or per owner.
#[utoipa::path(get, path = "/sharing/ratio", tag = TAG, operation_id = "sharing_ratio",
    summary = "Towers and poles shared by two or more operators, per ward or operator",
    params(RatioParams),
    responses((status = 200, description = "Per ward or per owner operator, by name (or the same rows as CSV or XLSX with `format`).",
               content((RatioTable = "application/json"), (String = "text/csv"),
                       (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "A bad `by` or `format`.", body = ErrorBody),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn ratio(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<RatioParams>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let by_operator = match params.by.as_deref() {
        None | Some("ward") => false,
        Some("operator") => true,
        Some(other) => {
            return Err(ApiError::Malformed(format!(
                "by must be ward or operator; got {other:?}"
            )));
        }
    };
    let format = tabular::format(params.format.as_deref())?;
    let group = if by_operator {
        "o.code, o.short_name"
    } else {
        "w.gso_code, w.name"
    };
    let rows: Vec<RatioRow> = sqlx::query_as(&format!(
        "with users as (
             select a.id, a.kind, a.owner_id, a.ward_id,
                    1 + (select count(distinct t.tenant_id) from tenancy t
                         where t.asset_id = a.id and t.tenant_id <> a.owner_id and active_tenancy(t)) as users
             from asset a
             where a.kind in ('tower', 'pole') and a.status in ('operational', 'inactive')
         )
         select {group_code} as code, coalesce({group_name}, '(ngoài phường đã biết)') as name,
                count(*) filter (where u.kind = 'tower') as towers,
                count(*) filter (where u.kind = 'tower' and u.users >= 2) as shared_towers,
                count(*) filter (where u.kind = 'pole') as poles,
                count(*) filter (where u.kind = 'pole' and u.users >= 2) as shared_poles,
                round(count(*) filter (where u.users >= 2)::numeric / greatest(count(*), 1), 4)::float8 as ratio
         from users u
         join operator o on o.id = u.owner_id
         left join admin_unit w on w.id = u.ward_id
         left join admin_unit p on p.id = w.parent_id
         where $1::text is null or p.gso_code = $1
         group by {group}
         order by name",
        group_code = group.split(", ").next().unwrap_or(group),
        group_name = group.split(", ").nth(1).unwrap_or(group),
    ))
    .bind(&params.province)
    .fetch_all(&db.pool)
    .await?;
    let table = Table {
        title: if by_operator {
            "Tỷ lệ dùng chung theo DN".into()
        } else {
            "Tỷ lệ dùng chung theo phường".into()
        },
        columns: [
            "Mã",
            "Tên",
            "Cột ăng ten",
            "Cột ăng ten dùng chung",
            "Cột treo cáp",
            "Cột treo cáp dùng chung",
            "Tỷ lệ dùng chung",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::from(r.code.clone()),
                    r.name.clone().into(),
                    r.towers.into(),
                    r.shared_towers.into(),
                    r.poles.into(),
                    r.shared_poles.into(),
                    r.ratio.into(),
                ]
            })
            .collect(),
    };
    table.respond(
        format,
        "ty-le-dung-chung",
        RatioTable {
            by: if by_operator { "operator" } else { "ward" },
            rows,
        },
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CapacityParams {
    /// `towers` (default) or `ducts`.
    #[param(pattern = "^(towers|ducts)$")]
    kind: Option<String>,
    /// Ward GSO code.
    ward: Option<String>,
    /// Only assets with room left.
    free_only: Option<bool>,
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
}

/// A tower's slots or a duct bank's pipes.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityRow {
    pub id: i64,
    pub code: String,
    /// The owner operator's code.
    pub operator: String,
    #[schema(required = true)]
    pub ward_name: Option<String>,
    /// Slots of a tower, pipes of a duct bank.
    #[schema(required = true)]
    pub capacity: Option<i64>,
    #[schema(required = true)]
    pub free: Option<i64>,
    #[schema(required = true)]
    pub tenant_count: Option<i64>,
}

/// Towers (slots) or duct banks (pipes), by id.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityTable {
    pub rows: Vec<CapacityRow>,
}

/// Id, code, owner, ward, capacity (slots or pipes), free, tenants.
type CapacityTuple = (
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// `GET /api/v1/sharing/capacity`: free slots per tower, or free pipes per duct bank.
#[utoipa::path(get, path = "/sharing/capacity", tag = TAG, operation_id = "sharing_capacity",
    summary = "Free slots per tower or free pipes per duct bank",
    params(CapacityParams),
    responses((status = 200, description = "Towers (slots) or duct banks (pipes), by id (or the same rows as CSV or XLSX with `format`).",
               content((CapacityTable = "application/json"), (String = "text/csv"),
                       (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "A bad `kind` or `format`.", body = ErrorBody),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn capacity(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<CapacityParams>,
) -> ApiResult<Response> {
    principal.require_login()?;
    let format = tabular::format(params.format.as_deref())?;
    let ducts = match params.kind.as_deref() {
        None | Some("towers") => false,
        Some("ducts") => true,
        Some(other) => {
            return Err(ApiError::Malformed(format!(
                "kind must be towers or ducts; got {other:?}"
            )));
        }
    };
    let rows: Vec<CapacityTuple> = sqlx::query_as(
        "select a.id, a.code, o.code, w.name,
                case when a.kind = 'duct' then (select count(*) from duct_pipe p where p.duct_id = a.id) else a.capacity::bigint end,
                (asset_properties(a) ->> 'free_capacity')::bigint,
                (asset_properties(a) ->> 'tenant_count')::bigint
         from asset a join operator o on o.id = a.owner_id left join admin_unit w on w.id = a.ward_id
         where a.kind = $1 and a.status = 'operational'
           and ($2::text is null or w.gso_code = $2)
         order by a.id",
    )
    .bind(if ducts { "duct" } else { "tower" })
    .bind(&params.ward)
    .fetch_all(&db.pool)
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| !params.free_only.unwrap_or(false) || r.5.unwrap_or(0) > 0)
        .collect();
    let json_rows: Vec<CapacityRow> = rows
        .iter()
        .map(
            |(id, code, operator, ward, total, free, tenants)| CapacityRow {
                id: *id,
                code: code.clone(),
                operator: operator.clone(),
                ward_name: ward.clone(),
                capacity: *total,
                free: *free,
                tenant_count: *tenants,
            },
        )
        .collect();
    let table = Table {
        title: if ducts {
            "Ống trống".into()
        } else {
            "Vị trí trống trên cột".into()
        },
        columns: [
            "Mã",
            "Doanh nghiệp",
            "Phường",
            if ducts {
                "Số ống"
            } else {
                "Số vị trí"
            },
            "Còn trống",
            "Số DN thuê",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|(_, code, operator, ward, total, free, tenants)| {
                vec![
                    code.clone().into(),
                    operator.clone().into(),
                    ward.clone().into(),
                    total.map(Cell::from).unwrap_or(Cell::Empty),
                    free.map(Cell::from).unwrap_or(Cell::Empty),
                    tenants.map(Cell::from).unwrap_or(Cell::Empty),
                ]
            })
            .collect(),
    };
    table.respond(
        format,
        if ducts { "ong-trong" } else { "vi-tri-trong" },
        CapacityTable { rows: json_rows },
    )
}

/// Towers within `distance_m` of a point (as EWKT or GeoJSON-parsable WKT), nearest first.
pub async fn towers_within(
    conn: &mut PgConnection,
    point_ewkt: &str,
    distance_m: f64,
) -> sqlx::Result<Vec<Value>> {
    sqlx::query_scalar(
        "select json_build_object(
                    'id', a.id, 'code', a.code, 'name', a.name, 'operator', o.code, 'status', a.status,
                    'tower_class', t.tower_class, 'height_m', t.height_m,
                    'distance_m', round(ST_Distance(a.geom::geography, $1::geography)::numeric, 1),
                    'tenant_count', (asset_properties(a) ->> 'tenant_count')::int,
                    'free_capacity', (asset_properties(a) ->> 'free_capacity')::int,
                    'geometry', ST_AsGeoJSON(a.geom, 7)::json)
         from asset a
         join tower t on t.asset_id = a.id
         join operator o on o.id = a.owner_id
         where a.kind = 'tower' and a.status in ('operational', 'under_construction', 'planned')
           and a.geom && metres_box($1::geometry, $2) and ST_DWithin(a.geom::geography, $1::geography, $2)
         order by ST_Distance(a.geom::geography, $1::geography)
         limit 20",
    )
    .bind(point_ewkt)
    .bind(distance_m)
    .fetch_all(conn)
    .await
}

/// The spacing distance a `sharing.spacing` rule sets for a tower of this
/// class and height, in an urban or a rural ward.
pub fn spacing_distance(
    rule: &Value,
    class: &str,
    height_m: Option<f64>,
    urban: bool,
) -> Option<f64> {
    let pick = |v: &Value| {
        if urban {
            v["urban_m"].as_f64()
        } else {
            v["rural_m"].as_f64().or(v["urban_m"].as_f64())
        }
    };
    if let Some(bands) = rule["bands"].as_array() {
        for band in bands {
            let class_ok = band["classes"]
                .as_array()
                .is_none_or(|cs| cs.iter().any(|c| c.as_str() == Some(class)));
            let height_ok = band["max_height_m"]
                .as_f64()
                .is_none_or(|max| height_m.is_some_and(|h| h <= max));
            if class_ok && height_ok {
                return pick(band);
            }
        }
    }
    pick(rule)
}

/// The province and urban/rural character of the ward at a point.
pub async fn place_of(
    conn: &mut PgConnection,
    point_ewkt: &str,
) -> sqlx::Result<(Option<String>, bool)> {
    let row: Option<(Option<String>, String)> = sqlx::query_as(
        "select p.gso_code, w.unit_type from admin_unit w join admin_unit p on p.id = w.parent_id
         where w.id = ward_for($1::geometry)",
    )
    .bind(point_ewkt)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|(code, unit_type)| (code, unit_type != "xã"))
        .unwrap_or((None, true)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ColocationParams {
    /// Longitude of the planned site (WGS84).
    lon: f64,
    /// Latitude of the planned site (WGS84).
    lat: f64,
    /// The planned tower's class (default A2b).
    tower_class: Option<String>,
    height_m: Option<f64>,
    /// The day whose rules apply (default today).
    on: Option<NaiveDate>,
}

/// The spacing rule a colocation search applied.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpacingRule {
    pub id: i64,
    pub citation: String,
    /// The rule's `mode` (how the distance is meant), when it says one.
    #[schema(value_type = Option<String>)]
    pub mode: Value,
    pub provisional: bool,
}

/// A tower near a planned site (`towers_within`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NearbyTower {
    pub id: i64,
    pub code: String,
    #[schema(required = true)]
    pub name: Option<String>,
    /// The owner operator's code.
    pub operator: String,
    pub status: String,
    #[schema(required = true)]
    pub tower_class: Option<String>,
    #[schema(required = true)]
    pub height_m: Option<f64>,
    /// From the planned site, metres (to 0.1 m).
    pub distance_m: f64,
    #[schema(required = true)]
    pub tenant_count: Option<i64>,
    #[schema(required = true)]
    pub free_capacity: Option<i64>,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
}

/// Towers with room within the spacing distance of a planned site.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Colocation {
    /// The province's spacing rule; null when it has none.
    #[schema(required = true)]
    pub rule: Option<SpacingRule>,
    /// The distance the rule sets for this class and height; null without one.
    #[schema(required = true)]
    pub radius_m: Option<f64>,
    /// Whether the site is in an urban ward (the rule may set two distances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urban: Option<bool>,
    /// Nearest first, only those with a free slot (or no capacity declared).
    pub candidates: Vec<NearbyTower>,
    /// Why there are none, when the province has no rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'static str>,
}

/// `GET /api/v1/sharing/colocation`: towers with free slots within the
/// distance the province's rule sets for a tower of this class at this point.
#[utoipa::path(get, path = "/sharing/colocation", tag = TAG, operation_id = "colocation_candidates",
    summary = "Towers with free slots within the province's spacing distance of a point",
    params(ColocationParams),
    responses((status = 200, description = "The rule applied and the towers with room, nearest first.", body = Colocation),
              (status = 400, description = "Not a point in Vietnam.", body = ErrorBody),
              (status = 401, description = "Not logged in.", body = ErrorBody)))]
async fn colocation(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ColocationParams>,
) -> ApiResult<axum::Json<Colocation>> {
    principal.require_login()?;
    if !crate::coordinates::in_vietnam_extent(params.lon, params.lat) {
        return Err(ApiError::Malformed(
            "lon and lat must be a point in Vietnam (WGS84)".into(),
        ));
    }
    let point = format!("SRID=4326;POINT({} {})", params.lon, params.lat);
    let mut conn = db.pool.acquire().await?;
    let (province, urban) = place_of(&mut conn, &point).await?;
    let class = params.tower_class.unwrap_or_else(|| "A2b".into());
    let rule = rules::find(
        &mut conn,
        "sharing.spacing",
        province.as_deref(),
        params.on.unwrap_or_else(today),
    )
    .await?;
    let Some(rule) = rule else {
        return Ok(axum::Json(Colocation {
            rule: None,
            radius_m: None,
            urban: None,
            candidates: Vec::new(),
            message: Some("the province has no tower spacing rule"),
        }));
    };
    let radius = spacing_distance(&rule.value.0, &class, params.height_m, urban);
    let candidates = match radius {
        Some(radius) => towers_within(&mut conn, &point, radius).await?,
        None => Vec::new(),
    };
    let candidates = candidates
        .into_iter()
        .map(serde_json::from_value::<NearbyTower>)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Internal(format!("a nearby tower's document: {e}")))?;
    let with_room: Vec<NearbyTower> = candidates
        .into_iter()
        .filter(|c| c.free_capacity.is_none_or(|f| f > 0))
        .collect();
    Ok(axum::Json(Colocation {
        rule: Some(SpacingRule {
            id: rule.id,
            citation: rule.citation,
            mode: rule.value.0["mode"].clone(),
            provisional: rule.provisional,
        }),
        radius_m: radius,
        urban: Some(urban),
        candidates: with_room,
        message: None,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PathParams {
    /// The manhole to start from.
    from: i64,
    /// The manhole to reach.
    to: i64,
}

/// A duct bank on a route.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteDuct {
    pub duct_id: i64,
    pub code: String,
    /// The owner operator's code.
    pub operator: String,
    pub from_manhole_id: i64,
    pub to_manhole_id: i64,
    /// Metres, to 0.1 m.
    pub length_m: f64,
    pub free_pipes: i64,
    pub pipe_count: i64,
}

/// What a free-path search found.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PathStatus {
    Free,
    Blocked,
    NoRoute,
}

/// Whether a route through the ducts has a free pipe all the way.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreePath {
    /// `free`: a route with a free pipe all the way (`length_m`, `ducts`);
    /// `blocked`: the shortest route has a full duct (`blocking`);
    /// `no_route`: the manholes are not joined by registered ducts.
    pub status: PathStatus,
    /// The free route's length, metres (with `free`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_m: Option<f64>,
    /// The route, in order from `from` (empty with `no_route`).
    pub ducts: Vec<RouteDuct>,
    /// The first full duct of the shortest route (with `blocked`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocking: Option<RouteDuct>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'static str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct DuctEdge {
    id: i64,
    code: String,
    operator: String,
    from_manhole_id: i64,
    to_manhole_id: i64,
    length_m: f64,
    free_pipes: i64,
    pipe_count: i64,
}

/// Shortest route from `from` to `to` over the ducts that `usable` allows.
fn shortest(
    edges: &[DuctEdge],
    from: i64,
    to: i64,
    usable: impl Fn(&DuctEdge) -> bool,
) -> Option<Vec<usize>> {
    let mut adjacent: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate().filter(|(_, e)| usable(e)) {
        adjacent.entry(e.from_manhole_id).or_default().push(i);
        adjacent.entry(e.to_manhole_id).or_default().push(i);
    }
    let mut best: HashMap<i64, (f64, Option<usize>)> = HashMap::from([(from, (0.0, None))]);
    let mut queue = BinaryHeap::from([(Reverse(0u64), from)]);
    while let Some((Reverse(cost), node)) = queue.pop() {
        let cost = f64::from_bits(cost);
        if node == to {
            break;
        }
        if best.get(&node).is_some_and(|(known, _)| *known < cost) {
            continue;
        }
        for &i in adjacent.get(&node).map(Vec::as_slice).unwrap_or_default() {
            let e = &edges[i];
            let next = if e.from_manhole_id == node {
                e.to_manhole_id
            } else {
                e.from_manhole_id
            };
            let through = cost + e.length_m;
            if best.get(&next).is_none_or(|(known, _)| through < *known) {
                best.insert(next, (through, Some(i)));
                // Non-negative f64 order is the order of their bits.
                queue.push((Reverse(through.to_bits()), next));
            }
        }
    }
    let mut route = Vec::new();
    let mut node = to;
    while node != from {
        let (_, via) = best.get(&node)?;
        let i = (*via)?;
        route.push(i);
        let e = &edges[i];
        node = if e.from_manhole_id == node {
            e.to_manhole_id
        } else {
            e.from_manhole_id
        };
    }
    route.reverse();
    Some(route)
}

/// `GET /api/v1/sharing/path?from=<manhole>&to=<manhole>`: a route through
/// duct banks with a free pipe all the way, or the first duct that blocks the
/// shortest route.
#[utoipa::path(get, path = "/sharing/path", tag = TAG, operation_id = "free_path",
    summary = "A route with a free pipe all the way between two manholes, or the duct that blocks it",
    params(PathParams),
    responses((status = 200, description = "free, blocked (with the blocking duct) or no_route.", body = FreePath),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 404, description = "No such manhole.", body = ErrorBody),
              (status = 422, description = "An end is not a manhole.", body = ErrorBody)))]
async fn path(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<PathParams>,
) -> ApiResult<axum::Json<FreePath>> {
    principal.require_login()?;
    let mut conn = db.pool.acquire().await?;
    let ends: Vec<(i64, String)> = sqlx::query_as("select id, kind from asset where id = any($1)")
        .bind(vec![params.from, params.to])
        .fetch_all(&mut *conn)
        .await?;
    for id in [params.from, params.to] {
        match ends.iter().find(|(found, _)| *found == id) {
            Some((_, kind)) if kind == "manhole" => {}
            Some((_, kind)) => {
                return Err(ApiError::invalid(
                    if id == params.from { "from" } else { "to" },
                    format!("asset {id} is a {kind}, not a manhole"),
                ));
            }
            None => return Err(ApiError::not_found(format!("there is no manhole {id}"))),
        }
    }
    // The duct network around the two manholes (within 2 km of the box they span).
    let edges: Vec<DuctEdge> = sqlx::query_as(
        "with ends as (select ST_Collect(geom) as g from asset where id in ($1, $2))
         select a.id, a.code, o.code as operator, d.from_manhole_id, d.to_manhole_id,
                ST_Length(a.geom::geography) as length_m,
                (select count(*) from duct_pipe p where p.duct_id = a.id and p.state = 'free') as free_pipes,
                (select count(*) from duct_pipe p where p.duct_id = a.id) as pipe_count
         from asset a join duct d on d.asset_id = a.id join operator o on o.id = a.owner_id, ends
         where a.status = 'operational' and d.from_manhole_id is not null and d.to_manhole_id is not null
           and a.geom && metres_box(ST_Envelope(ends.g), 2000)
           and ST_DWithin(a.geom::geography, ST_Envelope(ends.g)::geography, 2000)",
    )
    .bind(params.from)
    .bind(params.to)
    .fetch_all(&mut *conn)
    .await?;
    let describe = |route: &[usize]| -> Vec<RouteDuct> {
        route
            .iter()
            .map(|&i| {
                let e = &edges[i];
                RouteDuct {
                    duct_id: e.id,
                    code: e.code.clone(),
                    operator: e.operator.clone(),
                    from_manhole_id: e.from_manhole_id,
                    to_manhole_id: e.to_manhole_id,
                    length_m: (e.length_m * 10.0).round() / 10.0,
                    free_pipes: e.free_pipes,
                    pipe_count: e.pipe_count,
                }
            })
            .collect()
    };
    if let Some(route) = shortest(&edges, params.from, params.to, |e| e.free_pipes > 0) {
        let length: f64 = route.iter().map(|&i| edges[i].length_m).sum();
        return Ok(axum::Json(FreePath {
            status: PathStatus::Free,
            length_m: Some((length * 10.0).round() / 10.0),
            ducts: describe(&route),
            blocking: None,
            message: None,
        }));
    }
    match shortest(&edges, params.from, params.to, |_| true) {
        Some(route) => {
            let blocking = route
                .iter()
                .copied()
                .find(|&i| edges[i].free_pipes == 0)
                .map(|i| describe(&[i]).remove(0));
            Ok(axum::Json(FreePath {
                status: PathStatus::Blocked,
                length_m: None,
                ducts: describe(&route),
                blocking,
                message: Some(
                    "no route has a free pipe all the way; the shortest route is blocked at the duct shown",
                ),
            }))
        }
        None => Ok(axum::Json(FreePath {
            status: PathStatus::NoRoute,
            length_m: None,
            ducts: Vec::new(),
            blocking: None,
            message: Some("the two manholes are not joined by registered duct banks"),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn edge(id: i64, from: i64, to: i64, length_m: f64, free_pipes: i64) -> DuctEdge {
        DuctEdge {
            id,
            code: format!("D{id}"),
            operator: "VNPT".into(),
            from_manhole_id: from,
            to_manhole_id: to,
            length_m,
            free_pipes,
            pipe_count: 4,
        }
    }

    #[test]
    fn the_shortest_free_route_is_found_and_blocked_ducts_are_avoided() {
        // 1 —(100)— 2 —(100, full)— 3, and a detour 2 —(150)— 4 —(150)— 3.
        let edges = vec![
            edge(10, 1, 2, 100.0, 2),
            edge(11, 2, 3, 100.0, 0),
            edge(12, 2, 4, 150.0, 1),
            edge(13, 4, 3, 150.0, 1),
        ];
        let free = shortest(&edges, 1, 3, |e| e.free_pipes > 0).unwrap();
        assert_eq!(
            free.iter().map(|&i| edges[i].id).collect::<Vec<_>>(),
            [10, 12, 13]
        );
        let any = shortest(&edges, 1, 3, |_| true).unwrap();
        assert_eq!(
            any.iter().map(|&i| edges[i].id).collect::<Vec<_>>(),
            [10, 11]
        );
        assert!(shortest(&edges, 1, 99, |_| true).is_none());
    }

    #[test]
    fn spacing_bands_follow_class_and_height() {
        let quang_nam = json!({"mode": "required", "bands": [
            {"classes": ["A2a"], "max_height_m": 15, "urban_m": 150, "rural_m": 200},
            {"classes": ["A2a"], "urban_m": 200, "rural_m": 350},
            {"classes": ["A2b"], "urban_m": 300}]});
        assert_eq!(
            spacing_distance(&quang_nam, "A2a", Some(12.0), true),
            Some(150.0)
        );
        assert_eq!(
            spacing_distance(&quang_nam, "A2a", Some(18.0), false),
            Some(350.0)
        );
        assert_eq!(
            spacing_distance(&quang_nam, "A2b", Some(42.0), false),
            Some(300.0)
        );
        assert_eq!(spacing_distance(&quang_nam, "A1", None, true), None);
        let ha_noi = json!({"mode": "required", "urban_m": 100, "rural_m": 500});
        assert_eq!(
            spacing_distance(&ha_noi, "A2b", Some(40.0), false),
            Some(500.0)
        );
    }
}
