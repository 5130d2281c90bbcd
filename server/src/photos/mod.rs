//! Photos taken in the street: of a reported problem, of an operator's fix,
//! of an inspection finding. The phone scales them down before sending (the
//! web app makes a JPEG of at most 1600 px); the server trusts neither the
//! name nor the declared type: it reads the type from the content, refuses
//! anything but JPEG, PNG and WebP and anything over [`MAX_PHOTO_BYTES`],
//! removes the camera's metadata from JPEGs (a resident's photo must not
//! carry their phone's GPS track to the public), and serves photos only as
//! images with `nosniff` and a sandbox.
//!
//! Requests that carry photos are `multipart/form-data` with one JSON part
//! (named `data`, or `report` for reports) and the photos as `photo` parts, in
//! the order of the JSON's `photos` list, which may give for each where and
//! when it was taken.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::http::error::{ApiError, ApiResult, Code, Problem};

/// Largest photo accepted (after the browser scaled it down, a photo is a few hundred KB).
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// Most photos in one request.
pub const MAX_PHOTOS: usize = 6;
/// Largest request that carries photos.
pub const MAX_REQUEST_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024;

/// The image type of `bytes`, read from their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// A JPEG without its APP1 (Exif, XMP) and APP13 (IPTC) segments: no GPS,
/// no camera serial, no thumbnail of the uncropped picture. Anything that is
/// not a well-formed JPEG header is returned unchanged.
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2.min(bytes.len())]);
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return bytes.to_vec();
        }
        let marker = bytes[at + 1];
        // Start of scan: the image data follows to the end.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[at..]);
            return out;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let end = at + 2 + length;
        if length < 2 || end > bytes.len() {
            return bytes.to_vec();
        }
        if marker != 0xE1 && marker != 0xED {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    bytes.to_vec()
}

/// Where and when a photo was taken, as the phone read it from the photo's EXIF.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhotoTaken {
    #[serde(default)]
    pub taken_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
}

/// A photo received, checked, not yet stored.
#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub filename: Option<String>,
    pub taken: PhotoTaken,
}

/// What a photo is attached to.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Incident(i64),
    Finding(i64),
    Violation(i64),
}

/// A stored photo, without its bytes.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct PhotoMeta {
    pub id: i64,
    pub purpose: String,
    pub media_type: String,
    pub size_bytes: i32,
    pub sha256: String,
    pub taken_at: Option<DateTime<Utc>>,
    pub taken_lon: Option<f64>,
    pub taken_lat: Option<f64>,
    pub created_at: DateTime<Utc>,
    /// Where to download it.
    pub href: String,
}

/// A JSON body with photos: from `multipart/form-data` (the JSON in the part
/// named `data` or `report`, photos in `photo` parts) or from plain JSON (no photos).
pub struct WithPhotos<T> {
    pub data: T,
    pub photos: Vec<PhotoUpload>,
}

/// The `photos` list of a JSON part: where and when each photo was taken.
#[derive(Deserialize)]
struct PhotoList {
    #[serde(default)]
    photos: Vec<PhotoTaken>,
}

impl<T, S> FromRequest<S> for WithPhotos<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !content_type.starts_with("multipart/form-data") {
            let crate::http::json::ApiJson(data) =
                crate::http::json::ApiJson::<T>::from_request(request, state).await?;
            return Ok(Self {
                data,
                photos: Vec::new(),
            });
        }
        let mut multipart = Multipart::from_request(request, state).await.map_err(|e| {
            ApiError::Malformed(format!("the body is not valid multipart form data: {e}"))
        })?;
        let too_large = || ApiError::PayloadTooLarge {
            limit: MAX_REQUEST_BYTES,
        };
        let mut json: Option<Vec<u8>> = None;
        let mut files: Vec<(Option<String>, Vec<u8>)> = Vec::new();
        loop {
            let field = multipart.next_field().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::Malformed(format!("the body is not valid multipart form data: {e}"))
                }
            })?;
            let Some(field) = field else { break };
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::Malformed(format!("the upload was cut short: {e}"))
                }
            })?;
            match name.as_str() {
                "data" | "report" => json = Some(bytes.to_vec()),
                "photo" | "photos" | "media" => files.push((filename, bytes.to_vec())),
                _ => {}
            }
        }
        let json = json.ok_or_else(|| {
            ApiError::invalid(
                "data",
                Problem::new(Code::Required, "send the JSON in a form field named `data`"),
            )
        })?;
        let data: T = crate::http::json::parse_json(&json)?;
        let taken: PhotoList =
            serde_json::from_slice(&json).unwrap_or(PhotoList { photos: vec![] });
        let photos = check_photos(files, &taken.photos)?;
        Ok(Self { data, photos })
    }
}

/// Checks each file: count, size, type by content, coordinates given for it.
pub fn check_photos(
    files: Vec<(Option<String>, Vec<u8>)>,
    taken: &[PhotoTaken],
) -> ApiResult<Vec<PhotoUpload>> {
    let mut problems = crate::http::error::Problems::new();
    if files.len() > MAX_PHOTOS {
        problems.add(
            "photo",
            Problem::new(
                Code::TooMany,
                format!("at most {MAX_PHOTOS} photos in one request"),
            )
            .with("max", MAX_PHOTOS),
        );
    }
    let mut photos = Vec::new();
    for (i, (filename, bytes)) in files.into_iter().enumerate() {
        let field = format!("photo[{i}]");
        if bytes.is_empty() {
            problems.add(field, Problem::new(Code::Empty, "is empty"));
            continue;
        }
        if bytes.len() > MAX_PHOTO_BYTES {
            problems.add(
                field,
                Problem::new(
                    Code::TooLarge,
                    format!("is larger than {} MB", MAX_PHOTO_BYTES / (1024 * 1024)),
                )
                .with("max_bytes", MAX_PHOTO_BYTES),
            );
            continue;
        }
        let Some(media_type) = sniff(&bytes) else {
            problems.add(
                field,
                Problem::new(
                    Code::UnsupportedType,
                    "is not a JPEG, PNG or WebP image (judged by its content)",
                )
                .with(
                    "allowed",
                    ["image/jpeg", "image/png", "image/webp"].to_vec(),
                ),
            );
            continue;
        };
        let meta = taken.get(i).cloned().unwrap_or_default();
        match (meta.lon, meta.lat) {
            (Some(lon), Some(lat))
                if !(100.0..=120.0).contains(&lon) || !(5.0..=25.0).contains(&lat) =>
            {
                problems.add(
                    format!("photos[{i}]"),
                    Problem::new(Code::NotInVietnam, "its coordinates are not in Vietnam"),
                );
            }
            (Some(_), None) | (None, Some(_)) => {
                problems.add(
                    format!("photos[{i}]"),
                    Problem::new(Code::BothOrNeither, "give both lon and lat, or neither")
                        .with("fields", ["lon", "lat"].to_vec()),
                );
            }
            _ => {}
        }
        let bytes = if media_type == "image/jpeg" {
            strip_jpeg_metadata(&bytes)
        } else {
            bytes
        };
        photos.push(PhotoUpload {
            bytes,
            media_type,
            filename: filename.map(|f| f.chars().filter(|c| !c.is_control()).take(200).collect()),
            taken: meta,
        });
    }
    problems.into_result(photos)
}

const META: &str = "id, purpose, media_type, size_bytes, sha256, taken_at,
     ST_X(taken_geom) as taken_lon, ST_Y(taken_geom) as taken_lat, created_at,
     '/api/v1/photos/' || id as href";

/// Stores a photo for `owner`.
pub async fn store(
    conn: &mut PgConnection,
    owner: Owner,
    purpose: &str,
    photo: &PhotoUpload,
    uploaded_by: Option<i64>,
) -> sqlx::Result<PhotoMeta> {
    let (incident, finding, violation) = match owner {
        Owner::Incident(id) => (Some(id), None, None),
        Owner::Finding(id) => (None, Some(id), None),
        Owner::Violation(id) => (None, None, Some(id)),
    };
    let sha256 = format!("{:x}", Sha256::digest(&photo.bytes));
    let meta: PhotoMeta = sqlx::query_as(&format!(
        "insert into field_photo (purpose, incident_id, finding_id, violation_id, media_type, size_bytes, sha256,
                                  filename, taken_at, taken_geom, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                 case when $10::float8 is null then null else ST_SetSRID(ST_MakePoint($10, $11), 4326) end, $12)
         returning {META}"
    ))
    .bind(purpose)
    .bind(incident)
    .bind(finding)
    .bind(violation)
    .bind(photo.media_type)
    .bind(photo.bytes.len() as i32)
    .bind(&sha256)
    .bind(&photo.filename)
    .bind(photo.taken.taken_at)
    .bind(photo.taken.lon)
    .bind(photo.taken.lat)
    .bind(uploaded_by)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("insert into field_photo_content (photo_id, content) values ($1, $2)")
        .bind(meta.id)
        .bind(&photo.bytes)
        .execute(&mut *conn)
        .await?;
    Ok(meta)
}

/// The photos of `owner`, oldest first.
pub async fn list(conn: &mut PgConnection, owner: Owner) -> sqlx::Result<Vec<PhotoMeta>> {
    let (column, id) = match owner {
        Owner::Incident(id) => ("incident_id", id),
        Owner::Finding(id) => ("finding_id", id),
        Owner::Violation(id) => ("violation_id", id),
    };
    sqlx::query_as(&format!(
        "select {META} from field_photo where {column} = $1 order by id"
    ))
    .bind(id)
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
    }

    #[test]
    fn exif_is_removed_from_a_jpeg_and_the_image_kept() {
        let app0 = [0xFF, 0xE0, 0x00, 0x04, b'J', b'F'];
        let app1 = [0xFF, 0xE1, 0x00, 0x06, b'E', b'x', b'i', b'f'];
        let scan = [0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 0xFF, 0xD9];
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&app0);
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&scan);
        let stripped = strip_jpeg_metadata(&jpeg);
        let mut expected = vec![0xFF, 0xD8];
        expected.extend_from_slice(&app0);
        expected.extend_from_slice(&scan);
        assert_eq!(stripped, expected);
        // Not a JPEG structure: left alone.
        assert_eq!(
            strip_jpeg_metadata(b"\xFF\xD8garbage"),
            b"\xFF\xD8garbage".to_vec()
        );
    }
}
