//! Passwords, sessions and the login rate limit.
//!
//! The session cookie holds a random token; the database keeps only its HMAC, so a copy of the
//! database opens no session. A new token is issued at each login (the old one is deleted).

use std::sync::OnceLock;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::cache::Remembered;
use super::dto::{DemoAccount, LoginPageData};
use super::store;
use crate::members::{self, MemberRow};
use crate::platform::audit::Audit;
use crate::platform::db::StoreError;
use crate::platform::{new_token, AppState};

/// What can go wrong when logging in or out.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("bad credentials")]
    BadCredentials,
    #[error("suspended")]
    Suspended,
    /// A passkey answer that matches no ceremony, no passkey, or a wrong signature.
    #[error("passkey refused")]
    PasskeyRefused,
    /// Relais is served where passkeys cannot work (an IP address).
    #[error("passkeys unavailable here")]
    PasskeysUnavailable,
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(crate::domain::FieldErrors),
    #[error("password login disabled")]
    PasswordDisabled,
    #[error("too many attempts")]
    TooManyAttempts { retry_in_minutes: i64 },
    #[error("password hashing failed")]
    Internal,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(AuthError);

pub const COOKIE_NAME: &str = "relais_session";

/// Hashes a password with Argon2id, off the async threads (it takes tens of milliseconds).
///
/// # Errors
/// [`AuthError::Internal`] if the hashing thread fails.
pub async fn hash_password(password: String) -> Result<String, AuthError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|_| AuthError::Internal)?
    .map_err(|_| AuthError::Internal)
}

/// Checks a password against a stored hash, off the async threads.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a wrong e-mail and a wrong
/// password take the same time.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(b"relais-no-such-account", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

pub fn token_hash(secret: &[u8], token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub(super) use crate::platform::security::{cookie_in, own_cookie};

/// The `Set-Cookie` value that opens a session.
pub fn session_cookie(token: &str, secure: bool, max_age_hours: i64) -> String {
    own_cookie(COOKIE_NAME, token, "/", secure, cookie::time::Duration::hours(max_age_hours))
}

/// The `Set-Cookie` value that ends it.
pub fn clear_cookie(secure: bool) -> String {
    own_cookie(COOKIE_NAME, "", "/", secure, cookie::time::Duration::ZERO)
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookie_header(header: &str) -> Option<String> {
    cookie_in(header, COOKIE_NAME)
}

/// The session token of a request's `Cookie` header, if any.
pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok()).and_then(token_from_cookie_header)
}

/// Logs a member in: checks the rate limit, the password, then opens a new session and
/// closes the one the browser had. Returns the member and the new token.
///
/// # Errors
/// [`AuthError::TooManyAttempts`] past the limits, [`AuthError::BadCredentials`] otherwise.
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    ip: &str,
    previous_token: Option<String>,
) -> Result<(MemberRow, String), AuthError> {
    let now = state.now();
    let email = email.trim().to_lowercase();
    if email.chars().any(char::is_control) {
        return Err(AuthError::BadCredentials);
    }
    let s = &state.settings;
    let window = Duration::minutes(s.login_window_minutes);
    // Count and record the attempt in one transaction, before the (slow) password check:
    // parallel guesses are counted one after the other and cannot slip under the limit.
    let mut tx = state.store.begin().await?;
    state.store.lock_login(&mut tx, &email).await?;
    let (by_email, by_ip) = store::login_failures(&mut tx, &email, ip, now - window).await?;
    if by_email >= s.max_failures_per_account || by_ip >= s.max_failures_per_ip {
        let oldest = store::oldest_login_failure(&mut tx, &email, ip, now - window).await?.unwrap_or(now);
        tx.commit().await?;
        let wait = (oldest + window - now).num_minutes() + 1;
        return Err(AuthError::TooManyAttempts { retry_in_minutes: wait.clamp(1, s.login_window_minutes) });
    }
    let attempt = store::record_login_attempt(&mut tx, &email, ip, now).await?;
    let found = store::login_lookup(&mut tx, &email).await?;
    tx.commit().await?;
    // A member without a password (passkeys only) is checked against the dummy hash: refused.
    let hash = found.as_ref().map(|(_, h, _)| h.clone()).filter(|h| !h.is_empty());
    let ok =
        verify_password(password, hash.clone().unwrap_or_else(|| dummy_hash().to_string())).await && hash.is_some();
    let mut tx = state.store.begin().await?;
    let Some((member, _, status)) = found.filter(|_| ok) else {
        Audit::new("login_failed").detail(serde_json::json!({ "email": email, "ip": ip })).write(&mut tx, now).await?;
        tx.commit().await?;
        return Err(AuthError::BadCredentials);
    };
    store::forget_login_attempt(&mut tx, attempt).await?;
    if status != "active" {
        return Err(refuse_standing(tx, &member, &status, ip, now).await?);
    }
    if !members::password_login(&mut tx, member.cpts_id).await? {
        Audit::by(&member, "login_refused")
            .detail(serde_json::json!({ "ip": ip, "password": "disabled" }))
            .write(&mut tx, now)
            .await?;
        tx.commit().await?;
        return Err(AuthError::PasswordDisabled);
    }
    let token = open_session(state, &mut tx, &member, previous_token, "password", ip).await?;
    tx.commit().await?;
    Ok((member, token))
}

/// Refuses a member whose credentials checked out but whose access is suspended: the refusal is
/// audited (and committed) and [`AuthError::Suspended`] is what to answer.
///
/// # Errors
/// On a database failure.
pub async fn refuse_standing(
    mut tx: crate::platform::db::Tx,
    member: &MemberRow,
    status: &str,
    ip: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<AuthError, AuthError> {
    Audit::by(member, "login_refused")
        .detail(serde_json::json!({ "ip": ip, "status": status }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(AuthError::Suspended)
}

/// Opens a session for `member` in the caller's transaction (closing the one the browser had),
/// audited as a login by `how` (`password`, `invitation`…). Returns the new token.
///
/// # Errors
/// On a database failure.
pub async fn open_session(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    member: &MemberRow,
    previous_token: Option<String>,
    how: &str,
    ip: &str,
) -> Result<String, AuthError> {
    let now = state.now();
    let s = &state.settings;
    if let Some(old) = previous_token {
        let old = token_hash(&s.secret_key, &old);
        store::delete_session(tx, &old).await?;
        // The browser's own previous session, replaced by this one.
        state.sessions.forget(&old);
    }
    let token = new_token();
    store::create_session(
        tx,
        &token_hash(&s.secret_key, &token),
        member.id,
        now,
        now + Duration::hours(s.session_hours),
    )
    .await?;
    Audit::by(member, "login").detail(serde_json::json!({ "ip": ip, "how": how })).write(tx, now).await?;
    Ok(token)
}

/// Ends every other session of the member (their other phones and computers): their live
/// streams close at once. Returns how many ended.
///
/// # Errors
/// On a database failure.
pub async fn logout_others(state: &AppState, member: &MemberRow, token: &str) -> Result<u64, AuthError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let ended =
        store::delete_sessions_of(&mut tx, member.id, Some(&token_hash(&state.settings.secret_key, token))).await?;
    Audit::by(member, "logout_others").detail(serde_json::json!({ "sessions": ended })).write(&mut tx, now).await?;
    tx.commit().await?;
    state.announce(vec![crate::platform::live::LiveEvent::member_notice(member.id, SESSIONS_CHANGED)]).await;
    Ok(ended)
}

/// Ends every session of a member (suspended, removed), in the caller's transaction. Returns
/// how many ended; announce [`SESSIONS_CHANGED`] after the commit to close their live streams.
///
/// # Errors
/// On a database failure.
pub async fn end_sessions_of(tx: &mut sqlx::AnyConnection, member_id: i64) -> Result<u64, AuthError> {
    Ok(store::delete_sessions_of(tx, member_id, None).await?)
}

/// The live event that makes a member's open streams check their session at once.
pub const SESSIONS_CHANGED: &str = "sessions_changed";

/// The live event that says a member's own row changed (their language, commune…): every
/// instance forgets the sessions it remembers of them (`cache`); screens are not told.
pub const MEMBER_CHANGED: &str = "member_changed";

/// Ends a session (no error if it was already gone).
///
/// # Errors
/// Only on a database failure.
pub async fn logout(state: &AppState, token: &str) -> Result<(), AuthError> {
    let now = state.now();
    let hash = token_hash(&state.settings.secret_key, token);
    let mut tx = state.store.begin().await?;
    let ended = store::delete_session(&mut tx, &hash).await?;
    if let Some(member_id) = ended {
        let cpts_id = members::member(&mut tx, member_id).await?.map(|m| m.cpts_id);
        Audit::new("logout").actor(member_id).cpts(cpts_id).write(&mut tx, now).await?;
    }
    tx.commit().await?;
    state.sessions.forget(&hash);
    // Other instances forget it too; the session's own live streams end at once.
    if let Some(member_id) = ended {
        state.announce(vec![crate::platform::live::LiveEvent::member_notice(member_id, SESSIONS_CHANGED)]).await;
    }
    Ok(())
}

/// The member a session token belongs to, if the session is valid: as read in the last seconds
/// by this instance (`cache`), or from the database.
///
/// # Errors
/// Only on a database failure.
pub async fn member_for_token(state: &AppState, token: &str) -> Result<Option<MemberRow>, AuthError> {
    let now = state.now();
    let hash = token_hash(&state.settings.secret_key, token);
    let session = match state.sessions.get(&hash) {
        Ok(remembered) => remembered,
        Err(ticket) => {
            let found = {
                let mut conn = state.store.reader().await?;
                store::session_member(&mut conn, &hash, now).await?
            };
            let Some(row) = found else { return Ok(None) };
            let read = Remembered::new(row.member, row.expires_at, row.last_seen);
            state.sessions.keep(ticket, &hash, read.clone());
            read
        }
    };
    if session.expires_at <= now {
        return Ok(None);
    }
    let last_use = state.session_uses.last(&hash).map_or(session.last_seen, |noted| noted.max(session.last_seen));
    if last_use <= now - Duration::minutes(state.settings.session_idle_minutes) {
        return Ok(None);
    }
    // Its last use, kept to the minute, written by the job loop with the others (`uses`).
    if now - last_use >= Duration::minutes(1) {
        state.session_uses.note(&hash, now);
        state.sessions.used(&hash, now);
    }
    Ok(Some(session.member))
}

/// What the login page shows: in demo mode, the demo accounts and their password.
///
/// # Errors
/// Only on a database failure.
pub async fn login_page(state: &AppState) -> Result<LoginPageData, AuthError> {
    let psc = state.settings.psc.is_some();
    if !state.settings.demo_mode {
        return Ok(LoginPageData { demo_accounts: vec![], demo_password: None, psc });
    }
    let mut conn = state.store.reader().await?;
    let Some((cpts_id, _)) = members::first_cpts(&mut conn).await? else {
        return Ok(LoginPageData { demo_accounts: vec![], demo_password: None, psc });
    };
    let demo_accounts = members::members(&mut conn, cpts_id)
        .await?
        .into_iter()
        .filter(|m| m.email.ends_with("@demo.relais.test"))
        .map(|m| DemoAccount { email: m.email, display_name: m.display_name, role: m.role, profession: m.profession })
        .collect();
    Ok(LoginPageData { demo_accounts, demo_password: Some(crate::DEMO_PASSWORD.into()), psc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_among_other_cookies() {
        assert_eq!(token_from_cookie_header("a=1; relais_session=abc; b=2"), Some("abc".into()));
        assert_eq!(token_from_cookie_header("a=1"), None);
        assert_eq!(token_from_cookie_header("relais_session="), None);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_lax() {
        let c = session_cookie("t", false, 12);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(session_cookie("t", true, 12).contains("Secure"));
    }

    #[test]
    fn token_hashes_depend_on_the_secret() {
        assert_ne!(token_hash(b"a", "t"), token_hash(b"b", "t"));
        assert_eq!(token_hash(b"a", "t"), token_hash(b"a", "t"));
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash_password("s3cret!".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("s3cret!".into(), h.clone()).await);
        assert!(!verify_password("nope".into(), h).await);
    }
}
