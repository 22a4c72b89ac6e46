//! How a call is qualified into a request: the form as typed, its checks, and the red flags
//! that send the operator to the 15.

use serde::{Deserialize, Serialize};

use crate::domain::fields::has_forbidden_chars;
use crate::domain::phone::FrenchPhone;
use crate::domain::{AgeBand, Deadline, Field, FieldErrors, FieldProblem, Motive, Profession, RedFlag, Source};

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
}

pub const PATIENT_NAME_MAX: usize = 40;
pub const NOTE_MAX: usize = 280;

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
        let patient_name = self.patient_name.trim().to_string();
        if patient_name.is_empty() {
            errors.add(Field::PatientName, FieldProblem::Required);
        } else if has_forbidden_chars(&patient_name, false) {
            errors.add(Field::PatientName, FieldProblem::InvalidCharacters);
        } else if patient_name.chars().count() > PATIENT_NAME_MAX {
            errors.add(Field::PatientName, FieldProblem::TooLong);
        }
        let age_band = choice(&self.age_band, AgeBand::parse, Field::AgeBand, &mut errors);
        let phone = if self.callback_phone.trim().is_empty() {
            errors.add(Field::CallbackPhone, FieldProblem::Required);
            None
        } else {
            let p = FrenchPhone::parse(&self.callback_phone);
            if p.is_none() {
                errors.add(Field::CallbackPhone, FieldProblem::InvalidPhone);
            }
            p
        };
        let commune = self.commune.trim().to_string();
        if commune.is_empty() {
            errors.add(Field::Commune, FieldProblem::Required);
        } else if !communes.iter().any(|c| c == &commune) {
            errors.add(Field::Commune, FieldProblem::UnknownChoice);
        }
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
        let note = self.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            errors.add(Field::Note, FieldProblem::TooLong);
        } else if has_forbidden_chars(&note, true) {
            errors.add(Field::Note, FieldProblem::InvalidCharacters);
        }
        match (motive, profession, age_band, phone, deadline, source) {
            (Some(motive), Some(profession), Some(age_band), Some(callback_phone), Some(deadline), Some(source))
                if errors.is_empty() =>
            {
                Ok(NewRequest {
                    motive,
                    profession,
                    patient_name,
                    age_band,
                    callback_phone,
                    commune,
                    teleconsult_ok: matches!(self.teleconsult_ok.as_str(), "on" | "true" | "1"),
                    deadline,
                    source,
                    treating_member_id,
                    note,
                })
            }
            _ => Err(IntakeError::Invalid(errors)),
        }
    }
}

fn choice<T>(raw: &str, parse: fn(&str) -> Option<T>, field: Field, errors: &mut FieldErrors) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.add(field, FieldProblem::Required);
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        errors.add(field, FieldProblem::UnknownChoice);
    }
    parsed
}
