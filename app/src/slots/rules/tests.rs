use chrono::TimeZone;
use chrono_tz::Europe::Paris;
use proptest::prelude::*;

use super::*;

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn form(date: &str, start: &str, count: &str, minutes: &str) -> OpenForm {
    OpenForm {
        date: date.into(),
        start: start.into(),
        count: count.into(),
        minutes: minutes.into(),
        mode: "office".into(),
        audience: "cpts".into(),
        weekly: String::new(),
        weeks: String::new(),
    }
}

#[test]
fn two_slots_of_fifteen_minutes_this_afternoon() {
    let now = paris(2026, 11, 23, 10, 0);
    let new = form("2026-11-23", "14:00", "2", "15").validate(now).unwrap();
    let starts: Vec<_> = new.spans.iter().map(|s| s.starts_at).collect();
    assert_eq!(starts, vec![paris(2026, 11, 23, 14, 0), paris(2026, 11, 23, 14, 15)]);
    assert_eq!(new.spans[1].ends_at, paris(2026, 11, 23, 14, 30));
    assert_eq!((new.mode, new.audience, new.weekly), (AppointmentMode::Office, Audience::Cpts, false));
}

#[test]
fn every_tuesday_keeps_paris_wall_clock_time_across_the_change_to_winter_time() {
    // 20 October 2026 is a Tuesday; winter time starts on Sunday 25 October.
    let now = paris(2026, 10, 19, 9, 0);
    let f = OpenForm { weekly: "on".into(), weeks: "2".into(), ..form("2026-10-20", "17:00", "4", "15") };
    let new = f.validate(now).unwrap();
    assert_eq!(new.spans.len(), 8);
    assert_eq!(new.spans[0].starts_at, paris(2026, 10, 20, 17, 0));
    assert_eq!(new.spans[4].starts_at, paris(2026, 10, 27, 17, 0));
    assert_eq!(new.spans[4].starts_at - new.spans[0].starts_at, Duration::days(7) + Duration::hours(1));
}

#[test]
fn a_weekly_pattern_skips_public_holidays() {
    // Wednesday 11 November 2026 is Armistice day.
    let now = paris(2026, 11, 2, 9, 0);
    let f = OpenForm { weekly: "on".into(), weeks: "3".into(), ..form("2026-11-04", "18:00", "1", "20") };
    let days: Vec<_> = f.validate(now).unwrap().spans.iter().map(|s| s.starts_at).collect();
    assert_eq!(days, vec![paris(2026, 11, 4, 18, 0), paris(2026, 11, 18, 18, 0)]);
}

#[test]
fn slots_already_begun_are_left_out_and_a_past_day_is_refused() {
    let now = paris(2026, 11, 23, 14, 10);
    let new = form("2026-11-23", "14:00", "3", "15").validate(now).unwrap();
    assert_eq!(new.spans.len(), 2);
    let err = form("2026-11-22", "14:00", "1", "15").validate(now).unwrap_err();
    assert_eq!(err.get(Field::Date), Some(FieldProblem::InPast));
    let err = form("2026-11-23", "08:00", "1", "15").validate(now).unwrap_err();
    assert_eq!(err.get(Field::Start), Some(FieldProblem::InPast));
}

#[test]
fn bad_fields_are_all_reported() {
    let now = paris(2026, 11, 23, 10, 0);
    let f = OpenForm { mode: "visio".into(), audience: String::new(), ..form("23/11", "2pm", "13", "3") };
    let err = f.validate(now).unwrap_err();
    assert_eq!(err.get(Field::Date), Some(FieldProblem::InvalidDate));
    assert_eq!(err.get(Field::Start), Some(FieldProblem::InvalidDate));
    assert_eq!(err.get(Field::Count), Some(FieldProblem::OutOfRange));
    assert_eq!(err.get(Field::Minutes), Some(FieldProblem::OutOfRange));
    assert_eq!(err.get(Field::Mode), Some(FieldProblem::UnknownChoice));
    assert_eq!(err.get(Field::Audience), Some(FieldProblem::Required));
    let late = form("2026-11-23", "23:30", "3", "15").validate(now).unwrap_err();
    assert_eq!(late.get(Field::Start), Some(FieldProblem::InvalidTimeRange));
}

const RENNES: GeoPoint = GeoPoint { lat: 48.1113, lon: -1.68 };

fn need() -> Need {
    Need {
        profession: Profession::Gp,
        teleconsult_ok: false,
        location: RENNES,
        deadline_at: paris(2026, 11, 23, 20, 0),
    }
}

fn offered(id: i64, h: u32, km_north: f64) -> Offered {
    Offered {
        slot_id: id,
        profession: Profession::Gp,
        mode: AppointmentMode::Office,
        location: Some(GeoPoint::new(RENNES.lat + km_north / 111.2, RENNES.lon)),
        starts_at: paris(2026, 11, 23, h, 0),
        free: true,
        closed: false,
    }
}

#[test]
fn the_free_slots_that_fit_come_soonest_first() {
    let now = paris(2026, 11, 23, 10, 0);
    let slots = [
        offered(1, 16, 1.0),
        offered(2, 14, 3.0),
        Offered { free: false, ..offered(3, 11, 1.0) },
        offered(4, 21, 1.0),
        Offered { profession: Profession::Nurse, ..offered(5, 12, 1.0) },
        offered(6, 12, 40.0),
        Offered { mode: AppointmentMode::Teleconsultation, ..offered(7, 13, 40.0) },
        offered(8, 9, 1.0),
    ];
    let ids: Vec<i64> = fitting(&need(), &slots, now, 25.0).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec![2, 1]);
    let remote = Need { teleconsult_ok: true, ..need() };
    let ids: Vec<i64> = fitting(&remote, &slots, now, 25.0).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec![7, 2, 1], "a teleconsultation slot fits whatever the distance");
    assert_eq!(fit(&need(), &slots[2], now, 25.0), Err(Misfit::Taken));
    assert_eq!(fit(&need(), &slots[3], now, 25.0), Err(Misfit::AfterDeadline));
    assert_eq!(fit(&need(), &slots[7], now, 25.0), Err(Misfit::Begun));
}

#[test]
fn a_slot_is_booked_once_and_the_sas_only_books_what_is_open_to_it() {
    let now = paris(2026, 11, 23, 10, 0);
    let at = paris(2026, 11, 23, 14, 0);
    let c = BookingSource::Coordination;
    assert_eq!(check_booking(Audience::Cpts, false, false, at, c, now), Ok(()));
    assert_eq!(check_booking(Audience::Cpts, false, true, at, c, now), Err(BookingError::Taken));
    assert_eq!(check_booking(Audience::Cpts, true, false, at, c, now), Err(BookingError::Closed));
    assert_eq!(
        check_booking(Audience::Cpts, false, false, now - Duration::minutes(1), c, now),
        Err(BookingError::Begun)
    );
    assert_eq!(check_booking(Audience::Cpts, false, false, at, BookingSource::Sas, now), Err(BookingError::NotForSas));
    assert_eq!(check_booking(Audience::Sas, false, false, at, BookingSource::Sas, now), Ok(()));
    assert!(!may_record(BookingStatus::Booked, at, now));
    assert!(may_record(BookingStatus::Booked, at, at));
    assert!(!may_record(BookingStatus::Cancelled, at, at));
}

proptest! {
    /// Whatever the day, start, count and length: the slots follow one another without overlap,
    /// each lasts its length, none has begun, and there are at most count × weeks of them.
    #[test]
    fn generated_slots_never_overlap_and_never_start_in_the_past(
        day in 0i64..400,
        hour in 0u32..23,
        quarter in 0u32..4,
        count in 1u32..=12,
        minutes in 5u32..=120,
        weeks in 1u32..=12,
        now_offset in 0i64..2000,
    ) {
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(day);
        let start = NaiveTime::from_hms_opt(hour, quarter * 15, 0).unwrap();
        let now = paris(2026, 1, 1, 0, 0) + Duration::minutes(now_offset * 60);
        let got = spans(date, start, count, minutes, weeks, now);
        prop_assert!(got.len() <= (count * weeks) as usize);
        for s in &got {
            prop_assert!(s.starts_at >= now);
            prop_assert_eq!(s.ends_at - s.starts_at, Duration::minutes(i64::from(minutes)));
        }
        for w in got.windows(2) {
            prop_assert!(w[0].ends_at <= w[1].starts_at, "{:?}", w);
        }
    }
}

#[test]
fn a_finess_is_a_departement_then_seven_digits_spaces_dropped() {
    use crate::domain::FieldProblem;
    assert_eq!(check_finess(" 35 001 2345 "), Ok("350012345".to_string()));
    assert_eq!(check_finess("2a0001234"), Ok("2A0001234".to_string()));
    assert_eq!(check_finess(""), Err(FieldProblem::Required));
    for bad in ["35001234", "3500123456", "2C0001234", "35001234X", "é50012345"] {
        assert_eq!(check_finess(bad), Err(FieldProblem::Invalid), "{bad}");
    }
}
