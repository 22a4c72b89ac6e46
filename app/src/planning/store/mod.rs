//! [ssr] The queries of duty vacations (same conventions as every store: one function per
//! query, each taking the caller's connection or transaction).

mod changes;
mod notices;
mod plannings;
mod vacations;

pub use changes::*;
pub use notices::*;
pub use plannings::*;
pub use vacations::*;
