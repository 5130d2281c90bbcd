//! Yearly reports in PostgreSQL: the report row (the official's text and
//! state), its parts, and its frozen versions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, postgres::PgRow};
use utoipa::ToSchema;

use super::model::ReportFacts;
use crate::http::error::{ApiError, ApiResult};

/// A report as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ReportRow {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub plan_id: i64,
    pub number: Option<String>,
    pub difficulties: String,
    pub proposals: String,
    /// `draft` or `finalised`.
    pub state: String,
    pub finalised_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

const COLUMNS: &str = "id, unit_id, year, plan_id, number, difficulties, proposals, state, finalised_version, created_at, updated_at, version";

/// A frozen version.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct VersionRow {
    pub version: i32,
    pub dated: NaiveDate,
    pub finalised_at: DateTime<Utc>,
    pub finalised_by: String,
    pub sha256: String,
}

pub async fn get(conn: &mut PgConnection, id: i64) -> ApiResult<ReportRow> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from yearly_report where id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("no yearly report {id}")))
}

/// The report of `unit` for `year` on `plan`, if there is one.
pub async fn find(
    conn: &mut PgConnection,
    unit: i64,
    year: i32,
    plan: i64,
) -> sqlx::Result<Option<ReportRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from yearly_report where unit_id = $1 and year = $2 and plan_id = $3"
    ))
    .bind(unit)
    .bind(year)
    .bind(plan)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    unit: i64,
    year: i32,
    plan: i64,
) -> sqlx::Result<ReportRow> {
    sqlx::query_as(&format!(
        "insert into yearly_report (unit_id, year, plan_id) values ($1, $2, $3) returning {COLUMNS}"
    ))
    .bind(unit)
    .bind(year)
    .bind(plan)
    .fetch_one(&mut *conn)
    .await
}

/// Reports of `year` of the units in `units` (the unit and those under it).
pub async fn list(
    conn: &mut PgConnection,
    units: &[i64],
    year: Option<i32>,
) -> sqlx::Result<Vec<ReportRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from yearly_report where unit_id = any($1) and ($2::int is null or year = $2) order by year desc, unit_id, id"
    ))
    .bind(units)
    .bind(year)
    .fetch_all(&mut *conn)
    .await
}

/// Changes the official's text; a finalised report becomes a draft of its next version.
pub async fn update_text(
    conn: &mut PgConnection,
    id: i64,
    expected_version: Option<i32>,
    number: Option<Option<String>>,
    difficulties: Option<String>,
    proposals: Option<String>,
) -> ApiResult<ReportRow> {
    let current = get(conn, id).await?;
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(ApiError::VersionConflict {
            expected,
            current: current.version,
            changes: Vec::new(),
        });
    }
    sqlx::query_as(&format!(
        "update yearly_report set number = $2, difficulties = $3, proposals = $4, state = 'draft',
                updated_at = now(), version = version + 1
         where id = $1 returning {COLUMNS}"
    ))
    .bind(id)
    .bind(number.unwrap_or(current.number))
    .bind(difficulties.unwrap_or(current.difficulties))
    .bind(proposals.unwrap_or(current.proposals))
    .fetch_one(&mut *conn)
    .await
    .map_err(ApiError::from)
}

/// Freezes `facts` as the report's next version.
pub async fn finalise(
    conn: &mut PgConnection,
    report: &ReportRow,
    facts: &ReportFacts,
    by: &str,
) -> ApiResult<VersionRow> {
    let next: i32 = sqlx::query_scalar(
        "select coalesce(max(version), 0) + 1 from yearly_report_version where report_id = $1",
    )
    .bind(report.id)
    .fetch_one(&mut *conn)
    .await?;
    let mut frozen = facts.clone();
    frozen.version = Some(next);
    let value = serde_json::to_value(&frozen).map_err(|e| ApiError::Internal(e.to_string()))?;
    // The hash of the facts as stored (jsonb's own text form, which anyone can
    // recompute with `encode(sha256(convert_to(facts::text, 'UTF8')), 'hex')`).
    let version: VersionRow = sqlx::query_as(
        "insert into yearly_report_version (report_id, version, dated, finalised_by, facts, sha256)
         values ($1, $2, $3, $4, $5, encode(sha256(convert_to($5::jsonb::text, 'UTF8')), 'hex'))
         returning version, dated, finalised_at, finalised_by, sha256",
    )
    .bind(report.id)
    .bind(next)
    .bind(frozen.dated)
    .bind(by)
    .bind(&value)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("update yearly_report set state = 'finalised', finalised_version = $2, updated_at = now(), version = version + 1 where id = $1")
        .bind(report.id)
        .bind(next)
        .execute(&mut *conn)
        .await?;
    Ok(version)
}

pub async fn versions(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<VersionRow>> {
    sqlx::query_as(
        "select version, dated, finalised_at, finalised_by, sha256 from yearly_report_version where report_id = $1 order by version",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
}

/// The frozen facts of `version`.
pub async fn frozen(conn: &mut PgConnection, id: i64, version: i32) -> ApiResult<ReportFacts> {
    let row: Option<sqlx::types::Json<ReportFacts>> = sqlx::query_scalar(
        "select facts from yearly_report_version where report_id = $1 and version = $2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| r.0)
        .ok_or_else(|| ApiError::not_found(format!("report {id} has no version {version}")))
}

/// A part of a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ReportPart)]
pub struct Part {
    pub id: i64,
    pub contributor: String,
    pub operator: Option<String>,
    pub body: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

fn part_of(row: PgRow) -> sqlx::Result<Part> {
    use sqlx::Row;
    Ok(Part {
        id: row.try_get("id")?,
        contributor: row.try_get("contributor")?,
        operator: row.try_get("operator")?,
        body: row.try_get("body")?,
        submitted_at: row.try_get("submitted_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn parts(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<Part>> {
    sqlx::query(
        "select p.id, p.contributor, o.code as operator, p.body, p.submitted_at, p.updated_at
         from yearly_report_part p left join operator o on o.id = p.operator_id
         where p.report_id = $1 order by p.operator_id nulls first, p.contributor",
    )
    .bind(id)
    .try_map(part_of)
    .fetch_all(&mut *conn)
    .await
}

/// Writes (or rewrites) a part; `submit` marks it sent.
pub async fn save_part(
    conn: &mut PgConnection,
    report: i64,
    operator_id: Option<i64>,
    contributor: &str,
    body: &str,
    submit: bool,
) -> sqlx::Result<Part> {
    sqlx::query(
        "with saved as (
             insert into yearly_report_part (report_id, operator_id, contributor, body, submitted_at)
             values ($1, $2, $3, $4, case when $5 then now() end)
             on conflict (report_id, contributor) do update
                 set body = excluded.body, updated_at = now(),
                     submitted_at = case when $5 then now() else yearly_report_part.submitted_at end
             returning *)
         select s.id, s.contributor, o.code as operator, s.body, s.submitted_at, s.updated_at
         from saved s left join operator o on o.id = s.operator_id",
    )
    .bind(report)
    .bind(operator_id)
    .bind(contributor)
    .bind(body)
    .bind(submit)
    .try_map(part_of)
    .fetch_one(&mut *conn)
    .await
}
