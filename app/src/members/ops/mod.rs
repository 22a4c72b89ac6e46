//! [ssr] The members' operations: a member's own state (who they are to the screens, "available
//! now"), and in `invitations`, `standing` and `profile` the ways in, the admin's decisions
//! (suspend, reinstate, remove) and what each member edits of themselves.

mod invitations;
mod profile;
mod standing;

pub use invitations::{
    accept, accept_passkey_start, accept_with_passkey, import, invitation_link, invitation_page, invite,
    preview_import, read_file, resend, withdraw, NewcomerPasskey,
};
pub use profile::{check_language, deliveries, my_profile, save_language, save_preferences, save_profile};
pub use standing::{members_page, reinstate, remove, set_password_login, suspend};

use chrono::Duration;

use super::dto::Me;
use super::store::{self, MemberRow};
use crate::domain::{Field, FieldErrors, FieldProblem};
use crate::platform::audit::Audit;
use crate::platform::db::StoreError;
use crate::platform::AppState;

/// What can go wrong with a member's own settings.
#[derive(Debug, thiserror::Error)]
pub enum MembersError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// An invitation that no longer opens an account.
    #[error("invitation {0:?}")]
    Invitation(super::rules::InvitationState),
    /// Someone else changed it first (an RPPS taken meanwhile, a member already suspended…).
    #[error("conflict")]
    Conflict,
    #[error("internal")]
    Internal,
    /// An invitee choosing a password where the CPTS accepts passkeys only.
    #[error("password login disabled")]
    PasswordDisabled,
    /// The invitee's passkey: refused, or impossible at this address.
    #[error("passkey: {0}")]
    Passkey(crate::auth::AuthError),
    /// An admin without a passkey turning passwords off: they could not log in again.
    #[error("needs a passkey")]
    NeedsPasskey,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(MembersError);

/// The member as their screens show them: on duty when a duty slot or a vacation covers now.
pub async fn me(state: &AppState, m: &MemberRow) -> Result<Me, MembersError> {
    let mut conn = state.store.reader().await?;
    let now = state.now();
    let standing = store::standing_now(&mut conn, m.id, m.cpts_id, now).await?;
    let on_duty =
        standing.duty_slot || crate::planning::on_duty_now(&mut conn, m.cpts_id, now).await?.all.contains(&m.id);
    Ok(Me {
        id: m.id,
        display_name: m.display_name.clone(),
        role: m.role,
        profession: m.profession,
        cpts_name: standing.cpts_name.unwrap_or_default(),
        on_duty,
        available_until: standing.available_until,
        lang: m.lang,
    })
}

/// The longest "available now" period, in hours.
pub const MAX_AVAILABLE_HOURS: i64 = 12;

/// "Available now" for `hours` (0 ends it; at most [`MAX_AVAILABLE_HOURS`]).
///
/// # Errors
/// [`MembersError::Invalid`] for hours outside that range: refused, never bent.
pub async fn set_available(state: &AppState, actor: &MemberRow, hours: i64) -> Result<(), MembersError> {
    if !(0..=MAX_AVAILABLE_HOURS).contains(&hours) {
        let mut errors = FieldErrors::default();
        errors.add(Field::AvailableHours, FieldProblem::OutOfRange);
        return Err(MembersError::Invalid(errors));
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    store::end_volunteering(&mut tx, actor.id, now).await?;
    if hours > 0 {
        store::add_availability(&mut tx, actor.id, "volunteer", now, now + Duration::hours(hours), now).await?;
    }
    Audit::by(actor, "availability_changed").detail(serde_json::json!({ "hours": hours })).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(())
}
