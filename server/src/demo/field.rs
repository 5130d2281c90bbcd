//! Demo field work, so that the field screens of a fresh demo are not empty:
//! four reports at the stages of their workflow (new, assigned to the owner,
//! fixed with a photo, closed), an inspection round under way with a failed
//! check, the violation it opened (with its follow-up round planned), and a
//! passed check.
//!
//! Everything is filed through the field stores as the demo accounts (the
//! ward's reviewer, the owners' members; a resident's report through Open311),
//! so it carries deadlines, notifications and audit history like real work.
//! It goes into the demo ward as it is today: the current ward that holds the
//! most demo poles with cables (after the 2025 reorganisation, the merged
//! ward), and is loaded only when there is no field work yet.

use serde_json::Value;
use sqlx::PgPool;

use crate::accounts::principal::load_user;
use crate::http::error::ApiError;
use crate::incidents::state::IncidentAction;
use crate::incidents::store::{self as incidents, Channel, ReportInput, StepInput};
use crate::inspections::store::{self as inspections, FindingInput, RoundInput};
use crate::photos::{self, PhotoTaken, PhotoUpload};
use crate::policy::{Principal, Role};
use crate::vn_time::today;

/// The demo's public reports, all from one made-up address.
const DEMO: crate::incidents::guard::Origin<'static> = crate::incidents::guard::Origin {
    address: "demo",
    per_hour: crate::incidents::guard::MAX_PER_HOUR,
};

/// Illustrations (drawn, not photographs) for the demo's photos.
const SAGGING: &[u8] = include_bytes!("../../../data/demo/field/sag.jpg");
const LEANING: &[u8] = include_bytes!("../../../data/demo/field/leaning.jpg");
const FIXED: &[u8] = include_bytes!("../../../data/demo/field/fixed.jpg");
const UNLABELLED: &[u8] = include_bytes!("../../../data/demo/field/label.jpg");

/// What was loaded.
#[derive(Debug, Clone, Default)]
pub struct FieldSummary {
    pub ward: Option<String>,
    pub incidents: usize,
    pub rounds: usize,
    pub findings: usize,
    pub violations: usize,
}

impl std::fmt::Display for FieldSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.ward {
            None => write!(
                f,
                "no field work (no ward with demo poles, or field work exists already)"
            ),
            Some(ward) => write!(
                f,
                "{} reports, {} inspection round with {} findings, {} violation in {ward}",
                self.incidents, self.rounds, self.findings, self.violations
            ),
        }
    }
}

/// A pole of the demo ward with a cable on it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Pole {
    id: i64,
    code: String,
    version: i32,
    lon: f64,
    lat: f64,
    owner: String,
    owner_id: i64,
    /// The operator of a cable on the pole (another one when there is).
    cable_operator: String,
}

pub(super) async fn principal_of(
    pool: &PgPool,
    user: (i64, String, String, String, Option<i64>, Option<String>),
) -> Result<Principal, ApiError> {
    let (id, username, display_name, role, operator_id, operator_code) = user;
    Ok(Principal::User(
        load_user(
            pool,
            id,
            username,
            display_name,
            &role,
            operator_id,
            operator_code,
        )
        .await?,
    ))
}

/// Active users with `role` (and of `operator`, for members), oldest first.
pub(super) async fn users(
    pool: &PgPool,
    role: Role,
    operator: Option<i64>,
) -> Result<Vec<(i64, String, String, String, Option<i64>, Option<String>)>, ApiError> {
    Ok(sqlx::query_as(
        "select u.id, u.username, u.display_name, u.role, u.operator_id, o.code
         from app_user u left join operator o on o.id = u.operator_id
         where u.role = $1 and u.disabled_at is null and ($2::bigint is null or u.operator_id = $2)
         order by u.id",
    )
    .bind(role.as_str())
    .bind(operator)
    .fetch_all(pool)
    .await?)
}

fn photo(name: &str, bytes: &[u8], lon: f64, lat: f64) -> Result<Vec<PhotoUpload>, ApiError> {
    photos::check_photos(
        vec![(Some(name.to_string()), bytes.to_vec())],
        &[PhotoTaken {
            taken_at: Some(chrono::Utc::now()),
            lon: Some(lon),
            lat: Some(lat),
        }],
    )
}

/// A point `east` and `north` metres from the pole (near it, on the pavement).
fn beside(pole: &Pole, east: f64, north: f64) -> (f64, f64) {
    let per_degree = 111_320.0;
    (
        pole.lon + east / (per_degree * pole.lat.to_radians().cos()),
        pole.lat + north / per_degree,
    )
}

fn step(note: Option<&str>) -> StepInput {
    StepInput {
        note: note.map(str::to_string),
        ..StepInput::default()
    }
}

/// Loads the demo field work once the demo registry and accounts are there.
pub async fn load(pool: &PgPool) -> Result<FieldSummary, ApiError> {
    let started: bool = sqlx::query_scalar(
        "select exists (select 1 from incident) or exists (select 1 from inspection_round)",
    )
    .fetch_one(pool)
    .await?;
    if started {
        return Ok(FieldSummary::default());
    }
    // The current ward with the most poles that carry cables.
    let ward: Option<(i64, String)> = sqlx::query_as(
        "select w.id, w.name
         from (select ward_for(p.geom) as ward_id from asset p
               where p.kind = 'pole' and exists (select 1 from cable_support s where s.support_id = p.id)) x
         join admin_unit w on w.id = x.ward_id
         group by w.id, w.name order by count(*) desc, w.id limit 1",
    )
    .fetch_optional(pool)
    .await?;
    let Some((ward_id, ward_name)) = ward else {
        return Ok(FieldSummary::default());
    };
    let poles: Vec<Pole> = sqlx::query_as(
        "select p.id, p.code, p.version, ST_X(p.geom) as lon, ST_Y(p.geom) as lat, o.code as owner, o.id as owner_id,
                (select co.code from cable_support s join asset c on c.id = s.cable_id join operator co on co.id = c.owner_id
                 where s.support_id = p.id order by (c.owner_id = p.owner_id), c.id limit 1) as cable_operator
         from asset p join operator o on o.id = p.owner_id
         where p.kind = 'pole' and ward_for(p.geom) = $1
           and exists (select 1 from cable_support s where s.support_id = p.id)
           and exists (select 1 from app_user u where u.operator_id = p.owner_id and u.disabled_at is null)
         order by p.id limit 6",
    )
    .bind(ward_id)
    .fetch_all(pool)
    .await?;
    if poles.len() < 5 {
        return Ok(FieldSummary::default());
    }
    // The ward's reviewer (the admin when no reviewer covers the ward).
    let mut staff = None;
    for user in users(pool, Role::Reviewer, None).await? {
        let principal = principal_of(pool, user.clone()).await?;
        if principal
            .user()
            .is_some_and(|u| u.scope_wards.contains(&ward_id))
        {
            staff = Some((principal, user.1));
            break;
        }
    }
    let (staff, inspector) = match staff {
        Some((principal, username)) => (principal, Some(username)),
        None => match users(pool, Role::Admin, None).await?.into_iter().next() {
            Some(admin) => (principal_of(pool, admin).await?, None),
            None => return Ok(FieldSummary::default()),
        },
    };
    let member = |operator_id: i64| async move {
        let user = users(pool, Role::OperatorMember, Some(operator_id))
            .await?
            .into_iter()
            .next();
        match user {
            Some(user) => principal_of(pool, user).await,
            None => Err(ApiError::Internal(format!(
                "no member of operator {operator_id}"
            ))),
        }
    };
    let mut summary = FieldSummary {
        ward: Some(ward_name),
        ..FieldSummary::default()
    };

    // 1. New: a resident's report through an Open311 app, waiting for the ward.
    let (lon, lat) = beside(&poles[0], 6.0, 3.0);
    incidents::create(
        pool,
        &Principal::Public,
        DEMO,
        Channel::Open311,
        ReportInput {
            incident_type: "cable_low".into(),
            description:
                "Cáp viễn thông võng thấp ngang đầu người trên vỉa hè, xe tải đi qua dễ vướng."
                    .into(),
            lon,
            lat,
            location_source: Some("gps".into()),
            accuracy_m: Some(8.0),
            contact_name: Some("Nguyễn Thị Hoa".into()),
            contact_phone: Some("0912 345 678".into()),
            photos: vec![PhotoTaken {
                taken_at: None,
                lon: Some(lon),
                lat: Some(lat),
            }],
            ..ReportInput::default()
        },
        photo("cap-vong.jpg", SAGGING, lon, lat)?,
        None,
        Some("demo".into()),
    )
    .await?;
    summary.incidents += 1;

    // 2. Assigned: a leaning pole the ward took by phone, triaged and assigned to its owner.
    let pole = &poles[1];
    let (lon, lat) = beside(pole, 0.0, 0.0);
    let leaning = incidents::create(
        pool,
        &staff,
        DEMO,
        Channel::Staff,
        ReportInput {
            incident_type: "pole_fallen".into(),
            description: "Cột nghiêng khoảng 15 độ về phía lòng đường sau mưa lớn; người dân báo qua điện thoại.".into(),
            lon,
            lat,
            location_source: Some("asset".into()),
            asset_id: Some(pole.id),
            photos: vec![PhotoTaken { taken_at: None, lon: Some(lon), lat: Some(lat) }],
            ..ReportInput::default()
        },
        photo("cot-nghieng.jpg", LEANING, lon, lat)?,
        None,
        None,
    )
    .await?;
    incidents::act(
        pool,
        &staff,
        leaning.id,
        IncidentAction::Triage,
        None,
        step(None),
        vec![],
    )
    .await?;
    let assign = StepInput {
        operator: Some(pole.owner.clone()),
        ..StepInput::default()
    };
    incidents::act(
        pool,
        &staff,
        leaning.id,
        IncidentAction::Assign,
        None,
        assign,
        vec![],
    )
    .await?;
    summary.incidents += 1;

    // 3. Fixed: tangled cables the owner tidied, waiting for the ward to close.
    // 4. Closed: the same story to its end.
    for (pole, kind, description, close) in [
        (
            &poles[2],
            "cable_tangled",
            "Cáp rối, cuộn cáp thừa treo lủng lẳng trên cột trước cổng trường.",
            false,
        ),
        (
            &poles[3],
            "cable_low",
            "Cáp vượt ngõ võng thấp, xe chở hàng chạm phải.",
            true,
        ),
    ] {
        let (lon, lat) = beside(pole, -4.0, 2.0);
        let report = incidents::create(
            pool,
            &staff,
            DEMO,
            Channel::Staff,
            ReportInput {
                incident_type: kind.into(),
                description: description.into(),
                lon,
                lat,
                location_source: Some("map".into()),
                asset_id: Some(pole.id),
                ..ReportInput::default()
            },
            vec![],
            None,
            None,
        )
        .await?;
        let owner = member(pole.owner_id).await?;
        incidents::act(
            pool,
            &staff,
            report.id,
            IncidentAction::Triage,
            None,
            step(None),
            vec![],
        )
        .await?;
        let assign = StepInput {
            operator: Some(pole.owner.clone()),
            ..StepInput::default()
        };
        incidents::act(
            pool,
            &staff,
            report.id,
            IncidentAction::Assign,
            None,
            assign,
            vec![],
        )
        .await?;
        incidents::act(
            pool,
            &owner,
            report.id,
            IncidentAction::Acknowledge,
            None,
            step(None),
            vec![],
        )
        .await?;
        let fix = StepInput {
            note: Some("Đã thu gọn cáp thừa, căng lại cáp và gắn thẻ tên.".into()),
            photos: vec![PhotoTaken {
                taken_at: None,
                lon: Some(lon),
                lat: Some(lat),
            }],
            ..StepInput::default()
        };
        incidents::act(
            pool,
            &owner,
            report.id,
            IncidentAction::Fix,
            None,
            fix,
            photo("da-xu-ly.jpg", FIXED, lon, lat)?,
        )
        .await?;
        if close {
            incidents::act(
                pool,
                &staff,
                report.id,
                IncidentAction::Close,
                None,
                step(None),
                vec![],
            )
            .await?;
        }
        summary.incidents += 1;
    }

    // An inspection round under way around the fifth pole: one failed check
    // (a cable without its owner's label), which opens a violation for the
    // cable's operator, and one passed check.
    let pole = &poles[4];
    let area: String = sqlx::query_scalar(
        "select ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 120)::geometry, 7)",
    )
    .bind(pole.lon)
    .bind(pole.lat)
    .fetch_one(pool)
    .await?;
    let geometry: Value = serde_json::from_str(&area)
        .map_err(|e| ApiError::Internal(format!("the round's area: {e}")))?;
    let round = inspections::create(
        pool,
        &staff,
        RoundInput {
            title: format!(
                "Kiểm tra định kỳ cáp treo quanh cột {} (dữ liệu minh hoạ)",
                pole.code
            ),
            category: "routine".into(),
            geometry,
            corridor_m: None,
            planned_on: today(),
            inspector,
            sample_percent: None,
            note: Some(
                "Kiểm tra thẻ tên cáp, độ cao cáp và độ gọn gàng tại các cột trong khu vực.".into(),
            ),
        },
    )
    .await?;
    inspections::act(pool, &staff, round.id, "start").await?;
    summary.rounds += 1;
    let rules: Vec<String> = sqlx::query_scalar(
        "select rule_key from inspection_rule
         where 'pole' = any(asset_kinds) and valid_from <= current_date and (valid_to is null or valid_to >= current_date)
         order by sort",
    )
    .fetch_all(pool)
    .await?;
    let checked = [(pole, true), (&poles[5], false)];
    for (pole, unlabelled) in checked {
        let answers = rules
            .iter()
            .map(|rule| {
                let result = if unlabelled && rule == "cable.owner_label" {
                    "fail"
                } else {
                    "pass"
                };
                (rule.clone(), result.to_string())
            })
            .collect();
        let (photos, note, responsible) = if unlabelled {
            let (lon, lat) = beside(pole, 0.0, 0.0);
            (
                photo("khong-the.jpg", UNLABELLED, lon, lat)?,
                "Một sợi cáp tại cột không có thẻ ghi tên chủ sở hữu.",
                Some(pole.cable_operator.clone()),
            )
        } else {
            (vec![], "Đạt: cáp có thẻ tên, đủ độ cao, gọn gàng.", None)
        };
        let taken = photos.iter().map(|p| p.taken.clone()).collect();
        let recorded = inspections::record_finding(
            pool,
            &staff,
            round.id,
            FindingInput {
                asset_id: Some(pole.id),
                asset_version: Some(pole.version),
                answers,
                note: Some(note.into()),
                responsible_operator: responsible,
                photos: taken,
                ..FindingInput::default()
            },
            photos,
            None,
        )
        .await?;
        summary.findings += 1;
        summary.violations += recorded.opened.len();
    }
    Ok(summary)
}
