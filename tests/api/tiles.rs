//! Vector tiles: decoded and checked feature by feature, against the real
//! server and a real PostGIS.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::time::Duration;

use geozero::mvt::{Message, Tile, tile};
use serde_json::json;

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

/// The XYZ tile holding a WGS84 point.
fn tile_at(lon: f64, lat: f64, z: u8) -> (u8, u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let lat = lat.to_radians();
    let y = ((1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    (z, x, y)
}

/// The WGS84 corners `[west, south, east, north]` of a tile.
fn tile_bounds((z, x, y): (u8, u32, u32)) -> [f64; 4] {
    let n = f64::from(1u32 << z);
    let lon = |x: f64| x / n * 360.0 - 180.0;
    let lat = |y: f64| {
        (std::f64::consts::PI * (1.0 - 2.0 * y / n))
            .sinh()
            .atan()
            .to_degrees()
    };
    [
        lon(f64::from(x)),
        lat(f64::from(y + 1)),
        lon(f64::from(x + 1)),
        lat(f64::from(y)),
    ]
}

fn path(layers: &str, (z, x, y): (u8, u32, u32)) -> String {
    format!("/tiles/{layers}/{z}/{x}/{y}")
}

/// A property value as the test compares it.
#[derive(Debug, Clone, PartialEq)]
enum Prop {
    Text(String),
    Number(f64),
    Bool(bool),
}

impl Prop {
    fn text(&self) -> &str {
        match self {
            Prop::Text(t) => t,
            other => panic!("{other:?} is not text"),
        }
    }
    fn number(&self) -> f64 {
        match self {
            Prop::Number(n) => *n,
            other => panic!("{other:?} is not a number"),
        }
    }
}

fn prop(value: &tile::Value) -> Prop {
    if let Some(s) = &value.string_value {
        Prop::Text(s.clone())
    } else if let Some(b) = value.bool_value {
        Prop::Bool(b)
    } else if let Some(n) = value.double_value {
        Prop::Number(n)
    } else if let Some(n) = value.float_value {
        Prop::Number(f64::from(n))
    } else if let Some(n) = value.int_value.or(value.sint_value) {
        Prop::Number(n as f64)
    } else if let Some(n) = value.uint_value {
        Prop::Number(n as f64)
    } else {
        panic!("empty MVT value")
    }
}

/// One decoded feature.
#[derive(Debug, Clone)]
struct Feature {
    id: Option<u64>,
    props: BTreeMap<String, Prop>,
    /// Every vertex, in tile coordinates.
    points: Vec<(i64, i64)>,
}

impl Feature {
    fn get(&self, key: &str) -> &Prop {
        self.props
            .get(key)
            .unwrap_or_else(|| panic!("no property {key} in {:?}", self.props))
    }
    fn asset_id(&self) -> Option<i64> {
        self.props.get("id").map(|p| p.number() as i64)
    }
    fn is_cluster(&self) -> bool {
        self.props.get("cluster") == Some(&Prop::Bool(true))
    }
}

/// Vertices from MVT geometry commands (MoveTo, LineTo, ClosePath; zigzag deltas).
fn vertices(geometry: &[u32]) -> Vec<(i64, i64)> {
    let zigzag = |v: u32| i64::from((v >> 1) as i32 ^ -((v & 1) as i32));
    let (mut x, mut y) = (0i64, 0i64);
    let mut points = Vec::new();
    let mut i = 0;
    while i < geometry.len() {
        let command = geometry[i] & 7;
        let count = (geometry[i] >> 3) as usize;
        i += 1;
        if command == 7 {
            continue;
        }
        for _ in 0..count {
            x += zigzag(geometry[i]);
            y += zigzag(geometry[i + 1]);
            points.push((x, y));
            i += 2;
        }
    }
    points
}

/// The layers of a tile, by name.
fn decode(bytes: &[u8]) -> BTreeMap<String, Vec<Feature>> {
    let tile = Tile::decode(bytes).expect("a valid Mapbox Vector Tile");
    let mut layers = BTreeMap::new();
    for layer in tile.layers {
        assert_eq!(layer.extent, Some(4096), "layer {}", layer.name);
        let features = layer
            .features
            .iter()
            .map(|f| Feature {
                id: f.id,
                props: f
                    .tags
                    .chunks(2)
                    .map(|kv| {
                        (
                            layer.keys[kv[0] as usize].clone(),
                            prop(&layer.values[kv[1] as usize]),
                        )
                    })
                    .collect(),
                points: vertices(&f.geometry),
            })
            .collect();
        assert!(
            layers.insert(layer.name.clone(), features).is_none(),
            "layer {} twice",
            layer.name
        );
    }
    layers
}

struct TileReply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl TileReply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> TileReply {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body").to_vec();
    TileReply {
        status,
        headers,
        bytes,
    }
}

/// The decoded layers of a tile, checking the answer is a plain 200 MVT.
async fn layers(app: &TestApp, path: &str) -> BTreeMap<String, Vec<Feature>> {
    let reply = fetch(app, path, &[]).await;
    assert_eq!(
        reply.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&reply.bytes)
    );
    assert_eq!(
        reply.header("content-type"),
        Some("application/vnd.mapbox-vector-tile")
    );
    decode(&reply.bytes)
}

fn ids(features: &[Feature]) -> BTreeSet<i64> {
    features.iter().filter_map(Feature::asset_id).collect()
}

async fn tile_queries(app: &TestApp) -> u64 {
    app.get("/tiles/_stats").await.body["queries"]
        .as_u64()
        .expect("a query counter")
}

const SENSITIVE: &[&str] = &[
    "contract_ref",
    "monthly_fee_vnd",
    "note",
    "pipes",
    "occupant",
    "tenants",
    "capacity_used",
];

#[tokio::test]
async fn asset_tiles_carry_the_map_properties_and_nothing_commercially_sensitive() {
    let app = spawn_app().await;
    let tower = app.create("towers", &tower("T-1")).await;
    app.post_json(
        &format!("/api/v1/assets/{tower}/tenancies"),
        &json!({"tenant": "VIETTEL", "since": "2022-03-01", "contract_ref": "HĐ-2022/001", "monthly_fee_vnd": 4500000, "note": "giá ưu đãi"}),
    )
    .await;
    let duct = app.create("ducts", &duct("D-1")).await;
    let cable = app.create("cables", &cable("C-1", &[])).await;
    let cabinet = app.create("cabinets", &cabinet("CAB-1")).await;
    // The fixture's points and lines lie in two neighbouring zoom-14 tiles.
    let points = layers(
        &app,
        &path(
            "towers,cabinets",
            tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 14),
        ),
    )
    .await;
    let lines_at = tile_at(108.8, 15.111, 14);
    let lines = layers(&app, &path("ducts,cables", lines_at)).await;

    let towers = &points["towers"];
    assert_eq!(towers.len(), 1);
    let t = &towers[0];
    assert_eq!(
        t.id,
        Some(tower as u64),
        "the MVT feature id is the asset id"
    );
    assert_eq!(t.asset_id(), Some(tower));
    assert_eq!(t.get("kind").text(), "tower");
    assert_eq!(t.get("code").text(), "T-1");
    assert_eq!(t.get("operator").text(), "VNPT");
    assert_eq!(t.get("status").text(), "operational");
    assert_eq!(t.get("tenant_count").number(), 1.0);
    assert_eq!(t.get("shared"), &Prop::Bool(true));
    assert_eq!(t.get("tower_class").text(), "A2b");
    assert_eq!(t.get("height_m").number(), 42.0);
    assert_eq!(t.get("placement").text(), "ground");
    assert_eq!(t.get("ward_code").text(), "21031");

    let d = &lines["ducts"][0];
    assert_eq!(d.asset_id(), Some(duct));
    assert_eq!(d.get("pipe_count").number(), 4.0);
    assert_eq!(d.get("free_pipes").number(), 1.0);
    assert_eq!(d.get("shared"), &Prop::Bool(false));
    let c = &lines["cables"][0];
    assert_eq!(c.asset_id(), Some(cable));
    assert_eq!(c.get("placement").text(), "overhead");
    assert_eq!(c.get("medium").text(), "fibre");
    assert_eq!(c.get("role").text(), "subscriber");
    assert_eq!(points["cabinets"][0].asset_id(), Some(cabinet));
    assert_eq!(
        points["cabinets"][0].get("cabinet_type").text(),
        "fibre_distribution"
    );

    for (layer, features) in points.iter().chain(&lines) {
        for feature in features {
            for key in SENSITIVE {
                assert!(
                    !feature.props.contains_key(*key),
                    "{layer} carries {key}: {:?}",
                    feature.props
                );
            }
            assert!(!feature.props.values().any(
                |v| matches!(v, Prop::Text(t) if t.contains("HĐ-2022") || t.contains("ưu đãi"))
            ));
        }
    }

    // The overhead cable is in the overhead layer only.
    let split = layers(&app, &path("cables_overhead,cables_underground", lines_at)).await;
    assert_eq!(ids(&split["cables_overhead"]), BTreeSet::from([cable]));
    assert!(split.get("cables_underground").is_none_or(Vec::is_empty));
}

#[tokio::test]
async fn features_are_clipped_to_the_tile_and_its_buffer() {
    let app = spawn_app().await;
    // A cable crossing many zoom-17 tiles, and poles on both sides of a tile edge.
    let long = feature(
        line(&[[108.796, 15.106], [108.814, 15.124]]),
        json!({"code": "C-LONG", "operator": "VIETTEL", "placement": "underground", "medium": "fibre", "role": "trunk"}),
    );
    let id = app.create("cables", &long).await;
    let at = tile_at(108.805, 15.115, 17);
    let tile = layers(&app, &path("cables", at)).await;
    let cable = &tile["cables"];
    assert_eq!(ids(cable), BTreeSet::from([id]));
    assert!(
        cable[0]
            .points
            .iter()
            .all(|&(x, y)| (-64..=4096 + 64).contains(&x) && (-64..=4096 + 64).contains(&y)),
        "{:?}",
        cable[0].points
    );
    // It leaves the tile: clipped at the buffer's edge, not at the tile's.
    assert!(
        cable[0]
            .points
            .iter()
            .any(|&(x, y)| !(0..=4096).contains(&x) || !(0..=4096).contains(&y))
    );

    // A pole just outside the tile shows in the buffer; one far outside does not.
    let [west, _, east, north] = tile_bounds(at);
    let step = (east - west) / 4096.0;
    let near = app
        .create(
            "poles",
            &pole("P-NEAR", east + 20.0 * step, north - 100.0 * step),
        )
        .await;
    let far = app
        .create(
            "poles",
            &pole("P-FAR", east + 400.0 * step, north - 100.0 * step),
        )
        .await;
    let poles = &layers(&app, &path("poles", at)).await["poles"];
    assert_eq!(ids(poles), BTreeSet::from([near]));
    let (x, _) = poles[0].points[0];
    assert!((4096..=4096 + 64).contains(&x), "{x}");
    assert!(!ids(poles).contains(&far));
}

#[tokio::test]
async fn an_edit_shows_in_the_next_tile_request() {
    let app = spawn_app().await;
    let z16 = |lon, lat| tile_at(lon, lat, 16);
    let here = (108.8005, 15.1155);
    let there = (108.8095, 15.1205);
    assert_ne!(z16(here.0, here.1), z16(there.0, there.1));
    let composite = "towers,poles,cables";
    let at_here = path(composite, z16(here.0, here.1));
    let at_there = path(composite, z16(there.0, there.1));
    let low = path(composite, tile_at(here.0, here.1, 12));
    // Warm the cache, also at a low zoom where the pole is clustered.
    assert!(!layers(&app, &at_here).await.contains_key("poles"));
    layers(&app, &at_there).await;
    layers(&app, &low).await;

    // Created: there at once, and counted at low zoom.
    let pole_id = app.create("poles", &pole("P-EDIT", here.0, here.1)).await;
    assert_eq!(
        ids(&layers(&app, &at_here).await["poles"]),
        BTreeSet::from([pole_id])
    );
    assert_eq!(layers(&app, &low).await["poles"].len(), 1);

    // A tenancy changes the sharing drawn on the map.
    let tenancy = app
        .post_json(
            &format!("/api/v1/assets/{pole_id}/tenancies"),
            &json!({"tenant": "VNPT", "since": "2024-01-01"}),
        )
        .await;
    assert_eq!(tenancy.status, 201, "{}", tenancy.text);
    let shared = &layers(&app, &at_here).await["poles"][0];
    assert_eq!(shared.get("shared"), &Prop::Bool(true));

    // Moved: gone from the old tile, in the new one.
    let moved = app
        .patch_json(
            &format!("/api/v1/poles/{pole_id}"),
            &json!({"geometry": point(there.0, there.1)}),
            None,
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert!(!layers(&app, &at_here).await.contains_key("poles"));
    assert_eq!(
        ids(&layers(&app, &at_there).await["poles"]),
        BTreeSet::from([pole_id])
    );

    // Restyled: a new status shows.
    app.patch_json(
        &format!("/api/v1/poles/{pole_id}"),
        &json!({"properties": {"status": "inactive"}}),
        None,
    )
    .await;
    let inactive = &layers(&app, &at_there).await["poles"][0];
    assert_eq!(inactive.get("status").text(), "inactive");

    // Decommissioned: off the map.
    let gone = app
        .post_json(&format!("/api/v1/poles/{pole_id}/decommission"), &json!({}))
        .await;
    assert_eq!(gone.status, 200, "{}", gone.text);
    assert!(!layers(&app, &at_there).await.contains_key("poles"));
}

#[tokio::test]
async fn a_change_made_directly_in_the_database_reaches_the_tiles() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("T-SQL")).await;
    let at = path("towers", tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 15));
    assert_eq!(
        ids(&layers(&app, &at).await["towers"]),
        BTreeSet::from([id])
    );
    // Another writer (an import, psql) bypasses the API; the trigger tells the server.
    sqlx::query("update asset set status = 'decommissioned' where id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut gone = false;
    for _ in 0..50 {
        if !layers(&app, &at).await.contains_key("towers") {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        gone,
        "the tile still shows the decommissioned tower after 5 s"
    );
}

/// Inserts `count` poles spread over the middle of tile `at`, straight in SQL.
async fn many_poles(app: &TestApp, at: (u8, u32, u32), count: i32) {
    let [west, south, east, north] = tile_bounds(at);
    let (w, h) = ((east - west) * 0.6, (north - south) * 0.6);
    let side = (f64::from(count)).sqrt().ceil() as i32;
    sqlx::raw_sql(&format!(
        "with new as (
             insert into asset (kind, code, owner_id, status, geom)
             select 'pole', 'BULK-' || i, (select id from operator where code = 'EVNCPC'), 'operational',
                    ST_SetSRID(ST_MakePoint({x0} + (i % {side}) * {dx}, {y0} + (i / {side}) * {dy}), 4326)
             from generate_series(0, {last}) i
             returning id)
         insert into pole (asset_id, material, height_m) select id, 'concrete', 8 from new",
        x0 = west + (east - west) * 0.2,
        y0 = south + (north - south) * 0.2,
        dx = w / f64::from(side),
        dy = h / f64::from(side),
        last = count - 1,
    ))
    .execute(&app.pool)
    .await
    .expect("bulk poles");
}

#[tokio::test]
async fn low_zooms_show_pole_clusters_and_every_tile_has_a_feature_cap() {
    let app = spawn_app().await;
    let detail = tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 15);
    many_poles(&app, detail, 12_000).await;
    let single = app
        .create("poles", &pole("P-ALONE", 108.7805, 15.1235))
        .await;

    // Zoom 13: clusters with counts, every pole counted once, a light tile.
    let at = tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 13);
    let poles = &layers(&app, &path("poles", at)).await["poles"];
    assert!(poles.len() <= 18 * 18, "{} features", poles.len());
    let clusters: Vec<&Feature> = poles.iter().filter(|f| f.is_cluster()).collect();
    assert!(!clusters.is_empty());
    for cluster in &clusters {
        assert!(cluster.get("count").number() > 1.0);
        assert_eq!(cluster.get("count"), cluster.get("point_count"));
        assert!(cluster.asset_id().is_none() && cluster.id.is_none());
        assert_eq!(cluster.get("kind").text(), "pole");
    }
    let inside = |f: &&Feature| {
        f.points
            .iter()
            .all(|&(x, y)| (0..4096).contains(&x) && (0..4096).contains(&y))
    };
    let counted: f64 = poles
        .iter()
        .filter(inside)
        .map(|f| {
            if f.is_cluster() {
                f.get("count").number()
            } else {
                1.0
            }
        })
        .sum();
    assert_eq!(counted, 12_001.0, "every pole in the tile is counted once");
    // A pole alone in its cell is drawn as itself.
    let alone: Vec<&Feature> = poles.iter().filter(|f| !f.is_cluster()).collect();
    assert_eq!(
        alone
            .iter()
            .filter_map(|f| f.asset_id())
            .collect::<Vec<_>>(),
        vec![single]
    );
    assert_eq!(alone[0].get("code").text(), "P-ALONE");

    // Zoom 15, where poles are drawn one by one: the cap holds.
    let capped = &layers(&app, &path("poles", detail)).await["poles"];
    assert_eq!(capped.len(), 10_000);
    assert!(
        capped
            .iter()
            .all(|f| !f.is_cluster() && f.asset_id().is_some())
    );
    let listing = app.get("/tiles").await;
    assert_eq!(listing.body["max_features_per_layer"], 10_000);
}

#[tokio::test]
async fn low_zooms_drop_short_lines_and_keep_long_ones() {
    let app = spawn_app().await;
    let cable_at = |code: &str, coordinates: &[[f64; 2]]| {
        feature(
            line(coordinates),
            json!({"code": code, "operator": "VIETTEL", "placement": "overhead", "medium": "fibre", "role": "trunk"}),
        )
    };
    let short = app
        .create(
            "cables",
            &cable_at("C-SHORT", &[[108.8000, 15.115], [108.8002, 15.115]]),
        )
        .await;
    let long = app
        .create(
            "cables",
            &cable_at(
                "C-LONG",
                &[[108.796, 15.110], [108.805, 15.118], [108.814, 15.120]],
            ),
        )
        .await;
    let low = &layers(&app, &path("cables", tile_at(108.8, 15.115, 11))).await["cables"];
    assert_eq!(ids(low), BTreeSet::from([long]));
    let detail = &layers(&app, &path("cables", tile_at(108.8, 15.115, 14))).await["cables"];
    assert_eq!(ids(detail), BTreeSet::from([short, long]));
    // Below its minimum zoom the layer is empty.
    let hidden = fetch(&app, &path("cables", tile_at(108.8, 15.115, 8)), &[]).await;
    assert_eq!(hidden.status, 200);
    assert!(decode(&hidden.bytes).is_empty());
}

#[tokio::test]
async fn an_unchanged_tile_answers_304_to_its_etag() {
    let app = spawn_app().await;
    app.create("towers", &tower("T-E")).await;
    let at = path("towers", tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 14));
    let first = fetch(&app, &at, &[]).await;
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let again = fetch(&app, &at, &[("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.bytes.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    // After an edit the old ETag no longer matches.
    app.create("towers", &tower("T-E2")).await;
    let changed = fetch(&app, &at, &[("If-None-Match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_eq!(decode(&changed.bytes)["towers"].len(), 2);
}

#[tokio::test]
async fn tiles_are_gzipped_when_the_client_accepts_gzip() {
    let app = spawn_app().await;
    for i in 0..20 {
        app.create(
            "poles",
            &pole(&format!("P-G{i}"), 108.800 + f64::from(i) * 0.0001, 15.115),
        )
        .await;
    }
    let at = path("poles,wards", tile_at(108.8, 15.115, 16));
    let plain = fetch(&app, &at, &[]).await;
    assert_eq!(plain.header("content-encoding"), None);
    let zipped = fetch(&app, &at, &[("Accept-Encoding", "gzip, deflate, br")]).await;
    assert_eq!(zipped.status, 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(zipped.header("vary"), Some("Accept-Encoding"));
    assert!(zipped.bytes.len() < plain.bytes.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped.bytes[..])
        .read_to_end(&mut unzipped)
        .expect("gzip");
    assert_eq!(unzipped, plain.bytes, "gzipped once, and the same tile");
    assert_ne!(zipped.header("etag"), plain.header("etag"));
    // A 304 also works for the gzipped representation's tag.
    let etag = zipped.header("etag").unwrap().to_string();
    let again = fetch(
        &app,
        &at,
        &[("Accept-Encoding", "gzip"), ("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(again.status, 304);
}

#[tokio::test]
async fn concurrent_requests_for_a_cold_tile_make_one_database_query() {
    let app = spawn_app().await;
    for i in 0..10 {
        app.create(
            "poles",
            &pole(&format!("P-C{i}"), 108.800 + f64::from(i) * 0.0001, 15.115),
        )
        .await;
    }
    let at = path(
        "towers,poles,cables,wards,streets",
        tile_at(108.8, 15.115, 16),
    );
    let before = tile_queries(&app).await;
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let client = reqwest::Client::new();
        let url = app.url(&at);
        let cookie = app
            .session
            .as_ref()
            .map(|s| s.cookie.clone())
            .unwrap_or_default();
        requests.spawn(async move {
            let response = client
                .get(url)
                .header("Cookie", cookie)
                .send()
                .await
                .expect("an answer");
            assert_eq!(response.status().as_u16(), 200);
            response.bytes().await.expect("a body").to_vec()
        });
    }
    let bodies: Vec<Vec<u8>> = requests.join_all().await;
    assert_eq!(tile_queries(&app).await - before, 1);
    assert!(bodies.iter().all(|b| *b == bodies[0]));
    assert_eq!(decode(&bodies[0])["poles"].len(), 10);
    // And a warm tile makes none.
    fetch(&app, &at, &[]).await;
    assert_eq!(tile_queries(&app).await - before, 1);
}

#[tokio::test]
async fn a_composite_tile_holds_several_layers() {
    let app = spawn_app().await;
    app.create("towers", &tower("T-M")).await;
    app.create("poles", &pole("P-M", 108.8001, 15.1151)).await;
    app.create("manholes", &manhole("M-M", 108.8002, 15.1152))
        .await;
    let mut tunnel = trench("TR-M");
    tunnel["geometry"] = line(&[[108.797, 15.116], [108.803, 15.116]]);
    app.create("trenches", &tunnel).await;
    // Zoom 13: towers one by one, a lone pole and manhole drawn as themselves.
    let at = tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 13);
    let tile = layers(
        &app,
        &path("wards,towers,poles,manholes,trenches,streets", at),
    )
    .await;
    let names: BTreeSet<&str> = tile.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from(["manholes", "poles", "towers", "trenches", "wards"])
    );
    let ward = tile["wards"]
        .iter()
        .find(|w| w.get("gso_code").text() == "21031")
        .expect("Chánh Lộ is drawn");
    assert_eq!(ward.get("name").text(), "Chánh Lộ");
    assert_eq!(tile["manholes"][0].get("covers").number(), 2.0);
    assert!(
        tile["wards"]
            .iter()
            .all(|w| w.get("gso_code").text() != "21999"),
        "a dissolved ward is not drawn"
    );
    assert_eq!(tile["trenches"][0].get("trench_type").text(), "tunnel");
    // Order in the URL does not matter.
    let reordered = fetch(
        &app,
        &path("streets,trenches,manholes,poles,towers,wards", at),
        &[],
    )
    .await;
    assert_eq!(decode(&reordered.bytes).len(), 5);
}

#[tokio::test]
async fn tilejson_describes_layers_with_absolute_tile_urls() {
    let app = spawn_app().await;
    let one = app.get("/tiles/poles").await;
    assert_eq!(one.status, 200, "{}", one.text);
    let doc = &one.body;
    assert_eq!(doc["tilejson"], "3.0.0");
    assert_eq!(
        doc["tiles"][0],
        format!("{}/tiles/poles/{{z}}/{{x}}/{{y}}", app.address)
    );
    assert_eq!(doc["minzoom"], 10);
    assert_eq!(doc["maxzoom"], 16);
    assert_eq!(doc["bounds"].as_array().unwrap().len(), 4);
    let fields = &doc["vector_layers"][0]["fields"];
    assert_eq!(doc["vector_layers"][0]["id"], "poles");
    for field in [
        "id",
        "kind",
        "code",
        "operator",
        "status",
        "tenant_count",
        "shared",
        "ward_code",
        "purpose",
        "material",
        "cluster",
        "count",
    ] {
        assert!(fields.get(field).is_some(), "poles lacks {field}");
    }

    let composite = app.get("/tiles/wards,towers,cables").await;
    let layers: Vec<&str> = composite.body["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["towers", "cables", "wards"]);
    assert_eq!(composite.body["minzoom"], 6);
    assert!(
        composite.body["tiles"][0]
            .as_str()
            .unwrap()
            .contains("/tiles/towers,cables,wards/")
    );

    let listing = app.get("/tiles").await;
    let names: Vec<&str> = listing.body["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    for name in [
        "towers",
        "poles",
        "ducts",
        "manholes",
        "trenches",
        "cables",
        "cables_overhead",
        "cables_underground",
        "cabinets",
        "wards",
        "streets",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }

    let unknown = app.get("/tiles/pylons/14/1/1").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "not_found");
    assert_eq!(app.get("/tiles/pylons").await.status, 404);
    let outside = app.get("/tiles/poles/3/8/1").await;
    assert_eq!(outside.status, 400);
    assert_eq!(outside.error_code(), "malformed_request");
    assert_eq!(app.get("/tiles/poles/x/1/1").await.status, 400);
}

#[tokio::test]
async fn the_public_sees_only_the_towers_a_ward_publishes_without_sharing() {
    let app = spawn_app().await;
    let shared = app.create("towers", &tower("T-PUB")).await;
    app.post_json(
        &format!("/api/v1/assets/{shared}/tenancies"),
        &serde_json::json!({"tenant": "VIETTEL", "since": "2024-01-01"}),
    )
    .await;
    app.create("poles", &pole("P-PUB", 108.8001, 15.1151)).await;
    let public = app.anonymous();
    let at = path(
        "towers,wards,streets",
        tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 14),
    );
    let hidden = layers(&public, &at).await;
    assert!(
        hidden.get("towers").is_none_or(|t| t.is_empty()),
        "nothing is published yet"
    );
    assert!(hidden.contains_key("wards"), "ward boundaries are public");
    let poles = fetch(
        &public,
        &path("poles", tile_at(IN_CHANH_LO[0], IN_CHANH_LO[1], 16)),
        &[],
    )
    .await;
    assert_eq!(poles.status, 401, "poles are not public");
    app.send(
        app.client
            .put(app.url("/api/v1/wards/21031/publication"))
            .json(&serde_json::json!({"towers": true, "undergrounding": false, "planned_works": false})),
    )
    .await;
    let shown = layers(&public, &at).await;
    let towers = &shown["towers"];
    assert_eq!(towers.len(), 1);
    let properties = &towers[0].props;
    assert_eq!(properties.get("code").map(Prop::text), Some("T-PUB"));
    assert!(
        properties.get("tenant_count").is_none() && properties.get("shared").is_none(),
        "{:?}",
        properties.keys()
    );
    // A logged-in user sees the sharing as before.
    let staff = layers(&app, &at).await;
    assert_eq!(
        staff["towers"][0]
            .props
            .get("tenant_count")
            .map(Prop::number),
        Some(1.0)
    );
}

#[tokio::test]
async fn below_zoom_14_cable_routes_merge_per_operator_and_style() {
    let app = spawn_app().await;
    let cable = |code: &str, operator: &str, lat: f64| {
        feature(
            line(&[
                [108.796, lat],
                [108.805, lat + 0.002],
                [108.812, lat + 0.001],
            ]),
            json!({"code": code, "operator": operator, "placement": "overhead", "medium": "fibre", "role": "subscriber"}),
        )
    };
    let mut viettel = BTreeSet::new();
    for (i, lat) in [15.112, 15.1145, 15.117].into_iter().enumerate() {
        viettel.insert(
            app.create("cables", &cable(&format!("C-V{i}"), "VIETTEL", lat))
                .await,
        );
    }
    let vnpt = app
        .create("cables", &cable("C-VNPT", "VNPT", 15.1195))
        .await;

    // Zoom 12: the three Viettel routes are one feature; VNPT's lone route is itself.
    let low = &layers(&app, &path("cables", tile_at(108.800, 15.118, 12))).await["cables"];
    assert_eq!(low.len(), 2, "{low:?}");
    let merged = low.iter().find(|f| f.asset_id().is_none()).unwrap();
    assert_eq!(merged.get("count").number(), 3.0);
    assert_eq!(merged.get("operator").text(), "VIETTEL");
    assert_eq!(merged.get("placement").text(), "overhead");
    assert_eq!(merged.get("role").text(), "subscriber");
    assert_eq!(merged.get("kind").text(), "cable");
    assert!(merged.id.is_none() && !merged.props.contains_key("code"));
    let lone = low.iter().find(|f| f.asset_id().is_some()).unwrap();
    assert_eq!(lone.asset_id(), Some(vnpt));
    assert_eq!(lone.get("code").text(), "C-VNPT");
    assert_eq!(lone.get("medium").text(), "fibre");
    assert!(!lone.props.contains_key("count"));
    // The overhead layer merges the same way.
    let overhead = &layers(&app, &path("cables_overhead", tile_at(108.800, 15.118, 12))).await["cables_overhead"];
    assert_eq!(overhead.len(), 2);

    // Zoom 14: every route as itself, as before.
    for (id, lat) in viettel
        .iter()
        .zip([15.112, 15.1145, 15.117])
        .chain([(&vnpt, 15.1195)])
    {
        let detail =
            &layers(&app, &path("cables", tile_at(108.805, lat + 0.002, 14))).await["cables"];
        assert!(ids(detail).contains(id), "{id} at zoom 14");
        assert!(detail.iter().all(|f| !f.props.contains_key("count")));
    }
}
