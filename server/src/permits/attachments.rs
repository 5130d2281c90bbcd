//! Attachments of an application: drawings, land-use documents, contracts.
//! Only PDF and images are accepted, their type is read from their content
//! (not trusted from the name or the browser), each is stored with its
//! SHA-256, and they are served as downloads with a fixed, harmless type so
//! that a crafted file cannot run in the reviewer's browser.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::store;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::policy::Principal;
use crate::state::AppState;

/// Largest attachment accepted.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// A type the registry accepts: its media type and the file extensions that name it.
pub struct Kind {
    pub media_type: &'static str,
    pub description: &'static str,
    pub extensions: &'static [&'static str],
}

/// The type of a file from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    let kind = |media_type, description, extensions| {
        Some(Kind {
            media_type,
            description,
            extensions,
        })
    };
    if bytes.starts_with(b"%PDF-") {
        kind("application/pdf", "a PDF document", &["pdf"])
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        kind("image/png", "a PNG image", &["png"])
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        kind("image/jpeg", "a JPEG image", &["jpg", "jpeg"])
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        kind("image/tiff", "a TIFF image", &["tif", "tiff"])
    } else {
        None
    }
}

/// An attachment without its content.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct AttachmentMeta {
    pub id: i64,
    pub filename: String,
    pub media_type: String,
    pub size_bytes: i32,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn metadata(
    conn: &mut PgConnection,
    application_id: i64,
) -> sqlx::Result<Vec<AttachmentMeta>> {
    sqlx::query_as(
        "select id, filename, media_type, size_bytes, sha256, uploaded_at from permit_attachment where application_id = $1 order by id",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await
}

/// A name that is safe to store and to offer back: no folders, no control
/// characters, at most 200 characters.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    if cleaned.trim().is_empty() {
        "tep-dinh-kem".into()
    } else {
        cleaned.trim().to_string()
    }
}

/// The upload's form.
#[derive(ToSchema)]
#[allow(dead_code)] // Read from the multipart stream; it describes the form.
pub struct AttachmentForm {
    /// A PDF, PNG, JPEG or TIFF, at most 20 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(post, path = "/permits/{id}/attachments", tag = "Permits", operation_id = "upload_permit_attachment",
    summary = "Attach a PDF, PNG, JPEG or TIFF (type read from the content; at most 20 MiB)",
    params(("id" = i64, Path, description = "The application")),
    request_body(content = AttachmentForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Stored, with its SHA-256.", body = AttachmentMeta),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Neither the applicant nor the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody),
              (status = 409, description = "Its state takes no more attachments.", body = ErrorBody),
              (status = 413, description = "Larger than 20 MiB.", body = ErrorBody),
              (status = 422, description = "Not a PDF, PNG, JPEG or TIFF.", body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let application = store::load(&mut conn, id, false).await?;
    principal.may_read_application(application.operator_id, application.ward_id)?;
    let applicant = principal.may_apply(application.operator_id).is_ok();
    let reviewer = principal.may_review(application.ward_id).is_ok();
    if !applicant && !reviewer {
        return Err(ApiError::forbidden(
            "only the applicant or the ward's reviewers attach documents",
        ));
    }
    if applicant && !reviewer && !application.state.editable() {
        return Err(ApiError::conflict(format!(
            "documents can be attached while the file is a draft or the ward asked for more; it is {}",
            application.state.as_str()
        )));
    }
    let too_large = || ApiError::PayloadTooLarge {
        limit: MAX_UPLOAD_BYTES,
    };
    let field = loop {
        let field = multipart.next_field().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::Malformed(format!("the upload is not valid multipart form data: {e}"))
            }
        })?;
        match field {
            Some(field) if field.name() == Some("file") => break field,
            Some(_) => continue,
            None => {
                return Err(ApiError::invalid(
                    "file",
                    "send the document in a form field named `file`",
                ));
            }
        }
    };
    let filename = clean_filename(field.file_name().unwrap_or(""));
    let bytes = field.bytes().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::Malformed(format!("the upload was cut short: {e}"))
        }
    })?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(too_large());
    }
    if bytes.is_empty() {
        return Err(ApiError::invalid("file", "is empty"));
    }
    let Some(kind) = sniff(&bytes) else {
        return Err(ApiError::invalid(
            "file",
            "is not a PDF, PNG, JPEG or TIFF file (judged by its content)",
        ));
    };
    let extension = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !kind.extensions.contains(&extension.as_str()) {
        return Err(ApiError::invalid(
            "file",
            format!(
                "its name ends in .{extension} but its content is {}; rename it .{} or send the right file",
                kind.description, kind.extensions[0]
            ),
        ));
    }
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let meta: AttachmentMeta = sqlx::query_as(
        "insert into permit_attachment (application_id, filename, media_type, size_bytes, sha256, content, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7)
         returning id, filename, media_type, size_bytes, sha256, uploaded_at",
    )
    .bind(id)
    .bind(&filename)
    .bind(kind.media_type)
    .bind(bytes.len() as i32)
    .bind(&sha256)
    .bind(bytes.as_ref())
    .bind(principal.user().map(|u| u.id))
    .fetch_one(&mut *conn)
    .await?;
    Ok((StatusCode::CREATED, axum::Json(meta)).into_response())
}

#[utoipa::path(get, path = "/permits/{id}/attachments", tag = "Permits", operation_id = "list_permit_attachments",
    summary = "Attachments (without content)",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "Attachments.", body = Vec<AttachmentMeta>),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Neither the applicant nor the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<AttachmentMeta>>> {
    let mut conn = state.pool.acquire().await?;
    let application = store::load(&mut conn, id, false).await?;
    principal.may_read_application(application.operator_id, application.ward_id)?;
    Ok(axum::Json(metadata(&mut conn, id).await?))
}

#[utoipa::path(get, path = "/permits/{id}/attachments/{attachment_id}", tag = "Permits", operation_id = "download_permit_attachment",
    summary = "Download an attachment",
    params(("id" = i64, Path, description = "The application"), ("attachment_id" = i64, Path, description = "The attachment")),
    responses((status = 200, description = "The file, as a download, with the type it was stored with.",
               content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/tiff"))),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Neither the applicant nor the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such attachment.", body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let application = store::load(&mut conn, id, false).await?;
    principal.may_read_application(application.operator_id, application.ward_id)?;
    let row: Option<(String, String, Vec<u8>)> =
        sqlx::query_as("select filename, media_type, content from permit_attachment where id = $1 and application_id = $2")
            .bind(attachment_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (filename, media_type, content) = row.ok_or_else(|| {
        ApiError::not_found(format!(
            "application {id} has no attachment {attachment_id}"
        ))
    })?;
    // Only the types `sniff` accepts are ever stored; anything else is served as bytes.
    let media_type = match media_type.as_str() {
        "application/pdf" | "image/png" | "image/jpeg" | "image/tiff" => media_type,
        _ => "application/octet-stream".into(),
    };
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = (StatusCode::OK, content).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(
            sniff(b"%PDF-1.7\n...").unwrap().media_type,
            "application/pdf"
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....").unwrap().media_type,
            "image/png"
        );
        assert!(sniff(b"<html><script>alert(1)</script>").is_none());
        assert!(sniff(b"MZ\x90\0").is_none());
    }

    #[test]
    fn filenames_lose_their_folders() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\bản vẽ\\mặt bằng.pdf"), "mặt bằng.pdf");
        assert_eq!(clean_filename(""), "tep-dinh-kem");
    }
}
