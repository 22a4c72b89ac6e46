//! The pages as the browser hydrates them: each resource a page reads is serialised once, under
//! the same id on every render, with its data. The browser creates the page's resources once, in
//! order, and takes the data serialised under each id: a resource the server created twice (a
//! page re-created while the server re-walked a `<Suspense>`) shifts the ids, the browser then
//! draws another resource's data (or an orphan's error) and hydration fails.

use futures::future::join_all;

use crate::support::{spawn_app, TestApp, TestDb};

/// The ids the page says it serialised, and for each its serialised text.
fn resources(html: &str) -> (String, Vec<(String, String)>) {
    let pending =
        html.split("__PENDING_RESOURCES=[").nth(1).and_then(|r| r.split(']').next()).unwrap_or_default().to_string();
    let resolved = html
        .split("__RESOLVED_RESOURCES[")
        .skip(1)
        .filter_map(|chunk| {
            let (id, rest) = chunk.split_once("] = \"")?;
            let data = rest.split("\";").next()?;
            Some((id.to_string(), data.to_string()))
        })
        .collect();
    (pending, resolved)
}

/// Renders `path` for `who` many times at once; every render must serialise the same
/// resources, each once and with data.
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
    let mut first: Option<String> = None;
    for html in pages {
        let (pending, resolved) = resources(&html);
        assert!(!pending.is_empty(), "{path} for {who} reads no resource: {html}");
        let mut ids: Vec<&str> = resolved.iter().map(|(id, _)| id.as_str()).collect();
        ids.sort_by_key(|id| id.parse::<u32>().unwrap_or(u32::MAX));
        let listed: Vec<&str> = pending.split(',').filter(|s| !s.is_empty()).collect();
        assert_eq!(ids, listed, "{path} for {who}: every resource listed is serialised once");
        for (id, data) in &resolved {
            assert!(!data.contains("\\\"internal\\\""), "{path} for {who}: resource {id} failed: {data}");
        }
        match &first {
            None => first = Some(pending),
            Some(p) => assert_eq!(p, &pending, "{path} for {who}: the same resources on every render"),
        }
        assert!(html.contains(r#"<meta name="relais-member""#), "{path} for {who}: the page names its member");
    }
}

#[tokio::test]
async fn every_render_of_a_page_serialises_the_same_resources_once_each() {
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
    assert!(!html.contains("relais-member"), "nobody is named on the login page");
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
