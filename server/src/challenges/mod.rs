//! Challenges: anyone can contest what an operator filed, as the FCC's
//! availability challenges let anyone contest a provider's claim on the
//! National Broadband Map. A person marks a point on the public map — "no
//! 4G/5G here", "no fibre available at this address" — with an optional photo
//! and, if they like, a way to reach them (which only staff see). No account
//! is needed; the form is guarded without any third-party service by the same
//! guard as the public's field reports (`crate::incidents::guard`: a signed
//! proof-of-work challenge used once, a honeypot, a limit of public
//! submissions per address and hour).
//!
//! Staff of the ward triage it: reject it (spam, a duplicate, nobody claims
//! coverage there) or forward it to the operator concerned, which has
//! [`RESPONSE_WORKING_DAYS`] working days to accept it (its next filing must
//! correct the claim: a coverage polygon that still covers the point is an
//! error of that filing) or dispute it with evidence, which staff then uphold
//! or dismiss. A filing that no longer claims the point marks the challenge
//! corrected. Open challenges are a GeoJSON layer of the coverage map.

pub mod state;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::Actor;
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::filings::handlers::with_body_limit;
use crate::http::error::{ApiError, ApiResult, Problems};
use crate::http::json::parse_json;
use crate::http::query::ApiQuery;
use crate::incidents::guard;
use crate::notifications::{self, Message};
use crate::outbox::{self, Mail};
use crate::policy::Principal;
use crate::state::AppState;
use crate::vn_time::today;
use state::{ChallengeAction, ChallengeState, Side};

/// Largest photo of a challenge.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Largest evidence file of a dispute.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
/// Working days the operator has to accept or dispute a forwarded challenge
/// (the FCC gives providers 60 days; a ward's reporting year is shorter).
pub const RESPONSE_WORKING_DAYS: u32 = 15;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(with_body_limit(
            routes!(list, create),
            MAX_PHOTO_BYTES + 64 * 1024,
        ))
        .routes(routes!(ticket))
        .routes(routes!(map))
        .routes(routes!(one))
        .routes(routes!(photo))
        .routes(routes!(evidence))
        .routes(with_body_limit(
            routes!(act),
            MAX_EVIDENCE_BYTES + 64 * 1024,
        ))
}

/// Issues a proof-of-work challenge for the public challenge form (the
/// guard of every public form: `crate::incidents::guard`).
#[utoipa::path(get, path = "/challenges/ticket", tag = "Challenges",
    responses((status = 200, description = "A signed challenge and the work it asks: find a `nonce` such that SHA-256(`challenge:nonce`) starts with `difficulty` zero bits.", body = crate::incidents::guard::Challenge)))]
pub async fn ticket(State(state): State<AppState>) -> ApiResult<axum::Json<guard::Challenge>> {
    let mut conn = state.pool.acquire().await?;
    Ok(axum::Json(
        guard::issue(&mut conn, chrono::Utc::now()).await?,
    ))
}

/// The fields of the public form (multipart/form-data).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ChallengeForm {
    /// `no_mobile` or `no_fibre`.
    kind: String,
    /// For `no_mobile`: `4G` or `5G`.
    technology: Option<String>,
    lon: f64,
    lat: f64,
    address: Option<String>,
    description: Option<String>,
    /// How staff can reach the sender (never shown to the public or the operator).
    contact: Option<String>,
    /// From `GET /challenges/ticket`.
    challenge: String,
    /// The nonce that proves the challenge's work.
    nonce: String,
    /// Leave empty.
    website: Option<String>,
    /// A JPEG, PNG or WebP photo, at most 5 MiB.
    #[schema(value_type = Option<String>, format = Binary)]
    photo: Option<Vec<u8>>,
}

/// What the sender is told.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeReceived {
    pub id: i64,
    pub state: ChallengeState,
    pub ward: Option<String>,
}

/// Text fields and one file of a multipart form.
struct Form {
    fields: BTreeMap<String, String>,
    file: Option<(String, Vec<u8>)>,
}

async fn read_form(mut multipart: Multipart, file_field: &str, limit: usize) -> ApiResult<Form> {
    let too_large = || ApiError::PayloadTooLarge { limit };
    let mut form = Form {
        fields: BTreeMap::new(),
        file: None,
    };
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::Malformed(format!("the form is not valid multipart form data: {e}"))
        }
    })? {
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            if bytes.len() > limit {
                return Err(too_large());
            }
            if !bytes.is_empty() {
                form.file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| ApiError::Malformed(format!("field {name}: {e}")))?;
            form.fields.insert(name, text);
        }
    }
    Ok(form)
}

/// A photo's media type, judged by its content.
fn photo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    crate::permits::attachments::sniff(bytes)
        .map(|k| k.media_type)
        .filter(|t| matches!(*t, "image/jpeg" | "image/png"))
}

fn optional(fields: &BTreeMap<String, String>, name: &str) -> Option<String> {
    fields
        .get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn check_length(problems: &mut Problems, field: &str, value: &Option<String>, max: usize) {
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        problems.add(field, format!("at most {max} characters"));
    }
}

/// Marks a point where the sender finds no 4G/5G or no fibre.
#[utoipa::path(post, path = "/challenges", operation_id = "create_challenge", tag = "Challenges",
    request_body(content = ChallengeForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Received; staff of the ward triage it.", body = ChallengeReceived),
              (status = 413, description = "The photo is larger than 5 MiB."),
              (status = 422, description = "Every problem of the form (a missing ticket or work included)."),
              (status = 429, description = "Too many challenges from this address.")))]
pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    multipart: Multipart,
) -> ApiResult<Response> {
    let form = read_form(multipart, "photo", MAX_PHOTO_BYTES).await?;
    let fields = &form.fields;
    let mut problems = Problems::new();
    let kind = optional(fields, "kind").unwrap_or_default();
    if !["no_mobile", "no_fibre"].contains(&kind.as_str()) {
        problems.add("kind", "no_mobile or no_fibre");
    }
    let technology =
        optional(fields, "technology").map(|t| crate::filings::rows::technology(&t).ok_or(t));
    let technology = match (kind.as_str(), technology) {
        ("no_mobile", Some(Ok(t))) => Some(t),
        ("no_mobile", Some(Err(_))) => {
            problems.add("technology", "4G or 5G");
            None
        }
        ("no_mobile", None) => {
            problems.add("technology", "required: 4G or 5G");
            None
        }
        (_, Some(_)) => {
            problems.add(
                "technology",
                "only a no_mobile challenge names a technology",
            );
            None
        }
        _ => None,
    };
    let coordinate =
        |name: &str, range: std::ops::RangeInclusive<f64>, problems: &mut Problems| match optional(
            fields, name,
        )
        .map(|v| v.replace(',', ".").parse::<f64>())
        {
            Some(Ok(v)) if range.contains(&v) => Some(v),
            Some(_) => {
                problems.add(name, "a position in Vietnam (degrees, WGS84)");
                None
            }
            None => {
                problems.add(name, "required: mark the point on the map");
                None
            }
        };
    let lon = coordinate("lon", crate::coordinates::VIETNAM_LON, &mut problems);
    let lat = coordinate("lat", crate::coordinates::VIETNAM_LAT, &mut problems);
    let address = optional(fields, "address");
    let description = optional(fields, "description");
    let contact = optional(fields, "contact");
    check_length(&mut problems, "address", &address, 300);
    check_length(&mut problems, "description", &description, 2000);
    check_length(&mut problems, "contact", &contact, 200);
    let photo = match &form.file {
        Some((_, bytes)) => match photo_type(bytes) {
            Some(media_type) => Some((media_type, bytes.clone())),
            None => {
                problems.add(
                    "photo",
                    "must be a JPEG, PNG or WebP photo (judged by its content)",
                );
                None
            }
        },
        None => None,
    };
    let proof = guard::Proof {
        challenge: optional(fields, "challenge"),
        nonce: optional(fields, "nonce"),
        website: fields.get("website").cloned(),
    };
    let mut conn = state.pool.acquire().await?;
    let ward: Option<(i64, String)> = match (lon, lat) {
        (Some(lon), Some(lat)) => {
            sqlx::query_as(
                "select w.id, w.name from admin_unit w where w.id = ward_for(ST_SetSRID(ST_MakePoint($1, $2), 4326))",
            )
            .bind(lon)
            .bind(lat)
            .fetch_optional(&mut *conn)
            .await?
        }
        _ => None,
    };
    if lon.is_some() && lat.is_some() && ward.is_none() {
        problems.add("lon", "the point is outside the wards Hatang covers");
    }
    // The proof's problems join the form's, all at once; the limit comes after.
    let mut tx = state.pool.begin().await?;
    changes::act_as(&mut tx, &Actor::named("public")).await?;
    match guard::verify(&mut tx, &proof, chrono::Utc::now()).await {
        Ok(()) => {}
        Err(ApiError::Invalid(found)) => {
            for p in found {
                problems.add(p.field, p.problem);
            }
        }
        Err(other) => return Err(other),
    }
    problems.into_result(())?;
    drop(conn);
    let (Some(lon), Some(lat), Some((ward_id, ward_name))) = (lon, lat, ward) else {
        return Err(ApiError::Internal("checked above".into()));
    };
    guard::rate_limit(&mut tx, state.public_origin(&remote.ip().to_string())).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into challenge (kind, technology, geom, ward_id, address, description, reporter_contact,
                                photo_type, photo_sha256)
         values ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(&kind)
    .bind(technology)
    .bind(lon)
    .bind(lat)
    .bind(ward_id)
    .bind(&address)
    .bind(&description)
    .bind(&contact)
    .bind(photo.as_ref().map(|(t, _)| *t))
    .bind(photo.as_ref().map(|(_, b)| sha256(b)))
    .fetch_one(&mut *tx)
    .await?;
    if let Some((media_type, bytes)) = &photo {
        sqlx::query(
            "insert into challenge_file (challenge_id, role, media_type, content) values ($1, 'photo', $2, $3)",
        )
        .bind(id)
        .bind(media_type)
        .bind(bytes)
        .execute(&mut *tx)
        .await?;
    }
    let what_vi = match technology {
        Some(t) => format!("không có sóng {t}"),
        None => "không có cáp quang".into(),
    };
    let what_en = match technology {
        Some(t) => format!("no {t}"),
        None => "no fibre".into(),
    };
    let vi = format!("Phản ánh mới #{id} tại {ward_name}: {what_vi}. Cần phân loại.");
    let en = format!("New challenge #{id} in {ward_name}: {what_en}. To triage.");
    let link = format!("/challenges/{id}");
    notifications::scope_staff(
        &mut tx,
        &[ward_id],
        &Message {
            kind: "challenge_submitted",
            vi: &vi,
            en: &en,
            link: &link,
            dedupe_key: Some(format!("challenge_submitted:{id}")),
        },
    )
    .await?;
    tx.commit().await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(ChallengeReceived {
            id,
            state: ChallengeState::Submitted,
            ward: Some(ward_name),
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/challenges/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Query of the map layer.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MapParams {
    /// GSO code of a ward (or province).
    pub ward: Option<String>,
    /// `no_mobile` or `no_fibre`.
    pub kind: Option<String>,
    /// `4G` or `5G`.
    pub technology: Option<String>,
}

/// The coverage map's challenges as a GeoJSON FeatureCollection of points.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)] // describes the JSON the SQL builds
pub struct ChallengeMap {
    /// `FeatureCollection`.
    #[schema(pattern = "^FeatureCollection$")]
    r#type: String,
    features: Vec<ChallengePoint>,
}

#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ChallengePoint {
    /// `Feature`.
    #[schema(pattern = "^Feature$")]
    r#type: String,
    id: i64,
    #[schema(schema_with = crate::geometry::schema::any_geometry)]
    geometry: (),
    properties: ChallengePointProperties,
}

#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ChallengePointProperties {
    id: i64,
    /// `no_mobile` or `no_fibre`.
    kind: String,
    /// `4G` or `5G`, for `no_mobile`.
    technology: Option<String>,
    state: ChallengeState,
    /// The operator it concerns, if one.
    operator: Option<String>,
    /// The ward's GSO code.
    ward: Option<String>,
    /// The day it was sent (Vietnam time).
    created_on: NaiveDate,
}

/// Open challenges as GeoJSON, for the coverage map. The public sees those
/// staff forwarded (not yet triaged ones may be spam); staff see every open one.
#[utoipa::path(get, path = "/challenges/map", tag = "Challenges", params(MapParams),
    responses((status = 200, description = "A FeatureCollection of points: kind, technology, state, date.", body = ChallengeMap, content_type = "application/geo+json")))]
pub async fn map(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<MapParams>,
) -> ApiResult<Response> {
    let mut open: Vec<&str> = ChallengeState::OPEN.iter().map(|s| s.as_str()).collect();
    if !principal.is_staff() {
        open.retain(|s| *s != ChallengeState::Submitted.as_str());
    }
    let technology = params
        .technology
        .as_deref()
        .map(|t| crate::filings::rows::technology(t).ok_or(()))
        .transpose()
        .map_err(|_| ApiError::Malformed("technology must be 4G or 5G".into()))?;
    let body: String = sqlx::query_scalar(
        "select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
                    json_build_object('type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.geom, 6)::json,
                        'properties', json_build_object('id', c.id, 'kind', c.kind, 'technology', c.technology,
                            'state', c.state, 'operator', o.code, 'ward', w.gso_code, 'created_on', (c.created_at at time zone 'Asia/Ho_Chi_Minh')::date))
                    order by c.id), '[]'::json))::text
         from challenge c
         left join operator o on o.id = c.operator_id
         left join admin_unit w on w.id = c.ward_id
         where c.state = any($1)
           and ($2::text is null or w.gso_code = $2 or w.parent_id in (select id from admin_unit where gso_code = $2))
           and ($3::text is null or c.kind = $3)
           and ($4::text is null or c.technology = $4)",
    )
    .bind(&open)
    .bind(params.ward.as_deref())
    .bind(params.kind.as_deref())
    .bind(technology)
    .fetch_one(&state.pool)
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// An operator whose latest submitted filing claims coverage at a challenge's point.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CoverageClaim {
    pub operator: String,
    pub operator_name: String,
    pub call_id: i64,
    pub filing_id: i64,
    pub version: i32,
}

/// A challenge, as much as the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChallengeView {
    pub id: i64,
    pub kind: String,
    pub technology: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub ward: Option<String>,
    pub ward_name: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    /// Staff only.
    pub reporter_contact: Option<String>,
    pub state: ChallengeState,
    pub operator: Option<String>,
    pub operator_name: Option<String>,
    pub triage_note: Option<String>,
    pub triaged_by: Option<String>,
    pub triaged_at: Option<DateTime<Utc>>,
    pub response_due_on: Option<NaiveDate>,
    /// Forwarded, and the operator has not answered by the due day.
    pub response_overdue: bool,
    pub response_note: Option<String>,
    pub responded_by: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub corrected_by_version_id: Option<i64>,
    pub corrected_at: Option<DateTime<Utc>>,
    pub has_photo: bool,
    pub has_evidence: bool,
    pub evidence_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// What the caller may do now.
    pub actions: Vec<ChallengeAction>,
    /// Staff: the operators whose submitted filings claim coverage here.
    pub claimed_by: Vec<CoverageClaim>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    technology: Option<String>,
    lon: f64,
    lat: f64,
    ward_id: Option<i64>,
    ward: Option<String>,
    ward_name: Option<String>,
    address: Option<String>,
    description: Option<String>,
    reporter_contact: Option<String>,
    state: String,
    operator_id: Option<i64>,
    operator: Option<String>,
    operator_name: Option<String>,
    triage_note: Option<String>,
    triaged_by: Option<String>,
    triaged_at: Option<DateTime<Utc>>,
    response_due_on: Option<NaiveDate>,
    response_note: Option<String>,
    responded_by: Option<String>,
    responded_at: Option<DateTime<Utc>>,
    decision_note: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    corrected_by_version_id: Option<i64>,
    corrected_at: Option<DateTime<Utc>>,
    has_photo: bool,
    has_evidence: bool,
    evidence_name: Option<String>,
    created_at: DateTime<Utc>,
    version: i32,
}

impl Row {
    fn state(&self) -> ChallengeState {
        ChallengeState::parse(&self.state).unwrap_or(ChallengeState::Submitted)
    }
}

const SELECT: &str = "select c.id, c.kind, c.technology, ST_X(c.geom) as lon, ST_Y(c.geom) as lat, c.ward_id,
        w.gso_code as ward, w.name as ward_name, c.address, c.description, c.reporter_contact, c.state,
        c.operator_id, o.code as operator, o.short_name as operator_name, c.triage_note, c.triaged_by, c.triaged_at,
        c.response_due_on, c.response_note, c.responded_by, c.responded_at, c.decision_note, c.decided_by,
        c.decided_at, c.corrected_by_version_id, c.corrected_at, c.photo_sha256 is not null as has_photo,
        c.evidence_sha256 is not null as has_evidence, c.evidence_name, c.created_at, c.version
    from challenge c
    left join admin_unit w on w.id = c.ward_id
    left join operator o on o.id = c.operator_id";

async fn load(conn: &mut PgConnection, id: i64, lock: bool) -> ApiResult<Row> {
    sqlx::query_as(&format!(
        "{SELECT} where c.id = $1 {}",
        if lock { "for update of c" } else { "" }
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("there is no challenge {id}")))
}

/// Operators whose latest submitted filing claims what the challenge contests.
async fn claims(conn: &mut PgConnection, row: &Row) -> sqlx::Result<Vec<CoverageClaim>> {
    sqlx::query_as(
        "with latest as (
             select f.id as filing_id, f.call_id, f.operator_id, c.kind as call_kind,
                    (select v.id from filing_version v where v.filing_id = f.id and v.submitted_at is not null
                     order by v.number desc limit 1) as version_id
             from filing f join data_call c on c.id = f.call_id
             where c.cancelled_at is null),
         point as (select geom from challenge where id = $1)
         select distinct o.code as operator, o.short_name as operator_name, l.call_id, l.filing_id, v.number as version
         from latest l
         join filing_version v on v.id = l.version_id
         join operator o on o.id = l.operator_id
         cross join point p
         where ($2 = 'no_mobile' and l.call_kind = 'mobile_coverage' and exists (
                    select 1 from filing_area a where a.version_id = l.version_id and a.technology = $3
                      and ST_Intersects(a.geom, p.geom)))
            or ($2 = 'no_fibre' and l.call_kind = 'fixed_broadband' and exists (
                    select 1 from jsonb_array_elements(v.rows) r
                    join admin_unit n on n.id = (r->>'unit_id')::bigint
                    where coalesce((r->>'households_passed')::bigint, 0) > 0 and ST_Covers(n.boundary, p.geom)))
         order by o.code",
    )
    .bind(row.id)
    .bind(&row.kind)
    .bind(&row.technology)
    .fetch_all(conn)
    .await
}

/// The actions `principal` may take on `row` now.
fn possible(principal: &Principal, row: &Row) -> Vec<ChallengeAction> {
    state::actions(row.state())
        .into_iter()
        .filter(|a| match a.side() {
            Side::Staff => principal.may_triage_challenge(row.ward_id).is_ok(),
            Side::Operator => principal.may_answer_challenge(row.operator_id).is_ok(),
        })
        .collect()
}

async fn view(
    conn: &mut PgConnection,
    row: Row,
    principal: &Principal,
) -> ApiResult<ChallengeView> {
    let staff = principal.may_triage_challenge(row.ward_id).is_ok();
    let claimed_by = if staff {
        claims(conn, &row).await?
    } else {
        Vec::new()
    };
    let actions = possible(principal, &row);
    let state = row.state();
    let overdue =
        state == ChallengeState::Forwarded && row.response_due_on.is_some_and(|d| today() > d);
    Ok(ChallengeView {
        id: row.id,
        kind: row.kind,
        technology: row.technology,
        lon: row.lon,
        lat: row.lat,
        ward: row.ward,
        ward_name: row.ward_name,
        address: row.address,
        description: row.description,
        reporter_contact: if staff { row.reporter_contact } else { None },
        state,
        operator: row.operator,
        operator_name: row.operator_name,
        triage_note: row.triage_note,
        triaged_by: row.triaged_by,
        triaged_at: row.triaged_at,
        response_due_on: row.response_due_on,
        response_overdue: overdue,
        response_note: row.response_note,
        responded_by: row.responded_by,
        responded_at: row.responded_at,
        decision_note: row.decision_note,
        decided_by: row.decided_by,
        decided_at: row.decided_at,
        corrected_by_version_id: row.corrected_by_version_id,
        corrected_at: row.corrected_at,
        has_photo: row.has_photo,
        has_evidence: row.has_evidence,
        evidence_name: row.evidence_name,
        created_at: row.created_at,
        version: row.version,
        actions,
        claimed_by,
    })
}

/// Query of the list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// A state, or `open` (default) or `all`.
    pub state: Option<String>,
    /// GSO code of a ward.
    pub ward: Option<String>,
}

/// Challenges for the caller to act on: staff those in their wards, an
/// operator those forwarded to it.
#[utoipa::path(get, path = "/challenges", operation_id = "list_challenges", tag = "Challenges", params(ListParams),
    responses((status = 200, description = "Challenges, oldest first.", body = [ChallengeView]),
              (status = 401, description = "Not logged in.")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<Vec<ChallengeView>>> {
    principal.require_login()?;
    let states: Vec<&str> = match params.state.as_deref() {
        None | Some("open") => ChallengeState::OPEN.iter().map(|s| s.as_str()).collect(),
        Some("all") => ChallengeState::ALL.iter().map(|s| s.as_str()).collect(),
        Some(text) => vec![
            ChallengeState::parse(text)
                .ok_or_else(|| {
                    ApiError::Malformed(format!(
                        "state must be open, all or a challenge state; got {text:?}"
                    ))
                })?
                .as_str(),
        ],
    };
    let mut conn = state.pool.acquire().await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} where c.state = any($1) and ($2::text is null or w.gso_code = $2) order by c.id limit 1000"
    ))
    .bind(&states)
    .bind(params.ward.as_deref())
    .fetch_all(&mut *conn)
    .await?;
    let mut views = Vec::new();
    for row in rows {
        if principal
            .may_read_challenge(row.ward_id, row.operator_id)
            .is_ok()
        {
            views.push(view(&mut conn, row, &principal).await?);
        }
    }
    Ok(axum::Json(views))
}

/// One challenge.
#[utoipa::path(get, path = "/challenges/{id}", operation_id = "get_challenge", tag = "Challenges",
    params(("id" = i64, Path, description = "The challenge's id.")),
    responses((status = 200, description = "The challenge.", body = ChallengeView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Neither staff of its ward nor the operator it was forwarded to."),
              (status = 404, description = "No such challenge.")))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ChallengeView>> {
    let mut conn = state.pool.acquire().await?;
    let row = load(&mut conn, id, false).await?;
    principal.may_read_challenge(row.ward_id, row.operator_id)?;
    Ok(axum::Json(view(&mut conn, row, &principal).await?))
}

async fn file_of(
    state: &AppState,
    principal: &Principal,
    id: i64,
    role: &str,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let row = load(&mut conn, id, false).await?;
    principal.may_read_challenge(row.ward_id, row.operator_id)?;
    let file: Option<(String, Vec<u8>)> = sqlx::query_as(
        "select media_type, content from challenge_file where challenge_id = $1 and role = $2",
    )
    .bind(id)
    .bind(role)
    .fetch_optional(&mut *conn)
    .await?;
    let (media_type, content) =
        file.ok_or_else(|| ApiError::not_found(format!("challenge {id} has no {role}")))?;
    let mut response = content.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment"),
    );
    Ok(response)
}

/// The sender's photo.
#[utoipa::path(get, path = "/challenges/{id}/photo", tag = "Challenges",
    params(("id" = i64, Path, description = "The challenge's id.")),
    responses((status = 200, description = "The photo (JPEG, PNG or WebP).", content(
                (String = "image/jpeg"), (String = "image/png"), (String = "image/webp"))),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Neither staff of its ward nor the operator it was forwarded to."),
              (status = 404, description = "No such challenge, or no photo.")))]
pub async fn photo(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    file_of(&state, &principal, id, "photo").await
}

/// The operator's evidence of a dispute.
#[utoipa::path(get, path = "/challenges/{id}/evidence", tag = "Challenges",
    params(("id" = i64, Path, description = "The challenge's id.")),
    responses((status = 200, description = "The evidence file (PDF or image).", content(
                (String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/tiff"))),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Neither staff of its ward nor the operator it was forwarded to."),
              (status = 404, description = "No such challenge, or no evidence file.")))]
pub async fn evidence(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    file_of(&state, &principal, id, "evidence").await
}

/// An action's input: JSON, or a multipart form with an `evidence` file for a dispute.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChallengeActionInput {
    /// The version read (409 if someone acted since).
    pub version: i32,
    /// forward: the operator concerned (code).
    #[serde(default)]
    pub operator: Option<String>,
    /// Why (reject, uphold, dismiss: required), or the operator's evidence (dispute: required).
    #[serde(default)]
    pub note: Option<String>,
}

/// Acts on a challenge: staff `forward` (to an operator), `reject`, `uphold`
/// or `dismiss` a dispute; the operator `accept`s or `dispute`s it.
#[utoipa::path(post, path = "/challenges/{id}/actions/{action}", tag = "Challenges",
    params(("id" = i64, Path, description = "The challenge's id."),
           ("action" = String, Path, description = "forward, reject, accept, dispute, uphold or dismiss.")),
    request_body(content = ChallengeActionInput, description = "JSON; a dispute may be multipart with an `evidence` file (PDF or image, 10 MiB)."),
    responses((status = 200, description = "The challenge after the action.", body = ChallengeView),
              (status = 401, description = "Not logged in."),
              (status = 403, description = "Not the side that takes this action."),
              (status = 404, description = "No such challenge or action."),
              (status = 409, description = "Not possible in its state, or changed since `version`."),
              (status = 413, description = "The evidence file is larger than 10 MiB."),
              (status = 422, description = "Every problem of the input.")))]
pub async fn act(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, action)): Path<(i64, String)>,
    request: Request,
) -> ApiResult<axum::Json<ChallengeView>> {
    let action = match action.as_str() {
        "forward" => ChallengeAction::Forward,
        "reject" => ChallengeAction::Reject,
        "accept" => ChallengeAction::Accept,
        "dispute" => ChallengeAction::Dispute,
        "uphold" => ChallengeAction::Uphold,
        "dismiss" => ChallengeAction::Dismiss,
        other => {
            return Err(ApiError::not_found(format!(
                "there is no challenge action {other:?}"
            )));
        }
    };
    principal.require_login()?;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    let (input, evidence) = if multipart {
        let form = Multipart::from_request(request, &())
            .await
            .map_err(|e| ApiError::Malformed(e.to_string()))?;
        let form = read_form(form, "evidence", MAX_EVIDENCE_BYTES).await?;
        let version = form
            .fields
            .get("version")
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| ApiError::invalid("version", "required: the version read"))?;
        (
            ChallengeActionInput {
                version,
                operator: optional(&form.fields, "operator"),
                note: optional(&form.fields, "note"),
            },
            form.file,
        )
    } else {
        let bytes = axum::body::Bytes::from_request(request, &())
            .await
            .map_err(|e| ApiError::Malformed(e.to_string()))?;
        (parse_json::<ChallengeActionInput>(&bytes)?, None)
    };
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let row = load(&mut tx, id, true).await?;
    match action.side() {
        Side::Staff => principal.may_triage_challenge(row.ward_id)?,
        Side::Operator => principal.may_answer_challenge(row.operator_id)?,
    }
    let Some(next) = state::next(row.state(), action) else {
        let possible: Vec<&str> = state::actions(row.state())
            .iter()
            .map(|a| a.as_str())
            .collect();
        return Err(ApiError::conflict(format!(
            "{} is not possible on a {} challenge; possible: {}",
            action.as_str(),
            row.state().as_str(),
            if possible.is_empty() {
                "nothing".to_string()
            } else {
                possible.join(", ")
            }
        )));
    };
    if input.version != row.version {
        return Err(ApiError::VersionConflict {
            expected: input.version,
            current: row.version,
            changes: Vec::new(),
        });
    }
    let mut problems = Problems::new();
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let note_max = if action == ChallengeAction::Dispute {
        4000
    } else {
        2000
    };
    if note.is_some_and(|n| n.chars().count() > note_max) {
        problems.add("note", format!("at most {note_max} characters"));
    }
    let needs_note = matches!(
        action,
        ChallengeAction::Reject
            | ChallengeAction::Dispute
            | ChallengeAction::Uphold
            | ChallengeAction::Dismiss
    );
    if needs_note && note.is_none() {
        problems.add(
            "note",
            if action == ChallengeAction::Dispute {
                "required: the evidence that the service is there (measurements, a contract, the site)"
            } else {
                "required: the reason"
            },
        );
    }
    let operator_id: Option<i64> = match (action, &input.operator) {
        (ChallengeAction::Forward, Some(code)) => {
            let id = sqlx::query_scalar(
                "select id from operator where code = upper($1) and sector = 'telecom'",
            )
            .bind(code.trim())
            .fetch_optional(&mut *tx)
            .await?;
            if id.is_none() {
                problems.add("operator", format!("{code} is not a telecom operator"));
            }
            id
        }
        (ChallengeAction::Forward, None) => {
            problems.add("operator", "required: the operator concerned");
            None
        }
        (_, Some(_)) => {
            problems.add("operator", "only a forward names the operator");
            None
        }
        _ => None,
    };
    let evidence = match evidence {
        Some(_) if action != ChallengeAction::Dispute => {
            problems.add("evidence", "only a dispute carries an evidence file");
            None
        }
        Some((name, bytes)) => match crate::permits::attachments::sniff(&bytes) {
            Some(kind) => Some((name, kind.media_type, bytes)),
            None => {
                problems.add(
                    "evidence",
                    "must be a PDF or an image (judged by its content)",
                );
                None
            }
        },
        None => None,
    };
    problems.into_result(())?;
    let actor = principal.actor().name;
    match action {
        ChallengeAction::Forward | ChallengeAction::Reject => {
            let due = if action == ChallengeAction::Forward {
                let calendar = Calendar::load(&mut tx).await?;
                Some(calendar.add_working_days(today(), RESPONSE_WORKING_DAYS))
            } else {
                None
            };
            sqlx::query(
                "update challenge set state = $2, operator_id = $3, triage_note = $4, triaged_by = $5,
                        triaged_at = now(), response_due_on = $6, version = version + 1, updated_at = now()
                 where id = $1",
            )
            .bind(id)
            .bind(next.as_str())
            .bind(operator_id)
            .bind(note)
            .bind(&actor)
            .bind(due)
            .execute(&mut *tx)
            .await?;
        }
        ChallengeAction::Accept | ChallengeAction::Dispute => {
            sqlx::query(
                "update challenge set state = $2, response_note = $3, responded_by = $4, responded_at = now(),
                        evidence_name = $5, evidence_type = $6, evidence_sha256 = $7,
                        version = version + 1, updated_at = now()
                 where id = $1",
            )
            .bind(id)
            .bind(next.as_str())
            .bind(note)
            .bind(&actor)
            .bind(evidence.as_ref().map(|(n, _, _)| n.chars().take(200).collect::<String>()))
            .bind(evidence.as_ref().map(|(_, t, _)| *t))
            .bind(evidence.as_ref().map(|(_, _, b)| sha256(b)))
            .execute(&mut *tx)
            .await?;
            if let Some((_, media_type, bytes)) = &evidence {
                sqlx::query(
                    "insert into challenge_file (challenge_id, role, media_type, content) values ($1, 'evidence', $2, $3)",
                )
                .bind(id)
                .bind(media_type)
                .bind(bytes)
                .execute(&mut *tx)
                .await?;
            }
        }
        ChallengeAction::Uphold | ChallengeAction::Dismiss => {
            sqlx::query(
                "update challenge set state = $2, decision_note = $3, decided_by = $4, decided_at = now(),
                        version = version + 1, updated_at = now()
                 where id = $1",
            )
            .bind(id)
            .bind(next.as_str())
            .bind(note)
            .bind(&actor)
            .execute(&mut *tx)
            .await?;
        }
    }
    tell(&mut tx, &row, action, next, operator_id).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let row = load(&mut conn, id, false).await?;
    Ok(axum::Json(view(&mut conn, row, &principal).await?))
}

/// Tells the other side what happened.
async fn tell(
    conn: &mut PgConnection,
    row: &Row,
    action: ChallengeAction,
    next: ChallengeState,
    forwarded_to: Option<i64>,
) -> sqlx::Result<()> {
    let what = match &row.technology {
        Some(t) => (format!("không có sóng {t}"), format!("no {t}")),
        None => ("không có cáp quang".to_string(), "no fibre".to_string()),
    };
    let place = row
        .address
        .clone()
        .or(row.ward_name.clone())
        .unwrap_or_default();
    let vi = format!(
        "Phản ánh #{} ({}, {place}): {}.",
        row.id,
        what.0,
        next.label_vi()
    );
    let en = format!(
        "Challenge #{} ({}, {place}): {}.",
        row.id,
        what.1,
        next.as_str()
    );
    let link = format!("/challenges/{}", row.id);
    let note = Message {
        kind: "challenge",
        vi: &vi,
        en: &en,
        link: &link,
        dedupe_key: Some(format!("challenge:{}:{}", row.id, next.as_str())),
    };
    match action.side() {
        Side::Operator => {
            if let Some(ward) = row.ward_id {
                notifications::scope_staff(conn, &[ward], &note).await?;
            }
        }
        Side::Staff => {
            if let Some(operator) = forwarded_to.or(row.operator_id) {
                notifications::operator_members(conn, operator, &note).await?;
                if action == ChallengeAction::Forward {
                    outbox::to_operator(
                        conn,
                        operator,
                        &Mail {
                            dedupe_key: format!("challenge:{}:forwarded", row.id),
                            kind: "challenge_forwarded",
                            subject: format!("[Hạ tầng] Phản ánh #{} về vùng phủ dịch vụ", row.id),
                            body: format!(
                                "Người dân phản ánh {} tại {place} (phản ánh #{}). Đề nghị doanh nghiệp thừa nhận hoặc phản đối kèm bằng chứng trong {RESPONSE_WORKING_DAYS} ngày làm việc: /challenges/{}\n\n---\n\nA resident reports {} at {place} (challenge #{}). Please accept it or dispute it with evidence within {RESPONSE_WORKING_DAYS} working days: /challenges/{}\n",
                                what.0, row.id, row.id, what.1, row.id, row.id
                            ),
                            data_call_id: None,
                            challenge_id: Some(row.id),
                        },
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn photos_are_judged_by_their_content() {
        assert_eq!(photo_type(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(photo_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(photo_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(photo_type(b"%PDF-1.4"), None);
        assert_eq!(photo_type(b"<svg onload=alert(1)>"), None);
    }

    #[test]
    fn json_of_an_action_is_strict() {
        assert!(
            serde_json::from_value::<ChallengeActionInput>(json!({"version": 1, "x": 2})).is_err()
        );
        let input: ChallengeActionInput =
            serde_json::from_value(json!({"version": 3, "note": "ok"})).unwrap();
        assert_eq!(input.version, 3);
    }
}
