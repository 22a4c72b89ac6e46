//! Persistence, on SQLite (default, one file) or PostgreSQL (several server instances).
//!
//! One implementation serves both through sqlx's `Any` driver: the SQL below is the common
//! dialect of the two (numbered `$n` parameters, `returning`, partial unique indexes), and the
//! few differences (row locks, the writer pool) are handled by [`Backend`]. Each back-end has its
//! own migrations. Invariants that concurrent users can break are enforced here, in the
//! transaction that makes the change, together with its audit event.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
}

impl StoreError {
    /// Whether a unique index refused the row (someone else wrote it first).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// Whether the database is away (stopped, unreachable, out of connections, its disk full)
    /// rather than the query wrong: the caller is told to retry in a moment (503), not that the
    /// server failed.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(e) => match e {
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
                sqlx::Error::Database(db) => {
                    // PostgreSQL shutting down or starting (class 57P), out of disk (53100) or
                    // connections (53300); SQLite's disk full (13) or I/O error (10).
                    let code = db.code().unwrap_or_default();
                    code.starts_with("57P") || code == "53100" || code == "53300" || code == "13" || code == "10"
                }
                _ => false,
            },
            StoreError::Migrate(_) | StoreError::UnsupportedUrl => false,
        }
    }
}

/// How long a call waits for a database connection before answering 503: long enough for a
/// burst of writers on SQLite's one connection, short enough that nobody waits on a database
/// that is away.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

pub type StoreResult<T> = Result<T, StoreError>;

/// Lets an operation error enum with a `Store(StoreError)` variant take `?` on sqlx's errors
/// (`tx.commit()`, a query run in the operation itself) as well as on the store's.
#[macro_export]
macro_rules! store_error_from_sqlx {
    ($error:ident) => {
        impl From<sqlx::Error> for $error {
            fn from(e: sqlx::Error) -> Self {
                $error::Store(e.into())
            }
        }
    };
}

/// The pools of one database.
#[derive(Clone, Debug)]
pub struct Store {
    pub backend: Backend,
    read: Readers,
    /// On SQLite, a single connection: writers queue in the process instead of fighting for the
    /// file lock. On PostgreSQL, the same pool as `read`.
    write: AnyPool,
    url: String,
}

pub fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

/// The rows packed as one JSON array of arrays in parameter `$n`, as a table `rows(c0, c1, …)`
/// in their order, for a multi-row `insert … select`: a wave's 500 offers in one statement and
/// one parameter. (SQLite looks each `$N` parameter name up among the statement's others, so
/// thousands of them cost more than the rows.) `types` are the columns' PostgreSQL types.
pub fn json_rows(conn: &sqlx::AnyConnection, n: usize, types: &[&str]) -> String {
    if conn.backend_name() == "PostgreSQL" {
        let columns: Vec<String> = types.iter().enumerate().map(|(i, t)| format!("(r ->> {i})::{t} as c{i}")).collect();
        format!(
            "(select {} from jsonb_array_elements(${n}::jsonb) with ordinality as j(r, k) order by k) as rows",
            columns.join(", ")
        )
    } else {
        let columns: Vec<String> = (0..types.len()).map(|i| format!("value ->> {i} as c{i}")).collect();
        format!("(select {} from json_each(${n}) order by key) as rows", columns.join(", "))
    }
}

/// `c0, c1, …`: the columns of [`json_rows`].
pub fn json_columns(count: usize) -> String {
    (0..count).map(|i| format!("c{i}")).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// Opens (and for SQLite creates) the database named by `url` and applies its migrations.
    ///
    /// # Errors
    /// When the database cannot be reached or a migration fails: the server must not start then.
    pub async fn open(url: &str) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let store = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') || url.contains(":memory:") {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                // A SQLite connection is a file this process holds open: nothing can close it
                // behind the pool's back, so the writer is not pinged on each acquire (a round
                // trip to its thread, as long as a query) but checked on release instead.
                // A writer that comes back still inside a transaction (a failed statement or commit,
                // the disk full, can leave SQLite's transaction open while the driver believes it
                // closed) would hold every later change in a transaction that never commits: such a
                // connection is closed instead of reused, and the next writer gets a fresh one.
                let write = AnyPoolOptions::new()
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .test_before_acquire(false)
                    .after_connect(|conn, _| Box::pin(sqlite_pragmas(conn)))
                    .max_connections(1)
                    .after_release(|conn, _| {
                        Box::pin(async move {
                            if conn.execute("begin").await.is_err() {
                                tracing::warn!("SQLite writer left inside a transaction: closed, not reused");
                                return Ok(false);
                            }
                            Ok(conn.execute("rollback").await.is_ok())
                        })
                    })
                    .connect(&url)
                    .await?;
                let read = Readers::Sqlite(SqliteReaders::pool(&url)?);
                Store { backend, read, write, url }
            }
            Backend::Postgres => {
                let pool =
                    AnyPoolOptions::new().max_connections(16).acquire_timeout(ACQUIRE_TIMEOUT).connect(url).await?;
                Store { backend, read: Readers::Shared(pool.clone()), write: pool, url: url.to_string() }
            }
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
        static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
        match self.backend {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    async fn migrate(&self) -> StoreResult<()> {
        let mut conn = self.write.acquire().await?;
        self.migrator().run(&mut *conn).await?;
        Ok(())
    }

    /// The migrations this binary has that the database has not applied (a newer binary on an
    /// older database), and those the database has that this binary does not know (an older
    /// binary on a newer database): both empty when they match.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub async fn migration_gap(&self) -> StoreResult<(Vec<i64>, Vec<i64>)> {
        let mut conn = self.reader().await?;
        let applied: Vec<i64> =
            sqlx::query_scalar("select version from _sqlx_migrations where success order by version")
                .fetch_all(&mut *conn)
                .await?;
        let known: Vec<i64> = self.migrator().iter().map(|m| m.version).collect();
        let pending = known.iter().filter(|v| !applied.contains(v)).copied().collect();
        let unknown = applied.iter().filter(|v| !known.contains(v)).copied().collect();
        Ok((pending, unknown))
    }

    /// Each pool's connections: (pool, open, idle). On PostgreSQL one pool serves both.
    pub fn pool_use(&self) -> Vec<(&'static str, u32, usize)> {
        let of = |name, pool: &AnyPool| (name, pool.size(), pool.num_idle());
        match &self.read {
            Readers::Sqlite(read) => {
                let status = read.status();
                let open = u32::try_from(status.size).unwrap_or(u32::MAX);
                vec![("read", open, status.available), of("write", &self.write)]
            }
            Readers::Shared(_) => vec![of("shared", &self.write)],
        }
    }

    /// A transaction for a change.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(self.write.begin().await?)
    }

    /// A connection for reading.
    pub async fn reader(&self) -> StoreResult<Reader> {
        Ok(match &self.read {
            Readers::Sqlite(pool) => Reader::Sqlite(pool.get().await.map_err(SqliteReaders::error)?),
            Readers::Shared(pool) => Reader::Shared(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        match &self.read {
            Readers::Sqlite(pool) => pool.close(),
            Readers::Shared(pool) => pool.close().await,
        }
        self.write.close().await;
    }
}

/// What every SQLite connection sets first.
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for pragma in [
        "pragma journal_mode = wal",
        "pragma busy_timeout = 10000",
        "pragma foreign_keys = on",
        "pragma synchronous = normal",
    ] {
        conn.execute(pragma).await?;
    }
    Ok(())
}

/// The connections that read: on SQLite, a pool of their own (below); on PostgreSQL, the one
/// pool, whose connections cross a network and are checked as sqlx checks them.
#[derive(Clone, Debug)]
enum Readers {
    Sqlite(deadpool::managed::Pool<SqliteReaders>),
    Shared(AnyPool),
}

/// SQLite's reading connections, eight, kept by `deadpool`. sqlx's pool sends each connection
/// it takes back a `ping` to its thread first, then gives it back from a task of its own: a
/// reading connection of a file this process holds open has nothing to check, and a page that
/// takes five connections paid it five times (README, *Two costs of every answer*). No
/// transaction is ever opened on them (every change goes through the writer), so none comes back
/// inside one.
#[derive(Debug)]
pub struct SqliteReaders {
    url: String,
}

impl SqliteReaders {
    const SIZE: usize = 8;

    fn pool(url: &str) -> StoreResult<deadpool::managed::Pool<Self>> {
        let timeouts =
            deadpool::managed::Timeouts { wait: Some(ACQUIRE_TIMEOUT), create: Some(ACQUIRE_TIMEOUT), recycle: None };
        deadpool::managed::Pool::builder(Self { url: url.to_string() })
            .max_size(Self::SIZE)
            .timeouts(timeouts)
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|_| StoreError::Db(sqlx::Error::PoolClosed))
    }

    /// The pool's refusal as the store's: a wait too long, as sqlx's own pool says it.
    fn error(e: deadpool::managed::PoolError<sqlx::Error>) -> StoreError {
        use deadpool::managed::PoolError;
        StoreError::Db(match e {
            PoolError::Backend(e) => e,
            PoolError::Timeout(_) => sqlx::Error::PoolTimedOut,
            PoolError::Closed | PoolError::NoRuntimeSpecified | PoolError::PostCreateHook(_) => sqlx::Error::PoolClosed,
        })
    }
}

impl deadpool::managed::Manager for SqliteReaders {
    type Type = AnyConnection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<AnyConnection, sqlx::Error> {
        let mut conn = AnyConnection::connect(&self.url).await?;
        sqlite_pragmas(&mut conn).await?;
        Ok(conn)
    }

    async fn recycle(
        &self,
        _: &mut AnyConnection,
        _: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<sqlx::Error> {
        Ok(())
    }
}

/// A connection for reading, given back to its pool when dropped. Used as an `AnyConnection`.
pub enum Reader {
    Sqlite(deadpool::managed::Object<SqliteReaders>),
    Shared(sqlx::pool::PoolConnection<sqlx::Any>),
}

impl std::ops::Deref for Reader {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Reader::Sqlite(c) => c,
            Reader::Shared(c) => c,
        }
    }
}

impl std::ops::DerefMut for Reader {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Reader::Sqlite(c) => c,
            Reader::Shared(c) => c,
        }
    }
}
