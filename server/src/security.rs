//! The one layer every request and response passes through for the browser's defences: writes
//! from another site are refused (CSRF), and every response carries the security headers
//! (`app::platform::security` says which). Each request gets its nonce here: an HTML answer's
//! policy names it, and a page Leptos draws writes it on its inline scripts.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

use app::api::AppError;
use app::platform::security::{headers, write_allowed, PageNonce};
use app::platform::AppState;

pub async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let public = state.settings.public_origin.as_deref();
    if !write_allowed(req.method(), req.headers(), public) {
        tracing::warn!(path = %req.uri().path(), origin = ?req.headers().get("origin"), "cross-site write refused");
        let mut res = refusal(&AppError::Forbidden);
        add_headers(&mut res, public, None);
        return res;
    }
    let api = req.uri().path().starts_with("/api/");
    // Only what may draw a page needs a nonce: not the API's calls (the acceptances' hot path).
    let page = !api && matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    let nonce = page.then(PageNonce::new);
    if let Some(nonce) = &nonce {
        req.extensions_mut().insert(nonce.clone());
    }
    let mut res = next.run(req).await;
    if api {
        res = json_refusal(res);
    }
    add_headers(&mut res, public, nonce.as_ref());
    res
}

/// The API answers every error in JSON, including the refusals the HTTP layers below make on
/// their own in plain text (a body over the limit, an unknown content type).
fn json_refusal(res: Response) -> Response {
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let error = match res.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        _ => return res,
    };
    if is_json {
        return res;
    }
    refusal(&error)
}

/// An error answered by the HTTP layers, in the same JSON as the server functions' errors.
pub fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error.body())).into_response()
}

/// The security headers; an HTML answer's policy names the request's nonce (any inline script
/// without it is refused), every other answer's has none.
fn add_headers(res: &mut Response, public: Option<&str>, nonce: Option<&PageNonce>) {
    let html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(nonce) = nonce.filter(|_| html) {
        res.headers_mut().insert(axum::http::header::CONTENT_SECURITY_POLICY, nonce.policy());
    }
    let hsts = public.is_some_and(|p| p.starts_with("https://"));
    for (name, value) in headers(hsts) {
        res.headers_mut().entry(name).or_insert(value);
    }
}
