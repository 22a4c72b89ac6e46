//! What the dental server functions send to screens. The patient's name, callback phone and
//! note travel only to the referrer, the dentist the referral is with, and the coordination.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::rules::{Criterion, DentalOutcome, DentalReorientation, ReferralStatus, SolutionKind};
use crate::domain::{AgeBand, Profession};

/// A morning of the rota, as the *Urgences dentaires* page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RotaMorningView {
    pub vacation_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// (member id, name) of those who hold it.
    pub holders: Vec<(i64, String)>,
    pub capacity: i64,
    pub mine: bool,
    /// The caller is a dentist who may take it (a free place, not already theirs).
    pub can_take: bool,
}

/// The rota of the coming four weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RotaView {
    pub mornings: Vec<RotaMorningView>,
    pub is_dentist: bool,
    /// The caller's profession may refer a patient.
    pub can_refer: bool,
    /// The referrals waiting at the caller (a dentist), or the caller's own (a referrer).
    pub referrals: Vec<ReferralSummary>,
}

/// What the referral form needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralFormData {
    pub criteria: Vec<Criterion>,
    pub communes: Vec<String>,
    /// Who the referral would go to now, and from when it will be seen.
    pub next_dentist: Option<(String, DateTime<Utc>)>,
}

/// A referral as its lists show it (no patient identity).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralSummary {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub status: ReferralStatus,
    pub referrer_name: String,
    pub referrer_profession: Option<Profession>,
    pub dentist_name: String,
    pub age_band: AgeBand,
    pub commune: String,
    pub immediate: bool,
    pub seen_from: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
}

/// The solution the dentist proposed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SolutionView {
    pub kind: SolutionKind,
    pub appointment_at: Option<DateTime<Utc>>,
    pub place: String,
    pub note: String,
    pub reoriented_to: Option<DentalReorientation>,
    pub answered_at: DateTime<Utc>,
}

/// The patient, for those allowed to see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralPatient {
    pub name: String,
    pub callback_phone: String,
    pub note: String,
}

/// One step of a referral's life (from the audit trail).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralStep {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: String,
}

/// A referral in full, for the referrer, its dentist and the coordination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralDetail {
    pub summary: ReferralSummary,
    pub criteria: Vec<String>,
    pub patient: Option<ReferralPatient>,
    pub solution: Option<SolutionView>,
    pub outcome: Option<DentalOutcome>,
    pub version: i64,
    /// The caller is the dentist it is with.
    pub can_answer: bool,
    /// The caller is the coordination: (id, name) of the rota's dentists to hand it to.
    pub reassign_to: Vec<(i64, String)>,
    pub timeline: Vec<ReferralStep>,
}

/// The answer to a referral: where it went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referred {
    pub id: i64,
    pub dentist_name: String,
    pub seen_from: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

/// The grid as the admin edits it, and who may refer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridAdmin {
    pub criteria: Vec<Criterion>,
    pub referrer_professions: Vec<Profession>,
}
