//! The admin's grid: its criteria (add, remove) and which professions may refer.

use leptos::prelude::*;

use crate::dental::api::{grid, GridAdd, GridRemove, Referrers};
use crate::dental::rules::CriterionKind;
use crate::domain::{Field, Profession};
use crate::i18n::t;
use crate::ui::widgets::{field_error, Authed, ErrorBanner};

#[component]
pub fn GridPage() -> impl IntoView {
    view! { <Authed><Grid/></Authed> }
}

#[component]
fn Grid() -> impl IntoView {
    let add = ServerAction::<GridAdd>::new();
    let remove = ServerAction::<GridRemove>::new();
    let referrers = ServerAction::<Referrers>::new();
    let data =
        Resource::new(move || (add.version().get(), remove.version().get(), referrers.version().get()), |_| grid());
    let add_errors = move || add.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    view! {
        <main class="page">
            <h1>{t::GRILLE_D_INCLUSION_DENTAIRE()}</h1>
            {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || referrers.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <ul class="cards" id="grid">
                                {d.criteria.into_iter().map(|c| view! {
                                    <li class="card">
                                        <span class="status">{t::criterion_kind(c.kind)}</span>
                                        " " {c.label.clone()}
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="criterion_id" value=c.id.to_string()/>
                                            <button type="submit" class="link">{t::RETIRER()}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <ActionForm action=referrers attr:class="card form">
                                <h2>{t::QUI_PEUT_ADRESSER()}</h2>
                                {Profession::ALL.iter().enumerate().map(|(i, p)| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("professions[{i}]") value=p.code()
                                            checked=d.referrer_professions.contains(p)/>
                                        {t::profession(*p)}
                                    </label>
                                }).collect_view()}
                                <button type="submit">{t::ENREGISTRER()}</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=add attr:class="card form" attr:novalidate=true>
                <h2>{t::AJOUTER_UN_CRITERE()}</h2>
                <label for="label">{t::field(Field::Label)}</label>
                <input id="label" name="label" maxlength="160"/>
                {move || field_error(add_errors(), Field::Label)}
                <label for="kind">{t::field(Field::Kind)}</label>
                <select id="kind" name="kind">
                    {CriterionKind::ALL.iter().map(|k| view! { <option value=k.code()>{t::criterion_kind(*k)}</option> }).collect_view()}
                </select>
                {move || field_error(add_errors(), Field::Kind)}
                <label class="check"><input type="checkbox" name="immediate" value="on"/>{t::A_PRENDRE_TOUT_DE_SUITE()}</label>
                <button type="submit" class="primary">{t::AJOUTER()}</button>
            </ActionForm>
        </main>
    }
}
