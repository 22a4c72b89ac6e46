//! *Urgences dentaires*: the rota of the coming four weeks (dentists take a morning, every week
//! or once, and give it back), the referrals (waiting at a dentist, sent by a referrer, all
//! open ones for the coordination), the referral form, a referral's page, the admin's grid.

mod grid;
mod refer;
mod referral;

pub use grid::GridPage;
pub use refer::ReferPage;
pub use referral::ReferralPage;

use leptos::prelude::*;

use crate::api::AppError;
use crate::dental::api::{rota, TakeWeekly};
use crate::dental::dto::{ReferralSummary, RotaMorningView};
use crate::domain::Role;
use crate::i18n::t;
use crate::planning::{ReturnVacation, TakeVacation};
use crate::ui::live::use_live;
use crate::ui::widgets::{day_hm, hm, use_me, Authed, ErrorBanner};

#[component]
pub fn DentalPage() -> impl IntoView {
    view! { <Authed><Dental/></Authed> }
}

fn banner<T: Clone + Send + Sync + 'static>(value: Option<Result<T, AppError>>) -> Option<AnyView> {
    value.and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> }.into_any())
}

#[component]
fn Dental() -> impl IntoView {
    let live = use_live();
    let take = ServerAction::<TakeVacation>::new();
    let weekly = ServerAction::<TakeWeekly>::new();
    let weekly_done = crate::ui::widgets::posted::<TakeWeekly>();
    let give_back = ServerAction::<ReturnVacation>::new();
    let data = Resource::new(
        move || (live.version.get(), take.version().get(), weekly.version().get(), give_back.version().get()),
        |_| rota(),
    );
    view! {
        <main class="page phone">
            <h1>{t::URGENCES_DENTAIRES()}</h1>
            {(use_me().role == Role::Admin).then(|| view! { <p><a href="/dentaire/grille">{t::GRILLE_DE_LA_CPTS()}</a></p> })}
            <div id="dental-errors">
                {move || banner(take.value().get())}
                {move || banner(weekly.value().get())}
                {move || banner(give_back.value().get())}
                {move || weekly.value().get().and_then(Result::ok).or(weekly_done).map(|(taken, refused)| view! {
                    <p class="banner ok" role="status">{t::matins_pris(taken, refused)}</p>
                })}
            </div>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            {d.can_refer.then(|| view! {
                                <a class="button primary wide" href="/dentaire/adresser">{t::ADRESSER_UNE_URGENCE_DENTAIRE()}</a>
                            })}
                            <section aria-labelledby="referrals-title">
                                <h2 id="referrals-title">{t::ADRESSAGES()}</h2>
                                {if d.referrals.is_empty() {
                                    view! { <p class="empty">{t::AUCUN_ADRESSAGE()}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="cards" id="referrals">
                                            {d.referrals.into_iter().map(|r| view! { <ReferralCard r=r/> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="rota-title">
                                <h2 id="rota-title">{t::PERMANENCE_DES_QUATRE_SEMAINES()}</h2>
                                {if d.mornings.is_empty() {
                                    view! { <p class="empty">{t::AUCUNE_MATINEE()}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="cards" id="rota">
                                            {d.mornings.into_iter().map(|m| view! {
                                                <MorningCard m=m take=take weekly=weekly give_back=give_back/>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                {d.is_dentist.then(|| view! { <p class="hint">{t::ECHANGER_UNE_MATINEE()}<a href="/gardes">{t::MES_GARDES()}</a></p> })}
                            </section>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn ReferralCard(r: ReferralSummary) -> impl IntoView {
    let href = format!("/dentaire/{}", r.id);
    view! {
        <li class="card" class:warn=r.overdue>
            <a href=href>
                <strong>{t::age_band(r.age_band)} " · " {r.commune.clone()}</strong>
                {r.immediate.then(|| view! { <span class="status warn">{t::TOUT_DE_SUITE()}</span> })}
                <span class="status">{t::referral_status(r.status)}</span>
            </a>
            <p>{t::adresse_par(&r.referrer_name)} " → " {r.dentist_name.clone()}</p>
            <p class="muted">{t::a_traiter_avant(&day_hm(r.due_at))}</p>
        </li>
    }
}

#[component]
fn MorningCard(
    m: RotaMorningView,
    take: ServerAction<TakeVacation>,
    weekly: ServerAction<TakeWeekly>,
    give_back: ServerAction<ReturnVacation>,
) -> impl IntoView {
    let holders = if m.holders.is_empty() {
        t::PERSONNE().to_string()
    } else {
        m.holders.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
    };
    let id = m.vacation_id;
    view! {
        <li class="card" class:mine=m.mine id=format!("morning-{id}")>
            <strong>{t::jour_long(m.starts_at)} " " {hm(m.starts_at)} "–" {hm(m.ends_at)}</strong>
            <p>{holders}</p>
            {m.can_take.then(|| view! {
                <div class="actions">
                    <ActionForm action=weekly attr:class="inline">
                        <input type="hidden" name="vacation_id" value=id.to_string()/>
                        <button type="submit" class="primary">{t::je_prends_chaque(m.starts_at)}</button>
                    </ActionForm>
                    <ActionForm action=take attr:class="inline">
                        <input type="hidden" name="vacation_id" value=id.to_string()/>
                        <button type="submit">{t::CE_MATIN_SEULEMENT()}</button>
                    </ActionForm>
                </div>
            })}
            {m.mine.then(|| view! {
                <ActionForm action=give_back attr:class="inline">
                    <input type="hidden" name="vacation_id" value=id.to_string()/>
                    <button type="submit" class="link">{t::JE_LE_RENDS()}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// On the coordination's board: the dental referrals past their 24 hours without a solution.
#[component]
pub fn OverdueDentalBanner() -> impl IntoView {
    let live = use_live();
    let data = Resource::new(move || live.version.get(), |_| rota());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let overdue = data.await.map(|d| d.referrals.iter().filter(|r| r.overdue).count()).unwrap_or(0);
                (overdue > 0).then(|| view! {
                    <p class="banner warn" role="status" id="dental-overdue">
                        <a href="/dentaire">{t::urgences_dentaires_en_retard(overdue)}</a>
                    </p>
                })
            })}
        </Transition>
    }
}
