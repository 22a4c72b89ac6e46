//! Pro Santé Connect's two legs over HTTP, where they refuse (the whole flow, against a real
//! local OpenID provider, is in end2end/tests/psc.spec.ts).

use reqwest::{redirect, StatusCode};

use crate::support::{spawn_app, spawn_app_with, test_settings, TestApp, TestDb};

fn psc_settings(issuer: &str) -> app::platform::Settings {
    app::platform::Settings {
        psc: Some(app::auth::psc::PscSettings {
            issuer: issuer.into(),
            client_id: "relais-test".into(),
            client_secret: app::platform::Secret("secret".into()),
        }),
        ..test_settings()
    }
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(redirect::Policy::none()).build().expect("client")
}

/// Where a GET of `path` sends the browser (with these cookies).
async fn sent_to(app: &TestApp, path: &str, cookie: Option<&str>) -> String {
    let mut req = no_redirects().get(format!("{}{path}", app.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.expect("request");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
    assert_eq!(res.headers()["cache-control"], "no-store");
    res.headers()["location"].to_str().expect("location").to_string()
}

#[tokio::test]
async fn without_configuration_there_is_no_way_in_by_pro_sante_connect() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    for path in ["/auth/psc", "/auth/psc/retour?code=c&state=s"] {
        let res = no_redirects().get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let page = app.client().get(format!("{}/connexion", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Connexion") && !page.contains("Pro Santé Connect"));
}

#[tokio::test]
async fn a_return_that_this_browser_did_not_start_opens_no_session() {
    let db = TestDb::sqlite();
    // An issuer nobody answers at: the first leg says PSC is unavailable.
    let app = spawn_app_with(&db, 0, psc_settings("http://127.0.0.1:9")).await;
    let page = app.client().get(format!("{}/connexion", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Se connecter avec Pro Santé Connect") && page.contains(r#"href="/auth/psc""#));
    assert_eq!(sent_to(&app, "/auth/psc", None).await, "/connexion?psc=indisponible");

    // The professional said no at PSC; PSC failed otherwise.
    assert_eq!(sent_to(&app, "/auth/psc/retour?error=access_denied&state=s", None).await, "/connexion?psc=annule");
    assert_eq!(sent_to(&app, "/auth/psc/retour?error=server_error&state=s", None).await, "/connexion?psc=refuse");
    // A code without this browser's state cookie (a forged or replayed return), without a state,
    // from another issuer, or whose state waits for nothing here.
    assert_eq!(sent_to(&app, "/auth/psc/retour?code=c&state=s", None).await, "/connexion?psc=refuse");
    assert_eq!(sent_to(&app, "/auth/psc/retour?code=c&state=s", Some("relais_psc=t")).await, "/connexion?psc=refuse");
    assert_eq!(sent_to(&app, "/auth/psc/retour?code=c", Some("relais_psc=s")).await, "/connexion?psc=refuse");
    let other = "/auth/psc/retour?code=c&state=s&iss=http%3A%2F%2Fevil.test";
    assert_eq!(sent_to(&app, other, Some("relais_psc=s")).await, "/connexion?psc=refuse");
    assert_eq!(sent_to(&app, "/auth/psc/retour?code=c&state=s", Some("relais_psc=s")).await, "/connexion?psc=refuse");

    // Each return also clears the state cookie, and none opened a session.
    let res = no_redirects().get(format!("{}/auth/psc/retour?code=c&state=s", app.base)).send().await.unwrap();
    let cookies: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(cookies[0].starts_with("relais_psc=;") && cookies[0].contains("Max-Age=0"), "{cookies:?}");

    // The login page says why, in French.
    let page =
        app.client().get(format!("{}/connexion?psc=inconnu", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("ne correspond à aucun membre"), "{page}");
}
