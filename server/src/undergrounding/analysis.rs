//! The figures: overhead km in undergrounding streets and zones (per street
//! segment, ward and operator), cable density per segment, undergrounding
//! debt, and the ward dashboard with projects and the trend. The cable pieces
//! behind them are kept in tables by triggers in the same transaction as each
//! change (migration 0115), so an edit shows at once and a request only sums.

use crate::database::routing::ReadDb;
use std::collections::BTreeMap;

use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use utoipa::{IntoParams, ToSchema};

use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem};
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;
use crate::tabular::{self, Cell, Table};
use crate::vn_time::today;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(flags))
        .routes(routes!(dashboard))
}

/// One street segment of an undergrounding area and the overhead cable on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Segment {
    pub area_id: i64,
    pub area_name: String,
    pub area_type: String,
    pub target_year: i32,
    pub source_doc: String,
    pub segment_name: String,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    /// Overhead cable still standing, km (the sum over cables: three cables
    /// along 100 m are 0.3 km).
    pub overhead_km: f64,
    /// Of which along a duct bank with a free pipe.
    pub debt_km: f64,
    /// Cables running along the segment (50 m or more of it): the density index.
    pub cable_count: i64,
    /// Overhead km per owner.
    pub by_operator: BTreeMap<String, f64>,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    pub geometry: Value,
}

#[derive(sqlx::FromRow)]
struct SegmentRow {
    area_id: i64,
    area_name: String,
    area_type: String,
    target_year: i32,
    source_doc: String,
    segment_name: String,
    ward_code: Option<String>,
    ward_name: Option<String>,
    overhead_km: f64,
    debt_km: f64,
    cable_count: i64,
    by_operator: sqlx::types::Json<BTreeMap<String, f64>>,
    geometry: sqlx::types::Json<Value>,
}

/// The segments of the areas in `wards` (all when `None`), for one owner or
/// all, worst first, with their geometry when `geometry`. The pieces of cable
/// in each segment are kept in tables (migration 0115) as cables, areas,
/// streets, ducts and wards change, so this only sums them.
pub async fn segments(
    pool: &PgPool,
    wards: Option<Vec<i64>>,
    operator_id: Option<i64>,
    geometry: bool,
) -> sqlx::Result<Vec<Segment>> {
    let mut rows: Vec<SegmentRow> = sqlx::query_as(include_str!("flags.sql"))
        .bind(wards)
        .bind(operator_id)
        .bind(geometry)
        .fetch_all(pool)
        .await?;
    rows.sort_by(|a, b| {
        b.overhead_km
            .total_cmp(&a.overhead_km)
            .then_with(|| a.area_name.cmp(&b.area_name))
            .then_with(|| a.segment_name.cmp(&b.segment_name))
    });
    Ok(rows
        .into_iter()
        .map(|r| Segment {
            area_id: r.area_id,
            area_name: r.area_name,
            area_type: r.area_type,
            target_year: r.target_year,
            source_doc: r.source_doc,
            segment_name: r.segment_name,
            ward_code: r.ward_code,
            ward_name: r.ward_name,
            overhead_km: r.overhead_km,
            debt_km: r.debt_km,
            cable_count: r.cable_count,
            by_operator: r.by_operator.0,
            geometry: r.geometry.0,
        })
        .collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct FlagParams {
    /// Ward or province GSO code.
    ward: Option<String>,
    /// Owner operator's code (logged in only).
    operator: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
}

async fn ward_ids(conn: &mut PgConnection, code: Option<&str>) -> ApiResult<Option<Vec<i64>>> {
    let Some(code) = code else { return Ok(None) };
    // One ward per code: the one valid today, else the latest (a ward that
    // ended in a merger is counted over its own territory); or a province's
    // wards valid today.
    let ids: Vec<i64> = sqlx::query_scalar(
        "(select id from admin_unit where gso_code = $1 and level = 'ward'
          order by (valid_to is null or valid_to >= current_date) desc, valid_from desc limit 1)
         union select w.id from admin_unit w join admin_unit p on p.id = w.parent_id
               where p.gso_code = $1 and p.level = 'province' and w.level = 'ward'
                 and (w.valid_to is null or w.valid_to >= current_date)",
    )
    .bind(code)
    .fetch_all(conn)
    .await?;
    if ids.is_empty() {
        return Err(ApiError::not_found(format!(
            "there is no ward or province with GSO code {code}"
        )));
    }
    Ok(Some(ids))
}

/// The wards whose figures `principal` may read, of those asked for (`None`:
/// every ward). The public reads the wards that publish their undergrounding
/// progress; asking for others alone is refused.
async fn readable_wards(
    conn: &mut PgConnection,
    principal: &Principal,
    asked: Option<Vec<i64>>,
) -> ApiResult<Option<Vec<i64>>> {
    if principal.sees_owners_in_figures() {
        return Ok(asked);
    }
    let published: Vec<i64> =
        sqlx::query_scalar("select ward_id from ward_publication where undergrounding")
            .fetch_all(conn)
            .await?;
    let Some(asked) = asked else {
        return Ok(Some(published));
    };
    let readable: Vec<i64> = asked
        .into_iter()
        .filter(|id| published.contains(id))
        .collect();
    if readable.is_empty() {
        principal.may_read_undergrounding(false)?;
    }
    Ok(Some(readable))
}

async fn operator_id(conn: &mut PgConnection, code: Option<&str>) -> ApiResult<Option<i64>> {
    let Some(code) = code else { return Ok(None) };
    let id: Option<i64> = sqlx::query_scalar("select id from operator where code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?;
    id.map(Some)
        .ok_or_else(|| ApiError::not_found(format!("there is no operator {code}")))
}

/// `GET /api/v1/undergrounding/flags`: every segment, worst first.
#[utoipa::path(get, path = "/undergrounding/flags", tag = "Undergrounding", operation_id = "undergrounding_flags",
    summary = "Overhead km, cable count (density) and debt per street segment, worst first (GeoJSON, CSV or XLSX)",
    params(FlagParams),
    responses((status = 200, description = "The segments, worst first (or the same rows as CSV or XLSX with `format`).",
               content((super::answers::FlagCollection = "application/json"), (String = "text/csv"),
                       (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "A bad `format`.", body = ErrorBody),
              (status = 401, description = "One operator's figures asked without logging in.", body = ErrorBody),
              (status = 403, description = "Only wards that do not publish their progress asked.", body = ErrorBody),
              (status = 404, description = "No such ward, province or operator.", body = ErrorBody)))]
async fn flags(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<FlagParams>,
) -> ApiResult<Response> {
    let format = tabular::format(params.format.as_deref())?;
    let owners = principal.sees_owners_in_figures();
    if !owners && params.operator.is_some() {
        return Err(ApiError::unauthorized(Problem::new(
            Code::LoginRequired,
            "log in to see the figures of one operator",
        )));
    }
    let mut conn = db.pool.acquire().await?;
    let asked = ward_ids(&mut conn, params.ward.as_deref()).await?;
    let wards = readable_wards(&mut conn, &principal, asked).await?;
    let operator = operator_id(&mut conn, params.operator.as_deref()).await?;
    let mut segments = segments(&db.pool, wards, operator, true).await?;
    if !owners {
        for segment in &mut segments {
            segment.by_operator.clear();
        }
    }
    let mut table = Table {
        title: "Tuyến phố phải hạ ngầm".into(),
        columns: [
            "Khu vực",
            "Đoạn phố",
            "Phường",
            "Năm mục tiêu",
            "Cáp treo còn lại (km)",
            "Số tuyến cáp",
            "Nợ ngầm hóa (km)",
            "Theo doanh nghiệp",
            "Căn cứ",
        ]
        .map(String::from)
        .to_vec(),
        rows: segments
            .iter()
            .map(|s| {
                vec![
                    s.area_name.clone().into(),
                    s.segment_name.clone().into(),
                    Cell::from(s.ward_name.clone()),
                    i64::from(s.target_year).into(),
                    s.overhead_km.into(),
                    s.cable_count.into(),
                    s.debt_km.into(),
                    s.by_operator
                        .iter()
                        .map(|(o, km)| format!("{o}: {km}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                        .into(),
                    s.source_doc.clone().into(),
                ]
            })
            .collect(),
    };
    if !owners {
        // The public sees the progress, not who owns what.
        let column = table.columns.iter().position(|c| c == "Theo doanh nghiệp");
        if let Some(column) = column {
            table.columns.remove(column);
            for row in &mut table.rows {
                row.remove(column);
            }
        }
    }
    let features: Vec<Value> = segments
        .iter()
        .map(|s| {
            let mut properties = serde_json::to_value(s).unwrap_or(Value::Null);
            if let Some(p) = properties.as_object_mut() {
                p.remove("geometry");
            }
            json!({"type": "Feature", "geometry": s.geometry, "properties": properties})
        })
        .collect();
    table.respond(
        format,
        "tuyen-pho-ha-ngam",
        json!({"type": "FeatureCollection", "features": features}),
    )
}

/// Overhead and debt km of a ward, in total, in its undergrounding areas, and per owner.
/// Each cable is first clipped to the ward (cut into small pieces by `ST_Subdivide`).
/// A piece lying wholly inside one area counts whole; otherwise it is cut by the union of
/// just the areas it meets, so overlapping areas count once without unioning every area
/// of the ward (a union of a city's street corridors is one polygon with hundreds of
/// holes, and cutting 100,000 cables by it took minutes). The free-duct corridors are
/// unioned, clipped to the ward and subdivided the same way. Any unit can be
/// counted: a unit without a boundary of its own counts its territory (what
/// it replaced, or its parts).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct WardFigures {
    #[schema(required = true)]
    pub operator: Option<String>,
    pub overhead_km: f64,
    pub overhead_km_in_areas: f64,
    pub debt_km: f64,
}

const WARD_FIGURES: &str = "
    with ward as (select admin_unit_territory($1) as boundary),
         ward_piece as (select ST_Subdivide(boundary, 256) as g from ward),
         part as materialized (select c.owner_id,
                                      case when ST_CoveredBy(c.geom, p.g) then c.geom else ST_Intersection(c.geom, p.g) end as geom
                               from ward_piece p join standing_overhead_cable c on ST_Intersects(c.geom, p.g)),
         duct_piece as (select ST_Subdivide(ST_Intersection(ST_Union(ST_Buffer(d.geom::geography, 15, 'endcap=flat')::geometry),
                                                            (select boundary from ward)), 256) as g
                        from duct_with_free_pipe d where ST_Intersects(d.geom, (select boundary from ward))),
         overhead as (select owner_id, sum(ST_Length(geom::geography)) as metres from part group by owner_id),
         in_areas as (select c.owner_id,
                             sum(case when exists (select 1 from undergrounding_area u
                                                   where u.footprint && c.geom and ST_CoveredBy(c.geom, u.footprint))
                                      then ST_Length(c.geom::geography)
                                      else (select ST_Length(ST_Intersection(c.geom, ST_Union(u.footprint))::geography)
                                            from undergrounding_area u
                                            where u.footprint && c.geom and ST_Intersects(u.footprint, c.geom))
                                 end) as metres
                      from part c group by c.owner_id),
         debt as (select c.owner_id, sum(ST_Length(ST_Intersection(c.geom, p.g)::geography)) as metres
                  from duct_piece p join standing_overhead_cable c on ST_Intersects(c.geom, p.g) group by c.owner_id),
         by_operator as (select o.code as operator, h.metres as overhead,
                                coalesce(a.metres, 0) as in_areas, coalesce(d.metres, 0) as debt
                         from overhead h join operator o on o.id = h.owner_id
                         left join in_areas a on a.owner_id = h.owner_id
                         left join debt d on d.owner_id = h.owner_id),
         with_total as (select null::text as operator, sum(overhead) as overhead, sum(in_areas) as in_areas, sum(debt) as debt
                        from by_operator having count(*) > 0
                        union all
                        select * from by_operator)
    select operator,
           round((overhead / 1000)::numeric, 3)::float8 as overhead_km,
           round((in_areas / 1000)::numeric, 3)::float8 as overhead_km_in_areas,
           round((debt / 1000)::numeric, 3)::float8 as debt_km
    from with_total
    order by operator nulls first";

/// The same figures summed from the ward pieces of each cable that migration
/// 0115 keeps up to date, for a ward with a boundary of its own.
const WARD_FIGURES_KEPT: &str = "
    with by_operator as (select o.code as operator, sum(f.metres) as overhead,
                                sum(f.in_areas_metres) as in_areas, sum(f.debt_metres) as debt
                         from undergrounding_cable_ward f join operator o on o.id = f.owner_id
                         where f.ward_id = $1
                         group by o.code),
         with_total as (select null::text as operator, sum(overhead) as overhead, sum(in_areas) as in_areas, sum(debt) as debt
                        from by_operator having count(*) > 0
                        union all
                        select * from by_operator)
    select operator,
           round((overhead / 1000)::numeric, 3)::float8 as overhead_km,
           round((in_areas / 1000)::numeric, 3)::float8 as overhead_km_in_areas,
           round((debt / 1000)::numeric, 3)::float8 as debt_km
    from with_total
    order by operator nulls first";

/// The ward's figures: the first row is the total (operator `None`). A ward
/// with a boundary reads the kept sums; any other unit (a province, a unit
/// counted over the territory of what it replaced) is computed here.
pub async fn ward_figures(conn: &mut PgConnection, ward_id: i64) -> sqlx::Result<Vec<WardFigures>> {
    let kept: bool = sqlx::query_scalar(
        "select coalesce((select level = 'ward' and boundary is not null from admin_unit where id = $1), false)",
    )
    .bind(ward_id)
    .fetch_one(&mut *conn)
    .await?;
    let mut rows: Vec<WardFigures> = sqlx::query_as(if kept {
        WARD_FIGURES_KEPT
    } else {
        WARD_FIGURES
    })
    .bind(ward_id)
    .fetch_all(conn)
    .await?;
    if rows.is_empty() {
        rows.push(WardFigures {
            operator: None,
            overhead_km: 0.0,
            overhead_km_in_areas: 0.0,
            debt_km: 0.0,
        });
    }
    Ok(rows)
}

/// Records today's figures of every ward with overhead cable or an area, for the trend.
pub async fn snapshot(pool: &PgPool) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    let wards: Vec<i64> = sqlx::query_scalar(
        "select distinct w.id from admin_unit w
         where w.level = 'ward' and (exists (select 1 from undergrounding_area u where u.ward_id = w.id)
                                     or exists (select 1 from standing_overhead_cable c where c.ward_id = w.id))",
    )
    .fetch_all(&mut *conn)
    .await?;
    for ward in wards {
        let total = ward_figures(&mut conn, ward).await?.remove(0);
        sqlx::query(
            "insert into undergrounding_snapshot (day, ward_id, overhead_km_in_areas, overhead_km, debt_km) values ($1, $2, $3, $4, $5)
             on conflict (day, ward_id) do update set overhead_km_in_areas = $3, overhead_km = $4, debt_km = $5",
        )
        .bind(today())
        .bind(ward)
        .bind(total.overhead_km_in_areas)
        .bind(total.overhead_km)
        .bind(total.debt_km)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DashboardParams {
    /// The ward's GSO code.
    ward: String,
}

/// `GET /api/v1/undergrounding/dashboard?ward=21031`: the ward's figures,
/// worst segments, projects with progress, sharing by operator and the trend.
/// The public sees it when the ward publishes its undergrounding progress.
#[utoipa::path(get, path = "/undergrounding/dashboard", tag = "Undergrounding", operation_id = "undergrounding_dashboard",
    summary = "A ward's figures, worst segments, projects, sharing and trend (public if the ward publishes it)",
    params(DashboardParams),
    responses((status = 200, description = "The dashboard.", body = super::answers::Dashboard),
              (status = 401, description = "Not logged in, and the ward does not publish it.", body = ErrorBody),
              (status = 404, description = "No such ward.", body = ErrorBody)))]
async fn dashboard(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<DashboardParams>,
) -> ApiResult<axum::Json<Value>> {
    let mut conn = db.pool.acquire().await?;
    // The ward valid today with the code, else the latest one (a ward ended by
    // a merger: its figures are counted over its own territory).
    let ward: Option<(i64, String, bool)> = sqlx::query_as(
        "select w.id, w.name, coalesce(p.undergrounding, false)
         from admin_unit w left join ward_publication p on p.ward_id = w.id
         where w.level = 'ward' and w.gso_code = $1
         order by (w.valid_to is null or w.valid_to >= current_date) desc, w.valid_from desc
         limit 1",
    )
    .bind(&params.ward)
    .fetch_optional(&mut *conn)
    .await?;
    let (ward_id, ward_name, published) = ward
        .ok_or_else(|| ApiError::not_found(format!("there is no current ward {}", params.ward)))?;
    principal.may_read_undergrounding(published)?;
    // The two long computations run at once, each on its own connections.
    let (figures, segments) = tokio::try_join!(
        async {
            let mut conn = db.pool.acquire().await?;
            ward_figures(&mut conn, ward_id).await
        },
        segments(&db.pool, Some(vec![ward_id]), None, false),
    )?;
    let worst: Vec<Value> = segments
        .iter()
        .take(10)
        .map(|s| json!({"area_id": s.area_id, "segment_name": s.segment_name, "overhead_km": s.overhead_km, "cable_count": s.cable_count,
                        "debt_km": s.debt_km, "target_year": s.target_year}))
        .collect();
    let projects: Vec<Value> = sqlx::query_scalar(
        "select json_build_object('id', p.id, 'name', p.name, 'status', p.status, 'starts_on', p.starts_on, 'ends_on', p.ends_on,
                'length_km', round((ST_Length(p.geom::geography) / 1000)::numeric, 3),
                'built_km', coalesce((select km_built from project_progress g where g.project_id = p.id order by g.day desc, g.id desc limit 1), 0),
                'operators', (select count(*) from project_operator x where x.project_id = p.id),
                'removals_confirmed', (select count(*) from project_operator x where x.project_id = p.id and x.removal_confirmed_at is not null))
         from undergrounding_project p
         where ST_Intersects(p.footprint, (select boundary from admin_unit where id = $1))
         order by p.status = 'closed', p.starts_on nulls last, p.id",
    )
    .bind(ward_id)
    .fetch_all(&mut *conn)
    .await?;
    let sharing: Vec<Value> = sqlx::query_scalar(
        "with users as (
             select a.owner_id, 1 + (select count(distinct t.tenant_id) from tenancy t
                                     where t.asset_id = a.id and t.tenant_id <> a.owner_id and active_tenancy(t)) as users
             from asset a where a.kind in ('tower', 'pole') and a.status in ('operational', 'inactive')
               and ST_Intersects(a.geom, (select admin_unit_territory($1))))
         select json_build_object('operator', o.code, 'assets', count(*), 'shared', count(*) filter (where u.users >= 2),
                                  'ratio', round(count(*) filter (where u.users >= 2)::numeric / count(*), 4))
         from users u join operator o on o.id = u.owner_id group by o.code order by o.code",
    )
    .bind(ward_id)
    .fetch_all(&mut *conn)
    .await?;
    let history: Vec<Value> = sqlx::query_scalar(
        "select json_build_object('day', day, 'overhead_km_in_areas', overhead_km_in_areas, 'overhead_km', overhead_km, 'debt_km', debt_km)
         from undergrounding_snapshot where ward_id = $1 order by day",
    )
    .bind(ward_id)
    .fetch_all(&mut *conn)
    .await?;
    let total = &figures[0];
    let mut history = history;
    let today_point = json!({"day": today(), "overhead_km_in_areas": total.overhead_km_in_areas, "overhead_km": total.overhead_km, "debt_km": total.debt_km});
    if history.last().is_none_or(|h| h["day"] != json!(today())) {
        history.push(today_point);
    }
    let mut body = json!({
        "ward_code": params.ward,
        "ward_name": ward_name,
        "as_of": today(),
        "overhead_km": total.overhead_km,
        "overhead_km_in_areas": total.overhead_km_in_areas,
        "debt_km": total.debt_km,
        "areas": segments.iter().map(|s| s.area_id).collect::<std::collections::BTreeSet<_>>().len(),
        "by_operator": &figures[1..],
        "worst_segments": worst,
        "projects": projects,
        "sharing_by_operator": sharing,
        "history": history,
    });
    if !principal.sees_owners_in_figures() {
        // The public sees the progress, not who owns what.
        if let Some(b) = body.as_object_mut() {
            b.remove("by_operator");
            b.remove("sharing_by_operator");
        }
    }
    Ok(axum::Json(body))
}
