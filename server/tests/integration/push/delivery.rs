//! Web Push for real, without any outside service: a local HTTP endpoint plays the push service,
//! the test subscribes with a P-256 key pair and auth secret of its own, triggers offers, and
//! decrypts what arrives (RFC 8291), checking its headers (RFC 8030 `TTL`, `Urgency`; RFC 8292
//! `Authorization: vapid`), the removal of a subscription the push service calls gone (410), and
//! retries with backoff; each member reads it in the language they chose.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::routing::post;
use base64::Engine;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;

use crate::support::{backends, spawn_app, TestApp};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// One request the fake push service received.
#[derive(Clone, Debug)]
struct Received {
    device: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// A push service on loopback: `/ok/{device}` answers 201, `/gone/{device}` 410, `/flaky/{device}`
/// 503 the first time then 201.
#[derive(Clone, Default)]
struct PushService {
    received: Arc<Mutex<Vec<Received>>>,
    flaky_seen: Arc<Mutex<HashMap<String, u32>>>,
}

impl PushService {
    async fn start() -> (Self, String) {
        let service = Self::default();
        let router = axum::Router::new().route("/{mode}/{device}", post(receive)).with_state(service.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        (service, base)
    }

    fn for_device(&self, device: &str) -> Vec<Received> {
        self.received.lock().unwrap().iter().filter(|r| r.device == device).cloned().collect()
    }

    async fn wait_for(&self, device: &str, n: usize) -> Vec<Received> {
        for _ in 0..100 {
            let got = self.for_device(device);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        self.for_device(device)
    }
}

async fn receive(
    State(s): State<PushService>,
    Path((mode, device)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> AxumStatus {
    let headers = headers.iter().map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect();
    s.received.lock().unwrap().push(Received { device: device.clone(), headers, body: body.to_vec() });
    match mode.as_str() {
        "gone" => AxumStatus::GONE,
        "flaky" => {
            let mut seen = s.flaky_seen.lock().unwrap();
            let n = seen.entry(device).or_default();
            *n += 1;
            if *n == 1 {
                AxumStatus::SERVICE_UNAVAILABLE
            } else {
                AxumStatus::CREATED
            }
        }
        _ => AxumStatus::CREATED,
    }
}

/// A browser's side of a subscription: its key pair and auth secret.
struct Device {
    keys: Box<dyn ece::LocalKeyPair>,
    auth: [u8; 16],
    endpoint: String,
}

impl Device {
    fn new(endpoint: String) -> Self {
        let (keys, auth) = ece::generate_keypair_and_auth_secret().unwrap();
        Self { keys, auth, endpoint }
    }

    async fn subscribe(&self, app: &TestApp, client: &reqwest::Client) -> (StatusCode, Value) {
        let body = json!({
            "endpoint": self.endpoint,
            "p256dh": B64.encode(self.keys.pub_as_raw().unwrap()),
            "auth": B64.encode(self.auth),
            "label": "Android · Chrome",
        });
        app.call(client, "push/subscribe", body).await
    }

    /// Decrypts a message (RFC 8291, aes128gcm) and reads its JSON.
    fn open(&self, r: &Received) -> Value {
        let clear = ece::decrypt(&self.keys.raw_components().unwrap(), &self.auth, &r.body).expect("decryptable");
        serde_json::from_slice(&clear).expect("JSON payload")
    }
}

fn spawn_push_job(app: &TestApp) {
    tokio::spawn(app::push::run(app.state.clone(), StdDuration::from_secs(1)));
}

async fn audit_count(app: &TestApp, kind: &str) -> i64 {
    let mut conn = app.state.store.reader().await.unwrap();
    sqlx::query("select count(*) from audit_event where kind = $1")
        .bind(kind)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0)
}

/// Checks the VAPID header: `vapid t=<JWT signed ES256 by k>, k=<server public key>`.
fn check_vapid(r: &Received, app: &TestApp, audience: &str) {
    use jwt_simple::prelude::*;
    let auth = r.headers.get("authorization").expect("Authorization header");
    let rest = auth.strip_prefix("vapid ").unwrap_or_else(|| panic!("vapid scheme: {auth}"));
    let mut t = None;
    let mut k = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("t=") {
            t = Some(v.to_string());
        } else if let Some(v) = part.strip_prefix("k=") {
            k = Some(v.to_string());
        }
    }
    let (t, k) = (t.expect("t="), k.expect("k="));
    assert_eq!(k, app.state.push.keys.public, "k is the server's public key");
    let key = ES256PublicKey::from_bytes(&B64.decode(&k).unwrap()).unwrap();
    let claims = key.verify_token::<HashMap<String, Value>>(&t, None).expect("signature verifies with k");
    assert_eq!(claims.audiences.unwrap().into_string().unwrap(), audience, "aud is the push service's origin");
    assert_eq!(claims.subject.as_deref(), Some("mailto:relais@localhost"));
    assert!(claims.expires_at.is_some(), "the token expires");
}

#[tokio::test]
async fn a_new_offer_reaches_the_phone_encrypted_signed_and_urgent_and_a_taken_one_replaces_it() {
    let (service, base) = PushService::start().await;
    for db in backends().await {
        let app = spawn_app(&db, 0).await;
        spawn_push_job(&app);
        let martin = app.login("dr.martin").await;
        let leroy = app.login("dr.leroy").await;
        let martin_phone = Device::new(format!("{base}/ok/martin-{}", rand::random::<u32>()));
        let leroy_phone = Device::new(format!("{base}/ok/leroy-{}", rand::random::<u32>()));
        assert_eq!(martin_phone.subscribe(&app, &martin).await.0, StatusCode::OK);
        assert_eq!(leroy_phone.subscribe(&app, &leroy).await.0, StatusCode::OK);
        let (status, settings) = app.call(&martin, "push/settings", json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(settings["devices"].as_array().unwrap().len(), 1);
        assert_eq!(settings["devices"][0]["label"], "Android · Chrome");
        assert_eq!(settings["public_key"], app.state.push.keys.public);
        // Leroy chose English: his phone reads the offer in English, Martin's in French.
        assert_eq!(app.call(&leroy, "members/save_language", json!({ "lang": "en" })).await.0, StatusCode::OK);

        let coord = app.login("coordination").await;
        let id = app.create_request(&coord, json!({})).await;
        let (status, _) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
        assert_eq!(status, StatusCode::OK);

        let device = martin_phone.endpoint.rsplit('/').next().unwrap().to_string();
        let got = service.wait_for(&device, 1).await;
        assert_eq!(got.len(), 1, "one message for the new offer");
        let m = &got[0];
        assert_eq!(m.headers.get("content-encoding").map(String::as_str), Some("aes128gcm"));
        assert_eq!(m.headers.get("urgency").map(String::as_str), Some("high"));
        let ttl: i64 = m.headers.get("ttl").expect("TTL header").parse().unwrap();
        let wave = app.state.settings.waves.timeout(1).num_seconds();
        assert!(ttl > 0 && ttl <= wave, "TTL {ttl} s lasts the wave ({wave} s) at most");
        check_vapid(m, &app, &base);
        let payload = martin_phone.open(m);
        assert_eq!(payload["kind"], "offer_new");
        assert_eq!(payload["url"], format!("/offres?demande={id}"));
        assert_eq!(payload["tag"], format!("offre-{id}"));
        assert_eq!(payload["request_id"], id);
        assert_eq!(payload["title"], "Nouvelle demande de soins non programmés");
        assert!(payload["body"].as_str().unwrap().contains("Rennes"), "{payload}");
        assert!(payload["body"].as_str().unwrap().contains(" · avant "), "{payload}");
        assert!(!payload.to_string().contains("J. D."), "no patient identity on a lock screen: {payload}");
        let leroy_device = leroy_phone.endpoint.rsplit('/').next().unwrap().to_string();
        let english = leroy_phone.open(&service.wait_for(&leroy_device, 1).await[0]);
        assert_eq!(english["title"], "New same-day care request", "{english}");
        assert!(english["body"].as_str().unwrap().starts_with("Fever · Rennes · before "), "{english}");
        assert_eq!(english["url"], payload["url"]);

        // Leroy accepts: Martin's phone gets "taken", under the same tag (it replaces the first).
        let (status, _) = app.call(&leroy, "offers/accept", json!({ "request_id": id })).await;
        assert_eq!(status, StatusCode::OK);
        let got = service.wait_for(&device, 2).await;
        assert_eq!(got.len(), 2);
        let taken = martin_phone.open(&got[1]);
        assert_eq!(taken["kind"], "offer_taken");
        assert_eq!(taken["tag"], format!("offre-{id}"));
        assert_eq!(got[1].headers.get("urgency").map(String::as_str), Some("normal"));

        // The page the tap opens says the offer is gone, and why.
        let (status, lookup) = app.call(&martin, "offers/state", json!({ "request_id": id })).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(lookup["state"], "withdrawn");
        assert_eq!(lookup["live"], false);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_subscription_the_push_service_calls_gone_is_removed() {
    let (service, base) = PushService::start().await;
    for db in backends().await {
        let app = spawn_app(&db, 0).await;
        spawn_push_job(&app);
        let martin = app.login("dr.martin").await;
        let device = format!("old-phone-{}", rand::random::<u32>());
        let phone = Device::new(format!("{base}/gone/{device}"));
        assert_eq!(phone.subscribe(&app, &martin).await.0, StatusCode::OK);
        let coord = app.login("coordination").await;
        let id = app.create_request(&coord, json!({})).await;
        app.call(&coord, "requests/push", json!({ "request_id": id })).await;
        assert_eq!(service.wait_for(&device, 1).await.len(), 1);
        let mut devices = Value::Null;
        for _ in 0..50 {
            devices = app.call(&martin, "push/settings", json!({})).await.1["devices"].clone();
            if devices.as_array().is_some_and(Vec::is_empty) {
                break;
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        assert_eq!(devices, json!([]), "410: the subscription is removed");
        assert_eq!(audit_count(&app, "push_subscription_expired").await, 1);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_backoff_and_sent_once() {
    let (service, base) = PushService::start().await;
    for db in backends().await {
        let app = spawn_app(&db, 0).await;
        let martin = app.login("dr.martin").await;
        let device = format!("flaky-{}", rand::random::<u32>());
        let phone = Device::new(format!("{base}/flaky/{device}"));
        assert_eq!(phone.subscribe(&app, &martin).await.0, StatusCode::OK);
        let (status, queued) = app.call(&martin, "push/test", json!({})).await;
        assert_eq!((status, queued), (StatusCode::OK, json!(1)));
        // Driven by hand here (no job running): first try 503, kept for later.
        let first = app::push::send_due(&app.state).await.unwrap();
        assert_eq!((first.sent, first.retried), (0, 1));
        let early = app::push::send_due(&app.state).await.unwrap();
        assert_eq!(early.total(), 0, "not before the backoff");
        app.clock.advance(Duration::seconds(11));
        let second = app::push::send_due(&app.state).await.unwrap();
        assert_eq!((second.sent, second.retried), (1, 0));
        let again = app::push::send_due(&app.state).await.unwrap();
        assert_eq!(again.total(), 0, "sent once");
        let got = service.for_device(&device);
        assert_eq!(got.len(), 2, "503 then 201");
        assert_eq!(phone.open(&got[1])["kind"], "test");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_message_past_its_ttl_is_not_sent() {
    let (service, base) = PushService::start().await;
    let db = crate::support::TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let martin = app.login("dr.martin").await;
    let phone = Device::new(format!("{base}/ok/late"));
    phone.subscribe(&app, &martin).await;
    app.call(&martin, "push/test", json!({})).await;
    app.clock.advance(Duration::minutes(11));
    let report = app::push::send_due(&app.state).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    assert!(service.for_device("late").is_empty());
}

#[tokio::test]
async fn malformed_subscriptions_are_refused_with_the_field_at_fault() {
    let db = crate::support::TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let martin = app.login("dr.martin").await;
    let good = Device::new("https://fcm.googleapis.com/fcm/send/abc".into());
    let p256dh = B64.encode(good.keys.pub_as_raw().unwrap());
    let auth = B64.encode(good.auth);
    for (endpoint, p256dh, auth, field) in [
        ("ftp://push.example.org/x", p256dh.as_str(), auth.as_str(), "push_endpoint"),
        ("http://push.example.org/x", p256dh.as_str(), auth.as_str(), "push_endpoint"),
        ("https://internal.example.org/admin", p256dh.as_str(), auth.as_str(), "push_endpoint"),
        ("https://fcm.googleapis.com/fcm/send/x", "AAAA", auth.as_str(), "push_keys"),
        ("https://fcm.googleapis.com/fcm/send/x", p256dh.as_str(), "c2hvcnQ", "push_keys"),
    ] {
        let (status, body) =
            app.call(&martin, "push/subscribe", json!({ "endpoint": endpoint, "p256dh": p256dh, "auth": auth })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}: {body}");
        assert_eq!(body["detail"][0][0], field, "{body}");
    }
    let (_, settings) = app.call(&martin, "push/settings", json!({})).await;
    assert_eq!(settings["devices"], json!([]), "nothing stored");
    // Someone else's device cannot be removed.
    assert_eq!(good.subscribe(&app, &martin).await.0, StatusCode::OK);
    let device_id = app.call(&martin, "push/settings", json!({})).await.1["devices"][0]["id"].clone();
    let leroy = app.login("dr.leroy").await;
    let (status, _) = app.call(&leroy, "push/unsubscribe", json!({ "device_id": device_id })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(&martin, "push/unsubscribe", json!({ "device_id": device_id })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(audit_count(&app, "push_unsubscribed").await, 1);
}

#[tokio::test]
async fn a_replayed_action_runs_once_and_gets_the_first_answer() {
    for db in backends().await {
        let app = spawn_app(&db, 0).await;
        let coord = app.login("coordination").await;
        let martin = app.login("dr.martin").await;
        let leroy = app.login("dr.leroy").await;
        let id = app.create_request(&coord, json!({})).await;
        app.call(&coord, "requests/push", json!({ "request_id": id })).await;
        let send =
            |client: &reqwest::Client, key: &'static str, endpoint: &'static str, form: Vec<(&'static str, String)>| {
                let client = client.clone();
                let url = format!("{}/api/{endpoint}", app.base);
                async move {
                    let res = client
                        .post(url)
                        .header("accept", "application/json")
                        .header("idempotency-key", key)
                        .form(&form)
                        .send()
                        .await
                        .unwrap();
                    let replayed = res.headers().get("idempotent-replayed").is_some();
                    (res.status(), replayed, res.text().await.unwrap())
                }
            };
        let refusal = vec![("request_id", id.to_string()), ("reason", "no_slot".to_string())];
        let (s1, r1, b1) = send(&leroy, "phone-key-0001", "offers/refuse", refusal.clone()).await;
        assert_eq!((s1, r1), (StatusCode::OK, false), "{b1}");
        let (s2, r2, b2) = send(&leroy, "phone-key-0001", "offers/refuse", refusal.clone()).await;
        assert_eq!((s2, r2, b2.as_str()), (StatusCode::OK, true, b1.as_str()), "the first answer, not a second run");
        assert_eq!(audit_count(&app, "offer_refused").await, 1);
        // The same key from another member is another key.
        let (status, replayed, body) =
            send(&martin, "phone-key-0001", "offers/seen", vec![("request_id", id.to_string())]).await;
        assert_eq!((status, replayed), (StatusCode::OK, false), "{body}");
        // An outcome cannot be recorded twice: a replay gets the first answer instead of a 409.
        app.call(&martin, "offers/accept", json!({ "request_id": id })).await;
        let done = vec![("request_id", id.to_string()), ("outcome", "done".to_string())];
        let (s1, r1, b1) = send(&martin, "phone-key-0002", "requests/outcome", done.clone()).await;
        assert_eq!((s1, r1), (StatusCode::OK, false), "{b1}");
        let (s2, r2, b2) = send(&martin, "phone-key-0002", "requests/outcome", done.clone()).await;
        assert_eq!((s2, r2, b2), (StatusCode::OK, true, b1));
        let (status, body) =
            app.call(&martin, "requests/outcome", json!({ "request_id": id, "outcome": "done" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "run again, it would be refused: {body}");
        // A key reused for another action, or a malformed key, is refused and runs nothing.
        let (status, _, body) =
            send(&martin, "phone-key-0002", "offers/seen", vec![("request_id", id.to_string())]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("idempotency_key"), "{body}");
        let (status, _, _) = send(&martin, "bad key!", "offers/refuse", refusal.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_service_worker_is_stamped_with_the_build_and_the_manifest_is_served() {
    let db = crate::support::TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.client();
    let sw = client.get(format!("{}/sw.js", app.base)).send().await.unwrap();
    if sw.status() == StatusCode::NOT_FOUND {
        // target/site is made by the release build (cargo leptos build), which the test command runs first.
        eprintln!("*** SKIPPED: target/site/sw.js absent: run `cargo leptos build --release` first ***");
        return;
    }
    assert_eq!(sw.status(), StatusCode::OK);
    assert!(sw.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    let body = sw.text().await.unwrap();
    assert!(!body.contains("__RELAIS_BUILD__"), "the build stamp is filled in");
    assert!(body.contains("const BUILD = \""));
    let manifest: Value =
        client.get(format!("{}/manifest.webmanifest", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["lang"], "fr");
}
