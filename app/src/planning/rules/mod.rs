//! Duty vacations: plannings, the slots generated from a weekly template, the rules that cap
//! each member's share, the changes between colleagues (cession, échange, remise au pot
//! commun), and who is on duty at a given instant.
//!
//! Everything is decided here from plain data; the store applies these checks inside the
//! transaction that makes the change, so that concurrent takes never break a rule.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

use crate::domain::hours::{is_public_holiday, week_start};

pub mod weeks;

coded!(
    /// What a vacation is for.
    VacationKind {
        SnpOffice => "snp_office",
        SnpTeleconsultation => "snp_teleconsultation",
        DentalEmergency => "dental_emergency",
        SasRegulation => "sas_regulation",
    }
);

impl VacationKind {
    /// Whether holding such a vacation makes a doctor available for teleconsultation.
    pub fn allows_teleconsultation(self) -> bool {
        self == VacationKind::SnpTeleconsultation
    }
}

coded!(
    /// How a member asks to change one of their vacations: a cession gives it to a named
    /// colleague or to the first eligible one who accepts; an échange swaps it against a
    /// colleague's vacation; a return gives it back to the pool, open for anyone to take.
    ChangeKind {
        Cession => "cession",
        Exchange => "exchange",
        ReturnToPool => "return_to_pool",
        Undo => "undo",
    }
);

coded!(
    ChangeState {
        Proposed => "proposed",
        Accepted => "accepted",
        Declined => "declined",
        Cancelled => "cancelled",
        Undone => "undone",
    }
);

/// One duty slot of a weekly template, in Paris wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSlot {
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// A slot to create: its start and end instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Slot {
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.starts_at <= t && t < self.ends_at
    }
}

fn paris_instant(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    // `earliest` picks the first of two instants in the autumn hour that happens twice, and
    // skips nothing in spring: a slot starting at 02:30 on that Sunday does not exist.
    Paris.from_local_datetime(&date.and_time(time)).earliest().map(|d| d.with_timezone(&Utc))
}

/// The slots of `template` from `from` to `to` (both included), in Paris time, skipping
/// French public holidays when asked.
pub fn generate_slots(template: &[TemplateSlot], from: NaiveDate, to: NaiveDate, skip_holidays: bool) -> Vec<Slot> {
    let mut out = vec![];
    let mut day = from;
    while day <= to {
        if !(skip_holidays && is_public_holiday(day)) {
            for t in template.iter().filter(|t| t.weekday == day.weekday()) {
                let end_day = if t.end <= t.start { day + Duration::days(1) } else { day };
                if let (Some(starts_at), Some(ends_at)) = (paris_instant(day, t.start), paris_instant(end_day, t.end)) {
                    out.push(Slot { starts_at, ends_at });
                }
            }
        }
        day += Duration::days(1);
    }
    out.sort();
    out
}

/// What the generation form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GenerateForm {
    pub kind: String,
    /// Days of the week, 1 = Monday … 7 = Sunday.
    pub weekdays: Vec<String>,
    /// `08:00-12:00`, one or two ranges separated by commas.
    pub hours: String,
    pub from: String,
    pub to: String,
    pub capacity: String,
    /// "on" to skip French public holidays.
    pub skip_holidays: String,
    /// "on": members take the places themselves; otherwise the admin assigns them.
    pub self_service: String,
}

/// The limits of a group of a planning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRule {
    pub max_per_week: Option<u32>,
    pub max_per_month: Option<u32>,
    /// At most this share (in %) of the planning's places.
    pub max_share_percent: Option<u32>,
}

/// A vacation with who holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vacation {
    pub id: i64,
    pub planning_id: i64,
    pub slot: Slot,
    pub capacity: u32,
    pub holders: BTreeSet<i64>,
}

/// Whether members may take a vacation themselves.
pub fn check_self_service(self_service: bool) -> Result<(), RuleViolation> {
    if self_service {
        Ok(())
    } else {
        Err(RuleViolation::AssignedByAdmin)
    }
}

/// Why a member may not take (or receive) a vacation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleViolation {
    #[error("the vacation is full")]
    Full,
    #[error("already holds it")]
    AlreadyHolder,
    #[error("overlaps one of the member's vacations")]
    Overlap,
    #[error("weekly cap reached")]
    WeeklyCap { max: u32 },
    #[error("monthly cap reached")]
    MonthlyCap { max: u32 },
    #[error("share of the planning reached")]
    Share { max_percent: u32 },
    #[error("not in a group of this planning")]
    NotInGroup,
    #[error("in the past")]
    Past,
    #[error("too late to give it back")]
    NoticePassed { hours: i64 },
    #[error("assigned by the admin only")]
    AssignedByAdmin,
    #[error("too late to undo the change")]
    UndoWindowPassed { minutes: i64 },
}

fn month_key(t: DateTime<Utc>) -> (i32, u32) {
    let local = t.with_timezone(&Paris);
    (local.year(), local.month())
}

/// Checks that `member` may hold `target`, given every vacation of the planning (with their
/// current holders), the member's other vacations (any planning) and the group rule.
/// `leaving` is a vacation the member gives up in the same change (an échange), not counted.
///
/// # Errors
/// The first rule broken, in the order a person would want to hear it.
pub fn check_hold(
    member: i64,
    target: &Vacation,
    planning: &[Vacation],
    own_elsewhere: &[Slot],
    rule: Option<&GroupRule>,
    leaving: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), RuleViolation> {
    let rule = rule.ok_or(RuleViolation::NotInGroup)?;
    if target.slot.starts_at <= now {
        return Err(RuleViolation::Past);
    }
    if target.holders.contains(&member) {
        return Err(RuleViolation::AlreadyHolder);
    }
    if target.holders.len() as u32 >= target.capacity {
        return Err(RuleViolation::Full);
    }
    let held: Vec<&Vacation> =
        planning.iter().filter(|v| v.id != target.id && Some(v.id) != leaving && v.holders.contains(&member)).collect();
    let overlaps =
        held.iter().any(|v| v.slot.overlaps(&target.slot)) || own_elsewhere.iter().any(|s| s.overlaps(&target.slot));
    if overlaps {
        return Err(RuleViolation::Overlap);
    }
    if let Some(max) = rule.max_per_week {
        let week = week_start(target.slot.starts_at);
        let n = held.iter().filter(|v| week_start(v.slot.starts_at) == week).count() as u32;
        if n >= max {
            return Err(RuleViolation::WeeklyCap { max });
        }
    }
    if let Some(max) = rule.max_per_month {
        let month = month_key(target.slot.starts_at);
        let n = held.iter().filter(|v| month_key(v.slot.starts_at) == month).count() as u32;
        if n >= max {
            return Err(RuleViolation::MonthlyCap { max });
        }
    }
    if let Some(max_percent) = rule.max_share_percent {
        let places: u64 = planning.iter().map(|v| u64::from(v.capacity)).sum();
        let after = held.len() as u64 + 1;
        if places > 0 && after * 100 > u64::from(max_percent) * places {
            return Err(RuleViolation::Share { max_percent });
        }
    }
    Ok(())
}

/// A member may give a vacation back to the pool until `notice` before it starts.
///
/// # Errors
/// [`RuleViolation::NoticePassed`] after that, [`RuleViolation::Past`] once it started.
pub fn check_return(slot: &Slot, notice: Duration, now: DateTime<Utc>) -> Result<(), RuleViolation> {
    if slot.starts_at <= now {
        return Err(RuleViolation::Past);
    }
    if now > slot.starts_at - notice {
        return Err(RuleViolation::NoticePassed { hours: notice.num_hours() });
    }
    Ok(())
}

/// An accepted change may be undone (with the other side's agreement) within `grace` of its
/// acceptance, and only while its vacations have not started.
///
/// # Errors
/// [`RuleViolation::UndoWindowPassed`] after the grace period, [`RuleViolation::Past`] once a
/// vacation concerned has started.
pub fn check_undo(
    accepted_at: DateTime<Utc>,
    first_start: DateTime<Utc>,
    grace: Duration,
    now: DateTime<Utc>,
) -> Result<(), RuleViolation> {
    if first_start <= now {
        return Err(RuleViolation::Past);
    }
    if now > accepted_at + grace {
        return Err(RuleViolation::UndoWindowPassed { minutes: grace.num_minutes() });
    }
    Ok(())
}

/// Who is on duty at `t`: the holders of the vacations that cover it. Accepted changes are
/// already reflected in the holders (a cession moves the holder), so this is all it takes.
pub fn on_duty_at(vacations: &[Vacation], t: DateTime<Utc>) -> BTreeSet<i64> {
    vacations.iter().filter(|v| v.slot.contains(t)).flat_map(|v| v.holders.iter().copied()).collect()
}

/// The vacations of a planning still missing holders (the gaps of the grid).
pub fn gaps(vacations: &[Vacation]) -> Vec<(i64, u32)> {
    vacations
        .iter()
        .filter(|v| (v.holders.len() as u32) < v.capacity)
        .map(|v| (v.id, v.capacity - v.holders.len() as u32))
        .collect()
}

/// Vacations held per member, for compensation.
pub fn count_per_member(vacations: &[Vacation]) -> HashMap<i64, u32> {
    let mut counts = HashMap::new();
    for v in vacations {
        for h in &v.holders {
            *counts.entry(*h).or_insert(0) += 1;
        }
    }
    counts
}

/// Whether a day is worked in a weekly template (used by the grid to show columns).
pub fn template_days(template: &[TemplateSlot]) -> BTreeSet<u32> {
    template.iter().map(|t| t.weekday.num_days_from_monday()).collect()
}

#[cfg(test)]
mod tests;
