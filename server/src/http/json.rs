//! Reading JSON bodies with errors in Hatang's format: malformed JSON is a 400
//! that says where, a body over the limit is a 413, a wrong content type a 415.
//! A member named twice in one object (`{"geometry": …, "geometry": …}`) is a
//! 400 too: JSON parsers disagree on which one counts (serde keeps the last,
//! others the first), so such a body would silently mean something else here
//! than in the client that wrote it.

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

/// Parses JSON, telling syntax errors and duplicate members (400) from shape
/// errors (422).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    refuse_duplicate_keys(bytes)?;
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

/// A 400 naming the first member that appears twice in one object, or the
/// syntax error; `Ok` for JSON in which every object's names are unique.
pub fn refuse_duplicate_keys(bytes: &[u8]) -> Result<(), ApiError> {
    use serde::de::DeserializeSeed;
    let mut path = Vec::new();
    let mut duplicate = None;
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let walked = Unique {
        path: &mut path,
        duplicate: &mut duplicate,
    }
    .deserialize(&mut *deserializer)
    .and_then(|()| deserializer.end());
    if let Some((member, at)) = duplicate {
        return Err(ApiError::DuplicateMember { member, at });
    }
    match walked {
        Ok(()) => Ok(()),
        Err(error) if error.is_syntax() || error.is_eof() => Err(ApiError::Malformed(format!(
            "the body is not valid JSON: {error} (line {}, column {})",
            error.line(),
            error.column()
        ))),
        Err(error) => Err(ApiError::Malformed(error.to_string())),
    }
}

/// Walks a JSON value and fails at the first name repeated in an object,
/// noting it and where in `duplicate`.
struct Unique<'p> {
    path: &'p mut Vec<String>,
    duplicate: &'p mut Option<(String, String)>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Unique<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Unique<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            self.path.push(format!("[{index}]"));
            let next = seq.next_element_seed(Unique {
                path: self.path,
                duplicate: self.duplicate,
            })?;
            self.path.pop();
            if next.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                let at = if self.path.is_empty() {
                    String::from("the body")
                } else {
                    self.path.concat().trim_start_matches('.').to_string()
                };
                *self.duplicate = Some((key, at));
                return Err(serde::de::Error::custom("a member appears twice"));
            }
            self.path.push(format!(".{key}"));
            map.next_value_seed(Unique {
                path: self.path,
                duplicate: self.duplicate,
            })?;
            self.path.pop();
        }
        Ok(())
    }
}

/// A JSON object's text with a `warnings` member added when there are any:
/// what the client should check although its request was taken. In a
/// GeoJSON Feature or FeatureCollection it is a foreign member (RFC 7946 §6.1).
pub fn with_warnings(body: String, warnings: &[crate::validation::FieldProblem]) -> String {
    if warnings.is_empty() {
        return body;
    }
    match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Object(mut members)) => {
            members.insert("warnings".into(), serde_json::json!(warnings));
            serde_json::Value::Object(members).to_string()
        }
        _ => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_named_twice_is_refused_with_its_place() {
        let body = br#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2], "coordinates": [3, 4]}}"#;
        let error = refuse_duplicate_keys(body).unwrap_err();
        assert!(
            matches!(&error, ApiError::DuplicateMember { member, at } if member == "coordinates" && at == "geometry"),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .contains("\"coordinates\" appears twice in geometry"),
            "{error}"
        );
        let body = br#"{"a": 1, "a": 2}"#;
        assert!(refuse_duplicate_keys(body).is_err());
        assert!(refuse_duplicate_keys(br#"{"a": [{"b": 1}, {"b": 2}], "c": {"b": 3}}"#).is_ok());
        assert!(refuse_duplicate_keys(br#"{"a": 1"#).is_err());
    }
}
