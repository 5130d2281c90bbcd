//! Overhead cable still standing in the streets and zones the city's plan
//! puts underground (chỉnh trang, hạ ngầm), in km summed over cables: the
//! figure the undergrounding dashboard shows, over the unit's territory.

use super::{BoxFuture, Compute, Kind, counted};
use crate::http::error::ApiResult;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "overhead_km_in_undergrounding_areas",
        name_vi: "Cáp treo còn lại trên các tuyến phố phải hạ ngầm (km)",
        name_en: "Overhead cable left on streets to put underground (km)",
        source: Source::Computed,
        measure: Measure::Km,
        better: Better::Lower,
        aggregate: Aggregate::Sum,
        combine: Combine::Sum,
        method_vi: "Tính từ sổ đăng ký: tổng chiều dài các tuyến cáp treo còn đứng trong phạm vi các tuyến phố, khu vực thuộc kế hoạch hạ ngầm (cáp của nhiều doanh nghiệp trên cùng đoạn phố được cộng dồn).",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a Scope,
) -> BoxFuture<'a, ApiResult<Option<Figure>>> {
    Box::pin(async move {
        let figures = crate::undergrounding::analysis::ward_figures(conn, scope.unit_id).await?;
        let by_operator: serde_json::Map<String, serde_json::Value> = figures
            .iter()
            .filter_map(|f| {
                f.operator
                    .clone()
                    .map(|o| (o, f.overhead_km_in_areas.into()))
            })
            .collect();
        Ok(Some(counted(
            scope,
            figures[0].overhead_km_in_areas,
            Some(serde_json::json!({"operator": by_operator})),
        )))
    })
}
