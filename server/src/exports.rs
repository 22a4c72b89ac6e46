//! What a planning gives out of Relais: its CSV exports for the coordination (its vacations with
//! their holders, and the vacations held per member, for compensation), written as the
//! indicators' exports are (`app::platform::spreadsheet::csv`: UTF-8 with a BOM, in the member's
//! language, `;`-separated in French, `,` in English); and each member's calendar feed.

use std::collections::HashMap;

use app::api::AppError;
use app::i18n::{in_lang, t, Lang};
use app::members::store;
use app::planning::store as sp;
use app::platform::spreadsheet::download;
use app::platform::AppState;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use chrono_tz::Europe::Paris;

/// `GET /plannings/{id}/export.csv` and `…/stats.csv`, over `du`..`au` (dates, Paris; default:
/// this month).
pub async fn planning_csv(
    State(state): State<AppState>,
    Extension(browser): Extension<Lang>,
    headers: HeaderMap,
    Path((planning_id, file)): Path<(i64, String)>,
    Query(period): Query<HashMap<String, String>>,
) -> Response {
    let (me, lang) = match app::api::ctx::downloader(&state, &headers, browser).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    in_lang(lang, async {
        if !app::platform::access::is_staff(me.role) {
            return AppError::Forbidden.as_text();
        }
        let ((from, to), (from_t, to_t)) = match self::period(&state, &period) {
            Ok(p) => p,
            Err(e) => return e.as_text(),
        };
        match render(&state, me.cpts_id, planning_id, &file, (from, to), (from_t, to_t)).await {
            Ok(Some(body)) => {
                download(&format!("planning-{planning_id}-{}-{from}.csv", file.trim_end_matches(".csv")), body)
            }
            Ok(None) => AppError::NotFound.as_text(),
            Err(e) => {
                tracing::error!(error = %e, "CSV export failed");
                AppError::Internal.as_text()
            }
        }
    })
    .await
}

/// The instants that bound a period: its first, and the first after it.
pub(crate) type Instants = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);

/// The period an export covers: `du` and `au` (dates, Paris, both included; default: this
/// month; read as the indicators read them: a date that does not parse, an end before the start
/// or more than three years is refused), and the instants that bound it.
pub(crate) fn period(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<((NaiveDate, NaiveDate), Instants), AppError> {
    let arg = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let p = app::indicators::ops::period(state, arg("du"), arg("au"))?;
    Ok(((p.from, p.to), p.instants()))
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
            rows.push(t::csv_planning_header().map(String::from).to_vec());
            for v in sp::planning_vacations(&mut conn, planning_id, from_t, to_t).await? {
                let (s, e) =
                    (v.vacation.slot.starts_at.with_timezone(&Paris), v.vacation.slot.ends_at.with_timezone(&Paris));
                let holders: Vec<&str> =
                    v.vacation.holders.iter().filter_map(|h| names.get(h).map(String::as_str)).collect();
                rows.push(vec![
                    s.format("%d/%m/%Y").to_string(),
                    s.format("%H:%M").to_string(),
                    e.format("%H:%M").to_string(),
                    t::vacation_kind(v.kind).to_string(),
                    v.vacation.capacity.to_string(),
                    holders.join(", "),
                ]);
            }
        }
        "stats.csv" => {
            rows.push(t::csv_held_header().map(String::from).to_vec());
            for (_, name, n) in sp::held_counts(&mut conn, planning_id, from_t, to_t).await? {
                rows.push(vec![name, n.to_string(), from.to_string(), to.to_string()]);
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(app::platform::spreadsheet::csv(&rows)?))
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
