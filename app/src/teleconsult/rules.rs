//! The rules of pharmacy teleconsultations, pure (no I/O, time passed in): the pharmacist's
//! form, the short waves of a patient waiting at the counter, who may open the room and while
//! the link is valid, the room's name and address, the video service's token claims.
//!
//! Who is available is the dispatch panel's rule (`dispatch::rules::panel::eligibility` with
//! `teleconsultation: true`): the same function counts the doctors shown to the pharmacist and
//! chooses those the request is offered to.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::dispatch::rules::panel::WHOLE_CPTS;
use crate::dispatch::rules::{RequestStatus, WavePolicy};
use crate::domain::patient::{choice, Patient, PatientInput};
use crate::domain::{Field, FieldErrors, FieldProblem, Motive, RedFlag, Reorientation};

/// How teleconsultations run, as configured (`relais serve --teleconsult-…`).
#[derive(Clone, Debug, PartialEq)]
pub struct TeleconsultSettings {
    /// The waves: the doctors near the pharmacy first, then every available one of the CPTS.
    pub waves: WavePolicy,
    /// How long the room link works after a doctor accepts.
    pub link_validity: Duration,
    /// How long a patient is kept waiting at the counter at most: the request's deadline.
    pub patient_wait: Duration,
    /// The room's address, `{room}` standing for its name (a Jitsi Meet URL by default).
    pub room_url: String,
    /// Set when the video service checks a token (Jitsi's JWT authentication).
    pub jitsi: Option<JitsiAuth>,
}

/// What signs Jitsi Meet tokens: the application id (`iss`) and its shared secret (HS256).
#[derive(Clone, PartialEq)]
pub struct JitsiAuth {
    pub app_id: String,
    pub secret: String,
}

impl std::fmt::Debug for JitsiAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JitsiAuth {{ app_id: {:?}, secret: … }}", self.app_id)
    }
}

pub const DEFAULT_ROOM_URL: &str = "https://meet.jit.si/{room}";

impl Default for TeleconsultSettings {
    fn default() -> Self {
        Self {
            waves: counter_waves(Duration::minutes(5), Duration::minutes(10), 10.0),
            link_validity: Duration::minutes(30),
            patient_wait: Duration::minutes(60),
            room_url: DEFAULT_ROOM_URL.into(),
            jitsi: None,
        }
    }
}

/// The waves of a patient waiting at the counter: for `first`, the available teleconsulting
/// doctors within `radius_km` of the pharmacy; then, for `widen` more, every available
/// teleconsulting doctor of the CPTS. No treating-doctor wave, no neighbouring profession, no
/// margin before the deadline: when the waves are over, the pharmacist is told at once.
pub fn counter_waves(first: Duration, widen: Duration, radius_km: f64) -> WavePolicy {
    WavePolicy {
        treating_timeout: Duration::zero(),
        wave_timeouts: vec![first, widen],
        radii_km: vec![radius_km, WHOLE_CPTS],
        neighbours_from_wave: u8::MAX,
        deadline_margin: Duration::zero(),
    }
}

/// The pharmacist's form, as typed: raw strings, checked by [`TeleconsultForm::validate`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeleconsultForm {
    pub motive: String,
    pub red_flags: Vec<String>,
    pub patient_name: String,
    pub age_band: String,
    pub callback_phone: String,
    pub note: String,
    /// "on" (a ticked checkbox), "true" or empty: the patient agrees to a teleconsultation.
    pub consent: String,
}

/// Why a form was not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    /// A sign of a medical emergency: the pharmacist calls the 15, nothing is sent.
    RedFlags(Vec<RedFlag>),
    Invalid(FieldErrors),
}

/// The motives a pharmacy sends to a doctor (a dental emergency goes to the dental rota).
pub fn teleconsult_motive(code: &str) -> Option<Motive> {
    Motive::parse(code).filter(|m| *m != Motive::DentalEmergency)
}

impl TeleconsultForm {
    /// Checks every field, reporting all problems at once. `commune` is the pharmacy's: the
    /// patient is at its counter.
    ///
    /// # Errors
    /// [`FormError::RedFlags`] first if any sign of gravity is ticked, else
    /// [`FormError::Invalid`] with one problem per faulty field (the consent is required).
    pub fn validate(&self, commune: &str) -> Result<(Motive, Patient), FormError> {
        let flags: Vec<RedFlag> = self.red_flags.iter().filter_map(|f| RedFlag::parse(f)).collect();
        if !flags.is_empty() {
            return Err(FormError::RedFlags(flags));
        }
        let mut errors = FieldErrors::default();
        let motive = choice(&self.motive, teleconsult_motive, Field::Motive, &mut errors);
        let patient = PatientInput {
            name: &self.patient_name,
            age_band: &self.age_band,
            callback_phone: &self.callback_phone,
            commune,
            note: &self.note,
        }
        .check(&[commune.to_string()], &mut errors);
        if !matches!(self.consent.trim(), "on" | "true" | "1") {
            errors.add(Field::Consent, FieldProblem::Required);
        }
        match (motive, patient) {
            (Some(motive), Some(patient)) if errors.is_empty() => Ok((motive, patient)),
            _ => Err(FormError::Invalid(errors)),
        }
    }
}

/// Whether the room can be opened now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RoomAccess {
    /// Open until then.
    Open { until: DateTime<Utc> },
    /// No doctor has accepted yet.
    NotYet,
    /// The link's time is over.
    Expired,
    /// The request is closed (done, patient absent, oriented elsewhere, cancelled).
    Closed,
}

/// The room link's validity: from the acceptance until `validity` later, while the request is
/// open.
pub fn room_access(
    status: RequestStatus,
    accepted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    validity: Duration,
) -> RoomAccess {
    if status.is_closed() {
        return RoomAccess::Closed;
    }
    let Some(from) = accepted_at else { return RoomAccess::NotYet };
    if now < from {
        return RoomAccess::NotYet;
    }
    let until = from + validity;
    if now >= until {
        RoomAccess::Expired
    } else {
        RoomAccess::Open { until }
    }
}

/// Who a member is to a teleconsultation: its pharmacist, its doctor, or nobody (a third
/// member, the coordination included: the room is the patient's consultation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Pharmacist,
    Doctor,
}

pub fn party(member_id: i64, pharmacist_id: i64, doctor_id: Option<i64>) -> Option<Party> {
    if member_id == pharmacist_id {
        Some(Party::Pharmacist)
    } else if doctor_id == Some(member_id) {
        Some(Party::Doctor)
    } else {
        None
    }
}

/// The room's name from 20 random bytes (160 bits): lowercase hexadecimal, which video services
/// that fold names to lowercase keep whole.
pub fn room_name(random: &[u8; 20]) -> String {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("relais-{hex}")
}

/// Why a room address template is refused at start-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateError {
    NotHttp,
    NoRoom,
}

/// Checks a room address template: an http(s) URL with one `{room}`.
///
/// # Errors
/// See [`TemplateError`].
pub fn check_template(template: &str) -> Result<(), TemplateError> {
    if !(template.starts_with("https://") || template.starts_with("http://")) {
        return Err(TemplateError::NotHttp);
    }
    if template.matches("{room}").count() != 1 {
        return Err(TemplateError::NoRoom);
    }
    Ok(())
}

/// The room's address: the template with the room's name, and the token when there is one.
pub fn room_url(template: &str, room: &str, token: Option<&str>) -> String {
    let url = template.replace("{room}", room);
    match token {
        None => url,
        Some(t) => format!("{url}{}jwt={t}", if url.contains('?') { '&' } else { '?' }),
    }
}

/// The host of a room address template (a Jitsi token's `sub`).
pub fn template_host(template: &str) -> Option<&str> {
    let rest = template.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    Some(host.split(':').next().unwrap_or(host)).filter(|h| !h.is_empty())
}

/// What a Jitsi Meet token says besides its registered claims: the room it opens and who the
/// user is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JitsiClaims {
    pub room: String,
    pub context: JitsiContext,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JitsiContext {
    pub user: JitsiUser,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JitsiUser {
    pub name: String,
}

/// A token's window: valid from `now` (`nbf`) until the link expires (`exp`).
pub fn token_window(now: DateTime<Utc>, until: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now, until.max(now))
}

coded!(
    /// What the doctor concludes of a teleconsultation that took place.
    Conclusion { Advice => "advice", Prescription => "prescription", Orientation => "orientation" }
);

/// What the doctor records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TeleconsultOutcome {
    Done(Conclusion),
    NoShow,
    Reoriented(Reorientation),
}

impl TeleconsultOutcome {
    /// Reads the doctor's form: `done` with a conclusion, `no_show`, or `reoriented` with where.
    ///
    /// # Errors
    /// The field at fault: the outcome, the conclusion of a `done`, the destination of a
    /// `reoriented`.
    pub fn parse(outcome: &str, conclusion: &str, reoriented_to: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let parsed = match outcome.trim() {
            "done" => choice(conclusion, Conclusion::parse, Field::Conclusion, &mut errors).map(Self::Done),
            "no_show" => Some(Self::NoShow),
            "reoriented" => {
                choice(reoriented_to, Reorientation::parse, Field::Reorientation, &mut errors).map(Self::Reoriented)
            }
            "" => {
                errors.add(Field::Outcome, FieldProblem::Required);
                None
            }
            _ => {
                errors.add(Field::Outcome, FieldProblem::UnknownChoice);
                None
            }
        };
        parsed.ok_or(errors)
    }
}

/// Where the pharmacist sends a patient nobody could take in time.
pub const COUNTER_ORIENTATIONS: &[Reorientation] =
    &[Reorientation::Sas, Reorientation::Samu, Reorientation::ComeBackLater];

/// Whether the pharmacist may ask every available doctor once more: once, after the waves
/// found nobody in time.
pub fn may_rewiden(status: RequestStatus, rewidened: bool) -> bool {
    status == RequestStatus::Escalated && !rewidened
}

#[cfg(test)]
mod tests;
