//! The texts of the indicators (re-exported by `text`): titles, headers of the page and of the
//! CSV exports, and what each table counts.

use super::{fmt, pick, texts};
use crate::indicators::rules::Preset;

texts! {
    INDICATEURS = "Indicateurs", "Indicators";
    PERIODE = "Période", "Period";
    AFFICHER = "Afficher", "Show";
    DOSSIER_ACI = "Télécharger le dossier ACI (CSV)", "Download the ACI file (CSV)";
    TELECHARGER_CSV = "Télécharger ce tableau (CSV)", "Download this table (CSV)";
    GRAPHIQUE_DESC = "Les chiffres du graphique sont dans le tableau qui l'accompagne.",
        "The chart's figures are in the table beside it.";

    // Sections.
    PARTICIPATION = "Participation", "Participation";
    DEMANDE = "Demande", "Demand";
    REPONSE = "Réponse", "Response";
    TENDANCE = "Tendance", "Trend";

    // Headers and row names.
    TOTAL = "Total", "Total";
    NON_PRECISE = "Non précisé", "Not given";
    SANS_PROFESSION = "Sans profession de santé", "No health profession";
    CONSULTATIONS = "Consultations", "Consultations";
    TAUX_DE_REPONSE = "Taux de réponse", "Response rate";
    TAUX_PCT = "Taux de réponse (%)", "Response rate (%)";
    PART_PCT = "Part (%)", "Share (%)";
    DELAI_MEDIAN = "Délai médian d'acceptation", "Median time to acceptance";
    ADHERENTS = "Membres actifs", "Active members";
    PARTICIPANTS = "Participants", "Participants";
    MEMBRE = "Membre", "Member";
    VACATIONS_TENUES = "Vacations tenues", "Shifts held";
    VACATIONS_FAITES = "Vacations réalisées", "Shifts done";
    HEURES_FAITES = "Heures réalisées", "Hours done";
    INDICATEUR = "Indicateur", "Indicator";
    VALEUR = "Valeur", "Value";
    PROS_AYANT_OUVERT = "Professionnels ayant ouvert des créneaux", "Clinicians who opened slots";
    CRENEAUX_OUVERTS = "Créneaux ouverts", "Slots opened";
    DONT_OUVERTS_SAS = "dont ouverts au SAS", "of which open to the SAS";
    MEDECINS_SAS = "Médecins généralistes participant au SAS (créneaux ouverts au SAS ou régulation)",
        "GPs taking part in the SAS (slots open to the SAS, or regulation)";
    TELECONSULTATIONS_DEMANDEES = "Téléconsultations demandées", "Teleconsultations asked";
    MOTIF = "Motif", "Reason";
    PROFESSION_DEMANDEE = "Profession demandée", "Profession needed";
    ADRESSEES = "Patients adressés", "Patients referred";
    REPONDUES = "Réponses du dentiste", "Dentist's answers";
    REPONDUES_24H = "dont dans les 24 h", "of which within 24 h";
    PATIENTS_VUS = "Patients vus", "Patients seen";
    PATIENTS_ABSENTS = "Patients absents", "Patients who did not come";
    REORIENTEES = "Réorientées", "Redirected";
    CONSULTATIONS_FAITES_OU_FIXEES = "Consultations (rendez-vous fixé ou fait)", "Consultations (appointment set or done)";
    REPONDUES_JOUR = "Acceptées le jour même", "Accepted the same day";
    REPONDUES_EN_24H = "Acceptées en 24 h", "Accepted within 24 h";
    REPONDUES_EN_48H = "Acceptées en 48 h", "Accepted within 48 h";
    DELAI_MEDIAN_MIN = "Délai médian de la première proposition à l'acceptation (min)",
        "Median time from the first offer to acceptance (min)";
    DELAI_P90_MIN = "90e centile de ce délai (min)", "90th percentile of that time (min)";
    ANNULEES = "Annulées", "Cancelled";
    ORIENTATION = "Orientation", "Redirection";
    REFUS = "Refus", "Refusals";
    SAS_DEMANDES = "Demandes venues du SAS", "Requests from the SAS";
    SAS_DEMANDES_RDV = "dont ayant abouti à un rendez-vous", "of which led to an appointment";
    SAS_CRENEAUX_RESERVES = "Rendez-vous pris par le SAS sur les créneaux partagés", "Appointments the SAS booked on shared slots";
    SAS_ACI = "Demandes du SAS ayant abouti à un rendez-vous par la CPTS (ACI)",
        "SAS requests that led to an appointment through the CPTS (ACI)";
    DEMANDES_SNP = "Demandes SNP", "Same-day requests";
    RDV_SAS = "Rendez-vous pris par le SAS", "Appointments booked by the SAS";
    SEMAINE_DU = "Semaine du", "Week of";
    DEMANDES_ACCEPTEES = "Demandes acceptées", "Requests accepted";
    RUBRIQUE = "Rubrique", "Section";
    TABLEAU = "Tableau", "Table";
    LIGNE = "Ligne", "Row";
    MESURE = "Mesure", "Measure";

    // Tables: title (T_) and what exactly is counted (N_).
    T_PARTICIPANTS = "Membres participants par profession", "Participating members by profession";
    N_PARTICIPANTS =
        "Participant : membre actif qui, sur la période, a tenu une vacation, accepté une demande, \
         ouvert un créneau SNP, répondu à une urgence dentaire ou envoyé une téléconsultation en pharmacie.",
        "Participant: an active member who, in the period, held a shift, accepted a request, opened a \
         same-day slot, answered a dental emergency or sent a pharmacy teleconsultation.";
    T_VACATIONS = "Vacations par membre", "Shifts by member";
    N_VACATIONS = "Vacations des plannings de la CPTS commençant sur la période, au nom de qui les tient \
         aujourd'hui (après cessions et échanges) ; réalisées : déjà terminées.",
        "Shifts of the CPTS's rotas beginning in the period, under the name of whoever holds them today \
         (after handovers and swaps); done: already over.";
    T_CRENEAUX = "Créneaux SNP partagés", "Shared same-day slots";
    N_CRENEAUX = "Créneaux commençant sur la période, fermés ou non.", "Slots beginning in the period, closed or not.";
    T_ORIGINES = "Demandes par origine", "Requests by source";
    N_DEMANDES = "Toutes les demandes SNP reçues sur la période, annulées comprises ; consultation : \
         rendez-vous fixé ou fait (un patient absent n'en est pas une).",
        "Every same-day request received in the period, cancelled ones included; consultation: appointment \
         set or done (a patient who did not come is not one).";
    T_MOTIFS = "Demandes par motif", "Requests by reason";
    T_PROFESSIONS = "Demandes par profession demandée", "Requests by profession needed";
    T_COMMUNES = "Demandes par commune du patient", "Requests by the patient's town";
    T_DENTAIRE = "Urgences dentaires", "Dental emergencies";
    N_DENTAIRE = "Patients adressés au dentiste de garde sur la période ; dans les 24 h : réponse avant \
         l'échéance (24 h après le début de sa matinée).",
        "Patients referred to the dentist on duty in the period; within 24 h: answered before the deadline \
         (24 h after the start of their morning).";
    T_TELECONSULTATIONS = "Téléconsultations en pharmacie", "Pharmacy teleconsultations";
    N_TELECONSULTATIONS =
        "Téléconsultations envoyées par un pharmacien sur la période, selon où en est leur demande.",
        "Teleconsultations sent by a pharmacist in the period, by where their request stands.";
    T_REPONSE = "Réponse aux demandes", "Response to requests";
    N_REPONSE = "Demandes reçues sur la période. Acceptée : un professionnel l'a prise ou la coordination \
         l'a placée sur un créneau ; le jour même : le même jour (heure de Paris). Délais : de la première proposition \
         envoyée à l'acceptation, à la minute près (médiane et 90e centile au rang le plus proche).",
        "Requests received in the period. Accepted: a clinician took it or the coordination placed it on a slot; \
         the same day: on the same day (Paris time). Times: from the first offer sent to acceptance, to the minute \
         (median and 90th percentile by nearest rank).";
    T_REORIENTATIONS = "Demandes réorientées", "Redirected requests";
    N_REORIENTATIONS = "Demandes reçues sur la période et réorientées, selon où.",
        "Requests received in the period and redirected, by where to.";
    T_REFUS = "Propositions refusées par motif", "Offers declined by reason";
    N_REFUS = "Refus donnés sur la période par les professionnels sollicités.",
        "Refusals given in the period by the clinicians asked.";
    T_SAS = "SAS", "SAS";
    N_SAS = "Demandes venues du SAS ayant obtenu un rendez-vous (fait, fixé ou patient absent), plus les \
         rendez-vous que le SAS a pris lui-même sur les créneaux commençant sur la période (hors annulés).",
        "Requests from the SAS that got an appointment (done, set, or the patient did not come), plus the \
         appointments the SAS booked itself on slots beginning in the period (cancelled ones left out).";
    T_ABSENCES = "Patients absents", "Patients who did not come";
    N_ABSENCES =
        "Rendez-vous manqués : demandes SNP de la période, rendez-vous du SAS sur les créneaux de la \
         période, urgences dentaires adressées sur la période.",
        "Missed appointments: same-day requests of the period, SAS appointments on the period's slots, dental \
         emergencies referred in the period.";
    T_SEMAINES = "Demandes et taux de réponse par semaine", "Requests and response rate by week";
    N_SEMAINES = "Semaines du lundi au dimanche ; seuls les jours de la période sont comptés.",
        "Weeks from Monday to Sunday; only the period's days are counted.";
}

/// The months, January first (lower case in French, as inside a sentence).
#[allow(non_snake_case)]
pub fn MOIS() -> &'static [&'static str; 12] {
    pick(
        &[
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
        ],
        &[
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    )
}

pub fn preset(p: Preset) -> &'static str {
    match p {
        Preset::ThisMonth => pick("Ce mois-ci", "This month"),
        Preset::LastMonth => pick("Mois dernier", "Last month"),
        Preset::ThisQuarter => pick("Ce trimestre", "This quarter"),
        Preset::LastQuarter => pick("Trimestre dernier", "Last quarter"),
        Preset::ThisYear => pick("Cette année", "This year"),
        Preset::LastYear => pick("Année dernière", "Last year"),
    }
}

pub fn du_au(from: &str, to: &str) -> String {
    fmt!("Du {from} au {to} (heure de Paris)", "From {from} to {to} (Paris time)")
}

pub fn minutes_court(m: i64) -> String {
    format!("{m} min")
}

pub fn mon_mois(month: &str) -> String {
    fmt!("Mon activité — {month}", "My activity — {month}")
}
