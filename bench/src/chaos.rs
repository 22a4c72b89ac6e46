//! `relais-chaos`: a steady load of pushes and acceptances through one Relais address (a server,
//! or a load balancer in front of several) for `--seconds`, while `bench/chaos.sh` breaks
//! something underneath (kills a server, stops the database, fills the disk). Then it checks,
//! in the database itself, what must survive:
//! - every acceptance that was answered 200 "won" is the request's one accepted offer;
//! - no request has two accepted offers;
//! - every live stream is connected again;
//! - every queued Web Push row is delivered, and each delivered row arrived exactly once.
//!
//! It reports what the callers saw meanwhile: answers by status (503 while the database is
//! away, 502/504 from the balancer, no answer), the slowest answer, the streams' longest gap.
//! Exits 1 when an invariant is broken.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use bench::{call, login, push_receiver, request_form};
use clap::Parser;
use futures::StreamExt;
use serde_json::{json, Value};
use sqlx::Row;

#[derive(Parser)]
#[command(about = "Steady dispatch load while something breaks, then the invariants (loopback only)")]
struct Args {
    /// Where the load goes: a server or the load balancer in front of several.
    #[arg(long)]
    base: String,
    /// The database the servers use, read at the end to check what survived.
    #[arg(long)]
    database_url: String,
    /// How long the load lasts.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Clinicians who stream and race to accept (`bench.gp0000`…: seed with --extra-clinicians).
    #[arg(long, default_value_t = 30)]
    clinicians: usize,
    /// A new request is created and pushed this often.
    #[arg(long, default_value_t = 500)]
    every_ms: u64,
    /// Any answer other than a success breaks the run (a rolling restart must fail nothing).
    #[arg(long)]
    strict: bool,
}

/// What the callers saw: answers by endpoint and status, and the slowest.
#[derive(Default)]
struct Seen {
    answers: BTreeMap<(String, String), u64>,
    slowest: Duration,
    /// Seconds since the start of the first and last answer that was not a success.
    refused: Option<(f64, f64)>,
}

struct Load {
    base: String,
    start: Instant,
    seen: Mutex<Seen>,
    /// (request, member) of every acceptance answered 200 "won".
    won: Mutex<Vec<(i64, i64)>>,
}

const CALL_TIMEOUT: Duration = Duration::from_secs(15);

impl Load {
    /// Calls a server function and notes how it was answered; the JSON answer on success.
    async fn call(&self, client: &reqwest::Client, endpoint: &str, body: Value) -> Option<Value> {
        let t = Instant::now();
        let res = client.post(format!("{}/api/{endpoint}", self.base)).timeout(CALL_TIMEOUT).json(&body).send().await;
        let (label, value) = match res {
            Ok(r) => {
                let status = r.status();
                let json = r.json::<Value>().await.ok();
                let body_code = json.as_ref().and_then(|v| v["code"].as_str()).map(|c| format!(" {c}"));
                (format!("{}{}", status.as_u16(), body_code.unwrap_or_default()), json.filter(|_| status.is_success()))
            }
            Err(e) if e.is_timeout() => ("no answer in 15 s".to_string(), None),
            Err(_) => ("connection failed".to_string(), None),
        };
        let elapsed = t.elapsed();
        let at = self.start.elapsed().as_secs_f64();
        let mut seen = self.seen.lock().expect("seen");
        *seen.answers.entry((endpoint.to_string(), label)).or_default() += 1;
        seen.slowest = seen.slowest.max(elapsed);
        if value.is_none() {
            seen.refused = Some(seen.refused.map_or((at, at), |(first, _)| (first, at)));
        }
        value
    }
}

/// A live stream kept open: reconnects a second after it ends, counts its connections and
/// notes its longest time without one.
struct Stream {
    connected: AtomicBool,
    connections: AtomicU64,
    longest_gap_ms: AtomicU64,
}

async fn keep_streaming(client: reqwest::Client, base: String, stream: Arc<Stream>, stop: Arc<AtomicBool>) {
    let mut lost_at: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        if let Ok(res) = client.get(format!("{base}/api/live")).send().await {
            if res.status().is_success() {
                if let Some(t) = lost_at.take() {
                    stream.longest_gap_ms.fetch_max(t.elapsed().as_millis() as u64, Ordering::Relaxed);
                }
                stream.connected.store(true, Ordering::Relaxed);
                stream.connections.fetch_add(1, Ordering::Relaxed);
                let mut body = res.bytes_stream();
                while let Some(Ok(_)) = body.next().await {}
                stream.connected.store(false, Ordering::Relaxed);
            }
        }
        lost_at.get_or_insert_with(Instant::now);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let base = args.base.trim_end_matches('/').to_string();
    if !(base.starts_with("http://127.") || base.starts_with("http://localhost")) {
        bail!("the chaos run only targets servers on this machine (loopback)");
    }
    let coordinator = login(&base, "coordination").await?;
    let (receiver, arrivals) = push_receiver().await?;
    let (keys, auth) = ece::generate_keypair_and_auth_secret().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b);
    let p256dh = b64(&keys.pub_as_raw().map_err(|e| anyhow::anyhow!("{e:?}"))?);
    let auth = b64(&auth);
    let run = std::process::id();
    let mut clinicians = vec![];
    for i in 0..args.clinicians {
        let client = login(&base, &format!("bench.gp{i:04}")).await.context("seed with --extra-clinicians")?;
        let id = call(&client, &base, "auth/me", json!({})).await?["id"].as_i64().context("member id")?;
        let endpoint = format!("{receiver}/push/{run}-{id}");
        call(&client, &base, "push/subscribe", json!({ "endpoint": endpoint, "p256dh": p256dh, "auth": auth })).await?;
        clinicians.push((id, client));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let streams: Vec<Arc<Stream>> = clinicians
        .iter()
        .map(|(_, client)| {
            let stream = Arc::new(Stream {
                connected: AtomicBool::new(false),
                connections: AtomicU64::new(0),
                longest_gap_ms: AtomicU64::new(0),
            });
            tokio::spawn(keep_streaming(client.clone(), base.clone(), stream.clone(), stop.clone()));
            stream
        })
        .collect();
    println!(
        "{} clinicians logged in, subscribed to Web Push and streaming; load for {} s",
        clinicians.len(),
        args.seconds
    );

    let load =
        Arc::new(Load { base: base.clone(), start: Instant::now(), seen: Mutex::default(), won: Mutex::default() });
    let clinicians = Arc::new(clinicians);
    let mut ticks = tokio::time::interval(Duration::from_millis(args.every_ms));
    let mut rounds = tokio::task::JoinSet::new();
    while load.start.elapsed() < Duration::from_secs(args.seconds) {
        ticks.tick().await;
        let (load, coordinator, clinicians) = (load.clone(), coordinator.clone(), clinicians.clone());
        rounds.spawn(async move {
            let Some(id) = load.call(&coordinator, "requests/create", request_form()).await.and_then(|v| v.as_i64())
            else {
                return;
            };
            if load.call(&coordinator, "requests/push", json!({ "request_id": id })).await.is_none() {
                return;
            }
            // Every clinician taps "Accepter" at once.
            let races = clinicians.iter().map(|(member, client)| {
                let load = load.clone();
                async move {
                    let answer = load.call(client, "offers/accept", json!({ "request_id": id })).await;
                    if answer.is_some_and(|a| a["result"] == "won") {
                        load.won.lock().expect("won").push((id, *member));
                    }
                }
            });
            futures::future::join_all(races).await;
        });
    }
    while rounds.join_next().await.is_some() {}
    println!(
        "load over after {:.0} s; letting streams reconnect and Web Push drain",
        load.start.elapsed().as_secs_f64()
    );

    let pool = {
        sqlx::any::install_default_drivers();
        sqlx::any::AnyPoolOptions::new().max_connections(2).connect(&args.database_url).await?
    };
    // Web Push: wait (up to 90 s) until no row for these phones is left to send.
    let prefix = format!("{receiver}/push/{run}-");
    let mut pending = i64::MAX;
    for _ in 0..90 {
        pending = sqlx::query(
            "select count(*) from push_delivery d join push_subscription s on s.id = d.subscription_id \
             where d.state = 'pending' and s.endpoint like $1",
        )
        .bind(format!("{prefix}%"))
        .fetch_one(&pool)
        .await?
        .try_get::<i64, _>(0)?;
        let all_back = streams.iter().all(|s| s.connected.load(Ordering::Relaxed));
        if pending == 0 && all_back {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut broken = vec![];

    // Acceptances answered "won": each is its request's one accepted offer.
    let won = load.won.lock().expect("won").clone();
    let mut lost = 0;
    for (request, member) in &won {
        let accepted: Vec<i64> =
            sqlx::query("select member_id from offer where request_id = $1 and state = 'accepted'")
                .bind(request)
                .fetch_all(&pool)
                .await?
                .iter()
                .map(|r| r.try_get::<i64, _>(0))
                .collect::<Result<_, _>>()?;
        if accepted != [*member] {
            lost += 1;
        }
    }
    let two_winners: i64 = sqlx::query(
        "select count(*) from (select request_id from offer where state = 'accepted' group by request_id \
         having count(*) > 1) twice",
    )
    .fetch_one(&pool)
    .await?
    .try_get(0)?;
    println!(
        "acceptances answered \"won\": {}; lost afterwards: {lost}; requests with two winners: {two_winners}",
        won.len()
    );
    if lost > 0 || two_winners > 0 {
        broken.push("an acceptance was lost or a request has two winners");
    }

    // Web Push: each row marked sent arrived once, none is left pending.
    let mut sent: HashMap<String, i64> = HashMap::new();
    for row in sqlx::query(
        "select s.endpoint, count(*) from push_delivery d join push_subscription s on s.id = d.subscription_id \
         where d.state = 'sent' and s.endpoint like $1 group by s.endpoint",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(&pool)
    .await?
    {
        let endpoint: String = row.try_get(0)?;
        sent.insert(endpoint.rsplit('/').next().unwrap_or_default().to_string(), row.try_get(1)?);
    }
    let mut arrived: HashMap<String, i64> = HashMap::new();
    for (device, _) in arrivals.lock().expect("arrivals").iter() {
        *arrived.entry(device.clone()).or_default() += 1;
    }
    let rows: i64 = sent.values().sum();
    let messages: i64 = arrived.values().sum();
    let twice: i64 = sent.iter().map(|(d, n)| (arrived.get(d).copied().unwrap_or(0) - n).max(0)).sum();
    let missing: i64 = sent.iter().map(|(d, n)| (n - arrived.get(d).copied().unwrap_or(0)).max(0)).sum();
    println!(
        "Web Push: {rows} rows sent, {messages} messages arrived; arrived twice: {twice}, missing: {missing}, still pending: {pending}"
    );
    if twice > 0 || missing > 0 || pending > 0 {
        broken.push("a Web Push row was delivered twice, lost or left pending");
    }

    let back = streams.iter().filter(|s| s.connected.load(Ordering::Relaxed)).count();
    let connections: u64 = streams.iter().map(|s| s.connections.load(Ordering::Relaxed)).sum();
    let gap = streams.iter().map(|s| s.longest_gap_ms.load(Ordering::Relaxed)).max().unwrap_or(0);
    println!(
        "live streams: {back}/{} connected at the end; {} reconnections; longest time without a stream {:.1} s",
        streams.len(),
        connections.saturating_sub(streams.len() as u64),
        gap as f64 / 1000.0
    );
    if back < streams.len() {
        broken.push("a live stream did not reconnect");
    }

    let seen = load.seen.lock().expect("seen");
    println!("answers seen by the callers (endpoint, status: count):");
    for ((endpoint, status), n) in &seen.answers {
        println!("  {endpoint:<18} {status:<28} {n}");
    }
    println!("slowest answer: {} ms", seen.slowest.as_millis());
    if let Some((first, last)) = seen.refused {
        println!("answers other than success between t = {first:.1} s and t = {last:.1} s");
        if args.strict {
            broken.push("a call was not answered with a success");
        }
    }
    if !broken.is_empty() {
        bail!("broken: {}", broken.join("; "));
    }
    println!("invariants held");
    Ok(())
}
