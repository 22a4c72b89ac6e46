//! Login (password or passkey), the home page that sends each role to its screen, and the
//! member's passkeys on *Réglages*.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::auth::api::{login_info, passkeys, whoami, Login, PasskeyRemove};
use crate::domain::Role;
use crate::i18n::t;
use crate::ui::widgets::{day_hm, ErrorBanner};

/// What a passkey button says after a tap.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Refused(AppError),
    Cancelled(&'static str),
    Done(&'static str),
}

fn outcome_view(o: Option<Outcome>) -> impl IntoView {
    o.map(|o| match o {
        Outcome::Refused(e) => view! { <ErrorBanner error=e/> }.into_any(),
        Outcome::Cancelled(m) => view! { <p class="banner warn" role="alert">{m}</p> }.into_any(),
        Outcome::Done(m) => view! { <p class="banner ok" role="status">{m}</p> }.into_any(),
    })
}

/// *Se connecter avec une clé d'accès*: drawn by the server, so that nothing below it moves
/// when the page starts to run; hidden by the style sheet where scripts do not run
/// (`.needs-script`), and by the page where the browser cannot make passkeys. An island, the
/// only part of the login page the browser wakes.
#[island]
fn PasskeyLogin() -> impl IntoView {
    crate::ui::widgets::island_awake();
    let supported = RwSignal::new(true);
    let outcome = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        supported.set(crate::auth::webauthn::supported());
    });
    let login = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::auth::api::{passkey_login_finish, passkey_login_start};
            let c = match passkey_login_start().await {
                Ok(c) => c,
                Err(e) => return outcome.set(Some(Outcome::Refused(e))),
            };
            let Ok(credential) = crate::auth::webauthn::sign(&c.options).await else {
                return outcome.set(Some(Outcome::Cancelled(t::CONNEXION_CLE_ANNULEE())));
            };
            match passkey_login_finish(c.token, credential).await {
                Ok(()) => crate::ui::widgets::go_to("/"),
                Err(e) => outcome.set(Some(Outcome::Refused(e))),
            }
        });
    };
    view! {
        {move || supported.get().then(|| view! {
            <section class="card form needs-script" id="passkey-login">
                {move || outcome_view(outcome.get())}
                <button type="button" class="primary" on:click=login>{t::SE_CONNECTER_AVEC_UNE_CLE()}</button>
            </section>
        })}
    }
}

/// The member's passkeys on *Réglages*: listed and removed (drawn by the server), added from
/// this device ([`AddPasskey`]).
#[component]
pub fn PasskeysCard() -> impl IntoView {
    let remove = ServerAction::<PasskeyRemove>::new();
    let list = Resource::new(move || remove.version().get(), |_| passkeys());
    // Back on the page after adding one (`?cle=ajoutee`).
    let just_added = leptos_router::hooks::use_query_map().read_untracked().get("cle").is_some();
    view! {
        <section class="card" aria-labelledby="passkeys-title" id="passkeys">
            <h2 id="passkeys-title">{t::CLES_D_ACCES()}</h2>
            <p class="meta">{t::CLES_AIDE()}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(keys) if keys.is_empty() => view! { <p class="empty" id="no-passkeys">{t::AUCUNE_CLE()}</p> }.into_any(),
                        Ok(keys) => view! {
                            <ul class="devices" id="passkey-list">
                                {keys.into_iter().map(|k| view! {
                                    <li class="card device">
                                        <strong>{k.label.clone()}</strong>
                                        <small>{format!(" · {}", t::cle_creee(&day_hm(k.created_at), k.last_used_at.map(day_hm).as_deref()))}</small>
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="id" value=k.id/>
                                            <button type="submit" class="link">{t::RETIRER()}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <AddPasskey just_added/>
        </section>
    }
}

/// Adds a passkey made on this device, named after it (an island). Once added, the page is drawn
/// again saying so (`?cle=ajoutee`), its list with the new key.
#[island(lazy)]
fn AddPasskey(just_added: bool) -> impl IntoView {
    crate::ui::widgets::island_awake();
    let supported = RwSignal::new(false);
    let outcome = RwSignal::new(just_added.then(|| Outcome::Done(t::CLE_AJOUTEE())));
    let label = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            supported.set(crate::auth::webauthn::supported());
            label.set(crate::push::device_label());
        }
    });
    let add = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::auth::api::{passkey_register_finish, passkey_register_start};
            let c = match passkey_register_start().await {
                Ok(c) => c,
                Err(e) => return outcome.set(Some(Outcome::Refused(e))),
            };
            let Ok(credential) = crate::auth::webauthn::create(&c.options).await else {
                return outcome.set(Some(Outcome::Cancelled(t::CLE_ANNULEE())));
            };
            match passkey_register_finish(c.token, credential, label.get_untracked()).await {
                Ok(_) => {
                    outcome.set(Some(Outcome::Done(t::CLE_AJOUTEE())));
                    crate::ui::widgets::go_to("/reglages?cle=ajoutee#passkeys");
                }
                Err(e) => outcome.set(Some(Outcome::Refused(e))),
            }
        });
    };
    view! {
        {move || outcome_view(outcome.get())}
        {move || if supported.get() {
            view! {
                <div class="form">
                    <label for="passkey-label">{t::NOM_DE_LA_CLE()}</label>
                    <input id="passkey-label" maxlength="60" prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev))/>
                    <button type="button" on:click=add>{t::AJOUTER_UNE_CLE()}</button>
                </div>
            }.into_any()
        } else {
            view! { <p class="meta">{t::CLES_NON_DISPONIBLES()}</p> }.into_any()
        }}
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let data = Resource::new(|| (), |_| login_info());
    let error = move || login.value().get().and_then(Result::err);
    let query = leptos_router::hooks::use_query_map();
    // Back from Pro Santé Connect without a session: why.
    let psc_failure = move || query.read().get("psc").and_then(|c| t::psc_failure(&c));
    view! {
        <main class="page narrow">
            <h1>{t::APP_NAME()}</h1>
            <p class="tagline">{t::TAGLINE()}</p>
            {move || psc_failure().map(|m| view! { <p class="banner warn" role="alert" id="psc-failure">{m}</p> })}
            <ActionForm action=login attr:class="card form">
                <h2>{t::CONNEXION()}</h2>
                {move || error().map(|e| view! { <ErrorBanner error=e/> })}
                <label for="email">{t::ADRESSE_E_MAIL()}</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
                <label for="password">{t::MOT_DE_PASSE()}</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
                <button type="submit" class="primary">{t::SE_CONNECTER()}</button>
            </ActionForm>
            <PasskeyLogin/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    data.await.ok().filter(|d| d.psc).map(|_| view! {
                        <section class="card form" id="psc-login">
                            // A full page load: the router does not handle this way out.
                            <a class="button primary" href="/auth/psc" rel="external">{t::SE_CONNECTER_AVEC_PSC()}</a>
                            <small>{t::PSC_AIDE()}</small>
                        </section>
                    })
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    data.await.ok().filter(|d| !d.demo_accounts.is_empty()).map(|d| view! {
                        <section class="card demo">
                            <h2>{t::COMPTES_DE_DEMONSTRATION()}</h2>
                            <p>{t::MOT_DE_PASSE_2()} <code>{d.demo_password.clone().unwrap_or_default()}</code></p>
                            <ul>
                                {d.demo_accounts.into_iter().map(|a| view! {
                                    <li>
                                        <code>{a.email}</code>
                                        " — " {a.display_name} " ("
                                        {a.profession.map(t::profession).unwrap_or_else(|| t::role(a.role))} ")"
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })}
            </Suspense>
        </main>
    }
}

/// `/`: the login page for strangers, the inbox for clinicians, the board for the coordination.
#[component]
pub fn HomePage() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let to = match me.await {
                    // At the counter, the pharmacist's screen is the teleconsultation.
                    Ok(Some(m)) if m.profession == Some(crate::domain::Profession::Pharmacist) => "/teleconsultation",
                    Ok(Some(m)) if m.role == Role::Clinician => "/offres",
                    Ok(Some(_)) => "/coordination",
                    _ => "/connexion",
                };
                view! { <Redirect path=to/> }
            })}
        </Suspense>
    }
}
