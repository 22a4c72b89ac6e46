//! The browser side: the outbox in the origin's `localStorage`, `navigator.onLine` and the
//! replay of the outbox.
//!
//! The outbox holds a few small form posts (a decline, a swap, an outcome) for as long as the
//! phone is offline: `localStorage` keeps them across reloads and restarts, synchronously and
//! without a database library in the WebAssembly. Earlier versions kept it in IndexedDB (database
//! `relais`, store `outbox`): what still waits there is moved here once ([`move_old_outbox`]).

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Network, Queued};
use crate::api::AppError;
use crate::i18n::t;

/// Each waiting action is kept under this prefix and its place (`<milliseconds>:<key>`).
const PREFIX: &str = "relais-outbox:";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Keeps an action in the outbox at `place` (the places sort in the order they were queued).
pub fn put(place: &str, json: &str) {
    let written = storage().map(|s| s.set_item(&format!("{PREFIX}{place}"), json));
    if !matches!(written, Some(Ok(()))) {
        leptos::logging::warn!("outbox not written: no storage, or full");
    }
}

/// The waiting actions, as (place, JSON), in the order they were queued.
fn all() -> Vec<(String, String)> {
    let Some(storage) = storage() else { return Vec::new() };
    let keys = (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten());
    let mut found: Vec<(String, String)> = keys
        .filter_map(|key| Some((key.strip_prefix(PREFIX)?.to_string(), storage.get_item(&key).ok().flatten()?)))
        .collect();
    found.sort();
    found
}

fn delete(place: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{place}"));
    }
}

/// Empties the outbox (at logout: the next person on this phone sends nothing of this member).
pub fn clear() {
    for (place, _) in all() {
        delete(&place);
    }
}

/// An IndexedDB request's result, once it succeeded.
async fn request(req: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(done).await?;
    req.result()
}

/// Moves what an earlier version left in its IndexedDB outbox to this one, then deletes that
/// database; once per browser (remembered in `localStorage`).
async fn move_old_outbox() {
    const MOVED: &str = "relais-outbox-moved";
    let Some(storage) = storage() else { return };
    if storage.get_item(MOVED).ok().flatten().is_some() {
        return;
    }
    let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) else { return };
    let Ok(opening) = factory.open("relais") else { return };
    let Ok(db) = request(&opening).await.and_then(|db| db.dyn_into::<web_sys::IdbDatabase>()) else {
        return;
    };
    if db.object_store_names().contains("outbox") {
        let store = db.transaction_with_str("outbox").and_then(|tx| tx.object_store("outbox"));
        if let Ok((keys, values)) = store.and_then(|s| Ok((s.get_all_keys()?, s.get_all()?))) {
            if let (Ok(keys), Ok(values)) = (request(&keys).await, request(&values).await) {
                let (keys, values) = (js_sys::Array::from(&keys), js_sys::Array::from(&values));
                for i in 0..keys.length() {
                    if let (Some(place), Some(json)) = (keys.get(i).as_string(), values.get(i).as_string()) {
                        put(&place, &json);
                    }
                }
            }
        }
    }
    db.close();
    let _ = factory.delete_database("relais");
    let _ = storage.set_item(MOVED, "1");
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    let a = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let b = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    format!("{:x}-{a:x}-{b:x}", js_sys::Date::now() as u64)
}

/// The URL and form-encoded body a submitted form would have posted.
pub fn form_of(ev: &web_sys::SubmitEvent) -> Option<(String, String)> {
    let form: web_sys::HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    let url = form.get_attribute("action")?;
    Some((url, String::from(params.to_string())))
}

thread_local! {
    static REPLAYING: Cell<bool> = const { Cell::new(false) };
}

/// Sends the outbox in the order it was filled. Stops at the first network failure (still
/// offline) or server failure (tried again later); an action the server refuses is dropped and
/// its French message shown.
pub async fn replay(net: Network) {
    if REPLAYING.with(|r| r.replace(true)) {
        return;
    }
    let entries = all();
    let mut sent_any = false;
    let mut unreachable = false;
    for (id, json) in entries {
        let Ok(item) = serde_json::from_str::<Queued>(&json) else {
            delete(&id);
            continue;
        };
        let response = gloo_net::http::Request::post(&item.url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("Idempotency-Key", &item.key)
            .body(item.body.clone());
        let response = match response {
            Ok(r) => r.send().await,
            Err(_) => {
                delete(&id);
                continue;
            }
        };
        let Ok(response) = response else {
            unreachable = true;
            break;
        };
        if response.status() >= 500 {
            unreachable = true;
            break;
        }
        if !response.ok() {
            let why = match response.json::<AppError>().await {
                Ok(e) => e.message(),
                Err(_) => t::ERR_BAD_REQUEST().to_string(),
            };
            net.refused.update(|r| r.push(t::action_hors_ligne_refusee(&item.label, &why)));
        }
        delete(&id);
        sent_any = true;
    }
    let left: Vec<Queued> = all().into_iter().filter_map(|(_, json)| serde_json::from_str(&json).ok()).collect();
    net.queued.set(left);
    REPLAYING.with(|r| r.set(false));
    if sent_any {
        net.replayed.update(|v| *v += 1);
    }
    // The network said it was back but the server could not be reached yet (or was failing):
    // try again shortly rather than wait for the next time the network comes back.
    if unreachable && net.online.get_untracked() {
        if let Some(w) = web_sys::window() {
            let again = Closure::once_into_js(move || leptos::task::spawn_local(replay(net)));
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), RETRY_MS);
        }
    }
}

/// How long the outbox waits before replaying again after the server could not be reached.
const RETRY_MS: i32 = 3_000;

fn on_window(event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    if let Some(w) = web_sys::window() {
        let cb = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let _ = w.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        cb.forget();
    }
}

/// Follows `navigator.onLine`, and replays the outbox at start and whenever the network returns.
pub fn watch(net: Network) {
    let online = || web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    net.online.set(online());
    on_window("online", move |_| {
        net.online.set(true);
        leptos::task::spawn_local(replay(net));
    });
    on_window("offline", move |_| net.online.set(false));
    leptos::task::spawn_local(async move {
        move_old_outbox().await;
        replay(net).await;
    });
}
