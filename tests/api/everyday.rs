//! The everyday seams of issue 12, as the server sees them: what the public
//! may read and is told it may read, streets found by name, the public's
//! tower documents, names in the tiles.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

async fn publish(admin: &TestApp, ward: &str, towers: bool, undergrounding: bool) {
    let reply = admin
        .send(
            admin
                .client
                .put(admin.url(&format!("/api/v1/wards/{ward}/publication")))
                .json(&json!({"towers": towers, "undergrounding": undergrounding, "planned_works": false})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_public_is_told_what_it_may_read() {
    let admin = spawn_app().await;
    let public = admin.anonymous();

    let access = public.get("/api/v1/access").await;
    assert_eq!(access.status, 200, "{}", access.text);
    let body = &access.body;
    assert_eq!(body["signed_in"], false);
    assert_eq!(strings(&body["collections"]), ["towers"]);
    let layers = strings(&body["tile_layers"]);
    for layer in ["towers", "wards", "streets"] {
        assert!(layers.contains(&layer), "{layers:?}");
    }
    assert!(!layers.contains(&"poles"), "{layers:?}");
    assert_eq!(body["history"], false);
    assert_eq!(body["permits"], false);
    assert_eq!(body["analysis"], false);
    assert_eq!(body["sharing"], false);
    assert_eq!(body["owners_in_figures"], false);
    assert_eq!(body["undergrounding_wards"], json!([]));

    // What it is told is what it gets: each collection it may list answers, the others refuse.
    for collection in ["towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets"] {
        let list = public
            .get(&format!("/api/v1/{collection}?q=T008&limit=4"))
            .await;
        let told = strings(&body["collections"]).contains(&collection);
        assert_eq!(list.status == 200, told, "{collection}: {}", list.text);
    }

    publish(&admin, "21031", true, true).await;
    let access = public.get("/api/v1/access").await;
    assert_eq!(access.body["undergrounding_wards"], json!(["21031"]));

    let member = admin.as_user("vnpt").await;
    let access = member.get("/api/v1/access").await;
    assert_eq!(access.body["signed_in"], true);
    assert_eq!(access.body["collections"].as_array().unwrap().len(), 7);
    assert!(strings(&access.body["tile_layers"]).contains(&"poles"));
    assert_eq!(access.body["undergrounding_wards"], Value::Null);
    assert_eq!(access.body["sharing"], true);
    assert_eq!(access.body["history"], true);
}

#[tokio::test]
async fn the_public_reads_the_flags_of_wards_that_publish_them_without_owners() {
    let admin = spawn_app().await;
    let planner = admin.as_user("planner").await;
    let area = planner
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": "Phan Đình Phùng", "geometry": line(&[[108.797, 15.115], [108.803, 15.115]]),
                    "target_year": 2026, "source_doc": "Kế hoạch ngầm hóa 2026 (thử)"}),
        )
        .await;
    assert_eq!(area.status, 201, "{}", area.text);
    admin
        .create(
            "cables",
            &feature(
                line(&[[108.796, 15.11505], [108.802, 15.11505]]),
                json!({"code": "C1", "operator": "VNPT", "placement": "overhead", "medium": "fibre", "role": "subscriber"}),
            ),
        )
        .await;
    let public = admin.anonymous();

    let refused = public.get("/api/v1/undergrounding/flags?ward=21031").await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    let none = public.get("/api/v1/undergrounding/flags").await;
    assert_eq!(none.status, 200, "{}", none.text);
    assert_eq!(none.body["features"], json!([]), "no ward publishes yet");

    publish(&admin, "21031", false, true).await;
    let flags = public.get("/api/v1/undergrounding/flags?ward=21031").await;
    assert_eq!(flags.status, 200, "{}", flags.text);
    let segment = &flags.body["features"][0]["properties"];
    assert!(segment["overhead_km"].as_f64().unwrap() > 0.5, "{segment}");
    assert_eq!(segment["by_operator"], json!({}), "the public sees no owners");
    let all = public.get("/api/v1/undergrounding/flags").await;
    assert_eq!(all.body["features"].as_array().unwrap().len(), 1);

    let csv = public
        .get("/api/v1/undergrounding/flags?ward=21031&format=csv")
        .await;
    assert_eq!(csv.status, 200);
    assert!(!csv.text.contains("Theo doanh nghiệp"), "{}", csv.text);
    assert!(!csv.text.contains("VNPT"), "{}", csv.text);
    let by_operator = public
        .get("/api/v1/undergrounding/flags?ward=21031&operator=VNPT")
        .await;
    assert_eq!(by_operator.status, 401, "{}", by_operator.text);

    // Signed in, the owners are there.
    let staff = admin.get("/api/v1/undergrounding/flags?ward=21031").await;
    assert!(
        staff.body["features"][0]["properties"]["by_operator"]["VNPT"]
            .as_f64()
            .is_some(),
        "{}",
        staff.text
    );
}

#[tokio::test]
async fn streets_are_found_by_name_with_or_without_diacritics() {
    let admin = spawn_app().await;
    let ids: Vec<i64> = sqlx::query_scalar(
        "insert into street (name, class, geom) values
             ('Trần Hưng Đạo', 'main', ST_GeomFromText('LINESTRING(108.797 15.116, 108.803 15.116)', 4326)),
             ('Hùng Vương', 'secondary', ST_GeomFromText('LINESTRING(108.797 15.118, 108.803 15.118)', 4326)),
             ('Đường Trần Phú', 'local', ST_GeomFromText('LINESTRING(108.780 15.110, 108.790 15.110)', 4326))
         returning id",
    )
    .fetch_all(&admin.pool)
    .await
    .unwrap();
    let public = admin.anonymous();

    for q in ["Trần Hưng", "tran hung", "TRẦN HƯNG ĐẠO", "hung dao"] {
        let found = public
            .get(&format!("/api/v1/streets?q={}", urlencode(q)))
            .await;
        assert_eq!(found.status, 200, "{}", found.text);
        let names: Vec<&str> = found.body["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Trần Hưng Đạo"], "{q}");
    }
    // "trần" begins one name and is inside the other: the one it begins comes first.
    let both = public.get("/api/v1/streets?q=tr%E1%BA%A7n").await;
    let names: Vec<&str> = both.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Trần Hưng Đạo", "Đường Trần Phú"]);
    // "đ" is a letter of its own, folded to "d".
    let folded = public.get("/api/v1/streets?q=duong").await;
    assert_eq!(folded.body["numberReturned"], 1, "{}", folded.text);

    let one = public.get(&format!("/api/v1/streets/{}", ids[0])).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body["properties"]["class"], "main");
    assert_eq!(one.body["properties"]["ward_names"], json!(["Chánh Lộ"]));
    let length = one.body["properties"]["length_m"].as_f64().unwrap();
    assert!((640.0..650.0).contains(&length), "{length}");
    assert_eq!(one.body["geometry"]["type"], "LineString");

    let by_id = public
        .get(&format!("/api/v1/streets?ids={},{}", ids[1], ids[2]))
        .await;
    assert_eq!(by_id.body["numberReturned"], 2, "{}", by_id.text);
    let missing = public.get("/api/v1/streets/999999").await;
    assert_eq!(missing.status, 404);
    let bad = public.get("/api/v1/streets?ids=4,x").await;
    assert_eq!(bad.status, 400, "{}", bad.text);

    // Wards are found the same way.
    let ward = public.get("/api/v1/wards?q=chanh%20lo").await;
    assert_eq!(ward.body["features"][0]["properties"]["gso_code"], "21031", "{}", ward.text);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_public_document_of_a_tower_says_when_it_was_registered() {
    let admin = spawn_app().await;
    let id = admin.create("towers", &tower("T-PUB")).await;
    publish(&admin, "21031", true, false).await;
    let public = admin.anonymous();
    let shown = public.get(&format!("/api/v1/towers/{id}")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    let p = &shown.body["properties"];
    assert_eq!(p["name"], "Trạm BTS Chánh Lộ 01");
    assert!(p["created_at"].as_str().is_some_and(|t| t.starts_with("20")), "{p}");
    assert!(p["updated_at"].as_str().is_some(), "{p}");
    assert_eq!(p["version"], 1);
    assert!(p.get("tenants").is_none() && p.get("capacity").is_none(), "{p}");
}

#[tokio::test]
async fn asset_tiles_carry_the_name_for_popups() {
    let admin = spawn_app().await;
    let tilejson = admin.get("/tiles/towers").await;
    assert!(
        tilejson.body["vector_layers"][0]["fields"]
            .get("name")
            .is_some(),
        "{}",
        tilejson.text
    );
}
