//! Who may call what. Each capability's `api.rs` holds one table, `ACCESS`, naming every server
//! function it serves and the role it admits; the check every server function makes first reads
//! it. What a role may do with a given record (its own offers, its CPTS's requests) is the
//! operation's business, since it needs the record.

use crate::domain::Role;

/// The callers a server function admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (logging in, the login page).
    Anyone,
    /// Any logged-in member; the operation restricts them to their own records or their CPTS's.
    Member,
    /// Clinicians: their offers, cases, vacations, availability.
    Clinician,
    /// The coordination: coordinators and admins of the CPTS.
    Staff,
    /// The CPTS's admins.
    Admin,
}

impl Access {
    /// Whether a member of `role` may call.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Access::Anyone | Access::Member => true,
            Access::Clinician => role == Role::Clinician,
            Access::Staff => matches!(role, Role::Coordinator | Role::Admin),
            Access::Admin => role == Role::Admin,
        }
    }
}

/// A capability's table: (endpoint under `/api/`, who may call it).
pub type AccessTable = &'static [(&'static str, Access)];

/// The rule of `endpoint` in `table`.
pub fn rule(table: AccessTable, endpoint: &str) -> Option<Access> {
    table.iter().find(|(e, _)| *e == endpoint).map(|(_, a)| *a)
}

/// Coordinators and admins: the CPTS's coordination.
pub fn is_staff(role: Role) -> bool {
    Access::Staff.admits(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coordination_is_coordinators_and_admins() {
        assert!(is_staff(Role::Coordinator));
        assert!(is_staff(Role::Admin));
        assert!(!is_staff(Role::Clinician));
    }

    #[test]
    fn each_access_admits_exactly_its_roles() {
        use Role::*;
        let admitted =
            |a: Access| [Clinician, Coordinator, Admin].into_iter().filter(|r| a.admits(*r)).collect::<Vec<_>>();
        assert_eq!(admitted(Access::Member), vec![Clinician, Coordinator, Admin]);
        assert_eq!(admitted(Access::Clinician), vec![Clinician]);
        assert_eq!(admitted(Access::Staff), vec![Coordinator, Admin]);
        assert_eq!(admitted(Access::Admin), vec![Admin]);
    }
}
