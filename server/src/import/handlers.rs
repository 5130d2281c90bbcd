//! HTTP for import jobs: upload, preview and mapping, validate, commit, status.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::jobs::{self, Job, JobView, NewJob, Status};
use super::mapping::Mapping;
use super::pipeline::{self, Mode, Plan};
use super::source::{EXTENSIONS, Format, SourceError, SourceFile};
use super::values::ValueMapping;
use super::{Limits, Request as ImportRequest, prepare, requested_crs};
use crate::assets::AssetKind;
use crate::audit::Actor;
use crate::coordinates::Crs;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::policy::Principal;
use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Routes under `/api/v1`; uploads may be up to `limits.max_bytes`.
pub fn router(limits: Limits) -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::max(limits.max_bytes));
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(set_mapping))
        .routes(routes!(validate))
        .routes(routes!(commit))
        .merge(uploads)
}

const TAG: &str = "Import and export";

/// Query of an upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// Kind of asset in the file: `towers`, `poles`, … (or `tower`, `pole`, …).
    pub kind: String,
    /// Code of the operator whose assets the file holds, e.g. `VNPT`.
    pub operator: String,
    /// The file's name; its extension says the format (.geojson, .csv, .xlsx, .zip, .gpkg, .kml).
    pub file_name: Option<String>,
    /// CRS of the coordinates when the file does not declare it: `EPSG:3405`, `TM3:107.5`, …
    pub crs: Option<String>,
    /// Or the province whose VN-2000 TM-3 zone the coordinates are in (`quang-ngai`, `Kon Tum`, `51`).
    pub tm3: Option<String>,
    /// The layer to read, for files with several.
    pub layer: Option<String>,
}

fn parse_kind(text: &str) -> ApiResult<AssetKind> {
    AssetKind::from_collection(text)
        .or_else(|| AssetKind::parse(text))
        .ok_or_else(|| {
            let all: Vec<&str> = AssetKind::ALL.iter().map(|k| k.collection()).collect();
            ApiError::invalid(
                "kind",
                format!("unknown kind {text:?}; one of {}", all.join(", ")),
            )
        })
}

async fn operator_id(state: &AppState, code: &str) -> ApiResult<i64> {
    sqlx::query_scalar("select id from operator where code = $1")
        .bind(code)
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(|| {
            ApiError::invalid("operator", format!("{code} is not a registered operator"))
        })
}

async fn check_crs_known(state: &AppState, crs: &Option<Crs>) -> ApiResult<()> {
    if let Some(crs) = crs {
        let known: bool =
            sqlx::query_scalar("select exists (select 1 from spatial_ref_sys where srid = $1)")
                .bind(crs.srid)
                .fetch_one(&state.pool)
                .await?;
        if !known {
            return Err(ApiError::invalid(
                "crs",
                format!(
                    "EPSG:{} is not a coordinate reference system this server knows",
                    crs.srid
                ),
            ));
        }
    }
    Ok(())
}

fn file_name_from(params: &UploadParams, headers: &axum::http::HeaderMap) -> Option<String> {
    params.file_name.clone().or_else(|| {
        let disposition = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
        let start = disposition.find("filename=")? + "filename=".len();
        let name = disposition[start..]
            .split(';')
            .next()?
            .trim()
            .trim_matches('"');
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// `POST /imports`: the file is the body. Answers with the job and its preview.
#[utoipa::path(post, path = "/imports", tag = TAG, operation_id = "upload_import",
    summary = "Upload a file to import (GeoJSON, CSV, XLSX, zipped Shapefile, GeoPackage, KML)",
    description = "The body is the file. Answers with the job and its preview: columns, the detected or chosen CRS, a proposed mapping of columns to attributes (the operator's saved one first) and the first rows as they would be imported.",
    params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = JobView, description = "The job, with its preview; `Location` is the job."),
              (status = 400, body = ErrorBody, description = "A parameter that cannot be read."),
              (status = 401, body = ErrorBody, description = "Not logged in."),
              (status = 403, body = ErrorBody, description = "The role may not register assets."),
              (status = 413, body = ErrorBody, description = "The file is larger than the import limit."),
              (status = 422, body = ErrorBody, description = "The file or a parameter is not usable.")))]
async fn upload(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<UploadParams>,
    request: Request,
) -> ApiResult<Response> {
    principal.may_register_assets()?;
    let headers = request.headers().clone();
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge {
                    limit: state.imports.max_bytes,
                }
            } else {
                ApiError::Malformed(format!("could not read the uploaded file: {rejection}"))
            }
        })?;
    let kind = parse_kind(&params.kind)?;
    let operator_id = operator_id(&state, &params.operator).await?;
    principal.may_write_asset(operator_id)?;
    let file_name = file_name_from(&params, &headers).ok_or_else(|| {
        ApiError::invalid(
            "file_name",
            "name the file (file_name=…), its extension says the format",
        )
    })?;
    if file_name.chars().count() > 255 {
        return Err(ApiError::invalid(
            "file_name",
            "is longer than 255 characters",
        ));
    }
    let format = Format::from_file_name(&file_name).ok_or_else(|| {
        ApiError::invalid(
            "file_name",
            format!("{file_name:?} is not a format Hatang imports; one of {EXTENSIONS}"),
        )
    })?;
    if body.is_empty() {
        return Err(ApiError::invalid("file", "the file is empty"));
    }
    let crs = requested_crs(params.crs.as_deref(), params.tm3.as_deref())?;
    check_crs_known(&state, &crs).await?;
    let request = ImportRequest {
        crs,
        mapping: None,
        values: None,
        layer: params.layer.clone(),
    };
    let file = Arc::new(
        SourceFile::in_memory(&file_name, format, body.to_vec(), &state.imports.archive)
            .map_err(source_error)?,
    );
    let preview = prepare(
        &state.pool,
        file,
        kind,
        operator_id,
        &params.operator,
        &request,
    )
    .await?;
    check_row_limit(&state, preview.overview.feature_count)?;
    let id = jobs::create(
        &state.pool,
        NewJob {
            kind,
            operator_id,
            file_name: &file_name,
            format: format.label(),
            size_bytes: body.len() as i64,
            content: Some(&body),
            source: "upload",
            actor: &principal.actor(),
        },
    )
    .await?;
    save_preview(&state, id, &preview, request.crs.as_ref()).await?;
    let job = load(&state, id).await?;
    let mut response = (StatusCode::CREATED, axum::Json(job.view())).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/imports/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

fn check_row_limit(state: &AppState, rows: Option<u64>) -> ApiResult<()> {
    match rows {
        Some(n) if n > state.imports.max_rows => Err(ApiError::invalid(
            "file",
            format!(
                "the file has {n} rows; one import takes at most {}: split it into several files",
                state.imports.max_rows
            ),
        )),
        _ => Ok(()),
    }
}

/// Stores the preview and its choices; `requested` keeps the province of a
/// TM-3 zone chosen by province (the region its points must land in).
async fn save_preview(
    state: &AppState,
    id: i64,
    preview: &super::Preview,
    requested: Option<&Crs>,
) -> ApiResult<()> {
    let crs = requested
        .filter(|c| c.srid == preview.crs.srid)
        .cloned()
        .unwrap_or_else(|| Crs::from_srid(preview.crs.srid));
    jobs::set_preview(&state.pool, id, &crs, preview).await?;
    Ok(())
}

async fn load(state: &AppState, id: i64) -> ApiResult<Job> {
    jobs::get(&state.pool, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no import job {id}")))
}

/// `GET /imports/{id}`: status, progress, problems and outcome.
#[utoipa::path(get, path = "/imports/{id}", tag = TAG, operation_id = "get_import",
    summary = "An import job: status, progress, problems, result",
    params(("id" = i64, Path, description = "The job")),
    responses((status = 200, body = JobView, description = "The job."),
              (status = 401, body = ErrorBody, description = "Not logged in."),
              (status = 404, body = ErrorBody, description = "No such job (or another operator's).")))]
async fn status(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let job = load_for(&state, &principal, id).await?;
    Ok(axum::Json(job.view()).into_response())
}

/// Body of `PUT /imports/{id}/mapping`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingRequest {
    /// Source column → attribute (`null` leaves the column out); overrides the proposal.
    #[serde(default)]
    pub mapping: Option<Mapping>,
    /// Attribute → the file's value → code (`null` leaves such cells empty),
    /// e.g. `{"material": {"Bê tông": "concrete"}}`; overrides the proposal.
    #[serde(default)]
    pub values: Option<ValueMapping>,
    /// CRS of the coordinates: `EPSG:3405`, `TM3:107.5`, …
    #[serde(default)]
    pub crs: Option<String>,
    /// Or the province whose VN-2000 TM-3 zone the coordinates are in.
    #[serde(default)]
    pub tm3: Option<String>,
    #[serde(default)]
    pub layer: Option<String>,
}

/// `PUT /imports/{id}/mapping`: choose columns, the codes of their values, CRS
/// and layer; the new preview comes back, and the mapping (with the values) is
/// remembered for the operator's next file.
#[utoipa::path(put, path = "/imports/{id}/mapping", tag = TAG, operation_id = "map_import",
    summary = "Choose the mapping, CRS or layer; the new preview comes back",
    params(("id" = i64, Path, description = "The job")),
    request_body = MappingRequest,
    responses((status = 200, body = JobView, description = "The job, with the new preview."),
              (status = 401, body = ErrorBody, description = "Not logged in."),
              (status = 404, body = ErrorBody, description = "No such job (or another operator's)."),
              (status = 409, body = ErrorBody, description = "The job is running or committed."),
              (status = 422, body = ErrorBody, description = "The mapping, CRS or layer is not usable.")))]
async fn set_mapping(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MappingRequest>,
) -> ApiResult<Response> {
    let job = load_for(&state, &principal, id).await?;
    if !matches!(
        job.status(),
        "uploaded" | "validated" | "invalid" | "failed"
    ) {
        return Err(ApiError::conflict(format!(
            "the job is {}; its mapping can no longer change",
            job.status()
        )));
    }
    let crs = match requested_crs(body.crs.as_deref(), body.tm3.as_deref())? {
        Some(crs) => Some(crs),
        None => Some(job.crs()),
    };
    check_crs_known(&state, &crs).await?;
    let mut mapping = job.mapping.0.clone();
    if let Some(requested) = &body.mapping {
        mapping.0.extend(requested.0.clone());
    }
    let mut values = job.value_mapping.0.clone();
    if let Some(requested) = &body.values {
        values.extend(requested);
    }
    let request = ImportRequest {
        crs,
        mapping: Some(mapping),
        values: Some(values),
        layer: body.layer.clone().or(job.layer.clone()),
    };
    let file = job_file(&state, &job).await?;
    let preview = prepare(
        &state.pool,
        file,
        job.kind(),
        job.operator_id,
        &job.operator,
        &request,
    )
    .await?;
    save_preview(&state, id, &preview, request.crs.as_ref()).await?;
    if preview.mapping_problems.is_empty() {
        jobs::save_mapping(
            &state.pool,
            job.operator_id,
            job.kind(),
            &preview.mapping,
            preview.crs.srid,
            &preview.value_mapping,
        )
        .await?;
    }
    let job = load(&state, id).await?;
    Ok(axum::Json(job.view()).into_response())
}

async fn job_file(state: &AppState, job: &Job) -> ApiResult<Arc<SourceFile>> {
    let content = jobs::content(&state.pool, job.id).await?.ok_or_else(|| {
        ApiError::conflict(format!("import job {} no longer holds its file", job.id))
    })?;
    let format = Format::from_file_name(&job.file_name)
        .ok_or_else(|| ApiError::Internal("stored job has an unknown format".into()))?;
    SourceFile::in_memory(&job.file_name, format, content, &state.imports.archive)
        .map(Arc::new)
        .map_err(source_error)
}

/// A file that cannot be opened: 413 when it unpacks past the limit, else 422.
pub(crate) fn source_error(error: SourceError) -> ApiError {
    match error {
        SourceError::Archive(archive) if archive.is_size() => ApiError::TooLarge(archive.problem()),
        SourceError::Archive(archive) => ApiError::invalid("file", archive.problem()),
        other => ApiError::invalid("file", other.to_string()),
    }
}

/// `POST /imports/{id}/validate`: checks every row, writes nothing (202; follow the job).
#[utoipa::path(post, path = "/imports/{id}/validate", tag = TAG, operation_id = "validate_import",
    summary = "Check every row; nothing is written",
    params(("id" = i64, Path, description = "The job")),
    responses((status = 202, body = JobView, description = "Started; follow the job at /api/v1/imports/{id}."),
              (status = 401, body = ErrorBody, description = "Not logged in."),
              (status = 404, body = ErrorBody, description = "No such job (or another operator's)."),
              (status = 409, body = ErrorBody, description = "The job is running or committed."),
              (status = 422, body = ErrorBody, description = "The mapping has problems.")))]
async fn validate(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    load_for(&state, &principal, id).await?;
    start(state, id, Status::Validating).await
}

/// `POST /imports/{id}/commit`: validates again and, if every row is right,
/// writes them all in one transaction (202; follow the job).
#[utoipa::path(post, path = "/imports/{id}/commit", tag = TAG, operation_id = "commit_import",
    summary = "Check every row and, if all are valid, write them in one transaction",
    params(("id" = i64, Path, description = "The job")),
    responses((status = 202, body = JobView, description = "Started; follow the job at /api/v1/imports/{id}."),
              (status = 401, body = ErrorBody, description = "Not logged in."),
              (status = 404, body = ErrorBody, description = "No such job (or another operator's)."),
              (status = 409, body = ErrorBody, description = "The job is running or committed."),
              (status = 422, body = ErrorBody, description = "The mapping has problems.")))]
async fn commit(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    load_for(&state, &principal, id).await?;
    start(state, id, Status::Committing).await
}

/// A job, if the principal may import for its operator (404 otherwise, so as
/// not to tell other operators that it exists).
async fn load_for(state: &AppState, principal: &Principal, id: i64) -> ApiResult<Job> {
    principal.require_login()?;
    let job = load(state, id).await?;
    if principal.may_write_asset(job.operator_id).is_err() {
        return Err(ApiError::not_found(format!("there is no import job {id}")));
    }
    Ok(job)
}

async fn start(state: AppState, id: i64, to: Status) -> ApiResult<Response> {
    let job = load(&state, id).await?;
    if let Some(problems) = job
        .preview
        .as_ref()
        .and_then(|p| p.0.get("mapping_problems"))
        && problems.as_array().is_some_and(|p| !p.is_empty())
    {
        let problems = serde_json::from_value(problems.clone()).unwrap_or_default();
        return Err(ApiError::Invalid(problems));
    }
    let file = job_file(&state, &job).await?;
    let from = [
        Status::Uploaded,
        Status::Validated,
        Status::Invalid,
        Status::Failed,
    ];
    if !jobs::transition(&state.pool, id, &from, to).await? {
        return Err(ApiError::conflict(format!(
            "the job is {}; it cannot be started now",
            job.status()
        )));
    }
    let plan = Plan {
        kind: job.kind(),
        operator: job.operator.clone(),
        crs: job.crs(),
        mapping: job.mapping.0.clone(),
        values: job.value_mapping.0.clone(),
        // KML folders are parts of one file: read them all.
        layer: job.layer.clone().filter(|_| !job.format.starts_with("KML")),
        max_rows: state.imports.max_rows,
    };
    let mode = match to {
        // The history names the person or token who uploaded, and the job.
        Status::Committing => Mode::Commit(Actor {
            name: format!("{} (import:{id})", job.actor),
            user_id: job.actor_user_id,
            token_id: job.actor_token_id,
        }),
        _ => Mode::Validate,
    };
    tokio::spawn(run_job(state.pool.clone(), id, file, plan, mode));
    let job = load(&state, id).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(job.view())).into_response())
}

/// Runs a job in the background, saving its progress every second.
async fn run_job(pool: sqlx::PgPool, id: i64, file: Arc<SourceFile>, plan: Plan, mode: Mode) {
    let processed = Arc::new(AtomicU64::new(0));
    let phase = Arc::new(std::sync::Mutex::new("reading"));
    let progress: pipeline::Progress = {
        let (processed, phase) = (processed.clone(), phase.clone());
        Arc::new(move |p, n| {
            processed.store(n, Ordering::Relaxed);
            if let Ok(mut current) = phase.lock() {
                *current = p;
            }
        })
    };
    let reporter = {
        let (pool, processed, phase) = (pool.clone(), processed.clone(), phase.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                let current = phase.lock().map(|p| *p).unwrap_or("reading");
                let _ = jobs::progress(&pool, id, current, processed.load(Ordering::Relaxed)).await;
            }
        })
    };
    let committing = matches!(mode, Mode::Commit(_));
    let result = pipeline::run(&pool, file, &plan, mode, progress).await;
    reporter.abort();
    let saved = match result {
        Ok(outcome) => {
            let status = match (outcome.problem_count > 0, committing) {
                (true, _) => Status::Invalid,
                (false, true) => Status::Committed,
                (false, false) => Status::Validated,
            };
            let message = match status {
                Status::Invalid => format!(
                    "{} problems in {} rows; nothing was written",
                    outcome.problem_count, outcome.rows
                ),
                Status::Committed => format!(
                    "{} rows imported: {} created, {} updated, {} unchanged",
                    outcome.rows, outcome.created, outcome.updated, outcome.unchanged
                ),
                _ => format!(
                    "every row is valid; committing would create {}, update {} and leave {} unchanged",
                    outcome.created, outcome.updated, outcome.unchanged
                ),
            };
            jobs::finish(&pool, id, status, &outcome, Some(&message)).await
        }
        Err(error) => {
            tracing::warn!(job = id, %error, "import failed");
            let message = match &error {
                pipeline::ImportError::Database(_) => {
                    "a database error stopped the import; nothing was written".to_string()
                }
                other => format!("{other}; nothing was written"),
            };
            jobs::fail(&pool, id, &message).await
        }
    };
    if let Err(error) = saved {
        tracing::error!(job = id, %error, "cannot record the end of an import job");
    }
}
