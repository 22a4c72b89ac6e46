//! The phone without network: copies of "my vacations" and "my offers" kept in IndexedDB, the
//! outbox of actions that are safe to defer, and whether the browser is online.
//!
//! Every successful fetch of a copied screen overwrites its copy (with the time it was made);
//! offline, the screen shows the copy under a "hors ligne — données du …" banner. A deferrable
//! action (decline an offer, propose a swap, record an outcome) taken offline goes to the outbox
//! with an idempotency key and is sent when the network returns; the server runs each key once,
//! so a replay sent twice changes nothing the second time. Accepting an offer is never queued:
//! the first acceptance wins, which only the server can tell.
//!
//! On the server (feature `ssr`) the functions here do nothing: there is no IndexedDB there.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "ssr")]
pub mod files;

/// The names of the copies kept on the phone.
pub const COPY_OFFERS: &str = "offres";
pub const COPY_VACATIONS: &str = "gardes";
pub const COPY_ME: &str = "moi";

/// A copy of a screen's data and when it was fetched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Copy<T> {
    pub saved_at: DateTime<Utc>,
    pub data: T,
}

/// An action taken offline, waiting for the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    /// The idempotency key the server deduplicates replays by.
    pub key: String,
    /// The server function's URL (`/api/offers/refuse`, …).
    pub url: String,
    /// Its form-encoded arguments.
    pub body: String,
    /// What the person did, in French ("Refus de la demande n° 12").
    pub label: String,
    pub queued_at: DateTime<Utc>,
}

/// The network state and the outbox, shared by every screen.
#[derive(Clone, Copy)]
pub struct Network {
    /// `navigator.onLine`, kept up to date. True on the server and during hydration.
    pub online: RwSignal<bool>,
    /// Actions waiting in the outbox.
    pub queued: RwSignal<Vec<Queued>>,
    /// Messages of queued actions the server refused when they were replayed.
    pub refused: RwSignal<Vec<String>>,
    /// Bumped after a replay, so that screens refetch.
    pub replayed: RwSignal<u64>,
}

pub fn provide_network_context() {
    let net = Network {
        online: RwSignal::new(true),
        queued: RwSignal::new(Vec::new()),
        refused: RwSignal::new(Vec::new()),
        replayed: RwSignal::new(0),
    };
    provide_context(net);
    // Browser only (effects do not run on the server), after hydration: the real state.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::watch(net);
    });
}

pub fn use_network() -> Network {
    use_context::<Network>().expect("App provides the network context")
}

/// Keeps `data` as the copy named `name` (browser only; fire and forget).
#[allow(unused_variables)]
pub fn save_copy<T: Serialize>(name: &'static str, data: &T) {
    #[cfg(feature = "hydrate")]
    if let Ok(json) = serde_json::to_string(&Copy { saved_at: Utc::now(), data }) {
        leptos::task::spawn_local(async move {
            browser::put("copies", name, &json).await;
        });
    }
}

/// The copy named `name`, if this phone has one.
#[allow(unused_variables)]
pub async fn load_copy<T: DeserializeOwned>(name: &'static str) -> Option<Copy<T>> {
    // IndexedDB futures are not `Send`; the browser has one thread.
    #[cfg(feature = "hydrate")]
    {
        let json = send_wrapper::SendWrapper::new(browser::get("copies", name)).await?;
        serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Forgets every copy and queued action (at logout: the next person on this phone sees nothing).
pub fn forget_all() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(browser::clear());
}

/// Puts an action in the outbox, to be sent when the network returns.
#[allow(unused_variables)]
pub fn queue(net: Network, url: String, body: String, label: String) {
    #[cfg(feature = "hydrate")]
    {
        let item = Queued { key: browser::new_key(), url, body, label, queued_at: Utc::now() };
        net.queued.update(|q| q.push(item.clone()));
        leptos::task::spawn_local(async move {
            if let Ok(json) = serde_json::to_string(&item) {
                browser::put("outbox", &format!("{}:{}", item.queued_at.timestamp_millis(), item.key), &json).await;
            }
            // Perhaps the network came back in between.
            browser::replay(net).await;
        });
    }
}

/// A signal with the copy `name` while offline (loaded when the network goes), `None` online.
pub fn offline_copy<T>(name: &'static str) -> RwSignal<Option<Copy<T>>>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let net = use_network();
    let copy = RwSignal::new(None);
    Effect::new(move |_| {
        if net.online.get() {
            copy.set(None);
        } else {
            leptos::task::spawn_local(async move {
                let loaded = load_copy::<T>(name).await;
                if !net.online.get_untracked() {
                    copy.set(loaded);
                }
            });
        }
    });
    copy
}

/// Wraps deferrable forms (their server functions take an `Idempotency-Key`): offline, a submit
/// goes to the outbox, labelled `label`, instead of to the server; online, nothing changes.
#[component]
pub fn Deferrable(#[prop(into)] label: String, children: Children) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let net = use_network();
    let attached = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        if attached.get_value() {
            return;
        }
        attached.set_value(true);
        #[cfg(feature = "hydrate")]
        browser::intercept_offline_submits(&el, net, label.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = (el, net, &label);
    });
    view! { <div class="deferrable" node_ref=node>{children()}</div> }
}

/// Whether an action on `url` whose arguments contain `arg` waits in the outbox.
pub fn is_queued(net: Network, url: &str, arg: &str) -> bool {
    net.queued.with(|q| q.iter().any(|i| i.url == url && i.body.split('&').any(|p| p == arg)))
}
