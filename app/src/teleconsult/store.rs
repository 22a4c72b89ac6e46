//! [ssr] The teleconsultation rows beside their SNP request: the room, the consent, the one
//! re-widening, the doctor's conclusion.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::dto::TeleconsultSummary;
use super::rules::Conclusion;
use crate::dispatch::rules::RequestStatus;
use crate::domain::Motive;
use crate::platform::db::{from_ms, ms, StoreResult};

/// A teleconsultation as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct TeleconsultRow {
    pub request_id: i64,
    pub cpts_id: i64,
    pub pharmacist_id: i64,
    pub pharmacist_name: String,
    pub room: String,
    pub consent_at: DateTime<Utc>,
    pub rewidened_at: Option<DateTime<Utc>>,
    pub conclusion: Option<Conclusion>,
}

pub async fn insert(
    conn: &mut AnyConnection,
    request_id: i64,
    cpts_id: i64,
    pharmacist_id: i64,
    room: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "insert into teleconsultation (request_id, cpts_id, pharmacist_id, room, consent_at, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(cpts_id)
    .bind(pharmacist_id)
    .bind(room)
    .bind(ms(now))
    .bind(ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn teleconsultation(conn: &mut AnyConnection, request_id: i64) -> StoreResult<Option<TeleconsultRow>> {
    let row = sqlx::query(
        "select t.request_id, t.cpts_id, t.pharmacist_id, m.display_name, t.room, t.consent_at, t.rewidened_at, t.conclusion \
         from teleconsultation t join member m on m.id = t.pharmacist_id where t.request_id = $1",
    )
    .bind(request_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| TeleconsultRow {
        request_id: r.get("request_id"),
        cpts_id: r.get("cpts_id"),
        pharmacist_id: r.get("pharmacist_id"),
        pharmacist_name: r.get("display_name"),
        room: r.get("room"),
        consent_at: from_ms(r.get("consent_at")),
        rewidened_at: r.get::<Option<i64>, _>("rewidened_at").map(from_ms),
        conclusion: r.get::<Option<String>, _>("conclusion").as_deref().and_then(Conclusion::parse),
    }))
}

/// Records the one re-widening; false when it was already used (by a double tap, another
/// device of the pharmacy's).
pub async fn mark_rewidened(conn: &mut AnyConnection, request_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let done =
        sqlx::query("update teleconsultation set rewidened_at = $2 where request_id = $1 and rewidened_at is null")
            .bind(request_id)
            .bind(ms(now))
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_conclusion(conn: &mut AnyConnection, request_id: i64, conclusion: Conclusion) -> StoreResult<()> {
    sqlx::query("update teleconsultation set conclusion = $2 where request_id = $1")
        .bind(request_id)
        .bind(conclusion.code())
        .execute(conn)
        .await?;
    Ok(())
}

/// How many doctors were offered the request so far.
pub async fn asked(conn: &mut AnyConnection, request_id: i64) -> StoreResult<u32> {
    let n: i64 =
        sqlx::query_scalar("select count(*) from offer where request_id = $1").bind(request_id).fetch_one(conn).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A pharmacist's teleconsultations sent since `since`, newest first.
pub async fn of_pharmacist(
    conn: &mut AnyConnection,
    pharmacist_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<TeleconsultSummary>> {
    let rows = sqlx::query(
        "select r.id, r.created_at, r.motive, r.patient_name, r.status, w.display_name as doctor_name \
         from teleconsultation t join snp_request r on r.id = t.request_id left join member w on w.id = r.accepted_by \
         where t.pharmacist_id = $1 and t.created_at >= $2 order by r.id desc limit 50",
    )
    .bind(pharmacist_id)
    .bind(ms(since))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| TeleconsultSummary {
            id: r.get("id"),
            created_at: from_ms(r.get("created_at")),
            motive: Motive::parse(&r.get::<String, _>("motive")).unwrap_or(Motive::Other),
            patient_name: r.get("patient_name"),
            status: RequestStatus::parse(&r.get::<String, _>("status")).unwrap_or(RequestStatus::New),
            doctor_name: r.get("doctor_name"),
        })
        .collect())
}
