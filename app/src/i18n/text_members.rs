//! The texts of the members' space, the invitation link, the profile, passkeys and the notices
//! (re-exported by `text`).

use super::{fmt, lang, pick, texts, Lang};
use crate::members::rules::{InvitationState, Notice};

texts! {
    ERR_SUSPENDED =
        "Votre accès à la CPTS est suspendu. Pour le retrouver, contactez l'administration de la CPTS.",
        "Your access to the CPTS is suspended. To get it back, contact the CPTS administration.";
    ERR_PASSKEY =
        "Cette clé d'accès n'a pas été reconnue. Réessayez, ou connectez-vous avec votre mot de passe.",
        "This passkey was not recognised. Try again, or sign in with your password.";
    ERR_PASSKEYS_UNAVAILABLE = "Les clés d'accès demandent que Relais soit ouvert à son adresse \
         (https, ou localhost sur cet ordinateur), pas à une adresse IP.",
        "Passkeys need Relais opened at its name (https, or localhost on this computer), not at an IP address.";
    ERR_NEEDS_PASSKEY = "Ajoutez d'abord une clé d'accès à votre compte (Réglages, « Mes clés \
         d'accès ») : sans mot de passe, vous ne pourriez plus vous connecter.",
        "First add a passkey to your account (Settings, \"My passkeys\"): without passwords you could no \
         longer sign in.";
    OU_UNE_CLE = "Ou, sans mot de passe : une clé d'accès (passkey) sur cet appareil — empreinte, \
         visage ou code du téléphone.",
        "Or, without a password: a passkey on this device — fingerprint, face or the phone's code.";
    CLE_SEULE_INVITATION = "La CPTS se connecte par clé d'accès (passkey) : créez la vôtre sur cet \
         appareil — empreinte, visage ou code du téléphone.",
        "The CPTS signs in with passkeys: create yours on this device — fingerprint, face or the phone's code.";
    CLE_SEULE_IMPOSSIBLE = "La CPTS se connecte uniquement par clé d'accès, et ce navigateur ne sait pas \
         en créer : ouvrez ce lien sur votre téléphone ou dans un navigateur à jour.",
        "The CPTS signs in with passkeys only, and this browser cannot make one: open this link on your phone \
         or in an up-to-date browser.";
    CREER_MA_CLE = "Créer ma clé d'accès et entrer", "Create my passkey and come in";
    SE_CONNECTER_AVEC_PSC = "Se connecter avec Pro Santé Connect", "Sign in with Pro Santé Connect";
    PSC_AIDE = "Avec votre carte CPS ou l'application e-CPS.", "With your CPS card or the e-CPS app.";
    CONNEXION_PAR_MOT_DE_PASSE = "Connexion par mot de passe", "Signing in with a password";
    MOTS_DE_PASSE_ACCEPTES = "Les membres peuvent se connecter avec leur mot de passe ou une clé d'accès.",
        "Members can sign in with their password or a passkey.";
    MOTS_DE_PASSE_REFUSES =
        "Les membres se connectent uniquement avec une clé d'accès : la connexion par mot de passe est refusée.",
        "Members sign in with a passkey only: signing in with a password is refused.";
    DESACTIVER_MOTS_DE_PASSE = "N'accepter que les clés d'accès…", "Accept passkeys only…";
    DESACTIVATION_EXPLICATION = "Les connexions déjà ouvertes continuent. À leur prochaine connexion, \
         les membres sans clé d'accès seront refusés : qu'ils en ajoutent une sur Réglages avant.",
        "Sessions already open go on. At their next sign-in, members without a passkey will be refused: they \
         should add one in Settings first.";
    CONFIRMER_CLES_SEULES = "Confirmer : clés d'accès seulement", "Confirm: passkeys only";
    REACTIVER_MOTS_DE_PASSE = "Accepter de nouveau les mots de passe", "Accept passwords again";
    ERR_PASSWORD_DISABLED =
        "La CPTS n'accepte plus la connexion par mot de passe : utilisez votre clé d'accès (passkey).",
        "The CPTS no longer accepts signing in with a password: use your passkey.";
    BIENVENUE = "Bienvenue", "Welcome";
    CHOISISSEZ_UN_MOT_DE_PASSE = "Choisissez un mot de passe", "Choose a password";
    MOT_DE_PASSE_AIDE = "Au moins 10 caractères ; une phrase de quelques mots est facile à retenir.",
        "At least 10 characters; a sentence of a few words is easy to remember.";
    CREER_MON_COMPTE = "Créer mon compte", "Create my account";
    MON_PROFIL = "Mon profil", "My profile";
    ENREGISTRE = "Enregistré.", "Saved.";
    AUCUNE = "Aucune", "None";
    TELEPHONE_AIDE = "Un mobile (06 ou 07), pour les SMS que vous choisissez ci-dessous.",
        "A mobile number (06 or 07), for the text messages you choose below.";
    JE_TELECONSULTE = "Je fais des téléconsultations (les pharmacies peuvent me solliciter)",
        "I do teleconsultations (pharmacies can ask me)";
    HEURES_CALMES_AIDE =
        "Pendant ces heures, notifications et SMS attendent leur fin ; les e-mails partent, \
         et les demandes SNP, qui ne vous sont proposées que de garde ou disponible, passent toujours.",
        "During these hours, notifications and text messages wait until they end; e-mails go out, and \
         same-day requests, offered to you only when on duty or available, always come through.";
    DE_HEURE = "De", "From";
    A = "à", "to";
    MES_NOTIFICATIONS = "Mes avis", "My notices";
    AVIS = "Avis", "Notice";
    PUSH = "Notification", "Notification";
    E_MAIL = "E-mail", "E-mail";
    SMS = "SMS", "Text message";
    SMS_SANS_TELEPHONE = "Les SMS partent quand un téléphone mobile est enregistré dans votre profil.",
        "Text messages go out once a mobile number is saved in your profile.";
    MES_CONNEXIONS = "Mes connexions", "My sessions";
    DECONNECTER_MES_AUTRES_APPAREILS = "Déconnecter mes autres appareils", "Sign out my other devices";
    LIEN_DEMO = "Démonstration — aucun e-mail ne part ; le lien d'invitation :",
        "Demo — no e-mail goes out; the invitation link:";
    INVITATION_RENVOYEE = "Invitation renvoyée avec un nouveau lien, valable 7 jours.",
        "Invitation sent again with a new link, valid for 7 days.";
    INVITER_UN_MEMBRE = "Inviter un membre", "Invite a member";
    NOM_AFFICHE = "Nom (tel que les collègues le verront)", "Name (as colleagues will see it)";
    ENVOYER_L_INVITATION = "Envoyer l'invitation", "Send the invitation";
    INVITATIONS_EN_COURS = "Invitations en cours", "Pending invitations";
    AUCUNE_INVITATION = "Aucune invitation en cours.", "No pending invitation.";
    RENVOYER = "Renvoyer", "Send again";
    RETIRER_L_INVITATION = "Retirer l'invitation", "Withdraw the invitation";
    MEMBRES_SUSPENDUS = "Accès suspendus", "Suspended access";
    ACCES_SUSPENDU = "Accès suspendu", "Access suspended";
    REACTIVER = "Rétablir l'accès", "Restore access";
    RETIRER_DE_LA_CPTS = "Retirer de la CPTS…", "Remove from the CPTS…";
    RETRAIT_EXPLICATION =
        "Le retrait est définitif : le membre ne pourra plus se connecter ; son historique reste, sous son nom.",
        "Removal is final: the member can no longer sign in; their history stays, under their name.";
    CONFIRMER_LE_RETRAIT = "Confirmer le retrait", "Confirm the removal";
    SUSPENDRE = "Suspendre l'accès…", "Suspend access…";
    SUSPENSION_EXPLICATION = "Ses connexions se ferment aussitôt, ses appareils ne reçoivent plus rien, \
         ses places dans les vacations à venir reviennent au pot commun (les administrateurs sont prévenus) et les \
         demandes qui lui sont proposées lui sont retirées. Vous pourrez rétablir son accès.",
        "Their sessions close at once, their devices receive nothing more, their places in shifts ahead go back \
         to the pool (the administrators are told) and the requests offered to them are withdrawn. You can \
         restore their access.";
    CONFIRMER_LA_SUSPENSION = "Confirmer la suspension", "Confirm the suspension";
    IMPORTER_UN_FICHIER = "Importer un fichier de membres", "Import a file of members";
    IMPORT_AIDE = "Un fichier CSV (séparateur ; ou ,) dont la première ligne nomme les colonnes : email, \
         nom, profession, rpps, commune, role. Rien n'est créé avant votre confirmation.",
        "A CSV file (separator ; or ,) whose first line names the columns: email, nom, profession, rpps, \
         commune, role. Nothing is created before you confirm.";
    CHOISIR_UN_FICHIER = "Choisir un fichier", "Choose a file";
    OU_COLLER_LE_CONTENU = "Ou coller son contenu", "Or paste its content";
    VERIFIER = "Vérifier", "Check";
    RESULTAT = "Résultat", "Result";
    SERA_INVITE = "Sera invité·e", "Will be invited";
    CLES_D_ACCES = "Mes clés d'accès", "My passkeys";
    CLES_AIDE = "Une clé d'accès (passkey) vous connecte d'un geste — empreinte, visage ou code du \
         téléphone —, sans mot de passe. Ajoutez-en une sur chaque appareil que vous utilisez.",
        "A passkey signs you in with one gesture — fingerprint, face or the phone's code — without a \
         password. Add one on each device you use.";
    AUCUNE_CLE = "Aucune clé d'accès pour l'instant.", "No passkey yet.";
    NOM_DE_LA_CLE = "Nom de la clé (l'appareil)", "Name of the passkey (the device)";
    AJOUTER_UNE_CLE = "Ajouter une clé d'accès", "Add a passkey";
    CLE_AJOUTEE = "Clé d'accès ajoutée : vous pourrez vous connecter avec elle.", "Passkey added: you can sign in with it.";
    CLE_ANNULEE = "Aucune clé d'accès créée (opération annulée ou refusée par l'appareil).",
        "No passkey created (cancelled, or refused by the device).";
    CLES_NON_DISPONIBLES = "Ce navigateur ne sait pas utiliser les clés d'accès.", "This browser cannot use passkeys.";
    SE_CONNECTER_AVEC_UNE_CLE = "Se connecter avec une clé d'accès", "Sign in with a passkey";
    CONNEXION_CLE_ANNULEE = "Connexion par clé d'accès annulée.", "Passkey sign-in cancelled.";
}

/// Why a return from Pro Santé Connect opened no session (`/connexion?psc=…`).
pub fn psc_failure(code: &str) -> Option<&'static str> {
    use crate::auth::dto::PscFailure as F;
    Some(match F::parse(code)? {
        F::Cancelled => pick("Connexion Pro Santé Connect annulée.", "Pro Santé Connect sign-in cancelled."),
        F::Unavailable => pick(
            "Pro Santé Connect ne répond pas pour l'instant. Réessayez, ou connectez-vous autrement.",
            "Pro Santé Connect is not answering for now. Try again, or sign in another way.",
        ),
        F::Refused => pick(
            "La connexion Pro Santé Connect n'a pas abouti (plus de cinq minutes, ou réponse invalide). Réessayez.",
            "The Pro Santé Connect sign-in did not complete (more than five minutes, or an invalid answer). Try again.",
        ),
        F::WeakLevel => pick(
            "Pro Santé Connect n'a pas confirmé une authentification par carte CPS ou e-CPS. Réessayez avec l'une d'elles.",
            "Pro Santé Connect did not confirm a sign-in with a CPS card or e-CPS. Try again with one of them.",
        ),
        F::Unknown => pick(
            "Votre identité Pro Santé Connect ne correspond à aucun membre : demandez à l'administration de la \
             CPTS de vérifier votre numéro RPPS.",
            "Your Pro Santé Connect identity matches no member: ask the CPTS administration to check your RPPS number.",
        ),
        F::Suspended => ERR_SUSPENDED(),
    })
}

pub fn sans_cle(names: &[String]) -> String {
    match names.len() {
        0 => pick("Tous les membres actifs ont une clé d'accès.", "Every active member has a passkey.").into(),
        1 => {
            let name = &names[0];
            fmt!(
                "1 membre actif n'a pas encore de clé d'accès : {name}.",
                "1 active member has no passkey yet: {name}."
            )
        }
        n => {
            let names = names.join(", ");
            fmt!(
                "{n} membres actifs n'ont pas encore de clé d'accès : {names}.",
                "{n} active members have no passkey yet: {names}."
            )
        }
    }
}

/// Why an invitation link opens nothing, and what to do.
pub fn invitation_unusable(s: InvitationState) -> &'static str {
    match s {
        InvitationState::Used => pick(
            "Ce lien d'invitation a déjà servi : votre compte existe. Connectez-vous.",
            "This invitation link was already used: your account exists. Sign in.",
        ),
        InvitationState::Withdrawn => pick(
            "Cette invitation a été retirée par la CPTS. Si c'est une erreur, demandez-lui une nouvelle invitation.",
            "The CPTS withdrew this invitation. If that is a mistake, ask it for a new one.",
        ),
        InvitationState::Expired => pick(
            "Ce lien d'invitation a expiré (il valait 7 jours). Demandez à la CPTS de vous la renvoyer.",
            "This invitation link has expired (it was valid for 7 days). Ask the CPTS to send it again.",
        ),
        InvitationState::Pending => pick("Cette invitation est en cours.", "This invitation is pending."),
    }
}

pub fn invitation_subject(cpts: &str) -> String {
    fmt!("Relais — invitation de {cpts}", "Relais — invitation from {cpts}")
}

pub fn invitation_email(name: &str, cpts: &str, link: &str, days: i64) -> String {
    fmt!(
        "Bonjour {name},\n\n{cpts} vous invite à rejoindre Relais, l'outil de la CPTS pour les soins non programmés.\n\n\
         Pour créer votre compte, ouvrez ce lien (valable {days} jours, une seule fois) :\n{link}\n\n\
         Si vous n'attendiez pas cette invitation, ignorez ce message.\n",
        "Hello {name},\n\n{cpts} invites you to join Relais, the CPTS's tool for same-day unscheduled care.\n\n\
         To create your account, open this link (valid for {days} days, once):\n{link}\n\n\
         If you were not expecting this invitation, ignore this message.\n"
    )
}

pub fn places_liberees(name: &str, n: usize) -> String {
    if n == 1 {
        fmt!(
            "{name} a quitté la CPTS : sa place dans une vacation à venir est remise au pot commun.",
            "{name} has left the CPTS: their place in a shift ahead goes back to the pool."
        )
    } else {
        fmt!(
            "{name} a quitté la CPTS : ses places dans {n} vacations à venir sont remises au pot commun.",
            "{name} has left the CPTS: their places in {n} shifts ahead go back to the pool."
        )
    }
}

pub fn invitation_intro(name: &str, cpts: &str) -> String {
    fmt!(
        "{name}, {cpts} vous invite à rejoindre Relais. Choisissez votre mot de passe pour créer votre compte.",
        "{name}, {cpts} invites you to join Relais. Choose your password to create your account."
    )
}

pub fn invitation_valable(until: &str) -> String {
    fmt!("Lien valable jusqu'au {until}.", "Link valid until {until}.")
}

pub fn notice(n: Notice) -> &'static str {
    match n {
        Notice::Offer => pick("Demandes SNP proposées", "Same-day requests offered"),
        Notice::Reminder => pick("Rappels de garde", "Duty reminders"),
        Notice::Planning => pick("Cessions, échanges, places libérées", "Handovers, swaps, freed places"),
        Notice::Slot => pick("Créneaux réservés", "Slots booked"),
    }
}

pub fn autres_connexions(n: i64) -> String {
    match (lang(), n) {
        (Lang::Fr, 0) => "Vous n'êtes connecté·e sur aucun autre appareil.".into(),
        (Lang::Fr, 1) => "Vous êtes aussi connecté·e sur 1 autre appareil.".into(),
        (Lang::Fr, n) => format!("Vous êtes aussi connecté·e sur {n} autres appareils."),
        (Lang::En, 0) => "You are not signed in on any other device.".into(),
        (Lang::En, 1) => "You are also signed in on 1 other device.".into(),
        (Lang::En, n) => format!("You are also signed in on {n} other devices."),
    }
}

pub fn connexions_fermees(n: u64) -> String {
    match (lang(), n) {
        (Lang::Fr, 0) => "Aucune autre connexion à fermer.".into(),
        (Lang::Fr, 1) => "1 autre connexion fermée.".into(),
        (Lang::Fr, n) => format!("{n} autres connexions fermées."),
        (Lang::En, 0) => "No other session to close.".into(),
        (Lang::En, 1) => "1 other session closed.".into(),
        (Lang::En, n) => format!("{n} other sessions closed."),
    }
}

pub fn invitation_envoyee(name: &str, email: &str) -> String {
    fmt!("Invitation envoyée à {name} ({email}).", "Invitation sent to {name} ({email}).")
}

pub fn invitation_etat(s: InvitationState, sent: &str, expires: &str) -> String {
    match s {
        InvitationState::Pending => {
            fmt!("Envoyée le {sent}, valable jusqu'au {expires}", "Sent on {sent}, valid until {expires}")
        }
        InvitationState::Expired => {
            fmt!("Expirée le {expires} (envoyée le {sent})", "Expired on {expires} (sent on {sent})")
        }
        InvitationState::Withdrawn => fmt!("Retirée (envoyée le {sent})", "Withdrawn (sent on {sent})"),
        InvitationState::Used => pick("Acceptée", "Accepted").into(),
    }
}

pub fn membres_actifs(n: usize) -> String {
    fmt!("Membres ({n})", "Members ({n})")
}

pub fn apercu_import(valid: usize, bad: usize) -> String {
    fmt!(
        "{valid} ligne(s) valide(s), {bad} ligne(s) en erreur (elles ne seront pas importées).",
        "{valid} valid row(s), {bad} row(s) with errors (they will not be imported)."
    )
}

pub fn inviter_les_lignes(n: usize) -> String {
    fmt!("Inviter les {n} ligne(s) valide(s)", "Invite the {n} valid row(s)")
}

pub fn import_fait(n: usize) -> String {
    fmt!("{n} invitation(s) envoyée(s).", "{n} invitation(s) sent.")
}

pub fn cle_creee(created: &str, used: Option<&str>) -> String {
    match used {
        Some(u) => fmt!("Ajoutée le {created}, utilisée le {u}", "Added on {created}, used on {u}"),
        None => fmt!("Ajoutée le {created}, pas encore utilisée", "Added on {created}, not used yet"),
    }
}
