//! What is wrong with a request, said so that a program can act on it and the
//! web app can word it in Vietnamese or English: every problem is a stable
//! [`Code`] with parameters (`{"min": 0, "max": 300}`), beside the English
//! text that older clients show.
//!
//! This module is at the bottom of the dependency graph: domain code gathers
//! [`Problems`] without knowing about HTTP; `http::error` turns them into a 422.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The stable, machine-readable name of a problem or of a refusal. The web
/// app words each one (`web/src/i18n/problems.ts`); a new code needs its words
/// there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A problem not yet given a code of its own: the text says what it is.
    #[default]
    Invalid,
    /// A required value is missing.
    Required,
    /// A text is empty or only spaces.
    Empty,
    /// A text is longer than `max` characters.
    TooLong,
    /// A number is outside `min`..`max` (`unit` when it has one).
    OutOfRange,
    /// A value is of the wrong JSON type (`expected`).
    WrongType,
    /// A value is not one of the allowed ones (`value`, `allowed`).
    UnknownValue,
    /// A member the server does not know (`field`).
    UnknownField,
    /// A value the server computes or assigns and does not accept.
    ReadOnly,
    /// A text contains control characters.
    ControlCharacters,
    /// A position outside Việt Nam's extent.
    NotInVietnam,
    // Refusals of a whole request (the `reason` of a 401, 403, 404, 409, 429).
    /// Not signed in, or an unknown, expired or revoked token.
    Unauthorized,
    /// This needs a signed-in person (`action` says what).
    LoginRequired,
    /// The principal's role may not do `action`.
    RoleMayNot,
    /// Only the owning operator may do this (`operator` is the principal's).
    NotOwnOperator,
    /// The resource is outside the wards the principal's role covers.
    OutsideScope,
    /// An API token may not do this; a person must sign in.
    TokenMayNot,
    /// The principal may not do this.
    Forbidden,
    /// The resource does not exist (or is not visible to the principal).
    NotFound,
    /// The resource's state does not allow the change.
    Conflict,
    /// Too many attempts; `retry_after_seconds` says when to try again.
    TooManyRequests,
}

impl Code {
    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Required => "required",
            Self::Empty => "empty",
            Self::TooLong => "too_long",
            Self::OutOfRange => "out_of_range",
            Self::WrongType => "wrong_type",
            Self::UnknownValue => "unknown_value",
            Self::UnknownField => "unknown_field",
            Self::ReadOnly => "read_only",
            Self::ControlCharacters => "control_characters",
            Self::NotInVietnam => "not_in_vietnam",
            Self::Unauthorized => "unauthorized",
            Self::LoginRequired => "login_required",
            Self::RoleMayNot => "role_may_not",
            Self::NotOwnOperator => "not_own_operator",
            Self::OutsideScope => "outside_scope",
            Self::TokenMayNot => "token_may_not",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::TooManyRequests => "too_many_requests",
        }
    }
}

/// One thing wrong, whole: its code, its parameters and its English text.
///
/// ```
/// use hatang::validation::{Code, Problem};
/// let problem = Problem::new(Code::OutOfRange, "must be more than 0 and at most 300 metres")
///     .with("min", 0)
///     .with("max", 300)
///     .with("unit", "m");
/// assert_eq!(problem.params["max"], 300);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: Code,
    pub params: Map<String, Value>,
    /// What is wrong, in English words a person can act on.
    pub text: Cow<'static, str>,
}

impl Problem {
    pub fn new(code: Code, text: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            params: Map::new(),
            text: text.into(),
        }
    }

    /// Adds the parameter `name`.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// A required value is missing.
    pub fn required() -> Self {
        Self::new(Code::Required, "required")
    }
}

/// A bare text is a problem without a code of its own ([`Code::Invalid`]).
impl From<String> for Problem {
    fn from(text: String) -> Self {
        Self::new(Code::Invalid, text)
    }
}

impl From<&'static str> for Problem {
    fn from(text: &'static str) -> Self {
        Self::new(Code::Invalid, text)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// Where the problem is: a property name, `geometry`, or a path such as `pipes[2].state`.
    pub field: String,
    /// What is wrong, as a stable code.
    #[serde(default)]
    pub code: Code,
    /// The code's parameters, e.g. `{"min": 0, "max": 300}`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
    /// What is wrong, in English words a person can act on.
    pub problem: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        let problem = problem.into();
        Self {
            field: field.into(),
            code: problem.code,
            params: problem.params,
            problem: problem.text.into_owned(),
        }
    }
}

/// Problems gathered while parsing one request, so that all of them are
/// reported at once rather than one per round trip.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes that `field` has `problem` (a [`Problem`], or a bare text).
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<Problem>) {
        self.0.push(FieldProblem::new(field, problem));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }

    /// `Ok(value)` when nothing was found wrong, else every problem.
    pub fn check<T>(self, value: T) -> Result<T, Vec<FieldProblem>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

impl Extend<FieldProblem> for Problems {
    fn extend<I: IntoIterator<Item = FieldProblem>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_keeps_its_code_params_and_words() {
        let mut problems = Problems::new();
        problems.add(
            "height_m",
            Problem::new(
                Code::OutOfRange,
                "must be more than 0 and at most 300 metres",
            )
            .with("min", 0)
            .with("max", 300),
        );
        problems.add("code", Problem::required());
        problems.add("note", "a text without a code yet");
        let json = serde_json::to_value(problems.into_vec()).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"field": "height_m", "code": "out_of_range", "params": {"min": 0, "max": 300},
                 "problem": "must be more than 0 and at most 300 metres"},
                {"field": "code", "code": "required", "params": {}, "problem": "required"},
                {"field": "note", "code": "invalid", "params": {}, "problem": "a text without a code yet"}
            ])
        );
    }

    #[test]
    fn every_code_serialises_as_its_name() {
        for code in [
            Code::Invalid,
            Code::Required,
            Code::Empty,
            Code::TooLong,
            Code::OutOfRange,
            Code::WrongType,
            Code::UnknownValue,
            Code::UnknownField,
            Code::ReadOnly,
            Code::ControlCharacters,
            Code::NotInVietnam,
            Code::Unauthorized,
            Code::LoginRequired,
            Code::RoleMayNot,
            Code::NotOwnOperator,
            Code::OutsideScope,
            Code::TokenMayNot,
            Code::Forbidden,
            Code::NotFound,
            Code::Conflict,
            Code::TooManyRequests,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn stored_problems_without_a_code_still_read() {
        let old: FieldProblem =
            serde_json::from_value(serde_json::json!({"field": "x", "problem": "bad"})).unwrap();
        assert_eq!(old.code, Code::Invalid);
    }
}
