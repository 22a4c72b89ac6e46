//! [ssr] A referral's life: a referrer sends it through the grid to the dentist of the day; the
//! dentist proposes a solution, then records what happened; the coordination hands an overdue
//! one to another rota dentist; a job keeps the 24-hour promise.

use super::{may_read, may_refer, next_route, patient, summary, DentalError, ROTA_AHEAD};
use crate::dental::dto::{ReferralDetail, ReferralStep, Referred, SolutionView};
use crate::dental::rules::forms::{parse_outcome, ReferralForm, SolutionForm};
use crate::dental::rules::{nudge, verdict, DentalReorientation, Nudge, ReferralStatus, SolutionKind, Verdict};
use crate::dental::store::{self, NewReferral, SolutionRow};
use crate::domain::{Field, FieldErrors, FieldProblem};
use crate::i18n::t;
use crate::members::{self, MemberRow};
use crate::platform::access::is_staff;
use crate::platform::audit::{self, Audit};
use crate::platform::live::LiveEvent;
use crate::platform::AppState;
use crate::push::{enqueue, Outgoing, PushPayload, Urgency};

fn dental_push(referral_id: i64, title: &str, body: String, urgency: Urgency) -> Outgoing {
    Outgoing {
        payload: PushPayload {
            kind: "dental".into(),
            title: title.into(),
            body,
            url: format!("/dentaire/{referral_id}"),
            tag: format!("dentaire-{referral_id}"),
            request_id: None,
        },
        urgency,
        ttl: chrono::Duration::hours(24),
        english: None,
    }
}

fn changed(r: &store::ReferralRow) -> Vec<LiveEvent> {
    vec![
        LiveEvent::to_member(r.referrer_id, "referral_changed", r.id),
        LiveEvent::to_member(r.dentist_id, "referral_changed", r.id),
        LiveEvent::to_coordination(r.cpts_id, "referral_changed", r.id),
    ]
}

/// Refers a patient: the grid decides; a true emergency goes to the dentist of the day (or of
/// the next held morning), who is told at once.
///
/// # Errors
/// [`DentalError::CallThe15`] or [`DentalError::NotUrgent`] from the grid (nothing is saved),
/// [`DentalError::Invalid`] per field, [`DentalError::NoDentist`] when no morning ahead is held,
/// [`DentalError::Forbidden`] for a profession the CPTS does not let refer.
pub async fn refer(state: &AppState, actor: &MemberRow, form: &ReferralForm) -> Result<Referred, DentalError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !may_refer(actor, &store::referrer_professions(&mut tx, actor.cpts_id).await?) {
        return Err(DentalError::Forbidden);
    }
    let grid = store::criteria(&mut tx, actor.cpts_id).await?;
    let ticked = form.ticked().map_err(DentalError::Invalid)?;
    let decision = verdict(&grid, &ticked).map_err(|_| {
        let mut errors = FieldErrors::default();
        errors.add(Field::Criteria, FieldProblem::UnknownChoice);
        DentalError::Invalid(errors)
    })?;
    let label = |id: &i64| grid.iter().find(|c| c.id == *id).map(|c| c.label.clone()).unwrap_or_default();
    let immediate = match decision {
        Verdict::CallThe15 { signs } => return Err(DentalError::CallThe15(signs.iter().map(label).collect())),
        Verdict::NotUrgent => return Err(DentalError::NotUrgent),
        Verdict::Referred { immediate } => immediate,
    };
    let communes: Vec<String> = members::communes(&mut tx, actor.cpts_id).await?.into_iter().map(|c| c.name).collect();
    let patient = form.patient(&communes).map_err(DentalError::Invalid)?;
    let (to, _) = next_route(&mut tx, actor.cpts_id, now).await?.ok_or(DentalError::NoDentist)?;
    let new = NewReferral {
        cpts_id: actor.cpts_id,
        referrer_id: actor.id,
        dentist_id: to.dentist_id,
        vacation_id: to.vacation_id,
        patient_name: &patient.name,
        age_band: patient.age_band.code(),
        callback_phone: patient.callback_phone.e164(),
        commune: &patient.commune,
        note: &patient.note,
        criteria: ticked.iter().map(label).collect(),
        immediate,
        seen_from: to.seen_from,
        due_at: to.due_at,
    };
    let id = store::insert_referral(&mut tx, &new, now).await?;
    Audit::by(actor, "dental_referred")
        .referral(id)
        .subject(to.dentist_id)
        .detail(serde_json::json!({ "criteria": new.criteria.len(), "immediate": immediate }))
        .write(&mut tx, now)
        .await?;
    let message = Outgoing::in_both(|| {
        let body = t::dental_push_new(patient.age_band, &patient.commune, immediate);
        dental_push(id, t::PUSH_DENTAL_NEW(), body, Urgency::High)
    });
    enqueue(&mut tx, to.dentist_id, &message, now).await?;
    let r = store::referral(&mut tx, id).await?.ok_or(DentalError::NotFound)?;
    tx.commit().await?;
    state.announce(changed(&r)).await;
    Ok(Referred { id, dentist_name: r.dentist_name, seen_from: r.seen_from, due_at: r.due_at })
}

/// A referral in full, for its referrer, its dentist and the coordination.
///
/// # Errors
/// [`DentalError::NotFound`] for anyone else (nothing says it exists).
pub async fn referral(state: &AppState, actor: &MemberRow, id: i64) -> Result<ReferralDetail, DentalError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let r = store::referral(&mut conn, id).await?.filter(|r| may_read(actor, r)).ok_or(DentalError::NotFound)?;
    let reassign_to = if is_staff(actor.role) && r.status == ReferralStatus::Waiting {
        let mut dentists: Vec<(i64, String)> = store::mornings(&mut conn, r.cpts_id, now, now + ROTA_AHEAD)
            .await?
            .into_iter()
            .flat_map(|m| m.morning.holders.into_iter().zip(m.names))
            .filter(|(d, _)| *d != r.dentist_id)
            .collect();
        dentists.sort();
        dentists.dedup();
        dentists
    } else {
        vec![]
    };
    let timeline = audit::referral_timeline(&mut conn, id)
        .await?
        .into_iter()
        .map(|e| ReferralStep { at: e.at, actor: e.actor_name, kind: e.kind })
        .collect();
    let solution = r.solution_kind.as_deref().and_then(SolutionKind::parse).map(|kind| SolutionView {
        kind,
        appointment_at: r.solution_at,
        place: r.solution_place.clone().unwrap_or_default(),
        note: r.solution_note.clone().unwrap_or_default(),
        reoriented_to: r.reoriented_to.as_deref().and_then(DentalReorientation::parse),
        answered_at: r.answered_at.unwrap_or(r.created_at),
    });
    Ok(ReferralDetail {
        summary: summary(&r, now),
        criteria: r.criteria.clone(),
        patient: Some(patient(&r)),
        solution,
        outcome: r.outcome,
        version: r.version,
        can_answer: actor.id == r.dentist_id,
        reassign_to,
        timeline,
    })
}

/// The dentist proposes a solution; the referrer sees it live.
///
/// # Errors
/// [`DentalError::NotFound`] unless the referral is with the caller; [`DentalError::Invalid`]
/// per field; [`DentalError::Conflict`] when it changed meanwhile (answered, handed over).
pub async fn answer(
    state: &AppState,
    actor: &MemberRow,
    id: i64,
    version: i64,
    form: &SolutionForm,
) -> Result<(), DentalError> {
    let now = state.now();
    let solution = form.validate(now).map_err(DentalError::Invalid)?;
    let mut tx = state.store.begin().await?;
    let r =
        state.store.lock_referral(&mut tx, id).await?.filter(|r| may_read(actor, r)).ok_or(DentalError::NotFound)?;
    if r.dentist_id != actor.id {
        return Err(DentalError::Forbidden);
    }
    let row = SolutionRow {
        kind: solution.kind.code(),
        at: solution.appointment_at,
        place: &solution.place,
        note: &solution.note,
        reoriented_to: solution.reoriented_to.map(DentalReorientation::code),
    };
    if !store::answer(&mut tx, id, version, actor.id, &row, now).await? {
        return Err(DentalError::Conflict);
    }
    Audit::by(actor, "dental_answered")
        .referral(id)
        .detail(serde_json::json!({
            "solution": solution.kind.code(),
            "within_24h": now <= r.due_at,
            "after_minutes": (now - r.created_at).num_minutes(),
        }))
        .write(&mut tx, now)
        .await?;
    let message = Outgoing::in_both(|| {
        let body = t::dental_push_answered(&r.dentist_name, solution.kind);
        dental_push(id, t::PUSH_DENTAL_ANSWERED(), body, Urgency::Normal)
    });
    enqueue(&mut tx, r.referrer_id, &message, now).await?;
    tx.commit().await?;
    state.announce(changed(&r)).await;
    Ok(())
}

/// The dentist records what happened: seen, no-show or reoriented.
///
/// # Errors
/// As [`answer`].
pub async fn record_outcome(
    state: &AppState,
    actor: &MemberRow,
    id: i64,
    version: i64,
    outcome: &str,
) -> Result<(), DentalError> {
    let now = state.now();
    let outcome = parse_outcome(outcome).map_err(DentalError::Invalid)?;
    let mut tx = state.store.begin().await?;
    let r =
        state.store.lock_referral(&mut tx, id).await?.filter(|r| may_read(actor, r)).ok_or(DentalError::NotFound)?;
    if r.dentist_id != actor.id {
        return Err(DentalError::Forbidden);
    }
    if !store::close(&mut tx, id, version, outcome, now).await? {
        return Err(DentalError::Conflict);
    }
    Audit::by(actor, "dental_closed")
        .referral(id)
        .detail(serde_json::json!({ "outcome": outcome.code() }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(changed(&r)).await;
    Ok(())
}

/// The coordination hands a waiting referral to another dentist of the rota, who has 24 hours
/// from now. Two coordinators at once: the first wins, the other gets a conflict.
///
/// # Errors
/// [`DentalError::Conflict`] when it changed meanwhile; [`DentalError::Invalid`] for a dentist
/// who holds no morning of the rota ahead.
pub async fn reassign(
    state: &AppState,
    actor: &MemberRow,
    id: i64,
    version: i64,
    dentist_id: i64,
) -> Result<(), DentalError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r =
        state.store.lock_referral(&mut tx, id).await?.filter(|r| may_read(actor, r)).ok_or(DentalError::NotFound)?;
    let on_rota = store::mornings(&mut tx, r.cpts_id, now, now + ROTA_AHEAD)
        .await?
        .iter()
        .any(|m| m.morning.holders.contains(&dentist_id));
    if !on_rota || dentist_id == r.dentist_id {
        let mut errors = FieldErrors::default();
        errors.add(Field::Dentist, FieldProblem::UnknownChoice);
        return Err(DentalError::Invalid(errors));
    }
    let due_at = now + crate::dental::rules::ANSWER_WITHIN;
    if !store::reassign(&mut tx, id, version, dentist_id, due_at, now).await? {
        return Err(DentalError::Conflict);
    }
    Audit::by(actor, "dental_reassigned")
        .referral(id)
        .subject(dentist_id)
        .detail(serde_json::json!({ "from": r.dentist_id }))
        .write(&mut tx, now)
        .await?;
    let message = Outgoing::in_both(|| {
        dental_push(id, t::PUSH_DENTAL_NEW(), t::dental_push_new_handed(&r.commune), Urgency::High)
    });
    enqueue(&mut tx, dentist_id, &message, now).await?;
    tx.commit().await?;
    let mut events = changed(&r);
    events.push(LiveEvent::to_member(dentist_id, "referral_changed", id));
    state.announce(events).await;
    Ok(())
}

/// The 24-hour job at `now`: reminds each dentist once, 4 hours before the deadline; alerts the
/// coordination once, at the deadline. Returns how many referrals it acted on.
///
/// # Errors
/// On a database failure (what was done stays done).
pub async fn tick(state: &AppState) -> Result<usize, DentalError> {
    let now = state.now();
    let due = {
        let mut conn = state.store.reader().await?;
        store::due_for_nudge(&mut conn, now, crate::dental::rules::REMIND_BEFORE).await?
    };
    let mut acted = 0;
    for r in due {
        let what = nudge(r.due_at, r.reminded, r.alerted, r.status, now);
        let alert = match what {
            Nudge::Nothing => continue,
            Nudge::RemindDentist => false,
            Nudge::AlertCoordination => true,
        };
        let mut tx = state.store.begin().await?;
        if !store::mark_nudged(&mut tx, r.id, alert, now).await? {
            continue;
        }
        let kind = if alert { "dental_overdue" } else { "dental_reminded" };
        Audit::new(kind).cpts(r.cpts_id).referral(r.id).subject(r.dentist_id).write(&mut tx, now).await?;
        if !alert {
            let message = Outgoing::in_both(|| {
                dental_push(r.id, t::PUSH_DENTAL_REMINDER(), t::dental_push_reminder(r.due_at), Urgency::High)
            });
            enqueue(&mut tx, r.dentist_id, &message, now).await?;
        }
        tx.commit().await?;
        acted += 1;
        state.announce(changed(&r)).await;
    }
    Ok(acted)
}

/// Retention: erases the patient data of referrals closed for longer than the retention period
/// (the same as the requests'), one audit line per CPTS. Returns how many referrals.
///
/// # Errors
/// On a database failure (nothing is erased then).
pub async fn erase_old_patient_data(state: &AppState) -> Result<usize, DentalError> {
    let now = state.now();
    let before = now - chrono::Duration::days(state.settings.retention_days.max(1));
    let mut tx = state.store.begin().await?;
    let erased = store::erase_patient_data(&mut tx, before).await?;
    crate::platform::audit::erasures(&mut tx, "dental_patient_data_erased", "referrals", &erased, before, now).await?;
    tx.commit().await?;
    Ok(erased.len())
}
