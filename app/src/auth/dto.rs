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
