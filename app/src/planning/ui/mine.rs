//! "Mes gardes" on the clinician's phone: their vacations, open places, proposals, recent
//! changes, calendar address and notices.

use leptos::prelude::*;

use crate::api::AppError;
use crate::i18n::t;
use crate::offline::Deferrable;
use crate::planning::api::{
    get_my_vacations, AnswerChange, CancelChange, ProposeChange, RegenerateCalendar, ReturnVacation, TakeVacation,
    UndoChange,
};
use crate::planning::dto::*;
use crate::ui::live::use_live;
use crate::ui::widgets::{day_hm, hm, Authed, ErrorBanner};
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

pub(super) fn slot_label(v: &VacationView) -> String {
    format!("{} → {}", day_hm(v.starts_at), hm(v.ends_at))
}

pub(super) fn holders_label(v: &VacationView) -> String {
    if v.holders.is_empty() {
        t::PERSONNE_MIN().into()
    } else {
        v.holders.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The last error of any of these actions, as a banner.
pub(super) fn action_error<T: Clone + Send + Sync + 'static>(value: Option<Result<T, AppError>>) -> Option<AnyView> {
    value.and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> }.into_any())
}

#[component]
pub fn MyVacationsPage() -> impl IntoView {
    view! { <Authed><MyVacationsView/></Authed> }
}

#[component]
fn MyVacationsView() -> impl IntoView {
    let live = use_live();
    let take = ServerAction::<TakeVacation>::new();
    let give_back = ServerAction::<ReturnVacation>::new();
    let propose = ServerAction::<ProposeChange>::new();
    let answer = ServerAction::<AnswerChange>::new();
    let cancel = ServerAction::<CancelChange>::new();
    let regenerate = ServerAction::<RegenerateCalendar>::new();
    let undo = ServerAction::<UndoChange>::new();
    let data = Resource::new(
        move || {
            (
                live.version.get(),
                regenerate.version().get(),
                undo.version().get(),
                take.version().get(),
                give_back.version().get(),
                propose.version().get(),
                answer.version().get(),
                cancel.version().get(),
            )
        },
        |_| get_my_vacations(),
    );
    view! {
        <main class="page phone">
            <h1>{t::MES_GARDES()}</h1>
            <div id="vacation-errors">
                {move || action_error(take.value().get())}
                {move || action_error(give_back.value().get())}
                {move || action_error(propose.value().get())}
                {move || action_error(answer.value().get())}
                {move || action_error(cancel.value().get())}
                {move || action_error(undo.value().get())}
            </div>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => {
                            let calendar = d.calendar_path.clone();
                            let notifications = d.notifications.clone();
                            let recent = d.recent.clone();
                            view! {
                                <RecentChanges recent=recent undo=undo/>
                                <VacationLists d=d take=take give_back=give_back propose=propose answer=answer cancel=cancel/>
                                <CalendarAndNotices path=calendar notifications=notifications regenerate=regenerate/>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn VacationLists(
    d: MyVacations,
    take: ServerAction<TakeVacation>,
    give_back: ServerAction<ReturnVacation>,
    propose: ServerAction<ProposeChange>,
    answer: ServerAction<AnswerChange>,
    cancel: ServerAction<CancelChange>,
) -> impl IntoView {
    let me = d.me;
    let colleagues = d.colleagues.clone();
    let colleague_vacations = d.colleague_vacations.clone();
    let (for_me, by_me): (Vec<ChangeView>, Vec<ChangeView>) =
        d.changes.into_iter().partition(|c| c.from_member_id != me);
    view! {
        {(!for_me.is_empty()).then(|| view! {
            <section aria-label=t::PROPOSITIONS_RECUES()>
                <h2>{t::PROPOSITIONS_RECUES()}</h2>
                <ul class="vacations">
                    {for_me.into_iter().map(|c| view! {
                        <li class="card change" data-change-id=c.id>
                            <p><strong>{t::change_kind(c.kind)}</strong> {t::DE()} {c.from_name.clone()}
                                {c.to_member_id.is_none().then(t::A_TOUS_PAREN)}</p>
                            <p>{format!("{} · {}", c.vacation.planning_name, slot_label(&c.vacation))}</p>
                            {c.counter.as_ref().map(|v| view! { <p>{t::CONTRE_VOTRE_VACATION_DU()} {slot_label(v)}</p> })}
                            <div class="actions">
                                <ActionForm action=answer>
                                    <input type="hidden" name="change_id" value=c.id/>
                                    <input type="hidden" name="accept" value="yes"/>
                                    <button type="submit" class="primary">{t::ACCEPTER()}</button>
                                </ActionForm>
                                {c.to_member_id.is_some().then(|| view! {
                                    <ActionForm action=answer>
                                        <input type="hidden" name="change_id" value=c.id/>
                                        <input type="hidden" name="accept" value="no"/>
                                        <button type="submit">{t::REFUSER()}</button>
                                    </ActionForm>
                                })}
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-label=t::MES_VACATIONS()>
            <h2>{t::MES_VACATIONS()}</h2>
            {d.mine.is_empty().then(|| view! { <p class="empty">{t::AUCUNE_VACATION_A_VENIR()}</p> })}
            <ul class="vacations">
                {d.mine.into_iter().map(|v| {
                    let pending: Vec<ChangeView> = by_me.iter().filter(|c| c.vacation.id == v.id).cloned().collect();
                    let swaps: Vec<VacationView> = colleague_vacations.iter().filter(|c| c.planning_id == v.planning_id).cloned().collect();
                    let colleagues = colleagues.clone();
                    view! {
                        <li class="card vacation mine" data-vacation-id=v.id>
                            <p><strong class="when">{slot_label(&v)}</strong></p>
                            <p class="meta">{format!("{} · {}", v.planning_name, t::vacation_kind(v.kind))}</p>
                            {pending.into_iter().map(|c| view! {
                                <div class="pending">
                                    <span>{t::change_propose(c.kind, c.to_member_id.is_none())}</span>
                                    <ActionForm action=cancel attr:class="inline">
                                        <input type="hidden" name="change_id" value=c.id/>
                                        <button type="submit" class="link">{t::ANNULER_LA_PROPOSITION()}</button>
                                    </ActionForm>
                                </div>
                            }).collect_view()}
                            <details>
                                <summary>{t::CEDER_ECHANGER_OU_REMETTRE()}</summary>
                                // Offline, a proposal waits in the phone's outbox and is sent on reconnection.
                                <Deferrable label=t::proposition_pour(&slot_label(&v)) queued=t::PROPOSITION_EN_ATTENTE()>
                                <ActionForm action=propose attr:class="form">
                                    <input type="hidden" name="vacation_id" value=v.id/>
                                    <input type="hidden" name="kind" value="cession"/>
                                    <label for=format!("cede-{}", v.id)>{t::CEDER_A()}</label>
                                    <select id=format!("cede-{}", v.id) name="to_member_id">
                                        <option value="">{t::TOUT_COLLEGUE_DU_PLANNING()}</option>
                                        {colleagues.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                                    </select>
                                    <button type="submit">{t::PROPOSER_LA_CESSION()}</button>
                                </ActionForm>
                                {(!swaps.is_empty()).then(|| view! {
                                    <ActionForm action=propose attr:class="form">
                                        <input type="hidden" name="vacation_id" value=v.id/>
                                        <input type="hidden" name="kind" value="exchange"/>
                                        <label for=format!("swap-{}", v.id)>{t::ECHANGER_CONTRE()}</label>
                                        <select id=format!("swap-{}", v.id) name="counter_vacation_id">
                                            {swaps.iter().map(|s| view! { <option value=s.id.to_string()>{format!("{} — {}", slot_label(s), holders_label(s))}</option> }).collect_view()}
                                        </select>
                                        <button type="submit">{t::PROPOSER_L_ECHANGE()}</button>
                                    </ActionForm>
                                })}
                                </Deferrable>
                                <ActionForm action=give_back attr:class="form">
                                    <input type="hidden" name="vacation_id" value=v.id/>
                                    <button type="submit">{t::REMETTRE_AU_POT_COMMUN()}</button>
                                </ActionForm>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <OpenPlaces open=d.open this_monday=d.this_monday take=take/>
    }
}

/// The open places of the member's plannings: filtered by day, moment and kind (a GET form, so
/// that it works without JavaScript and the address can be kept), counted, grouped by week,
/// this week unfolded and the next ones folded.
#[component]
fn OpenPlaces(
    open: Vec<VacationView>,
    this_monday: chrono::NaiveDate,
    take: ServerAction<TakeVacation>,
) -> impl IntoView {
    use crate::planning::rules::weeks::{by_week, OpenFilter, Period, DAYS};
    use crate::planning::rules::VacationKind;
    let query = use_query_map();
    let open = StoredValue::new(open);
    let free = |v: &VacationView| v.capacity.saturating_sub(v.holders.len() as u32);
    let selected = |on: bool| on.then_some("selected");
    // Redrawn when the filter in the address changes (the form navigates in the page); the
    // options' `selected` is for the page as served, the selects' value for a redraw in place.
    move || {
        let filter = query.with(|q| OpenFilter::from_query(q.get_str("jour"), q.get_str("periode"), q.get_str("type")));
        let any_open = open.with_value(|o| !o.is_empty());
        let kept: Vec<VacationView> =
            open.with_value(|o| o.iter().filter(|v| filter.keeps(v.starts_at, v.kind)).cloned().collect());
        let total: u32 = kept.iter().map(free).sum();
        let weeks = by_week(kept, |v| v.starts_at);
        view! {
            <section aria-label=t::VACATIONS_OUVERTES() id="open-places">
                <h2>{t::VACATIONS_OUVERTES()}</h2>
                {any_open.then(|| view! {
                    <Form method="GET" action="/gardes" attr:class="filters" attr:aria-label=t::FILTRER()>
                        <label for="open-day">{t::JOUR()}</label>
                        <select id="open-day" name="jour" prop:value=filter.day_code().unwrap_or_default()>
                            <option value="">{t::TOUS_LES_JOURS()}</option>
                            {DAYS.iter().zip(t::JOURS().iter().copied()).map(|((day, code), name)| view! {
                                <option value=*code selected=selected(filter.day == Some(*day))>{name}</option>
                            }).collect_view()}
                        </select>
                        <label for="open-period">{t::MOMENT()}</label>
                        <select id="open-period" name="periode" prop:value=filter.period.map(|p| p.code()).unwrap_or_default()>
                            <option value="">{t::TOUTE_LA_JOURNEE()}</option>
                            {Period::ALL.iter().map(|p| view! {
                                <option value=p.code() selected=selected(filter.period == Some(*p))>{t::period(*p)}</option>
                            }).collect_view()}
                        </select>
                        <label for="open-kind">{t::TYPE()}</label>
                        <select id="open-kind" name="type" prop:value=filter.kind.map(|k| k.code()).unwrap_or_default()>
                            <option value="">{t::TOUS_LES_TYPES()}</option>
                            {VacationKind::ALL.iter().map(|k| view! {
                                <option value=k.code() selected=selected(filter.kind == Some(*k))>{t::vacation_kind(*k)}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit">{t::FILTRER()}</button>
                        {(!filter.is_empty()).then(|| view! { <a href="/gardes#open-places" class="link">{t::TOUT_AFFICHER()}</a> })}
                    </Form>
                })}
                <p class="count" id="open-count" role="status">{t::places_ouvertes(total)}</p>
                {(!any_open).then(|| view! { <p class="empty">{t::AUCUNE_PLACE_LIBRE_DANS_VOS()}</p> })}
                {(any_open && weeks.is_empty()).then(|| view! { <p class="empty">{t::AUCUNE_PLACE_NE_CORRESPOND()}</p> })}
                {weeks.into_iter().enumerate().map(|(i, week)| {
                    let places: u32 = week.items.iter().map(free).sum();
                    let first = i == 0;
                    view! {
                        <details class="week" open=first data-week=week.monday.to_string()>
                            <summary>
                                <span class="week-title">{t::semaine(week.monday, this_monday)}</span>
                                <span class="week-count">{t::places_ouvertes(places)}</span>
                            </summary>
                            <ul class="vacations">
                                {week.items.into_iter().map(|v| view! {
                                    <li class="card vacation open" data-vacation-id=v.id>
                                        <p><strong class="when">{slot_label(&v)}</strong></p>
                                        <p class="meta">{t::places_prises(&v.planning_name, t::vacation_kind(v.kind), v.holders.len(), v.capacity)}</p>
                                        <ActionForm action=take>
                                            <input type="hidden" name="vacation_id" value=v.id/>
                                            <button type="submit" class="primary">{t::PRENDRE()}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </details>
                    }
                }).collect_view()}
            </section>
        }
    }
}

#[component]
fn RecentChanges(recent: Vec<ChangeView>, undo: ServerAction<UndoChange>) -> impl IntoView {
    (!recent.is_empty()).then(|| {
        view! {
            <section aria-label=t::CHANGEMENTS_RECENTS() class="card">
                <h2>{t::CHANGEMENTS_RECENTS()}</h2>
                <ul class="vacations">
                    {recent.into_iter().map(|c| view! {
                        <li class="change recent" data-change-id=c.id>
                            <p>{format!("{} — {}", t::change_kind(c.kind), slot_label(&c.vacation))}</p>
                            <ActionForm action=undo attr:class="inline">
                                <input type="hidden" name="change_id" value=c.id/>
                                <button type="submit">{t::DEMANDER_L_ANNULATION()}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn CalendarAndNotices(
    path: String,
    notifications: Vec<(chrono::DateTime<chrono::Utc>, String)>,
    regenerate: ServerAction<RegenerateCalendar>,
) -> impl IntoView {
    view! {
        {(!notifications.is_empty()).then(|| view! {
            <section aria-label=t::RAPPELS_ET_AVIS() class="card">
                <h2>{t::RAPPELS_ET_AVIS()}</h2>
                <ul class="notices">
                    {notifications.into_iter().map(|(at, text)| view! { <li><time>{day_hm(at)}</time> " " {text}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-label=t::CALENDRIER() class="card">
            <h2>{t::MON_CALENDRIER()}</h2>
            <p>{t::ABONNEZ_L_AGENDA()}</p>
            <p><a id="calendar-link" href=path.clone()>{path.clone()}</a></p>
            <ActionForm action=regenerate>
                <button type="submit">{t::CHANGER_D_ADRESSE()}</button>
            </ActionForm>
        </section>
    }
}
