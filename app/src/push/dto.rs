//! What the notification settings show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A device subscribed to Web Push, as its member sees it in their settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushDevice {
    pub id: i64,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_sent_at: Option<DateTime<Utc>>,
    /// The push service URL: lets a browser recognise its own subscription.
    pub endpoint: String,
}

/// What the notification settings need: the server's VAPID public key (the browser's
/// `applicationServerKey`) and the member's devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushSetup {
    pub public_key: String,
    pub devices: Vec<PushDevice>,
}
