//! Server functions of a member's own settings.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each server function of a member's own settings.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[("members/availability", Access::Clinician)];

/// "Available now" for `hours` hours (0 ends it), outside duty slots.
#[server(prefix = "/api", endpoint = "members/availability")]
pub async fn set_availability(hours: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/availability").await?;
            Ok(crate::members::ops::set_available(&state, &m, hours).await?)
        }
        .await,
    )
}
