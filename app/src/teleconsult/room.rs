//! [ssr] `GET /teleconsultation/{id}`: the one door to a teleconsultation's room. It checks
//! that the caller is the request's pharmacist or its doctor and that the link is still valid,
//! and only then redirects to the video service: the room's address is never written in a
//! notification, an e-mail or a page.

use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::ops::{open_room, TeleconsultError};
use super::rules::RoomAccess;
use crate::i18n::{t, with_lang, Lang};
use crate::platform::AppState;

/// The route's handler (mounted by the server's router).
pub async fn open(
    State(state): State<AppState>,
    Extension(browser): Extension<Lang>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return with_lang(browser, || refusal(StatusCode::NOT_FOUND, t::LIEN_INCONNU()));
    };
    let member = match crate::auth::token_from_headers(&headers) {
        Some(token) => match crate::auth::member_for_token(&state, &token).await {
            Ok(m) => m,
            Err(_) => return with_lang(browser, || refusal(StatusCode::SERVICE_UNAVAILABLE, t::ERR_UNAVAILABLE())),
        },
        None => None,
    };
    let Some(me) = member else {
        return with_lang(browser, || refusal(StatusCode::UNAUTHORIZED, t::CONNECTEZ_VOUS_POUR_REJOINDRE()));
    };
    let result = open_room(&state, &me, id).await;
    // The member's language, else their browser's.
    with_lang(me.lang.unwrap_or(browser), || answer(result))
}

fn answer(result: Result<String, TeleconsultError>) -> Response {
    match result {
        Ok(url) => {
            let mut res = Redirect::to(&url).into_response();
            let h = res.headers_mut();
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            // The video service is not told where the participant came from.
            h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            res
        }
        Err(e) => {
            let (status, message) = match e {
                TeleconsultError::NotFound => (StatusCode::NOT_FOUND, t::LIEN_INCONNU()),
                TeleconsultError::Forbidden => (StatusCode::FORBIDDEN, t::LIEN_PAS_POUR_VOUS()),
                TeleconsultError::Room(RoomAccess::NotYet) => {
                    (StatusCode::CONFLICT, t::AUCUN_MEDECIN_N_A_ENCORE_ACCEPTE())
                }
                TeleconsultError::Room(RoomAccess::Expired) => (StatusCode::GONE, t::LIEN_EXPIRE()),
                TeleconsultError::Room(_) => (StatusCode::GONE, t::TELECONSULTATION_TERMINEE()),
                other => {
                    let error = crate::api::AppError::from(other);
                    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    return refusal(status, &error.message());
                }
            };
            refusal(status, message)
        }
    }
}

/// A small page saying why the room does not open, with the way back, in the current language.
fn refusal(status: StatusCode, message: &str) -> Response {
    let message = message.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — {app}</title><link rel=\"stylesheet\" href=\"/pkg/{css}\"></head>\
         <body><main class=\"page phone\"><h1>{title}</h1>\
         <p class=\"banner error\" role=\"alert\" id=\"room-refusal\">{message}</p>\
         <p><a class=\"button\" href=\"/\">{back}</a></p></main></body></html>",
        lang = crate::i18n::lang().code(),
        title = t::TELECONSULTATION(),
        app = t::APP_NAME(),
        back = t::RETOUR_A_L_ACCUEIL(),
        css = crate::platform::assets::current().css,
    );
    let mut res = (status, Html(body)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
