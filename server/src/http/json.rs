//! Reading JSON bodies with errors in Hatang's format: malformed JSON is a 400
//! that says where, a body over the limit is a 413, a wrong content type a 415.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;

/// A JSON request body, parsed into `T`.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge {
                        limit: MAX_JSON_BYTES,
                    }
                } else {
                    ApiError::Malformed(format!("could not read the request body: {rejection}"))
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON, telling syntax errors (400) from shape errors (422).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::Malformed(format!(
                "the body is not valid JSON: {inner} (line {}, column {})",
                inner.line(),
                inner.column()
            ))
        } else {
            ApiError::invalid(
                if path == "." {
                    String::from("body")
                } else {
                    path
                },
                inner.to_string(),
            )
        }
    })
}
