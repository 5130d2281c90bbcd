//! The reminders of the housekeeping: when a call opens, a few working days
//! before it is due, and when it is late, every operator that has not
//! submitted hears of it in the app, and its contact address gets a mail (a
//! row of `outgoing_mail`). Each reminder is written once per call, operator
//! and kind: the `filing_reminder` row is inserted first, and only the
//! transaction that inserted it writes the notifications and the mail, so two
//! servers running the housekeeping at the same moment send it once.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

use super::calls::{self, CallRow};
use super::deadline::{self, FilingStatus, Reminder};
use crate::audit::changes;
use crate::calendar::Calendar;
use crate::notifications::{self, Message};
use crate::outbox::{self, Mail};

/// dd/MM/yyyy, as Vietnamese documents write dates.
pub fn vn(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// Sends what is due on `today` for every call; returns how many reminders went out.
pub async fn run(pool: &PgPool, today: NaiveDate) -> sqlx::Result<u64> {
    let mut conn = pool.acquire().await?;
    let calendar = Calendar::load(&mut conn).await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "select id from data_call where cancelled_at is null and opens_on <= $1 order by id",
    )
    .bind(today)
    .fetch_all(&mut *conn)
    .await?;
    let mut sent = 0;
    for id in ids {
        sent += run_call(&mut conn, id, &calendar, today).await?;
    }
    Ok(sent)
}

/// Sends what is due on `today` for one call.
pub async fn run_call(
    conn: &mut PgConnection,
    id: i64,
    calendar: &Calendar,
    today: NaiveDate,
) -> sqlx::Result<u64> {
    let call = match calls::load(conn, id).await {
        Ok(call) => call,
        Err(crate::http::error::ApiError::Database(e)) => return Err(e),
        Err(_) => return Ok(0),
    };
    if call.cancelled_at.is_some() {
        return Ok(0);
    }
    let due = deadline::reminders_due(calendar, call.schedule(), today);
    if due.is_empty() {
        return Ok(0);
    }
    let recipients = calls::recipients(conn, &call, calendar, today).await?;
    let mut sent = 0;
    for (operator_id, recipient) in recipients {
        if recipient.status == FilingStatus::Submitted {
            continue;
        }
        for reminder in &due {
            if send(
                conn,
                &call,
                operator_id,
                &recipient.operator_name,
                *reminder,
                calendar,
                today,
            )
            .await?
            {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

async fn send(
    conn: &mut PgConnection,
    call: &CallRow,
    operator_id: i64,
    operator_name: &str,
    reminder: Reminder,
    calendar: &Calendar,
    today: NaiveDate,
) -> sqlx::Result<bool> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    changes::act_as(&mut tx, &crate::audit::Actor::named("housekeeping")).await?;
    let inserted = sqlx::query(
        "insert into filing_reminder (call_id, operator_id, kind, sent_on) values ($1, $2, $3, $4)
         on conflict do nothing",
    )
    .bind(call.id)
    .bind(operator_id)
    .bind(reminder.as_str())
    .bind(today)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if !inserted {
        return Ok(false);
    }
    let due = deadline::effective_due(calendar, call.due_on);
    let left = deadline::working_days_left(calendar, call.due_on, today);
    let kind = call.kind();
    let (vi, en) = match reminder {
        Reminder::Opened => (
            format!(
                "Đợt thu thập số liệu “{}” ({}) của {} đã mở: số liệu tính đến ngày {}, hạn nộp {}.",
                call.title,
                kind.label_vi(),
                call.unit_name,
                vn(call.as_of),
                vn(due)
            ),
            format!(
                "The data call “{}” ({}) of {} is open: figures as of {}, due {}.",
                call.title,
                kind.label_en(),
                call.unit_name,
                vn(call.as_of),
                vn(due)
            ),
        ),
        Reminder::DueSoon => (
            format!(
                "Còn {left} ngày làm việc đến hạn nộp “{}” ({}); {operator_name} chưa nộp.",
                call.title,
                vn(due)
            ),
            format!(
                "{left} working days are left to file “{}” (due {}); {operator_name} has not submitted.",
                call.title,
                vn(due)
            ),
        ),
        Reminder::Late => (
            format!(
                "Đã quá hạn nộp “{}” (hạn {}); {operator_name} chưa nộp. Đề nghị nộp ngay.",
                call.title,
                vn(due)
            ),
            format!(
                "“{}” was due on {}; {operator_name} has not submitted. Please file now.",
                call.title,
                vn(due)
            ),
        ),
    };
    let link = format!("/filings/calls/{}", call.id);
    let key = format!("filing:{}:{}:{}", call.id, operator_id, reminder.as_str());
    let note = Message {
        kind: match reminder {
            Reminder::Opened => "filing_opened",
            Reminder::DueSoon => "filing_due_soon",
            Reminder::Late => "filing_late",
        },
        vi: &vi,
        en: &en,
        link: &link,
        dedupe_key: Some(key.clone()),
    };
    notifications::operator_members(&mut tx, operator_id, &note).await?;
    if reminder == Reminder::Late {
        notifications::scope_staff(&mut tx, &call.wards, &note).await?;
    }
    let subject = match reminder {
        Reminder::Opened => format!("[Hạ tầng] Mở đợt thu thập số liệu: {}", call.title),
        Reminder::DueSoon => format!("[Hạ tầng] Sắp đến hạn nộp: {} ({})", call.title, vn(due)),
        Reminder::Late => format!("[Hạ tầng] Quá hạn nộp: {}", call.title),
    };
    let body = format!(
        "Kính gửi {operator_name},\n\n{vi}\n\nNộp số liệu trên Hạ tầng: {link}\n\n---\n\n{en}\n\nFile in Hatang: {link}\n"
    );
    outbox::to_operator(
        &mut tx,
        operator_id,
        &Mail {
            dedupe_key: key,
            kind: note.kind,
            subject,
            body,
            data_call_id: Some(call.id),
            challenge_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
