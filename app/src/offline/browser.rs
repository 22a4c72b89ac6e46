//! The browser side: the outbox in IndexedDB (through `indexed_db_futures`), `navigator.onLine`
//! and the replay of the outbox.

use std::cell::Cell;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{Network, Queued};
use crate::api::AppError;
use crate::i18n::t;

const DB_NAME: &str = "relais";
pub const OUTBOX: &str = "outbox";

async fn open() -> Option<Database> {
    let db = Database::open(DB_NAME)
        .with_version(2u8)
        .with_on_upgrade_needed(|_event, db| {
            // Version 1 also kept copies of the screens' data: the service worker keeps the
            // pages themselves now, and what the old copies held goes.
            if db.object_store_names().any(|n| n == "copies") {
                db.delete_object_store("copies")?;
            }
            if !db.object_store_names().any(|n| n == OUTBOX) {
                db.create_object_store(OUTBOX).build()?;
            }
            Ok(())
        })
        .await;
    match db {
        Ok(db) => Some(db),
        Err(e) => {
            leptos::logging::warn!("IndexedDB unavailable: {e:?}");
            None
        }
    }
}

pub async fn put(store: &str, key: &str, json: &str) {
    let Some(db) = open().await else { return };
    let done: indexed_db_futures::Result<()> = async {
        let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build()?;
        let s = tx.object_store(store)?;
        s.put(json).with_key(key).primitive()?.await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    if let Err(e) = done {
        leptos::logging::warn!("IndexedDB write failed: {e:?}");
    }
}

async fn all(store: &str) -> Vec<(String, String)> {
    let Some(db) = open().await else { return Vec::new() };
    let found: indexed_db_futures::Result<Vec<(String, String)>> = async {
        let tx = db.transaction(store).build()?;
        let s = tx.object_store(store)?;
        let keys: Vec<String> = s.get_all_keys::<String>().primitive()?.await?.filter_map(Result::ok).collect();
        let mut out = Vec::new();
        for k in keys {
            if let Some(v) = s.get::<String, _, _>(k.as_str()).primitive()?.await? {
                out.push((k, v));
            }
        }
        Ok(out)
    }
    .await;
    found.unwrap_or_default()
}

async fn delete(store: &str, key: &str) {
    let Some(db) = open().await else { return };
    let done: indexed_db_futures::Result<()> = async {
        let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build()?;
        tx.object_store(store)?.delete(key).primitive()?.await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    if let Err(e) = done {
        leptos::logging::warn!("IndexedDB delete failed: {e:?}");
    }
}

/// Empties the outbox (at logout: the next person on this phone sends nothing of this member).
pub async fn clear() {
    let Some(db) = open().await else { return };
    let done: indexed_db_futures::Result<()> = async {
        let tx = db.transaction(OUTBOX).with_mode(TransactionMode::Readwrite).build()?;
        tx.object_store(OUTBOX)?.clear()?.await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    if let Err(e) = done {
        leptos::logging::warn!("IndexedDB clear failed: {e:?}");
    }
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
    let mut entries = all(OUTBOX).await;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut sent_any = false;
    let mut unreachable = false;
    for (id, json) in entries {
        let Ok(item) = serde_json::from_str::<Queued>(&json) else {
            delete(OUTBOX, &id).await;
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
                delete(OUTBOX, &id).await;
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
        delete(OUTBOX, &id).await;
        sent_any = true;
    }
    let left: Vec<Queued> =
        all(OUTBOX).await.into_iter().filter_map(|(_, json)| serde_json::from_str(&json).ok()).collect();
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
    leptos::task::spawn_local(replay(net));
}
