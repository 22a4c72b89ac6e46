//! Duty vacations: plannings and their groups and rules, vacations generated from a weekly
//! template, taking a place, cession, échange, remise au pot commun, undo; reminders and the
//! personal calendar feed. Holding a vacation puts a clinician on duty for dispatch.

pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod reminders;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

pub use api::{ReturnVacation, TakeVacation};
#[cfg(feature = "ssr")]
pub use ops::{release_member, take as take_vacation, PlanningError};
pub use ui::{MyVacationsPage, PlanningPage, PlanningsPage};

/// Who is on duty at an instant: every holder of a vacation covering it, and among them those
/// whose vacation allows teleconsultation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnDuty {
    pub all: std::collections::BTreeSet<i64>,
    pub remote: std::collections::BTreeSet<i64>,
}

/// Who holds a vacation of the CPTS at `now`: on duty for dispatch.
///
/// # Errors
/// On a database failure.
#[cfg(feature = "ssr")]
pub async fn on_duty_now(
    conn: &mut sqlx::AnyConnection,
    cpts_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::platform::db::StoreResult<OnDuty> {
    let rows = store::vacations_at(conn, cpts_id, now).await?;
    let (remote, other): (Vec<_>, Vec<_>) = rows.into_iter().partition(|v| v.kind.allows_teleconsultation());
    let remote: Vec<rules::Vacation> = remote.into_iter().map(|v| v.vacation).collect();
    let other: Vec<rules::Vacation> = other.into_iter().map(|v| v.vacation).collect();
    let remote = rules::on_duty_at(&remote, now);
    let all = rules::on_duty_at(&other, now).union(&remote).copied().collect();
    Ok(OnDuty { all, remote })
}
