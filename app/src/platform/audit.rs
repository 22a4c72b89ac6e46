//! The audit trail: one line per change, written in the transaction of the change it describes.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::db::{from_ms, ms, StoreResult};

/// One line of the audit trail, written in the transaction of the change it describes.
///
/// Built in one expression where the change is made:
/// `Audit::new("offer_accepted").cpts(r.cpts_id).actor(actor.id).request(r.id).write(&mut tx, now).await?`.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    pub cpts_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub kind: &'static str,
    pub request_id: Option<i64>,
    pub offer_id: Option<i64>,
    pub subject_id: Option<i64>,
    /// When an admin acts for a member: that member (the actor stays the admin).
    pub on_behalf_of: Option<i64>,
    pub detail: serde_json::Value,
}

/// Who acts: a member of a CPTS (members implement it, so that `Audit::by` needs nothing else).
pub trait Actor {
    fn cpts_id(&self) -> i64;
    fn member_id(&self) -> i64;
}

impl Audit {
    /// An event of `kind` done by the system (a job), not by a member.
    pub fn new(kind: &'static str) -> Self {
        Audit { kind, ..Audit::default() }
    }

    /// An event of `kind` done by `actor`, in the actor's CPTS.
    pub fn by(actor: &impl Actor, kind: &'static str) -> Self {
        Audit::new(kind).cpts(actor.cpts_id()).actor(actor.member_id())
    }

    pub fn cpts(mut self, id: impl Into<Option<i64>>) -> Self {
        self.cpts_id = id.into();
        self
    }

    pub fn actor(mut self, id: impl Into<Option<i64>>) -> Self {
        self.actor_id = id.into();
        self
    }

    pub fn request(mut self, id: i64) -> Self {
        self.request_id = Some(id);
        self
    }

    pub fn offer(mut self, id: i64) -> Self {
        self.offer_id = Some(id);
        self
    }

    /// The member the event is about (the colleague asked, the member who was offered…).
    pub fn subject(mut self, id: impl Into<Option<i64>>) -> Self {
        self.subject_id = id.into();
        self
    }

    /// The member an admin acts for; `None` when members act for themselves.
    pub fn on_behalf_of(mut self, id: impl Into<Option<i64>>) -> Self {
        self.on_behalf_of = id.into();
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Appends the event, in the caller's transaction.
    pub async fn write(self, conn: &mut AnyConnection, at: DateTime<Utc>) -> StoreResult<()> {
        let detail = if self.detail.is_null() { "{}".to_string() } else { self.detail.to_string() };
        sqlx::query(
            "insert into audit_event (cpts_id, at, actor_id, kind, request_id, offer_id, subject_id, detail, on_behalf_of) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(self.cpts_id)
        .bind(ms(at))
        .bind(self.actor_id)
        .bind(self.kind)
        .bind(self.request_id)
        .bind(self.offer_id)
        .bind(self.subject_id)
        .bind(detail)
        .bind(self.on_behalf_of)
        .execute(conn)
        .await?;
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub subject_name: Option<String>,
    pub detail: String,
}

pub async fn request_timeline(conn: &mut AnyConnection, request_id: i64) -> StoreResult<Vec<AuditRow>> {
    let rows = sqlx::query(
        "select e.id, e.at, e.actor_id, a.display_name as actor_name, e.kind, s.display_name as subject_name, e.detail \
         from audit_event e left join member a on a.id = e.actor_id left join member s on s.id = e.subject_id \
         where e.request_id = $1 order by e.id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| AuditRow {
            id: r.get("id"),
            at: from_ms(r.get("at")),
            actor_id: r.get("actor_id"),
            actor_name: r.get("actor_name"),
            kind: r.get("kind"),
            subject_name: r.get("subject_name"),
            detail: r.get("detail"),
        })
        .collect())
}

/// Counts audit events of a kind (tests and indicators).
pub async fn count_audit(conn: &mut AnyConnection, kind: &str, request_id: Option<i64>) -> StoreResult<i64> {
    let n: i64 = sqlx::query_scalar("select count(*) from audit_event where kind = $1 and ($2 = 0 or request_id = $2)")
        .bind(kind)
        .bind(request_id.unwrap_or(0))
        .fetch_one(conn)
        .await?;
    Ok(n)
}
