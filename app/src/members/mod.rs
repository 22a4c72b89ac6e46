//! The CPTS's members: who they are, their communes, whether they are on duty or available now;
//! the admin's members space (invitations one by one or from a file, suspension, removal), the
//! invitation link that opens an account, and each member's profile and notice preferences.
//! The rules (RPPS, invitations' validity, notices' channels) are in `rules`.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod ops;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

pub use api::SetAvailability;
pub use dto::Me;
#[cfg(feature = "ssr")]
pub use ops::{deliveries, me, MembersError};
#[cfg(feature = "ssr")]
pub use store::{
    clinician_ids, communes, cpts_name, first_cpts, member, members, password_login, preferences, Commune, MemberRow,
    NewMember,
};
#[cfg(feature = "ssr")]
pub(crate) use store::{member_row, MEMBER_COLUMNS};
pub use ui::{InvitationPage, MembersPage, ProfileCard};
