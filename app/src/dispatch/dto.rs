//! What the server functions send to screens. Patient details travel only to the coordinator
//! and to the clinician who accepted the request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::rules::{OfferState, RequestStatus};
use crate::domain::{AgeBand, AppointmentMode, Deadline, Motive, Profession, Source};

/// Choices of the request form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestFormData {
    pub communes: Vec<String>,
    /// (member id, name, profession) of the clinicians, for the treating doctor.
    pub clinicians: Vec<(i64, String, Profession)>,
    pub open_now: bool,
}

/// Patient details, for those allowed to see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    pub name: String,
    pub callback_phone: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub motive: Motive,
    pub profession: Profession,
    pub age_band: AgeBand,
    pub commune: String,
    pub teleconsult_ok: bool,
    pub deadline: Deadline,
    pub deadline_at: DateTime<Utc>,
    pub source: Source,
    pub status: RequestStatus,
    pub wave: u8,
    pub escalation: Option<String>,
    pub accepted_by_name: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub appointment_mode: Option<String>,
    pub reoriented_to: Option<String>,
    /// How the patient must be seen, when the request fixes it (a pharmacy teleconsultation).
    pub mode: Option<AppointmentMode>,
    /// `None` for those who may not see it.
    pub patient: Option<Patient>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferView {
    pub member_id: i64,
    pub member_name: String,
    pub profession: Option<Profession>,
    pub wave: u8,
    pub distance_km: Option<f64>,
    pub state: OfferState,
    pub refusal_reason: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A request on the coordinator's board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardItem {
    pub request: RequestSummary,
    pub offers: Vec<OfferView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: String,
    pub subject: Option<String>,
    pub detail: String,
}

/// One member considered for the panel, and whether they are in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelMember {
    pub member_id: i64,
    pub name: String,
    pub profession: Profession,
    pub distance_km: Option<f64>,
    /// `None` when in the panel, else why not (code of `domain::panel::Exclusion`).
    pub excluded: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelPreview {
    pub wave: u8,
    pub members: Vec<PanelMember>,
}

/// Everything the coordinator sees of one request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub item: BoardItem,
    pub timeline: Vec<TimelineEntry>,
    /// The panel of the next push, when one is possible.
    pub next_panel: Option<PanelPreview>,
    pub can_record_outcome: bool,
}

/// An offer in a clinician's inbox: no patient name or phone until accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub request: RequestSummary,
    pub distance_km: Option<f64>,
    pub state: OfferState,
    pub sent_at: DateTime<Utc>,
}

/// The answer to an acceptance: it is not an error to have been second.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AcceptOutcome {
    /// This member has the request; here are the patient details.
    Won { request: Box<RequestSummary> },
    /// A colleague accepted first.
    AlreadyTaken,
}

/// The result of a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushOutcome {
    pub wave: u8,
    pub offered: usize,
    /// True when nobody could be offered the request and it was flagged for reorientation.
    pub escalated: bool,
}

#[cfg(feature = "ssr")]
impl PushOutcome {
    /// Counts the push in the metrics, once its transaction committed.
    pub fn count(&self) {
        crate::platform::metrics::offers_pushed(self.offered);
        if self.escalated {
            crate::platform::metrics::request_escalated();
        }
    }
}

/// Where an offer stands for the member it was made to (the page a notification opens).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferLookup {
    pub request_id: i64,
    /// `None` when the request was never offered to this member.
    pub state: Option<crate::dispatch::rules::OfferState>,
    /// Whether the member can still accept it.
    pub live: bool,
}
