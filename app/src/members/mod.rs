//! The CPTS's members: who they are, their communes, whether they are on duty or available now.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod store;

pub use api::SetAvailability;
pub use dto::Me;
#[cfg(feature = "ssr")]
pub use ops::{me, MembersError};
#[cfg(feature = "ssr")]
pub use store::{clinician_ids, communes, cpts_name, first_cpts, member, members, Commune, MemberRow, NewMember};
#[cfg(feature = "ssr")]
pub(crate) use store::{member_row, MEMBER_COLUMNS};
