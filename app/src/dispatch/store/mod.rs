//! [ssr] The queries of dispatch: requests, offers, and the panel's view of the clinicians.

mod offers;
mod requests;

pub use offers::*;
pub use requests::*;
