//! *Indicateurs* (coordination and admins): a period picked in one tap or typed, the figures
//! that matter first, then each table with its chart beside it and its CSV; the *Dossier ACI*.
//! And a clinician's own month, shown on their *Réglages*.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::{Field, Role};
use crate::i18n::t;
use crate::indicators::api::{indicators_report, my_figures};
use crate::indicators::dto::{Report, Table};
use crate::indicators::rules::Period;
use crate::ui::widgets::{field_error, use_me, Authed, ErrorBanner};

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    view! { <Authed><Indicators/></Authed> }
}

/// The query string of a period, for links and exports.
fn query(p: Period) -> String {
    format!("du={}&au={}", p.from, p.to)
}

#[component]
fn Indicators() -> impl IntoView {
    let q = use_query_map();
    let du = move || q.read().get("du").unwrap_or_default();
    let au = move || q.read().get("au").unwrap_or_default();
    let data = Resource::new(move || (du(), au()), |(du, au)| indicators_report(du, au));
    view! {
        <main class="page wide indicators">
            <h1>{t::INDICATEURS()}</h1>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => view! { <Body r=r/> }.into_any(),
                        Err(e) => {
                            let errors = e.field_errors().cloned();
                            view! {
                                <ErrorBanner error=e/>
                                <Picker du=du() au=au() errors=errors/>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </main>
    }
}

/// The period: presets as links, and two dates (a plain GET form: works without JavaScript).
#[component]
fn Picker(
    du: String,
    au: String,
    errors: Option<crate::domain::FieldErrors>,
    #[prop(optional)] r: Option<Report>,
) -> impl IntoView {
    let presets = r.as_ref().map(|r| (r.presets.clone(), r.preset)).unwrap_or_default();
    view! {
        <nav class="presets" aria-label=t::PERIODE()>
            {presets.0.into_iter().map(|(p, period)| {
                let current = presets.1 == Some(p);
                view! {
                    <a href=format!("/indicateurs?{}", query(period)) class="chip"
                        aria-current=current.then_some("page")>{t::preset(p)}</a>
                }
            }).collect_view()}
        </nav>
        <form method="get" action="/indicateurs" class="card period" id="period-form">
            <label>{t::DU()}<input type="date" name="du" value=du required/></label>
            {field_error(errors.clone(), Field::From)}
            <label>{t::AU()}<input type="date" name="au" value=au required/></label>
            {field_error(errors, Field::To)}
            <button type="submit">{t::AFFICHER()}</button>
        </form>
    }
}

#[component]
fn Body(r: Report) -> impl IntoView {
    let q = query(r.period);
    let (du, au) = (r.period.from.to_string(), r.period.to.to_string());
    let sections = r.sections.clone();
    let headline = r.headline.clone();
    let label = r.label.clone();
    view! {
        <Picker du=du au=au errors=None r=r/>
        <p class="meta" id="period-label">{label}</p>
        <dl class="figures" id="headline">
            {headline.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
        <p><a class="button" id="dossier-aci" href=format!("/indicateurs/dossier-aci.csv?{q}") download>{t::DOSSIER_ACI()}</a></p>
        {sections.into_iter().map(|s| {
            let q = q.clone();
            view! {
                <h2>{s.title}</h2>
                {s.tables.into_iter().map(|table| view! { <IndicatorTable table=table q=q.clone()/> }).collect_view()}
            }
        }).collect_view()}
    }
}

#[component]
fn IndicatorTable(table: Table, q: String) -> impl IntoView {
    let csv = format!("/indicateurs/{}.csv?{q}", table.id);
    let id = format!("t-{}", table.id);
    let columns = table.columns.clone();
    view! {
        <section class="card indicator" id=id aria-labelledby=format!("h-{}", table.id)>
            <h3 id=format!("h-{}", table.id)>{table.title.clone()}</h3>
            <p class="meta">{table.note.clone()}</p>
            <div class="indicator-body">
                {table.chart.clone().map(|svg| view! { <figure class="chart" inner_html=svg></figure> })}
                // A table wider than a phone scrolls: by keyboard too (focusable, named by its title).
                <div class="scroll" tabindex="0" role="group" aria-labelledby=format!("h-{}", table.id)>
                    <table>
                        <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {table.rows.clone().into_iter().map(|row| {
                                let mut cells = row.into_iter();
                                let head = cells.next().unwrap_or_default();
                                view! {
                                    <tr>
                                        <th scope="row">{head}</th>
                                        {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
            <p><a href=csv download class="csv">{t::TELECHARGER_CSV()}</a></p>
        </section>
    }
}

/// A clinician's month (on *Réglages*): requests answered, vacations done.
#[component]
pub fn MyFiguresCard() -> impl IntoView {
    let clinician = use_me().role == Role::Clinician;
    let data = Resource::new(|| (), |_| my_figures());
    clinician.then(|| {
        view! {
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    data.await.ok().map(|f| view! {
                        <section class="card" id="my-figures" aria-labelledby="my-figures-title">
                            <h2 id="my-figures-title">{t::mon_mois(&f.month)}</h2>
                            <dl class="figures">
                                <div><dt>{t::DEMANDES_ACCEPTEES()}</dt><dd>{f.answered}</dd></div>
                                <div><dt>{t::VACATIONS_FAITES()}</dt><dd>{f.vacations_done}</dd></div>
                                <div><dt>{t::HEURES_FAITES()}</dt><dd>{f.hours_done}</dd></div>
                            </dl>
                        </section>
                    })
                })}
            </Transition>
        }
    })
}
