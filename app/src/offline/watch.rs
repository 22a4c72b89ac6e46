//! The network watch: the top bar's island that gives the pages drawn by the server their
//! offline behaviour.
//!
//! - Offline, it says so above the page ("Hors ligne — données du …", the time the server drew
//!   the page: the service worker serves its last copy of *Mes offres* and *Mes gardes*), and the
//!   buttons that need the network (`data-needs-network`: accepting an offer) are disabled with
//!   their offline label (`data-offline-label`).
//! - A form inside a [`super::Deferrable`] submitted offline goes to the outbox (`localStorage`)
//!   instead of to the server; the page says it waits (the deferrable's `data-queued` text), now
//!   and after a reload, and the top bar counts what waits. When the network returns the outbox
//!   is replayed and `<main>` drawn again.
//! - Online, it asks the service worker to keep fresh copies of the offline pages.

use leptos::prelude::*;

use super::Network;

/// The island. `offline` is the banner's text, drawn by the server with the page's time.
#[island]
pub fn NetworkWatch(offline: String) -> impl IntoView {
    crate::ui::widgets::island_awake();
    let net = Network::new();
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            super::browser::watch(net);
            super::page::intercept_offline_submits(net);
            super::page::on_main_redrawn(net);
        });
        Effect::new(move |_| {
            let online = net.online.get();
            super::page::needs_network(online);
            if online {
                super::page::keep_pages();
            }
        });
        Effect::new(move |_| net.queued.with(|q| super::page::mark_queued(q)));
        Effect::new(move |previous: Option<u64>| {
            let now = net.replayed.get();
            if previous.is_some_and(|p| p != now) {
                crate::ui::live::refresh::main(None);
            }
            now
        });
    }
    view! {
        {move || (!net.online.get()).then(|| view! {
            <p class="banner warn offline" role="status" id="offline-banner">{offline.clone()}</p>
        })}
        {move || {
            let n = net.queued.with(Vec::len);
            (n > 0).then(|| view! { <p class="banner warn" role="status" id="outbox-pending">{crate::i18n::t::en_attente_de_reseau(n)}</p> })
        }}
        {move || net.refused.get().into_iter().map(|m| view! { <p class="banner error" role="alert">{m}</p> }).collect_view()}
    }
}
