//! Server functions of the indicators: the CPTS's page for a period (coordination and admins),
//! a clinician's own month.

use leptos::prelude::*;

use super::dto::{MyMonth, Report};
#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each indicators server function: the CPTS's figures are the coordination's and
/// the admins'; a member sees only their own.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[("indicators/report", Access::Staff), ("indicators/mine", Access::Member)];

/// The *Indicateurs* page from `du` to `au` (Paris dates, `AAAA-MM-JJ`; empty: this month).
#[server(prefix = "/api", endpoint = "indicators/report")]
pub async fn indicators_report(
    #[server(default)] du: String,
    #[server(default)] au: String,
) -> Result<Report, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "indicators/report").await?;
            let period = crate::indicators::ops::period(&state, &du, &au)?;
            Ok(crate::indicators::ops::report(&state, &m, period, true).await?)
        }
        .await,
    )
}

/// The caller's own figures this month.
#[server(prefix = "/api", endpoint = "indicators/mine")]
pub async fn my_figures() -> Result<MyMonth, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "indicators/mine").await?;
            Ok(crate::indicators::ops::mine(&state, &m).await?)
        }
        .await,
    )
}
