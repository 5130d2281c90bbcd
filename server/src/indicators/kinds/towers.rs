//! Towers: antenna towers standing in the unit, by owner, class (A1 … A2b,
//! Circular 15/2016/TTLT-BTTTT-BXD) and technology (2G … 5G).

use serde_json::Value;

use super::{BoxFuture, Compute, Kind, counted};
use crate::http::error::ApiResult;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "towers",
        name_vi: "Số cột ăng ten (theo doanh nghiệp, loại cột, công nghệ)",
        name_en: "Towers (by operator, class, technology)",
        source: Source::Computed,
        measure: Measure::Count,
        better: Better::Higher,
        aggregate: Aggregate::Sum,
        combine: Combine::Sum,
        method_vi: "Đếm từ sổ đăng ký các cột ăng ten đang khai thác hoặc tạm dừng trong địa bàn.",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a Scope,
) -> BoxFuture<'a, ApiResult<Option<Figure>>> {
    Box::pin(async move {
        let (total, breakdown): (i64, sqlx::types::Json<Value>) =
            sqlx::query_as(include_str!("sql/towers.sql"))
                .bind(scope.unit_id)
                .fetch_one(conn)
                .await?;
        Ok(Some(counted(scope, total as f64, Some(breakdown.0))))
    })
}
