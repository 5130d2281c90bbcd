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
    /// A position outside Việt Nam's land and waters (`place`: a neighbouring
    /// country's name, `sea`, or `elsewhere`; `x`, `y` in WGS84; `srid` it was sent in).
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
    /// The server cannot do this as it is set up.
    Unavailable,
    // Documents (permits, yearly reports).
    /// Documents are not printed: the server has no public address
    /// (`--public-url`) for their verification link.
    PublicUrlMissing,
    /// No PDF: LibreOffice is not installed on the server.
    PdfUnavailable,
    /// The unit has no plan whose period holds `year`.
    NoPlanForYear,
    /// Version `version` of the report is finalised and nothing has changed since.
    AlreadyFinalised,
    /// No permit has been granted on the application (it is in `state`).
    NotGranted,
    // In the field (reports, inspections, violations, photos, retries).
    /// Longitude and latitude look swapped (longitude comes first).
    CoordinatesSwapped,
    /// Not an e-mail address.
    NotAnEmail,
    /// Not a telephone number.
    NotAPhoneNumber,
    /// A field people leave empty (a trap for robots) was filled in.
    MustBeEmpty,
    /// The abuse guard's challenge does not hold; `why`: `missing`,
    /// `forged`, `expired`, `unsolved` or `used`.
    ChallengeFailed,
    /// The person named must have another role (`role`).
    WrongRole,
    /// A checklist item (`rule`) that does not apply to this kind of asset (`kind`).
    NotApplicable,
    /// Give both this and `other`, or neither.
    BothOrNeither,
    /// A file of a type not taken (`allowed`).
    UnsupportedType,
    /// A file larger than `max_bytes`.
    TooLarge,
    /// More than `max` items.
    TooMany,
    /// The Idempotency-Key was used for another request.
    IdempotencyKeyReused,
    /// The same request is still being handled; retry shortly.
    InProgress,
    /// Not possible in the resource's `state` (`action` is what was asked).
    WrongState,
    /// One is already open for the same thing (`reference` when known).
    AlreadyOpen,
    /// The other side's step (`side`: `ward` or `operator`).
    NotYourStep,
    /// The place is in no ward Hatang serves.
    OutsideWards,
    /// (In a 409's details) the value changed meanwhile: `before`, `after`,
    /// by `actor` at `at`.
    Changed,
    /// There is one already with this `value` (a checklist rule's key).
    AlreadyExists,
    // Geometry, coordinates, files and faults (issue 13).
    /// A CRS the server does not know (`srid` when it is a number).
    UnknownCrs,
    /// Not a GeoJSON geometry: no `type`, no `coordinates`, or positions that are not numbers.
    MalformedGeometry,
    /// A geometry type the field does not take (`type`; `allowed`, a list).
    WrongGeometryType,
    /// A geometry without coordinates (`part` names the empty polygon of a multi-polygon).
    EmptyGeometry,
    /// A line with fewer than two distinct points (`part`, `distinct`).
    TooFewPoints,
    /// A polygon ring of fewer than four positions (`part`, `positions`).
    RingTooShort,
    /// A polygon ring whose last position is not its first (`part`).
    RingNotClosed,
    /// More vertices than one geometry may have (`count`, `max`).
    TooManyVertices,
    /// A third coordinate other than 0 (`height`), which 2D positions would lose.
    HasHeight,
    /// Numbers that are not a WGS84 longitude and latitude (`x`, `y`): projected coordinates sent without their CRS.
    NotWgs84,
    /// Coordinates outside the area where the declared CRS is defined (`srid`, `x`, `y`).
    OutsideCrsDomain,
    /// A polygon whose outline crosses itself at (`x`, `y`).
    SelfIntersection,
    /// A line that crosses or touches itself.
    LineCrossesItself,
    /// Another invalid geometry (`reason`, GEOS's words; `x`, `y` when known).
    InvalidGeometry,
    /// The numbers fit Việt Nam the other way round (`x`, `y` as sent; `srid`): latitude before longitude, or X for the northing.
    AxesSwapped,
    /// TM-3 coordinates outside Việt Nam that fit it with other central meridians (`declared`; `fits`, a list such as `["107°30′"]`; `place`).
    WrongMeridian,
    /// Imported TM-3 rows outside the provinces of their zone (`meridian`, `provinces`; `fits` when another meridian fits).
    OutsideZoneProvinces,
    /// A warning: points read in a merged province's zone lie in a former province that used another meridian (`province`, `former`, `declared`, `meridian`).
    FormerZone,
    /// A spreadsheet cell that holds a formula (`cell`, `column`, `formula`).
    FormulaCell,
    // Notes of an import's preview: what Hatang assumed, for the person to confirm.
    /// The file declares one CRS but another was chosen (`declared`, `chosen`): the coordinates are read as `chosen`.
    CrsOverridden,
    /// Column `northing` holds northings and `easting` eastings (X north, Y east, the survey convention); read so.
    NorthingsFirst,
    /// Columns Hatang computes itself, so not imported (`columns`).
    ComputedColumns,
    /// A coded column with values Hatang does not know (`column`, `attribute`, `count`, `values`): choose their codes.
    ValuesToChoose,
    /// A CRS the format cannot carry (`format`; `allowed`, the SRIDs it can).
    CrsNotAllowed,
    /// A code used by an earlier row of the same file (`code`, `row`).
    DuplicateInFile,
    /// A JSON member named twice in one object (`member`, `at`).
    DuplicateMember,
    /// The address does not take that method (`allow`, the methods it takes).
    MethodNotAllowed,
    /// A zip that unpacks to more than the limit (`limit_mb`).
    UnpackedTooLarge,
    /// A zip with more files than one import takes (`entries`, `limit`).
    TooManyEntries,
    /// A zip that unpacks to more times its size than allowed (`ratio`, `limit`).
    ZipBomb,
    /// The database is restarting or cannot be reached; try again (`Retry-After`).
    DatabaseUnavailable,
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
            Self::Unavailable => "unavailable",
            Self::PublicUrlMissing => "public_url_missing",
            Self::PdfUnavailable => "pdf_unavailable",
            Self::NoPlanForYear => "no_plan_for_year",
            Self::AlreadyFinalised => "already_finalised",
            Self::NotGranted => "not_granted",
            Self::CoordinatesSwapped => "coordinates_swapped",
            Self::NotAnEmail => "not_an_email",
            Self::NotAPhoneNumber => "not_a_phone_number",
            Self::MustBeEmpty => "must_be_empty",
            Self::ChallengeFailed => "challenge_failed",
            Self::WrongRole => "wrong_role",
            Self::NotApplicable => "not_applicable",
            Self::BothOrNeither => "both_or_neither",
            Self::UnsupportedType => "unsupported_type",
            Self::TooLarge => "too_large",
            Self::TooMany => "too_many",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::InProgress => "in_progress",
            Self::WrongState => "wrong_state",
            Self::AlreadyOpen => "already_open",
            Self::NotYourStep => "not_your_step",
            Self::OutsideWards => "outside_wards",
            Self::Changed => "changed",
            Self::AlreadyExists => "already_exists",
            Self::UnknownCrs => "unknown_crs",
            Self::MalformedGeometry => "malformed_geometry",
            Self::WrongGeometryType => "wrong_geometry_type",
            Self::EmptyGeometry => "empty_geometry",
            Self::TooFewPoints => "too_few_points",
            Self::RingTooShort => "ring_too_short",
            Self::RingNotClosed => "ring_not_closed",
            Self::TooManyVertices => "too_many_vertices",
            Self::HasHeight => "has_height",
            Self::NotWgs84 => "not_wgs84",
            Self::OutsideCrsDomain => "outside_crs_domain",
            Self::SelfIntersection => "self_intersection",
            Self::LineCrossesItself => "line_crosses_itself",
            Self::InvalidGeometry => "invalid_geometry",
            Self::AxesSwapped => "axes_swapped",
            Self::WrongMeridian => "wrong_meridian",
            Self::OutsideZoneProvinces => "outside_zone_provinces",
            Self::FormerZone => "former_zone",
            Self::FormulaCell => "formula_cell",
            Self::CrsOverridden => "crs_overridden",
            Self::NorthingsFirst => "northings_first",
            Self::ComputedColumns => "computed_columns",
            Self::ValuesToChoose => "values_to_choose",
            Self::CrsNotAllowed => "crs_not_allowed",
            Self::DuplicateInFile => "duplicate_in_file",
            Self::DuplicateMember => "duplicate_member",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::UnpackedTooLarge => "unpacked_too_large",
            Self::TooManyEntries => "too_many_entries",
            Self::ZipBomb => "zip_bomb",
            Self::DatabaseUnavailable => "database_unavailable",
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

    /// A text longer than `max` characters.
    pub fn too_long(max: usize) -> Self {
        Self::new(Code::TooLong, format!("is longer than {max} characters")).with("max", max)
    }

    /// A number outside `min..=max` (in `unit` when it has one: `m`, `%`, `working_days`).
    pub fn out_of_range(
        min: impl Into<Value> + std::fmt::Display,
        max: impl Into<Value> + std::fmt::Display,
        unit: Option<&str>,
    ) -> Self {
        let words = match unit {
            Some("m") => " metres",
            Some("working_days") => " working days",
            Some("%") => " percent",
            _ => "",
        };
        let text = format!("must be between {min} and {max}{words}");
        let problem = Self::new(Code::OutOfRange, text)
            .with("min", min)
            .with("max", max);
        match unit {
            Some(unit) => problem.with("unit", unit),
            None => problem,
        }
    }

    /// A value not among the `allowed` ones.
    pub fn unknown_value(value: &str, allowed: &[&str]) -> Self {
        Self::new(
            Code::UnknownValue,
            format!("unknown {value:?}; one of {}", allowed.join(", ")),
        )
        .with("value", value)
        .with("allowed", allowed.to_vec())
    }

    /// A reference to something that does not exist: `what` (`asset`,
    /// `operator`, `user`, `incident`) with this `value`.
    pub fn not_found(what: &str, value: impl Into<Value> + std::fmt::Display) -> Self {
        let text = match what {
            "operator" => format!("{value} is not a registered operator"),
            "user" => format!("there is no active user {value}"),
            _ => format!("there is no {what} {value}"),
        };
        Self::new(Code::NotFound, text)
            .with("what", what)
            .with("value", value)
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
            Code::Unavailable,
            Code::PublicUrlMissing,
            Code::PdfUnavailable,
            Code::NoPlanForYear,
            Code::AlreadyFinalised,
            Code::NotGranted,
            Code::CoordinatesSwapped,
            Code::NotAnEmail,
            Code::NotAPhoneNumber,
            Code::MustBeEmpty,
            Code::ChallengeFailed,
            Code::WrongRole,
            Code::NotApplicable,
            Code::BothOrNeither,
            Code::UnsupportedType,
            Code::TooLarge,
            Code::TooMany,
            Code::IdempotencyKeyReused,
            Code::InProgress,
            Code::WrongState,
            Code::AlreadyOpen,
            Code::NotYourStep,
            Code::OutsideWards,
            Code::Changed,
            Code::AlreadyExists,
            Code::UnknownCrs,
            Code::MalformedGeometry,
            Code::WrongGeometryType,
            Code::EmptyGeometry,
            Code::TooFewPoints,
            Code::RingTooShort,
            Code::RingNotClosed,
            Code::TooManyVertices,
            Code::HasHeight,
            Code::NotWgs84,
            Code::OutsideCrsDomain,
            Code::SelfIntersection,
            Code::LineCrossesItself,
            Code::InvalidGeometry,
            Code::AxesSwapped,
            Code::WrongMeridian,
            Code::OutsideZoneProvinces,
            Code::FormerZone,
            Code::FormulaCell,
            Code::CrsNotAllowed,
            Code::DuplicateInFile,
            Code::DuplicateMember,
            Code::MethodNotAllowed,
            Code::UnpackedTooLarge,
            Code::TooManyEntries,
            Code::ZipBomb,
            Code::DatabaseUnavailable,
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
