//! Server functions of Web Push: the key a browser subscribes with, the member's devices, and
//! the state of an offer a notification opens.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ctx;
use super::dto::*;
use super::error::AppError;

/// The server's VAPID public key and the logged-in member's devices.
#[server(prefix = "/api", endpoint = "push/settings")]
pub async fn push_settings() -> Result<PushSetup, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            let devices = crate::backend::push::devices(&state, m.id).await?;
            Ok(PushSetup { public_key: state.push.keys.public.clone(), devices })
        }
        .await,
    )
}

/// Stores this browser's push subscription (`PushSubscription.toJSON()`: endpoint and keys)
/// for the logged-in member. Returns the device's id.
#[server(prefix = "/api", endpoint = "push/subscribe")]
pub async fn push_subscribe(
    endpoint: String,
    p256dh: String,
    auth: String,
    #[server(default)] label: String,
) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            let s = crate::backend::push::NewSubscription { endpoint, p256dh, auth, label };
            crate::backend::push::subscribe(&state, m.id, m.cpts_id, s).await
        }
        .await,
    )
}

/// Removes one of the logged-in member's devices.
#[server(prefix = "/api", endpoint = "push/unsubscribe")]
pub async fn push_unsubscribe(device_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::push::unsubscribe(&state, m.id, m.cpts_id, device_id).await
        }
        .await,
    )
}

/// Sends a test notification to every device of the logged-in member. Returns how many.
#[server(prefix = "/api", endpoint = "push/test")]
pub async fn push_test() -> Result<u64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::push::send_test(&state, m.id).await
        }
        .await,
    )
}

/// Where an offer made to the logged-in clinician stands: still open, taken by a colleague,
/// closed, expired…
#[server(prefix = "/api", endpoint = "offers/state")]
pub async fn offer_state(request_id: i64) -> Result<OfferLookup, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::offer_lookup(&state, &m, request_id).await
        }
        .await,
    )
}
