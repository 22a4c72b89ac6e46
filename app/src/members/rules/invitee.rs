//! Who may be invited: one line of the invitation form, or of an imported file, checked field by
//! field. Whether the e-mail or the RPPS is already taken in the CPTS needs the database: the
//! operation asks after this check.

use serde::{Deserialize, Serialize};

use super::rpps_is_valid;
use crate::domain::fields::has_forbidden_chars;
use crate::domain::{Field, FieldErrors, FieldProblem, Profession, Role};

/// The longest name.
pub const MAX_NAME: usize = 120;
const MAX_EMAIL: usize = 254;

/// What an admin types or a file holds, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteeInput {
    pub email: String,
    pub name: String,
    /// A profession's code (`gp`) or its French label (`Médecin généraliste`); empty for staff.
    pub profession: String,
    pub rpps: String,
    pub commune: String,
    /// A role's code (`clinician`) or its French label; empty means clinician.
    pub role: String,
}

/// Someone who may be invited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    /// Lowercase, trimmed.
    pub email: String,
    pub name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub rpps: Option<String>,
    /// One of the CPTS's communes, spelt as the CPTS spells it.
    pub commune: Option<String>,
}

/// Lowercase, without accents or spaces around: how a typed label is compared.
fn folded(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '-' | '\'' | '’' => ' ',
            c => c,
        })
        .collect::<String>()
        // Inclusive endings ("Infirmier·e", "Chirurgien·ne-dentiste") compare as their stem.
        .split(' ')
        .map(|w| w.split('·').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What files and people also call a profession (folded).
const PROFESSION_ALIASES: &[(&str, Profession)] = &[
    ("medecin", Profession::Gp),
    ("generaliste", Profession::Gp),
    ("mg", Profession::Gp),
    ("dentiste", Profession::Dentist),
    ("pharmacienne", Profession::Pharmacist),
    ("infirmiere", Profession::Nurse),
    ("ide", Profession::Nurse),
    ("kine", Profession::Physio),
    ("kinesitherapeute", Profession::Physio),
    ("masseuse kinesitherapeute", Profession::Physio),
    ("sage femme", Profession::Midwife),
    ("specialiste", Profession::Specialist),
];

fn coded<T: Copy>(raw: &str, all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Option<T> {
    let f = folded(raw);
    all.iter().copied().find(|v| code(*v) == raw.trim() || folded(label(*v)) == f)
}

/// A plausible e-mail address: one `@`, something before, a dotted domain after, no spaces.
fn email_is_plausible(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.len() <= MAX_EMAIL
}

/// Checks one line: e-mail, name, role (clinician when empty), profession (required for a
/// clinician), RPPS (eleven digits with their check digit; required for a clinician, optional
/// for staff), commune (one of `communes`, compared without case or accents; optional).
///
/// # Errors
/// Every field's problem at once.
pub fn check_invitee(
    input: &InviteeInput,
    communes: &[String],
    role_label: fn(Role) -> &'static str,
    profession_label: fn(Profession) -> &'static str,
) -> Result<Invitee, FieldErrors> {
    let mut errors = FieldErrors::default();
    let email = input.email.trim().to_lowercase();
    if email.is_empty() {
        errors.add(Field::Email, FieldProblem::Required);
    } else if !email_is_plausible(&email) {
        errors.add(Field::Email, FieldProblem::Invalid);
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.add(Field::Name, FieldProblem::Required);
    } else if name.chars().count() > MAX_NAME {
        errors.add(Field::Name, FieldProblem::TooLong);
    } else if has_forbidden_chars(&name, false) {
        errors.add(Field::Name, FieldProblem::InvalidCharacters);
    }
    let role = if input.role.trim().is_empty() {
        Some(Role::Clinician)
    } else {
        coded(&input.role, Role::ALL, Role::code, role_label)
    };
    if role.is_none() {
        errors.add(Field::Role, FieldProblem::UnknownChoice);
    }
    let profession = if input.profession.trim().is_empty() {
        None
    } else {
        let f = folded(&input.profession);
        let p = coded(&input.profession, Profession::ALL, Profession::code, profession_label)
            .or_else(|| PROFESSION_ALIASES.iter().find(|(a, _)| *a == f).map(|(_, p)| *p));
        if p.is_none() {
            errors.add(Field::Profession, FieldProblem::UnknownChoice);
        }
        p
    };
    let clinician = role == Some(Role::Clinician);
    if clinician && input.profession.trim().is_empty() {
        errors.add(Field::Profession, FieldProblem::Required);
    }
    let rpps: String = input.rpps.chars().filter(|c| !c.is_whitespace()).collect();
    let rpps = if rpps.is_empty() {
        if clinician {
            errors.add(Field::Rpps, FieldProblem::Required);
        }
        None
    } else if !rpps_is_valid(&rpps) {
        errors.add(Field::Rpps, FieldProblem::CheckDigit);
        None
    } else {
        Some(rpps)
    };
    let commune = if input.commune.trim().is_empty() {
        None
    } else {
        let c = communes.iter().find(|c| folded(c) == folded(&input.commune)).cloned();
        if c.is_none() {
            errors.add(Field::Commune, FieldProblem::UnknownChoice);
        }
        c
    };
    match role {
        Some(role) if errors.is_empty() => {
            Ok(Invitee { email, name, role, profession: if clinician { profession } else { None }, rpps, commune })
        }
        _ => Err(errors),
    }
}
