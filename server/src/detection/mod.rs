//! Detection lists (phát hiện vi phạm): what the registry itself shows to be
//! probably against the rules, for the ward's staff to look into, each row
//! with one click to open a violation.
//!
//! - **unpermitted**: assets of a kind (and, for towers, a class) that needs
//!   a construction permit (rule `permit.required`: Construction Law 2014
//!   Art. 89; non-bulky A1 masts are exempt by Circular 15/2016 Art. 5(2)),
//!   registered on or after the rule's date, built or being built, with no
//!   permit linked (no application registered them as built). The registry
//!   keeps no construction date, so the date of registration stands for it;
//! - **as-built**: permits whose works are reported completed with no as-built
//!   asset, or with one farther from the permitted site than the rule
//!   `violation.as_built_distance` allows (50 m);
//! - **unlabelled**: cables found without their owner's label at inspections
//!   (QCVN 33:2019/BTTTT §2.7.2), with the operators whose cables the pole carries.
//!
//! A row stays in the list with its violation's reference once one is open.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::changes;
use crate::database::routing::ReadDb;
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem};
use crate::policy::{Principal, Role};
use crate::state::AppState;
use crate::violations::store::{self as violations, NewViolation};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(unpermitted))
        .routes(routes!(as_built))
        .routes(routes!(unlabelled))
        .routes(routes!(open_violation))
}

/// The wards the caller's lists cover: `None` for all (admins).
fn scope(principal: &Principal) -> ApiResult<Option<Vec<i64>>> {
    principal.may_see_field_statistics()?;
    Ok(match principal {
        Principal::User(user) if user.role == Role::Admin => None,
        Principal::User(user) => Some(user.scope_wards.clone()),
        _ => Some(vec![]),
    })
}

/// An asset with no permit where one is needed.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Unpermitted {
    pub asset_id: i64,
    pub kind: String,
    pub code: String,
    pub name: Option<String>,
    pub tower_class: Option<String>,
    pub operator: String,
    pub ward_name: Option<String>,
    pub status: String,
    pub registered_on: NaiveDate,
    pub lon: f64,
    pub lat: f64,
    /// The rule's citation.
    pub legal_basis: String,
    /// The violation opened for it, if any.
    pub violation: Option<String>,
    pub violation_id: Option<i64>,
}

const UNPERMITTED: &str = "with rule as (
         select value, valid_from, citation from rule_setting
         where rule_key = 'permit.required' and province_code is null and valid_from <= current_date
           and (valid_to is null or valid_to >= current_date)
         order by valid_from desc limit 1)
     select a.id as asset_id, a.kind, a.code, a.name, t.tower_class, o.code as operator, w.name as ward_name, a.status,
            a.created_at::date as registered_on, ST_X(ST_PointOnSurface(a.geom)) as lon, ST_Y(ST_PointOnSurface(a.geom)) as lat,
            rule.citation as legal_basis, v.reference as violation, v.id as violation_id
     from asset a
     cross join rule
     join operator o on o.id = a.owner_id
     left join tower t on t.asset_id = a.id
     left join admin_unit w on w.id = a.ward_id
     left join violation v on v.detection_key = 'unpermitted:' || a.id and v.state <> 'cancelled'
     where a.kind in (select jsonb_array_elements_text(rule.value -> 'kinds'))
       and (a.kind <> 'tower' or t.tower_class in (select jsonb_array_elements_text(coalesce(rule.value -> 'tower_classes', '[]'))))
       and a.status in ('under_construction', 'operational', 'inactive')
       and a.created_at::date >= rule.valid_from
       and not exists (select 1 from permit_asset pa where pa.asset_id = a.id)
       and ($1::bigint[] is null or a.ward_id = any($1))
       and ($2::bigint is null or a.id = $2)
     order by a.created_at desc, a.id desc
     limit 1000";

async fn unpermitted_rows(
    conn: &mut PgConnection,
    wards: Option<Vec<i64>>,
    one: Option<i64>,
) -> sqlx::Result<Vec<Unpermitted>> {
    sqlx::query_as(UNPERMITTED)
        .bind(wards)
        .bind(one)
        .fetch_all(conn)
        .await
}

/// Assets that need a permit and have none linked.
#[utoipa::path(get, path = "/detection/unpermitted", tag = "In the field",
    responses((status = 200, description = "Rows", body = Vec<Unpermitted>), (status = 403, description = "For staff", body = ErrorBody)))]
pub async fn unpermitted(
    db: ReadDb,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<Unpermitted>>> {
    let wards = scope(&principal)?;
    let mut conn = db.pool.acquire().await?;
    Ok(axum::Json(unpermitted_rows(&mut conn, wards, None).await?))
}

/// A completed permit whose as-built assets are missing or elsewhere.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct AsBuilt {
    pub permit_id: i64,
    pub reference: String,
    pub permit_number: Option<String>,
    pub title: String,
    pub operator: String,
    pub ward_name: Option<String>,
    pub works_completed_on: Option<NaiveDate>,
    /// `no_as_built` or `far_from_site`.
    pub problem: String,
    /// The farthest as-built asset from the permitted site, metres.
    pub distance_m: Option<f64>,
    pub limit_m: f64,
    pub lon: f64,
    pub lat: f64,
    pub violation: Option<String>,
    pub violation_id: Option<i64>,
}

const AS_BUILT: &str = "with rule as (
         select coalesce((select (value ->> 'metres')::float8 from rule_setting
                          where rule_key = 'violation.as_built_distance' and valid_from <= current_date
                            and (valid_to is null or valid_to >= current_date)
                          order by valid_from desc limit 1), 50) as metres),
     built as (
         select p.id, count(pa.asset_id) as assets,
                max(ST_Distance(a.geom::geography, p.geom::geography)) as distance_m
         from permit_application p
         left join permit_asset pa on pa.application_id = p.id
         left join asset a on a.id = pa.asset_id
         where p.state = 'works_completed'
         group by p.id)
     select p.id as permit_id, p.reference, p.permit_number, p.title, o.code as operator, w.name as ward_name, p.works_completed_on,
            case when b.assets = 0 then 'no_as_built' else 'far_from_site' end as problem,
            round(b.distance_m::numeric, 1)::float8 as distance_m, rule.metres as limit_m,
            ST_X(ST_PointOnSurface(p.geom)) as lon, ST_Y(ST_PointOnSurface(p.geom)) as lat,
            v.reference as violation, v.id as violation_id
     from built b
     cross join rule
     join permit_application p on p.id = b.id
     join operator o on o.id = p.operator_id
     left join admin_unit w on w.id = p.ward_id
     left join violation v on v.detection_key = 'as-built:' || p.id and v.state <> 'cancelled'
     where (b.assets = 0 or b.distance_m > rule.metres)
       and ($1::bigint[] is null or p.ward_id = any($1))
       and ($2::bigint is null or p.id = $2)
     order by p.works_completed_on desc nulls last, p.id desc
     limit 1000";

async fn as_built_rows(
    conn: &mut PgConnection,
    wards: Option<Vec<i64>>,
    one: Option<i64>,
) -> sqlx::Result<Vec<AsBuilt>> {
    sqlx::query_as(AS_BUILT)
        .bind(wards)
        .bind(one)
        .fetch_all(conn)
        .await
}

/// Completed permits with no as-built asset, or one far from the permitted site.
#[utoipa::path(get, path = "/detection/as-built", tag = "In the field",
    responses((status = 200, description = "Rows", body = Vec<AsBuilt>), (status = 403, description = "For staff", body = ErrorBody)))]
pub async fn as_built(db: ReadDb, principal: Principal) -> ApiResult<axum::Json<Vec<AsBuilt>>> {
    let wards = scope(&principal)?;
    let mut conn = db.pool.acquire().await?;
    Ok(axum::Json(as_built_rows(&mut conn, wards, None).await?))
}

/// A cable found without its owner's label.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Unlabelled {
    pub finding_id: i64,
    pub round: String,
    pub asset_id: Option<i64>,
    pub asset_kind: Option<String>,
    pub asset_code: Option<String>,
    /// The operator the inspector named, if any.
    pub responsible_operator: Option<String>,
    /// Operators whose cables the pole carries.
    pub cable_operators: Vec<String>,
    pub ward_name: Option<String>,
    pub observed_at: DateTime<Utc>,
    pub note: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub legal_basis: String,
    pub violation: Option<String>,
    pub violation_id: Option<i64>,
}

const UNLABELLED: &str = "select f.id as finding_id, r.reference as round, f.asset_id, a.kind as asset_kind, a.code as asset_code,
            ro.code as responsible_operator,
            coalesce((select array_agg(distinct co.code order by co.code) from cable_support s join asset c on c.id = s.cable_id
                      join operator co on co.id = c.owner_id where s.support_id = f.asset_id), '{}') as cable_operators,
            w.name as ward_name, f.observed_at, f.note, ST_X(f.geom) as lon, ST_Y(f.geom) as lat,
            rule.citation as legal_basis, v.reference as violation, v.id as violation_id
     from inspection_answer x
     join inspection_rule rule on rule.rule_key = x.rule_key
     join inspection_finding f on f.id = x.finding_id
     join inspection_round r on r.id = f.round_id
     left join asset a on a.id = f.asset_id
     left join operator ro on ro.id = f.responsible_operator_id
     left join admin_unit w on w.id = r.ward_id
     left join violation v on v.finding_id = f.id and v.rule_key = x.rule_key and v.state <> 'cancelled'
     where x.rule_key = 'cable.owner_label' and x.result = 'fail'
       and ($1::bigint[] is null or r.ward_id = any($1))
       and ($2::bigint is null or f.id = $2)
     order by f.observed_at desc, f.id desc
     limit 1000";

async fn unlabelled_rows(
    conn: &mut PgConnection,
    wards: Option<Vec<i64>>,
    one: Option<i64>,
) -> sqlx::Result<Vec<Unlabelled>> {
    sqlx::query_as(UNLABELLED)
        .bind(wards)
        .bind(one)
        .fetch_all(conn)
        .await
}

/// Cables found unlabelled at inspections.
#[utoipa::path(get, path = "/detection/unlabelled", tag = "In the field",
    responses((status = 200, description = "Rows", body = Vec<Unlabelled>), (status = 403, description = "For staff", body = ErrorBody)))]
pub async fn unlabelled(
    db: ReadDb,
    principal: Principal,
) -> ApiResult<axum::Json<Vec<Unlabelled>>> {
    let wards = scope(&principal)?;
    let mut conn = db.pool.acquire().await?;
    Ok(axum::Json(unlabelled_rows(&mut conn, wards, None).await?))
}

/// Options of the one click.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenViolation {
    /// The operator responsible, when the row does not say (an unlabelled cable).
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// Open a violation for a row of a list: `unpermitted/{asset_id}`,
/// `as-built/{permit_id}`, `unlabelled/{finding_id}`.
#[utoipa::path(post, path = "/detection/{list}/{id}/violation", tag = "In the field",
    params(("list" = String, Path, description = "unpermitted, as-built, unlabelled"), ("id" = i64, Path, description = "The row's asset, permit or finding")),
    request_body = OpenViolation,
    responses((status = 201, description = "The violation opened", body = crate::violations::store::Violation),
               (status = 404, description = "Not (or no longer) in the list", body = ErrorBody), (status = 409, description = "Already open", body = ErrorBody), (status = 422, description = "Whose is it?", body = ErrorBody)))]
pub async fn open_violation(
    State(state): State<AppState>,
    principal: Principal,
    Path((list, id)): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let input: OpenViolation = if body.is_empty() {
        OpenViolation::default()
    } else {
        crate::http::json::parse_json(&body)?
    };
    let wards = scope(&principal)?;
    let mut tx = changes::begin(&state.pool, &principal).await?;
    let gone = || ApiError::not_found(format!("{list} row {id} is not in the list (or no longer)"));
    let description = input.description.clone().unwrap_or_default();
    let new = match list.as_str() {
        "unpermitted" => {
            let row = unpermitted_rows(&mut tx, wards, Some(id))
                .await?
                .pop()
                .ok_or_else(gone)?;
            let (owner, geom): (i64, String) =
                sqlx::query_as("select owner_id, ST_AsEWKT(geom) from asset where id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            NewViolation {
                source: "detection",
                finding_id: None,
                incident_id: None,
                detection_key: Some(format!("unpermitted:{id}")),
                rule_key: Some("permit.required".into()),
                asset_id: Some(id),
                permit_id: None,
                operator_id: owner,
                geom_ewkt: geom,
                title: format!(
                    "Công trình không có giấy phép xây dựng: {} {}",
                    row.kind, row.code
                ),
                legal_basis: row.legal_basis,
                description,
                fix_days: 20,
            }
        }
        "as-built" => {
            let row = as_built_rows(&mut tx, wards, Some(id))
                .await?
                .pop()
                .ok_or_else(gone)?;
            let (operator, geom): (i64, String) = sqlx::query_as(
                "select operator_id, ST_AsEWKT(geom) from permit_application where id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let what = if row.problem == "no_as_built" {
                "chưa báo cáo tài sản hoàn công".to_string()
            } else {
                format!(
                    "tài sản hoàn công cách vị trí được cấp phép {:.0} m",
                    row.distance_m.unwrap_or_default()
                )
            };
            NewViolation {
                source: "detection",
                finding_id: None,
                incident_id: None,
                detection_key: Some(format!("as-built:{id}")),
                rule_key: Some("permit.conditions_met".into()),
                asset_id: None,
                permit_id: Some(id),
                operator_id: operator,
                geom_ewkt: geom,
                title: format!("Hồ sơ {}: {what}", row.reference),
                legal_basis: format!(
                    "Giấy phép xây dựng {} (Luật Xây dựng 50/2014/QH13, Điều 89, Điều 111): thi công đúng vị trí và nội dung được cấp phép",
                    row.permit_number.unwrap_or(row.reference)
                ),
                description,
                fix_days: 10,
            }
        }
        "unlabelled" => {
            let row = unlabelled_rows(&mut tx, wards, Some(id))
                .await?
                .pop()
                .ok_or_else(gone)?;
            let code = input
                .operator
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .or(row.responsible_operator.clone())
                .or_else(|| {
                    (row.cable_operators.len() == 1).then(|| row.cable_operators[0].clone())
                });
            let Some(code) = code else {
                return Err(ApiError::invalid(
                    "operator",
                    Problem::new(
                        Code::Required,
                        format!(
                            "required: whose cable is it? ({})",
                            row.cable_operators.join(", ")
                        ),
                    )
                    .with("allowed", row.cable_operators.clone()),
                ));
            };
            let operator: Option<i64> =
                sqlx::query_scalar("select id from operator where code = $1")
                    .bind(&code)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(operator) = operator else {
                return Err(ApiError::invalid(
                    "operator",
                    Problem::not_found("operator", code),
                ));
            };
            let geom: String =
                sqlx::query_scalar("select ST_AsEWKT(geom) from inspection_finding where id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            NewViolation {
                source: "detection",
                finding_id: Some(id),
                incident_id: None,
                detection_key: Some(format!("unlabelled:{id}")),
                rule_key: Some("cable.owner_label".into()),
                asset_id: row.asset_id,
                permit_id: None,
                operator_id: operator,
                geom_ewkt: geom,
                title: format!(
                    "Cáp không có thẻ chủ sở hữu tại {}",
                    row.asset_code.unwrap_or_else(|| "vị trí kiểm tra".into())
                ),
                legal_basis: row.legal_basis,
                description,
                fix_days: 10,
            }
        }
        other => {
            return Err(ApiError::not_found(format!(
                "no detection list {other:?}; one of unpermitted, as-built, unlabelled"
            )));
        }
    };
    let ward: Option<i64> =
        sqlx::query_scalar("select ward_for(ST_PointOnSurface(ST_GeomFromEWKT($1)))")
            .bind(&new.geom_ewkt)
            .fetch_one(&mut *tx)
            .await?;
    principal.may_handle_field_work(ward)?;
    let violation = violations::open(&mut tx, &principal, new).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(violation)).into_response())
}
