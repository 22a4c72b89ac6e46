//! Logging in and out: passwords (Argon2id), sessions (HMAC'd tokens in a cookie), the rate
//! limit on failed attempts, the login page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod passkeys;
#[cfg(feature = "ssr")]
pub mod psc;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod uses;
#[cfg(feature = "hydrate")]
pub mod webauthn;

pub use api::{whoami, Logout, LogoutOthers};
#[cfg(feature = "ssr")]
pub use cache::SessionCache;
#[cfg(feature = "ssr")]
pub use ops::{
    end_sessions_of, hash_password, logout_others, member_for_token, open_session, session_cookie,
    token_from_cookie_header, token_from_headers, token_hash, AuthError, MEMBER_CHANGED, SESSIONS_CHANGED,
};
#[cfg(feature = "ssr")]
pub use passkeys::{
    check_label as check_passkey_label, keep_newcomer_passkey, newcomer_register_finish, newcomer_register_start,
};
#[cfg(feature = "ssr")]
pub use store::open_sessions;
pub use ui::PasskeysCard;
pub use ui::{HomePage, LoginPage};
#[cfg(feature = "ssr")]
pub use uses::{flush as flush_session_uses, SessionUses};
