//! Accounts: who may log in, with which role, for which operator or wards, and
//! how the server knows who is asking (sessions, API tokens). The access rules
//! themselves are all in [`policy`].
//!
//! Infrastructure data is commercially sensitive and permits are legal
//! decisions, so every request is tied to a person or an operator's token,
//! and every change in the history names it.

pub mod cache;
pub mod demo;
pub mod openapi;
pub mod password;
pub mod policy;
pub mod principal;
pub mod sessions;
pub mod tokens;
pub mod users;

use axum::routing::{delete, get, patch, post};

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Routes under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/auth/login", post(sessions::login))
        .route("/auth/logout", post(sessions::logout))
        .route("/auth/me", get(sessions::me))
        .route("/auth/password", post(sessions::change_password))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", delete(tokens::revoke))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", patch(users::update))
}
