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
