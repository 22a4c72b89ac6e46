//! [ssr] The operations of shared SNP slots: a clinician opens, closes, removes slots and says
//! how a booking went; the coordination lists the slots that fit a request and books one
//! (`book`), which books the request through the dispatch engine in the same transaction.

use chrono::{DateTime, Duration, Utc};

use super::dto::{BookingView, FittingSlot, SlotView, SlotsPage};
use super::rules::{
    check_booking, fit, may_record, BookingError, BookingSource, BookingStatus, Need, Offered, OpenForm,
};
use super::store::{self, NewBooking, SlotRow};
use crate::dispatch::rules::Outcome;
use crate::dispatch::DispatchError;
use crate::domain::{FieldErrors, Profession, Role};
use crate::members::MemberRow;
use crate::platform::access::is_staff;
use crate::platform::audit::Audit;
use crate::platform::db::StoreError;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

pub mod clients;
pub mod sas;

/// How far a clinician's practice may be from the patient for a slot at the practice or at home.
pub const FIT_RADIUS_KM: f64 = 25.0;

/// What can go wrong with a slot.
#[derive(Debug, thiserror::Error)]
pub enum SlotsError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("booking: {0}")]
    Booking(BookingError),
    #[error("the slot does not fit the request")]
    Misfit,
    #[error("changed by someone else")]
    Conflict,
    /// Refused on the SAS interface: what its OperationOutcome says.
    #[error("refused to the SAS: {}", .0.diagnostics)]
    Sas(crate::slots::fhir::rules::Problem),
    #[error(transparent)]
    Dispatch(#[from] DispatchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(SlotsError);

fn view(row: &SlotRow, now: DateTime<Utc>) -> SlotView {
    SlotView {
        id: row.id,
        clinician_name: row.member_name.clone(),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        mode: row.mode,
        audience: row.audience,
        weekly: row.weekly,
        closed: row.closed,
        booking: row.booking.as_ref().map(|b| BookingView {
            id: b.id,
            request_id: b.request_id,
            source: b.source,
            patient_name: b.patient_name.clone(),
            callback_phone: crate::domain::phone::shown(&b.callback_phone),
            status: b.status,
            can_record: may_record(b.status, row.starts_at, now),
        }),
    }
}

/// A clinician opens slots (once, or every week).
///
/// # Errors
/// [`SlotsError::Forbidden`] for a member without a clinical profession, [`SlotsError::Invalid`].
pub async fn open(state: &AppState, actor: &MemberRow, form: &OpenForm) -> Result<usize, SlotsError> {
    if actor.role != Role::Clinician || actor.profession.is_none() {
        return Err(SlotsError::Forbidden);
    }
    let now = state.now();
    let new = form.validate(now).map_err(SlotsError::Invalid)?;
    let mut tx = state.store.begin().await?;
    for span in &new.spans {
        store::insert_slot(&mut tx, actor.cpts_id, actor.id, *span, new.mode, new.audience, new.weekly, now).await?;
    }
    Audit::by(actor, "slots_opened")
        .detail(serde_json::json!({
            "count": new.spans.len(), "mode": new.mode.code(), "audience": new.audience.code(), "weekly": new.weekly,
            "first": new.spans.first().map(|s| s.starts_at.to_rfc3339()),
        }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::member_notice(actor.id, "slots_changed")]).await;
    Ok(new.spans.len())
}

/// *Mes créneaux SNP*: the clinician's slots from yesterday on; for the coordination, the CPTS's
/// coming slots and the no-shows of the last 30 days.
pub async fn page(state: &AppState, actor: &MemberRow) -> Result<SlotsPage, SlotsError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    if is_staff(actor.role) {
        let slots =
            store::slots_between(&mut conn, actor.cpts_id, now - Duration::days(1), now + Duration::days(30)).await?;
        let no_shows = store::no_shows(&mut conn, actor.cpts_id, now - Duration::days(30)).await?;
        return Ok(SlotsPage {
            can_open: false,
            today: crate::domain::hours::paris_date(now).to_string(),
            slots: slots.iter().map(|s| view(s, now)).collect(),
            no_shows: no_shows.iter().map(|s| view(s, now)).collect(),
        });
    }
    let slots = store::slots_of(&mut conn, actor.id, now - Duration::days(1)).await?;
    Ok(SlotsPage {
        can_open: actor.profession.is_some(),
        today: crate::domain::hours::paris_date(now).to_string(),
        slots: slots.iter().map(|s| view(s, now)).collect(),
        no_shows: vec![],
    })
}

/// The clinician's own slot, for a change.
async fn own_slot(conn: &mut sqlx::AnyConnection, actor: &MemberRow, slot_id: i64) -> Result<SlotRow, SlotsError> {
    store::slot(conn, slot_id).await?.filter(|s| s.member_id == actor.id).ok_or(SlotsError::NotFound)
}

/// Closes a free slot (it stays in the history, no longer bookable) or, with `remove`, deletes
/// one nobody ever booked.
///
/// # Errors
/// [`SlotsError::NotFound`] for another's slot, [`SlotsError::Booking`] `taken` when it is booked.
pub async fn close(state: &AppState, actor: &MemberRow, slot_id: i64, remove: bool) -> Result<(), SlotsError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    store::lock_slot(&mut tx, slot_id).await?;
    let slot = own_slot(&mut tx, actor, slot_id).await?;
    let done = if remove {
        store::remove_slot(&mut tx, slot.id).await?
    } else {
        store::close_slot(&mut tx, slot.id, now).await?
    };
    if !done {
        return Err(SlotsError::Booking(if slot.closed && !remove {
            BookingError::Closed
        } else {
            BookingError::Taken
        }));
    }
    Audit::by(actor, if remove { "slot_removed" } else { "slot_closed" })
        .detail(serde_json::json!({ "slot_id": slot.id, "starts_at": slot.starts_at.to_rfc3339() }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::member_notice(actor.id, "slots_changed")]).await;
    Ok(())
}

fn need_of(r: &crate::dispatch::RequestRow) -> Need {
    Need {
        profession: Profession::parse(&r.profession).unwrap_or(Profession::Gp),
        teleconsult_ok: r.teleconsult_ok,
        location: r.location,
        deadline_at: r.deadline_at,
    }
}

fn offered(s: &SlotRow) -> Option<Offered> {
    Some(Offered {
        slot_id: s.id,
        profession: s.profession?,
        mode: s.mode,
        location: s.location,
        starts_at: s.starts_at,
        free: s.booking.is_none(),
        closed: s.closed,
    })
}

/// The free slots of the CPTS that fit a request, soonest first.
///
/// # Errors
/// [`SlotsError::NotFound`] for another CPTS's request.
pub async fn fitting(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<Vec<FittingSlot>, SlotsError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let r = crate::dispatch::request_row(&mut conn, request_id)
        .await?
        .filter(|r| r.cpts_id == actor.cpts_id)
        .ok_or(SlotsError::NotFound)?;
    let slots = store::slots_between(&mut conn, actor.cpts_id, now, r.deadline_at).await?;
    let offered: Vec<Offered> = slots.iter().filter_map(offered).collect();
    Ok(super::rules::fitting(&need_of(&r), &offered, now, FIT_RADIUS_KM)
        .into_iter()
        .filter_map(|(id, distance_km)| {
            slots.iter().find(|s| s.id == id).map(|s| FittingSlot { slot: view(s, now), distance_km })
        })
        .collect())
}

/// The coordination books a request's patient into a slot: one transaction holds the booking
/// (the database refuses a second one of the slot), the request booked with the slot's clinician,
/// time and mode (its offers withdrawn), the audit line, and the Web Push to the clinician.
///
/// # Errors
/// [`SlotsError::Booking`] `taken` when someone booked the slot first (409), [`SlotsError::Misfit`]
/// when it does not fit the request, the dispatch engine's when the request no longer waits.
pub async fn book(state: &AppState, actor: &MemberRow, request_id: i64, slot_id: i64) -> Result<i64, SlotsError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = state
        .store
        .lock_request(&mut tx, request_id)
        .await?
        .filter(|r| r.cpts_id == actor.cpts_id)
        .ok_or(SlotsError::NotFound)?;
    store::lock_slot(&mut tx, slot_id).await?;
    let slot =
        store::slot(&mut tx, slot_id).await?.filter(|s| s.cpts_id == actor.cpts_id).ok_or(SlotsError::NotFound)?;
    check_booking(slot.audience, slot.closed, slot.booking.is_some(), slot.starts_at, BookingSource::Coordination, now)
        .map_err(SlotsError::Booking)?;
    let fits = offered(&slot).is_some_and(|o| fit(&need_of(&r), &o, now, FIT_RADIUS_KM).is_ok());
    if !fits {
        return Err(SlotsError::Misfit);
    }
    let booking = NewBooking {
        slot_id: slot.id,
        cpts_id: slot.cpts_id,
        request_id: Some(r.id),
        source: BookingSource::Coordination,
        booked_by: Some(actor.id),
        patient_name: &r.patient_name,
        callback_phone: &r.callback_phone,
        regulator_id: None,
        appointment: None,
    };
    let Some(booking_id) = store::insert_booking(&mut tx, &booking, now).await? else {
        return Err(SlotsError::Booking(BookingError::Taken));
    };
    let mut events = vec![LiveEvent::member_notice(slot.member_id, "slots_changed")];
    crate::dispatch::book_into(&mut tx, &r, slot.member_id, slot.starts_at, slot.mode, now, &mut events).await?;
    Audit::by(actor, "slot_booked")
        .request(r.id)
        .subject(slot.member_id)
        .detail(serde_json::json!({ "slot_id": slot.id, "booking_id": booking_id, "starts_at": slot.starts_at.to_rfc3339(), "source": "coordination" }))
        .write(&mut tx, now)
        .await?;
    let when = slot.starts_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m %H:%M").to_string();
    let message = crate::push::Outgoing::in_both(|| crate::push::slot_booked_message(slot.id, Some(r.id), &when));
    crate::push::enqueue(&mut tx, slot.member_id, &message, now).await?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(booking_id)
}

/// The clinician says how a booking went once its slot has begun: honoured or patient absent
/// (the booked request is closed the same way).
///
/// # Errors
/// [`SlotsError::NotFound`] for another's booking, [`SlotsError::Conflict`] when already said or
/// before the slot.
pub async fn record(state: &AppState, actor: &MemberRow, booking_id: i64, honoured: bool) -> Result<(), SlotsError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let slot_id = store::slot_of_booking(&mut tx, booking_id).await?.ok_or(SlotsError::NotFound)?;
    let slot = own_slot(&mut tx, actor, slot_id).await?;
    let b = slot.booking.clone().filter(|b| b.id == booking_id).ok_or(SlotsError::NotFound)?;
    if !may_record(b.status, slot.starts_at, now) {
        return Err(SlotsError::Conflict);
    }
    let to = if honoured { BookingStatus::Honoured } else { BookingStatus::NoShow };
    if !store::answer_booking(&mut tx, booking_id, to, now).await? {
        return Err(SlotsError::Conflict);
    }
    let mut events = vec![LiveEvent::member_notice(actor.id, "slots_changed")];
    if let Some(request_id) = b.request_id {
        if let Some(r) = state.store.lock_request(&mut tx, request_id).await? {
            if !r.status.is_closed() {
                let outcome = if honoured { Outcome::Done } else { Outcome::NoShow };
                crate::dispatch::apply_outcome(&mut tx, actor, &r, &outcome, now, &mut events).await?;
            }
        }
    }
    Audit::by(actor, if honoured { "slot_honoured" } else { "slot_no_show" })
        .detail(serde_json::json!({ "slot_id": slot.id, "booking_id": booking_id }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(())
}

/// The retention job's work at `now`: the patient data of bookings whose slot ended longer than
/// the retention period ago is erased, one audit line per CPTS. Returns how many bookings.
///
/// # Errors
/// On a database failure (nothing is erased then).
pub async fn erase_old_patient_data(state: &AppState) -> Result<usize, SlotsError> {
    let now = state.now();
    let before = now - Duration::days(state.settings.retention_days.max(1));
    let mut tx = state.store.begin().await?;
    let erased = store::erase_patient_data(&mut tx, before).await?;
    crate::platform::audit::erasures(&mut tx, "slot_patient_data_erased", "bookings", &erased, before, now).await?;
    tx.commit().await?;
    Ok(erased.len())
}
