//! The pages of dispatch: the coordinator's board, new request and request pages (`board`), the
//! clinician's offers and cases (`offers`).

mod board;
mod offers;

pub use board::{BoardPage, NewRequestPage, RequestPage};
pub use offers::InboxPage;
