//! The words of dispatch's and vacations' states and refusals, and of the audit log (re-exported
//! by `text`).

use super::text::TAKEN_BY_COLLEAGUE;
use super::{fmt, lang, pick, Lang};
use crate::dispatch::rules::{AcceptOfferError, IllegalTransition, OfferState, RequestStatus, Transition};

pub fn accept_error(e: AcceptOfferError) -> &'static str {
    match e {
        AcceptOfferError::AlreadyTaken => TAKEN_BY_COLLEAGUE(),
        AcceptOfferError::NotOnPanel => {
            pick("Cette demande ne vous a pas été proposée.", "This request was not offered to you.")
        }
        AcceptOfferError::AlreadyRefused => {
            pick("Vous avez déjà décliné cette demande.", "You already declined this request.")
        }
        AcceptOfferError::Closed => {
            pick("Cette demande est close ou son délai est dépassé.", "This request is closed or past its deadline.")
        }
        AcceptOfferError::CapReached => pick(
            "Vous avez atteint votre plafond hebdomadaire de demandes SNP.",
            "You have reached your weekly cap of same-day requests.",
        ),
    }
}

pub fn illegal_transition(t: IllegalTransition) -> String {
    let (action, state) = (transition(t.transition), status(t.from));
    fmt!(
        "Action impossible : « {action} » n'est pas permis pour une demande à l'état « {state} ».",
        "Not possible: \"{action}\" is not allowed for a request in the state \"{state}\"."
    )
}

pub fn rule_violation(r: crate::planning::rules::RuleViolation) -> String {
    use crate::planning::rules::RuleViolation as R;
    match r {
        R::Full => pick("Cette vacation est déjà complète.", "This shift is already full.").into(),
        R::AlreadyHolder => pick("Vous tenez déjà cette vacation.", "You already hold this shift.").into(),
        R::Overlap => pick("Refusé : elle chevauche une de vos vacations.", "Refused: it overlaps one of your shifts.").into(),
        R::WeeklyCap { max } => fmt!(
            "Refusé : plafond de {max} vacation(s) par semaine atteint pour votre groupe.",
            "Refused: your group's cap of {max} shift(s) a week is reached."
        ),
        R::MonthlyCap { max } => fmt!(
            "Refusé : plafond de {max} vacation(s) par mois atteint pour votre groupe.",
            "Refused: your group's cap of {max} shift(s) a month is reached."
        ),
        R::Share { max_percent } => fmt!(
            "Refusé : votre part du planning dépasserait {max_percent} % ce mois-ci.",
            "Refused: your share of the rota would exceed {max_percent}% this month."
        ),
        R::NotInGroup => {
            pick("Refusé : vous n'êtes dans aucun groupe de ce planning.", "Refused: you are in no group of this rota.")
                .into()
        }
        R::Past => pick("Cette vacation a déjà commencé.", "This shift has already begun.").into(),
        R::AssignedByAdmin => pick(
            "Cette vacation est attribuée par l'administrateur : demandez-la-lui.",
            "This shift is assigned by the administrator: ask them for it.",
        )
        .into(),
        R::UndoWindowPassed { minutes } => fmt!(
            "Trop tard pour annuler ce changement (possible pendant {minutes} min après l'accord) : voyez l'administrateur.",
            "Too late to undo this change (possible for {minutes} min after the agreement): see the administrator."
        ),
        R::NoticePassed { hours } => fmt!(
            "Trop tard pour la remettre au pot commun (moins de {hours} h avant) : proposez une cession ou un échange.",
            "Too late to give it back to the pool (less than {hours} h before): propose a handover or a swap."
        ),
    }
}

pub fn vacation_kind(k: crate::planning::rules::VacationKind) -> &'static str {
    use crate::planning::rules::VacationKind as K;
    match k {
        K::SnpOffice => pick("SNP au cabinet", "Same-day care at the practice"),
        K::SnpTeleconsultation => pick("SNP en téléconsultation", "Same-day care by teleconsultation"),
        K::DentalEmergency => pick("Urgences dentaires", "Dental emergencies"),
        K::SasRegulation => pick("Régulation SAS", "SAS regulation"),
    }
}

pub fn change_kind(k: crate::planning::rules::ChangeKind) -> &'static str {
    use crate::planning::rules::ChangeKind as K;
    match k {
        K::Cession => pick("Cession", "Handover"),
        K::Exchange => pick("Échange", "Swap"),
        K::ReturnToPool => pick("Remise au pot commun", "Given back to the pool"),
        K::Undo => pick("Annulation d'un changement", "Undoing a change"),
    }
}

/// Why an offer left a clinician's list, from the live event's kind.
pub fn offer_gone(kind: &str) -> Option<&'static str> {
    match kind {
        "offer_taken" => Some(TAKEN_BY_COLLEAGUE()),
        "offer_closed" => Some(pick(
            "Demande annulée ou réorientée par la coordination.",
            "Request cancelled or redirected by the coordination.",
        )),
        "offer_expired" => Some(pick("Délai de la demande dépassé.", "The request's deadline has passed.")),
        _ => None,
    }
}

pub fn status(s: RequestStatus) -> &'static str {
    match s {
        RequestStatus::New => pick("Nouvelle", "New"),
        RequestStatus::Pushed => pick("Envoyée", "Sent"),
        RequestStatus::Escalated => pick("À réorienter", "To redirect"),
        RequestStatus::Accepted => pick("Acceptée", "Accepted"),
        RequestStatus::Booked => pick("Rendez-vous fixé", "Appointment set"),
        RequestStatus::Done => pick("Consultation faite", "Patient seen"),
        RequestStatus::NoShow => pick("Patient absent", "Patient did not come"),
        RequestStatus::Reoriented => pick("Réorientée", "Redirected"),
        RequestStatus::Cancelled => pick("Annulée", "Cancelled"),
    }
}

pub fn offer_state(s: OfferState) -> &'static str {
    match s {
        OfferState::Sent => pick("Envoyée", "Sent"),
        OfferState::Seen => pick("Vue", "Seen"),
        OfferState::Refused => pick("Déclinée", "Declined"),
        OfferState::Expired => pick("Expirée", "Expired"),
        OfferState::Withdrawn => pick("Retirée", "Withdrawn"),
        OfferState::Accepted => pick("Acceptée", "Accepted"),
    }
}

pub fn transition(t: Transition) -> &'static str {
    match t {
        Transition::Push => pick("envoyer", "send"),
        Transition::Widen => pick("élargir", "widen"),
        Transition::Escalate => pick("signaler à la coordination", "flag to the coordination"),
        Transition::Accept => pick("accepter", "accept"),
        Transition::Book => pick("fixer un rendez-vous", "set an appointment"),
        Transition::BookSlot => pick("réserver un créneau SNP", "book a same-day slot"),
        Transition::Complete => pick("consultation faite", "patient seen"),
        Transition::NoShow => pick("patient absent", "patient did not come"),
        Transition::Reorient => pick("réorienter", "redirect"),
        Transition::Cancel => pick("annuler", "cancel"),
    }
}

pub fn escalation(code: &str) -> &'static str {
    match code {
        "waves_exhausted" => pick("Personne n'a accepté après toutes les vagues", "Nobody accepted after every wave"),
        "deadline_near" => pick("Le délai approche", "The deadline is near"),
        "nobody_available" => pick("Aucun membre disponible", "No member available"),
        _ => pick("Signalée", "Flagged"),
    }
}

pub fn exclusion(code: &str) -> &'static str {
    match code {
        "already_asked" => pick("déjà sollicité·e", "already asked"),
        "wrong_profession" => pick("autre profession", "another profession"),
        "not_available" => pick("ni de garde ni disponible", "neither on duty nor available"),
        "cap_reached" => pick("plafond hebdomadaire atteint", "weekly cap reached"),
        "too_far" => pick("trop loin pour cette vague", "too far for this wave"),
        "no_address" => pick("adresse inconnue", "address unknown"),
        "not_treating_doctor" => pick("vague réservée au médecin traitant", "wave kept for the regular doctor"),
        _ => pick("exclu·e", "left out"),
    }
}

pub fn audit_kind(kind: &str) -> &'static str {
    let (fr, en) = match kind {
        "request_created" => ("Demande créée", "Request created"),
        "request_pushed" => ("Demande envoyée", "Request sent"),
        "offer_sent" => ("Proposition envoyée", "Offer sent"),
        "offer_seen" => ("Proposition vue", "Offer seen"),
        "offer_refused" => ("Proposition déclinée", "Offer declined"),
        "offer_accepted" => ("Demande acceptée", "Request accepted"),
        "offer_withdrawn" => ("Proposition retirée", "Offer withdrawn"),
        "offer_expired" => ("Proposition expirée", "Offer expired"),
        "availability_changed" => ("Disponibilité modifiée", "Availability changed"),
        "wave_widened" => ("Vague élargie", "Wave widened"),
        "request_escalated" => ("Signalée à la coordination", "Flagged to the coordination"),
        "outcome_recorded" => ("Issue enregistrée", "Outcome recorded"),
        "login" => ("Connexion", "Sign-in"),
        "logout" => ("Déconnexion", "Sign-out"),
        "login_failed" => ("Échec de connexion", "Failed sign-in"),
        "red_flag_redirect" => ("Orientée vers le 15", "Sent to 15"),
        "vacation_taken" => ("Vacation prise", "Shift taken"),
        "vacation_assigned" => ("Vacation attribuée", "Shift assigned"),
        "vacation_returned" => ("Vacation remise au pot commun", "Shift given back to the pool"),
        "change_proposed" => ("Changement proposé", "Change proposed"),
        "change_accepted" => ("Changement accepté", "Change accepted"),
        "change_declined" => ("Changement refusé", "Change refused"),
        "change_cancelled" => ("Proposition annulée", "Proposal withdrawn"),
        "change_undone" => ("Changement annulé", "Change undone"),
        "teleconsult_requested" => (
            "Téléconsultation demandée par la pharmacie (consentement du patient)",
            "Teleconsultation asked by the pharmacy (with the patient's consent)",
        ),
        "teleconsult_rewidened" => ("Relancée par la pharmacie", "Asked again by the pharmacy"),
        "teleconsult_room_opened" => ("Salle de téléconsultation ouverte", "Teleconsultation room opened"),
        "teleconsult_concluded" => ("Conclusion de la téléconsultation", "Teleconsultation concluded"),
        "login_refused" => ("Connexion refusée (accès suspendu)", "Sign-in refused (access suspended)"),
        "logout_others" => ("Autres appareils déconnectés", "Other devices signed out"),
        "invitation_sent" => ("Invitation envoyée", "Invitation sent"),
        "invitation_resent" => ("Invitation renvoyée", "Invitation sent again"),
        "invitation_withdrawn" => ("Invitation retirée", "Invitation withdrawn"),
        "invitation_accepted" => ("Invitation acceptée, compte créé", "Invitation accepted, account created"),
        "member_created" => ("Membre créé", "Member created"),
        "member_suspended" => ("Accès suspendu", "Access suspended"),
        "member_reinstated" => ("Accès rétabli", "Access restored"),
        "member_removed" => ("Retiré de la CPTS", "Removed from the CPTS"),
        "profile_changed" => ("Profil modifié", "Profile changed"),
        "preferences_changed" => ("Choix des avis modifiés", "Notice choices changed"),
        "language_changed" => ("Langue choisie", "Language chosen"),
        _ => ("Événement", "Event"),
    };
    pick(fr, en)
}

pub fn wave(w: u8) -> String {
    if w == 0 {
        pick("Vague 0 (médecin traitant)", "Wave 0 (regular doctor)").into()
    } else {
        fmt!("Vague {w}", "Wave {w}")
    }
}

pub fn distance(km: Option<f64>) -> String {
    match (km, lang()) {
        (Some(km), Lang::Fr) if km < 1.0 => "moins d'1 km".into(),
        (Some(km), Lang::En) if km < 1.0 => "under 1 km".into(),
        (Some(km), _) => format!("{km:.0} km"),
        (None, _) => pick("distance inconnue", "distance unknown").into(),
    }
}
