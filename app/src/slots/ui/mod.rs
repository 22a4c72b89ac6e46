//! *Mes créneaux SNP*: a clinician opens slots in two taps (today or a day, from a time, how
//! many, how long, where, who may book; every week if wanted), closes or removes a free one,
//! sees who booked the others and says whether they came. The coordination sees the CPTS's
//! coming slots and the recent no-shows, and books a request into a slot from its page.

use leptos::prelude::*;

mod sas;
pub use sas::SasAdminPage;

use crate::domain::{AppointmentMode, Field};
use crate::i18n::t;
use crate::slots::api::{fitting_slots, slots_overview, BookSlot, CloseSlot, OpenSlots, RecordBooking};
use crate::slots::dto::{SlotView, SlotsPage};
use crate::slots::rules::{Audience, BookingStatus};
use crate::ui::live::use_live;
use crate::ui::widgets::{day_hm, field_error, hm, Authed, ErrorBanner};

#[component]
pub fn MySlotsPage() -> impl IntoView {
    view! { <Authed><MySlots/></Authed> }
}

#[component]
fn MySlots() -> impl IntoView {
    let live = use_live();
    let open = ServerAction::<OpenSlots>::new();
    let opened = crate::ui::widgets::posted::<OpenSlots>();
    let close = ServerAction::<CloseSlot>::new();
    let record = ServerAction::<RecordBooking>::new();
    let data = Resource::new(
        move || (live.version.get(), open.version().get(), close.version().get(), record.version().get()),
        |_| slots_overview(),
    );
    view! {
        <main class="page phone">
            <h1>{t::MES_CRENEAUX_SNP()}</h1>
            {move || close.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || record.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            {move || open.value().get().and_then(Result::ok).or(opened).map(|n| view! { <p class="banner ok" role="status">{t::creneaux_ouverts(n)}</p> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <Body p=p open=open close=close record=record/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn Body(
    p: SlotsPage,
    open: ServerAction<OpenSlots>,
    close: ServerAction<CloseSlot>,
    record: ServerAction<RecordBooking>,
) -> impl IntoView {
    view! {
        {p.can_open.then(|| view! { <OpenForm today=p.today.clone() action=open/> })}
        {if p.slots.is_empty() {
            view! { <p class="empty">{t::AUCUN_CRENEAU()}</p> }.into_any()
        } else {
            view! { <ul class="cases" id="slots">{p.slots.into_iter().map(|s| slot_item(s, close, record)).collect_view()}</ul> }.into_any()
        }}
        {(!p.no_shows.is_empty()).then(|| view! {
            <h2>{t::ABSENCES_RECENTES()}</h2>
            <ul class="cases" id="no-shows">{p.no_shows.into_iter().map(|s| slot_item(s, close, record)).collect_view()}</ul>
        })}
    }
}

fn slot_item(s: SlotView, close: ServerAction<CloseSlot>, record: ServerAction<RecordBooking>) -> impl IntoView {
    let id = s.id;
    let free = s.booking.is_none() && !s.closed;
    view! {
        <li class="card" data-slot-id=id>
            <strong>{format!("{} – {} · {}", day_hm(s.starts_at), hm(s.ends_at), t::mode(s.mode))}</strong>
            <p class="meta">{format!("{} · {}", s.clinician_name, t::audience(s.audience))}</p>
            {s.closed.then(|| view! { <p class="status">{t::FERME()}</p> })}
            {free.then(|| view! {
                <div class="actions">
                    <span class="status ok">{t::LIBRE()}</span>
                    <ActionForm action=close attr:class="inline">
                        <input type="hidden" name="slot_id" value=id.to_string()/>
                        <button type="submit">{t::FERMER()}</button>
                    </ActionForm>
                    <ActionForm action=close attr:class="inline">
                        <input type="hidden" name="slot_id" value=id.to_string()/>
                        <input type="hidden" name="remove" value="on"/>
                        <button type="submit">{t::SUPPRIMER()}</button>
                    </ActionForm>
                </div>
            })}
            {s.booking.map(|b| {
                let tel = format!("tel:{}", b.callback_phone.replace(' ', ""));
                view! {
                    <div class="booking">
                        <p class="status" class:ok=b.status == BookingStatus::Booked>
                            {format!("{} · ", t::booking_status(b.status))}
                            {(!b.patient_name.is_empty()).then(|| format!("{} · ", b.patient_name))}
                            {(!b.callback_phone.is_empty()).then(|| view! { <a href=tel>{b.callback_phone.clone()}</a>" · " })}
                            {t::booking_source(b.source)}
                        </p>
                        {b.can_record.then(|| view! {
                            <ActionForm action=record attr:class="inline">
                                <input type="hidden" name="booking_id" value=b.id.to_string()/>
                                <button type="submit" name="honoured" value="yes">{t::HONORE()}</button>
                                <button type="submit" name="honoured" value="no">{t::PATIENT_ABSENT()}</button>
                            </ActionForm>
                        })}
                    </div>
                }
            })}
        </li>
    }
}

#[component]
fn OpenForm(today: String, action: ServerAction<OpenSlots>) -> impl IntoView {
    let result = move || action.value().get().and_then(Result::err);
    let errors = move || result().and_then(|e| e.field_errors().cloned());
    let fe = move |f: Field| move || field_error(errors(), f);
    view! {
        <ActionForm action=action attr:class="card form" attr:id="open-slots" attr:novalidate=true>
            <h2>{t::OUVRIR_DES_CRENEAUX()}</h2>
            {move || result().map(|e| view! { <ErrorBanner error=e/> })}
            <label for="slot-date">{t::field(Field::Date)}</label>
            <input id="slot-date" name="form[date]" type="date" value=today/>
            {fe(Field::Date)}
            <label for="slot-start">{t::field(Field::Start)}</label>
            <input id="slot-start" name="form[start]" type="time" value="14:00"/>
            {fe(Field::Start)}
            <label for="slot-count">{t::field(Field::Count)}</label>
            <input id="slot-count" name="form[count]" type="number" min="1" max="12" value="2" inputmode="numeric"/>
            {fe(Field::Count)}
            <label for="slot-minutes">{t::field(Field::Minutes)}</label>
            <input id="slot-minutes" name="form[minutes]" type="number" min="5" max="120" value="15" inputmode="numeric"/>
            {fe(Field::Minutes)}
            <label for="slot-mode">{t::field(Field::Mode)}</label>
            <select id="slot-mode" name="form[mode]">
                {AppointmentMode::ALL.iter().map(|m| view! { <option value=m.code()>{t::mode(*m)}</option> }).collect_view()}
            </select>
            {fe(Field::Mode)}
            <label for="slot-audience">{t::field(Field::Audience)}</label>
            <select id="slot-audience" name="form[audience]">
                {Audience::ALL.iter().map(|a| view! { <option value=a.code()>{t::audience(*a)}</option> }).collect_view()}
            </select>
            {fe(Field::Audience)}
            <label class="check">
                <input type="checkbox" name="form[weekly]" value="on"/>
                {t::CHAQUE_SEMAINE()}
            </label>
            <label for="slot-weeks">{t::field(Field::Weeks)}</label>
            <input id="slot-weeks" name="form[weeks]" type="number" min="1" max="12" value="4" inputmode="numeric"/>
            {fe(Field::Weeks)}
            <button type="submit" class="primary">{t::OUVRIR_DES_CRENEAUX()}</button>
        </ActionForm>
    }
}

/// The free slots that fit the request a page shows, and the booking of one: made at the top
/// of that page (its resource must not be created inside the page's own `<Transition>`, which
/// the server may walk more than once), shown by [`FittingSlots`]. The coordination only.
#[derive(Clone, Copy)]
pub struct Fitting {
    book: ServerAction<BookSlot>,
    slots: Resource<Result<Vec<crate::slots::dto::FittingSlot>, crate::api::AppError>>,
}

impl Fitting {
    pub fn new(request_id: impl Fn() -> i64 + Send + Sync + 'static, staff: bool) -> Self {
        let live = use_live();
        let book = ServerAction::<BookSlot>::new();
        let slots = Resource::new(
            move || (request_id(), live.version.get(), book.version().get()),
            move |(id, ..)| async move {
                if staff {
                    fitting_slots(id).await
                } else {
                    Ok(vec![])
                }
            },
        );
        Self { book, slots }
    }
}

#[component]
pub fn FittingSlots(request_id: i64, fitting: Fitting) -> impl IntoView {
    let Fitting { book, slots } = fitting;
    view! {
        <section class="card" id="fitting-slots">
            <h2>{t::CRENEAUX_QUI_CONVIENNENT()}</h2>
            {move || book.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match slots.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t::AUCUN_CRENEAU_NE_CONVIENT()}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="cases">
                                {list.into_iter().map(|f| view! {
                                    <li class="row" data-slot-id=f.slot.id>
                                        <span>
                                            {format!("{} · {} · {}", day_hm(f.slot.starts_at), f.slot.clinician_name, t::mode(f.slot.mode))}
                                            {f.distance_km.map(|d| format!(" · {}", t::distance(Some(d))))}
                                        </span>
                                        <ActionForm action=book attr:class="inline">
                                            <input type="hidden" name="request_id" value=request_id.to_string()/>
                                            <input type="hidden" name="slot_id" value=f.slot.id.to_string()/>
                                            <button type="submit" class="primary">{t::RESERVER()}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
