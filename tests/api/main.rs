//! End-to-end tests of the Hatang server: real HTTP against a real server with
//! a real PostgreSQL+PostGIS database (one fresh database per test).

mod fixtures;
mod support;

mod clients;
mod embedded;
mod history;
mod pagination;
mod registry;
mod service;
mod sharing;
mod tiles;
mod validation;
