//! The server's integration tests, in one binary, grouped by capability: store contracts
//! (SQLite and PostgreSQL), server functions over HTTP with real sessions, the live stream, Web
//! Push and replays of offline actions. Shared helpers are in `support`.

#![recursion_limit = "256"]

mod auth;
mod dental;
mod dispatch;
mod indicators;
mod members;
mod planning;
mod platform;
mod push;
mod slots;
mod support;
mod teleconsult;
