//! Undergrounding against the plan's starting point: how much of the overhead
//! cable standing in the streets to put underground at the plan's baseline
//! is gone, in percent. The baseline is the target's own (km at its baseline
//! year); without one, the first day Hatang recorded for the unit.

use super::{BoxFuture, Compute, Kind};
use crate::http::error::ApiResult;
use crate::indicators::figures::share;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "undergrounded_pct_of_baseline",
        name_vi: "Tỷ lệ cáp treo đã hạ ngầm so với hiện trạng đầu kỳ",
        name_en: "Overhead cable removed, % of the plan's baseline",
        source: Source::Computed,
        measure: Measure::Percent,
        better: Better::Higher,
        aggregate: Aggregate::Share,
        combine: Combine::Max,
        method_vi: "(Cáp treo trên tuyến phải hạ ngầm đầu kỳ − hiện còn) / đầu kỳ. Đầu kỳ là số liệu gốc của kế hoạch, nếu không có thì lấy số liệu đầu tiên Hatang ghi nhận cho địa bàn.",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a Scope,
) -> BoxFuture<'a, ApiResult<Option<Figure>>> {
    Box::pin(async move {
        let now = crate::undergrounding::analysis::ward_figures(conn, scope.unit_id).await?[0]
            .overhead_km_in_areas;
        let baseline = match scope.baseline {
            Some(b) => Some(b),
            None => {
                sqlx::query_scalar(
                    "select overhead_km_in_areas from undergrounding_snapshot
                     where ward_id in (select id from admin_unit_lineage($1)) order by day limit 1",
                )
                .bind(scope.unit_id)
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        let Some(baseline) = baseline else {
            return Ok(None);
        };
        let removed = (baseline - now).max(0.0);
        Ok(share(removed, baseline).map(|value| Figure {
            value,
            numerator: Some(removed),
            denominator: Some(baseline),
            breakdown: None,
            provenance: super::counted_today(scope),
        }))
    })
}
