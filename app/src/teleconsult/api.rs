//! Server functions of pharmacy teleconsultations: the pharmacist's counter page, sending,
//! following, widening once more, orienting; the doctor's outcome. Opening the room is not a
//! server function: `GET /teleconsultation/{id}` (`room::open`) redirects to it.

use leptos::prelude::*;

use super::dto::*;
pub use super::rules::TeleconsultForm;
#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each teleconsultation server function. The operations then restrict the
/// counter to pharmacists, and a teleconsultation to its pharmacist, its doctor and the
/// coordination of its CPTS.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("teleconsult/counter", Access::Clinician),
    ("teleconsult/send", Access::Clinician),
    ("teleconsult/view", Access::Member),
    ("teleconsult/rewiden", Access::Clinician),
    ("teleconsult/orient", Access::Member),
    ("teleconsult/outcome", Access::Clinician),
];

/// The pharmacist's page: how many doctors could answer now, and the day's teleconsultations.
#[server(prefix = "/api", endpoint = "teleconsult/counter")]
pub async fn counter() -> Result<CounterView, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "teleconsult/counter").await?;
            Ok(crate::teleconsult::ops::counter(&state, &m).await?)
        }
        .await,
    )
}

/// Sends the patient at the counter to the available teleconsulting doctors, then opens the
/// teleconsultation's page.
#[server(prefix = "/api", endpoint = "teleconsult/send")]
pub async fn send_to_doctors(form: TeleconsultForm) -> Result<Sent, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "teleconsult/send").await?;
            let sent = crate::teleconsult::ops::send(&state, &m, &form).await?;
            leptos_axum::redirect(&format!("/teleconsultation/suivi/{}", sent.id));
            Ok(sent)
        }
        .await,
    )
}

/// A teleconsultation (its pharmacist, its doctor, the coordination).
#[server(prefix = "/api", endpoint = "teleconsult/view")]
pub async fn teleconsultation(request_id: i64) -> Result<TeleconsultView, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "teleconsult/view").await?;
            Ok(crate::teleconsult::ops::view(&state, &m, request_id).await?)
        }
        .await,
    )
}

/// Nobody accepted in time: asks every available doctor of the CPTS once more (once).
#[server(prefix = "/api", endpoint = "teleconsult/rewiden")]
pub async fn rewiden(request_id: i64) -> Result<Sent, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "teleconsult/rewiden").await?;
            let sent = crate::teleconsult::ops::rewiden(&state, &m, request_id).await?;
            leptos_axum::redirect(&format!("/teleconsultation/suivi/{request_id}"));
            Ok(sent)
        }
        .await,
    )
}

/// Orients the patient elsewhere: `sas`, `samu_15` or `come_back_later`.
#[server(prefix = "/api", endpoint = "teleconsult/orient")]
pub async fn orient(request_id: i64, reoriented_to: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "teleconsult/orient").await?;
            let mut errors = crate::domain::FieldErrors::default();
            let to = crate::domain::patient::choice(
                &reoriented_to,
                crate::domain::Reorientation::parse,
                crate::domain::Field::Reorientation,
                &mut errors,
            )
            .ok_or(AppError::Invalid(errors))?;
            crate::teleconsult::ops::orient(&state, &m, request_id, to).await?;
            leptos_axum::redirect(&format!("/teleconsultation/suivi/{request_id}"));
            Ok(())
        }
        .await,
    )
}

/// The doctor records what happened: `done` (with `conclusion`: `advice`, `prescription` or
/// `orientation`), `no_show`, or `reoriented` (with `reoriented_to`).
#[server(prefix = "/api", endpoint = "teleconsult/outcome")]
pub async fn outcome(
    request_id: i64,
    version: i64,
    outcome: String,
    #[server(default)] conclusion: String,
    #[server(default)] reoriented_to: String,
) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "teleconsult/outcome").await?;
            let parsed = super::rules::TeleconsultOutcome::parse(&outcome, &conclusion, &reoriented_to)
                .map_err(AppError::Invalid)?;
            crate::teleconsult::ops::record_outcome(&state, &m, request_id, version, parsed).await?;
            leptos_axum::redirect(&format!("/teleconsultation/suivi/{request_id}"));
            Ok(())
        }
        .await,
    )
}
