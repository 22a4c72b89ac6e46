//! [ssr] What the coordination and the clinicians read: the form's choices, the board, a
//! request's page with its next panel, a clinician's offers and cases.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::{candidates_at, offer_view, panel_query, policy, require_access, summary, today_start, DispatchError};
use crate::dispatch::dto::*;
use crate::dispatch::rules::panel::{eligibility, first_wave, select_panel};
use crate::dispatch::rules::RequestStatus;
use crate::dispatch::store::{self, RequestRow};
use crate::domain::hours::is_open;
use crate::domain::Role;
use crate::members::{self, MemberRow};
use crate::platform::access::is_staff;
use crate::platform::audit::request_timeline;
use crate::platform::AppState;

pub async fn form_data(state: &AppState, actor: &MemberRow) -> Result<RequestFormData, DispatchError> {
    let mut conn = state.store.reader().await?;
    let communes = members::communes(&mut conn, actor.cpts_id).await?.into_iter().map(|c| c.name).collect();
    let clinicians = members::members(&mut conn, actor.cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Clinician)
        .filter_map(|m| Some((m.id, m.display_name, m.profession?)))
        .collect();
    Ok(RequestFormData { communes, clinicians, open_now: is_open(state.now()) })
}

pub async fn board(state: &AppState, actor: &MemberRow) -> Result<Vec<BoardItem>, DispatchError> {
    let since = today_start(state.now());
    let mut conn = state.store.reader().await?;
    let requests = store::board(&mut conn, actor.cpts_id, since).await?;
    let mut offers: HashMap<i64, Vec<OfferView>> = HashMap::new();
    for o in store::offers_of_requests(&mut conn, actor.cpts_id, since).await? {
        offers.entry(o.request_id).or_default().push(offer_view(&o));
    }
    Ok(requests
        .iter()
        .map(|r| BoardItem { request: summary(r, true), offers: offers.remove(&r.id).unwrap_or_default() })
        .collect())
}

async fn panel_preview(
    state: &AppState,
    conn: &mut AnyConnection,
    r: &RequestRow,
    now: DateTime<Utc>,
) -> Result<Option<PanelPreview>, DispatchError> {
    let wave = match r.status {
        RequestStatus::New => None,
        RequestStatus::Escalated => Some(policy(state, r).last_wave()),
        _ => return Ok(None),
    };
    let query = panel_query(r);
    let candidates = candidates_at(conn, r.cpts_id, r.id, now).await?;
    let policy = policy(state, r);
    let wave = wave.unwrap_or_else(|| {
        // The wave a push would start with: the first that finds somebody.
        let first = first_wave(&query, &candidates, policy);
        (first..=policy.last_wave())
            .find(|w| !select_panel(&query, &candidates, *w, policy).is_empty())
            .unwrap_or(first)
    });
    let names: HashMap<i64, String> =
        members::members(conn, r.cpts_id).await?.into_iter().map(|m| (m.id, m.display_name)).collect();
    let mut members: Vec<PanelMember> = candidates
        .iter()
        .map(|c| {
            let result = eligibility(&query, c, wave, policy);
            PanelMember {
                member_id: c.member_id,
                name: names.get(&c.member_id).cloned().unwrap_or_default(),
                profession: c.profession,
                distance_km: c.location.map(|l| l.distance_km(query.location)),
                excluded: result.err().map(|e| {
                    serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
                }),
            }
        })
        .collect();
    members.sort_by(|a, b| {
        a.excluded
            .is_some()
            .cmp(&b.excluded.is_some())
            .then(a.distance_km.unwrap_or(f64::MAX).total_cmp(&b.distance_km.unwrap_or(f64::MAX)))
    });
    Ok(Some(PanelPreview { wave, members }))
}

pub async fn detail(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<RequestDetail, DispatchError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let r = store::request(&mut conn, request_id).await?.ok_or(DispatchError::NotFound)?;
    require_access(actor, &r)?;
    let staff = is_staff(actor.role);
    let offers = if staff { store::offers_of_request(&mut conn, r.id).await? } else { vec![] };
    let timeline = if staff {
        request_timeline(&mut conn, r.id)
            .await?
            .into_iter()
            .map(|e| TimelineEntry {
                at: e.at,
                actor: e.actor_name,
                kind: e.kind,
                subject: e.subject_name,
                detail: e.detail,
            })
            .collect()
    } else {
        vec![]
    };
    let next_panel = if staff { panel_preview(state, &mut conn, &r, now).await? } else { None };
    Ok(RequestDetail {
        item: BoardItem { request: summary(&r, true), offers: offers.iter().map(offer_view).collect() },
        timeline,
        next_panel,
        can_record_outcome: !r.status.is_closed(),
    })
}

pub async fn inbox(state: &AppState, actor: &MemberRow) -> Result<Vec<InboxItem>, DispatchError> {
    let mut conn = state.store.reader().await?;
    Ok(store::inbox(&mut conn, actor.id)
        .await?
        .iter()
        .map(|(o, r)| InboxItem {
            request: summary(r, false),
            distance_km: o.distance_km,
            state: o.state,
            sent_at: o.sent_at,
        })
        .collect())
}

pub async fn cases(state: &AppState, actor: &MemberRow) -> Result<Vec<RequestSummary>, DispatchError> {
    let mut conn = state.store.reader().await?;
    Ok(store::cases_of(&mut conn, actor.id, today_start(state.now())).await?.iter().map(|r| summary(r, true)).collect())
}

/// Where the offer of `request_id` to `actor` stands (what a tapped notification shows).
///
/// # Errors
/// On a database failure.
pub async fn offer_lookup(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<OfferLookup, DispatchError> {
    let mut conn = state.store.reader().await?;
    let offer = store::offer_of(&mut conn, request_id, actor.id).await?;
    let request = store::request(&mut conn, request_id).await?.filter(|r| r.cpts_id == actor.cpts_id);
    let (state_, live) = match (offer, request) {
        (Some(o), Some(r)) => {
            (Some(o.state), o.state.is_live() && matches!(r.status, RequestStatus::Pushed | RequestStatus::Escalated))
        }
        _ => (None, false),
    };
    Ok(OfferLookup { request_id, state: state_, live })
}
