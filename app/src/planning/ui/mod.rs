//! The pages of duty vacations: "Mes gardes" on the clinician's phone (`mine`), the plannings
//! on the admin's desktop (`admin`).

mod admin;
mod mine;

pub use admin::{PlanningPage, PlanningsPage};
pub use mine::MyVacationsPage;
