//! The language of the pages: the browser's (`Accept-Language`) before login, the member's
//! choice after it, French by default; a bad choice is refused and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{backends, spawn_app, TestApp, TestDb};

/// The page's `<html lang>` and its text.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str, accept_language: Option<&str>) -> (String, String) {
    let mut req = client.get(format!("{}{path}", app.base)).header("accept", "text/html");
    if let Some(l) = accept_language {
        req = req.header("accept-language", l);
    }
    let res = req.send().await.expect("page");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let vary: Vec<String> =
        res.headers().get_all("vary").iter().filter_map(|v| v.to_str().ok()).map(str::to_lowercase).collect();
    assert!(vary.iter().any(|v| v.contains("accept-language")), "{path} varies with the language: {vary:?}");
    let html = res.text().await.expect("html");
    let lang = html.split("<html lang=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    (lang, html)
}

#[tokio::test]
async fn before_login_the_page_speaks_the_browsers_language() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    for (header, lang, says) in [
        (Some("en-GB,en;q=0.9,fr;q=0.5"), "en", "Sign in"),
        (Some("fr-FR,fr;q=0.9,en;q=0.8"), "fr", "Se connecter"),
        (Some("de-DE,de;q=0.9,en;q=0.4"), "en", "Sign in"),
        (Some("de-DE,it;q=0.5"), "fr", "Se connecter"),
        (None, "fr", "Se connecter"),
    ] {
        let (found, html) = page(&app, &client, "/connexion", header).await;
        assert_eq!(found, lang, "Accept-Language {header:?}");
        assert!(html.contains(says), "Accept-Language {header:?}: the page says {says:?}");
        let other = if lang == "en" { "Se connecter" } else { "Sign in" };
        assert!(!html.contains(other), "Accept-Language {header:?}: nothing in the other language ({other:?})");
    }
}

async fn choose(app: &TestApp, client: &reqwest::Client, lang: &str) -> (StatusCode, serde_json::Value) {
    app.call(client, "members/save_language", json!({ "lang": lang })).await
}

async fn language_rows(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("select detail from audit_event where kind = 'language_changed' order by id")
        .fetch_all(&mut *app.state.store.reader().await.unwrap())
        .await
        .unwrap()
}

async fn member_chooses_and_keeps_the_language(db: TestDb) {
    let app = spawn_app(&db, 0).await;
    let martin = app.login("dr.martin").await;
    let french_browser = Some("fr-FR,fr;q=0.9");
    let (lang, html) = page(&app, &martin, "/gardes", french_browser).await;
    assert_eq!(lang, "fr");
    assert!(html.contains("Mes gardes"));

    // English, chosen: on every page, whatever the browser says, and for whoami.
    assert_eq!(choose(&app, &martin, "en").await.0, StatusCode::OK);
    for path in ["/gardes", "/offres", "/reglages"] {
        let (lang, html) = page(&app, &martin, path, french_browser).await;
        assert_eq!(lang, "en", "{path}");
        assert!(html.contains("My duties") && html.contains("Settings"), "{path} in English");
        assert!(!html.contains("Mes gardes"), "{path}: no French tab left");
    }
    let (_, me) = app.call(&martin, "auth/me", json!({})).await;
    assert_eq!(me["lang"], "en", "{me}");

    // A language Relais does not speak: refused with the field, nothing changed, nothing traced.
    let before = language_rows(&app).await;
    for bad in ["de", "EN", "en-GB", "english"] {
        let (status, body) = choose(&app, &martin, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["code"], "invalid", "{bad}: {body}");
        assert!(body.to_string().contains("language"), "{bad}: the field is named: {body}");
    }
    assert_eq!(language_rows(&app).await, before);
    assert_eq!(page(&app, &martin, "/gardes", french_browser).await.0, "en");

    // Back to the browser's: each browser its own again.
    assert_eq!(choose(&app, &martin, "").await.0, StatusCode::OK);
    assert_eq!(page(&app, &martin, "/gardes", french_browser).await.0, "fr");
    assert_eq!(page(&app, &martin, "/gardes", Some("en-US")).await.0, "en");
    assert_eq!(language_rows(&app).await.len(), 2, "each choice traced once");

    // Nobody else's choice: another member keeps the browser's.
    let bernard = app.login("dr.bernard").await;
    assert_eq!(page(&app, &bernard, "/gardes", french_browser).await.0, "fr");
    // Without a session, the server function refuses.
    assert_eq!(choose(&app, &app.client(), "en").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_member_chooses_the_language_and_keeps_it_on_every_backend() {
    for db in backends().await {
        member_chooses_and_keeps_the_language(db).await;
    }
}
