//! Persistence of a member's standing, profile and notice preferences.

use chrono::{DateTime, NaiveTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::members::rules::{Channels, MemberStatus, Notice, Preferences, QuietHours};
use crate::platform::db::StoreResult;

/// What a member may change about themselves, and their standing.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub status: MemberStatus,
    pub rpps: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub quiet: Option<QuietHours>,
    pub has_password: bool,
}

fn time_of(minutes: Option<i64>) -> Option<NaiveTime> {
    let m = u32::try_from(minutes?).ok()?;
    NaiveTime::from_hms_opt(m / 60, m % 60, 0)
}

fn minutes_of(t: NaiveTime) -> i64 {
    use chrono::Timelike;
    i64::from(t.hour() * 60 + t.minute())
}

pub async fn profile(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Option<Profile>> {
    let r = sqlx::query(
        "select status, rpps, phone, address, quiet_start, quiet_end, password_hash from member where id = $1",
    )
    .bind(member_id)
    .fetch_optional(conn)
    .await?;
    Ok(r.map(|r| Profile {
        status: MemberStatus::parse(r.get::<String, _>("status").as_str()).unwrap_or(MemberStatus::Suspended),
        rpps: r.get("rpps"),
        phone: r.get("phone"),
        address: r.get("address"),
        quiet: time_of(r.get("quiet_start"))
            .zip(time_of(r.get("quiet_end")))
            .map(|(start, end)| QuietHours { start, end }),
        has_password: !r.get::<String, _>("password_hash").is_empty(),
    }))
}

/// The profile fields a member edits.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileChange {
    pub teleconsult: bool,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub location: Option<crate::domain::geo::GeoPoint>,
    pub phone: Option<String>,
    pub quiet: Option<QuietHours>,
}

pub async fn update_profile(conn: &mut AnyConnection, member_id: i64, p: &ProfileChange) -> StoreResult<()> {
    sqlx::query(
        "update member set teleconsult = $2, address = $3, commune = $4, lat = $5, lon = $6, phone = $7, \
         quiet_start = $8, quiet_end = $9 where id = $1",
    )
    .persistent(false)
    .bind(member_id)
    .bind(i64::from(p.teleconsult))
    .bind(&p.address)
    .bind(&p.commune)
    .bind(p.location.map(|l| l.lat))
    .bind(p.location.map(|l| l.lon))
    .bind(&p.phone)
    .bind(p.quiet.map(|q| minutes_of(q.start)))
    .bind(p.quiet.map(|q| minutes_of(q.end)))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the language the member chose (`None`: the browser's).
pub async fn set_language(
    conn: &mut AnyConnection,
    member_id: i64,
    lang: Option<crate::i18n::Lang>,
) -> StoreResult<()> {
    sqlx::query("update member set lang = $2 where id = $1")
        .bind(member_id)
        .bind(lang.map(crate::i18n::Lang::code))
        .execute(conn)
        .await?;
    Ok(())
}

/// The member's chosen channels, quiet hours and whether they gave a mobile number.
pub async fn preferences(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Preferences> {
    let rows = sqlx::query("select notice, push, email, sms from notice_preference where member_id = $1")
        .bind(member_id)
        .fetch_all(&mut *conn)
        .await?;
    let chosen = rows
        .iter()
        .filter_map(|r| {
            let n = Notice::parse(r.get::<String, _>("notice").as_str())?;
            Some((
                n,
                Channels {
                    push: r.get::<i64, _>("push") != 0,
                    email: r.get::<i64, _>("email") != 0,
                    sms: r.get::<i64, _>("sms") != 0,
                },
            ))
        })
        .collect();
    let p = profile(conn, member_id).await?;
    Ok(Preferences { chosen, quiet: p.as_ref().and_then(|p| p.quiet), has_phone: p.is_some_and(|p| p.phone.is_some()) })
}

pub async fn set_preference(conn: &mut AnyConnection, member_id: i64, n: Notice, c: Channels) -> StoreResult<()> {
    sqlx::query(
        "insert into notice_preference (member_id, notice, push, email, sms) values ($1, $2, $3, $4, $5) \
         on conflict (member_id, notice) do update set push = excluded.push, email = excluded.email, sms = excluded.sms",
    )
    .bind(member_id)
    .bind(n.code())
    .bind(i64::from(c.push))
    .bind(i64::from(c.email))
    .bind(i64::from(c.sms))
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets a member's standing (`active` follows it). Returns whether the row changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    member_id: i64,
    cpts_id: i64,
    status: MemberStatus,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update member set status = $3, active = $4 where id = $1 and cpts_id = $2 and status <> $3 and status <> 'removed'",
    )
    .bind(member_id)
    .bind(cpts_id)
    .bind(status.code())
    .bind(i64::from(status == MemberStatus::Active))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password_hash(conn: &mut AnyConnection, member_id: i64, hash: &str) -> StoreResult<()> {
    sqlx::query("update member set password_hash = $2 where id = $1").bind(member_id).bind(hash).execute(conn).await?;
    Ok(())
}

/// A member as the members' page lists them: with standing, RPPS and when they joined.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub member: super::MemberRow,
    pub status: MemberStatus,
    pub rpps: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The CPTS's members, active and suspended (removed ones are history), by name.
pub async fn listed_members(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<Listed>> {
    let sql = format!(
        "select {}, m.status, m.rpps, m.created_at from member m where m.cpts_id = $1 and m.status <> 'removed' \
         order by m.display_name, m.id",
        super::MEMBER_COLUMNS
    );
    let rows = sqlx::query(&sql).bind(cpts_id).fetch_all(conn).await?;
    Ok(rows
        .iter()
        .map(|r| Listed {
            member: super::member_row(r),
            status: MemberStatus::parse(r.get::<String, _>("status").as_str()).unwrap_or(MemberStatus::Suspended),
            rpps: r.get("rpps"),
            created_at: crate::platform::db::from_ms(r.get("created_at")),
        })
        .collect())
}

/// Whether members of the CPTS may log in with a password.
pub async fn password_login(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<bool> {
    let v: Option<i64> =
        sqlx::query_scalar("select password_login from cpts where id = $1").bind(cpts_id).fetch_optional(conn).await?;
    Ok(v.unwrap_or(1) != 0)
}

/// Lets the CPTS's members log in with a password, or not. False when it already was so (a
/// concurrent admin got there first): nothing changed.
pub async fn set_password_login(conn: &mut AnyConnection, cpts_id: i64, allowed: bool) -> StoreResult<bool> {
    let done = sqlx::query("update cpts set password_login = $2 where id = $1 and password_login <> $2")
        .bind(cpts_id)
        .bind(i64::from(allowed))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The CPTS's active members who hold no passkey, by name: without passwords they cannot log in.
pub async fn without_passkey(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "select m.id, m.display_name from member m where m.cpts_id = $1 and m.status = 'active' \
         and not exists (select 1 from passkey p where p.member_id = m.id) order by m.display_name, m.id",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("display_name"))).collect())
}
