//! Exports: every format, filtered like the list API, in WGS84 or a VN-2000
//! TM-3 zone; and round trips — an export imported again gives the same assets.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::import::{asset_count, import, scratch, to_tm3};
use crate::support::{TestApp, spawn_app};

async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap().to_vec();
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
    bytes
}

/// A few poles and towers of two operators, one pole shared under a contract.
async fn populate(app: &TestApp) {
    for i in 0..5 {
        let mut p = pole(&format!("EVN-P-{i}"), 108.797 + 0.002 * i as f64, 15.110);
        p["properties"]["note"] = json!(format!("Cột điện số {i}, đường Phan Bội Châu"));
        p["properties"]["accuracy_m"] = json!(3.0);
        app.create("poles", &p).await;
    }
    let mut vnpt = pole("VNPT-P-9", 108.800, 15.112);
    vnpt["properties"]["operator"] = json!("VNPT");
    vnpt["properties"]["status"] = json!("planned");
    let id = app.create("poles", &vnpt).await;
    let reply = app
        .post_json(
            &format!("/api/v1/assets/{id}/tenancies"),
            &json!({"tenant": "FPT", "since": "2024-01-01", "contract_ref": "HĐ-BÍ-MẬT", "monthly_fee_vnd": 777777}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    app.create("towers", &tower("VNPT-T-1")).await;
    let mut rooftop = tower("VNPT-T-2");
    rooftop["properties"]["tower_class"] = json!("A2a");
    rooftop["properties"]["placement"] = json!("rooftop");
    rooftop["properties"]["host_building_height_m"] = json!(18.5);
    rooftop["properties"]["technologies"] = json!(["3G", "4G"]);
    app.create("towers", &rooftop).await;
}

/// The features of a collection by code, without what a new registry changes
/// (ids, versions, times).
async fn documents(app: &TestApp, collection: &str) -> Vec<(String, Value)> {
    let reply = app.get(&format!("/api/v1/{collection}?limit=1000")).await;
    let mut out: Vec<(String, Value)> = reply.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let properties = f["properties"].as_object_mut().unwrap();
            for key in [
                "version",
                "created_at",
                "updated_at",
                "tenant_count",
                "shared",
                "free_capacity",
            ] {
                properties.remove(key);
            }
            f.as_object_mut().unwrap().remove("id");
            (f["properties"]["code"].as_str().unwrap().to_string(), f)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test]
async fn exports_in_every_format_import_again_as_the_same_assets() {
    let source = spawn_app().await;
    populate(&source).await;
    // Split by operator (the list API's filter), each export imports whole.
    for format in ["geojson", "gpkg", "shp", "csv", "xlsx"] {
        let target = spawn_app().await;
        for collection in ["poles", "towers"] {
            for operator in ["EVNCPC", "VNPT"] {
                let bytes = download(
                    &source,
                    &format!("/api/v1/{collection}/export?format={format}&operator={operator}"),
                )
                .await;
                let name = if format == "shp" {
                    "export.shp.zip".to_string()
                } else {
                    format!("export.{format}")
                };
                if collection == "towers" && operator == "EVNCPC" {
                    continue; // EVNCPC has no towers
                }
                let job = import(&target, collection, operator, &name, bytes, "").await;
                assert_eq!(
                    job["status"], "committed",
                    "{format} {collection} {operator}: {job}"
                );
            }
            assert_eq!(
                documents(&target, collection).await,
                documents(&source, collection).await,
                "{format} {collection}"
            );
        }
    }
}

#[tokio::test]
async fn re_importing_an_export_changes_nothing_even_ducts_and_cables() {
    let app = spawn_app().await;
    let m1 = app
        .create("manholes", &manhole("VNPT-MH-1", 108.798, 15.110))
        .await;
    let m2 = app
        .create("manholes", &manhole("VNPT-MH-2", 108.802, 15.110))
        .await;
    let mut d = duct("VNPT-D-1");
    d["properties"]["from_manhole_id"] = json!(m1);
    d["properties"]["to_manhole_id"] = json!(m2);
    app.create("ducts", &d).await;
    let p1 = app.create("poles", &pole("EVN-P-1", 108.798, 15.111)).await;
    let p2 = app.create("poles", &pole("EVN-P-2", 108.800, 15.111)).await;
    app.create("cables", &cable("VTL-C-1", &[p1, p2])).await;
    for (collection, operator, count) in [
        ("ducts", "VNPT", 1),
        ("cables", "VIETTEL", 1),
        ("manholes", "VNPT", 2),
    ] {
        for format in ["gpkg", "csv", "geojson"] {
            let bytes = download(
                &app,
                &format!("/api/v1/{collection}/export?format={format}"),
            )
            .await;
            let job = import(
                &app,
                collection,
                operator,
                &format!("again.{format}"),
                bytes,
                "",
            )
            .await;
            assert_eq!(job["status"], "committed", "{collection} {format}: {job}");
            assert_eq!(
                job["result"],
                json!({"created": 0, "updated": 0, "unchanged": count}),
                "{collection} {format}: {job}"
            );
        }
    }
    let ducts = app.get("/api/v1/ducts").await;
    assert_eq!(
        ducts.body["features"][0]["properties"]["pipes"][1]["state"],
        "partly_occupied"
    );
    assert_eq!(ducts.body["features"][0]["properties"]["version"], 1);
}

#[tokio::test]
async fn a_tm3_export_has_the_zone_and_the_coordinates_of_proj() {
    let app = spawn_app().await;
    populate(&app).await;
    let dir = scratch("export-tm3");
    // Kon Tum's zone (107°30′) has no EPSG code: Hatang's own definition.
    let bytes = download(
        &app,
        "/api/v1/poles/export?format=gpkg&tm3=kon-tum&operator=VNPT",
    )
    .await;
    let path = dir.join("tm3.gpkg");
    std::fs::write(&path, &bytes).unwrap();
    let info = tokio::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-geom=YES", path.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(text.contains("107.5"), "{text}");
    assert!(
        text.contains("Transverse Mercator") || text.contains("Transverse_Mercator"),
        "{text}"
    );
    let point = text
        .lines()
        .find(|l| l.trim_start().starts_with("POINT"))
        .unwrap();
    let numbers: Vec<f64> = point
        .trim()
        .trim_start_matches("POINT (")
        .trim_end_matches(')')
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let expected = to_tm3(107.5, 108.800, 15.112).await;
    assert!(
        (numbers[0] - expected.0).abs() < 0.1,
        "{numbers:?} vs {expected:?}"
    );
    assert!(
        (numbers[1] - expected.1).abs() < 0.1,
        "{numbers:?} vs {expected:?}"
    );
    // Imported again, the zone is read from the file and the asset is unchanged.
    let job = import(&app, "poles", "VNPT", "tm3.gpkg", bytes, "").await;
    assert_eq!(job["crs"]["srid"], 910750, "{job}");
    assert_eq!(
        job["result"],
        json!({"created": 0, "updated": 0, "unchanged": 1}),
        "{job}"
    );
    // A CSV in a TM-3 zone says easting and northing.
    let csv = download(
        &app,
        "/api/v1/poles/export?format=csv&tm3=quang-ngai&operator=VNPT",
    )
    .await;
    let text = String::from_utf8_lossy(&csv);
    assert!(
        text.lines().next().unwrap().ends_with("easting,northing"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn exports_follow_the_list_filters_and_keep_contracts_out() {
    let app = spawn_app().await;
    populate(&app).await;
    let geojson: Value = serde_json::from_slice(
        &download(&app, "/api/v1/poles/export?format=geojson&operator=VNPT").await,
    )
    .unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["properties"]["code"], "VNPT-P-9");
    assert_eq!(features[0]["properties"]["tenant_count"], 1);
    let planned: Value = serde_json::from_slice(&download(&app, "/api/v1/poles/export?format=geojson&status=operational&bbox=108.796,15.109,108.800,15.111").await).unwrap();
    assert_eq!(planned["features"].as_array().unwrap().len(), 2);
    for format in ["geojson", "csv", "xlsx", "gpkg", "shp"] {
        let bytes = download(&app, &format!("/api/v1/poles/export?format={format}")).await;
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(
            !haystack.contains("777777") && !haystack.contains("BÍ-MẬT"),
            "{format} leaks a contract"
        );
    }
    let bad = app.get("/api/v1/poles/export?format=dwg").await;
    assert_eq!(bad.status, 400);
    assert_eq!(asset_count(&app).await, 8);
}
