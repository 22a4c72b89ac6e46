//! How a call is qualified into a request: the form as typed, its checks, and the red flags
//! that send the operator to the 15.

use serde::{Deserialize, Serialize};

use crate::domain::patient::{choice, PatientInput};
use crate::domain::phone::FrenchPhone;
use crate::domain::{
    AgeBand, AppointmentMode, Deadline, Field, FieldErrors, FieldProblem, Motive, Profession, RedFlag, Source,
};

/// The request form as typed by the operator: raw strings, checked by [`RequestForm::validate`].
/// A missing field reads as empty, so that it gets its own error message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub motive: String,
    pub red_flags: Vec<String>,
    pub profession: String,
    pub patient_name: String,
    pub age_band: String,
    pub callback_phone: String,
    pub commune: String,
    /// "on" (a ticked checkbox), "true" or empty.
    pub teleconsult_ok: String,
    pub deadline: String,
    pub source: String,
    /// A member id, or empty.
    pub treating_member_id: String,
    pub note: String,
}

/// Why a form was not turned into a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntakeError {
    /// A sign of a medical emergency was ticked: the operator must call the 15, nothing is pushed.
    RedFlags(Vec<RedFlag>),
    Invalid(FieldErrors),
}

/// A qualified request, ready to be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRequest {
    pub motive: Motive,
    pub profession: Profession,
    pub patient_name: String,
    pub age_band: AgeBand,
    pub callback_phone: FrenchPhone,
    pub commune: String,
    pub teleconsult_ok: bool,
    pub deadline: Deadline,
    pub source: Source,
    pub treating_member_id: Option<i64>,
    pub note: String,
    /// How the patient must be seen, when the request fixes it (a pharmacy teleconsultation);
    /// `None`: however the clinician who accepts sees fit.
    pub mode: Option<AppointmentMode>,
}

pub use crate::domain::patient::{NOTE_MAX, PATIENT_NAME_MAX};

impl RequestForm {
    /// Checks every field and reports all problems at once.
    ///
    /// `communes` are the CPTS's communes; `is_member` tells whether an id is a clinician of the
    /// CPTS (for the optional treating doctor).
    ///
    /// # Errors
    /// [`IntakeError::RedFlags`] first if any red flag is ticked, else [`IntakeError::Invalid`]
    /// with one problem per faulty field.
    pub fn validate(&self, communes: &[String], is_member: impl Fn(i64) -> bool) -> Result<NewRequest, IntakeError> {
        let flags: Vec<RedFlag> = self.red_flags.iter().filter_map(|f| RedFlag::parse(f)).collect();
        if !flags.is_empty() {
            return Err(IntakeError::RedFlags(flags));
        }
        let mut errors = FieldErrors::default();
        let motive = choice(&self.motive, Motive::parse, Field::Motive, &mut errors);
        let profession = choice(&self.profession, Profession::parse, Field::Profession, &mut errors);
        let patient = PatientInput {
            name: &self.patient_name,
            age_band: &self.age_band,
            callback_phone: &self.callback_phone,
            commune: &self.commune,
            note: &self.note,
        }
        .check(communes, &mut errors);
        let deadline = choice(&self.deadline, Deadline::parse, Field::Deadline, &mut errors);
        let source = choice(&self.source, Source::parse, Field::Source, &mut errors);
        let treating = self.treating_member_id.trim();
        let treating_member_id = if treating.is_empty() {
            None
        } else {
            match treating.parse::<i64>() {
                Ok(id) if is_member(id) => Some(id),
                _ => {
                    errors.add(Field::TreatingMemberId, FieldProblem::UnknownChoice);
                    None
                }
            }
        };
        match (motive, profession, patient, deadline, source) {
            (Some(motive), Some(profession), Some(p), Some(deadline), Some(source)) if errors.is_empty() => {
                Ok(NewRequest {
                    motive,
                    profession,
                    patient_name: p.name,
                    age_band: p.age_band,
                    callback_phone: p.callback_phone,
                    commune: p.commune,
                    teleconsult_ok: matches!(self.teleconsult_ok.as_str(), "on" | "true" | "1"),
                    deadline,
                    source,
                    treating_member_id,
                    note: p.note,
                    mode: None,
                })
            }
            _ => Err(IntakeError::Invalid(errors)),
        }
    }
}
