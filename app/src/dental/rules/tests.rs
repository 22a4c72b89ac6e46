use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::*;

fn c(id: i64, kind: CriterionKind) -> Criterion {
    Criterion { id, label: format!("critère {id}"), kind, immediate: false }
}

/// 1–2 inclusions (2 is immediate), 3 a condition, 4–5 exclusions, 6 not urgent.
fn grid() -> Vec<Criterion> {
    vec![
        c(1, CriterionKind::Inclusion),
        Criterion { immediate: true, ..c(2, CriterionKind::Inclusion) },
        c(3, CriterionKind::Condition),
        c(4, CriterionKind::Exclusion),
        c(5, CriterionKind::Exclusion),
        c(6, CriterionKind::NotUrgent),
    ]
}

fn ticked(ids: &[i64]) -> BTreeSet<i64> {
    ids.iter().copied().collect()
}

#[test]
fn an_inclusion_with_the_condition_met_is_referred() {
    assert_eq!(verdict(&grid(), &ticked(&[1, 3])), Ok(Verdict::Referred { immediate: false }));
    assert_eq!(verdict(&grid(), &ticked(&[1, 2, 3])), Ok(Verdict::Referred { immediate: true }));
}

#[test]
fn an_exclusion_sign_sends_to_the_15_whatever_else_is_ticked() {
    assert_eq!(verdict(&grid(), &ticked(&[1, 3, 5])), Ok(Verdict::CallThe15 { signs: vec![5] }));
    assert_eq!(verdict(&grid(), &ticked(&[4])), Ok(Verdict::CallThe15 { signs: vec![4] }));
}

#[test]
fn a_patient_with_a_dentist_of_their_own_available_is_not_for_the_rota() {
    assert_eq!(verdict(&grid(), &ticked(&[1, 2])), Ok(Verdict::NotUrgent));
}

#[test]
fn no_inclusion_is_not_urgent() {
    assert_eq!(verdict(&grid(), &ticked(&[3, 6])), Ok(Verdict::NotUrgent));
    assert_eq!(verdict(&grid(), &ticked(&[3])), Ok(Verdict::NotUrgent));
}

#[test]
fn an_id_outside_the_grid_is_refused() {
    assert_eq!(verdict(&grid(), &ticked(&[1, 3, 99])), Err(UnknownCriterion(99)));
}

proptest! {
    /// Any exclusion sign ticked: the verdict is "call the 15", so nothing is ever stored.
    #[test]
    fn any_exclusion_sign_is_never_referred(ids in proptest::collection::btree_set(1i64..=6, 0..6)) {
        let v = verdict(&grid(), &ids).unwrap();
        let sign = ids.contains(&4) || ids.contains(&5);
        prop_assert_eq!(matches!(v, Verdict::CallThe15 { .. }), sign);
        if matches!(v, Verdict::Referred { .. }) {
            prop_assert!(ids.contains(&3) && (ids.contains(&1) || ids.contains(&2)));
        }
    }
}

fn paris(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn morning(id: i64, day: &str, holders: &[i64]) -> Morning {
    Morning {
        vacation_id: id,
        starts_at: paris(&format!("{day}T08:30:00+01:00")),
        ends_at: paris(&format!("{day}T12:30:00+01:00")),
        holders: holders.to_vec(),
    }
}

/// Tuesday 1 (held), Wednesday 2 (nobody) and Thursday 3 December 2026 (two dentists).
fn rota() -> Vec<Morning> {
    vec![morning(10, "2026-12-01", &[7]), morning(11, "2026-12-02", &[]), morning(12, "2026-12-03", &[8, 9])]
}

#[test]
fn during_the_morning_the_dentist_of_the_day_has_24_hours_from_now() {
    let now = paris("2026-12-01T10:00:00+01:00");
    let r = route(&rota(), &HashMap::new(), now).unwrap();
    assert_eq!((r.dentist_id, r.vacation_id, r.seen_from), (7, 10, now));
    assert_eq!(r.due_at, paris("2026-12-02T10:00:00+01:00"));
}

#[test]
fn past_noon_and_past_an_empty_morning_it_goes_to_the_next_held_morning() {
    let now = paris("2026-12-01T13:00:00+01:00");
    let r = route(&rota(), &HashMap::new(), now).unwrap();
    assert_eq!((r.dentist_id, r.vacation_id), (8, 12));
    assert_eq!(r.seen_from, paris("2026-12-03T08:30:00+01:00"));
    assert_eq!(r.due_at, paris("2026-12-04T08:30:00+01:00"));
}

#[test]
fn two_dentists_on_one_morning_share_by_waiting_referrals_then_by_who_took_it_first() {
    let now = paris("2026-12-03T09:00:00+01:00");
    assert_eq!(route(&rota(), &HashMap::new(), now).unwrap().dentist_id, 8);
    assert_eq!(route(&rota(), &HashMap::from([(8, 2), (9, 1)]), now).unwrap().dentist_id, 9);
    assert_eq!(route(&rota(), &HashMap::from([(8, 1), (9, 1)]), now).unwrap().dentist_id, 8);
}

#[test]
fn nobody_ahead_means_no_route() {
    assert_eq!(route(&rota(), &HashMap::new(), paris("2026-12-03T12:30:00+01:00")), None);
    assert_eq!(route(&[], &HashMap::new(), paris("2026-12-01T09:00:00+01:00")), None);
}

#[test]
fn the_job_reminds_four_hours_before_and_alerts_at_the_deadline_once_each() {
    let due = paris("2026-12-02T10:00:00+01:00");
    let w = ReferralStatus::Waiting;
    assert_eq!(nudge(due, false, false, w, paris("2026-12-02T05:59:00+01:00")), Nudge::Nothing);
    assert_eq!(nudge(due, false, false, w, paris("2026-12-02T06:00:00+01:00")), Nudge::RemindDentist);
    assert_eq!(nudge(due, true, false, w, paris("2026-12-02T09:00:00+01:00")), Nudge::Nothing);
    assert_eq!(nudge(due, true, false, w, due), Nudge::AlertCoordination);
    assert_eq!(nudge(due, false, false, w, due), Nudge::AlertCoordination);
    assert_eq!(nudge(due, true, true, w, due), Nudge::Nothing);
    assert_eq!(nudge(due, false, false, ReferralStatus::Answered, due), Nudge::Nothing);
}

proptest! {
    /// Whatever the rota and the clock, a referral goes to someone who holds the chosen
    /// morning, a morning not yet over, and no earlier held morning was skipped.
    #[test]
    fn the_route_is_always_a_holder_of_the_first_morning_not_over(
        holders in proptest::collection::vec(proptest::collection::vec(1i64..5, 0..3), 1..8),
        minutes in 0i64..(8 * 24 * 60),
    ) {
        let start = paris("2026-11-30T08:30:00+01:00");
        let mornings: Vec<Morning> = holders.iter().enumerate().map(|(i, h)| Morning {
            vacation_id: i as i64,
            starts_at: start + chrono::Duration::days(i as i64),
            ends_at: start + chrono::Duration::days(i as i64) + chrono::Duration::hours(4),
            holders: h.clone(),
        }).collect();
        let now = start + chrono::Duration::minutes(minutes);
        match route(&mornings, &HashMap::new(), now) {
            Some(r) => {
                let m = mornings.iter().find(|m| m.vacation_id == r.vacation_id).unwrap();
                prop_assert!(m.holders.contains(&r.dentist_id));
                prop_assert!(m.ends_at > now);
                prop_assert!(!mornings.iter().any(|o| o.ends_at > now && !o.holders.is_empty() && o.starts_at < m.starts_at));
                prop_assert_eq!(r.due_at - r.seen_from, ANSWER_WITHIN);
            }
            None => prop_assert!(!mornings.iter().any(|m| m.ends_at > now && !m.holders.is_empty())),
        }
    }
}

#[test]
fn codes_round_trip() {
    for k in CriterionKind::ALL {
        assert_eq!(CriterionKind::parse(k.code()), Some(*k));
    }
}
