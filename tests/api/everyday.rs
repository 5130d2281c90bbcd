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
    for collection in [
        "towers", "poles", "ducts", "manholes", "trenches", "cables", "cabinets",
    ] {
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
    assert_eq!(
        segment["by_operator"],
        json!({}),
        "the public sees no owners"
    );
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
    assert_eq!(
        ward.body["features"][0]["properties"]["gso_code"], "21031",
        "{}",
        ward.text
    );
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
    assert!(
        p["created_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("20")),
        "{p}"
    );
    assert!(p["updated_at"].as_str().is_some(), "{p}");
    assert_eq!(p["version"], 1);
    assert!(
        p.get("tenants").is_none() && p.get("capacity").is_none(),
        "{p}"
    );
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

#[tokio::test]
async fn an_import_maps_vietnamese_values_to_codes_and_remembers_them() {
    use crate::import::{run, upload};
    let app = spawn_app().await;
    let csv = "Mã cột,Tên cột,Kinh độ,Vĩ độ,Chiều cao,Vật liệu,Mục đích\n\
               VM-1,Cột số 1,108.8001,15.1101,9,Bê tông,Viễn thông\n\
               VM-2,Cột số 2,108.8002,15.1102,10,Thép,Cột điện hạ thế\n\
               VM-3,Cột số 3,108.8003,15.1103,8,Cột bê tông ly tâm,Viễn thông\n\
               VM-4,Cột số 4,108.8004,15.1104,8,Đá,Viễn thông\n";
    let uploaded = upload(
        &app,
        "poles",
        "EVNCPC",
        "cot.csv",
        csv.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let mapping = &uploaded.body["mapping"];
    assert_eq!(mapping["Tên cột"], "name", "{mapping}");
    assert_eq!(mapping["Mã cột"], "code");
    assert_eq!(mapping["Vật liệu"], "material");
    let preview = &uploaded.body["preview"];
    let material = preview["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["attribute"] == "material")
        .unwrap_or_else(|| panic!("no values of the material column: {preview}"));
    assert_eq!(material["column"], "Vật liệu");
    assert!(
        material["codes"]
            .as_array()
            .unwrap()
            .contains(&json!("concrete"))
    );
    let value = |v: &str| {
        material["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["value"] == v)
            .cloned()
            .unwrap_or_else(|| panic!("no value {v}: {material}"))
    };
    assert_eq!(value("Bê tông")["code"], "concrete");
    assert_eq!(value("Bê tông")["chosen_by"], "synonym");
    assert_eq!(value("Cột bê tông ly tâm")["code"], "concrete");
    assert_eq!(value("Thép")["code"], "steel");
    assert_eq!(value("Đá")["code"], Value::Null);
    assert_eq!(value("Đá")["chosen_by"], Value::Null);
    assert!(
        preview["notes"].to_string().contains("Đá"),
        "{}",
        preview["notes"]
    );
    let purpose = preview["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["attribute"] == "purpose")
        .unwrap();
    assert!(
        purpose["values"].to_string().contains("\"power\""),
        "{purpose}"
    );
    // The first rows are read with the codes.
    assert_eq!(
        preview["rows"][0]["feature"]["properties"]["material"],
        "concrete"
    );
    assert_eq!(
        preview["rows"][0]["feature"]["properties"]["name"],
        "Cột số 1"
    );
    assert!(
        preview["rows"][3]["problems"]
            .to_string()
            .contains("material"),
        "{}",
        preview["rows"][3]
    );

    let id = uploaded.body["id"].as_i64().unwrap();
    let mapped = app
        .send(
            app.client
                .put(app.url(&format!("/api/v1/imports/{id}/mapping")))
                .json(&json!({"values": {"material": {"Đá": "other"}}})),
        )
        .await;
    assert_eq!(mapped.status, 200, "{}", mapped.text);
    assert_eq!(mapped.body["value_mapping"]["material"]["Đá"], "other");
    assert!(
        mapped.body["preview"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["problems"].as_array().unwrap().is_empty()),
        "{}",
        mapped.body["preview"]["rows"]
    );
    let job = run(&app, id, "commit").await;
    assert_eq!(job["status"], "committed", "{job}");
    assert_eq!(job["result"]["created"], 4, "{job}");
    let extent = job["extent"].as_array().unwrap();
    assert!(
        (extent[0].as_f64().unwrap() - 108.8001).abs() < 1e-6,
        "{extent:?}"
    );
    assert!(
        (extent[3].as_f64().unwrap() - 15.1104).abs() < 1e-6,
        "{extent:?}"
    );
    let poles = app.get("/api/v1/poles?q=VM-&limit=10").await;
    let by_code = |code: &str| {
        poles.body["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["code"] == code)
            .map(|f| f["properties"].clone())
            .unwrap()
    };
    assert_eq!(by_code("VM-1")["material"], "concrete");
    assert_eq!(by_code("VM-2")["material"], "steel");
    assert_eq!(by_code("VM-2")["purpose"], "power");
    assert_eq!(by_code("VM-3")["material"], "concrete");
    assert_eq!(by_code("VM-4")["material"], "other");

    // The operator's next file, with another header, finds last time's choice.
    let next = "Số hiệu,Kinh độ,Vĩ độ,Chiều cao,Chất liệu\nVM-5,108.8005,15.1105,8,Đá\n";
    let again = upload(
        &app,
        "poles",
        "EVNCPC",
        "cot-2.csv",
        next.as_bytes().to_vec(),
        "",
    )
    .await;
    assert_eq!(again.status, 201, "{}", again.text);
    let remembered = again.body["preview"]["values"][0]["values"][0].clone();
    assert_eq!(remembered["value"], "Đá");
    assert_eq!(remembered["code"], "other");
    assert_eq!(remembered["chosen_by"], "saved");
}

async fn download(app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// The layers of a file, as `ogrinfo` lists them.
async fn layers_of(name: &str, bytes: &[u8]) -> String {
    let dir = crate::import::scratch(name);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let output = tokio::process::Command::new("ogrinfo")
        .args(["-ro", "-q"])
        .arg(&path)
        .output()
        .await
        .expect("ogrinfo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn exports_speak_vietnamese_on_request_in_vietnams_time_and_hold_several_kinds() {
    let app = spawn_app().await;
    let id = app.create("poles", &pole("EVN-P-1", 108.797, 15.110)).await;
    app.create("towers", &tower("VNPT-T-1")).await;
    let created: String = sqlx::query_scalar(
        "select to_char(created_at at time zone 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI:SS') from asset where id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();

    let (status, vi) = download(&app, "/api/v1/poles/export?format=csv&labels=vi").await;
    assert_eq!(status, 200);
    let vi = String::from_utf8(vi).unwrap();
    let header = vi.lines().next().unwrap();
    for name in [
        "Mã tài sản",
        "Chiều cao (m)",
        "Vật liệu",
        "Mục đích",
        "Ngày tạo",
        "Kinh độ",
        "Vĩ độ",
    ] {
        assert!(header.contains(name), "{name} missing from {header}");
    }
    assert!(vi.contains("Bê tông") && vi.contains("Điện lực"), "{vi}");
    assert!(
        vi.contains(&created),
        "created in Vietnam's time {created}: {vi}"
    );

    // By default a CSV keeps the attribute names and codes, with the times' offset.
    let (_, codes) = download(&app, "/api/v1/poles/export?format=csv").await;
    let codes = String::from_utf8(codes).unwrap();
    assert!(
        codes.lines().next().unwrap().contains("height_m"),
        "{codes}"
    );
    assert!(
        codes.contains("concrete") && codes.contains("+07:00"),
        "{codes}"
    );

    // An XLSX is Vietnamese unless asked otherwise, and imports again as the same pole.
    let (status, xlsx) = download(&app, "/api/v1/poles/export?format=xlsx").await;
    assert_eq!(status, 200);
    assert!(
        layers_of("poles.xlsx", &xlsx)
            .await
            .contains("Cột treo cáp")
    );
    let again = crate::import::import(&app, "poles", "EVNCPC", "cot.xlsx", xlsx, "").await;
    assert_eq!(again["status"], "committed", "{again}");
    assert_eq!(
        again["result"],
        json!({"created": 0, "updated": 0, "unchanged": 1}),
        "{again}"
    );

    // Several kinds in one file: GeoPackage layers, XLSX sheets.
    let (status, gpkg) = download(&app, "/api/v1/export?kinds=poles,towers&format=gpkg").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&gpkg));
    let listed = layers_of("all.gpkg", &gpkg).await;
    assert!(
        listed.contains("poles") && listed.contains("towers"),
        "{listed}"
    );
    let (status, book) = download(&app, "/api/v1/export?kinds=poles,towers&format=xlsx").await;
    assert_eq!(status, 200);
    let sheets = layers_of("all.xlsx", &book).await;
    assert!(
        sheets.contains("Cột treo cáp") && sheets.contains("Cột ăng ten"),
        "{sheets}"
    );
    let (status, _) = download(&app, "/api/v1/export?kinds=poles,towers&format=csv").await;
    assert_eq!(status, 400);
    let (status, _) = download(&app, "/api/v1/export?kinds=poles,nonsense&format=gpkg").await;
    assert_eq!(status, 400);
    let (status, _) = download(
        &app.anonymous(),
        "/api/v1/export?kinds=towers,poles&format=gpkg",
    )
    .await;
    assert_eq!(status, 401, "the public exports published towers only");
}

/// The exemption pre-check of a tower application with these figures.
async fn exemption_of(vnpt: &TestApp, tower: Value) -> Value {
    let body = json!({
        "works_type": "tower", "title": "Trạm BTS trên mái", "description": "Cột trên mái nhà dân.",
        "geometry": point(IN_CHANH_LO[0], IN_CHANH_LO[1]),
        "planned_start": "2027-01-04", "planned_end": "2027-03-31",
        "tower": tower, "proposed_assets": []
    });
    let created = vnpt.post_json("/api/v1/permits", &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let submitted = vnpt
        .post_json(&format!("/api/v1/permits/{id}/actions/submit"), &json!({}))
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    submitted.body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check_key"] == "exemption")
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn a_declared_a1_class_is_checked_against_the_heights_of_the_circular() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;

    // A 12 m "A1" on a 17.5 m building: 20% is 3.5 m, the cap 3 m.
    let tall = exemption_of(&vnpt, json!({"tower_class": "A1", "height_m": 12.0, "host_building_height_m": 17.5, "placement": "rooftop"})).await;
    assert_eq!(tall["outcome"], "required", "{tall}");
    assert_eq!(tall["details"]["decided_by"], "tower_class.a1");
    assert!(
        tall["citation"].as_str().unwrap().contains("Điều 3"),
        "{tall}"
    );
    assert!(
        tall["message_vi"].as_str().unwrap().contains("12 m"),
        "{tall}"
    );
    assert_eq!(tall["details"]["limit_m"], 3.0);

    // 20% of a 10 m building is 2 m: a 2.5 m mast is too tall for it.
    let low_building = exemption_of(&vnpt, json!({"tower_class": "A1a", "height_m": 2.5, "host_building_height_m": 10.0, "placement": "rooftop"})).await;
    assert_eq!(low_building["outcome"], "required", "{low_building}");
    assert_eq!(low_building["details"]["limit_m"], 2.0);
    assert!(
        low_building["message_vi"]
            .as_str()
            .unwrap()
            .contains("2,5 m"),
        "{low_building}"
    );

    // Within both limits: exempt, and the finding says both rules.
    let small = exemption_of(&vnpt, json!({"tower_class": "A1a", "height_m": 3.0, "host_building_height_m": 17.5, "placement": "rooftop"})).await;
    assert_eq!(small["outcome"], "exempt", "{small}");
    assert_eq!(small["details"]["checked_by"], "tower_class.a1");
    assert!(
        small["message_vi"].as_str().unwrap().contains("Điều 5"),
        "{small}"
    );

    // A1 stands on a building; without the building's height nothing can be said.
    let ground = exemption_of(
        &vnpt,
        json!({"tower_class": "A1", "height_m": 2.0, "placement": "ground"}),
    )
    .await;
    assert_eq!(ground["outcome"], "required", "{ground}");
    // A bulky tower in a ward (urban) needs a permit, said as such rather than "pass".
    let bulky = exemption_of(
        &vnpt,
        json!({"tower_class": "A2b", "height_m": 42.0, "placement": "ground"}),
    )
    .await;
    assert_eq!(bulky["outcome"], "required", "{bulky}");
    assert!(
        bulky["message_vi"]
            .as_str()
            .unwrap()
            .contains("cần giấy phép"),
        "{bulky}"
    );
}

#[tokio::test]
async fn ward_staff_change_and_cancel_civil_works_and_hear_why_one_is_outside_their_ward() {
    let admin = spawn_app().await;
    let reviewer = admin.as_user("reviewer").await;
    let work = |coordinates: &[[f64; 2]]| {
        json!({"title": "Nâng cấp đường Phan Đình Phùng", "sector": "road", "owner_org": "Ban QLDA phường",
               "geometry": line(coordinates), "starts_on": "2027-03-01", "ends_on": "2027-06-30"})
    };
    // 108.790 → 108.800: the first 0.005° (about 537 m) lie in Nghĩa Chánh, outside the reviewer's ward.
    let across = reviewer
        .post_json(
            "/api/v1/civil-works",
            &work(&[[108.790, 15.115], [108.800, 15.115]]),
        )
        .await;
    assert_eq!(across.status, 422, "{}", across.text);
    let problem = across.body["error"]["details"][0]["problem"]
        .as_str()
        .unwrap();
    assert_eq!(across.body["error"]["details"][0]["field"], "geometry");
    assert!(
        problem.contains("Nghĩa Chánh") && problem.contains("537 m"),
        "{problem}"
    );

    let inside = reviewer
        .post_json(
            "/api/v1/civil-works",
            &work(&[[108.797, 15.115], [108.803, 15.115]]),
        )
        .await;
    assert_eq!(inside.status, 201, "{}", inside.text);
    let id = inside.body["id"].as_i64().unwrap();

    let changed = reviewer
        .patch_json(&format!("/api/v1/civil-works/{id}"), &json!({"ends_on": "2027-08-31", "title": "Nâng cấp đường Phan Đình Phùng (giai đoạn 1)"}), None)
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["version"], 2);
    let stale = reviewer
        .patch_json(
            &format!("/api/v1/civil-works/{id}"),
            &json!({"ends_on": "2027-09-30"}),
            Some("\"1\""),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.text);
    let moved_out = reviewer
        .patch_json(
            &format!("/api/v1/civil-works/{id}"),
            &json!({"geometry": line(&[[108.780, 15.115], [108.800, 15.115]])}),
            None,
        )
        .await;
    assert_eq!(moved_out.status, 422, "{}", moved_out.text);

    let no_reason = reviewer
        .post_json(
            &format!("/api/v1/civil-works/{id}/cancel"),
            &json!({"reason": " "}),
        )
        .await;
    assert_eq!(no_reason.status, 422);
    let cancelled = reviewer
        .post_json(
            &format!("/api/v1/civil-works/{id}/cancel"),
            &json!({"reason": "Dự án dời sang năm 2028"}),
        )
        .await;
    assert_eq!(cancelled.status, 204, "{}", cancelled.text);
    let shown = reviewer.get(&format!("/api/v1/civil-works/{id}")).await;
    assert_eq!(shown.body["cancel_reason"], "Dự án dời sang năm 2028");
    assert!(shown.body["cancelled_at"].as_str().is_some());
    assert_eq!(
        shown.body["title"],
        "Nâng cấp đường Phan Đình Phùng (giai đoạn 1)"
    );
    assert_eq!(shown.body["ends_on"], "2027-08-31");
    let again = reviewer
        .patch_json(
            &format!("/api/v1/civil-works/{id}"),
            &json!({"ends_on": "2027-09-30"}),
            None,
        )
        .await;
    assert_eq!(again.status, 409);
    // The change log has both, by the reviewer.
    let logged: i64 = sqlx::query_scalar(
        "select count(*) from change_log where entity = 'civil_work' and actor like '%reviewer%'",
    )
    .fetch_one(&admin.pool)
    .await
    .unwrap_or(0);
    assert!(
        logged >= 3,
        "create, change and cancel are in the change log: {logged}"
    );
}

#[tokio::test]
async fn a_street_through_two_wards_has_one_row_per_ward_the_same_as_each_dashboard() {
    let admin = spawn_app().await;
    let planner = admin.as_user("planner").await;
    // From Nghĩa Chánh (west of 108.795) into Chánh Lộ.
    let area = planner
        .post_json(
            "/api/v1/undergrounding/areas",
            &json!({"name": "Hai Bà Trưng", "geometry": line(&[[108.789, 15.115], [108.801, 15.115]]),
                    "target_year": 2027, "source_doc": "Kế hoạch ngầm hóa 2027 (thử)"}),
        )
        .await;
    assert_eq!(area.status, 201, "{}", area.text);
    admin
        .create(
            "cables",
            &feature(
                line(&[[108.789, 15.11505], [108.801, 15.11505]]),
                json!({"code": "C-2W", "operator": "VNPT", "placement": "overhead", "medium": "fibre", "role": "subscriber"}),
            ),
        )
        .await;
    let all = admin.get("/api/v1/undergrounding/flags").await;
    assert_eq!(all.status, 200, "{}", all.text);
    let rows: Vec<(String, f64)> = all.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["ward_code"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                f["properties"]["overhead_km"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 2, "one row in each ward: {rows:?}");
    let in_chanh_lo = rows.iter().find(|(w, _)| w == "21031").unwrap().1;
    let in_nghia_chanh = rows.iter().find(|(w, _)| w == "21019").unwrap().1;
    // 0.006° of longitude in each ward at 15.115° N is about 645 m.
    assert!((in_chanh_lo - 0.645).abs() < 0.01, "{rows:?}");
    assert!((in_nghia_chanh - 0.645).abs() < 0.01, "{rows:?}");

    let one_ward = admin.get("/api/v1/undergrounding/flags?ward=21031").await;
    let segment = &one_ward.body["features"][0]["properties"];
    assert_eq!(one_ward.body["features"].as_array().unwrap().len(), 1);
    assert_eq!(
        segment["overhead_km"].as_f64().unwrap(),
        in_chanh_lo,
        "the ward's table and the all-wards table agree"
    );
    let dashboard = admin
        .get("/api/v1/undergrounding/dashboard?ward=21031")
        .await;
    assert_eq!(
        dashboard.body["worst_segments"][0]["overhead_km"]
            .as_f64()
            .unwrap(),
        in_chanh_lo,
        "and the dashboard"
    );
}

#[tokio::test]
async fn a_reviewer_needs_a_ward_which_may_be_given_by_name() {
    let admin = spawn_app().await;
    let none = admin
        .post_json("/api/v1/users", &json!({"username": "canbo.moi", "display_name": "Cán bộ mới", "role": "reviewer", "scope": []}))
        .await;
    assert_eq!(none.status, 422, "{}", none.text);
    assert_eq!(none.body["error"]["details"][0]["field"], "scope");
    for (i, name) in ["Chánh Lộ", "phường chanh lo", "CHÁNH LỘ"]
        .iter()
        .enumerate()
    {
        let named = admin
            .post_json(
                "/api/v1/users",
                &json!({"username": format!("canbo.ten{i}"), "display_name": "Cán bộ", "role": "reviewer", "scope": [name]}),
            )
            .await;
        assert_eq!(named.status, 201, "{name}: {}", named.text);
        assert_eq!(
            named.body["user"]["scope"]
                .as_array()
                .map(|s| s.len())
                .or(named.body["scope"].as_array().map(|s| s.len())),
            Some(1),
            "{}",
            named.text
        );
    }
    let unknown = admin
        .post_json("/api/v1/users", &json!({"username": "canbo.sai", "display_name": "Cán bộ", "role": "reviewer", "scope": ["Không Có"]}))
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    // Turning a member into a reviewer without a ward is refused too.
    let member = admin
        .post_json("/api/v1/users", &json!({"username": "nv.vnpt2", "display_name": "Nhân viên", "role": "operator_member", "operator": "VNPT"}))
        .await;
    assert_eq!(member.status, 201, "{}", member.text);
    let id = member.body["user"]["id"]
        .as_i64()
        .or(member.body["id"].as_i64())
        .unwrap();
    let promoted = admin
        .patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"role": "reviewer"}),
            None,
        )
        .await;
    assert_eq!(promoted.status, 422, "{}", promoted.text);
}

#[tokio::test]
async fn history_is_newest_first_filters_by_part_of_a_name_and_reads_the_change_log() {
    let admin = spawn_app().await;
    let vnpt = admin.as_user("vnpt").await;
    let mut feature = tower("VNPT-H-9");
    feature["properties"]["operator"] = json!("VNPT");
    let id = vnpt.create("towers", &feature).await;
    vnpt.patch_json(
        &format!("/api/v1/towers/{id}"),
        &json!({"properties": {"height_m": 44}}),
        None,
    )
    .await;
    let newest = admin.get("/api/v1/history?limit=1").await;
    assert_eq!(
        newest.body["entries"][0]["action"], "update",
        "{}",
        newest.text
    );
    let cursor = newest.body["next_before"].as_i64().unwrap();
    let older = admin
        .get(&format!("/api/v1/history?limit=1&before={cursor}"))
        .await;
    assert_eq!(older.body["entries"][0]["action"], "create");
    let oldest = admin.get("/api/v1/history?order=oldest&limit=1").await;
    assert_eq!(oldest.body["entries"][0]["action"], "create");
    assert!(oldest.body["next_after"].is_number(), "{}", oldest.text);
    // Part of a name, with or without diacritics: "Test vnpt" is the display name of vnpt.
    for part in ["vnp", "TEST VN", "test"] {
        let found = admin
            .get(&format!("/api/v1/history?user={}", urlencode(part)))
            .await;
        assert!(
            !found.body["entries"].as_array().unwrap().is_empty(),
            "{part}: {}",
            found.text
        );
    }
    let none = admin.get("/api/v1/history?user=nobody").await;
    assert_eq!(none.body["entries"], json!([]));

    // The change log: a rule changed by the admin, newest first, with what changed.
    let rules = admin.get("/api/v1/rules").await;
    let rule = rules
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_key"] == "deadline.warning")
        .unwrap();
    let changed = admin
        .patch_json(
            &format!("/api/v1/rules/{}", rule["id"]),
            &json!({"value": {"days": 3, "unit": "working"}}),
            None,
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let log = admin
        .get("/api/v1/history/changes?entity=rule_setting")
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let entry = &log.body["entries"][0];
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["label"], "deadline.warning");
    assert_eq!(entry["actor_name"], "Test admin");
    assert!(
        entry["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "value"),
        "{entry}"
    );
    assert!(
        entry["hash"].as_str().is_some_and(|h| h.len() == 64),
        "{entry}"
    );
    let by_name = admin.get("/api/v1/history/changes?user=admin").await;
    assert!(!by_name.body["entries"].as_array().unwrap().is_empty());
    // Others read what they did themselves; the public nothing.
    let own = vnpt.get("/api/v1/history/changes").await;
    assert_eq!(own.status, 200);
    assert!(
        own.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] == "user:vnpt"),
        "{}",
        own.text
    );
    assert_eq!(
        admin
            .anonymous()
            .get("/api/v1/history/changes")
            .await
            .status,
        401
    );

    // Both chains are checked; an edited change log entry breaks the second.
    let report = admin.get("/api/v1/history/verify").await;
    assert_eq!(report.body["intact"], true, "{}", report.text);
    assert!(report.body["change_log"]["entries"].as_i64().unwrap() >= 1);
    assert!(report.body["change_log"]["head_hash"].as_str().is_some());
    sqlx::query("update change_log set actor = 'someone else' where entity = 'rule_setting'")
        .execute(&admin.pool)
        .await
        .unwrap();
    let broken = admin.get("/api/v1/history/verify").await;
    assert_eq!(broken.body["intact"], false, "{}", broken.text);
    assert!(
        broken.body["change_log"]["first_broken"]["problem"]
            .as_str()
            .unwrap()
            .contains("edited")
    );
}

#[tokio::test]
async fn the_2027_holidays_are_loaded_from_the_labour_code_and_admins_hear_of_them() {
    let admin = spawn_app().await;
    let calendar = admin.anonymous().get("/api/v1/calendar").await;
    assert_eq!(calendar.status, 200, "{}", calendar.text);
    let year = calendar.body["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2027)
        .cloned()
        .unwrap_or_else(|| panic!("no 2027: {}", calendar.text));
    assert_eq!(year["provisional"], true);
    assert!(
        year["citation"].as_str().unwrap().contains("45/2019/QH14"),
        "{year}"
    );
    let days = admin.get("/api/v1/calendar/2027").await;
    let off: Vec<&str> = days
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["day"].as_str().unwrap())
        .collect();
    // Tết Đinh Mùi: mùng 1 is Saturday 6 February 2027; Giỗ Tổ (10/3 âm lịch) Friday 16 April.
    for day in [
        "2027-01-01",
        "2027-02-05",
        "2027-02-08",
        "2027-02-09",
        "2027-02-10",
        "2027-02-11",
        "2027-04-16",
        "2027-04-30",
        "2027-05-03",
        "2027-09-02",
    ] {
        assert!(off.contains(&day), "{day} missing from {off:?}");
    }
    // A deadline across Tết 2027 skips it: submitted Thursday 4 February, 7 working days.
    let calendar_now = hatang::calendar::Calendar::load(&mut admin.pool.acquire().await.unwrap())
        .await
        .unwrap();
    assert_eq!(
        calendar_now
            .add_working_days("2027-02-04".parse().unwrap(), 7)
            .to_string(),
        "2027-02-22"
    );

    // The warning reaches the admins once, if next year is close.
    hatang::calendar::warn(&admin.pool).await.unwrap();
    hatang::calendar::warn(&admin.pool).await.unwrap();
    let notes = admin.get("/api/v1/notifications").await;
    let calendar_notes = notes
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "calendar")
        .count();
    let expected = usize::from(!calendar.body["warning"].is_null());
    assert_eq!(calendar_notes, expected, "{}", notes.text);

    // Checked against the notice: saved with its authority, no longer provisional, in the change log.
    let mut entries = days.body.clone();
    entries
        .as_array_mut()
        .unwrap()
        .push(json!({"day": "2027-12-31", "name": "Ngày nghỉ thử", "day_off": true}));
    let saved = admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/calendar/2027"))
                .json(&json!({"holidays": entries, "citation": "Thông báo số 1/TB-BNV (thử)", "provisional": false})),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let after = admin.get("/api/v1/calendar").await;
    let year = after.body["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2027)
        .cloned()
        .unwrap();
    assert_eq!(year["provisional"], false);
    assert_eq!(year["citation"], "Thông báo số 1/TB-BNV (thử)");
    let logged = admin
        .get("/api/v1/history/changes?entity=holiday_year")
        .await;
    assert_eq!(
        logged.body["entries"][0]["action"], "update",
        "{}",
        logged.text
    );
    // The old body, a list of days, still works.
    let plain = admin
        .send(
            admin
                .client
                .put(admin.url("/api/v1/calendar/2027"))
                .json(&entries),
        )
        .await;
    assert_eq!(plain.status, 200, "{}", plain.text);
}

#[tokio::test]
async fn an_asset_document_is_not_shared_between_people_by_a_browser_cache() {
    // The body depends on who asks (lease terms, tenants): a browser that held one
    // person's copy must not answer another's request with it after a 304.
    let admin = spawn_app().await;
    let id = admin
        .create("poles", &pole("CACHE-P1", 108.8031, 15.1131))
        .await;
    let reply = admin.get(&format!("/api/v1/poles/{id}")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let vary = reply
        .headers
        .get("vary")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        vary.contains("Cookie") && vary.contains("Authorization"),
        "Vary: {vary}"
    );
    let cache = reply
        .headers
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        cache.contains("private") && cache.contains("no-store"),
        "Cache-Control: {cache}"
    );
    let any = admin.get(&format!("/api/v1/assets/{id}")).await;
    assert!(any.headers.get("vary").is_some(), "GET /assets/{{id}} too");
}
