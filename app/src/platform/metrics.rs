//! [ssr] The metrics Relais keeps (the `metrics` facade; the server installs the Prometheus
//! recorder and serves them at `/metrics`). Each is counted where the change is committed, never
//! inside a transaction that may still roll back. docs/operations.md lists them with alerting
//! rules; this list and that one are the same.

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, Unit};

pub const HTTP_DURATION: &str = "relais_http_request_duration_seconds";
pub const LIVE_STREAMS: &str = "relais_live_streams";
pub const OFFERS_PUSHED: &str = "relais_offers_pushed_total";
pub const OFFERS_ACCEPTED: &str = "relais_offers_accepted_total";
pub const ACCEPTS_TOO_LATE: &str = "relais_accepts_too_late_total";
pub const OFFERS_EXPIRED: &str = "relais_offers_expired_total";
pub const WAVES_WIDENED: &str = "relais_waves_widened_total";
pub const REQUESTS_ESCALATED: &str = "relais_requests_escalated_total";
pub const WEBPUSH: &str = "relais_webpush_messages_total";
pub const EMAILS: &str = "relais_emails_total";
pub const SMS: &str = "relais_sms_total";
pub const JOB_LAG: &str = "relais_job_lag_seconds";
pub const DB_CONNECTIONS: &str = "relais_db_connections";
pub const AUDIT_VERIFIED_AT: &str = "relais_audit_chain_verified_timestamp_seconds";
pub const AUDIT_INTACT: &str = "relais_audit_chain_intact";
pub const AUDIT_ROWS: &str = "relais_audit_rows";

/// Gives each metric its help text and unit (shown by `/metrics`).
pub fn describe() {
    describe_histogram!(HTTP_DURATION, Unit::Seconds, "Time to answer a request, by route, method and status class.");
    describe_gauge!(LIVE_STREAMS, "Live streams (server-sent events) open now.");
    describe_counter!(OFFERS_PUSHED, "Offers sent to clinicians (every wave, requests and teleconsultations).");
    describe_counter!(OFFERS_ACCEPTED, "Offers accepted (a request won by a clinician).");
    describe_counter!(
        ACCEPTS_TOO_LATE,
        "Acceptances of a request already taken, by where they were told: read (the committed state), turn (by the turn before, in this instance), lock (under the request's lock)."
    );
    describe_counter!(OFFERS_EXPIRED, "Offers withdrawn unanswered because their request's deadline passed.");
    describe_counter!(WAVES_WIDENED, "Waves widened by the escalation job (a wave timed out or was all declined).");
    describe_counter!(
        REQUESTS_ESCALATED,
        "Requests flagged to the coordination (no taker after the last wave, or deadline)."
    );
    describe_counter!(WEBPUSH, "Web Push messages by outcome: sent, retried, failed, gone (subscription removed).");
    describe_counter!(EMAILS, "E-mails by outcome: sent, failed.");
    describe_counter!(SMS, "SMS by outcome: sent, failed.");
    describe_gauge!(JOB_LAG, Unit::Seconds, "Seconds since the background jobs' last finished round.");
    describe_gauge!(DB_CONNECTIONS, "Database connections by pool (read, write) and state (busy, idle).");
    describe_gauge!(AUDIT_VERIFIED_AT, Unit::Seconds, "When the audit chain was last verified (Unix time).");
    describe_gauge!(AUDIT_INTACT, "1 when the audit chain's last verification found it intact, 0 when broken.");
    describe_gauge!(AUDIT_ROWS, "Audit rows verified by the last verification.");
}

pub fn offers_pushed(n: usize) {
    counter!(OFFERS_PUSHED).increment(n as u64);
}

pub fn offer_accepted() {
    counter!(OFFERS_ACCEPTED).increment(1);
}

/// An acceptance told the request was already taken: `read` from the committed state, without
/// queuing; `turn` by the turn before its own (a crowd, in this process); `lock` once it had the
/// request's lock.
pub fn accept_too_late(told: &'static str) {
    counter!(ACCEPTS_TOO_LATE, "told" => told).increment(1);
}

pub fn offers_expired(n: usize) {
    counter!(OFFERS_EXPIRED).increment(n as u64);
}

pub fn wave_widened() {
    counter!(WAVES_WIDENED).increment(1);
}

pub fn request_escalated() {
    counter!(REQUESTS_ESCALATED).increment(1);
}

/// Web Push outcomes of one round of the sender.
pub fn webpush(sent: usize, retried: usize, failed: usize, gone: usize) {
    for (outcome, n) in [("sent", sent), ("retried", retried), ("failed", failed), ("gone", gone)] {
        if n > 0 {
            counter!(WEBPUSH, "outcome" => outcome).increment(n as u64);
        }
    }
}

fn outcome<E>(r: &Result<(), E>) -> &'static str {
    if r.is_ok() {
        "sent"
    } else {
        "failed"
    }
}

pub fn email<E>(r: &Result<(), E>) {
    counter!(EMAILS, "outcome" => outcome(r)).increment(1);
}

pub fn sms<E>(r: &Result<(), E>) {
    counter!(SMS, "outcome" => outcome(r)).increment(1);
}

/// Counts an open live stream for as long as it lives.
pub struct LiveStreamGauge(());

impl LiveStreamGauge {
    pub fn open() -> Self {
        gauge!(LIVE_STREAMS).increment(1.0);
        Self(())
    }
}

impl Drop for LiveStreamGauge {
    fn drop(&mut self) {
        gauge!(LIVE_STREAMS).decrement(1.0);
    }
}

/// The last verification of the audit chain.
pub fn audit_verified(at_unix: i64, intact: bool, rows: u64) {
    gauge!(AUDIT_VERIFIED_AT).set(at_unix as f64);
    gauge!(AUDIT_INTACT).set(if intact { 1.0 } else { 0.0 });
    gauge!(AUDIT_ROWS).set(rows as f64);
}
