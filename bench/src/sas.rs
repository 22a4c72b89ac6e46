//! The SAS's slot search under load. On a running Relais whose database holds the benchmark's
//! GPs (`seed-demo --extra-clinicians N`, each with an RPPS), it:
//! 1. opens a month of SNP slots open to the SAS for `--clinicians` of them (four 15-minute slots
//!    every weekday evening from the clock's first day, at the practice or by teleconsultation),
//!    written straight into the database as one batch;
//! 2. issues an API client as the admin (`slots/client_issue`);
//! 3. sends `GET /fhir/Slot` with every include and 25 RPPS per call (a different 25 each time),
//!    over three days and over the whole month, one call at a time, and reports p50 / p99 and the
//!    answers' sizes.
//!
//! Usage: `relais-sas-bench --base http://127.0.0.1:3200 --database-url sqlite://…/bench.db`

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use bench::{call, login, percentile};
use clap::Parser;
use serde_json::json;
use sqlx::Row;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    base: String,
    #[arg(long)]
    database_url: String,
    /// How many GPs share slots with the SAS.
    #[arg(long, default_value_t = 300)]
    clinicians: usize,
    /// Searches per window.
    #[arg(long, default_value_t = 300)]
    calls: usize,
    /// The first day (Paris, winter time), the clock's.
    #[arg(long, default_value = "2026-11-23")]
    from: String,
}

const RPPS_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.1";
const PER_CALL: usize = 25;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&args.database_url).await.context("database")?;
    let rows = sqlx::query(
        "select id, cpts_id, rpps from member where email like 'bench.%' and rpps is not null order by id limit $1",
    )
    .bind(args.clinicians as i64)
    .fetch_all(&pool)
    .await?;
    if rows.len() < args.clinicians {
        bail!("only {} benchmark GPs with an RPPS: seed with --extra-clinicians {}", rows.len(), args.clinicians);
    }
    let members: Vec<(i64, i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();

    // 1. A month of slots: weekdays, 17:00–18:00 Paris (16:00 UTC in winter), four of 15 min.
    let first = chrono::NaiveDate::parse_from_str(&args.from, "%Y-%m-%d")?;
    let mut tx = pool.begin().await?;
    let mut count = 0;
    for day in (0..30).map(|d| first + chrono::Duration::days(d)) {
        use chrono::Datelike;
        if day.weekday().number_from_monday() > 5 {
            continue;
        }
        let evening = day.and_hms_opt(16, 0, 0).context("time")?.and_utc().timestamp_millis();
        for (i, (member, cpts, _)) in members.iter().enumerate() {
            for k in 0..4i64 {
                let starts = evening + k * 15 * 60_000;
                sqlx::query(
                    "insert into slot (cpts_id, member_id, starts_at, ends_at, mode, audience, weekly, created_at) \
                     values ($1, $2, $3, $4, $5, 'sas', 1, $6)",
                )
                .bind(cpts)
                .bind(member)
                .bind(starts)
                .bind(starts + 15 * 60_000)
                .bind(if (i + k as usize).is_multiple_of(3) { "teleconsultation" } else { "office" })
                .bind(starts - 86_400_000)
                .execute(&mut *tx)
                .await?;
                count += 1;
            }
        }
    }
    tx.commit().await?;
    println!("{count} slots open to the SAS for {} GPs over 30 days", members.len());

    // 2. A token, as the SAS's platform gets it.
    let admin = login(&args.base, "admin").await?;
    let issued = call(&admin, &args.base, "slots/client_issue", json!({ "name": "Banc d'essai SAS" })).await?;
    let token = issued["token"].as_str().context("token")?.to_string();
    let http = reqwest::Client::new();

    // 3. The searches.
    for (label, days) in [("3 days", 3), ("the month", 30)] {
        let from = format!("{}T08:00:00%2B01:00", args.from);
        let to = format!("{}T20:00:00%2B01:00", first + chrono::Duration::days(days - 1));
        let mut timings = Vec::with_capacity(args.calls);
        let (mut bytes, mut slots) = (0usize, 0u64);
        for call_no in 0..args.calls + 10 {
            let start = (call_no * PER_CALL) % members.len();
            let actors: Vec<String> =
                (0..PER_CALL).map(|j| format!("{RPPS_SYSTEM}|8{}", members[(start + j) % members.len()].2)).collect();
            let url = format!(
                "{}/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference\
                 &_include:iterate=HealthcareService:organization&start=ge{from}&start=le{to}\
                 &schedule.actor:Practitioner.identifier={}&status=free",
                args.base,
                actors.join(",")
            );
            let began = Instant::now();
            let res = http.get(&url).bearer_auth(&token).send().await?;
            let status = res.status();
            let body = res.bytes().await?;
            let took = began.elapsed();
            if !status.is_success() {
                bail!("search: {status} {}", String::from_utf8_lossy(&body));
            }
            if call_no >= 10 {
                // The first ten warm the caches up and are not counted.
                timings.push(took);
                bytes += body.len();
                let bundle: serde_json::Value = serde_json::from_slice(&body)?;
                slots += bundle["total"].as_u64().unwrap_or(0);
            }
        }
        timings.sort();
        let n = timings.len().max(1);
        println!(
            "SAS search over {label}, {PER_CALL} RPPS per call, {} calls: p50 {} ms, p99 {} ms, max {} ms; {} slots and {} KB per answer on average",
            timings.len(),
            percentile(&timings, 50.0).as_millis(),
            percentile(&timings, 99.0).as_millis(),
            timings.last().copied().unwrap_or(Duration::ZERO).as_millis(),
            slots / n as u64,
            bytes / n / 1024,
        );
    }
    Ok(())
}
