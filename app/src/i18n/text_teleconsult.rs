//! The texts of pharmacy teleconsultations (re-exported by `text`).

use super::{fmt, pick, texts};
use crate::teleconsult::rules::Conclusion;

texts! {
    MES_TELECONSULTATIONS = "Mes téléconsultations des dernières 24 h", "My teleconsultations of the last 24 h";
    AUCUN_MEDECIN_DISPONIBLE = "Aucun médecin de la CPTS n'est disponible maintenant en téléconsultation.",
        "No doctor of the CPTS is available for teleconsultation now.";
    ORIENTER_SANS_MEDECIN =
        "Rien n'est envoyé. Orientez le patient : le SAS en appelant le 15 si son état le demande, le 116 117 le soir, la nuit et le week-end, ou revenez plus tard.",
        "Nothing is sent. Direct the patient: the SAS by calling 15 if their condition needs it, 116 117 in the evening, at night and at weekends, or try again later.";
    CPTS_FERMEE_116_117 =
        "En dehors des heures de la CPTS : orientez le patient vers le 116 117 (permanence des soins), ou le 15 en cas d'urgence.",
        "Outside the CPTS's hours: send the patient to 116 117 (out-of-hours service), or to 15 in an emergency.";
    OFFICINE_SANS_ADRESSE =
        "Votre officine n'a pas de commune renseignée : demandez à la coordination de la compléter.",
        "Your pharmacy has no town on record: ask the coordination to add it.";
    LE_PATIENT_CONSENT = "Le patient consent à une téléconsultation", "The patient consents to a teleconsultation";
    DEMANDER_UNE_TELECONSULTATION = "Demander une téléconsultation", "Ask for a teleconsultation";
    REJOINDRE_LA_TELECONSULTATION = "Rejoindre la téléconsultation", "Join the teleconsultation";
    AUCUN_MEDECIN_A_TEMPS = "Aucun médecin n'a accepté à temps.", "No doctor accepted in time.";
    QUE_FAIRE_SANS_MEDECIN =
        "Vous pouvez relancer une fois tous les médecins disponibles de la CPTS, ou orienter le patient.",
        "You can ask every available doctor of the CPTS once more, or direct the patient.";
    RELANCER_TOUS_LES_MEDECINS = "Relancer tous les médecins disponibles", "Ask every available doctor again";
    ORIENTER_LE_PATIENT = "Orienter le patient", "Direct the patient";
    VOUS_AVEZ_ACCEPTE = "Vous avez accepté : la pharmacie vous attend.", "You accepted: the pharmacy is waiting for you.";
    TELECONSULTATION_FAITE = "Téléconsultation faite", "Teleconsultation done";
    PHARMACIE = "Pharmacie", "Pharmacy";
    TELECONSULTATION_DEPUIS_UNE_PHARMACIE = "téléconsultation depuis une pharmacie, patient sur place",
        "teleconsultation from a pharmacy, patient on site";
    MEDECIN = "Médecin", "Doctor";
    ACCEPTEE_A = "Acceptée à", "Accepted at";
    LIEN_EXPIRE = "Lien expiré : la téléconsultation n'est plus ouverte.", "Link expired: the teleconsultation is no longer open.";
    LIEN_INCONNU = "Cette téléconsultation n'existe pas.", "This teleconsultation does not exist.";
    LIEN_PAS_POUR_VOUS = "Ce lien est réservé au pharmacien et au médecin de cette téléconsultation.",
        "This link is only for the pharmacist and the doctor of this teleconsultation.";
    AUCUN_MEDECIN_N_A_ENCORE_ACCEPTE =
        "Aucun médecin n'a encore accepté : le lien s'ouvrira à l'acceptation.",
        "No doctor has accepted yet: the link opens once one does.";
    TELECONSULTATION_TERMINEE = "Cette téléconsultation est terminée.", "This teleconsultation is over.";
    CONNECTEZ_VOUS_POUR_REJOINDRE =
        "Connectez-vous à Relais, puis touchez de nouveau « Rejoindre la téléconsultation ».",
        "Sign in to Relais, then tap \"Join the teleconsultation\" again.";
    ERR_NOBODY_AVAILABLE =
        "Aucun médecin n'est disponible maintenant en téléconsultation : rien n'a été envoyé. Orientez le patient (SAS, 116 117).",
        "No doctor is available for teleconsultation now: nothing was sent. Direct the patient (SAS, 116 117).";
    ERR_ALREADY_REWIDENED = "Les médecins ont déjà été relancés une fois : orientez le patient.",
        "The doctors were already asked again once: direct the patient.";
}

pub fn medecins_disponibles(n: u32) -> String {
    if n == 1 {
        pick("1 médecin disponible maintenant en téléconsultation", "1 doctor available for teleconsultation now")
            .into()
    } else {
        fmt!(
            "{n} médecins disponibles maintenant en téléconsultation",
            "{n} doctors available for teleconsultation now"
        )
    }
}

pub fn recherche_en_cours(asked: u32) -> String {
    match asked {
        0 => pick("Recherche d'un médecin…", "Looking for a doctor…").into(),
        1 => pick("Recherche d'un médecin… 1 médecin sollicité.", "Looking for a doctor… 1 doctor asked.").into(),
        n => fmt!("Recherche d'un médecin… {n} médecins sollicités.", "Looking for a doctor… {n} doctors asked."),
    }
}

pub fn vous_rejoint(doctor: &str) -> String {
    fmt!("{doctor} vous rejoint", "{doctor} is joining you")
}

pub fn lien_valable_jusqu_a(hm: &str) -> String {
    fmt!("Lien valable jusqu'à {hm}.", "Link valid until {hm}.")
}

pub fn patient_oriente(to: &str) -> String {
    fmt!("Patient orienté : {to}", "Patient directed to: {to}")
}

pub fn conclusion(c: Conclusion) -> &'static str {
    match c {
        Conclusion::Advice => pick("Conseil", "Advice"),
        Conclusion::Prescription => pick("Prescription", "Prescription"),
        Conclusion::Orientation => pick("Orientation", "Redirection"),
    }
}
