//! `/invitation/{token}`: the page an invitation's link opens. Who is invited, to which CPTS,
//! until when; a password to choose, or a passkey to make on this device (the only way where the
//! CPTS accepts passkeys only); then the member is logged in. A used, withdrawn or expired link
//! says so, and what to do.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::AppError;
use crate::domain::Field;
use crate::i18n::t;
use crate::members::api::{invitation, AcceptInvitation};
use crate::ui::widgets::{day_hm, field_error, ErrorBanner};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let errors = move || accept.value().get().and_then(Result::err);
    view! {
        <main class="page narrow">
            <h1>{t::APP_NAME()}</h1>
            <Suspense fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! {
                            <section class="card" id="invitation">
                                <h2>{t::BIENVENUE()}</h2>
                                <p id="invitation-who">{t::invitation_intro(&p.name, &p.cpts_name)}</p>
                                <p class="meta">{t::invitation_valable(&day_hm(p.expires_at))}</p>
                            </section>
                            {p.password_login.then(|| view! {
                                <ActionForm action=accept attr:class="card form" attr:id="accept-form">
                                    {move || errors().filter(|e| e.field_errors().is_none()).map(|e| view! { <ErrorBanner error=e/> })}
                                    <input type="hidden" name="token" value=token()/>
                                    <label for="email">{t::ADRESSE_E_MAIL()}</label>
                                    <input id="email" type="email" value=p.email.clone() autocomplete="username" readonly/>
                                    <label for="password">{t::CHOISISSEZ_UN_MOT_DE_PASSE()}</label>
                                    <input id="password" type="password" name="password" autocomplete="new-password"
                                        minlength="10" maxlength="200" required aria-describedby="password-help"/>
                                    <small id="password-help">{t::MOT_DE_PASSE_AIDE()}</small>
                                    {move || field_error(errors().and_then(|e| e.field_errors().cloned()), Field::Password)}
                                    <button type="submit" class="primary">{t::CREER_MON_COMPTE()}</button>
                                </ActionForm>
                            })}
                            <NewcomerPasskey token=token() only=!p.password_login/>
                        }.into_any(),
                        Err(e) => view! {
                            <section class="card" id="invitation-unusable">
                                <ErrorBanner error=e/>
                                <p><a href="/connexion">{t::SE_CONNECTER()}</a></p>
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The invitee's other way in: a passkey made on this device, once the page runs and where the
/// browser can. `only` when the CPTS accepts nothing else. An island.
#[island(lazy)]
fn NewcomerPasskey(token: String, only: bool) -> impl IntoView {
    crate::ui::widgets::island_awake();
    // Whether this browser was asked (once the page runs), and what it said.
    let checked = RwSignal::new(false);
    let supported = RwSignal::new(false);
    let refused = RwSignal::new(None::<AppError>);
    let cancelled = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            supported.set(crate::auth::webauthn::supported());
            checked.set(true);
        }
    });
    let make = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let token = token.clone();
            leptos::task::spawn_local(async move {
                use crate::members::api::{accept_passkey_start, accept_with_passkey};
                refused.set(None);
                cancelled.set(false);
                let c = match accept_passkey_start(token.clone()).await {
                    Ok(c) => c,
                    Err(e) => return refused.set(Some(e)),
                };
                let Ok(credential) = crate::auth::webauthn::create(&c.options).await else {
                    return cancelled.set(true);
                };
                match accept_with_passkey(token, c.token, credential, crate::push::device_label()).await {
                    Ok(()) => crate::ui::widgets::go_to("/"),
                    Err(e) => refused.set(Some(e)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &token;
    };
    view! {
        {move || match (supported.get(), only && checked.get()) {
            (true, _) => Some(view! {
                <section class="card form" id="newcomer-passkey">
                    <p>{if only { t::CLE_SEULE_INVITATION() } else { t::OU_UNE_CLE() }}</p>
                    {move || refused.get().map(|e| view! { <ErrorBanner error=e/> })}
                    {move || cancelled.get().then(|| view! { <p class="banner warn" role="alert">{t::CLE_ANNULEE()}</p> })}
                    <button type="button" class="primary" on:click=make.clone()>{t::CREER_MA_CLE()}</button>
                </section>
            }.into_any()),
            (false, true) => Some(view! {
                <p class="banner warn" role="alert" id="newcomer-passkey">{t::CLE_SEULE_IMPOSSIBLE()}</p>
            }.into_any()),
            // Before the page runs (and without JavaScript): said only where nothing runs.
            (false, false) => only.then(|| view! {
                <noscript><p class="banner warn" role="alert">{t::CLE_SEULE_IMPOSSIBLE()}</p></noscript>
            }.into_any()),
        }}
    }
}
