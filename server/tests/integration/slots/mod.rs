//! Shared SNP slots: the store and operations on both back-ends, and HTTP.

mod contract;
mod http;
