//! A teleconsultation's page, live: the pharmacist sees the search, then "Dr X vous rejoint"
//! and the room's button, or that nobody accepted in time (widen once more, orient the
//! patient); the doctor sees the patient, the same button, and records what happened.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::dispatch::rules::RequestStatus;
use crate::domain::{Field, Reorientation};
use crate::i18n::t;
use crate::teleconsult::api::{teleconsultation, Orient, Outcome, Rewiden};
use crate::teleconsult::dto::TeleconsultView;
use crate::teleconsult::rules::{Conclusion, Party, RoomAccess, COUNTER_ORIENTATIONS};
use crate::ui::live::use_live;
use crate::ui::widgets::{field_error, hm, use_me, Authed, ErrorBanner};

#[component]
pub fn FollowPage() -> impl IntoView {
    view! { <Authed><Follow/></Authed> }
}

#[component]
fn Follow() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let live = use_live();
    let rewiden = ServerAction::<Rewiden>::new();
    let orient = ServerAction::<Orient>::new();
    let outcome = ServerAction::<Outcome>::new();
    let data = Resource::new(
        move || (id(), live.version.get(), rewiden.version().get(), orient.version().get(), outcome.version().get()),
        |(id, ..)| teleconsultation(id),
    );
    view! {
        <main class="page phone">
            {back_link()}
            {move || rewiden.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || orient.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <Detail v=v rewiden=rewiden orient=orient outcome=outcome/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// Back to where the member came from: the counter, the doctor's offers, the board.
fn back_link() -> impl IntoView {
    let me = use_me();
    let (href, label) = if me.profession == Some(crate::domain::Profession::Pharmacist) {
        ("/teleconsultation", t::TELECONSULTATION())
    } else if me.role == crate::domain::Role::Clinician {
        ("/offres", t::DEMANDES())
    } else {
        ("/coordination", t::DEMANDES())
    };
    view! { <p><a href=href>{label}</a></p> }
}

/// The one way into the room, the same for the pharmacist and the doctor: Relais checks who
/// taps it and until when, then redirects (`rel="external"`: a server route, not a page).
fn join_button(id: i64, room: RoomAccess) -> impl IntoView {
    match room {
        RoomAccess::Open { until } => view! {
            <a class="button primary big wide" id="join" rel="external" href=format!("/teleconsultation/{id}")>
                {t::REJOINDRE_LA_TELECONSULTATION()}
            </a>
            <p class="muted">{t::lien_valable_jusqu_a(&hm(until))}</p>
        }
        .into_any(),
        RoomAccess::Expired => view! { <p class="banner warn" id="link-expired">{t::LIEN_EXPIRE()}</p> }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn Detail(
    v: TeleconsultView,
    rewiden: ServerAction<Rewiden>,
    orient: ServerAction<Orient>,
    outcome: ServerAction<Outcome>,
) -> impl IntoView {
    let doctor = v.doctor_name.clone().unwrap_or_default();
    let pharmacist = v.party == Some(Party::Pharmacist);
    let is_doctor = v.party == Some(Party::Doctor);
    let status = match v.status {
        RequestStatus::New | RequestStatus::Pushed => t::recherche_en_cours(v.asked),
        RequestStatus::Escalated => t::AUCUN_MEDECIN_A_TEMPS().to_string(),
        RequestStatus::Accepted | RequestStatus::Booked if is_doctor => t::VOUS_AVEZ_ACCEPTE().to_string(),
        RequestStatus::Accepted | RequestStatus::Booked => t::vous_rejoint(&doctor),
        RequestStatus::Done => match v.conclusion {
            Some(c) => format!("{} — {}", t::TELECONSULTATION_FAITE(), t::conclusion(c)),
            None => t::TELECONSULTATION_FAITE().to_string(),
        },
        RequestStatus::Reoriented => {
            t::patient_oriente(v.reoriented_to.map(t::reorientation).unwrap_or(t::status(RequestStatus::Reoriented)))
        }
        other => t::status(other).to_string(),
    };
    let waiting = matches!(v.status, RequestStatus::Pushed | RequestStatus::Escalated);
    let tel = format!("tel:{}", v.callback_phone);
    view! {
        <h1>{t::TELECONSULTATION()} " · " {t::motive(v.motive)}</h1>
        <p class="status" class:ok=matches!(v.room, RoomAccess::Open { .. }) id="tc-status" role="status">{status}</p>
        {join_button(v.id, v.room)}
        {(pharmacist && v.nobody_in_time).then(|| view! { <p class="muted">{t::QUE_FAIRE_SANS_MEDECIN()}</p> })}
        {(pharmacist && v.can_rewiden).then(|| view! {
            <ActionForm action=rewiden attr:class="inline" attr:id="rewiden-form">
                <input type="hidden" name="request_id" value=v.id.to_string()/>
                <button type="submit" class="primary">{t::RELANCER_TOUS_LES_MEDECINS()}</button>
            </ActionForm>
        })}
        {(pharmacist && waiting).then(|| view! { <OrientForm id=v.id action=orient/> })}
        <dl class="facts">
            <dt>{t::PATIENT()}</dt><dd>{v.patient_name.clone()} " · " {t::age_band(v.age_band)}</dd>
            <dt>{t::field(Field::CallbackPhone)}</dt><dd><a href=tel>{v.callback_phone.clone()}</a></dd>
            <dt>{t::PHARMACIE()}</dt><dd>{v.pharmacist_name.clone()} " · " {v.pharmacy_commune.clone()}</dd>
            {v.doctor_name.clone().map(|d| view! { <dt>{t::MEDECIN()}</dt><dd id="tc-doctor">{d}</dd> })}
            {v.accepted_at.map(|a| view! { <dt>{t::ACCEPTEE_A()}</dt><dd>{hm(a)}</dd> })}
        </dl>
        {(!v.note.is_empty()).then(|| view! { <p class="muted">{v.note.clone()}</p> })}
        {(is_doctor && !v.status.is_closed()).then(|| view! { <OutcomeForm id=v.id version=v.version action=outcome/> })}
    }
}

#[component]
fn OrientForm(id: i64, action: ServerAction<Orient>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="card form" attr:id="orient-form">
            <h2>{t::ORIENTER_LE_PATIENT()}</h2>
            <input type="hidden" name="request_id" value=id.to_string()/>
            <div class="actions">
                {COUNTER_ORIENTATIONS.iter().map(|r| view! {
                    <button type="submit" name="reoriented_to" value=r.code()>{t::reorientation(*r)}</button>
                }).collect_view()}
            </div>
        </ActionForm>
    }
}

#[component]
fn OutcomeForm(id: i64, version: i64, action: ServerAction<Outcome>) -> impl IntoView {
    let result = move || action.value().get().and_then(Result::err);
    let errors = move || result().and_then(|e| e.field_errors().cloned());
    view! {
        <ActionForm action=action attr:class="card form" attr:id="tc-outcome-form" attr:novalidate=true>
            <h2>{t::CE_QUI_S_EST_PASSE()}</h2>
            {move || result().map(|e| view! { <ErrorBanner error=e/> })}
            <input type="hidden" name="request_id" value=id.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <label for="conclusion">{t::field(Field::Conclusion)}</label>
            <select id="conclusion" name="conclusion">
                <option value="">{t::CHOISIR()}</option>
                {Conclusion::ALL.iter().map(|c| view! { <option value=c.code()>{t::conclusion(*c)}</option> }).collect_view()}
            </select>
            {move || field_error(errors(), Field::Conclusion)}
            <button type="submit" class="primary" name="outcome" value="done">{t::TELECONSULTATION_FAITE()}</button>
            <button type="submit" name="outcome" value="no_show">{t::status(RequestStatus::NoShow)}</button>
            <label for="reoriented_to">{t::field(Field::Reorientation)}</label>
            <select id="reoriented_to" name="reoriented_to">
                <option value="">{t::CHOISIR()}</option>
                {Reorientation::ALL.iter().map(|r| view! { <option value=r.code()>{t::reorientation(*r)}</option> }).collect_view()}
            </select>
            {move || field_error(errors(), Field::Reorientation)}
            <button type="submit" name="outcome" value="reoriented">{t::REORIENTER()}</button>
        </ActionForm>
    }
}
