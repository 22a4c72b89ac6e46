//! `relais-bench`: load and latency of dispatch against a running Relais server on loopback.
//!
//! 1. Logs in N clinicians and opens N live streams (`/api/live`).
//! 2. The coordinator creates and pushes one request; measures, for each stream, the time from
//!    the push call to the arrival of its `offer_new` event (p50 / p99).
//! 3. Fires N concurrent acceptances of that request from the N sessions; counts the winners
//!    and measures the latency of each answer (p50 / p99).
//!
//! The server must run the demo CPTS seeded with `seed-demo --extra-clinicians N` and be open
//! (use `--clock-start` at night). `scripts/bench.sh` does all of that.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use futures::{stream, StreamExt};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(about = "Dispatch load and latency benchmark (loopback only)")]
struct Args {
    /// Base URL of the server (must be on this machine).
    #[arg(long, default_value = "http://127.0.0.1:3200")]
    base: String,
    /// How many clinicians stream and accept.
    #[arg(long, default_value_t = 500)]
    clinicians: usize,
}

const PASSWORD: &str = "relais-demo";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn login(base: &str, login: &str) -> anyhow::Result<reqwest::Client> {
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

async fn call(client: &reqwest::Client, base: &str, endpoint: &str, body: Value) -> anyhow::Result<Value> {
    let res = client.post(format!("{base}/api/{endpoint}")).json(&body).send().await?;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("{endpoint}: {status} {v}");
    }
    Ok(v)
}

/// Reads a live stream until an event of `kind` arrives; returns when it did.
async fn wait_event(res: reqwest::Response, kind: &str) -> Option<Instant> {
    let mut body = res.bytes_stream();
    let mut buffer = String::new();
    let needle = format!("\"kind\":\"{kind}\"");
    while let Some(Ok(chunk)) = body.next().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        if buffer.contains(&needle) {
            return Some(Instant::now());
        }
        if buffer.len() > 1 << 16 {
            buffer.clear();
        }
    }
    None
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let base = args.base.trim_end_matches('/').to_string();
    if !(base.starts_with("http://127.") || base.starts_with("http://localhost") || base.starts_with("http://[::1]")) {
        bail!("the benchmark only targets a server on this machine (loopback)");
    }
    let n = args.clinicians;

    let t = Instant::now();
    let clients: Vec<reqwest::Client> = stream::iter(0..n)
        .map(|i| {
            let base = base.clone();
            async move { login(&base, &format!("bench.gp{i:04}")).await }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .context("logging the clinicians in (seed with --extra-clinicians)")?;
    println!("logged in {n} clinicians in {:.1} s", t.elapsed().as_secs_f64());

    // Open every stream and wait for its first byte (the "hello" event).
    let mut streams = Vec::with_capacity(n);
    for c in &clients {
        let res = c.get(format!("{base}/api/live")).send().await?;
        if !res.status().is_success() {
            bail!("live stream: {}", res.status());
        }
        streams.push(res);
    }
    println!("{n} live streams open");
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(n);
    let handles: Vec<_> = streams
        .into_iter()
        .map(|res| {
            let ready = ready_tx.clone();
            tokio::spawn(async move {
                let _ = ready.send(()).await;
                wait_event(res, "offer_new").await
            })
        })
        .collect();
    for _ in 0..n {
        ready_rx.recv().await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    let coordinator = login(&base, "coordination").await?;
    let form = json!({ "form": {
        "motive": "fever", "profession": "gp", "patient_name": "Bench", "age_band": "16-64",
        "callback_phone": "0612345678", "commune": "Rennes", "deadline": "today", "source": "patient_call" } });
    let id = call(&coordinator, &base, "requests/create", form).await?.as_i64().context("request id")?;
    let pushed_at = Instant::now();
    let pushed = call(&coordinator, &base, "requests/push", json!({ "request_id": id })).await?;
    let push_ms = pushed_at.elapsed();
    println!("push to {} clinicians answered in {} ms", pushed["offered"], push_ms.as_millis());
    let mut arrivals = vec![];
    for h in handles {
        if let Ok(Ok(Some(at))) = tokio::time::timeout(Duration::from_secs(30), h).await {
            arrivals.push(at.duration_since(pushed_at));
        }
    }
    arrivals.sort();
    println!(
        "offer received live by {}/{n} streams: p50 {} ms, p99 {} ms, max {} ms",
        arrivals.len(),
        percentile(&arrivals, 50.0).as_millis(),
        percentile(&arrivals, 99.0).as_millis(),
        arrivals.last().copied().unwrap_or_default().as_millis()
    );

    // Everyone taps "Accepter" at once.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|c| {
            let base = base.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let start = Instant::now();
                let res = c.post(format!("{base}/api/offers/accept")).json(&json!({ "request_id": id })).send().await;
                let elapsed = start.elapsed();
                match res {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let v: Value = r.json().await.unwrap_or(Value::Null);
                        (status, v["result"].as_str().unwrap_or("").to_string(), elapsed)
                    }
                    Err(_) => (0, String::new(), elapsed),
                }
            })
        })
        .collect();
    let mut latencies = vec![];
    let (mut won, mut taken, mut errors) = (0, 0, 0);
    for t in tasks {
        let (status, result, elapsed) = t.await?;
        latencies.push(elapsed);
        match (status, result.as_str()) {
            (200, "won") => won += 1,
            (200, "already_taken") => taken += 1,
            _ => errors += 1,
        }
    }
    latencies.sort();
    println!(
        "{n} concurrent accepts: {won} winner(s), {taken} already taken, {errors} errors; p50 {} ms, p99 {} ms, max {} ms",
        percentile(&latencies, 50.0).as_millis(),
        percentile(&latencies, 99.0).as_millis(),
        latencies.last().copied().unwrap_or_default().as_millis()
    );
    if won != 1 || errors > 0 {
        bail!("first-accept-wins violated or errors under load");
    }
    Ok(())
}
