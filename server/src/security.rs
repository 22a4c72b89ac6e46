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
        let mut res = (StatusCode::FORBIDDEN, Json(AppError::Forbidden)).into_response();
        add_headers(&mut res, public);
        return res;
    }
    let mut res = next.run(req).await;
    add_headers(&mut res, public);
    res
}

fn add_headers(res: &mut Response, public: Option<&str>) {
    let hsts = public.is_some_and(|p| p.starts_with("https://"));
    for (name, value) in headers(hsts) {
        res.headers_mut().entry(name).or_insert(value);
    }
}
