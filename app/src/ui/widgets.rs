//! Pieces shared by the pages.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::auth::{whoami, Logout};
use crate::domain::Role;
use crate::domain::{Field, FieldErrors};
use crate::i18n::t;
use crate::members::dto::Me;
use crate::offline::{load_copy, save_copy, use_network, Copy, COPY_ME};
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

/// The member this browser tab is logged in as, known without waiting: on the server, found
/// before the page renders ([`crate::api::ctx::page_member`]); in the browser, read at hydration
/// from the `relais-member` meta tag the server wrote into the page, then kept across the
/// router's navigations. Logging in or out forgets it (the next page asks the server).
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<Me>>);

/// The meta tag's name: the page's member, as JSON, for hydration.
pub const SESSION_META: &str = "relais-member";

pub fn provide_session() {
    provide_context(Session(RwSignal::new(initial_member())));
}

/// Forgets the member (after logging in or out): the next page asks the server who it is.
pub fn forget_session() {
    if let Some(s) = use_context::<Session>() {
        s.0.set(None);
    }
}

#[cfg(feature = "ssr")]
fn initial_member() -> Option<Me> {
    crate::api::ctx::page_member().ok().flatten()
}

#[cfg(not(feature = "ssr"))]
fn initial_member() -> Option<Me> {
    #[cfg(feature = "hydrate")]
    {
        let meta = web_sys::window()?.document()?.query_selector(&format!("meta[name={SESSION_META}]")).ok()??;
        serde_json::from_str(&meta.get_attribute("content")?).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// The meta tag carrying the page's member to the browser (in the document's head).
#[cfg(feature = "ssr")]
pub fn session_meta() -> impl IntoView {
    let json = crate::api::ctx::page_member().ok().flatten().and_then(|me| serde_json::to_string(&me).ok());
    json.map(|content| view! { <meta name=SESSION_META content=content/> })
}

/// Renders its children for a logged-in member (given as context), or sends to the login page.
///
/// The member is known synchronously (see [`Session`]), so the page's own resources are created
/// once, at the top of the page, in the same order on the server and in the browser.
#[component]
pub fn Authed(children: ChildrenFn) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let known = crate::api::ctx::page_member();
    #[cfg(not(feature = "ssr"))]
    let known: Result<Option<Me>, AppError> = Ok(use_context::<Session>().and_then(|s| s.0.get_untracked()));
    match known {
        Ok(Some(me)) => signed_in(me, children),
        Ok(None) | Err(AppError::Unauthenticated) if cfg!(feature = "ssr") => {
            view! { <Redirect path="/connexion"/> }.into_any()
        }
        Ok(None) | Err(AppError::Unauthenticated) => asking(children),
        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
    }
}

fn signed_in(me: Me, children: ChildrenFn) -> AnyView {
    save_copy(COPY_ME, &me);
    crate::ui::live::connect(me.id);
    #[cfg(feature = "hydrate")]
    recheck_after_navigation();
    provide_context(me.clone());
    view! { <Header me=me/> {children()} }.into_any()
}

/// After a navigation of the router (not the page's first drawing, which the server just
/// checked), asks the server in the background whether the session still stands: a member
/// suspended, or logged out from another device, is sent to the login page at once. Offline,
/// the page stays as it is.
#[cfg(feature = "hydrate")]
fn recheck_after_navigation() {
    thread_local! {
        static FIRST: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    }
    if FIRST.with(|f| f.replace(false)) {
        return;
    }
    leptos::task::spawn_local(async {
        if let Ok(None) = whoami().await {
            go_to("/connexion");
        }
    });
}

/// In the browser, after the router brought a member here from the login page: who it is,
/// from the server (or, offline, from the phone's copy).
fn asking(children: ChildrenFn) -> AnyView {
    let me = LocalResource::new(whoami);
    let net = use_network();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
            {move || Suspend::new(async move {
                let me = match me.await {
                    Err(e) if !net.online.get_untracked() => match load_copy::<Me>(COPY_ME).await {
                        Some(copy) => Ok(Some(copy.data)),
                        None => Err(e),
                    },
                    other => other,
                };
                match me {
                    Ok(Some(me)) => {
                        // Drawn in the browser's language until now: the member chose another.
                        #[cfg(feature = "hydrate")]
                        if me.lang.is_some_and(|l| l != crate::i18n::lang()) {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().reload();
                            }
                        }
                        if let Some(s) = use_context::<Session>() {
                            s.0.set(Some(me.clone()));
                        }
                        signed_in(me, children.get_value())
                    }
                    Ok(None) | Err(AppError::Unauthenticated) => view! { <Redirect path="/connexion"/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

pub fn use_me() -> Me {
    use_context::<Me>().expect("Authed provides the member")
}

#[component]
fn Header(me: Me) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    // Whoever uses this phone next sees nothing of this member offline.
    Effect::new(move |_| {
        if matches!(logout.value().get(), Some(Ok(()))) {
            crate::offline::forget_all();
            forget_session();
        }
    });
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
        <NetworkBanners/>
    }
}

/// The actions waiting for the network, and those the server refused when they were replayed.
#[component]
fn NetworkBanners() -> impl IntoView {
    let net = use_network();
    view! {
        {move || {
            let n = net.queued.with(Vec::len);
            (n > 0).then(|| view! { <p class="banner warn" role="status" id="outbox-pending">{t::en_attente_de_reseau(n)}</p> })
        }}
        {move || net.refused.get().into_iter().map(|m| view! { <p class="banner error" role="alert">{m}</p> }).collect_view()}
    }
}

/// "Hors ligne — données du …" above a screen shown from the phone's copy.
pub fn offline_banner<T>(copy: &Copy<T>) -> impl IntoView {
    view! { <p class="banner warn offline" role="status" id="offline-banner">{t::hors_ligne_donnees_du(&day_hm(copy.saved_at))}</p> }
}

/// The result of the server function `S` that a plain HTML form just posted, while the page is
/// drawn on the server (islands build, see `api::flash`); `None` otherwise, and in the browser.
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

/// Loads `address` in the browser (a full page load); nothing on the server.
pub fn go_to(address: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(address);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = address;
}
