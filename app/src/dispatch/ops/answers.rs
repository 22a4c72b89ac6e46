//! [ssr] The clinicians' answers to offers (first acceptance wins) and the outcomes that close a
//! request.

use super::waves::{advance, has_live_offers};
use super::{request_changed, require_access, summary, withdraw_offers, DispatchError, Withdrawal};
use crate::dispatch::dto::{AcceptOutcome, RequestSummary};
use crate::dispatch::rules::{accepted_status, check_accept, AcceptOfferError, OfferState, Outcome, RequestStatus};
use crate::dispatch::store::{self, RequestRow};
use crate::domain::hours::week_start;
use crate::domain::RefusalReason;
use crate::members::MemberRow;
use crate::platform::access::is_staff;
use crate::platform::audit::Audit;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

/// First acceptance wins. Being second is an answer, not an error.
///
/// # Errors
/// [`DispatchError::Offer`] when the member was not offered the request, declined it, or it is closed.
pub async fn accept(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<AcceptOutcome, DispatchError> {
    let now = state.now();
    let standing = standing(state, actor, request_id).await?;
    if standing == Some(Err(AcceptOfferError::AlreadyTaken)) {
        crate::platform::metrics::accept_too_late("read");
        return Ok(AcceptOutcome::AlreadyTaken);
    }
    // The others of a crowd wait for their turn here, not for the database's writer: the turn
    // after a win (or after a colleague found the request taken under its lock) is told so at
    // once. A settled turn speaks of the request: it answers only a member whose offer was
    // live as read (anybody else is answered under the lock, as before).
    let mut turn = state.accepts.take(request_id).await;
    if standing == Some(Ok(())) && turn.settled() {
        crate::platform::metrics::accept_too_late("turn");
        return Ok(AcceptOutcome::AlreadyTaken);
    }
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(DispatchError::NotFound)?;
    let offer = store::offer_of(&mut tx, r.id, actor.id).await?;
    match check_accept(r.status, offer.as_ref().map(|o| o.state)) {
        Ok(()) => {}
        Err(AcceptOfferError::AlreadyTaken) => {
            turn.settle();
            crate::platform::metrics::accept_too_late("lock");
            return Ok(AcceptOutcome::AlreadyTaken);
        }
        Err(e) => return Err(DispatchError::Offer(e)),
    }
    let offer = offer.ok_or(DispatchError::Offer(AcceptOfferError::NotOnPanel))?;
    let (accepted, cap) = store::weekly_load(&mut tx, actor.id, week_start(now)).await?;
    if accepted >= cap {
        return Err(DispatchError::Offer(AcceptOfferError::CapReached));
    }
    if !store::claim_request(&mut tx, r.id, actor.id, accepted_status(r.mode), r.mode, now).await? {
        turn.settle();
        crate::platform::metrics::accept_too_late("lock");
        return Ok(AcceptOutcome::AlreadyTaken);
    }
    store::answer_offer(&mut tx, offer.id, OfferState::Accepted, None, now).await?;
    Audit::by(actor, "offer_accepted")
        .request(r.id)
        .offer(offer.id)
        .detail(serde_json::json!({ "wave": offer.wave, "after_seconds": (now - r.created_at).num_seconds() }))
        .write(&mut tx, now)
        .await?;
    let mut events = vec![LiveEvent::to_member(actor.id, "case_new", r.id)];
    events.extend(request_changed(&r));
    withdraw_offers(&mut tx, &mut events, &r, Withdrawal::Taken, now).await?;
    let won = store::request(&mut tx, r.id).await?.ok_or(DispatchError::NotFound)?;
    tx.commit().await?;
    turn.settle();
    drop(turn);
    crate::platform::metrics::offer_accepted();
    state.announce(events).await;
    Ok(AcceptOutcome::Won { request: Box::new(summary(&won, true)) })
}

/// What an acceptance would meet as last committed (`None`: no such request): most of a crowd
/// of acceptances arrive once the winner has committed, and are told so from a read, without
/// queuing for the request's lock. (Anything else is decided under the lock.)
async fn standing(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
) -> Result<Option<Result<(), AcceptOfferError>>, DispatchError> {
    let mut conn = state.store.reader().await?;
    let found = store::answer_standing(&mut conn, request_id, actor.id).await?;
    Ok(found.map(|(status, offer)| check_accept(status, offer)))
}

/// Declines an offer, with an optional reason. When nobody of the wave is left to answer, the
/// next wave starts at once instead of waiting for the timeout.
///
/// # Errors
/// [`DispatchError::Offer`] if the offer is not live any more.
pub async fn refuse(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
    reason: Option<RefusalReason>,
) -> Result<(), DispatchError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(DispatchError::NotFound)?;
    let offer =
        store::offer_of(&mut tx, r.id, actor.id).await?.ok_or(DispatchError::Offer(AcceptOfferError::NotOnPanel))?;
    if offer.state == OfferState::Refused {
        // A repeated refusal (double tap, replay) changes nothing.
        return Ok(());
    }
    check_accept(r.status, Some(offer.state)).map_err(DispatchError::Offer)?;
    if !store::answer_offer(&mut tx, offer.id, OfferState::Refused, reason.map(RefusalReason::code), now).await? {
        return Err(DispatchError::Conflict);
    }
    Audit::new("offer_refused")
        .cpts(r.cpts_id)
        .actor(actor.id)
        .request(r.id)
        .offer(offer.id)
        .detail(serde_json::json!({ "reason": reason.map(RefusalReason::code) }))
        .write(&mut tx, now)
        .await?;
    // The member's other devices drop the offer too.
    let mut events = vec![LiveEvent::to_member(actor.id, "offer_answered", r.id)];
    events.extend(request_changed(&r));
    let mut moved = None;
    if r.status == RequestStatus::Pushed && !has_live_offers(&mut tx, r.id).await? {
        moved = Some(advance(state, &mut tx, &r, now, true, &mut events).await?);
    }
    tx.commit().await?;
    moved.iter().for_each(super::waves::Moved::count);
    state.announce(events).await;
    Ok(())
}

/// Records that the clinician opened the offer.
pub async fn seen(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<(), DispatchError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let Some(offer) = store::offer_of(&mut tx, request_id, actor.id).await? else {
        return Err(DispatchError::NotFound);
    };
    if store::mark_seen(&mut tx, offer.id, now).await? {
        Audit::by(actor, "offer_seen").request(request_id).offer(offer.id).write(&mut tx, now).await?;
        tx.commit().await?;
        state.announce(vec![LiveEvent::to_coordination(actor.cpts_id, "request_changed", request_id)]).await;
    }
    Ok(())
}

/// Records an outcome: appointment, done, no-show, reorientation, cancellation. The clinician
/// who accepted and the coordination may record it.
///
/// # Errors
/// [`DispatchError::Illegal`] when the state machine forbids it (e.g. "done" before acceptance).
pub async fn record_outcome(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
    outcome: Outcome,
) -> Result<RequestSummary, DispatchError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(DispatchError::NotFound)?;
    require_access(actor, &r)?;
    if matches!(outcome, Outcome::Cancelled) && !is_staff(actor.role) {
        // A clinician who cannot see the patient gives the request back to the coordination
        // (reorientation); cancelling it is the coordination's call.
        return Err(DispatchError::Forbidden);
    }
    let mut events = vec![];
    apply_outcome(&mut tx, actor, &r, &outcome, now, &mut events).await?;
    let updated = store::request(&mut tx, r.id).await?.ok_or(DispatchError::NotFound)?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(summary(&updated, true))
}

/// Books `r` (locked by the caller, who checked that `actor` may) into a slot of `clinician_id`
/// at `at`, inside the caller's transaction: a request is pushed *or* booked; its live offers are
/// withdrawn and the clinician gets it among their cases.
///
/// # Errors
/// [`DispatchError::Illegal`] when the request no longer waits, [`DispatchError::Conflict`] when
/// someone changed it meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn book_into(
    tx: &mut sqlx::AnyConnection,
    r: &RequestRow,
    clinician_id: i64,
    at: chrono::DateTime<chrono::Utc>,
    mode: crate::domain::AppointmentMode,
    now: chrono::DateTime<chrono::Utc>,
    events: &mut Vec<LiveEvent>,
) -> Result<(), DispatchError> {
    r.status.apply(crate::dispatch::rules::Transition::BookSlot).map_err(DispatchError::Illegal)?;
    if !store::book_into_slot(tx, r.id, clinician_id, at, mode, now).await? {
        return Err(DispatchError::Conflict);
    }
    events.extend(request_changed(r));
    events.push(LiveEvent::to_member(clinician_id, "case_new", r.id));
    withdraw_offers(tx, events, r, Withdrawal::Taken, now).await?;
    Ok(())
}

/// Records `outcome` on `r` (locked by the caller, who checked that `actor` may) inside the
/// caller's transaction: the state change, its audit line, the offers withdrawn when it closes
/// the request; the screens to tell once committed go to `events`.
///
/// # Errors
/// [`DispatchError::Illegal`] when the state machine forbids it, [`DispatchError::Conflict`]
/// when someone changed the request meanwhile.
pub async fn apply_outcome(
    tx: &mut sqlx::AnyConnection,
    actor: &MemberRow,
    r: &RequestRow,
    outcome: &Outcome,
    now: chrono::DateTime<chrono::Utc>,
    events: &mut Vec<LiveEvent>,
) -> Result<(), DispatchError> {
    let next = r.status.apply(outcome.transition()).map_err(DispatchError::Illegal)?;
    if !store::set_status(tx, r.id, r.version, next, now).await? {
        return Err(DispatchError::Conflict);
    }
    let (at, mode, reoriented) = match outcome {
        Outcome::Booked { at, mode } => (Some(*at), Some(mode.code()), None),
        Outcome::Reoriented(to) => (None, None, Some(to.code())),
        _ => (None, None, None),
    };
    match outcome {
        Outcome::Reoriented(_) | Outcome::Cancelled => store::close_without_appointment(tx, r.id, reoriented).await?,
        _ => store::set_appointment(tx, r.id, at, mode, None).await?,
    }
    Audit::new("outcome_recorded")
        .cpts(r.cpts_id)
        .actor(actor.id)
        .request(r.id)
        .detail(serde_json::json!({
            "from": r.status.code(), "to": next.code(),
            "appointment_at": at.map(|t| t.to_rfc3339()), "mode": mode, "reoriented_to": reoriented,
        }))
        .write(tx, now)
        .await?;
    events.extend(request_changed(r));
    if let Some(winner) = r.accepted_by {
        events.push(LiveEvent::to_member(winner, "case_changed", r.id));
    }
    if next.is_closed() {
        withdraw_offers(tx, events, r, Withdrawal::Closed(next), now).await?;
    }
    Ok(())
}
