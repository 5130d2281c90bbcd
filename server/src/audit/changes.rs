//! Who changes the registers and settings that are not assets: civil works,
//! restricted zones, undergrounding areas and projects, rules, holidays,
//! publication, operators, accounts and tokens. A trigger on each of those
//! tables writes `change_log` (migrations/0024_change_log.sql); it takes the
//! actor from the transaction, which [`begin`] opens for the principal.

use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use crate::audit::Actor;
use crate::policy::Principal;

/// A transaction whose changes are recorded as made by `principal`.
pub async fn begin(
    pool: &PgPool,
    principal: &Principal,
) -> sqlx::Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    act_as(&mut tx, &principal.actor()).await?;
    Ok(tx)
}

/// Records the rest of the current transaction's changes as made by `actor`.
pub async fn act_as(conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<()> {
    let id = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
    sqlx::query(
        "select set_config('hatang.actor', $1, true), set_config('hatang.actor_user_id', $2, true),
                set_config('hatang.actor_token_id', $3, true)",
    )
    .bind(&actor.name)
    .bind(id(actor.user_id))
    .bind(id(actor.token_id))
    .execute(conn)
    .await?;
    Ok(())
}
