//! `/invitation/{token}`: the page an invitation's link opens. Who is invited, to which CPTS,
//! until when; the password to choose; then the member is logged in. A used, withdrawn or
//! expired link says so, and what to do.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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
            <h1>{t::APP_NAME}</h1>
            <Suspense fallback=|| view! { <p class="loading">{t::CHARGEMENT}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! {
                            <ActionForm action=accept attr:class="card form" attr:id="accept-form">
                                <h2>{t::BIENVENUE}</h2>
                                <p id="invitation-who">{t::invitation_intro(&p.name, &p.cpts_name)}</p>
                                <p class="meta">{t::invitation_valable(&day_hm(p.expires_at))}</p>
                                {move || errors().filter(|e| e.field_errors().is_none()).map(|e| view! { <ErrorBanner error=e/> })}
                                <input type="hidden" name="token" value=token()/>
                                <label for="email">{t::ADRESSE_E_MAIL}</label>
                                <input id="email" type="email" value=p.email.clone() autocomplete="username" readonly/>
                                <label for="password">{t::CHOISISSEZ_UN_MOT_DE_PASSE}</label>
                                <input id="password" type="password" name="password" autocomplete="new-password"
                                    minlength="10" maxlength="200" required aria-describedby="password-help"/>
                                <small id="password-help">{t::MOT_DE_PASSE_AIDE}</small>
                                {move || field_error(errors().and_then(|e| e.field_errors().cloned()), Field::Password)}
                                <button type="submit" class="primary">{t::CREER_MON_COMPTE}</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! {
                            <section class="card" id="invitation-unusable">
                                <ErrorBanner error=e/>
                                <p><a href="/connexion">{t::SE_CONNECTER}</a></p>
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
