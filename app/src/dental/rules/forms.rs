//! The dental forms as typed, and their checks: the referral (grid answers + patient) and the
//! dentist's solution.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DentalOutcome, DentalReorientation, SolutionKind};
use crate::domain::fields::has_forbidden_chars;
use crate::domain::hours::parse_paris_datetime;
use crate::domain::patient::{choice, Patient, PatientInput};
use crate::domain::{Field, FieldErrors, FieldProblem};

/// The referral form: the ticked criteria (their ids) and the patient.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    pub criteria: Vec<String>,
    pub patient_name: String,
    pub age_band: String,
    pub callback_phone: String,
    pub commune: String,
    pub note: String,
}

impl ReferralForm {
    /// The ticked criteria's ids.
    ///
    /// # Errors
    /// A field error when one is not a number.
    pub fn ticked(&self) -> Result<BTreeSet<i64>, FieldErrors> {
        self.criteria
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| c.trim().parse::<i64>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                let mut errors = FieldErrors::default();
                errors.add(Field::Criteria, FieldProblem::UnknownChoice);
                errors
            })
    }

    /// The patient, checked against the CPTS's communes.
    ///
    /// # Errors
    /// One problem per faulty field.
    pub fn patient(&self, communes: &[String]) -> Result<Patient, FieldErrors> {
        let mut errors = FieldErrors::default();
        let input = PatientInput {
            name: &self.patient_name,
            age_band: &self.age_band,
            callback_phone: &self.callback_phone,
            commune: &self.commune,
            note: &self.note,
        };
        input.check(communes, &mut errors).ok_or(errors)
    }
}

/// The dentist's answer as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolutionForm {
    pub solution: String,
    /// `2026-12-02T09:30`, Paris time (an appointment).
    pub appointment_at: String,
    pub place: String,
    pub note: String,
    pub reorientation: String,
}

/// A checked solution.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    pub kind: SolutionKind,
    pub appointment_at: Option<DateTime<Utc>>,
    pub place: String,
    pub note: String,
    pub reoriented_to: Option<DentalReorientation>,
}

pub const PLACE_MAX: usize = 120;
pub const SOLUTION_NOTE_MAX: usize = 280;

impl SolutionForm {
    /// Checks the answer at `now`: an appointment needs a time to come and a place; a
    /// reorientation says where.
    ///
    /// # Errors
    /// One problem per faulty field.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<Solution, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = choice(&self.solution, SolutionKind::parse, Field::Solution, &mut errors);
        let mut appointment_at = None;
        let mut reoriented_to = None;
        let place = self.place.trim().to_string();
        match kind {
            Some(SolutionKind::Appointment) => {
                match parse_paris_datetime(&self.appointment_at) {
                    None if self.appointment_at.trim().is_empty() => {
                        errors.add(Field::AppointmentAt, FieldProblem::Required)
                    }
                    None => errors.add(Field::AppointmentAt, FieldProblem::InvalidDate),
                    Some(t) if t <= now => errors.add(Field::AppointmentAt, FieldProblem::InPast),
                    Some(t) => appointment_at = Some(t),
                }
                if place.is_empty() {
                    errors.add(Field::Place, FieldProblem::Required);
                }
            }
            Some(SolutionKind::Reoriented) => {
                reoriented_to =
                    choice(&self.reorientation, DentalReorientation::parse, Field::Reorientation, &mut errors);
            }
            _ => {}
        }
        if place.chars().count() > PLACE_MAX {
            errors.add(Field::Place, FieldProblem::TooLong);
        } else if has_forbidden_chars(&place, false) {
            errors.add(Field::Place, FieldProblem::InvalidCharacters);
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > SOLUTION_NOTE_MAX {
            errors.add(Field::Note, FieldProblem::TooLong);
        } else if has_forbidden_chars(&note, true) {
            errors.add(Field::Note, FieldProblem::InvalidCharacters);
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Solution { kind, appointment_at, place, note, reoriented_to }),
            _ => Err(errors),
        }
    }
}

/// The outcome as typed.
///
/// # Errors
/// A field error for an unknown or missing outcome.
pub fn parse_outcome(raw: &str) -> Result<DentalOutcome, FieldErrors> {
    let mut errors = FieldErrors::default();
    choice(raw, DentalOutcome::parse, Field::Outcome, &mut errors).ok_or(errors)
}

/// A criterion's label as typed by the admin.
///
/// # Errors
/// Required, at most 160 characters, no control or direction characters.
pub fn criterion_label(raw: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    let label = raw.trim().to_string();
    if label.is_empty() {
        errors.add(Field::Label, FieldProblem::Required);
    } else if label.chars().count() > 160 {
        errors.add(Field::Label, FieldProblem::TooLong);
    } else if has_forbidden_chars(&label, false) {
        errors.add(Field::Label, FieldProblem::InvalidCharacters);
    }
    if errors.is_empty() {
        Ok(label)
    } else {
        Err(errors)
    }
}
