//! How long this binary's migrations take on a year of a large CPTS written in the previous
//! schema, on SQLite and on PostgreSQL: each back-end gets a fresh database of the previous schema
//! (`server::previous_schema`) holding the year (`--year`, portable SQL as
//! `scripts/upgrade-fixture.py` writes it from the indicators benchmark's year), then the
//! server's own code opens it, which applies the newer migrations; their time is printed, as a
//! whole and one by one (sqlx's record), with the rows of the largest tables before and after.
//!
//! Usage (bench/migrations.sh makes the year): `relais-migrations-bench --year YEAR.sql
//!         [--previous 20261207000000] [--postgres postgres://root@127.0.0.1:5432/test | none]`

use std::time::Instant;

use anyhow::Context;
use app::platform::Store;
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// The year's rows, in the previous schema.
    #[arg(long)]
    year: std::path::PathBuf,
    /// The last migration of the previous schema.
    #[arg(long, default_value_t = 20261207000000)]
    previous: i64,
    /// The PostgreSQL server to make a database on (`none`: SQLite only).
    #[arg(long, default_value = "postgres://root@127.0.0.1:5432/test")]
    postgres: String,
}

const TABLES: [&str; 4] = ["snp_request", "offer", "vacation", "audit_event"];

async fn rows(store: &Store) -> anyhow::Result<Vec<i64>> {
    let mut conn = store.reader().await?;
    let mut counts = vec![];
    for t in TABLES {
        counts.push(sqlx::query_scalar(&format!("select count(*) from {t}")).fetch_one(&mut *conn).await?);
    }
    Ok(counts)
}

async fn measure(url: &str, label: &str, args: &Args, year: &str) -> anyhow::Result<()> {
    let loading = Instant::now();
    server::previous_schema::make(url, args.previous, year).await?;
    println!("{label}: the year loaded into the previous schema in {:.1} s", loading.elapsed().as_secs_f64());
    let started = Instant::now();
    let store = Store::open(url).await.context("migrating")?;
    let took = started.elapsed();
    let mut conn = store.reader().await?;
    let applied: Vec<(i64, String, i64)> = sqlx::query_as(
        "select version, description, execution_time from _sqlx_migrations where version > $1 order by version",
    )
    .bind(args.previous)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    println!("{label}: opening and migrating took {:.3} s", took.as_secs_f64());
    for (version, description, nanos) in applied {
        println!("  {version} {description}: {:.3} s", nanos as f64 / 1e9);
    }
    let counts = rows(&store).await?;
    let shown: Vec<String> = TABLES.iter().zip(&counts).map(|(t, n)| format!("{t} {n}")).collect();
    println!("  rows after: {}", shown.join(", "));
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let year = std::fs::read_to_string(&args.year).with_context(|| format!("reading {}", args.year.display()))?;
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("year.db").display());
    measure(&sqlite, "SQLite", &args, &year).await?;
    if args.postgres != "none" {
        let (args, year) = (&args, &year);
        bench::on_new_postgres_database(&args.postgres, "relais_migrations", |url| async move {
            measure(&url, "PostgreSQL", args, year).await
        })
        .await?;
    }
    Ok(())
}
