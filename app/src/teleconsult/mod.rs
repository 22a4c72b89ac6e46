//! Pharmacy teleconsultations: a patient without an available doctor comes to the pharmacy; the
//! pharmacist sees how many doctors of the CPTS could answer now, sends the patient in one
//! screen, and both the pharmacist and the doctor who accepts open the same video room.
//!
//! It adds a source, a mode, a room and pages to the dispatch engine, not a second dispatcher:
//! the request is an SNP request (source pharmacy, mode teleconsultation) pushed by
//! `dispatch::push_in` with the short waves of `rules::counter_waves`; the panel's own rule
//! (`teleconsultation: true`) decides who is available; first acceptance wins there too
//! (`dispatch::ops::answers::accept`, which books a teleconsultation at once). Here: the form
//! and the room's rules (`rules`), sending and the room's door (`ops::send`, `ops::open_room`,
//! `room::open` for `GET /teleconsultation/{id}`), the pages (`ui`).

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod room;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

#[cfg(feature = "ssr")]
pub use ops::TeleconsultError;
pub use rules::TeleconsultSettings;
pub use ui::{CounterPage, FollowPage};
