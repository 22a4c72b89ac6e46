//! What the server functions send to screens. Patient details travel only to the coordinator
//! and to the clinician who accepted the request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::request::{OfferState, RequestStatus};
use crate::domain::{AgeBand, Deadline, Motive, Profession, Role, Source};

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

// ---------------------------------------------------------------- vacations

pub use crate::domain::planning::{ChangeKind, ChangeState, GroupRule, VacationKind};

/// A vacation as screens show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VacationView {
    pub id: i64,
    pub planning_id: i64,
    pub planning_name: String,
    pub kind: VacationKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: u32,
    /// (member id, name)
    pub holders: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: i64,
    pub kind: ChangeKind,
    pub vacation: VacationView,
    pub from_member_id: i64,
    pub from_name: String,
    /// `None`: offered to every eligible colleague.
    pub to_member_id: Option<i64>,
    pub counter: Option<VacationView>,
    pub created_at: DateTime<Utc>,
}

/// A clinician's "Mes gardes" screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyVacations {
    pub me: i64,
    pub mine: Vec<VacationView>,
    /// Vacations with free places in the plannings of the member's groups.
    pub open: Vec<VacationView>,
    /// Proposals made by the member, addressed to them, or open to all.
    pub changes: Vec<ChangeView>,
    /// Colleagues of the member's plannings: (id, name), for a cession.
    pub colleagues: Vec<(i64, String)>,
    /// Their coming vacations, for an échange.
    pub colleague_vacations: Vec<VacationView>,
    /// The member's secret calendar feed (path; the page prefixes its own origin).
    pub calendar_path: String,
    /// The latest reminders and notices: (when, text).
    pub notifications: Vec<(DateTime<Utc>, String)>,
    /// Cessions and échanges accepted recently enough to be undone.
    pub recent: Vec<ChangeView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningSummary {
    pub id: i64,
    pub name: String,
    pub notice_hours: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub dimension: String,
    pub rule: GroupRule,
    pub members: Vec<(i64, String)>,
}

/// An admin's view of a planning over a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningView {
    pub planning: PlanningSummary,
    pub groups: Vec<GroupView>,
    pub vacations: Vec<VacationView>,
    /// Places still to fill over the period.
    pub gaps: u32,
    /// Every clinician of the CPTS: (id, name, profession).
    pub clinicians: Vec<(i64, String, Option<Profession>)>,
    /// Vacations held per member over the period: (name, count).
    pub counts: Vec<(String, i64)>,
}

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

/// Where an offer stands for the member it was made to (the page a notification opens).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferLookup {
    pub request_id: i64,
    /// `None` when the request was never offered to this member.
    pub state: Option<crate::domain::request::OfferState>,
    /// Whether the member can still accept it.
    pub live: bool,
}
