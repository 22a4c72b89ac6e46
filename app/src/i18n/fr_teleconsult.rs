//! The words of pharmacy teleconsultations (re-exported by `fr`).

use crate::teleconsult::rules::Conclusion;

pub const MES_TELECONSULTATIONS: &str = "Mes téléconsultations des dernières 24 h";
pub const AUCUN_MEDECIN_DISPONIBLE: &str = "Aucun médecin de la CPTS n'est disponible maintenant en téléconsultation.";
pub const ORIENTER_SANS_MEDECIN: &str =
    "Rien n'est envoyé. Orientez le patient : le SAS en appelant le 15 si son état le demande, le 116 117 le soir, la nuit et le week-end, ou revenez plus tard.";
pub const CPTS_FERMEE_116_117: &str =
    "En dehors des heures de la CPTS : orientez le patient vers le 116 117 (permanence des soins), ou le 15 en cas d'urgence.";
pub const OFFICINE_SANS_ADRESSE: &str =
    "Votre officine n'a pas de commune renseignée : demandez à la coordination de la compléter.";
pub const LE_PATIENT_CONSENT: &str = "Le patient consent à une téléconsultation";
pub const DEMANDER_UNE_TELECONSULTATION: &str = "Demander une téléconsultation";
pub const REJOINDRE_LA_TELECONSULTATION: &str = "Rejoindre la téléconsultation";
pub const AUCUN_MEDECIN_A_TEMPS: &str = "Aucun médecin n'a accepté à temps.";
pub const QUE_FAIRE_SANS_MEDECIN: &str =
    "Vous pouvez relancer une fois tous les médecins disponibles de la CPTS, ou orienter le patient.";
pub const RELANCER_TOUS_LES_MEDECINS: &str = "Relancer tous les médecins disponibles";
pub const ORIENTER_LE_PATIENT: &str = "Orienter le patient";
pub const VOUS_AVEZ_ACCEPTE: &str = "Vous avez accepté : la pharmacie vous attend.";
pub const TELECONSULTATION_FAITE: &str = "Téléconsultation faite";
pub const PHARMACIE: &str = "Pharmacie";
pub const TELECONSULTATION_DEPUIS_UNE_PHARMACIE: &str = "téléconsultation depuis une pharmacie, patient sur place";
pub const MEDECIN: &str = "Médecin";
pub const ACCEPTEE_A: &str = "Acceptée à";
pub const LIEN_EXPIRE: &str = "Lien expiré : la téléconsultation n'est plus ouverte.";
pub const LIEN_INCONNU: &str = "Cette téléconsultation n'existe pas.";
pub const LIEN_PAS_POUR_VOUS: &str = "Ce lien est réservé au pharmacien et au médecin de cette téléconsultation.";
pub const AUCUN_MEDECIN_N_A_ENCORE_ACCEPTE: &str =
    "Aucun médecin n'a encore accepté : le lien s'ouvrira à l'acceptation.";
pub const TELECONSULTATION_TERMINEE: &str = "Cette téléconsultation est terminée.";
pub const CONNECTEZ_VOUS_POUR_REJOINDRE: &str =
    "Connectez-vous à Relais, puis touchez de nouveau « Rejoindre la téléconsultation ».";
pub const ERR_NOBODY_AVAILABLE: &str =
    "Aucun médecin n'est disponible maintenant en téléconsultation : rien n'a été envoyé. Orientez le patient (SAS, 116 117).";
pub const ERR_ALREADY_REWIDENED: &str = "Les médecins ont déjà été relancés une fois : orientez le patient.";

pub fn medecins_disponibles(n: u32) -> String {
    if n == 1 {
        "1 médecin disponible maintenant en téléconsultation".into()
    } else {
        format!("{n} médecins disponibles maintenant en téléconsultation")
    }
}

pub fn recherche_en_cours(asked: u32) -> String {
    match asked {
        0 => "Recherche d'un médecin…".into(),
        1 => "Recherche d'un médecin… 1 médecin sollicité.".into(),
        n => format!("Recherche d'un médecin… {n} médecins sollicités."),
    }
}

pub fn vous_rejoint(doctor: &str) -> String {
    format!("{doctor} vous rejoint")
}

pub fn lien_valable_jusqu_a(hm: &str) -> String {
    format!("Lien valable jusqu'à {hm}.")
}

pub fn patient_oriente(to: &str) -> String {
    format!("Patient orienté : {to}")
}

pub fn conclusion(c: Conclusion) -> &'static str {
    match c {
        Conclusion::Advice => "Conseil",
        Conclusion::Prescription => "Prescription",
        Conclusion::Orientation => "Orientation",
    }
}
