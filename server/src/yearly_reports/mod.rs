//! The yearly report a ward (or commune, or province) owes on its digital
//! infrastructure plan: departments and operators report to the ward by the
//! ward's date (Chánh Lộ: before 01/12), the ward compiles and reports upward
//! by the higher level's date (before 05/12, 10/12 or 15/12 depending on the
//! plan). Hatang drafts it from the plan's targets and the registry, the
//! official writes the difficulties and proposals, and a finalised report is
//! frozen: its figures are stored as of its date and its hash recorded in the
//! audit history; a later change makes a new version.
//!
//! - [`model`]: what the report says, as a document and as its XLSX annex;
//! - [`map`]: the map of the unit's infrastructure printed in it;
//! - [`gather`]: drafting it from the plan, the registry and the parts sent;
//! - [`store`] and [`handlers`]: reports, parts and frozen versions, and the API.

pub mod gather;
pub mod handlers;
pub mod map;
pub mod model;
pub mod store;

pub use handlers::router;
