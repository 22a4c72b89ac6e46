//! [ssr] The operations on a member's devices: subscribe, list, remove, test.

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyConnection, Row};

use super::dto::PushDevice;
use super::outbox::{enqueue, Outgoing, PushPayload, Urgency};
use super::services::{validate, NewSubscription};
use crate::domain::fields::forbidden_in_text;
use crate::domain::FieldErrors;
use crate::platform::audit::Audit;
use crate::platform::db::{from_ms, ms, StoreError, StoreResult};
use crate::platform::AppState;

/// What can go wrong with a member's devices.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("not found")]
    NotFound,
    #[error("invalid subscription")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(PushError);

/// Stores (or takes over, when the browser was another member's) a subscription. Returns its id.
///
/// # Errors
/// [`PushError::Invalid`] for a malformed subscription.
pub async fn subscribe(state: &AppState, member_id: i64, cpts_id: i64, s: NewSubscription) -> Result<i64, PushError> {
    validate(&s, &state.settings.push_services).map_err(PushError::Invalid)?;
    // The label comes from the browser (its user agent), not from a person: characters that could
    // disguise it are dropped rather than refused.
    let label: String = s.label.chars().filter(|c| !forbidden_in_text(*c, false)).take(80).collect();
    let label = if label.trim().is_empty() { crate::i18n::t::APPAREIL_SANS_NOM().to_string() } else { label };
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let existing: Option<(i64, i64)> = sqlx::query("select id, member_id from push_subscription where endpoint = $1")
        .bind(s.endpoint.trim())
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| (r.get(0), r.get(1)));
    let id = match existing {
        Some((id, _)) => {
            sqlx::query(
                "update push_subscription set member_id = $2, p256dh = $3, auth = $4, label = $5 where id = $1",
            )
            .bind(id)
            .bind(member_id)
            .bind(&s.p256dh)
            .bind(&s.auth)
            .bind(&label)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "insert into push_subscription (member_id, endpoint, p256dh, auth, label, created_at) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(member_id)
            .bind(s.endpoint.trim())
            .bind(&s.p256dh)
            .bind(&s.auth)
            .bind(&label)
            .bind(ms(now))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    audit_own_device(
        &mut tx,
        now,
        cpts_id,
        member_id,
        "push_subscribed",
        serde_json::json!({ "subscription": id, "label": label }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A member's change to their own devices, in the audit trail.
async fn audit_own_device(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    cpts_id: i64,
    member_id: i64,
    kind: &'static str,
    detail: serde_json::Value,
) -> StoreResult<()> {
    Audit::new(kind).cpts(cpts_id).actor(member_id).subject(member_id).detail(detail).write(conn, now).await
}

/// The devices of a member.
///
/// # Errors
/// On a database failure.
pub async fn devices(state: &AppState, member_id: i64) -> Result<Vec<PushDevice>, PushError> {
    let mut conn = state.store.reader().await?;
    let rows = sqlx::query(
        "select id, label, created_at, last_sent_at, endpoint from push_subscription where member_id = $1 order by id",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PushDevice {
            id: r.get(0),
            label: r.get(1),
            created_at: from_ms(r.get(2)),
            last_sent_at: r.get::<Option<i64>, _>(3).map(from_ms),
            endpoint: r.get(4),
        })
        .collect())
}

/// Removes one of the member's devices (its pending messages go with it).
///
/// # Errors
/// [`PushError::NotFound`] when the device is not the member's.
pub async fn unsubscribe(state: &AppState, member_id: i64, cpts_id: i64, id: i64) -> Result<(), PushError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let done = sqlx::query("delete from push_subscription where id = $1 and member_id = $2")
        .bind(id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(PushError::NotFound);
    }
    audit_own_device(&mut tx, now, cpts_id, member_id, "push_unsubscribed", serde_json::json!({ "subscription": id }))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a test notification to every device of the member. Returns how many were queued.
///
/// # Errors
/// On a database failure.
pub async fn send_test(state: &AppState, member_id: i64) -> Result<u64, PushError> {
    use crate::i18n::t;
    let now = state.now();
    let message = Outgoing {
        payload: PushPayload {
            kind: "test".into(),
            title: t::PUSH_TEST_TITLE().into(),
            body: t::PUSH_TEST_BODY().into(),
            url: "/reglages".into(),
            tag: "essai".into(),
            request_id: None,
        },
        urgency: Urgency::Normal,
        ttl: Duration::minutes(10),
        english: None,
    };
    let mut tx = state.store.begin().await?;
    let queued = enqueue(&mut tx, member_id, &message, now).await?;
    tx.commit().await?;
    state.push.wake();
    Ok(queued)
}

/// Drops every device of a member who leaves (their pending messages go with them), in the
/// caller's transaction. Returns how many devices were dropped.
///
/// # Errors
/// On a database failure.
pub async fn forget_member(tx: &mut sqlx::AnyConnection, member_id: i64) -> Result<u64, PushError> {
    let done = sqlx::query("delete from push_subscription where member_id = $1").bind(member_id).execute(tx).await?;
    Ok(done.rows_affected())
}
