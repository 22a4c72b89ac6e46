//! Messages to members outside the app: e-mail through SMTP (lettre), and SMS through a sender
//! interface whose default implementation only logs. What is sent, and when, is the business of
//! the capability that sends it (the planning's reminders).

use std::sync::Arc;

use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

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
