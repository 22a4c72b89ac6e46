//! Live updates: every committed change that a screen shows is announced here, and the SSE
//! endpoint forwards to each open device what concerns its member.
//!
//! With one server (SQLite) the hub is an in-process broadcast channel. With several servers on
//! PostgreSQL, events go through `pg_notify` and every instance's listener re-broadcasts them
//! locally, so a clinician connected to instance B sees what was accepted on instance A.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// Who should hear of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "to", content = "id", rename_all = "snake_case")]
pub enum Audience {
    /// One member, on all their devices.
    Member(i64),
    /// The coordinators and admins of a CPTS.
    Coordination(i64),
}

/// A change worth redrawing a screen for. It carries ids only: screens fetch what they show
/// through the server functions, which check access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub audience: Audience,
    /// `offer_new`, `offer_withdrawn`, `request_changed`, …
    pub kind: String,
    pub request_id: Option<i64>,
}

impl LiveEvent {
    pub fn to_member(member_id: i64, kind: &str, request_id: i64) -> Self {
        Self { audience: Audience::Member(member_id), kind: kind.into(), request_id: Some(request_id) }
    }
    /// A change of a member's vacations or proposals (no request involved).
    pub fn vacations_of(member_id: i64) -> Self {
        Self { audience: Audience::Member(member_id), kind: "vacations_changed".into(), request_id: None }
    }
    /// A change of a member's own things (their slots…), no request involved.
    pub fn member_notice(member_id: i64, kind: &str) -> Self {
        Self { audience: Audience::Member(member_id), kind: kind.into(), request_id: None }
    }
    pub fn to_coordination(cpts_id: i64, kind: &str, request_id: i64) -> Self {
        Self { audience: Audience::Coordination(cpts_id), kind: kind.into(), request_id: Some(request_id) }
    }
}

/// The channel name used with PostgreSQL LISTEN/NOTIFY.
pub const PG_CHANNEL: &str = "relais_live";

/// How many events one audience may have waiting before its slowest screen is told to resync.
const BACKLOG: usize = 256;

/// Routes each event to the screens of its audience only: a wave offered to 500 clinicians
/// wakes each of their streams once, not 500 times.
#[derive(Clone)]
pub struct LiveHub {
    routes: Arc<Mutex<HashMap<Audience, broadcast::Sender<LiveEvent>>>>,
    /// Set when events must go through PostgreSQL to reach the other instances.
    pg: Option<sqlx::PgPool>,
}

impl LiveHub {
    pub fn local() -> Self {
        Self { routes: Arc::default(), pg: None }
    }

    /// A hub that publishes through PostgreSQL; [`LiveHub::listen_postgres`] must run to receive.
    pub fn postgres(pool: sqlx::PgPool) -> Self {
        Self { routes: Arc::default(), pg: Some(pool) }
    }

    /// The events of one audience, from now on. A receiver that falls more than a backlog behind
    /// gets `Lagged` (its screen refetches everything).
    pub fn subscribe(&self, audience: Audience) -> broadcast::Receiver<LiveEvent> {
        let mut routes = self.routes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        routes.entry(audience).or_insert_with(|| broadcast::channel(BACKLOG).0).subscribe()
    }

    /// Hands `e` to the receivers of its audience on this instance; forgets an audience nobody
    /// listens to any more.
    fn deliver(&self, e: LiveEvent) {
        let mut routes = self.routes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(route) = routes.get(&e.audience) {
            let audience = e.audience;
            if route.send(e).is_err() {
                routes.remove(&audience);
            }
        }
    }

    /// Announces committed changes. Never fails the caller: the change is already saved, and
    /// screens resynchronise when their stream reconnects. Through PostgreSQL, one statement
    /// notifies them all, in order.
    pub async fn publish(&self, events: Vec<LiveEvent>) {
        let Some(pool) = &self.pg else {
            events.into_iter().for_each(|e| self.deliver(e));
            return;
        };
        if events.is_empty() {
            return;
        }
        let payloads: Vec<String> = events.iter().map(|e| serde_json::to_string(e).unwrap_or_default()).collect();
        let sent = sqlx::query("select pg_notify($1, p) from unnest($2::text[]) with ordinality as t(p, n) order by n")
            .bind(PG_CHANNEL)
            .bind(payloads)
            .execute(pool)
            .await;
        if let Err(err) = sent {
            tracing::warn!(%err, "live events not published to the other instances; their screens will resync");
            events.into_iter().for_each(|e| self.deliver(e));
        }
    }

    /// Forwards PostgreSQL notifications to this instance's subscribers, reconnecting forever.
    /// `heard` sees each event first (what this instance keeps in memory of what it says
    /// changed), and `None` each time the listener (re)connects: what was announced while it was
    /// away is unknown.
    pub async fn listen_postgres(self, url: String, heard: impl Fn(Option<&LiveEvent>) + Send + 'static) {
        loop {
            match sqlx::postgres::PgListener::connect(&url).await {
                Ok(mut listener) => {
                    if let Err(err) = listener.listen(PG_CHANNEL).await {
                        tracing::warn!(%err, "LISTEN failed");
                    } else {
                        heard(None);
                        loop {
                            // `try_recv` says when the connection was lost (the next call
                            // reconnects), where `recv` would reconnect without a word.
                            match listener.try_recv().await {
                                Ok(Some(n)) => {
                                    if let Ok(e) = serde_json::from_str::<LiveEvent>(n.payload()) {
                                        heard(Some(&e));
                                        self.deliver(e);
                                    }
                                }
                                Ok(None) => {
                                    tracing::warn!("live listener lost its connection; reconnecting");
                                    heard(None);
                                }
                                Err(err) => {
                                    tracing::warn!(%err, "live listener lost its connection");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(err) => tracing::warn!(%err, "live listener cannot connect"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_event_reaches_the_receivers_of_its_audience_only_and_in_order() {
        let hub = LiveHub::local();
        let mut leroy = hub.subscribe(Audience::Member(1));
        let mut leroy_phone = hub.subscribe(Audience::Member(1));
        let mut bernard = hub.subscribe(Audience::Member(2));
        let mut coordination = hub.subscribe(Audience::Coordination(7));
        hub.publish(vec![
            LiveEvent::to_member(1, "offer_new", 10),
            LiveEvent::to_member(2, "offer_new", 10),
            LiveEvent::to_coordination(7, "request_changed", 10),
            LiveEvent::to_member(1, "offer_taken", 10),
            LiveEvent::to_member(3, "offer_new", 10),
        ])
        .await;
        for rx in [&mut leroy, &mut leroy_phone] {
            assert_eq!(rx.try_recv().unwrap().kind, "offer_new");
            assert_eq!(rx.try_recv().unwrap().kind, "offer_taken");
            assert!(rx.try_recv().is_err(), "nothing else for member 1");
        }
        assert_eq!(bernard.try_recv().unwrap(), LiveEvent::to_member(2, "offer_new", 10));
        assert!(bernard.try_recv().is_err());
        assert_eq!(coordination.try_recv().unwrap(), LiveEvent::to_coordination(7, "request_changed", 10));
        assert!(coordination.try_recv().is_err());
    }

    #[tokio::test]
    async fn an_audience_nobody_listens_to_is_forgotten_and_a_new_receiver_starts_afresh() {
        let hub = LiveHub::local();
        drop(hub.subscribe(Audience::Member(1)));
        hub.publish(vec![LiveEvent::to_member(1, "offer_new", 10)]).await;
        assert!(hub.routes.lock().unwrap().is_empty(), "the route of a closed screen is dropped");
        let mut again = hub.subscribe(Audience::Member(1));
        hub.publish(vec![LiveEvent::to_member(1, "offer_taken", 10)]).await;
        assert_eq!(again.try_recv().unwrap().kind, "offer_taken");
    }

    #[tokio::test]
    async fn a_receiver_that_falls_a_backlog_behind_is_told_it_lagged() {
        let hub = LiveHub::local();
        let mut slow = hub.subscribe(Audience::Member(1));
        hub.publish((0..=BACKLOG as i64).map(|i| LiveEvent::to_member(1, "offer_new", i)).collect()).await;
        assert!(matches!(slow.try_recv(), Err(broadcast::error::TryRecvError::Lagged(1))));
    }
}
