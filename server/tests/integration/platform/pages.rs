//! The pages as the server draws them (the browser wakes only their islands): each page, for
//! each role, drawn many times at once, comes whole every time — its member named in the top
//! bar, no error in place of its data, the same islands.

use futures::future::join_all;

use crate::support::{spawn_app, TestApp, TestDb};

/// The islands a page holds, by name, in order.
fn islands(html: &str) -> Vec<&str> {
    html.split("<leptos-island data-component=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

/// Draws `path` for `who` many times at once; every drawing must be whole and hold the same
/// islands.
async fn renders_alike(app: &TestApp, who: &str, path: &str) {
    let client = app.login(who).await;
    let url = format!("{}{path}", app.base);
    let pages =
        join_all((0..16).map(|_| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                client.get(url).header("accept", "text/html").send().await.expect("page").text().await.expect("html")
            }
        }))
        .await;
    let mut first: Option<Vec<&str>> = None;
    for html in &pages {
        assert!(html.contains(r#"<span class="who">"#), "{path} for {who}: the top bar names its member");
        assert!(html.contains("<main"), "{path} for {who}: the page is drawn");
        assert!(!html.contains(r#"class="banner error""#), "{path} for {who}: an error instead of the page: {html}");
        let found = islands(html);
        assert!(found.iter().any(|i| i.starts_with("LiveDot_")), "{path} for {who}: the live dot wakes: {found:?}");
        match &first {
            None => first = Some(found),
            Some(f) => assert_eq!(f, &found, "{path} for {who}: the same islands on every drawing"),
        }
    }
}

#[tokio::test]
async fn every_page_is_drawn_whole_on_every_render() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coordination = app.login("coordination").await;
    let request = app.create_request(&coordination, serde_json::json!({})).await;
    let tour: &[(&str, &[&str])] = &[
        (
            "coordination",
            &["/coordination", &format!("/demandes/{request}"), "/creneaux", "/indicateurs", "/plannings"],
        ),
        ("admin", &["/sas", "/membres", "/dentaire/grille"]),
        ("dr.martin", &["/offres", "/gardes", "/reglages"]),
        ("ph.moreau", &["/teleconsultation"]),
    ];
    for (who, paths) in tour {
        for path in *paths {
            renders_alike(&app, who, path).await;
        }
    }
}

#[tokio::test]
async fn a_page_without_a_session_sends_to_the_login_page_and_names_nobody() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = client.get(format!("{}/offres", app.base)).header("accept", "text/html").send().await.expect("page");
    assert_eq!(res.status(), reqwest::StatusCode::FOUND);
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/connexion"));
    let html = client.get(format!("{}/connexion", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(!html.contains(r#"class="who""#), "nobody is named on the login page");
}

/// Routers built while a server is serving (another server in the same process, a second
/// instance) never stall its pages: listing the app's pages suppresses resource loading for the
/// whole process, and a page whose resource was first polled then would wait for it forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_rendering_while_other_routers_are_built() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.login("dr.martin").await;
    let done = Arc::new(AtomicBool::new(false));
    let builder = {
        let (done, state) = (done.clone(), app.state.clone());
        std::thread::spawn(move || {
            let mut built = 0;
            while !done.load(Ordering::Relaxed) {
                drop(server::router(
                    leptos::config::LeptosOptions::builder().output_name("relais").build(),
                    state.clone(),
                ));
                built += 1;
            }
            built
        })
    };
    for round in 0..40 {
        let loads =
            ["/gardes", "/offres", "/reglages", "/creneaux"].map(|path| {
                let req = client.get(format!("{}{path}", app.base)).send();
                // Not a measure: a page that has not come in 30 s never will.
                async move {
                    tokio::time::timeout(std::time::Duration::from_secs(30), async { req.await?.text().await }).await
                }
            });
        for (path, res) in ["/gardes", "/offres", "/reglages", "/creneaux"].iter().zip(join_all(loads).await) {
            let html = res.unwrap_or_else(|_| panic!("round {round}: {path} stalled")).expect("a page");
            assert!(html.contains("__INCOMPLETE_CHUNKS"), "round {round}: {path} complete");
        }
    }
    done.store(true, Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0, "routers were built meanwhile");
}
