//! Server functions of dental emergencies: the rota, referring through the grid, the dentist's
//! answer and outcome, the coordination's hand-over, the admin's grid.

use leptos::prelude::*;

use super::dto::*;
pub use super::rules::forms::{ReferralForm, SolutionForm};
#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each dental server function. The operations then restrict members to their
/// CPTS, referrers to the professions the CPTS lets refer, and a referral to its referrer, its
/// dentist and the coordination.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("dental/rota", Access::Member),
    ("dental/take_weekly", Access::Clinician),
    ("dental/form", Access::Clinician),
    ("dental/refer", Access::Clinician),
    ("dental/referral", Access::Member),
    ("dental/answer", Access::Clinician),
    ("dental/outcome", Access::Clinician),
    ("dental/reassign", Access::Staff),
    ("dental/grid", Access::Admin),
    ("dental/grid_add", Access::Admin),
    ("dental/grid_remove", Access::Admin),
    ("dental/referrers", Access::Admin),
];

/// The rota of the coming four weeks and the caller's referrals.
#[server(prefix = "/api", endpoint = "dental/rota")]
pub async fn rota() -> Result<RotaView, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/rota").await?;
            Ok(crate::dental::ops::rota(&state, &m).await?)
        }
        .await,
    )
}

/// A dentist takes a morning and the same morning of the following weeks: (taken, refused by
/// a rule).
#[server(prefix = "/api", endpoint = "dental/take_weekly")]
pub async fn take_weekly(vacation_id: i64) -> Result<(usize, usize), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/take_weekly").await?;
            let taken = crate::dental::ops::take_weekly(&state, &m, vacation_id).await?;
            crate::api::flash::keep::<TakeWeekly>(&taken);
            leptos_axum::redirect("/dentaire");
            Ok(taken)
        }
        .await,
    )
}

/// What the referral form needs (a profession the CPTS lets refer).
#[server(prefix = "/api", endpoint = "dental/form")]
pub async fn refer_form() -> Result<ReferralFormData, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/form").await?;
            Ok(crate::dental::ops::referral_form(&state, &m).await?)
        }
        .await,
    )
}

/// Refers a patient to the dentist of the day, then opens the referral.
#[server(prefix = "/api", endpoint = "dental/refer")]
pub async fn refer(form: ReferralForm) -> Result<Referred, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/refer").await?;
            let referred = crate::dental::ops::refer(&state, &m, &form).await?;
            leptos_axum::redirect(&format!("/dentaire/{}", referred.id));
            Ok(referred)
        }
        .await,
    )
}

/// A referral in full (its referrer, its dentist, the coordination).
#[server(prefix = "/api", endpoint = "dental/referral")]
pub async fn referral(referral_id: i64) -> Result<ReferralDetail, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/referral").await?;
            Ok(crate::dental::ops::referral(&state, &m, referral_id).await?)
        }
        .await,
    )
}

/// The dentist proposes a solution: `appointment` (with `appointment_at`, Paris time, and
/// `place`), `phone_advice`, or `reoriented` (with `reorientation`).
#[server(prefix = "/api", endpoint = "dental/answer")]
pub async fn answer(referral_id: i64, version: i64, form: SolutionForm) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/answer").await?;
            crate::dental::ops::answer(&state, &m, referral_id, version, &form).await?;
            leptos_axum::redirect(&format!("/dentaire/{referral_id}"));
            Ok(())
        }
        .await,
    )
}

/// The dentist records what happened: `seen`, `no_show` or `reoriented`.
#[server(prefix = "/api", endpoint = "dental/outcome")]
pub async fn outcome(referral_id: i64, version: i64, outcome: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/outcome").await?;
            crate::dental::ops::record_outcome(&state, &m, referral_id, version, &outcome).await?;
            leptos_axum::redirect(&format!("/dentaire/{referral_id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordination hands a waiting referral to another dentist of the rota.
#[server(prefix = "/api", endpoint = "dental/reassign")]
pub async fn reassign(referral_id: i64, version: i64, dentist_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/reassign").await?;
            crate::dental::ops::reassign(&state, &m, referral_id, version, dentist_id).await?;
            leptos_axum::redirect(&format!("/dentaire/{referral_id}"));
            Ok(())
        }
        .await,
    )
}

/// The grid and who may refer (admin).
#[server(prefix = "/api", endpoint = "dental/grid")]
pub async fn grid() -> Result<GridAdmin, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/grid").await?;
            Ok(crate::dental::ops::grid_admin(&state, &m).await?)
        }
        .await,
    )
}

/// Adds a criterion (`inclusion`, `condition`, `exclusion` or `not_urgent`) to the grid.
#[server(prefix = "/api", endpoint = "dental/grid_add")]
pub async fn grid_add(label: String, kind: String, #[server(default)] immediate: String) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/grid_add").await?;
            let immediate = matches!(immediate.as_str(), "on" | "true" | "1");
            let id = crate::dental::ops::add_criterion(&state, &m, &label, &kind, immediate).await?;
            leptos_axum::redirect("/dentaire/grille");
            Ok(id)
        }
        .await,
    )
}

/// Removes a criterion from the grid.
#[server(prefix = "/api", endpoint = "dental/grid_remove")]
pub async fn grid_remove(criterion_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/grid_remove").await?;
            crate::dental::ops::remove_criterion(&state, &m, criterion_id).await?;
            leptos_axum::redirect("/dentaire/grille");
            Ok(())
        }
        .await,
    )
}

/// Sets which professions may refer.
#[server(prefix = "/api", endpoint = "dental/referrers")]
pub async fn referrers(#[server(default)] professions: Vec<String>) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "dental/referrers").await?;
            crate::dental::ops::set_referrers(&state, &m, &professions).await?;
            leptos_axum::redirect("/dentaire/grille");
            Ok(())
        }
        .await,
    )
}
