//! Importing operators' files: every format (written by GDAL's own ogr2ogr),
//! the mapping step, VN-2000 coordinates checked against PROJ's cs2cs,
//! swapped axes and wrong meridians refused, malformed files refused with
//! nothing stored, re-imports updating instead of duplicating, and the
//! command line.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Reply, TestApp, cs2cs, spawn_app, spawn_app_with};

/// The datum shift VN-2000 → WGS84 of Decision 05/2007/QĐ-BTNMT, written out
/// here rather than read from the server, for the expected values.
pub const VN2000_TOWGS84: &str = "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278";

/// A VN-2000 TM-3 zone as a PROJ string, independent of the server's tables.
pub fn tm3_proj(meridian: f64) -> String {
    format!(
        "+proj=tmerc +lat_0=0 +lon_0={meridian} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 {VN2000_TOWGS84} +units=m +no_defs"
    )
}

/// WGS84 (lon, lat) → TM-3 (easting, northing), by cs2cs.
pub async fn to_tm3(meridian: f64, lon: f64, lat: f64) -> (f64, f64) {
    cs2cs(
        "+proj=longlat +datum=WGS84 +no_defs",
        &tm3_proj(meridian),
        lon,
        lat,
    )
    .await
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hatang-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Uploads a file; `query` adds parameters (`&tm3=quang-ngai`).
pub async fn upload(
    app: &TestApp,
    kind: &str,
    operator: &str,
    name: &str,
    bytes: Vec<u8>,
    query: &str,
) -> Reply {
    app.send(
        app.client
            .post(app.url(&format!(
                "/api/v1/imports?kind={kind}&operator={operator}&file_name={name}{query}"
            )))
            .header("content-type", "application/octet-stream")
            .body(bytes),
    )
    .await
}

/// Starts `validate` or `commit` and waits for the job to finish.
pub async fn run(app: &TestApp, id: i64, step: &str) -> Value {
    let started = app
        .post_json(&format!("/api/v1/imports/{id}/{step}"), &json!({}))
        .await;
    assert_eq!(started.status, 202, "{step}: {}", started.text);
    wait(app, id).await
}

pub async fn wait(app: &TestApp, id: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let job = app.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!(job.status, 200, "{}", job.text);
        let status = job.body["status"].as_str().unwrap().to_string();
        if !["validating", "committing"].contains(&status.as_str()) {
            return job.body;
        }
        assert!(
            Instant::now() < deadline,
            "import job {id} did not finish: {}",
            job.text
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Uploads and commits; returns the finished job.
pub async fn import(
    app: &TestApp,
    kind: &str,
    operator: &str,
    name: &str,
    bytes: Vec<u8>,
    query: &str,
) -> Value {
    let uploaded = upload(app, kind, operator, name, bytes, query).await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let id = uploaded.body["id"].as_i64().unwrap();
    run(app, id, "commit").await
}

pub async fn asset_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from asset")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn pole_feature(code: &str, lon: f64, lat: f64, height: f64) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
           "properties": {"code": code, "material": "concrete", "height_m": height, "purpose": "telecom", "note": "Cột mới"}})
}

fn collection(features: Vec<Value>) -> Vec<u8> {
    json!({"type": "FeatureCollection", "features": features})
        .to_string()
        .into_bytes()
}

/// Converts a GeoJSON file into another format with ogr2ogr.
pub async fn ogr2ogr(
    dir: &Path,
    geojson: &[u8],
    out_name: &str,
    driver: &str,
    extra: &[&str],
) -> Vec<u8> {
    convert(dir, geojson, "input.geojson", out_name, driver, extra).await
}

/// Converts a file (named `input_name`) with ogr2ogr.
pub async fn convert(
    dir: &Path,
    bytes: &[u8],
    input_name: &str,
    out_name: &str,
    driver: &str,
    extra: &[&str],
) -> Vec<u8> {
    let input = dir.join(input_name);
    std::fs::write(&input, bytes).unwrap();
    let out = dir.join(out_name);
    let _ = std::fs::remove_file(&out);
    let mut args = vec!["-f".to_string(), driver.to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(out.display().to_string());
    args.push(input.display().to_string());
    let output = tokio::process::Command::new("ogr2ogr")
        .args(&args)
        .output()
        .await
        .expect("ogr2ogr runs");
    assert!(
        output.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(&out).unwrap()
}

#[tokio::test]
async fn a_geojson_file_is_previewed_mapped_and_imported_with_history() {
    let app = spawn_app().await;
    let file = collection(vec![
        pole_feature("VNPT-P-1", 108.800, 15.110, 8.5),
        pole_feature("VNPT-P-2", 108.801, 15.111, 10.0),
    ]);
    let uploaded = upload(&app, "poles", "VNPT", "cot.geojson", file, "").await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let job = &uploaded.body;
    assert_eq!(job["status"], "uploaded");
    assert_eq!(job["mapping"]["code"], "code");
    assert_eq!(job["mapping"]["height_m"], "height_m");
    assert_eq!(job["preview"]["feature_count"], 2);
    assert_eq!(job["preview"]["crs"]["srid"], 4326);
    assert!(
        job["preview"]["rows"][0]["problems"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{job}"
    );
    let id = job["id"].as_i64().unwrap();

    let validated = run(&app, id, "validate").await;
    assert_eq!(validated["status"], "validated", "{validated}");
    assert_eq!(validated["result"]["created"], 2);
    assert_eq!(asset_count(&app).await, 0, "validation writes nothing");

    let committed = run(&app, id, "commit").await;
    assert_eq!(committed["status"], "committed", "{committed}");
    assert_eq!(committed["result"]["created"], 2);
    assert_eq!(committed["progress"]["processed_rows"], 2);
    let poles = app.get("/api/v1/poles?operator=VNPT").await;
    let features = poles.body["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["ward_code"], "21031");
    assert_eq!(features[0]["properties"]["note"], "Cột mới");
    let history = app.history(features[0]["id"].as_i64().unwrap()).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["action"], "create");
    assert_eq!(
        history[0]["actor"],
        format!("user:admin (import:{id})"),
        "the history names who imported"
    );
    // The bulk history writes the same snapshot as single writes do.
    let same: bool =
        sqlx::query_scalar("select bool_and(after = asset_snapshot(asset_id)) from asset_history")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(same, "import history differs from asset_snapshot");
    // A committed job cannot run again.
    let again = app
        .post_json(&format!("/api/v1/imports/{id}/commit"), &json!({}))
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
}

#[tokio::test]
async fn bulk_history_is_byte_identical_to_single_writes_and_the_chain_holds() {
    let app = spawn_app().await;
    // Entries chained by the trigger before, between and after the imports.
    let mut first = pole_feature("VNPT-SINGLE", 108.803, 15.113, 9.0);
    first["properties"]["operator"] = json!("VNPT");
    let single = app.post_json("/api/v1/poles", &first).await;
    assert_eq!(single.status, 201, "{}", single.text);
    let mut poles = vec![
        pole_feature("VNPT-P-1", 108.800, 15.110, 8.5),
        pole_feature("VNPT-P-2", 108.801, 15.111, 10.0),
    ];
    poles[1]["properties"]["note"] = json!("Cột \"cũ\" \\ góc đường");
    poles[1]["properties"]["name"] = json!("Trụ số 2");
    poles[1]["properties"]["accuracy_m"] = json!(0.25);
    poles[1]["properties"]["capacity"] = json!(6);
    let job = import(&app, "poles", "VNPT", "cot.geojson", collection(poles), "").await;
    assert_eq!(job["result"]["created"], 2, "{job}");
    let towers = collection(vec![json!({"type": "Feature",
        "geometry": {"type": "Point", "coordinates": [108.8005, 15.1105]},
        "properties": {"code": "VNPT-T-1", "tower_class": "A2b", "height_m": 42.5, "structure": "lattice",
                       "placement": "ground", "technologies": ["4G", "5G"], "capacity": 3}})]);
    let job = import(&app, "towers", "VNPT", "tram.geojson", towers, "").await;
    assert_eq!(job["result"]["created"], 1, "{job}");
    // The documents are those asset_snapshot gives, to the byte.
    let differing: Vec<String> = sqlx::query_scalar(
        "select h.after::text from asset_history h
         where h.action = 'create' and h.after::text <> asset_snapshot(h.asset_id)::text",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(differing.is_empty(), "{differing:?}");
    // Each hash is the one the trigger's digest gives, each link the one before.
    let (entries, hashed): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where h.hash = asset_history_digest(h)) from asset_history h",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((entries, hashed), (4, 4));
    // Wards as the trigger derives them.
    let wards_right: bool = sqlx::query_scalar(
        "select bool_and(ward_id is not distinct from ward_for(geom)) and count(ward_id) = 4 from asset",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(wards_right);
    let id: i64 = sqlx::query_scalar("select id from asset where code = 'VNPT-P-2'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let patched = app
        .patch_json(
            &format!("/api/v1/poles/{id}"),
            &json!({"properties": {"height_m": 11.0}}),
            None,
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let report = app.get("/api/v1/history/verify").await;
    assert_eq!(report.body["intact"], true, "{}", report.text);
    assert_eq!(report.body["entries"], 5);
    let history = app.history(id).await;
    assert_eq!(history.len(), 2);
    let changes: Vec<&str> = history[1]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["height_m"]);
}

#[tokio::test]
async fn re_importing_updates_by_the_operators_code_instead_of_duplicating() {
    let app = spawn_app().await;
    let first = collection(vec![
        pole_feature("VNPT-P-1", 108.800, 15.110, 8.5),
        pole_feature("VNPT-P-2", 108.801, 15.111, 10.0),
    ]);
    let job = import(&app, "poles", "VNPT", "cot.geojson", first.clone(), "").await;
    assert_eq!(job["result"]["created"], 2, "{job}");
    let again = import(&app, "poles", "VNPT", "cot.geojson", first, "").await;
    assert_eq!(again["status"], "committed", "{again}");
    assert_eq!(
        again["result"],
        json!({"created": 0, "updated": 0, "unchanged": 2})
    );
    let changed = collection(vec![
        pole_feature("VNPT-P-1", 108.800, 15.110, 9.5),
        pole_feature("VNPT-P-2", 108.801, 15.111, 10.0),
        pole_feature("VNPT-P-3", 108.802, 15.112, 7.0),
    ]);
    let third = import(&app, "poles", "VNPT", "cot.geojson", changed, "").await;
    assert_eq!(
        third["result"],
        json!({"created": 1, "updated": 1, "unchanged": 1}),
        "{third}"
    );
    assert_eq!(asset_count(&app).await, 3);
    let p1 = app.get("/api/v1/poles?q=VNPT-P-1").await;
    let p1 = &p1.body["features"][0];
    assert_eq!(p1["properties"]["height_m"], 9.5);
    assert_eq!(p1["properties"]["version"], 2);
    let history = app.history(p1["id"].as_i64().unwrap()).await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["action"], "update");
    let changes: Vec<&str> = history[1]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["height_m"]);
    // The same code of another operator is another asset.
    let viettel = import(
        &app,
        "poles",
        "VIETTEL",
        "cot.geojson",
        collection(vec![pole_feature("VNPT-P-1", 108.8, 15.11, 8.5)]),
        "",
    )
    .await;
    assert_eq!(viettel["result"]["created"], 1, "{viettel}");
}

#[tokio::test]
async fn vn2000_tm3_coordinates_in_x_y_columns_land_on_independent_control_points() {
    let app = spawn_app().await;
    // Control points in Chánh Lộ, their TM-3 coordinates computed by PROJ's
    // cs2cs: Quảng Ngãi's zone (108°00′) and Kon Tum's (107°30′, no EPSG code).
    let points = [
        (108.8012345, 15.1123456),
        (108.8101, 15.1201),
        (108.7963, 15.1077),
    ];
    for (province, meridian) in [("quang-ngai", 108.0), ("kon-tum", 107.5)] {
        let mut csv = String::from("Mã cột;X;Y;Chiều cao;Vật liệu\n");
        for (i, (lon, lat)) in points.iter().enumerate() {
            let (easting, northing) = to_tm3(meridian, *lon, *lat).await;
            // Surveyors' convention: X is the northing, Y the easting; decimal commas.
            csv.push_str(&format!(
                "{province}-{i};{};{};8,5;concrete\n",
                format!("{northing:.3}").replace('.', ","),
                format!("{easting:.3}").replace('.', ",")
            ));
        }
        let uploaded = upload(
            &app,
            "poles",
            "EVNCPC",
            "khao-sat.csv",
            csv.into_bytes(),
            &format!("&tm3={province}"),
        )
        .await;
        assert_eq!(uploaded.status, 201, "{}", uploaded.text);
        let preview = &uploaded.body["preview"];
        assert_eq!(uploaded.body["mapping"]["X"], "y", "{preview}");
        assert_eq!(uploaded.body["mapping"]["Y"], "x", "{preview}");
        assert!(
            preview["notes"].to_string().contains("northing"),
            "{preview}"
        );
        let id = uploaded.body["id"].as_i64().unwrap();
        let job = run(&app, id, "commit").await;
        assert_eq!(job["status"], "committed", "{job}");
        for (i, (lon, lat)) in points.iter().enumerate() {
            let distance: f64 = sqlx::query_scalar(
                "select ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) from asset where code = $1",
            )
            .bind(format!("{province}-{i}"))
            .bind(lon)
            .bind(lat)
            .fetch_one(&app.pool)
            .await
            .unwrap();
            assert!(distance < 0.1, "{province} point {i} is {distance} m off");
        }
    }
}

#[tokio::test]
async fn hatang_tm3_zones_agree_with_epsg_where_epsg_has_one() {
    let app = spawn_app().await;
    for (epsg, srid) in [(5897, 910500), (5898, 910800)] {
        let (a, b): (f64, f64) = sqlx::query_as(
            "select ST_Distance(ST_Transform(p, $1), ST_Transform(ST_Transform(p, $2), $1)),
                    ST_Distance(ST_Transform(ST_Transform(p, $1), 4326)::geography, p::geography)
             from ST_SetSRID(ST_MakePoint(106.5, 16.5), 4326) p",
        )
        .bind(epsg)
        .bind(srid)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert!(a < 0.001, "EPSG:{epsg} and {srid} differ by {a} m");
        assert!(b < 0.001);
    }
    let expected = cs2cs("EPSG:4326", "EPSG:5898", 15.1123456, 108.8012345).await;
    let (x, y): (f64, f64) = sqlx::query_as(
        "select ST_X(g), ST_Y(g) from ST_Transform(ST_SetSRID(ST_MakePoint(108.8012345, 15.1123456), 4326), 910800) g",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        (x - expected.0).abs() < 0.1 && (y - expected.1).abs() < 0.1,
        "({x}, {y}) vs {expected:?}"
    );
}

#[tokio::test]
async fn a_file_with_x_and_y_swapped_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let (easting, northing) = to_tm3(108.0, 108.80, 15.11).await;
    // A GeoPackage-like GeoJSON whose geometry carries (northing, easting).
    let file = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [northing, easting]},
         "properties": {"code": "SW-1", "material": "steel", "height_m": 9.0}}]});
    let uploaded = upload(
        &app,
        "poles",
        "VNPT",
        "swapped.geojson",
        file.to_string().into_bytes(),
        "&tm3=quang-ngai",
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let job = run(&app, uploaded.body["id"].as_i64().unwrap(), "commit").await;
    assert_eq!(job["status"], "invalid", "{job}");
    let problem = job["problems"][0]["problem"].as_str().unwrap();
    assert!(problem.contains("swapped"), "{problem}");
    assert!(problem.contains("northing"), "{problem}");
    assert_eq!(job["problems"][0]["row"], 1);
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn a_wrong_central_meridian_is_named_instead_of_importing_points_54_km_off() {
    let app = spawn_app().await;
    // Surveyed in Kon Tum's zone (107°30′), declared as Quảng Ngãi's (108°00′).
    let mut csv = String::from("code,easting,northing,material,height_m\n");
    for i in 0..5 {
        let (e, n) = to_tm3(107.5, 108.797 + 0.003 * i as f64, 15.11).await;
        csv.push_str(&format!("KT-{i},{e:.3},{n:.3},concrete,8\n"));
    }
    let uploaded = upload(
        &app,
        "poles",
        "VNPT",
        "kontum.csv",
        csv.into_bytes(),
        "&tm3=quang-ngai",
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let job = run(&app, uploaded.body["id"].as_i64().unwrap(), "validate").await;
    assert_eq!(job["status"], "invalid", "{job}");
    let problems = job["problems"].to_string();
    assert!(
        problems.contains("central meridian looks wrong"),
        "{problems}"
    );
    assert!(
        problems.contains("107°30′") && problems.contains("Kon Tum"),
        "{problems}"
    );
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn every_format_imports_the_same_assets() {
    let app = spawn_app().await;
    let dir = scratch("formats");
    let source = collection(vec![
        pole_feature("F-1", 108.800, 15.110, 8.5),
        pole_feature("F-2", 108.801, 15.111, 10.0),
    ]);
    let files = [
        (
            "cot.gpkg",
            ogr2ogr(&dir, &source, "cot.gpkg", "GPKG", &[]).await,
        ),
        (
            "cot.kml",
            ogr2ogr(&dir, &source, "cot.kml", "KML", &[]).await,
        ),
        ("cot.xlsx", {
            let csv = "code,lon,lat,material,height_m\nF-1,108.8,15.11,concrete,8.5\nF-2,108.801,15.111,concrete,10\n";
            convert(&dir, csv.as_bytes(), "input.csv", "cot.xlsx", "XLSX", &[]).await
        }),
        (
            "cot.shp.zip",
            zipped_shapefile(&dir, &source, "cot.shp.zip").await,
        ),
    ];
    for (i, (name, bytes)) in files.into_iter().enumerate() {
        let operator = ["VNPT", "VIETTEL", "FPT", "MOBIFONE"][i];
        let uploaded = upload(&app, "poles", operator, name, bytes, "").await;
        assert_eq!(uploaded.status, 201, "{name}: {}", uploaded.text);
        let id = uploaded.body["id"].as_i64().unwrap();
        let job = run(&app, id, "commit").await;
        assert_eq!(job["status"], "committed", "{name}: {job}");
        assert_eq!(job["result"]["created"], 2, "{name}: {job}");
        let poles = app.get(&format!("/api/v1/poles?operator={operator}")).await;
        let features = poles.body["features"].as_array().unwrap();
        assert_eq!(features.len(), 2, "{name}");
        assert_eq!(features[0]["properties"]["height_m"], 8.5, "{name}");
        assert_eq!(
            features[0]["geometry"]["coordinates"],
            json!([108.8, 15.11]),
            "{name}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A zipped Shapefile, written by ogr2ogr itself (GDAL writes `.shp.zip`).
pub async fn zipped_shapefile(dir: &Path, geojson: &[u8], name: &str) -> Vec<u8> {
    ogr2ogr(dir, geojson, name, "ESRI Shapefile", &[]).await
}

#[tokio::test]
async fn spreadsheets_map_vietnamese_headers_and_remember_the_mapping() {
    let app = spawn_app().await;
    let csv = "Số hiệu,Kinh độ,Vĩ độ,Cao (m),Chất liệu,Ghi chú riêng\nCSV-1,108.8001,15.1101,9,steel,a\nCSV-2,108.8002,15.1102,11,steel,b\n";
    let uploaded = upload(
        &app,
        "poles",
        "FPT",
        "danh-sach.csv",
        csv.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let mapping = &uploaded.body["mapping"];
    assert_eq!(mapping["Số hiệu"], "code");
    assert_eq!(mapping["Kinh độ"], "x");
    assert_eq!(mapping["Vĩ độ"], "y");
    assert_eq!(mapping["Chất liệu"], "material");
    assert_eq!(mapping["Ghi chú riêng"], Value::Null);
    let id = uploaded.body["id"].as_i64().unwrap();
    // The preview says what is missing: the height column was not recognised.
    let row = &uploaded.body["preview"]["rows"][0];
    assert!(row["problems"].to_string().contains("height_m"), "{row}");
    let mapped = app
        .send(
            app.client
                .put(app.url(&format!("/api/v1/imports/{id}/mapping")))
                .json(&json!({"mapping": {"Cao (m)": "height_m", "Ghi chú riêng": "note"}})),
        )
        .await;
    assert_eq!(mapped.status, 200, "{}", mapped.text);
    assert!(
        mapped.body["preview"]["rows"][0]["problems"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{}",
        mapped.text
    );
    let job = run(&app, id, "commit").await;
    assert_eq!(job["result"]["created"], 2, "{job}");
    // The next file of the same operator and kind gets the saved mapping.
    let next = upload(
        &app,
        "poles",
        "FPT",
        "thang-sau.csv",
        csv.replace("CSV-", "N-").into_bytes(),
        "",
    )
    .await;
    assert_eq!(next.body["mapping"]["Cao (m)"], "height_m", "{}", next.text);
    assert_eq!(next.body["mapping"]["Ghi chú riêng"], "note");
}

#[tokio::test]
async fn malformed_files_of_every_format_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let dir = scratch("malformed");
    let good = collection(vec![
        pole_feature("M-1", 108.800, 15.110, 8.5),
        pole_feature("M-2", 108.801, 15.111, 10.0),
    ]);
    // Files GDAL cannot read at all: refused at upload, no job.
    let whole_zip = zipped_shapefile(&dir, &good, "m.shp.zip").await;
    let truncated_zip = whole_zip[..whole_zip.len() / 2].to_vec();
    let gpkg = ogr2ogr(&dir, &good, "m.gpkg", "GPKG", &[]).await;
    let mut garbage = vec![0u8; 10 * 1024 * 1024];
    let mut state: u32 = 12345;
    for byte in garbage.iter_mut() {
        state = state.wrapping_mul(1103515245).wrapping_add(12345);
        *byte = (state >> 16) as u8;
    }
    for (name, bytes) in [
        ("truncated.zip", truncated_zip),
        ("garbage.gpkg", garbage.clone()),
        ("half.gpkg", gpkg[..gpkg.len() / 3].to_vec()),
        ("garbage.xlsx", garbage[..4096].to_vec()),
        (
            "broken.kml",
            b"<?xml version=\"1.0\"?><kml><Document><Placemark><Point><coordinates>108.8,15"
                .to_vec(),
        ),
        (
            "broken.geojson",
            b"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": ".to_vec(),
        ),
        ("garbage.csv", garbage[..1024 * 1024].to_vec()),
    ] {
        let reply = upload(&app, "poles", "VNPT", name, bytes, "").await;
        if reply.status == 201 {
            // GDAL read something (garbage is a valid CSV of odd columns):
            // the mapping or the rows must still be refused.
            let id = reply.body["id"].as_i64().unwrap();
            let started = app
                .post_json(&format!("/api/v1/imports/{id}/commit"), &json!({}))
                .await;
            if started.status == 202 {
                let job = wait(&app, id).await;
                assert_ne!(job["status"], "committed", "{name}: {job}");
            } else {
                assert_eq!(started.status, 422, "{name}: {}", started.text);
            }
        } else {
            assert_eq!(reply.status, 422, "{name}: {}", reply.text);
            assert!(reply.has_problem("file"), "{name}: {}", reply.text);
        }
    }
    let unknown = upload(&app, "poles", "VNPT", "drawing.dwg", b"AC1032".to_vec(), "").await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.text.contains(".gpkg"), "{}", unknown.text);

    // Wrong columns: no code column, so the mapping is refused before any row.
    let wrong = "ten,lon,lat\nA,108.8,15.11\n";
    let reply = upload(
        &app,
        "poles",
        "VNPT",
        "wrong.csv",
        wrong.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(
        reply.body["preview"]["mapping_problems"]
            .to_string()
            .contains("code"),
        "{}",
        reply.text
    );
    let started = app
        .post_json(
            &format!("/api/v1/imports/{}/commit", reply.body["id"]),
            &json!({}),
        )
        .await;
    assert_eq!(started.status, 422, "{}", started.text);

    // Invalid rows: a self-crossing duct, a pole as a line, a number that is not one,
    // an unknown status, a code twice. Row-level errors; the good rows are not stored either.
    let ducts = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[108.798, 15.110], [108.802, 15.112], [108.802, 15.110], [108.798, 15.112]]},
         "properties": {"code": "D-X", "layers": 1, "pipe_count": 2}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[108.798, 15.110], [108.802, 15.110]]},
         "properties": {"code": "D-OK", "layers": 1, "pipe_count": 2}}]});
    let job = import(
        &app,
        "ducts",
        "VNPT",
        "ducts.geojson",
        ducts.to_string().into_bytes(),
        "",
    )
    .await;
    assert_eq!(job["status"], "invalid", "{job}");
    assert_eq!(job["problems"][0]["row"], 1, "{job}");
    assert!(
        job["problems"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("crosses"),
        "{job}"
    );
    let poles = json!({"type": "FeatureCollection", "features": [
        pole_feature("P-OK", 108.8, 15.11, 8.0),
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[108.8, 15.11], [108.81, 15.11]]},
         "properties": {"code": "P-LINE", "material": "steel", "height_m": 8}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.8, 15.11]},
         "properties": {"code": "P-BAD", "material": "steel", "height_m": "tall", "status": "broken"}},
        pole_feature("P-OK", 108.801, 15.111, 8.0)]});
    let job = import(
        &app,
        "poles",
        "VNPT",
        "poles.geojson",
        poles.to_string().into_bytes(),
        "",
    )
    .await;
    assert_eq!(job["status"], "invalid", "{job}");
    let problems: Vec<String> = job["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}:{}",
                p["row"],
                p["field"].as_str().unwrap(),
                p["problem"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("2:geometry:") && p.contains("must be a Point")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("3:height_m:")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("3:status:")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("4:code:") && p.contains("row 1")),
        "{problems:?}"
    );
    assert_eq!(asset_count(&app).await, 0, "nothing is half-imported");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn size_and_row_limits_give_clear_errors() {
    let app = spawn_app_with(|config| {
        config.import_max_mb = 1;
        config.import_max_rows = 3;
    })
    .await;
    let big = vec![b' '; 2 * 1024 * 1024];
    let reply = upload(&app, "poles", "VNPT", "big.geojson", big, "").await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert_eq!(reply.error_code(), "payload_too_large");
    let rows: Vec<Value> = (0..5)
        .map(|i| pole_feature(&format!("L-{i}"), 108.8, 15.11, 8.0))
        .collect();
    let reply = upload(&app, "poles", "VNPT", "many.geojson", collection(rows), "").await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert!(reply.text.contains("at most 3"), "{}", reply.text);
    let csv: String = std::iter::once("code,lon,lat,material,height_m\n".to_string())
        .chain((0..5).map(|i| format!("C-{i},108.8,15.11,steel,8\n")))
        .collect();
    let reply = upload(&app, "poles", "VNPT", "many.csv", csv.into_bytes(), "").await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(asset_count(&app).await, 0);
}

#[tokio::test]
async fn the_command_line_imports_a_file_and_a_dry_run_writes_nothing() {
    let app = spawn_app().await;
    let dir = scratch("cli");
    let source = collection(vec![
        pole_feature("CLI-1", 108.800, 15.110, 8.5),
        pole_feature("CLI-2", 108.801, 15.111, 10.0),
    ]);
    let gpkg = ogr2ogr(&dir, &source, "cot.gpkg", "GPKG", &[]).await;
    let path = dir.join("cot.gpkg");
    std::fs::write(&path, gpkg).unwrap();
    let run = |dry: bool| {
        let mut command = std::process::Command::new(crate::support::binary());
        command
            .env("DATABASE_URL", crate::support::database_url(&app))
            .env("HATANG_LOG_FORMAT", "text")
            .env("RUST_LOG", "warn")
            .args([
                "import",
                path.to_str().unwrap(),
                "--kind",
                "poles",
                "--operator",
                "VNPT",
            ]);
        if dry {
            command.arg("--dry-run");
        }
        command.output().unwrap()
    };
    let dry = run(true);
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(stdout.contains("2 rows valid (dry run"), "{stdout}");
    assert_eq!(asset_count(&app).await, 0);
    let real = run(false);
    let stdout = String::from_utf8_lossy(&real.stdout);
    assert!(
        real.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&real.stderr)
    );
    assert!(stdout.contains("2 created"), "{stdout}");
    assert_eq!(asset_count(&app).await, 2);
    let actor: String = sqlx::query_scalar("select actor from asset_history limit 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(actor.starts_with("import:"), "{actor}");
    let _ = std::fs::remove_dir_all(dir);
}
