//! SMS through an HTTP gateway (a local receiver standing for it): the last reminder before a
//! vacation reaches the member's mobile as they chose, after their quiet hours.

use std::sync::{Arc, Mutex};

use app::members::dto::{NoticeChoice, ProfileInput};
use app::members::rules::{Channels, Notice};
use app::planning::ops as planning;
use app::planning::reminders;
use app::planning::rules::{GenerateForm, GroupRule};
use app::platform::clock::ManualClock;
use app::platform::mail::{HttpSms, Mailer, Notifier, SmsCredentials, SmsGateway};
use axum::http::HeaderMap;
use chrono::Duration;

use crate::support::{backends, member, monday_10am, test_settings, NowUtc};

/// What the gateway received: (authorization header, body).
type Received = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

async fn gateway() -> (String, Received) {
    let received: Received = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/sms/send",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let sink = sink.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                sink.lock().unwrap().push((auth, serde_json::from_str(&body).unwrap_or_default()));
                "{\"status\":\"queued\"}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, received)
}

#[tokio::test]
async fn the_last_reminder_goes_by_sms_through_the_gateway_after_quiet_hours() {
    let (base, received) = gateway().await;
    for db in backends().await {
        received.lock().unwrap().clear();
        let sms = HttpSms::new(SmsGateway {
            url_template: format!("{base}/sms/send"),
            body_template: Some(r#"{"to":"{to}","message":"{text}","sender":"Relais"}"#.into()),
            credentials: SmsCredentials::Bearer("jeton-passerelle".into()),
        });
        let notifier = Notifier { mailer: Mailer::disabled(), sms: Arc::new(sms) };
        let clock = Arc::new(ManualClock::new(monday_10am()));
        let state = server::app_state_with(&db.url, test_settings(), clock.clone(), notifier).await.unwrap();
        server::seed::seed_demo(&state.store, clock.now_utc(), 0).await.unwrap();
        let admin = member(&state, "admin").await;
        let martin = member(&state, "dr.martin").await;
        let leroy = member(&state, "dr.leroy").await;
        // Dr Martin: a mobile and quiet hours over lunch; Dr Leroy: a mobile, reminders without SMS.
        let profile = |quiet: (&str, &str)| ProfileInput {
            phone: "06 12 34 56 78".into(),
            quiet_start: quiet.0.into(),
            quiet_end: quiet.1.into(),
            ..Default::default()
        };
        app::members::ops::save_profile(&state, &martin, &profile(("12:30", "13:30"))).await.unwrap();
        app::members::ops::save_profile(&state, &leroy, &profile(("", ""))).await.unwrap();
        let no_sms =
            NoticeChoice { notice: Notice::Reminder, channels: Channels { push: true, email: true, sms: false } };
        app::members::ops::save_preferences(&state, &leroy, &[no_sms]).await.unwrap();
        let p = planning::create_planning(&state, &admin, "SMS", 48).await.unwrap();
        planning::create_group(&state, &admin, p, "GP", "profession", GroupRule::default(), &[martin.id, leroy.id])
            .await
            .unwrap();
        let form = GenerateForm {
            kind: "snp_office".into(),
            weekdays: vec!["2".into()],
            hours: "14:00-18:00".into(),
            from: "2026-11-24".into(),
            to: "2026-11-24".into(),
            capacity: "2".into(),
            skip_holidays: String::new(),
            self_service: "on".into(),
        };
        planning::generate(&state, &admin, p, &form).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let v =
            app::planning::store::planning_vacations(&mut conn, p, monday_10am(), monday_10am() + Duration::days(2))
                .await
                .unwrap()[0]
                .vacation
                .id;
        drop(conn);
        planning::take(&state, &martin, v).await.unwrap();
        planning::take(&state, &leroy, v).await.unwrap();
        // The day before: e-mail and push, no SMS (only the last reminder may go by SMS).
        clock.set(monday_10am() + Duration::hours(4));
        reminders::tick(&state).await.unwrap();
        assert!(received.lock().unwrap().is_empty());
        // Tuesday 13:00 (Paris), an hour before: Dr Martin's quiet hours hold the SMS until 13:30.
        clock.set(monday_10am() + Duration::hours(27));
        reminders::tick(&state).await.unwrap();
        assert!(received.lock().unwrap().is_empty(), "held by quiet hours");
        clock.set(monday_10am() + Duration::hours(27) + Duration::minutes(31));
        assert_eq!(reminders::send_due_sms(&state).await.unwrap(), 1);
        assert_eq!(reminders::send_due_sms(&state).await.unwrap(), 0, "once");
        let got = received.lock().unwrap().clone();
        assert_eq!(got.len(), 1, "Dr Leroy chose no SMS: {got:?}");
        let (auth, body) = &got[0];
        assert_eq!(auth, "Bearer jeton-passerelle");
        assert_eq!(body["to"], "+33612345678");
        assert!(body["message"].as_str().unwrap().starts_with("Rappel : vous êtes de garde dans une heure"), "{body}");
        state.store.close().await;
        db.drop_db().await;
    }
}
