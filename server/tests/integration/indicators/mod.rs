//! Indicators: the definitions on a hand-made history on both back-ends; the page, the CSV
//! exports and who may see them, over HTTP.

mod contract;
mod http;
