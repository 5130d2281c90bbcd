//! Outgoing mail, as rows an SMTP relay drains (table `outgoing_mail`,
//! migrations/0036_filings.sql). Hatang does not speak SMTP itself: a relay
//! (a small script, or a mail transfer agent's queue reader) claims pending
//! rows with `for update skip locked`, sends them, and marks them sent or
//! failed, so several relays and several Hatang servers can share one table.
//! Each mail has a `dedupe_key`: whatever writes it twice (two servers' housekeeping
//! at once, a retried job) writes it once.

use sqlx::PgConnection;

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct Mail<'a> {
    /// What the mail is about, once per recipient (`filing:12:3:due_soon`).
    pub dedupe_key: String,
    /// `filing_opened`, `filing_due_soon`, `filing_late`, `challenge_forwarded`, …
    pub kind: &'a str,
    pub subject: String,
    /// Vietnamese first, then English.
    pub body: String,
    pub data_call_id: Option<i64>,
    pub challenge_id: Option<i64>,
}

/// Queues `mail` for the operator's contact address, if it has one; returns
/// whether a row was written (false when there is no address or it was queued before).
pub async fn to_operator(
    conn: &mut PgConnection,
    operator_id: i64,
    mail: &Mail<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into outgoing_mail (dedupe_key, kind, to_address, to_name, subject, body_text, data_call_id, challenge_id)
         select $2 || ':' || lower(o.contact_email), $3, o.contact_email, coalesce(o.contact_name, o.short_name), $4, $5, $6, $7
         from operator o
         where o.id = $1 and o.contact_email ~ '^[^@\\s]+@[^@\\s]+$'
         on conflict (dedupe_key) do nothing",
    )
    .bind(operator_id)
    .bind(&mail.dedupe_key)
    .bind(mail.kind)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(mail.data_call_id)
    .bind(mail.challenge_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
