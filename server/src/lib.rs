//! Hatang (hạ tầng, "infrastructure"): a registry and map of passive telecom
//! infrastructure for Vietnamese local government.
//!
//! The crate is laid out by domain concept: the assets (`assets`, with one
//! module per kind in `assets::kinds`: tower, pole, duct, manhole, trench,
//! cable, cabinet), reference data (`operators`, `wards`),
//! the map's vector tiles (`tiles`), who may do what (`accounts`, with the
//! whole access matrix in `policy`, below every domain), the audit trail (`audit`), the
//! demo data loader (`demo`), and the plumbing (`state`, `validation`, `app`, `http`,
//! `database`, `config`, `telemetry`). Administrative units over time (`admin_units`),
//! the wards' plans with their targets, tasks and reporting duties (`plans`)
//! and the indicators their progress is measured by (`indicators`). Printed
//! documents (`documents`: one view model to HTML, DOCX and PDF) and the
//! yearly report built with them (`yearly_reports`).

pub mod accounts;
pub mod admin_units;
pub mod app;
pub mod assets;
pub mod audit;
pub mod calendar;
pub mod challenges;
pub mod civil_works;
pub mod config;
pub mod coordinates;
pub mod database;
pub mod demo;
pub mod detection;
pub mod documents;
pub mod export;
pub mod field;
pub mod filings;
pub mod geometry;
pub mod http;
pub mod import;
pub mod incidents;
pub mod indicators;
pub mod inspections;
pub mod metrics;
pub mod notifications;
pub mod ogc;
pub mod open311;
pub mod operators;
pub mod outbox;
pub mod permits;
pub mod photos;
pub mod plans;
pub mod policy;
#[cfg(test)]
mod proptests;
pub mod restricted_zones;
pub mod rules;
pub mod sharing;
pub mod state;
pub mod streets;
pub mod tabular;
pub mod telemetry;
pub mod tiles;
pub mod undergrounding;
pub mod validation;
pub mod violations;
pub mod vn_time;
pub mod vocabulary;
pub mod wards;
pub mod yearly_reports;

pub use app::{Application, router};
pub use state::AppState;
