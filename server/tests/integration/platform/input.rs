//! Bad input is refused, never bent: a clear JSON error, and nothing changed.

use reqwest::header::HeaderValue;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{spawn_app, TestApp, TestDb};

async fn board_len(app: &TestApp, coord: &reqwest::Client) -> usize {
    app.call(coord, "requests/board", json!({})).await.1.as_array().map(Vec::len).unwrap_or_default()
}

fn valid_form() -> Value {
    json!({
        "motive": "fever", "profession": "gp", "patient_name": "J. D.", "age_band": "16-64",
        "callback_phone": "06 12 34 56 78", "commune": "Rennes", "deadline": "today", "source": "patient_call",
    })
}

#[tokio::test]
async fn an_idempotency_key_that_is_not_plain_ascii_is_refused_not_ignored() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let before = board_len(&app, &coord).await;
    for key in [HeaderValue::from_bytes("clé-offline-0001".as_bytes()).unwrap(), HeaderValue::from_static("")] {
        for _ in 0..2 {
            let res = coord
                .post(format!("{}/api/requests/create", app.base))
                .header("accept", "application/json")
                .header("idempotency-key", key.clone())
                .json(&json!({ "form": valid_form() }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["code"], "invalid", "{body}");
            assert_eq!(body["detail"][0][0], "idempotency_key", "{body}");
        }
    }
    assert_eq!(board_len(&app, &coord).await, before, "nothing created, not even once");
}

#[tokio::test]
async fn an_availability_outside_zero_to_twelve_hours_is_refused() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.petit").await;
    for hours in [13, -1, 24, 1000] {
        let (status, body) = app.call(&gp, "members/availability", json!({ "hours": hours })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{hours}: {body}");
        assert_eq!(body["detail"][0], json!(["available_hours", "out_of_range"]), "{body}");
        assert_eq!(body["field"], "available_hours", "{body}");
        assert_eq!(
            body["message"], "Durée de disponibilité (0 à 12 heures) : Valeur hors des limites permises.",
            "{body}"
        );
    }
    let (_, me) = app.call(&gp, "auth/me", json!({})).await;
    assert!(me["available_until"].is_null(), "nothing changed: {me}");
    let (status, _) = app.call(&gp, "members/availability", json!({ "hours": 12 })).await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = app.call(&gp, "auth/me", json!({})).await;
    assert!(me["available_until"].is_string(), "{me}");
}

#[tokio::test]
async fn bidirectional_overrides_in_free_text_are_refused() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let before = board_len(&app, &coord).await;
    for (field, value) in
        [("patient_name", "J\u{202E}87 65"), ("note", "rappeler \u{2066}06\u{2069}"), ("patient_name", "A\u{202A}B")]
    {
        let mut form = valid_form();
        form[field] = json!(value);
        let (status, body) = app.call(&coord, "requests/create", json!({ "form": form })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(body["detail"].as_array().unwrap().contains(&json!([field, "invalid_characters"])), "{body}");
    }
    assert_eq!(board_len(&app, &coord).await, before);
    let admin = app.login("admin").await;
    let (status, body) = app.call(&admin, "plannings/create", json!({ "name": "Gardes \u{202E}WS" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0], json!(["name", "invalid_characters"]));
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_unread_and_answered_in_json() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let big = "x".repeat(3 << 20);
    let as_json = coord
        .post(format!("{}/api/requests/create", app.base))
        .header("accept", "application/json")
        .json(&json!({ "form": { "note": big } }))
        .send()
        .await
        .unwrap();
    let as_form = coord
        .post(format!("{}/api/requests/create", app.base))
        .header("accept", "application/json")
        .form(&[("form[note]", big.as_str())])
        .send()
        .await
        .unwrap();
    for res in [as_json, as_form] {
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "too_large", "{body}");
    }
}

/// Any JSON value, a little nested, with the strings an attacker would try (controls, bidi
/// overrides, very long ones, numbers as text).
fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e12f64..1e12).prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
        "[0-9 ]{0,12}|on|yes|no|cession|exchange|booked|done|gp|fever|Rennes|https://fcm.googleapis.com/x"
            .prop_map(Value::String),
        "\\PC{0,3}[\u{202A}-\u{202E}\u{0000}-\u{001F}]\\PC{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,16}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Arbitrary JSON thrown at every server function, anonymously and as each role: never a server
/// error, and a refused call leaves the audit trail (which every change writes to) as it was.
#[tokio::test]
async fn arbitrary_json_at_every_server_function_never_breaks_the_server_nor_stores_anything_refused() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    const ARGS: &[&str] = &[
        "request_id",
        "vacation_id",
        "member_id",
        "planning_id",
        "group_id",
        "change_id",
        "device_id",
        "hours",
        "days",
        "from",
        "notice_hours",
        "name",
        "dimension",
        "kind",
        "accept",
        "outcome",
        "appointment_at",
        "mode",
        "reoriented_to",
        "reason",
        "to_member_id",
        "counter_vacation_id",
        "endpoint",
        "p256dh",
        "auth",
        "label",
        "max_per_week",
        "max_per_month",
        "max_share_percent",
        "member_ids",
        "form",
    ];
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let callers =
        [app.client(), app.login("dr.martin").await, app.login("coordination").await, app.login("admin").await];
    // Logging in and out change the callers themselves; they have their own tests.
    let endpoints: Vec<&str> = crate::platform::http::access_table()
        .into_iter()
        .map(|(e, _)| e)
        .filter(|e| !matches!(*e, "auth/login" | "auth/logout"))
        .collect();
    let body = (
        0..endpoints.len(),
        0..callers.len(),
        proptest::collection::btree_map(proptest::sample::select(ARGS), arbitrary_json(), 0..6),
    );
    let mut runner = TestRunner::deterministic();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for _ in 0..400 {
        let (e, c, args) = body.new_tree(&mut runner).expect("a case").current();
        let (endpoint, caller) = (endpoints[e], &callers[c]);
        let args: Value = Value::Object(args.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        let audit_before = audit_rows(&app).await;
        let (status, answer) = app.call(caller, endpoint, args.clone()).await;
        assert!(!status.is_server_error(), "{endpoint} with {args} as caller {c}: {status} {answer}");
        *statuses.entry(status.as_u16()).or_default() += 1;
        if status.is_client_error() {
            assert_eq!(audit_rows(&app).await, audit_before, "{endpoint} refused {args} yet changed something");
        }
    }
    // The cases reach the functions themselves, not only their argument parsing.
    for reached in [200, 401, 403, 422] {
        assert!(statuses.contains_key(&reached), "no call answered {reached}: {statuses:?}");
    }
}

async fn audit_rows(app: &TestApp) -> i64 {
    let mut conn = app.state.store.reader().await.unwrap();
    sqlx::query_scalar("select count(*) from audit_event").fetch_one(&mut *conn).await.unwrap()
}

/// Whoever refuses — a server function, the CSRF check, the body limit, the content-type check,
/// the JSON reader — the caller gets the same object: a stable code, the field (or null) and a
/// French message.
#[tokio::test]
async fn every_refusal_answers_code_field_and_message_in_json() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let anonymous = app.client();
    let url = format!("{}/api/requests/create", app.base);
    let mut form = valid_form();
    form["callback_phone"] = json!("12");
    let cases = [
        ("unauthenticated", anonymous.post(format!("{}/api/requests/board", app.base)).json(&json!({}))),
        ("forbidden", coord.post(&url).header("origin", "https://ailleurs.example").json(&json!({ "form": form }))),
        ("too_large", coord.post(&url).json(&json!({ "form": { "note": "x".repeat(2 << 20) } }))),
        ("request", coord.post(&url).header("content-type", "application/json").body("{ pas du json")),
        ("invalid", coord.post(&url).json(&json!({ "form": form }))),
    ];
    for (code, call) in cases {
        let res = call.header("accept", "application/json").send().await.unwrap();
        let status = res.status();
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{code}");
        let body: Value = res.json().await.unwrap();
        assert!(status.is_client_error(), "{code}: {status}");
        assert_eq!(body["code"], code, "{body}");
        assert!(body.get("field").is_some(), "{code}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{code}: {body}");
    }
    let res =
        coord.post(&url).header("accept", "application/json").json(&json!({ "form": form })).send().await.unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["field"], "callback_phone", "{body}");
    assert_eq!(body["message"], "Téléphone de rappel : Numéro français attendu, par exemple 06 12 34 56 78.");
    assert_eq!(board_len(&app, &coord).await, 0, "nothing was created");
}

/// A database that is away is answered at once with 503 in JSON, never a hang and never "not
/// logged in" (which would send a phone back to the login page).
#[tokio::test]
async fn a_database_that_is_away_is_answered_503_in_json() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let gp = app.login("dr.petit").await;
    app.state.store.close().await;
    for (who, endpoint) in [(&coord, "requests/board"), (&gp, "offers/inbox"), (&coord, "requests/create")] {
        let (status, body) = app.call(who, endpoint, json!({ "form": valid_form() })).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{endpoint}: {body}");
        assert_eq!(body["code"], "unavailable", "{body}");
        assert!(body["message"].as_str().unwrap().contains("indisponible"), "{body}");
    }
    let live = gp.get(format!("{}/api/live", app.base)).send().await.unwrap();
    assert_eq!(live.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(live.json::<Value>().await.unwrap()["code"], "unavailable");
}
