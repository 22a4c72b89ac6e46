//! Dental emergencies over HTTP, with real sessions: refer through the grid, the dentist of the
//! day answers, the referrer sees it; who may see what; bad input; the hand-over race.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{spawn_app, TestApp, TestDb};

/// The ids of the grid's criteria of `kind`.
async fn criteria(app: &TestApp, client: &reqwest::Client, kind: &str) -> Vec<String> {
    let (status, form) = app.call(client, "dental/form", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    form["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .map(|c| c["id"].as_i64().unwrap().to_string())
        .collect()
}

async fn referral_form(app: &TestApp, client: &reqwest::Client) -> Value {
    let inclusion = criteria(app, client, "inclusion").await;
    let condition = criteria(app, client, "condition").await;
    json!({ "form": {
        "criteria": [inclusion[0].clone(), condition[0].clone()],
        "patient_name": "L. M.", "age_band": "16-64", "callback_phone": "06 11 22 33 44", "commune": "Rennes",
        "note": "molaire",
    } })
}

async fn referrals_seen_by(app: &TestApp, client: &reqwest::Client) -> usize {
    let (status, rota) = app.call(client, "dental/rota", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{rota}");
    rota["referrals"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_gp_refers_the_dentist_of_the_day_answers_and_the_gp_sees_the_solution() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let dentist = app.login("dr.durand").await;
    let before = referrals_seen_by(&app, &dentist).await;
    let (status, referred) = app.call(&gp, "dental/refer", referral_form(&app, &gp).await).await;
    assert_eq!(status, StatusCode::OK, "{referred}");
    assert_eq!(referred["dentist_name"], "Dr Hugo Durand", "Tuesday's dentist: {referred}");
    let id = referred["id"].as_i64().unwrap();
    assert_eq!(referrals_seen_by(&app, &dentist).await, before + 1);

    let (status, detail) = app.call(&dentist, "dental/referral", json!({ "referral_id": id })).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["patient"]["callback_phone"], "+33611223344");
    assert_eq!(detail["can_answer"], true);
    let version = detail["version"].as_i64().unwrap();
    let solution = json!({ "referral_id": id, "version": version, "form": {
        "solution": "appointment", "appointment_at": "2026-11-24T09:15", "place": "Cabinet Durand, Rennes" } });
    let (status, body) = app.call(&dentist, "dental/answer", solution.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call(&dentist, "dental/answer", solution).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "answered once: {body}");

    let (_, seen) = app.call(&gp, "dental/referral", json!({ "referral_id": id })).await;
    assert_eq!(seen["summary"]["status"], "answered");
    assert_eq!(seen["solution"]["kind"], "appointment");
    assert_eq!(seen["solution"]["place"], "Cabinet Durand, Rennes");
    assert_eq!(seen["can_answer"], false);
    let kinds: Vec<&str> = seen["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["dental_referred", "dental_answered"]);

    let version = seen["version"].as_i64().unwrap();
    let (status, body) =
        app.call(&gp, "dental/outcome", json!({ "referral_id": id, "version": version, "outcome": "seen" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the dentist records the outcome: {body}");
    let (status, body) =
        app.call(&dentist, "dental/outcome", json!({ "referral_id": id, "version": version, "outcome": "seen" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, closed) = app.call(&gp, "dental/referral", json!({ "referral_id": id })).await;
    assert_eq!((closed["summary"]["status"].as_str(), closed["outcome"].as_str()), (Some("closed"), Some("seen")));
}

#[tokio::test]
async fn an_exclusion_sign_or_a_case_that_is_not_urgent_saves_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let before = referrals_seen_by(&app, &gp).await;
    let mut form = referral_form(&app, &gp).await;
    let exclusion = criteria(&app, &gp, "exclusion").await;
    form["form"]["criteria"].as_array_mut().unwrap().push(json!(exclusion[1]));
    let (status, body) = app.call(&gp, "dental/refer", form).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("call_the_15")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("15"), "{body}");
    assert_eq!(body["detail"].as_array().unwrap().len(), 1, "the sign is named: {body}");

    let mut form = referral_form(&app, &gp).await;
    form["form"]["criteria"].as_array_mut().unwrap().truncate(1);
    let (status, body) = app.call(&gp, "dental/refer", form).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("not_urgent")), "{body}");
    assert_eq!(referrals_seen_by(&app, &gp).await, before);
}

#[tokio::test]
async fn bad_patient_fields_get_one_french_error_each_and_save_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let before = referrals_seen_by(&app, &gp).await;
    let mut form = referral_form(&app, &gp).await;
    form["form"]["callback_phone"] = json!("12");
    form["form"]["commune"] = json!("Paris");
    form["form"]["patient_name"] = json!("A\u{202E}B");
    let (status, body) = app.call(&gp, "dental/refer", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["detail"],
        json!([
            ["patient_name", "invalid_characters"],
            ["callback_phone", "invalid_phone"],
            ["commune", "unknown_choice"]
        ])
    );
    let mut form = referral_form(&app, &gp).await;
    form["form"]["criteria"] = json!(["999999"]);
    let (status, body) = app.call(&gp, "dental/refer", form).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("criteria")), "{body}");
    assert_eq!(referrals_seen_by(&app, &gp).await, before);
}

#[tokio::test]
async fn only_the_referrer_the_dentist_and_the_coordination_read_a_referral() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let (_, referred) = app.call(&gp, "dental/refer", referral_form(&app, &gp).await).await;
    let id = referred["id"].as_i64().unwrap();
    for (login, expected) in [
        ("dr.martin", StatusCode::OK),
        ("dr.durand", StatusCode::OK),
        ("coordination", StatusCode::OK),
        ("ph.moreau", StatusCode::NOT_FOUND),
        ("dr.leroy", StatusCode::NOT_FOUND),
    ] {
        let client = app.login(login).await;
        let (status, body) = app.call(&client, "dental/referral", json!({ "referral_id": id })).await;
        assert_eq!(status, expected, "{login}: {body}");
        if expected != StatusCode::OK {
            assert!(!body.to_string().contains("+33611223344"), "{login}: {body}");
        }
    }
    // A nurse may not refer until the CPTS says so.
    let nurse = app.login("inf.simon").await;
    let (status, _) = app.call(&nurse, "dental/form", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let (status, body) =
        app.call(&admin, "dental/referrers", json!({ "professions": ["gp", "pharmacist", "dentist", "nurse"] })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.call(&nurse, "dental/refer", referral_form(&app, &nurse).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn two_coordinators_handing_over_one_referral_at_once_make_one_hand_over() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let (_, referred) = app.call(&gp, "dental/refer", referral_form(&app, &gp).await).await;
    let id = referred["id"].as_i64().unwrap();
    let coord = app.login("coordination").await;
    let admin = app.login("admin").await;
    let (_, detail) = app.call(&coord, "dental/referral", json!({ "referral_id": id })).await;
    let version = detail["version"].as_i64().unwrap();
    let to: Vec<i64> = detail["reassign_to"].as_array().unwrap().iter().map(|d| d[0].as_i64().unwrap()).collect();
    assert!(to.len() >= 2, "other rota dentists to hand it to: {detail}");
    let (a, b) = tokio::join!(
        app.call(&coord, "dental/reassign", json!({ "referral_id": id, "version": version, "dentist_id": to[0] })),
        app.call(&admin, "dental/reassign", json!({ "referral_id": id, "version": version, "dentist_id": to[1] })),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    let (_, after) = app.call(&coord, "dental/referral", json!({ "referral_id": id })).await;
    let kinds: Vec<&str> = after["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["dental_referred", "dental_reassigned"]);
    let (status, _) = app
        .call(&gp, "dental/reassign", json!({ "referral_id": id, "version": version + 1, "dentist_id": to[0] }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a clinician does not hand over");
}

#[tokio::test]
async fn a_dentist_takes_a_weekday_morning_every_week_under_the_one_morning_a_week_rule() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let dentist = app.login("dr.renard").await;
    let (_, rota) = app.call(&dentist, "dental/rota", json!({})).await;
    let monday = |m: &&Value| {
        let at = chrono::DateTime::parse_from_rfc3339(m["starts_at"].as_str().unwrap()).unwrap();
        chrono::Datelike::weekday(&at.with_timezone(&chrono_tz::Europe::Paris)) == chrono::Weekday::Mon
    };
    let free = rota["mornings"].as_array().unwrap().iter().filter(monday).find(|m| m["can_take"] == true).cloned();
    let free = free.expect("a free Monday morning");
    let (status, taken) = app.call(&dentist, "dental/take_weekly", json!({ "vacation_id": free["vacation_id"] })).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    // Mondays 30/11, 14/12 and 21/12; not 7/12: Dr Renard holds Friday 11/12, one morning a week.
    assert_eq!(taken, json!([3, 1]), "this morning and the same one the following weeks");
    let (_, rota) = app.call(&dentist, "dental/rota", json!({})).await;
    let mine = rota["mornings"].as_array().unwrap().iter().filter(|m| m["mine"] == true).count();
    assert!(mine >= 3, "{rota}");
    let other = app.login("dr.fabre").await;
    let (status, body) = app.call(&other, "vacations/take", json!({ "vacation_id": free["vacation_id"] })).await;
    assert_eq!(status, StatusCode::CONFLICT, "the morning is held: {body}");
}

#[tokio::test]
async fn the_admin_edits_the_grid_and_referrers_see_it_at_once() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let gp = app.login("dr.martin").await;
    let (status, body) = app.call(&admin, "dental/grid_add", json!({ "label": "  ", "kind": "inclusion" })).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("label")), "{body}");
    let (status, body) = app.call(&admin, "dental/grid_add", json!({ "label": "Abcès", "kind": "urgent" })).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")), "{body}");
    let (status, id) =
        app.call(&admin, "dental/grid_add", json!({ "label": "Abcès avec fièvre", "kind": "exclusion" })).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    assert!(criteria(&app, &gp, "exclusion").await.contains(&id.to_string()));
    // Ticking the new sign stops a referral.
    let mut form = referral_form(&app, &gp).await;
    form["form"]["criteria"].as_array_mut().unwrap().push(json!(id.to_string()));
    let (status, body) = app.call(&gp, "dental/refer", form).await;
    assert_eq!((status, body["detail"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(["Abcès avec fièvre"])));
    let (status, _) = app.call(&admin, "dental/grid_remove", json!({ "criterion_id": id })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!criteria(&app, &gp, "exclusion").await.contains(&id.to_string()));
    let (status, _) = app.call(&admin, "dental/grid_remove", json!({ "criterion_id": id })).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "removed once");
    let (_, grid) = app.call(&admin, "dental/grid", json!({})).await;
    assert_eq!(grid["referrer_professions"], json!(["gp", "pharmacist", "dentist"]));
}
