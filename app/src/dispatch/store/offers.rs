//! Persistence of offers, and the first-accept-wins write.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::requests::{request_row, RequestRow, REQUEST_COLUMNS};
use crate::dispatch::rules::{OfferState, RequestStatus};
use crate::domain::AppointmentMode;
use crate::platform::db::{from_ms, ms, StoreResult};

/// Offers the request `request_id` of `cpts_id` to each `(member, distance)` of a wave, in one
/// statement; a member already asked is skipped. Returns the offers made, as
/// `(offer id, member id)` in the order they were made.
pub async fn insert_offers(
    conn: &mut AnyConnection,
    cpts_id: i64,
    request_id: i64,
    to: &[(i64, Option<f64>)],
    wave: u8,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(i64, i64)>> {
    if to.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<serde_json::Value> = to
        .iter()
        .map(|(member_id, distance_km)| serde_json::json!([request_id, member_id, wave, distance_km, ms(now), cpts_id]))
        .collect();
    let types = ["bigint", "bigint", "bigint", "double precision", "bigint", "bigint"];
    let sql = format!(
        "insert into offer (request_id, member_id, wave, distance_km, state, sent_at, cpts_id) \
         select c0, c1, c2, c3, 'sent', c4, c5 from {} where true \
         on conflict (request_id, member_id) do nothing returning id, member_id",
        crate::platform::db::json_rows(conn, 1, &types)
    );
    let mut made: Vec<(i64, i64)> = sqlx::query(&sql)
        .persistent(false)
        .bind(serde_json::Value::Array(rows).to_string())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get("id"), r.get("member_id")))
        .collect();
    made.sort_unstable();
    Ok(made)
}

/// An offer with who it went to.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferRow {
    pub id: i64,
    pub request_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub profession: Option<String>,
    pub wave: u8,
    pub distance_km: Option<f64>,
    pub state: OfferState,
    pub refusal_reason: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub seen_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
}

const OFFER_COLUMNS: &str =
    "o.id, o.request_id, o.member_id, m.display_name as member_name, m.profession, o.wave, o.distance_km, \
    o.state, o.refusal_reason, o.sent_at, o.seen_at, o.answered_at";

fn offer_row(r: &sqlx::any::AnyRow) -> OfferRow {
    OfferRow {
        id: r.get("id"),
        request_id: r.get("request_id"),
        member_id: r.get("member_id"),
        member_name: r.get("member_name"),
        profession: r.get("profession"),
        wave: u8::try_from(r.get::<i64, _>("wave")).unwrap_or(0),
        distance_km: r.get("distance_km"),
        state: OfferState::parse(&r.get::<String, _>("state")).unwrap_or(OfferState::Sent),
        refusal_reason: r.get("refusal_reason"),
        sent_at: from_ms(r.get("sent_at")),
        seen_at: r.get::<Option<i64>, _>("seen_at").map(from_ms),
        answered_at: r.get::<Option<i64>, _>("answered_at").map(from_ms),
    }
}

pub async fn offers_of_request(conn: &mut AnyConnection, request_id: i64) -> StoreResult<Vec<OfferRow>> {
    let sql = format!("select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id where o.request_id = $1 order by o.wave, o.distance_km, o.id");
    let rows = sqlx::query(&sql).bind(request_id).fetch_all(conn).await?;
    Ok(rows.iter().map(offer_row).collect())
}

pub async fn offers_of_requests(
    conn: &mut AnyConnection,
    cpts_id: i64,
    closed_since: DateTime<Utc>,
) -> StoreResult<Vec<OfferRow>> {
    let sql = format!(
        "select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id join snp_request r on r.id = o.request_id \
         where r.cpts_id = $1 and (r.status not in ('done', 'no_show', 'reoriented', 'cancelled') or r.closed_at >= $2) \
         order by o.request_id, o.wave, o.distance_km, o.id"
    );
    let rows = sqlx::query(&sql).bind(cpts_id).bind(ms(closed_since)).fetch_all(conn).await?;
    Ok(rows.iter().map(offer_row).collect())
}

pub async fn offer_of(conn: &mut AnyConnection, request_id: i64, member_id: i64) -> StoreResult<Option<OfferRow>> {
    let sql = format!("select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id where o.request_id = $1 and o.member_id = $2");
    Ok(sqlx::query(&sql).bind(request_id).bind(member_id).fetch_optional(conn).await?.as_ref().map(offer_row))
}

/// A request's status and the state of `member_id`'s offer of it (`None` when not offered), in
/// one read: what an acceptance arriving after the winner is answered from.
pub async fn answer_standing(
    conn: &mut AnyConnection,
    request_id: i64,
    member_id: i64,
) -> StoreResult<Option<(RequestStatus, Option<OfferState>)>> {
    let row = sqlx::query(
        "select r.status, o.state from snp_request r left join offer o on o.request_id = r.id and o.member_id = $2 \
         where r.id = $1",
    )
    .bind(request_id)
    .bind(member_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| {
        let status = RequestStatus::parse(&r.get::<String, _>("status"))?;
        Some((status, r.get::<Option<String>, _>("state").as_deref().and_then(OfferState::parse)))
    }))
}

/// The live offers of a member with their request, newest first.
pub async fn inbox(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Vec<(OfferRow, RequestRow)>> {
    const LIVE: &str = "o.member_id = $1 and o.state in ('sent', 'seen') and r.status in ('pushed', 'escalated')";
    let sql = format!(
        "select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id join snp_request r on r.id = o.request_id \
         where {LIVE} order by o.sent_at desc, o.id desc"
    );
    let offers: Vec<OfferRow> =
        sqlx::query(&sql).bind(member_id).fetch_all(&mut *conn).await?.iter().map(offer_row).collect();
    let sql = format!(
        "select {REQUEST_COLUMNS} from snp_request r left join member w on w.id = r.accepted_by \
         where r.id in (select o.request_id from offer o join snp_request r on r.id = o.request_id where {LIVE})"
    );
    let requests: Vec<RequestRow> =
        sqlx::query(&sql).bind(member_id).fetch_all(conn).await?.iter().map(request_row).collect();
    Ok(offers
        .into_iter()
        .filter_map(|o| {
            let r = requests.iter().find(|r| r.id == o.request_id)?.clone();
            Some((o, r))
        })
        .collect())
}

/// Changes an offer's state if it is still live; false otherwise.
pub async fn answer_offer(
    conn: &mut AnyConnection,
    offer_id: i64,
    to: OfferState,
    refusal_reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update offer set state = $2, refusal_reason = $3, answered_at = $4 where id = $1 and state in ('sent', 'seen')",
    )
    .bind(offer_id)
    .bind(to.code())
    .bind(refusal_reason)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_seen(conn: &mut AnyConnection, offer_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = sqlx::query("update offer set state = 'seen', seen_at = $2 where id = $1 and state = 'sent'")
        .bind(offer_id)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The first-accept-wins write: succeeds for one caller only, whatever the concurrency, because
/// the update is conditional on the request still waiting (and a unique index allows one
/// accepted offer per request).
pub async fn claim_request(
    conn: &mut AnyConnection,
    request_id: i64,
    member_id: i64,
    to: RequestStatus,
    mode: Option<AppointmentMode>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    // A request booked by its acceptance (a teleconsultation) has its appointment now.
    let booked = to == RequestStatus::Booked;
    let done = sqlx::query(
        "update snp_request set status = $4, accepted_by = $2, accepted_at = $3, escalation = null, \
         escalated_at = null, appointment_at = coalesce($5, appointment_at), \
         appointment_mode = coalesce($6, appointment_mode), version = version + 1 \
         where id = $1 and status in ('pushed', 'escalated')",
    )
    .bind(request_id)
    .bind(member_id)
    .bind(ms(now))
    .bind(to.code())
    .bind(booked.then_some(ms(now)))
    .bind(if booked { mode.map(AppointmentMode::code) } else { None })
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Books a request still waiting into a clinician's slot: the clinician takes it, with the
/// slot's time and mode as its appointment. False when it no longer waits.
pub async fn book_into_slot(
    conn: &mut AnyConnection,
    request_id: i64,
    member_id: i64,
    at: DateTime<Utc>,
    mode: AppointmentMode,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update snp_request set status = 'booked', accepted_by = $2, accepted_at = $3, appointment_at = $4, \
         appointment_mode = $5, escalation = null, escalated_at = null, version = version + 1 \
         where id = $1 and status in ('new', 'pushed', 'escalated')",
    )
    .bind(request_id)
    .bind(member_id)
    .bind(ms(now))
    .bind(ms(at))
    .bind(mode.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws every live offer of a request; returns (offer id, member id) of each.
pub async fn withdraw_live_offers(
    conn: &mut AnyConnection,
    request_id: i64,
    to: OfferState,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "update offer set state = $2, answered_at = $3 where request_id = $1 and state in ('sent', 'seen') returning id, member_id",
    )
    .bind(request_id)
    .bind(to.code())
    .bind(ms(now))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("member_id"))).collect())
}

pub async fn set_appointment(
    conn: &mut AnyConnection,
    request_id: i64,
    at: Option<DateTime<Utc>>,
    mode: Option<&str>,
    reoriented_to: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "update snp_request set appointment_at = coalesce($2, appointment_at), appointment_mode = coalesce($3, appointment_mode), \
         reoriented_to = coalesce($4, reoriented_to) where id = $1",
    )
    .bind(request_id)
    .bind(at.map(ms))
    .bind(mode)
    .bind(reoriented_to)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws every live offer of a member (suspended or removed): (offer, request, CPTS) of each.
pub async fn withdraw_member_offers(
    conn: &mut AnyConnection,
    member_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(i64, i64, i64)>> {
    let rows = sqlx::query(
        "update offer set state = 'withdrawn', answered_at = $2 where member_id = $1 and state in ('sent', 'seen') \
         returning id, request_id, cpts_id",
    )
    .bind(member_id)
    .bind(ms(now))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("id"), r.get("request_id"), r.get::<Option<i64>, _>("cpts_id").unwrap_or(0)))
        .collect())
}
