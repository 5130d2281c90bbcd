//! Query strings with errors in Hatang's format, and the version headers.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Query parameters parsed into `T`; an unknown or malformed parameter is a 400.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| {
                ApiError::Malformed(format!("invalid query string: {}", rejection.body_text()))
            })
    }
}

/// The version named by an `If-Match` header (`"3"`, `W/"3"` or `3`), if any.
pub fn if_match_version(headers: &HeaderMap) -> Result<Option<i32>, ApiError> {
    version_header(headers, header::IF_MATCH)
}

/// The version named by an `If-None-Match` header, if any.
pub fn if_none_match_version(headers: &HeaderMap) -> Option<i32> {
    version_header(headers, header::IF_NONE_MATCH)
        .ok()
        .flatten()
}

fn version_header(headers: &HeaderMap, name: header::HeaderName) -> Result<Option<i32>, ApiError> {
    let Some(value) = headers.get(&name) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    let bare = text.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i32>().map(Some).map_err(|_| {
        ApiError::Malformed(format!(
            "{name} must be the version from the ETag, such as \"3\"; got {text:?}"
        ))
    })
}

/// An `ETag` value for a version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}
