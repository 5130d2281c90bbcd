//! Undergrounding (ngầm hóa, hạ ngầm cáp): cities publish yearly plans of
//! streets whose overhead cable must go underground "for urban aesthetics",
//! and wards supervise the cable routes and report progress. From the
//! registry this module answers, at once and always up to date:
//!
//! - how many km of overhead cable still stand in the planned streets and
//!   zones, per street segment, ward and operator, and how many cables crowd
//!   each segment (a density index for the worst "cable tangles");
//! - the undergrounding debt: overhead km along duct banks that already have a
//!   free pipe — cable that could go underground without digging;
//! - how the undergrounding projects progress, and whether each operator has
//!   taken its overhead cable down where a project finished.

pub mod analysis;
pub mod answers;
pub mod areas;
pub mod projects;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    areas::router()
        .merge(analysis::router())
        .merge(projects::router())
}
