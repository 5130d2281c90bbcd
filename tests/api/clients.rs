//! Real GIS clients read what the API serves.

use crate::fixtures::*;
use crate::support::spawn_app;

#[tokio::test]
async fn gdal_reads_an_asset_list_as_geojson() {
    let app = spawn_app().await;
    app.create("towers", &tower("T-GDAL-1")).await;
    let mut second = tower("T-GDAL-2");
    second["geometry"] = point(108.79, 15.11);
    app.create("towers", &second).await;
    // GDAL reads as an operator's system would: with an API token.
    let token = app
        .as_user("vnpt")
        .await
        .post_json("/api/v1/tokens", &serde_json::json!({"name": "GIS"}))
        .await;
    assert_eq!(token.status, 201, "{}", token.text);
    let token = token.body["token"].as_str().unwrap().to_string();
    let url = app.url("/api/v1/towers?bbox=108.7,15.0,108.9,15.2");
    let output = tokio::process::Command::new("ogrinfo")
        .env(
            "GDAL_HTTP_HEADERS",
            format!("Authorization: Bearer {token}"),
        )
        .args(["-ro", "-al", "-so"])
        .arg(format!("GeoJSON:{url}"))
        .output()
        .await
        .expect("ogrinfo runs (make test installs gdal-bin)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Geometry: Point"), "{stdout}");
    assert!(stdout.contains("Feature Count: 2"), "{stdout}");
    assert!(stdout.contains("tower_class: String"), "{stdout}");
    assert!(
        stdout.contains("height_m: Integer") || stdout.contains("height_m: Real"),
        "{stdout}"
    );
}
