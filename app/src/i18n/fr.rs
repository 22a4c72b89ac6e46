//! Les textes de l'interface, en français.

use crate::domain::request::{
    AcceptOfferError, Field, FieldProblem, IllegalTransition, OfferState, RequestStatus, Transition,
};
use crate::domain::*;

pub const APP_NAME: &str = "Relais";
pub const TAGLINE: &str = "Soins non programmés de la CPTS";

pub const ERR_UNAUTHENTICATED: &str = "Votre session a expiré : reconnectez-vous.";
pub const ERR_FORBIDDEN: &str = "Vous n'avez pas accès à cette action.";
pub const ERR_NOT_FOUND: &str = "Cette demande n'existe pas ou plus.";
pub const ERR_BAD_CREDENTIALS: &str = "Adresse e-mail ou mot de passe incorrect.";
pub const ERR_INVALID: &str = "Le formulaire contient des erreurs : corrigez les champs signalés.";
pub const ERR_RED_FLAGS: &str =
    "Signe de gravité : appelez le 15 (SAMU) immédiatement. La demande n'est pas envoyée aux professionnels.";
pub const ERR_OUTSIDE_HOURS: &str =
    "Hors des heures d'ouverture (lun.–ven. 8 h–20 h, sam. 8 h–12 h, hors jours fériés) : \
     orientez le patient vers la permanence des soins (116 117) ou, en cas d'urgence, le 15.";
pub const ERR_CONFLICT: &str = "Quelqu'un a fait une modification au même moment : rechargez et réessayez.";
pub const ERR_DEADLINE_PASSED: &str =
    "Le délai de cette demande est dépassé : elle ne peut plus être envoyée. Réorientez le patient.";
pub const ERR_INTERNAL: &str = "Une erreur est survenue. Réessayez dans un instant.";
pub const ERR_BAD_REQUEST: &str = "La requête est incomplète ou mal formée.";

pub fn err_too_many_attempts(minutes: i64) -> String {
    format!("Trop de tentatives de connexion. Réessayez dans {minutes} min.")
}

pub fn accept_error(e: AcceptOfferError) -> &'static str {
    match e {
        AcceptOfferError::AlreadyTaken => TAKEN_BY_COLLEAGUE,
        AcceptOfferError::NotOnPanel => "Cette demande ne vous a pas été proposée.",
        AcceptOfferError::AlreadyRefused => "Vous avez déjà décliné cette demande.",
        AcceptOfferError::Closed => "Cette demande est close ou son délai est dépassé.",
        AcceptOfferError::CapReached => "Vous avez atteint votre plafond hebdomadaire de demandes SNP.",
    }
}

pub fn illegal_transition(t: IllegalTransition) -> String {
    format!(
        "Action impossible : « {} » n'est pas permis pour une demande à l'état « {} ».",
        transition(t.transition),
        status(t.from)
    )
}

pub fn rule_violation(r: crate::domain::planning::RuleViolation) -> String {
    use crate::domain::planning::RuleViolation as R;
    match r {
        R::Full => "Cette vacation est déjà complète.".into(),
        R::AlreadyHolder => "Vous tenez déjà cette vacation.".into(),
        R::Overlap => "Refusé : elle chevauche une de vos vacations.".into(),
        R::WeeklyCap { max } => format!("Refusé : plafond de {max} vacation(s) par semaine atteint pour votre groupe."),
        R::MonthlyCap { max } => format!("Refusé : plafond de {max} vacation(s) par mois atteint pour votre groupe."),
        R::Share { max_percent } => format!("Refusé : votre part du planning dépasserait {max_percent} % ce mois-ci."),
        R::NotInGroup => "Refusé : vous n'êtes dans aucun groupe de ce planning.".into(),
        R::Past => "Cette vacation a déjà commencé.".into(),
        R::AssignedByAdmin => "Cette vacation est attribuée par l'administrateur : demandez-la-lui.".into(),
        R::UndoWindowPassed { minutes } => {
            format!("Trop tard pour annuler ce changement (possible pendant {minutes} min après l'accord) : voyez l'administrateur.")
        }
        R::NoticePassed { hours } => format!(
            "Trop tard pour la remettre au pot commun (moins de {hours} h avant) : proposez une cession ou un échange."
        ),
    }
}

pub fn vacation_kind(k: crate::domain::planning::VacationKind) -> &'static str {
    use crate::domain::planning::VacationKind as K;
    match k {
        K::SnpOffice => "SNP au cabinet",
        K::SnpTeleconsultation => "SNP en téléconsultation",
        K::DentalEmergency => "Urgences dentaires",
        K::SasRegulation => "Régulation SAS",
    }
}

pub fn change_kind(k: crate::domain::planning::ChangeKind) -> &'static str {
    use crate::domain::planning::ChangeKind as K;
    match k {
        K::Cession => "Cession",
        K::Exchange => "Échange",
        K::ReturnToPool => "Remise au pot commun",
        K::Undo => "Annulation d'un changement",
    }
}

pub const TAKEN_BY_COLLEAGUE: &str = "Déjà pris par un·e collègue.";

/// Why an offer left a clinician's list, from the live event's kind.
pub fn offer_gone(kind: &str) -> Option<&'static str> {
    match kind {
        "offer_taken" => Some(TAKEN_BY_COLLEAGUE),
        "offer_closed" => Some("Demande annulée ou réorientée par la coordination."),
        "offer_expired" => Some("Délai de la demande dépassé."),
        _ => None,
    }
}

pub fn field(f: Field) -> &'static str {
    match f {
        Field::Motive => "Motif",
        Field::Profession => "Profession demandée",
        Field::PatientName => "Prénom ou initiales du patient",
        Field::AgeBand => "Tranche d'âge",
        Field::CallbackPhone => "Téléphone de rappel",
        Field::Commune => "Commune",
        Field::Deadline => "Délai",
        Field::Source => "Origine de la demande",
        Field::TreatingMemberId => "Médecin traitant",
        Field::Note => "Note",
        Field::AppointmentAt => "Heure du rendez-vous",
        Field::Mode => "Mode",
        Field::Reorientation => "Réorientation",
        Field::Email => "Adresse e-mail",
        Field::Password => "Mot de passe",
        Field::Name => "Nom",
        Field::NoticeHours => "Délai de prévenance (heures)",
        Field::Dimension => "Type de groupe",
        Field::MaxShare => "Part maximale (%)",
        Field::Kind => "Type de vacation",
        Field::Weekdays => "Jours",
        Field::Hours => "Horaires",
        Field::From => "Du",
        Field::To => "Au",
        Field::Capacity => "Places par vacation",
        Field::Counter => "Vacation contre laquelle échanger",
        Field::Colleague => "Collègue",
        Field::Reason => "Raison",
    }
}

pub fn field_problem(p: FieldProblem) -> &'static str {
    match p {
        FieldProblem::Required => "Ce champ est obligatoire.",
        FieldProblem::UnknownChoice => "Choisissez une valeur de la liste.",
        FieldProblem::TooLong => "Ce texte est trop long.",
        FieldProblem::InvalidPhone => "Numéro français attendu, par exemple 06 12 34 56 78.",
        FieldProblem::InvalidDate => "Date ou heure invalide.",
        FieldProblem::InPast => "Cette heure est déjà passée.",
        FieldProblem::OutOfRange => "Valeur hors des limites permises.",
        FieldProblem::Taken => "Ce nom est déjà utilisé.",
        FieldProblem::InvalidCharacters => "Caractères non permis (caractères de contrôle).",
        FieldProblem::InvalidTimeRange => "Horaires attendus comme 08:00-12:00, séparés par des virgules.",
    }
}

pub fn role(r: Role) -> &'static str {
    match r {
        Role::Clinician => "Professionnel·le de santé",
        Role::Coordinator => "Coordination",
        Role::Admin => "Administration CPTS",
    }
}

pub fn profession(p: Profession) -> &'static str {
    match p {
        Profession::Gp => "Médecin généraliste",
        Profession::Dentist => "Chirurgien·ne-dentiste",
        Profession::Pharmacist => "Pharmacien·ne",
        Profession::Nurse => "Infirmier·e",
        Profession::Physio => "Masseur·se-kinésithérapeute",
        Profession::Midwife => "Sage-femme",
        Profession::Specialist => "Médecin spécialiste",
    }
}

pub fn motive(m: Motive) -> &'static str {
    match m {
        Motive::Fever => "Fièvre",
        Motive::Pain => "Douleur",
        Motive::MinorTrauma => "Traumatologie légère",
        Motive::UrinaryInfection => "Infection urinaire",
        Motive::DentalEmergency => "Urgence dentaire",
        Motive::Renewal => "Renouvellement de traitement",
        Motive::Wound => "Plaie",
        Motive::Other => "Autre",
    }
}

pub fn red_flag(f: RedFlag) -> &'static str {
    match f {
        RedFlag::ChestPain => "Douleur thoracique",
        RedFlag::BreathingDistress => "Détresse respiratoire",
        RedFlag::Unconscious => "Perte de connaissance, malaise grave",
        RedFlag::StrokeSigns => "Signes d'AVC (visage, bras, parole)",
        RedFlag::Haemorrhage => "Hémorragie importante",
        RedFlag::SevereTrauma => "Traumatisme grave",
        RedFlag::InfantFever => "Fièvre chez un nourrisson de moins de 3 mois",
    }
}

pub fn age_band(a: AgeBand) -> &'static str {
    match a {
        AgeBand::Infant => "0–2 ans",
        AgeBand::Child => "3–15 ans",
        AgeBand::Adult => "16–64 ans",
        AgeBand::Senior => "65–79 ans",
        AgeBand::Elder => "80 ans et plus",
    }
}

pub fn deadline(d: Deadline) -> &'static str {
    match d {
        Deadline::Today => "Aujourd'hui",
        Deadline::Within24h => "Sous 24 h",
        Deadline::Within48h => "Sous 48 h",
    }
}

pub fn source(s: Source) -> &'static str {
    match s {
        Source::PatientCall => "Appel du patient",
        Source::Sas => "SAS",
        Source::TreatingDoctor => "Médecin traitant",
        Source::Pharmacist => "Pharmacien·ne",
        Source::Other => "Autre",
    }
}

pub fn mode(m: AppointmentMode) -> &'static str {
    match m {
        AppointmentMode::Office => "Au cabinet",
        AppointmentMode::Teleconsultation => "Téléconsultation",
        AppointmentMode::HomeVisit => "Visite à domicile",
    }
}

pub fn refusal_reason(r: RefusalReason) -> &'static str {
    match r {
        RefusalReason::NoSlot => "Pas de créneau",
        RefusalReason::TooFar => "Trop loin",
        RefusalReason::OutOfScope => "Hors de mon champ",
        RefusalReason::Absent => "Absent·e",
        RefusalReason::Other => "Autre raison",
    }
}

pub fn reorientation(r: Reorientation) -> &'static str {
    match r {
        Reorientation::Sas => "SAS",
        Reorientation::Samu => "SAMU (15)",
        Reorientation::OtherCpts => "Autre CPTS",
        Reorientation::Pdsa => "Permanence des soins (116 117)",
        Reorientation::Other => "Autre",
    }
}

pub fn status(s: RequestStatus) -> &'static str {
    match s {
        RequestStatus::New => "Nouvelle",
        RequestStatus::Pushed => "Envoyée",
        RequestStatus::Escalated => "À réorienter",
        RequestStatus::Accepted => "Acceptée",
        RequestStatus::Booked => "Rendez-vous fixé",
        RequestStatus::Done => "Consultation faite",
        RequestStatus::NoShow => "Patient absent",
        RequestStatus::Reoriented => "Réorientée",
        RequestStatus::Cancelled => "Annulée",
    }
}

pub fn offer_state(s: OfferState) -> &'static str {
    match s {
        OfferState::Sent => "Envoyée",
        OfferState::Seen => "Vue",
        OfferState::Refused => "Déclinée",
        OfferState::Expired => "Expirée",
        OfferState::Withdrawn => "Retirée",
        OfferState::Accepted => "Acceptée",
    }
}

pub fn transition(t: Transition) -> &'static str {
    match t {
        Transition::Push => "envoyer",
        Transition::Widen => "élargir",
        Transition::Escalate => "signaler à la coordination",
        Transition::Accept => "accepter",
        Transition::Book => "fixer un rendez-vous",
        Transition::Complete => "consultation faite",
        Transition::NoShow => "patient absent",
        Transition::Reorient => "réorienter",
        Transition::Cancel => "annuler",
    }
}

pub fn escalation(code: &str) -> &'static str {
    match code {
        "waves_exhausted" => "Personne n'a accepté après toutes les vagues",
        "deadline_near" => "Le délai approche",
        "nobody_available" => "Aucun membre disponible",
        _ => "Signalée",
    }
}

pub fn exclusion(code: &str) -> &'static str {
    match code {
        "already_asked" => "déjà sollicité·e",
        "wrong_profession" => "autre profession",
        "not_available" => "ni de garde ni disponible",
        "cap_reached" => "plafond hebdomadaire atteint",
        "too_far" => "trop loin pour cette vague",
        "no_address" => "adresse inconnue",
        "not_treating_doctor" => "vague réservée au médecin traitant",
        _ => "exclu·e",
    }
}

pub fn audit_kind(kind: &str) -> &'static str {
    match kind {
        "request_created" => "Demande créée",
        "request_pushed" => "Demande envoyée",
        "offer_sent" => "Proposition envoyée",
        "offer_seen" => "Proposition vue",
        "offer_refused" => "Proposition déclinée",
        "offer_accepted" => "Demande acceptée",
        "offer_withdrawn" => "Proposition retirée",
        "offer_expired" => "Proposition expirée",
        "availability_changed" => "Disponibilité modifiée",
        "wave_widened" => "Vague élargie",
        "request_escalated" => "Signalée à la coordination",
        "outcome_recorded" => "Issue enregistrée",
        "login" => "Connexion",
        "logout" => "Déconnexion",
        "login_failed" => "Échec de connexion",
        "red_flag_redirect" => "Orientée vers le 15",
        "vacation_taken" => "Vacation prise",
        "vacation_assigned" => "Vacation attribuée",
        "vacation_returned" => "Vacation remise au pot commun",
        "change_proposed" => "Changement proposé",
        "change_accepted" => "Changement accepté",
        "change_declined" => "Changement refusé",
        "change_cancelled" => "Proposition annulée",
        "change_undone" => "Changement annulé",
        _ => "Événement",
    }
}

pub fn wave(w: u8) -> String {
    if w == 0 {
        "Vague 0 (médecin traitant)".into()
    } else {
        format!("Vague {w}")
    }
}

pub fn distance(km: Option<f64>) -> String {
    match km {
        Some(km) if km < 1.0 => "moins d'1 km".into(),
        Some(km) => format!("{km:.0} km").replace('.', ","),
        None => "distance inconnue".into(),
    }
}
