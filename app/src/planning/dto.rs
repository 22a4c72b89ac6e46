//! What the planning screens show: vacations, proposals, plannings and their groups.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use super::rules::{ChangeKind, ChangeState, GroupRule, VacationKind};
use crate::domain::Profession;

/// A vacation as screens show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VacationView {
    pub id: i64,
    pub planning_id: i64,
    pub planning_name: String,
    pub kind: VacationKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: u32,
    /// (member id, name)
    pub holders: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: i64,
    pub kind: ChangeKind,
    pub vacation: VacationView,
    pub from_member_id: i64,
    pub from_name: String,
    /// `None`: offered to every eligible colleague.
    pub to_member_id: Option<i64>,
    pub counter: Option<VacationView>,
    pub created_at: DateTime<Utc>,
}

/// A clinician's "Mes gardes" screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyVacations {
    pub me: i64,
    pub mine: Vec<VacationView>,
    /// Vacations with free places in the plannings of the member's groups.
    pub open: Vec<VacationView>,
    /// Proposals made by the member, addressed to them, or open to all.
    pub changes: Vec<ChangeView>,
    /// Colleagues of the member's plannings: (id, name), for a cession.
    pub colleagues: Vec<(i64, String)>,
    /// Their coming vacations, for an échange.
    pub colleague_vacations: Vec<VacationView>,
    /// The member's secret calendar feed (path; the page prefixes its own origin).
    pub calendar_path: String,
    /// The latest reminders and notices: (when, text).
    pub notifications: Vec<(DateTime<Utc>, String)>,
    /// Cessions and échanges accepted recently enough to be undone.
    pub recent: Vec<ChangeView>,
    /// The Monday (Paris) of the server's current week: the open places' first week.
    #[serde(default)]
    pub this_monday: chrono::NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningSummary {
    pub id: i64,
    pub name: String,
    pub notice_hours: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub dimension: String,
    pub rule: GroupRule,
    pub members: Vec<(i64, String)>,
}

/// An admin's view of a planning over a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningView {
    pub planning: PlanningSummary,
    pub groups: Vec<GroupView>,
    pub vacations: Vec<VacationView>,
    /// Places still to fill over the period.
    pub gaps: u32,
    /// Every clinician of the CPTS: (id, name, profession).
    pub clinicians: Vec<(i64, String, Option<Profession>)>,
    /// Vacations held per member over the period: (name, count).
    pub counts: Vec<(String, i64)>,
}
