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
