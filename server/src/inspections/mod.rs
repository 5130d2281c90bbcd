//! Inspections (placeholder while being written).
pub mod store;
