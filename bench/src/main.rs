//! `relais-bench`: load and latency of dispatch against a running Relais server on loopback.
//!
//! 1. Logs in N clinicians and opens N live streams (`/api/live`).
//! 2. The coordinator creates and pushes one request; measures, for each stream, the time from
//!    the push call to the arrival of its `offer_new` event (p50 / p99).
//!    Each clinician also has `--push-devices` phones subscribed to Web Push at a receiver this
//!    program runs on loopback: for each message, the time from the push call to its arrival
//!    there (encrypted, VAPID-signed: what leaves the server for a real push service).
//! 3. Fires N concurrent acceptances of that request from the N sessions; counts the winners
//!    and measures the latency of each answer (p50 / p99).
//!
//! The server must run the demo CPTS seeded with `seed-demo --extra-clinicians N` and be open
//! (use `--clock-start` at night). `scripts/bench.sh` does all of that.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use bench::{call, login, percentile, push_receiver};
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
    /// Web Push subscriptions per clinician (500 clinicians × 2 = 1,000 subscriptions).
    #[arg(long, default_value_t = 2)]
    push_devices: usize,
    /// Each acceptance opens a new connection (a phone whose connections all closed).
    #[arg(long)]
    cold_accepts: bool,
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

/// The server's `relais_accepts_too_late_total`, by `told` (read, lock), from `/metrics` (open
/// to loopback).
async fn too_late(base: &str) -> std::collections::HashMap<String, f64> {
    let text = match reqwest::get(format!("{base}/metrics")).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    text.lines()
        .filter_map(|l| l.strip_prefix("relais_accepts_too_late_total{told=\""))
        .filter_map(|l| l.split_once("\"} "))
        .filter_map(|(how, n)| Some((how.to_string(), n.trim().parse().ok()?)))
        .collect()
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

    // Their phones subscribe to Web Push at the local receiver (one key pair serves them all).
    let (receiver, push_arrivals) = push_receiver().await?;
    let (keys, auth) = ece::generate_keypair_and_auth_secret().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b);
    let p256dh = b64(&keys.pub_as_raw().map_err(|e| anyhow::anyhow!("{e:?}"))?);
    let auth = b64(&auth);
    let subscriptions: Vec<(usize, usize)> = (0..n).flat_map(|i| (0..args.push_devices).map(move |d| (i, d))).collect();
    let subscribed: Vec<anyhow::Result<Value>> = stream::iter(subscriptions)
        .map(|(i, d)| {
            let (client, base, receiver, p256dh, auth) =
                (clients[i].clone(), base.clone(), receiver.clone(), p256dh.clone(), auth.clone());
            async move {
                let body = json!({ "endpoint": format!("{receiver}/push/{i}-{d}"), "p256dh": p256dh, "auth": auth });
                call(&client, &base, "push/subscribe", body).await
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let push_subscriptions = subscribed.into_iter().collect::<Result<Vec<_>, _>>()?.len();
    println!("{push_subscriptions} Web Push subscriptions");

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
    let form = bench::request_form();
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

    for _ in 0..300 {
        if push_arrivals.lock().map(|v| v.len()).unwrap_or(0) >= push_subscriptions {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut pushes: Vec<Duration> = push_arrivals
        .lock()
        .map(|v| v.iter().map(|(_, at)| at.duration_since(pushed_at)).collect())
        .unwrap_or_default();
    pushes.sort();
    println!(
        "Web Push messages received from the server by the local push service: {}/{push_subscriptions}: p50 {} ms, p99 {} ms, max {} ms",
        pushes.len(),
        percentile(&pushes, 50.0).as_millis(),
        percentile(&pushes, 99.0).as_millis(),
        pushes.last().copied().unwrap_or_default().as_millis()
    );

    // Each phone shows the offer: the page's calls have opened a connection beside the live
    // stream's, as a browser keeps them. (`--cold-accepts`: each acceptance opens its own.)
    if !args.cold_accepts {
        let warmed: Vec<anyhow::Result<Value>> = stream::iter(clients.iter().cloned())
            .map(|c| {
                let base = base.clone();
                async move { call(&c, &base, "offers/inbox", json!({})).await }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        warmed.into_iter().collect::<Result<Vec<_>, _>>().context("the offers page of each phone")?;
    }

    // Everyone taps "Accepter" at once.
    let too_late_before = too_late(&base).await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    // Each task holds a handle on its phone's client; the clients themselves live on until
    // the answers are counted (dropping one frees its TLS roots: about a millisecond of the
    // bench's own time each, which delayed the other acceptances when it happened among them).
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
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
        "{n} concurrent accepts ({} connections): {won} winner(s), {taken} already taken, {errors} errors; p50 {} ms, p99 {} ms, max {} ms",
        if args.cold_accepts { "new" } else { "open" },
        percentile(&latencies, 50.0).as_millis(),
        percentile(&latencies, 99.0).as_millis(),
        latencies.last().copied().unwrap_or_default().as_millis()
    );
    println!(
        "  their deciles: {}",
        (1..=10)
            .map(|d| format!("{} ms", percentile(&latencies, d as f64 * 10.0).as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let too_late_after = too_late(&base).await;
    let told = |how: &str| too_late_after.get(how).unwrap_or(&0.0) - too_late_before.get(how).unwrap_or(&0.0);
    println!(
        "  the already taken were told so from a read of the committed state: {}; by the turn before theirs: {}; under the request's lock: {}",
        told("read"),
        told("turn"),
        told("lock")
    );
    drop(clients);
    if won != 1 || errors > 0 {
        bail!("first-accept-wins violated or errors under load");
    }
    vacations(&base, n.min(300)).await
}

/// A year of vacations for `members` clinicians: generation, assignment, "who is on duty now"
/// (the panel preview computes it for every clinician), and a member's 12-month calendar feed.
async fn vacations(base: &str, members: usize) -> anyhow::Result<()> {
    let admin = login(base, "admin").await?;
    let planning = call(
        &admin,
        base,
        "plannings/create",
        json!({ "name": format!("Banc d'essai {}", std::process::id()), "notice_hours": "48" }),
    )
    .await?
    .as_i64()
    .context("planning id")?;
    let view = call(&admin, base, "plannings/view", json!({ "planning_id": planning })).await?;
    let ids: Vec<i64> = view["clinicians"]
        .as_array()
        .context("clinicians")?
        .iter()
        .filter(|c| c[1].as_str().is_some_and(|n| n.starts_with("Dr Banc")))
        .filter_map(|c| c[0].as_i64())
        .take(members)
        .collect();
    call(
        &admin,
        base,
        "plannings/add_group",
        json!({ "planning_id": planning, "name": "Tous", "dimension": "territory", "member_ids": ids }),
    )
    .await?;
    let form = json!({ "kind": "snp_office", "weekdays": ["1", "2", "3", "4", "5", "6"], "hours": "08:00-12:00,14:00-20:00",
        "from": "2027-01-01", "to": "2027-12-31", "capacity": "2", "skip_holidays": "on", "self_service": "on" });
    let t = Instant::now();
    let created = call(&admin, base, "plannings/generate", json!({ "planning_id": planning, "form": form })).await?;
    println!("generated {created} vacations (a year, 2 places each) in {} ms", t.elapsed().as_millis());

    let mut vacation_ids = vec![];
    for month in 1..=12 {
        let v = call(
            &admin,
            base,
            "plannings/view",
            json!({ "planning_id": planning, "from": format!("2027-{month:02}-01"), "days": 31 }),
        )
        .await?;
        for x in v["vacations"].as_array().into_iter().flatten() {
            if let Some(id) = x["id"].as_i64() {
                if x["starts_at"].as_str().is_some_and(|s| s.starts_with(&format!("2027-{month:02}"))) {
                    vacation_ids.push(id);
                }
            }
        }
    }
    vacation_ids.sort_unstable();
    vacation_ids.dedup();
    // Every place filled, members taken in turn.
    let jobs: Vec<(i64, i64)> = vacation_ids
        .iter()
        .enumerate()
        .flat_map(|(i, v)| [(*v, ids[(2 * i) % ids.len()]), (*v, ids[(2 * i + 1) % ids.len()])])
        .collect();
    let t = Instant::now();
    let results: Vec<anyhow::Result<Value>> = stream::iter(jobs.iter().copied())
        .map(|(v, m)| {
            let admin = admin.clone();
            async move { call(&admin, base, "plannings/assign", json!({ "vacation_id": v, "member_id": m })).await }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    println!(
        "assigned {} places to {} members in {:.1} s ({failed} refused by the rules)",
        jobs.len() - failed,
        ids.len(),
        t.elapsed().as_secs_f64()
    );

    // Who is on duty now: the panel preview of a new request computes it for every clinician.
    let coordinator = login(base, "coordination").await?;
    let form = bench::request_form();
    let id = call(&coordinator, base, "requests/create", form).await?.as_i64().context("request id")?;
    let mut timings = vec![];
    for _ in 0..30 {
        let t = Instant::now();
        call(&coordinator, base, "requests/detail", json!({ "request_id": id })).await?;
        timings.push(t.elapsed());
    }
    timings.sort();
    println!(
        "panel with who is on duty now: p50 {} ms, p99 {} ms",
        percentile(&timings, 50.0).as_millis(),
        percentile(&timings, 99.0).as_millis()
    );

    // A member's 12-month feed.
    let member = login(base, "bench.gp0000").await?;
    let mine = call(&member, base, "vacations/mine", json!({})).await?;
    let path = mine["calendar_path"].as_str().context("calendar path")?.to_string();
    let mut timings = vec![];
    let mut events = 0;
    // One calendar application polling the feed (a client made once: making one loads its TLS
    // roots, tens of milliseconds that are not the server's).
    let calendar = reqwest::Client::new();
    for _ in 0..30 {
        let t = Instant::now();
        let ics = calendar.get(format!("{base}{path}")).send().await?.text().await?;
        timings.push(t.elapsed());
        events = ics.matches("BEGIN:VEVENT").count();
    }
    timings.sort();
    println!(
        "12-month calendar feed ({events} events): p50 {} ms, p99 {} ms",
        percentile(&timings, 50.0).as_millis(),
        percentile(&timings, 99.0).as_millis()
    );
    Ok(())
}
