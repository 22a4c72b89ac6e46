//! The live update: the page's `<main>` drawn again by the server.
//!
//! The pages are drawn on the server only, so a live event cannot refetch a resource in the
//! browser: the page asks the server for itself again (the same address, the member's cookie)
//! and puts the new `<main>` in place of the old one, then wakes the islands inside it. While
//! someone types in a field of the page, the refresh waits for them to leave it. A page that
//! redirects (the session ended, the member was suspended) is followed; a page the server cannot
//! draw now (503, offline) stays as it is. What was typed in its forms is written back into the
//! new ones (`ui::typed`). The page is asked for with the kind of the last
//! event (`?evenement=offer_taken`), so that it can say why something left it.

use std::cell::{Cell, RefCell};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// A refresh is running.
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// Another event came during it: refresh once more at its end.
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    /// Waiting for the field being typed in to lose the focus.
    static WAITING: Cell<bool> = const { Cell::new(false) };
    /// The kind of the event behind the refresh.
    static EVENT: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The address the page was drawn at, when it differs from the one shown (a form's error).
    static DRAWN_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The event the document receives once a new `<main>` is in place (the islands that act on the
/// page's content mark it again).
pub const REDRAWN: &str = "relais:main";

/// Notes the address the server drew the page at, before the address bar is tidied: a failed
/// form's page carries its error there (`?__path=…&__err=…`), and each refresh draws it again.
pub fn drawn_at(address: String) {
    DRAWN_AT.with(|d| *d.borrow_mut() = Some(address));
}

/// Draws `<main>` again from the server, now or once the running refresh ends; `event` is the
/// kind of the live event behind it, if any.
pub fn main(event: Option<String>) {
    if event.is_some() {
        EVENT.with(|e| *e.borrow_mut() = event);
    }
    if BUSY.with(|b| b.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    leptos::task::spawn_local(async {
        loop {
            AGAIN.with(|a| a.set(false));
            if let Err(e) = once().await {
                leptos::logging::warn!("live refresh: {e:?}");
            }
            if !AGAIN.with(Cell::get) {
                break;
            }
        }
        BUSY.with(|b| b.set(false));
    });
}

async fn once() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    if typing(&document) {
        wait_for_focus_out(&document);
        return Ok(());
    }
    let mut url = match DRAWN_AT.with(|d| d.borrow().clone()) {
        Some(address) => address,
        None => window.location().href()?,
    };
    if let Some(kind) = EVENT.with(|e| e.borrow_mut().take()) {
        let kind: String = kind.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        url = format!("{url}{}evenement={kind}", if url.contains('?') { '&' } else { '?' });
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url)).await?.dyn_into()?;
    if response.redirected() {
        return window.location().set_href(&response.url());
    }
    if !response.ok() {
        return Ok(());
    }
    let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    let drawn = web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    let (Some(old), Some(new)) = (document.query_selector("main")?, drawn.query_selector("main")?) else {
        return Ok(());
    };
    // Typing may have begun while the page was on its way.
    if typing(&document) {
        wait_for_focus_out(&document);
        return Ok(());
    }
    let typed = crate::ui::typed::changed(&old);
    old.replace_with_with_node_1(&new)?;
    crate::ui::typed::put_back(&new, &typed);
    wake_islands(&window, &new)?;
    document.dispatch_event(&web_sys::Event::new(REDRAWN)?)?;
    Ok(())
}

/// Whether a text field, a list or a text area of the page has the focus.
fn typing(document: &web_sys::Document) -> bool {
    document.active_element().is_some_and(|e| {
        let typed = match e.tag_name().as_str() {
            "TEXTAREA" | "SELECT" => true,
            "INPUT" => !matches!(
                e.get_attribute("type").unwrap_or_default().as_str(),
                "button" | "submit" | "checkbox" | "radio" | "hidden"
            ),
            _ => false,
        };
        typed && e.closest("main").ok().flatten().is_some()
    })
}

fn wait_for_focus_out(document: &web_sys::Document) {
    if WAITING.with(|w| w.replace(true)) {
        return;
    }
    let on_out = Closure::once_into_js(move || {
        WAITING.with(|w| w.set(false));
        main(None);
    });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = document.add_event_listener_with_callback_and_add_event_listener_options(
        "focusout",
        on_out.unchecked_ref(),
        &options,
    );
}

/// Hydrates the islands of the new `<main>`, as the islands script did for the page.
fn wake_islands(window: &web_sys::Window, root: &web_sys::Element) -> Result<(), JsValue> {
    let Ok(hydrate) =
        js_sys::Reflect::get(window, &JsValue::from_str("__hydrateIsland"))?.dyn_into::<js_sys::Function>()
    else {
        return Ok(());
    };
    for island in crate::ui::elements(root.query_selector_all("leptos-island")) {
        let name = island.get_attribute("data-component");
        hydrate.call2(&JsValue::NULL, &island, &JsValue::from(name))?;
    }
    Ok(())
}
