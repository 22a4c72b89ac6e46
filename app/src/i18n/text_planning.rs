//! The texts of *Mes gardes*' open places (re-exported by `text`).

use chrono::NaiveDate;

use super::{fmt, lang, pick, texts, Lang};
use crate::planning::rules::weeks::Period;

texts! {
    FILTRER = "Filtrer", "Filter";
    TOUS_LES_JOURS = "Tous les jours", "Every day";
    TOUTE_LA_JOURNEE = "Toute la journée", "All day";
    TOUS_LES_TYPES = "Tous les types", "All kinds";
    JOUR = "Jour", "Day";
    MOMENT = "Moment", "Time of day";
    TOUT_AFFICHER = "Tout afficher", "Show all";
    AUCUNE_PLACE_NE_CORRESPOND = "Aucune place ouverte ne correspond à ce filtre.", "No open place matches this filter.";
}

/// The days of the week, Monday first, capitalised.
#[allow(non_snake_case)]
pub fn JOURS() -> &'static [&'static str; 7] {
    pick(
        &["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"],
        &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    )
}

pub fn period(p: Period) -> &'static str {
    match p {
        Period::Morning => pick("Matin (6 h – 12 h)", "Morning (6 am – noon)"),
        Period::Afternoon => pick("Après-midi (12 h – 18 h)", "Afternoon (noon – 6 pm)"),
        Period::EveningNight => pick("Soir et nuit", "Evening and night"),
    }
}

/// "3 places ouvertes", "1 place ouverte", "Aucune place ouverte".
pub fn places_ouvertes(n: u32) -> String {
    match n {
        0 => pick("Aucune place ouverte", "No open place").into(),
        1 => pick("1 place ouverte", "1 open place").into(),
        n => fmt!("{n} places ouvertes", "{n} open places"),
    }
}

/// The heading of a week of open places, from its Monday and this week's.
pub fn semaine(monday: NaiveDate, this_monday: NaiveDate) -> String {
    use chrono::Datelike;
    match (monday - this_monday).num_days() {
        0 => pick("Cette semaine", "This week").into(),
        7 => pick("Semaine prochaine", "Next week").into(),
        _ => {
            let (day, month) = (monday.day(), super::text_indicators::MOIS()[monday.month0() as usize]);
            match lang() {
                Lang::Fr => format!("Semaine du {day} {month}"),
                Lang::En => format!("Week of {month} {day}"),
            }
        }
    }
}

// The notices of the duties, written in the language of the member they are for.

/// A colleague's proposal: "Dr X vous propose : Cession de sa vacation du 24/11 14:00 (SNP)."
pub fn propose(from: &str, kind: crate::planning::rules::ChangeKind, when: &str, planning: &str) -> String {
    let kind = super::text_dispatch::change_kind(kind);
    fmt!(
        "{from} vous propose : {kind} de sa vacation du {when} ({planning}).",
        "{from} offers you: {kind} of their shift on {when} ({planning})."
    )
}

/// The answer to a proposal, for the member who made it.
pub fn proposal_answered(by: &str, accepted: bool, kind: crate::planning::rules::ChangeKind) -> String {
    let kind = super::text_dispatch::change_kind(kind);
    match (lang(), accepted) {
        (Lang::Fr, true) => format!("{by} a accepté votre proposition ({kind})."),
        (Lang::Fr, false) => format!("{by} a refusé votre proposition ({kind})."),
        (Lang::En, true) => format!("{by} accepted your proposal ({kind})."),
        (Lang::En, false) => format!("{by} declined your proposal ({kind})."),
    }
}

/// A request to undo a recent change, for the other member of that change.
pub fn undo_asked(by: &str, kind: crate::planning::rules::ChangeKind) -> String {
    let kind = super::text_dispatch::change_kind(kind).to_lowercase();
    fmt!("{by} demande d'annuler votre {kind} récent·e.", "{by} asks to undo your recent {kind}.")
}

/// A reminder `minutes` before a vacation starting at `starts_at`.
pub fn reminder(
    minutes: i64,
    starts_at: chrono::DateTime<chrono::Utc>,
    planning: &str,
    kind: crate::planning::rules::VacationKind,
) -> String {
    let local = starts_at.with_timezone(&chrono_tz::Europe::Paris);
    let kind = super::text_dispatch::vacation_kind(kind);
    let when = local.format(pick("%d/%m à %H:%M", "%d/%m at %H:%M"));
    let lead = match minutes {
        1440 => pick("demain", "tomorrow").to_string(),
        m if m >= 2880 && m % 1440 == 0 => {
            let days = m / 1440;
            fmt!("dans {days} jours", "in {days} days")
        }
        60 => pick("dans une heure", "in an hour").to_string(),
        m if m >= 60 && m % 60 == 0 => {
            let hours = m / 60;
            fmt!("dans {hours} heures", "in {hours} hours")
        }
        m => fmt!("dans {m} minutes", "in {m} minutes"),
    };
    fmt!(
        "Rappel : vous êtes de garde {lead} ({when}) — {planning} · {kind}.",
        "Reminder: you are on duty {lead} ({when}) — {planning} · {kind}."
    )
}

// The calendar feed, in the language of the member it is for.

/// The feed's name in the phone's calendar list.
pub fn calendar_name(member: &str) -> String {
    fmt!("Relais — gardes de {member}", "Relais — {member}'s duties")
}

/// A vacation's event title.
pub fn calendar_event(kind: crate::planning::rules::VacationKind, planning: &str) -> String {
    let kind = super::text_dispatch::vacation_kind(kind);
    fmt!("Garde {kind} — {planning}", "Duty {kind} — {planning}")
}
