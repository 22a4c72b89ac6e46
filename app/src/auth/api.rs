//! Server functions of logging in and out.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each server function of logging in and out: anyone (`auth/me` answers `null`
/// without a session).
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("auth/login", Access::Anyone),
    ("auth/logout", Access::Anyone),
    ("auth/me", Access::Anyone),
    ("auth/login_page", Access::Anyone),
    ("auth/logout_others", Access::Member),
    ("passkeys/list", Access::Member),
    ("passkeys/register_start", Access::Member),
    ("passkeys/register_finish", Access::Member),
    ("passkeys/remove", Access::Member),
    ("passkeys/login_start", Access::Anyone),
    ("passkeys/login_finish", Access::Anyone),
];
use super::dto::{Ceremony, LoginPageData, PasskeyView};
use crate::members::dto::Me;

/// Opens a session. Sets the cookie and sends the browser to its home page.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let (_, token) =
                crate::auth::ops::login(&state, &email, password, &ctx::client_ip(), ctx::session_token()).await?;
            ctx::set_cookie(&crate::auth::ops::session_cookie(
                &token,
                state.settings.secure_cookies,
                state.settings.session_hours,
            ));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Ends the session.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            if let Some(token) = ctx::session_token() {
                crate::auth::ops::logout(&state, &token).await?;
            }
            ctx::set_cookie(&crate::auth::ops::clear_cookie(state.settings.secure_cookies));
            leptos_axum::redirect("/connexion");
            Ok(())
        }
        .await,
    )
}

/// The logged-in member, or `None`.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    ctx::finish(
        async {
            // While a page renders, the server already found its member.
            if let Some(found) = ctx::found_for_page() {
                return found;
            }
            let state = ctx::state()?;
            match ctx::session_token() {
                Some(token) => ctx::member_of(&state, &token).await,
                None => Ok(None),
            }
        }
        .await,
    )
}

/// What the login page shows (the demo accounts in demo mode).
#[server(prefix = "/api", endpoint = "auth/login_page")]
pub async fn login_info() -> Result<LoginPageData, AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            Ok(crate::auth::ops::login_page(&state).await?)
        }
        .await,
    )
}

/// Ends the member's sessions on their other devices (this one stays). Returns how many ended.
#[server(prefix = "/api", endpoint = "auth/logout_others")]
pub async fn logout_others() -> Result<u64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "auth/logout_others").await?;
            let token = ctx::session_token().ok_or(AppError::Unauthenticated)?;
            let ended = crate::auth::ops::logout_others(&state, &m, &token).await?;
            crate::api::flash::keep::<LogoutOthers>(&ended);
            if ctx::from_html_form() {
                leptos_axum::redirect("/reglages");
            }
            Ok(ended)
        }
        .await,
    )
}

/// The member's passkeys.
#[server(prefix = "/api", endpoint = "passkeys/list")]
pub async fn passkeys() -> Result<Vec<PasskeyView>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "passkeys/list").await?;
            let mut conn = state.store.reader().await?;
            let rows = crate::auth::passkeys::passkeys_of(&mut conn, m.id).await?;
            Ok(rows
                .into_iter()
                .map(|p| PasskeyView {
                    id: p.id,
                    label: p.label,
                    created_at: p.created_at,
                    last_used_at: p.last_used_at,
                })
                .collect())
        }
        .await,
    )
}

/// Starts registering a passkey on this device: the options for the browser.
#[server(prefix = "/api", endpoint = "passkeys/register_start")]
pub async fn passkey_register_start() -> Result<Ceremony, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "passkeys/register_start").await?;
            let (token, options) = crate::auth::passkeys::register_start(&state, &m, &ctx::origin()?).await?;
            Ok(Ceremony { token, options })
        }
        .await,
    )
}

/// Keeps the passkey the browser made (`credential`: its JSON), under `label`.
#[server(prefix = "/api", endpoint = "passkeys/register_finish")]
pub async fn passkey_register_finish(token: String, credential: String, label: String) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "passkeys/register_finish").await?;
            Ok(crate::auth::passkeys::register_finish(&state, &m, &ctx::origin()?, &token, &credential, &label).await?)
        }
        .await,
    )
}

/// Removes one of the member's passkeys.
#[server(prefix = "/api", endpoint = "passkeys/remove")]
pub async fn passkey_remove(id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "passkeys/remove").await?;
            crate::auth::passkeys::remove(&state, &m, id).await?;
            if ctx::from_html_form() {
                leptos_axum::redirect("/reglages");
            }
            Ok(())
        }
        .await,
    )
}

/// Starts a login with a passkey: the options for the browser.
#[server(prefix = "/api", endpoint = "passkeys/login_start")]
pub async fn passkey_login_start() -> Result<Ceremony, AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let (token, options) = crate::auth::passkeys::login_start(&state, &ctx::origin()?).await?;
            Ok(Ceremony { token, options })
        }
        .await,
    )
}

/// Logs in with the passkey the browser signed with (`credential`: its JSON); sets the cookie.
#[server(prefix = "/api", endpoint = "passkeys/login_finish")]
pub async fn passkey_login_finish(token: String, credential: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let (_, session) = crate::auth::passkeys::login_finish(
                &state,
                &ctx::origin()?,
                &token,
                &credential,
                &ctx::client_ip(),
                ctx::session_token(),
            )
            .await?;
            ctx::set_cookie(&crate::auth::ops::session_cookie(
                &session,
                state.settings.secure_cookies,
                state.settings.session_hours,
            ));
            Ok(())
        }
        .await,
    )
}
