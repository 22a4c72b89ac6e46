//! Form pieces several capabilities share: the signs of gravity that send to the 15, and the
//! patient's first name or initials, age band and callback phone (`form[…]` names, checked by
//! `domain::patient`).

use leptos::prelude::*;

use crate::domain::{AgeBand, Field, FieldErrors, RedFlag};
use crate::i18n::t;
use crate::ui::widgets::field_error;

/// The signs of gravity (`form[red_flags][i]`): any of them ticked, nothing is sent.
pub fn red_flags_fieldset() -> impl IntoView {
    view! {
        <fieldset class="redflags">
            <legend>{t::SIGNES_DE_GRAVITE_SI_L()}</legend>
            {RedFlag::ALL.iter().enumerate().map(|(i, f)| view! {
                <label class="check">
                    <input type="checkbox" name=format!("form[red_flags][{i}]") value=f.code()/>
                    {t::red_flag(*f)}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// What the form says when signs of gravity were ticked: which, and the button that calls the 15.
pub fn red_flags_alert(flags: Vec<RedFlag>) -> impl IntoView {
    view! {
        <div class="banner redflag" role="alert">
            <strong>{t::ERR_RED_FLAGS()}</strong>
            <ul>{flags.into_iter().map(|f| view! { <li>{t::red_flag(f)}</li> }).collect_view()}</ul>
            <a class="button danger" href="tel:15">{t::APPELER_LE_15()}</a>
        </div>
    }
}

/// The patient's first name or initials, age band and callback phone, each with its error from
/// `errors` (the last answer's field errors).
pub fn patient_fields(errors: impl Fn() -> Option<FieldErrors> + Copy + Send + Sync + 'static) -> impl IntoView {
    let fe = move |f: Field| move || field_error(errors(), f);
    view! {
        <label for="patient_name">{t::field(Field::PatientName)}</label>
        <input id="patient_name" name="form[patient_name]" maxlength="40" autocomplete="off"/>
        {fe(Field::PatientName)}
        <label for="age_band">{t::field(Field::AgeBand)}</label>
        <select id="age_band" name="form[age_band]">
            <option value="">{t::CHOISIR()}</option>
            {AgeBand::ALL.iter().map(|a| view! { <option value=a.code()>{t::age_band(*a)}</option> }).collect_view()}
        </select>
        {fe(Field::AgeBand)}
        <label for="callback_phone">{t::field(Field::CallbackPhone)}</label>
        <input id="callback_phone" name="form[callback_phone]" type="tel" inputmode="tel" placeholder="06 12 34 56 78" autocomplete="off"/>
        {fe(Field::CallbackPhone)}
    }
}
