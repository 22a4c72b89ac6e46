//! Pieces shared by the pages.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::auth::Logout;
use crate::domain::Role;
use crate::domain::{Field, FieldErrors};
use crate::i18n::t;
use crate::members::dto::Me;
use crate::ui::live::LiveDot;

/// `14:05`, Paris time.
pub fn hm(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%H:%M").to_string()
}

/// `23/11 14:05`, Paris time.
pub fn day_hm(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%d/%m %H:%M").to_string()
}

/// A red banner with the message of an error, in the page's language.
#[component]
pub fn ErrorBanner(error: AppError) -> impl IntoView {
    view! { <p class="banner error" role="alert">{error.message()}</p> }
}

/// The message under a faulty form field.
pub fn field_error(errors: Option<FieldErrors>, field: Field) -> impl IntoView {
    errors.and_then(|e| e.get(field)).map(|p| {
        view! { <span class="field-error" id=format!("err-{field:?}")>{t::field_problem(p)}</span> }
    })
}

/// Renders its children for a logged-in member (given as context), or sends to the login page.
///
/// Pages are drawn on the server only: the member is found before the page renders
/// ([`crate::api::ctx::page_member`]).
#[component]
pub fn Authed(children: ChildrenFn) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let known = crate::api::ctx::page_member();
    #[cfg(not(feature = "ssr"))]
    let known: Result<Option<Me>, AppError> = Ok(None);
    match known {
        Ok(Some(me)) => {
            provide_context(me.clone());
            view! { <Header me=me/> {children()} }.into_any()
        }
        Ok(None) | Err(AppError::Unauthenticated) => view! { <Redirect path="/connexion"/> }.into_any(),
        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
    }
}

pub fn use_me() -> Me {
    use_context::<Me>().expect("Authed provides the member")
}

#[component]
fn Header(me: Me) -> impl IntoView {
    // Logging out empties the phone's outbox (the network watch) and the service worker's
    // copies of the pages: whoever uses this phone next sees nothing of this member.
    let logout = ServerAction::<Logout>::new();
    let clinician = me.role == Role::Clinician;
    let home = if clinician { "/offres" } else { "/coordination" };
    let pharmacist = me.profession == Some(crate::domain::Profession::Pharmacist);
    view! {
        <header class="topbar">
            <a class="brand" href=home>{t::APP_NAME()}</a>
            <span class="who">
                {me.display_name.clone()}
                <small>{me.cpts_name.clone()}</small>
            </span>
            <LiveDot member=me.id/>
            <nav class="tabs" aria-label=t::NAVIGATION()>
                <a href=home>{t::DEMANDES()}</a>
                <a href=if clinician { "/gardes" } else { "/plannings" }>{if clinician { {t::MES_GARDES()} } else { {t::PLANNINGS()} }}</a>
                {pharmacist.then(|| view! { <a href="/teleconsultation">{t::TELECONSULTATION()}</a> })}
                <a href="/creneaux">{t::CRENEAUX_SNP()}</a>
                {(me.role == Role::Admin).then(|| view! { <a href="/sas">{t::INTERFACE_SAS()}</a> <a href="/membres">{t::MEMBRES()}</a> })}
                {(!clinician).then(|| view! { <a href="/indicateurs">{t::INDICATEURS()}</a> })}
                <a href="/dentaire">{t::DENTAIRE()}</a>
                <a href="/reglages">{t::REGLAGES()}</a>
            </nav>
            <ActionForm action=logout attr:class="inline">
                <button type="submit" class="link">{t::SE_DECONNECTER()}</button>
            </ActionForm>
        </header>
        // Offline, the network watch's banner dates the page (the service worker's copy).
        <crate::offline::NetworkWatch offline=t::hors_ligne_donnees_du(&day_hm(Utc::now()))/>
    }
}

/// The result of the server function `S` that a plain HTML form just posted, while the page is
/// drawn on the server (see `api::flash`); `None` otherwise, and in the browser.
pub fn posted<S: leptos::server_fn::ServerFn>() -> Option<S::Output>
where
    S::Output: serde::de::DeserializeOwned,
{
    #[cfg(feature = "ssr")]
    {
        crate::api::flash::take::<S>()
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// Called first by every island as it wakes in the browser. Once every island of the page is
/// awake (the lazy ones come after the page's own code: their part of the WebAssembly is fetched
/// first), the page says it is interactive: `<body data-hydrated>`, which the browser tests wait
/// for.
pub fn island_awake() {
    #[cfg(feature = "hydrate")]
    awake(1);
}

/// Called once by the page's own code (`crate::hydrate`), before any island: a page without
/// islands is interactive at once.
#[cfg(feature = "hydrate")]
pub fn page_awake() {
    awake(0);
}

/// Counts `woke` more islands awake, and says the page is interactive once they all are.
#[cfg(feature = "hydrate")]
fn awake(woke: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let awake = body.get_attribute("data-islands-awake").and_then(|n| n.parse::<u32>().ok()).unwrap_or(0) + woke;
    let _ = body.set_attribute("data-islands-awake", &awake.to_string());
    let islands = document.query_selector_all("leptos-island").map(|l| l.length()).unwrap_or(0);
    if awake >= islands {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Loads `address` in the browser (a full page load); nothing on the server.
pub fn go_to(address: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(address);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = address;
}
