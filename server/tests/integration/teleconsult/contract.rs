//! Pharmacy teleconsultations against both back-ends: who is available, the short waves, first
//! acceptance books the room, the link's validity, nobody available, widening once more.

use app::dispatch::rules::RequestStatus;
use app::domain::Reorientation;
use app::platform::audit::count_audit;
use app::platform::live::{Audience, LiveEvent};
use app::platform::AppState;
use app::teleconsult::ops;
use app::teleconsult::rules::{RoomAccess, TeleconsultForm};
use app::teleconsult::TeleconsultError;
use chrono::Duration;

use crate::support::{backends, member, seeded, NowUtc};

pub fn form() -> TeleconsultForm {
    TeleconsultForm {
        motive: "renewal".into(),
        red_flags: vec![],
        patient_name: "A. B.".into(),
        age_band: "65-79".into(),
        callback_phone: "06 22 33 44 55".into(),
        note: "Traitement terminé hier".into(),
        consent: "on".into(),
    }
}

async fn requests(state: &AppState) -> i64 {
    let mut conn = state.store.reader().await.unwrap();
    sqlx::query_scalar("select count(*) from snp_request").fetch_one(&mut *conn).await.unwrap()
}

/// Makes a demo member teleconsult and be available now (or neither).
async fn teleconsulting(state: &AppState, login: &str, yes: bool) {
    let m = member(state, login).await;
    let now = state.now();
    let mut tx = state.store.begin().await.unwrap();
    sqlx::query("update member set teleconsult = $2 where id = $1")
        .bind(m.id)
        .bind(i64::from(yes))
        .execute(&mut *tx)
        .await
        .unwrap();
    if yes {
        app::members::store::add_availability(&mut tx, m.id, "volunteer", now, now + Duration::hours(4), now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_first_doctor_to_accept_books_the_room_both_parties_open_it_until_it_expires() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let pharmacist = member(&state, "ph.moreau").await;
        let leroy = member(&state, "dr.leroy").await;
        let bernard = member(&state, "dr.bernard").await;
        let martin = member(&state, "dr.martin").await;
        assert_eq!(ops::counter(&state, &pharmacist).await.unwrap().available, 2, "the two demo teleconsulting GPs");
        let mut live = state.live.subscribe(Audience::Member(pharmacist.id));

        let sent = ops::send(&state, &pharmacist, &form()).await.unwrap();
        assert_eq!(sent.offered, 2);
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert_eq!((view.status, view.room), (RequestStatus::Pushed, RoomAccess::NotYet));
        assert!(matches!(
            ops::open_room(&state, &pharmacist, sent.id).await,
            Err(TeleconsultError::Room(RoomAccess::NotYet))
        ));

        let (a, b) = tokio::join!(
            app::dispatch::ops::accept(&state, &leroy, sent.id),
            app::dispatch::ops::accept(&state, &bernard, sent.id),
        );
        let won = [&a, &b].iter().filter(|r| matches!(r, Ok(app::dispatch::dto::AcceptOutcome::Won { .. }))).count();
        assert_eq!(won, 1, "{a:?} {b:?}");
        let (winner, loser) = if matches!(a, Ok(app::dispatch::dto::AcceptOutcome::Won { .. })) {
            (&leroy, &bernard)
        } else {
            (&bernard, &leroy)
        };
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert_eq!(view.status, RequestStatus::Booked, "a teleconsultation is booked by its acceptance");
        assert_eq!(view.doctor_name.as_deref(), Some(winner.display_name.as_str()));
        assert_eq!(view.room, RoomAccess::Open { until: clock.now_utc() + Duration::minutes(30) });

        // The pharmacist's screen hears of the acceptance. On PostgreSQL the event comes back
        // through LISTEN/NOTIFY, after the call returned: wait for it (a deadline, not a timing).
        let expected = LiveEvent::to_member(pharmacist.id, "request_changed", sent.id);
        let told = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while let Ok(e) = live.recv().await {
                if e == expected && matches!(e.audience, Audience::Member(_)) {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(told, Ok(true), "the pharmacist is told live");

        let url = ops::open_room(&state, &pharmacist, sent.id).await.unwrap();
        assert!(url.starts_with("https://meet.jit.si/relais-"), "{url}");
        assert_eq!(url.len(), "https://meet.jit.si/relais-".len() + 40, "160 bits: {url}");
        assert_eq!(ops::open_room(&state, winner, sent.id).await.unwrap(), url, "the same room for both");
        assert!(matches!(ops::open_room(&state, loser, sent.id).await, Err(TeleconsultError::Forbidden)));
        assert!(matches!(ops::open_room(&state, &martin, sent.id).await, Err(TeleconsultError::Forbidden)));
        assert!(matches!(ops::view(&state, &martin, sent.id).await, Err(TeleconsultError::NotFound)));
        assert_eq!(
            count_audit(&mut state.store.reader().await.unwrap(), "teleconsult_room_opened", None).await.unwrap(),
            2
        );

        clock.advance(Duration::minutes(30));
        assert!(matches!(
            ops::open_room(&state, winner, sent.id).await,
            Err(TeleconsultError::Room(RoomAccess::Expired))
        ));

        // The doctor records it; the conclusion is kept for the indicators.
        let version = ops::view(&state, winner, sent.id).await.unwrap().version;
        let done = app::teleconsult::rules::TeleconsultOutcome::Done(app::teleconsult::rules::Conclusion::Prescription);
        assert!(matches!(
            ops::record_outcome(&state, &pharmacist, sent.id, version, done).await,
            Err(TeleconsultError::Forbidden)
        ));
        ops::record_outcome(&state, winner, sent.id, version, done).await.unwrap();
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert_eq!(
            (view.status, view.conclusion),
            (RequestStatus::Done, Some(app::teleconsult::rules::Conclusion::Prescription))
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn with_nobody_available_nothing_is_sent_and_nothing_is_saved() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        teleconsulting(&state, "dr.leroy", false).await;
        teleconsulting(&state, "dr.bernard", false).await;
        let pharmacist = member(&state, "ph.moreau").await;
        assert_eq!(ops::counter(&state, &pharmacist).await.unwrap().available, 0);
        let before = requests(&state).await;
        assert!(matches!(ops::send(&state, &pharmacist, &form()).await, Err(TeleconsultError::NobodyAvailable)));
        assert_eq!(requests(&state).await, before);
        // Without the consent, nothing either, whoever is available.
        teleconsulting(&state, "dr.leroy", true).await;
        let no_consent = TeleconsultForm { consent: String::new(), ..form() };
        assert!(matches!(ops::send(&state, &pharmacist, &no_consent).await, Err(TeleconsultError::Invalid(_))));
        assert_eq!(requests(&state).await, before);
        // A GP has no counter.
        let gp = member(&state, "dr.martin").await;
        assert!(matches!(ops::send(&state, &gp, &form()).await, Err(TeleconsultError::Forbidden)));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_waves_widen_after_five_minutes_then_the_pharmacist_widens_once_more_or_orients() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        // Liffré is 14 km from the pharmacy: the second wave only.
        teleconsulting(&state, "dr.roux", true).await;
        let pharmacist = member(&state, "ph.moreau").await;
        let sent = ops::send(&state, &pharmacist, &form()).await.unwrap();
        assert_eq!(sent.offered, 2);
        clock.advance(Duration::minutes(5));
        app::dispatch::tick(&state).await.unwrap();
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert_eq!((view.wave, view.asked), (2, 3), "every available teleconsulting doctor of the CPTS");
        clock.advance(Duration::minutes(10));
        app::dispatch::tick(&state).await.unwrap();
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert!(view.nobody_in_time && view.can_rewiden, "{view:?}");

        ops::rewiden(&state, &pharmacist, sent.id).await.unwrap();
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert_eq!((view.status, view.can_rewiden), (RequestStatus::Pushed, false));
        clock.advance(Duration::minutes(10));
        app::dispatch::tick(&state).await.unwrap();
        assert!(matches!(ops::rewiden(&state, &pharmacist, sent.id).await, Err(TeleconsultError::AlreadyRewidened)));

        let gp = member(&state, "dr.martin").await;
        assert!(matches!(ops::orient(&state, &gp, sent.id, Reorientation::Sas).await, Err(TeleconsultError::NotFound)));
        assert!(matches!(
            ops::orient(&state, &pharmacist, sent.id, Reorientation::OtherCpts).await,
            Err(TeleconsultError::Invalid(_))
        ));
        ops::orient(&state, &pharmacist, sent.id, Reorientation::ComeBackLater).await.unwrap();
        let view = ops::view(&state, &pharmacist, sent.id).await.unwrap();
        assert_eq!((view.status, view.reoriented_to), (RequestStatus::Reoriented, Some(Reorientation::ComeBackLater)));
        let leroy = member(&state, "dr.leroy").await;
        let inbox = app::dispatch::ops::inbox(&state, &leroy).await.unwrap();
        assert!(inbox.iter().all(|i| i.request.id != sent.id), "the offers are withdrawn");
        db.drop_db().await;
    }
}
