//! Replays of actions taken offline. The phone queues a deferrable action (decline an offer,
//! propose a swap, record an outcome) with a key of its own and sends it when the network
//! returns, perhaps twice (the answer to the first try may have been lost). The first call with
//! a key runs; the answer is kept, and any later call with the same key from the same member gets
//! that answer without running the action again.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use super::db::{ms, Store, StoreResult};

/// A first call still running for this long is taken as dead (its server stopped): the key may
/// run again.
const STALE: Duration = Duration::seconds(60);

/// What to do with a call that carries a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: run the action, then [`finish`].
    Run,
    /// Already answered: send this back.
    Replay { status: u16, body: String },
    /// The first call is still running.
    InProgress,
    /// The key was used for another endpoint.
    Mismatch,
}

/// Whether a key is acceptable: 8 to 100 characters of `A-Z a-z 0-9 - _`.
pub fn valid_key(key: &str) -> bool {
    (8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Claims `key` for `member_id` and `endpoint`.
///
/// # Errors
/// On a database failure.
pub async fn claim(store: &Store, member_id: i64, key: &str, endpoint: &str, now: DateTime<Utc>) -> StoreResult<Claim> {
    let mut tx = store.begin().await?;
    let inserted = sqlx::query(
        "insert into idempotency_key (member_id, key, endpoint, created_at) values ($1, $2, $3, $4) \
         on conflict (member_id, key) do nothing",
    )
    .bind(member_id)
    .bind(key)
    .bind(endpoint)
    .bind(ms(now))
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 1 {
        tx.commit().await?;
        return Ok(Claim::Run);
    }
    let row =
        sqlx::query("select endpoint, status, body, created_at from idempotency_key where member_id = $1 and key = $2")
            .bind(member_id)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
    let stored_endpoint: String = row.get(0);
    let status: Option<i64> = row.get(1);
    let body: Option<String> = row.get(2);
    let created_at: i64 = row.get(3);
    let claim = if stored_endpoint != endpoint {
        Claim::Mismatch
    } else if let Some(status) = status {
        Claim::Replay { status: u16::try_from(status).unwrap_or(500), body: body.unwrap_or_default() }
    } else if created_at < ms(now - STALE) {
        // Take the dead claim over, unless another replay just did.
        let taken = sqlx::query(
            "update idempotency_key set created_at = $3 where member_id = $1 and key = $2 and status is null and created_at = $4",
        )
        .bind(member_id)
        .bind(key)
        .bind(ms(now))
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() == 1 {
            Claim::Run
        } else {
            Claim::InProgress
        }
    } else {
        Claim::InProgress
    };
    tx.commit().await?;
    Ok(claim)
}

/// Keeps the answer of the call that ran.
///
/// # Errors
/// On a database failure.
pub async fn finish(store: &Store, member_id: i64, key: &str, status: u16, body: &str) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query("update idempotency_key set status = $3, body = $4 where member_id = $1 and key = $2")
        .bind(member_id)
        .bind(key)
        .bind(i64::from(status))
        .bind(body)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets a key whose call failed on the server's side (5xx), so that a replay runs again.
///
/// # Errors
/// On a database failure.
pub async fn release(store: &Store, member_id: i64, key: &str) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query("delete from idempotency_key where member_id = $1 and key = $2 and status is null")
        .bind(member_id)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets answers older than `keep` (a phone replays its queue within days, not weeks).
///
/// # Errors
/// On a database failure.
pub async fn purge(store: &Store, now: DateTime<Utc>, keep: Duration) -> StoreResult<u64> {
    let mut tx = store.begin().await?;
    let done =
        sqlx::query("delete from idempotency_key where created_at < $1").bind(ms(now - keep)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::valid_key;

    #[test]
    fn a_uuid_is_a_valid_key() {
        assert!(valid_key("0b6f3c2e-5a7d-4c1e-9f3a-2d8e7b6a5c4f"));
    }

    #[test]
    fn short_long_or_odd_keys_are_refused() {
        assert!(!valid_key("abc"));
        assert!(!valid_key(&"a".repeat(101)));
        assert!(!valid_key("clé avec espaces"));
        assert!(!valid_key("key\nwith-newline"));
    }
}
