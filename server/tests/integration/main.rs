//! The server's integration tests, in one binary: the store contract (SQLite and PostgreSQL),
//! the HTTP API with real sessions, the live stream, Web Push and replays of offline actions.

mod http_api;
mod live;
mod notify_contract;
mod planning_contract;
mod push;
mod store_contract;
mod support;
