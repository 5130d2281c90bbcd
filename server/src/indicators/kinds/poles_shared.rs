//! Poles shared: the share of poles standing in the unit (telecom poles, and
//! power and lighting poles, Circular 21/2013/TTLT-BXD-BCT-BTTTT) that carry
//! cable of at least one operator besides the owner on the day.

use super::{BoxFuture, Compute, Kind, registry_share};
use crate::indicators::{Aggregate, Better, Combine, How, Measure, Meta, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "poles_shared_pct",
        name_vi: "Tỷ lệ cột treo cáp sử dụng chung",
        name_en: "Poles shared",
        source: Source::Computed,
        measure: Measure::Percent,
        better: Better::Higher,
        aggregate: Aggregate::Share,
        combine: Combine::Max,
        method_vi: "Đếm từ sổ đăng ký: cột treo cáp (cả cột điện, cột chiếu sáng) có cáp của ít nhất một doanh nghiệp khác chủ sở hữu, trên tổng số cột trong địa bàn.",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a crate::indicators::Scope,
) -> BoxFuture<'a, crate::http::error::ApiResult<Option<crate::indicators::Figure>>> {
    Box::pin(registry_share(
        conn,
        scope,
        include_str!("sql/shared.sql"),
        "pole",
    ))
}
