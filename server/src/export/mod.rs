//! Exporting assets to the files planners and operators work with: GeoJSON,
//! CSV and XLSX (coordinates in columns), GeoPackage and zipped Shapefile,
//! for any selection the list API can make, in WGS84 or a VN-2000 zone
//! (EPSG:4756, UTM, or a province's TM-3 zone).
//!
//! The rows are the public document of each asset (`asset_properties`, read
//! through `assets::store`, without tenancy contracts or fees), so an export
//! imported again gives the same assets: the columns carry the attribute names
//! the import maps back (shortened for the Shapefile's 10-character limit),
//! lists are written `4G,5G`, a duct bank's pipes as JSON.
//!
//! A table for people reads in Vietnamese: with `labels=vi` (the default of
//! XLSX) the headers and coded values are the names the web app shows
//! ("Chiều cao (m)", "Bê tông"), and the import reads those back too. Times
//! are Vietnam's (UTC+7). Several kinds go into one file as the layers of a
//! GeoPackage or the sheets of a workbook (`GET /api/v1/export?kinds=…`).

pub use crate::tabular::labels;

use crate::database::routing::ReadDb;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{FieldDefn, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};
use gdal::{Dataset, DriverManager};
use serde::Deserialize;
use serde_json::Value;

use crate::assets::handlers::ListParams;
use crate::assets::kind::Shape;
use crate::assets::store::{self, Output};
use crate::assets::{AssetKind, input::COMPUTED};
use crate::coordinates::{self, Crs};
use crate::http::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::import::mapping::{self, ValueType, short_name};
use crate::policy::Principal;
use crate::state::AppState;
use labels::Labels;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Csv,
    Xlsx,
    GeoPackage,
    Shapefile,
    /// KML (Google Earth), always in WGS84 as KML requires.
    Kml,
}

impl Format {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Self::GeoJson,
            "csv" => Self::Csv,
            "xlsx" => Self::Xlsx,
            "gpkg" | "geopackage" => Self::GeoPackage,
            "shp" | "shapefile" | "zip" => Self::Shapefile,
            "kml" => Self::Kml,
            _ => return None,
        })
    }

    fn driver(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON",
            Self::Csv => "CSV",
            Self::Xlsx => "XLSX",
            Self::GeoPackage => "GPKG",
            Self::Shapefile => "ESRI Shapefile",
            Self::Kml => "LIBKML",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::GeoPackage => "gpkg",
            Self::Shapefile => "shp.zip",
            Self::Kml => "kml",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::GeoJson => "application/geo+json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::GeoPackage => "application/geopackage+sqlite3",
            Self::Shapefile => "application/zip",
            Self::Kml => "application/vnd.google-earth.kml+xml",
        }
    }

    /// Tables carry coordinates in columns, not geometries.
    fn is_table(self) -> bool {
        matches!(self, Self::Csv | Self::Xlsx)
    }
}

/// Routes under `/api/v1`: `/{kind}/export` for every kind, and `/export`
/// for several kinds in one file.
pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new().routes(routes!(export_kinds));
    for kind in AssetKind::ALL {
        router = router.route(
            &format!("/{}/export", kind.collection()),
            get(move |db, principal, query| export(vec![kind], db, principal, query)),
        );
    }
    router
}

/// Query of `GET /api/v1/export`: the kinds, and what an export of one kind takes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KindsExportParams {
    /// Collections, comma-separated (`poles,cables`): one layer (GeoPackage) or sheet (XLSX) each.
    pub kinds: String,
    /// `gpkg` or `xlsx`.
    pub format: String,
    pub crs: Option<String>,
    pub tm3: Option<String>,
    pub bbox: Option<String>,
    pub operator: Option<String>,
    pub status: Option<String>,
    pub ward: Option<String>,
    pub shared: Option<String>,
    pub q: Option<String>,
    pub labels: Option<String>,
}

impl KindsExportParams {
    fn export(self) -> ExportParams {
        ExportParams {
            format: self.format,
            crs: self.crs,
            tm3: self.tm3,
            bbox: self.bbox,
            operator: self.operator,
            status: self.status,
            ward: self.ward,
            shared: self.shared,
            q: self.q,
            labels: self.labels,
        }
    }
}

/// `GET /api/v1/export?kinds=poles,cables&format=gpkg`: several kinds in one
/// file, a GeoPackage layer or an XLSX sheet each, with the filters of the lists.
#[utoipa::path(
    get,
    path = "/export",
    tag = "Import and export",
    operation_id = "export_kinds",
    params(KindsExportParams),
    responses(
        (status = 200, description = "The file (GeoPackage or XLSX).", content(
            (String = "application/geopackage+sqlite3"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 400, description = "An unknown kind or format, or several kinds in a format of one layer."),
        (status = 401, description = "The public exports published towers only.")
    )
)]
pub async fn export_kinds(
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<KindsExportParams>,
) -> ApiResult<Response> {
    let mut kinds = Vec::new();
    for name in params
        .kinds
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let kind = AssetKind::ALL
            .into_iter()
            .find(|k| k.collection() == name)
            .ok_or_else(|| {
                ApiError::Malformed(format!(
                    "unknown kind {name:?}; kinds are collections: towers, poles, ducts, manholes, trenches, cables, cabinets"
                ))
            })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if kinds.is_empty() {
        return Err(ApiError::Malformed(
            "name the kinds to export: kinds=poles,cables".into(),
        ));
    }
    export(kinds, db, principal, ApiQuery(params.export())).await
}

/// Query of an export: the format and CRS, and the filters of the list API.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `geojson`, `csv`, `xlsx`, `gpkg`, `shp` (zipped Shapefile) or `kml`.
    pub format: String,
    /// CRS of the coordinates: `EPSG:4326` (default), `EPSG:4756`, `EPSG:3405`, `TM3:107.5`, …
    pub crs: Option<String>,
    /// Or the province whose VN-2000 TM-3 zone to use (`quang-ngai`, `Kon Tum`, `51`).
    pub tm3: Option<String>,
    pub bbox: Option<String>,
    pub operator: Option<String>,
    pub status: Option<String>,
    pub ward: Option<String>,
    pub shared: Option<String>,
    pub q: Option<String>,
    /// Headers and coded values: `vi` (Vietnamese, the default of `xlsx`), `en`,
    /// or `codes` (attribute names and codes, the default of the other formats;
    /// always for `shp`, whose headers have ten characters).
    pub labels: Option<String>,
}

/// Assets read per round trip.
const PAGE: i64 = 2000;

async fn export(
    kinds: Vec<AssetKind>,
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    // The same rules as the lists: the public exports only published towers.
    for kind in &kinds {
        principal.may_read_kind(*kind)?;
    }
    let viewer = principal.viewer();
    let format = Format::parse(&params.format).ok_or_else(|| {
        ApiError::Malformed(format!(
            "unknown format {:?}; one of geojson, csv, xlsx, gpkg, shp, kml",
            params.format
        ))
    })?;
    if kinds.len() > 1 && !matches!(format, Format::GeoPackage | Format::Xlsx) {
        return Err(ApiError::Malformed(format!(
            "several kinds go into one file as GeoPackage layers or XLSX sheets (format=gpkg or xlsx), not {}",
            params.format
        )));
    }
    let labels = match params.labels.as_deref() {
        _ if format == Format::Shapefile => Labels::Codes,
        None if format == Format::Xlsx => Labels::Vietnamese,
        None => Labels::Codes,
        Some(text) => Labels::parse(text).ok_or_else(|| {
            ApiError::Malformed(format!("unknown labels {text:?}; one of vi, en, codes"))
        })?,
    };
    let crs = crate::import::requested_crs(params.crs.as_deref(), params.tm3.as_deref())
        .map_err(|e| ApiError::Malformed(e.to_string()))?
        .unwrap_or_else(|| Crs::from_srid(coordinates::WGS84));
    if format == Format::Kml && crs.srid != coordinates::WGS84 {
        return Err(ApiError::invalid(
            "crs",
            crate::validation::Problem::new(
                crate::validation::Code::CrsNotAllowed,
                "KML is always in WGS84 longitude/latitude; leave out crs and tm3 for a KML export",
            )
            .with("format", "kml")
            .with("allowed", vec![coordinates::WGS84]),
        ));
    }
    let srs_text: Option<(String, Option<String>, Option<i32>, String)> = sqlx::query_as(
        "select proj4text, auth_name, auth_srid, srtext from spatial_ref_sys where srid = $1",
    )
    .bind(crs.srid)
    .fetch_optional(&db.pool)
    .await?;
    let Some((proj4, auth_name, auth_srid, wkt)) = srs_text else {
        return Err(ApiError::Malformed(format!(
            "EPSG:{} is not a CRS this server knows",
            crs.srid
        )));
    };
    let mut filter = ListParams {
        bbox: params.bbox,
        operator: params.operator,
        status: params.status,
        ward: params.ward,
        shared: params.shared,
        q: params.q,
        limit: None,
        after: None,
    }
    .into_filter()?;
    filter.limit = PAGE;
    let output = Output {
        srid: crs.srid,
        lat_first: false,
    };

    let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, Vec<Value>)>(4);
    let epsg = (auth_name.as_deref() == Some("EPSG"))
        .then_some(auth_srid)
        .flatten();
    if format == Format::GeoJson {
        // Several kinds are refused above for a format of one layer.
        return geojson_export(
            &db.pool,
            kinds[0],
            &mut filter,
            output,
            &viewer,
            crs.srid,
            epsg,
        )
        .await;
    }
    let layers: Vec<LayerPlan> = kinds
        .iter()
        .map(|&kind| LayerPlan {
            kind,
            name: layer_name(kind, format, labels),
            columns: columns(kind, format, crs.srid, labels),
        })
        .collect();
    let srid = crs.srid;
    let writer = tokio::task::spawn_blocking(move || {
        write_file(&layers, format, srid, epsg, &proj4, &wkt, labels, receiver)
    });
    'kinds: for (index, kind) in kinds.iter().enumerate() {
        filter.after = None;
        loop {
            let (features, more) =
                store::list_as(&db.pool, *kind, &filter, output, &viewer).await?;
            filter.after = features.last().map(|f| f.id);
            let parsed: Vec<Value> = features
                .iter()
                .filter_map(|f| serde_json::from_str(&f.feature).ok())
                .collect();
            if !parsed.is_empty() && sender.send((index, parsed)).is_err() {
                break 'kinds;
            }
            if !more {
                break;
            }
        }
    }
    drop(sender);
    let bytes = writer
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(format!("writing the {} failed: {e}", format.driver())))?;
    let file_name = match kinds.as_slice() {
        [kind] => format!("hatang-{}.{}", kind.collection(), format.extension()),
        _ => format!("hatang-tai-san.{}", format.extension()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A column of the exported table and where its value comes from.
struct ExportColumn {
    name: String,
    /// The property of the Feature (`id` for the feature id).
    property: String,
    value_type: ValueType,
    /// Whether its values are codes (written by name when the labels are a language).
    coded: bool,
}

/// One layer (or sheet) of the file: a kind and its columns.
struct LayerPlan {
    kind: AssetKind,
    name: String,
    columns: Vec<ExportColumn>,
}

/// The layer's name: the collection, or for a workbook in a language the kind's name
/// (a sheet "Cột treo cáp").
fn layer_name(kind: AssetKind, format: Format, labels: Labels) -> String {
    let named = match (format, labels) {
        (Format::Xlsx, Labels::Vietnamese) => {
            labels::value_names("kind", kind.as_str()).map(|(vi, _)| vi)
        }
        (Format::Xlsx, Labels::English) => {
            labels::value_names("kind", kind.as_str()).map(|(_, en)| en)
        }
        _ => None,
    };
    named.map_or_else(|| kind.collection().to_string(), str::to_string)
}

/// The columns: the id, every attribute the import takes, then the computed ones.
fn columns(kind: AssetKind, format: Format, srid: i32, labels: Labels) -> Vec<ExportColumn> {
    let name = |attribute: &str| {
        if format == Format::Shapefile {
            short_name(attribute)
        } else {
            labels::header(attribute, labels)
        }
    };
    let mut columns = vec![ExportColumn {
        name: name("id"),
        property: "id".into(),
        value_type: ValueType::Integer,
        coded: false,
    }];
    for target in mapping::targets(kind) {
        if [mapping::X, mapping::Y, mapping::WKT].contains(&target.name.as_str()) {
            continue;
        }
        columns.push(ExportColumn {
            name: name(&target.name),
            property: target.name.clone(),
            value_type: target.value_type,
            coded: !target.codes.is_empty(),
        });
    }
    for computed in COMPUTED.iter().filter(|c| !["kind", "tenants"].contains(c)) {
        let value_type = match *computed {
            "tenant_count" | "free_capacity" | "version" => ValueType::Integer,
            _ => ValueType::Text,
        };
        columns.push(ExportColumn {
            name: name(computed),
            property: computed.to_string(),
            value_type,
            coded: false,
        });
    }
    if format.is_table() {
        let (x, y) = if coordinates::is_projected(srid) {
            ("easting", "northing")
        } else {
            ("longitude", "latitude")
        };
        let column = |header: &str, property: &str, value_type| ExportColumn {
            name: labels::header(header, labels),
            property: property.into(),
            value_type,
            coded: false,
        };
        match kind.shape() {
            Shape::Point => {
                columns.push(column(x, "@x", ValueType::Number));
                columns.push(column(y, "@y", ValueType::Number));
            }
            Shape::Line | Shape::Lines => columns.push(column("wkt", "@wkt", ValueType::Text)),
        }
    }
    columns
}

/// An instant (`2026-12-01T21:25:10.13+00:00`) in Vietnam's time: ISO 8601
/// with its offset for codes, `02/12/2026 04:25:10` in Vietnamese,
/// `2026-12-02 04:25:10` in English.
fn local_time(text: &str, labels: Labels) -> Option<String> {
    let instant = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600)?;
    let local = instant.with_timezone(&vietnam);
    Some(match labels {
        Labels::Codes => local.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        Labels::Vietnamese => local.format("%d/%m/%Y %H:%M:%S").to_string(),
        Labels::English => local.format("%Y-%m-%d %H:%M:%S").to_string(),
    })
}

static EXPORTS: AtomicU64 = AtomicU64::new(0);

/// Writes the features arriving on `receiver` (with the index of their layer)
/// into a file of `format` and returns its bytes.
#[allow(clippy::too_many_arguments)]
fn write_file(
    layers: &[LayerPlan],
    format: Format,
    srid: i32,
    epsg: Option<i32>,
    proj4: &str,
    wkt: &str,
    labels: Labels,
    receiver: std::sync::mpsc::Receiver<(usize, Vec<Value>)>,
) -> gdal::errors::Result<Vec<u8>> {
    let n = EXPORTS.fetch_add(1, Ordering::Relaxed);
    let dir = format!("/vsimem/hatang-export-{}-{n}", std::process::id());
    let base = match layers {
        [one] => one.name.clone(),
        _ => "hatang".to_string(),
    };
    let path = format!("{dir}/{base}.{}", format.extension());
    // GDAL's CSV driver writes a folder of one file per layer.
    let dataset_path = if format == Format::Csv {
        dir.as_str()
    } else {
        path.as_str()
    };
    let result = write_into(
        dataset_path,
        layers,
        format,
        srid,
        epsg,
        proj4,
        wkt,
        labels,
        receiver,
    )
    .and_then(|()| gdal::vsi::get_vsi_mem_file_bytes_owned(&path))
    .and_then(|bytes| {
        if format == Format::Shapefile && srid != coordinates::WGS84 && !wkt.is_empty() {
            with_prj(&bytes, wkt).map_err(|e| gdal::errors::GdalError::BadArgument(e.to_string()))
        } else {
            Ok(bytes)
        }
    });
    let _ = gdal::vsi::unlink_mem_file(&path);
    result
}

#[allow(clippy::too_many_arguments)]
fn write_into(
    path: &str,
    layers: &[LayerPlan],
    format: Format,
    srid: i32,
    epsg: Option<i32>,
    proj4: &str,
    wkt: &str,
    labels: Labels,
    receiver: std::sync::mpsc::Receiver<(usize, Vec<Value>)>,
) -> gdal::errors::Result<()> {
    let driver = DriverManager::get_driver_by_name(format.driver())?;
    let mut dataset: Dataset = driver.create_vector_only(path)?;
    // PostGIS's own definition: named (VN-2000 / TM-3 108°00′, its EPSG code
    // where it has one) and with the datum shift, so readers convert it as
    // Hatang does; a PROJ string would come out as "unknown".
    let mut srs = match (SpatialRef::from_wkt(wkt), epsg) {
        (Ok(srs), _) => srs,
        (Err(_), Some(code)) => SpatialRef::from_epsg(code as u32)?,
        (Err(_), None) => SpatialRef::from_proj4(proj4)?,
    };
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let geometry_type = |kind: AssetKind| match (format.is_table(), kind.shape()) {
        (true, _) => OGRwkbGeometryType::wkbNone,
        (false, Shape::Point) => OGRwkbGeometryType::wkbPoint,
        (false, Shape::Line) => OGRwkbGeometryType::wkbLineString,
        (false, Shape::Lines) if format == Format::Shapefile => OGRwkbGeometryType::wkbLineString,
        (false, Shape::Lines) => OGRwkbGeometryType::wkbMultiLineString,
    };
    let options: &[&str] = match format {
        Format::GeoJson if srid == coordinates::WGS84 => &["RFC7946=YES", "WRITE_NAME=NO"],
        Format::GeoJson => &["RFC7946=NO", "WRITE_NAME=NO"],
        Format::Csv => &["WRITE_BOM=YES"],
        Format::Shapefile => &["ENCODING=UTF-8"],
        _ => &[],
    };
    for plan in layers {
        let layer = dataset.create_layer(LayerOptions {
            name: &plan.name,
            srs: (!format.is_table()).then_some(&srs),
            ty: geometry_type(plan.kind),
            options: Some(options),
        })?;
        for column in &plan.columns {
            let field_type = match column.value_type {
                ValueType::Number => OGRFieldType::OFTReal,
                ValueType::Integer => OGRFieldType::OFTInteger64,
                _ => OGRFieldType::OFTString,
            };
            let definition = FieldDefn::new(&column.name, field_type)?;
            if format == Format::Shapefile && field_type == OGRFieldType::OFTString {
                definition.set_width(254);
            }
            definition.add_to_layer(&layer)?;
        }
    }
    if format == Format::GeoPackage {
        // One transaction: GeoPackage (SQLite) writes row by row otherwise.
        let transaction = dataset.start_transaction()?;
        for (index, features) in receiver {
            let plan = &layers[index];
            let layer = transaction.layer_by_name(&plan.name)?;
            for feature in features {
                write_feature(&layer, &plan.columns, format, labels, &feature)?;
            }
        }
        transaction.commit()?;
    } else {
        for (index, features) in receiver {
            let plan = &layers[index];
            let layer = dataset.layer_by_name(&plan.name)?;
            for feature in features {
                write_feature(&layer, &plan.columns, format, labels, &feature)?;
            }
        }
    }
    dataset.close()
}

/// A zipped Shapefile with its `.prj` replaced by `wkt` (OGC WKT with the
/// datum shift): GDAL writes the ESRI flavour, which has no TOWGS84, so a
/// reader of a zone without an EPSG code would leave out VN-2000's shift
/// (about 225 m) or call the CRS "unknown".
fn with_prj(zipped: &[u8], wkt: &str) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(zipped))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut wrote_prj = false;
    let mut stem = String::from("layer");
    for i in 0..source.len() {
        let mut entry = source.by_index(i)?;
        let name = entry.name().to_string();
        out.start_file(&name, options)?;
        if name.to_ascii_lowercase().ends_with(".prj") {
            out.write_all(wkt.as_bytes())?;
            wrote_prj = true;
        } else {
            if let Some(s) = name.strip_suffix(".shp") {
                stem = s.to_string();
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            out.write_all(&bytes)?;
        }
    }
    if !wrote_prj {
        out.start_file(format!("{stem}.prj"), options)?;
        out.write_all(wkt.as_bytes())?;
    }
    Ok(out.finish()?.into_inner())
}

/// The GeoJSON export, written here rather than by GDAL so that values keep
/// their JSON types (booleans, lists, numbers), coordinates keep the API's
/// precision (7 decimals of a degree, millimetres), and a file in another CRS
/// than WGS84 says so in a `crs` member (the EPSG URN, or for a TM-3 zone
/// without an EPSG code its full WKT, which GDAL and QGIS read).
async fn geojson_export(
    pool: &sqlx::PgPool,
    kind: AssetKind,
    filter: &mut crate::assets::store::ListFilter,
    output: Output,
    viewer: &crate::policy::Viewer,
    srid: i32,
    epsg: Option<i32>,
) -> ApiResult<Response> {
    let keep: Vec<String> = columns(kind, Format::GeoJson, srid, Labels::Codes)
        .into_iter()
        .map(|c| c.property)
        .collect();
    let mut body = String::from("{\"type\":\"FeatureCollection\"");
    if srid != coordinates::WGS84 {
        let name = match epsg {
            Some(code) => format!("urn:ogc:def:crs:EPSG::{code}"),
            None => {
                sqlx::query_scalar::<_, String>(
                    "select srtext from spatial_ref_sys where srid = $1",
                )
                .bind(srid)
                .fetch_one(pool)
                .await?
            }
        };
        body.push_str(",\"crs\":");
        body.push_str(
            &serde_json::json!({"type": "name", "properties": {"name": name}}).to_string(),
        );
    }
    body.push_str(",\"features\":[");
    let mut first = true;
    loop {
        let (features, more) = store::list_as(pool, kind, filter, output, viewer).await?;
        filter.after = features.last().map(|f| f.id);
        for stored in &features {
            let Ok(mut feature) = serde_json::from_str::<Value>(&stored.feature) else {
                continue;
            };
            if let Some(properties) = feature["properties"].as_object_mut() {
                properties.retain(|name, _| keep.iter().any(|k| k == name));
            }
            if !first {
                body.push(',');
            }
            first = false;
            body.push_str(&feature.to_string());
        }
        if !more {
            break;
        }
    }
    body.push_str("]}\n");
    let file_name = format!("hatang-{}.geojson", kind.collection());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                Format::GeoJson.media_type().to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// A text cell; in a spreadsheet, never one that would run as a formula.
fn cell_text(format: Format, text: &str) -> std::borrow::Cow<'_, str> {
    if format.is_table() {
        crate::tabular::safe_text(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn write_feature<L: LayerAccess>(
    layer: &L,
    columns: &[ExportColumn],
    format: Format,
    labels: Labels,
    feature: &Value,
) -> gdal::errors::Result<()> {
    let mut out = gdal::vector::Feature::new(layer.defn())?;
    let properties = &feature["properties"];
    for (i, column) in columns.iter().enumerate() {
        let value = match column.property.as_str() {
            "id" => feature["id"].clone(),
            "@x" => feature["geometry"]["coordinates"][0].clone(),
            "@y" => feature["geometry"]["coordinates"][1].clone(),
            "@wkt" => {
                let geometry =
                    gdal::vector::Geometry::from_geojson(&feature["geometry"].to_string())?;
                Value::String(geometry.wkt()?)
            }
            "created_at" | "updated_at" => {
                let text = properties[column.property.as_str()]
                    .as_str()
                    .unwrap_or_default();
                local_time(text, labels).map_or(Value::Null, Value::String)
            }
            "shared" if labels != Labels::Codes => match properties["shared"].as_bool() {
                Some(true) => Value::String(labels::value("@bool", "true", labels)),
                Some(false) => Value::String(labels::value("@bool", "false", labels)),
                None => Value::Null,
            },
            name if column.coded && labels != Labels::Codes => {
                let name_of = |v: &Value| match v {
                    Value::String(code) => Value::String(labels::value(name, code, labels)),
                    other => other.clone(),
                };
                match &properties[name] {
                    Value::Array(items) => Value::Array(items.iter().map(name_of).collect()),
                    other => name_of(other),
                }
            }
            name => properties[name].clone(),
        };
        match (&value, column.value_type) {
            (Value::Null, _) => out.set_field_null(i)?,
            (v, ValueType::Number) => {
                if let Some(f) = v.as_f64() {
                    out.set_field_double(i, f)?;
                }
            }
            (v, ValueType::Integer) => {
                if let Some(n) = v.as_i64() {
                    out.set_field_integer64(i, n)?;
                }
            }
            (Value::Array(items), ValueType::TextList | ValueType::IntegerList) => {
                let text: Vec<String> = items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                out.set_field_string(i, &cell_text(format, &text.join(",")))?;
            }
            (Value::String(s), _) => out.set_field_string(i, &cell_text(format, s))?,
            (other, _) => out.set_field_string(i, &cell_text(format, &other.to_string()))?,
        }
    }
    if !format.is_table() {
        let geometry = gdal::vector::Geometry::from_geojson(&feature["geometry"].to_string())?;
        out.set_geometry(geometry)?;
    }
    out.create(layer)
}
