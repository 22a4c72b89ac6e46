//! Logging in over HTTP: refusals in French, throttling, the session cookie.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{email, spawn_app, TestDb};

#[tokio::test]
async fn a_wrong_password_is_refused_in_french_and_repeated_failures_are_throttled() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    let bad = json!({ "email": email("dr.martin"), "password": "wrong" });
    let (status, body) = app.call(&client, "auth/login", bad.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "bad_credentials");
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

/// Passkeys over HTTP, around the ceremony itself (which Playwright runs with Chromium's virtual
/// authenticator): where they cannot work, what a forged or replayed answer gets.
#[tokio::test]
async fn passkey_ceremonies_refuse_forged_answers_and_ip_addresses() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    // The test server is reached at 127.0.0.1: an IP address cannot hold passkeys.
    let (status, body) = app.call(&gp, "passkeys/register_start", json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("passkeys_unavailable")), "{body}");
    // At a host name the options name Relais and the member, and ask for a discoverable passkey.
    let localhost = app.base.replace("127.0.0.1", "localhost");
    let local = app.client();
    let creds = json!({ "email": email("dr.martin"), "password": app::DEMO_PASSWORD });
    let res = local.post(format!("{localhost}/api/auth/login")).json(&creds).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let start = |path: &'static str| {
        let (client, url) = (local.clone(), format!("{localhost}/api/{path}"));
        async move {
            let res = client.post(url).header("accept", "application/json").json(&json!({})).send().await.unwrap();
            (res.status(), res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, ceremony) = start("passkeys/register_start").await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    let options: serde_json::Value = serde_json::from_str(ceremony["options"].as_str().unwrap()).unwrap();
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    assert_eq!(options["publicKey"]["user"]["name"], email("dr.martin"));
    assert_eq!(options["publicKey"]["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(options["publicKey"]["authenticatorSelection"]["userVerification"], "required");
    // A forged answer is refused, and the ceremony is spent.
    let forged = json!({ "token": ceremony["token"], "credential": "{\"id\":\"x\"}", "label": "Téléphone" });
    for _ in 0..2 {
        let res = local.post(format!("{localhost}/api/passkeys/register_finish")).json(&forged).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let (status, login) = start("passkeys/login_start").await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let options: serde_json::Value = serde_json::from_str(login["options"].as_str().unwrap()).unwrap();
    assert!(options["publicKey"]["allowCredentials"].as_array().is_none_or(Vec::is_empty), "{options}");
    assert!(options.get("mediation").is_none(), "a tap, not autofill: {options}");
    let res = app
        .client()
        .post(format!("{localhost}/api/passkeys/login_finish"))
        .json(&json!({ "token": login["token"], "credential": "{}" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("clé d'accès"), "{body}");
    // Nobody removes another's passkey (nor a passkey that is not).
    let (status, _) = app.call(&gp, "passkeys/remove", json!({ "id": 1 })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.call(&gp, "passkeys/list", json!({})).await;
    assert_eq!(list, json!([]));
}
