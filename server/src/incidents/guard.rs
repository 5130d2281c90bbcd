//! Keeping spam out of public reports without any third-party service:
//!
//! - a **proof of work**: the form asks for a challenge the server signed
//!   (HMAC with a key kept in the database, so every instance agrees), with
//!   the time it was issued; the browser finds a nonce whose SHA-256 with the
//!   challenge starts with [`DIFFICULTY_BITS`] zero bits (about a second of a
//!   phone's work, a real cost to a bot posting thousands); each challenge is
//!   good for one report and for [`CHALLENGE_LIFETIME_MINUTES`];
//! - a **honeypot**: a field people never see (`website`) that must stay empty;
//! - a **rate limit** per address: at most [`MAX_PER_HOUR`] public reports an
//!   hour from one address, whatever the channel (web form or Open311).
//!
//! Signed-in staff and operators' tokens are not asked for any of it.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::http::error::{ApiError, ApiResult};
use crate::validation::{Code, Problem};

/// Leading zero bits the proof of work needs.
pub const DIFFICULTY_BITS: u32 = 15;
pub const CHALLENGE_LIFETIME_MINUTES: i64 = 120;
pub const MAX_PER_HOUR: i64 = 10;

/// Where a public submission comes from, and how many one address may make
/// an hour (`--public-reports-per-hour`, [`MAX_PER_HOUR`] unless set).
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub address: &'a str,
    pub per_hour: i64,
}

type HmacSha256 = Hmac<Sha256>;

/// A challenge for the form.
#[derive(Debug, Serialize, ToSchema)]
pub struct Challenge {
    /// Send it back as `challenge`, with the `nonce` found.
    pub challenge: String,
    /// Find a `nonce` (decimal digits) such that SHA-256 of `challenge:nonce` starts with this many zero bits.
    pub difficulty: u32,
    pub expires_at: DateTime<Utc>,
}

/// What a public report carries to prove it is not a bot's.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Proof {
    #[serde(default)]
    pub challenge: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    /// The honeypot: must be empty.
    #[serde(default)]
    pub website: Option<String>,
}

async fn key(conn: &mut PgConnection) -> sqlx::Result<Vec<u8>> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh)
        .map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
    sqlx::query("insert into server_secret (name, value) values ('challenge_key', $1) on conflict (name) do nothing")
        .bind(fresh.as_slice())
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar("select value from server_secret where name = 'challenge_key'")
        .fetch_one(conn)
        .await
}

fn sign(key: &[u8], payload: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(payload.as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issues a challenge.
pub async fn issue(conn: &mut PgConnection, now: DateTime<Utc>) -> ApiResult<Challenge> {
    let key = key(conn).await?;
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).map_err(|e| ApiError::Internal(e.to_string()))?;
    let payload = format!("v1.{}.{}.{DIFFICULTY_BITS}", now.timestamp(), hex(&random));
    let signature = sign(&key, &payload);
    Ok(Challenge {
        challenge: format!("{payload}.{signature}"),
        difficulty: DIFFICULTY_BITS,
        expires_at: now + Duration::minutes(CHALLENGE_LIFETIME_MINUTES),
    })
}

/// Leading zero bits of SHA-256(`challenge:nonce`).
pub fn work(challenge: &str, nonce: &str) -> u32 {
    let digest = Sha256::digest(format!("{challenge}:{nonce}").as_bytes());
    let mut bits = 0;
    for byte in digest {
        if byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}

/// Why a challenge does not hold, or `None` when it does (signature, age, work).
pub fn check(key: &[u8], challenge: &str, nonce: &str, now: DateTime<Utc>) -> Option<Problem> {
    check_text(key, challenge, nonce, now)
        .map(|(why, text)| Problem::new(Code::ChallengeFailed, text).with("why", why))
}

/// `(why, English text)`: `why` is `forged`, `expired`, `unsolved` (or, in
/// [`verify`], `used` and `missing`).
fn check_text(
    key: &[u8],
    challenge: &str,
    nonce: &str,
    now: DateTime<Utc>,
) -> Option<(&'static str, &'static str)> {
    const FORGED: (&str, &str) = ("forged", "is not a challenge this server issued");
    let Some((payload, signature)) = challenge.rsplit_once('.') else {
        return Some(FORGED);
    };
    let parts: Vec<&str> = payload.split('.').collect();
    let [version, issued, _random, difficulty] = parts.as_slice() else {
        return Some(FORGED);
    };
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(payload.as_bytes());
    let Ok(signature) = (0..signature.len())
        .step_by(2)
        .map(|i| {
            signature
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(())
    else {
        return Some(FORGED);
    };
    if *version != "v1" || mac.verify_slice(&signature).is_err() {
        return Some(FORGED);
    }
    let Ok(issued) = issued.parse::<i64>() else {
        return Some(FORGED);
    };
    let age = now.timestamp() - issued;
    if !(-60..=CHALLENGE_LIFETIME_MINUTES * 60).contains(&age) {
        return Some(("expired", "has expired; ask for a new one"));
    }
    let needed: u32 = difficulty.parse().unwrap_or(DIFFICULTY_BITS);
    if nonce.is_empty()
        || nonce.len() > 20
        || !nonce.chars().all(|c| c.is_ascii_digit())
        || work(challenge, nonce) < needed
    {
        return Some(("unsolved", "the nonce does not solve the challenge"));
    }
    None
}

/// Checks a public report's proof and uses up its challenge; every problem at once.
pub async fn verify(conn: &mut PgConnection, proof: &Proof, now: DateTime<Utc>) -> ApiResult<()> {
    let mut problems = crate::http::error::Problems::new();
    if proof
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        problems.add(
            "website",
            Problem::new(Code::MustBeEmpty, "must be left empty"),
        );
    }
    match (&proof.challenge, &proof.nonce) {
        (Some(challenge), Some(nonce)) => {
            let key = key(conn).await?;
            if let Some(problem) = check(&key, challenge, nonce, now) {
                problems.add("challenge", problem);
            } else {
                let digest = hex(&Sha256::digest(challenge.as_bytes()));
                let fresh = sqlx::query(
                    "insert into used_challenge (digest, expires_at) values ($1, $2) on conflict do nothing",
                )
                .bind(&digest)
                .bind(now + Duration::minutes(CHALLENGE_LIFETIME_MINUTES + 1))
                .execute(&mut *conn)
                .await?;
                if fresh.rows_affected() == 0 {
                    problems.add(
                        "challenge",
                        Problem::new(Code::ChallengeFailed, "was used already; ask for a new one")
                            .with("why", "used"),
                    );
                }
            }
        }
        _ => problems.add(
            "challenge",
            Problem::new(
                Code::ChallengeFailed,
                "required for a report without an account: GET /api/v1/incidents/challenge and send `challenge` and `nonce`",
            )
            .with("why", "missing"),
        ),
    }
    problems.into_result(())
}

/// Counts a public report from `origin`, refusing it past its hourly limit.
pub async fn rate_limit(conn: &mut PgConnection, origin: Origin<'_>) -> ApiResult<()> {
    let key = key(conn).await?;
    let hashed = sign(&key, origin.address);
    let max_per_hour = origin.per_hour;
    let recent: (i64, Option<DateTime<Utc>>) = sqlx::query_as(
        "select count(*), min(at) from public_submission where address_hash = $1 and at > now() - interval '1 hour'",
    )
    .bind(&hashed)
    .fetch_one(&mut *conn)
    .await?;
    if recent.0 >= max_per_hour {
        let wait = recent
            .1
            .map(|oldest| {
                (oldest + Duration::hours(1) - Utc::now())
                    .num_seconds()
                    .max(1) as u64
            })
            .unwrap_or(3600);
        return Err(ApiError::TooManyRequests {
            retry_after_seconds: wait,
            message: Problem::new(
                Code::TooManyRequests,
                format!("at most {max_per_hour} reports an hour from one address; try again later"),
            )
            .with("max_per_hour", max_per_hour),
        });
    }
    sqlx::query("insert into public_submission (address_hash) values ($1)")
        .bind(&hashed)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Forgets used challenges and counted submissions that no longer matter.
pub async fn tidy(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query("delete from used_challenge where expires_at < now()")
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from public_submission where at < now() - interval '1 day'")
        .execute(conn)
        .await?;
    Ok(())
}

/// Solves a challenge (for tests and for clients written in Rust).
pub fn solve(challenge: &str, difficulty: u32) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|nonce| work(challenge, nonce) >= difficulty)
        .expect("a nonce exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solved_challenge_holds_and_a_tampered_one_does_not() {
        let key = b"0123456789abcdef0123456789abcdef";
        let now = Utc::now();
        let payload = format!("v1.{}.abcdef.8", now.timestamp());
        let challenge = format!("{payload}.{}", sign(key, &payload));
        let nonce = solve(&challenge, 8);
        assert_eq!(check(key, &challenge, &nonce, now), None);
        assert!(check(key, &challenge, "x", now).is_some());
        let forged = challenge.replace(".8.", ".0.");
        assert!(
            check(key, &forged, &nonce, now).is_some(),
            "the difficulty is signed"
        );
        assert!(check(b"another key entirely, 32 bytes!!", &challenge, &nonce, now).is_some());
        let later = now + Duration::minutes(CHALLENGE_LIFETIME_MINUTES + 5);
        assert_eq!(
            check(key, &challenge, &nonce, later).map(|p| p.params["why"].clone()),
            Some("expired".into())
        );
    }
}
