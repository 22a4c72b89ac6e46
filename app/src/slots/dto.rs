//! What the slot pages receive. Patient details of a booking travel only to the slot's
//! clinician and the coordination.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::rules::{Audience, BookingSource, BookingStatus};
use crate::domain::AppointmentMode;

/// A booking as its clinician and the coordination see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingView {
    pub id: i64,
    pub request_id: Option<i64>,
    pub source: BookingSource,
    pub patient_name: String,
    pub callback_phone: String,
    pub status: BookingStatus,
    /// The clinician may say now whether it was honoured.
    pub can_record: bool,
}

/// One slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotView {
    pub id: i64,
    pub clinician_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: AppointmentMode,
    pub audience: Audience,
    pub weekly: bool,
    pub closed: bool,
    pub booking: Option<BookingView>,
}

/// *Mes créneaux SNP*: a clinician's coming slots (and those of the last day, to say how they
/// went); for the coordination, every booking of the CPTS's coming slots and the recent no-shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotsPage {
    pub can_open: bool,
    /// Today in Paris (`YYYY-MM-DD`), the form's first day.
    pub today: String,
    pub slots: Vec<SlotView>,
    pub no_shows: Vec<SlotView>,
}

/// A free slot that fits a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittingSlot {
    pub slot: SlotView,
    pub distance_km: Option<f64>,
}

/// An API client of the SAS interface, as its CPTS's admin sees it (never its token).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiClientView {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// A regulator the SAS sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegulatorView {
    /// `system|value`
    pub identifier: String,
    pub name: String,
    pub active: bool,
}

/// *Interface SAS*, the admin's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SasPage {
    /// The FHIR interface's address, as the SAS's platform must call it.
    pub fhir_base: String,
    pub finess: String,
    pub clients: Vec<ApiClientView>,
    pub regulators: Vec<RegulatorView>,
    /// Appointments the SAS booked in the CPTS's slots of the last `days` days…
    pub sas_booked: i64,
    /// …of which still standing (not cancelled).
    pub sas_standing: i64,
    pub days: i64,
}

/// A client just issued: its token, shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedClient {
    pub id: i64,
    pub name: String,
    pub token: String,
}
