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
