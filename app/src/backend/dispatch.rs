//! The operations of SNP dispatch: create, push, answer, escalate, close.
//!
//! Each runs in one transaction that locks the request first, applies the domain's decision,
//! writes its audit events, and, once committed, announces the change to the screens concerned.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

use super::live::LiveEvent;
use super::push;
use super::store::{self, Audit, MemberRow, OfferRow, RequestRow};
use super::AppState;
use crate::api::dto::*;
use crate::api::error::AppError;
use crate::domain::hours::{deadline_at, is_open, week_start};
use crate::domain::panel::{eligibility, first_wave, select_panel, PanelEntry, PanelQuery};
use crate::domain::request::{
    check_accept, next_wave_step, AcceptOfferError, EscalationReason, IntakeError, OfferState, Outcome, RequestForm,
    RequestStatus, Transition, WaveStep,
};
use crate::domain::*;

fn is_staff(m: &MemberRow) -> bool {
    matches!(m.role, Role::Coordinator | Role::Admin)
}

/// Coordinators and admins of the CPTS only.
///
/// # Errors
/// [`AppError::Forbidden`] for anyone else.
pub fn require_staff(m: &MemberRow) -> Result<(), AppError> {
    if is_staff(m) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn require_clinician(m: &MemberRow) -> Result<(), AppError> {
    if m.role == Role::Clinician {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Closed requests stay on screens until the end of the day (Paris).
fn today_start(now: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = now.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    chrono_tz::Europe::Paris
        .from_local_datetime(&local.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now - Duration::hours(24))
}

// ---------------------------------------------------------------- views

pub fn summary(r: &RequestRow, with_patient: bool) -> RequestSummary {
    RequestSummary {
        id: r.id,
        created_at: r.created_at,
        motive: Motive::parse(&r.motive).unwrap_or(Motive::Other),
        profession: Profession::parse(&r.profession).unwrap_or(Profession::Gp),
        age_band: AgeBand::parse(&r.age_band).unwrap_or(AgeBand::Adult),
        commune: r.commune.clone(),
        teleconsult_ok: r.teleconsult_ok,
        deadline: Deadline::parse(&r.deadline).unwrap_or(Deadline::Today),
        deadline_at: r.deadline_at,
        source: Source::parse(&r.source).unwrap_or(Source::Other),
        status: r.status,
        wave: r.wave,
        escalation: r.escalation.clone(),
        accepted_by_name: r.accepted_by_name.clone(),
        accepted_at: r.accepted_at,
        appointment_at: r.appointment_at,
        appointment_mode: r.appointment_mode.clone(),
        reoriented_to: r.reoriented_to.clone(),
        patient: with_patient.then(|| Patient {
            name: r.patient_name.clone(),
            callback_phone: crate::domain::phone::FrenchPhone::parse(&r.callback_phone)
                .map(|p| p.national())
                .unwrap_or_else(|| r.callback_phone.clone()),
            note: r.note.clone(),
        }),
    }
}

fn offer_view(o: &OfferRow) -> OfferView {
    OfferView {
        member_id: o.member_id,
        member_name: o.member_name.clone(),
        profession: o.profession.as_deref().and_then(Profession::parse),
        wave: o.wave,
        distance_km: o.distance_km,
        state: o.state,
        refusal_reason: o.refusal_reason.clone(),
        sent_at: o.sent_at,
        answered_at: o.answered_at,
    }
}

/// Who may see a request, patient details included: the coordination of its CPTS and the
/// clinician who accepted it. Others are told it does not exist.
fn require_access(actor: &MemberRow, r: &RequestRow) -> Result<(), AppError> {
    let allowed = actor.cpts_id == r.cpts_id && (is_staff(actor) || r.accepted_by == Some(actor.id));
    if allowed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The panel's view of the CPTS's clinicians at `now`: on duty when a duty slot or a vacation
/// covers `now` (the domain's `on_duty_at`), volunteering, their weekly count, already asked.
async fn candidates_at(
    conn: &mut AnyConnection,
    cpts_id: i64,
    request_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<crate::domain::panel::Candidate>, AppError> {
    let mut candidates = store::candidates(conn, cpts_id, request_id, now, week_start(now)).await?;
    let vacations = super::store_planning::vacations_at(conn, cpts_id, now).await?;
    let on_duty = crate::domain::planning::on_duty_at(&vacations, now);
    for c in &mut candidates {
        c.on_duty |= on_duty.contains(&c.member_id);
    }
    Ok(candidates)
}

// ---------------------------------------------------------------- reads

pub async fn me(state: &AppState, m: &MemberRow) -> Result<Me, AppError> {
    let mut conn = state.store.reader().await?;
    let now = state.now();
    let (duty_slot, available_until) = store::availability_now(&mut conn, m.id, now).await?;
    let vacations = super::store_planning::vacations_at(&mut conn, m.cpts_id, now).await?;
    let on_duty = duty_slot || crate::domain::planning::on_duty_at(&vacations, now).contains(&m.id);
    let cpts_name = store::cpts_name(&mut conn, m.cpts_id).await?.unwrap_or_default();
    Ok(Me {
        id: m.id,
        display_name: m.display_name.clone(),
        role: m.role,
        profession: m.profession,
        cpts_name,
        on_duty,
        available_until,
    })
}

pub async fn form_data(state: &AppState, actor: &MemberRow) -> Result<RequestFormData, AppError> {
    require_staff(actor)?;
    let mut conn = state.store.reader().await?;
    let communes = store::communes(&mut conn, actor.cpts_id).await?.into_iter().map(|c| c.name).collect();
    let clinicians = store::members(&mut conn, actor.cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Clinician)
        .filter_map(|m| Some((m.id, m.display_name, m.profession?)))
        .collect();
    Ok(RequestFormData { communes, clinicians, open_now: is_open(state.now()) })
}

pub async fn board(state: &AppState, actor: &MemberRow) -> Result<Vec<BoardItem>, AppError> {
    require_staff(actor)?;
    let since = today_start(state.now());
    let mut conn = state.store.reader().await?;
    let requests = store::board(&mut conn, actor.cpts_id, since).await?;
    let mut offers: HashMap<i64, Vec<OfferView>> = HashMap::new();
    for o in store::offers_of_requests(&mut conn, actor.cpts_id, since).await? {
        offers.entry(o.request_id).or_default().push(offer_view(&o));
    }
    Ok(requests
        .iter()
        .map(|r| BoardItem { request: summary(r, true), offers: offers.remove(&r.id).unwrap_or_default() })
        .collect())
}

async fn panel_preview(
    state: &AppState,
    conn: &mut AnyConnection,
    r: &RequestRow,
    now: DateTime<Utc>,
) -> Result<Option<PanelPreview>, AppError> {
    let wave = match r.status {
        RequestStatus::New => None,
        RequestStatus::Escalated => Some(state.settings.waves.last_wave()),
        _ => return Ok(None),
    };
    let query = panel_query(r);
    let candidates = candidates_at(conn, r.cpts_id, r.id, now).await?;
    let policy = &state.settings.waves;
    let wave = wave.unwrap_or_else(|| {
        // The wave a push would start with: the first that finds somebody.
        let first = first_wave(&query, &candidates, policy);
        (first..=policy.last_wave())
            .find(|w| !select_panel(&query, &candidates, *w, policy).is_empty())
            .unwrap_or(first)
    });
    let names: HashMap<i64, String> =
        store::members(conn, r.cpts_id).await?.into_iter().map(|m| (m.id, m.display_name)).collect();
    let mut members: Vec<PanelMember> = candidates
        .iter()
        .map(|c| {
            let result = eligibility(&query, c, wave, policy);
            PanelMember {
                member_id: c.member_id,
                name: names.get(&c.member_id).cloned().unwrap_or_default(),
                profession: c.profession,
                distance_km: c.location.map(|l| l.distance_km(query.location)),
                excluded: result.err().map(|e| {
                    serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
                }),
            }
        })
        .collect();
    members.sort_by(|a, b| {
        a.excluded
            .is_some()
            .cmp(&b.excluded.is_some())
            .then(a.distance_km.unwrap_or(f64::MAX).total_cmp(&b.distance_km.unwrap_or(f64::MAX)))
    });
    Ok(Some(PanelPreview { wave, members }))
}

pub async fn detail(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<RequestDetail, AppError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let r = store::request(&mut conn, request_id).await?.ok_or(AppError::NotFound)?;
    require_access(actor, &r)?;
    let staff = is_staff(actor);
    let offers = if staff { store::offers_of_request(&mut conn, r.id).await? } else { vec![] };
    let timeline = if staff {
        store::request_timeline(&mut conn, r.id)
            .await?
            .into_iter()
            .map(|e| TimelineEntry {
                at: e.at,
                actor: e.actor_name,
                kind: e.kind,
                subject: e.subject_name,
                detail: e.detail,
            })
            .collect()
    } else {
        vec![]
    };
    let next_panel = if staff { panel_preview(state, &mut conn, &r, now).await? } else { None };
    Ok(RequestDetail {
        item: BoardItem { request: summary(&r, true), offers: offers.iter().map(offer_view).collect() },
        timeline,
        next_panel,
        can_record_outcome: !r.status.is_closed(),
    })
}

pub async fn inbox(state: &AppState, actor: &MemberRow) -> Result<Vec<InboxItem>, AppError> {
    require_clinician(actor)?;
    let mut conn = state.store.reader().await?;
    Ok(store::inbox(&mut conn, actor.id)
        .await?
        .iter()
        .map(|(o, r)| InboxItem {
            request: summary(r, false),
            distance_km: o.distance_km,
            state: o.state,
            sent_at: o.sent_at,
        })
        .collect())
}

pub async fn cases(state: &AppState, actor: &MemberRow) -> Result<Vec<RequestSummary>, AppError> {
    require_clinician(actor)?;
    let mut conn = state.store.reader().await?;
    Ok(store::cases_of(&mut conn, actor.id, today_start(state.now())).await?.iter().map(|r| summary(r, true)).collect())
}

// ---------------------------------------------------------------- create and push

/// Qualifies a call into a request. A ticked red flag stops here (and is traced, without
/// patient data): the operator calls the 15.
pub async fn create_request(state: &AppState, actor: &MemberRow, form: RequestForm) -> Result<i64, AppError> {
    require_staff(actor)?;
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let communes = store::communes(&mut conn, actor.cpts_id).await?;
    let clinicians: Vec<i64> = store::members(&mut conn, actor.cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Clinician)
        .map(|m| m.id)
        .collect();
    drop(conn);
    let names: Vec<String> = communes.iter().map(|c| c.name.clone()).collect();
    let new = match form.validate(&names, |id| clinicians.contains(&id)) {
        Ok(new) => new,
        Err(IntakeError::RedFlags(flags)) => {
            let mut tx = state.store.begin().await?;
            store::audit(
                &mut tx,
                now,
                Audit {
                    cpts_id: Some(actor.cpts_id),
                    actor_id: Some(actor.id),
                    kind: "red_flag_redirect",
                    detail: serde_json::json!({ "red_flags": flags.iter().map(|f| f.code()).collect::<Vec<_>>(), "motive": form.motive }),
                    ..Audit::default()
                },
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::RedFlags(flags));
        }
        Err(IntakeError::Invalid(errors)) => return Err(AppError::Invalid(errors)),
    };
    let location = communes.iter().find(|c| c.name == new.commune).map(|c| c.location).ok_or(AppError::NotFound)?;
    let mut tx = state.store.begin().await?;
    let id =
        store::insert_request(&mut tx, actor.cpts_id, actor.id, &new, location, deadline_at(new.deadline, now), now)
            .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::to_coordination(actor.cpts_id, "request_changed", id)]).await;
    Ok(id)
}

fn panel_query(r: &RequestRow) -> PanelQuery {
    PanelQuery {
        motive: Motive::parse(&r.motive).unwrap_or(Motive::Other),
        profession: Profession::parse(&r.profession).unwrap_or(Profession::Gp),
        location: r.location,
        treating_member_id: r.treating_member_id,
    }
}

/// Offers the request to the panel of `wave`, or of the first wider wave that finds somebody.
/// Returns the wave reached and the offers made.
async fn offer_wave(
    state: &AppState,
    tx: &mut AnyConnection,
    r: &RequestRow,
    mut wave: u8,
    actor_id: Option<i64>,
    now: DateTime<Utc>,
    events: &mut Vec<LiveEvent>,
) -> Result<(u8, Vec<PanelEntry>), AppError> {
    let policy = &state.settings.waves;
    let query = panel_query(r);
    let candidates = candidates_at(tx, r.cpts_id, r.id, now).await?;
    let mut panel = select_panel(&query, &candidates, wave, policy);
    while panel.is_empty() && wave < policy.last_wave() {
        wave += 1;
        panel = select_panel(&query, &candidates, wave, policy);
    }
    store::start_wave(tx, r.id, wave, now).await?;
    for entry in &panel {
        if let Some(offer_id) = store::insert_offer(tx, r.id, entry.member_id, wave, entry.distance_km, now).await? {
            store::audit(
                tx,
                now,
                Audit {
                    cpts_id: Some(r.cpts_id),
                    actor_id,
                    kind: "offer_sent",
                    request_id: Some(r.id),
                    offer_id: Some(offer_id),
                    subject_id: Some(entry.member_id),
                    detail: serde_json::json!({ "wave": wave, "distance_km": entry.distance_km }),
                    ..Audit::default()
                },
            )
            .await?;
            // The phone keeps the message as long as the wave lasts, never past the deadline.
            let ttl = policy.timeout(wave).min(r.deadline_at - now);
            offer_event(tx, events, entry.member_id, "offer_new", r, ttl, now).await?;
        }
    }
    Ok((wave, panel))
}

async fn escalate(
    tx: &mut AnyConnection,
    r: &RequestRow,
    version: i64,
    reason: EscalationReason,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let next = r.status.apply(Transition::Escalate).map_err(AppError::Illegal)?;
    if !store::set_status(tx, r.id, version, next, now).await? {
        return Err(AppError::Conflict);
    }
    store::mark_escalated(tx, r.id, reason.code(), now).await?;
    store::audit(
        tx,
        now,
        Audit {
            cpts_id: Some(r.cpts_id),
            kind: "request_escalated",
            request_id: Some(r.id),
            detail: serde_json::json!({ "reason": reason.code(), "wave": r.wave }),
            ..Audit::default()
        },
    )
    .await?;
    Ok(true)
}

/// Tells a member of an offer event: live on their open screens (once committed) and by Web
/// Push on their devices (queued in this transaction, sent by the push job).
async fn offer_event(
    tx: &mut AnyConnection,
    events: &mut Vec<LiveEvent>,
    member_id: i64,
    kind: &str,
    r: &RequestRow,
    ttl: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    events.push(LiveEvent::to_member(member_id, kind, r.id));
    let motive = crate::i18n::t::motive(Motive::parse(&r.motive).unwrap_or(Motive::Other));
    let when = r.deadline_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m %H:%M");
    let summary = format!("{motive} · {} · avant {when}", r.commune);
    push::enqueue(tx, member_id, &push::offer_message(kind, r.id, &summary, ttl), now).await?;
    Ok(())
}

/// Where the offer of `request_id` to `actor` stands (what a tapped notification shows).
///
/// # Errors
/// On a database failure.
pub async fn offer_lookup(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<OfferLookup, AppError> {
    let mut conn = state.store.reader().await?;
    let offer = store::offer_of(&mut conn, request_id, actor.id).await?;
    let request = store::request(&mut conn, request_id).await?.filter(|r| r.cpts_id == actor.cpts_id);
    let (state_, live) = match (offer, request) {
        (Some(o), Some(r)) => {
            (Some(o.state), o.state.is_live() && matches!(r.status, RequestStatus::Pushed | RequestStatus::Escalated))
        }
        _ => (None, false),
    };
    Ok(OfferLookup { request_id, state: state_, live })
}

/// Sends a new request (or re-sends an escalated one) to its panel.
///
/// # Errors
/// [`AppError::OutsideOpeningHours`] outside practice hours (PDSA time), [`AppError::Illegal`]
/// if the request is not new or escalated.
pub async fn push(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<PushOutcome, AppError> {
    require_staff(actor)?;
    let now = state.now();
    if state.settings.enforce_opening_hours && !is_open(now) {
        return Err(AppError::OutsideOpeningHours);
    }
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(AppError::NotFound)?;
    if r.cpts_id != actor.cpts_id {
        return Err(AppError::NotFound);
    }
    let next = r.status.apply(Transition::Push).map_err(AppError::Illegal)?;
    if now >= r.deadline_at {
        return Err(AppError::DeadlinePassed);
    }
    if !store::set_status(&mut tx, r.id, r.version, next, now).await? {
        return Err(AppError::Conflict);
    }
    store::clear_escalation(&mut tx, r.id).await?;
    let mut events = vec![LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id)];
    let policy = &state.settings.waves;
    let start = if r.status == RequestStatus::Escalated {
        policy.last_wave()
    } else {
        let candidates = candidates_at(&mut tx, r.cpts_id, r.id, now).await?;
        first_wave(&panel_query(&r), &candidates, policy)
    };
    let (wave, panel) = offer_wave(state, &mut tx, &r, start, Some(actor.id), now, &mut events).await?;
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(r.cpts_id),
            actor_id: Some(actor.id),
            kind: "request_pushed",
            request_id: Some(r.id),
            detail: serde_json::json!({ "wave": wave, "offers": panel.len() }),
            ..Audit::default()
        },
    )
    .await?;
    let mut escalated = false;
    if panel.is_empty() && !has_live_offers(&mut tx, r.id).await? {
        let pushed = RequestRow { status: next, wave, ..r.clone() };
        escalated = escalate(&mut tx, &pushed, r.version + 1, EscalationReason::NobodyAvailable, now).await?;
    }
    tx.commit().await?;
    state.announce(events).await;
    Ok(PushOutcome { wave, offered: panel.len(), escalated })
}

async fn has_live_offers(tx: &mut AnyConnection, request_id: i64) -> Result<bool, AppError> {
    Ok(store::offers_of_request(tx, request_id).await?.iter().any(|o| o.state.is_live()))
}

/// Moves one pushed request on if its wave timed out (or `force`, when every offer of the wave
/// was declined): a wider wave, or a flag to the coordinator.
async fn advance(
    state: &AppState,
    tx: &mut AnyConnection,
    r: &RequestRow,
    now: DateTime<Utc>,
    force: bool,
    events: &mut Vec<LiveEvent>,
) -> Result<(), AppError> {
    let policy = &state.settings.waves;
    if now >= r.deadline_at {
        // Past the deadline, offers can no longer be accepted; the coordinator reorients.
        for (offer_id, member_id) in store::withdraw_live_offers(tx, r.id, OfferState::Expired, now).await? {
            store::audit(
                tx,
                now,
                Audit {
                    cpts_id: Some(r.cpts_id),
                    kind: "offer_expired",
                    request_id: Some(r.id),
                    offer_id: Some(offer_id),
                    subject_id: Some(member_id),
                    ..Audit::default()
                },
            )
            .await?;
            offer_event(tx, events, member_id, "offer_expired", r, chrono::Duration::hours(1), now).await?;
        }
    }
    let started = r.wave_started_at.unwrap_or(r.created_at);
    let started = if force { started - policy.timeout(r.wave) } else { started };
    match next_wave_step(r.status, r.wave, started, r.deadline_at, now, policy) {
        WaveStep::Wait => {}
        // Outside opening hours the panel is not widened: offers out stay open, and the next
        // wave goes out when the CPTS opens again (the deadline still escalates).
        WaveStep::Widen { .. } if state.settings.enforce_opening_hours && !is_open(now) => {}
        WaveStep::Widen { to_wave } => {
            let (wave, panel) = offer_wave(state, tx, r, to_wave, None, now, events).await?;
            store::audit(
                tx,
                now,
                Audit {
                    cpts_id: Some(r.cpts_id),
                    kind: "wave_widened",
                    request_id: Some(r.id),
                    detail: serde_json::json!({ "wave": wave, "offers": panel.len() }),
                    ..Audit::default()
                },
            )
            .await?;
            if panel.is_empty() && wave >= policy.last_wave() && !has_live_offers(tx, r.id).await? {
                escalate(tx, &RequestRow { wave, ..r.clone() }, r.version, EscalationReason::NobodyAvailable, now)
                    .await?;
            }
            events.push(LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id));
        }
        WaveStep::Escalate(reason) => {
            escalate(tx, r, r.version, reason, now).await?;
            events.push(LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id));
        }
    }
    Ok(())
}

/// The escalation job's work at `now`: every pushed request whose wave timed out is widened or
/// flagged. Returns how many requests changed.
///
/// # Errors
/// On a database failure; requests already handled stay handled.
pub async fn tick(state: &AppState) -> Result<usize, AppError> {
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
        advance(state, &mut tx, &r, now, false, &mut events).await?;
        tx.commit().await?;
        if !events.is_empty() {
            changed += 1;
            state.announce(events).await;
        }
    }
    Ok(changed)
}

// ---------------------------------------------------------------- answers

/// First acceptance wins. Being second is an answer, not an error.
///
/// # Errors
/// [`AppError::Offer`] when the member was not offered the request, declined it, or it is closed.
pub async fn accept(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<AcceptOutcome, AppError> {
    require_clinician(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(AppError::NotFound)?;
    let offer = store::offer_of(&mut tx, r.id, actor.id).await?;
    match check_accept(r.status, offer.as_ref().map(|o| o.state)) {
        Ok(()) => {}
        Err(AcceptOfferError::AlreadyTaken) => return Ok(AcceptOutcome::AlreadyTaken),
        Err(e) => return Err(AppError::Offer(e)),
    }
    let offer = offer.ok_or(AppError::Offer(AcceptOfferError::NotOnPanel))?;
    let (accepted, cap) = store::weekly_load(&mut tx, actor.id, week_start(now)).await?;
    if accepted >= cap {
        return Err(AppError::Offer(AcceptOfferError::CapReached));
    }
    if !store::claim_request(&mut tx, r.id, actor.id, now).await? {
        return Ok(AcceptOutcome::AlreadyTaken);
    }
    store::answer_offer(&mut tx, offer.id, OfferState::Accepted, None, now).await?;
    let audit_base = Audit { cpts_id: Some(r.cpts_id), request_id: Some(r.id), ..Audit::default() };
    store::audit(
        &mut tx,
        now,
        Audit {
            actor_id: Some(actor.id),
            kind: "offer_accepted",
            offer_id: Some(offer.id),
            detail: serde_json::json!({ "wave": offer.wave, "after_seconds": (now - r.created_at).num_seconds() }),
            ..audit_base.clone()
        },
    )
    .await?;
    let mut events = vec![
        LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id),
        LiveEvent::to_member(actor.id, "case_new", r.id),
    ];
    for (offer_id, member_id) in store::withdraw_live_offers(&mut tx, r.id, OfferState::Withdrawn, now).await? {
        store::audit(
            &mut tx,
            now,
            Audit {
                kind: "offer_withdrawn",
                offer_id: Some(offer_id),
                subject_id: Some(member_id),
                detail: serde_json::json!({ "reason": "taken" }),
                ..audit_base.clone()
            },
        )
        .await?;
        offer_event(&mut tx, &mut events, member_id, "offer_taken", &r, chrono::Duration::hours(1), now).await?;
    }
    let won = store::request(&mut tx, r.id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(AcceptOutcome::Won { request: Box::new(summary(&won, true)) })
}

/// Declines an offer, with an optional reason. When nobody of the wave is left to answer, the
/// next wave starts at once instead of waiting for the timeout.
///
/// # Errors
/// [`AppError::Offer`] if the offer is not live any more.
pub async fn refuse(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
    reason: Option<RefusalReason>,
) -> Result<(), AppError> {
    require_clinician(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(AppError::NotFound)?;
    let offer = store::offer_of(&mut tx, r.id, actor.id).await?.ok_or(AppError::Offer(AcceptOfferError::NotOnPanel))?;
    if offer.state == OfferState::Refused {
        // A repeated refusal (double tap, replay) changes nothing.
        return Ok(());
    }
    check_accept(r.status, Some(offer.state)).map_err(AppError::Offer)?;
    if !store::answer_offer(&mut tx, offer.id, OfferState::Refused, reason.map(RefusalReason::code), now).await? {
        return Err(AppError::Conflict);
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(r.cpts_id),
            actor_id: Some(actor.id),
            kind: "offer_refused",
            request_id: Some(r.id),
            offer_id: Some(offer.id),
            detail: serde_json::json!({ "reason": reason.map(RefusalReason::code) }),
            ..Audit::default()
        },
    )
    .await?;
    let mut events = vec![
        LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id),
        // The member's other devices drop the offer too.
        LiveEvent::to_member(actor.id, "offer_answered", r.id),
    ];
    if r.status == RequestStatus::Pushed && !has_live_offers(&mut tx, r.id).await? {
        advance(state, &mut tx, &r, now, true, &mut events).await?;
    }
    tx.commit().await?;
    state.announce(events).await;
    Ok(())
}

/// Records that the clinician opened the offer.
pub async fn seen(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<(), AppError> {
    require_clinician(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let Some(offer) = store::offer_of(&mut tx, request_id, actor.id).await? else {
        return Err(AppError::NotFound);
    };
    if store::mark_seen(&mut tx, offer.id, now).await? {
        let cpts_id = Some(actor.cpts_id);
        store::audit(
            &mut tx,
            now,
            Audit {
                cpts_id,
                actor_id: Some(actor.id),
                kind: "offer_seen",
                request_id: Some(request_id),
                offer_id: Some(offer.id),
                ..Audit::default()
            },
        )
        .await?;
        tx.commit().await?;
        state.announce(vec![LiveEvent::to_coordination(actor.cpts_id, "request_changed", request_id)]).await;
    }
    Ok(())
}

/// Records an outcome: appointment, done, no-show, reorientation, cancellation. The clinician
/// who accepted and the coordination may record it.
///
/// # Errors
/// [`AppError::Illegal`] when the state machine forbids it (e.g. "done" before acceptance).
pub async fn record_outcome(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
    outcome: Outcome,
) -> Result<RequestSummary, AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = state.store.lock_request(&mut tx, request_id).await?.ok_or(AppError::NotFound)?;
    require_access(actor, &r)?;
    if matches!(outcome, Outcome::Cancelled) && !is_staff(actor) {
        // A clinician who cannot see the patient gives the request back to the coordination
        // (reorientation); cancelling it is the coordination's call.
        return Err(AppError::Forbidden);
    }
    let next = r.status.apply(outcome.transition()).map_err(AppError::Illegal)?;
    if !store::set_status(&mut tx, r.id, r.version, next, now).await? {
        return Err(AppError::Conflict);
    }
    let (at, mode, reoriented) = match &outcome {
        Outcome::Booked { at, mode } => (Some(*at), Some(mode.code()), None),
        Outcome::Reoriented(to) => (None, None, Some(to.code())),
        _ => (None, None, None),
    };
    match outcome {
        Outcome::Reoriented(_) | Outcome::Cancelled => {
            store::close_without_appointment(&mut tx, r.id, reoriented).await?
        }
        _ => store::set_appointment(&mut tx, r.id, at, mode, None).await?,
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(r.cpts_id),
            actor_id: Some(actor.id),
            kind: "outcome_recorded",
            request_id: Some(r.id),
            detail: serde_json::json!({
                "from": r.status.code(), "to": next.code(),
                "appointment_at": at.map(|t| t.to_rfc3339()), "mode": mode, "reoriented_to": reoriented,
            }),
            ..Audit::default()
        },
    )
    .await?;
    let mut events = vec![LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id)];
    if let Some(winner) = r.accepted_by {
        events.push(LiveEvent::to_member(winner, "case_changed", r.id));
    }
    if next.is_closed() {
        for (offer_id, member_id) in store::withdraw_live_offers(&mut tx, r.id, OfferState::Withdrawn, now).await? {
            store::audit(
                &mut tx,
                now,
                Audit {
                    cpts_id: Some(r.cpts_id),
                    kind: "offer_withdrawn",
                    request_id: Some(r.id),
                    offer_id: Some(offer_id),
                    subject_id: Some(member_id),
                    detail: serde_json::json!({ "reason": next.code() }),
                    ..Audit::default()
                },
            )
            .await?;
            offer_event(&mut tx, &mut events, member_id, "offer_closed", &r, chrono::Duration::hours(1), now).await?;
        }
    }
    let updated = store::request(&mut tx, r.id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(summary(&updated, true))
}

/// "Available now" for `hours` (0 ends it).
pub async fn set_available(state: &AppState, actor: &MemberRow, hours: i64) -> Result<(), AppError> {
    require_clinician(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    store::end_volunteering(&mut tx, actor.id, now).await?;
    if hours > 0 {
        store::add_availability(&mut tx, actor.id, "volunteer", now, now + Duration::hours(hours.min(12)), now).await?;
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "availability_changed",
            detail: serde_json::json!({ "hours": hours.clamp(0, 12) }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
