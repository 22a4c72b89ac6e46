//! Persistence of plannings, vacations, assignments and changes (same conventions as `store`).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::store::{from_ms, ms, Backend, Store, StoreResult};
use crate::domain::planning::{ChangeKind, ChangeState, GroupRule, Slot, Vacation, VacationKind};

#[derive(Clone, Debug, PartialEq)]
pub struct PlanningRow {
    pub id: i64,
    pub cpts_id: i64,
    pub name: String,
    pub notice_hours: i64,
}

pub async fn create_planning(
    conn: &mut AnyConnection,
    cpts_id: i64,
    name: &str,
    notice_hours: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "insert into planning (cpts_id, name, notice_hours, created_at) values ($1, $2, $3, $4) \
         on conflict (cpts_id, name) do nothing returning id",
    )
    .bind(cpts_id)
    .bind(name)
    .bind(notice_hours)
    .bind(ms(now))
    .fetch_optional(conn)
    .await?)
}

pub async fn plannings(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<PlanningRow>> {
    let rows = sqlx::query("select id, cpts_id, name, notice_hours from planning where cpts_id = $1 order by name")
        .bind(cpts_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(planning_row).collect())
}

fn planning_row(r: &sqlx::any::AnyRow) -> PlanningRow {
    PlanningRow { id: r.get("id"), cpts_id: r.get("cpts_id"), name: r.get("name"), notice_hours: r.get("notice_hours") }
}

pub async fn planning(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<PlanningRow>> {
    let row = sqlx::query("select id, cpts_id, name, notice_hours from planning where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().map(planning_row))
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub id: i64,
    pub planning_id: i64,
    pub name: String,
    pub dimension: String,
    pub rule: GroupRule,
    pub members: Vec<i64>,
}

pub async fn create_group(
    conn: &mut AnyConnection,
    planning_id: i64,
    name: &str,
    dimension: &str,
    rule: &GroupRule,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "insert into planning_group (planning_id, name, dimension, max_per_week, max_per_month, max_share_percent, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (planning_id, name) do nothing returning id",
    )
    // Optional integers may be NULL: see `store::create_member` on cached statements.
    .persistent(false)
    .bind(planning_id)
    .bind(name)
    .bind(dimension)
    .bind(rule.max_per_week.map(i64::from))
    .bind(rule.max_per_month.map(i64::from))
    .bind(rule.max_share_percent.map(i64::from))
    .bind(ms(now))
    .fetch_optional(conn)
    .await?)
}

pub async fn add_group_member(conn: &mut AnyConnection, group_id: i64, member_id: i64) -> StoreResult<()> {
    sqlx::query("insert into group_member (group_id, member_id) values ($1, $2) on conflict do nothing")
        .bind(group_id)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The planning a group belongs to.
pub async fn group_planning(conn: &mut AnyConnection, group_id: i64) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("select planning_id from planning_group where id = $1")
        .bind(group_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn clear_group_members(conn: &mut AnyConnection, group_id: i64) -> StoreResult<()> {
    sqlx::query("delete from group_member where group_id = $1").bind(group_id).execute(conn).await?;
    Ok(())
}

pub async fn groups(conn: &mut AnyConnection, planning_id: i64) -> StoreResult<Vec<GroupRow>> {
    let rows = sqlx::query(
        "select id, planning_id, name, dimension, max_per_week, max_per_month, max_share_percent \
         from planning_group where planning_id = $1 order by name",
    )
    .bind(planning_id)
    .fetch_all(&mut *conn)
    .await?;
    let members = sqlx::query(
        "select gm.group_id, gm.member_id from group_member gm join planning_group g on g.id = gm.group_id \
         where g.planning_id = $1 order by gm.member_id",
    )
    .bind(planning_id)
    .fetch_all(conn)
    .await?;
    let mut by_group: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in &members {
        by_group.entry(m.get("group_id")).or_default().push(m.get("member_id"));
    }
    let cap = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            GroupRow {
                id,
                planning_id: r.get("planning_id"),
                name: r.get("name"),
                dimension: r.get("dimension"),
                rule: GroupRule {
                    max_per_week: cap(r.get("max_per_week")),
                    max_per_month: cap(r.get("max_per_month")),
                    max_share_percent: cap(r.get("max_share_percent")),
                },
                members: by_group.remove(&id).unwrap_or_default(),
            }
        })
        .collect())
}

/// The rule that applies to a member in a planning: the strictest of their groups' rules, or
/// `None` when they are in no group of it.
pub async fn member_rule(conn: &mut AnyConnection, planning_id: i64, member_id: i64) -> StoreResult<Option<GroupRule>> {
    let rules: Vec<GroupRule> = groups(conn, planning_id)
        .await?
        .into_iter()
        .filter(|g| g.members.contains(&member_id))
        .map(|g| g.rule)
        .collect();
    if rules.is_empty() {
        return Ok(None);
    }
    let strictest = |f: fn(&GroupRule) -> Option<u32>| rules.iter().filter_map(f).min();
    Ok(Some(GroupRule {
        max_per_week: strictest(|r| r.max_per_week),
        max_per_month: strictest(|r| r.max_per_month),
        max_share_percent: strictest(|r| r.max_share_percent),
    }))
}

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

/// The vacations of a CPTS that cover the instant `t` (for who is on duty).
pub async fn vacations_at(conn: &mut AnyConnection, cpts_id: i64, t: DateTime<Utc>) -> StoreResult<Vec<Vacation>> {
    Ok(load_vacations(conn, "p.cpts_id = $1 and v.starts_at <= $2 and v.ends_at > $3", cpts_id, ms(t), ms(t))
        .await?
        .into_iter()
        .map(|v| v.vacation)
        .collect())
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

#[derive(Clone, Debug, PartialEq)]
pub struct ChangeRow {
    pub id: i64,
    pub kind: ChangeKind,
    pub vacation_id: i64,
    pub from_member_id: i64,
    pub from_name: String,
    pub to_member_id: Option<i64>,
    pub counter_vacation_id: Option<i64>,
    pub state: ChangeState,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<i64>,
    /// For an undo: the accepted change it reverts.
    pub undo_of: Option<i64>,
}

pub async fn insert_change(
    conn: &mut AnyConnection,
    kind: ChangeKind,
    vacation_id: i64,
    from_member_id: i64,
    to_member_id: Option<i64>,
    counter_vacation_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into vacation_change (kind, vacation_id, from_member_id, to_member_id, counter_vacation_id, state, created_at) \
         values ($1, $2, $3, $4, $5, 'proposed', $6) returning id",
    )
    .persistent(false)
    .bind(kind.code())
    .bind(vacation_id)
    .bind(from_member_id)
    .bind(to_member_id)
    .bind(counter_vacation_id)
    .bind(ms(now))
    .fetch_one(conn)
    .await?)
}

const CHANGE_COLUMNS: &str =
    "c.id, c.kind, c.vacation_id, c.from_member_id, m.display_name as from_name, c.to_member_id, \
    c.counter_vacation_id, c.state, c.created_at, c.answered_at, c.answered_by, c.undo_of";

fn change_row(r: &sqlx::any::AnyRow) -> ChangeRow {
    ChangeRow {
        id: r.get("id"),
        kind: ChangeKind::parse(&r.get::<String, _>("kind")).unwrap_or(ChangeKind::Cession),
        vacation_id: r.get("vacation_id"),
        from_member_id: r.get("from_member_id"),
        from_name: r.get("from_name"),
        to_member_id: r.get("to_member_id"),
        counter_vacation_id: r.get("counter_vacation_id"),
        state: ChangeState::parse(&r.get::<String, _>("state")).unwrap_or(ChangeState::Proposed),
        created_at: from_ms(r.get("created_at")),
        answered_at: r.get::<Option<i64>, _>("answered_at").map(from_ms),
        answered_by: r.get("answered_by"),
        undo_of: r.get("undo_of"),
    }
}

/// Records an undo proposal of an accepted change.
pub async fn insert_undo(
    conn: &mut AnyConnection,
    original: &ChangeRow,
    from_member_id: i64,
    to_member_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into vacation_change (kind, vacation_id, from_member_id, to_member_id, counter_vacation_id, state, created_at, undo_of) \
         values ('undo', $1, $2, $3, $4, 'proposed', $5, $6) returning id",
    )
    .persistent(false)
    .bind(original.vacation_id)
    .bind(from_member_id)
    .bind(to_member_id)
    .bind(original.counter_vacation_id)
    .bind(ms(now))
    .bind(original.id)
    .fetch_one(conn)
    .await?)
}

/// Marks an accepted change as undone; false if it was not accepted (any more).
pub async fn mark_undone(conn: &mut AnyConnection, id: i64) -> StoreResult<bool> {
    let done = sqlx::query("update vacation_change set state = 'undone' where id = $1 and state = 'accepted'")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Changes accepted since `since` in which the member gave or took a vacation.
pub async fn recent_accepted_for(
    conn: &mut AnyConnection,
    member_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<ChangeRow>> {
    let sql = format!(
        "select {CHANGE_COLUMNS} from vacation_change c join member m on m.id = c.from_member_id \
         where c.state = 'accepted' and c.kind in ('cession', 'exchange') and c.answered_at >= $2 \
         and (c.from_member_id = $1 or c.answered_by = $1) order by c.id desc"
    );
    let rows = sqlx::query(&sql).bind(member_id).bind(ms(since)).fetch_all(conn).await?;
    Ok(rows.iter().map(change_row).collect())
}

pub async fn change(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<ChangeRow>> {
    let sql = format!(
        "select {CHANGE_COLUMNS} from vacation_change c join member m on m.id = c.from_member_id where c.id = $1"
    );
    Ok(sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(change_row))
}

/// Open proposals that concern a member: made by them, addressed to them, or open to all in a
/// CPTS they belong to.
pub async fn open_changes_for(conn: &mut AnyConnection, member_id: i64, cpts_id: i64) -> StoreResult<Vec<ChangeRow>> {
    let sql = format!(
        "select {CHANGE_COLUMNS} from vacation_change c join member m on m.id = c.from_member_id \
         where c.state = 'proposed' and m.cpts_id = $2 and (c.from_member_id = $1 or c.to_member_id = $1 or c.to_member_id is null) \
         order by c.id desc"
    );
    let rows = sqlx::query(&sql).bind(member_id).bind(cpts_id).fetch_all(conn).await?;
    Ok(rows.iter().map(change_row).collect())
}

/// Moves a proposal out of `proposed`; false when someone answered it first.
pub async fn close_change(
    conn: &mut AnyConnection,
    id: i64,
    to: ChangeState,
    by: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update vacation_change set state = $2, answered_at = $3, answered_by = $4 where id = $1 and state = 'proposed'",
    )
    .bind(id)
    .bind(to.code())
    .bind(ms(now))
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels every open proposal on a vacation (it changed hands).
pub async fn cancel_changes_on(conn: &mut AnyConnection, vacation_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query(
        "update vacation_change set state = 'cancelled', answered_at = $2 \
         where state = 'proposed' and (vacation_id = $1 or counter_vacation_id = $1)",
    )
    .bind(vacation_id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Vacations held per member in a planning between two instants (statistics).
pub async fn held_counts(
    conn: &mut AnyConnection,
    planning_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<(i64, String, i64)>> {
    let rows = sqlx::query(
        "select m.id, m.display_name, count(*) as n from assignment a join vacation v on v.id = a.vacation_id \
         join member m on m.id = a.member_id where v.planning_id = $1 and v.starts_at >= $2 and v.starts_at < $3 \
         group by m.id, m.display_name order by m.display_name",
    )
    .bind(planning_id)
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("display_name"), r.get("n"))).collect())
}

// ---------------------------------------------------------------- calendar, reminders, notifications

pub async fn calendar_generation(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("select calendar_generation from member where id = $1 and active = 1")
        .bind(member_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn bump_calendar_generation(conn: &mut AnyConnection, member_id: i64) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "update member set calendar_generation = calendar_generation + 1 where id = $1 returning calendar_generation",
    )
    .bind(member_id)
    .fetch_one(conn)
    .await?)
}

/// The kind of a reminder sent `minutes` before a vacation.
pub fn reminder_kind(minutes: i64) -> String {
    format!("before_{minutes}m")
}

/// The lead time of a reminder kind, in minutes.
pub fn reminder_minutes(kind: &str) -> Option<i64> {
    kind.strip_prefix("before_")?.strip_suffix('m')?.parse().ok()
}

/// Persists the reminders (`leads`, in minutes before the start) of the vacations starting
/// within the longest lead plus an hour, and cancels those whose member no longer holds the
/// vacation.
pub async fn schedule_reminders(conn: &mut AnyConnection, now: DateTime<Utc>, leads: &[i64]) -> StoreResult<()> {
    let horizon = chrono::Duration::minutes(leads.iter().copied().max().unwrap_or(0) + 60);
    for minutes in leads {
        let (kind, before) = (reminder_kind(*minutes), chrono::Duration::minutes(*minutes));
        sqlx::query(
            "insert into reminder (member_id, vacation_id, kind, due_at) \
             select a.member_id, v.id, $1, v.starts_at - $2 from assignment a join vacation v on v.id = a.vacation_id \
             where v.starts_at > $3 and v.starts_at <= $4 on conflict do nothing",
        )
        .bind(kind)
        .bind(before.num_milliseconds())
        .bind(ms(now))
        .bind(ms(now + horizon))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "update reminder set state = 'cancelled' where state = 'pending' and not exists \
         (select 1 from assignment a where a.member_id = reminder.member_id and a.vacation_id = reminder.vacation_id)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
pub struct DueReminder {
    pub id: i64,
    pub member_id: i64,
    pub kind: String,
    pub vacation: VacationRow,
}

pub async fn due_reminders(conn: &mut AnyConnection, now: DateTime<Utc>) -> StoreResult<Vec<DueReminder>> {
    let rows = sqlx::query("select id, member_id, vacation_id, kind from reminder where state = 'pending' and due_at <= $1 order by due_at")
        .bind(ms(now))
        .fetch_all(&mut *conn)
        .await?;
    let mut out = vec![];
    for r in &rows {
        if let Some(vacation) = vacation(conn, r.get("vacation_id")).await? {
            out.push(DueReminder { id: r.get("id"), member_id: r.get("member_id"), kind: r.get("kind"), vacation });
        }
    }
    Ok(out)
}

/// Moves a reminder from `pending` to `to`; false if another worker claimed it first.
pub async fn claim_reminder(conn: &mut AnyConnection, id: i64, to: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = sqlx::query("update reminder set state = $2, claimed_at = $3 where id = $1 and state = 'pending'")
        .bind(id)
        .bind(to)
        .bind(ms(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_notification(
    conn: &mut AnyConnection,
    member_id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let id: i64 =
        sqlx::query_scalar("insert into notification (member_id, created_at, body) values ($1, $2, $3) returning id")
            .bind(member_id)
            .bind(ms(now))
            .bind(body)
            .fetch_one(&mut *conn)
            .await?;
    // The same notice goes to the member's phones by Web Push (sent once committed).
    super::push::enqueue(conn, member_id, &super::push::notice_message(id, body), now).await?;
    Ok(id)
}

#[derive(Clone, Debug, PartialEq)]
pub struct NotificationRow {
    pub id: i64,
    pub member_id: i64,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub body: String,
}

/// Notifications whose e-mail has not left yet.
pub async fn unsent_notifications(conn: &mut AnyConnection) -> StoreResult<Vec<NotificationRow>> {
    let rows = sqlx::query(
        "select n.id, n.member_id, m.email, n.created_at, n.body from notification n join member m on m.id = n.member_id \
         where n.emailed = 0 order by n.id limit 200",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| NotificationRow {
            id: r.get("id"),
            member_id: r.get("member_id"),
            email: r.get("email"),
            created_at: from_ms(r.get("created_at")),
            body: r.get("body"),
        })
        .collect())
}

/// Claims a notification's e-mail before sending it: the e-mail leaves at most once.
pub async fn claim_notification_email(conn: &mut AnyConnection, id: i64) -> StoreResult<bool> {
    let done =
        sqlx::query("update notification set emailed = 1 where id = $1 and emailed = 0").bind(id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn notifications_of(conn: &mut AnyConnection, member_id: i64) -> StoreResult<Vec<(DateTime<Utc>, String)>> {
    let rows = sqlx::query("select created_at, body from notification where member_id = $1 order by id desc limit 20")
        .bind(member_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(|r| (from_ms(r.get("created_at")), r.get("body"))).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reminder_kind_carries_its_lead_time() {
        assert_eq!(super::reminder_minutes(&super::reminder_kind(90)), Some(90));
        assert_eq!(super::reminder_minutes("day_before"), None);
    }
}
