//! Shared SNP slots: clinicians put aside appointment slots for unscheduled care (once, or every
//! week); the coordination books a request's patient into one that fits (`ops::book`: the
//! booking and the request booked through the dispatch engine in one transaction), never twice —
//! one live booking per slot is the database's rule (`store::insert_booking`). The clinician
//! then says whether the patient came. The SAS's platform sees and books the slots opened to it
//! through `fhir` (the ANS guide's FHIR interface), with API clients the CPTS's admin issues.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod fhir;
#[cfg(feature = "ssr")]
pub mod ops;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

#[cfg(feature = "ssr")]
pub use ops::{erase_old_patient_data, SlotsError};
#[cfg(feature = "ssr")]
pub use store::close_future_slots_of;
pub use ui::{Fitting, FittingSlots, MySlotsPage, SasAdminPage};
