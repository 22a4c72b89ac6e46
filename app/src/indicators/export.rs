//! [ssr] `GET /indicateurs/{table}.csv?du=…&au=…` and `GET /indicateurs/dossier-aci.csv`: the
//! page's tables as CSV for a French spreadsheet — `;`-separated, UTF-8 with its byte-order mark,
//! French headers, decimal commas — for the coordination and the admins of the CPTS.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::ops;
use crate::api::AppError;
use crate::platform::spreadsheet::french_csv;
use crate::platform::AppState;

/// The file name of the *Dossier ACI*.
pub const DOSSIER: &str = "dossier-aci.csv";

/// The route's handler (mounted by the server's router).
pub async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match render(&state, &headers, &file, &query).await {
        Ok(Some((name, body))) => {
            let disposition = format!("attachment; filename=\"{name}\"");
            let mut res = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Ok(None) => refusal(&AppError::NotFound),
        Err(e) => refusal(&e),
    }
}

fn refusal(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], e.message()).into_response()
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    file: &str,
    query: &HashMap<String, String>,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let token = crate::auth::token_from_headers(headers).ok_or(AppError::Unauthenticated)?;
    let me = crate::auth::member_for_token(state, &token).await?.ok_or(AppError::Unauthenticated)?;
    let arg = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let period = ops::period(state, arg("du"), arg("au"))?;
    let Some(id) = file.strip_suffix(".csv") else { return Ok(None) };
    let stamp = format!("{}_{}", period.from, period.to);
    let rows: Vec<Vec<String>> = if file == DOSSIER {
        let report = ops::report(state, &me, period, false).await?;
        ops::dossier(&report.sections, period)
    } else {
        let Some(table) = ops::table(state, &me, period, id).await? else { return Ok(None) };
        std::iter::once(table.columns).chain(table.rows).collect()
    };
    Ok(Some((format!("relais-{id}-{stamp}.csv"), french_csv(&rows).map_err(|_| AppError::Internal)?)))
}
