//! OGC API – Features: the documents the standard asks for, keyset paging,
//! and GDAL's OAPIF driver as a real client reading every collection.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

/// One asset of every kind, and `poles` poles in Chánh Lộ.
async fn populate(app: &TestApp, poles: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let m1 = app
        .create("manholes", &manhole("VNPT-MH-1", 108.798, 15.110))
        .await;
    let m2 = app
        .create("manholes", &manhole("VNPT-MH-2", 108.802, 15.110))
        .await;
    ids.extend([m1, m2]);
    let mut duct_feature = duct("VNPT-D-1");
    duct_feature["properties"]["from_manhole_id"] = json!(m1);
    duct_feature["properties"]["to_manhole_id"] = json!(m2);
    ids.push(app.create("ducts", &duct_feature).await);
    ids.push(app.create("towers", &tower("VNPT-T-1")).await);
    ids.push(app.create("trenches", &trench("VTL-TR-1")).await);
    ids.push(app.create("cabinets", &cabinet("FPT-CB-1")).await);
    let mut pole_ids = Vec::new();
    for i in 0..poles {
        let lon = 108.7960 + 0.0001 * (i % 150) as f64;
        let lat = 15.1060 + 0.0001 * (i / 150) as f64;
        pole_ids.push(
            app.create("poles", &pole(&format!("EVN-P-{i:04}"), lon, lat))
                .await,
        );
    }
    ids.push(
        app.create("cables", &cable("VTL-C-1", &pole_ids[..2]))
            .await,
    );
    ids.extend(pole_ids);
    ids
}

/// Runs a GDAL program, sending an API token if given (as an operator's GIS would).
async fn run_as(program: &str, args: &[String], token: Option<&str>) -> String {
    let mut command = tokio::process::Command::new(program);
    if let Some(token) = token {
        command.env(
            "GDAL_HTTP_HEADERS",
            format!("Authorization: Bearer {token}"),
        );
    }
    let output = command
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program} runs (make test installs gdal-bin): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hatang-ogc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn landing_page_conformance_and_collections_follow_the_standard() {
    let app = spawn_app().await;
    populate(&app, 3).await;
    let landing = app.get("/ogc").await;
    assert_eq!(landing.status, 200, "{}", landing.text);
    let rels: Vec<&str> = landing.body["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rels:?}");
    }
    let conformance = app.get("/ogc/conformance?f=json").await;
    let classes = conformance.body["conformsTo"].as_array().unwrap();
    for class in ["conf/core", "conf/geojson", "conf/oas30"] {
        assert!(
            classes.iter().any(|c| c.as_str().unwrap().ends_with(class)),
            "{classes:?}"
        );
    }
    let api = app.get("/ogc/api").await;
    assert_eq!(api.body["openapi"], "3.0.3");
    assert!(api.body["paths"]["/collections/{collectionId}/items"].is_object());

    let collections = app.get("/ogc/collections").await;
    let ids: Vec<&str> = collections.body["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets", "wards"
        ]
    );
    let towers = app.get("/ogc/collections/towers").await;
    assert_eq!(towers.body["itemType"], "feature");
    let bbox = towers.body["extent"]["spatial"]["bbox"][0]
        .as_array()
        .unwrap();
    assert_eq!(bbox[0].as_f64(), Some(IN_CHANH_LO[0]));
    assert_eq!(app.get("/ogc/collections/bridges").await.status, 404);
    assert_eq!(app.get("/ogc/collections?f=html").await.status, 400);
}

#[tokio::test]
async fn items_page_by_keyset_with_next_and_prev_links_and_counts() {
    let app = spawn_app().await;
    populate(&app, 23).await;
    let mut seen = Vec::new();
    let mut path = "/ogc/collections/poles/items?limit=5".to_string();
    let mut pages = Vec::new();
    loop {
        let reply = app.get(&path.replace(&app.address, "")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.body["numberMatched"], 23);
        let features = reply.body["features"].as_array().unwrap();
        assert_eq!(
            reply.body["numberReturned"].as_u64(),
            Some(features.len() as u64)
        );
        seen.extend(features.iter().map(|f| f["id"].as_i64().unwrap()));
        pages.push(reply.body.clone());
        let next = reply.body["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_string());
        match next {
            Some(next) => path = next,
            None => break,
        }
    }
    assert_eq!(pages.len(), 5);
    assert_eq!(seen.len(), 23);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));

    // The prev link of the third page gives the second page back.
    let prev = pages[2]["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "prev")
        .unwrap()["href"]
        .as_str()
        .unwrap()
        .replace(&app.address, "");
    let back = app.get(&prev).await;
    assert_eq!(back.body["features"], pages[1]["features"]);
    assert!(
        pages[0]["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["rel"] != "prev")
    );

    // Filters: bbox, properties, and an unknown parameter.
    let west = app
        .get("/ogc/collections/poles/items?bbox=108.7960,15.1060,108.79605,15.10605")
        .await;
    assert_eq!(west.body["numberMatched"], 1);
    let vnpt = app
        .get("/ogc/collections/manholes/items?operator=VNPT&status=operational")
        .await;
    assert_eq!(vnpt.body["numberMatched"], 2);
    assert_eq!(
        app.get("/ogc/collections/poles/items?colour=red")
            .await
            .status,
        400
    );
    let future = app
        .get("/ogc/collections/poles/items?datetime=2100-01-01T00:00:00Z/..")
        .await;
    assert_eq!(future.body["numberMatched"], 0);
    let recent = app
        .get("/ogc/collections/poles/items?datetime=2000-01-01T00:00:00Z/..")
        .await;
    assert_eq!(recent.body["numberMatched"], 23);
}

/// Every feature id of the pages from `path` on, following the next links,
/// and how many pages there were.
async fn follow_next(app: &TestApp, mut path: String) -> (Vec<i64>, usize) {
    let (mut seen, mut pages) = (Vec::new(), 0);
    loop {
        let reply = app.get(&path.replace(&app.address, "")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        pages += 1;
        seen.extend(
            reply.body["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_i64().unwrap()),
        );
        let next = reply.body["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_string());
        match next {
            Some(next) => {
                assert!(!next.contains("offset="), "next pages by keyset: {next}");
                path = next
            }
            None => return (seen, pages),
        }
    }
}

#[tokio::test]
async fn offset_starts_the_walk_and_next_links_visit_every_feature_once() {
    let app = spawn_app().await;
    populate(&app, 23).await;
    let (all, pages) = follow_next(&app, "/ogc/collections/poles/items?limit=4".into()).await;
    assert_eq!((all.len(), pages), (23, 6));
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>().len(),
        23,
        "no feature twice"
    );
    assert!(all.windows(2).all(|w| w[0] < w[1]));

    // From an offset: the features from there on, each once, by keyset after the first page.
    let (from_seven, _) =
        follow_next(&app, "/ogc/collections/poles/items?limit=4&offset=7".into()).await;
    assert_eq!(from_seven, all[7..]);
    let first = app
        .get("/ogc/collections/poles/items?limit=4&offset=7")
        .await;
    assert_eq!(first.body["numberMatched"], 23);
    assert_eq!(first.body["numberReturned"], 4);
    let prev = first.body["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "prev")
        .expect("a page after an offset has a page before it")["href"]
        .as_str()
        .unwrap()
        .replace(&app.address, "");
    let back = app.get(&prev).await;
    let back_ids: Vec<i64> = back.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    assert_eq!(back_ids, all[3..7]);

    // An offset with a cursor skips after it; past the end, an empty page without next.
    let skipped = app
        .get(&format!(
            "/ogc/collections/poles/items?limit=2&offset=1&after={}",
            all[10]
        ))
        .await;
    assert_eq!(skipped.body["features"][0]["id"], all[12]);
    let past = app.get("/ogc/collections/poles/items?offset=500").await;
    assert_eq!(past.status, 200);
    assert_eq!(past.body["numberReturned"], 0);
    assert!(
        past.body["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["rel"] != "next")
    );
    let wards = app
        .get("/ogc/collections/wards/items?limit=1&offset=1")
        .await;
    assert_eq!(wards.status, 200, "{}", wards.text);
    assert_eq!(wards.body["numberReturned"], 1);
    for bad in ["offset=-1", "offset=ten"] {
        let reply = app
            .get(&format!("/ogc/collections/poles/items?{bad}"))
            .await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
    }
}

#[tokio::test]
async fn items_never_show_tenancy_contracts_or_fees() {
    let app = spawn_app().await;
    let id = app
        .create("poles", &pole("EVN-P-SECRET", 108.80, 15.11))
        .await;
    let reply = app
        .post_json(
            &format!("/api/v1/assets/{id}/tenancies"),
            &json!({"tenant": "FPT", "since": "2023-05-01", "contract_ref": "HĐ-SECRET-42", "monthly_fee_vnd": 1234567}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    for path in [
        "/ogc/collections/poles/items".to_string(),
        format!("/ogc/collections/poles/items/{id}"),
    ] {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(
            !reply.text.contains("HĐ-SECRET-42"),
            "{path}: {}",
            reply.text
        );
        assert!(!reply.text.contains("1234567"), "{path}: {}", reply.text);
        let feature = if reply.body["features"].is_array() {
            reply.body["features"][0].clone()
        } else {
            reply.body.clone()
        };
        assert_eq!(
            feature["properties"]["tenant_count"], 1,
            "{path}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn a_feature_can_be_read_in_vn2000_and_in_epsg_axis_order() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("VNPT-T-CRS")).await;
    let wgs = app
        .get(&format!("/ogc/collections/towers/items/{id}"))
        .await;
    assert_eq!(wgs.body["geometry"]["coordinates"], json!(IN_CHANH_LO));
    assert_eq!(
        wgs.headers["content-crs"].to_str().unwrap(),
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    );
    let lat_first = app
        .get(&format!(
            "/ogc/collections/towers/items/{id}?crs=http://www.opengis.net/def/crs/EPSG/0/4326"
        ))
        .await;
    assert_eq!(
        lat_first.body["geometry"]["coordinates"],
        json!([IN_CHANH_LO[1], IN_CHANH_LO[0]])
    );
    // EPSG:5898 is VN-2000 / TM-3 108°: compare with PROJ's cs2cs.
    let tm3 = app
        .get(&format!(
            "/ogc/collections/towers/items/{id}?crs=http://www.opengis.net/def/crs/EPSG/0/5898"
        ))
        .await;
    let expected =
        crate::support::cs2cs("EPSG:4326", "EPSG:5898", IN_CHANH_LO[1], IN_CHANH_LO[0]).await;
    let got = tm3.body["geometry"]["coordinates"].as_array().unwrap();
    assert!(
        (got[0].as_f64().unwrap() - expected.0).abs() < 0.01,
        "{got:?} vs {expected:?}"
    );
    assert!(
        (got[1].as_f64().unwrap() - expected.1).abs() < 0.01,
        "{got:?} vs {expected:?}"
    );
    assert_eq!(
        app.get(&format!("/ogc/collections/towers/items/{id}?crs=EPSG:2154"))
            .await
            .status,
        400
    );
    assert_eq!(
        app.get("/ogc/collections/towers/items/999999").await.status,
        404
    );
    assert_eq!(
        app.get("/ogc/collections/towers/items/abc").await.status,
        404
    );
}

#[tokio::test]
async fn gdal_reads_every_collection_through_ogc_api_paging_to_the_end() {
    let app = spawn_app().await;
    let ids = populate(&app, 260).await;
    let token = app
        .as_user("vnpt")
        .await
        .post_json("/api/v1/tokens", &serde_json::json!({"name": "QGIS"}))
        .await;
    let token = token.body["token"].as_str().expect("a token").to_string();
    let token = Some(token.as_str());
    let url = format!("OAPIF:{}/ogc", app.address);
    let summary = run_as("ogrinfo", &["-ro".into(), "-so".into(), url.clone()], token).await;
    for collection in [
        "towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets", "wards",
    ] {
        assert!(summary.contains(collection), "{summary}");
    }
    let dir = scratch("gdal");
    let mut read = BTreeSet::new();
    for collection in [
        "towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets", "wards",
    ] {
        let out = dir.join(format!("{collection}.geojson"));
        run_as(
            "ogr2ogr",
            &[
                "-f".into(),
                "GeoJSON".into(),
                "-oo".into(),
                "PAGE_SIZE=100".into(),
                "-preserve_fid".into(),
                out.display().to_string(),
                url.clone(),
                collection.into(),
            ],
            token,
        )
        .await;
        let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let features = written["features"].as_array().unwrap();
        if collection == "wards" {
            // The fixture's two wards valid today.
            assert_eq!(features.len(), 2, "{collection}");
            continue;
        }
        assert!(!features.is_empty(), "{collection}");
        for feature in features {
            let id = feature["properties"]["id"]
                .as_i64()
                .or_else(|| feature["id"].as_i64())
                .unwrap_or_else(|| panic!("{collection}: feature without id: {feature}"));
            assert!(read.insert(id), "{collection}: {id} read twice");
        }
    }
    let all: BTreeSet<i64> = ids.into_iter().collect();
    assert_eq!(read, all, "GDAL read every asset once");
    // ogrinfo agrees on the number of poles.
    let poles = run_as(
        "ogrinfo",
        &["-ro".into(), "-so".into(), url, "poles".into()],
        token,
    )
    .await;
    assert!(poles.contains("Feature Count: 260"), "{poles}");
    let _ = std::fs::remove_dir_all(dir);
}
