//! Undergrounding flags, projects, sharing analysis and dig-once, checked
//! against lengths computed by hand.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

const LAT: f64 = 15.115;

/// Metres per degree of longitude on the WGS84 ellipsoid at latitude `phi`:
/// (π/180) · a · cos φ / √(1 − e² sin² φ).
fn metres_per_degree_lon(phi: f64) -> f64 {
    let (a, e2) = (6_378_137.0_f64, 0.006_694_379_990_14_f64);
    let phi = phi.to_radians();
    std::f64::consts::PI / 180.0 * a * phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt()
}

/// Metres per degree of latitude: (π/180) · a(1 − e²) / (1 − e² sin² φ)^(3/2).
fn metres_per_degree_lat(phi: f64) -> f64 {
    let (a, e2) = (6_378_137.0_f64, 0.006_694_379_990_14_f64);
    let phi = phi.to_radians();
    std::f64::consts::PI / 180.0 * a * (1.0 - e2) / (1.0 - e2 * phi.sin().powi(2)).powf(1.5)
}

fn km_lon(degrees: f64) -> f64 {
    degrees * metres_per_degree_lon(LAT) / 1000.0
}

fn close(actual: &Value, expected_km: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {actual}"));
    assert!(
        (actual - expected_km).abs() < 0.002,
        "{what}: {actual} km, expected {expected_km:.4} km"
    );
}

fn overhead(code: &str, operator: &str, coordinates: &[[f64; 2]]) -> Value {
    feature(
        line(coordinates),
        json!({"code": code, "operator": operator, "placement": "overhead", "medium": "fibre", "role": "subscriber"}),
    )
}

/// The hand-built street: "Phan Đình Phùng" along 15.115° N from 108.797° to 108.803° E,
/// a 15 m corridor; overhead cables of three operators; a duct with a free pipe.
async fn street_with_cables(admin: &TestApp) -> (i64, Vec<i64>) {
    let planner = admin.as_user("planner").await;
    let area = planner
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": "Phan Đình Phùng", "geometry": line(&[[108.797, LAT], [108.803, LAT]]), "target_year": 2026,
                    "source_doc": "Kế hoạch ngầm hóa 2026 (thử)"}),
        )
        .await;
    assert_eq!(area.status, 201, "{}", area.text);
    let mut cables = Vec::new();
    // VNPT: from outside the street's west end to its middle (0.003° inside).
    cables.push(
        admin
            .create(
                "cables",
                &overhead("C1", "VNPT", &[[108.795, 15.11505], [108.800, 15.11505]]),
            )
            .await,
    );
    // Viettel: from the middle to beyond the east end (0.004° inside).
    cables.push(
        admin
            .create(
                "cables",
                &overhead("C2", "VIETTEL", &[[108.799, 15.1149], [108.806, 15.1149]]),
            )
            .await,
    );
    // MobiFone: across the street (30 m inside the corridor).
    cables.push(
        admin
            .create(
                "cables",
                &overhead("C4", "MOBIFONE", &[[108.8025, 15.110], [108.8025, 15.120]]),
            )
            .await,
    );
    // FPT: underground, not counted.
    let mut underground = overhead("C3", "FPT", &[[108.797, 15.11502], [108.803, 15.11502]]);
    underground["properties"]["placement"] = json!("underground");
    admin.create("cables", &underground).await;
    // A VNPT duct with a free pipe under the middle of the street: 108.798–108.801.
    let mut free_duct = duct("D-FREE");
    free_duct["geometry"] = line(&[[108.798, LAT], [108.801, LAT]]);
    admin.create("ducts", &free_duct).await;
    (area.body["id"].as_i64().unwrap(), cables)
}

#[tokio::test]
async fn overhead_km_density_and_debt_follow_the_geometry() {
    let admin = spawn_app().await;
    street_with_cables(&admin).await;
    let flags = admin.get("/api/v1/undergrounding/flags").await;
    assert_eq!(flags.status, 200, "{}", flags.text);
    let segment = &flags.body["features"][0]["properties"];
    assert_eq!(segment["segment_name"], "Phan Đình Phùng");
    let mobifone_km = 30.0 / 1000.0;
    close(
        &segment["overhead_km"],
        km_lon(0.003) + km_lon(0.004) + mobifone_km,
        "overhead km",
    );
    close(&segment["by_operator"]["VNPT"], km_lon(0.003), "VNPT");
    close(&segment["by_operator"]["VIETTEL"], km_lon(0.004), "Viettel");
    close(
        &segment["by_operator"]["MOBIFONE"],
        mobifone_km,
        "MobiFone (crossing)",
    );
    assert!(
        segment["by_operator"].get("FPT").is_none(),
        "underground cable does not count"
    );
    assert_eq!(
        segment["cable_count"], 2,
        "the crossing cable does not run along the street"
    );
    // Debt: overhead cable along the free duct: 0.002° of VNPT and 0.002° of Viettel.
    close(&segment["debt_km"], km_lon(0.002) * 2.0, "debt");
    assert_eq!(segment["ward_code"], "21031");

    // Per operator, and as a spreadsheet.
    let vnpt_only = admin
        .get("/api/v1/undergrounding/flags?operator=VNPT")
        .await;
    close(
        &vnpt_only.body["features"][0]["properties"]["overhead_km"],
        km_lon(0.003),
        "VNPT filter",
    );
    let csv = admin.get("/api/v1/undergrounding/flags?format=csv").await;
    assert!(csv.text.contains("Phan Đình Phùng"));
    let xlsx = admin
        .send(
            admin
                .client
                .get(admin.url("/api/v1/undergrounding/flags?format=xlsx")),
        )
        .await;
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
}

#[tokio::test]
async fn a_zone_counts_the_street_segments_inside_it_and_cables_crossing_its_edge() {
    let admin = spawn_app().await;
    sqlx::query("insert into street (name, class, geom) values ('Lê Trung Đình', 'main', ST_GeomFromText('LINESTRING(108.805 15.115, 108.814 15.115)', 4326))")
        .execute(&admin.pool)
        .await
        .unwrap();
    let planner = admin.as_user("planner").await;
    let zone = planner
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": "Khu trung tâm hành chính", "target_year": 2027, "source_doc": "Kế hoạch (thử)",
                    "geometry": {"type": "Polygon", "coordinates": [[[108.810, 15.110], [108.812, 15.110], [108.812, 15.120], [108.810, 15.120], [108.810, 15.110]]]}}),
        )
        .await;
    assert_eq!(zone.status, 201, "{}", zone.text);
    assert_eq!(zone.body["area_type"], "zone");
    // Crosses the zone's west edge: 0.001° inside.
    admin
        .create(
            "cables",
            &overhead("C5", "VNPT", &[[108.806, 15.1151], [108.811, 15.1151]]),
        )
        .await;
    let flags = admin.get("/api/v1/undergrounding/flags").await;
    assert_eq!(flags.status, 200, "{}", flags.text);
    let segment = &flags.body["features"][0]["properties"];
    assert_eq!(segment["area_type"], "zone", "{}", flags.text);
    assert_eq!(segment["segment_name"], "Lê Trung Đình");
    close(&segment["overhead_km"], km_lon(0.001), "zone segment");
}

/// A street kept as several rows of one name (a way per block, as in
/// OpenStreetMap) is one segment of a zone, and a cable along two of its rows
/// is one cable; a cable that goes leaves the kept sums at once (migration 0125).
#[tokio::test]
async fn a_street_of_several_rows_is_one_segment_and_a_cable_that_goes_leaves_it() {
    let admin = spawn_app().await;
    sqlx::query(
        "insert into street (name, class, geom) values
           ('Lê Trung Đình', 'main', ST_GeomFromText('LINESTRING(108.805 15.115, 108.811 15.115)', 4326)),
           ('Lê Trung Đình', 'main', ST_GeomFromText('LINESTRING(108.811 15.115, 108.814 15.115)', 4326))",
    )
    .execute(&admin.pool)
    .await
    .unwrap();
    let planner = admin.as_user("planner").await;
    let zone = planner
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": "Khu phố cổ (thử)", "target_year": 2027, "source_doc": "Kế hoạch (thử)",
                    "geometry": {"type": "Polygon", "coordinates": [[[108.810, 15.110], [108.813, 15.110], [108.813, 15.120], [108.810, 15.120], [108.810, 15.110]]]}}),
        )
        .await;
    assert_eq!(zone.status, 201, "{}", zone.text);
    let zone_id = zone.body["id"].clone();
    let rows: i64 = sqlx::query_scalar(
        "select count(*) from undergrounding_segment
         where area_id = $1 and ward_id = (select id from admin_unit where gso_code = '21031')",
    )
    .bind(zone_id.as_i64().unwrap())
    .fetch_one(&admin.pool)
    .await
    .unwrap();
    assert_eq!(rows, 2, "one segment row per street row in Chánh Lộ");
    // Along both rows inside the zone: 0.001° along the first, 0.0005° along the second.
    let cable = admin
        .create(
            "cables",
            &overhead(
                "C-2ROWS",
                "VNPT",
                &[[108.806, 15.1151], [108.8115, 15.1151]],
            ),
        )
        .await;
    let ours = |flags: &Value| -> Vec<Value> {
        flags["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["area_id"] == zone_id)
            .map(|f| f["properties"].clone())
            .collect()
    };
    let flags = admin.get("/api/v1/undergrounding/flags").await;
    assert_eq!(flags.status, 200, "{}", flags.text);
    let segments = ours(&flags.body);
    assert_eq!(
        segments.len(),
        1,
        "one segment for the street's two rows: {segments:?}"
    );
    close(
        &segments[0]["overhead_km"],
        km_lon(0.0015),
        "both rows' pieces",
    );
    assert_eq!(segments[0]["cable_count"], 1, "one cable, not one per row");
    close(
        &segments[0]["by_operator"]["VNPT"],
        km_lon(0.0015),
        "VNPT's metres",
    );

    // Assets are decommissioned through the API and their history keeps them;
    // a cable's detail row deleted in the database takes its pieces with it.
    sqlx::query("delete from cable where asset_id = $1")
        .bind(cable)
        .execute(&admin.pool)
        .await
        .unwrap();
    let segments = ours(&admin.get("/api/v1/undergrounding/flags").await.body);
    assert_eq!(segments.len(), 1);
    close(
        &segments[0]["overhead_km"],
        0.0,
        "the deleted cable is gone from the sums",
    );
    assert_eq!(segments[0]["cable_count"], 0);
}

#[tokio::test]
async fn the_ward_dashboard_adds_up() {
    let admin = spawn_app().await;
    street_with_cables(&admin).await;
    let dashboard = admin
        .get("/api/v1/undergrounding/dashboard?ward=21031")
        .await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.text);
    let b = &dashboard.body;
    // All overhead cable in Chánh Lộ: C1 0.005°, C2 0.007° of longitude, C4 0.010° of latitude.
    let total = km_lon(0.005) + km_lon(0.007) + 0.010 * metres_per_degree_lat(LAT) / 1000.0;
    close(&b["overhead_km"], total, "overhead in the ward");
    close(
        &b["overhead_km_in_areas"],
        km_lon(0.003) + km_lon(0.004) + 0.030,
        "overhead in areas",
    );
    close(&b["debt_km"], km_lon(0.002) * 2.0, "debt");
    assert_eq!(b["worst_segments"][0]["segment_name"], "Phan Đình Phùng");
    assert!(
        !b["history"].as_array().unwrap().is_empty(),
        "today's point"
    );
    assert_eq!(
        admin
            .anonymous()
            .get("/api/v1/undergrounding/dashboard?ward=21031")
            .await
            .status,
        401,
        "not published"
    );
    admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/wards/21031/publication"))
                .json(&json!({"towers": false, "undergrounding": true, "planned_works": false})),
        )
        .await;
    let public = admin
        .anonymous()
        .get("/api/v1/undergrounding/dashboard?ward=21031")
        .await;
    assert_eq!(public.status, 200);
    assert!(
        public.body.get("by_operator").is_none(),
        "the public sees progress, not owners"
    );
}

fn photo() -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01".to_vec())
            .file_name("sau-khi-thao.jpg"),
    )
}

#[tokio::test]
async fn a_project_closes_only_when_every_overhead_cable_is_down() {
    let admin = spawn_app().await;
    let (area, cables) = street_with_cables(&admin).await;
    let planner = admin.as_user("planner").await;
    let project = planner
        .post_json(
            "/api/v1/undergrounding/projects",
            &json!({"name": "Ngầm hóa Phan Đình Phùng", "area_id": area, "operators": ["VNPT", "VIETTEL"],
                    "duct_design": "4 ống HDPE D110", "budget_source": "Xã hội hóa"}),
        )
        .await;
    assert_eq!(project.status, 201, "{}", project.text);
    let id = project.body["id"].as_i64().unwrap();
    let url = |path: &str| format!("/api/v1/undergrounding/projects/{id}{path}");
    let status = |s: &str| json!({"status": s});
    assert_eq!(
        planner
            .post_json(&url("/status"), &status("in_progress"))
            .await
            .status,
        200
    );
    let reported = planner
        .post_json(
            &url("/progress"),
            &json!({"day": "2026-10-01", "km_built": 0.4}),
        )
        .await;
    assert_eq!(reported.body["built_km"], 0.4);
    let vnpt = admin.as_user("vnpt").await;
    let early = vnpt
        .send(
            vnpt.client
                .post(vnpt.url(&url("/removal")))
                .multipart(photo()),
        )
        .await;
    assert_eq!(early.status, 409, "not before the works are complete");
    assert_eq!(
        planner
            .post_json(&url("/status"), &status("completed"))
            .await
            .status,
        200
    );

    let no_photo = vnpt
        .send(
            vnpt.client
                .post(vnpt.url(&url("/removal")))
                .multipart(reqwest::multipart::Form::new().text("cables", "")),
        )
        .await;
    assert!(no_photo.has_problem("photo"));
    let confirmed = vnpt
        .send(
            vnpt.client
                .post(vnpt.url(&url("/removal")))
                .multipart(photo()),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    let c1 = admin.get(&format!("/api/v1/cables/{}", cables[0])).await;
    assert_eq!(
        c1.body["properties"]["status"], "decommissioned",
        "VNPT's cable is down"
    );

    let refused = planner.post_json(&url("/close"), &json!({})).await;
    assert_eq!(refused.status, 409);
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("VIETTEL") && message.contains("C4 of MOBIFONE"),
        "{message}"
    );

    let viettel = admin.as_user("viettel").await;
    assert_eq!(
        viettel
            .send(
                viettel
                    .client
                    .post(viettel.url(&url("/removal")))
                    .multipart(photo())
            )
            .await
            .status,
        200
    );
    let still = planner.post_json(&url("/close"), &json!({})).await;
    assert_eq!(
        still.status, 409,
        "MobiFone's crossing cable still stands: {}",
        still.text
    );
    // MobiFone takes its cable down through the registry; the flags and the project follow.
    let mobifone = admin.as_user("fpt").await;
    assert_eq!(
        mobifone
            .send(
                mobifone
                    .client
                    .post(mobifone.url(&format!("/api/v1/cables/{}/decommission", cables[2])))
            )
            .await
            .status,
        403
    );
    assert_eq!(
        admin
            .send(
                admin
                    .client
                    .post(admin.url(&format!("/api/v1/cables/{}/decommission", cables[2])))
            )
            .await
            .status,
        200
    );
    let closed = planner.post_json(&url("/close"), &json!({})).await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.body["status"], "closed");
    let flags = admin.get("/api/v1/undergrounding/flags").await;
    close(
        &flags.body["features"][0]["properties"]["overhead_km"],
        0.0,
        "nothing left overhead",
    );
    let photo_back = admin
        .send(admin.client.get(admin.url(&url("/removal/VNPT/photo"))))
        .await;
    assert_eq!(photo_back.status, 200);
    assert_eq!(photo_back.headers["content-type"], "image/jpeg");
}

async fn manhole_at(admin: &TestApp, code: &str, lon: f64) -> i64 {
    admin.create("manholes", &manhole(code, lon, LAT)).await
}

async fn duct_between(
    admin: &TestApp,
    code: &str,
    from: (i64, f64),
    to: (i64, f64),
    offset: f64,
    free: bool,
) -> i64 {
    let state = if free {
        json!("free")
    } else {
        json!("occupied")
    };
    let occupant = if free { Value::Null } else { json!("VNPT") };
    let mut feature = duct(code);
    feature["geometry"] = line(&[[from.1, LAT + offset], [to.1, LAT + offset]]);
    feature["properties"]["from_manhole_id"] = json!(from.0);
    feature["properties"]["to_manhole_id"] = json!(to.0);
    feature["properties"]["pipe_count"] = json!(2);
    feature["properties"]["layers"] = json!(1);
    feature["properties"]["pipes"] = json!([
        {"no": 1, "layer": 1, "state": "occupied", "occupant": "VNPT"},
        {"no": 2, "layer": 1, "state": state, "occupant": occupant}
    ]);
    admin.create("ducts", &feature).await
}

#[tokio::test]
async fn a_free_path_is_traced_through_the_ducts_or_the_blocking_duct_named() {
    let admin = spawn_app().await;
    let m1 = (manhole_at(&admin, "M1", 108.798).await, 108.798);
    let m2 = (manhole_at(&admin, "M2", 108.799).await, 108.799);
    let m3 = (manhole_at(&admin, "M3", 108.800).await, 108.800);
    let d1 = duct_between(&admin, "D1", m1, m2, 0.0, true).await;
    let d2 = duct_between(&admin, "D2", m2, m3, 0.0, false).await;
    let viettel = admin.as_user("viettel").await;
    let blocked = viettel
        .get(&format!("/api/v1/sharing/path?from={}&to={}", m1.0, m3.0))
        .await;
    assert_eq!(blocked.status, 200, "{}", blocked.text);
    assert_eq!(blocked.body["status"], "blocked");
    assert_eq!(
        blocked.body["blocking"]["duct_id"], d2,
        "the first full duct"
    );
    // A second, longer duct from M2 to M3 with a free pipe opens the way.
    let d3 = duct_between(&admin, "D3", m2, m3, 0.00002, true).await;
    let free = viettel
        .get(&format!("/api/v1/sharing/path?from={}&to={}", m1.0, m3.0))
        .await;
    assert_eq!(free.body["status"], "free");
    let route: Vec<i64> = free.body["ducts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["duct_id"].as_i64().unwrap())
        .collect();
    assert_eq!(route, [d1, d3]);
    let not_manhole = viettel
        .get(&format!("/api/v1/sharing/path?from={}&to={}", d1, m3.0))
        .await;
    assert_eq!(not_manhole.status, 422);
}

#[tokio::test]
async fn sharing_ratios_and_colocation_candidates() {
    let admin = spawn_app().await;
    let shared = admin.create("towers", &tower("T-SHARED")).await;
    admin
        .post_json(
            &format!("/api/v1/assets/{shared}/tenancies"),
            &json!({"tenant": "VIETTEL", "since": "2024-01-01"}),
        )
        .await;
    let mut alone = tower("T-ALONE");
    alone["geometry"] = point(108.810, 15.120);
    admin.create("towers", &alone).await;
    let by_ward = admin.get("/api/v1/sharing/ratio").await;
    let chanh_lo = by_ward.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "21031")
        .unwrap()
        .clone();
    assert_eq!(chanh_lo["towers"], 2);
    assert_eq!(chanh_lo["shared_towers"], 1);
    assert_eq!(chanh_lo["ratio"], 0.5);
    let by_operator = admin.get("/api/v1/sharing/ratio?by=operator").await;
    assert_eq!(by_operator.body["rows"][0]["code"], "VNPT");
    let free = admin
        .get("/api/v1/sharing/capacity?kind=towers&free_only=true")
        .await;
    assert_eq!(free.body["rows"].as_array().unwrap().len(), 2);
    // The demo rule for Quảng Ngãi: sharing suggested within 200 m in a ward (urban).
    let east_100m = IN_CHANH_LO[0] + 100.0 / metres_per_degree_lon(IN_CHANH_LO[1]);
    let candidates = admin
        .get(&format!(
            "/api/v1/sharing/colocation?lon={east_100m}&lat={}&tower_class=A2b",
            IN_CHANH_LO[1]
        ))
        .await;
    assert_eq!(candidates.status, 200, "{}", candidates.text);
    assert_eq!(candidates.body["radius_m"], 200.0);
    assert_eq!(candidates.body["candidates"][0]["id"], shared);
    assert!(
        (candidates.body["candidates"][0]["distance_m"]
            .as_f64()
            .unwrap()
            - 100.0)
            .abs()
            < 1.0
    );
}

#[tokio::test]
async fn an_announced_road_work_finds_the_operators_it_concerns() {
    let admin = spawn_app().await;
    // VNPT plans a cable along the street; Viettel has overhead cable on it; FPT is elsewhere.
    let mut planned = overhead(
        "VNPT-PLAN",
        "VNPT",
        &[[108.797, 15.11503], [108.803, 15.11503]],
    );
    planned["properties"]["status"] = json!("planned");
    planned["properties"]["placement"] = json!("underground");
    admin.create("cables", &planned).await;
    admin
        .create(
            "cables",
            &overhead(
                "VTL-AIR",
                "VIETTEL",
                &[[108.797, 15.1149], [108.803, 15.1149]],
            ),
        )
        .await;
    admin
        .create(
            "cables",
            &overhead("FPT-FAR", "FPT", &[[108.780, 15.1060], [108.790, 15.1060]]),
        )
        .await;
    let reviewer = admin.as_user("reviewer").await;
    let work = reviewer
        .post_json(
            "/api/v1/civil-works",
            &json!({"title": "Nâng cấp đường Phan Đình Phùng", "sector": "road", "owner_org": "Ban QLDA phường Chánh Lộ",
                    "contact": "0255 3 812 345", "geometry": line(&[[108.797, LAT], [108.803, LAT]]),
                    "starts_on": "2027-03-01", "ends_on": "2027-06-30", "no_dig_until": "2029-06-30"}),
        )
        .await;
    assert_eq!(work.status, 201, "{}", work.text);
    assert_eq!(work.body["matched_operators"], json!(["VIETTEL", "VNPT"]));
    let id = work.body["id"].as_i64().unwrap();
    let vnpt = admin.as_user("vnpt").await;
    let notes = vnpt.get("/api/v1/notifications").await;
    assert!(
        notes
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "dig_once"),
        "{}",
        notes.text
    );
    let fpt = admin.as_user("fpt").await;
    assert!(
        fpt.get("/api/v1/notifications")
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "dig_once")
    );
    let interest = vnpt
        .post_json(
            &format!("/api/v1/civil-works/{id}/interest"),
            &json!({"note": "Đặt thêm 2 ống D110"}),
        )
        .await;
    assert_eq!(interest.status, 204);
    let detail = reviewer.get(&format!("/api/v1/civil-works/{id}")).await;
    assert_eq!(detail.body["interests"][0]["operator"], "VNPT");
    assert_eq!(detail.body["matches"].as_array().unwrap().len(), 2);
    let vnpt_view = vnpt.get(&format!("/api/v1/civil-works/{id}")).await;
    assert_eq!(
        vnpt_view.body["matches"].as_array().unwrap().len(),
        1,
        "an operator sees only its own match"
    );
}

/// The figures are kept in tables as the registry changes (migration 0115):
/// an edit shows on the dashboard and the flags at once, with no worker to
/// wait for, and a rebuild from scratch gives the same figures.
#[tokio::test]
async fn a_cable_edit_changes_the_dashboard_at_once() {
    let admin = spawn_app().await;
    let (area, cables) = street_with_cables(&admin).await;
    let dashboard = || async {
        let reply = admin
            .get("/api/v1/undergrounding/dashboard?ward=21031")
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body
    };
    let in_street = |flags: &Value| {
        flags["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["area_id"] == area)
            .map(|f| f["properties"].clone())
            .unwrap()
    };
    let before = dashboard().await;
    close(
        &before["overhead_km_in_areas"],
        km_lon(0.003) + km_lon(0.004) + 0.030,
        "in areas before",
    );

    // VNPT's cable moves 300 m north, out of the street: it leaves the street's figures.
    let moved = admin
        .patch_json(
            &format!("/api/v1/cables/{}", cables[0]),
            &json!({"geometry": line(&[[108.795, 15.118], [108.800, 15.118]])}),
            None,
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let after = dashboard().await;
    close(
        &after["overhead_km_in_areas"],
        km_lon(0.004) + 0.030,
        "in areas after the move",
    );
    close(
        &after["overhead_km"],
        before["overhead_km"].as_f64().unwrap(),
        "still overhead in the ward",
    );
    close(&after["debt_km"], km_lon(0.002), "debt after the move");
    let flags = admin.get("/api/v1/undergrounding/flags").await;
    let segment = in_street(&flags.body);
    assert!(segment["by_operator"].get("VNPT").is_none(), "{segment}");
    assert_eq!(segment["cable_count"], 1);

    // Viettel's cable goes underground: gone from overhead and debt at once.
    let underground = admin
        .patch_json(
            &format!("/api/v1/cables/{}", cables[1]),
            &json!({"properties": {"placement": "underground"}}),
            None,
        )
        .await;
    assert_eq!(underground.status, 200, "{}", underground.text);
    let after = dashboard().await;
    close(
        &after["overhead_km_in_areas"],
        0.030,
        "only MobiFone's crossing",
    );
    close(&after["debt_km"], 0.0, "no debt left");
    close(
        &in_street(&admin.get("/api/v1/undergrounding/flags").await.body)["overhead_km"],
        0.030,
        "the street's flag",
    );

    // The free pipe is taken: the duct no longer makes debt (MobiFone crosses it).
    let moved_back = admin
        .patch_json(
            &format!("/api/v1/cables/{}", cables[1]),
            &json!({"properties": {"placement": "overhead"}}),
            None,
        )
        .await;
    assert_eq!(moved_back.status, 200, "{}", moved_back.text);
    close(&dashboard().await["debt_km"], km_lon(0.002), "debt is back");
    sqlx::query("update duct_pipe set state = 'damaged' where state = 'free' and duct_id = (select id from asset where code = 'D-FREE')")
        .execute(&admin.pool)
        .await
        .unwrap();
    close(&dashboard().await["debt_km"], 0.0, "no free pipe, no debt");

    // The street leaves the plan: nothing is in an area any more.
    let planner = admin.as_user("planner").await;
    let removed = planner
        .send(
            planner
                .client
                .delete(planner.url(&format!("/api/v1/undergrounding/areas/{area}"))),
        )
        .await;
    assert!(removed.status < 300, "{}", removed.text);
    close(&dashboard().await["overhead_km_in_areas"], 0.0, "no area");

    // What the triggers kept is what a rebuild from the registry computes.
    let kept: Vec<(i64, i64, f64, f64, f64)> = sqlx::query_as(
        "select ward_id, cable_id, metres, in_areas_metres, debt_metres from undergrounding_cable_ward order by 1, 2",
    )
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    let pieces: i64 = sqlx::query_scalar("select count(*) from undergrounding_piece")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    let totals = "select area_id, segment_name, ward_id, owner_id, metres, debt_metres, cable_count
                  from undergrounding_segment_total order by 1, 2, 3, 4";
    type Total = (i64, String, Option<i64>, i64, f64, f64, i64);
    let kept_totals: Vec<Total> = sqlx::query_as(totals).fetch_all(&admin.pool).await.unwrap();
    sqlx::query("select undergrounding_figures_rebuild()")
        .execute(&admin.pool)
        .await
        .unwrap();
    let rebuilt: Vec<(i64, i64, f64, f64, f64)> = sqlx::query_as(
        "select ward_id, cable_id, metres, in_areas_metres, debt_metres from undergrounding_cable_ward order by 1, 2",
    )
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    assert_eq!(kept.len(), rebuilt.len());
    for (k, r) in kept.iter().zip(&rebuilt) {
        assert_eq!((k.0, k.1), (r.0, r.1));
        assert!(
            (k.2 - r.2).abs() < 1e-6 && (k.3 - r.3).abs() < 1e-6 && (k.4 - r.4).abs() < 1e-6,
            "{k:?} vs {r:?}"
        );
    }
    let rebuilt_pieces: i64 = sqlx::query_scalar("select count(*) from undergrounding_piece")
        .fetch_one(&admin.pool)
        .await
        .unwrap();
    assert_eq!(pieces, rebuilt_pieces);
    let rebuilt_totals: Vec<Total> = sqlx::query_as(totals).fetch_all(&admin.pool).await.unwrap();
    assert_eq!(
        kept_totals.len(),
        rebuilt_totals.len(),
        "{kept_totals:?} vs {rebuilt_totals:?}"
    );
    for (k, r) in kept_totals.iter().zip(&rebuilt_totals) {
        assert_eq!(
            (&k.1, k.2, k.3, k.6),
            (&r.1, r.2, r.3, r.6),
            "{k:?} vs {r:?}"
        );
        assert!(
            (k.4 - r.4).abs() < 1e-6 && (k.5 - r.5).abs() < 1e-6,
            "{k:?} vs {r:?}"
        );
    }
}
