//! Web Push: a member's devices subscribe; messages queued by other capabilities in their own
//! transactions (`outbox`) are sent by a job (`sender`): VAPID-signed, encrypted, retried.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod sender;
#[cfg(feature = "ssr")]
pub mod services;
pub mod ui;

#[cfg(feature = "ssr")]
pub use ops::{forget_member, PushError};
#[cfg(feature = "ssr")]
pub use outbox::{
    enqueue, enqueue_all, enqueue_at, notice_message, offer_message, slot_booked_message, Outgoing, PushPayload,
    Urgency,
};
#[cfg(feature = "ssr")]
pub use sender::{purge, run, send_due, SendReport, VapidKeys, WebPush};
#[cfg(feature = "ssr")]
pub use services::{NewSubscription, PushServices};
#[cfg(feature = "hydrate")]
pub use ui::browser::device_label;
#[cfg(feature = "hydrate")]
pub use ui::browser::register_service_worker;
pub use ui::{NotificationOffer, SettingsPage};
