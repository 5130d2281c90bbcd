//! The abuse guard of the public challenge form, which needs no third-party
//! service (no CAPTCHA provider sees the ward's residents):
//!
//! - **rate limits per address**: a sender (by the SHA-256 of its IP address;
//!   the address itself is not stored) gets at most [`TICKETS_PER_HOUR`]
//!   tickets and sends at most [`CHALLENGES_PER_HOUR`] challenges an hour and
//!   [`CHALLENGES_PER_DAY`] a day; beyond that, 429 with `Retry-After`;
//! - **a ticket with a proof of work**: the form first asks for a ticket (a
//!   random nonce and a difficulty); the browser finds a counter such that
//!   SHA-256(`nonce:counter`) starts with `difficulty` zero bits (a fraction
//!   of a second for one person, real work for a flood) and sends both; a
//!   ticket is used once, and no sooner than [`MIN_TICKET_AGE_SECONDS`] after
//!   it was issued, nor later than an hour;
//! - **a honeypot field** (`website`) that people do not see and bots fill.

use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::http::error::{ApiError, ApiResult};

pub const TICKETS_PER_HOUR: i64 = 30;
pub const CHALLENGES_PER_HOUR: i64 = 5;
pub const CHALLENGES_PER_DAY: i64 = 20;
pub const MIN_TICKET_AGE_SECONDS: f64 = 2.0;
pub const TICKET_LIFETIME_MINUTES: i32 = 60;

/// The key a sender is counted by: never its address itself.
pub fn sender_hash(address: &std::net::IpAddr) -> String {
    hex(&Sha256::digest(format!("hatang-challenge:{address}")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Leading zero bits of a hash.
fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}

/// Whether `counter` proves the work for `nonce` at `difficulty`.
pub fn proves(nonce: &str, counter: &str, difficulty: u32) -> bool {
    counter.len() <= 20
        && counter.chars().all(|c| c.is_ascii_digit())
        && leading_zero_bits(&Sha256::digest(format!("{nonce}:{counter}"))) >= difficulty
}

/// Finds a counter for `nonce` (what the browser does; tests use it too).
pub fn solve(nonce: &str, difficulty: u32) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|c| proves(nonce, c, difficulty))
        .expect("some counter proves the work")
}

/// A new ticket for `sender`.
pub async fn issue(conn: &mut PgConnection, sender: &str, difficulty: u32) -> ApiResult<String> {
    let recent: i64 = sqlx::query_scalar(
        "select count(*) from challenge_ticket where sender_hash = $1 and issued_at > now() - interval '1 hour'",
    )
    .bind(sender)
    .fetch_one(&mut *conn)
    .await?;
    if recent >= TICKETS_PER_HOUR {
        return Err(too_many(3600));
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    let nonce = hex(&bytes);
    sqlx::query(
        "insert into challenge_ticket (nonce, difficulty, sender_hash) values ($1, $2, $3)",
    )
    .bind(&nonce)
    .bind(difficulty as i32)
    .bind(sender)
    .execute(&mut *conn)
    .await?;
    // Old tickets are of no use to anyone.
    sqlx::query("delete from challenge_ticket where issued_at < now() - interval '2 days'")
        .execute(&mut *conn)
        .await?;
    Ok(nonce)
}

fn too_many(seconds: u64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_seconds: seconds,
        message: "too many challenges from this address; try again later".into(),
    }
}

/// Checks the sender's limits and spends its ticket; any failure is the
/// reason the challenge is refused.
pub async fn admit(
    conn: &mut PgConnection,
    sender: &str,
    nonce: &str,
    counter: &str,
) -> ApiResult<()> {
    let (hour, day): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where created_at > now() - interval '1 hour'),
                count(*) filter (where created_at > now() - interval '1 day')
         from challenge where sender_hash = $1 and created_at > now() - interval '1 day'",
    )
    .bind(sender)
    .fetch_one(&mut *conn)
    .await?;
    if hour >= CHALLENGES_PER_HOUR {
        return Err(too_many(3600));
    }
    if day >= CHALLENGES_PER_DAY {
        return Err(too_many(24 * 3600));
    }
    let ticket: Option<(i32, f64, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
        "select difficulty, extract(epoch from now() - issued_at)::float8, used_at
         from challenge_ticket where nonce = $1 and sender_hash = $2 for update",
    )
    .bind(nonce)
    .bind(sender)
    .fetch_optional(&mut *conn)
    .await?;
    let invalid = |message: &str| ApiError::invalid("ticket", message);
    let Some((difficulty, age, used)) = ticket else {
        return Err(invalid(
            "unknown ticket: ask for one (POST /api/v1/challenges/ticket) from the same address",
        ));
    };
    if used.is_some() {
        return Err(invalid("the ticket was used already; ask for a new one"));
    }
    if age < MIN_TICKET_AGE_SECONDS {
        return Err(invalid("sent too fast; wait a moment and send again"));
    }
    if age > f64::from(TICKET_LIFETIME_MINUTES) * 60.0 {
        return Err(invalid("the ticket expired; ask for a new one"));
    }
    if !proves(nonce, counter, difficulty.max(0) as u32) {
        return Err(ApiError::invalid(
            "counter",
            "does not prove the work the ticket asks for",
        ));
    }
    sqlx::query("update challenge_ticket set used_at = now() where nonce = $1")
        .bind(nonce)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_is_checked_bit_by_bit() {
        assert_eq!(leading_zero_bits(&[0, 0, 0x10, 0xff]), 19);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        let counter = solve("abc", 10);
        assert!(proves("abc", &counter, 10));
        let bits = leading_zero_bits(&Sha256::digest("abc:0"));
        assert!(proves("abc", "0", bits));
        assert!(!proves("abc", "0", bits + 1));
        assert!(!proves("abc", "12a", 0));
        assert!(proves("abc", "0", 0));
    }
}
