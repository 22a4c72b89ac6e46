//! [ssr] The admin's work on plannings: create them and their groups, generate vacations, view
//! the grid, assign or take off a member on their behalf.

use chrono::{DateTime, NaiveDate, Utc};

use super::{hold, locked_vacation, names, planning_of_cpts, record_holding, release, view, PlanningError};
use crate::domain::fields::has_forbidden_chars;
use crate::domain::{Field, FieldErrors, FieldProblem, Role};
use crate::members::{self, MemberRow};
use crate::planning::dto::*;
use crate::planning::rules::{generate_slots, GenerateForm, TemplateSlot};
use crate::planning::store as sp;
use crate::platform::audit::Audit;
use crate::platform::AppState;

pub async fn plannings(state: &AppState, actor: &MemberRow) -> Result<Vec<PlanningSummary>, PlanningError> {
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
) -> Result<i64, PlanningError> {
    let name = name.trim();
    let mut errors = FieldErrors::default();
    if name.is_empty() {
        errors.add(Field::Name, FieldProblem::Required);
    } else if name.chars().count() > 80 {
        errors.add(Field::Name, FieldProblem::TooLong);
    } else if has_forbidden_chars(name, false) {
        errors.add(Field::Name, FieldProblem::InvalidCharacters);
    }
    if !(0..=24 * 30).contains(&notice_hours) {
        errors.add(Field::NoticeHours, FieldProblem::OutOfRange);
    }
    if !errors.is_empty() {
        return Err(PlanningError::Invalid(errors));
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let Some(id) = sp::create_planning(&mut tx, actor.cpts_id, name, notice_hours, now).await? else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Name, FieldProblem::Taken);
        return Err(PlanningError::Invalid(errors));
    };
    Audit::by(actor, "planning_created")
        .detail(serde_json::json!({ "planning_id": id, "name": name }))
        .write(&mut tx, now)
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
) -> Result<i64, PlanningError> {
    let now = state.now();
    let mut errors = FieldErrors::default();
    if name.trim().is_empty() {
        errors.add(Field::Name, FieldProblem::Required);
    } else if name.chars().count() > 80 {
        errors.add(Field::Name, FieldProblem::TooLong);
    } else if has_forbidden_chars(name, false) {
        errors.add(Field::Name, FieldProblem::InvalidCharacters);
    }
    if !matches!(dimension, "territory" | "profession" | "structure") {
        errors.add(Field::Dimension, FieldProblem::UnknownChoice);
    }
    if rule.max_share_percent.is_some_and(|p| p == 0 || p > 100) {
        errors.add(Field::MaxShare, FieldProblem::OutOfRange);
    }
    if !errors.is_empty() {
        return Err(PlanningError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    planning_of_cpts(&mut tx, planning_id, actor.cpts_id).await?;
    let clinicians = members::clinician_ids(&mut tx, actor.cpts_id).await?;
    let Some(id) = sp::create_group(&mut tx, planning_id, name.trim(), dimension, &rule, now).await? else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Name, FieldProblem::Taken);
        return Err(PlanningError::Invalid(errors));
    };
    for m in member_ids.iter().filter(|m| clinicians.contains(m)) {
        sp::add_group_member(&mut tx, id, *m).await?;
    }
    Audit::by(actor, "group_created")
        .detail(serde_json::json!({ "planning_id": planning_id, "group_id": id, "members": member_ids }))
        .write(&mut tx, now)
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

fn parse_generate(form: &GenerateForm) -> Result<Generation, PlanningError> {
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
        _ => Err(PlanningError::Invalid(errors)),
    }
}

/// Creates the vacations of a weekly template over a date range.
pub async fn generate(
    state: &AppState,
    actor: &MemberRow,
    planning_id: i64,
    form: &GenerateForm,
) -> Result<usize, PlanningError> {
    let Generation { kind, template, from, to, capacity, skip_holidays, self_service } = parse_generate(form)?;
    let now = state.now();
    let slots = generate_slots(&template, from, to, skip_holidays);
    let mut tx = state.store.begin().await?;
    planning_of_cpts(&mut tx, planning_id, actor.cpts_id).await?;
    for slot in &slots {
        sp::insert_vacation_with(&mut tx, planning_id, kind, *slot, capacity, self_service, now).await?;
    }
    Audit::by(actor, "vacations_generated").detail(serde_json::json!({ "planning_id": planning_id, "count": slots.len(), "from": from, "to": to, "kind": kind.code() })).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(slots.len())
}

pub async fn planning_view(
    state: &AppState,
    actor: &MemberRow,
    planning_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<PlanningView, PlanningError> {
    let mut conn = state.store.reader().await?;
    let p = planning_of_cpts(&mut conn, planning_id, actor.cpts_id).await?;
    let names = names(&mut conn, actor.cpts_id).await?;
    let vacations = sp::planning_vacations(&mut conn, planning_id, from, to).await?;
    let gaps = crate::planning::rules::gaps(&vacations.iter().map(|v| v.vacation.clone()).collect::<Vec<_>>())
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
    let clinicians = members::members(&mut conn, actor.cpts_id)
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

/// The admin gives a vacation to a member, on their behalf (the rules still apply).
pub async fn assign_for(
    state: &AppState,
    actor: &MemberRow,
    vacation_id: i64,
    member_id: i64,
) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    let member = members::member(&mut tx, member_id)
        .await?
        .filter(|m| m.cpts_id == actor.cpts_id)
        .ok_or(PlanningError::NotFound)?;
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
) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let planning_id = sp::group_planning(&mut tx, group_id).await?.ok_or(PlanningError::NotFound)?;
    planning_of_cpts(&mut tx, planning_id, actor.cpts_id).await?;
    let clinicians = members::clinician_ids(&mut tx, actor.cpts_id).await?;
    sp::clear_group_members(&mut tx, group_id).await?;
    let kept: Vec<i64> = member_ids.iter().copied().filter(|m| clinicians.contains(m)).collect();
    for m in &kept {
        sp::add_group_member(&mut tx, group_id, *m).await?;
    }
    Audit::by(actor, "group_members_set")
        .detail(serde_json::json!({ "group_id": group_id, "members": kept }))
        .write(&mut tx, now)
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
) -> Result<(), PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let v = locked_vacation(state, &mut tx, vacation_id, actor.cpts_id).await?;
    if !v.vacation.holders.contains(&member_id) {
        return Err(PlanningError::NotFound);
    }
    release(&mut tx, vacation_id, member_id, now).await?;
    record_holding(state, tx, actor, member_id, "vacation_returned", vacation_id, now).await
}
