//! [ssr] The SAS's side of shared slots (the FHIR interface's operations): it searches the free
//! slots open to it, books one (`book`: the booking, its audit line and the clinician's Web Push
//! in one transaction; one live booking per slot is the database's rule, whoever books), updates
//! or cancels its appointments, and keeps its regulators' accounts here.

use chrono::Duration;
use sha2::{Digest, Sha256};

use super::SlotsError;
use crate::platform::audit::Audit;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;
use crate::slots::fhir::resources::{ClinicianInfo, CptsInfo, SlotInfo};
use crate::slots::fhir::rules::{AppointmentIn, AppointmentStatus, Problem, RegulatorIn, SlotSearch};
use crate::slots::rules::{check_booking, BookingError, BookingSource, BookingStatus};
use crate::slots::store::{self, sas, NewBooking};

/// An API client, authenticated: the CPTS it speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SasClient {
    pub id: i64,
    pub cpts_id: i64,
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

fn refused(p: Problem) -> SlotsError {
    SlotsError::Sas(p)
}

/// The live client holding `token`, if any (its use noted, to the minute).
///
/// # Errors
/// On a database failure.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<SasClient>, SlotsError> {
    let now = state.now();
    let found = {
        let mut conn = state.store.reader().await?;
        sas::client_by_hash(&mut conn, &token_hash(token)).await?
    };
    let Some((id, cpts_id, last_used_at)) = found else {
        return Ok(None);
    };
    if last_used_at.is_none_or(|t| now - t >= Duration::minutes(1)) {
        let mut tx = state.store.begin().await?;
        sas::touch_client(&mut tx, id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(SasClient { id, cpts_id }))
}

/// The free slots of the client's CPTS that the SAS may book, for the search's practitioners and
/// range (none that has begun), with what the Bundle says of the CPTS and the clinicians.
///
/// # Errors
/// [`SlotsError::Sas`] 422 while the CPTS has no FINESS (the SAS could not place its slots).
pub async fn search(
    state: &AppState,
    client: SasClient,
    q: &SlotSearch,
) -> Result<(CptsInfo, Vec<ClinicianInfo>, Vec<SlotInfo>), SlotsError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let cpts = cpts_info(&mut conn, client.cpts_id).await?;
    let rows = sas::sas_slots(&mut conn, client.cpts_id, &q.rpps, q.from.max(now), q.to).await?;
    let mut clinicians: Vec<ClinicianInfo> = Vec::new();
    for r in &rows {
        if !clinicians.iter().any(|c| c.member_id == r.member_id) {
            clinicians.push(ClinicianInfo {
                member_id: r.member_id,
                rpps: r.rpps.clone(),
                name: r.name.clone(),
                profession: r.profession,
                commune: r.commune.clone(),
                postcode: r.postcode.clone(),
            });
        }
    }
    let slots = rows
        .iter()
        .map(|r| SlotInfo {
            id: r.id,
            member_id: r.member_id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            mode: r.mode,
        })
        .collect();
    Ok((cpts, clinicians, slots))
}

async fn cpts_info(conn: &mut sqlx::AnyConnection, cpts_id: i64) -> Result<CptsInfo, SlotsError> {
    let (name, finess) = sas::cpts_identity(conn, cpts_id).await?.ok_or(SlotsError::NotFound)?;
    let finess = finess.ok_or_else(|| {
        refused(Problem::rule(
            "business-rule",
            "Le FINESS de la CPTS n'est pas renseigné : son administrateur le saisit dans Relais (Interface SAS).",
        ))
    })?;
    Ok(CptsInfo { id: cpts_id, name, finess })
}

fn booking_refusal(e: BookingError) -> Problem {
    match e {
        BookingError::Taken => Problem::rule("conflict", "Ce créneau vient d'être réservé : choisissez-en un autre."),
        BookingError::Closed => Problem::rule("business-rule", "Ce créneau a été fermé par le praticien."),
        BookingError::Begun => Problem::rule("business-rule", "Ce créneau a déjà commencé."),
        BookingError::NotForSas => Problem::rule("forbidden", "Ce créneau est réservé à la coordination de la CPTS."),
    }
}

/// The SAS books an appointment (`POST /fhir/Appointment`, or a conditional `PUT` of an
/// identifier not yet known). Returns the booking's id and whether it was made now (`false`: the
/// same appointment was already booked in the same slot — a retry).
///
/// # Errors
/// [`SlotsError::Sas`] 422: a status other than `booked`, an unknown or withdrawn regulator, no
/// slot of this practitioner at this time, a slot taken, closed, begun or not open to the SAS,
/// an identifier already used for another slot.
pub async fn book(state: &AppState, client: SasClient, a: &AppointmentIn) -> Result<(i64, bool), SlotsError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let known = sas::booking_by_appointment(&mut tx, client.cpts_id, (&a.identifier.0, &a.identifier.1)).await?;
    let slot_id = match a.slot_id {
        Some(id) => Some(id),
        None => sas::slot_at(&mut tx, client.cpts_id, &a.rpps, a.start).await?,
    };
    let slot = match slot_id {
        Some(id) => {
            store::lock_slot(&mut tx, id).await?;
            store::slot(&mut tx, id).await?.filter(|s| s.cpts_id == client.cpts_id)
        }
        None => None,
    };
    let slot = match slot {
        Some(s)
            if s.starts_at == a.start
                && sas::rpps_of_member(&mut tx, s.member_id).await?.as_deref() == Some(&a.rpps) =>
        {
            s
        }
        _ => {
            return Err(refused(Problem::rule(
                "not-found",
                "Aucun créneau partagé de ce praticien ne commence à cette heure.",
            )))
        }
    };
    if let Some((booking_id, known_slot, status)) = known {
        if known_slot == slot.id && status == BookingStatus::Booked.code() {
            return Ok((booking_id, false));
        }
        return Err(refused(Problem::rule("duplicate", "Cet identifiant de rendez-vous est déjà utilisé.")));
    }
    if a.status != AppointmentStatus::Booked {
        return Err(refused(Problem::rule("business-rule", "Un rendez-vous se crée avec le statut « booked ».")));
    }
    let regulator = match &a.operator {
        Some((system, value)) => sas::regulator(&mut tx, client.cpts_id, (system, value)).await?,
        None => None,
    };
    let Some((regulator_id, true)) = regulator else {
        return Err(refused(Problem::rule(
            "business-rule",
            "Régulateur inconnu ou désactivé (extension FrAppointmentOperator) : son compte se crée par POST /fhir/Practitioner.",
        )));
    };
    check_booking(slot.audience, slot.closed, slot.booking.is_some(), slot.starts_at, BookingSource::Sas, now)
        .map_err(|e| refused(booking_refusal(e)))?;
    let booking = NewBooking {
        slot_id: slot.id,
        cpts_id: slot.cpts_id,
        request_id: None,
        source: BookingSource::Sas,
        booked_by: None,
        patient_name: &a.patient,
        callback_phone: "",
        regulator_id: Some(regulator_id),
        appointment: Some((&a.identifier.0, &a.identifier.1)),
    };
    let booking_id = match store::insert_booking(&mut tx, &booking, now).await {
        Ok(Some(id)) => id,
        Ok(None) => return Err(refused(booking_refusal(BookingError::Taken))),
        // The same appointment sent again while its first sending was being booked.
        Err(crate::platform::db::StoreError::Db(sqlx::Error::Database(e))) if e.is_unique_violation() => {
            return Err(refused(Problem::rule(
                "duplicate",
                "Ce rendez-vous est en cours d'enregistrement : relisez-le.",
            )))
        }
        Err(e) => return Err(e.into()),
    };
    Audit::new("slot_booked")
        .cpts(client.cpts_id)
        .subject(slot.member_id)
        .detail(serde_json::json!({
            "slot_id": slot.id, "booking_id": booking_id, "starts_at": slot.starts_at.to_rfc3339(),
            "source": "sas", "api_client": client.id, "regulator_id": regulator_id,
        }))
        .write(&mut tx, now)
        .await?;
    let when = slot.starts_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m %H:%M").to_string();
    let message = crate::push::Outgoing::in_both(|| crate::push::slot_booked_message(slot.id, None, &when));
    crate::push::enqueue(&mut tx, slot.member_id, &message, now).await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::member_notice(slot.member_id, "slots_changed")]).await;
    Ok((booking_id, true))
}

/// The SAS updates an appointment it booked (`PUT /fhir/Appointment?identifier=…`): cancelled
/// (the slot is free again), fulfilled or noshow once it has begun, or booked again unchanged.
/// An identifier not yet known is booked as by `POST` (returns `true` then).
///
/// # Errors
/// [`SlotsError::Sas`] 422: a move to another time (cancel, then book another slot), a change of
/// a cancelled or closed appointment, an outcome before the slot; those of [`book`].
pub async fn update(
    state: &AppState,
    client: SasClient,
    identifier: &(String, String),
    a: &AppointmentIn,
) -> Result<(i64, bool), SlotsError> {
    if a.identifier != *identifier {
        return Err(refused(Problem::invalid(
            "Appointment.identifier",
            "L'identifiant du corps diffère de celui de l'URL.",
        )));
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let Some((booking_id, slot_id, status)) =
        sas::booking_by_appointment(&mut tx, client.cpts_id, (&identifier.0, &identifier.1)).await?
    else {
        drop(tx);
        return book(state, client, a).await;
    };
    let slot = store::slot(&mut tx, slot_id).await?.ok_or(SlotsError::NotFound)?;
    let status = BookingStatus::parse(&status).unwrap_or(BookingStatus::Booked);
    if a.start != slot.starts_at && a.status != AppointmentStatus::Cancelled {
        return Err(refused(Problem::rule(
            "business-rule",
            "Un rendez-vous ne se déplace pas : annulez-le, puis réservez un autre créneau.",
        )));
    }
    let to = match (a.status, status) {
        // Said again: nothing changes.
        (AppointmentStatus::Booked, BookingStatus::Booked)
        | (AppointmentStatus::Cancelled, BookingStatus::Cancelled)
        | (AppointmentStatus::Fulfilled, BookingStatus::Honoured)
        | (AppointmentStatus::NoShow, BookingStatus::NoShow) => return Ok((booking_id, false)),
        (AppointmentStatus::Cancelled, BookingStatus::Booked) => BookingStatus::Cancelled,
        (AppointmentStatus::Fulfilled | AppointmentStatus::NoShow, BookingStatus::Booked) if slot.starts_at <= now => {
            if a.status == AppointmentStatus::Fulfilled {
                BookingStatus::Honoured
            } else {
                BookingStatus::NoShow
            }
        }
        (AppointmentStatus::Fulfilled | AppointmentStatus::NoShow, BookingStatus::Booked) => {
            return Err(refused(Problem::rule("business-rule", "Ce rendez-vous n'a pas encore commencé.")))
        }
        (_, _) => {
            return Err(refused(Problem::rule(
                "business-rule",
                format!("Ce rendez-vous est déjà clos ({}).", status.code()),
            )))
        }
    };
    if !store::answer_booking(&mut tx, booking_id, to, now).await? {
        // Changed meanwhile: the same change (two sendings at once) is no change.
        let now_status =
            sas::booking_by_appointment(&mut tx, client.cpts_id, (&identifier.0, &identifier.1)).await?.map(|b| b.2);
        if now_status.as_deref() == Some(to.code()) {
            return Ok((booking_id, false));
        }
        return Err(refused(Problem::rule("conflict", "Ce rendez-vous vient de changer : relisez-le.")));
    }
    Audit::new(if to == BookingStatus::Cancelled { "slot_booking_cancelled" } else { "slot_booking_answered" })
        .cpts(client.cpts_id)
        .subject(slot.member_id)
        .detail(serde_json::json!({
            "slot_id": slot.id, "booking_id": booking_id, "status": to.code(), "source": "sas", "api_client": client.id,
        }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::member_notice(slot.member_id, "slots_changed")]).await;
    Ok((booking_id, false))
}

/// The SAS creates or updates a regulator's account (`POST /fhir/Practitioner`, or a conditional
/// `PUT` naming it by `matching`), idempotently: the same account sent twice is one account.
/// Returns its id and whether it was created now.
///
/// # Errors
/// On a database failure.
pub async fn save_regulator(
    state: &AppState,
    client: SasClient,
    matching: Option<&(String, String)>,
    r: &RegulatorIn,
) -> Result<(i64, bool), SlotsError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let by_url = match matching {
        Some((system, value)) => sas::regulator(&mut tx, client.cpts_id, (system, value)).await?,
        None => None,
    };
    let by_body = sas::regulator(&mut tx, client.cpts_id, (&r.identifier.0, &r.identifier.1)).await?;
    let (id, created) = match (by_url, by_body) {
        // The account now known by a new identifier (a national one, after the SAS's own).
        (Some((id, _)), None) => {
            sas::update_regulator(&mut tx, id, r, now).await?;
            (id, false)
        }
        (_, found) => (sas::upsert_regulator(&mut tx, client.cpts_id, r, now).await?, found.is_none()),
    };
    Audit::new("sas_regulator_saved")
        .cpts(client.cpts_id)
        .detail(serde_json::json!({
            "regulator_id": id, "identifier_system": r.identifier.0, "active": r.active, "created": created,
            "api_client": client.id,
        }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok((id, created))
}

/// How far back the admin's page counts the SAS's bookings.
pub const SAS_COUNT_DAYS: i64 = 30;

/// The SAS's bookings of the last [`SAS_COUNT_DAYS`] days: made, still standing.
///
/// # Errors
/// On a database failure.
pub async fn recent_bookings(state: &AppState, cpts_id: i64) -> Result<(i64, i64), SlotsError> {
    let mut conn = state.store.reader().await?;
    Ok(sas::sas_bookings_since(&mut conn, cpts_id, state.now() - Duration::days(SAS_COUNT_DAYS)).await?)
}
