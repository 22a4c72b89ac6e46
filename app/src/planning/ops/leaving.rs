//! A member leaves (suspended or removed): their places in the coming vacations return to the
//! pool, they leave every group, their open proposals are cancelled, and the admins are told.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::PlanningError;
use crate::domain::Role;
use crate::members::{self, MemberRow};
use crate::platform::audit::Audit;
use crate::platform::db::ms;
use crate::platform::live::LiveEvent;

/// In the caller's transaction: returns the member's places in vacations not yet started to the
/// pool (each audited as `vacation_returned`), removes them from every planning group, cancels
/// the cessions and échanges they proposed or were asked, and notifies each admin of the CPTS
/// of the places to fill. Returns how many places were freed and the events to announce.
///
/// # Errors
/// On a database failure.
pub async fn release_member(
    tx: &mut AnyConnection,
    actor: &MemberRow,
    leaving: &MemberRow,
    now: DateTime<Utc>,
) -> Result<(usize, Vec<LiveEvent>), PlanningError> {
    let freed = sqlx::query(
        "delete from assignment where member_id = $1 and vacation_id in (select id from vacation where starts_at > $2) \
         returning vacation_id",
    )
    .bind(leaving.id)
    .bind(ms(now))
    .fetch_all(&mut *tx)
    .await?;
    let freed: Vec<i64> = freed.iter().map(|r| r.get("vacation_id")).collect();
    for vacation_id in &freed {
        Audit::by(actor, "vacation_returned")
            .subject(leaving.id)
            .detail(serde_json::json!({ "vacation_id": vacation_id, "reason": "member_left" }))
            .write(tx, now)
            .await?;
    }
    sqlx::query("delete from group_member where member_id = $1").bind(leaving.id).execute(&mut *tx).await?;
    let cancelled = sqlx::query(
        "update vacation_change set state = 'cancelled', answered_at = $2 \
         where state = 'proposed' and (from_member_id = $1 or to_member_id = $1) returning from_member_id, to_member_id",
    )
    .bind(leaving.id)
    .bind(ms(now))
    .fetch_all(&mut *tx)
    .await?;
    let mut events = vec![LiveEvent::vacations_of(leaving.id)];
    for r in &cancelled {
        for m in
            [r.get::<Option<i64>, _>("from_member_id"), r.get::<Option<i64>, _>("to_member_id")].into_iter().flatten()
        {
            if m != leaving.id {
                events.push(LiveEvent::vacations_of(m));
            }
        }
    }
    if !freed.is_empty() {
        let text = || crate::i18n::t::places_liberees(&leaving.display_name, freed.len());
        for admin in members::members(tx, leaving.cpts_id).await?.into_iter().filter(|m| m.role == Role::Admin) {
            super::sp::insert_notification(tx, admin.id, text, now).await?;
            events.push(LiveEvent::vacations_of(admin.id));
        }
    }
    Ok((freed.len(), events))
}
