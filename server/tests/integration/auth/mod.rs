//! Logging in and out.

mod http;
mod psc;
