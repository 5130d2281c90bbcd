//! The registry's assets: every piece of passive infrastructure, whatever its
//! kind, shares one core — owner operator, lifecycle status, positional
//! accuracy, ward, geometry, version, note — and adds the attributes of its kind.
//!
//! # Model: one core table plus one detail table per kind
//! `asset` holds the core of every kind, with a geometry column whose type the
//! kind constrains (points for towers, poles, manholes and cabinets; lines for
//! duct banks and trenches; lines or multi-lines for cable routes). Each kind
//! keeps its own attributes in a detail table (`tower`, `pole`, `duct` with
//! `duct_pipe`, `manhole`, `trench`, `cable` with `cable_support`, `cabinet`).
//!
//! Why this model rather than one table per kind, or one table with a JSON bag:
//! - what every kind shares — ownership, status, sharing, history, the ward,
//!   spatial indexing, the tile layers — is written once, and a question across
//!   kinds ("everything VNPT owns in Chánh Lộ", "what carries this cable") is one
//!   query on one table with one spatial index;
//! - the kind's attributes stay typed columns with check constraints, so the
//!   database refuses a tower 400 m tall even if the API were bypassed, and
//!   cross-references (a duct's manholes, a cable's poles) are foreign keys;
//! - a new kind is a new detail table and module, not a change to the others.
//!
//! The API shows an asset as one flat GeoJSON Feature: core and kind-specific
//! properties side by side, plus computed ones (ward, tenant count, free capacity).

pub mod chain;
pub mod details;
pub mod geometry;
pub mod handlers;
pub mod history;
pub mod input;
/// The kinds' shared vocabulary, at the bottom of the crate (the access policy names kinds).
pub use crate::vocabulary as kind;
pub mod kinds;
pub mod store;
pub mod tenancies;

pub use kind::{AssetKind, Status};

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Routes under `/api/v1` for every kind, the history and tenancies.
pub fn router() -> OpenApiRouter<AppState> {
    handlers::router().merge(tenancies::router())
}
