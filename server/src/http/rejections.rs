//! Errors that axum's own extractors and routers answer before a handler runs
//! (a path segment that is not a number, a method the route does not have, a
//! body that is not multipart, a query string that does not parse) come as
//! plain text or an empty body. This layer gives them the one JSON error shape
//! of [`super::error`], keeping their status and headers (`Allow` on a 405).

use axum::body::{Body, to_bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::error::{Code, ErrorBody, ErrorObject};

/// Longest plain-text rejection carried over into the message.
const MAX_MESSAGE_BYTES: usize = 4096;

/// `axum::middleware::map_response` function: reshapes a client error that is
/// not JSON already.
pub async fn json_rejections(response: Response) -> Response {
    let status = response.status();
    if !status.is_client_error() || is_json_or_other(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match to_bytes(body, MAX_MESSAGE_BYTES).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let (code, default_message) = match status {
        StatusCode::BAD_REQUEST => ("malformed_request", "the request is malformed"),
        StatusCode::NOT_FOUND => ("not_found", "there is nothing at this address"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this address does not take that method",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "the request body has a content type this address does not take",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ("validation_failed", "the input is not valid"),
        _ => ("client_error", "the request cannot be served"),
    };
    let mut params = serde_json::Map::new();
    let allow = parts
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .filter(|allow| !allow.is_empty());
    let (reason, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let methods: Vec<&str> = allow
                .map(|allow| allow.split(',').map(str::trim).collect())
                .unwrap_or_default();
            params.insert("allow".into(), methods.into());
            let message = match allow {
                Some(allow) => format!("this address does not take that method; it takes {allow}"),
                None => default_message.to_string(),
            };
            (Code::MethodNotAllowed, message)
        }
        StatusCode::NOT_FOUND => (Code::NotFound, or_default(text, default_message)),
        _ => (Code::Invalid, or_default(text, default_message)),
    };
    let body = ErrorBody {
        error: ErrorObject {
            code: code.to_string(),
            message,
            reason,
            params,
            details: Vec::new(),
        },
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(json))
}

fn or_default(text: String, default: &str) -> String {
    if text.is_empty() {
        default.to_string()
    } else {
        text
    }
}

/// JSON already (Hatang's own errors), or a body of its own kind that is not a
/// bare rejection (the web app's HTML, an image, a file).
fn is_json_or_other(response: &Response) -> bool {
    match response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => false,
        Some(content_type) => !content_type.starts_with("text/plain"),
    }
}
