//! Permits decided within the legal time: of the construction permit
//! applications for passive telecom works in the unit decided this year (up
//! to the day), the share decided by their decision deadline (Construction
//! Law 2014 Art. 102: 20 working days from a complete file, plus a written
//! extension of at most 10), counted by the permit clocks.

use super::{BoxFuture, Compute, Kind};
use crate::http::error::ApiResult;
use crate::indicators::figures::share;
use crate::indicators::{Aggregate, Better, Combine, Figure, How, Measure, Meta, Scope, Source};

pub static KIND: Kind = Kind {
    meta: Meta {
        code: "permits_on_time_pct",
        name_vi: "Tỷ lệ hồ sơ cấp phép xây dựng được giải quyết đúng hạn",
        name_en: "Permits decided within the legal time",
        source: Source::Computed,
        measure: Measure::Percent,
        better: Better::Higher,
        aggregate: Aggregate::Share,
        combine: Combine::Max,
        method_vi: "Theo đồng hồ thủ tục của từng hồ sơ: số hồ sơ có quyết định trong năm đến ngày xem, được quyết định không muộn hơn hạn giải quyết (kể cả gia hạn hợp lệ), trên tổng số hồ sơ đã quyết định.",
    },
    how: How::Registry(COMPUTE),
};

const COMPUTE: Compute = compute;

fn compute<'a>(
    conn: &'a mut sqlx::PgConnection,
    scope: &'a Scope,
) -> BoxFuture<'a, ApiResult<Option<Figure>>> {
    Box::pin(async move {
        let days = decided(conn, scope).await?;
        let on_time = days.iter().filter(|d| d.1).count() as f64;
        let total = days.len() as f64;
        Ok(share(on_time, total).map(|value| Figure {
            value,
            numerator: Some(on_time),
            denominator: Some(total),
            breakdown: None,
            provenance: super::counted_today(scope),
        }))
    })
}

/// Applications in the unit decided in the scope's year up to its day:
/// working days each took, and whether it was decided by its deadline.
pub async fn decided(conn: &mut sqlx::PgConnection, scope: &Scope) -> ApiResult<Vec<(i64, bool)>> {
    use chrono::Datelike;
    let ids: Vec<i64> = sqlx::query_scalar(
        "select p.id from permit_application p
         where p.state <> 'draft' and not p.exempt
           and ST_Intersects(p.geom, (select admin_unit_territory($1)))
         order by p.id",
    )
    .bind(scope.unit_id)
    .fetch_all(&mut *conn)
    .await?;
    let calendar = crate::calendar::Calendar::load(conn).await?;
    let year_start = chrono::NaiveDate::from_ymd_opt(scope.day.year(), 1, 1).unwrap_or(scope.day);
    let mut out = Vec::new();
    for id in ids {
        let application = crate::permits::store::load(conn, id, false).await?;
        let events = crate::permits::store::events(conn, id).await?;
        let clock = crate::permits::store::clock_of(conn, &calendar, &application, &events).await?;
        let (Some(decided), Some(days)) = (clock.decided_on, clock.processing_working_days) else {
            continue;
        };
        if decided < year_start || decided > scope.day {
            continue;
        }
        let on_time = clock.decision_due.is_none_or(|due| decided <= due);
        out.push((days, on_time));
    }
    Ok(out)
}
