//! The browser's defences, as a browser receives them: security headers on every response, a
//! per-response nonce for the page's inline scripts, and writes from another site refused.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{spawn_app, spawn_app_with, test_settings, TestDb};

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

fn assert_common_headers(res: &reqwest::Response, what: &str) {
    assert_eq!(header(res, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(res, "referrer-policy"), "same-origin", "{what}");
    assert_eq!(header(res, "x-frame-options"), "DENY", "{what}");
    assert!(header(res, "permissions-policy").contains("camera=()"), "{what}");
    let csp = header(res, "content-security-policy");
    for directive in ["object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "connect-src 'self'"] {
        assert!(csp.contains(directive), "{what}: {directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
}

/// The one nonce of a page's answer: a single policy naming it, carried by every inline script.
async fn page_nonce(res: reqwest::Response, what: &str) -> String {
    assert_common_headers(&res, what);
    assert_eq!(res.headers().get_all("content-security-policy").iter().count(), 1, "{what}: one policy");
    let csp = header(&res, "content-security-policy").to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_string();
    assert!(nonce.len() >= 16, "{what}: {nonce}");
    let html = res.text().await.unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts >= 2, "{what}: the page hydrates through inline scripts (module, resources)");
    assert_eq!(
        html.matches(&format!("<script type=\"module\" nonce=\"{nonce}\"")).count()
            + html.matches(&format!("<script nonce=\"{nonce}\"")).count(),
        scripts,
        "{what}: every inline script carries the nonce of the policy: {html}"
    );
    nonce
}

#[tokio::test]
async fn a_page_allows_only_the_inline_scripts_that_carry_its_own_nonce() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let res = app.client().get(format!("{}/connexion", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("strict-transport-security").is_none(), "no HSTS without an https public URL");
    // A route, the page drawn for an unknown address, a logged-in page with its resources: many
    // at once, each its own nonce, named once by its answer's policy and by each of its scripts.
    let coord = app.login("coordination").await;
    let anonymous = app.client();
    let loads = (0..8).flat_map(|_| {
        [(&anonymous, "/connexion", StatusCode::OK), (&anonymous, "/page-qui-n-existe-pas", StatusCode::NOT_FOUND)]
            .into_iter()
            .chain([(&coord, "/coordination", StatusCode::OK), (&coord, "/plannings", StatusCode::OK)])
    });
    let base = &app.base;
    let nonces = futures::future::join_all(loads.map(|(client, path, status)| async move {
        let res = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status(), status, "{path}");
        page_nonce(res, path).await
    }))
    .await;
    let distinct: std::collections::HashSet<_> = nonces.iter().collect();
    assert_eq!(distinct.len(), nonces.len(), "a nonce is never reused");
}

#[tokio::test]
async fn api_answers_static_files_and_the_service_worker_carry_the_headers_too() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    let api =
        client.post(format!("{}/api/auth/me", app.base)).header("accept", "application/json").send().await.unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    assert_common_headers(&api, "auth/me");
    assert!(!header(&api, "content-security-policy").contains("nonce"));
    for path in ["/sw.js", "/manifest.webmanifest", "/hors-ligne.html", "/api/does-not-exist"] {
        let res = client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_common_headers(&res, path);
    }
}

#[tokio::test]
async fn a_write_from_another_site_is_refused_and_changes_nothing() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let before = app.call(&coord, "requests/board", json!({})).await.1.as_array().unwrap().len();
    let form = [
        ("form[motive]", "fever"),
        ("form[profession]", "gp"),
        ("form[patient_name]", "X"),
        ("form[age_band]", "16-64"),
        ("form[callback_phone]", "0612345678"),
        ("form[commune]", "Rennes"),
        ("form[deadline]", "today"),
        ("form[source]", "patient_call"),
    ];
    for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site"), ("origin", "null")] {
        let res = coord
            .post(format!("{}/api/requests/create", app.base))
            .header(name, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        assert_common_headers(&res, "the refusal");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "forbidden");
    }
    // A cross-site login (login CSRF) is refused as well: no session cookie is set.
    let res = app
        .client()
        .post(format!("{}/api/auth/login", app.base))
        .header("origin", "https://evil.example")
        .form(&[("email", crate::support::email("coordination")), ("password", app::DEMO_PASSWORD.into())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("set-cookie").is_none());
    assert_eq!(app.call(&coord, "requests/board", json!({})).await.1.as_array().unwrap().len(), before);
    // The same form from Relais' own page goes through.
    let res = coord
        .post(format!("{}/api/requests/create", app.base))
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    assert_eq!(app.call(&coord, "requests/board", json!({})).await.1.as_array().unwrap().len(), before + 1);
}

#[tokio::test]
async fn over_https_browsers_are_told_to_stay_on_https_and_the_public_origin_decides() {
    let db = TestDb::sqlite();
    let settings =
        app::platform::Settings { public_origin: Some("https://relais.example.org".into()), ..test_settings() };
    let app = spawn_app_with(&db, 0, settings).await;
    let res = app.client().get(format!("{}/connexion", app.base)).send().await.unwrap();
    assert!(header(&res, "strict-transport-security").starts_with("max-age="), "HSTS behind https");
    let login = |origin: &'static str| {
        app.client()
            .post(format!("{}/api/auth/login", app.base))
            .header("origin", origin)
            .header("accept", "application/json")
            .form(&[("email", crate::support::email("coordination")), ("password", app::DEMO_PASSWORD.into())])
            .send()
    };
    // The page was served by the proxy at the public address: its origin is that one, not the
    // address Relais listens on.
    assert_eq!(login("https://relais.example.org").await.unwrap().status(), StatusCode::OK);
    assert_eq!(login("http://relais.example.org").await.unwrap().status(), StatusCode::FORBIDDEN);
}
