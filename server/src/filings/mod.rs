//! Filing windows (data calls) and operators' filings: what only operators
//! know, collected the way the US FCC's Broadband Data Collection does it.
//!
//! The seeds' targets mix registry figures with figures only operators hold:
//! households passed and connected by fibre per tổ dân phố, mobile coverage by
//! technology, and each operator's plan for next year (Minh Long: operators
//! send their yearly plans to the district before 15/12). Staff of the ward
//! (or district, or province) open a **call**: what kind of filing, the date
//! the figures describe (as of), when it opens and when it is due. It goes to
//! every operator active in the unit. Each operator **files** by a form or by
//! uploading a file, sees the problems of every row (an unknown unit, more
//! households passed than the unit has, a polygon outside the unit …),
//! corrects and files again: every version is kept, and the latest submitted
//! one is the operator's answer. The call shows each operator's status (not
//! started, draft, submitted, late); reminders go out a configurable number of
//! working days before the due date and on lateness, in the app and by mail
//! (`outbox`).
//!
//! From a submitted coverage filing Hatang computes the population and
//! households covered per neighbourhood unit (`coverage`); the public can
//! contest a claim on the map (`crate::challenges`), and an accepted challenge
//! must be corrected by the operator's next filing.
//!
//! Kinds:
//! - `fixed_broadband`: per neighbourhood unit, households passed by fibre,
//!   households subscribed, highest speed offered (Mb/s);
//! - `mobile_coverage`: coverage polygons per technology (4G, 5G) as GeoJSON,
//!   GeoPackage or zipped Shapefile, read with the import module's GDAL reader
//!   and limits;
//! - `yearly_plan`: next year's new towers, cable routes and undergrounding (km).

pub mod calls;
pub mod checks;
pub mod corrections;
pub mod coverage;
pub mod deadline;
pub mod handlers;
pub mod reminders;
pub mod rows;
pub mod versions;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use handlers::router;

/// What a call asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilingKind {
    /// Households passed by fibre, subscribed, highest speed, per neighbourhood unit.
    FixedBroadband,
    /// Coverage polygons per technology (4G, 5G).
    MobileCoverage,
    /// Next year's new towers, cable routes and undergrounding km.
    YearlyPlan,
}

impl FilingKind {
    pub const ALL: [Self; 3] = [Self::FixedBroadband, Self::MobileCoverage, Self::YearlyPlan];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FixedBroadband => "fixed_broadband",
            Self::MobileCoverage => "mobile_coverage",
            Self::YearlyPlan => "yearly_plan",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The Vietnamese name, for notifications and mail.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::FixedBroadband => "số liệu băng rộng cố định (cáp quang) theo tổ dân phố",
            Self::MobileCoverage => "vùng phủ sóng di động 4G/5G",
            Self::YearlyPlan => "kế hoạch phát triển hạ tầng năm sau",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::FixedBroadband => "fixed broadband (fibre) per neighbourhood unit",
            Self::MobileCoverage => "4G/5G mobile coverage",
            Self::YearlyPlan => "next year's infrastructure plan",
        }
    }

    /// Whether a filing of this kind may be a file with polygons.
    pub fn takes_polygons(self) -> bool {
        self == Self::MobileCoverage
    }
}
