//! The words of shared SNP slots (re-exported by `fr`).

use crate::slots::rules::{Audience, BookingError, BookingSource, BookingStatus};

pub const MES_CRENEAUX_SNP: &str = "Mes créneaux SNP";
pub const CRENEAUX_SNP: &str = "Créneaux SNP";
pub const OUVRIR_DES_CRENEAUX: &str = "Ouvrir des créneaux";
pub const CHAQUE_SEMAINE: &str = "Chaque semaine, même jour, mêmes heures";
pub const AUCUN_CRENEAU: &str = "Aucun créneau à venir.";
pub const LIBRE: &str = "Libre";
pub const FERME: &str = "Fermé";
pub const FERMER: &str = "Fermer";
pub const SUPPRIMER: &str = "Supprimer";
pub const HONORE: &str = "Honoré";
pub const PATIENT_ABSENT: &str = "Patient absent";
pub const ABSENCES_RECENTES: &str = "Patients absents (30 derniers jours)";
pub const CRENEAUX_QUI_CONVIENNENT: &str = "Créneaux SNP libres qui conviennent";
pub const AUCUN_CRENEAU_NE_CONVIENT: &str =
    "Aucun créneau libre ne convient avant le délai : envoyez la demande au panel.";
pub const RESERVER: &str = "Réserver";
pub const PUSH_SLOT_BOOKED: &str = "Créneau SNP réservé";
pub const ERR_SLOT_MISFIT: &str =
    "Ce créneau ne convient pas à la demande (profession, téléconsultation, distance ou délai).";

pub fn creneau_reserve(when: &str) -> String {
    format!("Un patient est inscrit sur votre créneau du {when}.")
}

pub fn audience(a: Audience) -> &'static str {
    match a {
        Audience::Cpts => "La coordination de la CPTS",
        Audience::Sas => "La CPTS et les régulateurs du SAS",
    }
}

pub fn booking_source(s: BookingSource) -> &'static str {
    match s {
        BookingSource::Coordination => "coordination",
        BookingSource::Sas => "SAS",
    }
}

pub fn booking_status(s: BookingStatus) -> &'static str {
    match s {
        BookingStatus::Booked => "Réservé",
        BookingStatus::Cancelled => "Annulé",
        BookingStatus::Honoured => "Honoré",
        BookingStatus::NoShow => "Patient absent",
    }
}

pub fn booking_error(e: BookingError) -> &'static str {
    match e {
        BookingError::Taken => "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.",
        BookingError::Closed => "Ce créneau a été fermé par le professionnel.",
        BookingError::Begun => "Ce créneau a déjà commencé.",
        BookingError::NotForSas => "Ce créneau est réservé à la coordination de la CPTS.",
    }
}

pub fn creneaux_ouverts(n: usize) -> String {
    if n == 1 {
        "1 créneau ouvert.".into()
    } else {
        format!("{n} créneaux ouverts.")
    }
}
