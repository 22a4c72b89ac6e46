//! Web Push: the messages that reach a clinician's phone when the app is closed.
//!
//! A message is persisted first, in the transaction of the change that causes it (a new offer, an
//! offer taken by a colleague, a swap proposal or answer, a vacation reminder): one
//! `push_delivery` row per subscribed device. The push job then sends what is due, outside any
//! request: VAPID-signed (RFC 8292), the payload encrypted with aes128gcm (RFC 8291), with `TTL`
//! and `Urgency` headers (RFC 8030). It claims rows before sending, so several instances never
//! send one row at the same time; a failure is retried with backoff, and a subscription the push
//! service no longer knows (404, 410) is removed. Sending is at least once: a phone may receive
//! a message twice, which the service worker shows under one tag, replacing rather than stacking.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use futures_util::stream::{self, StreamExt};
use sqlx::Row;
use tokio::sync::Notify;
use web_push::{ContentEncoding, SubscriptionInfo, VapidSignature, VapidSignatureBuilder, WebPushMessageBuilder};

use super::ops::PushError;
use super::outbox::{parse_urgency, urgency_code, Urgency};
use crate::platform::audit::Audit;
use crate::platform::db::{from_ms, ms, Store};
use crate::platform::AppState;

/// How long a claimed delivery stays with its sender before another run may take it again.
const CLAIM: Duration = Duration::seconds(60);
/// Attempts before a delivery is given up.
const MAX_ATTEMPTS: i64 = 6;
/// Deliveries claimed per round.
const BATCH: i64 = 500;
/// Requests to push services in flight at once.
const PARALLEL: usize = 64;
/// How long a signed VAPID token is reused (the crate signs them for 12 hours).
const TOKEN_REUSE: StdDuration = StdDuration::from_secs(3600);

/// The VAPID key pair of the server (P-256), base64url without padding.
#[derive(Clone)]
pub struct VapidKeys {
    private: String,
    /// The uncompressed public point: the browser's `applicationServerKey`.
    pub public: String,
}

impl std::fmt::Debug for VapidKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKeys").field("public", &self.public).finish_non_exhaustive()
    }
}

impl VapidKeys {
    /// # Errors
    /// When `private` is not a base64url P-256 private key.
    pub fn from_private(private: &str) -> Result<Self, String> {
        use base64::Engine;
        let builder = VapidSignatureBuilder::from_base64_no_sub(private.trim())
            .map_err(|e| format!("VAPID private key: {e:?}"))?;
        let public = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(builder.get_public_key());
        Ok(Self { private: private.trim().to_string(), public })
    }

    /// The private key, base64url (for the operator's configuration only).
    pub fn private_key(&self) -> &str {
        &self.private
    }

    /// A new random key pair.
    pub fn generate() -> Self {
        use base64::Engine;
        let pair = jwt_simple::algorithms::ES256KeyPair::generate();
        let private = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(pair.to_bytes());
        Self::from_private(&private).expect("a generated key is valid")
    }

    /// The configured key, else the one stored in the database, else a new one stored there
    /// (every instance then signs with the same key, and subscriptions survive restarts).
    ///
    /// # Errors
    /// On a database failure or a malformed configured key.
    pub async fn load(store: &Store, configured: Option<&str>, now: DateTime<Utc>) -> Result<Self, String> {
        if let Some(k) = configured {
            return Self::from_private(k);
        }
        let fresh = Self::generate();
        let mut tx = store.begin().await.map_err(|e| e.to_string())?;
        sqlx::query(
            "insert into server_key (name, value, created_at) values ('vapid', $1, $2) on conflict (name) do nothing",
        )
        .bind(&fresh.private)
        .bind(ms(now))
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        let stored: String = sqlx::query_scalar("select value from server_key where name = 'vapid'")
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        Self::from_private(&stored)
    }
}

/// The sender's handle, shared by every server function: the keys, the HTTP client and the bell
/// that wakes the push job after a commit.
#[derive(Clone)]
pub struct WebPush {
    pub keys: VapidKeys,
    /// The `sub` claim of the VAPID token: how push services reach the operator.
    pub subject: String,
    http: reqwest::Client,
    bell: Arc<Notify>,
    /// The signed VAPID token of each push service (by origin) and when it was signed: valid
    /// 12 hours, reused for one, instead of a signature per message.
    tokens: Arc<std::sync::Mutex<std::collections::HashMap<String, (VapidSignature, std::time::Instant)>>>,
}

impl WebPush {
    pub fn new(keys: VapidKeys, subject: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(StdDuration::from_secs(15))
            .pool_max_idle_per_host(PARALLEL)
            .build()
            .unwrap_or_default();
        Self { keys, subject: subject.to_string(), http, bell: Arc::new(Notify::new()), tokens: Arc::default() }
    }

    /// Tells the push job there is something to send. Never waits.
    pub fn wake(&self) {
        self.bell.notify_one();
    }

    /// The VAPID token for the push service at `origin` (RFC 8292: `aud` is its origin, port
    /// included when it is not the default one, which the crate leaves out), signed at most
    /// [`TOKEN_REUSE`] ago.
    fn token(&self, origin: &str, info: &SubscriptionInfo) -> Result<VapidSignature, web_push::WebPushError> {
        let mut tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((token, at)) = tokens.get(origin) {
            if at.elapsed() < TOKEN_REUSE {
                return Ok(token.clone());
            }
        }
        let mut signature = VapidSignatureBuilder::from_base64(&self.keys.private, info)?;
        signature.add_claim("sub", self.subject.as_str());
        signature.add_claim("aud", origin);
        let token = signature.build()?;
        tokens.insert(origin.to_string(), (token.clone(), std::time::Instant::now()));
        Ok(token)
    }

    /// Waits for [`WebPush::wake`] or `max`, whichever comes first.
    pub async fn wait(&self, max: StdDuration) {
        let _ = tokio::time::timeout(max, self.bell.notified()).await;
    }
}

struct Due {
    id: i64,
    payload: String,
    urgency: Urgency,
    ttl_seconds: i64,
    created_at: DateTime<Utc>,
    attempts: i64,
    subscription_id: i64,
    info: SubscriptionInfo,
}

enum Outcome {
    Sent,
    /// The push service does not know the subscription any more (404, 410).
    Gone,
    /// Not worth retrying (malformed, too large, TTL over).
    Failed(String),
    Expired,
    Retry(String),
}

/// What one round of the push job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub removed_subscriptions: usize,
}

impl SendReport {
    pub fn total(&self) -> usize {
        self.sent + self.retried + self.failed + self.removed_subscriptions
    }
}

/// Backoff before attempt `n + 1`: 10 s, 30 s, 1 min 30, 4 min 30, …
fn backoff(attempts: i64) -> Duration {
    Duration::seconds(10 * 3_i64.pow(attempts.clamp(1, 6) as u32 - 1))
}

async fn claim(state: &AppState, now: DateTime<Utc>) -> Result<Vec<Due>, PushError> {
    let token = crate::platform::new_token();
    let mut tx = state.store.begin().await?;
    // The outer `next_attempt_at <= $3` is re-checked on a row another instance just claimed
    // (PostgreSQL re-evaluates it on the new row version), so each row has one sender.
    sqlx::query(
        "update push_delivery set claim = $1, next_attempt_at = $2, attempts = attempts + 1 \
         where state = 'pending' and next_attempt_at <= $3 and id in \
         (select id from push_delivery where state = 'pending' and next_attempt_at <= $3 order by id limit $4)",
    )
    .bind(&token)
    .bind(ms(now + CLAIM))
    .bind(ms(now))
    .bind(BATCH)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query(
        "select d.id, d.payload, d.urgency, d.ttl_seconds, d.created_at, d.attempts, s.id, s.endpoint, s.p256dh, s.auth \
         from push_delivery d join push_subscription s on s.id = d.subscription_id where d.claim = $1 and d.state = 'pending' \
         order by d.id",
    )
    .bind(&token)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .iter()
        .map(|r| Due {
            id: r.get(0),
            payload: r.get(1),
            urgency: parse_urgency(&r.get::<String, _>(2)),
            ttl_seconds: r.get(3),
            created_at: from_ms(r.get(4)),
            attempts: r.get(5),
            subscription_id: r.get(6),
            info: SubscriptionInfo::new(r.get::<String, _>(7), r.get::<String, _>(8), r.get::<String, _>(9)),
        })
        .collect())
}

async fn deliver(push: &WebPush, d: &Due, now: DateTime<Utc>) -> Outcome {
    let left = d.ttl_seconds - (now - d.created_at).num_seconds();
    if left <= 0 {
        return Outcome::Expired;
    }
    let origin = reqwest::Url::parse(&d.info.endpoint).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    let message = (|| {
        let mut builder = WebPushMessageBuilder::new(&d.info);
        builder.set_payload(ContentEncoding::Aes128Gcm, d.payload.as_bytes());
        builder.set_ttl(u32::try_from(left).unwrap_or(u32::MAX));
        builder.set_urgency(d.urgency);
        builder.set_vapid_signature(push.token(&origin, &d.info)?);
        builder.build()
    })();
    let message = match message {
        Ok(m) => m,
        Err(e) => return Outcome::Failed(format!("{e:?}")),
    };
    let mut request = push
        .http
        .post(message.endpoint.to_string())
        .header("TTL", message.ttl.to_string())
        .header("Urgency", urgency_code(d.urgency));
    if let Some(payload) = message.payload {
        request = request
            .header("Content-Encoding", payload.content_encoding.to_str())
            .header("Content-Type", "application/octet-stream");
        for (k, v) in payload.crypto_headers {
            request = request.header(k, v);
        }
        request = request.body(payload.content);
    }
    match request.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            match status {
                200..=299 => Outcome::Sent,
                404 | 410 => Outcome::Gone,
                400 | 403 | 413 => Outcome::Failed(format!("push service answered {status}")),
                _ => Outcome::Retry(format!("push service answered {status}")),
            }
        }
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

/// One round of the push job at `now`: claims what is due, sends it, records each outcome.
///
/// # Errors
/// On a database failure; what was claimed is retried after the claim lapses.
pub async fn send_due(state: &AppState) -> Result<SendReport, PushError> {
    let now = state.now();
    let due = claim(state, now).await?;
    if due.is_empty() {
        return Ok(SendReport::default());
    }
    let push = state.push.clone();
    // The outcomes are written as their messages are answered, those answered together in one
    // transaction: a server that stops mid-batch leaves only the messages then in flight (or
    // answered but not yet written) to be sent again. Once outcomes cannot be written (the
    // database is away), nothing more of the batch is sent: what could not be recorded as sent
    // would be sent again.
    let unrecorded = std::sync::atomic::AtomicBool::new(false);
    let unrecorded = &unrecorded;
    let mut answered = stream::iter(due)
        .map(|d| {
            let push = push.clone();
            async move {
                if unrecorded.load(std::sync::atomic::Ordering::Relaxed) {
                    return None;
                }
                let outcome = deliver(&push, &d, now).await;
                Some((d, outcome))
            }
        })
        .buffer_unordered(PARALLEL)
        .ready_chunks(PARALLEL);
    let mut report = SendReport::default();
    let mut failure = None;
    while let Some(chunk) = answered.next().await {
        let chunk: Vec<(Due, Outcome)> = chunk.into_iter().flatten().collect();
        if chunk.is_empty() || failure.is_some() {
            continue;
        }
        match record(state, chunk).await {
            Ok(r) => {
                crate::platform::metrics::webpush(r.sent, r.retried, r.failed, r.removed_subscriptions);
                report.sent += r.sent;
                report.failed += r.failed;
                report.retried += r.retried;
                report.removed_subscriptions += r.removed_subscriptions;
            }
            Err(e) => {
                unrecorded.store(true, std::sync::atomic::Ordering::Relaxed);
                failure = Some(e);
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// Writes what became of messages, in one transaction: the sent ones in two statements.
async fn record(state: &AppState, answered: Vec<(Due, Outcome)>) -> Result<SendReport, PushError> {
    let done_at = state.now();
    let mut report = SendReport::default();
    let finish = |id: i64, to: &'static str, error: Option<String>| {
        sqlx::query("update push_delivery set state = $2, done_at = $3, claim = null, last_error = $4 where id = $1")
            .bind(id)
            .bind(to)
            .bind(ms(done_at))
            .bind(error)
    };
    let mut tx = state.store.begin().await?;
    let (sent, others): (Vec<_>, Vec<_>) = answered.into_iter().partition(|(_, o)| matches!(o, Outcome::Sent));
    if !sent.is_empty() {
        let ids = |n: usize| (0..n).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "update push_delivery set state = 'sent', done_at = $1, claim = null, last_error = null where id in ({})",
            ids(sent.len())
        );
        let mut update = sqlx::query(&sql).persistent(false).bind(ms(done_at));
        for (d, _) in &sent {
            update = update.bind(d.id);
        }
        update.execute(&mut *tx).await?;
        let sql = format!("update push_subscription set last_sent_at = $1 where id in ({})", ids(sent.len()));
        let mut update = sqlx::query(&sql).persistent(false).bind(ms(done_at));
        for (d, _) in &sent {
            update = update.bind(d.subscription_id);
        }
        update.execute(&mut *tx).await?;
        report.sent += sent.len();
    }
    for (d, outcome) in others {
        match outcome {
            // Written above.
            Outcome::Sent => {}
            Outcome::Expired => {
                finish(d.id, "expired", None).execute(&mut *tx).await?;
                report.failed += 1;
            }
            Outcome::Failed(e) => {
                tracing::warn!(delivery = d.id, error = e, "push message refused");
                finish(d.id, "failed", Some(e)).execute(&mut *tx).await?;
                report.failed += 1;
            }
            Outcome::Retry(e) if d.attempts >= MAX_ATTEMPTS => {
                tracing::warn!(delivery = d.id, error = e, "push message given up");
                finish(d.id, "failed", Some(e)).execute(&mut *tx).await?;
                report.failed += 1;
            }
            Outcome::Retry(e) => {
                sqlx::query(
                    "update push_delivery set next_attempt_at = $2, claim = null, last_error = $3 where id = $1",
                )
                .bind(d.id)
                .bind(ms(done_at + backoff(d.attempts)))
                .bind(e)
                .execute(&mut *tx)
                .await?;
                report.retried += 1;
            }
            Outcome::Gone => {
                let member: Option<i64> = sqlx::query_scalar("select member_id from push_subscription where id = $1")
                    .bind(d.subscription_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let removed = sqlx::query("delete from push_subscription where id = $1")
                    .bind(d.subscription_id)
                    .execute(&mut *tx)
                    .await?;
                if removed.rows_affected() == 1 {
                    Audit::new("push_subscription_expired")
                        .subject(member)
                        .detail(serde_json::json!({ "subscription": d.subscription_id }))
                        .write(&mut tx, done_at)
                        .await?;
                    report.removed_subscriptions += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// The push job: sends as soon as it is woken, and every `every` for retries and for messages
/// queued by other instances. Runs until the server drains: the round under way is finished
/// (its outcomes written), then the job stops.
pub async fn run(state: AppState, every: StdDuration) {
    state.health.push_started(every);
    let drained = state.health.drained();
    tokio::pin!(drained);
    loop {
        match send_due(&state).await {
            // A full batch: there may be more right away.
            Ok(r) if r.total() as i64 >= BATCH && !state.health.is_draining() => {
                state.health.push_round();
                continue;
            }
            Ok(r) if r.total() > 0 => tracing::debug!(?r, "push round"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "push job failed; retrying"),
        }
        state.health.push_round();
        tokio::select! {
            biased;
            () = &mut drained => break,
            () = state.push.wait(every) => {}
        }
    }
    tracing::info!("push job stopped: the server drains");
}

/// Deletes deliveries finished more than `keep` ago.
///
/// # Errors
/// On a database failure.
pub async fn purge(state: &AppState, keep: Duration) -> Result<u64, PushError> {
    let mut tx = state.store.begin().await?;
    let done = sqlx::query("delete from push_delivery where state <> 'pending' and done_at < $1")
        .bind(ms(state.now() - keep))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
