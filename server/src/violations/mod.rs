//! Violations (placeholder while being written).
pub mod store;
