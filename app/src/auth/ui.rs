//! Login and the home page that sends each role to its screen.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::auth::api::{login_info, whoami, Login};
use crate::domain::Role;
use crate::i18n::t;
use crate::ui::widgets::ErrorBanner;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let data = Resource::new(|| (), |_| login_info());
    let error = move || login.value().get().and_then(Result::err);
    view! {
        <main class="page narrow">
            <h1>{t::APP_NAME}</h1>
            <p class="tagline">{t::TAGLINE}</p>
            <ActionForm action=login attr:class="card form">
                <h2>{t::CONNEXION}</h2>
                {move || error().map(|e| view! { <ErrorBanner error=e/> })}
                <label for="email">{t::ADRESSE_E_MAIL}</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
                <label for="password">{t::MOT_DE_PASSE}</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
                <button type="submit" class="primary">{t::SE_CONNECTER}</button>
            </ActionForm>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    data.await.ok().filter(|d| !d.demo_accounts.is_empty()).map(|d| view! {
                        <section class="card demo">
                            <h2>{t::COMPTES_DE_DEMONSTRATION}</h2>
                            <p>{t::MOT_DE_PASSE_2} <code>{d.demo_password.clone().unwrap_or_default()}</code></p>
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
