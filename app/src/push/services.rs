//! [ssr] Which push services a subscription may name, and the checks of a new subscription.

use serde::{Deserialize, Serialize};

use crate::domain::{Field, FieldErrors, FieldProblem};

/// A browser's subscription as its `PushSubscription.toJSON()` gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub label: String,
}

fn b64url(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

/// Which push services the server agrees to send to. The endpoint of a subscription is a URL
/// the server will call: left open, a member could make it call any host (including the
/// server's own network), so only the browsers' push services are accepted by default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushServices {
    /// Host names (or suffixes starting with a dot) of the accepted push services; empty: any
    /// `https` host.
    pub hosts: Vec<String>,
    /// Also plain `http` on the loopback interface (a push service run locally, for tests and
    /// benchmarks).
    pub allow_loopback: bool,
}

impl Default for PushServices {
    /// The push services of Chrome/Android, Firefox, Safari/iOS and Edge.
    fn default() -> Self {
        Self {
            hosts: [
                "fcm.googleapis.com",
                "android.googleapis.com",
                ".push.services.mozilla.com",
                ".push.apple.com",
                ".notify.windows.com",
            ]
            .map(String::from)
            .to_vec(),
            allow_loopback: false,
        }
    }
}

impl PushServices {
    fn accepts(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else { return false };
        let Some(host) = url.host_str() else { return false };
        let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
        match url.scheme() {
            "http" | "https" if loopback => self.allow_loopback,
            "https" => {
                self.hosts.is_empty()
                    || self.hosts.iter().any(|h| match h.strip_prefix('.') {
                        Some(suffix) => host.ends_with(&format!(".{suffix}")) || host == suffix,
                        None => host == h,
                    })
            }
            _ => false,
        }
    }
}

/// Checks a subscription before it is stored: an endpoint at an accepted push service, an
/// uncompressed P-256 point and a 16-byte secret.
///
/// # Errors
/// The fields at fault.
pub fn validate(s: &NewSubscription, services: &PushServices) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if s.endpoint.len() > 2000 || !services.accepts(s.endpoint.trim()) {
        errors.add(Field::PushEndpoint, FieldProblem::Invalid);
    }
    let key_ok = b64url(&s.p256dh).is_some_and(|k| k.len() == 65 && k[0] == 4);
    let auth_ok = b64url(&s.auth).is_some_and(|a| a.len() == 16);
    if !key_ok || !auth_ok {
        errors.add(Field::PushKeys, FieldProblem::Invalid);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::PushServices;

    #[test]
    fn only_the_browsers_push_services_are_accepted_by_default() {
        let s = PushServices::default();
        assert!(s.accepts("https://fcm.googleapis.com/fcm/send/abc"));
        assert!(s.accepts("https://updates.push.services.mozilla.com/wpush/v2/abc"));
        assert!(s.accepts("https://web.push.apple.com/QGx"));
        assert!(!s.accepts("https://evil.example.org/fcm.googleapis.com"));
        assert!(!s.accepts("https://push.apple.com.evil.example.org/x"));
        assert!(!s.accepts("http://fcm.googleapis.com/fcm/send/abc"));
        assert!(!s.accepts("http://127.0.0.1:5432/"));
        assert!(!s.accepts("https://localhost/x"));
    }

    #[test]
    fn loopback_is_accepted_only_when_allowed_and_an_empty_list_accepts_any_https_host() {
        let local = PushServices { hosts: vec![], allow_loopback: true };
        assert!(local.accepts("http://127.0.0.1:4000/push/1"));
        assert!(local.accepts("https://push.example.org/x"));
        assert!(!local.accepts("ftp://push.example.org/x"));
    }
}
