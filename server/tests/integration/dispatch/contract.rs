//! The store contract: the same tests on SQLite and on PostgreSQL.

use app::dispatch::dto::AcceptOutcome;
use app::dispatch::ops as dispatch;
use app::dispatch::rules::{OfferState, Outcome, RequestForm, RequestStatus};
use app::dispatch::store as requests;
use app::dispatch::DispatchError;
use app::platform::audit::count_audit;
use chrono::Duration;

use crate::support::{backends, email, member, monday_10am, seeded, NowUtc};

fn form() -> RequestForm {
    RequestForm {
        motive: "fever".into(),
        profession: "gp".into(),
        patient_name: "J. D.".into(),
        age_band: "16-64".into(),
        callback_phone: "0612345678".into(),
        commune: "Rennes".into(),
        deadline: "today".into(),
        source: "patient_call".into(),
        ..RequestForm::default()
    }
}

/// A request created and pushed by the coordinator, answerable until `deadline`.
async fn pushed(state: &app::platform::AppState, coord: &app::members::MemberRow, deadline: &str) -> i64 {
    let id = dispatch::create_request(state, coord, RequestForm { deadline: deadline.into(), ..form() }).await.unwrap();
    dispatch::push(state, coord, id).await.unwrap();
    id
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let again = server::seed::seed_demo(&state.store, clock.now_utc(), 0).await.unwrap();
        assert!(!again.created, "{}", db.url);
        let mut conn = state.store.reader().await.unwrap();
        let (cpts, _) = app::members::first_cpts(&mut conn).await.unwrap().unwrap();
        assert_eq!(app::members::members(&mut conn, cpts).await.unwrap().len(), 15, "{}", db.url);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_push_offers_the_request_to_gps_on_duty_within_the_radius_only() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let id = dispatch::create_request(&state, &coord, form()).await.unwrap();
        let pushed = dispatch::push(&state, &coord, id).await.unwrap();
        assert_eq!(pushed.wave, 1);
        let mut conn = state.store.reader().await.unwrap();
        let mut offered: Vec<String> =
            requests::offers_of_request(&mut conn, id).await.unwrap().into_iter().map(|o| o.member_name).collect();
        offered.sort();
        // Dr Petit is off duty, Dr Roux (Liffré) is beyond 10 km, the others are not GPs.
        assert_eq!(offered, vec!["Dr Inès Bernard", "Dr Paul Leroy", "Dr Sophie Martin"], "{}", db.url);
        assert_eq!(count_audit(&mut conn, "offer_sent", Some(id)).await.unwrap(), 3);
        assert_eq!(count_audit(&mut conn, "request_pushed", Some(id)).await.unwrap(), 1);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn concurrent_acceptances_make_exactly_one_winner() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 40).await;
        let coord = member(&state, "coordination").await;
        let id = dispatch::create_request(&state, &coord, form()).await.unwrap();
        let pushed = dispatch::push(&state, &coord, id).await.unwrap();
        assert!(pushed.offered >= 40);
        let mut clinicians = vec![];
        for i in 0..40 {
            clinicians.push(member(&state, &format!("bench.gp{i:04}")).await);
        }
        let tasks: Vec<_> = clinicians
            .into_iter()
            .map(|m| {
                let state = state.clone();
                tokio::spawn(async move { dispatch::accept(&state, &m, id).await })
            })
            .collect();
        let mut won = 0;
        let mut taken = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(AcceptOutcome::Won { .. }) => won += 1,
                Ok(AcceptOutcome::AlreadyTaken) => taken += 1,
                Err(e) => panic!("{}: unexpected error {e:?}", db.url),
            }
        }
        assert_eq!((won, taken), (1, 39), "{}", db.url);
        let mut conn = state.store.reader().await.unwrap();
        let offers = requests::offers_of_request(&mut conn, id).await.unwrap();
        assert_eq!(offers.iter().filter(|o| o.state == OfferState::Accepted).count(), 1);
        assert!(offers.iter().all(|o| !o.state.is_live()), "every other offer is withdrawn");
        assert_eq!(count_audit(&mut conn, "offer_accepted", Some(id)).await.unwrap(), 1);
        let r = requests::request(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(r.status, RequestStatus::Accepted);
        // What a late acceptance is answered from, in one read: the winner's offer accepted, a
        // loser's withdrawn, nothing for a member never offered it, no request at all.
        let winner = offers.iter().find(|o| o.state == OfferState::Accepted).unwrap();
        let loser = offers.iter().find(|o| o.state != OfferState::Accepted).unwrap();
        let taken = Some(RequestStatus::Accepted);
        for (who, offer) in
            [(winner.member_id, Some(OfferState::Accepted)), (loser.member_id, Some(loser.state)), (coord.id, None)]
        {
            let standing = requests::answer_standing(&mut conn, id, who).await.unwrap();
            assert_eq!(standing.map(|(s, o)| (Some(s), o)), Some((taken, offer)), "{}", db.url);
        }
        assert_eq!(requests::answer_standing(&mut conn, id + 1000, coord.id).await.unwrap(), None);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn waves_widen_then_flag_the_coordinator() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let id = pushed(&state, &coord, "48h").await;
        clock.advance(Duration::minutes(9));
        assert_eq!(dispatch::tick(&state).await.unwrap(), 0, "wave 1 still running");
        clock.advance(Duration::minutes(1));
        assert_eq!(dispatch::tick(&state).await.unwrap(), 1);
        let mut conn = state.store.reader().await.unwrap();
        let r = requests::request(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(r.wave, 2);
        // Wave 2 reaches Dr Roux in Liffré (about 16 km).
        let offered: Vec<String> =
            requests::offers_of_request(&mut conn, id).await.unwrap().into_iter().map(|o| o.member_name).collect();
        assert!(offered.contains(&"Dr Léa Roux".to_string()), "{offered:?}");
        drop(conn);
        clock.advance(Duration::minutes(20));
        dispatch::tick(&state).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let r = requests::request(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(r.status, RequestStatus::Escalated, "{}", db.url);
        assert_eq!(r.escalation.as_deref(), Some("waves_exhausted"));
        assert_eq!(count_audit(&mut conn, "request_escalated", Some(id)).await.unwrap(), 1);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_treating_doctor_is_asked_alone_first() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let petit = member(&state, "dr.petit").await; // off duty, but the patient's doctor
        let id = dispatch::create_request(
            &state,
            &coord,
            RequestForm { treating_member_id: petit.id.to_string(), deadline: "24h".into(), ..form() },
        )
        .await
        .unwrap();
        let pushed = dispatch::push(&state, &coord, id).await.unwrap();
        assert_eq!((pushed.wave, pushed.offered), (0, 1), "{}", db.url);
        clock.advance(Duration::minutes(10));
        dispatch::tick(&state).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        assert_eq!(requests::offers_of_request(&mut conn, id).await.unwrap().len(), 4, "wave 1 adds the 3 GPs on duty");
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_illegal_outcome_changes_nothing() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let id = dispatch::create_request(&state, &coord, form()).await.unwrap();
        let err = dispatch::record_outcome(&state, &coord, id, Outcome::Done).await.unwrap_err();
        assert!(matches!(err, DispatchError::Illegal(_)), "{err:?}");
        let mut conn = state.store.reader().await.unwrap();
        assert_eq!(requests::request(&mut conn, id).await.unwrap().unwrap().status, RequestStatus::New);
        assert_eq!(count_audit(&mut conn, "outcome_recorded", Some(id)).await.unwrap(), 0);
        drop(conn);
        let cancelled = dispatch::record_outcome(&state, &coord, id, Outcome::Cancelled).await.unwrap();
        assert_eq!(cancelled.status, RequestStatus::Cancelled);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn sessions_expire_and_end_at_logout() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let (member, token) =
            app::auth::ops::login(&state, &email("dr.martin"), app::DEMO_PASSWORD.into(), "10.0.0.1", None)
                .await
                .unwrap();
        assert_eq!(app::auth::ops::member_for_token(&state, &token).await.unwrap().map(|m| m.id), Some(member.id));
        clock.advance(Duration::hours(13));
        assert_eq!(app::auth::ops::member_for_token(&state, &token).await.unwrap(), None, "expired");
        let (_, token) =
            app::auth::ops::login(&state, &email("dr.martin"), app::DEMO_PASSWORD.into(), "10.0.0.1", None)
                .await
                .unwrap();
        app::auth::ops::logout(&state, &token).await.unwrap();
        assert_eq!(app::auth::ops::member_for_token(&state, &token).await.unwrap(), None);
        let mut conn = state.store.reader().await.unwrap();
        assert_eq!(count_audit(&mut conn, "login", None).await.unwrap(), 2);
        assert_eq!(count_audit(&mut conn, "logout", None).await.unwrap(), 1);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn offers_expire_at_the_deadline() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let id = dispatch::create_request(&state, &coord, form()).await.unwrap(); // today: before 20:00
        dispatch::push(&state, &coord, id).await.unwrap();
        clock.advance(Duration::hours(10)); // 20:00
        dispatch::tick(&state).await.unwrap();
        dispatch::tick(&state).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let r = requests::request(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(r.status, RequestStatus::Escalated, "{}", db.url);
        assert_eq!(r.escalation.as_deref(), Some("deadline_near"));
        let offers = requests::offers_of_request(&mut conn, id).await.unwrap();
        assert!(offers.iter().all(|o| o.state == OfferState::Expired), "{offers:?}");
        drop(conn);
        let martin = member(&state, "dr.martin").await;
        let late = dispatch::accept(&state, &martin, id).await.unwrap_err();
        assert!(matches!(late, DispatchError::Offer(_)), "{late:?}");
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_alert_clears_when_the_request_is_pushed_again_and_waves_wait_for_opening_hours() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let id = pushed(&state, &coord, "48h").await;
        clock.advance(Duration::minutes(10));
        dispatch::tick(&state).await.unwrap(); // wave 2
        clock.advance(Duration::minutes(20));
        dispatch::tick(&state).await.unwrap(); // escalated
        let mut conn = state.store.reader().await.unwrap();
        assert!(requests::request(&mut conn, id).await.unwrap().unwrap().escalation.is_some());
        drop(conn);
        dispatch::push(&state, &coord, id).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let r = requests::request(&mut conn, id).await.unwrap().unwrap();
        assert_eq!((r.status, r.escalation), (RequestStatus::Pushed, None), "{}", db.url);
        drop(conn);

        // A request pushed at 19:55 is not widened at 20:05: the CPTS is closed.
        let late =
            dispatch::create_request(&state, &coord, RequestForm { deadline: "48h".into(), ..form() }).await.unwrap();
        clock.set(monday_10am() + Duration::minutes(9 * 60 + 55));
        dispatch::push(&state, &coord, late).await.unwrap();
        clock.advance(Duration::minutes(10));
        dispatch::tick(&state).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        assert_eq!(requests::request(&mut conn, late).await.unwrap().unwrap().wave, 1, "{}", db.url);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_clinician_at_the_weekly_cap_cannot_accept() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let martin = member(&state, "dr.martin").await;
        let mut tx = state.store.begin().await.unwrap();
        sqlx::query("update member set weekly_cap = 1 where id = $1").bind(martin.id).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let a = dispatch::create_request(&state, &coord, form()).await.unwrap();
        let b = dispatch::create_request(&state, &coord, form()).await.unwrap();
        dispatch::push(&state, &coord, a).await.unwrap();
        dispatch::push(&state, &coord, b).await.unwrap();
        assert!(matches!(dispatch::accept(&state, &martin, a).await, Ok(AcceptOutcome::Won { .. })));
        let err = dispatch::accept(&state, &martin, b).await.unwrap_err();
        assert!(matches!(err, DispatchError::Offer(app::dispatch::rules::AcceptOfferError::CapReached)), "{}", db.url);
        state.store.close().await;
        db.drop_db().await;
    }
}

/// Patient data is kept only as long as needed: 90 days after a request closes its patient's
/// name, phone and note are erased by the retention job, while the request stays for the counts.
#[tokio::test]
async fn the_patient_data_of_requests_closed_90_days_ago_is_erased_and_the_counts_stay() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let coord = member(&state, "coordination").await;
        let martin = member(&state, "dr.martin").await;
        let old = pushed(&state, &coord, "today").await;
        let recent = pushed(&state, &coord, "today").await;
        assert!(matches!(dispatch::accept(&state, &martin, old).await.unwrap(), AcceptOutcome::Won { .. }));
        dispatch::record_outcome(&state, &coord, old, Outcome::Done).await.unwrap();
        clock.advance(Duration::days(80));
        dispatch::record_outcome(&state, &coord, recent, Outcome::Cancelled).await.unwrap();
        clock.advance(Duration::days(11));
        // The demo's own past (closed 8 to 70 days before it starts) is now as old, and erased too.
        let cutoff = clock.now_utc() - Duration::days(90);
        let mut conn = state.store.reader().await.unwrap();
        let history: i64 = sqlx::query_scalar("select count(*) from snp_request where id <> $1 and closed_at < $2")
            .bind(old)
            .bind(cutoff.timestamp_millis())
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        assert!(history > 0, "the demo has a past");
        assert_eq!(dispatch::erase_old_patient_data(&state).await.unwrap() as i64, 1 + history, "{}", db.url);
        let mut conn = state.store.reader().await.unwrap();
        let erased = requests::request(&mut conn, old).await.unwrap().expect("the request stays");
        assert_eq!((erased.patient_name.as_str(), erased.callback_phone.as_str(), erased.note.as_str()), ("", "", ""));
        assert_eq!(erased.status, RequestStatus::Done, "what the indicators count is kept");
        assert_eq!(erased.accepted_by, Some(martin.id));
        let kept = requests::request(&mut conn, recent).await.unwrap().unwrap();
        assert_eq!(kept.callback_phone, "+33612345678", "closed 11 days ago: kept");
        assert_eq!(count_audit(&mut conn, "patient_data_erased", None).await.unwrap(), 1);
        assert_eq!(app::platform::audit::verify(&mut conn).await.unwrap().broken, None);
        drop(conn);
        // Nothing left to erase: a second run changes nothing.
        assert_eq!(dispatch::erase_old_patient_data(&state).await.unwrap(), 0);
        state.store.close().await;
        db.drop_db().await;
    }
}
