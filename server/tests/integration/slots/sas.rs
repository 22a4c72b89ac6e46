//! The SAS's side of shared slots against both back-ends: what its search sees, its bookings and
//! cancellations, its regulators, and a race with the coordination on one slot.

use app::platform::AppState;
use app::slots::fhir::rules::{
    AppointmentIn, AppointmentStatus, Includes, RegulatorIn, SlotSearch, RPPS_SYSTEM, SAS_SYSTEM,
};
use app::slots::ops::{self, sas::SasClient};
use chrono::{DateTime, Duration, Utc};

use super::contract::two_this_afternoon;
use crate::support::{backends, member, seeded, NowUtc};

/// The demo's RPPS of Dr Leroy and Dr Bernard (see `server::seed::demo_rpps`).
fn leroy_and_bernard() -> Vec<String> {
    vec![server::seed::demo_rpps(3), server::seed::demo_rpps(4)]
}

async fn client_of(state: &AppState) -> SasClient {
    let admin = member(state, "admin").await;
    let issued = ops::clients::issue(state, &admin, "Plateforme SAS 35").await.unwrap();
    ops::sas::authenticate(state, &issued.token).await.unwrap().expect("a live token")
}

fn regulator(value: &str, system: &str, active: bool) -> RegulatorIn {
    RegulatorIn {
        identifier: (system.into(), value.into()),
        family: "Loridon".into(),
        given: "Sébastien".into(),
        email: "s.loridon@sas.test".into(),
        active,
    }
}

fn appointment(id: &str, rpps: &str, start: DateTime<Utc>) -> AppointmentIn {
    AppointmentIn {
        identifier: ("urn:oid:1.1.111".into(), id.into()),
        status: AppointmentStatus::Booked,
        start,
        end: Some(start + Duration::minutes(15)),
        rpps: rpps.into(),
        operator: Some((RPPS_SYSTEM.into(), "3456780581/11242343".into())),
        slot_id: None,
        patient: String::new(),
    }
}

fn three_days(state: &AppState, rpps: Vec<String>) -> SlotSearch {
    let now = state.now();
    SlotSearch { from: now, to: now + Duration::days(3), rpps, includes: Includes::default() }
}

#[tokio::test]
async fn the_sas_sees_free_slots_open_to_it_books_one_and_frees_it_by_cancelling() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let client = client_of(&state).await;
        let (_, clinicians, slots) =
            ops::sas::search(&state, client, &three_days(&state, leroy_and_bernard())).await.unwrap();
        // Dr Leroy's slot for the CPTS only is not among them.
        assert_eq!(slots.len(), 4, "{slots:?}");
        assert_eq!(clinicians.len(), 2);
        ops::sas::save_regulator(&state, client, None, &regulator("3456780581/11242343", RPPS_SYSTEM, true))
            .await
            .unwrap();

        let first = &slots[0];
        let rpps = clinicians.iter().find(|c| c.member_id == first.member_id).unwrap().rpps.clone();
        let a = appointment("rdv-1", &rpps, first.starts_at);
        let (booking, created) = ops::sas::book(&state, client, &a).await.unwrap();
        assert!(created);
        assert_eq!(ops::sas::book(&state, client, &a).await.unwrap(), (booking, false), "a retry books nothing more");
        let (_, _, after) = ops::sas::search(&state, client, &three_days(&state, leroy_and_bernard())).await.unwrap();
        assert_eq!(after.len(), 3);
        assert!(after.iter().all(|s| s.id != first.id));
        // Another identifier on the same slot: taken.
        let e = ops::sas::book(&state, client, &appointment("rdv-2", &rpps, first.starts_at)).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.code == "conflict" && p.status == 422), "{e:?}");

        let cancel = AppointmentIn { status: AppointmentStatus::Cancelled, ..a.clone() };
        assert_eq!(ops::sas::update(&state, client, &a.identifier, &cancel).await.unwrap(), (booking, false));
        let (_, _, freed) = ops::sas::search(&state, client, &three_days(&state, leroy_and_bernard())).await.unwrap();
        assert_eq!(freed.len(), 4, "the cancelled slot is free again");
        let (made, standing) = ops::sas::recent_bookings(&state, client.cpts_id).await.unwrap();
        assert_eq!((made, standing), (1, 0));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_unknown_or_withdrawn_regulator_books_nothing_and_another_cpts_sees_nothing() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let client = client_of(&state).await;
        let (_, clinicians, slots) =
            ops::sas::search(&state, client, &three_days(&state, leroy_and_bernard())).await.unwrap();
        let rpps = &clinicians[0].rpps;
        let e = ops::sas::book(&state, client, &appointment("rdv-1", rpps, slots[0].starts_at)).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.status == 422), "{e:?}");
        ops::sas::save_regulator(&state, client, None, &regulator("3456780581/11242343", RPPS_SYSTEM, false))
            .await
            .unwrap();
        let e = ops::sas::book(&state, client, &appointment("rdv-1", rpps, slots[0].starts_at)).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.code == "business-rule"), "withdrawn: {e:?}");

        // A client of another CPTS, even with this CPTS's RPPS and times, sees and books nothing.
        let other = {
            let mut tx = state.store.begin().await.unwrap();
            let cpts = app::members::store::create_cpts(&mut tx, "CPTS voisine", state.now()).await.unwrap();
            app::slots::store::sas::set_finess(&mut tx, cpts, "350099999").await.unwrap();
            let admin = member(&state, "admin").await;
            let hash = ops::sas::token_hash("voisine");
            let id = app::slots::store::sas::insert_client(&mut tx, cpts, "SAS", &hash, admin.id, state.now())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            SasClient { id, cpts_id: cpts }
        };
        assert_eq!(ops::sas::authenticate(&state, "voisine").await.unwrap(), Some(other));
        let (_, _, seen) = ops::sas::search(&state, other, &three_days(&state, leroy_and_bernard())).await.unwrap();
        assert!(seen.is_empty());
        ops::sas::save_regulator(&state, other, None, &regulator("3456780581/11242343", RPPS_SYSTEM, true))
            .await
            .unwrap();
        let e = ops::sas::book(&state, other, &appointment("rdv-9", rpps, slots[0].starts_at)).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.code == "not-found"), "{e:?}");
        // Nor by naming the slot itself.
        let by_reference =
            AppointmentIn { slot_id: Some(slots[0].id), ..appointment("rdv-10", rpps, slots[0].starts_at) };
        let e = ops::sas::book(&state, other, &by_reference).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.code == "not-found"), "{e:?}");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_regulator_sent_twice_is_one_account_and_keeps_it_when_its_identifier_changes() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let client = client_of(&state).await;
        let sas_id = regulator("b6e39355-8a61-4556-b340-36f7b95fec6a", SAS_SYSTEM, true);
        let (id, created) = ops::sas::save_regulator(&state, client, None, &sas_id).await.unwrap();
        assert!(created);
        assert_eq!(ops::sas::save_regulator(&state, client, None, &sas_id).await.unwrap(), (id, false));
        // The regulator's national identifier arrives: the same account, now known by it.
        let national = regulator("3456780581/11242343", RPPS_SYSTEM, true);
        assert_eq!(
            ops::sas::save_regulator(&state, client, Some(&sas_id.identifier), &national).await.unwrap(),
            (id, false)
        );
        let admin = member(&state, "admin").await;
        let page = ops::clients::page(&state, &admin, "http://x/fhir".into()).await.unwrap();
        assert_eq!(page.regulators.len(), 1);
        assert_eq!(page.regulators[0].identifier, format!("{RPPS_SYSTEM}|3456780581/11242343"));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_coordination_and_the_sas_never_both_book_one_slot() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let martin = member(&state, "dr.martin").await;
        let coordinator = member(&state, "coordination").await;
        let form = app::slots::rules::OpenForm { audience: "sas".into(), ..two_this_afternoon() };
        ops::open(&state, &martin, &form).await.unwrap();
        let client = client_of(&state).await;
        ops::sas::save_regulator(&state, client, None, &regulator("3456780581/11242343", RPPS_SYSTEM, true))
            .await
            .unwrap();
        let request = super::contract::request(&state).await;
        let slot = ops::fitting(&state, &coordinator, request).await.unwrap()[0].slot.clone();
        let a = appointment("rdv-race", &server::seed::demo_rpps(2), slot.starts_at);
        let (coordination, sas) =
            tokio::join!(ops::book(&state, &coordinator, request, slot.id), ops::sas::book(&state, client, &a));
        assert!(coordination.is_ok() != sas.is_ok(), "exactly one wins: {coordination:?} {sas:?}");
        assert_eq!(super::contract::bookings(&state).await, 1);
        assert!(clock.now_utc() < slot.starts_at);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn once_the_slot_has_begun_the_sas_says_how_it_went_once_and_again_changes_nothing() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let client = client_of(&state).await;
        ops::sas::save_regulator(&state, client, None, &regulator("3456780581/11242343", RPPS_SYSTEM, true))
            .await
            .unwrap();
        let (_, clinicians, slots) =
            ops::sas::search(&state, client, &three_days(&state, leroy_and_bernard())).await.unwrap();
        let (first, second) = (&slots[0], &slots[1]);
        let rpps = |s: &app::slots::fhir::resources::SlotInfo| {
            clinicians.iter().find(|c| c.member_id == s.member_id).unwrap().rpps.clone()
        };
        let a = appointment("rdv-a", &rpps(first), first.starts_at);
        let b = appointment("rdv-b", &rpps(second), second.starts_at);
        let (booking, _) = ops::sas::book(&state, client, &a).await.unwrap();
        ops::sas::book(&state, client, &b).await.unwrap();
        let fulfilled = AppointmentIn { status: AppointmentStatus::Fulfilled, ..a.clone() };
        let e = ops::sas::update(&state, client, &a.identifier, &fulfilled).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.status == 422), "before the slot: {e:?}");
        clock.advance(second.starts_at - state.now() + Duration::minutes(20));
        assert_eq!(ops::sas::update(&state, client, &a.identifier, &fulfilled).await.unwrap(), (booking, false));
        assert_eq!(
            ops::sas::update(&state, client, &a.identifier, &fulfilled).await.unwrap(),
            (booking, false),
            "again"
        );
        let no_show = AppointmentIn { status: AppointmentStatus::NoShow, ..b.clone() };
        ops::sas::update(&state, client, &b.identifier, &no_show).await.unwrap();
        let e = ops::sas::update(&state, client, &a.identifier, &no_show).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.code == "invalid"), "identifiers differ: {e:?}");
        let cancel_done = AppointmentIn { status: AppointmentStatus::Cancelled, ..a.clone() };
        let e = ops::sas::update(&state, client, &a.identifier, &cancel_done).await.unwrap_err();
        assert!(matches!(e, app::slots::SlotsError::Sas(ref p) if p.code == "business-rule"), "closed: {e:?}");
        let mut conn = state.store.reader().await.unwrap();
        let statuses: Vec<String> =
            sqlx::query_scalar("select status from slot_booking order by id").fetch_all(&mut *conn).await.unwrap();
        assert_eq!(statuses, ["honoured", "no_show"]);
        drop(conn);
        db.drop_db().await;
    }
}
