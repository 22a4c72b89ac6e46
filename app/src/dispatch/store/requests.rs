//! Persistence of requests: the row, the board's and the clinician's lists, the state changes
//! (each conditional on the version or state read, so that a concurrent change is detected).

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use crate::dispatch::rules::panel::Candidate;
use crate::dispatch::rules::{NewRequest, RequestStatus};
use crate::domain::geo::GeoPoint;
use crate::domain::{AppointmentMode, Profession};
use crate::platform::audit::Audit;
use crate::platform::db::{from_ms, ms, Backend, Store, StoreResult};

impl Store {
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
        "select m.id, m.profession, m.lat, m.lon, m.weekly_cap, m.teleconsult, \
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
                teleconsults: r.get::<i64, _>("teleconsult") != 0,
                // Vacations are the planning's: the caller adds them.
                on_remote_duty: false,
            })
        })
        .collect())
}

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
    /// How the patient must be seen, when the request fixes it.
    pub mode: Option<AppointmentMode>,
    pub version: i64,
}

pub(super) const REQUEST_COLUMNS: &str = "r.id, r.cpts_id, r.created_by, r.created_at, r.motive, r.profession, r.patient_name, r.age_band, \
    r.callback_phone, r.commune, r.lat, r.lon, r.teleconsult_ok, r.deadline, r.deadline_at, r.source, r.treating_member_id, \
    r.note, r.status, r.wave, r.wave_started_at, r.escalation, r.accepted_by, w.display_name as accepted_by_name, r.accepted_at, \
    r.appointment_at, r.appointment_mode, r.reoriented_to, r.mode, r.version";

pub(super) fn request_row(r: &sqlx::any::AnyRow) -> RequestRow {
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
        mode: r.get::<Option<String>, _>("mode").as_deref().and_then(AppointmentMode::parse),
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
           commune, lat, lon, teleconsult_ok, deadline, deadline_at, source, treating_member_id, note, mode, status) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'new') returning id",
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
    .bind(r.mode.map(AppointmentMode::code))
    .fetch_one(&mut *conn)
    .await?;
    Audit::new("request_created")
        .cpts(cpts_id)
        .actor(actor_id)
        .request(id)
        .detail(serde_json::json!({
            "motive": r.motive.code(), "profession": r.profession.code(), "source": r.source.code(),
            "deadline": r.deadline.code(), "commune": r.commune,
            "mode": r.mode.map(AppointmentMode::code),
        }))
        .write(conn, now)
        .await?;
    Ok(id)
}

/// Erases the patient's name, callback phone and note of the requests closed before `before`
/// (the rest of each request stays: it is what the indicators count). Returns (request id,
/// CPTS id) of each request erased.
pub async fn erase_patient_data(conn: &mut AnyConnection, before: DateTime<Utc>) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "update snp_request set patient_name = '', callback_phone = '', note = '' \
         where status in ('done', 'no_show', 'reoriented', 'cancelled') and closed_at < $1 \
           and (patient_name <> '' or callback_phone <> '' or note <> '') \
         returning id, cpts_id",
    )
    .bind(ms(before))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("cpts_id"))).collect())
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

/// Notes the first push: the first time an offer of the request went to a clinician (the
/// indicators' time to the first acceptance runs from here). Later pushes leave it.
pub async fn mark_pushed(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("update snp_request set pushed_at = coalesce(pushed_at, $2) where id = $1")
        .bind(id)
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
