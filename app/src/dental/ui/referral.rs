//! A referral's page: for its referrer (the answer arrives live), its dentist (propose a
//! solution, then record what happened) and the coordination (hand it to another dentist).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::dental::api::{referral, Answer, Outcome, Reassign};
use crate::dental::dto::ReferralDetail;
use crate::dental::rules::{DentalOutcome, DentalReorientation, ReferralStatus, SolutionKind};
use crate::domain::Field;
use crate::i18n::t;
use crate::ui::live::use_live;
use crate::ui::widgets::{day_hm, field_error, Authed, ErrorBanner};

#[component]
pub fn ReferralPage() -> impl IntoView {
    view! { <Authed><Referral/></Authed> }
}

#[component]
fn Referral() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let live = use_live();
    let answer = ServerAction::<Answer>::new();
    let outcome = ServerAction::<Outcome>::new();
    let reassign = ServerAction::<Reassign>::new();
    let data = Resource::new(
        move || (id(), live.version.get(), answer.version().get(), outcome.version().get(), reassign.version().get()),
        |(id, ..)| referral(id),
    );
    view! {
        <main class="page phone">
            <p><a href="/dentaire">{t::URGENCES_DENTAIRES()}</a></p>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Detail d=d answer=answer outcome=outcome reassign=reassign/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn Detail(
    d: ReferralDetail,
    answer: ServerAction<Answer>,
    outcome: ServerAction<Outcome>,
    reassign: ServerAction<Reassign>,
) -> impl IntoView {
    let s = d.summary.clone();
    let waiting = s.status == ReferralStatus::Waiting;
    let answered = s.status == ReferralStatus::Answered;
    view! {
        <h1>{t::URGENCE_DENTAIRE()} " · " {t::age_band(s.age_band)} " · " {s.commune.clone()}</h1>
        <p class="status" id="referral-status">{t::referral_status(s.status)}</p>
        {s.overdue.then(|| view! { <p class="banner warn" role="status">{t::DELAI_DE_24_H_DEPASSE()}</p> })}
        <dl class="facts">
            <dt>{t::ADRESSE_PAR()}</dt><dd>{s.referrer_name.clone()}{s.referrer_profession.map(|p| format!(" ({})", t::profession(p)))}</dd>
            <dt>{t::CHIRURGIEN_DENTISTE()}</dt><dd id="referral-dentist">{s.dentist_name.clone()}</dd>
            <dt>{t::A_TRAITER_AVANT()}</dt><dd>{day_hm(s.due_at)}</dd>
        </dl>
        <h2>{t::GRILLE()}</h2>
        <ul>{d.criteria.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
        {d.patient.clone().map(|p| {
            let tel = format!("tel:{}", p.callback_phone);
            let shown = crate::domain::phone::shown(&p.callback_phone);
            view! {
                <h2>{t::PATIENT()}</h2>
                <p><strong>{p.name}</strong></p>
                <p><a class="button" href=tel>{shown}</a></p>
                {(!p.note.is_empty()).then(|| view! { <p class="muted">{p.note.clone()}</p> })}
            }
        })}
        {d.solution.clone().map(|sol| view! {
            <section class="card ok" id="solution">
                <h2>{t::SOLUTION_PROPOSEE()}</h2>
                <p><strong>{t::solution_kind(sol.kind)}</strong></p>
                {sol.appointment_at.map(|at| view! { <p>{t::rendez_vous_le(&day_hm(at))} " — " {sol.place.clone()}</p> })}
                {sol.reoriented_to.map(|r| view! { <p>{t::dental_reorientation(r)}</p> })}
                {(!sol.note.is_empty()).then(|| view! { <p class="muted">{sol.note.clone()}</p> })}
            </section>
        })}
        {d.outcome.map(|o| view! { <p class="status ok" id="referral-outcome">{t::dental_outcome(o)}</p> })}
        {(d.can_answer && waiting).then(|| view! { <AnswerForm id=s.id version=d.version action=answer/> })}
        {(d.can_answer && answered).then(|| view! { <OutcomeForm id=s.id version=d.version action=outcome/> })}
        {(!d.reassign_to.is_empty()).then(|| {
            let to = d.reassign_to.clone();
            view! { <ReassignForm id=s.id version=d.version to=to action=reassign/> }
        })}
        <h2>{t::HISTORIQUE()}</h2>
        <ol class="timeline">
            {d.timeline.iter().map(|e| view! {
                <li>{day_hm(e.at)} " — " {t::dental_event(&e.kind)} {e.actor.clone().map(|a| format!(" ({a})"))}</li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn AnswerForm(id: i64, version: i64, action: ServerAction<Answer>) -> impl IntoView {
    let result = move || action.value().get().and_then(Result::err);
    let errors = move || result().and_then(|e| e.field_errors().cloned());
    let fe = move |f: Field| move || field_error(errors(), f);
    view! {
        <ActionForm action=action attr:class="card form" attr:id="answer-form" attr:novalidate=true>
            <h2>{t::PROPOSER_UNE_SOLUTION()}</h2>
            {move || result().map(|e| view! { <ErrorBanner error=e/> })}
            <input type="hidden" name="referral_id" value=id.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <fieldset>
                {SolutionKind::ALL.iter().map(|k| view! {
                    <label class="check">
                        <input type="radio" name="form[solution]" value=k.code() checked=*k == SolutionKind::Appointment/>
                        {t::solution_kind(*k)}
                    </label>
                }).collect_view()}
            </fieldset>
            {fe(Field::Solution)}
            <label for="appointment_at">{t::field(Field::AppointmentAt)}</label>
            <input id="appointment_at" name="form[appointment_at]" type="datetime-local"/>
            {fe(Field::AppointmentAt)}
            <label for="place">{t::field(Field::Place)}</label>
            <input id="place" name="form[place]" maxlength="120" placeholder=t::EX_LIEU()/>
            {fe(Field::Place)}
            <label for="reorientation">{t::field(Field::Reorientation)}</label>
            <select id="reorientation" name="form[reorientation]">
                <option value="">{t::CHOISIR()}</option>
                {DentalReorientation::ALL.iter().map(|r| view! { <option value=r.code()>{t::dental_reorientation(*r)}</option> }).collect_view()}
            </select>
            {fe(Field::Reorientation)}
            <label for="solution-note">{t::field(Field::Note)} {t::FACULTATIF()}</label>
            <textarea id="solution-note" name="form[note]" maxlength="280" rows="2"></textarea>
            {fe(Field::Note)}
            <button type="submit" class="primary">{t::ENVOYER_LA_SOLUTION()}</button>
        </ActionForm>
    }
}

#[component]
fn OutcomeForm(id: i64, version: i64, action: ServerAction<Outcome>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="card form" attr:id="outcome-form">
            <h2>{t::CE_QUI_S_EST_PASSE()}</h2>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <input type="hidden" name="referral_id" value=id.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <div class="actions">
                {DentalOutcome::ALL.iter().map(|o| view! {
                    <button type="submit" name="outcome" value=o.code()>{t::dental_outcome(*o)}</button>
                }).collect_view()}
            </div>
        </ActionForm>
    }
}

#[component]
fn ReassignForm(id: i64, version: i64, to: Vec<(i64, String)>, action: ServerAction<Reassign>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="card form" attr:id="reassign-form">
            <h2>{t::CONFIER_A_UN_AUTRE_DENTISTE()}</h2>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <input type="hidden" name="referral_id" value=id.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <label for="dentist">{t::field(Field::Dentist)}</label>
            <select id="dentist" name="dentist_id">
                {to.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
            </select>
            <button type="submit">{t::CONFIER()}</button>
        </ActionForm>
    }
}
