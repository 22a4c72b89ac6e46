//! *Adresser une urgence dentaire*: the grid (signs of a medical emergency first), then the
//! patient; it goes to the dentist of the day.

use leptos::prelude::*;

use crate::api::AppError;
use crate::dental::api::{refer_form, Refer};
use crate::dental::rules::{Criterion, CriterionKind};
use crate::domain::Field;
use crate::i18n::t;
use crate::ui::forms::patient_fields;
use crate::ui::widgets::{day_hm, field_error, Authed, ErrorBanner};

#[component]
pub fn ReferPage() -> impl IntoView {
    view! { <Authed><ReferForm/></Authed> }
}

fn criteria_of(criteria: &[Criterion], kind: CriterionKind, offset: usize) -> impl IntoView {
    criteria
        .iter()
        .filter(|c| c.kind == kind)
        .enumerate()
        .map(|(i, c)| {
            let id = format!("criterion-{}", c.id);
            view! {
                <label class="check">
                    <input type="checkbox" id=id name=format!("form[criteria][{}]", offset + i) value=c.id.to_string()/>
                    {c.label.clone()}
                </label>
            }
        })
        .collect_view()
}

#[component]
fn ReferForm() -> impl IntoView {
    let refer = ServerAction::<Refer>::new();
    let data = Resource::new(|| (), |_| refer_form());
    let result = move || refer.value().get().and_then(Result::err);
    let errors = move || result().and_then(|e| e.field_errors().cloned());
    let fe = move |f: Field| move || field_error(errors(), f);
    view! {
        <main class="page phone">
            <h1>{t::ADRESSER_UNE_URGENCE_DENTAIRE()}</h1>
            <Suspense fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorBanner error=e/> }.into_any(),
                    };
                    let c = data.criteria.clone();
                    // One running index across the fieldsets: `form[criteria][i]`.
                    let count = |k: CriterionKind| c.iter().filter(|x| x.kind == k).count();
                    let after_exclusions = count(CriterionKind::Exclusion);
                    let after_inclusions = after_exclusions + count(CriterionKind::Inclusion);
                    let after_conditions = after_inclusions + count(CriterionKind::Condition);
                    view! {
                        {match data.next_dentist.clone() {
                            Some((name, from)) => view! { <p class="banner ok" id="next-dentist">{t::sera_vu_par(&name, &day_hm(from))}</p> }.into_any(),
                            None => view! { <p class="banner warn" id="next-dentist">{t::ERR_NO_DENTIST()}</p> }.into_any(),
                        }}
                        <ActionForm action=refer attr:class="card form" attr:novalidate=true>
                            {move || result().map(|e| match e {
                                AppError::CallThe15(signs) => view! {
                                    <div class="banner redflag" role="alert">
                                        <strong>{t::ERR_DENTAL_CALL_15()}</strong>
                                        <ul>{signs.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                                        <a class="button danger" href="tel:15">{t::APPELER_LE_15()}</a>
                                    </div>
                                }.into_any(),
                                e => view! { <ErrorBanner error=e/> }.into_any(),
                            })}
                            <fieldset class="redflags">
                                <legend>{t::SIGNES_DE_GRAVITE_DENTAIRES()}</legend>
                                {criteria_of(&c, CriterionKind::Exclusion, 0)}
                            </fieldset>
                            <fieldset>
                                <legend>{t::CRITERES_D_INCLUSION()}</legend>
                                {criteria_of(&c, CriterionKind::Inclusion, after_exclusions)}
                            </fieldset>
                            <fieldset>
                                <legend>{t::CONDITIONS()}</legend>
                                {criteria_of(&c, CriterionKind::Condition, after_inclusions)}
                            </fieldset>
                            <fieldset>
                                <legend>{t::SANS_URGENCE()}</legend>
                                {criteria_of(&c, CriterionKind::NotUrgent, after_conditions)}
                            </fieldset>
                            {fe(Field::Criteria)}
                            {patient_fields(errors)}
                            <label for="commune">{t::field(Field::Commune)}</label>
                            <select id="commune" name="form[commune]">
                                <option value="">{t::CHOISIR()}</option>
                                {data.communes.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                            </select>
                            {fe(Field::Commune)}
                            <label for="note">{t::field(Field::Note)} {t::FACULTATIF()}</label>
                            <textarea id="note" name="form[note]" maxlength="280" rows="2"></textarea>
                            {fe(Field::Note)}
                            <button type="submit" class="primary">{t::ADRESSER()}</button>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </main>
    }
}
