//! Persistence of the CPTS, its communes, its members and their availability.

mod invitations;
mod profile;

pub use invitations::*;
pub use profile::*;

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::domain::geo::GeoPoint;
use crate::domain::{Profession, Role};
use crate::platform::audit::Audit;
use crate::platform::db::{from_ms, ms, StoreResult};

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
        Audit::new("member_created")
            .cpts(m.cpts_id)
            .actor(actor_id)
            .subject(id)
            .detail(serde_json::json!({ "role": m.role.code() }))
            .write(conn, now)
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
    /// The language the member chose; `None`: the browser's.
    pub lang: Option<crate::i18n::Lang>,
}

impl crate::platform::audit::Actor for MemberRow {
    fn cpts_id(&self) -> i64 {
        self.cpts_id
    }
    fn member_id(&self) -> i64 {
        self.id
    }
}

pub(crate) const MEMBER_COLUMNS: &str =
    "m.id, m.cpts_id, m.email, m.display_name, m.role, m.profession, m.commune, m.lat, m.lon, m.teleconsult, m.lang";

pub(crate) fn member_row(r: &sqlx::any::AnyRow) -> MemberRow {
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
        lang: r.get::<Option<String>, _>("lang").as_deref().and_then(crate::i18n::Lang::parse),
    }
}

pub async fn member(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<MemberRow>> {
    let sql = format!("select {MEMBER_COLUMNS} from member m where m.id = $1");
    Ok(sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(member_row))
}

pub async fn members(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<MemberRow>> {
    let sql =
        format!("select {MEMBER_COLUMNS} from member m where m.cpts_id = $1 and m.active = 1 order by m.display_name");
    let rows = sqlx::query(&sql).bind(cpts_id).fetch_all(conn).await?;
    Ok(rows.iter().map(member_row).collect())
}

/// The ids of the CPTS's active clinicians.
pub async fn clinician_ids(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<i64>> {
    Ok(members(conn, cpts_id).await?.into_iter().filter(|m| m.role == Role::Clinician).map(|m| m.id).collect())
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

/// What a page drawn for a member shows of them now, besides their row.
pub struct StandingNow {
    /// In a duty slot of their own now.
    pub duty_slot: bool,
    /// The end of their "available now", if volunteering.
    pub available_until: Option<DateTime<Utc>>,
    pub cpts_name: Option<String>,
}

/// A member's [`StandingNow`], in one statement: a page asks it of every member it is drawn for.
pub async fn standing_now(
    conn: &mut AnyConnection,
    member_id: i64,
    cpts_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<StandingNow> {
    let (duty, until, cpts_name): (i64, Option<i64>, Option<String>) = sqlx::query_as(
        "select (select count(*) from availability where member_id = $1 and kind = 'duty' \
                 and starts_at <= $2 and ends_at > $2), \
                (select max(ends_at) from availability where member_id = $1 and kind = 'volunteer' \
                 and starts_at <= $2 and ends_at > $2), \
                (select name from cpts where id = $3)",
    )
    .bind(member_id)
    .bind(ms(now))
    .bind(cpts_id)
    .fetch_one(conn)
    .await?;
    Ok(StandingNow { duty_slot: duty > 0, available_until: until.map(from_ms), cpts_name })
}
