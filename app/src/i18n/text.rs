//! The texts of the interface, in French and in English: the shell, the screens of dispatch and
//! vacations, notifications and offline work. The other capabilities' texts are re-exported from their
//! own module, so that every text is `t::NAME`.

pub use super::text_dental::*;
pub use super::text_dispatch::*;
pub use super::text_domain::*;
pub use super::text_files::*;
pub use super::text_indicators::*;
pub use super::text_members::*;
pub use super::text_planning::*;
pub use super::text_slots::*;
pub use super::text_teleconsult::*;
use super::{fmt, lang, pick, texts, Lang};
use crate::domain::Deadline;

texts! {
    APP_NAME = "Relais", "Relais";
    TAGLINE = "Soins non programmés de la CPTS", "Same-day unscheduled care of the CPTS";

    ERR_UNAUTHENTICATED = "Votre session a expiré : reconnectez-vous.", "Your session has expired: please sign in again.";
    ERR_FORBIDDEN = "Vous n'avez pas accès à cette action.", "You are not allowed to do this.";
    ERR_NOT_FOUND = "Cette demande n'existe pas ou plus.", "This request does not exist (or no longer exists).";
    ERR_BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect.", "Wrong e-mail address or password.";
    ERR_INVALID = "Le formulaire contient des erreurs : corrigez les champs signalés.",
        "The form has errors: correct the fields shown.";
    ERR_RED_FLAGS =
        "Signe de gravité : appelez le 15 (SAMU) immédiatement. La demande n'est pas envoyée aux professionnels.",
        "Sign of a medical emergency: call 15 (SAMU) now. The request is not sent to the clinicians.";
    ERR_OUTSIDE_HOURS =
        "Hors des heures d'ouverture (lun.–ven. 8 h–20 h, sam. 8 h–12 h, hors jours fériés) : \
         orientez le patient vers la permanence des soins (116 117) ou, en cas d'urgence, le 15.",
        "Outside opening hours (Mon–Fri 8 am–8 pm, Sat 8 am–noon, except public holidays): \
         send the patient to the out-of-hours service (116 117) or, in an emergency, to 15.";
    ERR_CONFLICT = "Quelqu'un a fait une modification au même moment : rechargez et réessayez.",
        "Someone made a change at the same time: reload and try again.";
    ERR_DEADLINE_PASSED =
        "Le délai de cette demande est dépassé : elle ne peut plus être envoyée. Réorientez le patient.",
        "This request's deadline has passed: it can no longer be sent. Redirect the patient.";
    ERR_INTERNAL = "Une erreur est survenue. Réessayez dans un instant.", "Something went wrong. Try again in a moment.";
    ERR_UNAVAILABLE =
        "Service momentanément indisponible (base de données injoignable). Réessayez dans un instant : rien n'a été enregistré.",
        "Service temporarily unavailable (database unreachable). Try again in a moment: nothing was saved.";
    JOURNAL_D_AUDIT = "Journal d'audit", "Audit log";
    JOURNAL_D_AUDIT_AIDE = "Chaque action de la période, avec son empreinte (CSV ; par défaut : ce mois-ci).",
        "Every action of the period, with its fingerprint (CSV; by default: this month).";
    DU = "Du", "From";
    AU = "Au", "To";
    EXPORTER_LE_JOURNAL = "Exporter le journal (CSV)", "Export the log (CSV)";
    ERR_TOO_LARGE = "Envoi trop volumineux.", "What was sent is too large.";
    ERR_UNSUPPORTED_MEDIA_TYPE = "Format d'envoi non pris en charge (JSON ou formulaire attendu).",
        "Unsupported format (JSON or a form expected).";
    ERR_BAD_REQUEST = "La requête est incomplète ou mal formée.", "The request is incomplete or malformed.";
    TAKEN_BY_COLLEAGUE = "Déjà pris par un·e collègue.", "Already taken by a colleague.";

    // Screens.
    CONNEXION = "Connexion", "Sign in";
    ADRESSE_E_MAIL = "Adresse e-mail", "E-mail address";
    MOT_DE_PASSE = "Mot de passe", "Password";
    SE_CONNECTER = "Se connecter", "Sign in";
    COMPTES_DE_DEMONSTRATION = "Comptes de démonstration", "Demo accounts";
    MOT_DE_PASSE_2 = "Mot de passe : ", "Password: ";
    DEMANDES_PROPOSEES = "Demandes proposées", "Requests offered to you";
    LA_DEMANDE_A_ETE_RETIREE = " La demande a été retirée de votre liste.", " The request was removed from your list.";
    CHARGEMENT = "Chargement…", "Loading…";
    AUCUNE_DEMANDE_EN_ATTENTE = "Aucune demande en attente.", "No request waiting.";
    MES_PRISES_EN_CHARGE = "Mes prises en charge", "My patients";
    AUCUNE_POUR_L_INSTANT = "Aucune pour l'instant.", "None for now.";
    VOUS_ETES_DE_GARDE_SNP = "Vous êtes de garde SNP.", "You are on same-day duty.";
    NI_DE_GARDE_NI_DISPONIBLE =
        "Ni de garde ni disponible : vous ne recevez que les demandes de vos patients.",
        "Neither on duty nor available: you only receive your own patients' requests.";
    NE_PLUS_ETRE_DISPONIBLE = "Ne plus être disponible", "Stop being available";
    DISPONIBLE_2_H = "Disponible 2 h", "Available for 2 h";
    ACCEPTER = "Accepter", "Accept";
    SANS_RAISON = "Sans raison", "No reason";
    DECLINER = "Décliner", "Decline";
    DEMANDES_DU_JOUR = "Demandes du jour", "Today's requests";
    NOUVELLE_DEMANDE = "Nouvelle demande", "New request";
    AUCUNE_DEMANDE_EN_COURS = "Aucune demande en cours.", "No open request.";
    PRISE_EN_CHARGE = "Prise en charge : ", "Taken by: ";
    A_REORIENTER = " — à réorienter", " — to redirect";
    CHOISIR = "— Choisir —", "— Choose —";
    NOUVELLE_DEMANDE_DE_SOINS_NON = "Nouvelle demande de soins non programmés", "New same-day care request";
    APPELER_LE_15 = "Appeler le 15", "Call 15";
    SIGNES_DE_GRAVITE_SI_L = "Signes de gravité — si l'un est présent : appeler le 15",
        "Signs of an emergency — if any is present: call 15";
    TELECONSULTATION_ACCEPTEE_PAR_LE_PATIENT = "Téléconsultation acceptée par le patient",
        "The patient accepts a teleconsultation";
    AUCUN_NON_MEMBRE = "— Aucun / non membre —", "— None / not a member —";
    ENREGISTRER_LA_DEMANDE = "Enregistrer la demande", "Save the request";
    RETOUR = "← Retour", "← Back";
    AUCUN_MEMBRE_DISPONIBLE_LA_DEMANDE =
        "Aucun membre disponible : la demande est signalée pour réorientation.",
        "No member available: the request is flagged for redirection.";
    PERSONNE_DE_PLUS_N_EST =
        "Personne de plus n'est disponible : les propositions déjà envoyées restent ouvertes.",
        "Nobody else is available: the offers already sent stay open.";
    PROFESSION = "Profession", "Profession";
    AGE = "Âge", "Age";
    COMMUNE = "Commune", "Town";
    DELAI = "Délai", "Deadline";
    TELECONSULTATION = "Téléconsultation", "Teleconsultation";
    ACCEPTEE = "acceptée", "accepted";
    ORIGINE = "Origine", "Source";
    PRISE_EN_CHARGE_2 = "Prise en charge", "Taken by";
    RENDEZ_VOUS = "Rendez-vous", "Appointment";
    REORIENTEE_VERS = "Réorientée vers", "Redirected to";
    ALERTE = "Alerte", "Alert";
    PATIENT = "Patient", "Patient";
    ENVOYER_AU_PANEL = "Envoyer au panel", "Send to the panel";
    RELANCER_L_ENVOI = "Relancer l'envoi", "Send again";
    PROPOSITIONS = "Propositions", "Offers";
    PROFESSIONNELLE = "Professionnel·le", "Clinician";
    VAGUE = "Vague", "Wave";
    DISTANCE = "Distance", "Distance";
    ETAT = "État", "State";
    HEURE = "Heure", "Time";
    HISTORIQUE = "Historique", "History";
    ISSUE = "Issue", "Outcome";
    MODE = "Mode", "Mode";
    ENREGISTRER_LE_RENDEZ_VOUS = "Enregistrer le rendez-vous", "Save the appointment";
    CONSULTATION_FAITE = "Consultation faite", "Patient seen";
    PATIENT_ABSENT = "Patient absent", "Patient did not come";
    REORIENTER_VERS = "Réorienter vers", "Redirect to";
    REORIENTER = "Réorienter", "Redirect";
    ANNULER_LA_DEMANDE = "Annuler la demande", "Cancel the request";
    MES_GARDES = "Mes gardes", "My duties";
    PROPOSITIONS_RECUES = "Propositions reçues", "Proposals received";
    DE = " de ", " from ";
    CONTRE_VOTRE_VACATION_DU = "contre votre vacation du ", "for your shift of ";
    REFUSER = "Refuser", "Refuse";
    MES_VACATIONS = "Mes vacations", "My shifts";
    AUCUNE_VACATION_A_VENIR = "Aucune vacation à venir.", "No shift ahead.";
    A_TOUS = " à tous", " to everyone";
    ANNULER_LA_PROPOSITION = "Annuler la proposition", "Withdraw the proposal";
    CEDER_ECHANGER_OU_REMETTRE = "Céder, échanger ou remettre", "Hand over, swap or give back";
    CEDER_A = "Céder à", "Hand over to";
    TOUT_COLLEGUE_DU_PLANNING = "Tout collègue du planning", "Any colleague of the rota";
    PROPOSER_LA_CESSION = "Proposer la cession", "Propose the handover";
    ECHANGER_CONTRE = "Échanger contre", "Swap for";
    PROPOSER_L_ECHANGE = "Proposer l'échange", "Propose the swap";
    REMETTRE_AU_POT_COMMUN = "Remettre au pot commun", "Give back to the pool";
    VACATIONS_OUVERTES = "Vacations ouvertes", "Open shifts";
    AUCUNE_PLACE_LIBRE_DANS_VOS = "Aucune place libre dans vos plannings.", "No free place in your rotas.";
    PRENDRE = "Prendre", "Take";
    CHANGEMENTS_RECENTS = "Changements récents", "Recent changes";
    DEMANDER_L_ANNULATION = "Demander l'annulation", "Ask to undo";
    RAPPELS_ET_AVIS = "Rappels et avis", "Reminders and notices";
    MON_CALENDRIER = "Mon calendrier", "My calendar";
    PLANNINGS = "Plannings", "Rotas";
    AUCUN_PLANNING = "Aucun planning.", "No rota.";
    NOUVEAU_PLANNING = "Nouveau planning", "New rota";
    NOM = "Nom", "Name";
    CREER_LE_PLANNING = "Créer le planning", "Create the rota";
    PLANNINGS_2 = "← Plannings", "← Rotas";
    GROUPES_ET_REGLES = "Groupes et règles", "Groups and rules";
    AUCUN_GROUPE_PERSONNE_NE_PEUT = "Aucun groupe : personne ne peut prendre de vacation.",
        "No group: nobody can take a shift.";
    MODIFIER_LES_MEMBRES = "Modifier les membres", "Change the members";
    ENREGISTRER_LES_MEMBRES = "Enregistrer les membres", "Save the members";
    GRILLE = "Grille", "Grid";
    SEMAINE_PRECEDENTE = "← Semaine précédente", "← Previous week";
    SEMAINE_SUIVANTE = "Semaine suivante →", "Next week →";
    LE_MOIS = "Le mois", "The month";
    AUCUNE_VACATION_SUR_CETTE_PERIODE = "Aucune vacation sur cette période.", "No shift in this period.";
    VACATION = "Vacation", "Shift";
    TYPE = "Type", "Kind";
    TENUE_PAR = "Tenue par", "Held by";
    PLACES = "Places", "Places";
    ATTRIBUER = "Attribuer", "Assign";
    VACATIONS_TENUES_SUR_LA_PERIODE = "Vacations tenues sur la période", "Shifts held in the period";
    GENERER_DES_VACATIONS = "Générer des vacations", "Generate shifts";
    SAUTER_LES_JOURS_FERIES = "Sauter les jours fériés", "Skip public holidays";
    GENERER = "Générer", "Generate";
    NOUVEAU_GROUPE = "Nouveau groupe", "New group";
    NOM_DU_GROUPE = "Nom du groupe", "Group name";
    TERRITOIRE = "Territoire", "Territory";
    STRUCTURE = "Structure", "Practice";
    AU_PLUS_PAR_MOIS = "Au plus, par mois", "At most, per month";
    MEMBRES = "Membres", "Members";
    CREER_LE_GROUPE = "Créer le groupe", "Create the group";
    DEMANDES = "Demandes", "Requests";
    SE_DECONNECTER = "Se déconnecter", "Sign out";
    PAGE_INTROUVABLE = "Page introuvable", "Page not found";
    RETOUR_A_L_ACCUEIL = "Retour à l'accueil", "Back to the home page";
    LANGUE = "Langue", "Language";
    LANGUE_DU_NAVIGATEUR = "Celle du navigateur", "The browser's";
    LANGUE_AIDE = "La langue de Relais sur tous vos appareils.", "Relais' language on all your devices.";

    // Notifications, offline.
    PUSH_OFFER_NEW = "Nouvelle demande de soins non programmés", "New same-day care request";
    PUSH_OFFER_TAKEN = "Demande prise par un·e collègue", "Request taken by a colleague";
    PUSH_OFFER_CLOSED = "Demande annulée par la coordination", "Request cancelled by the coordination";
    PUSH_OFFER_EXPIRED = "Délai de la demande dépassé", "The request's deadline has passed";
    PUSH_NOTICE = "Relais — vos gardes", "Relais — your duties";
    PUSH_REMINDER = "Relais — rappel de garde", "Relais — duty reminder";
    PUSH_TEST_TITLE = "Relais — notification d'essai", "Relais — test notification";
    PUSH_TEST_BODY = "Les notifications arrivent bien sur cet appareil.", "Notifications do reach this device.";
    APPAREIL_SANS_NOM = "Appareil sans nom", "Unnamed device";
    REGLAGES = "Réglages", "Settings";
    NOTIFICATIONS = "Notifications", "Notifications";
    NOTIF_PROPOSITION =
        "Recevez les demandes sur ce téléphone, même application fermée : une touche ouvre la demande.",
        "Receive requests on this phone, even with the app closed: one tap opens the request.";
    ACTIVER_LES_NOTIFICATIONS = "Activer les notifications", "Turn on notifications";
    PLUS_TARD = "Plus tard", "Later";
    NOTIF_ACTIVEES = "Notifications activées sur cet appareil.", "Notifications are on for this device.";
    NOTIF_REFUSEES =
        "Les notifications sont bloquées pour Relais dans ce navigateur : autorisez-les dans ses réglages du site.",
        "Notifications are blocked for Relais in this browser: allow them in its site settings.";
    NOTIF_NON_DISPONIBLES = "Ce navigateur ne permet pas les notifications push.", "This browser cannot receive push notifications.";
    NOTIF_ECHEC = "L'abonnement aux notifications a échoué. Réessayez dans un instant.",
        "Subscribing to notifications failed. Try again in a moment.";
    IOS_ECRAN_ACCUEIL = "Sur iPhone et iPad, les notifications demandent d'ajouter Relais à l'écran \
         d'accueil : touchez le bouton Partager (carré avec une flèche) dans Safari, puis « Sur l'écran d'accueil », \
         et ouvrez Relais depuis cette icône.",
        "On iPhone and iPad, notifications need Relais on the home screen: tap the Share button (a square \
         with an arrow) in Safari, then \"Add to Home Screen\", and open Relais from that icon.";
    MES_APPAREILS = "Appareils qui reçoivent les notifications", "Devices that receive notifications";
    AUCUN_APPAREIL = "Aucun appareil abonné.", "No device subscribed.";
    RETIRER = "Retirer", "Remove";
    ENVOYER_UN_ESSAI = "Envoyer une notification d'essai", "Send a test notification";
    ESSAI_ENVOYE = "Notification d'essai envoyée.", "Test notification sent.";
    CET_APPAREIL = "cet appareil", "this device";
    HORS_LIGNE = "Hors ligne", "Offline";
    HORS_LIGNE_SANS_COPIE = "Hors ligne, et aucune copie n'est enregistrée sur cet appareil.",
        "Offline, and no copy is saved on this device.";
    ACCEPTER_RESEAU = "Accepter (réseau nécessaire)", "Accept (needs the network)";
    ACCEPTER_HORS_LIGNE = "Accepter une demande nécessite le réseau : le premier qui accepte l'obtient.",
        "Accepting a request needs the network: the first to accept gets it.";
    REFUS_EN_ATTENTE = "Refus enregistré hors ligne : il sera envoyé dès la reconnexion.",
        "Refusal saved offline: it will be sent as soon as you are back online.";
    PROPOSITION_EN_ATTENTE = "Proposition enregistrée hors ligne : elle sera envoyée dès la reconnexion.",
        "Proposal saved offline: it will be sent as soon as you are back online.";
    ISSUE_EN_ATTENTE = "Issue enregistrée hors ligne : elle sera envoyée dès la reconnexion.",
        "Outcome saved offline: it will be sent as soon as you are back online.";
    OFFRE_PLUS_DISPONIBLE = "Cette demande ne vous est plus proposée.", "This request is no longer offered to you.";

    // Screens, continued.
    MISES_A_JOUR_EN_DIRECT = "Mises à jour en direct", "Live updates";
    NAVIGATION = "Navigation", "Navigation";
    DELAI_DEPASSE = "Délai de la demande dépassé.", "The request's deadline has passed.";
    VOUS_AVEZ_DECLINE = "Vous avez décliné cette demande.", "You declined this request.";
    VOUS_AVEZ_ACCEPTE_LA_DEMANDE = "Vous avez accepté cette demande : elle est dans vos prises en charge.",
        "You accepted this request: it is among your patients.";
    TELECONSULTATION_POSSIBLE = " · téléconsultation possible", " · teleconsultation possible";
    RAISON_FACULTATIVE = "Raison (facultative)", "Reason (optional)";
    RENDEZ_VOUS_HEURE_DE_PARIS = "Rendez-vous (heure de Paris)", "Appointment (Paris time)";
    CALENDRIER = "Calendrier", "Calendar";
    A_TOUS_PAREN = " (à tous)", " (to everyone)";
    ABONNEZ_L_AGENDA = "Abonnez l'agenda de votre téléphone à cette adresse personnelle (ne la partagez pas) :",
        "Subscribe your phone's calendar to this personal address (do not share it):";
    CHANGER_D_ADRESSE = "Changer d'adresse (l'ancienne cessera de fonctionner)",
        "Change the address (the old one will stop working)";
    PERSONNE_MIN = "personne", "nobody";
    EX_PLANNING = "SNP médecins généralistes", "Same-day care, GPs";
    COMPLET = "Complet", "Full";
    RETIRER_MIN = "retirer", "remove";
    EXPORTER_LE_MOIS = "Exporter le mois (CSV)", "Export the month (CSV)";
    STATISTIQUES_DU_MOIS = "Statistiques du mois (CSV)", "The month's statistics (CSV)";
    EN_LIBRE_SERVICE = "En libre-service (sinon attribuées par l'administrateur)",
        "Self-service (otherwise assigned by the administrator)";
    EX_GROUPE = "Médecins de Rennes", "Rennes GPs";
    AU_PLUS_PAR_SEMAINE = "Au plus, par semaine (vide : sans limite)", "At most, per week (empty: no limit)";
    PART_MAXIMALE_DU_PLANNING = "Part maximale du planning (%)", "Largest share of the rota (%)";
    SANS_LIMITE = "sans limite", "no limit";
    EX_LIEU = "Cabinet, adresse", "Practice, address";
    FACULTATIF_SI_MEMBRE = " (facultatif, s'il est membre)", " (optional, if a member)";
    SANS_DIAGNOSTIC = " (sans diagnostic)", " (no diagnosis)";
    FACULTATIF = " (facultatif)", " (optional)";
    NAVIGATEUR = "Navigateur", "Browser";
}

/// The days of the week, short, Monday first.
#[allow(non_snake_case)]
pub fn JOURS_COURTS() -> &'static [&'static str; 7] {
    pick(&["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."], &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
}

/// An offer on a lock screen: `Fièvre · Rennes · avant 23/11 18:00` (no patient identity).
pub fn offer_summary(motive: &str, commune: &str, when: &str) -> String {
    fmt!("{motive} · {commune} · avant {when}", "{motive} · {commune} · before {when}")
}

/// The heading of a request's page: `Demande #12 · Fièvre`.
pub fn demande_numero(id: i64, motive: &str) -> String {
    fmt!("Demande #{id} · {motive}", "Request #{id} · {motive}")
}

/// A vacation in the list of open places: `SNP · SNP au cabinet · 1/2 places prises`.
pub fn places_prises(planning: &str, kind: &str, taken: usize, capacity: u32) -> String {
    fmt!(
        "{planning} · {kind} · {taken}/{capacity} places prises",
        "{planning} · {kind} · {taken}/{capacity} places taken"
    )
}

pub fn disponible_jusqu_a(hm: &str) -> String {
    fmt!("Disponible jusqu'à {hm}", "Available until {hm}")
}

/// `Aujourd'hui · avant 23/11 18:00`.
pub fn delai_avant(deadline: Deadline, when: &str) -> String {
    let d = self::deadline(deadline);
    fmt!("{d} · avant {when}", "{d} · before {when}")
}

/// `Aujourd'hui (avant 23/11 18:00)`.
pub fn delai_avant_paren(deadline: Deadline, when: &str) -> String {
    let d = self::deadline(deadline);
    fmt!("{d} (avant {when})", "{d} (before {when})")
}

pub fn refus_de_la_demande(id: i64) -> String {
    fmt!("Refus de la demande n° {id}", "Declining request no. {id}")
}

pub fn issue_de_la_demande(id: i64) -> String {
    fmt!("Issue de la demande n° {id}", "Outcome of request no. {id}")
}

pub fn demande_envoyee(n: usize, wave: &str) -> String {
    fmt!("Demande envoyée à {n} professionnel·le·s ({wave}).", "Request sent to {n} clinician(s) ({wave}).")
}

pub fn rappeler(phone: &str) -> String {
    fmt!("Rappeler le {phone}", "Call back {phone}")
}

pub fn panel_titre(wave: &str, n: usize) -> String {
    fmt!("Panel — {wave} : {n} professionnel·le·s", "Panel — {wave}: {n} clinician(s)")
}

pub fn depuis_le(when: &str) -> String {
    fmt!(" · depuis le {when}", " · since {when}")
}

/// "Cession proposée", "Échange proposé à tous".
pub fn change_propose(kind: crate::planning::rules::ChangeKind, to_all: bool) -> String {
    use crate::planning::rules::ChangeKind as K;
    let k = change_kind(kind);
    let all = if to_all { A_TOUS() } else { "" };
    match (lang(), kind) {
        (Lang::Fr, K::Exchange) => format!("{k} proposé{all}"),
        (Lang::Fr, _) => format!("{k} proposée{all}"),
        (Lang::En, _) => format!("{k} proposed{all}"),
    }
}

pub fn proposition_pour(slot: &str) -> String {
    fmt!("Proposition pour la vacation du {slot}", "Proposal for the shift of {slot}")
}

pub fn vacations_creees(n: usize) -> String {
    fmt!("{n} vacations créées.", "{n} shifts created.")
}

pub fn places_a_pourvoir(n: i64) -> String {
    fmt!("{n} place(s) à pourvoir", "{n} place(s) to fill")
}

pub fn retirer_nom(name: &str) -> String {
    fmt!("Retirer {name}", "Remove {name}")
}

pub fn au_plus_semaine(n: u32) -> String {
    fmt!("au plus {n}/semaine", "at most {n}/week")
}

pub fn au_plus_mois(n: u32) -> String {
    fmt!("au plus {n}/mois", "at most {n}/month")
}

pub fn au_plus_part(n: u32) -> String {
    fmt!("au plus {n} % du planning", "at most {n}% of the rota")
}

/// CSS classes of a status line (the same in every language).
pub const STATUS_WARN: &str = "status warn";
pub const STATUS_OK: &str = "status ok";

pub fn err_too_many_attempts(minutes: i64) -> String {
    fmt!(
        "Trop de tentatives de connexion. Réessayez dans {minutes} min.",
        "Too many sign-in attempts. Try again in {minutes} min."
    )
}

pub fn hors_ligne_donnees_du(when: &str) -> String {
    fmt!("Hors ligne — données du {when}", "Offline — data of {when}")
}

pub fn en_attente_de_reseau(n: usize) -> String {
    if n == 1 {
        pick(
            "1 action en attente du réseau : elle partira dès la reconnexion.",
            "1 action waiting for the network: it will be sent as soon as you are back online.",
        )
        .to_string()
    } else {
        fmt!(
            "{n} actions en attente du réseau : elles partiront dès la reconnexion.",
            "{n} actions waiting for the network: they will be sent as soon as you are back online."
        )
    }
}

pub fn action_hors_ligne_refusee(label: &str, why: &str) -> String {
    fmt!(
        "{label} (faite hors ligne) n'a pas pu être appliquée : {why}",
        "{label} (done offline) could not be applied: {why}"
    )
}
