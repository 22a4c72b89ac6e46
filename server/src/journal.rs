//! The audit trail of a CPTS over a period, for its admin: `GET /journal/journal.csv` (UTF-8
//! with BOM, in the admin's language: `;`-separated in French, `,` in English) or `…/journal.json`, with `du` and `au`
//! (dates, Paris; default: this month). Each row carries its chain hash, so that an export can
//! be checked later against the database.

use std::collections::HashMap;

use app::api::AppError;
use app::i18n::{in_lang, t, Lang};
use app::platform::audit::{period_rows, ExportRow};
use app::platform::spreadsheet::download;
use app::platform::AppState;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn journal(
    State(state): State<AppState>,
    Extension(browser): Extension<Lang>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (me, lang) = match app::api::ctx::downloader(&state, &headers, browser).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    in_lang(lang, async {
        if me.role != app::domain::Role::Admin {
            return AppError::Forbidden.as_text();
        }
        let ((from, _), (from_t, to_t)) = match super::exports::period(&state, &query) {
            Ok(p) => p,
            Err(e) => return e.as_text(),
        };
        let rows = match state.store.reader().await {
            Ok(mut conn) => period_rows(&mut conn, me.cpts_id, from_t, to_t).await,
            Err(e) => Err(e),
        };
        let rows = match rows {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "audit export failed");
                return AppError::Internal.as_text();
            }
        };
        match file.as_str() {
            // The trail holds who did what: never kept by a cache.
            "journal.json" => ([(header::CACHE_CONTROL, "no-store")], Json(rows)).into_response(),
            "journal.csv" => match csv_of(&rows) {
                Ok(body) => download(&format!("journal-{from}.csv"), body),
                Err(e) => {
                    tracing::error!(error = %e, "audit CSV failed");
                    AppError::Internal.as_text()
                }
            },
            _ => AppError::NotFound.as_text(),
        }
    })
    .await
}

fn csv_of(rows: &[ExportRow]) -> anyhow::Result<Vec<u8>> {
    let header = t::csv_journal_header();
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let lines = std::iter::once(header.map(String::from).to_vec()).chain(rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y %H:%M:%S").to_string(),
            r.actor.clone().unwrap_or_default(),
            r.kind.clone(),
            opt(r.request_id),
            opt(r.offer_id),
            r.subject.clone().unwrap_or_default(),
            r.on_behalf_of.clone().unwrap_or_default(),
            r.detail.clone(),
            r.hash.clone().unwrap_or_default(),
        ]
    }));
    Ok(app::platform::spreadsheet::csv(&lines.collect::<Vec<_>>())?)
}
