//! The rules of Relais, in plain Rust.
//!
//! Nothing here does I/O, reads the clock or knows about Leptos or SQL: every function that
//! depends on time takes `now` as an argument, so each rule can be unit- and property-tested,
//! and the store and the server functions only persist what these functions decide.

#[macro_use]
pub mod codes;
pub mod geo;
pub mod hours;
pub mod panel;
pub mod phone;
pub mod planning;
pub mod request;

pub use codes::*;
