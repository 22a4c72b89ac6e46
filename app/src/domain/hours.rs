//! When the CPTS answers unscheduled care: practice opening hours (Mon–Fri 8:00–20:00,
//! Sat 8:00–12:00, Europe/Paris), except French public holidays. Outside them the
//! on-call service (PDSA) takes over, reached through the 116 117 or the 15.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;

use super::Deadline;

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// The calendar day in Paris of an instant.
pub fn paris_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Paris).date_naive()
}

/// The eleven public holidays of metropolitan France for a year.
pub fn french_public_holidays(year: i32) -> Vec<NaiveDate> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holiday is a valid date");
    let easter = easter_sunday(year);
    vec![
        ymd(1, 1),                   // Jour de l'an
        easter + Duration::days(1),  // Lundi de Pâques
        ymd(5, 1),                   // Fête du travail
        ymd(5, 8),                   // Victoire 1945
        easter + Duration::days(39), // Ascension
        easter + Duration::days(50), // Lundi de Pentecôte
        ymd(7, 14),                  // Fête nationale
        ymd(8, 15),                  // Assomption
        ymd(11, 1),                  // Toussaint
        ymd(11, 11),                 // Armistice
        ymd(12, 25),                 // Noël
    ]
}

pub fn is_public_holiday(date: NaiveDate) -> bool {
    french_public_holidays(date.year()).contains(&date)
}

/// Opening and closing time of a civil date in Paris, or `None` on a closed day.
pub fn opening_hours(date: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
    if is_public_holiday(date) {
        return None;
    }
    let h = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid hour");
    match date.weekday() {
        Weekday::Sun => None,
        Weekday::Sat => Some((h(8), h(12))),
        _ => Some((h(8), h(20))),
    }
}

/// Whether the CPTS takes SNP requests at this instant.
pub fn is_open(now: DateTime<Utc>) -> bool {
    let local = now.with_timezone(&Paris);
    match opening_hours(local.date_naive()) {
        Some((open, close)) => local.time() >= open && local.time() < close,
        None => false,
    }
}

/// The instant by which a request must have been answered.
///
/// "Today" means before the end of today's opening hours; 24 h and 48 h count from `now`.
pub fn deadline_at(deadline: Deadline, now: DateTime<Utc>) -> DateTime<Utc> {
    match deadline {
        Deadline::Today => {
            let local = now.with_timezone(&Paris);
            let close = opening_hours(local.date_naive())
                .map(|(_, close)| close)
                .unwrap_or(NaiveTime::from_hms_opt(20, 0, 0).expect("valid hour"));
            Paris
                .from_local_datetime(&local.date_naive().and_time(close))
                .earliest()
                .map(|d| d.with_timezone(&Utc))
                .filter(|d| *d > now)
                .unwrap_or(now + Duration::hours(1))
        }
        Deadline::Within24h => now + Duration::hours(24),
        Deadline::Within48h => now + Duration::hours(48),
    }
}

/// Monday 00:00 (Paris) of the week containing `now`: weekly caps count from there.
pub fn week_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&Paris).date_naive();
    let monday = local - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    Paris.from_local_datetime(&monday.and_time(NaiveTime::MIN)).earliest().map(|d| d.with_timezone(&Utc)).unwrap_or(now)
}

/// Reads a Paris wall-clock time as typed in a form (`2026-11-23T14:30`, seconds optional).
pub fn parse_paris_datetime(input: &str) -> Option<DateTime<Utc>> {
    let input = input.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Paris.from_local_datetime(&naive).earliest().map(|d| d.with_timezone(&Utc))
}

/// The same instant as a form shows it (`2026-11-23T14:30`, Paris time).
pub fn format_paris_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Paris.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("unambiguous local time").with_timezone(&Utc)
    }

    #[test]
    fn easter_dates_match_the_calendar() {
        assert_eq!(easter_sunday(2024), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
        assert_eq!(easter_sunday(2025), NaiveDate::from_ymd_opt(2025, 4, 20).unwrap());
        assert_eq!(easter_sunday(2026), NaiveDate::from_ymd_opt(2026, 4, 5).unwrap());
        assert_eq!(easter_sunday(2027), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
    }

    #[test]
    fn ascension_and_whit_monday_2026_are_holidays() {
        assert!(is_public_holiday(NaiveDate::from_ymd_opt(2026, 5, 14).unwrap()));
        assert!(is_public_holiday(NaiveDate::from_ymd_opt(2026, 5, 25).unwrap()));
        assert!(!is_public_holiday(NaiveDate::from_ymd_opt(2026, 5, 15).unwrap()));
    }

    #[test]
    fn a_weekday_is_open_from_eight_to_twenty_paris_time() {
        // Monday 23 November 2026
        assert!(!is_open(paris(2026, 11, 23, 7, 59)));
        assert!(is_open(paris(2026, 11, 23, 8, 0)));
        assert!(is_open(paris(2026, 11, 23, 19, 59)));
        assert!(!is_open(paris(2026, 11, 23, 20, 0)));
    }

    #[test]
    fn saturday_closes_at_noon_and_sunday_is_closed() {
        assert!(is_open(paris(2026, 11, 28, 11, 30)));
        assert!(!is_open(paris(2026, 11, 28, 12, 0)));
        assert!(!is_open(paris(2026, 11, 29, 10, 0)));
    }

    #[test]
    fn armistice_day_is_closed() {
        assert!(!is_open(paris(2026, 11, 11, 10, 0)));
    }

    #[test]
    fn summer_time_is_respected() {
        // 8:00 in Paris in July is 6:00 UTC.
        let utc = Utc.with_ymd_and_hms(2026, 7, 15, 6, 0, 0).unwrap();
        assert!(is_open(utc));
        assert!(!is_open(utc - Duration::minutes(1)));
    }

    #[test]
    fn today_means_before_closing_time() {
        let now = paris(2026, 11, 23, 15, 0);
        assert_eq!(deadline_at(Deadline::Today, now), paris(2026, 11, 23, 20, 0));
        let sat = paris(2026, 11, 28, 9, 0);
        assert_eq!(deadline_at(Deadline::Today, sat), paris(2026, 11, 28, 12, 0));
    }

    #[test]
    fn the_week_starts_on_monday_midnight_in_paris() {
        assert_eq!(week_start(paris(2026, 11, 26, 15, 0)), paris(2026, 11, 23, 0, 0));
        assert_eq!(week_start(paris(2026, 11, 23, 0, 0)), paris(2026, 11, 23, 0, 0));
        assert_eq!(week_start(paris(2026, 11, 29, 23, 59)), paris(2026, 11, 23, 0, 0));
    }

    #[test]
    fn a_form_time_is_read_in_paris_time() {
        assert_eq!(parse_paris_datetime("2026-11-23T14:30"), Some(paris(2026, 11, 23, 14, 30)));
        assert_eq!(format_paris_input(paris(2026, 11, 23, 14, 30)), "2026-11-23T14:30");
        assert_eq!(parse_paris_datetime("23/11/2026 14h30"), None);
    }

    #[test]
    fn within_48h_counts_from_now() {
        let now = paris(2026, 11, 23, 15, 0);
        assert_eq!(deadline_at(Deadline::Within48h, now), now + Duration::hours(48));
    }
}
