//! End-to-end tests of the Hatang server: real HTTP against a real server with
//! a real PostgreSQL+PostGIS database (one fresh database per test).

mod fixtures;
mod support;

mod access;
mod challenges;
mod clients;
mod cluster;
mod demo_season;
mod documents;
mod embedded;
mod everyday;
mod export;
mod field;
mod filings;
mod hardening;
mod history;
mod import;
mod ogc;
mod openapi;
mod openapi_responses;
mod pagination;
mod permits;
mod plans;
mod principals;
mod registry;
mod routines;
mod service;
mod sharing;
mod tiles;
mod undergrounding;
mod validation;
mod yearly_reports;
