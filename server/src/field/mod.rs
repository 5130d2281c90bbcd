//! In the field as a whole: the photo download. A photo belongs to a
//! resident's report, an inspection finding or a violation, and whoever may
//! read that record may see its photos; the record's own store decides. This
//! module sits above the three; `photos`, which stores and cleans the images,
//! sits below them and names none of them.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::policy::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    media_type: String,
    incident_id: Option<i64>,
    finding_id: Option<i64>,
    violation_id: Option<i64>,
    content: Vec<u8>,
}

/// `GET /api/v1/photos/{id}`: the photo, to whoever may read what it is attached to.
#[utoipa::path(get, path = "/photos/{id}", tag = "In the field",
    params(("id" = i64, Path, description = "Photo id")),
    responses((status = 200, description = "The image", content_type = "image/jpeg", body = String),
               (status = 401, description = "Log in", body = ErrorBody), (status = 403, description = "Not yours", body = ErrorBody), (status = 404, description = "No such photo", body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let row: Option<PhotoRow> = sqlx::query_as(
        "select p.media_type, p.incident_id, p.finding_id, p.violation_id, c.content
         from field_photo p join field_photo_content c on c.photo_id = p.id where p.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or_else(|| ApiError::not_found(format!("there is no photo {id}")))?;
    if let Some(incident) = row.incident_id {
        crate::incidents::store::check_photo_access(&mut conn, &principal, incident).await?;
    } else if let Some(finding) = row.finding_id {
        crate::inspections::store::check_finding_access(&mut conn, &principal, finding).await?;
    } else if let Some(violation) = row.violation_id {
        crate::violations::store::check_access(&mut conn, &principal, violation).await?;
    } else {
        principal.require_login()?;
    }
    let media_type = match row.media_type.as_str() {
        "image/jpeg" | "image/png" | "image/webp" => row.media_type,
        _ => "application/octet-stream".into(),
    };
    let mut response = (StatusCode::OK, row.content).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    // A photo never changes; the access check is per request, so only private caches.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    Ok(response)
}
