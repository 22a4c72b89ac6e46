//! [ssr] The admin's decisions about a member: suspend (they may not log in; reinstated later),
//! remove (they leave the CPTS; their history stays), reinstate.

use super::MembersError;
use crate::members::dto::{ListedMember, MembersOverview};
use crate::members::rules::MemberStatus;
use crate::members::store::{self, MemberRow};
use crate::platform::audit::Audit;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

/// The members' page: every member (active and suspended), the open invitations, the communes.
///
/// # Errors
/// On a database failure.
pub async fn members_page(state: &AppState, admin: &MemberRow) -> Result<MembersOverview, MembersError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let members = store::listed_members(&mut conn, admin.cpts_id)
        .await?
        .into_iter()
        .map(|l| ListedMember {
            id: l.member.id,
            name: l.member.display_name,
            email: l.member.email,
            role: l.member.role,
            profession: l.member.profession,
            rpps: l.rpps,
            commune: l.member.commune,
            status: l.status,
            is_me: l.member.id == admin.id,
        })
        .collect();
    let invitations = store::open_invitations(&mut conn, admin.cpts_id, now)
        .await?
        .iter()
        .map(|r| super::invitations::view(r, now))
        .collect();
    let communes = store::communes(&mut conn, admin.cpts_id).await?.into_iter().map(|c| c.name).collect();
    let password_login = store::password_login(&mut conn, admin.cpts_id).await?;
    let without_passkey = store::without_passkey(&mut conn, admin.cpts_id).await?.into_iter().map(|(_, n)| n).collect();
    Ok(MembersOverview { members, invitations, communes, password_login, without_passkey })
}

/// Ends everything a member holds, in the caller's transaction: sessions (their live streams
/// close at once), push devices, places in coming vacations (back to the pool, admins told),
/// planning groups, proposals, live offers, "available now", future unbooked slots.
async fn release(
    tx: &mut sqlx::AnyConnection,
    admin: &MemberRow,
    m: &MemberRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(serde_json::Value, Vec<LiveEvent>), MembersError> {
    let sessions = crate::auth::end_sessions_of(tx, m.id).await.map_err(|_| MembersError::Internal)?;
    let devices = crate::push::forget_member(tx, m.id).await.map_err(|_| MembersError::Internal)?;
    let (places, mut events) = crate::planning::release_member(tx, admin, m, now).await.map_err(|e| match e {
        crate::planning::PlanningError::Store(e) => MembersError::Store(e),
        _ => MembersError::Internal,
    })?;
    let offers = crate::dispatch::withdraw_member_offers(tx, m.id, now).await.map_err(|e| match e {
        crate::dispatch::DispatchError::Store(e) => MembersError::Store(e),
        _ => MembersError::Internal,
    })?;
    store::end_volunteering(tx, m.id, now).await?;
    let slots = crate::slots::close_future_slots_of(tx, m.id, now).await?;
    events.push(LiveEvent::member_notice(m.id, crate::auth::SESSIONS_CHANGED));
    let detail = serde_json::json!({
        "sessions": sessions, "devices": devices, "vacations_returned": places,
        "offers_withdrawn": offers.len(), "slots_closed": slots,
    });
    events.extend(offers);
    Ok((detail, events))
}

async fn change_standing(
    state: &AppState,
    admin: &MemberRow,
    member_id: i64,
    to: MemberStatus,
    kind: &'static str,
) -> Result<(), MembersError> {
    if member_id == admin.id && to != MemberStatus::Active {
        // An admin does not lock themselves out; another admin may.
        return Err(MembersError::Forbidden);
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let m = store::member(&mut tx, member_id)
        .await?
        .filter(|m| m.cpts_id == admin.cpts_id)
        .ok_or(MembersError::NotFound)?;
    if !store::set_status(&mut tx, m.id, admin.cpts_id, to).await? {
        return Err(MembersError::Conflict);
    }
    let (detail, events) = if to == MemberStatus::Active {
        (serde_json::json!({}), vec![])
    } else {
        release(&mut tx, admin, &m, now).await?
    };
    Audit::by(admin, kind).subject(m.id).detail(detail).write(&mut tx, now).await?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(())
}

/// Suspends a member: they may not log in (a clear refusal), and everything they held ends at
/// once (see `release`). An admin may reinstate them.
///
/// # Errors
/// [`MembersError::NotFound`] for another CPTS's member, [`MembersError::Forbidden`] for oneself,
/// [`MembersError::Conflict`] when already suspended or removed.
pub async fn suspend(state: &AppState, admin: &MemberRow, member_id: i64) -> Result<(), MembersError> {
    change_standing(state, admin, member_id, MemberStatus::Suspended, "member_suspended").await
}

/// Removes a member from the CPTS: as a suspension, for good (their history keeps their name).
///
/// # Errors
/// As [`suspend`].
pub async fn remove(state: &AppState, admin: &MemberRow, member_id: i64) -> Result<(), MembersError> {
    change_standing(state, admin, member_id, MemberStatus::Removed, "member_removed").await
}

/// Lets a suspended member in again (their former places are not given back).
///
/// # Errors
/// As [`suspend`]; [`MembersError::Conflict`] when not suspended.
pub async fn reinstate(state: &AppState, admin: &MemberRow, member_id: i64) -> Result<(), MembersError> {
    change_standing(state, admin, member_id, MemberStatus::Active, "member_reinstated").await
}

/// Lets the CPTS's members log in with a password, or only with a passkey. Sessions already open
/// go on; the next login of a member without a passkey is refused with what to do. An admin
/// without a passkey may not turn passwords off (they could not come back); turning it to what
/// it already is changes nothing and writes nothing.
///
/// # Errors
/// [`MembersError::NeedsPasskey`] when the admin holds no passkey.
pub async fn set_password_login(state: &AppState, admin: &MemberRow, allowed: bool) -> Result<(), MembersError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let without = store::without_passkey(&mut tx, admin.cpts_id).await?;
    if !allowed && without.iter().any(|(id, _)| *id == admin.id) {
        return Err(MembersError::NeedsPasskey);
    }
    if !store::set_password_login(&mut tx, admin.cpts_id, allowed).await? {
        return Ok(());
    }
    let kind = if allowed { "password_login_allowed" } else { "password_login_disabled" };
    Audit::by(admin, kind)
        .detail(serde_json::json!({ "members_without_passkey": without.len() }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(())
}
