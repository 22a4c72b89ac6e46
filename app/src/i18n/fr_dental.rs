//! The words of dental emergencies (re-exported by `fr`).

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Paris;

use crate::dental::rules::{CriterionKind, DentalOutcome, DentalReorientation, ReferralStatus, SolutionKind};
use crate::domain::AgeBand;

pub const URGENCES_DENTAIRES: &str = "Urgences dentaires";
pub const DENTAIRE: &str = "Dentaire";
pub const GRILLE_DE_LA_CPTS: &str = "Grille d'inclusion et professions qui adressent";
pub const URGENCE_DENTAIRE: &str = "Urgence dentaire";
pub const ADRESSER_UNE_URGENCE_DENTAIRE: &str = "Adresser une urgence dentaire";
pub const ADRESSER: &str = "Adresser au dentiste de permanence";
pub const ADRESSAGES: &str = "Adressages";
pub const AUCUN_ADRESSAGE: &str = "Aucun adressage en cours.";
pub const PERMANENCE_DES_QUATRE_SEMAINES: &str = "Permanence des quatre prochaines semaines";
pub const AUCUNE_MATINEE: &str =
    "Aucune matinée de permanence n'est prévue : l'administration de la CPTS crée le planning « urgence dentaire ».";
pub const ECHANGER_UNE_MATINEE: &str = "Céder ou échanger une matinée : ";
pub const TOUT_DE_SUITE: &str = "Tout de suite";
pub const PERSONNE: &str = "Personne";
pub const CE_MATIN_SEULEMENT: &str = "Cette matinée seulement";
pub const JE_LE_RENDS: &str = "Je la rends";
pub const SIGNES_DE_GRAVITE_DENTAIRES: &str = "Signes de gravité — si l'un est présent, appelez le 15";
pub const CRITERES_D_INCLUSION: &str = "Urgence dentaire (au moins un)";
pub const CONDITIONS: &str = "Condition";
pub const SANS_URGENCE: &str = "Sans urgence";
pub const DELAI_DE_24_H_DEPASSE: &str = "Délai de 24 h dépassé : la coordination est alertée.";
pub const ADRESSE_PAR: &str = "Adressé par";
pub const CHIRURGIEN_DENTISTE: &str = "Chirurgien·ne-dentiste";
pub const A_TRAITER_AVANT: &str = "Solution à proposer avant";
pub const GRILLE: &str = "Grille";
pub const SOLUTION_PROPOSEE: &str = "Solution proposée";
pub const PROPOSER_UNE_SOLUTION: &str = "Proposer une solution au patient";
pub const ENVOYER_LA_SOLUTION: &str = "Envoyer la solution";
pub const CE_QUI_S_EST_PASSE: &str = "Ce qui s'est passé";
pub const CONFIER_A_UN_AUTRE_DENTISTE: &str = "Confier à un autre dentiste de la permanence";
pub const CONFIER: &str = "Confier";
pub const GRILLE_D_INCLUSION_DENTAIRE: &str = "Grille d'inclusion des urgences dentaires";
pub const RETIRER: &str = "Retirer";
pub const QUI_PEUT_ADRESSER: &str = "Professions qui peuvent adresser";
pub const AJOUTER_UN_CRITERE: &str = "Ajouter un critère";
pub const AJOUTER: &str = "Ajouter";
pub const ENREGISTRER: &str = "Enregistrer";
pub const A_PRENDRE_TOUT_DE_SUITE: &str = "À prendre en charge tout de suite";
pub const PUSH_DENTAL_NEW: &str = "Urgence dentaire adressée";
pub const PUSH_DENTAL_ANSWERED: &str = "Solution proposée par le dentiste";
pub const PUSH_DENTAL_REMINDER: &str = "Rappel : urgence dentaire sans solution";
pub const ERR_DENTAL_CALL_15: &str = "Signe de gravité : appelez le 15 (SAMU) maintenant. Rien n'a été enregistré.";
pub const ERR_NOT_URGENT: &str = "Ce n'est pas une urgence pour la permanence dentaire : le patient consulte son chirurgien-dentiste (ou il faut au moins un critère d'urgence et la condition remplie). Rien n'a été enregistré.";
pub const ERR_NO_DENTIST: &str = "Aucun chirurgien-dentiste ne tient de matinée de permanence dans les quatre semaines : orientez le patient vers le 15 en cas de gravité, sinon vers son dentiste.";

pub fn matins_pris(taken: usize, refused: usize) -> String {
    let s = if taken > 1 { "s" } else { "" };
    let mut text = format!("{taken} matinée{s} prise{s}.");
    if refused > 0 {
        text.push_str(&format!(
            " {refused} non prise{} (complète, ou plafond de la semaine atteint).",
            if refused > 1 { "s" } else { "" }
        ));
    }
    text
}

pub fn urgences_dentaires_en_retard(n: usize) -> String {
    if n > 1 {
        format!("{n} urgences dentaires sans solution après 24 h : à confier à un autre dentiste")
    } else {
        "1 urgence dentaire sans solution après 24 h : à confier à un autre dentiste".into()
    }
}

pub fn adresse_par(name: &str) -> String {
    format!("Adressé par {name}")
}

pub fn a_traiter_avant(when: &str) -> String {
    format!("Solution avant le {when}")
}

pub fn sera_vu_par(name: &str, from: &str) -> String {
    format!("Sera confié à {name}, dentiste de permanence, à partir du {from} ; il ou elle a 24 h pour proposer une solution.")
}

pub fn rendez_vous_le(when: &str) -> String {
    format!("Rendez-vous le {when}")
}

const JOURS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// `mardi 01/12`, Paris time.
pub fn jour_long(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    format!("{} {}", JOURS[local.weekday().num_days_from_monday() as usize], local.format("%d/%m"))
}

/// "Je prends chaque mardi matin".
pub fn je_prends_chaque(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    format!("Je prends chaque {} matin", JOURS[local.weekday().num_days_from_monday() as usize])
}

pub fn referral_status(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Waiting => "En attente de solution",
        ReferralStatus::Answered => "Solution proposée",
        ReferralStatus::Closed => "Clos",
    }
}

pub fn solution_kind(k: SolutionKind) -> &'static str {
    match k {
        SolutionKind::Appointment => "Rendez-vous",
        SolutionKind::PhoneAdvice => "Conseil donné par téléphone",
        SolutionKind::Reoriented => "Réorientation",
    }
}

pub fn dental_reorientation(r: DentalReorientation) -> &'static str {
    match r {
        DentalReorientation::OwnDentist => "Vers son chirurgien-dentiste",
        DentalReorientation::Hospital => "Vers un service hospitalier",
        DentalReorientation::Samu => "Vers le 15 (SAMU)",
    }
}

pub fn dental_outcome(o: DentalOutcome) -> &'static str {
    match o {
        DentalOutcome::Seen => "Patient vu",
        DentalOutcome::NoShow => "Patient non venu",
        DentalOutcome::Reoriented => "Patient réorienté",
    }
}

pub fn criterion_kind(k: CriterionKind) -> &'static str {
    match k {
        CriterionKind::Inclusion => "Urgence",
        CriterionKind::Condition => "Condition",
        CriterionKind::Exclusion => "Gravité → 15",
        CriterionKind::NotUrgent => "Sans urgence",
    }
}

pub fn dental_event(kind: &str) -> &'static str {
    match kind {
        "dental_referred" => "Adressé",
        "dental_answered" => "Solution proposée",
        "dental_closed" => "Issue enregistrée",
        "dental_reassigned" => "Confié à un autre dentiste",
        "dental_reminded" => "Rappel envoyé au dentiste",
        "dental_overdue" => "Délai dépassé : coordination alertée",
        _ => "Modification",
    }
}

/// The push to the dentist: no patient identity on a lock screen.
pub fn dental_push_new(age: AgeBand, commune: &str, immediate: bool) -> String {
    let when = if immediate { " — à prendre tout de suite" } else { "" };
    format!("Patient {} à {commune}{when}. 24 h pour proposer une solution.", super::fr::age_band(age))
}

pub fn dental_push_new_handed(commune: &str) -> String {
    format!("Un adressage ({commune}) vous est confié par la coordination. 24 h pour proposer une solution.")
}

pub fn dental_push_answered(dentist: &str, kind: SolutionKind) -> String {
    format!("{dentist} : {}.", solution_kind(kind))
}

pub fn dental_push_reminder(due: DateTime<Utc>) -> String {
    format!("Solution à proposer avant {}.", due.with_timezone(&Paris).format("%d/%m %H:%M"))
}
