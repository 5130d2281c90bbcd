//! Exports (tests follow).
