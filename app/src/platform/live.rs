//! Live updates: every committed change that a screen shows is announced here, and the SSE
//! endpoint forwards to each open device what concerns its member.
//!
//! With one server (SQLite) the hub is an in-process broadcast channel. With several servers on
//! PostgreSQL, events go through `pg_notify` and every instance's listener re-broadcasts them
//! locally, so a clinician connected to instance B sees what was accepted on instance A.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// Who should hear of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<LiveEvent>,
    /// Set when events must go through PostgreSQL to reach the other instances.
    pg: Option<sqlx::PgPool>,
}

impl LiveHub {
    pub fn local() -> Self {
        let (tx, _) = broadcast::channel(4096);
        Self { tx, pg: None }
    }

    /// A hub that publishes through PostgreSQL; [`LiveHub::listen_postgres`] must run to receive.
    pub fn postgres(pool: sqlx::PgPool) -> Self {
        let (tx, _) = broadcast::channel(4096);
        Self { tx, pg: Some(pool) }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }

    /// Announces committed changes. Never fails the caller: the change is already saved, and
    /// screens resynchronise when their stream reconnects.
    pub async fn publish(&self, events: Vec<LiveEvent>) {
        match &self.pg {
            None => {
                for e in events {
                    // No receiver is not an error: nobody is looking.
                    let _ = self.tx.send(e);
                }
            }
            Some(pool) => {
                for e in events {
                    let payload = serde_json::to_string(&e).unwrap_or_default();
                    if let Err(err) =
                        sqlx::query("select pg_notify($1, $2)").bind(PG_CHANNEL).bind(payload).execute(pool).await
                    {
                        tracing::warn!(%err, "live event not published; screens will resync");
                        let _ = self.tx.send(e);
                    }
                }
            }
        }
    }

    /// Forwards PostgreSQL notifications to this instance's subscribers, reconnecting forever.
    pub async fn listen_postgres(self, url: String) {
        loop {
            match sqlx::postgres::PgListener::connect(&url).await {
                Ok(mut listener) => {
                    if let Err(err) = listener.listen(PG_CHANNEL).await {
                        tracing::warn!(%err, "LISTEN failed");
                    } else {
                        loop {
                            match listener.recv().await {
                                Ok(n) => {
                                    if let Ok(e) = serde_json::from_str::<LiveEvent>(n.payload()) {
                                        let _ = self.tx.send(e);
                                    }
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
