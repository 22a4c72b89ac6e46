//! Les textes de l'interface, en français.

pub use super::fr_dental::*;
pub use super::fr_indicators::*;
pub use super::fr_members::*;
pub use super::fr_planning::*;
pub use super::fr_slots::*;
pub use super::fr_teleconsult::*;
use crate::dispatch::rules::{AcceptOfferError, IllegalTransition, OfferState, RequestStatus, Transition};
use crate::domain::*;
use crate::domain::{Field, FieldProblem};

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
pub const ERR_UNAVAILABLE: &str =
    "Service momentanément indisponible (base de données injoignable). Réessayez dans un instant : rien n'a été enregistré.";
pub const JOURNAL_D_AUDIT: &str = "Journal d'audit";
pub const JOURNAL_D_AUDIT_AIDE: &str =
    "Chaque action de la période, avec son empreinte (CSV ; par défaut : ce mois-ci).";
pub const DU: &str = "Du";
pub const AU: &str = "Au";
pub const EXPORTER_LE_JOURNAL: &str = "Exporter le journal (CSV)";
pub const ERR_TOO_LARGE: &str = "Envoi trop volumineux.";
pub const ERR_UNSUPPORTED_MEDIA_TYPE: &str = "Format d'envoi non pris en charge (JSON ou formulaire attendu).";
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

pub fn rule_violation(r: crate::planning::rules::RuleViolation) -> String {
    use crate::planning::rules::RuleViolation as R;
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

pub fn vacation_kind(k: crate::planning::rules::VacationKind) -> &'static str {
    use crate::planning::rules::VacationKind as K;
    match k {
        K::SnpOffice => "SNP au cabinet",
        K::SnpTeleconsultation => "SNP en téléconsultation",
        K::DentalEmergency => "Urgences dentaires",
        K::SasRegulation => "Régulation SAS",
    }
}

pub fn change_kind(k: crate::planning::rules::ChangeKind) -> &'static str {
    use crate::planning::rules::ChangeKind as K;
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
        Field::AvailableHours => "Durée de disponibilité (0 à 12 heures)",
        Field::Consent => "Consentement du patient à la téléconsultation",
        Field::Conclusion => "Conclusion",
        Field::Date => "Jour",
        Field::Start => "À partir de",
        Field::Count => "Nombre de créneaux (1 à 12)",
        Field::Minutes => "Durée d'un créneau (5 à 120 minutes)",
        Field::Audience => "Qui peut réserver",
        Field::Weeks => "Nombre de semaines (1 à 12)",
        Field::Slot => "Créneau",
        Field::Finess => "FINESS de la CPTS (9 caractères)",
        Field::From => "Du",
        Field::To => "Au",
        Field::Capacity => "Places par vacation",
        Field::Counter => "Vacation contre laquelle échanger",
        Field::Colleague => "Collègue",
        Field::Reason => "Raison",
        Field::PushEndpoint => "Adresse du service de notification",
        Field::PushKeys => "Clés de chiffrement des notifications",
        Field::IdempotencyKey => "Clé d'idempotence",
        Field::Criteria => "Critères de la grille",
        Field::Solution => "Solution",
        Field::Place => "Lieu",
        Field::Outcome => "Issue",
        Field::Label => "Libellé du critère",
        Field::Dentist => "Chirurgien·ne-dentiste",
        Field::Role => "Rôle",
        Field::Rpps => "Numéro RPPS (11 chiffres)",
        Field::Phone => "Téléphone mobile",
        Field::Address => "Adresse du cabinet",
        Field::QuietHours => "Heures calmes",
        Field::File => "Fichier",
    }
}

/// A form's errors in one message: the field and its problem when there is one, else the
/// general message and the first of them.
pub fn invalid_fields(errors: &FieldErrors) -> String {
    match errors.0.as_slice() {
        [] => ERR_INVALID.into(),
        [(f, p)] => format!("{} : {}", field(*f), field_problem(*p)),
        [(f, p), ..] => format!("{ERR_INVALID} Premier champ : {} — {}", field(*f), field_problem(*p)),
    }
}

pub fn field_problem(p: FieldProblem) -> &'static str {
    match p {
        FieldProblem::Required => "Ce champ est obligatoire.",
        FieldProblem::UnknownChoice => "Choisissez une valeur de la liste.",
        FieldProblem::TooLong => "Ce texte est trop long.",
        FieldProblem::InvalidPhone => "Numéro français attendu, par exemple 06 12 34 56 78.",
        FieldProblem::InvalidDate => "Date ou heure invalide.",
        FieldProblem::InPast => "Ce moment est déjà passé.",
        FieldProblem::OutOfRange => "Valeur hors des limites permises.",
        FieldProblem::Taken => "Ce nom est déjà utilisé.",
        FieldProblem::InvalidCharacters => {
            "Caractères non permis (caractères de contrôle ou d'inversion du sens du texte)."
        }
        FieldProblem::InvalidTimeRange => "Horaires attendus comme 08:00-12:00, séparés par des virgules.",
        FieldProblem::Invalid => "Valeur invalide.",
        FieldProblem::Duplicate => "Déjà utilisé par un membre ou une invitation en cours de la CPTS.",
        FieldProblem::CheckDigit => "Numéro incorrect : 11 chiffres, dont le dernier est la clé de contrôle.",
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
        Reorientation::ComeBackLater => "Revenir plus tard",
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
        Transition::BookSlot => "réserver un créneau SNP",
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
        "teleconsult_requested" => "Téléconsultation demandée par la pharmacie (consentement du patient)",
        "teleconsult_rewidened" => "Relancée par la pharmacie",
        "teleconsult_room_opened" => "Salle de téléconsultation ouverte",
        "teleconsult_concluded" => "Conclusion de la téléconsultation",
        "login_refused" => "Connexion refusée (accès suspendu)",
        "logout_others" => "Autres appareils déconnectés",
        "invitation_sent" => "Invitation envoyée",
        "invitation_resent" => "Invitation renvoyée",
        "invitation_withdrawn" => "Invitation retirée",
        "invitation_accepted" => "Invitation acceptée, compte créé",
        "member_created" => "Membre créé",
        "member_suspended" => "Accès suspendu",
        "member_reinstated" => "Accès rétabli",
        "member_removed" => "Retiré de la CPTS",
        "profile_changed" => "Profil modifié",
        "preferences_changed" => "Choix des avis modifiés",
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

// ---------------------------------------------------------------- screens

pub const CONNEXION: &str = "Connexion";
pub const ADRESSE_E_MAIL: &str = "Adresse e-mail";
pub const MOT_DE_PASSE: &str = "Mot de passe";
pub const SE_CONNECTER: &str = "Se connecter";
pub const COMPTES_DE_DEMONSTRATION: &str = "Comptes de démonstration";
pub const MOT_DE_PASSE_2: &str = "Mot de passe : ";
pub const DEMANDES_PROPOSEES: &str = "Demandes proposées";
pub const LA_DEMANDE_A_ETE_RETIREE: &str = " La demande a été retirée de votre liste.";
pub const CHARGEMENT: &str = "Chargement…";
pub const AUCUNE_DEMANDE_EN_ATTENTE: &str = "Aucune demande en attente.";
pub const MES_PRISES_EN_CHARGE: &str = "Mes prises en charge";
pub const AUCUNE_POUR_L_INSTANT: &str = "Aucune pour l'instant.";
pub const VOUS_ETES_DE_GARDE_SNP: &str = "Vous êtes de garde SNP.";
pub const NI_DE_GARDE_NI_DISPONIBLE: &str =
    "Ni de garde ni disponible : vous ne recevez que les demandes de vos patients.";
pub const NE_PLUS_ETRE_DISPONIBLE: &str = "Ne plus être disponible";
pub const DISPONIBLE_2_H: &str = "Disponible 2 h";
pub const ACCEPTER: &str = "Accepter";
pub const SANS_RAISON: &str = "Sans raison";
pub const DECLINER: &str = "Décliner";
pub const DEMANDES_DU_JOUR: &str = "Demandes du jour";
pub const NOUVELLE_DEMANDE: &str = "Nouvelle demande";
pub const AUCUNE_DEMANDE_EN_COURS: &str = "Aucune demande en cours.";
pub const PRISE_EN_CHARGE: &str = "Prise en charge : ";
pub const A_REORIENTER: &str = " — à réorienter";
pub const CHOISIR: &str = "— Choisir —";
pub const NOUVELLE_DEMANDE_DE_SOINS_NON: &str = "Nouvelle demande de soins non programmés";
pub const APPELER_LE_15: &str = "Appeler le 15";
pub const SIGNES_DE_GRAVITE_SI_L: &str = "Signes de gravité — si l'un est présent : appeler le 15";
pub const TELECONSULTATION_ACCEPTEE_PAR_LE_PATIENT: &str = "Téléconsultation acceptée par le patient";
pub const AUCUN_NON_MEMBRE: &str = "— Aucun / non membre —";
pub const ENREGISTRER_LA_DEMANDE: &str = "Enregistrer la demande";
pub const RETOUR: &str = "← Retour";
pub const AUCUN_MEMBRE_DISPONIBLE_LA_DEMANDE: &str =
    "Aucun membre disponible : la demande est signalée pour réorientation.";
pub const PERSONNE_DE_PLUS_N_EST: &str =
    "Personne de plus n'est disponible : les propositions déjà envoyées restent ouvertes.";
pub const PROFESSION: &str = "Profession";
pub const AGE: &str = "Âge";
pub const COMMUNE: &str = "Commune";
pub const DELAI: &str = "Délai";
pub const TELECONSULTATION: &str = "Téléconsultation";
pub const ACCEPTEE: &str = "acceptée";
pub const ORIGINE: &str = "Origine";
pub const PRISE_EN_CHARGE_2: &str = "Prise en charge";
pub const RENDEZ_VOUS: &str = "Rendez-vous";
pub const REORIENTEE_VERS: &str = "Réorientée vers";
pub const ALERTE: &str = "Alerte";
pub const PATIENT: &str = "Patient";
pub const ENVOYER_AU_PANEL: &str = "Envoyer au panel";
pub const RELANCER_L_ENVOI: &str = "Relancer l'envoi";
pub const PROPOSITIONS: &str = "Propositions";
pub const PROFESSIONNELLE: &str = "Professionnel·le";
pub const VAGUE: &str = "Vague";
pub const DISTANCE: &str = "Distance";
pub const ETAT: &str = "État";
pub const HEURE: &str = "Heure";
pub const HISTORIQUE: &str = "Historique";
pub const ISSUE: &str = "Issue";
pub const MODE: &str = "Mode";
pub const ENREGISTRER_LE_RENDEZ_VOUS: &str = "Enregistrer le rendez-vous";
pub const CONSULTATION_FAITE: &str = "Consultation faite";
pub const PATIENT_ABSENT: &str = "Patient absent";
pub const REORIENTER_VERS: &str = "Réorienter vers";
pub const REORIENTER: &str = "Réorienter";
pub const ANNULER_LA_DEMANDE: &str = "Annuler la demande";
pub const MES_GARDES: &str = "Mes gardes";
pub const PROPOSITIONS_RECUES: &str = "Propositions reçues";
pub const DE: &str = " de ";
pub const CONTRE_VOTRE_VACATION_DU: &str = "contre votre vacation du ";
pub const REFUSER: &str = "Refuser";
pub const MES_VACATIONS: &str = "Mes vacations";
pub const AUCUNE_VACATION_A_VENIR: &str = "Aucune vacation à venir.";
pub const A_TOUS: &str = " à tous";
pub const ANNULER_LA_PROPOSITION: &str = "Annuler la proposition";
pub const CEDER_ECHANGER_OU_REMETTRE: &str = "Céder, échanger ou remettre";
pub const CEDER_A: &str = "Céder à";
pub const TOUT_COLLEGUE_DU_PLANNING: &str = "Tout collègue du planning";
pub const PROPOSER_LA_CESSION: &str = "Proposer la cession";
pub const ECHANGER_CONTRE: &str = "Échanger contre";
pub const PROPOSER_L_ECHANGE: &str = "Proposer l'échange";
pub const REMETTRE_AU_POT_COMMUN: &str = "Remettre au pot commun";
pub const VACATIONS_OUVERTES: &str = "Vacations ouvertes";
pub const AUCUNE_PLACE_LIBRE_DANS_VOS: &str = "Aucune place libre dans vos plannings.";
pub const PRENDRE: &str = "Prendre";
pub const CHANGEMENTS_RECENTS: &str = "Changements récents";
pub const DEMANDER_L_ANNULATION: &str = "Demander l'annulation";
pub const RAPPELS_ET_AVIS: &str = "Rappels et avis";
pub const MON_CALENDRIER: &str = "Mon calendrier";
pub const PLANNINGS: &str = "Plannings";
pub const AUCUN_PLANNING: &str = "Aucun planning.";
pub const NOUVEAU_PLANNING: &str = "Nouveau planning";
pub const NOM: &str = "Nom";
pub const CREER_LE_PLANNING: &str = "Créer le planning";
pub const PLANNINGS_2: &str = "← Plannings";
pub const STATUS_WARN: &str = "status warn";
pub const STATUS_OK: &str = "status ok";
pub const GROUPES_ET_REGLES: &str = "Groupes et règles";
pub const AUCUN_GROUPE_PERSONNE_NE_PEUT: &str = "Aucun groupe : personne ne peut prendre de vacation.";
pub const MODIFIER_LES_MEMBRES: &str = "Modifier les membres";
pub const ENREGISTRER_LES_MEMBRES: &str = "Enregistrer les membres";
pub const GRILLE: &str = "Grille";
pub const SEMAINE_PRECEDENTE: &str = "← Semaine précédente";
pub const SEMAINE_SUIVANTE: &str = "Semaine suivante →";
pub const LE_MOIS: &str = "Le mois";
pub const AUCUNE_VACATION_SUR_CETTE_PERIODE: &str = "Aucune vacation sur cette période.";
pub const VACATION: &str = "Vacation";
pub const TYPE: &str = "Type";
pub const TENUE_PAR: &str = "Tenue par";
pub const PLACES: &str = "Places";
pub const ATTRIBUER: &str = "Attribuer";
pub const VACATIONS_TENUES_SUR_LA_PERIODE: &str = "Vacations tenues sur la période";
pub const GENERER_DES_VACATIONS: &str = "Générer des vacations";
pub const SAUTER_LES_JOURS_FERIES: &str = "Sauter les jours fériés";
pub const GENERER: &str = "Générer";
pub const NOUVEAU_GROUPE: &str = "Nouveau groupe";
pub const NOM_DU_GROUPE: &str = "Nom du groupe";
pub const TERRITOIRE: &str = "Territoire";
pub const STRUCTURE: &str = "Structure";
pub const AU_PLUS_PAR_MOIS: &str = "Au plus, par mois";
pub const MEMBRES: &str = "Membres";
pub const CREER_LE_GROUPE: &str = "Créer le groupe";
pub const DEMANDES: &str = "Demandes";
pub const SE_DECONNECTER: &str = "Se déconnecter";
pub const PAGE_INTROUVABLE: &str = "Page introuvable";
pub const RETOUR_A_L_ACCUEIL: &str = "Retour à l'accueil";

// ---------------------------------------------------------------- notifications, offline

pub const PUSH_OFFER_NEW: &str = "Nouvelle demande de soins non programmés";
pub const PUSH_OFFER_TAKEN: &str = "Demande prise par un·e collègue";
pub const PUSH_OFFER_CLOSED: &str = "Demande annulée par la coordination";
pub const PUSH_OFFER_EXPIRED: &str = "Délai de la demande dépassé";
pub const PUSH_NOTICE: &str = "Relais — vos gardes";
pub const PUSH_REMINDER: &str = "Relais — rappel de garde";
pub const PUSH_TEST_TITLE: &str = "Relais — notification d'essai";
pub const PUSH_TEST_BODY: &str = "Les notifications arrivent bien sur cet appareil.";
pub const APPAREIL_SANS_NOM: &str = "Appareil sans nom";

pub const REGLAGES: &str = "Réglages";
pub const NOTIFICATIONS: &str = "Notifications";
pub const NOTIF_PROPOSITION: &str =
    "Recevez les demandes sur ce téléphone, même application fermée : une touche ouvre la demande.";
pub const ACTIVER_LES_NOTIFICATIONS: &str = "Activer les notifications";
pub const PLUS_TARD: &str = "Plus tard";
pub const NOTIF_ACTIVEES: &str = "Notifications activées sur cet appareil.";
pub const NOTIF_REFUSEES: &str =
    "Les notifications sont bloquées pour Relais dans ce navigateur : autorisez-les dans ses réglages du site.";
pub const NOTIF_NON_DISPONIBLES: &str = "Ce navigateur ne permet pas les notifications push.";
pub const NOTIF_ECHEC: &str = "L'abonnement aux notifications a échoué. Réessayez dans un instant.";
pub const IOS_ECRAN_ACCUEIL: &str = "Sur iPhone et iPad, les notifications demandent d'ajouter Relais à l'écran \
     d'accueil : touchez le bouton Partager (carré avec une flèche) dans Safari, puis « Sur l'écran d'accueil », \
     et ouvrez Relais depuis cette icône.";
pub const MES_APPAREILS: &str = "Appareils qui reçoivent les notifications";
pub const AUCUN_APPAREIL: &str = "Aucun appareil abonné.";
pub const RETIRER: &str = "Retirer";
pub const ENVOYER_UN_ESSAI: &str = "Envoyer une notification d'essai";
pub const ESSAI_ENVOYE: &str = "Notification d'essai envoyée.";
pub const CET_APPAREIL: &str = "cet appareil";

pub const HORS_LIGNE: &str = "Hors ligne";
pub fn hors_ligne_donnees_du(when: &str) -> String {
    format!("Hors ligne — données du {when}")
}
pub const HORS_LIGNE_SANS_COPIE: &str = "Hors ligne, et aucune copie n'est enregistrée sur cet appareil.";
pub const ACCEPTER_RESEAU: &str = "Accepter (réseau nécessaire)";
pub const ACCEPTER_HORS_LIGNE: &str = "Accepter une demande nécessite le réseau : le premier qui accepte l'obtient.";
pub fn en_attente_de_reseau(n: usize) -> String {
    if n == 1 {
        "1 action en attente du réseau : elle partira dès la reconnexion.".to_string()
    } else {
        format!("{n} actions en attente du réseau : elles partiront dès la reconnexion.")
    }
}
pub const REFUS_EN_ATTENTE: &str = "Refus enregistré hors ligne : il sera envoyé dès la reconnexion.";
pub const PROPOSITION_EN_ATTENTE: &str = "Proposition enregistrée hors ligne : elle sera envoyée dès la reconnexion.";
pub const ISSUE_EN_ATTENTE: &str = "Issue enregistrée hors ligne : elle sera envoyée dès la reconnexion.";
pub fn action_hors_ligne_refusee(label: &str, why: &str) -> String {
    format!("{label} (faite hors ligne) n'a pas pu être appliquée : {why}")
}
pub const OFFRE_PLUS_DISPONIBLE: &str = "Cette demande ne vous est plus proposée.";
