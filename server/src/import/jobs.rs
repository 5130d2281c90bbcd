//! Import jobs in the database: the uploaded file, its preview and mapping,
//! the progress of a run and its outcome; and the mapping an operator last
//! used for each kind.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;
use sqlx::types::Json;
use utoipa::ToSchema;

use super::mapping::{Mapping, RowProblem};
use super::pipeline::Outcome;
use super::values::ValueMapping;
use crate::assets::AssetKind;
use crate::audit::Actor;
use crate::coordinates::Crs;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ImportStatus)]
pub enum Status {
    Uploaded,
    Validating,
    Validated,
    Invalid,
    Committing,
    Committed,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uploaded => "uploaded",
            Self::Validating => "validating",
            Self::Validated => "validated",
            Self::Invalid => "invalid",
            Self::Committing => "committing",
            Self::Committed => "committed",
            Self::Failed => "failed",
        }
    }
}

/// A job as stored (without the file).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub operator_id: i64,
    pub operator: String,
    pub file_name: String,
    pub format: String,
    pub size_bytes: i64,
    pub source: String,
    pub layer: Option<String>,
    pub crs_srid: Option<i32>,
    pub crs_province: Option<String>,
    pub mapping: Json<Mapping>,
    pub value_mapping: Json<ValueMapping>,
    pub preview: Option<Json<Value>>,
    pub status: String,
    pub phase: Option<String>,
    pub total_rows: Option<i64>,
    pub processed_rows: i64,
    pub problem_count: i64,
    pub problems: Json<Vec<RowProblem>>,
    pub notes: Json<Vec<String>>,
    pub warnings: Json<Vec<RowProblem>>,
    pub created_count: Option<i64>,
    pub updated_count: Option<i64>,
    pub unchanged_count: Option<i64>,
    pub extent: Option<Vec<f64>>,
    pub message: Option<String>,
    pub actor: String,
    pub actor_user_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "select j.id, j.kind, j.operator_id, o.code as operator, j.file_name, j.format, j.size_bytes,
        j.source, j.layer, j.crs_srid, j.crs_province, j.mapping, j.value_mapping, j.preview, j.status, j.phase, j.total_rows,
        j.processed_rows, j.problem_count, j.problems, j.notes, j.warnings, j.created_count, j.updated_count,
        j.unchanged_count, j.extent, j.message, j.actor, j.actor_user_id, j.actor_token_id, j.created_at, j.updated_at, j.finished_at
     from import_job j join operator o on o.id = j.operator_id";

impl Job {
    pub fn kind(&self) -> AssetKind {
        AssetKind::parse(&self.kind).expect("the schema allows only known kinds")
    }

    /// The CRS chosen for the job.
    pub fn crs(&self) -> Crs {
        match (&self.crs_province, self.crs_srid) {
            (Some(province), _) => Crs::tm3_of(province)
                .unwrap_or_else(|_| Crs::from_srid(self.crs_srid.unwrap_or(4326))),
            (None, Some(srid)) => Crs::from_srid(srid),
            (None, None) => Crs::from_srid(4326),
        }
    }

    pub fn status(&self) -> &str {
        &self.status
    }

    /// The job as the API shows it.
    pub fn view(&self) -> JobView {
        let crs = self.crs();
        let base = format!("/api/v1/imports/{}", self.id);
        let link = |rel: &'static str, href: String, method: Option<&'static str>| JobLink {
            rel,
            href,
            method,
        };
        JobView {
            id: self.id,
            kind: self.kind().collection(),
            operator: self.operator.clone(),
            file_name: self.file_name.clone(),
            format: self.format.clone(),
            size_bytes: self.size_bytes,
            source: self.source.clone(),
            status: self.status.clone(),
            phase: self.phase.clone(),
            layer: self.layer.clone(),
            crs: JobCrs {
                srid: crs.srid,
                label: crs.label,
            },
            mapping: self.mapping.0.clone(),
            value_mapping: self.value_mapping.0.clone(),
            preview: self.preview.as_ref().map(|p| p.0.clone()),
            progress: JobProgress {
                total_rows: self.total_rows,
                processed_rows: self.processed_rows,
            },
            problem_count: self.problem_count,
            problems: self.problems.0.clone(),
            notes: self.notes.0.clone(),
            warnings: self.warnings.0.clone(),
            result: JobResult {
                created: self.created_count,
                updated: self.updated_count,
                unchanged: self.unchanged_count,
            },
            extent: self.extent.clone(),
            message: self.message.clone(),
            actor: self.actor.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            finished_at: self.finished_at,
            links: vec![
                link("self", base.clone(), None),
                link("mapping", format!("{base}/mapping"), Some("PUT")),
                link("validate", format!("{base}/validate"), Some("POST")),
                link("commit", format!("{base}/commit"), Some("POST")),
            ],
        }
    }
}

/// An import job as the API shows it: what was uploaded, where the job is,
/// the preview and the choices made on it, the problems found and the outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportJob)]
pub struct JobView {
    pub id: i64,
    /// The kind's collection: `towers`, `poles`, …
    #[schema(value_type = crate::assets::kind::CollectionName)]
    pub kind: &'static str,
    /// The code of the operator whose assets the file holds.
    pub operator: String,
    pub file_name: String,
    /// The file's format, as detected from its name and content.
    pub format: String,
    pub size_bytes: i64,
    /// Where the file came from: `upload` (the API) or `cli`.
    pub source: String,
    #[schema(value_type = Status)]
    pub status: String,
    /// What a running job is doing now (`reading`, then the next steps).
    pub phase: Option<String>,
    /// The layer read, for files with several.
    pub layer: Option<String>,
    /// The CRS the coordinates are read in.
    pub crs: JobCrs,
    pub mapping: Mapping,
    pub value_mapping: ValueMapping,
    /// What the file holds and how its first rows come out (absent until it was looked at).
    #[schema(value_type = Option<crate::import::Preview>)]
    pub preview: Option<Value>,
    pub progress: JobProgress,
    pub problem_count: i64,
    /// Problems by row and field (the first of them, when there are many).
    pub problems: Vec<RowProblem>,
    pub notes: Vec<String>,
    /// What to check although the rows may be taken, with codes the web app words.
    pub warnings: Vec<RowProblem>,
    pub result: JobResult,
    /// Where the rows lie, [west, south, east, north] (once checked).
    pub extent: Option<Vec<f64>>,
    /// Why the job failed, when it did.
    pub message: Option<String>,
    /// Who uploaded the file, as the assets' history names them.
    pub actor: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The job itself and the steps that can be asked of it.
    pub links: Vec<JobLink>,
}

/// The CRS of a job.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportJobCrs)]
pub struct JobCrs {
    pub srid: i32,
    pub label: String,
}

/// How far a run is.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportJobProgress)]
pub struct JobProgress {
    /// Rows in the file, once known.
    pub total_rows: Option<i64>,
    pub processed_rows: i64,
}

/// What a commit did to the operator's assets (absent before one).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportJobResult)]
pub struct JobResult {
    pub created: Option<i64>,
    pub updated: Option<i64>,
    pub unchanged: Option<i64>,
}

/// A link of a job: `self`, or a step with the method that asks for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ImportJobLink)]
pub struct JobLink {
    pub rel: &'static str,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'static str>,
}

/// What a new job starts with.
pub struct NewJob<'a> {
    pub kind: AssetKind,
    pub operator_id: i64,
    pub file_name: &'a str,
    pub format: &'a str,
    pub size_bytes: i64,
    pub content: Option<&'a [u8]>,
    pub source: &'a str,
    /// Who uploads: the history of every asset the import writes names them.
    pub actor: &'a Actor,
}

pub async fn create(pool: &PgPool, new: NewJob<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into import_job (kind, operator_id, file_name, format, size_bytes, content, source, actor, actor_user_id, actor_token_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(new.kind.as_str())
    .bind(new.operator_id)
    .bind(new.file_name)
    .bind(new.format)
    .bind(new.size_bytes)
    .bind(new.content)
    .bind(new.source)
    .bind(&new.actor.name)
    .bind(new.actor.user_id)
    .bind(new.actor.token_id)
    .fetch_one(pool)
    .await
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Job>> {
    sqlx::query_as(&format!("{SELECT} where j.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The uploaded file, while the job keeps it.
pub async fn content(pool: &PgPool, id: i64) -> sqlx::Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar::<_, Option<Vec<u8>>>("select content from import_job where id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// Records the chosen layer, CRS, mapping and the preview; an earlier
/// validation no longer holds, so the job is back to `uploaded`.
pub async fn set_preview(
    pool: &PgPool,
    id: i64,
    crs: &Crs,
    preview: &super::Preview,
) -> sqlx::Result<()> {
    sqlx::query(
        "update import_job set layer = $2, crs_srid = $3, crs_province = $4, mapping = $5, preview = $6,
                total_rows = $7, status = 'uploaded', phase = null, problems = '[]', problem_count = 0,
                value_mapping = $8, updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(&preview.overview.layer)
    .bind(crs.srid)
    .bind(crs.province.map(|p| p.name))
    .bind(Json(&preview.mapping))
    .bind(Json(preview))
    .bind(preview.overview.feature_count.map(|n| n as i64))
    .bind(Json(&preview.value_mapping))
    .execute(pool)
    .await?;
    Ok(())
}

/// Moves a job to `to` if it is in one of `from`; false if it was not.
pub async fn transition(pool: &PgPool, id: i64, from: &[Status], to: Status) -> sqlx::Result<bool> {
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let done = sqlx::query(
        "update import_job set status = $3, phase = 'queued', processed_rows = 0, message = null,
                updated_at = now(), finished_at = null
         where id = $1 and status = any($2)",
    )
    .bind(id)
    .bind(&from)
    .bind(to.as_str())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn progress(pool: &PgPool, id: i64, phase: &str, processed: u64) -> sqlx::Result<()> {
    sqlx::query(
        "update import_job set phase = $2, processed_rows = $3, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(phase)
    .bind(processed as i64)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records how a run ended.
pub async fn finish(
    pool: &PgPool,
    id: i64,
    status: Status,
    outcome: &Outcome,
    message: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update import_job set status = $2, phase = null, processed_rows = $3, total_rows = $3,
                problem_count = $4, problems = $5, notes = $6,
                created_count = $7, updated_count = $8, unchanged_count = $9, message = $10, extent = $11,
                warnings = $12,
                content = case when $2 = 'committed' then null else content end,
                updated_at = now(), finished_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(outcome.rows as i64)
    .bind(outcome.problem_count as i64)
    .bind(Json(&outcome.problems))
    .bind(Json(&outcome.notes))
    .bind(outcome.created as i64)
    .bind(outcome.updated as i64)
    .bind(outcome.unchanged as i64)
    .bind(message)
    .bind(outcome.extent.map(|e| e.to_vec()))
    .bind(Json(&outcome.warnings))
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a run that could not judge the rows (an unreadable file, a lost database).
pub async fn fail(pool: &PgPool, id: i64, message: &str) -> sqlx::Result<()> {
    sqlx::query(
        "update import_job set status = 'failed', phase = null, message = $2, updated_at = now(), finished_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(message)
    .execute(pool)
    .await?;
    Ok(())
}

/// Jobs left running by a server that stopped are failed, so they can be run again.
pub async fn recover(pool: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update import_job set status = 'failed', phase = null, finished_at = now(), updated_at = now(),
                message = 'the server stopped while the job ran; nothing was written — run it again'
         where status in ('validating', 'committing')",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// The mapping and CRS the operator last used for this kind.
/// The mapping an operator used last for a kind: its columns, CRS and values.
#[derive(Debug, Clone, Default)]
pub struct SavedMapping {
    pub columns: Mapping,
    pub srid: Option<i32>,
    pub values: ValueMapping,
}

pub async fn saved_mapping(
    pool: &PgPool,
    operator_id: i64,
    kind: AssetKind,
) -> sqlx::Result<Option<SavedMapping>> {
    let row: Option<(Json<Mapping>, Option<i32>, Json<ValueMapping>)> = sqlx::query_as(
        "select columns, crs_srid, value_mapping from import_mapping where operator_id = $1 and kind = $2",
    )
    .bind(operator_id)
    .bind(kind.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(columns, srid, values)| SavedMapping {
        columns: columns.0,
        srid,
        values: values.0,
    }))
}

/// Remembers a mapping for the operator's next file of this kind.
pub async fn save_mapping(
    pool: &PgPool,
    operator_id: i64,
    kind: AssetKind,
    mapping: &Mapping,
    srid: i32,
    values: &ValueMapping,
) -> sqlx::Result<()> {
    // Values chosen before are kept unless chosen again: a file of poles in
    // concrete does not forget that another file's "Thép" is steel.
    sqlx::query(
        "insert into import_mapping (operator_id, kind, columns, crs_srid, value_mapping) values ($1, $2, $3, $4, $5)
         on conflict (operator_id, kind) do update set columns = excluded.columns, crs_srid = excluded.crs_srid,
             value_mapping = (select coalesce(jsonb_object_agg(a, coalesce(import_mapping.value_mapping -> a, '{}') || (excluded.value_mapping -> a)), '{}')
                              from jsonb_object_keys(excluded.value_mapping) a)
                             || (import_mapping.value_mapping - array(select jsonb_object_keys(excluded.value_mapping))),
             updated_at = now()",
    )
    .bind(operator_id)
    .bind(kind.as_str())
    .bind(Json(mapping))
    .bind(srid)
    .bind(Json(values))
    .execute(pool)
    .await?;
    Ok(())
}
