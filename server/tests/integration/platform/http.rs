//! What holds for every server function and page: roles checked, pages rendered without
//! JavaScript, every endpoint documented.

use reqwest::StatusCode;
use serde_json::json;

use app::domain::Role;
use app::platform::access::Access;

use crate::support::{email, spawn_app, TestDb};

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
    // Every capability's server functions: each folder of app/src with an api.rs.
    let code: String = std::fs::read_dir(root.join("app/src"))
        .unwrap()
        .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path().join("api.rs")).ok())
        .collect();
    let docs = std::fs::read_to_string(root.join("docs/api.md")).unwrap();
    let endpoints: Vec<&str> = code.split("endpoint = \"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert_eq!(endpoints.len(), access_table().len(), "{endpoints:?}");
    for e in endpoints {
        assert!(docs.contains(&format!("`{e}`")), "docs/api.md does not list {e}");
    }
}

/// Arguments every server function accepts (unknown ones are ignored), so that a call is decided
/// by who makes it rather than refused for its form.
pub fn plausible_args() -> serde_json::Value {
    json!({
        "request_id": 1, "vacation_id": 1, "member_id": 1, "planning_id": 1, "group_id": 1,
        "change_id": 1, "device_id": 1, "hours": 0, "days": 7, "from": "", "notice_hours": "",
        "name": "Essai", "dimension": "territory", "kind": "cession", "accept": "no", "outcome": "done",
        "email": "x@example.org", "password": "x", "endpoint": "https://fcm.googleapis.com/x",
        "p256dh": "x", "auth": "x", "member_ids": [], "form": { "motive": "fever", "kind": "snp_office" },
        "referral_id": 1, "version": 0, "dentist_id": 1, "criterion_id": 1, "label": "Essai", "professions": ["gp"],
        "reoriented_to": "sas", "slot_id": 1, "booking_id": 1, "honoured": "yes", "remove": "",
        "finess": "350012345", "client_id": 1, "du": "", "au": "",
        "id": 1, "token": "x", "file": "email;nom\nx@example.org;X\n", "channels": [], "role": "", "profession": "",
        "rpps": "", "commune": "", "teleconsult": "", "credential": "{}", "label": "Téléphone", "address": "", "phone": "", "quiet_start": "", "quiet_end": "",
        "allowed": true, "ceremony": "x",
    })
}

/// Every capability's access table, end to end.
pub fn access_table() -> Vec<(&'static str, Access)> {
    [
        app::auth::api::ACCESS,
        app::dental::api::ACCESS,
        app::dispatch::api::ACCESS,
        app::indicators::api::ACCESS,
        app::members::api::ACCESS,
        app::planning::api::ACCESS,
        app::push::api::ACCESS,
        app::slots::api::ACCESS,
        app::teleconsult::api::ACCESS,
    ]
    .concat()
}

#[test]
fn every_server_function_has_exactly_one_access_rule() {
    let table = access_table();
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    for endpoint in &registered {
        let rows = table.iter().filter(|(e, _)| e == endpoint).count();
        assert_eq!(rows, 1, "{endpoint} has {rows} access rules");
    }
    for (endpoint, _) in &table {
        assert!(registered.iter().any(|r| r == endpoint), "{endpoint} has a rule but no server function");
    }
}

/// Each server function, called by each role its table row does not admit (and anonymously),
/// is refused before it does anything; the arguments are plausible, so that only the role
/// decides.
#[tokio::test]
async fn every_server_function_refuses_the_roles_its_table_does_not_admit() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let args = plausible_args();
    let anonymous = app.client();
    let callers = [
        (Role::Clinician, app.login("dr.martin").await),
        (Role::Coordinator, app.login("coordination").await),
        (Role::Admin, app.login("admin").await),
    ];
    for (endpoint, access) in access_table() {
        if access == Access::Anyone {
            continue;
        }
        let (status, body) = app.call(&anonymous, endpoint, args.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint} anonymously: {body}");
        for (role, client) in &callers {
            if !access.admits(*role) {
                let (status, body) = app.call(client, endpoint, args.clone()).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint} as {role:?}: {body}");
            }
        }
    }
}
