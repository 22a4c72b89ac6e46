//! The clinician's phone screen: open offers to accept or decline in two taps, the requests
//! they took, and "available now".

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::live::use_live;
use super::widgets::{day_hm, hm, use_me, Authed, ErrorBanner};
use crate::api::dto::*;
use crate::api::{inbox, my_cases, offer_seen, AcceptOffer, RefuseOffer, SetAvailability};
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
    let taken_notice = move || {
        let from_accept = matches!(accept.value().get(), Some(Ok(AcceptOutcome::AlreadyTaken)));
        let from_url = query.read().get("deja_pris").is_some();
        let from_live = matches!(live.last.get(), Some((k, _)) if k == "offer_withdrawn");
        from_accept || from_url || from_live
    };
    let available = me.available_until;
    view! {
        <main class="page phone">
            <section class="availability card">
                {if me.on_duty {
                    view! { <p class="status ok">"Vous êtes de garde SNP."</p> }.into_any()
                } else if let Some(until) = available {
                    view! { <p class="status ok">{format!("Disponible jusqu'à {}", hm(until))}</p> }.into_any()
                } else {
                    view! { <p class="status">"Ni de garde ni disponible : vous ne recevez que les demandes de vos patients."</p> }.into_any()
                }}
                <ActionForm action=availability attr:class="inline">
                    <input type="hidden" name="hours" value=if available.is_some() { "0" } else { "2" }/>
                    <button type="submit">{if available.is_some() { "Ne plus être disponible" } else { "Disponible 2 h" }}</button>
                </ActionForm>
                {move || availability.value().get().map(|r| match r {
                    Ok(()) => view! { <p class="banner ok" role="status">"Disponibilité enregistrée (rechargez pour la voir à jour)."</p> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                })}
            </section>
            <h1>"Demandes proposées"</h1>
            {move || taken_notice().then(|| view! { <p class="banner info" role="status" id="taken-notice">{t::TAKEN_BY_COLLEAGUE} " La demande a été retirée."</p> })}
            {move || accept.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || refuse.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match offers.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty" id="no-offers">"Aucune demande en attente."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="offers-list" aria-label="Demandes proposées">
                                {items.into_iter().map(|i| view! { <OfferCard item=i accept=accept refuse=refuse/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <h2>"Mes prises en charge"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">"Aucune pour l'instant."</p> }.into_any(),
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
                    <button type="submit" class="primary big">"Accepter"</button>
                </ActionForm>
                <ActionForm action=refuse attr:class="refuse">
                    <input type="hidden" name="request_id" value=id/>
                    <label class="sr-only" for=format!("reason-{id}")>"Raison (facultative)"</label>
                    <select name="reason" id=format!("reason-{id}")>
                        <option value="">"Sans raison"</option>
                        {RefusalReason::ALL.iter().map(|x| view! { <option value=x.code()>{t::refusal_reason(*x)}</option> }).collect_view()}
                    </select>
                    <button type="submit">"Décliner"</button>
                </ActionForm>
            </div>
        </li>
    }
}
