//! The live channel: a server-sent event stream (`/api/live`) that tells the open screens
//! something changed for their member. The page is then drawn again by the server
//! ([`refresh`]); the browser's EventSource reconnects by itself, and every reconnection draws
//! the page again, so nothing missed while asleep stays stale. When the screen wakes up or the
//! network returns, a stream the browser gave up on is reopened; one refused by the server (503
//! while its database is away) is retried every 5 s.

use leptos::prelude::*;

/// Bumped at each event (in the browser, [`LiveDot`]'s); on the server the pages' resources list
/// it among what they depend on, and it never moves there.
#[derive(Clone, Copy)]
pub struct Live {
    pub version: RwSignal<u64>,
    /// The kind of the last event (`offer_new`, `offer_withdrawn`, …) and its request.
    pub last: RwSignal<Option<(String, i64)>>,
    pub connected: RwSignal<bool>,
}

pub fn provide_live_context() {
    provide_context(Live { version: RwSignal::new(0), last: RwSignal::new(None), connected: RwSignal::new(false) });
}

pub fn use_live() -> Live {
    use_context::<Live>().expect("live context is provided by App")
}

/// The dot of the top bar that says the live stream is open.
///
/// An island, the only part of the top bar the browser wakes, and the page's live updates too:
/// it opens the stream for `member` and, at each event after the first opening, draws the
/// page's `<main>` again from the server ([`refresh`]).
#[island]
pub fn LiveDot(member: i64) -> impl IntoView {
    crate::ui::widgets::island_awake();
    // On the server, App provides the context; in the browser the island stands alone.
    let live = use_context::<Live>().unwrap_or_else(|| {
        provide_live_context();
        use_live()
    });
    #[cfg(feature = "hydrate")]
    {
        browser::connect(member, live);
        // Each event, and each reopening, after the stream's first opening (the page was just
        // drawn by the server).
        Effect::new(move |_| {
            if live.version.get() > 1 {
                // Taken, so that a reopening of the stream does not name it again.
                let kind = live.last.try_update_untracked(Option::take).flatten().map(|(kind, _)| kind);
                refresh::main(kind);
            }
        });
    }
    let _ = member;
    view! { <span class="live-dot" class:on=move || live.connected.get() title=crate::i18n::t::MISES_A_JOUR_EN_DIRECT()></span> }
}

#[cfg(feature = "hydrate")]
pub mod refresh;

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use super::Live;

    thread_local! {
        static CURRENT: RefCell<Option<(i64, web_sys::EventSource)>> = const { RefCell::new(None) };
    }

    pub fn connect(member_id: i64, live: Live) {
        let already = CURRENT.with(|c| c.borrow().as_ref().map(|(id, _)| *id) == Some(member_id));
        if already {
            return;
        }
        CURRENT.with(|c| {
            if let Some((_, old)) = c.borrow_mut().take() {
                old.close();
            }
        });
        let Ok(source) = web_sys::EventSource::new("/api/live") else { return };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            // The browser's own JSON parser: the event's two fields are all it needs.
            let data = e.data().as_string().unwrap_or_default();
            if let Ok(event) = js_sys::JSON::parse(&data) {
                let field = |name: &str| js_sys::Reflect::get(&event, &name.into()).ok();
                let kind = field("kind").and_then(|k| k.as_string()).unwrap_or_default();
                let request_id = field("request_id").and_then(|r| r.as_f64()).unwrap_or_default() as i64;
                live.last.set(Some((kind, request_id)));
            }
            live.version.update(|v| *v += 1);
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            live.connected.set(true);
            live.version.update(|v| *v += 1);
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        // A stream refused with an HTTP error (the server answers 503 while its database is away)
        // is given up by the browser: reopen it a little later, as long as it stays closed.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            live.connected.set(false);
            if is_closed() {
                set_timeout(move || reopen_if_closed(member_id, live), RETRY_CLOSED);
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        CURRENT.with(|c| *c.borrow_mut() = Some((member_id, source)));
        watch_wake(member_id, live);
    }

    const RETRY_CLOSED: std::time::Duration = std::time::Duration::from_secs(5);

    fn is_closed() -> bool {
        CURRENT.with(|c| c.borrow().as_ref().is_none_or(|(_, s)| s.ready_state() == web_sys::EventSource::CLOSED))
    }

    /// Reopens the stream if the browser gave it up (kept for the member it was opened for).
    fn reopen_if_closed(member_id: i64, live: Live) {
        if !is_closed() {
            return;
        }
        let id = CURRENT.with(|c| c.borrow().as_ref().map(|(id, _)| *id)).unwrap_or(member_id);
        CURRENT.with(|c| {
            if let Some((_, old)) = c.borrow_mut().take() {
                old.close();
            }
        });
        connect(id, live);
    }

    thread_local! {
        static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// After sleep (the screen comes back) or a network change: refetch at once, so that no
    /// stale "Accepter" stays on screen, and reopen the stream if the browser gave it up.
    fn watch_wake(member_id: i64, live: Live) {
        if WATCHING.with(|w| w.replace(true)) {
            return;
        }
        let wake = move || {
            live.version.update(|v| *v += 1);
            reopen_if_closed(member_id, live);
        };
        let Some(window) = web_sys::window() else { return };
        let on_visible = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
            if visible {
                wake();
            }
        });
        if let Some(doc) = window.document() {
            let _ = doc.add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
        }
        on_visible.forget();
        let on_online = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| wake());
        let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        on_online.forget();
    }
}
