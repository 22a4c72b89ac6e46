//! The rules of SNP dispatch, pure (no I/O, time passed in): the request form and its checks,
//! the request's states, the first-accept-wins rule, the panel of each wave and when to widen.
//! Compiled for the browser too.

pub mod intake;
pub mod lifecycle;
pub mod panel;

pub use intake::*;
pub use lifecycle::*;

#[cfg(test)]
mod tests;
