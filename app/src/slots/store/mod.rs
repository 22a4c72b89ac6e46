//! [ssr] Slots and their bookings. One live booking per slot is the database's rule (a partial
//! unique index): a second booking of the same slot inserts nothing, whoever makes it.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::rules::{Audience, BookingSource, BookingStatus};
use crate::domain::geo::GeoPoint;
use crate::domain::{AppointmentMode, Profession};
use crate::planning::rules::Slot;
use crate::platform::db::{from_ms, ms, StoreResult};

pub mod sas;

/// A slot with its clinician and its live booking.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotRow {
    pub id: i64,
    pub cpts_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub profession: Option<Profession>,
    pub location: Option<GeoPoint>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: AppointmentMode,
    pub audience: Audience,
    pub weekly: bool,
    pub closed: bool,
    pub booking: Option<BookingRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BookingRow {
    pub id: i64,
    pub request_id: Option<i64>,
    pub source: BookingSource,
    pub patient_name: String,
    pub callback_phone: String,
    pub status: BookingStatus,
}

const SLOT_SELECT: &str =
    "select s.id, s.cpts_id, s.member_id, m.display_name, m.profession, m.lat, m.lon, s.starts_at, \
    s.ends_at, s.mode, s.audience, s.weekly, s.closed_at, b.id as booking_id, b.request_id, b.source, b.patient_name, \
    b.callback_phone, b.status as booking_status \
    from slot s join member m on m.id = s.member_id \
    left join slot_booking b on b.slot_id = s.id and b.status <> 'cancelled'";

fn slot_row(r: &sqlx::any::AnyRow) -> SlotRow {
    let lat: Option<f64> = r.get("lat");
    let lon: Option<f64> = r.get("lon");
    let booking = r.get::<Option<i64>, _>("booking_id").map(|id| BookingRow {
        id,
        request_id: r.get("request_id"),
        source: BookingSource::parse(&r.get::<String, _>("source")).unwrap_or(BookingSource::Coordination),
        patient_name: r.get("patient_name"),
        callback_phone: r.get("callback_phone"),
        status: BookingStatus::parse(&r.get::<String, _>("booking_status")).unwrap_or(BookingStatus::Booked),
    });
    SlotRow {
        id: r.get("id"),
        cpts_id: r.get("cpts_id"),
        member_id: r.get("member_id"),
        member_name: r.get("display_name"),
        profession: r.get::<Option<String>, _>("profession").as_deref().and_then(Profession::parse),
        location: lat.zip(lon).map(|(lat, lon)| GeoPoint::new(lat, lon)),
        starts_at: from_ms(r.get("starts_at")),
        ends_at: from_ms(r.get("ends_at")),
        mode: AppointmentMode::parse(&r.get::<String, _>("mode")).unwrap_or(AppointmentMode::Office),
        audience: Audience::parse(&r.get::<String, _>("audience")).unwrap_or(Audience::Cpts),
        weekly: r.get::<i64, _>("weekly") != 0,
        closed: r.get::<Option<i64>, _>("closed_at").is_some(),
        booking,
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_slot(
    conn: &mut AnyConnection,
    cpts_id: i64,
    member_id: i64,
    span: Slot,
    mode: AppointmentMode,
    audience: Audience,
    weekly: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into slot (cpts_id, member_id, starts_at, ends_at, mode, audience, weekly, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(cpts_id)
    .bind(member_id)
    .bind(ms(span.starts_at))
    .bind(ms(span.ends_at))
    .bind(mode.code())
    .bind(audience.code())
    .bind(i64::from(weekly))
    .bind(ms(now))
    .fetch_one(conn)
    .await?)
}

pub async fn slot(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<SlotRow>> {
    let sql = format!("{SLOT_SELECT} where s.id = $1");
    Ok(sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(slot_row))
}

/// A member's slots ending after `from`, soonest first.
pub async fn slots_of(conn: &mut AnyConnection, member_id: i64, from: DateTime<Utc>) -> StoreResult<Vec<SlotRow>> {
    let sql = format!("{SLOT_SELECT} where s.member_id = $1 and s.ends_at > $2 order by s.starts_at, s.id");
    Ok(sqlx::query(&sql).bind(member_id).bind(ms(from)).fetch_all(conn).await?.iter().map(slot_row).collect())
}

/// The CPTS's open slots starting between `from` and `to`, booked or not, soonest first.
pub async fn slots_between(
    conn: &mut AnyConnection,
    cpts_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<SlotRow>> {
    let sql = format!(
        "{SLOT_SELECT} where s.cpts_id = $1 and s.starts_at >= $2 and s.starts_at < $3 and s.closed_at is null \
         order by s.starts_at, s.id"
    );
    let rows = sqlx::query(&sql).bind(cpts_id).bind(ms(from)).bind(ms(to)).fetch_all(conn).await?;
    Ok(rows.iter().map(slot_row).collect())
}

/// The CPTS's bookings marked "patient absent" for slots that started since `since`.
pub async fn no_shows(conn: &mut AnyConnection, cpts_id: i64, since: DateTime<Utc>) -> StoreResult<Vec<SlotRow>> {
    let sql = format!(
        "{SLOT_SELECT} where s.cpts_id = $1 and s.starts_at >= $2 and b.status = 'no_show' order by s.starts_at desc"
    );
    Ok(sqlx::query(&sql).bind(cpts_id).bind(ms(since)).fetch_all(conn).await?.iter().map(slot_row).collect())
}

/// Takes the slot's row lock until the transaction ends (PostgreSQL; SQLite has one writer at a
/// time): a booking and a closing of the same slot then happen one after the other, each seeing
/// what the other did.
pub async fn lock_slot(conn: &mut AnyConnection, id: i64) -> StoreResult<()> {
    sqlx::query("update slot set closed_at = closed_at where id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Closes a free slot (kept, no longer bookable). False when it is booked or already closed.
pub async fn close_slot(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = sqlx::query(
        "update slot set closed_at = $2 where id = $1 and closed_at is null \
         and not exists (select 1 from slot_booking b where b.slot_id = slot.id and b.status <> 'cancelled')",
    )
    .bind(id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a slot nobody ever booked. False otherwise.
pub async fn remove_slot(conn: &mut AnyConnection, id: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "delete from slot where id = $1 and not exists (select 1 from slot_booking b where b.slot_id = $1)",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A booking to record.
pub struct NewBooking<'a> {
    pub slot_id: i64,
    pub cpts_id: i64,
    pub request_id: Option<i64>,
    pub source: BookingSource,
    pub booked_by: Option<i64>,
    pub patient_name: &'a str,
    pub callback_phone: &'a str,
    /// For the SAS: the regulator who booked and the appointment's identifier (system, value).
    pub regulator_id: Option<i64>,
    pub appointment: Option<(&'a str, &'a str)>,
}

/// Books a slot: its id, or `None` when the slot already has a live booking (the unique index
/// decides, whatever the concurrency).
pub async fn insert_booking(
    conn: &mut AnyConnection,
    b: &NewBooking<'_>,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "insert into slot_booking (slot_id, cpts_id, request_id, source, booked_by, patient_name, callback_phone, status, \
           created_at, regulator_id, appointment_system, appointment_value) \
         values ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11) \
         on conflict (slot_id) where status <> 'cancelled' do nothing returning id",
    )
    .bind(b.slot_id)
    .bind(b.cpts_id)
    .bind(b.request_id)
    .bind(b.source.code())
    .bind(b.booked_by)
    .bind(b.patient_name)
    .bind(b.callback_phone)
    .bind(ms(now))
    .bind(b.regulator_id)
    .bind(b.appointment.map(|a| a.0))
    .bind(b.appointment.map(|a| a.1))
    .fetch_optional(conn)
    .await?)
}

/// Moves a live booking to `to`. False when it is no longer `booked`.
pub async fn answer_booking(
    conn: &mut AnyConnection,
    booking_id: i64,
    to: BookingStatus,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query("update slot_booking set status = $2, answered_at = $3 where id = $1 and status = 'booked'")
        .bind(booking_id)
        .bind(to.code())
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The slot a booking is in.
pub async fn slot_of_booking(conn: &mut AnyConnection, booking_id: i64) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("select slot_id from slot_booking where id = $1")
        .bind(booking_id)
        .fetch_optional(conn)
        .await?)
}

/// Erases the patient's name and callback phone of the bookings whose slot ended before
/// `before` (the booking itself stays, for the counts). Returns the CPTS of each one erased.
pub async fn erase_patient_data(conn: &mut AnyConnection, before: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query(
        "update slot_booking set patient_name = '', callback_phone = '' \
         where (patient_name <> '' or callback_phone <> '') \
         and slot_id in (select id from slot where ends_at < $1) returning cpts_id",
    )
    .bind(ms(before))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Closes a leaving member's slots not yet started and not booked (a booked one stays, for the
/// coordination to move its patient). Returns how many were closed.
pub async fn close_future_slots_of(conn: &mut AnyConnection, member_id: i64, now: DateTime<Utc>) -> StoreResult<u64> {
    let done = sqlx::query(
        "update slot set closed_at = $2 where member_id = $1 and starts_at > $2 and closed_at is null \
         and not exists (select 1 from slot_booking b where b.slot_id = slot.id and b.status <> 'cancelled')",
    )
    .bind(member_id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
