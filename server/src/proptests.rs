//! Property tests (issue 13): arbitrary bytes and arbitrarily broken files
//! never make an input path panic. Every import parser (GeoJSON, CSV, XLSX,
//! zipped Shapefile, GeoPackage, KML, read by GDAL) and the GeoJSON input
//! path of the API (JSON body → duplicate-key check → Feature → geometry) is
//! fed generated input; the test passes when each returns a value or an error.
//! That nothing is stored from a broken file is checked end to end in
//! `tests/api/hardening.rs`. Case counts: `PROPTEST_CASES` (default below).

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::assets::AssetKind;
use crate::assets::input::AssetInput;
use crate::import::archive::ArchiveLimits;
use crate::import::source::{self, Format, SourceFile};

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Arbitrary JSON values, numbers of every size included.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        (-200.0..200.0f64).prop_map(Value::from),
        (1e5..3e6f64).prop_map(Value::from),
        "[a-zA-Zđơư =+@\\-]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("Point"),
            Just("LineString"),
            Just("Polygon"),
            Just("MultiPolygon"),
            Just("MultiLineString"),
            Just("GeometryCollection"),
            Just("Feature")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("type".to_string()),
                        Just("coordinates".to_string()),
                        Just("geometry".to_string()),
                        Just("properties".to_string()),
                        Just("crs".to_string()),
                        Just("code".to_string()),
                        Just("operator".to_string()),
                        "[a-z_]{1,8}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A geometry-shaped value: the right keys, arbitrary (often wrong) content.
fn geometry_value() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just("Point"),
            Just("LineString"),
            Just("Polygon"),
            Just("MultiPolygon"),
            Just("MultiLineString")
        ],
        json_value(),
    )
        .prop_map(|(t, coordinates)| json!({"type": t, "coordinates": coordinates}))
}

const KINDS: [AssetKind; 7] = AssetKind::ALL;

proptest! {
    #![proptest_config(cases(2000))]

    #[test]
    fn the_json_body_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = crate::http::json::parse_json::<Value>(&bytes);
    }

    #[test]
    fn the_json_body_reader_never_panics_on_json_like_text(text in "[\\[\\]{}\":,0-9.eE+\\- a-z]{0,200}") {
        let _ = crate::http::json::parse_json::<Value>(text.as_bytes());
    }

    #[test]
    fn geometry_input_never_panics(geometry in geometry_value(), crs in json_value()) {
        let mut problems = crate::http::error::Problems::new();
        let _ = crate::geometry::parse("geometry", Some(&geometry), Some(&crs), crate::geometry::GeometryType::ALL, &mut problems);
    }

    #[test]
    fn a_feature_of_any_shape_is_parsed_or_refused_never_a_panic(
        kind in 0usize..7,
        geometry in geometry_value(),
        properties in json_value(),
        extra in json_value(),
    ) {
        let feature = json!({"type": "Feature", "geometry": geometry, "properties": properties, "crs": extra});
        let _ = AssetInput::parse(KINDS[kind], feature);
    }
}

/// Small valid files of each import format, to break.
fn seeds() -> Vec<(Format, &'static str, Vec<u8>)> {
    let geojson = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[108.8,15.11]},"properties":{"code":"P1","height_m":8,"material":"steel"}}]}"#.to_vec();
    let csv = b"code,x,y,height_m,material\nP1,108.8,15.11,8,steel\nP2,108.81,15.12,9,concrete\n"
        .to_vec();
    let kml = r#"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>P1</name><ExtendedData><Data name="Chiều cao"><value>8</value></Data></ExtendedData><Point><coordinates>108.8,15.11</coordinates></Point></Placemark></Document></kml>"#.as_bytes().to_vec();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in ["code", "x", "y", "height_m"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "P1").unwrap();
    sheet.write_number(1, 1, 108.8).unwrap();
    sheet.write_number(1, 2, 15.11).unwrap();
    sheet.write_number(1, 3, 8.0).unwrap();
    let xlsx = workbook.save_to_buffer().unwrap();
    vec![
        (Format::GeoJson, "cot.geojson", geojson),
        (Format::Csv, "cot.csv", csv),
        (Format::Kml, "cot.kml", kml),
        (Format::Xlsx, "cot.xlsx", xlsx),
    ]
}

/// Opens and reads `bytes` as an import would; errors are fine, panics are not.
fn read_as(format: Format, name: &str, bytes: Vec<u8>) {
    let Ok(file) = SourceFile::in_memory(name, format, bytes, &ArchiveLimits::default()) else {
        return;
    };
    if source::overview(&file, None, 5).is_ok() {
        let _ = source::read_rows(&file, None, 10_000, 100, |_| true);
    }
}

/// A broken copy of `bytes`: cut, with bytes flipped or inserted.
fn broken() -> impl Strategy<Value = (usize, Vec<(usize, u8)>, usize)> {
    (
        any::<usize>(),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..16),
        0usize..3,
    )
}

fn apply(mut bytes: Vec<u8>, (cut, flips, mode): (usize, Vec<(usize, u8)>, usize)) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    for (at, value) in flips {
        let at = at % bytes.len();
        match mode {
            0 => bytes[at] = value,
            1 => bytes.insert(at, value),
            _ => bytes[at] ^= value,
        }
    }
    if cut % 3 == 0 {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes
}

proptest! {
    #![proptest_config(cases(300))]

    #[test]
    fn every_import_parser_survives_arbitrary_bytes(format in 0usize..6, bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let formats = [
            (Format::GeoJson, "x.geojson"), (Format::Csv, "x.csv"), (Format::Kml, "x.kml"),
            (Format::Xlsx, "x.xlsx"), (Format::Shapefile, "x.zip"), (Format::GeoPackage, "x.gpkg"),
        ];
        let (format, name) = formats[format];
        read_as(format, name, bytes);
    }

    #[test]
    fn every_import_parser_survives_broken_files(seed in 0usize..4, damage in broken()) {
        let (format, name, bytes) = seeds().swap_remove(seed);
        read_as(format, name, apply(bytes, damage));
    }
}
