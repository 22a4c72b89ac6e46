//! The *Indicateurs* page over a year of a 175,000-inhabitant CPTS, on SQLite and PostgreSQL.
//!
//! For each back-end it makes a fresh database (migrated by the server's own code), writes a
//! generated year 2025 into it — `--members` members (GPs, dentists, pharmacists, nurses…),
//! `--requests` SNP requests with their offers (about five each, a fifth refused), three duty
//! vacations a day, about 2,000 dental referrals, GPs' SNP slots and their bookings, pharmacy
//! teleconsultations — then computes the whole page (every query, the tables, the charts) for the
//! year, a quarter and a month, `--runs` times each, in the process, and reports p50 / p99.
//!
//! Usage: `relais-indicators-bench [--requests 50000] [--members 500] [--runs 30]
//!         [--postgres postgres://root@127.0.0.1:5432/test | --postgres none]`

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use app::domain::{Profession, Role};
use app::indicators::ops;
use app::indicators::rules::Period;
use app::members::MemberRow;
use app::platform::clock::ManualClock;
use app::platform::Settings;
use bench::percentile;
use chrono::{NaiveDate, TimeZone, Utc};
use clap::Parser;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 50_000)]
    requests: usize,
    #[arg(long, default_value_t = 500)]
    members: usize,
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// The PostgreSQL server to make a database on (`none`: SQLite only).
    #[arg(long, default_value = "postgres://root@127.0.0.1:5432/test")]
    postgres: String,
    /// Only write the year into this new SQLite file and measure nothing (bench/migrations.sh
    /// starts from it).
    #[arg(long)]
    write_year_to: Option<std::path::PathBuf>,
}

const YEAR_START_MS: i64 = 1_735_686_000_000; // 2025-01-01 00:00 Paris (UTC+1)
const DAY: i64 = 86_400_000;
const MIN: i64 = 60_000;
const COMMUNES: [&str; 12] = [
    "Rennes",
    "Cesson-Sévigné",
    "Saint-Grégoire",
    "Bruz",
    "Liffré",
    "Betton",
    "Chantepie",
    "Vezin-le-Coquet",
    "Pacé",
    "Thorigné-Fouillard",
    "Chartres-de-Bretagne",
    "Le Rheu",
];

/// Multi-row inserts of generated values (numbers and our own words only), 500 rows a statement,
/// written when flushed (a batch that others reference is flushed before them).
struct Batch {
    head: String,
    rows: Vec<String>,
}

impl Batch {
    fn new(head: &str) -> Self {
        Batch { head: head.into(), rows: vec![] }
    }

    fn push(&mut self, row: String) {
        self.rows.push(row);
    }

    async fn flush(&mut self, conn: &mut sqlx::AnyConnection) -> anyhow::Result<()> {
        for chunk in self.rows.chunks(500) {
            let sql = format!("{} values {}", self.head, chunk.join(","));
            sqlx::query(&sql).execute(&mut *conn).await?;
        }
        self.rows.clear();
        Ok(())
    }
}

/// One of `weighted`, as often as its weight says.
fn pick<'a, T>(rng: &mut StdRng, weighted: &'a [(T, u32)]) -> &'a T {
    &weighted.choose_weighted(rng, |w| w.1).unwrap_or(&weighted[0]).0
}

/// Writes the year; returns the CPTS and an admin of it.
async fn generate(conn: &mut sqlx::AnyConnection, args: &Args) -> anyhow::Result<MemberRow> {
    let mut rng = StdRng::seed_from_u64(2025);
    let cpts: i64 =
        sqlx::query_scalar("insert into cpts (name, created_at) values ('CPTS Banc d''essai', 0) returning id")
            .fetch_one(&mut *conn)
            .await?;
    let professions: [(Profession, u32); 7] = [
        (Profession::Gp, 40),
        (Profession::Nurse, 20),
        (Profession::Pharmacist, 16),
        (Profession::Dentist, 12),
        (Profession::Physio, 6),
        (Profession::Midwife, 4),
        (Profession::Specialist, 2),
    ];
    let mut members: Vec<(i64, Profession)> = vec![];
    let mut batch = Batch::new(
        "insert into member (cpts_id, email, display_name, role, profession, commune, lat, lon, password_hash, active, created_at)",
    );
    for i in 0..args.members {
        let p = *pick(&mut rng, &professions);
        let commune = COMMUNES[i % COMMUNES.len()];
        batch.push(format!(
            "({cpts}, 'indic.{i}@banc.test', 'Membre {i:04}', 'clinician', '{}', '{}', 48.1, -1.6, 'x', {}, 0)",
            p.code(),
            commune.replace('\'', "''"),
            i32::from(i % 40 != 0),
        ));
    }
    batch.flush(conn).await?;
    batch.push(format!("({cpts}, 'indic.admin@banc.test', 'Admin', 'admin', null, null, null, null, 'x', 1, 0)"));
    batch.flush(conn).await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "select id, coalesce(profession, '') from member where cpts_id = $1 and role = 'clinician' order by id",
    )
    .bind(cpts)
    .fetch_all(&mut *conn)
    .await?;
    for (id, p) in rows {
        members.push((id, Profession::parse(&p).context("profession")?));
    }
    let admin_id: i64 =
        sqlx::query_scalar("select id from member where email = 'indic.admin@banc.test'").fetch_one(&mut *conn).await?;
    let of = |p: Profession| members.iter().filter(|m| m.1 == p).map(|m| m.0).collect::<Vec<i64>>();
    let (gps, dentists, pharmacists) = (of(Profession::Gp), of(Profession::Dentist), of(Profession::Pharmacist));

    // Requests and their offers.
    let sources = [("patient_call", 50), ("sas", 20), ("treating_doctor", 12), ("pharmacist", 10), ("other", 8)];
    let motives = [
        ("fever", 25),
        ("pain", 20),
        ("minor_trauma", 10),
        ("urinary_infection", 10),
        ("dental_emergency", 6),
        ("renewal", 12),
        ("wound", 9),
        ("other", 8),
    ];
    let statuses = [
        ("done", 55),
        ("booked", 5),
        ("no_show", 3),
        ("reoriented", 12),
        ("cancelled", 5),
        ("accepted", 5),
        ("escalated", 3),
        ("pushed", 2),
    ];
    let reorientations =
        [("sas", 3), ("samu_15", 1), ("other_cpts", 2), ("pdsa", 3), ("come_back_later", 2), ("other", 1)];
    let reasons = ["'no_slot'", "'too_far'", "'out_of_scope'", "'absent'", "'other'", "null"];
    let mut requests = Batch::new(
        "insert into snp_request (id, cpts_id, created_by, created_at, motive, profession, patient_name, age_band, \
         callback_phone, commune, lat, lon, teleconsult_ok, deadline, deadline_at, source, status, pushed_at, accepted_by, \
         accepted_at, reoriented_to, closed_at)",
    );
    let mut offers = Batch::new(
        "insert into offer (request_id, member_id, wave, state, refusal_reason, sent_at, answered_at, cpts_id)",
    );
    let mut teleconsultations =
        Batch::new("insert into teleconsultation (request_id, cpts_id, pharmacist_id, room, consent_at, created_at)");
    let first_id: i64 =
        sqlx::query_scalar("select coalesce(max(id), 0) + 1 from snp_request").fetch_one(&mut *conn).await?;
    for n in 0..args.requests as i64 {
        let id = first_id + n;
        // In the order they come in, as the application writes them.
        let day = n * 365 / args.requests as i64;
        let created = YEAR_START_MS + day * DAY + rng.gen_range(7 * 60..21 * 60) * MIN;
        let source = *pick(&mut rng, &sources);
        let motive = *pick(&mut rng, &motives);
        let profession = match motive {
            "dental_emergency" => "dentist",
            "wound" => "nurse",
            _ => "gp",
        };
        let status = *pick(&mut rng, &statuses);
        let pushed = created + rng.gen_range(0..5) * MIN;
        let answered = matches!(status, "done" | "booked" | "no_show" | "accepted");
        let pool = if profession == "dentist" { &dentists } else { &gps };
        let winner = pool[rng.gen_range(0..pool.len())];
        let accepted_at = pushed + (rng.gen::<f64>().powi(3) * 600.0) as i64 * MIN + rng.gen_range(0..60_000);
        let reoriented =
            if status == "reoriented" { format!("'{}'", pick(&mut rng, &reorientations)) } else { "null".into() };
        requests
            .push(format!(
                    "({id}, {cpts}, {admin_id}, {created}, '{motive}', '{profession}', 'X', '16-64', '+33600000000', '{}', 48.1, -1.6, 1, \
                     'today', {}, '{source}', '{status}', {pushed}, {}, {}, {reoriented}, null)",
                    COMMUNES[rng.gen_range(0..COMMUNES.len())].replace('\'', "''"),
                    created + DAY,
                    if answered { winner.to_string() } else { "null".into() },
                    if answered { accepted_at.to_string() } else { "null".into() },
                ),
            );
        let start = rng.gen_range(0..pool.len());
        for k in 0..5.min(pool.len()) {
            let m = pool[(start + k) % pool.len()];
            let (state, reason, at) = if answered && m == winner {
                ("accepted", "null", accepted_at.to_string())
            } else if rng.gen_range(0..5) == 0 {
                ("refused", reasons[rng.gen_range(0..reasons.len())], (pushed + rng.gen_range(1..30) * MIN).to_string())
            } else {
                ("expired", "null", "null".to_string())
            };
            if m != winner || answered {
                offers.push(format!("({id}, {m}, 1, '{state}', {reason}, {pushed}, {at}, {cpts})"));
            }
        }
        if source == "pharmacist" && !pharmacists.is_empty() {
            let p = pharmacists[rng.gen_range(0..pharmacists.len())];
            teleconsultations.push(format!("({id}, {cpts}, {p}, 'salle-{id}', {created}, {created})"));
        }
    }
    requests.flush(conn).await?;
    offers.flush(conn).await?;
    teleconsultations.flush(conn).await?;

    // Three vacations a day, two holders each.
    let planning: i64 =
        sqlx::query_scalar("insert into planning (cpts_id, name, created_at) values ($1, 'SNP 2025', 0) returning id")
            .bind(cpts)
            .fetch_one(&mut *conn)
            .await?;
    let mut assignments = Batch::new("insert into assignment (vacation_id, member_id, created_at)");
    for day in 0..365 {
        for (from, to) in [(8, 12), (14, 20), (20, 24)] {
            let start = YEAR_START_MS + day * DAY + from * 60 * MIN;
            let v: i64 = sqlx::query_scalar(
                "insert into vacation (planning_id, kind, starts_at, ends_at, capacity, created_at) values ($1, 'snp_office', $2, $3, 2, 0) returning id",
            )
            .bind(planning)
            .bind(start)
            .bind(YEAR_START_MS + day * DAY + to * 60 * MIN)
            .fetch_one(&mut *conn)
            .await?;
            let a = rng.gen_range(0..gps.len());
            for m in [gps[a], gps[(a + 1) % gps.len()]] {
                assignments.push(format!("({v}, {m}, 0)"));
            }
        }
    }
    assignments.flush(conn).await?;

    // Dental referrals, slots and their bookings.
    let mut referrals = Batch::new(
        "insert into dental_referral (cpts_id, referrer_id, dentist_id, status, patient_name, age_band, callback_phone, \
         commune, criteria, created_at, seen_from, due_at, answered_at, outcome)",
    );
    for _ in 0..2_000 {
        let created = YEAR_START_MS + rng.gen_range(0..365) * DAY + rng.gen_range(8 * 60..19 * 60) * MIN;
        let answered = created + rng.gen_range(30..40 * 60) * MIN;
        let outcome = ["'seen'", "'no_show'", "'reoriented'", "null"][rng.gen_range(0..4)];
        referrals
            .push(format!(
                    "({cpts}, {}, {}, 'closed', 'X', '16-64', '+33600000000', 'Rennes', '[]', {created}, {created}, {}, {answered}, {outcome})",
                    gps[rng.gen_range(0..gps.len())],
                    dentists[rng.gen_range(0..dentists.len())],
                    created + DAY,
                ),
            );
    }
    referrals.flush(conn).await?;
    let first_slot: i64 = sqlx::query_scalar("select coalesce(max(id), 0) + 1 from slot").fetch_one(&mut *conn).await?;
    let mut slots =
        Batch::new("insert into slot (id, cpts_id, member_id, starts_at, ends_at, mode, audience, created_at)");
    let mut bookings = Batch::new(
        "insert into slot_booking (slot_id, cpts_id, source, status, patient_name, callback_phone, created_at)",
    );
    let mut slot_id = first_slot;
    for week in 0..52 {
        for &gp in gps.iter().step_by(2) {
            for k in 0..2 {
                let start = YEAR_START_MS + (week * 7 + k * 2) * DAY + 17 * 60 * MIN;
                let audience = if rng.gen_range(0..3) == 0 { "cpts" } else { "sas" };
                slots.push(format!(
                    "({slot_id}, {cpts}, {gp}, {start}, {}, 'office', '{audience}', 0)",
                    start + 15 * MIN
                ));
                if rng.gen_range(0..10) < 6 {
                    let source = if audience == "sas" && rng.gen_range(0..2) == 0 { "sas" } else { "coordination" };
                    let status = ["honoured", "honoured", "honoured", "no_show", "cancelled"][rng.gen_range(0..5)];
                    bookings.push(format!("({slot_id}, {cpts}, '{source}', '{status}', 'X', '+33600000000', 0)"));
                }
                slot_id += 1;
            }
        }
    }
    slots.flush(conn).await?;
    bookings.flush(conn).await?;
    Ok(MemberRow {
        id: admin_id,
        cpts_id: cpts,
        email: "indic.admin@banc.test".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        profession: None,
        commune: None,
        location: None,
        teleconsult: false,
        lang: None,
    })
}

async fn measure(url: &str, label: &str, args: &Args) -> anyhow::Result<()> {
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).single().context("clock")?));
    let state = server::app_state(url, Settings::default(), clock).await?;
    let started = Instant::now();
    let admin = {
        let mut tx = state.store.begin().await?;
        let admin = generate(&mut tx, args).await?;
        tx.commit().await?;
        admin
    };
    if url.starts_with("postgres") {
        // What autovacuum does to a table written once: statistics, and the visibility map that
        // lets the indicators' indexes answer without reading the table.
        sqlx::query("vacuum analyze").execute(&mut *state.store.reader().await?).await?;
    }
    let count = |table: &'static str| {
        let state = state.clone();
        async move {
            let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(&mut *state.store.reader().await?)
                .await?;
            anyhow::Ok(n)
        }
    };
    println!(
        "{label}: generated in {:.1} s: {} requests, {} offers, {} members, {} vacation holders, {} dental referrals, {} slots, {} bookings, {} teleconsultations",
        started.elapsed().as_secs_f64(),
        count("snp_request").await?,
        count("offer").await?,
        count("member").await?,
        count("assignment").await?,
        count("dental_referral").await?,
        count("slot").await?,
        count("slot_booking").await?,
        count("teleconsultation").await?,
    );
    let date = |m, d| NaiveDate::from_ymd_opt(2025, m, d).context("date");
    for (name, period) in [
        ("year 2025", Period { from: date(1, 1)?, to: date(12, 31)? }),
        ("quarter Q2", Period { from: date(4, 1)?, to: date(6, 30)? }),
        ("month of March", Period { from: date(3, 1)?, to: date(3, 31)? }),
    ] {
        for _ in 0..3 {
            ops::report(&state, &admin, period, true).await?;
        }
        let mut times = vec![];
        let mut size = 0;
        for _ in 0..args.runs {
            let t = Instant::now();
            let report = ops::report(&state, &admin, period, true).await?;
            times.push(t.elapsed());
            size = serde_json::to_string(&report)?.len();
        }
        times.sort();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label}: whole page, {name:<15} p50 {:>6.1} ms  p99 {:>6.1} ms  ({} runs; {} KB of JSON with the charts)",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 99.0)),
            args.runs,
            size / 1024
        );
    }
    breakdown(&state, admin.cpts_id, label).await
}

/// Each query of the page over the year, alone (p50 of 10): where the time goes.
async fn breakdown(state: &app::platform::AppState, cpts_id: i64, label: &str) -> anyhow::Result<()> {
    use app::indicators::store::{self as q, Span};
    let (from, to) = Period {
        from: NaiveDate::from_ymd_opt(2025, 1, 1).context("date")?,
        to: NaiveDate::from_ymd_opt(2025, 12, 31).context("date")?,
    }
    .instants();
    let span = Span { cpts_id, from: from.timestamp_millis(), to: to.timestamp_millis() };
    let now = state.now().timestamp_millis();
    let mut conn = state.store.reader().await?;
    let mut line = format!("{label}: each query over the year, p50 of 10:");
    macro_rules! time {
        ($name:literal, $call:expr) => {{
            let mut times = vec![];
            for _ in 0..10 {
                let t = Instant::now();
                $call.await?;
                times.push(t.elapsed());
            }
            times.sort();
            line.push_str(&format!(" {} {:.1} ms;", $name, percentile(&times, 50.0).as_secs_f64() * 1000.0));
        }};
    }
    time!("request_cells", q::request_cells(&mut conn, span));
    time!("requests_by_commune", q::requests_by_commune(&mut conn, span));
    time!("first_accept_minutes", q::first_accept_minutes(&mut conn, span));
    time!("requests_by_day", q::requests_by_day(&mut conn, span));
    time!("refusals", q::refusals(&mut conn, span));
    time!("participation", q::participation(&mut conn, span));
    time!("vacations_by_member", q::vacations_by_member(&mut conn, span, now));
    time!("slot_counts", q::slot_counts(&mut conn, span));
    time!("slot_bookings", q::slot_bookings(&mut conn, span));
    time!("dental_counts", q::dental_counts(&mut conn, span));
    time!("teleconsultations", q::teleconsultations(&mut conn, span));
    println!("{line}");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(file) = &args.write_year_to {
        anyhow::ensure!(!file.exists(), "{} exists", file.display());
        let url = format!("sqlite://{}", file.display());
        let state = server::app_state(&url, Settings::default(), Arc::new(ManualClock::new(Utc::now()))).await?;
        let mut tx = state.store.begin().await?;
        generate(&mut tx, &args).await?;
        tx.commit().await?;
        state.store.close().await;
        println!("the year written to {}", file.display());
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("relais-indicators-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = format!("sqlite://{}", dir.join("indicators.db").display());
    let result = measure(&sqlite, "SQLite", &args).await;
    std::fs::remove_dir_all(&dir).ok();
    result?;
    if args.postgres != "none" {
        let args = &args;
        bench::on_new_postgres_database(&args.postgres, "relais_indicators", |url| async move {
            measure(&url, "PostgreSQL", args).await
        })
        .await?;
    }
    Ok(())
}
