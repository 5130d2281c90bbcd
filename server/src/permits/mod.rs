//! Construction permits for passive telecom works (giấy phép xây dựng công
//! trình hạ tầng kỹ thuật viễn thông thụ động). Since 1/7/2025 the ward's
//! People's Committee issues them (Decree 140/2025/NĐ-CP, Art. 4): an operator
//! applies for a tower, a pole line, a duct bank or trench, overhead cable on
//! existing poles, undergrounding or an excavation; the ward checks the file
//! (7 working days, one request for missing documents), decides (20 working
//! days from a complete file, extendable once by at most 10) and the operator
//! reports the works started, completed and as built.
//!
//! - [`state`]: the states and the transitions allowed between them;
//! - [`clock`]: the deadlines, counted in the working-day calendar;
//! - [`checks`]: the automatic pre-checks, each citing the rule it applied;
//! - [`store`] and [`handlers`]: applications, their timeline and the API;
//! - [`attachments`]: drawings and documents, type-checked from content;
//! - [`document`]: the printed permit (print view, DOCX, PDF from one model)
//!   and its public verification page; [`site_plan`]: the plan printed with it.

pub mod attachments;
pub mod checks;
pub mod clock;
pub mod document;
pub mod handlers;
pub mod lifecycle;
pub mod notices;
pub mod site_plan;
pub mod state;
pub mod store;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use handlers::router;

/// What the application is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorksType {
    /// A new antenna tower.
    Tower,
    /// A line of new poles.
    PoleLine,
    /// A duct bank.
    Duct,
    /// A technical trench or tunnel.
    Trench,
    /// Overhead cable on existing poles.
    OverheadCable,
    /// Putting overhead cable underground.
    Undergrounding,
    /// Digging to repair existing underground plant.
    ExcavationRepair,
}

impl WorksType {
    pub const ALL: [WorksType; 7] = [
        Self::Tower,
        Self::PoleLine,
        Self::Duct,
        Self::Trench,
        Self::OverheadCable,
        Self::Undergrounding,
        Self::ExcavationRepair,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tower => "tower",
            Self::PoleLine => "pole_line",
            Self::Duct => "duct",
            Self::Trench => "trench",
            Self::OverheadCable => "overhead_cable",
            Self::Undergrounding => "undergrounding",
            Self::ExcavationRepair => "excavation_repair",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == value)
    }

    /// Works that open the ground (and so meet dig-once and no-dig rules).
    pub fn digs(self) -> bool {
        matches!(
            self,
            Self::PoleLine
                | Self::Duct
                | Self::Trench
                | Self::Undergrounding
                | Self::ExcavationRepair
        )
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Tower => "Cột ăng ten",
            Self::PoleLine => "Tuyến cột treo cáp",
            Self::Duct => "Cống bể cáp",
            Self::Trench => "Hào, tuynel kỹ thuật",
            Self::OverheadCable => "Cáp treo trên cột hiện có",
            Self::Undergrounding => "Ngầm hóa cáp",
            Self::ExcavationRepair => "Đào sửa chữa",
        }
    }

    /// The geometry types the works may be drawn with.
    pub fn allowed_geometry(self) -> &'static [&'static str] {
        match self {
            Self::Tower => &["Point"],
            Self::PoleLine
            | Self::Duct
            | Self::Trench
            | Self::OverheadCable
            | Self::Undergrounding => &["LineString", "MultiLineString"],
            Self::ExcavationRepair => &["Point", "LineString", "Polygon", "MultiPolygon"],
        }
    }
}
