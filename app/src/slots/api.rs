//! Server functions of shared SNP slots: a clinician's slots (open, close, remove, how a
//! booking went), the coordination's booking of a request into a slot.

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
