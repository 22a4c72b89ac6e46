//! The server's integration tests, in one binary: the store contract (SQLite and PostgreSQL),
//! the HTTP API with real sessions, and the live stream.

mod http_api;
mod live;
mod notify_contract;
mod planning_contract;
mod store_contract;
mod support;
