//! The texts of shared SNP slots and of the SAS interface (re-exported by `text`).

use super::{fmt, pick, texts};
use crate::slots::rules::{Audience, BookingError, BookingSource, BookingStatus};

texts! {
    MES_CRENEAUX_SNP = "Mes créneaux SNP", "My same-day slots";
    CRENEAUX_SNP = "Créneaux SNP", "Same-day slots";
    OUVRIR_DES_CRENEAUX = "Ouvrir des créneaux", "Open slots";
    CHAQUE_SEMAINE = "Chaque semaine, même jour, mêmes heures", "Every week, same day, same hours";
    AUCUN_CRENEAU = "Aucun créneau à venir.", "No slot ahead.";
    LIBRE = "Libre", "Free";
    FERME = "Fermé", "Closed";
    FERMER = "Fermer", "Close";
    SUPPRIMER = "Supprimer", "Delete";
    HONORE = "Honoré", "Kept";
    ABSENCES_RECENTES = "Patients absents (30 derniers jours)", "Patients who did not come (last 30 days)";
    CRENEAUX_QUI_CONVIENNENT = "Créneaux SNP libres qui conviennent", "Free same-day slots that fit";
    AUCUN_CRENEAU_NE_CONVIENT =
        "Aucun créneau libre ne convient avant le délai : envoyez la demande au panel.",
        "No free slot fits before the deadline: send the request to the panel.";
    RESERVER = "Réserver", "Book";
    PUSH_SLOT_BOOKED = "Créneau SNP réservé", "Same-day slot booked";
    ERR_SLOT_MISFIT =
        "Ce créneau ne convient pas à la demande (profession, téléconsultation, distance ou délai).",
        "This slot does not fit the request (profession, teleconsultation, distance or deadline).";
    INTERFACE_SAS = "Interface SAS", "SAS interface";
    SAS_INTRO = "La plateforme numérique du SAS voit et réserve les créneaux SNP que vos membres ouvrent \
         « à la CPTS et aux régulateurs du SAS » (guide ANS « Service d'accès aux soins », gestionnaire d'agenda, cas CPTS). \
         Donnez-lui l'adresse ci-dessous et un jeton d'accès.",
        "The SAS's digital platform sees and books the same-day slots your members open \"to the CPTS and the \
         SAS regulators\" (ANS guide \"Service d'accès aux soins\", calendar manager, CPTS case). Give it the \
         address below and an access token.";
    ADRESSE_FHIR = "Adresse de l'interface (FHIR R4)", "Address of the interface (FHIR R4)";
    FINESS_ABSENT = "Sans FINESS, le SAS ne peut pas placer vos créneaux : la recherche lui est refusée.",
        "Without a FINESS number the SAS cannot place your slots: its searches are refused.";
    ACCES_API = "Accès (jetons)", "Access (tokens)";
    NOM_DE_L_ACCES = "Nom de l'accès (ex. : Plateforme SAS 35)", "Name of the access (e.g. SAS platform 35)";
    CREER_UN_ACCES = "Créer un jeton", "Create a token";
    JETON_UNE_FOIS = "Copiez ce jeton maintenant : il ne sera plus jamais affiché. \
         La plateforme l'envoie dans l'en-tête « Authorization: Bearer … ».",
        "Copy this token now: it will never be shown again. The platform sends it in the \
         \"Authorization: Bearer …\" header.";
    REVOQUER = "Révoquer", "Revoke";
    REVOQUE = "Révoqué", "Revoked";
    JAMAIS_UTILISE = "jamais utilisé", "never used";
    AUCUN_ACCES = "Aucun jeton : le SAS ne peut pas encore appeler Relais.", "No token: the SAS cannot call Relais yet.";
    REGULATEURS = "Régulateurs du SAS", "SAS regulators";
    AUCUN_REGULATEUR = "Le SAS n'a encore transmis aucun régulateur.", "The SAS has not sent any regulator yet.";
    ACTIF = "actif", "active";
    DESACTIVE = "désactivé", "deactivated";
}

pub fn creneau_reserve(when: &str) -> String {
    fmt!("Un patient est inscrit sur votre créneau du {when}.", "A patient is booked on your slot of {when}.")
}

pub fn audience(a: Audience) -> &'static str {
    match a {
        Audience::Cpts => pick("La coordination de la CPTS", "The CPTS's coordination"),
        Audience::Sas => pick("La CPTS et les régulateurs du SAS", "The CPTS and the SAS regulators"),
    }
}

pub fn booking_source(s: BookingSource) -> &'static str {
    match s {
        BookingSource::Coordination => pick("coordination", "coordination"),
        BookingSource::Sas => pick("SAS", "SAS"),
    }
}

pub fn booking_status(s: BookingStatus) -> &'static str {
    match s {
        BookingStatus::Booked => pick("Réservé", "Booked"),
        BookingStatus::Cancelled => pick("Annulé", "Cancelled"),
        BookingStatus::Honoured => pick("Honoré", "Kept"),
        BookingStatus::NoShow => pick("Patient absent", "Patient did not come"),
    }
}

pub fn booking_error(e: BookingError) -> &'static str {
    match e {
        BookingError::Taken => pick(
            "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.",
            "Someone else has just booked this slot: choose another one.",
        ),
        BookingError::Closed => pick("Ce créneau a été fermé par le professionnel.", "The clinician closed this slot."),
        BookingError::Begun => pick("Ce créneau a déjà commencé.", "This slot has already begun."),
        BookingError::NotForSas => pick(
            "Ce créneau est réservé à la coordination de la CPTS.",
            "This slot is kept for the CPTS's coordination.",
        ),
    }
}

pub fn creneaux_ouverts(n: usize) -> String {
    if n == 1 {
        pick("1 créneau ouvert.", "1 slot opened.").into()
    } else {
        fmt!("{n} créneaux ouverts.", "{n} slots opened.")
    }
}

pub fn sas_reservations(days: i64, booked: i64, standing: i64) -> String {
    fmt!(
        "{days} derniers jours : {booked} rendez-vous pris par le SAS, {standing} maintenus.",
        "Last {days} days: {booked} appointments booked by the SAS, {standing} kept."
    )
}

pub fn cree_le(day: &str, last_used: Option<&str>) -> String {
    match last_used {
        Some(used) => fmt!("créé le {day} · dernier appel {used}", "created on {day} · last call {used}"),
        None => {
            let never = JAMAIS_UTILISE();
            fmt!("créé le {day} · {never}", "created on {day} · {never}")
        }
    }
}
