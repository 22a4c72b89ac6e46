//! SNP dispatch: the store contract on both back-ends, and the server functions over HTTP.

mod contract;
mod http;
