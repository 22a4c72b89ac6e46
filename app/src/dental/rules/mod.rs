//! Dental emergencies, decided from plain data: the inclusion grid's verdict, the dentist a
//! referral goes to, and the 24-hour promise (when to remind, when to alert).
//!
//! The grid is the CPTS's (its admin edits it); each criterion is one of four kinds. The verdict:
//! any *exclusion* sign ticked → call the 15, nothing is saved; else any *condition* not ticked
//! (e.g. "no dentist of their own available within 24 h") → the patient sees their own dentist;
//! else at least one *inclusion* criterion ticked → referred; else (only *not urgent* criteria,
//! or nothing) → not urgent, nothing is saved.

pub mod forms;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

coded!(
    /// What ticking a criterion of the grid means.
    CriterionKind {
        Inclusion => "inclusion",
        Condition => "condition",
        Exclusion => "exclusion",
        NotUrgent => "not_urgent",
    }
);

coded!(
    /// Where a referral stands: sent to a rota dentist and waiting for a solution, answered
    /// (the dentist proposed one), closed (the dentist recorded what happened).
    ReferralStatus {
        Waiting => "waiting",
        Answered => "answered",
        Closed => "closed",
    }
);

coded!(
    /// The solution the dentist proposes.
    SolutionKind {
        Appointment => "appointment",
        PhoneAdvice => "phone_advice",
        Reoriented => "reoriented",
    }
);

coded!(
    /// Where a reoriented patient is sent.
    DentalReorientation {
        OwnDentist => "own_dentist",
        Hospital => "hospital",
        Samu => "samu",
    }
);

coded!(
    /// What happened, recorded by the dentist.
    DentalOutcome {
        Seen => "seen",
        NoShow => "no_show",
        Reoriented => "reoriented",
    }
);

/// The default grid of a CPTS that has none yet (after the Audomaroise dental SNP protocol).
pub const DEFAULT_GRID: &[(&str, CriterionKind, bool)] = &[
    ("Douleur dentaire non calmée par les antalgiques habituels", CriterionKind::Inclusion, false),
    ("Gonflement de la joue ou de la gencive", CriterionKind::Inclusion, false),
    ("Traumatisme dentaire : dent définitive cassée ou expulsée (tout de suite)", CriterionKind::Inclusion, true),
    ("Saignement après une extraction qui ne s'arrête pas", CriterionKind::Inclusion, false),
    ("Pas de chirurgien-dentiste traitant disponible sous 24 h", CriterionKind::Condition, false),
    ("Gonflement qui s'étend au cou ou à l'œil", CriterionKind::Exclusion, false),
    ("Difficulté à respirer ou à avaler", CriterionKind::Exclusion, false),
    ("Forte fièvre avec limitation de l'ouverture de la bouche (trismus)", CriterionKind::Exclusion, false),
    ("Hémorragie non contrôlée", CriterionKind::Exclusion, false),
    ("Traumatisme du visage au-delà des dents", CriterionKind::Exclusion, false),
    ("Prothèse ou couronne descellée sans douleur, détartrage, contrôle", CriterionKind::NotUrgent, false),
];

/// A criterion of the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: i64,
    pub label: String,
    pub kind: CriterionKind,
    /// An inclusion that calls for care at once (a permanent tooth knocked out).
    pub immediate: bool,
}

/// The grid's verdict on the criteria a referrer ticked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// A true dental emergency: refer it. `immediate` when a ticked inclusion says "right now".
    Referred { immediate: bool },
    /// A sign of a medical emergency: call the 15. Nothing is saved.
    CallThe15 { signs: Vec<i64> },
    /// Not a case for the rota (a condition unmet, or no inclusion criterion): the patient sees
    /// their own dentist. Nothing is saved.
    NotUrgent,
}

/// A ticked id that is not a criterion of the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownCriterion(pub i64);

/// The verdict of `grid` on the `ticked` criteria.
///
/// # Errors
/// [`UnknownCriterion`] when an id is not in the grid (a stale form: ask again).
pub fn verdict(grid: &[Criterion], ticked: &BTreeSet<i64>) -> Result<Verdict, UnknownCriterion> {
    let by_id: HashMap<i64, &Criterion> = grid.iter().map(|c| (c.id, c)).collect();
    if let Some(id) = ticked.iter().find(|id| !by_id.contains_key(id)) {
        return Err(UnknownCriterion(*id));
    }
    let ticked_of = |kind: CriterionKind| ticked.iter().filter_map(|id| by_id.get(id)).filter(move |c| c.kind == kind);
    let signs: Vec<i64> = ticked_of(CriterionKind::Exclusion).map(|c| c.id).collect();
    if !signs.is_empty() {
        return Ok(Verdict::CallThe15 { signs });
    }
    let unmet = grid.iter().any(|c| c.kind == CriterionKind::Condition && !ticked.contains(&c.id));
    if unmet {
        return Ok(Verdict::NotUrgent);
    }
    let mut inclusions = ticked_of(CriterionKind::Inclusion).peekable();
    if inclusions.peek().is_none() {
        return Ok(Verdict::NotUrgent);
    }
    Ok(Verdict::Referred { immediate: inclusions.any(|c| c.immediate) })
}

/// A morning of the rota: a vacation of kind `dental_emergency` and who holds it, in the order
/// they took it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Morning {
    pub vacation_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub holders: Vec<i64>,
}

/// Where a referral goes and by when it must be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub dentist_id: i64,
    pub vacation_id: i64,
    /// The morning's start: when the dentist will look at it (now, if the morning is under way).
    pub seen_from: DateTime<Utc>,
    /// 24 hours after `seen_from`.
    pub due_at: DateTime<Utc>,
}

/// How long the dentist has to propose a solution.
pub const ANSWER_WITHIN: Duration = Duration::hours(24);

/// The dentist of the day: the morning under way at `now`, else the next one (past noon, a
/// public holiday or a morning nobody holds: the rota generates no morning on holidays, and
/// empty mornings are skipped). Two dentists on one morning: the one with fewer referrals
/// waiting (`waiting`), then the one who took the morning first. `None` when no morning ahead
/// is held.
pub fn route(mornings: &[Morning], waiting: &HashMap<i64, usize>, now: DateTime<Utc>) -> Option<Route> {
    let morning = mornings
        .iter()
        .filter(|m| m.ends_at > now && !m.holders.is_empty())
        .min_by_key(|m| (m.starts_at, m.vacation_id))?;
    let dentist_id = morning
        .holders
        .iter()
        .enumerate()
        .min_by_key(|(order, id)| (waiting.get(id).copied().unwrap_or(0), *order))
        .map(|(_, id)| *id)?;
    let seen_from = morning.starts_at.max(now);
    Some(Route { dentist_id, vacation_id: morning.vacation_id, seen_from, due_at: seen_from + ANSWER_WITHIN })
}

/// How long before the deadline the dentist is reminded.
pub const REMIND_BEFORE: Duration = Duration::hours(4);

/// What the deadline job does for a referral still waiting at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    Nothing,
    RemindDentist,
    AlertCoordination,
}

/// The job's decision for a waiting referral: remind the dentist once, `REMIND_BEFORE` the
/// deadline; alert the coordination once, at the deadline.
pub fn nudge(
    due_at: DateTime<Utc>,
    reminded: bool,
    alerted: bool,
    status: ReferralStatus,
    now: DateTime<Utc>,
) -> Nudge {
    if status != ReferralStatus::Waiting {
        return Nudge::Nothing;
    }
    if now >= due_at {
        return if alerted { Nudge::Nothing } else { Nudge::AlertCoordination };
    }
    if now >= due_at - REMIND_BEFORE && !reminded {
        return Nudge::RemindDentist;
    }
    Nudge::Nothing
}

#[cfg(test)]
mod tests;
