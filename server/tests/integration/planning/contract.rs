//! Duty vacations against both back-ends: the rules hold under concurrency.

use app::members::store;
use app::planning::ops as planning;
use app::planning::rules::{ChangeKind, GenerateForm, GroupRule, RuleViolation};
use app::planning::store as sp;
use app::planning::PlanningError;
use app::platform::audit::count_audit;
use app::platform::AppState;
use chrono::Duration;

use crate::support::{backends, member, monday_10am, seeded};

/// A planning with one group of every GP (bench GPs included) under `rule`, and vacations on
/// Tuesday to Thursday of this week, 14:00–18:00, with `capacity` places.
async fn planning_with(state: &AppState, rule: GroupRule, capacity: u32) -> (i64, Vec<i64>) {
    let admin = member(state, "admin").await;
    let id = planning::create_planning(state, &admin, "Test SNP", 48).await.unwrap();
    let mut conn = state.store.reader().await.unwrap();
    let gps: Vec<i64> = store::members(&mut conn, admin.cpts_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.profession == Some(app::domain::Profession::Gp))
        .map(|m| m.id)
        .collect();
    drop(conn);
    planning::create_group(state, &admin, id, "Généralistes", "profession", rule, &gps).await.unwrap();
    let form = GenerateForm {
        kind: "snp_office".into(),
        weekdays: vec!["2".into(), "3".into(), "4".into()],
        hours: "14:00-18:00".into(),
        from: "2026-11-23".into(),
        to: "2026-11-29".into(),
        capacity: capacity.to_string(),
        skip_holidays: "on".into(),
        self_service: "on".into(),
    };
    assert_eq!(planning::generate(state, &admin, id, &form).await.unwrap(), 3);
    let mut conn = state.store.reader().await.unwrap();
    let vacations =
        sp::planning_vacations(&mut conn, id, monday_10am(), monday_10am() + Duration::days(7)).await.unwrap();
    (id, vacations.into_iter().map(|v| v.vacation.id).collect())
}

#[tokio::test]
async fn the_last_place_goes_to_exactly_one_of_ten_concurrent_takers() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 12).await;
        let (_, vacations) = planning_with(&state, GroupRule::default(), 1).await;
        let mut takers = vec![];
        for i in 0..10 {
            takers.push(member(&state, &format!("bench.gp{i:04}")).await);
        }
        let tasks: Vec<_> = takers
            .into_iter()
            .map(|m| {
                let state = state.clone();
                let v = vacations[0];
                tokio::spawn(async move { planning::take(&state, &m, v).await })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => ok += 1,
                Err(PlanningError::Rule(RuleViolation::Full)) => {}
                Err(e) => panic!("{}: {e:?}", db.url),
            }
        }
        assert_eq!(ok, 1, "{}", db.url);
        let mut conn = state.store.reader().await.unwrap();
        assert_eq!(sp::vacation(&mut conn, vacations[0]).await.unwrap().unwrap().vacation.holders.len(), 1);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_take_beyond_the_weekly_cap_names_the_rule() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 12).await;
        let (_, vacations) =
            planning_with(&state, GroupRule { max_per_week: Some(1), ..GroupRule::default() }, 2).await;
        let martin = member(&state, "dr.martin").await;
        planning::take(&state, &martin, vacations[0]).await.unwrap();
        let err = planning::take(&state, &martin, vacations[1]).await.unwrap_err();
        assert!(matches!(err, PlanningError::Rule(RuleViolation::WeeklyCap { max: 1 })), "{}", db.url);
        let message = app::api::AppError::from(err).message();
        assert!(message.contains("1 vacation(s) par semaine"), "{message}");
        let nurse = member(&state, "inf.simon").await;
        assert!(matches!(
            planning::take(&state, &nurse, vacations[1]).await,
            Err(PlanningError::Rule(RuleViolation::NotInGroup))
        ));
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_cession_to_all_goes_to_the_first_colleague_who_accepts() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 12).await;
        let (_, vacations) = planning_with(&state, GroupRule::default(), 1).await;
        let martin = member(&state, "dr.martin").await;
        planning::take(&state, &martin, vacations[0]).await.unwrap();
        let change = planning::propose(&state, &martin, ChangeKind::Cession, vacations[0], None, None).await.unwrap();
        let a = member(&state, "dr.leroy").await;
        let b = member(&state, "dr.bernard").await;
        let (ra, rb) =
            tokio::join!(planning::answer(&state, &a, change, true), planning::answer(&state, &b, change, true));
        assert_eq!([ra.is_ok(), rb.is_ok()].iter().filter(|x| **x).count(), 1, "{}: {ra:?} {rb:?}", db.url);
        let mut conn = state.store.reader().await.unwrap();
        let holders = sp::vacation(&mut conn, vacations[0]).await.unwrap().unwrap().vacation.holders;
        assert_eq!(holders.len(), 1);
        assert!(!holders.contains(&martin.id));
        assert_eq!(count_audit(&mut conn, "change_accepted", None).await.unwrap(), 1);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_exchange_swaps_both_vacations_and_a_declined_one_changes_nothing() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 12).await;
        let (_, v) = planning_with(&state, GroupRule { max_per_week: Some(1), ..GroupRule::default() }, 1).await;
        let martin = member(&state, "dr.martin").await;
        let leroy = member(&state, "dr.leroy").await;
        planning::take(&state, &martin, v[0]).await.unwrap();
        planning::take(&state, &leroy, v[1]).await.unwrap();
        // Declined: nothing moves.
        let c =
            planning::propose(&state, &martin, ChangeKind::Exchange, v[0], Some(leroy.id), Some(v[1])).await.unwrap();
        planning::answer(&state, &leroy, c, false).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        assert!(sp::vacation(&mut conn, v[0]).await.unwrap().unwrap().vacation.holders.contains(&martin.id));
        drop(conn);
        // Accepted: swapped, and the weekly cap of 1 still holds for both.
        let c =
            planning::propose(&state, &martin, ChangeKind::Exchange, v[0], Some(leroy.id), Some(v[1])).await.unwrap();
        planning::answer(&state, &leroy, c, true).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        assert!(
            sp::vacation(&mut conn, v[0]).await.unwrap().unwrap().vacation.holders.contains(&leroy.id),
            "{}",
            db.url
        );
        assert!(sp::vacation(&mut conn, v[1]).await.unwrap().unwrap().vacation.holders.contains(&martin.id));
        drop(conn);
        // The answered proposal cannot be answered again.
        assert!(matches!(planning::answer(&state, &leroy, c, true).await, Err(PlanningError::Conflict)));
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_admin_acts_on_behalf_and_the_trail_names_both() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 12).await;
        let (_, v) = planning_with(&state, GroupRule::default(), 1).await;
        let admin = member(&state, "admin").await;
        let petit = member(&state, "dr.petit").await;
        planning::assign_for(&state, &admin, v[2], petit.id).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let (actor, behalf): (Option<i64>, Option<i64>) =
            sqlx::query_as("select actor_id, on_behalf_of from audit_event where kind = 'vacation_assigned'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!((actor, behalf), (Some(admin.id), Some(petit.id)), "{}", db.url);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn returning_to_the_pool_stops_at_the_notice_period() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 12).await;
        let (_, v) = planning_with(&state, GroupRule::default(), 1).await;
        let martin = member(&state, "dr.martin").await;
        planning::take(&state, &martin, v[2]).await.unwrap(); // Thursday 14:00
        planning::take(&state, &martin, v[0]).await.unwrap(); // Tuesday 14:00
        planning::return_to_pool(&state, &martin, v[2]).await.unwrap();
        clock.advance(Duration::hours(12)); // Monday 22:00: Tuesday is 16 h away
        assert!(matches!(
            planning::return_to_pool(&state, &martin, v[0]).await,
            Err(PlanningError::Rule(RuleViolation::NoticePassed { hours: 48 }))
        ));
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_vacation_puts_its_holder_on_duty_for_the_push_panel() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 12).await;
        let (_, v) = planning_with(&state, GroupRule::default(), 1).await;
        let petit = member(&state, "dr.petit").await; // Bruz, no duty slot
        planning::take(&state, &petit, v[0]).await.unwrap(); // Tuesday 14:00–18:00
        clock.set(monday_10am() + Duration::hours(28)); // Tuesday 14:00
        let coord = member(&state, "coordination").await;
        let form = app::dispatch::rules::RequestForm {
            motive: "fever".into(),
            profession: "gp".into(),
            patient_name: "B".into(),
            age_band: "16-64".into(),
            callback_phone: "0612345678".into(),
            commune: "Bruz".into(),
            deadline: "today".into(),
            source: "patient_call".into(),
            ..Default::default()
        };
        let id = app::dispatch::ops::create_request(&state, &coord, form).await.unwrap();
        app::dispatch::ops::push(&state, &coord, id).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let offered: Vec<i64> =
            app::dispatch::store::offers_of_request(&mut conn, id).await.unwrap().iter().map(|o| o.member_id).collect();
        assert!(offered.contains(&petit.id), "{}: {offered:?}", db.url);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_accepted_change_is_undone_when_the_other_side_agrees_within_the_grace_period() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 12).await;
        let (_, v) = planning_with(&state, GroupRule::default(), 1).await;
        let martin = member(&state, "dr.martin").await;
        let leroy = member(&state, "dr.leroy").await;
        planning::take(&state, &martin, v[0]).await.unwrap();
        let cession =
            planning::propose(&state, &martin, ChangeKind::Cession, v[0], Some(leroy.id), None).await.unwrap();
        planning::answer(&state, &leroy, cession, true).await.unwrap();
        // Martin regrets it: he asks, Leroy agrees, the vacation comes back.
        let undo = planning::undo(&state, &martin, cession).await.unwrap().expect("a proposal");
        let leroys = planning::my_vacations(&state, &leroy).await.unwrap();
        assert!(leroys.changes.iter().any(|c| c.id == undo && c.kind == ChangeKind::Undo), "{}", db.url);
        planning::answer(&state, &leroy, undo, true).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let holders = sp::vacation(&mut conn, v[0]).await.unwrap().unwrap().vacation.holders;
        assert_eq!(holders.into_iter().collect::<Vec<_>>(), vec![martin.id], "{}", db.url);
        drop(conn);
        // Undone once is undone for good.
        assert!(matches!(planning::undo(&state, &martin, cession).await, Err(PlanningError::Conflict)));

        // A second cession, too late to undo by the members: only the admin can.
        let again = planning::propose(&state, &martin, ChangeKind::Cession, v[0], Some(leroy.id), None).await.unwrap();
        planning::answer(&state, &leroy, again, true).await.unwrap();
        clock.advance(Duration::minutes(61));
        assert!(matches!(
            planning::undo(&state, &leroy, again).await,
            Err(PlanningError::Rule(RuleViolation::UndoWindowPassed { minutes: 60 }))
        ));
        let admin = member(&state, "admin").await;
        assert!(matches!(planning::undo(&state, &admin, again).await, Ok(None)));
        let mut conn = state.store.reader().await.unwrap();
        assert!(sp::vacation(&mut conn, v[0]).await.unwrap().unwrap().vacation.holders.contains(&martin.id));
        assert_eq!(count_audit(&mut conn, "change_undone", None).await.unwrap(), 3, "two reverts, one admin trace");
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_vacation_assigned_by_the_admin_cannot_be_taken_by_a_member() {
    let db = crate::support::TestDb::sqlite();
    let (state, _) = seeded(&db.url, 12).await;
    let admin = member(&state, "admin").await;
    let martin = member(&state, "dr.martin").await;
    let p = planning::create_planning(&state, &admin, "Régulation SAS", 48).await.unwrap();
    planning::create_group(&state, &admin, p, "SAS", "structure", GroupRule::default(), &[martin.id]).await.unwrap();
    let form = GenerateForm {
        kind: "sas_regulation".into(),
        weekdays: vec!["4".into()],
        hours: "09:00-13:00".into(),
        from: "2026-11-26".into(),
        to: "2026-11-26".into(),
        capacity: "1".into(),
        skip_holidays: "on".into(),
        self_service: String::new(),
    };
    planning::generate(&state, &admin, p, &form).await.unwrap();
    let mut conn = state.store.reader().await.unwrap();
    let v = sp::planning_vacations(&mut conn, p, monday_10am(), monday_10am() + Duration::days(7)).await.unwrap()[0]
        .vacation
        .id;
    drop(conn);
    assert!(matches!(
        planning::take(&state, &martin, v).await,
        Err(PlanningError::Rule(RuleViolation::AssignedByAdmin))
    ));
    planning::assign_for(&state, &admin, v, martin.id).await.unwrap();
}

#[tokio::test]
async fn the_admin_edits_a_group_and_takes_a_member_off_a_vacation() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 12).await;
        let (p, v) = planning_with(&state, GroupRule::default(), 1).await;
        let admin = member(&state, "admin").await;
        let martin = member(&state, "dr.martin").await;
        let leroy = member(&state, "dr.leroy").await;
        planning::take(&state, &martin, v[0]).await.unwrap();
        // Inside the notice period only the admin can free the place.
        clock.advance(Duration::hours(12));
        assert!(matches!(planning::return_to_pool(&state, &martin, v[0]).await, Err(PlanningError::Rule(_))));
        planning::unassign_for(&state, &admin, v[0], martin.id).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        assert!(sp::vacation(&mut conn, v[0]).await.unwrap().unwrap().vacation.holders.is_empty(), "{}", db.url);
        let group = sp::groups(&mut conn, p).await.unwrap()[0].id;
        drop(conn);
        // Leroy leaves the group: he may no longer take its vacations.
        planning::set_group_members(&state, &admin, group, &[martin.id]).await.unwrap();
        assert!(matches!(
            planning::take(&state, &leroy, v[1]).await,
            Err(PlanningError::Rule(RuleViolation::NotInGroup))
        ));
        state.store.close().await;
        db.drop_db().await;
    }
}

/// An échange being accepted while a third colleague tries to take the place it frees and
/// the proposer takes another vacation: whatever the order, no capacity or cap is broken.
#[tokio::test]
async fn an_exchange_racing_takes_never_breaks_a_rule() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 12).await;
        let (_, v) = planning_with(&state, GroupRule { max_per_week: Some(1), ..GroupRule::default() }, 1).await;
        let martin = member(&state, "dr.martin").await;
        let leroy = member(&state, "dr.leroy").await;
        let bernard = member(&state, "dr.bernard").await;
        planning::take(&state, &martin, v[0]).await.unwrap();
        planning::take(&state, &leroy, v[1]).await.unwrap();
        let swap =
            planning::propose(&state, &martin, ChangeKind::Exchange, v[0], Some(leroy.id), Some(v[1])).await.unwrap();
        let (accepted, bernard_took, martin_took) = tokio::join!(
            planning::answer(&state, &leroy, swap, true),
            planning::take(&state, &bernard, v[1]),
            planning::take(&state, &martin, v[2]),
        );
        assert!(accepted.is_ok(), "{}: {accepted:?}", db.url);
        assert!(matches!(bernard_took, Err(PlanningError::Rule(_))), "v1 is never free: {bernard_took:?}");
        assert!(matches!(martin_took, Err(PlanningError::Rule(RuleViolation::WeeklyCap { .. }))), "{martin_took:?}");
        let mut conn = state.store.reader().await.unwrap();
        for id in &v {
            let h = sp::vacation(&mut conn, *id).await.unwrap().unwrap().vacation.holders;
            assert!(h.len() <= 1, "{}: vacation {id} over capacity: {h:?}", db.url);
        }
        let martins: usize = {
            let mut n = 0;
            for id in &v {
                n += usize::from(
                    sp::vacation(&mut conn, *id).await.unwrap().unwrap().vacation.holders.contains(&martin.id),
                );
            }
            n
        };
        assert_eq!(martins, 1, "Dr Martin keeps one vacation this week");
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}
