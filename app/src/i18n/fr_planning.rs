//! The words of *Mes gardes*' open places (re-exported by `fr`).

use chrono::NaiveDate;

use crate::planning::rules::weeks::Period;

pub const FILTRER: &str = "Filtrer";
pub const TOUS_LES_JOURS: &str = "Tous les jours";
pub const TOUTE_LA_JOURNEE: &str = "Toute la journée";
pub const TOUS_LES_TYPES: &str = "Tous les types";
pub const JOUR: &str = "Jour";
pub const MOMENT: &str = "Moment";
pub const TOUT_AFFICHER: &str = "Tout afficher";
pub const AUCUNE_PLACE_NE_CORRESPOND: &str = "Aucune place ouverte ne correspond à ce filtre.";
pub const JOURS: [&str; 7] = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"];

pub fn period(p: Period) -> &'static str {
    match p {
        Period::Morning => "Matin (6 h – 12 h)",
        Period::Afternoon => "Après-midi (12 h – 18 h)",
        Period::EveningNight => "Soir et nuit",
    }
}

/// "3 places ouvertes", "1 place ouverte", "Aucune place ouverte".
pub fn places_ouvertes(n: u32) -> String {
    match n {
        0 => "Aucune place ouverte".into(),
        1 => "1 place ouverte".into(),
        n => format!("{n} places ouvertes"),
    }
}

/// The heading of a week of open places, from its Monday and this week's.
pub fn semaine(monday: NaiveDate, this_monday: NaiveDate) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    use chrono::Datelike;
    match (monday - this_monday).num_days() {
        0 => "Cette semaine".into(),
        7 => "Semaine prochaine".into(),
        _ => format!("Semaine du {} {}", monday.day(), MOIS[monday.month0() as usize]),
    }
}
