//! Plannings and their groups (with each group's rule and members).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::platform::db::{ms, StoreResult};

use crate::planning::rules::GroupRule;

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
