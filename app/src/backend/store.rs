//! Persistence, on SQLite (default, one file) or PostgreSQL (several server instances).
//!
//! One implementation serves both through sqlx's `Any` driver: the SQL below is the common
//! dialect of the two (numbered `$n` parameters, `returning`, partial unique indexes), and the
//! few differences (row locks, the writer pool) are handled by [`Backend`]. Each back-end has its
//! own migrations. Invariants that concurrent users can break are enforced here, in the
//! transaction that makes the change, together with its audit event.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyConnection;
use sqlx::{AnyPool, Executor, Row};

use crate::domain::geo::GeoPoint;
use crate::domain::panel::Candidate;
use crate::domain::request::{NewRequest, OfferState, RequestStatus};
use crate::domain::{Profession, Role};

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

pub type StoreResult<T> = Result<T, StoreError>;

/// The pools of one database.
#[derive(Clone, Debug)]
pub struct Store {
    pub backend: Backend,
    read: AnyPool,
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
                let opts = || {
                    AnyPoolOptions::new().after_connect(|conn, _| {
                        Box::pin(async move {
                            for pragma in [
                                "pragma journal_mode = wal",
                                "pragma busy_timeout = 10000",
                                "pragma foreign_keys = on",
                                "pragma synchronous = normal",
                            ] {
                                conn.execute(pragma).await?;
                            }
                            Ok(())
                        })
                    })
                };
                let write = opts().max_connections(1).connect(&url).await?;
                let read = opts().max_connections(8).connect(&url).await?;
                Store { backend, read, write, url }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new().max_connections(16).connect(url).await?;
                Store { backend, read: pool.clone(), write: pool, url: url.to_string() }
            }
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    async fn migrate(&self) -> StoreResult<()> {
        let mut conn = self.write.acquire().await?;
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&mut *conn).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&mut *conn).await?,
        }
        Ok(())
    }

    /// A transaction for a change.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(self.write.begin().await?)
    }

    /// A connection for reading.
    pub async fn reader(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.read.acquire().await?)
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    /// Locks a request's row until the transaction ends, so that every change to one request
    /// (accept, refuse, escalate, outcome) happens one after the other. On SQLite the single
    /// writer already serialises them.
    pub async fn lock_request(&self, tx: &mut AnyConnection, request_id: i64) -> StoreResult<Option<RequestRow>> {
        if self.backend == Backend::Postgres {
            sqlx::query("select id from snp_request where id = $1 for update")
                .bind(request_id)
                .execute(&mut *tx)
                .await?;
        }
        request(tx, request_id).await
    }
}

/// One line of the audit trail, written in the transaction of the change it describes.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    pub cpts_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub kind: &'static str,
    pub request_id: Option<i64>,
    pub offer_id: Option<i64>,
    pub subject_id: Option<i64>,
    /// When an admin acts for a member: that member (the actor stays the admin).
    pub on_behalf_of: Option<i64>,
    pub detail: serde_json::Value,
}

pub async fn audit(conn: &mut AnyConnection, at: DateTime<Utc>, a: Audit) -> StoreResult<()> {
    let detail = if a.detail.is_null() { "{}".to_string() } else { a.detail.to_string() };
    sqlx::query(
        "insert into audit_event (cpts_id, at, actor_id, kind, request_id, offer_id, subject_id, detail, on_behalf_of) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(a.cpts_id)
    .bind(ms(at))
    .bind(a.actor_id)
    .bind(a.kind)
    .bind(a.request_id)
    .bind(a.offer_id)
    .bind(a.subject_id)
    .bind(detail)
    .bind(a.on_behalf_of)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub subject_name: Option<String>,
    pub detail: String,
}

pub async fn request_timeline(conn: &mut AnyConnection, request_id: i64) -> StoreResult<Vec<AuditRow>> {
    let rows = sqlx::query(
        "select e.id, e.at, e.actor_id, a.display_name as actor_name, e.kind, s.display_name as subject_name, e.detail \
         from audit_event e left join member a on a.id = e.actor_id left join member s on s.id = e.subject_id \
         where e.request_id = $1 order by e.id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| AuditRow {
            id: r.get("id"),
            at: from_ms(r.get("at")),
            actor_id: r.get("actor_id"),
            actor_name: r.get("actor_name"),
            kind: r.get("kind"),
            subject_name: r.get("subject_name"),
            detail: r.get("detail"),
        })
        .collect())
}

/// Counts audit events of a kind (tests and indicators).
pub async fn count_audit(conn: &mut AnyConnection, kind: &str, request_id: Option<i64>) -> StoreResult<i64> {
    let n: i64 = sqlx::query_scalar("select count(*) from audit_event where kind = $1 and ($2 = 0 or request_id = $2)")
        .bind(kind)
        .bind(request_id.unwrap_or(0))
        .fetch_one(conn)
        .await?;
    Ok(n)
}

// ---------------------------------------------------------------- CPTS, communes, members

pub async fn create_cpts(conn: &mut AnyConnection, name: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("insert into cpts (name, created_at) values ($1, $2) returning id")
        .bind(name)
        .bind(ms(now))
        .fetch_one(conn)
        .await?)
}

pub async fn cpts_name(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar("select name from cpts where id = $1").bind(id).fetch_optional(conn).await?)
}

pub async fn first_cpts(conn: &mut AnyConnection) -> StoreResult<Option<(i64, String)>> {
    let row = sqlx::query("select id, name from cpts order by id limit 1").fetch_optional(conn).await?;
    Ok(row.map(|r| (r.get("id"), r.get("name"))))
}

#[derive(Clone, Debug, PartialEq)]
pub struct Commune {
    pub name: String,
    pub postcode: String,
    pub location: GeoPoint,
}

pub async fn add_commune(conn: &mut AnyConnection, cpts_id: i64, c: &Commune) -> StoreResult<()> {
    sqlx::query("insert into commune (cpts_id, name, postcode, lat, lon) values ($1, $2, $3, $4, $5)")
        .bind(cpts_id)
        .bind(&c.name)
        .bind(&c.postcode)
        .bind(c.location.lat)
        .bind(c.location.lon)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn communes(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<Commune>> {
    let rows = sqlx::query("select name, postcode, lat, lon from commune where cpts_id = $1 order by name")
        .bind(cpts_id)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| Commune {
            name: r.get("name"),
            postcode: r.get("postcode"),
            location: GeoPoint::new(r.get("lat"), r.get("lon")),
        })
        .collect())
}

/// A member to create (the password is already hashed).
#[derive(Clone, Debug)]
pub struct NewMember {
    pub cpts_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub rpps: Option<String>,
    pub commune: Option<String>,
    pub location: Option<GeoPoint>,
    pub teleconsult: bool,
    pub weekly_cap: i64,
    pub password_hash: String,
}

/// Creates a member. Returns `None` when the e-mail address is already taken.
pub async fn create_member(
    conn: &mut AnyConnection,
    m: &NewMember,
    actor_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let id: Option<i64> = sqlx::query_scalar(
        "insert into member (cpts_id, email, display_name, role, profession, rpps, commune, lat, lon, teleconsult, weekly_cap, password_hash, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict (email) do nothing returning id",
    )
    // Not a prepared statement: sqlx's Any driver types a NULL double as float4 on PostgreSQL,
    // and a cached statement would then reject the next non-NULL float8.
    .persistent(false)
    .bind(m.cpts_id)
    .bind(m.email.trim().to_lowercase())
    .bind(&m.display_name)
    .bind(m.role.code())
    .bind(m.profession.map(Profession::code))
    .bind(&m.rpps)
    .bind(&m.commune)
    .bind(m.location.map(|l| l.lat))
    .bind(m.location.map(|l| l.lon))
    .bind(i64::from(m.teleconsult))
    .bind(m.weekly_cap)
    .bind(&m.password_hash)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        audit(
            conn,
            now,
            Audit {
                cpts_id: Some(m.cpts_id),
                actor_id,
                kind: "member_created",
                subject_id: Some(id),
                detail: serde_json::json!({ "role": m.role.code() }),
                ..Audit::default()
            },
        )
        .await?;
    }
    Ok(id)
}

/// A member as the rest of the application sees them (no secret).
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    pub id: i64,
    pub cpts_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub commune: Option<String>,
    pub location: Option<GeoPoint>,
    pub teleconsult: bool,
}

const MEMBER_COLUMNS: &str =
    "m.id, m.cpts_id, m.email, m.display_name, m.role, m.profession, m.commune, m.lat, m.lon, m.teleconsult";

fn member_row(r: &sqlx::any::AnyRow) -> MemberRow {
    let lat: Option<f64> = r.get("lat");
    let lon: Option<f64> = r.get("lon");
    MemberRow {
        id: r.get("id"),
        cpts_id: r.get("cpts_id"),
        email: r.get("email"),
        display_name: r.get("display_name"),
        role: Role::parse(r.get::<String, _>("role").as_str()).unwrap_or(Role::Clinician),
        profession: r.get::<Option<String>, _>("profession").and_then(|p| Profession::parse(&p)),
        commune: r.get("commune"),
        location: lat.zip(lon).map(|(lat, lon)| GeoPoint::new(lat, lon)),
        teleconsult: r.get::<i64, _>("teleconsult") != 0,
    }
}

pub async fn member(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<MemberRow>> {
    let sql = format!("select {MEMBER_COLUMNS} from member m where m.id = $1");
    Ok(sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(member_row))
}

/// The e-mail, id and password hash of an active member, for login.
pub async fn login_lookup(conn: &mut AnyConnection, email: &str) -> StoreResult<Option<(MemberRow, String)>> {
    let sql = format!("select {MEMBER_COLUMNS}, m.password_hash from member m where m.email = $1 and m.active = 1");
    let row = sqlx::query(&sql).bind(email.trim().to_lowercase()).fetch_optional(conn).await?;
    Ok(row.map(|r| (member_row(&r), r.get("password_hash"))))
}

pub async fn members(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<MemberRow>> {
    let sql =
        format!("select {MEMBER_COLUMNS} from member m where m.cpts_id = $1 and m.active = 1 order by m.display_name");
    let rows = sqlx::query(&sql).bind(cpts_id).fetch_all(conn).await?;
    Ok(rows.iter().map(member_row).collect())
}

pub async fn add_availability(
    conn: &mut AnyConnection,
    member_id: i64,
    kind: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "insert into availability (member_id, kind, starts_at, ends_at, created_at) values ($1, $2, $3, $4, $5)",
    )
    .bind(member_id)
    .bind(kind)
    .bind(ms(starts_at))
    .bind(ms(ends_at))
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends the member's "available now" periods at `now`.
pub async fn end_volunteering(conn: &mut AnyConnection, member_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("update availability set ends_at = $2 where member_id = $1 and kind = 'volunteer' and ends_at > $2")
        .bind(member_id)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// (on duty now, available-now end if volunteering)
pub async fn availability_now(
    conn: &mut AnyConnection,
    member_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<(bool, Option<DateTime<Utc>>)> {
    let duty: i64 = sqlx::query_scalar(
        "select count(*) from availability where member_id = $1 and kind = 'duty' and starts_at <= $2 and ends_at > $2",
    )
    .bind(member_id)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    let until: Option<i64> = sqlx::query_scalar(
        "select max(ends_at) from availability where member_id = $1 and kind = 'volunteer' and starts_at <= $2 and ends_at > $2",
    )
    .bind(member_id)
    .bind(ms(now))
    .fetch_one(conn)
    .await?;
    Ok((duty > 0, until.map(from_ms)))
}

/// Every active clinician of the CPTS as the panel sees them at `now` for `request_id`
/// (0 for a request not yet saved).
pub async fn candidates(
    conn: &mut AnyConnection,
    cpts_id: i64,
    request_id: i64,
    now: DateTime<Utc>,
    week_start: DateTime<Utc>,
) -> StoreResult<Vec<Candidate>> {
    let rows = sqlx::query(
        "select m.id, m.profession, m.lat, m.lon, m.weekly_cap, \
           (select count(*) from availability a where a.member_id = m.id and a.kind = 'duty' and a.starts_at <= $2 and a.ends_at > $2) as duty, \
           (select count(*) from availability a where a.member_id = m.id and a.kind = 'volunteer' and a.starts_at <= $2 and a.ends_at > $2) as volunteer, \
           (select count(*) from snp_request r where r.accepted_by = m.id and r.accepted_at >= $3) as accepted_week, \
           (select count(*) from offer o where o.request_id = $4 and o.member_id = m.id) as asked \
         from member m where m.cpts_id = $1 and m.role = 'clinician' and m.active = 1 and m.profession is not null",
    )
    .bind(cpts_id)
    .bind(ms(now))
    .bind(ms(week_start))
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let profession = Profession::parse(&r.get::<String, _>("profession"))?;
            let lat: Option<f64> = r.get("lat");
            let lon: Option<f64> = r.get("lon");
            Some(Candidate {
                member_id: r.get("id"),
                profession,
                location: lat.zip(lon).map(|(lat, lon)| GeoPoint::new(lat, lon)),
                on_duty: r.get::<i64, _>("duty") > 0,
                volunteering: r.get::<i64, _>("volunteer") > 0,
                accepted_this_week: u32::try_from(r.get::<i64, _>("accepted_week")).unwrap_or(u32::MAX),
                weekly_cap: u32::try_from(r.get::<i64, _>("weekly_cap")).unwrap_or(0),
                already_asked: r.get::<i64, _>("asked") > 0,
            })
        })
        .collect())
}

// ---------------------------------------------------------------- sessions and logins

pub async fn create_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    member_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("insert into session (token_hash, member_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(member_id)
        .bind(ms(now))
        .bind(ms(expires_at))
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes a session; returns the member it belonged to.
pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("delete from session where token_hash = $1 returning member_id")
        .bind(token_hash)
        .fetch_optional(conn)
        .await?)
}

pub async fn session_member(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<MemberRow>> {
    let sql = format!(
        "select {MEMBER_COLUMNS} from session s join member m on m.id = s.member_id \
         where s.token_hash = $1 and s.expires_at > $2 and m.active = 1"
    );
    Ok(sqlx::query(&sql).bind(token_hash).bind(ms(now)).fetch_optional(conn).await?.as_ref().map(member_row))
}

/// Records a login attempt as failed before the password is checked, so that parallel guesses
/// all count; a successful login deletes it again. Returns the attempt's id.
pub async fn record_login_attempt(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("insert into login_failure (email, ip, at) values ($1, $2, $3) returning id")
        .bind(email)
        .bind(ip)
        .bind(ms(now))
        .fetch_one(conn)
        .await?)
}

pub async fn forget_login_attempt(conn: &mut AnyConnection, id: i64) -> StoreResult<()> {
    sqlx::query("delete from login_failure where id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The oldest failure still counting for this account or address (to say when to retry).
pub async fn oldest_login_failure(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let at: Option<i64> =
        sqlx::query_scalar("select min(at) from login_failure where (email = $1 or ip = $2) and at >= $3")
            .bind(email)
            .bind(ip)
            .bind(ms(since))
            .fetch_one(conn)
            .await?;
    Ok(at.map(from_ms))
}

/// Serialises the logins of one account until the transaction ends (PostgreSQL; SQLite's
/// single writer already does).
impl Store {
    pub async fn lock_login(&self, tx: &mut AnyConnection, email: &str) -> StoreResult<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("select pg_advisory_xact_lock(hashtext($1))::text").bind(email).execute(tx).await?;
        }
        Ok(())
    }
}

/// Failures since `since` for this account, and for this IP address.
pub async fn login_failures(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    let by_email: i64 = sqlx::query_scalar("select count(*) from login_failure where email = $1 and at >= $2")
        .bind(email)
        .bind(ms(since))
        .fetch_one(&mut *conn)
        .await?;
    let by_ip: i64 = sqlx::query_scalar("select count(*) from login_failure where ip = $1 and at >= $2")
        .bind(ip)
        .bind(ms(since))
        .fetch_one(conn)
        .await?;
    Ok((by_email, by_ip))
}

// ---------------------------------------------------------------- requests and offers

/// A request as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestRow {
    pub id: i64,
    pub cpts_id: i64,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub motive: String,
    pub profession: String,
    pub patient_name: String,
    pub age_band: String,
    pub callback_phone: String,
    pub commune: String,
    pub location: GeoPoint,
    pub teleconsult_ok: bool,
    pub deadline: String,
    pub deadline_at: DateTime<Utc>,
    pub source: String,
    pub treating_member_id: Option<i64>,
    pub note: String,
    pub status: RequestStatus,
    pub wave: u8,
    pub wave_started_at: Option<DateTime<Utc>>,
    pub escalation: Option<String>,
    pub accepted_by: Option<i64>,
    pub accepted_by_name: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub appointment_mode: Option<String>,
    pub reoriented_to: Option<String>,
    pub version: i64,
}

const REQUEST_COLUMNS: &str = "r.id, r.cpts_id, r.created_by, r.created_at, r.motive, r.profession, r.patient_name, r.age_band, \
    r.callback_phone, r.commune, r.lat, r.lon, r.teleconsult_ok, r.deadline, r.deadline_at, r.source, r.treating_member_id, \
    r.note, r.status, r.wave, r.wave_started_at, r.escalation, r.accepted_by, w.display_name as accepted_by_name, r.accepted_at, \
    r.appointment_at, r.appointment_mode, r.reoriented_to, r.version";

fn request_row(r: &sqlx::any::AnyRow) -> RequestRow {
    RequestRow {
        id: r.get("id"),
        cpts_id: r.get("cpts_id"),
        created_by: r.get("created_by"),
        created_at: from_ms(r.get("created_at")),
        motive: r.get("motive"),
        profession: r.get("profession"),
        patient_name: r.get("patient_name"),
        age_band: r.get("age_band"),
        callback_phone: r.get("callback_phone"),
        commune: r.get("commune"),
        location: GeoPoint::new(r.get("lat"), r.get("lon")),
        teleconsult_ok: r.get::<i64, _>("teleconsult_ok") != 0,
        deadline: r.get("deadline"),
        deadline_at: from_ms(r.get("deadline_at")),
        source: r.get("source"),
        treating_member_id: r.get("treating_member_id"),
        note: r.get("note"),
        status: RequestStatus::parse(&r.get::<String, _>("status")).unwrap_or(RequestStatus::New),
        wave: u8::try_from(r.get::<i64, _>("wave")).unwrap_or(0),
        wave_started_at: r.get::<Option<i64>, _>("wave_started_at").map(from_ms),
        escalation: r.get("escalation"),
        accepted_by: r.get("accepted_by"),
        accepted_by_name: r.get("accepted_by_name"),
        accepted_at: r.get::<Option<i64>, _>("accepted_at").map(from_ms),
        appointment_at: r.get::<Option<i64>, _>("appointment_at").map(from_ms),
        appointment_mode: r.get("appointment_mode"),
        reoriented_to: r.get("reoriented_to"),
        version: r.get("version"),
    }
}

pub async fn request(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<RequestRow>> {
    let sql = format!(
        "select {REQUEST_COLUMNS} from snp_request r left join member w on w.id = r.accepted_by where r.id = $1"
    );
    Ok(sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(request_row))
}

/// The requests of a CPTS still in progress, plus those closed since `closed_since`, newest first.
pub async fn board(
    conn: &mut AnyConnection,
    cpts_id: i64,
    closed_since: DateTime<Utc>,
) -> StoreResult<Vec<RequestRow>> {
    let sql = format!(
        "select {REQUEST_COLUMNS} from snp_request r left join member w on w.id = r.accepted_by \
         where r.cpts_id = $1 and (r.status not in ('done', 'no_show', 'reoriented', 'cancelled') or r.closed_at >= $2) \
         order by r.id desc limit 200"
    );
    let rows = sqlx::query(&sql).bind(cpts_id).bind(ms(closed_since)).fetch_all(conn).await?;
    Ok(rows.iter().map(request_row).collect())
}

/// Requests waiting for an acceptance, for the escalation job.
pub async fn waiting_requests(conn: &mut AnyConnection) -> StoreResult<Vec<RequestRow>> {
    let sql = format!(
        "select {REQUEST_COLUMNS} from snp_request r left join member w on w.id = r.accepted_by \
         where r.status in ('pushed', 'escalated') order by r.id"
    );
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    Ok(rows.iter().map(request_row).collect())
}

/// Requests accepted by a member and not yet closed (or closed today), newest first.
pub async fn cases_of(
    conn: &mut AnyConnection,
    member_id: i64,
    closed_since: DateTime<Utc>,
) -> StoreResult<Vec<RequestRow>> {
    let sql = format!(
        "select {REQUEST_COLUMNS} from snp_request r left join member w on w.id = r.accepted_by \
         where r.accepted_by = $1 and (r.status in ('accepted', 'booked') or r.closed_at >= $2) order by r.id desc"
    );
    let rows = sqlx::query(&sql).bind(member_id).bind(ms(closed_since)).fetch_all(conn).await?;
    Ok(rows.iter().map(request_row).collect())
}

pub async fn insert_request(
    conn: &mut AnyConnection,
    cpts_id: i64,
    actor_id: i64,
    r: &NewRequest,
    location: GeoPoint,
    deadline_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "insert into snp_request (cpts_id, created_by, created_at, motive, profession, patient_name, age_band, callback_phone, \
           commune, lat, lon, teleconsult_ok, deadline, deadline_at, source, treating_member_id, note, status) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'new') returning id",
    )
    .bind(cpts_id)
    .bind(actor_id)
    .bind(ms(now))
    .bind(r.motive.code())
    .bind(r.profession.code())
    .bind(&r.patient_name)
    .bind(r.age_band.code())
    .bind(r.callback_phone.e164())
    .bind(&r.commune)
    .bind(location.lat)
    .bind(location.lon)
    .bind(i64::from(r.teleconsult_ok))
    .bind(r.deadline.code())
    .bind(ms(deadline_at))
    .bind(r.source.code())
    .bind(r.treating_member_id)
    .bind(&r.note)
    .fetch_one(&mut *conn)
    .await?;
    audit(
        conn,
        now,
        Audit {
            cpts_id: Some(cpts_id),
            actor_id: Some(actor_id),
            kind: "request_created",
            request_id: Some(id),
            detail: serde_json::json!({
                "motive": r.motive.code(), "profession": r.profession.code(), "source": r.source.code(),
                "deadline": r.deadline.code(), "commune": r.commune,
            }),
            ..Audit::default()
        },
    )
    .await?;
    Ok(id)
}

/// Moves a request to `to` if it is still in `from` and at `version`; false when someone else
/// changed it first.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    to: RequestStatus,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let closed_at = to.is_closed().then_some(ms(now));
    let done = sqlx::query(
        "update snp_request set status = $3, closed_at = coalesce($4, closed_at), version = version + 1 \
         where id = $1 and version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(to.code())
    .bind(closed_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn start_wave(conn: &mut AnyConnection, id: i64, wave: u8, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("update snp_request set wave = $2, wave_started_at = $3 where id = $1")
        .bind(id)
        .bind(i64::from(wave))
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// Clears the coordinator's alert (the request is pushed again).
pub async fn clear_escalation(conn: &mut AnyConnection, id: i64) -> StoreResult<()> {
    sqlx::query("update snp_request set escalation = null, escalated_at = null where id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Requests a member accepted since `since`, and their weekly cap.
pub async fn weekly_load(conn: &mut AnyConnection, member_id: i64, since: DateTime<Utc>) -> StoreResult<(i64, i64)> {
    let row = sqlx::query(
        "select m.weekly_cap, (select count(*) from snp_request r where r.accepted_by = m.id and r.accepted_at >= $2) as n \
         from member m where m.id = $1",
    )
    .bind(member_id)
    .bind(ms(since))
    .fetch_one(conn)
    .await?;
    Ok((row.get("n"), row.get("weekly_cap")))
}

/// A request reoriented or cancelled keeps no appointment.
pub async fn close_without_appointment(
    conn: &mut AnyConnection,
    id: i64,
    reoriented_to: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "update snp_request set appointment_at = null, appointment_mode = null, reoriented_to = $2 where id = $1",
    )
    .persistent(false)
    .bind(id)
    .bind(reoriented_to)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_escalated(conn: &mut AnyConnection, id: i64, reason: &str, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("update snp_request set escalation = $2, escalated_at = $3 where id = $1")
        .bind(id)
        .bind(reason)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_offer(
    conn: &mut AnyConnection,
    request_id: i64,
    member_id: i64,
    wave: u8,
    distance_km: Option<f64>,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "insert into offer (request_id, member_id, wave, distance_km, state, sent_at) values ($1, $2, $3, $4, 'sent', $5) \
         on conflict (request_id, member_id) do nothing returning id",
    )
    // See `create_member`: a NULL distance must not poison a cached statement.
    .persistent(false)
    .bind(request_id)
    .bind(member_id)
    .bind(i64::from(wave))
    .bind(distance_km)
    .bind(ms(now))
    .fetch_optional(conn)
    .await?)
}

/// An offer with who it went to.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferRow {
    pub id: i64,
    pub request_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub profession: Option<String>,
    pub wave: u8,
    pub distance_km: Option<f64>,
    pub state: OfferState,
    pub refusal_reason: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub seen_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
}

const OFFER_COLUMNS: &str =
    "o.id, o.request_id, o.member_id, m.display_name as member_name, m.profession, o.wave, o.distance_km, \
    o.state, o.refusal_reason, o.sent_at, o.seen_at, o.answered_at";

fn offer_row(r: &sqlx::any::AnyRow) -> OfferRow {
    OfferRow {
        id: r.get("id"),
        request_id: r.get("request_id"),
        member_id: r.get("member_id"),
        member_name: r.get("member_name"),
        profession: r.get("profession"),
        wave: u8::try_from(r.get::<i64, _>("wave")).unwrap_or(0),
        distance_km: r.get("distance_km"),
        state: OfferState::parse(&r.get::<String, _>("state")).unwrap_or(OfferState::Sent),
        refusal_reason: r.get("refusal_reason"),
        sent_at: from_ms(r.get("sent_at")),
        seen_at: r.get::<Option<i64>, _>("seen_at").map(from_ms),
        answered_at: r.get::<Option<i64>, _>("answered_at").map(from_ms),
    }
}

pub async fn offers_of_request(conn: &mut AnyConnection, request_id: i64) -> StoreResult<Vec<OfferRow>> {
    let sql = format!("select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id where o.request_id = $1 order by o.wave, o.distance_km, o.id");
    let rows = sqlx::query(&sql).bind(request_id).fetch_all(conn).await?;
    Ok(rows.iter().map(offer_row).collect())
}

pub async fn offers_of_requests(
    conn: &mut AnyConnection,
    cpts_id: i64,
    closed_since: DateTime<Utc>,
) -> StoreResult<Vec<OfferRow>> {
    let sql = format!(
        "select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id join snp_request r on r.id = o.request_id \
         where r.cpts_id = $1 and (r.status not in ('done', 'no_show', 'reoriented', 'cancelled') or r.closed_at >= $2) \
         order by o.request_id, o.wave, o.distance_km, o.id"
    );
    let rows = sqlx::query(&sql).bind(cpts_id).bind(ms(closed_since)).fetch_all(conn).await?;
    Ok(rows.iter().map(offer_row).collect())
}

pub async fn offer_of(conn: &mut AnyConnection, request_id: i64, member_id: i64) -> StoreResult<Option<OfferRow>> {
    let sql = format!("select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id where o.request_id = $1 and o.member_id = $2");
    Ok(sqlx::query(&sql).bind(request_id).bind(member_id).fetch_optional(conn).await?.as_ref().map(offer_row))
}

/// The live offers of a member with their request, newest first.
pub async fn inbox(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Vec<(OfferRow, RequestRow)>> {
    const LIVE: &str = "o.member_id = $1 and o.state in ('sent', 'seen') and r.status in ('pushed', 'escalated')";
    let sql = format!(
        "select {OFFER_COLUMNS} from offer o join member m on m.id = o.member_id join snp_request r on r.id = o.request_id \
         where {LIVE} order by o.sent_at desc, o.id desc"
    );
    let offers: Vec<OfferRow> =
        sqlx::query(&sql).bind(member_id).fetch_all(&mut *conn).await?.iter().map(offer_row).collect();
    let sql = format!(
        "select {REQUEST_COLUMNS} from snp_request r left join member w on w.id = r.accepted_by \
         where r.id in (select o.request_id from offer o join snp_request r on r.id = o.request_id where {LIVE})"
    );
    let requests: Vec<RequestRow> =
        sqlx::query(&sql).bind(member_id).fetch_all(conn).await?.iter().map(request_row).collect();
    Ok(offers
        .into_iter()
        .filter_map(|o| {
            let r = requests.iter().find(|r| r.id == o.request_id)?.clone();
            Some((o, r))
        })
        .collect())
}

/// Changes an offer's state if it is still live; false otherwise.
pub async fn answer_offer(
    conn: &mut AnyConnection,
    offer_id: i64,
    to: OfferState,
    refusal_reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update offer set state = $2, refusal_reason = $3, answered_at = $4 where id = $1 and state in ('sent', 'seen')",
    )
    .bind(offer_id)
    .bind(to.code())
    .bind(refusal_reason)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_seen(conn: &mut AnyConnection, offer_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = sqlx::query("update offer set state = 'seen', seen_at = $2 where id = $1 and state = 'sent'")
        .bind(offer_id)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The first-accept-wins write: succeeds for one caller only, whatever the concurrency, because
/// the update is conditional on the request still waiting (and a unique index allows one
/// accepted offer per request).
pub async fn claim_request(
    conn: &mut AnyConnection,
    request_id: i64,
    member_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update snp_request set status = 'accepted', accepted_by = $2, accepted_at = $3, escalation = null, \
         escalated_at = null, version = version + 1 where id = $1 and status in ('pushed', 'escalated')",
    )
    .bind(request_id)
    .bind(member_id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws every live offer of a request; returns (offer id, member id) of each.
pub async fn withdraw_live_offers(
    conn: &mut AnyConnection,
    request_id: i64,
    to: OfferState,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "update offer set state = $2, answered_at = $3 where request_id = $1 and state in ('sent', 'seen') returning id, member_id",
    )
    .bind(request_id)
    .bind(to.code())
    .bind(ms(now))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("member_id"))).collect())
}

pub async fn set_appointment(
    conn: &mut AnyConnection,
    request_id: i64,
    at: Option<DateTime<Utc>>,
    mode: Option<&str>,
    reoriented_to: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "update snp_request set appointment_at = coalesce($2, appointment_at), appointment_mode = coalesce($3, appointment_mode), \
         reoriented_to = coalesce($4, reoriented_to) where id = $1",
    )
    .bind(request_id)
    .bind(at.map(ms))
    .bind(mode)
    .bind(reoriented_to)
    .execute(conn)
    .await?;
    Ok(())
}
