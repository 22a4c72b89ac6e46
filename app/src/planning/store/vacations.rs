//! Vacations, who holds them, and the row locks that serialise changes to them.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::platform::db::{from_ms, ms, Backend, Store, StoreResult};

use crate::planning::rules::{Slot, Vacation, VacationKind};

pub async fn insert_vacation(
    conn: &mut AnyConnection,
    planning_id: i64,
    kind: VacationKind,
    slot: Slot,
    capacity: u32,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    insert_vacation_with(conn, planning_id, kind, slot, capacity, true, now).await
}

pub async fn insert_vacation_with(
    conn: &mut AnyConnection,
    planning_id: i64,
    kind: VacationKind,
    slot: Slot,
    capacity: u32,
    self_service: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into vacation (planning_id, kind, starts_at, ends_at, capacity, created_at, self_service) \
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(planning_id)
    .bind(kind.code())
    .bind(ms(slot.starts_at))
    .bind(ms(slot.ends_at))
    .bind(i64::from(capacity))
    .bind(ms(now))
    .bind(i64::from(self_service))
    .fetch_one(conn)
    .await?)
}

/// Whether members may take this vacation themselves.
pub async fn is_self_service(conn: &mut AnyConnection, vacation_id: i64) -> StoreResult<bool> {
    let v: Option<i64> = sqlx::query_scalar("select self_service from vacation where id = $1")
        .bind(vacation_id)
        .fetch_optional(conn)
        .await?;
    Ok(v.unwrap_or(0) != 0)
}

/// A vacation with its planning's name and kind, for screens.
#[derive(Clone, Debug, PartialEq)]
pub struct VacationRow {
    pub vacation: Vacation,
    pub kind: VacationKind,
    pub planning_name: String,
}

async fn load_vacations(
    conn: &mut AnyConnection,
    filter: &str,
    a: i64,
    b: i64,
    c: i64,
) -> StoreResult<Vec<VacationRow>> {
    let sql = format!(
        "select v.id, v.planning_id, v.kind, v.starts_at, v.ends_at, v.capacity, p.name as planning_name \
         from vacation v join planning p on p.id = v.planning_id where {filter} order by v.starts_at, v.id"
    );
    let rows = sqlx::query(&sql).bind(a).bind(b).bind(c).fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let holders_sql = format!(
        "select a.vacation_id, a.member_id from assignment a join vacation v on v.id = a.vacation_id \
         join planning p on p.id = v.planning_id where {filter}"
    );
    let mut holders: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    for h in sqlx::query(&holders_sql).bind(a).bind(b).bind(c).fetch_all(conn).await? {
        holders.entry(h.get("vacation_id")).or_default().insert(h.get("member_id"));
    }
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            VacationRow {
                vacation: Vacation {
                    id,
                    planning_id: r.get("planning_id"),
                    slot: Slot { starts_at: from_ms(r.get("starts_at")), ends_at: from_ms(r.get("ends_at")) },
                    capacity: u32::try_from(r.get::<i64, _>("capacity")).unwrap_or(0),
                    holders: holders.remove(&id).unwrap_or_default(),
                },
                kind: VacationKind::parse(&r.get::<String, _>("kind")).unwrap_or(VacationKind::SnpOffice),
                planning_name: r.get("planning_name"),
            }
        })
        .collect())
}

/// Every vacation of a planning between two instants.
pub async fn planning_vacations(
    conn: &mut AnyConnection,
    planning_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<VacationRow>> {
    load_vacations(conn, "v.planning_id = $1 and v.ends_at > $2 and v.starts_at < $3", planning_id, ms(from), ms(to))
        .await
}

/// The vacations a member holds that end after `from` (every planning), soonest first.
pub async fn member_vacations(
    conn: &mut AnyConnection,
    member_id: i64,
    from: DateTime<Utc>,
) -> StoreResult<Vec<VacationRow>> {
    load_vacations(
        conn,
        "v.id in (select vacation_id from assignment where member_id = $1) and v.ends_at > $2 and $3 = $3",
        member_id,
        ms(from),
        0,
    )
    .await
}

/// The vacations named by `ids` (in one query).
pub async fn vacations_by_ids(conn: &mut AnyConnection, ids: &[i64]) -> StoreResult<Vec<VacationRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    // Integers only: written into the query, they cannot change its meaning.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    load_vacations(conn, &format!("v.id in ({list}) and $1 = $1 and $2 = $2 and $3 = $3"), 0, 0, 0).await
}

/// The vacations of a CPTS that cover the instant `t` (for who is on duty).
pub async fn vacations_at(conn: &mut AnyConnection, cpts_id: i64, t: DateTime<Utc>) -> StoreResult<Vec<VacationRow>> {
    load_vacations(conn, "p.cpts_id = $1 and v.starts_at <= $2 and v.ends_at > $3", cpts_id, ms(t), ms(t)).await
}

pub async fn vacation(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<VacationRow>> {
    Ok(load_vacations(conn, "v.id = $1 and $2 = $2 and $3 = $3", id, 0, 0).await?.into_iter().next())
}

impl Store {
    /// Locks vacations' rows, in id order (so that two échanges never deadlock), until the
    /// transaction ends. On SQLite the single writer already serialises changes.
    pub async fn lock_vacations(&self, tx: &mut AnyConnection, ids: &[i64]) -> StoreResult<()> {
        if self.backend == Backend::Postgres {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            for id in ids {
                sqlx::query("select id from vacation where id = $1 for update").bind(id).execute(&mut *tx).await?;
            }
        }
        Ok(())
    }

    /// Locks a member's row: every change to their vacations passes here, so caps are checked
    /// against a state nobody else is changing.
    pub async fn lock_member(&self, tx: &mut AnyConnection, member_id: i64) -> StoreResult<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("select id from member where id = $1 for update").bind(member_id).execute(tx).await?;
        }
        Ok(())
    }
}

pub async fn assign(
    conn: &mut AnyConnection,
    vacation_id: i64,
    member_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "insert into assignment (vacation_id, member_id, created_at) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(vacation_id)
    .bind(member_id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unassign(conn: &mut AnyConnection, vacation_id: i64, member_id: i64) -> StoreResult<bool> {
    let done = sqlx::query("delete from assignment where vacation_id = $1 and member_id = $2")
        .bind(vacation_id)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
