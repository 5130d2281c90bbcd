//! Security headers on every response, the API's and the web app's alike:
//! - a strict Content-Security-Policy: scripts only from Hatang itself (no
//!   inline script, no `eval`), MapLibre's workers from `blob:` URLs, images
//!   and fonts from Hatang or `data:`/`blob:`, requests only to Hatang, no
//!   plug-ins, and no framing (`frame-ancestors 'none'`);
//! - `X-Frame-Options: DENY` for browsers older than `frame-ancestors`;
//! - `X-Content-Type-Options: nosniff`, so nothing is run as another type;
//! - `Referrer-Policy: same-origin`, so addresses with ids or search terms do
//!   not leave with a link;
//! - `Strict-Transport-Security` when the server runs behind HTTPS
//!   (`--secure-cookies`).
//!
//! Styles may be inline (`'unsafe-inline'` for `style-src` only): the printed
//! permit carries its own stylesheet and the map positions its popups with
//! style attributes. A basemap on another host (`basemap_style_url`) needs that
//! host in `connect-src`, `img-src` and `font-src`: `--csp-extra-origins`.

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

/// The headers every response carries.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    /// `hsts` when the server is reached over HTTPS; `extra_origins` for a basemap.
    pub fn new(hsts: bool, extra_origins: &[String]) -> Self {
        let extra: String = extra_origins
            .iter()
            .filter(|o| o.starts_with("https://") && !o.contains([' ', ';', ',', '\'', '"']))
            .map(|o| format!(" {o}"))
            .collect();
        let policy = format!(
            "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{extra}; font-src 'self' data:{extra}; \
             connect-src 'self'{extra}; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        let mut headers = vec![
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&policy).expect("the policy is plain ASCII"),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ),
        ];
        if hsts {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Self { headers }
    }

    /// Sets the headers on `response` (a handler's own value stays).
    pub fn apply(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        response
    }
}
