//! How long the ward takes: the median of working days from submission to
//! decision (less the time spent waiting for the applicant) of the permit
//! applications in the unit decided this year up to the day.

use super::{BoxFuture, Compute, Kind, counted};
use crate::http::error::ApiResult;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "permits_median_days",
        name_vi: "Thời gian giải quyết hồ sơ cấp phép (trung vị, ngày làm việc)",
        name_en: "Permit processing time (median, working days)",
        source: Source::Computed,
        measure: Measure::Days,
        better: Better::Lower,
        aggregate: Aggregate::Max,
        combine: Combine::Max,
        method_vi: "Trung vị số ngày làm việc từ khi nộp hồ sơ đến khi có quyết định (trừ thời gian chờ doanh nghiệp bổ sung, sửa đổi) của các hồ sơ quyết định trong năm.",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a Scope,
) -> BoxFuture<'a, ApiResult<Option<Figure>>> {
    Box::pin(async move {
        let mut days: Vec<i64> = super::permits_on_time::decided(conn, scope)
            .await?
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        days.sort_unstable();
        Ok(median(&days).map(|m| {
            let mut figure = counted(scope, m, None);
            figure.denominator = None;
            figure
        }))
    })
}

fn median(sorted: &[i64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2] as f64),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_even_and_odd_lists() {
        assert_eq!(super::median(&[]), None);
        assert_eq!(super::median(&[3, 9, 20]), Some(9.0));
        assert_eq!(super::median(&[3, 9, 12, 20]), Some(10.5));
    }
}
