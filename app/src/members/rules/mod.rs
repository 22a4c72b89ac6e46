//! The pure rules of membership: the RPPS number's check digit, an invitation's validity, who
//! may be invited (one line of the form or of an imported file), and which channel carries which
//! notice at a given hour. No I/O, no clock read: time is an argument.

mod invitee;
mod notices;
mod rpps;
#[cfg(test)]
mod tests;

pub use invitee::{check_invitee, Invitee, InviteeInput, MAX_NAME};
pub use notices::{default_channels, resolve, Channels, Delivery, Notice, Preferences, QuietHours};
pub use rpps::{rpps_is_valid, rpps_of_national_id, with_check_digit};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long an invitation link works after it was (last) sent.
pub const INVITATION_DAYS: i64 = 7;

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    /// Sent, not used, within its seven days: the link opens the account.
    Pending,
    /// Used: the account exists.
    Used,
    /// Withdrawn by an admin.
    Withdrawn,
    /// Seven days passed without use.
    Expired,
}

impl InvitationState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Used => "used",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
        }
    }
}

/// When a link sent at `sent_at` stops working.
pub fn invitation_expires_at(sent_at: DateTime<Utc>) -> DateTime<Utc> {
    sent_at + Duration::days(INVITATION_DAYS)
}

/// Where an invitation stands at `now`: `used_at` / `withdrawn_at` as stored, `sent_at` its
/// last sending (a re-sent link has seven days again).
pub fn invitation_state(
    sent_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> InvitationState {
    if used_at.is_some() {
        InvitationState::Used
    } else if withdrawn_at.is_some() {
        InvitationState::Withdrawn
    } else if now >= invitation_expires_at(sent_at) {
        InvitationState::Expired
    } else {
        InvitationState::Pending
    }
}

/// A member's standing in the CPTS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Active,
    /// Kept, but may not log in; an admin may reinstate them.
    Suspended,
    /// Gone from the CPTS; their history stays, under their name.
    Removed,
}

impl MemberStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Removed => "removed",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Active, Self::Suspended, Self::Removed].into_iter().find(|s| s.code() == code)
    }
}

/// The smallest password a member may choose.
pub const MIN_PASSWORD: usize = 10;
/// The longest (Argon2 takes any length; this bounds the work a request can ask for).
pub const MAX_PASSWORD: usize = 200;

/// Whether `password` may be chosen: 10 to 200 characters, not only spaces.
pub fn password_is_acceptable(password: &str) -> bool {
    let n = password.chars().count();
    (MIN_PASSWORD..=MAX_PASSWORD).contains(&n) && !password.trim().is_empty()
}
