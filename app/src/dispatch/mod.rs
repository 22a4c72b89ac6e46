//! SNP dispatch: the coordination qualifies a patient's call into a request and pushes it to a
//! panel of clinicians, wave after wider wave; the first acceptance wins; outcomes close it.
//!
//! Where things are: `rules/` decides (form checks, states, first accept, panels, waves),
//! `ops/` applies it in one transaction per operation (accept: `ops/answers.rs`), `store/`
//! holds the queries (the first-accept-wins write: `store/offers.rs`), `api.rs` the server
//! functions and who may call them, `ui/` the coordinator's board and the clinician's offers.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

#[cfg(feature = "ssr")]
pub use ops::{apply_outcome, book_into, candidates_at, push_in, summary, tick, withdraw_member_offers, DispatchError};
pub use rules::WavePolicy;
#[cfg(feature = "ssr")]
pub use store::{insert_request, request as request_row, RequestRow};
pub use ui::{BoardPage, InboxPage, NewRequestPage, RequestPage};
