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
