//! [ssr] `/fhir/…`: the SAS platform's door (mounted by the server's router). Each call names
//! its API client (`Authorization: Bearer <token>`, issued by the CPTS's admin) and sees only
//! that client's CPTS. Every answer is FHIR JSON; every refusal an OperationOutcome with a 4xx
//! status (503 while the database is away), never a 500 for what the caller sent.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::resources::{outcome, search_bundle, with_id};
use super::rules::{identifier_param, parse_appointment, parse_regulator, parse_search, Problem};
use crate::platform::AppState;
use crate::slots::ops::sas::{self, SasClient};
use crate::slots::SlotsError;

const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

fn fhir(status: StatusCode, body: &Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn refusal(p: &Problem) -> Response {
    let mut res = fhir(StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST), &outcome(p));
    if p.status == 401 {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}

fn problem_of(e: SlotsError) -> Problem {
    match e {
        SlotsError::Sas(p) => p,
        SlotsError::Store(e) if e.is_unavailable() => Problem {
            status: 503,
            code: "transient",
            diagnostics: "Base de données momentanément indisponible : réessayez dans un instant.".into(),
            expression: None,
        },
        SlotsError::NotFound => {
            Problem { status: 404, code: "not-found", diagnostics: "Ressource inconnue.".into(), expression: None }
        }
        other => {
            tracing::error!(error = %other, "SAS interface");
            Problem { status: 500, code: "exception", diagnostics: "Erreur interne.".into(), expression: None }
        }
    }
}

/// The caller's API client, from its bearer token.
async fn client(state: &AppState, headers: &HeaderMap) -> Result<SasClient, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let unauthorized = |why: &str| Problem { status: 401, code: "login", diagnostics: why.into(), expression: None };
    let Some(token) = token else {
        return Err(refusal(&unauthorized("Jeton d'accès absent (en-tête Authorization: Bearer …).")));
    };
    match sas::authenticate(state, token).await {
        Ok(Some(client)) => Ok(client),
        Ok(None) => Err(refusal(&unauthorized("Jeton d'accès inconnu ou révoqué."))),
        Err(e) => Err(refusal(&problem_of(e))),
    }
}

/// The query's parameters, decoded, in order.
fn pairs(uri: &Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect()
}

fn origin(state: &AppState, headers: &HeaderMap) -> String {
    crate::platform::security::own_origin(state.settings.public_origin.as_deref(), headers)
}

/// The body, as FHIR JSON.
fn body_json(headers: &HeaderMap, body: &Bytes) -> Result<Value, Problem> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let kind = content_type.split(';').next().unwrap_or_default().trim();
    if !["application/fhir+json", "application/json+fhir", "application/json"].contains(&kind) {
        return Err(Problem {
            status: 415,
            code: "not-supported",
            diagnostics: "Corps attendu en JSON (Content-Type: application/fhir+json).".into(),
            expression: None,
        });
    }
    serde_json::from_slice(body).map_err(|e| Problem::invalid("body", format!("JSON illisible : {e}.")))
}

fn created_or_ok(created: bool, location: String, body: &Value) -> Response {
    let mut res = fhir(if created { StatusCode::CREATED } else { StatusCode::OK }, body);
    if let Ok(value) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// `GET /fhir/Slot?start=ge…&start=le…&schedule.actor:Practitioner.identifier=…&status=free&_include=…`
pub async fn search_slots(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let query = match parse_search(&pairs(&uri)) {
        Ok(q) => q,
        Err(p) => return refusal(&p),
    };
    match sas::search(&state, client, &query).await {
        Ok((cpts, clinicians, slots)) => {
            let origin = origin(&state, &headers);
            let self_url = format!("{origin}{}", uri.path_and_query().map(|p| p.as_str()).unwrap_or("/fhir/Slot"));
            let bundle =
                search_bundle(&format!("{origin}/fhir"), &self_url, &cpts, &clinicians, &slots, query.includes);
            fhir(StatusCode::OK, &bundle)
        }
        Err(e) => refusal(&problem_of(e)),
    }
}

/// `POST /fhir/Appointment`: the SAS books a slot (201 and `Location`; 200 for a retry).
pub async fn create_appointment(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let json = match body_json(&headers, &body).and_then(|b| parse_appointment(&b).map(|a| (b, a))) {
        Ok(ok) => ok,
        Err(p) => return refusal(&p),
    };
    let (body, appointment) = json;
    match sas::book(&state, client, &appointment).await {
        Ok((id, created)) => {
            let location = format!("{}/fhir/Appointment/{id}", origin(&state, &headers));
            created_or_ok(created, location, &with_id(body, &id.to_string()))
        }
        Err(e) => refusal(&problem_of(e)),
    }
}

/// `PUT /fhir/Appointment?identifier=system|value`: the SAS updates or cancels its appointment.
pub async fn update_appointment(State(state): State<AppState>, headers: HeaderMap, uri: Uri, body: Bytes) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let read = identifier_param(&pairs(&uri))
        .and_then(|id| body_json(&headers, &body).map(|b| (id, b)))
        .and_then(|(id, b)| parse_appointment(&b).map(|a| (id, b, a)));
    let (identifier, body, appointment) = match read {
        Ok(ok) => ok,
        Err(p) => return refusal(&p),
    };
    match sas::update(&state, client, &identifier, &appointment).await {
        Ok((id, created)) => {
            let location = format!("{}/fhir/Appointment/{id}", origin(&state, &headers));
            created_or_ok(created, location, &with_id(body, &id.to_string()))
        }
        Err(e) => refusal(&problem_of(e)),
    }
}

async fn save_practitioner(
    state: AppState,
    headers: HeaderMap,
    matching: Option<(String, String)>,
    body: Bytes,
) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let (body, regulator) = match body_json(&headers, &body).and_then(|b| parse_regulator(&b).map(|r| (b, r))) {
        Ok(ok) => ok,
        Err(p) => return refusal(&p),
    };
    match sas::save_regulator(&state, client, matching.as_ref(), &regulator).await {
        Ok((id, created)) => {
            let location = format!("{}/fhir/Practitioner/regulator-{id}", origin(&state, &headers));
            created_or_ok(created, location, &with_id(body, &format!("regulator-{id}")))
        }
        Err(e) => refusal(&problem_of(e)),
    }
}

/// `POST /fhir/Practitioner`: a regulator's account (created, or updated when already known).
pub async fn create_practitioner(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    save_practitioner(state, headers, None, body).await
}

/// `PUT /fhir/Practitioner?identifier=system|value`: a regulator's account updated (created when
/// unknown, as the guide asks).
pub async fn update_practitioner(State(state): State<AppState>, headers: HeaderMap, uri: Uri, body: Bytes) -> Response {
    if let Err(res) = client(&state, &headers).await {
        return res;
    }
    match identifier_param(&pairs(&uri)) {
        Ok(matching) => save_practitioner(state, headers, Some(matching), body).await,
        Err(p) => refusal(&p),
    }
}

/// Anything else under `/fhir`.
pub async fn unknown(uri: Uri) -> Response {
    refusal(&Problem {
        status: 404,
        code: "not-supported",
        diagnostics: format!("Interaction non prise en charge : {}.", uri.path()),
        expression: None,
    })
}

/// Another method on a known resource.
pub async fn wrong_method(method: axum::http::Method, uri: Uri) -> Response {
    refusal(&Problem {
        status: 405,
        code: "not-supported",
        diagnostics: format!("{method} {} n'est pas pris en charge.", uri.path()),
        expression: None,
    })
}
