//! The phone without network: the service worker's copies of *Mes offres* and *Mes gardes*
//! (`public/sw.js`), the outbox of actions that are safe to defer, and whether the browser is
//! online — all watched by one island of the top bar ([`NetworkWatch`]).
//!
//! Offline, the service worker serves its last copy of a page, which the watch dates ("hors
//! ligne — données du …"). A deferrable action (decline an offer, propose a swap, record an
//! outcome) taken offline goes to the outbox (`localStorage`) with an idempotency key and is sent
//! when the network returns; the server runs each key once, so a replay sent twice changes
//! nothing the second time. Accepting an offer is never queued: the first acceptance wins,
//! which only the server can tell.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "hydrate")]
mod page;
mod watch;
pub use watch::NetworkWatch;

/// An action taken offline, waiting for the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    /// The idempotency key the server deduplicates replays by.
    pub key: String,
    /// The server function's URL (`/api/offers/refuse`, …).
    pub url: String,
    /// Its form-encoded arguments.
    pub body: String,
    /// What the person did, in the page's language ("Refus de la demande n° 12").
    pub label: String,
}

/// The network state and the outbox, as the network watch sees them.
#[derive(Clone, Copy)]
pub struct Network {
    /// `navigator.onLine`, kept up to date. True on the server and until the island wakes.
    pub online: RwSignal<bool>,
    /// Actions waiting in the outbox.
    pub queued: RwSignal<Vec<Queued>>,
    /// Messages of queued actions the server refused when they were replayed.
    pub refused: RwSignal<Vec<String>>,
    /// Bumped after a replay, so that the page is drawn again.
    pub replayed: RwSignal<u64>,
}

impl Network {
    pub fn new() -> Self {
        Network {
            online: RwSignal::new(true),
            queued: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
            replayed: RwSignal::new(0),
        }
    }
}

impl Default for Network {
    fn default() -> Self {
        Self::new()
    }
}

/// Puts an action in the outbox, to be sent when the network returns.
#[cfg(feature = "hydrate")]
fn queue(net: Network, url: String, body: String, label: String) {
    let item = Queued { key: browser::new_key(), url, body, label };
    net.queued.update(|q| q.push(item.clone()));
    // Its place in the outbox: the time it was queued, in milliseconds (the outbox is sent in
    // that order).
    let place = format!("{}:{}", js_sys::Date::now() as u64, item.key);
    if let Ok(json) = serde_json::to_string(&item) {
        browser::put(&place, &json);
    }
    leptos::task::spawn_local(async move {
        // Perhaps the network came back in between.
        browser::replay(net).await;
    });
}

/// Wraps deferrable forms (their server functions take an `Idempotency-Key`): offline, the
/// network watch sends a submission to the outbox, labelled `label`, instead of to the server,
/// and shows `queued` in its place while it waits; online, nothing changes.
#[component]
pub fn Deferrable(
    #[prop(into)] label: String,
    #[prop(optional, into)] queued: Option<String>,
    children: Children,
) -> impl IntoView {
    view! { <div class="deferrable" data-label=label data-queued=queued>{children()}</div> }
}
