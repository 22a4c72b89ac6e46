//! The coordination's screens: the live board, the qualification form, and a request's page
//! (also the page of the clinician who accepted it).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::AppError;
use crate::dental::OverdueDentalBanner;
use crate::dispatch::api::{board, get_request, request_form_choices, CreateRequest, PushRequest, RecordOutcome};
use crate::dispatch::dto::*;
use crate::dispatch::rules::{OfferState, RequestStatus};
use crate::domain::Field;
use crate::domain::*;
use crate::i18n::t;
use crate::offline::Deferrable;
use crate::ui::forms::{patient_fields, red_flags_alert, red_flags_fieldset};
use crate::ui::live::use_live;
use crate::ui::widgets::{day_hm, field_error, hm, use_me, Authed, ErrorBanner};

#[component]
pub fn BoardPage() -> impl IntoView {
    view! { <Authed><Board/></Authed> }
}

#[component]
fn Board() -> impl IntoView {
    let live = use_live();
    let items = Resource::new(move || live.version.get(), |_| board());
    view! {
        <main class="page">
            <div class="page-head">
                <h1>{t::DEMANDES_DU_JOUR()}</h1>
                <a class="button primary" href="/coordination/nouvelle">{t::NOUVELLE_DEMANDE()}</a>
            </div>
            <OverdueDentalBanner/>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">{t::AUCUNE_DEMANDE_EN_COURS()}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="board" aria-label=t::DEMANDES()>
                                {items.into_iter().map(|i| view! { <BoardCard item=i/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

fn status_class(s: RequestStatus) -> &'static str {
    match s {
        RequestStatus::Escalated => "status warn",
        RequestStatus::Accepted | RequestStatus::Booked | RequestStatus::Done => "status ok",
        RequestStatus::Cancelled | RequestStatus::NoShow | RequestStatus::Reoriented => "status closed",
        _ => "status",
    }
}

#[component]
fn BoardCard(item: BoardItem) -> impl IntoView {
    let r = item.request;
    let patient = r.patient.clone().map(|p| p.name).unwrap_or_default();
    view! {
        <li class="card request" data-request-id=r.id>
            <a href=format!("/demandes/{}", r.id) class="card-link">
                <div class="row">
                    <strong>{format!("#{} · {}", r.id, t::motive(r.motive))}</strong>
                    <span class=status_class(r.status) data-status=r.status.code()>{t::status(r.status)}</span>
                </div>
                <div class="meta">
                    {format!("{} · {} · {} · {}", patient, t::age_band(r.age_band), r.commune, t::deadline(r.deadline))}
                </div>
                {r.accepted_by_name.clone().map(|n| view! { <div class="winner">{t::PRISE_EN_CHARGE()} <strong>{n}</strong></div> })}
                {r.escalation.clone().map(|e| view! { <div class="alert-line">{t::escalation(&e)} {t::A_REORIENTER()}</div> })}
            </a>
            <OfferChips offers=item.offers/>
        </li>
    }
}

#[component]
fn OfferChips(offers: Vec<OfferView>) -> impl IntoView {
    (!offers.is_empty()).then(|| {
        view! {
            <ul class="chips" aria-label=t::PROPOSITIONS()>
                {offers.into_iter().map(|o| {
                    let class = format!("chip {}", o.state.code());
                    let reason = o.refusal_reason.as_deref().and_then(RefusalReason::parse).map(|r| format!(" ({})", t::refusal_reason(r)));
                    view! {
                        <li class=class data-member=o.member_name.clone() data-state=o.state.code()>
                            {o.member_name.clone()} " · " {t::offer_state(o.state)} {reason}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
pub fn NewRequestPage() -> impl IntoView {
    view! { <Authed><NewRequestForm/></Authed> }
}

#[component]
fn NewRequestForm() -> impl IntoView {
    let create = ServerAction::<CreateRequest>::new();
    let data = Resource::new(|| (), |_| request_form_choices());
    let result = move || create.value().get().and_then(Result::err);
    let errors = move || result().and_then(|e| e.field_errors().cloned());
    let fe = move |f: Field| move || field_error(errors(), f);
    let select = |name: &'static str, id: &'static str, options: Vec<(String, String)>| {
        view! {
            <select id=id name=name required>
                <option value="">{t::CHOISIR()}</option>
                {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <main class="page">
            <h1>{t::NOUVELLE_DEMANDE_DE_SOINS_NON()}</h1>
            <Suspense fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorBanner error=e/> }.into_any(),
                    };
                    view! {
                        {(!data.open_now).then(|| view! { <p class="banner warn">{t::ERR_OUTSIDE_HOURS()}</p> })}
                        <ActionForm action=create attr:class="card form" attr:novalidate=true>
                            {move || result().map(|e| match e {
                                AppError::RedFlags(flags) => red_flags_alert(flags).into_any(),
                                e => view! { <ErrorBanner error=e/> }.into_any(),
                            })}
                            {red_flags_fieldset()}
                            <label for="motive">{t::field(Field::Motive)}</label>
                            {select("form[motive]", "motive", Motive::ALL.iter().map(|m| (m.code().to_string(), t::motive(*m).to_string())).collect())}
                            {fe(Field::Motive)}
                            <label for="profession">{t::field(Field::Profession)}</label>
                            {select("form[profession]", "profession", Profession::ALL.iter().map(|p| (p.code().to_string(), t::profession(*p).to_string())).collect())}
                            {fe(Field::Profession)}
                            {patient_fields(errors)}
                            <label for="commune">{t::field(Field::Commune)}</label>
                            {select("form[commune]", "commune", data.communes.iter().map(|c| (c.clone(), c.clone())).collect())}
                            {fe(Field::Commune)}
                            <label class="check">
                                <input type="checkbox" name="form[teleconsult_ok]" value="on"/>
                                {t::TELECONSULTATION_ACCEPTEE_PAR_LE_PATIENT()}
                            </label>
                            <label for="deadline">{t::field(Field::Deadline)}</label>
                            {select("form[deadline]", "deadline", Deadline::ALL.iter().map(|d| (d.code().to_string(), t::deadline(*d).to_string())).collect())}
                            {fe(Field::Deadline)}
                            <label for="source">{t::field(Field::Source)}</label>
                            {select("form[source]", "source", Source::ALL.iter().map(|s| (s.code().to_string(), t::source(*s).to_string())).collect())}
                            {fe(Field::Source)}
                            <label for="treating">{t::field(Field::TreatingMemberId)} {t::FACULTATIF_SI_MEMBRE()}</label>
                            <select id="treating" name="form[treating_member_id]">
                                <option value="">{t::AUCUN_NON_MEMBRE()}</option>
                                {data.clinicians.iter().map(|(id, name, p)| view! { <option value=id.to_string()>{format!("{name} — {}", t::profession(*p))}</option> }).collect_view()}
                            </select>
                            {fe(Field::TreatingMemberId)}
                            <label for="note">{t::field(Field::Note)} {t::SANS_DIAGNOSTIC()}</label>
                            <textarea id="note" name="form[note]" maxlength="280" rows="2"></textarea>
                            {fe(Field::Note)}
                            <button type="submit" class="primary">{t::ENREGISTRER_LA_DEMANDE()}</button>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn RequestPage() -> impl IntoView {
    view! { <Authed><RequestView/></Authed> }
}

#[component]
fn RequestView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let live = use_live();
    let push = ServerAction::<PushRequest>::new();
    let pushed = crate::ui::widgets::posted::<PushRequest>();
    let outcome = ServerAction::<RecordOutcome>::new();
    let detail = Resource::new(
        move || (id(), live.version.get(), push.version().get(), outcome.version().get()),
        |(id, ..)| get_request(id),
    );
    let me = use_me();
    let staff = me.role != Role::Clinician;
    let fitting = crate::slots::Fitting::new(id, staff);
    view! {
        <main class="page">
            <p><a href=if staff { "/coordination" } else { "/offres" }>{t::RETOUR()}</a></p>
            {move || push.value().get().or_else(|| pushed.clone().map(Ok)).map(|r| match r {
                Ok(p) if p.escalated => view! { <p class="banner warn" role="status">{t::AUCUN_MEMBRE_DISPONIBLE_LA_DEMANDE()}</p> }.into_any(),
                Ok(p) if p.offered == 0 => view! { <p class="banner info" role="status">{t::PERSONNE_DE_PLUS_N_EST()}</p> }.into_any(),
                Ok(p) => view! { <p class="banner ok" role="status">{t::demande_envoyee(p.offered, &t::wave(p.wave))}</p> }.into_any(),
                Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
            })}
            {move || outcome.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <RequestBody detail=d push=push outcome=outcome staff=staff fitting=fitting/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn RequestBody(
    detail: RequestDetail,
    push: ServerAction<PushRequest>,
    outcome: ServerAction<RecordOutcome>,
    staff: bool,
    fitting: crate::slots::Fitting,
) -> impl IntoView {
    let r = detail.item.request.clone();
    let id = r.id;
    let status = r.status;
    let pushable = staff && matches!(status, RequestStatus::New | RequestStatus::Escalated);
    view! {
        <section class="card">
            <div class="row">
                <h1>{t::demande_numero(r.id, t::motive(r.motive))}</h1>
                <span class=status_class(status) data-status=status.code() id="request-status">{t::status(status)}</span>
            </div>
            <dl class="facts">
                <dt>{t::PROFESSION()}</dt><dd>{t::profession(r.profession)}</dd>
                <dt>{t::AGE()}</dt><dd>{t::age_band(r.age_band)}</dd>
                <dt>{t::COMMUNE()}</dt><dd>{r.commune.clone()}</dd>
                <dt>{t::DELAI()}</dt><dd>{t::delai_avant_paren(r.deadline, &day_hm(r.deadline_at))}</dd>
                <dt>{t::TELECONSULTATION()}</dt><dd>{if r.teleconsult_ok { {t::ACCEPTEE()} } else { "non" }}</dd>
                <dt>{t::ORIGINE()}</dt><dd>{t::source(r.source)}</dd>
                {r.accepted_by_name.clone().map(|n| view! { <dt>{t::PRISE_EN_CHARGE_2()}</dt><dd id="winner">{n}</dd> })}
                {r.appointment_at.map(|a| view! { <dt>{t::RENDEZ_VOUS()}</dt><dd>{format!("{} · {}", day_hm(a), r.appointment_mode.as_deref().and_then(AppointmentMode::parse).map(t::mode).unwrap_or(""))}</dd> })}
                {r.reoriented_to.as_deref().and_then(Reorientation::parse).map(|to| view! { <dt>{t::REORIENTEE_VERS()}</dt><dd>{t::reorientation(to)}</dd> })}
                {r.escalation.clone().map(|e| view! { <dt>{t::ALERTE()}</dt><dd class="alert-line">{t::escalation(&e)}</dd> })}
            </dl>
            {r.patient.clone().map(|p| view! {
                <div class="patient">
                    <h2>{t::PATIENT()}</h2>
                    <p><strong>{p.name.clone()}</strong></p>
                    <p><a class="button" href=format!("tel:{}", p.callback_phone.replace(' ', ""))>{t::rappeler(&p.callback_phone)}</a></p>
                    {(!p.note.is_empty()).then(|| view! { <p class="note">{p.note.clone()}</p> })}
                </div>
            })}
        </section>
        {pushable.then(|| view! {
            <ActionForm action=push attr:class="card form">
                <input type="hidden" name="request_id" value=id/>
                <button type="submit" class="primary big">{if status == RequestStatus::New { {t::ENVOYER_AU_PANEL()} } else { {t::RELANCER_L_ENVOI()} }}</button>
            </ActionForm>
        })}
        // A request is pushed or booked: the coordination may book it into a free slot instead.
        {(staff && matches!(status, RequestStatus::New | RequestStatus::Pushed | RequestStatus::Escalated))
            .then(|| view! { <crate::slots::FittingSlots request_id=id fitting=fitting/> })}
        {detail.next_panel.map(|p| view! { <PanelTable panel=p/> })}
        {(!detail.item.offers.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t::PROPOSITIONS()}</h2>
                <table class="offers">
                    <thead><tr><th>{t::PROFESSIONNELLE()}</th><th>{t::VAGUE()}</th><th>{t::DISTANCE()}</th><th>{t::ETAT()}</th><th>{t::HEURE()}</th></tr></thead>
                    <tbody>
                        {detail.item.offers.iter().map(|o| view! {
                            <tr data-state=o.state.code() data-member=o.member_name.clone() class=if o.state == OfferState::Accepted { "winner" } else { "" }>
                                <td>{o.member_name.clone()}</td>
                                <td>{o.wave}</td>
                                <td>{t::distance(o.distance_km)}</td>
                                <td>{t::offer_state(o.state)}{o.refusal_reason.as_deref().and_then(RefusalReason::parse).map(|r| format!(" — {}", t::refusal_reason(r)))}</td>
                                <td>{hm(o.answered_at.unwrap_or(o.sent_at))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        {detail.can_record_outcome.then(|| view! { <OutcomeForms id=id status=status staff=staff outcome=outcome/> })}
        {(!detail.timeline.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t::HISTORIQUE()}</h2>
                <ol class="timeline">
                    {detail.timeline.into_iter().map(|e| view! {
                        <li><time>{hm(e.at)}</time> " " {t::audit_kind(&e.kind)}
                            {e.actor.map(|a| format!(" — {a}"))}
                            {e.subject.map(|s| format!(" → {s}"))}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}

#[component]
fn PanelTable(panel: PanelPreview) -> impl IntoView {
    let count = panel.members.iter().filter(|m| m.excluded.is_none()).count();
    view! {
        <section class="card">
            <h2>{t::panel_titre(&t::wave(panel.wave), count)}</h2>
            <ul class="panel" aria-label="Panel">
                {panel.members.into_iter().map(|m| {
                    let class = if m.excluded.is_none() { "in" } else { "out" };
                    view! {
                        <li class=class>
                            {m.name} " · " {t::profession(m.profession)} " · " {t::distance(m.distance_km)}
                            {m.excluded.map(|e| format!(" — {}", t::exclusion(&e)))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn OutcomeForms(id: i64, status: RequestStatus, staff: bool, outcome: ServerAction<RecordOutcome>) -> impl IntoView {
    let accepted = matches!(status, RequestStatus::Accepted | RequestStatus::Booked);
    let errors = move || outcome.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let hidden = move |o: &'static str| view! { <input type="hidden" name="request_id" value=id/><input type="hidden" name="outcome" value=o/> };
    view! {
        <section class="card">
            <h2>{t::ISSUE()}</h2>
            // Offline, an outcome waits in the phone's outbox and is sent on reconnection.
            <Deferrable label=t::issue_de_la_demande(id) queued=t::ISSUE_EN_ATTENTE()>
            {accepted.then(|| view! {
                <ActionForm action=outcome attr:class="form">
                    {hidden("booked")}
                    <label for="appointment_at">{t::RENDEZ_VOUS_HEURE_DE_PARIS()}</label>
                    <input id="appointment_at" type="datetime-local" name="appointment_at"/>
                    {move || field_error(errors(), Field::AppointmentAt)}
                    <label for="mode">{t::MODE()}</label>
                    <select id="mode" name="mode">
                        <option value="">{t::CHOISIR()}</option>
                        {AppointmentMode::ALL.iter().map(|m| view! { <option value=m.code()>{t::mode(*m)}</option> }).collect_view()}
                    </select>
                    {move || field_error(errors(), Field::Mode)}
                    <button type="submit" class="primary">{t::ENREGISTRER_LE_RENDEZ_VOUS()}</button>
                </ActionForm>
                <div class="actions">
                    <ActionForm action=outcome>{hidden("done")}<button type="submit">{t::CONSULTATION_FAITE()}</button></ActionForm>
                    {(status == RequestStatus::Booked).then(|| view! {
                        <ActionForm action=outcome>{hidden("no_show")}<button type="submit">{t::PATIENT_ABSENT()}</button></ActionForm>
                    })}
                </div>
            })}
            <ActionForm action=outcome attr:class="form">
                {hidden("reoriented")}
                <label for="reoriented_to">{t::REORIENTER_VERS()}</label>
                <select id="reoriented_to" name="reoriented_to">
                    <option value="">{t::CHOISIR()}</option>
                    {Reorientation::ALL.iter().map(|r| view! { <option value=r.code()>{t::reorientation(*r)}</option> }).collect_view()}
                </select>
                {move || field_error(errors(), Field::Reorientation)}
                <button type="submit">{t::REORIENTER()}</button>
            </ActionForm>
            {staff.then(|| view! {
                <ActionForm action=outcome>{hidden("cancelled")}<button type="submit" class="danger">{t::ANNULER_LA_DEMANDE()}</button></ActionForm>
            })}
            </Deferrable>
        </section>
    }
}
