//! Lists page by keyset without gaps or duplicates, and filter correctly.

use std::collections::BTreeSet;

use serde_json::json;

use crate::fixtures::*;
use crate::support::{TestApp, spawn_app};

async fn all_pages(app: &TestApp, first: &str) -> (Vec<i64>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut next = Some(first.to_string());
    while let Some(path) = next.take() {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        pages += 1;
        ids.extend(
            reply.body["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_i64().unwrap()),
        );
        next = reply.body["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_string());
        assert!(pages < 100, "paging does not end");
    }
    (ids, pages)
}

#[tokio::test]
async fn keyset_pages_have_no_gaps_or_duplicates() {
    let app = spawn_app().await;
    let mut created = BTreeSet::new();
    for i in 0..23 {
        created.insert(
            app.create(
                "poles",
                &pole(&format!("P-{i:02}"), 108.78 + 0.001 * i as f64, 15.11),
            )
            .await,
        );
    }
    let (ids, pages) = all_pages(&app, "/api/v1/poles?limit=5").await;
    assert_eq!(pages, 5);
    assert_eq!(ids.len(), 23, "no duplicates");
    assert_eq!(
        ids.iter().copied().collect::<BTreeSet<_>>(),
        created,
        "no gaps"
    );
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in id order");

    // An asset registered while paging appears once, on a later page.
    let first = app.get("/api/v1/poles?limit=10").await;
    let late = app.create("poles", &pole("P-LATE", 108.79, 15.12)).await;
    let next = first.body["links"][1]["href"].as_str().unwrap().to_string();
    let (rest, _) = all_pages(&app, &next).await;
    assert_eq!(rest.iter().filter(|id| **id == late).count(), 1);
    let link_header = first.headers["link"].to_str().unwrap();
    assert!(link_header.contains("rel=\"next\""));
}

#[tokio::test]
async fn filters_select_the_right_assets() {
    let app = spawn_app().await;
    let west = app.create("poles", &pole("P-W", 108.780, 15.110)).await;
    let east = app.create("poles", &pole("P-E", 108.800, 15.110)).await;
    let mut planned = pole("P-PLAN", 108.801, 15.111);
    planned["properties"]["status"] = json!("planned");
    planned["properties"]["operator"] = json!("VNPT");
    let planned = app.create("poles", &planned).await;
    app.post_json(
        &format!("/api/v1/assets/{east}/tenancies"),
        &json!({"tenant": "FPT", "since": "2023-05-01"}),
    )
    .await;

    let ids = |reply: crate::support::Reply| -> Vec<i64> {
        reply.body["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(app
            .get("/api/v1/poles?bbox=108.79,15.10,108.81,15.12")
            .await),
        [east, planned]
    );
    assert_eq!(ids(app.get("/api/v1/poles?ward=21019").await), [west]);
    assert_eq!(ids(app.get("/api/v1/poles?operator=VNPT").await), [planned]);
    assert_eq!(
        ids(app.get("/api/v1/poles?status=planned,inactive").await),
        [planned]
    );
    assert_eq!(ids(app.get("/api/v1/poles?shared=true").await), [east]);
    assert_eq!(
        ids(app.get("/api/v1/poles?shared=false&ward=21031").await),
        [planned]
    );
    assert_eq!(ids(app.get("/api/v1/poles?q=p-w").await), [west]);
    assert_eq!(
        ids(app.get("/api/v1/poles?operator=NOBODY").await),
        Vec::<i64>::new()
    );
    assert!(
        ids(app.get("/api/v1/towers").await).is_empty(),
        "poles are not towers"
    );
}
