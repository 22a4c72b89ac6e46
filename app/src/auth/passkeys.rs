//! [ssr] Passkeys (WebAuthn, with webauthn-rs): a member registers one or several from
//! *Réglages*, logs in with one tap — the passkey names its member, no e-mail typed — and removes
//! one. Each ceremony's state stays in the database between its two calls, five minutes at most,
//! and is used once. The relying party is Relais' public address (`--public-url`), or the host the
//! page was served from (`localhost` in development: an IP address cannot hold passkeys).

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyConnection, Row};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url,
    Uuid, Webauthn, WebauthnBuilder,
};

use super::ops::{open_session, token_hash, AuthError};
use crate::domain::fields::has_forbidden_chars;
use crate::domain::{Field, FieldErrors, FieldProblem};
use crate::members::{self, MemberRow};
use crate::platform::audit::Audit;
use crate::platform::db::{from_ms, ms};
use crate::platform::{new_token, AppState};

/// How long a ceremony may take.
const CEREMONY_MINUTES: i64 = 5;
/// The longest name of a passkey.
pub const MAX_LABEL: usize = 60;

/// A member's passkey as *Réglages* lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct PasskeyRow {
    pub id: i64,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The relying party of `origin` (`https://relais.example.org`, `http://localhost:3000`).
///
/// # Errors
/// [`AuthError::PasskeysUnavailable`] for an origin passkeys cannot belong to (an IP address).
pub fn relying_party(origin: &str) -> Result<Webauthn, AuthError> {
    let url = Url::parse(origin).map_err(|_| AuthError::PasskeysUnavailable)?;
    let host = url.host_str().ok_or(AuthError::PasskeysUnavailable)?.to_string();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return Err(AuthError::PasskeysUnavailable);
    }
    WebauthnBuilder::new(&host, &url)
        .and_then(|b| b.rp_name("Relais").build())
        .map_err(|_| AuthError::PasskeysUnavailable)
}

async fn save_ceremony(
    tx: &mut AnyConnection,
    state: &AppState,
    member_id: Option<i64>,
    json: String,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    let token = new_token();
    save_ceremony_as(tx, state, &token, member_id, json, now).await?;
    Ok(token)
}

/// Keeps a ceremony's state (WebAuthn, or a Pro Santé Connect login) under `token`, which only
/// the browser holds (the table keeps its HMAC), and forgets the ones older than five minutes.
pub(super) async fn save_ceremony_as(
    tx: &mut AnyConnection,
    state: &AppState,
    token: &str,
    member_id: Option<i64>,
    json: String,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    sqlx::query("delete from webauthn_ceremony where created_at < $1")
        .bind(ms(now - Duration::minutes(CEREMONY_MINUTES)))
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into webauthn_ceremony (token_hash, member_id, state, created_at) values ($1, $2, $3, $4)")
        .bind(token_hash(&state.settings.secret_key, token))
        .bind(member_id)
        .bind(json)
        .bind(ms(now))
        .execute(tx)
        .await?;
    Ok(())
}

/// Takes a ceremony's state (once) if it is recent: (member, state).
pub(super) async fn take_ceremony(
    tx: &mut AnyConnection,
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(Option<i64>, String), AuthError> {
    let row = sqlx::query("delete from webauthn_ceremony where token_hash = $1 returning member_id, state, created_at")
        .bind(token_hash(&state.settings.secret_key, token))
        .fetch_optional(tx)
        .await?
        .ok_or(AuthError::PasskeyRefused)?;
    if from_ms(row.get("created_at")) < now - Duration::minutes(CEREMONY_MINUTES) {
        return Err(AuthError::PasskeyRefused);
    }
    Ok((row.get("member_id"), row.get("state")))
}

/// The member's WebAuthn user handle, made on their first passkey.
async fn user_handle(tx: &mut AnyConnection, member_id: i64) -> Result<Uuid, AuthError> {
    let current: Option<String> =
        sqlx::query_scalar("select passkey_user from member where id = $1").bind(member_id).fetch_one(&mut *tx).await?;
    if let Some(u) = current.and_then(|u| Uuid::parse_str(&u).ok()) {
        return Ok(u);
    }
    let u = Uuid::new_v4();
    sqlx::query("update member set passkey_user = $2 where id = $1")
        .bind(member_id)
        .bind(u.to_string())
        .execute(tx)
        .await?;
    Ok(u)
}

/// The member's passkeys.
///
/// # Errors
/// On a database failure.
pub async fn passkeys_of(conn: &mut AnyConnection, member_id: i64) -> Result<Vec<PasskeyRow>, AuthError> {
    let rows = sqlx::query("select id, label, created_at, last_used_at from passkey where member_id = $1 order by id")
        .bind(member_id)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| PasskeyRow {
            id: r.get("id"),
            label: r.get("label"),
            created_at: from_ms(r.get("created_at")),
            last_used_at: r.get::<Option<i64>, _>("last_used_at").map(from_ms),
        })
        .collect())
}

async fn stored(conn: &mut AnyConnection, member_id: i64) -> Result<Vec<(i64, Passkey)>, AuthError> {
    let rows =
        sqlx::query("select id, passkey from passkey where member_id = $1").bind(member_id).fetch_all(conn).await?;
    Ok(rows
        .iter()
        .filter_map(|r| Some((r.get::<i64, _>("id"), serde_json::from_str(&r.get::<String, _>("passkey")).ok()?)))
        .collect())
}

/// Starts registering a passkey: the options the browser passes to `navigator.credentials.create`
/// (JSON), and the ceremony's token.
///
/// # Errors
/// [`AuthError::PasskeysUnavailable`] where passkeys cannot work (see [`relying_party`]).
pub async fn register_start(state: &AppState, me: &MemberRow, origin: &str) -> Result<(String, String), AuthError> {
    let rp = relying_party(origin)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let user = user_handle(&mut tx, me.id).await?;
    let existing = stored(&mut tx, me.id).await?.into_iter().map(|(_, p)| p.cred_id().clone()).collect();
    let (options, registration) = rp
        .start_passkey_registration(user, &me.email, &me.display_name, Some(existing))
        .map_err(|_| AuthError::PasskeyRefused)?;
    let json = serde_json::to_string(&registration).map_err(|_| AuthError::Internal)?;
    let token = save_ceremony(&mut tx, state, Some(me.id), json, now).await?;
    tx.commit().await?;
    Ok((token, discoverable(&options)?))
}

/// The creation options as the browser gets them (JSON), asking for a passkey that names its
/// member (a discoverable credential): one tap logs in, no e-mail typed.
fn discoverable(options: &webauthn_rs::prelude::CreationChallengeResponse) -> Result<String, AuthError> {
    let mut options = serde_json::to_value(options).map_err(|_| AuthError::Internal)?;
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
    serde_json::to_string(&options).map_err(|_| AuthError::Internal)
}

/// A newcomer's registration: for which invitation, under which user handle.
#[derive(serde::Serialize, serde::Deserialize)]
struct Newcomer {
    invitation_id: i64,
    user: Uuid,
    registration: PasskeyRegistration,
}

/// Starts registering the passkey of someone whose account does not exist yet: the invitee of
/// `invitation_id`, who chose a passkey instead of a password. As [`register_start`].
///
/// # Errors
/// [`AuthError::PasskeysUnavailable`] where passkeys cannot work.
pub async fn newcomer_register_start(
    state: &AppState,
    invitation_id: i64,
    email: &str,
    name: &str,
    origin: &str,
) -> Result<(String, String), AuthError> {
    let rp = relying_party(origin)?;
    let now = state.now();
    let user = Uuid::new_v4();
    let (options, registration) =
        rp.start_passkey_registration(user, email, name, None).map_err(|_| AuthError::PasskeyRefused)?;
    let json =
        serde_json::to_string(&Newcomer { invitation_id, user, registration }).map_err(|_| AuthError::Internal)?;
    let mut tx = state.store.begin().await?;
    let token = save_ceremony(&mut tx, state, None, json, now).await?;
    tx.commit().await?;
    Ok((token, discoverable(&options)?))
}

/// Checks a newcomer's passkey against its ceremony, which must be `invitation_id`'s, in the
/// caller's transaction: the user handle and the passkey, to keep with [`keep_newcomer_passkey`]
/// once the account exists.
///
/// # Errors
/// [`AuthError::PasskeyRefused`] for an answer that does not match that ceremony.
pub async fn newcomer_register_finish(
    tx: &mut AnyConnection,
    state: &AppState,
    origin: &str,
    token: &str,
    credential: &str,
    invitation_id: i64,
) -> Result<(Uuid, Passkey), AuthError> {
    let rp = relying_party(origin)?;
    let credential: RegisterPublicKeyCredential =
        serde_json::from_str(credential).map_err(|_| AuthError::PasskeyRefused)?;
    let (member, json) = take_ceremony(tx, state, token, state.now()).await?;
    let newcomer: Newcomer = serde_json::from_str(&json).map_err(|_| AuthError::PasskeyRefused)?;
    if member.is_some() || newcomer.invitation_id != invitation_id {
        return Err(AuthError::PasskeyRefused);
    }
    let passkey =
        rp.finish_passkey_registration(&credential, &newcomer.registration).map_err(|_| AuthError::PasskeyRefused)?;
    Ok((newcomer.user, passkey))
}

/// Keeps a newcomer's first passkey, checked by [`newcomer_register_finish`], as `member`'s.
///
/// # Errors
/// [`AuthError::PasskeyRefused`] for a passkey already kept.
pub async fn keep_newcomer_passkey(
    tx: &mut AnyConnection,
    member: &MemberRow,
    user: Uuid,
    passkey: &Passkey,
    label: &str,
    now: DateTime<Utc>,
) -> Result<i64, AuthError> {
    sqlx::query("update member set passkey_user = $2 where id = $1")
        .bind(member.id)
        .bind(user.to_string())
        .execute(&mut *tx)
        .await?;
    keep(tx, member, passkey, label, now).await
}

/// Keeps a checked passkey under `label`, and audits it. Returns its id.
async fn keep(
    tx: &mut AnyConnection,
    me: &MemberRow,
    passkey: &Passkey,
    label: &str,
    now: DateTime<Utc>,
) -> Result<i64, AuthError> {
    let id: Option<i64> = sqlx::query_scalar(
        "insert into passkey (member_id, credential_id, passkey, label, created_at) values ($1, $2, $3, $4, $5) \
         on conflict (credential_id) do nothing returning id",
    )
    .bind(me.id)
    .bind(b64(passkey.cred_id().as_ref()))
    .bind(serde_json::to_string(passkey).map_err(|_| AuthError::Internal)?)
    .bind(label)
    .bind(ms(now))
    .fetch_optional(&mut *tx)
    .await?;
    let id = id.ok_or(AuthError::PasskeyRefused)?;
    Audit::by(me, "passkey_added")
        .detail(serde_json::json!({ "passkey_id": id, "label": label }))
        .write(tx, now)
        .await?;
    Ok(id)
}

/// Checks a passkey's name: 1 to 60 characters, no control characters.
///
/// # Errors
/// [`AuthError::Invalid`] otherwise.
pub fn check_label(label: &str) -> Result<String, AuthError> {
    let label = label.trim();
    let mut errors = FieldErrors::default();
    if label.is_empty() {
        errors.add(Field::Label, FieldProblem::Required);
    } else if label.chars().count() > MAX_LABEL {
        errors.add(Field::Label, FieldProblem::TooLong);
    } else if has_forbidden_chars(label, false) {
        errors.add(Field::Label, FieldProblem::InvalidCharacters);
    }
    if errors.is_empty() {
        Ok(label.to_string())
    } else {
        Err(AuthError::Invalid(errors))
    }
}

/// Finishes registering: the browser's answer (JSON) is checked against the ceremony, and the
/// passkey is kept under `label`. Returns its id.
///
/// # Errors
/// [`AuthError::PasskeyRefused`] for an answer that does not match a ceremony of this member's.
pub async fn register_finish(
    state: &AppState,
    me: &MemberRow,
    origin: &str,
    token: &str,
    credential: &str,
    label: &str,
) -> Result<i64, AuthError> {
    let label = check_label(label)?;
    let rp = relying_party(origin)?;
    let credential: RegisterPublicKeyCredential =
        serde_json::from_str(credential).map_err(|_| AuthError::PasskeyRefused)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let (member, json) = take_ceremony(&mut tx, state, token, now).await?;
    if member != Some(me.id) {
        return Err(AuthError::PasskeyRefused);
    }
    let registration: PasskeyRegistration = serde_json::from_str(&json).map_err(|_| AuthError::PasskeyRefused)?;
    let passkey = rp.finish_passkey_registration(&credential, &registration).map_err(|_| AuthError::PasskeyRefused)?;
    let id = keep(&mut tx, me, &passkey, &label, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes one of the member's passkeys.
///
/// # Errors
/// [`AuthError::NotFound`] for another member's.
pub async fn remove(state: &AppState, me: &MemberRow, id: i64) -> Result<(), AuthError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let done = sqlx::query("delete from passkey where id = $1 and member_id = $2")
        .bind(id)
        .bind(me.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AuthError::NotFound);
    }
    Audit::by(me, "passkey_removed").detail(serde_json::json!({ "passkey_id": id })).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a login with a passkey: the options for `navigator.credentials.get` (JSON; no
/// credential listed, the authenticator offers its own) and the ceremony's token.
///
/// # Errors
/// [`AuthError::PasskeysUnavailable`] where passkeys cannot work.
pub async fn login_start(state: &AppState, origin: &str) -> Result<(String, String), AuthError> {
    let rp = relying_party(origin)?;
    let now = state.now();
    let (mut options, authentication) =
        rp.start_discoverable_authentication().map_err(|_| AuthError::PasskeyRefused)?;
    // A tap on a button, not the autofill of a form field.
    options.mediation = None;
    let json = serde_json::to_string(&authentication).map_err(|_| AuthError::Internal)?;
    let mut tx = state.store.begin().await?;
    let token = save_ceremony(&mut tx, state, None, json, now).await?;
    tx.commit().await?;
    Ok((token, serde_json::to_string(&options).map_err(|_| AuthError::Internal)?))
}

/// Finishes a login with a passkey: the answer names the member (by their handle) and the
/// passkey, whose signature is checked; then a session opens as with a password (the old one of
/// the browser closed). A suspended member is refused after the check, as with a password.
///
/// # Errors
/// [`AuthError::PasskeyRefused`] for an unknown passkey or a wrong signature, [`AuthError::Suspended`].
pub async fn login_finish(
    state: &AppState,
    origin: &str,
    token: &str,
    credential: &str,
    ip: &str,
    previous: Option<String>,
) -> Result<(MemberRow, String), AuthError> {
    let rp = relying_party(origin)?;
    let credential: PublicKeyCredential = serde_json::from_str(credential).map_err(|_| AuthError::PasskeyRefused)?;
    let (user, cred_id) =
        rp.identify_discoverable_authentication(&credential).map_err(|_| AuthError::PasskeyRefused)?;
    let cred_id = b64(cred_id);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let (_, json) = take_ceremony(&mut tx, state, token, now).await?;
    let authentication: DiscoverableAuthentication =
        serde_json::from_str(&json).map_err(|_| AuthError::PasskeyRefused)?;
    let found = sqlx::query(
        "select p.id, p.passkey, m.id as member_id, m.status from passkey p join member m on m.id = p.member_id \
         where p.credential_id = $1 and m.passkey_user = $2 and m.status <> 'removed'",
    )
    .bind(&cred_id)
    .bind(user.to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AuthError::PasskeyRefused)?;
    let (passkey_id, member_id, status): (i64, i64, String) =
        (found.get("id"), found.get("member_id"), found.get("status"));
    let mut passkey: Passkey =
        serde_json::from_str(&found.get::<String, _>("passkey")).map_err(|_| AuthError::PasskeyRefused)?;
    let result = rp
        .finish_discoverable_authentication_v2(&credential, authentication, &passkey)
        .map_err(|_| AuthError::PasskeyRefused)?;
    passkey.update_credential(&result);
    sqlx::query("update passkey set passkey = $2, last_used_at = $3 where id = $1")
        .bind(passkey_id)
        .bind(serde_json::to_string(&passkey).map_err(|_| AuthError::Internal)?)
        .bind(ms(now))
        .execute(&mut *tx)
        .await?;
    let member = members::member(&mut tx, member_id).await?.ok_or(AuthError::PasskeyRefused)?;
    if status != "active" {
        return Err(super::ops::refuse_standing(tx, &member, &status, ip, now).await?);
    }
    let session = open_session(state, &mut tx, &member, previous, "passkey", ip).await?;
    tx.commit().await?;
    Ok((member, session))
}
