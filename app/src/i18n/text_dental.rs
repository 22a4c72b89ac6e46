//! The texts of dental emergencies (re-exported by `text`).

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Paris;

use super::{fmt, lang, pick, texts, Lang};
use crate::dental::rules::{CriterionKind, DentalOutcome, DentalReorientation, ReferralStatus, SolutionKind};
use crate::domain::AgeBand;

texts! {
    URGENCES_DENTAIRES = "Urgences dentaires", "Dental emergencies";
    DENTAIRE = "Dentaire", "Dental";
    GRILLE_DE_LA_CPTS = "Grille d'inclusion et professions qui adressent", "Inclusion grid and referring professions";
    URGENCE_DENTAIRE = "Urgence dentaire", "Dental emergency";
    ADRESSER_UNE_URGENCE_DENTAIRE = "Adresser une urgence dentaire", "Refer a dental emergency";
    ADRESSER = "Adresser au dentiste de permanence", "Refer to the dentist on duty";
    ADRESSAGES = "Adressages", "Referrals";
    AUCUN_ADRESSAGE = "Aucun adressage en cours.", "No open referral.";
    PERMANENCE_DES_QUATRE_SEMAINES = "Permanence des quatre prochaines semaines", "Duty of the next four weeks";
    AUCUNE_MATINEE =
        "Aucune matinée de permanence n'est prévue : l'administration de la CPTS crée le planning « urgence dentaire ».",
        "No duty morning is planned: the CPTS administration creates the \"dental emergency\" rota.";
    ECHANGER_UNE_MATINEE = "Céder ou échanger une matinée : ", "Hand over or swap a morning: ";
    TOUT_DE_SUITE = "Tout de suite", "Right away";
    PERSONNE = "Personne", "Nobody";
    CE_MATIN_SEULEMENT = "Cette matinée seulement", "This morning only";
    JE_LE_RENDS = "Je la rends", "I give it back";
    SIGNES_DE_GRAVITE_DENTAIRES = "Signes de gravité — si l'un est présent, appelez le 15",
        "Signs of an emergency — if any is present, call 15";
    CRITERES_D_INCLUSION = "Urgence dentaire (au moins un)", "Dental emergency (at least one)";
    CONDITIONS = "Condition", "Condition";
    SANS_URGENCE = "Sans urgence", "Not urgent";
    DELAI_DE_24_H_DEPASSE = "Délai de 24 h dépassé : la coordination est alertée.",
        "24-hour deadline passed: the coordination is alerted.";
    ADRESSE_PAR = "Adressé par", "Referred by";
    CHIRURGIEN_DENTISTE = "Chirurgien·ne-dentiste", "Dentist";
    A_TRAITER_AVANT = "Solution à proposer avant", "Solution to offer before";
    SOLUTION_PROPOSEE = "Solution proposée", "Solution offered";
    PROPOSER_UNE_SOLUTION = "Proposer une solution au patient", "Offer the patient a solution";
    ENVOYER_LA_SOLUTION = "Envoyer la solution", "Send the solution";
    CE_QUI_S_EST_PASSE = "Ce qui s'est passé", "What happened";
    CONFIER_A_UN_AUTRE_DENTISTE = "Confier à un autre dentiste de la permanence", "Hand to another dentist on duty";
    CONFIER = "Confier", "Hand over";
    GRILLE_D_INCLUSION_DENTAIRE = "Grille d'inclusion des urgences dentaires", "Inclusion grid of dental emergencies";
    QUI_PEUT_ADRESSER = "Professions qui peuvent adresser", "Professions that can refer";
    AJOUTER_UN_CRITERE = "Ajouter un critère", "Add a criterion";
    AJOUTER = "Ajouter", "Add";
    ENREGISTRER = "Enregistrer", "Save";
    A_PRENDRE_TOUT_DE_SUITE = "À prendre en charge tout de suite", "To be seen right away";
    PUSH_DENTAL_NEW = "Urgence dentaire adressée", "Dental emergency referred";
    PUSH_DENTAL_ANSWERED = "Solution proposée par le dentiste", "Solution offered by the dentist";
    PUSH_DENTAL_REMINDER = "Rappel : urgence dentaire sans solution", "Reminder: dental emergency without a solution";
    ERR_DENTAL_CALL_15 = "Signe de gravité : appelez le 15 (SAMU) maintenant. Rien n'a été enregistré.",
        "Sign of a medical emergency: call 15 (SAMU) now. Nothing was saved.";
    ERR_NOT_URGENT = "Ce n'est pas une urgence pour la permanence dentaire : le patient consulte son chirurgien-dentiste (ou il faut au moins un critère d'urgence et la condition remplie). Rien n'a été enregistré.",
        "This is not an emergency for the dental duty: the patient sees their own dentist (or at least one emergency criterion and the condition are needed). Nothing was saved.";
    ERR_NO_DENTIST = "Aucun chirurgien-dentiste ne tient de matinée de permanence dans les quatre semaines : orientez le patient vers le 15 en cas de gravité, sinon vers son dentiste.",
        "No dentist holds a duty morning in the next four weeks: send the patient to 15 if it is serious, otherwise to their own dentist.";
}

pub fn matins_pris(taken: usize, refused: usize) -> String {
    let mut text = match (lang(), taken) {
        (Lang::Fr, 0 | 1) => format!("{taken} matinée prise."),
        (Lang::Fr, _) => format!("{taken} matinées prises."),
        (Lang::En, 1) => "1 morning taken.".to_string(),
        (Lang::En, _) => format!("{taken} mornings taken."),
    };
    if refused > 0 {
        text.push_str(&match (lang(), refused) {
            (Lang::Fr, 1) => " 1 non prise (complète, ou plafond de la semaine atteint).".to_string(),
            (Lang::Fr, _) => format!(" {refused} non prises (complètes, ou plafond de la semaine atteint)."),
            (Lang::En, 1) => " 1 not taken (full, or the week's cap reached).".to_string(),
            (Lang::En, _) => format!(" {refused} not taken (full, or the week's cap reached)."),
        });
    }
    text
}

pub fn urgences_dentaires_en_retard(n: usize) -> String {
    if n > 1 {
        fmt!(
            "{n} urgences dentaires sans solution après 24 h : à confier à un autre dentiste",
            "{n} dental emergencies without a solution after 24 h: to hand to another dentist"
        )
    } else {
        pick(
            "1 urgence dentaire sans solution après 24 h : à confier à un autre dentiste",
            "1 dental emergency without a solution after 24 h: to hand to another dentist",
        )
        .into()
    }
}

pub fn adresse_par(name: &str) -> String {
    fmt!("Adressé par {name}", "Referred by {name}")
}

pub fn a_traiter_avant(when: &str) -> String {
    fmt!("Solution avant le {when}", "Solution before {when}")
}

pub fn sera_vu_par(name: &str, from: &str) -> String {
    fmt!(
        "Sera confié à {name}, dentiste de permanence, à partir du {from} ; il ou elle a 24 h pour proposer une solution.",
        "Will be handed to {name}, the dentist on duty, from {from}; they have 24 h to offer a solution."
    )
}

pub fn rendez_vous_le(when: &str) -> String {
    fmt!("Rendez-vous le {when}", "Appointment on {when}")
}

fn weekday(at: DateTime<Utc>) -> &'static str {
    const JOURS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let i = at.with_timezone(&Paris).weekday().num_days_from_monday() as usize;
    pick(JOURS[i], DAYS[i])
}

/// `mardi 01/12`, Paris time.
pub fn jour_long(at: DateTime<Utc>) -> String {
    format!("{} {}", weekday(at), at.with_timezone(&Paris).format("%d/%m"))
}

/// "Je prends chaque mardi matin".
pub fn je_prends_chaque(at: DateTime<Utc>) -> String {
    let day = weekday(at);
    fmt!("Je prends chaque {day} matin", "I take every {day} morning")
}

pub fn referral_status(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Waiting => pick("En attente de solution", "Waiting for a solution"),
        ReferralStatus::Answered => pick("Solution proposée", "Solution offered"),
        ReferralStatus::Closed => pick("Clos", "Closed"),
    }
}

pub fn solution_kind(k: SolutionKind) -> &'static str {
    match k {
        SolutionKind::Appointment => pick("Rendez-vous", "Appointment"),
        SolutionKind::PhoneAdvice => pick("Conseil donné par téléphone", "Advice given by phone"),
        SolutionKind::Reoriented => pick("Réorientation", "Redirection"),
    }
}

pub fn dental_reorientation(r: DentalReorientation) -> &'static str {
    match r {
        DentalReorientation::OwnDentist => pick("Vers son chirurgien-dentiste", "To their own dentist"),
        DentalReorientation::Hospital => pick("Vers un service hospitalier", "To a hospital department"),
        DentalReorientation::Samu => pick("Vers le 15 (SAMU)", "To 15 (SAMU)"),
    }
}

pub fn dental_outcome(o: DentalOutcome) -> &'static str {
    match o {
        DentalOutcome::Seen => pick("Patient vu", "Patient seen"),
        DentalOutcome::NoShow => pick("Patient non venu", "Patient did not come"),
        DentalOutcome::Reoriented => pick("Patient réorienté", "Patient redirected"),
    }
}

pub fn criterion_kind(k: CriterionKind) -> &'static str {
    match k {
        CriterionKind::Inclusion => pick("Urgence", "Emergency"),
        CriterionKind::Condition => pick("Condition", "Condition"),
        CriterionKind::Exclusion => pick("Gravité → 15", "Serious → 15"),
        CriterionKind::NotUrgent => pick("Sans urgence", "Not urgent"),
    }
}

pub fn dental_event(kind: &str) -> &'static str {
    match kind {
        "dental_referred" => pick("Adressé", "Referred"),
        "dental_answered" => pick("Solution proposée", "Solution offered"),
        "dental_closed" => pick("Issue enregistrée", "Outcome recorded"),
        "dental_reassigned" => pick("Confié à un autre dentiste", "Handed to another dentist"),
        "dental_reminded" => pick("Rappel envoyé au dentiste", "Reminder sent to the dentist"),
        "dental_overdue" => pick("Délai dépassé : coordination alertée", "Deadline passed: coordination alerted"),
        _ => pick("Modification", "Change"),
    }
}

/// The push to the dentist: no patient identity on a lock screen.
pub fn dental_push_new(age: AgeBand, commune: &str, immediate: bool) -> String {
    let age = super::text::age_band(age);
    let when = if immediate { pick(" — à prendre tout de suite", " — to be seen right away") } else { "" };
    fmt!(
        "Patient {age} à {commune}{when}. 24 h pour proposer une solution.",
        "Patient aged {age} in {commune}{when}. 24 h to offer a solution."
    )
}

pub fn dental_push_new_handed(commune: &str) -> String {
    fmt!(
        "Un adressage ({commune}) vous est confié par la coordination. 24 h pour proposer une solution.",
        "The coordination hands you a referral ({commune}). 24 h to offer a solution."
    )
}

pub fn dental_push_answered(dentist: &str, kind: SolutionKind) -> String {
    let kind = solution_kind(kind);
    fmt!("{dentist} : {kind}.", "{dentist}: {kind}.")
}

pub fn dental_push_reminder(due: DateTime<Utc>) -> String {
    let due = due.with_timezone(&Paris).format("%d/%m %H:%M");
    fmt!("Solution à proposer avant {due}.", "Solution to offer before {due}.")
}
