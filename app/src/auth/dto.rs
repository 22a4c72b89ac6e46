//! What the login page shows.

use serde::{Deserialize, Serialize};

use crate::domain::{Profession, Role};

/// A demo account listed on the login page in demo mode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<Profession>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginPageData {
    pub demo_accounts: Vec<DemoAccount>,
    pub demo_password: Option<String>,
    /// Whether Pro Santé Connect is offered.
    pub psc: bool,
}

/// One of the member's passkeys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A WebAuthn ceremony started: its token (sent back with the answer) and the options for the
/// browser (`{"publicKey": …}`, JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ceremony {
    pub token: String,
    pub options: String,
}

/// What goes wrong, as the login page says it (`/connexion?psc=…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PscFailure {
    /// The professional stopped at PSC.
    Cancelled,
    /// PSC cannot be reached, or answered what it should not.
    Unavailable,
    /// A return that is not this browser's login, or is over five minutes old, or a token that
    /// does not check out.
    Refused,
    /// PSC did not vouch for a CPS card or e-CPS (`acr` other than `eidas1`).
    WeakLevel,
    /// No member of the CPTS has this RPPS.
    Unknown,
    /// The member's access is suspended.
    Suspended,
}

impl PscFailure {
    pub fn code(self) -> &'static str {
        match self {
            PscFailure::Cancelled => "annule",
            PscFailure::Unavailable => "indisponible",
            PscFailure::Refused => "refuse",
            PscFailure::WeakLevel => "niveau",
            PscFailure::Unknown => "inconnu",
            PscFailure::Suspended => "suspendu",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Cancelled, Self::Unavailable, Self::Refused, Self::WeakLevel, Self::Unknown, Self::Suspended]
            .into_iter()
            .find(|f| f.code() == code)
    }
}
