//! The words of the indicators (re-exported by `fr`): titles, headers of the page and of the
//! CSV exports, and what each table counts.

use crate::indicators::rules::Preset;

pub const INDICATEURS: &str = "Indicateurs";
pub const PERIODE: &str = "Période";
pub const AFFICHER: &str = "Afficher";
pub const DOSSIER_ACI: &str = "Télécharger le dossier ACI (CSV)";
pub const TELECHARGER_CSV: &str = "Télécharger ce tableau (CSV)";
pub const GRAPHIQUE_DESC: &str = "Les chiffres du graphique sont dans le tableau qui l'accompagne.";
pub const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

pub fn preset(p: Preset) -> &'static str {
    match p {
        Preset::ThisMonth => "Ce mois-ci",
        Preset::LastMonth => "Mois dernier",
        Preset::ThisQuarter => "Ce trimestre",
        Preset::LastQuarter => "Trimestre dernier",
        Preset::ThisYear => "Cette année",
        Preset::LastYear => "Année dernière",
    }
}

pub fn du_au(from: &str, to: &str) -> String {
    format!("Du {from} au {to} (heure de Paris)")
}

pub fn minutes_court(m: i64) -> String {
    format!("{m} min")
}

pub fn mon_mois(month: &str) -> String {
    format!("Mon activité — {month}")
}

// Sections.
pub const PARTICIPATION: &str = "Participation";
pub const DEMANDE: &str = "Demande";
pub const REPONSE: &str = "Réponse";
pub const TENDANCE: &str = "Tendance";

// Headers and row names.
pub const TOTAL: &str = "Total";
pub const NON_PRECISE: &str = "Non précisé";
pub const SANS_PROFESSION: &str = "Sans profession de santé";
pub const CONSULTATIONS: &str = "Consultations";
pub const TAUX_DE_REPONSE: &str = "Taux de réponse";
pub const TAUX_PCT: &str = "Taux de réponse (%)";
pub const PART_PCT: &str = "Part (%)";
pub const DELAI_MEDIAN: &str = "Délai médian d'acceptation";
pub const ADHERENTS: &str = "Membres actifs";
pub const PARTICIPANTS: &str = "Participants";
pub const MEMBRE: &str = "Membre";
pub const VACATIONS_TENUES: &str = "Vacations tenues";
pub const VACATIONS_FAITES: &str = "Vacations réalisées";
pub const HEURES_FAITES: &str = "Heures réalisées";
pub const INDICATEUR: &str = "Indicateur";
pub const VALEUR: &str = "Valeur";
pub const PROS_AYANT_OUVERT: &str = "Professionnels ayant ouvert des créneaux";
pub const CRENEAUX_OUVERTS: &str = "Créneaux ouverts";
pub const DONT_OUVERTS_SAS: &str = "dont ouverts au SAS";
pub const MEDECINS_SAS: &str = "Médecins généralistes participant au SAS (créneaux ouverts au SAS ou régulation)";
pub const TELECONSULTATIONS_DEMANDEES: &str = "Téléconsultations demandées";
pub const MOTIF: &str = "Motif";
pub const PROFESSION_DEMANDEE: &str = "Profession demandée";
pub const ADRESSEES: &str = "Patients adressés";
pub const REPONDUES: &str = "Réponses du dentiste";
pub const REPONDUES_24H: &str = "dont dans les 24 h";
pub const PATIENTS_VUS: &str = "Patients vus";
pub const PATIENTS_ABSENTS: &str = "Patients absents";
pub const REORIENTEES: &str = "Réorientées";
pub const CONSULTATIONS_FAITES_OU_FIXEES: &str = "Consultations (rendez-vous fixé ou fait)";
pub const REPONDUES_JOUR: &str = "Acceptées le jour même";
pub const REPONDUES_EN_24H: &str = "Acceptées en 24 h";
pub const REPONDUES_EN_48H: &str = "Acceptées en 48 h";
pub const DELAI_MEDIAN_MIN: &str = "Délai médian de la première proposition à l'acceptation (min)";
pub const DELAI_P90_MIN: &str = "90e centile de ce délai (min)";
pub const ANNULEES: &str = "Annulées";
pub const ORIENTATION: &str = "Orientation";
pub const REFUS: &str = "Refus";
pub const SAS_DEMANDES: &str = "Demandes venues du SAS";
pub const SAS_DEMANDES_RDV: &str = "dont ayant abouti à un rendez-vous";
pub const SAS_CRENEAUX_RESERVES: &str = "Rendez-vous pris par le SAS sur les créneaux partagés";
pub const SAS_ACI: &str = "Demandes du SAS ayant abouti à un rendez-vous par la CPTS (ACI)";
pub const DEMANDES_SNP: &str = "Demandes SNP";
pub const RDV_SAS: &str = "Rendez-vous pris par le SAS";
pub const SEMAINE_DU: &str = "Semaine du";
pub const DEMANDES_ACCEPTEES: &str = "Demandes acceptées";
pub const RUBRIQUE: &str = "Rubrique";
pub const TABLEAU: &str = "Tableau";
pub const LIGNE: &str = "Ligne";
pub const MESURE: &str = "Mesure";

// Tables: title (T_) and what exactly is counted (N_).
pub const T_PARTICIPANTS: &str = "Membres participants par profession";
pub const N_PARTICIPANTS: &str =
    "Participant : membre actif qui, sur la période, a tenu une vacation, accepté une demande, \
     ouvert un créneau SNP, répondu à une urgence dentaire ou envoyé une téléconsultation en pharmacie.";
pub const T_VACATIONS: &str = "Vacations par membre";
pub const N_VACATIONS: &str = "Vacations des plannings de la CPTS commençant sur la période, au nom de qui les tient \
     aujourd'hui (après cessions et échanges) ; réalisées : déjà terminées.";
pub const T_CRENEAUX: &str = "Créneaux SNP partagés";
pub const N_CRENEAUX: &str = "Créneaux commençant sur la période, fermés ou non.";
pub const T_ORIGINES: &str = "Demandes par origine";
pub const N_DEMANDES: &str = "Toutes les demandes SNP reçues sur la période, annulées comprises ; consultation : \
     rendez-vous fixé ou fait (un patient absent n'en est pas une).";
pub const T_MOTIFS: &str = "Demandes par motif";
pub const T_PROFESSIONS: &str = "Demandes par profession demandée";
pub const T_COMMUNES: &str = "Demandes par commune du patient";
pub const T_DENTAIRE: &str = "Urgences dentaires";
pub const N_DENTAIRE: &str = "Patients adressés au dentiste de garde sur la période ; dans les 24 h : réponse avant \
     l'échéance (24 h après le début de sa matinée).";
pub const T_TELECONSULTATIONS: &str = "Téléconsultations en pharmacie";
pub const N_TELECONSULTATIONS: &str =
    "Téléconsultations envoyées par un pharmacien sur la période, selon où en est leur demande.";
pub const T_REPONSE: &str = "Réponse aux demandes";
pub const N_REPONSE: &str = "Demandes reçues sur la période. Acceptée : un professionnel l'a prise ou la coordination \
     l'a placée sur un créneau ; le jour même : le même jour (heure de Paris). Délais : de la première proposition \
     envoyée à l'acceptation, à la minute près (médiane et 90e centile au rang le plus proche).";
pub const T_REORIENTATIONS: &str = "Demandes réorientées";
pub const N_REORIENTATIONS: &str = "Demandes reçues sur la période et réorientées, selon où.";
pub const T_REFUS: &str = "Propositions refusées par motif";
pub const N_REFUS: &str = "Refus donnés sur la période par les professionnels sollicités.";
pub const T_SAS: &str = "SAS";
pub const N_SAS: &str = "Demandes venues du SAS ayant obtenu un rendez-vous (fait, fixé ou patient absent), plus les \
     rendez-vous que le SAS a pris lui-même sur les créneaux commençant sur la période (hors annulés).";
pub const T_ABSENCES: &str = "Patients absents";
pub const N_ABSENCES: &str =
    "Rendez-vous manqués : demandes SNP de la période, rendez-vous du SAS sur les créneaux de la \
     période, urgences dentaires adressées sur la période.";
pub const T_SEMAINES: &str = "Demandes et taux de réponse par semaine";
pub const N_SEMAINES: &str = "Semaines du lundi au dimanche ; seuls les jours de la période sont comptés.";
