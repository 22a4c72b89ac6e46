//! What the people running Relais read: `/healthz` (the process answers), `/readyz` (it can
//! serve: database reachable, migrations applied, job loop and Web Push sender going round, not
//! draining), `/metrics` (Prometheus text, for allowed addresses or a bearer token), the time of
//! every request by route, and the drain that SIGTERM starts. docs/operations.md is the guide.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use ::metrics::{gauge, histogram};
use app::platform::health::LoopCheck;
use app::platform::{metrics as m, AppState, Settings};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde_json::json;

/// `GET /healthz`: the process lives and answers. Looks at nothing else (that is `/readyz`).
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// How long a readiness check waits for the database.
pub const DATABASE_CHECK: Duration = Duration::from_secs(2);

/// `GET /readyz`: whether this instance should be sent requests. 200 `{"status":"ready"}`, or 503
/// with what failed: the database (unreachable, or no answer within two seconds), its migrations
/// (some of this binary's not applied, or applied ones it does not know), the job loop or the Web
/// Push sender (not going round), or the drain (SIGTERM received).
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (database, migrations) = match tokio::time::timeout(DATABASE_CHECK, state.store.migration_gap()).await {
        Ok(Ok((pending, unknown))) => {
            let ok = pending.is_empty() && unknown.is_empty();
            (json!({ "ok": true }), json!({ "ok": ok, "pending": pending, "unknown": unknown }))
        }
        Ok(Err(e)) => (json!({ "ok": false, "error": e.to_string() }), json!({ "ok": false, "error": "not read" })),
        Err(_) => {
            let late = format!("no answer within {} s", DATABASE_CHECK.as_secs());
            (json!({ "ok": false, "error": late }), json!({ "ok": false, "error": "not read" }))
        }
    };
    let (jobs, push) = (state.health.jobs(), state.health.push());
    let draining = state.health.is_draining();
    let ok = |v: &serde_json::Value| v["ok"] == true;
    let ready = ok(&database) && ok(&migrations) && jobs.ok && push.ok && !draining;
    let status = match (ready, draining) {
        (true, _) => "ready",
        (false, true) => "draining",
        (false, false) => "unready",
    };
    let body = json!({
        "status": status,
        "draining": draining,
        "checks": { "database": database, "migrations": migrations, "jobs": loop_json(&jobs), "push": loop_json(&push) },
    });
    let code = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

fn loop_json(check: &LoopCheck) -> serde_json::Value {
    serde_json::to_value(check).unwrap_or_default()
}

/// The buckets of the request-time histogram, in seconds.
const TIME_BUCKETS: &[f64] = &[0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's Prometheus recorder, installed on first use (the first router built).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(m::HTTP_DURATION.to_string()), TIME_BUCKETS)
            .and_then(PrometheusBuilder::install_recorder)
            .expect("the process's one metrics recorder");
        m::describe();
        handle
    })
}

/// Whether a client may read the metrics: it presents the configured bearer token, or it
/// connects from an allowed address without having come through a proxy (behind a reverse
/// proxy on the same machine every visitor would seem to come from the proxy's address).
pub fn may_read_metrics(settings: &Settings, peer: IpAddr, headers: &HeaderMap) -> bool {
    use subtle::ConstantTimeEq;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let (Some(given), Some(token)) = (bearer, &settings.metrics_token) {
        return bool::from(given.as_bytes().ct_eq(token.0.as_bytes()));
    }
    let proxied = headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
    let peer = match peer {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
        v4 => v4,
    };
    !proxied && settings.metrics_from.contains(&peer)
}

/// `GET /metrics`: the Prometheus text, to those [`may_read_metrics`]; 403 to anyone else.
pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !may_read_metrics(&state.settings, peer.ip(), &headers) {
        let error = "metrics: allowed addresses only, or a bearer token (--metrics-from, --metrics-token)";
        return (StatusCode::FORBIDDEN, Json(json!({ "error": error }))).into_response();
    }
    gauge!(m::JOB_LAG).set(state.health.job_lag_seconds());
    for (pool, open, idle) in state.store.pool_use() {
        gauge!(m::DB_CONNECTIONS, "pool" => pool, "state" => "idle").set(idle as f64);
        gauge!(m::DB_CONNECTIONS, "pool" => pool, "state" => "busy").set((open as usize).saturating_sub(idle) as f64);
    }
    let handle = recorder();
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4"), (header::CACHE_CONTROL, "no-store")], handle.render())
        .into_response()
}

/// Times each request of a known route (its template, `/demandes/{id}`, never the path itself).
pub async fn time_requests(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_string();
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        _ => "other",
    };
    let start = Instant::now();
    let res = next.run(req).await;
    let status = format!("{}xx", res.status().as_u16() / 100);
    histogram!(m::HTTP_DURATION, "route" => route, "method" => method, "status" => status)
        .record(start.elapsed().as_secs_f64());
    res
}

/// The span of a request, which every log line written while answering it carries: its id (at
/// most 64 characters of it), method and path, where a segment of 20 characters or more — a
/// token: an invitation's, a calendar feed's — is written `…` (the query string, where searches
/// go, never).
pub fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    let id = id.get(..64).unwrap_or(id);
    let path = loggable_path(req.uri().path());
    tracing::info_span!("request", id, method = %req.method(), path)
}

/// A path as the log may show it: long segments (tokens) cut.
pub fn loggable_path(path: &str) -> String {
    path.split('/').map(|s| if s.chars().count() >= 20 { "…" } else { s }).collect::<Vec<_>>().join("/")
}

/// The log for collectors (`--log-format json`): one JSON object per line, the event's fields at
/// its top level, and the span of the request being answered (`span.id`, the request id; or in
/// `spans` when a line is written inside a narrower span) on every line written meanwhile.
pub fn json_logs<W>(filter: tracing_subscriber::EnvFilter, writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(true)
        .finish()
}

/// Waits for SIGTERM (or Ctrl-C), then starts the drain: `/readyz` answers 503 at once, and the
/// server stops taking connections after the grace, ends its live streams, finishes what is in
/// flight; the jobs finish their round and stop.
pub async fn drain_on_signal(state: AppState) {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "SIGTERM not handled");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = terminate => tracing::info!("SIGTERM received: draining"),
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted: draining"),
    }
    state.health.begin_drain();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_paths_are_not_logged() {
        let token = "k3J9xQ2mZ8vB7nL4pR6tY1wE5uI0oA2sD4fG6hJ8kL0";
        assert_eq!(loggable_path(&format!("/invitation/{token}")), "/invitation/…");
        assert_eq!(loggable_path(&format!("/calendrier/4/{token}.ics")), "/calendrier/4/…");
        assert_eq!(loggable_path("/demandes/12"), "/demandes/12");
        assert_eq!(loggable_path("/api/offers/accept"), "/api/offers/accept");
    }

    #[test]
    fn metrics_are_for_allowed_addresses_not_behind_a_proxy_or_for_the_token() {
        let mut settings = Settings::default();
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        let outside: IpAddr = "203.0.113.9".parse().unwrap();
        let none = HeaderMap::new();
        assert!(may_read_metrics(&settings, local, &none));
        assert!(may_read_metrics(&settings, mapped, &none));
        assert!(!may_read_metrics(&settings, outside, &none));
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert!(!may_read_metrics(&settings, local, &proxied), "a visitor through a local proxy");
        settings.metrics_token = Some(app::platform::Secret("s3cret-token-for-prometheus".into()));
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, "Bearer s3cret-token-for-prometheus".parse().unwrap());
        assert!(may_read_metrics(&settings, outside, &bearer));
        let mut wrong = HeaderMap::new();
        wrong.insert(header::AUTHORIZATION, "Bearer s3cret-token-for-prometheuS".parse().unwrap());
        assert!(!may_read_metrics(&settings, local, &wrong), "a wrong token is refused, wherever from");
    }
}
