//! The planning rules, tested on hand-made plannings, and their invariants under any sequence
//! of changes.

use super::*;
use proptest::prelude::*;

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

fn weekdays_8_12() -> Vec<TemplateSlot> {
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
        .into_iter()
        .map(|weekday| TemplateSlot { weekday, start: time(8, 0), end: time(12, 0) })
        .collect()
}

#[test]
fn a_month_of_weekday_mornings_skips_armistice_day() {
    let slots = generate_slots(&weekdays_8_12(), date(2026, 11, 1), date(2026, 11, 30), true);
    // 21 weekdays in November 2026, minus Wednesday 11 November.
    assert_eq!(slots.len(), 20);
    assert!(!slots.iter().any(|s| s.starts_at == paris(2026, 11, 11, 8, 0)));
    assert_eq!(slots[0], Slot { starts_at: paris(2026, 11, 2, 8, 0), ends_at: paris(2026, 11, 2, 12, 0) });
}

#[test]
fn slots_keep_paris_wall_clock_time_across_the_dst_change() {
    let sat = vec![TemplateSlot { weekday: Weekday::Sat, start: time(8, 0), end: time(12, 0) }];
    let slots = generate_slots(&sat, date(2026, 10, 24), date(2026, 10, 31), false);
    assert_eq!(slots[0].starts_at, Utc.with_ymd_and_hms(2026, 10, 24, 6, 0, 0).unwrap()); // summer: UTC+2
    assert_eq!(slots[1].starts_at, Utc.with_ymd_and_hms(2026, 10, 31, 7, 0, 0).unwrap());
    // winter: UTC+1
}

#[test]
fn a_night_slot_ends_the_next_morning() {
    let night = vec![TemplateSlot { weekday: Weekday::Fri, start: time(20, 0), end: time(8, 0) }];
    let slots = generate_slots(&night, date(2026, 11, 27), date(2026, 11, 27), false);
    assert_eq!(slots[0].ends_at, paris(2026, 11, 28, 8, 0));
}

fn vac(id: i64, slot: Slot, capacity: u32, holders: &[i64]) -> Vacation {
    Vacation { id, planning_id: 1, slot, capacity, holders: holders.iter().copied().collect() }
}

fn slot_on(day: u32, h: u32) -> Slot {
    Slot { starts_at: paris(2026, 11, day, h, 0), ends_at: paris(2026, 11, day, h + 4, 0) }
}

const NOW: fn() -> DateTime<Utc> = || paris(2026, 11, 1, 9, 0);

#[test]
fn a_full_vacation_cannot_be_taken() {
    let v = vac(1, slot_on(23, 8), 1, &[7]);
    assert_eq!(
        check_hold(8, &v, std::slice::from_ref(&v), &[], Some(&GroupRule::default()), None, NOW()),
        Err(RuleViolation::Full)
    );
}

#[test]
fn a_weekly_cap_counts_the_paris_week_of_the_vacation() {
    let rule = GroupRule { max_per_week: Some(1), ..GroupRule::default() };
    let monday = vac(1, slot_on(23, 8), 1, &[7]);
    let tuesday = vac(2, slot_on(24, 8), 1, &[]);
    let next_monday = vac(3, slot_on(30, 8), 1, &[]);
    let all = [monday, tuesday.clone(), next_monday.clone()];
    assert_eq!(check_hold(7, &tuesday, &all, &[], Some(&rule), None, NOW()), Err(RuleViolation::WeeklyCap { max: 1 }));
    assert_eq!(check_hold(7, &next_monday, &all, &[], Some(&rule), None, NOW()), Ok(()));
}

#[test]
fn an_overlap_with_another_planning_is_refused() {
    let v = vac(1, slot_on(23, 8), 1, &[]);
    let elsewhere = [Slot { starts_at: paris(2026, 11, 23, 11, 0), ends_at: paris(2026, 11, 23, 13, 0) }];
    assert_eq!(
        check_hold(7, &v, std::slice::from_ref(&v), &elsewhere, Some(&GroupRule::default()), None, NOW()),
        Err(RuleViolation::Overlap)
    );
}

#[test]
fn an_exchange_does_not_count_the_vacation_given_up() {
    let rule = GroupRule { max_per_week: Some(1), ..GroupRule::default() };
    let mine = vac(1, slot_on(23, 8), 1, &[7]);
    let theirs = vac(2, slot_on(24, 8), 1, &[8]);
    let all = [mine.clone(), Vacation { holders: BTreeSet::new(), ..theirs.clone() }];
    assert_eq!(check_hold(7, &all[1], &all, &[], Some(&rule), Some(mine.id), NOW()), Ok(()));
}

#[test]
fn a_share_of_twenty_percent_allows_two_of_ten_places() {
    let rule = GroupRule { max_share_percent: Some(20), ..GroupRule::default() };
    let all: Vec<Vacation> =
        (0..10).map(|i| vac(i, slot_on(2 + i as u32, 8), 1, if i < 2 { &[7] } else { &[] })).collect();
    assert_eq!(
        check_hold(7, &all[5], &all, &[], Some(&rule), None, NOW()),
        Err(RuleViolation::Share { max_percent: 20 })
    );
    assert_eq!(check_hold(8, &all[5], &all, &[], Some(&rule), None, NOW()), Ok(()));
}

#[test]
fn a_member_outside_the_groups_cannot_take() {
    let v = vac(1, slot_on(23, 8), 1, &[]);
    assert_eq!(check_hold(7, &v, std::slice::from_ref(&v), &[], None, None, NOW()), Err(RuleViolation::NotInGroup));
}

#[test]
fn returning_to_the_pool_is_refused_inside_the_notice_period() {
    let s = slot_on(23, 8);
    assert_eq!(check_return(&s, Duration::hours(48), paris(2026, 11, 20, 8, 0)), Ok(()));
    assert_eq!(
        check_return(&s, Duration::hours(48), paris(2026, 11, 22, 8, 0)),
        Err(RuleViolation::NoticePassed { hours: 48 })
    );
}

#[test]
fn an_undo_is_allowed_within_the_grace_period_only() {
    let accepted = paris(2026, 11, 20, 10, 0);
    let start = paris(2026, 11, 23, 8, 0);
    let grace = Duration::minutes(60);
    assert_eq!(check_undo(accepted, start, grace, accepted + Duration::minutes(59)), Ok(()));
    assert_eq!(
        check_undo(accepted, start, grace, accepted + Duration::minutes(61)),
        Err(RuleViolation::UndoWindowPassed { minutes: 60 })
    );
    assert_eq!(check_undo(accepted, start, Duration::days(9), start), Err(RuleViolation::Past));
}

#[test]
fn on_duty_covers_the_start_but_not_the_end_of_a_slot_around_midnight() {
    let night = vac(1, Slot { starts_at: paris(2026, 11, 27, 20, 0), ends_at: paris(2026, 11, 28, 8, 0) }, 2, &[7, 8]);
    assert_eq!(on_duty_at(std::slice::from_ref(&night), paris(2026, 11, 27, 23, 59)), [7, 8].into());
    assert_eq!(on_duty_at(std::slice::from_ref(&night), paris(2026, 11, 28, 0, 0)), [7, 8].into());
    assert!(on_duty_at(std::slice::from_ref(&night), paris(2026, 11, 28, 8, 0)).is_empty());
    assert!(on_duty_at(&[night], paris(2026, 11, 27, 19, 59)).is_empty());
}

#[test]
fn on_duty_on_the_autumn_dst_night_lasts_thirteen_hours() {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET.
    let template = vec![TemplateSlot { weekday: Weekday::Sat, start: time(20, 0), end: time(8, 0) }];
    let slot = generate_slots(&template, date(2026, 10, 24), date(2026, 10, 24), false)[0];
    assert_eq!(slot.ends_at - slot.starts_at, Duration::hours(13));
    let v = vac(1, slot, 1, &[7]);
    assert_eq!(on_duty_at(&[v], Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()), [7].into());
}

#[test]
fn gaps_are_the_unfilled_places() {
    let all = [vac(1, slot_on(23, 8), 2, &[7]), vac(2, slot_on(24, 8), 1, &[8]), vac(3, slot_on(25, 8), 1, &[])];
    assert_eq!(gaps(&all), vec![(1, 1), (3, 1)]);
}

#[derive(Clone, Debug)]
enum Op {
    Take { member: i64, vacation: usize },
    Cede { from: i64, vacation: usize, to: i64 },
    Exchange { a: i64, va: usize, b: i64, vb: usize },
    Return { member: i64, vacation: usize },
}

fn any_op() -> impl Strategy<Value = Op> {
    let m = 1..6i64;
    let v = 0..12usize;
    prop_oneof![
        (m.clone(), v.clone()).prop_map(|(member, vacation)| Op::Take { member, vacation }),
        (m.clone(), v.clone(), m.clone()).prop_map(|(from, vacation, to)| Op::Cede { from, vacation, to }),
        (m.clone(), v.clone(), m.clone(), v.clone()).prop_map(|(a, va, b, vb)| Op::Exchange { a, va, b, vb }),
        (m, v).prop_map(|(member, vacation)| Op::Return { member, vacation }),
    ]
}

proptest! {
    /// Whatever sequence of takes, cessions, échanges and returns, applied only when the
    /// checks allow it, no member exceeds a cap and no vacation exceeds its capacity.
    #[test]
    fn no_sequence_of_changes_breaks_a_rule(ops in proptest::collection::vec(any_op(), 0..60), caps in (1..3u32, 1..5u32)) {
        let rule = GroupRule { max_per_week: Some(caps.0), max_per_month: Some(caps.1), max_share_percent: None };
        let mut all: Vec<Vacation> = (0..12).map(|i| {
            let day = 2 + (i as u32 * 2) % 27;
            vac(i as i64, slot_on(day, if i % 2 == 0 { 8 } else { 10 }), 1 + (i as u32 % 2), &[])
        }).collect();
        for op in ops {
            match op {
                Op::Take { member, vacation } => {
                    if check_hold(member, &all[vacation], &all, &[], Some(&rule), None, NOW()).is_ok() {
                        all[vacation].holders.insert(member);
                    }
                }
                Op::Cede { from, vacation, to } => {
                    if all[vacation].holders.contains(&from) {
                        let mut without = all.clone();
                        without[vacation].holders.remove(&from);
                        if check_hold(to, &without[vacation], &without, &[], Some(&rule), None, NOW()).is_ok() {
                            without[vacation].holders.insert(to);
                            all = without;
                        }
                    }
                }
                Op::Exchange { a, va, b, vb } => {
                    if va != vb && a != b && all[va].holders.contains(&a) && all[vb].holders.contains(&b) {
                        let mut next = all.clone();
                        next[va].holders.remove(&a);
                        next[vb].holders.remove(&b);
                        let ok_a = check_hold(a, &next[vb], &next, &[], Some(&rule), None, NOW()).is_ok();
                        let ok_b = check_hold(b, &next[va], &next, &[], Some(&rule), None, NOW()).is_ok();
                        if ok_a && ok_b {
                            next[vb].holders.insert(a);
                            next[va].holders.insert(b);
                            all = next;
                        }
                    }
                }
                Op::Return { member, vacation } => {
                    all[vacation].holders.remove(&member);
                }
            }
            for v in &all {
                prop_assert!(v.holders.len() as u32 <= v.capacity, "vacation {} over capacity", v.id);
            }
            for member in 1..6i64 {
                let held: Vec<&Vacation> = all.iter().filter(|v| v.holders.contains(&member)).collect();
                for v in &held {
                    let week = week_start(v.slot.starts_at);
                    let in_week = held.iter().filter(|w| week_start(w.slot.starts_at) == week).count() as u32;
                    prop_assert!(in_week <= caps.0, "member {member}: {in_week} in a week > {}", caps.0);
                    let month = month_key(v.slot.starts_at);
                    let in_month = held.iter().filter(|w| month_key(w.slot.starts_at) == month).count() as u32;
                    prop_assert!(in_month <= caps.1);
                    prop_assert!(!held.iter().any(|w| w.id != v.id && w.slot.overlaps(&v.slot)), "overlap");
                }
            }
        }
    }
}
