//! What the people running Relais rely on: the health and readiness checks, the metrics and who
//! may read them, the drain on SIGTERM (live streams told to reconnect, the door closed, the
//! jobs stopped after their round), request ids in the answers.

use std::time::Duration;

use futures::StreamExt;
use leptos::prelude::LeptosOptions;
use serde_json::{json, Value};

use crate::platform::live::{open_stream, wait_for};
use crate::support::{backends, spawn_app, spawn_app_with, test_settings, TestApp, TestDb};

async fn get_json(url: &str) -> (u16, Value) {
    let res = reqwest::get(url).await.expect("request");
    (res.status().as_u16(), res.json().await.expect("JSON"))
}

/// Polls `/readyz` until it answers `status` (or gives up after 10 s).
async fn readiness_becomes(app: &TestApp, status: u16) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (code, body) = get_json(&format!("{}/readyz", app.base)).await;
        if code == status || tokio::time::Instant::now() > deadline {
            assert_eq!(code, status, "{body}");
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn readiness_names_what_is_missing_then_turns_ready_then_draining() {
    for db in backends().await {
        let settings = app::platform::Settings { drain_grace: Duration::from_secs(3), ..test_settings() };
        let app = spawn_app_with(&db, 0, settings).await;
        let (code, body) = get_json(&format!("{}/healthz", app.base)).await;
        assert_eq!((code, body), (200, json!({ "status": "ok" })));

        // No job loop in this process yet: not ready, and it says why.
        let body = readiness_becomes(&app, 503).await;
        assert_eq!(body["status"], "unready");
        assert_eq!(body["checks"]["database"]["ok"], true, "{body}");
        assert_eq!(body["checks"]["migrations"], json!({ "ok": true, "pending": [], "unknown": [] }));
        assert_eq!(body["checks"]["jobs"]["ok"], false);
        assert_eq!(body["checks"]["jobs"]["error"], "not running in this process");
        assert_eq!(body["checks"]["push"]["ok"], false);

        let jobs = server::spawn_jobs(app.state.clone(), Duration::from_secs(1));
        let body = readiness_becomes(&app, 200).await;
        assert_eq!(body["status"], "ready");
        assert_eq!(body["checks"]["jobs"]["ok"], true);
        assert!(body["checks"]["jobs"]["last_round_seconds_ago"].as_f64().unwrap() < 5.0, "{body}");

        // A newer binary migrated the database: this older one is taken out, and says why.
        let newer = 99_991_231_000_000_i64;
        let mut tx = app.state.store.begin().await.unwrap();
        sqlx::query(
            "insert into _sqlx_migrations (version, description, success, checksum, execution_time) \
             values ($1, 'newer', true, $2, 0)",
        )
        .bind(newer)
        .bind(vec![0u8; 48])
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let body = readiness_becomes(&app, 503).await;
        assert_eq!(body["status"], "unready");
        assert_eq!(body["checks"]["migrations"], json!({ "ok": false, "pending": [], "unknown": [newer] }));
        let mut tx = app.state.store.begin().await.unwrap();
        sqlx::query("delete from _sqlx_migrations where version = $1").bind(newer).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        readiness_becomes(&app, 200).await;

        // SIGTERM: at once not ready (the load balancer stops sending), still answering during
        // the grace; the jobs finish their round and stop.
        app.state.health.begin_drain();
        let (code, body) = get_json(&format!("{}/readyz", app.base)).await;
        assert_eq!(code, 503);
        assert_eq!((body["status"].clone(), body["draining"].clone()), (json!("draining"), json!(true)));
        assert!(jobs.finish(Duration::from_secs(10)).await, "the jobs stop once the server drains");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_drain_ends_the_live_streams_with_a_reconnect_then_closes_the_door() {
    let db = TestDb::sqlite();
    let settings = app::platform::Settings { drain_grace: Duration::from_millis(500), ..test_settings() };
    // The server is started here, so that the test sees `serve` return.
    let clock = std::sync::Arc::new(app::platform::clock::ManualClock::new(crate::support::monday_10am()));
    let state = server::app_state(&db.url, settings, clock.clone()).await.unwrap();
    server::seed::seed_demo(&state.store, crate::support::monday_10am(), 0).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let options = LeptosOptions::builder().output_name("relais").site_root("target/site").build();
    let served = tokio::spawn(server::serve(listener, options, state.clone()));
    let app = TestApp { base: base.clone(), state: state.clone(), clock };
    let martin = app.login("dr.martin").await;
    let mut stream = open_stream(&app, &martin).await;
    wait_for(&mut stream, "hello").await;

    state.health.begin_drain();
    let farewell = wait_for(&mut stream, "reconnect").await;
    assert_eq!(farewell, json!({ "kind": "reconnect" }));
    let rest = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("the stream ends");
    assert!(rest.is_none(), "nothing after the farewell: {rest:?}");
    tokio::time::timeout(Duration::from_secs(10), served)
        .await
        .expect("serve returns once the streams ended and nothing is in flight")
        .unwrap()
        .unwrap();
    let refused = reqwest::Client::new().get(format!("{base}/healthz")).send().await;
    assert!(refused.is_err(), "no new connection after the drain");
}

/// The value of one line of the Prometheus text (`name{labels} value`), 0 when absent.
fn sample(text: &str, line_start: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(line_start) && l[line_start.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0.0, |v| v.parse().unwrap())
}

async fn scrape(app: &TestApp) -> String {
    let res = reqwest::get(format!("{}/metrics", app.base)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    res.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_pushes_acceptances_and_requests_by_route() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let martin = app.login("dr.martin").await;
    let leroy = app.login("dr.leroy").await;
    // The recorder is the process's: other tests count too, so only increases are compared.
    let before = scrape(&app).await;
    let id = app.create_request(&coord, json!({})).await;
    let (status, pushed) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(status, 200, "{pushed}");
    let offered = pushed["offered"].as_f64().unwrap();
    assert!(offered >= 1.0);
    let mut stream = open_stream(&app, &martin).await;
    wait_for(&mut stream, "hello").await;
    let (status, won) = app.call(&martin, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!(status, 200, "{won}");
    let (status, late) = app.call(&leroy, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!((status.as_u16(), late["result"].as_str()), (200, Some("already_taken")), "{late}");
    let after = scrape(&app).await;
    let grew = |name: &str| sample(&after, name) - sample(&before, name);
    assert!(grew("relais_offers_pushed_total") >= offered, "{after}");
    assert!(grew("relais_offers_accepted_total") >= 1.0, "{after}");
    assert!(grew(r#"relais_accepts_too_late_total{told="read"}"#) >= 1.0, "told from the committed state: {after}");
    assert!(sample(&after, "relais_live_streams") >= 1.0, "the open stream is counted");
    let accept_route =
        r#"relais_http_request_duration_seconds_count{route="/api/offers/accept",method="POST",status="2xx"}"#;
    assert!(grew(accept_route) >= 1.0, "{after}");
    assert!(after.contains(r#"relais_db_connections{pool="write",state="idle"}"#), "{after}");
    assert!(after.contains("# HELP relais_offers_accepted_total"), "described");
    assert!(after.contains("relais_job_lag_seconds "), "{after}");
    drop(stream);
}

#[tokio::test]
async fn metrics_are_refused_to_others_and_opened_by_the_token() {
    let db = TestDb::sqlite();
    let token = "a-long-token-for-the-prometheus-scraper";
    let settings = app::platform::Settings {
        metrics_from: vec![],
        metrics_token: Some(app::platform::Secret(token.into())),
        ..test_settings()
    };
    let app = spawn_app_with(&db, 0, settings).await;
    let client = reqwest::Client::new();
    let url = format!("{}/metrics", app.base);
    let refused = client.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let wrong = client.get(&url).bearer_auth("a-long-token-for-the-prometheus-scrapeR").send().await.unwrap();
    assert_eq!(wrong.status(), 403);
    let allowed = client.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert!(allowed.text().await.unwrap().contains("relais_http_request_duration_seconds"));
}

#[tokio::test]
async fn each_answer_carries_a_request_id_and_keeps_the_proxys() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = reqwest::Client::new();
    let made = client.get(format!("{}/healthz", app.base)).send().await.unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let other = client.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_ne!(other.headers()["x-request-id"].to_str().unwrap(), id, "one per request");
    let kept = client.get(format!("{}/connexion", app.base)).header("x-request-id", "proxy-42").send().await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "proxy-42");
}

/// `relais serve --log-format json` as a process of its own (the log is the process's output).
struct Relais {
    child: std::process::Child,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Relais {
    fn start(port: u16) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("relais.log");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(["--log-format", "json", "--database-url"])
            .arg(format!("sqlite://{}", dir.path().join("relais.db").display()))
            .args(["serve", "--demo", "--drain-seconds", "0", "--clock-start", "2026-11-23T10:00:00+01:00"])
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .env("LEPTOS_SITE_ROOT", concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        Self { child, log, _dir: dir }
    }

    fn lines(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.log).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
    }
}

impl Drop for Relais {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_json_log_carries_the_request_id_and_no_patient_data_and_sigterm_stops_cleanly() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut relais = Relais::start(port);
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == 200) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "relais serve is ready");
    let coord = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = json!({ "email": crate::support::email("coordination"), "password": app::DEMO_PASSWORD });
    let res = coord.post(format!("{base}/api/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let form = json!({
        "motive": "fever", "profession": "gp", "patient_name": "Lucie Lenoir", "age_band": "16-64",
        "callback_phone": "06 98 76 54 32", "commune": "Rennes", "deadline": "today", "source": "patient_call",
        "note": "Fièvre depuis trois jours chez Lucie",
    });
    let mut ids = vec![];
    for _ in 0..2 {
        let res = coord
            .post(format!("{base}/api/requests/create"))
            .header("accept", "application/json")
            .header("idempotency-key", "offline-replay-0001")
            .json(&json!({ "form": form }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        ids.push(res.headers()["x-request-id"].to_str().unwrap().to_string());
    }

    // SIGTERM: the process drains and exits by itself, successfully, within its shutdown
    // deadline (30 s after the grace, here 0): the jobs' first round (purges, the audit chain's
    // verification) may still be running, and a loaded machine makes it long.
    let pid = relais.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let mut exited = None;
    for _ in 0..350 {
        if let Some(status) = relais.child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(exited.expect("exits within 35 s of SIGTERM").success());

    let lines = relais.lines();
    let text = std::fs::read_to_string(&relais.log).unwrap();
    let replayed = lines
        .iter()
        .find(|l| l["message"] == "replayed call answered from its first run")
        .unwrap_or_else(|| panic!("the replay is logged: {text}"));
    assert_eq!(replayed["span"]["id"], ids[1].as_str(), "{replayed}");
    assert_eq!(replayed["span"]["path"], "/api/requests/create");
    for said in ["SIGTERM received: draining", "background jobs stopped: the server drains", "stopped"] {
        assert!(lines.iter().any(|l| l["message"] == said), "{said:?} not in {text}");
    }
    for secret in ["98 76 54 32", "0698765432", "Lucie", "Fièvre"] {
        assert!(!text.contains(secret), "{secret} in the log: {text}");
    }
}
