//! Messages to members outside the app: e-mail through SMTP (lettre), and SMS through an HTTP SMS
//! gateway (a URL template, optionally a JSON body template, and credentials), or, without one
//! configured, only logged. What is sent, and when, is the business of the capability that sends
//! it (the planning's reminders, as each member chose).

use std::sync::Arc;

use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends text messages to a mobile number (E.164, `+33…`). The default implementation logs them.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

#[derive(Debug, Default)]
pub struct LogSms;

impl SmsSender for LogSms {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            // The number's last digits only: the log is not a directory.
            let tail: String = to.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
            tracing::info!(to = format!("…{tail}"), text, "SMS (logged only: no SMS gateway configured)");
            Ok(())
        })
    }
}

/// How an HTTP SMS gateway is reached: `{to}` and `{text}` stand for the number (E.164) and the
/// message, percent-encoded in the URL and JSON-escaped in the body. With a body the request is a
/// `POST` of JSON, without one a `GET`. Any 2xx answer is a success.
#[derive(Clone, Debug)]
pub struct SmsGateway {
    pub url_template: String,
    pub body_template: Option<String>,
    pub credentials: SmsCredentials,
}

/// How the gateway knows Relais.
#[derive(Clone)]
pub enum SmsCredentials {
    None,
    Basic { user: String, password: String },
    Bearer(String),
}

impl std::fmt::Debug for SmsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SmsCredentials::None => "None",
            SmsCredentials::Basic { .. } => "Basic(…)",
            SmsCredentials::Bearer(_) => "Bearer(…)",
        })
    }
}

/// `template` with `{to}` and `{text}` percent-encoded.
pub fn render_url(template: &str, to: &str, text: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20");
    template.replace("{to}", &enc(to)).replace("{text}", &enc(text))
}

/// `template` with `{to}` and `{text}` escaped as the inside of JSON strings.
pub fn render_json(template: &str, to: &str, text: &str) -> String {
    let esc = |s: &str| {
        let quoted = serde_json::to_string(s).unwrap_or_default();
        quoted[1..quoted.len().saturating_sub(1)].to_string()
    };
    template.replace("{to}", &esc(to)).replace("{text}", &esc(text))
}

impl SmsGateway {
    /// # Errors
    /// When the URL template is not an http(s) URL naming `{to}`, or the body template, once
    /// filled, is not JSON.
    pub fn check(&self) -> Result<(), String> {
        let url = render_url(&self.url_template, "+33600000000", "essai");
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && (self.url_template.contains("{to}") || self.body_template.as_ref().is_some_and(|b| b.contains("{to}")));
        if !ok {
            return Err("the SMS URL must be http(s) and {to} must appear in it or in the body".into());
        }
        if let Some(body) = &self.body_template {
            serde_json::from_str::<serde_json::Value>(&render_json(body, "+33600000000", "é \"essai\"\n"))
                .map_err(|e| format!("the SMS body template is not JSON: {e}"))?;
        }
        Ok(())
    }
}

/// The SMS sender of a configured gateway.
pub struct HttpSms {
    gateway: SmsGateway,
    client: reqwest::Client,
}

impl HttpSms {
    pub fn new(gateway: SmsGateway) -> Self {
        let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build().unwrap_or_default();
        Self { gateway, client }
    }
}

impl SmsSender for HttpSms {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let g = &self.gateway;
            let url = render_url(&g.url_template, to, text);
            let request = match &g.body_template {
                Some(body) => self
                    .client
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(render_json(body, to, text)),
                None => self.client.get(url),
            };
            let request = match &g.credentials {
                SmsCredentials::None => request,
                SmsCredentials::Basic { user, password } => request.basic_auth(user, Some(password)),
                SmsCredentials::Bearer(token) => request.bearer_auth(token),
            };
            let res = request.send().await.map_err(|e| format!("SMS gateway unreachable: {e}"))?;
            if res.status().is_success() {
                Ok(())
            } else {
                Err(format!("SMS gateway answered {}", res.status()))
            }
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
        let sent = async {
            let message = Message::builder()
                .from(self.from.clone())
                .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
                .subject(subject)
                .body(body.to_string())
                .map_err(|e| e.to_string())?;
            transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
        }
        .await;
        super::metrics::email(&sent);
        sent
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_and_text_are_encoded_for_where_they_go() {
        assert_eq!(
            render_url("https://sms.example/send?to={to}&msg={text}", "+33612345678", "Garde à 8h & café"),
            "https://sms.example/send?to=%2B33612345678&msg=Garde%20%C3%A0%208h%20%26%20caf%C3%A9"
        );
        let body = render_json(r#"{"to":"{to}","message":"{text}"}"#, "+33612345678", "Dit \"oui\"\nfin");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["message"], "Dit \"oui\"\nfin");
    }

    #[test]
    fn a_gateway_without_the_number_or_with_a_broken_body_is_refused() {
        let g = |url: &str, body: Option<&str>| SmsGateway {
            url_template: url.into(),
            body_template: body.map(str::to_string),
            credentials: SmsCredentials::None,
        };
        assert!(g("https://sms.example/send?to={to}&t={text}", None).check().is_ok());
        assert!(g("https://sms.example/send", Some(r#"{"to":"{to}","t":"{text}"}"#)).check().is_ok());
        assert!(g("https://sms.example/send?t={text}", None).check().is_err());
        assert!(g("ftp://sms.example/{to}", None).check().is_err());
        assert!(g("https://sms.example/{to}", Some("{to: {text}")).check().is_err());
    }
}
