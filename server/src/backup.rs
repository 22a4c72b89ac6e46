//! `relais backup --to FILE` and `relais restore --from FILE`: a consistent copy of a live SQLite
//! database, made while it serves (`VACUUM INTO` reads one snapshot, as any reader does, and
//! never blocks the writer), and its return into a database that a server then opens.
//! PostgreSQL is backed up with its own tools (`pg_dump -Fc`, `pg_restore`: docs/operations.md).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{bail, ensure, Context};
use app::platform::Store;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

/// The file of a `sqlite://` URL.
///
/// # Errors
/// For a PostgreSQL URL (backed up with pg_dump) or an in-memory database.
pub fn sqlite_file(database_url: &str) -> anyhow::Result<PathBuf> {
    if database_url.starts_with("postgres") {
        bail!("PostgreSQL is backed up with pg_dump -Fc and restored with pg_restore (docs/operations.md)");
    }
    let rest = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"));
    let file = rest.context("expected a sqlite:// URL")?.split('?').next().unwrap_or_default();
    ensure!(!file.is_empty() && !file.contains(":memory:"), "an in-memory database has no file to back up");
    Ok(PathBuf::from(file))
}

/// Opens a database file read-only, refusing what is not a sound Relais database.
async fn open_read_only(file: &Path) -> anyhow::Result<SqliteConnection> {
    ensure!(file.is_file(), "{} does not exist", file.display());
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))?
        .read_only(true)
        .disable_statement_logging()
        .connect()
        .await
        .with_context(|| format!("opening {}", file.display()))?;
    let check: String = sqlx::query_scalar("pragma quick_check").fetch_one(&mut conn).await?;
    ensure!(check == "ok", "{} is damaged: {check}", file.display());
    let relais: i64 =
        sqlx::query_scalar("select count(*) from sqlite_master where name in ('_sqlx_migrations', 'audit_event')")
            .fetch_one(&mut conn)
            .await?;
    ensure!(relais == 2, "{} is not a Relais database", file.display());
    Ok(conn)
}

/// Writes a consistent copy of `from` into the new file `to` (written beside it, then renamed,
/// so that `to` is either absent or whole). Returns its size in bytes.
async fn copy(from: &Path, to: &Path) -> anyhow::Result<u64> {
    ensure!(!to.exists(), "{} exists: a backup never overwrites a file", to.display());
    let partial = to.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut conn = open_read_only(from).await?;
    let target = partial.to_str().context("the target's name is not UTF-8")?;
    sqlx::query("vacuum into $1").bind(target).execute(&mut conn).await.context("copying")?;
    conn.close().await?;
    std::fs::rename(&partial, to)?;
    Ok(std::fs::metadata(to)?.len())
}

/// `relais backup --to FILE`: a consistent copy of the live database in `to`, which must not
/// exist. The server may be serving meanwhile.
///
/// # Errors
/// For PostgreSQL, a missing or damaged database, an existing target, a failed write.
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<u64> {
    copy(&sqlite_file(database_url)?, to).await
}

/// What a restored database holds.
#[derive(Debug)]
pub struct Restored {
    pub requests: i64,
    pub accepted: i64,
    pub vacations: i64,
    pub audit_rows: usize,
    /// The audit chain's first broken link, if any.
    pub broken: Option<String>,
    /// Where the database that was there before was kept.
    pub kept: Option<PathBuf>,
}

/// `relais restore --from FILE`: the backup becomes the database of `database_url`, migrated
/// to this binary's schema, its audit chain verified. A database already there is kept beside
/// it (`….before-restore-<time>`) with `replace`, refused without: restore with the server
/// stopped.
///
/// # Errors
/// For PostgreSQL, a damaged backup, a database there without `replace`, a failed copy.
pub async fn restore(from: &Path, database_url: &str, replace: bool) -> anyhow::Result<Restored> {
    let target = sqlite_file(database_url)?;
    open_read_only(from).await?.close().await?;
    let mut kept = None;
    if target.exists() {
        ensure!(
            replace,
            "{} exists: stop the server, then restore with --replace (the current database is kept beside it)",
            target.display()
        );
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let aside = PathBuf::from(format!("{}.before-restore-{stamp}", target.display()));
        std::fs::rename(&target, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", target.display()));
            if side.exists() {
                std::fs::rename(&side, format!("{}{suffix}", aside.display()))?;
            }
        }
        kept = Some(aside);
    }
    copy(from, &target).await?;
    let store = Store::open(database_url).await.context("migrating the restored database")?;
    let mut conn = store.reader().await?;
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let requests = count("select count(*) from snp_request").fetch_one(&mut *conn).await?;
    let accepted = count("select count(*) from offer where state = 'accepted'").fetch_one(&mut *conn).await?;
    let vacations = count("select count(*) from vacation").fetch_one(&mut *conn).await?;
    let verified = app::platform::audit::verify(&mut conn).await?;
    drop(conn);
    store.close().await;
    Ok(Restored {
        requests,
        accepted,
        vacations,
        audit_rows: verified.rows,
        broken: verified.broken.map(|b| format!("row {}: {}", b.id, b.why)),
        kept,
    })
}
