//! Dental emergencies against both back-ends: routing from the rota, one answer per version,
//! the 24-hour job, retention.

use app::dental::ops;
use app::dental::rules::forms::{ReferralForm, SolutionForm};
use app::dental::store as ds;
use app::dental::DentalError;
use app::platform::audit::count_audit;
use app::platform::AppState;
use chrono::Duration;

use crate::support::{backends, member, seeded, NowUtc};

async fn form(state: &AppState) -> ReferralForm {
    let gp = member(state, "dr.martin").await;
    let grid = ops::referral_form(state, &gp).await.unwrap().criteria;
    let of = |kind: &str| grid.iter().find(|c| c.kind.code() == kind).unwrap().id.to_string();
    ReferralForm {
        criteria: vec![of("inclusion"), of("condition")],
        patient_name: "L. M.".into(),
        age_band: "16-64".into(),
        callback_phone: "0611223344".into(),
        commune: "Rennes".into(),
        note: "molaire".into(),
    }
}

async fn audits(state: &AppState, kind: &str) -> i64 {
    let mut conn = state.store.reader().await.unwrap();
    count_audit(&mut conn, kind, None).await.unwrap()
}

#[tokio::test]
async fn a_referral_goes_to_the_next_held_morning_and_is_answered_once() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let gp = member(&state, "dr.martin").await;
        let durand = member(&state, "dr.durand").await;
        let referred = ops::refer(&state, &gp, &form(&state).await).await.unwrap();
        assert_eq!(referred.dentist_name, "Dr Hugo Durand", "Monday 10:00: Tuesday's morning");
        assert_eq!(referred.due_at - referred.seen_from, Duration::hours(24));
        let answer = SolutionForm { solution: "phone_advice".into(), ..SolutionForm::default() };
        let detail = ops::referral(&state, &durand, referred.id).await.unwrap();
        let (a, b) = tokio::join!(
            ops::answer(&state, &durand, referred.id, detail.version, &answer),
            ops::answer(&state, &durand, referred.id, detail.version, &answer),
        );
        assert!(a.is_ok() != b.is_ok(), "{a:?} {b:?}");
        assert!(matches!(a.err().or(b.err()), Some(DentalError::Conflict)));
        assert_eq!(audits(&state, "dental_answered").await, 1);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_job_reminds_four_hours_before_alerts_at_the_deadline_and_only_once() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let gp = member(&state, "dr.martin").await;
        let referred = ops::refer(&state, &gp, &form(&state).await).await.unwrap();
        let flags = || async {
            let mut conn = state.store.reader().await.unwrap();
            let r = ds::referral(&mut conn, referred.id).await.unwrap().unwrap();
            (r.reminded, r.alerted)
        };
        clock.set(referred.due_at - Duration::hours(4) - Duration::minutes(1));
        ops::tick(&state).await.unwrap();
        assert_eq!(flags().await, (false, false));
        clock.set(referred.due_at - Duration::hours(4));
        assert!(ops::tick(&state).await.unwrap() >= 1);
        assert_eq!(flags().await, (true, false));
        let (reminders, alerts) = (audits(&state, "dental_reminded").await, audits(&state, "dental_overdue").await);
        assert_eq!(ops::tick(&state).await.unwrap(), 0, "reminded once");
        clock.set(referred.due_at);
        assert!(ops::tick(&state).await.unwrap() >= 1);
        assert_eq!(flags().await, (true, true));
        assert_eq!(ops::tick(&state).await.unwrap(), 0, "alerted once");
        assert_eq!(audits(&state, "dental_reminded").await, reminders);
        assert!(audits(&state, "dental_overdue").await > alerts);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn patient_data_of_closed_referrals_is_erased_after_retention_and_the_count_stays() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let gp = member(&state, "dr.martin").await;
        let durand = member(&state, "dr.durand").await;
        let referred = ops::refer(&state, &gp, &form(&state).await).await.unwrap();
        let v = ops::referral(&state, &durand, referred.id).await.unwrap().version;
        ops::record_outcome(&state, &durand, referred.id, v, "seen").await.unwrap();
        clock.set(clock.now_utc() + Duration::days(89));
        assert_eq!(ops::erase_old_patient_data(&state).await.unwrap(), 0);
        clock.set(clock.now_utc() + Duration::days(2));
        assert_eq!(ops::erase_old_patient_data(&state).await.unwrap(), 1);
        let mut conn = state.store.reader().await.unwrap();
        let r = ds::referral(&mut conn, referred.id).await.unwrap().unwrap();
        assert_eq!((r.patient_name.as_str(), r.callback_phone.as_str(), r.note.as_str()), ("", "", ""));
        assert_eq!(r.commune, "Rennes", "what the indicators count stays");
        drop(conn);
        db.drop_db().await;
    }
}
