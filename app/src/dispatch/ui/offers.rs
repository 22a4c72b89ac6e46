//! The clinician's phone screen: open offers to accept or decline in two taps, the requests
//! they took, and "available now".

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::auth::whoami;
use crate::dispatch::api::offer_state;
use crate::dispatch::api::{inbox, my_cases, AcceptOffer, RefuseOffer};
use crate::dispatch::dto::*;
use crate::dispatch::rules::OfferState;
use crate::domain::*;
use crate::i18n::t;
use crate::members::Me;
use crate::members::SetAvailability;
use crate::offline::Deferrable;
use crate::push::NotificationOffer;
use crate::ui::live::use_live;
use crate::ui::widgets::{day_hm, hm, use_me, Authed, ErrorBanner};

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
    let query = use_query_map();
    let offers =
        Resource::new(move || (live.version.get(), accept.version().get(), refuse.version().get()), |_| inbox());
    // The offer a notification opened (`?demande=ID`): where it stands, said when it is gone.
    let focus = move || query.read().get("demande").and_then(|v| v.parse::<i64>().ok());
    let lookup = Resource::new(
        move || (focus(), live.version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => offer_state(id).await.ok(),
                None => None,
            }
        },
    );
    let cases = Resource::new(move || (live.version.get(), accept.version().get()), |_| my_cases());
    // Why an offer just left the list, when it was not this member's doing.
    let notice = move || {
        let from_accept = matches!(accept.value().get(), Some(Ok(AcceptOutcome::AlreadyTaken)));
        if from_accept || query.read().get("deja_pris").is_some() {
            return Some(t::TAKEN_BY_COLLEAGUE());
        }
        // The page is drawn again after an event, naming it (`ui::live::refresh`).
        let drawn_after = query.read().get("evenement").and_then(|kind| t::offer_gone(&kind));
        drawn_after.or_else(|| live.last.get().and_then(|(kind, _)| t::offer_gone(&kind)))
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
            <NotificationOffer/>
            <h1>{t::DEMANDES_PROPOSEES()}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    lookup.await.filter(|l| !l.live).map(|l| view! {
                        <p class="banner info" role="status" id="focus-notice">{focus_message(&l)}</p>
                    })
                })}
            </Transition>
            {move || notice().map(|n| view! { <p class="banner info" role="status" id="taken-notice">{n} {t::LA_DEMANDE_A_ETE_RETIREE()}</p> })}
            {move || accept.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || refuse.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match offers.await {
                        Ok(items) => offers_view(items, accept, refuse, focus()),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{t::MES_PRISES_EN_CHARGE()}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">{t::AUCUNE_POUR_L_INSTANT()}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="cases">
                                {items.into_iter().map(case_item).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// A request the clinician took. A pharmacy's teleconsultation opens on its own page, with the
/// room's button right here while it is open.
fn case_item(r: RequestSummary) -> impl IntoView {
    let remote = r.mode == Some(AppointmentMode::Teleconsultation);
    let href = if remote { format!("/teleconsultation/suivi/{}", r.id) } else { format!("/demandes/{}", r.id) };
    let join = (remote && r.status == crate::dispatch::rules::RequestStatus::Booked).then(|| view! {
        <a class="button primary" rel="external" href=format!("/teleconsultation/{}", r.id)>{t::REJOINDRE_LA_TELECONSULTATION()}</a>
    });
    view! {
        <li class="card">
            <a href=href class="card-link">
                <strong>{format!("#{} · {}", r.id, t::motive(r.motive))}</strong>
                " — " {r.patient.map(|p| p.name).unwrap_or_default()}
                " · " {t::status(r.status)}
                {r.appointment_at.map(|a| format!(" · {}", day_hm(a)))}
            </a>
            {join}
        </li>
    }
}

fn offers_view(
    items: Vec<InboxItem>,
    accept: ServerAction<AcceptOffer>,
    refuse: ServerAction<RefuseOffer>,
    focus: Option<i64>,
) -> AnyView {
    if items.is_empty() {
        return view! { <p class="empty" id="no-offers">{t::AUCUNE_DEMANDE_EN_ATTENTE()}</p> }.into_any();
    }
    view! {
        <ul class="offers-list" aria-label=t::DEMANDES_PROPOSEES()>
            {items.into_iter().map(|i| {
                let focused = focus == Some(i.request.id);
                view! { <OfferCard item=i accept=accept refuse=refuse focused=focused/> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Why the offer a notification opened is no longer there.
fn focus_message(l: &OfferLookup) -> &'static str {
    match l.state {
        Some(OfferState::Withdrawn) => t::TAKEN_BY_COLLEAGUE(),
        Some(OfferState::Expired) => t::DELAI_DEPASSE(),
        Some(OfferState::Refused) => t::VOUS_AVEZ_DECLINE(),
        Some(OfferState::Accepted) => t::VOUS_AVEZ_ACCEPTE_LA_DEMANDE(),
        _ => t::OFFRE_PLUS_DISPONIBLE(),
    }
}

fn availability_view(me: &Me, action: ServerAction<SetAvailability>) -> AnyView {
    if me.on_duty {
        return view! { <p class="status ok">{t::VOUS_ETES_DE_GARDE_SNP()}</p> }.into_any();
    }
    let available = me.available_until;
    view! {
        {match available {
            Some(until) => view! { <p class="status ok" id="availability">{t::disponible_jusqu_a(&hm(until))}</p> }.into_any(),
            None => view! { <p class="status" id="availability">{t::NI_DE_GARDE_NI_DISPONIBLE()}</p> }.into_any(),
        }}
        <ActionForm action=action attr:class="inline">
            <input type="hidden" name="hours" value=if available.is_some() { "0" } else { "2" }/>
            <button type="submit">{if available.is_some() { {t::NE_PLUS_ETRE_DISPONIBLE()} } else { {t::DISPONIBLE_2_H()} }}</button>
        </ActionForm>
    }
    .into_any()
}

/// Tells the server that the offer is on its member's screen (the coordinator sees "vue"): an
/// island with nothing to draw, woken only in a browser showing the page — not when the
/// service worker fetches a copy of the page for offline use.
#[island]
fn MarkSeen(request: i64) -> impl IntoView {
    crate::ui::widgets::island_awake();
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let _ = crate::dispatch::api::offer_seen(request).await;
    });
    let _ = request;
}

#[component]
fn OfferCard(
    item: InboxItem,
    accept: ServerAction<AcceptOffer>,
    refuse: ServerAction<RefuseOffer>,
    focused: bool,
) -> impl IntoView {
    let r = item.request;
    let id = r.id;
    let unseen = item.state == crate::dispatch::rules::OfferState::Sent;
    view! {
        <li class="card offer" class:focus=focused data-request-id=id>
            {unseen.then(|| view! { <MarkSeen request=id/> })}
            <div class="row">
                <strong class="motive">{t::motive(r.motive)}</strong>
                <span class="deadline">{t::delai_avant(r.deadline, &day_hm(r.deadline_at))}</span>
            </div>
            <p class="meta">
                {format!("{} · {} ({})", t::age_band(r.age_band), r.commune, t::distance(item.distance_km))}
                {match r.mode {
                    Some(AppointmentMode::Teleconsultation) => Some(format!(" · {}", t::TELECONSULTATION_DEPUIS_UNE_PHARMACIE())),
                    _ => r.teleconsult_ok.then(|| t::TELECONSULTATION_POSSIBLE().to_string()),
                }}
            </p>
            <div class="answer">
                // Accepting is never queued: offline, the network watch disables the button with
                // its offline label (`offline::NetworkWatch`).
                <ActionForm action=accept attr:class="accept">
                    <input type="hidden" name="request_id" value=id/>
                    <button type="submit" class="primary big"
                        data-needs-network="" data-offline-label=t::ACCEPTER_RESEAU() data-offline-title=t::ACCEPTER_HORS_LIGNE()>
                        {t::ACCEPTER()}
                    </button>
                </ActionForm>
                <Deferrable label=t::refus_de_la_demande(id) queued=t::REFUS_EN_ATTENTE()>
                <ActionForm action=refuse attr:class="refuse">
                    <input type="hidden" name="request_id" value=id/>
                    <label class="sr-only" for=format!("reason-{id}")>{t::RAISON_FACULTATIVE()}</label>
                    <select name="reason" id=format!("reason-{id}")>
                        <option value="">{t::SANS_RAISON()}</option>
                        {RefusalReason::ALL.iter().map(|x| view! { <option value=x.code()>{t::refusal_reason(*x)}</option> }).collect_view()}
                    </select>
                    <button type="submit">{t::DECLINER()}</button>
                </ActionForm>
                </Deferrable>
            </div>
        </li>
    }
}
