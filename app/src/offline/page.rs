//! In the browser: what the network watch (`super::watch`) does to the page
//! the server drew — its deferrable forms, its buttons that need the network, and the service
//! worker's copies of the offline pages.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::{Network, Queued};

/// The attribute the status of an action waiting in the outbox carries, to be found again.
const STATUS: &str = "data-outbox-status";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn all(selector: &str) -> Vec<Element> {
    document().map(|d| crate::ui::elements(d.query_selector_all(selector))).unwrap_or_default()
}

/// Offline, a deferrable form's submission goes to the outbox; logging out empties it.
pub fn intercept_offline_submits(net: Network) {
    let Some(document) = document() else { return };
    let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        if form.get_attribute("action").is_some_and(|a| a.ends_with("/auth/logout")) {
            super::browser::clear();
            return;
        }
        if net.online.get_untracked() {
            return;
        }
        let Some(deferrable) = form.closest(".deferrable[data-label]").ok().flatten() else { return };
        let Ok(ev) = ev.dyn_into::<web_sys::SubmitEvent>() else { return };
        ev.prevent_default();
        ev.stop_propagation();
        if let Some((url, body)) = super::browser::form_of(&ev) {
            super::queue(net, url, body, deferrable.get_attribute("data-label").unwrap_or_default());
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool("submit", on_submit.as_ref().unchecked_ref(), true);
    on_submit.forget();
}

/// After a live update drew `<main>` again: the outbox's marks and the offline buttons again.
pub fn on_main_redrawn(net: Network) {
    let Some(document) = document() else { return };
    let again = Closure::<dyn Fn()>::new(move || {
        let online = net.online.get_untracked();
        needs_network(online);
        net.queued.with_untracked(|q| mark_queued(q));
        if online {
            keep_pages();
        }
    });
    let _ =
        document.add_event_listener_with_callback(crate::ui::live::refresh::REDRAWN, again.as_ref().unchecked_ref());
    again.forget();
}

/// Disables the buttons that need the network while it is away, with their offline label.
pub fn needs_network(online: bool) {
    for button in all("button[data-needs-network]") {
        if online {
            let _ = button.remove_attribute("disabled");
            if let Some(label) = button.get_attribute("data-online-label") {
                button.set_text_content(Some(&label));
            }
            let _ = button.remove_attribute("title");
        } else {
            if button.get_attribute("data-online-label").is_none() {
                let _ = button.set_attribute("data-online-label", &button.text_content().unwrap_or_default());
            }
            let _ = button.set_attribute("disabled", "");
            button.set_text_content(button.get_attribute("data-offline-label").as_deref());
            if let Some(title) = button.get_attribute("data-offline-title") {
                let _ = button.set_attribute("title", &title);
            }
        }
    }
}

/// Whether the form would post an action that waits in `queued`: same server function, and
/// every hidden field of the form (the ids it acts on) among the action's arguments.
fn waits(form: &Element, queued: &[Queued]) -> bool {
    let Some(action) = form.get_attribute("action") else { return false };
    let pairs: Vec<String> = crate::ui::elements(form.query_selector_all("input[type=hidden][name]"))
        .into_iter()
        .filter_map(|h| h.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter_map(|h| {
            let params = web_sys::UrlSearchParams::new().ok()?;
            params.append(&h.name(), &h.value());
            Some(String::from(params.to_string()))
        })
        .collect();
    queued.iter().any(|q| q.url == action && pairs.iter().all(|p| q.body.split('&').any(|a| a == p)))
}

/// Shows, on each deferrable whose action waits in the outbox, that it waits (and hides its
/// forms); takes the marks off the others.
pub fn mark_queued(queued: &[Queued]) {
    for old in all(&format!("[{STATUS}]")) {
        old.remove();
    }
    let Some(document) = document() else { return };
    for deferrable in all(".deferrable[data-label]") {
        let waiting = crate::ui::elements(deferrable.query_selector_all("form")).iter().any(|f| waits(f, queued));
        if !waiting {
            let _ = deferrable.remove_attribute("hidden");
            continue;
        }
        let _ = deferrable.set_attribute("hidden", "");
        let Some(text) = deferrable.get_attribute("data-queued") else { continue };
        let Ok(status) = document.create_element("p") else { continue };
        let _ = status.set_attribute("class", "pending");
        let _ = status.set_attribute("role", "status");
        let _ = status.set_attribute(STATUS, "");
        status.set_text_content(Some(&text));
        // Outside a folded <details>, so that it shows.
        let anchor = deferrable.closest("details").ok().flatten().unwrap_or(deferrable);
        let _ = anchor.before_with_node_1(&status);
    }
}

/// Asks the service worker to fetch and keep the offline pages again (it does so at most once
/// a minute).
pub fn keep_pages() {
    let Some(worker) = web_sys::window().and_then(|w| w.navigator().service_worker().controller()) else { return };
    let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("keep-pages"));
}
