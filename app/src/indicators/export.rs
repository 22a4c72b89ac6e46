//! [ssr] `GET /indicateurs/{table}.csv?du=…&au=…` and `GET /indicateurs/dossier-aci.csv`: the
//! page's tables as CSV for a spreadsheet of the member's language (their choice, else their
//! browser's): French headers, decimal commas and `;` between fields, or English ones, points
//! and `,` (`crate::platform::spreadsheet`) — for the coordination and the admins of the CPTS. The
//! *Dossier ACI* is for the Assurance Maladie: always in French.

use std::collections::HashMap;

use axum::extract::{Extension, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::ops;
use crate::api::AppError;
use crate::i18n::{in_lang, Lang};
use crate::platform::spreadsheet::{csv as spreadsheet, download};
use crate::platform::AppState;

/// The file name of the *Dossier ACI*.
pub const DOSSIER: &str = "dossier-aci.csv";

/// The route's handler (mounted by the server's router).
pub async fn csv(
    State(state): State<AppState>,
    Extension(browser): Extension<Lang>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (me, lang) = match crate::api::ctx::downloader(&state, &headers, browser).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    in_lang(lang, async {
        match render(&state, &me, &file, &query).await {
            Ok(Some((name, body))) => download(&name, body),
            Ok(None) => AppError::NotFound.as_text(),
            Err(e) => e.as_text(),
        }
    })
    .await
}

async fn render(
    state: &AppState,
    me: &crate::members::MemberRow,
    file: &str,
    query: &HashMap<String, String>,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let arg = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let period = ops::period(state, arg("du"), arg("au"))?;
    let Some(id) = file.strip_suffix(".csv") else { return Ok(None) };
    let stamp = format!("{}_{}", period.from, period.to);
    let body = if file == DOSSIER {
        in_lang(Lang::Fr, async {
            let report = ops::report(state, me, period, false).await?;
            spreadsheet(&ops::dossier(&report.sections, period)).map_err(|_| AppError::Internal)
        })
        .await?
    } else {
        let Some(table) = ops::table(state, me, period, id).await? else { return Ok(None) };
        let rows: Vec<Vec<String>> = std::iter::once(table.columns).chain(table.rows).collect();
        spreadsheet(&rows).map_err(|_| AppError::Internal)?
    };
    Ok(Some((format!("relais-{id}-{stamp}.csv"), body)))
}
