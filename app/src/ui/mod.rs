//! The shell: the HTML document, the routes to each capability's pages, the layout and shared
//! components, the live stream client. Every page renders on the server first (and works
//! without JavaScript: forms post to the server functions), then hydrates.

pub mod forms;
pub mod live;
#[cfg(feature = "hydrate")]
pub mod typed;
pub mod widgets;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::i18n::t;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Every text of the page is drawn in the request's language (`i18n::lang`).
    #[cfg(feature = "ssr")]
    provide_context(crate::i18n::request_lang());
    view! {
        <!DOCTYPE html>
        <html lang=crate::i18n::lang().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <AutoReload options=options.clone()/>
                // Under its hashed name in a release build (see platform::assets).
                <link id="leptos" rel="stylesheet" href=stylesheet(&options)/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet's address, under the name of the build served: the server found it once at
/// start (`platform::assets::PkgNames`) and gives it to every page, where leptos_meta's
/// `HashedStylesheet` would read the hash file from disk at every page drawn.
fn stylesheet(options: &LeptosOptions) -> String {
    let css = built_stylesheet().unwrap_or_else(|| format!("{}.css", options.output_name));
    format!("/{}/{css}", options.site_pkg_dir)
}

#[cfg(feature = "ssr")]
fn built_stylesheet() -> Option<String> {
    use_context::<std::sync::Arc<crate::platform::assets::PkgNames>>().map(|names| names.css.clone())
}

/// Only the server draws the shell.
#[cfg(not(feature = "ssr"))]
fn built_stylesheet() -> Option<String> {
    None
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    live::provide_live_context();
    view! {
        <Title text=t::APP_NAME()/>
        <Meta name="description" content=t::TAGLINE()/>
        <Meta name="theme-color" content="#0b5c6b"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
        <Meta name="apple-mobile-web-app-capable" content="yes"/>
        <Meta name="mobile-web-app-capable" content="yes"/>
        <Meta name="apple-mobile-web-app-title" content=t::APP_NAME()/>
        <Router>
            <Routes fallback=|| view! { <main class="page"><h1>{t::PAGE_INTROUVABLE()}</h1><a href="/">{t::RETOUR_A_L_ACCUEIL()}</a></main> }>
                <Route path=path!("/connexion") view=crate::auth::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/") view=crate::auth::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/coordination") view=crate::dispatch::BoardPage ssr=SsrMode::Async/>
                <Route path=path!("/coordination/nouvelle") view=crate::dispatch::NewRequestPage ssr=SsrMode::Async/>
                <Route path=path!("/demandes/:id") view=crate::dispatch::RequestPage ssr=SsrMode::Async/>
                <Route path=path!("/offres") view=crate::dispatch::InboxPage ssr=SsrMode::Async/>
                <Route path=path!("/gardes") view=crate::planning::MyVacationsPage ssr=SsrMode::Async/>
                <Route path=path!("/reglages") view=crate::push::SettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/dentaire") view=crate::dental::DentalPage ssr=SsrMode::Async/>
                <Route path=path!("/dentaire/adresser") view=crate::dental::ReferPage ssr=SsrMode::Async/>
                <Route path=path!("/dentaire/grille") view=crate::dental::GridPage ssr=SsrMode::Async/>
                <Route path=path!("/dentaire/:id") view=crate::dental::ReferralPage ssr=SsrMode::Async/>
                <Route path=path!("/teleconsultation") view=crate::teleconsult::CounterPage ssr=SsrMode::Async/>
                <Route path=path!("/teleconsultation/suivi/:id") view=crate::teleconsult::FollowPage ssr=SsrMode::Async/>
                <Route path=path!("/creneaux") view=crate::slots::MySlotsPage ssr=SsrMode::Async/>
                <Route path=path!("/sas") view=crate::slots::SasAdminPage ssr=SsrMode::Async/>
                <Route path=path!("/plannings") view=crate::planning::PlanningsPage ssr=SsrMode::Async/>
                <Route path=path!("/indicateurs") view=crate::indicators::IndicatorsPage ssr=SsrMode::Async/>
                <Route path=path!("/plannings/:id") view=crate::planning::PlanningPage ssr=SsrMode::Async/>
                <Route path=path!("/membres") view=crate::members::MembersPage ssr=SsrMode::Async/>
                <Route path=path!("/invitation/:token") view=crate::members::InvitationPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Registers the service worker (browser only): offline copy of the app shell, Web Push.
#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    crate::push::register_service_worker();
}

/// The elements a `querySelectorAll` found, as a list (none if the selector failed).
#[cfg(feature = "hydrate")]
pub fn elements(found: Result<web_sys::NodeList, wasm_bindgen::JsValue>) -> Vec<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let Ok(found) = found else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.item(i)?.dyn_into::<web_sys::Element>().ok()).collect()
}

/// A plain form that failed comes back to its page with the error in the address
/// (`?__path=…&__err=…`, which the page draws); once drawn, the address is the page's again, so
/// that a reload or a shared link does not show the error anew (the live refreshes still ask for
/// the page as it was drawn, error included: `live::refresh::drawn_at`).
#[cfg(feature = "hydrate")]
pub fn forget_form_error_in_address() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    if !search.contains("__err=") {
        return;
    }
    let query = crate::api::error::query_without_form_error(&search);
    let address = format!("{}{query}{}", location.pathname().unwrap_or_default(), location.hash().unwrap_or_default());
    if let Ok(drawn) = location.href() {
        live::refresh::drawn_at(drawn);
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}
