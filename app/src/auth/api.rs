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
];
use super::dto::LoginPageData;
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
            match ctx::member().await {
                Ok((state, m)) => Ok(Some(crate::members::me(&state, &m).await?)),
                Err(AppError::Unauthenticated) => Ok(None),
                Err(e) => Err(e),
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
