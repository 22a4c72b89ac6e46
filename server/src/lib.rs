//! The Relais server: the axum application around the Leptos app, its live stream, its
//! background jobs and its demo data. `main.rs` is the command line; tests and benchmarks start
//! the same application with [`serve`].

pub mod assets;
pub mod backup;
pub mod communes;
mod demo_history;
mod exports;
mod jobs;
mod journal;
mod live;
pub mod operations;
pub mod previous_schema;
mod security;
pub mod seed;

pub use jobs::{spawn_jobs, Jobs};
pub use live::SESSION_RECHECK;

use std::net::SocketAddr;
use std::sync::Arc;

use app::auth;
use app::platform::mail::Notifier;
use app::platform::{AppState, Clock, LiveHub, Settings, Store};
use app::slots::fhir::http as fhir;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRef, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};

/// The state of the axum router: Leptos's options and the application's.
#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

/// Builds the application state on a database URL.
///
/// # Errors
/// When the database cannot be opened or migrated.
pub async fn app_state(database_url: &str, settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    app_state_with(database_url, settings, clock, Notifier::default()).await
}

/// [`app_state`] with a configured mailer and SMS sender.
///
/// # Errors
/// When the database cannot be opened or migrated.
pub async fn app_state_with(
    database_url: &str,
    settings: Settings,
    clock: Arc<dyn Clock>,
    notifier: Notifier,
) -> anyhow::Result<AppState> {
    let store = Store::open(database_url).await?;
    let sessions = app::auth::SessionCache::default();
    let live = match store.backend {
        app::platform::db::Backend::Postgres => {
            let pool = sqlx::postgres::PgPoolOptions::new().max_connections(2).connect(database_url).await?;
            let hub = LiveHub::postgres(pool);
            let heard = sessions.clone();
            tokio::spawn(hub.clone().listen_postgres(database_url.to_string(), move |e| match e {
                Some(e) => heard.heard(e),
                None => heard.forget_all(),
            }));
            hub
        }
        app::platform::db::Backend::Sqlite => LiveHub::local(),
    };
    let keys =
        app::push::VapidKeys::load(&store, settings.vapid_private_key.as_ref().map(|k| k.0.as_str()), clock.now())
            .await
            .map_err(|e| anyhow::anyhow!("VAPID key: {e}"))?;
    let push = app::push::WebPush::new(keys, &settings.push_subject);
    Ok(AppState::new(app::platform::StateParts {
        store,
        live,
        clock,
        settings: Arc::new(settings),
        notifier,
        push,
        session_uses: Default::default(),
        sessions,
        health: Default::default(),
        accepts: Default::default(),
    }))
}

/// The largest request body Relais reads.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The app's pages, listed once per process. Listing them runs the app with resource loading
/// suppressed process-wide (`leptos_server`'s `SuppressResourceLoad`): a page rendering on
/// another thread meanwhile would wait forever for a resource first polled in that window
/// (leptos-rs/leptos#4773), as happened when a second router was built in a process already
/// serving (the integration tests, each with its own server; a test starting a second instance).
/// Once listed, no router lists them again, and none serves before the list exists.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole HTTP application.
pub fn router(leptos_options: LeptosOptions, state: AppState) -> Router {
    let routes = routes();
    operations::recorder();
    let server_state = ServerState { leptos_options: leptos_options.clone(), app: state.clone() };
    let context_state = state.clone();
    // This build's file names, read once: served under them, and the shell names its stylesheet
    // from them.
    let names = Arc::new(app::platform::assets::PkgNames::resolve(&leptos_options));
    // What every page drawn needs, the page of an unknown address too.
    let page_context = {
        let names = names.clone();
        move || {
            provide_context(names.clone());
            app::platform::security::provide_page_nonce();
        }
    };
    Router::new()
        .route("/api/live", get(live::live_stream))
        .route("/healthz", get(operations::healthz))
        .route("/readyz", get(operations::readyz))
        .route("/metrics", get(operations::metrics))
        .route("/auth/psc", get(app::auth::psc::start))
        .route(app::auth::psc::RETURN_PATH, get(app::auth::psc::finish))
        .route("/calendrier/{member_id}/{file}", get(exports::calendar_feed))
        .route("/plannings/{planning_id}/{file}", get(exports::planning_csv))
        .route("/indicateurs/{file}", get(app::indicators::export::csv))
        .route("/journal/{file}", get(journal::journal))
        .route("/teleconsultation/{id}", get(app::teleconsult::room::open))
        // The SAS interface (FHIR R4, the ANS guide's "gestionnaire d'agenda, cas CPTS").
        .route("/fhir/Slot", get(fhir::search_slots).fallback(fhir::wrong_method))
        .route(
            "/fhir/Appointment",
            post(fhir::create_appointment).put(fhir::update_appointment).fallback(fhir::wrong_method),
        )
        .route(
            "/fhir/Practitioner",
            post(fhir::create_practitioner).put(fhir::update_practitioner).fallback(fhir::wrong_method),
        )
        .route("/fhir", any(fhir::unknown))
        .route("/fhir/{*rest}", any(fhir::unknown))
        .leptos_routes_with_context(
            &server_state,
            routes,
            {
                let page_context = page_context.clone();
                move || {
                    provide_context(context_state.clone());
                    page_context();
                }
            },
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .merge(assets::routes(&leptos_options, names))
        .route_layer(middleware::from_fn(operations::time_requests))
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(page_context, app::shell))
        .layer(middleware::from_fn_with_state(state.clone(), page_member))
        .layer(middleware::from_fn_with_state(state.clone(), idempotent_replays))
        .layer(middleware::from_fn(json_bodies_as_forms))
        // No body Relais reads is anywhere near 1 MiB: a larger one is refused (413) unread.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), security::guard))
        .layer(tower_http::compression::CompressionLayer::new())
        // Every log line of a request carries its id (the proxy's X-Request-Id, else a new
        // one), which the answer repeats.
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(operations::request_span))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
        .with_state(server_state)
}

/// Finds the member a page is drawn for before it renders (`app::api::ctx::PageMember`), so that
/// the page knows it synchronously. Only for what may be a page: a GET outside the server
/// functions, the built files and the SAS interface, from a browser holding a session cookie.
/// And the language of every request (`app::i18n::Lang`): the member's choice, else the
/// browser's.
async fn page_member(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let page = req.method() == axum::http::Method::GET && may_be_a_page(req.uri().path());
    let mut chosen = None;
    if let Some(token) = app::auth::token_from_headers(req.headers()).filter(|_| page) {
        let found = app::api::ctx::session_member(&state, &token).await;
        if let Ok(Some((row, _))) = &found {
            req.extensions_mut().insert(app::api::ctx::PageSession(row.clone()));
        }
        let found = found.map(|m| m.map(|(_, me)| me));
        chosen = found.as_ref().ok().and_then(|m| m.as_ref()?.lang);
        req.extensions_mut().insert(app::api::ctx::PageMember(found));
    }
    let lang = chosen.unwrap_or_else(|| {
        let header = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        header.map(app::i18n::Lang::from_accept_language).unwrap_or_default()
    });
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    if page {
        res.headers_mut().append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    res
}

/// Whether a GET of `path` may draw a page: not a server function, a built or static file (a
/// name with an extension: `/sw.js`, `/manifest.webmanifest`, `/indicateurs/x.csv`), the SAS
/// interface, the calendar feed, the health check or the teleconsultation room's door.
fn may_be_a_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    let not_pages = ["/api/", "/pkg/", "/fhir", "/icons/", "/calendrier/"];
    let room_door = path.strip_prefix("/teleconsultation/").is_some_and(|id| id.parse::<i64>().is_ok());
    !(not_pages.iter().any(|p| path.starts_with(p))
        || last.contains('.')
        || ["/healthz", "/readyz", "/metrics"].contains(&path)
        || room_door)
}

/// Lets API clients post JSON to the server functions, which read form-encoded bodies (so that
/// pages also work without JavaScript): a JSON object is re-encoded as the equivalent form.
async fn json_bodies_as_forms(req: Request, next: Next) -> Response {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return security::refusal(&app::api::AppError::TooLarge);
    };
    let value: serde_json::Value = if bytes.is_empty() {
        serde_json::Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return security::refusal(&app::api::AppError::Request(e.to_string())),
        }
    };
    let form = match serde_qs::to_string(&strip_nulls(value)) {
        Ok(f) => f,
        Err(e) => return security::refusal(&app::api::AppError::Request(e.to_string())),
    };
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
    parts.headers.remove(header::CONTENT_LENGTH);
    next.run(Request::from_parts(parts, Body::from(form))).await
}

/// Runs a call that carries an `Idempotency-Key` (an action queued offline and replayed) at most
/// once per member and key: a repeat gets the first answer back, marked `Idempotent-Replayed`.
async fn idempotent_replays(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use app::api::AppError;
    use app::domain::{Field, FieldErrors, FieldProblem};
    use app::platform::idempotency::{self, Claim};
    let applies = req.method() == axum::http::Method::POST && req.uri().path().starts_with("/api/");
    let Some(raw) = req.headers().get("idempotency-key").filter(|_| applies) else {
        return next.run(req).await;
    };
    // A key that is not plain ASCII is refused, never ignored: ignored, a retried action would
    // run twice.
    let key = raw.to_str().map(str::to_string).unwrap_or_default();
    let error = |e: AppError| security::refusal(&e);
    let invalid_key = || {
        let mut errors = FieldErrors::default();
        errors.add(Field::IdempotencyKey, FieldProblem::Invalid);
        error(AppError::Invalid(errors))
    };
    if !idempotency::valid_key(&key) {
        return invalid_key();
    }
    let member = match session(&state, req.headers()).await {
        Ok((_, member)) => member,
        Err(refusal) => return refusal,
    };
    // Not logged in: the server function answers 401 by itself.
    let Some(member) = member else { return next.run(req).await };
    let endpoint = req.uri().path().to_string();
    match idempotency::claim(&state.store, member.id, &key, &endpoint, state.now()).await {
        Err(e) => error(e.into()),
        Ok(Claim::Mismatch) => invalid_key(),
        Ok(Claim::InProgress) => error(AppError::Conflict),
        Ok(Claim::Replay { status, body }) => {
            tracing::info!(member = member.id, endpoint, "replayed call answered from its first run");
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            (
                status,
                [(header::CONTENT_TYPE, "application/json"), (HeaderName::from_static("idempotent-replayed"), "true")],
                body,
            )
                .into_response()
        }
        Ok(Claim::Run) => {
            let (parts, body) = next.run(req).await.into_parts();
            let Ok(bytes) = to_bytes(body, 1 << 20).await else {
                let _ = idempotency::release(&state.store, member.id, &key).await;
                return error(AppError::Internal);
            };
            let kept = if parts.status.is_server_error() {
                idempotency::release(&state.store, member.id, &key).await
            } else {
                idempotency::finish(
                    &state.store,
                    member.id,
                    &key,
                    parts.status.as_u16(),
                    &String::from_utf8_lossy(&bytes),
                )
                .await
            };
            if let Err(e) = kept {
                tracing::error!(error = %e, "idempotency answer not kept");
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

fn strip_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect(),
        ),
        serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// The session token of a request and the member it belongs to.
///
/// # Errors
/// The refusal to answer when the session cannot be looked up (the database is away: 503),
/// never "not logged in" for a session that may well be valid.
async fn session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Option<String>, Option<app::members::MemberRow>), Response> {
    let token = auth::token_from_headers(headers);
    let member = match &token {
        Some(t) => auth::member_for_token(state, t).await.map_err(|e| security::refusal(&e.into()))?,
        None => None,
    };
    Ok((token, member))
}

/// Serves the application on `listener` until the server drains (SIGTERM, see
/// [`operations::drain_on_signal`]): then, after the settings' grace (`/readyz` already answers
/// 503), it takes no new connection, ends the live streams (they reconnect elsewhere) and returns
/// once the requests in flight are answered.
///
/// # Errors
/// When the socket fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    leptos_options: LeptosOptions,
    state: AppState,
) -> std::io::Result<()> {
    let closed = door_closed(&state);
    let app = router(leptos_options, state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(closed).await
}

/// Resolves when the server stops taking connections: the drain's start, then the grace.
pub(crate) fn door_closed(state: &AppState) -> impl std::future::Future<Output = ()> + Send + 'static {
    let (drained, grace) = (state.health.drained(), state.settings.drain_grace);
    async move {
        drained.await;
        tokio::time::sleep(grace).await;
    }
}

#[cfg(test)]
mod tests {
    use super::may_be_a_page;

    #[test]
    fn pages_are_told_from_files_feeds_and_doors() {
        for page in ["/", "/offres", "/demandes/12", "/teleconsultation", "/teleconsultation/suivi/4", "/reglages"] {
            assert!(may_be_a_page(page), "{page}");
        }
        for other in [
            "/api/offers/accept",
            "/pkg/relais.3f2a.wasm",
            "/sw.js",
            "/manifest.webmanifest",
            "/offline.html",
            "/indicateurs/demandes.csv",
            "/plannings/3/planning.csv",
            "/calendrier/4/abc.ics",
            "/healthz",
            "/readyz",
            "/metrics",
            "/teleconsultation/17",
            "/fhir/Slot",
            "/icons/icon-192.png",
        ] {
            assert!(!may_be_a_page(other), "{other}");
        }
    }
}
