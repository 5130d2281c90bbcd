//! Every read the OGC API makes, in one place: the collections it offers and
//! their features. Access rules (who may see which collection, what is
//! redacted) belong here, so that no handler reads the database itself.

use sqlx::PgPool;

use crate::assets::AssetKind;
use crate::assets::store::{self, ListFilter, Output};
use crate::policy::Viewer;
use crate::wards::{self, WardFilter};

/// A collection of the OGC API: the assets of one kind, or the wards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Assets(AssetKind),
    Wards,
}

impl Collection {
    /// Every collection, in the order the landing page lists them.
    pub fn all() -> Vec<Collection> {
        AssetKind::ALL
            .into_iter()
            .map(Collection::Assets)
            .chain([Collection::Wards])
            .collect()
    }

    pub fn parse(id: &str) -> Option<Self> {
        if id == "wards" {
            return Some(Self::Wards);
        }
        AssetKind::from_collection(id).map(Self::Assets)
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::Assets(kind) => kind.collection(),
            Self::Wards => "wards",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Assets(kind) => kind.title(),
            Self::Wards => "Wards (phường, xã, đặc khu)",
        }
    }

    pub fn description(self) -> String {
        match self {
            Self::Assets(kind) => format!(
                "{} registered in Hatang, with owner, lifecycle status, sharing and the {}'s attributes. \
                 `datetime` selects by the time of the last change.",
                kind.title(),
                kind.as_str()
            ),
            Self::Wards => "Wards with their boundaries and GSO codes. Without `datetime`, the wards valid today; \
                 with it, those valid at that instant or at some time in that interval."
                .to_string(),
        }
    }
}

/// A page of features: `(id, Feature JSON)` in id order, and whether more follow.
pub type Page = (Vec<(i64, String)>, bool);

/// The spatial extent of each collection that has features, in WGS84.
pub async fn extents(pool: &PgPool) -> sqlx::Result<Vec<(String, [f64; 4])>> {
    let rows: Vec<(String, f64, f64, f64, f64)> = sqlx::query_as(
        "with extents as (
             select kind as collection, ST_Extent(geom) as box from asset group by kind
             union all
             select 'wards', ST_Extent(boundary) from admin_unit where level = 'ward'
         )
         select collection, ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)
         from extents where box is not null",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(collection, x1, y1, x2, y2)| {
            let id = AssetKind::parse(&collection)
                .map(|k| k.collection().to_string())
                .unwrap_or(collection);
            (id, [x1, y1, x2, y2])
        })
        .collect())
}

/// One page of asset features.
pub async fn asset_page(
    pool: &PgPool,
    kind: AssetKind,
    filter: &ListFilter,
    output: Output,
    viewer: &Viewer,
) -> sqlx::Result<(Page, i64)> {
    // The page and numberMatched on two connections at once. At a million
    // poles the count is the larger part (345 ms against the page's 65 ms).
    let ((features, more), matched) = tokio::try_join!(
        store::list_as(pool, kind, filter, output, viewer),
        store::count(pool, kind, filter, viewer),
    )?;
    Ok((
        (
            features.into_iter().map(|f| (f.id, f.feature)).collect(),
            more,
        ),
        matched,
    ))
}

/// One asset feature.
pub async fn asset_feature(
    pool: &PgPool,
    kind: AssetKind,
    id: i64,
    output: Output,
    viewer: &Viewer,
) -> sqlx::Result<Option<String>> {
    Ok(store::feature(pool, kind, id, output, viewer)
        .await?
        .map(|f| f.feature))
}

/// One page of wards.
pub async fn ward_page(
    pool: &PgPool,
    filter: &WardFilter,
    output: Output,
) -> sqlx::Result<(Page, i64)> {
    let page = wards::page(pool, filter, output.srid, output.lat_first).await?;
    let matched = wards::count(pool, filter).await?;
    Ok((page, matched))
}

/// One ward.
pub async fn ward_feature(pool: &PgPool, id: i64, output: Output) -> sqlx::Result<Option<String>> {
    wards::feature(pool, id, output.srid, output.lat_first).await
}

/// The WGS84 bounding box of a box given in `srid` (`None` when PROJ cannot
/// convert it: numbers outside the CRS's domain).
pub async fn bbox_to_wgs84(
    pool: &PgPool,
    bbox: [f64; 4],
    srid: i32,
) -> sqlx::Result<Option<[f64; 4]>> {
    if srid == crate::coordinates::WGS84 {
        return Ok(Some(bbox));
    }
    let converted: sqlx::Result<(f64, f64, f64, f64)> = sqlx::query_as(
        "select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
         from ST_MakeEnvelope($1, $2, $3, $4, $5) b,
              ST_Transform(case when greatest($3 - $1, $4 - $2) > 0
                                then ST_Segmentize(b, greatest($3 - $1, $4 - $2) / 16) else b end, 4326) e",
    )
    .bind(bbox[0])
    .bind(bbox[1])
    .bind(bbox[2])
    .bind(bbox[3])
    .bind(srid)
    .fetch_one(pool)
    .await;
    match converted {
        Ok((x1, y1, x2, y2)) if [x1, y1, x2, y2].iter().all(|n| n.is_finite()) => {
            Ok(Some([x1, y1, x2, y2]))
        }
        Ok(_) => Ok(None),
        // PROJ's refusals (SQLSTATE XX000 "transform: ..."), or numbers out of range.
        Err(sqlx::Error::Database(db))
            if db
                .code()
                .is_some_and(|c| c == "XX000" || c.starts_with("22")) =>
        {
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Whether a WGS84 box meets Vietnam's land and waters (migration 0052).
pub async fn box_meets_vietnam(pool: &PgPool, b: [f64; 4]) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        // ST_Envelope of the diagonal: a point or a line when the box has no area.
        "select exists (select 1 from vietnam_extent e
                        where ST_Intersects(e.geom, ST_SetSRID(ST_Envelope(ST_MakeLine(ST_MakePoint($1, $2), ST_MakePoint($3, $4))), 4326)))",
    )
    .bind(b[0])
    .bind(b[1])
    .bind(b[2])
    .bind(b[3])
    .fetch_one(pool)
    .await
}

/// For TM-3 numbers in `srid` (a point), the central meridian declared and
/// those with which the point would lie in Vietnam; `None` when `srid` is
/// not a TM-3 zone.
pub async fn fitting_meridians(
    pool: &PgPool,
    point: [f64; 2],
    srid: i32,
) -> sqlx::Result<Option<(String, Vec<String>)>> {
    let (declared, fits): (Option<String>, Option<Vec<String>>) = sqlx::query_as(
        "select meridian_label(tm3_meridian($3)), fitting_meridians(ST_MakePoint($1, $2), $3)",
    )
    .bind(point[0])
    .bind(point[1])
    .bind(srid)
    .fetch_one(pool)
    .await?;
    Ok(declared.zip(fits))
}
