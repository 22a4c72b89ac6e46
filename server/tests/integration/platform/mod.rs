//! What every capability stands on: access, pages, documentation, the live stream.

mod assets;
mod audit;
mod http;
mod input;
mod journal;
mod language;
pub(crate) mod live;
mod pages;
mod security;
mod store;
pub(crate) mod tenancy;
