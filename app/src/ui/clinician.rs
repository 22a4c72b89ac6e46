//! The clinician's phone screen: open offers to accept or decline in two taps, the requests
//! they took, and "available now".

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::live::use_live;
use super::widgets::{day_hm, hm, use_me, Authed, ErrorBanner};
use crate::api::dto::*;
use crate::api::{inbox, my_cases, offer_seen, whoami, AcceptOffer, RefuseOffer, SetAvailability};
use crate::domain::*;
use crate::i18n::t;

#[component]
pub fn InboxPage() -> impl IntoView {
    view! { <Authed><Inbox/></Authed> }
}

#[component]
fn Inbox() -> impl IntoView {
    let live = use_live();
    let me = use_me();
    let accept = ServerAction::<AcceptOffer>::new();
    let refuse = ServerAction::<RefuseOffer>::new();
    let availability = ServerAction::<SetAvailability>::new();
    let offers =
        Resource::new(move || (live.version.get(), accept.version().get(), refuse.version().get()), |_| inbox());
    let cases = Resource::new(move || (live.version.get(), accept.version().get()), |_| my_cases());
    let query = use_query_map();
    // Why an offer just left the list, when it was not this member's doing.
    let notice = move || {
        let from_accept = matches!(accept.value().get(), Some(Ok(AcceptOutcome::AlreadyTaken)));
        if from_accept || query.read().get("deja_pris").is_some() {
            return Some(t::TAKEN_BY_COLLEAGUE);
        }
        live.last.get().and_then(|(kind, _)| t::offer_gone(&kind))
    };
    // Refetched after each change of availability, so the button always tells the truth.
    let status = Resource::new(move || availability.version().get(), |_| whoami());
    let initial = Some(me);
    view! {
        <main class="page phone">
            <section class="availability card">
                <Transition fallback=|| ()>
                    {move || {
                        let initial = initial.clone();
                        Suspend::new(async move {
                            let me = status.await.ok().flatten().or(initial);
                            me.map(|me| availability_view(&me, availability))
                        })
                    }}
                </Transition>
                {move || availability.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            </section>
            <h1>{t::DEMANDES_PROPOSEES}</h1>
            {move || notice().map(|n| view! { <p class="banner info" role="status" id="taken-notice">{n} {t::LA_DEMANDE_A_ETE_RETIREE}</p> })}
            {move || accept.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || refuse.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT}</p> }>
                {move || Suspend::new(async move {
                    match offers.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty" id="no-offers">{t::AUCUNE_DEMANDE_EN_ATTENTE}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="offers-list" aria-label="Demandes proposées">
                                {items.into_iter().map(|i| view! { <OfferCard item=i accept=accept refuse=refuse/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{t::MES_PRISES_EN_CHARGE}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">{t::AUCUNE_POUR_L_INSTANT}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="cases">
                                {items.into_iter().map(|r| view! {
                                    <li class="card">
                                        <a href=format!("/demandes/{}", r.id) class="card-link">
                                            <strong>{format!("#{} · {}", r.id, t::motive(r.motive))}</strong>
                                            " — " {r.patient.map(|p| p.name).unwrap_or_default()}
                                            " · " {t::status(r.status)}
                                            {r.appointment_at.map(|a| format!(" · {}", day_hm(a)))}
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

fn availability_view(me: &Me, action: ServerAction<SetAvailability>) -> AnyView {
    if me.on_duty {
        return view! { <p class="status ok">{t::VOUS_ETES_DE_GARDE_SNP}</p> }.into_any();
    }
    let available = me.available_until;
    view! {
        {match available {
            Some(until) => view! { <p class="status ok" id="availability">{format!("Disponible jusqu'à {}", hm(until))}</p> }.into_any(),
            None => view! { <p class="status" id="availability">{t::NI_DE_GARDE_NI_DISPONIBLE}</p> }.into_any(),
        }}
        <ActionForm action=action attr:class="inline">
            <input type="hidden" name="hours" value=if available.is_some() { "0" } else { "2" }/>
            <button type="submit">{if available.is_some() { {t::NE_PLUS_ETRE_DISPONIBLE} } else { {t::DISPONIBLE_2_H} }}</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn OfferCard(item: InboxItem, accept: ServerAction<AcceptOffer>, refuse: ServerAction<RefuseOffer>) -> impl IntoView {
    let r = item.request;
    let id = r.id;
    if item.state == crate::domain::request::OfferState::Sent {
        // Shown on screen: the coordinator sees "vue". Browser only (effects do not run on the server).
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                let _ = offer_seen(id).await;
            });
        });
    }
    view! {
        <li class="card offer" data-request-id=id>
            <div class="row">
                <strong class="motive">{t::motive(r.motive)}</strong>
                <span class="deadline">{format!("{} · avant {}", t::deadline(r.deadline), day_hm(r.deadline_at))}</span>
            </div>
            <p class="meta">
                {format!("{} · {} ({})", t::age_band(r.age_band), r.commune, t::distance(item.distance_km))}
                {r.teleconsult_ok.then_some(" · téléconsultation possible")}
            </p>
            <div class="answer">
                <ActionForm action=accept attr:class="accept">
                    <input type="hidden" name="request_id" value=id/>
                    <button type="submit" class="primary big">{t::ACCEPTER}</button>
                </ActionForm>
                <ActionForm action=refuse attr:class="refuse">
                    <input type="hidden" name="request_id" value=id/>
                    <label class="sr-only" for=format!("reason-{id}")>"Raison (facultative)"</label>
                    <select name="reason" id=format!("reason-{id}")>
                        <option value="">{t::SANS_RAISON}</option>
                        {RefusalReason::ALL.iter().map(|x| view! { <option value=x.code()>{t::refusal_reason(*x)}</option> }).collect_view()}
                    </select>
                    <button type="submit">{t::DECLINER}</button>
                </ActionForm>
            </div>
        </li>
    }
}
