//! The catalogue in both languages: no text missing or left in French in the English column, the
//! same placeholders, and the language chosen as the request says.

use super::*;

fn catalogue() -> Vec<(&'static str, &'static str, &'static str)> {
    [
        text::ENTRIES,
        text_dental::ENTRIES,
        text_files::ENTRIES,
        text_indicators::ENTRIES,
        text_members::ENTRIES,
        text_planning::ENTRIES,
        text_slots::ENTRIES,
        text_teleconsult::ENTRIES,
    ]
    .concat()
}

/// Texts that are rightly the same in both languages (names, abbreviations, words shared by
/// French and English).
const SAME_IN_BOTH: &[&str] = &[
    "APP_NAME",
    "PROFESSION",
    "TELECONSULTATION",
    "PATIENT",
    "DISTANCE",
    "MODE",
    "PLACES",
    "NOTIFICATIONS",
    "PARTICIPATION",
    "TOTAL",
    "CONSULTATIONS",
    "PARTICIPANTS",
    "T_SAS",
    "CONDITIONS",
    "PUSH",
    "E_MAIL",
    "NAVIGATION",
];

#[test]
fn every_text_has_both_languages() {
    let all = catalogue();
    assert!(all.len() > 400, "the catalogue lists {} texts", all.len());
    let mut names = std::collections::HashSet::new();
    for (name, fr, en) in &all {
        assert!(!fr.trim().is_empty(), "{name}: no French");
        assert!(!en.trim().is_empty(), "{name}: no English");
        if !SAME_IN_BOTH.contains(name) {
            assert_ne!(fr, en, "{name}: the English text is the French one");
        }
        // A text declared twice under one name in two modules would shadow the other.
        assert!(names.insert(*name) || SAME_IN_BOTH.contains(name), "{name} is declared twice");
    }
}

/// French letters in the English column mean a text left untranslated (the names Relais keeps
/// in French are listed).
#[test]
fn english_is_not_french() {
    const FRENCH_NAMES: &[&str] = &["Pro Santé Connect", "Service d'accès aux soins"];
    for (name, _, en) in catalogue() {
        let mut rest = en.to_string();
        for keep in FRENCH_NAMES {
            rest = rest.replace(keep, "");
        }
        let french = rest.chars().find(|c| "éèêàâçôûùîïœ«»".contains(*c));
        assert!(french.is_none(), "{name}: French letter {french:?} in the English text {en:?}");
    }
}

#[test]
fn both_languages_keep_the_same_marks() {
    for (name, fr, en) in catalogue() {
        // An arrow or a leading space is part of how the text is laid out.
        for mark in ['←', '→', '…'] {
            assert_eq!(fr.contains(mark), en.contains(mark), "{name}: {mark} in one language only");
        }
        assert_eq!(fr.starts_with(' '), en.starts_with(' '), "{name}: leading space in one language only");
        assert_eq!(fr.ends_with(' '), en.ends_with(' '), "{name}: trailing space in one language only");
    }
}

#[test]
fn the_current_language_picks_the_text() {
    assert_eq!(lang(), Lang::Fr, "French outside any page");
    assert_eq!(t::ACCEPTER(), "Accepter");
    assert_eq!(with_lang(Lang::En, t::ACCEPTER), "Accept");
    assert_eq!(with_lang(Lang::Fr, t::ACCEPTER), "Accepter");
    assert_eq!(with_lang(Lang::En, || t::places_ouvertes(3)), "3 open places");
    assert_eq!(t::places_ouvertes(3), "3 places ouvertes");
    assert_eq!(with_lang(Lang::En, || t::status(crate::dispatch::rules::RequestStatus::Booked)), "Appointment set");
    // Functions with several arms are translated arm by arm.
    let s = with_lang(Lang::En, || t::semaine(date(2026, 12, 14), date(2026, 11, 30)));
    assert_eq!(s, "Week of December 14");
    assert_eq!(t::semaine(date(2026, 12, 14), date(2026, 11, 30)), "Semaine du 14 décembre");
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn languages_parse_from_codes_and_headers() {
    assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
    assert_eq!(Lang::parse("de"), None);
    for l in Lang::ALL {
        assert_eq!(Lang::parse(l.code()), Some(l));
    }
}

#[cfg(feature = "ssr")]
#[test]
fn the_browser_language_is_its_first_known_one() {
    assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,fr;q=0.8"), Lang::En);
    assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
    assert_eq!(Lang::from_accept_language("de-DE,de;q=0.9,en;q=0.5"), Lang::En);
    assert_eq!(Lang::from_accept_language("fr;q=0.3,en;q=0.7"), Lang::En);
    assert_eq!(Lang::from_accept_language("de, it"), Lang::Fr);
    assert_eq!(Lang::from_accept_language(""), Lang::Fr);
    assert_eq!(Lang::from_accept_language("*"), Lang::Fr);
}

#[test]
fn a_duty_notice_is_written_in_the_language_it_is_drawn_in() {
    use crate::planning::rules::{ChangeKind, VacationKind};
    use chrono::TimeZone;
    let starts = chrono::Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0).unwrap();
    let reminder = |lang, minutes| with_lang(lang, || t::reminder(minutes, starts, "SNP", VacationKind::SnpOffice));
    assert_eq!(reminder(Lang::Fr, 1440), "Rappel : vous êtes de garde demain (24/11 à 14:00) — SNP · SNP au cabinet.");
    assert_eq!(
        reminder(Lang::En, 1440),
        "Reminder: you are on duty tomorrow (24/11 at 14:00) — SNP · Same-day care at the practice."
    );
    assert!(reminder(Lang::En, 2880).contains("in 2 days"));
    assert!(reminder(Lang::Fr, 60).contains("dans une heure"));
    assert!(reminder(Lang::En, 90).contains("in 90 minutes"));
    let undo = |lang| with_lang(lang, || t::undo_asked("Dr A", ChangeKind::Exchange));
    assert_eq!(undo(Lang::Fr), "Dr A demande d'annuler votre échange récent·e.");
    assert_eq!(undo(Lang::En), "Dr A asks to undo your recent swap.");
    let answered = |lang, yes| with_lang(lang, || t::proposal_answered("Dr B", yes, ChangeKind::Cession));
    assert_eq!(answered(Lang::Fr, true), "Dr B a accepté votre proposition (Cession).");
    assert_eq!(answered(Lang::En, false), "Dr B declined your proposal (Handover).");
}

/// The exports' headers: each column named in both languages, the English one in English.
#[test]
fn csv_headers_in_both_languages() {
    let headers = |lang| {
        with_lang(lang, || {
            [
                text::csv_planning_header().to_vec(),
                text::csv_held_header().to_vec(),
                text::csv_journal_header().to_vec(),
            ]
            .concat()
        })
    };
    let (fr, en) = (headers(Lang::Fr), headers(Lang::En));
    assert!(fr.iter().any(|h| h.contains('é')), "the French headers are French: {fr:?}");
    for (f, e) in fr.iter().zip(&en) {
        assert!(!e.is_empty() && !e.chars().any(|c| "éèêàâçôûùîïœ°".contains(c)), "{f:?} → {e:?}");
    }
    assert!(fr.iter().zip(&en).filter(|(f, e)| f != e).count() >= 15, "{en:?}");
}
