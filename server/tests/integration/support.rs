//! Test harness: fresh databases, an app on port 0 with a manual clock, logged-in clients.

use std::sync::Arc;

use app::members::MemberRow;
use app::platform::clock::ManualClock;
use app::platform::{AppState, Settings};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use leptos::prelude::LeptosOptions;
use reqwest::StatusCode;
use serde_json::Value;

/// Monday 23 November 2026, 10:00 in Paris: the CPTS is open.
pub fn monday_10am() -> DateTime<Utc> {
    Paris.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap().with_timezone(&Utc)
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    pg_admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("relais.db").display());
        Self { url, pg_admin: None, _dir: Some(dir) }
    }

    /// A fresh PostgreSQL database, or `None` (announced on stderr) when no server answers.
    pub async fn postgres() -> Option<Self> {
        let admin = std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
            .unwrap_or_else(|| "postgres://root@127.0.0.1:5432/test".into());
        let conn = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(3))
            .connect(&admin)
            .await;
        let pool = match conn {
            Ok(p) => p,
            Err(e) => {
                eprintln!("\n*** SKIPPED: PostgreSQL back-end not tested: no server at {admin} ({e}) ***\n");
                return None;
            }
        };
        let name = format!("relais_test_{}", rand::random::<u32>());
        sqlx::query(&format!("create database {name}")).execute(&pool).await.expect("create test database");
        pool.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
        Some(Self { url: format!("{base}/{name}"), pg_admin: Some((admin, name)), _dir: None })
    }

    pub async fn drop_db(self) {
        if let Some((admin, name)) = &self.pg_admin {
            if let Ok(pool) = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(admin).await {
                let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&pool).await;
            }
        }
    }
}

/// The databases every contract test runs on: SQLite always, PostgreSQL when reachable.
pub async fn backends() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    dbs.extend(TestDb::postgres().await);
    dbs
}

pub fn test_settings() -> Settings {
    // The tests' push service runs on loopback.
    let push_services = app::push::PushServices { allow_loopback: true, ..Default::default() };
    Settings { demo_mode: true, push_services, ..Settings::default() }
}

pub async fn state_on(url: &str, clock: Arc<ManualClock>) -> AppState {
    server::app_state(url, test_settings(), clock).await.expect("app state")
}

/// A state on `url` with the demo CPTS (and `extra` more clinicians, as the benchmark seeds),
/// its clock at Monday 10:00.
pub async fn seeded(url: &str, extra: usize) -> (AppState, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(monday_10am()));
    let state = state_on(url, clock.clone()).await;
    server::seed::seed_demo(&state.store, clock.now_utc(), extra).await.expect("seed");
    (state, clock)
}

/// A demo member, by the part of their e-mail before the `@` (`dr.martin`, `admin`…).
pub async fn member(state: &AppState, login: &str) -> MemberRow {
    let mut conn = state.store.reader().await.unwrap();
    app::auth::store::login_lookup(&mut conn, &email(login)).await.unwrap().expect("demo member").0
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
}

/// Starts the app on a random port on a seeded database (demo CPTS + `extra` GPs on duty).
pub async fn spawn_app(db: &TestDb, extra: usize) -> TestApp {
    spawn_app_with(db, extra, test_settings()).await
}

/// The app on port 0 with these settings.
pub async fn spawn_app_with(db: &TestDb, extra: usize, settings: Settings) -> TestApp {
    let options = LeptosOptions::builder()
        .output_name("relais")
        .site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
        .build();
    spawn_app_on_site(db, extra, settings, options).await
}

/// The app on port 0 with these settings, serving the site these options describe.
pub async fn spawn_app_on_site(db: &TestDb, extra: usize, settings: Settings, options: LeptosOptions) -> TestApp {
    let clock = Arc::new(ManualClock::new(monday_10am()));
    let state = server::app_state(&db.url, settings, clock.clone()).await.expect("app state");
    server::seed::seed_demo(&state.store, clock.now_utc(), extra).await.expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(server::serve(listener, options, state.clone()));
    TestApp { base, state, clock }
}

pub trait NowUtc {
    fn now_utc(&self) -> DateTime<Utc>;
}

impl NowUtc for ManualClock {
    fn now_utc(&self) -> DateTime<Utc> {
        app::platform::Clock::now(self)
    }
}

pub fn email(login: &str) -> String {
    format!("{login}@{}", server::seed::DEMO_DOMAIN)
}

impl TestApp {
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).build().expect("client")
    }

    /// Posts JSON to a server function; returns the status and the JSON answer.
    pub async fn call(&self, client: &reqwest::Client, endpoint: &str, body: Value) -> (StatusCode, Value) {
        let res = client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// A client logged in as a demo member.
    pub async fn login(&self, login: &str) -> reqwest::Client {
        let client = self.client();
        let (status, body) = self
            .call(&client, "auth/login", serde_json::json!({ "email": email(login), "password": app::DEMO_PASSWORD }))
            .await;
        assert_eq!(status, StatusCode::OK, "login of {login} failed: {body}");
        client
    }

    /// Creates a valid request as the coordinator; returns its id.
    pub async fn create_request(&self, coordinator: &reqwest::Client, overrides: Value) -> i64 {
        let mut form = serde_json::json!({
            "motive": "fever", "profession": "gp", "patient_name": "J. D.", "age_band": "16-64",
            "callback_phone": "06 12 34 56 78", "commune": "Rennes", "teleconsult_ok": "on",
            "deadline": "today", "source": "patient_call", "treating_member_id": "", "note": ""
        });
        if let (Some(f), Some(o)) = (form.as_object_mut(), overrides.as_object()) {
            for (k, v) in o {
                f.insert(k.clone(), v.clone());
            }
        }
        let (status, body) = self.call(coordinator, "requests/create", serde_json::json!({ "form": form })).await;
        assert_eq!(status, StatusCode::OK, "create failed: {body}");
        body.as_i64().expect("request id")
    }
}
