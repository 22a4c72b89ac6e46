//! [ssr] The messages waiting to reach a member's devices: queued in the transaction of the
//! change that causes them (one `push_delivery` row per device), sent later by the sender.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::platform::db::{ms, StoreResult};

pub use web_push::Urgency;

/// What the service worker shows. Carries no patient identity: the phone's lock screen is public.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushPayload {
    /// `offer_new`, `offer_taken`, `offer_closed`, `offer_expired`, `notice`, `test`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The page a tap opens.
    pub url: String,
    /// Notifications with the same tag replace each other (a repeat, or "taken" after "new").
    pub tag: String,
    #[serde(default)]
    pub request_id: Option<i64>,
}

/// A message for every device of a member.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub payload: PushPayload,
    pub urgency: Urgency,
    /// How long the push service keeps it for a phone that is off.
    pub ttl: Duration,
    /// What members who chose English read, when it was written in both languages
    /// ([`Outgoing::in_both`]); `payload` is then the French one.
    pub english: Option<PushPayload>,
}

impl Outgoing {
    /// The message `make` writes, in French and in English: each member gets it in the language
    /// they chose (French unless English).
    pub fn in_both(make: impl Fn() -> Outgoing) -> Outgoing {
        use crate::i18n::{with_lang, Lang};
        let english = with_lang(Lang::En, &make).payload;
        Outgoing { english: Some(english), ..with_lang(Lang::Fr, &make) }
    }

    /// The French (or only) payload and the English one, as stored.
    fn payloads(&self) -> (String, String) {
        let french = serde_json::to_string(&self.payload).unwrap_or_default();
        let english =
            self.english.as_ref().and_then(|p| serde_json::to_string(p).ok()).unwrap_or_else(|| french.clone());
        (french, english)
    }
}

pub(super) fn urgency_code(u: Urgency) -> &'static str {
    match u {
        Urgency::VeryLow => "very-low",
        Urgency::Low => "low",
        Urgency::Normal => "normal",
        Urgency::High => "high",
    }
}

pub(super) fn parse_urgency(s: &str) -> Urgency {
    match s {
        "very-low" => Urgency::VeryLow,
        "low" => Urgency::Low,
        "high" => Urgency::High,
        _ => Urgency::Normal,
    }
}

/// Queues `message` for each device of `member_id`, in the caller's transaction, as the member
/// chose for its kind of notice: not at all when they turned push off for it, at the end of their
/// quiet hours when it can wait (an offer never waits). Returns how many deliveries were queued.
pub async fn enqueue(
    conn: &mut AnyConnection,
    member_id: i64,
    message: &Outgoing,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    use crate::members::rules::Notice;
    let notice = Notice::of_push(&message.payload.kind);
    let at = if notice.is_urgent() {
        // The hot path (a wave's offers): the choice is read in the insert itself.
        Some(now)
    } else {
        crate::members::deliveries(conn, member_id, notice, now).await?.0
    };
    match at {
        Some(at) => enqueue_at(conn, member_id, message, at).await,
        None => Ok(0),
    }
}

/// Queues the same `message` for each device of each of `members`, in the caller's transaction:
/// an urgent one (a wave's offers, their withdrawal) in one statement for them all, the
/// others member by member, as each chose (see [`enqueue`]). Returns how many deliveries.
pub async fn enqueue_all(
    conn: &mut AnyConnection,
    members: &[i64],
    message: &Outgoing,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let notice = crate::members::rules::Notice::of_push(&message.payload.kind);
    let mut queued = 0;
    if !notice.is_urgent() {
        for member_id in members {
            queued += enqueue(conn, *member_id, message, now).await?;
        }
        return Ok(queued);
    }
    if members.is_empty() {
        return Ok(0);
    }
    let (payload, english) = message.payloads();
    let ids: Vec<serde_json::Value> = members.iter().map(|m| serde_json::json!([m])).collect();
    let sql = format!(
        "insert into push_delivery (subscription_id, payload, urgency, ttl_seconds, created_at, next_attempt_at) \
         select s.id, case when m.lang = 'en' then $7 else $1 end, $2, $3, $4, $4 \
         from push_subscription s join member m on m.id = s.member_id where s.member_id in (select c0 from {}) \
         and not exists (select 1 from notice_preference p where p.member_id = s.member_id and p.notice = $5 and p.push = 0) \
         order by s.id",
        crate::platform::db::json_rows(conn, 6, &["bigint"])
    );
    queued += sqlx::query(&sql)
        .persistent(false)
        .bind(payload)
        .bind(urgency_code(message.urgency))
        .bind(message.ttl.num_seconds().max(0))
        .bind(ms(now))
        .bind(notice.code())
        .bind(serde_json::Value::Array(ids).to_string())
        .bind(english)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(queued)
}

/// Queues `message` for each device of `member_id`, to leave at `at`, when the member has not
/// turned push off for its kind of notice; for a caller that already resolved when it goes.
pub async fn enqueue_at(
    conn: &mut AnyConnection,
    member_id: i64,
    message: &Outgoing,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    let notice = crate::members::rules::Notice::of_push(&message.payload.kind);
    let (payload, english) = message.payloads();
    let done = sqlx::query(
        "insert into push_delivery (subscription_id, payload, urgency, ttl_seconds, created_at, next_attempt_at) \
         select s.id, case when m.lang = 'en' then $7 else $2 end, $3, $4, $5, $5 \
         from push_subscription s join member m on m.id = s.member_id where s.member_id = $1 \
         and not exists (select 1 from notice_preference p where p.member_id = $1 and p.notice = $6 and p.push = 0)",
    )
    .bind(member_id)
    .bind(payload)
    .bind(urgency_code(message.urgency))
    .bind(message.ttl.num_seconds().max(0))
    .bind(ms(at))
    .bind(notice.code())
    .bind(english)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The push message of an offer event (`offer_new`, `offer_taken`, `offer_closed`,
/// `offer_expired`): a new offer is urgent and lives as long as its wave; the others replace
/// it on the phone under the same tag.
pub fn offer_message(kind: &str, request_id: i64, summary: &str, ttl: Duration) -> Outgoing {
    use crate::i18n::t;
    let (title, urgency) = match kind {
        "offer_new" => (t::PUSH_OFFER_NEW(), Urgency::High),
        "offer_taken" => (t::PUSH_OFFER_TAKEN(), Urgency::Normal),
        "offer_expired" => (t::PUSH_OFFER_EXPIRED(), Urgency::Low),
        _ => (t::PUSH_OFFER_CLOSED(), Urgency::Normal),
    };
    Outgoing {
        payload: PushPayload {
            kind: kind.into(),
            title: title.into(),
            body: summary.into(),
            url: format!("/offres?demande={request_id}"),
            tag: format!("offre-{request_id}"),
            request_id: Some(request_id),
        },
        urgency,
        ttl: ttl.max(Duration::seconds(60)),
        english: None,
    }
}

/// The push message telling a clinician one of their slots was booked (by the coordination,
/// for `request_id`, or by the SAS).
pub fn slot_booked_message(slot_id: i64, request_id: Option<i64>, when: &str) -> Outgoing {
    use crate::i18n::t;
    Outgoing {
        payload: PushPayload {
            kind: "slot_booked".into(),
            title: t::PUSH_SLOT_BOOKED().into(),
            body: t::creneau_reserve(when),
            url: "/creneaux".into(),
            tag: format!("creneau-{slot_id}"),
            request_id,
        },
        urgency: Urgency::Normal,
        ttl: Duration::hours(24),
        english: None,
    }
}

/// The push message of a notice (a reminder before a vacation when `reminder`, a proposal, its
/// answer), titled in the current language.
pub fn notice_message(notification_id: i64, body: &str, reminder: bool) -> Outgoing {
    use crate::i18n::t;
    Outgoing {
        payload: PushPayload {
            kind: if reminder { "reminder" } else { "notice" }.into(),
            title: if reminder { t::PUSH_REMINDER() } else { t::PUSH_NOTICE() }.into(),
            body: body.into(),
            url: "/gardes".into(),
            tag: format!("avis-{notification_id}"),
            request_id: None,
        },
        urgency: Urgency::Normal,
        ttl: Duration::hours(24),
        english: None,
    }
}
