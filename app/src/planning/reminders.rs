//! [ssr] Reminders before each vacation and the notices of proposals: scheduled, claimed before
//! sending (never twice), shown in the app, e-mailed, and the last reminder by SMS.

use chrono::Duration;

use super::store as sp;
use super::PlanningError;
use crate::i18n::t;
use crate::platform::AppState;

/// The reminder job's work at `now`: schedule the coming reminders, turn the due ones into
/// notifications (each claimed first), then e-mail every notification not yet e-mailed.
/// Returns how many e-mails left.
///
/// # Errors
/// On a database failure; what was claimed stays claimed.
pub async fn tick(state: &AppState) -> Result<usize, PlanningError> {
    let now = state.now();
    let leads = &state.settings.reminder_minutes;
    let mut tx = state.store.begin().await?;
    sp::schedule_reminders(&mut tx, now, leads).await?;
    tx.commit().await?;
    let due = {
        let mut conn = state.store.reader().await?;
        sp::due_reminders(&mut conn, now).await?
    };
    for r in due {
        let start = r.vacation.vacation.slot.starts_at;
        let minutes = sp::reminder_minutes(&r.kind).unwrap_or(0);
        // Too late to be useful: the vacation started, or a closer reminder is already due.
        let closer_due = leads.iter().any(|l| *l < minutes && now >= start - Duration::minutes(*l));
        let stale = now >= start || closer_due;
        let mut tx = state.store.begin().await?;
        if stale {
            sp::claim_reminder(&mut tx, r.id, "cancelled", now).await?;
        } else if sp::claim_reminder(&mut tx, r.id, "sent", now).await? {
            let v = &r.vacation;
            let text = || t::reminder(minutes, start, &v.planning_name, v.kind);
            // The last reminder may also go by SMS (if the member chose it and gave a mobile).
            let last = leads.iter().copied().min() == Some(minutes);
            sp::insert_reminder(&mut tx, r.member_id, text, last, now).await?;
        }
        tx.commit().await?;
    }
    // Reminders just turned into notifications have Web Push messages queued.
    state.push.wake();
    send_due_sms(state).await?;
    let pending = {
        let mut conn = state.store.reader().await?;
        sp::unsent_notifications(&mut conn).await?
    };
    let mut sent = 0;
    for n in pending {
        let mut tx = state.store.begin().await?;
        let claimed = sp::claim_notification_email(&mut tx, n.id).await?;
        tx.commit().await?;
        if !claimed {
            continue;
        }
        let subject = crate::i18n::with_lang(n.lang, || if n.reminder { t::PUSH_REMINDER() } else { t::PUSH_NOTICE() });
        match state.notifier.mailer.send(&n.email, subject, &n.body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(error = e, notification = n.id, "e-mail not delivered"),
        }
    }
    Ok(sent)
}

/// Sends the SMS that are due (each claimed first, so that it leaves once; one whose member has
/// no mobile number any more is dropped). Returns how many the gateway accepted.
///
/// # Errors
/// On a database failure.
pub async fn send_due_sms(state: &AppState) -> Result<usize, PlanningError> {
    let now = state.now();
    let due = {
        let mut conn = state.store.reader().await?;
        sp::due_sms(&mut conn, now).await?
    };
    let mut sent = 0;
    for (id, phone, text) in due {
        let mut tx = state.store.begin().await?;
        let claimed = sp::claim_sms(&mut tx, id, now).await?;
        tx.commit().await?;
        let Some(phone) = phone.filter(|_| claimed) else { continue };
        let delivered = state.notifier.sms.send(&phone, &text).await;
        crate::platform::metrics::sms(&delivered);
        match delivered {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(error = e, notification = id, "SMS not delivered"),
        }
    }
    Ok(sent)
}
