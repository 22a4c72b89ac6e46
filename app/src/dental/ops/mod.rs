//! [ssr] Dental operations: one transaction each, its audit line in it, live events and Web
//! Push after commit. `referrals` holds the referral's life (refer, answer, outcome, hand over,
//! the 24-hour job); `rota` the rota and the grid.

mod referrals;
mod rota;

pub use referrals::{answer, erase_old_patient_data, reassign, record_outcome, refer, referral, tick};
pub use rota::{add_criterion, grid_admin, referral_form, remove_criterion, rota, set_referrers, take_weekly};

use crate::dental::dto::{ReferralPatient, ReferralSummary};
use crate::dental::rules::{route, ReferralStatus, Route};
use crate::dental::store::{self, ReferralRow};
use crate::domain::{AgeBand, FieldErrors, Profession, Role};
use crate::members::MemberRow;
use crate::platform::access::is_staff;
use crate::platform::db::StoreError;

/// What can go wrong with a dental operation.
#[derive(Debug, thiserror::Error)]
pub enum DentalError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    /// An exclusion sign was ticked: call the 15. Nothing was saved.
    #[error("call the 15")]
    CallThe15(Vec<String>),
    /// Not a case for the rota: the patient sees their own dentist. Nothing was saved.
    #[error("not urgent")]
    NotUrgent,
    /// No morning of the rota ahead is held.
    #[error("no dentist on the rota")]
    NoDentist,
    /// Someone changed the referral at the same moment.
    #[error("changed by someone else")]
    Conflict,
    #[error("planning: {0}")]
    Planning(#[from] crate::planning::PlanningError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(DentalError);

/// How far ahead the rota is shown and searched for a dentist: four weeks.
const ROTA_AHEAD: chrono::Duration = chrono::Duration::weeks(4);

/// Where a referral made at `now` goes (`rules::route` over the rota ahead and the referrals
/// waiting at each dentist), with that dentist's name; `None` when no morning ahead is held.
///
/// # Errors
/// On a database failure.
pub async fn next_route(
    conn: &mut sqlx::AnyConnection,
    cpts_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(Route, String)>, StoreError> {
    let rows = store::mornings(&mut *conn, cpts_id, now, now + ROTA_AHEAD).await?;
    let waiting = store::waiting_counts(conn, cpts_id).await?;
    let mornings: Vec<_> = rows.iter().map(|m| m.morning.clone()).collect();
    Ok(route(&mornings, &waiting, now).and_then(|r| {
        let m = rows.iter().find(|m| m.morning.vacation_id == r.vacation_id)?;
        let i = m.morning.holders.iter().position(|h| *h == r.dentist_id)?;
        Some((r, m.names[i].clone()))
    }))
}

/// Whether `member`'s profession may refer, per the CPTS's setting.
fn may_refer(member: &MemberRow, professions: &[Profession]) -> bool {
    member.role == Role::Clinician && member.profession.is_some_and(|p| professions.contains(&p))
}

/// Who may read a referral: its referrer, its dentist, the coordination of its CPTS.
fn may_read(member: &MemberRow, r: &ReferralRow) -> bool {
    member.cpts_id == r.cpts_id && (is_staff(member.role) || member.id == r.referrer_id || member.id == r.dentist_id)
}

fn summary(r: &ReferralRow, now: chrono::DateTime<chrono::Utc>) -> ReferralSummary {
    ReferralSummary {
        id: r.id,
        created_at: r.created_at,
        status: r.status,
        referrer_name: r.referrer_name.clone(),
        referrer_profession: r.referrer_profession.as_deref().and_then(Profession::parse),
        dentist_name: r.dentist_name.clone(),
        age_band: AgeBand::parse(&r.age_band).unwrap_or(AgeBand::Adult),
        commune: r.commune.clone(),
        immediate: r.immediate,
        seen_from: r.seen_from,
        due_at: r.due_at,
        overdue: r.status == ReferralStatus::Waiting && now >= r.due_at,
    }
}

fn patient(r: &ReferralRow) -> ReferralPatient {
    ReferralPatient { name: r.patient_name.clone(), callback_phone: r.callback_phone.clone(), note: r.note.clone() }
}
