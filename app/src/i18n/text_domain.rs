//! The words of the shared vocabulary (re-exported by `text`): form fields and their problems,
//! roles, professions, and the coded values of a request.

use super::text::ERR_INVALID;
use super::{fmt, pick};
use crate::domain::*;
use crate::domain::{Field, FieldProblem};

pub fn field(f: Field) -> &'static str {
    let (fr, en) = match f {
        Field::Motive => ("Motif", "Reason for the request"),
        Field::Profession => ("Profession demandée", "Profession needed"),
        Field::PatientName => ("Prénom ou initiales du patient", "Patient's first name or initials"),
        Field::AgeBand => ("Tranche d'âge", "Age group"),
        Field::CallbackPhone => ("Téléphone de rappel", "Callback phone"),
        Field::Commune => ("Commune", "Town"),
        Field::Deadline => ("Délai", "Deadline"),
        Field::Source => ("Origine de la demande", "Source of the request"),
        Field::TreatingMemberId => ("Médecin traitant", "Regular doctor"),
        Field::Note => ("Note", "Note"),
        Field::AppointmentAt => ("Heure du rendez-vous", "Appointment time"),
        Field::Mode => ("Mode", "Mode"),
        Field::Reorientation => ("Réorientation", "Redirection"),
        Field::Email => ("Adresse e-mail", "E-mail address"),
        Field::Password => ("Mot de passe", "Password"),
        Field::Name => ("Nom", "Name"),
        Field::NoticeHours => ("Délai de prévenance (heures)", "Notice period (hours)"),
        Field::Dimension => ("Type de groupe", "Kind of group"),
        Field::MaxShare => ("Part maximale (%)", "Largest share (%)"),
        Field::Kind => ("Type de vacation", "Kind of shift"),
        Field::Weekdays => ("Jours", "Days"),
        Field::Hours => ("Horaires", "Hours"),
        Field::AvailableHours => ("Durée de disponibilité (0 à 12 heures)", "Time available (0 to 12 hours)"),
        Field::Consent => {
            ("Consentement du patient à la téléconsultation", "Patient's consent to the teleconsultation")
        }
        Field::Conclusion => ("Conclusion", "Conclusion"),
        Field::Date => ("Jour", "Day"),
        Field::Start => ("À partir de", "From"),
        Field::Count => ("Nombre de créneaux (1 à 12)", "Number of slots (1 to 12)"),
        Field::Minutes => ("Durée d'un créneau (5 à 120 minutes)", "Length of a slot (5 to 120 minutes)"),
        Field::Audience => ("Qui peut réserver", "Who can book"),
        Field::Weeks => ("Nombre de semaines (1 à 12)", "Number of weeks (1 to 12)"),
        Field::Slot => ("Créneau", "Slot"),
        Field::Finess => ("FINESS de la CPTS (9 caractères)", "The CPTS's FINESS number (9 characters)"),
        Field::From => ("Du", "From"),
        Field::To => ("Au", "To"),
        Field::Capacity => ("Places par vacation", "Places per shift"),
        Field::Counter => ("Vacation contre laquelle échanger", "Shift to swap for"),
        Field::Colleague => ("Collègue", "Colleague"),
        Field::Reason => ("Raison", "Reason"),
        Field::PushEndpoint => ("Adresse du service de notification", "Address of the notification service"),
        Field::PushKeys => ("Clés de chiffrement des notifications", "Encryption keys of the notifications"),
        Field::IdempotencyKey => ("Clé d'idempotence", "Idempotency key"),
        Field::Criteria => ("Critères de la grille", "Criteria of the grid"),
        Field::Solution => ("Solution", "Solution"),
        Field::Place => ("Lieu", "Place"),
        Field::Outcome => ("Issue", "Outcome"),
        Field::Label => ("Libellé du critère", "Wording of the criterion"),
        Field::Dentist => ("Chirurgien·ne-dentiste", "Dentist"),
        Field::Role => ("Rôle", "Role"),
        Field::Rpps => ("Numéro RPPS (11 chiffres)", "RPPS number (11 digits)"),
        Field::Phone => ("Téléphone mobile", "Mobile phone"),
        Field::Address => ("Adresse du cabinet", "Practice address"),
        Field::QuietHours => ("Heures calmes", "Quiet hours"),
        Field::File => ("Fichier", "File"),
        Field::Language => ("Langue", "Language"),
    };
    pick(fr, en)
}

/// A form's errors in one message: the field and its problem when there is one, else the
/// general message and the first of them.
pub fn invalid_fields(errors: &FieldErrors) -> String {
    match errors.0.as_slice() {
        [] => ERR_INVALID().into(),
        [(f, p)] => {
            let (f, p) = (field(*f), field_problem(*p));
            fmt!("{f} : {p}", "{f}: {p}")
        }
        [(f, p), ..] => {
            let (all, f, p) = (ERR_INVALID(), field(*f), field_problem(*p));
            fmt!("{all} Premier champ : {f} — {p}", "{all} First field: {f} — {p}")
        }
    }
}

pub fn field_problem(p: FieldProblem) -> &'static str {
    let (fr, en) = match p {
        FieldProblem::Required => ("Ce champ est obligatoire.", "This field is required."),
        FieldProblem::UnknownChoice => ("Choisissez une valeur de la liste.", "Choose a value from the list."),
        FieldProblem::TooLong => ("Ce texte est trop long.", "This text is too long."),
        FieldProblem::InvalidPhone => (
            "Numéro français attendu, par exemple 06 12 34 56 78.",
            "A French number is expected, for example 06 12 34 56 78.",
        ),
        FieldProblem::InvalidDate => ("Date ou heure invalide.", "Invalid date or time."),
        FieldProblem::InPast => ("Ce moment est déjà passé.", "This time has already passed."),
        FieldProblem::OutOfRange => ("Valeur hors des limites permises.", "Value outside the allowed range."),
        FieldProblem::Taken => ("Ce nom est déjà utilisé.", "This name is already used."),
        FieldProblem::InvalidCharacters => (
            "Caractères non permis (caractères de contrôle ou d'inversion du sens du texte).",
            "Characters not allowed (control or text-direction characters).",
        ),
        FieldProblem::InvalidTimeRange => (
            "Horaires attendus comme 08:00-12:00, séparés par des virgules.",
            "Hours are expected as 08:00-12:00, separated by commas.",
        ),
        FieldProblem::Invalid => ("Valeur invalide.", "Invalid value."),
        FieldProblem::Duplicate => (
            "Déjà utilisé par un membre ou une invitation en cours de la CPTS.",
            "Already used by a member or a pending invitation of the CPTS.",
        ),
        FieldProblem::CheckDigit => (
            "Numéro incorrect : 11 chiffres, dont le dernier est la clé de contrôle.",
            "Wrong number: 11 digits, the last one being the check digit.",
        ),
    };
    pick(fr, en)
}

pub fn role(r: Role) -> &'static str {
    match r {
        Role::Clinician => pick("Professionnel·le de santé", "Health professional"),
        Role::Coordinator => pick("Coordination", "Coordination"),
        Role::Admin => pick("Administration CPTS", "CPTS administration"),
    }
}

pub fn profession(p: Profession) -> &'static str {
    match p {
        Profession::Gp => pick("Médecin généraliste", "General practitioner"),
        Profession::Dentist => pick("Chirurgien·ne-dentiste", "Dentist"),
        Profession::Pharmacist => pick("Pharmacien·ne", "Pharmacist"),
        Profession::Nurse => pick("Infirmier·e", "Nurse"),
        Profession::Physio => pick("Masseur·se-kinésithérapeute", "Physiotherapist"),
        Profession::Midwife => pick("Sage-femme", "Midwife"),
        Profession::Specialist => pick("Médecin spécialiste", "Specialist doctor"),
    }
}

pub fn motive(m: Motive) -> &'static str {
    match m {
        Motive::Fever => pick("Fièvre", "Fever"),
        Motive::Pain => pick("Douleur", "Pain"),
        Motive::MinorTrauma => pick("Traumatologie légère", "Minor injury"),
        Motive::UrinaryInfection => pick("Infection urinaire", "Urinary infection"),
        Motive::DentalEmergency => pick("Urgence dentaire", "Dental emergency"),
        Motive::Renewal => pick("Renouvellement de traitement", "Repeat prescription"),
        Motive::Wound => pick("Plaie", "Wound"),
        Motive::Other => pick("Autre", "Other"),
    }
}

pub fn red_flag(f: RedFlag) -> &'static str {
    match f {
        RedFlag::ChestPain => pick("Douleur thoracique", "Chest pain"),
        RedFlag::BreathingDistress => pick("Détresse respiratoire", "Breathing distress"),
        RedFlag::Unconscious => pick("Perte de connaissance, malaise grave", "Loss of consciousness, collapse"),
        RedFlag::StrokeSigns => pick("Signes d'AVC (visage, bras, parole)", "Signs of a stroke (face, arm, speech)"),
        RedFlag::Haemorrhage => pick("Hémorragie importante", "Heavy bleeding"),
        RedFlag::SevereTrauma => pick("Traumatisme grave", "Severe injury"),
        RedFlag::InfantFever => pick("Fièvre chez un nourrisson de moins de 3 mois", "Fever in a baby under 3 months"),
    }
}

pub fn age_band(a: AgeBand) -> &'static str {
    match a {
        AgeBand::Infant => pick("0–2 ans", "0–2 years"),
        AgeBand::Child => pick("3–15 ans", "3–15 years"),
        AgeBand::Adult => pick("16–64 ans", "16–64 years"),
        AgeBand::Senior => pick("65–79 ans", "65–79 years"),
        AgeBand::Elder => pick("80 ans et plus", "80 years and over"),
    }
}

pub fn deadline(d: Deadline) -> &'static str {
    match d {
        Deadline::Today => pick("Aujourd'hui", "Today"),
        Deadline::Within24h => pick("Sous 24 h", "Within 24 h"),
        Deadline::Within48h => pick("Sous 48 h", "Within 48 h"),
    }
}

pub fn source(s: Source) -> &'static str {
    match s {
        Source::PatientCall => pick("Appel du patient", "The patient's call"),
        Source::Sas => pick("SAS", "SAS"),
        Source::TreatingDoctor => pick("Médecin traitant", "Regular doctor"),
        Source::Pharmacist => pick("Pharmacien·ne", "Pharmacist"),
        Source::Other => pick("Autre", "Other"),
    }
}

pub fn mode(m: AppointmentMode) -> &'static str {
    match m {
        AppointmentMode::Office => pick("Au cabinet", "At the practice"),
        AppointmentMode::Teleconsultation => pick("Téléconsultation", "Teleconsultation"),
        AppointmentMode::HomeVisit => pick("Visite à domicile", "Home visit"),
    }
}

pub fn refusal_reason(r: RefusalReason) -> &'static str {
    match r {
        RefusalReason::NoSlot => pick("Pas de créneau", "No slot"),
        RefusalReason::TooFar => pick("Trop loin", "Too far"),
        RefusalReason::OutOfScope => pick("Hors de mon champ", "Outside my field"),
        RefusalReason::Absent => pick("Absent·e", "Away"),
        RefusalReason::Other => pick("Autre raison", "Another reason"),
    }
}

pub fn reorientation(r: Reorientation) -> &'static str {
    match r {
        Reorientation::Sas => pick("SAS", "SAS"),
        Reorientation::Samu => pick("SAMU (15)", "SAMU (15)"),
        Reorientation::OtherCpts => pick("Autre CPTS", "Another CPTS"),
        Reorientation::Pdsa => pick("Permanence des soins (116 117)", "Out-of-hours service (116 117)"),
        Reorientation::ComeBackLater => pick("Revenir plus tard", "Come back later"),
        Reorientation::Other => pick("Autre", "Other"),
    }
}
