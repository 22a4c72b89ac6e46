//! [ssr] The SAS interface's queries: the CPTS's FINESS, API clients, regulators, the slots the
//! SAS may see, the bookings it made.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::domain::{AppointmentMode, Profession};
use crate::platform::db::{from_ms, ms, StoreResult};
use crate::slots::fhir::rules::RegulatorIn;

/// The CPTS's name and FINESS.
pub async fn cpts_identity(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Option<(String, Option<String>)>> {
    let row = sqlx::query("select name, finess from cpts where id = $1").bind(cpts_id).fetch_optional(conn).await?;
    Ok(row.map(|r| (r.get("name"), r.get("finess"))))
}

pub async fn set_finess(conn: &mut AnyConnection, cpts_id: i64, finess: &str) -> StoreResult<()> {
    sqlx::query("update cpts set finess = $2 where id = $1").bind(cpts_id).bind(finess).execute(conn).await?;
    Ok(())
}

/// An API client, as its CPTS's admin sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientRow {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert_client(
    conn: &mut AnyConnection,
    cpts_id: i64,
    name: &str,
    token_hash: &str,
    created_by: i64,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into api_client (cpts_id, name, token_hash, created_by, created_at) values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(cpts_id)
    .bind(name)
    .bind(token_hash)
    .bind(created_by)
    .bind(ms(now))
    .fetch_one(conn)
    .await?)
}

pub async fn clients(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<ClientRow>> {
    let rows = sqlx::query(
        "select id, name, created_at, last_used_at, revoked_at from api_client where cpts_id = $1 order by id desc",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ClientRow {
            id: r.get("id"),
            name: r.get("name"),
            created_at: from_ms(r.get("created_at")),
            last_used_at: r.get::<Option<i64>, _>("last_used_at").map(from_ms),
            revoked_at: r.get::<Option<i64>, _>("revoked_at").map(from_ms),
        })
        .collect())
}

/// Revokes a client of the CPTS. False when there is none or it is already revoked.
pub async fn revoke_client(conn: &mut AnyConnection, cpts_id: i64, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let done =
        sqlx::query("update api_client set revoked_at = $3 where id = $1 and cpts_id = $2 and revoked_at is null")
            .bind(id)
            .bind(cpts_id)
            .bind(ms(now))
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// The live client holding a token: (its id, its CPTS, when it was last used).
pub async fn client_by_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> StoreResult<Option<(i64, i64, Option<DateTime<Utc>>)>> {
    let row =
        sqlx::query("select id, cpts_id, last_used_at from api_client where token_hash = $1 and revoked_at is null")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| (r.get("id"), r.get("cpts_id"), r.get::<Option<i64>, _>("last_used_at").map(from_ms))))
}

/// Notes a client's use.
pub async fn touch_client(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("update api_client set last_used_at = $2 where id = $1").bind(id).bind(ms(now)).execute(conn).await?;
    Ok(())
}

/// A free slot the SAS may book, with its clinician.
#[derive(Clone, Debug, PartialEq)]
pub struct SasSlotRow {
    pub id: i64,
    pub member_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: AppointmentMode,
    pub rpps: String,
    pub name: String,
    pub profession: Option<Profession>,
    pub commune: Option<String>,
    pub postcode: Option<String>,
}

/// The CPTS's free slots open to the SAS, of active members with one of these RPPS, starting
/// from `from` (and not before `now`) to `to` included, soonest first.
pub async fn sas_slots(
    conn: &mut AnyConnection,
    cpts_id: i64,
    rpps: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<SasSlotRow>> {
    if rpps.is_empty() {
        return Ok(vec![]);
    }
    let list: Vec<String> = (0..rpps.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "select s.id, s.member_id, s.starts_at, s.ends_at, s.mode, m.rpps, m.display_name, m.profession, m.commune, c.postcode \
         from slot s join member m on m.id = s.member_id \
         left join commune c on c.cpts_id = m.cpts_id and c.name = m.commune \
         where s.cpts_id = $1 and s.starts_at >= $2 and s.starts_at <= $3 and s.audience = 'sas' and s.closed_at is null \
         and m.active = 1 and m.rpps in ({}) \
         and not exists (select 1 from slot_booking b where b.slot_id = s.id and b.status <> 'cancelled') \
         order by s.starts_at, s.id",
        list.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(cpts_id).bind(ms(from)).bind(ms(to));
    for number in rpps {
        query = query.bind(number);
    }
    Ok(query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| SasSlotRow {
            id: r.get("id"),
            member_id: r.get("member_id"),
            starts_at: from_ms(r.get("starts_at")),
            ends_at: from_ms(r.get("ends_at")),
            mode: AppointmentMode::parse(&r.get::<String, _>("mode")).unwrap_or(AppointmentMode::Office),
            rpps: r.get("rpps"),
            name: r.get("display_name"),
            profession: r.get::<Option<String>, _>("profession").as_deref().and_then(Profession::parse),
            commune: r.get("commune"),
            postcode: r.get("postcode"),
        })
        .collect())
}

/// The slot of the CPTS's clinician with this RPPS that starts at `start`.
pub async fn slot_at(
    conn: &mut AnyConnection,
    cpts_id: i64,
    rpps: &str,
    start: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "select s.id from slot s join member m on m.id = s.member_id \
         where s.cpts_id = $1 and m.rpps = $2 and m.active = 1 and s.starts_at = $3 order by s.closed_at is not null, s.id limit 1",
    )
    .bind(cpts_id)
    .bind(rpps)
    .bind(ms(start))
    .fetch_optional(conn)
    .await?)
}

/// The RPPS of an active member.
pub async fn rpps_of_member(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>("select rpps from member where id = $1 and active = 1")
        .bind(member_id)
        .fetch_optional(conn)
        .await?
        .flatten())
}

/// The booking the SAS knows by this identifier: (booking, slot, status).
pub async fn booking_by_appointment(
    conn: &mut AnyConnection,
    cpts_id: i64,
    (system, value): (&str, &str),
) -> StoreResult<Option<(i64, i64, String)>> {
    let row = sqlx::query(
        "select id, slot_id, status from slot_booking where cpts_id = $1 and appointment_system = $2 and appointment_value = $3",
    )
    .bind(cpts_id)
    .bind(system)
    .bind(value)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.get("id"), r.get("slot_id"), r.get("status"))))
}

/// A regulator of the CPTS by identifier: (id, active).
pub async fn regulator(
    conn: &mut AnyConnection,
    cpts_id: i64,
    (system, value): (&str, &str),
) -> StoreResult<Option<(i64, bool)>> {
    let row =
        sqlx::query("select id, active from sas_regulator where cpts_id = $1 and id_system = $2 and id_value = $3")
            .bind(cpts_id)
            .bind(system)
            .bind(value)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| (r.get("id"), r.get::<i64, _>("active") != 0)))
}

/// Updates the regulator `id` with what the SAS sent (its identifier included).
pub async fn update_regulator(
    conn: &mut AnyConnection,
    id: i64,
    r: &RegulatorIn,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "update sas_regulator set id_system = $2, id_value = $3, family = $4, given = $5, email = $6, active = $7, \
         updated_at = $8 where id = $1",
    )
    .bind(id)
    .bind(&r.identifier.0)
    .bind(&r.identifier.1)
    .bind(&r.family)
    .bind(&r.given)
    .bind(&r.email)
    .bind(i64::from(r.active))
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a regulator; on a second arrival of the same identifier, updates it.
pub async fn upsert_regulator(
    conn: &mut AnyConnection,
    cpts_id: i64,
    r: &RegulatorIn,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into sas_regulator (cpts_id, id_system, id_value, family, given, email, active, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         on conflict (cpts_id, id_system, id_value) do update set family = excluded.family, given = excluded.given, \
         email = excluded.email, active = excluded.active, updated_at = excluded.updated_at returning id",
    )
    .bind(cpts_id)
    .bind(&r.identifier.0)
    .bind(&r.identifier.1)
    .bind(&r.family)
    .bind(&r.given)
    .bind(&r.email)
    .bind(i64::from(r.active))
    .bind(ms(now))
    .fetch_one(conn)
    .await?)
}

/// A regulator, as the CPTS's admin sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct RegulatorRow {
    pub system: String,
    pub value: String,
    pub name: String,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

pub async fn regulators(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<RegulatorRow>> {
    let rows = sqlx::query(
        "select id_system, id_value, family, given, active, updated_at from sas_regulator where cpts_id = $1 \
         order by family, given, id",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| RegulatorRow {
            system: r.get("id_system"),
            value: r.get("id_value"),
            name: format!("{} {}", r.get::<String, _>("given"), r.get::<String, _>("family")).trim().to_string(),
            active: r.get::<i64, _>("active") != 0,
            updated_at: from_ms(r.get("updated_at")),
        })
        .collect())
}

/// How many bookings the SAS made for slots starting since `since`, and how many of them stand.
pub async fn sas_bookings_since(
    conn: &mut AnyConnection,
    cpts_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    let row = sqlx::query(
        "select count(*) as made, coalesce(sum(case when b.status <> 'cancelled' then 1 else 0 end), 0) as standing \
         from slot_booking b join slot s on s.id = b.slot_id \
         where b.cpts_id = $1 and b.source = 'sas' and s.starts_at >= $2",
    )
    .bind(cpts_id)
    .bind(ms(since))
    .fetch_one(conn)
    .await?;
    Ok((row.get("made"), row.get("standing")))
}
