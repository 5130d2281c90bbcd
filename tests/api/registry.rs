//! Registering and reading assets of every kind.

use serde_json::json;

use crate::fixtures::*;
use crate::support::spawn_app;

#[tokio::test]
async fn every_kind_can_be_registered_and_read_back() {
    let app = spawn_app().await;
    let m1 = app
        .create("manholes", &manhole("VNPT-MH-1", 108.798, 15.110))
        .await;
    let m2 = app
        .create("manholes", &manhole("VNPT-MH-2", 108.802, 15.110))
        .await;
    let p1 = app.create("poles", &pole("EVN-P-1", 108.798, 15.111)).await;
    let p2 = app.create("poles", &pole("EVN-P-2", 108.800, 15.111)).await;
    let mut duct_feature = duct("VNPT-D-1");
    duct_feature["properties"]["from_manhole_id"] = json!(m1);
    duct_feature["properties"]["to_manhole_id"] = json!(m2);
    let cases = [
        ("towers", tower("VNPT-T-1")),
        ("ducts", duct_feature),
        ("trenches", trench("VTL-TR-1")),
        ("cables", cable("VTL-C-1", &[p1, p2])),
        ("cabinets", cabinet("FPT-CB-1")),
    ];
    for (collection, feature) in cases {
        let created = app
            .post_json(&format!("/api/v1/{collection}"), &feature)
            .await;
        assert_eq!(created.status, 201, "{collection}: {}", created.text);
        assert_eq!(created.etag().as_deref(), Some("\"1\""));
        let id = created.body["id"].as_i64().unwrap();
        let location = created.headers["location"].to_str().unwrap().to_string();
        assert_eq!(location, format!("/api/v1/{collection}/{id}"));

        let read = app.get(&location).await;
        assert_eq!(read.status, 200);
        assert_eq!(read.headers["content-type"], "application/geo+json");
        // Every submitted property comes back unchanged.
        for (key, value) in feature["properties"].as_object().unwrap() {
            let back = &read.body["properties"][key];
            match (back.as_f64(), value.as_f64()) {
                (Some(a), Some(b)) => assert_eq!(a, b, "{collection}.{key}"),
                _ => assert_eq!(back, value, "{collection}.{key}"),
            }
        }
        assert_eq!(
            read.body["geometry"], feature["geometry"],
            "{collection} geometry"
        );
        assert_eq!(read.body["properties"]["version"], 1);
        assert_eq!(read.body["properties"]["ward_code"], "21031");
    }
    let duct_read = app.get("/api/v1/ducts?operator=VNPT").await;
    assert_eq!(
        duct_read.body["features"][0]["properties"]["free_capacity"], 1,
        "one of four pipes is free"
    );
}

#[tokio::test]
async fn the_ward_is_derived_from_the_geometry() {
    let app = spawn_app().await;
    // East half of Chánh Lộ, where a ward dissolved in 2020 also lies: the current ward wins.
    let east = app.create("poles", &pole("P-EAST", 108.810, 15.115)).await;
    let west = app.create("poles", &pole("P-WEST", 108.780, 15.115)).await;
    let outside = app.create("poles", &pole("P-OUT", 108.900, 15.200)).await;
    // A duct with 3 of its 4 km... most of its length in Nghĩa Chánh.
    let mut crossing = duct("D-CROSS");
    crossing["geometry"] = line(&[[108.780, 15.110], [108.798, 15.110]]);
    let crossing = app.create("ducts", &crossing).await;
    for (id, ward) in [
        (east, json!("21031")),
        (west, json!("21019")),
        (outside, json!(null)),
        (crossing, json!("21019")),
    ] {
        let reply = app.get(&format!("/api/v1/assets/{id}")).await;
        assert_eq!(reply.body["properties"]["ward_code"], ward, "asset {id}");
    }
    // Moving the pole moves it to the other ward.
    let moved = app
        .patch_json(
            &format!("/api/v1/poles/{west}"),
            &json!({"geometry": point(108.805, 15.110)}),
            None,
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["properties"]["ward_code"], "21031");
    assert_eq!(moved.body["properties"]["ward_name"], "Chánh Lộ");
}

#[tokio::test]
async fn vietnamese_text_round_trips_byte_for_byte() {
    let app = spawn_app().await;
    // The same words precomposed (NFC) and decomposed (NFD): both must come back exactly as sent.
    let nfc = "Trạm BTS Nghĩa Lộ — đường Phạm Văn Đồng, tổ dân phố 3";
    let nfd = "Tra\u{323}m BTS Nghi\u{303}a Lô\u{323}";
    let note = "Ghi chú: cột đã được gia cố năm 2024; chủ đầu tư: Viễn thông Quảng Ngãi. \"Ngoặc kép\" & <thẻ>";
    let mut feature = tower("VNPT-T-VI");
    feature["properties"]["name"] = json!(nfc);
    feature["properties"]["note"] = json!(note);
    let id = app.create("towers", &feature).await;
    let reply = app.get(&format!("/api/v1/towers/{id}")).await;
    assert_eq!(
        reply.body["properties"]["name"]
            .as_str()
            .unwrap()
            .as_bytes(),
        nfc.as_bytes()
    );
    assert_eq!(
        reply.body["properties"]["note"]
            .as_str()
            .unwrap()
            .as_bytes(),
        note.as_bytes()
    );
    let found = app.get("/api/v1/towers?q=Ngh%C4%A9a%20L%E1%BB%99").await;
    assert_eq!(
        found.body["numberReturned"], 1,
        "search by a Vietnamese name: {}",
        found.text
    );

    let patched = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"name": nfd}}),
            Some("\"1\""),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(
        patched.body["properties"]["name"]
            .as_str()
            .unwrap()
            .as_bytes(),
        nfd.as_bytes()
    );
    let stored: String = sqlx::query_scalar("select name from asset where id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.as_bytes(), nfd.as_bytes());
}

#[tokio::test]
async fn a_partial_update_changes_only_what_it_names() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("VNPT-T-2")).await;
    let reply = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 45.5, "technologies": ["4G"]}}),
            Some("\"1\""),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.etag().as_deref(), Some("\"2\""));
    let p = &reply.body["properties"];
    assert_eq!(p["height_m"], 45.5);
    assert_eq!(p["technologies"], json!(["4G"]));
    assert_eq!(p["tower_class"], "A2b");
    assert_eq!(p["name"], "Trạm BTS Chánh Lộ 01");
    assert_eq!(p["version"], 2);
    // A patch that changes nothing makes no new version.
    let same = app
        .patch_json(
            &format!("/api/v1/towers/{id}"),
            &json!({"properties": {"height_m": 45.5}}),
            Some("\"2\""),
        )
        .await;
    assert_eq!(same.status, 200);
    assert_eq!(same.etag().as_deref(), Some("\"2\""));
    assert_eq!(app.history(id).await.len(), 2);
}

#[tokio::test]
async fn decommissioning_keeps_the_asset() {
    let app = spawn_app().await;
    let id = app.create("cabinets", &cabinet("FPT-CB-9")).await;
    let reply = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/cabinets/{id}/decommission")))
                .json(&json!({"reason": "Thay bằng tủ mới"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["properties"]["status"], "decommissioned");
    let again = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/cabinets/{id}/decommission"))),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.error_code(), "conflict");
    let still_there = app.get(&format!("/api/v1/cabinets/{id}")).await;
    assert_eq!(still_there.status, 200);
    let deleted = app
        .send(
            app.client
                .delete(app.url(&format!("/api/v1/cabinets/{id}"))),
        )
        .await;
    assert_eq!(deleted.status, 405, "there is no hard delete");
    let history = app.history(id).await;
    assert_eq!(history.last().unwrap()["action"], "decommission");
    assert_eq!(history.last().unwrap()["reason"], "Thay bằng tủ mới");
}

#[tokio::test]
async fn an_asset_of_one_kind_is_not_found_under_another() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("VNPT-T-3")).await;
    assert_eq!(app.get(&format!("/api/v1/poles/{id}")).await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/towers/{}", id + 1000))
            .await
            .error_code(),
        "not_found"
    );
    assert_eq!(
        app.get(&format!("/api/v1/assets/{id}")).await.body["properties"]["kind"],
        "tower"
    );
}

#[tokio::test]
async fn a_conditional_get_answers_304() {
    let app = spawn_app().await;
    let id = app.create("towers", &tower("VNPT-T-4")).await;
    let reply = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/towers/{id}")))
                .header("If-None-Match", "\"1\""),
        )
        .await;
    assert_eq!(reply.status, 304);
    let changed = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/towers/{id}")))
                .header("If-None-Match", "\"0\""),
        )
        .await;
    assert_eq!(changed.status, 200);
}

#[tokio::test]
async fn geometry_in_vn2000_utm_is_converted_to_wgs84() {
    let app = spawn_app().await;
    // Where PostGIS puts our fixture point in VN-2000 / UTM zone 49N (EPSG:3406).
    let (x, y): (f64, f64) = sqlx::query_as(
        "select ST_X(g), ST_Y(g) from (select ST_Transform(ST_SetSRID(ST_MakePoint(108.8, 15.115), 4326), 3406) g) t",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut feature = pole("P-UTM", 0.0, 0.0);
    feature["geometry"] = point(x, y);
    feature["crs"] = json!({"type": "name", "properties": {"name": "EPSG:3406"}});
    let id = app.create("poles", &feature).await;
    let reply = app.get(&format!("/api/v1/poles/{id}")).await;
    let c = &reply.body["geometry"]["coordinates"];
    assert!((c[0].as_f64().unwrap() - 108.8).abs() < 1e-6, "{c}");
    assert!((c[1].as_f64().unwrap() - 15.115).abs() < 1e-6, "{c}");
}
