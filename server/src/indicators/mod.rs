//! Indicators: the measures a plan's targets are written in ("90% dân số
//! được phủ sóng 4G/5G", "100% tổ dân phố có hạ tầng băng rộng cố định cáp
//! quang", towers shared, overhead cable still standing in streets to put
//! underground). A figure comes from one of three sources:
//!
//! - **computed from the registry** (towers and poles shared, overhead km,
//!   undergrounding, permits decided on time): Hatang counts it over the
//!   unit's territory, today, and keeps dated snapshots for the trend;
//! - **filed by operators** each half-year (households passed and subscribed
//!   by fibre per neighbourhood unit, highest speed, population and
//!   households covered by 4G/5G from their coverage polygons);
//! - **declared by departments** (adults with a smartphone, digital
//!   signatures), with the evidence they cite.
//!
//! Shares are kept as their two counts so that units add up exactly: a
//! ward's share of households passed is the sum over its neighbourhood units
//! of households passed over the sum of their households, not an average of
//! percentages. A unit formed by a merger counts its predecessors' figures
//! for the time before it existed.
//!
//! Each kind is one value implementing [`Indicator`] in `kinds/`; the list
//! [`KINDS`] is the registry every caller dispatches through.

pub mod figures;
pub mod handlers;
pub mod kinds;
pub mod values;

use serde::Serialize;
use utoipa::ToSchema;

pub use figures::{Figure, Provenance, Scope};

/// Where figures of a kind come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Computed,
    Filed,
    Declared,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Computed => "computed",
            Self::Filed => "filed",
            Self::Declared => "declared",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Computed, Self::Filed, Self::Declared]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// What a value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A share, 0–100.
    Percent,
    Count,
    Km,
    /// Working days.
    Days,
    Mbps,
    PerPerson,
}

impl Measure {
    /// The symbol a figure is written with in Vietnamese.
    pub fn symbol_vi(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Count => "",
            Self::Km => "km",
            Self::Days => "ngày làm việc",
            Self::Mbps => "Mb/s",
            Self::PerPerson => "/người",
        }
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// How parts add up into a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Counts and lengths add up.
    Sum,
    /// Shares: the sum of numerators over the sum of denominators; a share
    /// declared without its counts is weighted by population.
    Share,
    /// The highest (speeds).
    Max,
}

/// How the operators' filings for one unit combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The highest of the operators' figures: households passed by any
    /// operator are at least the most one operator passes (the filings do not
    /// say which households, so the union is not known).
    Max,
    /// The operators' figures add up (subscriptions).
    Sum,
}

/// What a kind of indicator is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    /// Stable code, used by targets and filings (`fibre_households_passed_pct`).
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub source: Source,
    pub measure: Measure,
    pub better: Better,
    pub aggregate: Aggregate,
    /// How the operators' filings combine per unit (filed kinds).
    pub combine: Combine,
    /// How it is obtained, in a sentence (Vietnamese), for the report's notes.
    pub method_vi: &'static str,
}

/// One kind of indicator.
pub trait Indicator: Send + Sync {
    fn meta(&self) -> &Meta;

    /// How its figure for a unit and day is obtained.
    fn how(&self) -> How;
}

/// How a figure is obtained.
#[derive(Debug, Clone, Copy)]
pub enum How {
    /// Counted from the registry by a function over the unit's territory on
    /// the day (today: a live count; a past day: the snapshot of that day).
    Registry(kinds::Compute),
    /// Stored values of this kind (filed by operators or declared), combined
    /// per unit and added up over units.
    Stored,
    /// A share of a stored count per households, population or adults.
    Share {
        /// The count per unit; the highest of several codes when more are named.
        numerator: &'static [&'static str],
        per: Per,
    },
    /// The share of neighbourhood units where a stored figure passes a threshold.
    UnitsWith {
        figure: &'static str,
        /// The figure must reach this share of the unit's `per` (0 = any).
        at_least_share: f64,
        per: Per,
        /// A second figure that also counts (5G where 4G is asked).
        or_figure: Option<&'static str>,
    },
}

/// What a share is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    Households,
    Population,
    Adults,
}

impl Per {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Households => "households",
            Self::Population => "population",
            Self::Adults => "adults",
        }
    }
}

/// Every kind, in the order lists show them.
pub fn kinds() -> &'static [&'static dyn Indicator] {
    kinds::ALL
}

/// The kind with `code`.
pub fn kind(code: &str) -> Option<&'static dyn Indicator> {
    kinds::ALL.iter().copied().find(|k| k.meta().code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in kinds() {
            let code = kind.meta().code;
            assert!(seen.insert(code), "{code} is registered twice");
            assert!(
                code.len() >= 2
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{code} is not a valid indicator code"
            );
        }
    }

    #[test]
    fn shares_refer_to_registered_stored_kinds() {
        for kind in kinds() {
            let referred: Vec<&str> = match kind.how() {
                How::Share { numerator, .. } => numerator.to_vec(),
                How::UnitsWith {
                    figure, or_figure, ..
                } => std::iter::once(figure).chain(or_figure).collect(),
                _ => vec![],
            };
            for code in referred {
                let other = super::kind(code)
                    .unwrap_or_else(|| panic!("{} refers to unknown {code}", kind.meta().code));
                assert!(
                    matches!(other.how(), How::Stored),
                    "{} refers to {code}, which is not stored",
                    kind.meta().code
                );
            }
        }
    }
}
