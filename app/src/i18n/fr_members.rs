//! The words of the members' space, the invitation link, the profile and the notices (re-exported
//! by `fr`).

use crate::members::rules::{InvitationState, Notice};

pub const ERR_SUSPENDED: &str =
    "Votre accès à la CPTS est suspendu. Pour le retrouver, contactez l'administration de la CPTS.";
pub const ERR_PASSKEY: &str =
    "Cette clé d'accès n'a pas été reconnue. Réessayez, ou connectez-vous avec votre mot de passe.";
pub const ERR_PASSKEYS_UNAVAILABLE: &str = "Les clés d'accès demandent que Relais soit ouvert à son adresse \
     (https, ou localhost sur cet ordinateur), pas à une adresse IP.";
pub const ERR_NEEDS_PASSKEY: &str = "Ajoutez d'abord une clé d'accès à votre compte (Réglages, « Mes clés \
     d'accès ») : sans mot de passe, vous ne pourriez plus vous connecter.";
pub const OU_UNE_CLE: &str = "Ou, sans mot de passe : une clé d'accès (passkey) sur cet appareil — empreinte, \
     visage ou code du téléphone.";
pub const CLE_SEULE_INVITATION: &str = "La CPTS se connecte par clé d'accès (passkey) : créez la vôtre sur cet \
     appareil — empreinte, visage ou code du téléphone.";
pub const CLE_SEULE_IMPOSSIBLE: &str = "La CPTS se connecte uniquement par clé d'accès, et ce navigateur ne sait pas \
     en créer : ouvrez ce lien sur votre téléphone ou dans un navigateur à jour.";
pub const CREER_MA_CLE: &str = "Créer ma clé d'accès et entrer";
pub const SE_CONNECTER_AVEC_PSC: &str = "Se connecter avec Pro Santé Connect";
pub const PSC_AIDE: &str = "Avec votre carte CPS ou l'application e-CPS.";
/// Why a return from Pro Santé Connect opened no session (`/connexion?psc=…`).
pub fn psc_failure(code: &str) -> Option<&'static str> {
    use crate::auth::dto::PscFailure as F;
    Some(match F::parse(code)? {
        F::Cancelled => "Connexion Pro Santé Connect annulée.",
        F::Unavailable => "Pro Santé Connect ne répond pas pour l'instant. Réessayez, ou connectez-vous autrement.",
        F::Refused => "La connexion Pro Santé Connect n'a pas abouti (plus de cinq minutes, ou réponse invalide). Réessayez.",
        F::WeakLevel => "Pro Santé Connect n'a pas confirmé une authentification par carte CPS ou e-CPS. Réessayez avec l'une d'elles.",
        F::Unknown => "Votre identité Pro Santé Connect ne correspond à aucun membre : demandez à l'administration de la \
             CPTS de vérifier votre numéro RPPS.",
        F::Suspended => ERR_SUSPENDED,
    })
}
pub const CONNEXION_PAR_MOT_DE_PASSE: &str = "Connexion par mot de passe";
pub const MOTS_DE_PASSE_ACCEPTES: &str = "Les membres peuvent se connecter avec leur mot de passe ou une clé d'accès.";
pub const MOTS_DE_PASSE_REFUSES: &str =
    "Les membres se connectent uniquement avec une clé d'accès : la connexion par mot de passe est refusée.";
pub const DESACTIVER_MOTS_DE_PASSE: &str = "N'accepter que les clés d'accès…";
pub const DESACTIVATION_EXPLICATION: &str = "Les connexions déjà ouvertes continuent. À leur prochaine connexion, \
     les membres sans clé d'accès seront refusés : qu'ils en ajoutent une sur Réglages avant.";
pub const CONFIRMER_CLES_SEULES: &str = "Confirmer : clés d'accès seulement";
pub const REACTIVER_MOTS_DE_PASSE: &str = "Accepter de nouveau les mots de passe";
pub fn sans_cle(names: &[String]) -> String {
    match names.len() {
        0 => "Tous les membres actifs ont une clé d'accès.".into(),
        1 => format!("1 membre actif n'a pas encore de clé d'accès : {}.", names[0]),
        n => format!("{n} membres actifs n'ont pas encore de clé d'accès : {}.", names.join(", ")),
    }
}
pub const ERR_PASSWORD_DISABLED: &str =
    "La CPTS n'accepte plus la connexion par mot de passe : utilisez votre clé d'accès (passkey).";

/// Why an invitation link opens nothing, and what to do.
pub fn invitation_unusable(s: InvitationState) -> &'static str {
    match s {
        InvitationState::Used => "Ce lien d'invitation a déjà servi : votre compte existe. Connectez-vous.",
        InvitationState::Withdrawn => {
            "Cette invitation a été retirée par la CPTS. Si c'est une erreur, demandez-lui une nouvelle invitation."
        }
        InvitationState::Expired => {
            "Ce lien d'invitation a expiré (il valait 7 jours). Demandez à la CPTS de vous la renvoyer."
        }
        InvitationState::Pending => "Cette invitation est en cours.",
    }
}

pub fn invitation_subject(cpts: &str) -> String {
    format!("Relais — invitation de {cpts}")
}

pub fn invitation_email(name: &str, cpts: &str, link: &str, days: i64) -> String {
    format!(
        "Bonjour {name},\n\n{cpts} vous invite à rejoindre Relais, l'outil de la CPTS pour les soins non programmés.\n\n\
         Pour créer votre compte, ouvrez ce lien (valable {days} jours, une seule fois) :\n{link}\n\n\
         Si vous n'attendiez pas cette invitation, ignorez ce message.\n"
    )
}

pub fn places_liberees(name: &str, n: usize) -> String {
    if n == 1 {
        format!("{name} a quitté la CPTS : sa place dans une vacation à venir est remise au pot commun.")
    } else {
        format!("{name} a quitté la CPTS : ses places dans {n} vacations à venir sont remises au pot commun.")
    }
}

pub const BIENVENUE: &str = "Bienvenue";
pub fn invitation_intro(name: &str, cpts: &str) -> String {
    format!("{name}, {cpts} vous invite à rejoindre Relais. Choisissez votre mot de passe pour créer votre compte.")
}
pub fn invitation_valable(until: &str) -> String {
    format!("Lien valable jusqu'au {until}.")
}
pub const CHOISISSEZ_UN_MOT_DE_PASSE: &str = "Choisissez un mot de passe";
pub const MOT_DE_PASSE_AIDE: &str = "Au moins 10 caractères ; une phrase de quelques mots est facile à retenir.";
pub const CREER_MON_COMPTE: &str = "Créer mon compte";

pub const MON_PROFIL: &str = "Mon profil";
pub const ENREGISTRE: &str = "Enregistré.";
pub const AUCUNE: &str = "Aucune";
pub const TELEPHONE_AIDE: &str = "Un mobile (06 ou 07), pour les SMS que vous choisissez ci-dessous.";
pub const JE_TELECONSULTE: &str = "Je fais des téléconsultations (les pharmacies peuvent me solliciter)";
pub const HEURES_CALMES_AIDE: &str =
    "Pendant ces heures, notifications et SMS attendent leur fin ; les e-mails partent, \
     et les demandes SNP, qui ne vous sont proposées que de garde ou disponible, passent toujours.";
pub const DE_HEURE: &str = "De";
pub const A: &str = "à";
pub const MES_NOTIFICATIONS: &str = "Mes avis";
pub const AVIS: &str = "Avis";
pub const PUSH: &str = "Notification";
pub const E_MAIL: &str = "E-mail";
pub const SMS: &str = "SMS";
pub const SMS_SANS_TELEPHONE: &str = "Les SMS partent quand un téléphone mobile est enregistré dans votre profil.";
pub fn notice(n: Notice) -> &'static str {
    match n {
        Notice::Offer => "Demandes SNP proposées",
        Notice::Reminder => "Rappels de garde",
        Notice::Planning => "Cessions, échanges, places libérées",
        Notice::Slot => "Créneaux réservés",
    }
}
pub const MES_CONNEXIONS: &str = "Mes connexions";
pub fn autres_connexions(n: i64) -> String {
    match n {
        0 => "Vous n'êtes connecté·e sur aucun autre appareil.".into(),
        1 => "Vous êtes aussi connecté·e sur 1 autre appareil.".into(),
        n => format!("Vous êtes aussi connecté·e sur {n} autres appareils."),
    }
}
pub fn connexions_fermees(n: u64) -> String {
    match n {
        0 => "Aucune autre connexion à fermer.".into(),
        1 => "1 autre connexion fermée.".into(),
        n => format!("{n} autres connexions fermées."),
    }
}
pub const DECONNECTER_MES_AUTRES_APPAREILS: &str = "Déconnecter mes autres appareils";

pub fn invitation_envoyee(name: &str, email: &str) -> String {
    format!("Invitation envoyée à {name} ({email}).")
}
pub const LIEN_DEMO: &str = "Démonstration — aucun e-mail ne part ; le lien d'invitation :";
pub const INVITATION_RENVOYEE: &str = "Invitation renvoyée avec un nouveau lien, valable 7 jours.";
pub const INVITER_UN_MEMBRE: &str = "Inviter un membre";
pub const NOM_AFFICHE: &str = "Nom (tel que les collègues le verront)";
pub const ENVOYER_L_INVITATION: &str = "Envoyer l'invitation";
pub const INVITATIONS_EN_COURS: &str = "Invitations en cours";
pub const AUCUNE_INVITATION: &str = "Aucune invitation en cours.";
pub fn invitation_etat(s: InvitationState, sent: &str, expires: &str) -> String {
    match s {
        InvitationState::Pending => format!("Envoyée le {sent}, valable jusqu'au {expires}"),
        InvitationState::Expired => format!("Expirée le {expires} (envoyée le {sent})"),
        InvitationState::Withdrawn => format!("Retirée (envoyée le {sent})"),
        InvitationState::Used => "Acceptée".into(),
    }
}
pub const RENVOYER: &str = "Renvoyer";
pub const RETIRER_L_INVITATION: &str = "Retirer l'invitation";
pub fn membres_actifs(n: usize) -> String {
    format!("Membres ({n})")
}
pub const MEMBRES_SUSPENDUS: &str = "Accès suspendus";
pub const ACCES_SUSPENDU: &str = "Accès suspendu";
pub const REACTIVER: &str = "Rétablir l'accès";
pub const RETIRER_DE_LA_CPTS: &str = "Retirer de la CPTS…";
pub const RETRAIT_EXPLICATION: &str =
    "Le retrait est définitif : le membre ne pourra plus se connecter ; son historique reste, sous son nom.";
pub const CONFIRMER_LE_RETRAIT: &str = "Confirmer le retrait";
pub const SUSPENDRE: &str = "Suspendre l'accès…";
pub const SUSPENSION_EXPLICATION: &str = "Ses connexions se ferment aussitôt, ses appareils ne reçoivent plus rien, \
     ses places dans les vacations à venir reviennent au pot commun (les administrateurs sont prévenus) et les \
     demandes qui lui sont proposées lui sont retirées. Vous pourrez rétablir son accès.";
pub const CONFIRMER_LA_SUSPENSION: &str = "Confirmer la suspension";

pub const IMPORTER_UN_FICHIER: &str = "Importer un fichier de membres";
pub const IMPORT_AIDE: &str = "Un fichier CSV (séparateur ; ou ,) dont la première ligne nomme les colonnes : email, \
     nom, profession, rpps, commune, role. Rien n'est créé avant votre confirmation.";
pub const CHOISIR_UN_FICHIER: &str = "Choisir un fichier";
pub const OU_COLLER_LE_CONTENU: &str = "Ou coller son contenu";
pub const VERIFIER: &str = "Vérifier";
pub const RESULTAT: &str = "Résultat";
pub const SERA_INVITE: &str = "Sera invité·e";
pub fn apercu_import(valid: usize, bad: usize) -> String {
    format!("{valid} ligne(s) valide(s), {bad} ligne(s) en erreur (elles ne seront pas importées).")
}
pub fn inviter_les_lignes(n: usize) -> String {
    format!("Inviter les {n} ligne(s) valide(s)")
}
pub fn import_fait(n: usize) -> String {
    format!("{n} invitation(s) envoyée(s).")
}

pub const CLES_D_ACCES: &str = "Mes clés d'accès";
pub const CLES_AIDE: &str = "Une clé d'accès (passkey) vous connecte d'un geste — empreinte, visage ou code du \
     téléphone —, sans mot de passe. Ajoutez-en une sur chaque appareil que vous utilisez.";
pub const AUCUNE_CLE: &str = "Aucune clé d'accès pour l'instant.";
pub const NOM_DE_LA_CLE: &str = "Nom de la clé (l'appareil)";
pub const AJOUTER_UNE_CLE: &str = "Ajouter une clé d'accès";
pub const CLE_AJOUTEE: &str = "Clé d'accès ajoutée : vous pourrez vous connecter avec elle.";
pub const CLE_ANNULEE: &str = "Aucune clé d'accès créée (opération annulée ou refusée par l'appareil).";
pub const CLES_NON_DISPONIBLES: &str = "Ce navigateur ne sait pas utiliser les clés d'accès.";
pub const SE_CONNECTER_AVEC_UNE_CLE: &str = "Se connecter avec une clé d'accès";
pub const CONNEXION_CLE_ANNULEE: &str = "Connexion par clé d'accès annulée.";
pub fn cle_creee(created: &str, used: Option<&str>) -> String {
    match used {
        Some(u) => format!("Ajoutée le {created}, utilisée le {u}"),
        None => format!("Ajoutée le {created}, pas encore utilisée"),
    }
}
