//! Pharmacy teleconsultations over HTTP, with real sessions: the room's door for the
//! pharmacist, the doctor, a third member, another CPTS and after expiry; the video service's
//! token; bad input.

use app::teleconsult::rules::JitsiAuth;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{email, spawn_app, spawn_app_with, test_settings, NowUtc, TestApp, TestDb};

fn send_form() -> Value {
    json!({ "form": {
        "motive": "renewal", "patient_name": "A. B.", "age_band": "65-79",
        "callback_phone": "06 22 33 44 55", "note": "Traitement terminé hier", "consent": "on",
    } })
}

/// A client logged in as `login` that does not follow redirects (to read where the room's door
/// sends it).
async fn door_client(app: &TestApp, login: &str) -> reqwest::Client {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let (status, body) =
        app.call(&client, "auth/login", json!({ "email": email(login), "password": app::DEMO_PASSWORD })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    client
}

/// `GET /teleconsultation/{id}`: the status, where it redirects, the page's text.
async fn knock(app: &TestApp, client: &reqwest::Client, id: i64) -> (StatusCode, Option<String>, String) {
    let res = client.get(format!("{}/teleconsultation/{id}", app.base)).send().await.unwrap();
    let status = res.status();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    (status, location, res.text().await.unwrap())
}

async fn sent_and_accepted(app: &TestApp) -> (i64, reqwest::Client) {
    let pharmacist = door_client(app, "ph.moreau").await;
    let (status, sent) = app.call(&pharmacist, "teleconsult/send", send_form()).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["offered"], 2, "{sent}");
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(knock(app, &pharmacist, id).await.0, StatusCode::CONFLICT, "nobody accepted yet");
    let leroy = app.login("dr.leroy").await;
    let (status, won) = app.call(&leroy, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!((status, won["result"].as_str()), (StatusCode::OK, Some("won")), "{won}");
    let bernard = app.login("dr.bernard").await;
    let (_, second) = app.call(&bernard, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!(second["result"], "already_taken", "{second}");
    (id, pharmacist)
}

#[tokio::test]
async fn the_room_opens_for_its_pharmacist_and_its_doctor_only_and_not_after_thirty_minutes() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let (id, pharmacist) = sent_and_accepted(&app).await;

    let (status, room, _) = knock(&app, &pharmacist, id).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let room = room.unwrap();
    assert!(room.starts_with("https://meet.jit.si/relais-"), "{room}");
    let doctor = door_client(&app, "dr.leroy").await;
    assert_eq!(knock(&app, &doctor, id).await.1.as_deref(), Some(room.as_str()), "one room for both");

    // The room's address travels in no page data: only the door knows it.
    let name = room.rsplit('/').next().unwrap();
    let (_, view) = app.call(&pharmacist, "teleconsult/view", json!({ "request_id": id })).await;
    assert_eq!(view["doctor_name"], "Dr Paul Leroy", "{view}");
    assert_eq!(view["room"]["state"], "open", "{view}");
    let (_, cases) = app.call(&doctor, "cases/mine", json!({})).await;
    assert!(!view.to_string().contains(name) && !cases.to_string().contains(name));
    for (login, expected) in [("dr.bernard", StatusCode::FORBIDDEN), ("coordination", StatusCode::FORBIDDEN)] {
        let (status, location, page) = knock(&app, &door_client(&app, login).await, id).await;
        assert_eq!((status, location), (expected, None), "{login}: {page}");
        assert!(page.contains("réservé au pharmacien et au médecin"), "{page}");
    }
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let (status, location, page) = knock(&app, &anonymous, id).await;
    assert_eq!((status, location), (StatusCode::UNAUTHORIZED, None));
    assert!(page.contains("Connectez-vous"), "{page}");
    for (_, other) in crate::platform::tenancy::other_cpts(&app).await {
        let (status, location, _) = knock(&app, &other, id).await;
        assert_eq!((status, location), (StatusCode::NOT_FOUND, None), "another CPTS learns nothing");
        let (status, _) = app.call(&other, "teleconsult/view", json!({ "request_id": id })).await;
        assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{status}");
    }

    app.clock.advance(Duration::minutes(30));
    let (status, location, page) = knock(&app, &pharmacist, id).await;
    assert_eq!((status, location), (StatusCode::GONE, None));
    assert!(page.contains("Lien expiré"), "{page}");
    assert_eq!(knock(&app, &doctor, id).await.0, StatusCode::GONE);
}

#[tokio::test]
async fn with_a_jitsi_secret_the_room_link_carries_a_short_lived_token_for_the_room_and_the_user() {
    use jwt_simple::prelude::*;
    let db = TestDb::sqlite();
    let mut settings = test_settings();
    settings.teleconsult.room_url = "https://visio.example.org/{room}".into();
    let secret = "un-secret-partage-de-trente-deux-octets";
    settings.teleconsult.jitsi = Some(JitsiAuth { app_id: "relais".into(), secret: secret.into() });
    let app = spawn_app_with(&db, 0, settings).await;
    let (id, pharmacist) = sent_and_accepted(&app).await;
    let (status, room, _) = knock(&app, &pharmacist, id).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let room = room.unwrap();
    let (address, token) = room.split_once("?jwt=").expect("a token");
    let name = address.strip_prefix("https://visio.example.org/").unwrap();

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Jitsi {
        room: String,
        context: serde_json::Value,
    }
    let key = HS256Key::from_bytes(secret.as_bytes());
    // The test clock is in the past: check the window against it, not against this machine's.
    let options = VerificationOptions {
        time_tolerance: Some(jwt_simple::prelude::Duration::from_days(365)),
        allowed_audiences: Some(std::collections::HashSet::from(["jitsi".to_string()])),
        allowed_issuers: Some(std::collections::HashSet::from(["relais".to_string()])),
        ..Default::default()
    };
    let claims = key.verify_token::<Jitsi>(token, Some(options)).expect("signed with the shared secret");
    assert_eq!(claims.custom.room, name);
    assert_eq!(claims.custom.context["user"]["name"], "Julie Moreau");
    assert_eq!(claims.subject.as_deref(), Some("visio.example.org"));
    let now = u64::try_from(app.clock.now_utc().timestamp()).unwrap();
    assert_eq!(claims.invalid_before.unwrap().as_secs(), now);
    assert_eq!(claims.expires_at.unwrap().as_secs(), now + 30 * 60, "valid as long as the link");
}

#[tokio::test]
async fn a_bad_form_gets_french_errors_and_sends_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let pharmacist = app.login("ph.moreau").await;
    let (status, counter) = app.call(&pharmacist, "teleconsult/counter", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{counter}");
    assert_eq!((counter["available"].as_u64(), counter["commune"].as_str()), (Some(2), Some("Chantepie")));

    let mut form = send_form();
    form["form"]["consent"] = json!("");
    let (status, body) = app.call(&pharmacist, "teleconsult/send", form.clone()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")), "{body}");
    assert_eq!(body["detail"], json!([["consent", "required"]]));
    assert_eq!(body["message"], "Consentement du patient à la téléconsultation : Ce champ est obligatoire.");
    form["form"]["callback_phone"] = json!("12");
    let (_, body) = app.call(&pharmacist, "teleconsult/send", form).await;
    assert_eq!(body["detail"], json!([["callback_phone", "invalid_phone"], ["consent", "required"]]));

    let mut form = send_form();
    form["form"]["red_flags"] = json!(["chest_pain"]);
    let (status, body) = app.call(&pharmacist, "teleconsult/send", form).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("red_flags")), "{body}");

    let gp = app.login("dr.martin").await;
    let (status, _) = app.call(&gp, "teleconsult/counter", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a GP has no counter");
    let (_, after) = app.call(&pharmacist, "teleconsult/counter", json!({})).await;
    assert_eq!(after["today"], json!([]), "nothing was sent");
}

#[tokio::test]
async fn nobody_in_time_the_pharmacist_widens_once_then_orients_the_patient() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let pharmacist = app.login("ph.moreau").await;
    let (_, sent) = app.call(&pharmacist, "teleconsult/send", send_form()).await;
    let id = sent["id"].as_i64().unwrap();
    // Five minutes for the doctors near the pharmacy, ten for every one of the CPTS.
    app.clock.advance(Duration::minutes(5));
    app::dispatch::tick(&app.state).await.unwrap();
    app.clock.advance(Duration::minutes(10));
    app::dispatch::tick(&app.state).await.unwrap();
    let (_, view) = app.call(&pharmacist, "teleconsult/view", json!({ "request_id": id })).await;
    assert_eq!((view["nobody_in_time"].as_bool(), view["can_rewiden"].as_bool()), (Some(true), Some(true)), "{view}");
    let (status, body) = app.call(&pharmacist, "teleconsult/rewiden", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call(&pharmacist, "teleconsult/rewiden", json!({ "request_id": id })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("already_rewidened")), "{body}");
    let (status, body) =
        app.call(&pharmacist, "teleconsult/orient", json!({ "request_id": id, "reoriented_to": "mars" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) =
        app.call(&pharmacist, "teleconsult/orient", json!({ "request_id": id, "reoriented_to": "sas" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, view) = app.call(&pharmacist, "teleconsult/view", json!({ "request_id": id })).await;
    assert_eq!((view["status"].as_str(), view["reoriented_to"].as_str()), (Some("reoriented"), Some("sas")));
}
