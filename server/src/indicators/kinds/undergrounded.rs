//! Cable put underground: km of duct built by the undergrounding projects in
//! the unit, from their latest progress reports (a closed or completed
//! project counts its whole length when no report says otherwise).

use super::{BoxFuture, Compute, Kind, counted};
use crate::http::error::ApiResult;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "undergrounded_km",
        name_vi: "Chiều dài tuyến đã hạ ngầm (km)",
        name_en: "Length put underground (km)",
        source: Source::Computed,
        measure: Measure::Km,
        better: Better::Higher,
        aggregate: Aggregate::Sum,
        combine: Combine::Sum,
        method_vi: "Tổng khối lượng tuyến cống bể đã xây dựng theo báo cáo tiến độ gần nhất của các dự án ngầm hóa trong địa bàn.",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

/// Km built by the projects of unit $1 up to day $2.
pub const SQL: &str = "
    with territory as (select admin_unit_territory($1) as g)
    select coalesce(sum(coalesce(
               (select g.km_built from project_progress g
                where g.project_id = p.id and g.day <= $2 order by g.day desc, g.id desc limit 1),
               case when p.status in ('completed', 'closed') then ST_Length(p.geom::geography) / 1000 end,
               0)), 0)::float8
    from undergrounding_project p, territory t
    where p.status <> 'cancelled' and t.g is not null and ST_Intersects(p.footprint, t.g)";

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a Scope,
) -> BoxFuture<'a, ApiResult<Option<Figure>>> {
    Box::pin(async move {
        let km: f64 = sqlx::query_scalar(SQL)
            .bind(scope.unit_id)
            .bind(scope.day)
            .fetch_one(conn)
            .await?;
        Ok(Some(counted(scope, (km * 1000.0).round() / 1000.0, None)))
    })
}
