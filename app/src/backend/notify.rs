//! Messages to members outside the app: e-mail through SMTP (lettre), and SMS through a sender
//! interface whose default implementation only logs. Reminders before vacations and notices of
//! proposals are persisted as notifications first; a job sends their e-mails, claiming each one
//! before sending, so that a restart never sends twice.

use std::sync::Arc;

use chrono::Duration;
use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::store_planning as sp;
use super::AppState;
use crate::api::error::AppError;
use crate::i18n::t;

/// Sends text messages. The default implementation logs them.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, member_id: i64, text: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

#[derive(Debug, Default)]
pub struct LogSms;

impl SmsSender for LogSms {
    fn send<'a>(&'a self, member_id: i64, text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            tracing::info!(member_id, text, "SMS (logged only: no SMS gateway configured)");
            Ok(())
        })
    }
}

/// The SMTP mailer; without a server configured, e-mails are logged and dropped.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain, for a local relay),
    /// `smtp://user:pass@host:587?tls=required` or `smtps://…`.
    ///
    /// # Errors
    /// When the URL or the sender address is malformed.
    pub fn new(url: Option<&str>, from: &str) -> Result<Self, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("sender address: {e}"))?;
        let transport = match url {
            Some(url) => Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| e.to_string())?.build()),
            None => None,
        };
        Ok(Self { transport, from })
    }

    pub fn disabled() -> Self {
        Self { transport: None, from: "Relais <relais@localhost>".parse().expect("valid address") }
    }

    /// # Errors
    /// When the message cannot be built or the server refuses it.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            tracing::info!(to, subject, "e-mail not sent: no SMTP server configured");
            return Ok(());
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
            .subject(subject)
            .body(body.to_string())
            .map_err(|e| e.to_string())?;
        transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// What reminders and notices need.
#[derive(Clone)]
pub struct Notifier {
    pub mailer: Mailer,
    pub sms: Arc<dyn SmsSender>,
}

impl Default for Notifier {
    fn default() -> Self {
        Self { mailer: Mailer::disabled(), sms: Arc::new(LogSms) }
    }
}

fn reminder_text(r: &sp::DueReminder, minutes: i64) -> String {
    let when = r.vacation.vacation.slot.starts_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m à %H:%M");
    let lead = match minutes {
        1440 => "demain".to_string(),
        m if m >= 2880 && m % 1440 == 0 => format!("dans {} jours", m / 1440),
        60 => "dans une heure".to_string(),
        m if m >= 60 && m % 60 == 0 => format!("dans {} heures", m / 60),
        m => format!("dans {m} minutes"),
    };
    format!(
        "Rappel : vous êtes de garde {lead} ({when}) — {} · {}.",
        r.vacation.planning_name,
        t::vacation_kind(r.vacation.kind)
    )
}

/// The reminder job's work at `now`: schedule the coming reminders, turn the due ones into
/// notifications (each claimed first), then e-mail every notification not yet e-mailed.
/// Returns how many e-mails left.
///
/// # Errors
/// On a database failure; what was claimed stays claimed.
pub async fn tick(state: &AppState) -> Result<usize, AppError> {
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
            let text = reminder_text(&r, minutes);
            sp::insert_notification(&mut tx, r.member_id, &text, now).await?;
            // The last reminder also goes by SMS.
            if leads.iter().copied().min() == Some(minutes) {
                if let Err(e) = state.notifier.sms.send(r.member_id, &text).await {
                    tracing::warn!(error = e, "SMS reminder failed");
                }
            }
        }
        tx.commit().await?;
    }
    // Reminders just turned into notifications have Web Push messages queued.
    state.push.wake();
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
        let subject = if n.body.starts_with("Rappel") { "Relais — rappel de garde" } else { "Relais — vos gardes" };
        match state.notifier.mailer.send(&n.email, subject, &n.body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(error = e, notification = n.id, "e-mail not delivered"),
        }
    }
    Ok(sent)
}
