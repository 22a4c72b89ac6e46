//! [ssr] What the health checks read besides the database: when the background jobs and the Web
//! Push sender last went round their loops, and whether the server is draining (it received
//! SIGTERM: it takes no new work and its live streams are told to reconnect elsewhere).
//!
//! Times are the machine's wall clock, never the app's [`Clock`](super::Clock) (shifted for
//! demonstrations, manual in tests): a loop is late in real seconds.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::sync::watch;

/// A loop that has not come round for this long is stuck, whatever its period: long enough
/// that a slow round (a batch of Web Push messages to a push service that hangs, a slow SMTP
/// server) does not take every instance out of the load balancer at once; the metric
/// `relais_job_lag_seconds` is what an alert watches sooner.
pub const STUCK_AFTER_AT_LEAST: Duration = Duration::from_secs(300);

#[derive(Debug)]
pub struct Health {
    /// Wall-clock milliseconds of the job loop's last finished round (0: none yet).
    jobs_beat: AtomicI64,
    /// The job loop's period in milliseconds (0: the loop does not run in this process).
    jobs_every: AtomicI64,
    push_beat: AtomicI64,
    push_every: AtomicI64,
    draining: watch::Sender<bool>,
}

impl Default for Health {
    fn default() -> Self {
        Self {
            jobs_beat: AtomicI64::new(0),
            jobs_every: AtomicI64::new(0),
            push_beat: AtomicI64::new(0),
            push_every: AtomicI64::new(0),
            draining: watch::Sender::new(false),
        }
    }
}

/// One loop's standing, as `/readyz` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoopCheck {
    pub ok: bool,
    /// Seconds since the loop last came round (none: it never did).
    pub last_round_seconds_ago: Option<f64>,
    /// What is wrong, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Judges a loop from its last round (`beat`, ms), its period (`every`, ms; 0 when it does not
/// run) and the time now (ms): stuck once it has not come round for ten periods, and never
/// less than [`STUCK_AFTER_AT_LEAST`].
pub fn judge(beat: i64, every: i64, now: i64) -> LoopCheck {
    let ago = (beat > 0).then(|| (now - beat).max(0) as f64 / 1000.0);
    let limit = (10 * every).max(STUCK_AFTER_AT_LEAST.as_millis() as i64);
    let error = if every == 0 {
        Some("not running in this process".to_string())
    } else if beat == 0 {
        Some("no round finished yet".to_string())
    } else if now - beat > limit {
        Some(format!("no round for {} s (limit {} s)", (now - beat) / 1000, limit / 1000))
    } else {
        None
    };
    LoopCheck { ok: error.is_none(), last_round_seconds_ago: ago, error }
}

pub fn wall_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

impl Health {
    /// The job loop starts, going round every `every`: it counts as alive until its first
    /// round is due late.
    pub fn jobs_started(&self, every: Duration) {
        self.jobs_every.store(every.as_millis() as i64, Ordering::Relaxed);
        self.jobs_beat.store(wall_ms(), Ordering::Relaxed);
    }

    pub fn jobs_round(&self) {
        self.jobs_beat.store(wall_ms(), Ordering::Relaxed);
    }

    pub fn push_started(&self, every: Duration) {
        self.push_every.store(every.as_millis() as i64, Ordering::Relaxed);
        self.push_beat.store(wall_ms(), Ordering::Relaxed);
    }

    pub fn push_round(&self) {
        self.push_beat.store(wall_ms(), Ordering::Relaxed);
    }

    pub fn jobs(&self) -> LoopCheck {
        judge(self.jobs_beat.load(Ordering::Relaxed), self.jobs_every.load(Ordering::Relaxed), wall_ms())
    }

    pub fn push(&self) -> LoopCheck {
        judge(self.push_beat.load(Ordering::Relaxed), self.push_every.load(Ordering::Relaxed), wall_ms())
    }

    /// Seconds since the job loop's last round (0 when it does not run).
    pub fn job_lag_seconds(&self) -> f64 {
        let beat = self.jobs_beat.load(Ordering::Relaxed);
        if beat == 0 {
            0.0
        } else {
            (wall_ms() - beat).max(0) as f64 / 1000.0
        }
    }

    /// SIGTERM: from now on the server drains.
    pub fn begin_drain(&self) {
        self.draining.send_replace(true);
    }

    pub fn is_draining(&self) -> bool {
        *self.draining.borrow()
    }

    /// Resolves once the server drains (at once if it already does).
    pub fn drained(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.draining.subscribe();
        async move {
            let _ = rx.wait_for(|d| *d).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loop_is_judged_on_ten_periods_and_at_least_five_minutes() {
        let s = 1000;
        assert!(judge(100 * s, 15 * s, 100 * s + 299 * s).ok, "15 s period: a slow round under 5 min is fine");
        let stuck = judge(100 * s, 15 * s, 100 * s + 301 * s);
        assert!(!stuck.ok);
        assert_eq!(stuck.error.as_deref(), Some("no round for 301 s (limit 300 s)"));
        assert_eq!(stuck.last_round_seconds_ago, Some(301.0));
        assert!(judge(100 * s, 60 * s, 100 * s + 599 * s).ok, "60 s period: ten periods");
        assert!(!judge(100 * s, 60 * s, 100 * s + 601 * s).ok);
        let idle = judge(0, 0, 5 * s);
        assert!(!idle.ok && idle.last_round_seconds_ago.is_none());
        assert_eq!(idle.error.as_deref(), Some("not running in this process"));
    }

    #[tokio::test]
    async fn draining_is_told_to_those_waiting_and_to_those_coming_after() {
        let health = Health::default();
        let waiting = tokio::spawn(health.drained());
        assert!(!health.is_draining());
        health.begin_drain();
        tokio::time::timeout(Duration::from_secs(2), waiting).await.unwrap().unwrap();
        tokio::time::timeout(Duration::from_secs(2), health.drained()).await.unwrap();
        assert!(health.is_draining());
    }

    #[test]
    fn a_started_loop_is_alive_until_its_first_round_is_late() {
        let health = Health::default();
        assert!(!health.jobs().ok);
        health.jobs_started(Duration::from_secs(15));
        assert!(health.jobs().ok);
        assert!(health.job_lag_seconds() < 5.0);
    }
}
