//! The registry of indicator kinds: one file per kind counted from the
//! registry (it holds how it is counted), and the kinds operators file and
//! departments declare, which are data only (`filed.rs`, `declared.rs`),
//! with the shares worked out of them (`coverage.rs`).

use std::future::Future;
use std::pin::Pin;

use sqlx::PgConnection;

use super::figures::{Figure, Provenance, Scope, share};
use super::{How, Indicator, Meta};
use crate::http::error::ApiResult;

mod coverage;
mod declared;
mod filed;
mod overhead_in_areas;
mod permits_median_days;
mod permits_on_time;
mod poles_shared;
mod towers;
mod towers_shared;
mod undergrounded;
mod undergrounded_share;
mod undergrounding_debt;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Counts a figure from the registry for a scope.
pub type Compute =
    for<'a> fn(&'a mut PgConnection, &'a Scope) -> BoxFuture<'a, ApiResult<Option<Figure>>>;

/// A kind: what it is and how its figure is obtained.
pub struct Kind {
    pub meta: Meta,
    pub how: How,
}

impl Indicator for Kind {
    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn how(&self) -> How {
        self.how
    }
}

/// Every kind, in the order lists show them.
pub static ALL: &[&dyn Indicator] = &[
    &coverage::FIBRE_HOUSEHOLDS_PASSED_PCT,
    &coverage::FIBRE_HOUSEHOLDS_SUBSCRIBED_PCT,
    &coverage::GIGABIT_HOUSEHOLDS_PCT,
    &coverage::NEIGHBOURHOODS_WITH_FIBRE_PCT,
    &coverage::NEIGHBOURHOODS_WITH_MOBILE_BROADBAND_PCT,
    &coverage::POPULATION_4G5G_COVERED_PCT,
    &coverage::POPULATION_5G_COVERED_PCT,
    &coverage::HOUSEHOLDS_5G_COVERED_PCT,
    &filed::FIBRE_HOUSEHOLDS_PASSED,
    &filed::FIBRE_HOUSEHOLDS_GIGABIT,
    &filed::FIBRE_HOUSEHOLDS_SUBSCRIBED,
    &filed::FIBRE_MAX_SPEED_MBPS,
    &filed::POPULATION_COVERED_4G,
    &filed::POPULATION_COVERED_5G,
    &filed::HOUSEHOLDS_COVERED_4G,
    &filed::HOUSEHOLDS_COVERED_5G,
    &towers_shared::KIND,
    &poles_shared::KIND,
    &towers::KIND,
    &overhead_in_areas::KIND,
    &undergrounding_debt::KIND,
    &undergrounded::KIND,
    &undergrounded_share::KIND,
    &permits_on_time::KIND,
    &permits_median_days::KIND,
    &declared::ADULTS_WITH_SMARTPHONE_PCT,
    &declared::HOUSEHOLDS_WITH_SMART_DEVICE_PCT,
    &declared::ADULTS_WITH_DIGITAL_SIGNATURE_PCT,
    &declared::ADULTS_WITH_EID_PCT,
    &declared::POPULATION_WITH_DIGITAL_ID_PCT,
    &declared::ADULTS_WITH_CITIZEN_EMAIL_PCT,
    &declared::IOT_CONNECTIONS_PER_PERSON,
    &declared::CENTRE_AREAS_WITH_5G_PCT,
    &declared::COMMUNITY_HOUSES_WITH_FREE_WIFI_PCT,
    &declared::AGENCIES_USING_IPV6_PCT,
    &declared::DEPARTMENTS_ON_SHARED_LAN_PCT,
    &declared::SYSTEMS_ON_SPECIALISED_NETWORK_PCT,
    &declared::ENTERPRISES_IOT_CAPABLE_PCT,
    &declared::INTERNAL_NETWORKS_SECURED_PCT,
];

/// The provenance of a figure Hatang counted from the registry today.
pub fn counted_today(scope: &Scope) -> Provenance {
    Provenance {
        sources: vec!["computed".into()],
        methods: vec!["registry".into()],
        as_of: Some(scope.day),
        oldest_as_of: Some(scope.day),
        supplied_by: vec!["system".into()],
        units_counted: 1,
        units_total: 1,
        ..Provenance::default()
    }
}

/// A share counted by `sql`, which takes the unit ($1), the day ($2) and
/// one text parameter ($3), and returns the numerator and denominator.
pub async fn registry_share(
    conn: &mut PgConnection,
    scope: &Scope,
    sql: &str,
    parameter: &str,
) -> ApiResult<Option<Figure>> {
    let (n, d): (f64, f64) = sqlx::query_as(sql)
        .bind(scope.unit_id)
        .bind(scope.day)
        .bind(parameter)
        .fetch_one(conn)
        .await?;
    Ok(share(n, d).map(|value| Figure {
        value,
        numerator: Some(n),
        denominator: Some(d),
        breakdown: None,
        provenance: counted_today(scope),
    }))
}

/// A plain value (no share) counted today.
pub fn counted(scope: &Scope, value: f64, breakdown: Option<serde_json::Value>) -> Figure {
    Figure {
        value,
        numerator: None,
        denominator: None,
        breakdown,
        provenance: counted_today(scope),
    }
}
