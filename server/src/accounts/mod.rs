//! Accounts: who may log in, with which role, for which operator or wards, and
//! how the server knows who is asking (sessions, API tokens). The access rules
//! themselves are all in [`crate::policy`], below every domain.
//!
//! Infrastructure data is commercially sensitive and permits are legal
//! decisions, so every request is tied to a person or an operator's token,
//! and every change in the history names it.

pub mod access;
pub mod cache;
pub mod demo;
pub mod password;
pub mod principal;
pub mod sessions;
pub mod tokens;
pub mod users;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(access::access))
        .routes(routes!(sessions::login))
        .routes(routes!(sessions::logout))
        .routes(routes!(sessions::me))
        .routes(routes!(sessions::change_password))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::update))
}
