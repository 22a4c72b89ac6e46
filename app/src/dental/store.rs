//! Persistence of dental emergencies: the grid, who may refer, the rota's mornings (vacations of
//! kind `dental_emergency`), and the referrals. Every change to a referral is conditional on the
//! version read, so that two people acting on one referral at once cannot both succeed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::dental::rules::{Criterion, CriterionKind, DentalOutcome, Morning, ReferralStatus};
use crate::domain::Profession;
use crate::platform::db::{from_ms, ms, Backend, Store, StoreResult};

/// The active criteria of the CPTS's grid, in order.
pub async fn criteria(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<Criterion>> {
    let rows = sqlx::query(
        "select id, label, kind, immediate from dental_criterion where cpts_id = $1 and active = 1 order by position, id",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Criterion {
                id: r.get("id"),
                label: r.get("label"),
                kind: CriterionKind::parse(&r.get::<String, _>("kind"))?,
                immediate: r.get::<i64, _>("immediate") != 0,
            })
        })
        .collect())
}

/// Whether the CPTS ever had a grid (removed criteria count).
pub async fn has_grid(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<bool> {
    let n: i64 = sqlx::query("select count(*) from dental_criterion where cpts_id = $1")
        .bind(cpts_id)
        .fetch_one(conn)
        .await?
        .get(0);
    Ok(n > 0)
}

/// Adds a criterion at the end of the grid.
pub async fn insert_criterion(
    conn: &mut AnyConnection,
    cpts_id: i64,
    label: &str,
    kind: CriterionKind,
    immediate: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let row = sqlx::query(
        "insert into dental_criterion (cpts_id, position, label, kind, immediate, created_at) \
         values ($1, (select coalesce(max(position), 0) + 1 from dental_criterion where cpts_id = $1), $2, $3, $4, $5) \
         returning id",
    )
    .bind(cpts_id)
    .bind(label)
    .bind(kind.code())
    .bind(i64::from(immediate))
    .bind(ms(now))
    .fetch_one(conn)
    .await?;
    Ok(row.get(0))
}

/// Gives a CPTS the default grid (`rules::DEFAULT_GRID`), with its audit line.
pub async fn insert_default_grid(conn: &mut AnyConnection, cpts_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    for (label, kind, immediate) in crate::dental::rules::DEFAULT_GRID {
        insert_criterion(&mut *conn, cpts_id, label, *kind, *immediate, now).await?;
    }
    crate::platform::audit::Audit::new("dental_grid_seeded").cpts(cpts_id).write(conn, now).await
}

/// Takes a criterion out of the grid (it stays readable in the referrals that ticked it).
/// Whether it was an active criterion of this CPTS.
pub async fn remove_criterion(conn: &mut AnyConnection, cpts_id: i64, id: i64) -> StoreResult<bool> {
    let done = sqlx::query("update dental_criterion set active = 0 where id = $1 and cpts_id = $2 and active = 1")
        .bind(id)
        .bind(cpts_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The professions that may refer (gp, pharmacist and dentist until the admin says otherwise).
pub async fn referrer_professions(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<Vec<Profession>> {
    let row = sqlx::query("select referrer_professions from dental_setting where cpts_id = $1")
        .bind(cpts_id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => r.get::<String, _>(0).split(',').filter_map(|p| Profession::parse(p.trim())).collect(),
        None => vec![Profession::Gp, Profession::Pharmacist, Profession::Dentist],
    })
}

pub async fn set_referrer_professions(
    conn: &mut AnyConnection,
    cpts_id: i64,
    professions: &[Profession],
) -> StoreResult<()> {
    let codes = professions.iter().map(|p| p.code()).collect::<Vec<_>>().join(",");
    sqlx::query(
        "insert into dental_setting (cpts_id, referrer_professions) values ($1, $2) \
         on conflict (cpts_id) do update set referrer_professions = excluded.referrer_professions",
    )
    .bind(cpts_id)
    .bind(codes)
    .execute(conn)
    .await?;
    Ok(())
}

/// A rota morning with its holders' names and its capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct MorningRow {
    pub morning: Morning,
    pub names: Vec<String>,
    pub capacity: i64,
}

/// The CPTS's rota mornings that end after `from` and start before `to`, soonest first, each
/// with its holders in the order they took it.
pub async fn mornings(
    conn: &mut AnyConnection,
    cpts_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<MorningRow>> {
    let rows = sqlx::query(
        "select v.id, v.starts_at, v.ends_at, v.capacity, a.member_id, m.display_name \
         from vacation v join planning p on p.id = v.planning_id \
         left join assignment a on a.vacation_id = v.id left join member m on m.id = a.member_id and m.active = 1 \
         where p.cpts_id = $1 and v.kind = 'dental_emergency' and v.ends_at > $2 and v.starts_at < $3 \
         order by v.starts_at, v.id, a.created_at, a.member_id",
    )
    .bind(cpts_id)
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(conn)
    .await?;
    let mut out: Vec<MorningRow> = vec![];
    for r in &rows {
        let id: i64 = r.get("id");
        if out.last().is_none_or(|m| m.morning.vacation_id != id) {
            out.push(MorningRow {
                morning: Morning {
                    vacation_id: id,
                    starts_at: from_ms(r.get("starts_at")),
                    ends_at: from_ms(r.get("ends_at")),
                    holders: vec![],
                },
                names: vec![],
                capacity: r.get("capacity"),
            });
        }
        let holder: Option<i64> = r.get("member_id");
        let name: Option<String> = r.get("display_name");
        if let (Some(holder), Some(name), Some(m)) = (holder, name, out.last_mut()) {
            m.morning.holders.push(holder);
            m.names.push(name);
        }
    }
    Ok(out)
}

/// How many referrals wait at each dentist of the CPTS.
pub async fn waiting_counts(conn: &mut AnyConnection, cpts_id: i64) -> StoreResult<HashMap<i64, usize>> {
    let rows = sqlx::query(
        "select dentist_id, count(*) as n from dental_referral where cpts_id = $1 and status = 'waiting' group by dentist_id",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("dentist_id"), usize::try_from(r.get::<i64, _>("n")).unwrap_or(0))).collect())
}

/// A referral to store.
pub struct NewReferral<'a> {
    pub cpts_id: i64,
    pub referrer_id: i64,
    pub dentist_id: i64,
    pub vacation_id: i64,
    pub patient_name: &'a str,
    pub age_band: &'a str,
    pub callback_phone: &'a str,
    pub commune: &'a str,
    pub note: &'a str,
    pub criteria: Vec<String>,
    pub immediate: bool,
    pub seen_from: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

pub async fn insert_referral(conn: &mut AnyConnection, r: &NewReferral<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    let row = sqlx::query(
        "insert into dental_referral (cpts_id, referrer_id, dentist_id, vacation_id, status, patient_name, age_band, \
           callback_phone, commune, note, criteria, immediate, created_at, seen_from, due_at) \
         values ($1, $2, $3, $4, 'waiting', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
    )
    .bind(r.cpts_id)
    .bind(r.referrer_id)
    .bind(r.dentist_id)
    .bind(r.vacation_id)
    .bind(r.patient_name)
    .bind(r.age_band)
    .bind(r.callback_phone)
    .bind(r.commune)
    .bind(r.note)
    .bind(serde_json::to_string(&r.criteria).unwrap_or_else(|_| "[]".into()))
    .bind(i64::from(r.immediate))
    .bind(ms(now))
    .bind(ms(r.seen_from))
    .bind(ms(r.due_at))
    .fetch_one(conn)
    .await?;
    Ok(row.get(0))
}

/// A referral as stored, with its people's names.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferralRow {
    pub id: i64,
    pub cpts_id: i64,
    pub referrer_id: i64,
    pub referrer_name: String,
    pub referrer_profession: Option<String>,
    pub dentist_id: i64,
    pub dentist_name: String,
    pub status: ReferralStatus,
    pub patient_name: String,
    pub age_band: String,
    pub callback_phone: String,
    pub commune: String,
    pub note: String,
    pub criteria: Vec<String>,
    pub immediate: bool,
    pub created_at: DateTime<Utc>,
    pub seen_from: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub reminded: bool,
    pub alerted: bool,
    pub solution_kind: Option<String>,
    pub solution_at: Option<DateTime<Utc>>,
    pub solution_place: Option<String>,
    pub solution_note: Option<String>,
    pub reoriented_to: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub outcome: Option<DentalOutcome>,
    pub version: i64,
}

const COLUMNS: &str = "d.id, d.cpts_id, d.referrer_id, r.display_name as referrer_name, r.profession as referrer_profession, \
    d.dentist_id, t.display_name as dentist_name, d.status, d.patient_name, d.age_band, d.callback_phone, d.commune, d.note, \
    d.criteria, d.immediate, d.created_at, d.seen_from, d.due_at, d.reminded_at, d.alerted_at, d.solution_kind, d.solution_at, \
    d.solution_place, d.solution_note, d.reoriented_to, d.answered_at, d.outcome, d.version \
    from dental_referral d join member r on r.id = d.referrer_id join member t on t.id = d.dentist_id";

fn referral_row(r: &sqlx::any::AnyRow) -> ReferralRow {
    let opt_ms = |c: &str| r.get::<Option<i64>, _>(c).map(from_ms);
    ReferralRow {
        id: r.get("id"),
        cpts_id: r.get("cpts_id"),
        referrer_id: r.get("referrer_id"),
        referrer_name: r.get("referrer_name"),
        referrer_profession: r.get("referrer_profession"),
        dentist_id: r.get("dentist_id"),
        dentist_name: r.get("dentist_name"),
        status: ReferralStatus::parse(&r.get::<String, _>("status")).unwrap_or(ReferralStatus::Waiting),
        patient_name: r.get("patient_name"),
        age_band: r.get("age_band"),
        callback_phone: r.get("callback_phone"),
        commune: r.get("commune"),
        note: r.get("note"),
        criteria: serde_json::from_str(&r.get::<String, _>("criteria")).unwrap_or_default(),
        immediate: r.get::<i64, _>("immediate") != 0,
        created_at: from_ms(r.get("created_at")),
        seen_from: from_ms(r.get("seen_from")),
        due_at: from_ms(r.get("due_at")),
        reminded: r.get::<Option<i64>, _>("reminded_at").is_some(),
        alerted: r.get::<Option<i64>, _>("alerted_at").is_some(),
        solution_kind: r.get("solution_kind"),
        solution_at: opt_ms("solution_at"),
        solution_place: r.get("solution_place"),
        solution_note: r.get("solution_note"),
        reoriented_to: r.get("reoriented_to"),
        answered_at: opt_ms("answered_at"),
        outcome: r.get::<Option<String>, _>("outcome").and_then(|o| DentalOutcome::parse(&o)),
        version: r.get("version"),
    }
}

pub async fn referral(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<ReferralRow>> {
    let row = sqlx::query(&format!("select {COLUMNS} where d.id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(referral_row))
}

impl Store {
    /// Locks a referral's row until the transaction ends (PostgreSQL; SQLite has one writer).
    pub async fn lock_referral(&self, tx: &mut AnyConnection, id: i64) -> StoreResult<Option<ReferralRow>> {
        if self.backend == Backend::Postgres {
            sqlx::query("select id from dental_referral where id = $1 for update").bind(id).execute(&mut *tx).await?;
        }
        referral(tx, id).await
    }
}

/// Whose referrals a list shows.
#[derive(Clone, Copy, Debug)]
pub enum Whose {
    /// Those with this dentist, not closed.
    Dentist(i64),
    /// Those this member sent, the last 30 days' and any not closed.
    Referrer(i64),
    /// The CPTS's, not closed (the coordination).
    Cpts(i64),
}

pub async fn referrals(conn: &mut AnyConnection, whose: Whose, now: DateTime<Utc>) -> StoreResult<Vec<ReferralRow>> {
    let (filter, id) = match whose {
        Whose::Dentist(id) => ("d.dentist_id = $1 and d.status <> 'closed'", id),
        Whose::Referrer(id) => ("d.referrer_id = $1 and (d.status <> 'closed' or d.created_at >= $2)", id),
        Whose::Cpts(id) => ("d.cpts_id = $1 and d.status <> 'closed'", id),
    };
    let sql = format!("select {COLUMNS} where {filter} order by d.due_at, d.id");
    let query = sqlx::query(&sql).bind(id);
    let query = match whose {
        Whose::Referrer(_) => query.bind(ms(now - chrono::Duration::days(30))),
        _ => query,
    };
    let rows = query.fetch_all(conn).await?;
    Ok(rows.iter().map(referral_row).collect())
}

/// The solution the dentist proposes.
pub struct SolutionRow<'a> {
    pub kind: &'a str,
    pub at: Option<DateTime<Utc>>,
    pub place: &'a str,
    pub note: &'a str,
    pub reoriented_to: Option<&'a str>,
}

/// Records the solution if the referral is still at `version` and with `dentist_id`.
pub async fn answer(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    dentist_id: i64,
    s: &SolutionRow<'_>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update dental_referral set status = 'answered', solution_kind = $4, solution_at = $5, solution_place = $6, \
           solution_note = $7, reoriented_to = $8, answered_at = $9, version = version + 1 \
         where id = $1 and version = $2 and dentist_id = $3 and status = 'waiting'",
    )
    .bind(id)
    .bind(version)
    .bind(dentist_id)
    .bind(s.kind)
    .bind(s.at.map(ms))
    .bind(s.place)
    .bind(s.note)
    .bind(s.reoriented_to)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records what happened, if the referral is still at `version`.
pub async fn close(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    outcome: DentalOutcome,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update dental_referral set status = 'closed', outcome = $3, closed_at = $4, version = version + 1 \
         where id = $1 and version = $2 and status <> 'closed'",
    )
    .bind(id)
    .bind(version)
    .bind(outcome.code())
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hands a waiting referral to another dentist with a new deadline, if it is still at `version`.
pub async fn reassign(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    dentist_id: i64,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "update dental_referral set dentist_id = $3, seen_from = $4, due_at = $5, reminded_at = null, alerted_at = null, \
           version = version + 1 where id = $1 and version = $2 and status = 'waiting'",
    )
    .bind(id)
    .bind(version)
    .bind(dentist_id)
    .bind(ms(now))
    .bind(ms(due_at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Waiting referrals the deadline job must look at: a reminder or an alert is due.
pub async fn due_for_nudge(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    remind_before: chrono::Duration,
) -> StoreResult<Vec<ReferralRow>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} where d.status = 'waiting' and \
           ((d.reminded_at is null and d.due_at <= $1) or (d.alerted_at is null and d.due_at <= $2)) order by d.id"
    ))
    .bind(ms(now + remind_before))
    .bind(ms(now))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(referral_row).collect())
}

/// Marks the reminder (or the alert) done, once: whether this call did it.
pub async fn mark_nudged(conn: &mut AnyConnection, id: i64, alert: bool, now: DateTime<Utc>) -> StoreResult<bool> {
    let column = if alert { "alerted_at" } else { "reminded_at" };
    let done = sqlx::query(&format!(
        "update dental_referral set {column} = $2 where id = $1 and {column} is null and status = 'waiting'"
    ))
    .bind(id)
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Erases the patient's name, phone and note of referrals closed before `before`; the CPTS of
/// each referral erased.
pub async fn erase_patient_data(conn: &mut AnyConnection, before: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query(
        "update dental_referral set patient_name = '', callback_phone = '', note = '' \
         where status = 'closed' and closed_at < $1 and (patient_name <> '' or callback_phone <> '' or note <> '') \
         returning cpts_id",
    )
    .bind(ms(before))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}
