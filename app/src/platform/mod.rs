//! [ssr] The machinery every capability stands on: the state handed to server functions, the
//! database pools and migrations, the audit trail, who may call what, the clock, the live
//! stream, the idempotency keys of replayed actions, e-mail and SMS, the CSV of every export,
//! the metrics, what the health checks read, and turns (one at a time per key).
//!
//! Nothing here knows a capability: capabilities import the platform, never the reverse (the
//! push sender and the vapid keys are the one exception, held in the state as a handle).

pub mod access;
pub mod assets;
pub mod audit;
pub mod clock;
pub mod db;
pub mod health;
pub mod idempotency;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod security;
pub mod spreadsheet;
pub mod turns;

use std::sync::Arc;

use crate::dispatch::WavePolicy;

pub use clock::{Clock, SystemClock};
pub use db::Store;
pub use live::LiveHub;

/// Settings the operations need at run time.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Key of the HMAC that turns session tokens into what the database keeps.
    pub secret_key: Vec<u8>,
    /// Set the `Secure` flag on cookies (when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// How long a session lasts without a new login.
    pub session_hours: i64,
    /// How long a session lasts unused.
    pub session_idle_minutes: i64,
    pub waves: WavePolicy,
    /// Pharmacy teleconsultations: their waves, the room link's validity, the video service.
    pub teleconsult: crate::teleconsult::TeleconsultSettings,
    /// Shown on the login page: the demo accounts and their password.
    pub demo_mode: bool,
    /// Refuse pushes outside opening hours (off only for demonstrations at night).
    pub enforce_opening_hours: bool,
    /// Login failures tolerated per account, then per IP address, within `login_window_minutes`.
    pub max_failures_per_account: i64,
    pub max_failures_per_ip: i64,
    pub login_window_minutes: i64,
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For` (its last hop,
    /// the one the proxy appended). Off, the header is ignored: anyone could forge it.
    pub behind_proxy: bool,
    /// How long after an accepted cession or échange either side may ask to undo it.
    pub undo_grace_minutes: i64,
    /// When reminders go out, in minutes before each vacation (default: the day before and an
    /// hour before).
    pub reminder_minutes: Vec<i64>,
    /// The VAPID private key (base64url P-256) that signs Web Push messages; without it the key
    /// stored in the database is used, made on first start.
    pub vapid_private_key: Option<Secret>,
    /// The `sub` claim of VAPID tokens: a `mailto:` or `https:` address of the operator.
    pub push_subject: String,
    /// The push services subscriptions may point to.
    pub push_services: crate::push::PushServices,
    /// Relais' own origin (`https://relais.example.org`), when configured: state-changing
    /// requests must come from it, and over HTTPS browsers are told to stay on HTTPS (HSTS).
    pub public_origin: Option<String>,
    /// How long a closed request keeps its patient's name, callback phone and note.
    pub retention_days: i64,
    /// Pro Santé Connect, when configured: a way in for health professionals.
    pub psc: Option<crate::auth::psc::PscSettings>,
    /// Who may read `/metrics`: a client connecting from one of these addresses (default: this
    /// machine), or presenting this bearer token.
    pub metrics_from: Vec<std::net::IpAddr>,
    pub metrics_token: Option<Secret>,
    /// After SIGTERM, how long the server keeps taking connections while `/readyz` already
    /// answers 503, so that the load balancer stops sending before the door closes.
    pub drain_grace: std::time::Duration,
}

/// 256 random bits, base64url: session tokens, claim tokens.
pub fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A value that must not appear in logs.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secret_key: b"relais-development-key-change-me".to_vec(),
            secure_cookies: false,
            session_hours: 12,
            session_idle_minutes: 480,
            waves: WavePolicy::default(),
            teleconsult: crate::teleconsult::TeleconsultSettings::default(),
            demo_mode: false,
            enforce_opening_hours: true,
            max_failures_per_account: 5,
            max_failures_per_ip: 30,
            login_window_minutes: 15,
            behind_proxy: false,
            undo_grace_minutes: 60,
            reminder_minutes: vec![1440, 60],
            vapid_private_key: None,
            push_subject: "mailto:relais@localhost".into(),
            push_services: crate::push::PushServices::default(),
            public_origin: None,
            retention_days: 90,
            psc: None,
            metrics_from: vec![std::net::Ipv4Addr::LOCALHOST.into(), std::net::Ipv6Addr::LOCALHOST.into()],
            metrics_token: None,
            drain_grace: std::time::Duration::ZERO,
        }
    }
}

/// Everything a server function needs, shared: a clone is one reference count (each request
/// clones it several times on its way through the layers; the parts themselves hold strings,
/// keys and clients that would be copied or counted one by one).
#[derive(Clone)]
pub struct AppState(Arc<StateParts>);

impl AppState {
    pub fn new(parts: StateParts) -> Self {
        Self(Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = StateParts;

    fn deref(&self) -> &StateParts {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct StateParts {
    pub store: Store,
    pub live: LiveHub,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    pub notifier: mail::Notifier,
    pub push: crate::push::WebPush,
    /// Sessions' last uses not yet written (the job loop writes them).
    pub session_uses: crate::auth::SessionUses,
    /// The sessions read in the last seconds.
    pub sessions: crate::auth::SessionCache,
    /// The loops' last rounds and the drain, for `/readyz` and graceful shutdowns.
    pub health: Arc<health::Health>,
    /// The acceptances of each request, one at a time in this process (dispatch).
    pub accepts: turns::Turns,
}

impl AppState {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// After a commit: forgets the sessions the events say changed, tells the open screens (live
    /// events) and wakes the push job, which sends the Web Push messages the transaction queued.
    pub async fn announce(&self, events: Vec<live::LiveEvent>) {
        events.iter().for_each(|e| self.sessions.heard(e));
        self.live.publish(events).await;
        self.push.wake();
    }
}
