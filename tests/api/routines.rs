//! The SQL routines of `server/sql` (issue 14, item 5): applied after the
//! migrations at every start, so they must apply again and again to the same
//! effect.

use std::collections::BTreeMap;

use hatang::database::{connect, routines};
use sqlx::PgConnection;

use crate::support::{database_options, fresh_database};

/// Every function the files own, with its definition as PostgreSQL keeps it.
async fn definitions(conn: &mut PgConnection) -> BTreeMap<String, String> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select p.proname::text, pg_get_functiondef(p.oid)
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and p.proname = any($1)",
    )
    .bind(routines::function_names())
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    rows.into_iter().collect()
}

#[tokio::test]
async fn the_routines_apply_twice_to_the_same_effect() {
    let pool = connect(database_options(&fresh_database().await))
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let before = definitions(&mut conn).await;
    let mut names = routines::function_names();
    names.sort();
    names.dedup();
    assert_eq!(
        before.keys().cloned().collect::<Vec<_>>(),
        names,
        "every routine is defined"
    );
    routines::apply(&mut conn)
        .await
        .expect("the routines apply again");
    routines::apply(&mut conn).await.expect("and again");
    assert_eq!(definitions(&mut conn).await, before);

    // And they work: a point in Hà Nội passes, one in Thailand is said to be there.
    let inside: (Option<String>,) = sqlx::query_as(
        "select code from checked_geometry(ST_GeomFromText('POINT(105.85 21.03)'), 4326)",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(inside.0, None);
    let outside: (Option<String>, bool) = sqlx::query_as(
        "select c.code, ST_Equals(vietnam_bbox(), ST_MakeEnvelope(102, 6, 118, 23.5, 4326))
         from checked_geometry(ST_GeomFromText('POINT(100.5 13.75)'), 4326) c",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(outside, (Some("not_in_vietnam".to_string()), true));
}

/// `metres_box(g, m)` is the index's first filter of every "within m metres"
/// query, so a point within m of g that falls outside the box would be lost
/// silently. Points just inside the distance, in every direction, from points
/// and lines all over Vietnam's latitudes, lie in the box; and the box is not
/// so large that it stops filtering (a point 2.5 × m due east lies outside,
/// from 30 m up: `&&` compares float4 boxes, rounded outwards, about 1 m at
/// 110° E, so at a metre or two the box is looser, never tighter).
#[tokio::test]
async fn metres_box_holds_everything_within_the_distance() {
    let pool = connect(database_options(&fresh_database().await))
        .await
        .unwrap();
    let (cases, lost, loose): (i64, i64, i64) = sqlx::query_as(
        "with g as (
             select i, ST_SetSRID(ST_MakePoint(102 + 16 * random(), 6 + 17.5 * random()), 4326) as p,
                    (array[1, 15, 30, 100, 150, 200, 2000, 50000])[1 + i % 8]::float8 as m
             from (select setseed(0.42)) s, generate_series(1, 4000) i),
         shapes as (
             select i, m, p as g, p as origin from g
             union all
             select i, m, ST_MakeLine(p, ST_Project(p::geography, 5 * m, radians(37))::geometry),
                    ST_LineInterpolatePoint(ST_MakeLine(p, ST_Project(p::geography, 5 * m, radians(37))::geometry), 0.5)
             from g),
         probes as (
             select s.m, s.g, ST_Project(s.origin::geography, s.m * 0.9999, radians(az))::geometry as q,
                    ST_Project(s.origin::geography, s.m * 2.5, radians(90))::geometry as far
             from shapes s, generate_series(0, 345, 15) az)
         select count(*),
                count(*) filter (where ST_DWithin(q::geography, g::geography, m) and not q && metres_box(g, m)),
                count(*) filter (where ST_GeometryType(g) = 'ST_Point' and m >= 30 and far && metres_box(g, m))
         from probes",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(cases, 2 * 4000 * 24);
    assert_eq!(lost, 0, "points within the distance outside the box");
    assert_eq!(
        loose, 0,
        "points 2.5 × the distance due east inside the box"
    );
}
