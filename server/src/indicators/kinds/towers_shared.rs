//! Towers shared: the share of antenna towers standing in the unit (operational
//! or inactive) that carry at least one operator besides the owner on the day
//! (Decree 72/2012/NĐ-CP; Telecom Law 2023 on sharing passive infrastructure).

use super::{BoxFuture, Compute, Kind, registry_share};
use crate::indicators::{Aggregate, Better, Combine, How, Measure, Meta, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "towers_shared_pct",
        name_vi: "Tỷ lệ cột ăng ten sử dụng chung",
        name_en: "Towers shared",
        source: Source::Computed,
        measure: Measure::Percent,
        better: Better::Higher,
        aggregate: Aggregate::Share,
        combine: Combine::Max,
        method_vi: "Đếm từ sổ đăng ký: cột ăng ten đang khai thác có ít nhất một doanh nghiệp khác chủ sở hữu dùng chung, trên tổng số cột trong địa bàn.",
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
        "tower",
    ))
}
