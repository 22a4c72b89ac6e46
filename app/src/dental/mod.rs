//! Dental emergencies: the weekly emergency morning and referrals through an inclusion grid,
//! answered within 24 hours.
//!
//! The rota is a planning whose vacations are of kind `dental_emergency`: taking, leaving and
//! swapping a morning are the planning's own operations and rules (one morning per dentist per
//! week is the rota group's weekly cap). A referrer ticks the CPTS's grid; the verdict
//! (`rules::verdict`) sends an exclusion sign to the 15 and a non-urgent case to the patient's
//! own dentist, saving nothing; a true emergency goes to the dentist of the day
//! (`rules::route`), in `ops::refer`. The dentist proposes a solution (`ops::answer`), then
//! records what happened; the 24-hour job (`ops::tick`) reminds, then alerts the coordination,
//! who can hand the referral to another dentist (`ops::reassign`).

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

#[cfg(feature = "ssr")]
pub use ops::{erase_old_patient_data, tick, DentalError};
pub use ui::{DentalPage, GridPage, OverdueDentalBanner, ReferPage, ReferralPage};
