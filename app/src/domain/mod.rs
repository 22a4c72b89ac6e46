//! The vocabulary every capability shares, in plain Rust: the coded values (professions,
//! motives, roles…), form fields and their problems, opening hours and French public holidays,
//! distances, phone numbers. Each capability's own rules live in its `rules` module.
//!
//! Nothing here does I/O, reads the clock or knows about Leptos or SQL: every function that
//! depends on time takes `now` as an argument, so each rule can be unit- and property-tested,
//! and the store and the server functions only persist what these functions decide.

#[macro_use]
pub mod codes;
pub mod fields;
pub mod geo;
pub mod hours;
pub mod patient;
pub mod phone;

pub use codes::*;
pub use fields::{Field, FieldErrors, FieldProblem};
