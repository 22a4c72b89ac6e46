//! A database as an earlier version left it: the migrations up to that version's last, then its
//! data (portable SQL, as `scripts/upgrade-fixture.py` writes it). The upgrade test
//! (`server/tests/fixtures/upgrade/`) and the migrations' benchmark (`bench/migrations.sh`) start
//! from one, then let the current binary migrate it.

use std::path::Path;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;

/// The migrations of a back-end in the source tree.
fn migrations_dir(postgres: bool) -> std::path::PathBuf {
    let backend = if postgres { "postgres" } else { "sqlite" };
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/migrations").join(backend)
}

/// Makes the empty database `url` what the version whose last migration is `last` left, with
/// `data` in it.
///
/// # Errors
/// When the database cannot be reached, a migration or a row is refused.
pub async fn make(url: &str, last: i64, data: &str) -> anyhow::Result<()> {
    let postgres = url.starts_with("postgres");
    let dir = tempfile::tempdir()?;
    for entry in std::fs::read_dir(migrations_dir(postgres))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).context("a migration's name")?.to_string();
        let version: i64 = name.split('_').next().unwrap_or_default().parse().context("a migration's version")?;
        if version <= last {
            std::fs::copy(&path, dir.path().join(&name))?;
        }
    }
    sqlx::any::install_default_drivers();
    let url = if postgres || url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
    let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await?;
    Migrator::new(dir.path()).await?.run(&pool).await?;
    // In one transaction (a year of rows in seconds rather than a commit and a sync each), a
    // thousand statements at a time (the driver reads a long script statement by statement, which
    // grows with its length).
    let mut tx = pool.begin().await?;
    let mut batch = String::new();
    let mut statements = 0;
    for line in data.lines() {
        if line.starts_with("insert into ") {
            statements += 1;
            if statements % 1000 == 0 {
                sqlx::raw_sql(&batch).execute(&mut *tx).await.context("loading the data")?;
                batch.clear();
            }
        }
        batch.push_str(line);
        batch.push('\n');
    }
    sqlx::raw_sql(&batch).execute(&mut *tx).await.context("loading the data")?;
    tx.commit().await?;
    if postgres {
        // The rows came with their ids: each identity goes on after them.
        let tables: Vec<String> = sqlx::query_scalar(
            "select table_name::text from information_schema.columns \
             where table_schema = 'public' and column_name = 'id' and is_identity = 'YES'",
        )
        .fetch_all(&pool)
        .await?;
        for t in tables {
            let sql =
                format!("select setval(pg_get_serial_sequence('{t}', 'id'), coalesce(max(id), 0) + 1, false) from {t}");
            sqlx::query(&sql).execute(&pool).await?;
        }
    }
    pool.close().await;
    Ok(())
}
