use chrono::{Offset, TimeZone};
use proptest::prelude::*;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cell(source: &str, motive: &str, profession: &str, status: &str, reoriented_to: &str, n: i64) -> RequestCell {
    RequestCell {
        source: source.into(),
        motive: motive.into(),
        profession: profession.into(),
        status: status.into(),
        reoriented_to: reoriented_to.into(),
        n,
        // Answered the same day / in 24 h / in 48 h: every accepted one of this history, the same day.
        answered: if matches!(status, "done" | "booked" | "no_show" | "accepted") { (n, n, n) } else { (0, 0, 0) },
    }
}

/// A small month by hand: 10 requests.
/// - 4 patient calls for fever to a GP: 2 done, 1 booked, 1 cancelled;
/// - 3 from the SAS: 1 done (GP, pain), 1 no-show (GP, pain), 1 reoriented to the PDSA (GP, fever);
/// - 2 from a pharmacist (renewal, GP): 1 reoriented to the SAS, 1 still pushed;
/// - 1 from the treating doctor (wound, nurse): accepted, no time yet.
fn history() -> Vec<RequestCell> {
    vec![
        cell("patient_call", "fever", "gp", "done", "", 2),
        cell("patient_call", "fever", "gp", "booked", "", 1),
        cell("patient_call", "fever", "gp", "cancelled", "", 1),
        cell("sas", "pain", "gp", "done", "", 1),
        cell("sas", "pain", "gp", "no_show", "", 1),
        cell("sas", "fever", "gp", "reoriented", "pdsa", 1),
        cell("pharmacist", "renewal", "gp", "reoriented", "sas", 1),
        cell("pharmacist", "renewal", "gp", "pushed", "", 1),
        cell("treating_doctor", "wound", "nurse", "accepted", "", 1),
    ]
}

#[test]
fn every_request_received_counts_cancelled_ones_included() {
    assert_eq!(requests(&history()), 10);
    assert_eq!(count(&history(), |c| c.status == "cancelled"), 1);
}

#[test]
fn a_consultation_is_booked_or_done_never_a_no_show() {
    // 2 done + 1 booked (patient calls) + 1 done (SAS) = 4.
    assert_eq!(consultations(&history()), 4);
    assert!(is_consultation("booked") && is_consultation("done"));
    assert!(!is_consultation("no_show") && !is_consultation("accepted") && !is_consultation("cancelled"));
}

#[test]
fn the_response_rate_is_consultations_over_requests() {
    let h = history();
    assert_eq!(rate(consultations(&h), requests(&h)), Some(40.0));
    assert_eq!(rate(1, 3), Some(33.3));
    assert_eq!(rate(2, 3), Some(66.7));
    assert_eq!(rate(0, 0), None);
}

#[test]
fn answers_add_up_over_the_cells() {
    // Accepted in some way: 2 + 1 (patient calls) + 1 + 1 (SAS) + 1 (wound) = 6.
    assert_eq!(answered(&history()), (6, 6, 6));
}

#[test]
fn sas_requests_with_an_appointment_include_no_shows() {
    // SAS: 1 done + 1 no-show; the reoriented one had none.
    assert_eq!(sas_with_appointment(&history()), 2);
}

#[test]
fn breakdowns_add_up_largest_first() {
    let h = history();
    assert_eq!(
        by(&h, |c| &c.source),
        vec![
            ("patient_call".to_string(), 4),
            ("sas".to_string(), 3),
            ("pharmacist".to_string(), 2),
            ("treating_doctor".to_string(), 1)
        ]
    );
    assert_eq!(
        by(&h, |c| &c.motive),
        vec![("fever".into(), 5), ("pain".into(), 2), ("renewal".into(), 2), ("wound".into(), 1)]
    );
    assert_eq!(by(&h, |c| &c.profession), vec![("gp".into(), 9), ("nurse".into(), 1)]);
    assert_eq!(reoriented(&h), vec![("pdsa".into(), 1), ("sas".into(), 1)]);
}

#[test]
fn percentiles_take_the_nearest_rank() {
    // Minutes to the first acceptance of 10 requests: 1, 2, 2, 3, 5, 5, 5, 8, 13, 40.
    let h = [(1, 1), (2, 2), (3, 1), (5, 3), (8, 1), (13, 1), (40, 1)];
    // Median: rank ceil(0.5 × 10) = 5 → the 5th value, 5.
    assert_eq!(percentile(&h, 50), Some(5));
    // 90th: rank 9 → 13.
    assert_eq!(percentile(&h, 90), Some(13));
    assert_eq!(percentile(&h, 100), Some(40));
    assert_eq!(percentile(&h, 0), Some(1));
    assert_eq!(percentile(&[], 50), None);
    assert_eq!(percentile(&[(4, 0)], 50), None);
    // Order of the histogram does not matter.
    assert_eq!(percentile(&[(9, 1), (1, 1), (5, 1)], 50), Some(5));
}

#[test]
fn presets_are_whole_months_quarters_and_years() {
    let today = date(2026, 5, 17);
    assert_eq!(Preset::ThisMonth.period(today), Period { from: date(2026, 5, 1), to: date(2026, 5, 31) });
    assert_eq!(Preset::LastMonth.period(today), Period { from: date(2026, 4, 1), to: date(2026, 4, 30) });
    assert_eq!(Preset::ThisQuarter.period(today), Period { from: date(2026, 4, 1), to: date(2026, 6, 30) });
    assert_eq!(Preset::LastQuarter.period(today), Period { from: date(2026, 1, 1), to: date(2026, 3, 31) });
    assert_eq!(Preset::ThisYear.period(today), Period { from: date(2026, 1, 1), to: date(2026, 12, 31) });
    assert_eq!(Preset::LastYear.period(today), Period { from: date(2025, 1, 1), to: date(2025, 12, 31) });
    // January: last month and last quarter are in the year before.
    let jan = date(2027, 1, 3);
    assert_eq!(Preset::LastMonth.period(jan), Period { from: date(2026, 12, 1), to: date(2026, 12, 31) });
    assert_eq!(Preset::LastQuarter.period(jan), Period { from: date(2026, 10, 1), to: date(2026, 12, 31) });
    assert_eq!(Period { from: date(2026, 4, 1), to: date(2026, 6, 30) }.preset(today), Some(Preset::ThisQuarter));
}

#[test]
fn a_period_is_read_or_refused_with_its_reason() {
    let today = date(2026, 11, 20);
    assert_eq!(Period::parse("", "", today), Ok(Preset::ThisMonth.period(today)));
    assert_eq!(Period::parse("2026-01-01", "2026-03-31", today).map(Period::days), Ok(90));
    assert_eq!(Period::parse("2026-13-01", "", today), Err(PeriodError::NotADate { end: false }));
    assert_eq!(Period::parse("", "01/02/2026", today), Err(PeriodError::NotADate { end: true }));
    assert_eq!(Period::parse("2026-03-02", "2026-03-01", today), Err(PeriodError::Reversed));
    assert_eq!(Period::parse("2020-01-01", "2026-01-01", today), Err(PeriodError::TooLong));
    assert_eq!(Period::parse("2026-05-05", "2026-05-05", today).map(Period::days), Ok(1));
}

#[test]
fn a_period_runs_from_paris_midnight_to_paris_midnight() {
    let p = Period { from: date(2026, 3, 1), to: date(2026, 3, 31) };
    let (start, end) = p.instants();
    // Winter at the start (UTC+1), summer at the end (UTC+2).
    assert_eq!(start, Utc.with_ymd_and_hms(2026, 2, 28, 23, 0, 0).unwrap());
    assert_eq!(end, Utc.with_ymd_and_hms(2026, 3, 31, 22, 0, 0).unwrap());
}

#[test]
fn weeks_run_monday_to_sunday_and_count_only_the_period() {
    // November 2026 starts on a Sunday: the first week is Monday 26 October's.
    let p = Period { from: date(2026, 11, 1), to: date(2026, 11, 30) };
    let day = |d: u32| day_of_date(date(2026, 11, d));
    let days = [
        (day_of_date(date(2026, 10, 31)), 9, 9), // before the period: not counted
        (day(1), 3, 1),
        (day(2), 2, 2),
        (day(8), 1, 0),
        (day(9), 4, 3),
        (day(30), 5, 5),
    ];
    let w = weeks(p, &days);
    assert_eq!(w.len(), 6);
    assert_eq!(w[0], Week { monday: date(2026, 10, 26), requests: 3, consultations: 1 });
    assert_eq!(w[1], Week { monday: date(2026, 11, 2), requests: 3, consultations: 2 });
    assert_eq!(w[2], Week { monday: date(2026, 11, 9), requests: 4, consultations: 3 });
    assert_eq!(w[5], Week { monday: date(2026, 11, 30), requests: 5, consultations: 5 });
    assert_eq!(w[3].rate(), None);
    assert_eq!(w[1].rate(), Some(66.7));
}

#[test]
fn hours_and_decimals() {
    assert_eq!(hours(270), 4.5);
    assert_eq!(hours(20), 0.3);
    assert_eq!(decimal(45.3), "45,3");
    assert_eq!(decimal(12.0), "12,0");
    let english = crate::i18n::with_lang(crate::i18n::Lang::En, || decimal(45.3));
    assert_eq!(english, "45.3");
    assert_eq!(percent(55.6), "55,6 %");
    assert_eq!(crate::i18n::with_lang(crate::i18n::Lang::En, || percent(55.6)), "55.6%");
}

proptest! {
    /// The summer-time rule gives Paris's offset as the time-zone database does, 1996–2099.
    #[test]
    fn the_paris_offset_is_the_time_zone_databases(t in 820_454_400_000i64..4_102_444_800_000i64) {
        let summers = summer_times(t - DAY_MS, t + DAY_MS);
        let expected = Paris.offset_from_utc_datetime(&DateTime::<Utc>::from_timestamp_millis(t).unwrap().naive_utc())
            .fix().local_minus_utc() as i64 * 1000;
        prop_assert_eq!(paris_offset_ms(t, &summers), expected);
        // And the day number it gives is the Paris date.
        let day = (t + paris_offset_ms(t, &summers)).div_euclid(DAY_MS);
        prop_assert_eq!(date_of_day(day), crate::domain::hours::paris_date(DateTime::<Utc>::from_timestamp_millis(t).unwrap()));
    }

    /// The median never exceeds the 90th percentile, and both are values of the histogram.
    #[test]
    fn percentiles_are_ordered_values(h in proptest::collection::vec((0i64..500, 0i64..20), 0..30)) {
        match (percentile(&h, 50), percentile(&h, 90)) {
            (Some(m), Some(p)) => {
                prop_assert!(m <= p);
                prop_assert!(h.iter().any(|&(v, n)| v == m && n > 0));
                prop_assert!(h.iter().any(|&(v, n)| v == p && n > 0));
            }
            (None, None) => prop_assert!(h.iter().all(|&(_, n)| n == 0)),
            _ => prop_assert!(false, "one percentile without the other"),
        }
    }

    /// Every day of the period lands in exactly one week; nothing outside it is counted.
    #[test]
    fn weeks_count_each_day_of_the_period_once(start in 0i64..3000, len in 1i64..400, seed in 0i64..1000) {
        let from = date(2020, 1, 1) + Duration::days(start);
        let p = Period { from, to: from + Duration::days(len - 1) };
        let first = day_of_date(from);
        let days: Vec<(i64, i64, i64)> = (first - 10..first + len + 10).map(|d| (d, (d + seed) % 5, 0)).collect();
        let inside: i64 = days.iter().filter(|(d, _, _)| *d >= first && *d < first + len).map(|(_, n, _)| n).sum();
        let w = weeks(p, &days);
        prop_assert_eq!(w.iter().map(|w| w.requests).sum::<i64>(), inside);
        prop_assert!(w.iter().all(|w| w.monday.weekday() == Weekday::Mon));
        prop_assert!(w.first().unwrap().monday <= from && w.last().unwrap().monday + Duration::days(6) >= p.to);
    }
}
