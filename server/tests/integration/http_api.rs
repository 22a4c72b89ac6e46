//! The server functions over HTTP, with real sessions, as the browser and API clients call them.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{backends, email, spawn_app, TestDb};

#[tokio::test]
async fn a_wrong_password_is_refused_in_french_and_repeated_failures_are_throttled() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    let bad = json!({ "email": email("dr.martin"), "password": "wrong" });
    let (status, body) = app.call(&client, "auth/login", bad.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "bad_credentials");
    for _ in 0..4 {
        app.call(&client, "auth/login", bad.clone()).await;
    }
    // Five failures: even the right password now waits.
    let good = json!({ "email": email("dr.martin"), "password": app::DEMO_PASSWORD });
    let (status, body) = app.call(&client, "auth/login", good.clone()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    app.clock.advance(Duration::minutes(16));
    let (status, _) = app.call(&client, "auth/login", good).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_rotated_at_login() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    let creds = json!({ "email": email("dr.martin"), "password": app::DEMO_PASSWORD });
    let first = client.post(format!("{}/api/auth/login", app.base)).json(&creds).send().await.unwrap();
    let cookie1 = first.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie1.contains("HttpOnly") && cookie1.contains("SameSite=Lax"), "{cookie1}");
    let second = client.post(format!("{}/api/auth/login", app.base)).json(&creds).send().await.unwrap();
    let cookie2 = second.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert_ne!(cookie1, cookie2, "a new token at each login");
    let (status, me) = app.call(&client, "auth/me", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["display_name"], "Dr Sophie Martin");
    app.call(&client, "auth/logout", json!({})).await;
    let (_, me) = app.call(&client, "auth/me", json!({})).await;
    assert!(me.is_null(), "logged out: {me}");
}

#[tokio::test]
async fn roles_are_checked_on_every_server_function() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let anonymous = app.client();
    let (status, body) = app.call(&anonymous, "requests/board", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let gp = app.login("dr.martin").await;
    let (status, _) = app.call(&gp, "requests/board", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.call(&gp, "requests/create", json!({ "form": { "motive": "fever" } })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call(&gp, "offers/accept", json!({ "request_id": "not a number" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "malformed input is the caller's fault: {body}");
    let coord = app.login("coordination").await;
    let (status, _) = app.call(&coord, "offers/accept", json!({ "request_id": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bad_form_gets_field_errors_and_saves_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let form = json!({ "form": { "motive": "fever", "profession": "gp", "patient_name": "", "age_band": "16-64",
        "callback_phone": "12345", "commune": "Paris", "deadline": "today", "source": "patient_call" } });
    let (status, body) = app.call(&coord, "requests/create", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid");
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
    assert_eq!(body, json!({ "error": "red_flags", "detail": ["chest_pain"] }));
    let (_, board) = app.call(&coord, "requests/board", json!({})).await;
    assert_eq!(board.as_array().unwrap().len(), 0);
    let mut conn = app.state.store.reader().await.unwrap();
    assert_eq!(app::backend::store::count_audit(&mut conn, "red_flag_redirect", None).await.unwrap(), 1);
}

#[tokio::test]
async fn pushing_outside_opening_hours_points_to_the_pdsa() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({})).await;
    app.clock.advance(Duration::hours(11)); // 21:00
    let (status, body) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "outside_opening_hours");
    let message = app::api::error::AppError::OutsideOpeningHours.message();
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
    assert_eq!(again["error"], "illegal");

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
async fn pages_render_on_the_server_without_javascript() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let anonymous = app.client();
    let page = anonymous.get(format!("{}/connexion", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Se connecter") && page.contains("coordination@demo.relais.test"), "login page");
    let redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = redirect.get(format!("{}/coordination", app.base)).header("accept", "text/html").send().await.unwrap();
    assert!(res.status().is_redirection(), "a stranger is sent to the login page: {}", res.status());
    // A plain form post (no JavaScript) logs in and redirects.
    let form = [("email", email("coordination")), ("password", app::DEMO_PASSWORD.to_string())];
    let res = redirect
        .post(format!("{}/api/auth/login", app.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/connexion", app.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers().get("location").unwrap(), "/");
    assert!(res.headers().get("set-cookie").is_some());
}

#[test]
fn every_endpoint_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let code: String = ["mod.rs", "planning.rs"]
        .iter()
        .map(|f| std::fs::read_to_string(root.join("app/src/api").join(f)).unwrap())
        .collect();
    let docs = std::fs::read_to_string(root.join("docs/api.md")).unwrap();
    let endpoints: Vec<&str> = code.split("endpoint = \"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert!(endpoints.len() >= 28, "{endpoints:?}");
    for e in endpoints {
        assert!(docs.contains(&format!("`{e}`")), "docs/api.md does not list {e}");
    }
}

#[tokio::test]
async fn parallel_password_guesses_are_all_counted() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let client = app.client();
            let base = app.base.clone();
            tokio::spawn(async move {
                client
                    .post(format!("{base}/api/auth/login"))
                    .json(&json!({ "email": email("dr.petit"), "password": format!("guess{i}") }))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut statuses = vec![];
    for g in guesses {
        statuses.push(g.await.unwrap());
    }
    let wrong = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let throttled = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((wrong, throttled), (5, 15), "{statuses:?}");
}

#[tokio::test]
async fn a_forged_forwarded_for_header_does_not_reset_the_limit() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    for i in 0..5 {
        let res = client
            .post(format!("{}/api/auth/login", app.base))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .json(&json!({ "email": email("dr.roux"), "password": "nope" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let mut conn = app.state.store.reader().await.unwrap();
    let ips: Vec<String> =
        sqlx::query_scalar("select distinct ip from login_failure").fetch_all(&mut *conn).await.unwrap();
    assert_eq!(ips, vec!["127.0.0.1".to_string()], "the socket address is recorded, not the header");
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
    assert_eq!(body["error"], "deadline_passed");
}

/// Two clinicians tap "Prendre" on the last place at the same instant, over HTTP.
#[tokio::test]
async fn concurrent_takes_of_the_last_place_over_http_make_one_holder() {
    for db in backends().await {
        let app = spawn_app(&db, 20).await;
        let admin = app.login("admin").await;
        let (status, planning) =
            app.call(&admin, "plannings/create", json!({ "name": "Course", "notice_hours": "48" })).await;
        assert_eq!(status, StatusCode::OK, "{planning}");
        let members: Vec<i64> = {
            let mut conn = app.state.store.reader().await.unwrap();
            let (cpts, _) = app::backend::store::first_cpts(&mut conn).await.unwrap().unwrap();
            app::backend::store::members(&mut conn, cpts)
                .await
                .unwrap()
                .iter()
                .filter(|m| m.email.starts_with("bench."))
                .map(|m| m.id)
                .collect()
        };
        let (status, body) = app
            .call(
                &admin,
                "plannings/add_group",
                json!({ "planning_id": planning, "name": "Tous", "dimension": "profession", "member_ids": members }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let form = json!({ "kind": "snp_office", "weekdays": ["3"], "hours": "14:00-18:00", "from": "2026-11-25", "to": "2026-11-25", "capacity": "1", "self_service": "on" });
        let (status, body) =
            app.call(&admin, "plannings/generate", json!({ "planning_id": planning, "form": form })).await;
        assert_eq!((status, body.clone()), (StatusCode::OK, json!(1)), "{body}");
        let (_, view) = app
            .call(&admin, "plannings/view", json!({ "planning_id": planning, "from": "2026-11-23", "days": 7 }))
            .await;
        let vacation = view["vacations"][0]["id"].as_i64().unwrap();
        let mut clients = vec![];
        for i in 0..20 {
            clients.push(app.login(&format!("bench.gp{i:04}")).await);
        }
        let tasks: Vec<_> = clients
            .into_iter()
            .map(|c| {
                let base = app.base.clone();
                tokio::spawn(async move {
                    let res = c
                        .post(format!("{base}/api/vacations/take"))
                        .json(&json!({ "vacation_id": vacation }))
                        .send()
                        .await
                        .unwrap();
                    (res.status(), res.json::<serde_json::Value>().await.unwrap())
                })
            })
            .collect();
        let mut results = vec![];
        for t in tasks {
            results.push(t.await.unwrap());
        }
        let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
        let full = results.iter().filter(|(s, b)| *s == StatusCode::CONFLICT && b["detail"]["rule"] == "full").count();
        assert_eq!((ok, full), (1, 19), "{}: {results:?}", db.url);
        app.state.store.close().await;
        db.drop_db().await;
    }
}
