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

use crate::accounts::policy::Principal;
use crate::assets::handlers::ListParams;
use crate::assets::kind::Shape;
use crate::assets::store::{self, Output};
use crate::assets::{AssetKind, input::COMPUTED};
use crate::coordinates::{self, Crs};
use crate::http::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::import::mapping::{self, ValueType, short_name};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Csv,
    Xlsx,
    GeoPackage,
    Shapefile,
}

impl Format {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Self::GeoJson,
            "csv" => Self::Csv,
            "xlsx" => Self::Xlsx,
            "gpkg" | "geopackage" => Self::GeoPackage,
            "shp" | "shapefile" | "zip" => Self::Shapefile,
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
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::GeoPackage => "gpkg",
            Self::Shapefile => "shp.zip",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::GeoJson => "application/geo+json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::GeoPackage => "application/geopackage+sqlite3",
            Self::Shapefile => "application/zip",
        }
    }

    /// Tables carry coordinates in columns, not geometries.
    fn is_table(self) -> bool {
        matches!(self, Self::Csv | Self::Xlsx)
    }
}

/// Routes under `/api/v1`: `/{kind}/export` for every kind.
pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new();
    for kind in AssetKind::ALL {
        router = router.route(
            &format!("/{}/export", kind.collection()),
            get(move |db, principal, query| export(kind, db, principal, query)),
        );
    }
    router
}

/// Query of an export: the format and CRS, and the filters of the list API.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `geojson`, `csv`, `xlsx`, `gpkg` or `shp` (zipped Shapefile).
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
}

/// Assets read per round trip.
const PAGE: i64 = 2000;

async fn export(
    kind: AssetKind,
    db: ReadDb,
    principal: Principal,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    // The same rules as the lists: the public exports only published towers.
    let viewer = principal.viewer();
    if viewer.public && kind != AssetKind::Tower {
        return Err(ApiError::unauthorized(format!(
            "log in to export {}",
            kind.collection()
        )));
    }
    let format = Format::parse(&params.format).ok_or_else(|| {
        ApiError::Malformed(format!(
            "unknown format {:?}; one of geojson, csv, xlsx, gpkg, shp",
            params.format
        ))
    })?;
    let crs = crate::import::requested_crs(params.crs.as_deref(), params.tm3.as_deref())
        .map_err(|e| ApiError::Malformed(e.to_string()))?
        .unwrap_or_else(|| Crs::from_srid(coordinates::WGS84));
    let srs_text: Option<(String, Option<String>, Option<i32>)> = sqlx::query_as(
        "select proj4text, auth_name, auth_srid from spatial_ref_sys where srid = $1",
    )
    .bind(crs.srid)
    .fetch_optional(&db.pool)
    .await?;
    let Some((proj4, auth_name, auth_srid)) = srs_text else {
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

    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Value>>(4);
    let epsg = (auth_name.as_deref() == Some("EPSG"))
        .then_some(auth_srid)
        .flatten();
    let writer = tokio::task::spawn_blocking(move || {
        write_file(kind, format, crs.srid, epsg, &proj4, receiver)
    });
    loop {
        let (features, more) = store::list_as(&db.pool, kind, &filter, output, &viewer).await?;
        filter.after = features.last().map(|f| f.id);
        let parsed: Vec<Value> = features
            .iter()
            .filter_map(|f| serde_json::from_str(&f.feature).ok())
            .collect();
        if !parsed.is_empty() && sender.send(parsed).is_err() {
            break;
        }
        if !more {
            break;
        }
    }
    drop(sender);
    let bytes = writer
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(format!("writing the {} failed: {e}", format.driver())))?;
    let file_name = format!("hatang-{}.{}", kind.collection(), format.extension());
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
}

/// The columns: the id, every attribute the import takes, then the computed ones.
fn columns(kind: AssetKind, format: Format, srid: i32) -> Vec<ExportColumn> {
    let name = |attribute: &str| {
        if format == Format::Shapefile {
            short_name(attribute)
        } else {
            attribute.to_string()
        }
    };
    let mut columns = vec![ExportColumn {
        name: "id".into(),
        property: "id".into(),
        value_type: ValueType::Integer,
    }];
    for target in mapping::targets(kind) {
        if [mapping::X, mapping::Y, mapping::WKT].contains(&target.name.as_str()) {
            continue;
        }
        columns.push(ExportColumn {
            name: name(&target.name),
            property: target.name.clone(),
            value_type: target.value_type,
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
        });
    }
    if format.is_table() {
        let (x, y) = if coordinates::is_projected(srid) {
            ("easting", "northing")
        } else {
            ("longitude", "latitude")
        };
        match kind.shape() {
            Shape::Point => {
                columns.push(ExportColumn {
                    name: x.into(),
                    property: "@x".into(),
                    value_type: ValueType::Number,
                });
                columns.push(ExportColumn {
                    name: y.into(),
                    property: "@y".into(),
                    value_type: ValueType::Number,
                });
            }
            Shape::Line | Shape::Lines => {
                columns.push(ExportColumn {
                    name: "wkt".into(),
                    property: "@wkt".into(),
                    value_type: ValueType::Text,
                });
            }
        }
    }
    columns
}

static EXPORTS: AtomicU64 = AtomicU64::new(0);

/// Writes the features arriving on `receiver` into a file of `format` and
/// returns its bytes.
fn write_file(
    kind: AssetKind,
    format: Format,
    srid: i32,
    epsg: Option<i32>,
    proj4: &str,
    receiver: std::sync::mpsc::Receiver<Vec<Value>>,
) -> gdal::errors::Result<Vec<u8>> {
    let n = EXPORTS.fetch_add(1, Ordering::Relaxed);
    let dir = format!("/vsimem/hatang-export-{}-{n}", std::process::id());
    let path = format!("{dir}/{}.{}", kind.collection(), format.extension());
    // GDAL's CSV driver writes a folder of one file per layer.
    let dataset_path = if format == Format::Csv {
        dir.as_str()
    } else {
        path.as_str()
    };
    let result = write_into(dataset_path, kind, format, srid, epsg, proj4, receiver)
        .and_then(|()| gdal::vsi::get_vsi_mem_file_bytes_owned(&path));
    let _ = gdal::vsi::unlink_mem_file(&path);
    result
}

fn write_into(
    path: &str,
    kind: AssetKind,
    format: Format,
    srid: i32,
    epsg: Option<i32>,
    proj4: &str,
    receiver: std::sync::mpsc::Receiver<Vec<Value>>,
) -> gdal::errors::Result<()> {
    let driver = DriverManager::get_driver_by_name(format.driver())?;
    let mut dataset: Dataset = driver.create_vector_only(path)?;
    let mut srs = match epsg {
        Some(code) => SpatialRef::from_epsg(code as u32)?,
        None => SpatialRef::from_proj4(proj4)?,
    };
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let geometry_type = match (format.is_table(), kind.shape()) {
        (true, _) => OGRwkbGeometryType::wkbNone,
        (false, Shape::Point) => OGRwkbGeometryType::wkbPoint,
        (false, Shape::Line) => OGRwkbGeometryType::wkbLineString,
        (false, Shape::Lines) if format == Format::Shapefile => OGRwkbGeometryType::wkbLineString,
        (false, Shape::Lines) => OGRwkbGeometryType::wkbMultiLineString,
    };
    let options: &[&str] = match format {
        Format::GeoJson if srid == coordinates::WGS84 => &["RFC7946=YES", "WRITE_NAME=NO"],
        Format::GeoJson => &["RFC7946=NO", "WRITE_NAME=NO", "COORDINATE_PRECISION=3"],
        Format::Csv => &["WRITE_BOM=YES"],
        Format::Shapefile => &["ENCODING=UTF-8"],
        _ => &[],
    };
    let columns = columns(kind, format, srid);
    {
        let layer = dataset.create_layer(LayerOptions {
            name: kind.collection(),
            srs: (!format.is_table()).then_some(&srs),
            ty: geometry_type,
            options: Some(options),
        })?;
        for column in &columns {
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
        write_all(
            &transaction.layer_by_name(kind.collection())?,
            &columns,
            format,
            receiver,
        )?;
        transaction.commit()?;
    } else {
        write_all(
            &dataset.layer_by_name(kind.collection())?,
            &columns,
            format,
            receiver,
        )?;
    }
    dataset.close()
}

fn write_all<L: LayerAccess>(
    layer: &L,
    columns: &[ExportColumn],
    format: Format,
    receiver: std::sync::mpsc::Receiver<Vec<Value>>,
) -> gdal::errors::Result<()> {
    for features in receiver {
        for feature in features {
            write_feature(layer, columns, format, &feature)?;
        }
    }
    Ok(())
}

fn write_feature<L: LayerAccess>(
    layer: &L,
    columns: &[ExportColumn],
    format: Format,
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
                out.set_field_string(i, &text.join(","))?;
            }
            (Value::String(s), _) => out.set_field_string(i, s)?,
            (other, _) => out.set_field_string(i, &other.to_string())?,
        }
    }
    if !format.is_table() {
        let geometry = gdal::vector::Geometry::from_geojson(&feature["geometry"].to_string())?;
        out.set_geometry(geometry)?;
    }
    out.create(layer)
}
