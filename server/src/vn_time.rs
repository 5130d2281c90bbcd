//! Time as Vietnam keeps it: UTC+7 all year (no daylight saving), so "today"
//! for validity periods and tenancies is the date in Hà Nội, wherever the
//! server's clock is set.

use chrono::{Duration, NaiveDate, Utc};

/// Today's date in Vietnam.
pub fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// Vietnam's offset from UTC (+07:00), for showing times as Vietnam reads them.
pub const VIETNAM: chrono::FixedOffset = match chrono::FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("+07:00 is a valid offset"),
};
