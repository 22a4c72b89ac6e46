//! The patient as a form names them — first name or initials, age band, callback phone,
//! commune, a short note — and the checks every capability applies to them (SNP requests,
//! dental referrals).

use crate::domain::fields::has_forbidden_chars;
use crate::domain::phone::FrenchPhone;
use crate::domain::{AgeBand, Field, FieldErrors, FieldProblem};

pub const PATIENT_NAME_MAX: usize = 40;
pub const NOTE_MAX: usize = 280;

/// The patient fields as typed.
#[derive(Clone, Copy, Debug)]
pub struct PatientInput<'a> {
    pub name: &'a str,
    pub age_band: &'a str,
    pub callback_phone: &'a str,
    pub commune: &'a str,
    pub note: &'a str,
}

/// The patient fields, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Patient {
    pub name: String,
    pub age_band: AgeBand,
    pub callback_phone: FrenchPhone,
    pub commune: String,
    pub note: String,
}

impl PatientInput<'_> {
    /// Checks each field against `communes` (the CPTS's), adding one problem per faulty field
    /// to `errors`; the patient when all are right.
    pub fn check(&self, communes: &[String], errors: &mut FieldErrors) -> Option<Patient> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.add(Field::PatientName, FieldProblem::Required);
        } else if has_forbidden_chars(&name, false) {
            errors.add(Field::PatientName, FieldProblem::InvalidCharacters);
        } else if name.chars().count() > PATIENT_NAME_MAX {
            errors.add(Field::PatientName, FieldProblem::TooLong);
        }
        let age_band = choice(self.age_band, AgeBand::parse, Field::AgeBand, errors);
        let phone = if self.callback_phone.trim().is_empty() {
            errors.add(Field::CallbackPhone, FieldProblem::Required);
            None
        } else {
            let p = FrenchPhone::parse(self.callback_phone);
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
        let note = self.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            errors.add(Field::Note, FieldProblem::TooLong);
        } else if has_forbidden_chars(&note, true) {
            errors.add(Field::Note, FieldProblem::InvalidCharacters);
        }
        let fields_ok = [Field::PatientName, Field::Commune, Field::Note].iter().all(|f| errors.get(*f).is_none());
        match (age_band, phone) {
            (Some(age_band), Some(callback_phone)) if fields_ok => {
                Some(Patient { name, age_band, callback_phone, commune, note })
            }
            _ => None,
        }
    }
}

/// A coded choice: required, and one of the list.
pub fn choice<T>(raw: &str, parse: fn(&str) -> Option<T>, field: Field, errors: &mut FieldErrors) -> Option<T> {
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
