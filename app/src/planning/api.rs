//! Server functions of duty vacations: plannings for the admin, "Mes gardes" for clinicians.

use leptos::prelude::*;

use super::dto::*;
#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each server function of the plannings. The operations then restrict members
/// to their CPTS, their own vacations and the proposals addressed to them.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("plannings/list", Access::Staff),
    ("plannings/create", Access::Admin),
    ("plannings/add_group", Access::Admin),
    ("plannings/generate", Access::Admin),
    ("plannings/view", Access::Staff),
    ("plannings/assign", Access::Admin),
    ("plannings/set_group_members", Access::Admin),
    ("plannings/unassign", Access::Admin),
    ("vacations/mine", Access::Clinician),
    ("vacations/take", Access::Clinician),
    ("vacations/return", Access::Member),
    ("vacations/propose", Access::Member),
    ("vacations/answer", Access::Member),
    ("vacations/cancel", Access::Member),
    ("vacations/calendar_regenerate", Access::Clinician),
    // The two sides of a change, or the admin.
    ("vacations/undo", Access::Member),
];
pub use crate::planning::rules::GenerateForm;

/// The plannings of the CPTS (coordination and admin).
#[server(prefix = "/api", endpoint = "plannings/list")]
pub async fn list_plannings() -> Result<Vec<PlanningSummary>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/list").await?;
            Ok(crate::planning::ops::plannings(&state, &m).await?)
        }
        .await,
    )
}

/// Creates a planning (admin), then opens it.
#[server(prefix = "/api", endpoint = "plannings/create")]
pub async fn create_planning(name: String, #[server(default)] notice_hours: String) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/create").await?;
            let notice = if notice_hours.trim().is_empty() { Ok(48) } else { notice_hours.trim().parse::<i64>() };
            let notice = notice.unwrap_or(-1);
            let id = crate::planning::ops::create_planning(&state, &m, &name, notice).await?;
            leptos_axum::redirect(&format!("/plannings/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Adds a group with its rule (empty = no limit) and its members (admin).
#[server(prefix = "/api", endpoint = "plannings/add_group")]
pub async fn add_group(
    planning_id: i64,
    name: String,
    dimension: String,
    #[server(default)] max_per_week: String,
    #[server(default)] max_per_month: String,
    #[server(default)] max_share_percent: String,
    #[server(default)] member_ids: Vec<i64>,
) -> Result<i64, AppError> {
    ctx::finish(
        async {
            use crate::domain::{Field, FieldErrors, FieldProblem};
            let (state, m) = ctx::caller(ACCESS, "plannings/add_group").await?;
            let mut errors = FieldErrors::default();
            let mut limit = |raw: &str, field: Field| -> Option<u32> {
                let raw = raw.trim();
                if raw.is_empty() {
                    return None;
                }
                let v = raw.parse::<u32>().ok().filter(|v| *v > 0);
                if v.is_none() {
                    errors.add(field, FieldProblem::OutOfRange);
                }
                v
            };
            let rule = GroupRule {
                max_per_week: limit(&max_per_week, Field::Capacity),
                max_per_month: limit(&max_per_month, Field::Capacity),
                max_share_percent: limit(&max_share_percent, Field::MaxShare),
            };
            if !errors.is_empty() {
                return Err(AppError::Invalid(errors));
            }
            Ok(crate::planning::ops::create_group(&state, &m, planning_id, &name, dimension.trim(), rule, &member_ids)
                .await?)
        }
        .await,
    )
}

/// Creates the vacations of a weekly template over a date range (admin).
#[server(prefix = "/api", endpoint = "plannings/generate")]
pub async fn generate_vacations(planning_id: i64, form: GenerateForm) -> Result<usize, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/generate").await?;
            let created = crate::planning::ops::generate(&state, &m, planning_id, &form).await?;
            crate::api::flash::keep::<GenerateVacations>(&created);
            Ok(created)
        }
        .await,
    )
}

/// A planning over `days` days from `from` (`YYYY-MM-DD`, Paris; empty: this week's Monday):
/// groups, vacations with their holders, gaps and counts.
#[server(prefix = "/api", endpoint = "plannings/view")]
pub async fn get_planning(
    planning_id: i64,
    #[server(default)] from: String,
    #[server(default)] days: i64,
) -> Result<PlanningView, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/view").await?;
            let now = state.now();
            let start = chrono::NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| crate::domain::hours::parse_paris_datetime(&format!("{d}T00:00")))
                .unwrap_or_else(|| crate::domain::hours::week_start(now));
            let days = if days <= 0 { 7 } else { days.min(62) };
            Ok(crate::planning::ops::planning_view(
                &state,
                &m,
                planning_id,
                start,
                start + chrono::Duration::days(days),
            )
            .await?)
        }
        .await,
    )
}

/// Gives a vacation to a member on their behalf (admin; the rules still apply).
#[server(prefix = "/api", endpoint = "plannings/assign")]
pub async fn assign_vacation(vacation_id: i64, member_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/assign").await?;
            Ok(crate::planning::ops::assign_for(&state, &m, vacation_id, member_id).await?)
        }
        .await,
    )
}

/// "Mes gardes" of the logged-in clinician.
#[server(prefix = "/api", endpoint = "vacations/mine")]
pub async fn get_my_vacations() -> Result<MyVacations, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/mine").await?;
            Ok(crate::planning::ops::my_vacations(&state, &m).await?)
        }
        .await,
    )
}

/// Takes an open place (self-service), if the group's rules allow it.
#[server(prefix = "/api", endpoint = "vacations/take")]
pub async fn take_vacation(vacation_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/take").await?;
            Ok(crate::planning::ops::take(&state, &m, vacation_id).await?)
        }
        .await,
    )
}

/// Remise au pot commun, until the planning's notice period.
#[server(prefix = "/api", endpoint = "vacations/return")]
pub async fn return_vacation(vacation_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/return").await?;
            Ok(crate::planning::ops::return_to_pool(&state, &m, vacation_id).await?)
        }
        .await,
    )
}

/// Proposes a `cession` (to `to_member_id`, or to all when empty) or an `exchange` (against
/// `counter_vacation_id`, held by `to_member_id`).
#[server(prefix = "/api", endpoint = "vacations/propose")]
pub async fn propose_change(
    vacation_id: i64,
    kind: String,
    #[server(default)] to_member_id: String,
    #[server(default)] counter_vacation_id: String,
) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/propose").await?;
            let kind = ChangeKind::parse(kind.trim()).ok_or_else(|| AppError::Request("kind".into()))?;
            let counter = counter_vacation_id.trim().parse::<i64>().ok();
            // An échange names the vacation; its holder is the colleague asked.
            let to = match (kind, counter) {
                (ChangeKind::Exchange, Some(c)) => crate::planning::ops::holder_of(&state, c).await?,
                _ => to_member_id.trim().parse::<i64>().ok(),
            };
            Ok(crate::planning::ops::propose(&state, &m, kind, vacation_id, to, counter).await?)
        }
        .await,
    )
}

/// Accepts (`accept` = `yes`) or declines a proposal addressed to the member.
#[server(prefix = "/api", endpoint = "vacations/answer")]
pub async fn answer_change(change_id: i64, accept: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/answer").await?;
            Ok(crate::planning::ops::answer(&state, &m, change_id, accept == "yes").await?)
        }
        .await,
    )
}

/// Withdraws one's own proposal before it is answered.
#[server(prefix = "/api", endpoint = "vacations/cancel")]
pub async fn cancel_change(change_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/cancel").await?;
            Ok(crate::planning::ops::cancel(&state, &m, change_id).await?)
        }
        .await,
    )
}

/// Issues a new secret address for the member's calendar feed; the old one stops working.
#[server(prefix = "/api", endpoint = "vacations/calendar_regenerate")]
pub async fn regenerate_calendar() -> Result<String, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/calendar_regenerate").await?;
            Ok(crate::planning::ops::regenerate_calendar(&state, &m).await?)
        }
        .await,
    )
}

/// Undoes an accepted cession or échange: a member asks the other side (within the grace
/// period); the admin undoes it at once. Answers the undo proposal's id, or `null` when done.
#[server(prefix = "/api", endpoint = "vacations/undo")]
pub async fn undo_change(change_id: i64) -> Result<Option<i64>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "vacations/undo").await?;
            Ok(crate::planning::ops::undo(&state, &m, change_id).await?)
        }
        .await,
    )
}

/// Replaces a group's members (admin).
#[server(prefix = "/api", endpoint = "plannings/set_group_members")]
pub async fn set_group_members(group_id: i64, #[server(default)] member_ids: Vec<i64>) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/set_group_members").await?;
            Ok(crate::planning::ops::set_group_members(&state, &m, group_id, &member_ids).await?)
        }
        .await,
    )
}

/// Takes a member off a vacation on their behalf (admin).
#[server(prefix = "/api", endpoint = "plannings/unassign")]
pub async fn unassign_vacation(vacation_id: i64, member_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "plannings/unassign").await?;
            Ok(crate::planning::ops::unassign_for(&state, &m, vacation_id, member_id).await?)
        }
        .await,
    )
}
