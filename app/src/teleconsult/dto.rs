//! What the teleconsultation pages receive. The room's address never travels here: screens
//! link to `/teleconsultation/{id}`, which checks the caller and redirects.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::rules::{Conclusion, Party, RoomAccess};
use crate::dispatch::rules::RequestStatus;
use crate::domain::{AgeBand, Motive, Reorientation};

/// The pharmacist's page: who could answer now, and their teleconsultations of the day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterView {
    /// Doctors of the CPTS who teleconsult and are available now, under their cap.
    pub available: u32,
    /// The CPTS is open (outside its hours the 116 117 answers).
    pub open_now: bool,
    /// The pharmacy's commune, where the request is placed; `None`: no address on file.
    pub commune: Option<String>,
    pub today: Vec<TeleconsultSummary>,
}

/// One teleconsultation in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeleconsultSummary {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub motive: Motive,
    pub patient_name: String,
    pub status: RequestStatus,
    pub doctor_name: Option<String>,
}

/// A teleconsultation as its pharmacist, its doctor or the coordination sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeleconsultView {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub motive: Motive,
    pub age_band: AgeBand,
    pub patient_name: String,
    pub callback_phone: String,
    pub note: String,
    pub pharmacist_name: String,
    pub pharmacy_commune: String,
    pub status: RequestStatus,
    /// The wave under way and how many doctors have been asked so far.
    pub wave: u8,
    pub asked: u32,
    /// Nobody accepted in time: the pharmacist widens once more or orients the patient.
    pub nobody_in_time: bool,
    pub doctor_name: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub room: RoomAccess,
    /// What the caller is to it (`None`: the coordination).
    pub party: Option<Party>,
    pub can_rewiden: bool,
    pub reoriented_to: Option<Reorientation>,
    pub conclusion: Option<Conclusion>,
    pub version: i64,
}

/// Sent: the request's id and how many doctors the first wave asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    pub id: i64,
    pub offered: usize,
}
