//! What the benchmarks share: logging demo members in, calling server functions, percentiles,
//! and a Web Push service on loopback that notes what arrives.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::{json, Value};

/// The demo accounts' password (`seed-demo`).
pub const PASSWORD: &str = "relais-demo";

/// Arrivals at the loopback push service: the device (the last segment of the subscription's
/// endpoint) and when its message arrived.
pub type Arrivals = Arc<Mutex<Vec<(String, Instant)>>>;

/// A push service on loopback that notes when each message arrives, and for which device.
///
/// # Errors
/// When no loopback port can be bound.
pub async fn push_receiver() -> anyhow::Result<(String, Arrivals)> {
    use axum::routing::post;
    let arrivals: Arrivals = Arc::default();
    let seen = arrivals.clone();
    let router = axum::Router::new().route(
        "/push/{device}",
        post(move |axum::extract::Path(device): axum::extract::Path<String>, _body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                seen.lock().map(|mut v| v.push((device, Instant::now()))).ok();
                axum::http::StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((base, arrivals))
}

/// The `p`th percentile of sorted durations (nearest rank).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A client logged in as the demo member `login`.
///
/// # Errors
/// When the login is refused or the server cannot be reached.
pub async fn login(base: &str, login: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(2).build()?;
    let res = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "email": format!("{login}@demo.relais.test"), "password": PASSWORD }))
        .send()
        .await?;
    if !res.status().is_success() {
        bail!("login {login}: {}", res.status());
    }
    Ok(client)
}

/// Calls a server function with a JSON body; its JSON answer, or an error naming the status.
///
/// # Errors
/// Any non-2xx answer, or no answer.
pub async fn call(client: &reqwest::Client, base: &str, endpoint: &str, body: Value) -> anyhow::Result<Value> {
    let res = client.post(format!("{base}/api/{endpoint}")).json(&body).send().await?;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("{endpoint}: {status} {v}");
    }
    Ok(v)
}

/// A new SNP request's form (a GP for a fever, today).
pub fn request_form() -> Value {
    json!({ "form": {
        "motive": "fever", "profession": "gp", "patient_name": "Bench", "age_band": "16-64",
        "callback_phone": "0612345678", "commune": "Rennes", "deadline": "today", "source": "patient_call" } })
}

/// Runs `measure` on a new PostgreSQL database (named `prefix` and the process id) made on the
/// server `admin_url` names, then drops it, whatever `measure` returned.
///
/// # Errors
/// When the server cannot be reached or the database made, or `measure`'s error.
pub async fn on_new_postgres_database<F, Fut>(admin_url: &str, prefix: &str, measure: F) -> anyhow::Result<()>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(admin_url).await.map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?;
    let name = format!("{prefix}_{}", std::process::id());
    sqlx::query(&format!("create database {name}")).execute(&admin).await?;
    let base = admin_url.rsplit_once('/').map_or(admin_url.to_string(), |(b, _)| b.to_string());
    let result = measure(format!("{base}/{name}")).await;
    sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&admin).await?;
    result
}
