//! [ssr] The operations on duty vacations. Each change runs in one transaction that locks the
//! vacations and members concerned, applies the rules to the state it reads under the lock,
//! writes the change and its audit event, and announces it to those concerned.
//!
//! The admin's work is in `admin`, a member's changes (take, return, cession, échange, undo)
//! in `changes`, the "Mes gardes" screen in `mine`.

mod admin;
mod changes;
mod leaving;
mod mine;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

pub use admin::{
    assign_for, create_group, create_planning, generate, planning_view, plannings, set_group_members, unassign_for,
};
pub use changes::{answer, cancel, holder_of, propose, return_to_pool, take, undo};
pub use leaving::release_member;
pub use mine::{my_vacations, regenerate_calendar};

use super::dto::VacationView;
use super::rules::{check_hold, RuleViolation, Slot};
use super::store::{self as sp, VacationRow};
use crate::domain::FieldErrors;
use crate::members::{self, MemberRow};
use crate::platform::audit::Audit;
use crate::platform::db::{StoreError, Tx};
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

/// What can go wrong in a planning operation.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("planning rule: {0}")]
    Rule(RuleViolation),
    #[error("changed by someone else")]
    Conflict,
    /// A change of a kind that has its own endpoint (return to the pool, undo).
    #[error("unknown kind of change")]
    UnknownKind,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(PlanningError);

async fn names(conn: &mut AnyConnection, cpts_id: i64) -> Result<HashMap<i64, String>, PlanningError> {
    Ok(members::members(conn, cpts_id).await?.into_iter().map(|m| (m.id, m.display_name)).collect())
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
) -> Result<sp::PlanningRow, PlanningError> {
    sp::planning(conn, planning_id).await?.filter(|p| p.cpts_id == cpts_id).ok_or(PlanningError::NotFound)
}

/// Checks, under the locks of the caller's transaction, that `member` may hold `vacation_id`
/// (giving up `leaving` in the same change), then records it.
async fn hold(
    tx: &mut AnyConnection,
    member_id: i64,
    target: &VacationRow,
    leaving: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), PlanningError> {
    let slot = target.vacation.slot;
    // Caps are per week and per month: the month around the vacation is all they need.
    let window = (slot.starts_at - Duration::days(38), slot.ends_at + Duration::days(38));
    let planning = sp::planning_vacations(tx, target.vacation.planning_id, window.0, window.1).await?;
    let planning: Vec<_> = planning.into_iter().map(|v| v.vacation).collect();
    let target = planning.iter().find(|v| v.id == target.vacation.id).cloned().ok_or(PlanningError::NotFound)?;
    let own_elsewhere: Vec<Slot> = sp::member_vacations(tx, member_id, window.0)
        .await?
        .into_iter()
        .filter(|v| v.vacation.planning_id != target.planning_id && Some(v.vacation.id) != leaving)
        .map(|v| v.vacation.slot)
        .collect();
    let rule = sp::member_rule(tx, target.planning_id, member_id).await?;
    check_hold(member_id, &target, &planning, &own_elsewhere, rule.as_ref(), leaving, now)
        .map_err(PlanningError::Rule)?;
    if !sp::assign(tx, target.id, member_id, now).await? {
        return Err(PlanningError::Rule(RuleViolation::AlreadyHolder));
    }
    Ok(())
}

async fn locked_vacation(
    state: &AppState,
    tx: &mut AnyConnection,
    id: i64,
    cpts_id: i64,
) -> Result<VacationRow, PlanningError> {
    state.store.lock_vacations(tx, &[id]).await?;
    let v = sp::vacation(tx, id).await?.ok_or(PlanningError::NotFound)?;
    planning_of_cpts(tx, v.vacation.planning_id, cpts_id).await?;
    Ok(v)
}

/// The end of a change to who holds a vacation: its audit event (naming the member acted for,
/// when the actor is someone else), the commit, and the live event to the member's devices.
async fn record_holding(
    state: &AppState,
    mut tx: Tx,
    actor: &MemberRow,
    member_id: i64,
    kind: &'static str,
    vacation_id: i64,
    now: DateTime<Utc>,
) -> Result<(), PlanningError> {
    Audit::by(actor, kind)
        .on_behalf_of((member_id != actor.id).then_some(member_id))
        .detail(serde_json::json!({ "vacation_id": vacation_id }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    state.announce(vec![LiveEvent::vacations_of(member_id)]).await;
    Ok(())
}

/// Takes a member off a vacation and cancels the proposals on it.
async fn release(
    tx: &mut AnyConnection,
    vacation_id: i64,
    member_id: i64,
    now: DateTime<Utc>,
) -> Result<(), PlanningError> {
    if !sp::unassign(tx, vacation_id, member_id).await? {
        return Err(PlanningError::NotFound);
    }
    sp::cancel_changes_on(tx, vacation_id, now).await?;
    Ok(())
}
