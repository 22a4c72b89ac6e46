//! Every word the interface shows, in one place. French is the language of the product; an
//! English module with the same items can follow and be chosen here.

pub mod fr;
pub mod fr_dental;
pub mod fr_indicators;
pub mod fr_members;
pub mod fr_planning;
pub mod fr_slots;
pub mod fr_teleconsult;

pub use fr as t;
