//! What a planning gives out of Relais: its CSV exports for the coordination (its vacations with
//! their holders, and the vacations held per member, for compensation), written as the
//! indicators' exports are (`app::platform::spreadsheet::french_csv`: `;`-separated UTF-8 with a
//! BOM, as French spreadsheets expect); and each member's calendar feed.

use std::collections::HashMap;

use app::members::store;
use app::planning::store as sp;
use app::platform::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use chrono_tz::Europe::Paris;

/// `GET /plannings/{id}/export.csv` and `…/stats.csv`, over `du`..`au` (dates, Paris; default:
/// this month).
pub async fn planning_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((planning_id, file)): Path<(i64, String)>,
    Query(period): Query<HashMap<String, String>>,
) -> Response {
    let member = match super::session(&state, &headers).await {
        Ok((_, member)) => member,
        Err(refusal) => return refusal,
    };
    let Some(me) = member else { return (StatusCode::UNAUTHORIZED, "connexion requise").into_response() };
    if !app::platform::access::is_staff(me.role) {
        return (StatusCode::FORBIDDEN, "accès réservé à la coordination").into_response();
    }
    let Some(((from, to), (from_t, to_t))) = self::period(&state, &period) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "période invalide").into_response();
    };
    match render(&state, me.cpts_id, planning_id, &file, (from, to), (from_t, to_t)).await {
        Ok(Some(body)) => {
            let filename =
                format!("attachment; filename=\"planning-{planning_id}-{}-{from}.csv\"", file.trim_end_matches(".csv"));
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, filename),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "planning ou export introuvable").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "CSV export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The instants that bound a period: its first, and the first after it.
pub(crate) type Instants = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);

/// The period an export covers: `du` and `au` (dates, Paris, both included; default: this
/// month; read as the indicators read them: a date that does not parse, an end before the start
/// or more than three years is refused), and the instants that bound it.
pub(crate) fn period(state: &AppState, query: &HashMap<String, String>) -> Option<((NaiveDate, NaiveDate), Instants)> {
    let arg = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let p = app::indicators::rules::Period::parse(arg("du"), arg("au"), state.now().with_timezone(&Paris).date_naive())
        .ok()?;
    Some(((p.from, p.to), p.instants()))
}

async fn render(
    state: &AppState,
    cpts_id: i64,
    planning_id: i64,
    file: &str,
    (from, to): (NaiveDate, NaiveDate),
    (from_t, to_t): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
) -> anyhow::Result<Option<Vec<u8>>> {
    let mut conn = state.store.reader().await?;
    if sp::planning(&mut conn, planning_id).await?.is_none_or(|p| p.cpts_id != cpts_id) {
        return Ok(None);
    }
    let mut rows: Vec<Vec<String>> = vec![];
    match file {
        "export.csv" => {
            let names: HashMap<i64, String> =
                store::members(&mut conn, cpts_id).await?.into_iter().map(|m| (m.id, m.display_name)).collect();
            rows.push(["date", "début", "fin", "type", "places", "tenue par"].map(String::from).to_vec());
            for v in sp::planning_vacations(&mut conn, planning_id, from_t, to_t).await? {
                let (s, e) =
                    (v.vacation.slot.starts_at.with_timezone(&Paris), v.vacation.slot.ends_at.with_timezone(&Paris));
                let holders: Vec<&str> =
                    v.vacation.holders.iter().filter_map(|h| names.get(h).map(String::as_str)).collect();
                rows.push(vec![
                    s.format("%d/%m/%Y").to_string(),
                    s.format("%H:%M").to_string(),
                    e.format("%H:%M").to_string(),
                    app::i18n::t::vacation_kind(v.kind).to_string(),
                    v.vacation.capacity.to_string(),
                    holders.join(", "),
                ]);
            }
        }
        "stats.csv" => {
            rows.push(["membre", "vacations", "du", "au"].map(String::from).to_vec());
            for (_, name, n) in sp::held_counts(&mut conn, planning_id, from_t, to_t).await? {
                rows.push(vec![name, n.to_string(), from.to_string(), to.to_string()]);
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(app::platform::spreadsheet::french_csv(&rows)?))
}

/// `GET /calendrier/{member}/{token}.ics`: a member's vacations for the next twelve months, for
/// a phone's calendar to subscribe to. The token is the only credential (no session).
pub async fn calendar_feed(
    State(state): State<AppState>,
    axum::extract::Path((member_id, file)): axum::extract::Path<(i64, String)>,
) -> Response {
    use app::members::store;
    use app::planning::{calendar, store as sp};
    let not_found = || (StatusCode::NOT_FOUND, "calendrier introuvable").into_response();
    let Some(token) = file.strip_suffix(".ics") else { return not_found() };
    let Ok(mut conn) = state.store.reader().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let Ok(Some(generation)) = sp::calendar_generation(&mut conn, member_id).await else { return not_found() };
    if !calendar::token_matches(&state.settings.secret_key, member_id, generation, token) {
        return not_found();
    }
    let now = state.now();
    let (Ok(Some(member)), Ok(vacations)) = (
        store::member(&mut conn, member_id).await,
        sp::member_vacations(&mut conn, member_id, now - chrono::Duration::days(31)).await,
    ) else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let horizon = now + chrono::Duration::days(366);
    let vacations: Vec<_> = vacations.into_iter().filter(|v| v.vacation.slot.starts_at < horizon).collect();
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=900")],
        // In the member's language: a calendar app's own header says nothing of them.
        app::i18n::with_lang(member.lang.unwrap_or_default(), || calendar::render(&member.display_name, &vacations)),
    )
        .into_response()
}
