//! The one layer every request and response passes through for the browser's defences: writes
//! from another site are refused (CSRF), and every response carries the security headers
//! (`app::platform::security` says which; a page's own nonce policy is left as it is).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

use app::api::AppError;
use app::platform::security::{headers, write_allowed};
use app::platform::AppState;

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let public = state.settings.public_origin.as_deref();
    if !write_allowed(req.method(), req.headers(), public) {
        tracing::warn!(path = %req.uri().path(), origin = ?req.headers().get("origin"), "cross-site write refused");
        let mut res = refusal(&AppError::Forbidden);
        add_headers(&mut res, public);
        return res;
    }
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if api {
        res = json_refusal(res);
    }
    add_headers(&mut res, public);
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

fn add_headers(res: &mut Response, public: Option<&str>) {
    let hsts = public.is_some_and(|p| p.starts_with("https://"));
    for (name, value) in headers(hsts) {
        res.headers_mut().entry(name).or_insert(value);
    }
}
