//! Logging in and out: passwords (Argon2id), sessions (HMAC'd tokens in a cookie), the rate
//! limit on failed attempts, the login page.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

pub use api::{whoami, Logout};
#[cfg(feature = "ssr")]
pub use ops::{member_for_token, token_from_cookie_header, token_from_headers, AuthError};
pub use ui::{HomePage, LoginPage};
