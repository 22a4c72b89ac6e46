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

/// `path` with `suffix` added to its name (`relais.db` → `relais.db-wal`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes a consistent copy of `from` into the new file `to` (written beside it, then renamed,
/// so that `to` is either absent or whole; nothing is left behind on failure). Returns its size.
async fn copy(from: &Path, to: &Path) -> anyhow::Result<u64> {
    ensure!(!to.exists(), "{} exists: a backup never overwrites a file", to.display());
    let partial = beside(to, ".partial");
    ensure!(!partial.exists(), "{} exists: another copy under way?", partial.display());
    let written = async {
        let mut conn = open_read_only(from).await?;
        let target = partial.to_str().context("the target's name is not UTF-8")?;
        sqlx::query("vacuum into $1").bind(target).execute(&mut conn).await.context("copying")?;
        conn.close().await?;
        ensure!(!to.exists(), "{} appeared meanwhile: not overwritten", to.display());
        std::fs::rename(&partial, to)?;
        Ok(std::fs::metadata(to)?.len())
    }
    .await;
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
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
/// to this binary's schema, its audit chain verified. It is copied, migrated and verified beside
/// the target first (`….restoring`); only then is a database already there moved aside
/// (`….before-restore-<time>`, with its `-wal` and `-shm`) — with `replace`, refused without:
/// restore with the server stopped — and the restored one put in its place.
///
/// # Errors
/// For PostgreSQL, a damaged backup, a database there without `replace`, a failed copy or
/// migration (the database there is then left as it was).
pub async fn restore(from: &Path, database_url: &str, replace: bool) -> anyhow::Result<Restored> {
    let target = sqlite_file(database_url)?;
    let sides = |p: &Path| [PathBuf::from(p), beside(p, "-wal"), beside(p, "-shm")];
    let there = sides(&target).iter().any(|p| p.exists());
    ensure!(
        !there || replace,
        "{} exists: stop the server, then restore with --replace (the current database is kept beside it)",
        target.display()
    );
    let restoring = beside(&target, ".restoring");
    for p in sides(&restoring) {
        let _ = std::fs::remove_file(p);
    }
    let checked = async {
        copy(from, &restoring).await?;
        let url = format!("sqlite://{}", restoring.display());
        let store = Store::open(&url).await.context("migrating the restored database")?;
        let restored = contents(&store).await;
        store.close().await;
        restored
    }
    .await;
    let mut restored = match checked {
        Ok(r) => r,
        Err(e) => {
            for p in sides(&restoring) {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    if there {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let aside = beside(&target, &format!(".before-restore-{stamp}"));
        for (p, q) in sides(&target).iter().zip(sides(&aside)) {
            move_if_there(p, &q)?;
        }
        restored.kept = Some(aside);
    }
    for (p, q) in sides(&restoring).iter().zip(sides(&target)) {
        move_if_there(p, &q)?;
    }
    Ok(restored)
}

/// Moves `from` to `to` if it is there. SQLite removes a database's `-wal` and `-shm` when its
/// last connection closes, which the closing connection's thread may still be doing after the
/// pool said it closed: a file gone meanwhile is nothing to move, not a failed restore.
fn move_if_there(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::rename(from, to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        moved => moved,
    }
}

/// What a migrated database holds, and whether its audit chain verifies.
async fn contents(store: &Store) -> anyhow::Result<Restored> {
    let mut conn = store.reader().await?;
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let requests = count("select count(*) from snp_request").fetch_one(&mut *conn).await?;
    let accepted = count("select count(*) from offer where state = 'accepted'").fetch_one(&mut *conn).await?;
    let vacations = count("select count(*) from vacation").fetch_one(&mut *conn).await?;
    let verified = app::platform::audit::verify(&mut conn).await?;
    Ok(Restored {
        requests,
        accepted,
        vacations,
        audit_rows: verified.rows,
        broken: verified.broken.map(|b| format!("row {}: {}", b.id, b.why)),
        kept: None,
    })
}
