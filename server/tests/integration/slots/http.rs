//! Shared SNP slots over HTTP, with real sessions: a GP opens slots, the coordination books one
//! from a request; bad input; a race of two coordinators.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{spawn_app, TestDb};

#[tokio::test]
async fn a_gp_opens_slots_and_the_coordination_books_one_from_a_request() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let form = json!({ "form": {
        "date": "2026-11-23", "start": "14:00", "count": "2", "minutes": "15", "mode": "office", "audience": "cpts",
    } });
    let (status, body) = app.call(&gp, "slots/open", form).await;
    assert_eq!((status, body.as_u64()), (StatusCode::OK, Some(2)), "{body}");
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({})).await;
    let (status, fitting) = app.call(&coord, "slots/fitting", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK, "{fitting}");
    let slot = fitting[0]["slot"]["id"].as_i64().unwrap();
    let (status, body) = app.call(&gp, "slots/book", json!({ "request_id": id, "slot_id": slot })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the coordination books: {body}");

    let other = app.create_request(&coord, json!({})).await;
    let (a, b) = tokio::join!(
        app.call(&coord, "slots/book", json!({ "request_id": id, "slot_id": slot })),
        app.call(&coord, "slots/book", json!({ "request_id": other, "slot_id": slot })),
    );
    let statuses = [a.0, b.0];
    assert!(statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::CONFLICT), "{a:?} {b:?}");
    let refused = if a.0 == StatusCode::CONFLICT { a.1 } else { b.1 };
    assert_eq!((refused["code"].as_str(), refused["detail"].as_str()), (Some("slot"), Some("taken")), "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("vient d'être réservé"), "{refused}");

    let (_, page) = app.call(&gp, "slots/page", json!({})).await;
    let booked: Vec<_> = page["slots"].as_array().unwrap().iter().filter(|s| !s["booking"].is_null()).collect();
    assert_eq!(booked.len(), 1, "{page}");
    assert_eq!(booked[0]["booking"]["patient_name"], "J. D.");
}

#[tokio::test]
async fn a_bad_slot_form_gets_french_errors_and_opens_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let form = json!({ "form": {
        "date": "2026-11-22", "start": "14:00", "count": "40", "minutes": "15", "mode": "office", "audience": "everyone",
    } });
    let (status, body) = app.call(&gp, "slots/open", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"], json!([["count", "out_of_range"], ["audience", "unknown_choice"]]), "{body}");
    let form = json!({ "form": {
        "date": "2026-11-22", "start": "14:00", "count": "2", "minutes": "15", "mode": "office", "audience": "cpts",
    } });
    let (_, body) = app.call(&gp, "slots/open", form).await;
    assert_eq!(body["detail"], json!([["date", "in_past"]]), "{body}");
    assert_eq!(body["message"], "Jour : Ce moment est déjà passé.");
    let (_, page) = app.call(&gp, "slots/page", json!({})).await;
    assert_eq!(page["slots"], json!([]));
}
