//! Hatang (hạ tầng, "infrastructure"): a registry and map of passive telecom
//! infrastructure for Vietnamese local government.
//!
//! The crate is laid out by domain concept: one module per kind of asset
//! (`towers`, `poles`, `ducts`, `manholes`, `trenches`, `cables`, `cabinets`),
//! the shared asset core (`assets`), reference data (`operators`, `wards`),
//! the map's vector tiles (`tiles`), who may do what (`accounts`, with the
//! whole access matrix in `accounts::policy`), the audit trail (`audit`), the
//! demo data loader (`demo`), and the plumbing (`app`, `http`, `database`,
//! `config`, `telemetry`).

pub mod accounts;
pub mod app;
pub mod assets;
pub mod audit;
pub mod cabinets;
pub mod cables;
pub mod calendar;
pub mod civil_works;
pub mod config;
pub mod coordinates;
pub mod database;
pub mod demo;
pub mod ducts;
pub mod export;
pub mod http;
pub mod import;
pub mod manholes;
pub mod notifications;
pub mod ogc;
pub mod operators;
pub mod permits;
pub mod poles;
pub mod restricted_zones;
pub mod rules;
pub mod sharing;
pub mod streets;
pub mod tabular;
pub mod telemetry;
pub mod tiles;
pub mod towers;
pub mod trenches;
pub mod undergrounding;
pub mod vn_time;
pub mod wards;

pub use app::{AppState, Application, router};
