//! Persistence of sessions and login attempts.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::members::{member_row, MemberRow, MEMBER_COLUMNS};
use crate::platform::db::{from_ms, ms, Backend, Store, StoreResult};

pub async fn create_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    member_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "insert into session (token_hash, member_id, created_at, expires_at, last_seen_at) values ($1, $2, $3, $4, $3)",
    )
    .bind(token_hash)
    .bind(member_id)
    .bind(ms(now))
    .bind(ms(expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a session; returns the member it belonged to.
pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("delete from session where token_hash = $1 returning member_id")
        .bind(token_hash)
        .fetch_optional(conn)
        .await?)
}

/// A session still valid when read: its member, its absolute end, its last use as written.
pub struct SessionRow {
    pub member: MemberRow,
    pub expires_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// The session of `token_hash` if still valid at `now` (before its absolute end, its member
/// active); the caller checks the idle time (see `uses`).
pub async fn session_member(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<SessionRow>> {
    let sql = format!(
        "select {MEMBER_COLUMNS}, s.expires_at, s.last_seen_at from session s \
         join member m on m.id = s.member_id where s.token_hash = $1 and s.expires_at > $2 and m.active = 1"
    );
    let row = sqlx::query(&sql).bind(token_hash).bind(ms(now)).fetch_optional(conn).await?;
    Ok(row.map(|r| SessionRow {
        member: member_row(&r),
        expires_at: from_ms(r.get("expires_at")),
        last_seen: from_ms(r.get("last_seen_at")),
    }))
}

/// Records that a session was used at `now`.
pub async fn touch_session(conn: &mut AnyConnection, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("update session set last_seen_at = $2 where token_hash = $1 and last_seen_at < $2")
        .bind(token_hash)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends a member's sessions, but the one whose hash is `keep`. Returns how many ended.
pub async fn delete_sessions_of(conn: &mut AnyConnection, member_id: i64, keep: Option<&str>) -> StoreResult<u64> {
    let done = sqlx::query("delete from session where member_id = $1 and token_hash <> $2")
        .bind(member_id)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// How many sessions of a member are open at `now`.
pub async fn open_sessions(conn: &mut AnyConnection, member_id: i64, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("select count(*) from session where member_id = $1 and expires_at > $2")
        .bind(member_id)
        .bind(ms(now))
        .fetch_one(conn)
        .await?)
}

/// Records a login attempt as failed before the password is checked, so that parallel guesses
/// all count; a successful login deletes it again. Returns the attempt's id.
pub async fn record_login_attempt(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("insert into login_failure (email, ip, at) values ($1, $2, $3) returning id")
        .bind(email)
        .bind(ip)
        .bind(ms(now))
        .fetch_one(conn)
        .await?)
}

pub async fn forget_login_attempt(conn: &mut AnyConnection, id: i64) -> StoreResult<()> {
    sqlx::query("delete from login_failure where id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The oldest failure still counting for this account or address (to say when to retry).
pub async fn oldest_login_failure(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let at: Option<i64> =
        sqlx::query_scalar("select min(at) from login_failure where (email = $1 or ip = $2) and at >= $3")
            .bind(email)
            .bind(ip)
            .bind(ms(since))
            .fetch_one(conn)
            .await?;
    Ok(at.map(from_ms))
}

/// Serialises the logins of one account until the transaction ends (PostgreSQL; SQLite's
/// single writer already does).
impl Store {
    pub async fn lock_login(&self, tx: &mut AnyConnection, email: &str) -> StoreResult<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("select pg_advisory_xact_lock(hashtext($1))::text").bind(email).execute(tx).await?;
        }
        Ok(())
    }
}

/// Failures since `since` for this account, and for this IP address.
pub async fn login_failures(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    let by_email: i64 = sqlx::query_scalar("select count(*) from login_failure where email = $1 and at >= $2")
        .bind(email)
        .bind(ms(since))
        .fetch_one(&mut *conn)
        .await?;
    let by_ip: i64 = sqlx::query_scalar("select count(*) from login_failure where ip = $1 and at >= $2")
        .bind(ip)
        .bind(ms(since))
        .fetch_one(conn)
        .await?;
    Ok((by_email, by_ip))
}

/// A member not removed, their password hash (empty: none) and standing, for login.
pub async fn login_lookup(conn: &mut AnyConnection, email: &str) -> StoreResult<Option<(MemberRow, String, String)>> {
    let sql = format!(
        "select {MEMBER_COLUMNS}, m.password_hash, m.status from member m where m.email = $1 and m.status <> 'removed'"
    );
    let row = sqlx::query(&sql).bind(email.trim().to_lowercase()).fetch_optional(conn).await?;
    Ok(row.map(|r| (member_row(&r), r.get("password_hash"), r.get("status"))))
}

/// The member (not removed) whose RPPS is `rpps`, with their standing; the first one made when
/// two CPTS have them.
pub async fn rpps_lookup(conn: &mut AnyConnection, rpps: &str) -> StoreResult<Option<(MemberRow, String)>> {
    let sql = format!(
        "select {MEMBER_COLUMNS}, m.status from member m where m.rpps = $1 and m.status <> 'removed' order by m.id limit 1"
    );
    let row = sqlx::query(&sql).bind(rpps).fetch_optional(conn).await?;
    Ok(row.map(|r| (member_row(&r), r.get("status"))))
}
