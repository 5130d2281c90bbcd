//! Undergrounding debt: overhead cable still standing along a duct bank that
//! has a free pipe, so it could already be underground (km summed over cables).

use super::{BoxFuture, Compute, Kind, counted};
use crate::http::error::ApiResult;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "undergrounding_debt_km",
        name_vi: "Nợ ngầm hóa: cáp treo dọc cống bể còn ống trống (km)",
        name_en: "Undergrounding debt: overhead cable along ducts with a free pipe (km)",
        source: Source::Computed,
        measure: Measure::Km,
        better: Better::Lower,
        aggregate: Aggregate::Sum,
        combine: Combine::Sum,
        method_vi: "Tính từ sổ đăng ký: tổng chiều dài cáp treo chạy dọc (trong phạm vi 15 m) tuyến cống bể cáp còn ít nhất một ống trống.",
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
            .filter_map(|f| f.operator.clone().map(|o| (o, f.debt_km.into())))
            .collect();
        Ok(Some(counted(
            scope,
            figures[0].debt_km,
            Some(serde_json::json!({"operator": by_operator})),
        )))
    })
}
