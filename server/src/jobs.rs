//! The background jobs: sessions' last uses, escalation, reminders and e-mails, the hourly
//! purges and audit verification, and the Web Push sender.

use std::time::Duration;

use app::platform::AppState;

use crate::operations;

/// The background jobs of a process: [`Jobs::finish`] waits for them to stop once the server
/// drains.
pub struct Jobs(Vec<tokio::task::JoinHandle<()>>);

impl Jobs {
    /// Waits (at most `limit`) for the jobs to finish the round under way and stop, which they
    /// do once the server drains. Returns whether they did.
    pub async fn finish(self, limit: Duration) -> bool {
        tokio::time::timeout(limit, futures::future::join_all(self.0)).await.is_ok()
    }
}

/// Runs the background jobs (sessions' last uses, escalation of requests, reminders and
/// e-mails, the hourly purges and audit verification) every `every`, and the Web Push sender,
/// woken by each change that queues a message, until the server drains: each finishes its
/// round, the sessions' last uses are written, and they stop.
pub fn spawn_jobs(state: AppState, every: Duration) -> Jobs {
    let push = tokio::spawn(app::push::run(state.clone(), Duration::from_secs(5)));
    let jobs = tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut last_purge: Option<tokio::time::Instant> = None;
        state.health.jobs_started(every);
        let drained = state.health.drained();
        tokio::pin!(drained);
        loop {
            tokio::select! {
                biased;
                () = &mut drained => break,
                _ = interval.tick() => {}
            }
            if last_purge.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
                last_purge = Some(tokio::time::Instant::now());
                let week = chrono::Duration::days(7);
                let keys = app::platform::idempotency::purge(&state.store, state.now(), week).await;
                let deliveries = app::push::purge(&state, week).await;
                if keys.is_err() || deliveries.is_err() {
                    tracing::warn!("purge of old replay keys or push deliveries failed; retrying in an hour");
                }
                match app::dispatch::ops::erase_old_patient_data(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(requests = n, "patient data of old closed requests erased"),
                    Err(e) => tracing::warn!(error = ?e, "retention job failed; retrying in an hour"),
                }
                match app::slots::erase_old_patient_data(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(bookings = n, "patient data of old slot bookings erased"),
                    Err(e) => tracing::warn!(error = ?e, "slot retention job failed; retrying in an hour"),
                }
                match app::dental::erase_old_patient_data(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(referrals = n, "patient data of old closed dental referrals erased"),
                    Err(e) => tracing::warn!(error = ?e, "dental retention job failed; retrying in an hour"),
                }
                verify_audit(&state).await;
            }
            if let Err(e) = app::auth::flush_session_uses(&state).await {
                tracing::warn!(error = ?e, "sessions' last uses not written; retrying at next tick");
            }
            match app::dispatch::ops::tick(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(requests = n, "escalation job moved requests on"),
                Err(e) => tracing::warn!(error = ?e, "escalation job failed; retrying at next tick"),
            }
            match app::dental::tick(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(referrals = n, "dental referrals reminded or flagged overdue"),
                Err(e) => tracing::warn!(error = ?e, "dental deadline job failed; retrying at next tick"),
            }
            match app::planning::reminders::tick(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(emails = n, "reminders and notices e-mailed"),
                Err(e) => tracing::warn!(error = ?e, "reminder job failed; retrying at next tick"),
            }
            // Histograms keep their samples until drained: drained here even if nobody scrapes.
            operations::recorder().run_upkeep();
            state.health.jobs_round();
        }
        if let Err(e) = app::auth::flush_session_uses(&state).await {
            tracing::warn!(error = ?e, "sessions' last uses not written before stopping");
        }
        tracing::info!("background jobs stopped: the server drains");
    });
    Jobs(vec![push, jobs])
}

/// Verifies the audit chain and tells the metrics (hourly, with the purges).
async fn verify_audit(state: &AppState) {
    let verified = match state.store.reader().await {
        Ok(mut conn) => app::platform::audit::verify(&mut conn).await,
        Err(e) => Err(e),
    };
    match verified {
        Ok(v) => {
            if let Some(b) = &v.broken {
                tracing::error!(row = b.id, cpts = ?b.cpts_id, why = %b.why, "audit chain broken");
            }
            app::platform::metrics::audit_verified(chrono::Utc::now().timestamp(), v.broken.is_none(), v.rows as u64);
        }
        Err(e) => tracing::warn!(error = ?e, "audit chain not verified; retrying in an hour"),
    }
}
