//! Logging in and out.

mod http;
