//! [ssr] The indicators' queries: each counts one thing over a CPTS and a period `[from, to)`
//! (unix ms), and says in its comment exactly what. They read the other capabilities' tables
//! and never write. Days are Paris days (`paris_day`).

use sqlx::{AnyConnection, Row};

use super::rules::{summer_times, MemberVacations, RequestCell, DAY_MS};
use crate::platform::db::StoreResult;

/// A CPTS and a period, as the queries take them.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub cpts_id: i64,
    pub from: i64,
    pub to: i64,
}

/// The Paris day number (days since 1970-01-01) of a column of instants, as SQL both back-ends
/// read: the instant plus Paris's offset then (the summer times around the span, written in by
/// value: they are ours, not the caller's), divided by a day.
fn paris_day(column: &str, span: Span) -> String {
    let summers = summer_times(span.from - 3 * DAY_MS, span.to + 3 * DAY_MS);
    let cases: String =
        summers.iter().map(|(s, e)| format!("when {column} >= {s} and {column} < {e} then 7200000 ")).collect();
    format!("(({column} + case {cases}else 3600000 end) / {DAY_MS})")
}

/// Requests received in the period (`created_at` in it), every state, grouped by source, motive,
/// profession asked, state and where they were reoriented: the cells every demand and answer
/// count of `rules` adds up. Each cell also counts its requests **answered** — a clinician
/// accepted them or the coordination booked them into a slot (`accepted_at`) —: on the Paris day
/// they came in, within 24 h, within 48 h (each count includes the faster ones).
pub async fn request_cells(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<RequestCell>> {
    let sql = format!(
        "select source, motive, profession, status, coalesce(reoriented_to, '') as reoriented_to, count(*) as n, \
         count(case when accepted_at is not null and {} = {} then 1 end) as same_day, \
         count(case when accepted_at is not null and accepted_at - created_at <= {day} then 1 end) as h24, \
         count(case when accepted_at is not null and accepted_at - created_at <= {two_days} then 1 end) as h48 \
         from snp_request where cpts_id = $1 and created_at >= $2 and created_at < $3 \
         group by source, motive, profession, status, reoriented_to",
        paris_day("accepted_at", span),
        paris_day("created_at", span),
        day = DAY_MS,
        two_days = 2 * DAY_MS,
    );
    let rows = sqlx::query(&sql).bind(span.cpts_id).bind(span.from).bind(span.to).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| RequestCell {
            source: r.get("source"),
            motive: r.get("motive"),
            profession: r.get("profession"),
            status: r.get("status"),
            reoriented_to: r.get("reoriented_to"),
            n: r.get("n"),
            answered: (r.get("same_day"), r.get("h24"), r.get("h48")),
        })
        .collect())
}

/// Requests received in the period by the commune the patient is in.
pub async fn requests_by_commune(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "select commune, count(*) as n from snp_request \
         where cpts_id = $1 and created_at >= $2 and created_at < $3 group by commune",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.get("commune"), r.get("n"))).collect())
}

/// Minutes (rounded down) from the first push — the first offer sent to a clinician — to the
/// first acceptance (or booking into a slot), for requests received in the period that were both
/// pushed and answered; as (minutes, requests).
pub async fn first_accept_minutes(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "select (accepted_at - pushed_at) / 60000 as m, count(*) as n from snp_request \
         where cpts_id = $1 and created_at >= $2 and created_at < $3 \
         and pushed_at is not null and accepted_at is not null and accepted_at >= pushed_at \
         group by (accepted_at - pushed_at) / 60000",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.get("m"), r.get("n"))).collect())
}

/// Requests received on each Paris day of the period and, of them, consultations (booked or
/// done: `rules::is_consultation`); as (day number, requests, consultations).
pub async fn requests_by_day(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(i64, i64, i64)>> {
    let day = paris_day("created_at", span);
    let sql = format!(
        "select {day} as d, count(*) as n, count(case when status in ('booked', 'done') then 1 end) as c \
         from snp_request where cpts_id = $1 and created_at >= $2 and created_at < $3 group by {day}"
    );
    let rows = sqlx::query(&sql).bind(span.cpts_id).bind(span.from).bind(span.to).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| (r.get("d"), r.get("n"), r.get("c"))).collect())
}

/// Offers a clinician refused during the period (the refusal dated in it), on the CPTS's
/// requests, by reason (empty: none given).
pub async fn refusals(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        // The partial index `offer_refused` holds all of it: no row is read.
        "select coalesce(refusal_reason, '') as reason, count(*) as n from offer \
         where cpts_id = $1 and state = 'refused' and answered_at >= $2 and answered_at < $3 \
         group by refusal_reason",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.get("reason"), r.get("n"))).collect())
}

/// The CPTS's active members by profession (empty: staff without one) — and how many of them
/// **took part** in the period: held a vacation starting in it, accepted a request in it, opened a
/// slot starting in it, answered a dental referral in it, or sent a pharmacy teleconsultation in
/// it. As (profession, members, participants).
pub async fn participation(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(String, i64, i64)>> {
    // Per member and source, the first instant in the period by an index on (member, instant) —
    // `min` reads one entry of it on both back-ends —, stopping at the first source that has one.
    let rows = sqlx::query(
        "select coalesce(m.profession, '') as profession, count(*) as members, count(coalesce( \
           (select min(r.accepted_at) from snp_request r \
              where r.accepted_by = m.id and r.accepted_at >= $2 and r.accepted_at < $3), \
           (select min(s.starts_at) from slot s where s.member_id = m.id and s.starts_at >= $2 and s.starts_at < $3), \
           (select min(v.starts_at) from assignment a join vacation v on v.id = a.vacation_id \
              where a.member_id = m.id and v.starts_at >= $2 and v.starts_at < $3), \
           (select min(d.answered_at) from dental_referral d \
              where d.dentist_id = m.id and d.answered_at >= $2 and d.answered_at < $3), \
           (select min(t.created_at) from teleconsultation t \
              where t.pharmacist_id = m.id and t.created_at >= $2 and t.created_at < $3) \
         )) as participants \
         from member m where m.cpts_id = $1 and m.active = 1 group by m.profession",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.get("profession"), r.get("members"), r.get("participants"))).collect())
}

/// Vacations of the CPTS's plannings starting in the period, by the member who holds each now:
/// how many, how many are over at `now`, and their minutes. By name.
pub async fn vacations_by_member(conn: &mut AnyConnection, span: Span, now: i64) -> StoreResult<Vec<MemberVacations>> {
    let rows = sqlx::query(
        "select m.id, m.display_name, coalesce(m.profession, '') as profession, count(*) as held, \
         count(case when v.ends_at <= $4 then 1 end) as done, \
         cast(coalesce(sum(case when v.ends_at <= $4 then (v.ends_at - v.starts_at) / 60000 else 0 end), 0) as bigint) as minutes \
         from assignment a join vacation v on v.id = a.vacation_id join planning p on p.id = v.planning_id \
         join member m on m.id = a.member_id \
         where p.cpts_id = $1 and v.starts_at >= $2 and v.starts_at < $3 \
         group by m.id, m.display_name, m.profession order by m.display_name, m.id",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .bind(now)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MemberVacations {
            member_id: r.get("id"),
            name: r.get("display_name"),
            profession: r.get("profession"),
            held: r.get("held"),
            done: r.get("done"),
            minutes_done: r.get("minutes"),
        })
        .collect())
}

/// Shared SNP slots starting in the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlotCounts {
    /// Clinicians who opened at least one.
    pub openers: i64,
    pub slots: i64,
    /// Slots the SAS could book too.
    pub sas_slots: i64,
    /// The ACI's "médecins participant au SAS": active GPs who opened a slot to the SAS starting
    /// in the period, or held a SAS regulation vacation (`sas_regulation`) starting in it.
    pub sas_gps: i64,
}

pub async fn slot_counts(conn: &mut AnyConnection, span: Span) -> StoreResult<SlotCounts> {
    let r = sqlx::query(
        "select count(distinct s.member_id) as openers, count(*) as slots, \
         count(case when s.audience = 'sas' then 1 end) as sas_slots \
         from slot s where s.cpts_id = $1 and s.starts_at >= $2 and s.starts_at < $3",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_one(&mut *conn)
    .await?;
    let sas_gps: i64 = sqlx::query_scalar(
        "select count(*) from member m where m.cpts_id = $1 and m.active = 1 and m.profession = 'gp' and ( \
           exists (select 1 from slot s where s.member_id = m.id and s.audience = 'sas' and s.starts_at >= $2 and s.starts_at < $3) \
           or exists (select 1 from assignment a join vacation v on v.id = a.vacation_id \
                      where a.member_id = m.id and v.kind = 'sas_regulation' and v.starts_at >= $2 and v.starts_at < $3))",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_one(conn)
    .await?;
    Ok(SlotCounts { openers: r.get("openers"), slots: r.get("slots"), sas_slots: r.get("sas_slots"), sas_gps })
}

/// Bookings of slots starting in the period, by who booked (coordination, SAS) and how they went
/// (booked, cancelled, honoured, no_show); as (source, status, bookings).
pub async fn slot_bookings(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(String, String, i64)>> {
    let rows = sqlx::query(
        "select b.source, b.status, count(*) as n from slot_booking b join slot s on s.id = b.slot_id \
         where s.cpts_id = $1 and s.starts_at >= $2 and s.starts_at < $3 group by b.source, b.status",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.get("source"), r.get("status"), r.get("n"))).collect())
}

/// Dental referrals sent in the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DentalCounts {
    pub referrals: i64,
    /// The dentist proposed a solution…
    pub answered: i64,
    /// … within the 24 h the rota gives (by `due_at`: 24 h from the dentist's morning).
    pub answered_in_time: i64,
    pub seen: i64,
    pub no_show: i64,
    pub reoriented: i64,
}

pub async fn dental_counts(conn: &mut AnyConnection, span: Span) -> StoreResult<DentalCounts> {
    let r = sqlx::query(
        "select count(*) as referrals, count(answered_at) as answered, \
         count(case when answered_at <= due_at then 1 end) as in_time, \
         count(case when outcome = 'seen' then 1 end) as seen, \
         count(case when outcome = 'no_show' then 1 end) as no_show, \
         count(case when outcome = 'reoriented' or solution_kind = 'reoriented' then 1 end) as reoriented \
         from dental_referral where cpts_id = $1 and created_at >= $2 and created_at < $3",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_one(conn)
    .await?;
    Ok(DentalCounts {
        referrals: r.get("referrals"),
        answered: r.get("answered"),
        answered_in_time: r.get("in_time"),
        seen: r.get("seen"),
        no_show: r.get("no_show"),
        reoriented: r.get("reoriented"),
    })
}

/// Pharmacy teleconsultations sent in the period, by the state of their request; as (state,
/// teleconsultations).
pub async fn teleconsultations(conn: &mut AnyConnection, span: Span) -> StoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "select r.status, count(*) as n from teleconsultation t join snp_request r on r.id = t.request_id \
         where t.cpts_id = $1 and t.created_at >= $2 and t.created_at < $3 group by r.status",
    )
    .bind(span.cpts_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.get("status"), r.get("n"))).collect())
}

/// A clinician's own month: requests they accepted (or were booked into their slot) in the
/// period, and their vacations of the period that are over at `now` with their minutes.
pub async fn my_figures(
    conn: &mut AnyConnection,
    member_id: i64,
    span: Span,
    now: i64,
) -> StoreResult<(i64, i64, i64)> {
    let answered: i64 = sqlx::query_scalar(
        "select count(*) from snp_request where accepted_by = $1 and accepted_at >= $2 and accepted_at < $3",
    )
    .bind(member_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_one(&mut *conn)
    .await?;
    let r = sqlx::query(
        "select count(*) as done, cast(coalesce(sum((v.ends_at - v.starts_at) / 60000), 0) as bigint) as minutes \
         from assignment a join vacation v on v.id = a.vacation_id \
         where a.member_id = $1 and v.starts_at >= $2 and v.starts_at < $3 and v.ends_at <= $4",
    )
    .bind(member_id)
    .bind(span.from)
    .bind(span.to)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok((answered, r.get("done"), r.get("minutes")))
}
