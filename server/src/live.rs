//! The live stream: `GET /api/live`, the server-sent events of a logged-in member's devices,
//! open while the session lasts and until the server drains.

use std::time::Duration;

use app::auth;
use app::domain::Role;
use app::platform::{live::Audience, AppState};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use futures::FutureExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::{security, session};

/// `GET /api/live`: the server-sent events of the logged-in member's devices.
pub(crate) async fn live_stream(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (token, member) = match session(&state, &headers).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    let (Some(me), Some(token)) = (member, token) else {
        return security::refusal(&app::api::AppError::Unauthenticated);
    };
    // The stream ends when the session does: checked every 15 s (expiry, idle time), and at once
    // when the member's sessions change (logout elsewhere, suspension, "log out my other devices").
    let session_over = {
        let state = state.clone();
        let member_id = me.id;
        let mut events = state.live.subscribe(Audience::Member(member_id));
        async move {
            loop {
                let changed = async {
                    loop {
                        match events.recv().await {
                            Ok(e) if e.kind == auth::SESSIONS_CHANGED => break,
                            Err(tokio::sync::broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
                            _ => {}
                        }
                    }
                };
                tokio::select! {
                    () = tokio::time::sleep(SESSION_RECHECK) => {}
                    () = changed => {}
                }
                if !matches!(auth::member_for_token(&state, &token).await, Ok(Some(_))) {
                    break;
                }
            }
        }
    };
    // The stream also ends when the server drains (SIGTERM, after the grace during which the
    // load balancer learns it from `/readyz`), with a last event asking the
    // browser to come back in a second: EventSource reconnects by itself, and the load balancer
    // sends it to an instance that stays.
    let drained = crate::door_closed(&state);
    let ending = async move {
        tokio::select! {
            () = session_over => false,
            () = drained => true,
        }
    }
    .boxed()
    .shared();
    let events = member_events(&state, me.id, me.cpts_id, me.role).take_until(ending.clone());
    let farewell = stream::once(ending).filter_map(|draining| {
        std::future::ready(
            draining.then(|| Ok(Event::default().retry(RECONNECT_AFTER).data(r#"{"kind":"reconnect"}"#))),
        )
    });
    let open = app::platform::metrics::LiveStreamGauge::open();
    let stream = events.chain(farewell).map(move |e| {
        let _counted = &open;
        e
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

/// How soon a browser whose stream ended because the server drains comes back.
pub const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// How often an open live stream checks that its session still exists.
pub const SESSION_RECHECK: Duration = Duration::from_secs(15);

fn member_events(
    state: &AppState,
    member_id: i64,
    cpts_id: i64,
    role: Role,
) -> impl Stream<Item = Result<Event, std::convert::Infallible>> {
    // The member's own events, and the coordination's when the member is staff.
    let mine = BroadcastStream::new(state.live.subscribe(Audience::Member(member_id)));
    let coordination = app::platform::access::is_staff(role)
        .then(|| BroadcastStream::new(state.live.subscribe(Audience::Coordination(cpts_id))));
    let updates = stream::select(mine, stream::iter(coordination).flatten()).filter_map(|e| {
        let v = match e {
            // For the servers only (the sessions they remember), nothing to redraw.
            Ok(e) if e.kind == auth::MEMBER_CHANGED => None,
            Ok(e) => Some(serde_json::json!({ "kind": e.kind, "request_id": e.request_id })),
            // Fell behind: tell the screen to refetch everything.
            Err(_) => Some(serde_json::json!({ "kind": "resync" })),
        };
        std::future::ready(v.map(|v| Ok(Event::default().data(v.to_string()))))
    });
    // The first event makes a (re)connected screen refetch what it may have missed.
    stream::once(std::future::ready(Ok(Event::default().data(r#"{"kind":"hello"}"#)))).chain(updates)
}
