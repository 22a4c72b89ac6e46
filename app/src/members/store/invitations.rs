//! Persistence of invitations: the link's token is kept as its HMAC only.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::domain::{Profession, Role};
use crate::members::rules::{invitation_state, InvitationState, Invitee};
use crate::platform::db::{from_ms, ms, StoreResult};

/// An invitation as the members' page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct InvitationRow {
    pub id: i64,
    pub cpts_id: i64,
    pub invitee: Invitee,
    pub invited_by: i64,
    pub created_at: DateTime<Utc>,
    pub sent_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub member_id: Option<i64>,
}

impl InvitationRow {
    pub fn state(&self, now: DateTime<Utc>) -> InvitationState {
        invitation_state(self.sent_at, self.used_at, self.withdrawn_at, now)
    }
}

const COLUMNS: &str = "id, cpts_id, email, display_name, role, profession, rpps, commune, invited_by, created_at, \
                       sent_at, used_at, withdrawn_at, member_id";

fn row(r: &sqlx::any::AnyRow) -> InvitationRow {
    InvitationRow {
        id: r.get("id"),
        cpts_id: r.get("cpts_id"),
        invitee: Invitee {
            email: r.get("email"),
            name: r.get("display_name"),
            role: Role::parse(r.get::<String, _>("role").as_str()).unwrap_or(Role::Clinician),
            profession: r.get::<Option<String>, _>("profession").and_then(|p| Profession::parse(&p)),
            rpps: r.get("rpps"),
            commune: r.get("commune"),
        },
        invited_by: r.get("invited_by"),
        created_at: from_ms(r.get("created_at")),
        sent_at: from_ms(r.get("sent_at")),
        used_at: r.get::<Option<i64>, _>("used_at").map(from_ms),
        withdrawn_at: r.get::<Option<i64>, _>("withdrawn_at").map(from_ms),
        member_id: r.get("member_id"),
    }
}

/// Creates an invitation. Returns `None` when an open one already exists for this address in
/// the CPTS (the unique index decides, whoever inserts first).
pub async fn insert_invitation(
    conn: &mut AnyConnection,
    cpts_id: i64,
    invitee: &Invitee,
    token_hash: &str,
    invited_by: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "insert into invitation (cpts_id, token_hash, email, display_name, role, profession, rpps, commune, invited_by, \
         created_at, sent_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         on conflict do nothing returning id",
    )
    .bind(cpts_id)
    .bind(token_hash)
    .bind(&invitee.email)
    .bind(&invitee.name)
    .bind(invitee.role.code())
    .bind(invitee.profession.map(Profession::code))
    .bind(&invitee.rpps)
    .bind(&invitee.commune)
    .bind(invited_by)
    .bind(ms(now))
    .fetch_optional(conn)
    .await?)
}

pub async fn invitation(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<InvitationRow>> {
    let sql = format!("select {COLUMNS} from invitation where id = $1");
    Ok(sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(row))
}

pub async fn invitation_by_token(conn: &mut AnyConnection, token_hash: &str) -> StoreResult<Option<InvitationRow>> {
    let sql = format!("select {COLUMNS} from invitation where token_hash = $1");
    Ok(sqlx::query(&sql).bind(token_hash).fetch_optional(conn).await?.as_ref().map(row))
}

/// The CPTS's invitations not used, newest first (withdrawn ones of the last 30 days too).
pub async fn open_invitations(
    conn: &mut AnyConnection,
    cpts_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<InvitationRow>> {
    let sql = format!(
        "select {COLUMNS} from invitation where cpts_id = $1 and used_at is null \
         and (withdrawn_at is null or withdrawn_at > $2) order by created_at desc, id desc limit 1000"
    );
    let since = now - chrono::Duration::days(30);
    Ok(sqlx::query(&sql).bind(cpts_id).bind(ms(since)).fetch_all(conn).await?.iter().map(row).collect())
}

/// Whether `email` or `rpps` is already a member's in the CPTS (not removed) or an open
/// invitation's: (e-mail taken, RPPS taken). E-mail addresses are unique across CPTS too.
pub async fn taken(
    conn: &mut AnyConnection,
    cpts_id: i64,
    email: &str,
    rpps: Option<&str>,
) -> StoreResult<(bool, bool)> {
    let email_taken: i64 = sqlx::query_scalar(
        "select (select count(*) from member where email = $1) \
              + (select count(*) from invitation where cpts_id = $2 and email = $1 and used_at is null and withdrawn_at is null)",
    )
    .bind(email)
    .bind(cpts_id)
    .fetch_one(&mut *conn)
    .await?;
    let rpps_taken: i64 = match rpps {
        None => 0,
        Some(rpps) => {
            sqlx::query_scalar(
                "select (select count(*) from member where cpts_id = $1 and rpps = $2 and status <> 'removed') \
                      + (select count(*) from invitation where cpts_id = $1 and rpps = $2 and used_at is null and withdrawn_at is null)",
            )
            .bind(cpts_id)
            .bind(rpps)
            .fetch_one(conn)
            .await?
        }
    };
    Ok((email_taken > 0, rpps_taken > 0))
}

/// A new link for an invitation still open (used or withdrawn ones are not re-sent): its seven
/// days start again. Returns whether it was re-sent.
pub async fn renew_invitation(
    conn: &mut AnyConnection,
    id: i64,
    cpts_id: i64,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update invitation set token_hash = $3, sent_at = $4 \
         where id = $1 and cpts_id = $2 and used_at is null and withdrawn_at is null",
    )
    .bind(id)
    .bind(cpts_id)
    .bind(token_hash)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn withdraw_invitation(
    conn: &mut AnyConnection,
    id: i64,
    cpts_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update invitation set withdrawn_at = $3 where id = $1 and cpts_id = $2 and used_at is null and withdrawn_at is null",
    )
    .bind(id)
    .bind(cpts_id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims an invitation for its one account: only the first of two simultaneous claims changes
/// the row (the conditional update decides); the member is linked in the same transaction.
pub async fn claim_invitation(
    conn: &mut AnyConnection,
    id: i64,
    sent_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update invitation set used_at = $2 where id = $1 and used_at is null and withdrawn_at is null and sent_at = $3",
    )
    .bind(id)
    .bind(ms(now))
    .bind(ms(sent_at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn link_member(conn: &mut AnyConnection, id: i64, member_id: i64) -> StoreResult<()> {
    sqlx::query("update invitation set member_id = $2 where id = $1").bind(id).bind(member_id).execute(conn).await?;
    Ok(())
}
