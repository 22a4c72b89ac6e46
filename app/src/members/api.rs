//! Server functions of the members: the admin's members space (invite, import, re-send,
//! withdraw, suspend, reinstate, remove), the invitation link's page, and each member's profile
//! and notice preferences.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

use super::dto::{ImportPreview, InvitePage, Invited, MembersOverview, ProfileView};

/// Who may call each server function of the members. The operations then restrict admins to
/// their CPTS's members and invitations.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("members/availability", Access::Clinician),
    ("members/page", Access::Admin),
    ("members/invite", Access::Admin),
    ("members/import_preview", Access::Admin),
    ("members/import", Access::Admin),
    ("members/resend", Access::Admin),
    ("members/withdraw", Access::Admin),
    ("members/suspend", Access::Admin),
    ("members/reinstate", Access::Admin),
    ("members/remove", Access::Admin),
    ("members/password_login", Access::Admin),
    // The link is the credential: anyone holding it.
    ("members/invitation", Access::Anyone),
    ("members/accept", Access::Anyone),
    ("members/accept_passkey_start", Access::Anyone),
    ("members/accept_passkey", Access::Anyone),
    ("members/profile", Access::Member),
    ("members/save_profile", Access::Member),
    ("members/save_notices", Access::Member),
    ("members/save_language", Access::Member),
];

/// "Available now" for `hours` hours (0 ends it), outside duty slots.
#[server(prefix = "/api", endpoint = "members/availability")]
pub async fn set_availability(hours: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/availability").await?;
            Ok(crate::members::ops::set_available(&state, &m, hours).await?)
        }
        .await,
    )
}

/// The members' page (admin): members, open invitations, communes.
#[server(prefix = "/api", endpoint = "members/page")]
pub async fn members_page() -> Result<MembersOverview, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/page").await?;
            Ok(crate::members::ops::members_page(&state, &m).await?)
        }
        .await,
    )
}

/// Invites one person by e-mail (admin). `role` and `profession` are codes or French labels.
#[server(prefix = "/api", endpoint = "members/invite")]
pub async fn invite_member(
    email: String,
    name: String,
    #[server(default)] profession: String,
    #[server(default)] rpps: String,
    #[server(default)] commune: String,
    #[server(default)] role: String,
) -> Result<Invited, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/invite").await?;
            let input = super::rules::InviteeInput { email, name, profession, rpps, commune, role };
            let (invitation, demo_link) = crate::members::ops::invite(&state, &m, &input, &ctx::origin()?).await?;
            let invited = Invited { invitation, demo_link };
            crate::api::flash::keep::<InviteMember>(&invited);
            Ok(invited)
        }
        .await,
    )
}

/// Checks a file of members without creating anything (admin): each line with its problems.
#[server(prefix = "/api", endpoint = "members/import_preview")]
pub async fn preview_import(file: String) -> Result<ImportPreview, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/import_preview").await?;
            Ok(crate::members::ops::preview_import(&state, &m, &file).await?)
        }
        .await,
    )
}

/// Invites every valid line of a file (admin); the others are left out, as the preview said.
#[server(prefix = "/api", endpoint = "members/import")]
pub async fn import_members(file: String) -> Result<ImportPreview, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/import").await?;
            Ok(crate::members::ops::import(&state, &m, &file, &ctx::origin()?).await?)
        }
        .await,
    )
}

/// Sends an invitation again with a new link (admin). In demo mode, answers the link.
#[server(prefix = "/api", endpoint = "members/resend")]
pub async fn resend_invitation(id: i64) -> Result<Option<String>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/resend").await?;
            let link = crate::members::ops::resend(&state, &m, id, &ctx::origin()?).await?;
            crate::api::flash::keep::<ResendInvitation>(&link);
            Ok(link)
        }
        .await,
    )
}

/// Withdraws an invitation (admin): its link stops working.
#[server(prefix = "/api", endpoint = "members/withdraw")]
pub async fn withdraw_invitation(id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/withdraw").await?;
            Ok(crate::members::ops::withdraw(&state, &m, id).await?)
        }
        .await,
    )
}

/// Suspends a member (admin): sessions, devices, places, offers end at once.
#[server(prefix = "/api", endpoint = "members/suspend")]
pub async fn suspend_member(member_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/suspend").await?;
            Ok(crate::members::ops::suspend(&state, &m, member_id).await?)
        }
        .await,
    )
}

/// Lets a suspended member in again (admin).
#[server(prefix = "/api", endpoint = "members/reinstate")]
pub async fn reinstate_member(member_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/reinstate").await?;
            Ok(crate::members::ops::reinstate(&state, &m, member_id).await?)
        }
        .await,
    )
}

/// Removes a member from the CPTS (admin), for good.
#[server(prefix = "/api", endpoint = "members/remove")]
pub async fn remove_member(member_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/remove").await?;
            Ok(crate::members::ops::remove(&state, &m, member_id).await?)
        }
        .await,
    )
}

/// Lets the CPTS's members log in with a password (`allowed`), or with a passkey only (admin).
#[server(prefix = "/api", endpoint = "members/password_login")]
pub async fn set_password_login(allowed: bool) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/password_login").await?;
            Ok(crate::members::ops::set_password_login(&state, &m, allowed).await?)
        }
        .await,
    )
}

/// What an invitation link opens (anyone holding it).
#[server(prefix = "/api", endpoint = "members/invitation")]
pub async fn invitation(token: String) -> Result<InvitePage, AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            Ok(crate::members::ops::invitation_page(&state, &token).await?)
        }
        .await,
    )
}

/// Opens the invited account with the password chosen, logs in, and goes home.
#[server(prefix = "/api", endpoint = "members/accept")]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let (_, session) =
                crate::members::ops::accept(&state, &token, password, &ctx::client_ip(), ctx::session_token()).await?;
            ctx::set_cookie(&crate::auth::session_cookie(
                &session,
                state.settings.secure_cookies,
                state.settings.session_hours,
            ));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Starts the passkey an invitee chooses instead of a password (anyone holding the link).
#[server(prefix = "/api", endpoint = "members/accept_passkey_start")]
pub async fn accept_passkey_start(token: String) -> Result<crate::auth::dto::Ceremony, AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let (ceremony, options) =
                crate::members::ops::accept_passkey_start(&state, &token, &ctx::origin()?).await?;
            Ok(crate::auth::dto::Ceremony { token: ceremony, options })
        }
        .await,
    )
}

/// Opens the invited account with the passkey the browser made (`credential`: its JSON, for the
/// ceremony `ceremony`), keeps it under `label`, logs in.
#[server(prefix = "/api", endpoint = "members/accept_passkey")]
pub async fn accept_with_passkey(
    token: String,
    ceremony: String,
    credential: String,
    label: String,
) -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let answer =
                crate::members::ops::NewcomerPasskey { ceremony: &ceremony, credential: &credential, label: &label };
            let (_, session) = crate::members::ops::accept_with_passkey(
                &state,
                &token,
                &answer,
                &ctx::origin()?,
                &ctx::client_ip(),
                ctx::session_token(),
            )
            .await?;
            ctx::set_cookie(&crate::auth::session_cookie(
                &session,
                state.settings.secure_cookies,
                state.settings.session_hours,
            ));
            Ok(())
        }
        .await,
    )
}

/// The member's profile and notice preferences.
#[server(prefix = "/api", endpoint = "members/profile")]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/profile").await?;
            Ok(crate::members::ops::my_profile(&state, &m).await?)
        }
        .await,
    )
}

/// Saves the member's profile.
#[server(prefix = "/api", endpoint = "members/save_profile")]
pub async fn save_profile(
    #[server(default)] teleconsult: String,
    #[server(default)] address: String,
    #[server(default)] commune: String,
    #[server(default)] phone: String,
    #[server(default)] quiet_start: String,
    #[server(default)] quiet_end: String,
) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/save_profile").await?;
            let input = super::dto::ProfileInput {
                teleconsult: matches!(teleconsult.as_str(), "on" | "true" | "1"),
                address,
                commune,
                phone,
                quiet_start,
                quiet_end,
            };
            crate::members::ops::save_profile(&state, &m, &input).await?;
            crate::api::flash::keep::<SaveProfile>(&());
            if ctx::from_html_form() {
                leptos_axum::redirect("/reglages");
            }
            Ok(())
        }
        .await,
    )
}

/// Saves the channels of every kind of notice: `channels` lists the ticked ones as
/// `notice:channel` (`offer:push`, `reminder:sms`…); every other one is off.
#[server(prefix = "/api", endpoint = "members/save_notices")]
pub async fn save_notices(#[server(default)] channels: Vec<String>) -> Result<(), AppError> {
    ctx::finish(
        async {
            use super::rules::{Channels, Notice};
            let (state, m) = ctx::caller(ACCESS, "members/save_notices").await?;
            let mut choices: Vec<super::dto::NoticeChoice> = Notice::ALL
                .iter()
                .map(|n| super::dto::NoticeChoice {
                    notice: *n,
                    channels: Channels { push: false, email: false, sms: false },
                })
                .collect();
            for c in &channels {
                let (notice, channel) = c.split_once(':').ok_or_else(|| AppError::Request("channels".into()))?;
                let notice = Notice::parse(notice).ok_or_else(|| AppError::Request("channels".into()))?;
                let choice = choices.iter_mut().find(|x| x.notice == notice).ok_or(AppError::Internal)?;
                match channel {
                    "push" => choice.channels.push = true,
                    "email" => choice.channels.email = true,
                    "sms" => choice.channels.sms = true,
                    _ => return Err(AppError::Request("channels".into())),
                }
            }
            crate::members::ops::save_preferences(&state, &m, &choices).await?;
            if ctx::from_html_form() {
                leptos_axum::redirect("/reglages");
            }
            Ok(())
        }
        .await,
    )
}

/// Saves the language of the interface for the member: `fr`, `en`, or empty for the browser's.
/// The next page is drawn in it.
#[server(prefix = "/api", endpoint = "members/save_language")]
pub async fn save_language(#[server(default)] lang: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "members/save_language").await?;
            crate::members::ops::save_language(&state, &m, &lang).await?;
            if ctx::from_html_form() {
                leptos_axum::redirect("/reglages");
            }
            Ok(())
        }
        .await,
    )
}
