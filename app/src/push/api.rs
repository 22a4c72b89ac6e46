//! Server functions of Web Push: the key a browser subscribes with, the member's devices, and
//! the state of an offer a notification opens.

use leptos::prelude::*;

use super::dto::*;
#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each server function of Web Push: every member, for their own devices.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("push/settings", Access::Member),
    ("push/subscribe", Access::Member),
    ("push/unsubscribe", Access::Member),
    ("push/test", Access::Member),
];

/// The server's VAPID public key and the logged-in member's devices.
#[server(prefix = "/api", endpoint = "push/settings")]
pub async fn push_settings() -> Result<PushSetup, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "push/settings").await?;
            let devices = crate::push::ops::devices(&state, m.id).await?;
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
            let (state, m) = ctx::caller(ACCESS, "push/subscribe").await?;
            let s = crate::push::NewSubscription { endpoint, p256dh, auth, label };
            Ok(crate::push::ops::subscribe(&state, m.id, m.cpts_id, s).await?)
        }
        .await,
    )
}

/// Removes one of the logged-in member's devices.
#[server(prefix = "/api", endpoint = "push/unsubscribe")]
pub async fn push_unsubscribe(device_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "push/unsubscribe").await?;
            Ok(crate::push::ops::unsubscribe(&state, m.id, m.cpts_id, device_id).await?)
        }
        .await,
    )
}

/// Sends a test notification to every device of the logged-in member. Returns how many.
#[server(prefix = "/api", endpoint = "push/test")]
pub async fn push_test() -> Result<u64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "push/test").await?;
            Ok(crate::push::ops::send_test(&state, m.id).await?)
        }
        .await,
    )
}
