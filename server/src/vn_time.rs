//! Time as Vietnam keeps it: UTC+7 all year (no daylight saving), so "today"
//! for validity periods and tenancies is the date in Hà Nội, wherever the
//! server's clock is set.

use chrono::{Duration, NaiveDate, Utc};

/// Today's date in Vietnam.
pub fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}
