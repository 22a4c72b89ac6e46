//! What every capability's server functions share: the caller's session and the state
//! ([`ctx`], server only), and the one error type sent to the browser with its HTTP status and
//! French message ([`error`]).

#[cfg(feature = "ssr")]
pub mod ctx;
pub mod error;
#[cfg(feature = "ssr")]
pub mod flash;

pub use error::AppError;
