//! The member's own card on *Réglages*: profile (practice address and commune, mobile phone,
//! teleconsultation), quiet hours, which notices arrive on which channel, the language of the
//! interface, and "log out my other devices".

use leptos::prelude::*;

use crate::auth::LogoutOthers;
use crate::domain::{Field, Role};
use crate::i18n::t;
use crate::i18n::Lang;
use crate::members::api::{my_profile, SaveLanguage, SaveNotices, SaveProfile};
use crate::members::dto::ProfileView;
use crate::ui::widgets::{field_error, ErrorBanner};

#[component]
pub fn ProfileCard() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let notices = ServerAction::<SaveNotices>::new();
    let others = ServerAction::<LogoutOthers>::new();
    let data = Resource::new(
        move || (save.version().get(), notices.version().get(), others.version().get()),
        |_| my_profile(),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Body p=p save=save notices=notices others=others/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(
    p: ProfileView,
    save: ServerAction<SaveProfile>,
    notices: ServerAction<SaveNotices>,
    others: ServerAction<LogoutOthers>,
) -> impl IntoView {
    let errors = move || save.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let just_saved = crate::ui::widgets::posted::<SaveProfile>().is_some();
    let just_closed = crate::ui::widgets::posted::<LogoutOthers>();
    let saved = move || matches!(save.value().get(), Some(Ok(()))) || just_saved;
    let clinician = p.role == Role::Clinician;
    let commune = p.commune.clone().unwrap_or_default();
    let no_phone = p.phone.is_empty();
    view! {
        <section class="card" aria-labelledby="profile-title" id="profile">
            <h2 id="profile-title">{t::MON_PROFIL()}</h2>
            <p class="meta">
                {p.email.clone()}
                {p.profession.map(|x| format!(" · {}", t::profession(x)))}
                {p.rpps.clone().map(|r| format!(" · RPPS {r}"))}
            </p>
            <ActionForm action=save attr:class="form" attr:id="profile-form">
                {move || saved().then(|| view! { <p class="banner ok" role="status">{t::ENREGISTRE()}</p> })}
                <label for="address">{t::field(Field::Address)}</label>
                <input id="address" name="address" value=p.address.clone() maxlength="200" autocomplete="street-address"/>
                {move || field_error(errors(), Field::Address)}
                <label for="commune">{t::field(Field::Commune)}</label>
                <select id="commune" name="commune">
                    <option value="">{t::AUCUNE()}</option>
                    {p.communes.iter().map(|c| view! { <option value=c.clone() selected=*c == commune>{c.clone()}</option> }).collect_view()}
                </select>
                {move || field_error(errors(), Field::Commune)}
                <label for="phone">{t::field(Field::Phone)}</label>
                <input id="phone" name="phone" type="tel" inputmode="tel" value=p.phone.clone() autocomplete="tel"
                    aria-describedby="phone-help"/>
                <small id="phone-help">{t::TELEPHONE_AIDE()}</small>
                {move || field_error(errors(), Field::Phone)}
                {clinician.then(|| view! {
                    <label class="check">
                        <input type="checkbox" name="teleconsult" value="on" checked=p.teleconsult/>
                        {t::JE_TELECONSULTE()}
                    </label>
                })}
                <fieldset>
                    <legend>{t::field(Field::QuietHours)}</legend>
                    <small>{t::HEURES_CALMES_AIDE()}</small>
                    <label>{t::DE_HEURE()}<input name="quiet_start" type="time" value=p.quiet_start.clone()/></label>
                    <label>{t::A()}<input name="quiet_end" type="time" value=p.quiet_end.clone()/></label>
                    {move || field_error(errors(), Field::QuietHours)}
                </fieldset>
                <button type="submit" class="primary">{t::ENREGISTRER()}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="notices-title" id="notices">
            <h2 id="notices-title">{t::MES_NOTIFICATIONS()}</h2>
            <ActionForm action=notices attr:class="form" attr:id="notices-form">
                {move || notices.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
                <table class="notices">
                    <thead><tr><th scope="col">{t::AVIS()}</th><th scope="col">{t::PUSH()}</th><th scope="col">{t::E_MAIL()}</th><th scope="col">{t::SMS()}</th></tr></thead>
                    <tbody>
                        {p.notices.iter().enumerate().map(|(i, n)| {
                            let code = n.notice.code();
                            let label = t::notice(n.notice);
                            let c = n.channels;
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td><input type="checkbox" name=format!("channels[{}]", i * 3) value=format!("{code}:push") checked=c.push aria-label=format!("{label} — {}", t::PUSH())/></td>
                                    <td><input type="checkbox" name=format!("channels[{}]", i * 3 + 1) value=format!("{code}:email") checked=c.email aria-label=format!("{label} — {}", t::E_MAIL())/></td>
                                    <td><input type="checkbox" name=format!("channels[{}]", i * 3 + 2) value=format!("{code}:sms") checked=c.sms aria-label=format!("{label} — {}", t::SMS())/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {no_phone.then(|| view! { <p class="meta">{t::SMS_SANS_TELEPHONE()}</p> })}
                <button type="submit">{t::ENREGISTRER()}</button>
            </ActionForm>
        </section>
        <LanguageCard chosen=p.lang/>
        <section class="card" aria-labelledby="sessions-title" id="sessions">
            <h2 id="sessions-title">{t::MES_CONNEXIONS()}</h2>
            <p id="other-sessions">{t::autres_connexions(p.other_sessions)}</p>
            {move || others.value().get().and_then(Result::ok).or(just_closed).map(|n| view! { <p class="banner ok" role="status">{t::connexions_fermees(n)}</p> })}
            <ActionForm action=others attr:class="inline">
                <button type="submit">{t::DECONNECTER_MES_AUTRES_APPAREILS()}</button>
            </ActionForm>
        </section>
    }
}

/// The language of the interface: the browser's, or one chosen for every device. Once saved, the
/// page is drawn anew by the server in it (without JavaScript, the form's redirect does it).
#[component]
fn LanguageCard(chosen: Option<Lang>) -> impl IntoView {
    let save = ServerAction::<SaveLanguage>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    let current = chosen.map(Lang::code).unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="language-title" id="language">
            <h2 id="language-title">{t::LANGUE()}</h2>
            <ActionForm action=save attr:class="form" attr:id="language-form">
                {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
                <label for="lang">{t::LANGUE()}</label>
                <select id="lang" name="lang" aria-describedby="lang-help">
                    <option value="" selected=current.is_empty()>{t::LANGUE_DU_NAVIGATEUR()}</option>
                    {Lang::ALL
                        .iter()
                        .map(|l| view! { <option value=l.code() lang=l.code() selected=current == l.code()>{l.name()}</option> })
                        .collect_view()}
                </select>
                <small id="lang-help">{t::LANGUE_AIDE()}</small>
                <button type="submit">{t::ENREGISTRER()}</button>
            </ActionForm>
        </section>
    }
}
