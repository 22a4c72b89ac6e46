//! What every capability stands on: access, pages, documentation, the live stream.

mod http;
mod live;
mod security;
