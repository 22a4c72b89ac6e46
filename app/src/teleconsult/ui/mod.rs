//! *Téléconsultation*, the pharmacist's counter page: how many doctors of the CPTS could answer
//! now, the one-screen form (nothing to send when nobody can answer), the day's
//! teleconsultations; and a teleconsultation's page (`follow`), shared with its doctor.

mod follow;

pub use follow::FollowPage;

use leptos::prelude::*;

use crate::api::AppError;
use crate::domain::{Field, Motive};
use crate::i18n::t;
use crate::teleconsult::api::{counter, SendToDoctors};
use crate::teleconsult::dto::{CounterView, TeleconsultSummary};
use crate::teleconsult::rules::teleconsult_motive;
use crate::ui::forms::{patient_fields, red_flags_alert, red_flags_fieldset};
use crate::ui::live::use_live;
use crate::ui::widgets::{field_error, hm, Authed, ErrorBanner};

#[component]
pub fn CounterPage() -> impl IntoView {
    view! { <Authed><Counter/></Authed> }
}

#[component]
fn Counter() -> impl IntoView {
    let live = use_live();
    let send = ServerAction::<SendToDoctors>::new();
    let data = Resource::new(move || (live.version.get(), send.version().get()), |_| counter());
    view! {
        <main class="page phone">
            <h1>{t::TELECONSULTATION()}</h1>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <CounterBody v=v send=send/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn CounterBody(v: CounterView, send: ServerAction<SendToDoctors>) -> impl IntoView {
    let status = if !v.open_now {
        view! { <p class="banner warn" id="available" role="status">{t::CPTS_FERMEE_116_117()}</p> }.into_any()
    } else if v.commune.is_none() {
        view! { <p class="banner warn" id="available" role="status">{t::OFFICINE_SANS_ADRESSE()}</p> }.into_any()
    } else if v.available == 0 {
        view! {
            <div class="banner warn" id="available" role="status">
                <strong>{t::AUCUN_MEDECIN_DISPONIBLE()}</strong>
                <p>{t::ORIENTER_SANS_MEDECIN()}</p>
            </div>
        }
        .into_any()
    } else {
        view! { <p class="banner ok" id="available" role="status">{t::medecins_disponibles(v.available)}</p> }
            .into_any()
    };
    let can_send = v.open_now && v.commune.is_some() && v.available > 0;
    view! {
        {status}
        {can_send.then(|| view! { <SendForm send=send/> })}
        <h2>{t::MES_TELECONSULTATIONS()}</h2>
        {if v.today.is_empty() {
            view! { <p class="empty">{t::AUCUNE_POUR_L_INSTANT()}</p> }.into_any()
        } else {
            view! { <ul class="cases">{v.today.into_iter().map(summary_item).collect_view()}</ul> }.into_any()
        }}
    }
}

fn summary_item(s: TeleconsultSummary) -> impl IntoView {
    view! {
        <li class="card">
            <a href=format!("/teleconsultation/suivi/{}", s.id) class="card-link">
                <strong>{format!("{} · {}", hm(s.created_at), t::motive(s.motive))}</strong>
                " — " {s.patient_name} " · " {t::status(s.status)}
                {s.doctor_name.map(|d| format!(" · {d}"))}
            </a>
        </li>
    }
}

#[component]
fn SendForm(send: ServerAction<SendToDoctors>) -> impl IntoView {
    let result = move || send.value().get().and_then(Result::err);
    let errors = move || result().and_then(|e| e.field_errors().cloned());
    let fe = move |f: Field| move || field_error(errors(), f);
    let motives: Vec<Motive> = Motive::ALL.iter().copied().filter(|m| teleconsult_motive(m.code()).is_some()).collect();
    view! {
        <ActionForm action=send attr:class="card form" attr:id="teleconsult-form" attr:novalidate=true>
            {move || result().map(|e| match e {
                AppError::RedFlags(flags) => red_flags_alert(flags).into_any(),
                e => view! { <ErrorBanner error=e/> }.into_any(),
            })}
            {red_flags_fieldset()}
            <label for="motive">{t::field(Field::Motive)}</label>
            <select id="motive" name="form[motive]">
                <option value="">{t::CHOISIR()}</option>
                {motives.into_iter().map(|m| view! { <option value=m.code()>{t::motive(m)}</option> }).collect_view()}
            </select>
            {fe(Field::Motive)}
            {patient_fields(errors)}
            <label for="note">{t::field(Field::Note)} {t::FACULTATIF()}</label>
            <textarea id="note" name="form[note]" maxlength="280" rows="2"></textarea>
            {fe(Field::Note)}
            <label class="check">
                <input type="checkbox" id="consent" name="form[consent]" value="on"/>
                {t::LE_PATIENT_CONSENT()}
            </label>
            {fe(Field::Consent)}
            <button type="submit" class="primary big">{t::DEMANDER_UNE_TELECONSULTATION()}</button>
        </ActionForm>
    }
}
