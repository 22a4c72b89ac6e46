//! Access to the application state and the caller's session inside a server function.

use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::AppError;
use crate::members::MemberRow;
use crate::platform::access::{self, AccessTable};
use crate::platform::AppState;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

pub(crate) fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn session_token() -> Option<String> {
    crate::auth::token_from_headers(&parts()?.headers)
}

/// The caller's address: the socket's, or behind a declared proxy the last
/// `X-Forwarded-For` hop (the one the proxy itself appended).
pub fn client_ip() -> String {
    let Some(parts) = parts() else { return "unknown".into() };
    let behind_proxy = use_context::<AppState>().is_some_and(|s| s.settings.behind_proxy);
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0);
    crate::platform::security::client_ip(&parts.headers, peer, behind_proxy)
}

/// The logged-in member.
///
/// # Errors
/// [`AppError::Unauthenticated`] without a valid session.
pub async fn member() -> Result<(AppState, MemberRow), AppError> {
    let state = state()?;
    let parts = parts();
    // On a page, the server already found the session's member before rendering.
    let found = parts.as_ref().and_then(|p| p.extensions.get::<PageSession>()).map(|s| s.0.clone());
    let member = match found {
        Some(member) => member,
        None => {
            let token = parts.and_then(|p| crate::auth::token_from_headers(&p.headers));
            let token = token.ok_or(AppError::Unauthenticated)?;
            crate::auth::member_for_token(&state, &token).await?.ok_or(AppError::Unauthenticated)?
        }
    };
    // What this call writes for the member (its error's message) is in the language they chose.
    if let Some(lang) = member.lang {
        provide_context(lang);
    }
    Ok((state, member))
}

/// The logged-in member, if `table` (the capability's access table) lets their role call
/// `endpoint`.
///
/// # Errors
/// [`AppError::Unauthenticated`] without a valid session, [`AppError::Forbidden`] for a role the
/// table does not admit, [`AppError::Internal`] for an endpoint missing from the table (a
/// server function nobody decided access for is refused to everyone).
pub async fn caller(table: AccessTable, endpoint: &str) -> Result<(AppState, MemberRow), AppError> {
    let Some(rule) = access::rule(table, endpoint) else {
        tracing::error!(endpoint, "server function without an access rule");
        return Err(AppError::Internal);
    };
    let (state, member) = member().await?;
    if !rule.admits(member.role) {
        return Err(AppError::Forbidden);
    }
    Ok((state, member))
}

/// Whether the call comes from a plain HTML form (no JavaScript).
pub fn from_html_form() -> bool {
    parts()
        .and_then(|p| p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Gives API clients the HTTP status of an error. Plain forms keep the redirect that carries
/// the error back to their page, and go back to it cleanly when they succeeded.
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    match &result {
        Err(e) if !from_html_form() => {
            if let Some(res) = use_context::<ResponseOptions>() {
                res.set_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
            }
        }
        Ok(_) if from_html_form() => back_to_the_form(),
        _ => {}
    }
    result
}

/// A plain form that succeeded goes back to its page (its `Referer`), as server_fn would do,
/// but without the empty `?` server_fn leaves where it took a former error out of the address
/// (`/plannings/3?`): an address built on it would not read. A page the server function chose
/// (`leptos_axum::redirect`) stands.
fn back_to_the_form() {
    let Some(res) = use_context::<ResponseOptions>() else { return };
    if res.0.read().is_ok_and(|r| r.headers.contains_key(header::LOCATION)) {
        return;
    }
    // Only a form's post: a page the server draws runs server functions too, and stays a page.
    let Some(parts) = parts().filter(|p| p.method == axum::http::Method::POST) else { return };
    let Some(referer) =
        parts.headers.get(header::REFERER).and_then(|r| r.to_str().ok()?.parse::<axum::http::Uri>().ok())
    else {
        return;
    };
    let query = super::error::query_without_form_error(referer.query().unwrap_or_default());
    leptos_axum::redirect(&format!("{}{query}", referer.path()));
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// Where Relais is reached, as the caller's browser sees it: the configured public address, or
/// the `Host` the request was sent to.
///
/// # Errors
/// Without the application state.
pub fn origin() -> Result<String, AppError> {
    let state = state()?;
    let headers = parts().map(|p| p.headers).unwrap_or_default();
    Ok(crate::platform::security::own_origin(state.settings.public_origin.as_deref(), &headers))
}

/// The member a page is drawn for, found before the page renders (see [`page_member`]).
///
/// A page asks for its member synchronously: the pages hold no resource nested inside a
/// `<Suspense>` that waits for the member, since such a resource is created anew each time the
/// server re-walks that `<Suspense>` (its serialisation id then shifts, and the browser hydrates
/// another resource's data).
#[derive(Clone, Debug)]
pub struct PageMember(pub Result<Option<crate::members::Me>, AppError>);

/// The member of the page's session, found with [`PageMember`]: the server functions the page
/// runs while it renders take it from there instead of looking the session up again.
#[derive(Clone, Debug)]
pub struct PageSession(pub MemberRow);

/// The logged-in member of the session `token` names, or `None`.
///
/// # Errors
/// A database failure, as the error sent to the browser.
pub async fn member_of(state: &AppState, token: &str) -> Result<Option<crate::members::Me>, AppError> {
    Ok(session_member(state, token).await?.map(|(_, me)| me))
}

/// The logged-in member of the session `token` names, as stored and as their screens show them.
///
/// # Errors
/// A database failure, as the error sent to the browser.
pub async fn session_member(
    state: &AppState,
    token: &str,
) -> Result<Option<(MemberRow, crate::members::Me)>, AppError> {
    let Some(member) = crate::auth::member_for_token(state, token).await? else { return Ok(None) };
    let me = crate::members::me(state, &member).await?;
    Ok(Some((member, me)))
}

/// The member of the page being rendered, as the server found it before rendering; `Ok(None)`
/// for a request without a session.
pub fn page_member() -> Result<Option<crate::members::Me>, AppError> {
    found_for_page().unwrap_or(Ok(None))
}

/// What the server found of the page's member before rendering, when this call is made while
/// a page renders (`None` for a call from the browser).
pub fn found_for_page() -> Option<Result<Option<crate::members::Me>, AppError>> {
    parts().and_then(|p| p.extensions.get::<PageMember>().map(|m| m.0.clone()))
}

/// Who asks for a download (a CSV export: a plain handler, not a server function) and the
/// language to write it in: the member's choice, else `browser` (the request's
/// `Accept-Language`). Refused in `browser`'s language without a valid session.
pub async fn downloader(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    browser: crate::i18n::Lang,
) -> Result<(MemberRow, crate::i18n::Lang), axum::response::Response> {
    let refusal = |e: AppError| crate::i18n::with_lang(browser, || e.as_text());
    let token = crate::auth::token_from_headers(headers).ok_or_else(|| refusal(AppError::Unauthenticated))?;
    match crate::auth::member_for_token(state, &token).await {
        Ok(Some(me)) => {
            let lang = me.lang.unwrap_or(browser);
            Ok((me, lang))
        }
        Ok(None) => Err(refusal(AppError::Unauthenticated)),
        Err(e) => Err(refusal(e.into())),
    }
}
