//! *Interface SAS* (admins): the address to give the SAS's platform, the CPTS's FINESS, the API
//! clients (a token issued and shown once, revoked in one tap), the regulators the SAS sent, and
//! how many appointments it booked lately.

use leptos::prelude::*;

use crate::domain::Field;
use crate::i18n::t;
use crate::slots::api::{sas_overview, IssueClient, RevokeClient, SetFiness};
use crate::slots::dto::SasPage;
use crate::ui::widgets::{day_hm, field_error, Authed, ErrorBanner};

#[component]
pub fn SasAdminPage() -> impl IntoView {
    view! { <Authed><SasAdmin/></Authed> }
}

#[component]
fn SasAdmin() -> impl IntoView {
    let finess = ServerAction::<SetFiness>::new();
    let issue = ServerAction::<IssueClient>::new();
    let issued = crate::ui::widgets::posted::<IssueClient>();
    let revoke = ServerAction::<RevokeClient>::new();
    let data = Resource::new(
        move || (finess.version().get(), issue.version().get(), revoke.version().get()),
        |_| sas_overview(),
    );
    view! {
        <main class="page">
            <h1>{t::INTERFACE_SAS()}</h1>
            <p class="meta">{t::SAS_INTRO()}</p>
            {move || revoke.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || issue.value().get().and_then(Result::ok).or_else(|| issued.clone()).map(|c| view! {
                <div class="banner ok" role="status" id="issued-token">
                    <p><strong>{c.name}</strong></p>
                    <p><code class="token">{c.token}</code></p>
                    <p>{t::JETON_UNE_FOIS()}</p>
                </div>
            })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <Body p=p finess=finess issue=issue revoke=revoke/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn Body(
    p: SasPage,
    finess: ServerAction<SetFiness>,
    issue: ServerAction<IssueClient>,
    revoke: ServerAction<RevokeClient>,
) -> impl IntoView {
    let finess_errors = move || finess.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let issue_errors = move || issue.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let no_finess = p.finess.is_empty();
    view! {
        <section class="card">
            <p>{t::ADRESSE_FHIR()}</p>
            <p><code id="fhir-base">{p.fhir_base.clone()}</code></p>
            <p class="meta" id="sas-count">{t::sas_reservations(p.days, p.sas_booked, p.sas_standing)}</p>
        </section>
        <ActionForm action=finess attr:class="card" attr:id="finess-form">
            <label>
                {t::field(Field::Finess)}
                <input name="finess" value=p.finess.clone() inputmode="numeric" maxlength="11" autocomplete="off"/>
            </label>
            {move || field_error(finess_errors(), Field::Finess)}
            {no_finess.then(|| view! { <p class="status warn">{t::FINESS_ABSENT()}</p> })}
            <button type="submit">{t::ENREGISTRER()}</button>
        </ActionForm>
        <h2>{t::ACCES_API()}</h2>
        <ActionForm action=issue attr:class="card" attr:id="issue-form">
            <label>
                {t::NOM_DE_L_ACCES()}
                <input name="name" required maxlength="80" autocomplete="off"/>
            </label>
            {move || field_error(issue_errors(), Field::Name)}
            <button type="submit">{t::CREER_UN_ACCES()}</button>
        </ActionForm>
        {if p.clients.is_empty() {
            view! { <p class="empty">{t::AUCUN_ACCES()}</p> }.into_any()
        } else {
            view! {
                <ul class="cases" id="clients">
                    {p.clients.into_iter().map(|c| {
                        let used = c.last_used_at.map(day_hm);
                        view! {
                            <li class="card" data-client-id=c.id>
                                <strong>{c.name}</strong>
                                <p class="meta">{t::cree_le(&day_hm(c.created_at), used.as_deref())}</p>
                                {if c.revoked {
                                    view! { <p class="status">{t::REVOQUE()}</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=revoke attr:class="inline">
                                            <input type="hidden" name="client_id" value=c.id.to_string()/>
                                            <button type="submit">{t::REVOQUER()}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{t::REGULATEURS()}</h2>
        {if p.regulators.is_empty() {
            view! { <p class="empty">{t::AUCUN_REGULATEUR()}</p> }.into_any()
        } else {
            view! {
                <ul class="cases" id="regulators">
                    {p.regulators.into_iter().map(|r| view! {
                        <li class="card">
                            <strong>{r.name}</strong>
                            <p class="meta">{format!("{} · {}", r.identifier, if r.active { t::ACTIF() } else { t::DESACTIVE() })}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
