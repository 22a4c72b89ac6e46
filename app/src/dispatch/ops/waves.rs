//! [ssr] Creating a request, pushing it to the panel of a wave, widening the waves and flagging
//! the coordinator when nobody answers (the escalation job's `tick`).

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::{
    candidates_at, offer_events, panel_query, policy, request_changed, withdraw_offers, DispatchError, Withdrawal,
};
use crate::dispatch::dto::PushOutcome;
use crate::dispatch::rules::panel::{first_wave, select_panel, Candidate, PanelEntry};
use crate::dispatch::rules::{
    next_wave_step, EscalationReason, IntakeError, RequestForm, RequestStatus, Transition, WaveStep,
};
use crate::dispatch::store::{self, RequestRow};
use crate::domain::hours::{deadline_at, is_open};
use crate::members::{self, MemberRow};
use crate::platform::audit::Audit;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

/// Qualifies a call into a request. A ticked red flag stops here (and is traced, without
/// patient data): the operator calls the 15.
pub async fn create_request(state: &AppState, actor: &MemberRow, form: RequestForm) -> Result<i64, DispatchError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let communes = members::communes(&mut conn, actor.cpts_id).await?;
    let clinicians = members::clinician_ids(&mut conn, actor.cpts_id).await?;
    drop(conn);
    let names: Vec<String> = communes.iter().map(|c| c.name.clone()).collect();
    let new = match form.validate(&names, |id| clinicians.contains(&id)) {
        Ok(new) => new,
        Err(IntakeError::RedFlags(flags)) => {
            let mut tx = state.store.begin().await?;
            Audit::by(actor, "red_flag_redirect").detail(serde_json::json!({ "red_flags": flags.iter().map(|f| f.code()).collect::<Vec<_>>(), "motive": form.motive })).write(&mut tx, now).await?;
            tx.commit().await?;
            return Err(DispatchError::RedFlags(flags));
        }
        Err(IntakeError::Invalid(errors)) => return Err(DispatchError::Invalid(errors)),
    };
    let location =
        communes.iter().find(|c| c.name == new.commune).map(|c| c.location).ok_or(DispatchError::NotFound)?;
    let mut tx = state.store.begin().await?;
    let id =
        store::insert_request(&mut tx, actor.cpts_id, actor.id, &new, location, deadline_at(new.deadline, now), now)
            .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::to_coordination(actor.cpts_id, "request_changed", id)]).await;
    Ok(id)
}

/// Offers the request to the panel of `wave`, or of the first wider wave that finds somebody,
/// among `known` candidates when the caller has just read them in this transaction.
/// Returns the wave reached and the offers made.
#[allow(clippy::too_many_arguments)]
async fn offer_wave(
    state: &AppState,
    tx: &mut AnyConnection,
    r: &RequestRow,
    mut wave: u8,
    known: Option<Vec<Candidate>>,
    actor_id: Option<i64>,
    now: DateTime<Utc>,
    events: &mut Vec<LiveEvent>,
) -> Result<(u8, Vec<PanelEntry>), DispatchError> {
    let policy = policy(state, r);
    let query = panel_query(r);
    let candidates = match known {
        Some(candidates) => candidates,
        None => candidates_at(tx, r.cpts_id, r.id, now).await?,
    };
    let mut panel = select_panel(&query, &candidates, wave, policy);
    while panel.is_empty() && wave < policy.last_wave() {
        wave += 1;
        panel = select_panel(&query, &candidates, wave, policy);
    }
    store::start_wave(tx, r.id, wave, now).await?;
    if !panel.is_empty() {
        store::mark_pushed(tx, r.id, now).await?;
    }
    let to: Vec<(i64, Option<f64>)> = panel.iter().map(|e| (e.member_id, e.distance_km)).collect();
    let made = store::insert_offers(tx, r.cpts_id, r.id, &to, wave, now).await?;
    let distance: std::collections::HashMap<i64, Option<f64>> = to.iter().copied().collect();
    let audits = made.iter().map(|(offer_id, member_id)| {
        Audit::new("offer_sent")
            .cpts(r.cpts_id)
            .actor(actor_id)
            .request(r.id)
            .offer(*offer_id)
            .subject(*member_id)
            .detail(serde_json::json!({ "wave": wave, "distance_km": distance.get(member_id).copied().flatten() }))
    });
    crate::platform::audit::write_all(tx, audits.collect(), now).await?;
    // The phone keeps the message as long as the wave lasts, never past the deadline.
    let ttl = policy.timeout(wave).min(r.deadline_at - now);
    let members: Vec<i64> = made.iter().map(|(_, member_id)| *member_id).collect();
    offer_events(tx, events, &members, "offer_new", r, ttl, now).await?;
    Ok((wave, panel))
}

/// Flags the coordinator: nobody took the request, it needs reorienting. `r` is the request as
/// it stands in this transaction (its version decides whether someone changed it meanwhile).
async fn escalate(
    tx: &mut AnyConnection,
    r: &RequestRow,
    reason: EscalationReason,
    now: DateTime<Utc>,
) -> Result<bool, DispatchError> {
    let next = r.status.apply(Transition::Escalate).map_err(DispatchError::Illegal)?;
    if !store::set_status(tx, r.id, r.version, next, now).await? {
        return Err(DispatchError::Conflict);
    }
    store::mark_escalated(tx, r.id, reason.code(), now).await?;
    Audit::new("request_escalated")
        .cpts(r.cpts_id)
        .request(r.id)
        .detail(serde_json::json!({ "reason": reason.code(), "wave": r.wave }))
        .write(tx, now)
        .await?;
    Ok(true)
}

/// One wave, as a push starts it and the escalation job widens it: offers to the panel of
/// `wave` (or the first wider wave that finds somebody), the event `kind` in the audit trail,
/// and the coordinator flagged when nobody at all is left to answer. `r` is the request as it
/// stands in this transaction. Returns the wave reached, the offers made and whether it was
/// escalated.
#[allow(clippy::too_many_arguments)]
async fn send_wave(
    state: &AppState,
    tx: &mut AnyConnection,
    r: &RequestRow,
    wave: u8,
    known: Option<Vec<Candidate>>,
    actor_id: Option<i64>,
    kind: &'static str,
    now: DateTime<Utc>,
    events: &mut Vec<LiveEvent>,
) -> Result<(u8, usize, bool), DispatchError> {
    let (wave, panel) = offer_wave(state, tx, r, wave, known, actor_id, now, events).await?;
    Audit::new(kind)
        .cpts(r.cpts_id)
        .actor(actor_id)
        .request(r.id)
        .detail(serde_json::json!({ "wave": wave, "offers": panel.len() }))
        .write(tx, now)
        .await?;
    let mut escalated = false;
    if panel.is_empty() && !has_live_offers(tx, r.id).await? {
        let reached = RequestRow { wave, ..r.clone() };
        escalated = escalate(tx, &reached, EscalationReason::NobodyAvailable, now).await?;
    }
    Ok((wave, panel.len(), escalated))
}

/// Sends a new request (or re-sends an escalated one) to its panel.
///
/// # Errors
/// [`DispatchError::OutsideOpeningHours`] outside practice hours (PDSA time), [`DispatchError::Illegal`]
/// if the request is not new or escalated.
pub async fn push(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<PushOutcome, DispatchError> {
    let now = state.now();
    if state.settings.enforce_opening_hours && !is_open(now) {
        return Err(DispatchError::OutsideOpeningHours);
    }
    let mut tx = state.store.begin().await?;
    let mut events = vec![];
    let outcome = push_in(state, &mut tx, actor, request_id, now, &mut events).await?;
    tx.commit().await?;
    outcome.count();
    state.announce(events).await;
    Ok(outcome)
}

/// [`push`] inside the caller's transaction (the caller checks the opening hours, commits, then
/// announces `events`): a pharmacy's teleconsultation is saved and pushed in one transaction.
///
/// # Errors
/// As [`push`].
pub async fn push_in(
    state: &AppState,
    tx: &mut AnyConnection,
    actor: &MemberRow,
    request_id: i64,
    now: DateTime<Utc>,
    events: &mut Vec<LiveEvent>,
) -> Result<PushOutcome, DispatchError> {
    let r = state.store.lock_request(tx, request_id).await?.ok_or(DispatchError::NotFound)?;
    if r.cpts_id != actor.cpts_id {
        return Err(DispatchError::NotFound);
    }
    let next = r.status.apply(Transition::Push).map_err(DispatchError::Illegal)?;
    if now >= r.deadline_at {
        return Err(DispatchError::DeadlinePassed);
    }
    if !store::set_status(tx, r.id, r.version, next, now).await? {
        return Err(DispatchError::Conflict);
    }
    store::clear_escalation(tx, r.id).await?;
    events.extend(request_changed(&r));
    let policy = policy(state, &r);
    // Who may be asked is read once: it decides the first wave, then that wave's panel.
    let (start, known) = if r.status == RequestStatus::Escalated {
        (policy.last_wave(), None)
    } else {
        let candidates = candidates_at(tx, r.cpts_id, r.id, now).await?;
        (first_wave(&panel_query(&r), &candidates, policy), Some(candidates))
    };
    // The request as this transaction left it: pushed, one version further.
    let pushed = RequestRow { status: next, version: r.version + 1, ..r.clone() };
    let (wave, offered, escalated) =
        send_wave(state, tx, &pushed, start, known, Some(actor.id), "request_pushed", now, events).await?;
    Ok(PushOutcome { wave, offered, escalated })
}

pub(super) async fn has_live_offers(tx: &mut AnyConnection, request_id: i64) -> Result<bool, DispatchError> {
    Ok(store::offers_of_request(tx, request_id).await?.iter().any(|o| o.state.is_live()))
}

/// What moving a request on did, counted once its transaction commits.
#[derive(Debug, Default)]
#[must_use = "count it once the transaction commits"]
pub(super) struct Moved {
    widened: Option<usize>,
    escalated: bool,
    expired: usize,
}

impl Moved {
    pub(super) fn count(&self) {
        use crate::platform::metrics;
        if let Some(offered) = self.widened {
            metrics::wave_widened();
            metrics::offers_pushed(offered);
        }
        if self.escalated {
            metrics::request_escalated();
        }
        metrics::offers_expired(self.expired);
    }
}

/// Moves one pushed request on if its wave timed out (or `force`, when every offer of the wave
/// was declined): a wider wave, or a flag to the coordinator.
pub(super) async fn advance(
    state: &AppState,
    tx: &mut AnyConnection,
    r: &RequestRow,
    now: DateTime<Utc>,
    force: bool,
    events: &mut Vec<LiveEvent>,
) -> Result<Moved, DispatchError> {
    let policy = policy(state, r);
    let mut moved = Moved::default();
    if now >= r.deadline_at {
        // Past the deadline, offers can no longer be accepted; the coordinator reorients.
        moved.expired = withdraw_offers(tx, events, r, Withdrawal::Expired, now).await?;
    }
    let started = r.wave_started_at.unwrap_or(r.created_at);
    let started = if force { started - policy.timeout(r.wave) } else { started };
    match next_wave_step(r.status, r.wave, started, r.deadline_at, now, policy) {
        WaveStep::Wait => {}
        // Outside opening hours the panel is not widened: offers out stay open, and the next
        // wave goes out when the CPTS opens again (the deadline still escalates).
        WaveStep::Widen { .. } if state.settings.enforce_opening_hours && !is_open(now) => {}
        WaveStep::Widen { to_wave } => {
            let (_, offered, escalated) =
                send_wave(state, tx, r, to_wave, None, None, "wave_widened", now, events).await?;
            moved.widened = Some(offered);
            moved.escalated = escalated;
            events.extend(request_changed(r));
        }
        WaveStep::Escalate(reason) => {
            moved.escalated = escalate(tx, r, reason, now).await?;
            events.extend(request_changed(r));
        }
    }
    Ok(moved)
}

/// The retention job's work at `now`: the patient data of requests closed for longer than the
/// retention period is erased, one audit line per CPTS with how many. Returns how many requests.
///
/// # Errors
/// On a database failure (nothing is erased then).
pub async fn erase_old_patient_data(state: &AppState) -> Result<usize, DispatchError> {
    let now = state.now();
    let before = now - chrono::Duration::days(state.settings.retention_days.max(1));
    let mut tx = state.store.begin().await?;
    let erased = store::erase_patient_data(&mut tx, before).await?;
    let cpts: Vec<i64> = erased.iter().map(|(_, cpts)| *cpts).collect();
    crate::platform::audit::erasures(&mut tx, "patient_data_erased", "requests", &cpts, before, now).await?;
    tx.commit().await?;
    Ok(erased.len())
}

/// The escalation job's work at `now`: every pushed request whose wave timed out is widened or
/// flagged. Returns how many requests changed.
///
/// # Errors
/// On a database failure; requests already handled stay handled.
pub async fn tick(state: &AppState) -> Result<usize, DispatchError> {
    let now = state.now();
    let waiting = {
        let mut conn = state.store.reader().await?;
        store::waiting_requests(&mut conn).await?
    };
    let mut changed = 0;
    for candidate in waiting {
        let mut tx = state.store.begin().await?;
        // Re-read under the lock: a clinician may have accepted meanwhile.
        let Some(r) = state.store.lock_request(&mut tx, candidate.id).await? else { continue };
        let mut events = vec![];
        let moved = advance(state, &mut tx, &r, now, false, &mut events).await?;
        tx.commit().await?;
        moved.count();
        if !events.is_empty() {
            changed += 1;
            state.announce(events).await;
        }
    }
    Ok(changed)
}
