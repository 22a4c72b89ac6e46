//! [ssr] A member's changes to who holds a vacation: take an open place, give it back to the
//! pool, propose a cession or an échange, answer one, cancel one, undo an accepted one.

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

use super::{hold, locked_vacation, record_holding, release, PlanningError};
use crate::domain::{Field, FieldErrors, FieldProblem, Role};
use crate::members::{self, MemberRow};
use crate::planning::rules::{check_return, check_self_service, check_undo, ChangeKind, ChangeState, RuleViolation};
use crate::planning::store as sp;
use crate::platform::audit::Audit;
use crate::platform::db::Tx;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

/// Self-service: a clinician takes an open place.
pub async fn take(state: &AppState, actor: &MemberRow, vacation_id: i64) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    check_self_service(sp::is_self_service(&mut tx, vacation_id).await?).map_err(PlanningError::Rule)?;
    state.store.lock_member(&mut tx, actor.id).await?;
    hold(&mut tx, actor.id, &v, None, now).await?;
    record_holding(state, tx, actor, actor.id, "vacation_taken", vacation_id, now).await
}

/// Remise au pot commun: the member gives the vacation back, before the notice period.
pub async fn return_to_pool(state: &AppState, actor: &MemberRow, vacation_id: i64) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    if !v.vacation.holders.contains(&actor.id) {
        return Err(PlanningError::NotFound);
    }
    let planning = sp::planning(&mut tx, v.vacation.planning_id).await?.ok_or(PlanningError::NotFound)?;
    check_return(&v.vacation.slot, Duration::hours(planning.notice_hours), now).map_err(PlanningError::Rule)?;
    release(&mut tx, vacation_id, actor.id, now).await?;
    record_holding(state, tx, actor, actor.id, "vacation_returned", vacation_id, now).await
}

/// Proposes a cession (to a named colleague, or to all when `to` is `None`) or an échange
/// (against the colleague's `counter` vacation).
pub async fn propose(
    state: &AppState,
    actor: &MemberRow,
    kind: ChangeKind,
    vacation_id: i64,
    to: Option<i64>,
    counter: Option<i64>,
) -> Result<i64, PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    if !v.vacation.holders.contains(&actor.id) {
        return Err(PlanningError::NotFound);
    }
    if v.vacation.slot.starts_at <= now {
        return Err(PlanningError::Rule(RuleViolation::Past));
    }
    let mut errors = FieldErrors::default();
    let (to, counter) = match kind {
        ChangeKind::Cession => (to, None),
        ChangeKind::Exchange => {
            let counter_row = match counter {
                Some(c) => sp::vacation(&mut tx, c).await?,
                None => None,
            };
            match counter_row
                .filter(|c| c.vacation.planning_id == v.vacation.planning_id && c.vacation.slot.starts_at > now)
            {
                Some(c) => {
                    let holder = to.filter(|t| c.vacation.holders.contains(t));
                    if holder.is_none() {
                        errors.add(Field::Counter, FieldProblem::UnknownChoice);
                    }
                    (holder, Some(c.vacation.id))
                }
                None => {
                    errors.add(Field::Counter, FieldProblem::Required);
                    (None, None)
                }
            }
        }
        ChangeKind::ReturnToPool | ChangeKind::Undo => return Err(PlanningError::UnknownKind),
    };
    if let Some(t) = to {
        let known = members::member(&mut tx, t).await?.is_some_and(|m| m.cpts_id == actor.cpts_id && m.id != actor.id);
        if !known {
            errors.add(Field::Colleague, FieldProblem::UnknownChoice);
        }
    }
    if !errors.is_empty() {
        return Err(PlanningError::Invalid(errors));
    }
    let id = sp::insert_change(&mut tx, kind, vacation_id, actor.id, to, counter, now).await?;
    if let Some(t) = to {
        let when = v.vacation.slot.starts_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m %H:%M").to_string();
        let text = || crate::i18n::t::propose(&actor.display_name, kind, &when, &v.planning_name);
        sp::insert_notification(&mut tx, t, text, now).await?;
    }
    Audit::by(actor, "change_proposed").subject(to).detail(serde_json::json!({ "change_id": id, "kind": kind.code(), "vacation_id": vacation_id, "counter_vacation_id": counter })).write(&mut tx, now).await?;
    tx.commit().await?;
    let mut events = vec![LiveEvent::vacations_of(actor.id)];
    match to {
        Some(t) => events.push(LiveEvent::vacations_of(t)),
        None => {
            let mut conn = state.store.reader().await?;
            for g in sp::groups(&mut conn, v.vacation.planning_id).await? {
                events.extend(g.members.iter().filter(|m| **m != actor.id).map(|m| LiveEvent::vacations_of(*m)));
            }
        }
    }
    state.announce(events).await;
    Ok(id)
}

/// The (first) member holding `vacation_id`: the colleague an échange against it asks.
///
/// # Errors
/// Only on a database failure.
pub async fn holder_of(state: &AppState, vacation_id: i64) -> Result<Option<i64>, PlanningError> {
    let mut conn = state.store.reader().await?;
    Ok(sp::vacation(&mut conn, vacation_id).await?.and_then(|v| v.vacation.holders.iter().next().copied()))
}

/// Accepts or declines a proposal. For a cession open to all, the first eligible colleague to
/// accept takes it. The rules are checked for both sides of an échange.
pub async fn answer(state: &AppState, actor: &MemberRow, change_id: i64, accept: bool) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let c = sp::change(&mut tx, change_id).await?.ok_or(PlanningError::NotFound)?;
    let addressed = c.to_member_id == Some(actor.id) || (c.to_member_id.is_none() && c.from_member_id != actor.id);
    if !addressed {
        return Err(PlanningError::NotFound);
    }
    let mut lock_ids = vec![c.vacation_id];
    lock_ids.extend(c.counter_vacation_id);
    state.store.lock_vacations(&mut tx, &lock_ids).await?;
    let from = members::member(&mut tx, c.from_member_id).await?.ok_or(PlanningError::NotFound)?;
    if from.cpts_id != actor.cpts_id {
        return Err(PlanningError::NotFound);
    }
    if c.state != ChangeState::Proposed {
        return Err(PlanningError::Conflict);
    }
    let mut members = [from.id, actor.id];
    members.sort_unstable();
    for m in members {
        state.store.lock_member(&mut tx, m).await?;
    }
    if accept && c.kind == ChangeKind::Undo {
        let original =
            sp::change(&mut tx, c.undo_of.ok_or(PlanningError::NotFound)?).await?.ok_or(PlanningError::NotFound)?;
        revert(state, &mut tx, &original, now).await?;
        if !sp::close_change(&mut tx, c.id, ChangeState::Accepted, actor.id, now).await? {
            return Err(PlanningError::Conflict);
        }
        return finish_answer(state, tx, actor, &from, &c, true, now).await;
    }
    if !accept {
        if c.to_member_id.is_none() {
            // An offer to all is not declined by one colleague: they simply do not take it.
            return Err(PlanningError::Forbidden);
        }
        sp::close_change(&mut tx, c.id, ChangeState::Declined, actor.id, now).await?;
    } else {
        let v = sp::vacation(&mut tx, c.vacation_id).await?.ok_or(PlanningError::NotFound)?;
        if !v.vacation.holders.contains(&from.id) {
            return Err(PlanningError::Conflict);
        }
        sp::unassign(&mut tx, v.vacation.id, from.id).await?;
        match c.counter_vacation_id {
            None => {
                let v = sp::vacation(&mut tx, c.vacation_id).await?.ok_or(PlanningError::NotFound)?;
                hold(&mut tx, actor.id, &v, None, now).await?;
            }
            Some(counter_id) => {
                let counter = sp::vacation(&mut tx, counter_id).await?.ok_or(PlanningError::NotFound)?;
                if !counter.vacation.holders.contains(&actor.id) {
                    return Err(PlanningError::Conflict);
                }
                sp::unassign(&mut tx, counter_id, actor.id).await?;
                let v = sp::vacation(&mut tx, c.vacation_id).await?.ok_or(PlanningError::NotFound)?;
                hold(&mut tx, actor.id, &v, Some(counter_id), now).await?;
                let counter = sp::vacation(&mut tx, counter_id).await?.ok_or(PlanningError::NotFound)?;
                hold(&mut tx, from.id, &counter, Some(c.vacation_id), now).await?;
            }
        }
        if !sp::close_change(&mut tx, c.id, ChangeState::Accepted, actor.id, now).await? {
            return Err(PlanningError::Conflict);
        }
        sp::cancel_changes_on(&mut tx, c.vacation_id, now).await?;
        if let Some(counter_id) = c.counter_vacation_id {
            sp::cancel_changes_on(&mut tx, counter_id, now).await?;
        }
    }
    finish_answer(state, tx, actor, &from, &c, accept, now).await
}

/// The end of an answer: notice to the proposer, audit, commit, live events.
async fn finish_answer(
    state: &AppState,
    mut tx: Tx,
    actor: &MemberRow,
    from: &MemberRow,
    c: &sp::ChangeRow,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<(), PlanningError> {
    let text = || crate::i18n::t::proposal_answered(&actor.display_name, accept, c.kind);
    sp::insert_notification(&mut tx, from.id, text, now).await?;
    Audit::by(actor, if accept { "change_accepted" } else { "change_declined" }).subject(from.id).detail(serde_json::json!({ "change_id": c.id, "kind": c.kind.code(), "vacation_id": c.vacation_id, "counter_vacation_id": c.counter_vacation_id })).write(&mut tx, now).await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::vacations_of(actor.id), LiveEvent::vacations_of(from.id)]).await;
    Ok(())
}

/// Puts an accepted change back: the vacation returns to the member who gave it (and for an
/// échange, the counter-vacation to the colleague), the rules checked again for both.
async fn revert(
    state: &AppState,
    tx: &mut AnyConnection,
    original: &sp::ChangeRow,
    now: DateTime<Utc>,
) -> Result<(), PlanningError> {
    let taker = original.answered_by.ok_or(PlanningError::Conflict)?;
    let giver = original.from_member_id;
    let mut lock_ids = vec![original.vacation_id];
    lock_ids.extend(original.counter_vacation_id);
    state.store.lock_vacations(tx, &lock_ids).await?;
    let mut members = [giver, taker];
    members.sort_unstable();
    for m in members {
        state.store.lock_member(tx, m).await?;
    }
    if !sp::mark_undone(tx, original.id).await? {
        return Err(PlanningError::Conflict);
    }
    if !sp::unassign(tx, original.vacation_id, taker).await? {
        return Err(PlanningError::Conflict);
    }
    match original.counter_vacation_id {
        None => {
            let v = sp::vacation(tx, original.vacation_id).await?.ok_or(PlanningError::NotFound)?;
            hold(tx, giver, &v, None, now).await?;
        }
        Some(counter) => {
            if !sp::unassign(tx, counter, giver).await? {
                return Err(PlanningError::Conflict);
            }
            let v = sp::vacation(tx, original.vacation_id).await?.ok_or(PlanningError::NotFound)?;
            hold(tx, giver, &v, Some(counter), now).await?;
            let c = sp::vacation(tx, counter).await?.ok_or(PlanningError::NotFound)?;
            hold(tx, taker, &c, Some(original.vacation_id), now).await?;
        }
    }
    Audit::new("change_undone").subject(giver).detail(serde_json::json!({ "change_id": original.id, "vacation_id": original.vacation_id, "counter_vacation_id": original.counter_vacation_id })).write(tx, now).await?;
    Ok(())
}

/// Undoes an accepted cession or échange. A member asks the other side (within the grace
/// period, before the vacations start); the admin undoes it at once, on the members' behalf.
/// Returns the undo proposal's id, or `None` when the admin undid it directly.
pub async fn undo(state: &AppState, actor: &MemberRow, change_id: i64) -> Result<Option<i64>, PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let original = sp::change(&mut tx, change_id).await?.ok_or(PlanningError::NotFound)?;
    let from = members::member(&mut tx, original.from_member_id).await?.ok_or(PlanningError::NotFound)?;
    if from.cpts_id != actor.cpts_id || !matches!(original.kind, ChangeKind::Cession | ChangeKind::Exchange) {
        return Err(PlanningError::NotFound);
    }
    if original.state != ChangeState::Accepted {
        return Err(PlanningError::Conflict);
    }
    let taker = original.answered_by.ok_or(PlanningError::Conflict)?;
    if actor.role == Role::Admin {
        revert(state, &mut tx, &original, now).await?;
        Audit::by(actor, "change_undone")
            .on_behalf_of(original.from_member_id)
            .detail(serde_json::json!({ "change_id": original.id, "by_admin": true }))
            .write(&mut tx, now)
            .await?;
        tx.commit().await?;
        state.announce(vec![LiveEvent::vacations_of(from.id), LiveEvent::vacations_of(taker)]).await;
        return Ok(None);
    }
    let other = if actor.id == from.id {
        taker
    } else if actor.id == taker {
        from.id
    } else {
        return Err(PlanningError::NotFound);
    };
    let mut starts = vec![
        sp::vacation(&mut tx, original.vacation_id).await?.ok_or(PlanningError::NotFound)?.vacation.slot.starts_at,
    ];
    if let Some(counter) = original.counter_vacation_id {
        starts.extend(sp::vacation(&mut tx, counter).await?.map(|v| v.vacation.slot.starts_at));
    }
    let first_start = starts.into_iter().min().unwrap_or(now);
    let accepted_at = original.answered_at.unwrap_or(original.created_at);
    check_undo(accepted_at, first_start, Duration::minutes(state.settings.undo_grace_minutes), now)
        .map_err(PlanningError::Rule)?;
    let id = sp::insert_undo(&mut tx, &original, actor.id, other, now).await?;
    let text = || crate::i18n::t::undo_asked(&actor.display_name, original.kind);
    sp::insert_notification(&mut tx, other, text, now).await?;
    Audit::by(actor, "change_proposed")
        .subject(other)
        .detail(serde_json::json!({ "change_id": id, "kind": "undo", "undo_of": original.id }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::vacations_of(actor.id), LiveEvent::vacations_of(other)]).await;
    Ok(Some(id))
}

/// Withdraws one's own proposal before it is answered.
pub async fn cancel(state: &AppState, actor: &MemberRow, change_id: i64) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let c = sp::change(&mut tx, change_id)
        .await?
        .filter(|c| c.from_member_id == actor.id)
        .ok_or(PlanningError::NotFound)?;
    if !sp::close_change(&mut tx, c.id, ChangeState::Cancelled, actor.id, now).await? {
        return Err(PlanningError::Conflict);
    }
    Audit::by(actor, "change_cancelled").detail(serde_json::json!({ "change_id": c.id })).write(&mut tx, now).await?;
    tx.commit().await?;
    let mut events = vec![LiveEvent::vacations_of(actor.id)];
    events.extend(c.to_member_id.map(LiveEvent::vacations_of));
    state.announce(events).await;
    Ok(())
}
