//! The open places of *Mes gardes*, made for a thumb: grouped by week (Paris time, this week
//! first), filtered by day, period of the day and kind of vacation, and counted.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

use super::VacationKind;

coded!(
    /// When a vacation starts, in Paris: 6 h–12 h, 12 h–18 h, or in the evening or the night.
    Period {
        Morning => "matin",
        Afternoon => "apres-midi",
        EveningNight => "soir-nuit",
    }
);

impl Period {
    pub fn of(start: DateTime<Utc>) -> Self {
        match start.with_timezone(&Paris).hour() {
            6..=11 => Period::Morning,
            12..=17 => Period::Afternoon,
            _ => Period::EveningNight,
        }
    }
}

/// The days of the week, Monday first, with their codes in a page's address (`?jour=samedi`).
pub const DAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "lundi"),
    (Weekday::Tue, "mardi"),
    (Weekday::Wed, "mercredi"),
    (Weekday::Thu, "jeudi"),
    (Weekday::Fri, "vendredi"),
    (Weekday::Sat, "samedi"),
    (Weekday::Sun, "dimanche"),
];

/// What the person keeps of the open places: `None` keeps every value. Read from the page's
/// address (`jour`, `periode`, `type`); an unknown value keeps everything rather than nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenFilter {
    pub day: Option<Weekday>,
    pub period: Option<Period>,
    pub kind: Option<VacationKind>,
}

impl OpenFilter {
    pub fn from_query(day: Option<&str>, period: Option<&str>, kind: Option<&str>) -> Self {
        OpenFilter {
            day: day.and_then(|d| DAYS.iter().find(|(_, code)| *code == d).map(|(w, _)| *w)),
            period: period.and_then(Period::parse),
            kind: kind.and_then(VacationKind::parse),
        }
    }

    /// The code of the filtered day, as in the address.
    pub fn day_code(&self) -> Option<&'static str> {
        self.day.and_then(|d| DAYS.iter().find(|(w, _)| *w == d).map(|(_, code)| *code))
    }

    pub fn is_empty(&self) -> bool {
        *self == OpenFilter::default()
    }

    /// Whether a vacation of `kind` starting at `start` is kept.
    pub fn keeps(&self, start: DateTime<Utc>, kind: VacationKind) -> bool {
        let local = start.with_timezone(&Paris);
        self.day.is_none_or(|d| local.weekday() == d)
            && self.period.is_none_or(|p| Period::of(start) == p)
            && self.kind.is_none_or(|k| k == kind)
    }
}

/// The Monday (Paris) of the week `t` falls in.
pub fn monday_of(t: DateTime<Utc>) -> NaiveDate {
    let local = t.with_timezone(&Paris).date_naive();
    local - Duration::days(i64::from(local.weekday().num_days_from_monday()))
}

/// One week of places: its Monday and its items, in the order they start.
#[derive(Clone, Debug, PartialEq)]
pub struct Week<T> {
    pub monday: NaiveDate,
    pub items: Vec<T>,
}

/// `items` in the order they start, grouped by week (Paris), the earliest week first; a week
/// without any item is left out.
pub fn by_week<T>(mut items: Vec<T>, start: impl Fn(&T) -> DateTime<Utc>) -> Vec<Week<T>> {
    items.sort_by_key(&start);
    let mut weeks: Vec<Week<T>> = Vec::new();
    for item in items {
        let monday = monday_of(start(&item));
        match weeks.last_mut() {
            Some(week) if week.monday == monday => week.items.push(item),
            _ => weeks.push(Week { monday, items: vec![item] }),
        }
    }
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn paris(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Paris.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_period_is_read_in_paris_time() {
        assert_eq!(Period::of(paris(2026, 12, 5, 8)), Period::Morning);
        assert_eq!(Period::of(paris(2026, 12, 5, 12)), Period::Afternoon);
        assert_eq!(Period::of(paris(2026, 12, 5, 17)), Period::Afternoon);
        assert_eq!(Period::of(paris(2026, 12, 5, 20)), Period::EveningNight);
        assert_eq!(Period::of(paris(2026, 12, 5, 2)), Period::EveningNight);
        // 7:30 UTC is 9:30 in summer and 8:30 in winter: a morning both ways.
        assert_eq!(Period::of(Utc.with_ymd_and_hms(2026, 7, 4, 7, 30, 0).unwrap()), Period::Morning);
    }

    #[test]
    fn this_saturday_is_found_by_day_and_an_unknown_value_filters_nothing() {
        let f = OpenFilter::from_query(Some("samedi"), Some("matin"), Some("snp_office"));
        assert_eq!(f.day_code(), Some("samedi"));
        assert!(f.keeps(paris(2026, 12, 5, 8), VacationKind::SnpOffice), "Saturday 5 December, 8 h");
        assert!(!f.keeps(paris(2026, 12, 5, 14), VacationKind::SnpOffice), "the afternoon");
        assert!(!f.keeps(paris(2026, 12, 6, 8), VacationKind::SnpOffice), "Sunday");
        assert!(!f.keeps(paris(2026, 12, 5, 8), VacationKind::DentalEmergency), "another kind");
        let unknown = OpenFilter::from_query(Some("caturday"), Some("brunch"), Some("?"));
        assert!(unknown.is_empty());
    }

    #[test]
    fn weeks_start_on_monday_in_paris_and_come_in_order() {
        // Sunday 6 December 23:30 in Paris is Sunday 22:30 UTC; Monday 7 at 0:30 is Sunday 23:30 UTC.
        let items = vec![paris(2026, 12, 14, 8), paris(2026, 12, 6, 23), paris(2026, 12, 7, 0), paris(2026, 12, 1, 9)];
        let weeks = by_week(items, |t| *t);
        let mondays: Vec<NaiveDate> = weeks.iter().map(|w| w.monday).collect();
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(mondays, vec![d(30).with_month(11).unwrap(), d(7), d(14)]);
        assert_eq!(weeks[0].items, vec![paris(2026, 12, 1, 9), paris(2026, 12, 6, 23)]);
        assert_eq!(weeks[1].items, vec![paris(2026, 12, 7, 0)]);
    }

    proptest! {
        #[test]
        fn grouping_keeps_every_item_once_each_in_its_own_week_in_order(
            offsets in proptest::collection::vec(0i64..(90 * 24 * 60), 0..60)
        ) {
            let start = paris(2026, 3, 2, 0);
            let items: Vec<DateTime<Utc>> = offsets.iter().map(|m| start + Duration::minutes(*m)).collect();
            let weeks = by_week(items.clone(), |t| *t);
            let flat: Vec<DateTime<Utc>> = weeks.iter().flat_map(|w| w.items.clone()).collect();
            let mut sorted = items;
            sorted.sort();
            prop_assert_eq!(flat, sorted, "every item once, in the order they start");
            for pair in weeks.windows(2) {
                prop_assert!(pair[0].monday < pair[1].monday);
            }
            for w in &weeks {
                prop_assert_eq!(w.monday.weekday(), Weekday::Mon);
                prop_assert!(!w.items.is_empty());
                for t in &w.items {
                    prop_assert_eq!(monday_of(*t), w.monday);
                    let days = (t.with_timezone(&Paris).date_naive() - w.monday).num_days();
                    prop_assert!((0..7).contains(&days));
                }
            }
        }
    }
}
