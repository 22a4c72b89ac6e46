//! The SAS interface over HTTP: the admin issues a token; the SAS searches, books, cancels, sends
//! its regulators; without a live token, with another CPTS's, with bad parameters or bodies it
//! gets an OperationOutcome (4xx, never a 500); a race with the coordination ends in one booking.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{spawn_app, TestApp, TestDb};

const RPPS: &str = "urn:oid:1.2.250.1.71.4.2.1";

fn prefixed(index: usize) -> String {
    format!("8{}", server::seed::demo_rpps(index))
}

/// Dr Leroy's and Dr Bernard's slots over the next three days, with every include.
fn search_url(app: &TestApp, actors: &str) -> String {
    format!(
        "{}/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference\
         &_include:iterate=HealthcareService:organization&start=ge2026-11-23T10:00:00%2B01:00\
         &start=le2026-11-26T10:00:00%2B01:00&schedule.actor:Practitioner.identifier={actors}&status=free",
        app.base
    )
}

fn leroy_and_bernard() -> String {
    format!("{RPPS}|{},{RPPS}|{}", prefixed(3), prefixed(4))
}

async fn token(app: &TestApp) -> String {
    let admin = app.login("admin").await;
    let (status, issued) = app.call(&admin, "slots/client_issue", json!({ "name": "Plateforme SAS 35" })).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    issued["token"].as_str().unwrap().to_string()
}

async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let res = req.send().await.expect("request");
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)), headers)
}

fn regulator() -> Value {
    json!({
        "resourceType": "Practitioner",
        "meta": { "source": "urn:oid:1.2.250.1.213.3.6" },
        "identifier": [{ "type": { "coding": [{ "system": "http://interopsante.org/fhir/CodeSystem/fr-v2-0203", "code": "IDNPS" }] },
            "system": RPPS, "value": "3456780581/11242343" }],
        "active": true,
        "name": [{ "family": "Loridon", "given": ["Sébastien"] }],
        "telecom": [{ "system": "email", "value": "sebastien.loridon@test.com" }],
    })
}

fn appointment(id: &str, rpps: &str, start: &str) -> Value {
    json!({
        "resourceType": "Appointment",
        "extension": [{ "url": "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator",
            "valueReference": { "identifier": { "system": RPPS, "value": "3456780581/11242343" } } }],
        "identifier": [{ "system": "urn:oid:1.1.111.1.11.1.1.1", "value": id }],
        "status": "booked",
        "start": start,
        "participant": [{ "actor": { "identifier": { "system": RPPS, "value": rpps } }, "status": "accepted" }],
    })
}

fn fhir_json(req: reqwest::RequestBuilder, token: &str, body: &Value) -> reqwest::RequestBuilder {
    req.bearer_auth(token).header("content-type", "application/fhir+json").body(body.to_string())
}

#[tokio::test]
async fn the_sas_searches_books_and_cancels_with_the_token_the_admin_issued() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let token = token(&app).await;
    let http = reqwest::Client::new();
    let (status, bundle, headers) = send(http.get(search_url(&app, &leroy_and_bernard())).bearer_auth(&token)).await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    assert_eq!(headers["content-type"], "application/fhir+json; charset=utf-8");
    assert_eq!((bundle["type"].as_str(), bundle["total"].as_u64()), (Some("searchset"), Some(4)), "{bundle}");
    let kinds: Vec<&str> =
        bundle["entry"].as_array().unwrap().iter().map(|e| e["resource"]["resourceType"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "Practitioner").count(), 2);
    assert_eq!(kinds.last(), Some(&"Organization"));
    let org = &bundle["entry"].as_array().unwrap().last().unwrap()["resource"];
    assert_eq!(org["identifier"][0]["value"], "1350012345");
    let first = &bundle["entry"][0]["resource"];
    let start = first["start"].as_str().unwrap().to_string();

    let (status, body, headers) =
        send(fhir_json(http.post(format!("{}/fhir/Practitioner", app.base)), &token, &regulator())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(headers["location"].to_str().unwrap().contains("/fhir/Practitioner/regulator-"));
    let (status, _, _) =
        send(fhir_json(http.post(format!("{}/fhir/Practitioner", app.base)), &token, &regulator())).await;
    assert_eq!(status, StatusCode::OK, "sent twice: one account");

    // Dr Leroy's first slot, as the guide's Appointment names it: the practitioner and the time.
    let rdv = appointment("rdv-1", &prefixed(3), &start);
    let (status, body, headers) =
        send(fhir_json(http.post(format!("{}/fhir/Appointment", app.base)), &token, &rdv)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap();
    assert_eq!(headers["location"].to_str().unwrap(), format!("{}/fhir/Appointment/{id}", app.base));
    let (_, after, _) = send(http.get(search_url(&app, &leroy_and_bernard())).bearer_auth(&token)).await;
    assert_eq!(after["total"], 3);

    // The clinician sees the SAS's booking on "Mes créneaux SNP".
    let leroy = app.login("dr.leroy").await;
    let (_, page) = app.call(&leroy, "slots/page", json!({})).await;
    let booked: Vec<&Value> = page["slots"].as_array().unwrap().iter().filter(|s| !s["booking"].is_null()).collect();
    assert_eq!((booked.len(), booked[0]["booking"]["source"].as_str()), (1, Some("sas")), "{page}");

    // A second appointment on the same slot: refused, with an OperationOutcome.
    let (status, outcome, _) = send(fhir_json(
        http.post(format!("{}/fhir/Appointment", app.base)),
        &token,
        &appointment("rdv-2", &prefixed(3), &start),
    ))
    .await;
    assert_eq!(
        (status, outcome["issue"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("conflict")),
        "{outcome}"
    );

    let mut cancelled = rdv.clone();
    cancelled["status"] = json!("cancelled");
    let put = format!("{}/fhir/Appointment?identifier=urn:oid:1.1.111.1.11.1.1.1%7Crdv-1", app.base);
    let (status, body, headers) = send(fhir_json(http.put(&put), &token, &cancelled)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(headers.contains_key("location"));
    let (_, freed, _) = send(http.get(search_url(&app, &leroy_and_bernard())).bearer_auth(&token)).await;
    assert_eq!(freed["total"], 4, "the cancelled slot is free again");

    let admin = app.login("admin").await;
    let (_, sas) = app.call(&admin, "slots/sas", json!({})).await;
    assert_eq!((sas["sas_booked"].as_i64(), sas["sas_standing"].as_i64()), (Some(1), Some(0)), "{sas}");
    assert_eq!(sas["regulators"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn without_a_live_token_the_sas_gets_401_and_a_revoked_one_opens_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let http = reqwest::Client::new();
    let url = search_url(&app, &leroy_and_bernard());
    let (status, outcome, headers) = send(http.get(&url)).await;
    assert_eq!((status, outcome["resourceType"].as_str()), (StatusCode::UNAUTHORIZED, Some("OperationOutcome")));
    assert_eq!(headers["www-authenticate"], "Bearer");
    let (status, _, _) = send(http.get(&url).bearer_auth("relais_sas_made-up")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let token = token(&app).await;
    let admin = app.login("admin").await;
    let (_, page) = app.call(&admin, "slots/sas", json!({})).await;
    let client_id = page["clients"][0]["id"].as_i64().unwrap();
    assert_eq!(send(http.get(&url).bearer_auth(&token)).await.0, StatusCode::OK);
    let (status, body) = app.call(&admin, "slots/client_revoke", json!({ "client_id": client_id })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, outcome, _) = send(http.get(&url).bearer_auth(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(outcome["issue"][0]["diagnostics"], "Jeton d'accès inconnu ou révoqué.");
    let post = fhir_json(http.post(format!("{}/fhir/Practitioner", app.base)), &token, &regulator());
    assert_eq!(send(post).await.0, StatusCode::UNAUTHORIZED);

    // Only an admin issues tokens.
    let coordinator = app.login("coordination").await;
    let (status, _) = app.call(&coordinator, "slots/client_issue", json!({ "name": "x" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_calls_get_an_operation_outcome_never_a_500() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let token = token(&app).await;
    let http = reqwest::Client::new();
    let good = search_url(&app, &leroy_and_bernard());
    let too_many: Vec<String> = (0..26).map(|i| format!("{RPPS}|8{:011}", 10_000_000_100u64 + i)).collect();
    let cases = [
        (good.replace("&status=free", ""), "required"),
        (good.replace("start=ge", "start="), "invalid"),
        (good.replace("&start=le2026-11-26T10:00:00%2B01:00", ""), "required"),
        (good.replace("ge2026-11-23T10:00:00", "ge2026-13-45T10:00:00"), "invalid"),
        (good.replace("le2026-11-26", "le2027-01-26"), "too-costly"),
        (search_url(&app, &format!("{RPPS}|10000000004")), "invalid"),
        (search_url(&app, ""), "required"),
        (search_url(&app, &too_many.join(",")), "too-costly"),
        (format!("{good}&_sort=start"), "not-supported"),
    ];
    for (url, code) in cases {
        let (status, outcome, _) = send(http.get(&url).bearer_auth(&token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {outcome}");
        assert_eq!(
            (outcome["resourceType"].as_str(), outcome["issue"][0]["code"].as_str()),
            (Some("OperationOutcome"), Some(code)),
            "{url}"
        );
    }
    let post = |body: &str, kind: &str| {
        http.post(format!("{}/fhir/Appointment", app.base))
            .bearer_auth(&token)
            .header("content-type", kind)
            .body(body.to_string())
    };
    assert_eq!(send(post("{", "application/fhir+json")).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(send(post("{}", "text/plain")).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(send(post("{\"resourceType\":\"Patient\"}", "application/fhir+json")).await.0, StatusCode::BAD_REQUEST);
    // Well formed, but no regulator was ever sent: a rule of the CPTS, 422.
    let rdv = appointment("rdv-1", &prefixed(3), "2026-11-25T14:00:00+01:00");
    let (status, outcome, _) = send(post(&rdv.to_string(), "application/fhir+json")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{outcome}");
    // A time with no slot.
    send(fhir_json(http.post(format!("{}/fhir/Practitioner", app.base)), &token, &regulator())).await;
    let nowhere = appointment("rdv-2", &prefixed(3), "2026-11-25T03:00:00+01:00");
    let (status, outcome, _) = send(post(&nowhere.to_string(), "application/json")).await;
    assert_eq!((status, outcome["issue"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("not-found")));
    let put = http
        .put(format!("{}/fhir/Appointment", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/fhir+json");
    let (status, outcome, _) = send(put.body(rdv.to_string())).await;
    assert_eq!((status, outcome["issue"][0]["expression"][0].as_str()), (StatusCode::BAD_REQUEST, Some("identifier")));
    let (status, outcome, _) = send(http.get(format!("{}/fhir/Patient?name=x", app.base)).bearer_auth(&token)).await;
    assert_eq!((status, outcome["resourceType"].as_str()), (StatusCode::NOT_FOUND, Some("OperationOutcome")));
    let (status, outcome, _) = send(http.get(format!("{}/fhir", app.base)).bearer_auth(&token)).await;
    assert_eq!((status, outcome["resourceType"].as_str()), (StatusCode::NOT_FOUND, Some("OperationOutcome")));
    let (status, outcome, _) = send(http.get(format!("{}/fhir/Appointment", app.base)).bearer_auth(&token)).await;
    assert_eq!((status, outcome["issue"][0]["code"].as_str()), (StatusCode::METHOD_NOT_ALLOWED, Some("not-supported")));
    // A NUL in an identifier: refused before any database sees it.
    let nul = appointment("rdv\u{0}3", &prefixed(3), "2026-11-25T14:00:00+01:00");
    let (status, outcome, _) = send(post(&nul.to_string(), "application/fhir+json")).await;
    assert_eq!((status, outcome["issue"][0]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid")), "{outcome}");
    let put = format!("{}/fhir/Practitioner?identifier=urn:x%7Ca%00b", app.base);
    let (status, _, _) = send(fhir_json(http.put(&put), &token, &regulator())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(fhir_json(http.put(&put), "relais_sas_nobody", &regulator())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the token is checked first");
}

#[tokio::test]
async fn a_race_of_the_coordination_and_the_sas_on_one_slot_ends_in_one_booking() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let token = token(&app).await;
    let http = reqwest::Client::new();
    send(fhir_json(http.post(format!("{}/fhir/Practitioner", app.base)), &token, &regulator())).await;
    let gp = app.login("dr.martin").await;
    let form = json!({ "form": {
        "date": "2026-11-23", "start": "14:00", "count": "1", "minutes": "15", "mode": "office", "audience": "sas",
    } });
    assert_eq!(app.call(&gp, "slots/open", form).await.0, StatusCode::OK);
    let coord = app.login("coordination").await;
    let request = app.create_request(&coord, json!({})).await;
    let (_, fitting) = app.call(&coord, "slots/fitting", json!({ "request_id": request })).await;
    let slot = fitting[0]["slot"]["id"].as_i64().unwrap();
    let rdv = appointment("rdv-race", &prefixed(2), "2026-11-23T14:00:00+01:00");
    let (ours, theirs) = tokio::join!(
        app.call(&coord, "slots/book", json!({ "request_id": request, "slot_id": slot })),
        send(fhir_json(http.post(format!("{}/fhir/Appointment", app.base)), &token, &rdv)),
    );
    let won = [ours.0 == StatusCode::OK, theirs.0 == StatusCode::CREATED];
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{ours:?} {:?}", (theirs.0, &theirs.1));
    if won[0] {
        assert_eq!(theirs.1["issue"][0]["code"], "conflict", "{}", theirs.1);
    } else {
        assert_eq!((ours.0, ours.1["detail"].as_str()), (StatusCode::CONFLICT, Some("taken")), "{}", ours.1);
    }
}

#[tokio::test]
async fn another_cpts_token_sees_and_books_nothing_of_this_cpts() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let ours = token(&app).await;
    let theirs = "relais_sas_voisine";
    {
        let state = &app.state;
        let mut tx = state.store.begin().await.unwrap();
        let now = state.now();
        let cpts = app::members::store::create_cpts(&mut tx, "CPTS voisine", now).await.unwrap();
        app::slots::store::sas::set_finess(&mut tx, cpts, "350099999").await.unwrap();
        let admin = crate::support::member(state, "admin").await;
        let hash = app::slots::ops::sas::token_hash(theirs);
        app::slots::store::sas::insert_client(&mut tx, cpts, "SAS voisin", &hash, admin.id, now).await.unwrap();
        tx.commit().await.unwrap();
    }
    let http = reqwest::Client::new();
    let url = search_url(&app, &leroy_and_bernard());
    let (status, bundle, _) = send(http.get(&url).bearer_auth(theirs)).await;
    assert_eq!((status, bundle["total"].as_u64()), (StatusCode::OK, Some(0)), "{bundle}");
    assert!(bundle.get("entry").is_none(), "{bundle}");
    let (_, ours_bundle, _) = send(http.get(&url).bearer_auth(&ours)).await;
    let start = ours_bundle["entry"][0]["resource"]["start"].as_str().unwrap().to_string();
    send(fhir_json(http.post(format!("{}/fhir/Practitioner", app.base)), theirs, &regulator())).await;
    let rdv = appointment("rdv-voisin", &prefixed(3), &start);
    let (status, outcome, _) = send(fhir_json(http.post(format!("{}/fhir/Appointment", app.base)), theirs, &rdv)).await;
    assert_eq!((status, outcome["issue"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("not-found")));
    let (_, still, _) = send(http.get(&url).bearer_auth(&ours)).await;
    assert_eq!(still["total"], 4, "the slot is still free for this CPTS");
}
