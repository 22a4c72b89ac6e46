//! [ssr] "Mes gardes": what a clinician sees of their vacations, and their calendar address.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::{names, view, PlanningError};
use crate::members::MemberRow;
use crate::planning::dto::*;
use crate::planning::store::{self as sp, ChangeRow, VacationRow};
use crate::platform::audit::Audit;
use crate::platform::AppState;

/// "Mes gardes": the member's vacations, the open places they may take, the proposals that
/// concern them, and what they need to propose one.
pub async fn my_vacations(state: &AppState, actor: &MemberRow) -> Result<MyVacations, PlanningError> {
    let now = state.now();
    let horizon = now + Duration::days(62);
    let mut conn = state.store.reader().await?;
    let names = names(&mut conn, actor.cpts_id).await?;
    let mine: Vec<VacationRow> = sp::member_vacations(&mut conn, actor.id, now).await?;
    let mut open = vec![];
    let mut colleagues: Vec<i64> = vec![];
    let mut colleague_vacations = vec![];
    // The plannings the member is in: only their colleagues see an offer to all.
    let mut my_plannings = HashSet::new();
    for p in sp::plannings(&mut conn, actor.cpts_id).await? {
        let groups = sp::groups(&mut conn, p.id).await?;
        if !groups.iter().any(|g| g.members.contains(&actor.id)) {
            continue;
        }
        my_plannings.insert(p.id);
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
    let grace = Duration::minutes(state.settings.undo_grace_minutes);
    let proposals = sp::open_changes_for(&mut conn, actor.id, actor.cpts_id).await?;
    let accepted = sp::recent_accepted_for(&mut conn, actor.id, now - grace).await?;
    // Every vacation the changes name, in one query.
    let ids: Vec<i64> = proposals
        .iter()
        .chain(&accepted)
        .flat_map(|c| std::iter::once(c.vacation_id).chain(c.counter_vacation_id))
        .collect();
    let vacations: HashMap<i64, VacationRow> =
        sp::vacations_by_ids(&mut conn, &ids).await?.into_iter().map(|v| (v.vacation.id, v)).collect();
    let changes = proposals
        .iter()
        .filter(|c| {
            // An offer to all: only colleagues of that planning see it.
            c.to_member_id.is_some()
                || c.from_member_id == actor.id
                || vacations.get(&c.vacation_id).is_some_and(|v| my_plannings.contains(&v.vacation.planning_id))
        })
        .filter_map(|c| change_view(c, &vacations, &names, c.to_member_id, c.created_at))
        .collect();
    // Accepted changes can be undone until their vacation starts.
    let recent = accepted
        .iter()
        .filter(|c| vacations.get(&c.vacation_id).is_some_and(|v| v.vacation.slot.starts_at > now))
        .filter_map(|c| change_view(c, &vacations, &names, c.answered_by, c.answered_at.unwrap_or(c.created_at)))
        .collect();
    let generation = sp::calendar_generation(&mut conn, actor.id).await?.unwrap_or_default();
    let calendar_path = crate::planning::calendar::feed_path(&state.settings.secret_key, actor.id, generation);
    let notifications = sp::notifications_of(&mut conn, actor.id).await?;
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
        this_monday: crate::planning::rules::weeks::monday_of(now),
    })
}

/// A change as the member's screen shows it; `None` when its vacation is gone.
fn change_view(
    c: &ChangeRow,
    vacations: &HashMap<i64, VacationRow>,
    names: &HashMap<i64, String>,
    to_member_id: Option<i64>,
    at: DateTime<Utc>,
) -> Option<ChangeView> {
    let vacation = view(vacations.get(&c.vacation_id)?, names);
    let counter = c.counter_vacation_id.and_then(|id| vacations.get(&id)).map(|v| view(v, names));
    Some(ChangeView {
        id: c.id,
        kind: c.kind,
        vacation,
        from_member_id: c.from_member_id,
        from_name: c.from_name.clone(),
        to_member_id,
        counter,
        created_at: at,
    })
}

/// A new calendar address (the old one stops working); returns its path.
pub async fn regenerate_calendar(state: &AppState, actor: &MemberRow) -> Result<String, PlanningError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let generation = sp::bump_calendar_generation(&mut tx, actor.id).await?;
    Audit::by(actor, "calendar_regenerated").write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(crate::planning::calendar::feed_path(&state.settings.secret_key, actor.id, generation))
}
