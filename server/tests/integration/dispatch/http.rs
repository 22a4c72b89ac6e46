//! Dispatch over HTTP, with real sessions, as the browser and API clients call it.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{backends, spawn_app, TestDb};

#[tokio::test]
async fn a_bad_form_gets_field_errors_and_saves_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let form = json!({ "form": { "motive": "fever", "profession": "gp", "patient_name": "", "age_band": "16-64",
        "callback_phone": "12345", "commune": "Paris", "deadline": "today", "source": "patient_call" } });
    let (status, body) = app.call(&coord, "requests/create", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "invalid");
    let fields: Vec<&str> = body["detail"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["patient_name", "callback_phone", "commune"]);
    let (_, board) = app.call(&coord, "requests/board", json!({})).await;
    assert_eq!(board.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_red_flag_sends_to_the_15_and_pushes_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let form = json!({ "form": { "motive": "pain", "red_flags": ["chest_pain"], "profession": "gp", "patient_name": "A",
        "age_band": "65-79", "callback_phone": "0612345678", "commune": "Rennes", "deadline": "today", "source": "patient_call" } });
    let (status, body) = app.call(&coord, "requests/create", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "red_flags");
    assert_eq!(body["detail"], json!(["chest_pain"]));
    assert!(body["field"].is_null(), "{body}");
    assert!(body["message"].as_str().unwrap().contains("15"), "{body}");
    let (_, board) = app.call(&coord, "requests/board", json!({})).await;
    assert_eq!(board.as_array().unwrap().len(), 0);
    let mut conn = app.state.store.reader().await.unwrap();
    assert_eq!(app::platform::audit::count_audit(&mut conn, "red_flag_redirect", None).await.unwrap(), 1);
}

#[tokio::test]
async fn pushing_outside_opening_hours_points_to_the_pdsa() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({})).await;
    app.clock.advance(Duration::hours(11)); // 21:00
                                            // Eleven hours unused is past the idle time of a session: the coordinator logs in again.
    let coord = app.login("coordination").await;
    let (status, body) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "outside_opening_hours");
    let message = app::api::AppError::OutsideOpeningHours.message();
    assert!(message.contains("116 117"), "{message}");
}

#[tokio::test]
async fn push_accept_and_the_board_end_to_end() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({ "patient_name": "Lucie" })).await;
    let (status, detail) = app.call(&coord, "requests/detail", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK);
    let panel: Vec<&str> = detail["next_panel"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["excluded"].is_null())
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(panel.len(), 3, "panel before pushing: {panel:?}");
    let (status, pushed) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK, "{pushed}");
    assert_eq!(pushed["offered"], 3);

    let martin = app.login("dr.martin").await;
    let leroy = app.login("dr.leroy").await;
    let (_, inbox) = app.call(&martin, "offers/inbox", json!({})).await;
    let offer = &inbox[0];
    assert_eq!(offer["request"]["id"], id);
    assert!(offer["request"]["patient"].is_null(), "no patient identity before accepting: {offer}");
    let (status, won) = app.call(&martin, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(won["result"], "won");
    assert_eq!(won["request"]["patient"]["name"], "Lucie");
    assert_eq!(won["request"]["patient"]["callback_phone"], "06 12 34 56 78");
    let (status, second) = app.call(&leroy, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second["result"], "already_taken");
    let (_, inbox) = app.call(&leroy, "offers/inbox", json!({})).await;
    assert_eq!(inbox.as_array().unwrap().len(), 0, "the offer disappeared");

    let (_, board) = app.call(&coord, "requests/board", json!({})).await;
    assert_eq!(board[0]["request"]["status"], "accepted");
    assert_eq!(board[0]["request"]["accepted_by_name"], "Dr Sophie Martin");
    let states: Vec<&str> =
        board[0]["offers"].as_array().unwrap().iter().map(|o| o["state"].as_str().unwrap()).collect();
    assert_eq!(states.iter().filter(|s| **s == "accepted").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "withdrawn").count(), 2);

    // Outcome: an appointment, then done.
    let (status, booked) = app
        .call(
            &martin,
            "requests/outcome",
            json!({ "request_id": id, "outcome": "booked", "appointment_at": "2026-11-23T11:30", "mode": "office" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{booked}");
    assert_eq!(booked["status"], "booked");
    let (status, body) = app
        .call(&martin, "requests/outcome", json!({ "request_id": id, "outcome": "booked", "appointment_at": "demain" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, done) = app.call(&martin, "requests/outcome", json!({ "request_id": id, "outcome": "done" })).await;
    assert_eq!((status, done["status"].as_str()), (StatusCode::OK, Some("done")));
    let (status, again) =
        app.call(&martin, "requests/outcome", json!({ "request_id": id, "outcome": "no_show" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["code"], "illegal");

    // The timeline has every step.
    let (_, detail) = app.call(&coord, "requests/detail", json!({ "request_id": id })).await;
    let kinds: Vec<&str> = detail["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for kind in
        ["request_created", "offer_sent", "request_pushed", "offer_accepted", "offer_withdrawn", "outcome_recorded"]
    {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    // Leroy may not read the patient's details.
    let (status, _) = app.call(&leroy, "requests/detail", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refusal_with_a_reason_is_shown_to_the_coordinator() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({})).await;
    app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    let bernard = app.login("dr.bernard").await;
    let (status, _) = app.call(&bernard, "offers/refuse", json!({ "request_id": id, "reason": "no_slot" })).await;
    assert_eq!(status, StatusCode::OK);
    let (_, board) = app.call(&coord, "requests/board", json!({})).await;
    let refused =
        board[0]["offers"].as_array().unwrap().iter().find(|o| o["member_name"] == "Dr Inès Bernard").unwrap().clone();
    assert_eq!((refused["state"].as_str(), refused["refusal_reason"].as_str()), (Some("refused"), Some("no_slot")));
    let (status, body) = app.call(&bernard, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

/// Fifty clinicians, fifty sessions, fifty simultaneous taps on "Accepter": one winner,
/// forty-nine clean "already taken", no server error. On both back-ends.
#[tokio::test]
async fn fifty_concurrent_accepts_over_http_make_one_winner() {
    for db in backends().await {
        let app = spawn_app(&db, 50).await;
        let coord = app.login("coordination").await;
        let id = app.create_request(&coord, json!({})).await;
        let (status, pushed) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
        assert_eq!(status, StatusCode::OK, "{pushed}");
        let mut clients = vec![];
        for i in 0..50 {
            clients.push(app.login(&format!("bench.gp{i:04}")).await);
        }
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(clients.len()));
        let tasks: Vec<_> = clients
            .into_iter()
            .map(|c| {
                let base = app.base.clone();
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    let res = c
                        .post(format!("{base}/api/offers/accept"))
                        .header("accept", "application/json")
                        .json(&json!({ "request_id": id }))
                        .send()
                        .await
                        .unwrap();
                    let status = res.status();
                    (status, res.json::<serde_json::Value>().await.unwrap())
                })
            })
            .collect();
        let mut results = vec![];
        for t in tasks {
            results.push(t.await.unwrap());
        }
        assert!(results.iter().all(|(s, _)| *s == StatusCode::OK), "{}: {results:?}", db.url);
        let won = results.iter().filter(|(_, b)| b["result"] == "won").count();
        let taken = results.iter().filter(|(_, b)| b["result"] == "already_taken").count();
        assert_eq!((won, taken), (1, 49), "{}", db.url);
        app.state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_clinician_may_not_cancel_a_request_and_bad_choices_are_named() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({})).await;
    app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    let martin = app.login("dr.martin").await;
    let (status, body) = app.call(&martin, "offers/refuse", json!({ "request_id": id, "reason": "bogus" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0], json!(["reason", "unknown_choice"]));
    app.call(&martin, "offers/accept", json!({ "request_id": id })).await;
    let (status, _) = app.call(&martin, "requests/outcome", json!({ "request_id": id, "outcome": "cancelled" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .call(
            &martin,
            "requests/outcome",
            json!({ "request_id": id, "outcome": "booked", "appointment_at": "2020-01-01T10:00", "mode": "car" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"], json!([["appointment_at", "in_past"], ["mode", "unknown_choice"]]));
    let (status, body) = app.call(&coord, "requests/create", json!({ "form": { "patient_name": "A\u{0}B" } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["detail"].as_array().unwrap().contains(&json!(["patient_name", "invalid_characters"])), "{body}");
}

#[tokio::test]
async fn a_request_past_its_deadline_cannot_be_pushed() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({ "deadline": "today" })).await;
    app.clock.advance(Duration::days(1)); // Tuesday 10:00, yesterday's "today" is over
    let coord = app.login("coordination").await; // yesterday's session has expired
    let (status, body) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "deadline_passed");
}
