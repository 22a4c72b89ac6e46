//! Calendar feed generations, reminders before vacations, and the notices shown in the app.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::i18n::{with_lang, Lang};
use crate::members::rules::Notice;
use crate::platform::db::{from_ms, ms, StoreResult};

use super::{vacation, VacationRow};

pub async fn calendar_generation(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("select calendar_generation from member where id = $1 and active = 1")
        .bind(member_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn bump_calendar_generation(conn: &mut AnyConnection, member_id: i64) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "update member set calendar_generation = calendar_generation + 1 where id = $1 returning calendar_generation",
    )
    .bind(member_id)
    .fetch_one(conn)
    .await?)
}

/// The kind of a reminder sent `minutes` before a vacation.
pub fn reminder_kind(minutes: i64) -> String {
    format!("before_{minutes}m")
}

/// The lead time of a reminder kind, in minutes.
pub fn reminder_minutes(kind: &str) -> Option<i64> {
    kind.strip_prefix("before_")?.strip_suffix('m')?.parse().ok()
}

/// Persists the reminders (`leads`, in minutes before the start) of the vacations starting
/// within the longest lead plus an hour, and cancels those whose member no longer holds the
/// vacation.
pub async fn schedule_reminders(conn: &mut AnyConnection, now: DateTime<Utc>, leads: &[i64]) -> StoreResult<()> {
    let horizon = chrono::Duration::minutes(leads.iter().copied().max().unwrap_or(0) + 60);
    for minutes in leads {
        let (kind, before) = (reminder_kind(*minutes), chrono::Duration::minutes(*minutes));
        sqlx::query(
            "insert into reminder (member_id, vacation_id, kind, due_at) \
             select a.member_id, v.id, $1, v.starts_at - $2 from assignment a join vacation v on v.id = a.vacation_id \
             where v.starts_at > $3 and v.starts_at <= $4 on conflict do nothing",
        )
        .bind(kind)
        .bind(before.num_milliseconds())
        .bind(ms(now))
        .bind(ms(now + horizon))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "update reminder set state = 'cancelled' where state = 'pending' and not exists \
         (select 1 from assignment a where a.member_id = reminder.member_id and a.vacation_id = reminder.vacation_id)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
pub struct DueReminder {
    pub id: i64,
    pub member_id: i64,
    pub kind: String,
    pub vacation: VacationRow,
}

pub async fn due_reminders(conn: &mut AnyConnection, now: DateTime<Utc>) -> StoreResult<Vec<DueReminder>> {
    let rows = sqlx::query("select id, member_id, vacation_id, kind from reminder where state = 'pending' and due_at <= $1 order by due_at")
        .bind(ms(now))
        .fetch_all(&mut *conn)
        .await?;
    let mut out = vec![];
    for r in &rows {
        if let Some(vacation) = vacation(conn, r.get("vacation_id")).await? {
            out.push(DueReminder { id: r.get("id"), member_id: r.get("member_id"), kind: r.get("kind"), vacation });
        }
    }
    Ok(out)
}

/// Moves a reminder from `pending` to `to`; false if another worker claimed it first.
pub async fn claim_reminder(conn: &mut AnyConnection, id: i64, to: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = sqlx::query("update reminder set state = $2, claimed_at = $3 where id = $1 and state = 'pending'")
        .bind(id)
        .bind(to)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A planning notice for a member (a proposal, an answer, a place freed): in the app, by Web
/// Push, e-mail and SMS as they chose for planning notices. `body` writes it in the current
/// language: it is called in the member's (see [`notify`]).
pub async fn insert_notification(
    conn: &mut AnyConnection,
    member_id: i64,
    body: impl Fn() -> String + Sync,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    notify(conn, member_id, &body, Notice::Planning, true, now).await
}

/// A reminder before a vacation: as the member chose for reminders; by SMS only when `by_sms`
/// (the last reminder before the vacation).
pub async fn insert_reminder(
    conn: &mut AnyConnection,
    member_id: i64,
    body: impl Fn() -> String + Sync,
    by_sms: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    notify(conn, member_id, &body, Notice::Reminder, by_sms, now).await
}

/// Writes a notice in the language of the member it is for (whoever's action causes it), once:
/// the app shows it, and its Web Push message, e-mail and SMS carry it, as it was written.
async fn notify(
    conn: &mut AnyConnection,
    member_id: i64,
    body: &(dyn Fn() -> String + Sync),
    notice: Notice,
    sms_allowed: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    // The member's language: their choice, else French.
    let lang = crate::members::member(conn, member_id).await?.and_then(|m| m.lang).unwrap_or_default();
    let body = with_lang(lang, body);
    let body = body.as_str();
    let (push_at, email, sms_at) = crate::members::deliveries(conn, member_id, notice, now).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into notification (member_id, created_at, body, notice, emailed, sms_due_at) values ($1, $2, $3, $4, $5, $6) \
         returning id",
    )
    .bind(member_id)
    .bind(ms(now))
    .bind(body)
    .bind(notice.code())
    // An e-mail the member does not want is as good as sent.
    .bind(i64::from(!email))
    .bind(sms_at.filter(|_| sms_allowed).map(ms))
    .fetch_one(&mut *conn)
    .await?;
    // The same notice goes to the member's phones by Web Push (sent once committed), when and if
    // the member chose.
    if let Some(at) = push_at {
        let reminder = notice == Notice::Reminder;
        let message = with_lang(lang, || crate::push::notice_message(id, body, reminder));
        crate::push::enqueue_at(conn, member_id, &message, at).await?;
    }
    Ok(id)
}

/// A notification whose SMS is due: (id, mobile number, text).
pub async fn due_sms(conn: &mut AnyConnection, now: DateTime<Utc>) -> StoreResult<Vec<(i64, Option<String>, String)>> {
    let rows = sqlx::query(
        "select n.id, m.phone, n.body from notification n join member m on m.id = n.member_id \
         where n.sms_sent_at is null and n.sms_due_at is not null and n.sms_due_at <= $1 and m.active = 1 \
         order by n.sms_due_at limit 200",
    )
    .bind(ms(now))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("phone"), r.get("body"))).collect())
}

/// Claims a notification's SMS before sending it: it leaves at most once.
pub async fn claim_sms(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = sqlx::query("update notification set sms_sent_at = $2 where id = $1 and sms_sent_at is null")
        .bind(id)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, PartialEq)]
pub struct NotificationRow {
    pub id: i64,
    pub member_id: i64,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub body: String,
    /// A reminder before a vacation (else a planning notice).
    pub reminder: bool,
    /// The language it was written in, its member's.
    pub lang: Lang,
}

/// Notifications whose e-mail has not left yet.
pub async fn unsent_notifications(conn: &mut AnyConnection) -> StoreResult<Vec<NotificationRow>> {
    let rows = sqlx::query(
        "select n.id, n.member_id, m.email, n.created_at, n.body, n.notice, m.lang from notification n \
         join member m on m.id = n.member_id where n.emailed = 0 order by n.id limit 200",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| NotificationRow {
            id: r.get("id"),
            member_id: r.get("member_id"),
            email: r.get("email"),
            created_at: from_ms(r.get("created_at")),
            body: r.get("body"),
            reminder: r.get::<String, _>("notice") == Notice::Reminder.code(),
            lang: r.get::<Option<String>, _>("lang").as_deref().and_then(Lang::parse).unwrap_or_default(),
        })
        .collect())
}

/// Claims a notification's e-mail before sending it: the e-mail leaves at most once.
pub async fn claim_notification_email(conn: &mut AnyConnection, id: i64) -> StoreResult<bool> {
    let done =
        sqlx::query("update notification set emailed = 1 where id = $1 and emailed = 0").bind(id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn notifications_of(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Vec<(DateTime<Utc>, String)>> {
    let rows = sqlx::query("select created_at, body from notification where member_id = $1 order by id desc limit 20")
        .bind(member_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(|r| (from_ms(r.get("created_at")), r.get("body"))).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reminder_kind_carries_its_lead_time() {
        assert_eq!(super::reminder_minutes(&super::reminder_kind(90)), Some(90));
        assert_eq!(super::reminder_minutes("day_before"), None);
    }
}
