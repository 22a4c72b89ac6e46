//! Shared SNP slots against both back-ends: opening, the slots that fit a request, one booking
//! per slot whatever the concurrency, the request booked with the slot, how it went.

use app::dispatch::rules::RequestStatus;
use app::platform::AppState;
use app::slots::ops;
use app::slots::rules::{BookingError, BookingStatus, OpenForm};
use app::slots::SlotsError;
use chrono::Duration;

use crate::support::{backends, member, seeded};

/// 14:00, 14:15 today (Monday 23 November 2026), at the practice.
pub fn two_this_afternoon() -> OpenForm {
    OpenForm {
        date: "2026-11-23".into(),
        start: "14:00".into(),
        count: "2".into(),
        minutes: "15".into(),
        mode: "office".into(),
        audience: "cpts".into(),
        ..OpenForm::default()
    }
}

/// A request of the coordination (a GP in Rennes, today), not pushed.
pub async fn request(state: &AppState) -> i64 {
    let coordinator = member(state, "coordination").await;
    let form = app::dispatch::rules::RequestForm {
        motive: "fever".into(),
        profession: "gp".into(),
        patient_name: "S. L.".into(),
        age_band: "16-64".into(),
        callback_phone: "06 12 34 56 78".into(),
        commune: "Rennes".into(),
        deadline: "today".into(),
        source: "patient_call".into(),
        ..Default::default()
    };
    app::dispatch::ops::create_request(state, &coordinator, form).await.unwrap()
}

pub async fn bookings(state: &AppState) -> i64 {
    let mut conn = state.store.reader().await.unwrap();
    sqlx::query_scalar("select count(*) from slot_booking").fetch_one(&mut *conn).await.unwrap()
}

#[tokio::test]
async fn two_bookings_of_one_slot_never_both_succeed() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let martin = member(&state, "dr.martin").await;
        let coordinator = member(&state, "coordination").await;
        assert_eq!(ops::open(&state, &martin, &two_this_afternoon()).await.unwrap(), 2);
        let (first, second) = (request(&state).await, request(&state).await);
        let fitting = ops::fitting(&state, &coordinator, first).await.unwrap();
        assert_eq!(fitting.len(), 2, "both free slots fit, soonest first");
        let slot = fitting[0].slot.id;
        // The coordination books the same slot for two requests at once (two tabs, two coordinators).
        let (a, b) =
            tokio::join!(ops::book(&state, &coordinator, first, slot), ops::book(&state, &coordinator, second, slot),);
        assert!(a.is_ok() != b.is_ok(), "{a:?} {b:?}");
        assert!(matches!(a.err().or(b.err()), Some(SlotsError::Booking(BookingError::Taken))));
        assert_eq!(bookings(&state).await, 1);
        let left = ops::fitting(&state, &coordinator, first).await.unwrap();
        assert_eq!(left.len(), 1, "the slot is gone for everyone else");
        assert_ne!(left[0].slot.id, slot);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn booking_a_request_into_a_slot_books_the_request_and_the_clinician_says_how_it_went() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let martin = member(&state, "dr.martin").await;
        let coordinator = member(&state, "coordination").await;
        ops::open(&state, &martin, &two_this_afternoon()).await.unwrap();
        let id = request(&state).await;
        app::dispatch::ops::push(&state, &coordinator, id).await.unwrap();
        let slot = ops::fitting(&state, &coordinator, id).await.unwrap()[0].slot.clone();
        ops::book(&state, &coordinator, id, slot.id).await.unwrap();
        let r = app::dispatch::ops::detail(&state, &coordinator, id).await.unwrap().item.request;
        assert_eq!(r.status, RequestStatus::Booked, "pushed, then booked: a request is pushed or booked");
        assert_eq!(r.accepted_by_name.as_deref(), Some("Dr Sophie Martin"));
        assert_eq!(r.appointment_at, Some(slot.starts_at));
        let leroy = member(&state, "dr.leroy").await;
        assert!(app::dispatch::ops::inbox(&state, &leroy).await.unwrap().is_empty(), "the offers are withdrawn");

        let page = ops::page(&state, &martin).await.unwrap();
        let booked = page.slots.iter().find(|s| s.id == slot.id).unwrap().booking.clone().unwrap();
        assert_eq!((booked.patient_name.as_str(), booked.callback_phone.as_str()), ("S. L.", "06 12 34 56 78"));
        assert!(!booked.can_record, "not before the slot");
        assert!(matches!(ops::record(&state, &martin, booked.id, false).await, Err(SlotsError::Conflict)));
        let leroy_says = ops::record(&state, &leroy, booked.id, false).await;
        assert!(matches!(leroy_says, Err(SlotsError::NotFound)), "only the slot's clinician");
        assert!(matches!(
            ops::close(&state, &martin, slot.id, false).await,
            Err(SlotsError::Booking(BookingError::Taken))
        ));

        clock.advance(Duration::hours(4) + Duration::minutes(5));
        ops::record(&state, &martin, booked.id, false).await.unwrap();
        let r = app::dispatch::ops::detail(&state, &coordinator, id).await.unwrap().item.request;
        assert_eq!(r.status, RequestStatus::NoShow);
        let seen_by_coordination = ops::page(&state, &coordinator).await.unwrap();
        assert_eq!(seen_by_coordination.no_shows.len(), 1);
        assert_eq!(seen_by_coordination.no_shows[0].booking.as_ref().unwrap().status, BookingStatus::NoShow);

        // After the retention period, the booking keeps its counts but not the patient.
        assert_eq!(app::slots::erase_old_patient_data(&state).await.unwrap(), 0);
        clock.advance(Duration::days(91));
        assert_eq!(app::slots::erase_old_patient_data(&state).await.unwrap(), 1);
        let mut conn = state.store.reader().await.unwrap();
        let (name, status): (String, String) =
            sqlx::query_as("select patient_name, status from slot_booking").fetch_one(&mut *conn).await.unwrap();
        assert_eq!((name.as_str(), status.as_str()), ("", "no_show"));
        drop(conn);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_free_slot_is_closed_or_removed_and_another_clinician_cannot_touch_it() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let martin = member(&state, "dr.martin").await;
        let leroy = member(&state, "dr.leroy").await;
        ops::open(&state, &martin, &two_this_afternoon()).await.unwrap();
        let slots = ops::page(&state, &martin).await.unwrap().slots;
        assert!(matches!(ops::close(&state, &leroy, slots[0].id, false).await, Err(SlotsError::NotFound)));
        ops::close(&state, &martin, slots[0].id, false).await.unwrap();
        ops::close(&state, &martin, slots[1].id, true).await.unwrap();
        let left = ops::page(&state, &martin).await.unwrap().slots;
        assert_eq!((left.len(), left[0].closed), (1, true));
        let coordinator = member(&state, "coordination").await;
        let id = request(&state).await;
        assert!(ops::fitting(&state, &coordinator, id).await.unwrap().is_empty());
        assert!(matches!(
            ops::book(&state, &coordinator, id, slots[0].id).await,
            Err(SlotsError::Booking(BookingError::Closed))
        ));
        db.drop_db().await;
    }
}
