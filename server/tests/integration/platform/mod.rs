//! What every capability stands on: access, pages, documentation, the live stream.

mod http;
mod input;
mod live;
mod security;
