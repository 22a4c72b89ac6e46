//! Duty vacations: "Mes gardes" on the clinician's phone, the plannings on the admin's desktop.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::live::use_live;
use super::widgets::{day_hm, field_error, hm, use_me, Authed, ErrorBanner};
use crate::api::dto::*;
use crate::api::error::AppError;
use crate::api::planning::{
    get_my_vacations, get_planning, list_plannings, AddGroup, AnswerChange, AssignVacation, CancelChange,
    CreatePlanning, GenerateVacations, ProposeChange, RegenerateCalendar, ReturnVacation, SetGroupMembers,
    TakeVacation, UnassignVacation, UndoChange,
};
use crate::domain::request::Field;
use crate::domain::Role;
use crate::i18n::t;

fn slot_label(v: &VacationView) -> String {
    format!("{} → {}", day_hm(v.starts_at), hm(v.ends_at))
}

fn holders_label(v: &VacationView) -> String {
    if v.holders.is_empty() {
        "personne".into()
    } else {
        v.holders.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The last error of any of these actions, as a banner.
fn action_error<T: Clone + Send + Sync + 'static>(value: Option<Result<T, AppError>>) -> Option<AnyView> {
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
            <h1>"Mes gardes"</h1>
            <div id="vacation-errors">
                {move || action_error(take.value().get())}
                {move || action_error(give_back.value().get())}
                {move || action_error(propose.value().get())}
                {move || action_error(answer.value().get())}
                {move || action_error(cancel.value().get())}
                {move || action_error(undo.value().get())}
            </div>
            <Transition fallback=|| view! { <p class="loading">"Chargement…"</p> }>
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
            <section aria-label="Propositions reçues">
                <h2>"Propositions reçues"</h2>
                <ul class="vacations">
                    {for_me.into_iter().map(|c| view! {
                        <li class="card change" data-change-id=c.id>
                            <p><strong>{t::change_kind(c.kind)}</strong> " de " {c.from_name.clone()}
                                {c.to_member_id.is_none().then_some(" (à tous)")}</p>
                            <p>{format!("{} · {}", c.vacation.planning_name, slot_label(&c.vacation))}</p>
                            {c.counter.as_ref().map(|v| view! { <p>"contre votre vacation du " {slot_label(v)}</p> })}
                            <div class="actions">
                                <ActionForm action=answer>
                                    <input type="hidden" name="change_id" value=c.id/>
                                    <input type="hidden" name="accept" value="yes"/>
                                    <button type="submit" class="primary">"Accepter"</button>
                                </ActionForm>
                                {c.to_member_id.is_some().then(|| view! {
                                    <ActionForm action=answer>
                                        <input type="hidden" name="change_id" value=c.id/>
                                        <input type="hidden" name="accept" value="no"/>
                                        <button type="submit">"Refuser"</button>
                                    </ActionForm>
                                })}
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-label="Mes vacations">
            <h2>"Mes vacations"</h2>
            {d.mine.is_empty().then(|| view! { <p class="empty">"Aucune vacation à venir."</p> })}
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
                                    <span>{format!("{} proposée{}", t::change_kind(c.kind), if c.to_member_id.is_none() { " à tous" } else { "" })}</span>
                                    <ActionForm action=cancel attr:class="inline">
                                        <input type="hidden" name="change_id" value=c.id/>
                                        <button type="submit" class="link">"Annuler la proposition"</button>
                                    </ActionForm>
                                </div>
                            }).collect_view()}
                            <details>
                                <summary>"Céder, échanger ou remettre"</summary>
                                <ActionForm action=propose attr:class="form">
                                    <input type="hidden" name="vacation_id" value=v.id/>
                                    <input type="hidden" name="kind" value="cession"/>
                                    <label for=format!("cede-{}", v.id)>"Céder à"</label>
                                    <select id=format!("cede-{}", v.id) name="to_member_id">
                                        <option value="">"Tout collègue du planning"</option>
                                        {colleagues.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                                    </select>
                                    <button type="submit">"Proposer la cession"</button>
                                </ActionForm>
                                {(!swaps.is_empty()).then(|| view! {
                                    <ActionForm action=propose attr:class="form">
                                        <input type="hidden" name="vacation_id" value=v.id/>
                                        <input type="hidden" name="kind" value="exchange"/>
                                        <label for=format!("swap-{}", v.id)>"Échanger contre"</label>
                                        <select id=format!("swap-{}", v.id) name="counter_vacation_id">
                                            {swaps.iter().map(|s| view! { <option value=s.id.to_string()>{format!("{} — {}", slot_label(s), holders_label(s))}</option> }).collect_view()}
                                        </select>
                                        <button type="submit">"Proposer l'échange"</button>
                                    </ActionForm>
                                })}
                                <ActionForm action=give_back attr:class="form">
                                    <input type="hidden" name="vacation_id" value=v.id/>
                                    <button type="submit">"Remettre au pot commun"</button>
                                </ActionForm>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section aria-label="Vacations ouvertes">
            <h2>"Vacations ouvertes"</h2>
            {d.open.is_empty().then(|| view! { <p class="empty">"Aucune place libre dans vos plannings."</p> })}
            <ul class="vacations">
                {d.open.into_iter().map(|v| view! {
                    <li class="card vacation open" data-vacation-id=v.id>
                        <p><strong class="when">{slot_label(&v)}</strong></p>
                        <p class="meta">{format!("{} · {} · {}/{} places prises", v.planning_name, t::vacation_kind(v.kind), v.holders.len(), v.capacity)}</p>
                        <ActionForm action=take>
                            <input type="hidden" name="vacation_id" value=v.id/>
                            <button type="submit" class="primary">"Prendre"</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn RecentChanges(recent: Vec<ChangeView>, undo: ServerAction<UndoChange>) -> impl IntoView {
    (!recent.is_empty()).then(|| {
        view! {
            <section aria-label="Changements récents" class="card">
                <h2>"Changements récents"</h2>
                <ul class="vacations">
                    {recent.into_iter().map(|c| view! {
                        <li class="change recent" data-change-id=c.id>
                            <p>{format!("{} — {}", t::change_kind(c.kind), slot_label(&c.vacation))}</p>
                            <ActionForm action=undo attr:class="inline">
                                <input type="hidden" name="change_id" value=c.id/>
                                <button type="submit">"Demander l'annulation"</button>
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
            <section aria-label="Rappels et avis" class="card">
                <h2>"Rappels et avis"</h2>
                <ul class="notices">
                    {notifications.into_iter().map(|(at, text)| view! { <li><time>{day_hm(at)}</time> " " {text}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-label="Calendrier" class="card">
            <h2>"Mon calendrier"</h2>
            <p>"Abonnez l'agenda de votre téléphone à cette adresse personnelle (ne la partagez pas) :"</p>
            <p><a id="calendar-link" href=path.clone()>{path.clone()}</a></p>
            <ActionForm action=regenerate>
                <button type="submit">"Changer d'adresse (l'ancienne cessera de fonctionner)"</button>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------- admin

#[component]
pub fn PlanningsPage() -> impl IntoView {
    view! { <Authed><Plannings/></Authed> }
}

#[component]
fn Plannings() -> impl IntoView {
    let create = ServerAction::<CreatePlanning>::new();
    let list = Resource::new(move || create.version().get(), |_| list_plannings());
    let errors = move || create.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let is_admin = use_me().role == Role::Admin;
    view! {
        <main class="page">
            <h1>"Plannings"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(ps) if ps.is_empty() => view! { <p class="empty">"Aucun planning."</p> }.into_any(),
                        Ok(ps) => view! {
                            <ul class="plannings">
                                {ps.into_iter().map(|p| view! { <li><a href=format!("/plannings/{}", p.id)>{p.name}</a></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {is_admin.then(|| view! {
                <ActionForm action=create attr:class="card form">
                    <h2>"Nouveau planning"</h2>
                    {move || create.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
                    <label for="planning-name">"Nom"</label>
                    <input id="planning-name" name="name" placeholder="SNP médecins généralistes"/>
                    {move || field_error(errors(), Field::Name)}
                    <label for="notice">{t::field(Field::NoticeHours)}</label>
                    <input id="notice" name="notice_hours" inputmode="numeric" value="48"/>
                    {move || field_error(errors(), Field::NoticeHours)}
                    <button type="submit" class="primary">"Créer le planning"</button>
                </ActionForm>
            })}
        </main>
    }
}

#[component]
pub fn PlanningPage() -> impl IntoView {
    view! { <Authed><PlanningDetail/></Authed> }
}

#[component]
fn PlanningDetail() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let from = move || query.read().get("du").unwrap_or_default();
    let days = move || query.read().get("jours").and_then(|d| d.parse::<i64>().ok()).unwrap_or(7);
    let live = use_live();
    let add_group = ServerAction::<AddGroup>::new();
    let generate = ServerAction::<GenerateVacations>::new();
    let assign = ServerAction::<AssignVacation>::new();
    let unassign = ServerAction::<UnassignVacation>::new();
    let members = ServerAction::<SetGroupMembers>::new();
    provide_context((unassign, members));
    let data = Resource::new(
        move || {
            (
                id(),
                from(),
                days(),
                live.version.get(),
                add_group.version().get(),
                generate.version().get(),
                assign.version().get(),
                unassign.version().get(),
                members.version().get(),
            )
        },
        |(id, from, days, ..)| get_planning(id, from, days),
    );
    let is_admin = use_me().role == Role::Admin;
    view! {
        <main class="page wide">
            <p><a href="/plannings">"← Plannings"</a></p>
            {move || action_error(add_group.value().get())}
            {move || action_error(generate.value().get())}
            {move || action_error(assign.value().get())}
            {move || action_error(unassign.value().get())}
            {move || action_error(members.value().get())}
            {move || generate.value().get().and_then(Result::ok).map(|n| view! { <p class="banner ok" role="status">{format!("{n} vacations créées.")}</p> })}
            <Transition fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <PlanningBody p=p is_admin=is_admin add_group=add_group generate=generate assign=assign/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn PlanningBody(
    p: PlanningView,
    is_admin: bool,
    add_group: ServerAction<AddGroup>,
    generate: ServerAction<GenerateVacations>,
    assign: ServerAction<AssignVacation>,
) -> impl IntoView {
    let id = p.planning.id;
    let first = p.vacations.first().map(|v| v.starts_at);
    let nav = |delta: i64| {
        let start = first.map(|f| f.with_timezone(&chrono_tz::Europe::Paris).date_naive()).unwrap_or_default();
        format!("/plannings/{id}?du={}", start + chrono::Duration::days(delta))
    };
    let clinicians = p.clinicians.clone();
    let (unassign, set_members) = use_context::<(ServerAction<UnassignVacation>, ServerAction<SetGroupMembers>)>()
        .expect("provided by PlanningDetail");
    let gen_errors = move || generate.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let group_errors = move || add_group.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    view! {
        <div class="page-head">
            <h1>{p.planning.name.clone()}</h1>
            <span class={if p.gaps > 0 { "status warn" } else { "status ok" }} id="gaps">
                {if p.gaps > 0 { format!("{} place(s) à pourvoir", p.gaps) } else { "Complet".to_string() }}
            </span>
        </div>
        <section class="card">
            <h2>"Groupes et règles"</h2>
            {p.groups.is_empty().then(|| view! { <p class="empty">"Aucun groupe : personne ne peut prendre de vacation."</p> })}
            <ul>
                {p.groups.iter().map(|g| {
                    let in_group: Vec<i64> = g.members.iter().map(|(id, _)| *id).collect();
                    let all = clinicians.clone();
                    let gid = g.id;
                    view! {
                        <li>
                            <strong>{g.name.clone()}</strong> {format!(" ({}) — ", g.dimension)}
                            {rule_label(&g.rule)} " — "
                            {g.members.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(", ")}
                            {is_admin.then(move || view! {
                                <details>
                                    <summary>"Modifier les membres"</summary>
                                    <ActionForm action=set_members attr:class="form">
                                        <input type="hidden" name="group_id" value=gid/>
                                        {all.iter().enumerate().map(|(i, (mid, n, _))| view! {
                                            <label class="check">
                                                <input type="checkbox" name=format!("member_ids[{i}]") value=mid.to_string() checked=in_group.contains(mid)/>
                                                {n.clone()}
                                            </label>
                                        }).collect_view()}
                                        <button type="submit">"Enregistrer les membres"</button>
                                    </ActionForm>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-label="Grille">
            <div class="row">
                <h2>"Grille"</h2>
                {first.map(|_| view! {
                    <span>
                        <a href=nav(-7)>"← Semaine précédente"</a> " · " <a href=nav(7)>"Semaine suivante →"</a>
                        " · " <a href=format!("{}&jours=31", nav(0))>"Le mois"</a>
                    </span>
                })}
            </div>
            {p.vacations.is_empty().then(|| view! { <p class="empty">"Aucune vacation sur cette période."</p> })}
            <table class="grid">
                <thead><tr><th>"Vacation"</th><th>"Type"</th><th>"Tenue par"</th><th>"Places"</th>{is_admin.then(|| view! { <th>"Attribuer"</th> })}</tr></thead>
                <tbody>
                    {p.vacations.iter().map(|v| {
                        let gap = (v.holders.len() as u32) < v.capacity;
                        let clinicians = clinicians.clone();
                        let vid = v.id;
                        view! {
                            <tr class:gap=gap data-vacation-id=v.id>
                                <td>{slot_label(v)}</td>
                                <td>{t::vacation_kind(v.kind)}</td>
                                <td>
                                    {if v.holders.is_empty() { Some("personne") } else { None }}
                                    {v.holders.iter().map(|(mid, n)| {
                                        let mid = *mid;
                                        let name = n.clone();
                                        let label = format!("Retirer {n}");
                                        view! {
                                            <span class="holder">{name}
                                                {is_admin.then(move || view! {
                                                    <ActionForm action=unassign attr:class="inline">
                                                        <input type="hidden" name="vacation_id" value=vid/>
                                                        <input type="hidden" name="member_id" value=mid/>
                                                        <button type="submit" class="link" aria-label=label>"retirer"</button>
                                                    </ActionForm>
                                                })}
                                            </span>
                                        }
                                    }).collect_view()}
                                </td>
                                <td>{format!("{}/{}", v.holders.len(), v.capacity)}</td>
                                {(is_admin && gap).then(move || view! {
                                    <td>
                                        <ActionForm action=assign attr:class="inline-form">
                                            <input type="hidden" name="vacation_id" value=vid/>
                                            <select name="member_id" aria-label="Membre">
                                                {clinicians.iter().map(|(id, n, _)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}
                                            </select>
                                            <button type="submit">"Attribuer"</button>
                                        </ActionForm>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <p class="actions">
            <a class="button" href=format!("/plannings/{id}/export.csv")>"Exporter le mois (CSV)"</a>
            <a class="button" href=format!("/plannings/{id}/stats.csv")>"Statistiques du mois (CSV)"</a>
        </p>
        {(!p.counts.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Vacations tenues sur la période"</h2>
                <ul>{p.counts.iter().map(|(n, c)| view! { <li>{format!("{n} : {c}")}</li> }).collect_view()}</ul>
            </section>
        })}
        {is_admin.then(|| view! {
            <ActionForm action=generate attr:class="card form">
                <h2>"Générer des vacations"</h2>
                <input type="hidden" name="planning_id" value=id/>
                <label for="gen-kind">{t::field(Field::Kind)}</label>
                <select id="gen-kind" name="form[kind]">
                    {VacationKind::ALL.iter().map(|k| view! { <option value=k.code()>{t::vacation_kind(*k)}</option> }).collect_view()}
                </select>
                <fieldset>
                    <legend>{t::field(Field::Weekdays)}</legend>
                    {["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."].iter().enumerate().map(|(i, d)| view! {
                        <label class="check inline"><input type="checkbox" name=format!("form[weekdays][{i}]") value=(i + 1).to_string() checked=i < 5/>{*d}</label>
                    }).collect_view()}
                </fieldset>
                {move || field_error(gen_errors(), Field::Weekdays)}
                <label for="gen-hours">{t::field(Field::Hours)}</label>
                <input id="gen-hours" name="form[hours]" value="08:00-12:00,14:00-20:00"/>
                {move || field_error(gen_errors(), Field::Hours)}
                <label for="gen-from">{t::field(Field::From)}</label>
                <input id="gen-from" type="date" name="form[from]"/>
                {move || field_error(gen_errors(), Field::From)}
                <label for="gen-to">{t::field(Field::To)}</label>
                <input id="gen-to" type="date" name="form[to]"/>
                {move || field_error(gen_errors(), Field::To)}
                <label for="gen-capacity">{t::field(Field::Capacity)}</label>
                <input id="gen-capacity" name="form[capacity]" inputmode="numeric" value="1"/>
                {move || field_error(gen_errors(), Field::Capacity)}
                <label class="check"><input type="checkbox" name="form[skip_holidays]" value="on" checked=true/>"Sauter les jours fériés"</label>
                <label class="check"><input type="checkbox" name="form[self_service]" value="on" checked=true/>"En libre-service (sinon attribuées par l'administrateur)"</label>
                <button type="submit" class="primary">"Générer"</button>
            </ActionForm>
            <ActionForm action=add_group attr:class="card form">
                <h2>"Nouveau groupe"</h2>
                <input type="hidden" name="planning_id" value=id/>
                <label for="group-name">"Nom du groupe"</label>
                <input id="group-name" name="name" placeholder="Médecins de Rennes"/>
                {move || field_error(group_errors(), Field::Name)}
                <label for="group-dimension">{t::field(Field::Dimension)}</label>
                <select id="group-dimension" name="dimension">
                    <option value="territory">"Territoire"</option>
                    <option value="profession">"Profession"</option>
                    <option value="structure">"Structure"</option>
                </select>
                <label for="group-week">"Au plus, par semaine (vide : sans limite)"</label>
                <input id="group-week" name="max_per_week" inputmode="numeric"/>
                <label for="group-month">"Au plus, par mois"</label>
                <input id="group-month" name="max_per_month" inputmode="numeric"/>
                <label for="group-share">"Part maximale du planning (%)"</label>
                <input id="group-share" name="max_share_percent" inputmode="numeric"/>
                {move || field_error(group_errors(), Field::MaxShare)}
                <fieldset>
                    <legend>"Membres"</legend>
                    {p.clinicians.iter().enumerate().map(|(i, (mid, n, prof))| view! {
                        <label class="check"><input type="checkbox" name=format!("member_ids[{i}]") value=mid.to_string()/>
                            {format!("{n}{}", prof.map(|p| format!(" — {}", t::profession(p))).unwrap_or_default())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary">"Créer le groupe"</button>
            </ActionForm>
        })}
    }
}

fn rule_label(r: &GroupRule) -> String {
    let mut parts = vec![];
    if let Some(w) = r.max_per_week {
        parts.push(format!("au plus {w}/semaine"));
    }
    if let Some(m) = r.max_per_month {
        parts.push(format!("au plus {m}/mois"));
    }
    if let Some(s) = r.max_share_percent {
        parts.push(format!("au plus {s} % du planning"));
    }
    if parts.is_empty() {
        "sans limite".into()
    } else {
        parts.join(", ")
    }
}
