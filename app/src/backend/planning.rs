//! The operations on duty vacations. Each change runs in one transaction that locks the
//! vacations and members concerned, applies the domain's rules to the state it reads under the
//! lock, writes the change and its audit events, and announces it to those concerned.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::AnyConnection;

use super::dispatch::require_staff;
use super::live::LiveEvent;
use super::store::{self, Audit, MemberRow};
use super::store_planning::{self as sp, VacationRow};
use super::AppState;
use crate::api::dto::*;
use crate::api::error::AppError;
use crate::domain::planning::{
    check_hold, check_return, check_self_service, check_undo, generate_slots, ChangeKind, ChangeState, GenerateForm,
    GroupRule, RuleViolation, Slot, TemplateSlot, VacationKind,
};
use crate::domain::request::{Field, FieldErrors, FieldProblem};
use crate::domain::Role;

fn require_admin(m: &MemberRow) -> Result<(), AppError> {
    if m.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn names(conn: &mut AnyConnection, cpts_id: i64) -> Result<HashMap<i64, String>, AppError> {
    Ok(store::members(conn, cpts_id).await?.into_iter().map(|m| (m.id, m.display_name)).collect())
}

fn view(v: &VacationRow, names: &HashMap<i64, String>) -> VacationView {
    VacationView {
        id: v.vacation.id,
        planning_id: v.vacation.planning_id,
        planning_name: v.planning_name.clone(),
        kind: v.kind,
        starts_at: v.vacation.slot.starts_at,
        ends_at: v.vacation.slot.ends_at,
        capacity: v.vacation.capacity,
        holders: v.vacation.holders.iter().map(|id| (*id, names.get(id).cloned().unwrap_or_default())).collect(),
    }
}

async fn planning_of_cpts(
    conn: &mut AnyConnection,
    planning_id: i64,
    cpts_id: i64,
) -> Result<sp::PlanningRow, AppError> {
    sp::planning(conn, planning_id).await?.filter(|p| p.cpts_id == cpts_id).ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------- admin

pub async fn plannings(state: &AppState, actor: &MemberRow) -> Result<Vec<PlanningSummary>, AppError> {
    require_staff(actor)?;
    let mut conn = state.store.reader().await?;
    Ok(sp::plannings(&mut conn, actor.cpts_id)
        .await?
        .into_iter()
        .map(|p| PlanningSummary { id: p.id, name: p.name, notice_hours: p.notice_hours })
        .collect())
}

pub async fn create_planning(
    state: &AppState,
    actor: &MemberRow,
    name: &str,
    notice_hours: i64,
) -> Result<i64, AppError> {
    require_admin(actor)?;
    let name = name.trim();
    let mut errors = FieldErrors::default();
    if name.is_empty() {
        errors.add(Field::Name, FieldProblem::Required);
    } else if name.chars().count() > 80 {
        errors.add(Field::Name, FieldProblem::TooLong);
    }
    if !(0..=24 * 30).contains(&notice_hours) {
        errors.add(Field::NoticeHours, FieldProblem::OutOfRange);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let Some(id) = sp::create_planning(&mut tx, actor.cpts_id, name, notice_hours, now).await? else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Name, FieldProblem::Taken);
        return Err(AppError::Invalid(errors));
    };
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "planning_created",
            detail: serde_json::json!({ "planning_id": id, "name": name }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a group (territory, profession or structure) with its rule and members.
pub async fn create_group(
    state: &AppState,
    actor: &MemberRow,
    planning_id: i64,
    name: &str,
    dimension: &str,
    rule: GroupRule,
    member_ids: &[i64],
) -> Result<i64, AppError> {
    require_admin(actor)?;
    let now = state.now();
    let mut errors = FieldErrors::default();
    if name.trim().is_empty() {
        errors.add(Field::Name, FieldProblem::Required);
    }
    if !matches!(dimension, "territory" | "profession" | "structure") {
        errors.add(Field::Dimension, FieldProblem::UnknownChoice);
    }
    if rule.max_share_percent.is_some_and(|p| p == 0 || p > 100) {
        errors.add(Field::MaxShare, FieldProblem::OutOfRange);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    planning_of_cpts(&mut tx, planning_id, actor.cpts_id).await?;
    let clinicians: Vec<i64> = store::members(&mut tx, actor.cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Clinician)
        .map(|m| m.id)
        .collect();
    let Some(id) = sp::create_group(&mut tx, planning_id, name.trim(), dimension, &rule, now).await? else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Name, FieldProblem::Taken);
        return Err(AppError::Invalid(errors));
    };
    for m in member_ids.iter().filter(|m| clinicians.contains(m)) {
        sp::add_group_member(&mut tx, id, *m).await?;
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "group_created",
            detail: serde_json::json!({ "planning_id": planning_id, "group_id": id, "members": member_ids }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A generation request, checked.
struct Generation {
    kind: VacationKind,
    template: Vec<TemplateSlot>,
    from: NaiveDate,
    to: NaiveDate,
    capacity: u32,
    skip_holidays: bool,
    self_service: bool,
}

fn parse_generate(form: &GenerateForm) -> Result<Generation, AppError> {
    let mut errors = FieldErrors::default();
    let kind = VacationKind::parse(form.kind.trim());
    if kind.is_none() {
        errors.add(Field::Kind, FieldProblem::Required);
    }
    let weekdays: Vec<chrono::Weekday> = form
        .weekdays
        .iter()
        .filter_map(|d| d.trim().parse::<u8>().ok())
        .filter(|d| (1..=7).contains(d))
        .filter_map(|d| chrono::Weekday::try_from(d - 1).ok())
        .collect();
    if weekdays.is_empty() {
        errors.add(Field::Weekdays, FieldProblem::Required);
    }
    let ranges: Option<Vec<(chrono::NaiveTime, chrono::NaiveTime)>> = form
        .hours
        .split(',')
        .map(|r| {
            let (a, b) = r.trim().split_once('-')?;
            let t = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
            Some((t(a)?, t(b)?)).filter(|(a, b)| a != b)
        })
        .collect();
    let ranges = ranges.filter(|r| !r.is_empty());
    if ranges.is_none() {
        errors.add(Field::Hours, FieldProblem::InvalidTimeRange);
    }
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let (from, to) = (date(&form.from), date(&form.to));
    if from.is_none() {
        errors.add(Field::From, FieldProblem::InvalidDate);
    }
    if to.is_none() {
        errors.add(Field::To, FieldProblem::InvalidDate);
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f || (t - f).num_days() > 366 {
            errors.add(Field::To, FieldProblem::OutOfRange);
        }
    }
    let capacity = form.capacity.trim().parse::<u32>().ok().filter(|c| (1..=50).contains(c));
    if capacity.is_none() {
        errors.add(Field::Capacity, FieldProblem::OutOfRange);
    }
    match (kind, ranges, from, to, capacity) {
        (Some(kind), Some(ranges), Some(from), Some(to), Some(capacity)) if errors.is_empty() => {
            let template = weekdays
                .iter()
                .flat_map(|w| {
                    ranges.iter().map(move |(start, end)| TemplateSlot { weekday: *w, start: *start, end: *end })
                })
                .collect();
            Ok(Generation {
                kind,
                template,
                from,
                to,
                capacity,
                skip_holidays: form.skip_holidays == "on",
                self_service: form.self_service == "on",
            })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Creates the vacations of a weekly template over a date range.
pub async fn generate(
    state: &AppState,
    actor: &MemberRow,
    planning_id: i64,
    form: &GenerateForm,
) -> Result<usize, AppError> {
    require_admin(actor)?;
    let Generation { kind, template, from, to, capacity, skip_holidays, self_service } = parse_generate(form)?;
    let now = state.now();
    let slots = generate_slots(&template, from, to, skip_holidays);
    let mut tx = state.store.begin().await?;
    planning_of_cpts(&mut tx, planning_id, actor.cpts_id).await?;
    for slot in &slots {
        sp::insert_vacation_with(&mut tx, planning_id, kind, *slot, capacity, self_service, now).await?;
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "vacations_generated",
            detail: serde_json::json!({ "planning_id": planning_id, "count": slots.len(), "from": from, "to": to, "kind": kind.code() }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(slots.len())
}

pub async fn planning_view(
    state: &AppState,
    actor: &MemberRow,
    planning_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<PlanningView, AppError> {
    require_staff(actor)?;
    let mut conn = state.store.reader().await?;
    let p = planning_of_cpts(&mut conn, planning_id, actor.cpts_id).await?;
    let names = names(&mut conn, actor.cpts_id).await?;
    let vacations = sp::planning_vacations(&mut conn, planning_id, from, to).await?;
    let gaps = crate::domain::planning::gaps(&vacations.iter().map(|v| v.vacation.clone()).collect::<Vec<_>>())
        .iter()
        .map(|(_, n)| n)
        .sum();
    let groups = sp::groups(&mut conn, planning_id)
        .await?
        .into_iter()
        .map(|g| GroupView {
            id: g.id,
            name: g.name,
            dimension: g.dimension,
            rule: g.rule,
            members: g.members.iter().map(|m| (*m, names.get(m).cloned().unwrap_or_default())).collect(),
        })
        .collect();
    let clinicians = store::members(&mut conn, actor.cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Clinician)
        .map(|m| (m.id, m.display_name, m.profession))
        .collect();
    let counts = sp::held_counts(&mut conn, planning_id, from, to).await?.into_iter().map(|(_, n, c)| (n, c)).collect();
    Ok(PlanningView {
        planning: PlanningSummary { id: p.id, name: p.name, notice_hours: p.notice_hours },
        groups,
        vacations: vacations.iter().map(|v| view(v, &names)).collect(),
        gaps,
        clinicians,
        counts,
    })
}

// ---------------------------------------------------------------- holding a vacation

/// Checks, under the locks of the caller's transaction, that `member` may hold `vacation_id`
/// (giving up `leaving` in the same change), then records it.
async fn hold(
    tx: &mut AnyConnection,
    member_id: i64,
    target: &VacationRow,
    leaving: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let slot = target.vacation.slot;
    // Caps are per week and per month: the month around the vacation is all they need.
    let window = (slot.starts_at - Duration::days(38), slot.ends_at + Duration::days(38));
    let planning = sp::planning_vacations(tx, target.vacation.planning_id, window.0, window.1).await?;
    let planning: Vec<_> = planning.into_iter().map(|v| v.vacation).collect();
    let target = planning.iter().find(|v| v.id == target.vacation.id).cloned().ok_or(AppError::NotFound)?;
    let own_elsewhere: Vec<Slot> = sp::member_vacations(tx, member_id, window.0)
        .await?
        .into_iter()
        .filter(|v| v.vacation.planning_id != target.planning_id && Some(v.vacation.id) != leaving)
        .map(|v| v.vacation.slot)
        .collect();
    let rule = sp::member_rule(tx, target.planning_id, member_id).await?;
    check_hold(member_id, &target, &planning, &own_elsewhere, rule.as_ref(), leaving, now).map_err(AppError::Rule)?;
    if !sp::assign(tx, target.id, member_id, now).await? {
        return Err(AppError::Rule(RuleViolation::AlreadyHolder));
    }
    Ok(())
}

async fn locked_vacation(
    state: &AppState,
    tx: &mut AnyConnection,
    id: i64,
    cpts_id: i64,
) -> Result<VacationRow, AppError> {
    state.store.lock_vacations(tx, &[id]).await?;
    let v = sp::vacation(tx, id).await?.ok_or(AppError::NotFound)?;
    planning_of_cpts(tx, v.vacation.planning_id, cpts_id).await?;
    Ok(v)
}

/// The end of a change to who holds a vacation: its audit event (naming the member acted for,
/// when the actor is someone else), the commit, and the live event to the member's devices.
async fn record_holding(
    state: &AppState,
    mut tx: store::Tx,
    actor: &MemberRow,
    member_id: i64,
    kind: &'static str,
    vacation_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            on_behalf_of: (member_id != actor.id).then_some(member_id),
            kind,
            detail: serde_json::json!({ "vacation_id": vacation_id }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::vacations_of(member_id)]).await;
    Ok(())
}

/// Takes a member off a vacation and cancels the proposals on it.
async fn release(tx: &mut AnyConnection, vacation_id: i64, member_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    if !sp::unassign(tx, vacation_id, member_id).await? {
        return Err(AppError::NotFound);
    }
    sp::cancel_changes_on(tx, vacation_id, now).await?;
    Ok(())
}

/// Self-service: a clinician takes an open place.
pub async fn take(state: &AppState, actor: &MemberRow, vacation_id: i64) -> Result<(), AppError> {
    if actor.role != Role::Clinician {
        return Err(AppError::Forbidden);
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    check_self_service(sp::is_self_service(&mut tx, vacation_id).await?).map_err(AppError::Rule)?;
    state.store.lock_member(&mut tx, actor.id).await?;
    hold(&mut tx, actor.id, &v, None, now).await?;
    record_holding(state, tx, actor, actor.id, "vacation_taken", vacation_id, now).await
}

/// The admin gives a vacation to a member, on their behalf (the rules still apply).
pub async fn assign_for(state: &AppState, actor: &MemberRow, vacation_id: i64, member_id: i64) -> Result<(), AppError> {
    require_admin(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    let member =
        store::member(&mut tx, member_id).await?.filter(|m| m.cpts_id == actor.cpts_id).ok_or(AppError::NotFound)?;
    state.store.lock_member(&mut tx, member.id).await?;
    hold(&mut tx, member.id, &v, None, now).await?;
    record_holding(state, tx, actor, member.id, "vacation_assigned", vacation_id, now).await
}

/// Replaces a group's members (admin).
pub async fn set_group_members(
    state: &AppState,
    actor: &MemberRow,
    group_id: i64,
    member_ids: &[i64],
) -> Result<(), AppError> {
    require_admin(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let planning_id = sp::group_planning(&mut tx, group_id).await?.ok_or(AppError::NotFound)?;
    planning_of_cpts(&mut tx, planning_id, actor.cpts_id).await?;
    let clinicians: Vec<i64> = store::members(&mut tx, actor.cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Clinician)
        .map(|m| m.id)
        .collect();
    sp::clear_group_members(&mut tx, group_id).await?;
    let kept: Vec<i64> = member_ids.iter().copied().filter(|m| clinicians.contains(m)).collect();
    for m in &kept {
        sp::add_group_member(&mut tx, group_id, *m).await?;
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "group_members_set",
            detail: serde_json::json!({ "group_id": group_id, "members": kept }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The admin takes a member off a vacation, on their behalf (e.g. a return after the notice
/// period): the place opens again and proposals on it are cancelled.
pub async fn unassign_for(
    state: &AppState,
    actor: &MemberRow,
    vacation_id: i64,
    member_id: i64,
) -> Result<(), AppError> {
    require_admin(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    if !v.vacation.holders.contains(&member_id) {
        return Err(AppError::NotFound);
    }
    release(&mut tx, vacation_id, member_id, now).await?;
    record_holding(state, tx, actor, member_id, "vacation_returned", vacation_id, now).await
}

/// Remise au pot commun: the member gives the vacation back, before the notice period.
pub async fn return_to_pool(state: &AppState, actor: &MemberRow, vacation_id: i64) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    if !v.vacation.holders.contains(&actor.id) {
        return Err(AppError::NotFound);
    }
    let planning = sp::planning(&mut tx, v.vacation.planning_id).await?.ok_or(AppError::NotFound)?;
    check_return(&v.vacation.slot, Duration::hours(planning.notice_hours), now).map_err(AppError::Rule)?;
    release(&mut tx, vacation_id, actor.id, now).await?;
    record_holding(state, tx, actor, actor.id, "vacation_returned", vacation_id, now).await
}

// ---------------------------------------------------------------- cession and échange

/// Proposes a cession (to a named colleague, or to all when `to` is `None`) or an échange
/// (against the colleague's `counter` vacation).
pub async fn propose(
    state: &AppState,
    actor: &MemberRow,
    kind: ChangeKind,
    vacation_id: i64,
    to: Option<i64>,
    counter: Option<i64>,
) -> Result<i64, AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    if !v.vacation.holders.contains(&actor.id) {
        return Err(AppError::NotFound);
    }
    if v.vacation.slot.starts_at <= now {
        return Err(AppError::Rule(RuleViolation::Past));
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
        ChangeKind::ReturnToPool | ChangeKind::Undo => {
            return Err(AppError::Request("use vacations/return or vacations/undo".into()))
        }
    };
    if let Some(t) = to {
        let known = store::member(&mut tx, t).await?.is_some_and(|m| m.cpts_id == actor.cpts_id && m.id != actor.id);
        if !known {
            errors.add(Field::Colleague, FieldProblem::UnknownChoice);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let id = sp::insert_change(&mut tx, kind, vacation_id, actor.id, to, counter, now).await?;
    if let Some(t) = to {
        let when = v.vacation.slot.starts_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m %H:%M");
        let text = format!(
            "{} vous propose : {} de sa vacation du {when} ({}).",
            actor.display_name,
            crate::i18n::t::change_kind(kind),
            v.planning_name
        );
        sp::insert_notification(&mut tx, t, &text, now).await?;
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            subject_id: to,
            kind: "change_proposed",
            detail: serde_json::json!({ "change_id": id, "kind": kind.code(), "vacation_id": vacation_id, "counter_vacation_id": counter }),
            ..Audit::default()
        },
    )
    .await?;
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

/// Accepts or declines a proposal. For a cession open to all, the first eligible colleague to
/// accept takes it. The rules are checked for both sides of an échange.
pub async fn answer(state: &AppState, actor: &MemberRow, change_id: i64, accept: bool) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let c = sp::change(&mut tx, change_id).await?.ok_or(AppError::NotFound)?;
    let addressed = c.to_member_id == Some(actor.id) || (c.to_member_id.is_none() && c.from_member_id != actor.id);
    if !addressed {
        return Err(AppError::NotFound);
    }
    let mut lock_ids = vec![c.vacation_id];
    lock_ids.extend(c.counter_vacation_id);
    state.store.lock_vacations(&mut tx, &lock_ids).await?;
    let from = store::member(&mut tx, c.from_member_id).await?.ok_or(AppError::NotFound)?;
    if from.cpts_id != actor.cpts_id {
        return Err(AppError::NotFound);
    }
    if c.state != ChangeState::Proposed {
        return Err(AppError::Conflict);
    }
    let mut members = [from.id, actor.id];
    members.sort_unstable();
    for m in members {
        state.store.lock_member(&mut tx, m).await?;
    }
    if accept && c.kind == ChangeKind::Undo {
        let original = sp::change(&mut tx, c.undo_of.ok_or(AppError::NotFound)?).await?.ok_or(AppError::NotFound)?;
        revert(state, &mut tx, &original, now).await?;
        if !sp::close_change(&mut tx, c.id, ChangeState::Accepted, actor.id, now).await? {
            return Err(AppError::Conflict);
        }
        return finish_answer(state, tx, actor, &from, &c, true, now).await;
    }
    if !accept {
        if c.to_member_id.is_none() {
            // An offer to all is not declined by one colleague: they simply do not take it.
            return Err(AppError::Forbidden);
        }
        sp::close_change(&mut tx, c.id, ChangeState::Declined, actor.id, now).await?;
    } else {
        let v = sp::vacation(&mut tx, c.vacation_id).await?.ok_or(AppError::NotFound)?;
        if !v.vacation.holders.contains(&from.id) {
            return Err(AppError::Conflict);
        }
        sp::unassign(&mut tx, v.vacation.id, from.id).await?;
        match c.counter_vacation_id {
            None => {
                let v = sp::vacation(&mut tx, c.vacation_id).await?.ok_or(AppError::NotFound)?;
                hold(&mut tx, actor.id, &v, None, now).await?;
            }
            Some(counter_id) => {
                let counter = sp::vacation(&mut tx, counter_id).await?.ok_or(AppError::NotFound)?;
                if !counter.vacation.holders.contains(&actor.id) {
                    return Err(AppError::Conflict);
                }
                sp::unassign(&mut tx, counter_id, actor.id).await?;
                let v = sp::vacation(&mut tx, c.vacation_id).await?.ok_or(AppError::NotFound)?;
                hold(&mut tx, actor.id, &v, Some(counter_id), now).await?;
                let counter = sp::vacation(&mut tx, counter_id).await?.ok_or(AppError::NotFound)?;
                hold(&mut tx, from.id, &counter, Some(c.vacation_id), now).await?;
            }
        }
        if !sp::close_change(&mut tx, c.id, ChangeState::Accepted, actor.id, now).await? {
            return Err(AppError::Conflict);
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
    mut tx: store::Tx,
    actor: &MemberRow,
    from: &MemberRow,
    c: &sp::ChangeRow,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let verdict = if accept { "accepté" } else { "refusé" };
    let text =
        format!("{} a {verdict} votre proposition ({}).", actor.display_name, crate::i18n::t::change_kind(c.kind));
    sp::insert_notification(&mut tx, from.id, &text, now).await?;
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            subject_id: Some(from.id),
            kind: if accept { "change_accepted" } else { "change_declined" },
            detail: serde_json::json!({ "change_id": c.id, "kind": c.kind.code(), "vacation_id": c.vacation_id, "counter_vacation_id": c.counter_vacation_id }),
            ..Audit::default()
        },
    )
    .await?;
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
) -> Result<(), AppError> {
    let taker = original.answered_by.ok_or(AppError::Conflict)?;
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
        return Err(AppError::Conflict);
    }
    if !sp::unassign(tx, original.vacation_id, taker).await? {
        return Err(AppError::Conflict);
    }
    match original.counter_vacation_id {
        None => {
            let v = sp::vacation(tx, original.vacation_id).await?.ok_or(AppError::NotFound)?;
            hold(tx, giver, &v, None, now).await?;
        }
        Some(counter) => {
            if !sp::unassign(tx, counter, giver).await? {
                return Err(AppError::Conflict);
            }
            let v = sp::vacation(tx, original.vacation_id).await?.ok_or(AppError::NotFound)?;
            hold(tx, giver, &v, Some(counter), now).await?;
            let c = sp::vacation(tx, counter).await?.ok_or(AppError::NotFound)?;
            hold(tx, taker, &c, Some(original.vacation_id), now).await?;
        }
    }
    store::audit(
        tx,
        now,
        Audit {
            kind: "change_undone",
            subject_id: Some(giver),
            detail: serde_json::json!({ "change_id": original.id, "vacation_id": original.vacation_id, "counter_vacation_id": original.counter_vacation_id }),
            ..Audit::default()
        },
    )
    .await?;
    Ok(())
}

/// Undoes an accepted cession or échange. A member asks the other side (within the grace
/// period, before the vacations start); the admin undoes it at once, on the members' behalf.
/// Returns the undo proposal's id, or `None` when the admin undid it directly.
pub async fn undo(state: &AppState, actor: &MemberRow, change_id: i64) -> Result<Option<i64>, AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let original = sp::change(&mut tx, change_id).await?.ok_or(AppError::NotFound)?;
    let from = store::member(&mut tx, original.from_member_id).await?.ok_or(AppError::NotFound)?;
    if from.cpts_id != actor.cpts_id || !matches!(original.kind, ChangeKind::Cession | ChangeKind::Exchange) {
        return Err(AppError::NotFound);
    }
    if original.state != ChangeState::Accepted {
        return Err(AppError::Conflict);
    }
    let taker = original.answered_by.ok_or(AppError::Conflict)?;
    if actor.role == Role::Admin {
        revert(state, &mut tx, &original, now).await?;
        store::audit(
            &mut tx,
            now,
            Audit {
                cpts_id: Some(actor.cpts_id),
                actor_id: Some(actor.id),
                on_behalf_of: Some(original.from_member_id),
                kind: "change_undone",
                detail: serde_json::json!({ "change_id": original.id, "by_admin": true }),
                ..Audit::default()
            },
        )
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
        return Err(AppError::NotFound);
    };
    let mut starts =
        vec![sp::vacation(&mut tx, original.vacation_id).await?.ok_or(AppError::NotFound)?.vacation.slot.starts_at];
    if let Some(counter) = original.counter_vacation_id {
        starts.extend(sp::vacation(&mut tx, counter).await?.map(|v| v.vacation.slot.starts_at));
    }
    let first_start = starts.into_iter().min().unwrap_or(now);
    let accepted_at = original.answered_at.unwrap_or(original.created_at);
    check_undo(accepted_at, first_start, Duration::minutes(state.settings.undo_grace_minutes), now)
        .map_err(AppError::Rule)?;
    let id = sp::insert_undo(&mut tx, &original, actor.id, other, now).await?;
    let text = format!(
        "{} demande d'annuler votre {} récent·e.",
        actor.display_name,
        crate::i18n::t::change_kind(original.kind).to_lowercase()
    );
    sp::insert_notification(&mut tx, other, &text, now).await?;
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            subject_id: Some(other),
            kind: "change_proposed",
            detail: serde_json::json!({ "change_id": id, "kind": "undo", "undo_of": original.id }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::vacations_of(actor.id), LiveEvent::vacations_of(other)]).await;
    Ok(Some(id))
}

/// Withdraws one's own proposal before it is answered.
pub async fn cancel(state: &AppState, actor: &MemberRow, change_id: i64) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let c = sp::change(&mut tx, change_id).await?.filter(|c| c.from_member_id == actor.id).ok_or(AppError::NotFound)?;
    if !sp::close_change(&mut tx, c.id, ChangeState::Cancelled, actor.id, now).await? {
        return Err(AppError::Conflict);
    }
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "change_cancelled",
            detail: serde_json::json!({ "change_id": c.id }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    let mut events = vec![LiveEvent::vacations_of(actor.id)];
    events.extend(c.to_member_id.map(LiveEvent::vacations_of));
    state.announce(events).await;
    Ok(())
}

/// "Mes gardes": the member's vacations, the open places they may take, the proposals that
/// concern them, and what they need to propose one.
pub async fn my_vacations(state: &AppState, actor: &MemberRow) -> Result<MyVacations, AppError> {
    if actor.role != Role::Clinician {
        return Err(AppError::Forbidden);
    }
    let now = state.now();
    let horizon = now + Duration::days(62);
    let mut conn = state.store.reader().await?;
    let names = names(&mut conn, actor.cpts_id).await?;
    let mine: Vec<VacationRow> = sp::member_vacations(&mut conn, actor.id, now).await?;
    let mut open = vec![];
    let mut colleagues: Vec<i64> = vec![];
    let mut colleague_vacations = vec![];
    for p in sp::plannings(&mut conn, actor.cpts_id).await? {
        let groups = sp::groups(&mut conn, p.id).await?;
        if !groups.iter().any(|g| g.members.contains(&actor.id)) {
            continue;
        }
        for g in &groups {
            colleagues.extend(g.members.iter().filter(|m| **m != actor.id));
        }
        for v in sp::planning_vacations(&mut conn, p.id, now, horizon).await? {
            if v.vacation.slot.starts_at <= now {
                continue;
            }
            if (v.vacation.holders.len() as u32) < v.vacation.capacity && !v.vacation.holders.contains(&actor.id) {
                open.push(view(&v, &names));
            }
            if !v.vacation.holders.is_empty() && !v.vacation.holders.contains(&actor.id) {
                colleague_vacations.push(view(&v, &names));
            }
        }
    }
    colleagues.sort_unstable();
    colleagues.dedup();
    let mut changes = vec![];
    for c in sp::open_changes_for(&mut conn, actor.id, actor.cpts_id).await? {
        let Some(v) = sp::vacation(&mut conn, c.vacation_id).await? else { continue };
        if c.to_member_id.is_none() && c.from_member_id != actor.id {
            // An offer to all: only colleagues of that planning see it.
            let in_planning =
                sp::groups(&mut conn, v.vacation.planning_id).await?.iter().any(|g| g.members.contains(&actor.id));
            if !in_planning {
                continue;
            }
        }
        let counter = match c.counter_vacation_id {
            Some(id) => sp::vacation(&mut conn, id).await?.map(|v| view(&v, &names)),
            None => None,
        };
        changes.push(ChangeView {
            id: c.id,
            kind: c.kind,
            vacation: view(&v, &names),
            from_member_id: c.from_member_id,
            from_name: c.from_name,
            to_member_id: c.to_member_id,
            counter,
            created_at: c.created_at,
        });
    }
    let generation = sp::calendar_generation(&mut conn, actor.id).await?.unwrap_or_default();
    let calendar_path = super::calendar::feed_path(&state.settings.secret_key, actor.id, generation);
    let notifications = sp::notifications_of(&mut conn, actor.id).await?;
    let grace = Duration::minutes(state.settings.undo_grace_minutes);
    let mut recent = vec![];
    for c in sp::recent_accepted_for(&mut conn, actor.id, now - grace).await? {
        let Some(v) = sp::vacation(&mut conn, c.vacation_id).await? else { continue };
        if v.vacation.slot.starts_at <= now {
            continue;
        }
        let counter = match c.counter_vacation_id {
            Some(id) => sp::vacation(&mut conn, id).await?.map(|v| view(&v, &names)),
            None => None,
        };
        recent.push(ChangeView {
            id: c.id,
            kind: c.kind,
            vacation: view(&v, &names),
            from_member_id: c.from_member_id,
            from_name: c.from_name,
            to_member_id: c.answered_by,
            counter,
            created_at: c.answered_at.unwrap_or(c.created_at),
        });
    }
    Ok(MyVacations {
        recent,
        calendar_path,
        notifications,
        me: actor.id,
        mine: mine.iter().map(|v| view(v, &names)).collect(),
        open,
        changes,
        colleagues: colleagues.into_iter().map(|id| (id, names.get(&id).cloned().unwrap_or_default())).collect(),
        colleague_vacations,
    })
}

/// A new calendar address (the old one stops working); returns its path.
pub async fn regenerate_calendar(state: &AppState, actor: &MemberRow) -> Result<String, AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let generation = sp::bump_calendar_generation(&mut tx, actor.id).await?;
    store::audit(
        &mut tx,
        now,
        Audit {
            cpts_id: Some(actor.cpts_id),
            actor_id: Some(actor.id),
            kind: "calendar_regenerated",
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(super::calendar::feed_path(&state.settings.secret_key, actor.id, generation))
}
