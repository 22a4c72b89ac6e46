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

/// A download's text (a BOM first, which is dropped) with its status.
async fn download(app: &TestApp, client: &reqwest::Client, path: &str, accept_language: &str) -> (StatusCode, String) {
    let res =
        client.get(format!("{}{path}", app.base)).header("accept-language", accept_language).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, text.trim_start_matches('\u{feff}').to_string())
}

/// The CSV exports and the teleconsultation room's refusals are written in the member's
/// language (else their browser's): English headers and `,` between fields for an English
/// reader, French ones and `;` otherwise; the *Dossier ACI* stays French for the Assurance
/// Maladie.
#[tokio::test]
async fn exports_and_the_rooms_refusals_speak_the_members_language() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let period = "du=2026-11-01&au=2026-11-30";
    let (_, plannings) = app.call(&admin, "plannings/list", json!({})).await;
    let gp = plannings.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let french = "fr-FR,fr;q=0.9";
    let english = "en-GB,en;q=0.9";

    // Exports are never kept by a cache.
    for path in
        [format!("/plannings/{gp}/export.csv?{period}"), "/journal/journal.csv".into(), "/journal/journal.json".into()]
    {
        let res = admin.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(
            (res.status(), res.headers()["cache-control"].to_str().unwrap()),
            (StatusCode::OK, "no-store"),
            "{path}"
        );
    }

    // The browser's language while the admin has chosen none.
    let (status, csv) = download(&app, &admin, &format!("/plannings/{gp}/export.csv?{period}"), english).await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert_eq!(csv.lines().next().unwrap(), "date,start,end,kind,places,held by");
    let (_, csv) = download(&app, &admin, &format!("/plannings/{gp}/export.csv?{period}"), french).await;
    assert_eq!(csv.lines().next().unwrap(), "date;début;fin;type;places;tenue par");

    // The admin's choice, whatever the browser says.
    assert_eq!(choose(&app, &admin, "en").await.0, StatusCode::OK);
    let (_, csv) = download(&app, &admin, &format!("/plannings/{gp}/stats.csv?{period}"), french).await;
    assert_eq!(csv.lines().next().unwrap(), "member,duties,from,to");
    let (_, csv) = download(&app, &admin, &format!("/journal/journal.csv?{period}"), french).await;
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("no.,date (Paris),author,event,request,offer,"), "{header}");
    assert!(csv.lines().skip(1).any(|l| l.contains(",language_changed,")), "{csv}");
    let (_, csv) = download(&app, &admin, &format!("/indicateurs/origines.csv?{period}"), french).await;
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("Source,") && !header.contains(';'), "{header}");
    assert!(csv.lines().any(|l| l.starts_with("Total,")), "{csv}");
    let (_, csv) = download(&app, &admin, &format!("/indicateurs/dossier-aci.csv?{period}"), english).await;
    assert!(csv.starts_with("Rubrique;Tableau;Ligne;Mesure;Valeur;Du;Au\n"), "the dossier stays French: {csv}");
    let (status, message) =
        download(&app, &admin, "/indicateurs/origines.csv?du=2026-12-01&au=2026-11-01", french).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.starts_with("To:") || message.starts_with("To "), "a refusal in English: {message}");

    // Refusals before anyone is known: the browser's language.
    let (status, message) = download(&app, &app.client(), "/journal/journal.csv", english).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, french_message) = download(&app, &app.client(), "/journal/journal.csv", french).await;
    assert_ne!(message, french_message, "{message}");
    let (status, page) = download(&app, &app.client(), "/teleconsultation/1", english).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("<html lang=\"en\">") && page.contains("Back"), "{page}");
    let (_, page) = download(&app, &app.client(), "/teleconsultation/1", french).await;
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    // Signed in, the room's refusal follows the member's choice over the browser's.
    let (status, page) = download(&app, &admin, "/teleconsultation/999999", french).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("<html lang=\"en\">"), "{page}");

    // A member who chose French gets French whatever the browser says.
    assert_eq!(choose(&app, &admin, "fr").await.0, StatusCode::OK);
    let (_, csv) = download(&app, &admin, &format!("/plannings/{gp}/stats.csv?{period}"), english).await;
    assert_eq!(csv.lines().next().unwrap(), "membre;vacations;du;au");
}
