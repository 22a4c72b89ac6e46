//! [ssr] What a plain HTML form just did, for the page the browser is sent back to.
//!
//! The pages' forms post as plain HTML forms (the browser runs no script
//! for them), and the server function answers with a redirect: the page drawn after it cannot
//! read the action's result as the script did ("Demande envoyée à 3 professionnel·le·s"). So
//! the server function keeps its result ([`keep`]) in a cookie that lives one minute and is
//! sent back only to the page the form was on (its `Path`), and that page shows it ([`take`],
//! through `ui::widgets::posted`) each time the server draws it in that minute — the live
//! updates draw the page again, and the message must not vanish under the person's eyes. The
//! cookie names the server function, so a result is only ever shown where it was asked for.

use base64::Engine;
use leptos::server_fn::ServerFn;
use serde::{de::DeserializeOwned, Serialize};

use super::ctx;

const COOKIE: &str = "relais-fait";
const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// In the server function `S`, once it succeeded: keeps `result` for the next page when the
/// call came from a plain HTML form.
pub fn keep<S: ServerFn>(result: &S::Output)
where
    S::Output: Serialize,
{
    if !ctx::from_html_form() {
        return;
    }
    let Ok(json) = serde_json::to_vec(&(S::PATH, result)) else { return };
    let secure = ctx::state().is_ok_and(|s| s.settings.secure_cookies);
    ctx::set_cookie(&crate::platform::security::own_cookie(
        COOKIE,
        &ENGINE.encode(json),
        &form_page(),
        secure,
        cookie::time::Duration::minutes(1),
    ));
}

/// The path of the page the form was posted from (its `Referer`), where the browser is sent
/// back; `/` when the browser did not say.
fn form_page() -> String {
    ctx::parts()
        .and_then(|p| p.headers.get(axum::http::header::REFERER)?.to_str().ok()?.parse::<axum::http::Uri>().ok())
        .map(|uri| uri.path().to_string())
        .filter(|p| p.starts_with('/'))
        .unwrap_or_else(|| "/".into())
}

/// While a page is drawn: the result the server function `S` kept for it, if any.
pub fn take<S: ServerFn>() -> Option<S::Output>
where
    S::Output: DeserializeOwned,
{
    let parts = ctx::parts()?;
    let header = parts.headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
    let raw = ENGINE.decode(crate::platform::security::cookie_in(header, COOKIE)?).ok()?;
    let (path, value): (String, serde_json::Value) = serde_json::from_slice(&raw).ok()?;
    if path != S::PATH {
        return None;
    }
    serde_json::from_value(value).ok()
}
