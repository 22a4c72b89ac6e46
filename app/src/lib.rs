//! Relais: the web app of a CPTS for same-day unscheduled care.
//!
//! The same crate compiles for the server (feature `ssr`: rendering, server functions, storage)
//! and for the browser (feature `hydrate`: WebAssembly that takes over the server-rendered page).

#![recursion_limit = "256"]

// The shell and what every capability stands on.
pub mod api;
#[macro_use]
pub mod domain;
pub mod i18n;
pub mod offline;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod ui;

// The capabilities, one folder each (see docs/architecture.md).
pub mod auth;
pub mod dental;
pub mod dispatch;
pub mod indicators;
pub mod members;
pub mod planning;
pub mod push;
pub mod slots;
pub mod teleconsult;

pub use ui::{shell, App};

/// The password of every demo account (demo mode only).
pub const DEMO_PASSWORD: &str = "relais-demo";

/// Entry point of the WebAssembly: hydrates the page the server rendered.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Before anything is drawn: the texts are the page's language, as the server wrote them.
    i18n::page::init();
    // The pages are drawn by the server; only the #[island] components wake here (the islands
    // script calls each one after this).
    leptos::mount::hydrate_islands();
    ui::typed::after_load();
    ui::typed::keep_on_submit();
    ui::forget_form_error_in_address();
    ui::register_service_worker();
    // Lets end-to-end tests (and curious people) know the page is interactive: now when it has
    // no island, else once the last one woke (`ui::widgets::island_awake`).
    ui::widgets::page_awake();
}
