//! Hatang (hạ tầng, "infrastructure"): a registry and map of passive telecom
//! infrastructure for Vietnamese local government.
//!
//! The crate is laid out by domain concept: one module per kind of asset
//! (`towers`, `poles`, `ducts`, `manholes`, `trenches`, `cables`, `cabinets`),
//! the shared asset core (`assets`), reference data (`operators`, `wards`), the
//! map's vector tiles (`tiles`), the demo data loader (`demo`), and the plumbing (`app`, `http`, `database`,
//! `config`, `telemetry`).

pub mod app;
pub mod assets;
pub mod cabinets;
pub mod cables;
pub mod config;
pub mod database;
pub mod demo;
pub mod ducts;
pub mod http;
pub mod manholes;
pub mod operators;
pub mod poles;
pub mod telemetry;
pub mod tiles;
pub mod towers;
pub mod trenches;
pub mod vn_time;
pub mod wards;

pub use app::{AppState, Application, router};
