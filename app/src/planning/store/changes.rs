//! Proposals between colleagues (cession, échange, undo) and their answers.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::platform::db::{from_ms, ms, StoreResult};

use crate::planning::rules::{ChangeKind, ChangeState};

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
