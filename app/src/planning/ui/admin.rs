//! The plannings on the admin's desktop: list, groups and rules, generation, the grid.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::domain::Field;
use crate::domain::Role;
use crate::i18n::t;
use crate::planning::api::{
    get_planning, list_plannings, AddGroup, AssignVacation, CreatePlanning, GenerateVacations, SetGroupMembers,
    UnassignVacation,
};
use crate::planning::dto::*;
use crate::ui::live::use_live;
use crate::ui::widgets::{field_error, use_me, Authed, ErrorBanner};

use super::mine::{action_error, slot_label};

#[component]
pub fn PlanningsPage() -> impl IntoView {
    view! { <Authed><Plannings/></Authed> }
}

/// The audit trail of a period, for the admin: a plain GET form (works without JavaScript).
#[component]
fn AuditExport() -> impl IntoView {
    view! {
        <form class="card form" method="get" action="/journal/journal.csv">
            <h2>{t::JOURNAL_D_AUDIT()}</h2>
            <p>{t::JOURNAL_D_AUDIT_AIDE()}</p>
            <label for="journal-du">{t::DU()}</label>
            <input id="journal-du" name="du" type="date"/>
            <label for="journal-au">{t::AU()}</label>
            <input id="journal-au" name="au" type="date"/>
            <button type="submit">{t::EXPORTER_LE_JOURNAL()}</button>
        </form>
    }
}

#[component]
fn Plannings() -> impl IntoView {
    let create = ServerAction::<CreatePlanning>::new();
    let list = Resource::new(move || create.version().get(), |_| list_plannings());
    let errors = move || create.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let is_admin = use_me().role == Role::Admin;
    view! {
        <main class="page">
            <h1>{t::PLANNINGS()}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(ps) if ps.is_empty() => view! { <p class="empty">{t::AUCUN_PLANNING()}</p> }.into_any(),
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
                    <h2>{t::NOUVEAU_PLANNING()}</h2>
                    {move || create.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
                    <label for="planning-name">{t::NOM()}</label>
                    <input id="planning-name" name="name" placeholder=t::EX_PLANNING()/>
                    {move || field_error(errors(), Field::Name)}
                    <label for="notice">{t::field(Field::NoticeHours)}</label>
                    <input id="notice" name="notice_hours" inputmode="numeric" value="48"/>
                    {move || field_error(errors(), Field::NoticeHours)}
                    <button type="submit" class="primary">{t::CREER_LE_PLANNING()}</button>
                </ActionForm>
                <AuditExport/>
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
    let generated = crate::ui::widgets::posted::<GenerateVacations>();
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
            <p><a href="/plannings">{t::PLANNINGS_2()}</a></p>
            {move || action_error(add_group.value().get())}
            {move || action_error(generate.value().get())}
            {move || action_error(assign.value().get())}
            {move || action_error(unassign.value().get())}
            {move || action_error(members.value().get())}
            {move || generate.value().get().and_then(Result::ok).or(generated).map(|n| view! { <p class="banner ok" role="status">{t::vacations_creees(n)}</p> })}
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
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
            <span class={if p.gaps > 0 { {t::STATUS_WARN} } else { {t::STATUS_OK} }} id="gaps">
                {if p.gaps > 0 { t::places_a_pourvoir(p.gaps as i64) } else { t::COMPLET().to_string() }}
            </span>
        </div>
        <section class="card">
            <h2>{t::GROUPES_ET_REGLES()}</h2>
            {p.groups.is_empty().then(|| view! { <p class="empty">{t::AUCUN_GROUPE_PERSONNE_NE_PEUT()}</p> })}
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
                                    <summary>{t::MODIFIER_LES_MEMBRES()}</summary>
                                    <ActionForm action=set_members attr:class="form">
                                        <input type="hidden" name="group_id" value=gid/>
                                        {all.iter().enumerate().map(|(i, (mid, n, _))| view! {
                                            <label class="check">
                                                <input type="checkbox" name=format!("member_ids[{i}]") value=mid.to_string() checked=in_group.contains(mid)/>
                                                {n.clone()}
                                            </label>
                                        }).collect_view()}
                                        <button type="submit">{t::ENREGISTRER_LES_MEMBRES()}</button>
                                    </ActionForm>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-label=t::GRILLE()>
            <div class="row">
                <h2>{t::GRILLE()}</h2>
                {first.map(|_| view! {
                    <span>
                        <a href=nav(-7)>{t::SEMAINE_PRECEDENTE()}</a> " · " <a href=nav(7)>{t::SEMAINE_SUIVANTE()}</a>
                        " · " <a href=format!("{}&jours=31", nav(0))>{t::LE_MOIS()}</a>
                    </span>
                })}
            </div>
            {p.vacations.is_empty().then(|| view! { <p class="empty">{t::AUCUNE_VACATION_SUR_CETTE_PERIODE()}</p> })}
            <table class="grid">
                <thead><tr><th>{t::VACATION()}</th><th>{t::TYPE()}</th><th>{t::TENUE_PAR()}</th><th>{t::PLACES()}</th>{is_admin.then(|| view! { <th>{t::ATTRIBUER()}</th> })}</tr></thead>
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
                                        let label = t::retirer_nom(n);
                                        view! {
                                            <span class="holder">{name}
                                                {is_admin.then(move || view! {
                                                    <ActionForm action=unassign attr:class="inline">
                                                        <input type="hidden" name="vacation_id" value=vid/>
                                                        <input type="hidden" name="member_id" value=mid/>
                                                        <button type="submit" class="link" aria-label=label>{t::RETIRER_MIN()}</button>
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
                                            <select name="member_id" aria-label=t::MEMBRE()>
                                                {clinicians.iter().map(|(id, n, _)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}
                                            </select>
                                            <button type="submit">{t::ATTRIBUER()}</button>
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
            <a class="button" href=format!("/plannings/{id}/export.csv")>{t::EXPORTER_LE_MOIS()}</a>
            <a class="button" href=format!("/plannings/{id}/stats.csv")>{t::STATISTIQUES_DU_MOIS()}</a>
        </p>
        {(!p.counts.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t::VACATIONS_TENUES_SUR_LA_PERIODE()}</h2>
                <ul>{p.counts.iter().map(|(n, c)| view! { <li>{format!("{n} : {c}")}</li> }).collect_view()}</ul>
            </section>
        })}
        {is_admin.then(|| view! {
            <ActionForm action=generate attr:class="card form">
                <h2>{t::GENERER_DES_VACATIONS()}</h2>
                <input type="hidden" name="planning_id" value=id/>
                <label for="gen-kind">{t::field(Field::Kind)}</label>
                <select id="gen-kind" name="form[kind]">
                    {VacationKind::ALL.iter().map(|k| view! { <option value=k.code()>{t::vacation_kind(*k)}</option> }).collect_view()}
                </select>
                <fieldset>
                    <legend>{t::field(Field::Weekdays)}</legend>
                    {t::JOURS_COURTS().iter().enumerate().map(|(i, d)| view! {
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
                <label class="check"><input type="checkbox" name="form[skip_holidays]" value="on" checked=true/>{t::SAUTER_LES_JOURS_FERIES()}</label>
                <label class="check"><input type="checkbox" name="form[self_service]" value="on" checked=true/>{t::EN_LIBRE_SERVICE()}</label>
                <button type="submit" class="primary">{t::GENERER()}</button>
            </ActionForm>
            <ActionForm action=add_group attr:class="card form">
                <h2>{t::NOUVEAU_GROUPE()}</h2>
                <input type="hidden" name="planning_id" value=id/>
                <label for="group-name">{t::NOM_DU_GROUPE()}</label>
                <input id="group-name" name="name" placeholder=t::EX_GROUPE()/>
                {move || field_error(group_errors(), Field::Name)}
                <label for="group-dimension">{t::field(Field::Dimension)}</label>
                <select id="group-dimension" name="dimension">
                    <option value="territory">{t::TERRITOIRE()}</option>
                    <option value="profession">{t::PROFESSION()}</option>
                    <option value="structure">{t::STRUCTURE()}</option>
                </select>
                <label for="group-week">{t::AU_PLUS_PAR_SEMAINE()}</label>
                <input id="group-week" name="max_per_week" inputmode="numeric"/>
                <label for="group-month">{t::AU_PLUS_PAR_MOIS()}</label>
                <input id="group-month" name="max_per_month" inputmode="numeric"/>
                <label for="group-share">{t::PART_MAXIMALE_DU_PLANNING()}</label>
                <input id="group-share" name="max_share_percent" inputmode="numeric"/>
                {move || field_error(group_errors(), Field::MaxShare)}
                <fieldset>
                    <legend>{t::MEMBRES()}</legend>
                    {p.clinicians.iter().enumerate().map(|(i, (mid, n, prof))| view! {
                        <label class="check"><input type="checkbox" name=format!("member_ids[{i}]") value=mid.to_string()/>
                            {format!("{n}{}", prof.map(|p| format!(" — {}", t::profession(p))).unwrap_or_default())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary">{t::CREER_LE_GROUPE()}</button>
            </ActionForm>
        })}
    }
}

fn rule_label(r: &GroupRule) -> String {
    let mut parts = vec![];
    if let Some(w) = r.max_per_week {
        parts.push(t::au_plus_semaine(w));
    }
    if let Some(m) = r.max_per_month {
        parts.push(t::au_plus_mois(m));
    }
    if let Some(s) = r.max_share_percent {
        parts.push(t::au_plus_part(s));
    }
    if parts.is_empty() {
        t::SANS_LIMITE().into()
    } else {
        parts.join(", ")
    }
}
