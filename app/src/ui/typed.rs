//! What someone typed in a page's forms survives the page being drawn again.
//!
//! Its forms are plain HTML forms: a refused one brings its page back from the server
//! (`?__path=…&__err=…`) with the fields as the server draws them, and a live update puts a new
//! `<main>` in place of the old one. Either would throw away what was typed. So the fields a
//! person changed (not the hidden ones, never a password or a file) are read before ([`changed`])
//! and written back after ([`put_back`]): on a live update from the old `<main>`; on a refused
//! form from the tab's `sessionStorage`, where the form's submission left them ([`keep_on_submit`])
//! and which the next page load empties ([`after_load`]), whatever it shows.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

const KEY: &str = "relais-saisie";
const FIELDS: &str = "input[name], select[name], textarea[name]";
/// The inputs whose value is not the person's typing, or must not be kept.
const NOT_TYPED: [&str; 7] = ["hidden", "password", "file", "submit", "button", "reset", "image"];

/// The named fields under `root`, each with the action of its form and its name.
fn fields(root: &Element) -> Vec<(Element, String, String)> {
    super::elements(root.query_selector_all(FIELDS))
        .into_iter()
        .map(|field| {
            let form = field.closest("form").ok().flatten().and_then(|f| f.get_attribute("action")).unwrap_or_default();
            let name = field.get_attribute("name").unwrap_or_default();
            (field, form, name)
        })
        .collect()
}

/// One changed field: the action of its form, its name, its value (for a box, its value when
/// ticked, or `""` when a ticked-by-default box was unticked).
pub struct Typed {
    form: String,
    name: String,
    value: String,
    checked: bool,
}

/// The fields under `root` that differ from what the server drew.
pub fn changed(root: &Element) -> Vec<Typed> {
    let mut out = Vec::new();
    for (field, form, name) in fields(root) {
        if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            match input.type_().as_str() {
                t if NOT_TYPED.contains(&t) => {}
                "checkbox" | "radio" => {
                    if input.checked() != input.default_checked() {
                        out.push(Typed { form, name, value: input.value(), checked: input.checked() });
                    }
                }
                _ => {
                    if input.value() != input.default_value() {
                        out.push(Typed { form, name, value: input.value(), checked: false });
                    }
                }
            }
        } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
            if area.default_value().map_or(true, |d| d != area.value()) {
                out.push(Typed { form, name, value: area.value(), checked: false });
            }
        } else if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
            let drawn = select
                .query_selector("option[selected]")
                .ok()
                .flatten()
                .or_else(|| select.query_selector("option").ok().flatten())
                .map(|o| o.get_attribute("value").unwrap_or_else(|| o.text_content().unwrap_or_default()));
            if drawn.as_deref() != Some(select.value().as_str()) {
                out.push(Typed { form, name, value: select.value(), checked: false });
            }
        }
    }
    out
}

/// Writes `typed` back into the fields under `root` of the same form and name.
pub fn put_back(root: &Element, typed: &[Typed]) {
    for (field, form, name) in fields(root) {
        let mut mine = typed.iter().filter(|t| t.form == form && t.name == name);
        if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            match input.type_().as_str() {
                t if NOT_TYPED.contains(&t) => {}
                "checkbox" | "radio" => {
                    if let Some(t) = mine.find(|t| t.value == input.value()) {
                        input.set_checked(t.checked);
                    }
                }
                _ => {
                    if let Some(t) = mine.next_back() {
                        input.set_value(&t.value);
                    }
                }
            }
        } else if let Some(t) = mine.next_back() {
            if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                area.set_value(&t.value);
            } else if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
                select.set_value(&t.value);
            }
        }
    }
}

/// On each form's submission, keeps its changed fields in the tab's `sessionStorage`.
pub fn keep_on_submit() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(form) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(storage) = session_storage() else { return };
        let Ok(params) = web_sys::UrlSearchParams::new() else { return };
        for t in changed(&form) {
            params.append(&format!("{}\u{1f}{}\u{1f}{}", t.form, t.name, u8::from(t.checked)), &t.value);
        }
        let _ = storage.set_item(KEY, &String::from(params.to_string()));
    });
    let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}

/// At each page load: a refused form's page gets back what was typed in it; any page empties
/// what the last submission kept.
pub fn after_load() {
    let Some(window) = web_sys::window() else { return };
    let Some(storage) = session_storage() else { return };
    let Ok(Some(kept)) = storage.get_item(KEY) else { return };
    let _ = storage.remove_item(KEY);
    if !window.location().search().unwrap_or_default().contains("__err=") {
        return;
    }
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&kept) else { return };
    let mut typed = Vec::new();
    let entries = js_sys::try_iter(&params).ok().flatten();
    for entry in entries.into_iter().flatten().flatten() {
        let pair = js_sys::Array::from(&entry);
        let (key, value) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default());
        let mut parts = key.split('\u{1f}');
        if let (Some(form), Some(name), Some(checked)) = (parts.next(), parts.next(), parts.next()) {
            typed.push(Typed { form: form.into(), name: name.into(), value, checked: checked == "1" });
        }
    }
    if let Some(body) = window.document().and_then(|d| d.body()) {
        put_back(&body, &typed);
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
