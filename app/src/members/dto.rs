//! What the server sends about the logged-in member.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Profession, Role};

/// The logged-in member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub cpts_name: String,
    /// Holds a duty slot now.
    pub on_duty: bool,
    /// "Available now" until then.
    pub available_until: Option<DateTime<Utc>>,
}
