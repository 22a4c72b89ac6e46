//! [ssr] Pro Santé Connect (PSC), the national OpenID Connect login of French health
//! professionals, as an optional way in (`--psc-issuer`, `--psc-client-id`,
//! `--psc-client-secret`). `GET /auth/psc` sends the browser to PSC (authorization code flow with
//! PKCE, a nonce, `acr_values=eidas1`, scopes `openid scope_all`); `GET /auth/psc/retour` takes
//! the code back, checks the ID token (signature, issuer, audience, nonce, `acr` = `eidas1`),
//! reads the user info, and opens a session for the member whose RPPS the professional's
//! national identifier carries. Nobody is created: a professional who is not a member is told so.
//! The flow's state (PKCE verifier and nonce) waits in the ceremonies' table, five minutes, used
//! once, under the `state` parameter, which a cookie of this browser must also hold.

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata};
use openidconnect::{
    reqwest, AdditionalClaims, AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

use super::dto::PscFailure;
use super::passkeys::{save_ceremony_as, take_ceremony};
use crate::platform::{AppState, Secret};

/// Where PSC is and who Relais is to it.
#[derive(Clone, Debug)]
pub struct PscSettings {
    /// The issuer, e.g. `https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
}

/// The authentication level PSC must vouch for: a CPS card or the e-CPS app.
pub const ACR: &str = "eidas1";
/// Where PSC sends the browser back (declared to PSC as the redirect URI).
pub const RETURN_PATH: &str = "/auth/psc/retour";
const COOKIE: &str = "relais_psc";

/// PSC's own user-info claim: the national identifier, as `preferred_username` also carries it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PscClaims {
    #[serde(rename = "SubjectNameID", default)]
    subject_name_id: Option<String>,
}
impl AdditionalClaims for PscClaims {}

/// What waits between the two legs.
#[derive(Serialize, Deserialize)]
struct Pending {
    verifier: String,
    nonce: String,
}

fn http_client() -> Result<reqwest::Client, PscFailure> {
    // Following redirects would let a provider send the requests elsewhere.
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|_| PscFailure::Unavailable)
}

async fn metadata(psc: &PscSettings, http: &reqwest::Client) -> Result<CoreProviderMetadata, PscFailure> {
    let issuer = IssuerUrl::new(psc.issuer.clone()).map_err(|_| PscFailure::Unavailable)?;
    CoreProviderMetadata::discover_async(issuer, http).await.map_err(|e| {
        tracing::warn!(error = %e, "Pro Santé Connect discovery failed");
        PscFailure::Unavailable
    })
}

/// Relais as PSC's client, PSC's endpoints as its discovery document gives them.
type PscClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

async fn client(
    state: &AppState,
    psc: &PscSettings,
    headers: &HeaderMap,
    http: &reqwest::Client,
) -> Result<PscClient, PscFailure> {
    let origin = crate::platform::security::own_origin(state.settings.public_origin.as_deref(), headers);
    let redirect = RedirectUrl::new(format!("{origin}{RETURN_PATH}")).map_err(|_| PscFailure::Unavailable)?;
    Ok(CoreClient::from_provider_metadata(
        metadata(psc, http).await?,
        ClientId::new(psc.client_id.clone()),
        Some(ClientSecret::new(psc.client_secret.0.clone())),
    )
    .set_redirect_uri(redirect))
}

fn to_login(failure: PscFailure) -> Response {
    Redirect::to(&format!("/connexion?psc={}", failure.code())).into_response()
}

fn cookie(value: &str, secure: bool, max_age_seconds: i64) -> HeaderValue {
    let c =
        super::ops::own_cookie(COOKIE, value, "/auth/psc", secure, cookie::time::Duration::seconds(max_age_seconds));
    HeaderValue::from_str(&c).unwrap_or(HeaderValue::from_static(""))
}

/// `GET /auth/psc`: off to Pro Santé Connect.
pub async fn start(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(psc) = state.settings.psc.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut res = match authorization_url(&state, &psc, &headers).await {
        Ok((url, csrf)) => {
            let mut res = Redirect::to(&url).into_response();
            res.headers_mut().insert(header::SET_COOKIE, cookie(&csrf, state.settings.secure_cookies, 300));
            res
        }
        Err(f) => to_login(f),
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn authorization_url(
    state: &AppState,
    psc: &PscSettings,
    headers: &HeaderMap,
) -> Result<(String, String), PscFailure> {
    let http = http_client()?;
    let client = client(state, psc, headers, &http).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("scope_all".into()))
        .add_auth_context_value(AuthenticationContextClass::new(ACR.into()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending { verifier: verifier.secret().clone(), nonce: nonce.secret().clone() };
    let json = serde_json::to_string(&pending).map_err(|_| PscFailure::Unavailable)?;
    let mut tx = state.store.begin().await.map_err(|_| PscFailure::Unavailable)?;
    save_ceremony_as(&mut tx, state, csrf.secret(), None, json, state.now())
        .await
        .map_err(|_| PscFailure::Unavailable)?;
    tx.commit().await.map_err(|_| PscFailure::Unavailable)?;
    Ok((url.to_string(), csrf.secret().clone()))
}

/// What PSC sends back.
#[derive(Debug, Deserialize)]
pub struct Return {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The issuer of the answer (RFC 9207), when the provider names it: it must be PSC.
    iss: Option<String>,
}

/// `GET /auth/psc/retour`: back from Pro Santé Connect; logged in, or told why not.
pub async fn finish(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Query(back): Query<Return>,
) -> Response {
    let Some(psc) = state.settings.psc.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let ip = crate::platform::security::client_ip(&headers, Some(peer), state.settings.behind_proxy);
    let outcome = match back {
        Return { error: Some(e), .. } if e == "access_denied" => Err(PscFailure::Cancelled),
        Return { error: Some(_), .. } => Err(PscFailure::Refused),
        Return { iss: Some(iss), .. } if iss != psc.issuer => Err(PscFailure::Refused),
        Return { code: Some(code), state: Some(csrf), .. } => {
            let ours = cookie_value(&headers).is_some_and(|c| c == csrf);
            if ours {
                log_in(&state, &psc, &headers, &code, &csrf, &ip).await
            } else {
                Err(PscFailure::Refused)
            }
        }
        _ => Err(PscFailure::Refused),
    };
    let mut res = match outcome {
        Ok(session) => {
            let mut res = Redirect::to("/").into_response();
            let session_cookie =
                super::session_cookie(&session, state.settings.secure_cookies, state.settings.session_hours);
            if let Ok(v) = HeaderValue::from_str(&session_cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(f) => to_login(f),
    };
    res.headers_mut().append(header::SET_COOKIE, cookie("", state.settings.secure_cookies, 0));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| super::ops::cookie_in(h, COOKIE))
}

/// The second leg: the code for tokens, the checks, the member, the session token.
async fn log_in(
    state: &AppState,
    psc: &PscSettings,
    headers: &HeaderMap,
    code: &str,
    csrf: &str,
    ip: &str,
) -> Result<String, PscFailure> {
    let now = state.now();
    let pending: Pending = {
        let mut tx = state.store.begin().await.map_err(|_| PscFailure::Unavailable)?;
        let (_, json) = take_ceremony(&mut tx, state, csrf, now).await.map_err(|_| PscFailure::Refused)?;
        tx.commit().await.map_err(|_| PscFailure::Unavailable)?;
        serde_json::from_str(&json).map_err(|_| PscFailure::Refused)?
    };
    let http = http_client()?;
    let client = client(state, psc, headers, &http).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|_| PscFailure::Unavailable)?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
        .request_async(&http)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "Pro Santé Connect refused the code");
            PscFailure::Refused
        })?;
    let id_token = tokens.id_token().ok_or(PscFailure::Refused)?;
    let claims =
        id_token.claims(&client.id_token_verifier(), &Nonce::new(pending.nonce)).map_err(|_| PscFailure::Refused)?;
    if claims.auth_context_ref().map(|a| a.as_str()) != Some(ACR) {
        return Err(PscFailure::WeakLevel);
    }
    let info: UserInfoClaims<PscClaims, CoreGenderClaim> = client
        .user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
        .map_err(|_| PscFailure::Unavailable)?
        .request_async(&http)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "Pro Santé Connect user info failed");
            PscFailure::Refused
        })?;
    let national_id = info
        .preferred_username()
        .map(|u| u.as_str().to_string())
        .or_else(|| info.additional_claims().subject_name_id.clone())
        .ok_or(PscFailure::Unknown)?;
    let rpps = crate::members::rules::rpps_of_national_id(&national_id).ok_or(PscFailure::Unknown)?;
    let mut tx = state.store.begin().await.map_err(|_| PscFailure::Unavailable)?;
    let (member, status) = super::store::rpps_lookup(&mut tx, &rpps)
        .await
        .map_err(|_| PscFailure::Unavailable)?
        .ok_or(PscFailure::Unknown)?;
    if status != "active" {
        super::ops::refuse_standing(tx, &member, &status, ip, now).await.map_err(|_| PscFailure::Unavailable)?;
        return Err(PscFailure::Suspended);
    }
    let previous = super::token_from_headers(headers);
    let session =
        super::open_session(state, &mut tx, &member, previous, "psc", ip).await.map_err(|_| PscFailure::Unavailable)?;
    tx.commit().await.map_err(|_| PscFailure::Unavailable)?;
    Ok(session)
}
