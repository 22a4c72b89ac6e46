//! The TLS reverse proxy of the deployment guide, run as shipped (`deploy/haproxy.cfg`) in front
//! of a server started with `--behind-proxy --secure-cookies`: pages and calls over HTTPS, plain
//! HTTP redirected, secure cookies, a request id on every answer, the live stream unbuffered,
//! `/metrics` kept inside, the client's address as the proxy saw it (not as the client forged it).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::platform::live::{open_stream, wait_for};
use crate::support::{email, spawn_app_with, test_settings, TestApp, TestDb};

struct Proxy(Child);

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A self-signed certificate for localhost: (the PEM haproxy reads, the certificate alone).
fn certificate(dir: &std::path::Path) -> (std::path::PathBuf, Vec<u8>) {
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl (scripts/setup.sh installs it)");
    assert!(made.success());
    let cert = std::fs::read(&cert).unwrap();
    let pem = dir.join("relais.pem");
    std::fs::write(&pem, [cert.clone(), std::fs::read(&key).unwrap()].concat()).unwrap();
    (pem, cert)
}

#[tokio::test]
async fn the_deployment_guides_proxy_serves_relais_over_tls() {
    let (http, https) = (free_port(), free_port());
    let origin = format!("https://localhost:{https}");
    let settings = app::platform::Settings {
        behind_proxy: true,
        secure_cookies: true,
        public_origin: Some(origin.clone()),
        ..test_settings()
    };
    let db = TestDb::sqlite();
    let app = spawn_app_with(&db, 0, settings).await;
    // The proxy only sends to an instance that is ready: jobs included.
    let _jobs = server::spawn_jobs(app.state.clone(), Duration::from_secs(1));
    let dir = tempfile::tempdir().unwrap();
    let (pem, cert) = certificate(dir.path());
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/haproxy.cfg");
    let child = Command::new("haproxy")
        .args(["-db", "-f", config])
        .env("RELAIS_HTTP_BIND", format!("127.0.0.1:{http}"))
        .env("RELAIS_HTTPS_BIND", format!("127.0.0.1:{https}"))
        .env("RELAIS_TLS_PEM", &pem)
        .env("RELAIS_A", app.base.trim_start_matches("http://"))
        .spawn()
        .expect("haproxy (scripts/setup.sh installs it)");
    let _proxy = Proxy(child);
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).unwrap())
        .resolve("localhost", format!("127.0.0.1:{https}").parse().unwrap())
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Up once its health check found the instance ready.
    let mut page = None;
    for _ in 0..50 {
        match client.get(format!("{origin}/connexion")).send().await {
            Ok(res) if res.status() == 200 => {
                page = Some(res);
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let page = page.expect("the login page over HTTPS through the proxy");
    assert!(page.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    assert_eq!(page.headers()["x-request-id"].to_str().unwrap().len(), 36, "the proxy's request id");

    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let moved = plain.get(format!("http://127.0.0.1:{http}/connexion")).send().await.unwrap();
    assert_eq!(moved.status(), 301);
    assert!(moved.headers()["location"].to_str().unwrap().starts_with("https://"));

    let login = client
        .post(format!("{origin}/api/auth/login"))
        .header("accept", "application/json")
        .header("origin", &origin)
        .json(&json!({ "email": email("dr.martin"), "password": app::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");

    // The live stream's first event arrives through the proxy (not held in a buffer).
    let through = TestApp { base: origin.clone(), state: app.state.clone(), clock: app.clock.clone() };
    let mut stream = open_stream(&through, &client).await;
    wait_for(&mut stream, "hello").await;

    // The metrics stay inside; the instance itself answers them to this machine.
    for inside in ["/metrics", "/readyz"] {
        let hidden = client.get(format!("{origin}{inside}")).send().await.unwrap();
        assert_eq!(hidden.status(), 404, "{inside}");
    }
    assert_eq!(reqwest::get(format!("{}/metrics", app.base)).await.unwrap().status(), 200);

    // A failed login is counted against the client's address as the proxy appended it, not
    // the one the client forged in its own X-Forwarded-For.
    let failed = client
        .post(format!("{origin}/api/auth/login"))
        .header("accept", "application/json")
        .header("x-forwarded-for", "203.0.113.7")
        .json(&json!({ "email": email("dr.leroy"), "password": "not the password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);
    let mut conn = app.state.store.reader().await.unwrap();
    let ips: Vec<String> = sqlx::query_scalar("select ip from login_failure").fetch_all(&mut *conn).await.unwrap();
    assert_eq!(ips, ["127.0.0.1"]);
}
