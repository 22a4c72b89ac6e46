//! The audit trail of a CPTS over a period, for its admin: `GET /journal/journal.csv` (`;`,
//! UTF-8 with BOM, as French spreadsheets expect) or `…/journal.json`, with `du` and `au`
//! (dates, Paris; default: this month). Each row carries its chain hash, so that an export can
//! be checked later against the database.

use std::collections::HashMap;

use app::platform::audit::{period_rows, ExportRow};
use app::platform::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn journal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let member = match super::session(&state, &headers).await {
        Ok((_, member)) => member,
        Err(refusal) => return refusal,
    };
    let Some(me) = member else { return (StatusCode::UNAUTHORIZED, "connexion requise").into_response() };
    if me.role != app::domain::Role::Admin {
        return (StatusCode::FORBIDDEN, "accès réservé aux administrateurs de la CPTS").into_response();
    }
    let Some(((from, _), (from_t, to_t))) = super::exports::period(&state, &query) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "période invalide").into_response();
    };
    let rows = match state.store.reader().await {
        Ok(mut conn) => period_rows(&mut conn, me.cpts_id, from_t, to_t).await,
        Err(e) => Err(e),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %e, "audit export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match file.as_str() {
        "journal.json" => Json(rows).into_response(),
        "journal.csv" => match csv_of(&rows) {
            Ok(body) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"journal-{from}.csv\"")),
                ],
                body,
            )
                .into_response(),
            Err(e) => {
                tracing::error!(error = %e, "audit CSV failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        _ => (StatusCode::NOT_FOUND, "export introuvable").into_response(),
    }
}

fn csv_of(rows: &[ExportRow]) -> anyhow::Result<Vec<u8>> {
    let header = [
        "n°",
        "date (Paris)",
        "auteur",
        "événement",
        "demande",
        "offre",
        "membre concerné",
        "pour le compte de",
        "détail",
        "empreinte",
    ];
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
    Ok(app::platform::spreadsheet::french_csv(&lines.collect::<Vec<_>>())?)
}
