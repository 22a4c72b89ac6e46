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
pub use ops::{take as take_vacation, PlanningError};
pub use ui::{MyVacationsPage, PlanningPage, PlanningsPage};

/// Who holds a vacation of the CPTS at `now`: on duty for dispatch.
///
/// # Errors
/// On a database failure.
#[cfg(feature = "ssr")]
pub async fn on_duty_now(
    conn: &mut sqlx::AnyConnection,
    cpts_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::platform::db::StoreResult<std::collections::BTreeSet<i64>> {
    let vacations = store::vacations_at(conn, cpts_id, now).await?;
    Ok(rules::on_duty_at(&vacations, now))
}
