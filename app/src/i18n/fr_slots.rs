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

pub const INTERFACE_SAS: &str = "Interface SAS";
pub const SAS_INTRO: &str = "La plateforme numérique du SAS voit et réserve les créneaux SNP que vos membres ouvrent \
     « à la CPTS et aux régulateurs du SAS » (guide ANS « Service d'accès aux soins », gestionnaire d'agenda, cas CPTS). \
     Donnez-lui l'adresse ci-dessous et un jeton d'accès.";
pub const ADRESSE_FHIR: &str = "Adresse de l'interface (FHIR R4)";
pub const FINESS_ABSENT: &str = "Sans FINESS, le SAS ne peut pas placer vos créneaux : la recherche lui est refusée.";
pub const ACCES_API: &str = "Accès (jetons)";
pub const NOM_DE_L_ACCES: &str = "Nom de l'accès (ex. : Plateforme SAS 35)";
pub const CREER_UN_ACCES: &str = "Créer un jeton";
pub const JETON_UNE_FOIS: &str = "Copiez ce jeton maintenant : il ne sera plus jamais affiché. \
     La plateforme l'envoie dans l'en-tête « Authorization: Bearer … ».";
pub const REVOQUER: &str = "Révoquer";
pub const REVOQUE: &str = "Révoqué";
pub const JAMAIS_UTILISE: &str = "jamais utilisé";
pub const AUCUN_ACCES: &str = "Aucun jeton : le SAS ne peut pas encore appeler Relais.";
pub const REGULATEURS: &str = "Régulateurs du SAS";
pub const AUCUN_REGULATEUR: &str = "Le SAS n'a encore transmis aucun régulateur.";
pub const ACTIF: &str = "actif";
pub const DESACTIVE: &str = "désactivé";

pub fn sas_reservations(days: i64, booked: i64, standing: i64) -> String {
    format!("{days} derniers jours : {booked} rendez-vous pris par le SAS, {standing} maintenus.")
}

pub fn cree_le(day: &str, last_used: Option<&str>) -> String {
    match last_used {
        Some(used) => format!("créé le {day} · dernier appel {used}"),
        None => format!("créé le {day} · {JAMAIS_UTILISE}"),
    }
}
