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
    /// The dental referral it is about.
    pub referral_id: Option<i64>,
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

    pub fn referral(mut self, id: i64) -> Self {
        self.referral_id = Some(id);
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

    /// Appends the event, in the caller's transaction, as the next link of its CPTS's chain.
    pub async fn write(self, conn: &mut AnyConnection, at: DateTime<Utc>) -> StoreResult<()> {
        write_all(conn, vec![self], at).await
    }
}

/// Appends `events`, in this order and in the caller's transaction, each as the next link of its
/// CPTS's chain: each chain's last link is read once, the links are computed here and written
/// in one statement (a wave of 500 offers is one insert, not 1,000 statements).
pub async fn write_all(conn: &mut AnyConnection, events: Vec<Audit>, at: DateTime<Utc>) -> StoreResult<()> {
    // Each chain's head is taken once, in one order for every writer (PostgreSQL's locks are
    // then never taken crosswise by two transactions).
    let chains: std::collections::BTreeSet<Option<i64>> = events.iter().map(|e| e.cpts_id).collect();
    let mut heads = std::collections::HashMap::new();
    for cpts_id in chains {
        heads.insert(cpts_id, chain_head(conn, cpts_id).await?);
    }
    let mut links = Vec::with_capacity(events.len());
    for event in events {
        let prev = heads.get(&event.cpts_id).cloned().flatten();
        let row = ChainedRow {
            cpts_id: event.cpts_id,
            at: ms(at),
            actor_id: event.actor_id,
            kind: event.kind.to_string(),
            request_id: event.request_id,
            offer_id: event.offer_id,
            subject_id: event.subject_id,
            on_behalf_of: event.on_behalf_of,
            referral_id: event.referral_id,
            detail: if event.detail.is_null() { "{}".to_string() } else { event.detail.to_string() },
        };
        let hash = row.hash(prev.as_deref());
        heads.insert(row.cpts_id, Some(hash.clone()));
        links.push((row, prev, hash));
    }
    if links.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = links
        .into_iter()
        .map(|(row, prev, hash)| {
            serde_json::json!([
                row.cpts_id,
                row.at,
                row.actor_id,
                row.kind,
                row.request_id,
                row.offer_id,
                row.subject_id,
                row.detail,
                row.on_behalf_of,
                prev,
                hash,
                row.referral_id
            ])
        })
        .collect();
    let types = [
        "bigint", "bigint", "bigint", "text", "bigint", "bigint", "bigint", "text", "bigint", "text", "text", "bigint",
    ];
    let sql = format!(
        "insert into audit_event (cpts_id, at, actor_id, kind, request_id, offer_id, subject_id, detail, on_behalf_of, prev_hash, hash, referral_id) \
         select {} from {}",
        super::db::json_columns(types.len()),
        super::db::json_rows(conn, 1, &types)
    );
    sqlx::query(&sql).persistent(false).bind(serde_json::Value::Array(rows).to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// The hash of the last link of a CPTS's chain (of the system's, for `None`), taken so that no
/// other transaction links to it before this one ends.
async fn chain_head(conn: &mut AnyConnection, cpts_id: Option<i64>) -> StoreResult<Option<String>> {
    if conn.backend_name() == "PostgreSQL" {
        // One writer per chain until this transaction ends, so that two never link to the same
        // previous row. (SQLite's single writer connection already serialises them.)
        sqlx::query("select pg_advisory_xact_lock(7331, $1::int4)::text")
            .bind(cpts_id.unwrap_or(0))
            .execute(&mut *conn)
            .await?;
    }
    let last = match cpts_id {
        Some(cpts_id) => {
            sqlx::query_scalar("select hash from audit_event where cpts_id = $1 order by cpts_id desc, id desc limit 1")
                .bind(cpts_id)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar("select hash from audit_event where cpts_id is null order by id desc limit 1")
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    Ok(last.flatten())
}

/// What a link of the chain covers: every column of the row but its id and hashes.
#[derive(Clone, Debug, PartialEq)]
struct ChainedRow {
    cpts_id: Option<i64>,
    at: i64,
    actor_id: Option<i64>,
    kind: String,
    request_id: Option<i64>,
    offer_id: Option<i64>,
    subject_id: Option<i64>,
    on_behalf_of: Option<i64>,
    referral_id: Option<i64>,
    detail: String,
}

impl ChainedRow {
    /// SHA-256, hex, of the previous link's hash and of this row's columns, each on its own line
    /// (an absent value as an empty line; `detail` last, since it may hold line breaks). The
    /// referral, a later column, comes as a `referral:` line before `detail` only when there is
    /// one, so that the rows written before it existed keep their hash (`detail` is JSON and
    /// never starts with that word).
    fn hash(&self, prev: Option<&str>) -> String {
        use sha2::{Digest, Sha256};
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let referral = self.referral_id.map(|r| format!("referral:{r}\n")).unwrap_or_default();
        let text = format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{referral}{}",
            prev.unwrap_or_default(),
            opt(self.cpts_id),
            self.at,
            opt(self.actor_id),
            self.kind,
            opt(self.request_id),
            opt(self.offer_id),
            opt(self.subject_id),
            opt(self.on_behalf_of),
            self.detail
        );
        Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Where the chain of a CPTS is broken: the first row that does not follow from the one before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub cpts_id: Option<i64>,
    pub id: i64,
    pub why: &'static str,
}

/// What `verify` found: the rows and chains checked, or the first broken link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub rows: usize,
    pub chains: usize,
    pub broken: Option<BrokenLink>,
}

/// Walks every CPTS's chain in order and recomputes each link.
///
/// # Errors
/// On a database failure.
pub async fn verify(conn: &mut AnyConnection) -> StoreResult<Verified> {
    let rows = sqlx::query(
        "select id, cpts_id, at, actor_id, kind, request_id, offer_id, subject_id, on_behalf_of, referral_id, detail, \
           prev_hash, hash from audit_event order by cpts_id, id",
    )
    .fetch_all(conn)
    .await?;
    // Per chain: the last hash seen, and whether its chain has started.
    let mut chains: std::collections::HashMap<Option<i64>, Option<String>> = std::collections::HashMap::new();
    let mut checked = 0;
    for r in &rows {
        let cpts_id: Option<i64> = r.get("cpts_id");
        let id: i64 = r.get("id");
        let hash: Option<String> = r.get("hash");
        let prev_hash: Option<String> = r.get("prev_hash");
        let last = chains.entry(cpts_id).or_default();
        let broken = |why| Some(BrokenLink { cpts_id, id, why });
        let Some(hash) = hash else {
            if last.is_some() {
                return Ok(Verified {
                    rows: checked,
                    chains: chains.len(),
                    broken: broken("row without a hash inside the chain"),
                });
            }
            continue;
        };
        if prev_hash != *last {
            return Ok(Verified {
                rows: checked,
                chains: chains.len(),
                broken: broken("does not follow the previous row"),
            });
        }
        let row = ChainedRow {
            cpts_id,
            at: r.get("at"),
            actor_id: r.get("actor_id"),
            kind: r.get("kind"),
            request_id: r.get("request_id"),
            offer_id: r.get("offer_id"),
            subject_id: r.get("subject_id"),
            on_behalf_of: r.get("on_behalf_of"),
            referral_id: r.get("referral_id"),
            detail: r.get("detail"),
        };
        if row.hash(prev_hash.as_deref()) != hash {
            return Ok(Verified { rows: checked, chains: chains.len(), broken: broken("its content was changed") });
        }
        *last = Some(hash);
        checked += 1;
    }
    Ok(Verified { rows: checked, chains: chains.len(), broken: None })
}

/// A row of the trail as an admin exports it: names instead of ids, and its chain hash.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExportRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: String,
    pub request_id: Option<i64>,
    pub offer_id: Option<i64>,
    pub subject: Option<String>,
    pub on_behalf_of: Option<String>,
    pub detail: String,
    pub hash: Option<String>,
}

/// The trail of a CPTS between two instants, in order.
///
/// # Errors
/// On a database failure.
pub async fn period_rows(
    conn: &mut AnyConnection,
    cpts_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<ExportRow>> {
    let rows = sqlx::query(
        "select e.id, e.at, a.display_name as actor, e.kind, e.request_id, e.offer_id, s.display_name as subject, \
           b.display_name as behalf, e.detail, e.hash \
         from audit_event e left join member a on a.id = e.actor_id left join member s on s.id = e.subject_id \
           left join member b on b.id = e.on_behalf_of \
         where e.cpts_id = $1 and e.at >= $2 and e.at < $3 order by e.id",
    )
    .bind(cpts_id)
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ExportRow {
            id: r.get("id"),
            at: from_ms(r.get("at")),
            actor: r.get("actor"),
            kind: r.get("kind"),
            request_id: r.get("request_id"),
            offer_id: r.get("offer_id"),
            subject: r.get("subject"),
            on_behalf_of: r.get("behalf"),
            detail: r.get("detail"),
            hash: r.get("hash"),
        })
        .collect())
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
    timeline(conn, "request_id", request_id).await
}

/// The steps of a dental referral, in order.
pub async fn referral_timeline(conn: &mut AnyConnection, referral_id: i64) -> StoreResult<Vec<AuditRow>> {
    timeline(conn, "referral_id", referral_id).await
}

async fn timeline(conn: &mut AnyConnection, column: &'static str, id: i64) -> StoreResult<Vec<AuditRow>> {
    let sql = format!(
        "select e.id, e.at, e.actor_id, a.display_name as actor_name, e.kind, s.display_name as subject_name, e.detail \
         from audit_event e left join member a on a.id = e.actor_id left join member s on s.id = e.subject_id \
         where e.{column} = $1 order by e.id"
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(conn).await?;
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

/// What a retention job writes after erasing patient data: one audit line `kind` per CPTS, with
/// how many records (`what`) it erased and the cut-off. `cpts_of_each` names the CPTS of each
/// erased record.
///
/// # Errors
/// On a database failure.
pub async fn erasures(
    conn: &mut AnyConnection,
    kind: &'static str,
    what: &str,
    cpts_of_each: &[i64],
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut per_cpts = std::collections::BTreeMap::<i64, usize>::new();
    for cpts in cpts_of_each {
        *per_cpts.entry(*cpts).or_default() += 1;
    }
    for (cpts, n) in per_cpts {
        Audit::new(kind)
            .cpts(cpts)
            .detail(serde_json::json!({ what: n, "closed_before": before.to_rfc3339() }))
            .write(conn, now)
            .await?;
    }
    Ok(())
}
