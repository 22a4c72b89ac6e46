//! What every capability stands on: access, pages, documentation, the live stream, and what the
//! people running it rely on (health, metrics, drain, backups).

mod assets;
mod audit;
mod backup;
mod http;
mod input;
mod journal;
mod language;
pub(crate) mod live;
mod operations;
mod pages;
mod proxy;
mod security;
mod store;
pub(crate) mod tenancy;
mod upgrade;
