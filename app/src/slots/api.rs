//! Server functions of shared SNP slots: a clinician's slots (open, close, remove, how a
//! booking went), the coordination's booking of a request into a slot; the admin's *Interface
//! SAS* (the FINESS, the API clients of `/fhir`).

use leptos::prelude::*;

use super::dto::*;
pub use super::rules::OpenForm;
#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each slot server function. The operations then restrict a slot to its
/// clinician, and a request and its slots to the coordination of their CPTS.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("slots/page", Access::Member),
    ("slots/open", Access::Clinician),
    ("slots/close", Access::Clinician),
    ("slots/record", Access::Clinician),
    ("slots/fitting", Access::Staff),
    ("slots/book", Access::Staff),
    ("slots/sas", Access::Admin),
    ("slots/finess", Access::Admin),
    ("slots/client_issue", Access::Admin),
    ("slots/client_revoke", Access::Admin),
];

/// *Mes créneaux SNP* (the coordination: the CPTS's coming slots and recent no-shows).
#[server(prefix = "/api", endpoint = "slots/page")]
pub async fn slots_overview() -> Result<SlotsPage, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/page").await?;
            Ok(crate::slots::ops::page(&state, &m).await?)
        }
        .await,
    )
}

/// Opens slots: `count` of `minutes` from `start` on `date`, every week for `weeks` when `weekly`.
#[server(prefix = "/api", endpoint = "slots/open")]
pub async fn open_slots(form: OpenForm) -> Result<usize, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/open").await?;
            let n = crate::slots::ops::open(&state, &m, &form).await?;
            crate::api::flash::keep::<OpenSlots>(&n);
            leptos_axum::redirect("/creneaux");
            Ok(n)
        }
        .await,
    )
}

/// Closes a free slot, or removes it (`remove` = `on`) when nobody ever booked it.
#[server(prefix = "/api", endpoint = "slots/close")]
pub async fn close_slot(slot_id: i64, #[server(default)] remove: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/close").await?;
            let remove = matches!(remove.as_str(), "on" | "true" | "1");
            crate::slots::ops::close(&state, &m, slot_id, remove).await?;
            leptos_axum::redirect("/creneaux");
            Ok(())
        }
        .await,
    )
}

/// How a booking went: `honoured` = `yes` or `no` (patient absent).
#[server(prefix = "/api", endpoint = "slots/record")]
pub async fn record_booking(booking_id: i64, honoured: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/record").await?;
            let honoured = match honoured.as_str() {
                "yes" => true,
                "no" => false,
                _ => return Err(AppError::Request("honoured".into())),
            };
            crate::slots::ops::record(&state, &m, booking_id, honoured).await?;
            leptos_axum::redirect("/creneaux");
            Ok(())
        }
        .await,
    )
}

/// The free slots that fit a request, soonest first.
#[server(prefix = "/api", endpoint = "slots/fitting")]
pub async fn fitting_slots(request_id: i64) -> Result<Vec<FittingSlot>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/fitting").await?;
            Ok(crate::slots::ops::fitting(&state, &m, request_id).await?)
        }
        .await,
    )
}

/// Books a request's patient into a slot; the booking's id.
#[server(prefix = "/api", endpoint = "slots/book")]
pub async fn book_slot(request_id: i64, slot_id: i64) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/book").await?;
            let id = crate::slots::ops::book(&state, &m, request_id, slot_id).await?;
            leptos_axum::redirect(&format!("/demandes/{request_id}"));
            Ok(id)
        }
        .await,
    )
}

/// *Interface SAS*: the FHIR address, the FINESS, the API clients, the regulators, the SAS's
/// recent bookings.
#[server(prefix = "/api", endpoint = "slots/sas")]
pub async fn sas_overview() -> Result<SasPage, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/sas").await?;
            Ok(crate::slots::ops::clients::page(&state, &m, format!("{}/fhir", ctx::origin()?)).await?)
        }
        .await,
    )
}

/// Sets the CPTS's FINESS (9 characters).
#[server(prefix = "/api", endpoint = "slots/finess")]
pub async fn set_finess(finess: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/finess").await?;
            crate::slots::ops::clients::set_finess(&state, &m, &finess).await?;
            leptos_axum::redirect("/sas");
            Ok(())
        }
        .await,
    )
}

/// Issues an API client of the SAS interface; its token is in the answer, this once.
#[server(prefix = "/api", endpoint = "slots/client_issue")]
pub async fn issue_client(name: String) -> Result<IssuedClient, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/client_issue").await?;
            let issued = crate::slots::ops::clients::issue(&state, &m, &name).await?;
            crate::api::flash::keep::<IssueClient>(&issued);
            Ok(issued)
        }
        .await,
    )
}

/// Revokes an API client.
#[server(prefix = "/api", endpoint = "slots/client_revoke")]
pub async fn revoke_client(client_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "slots/client_revoke").await?;
            crate::slots::ops::clients::revoke(&state, &m, client_id).await?;
            leptos_axum::redirect("/sas");
            Ok(())
        }
        .await,
    )
}
