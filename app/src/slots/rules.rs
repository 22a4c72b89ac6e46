//! The rules of shared SNP slots, pure (no I/O, time passed in): opening slots once or every
//! week (Paris wall-clock time across daylight saving, public holidays skipped), whether a slot
//! fits a request, and whether it can still be booked.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::geo::GeoPoint;
use crate::domain::hours::paris_date;
use crate::domain::patient::choice;
use crate::domain::{AppointmentMode, Field, FieldErrors, FieldProblem, Profession};
use crate::planning::rules::{generate_slots, Slot, TemplateSlot};

coded!(
    /// Who may book a slot: the CPTS's coordination only, or the SAS's regulators too.
    Audience { Cpts => "cpts", Sas => "sas" }
);

coded!(
    /// Who booked a slot.
    BookingSource { Coordination => "coordination", Sas => "sas" }
);

coded!(
    /// Where a booking stands.
    BookingStatus { Booked => "booked", Cancelled => "cancelled", Honoured => "honoured", NoShow => "no_show" }
);

/// A FINESS number as typed: 9 characters, the département (two digits, or 2A / 2B) then 7
/// digits. Spaces are dropped; letters are taken in capitals.
///
/// # Errors
/// [`FieldProblem::Required`] when empty, [`FieldProblem::Invalid`] otherwise.
pub fn check_finess(text: &str) -> Result<String, crate::domain::FieldProblem> {
    let finess: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if finess.is_empty() {
        return Err(crate::domain::FieldProblem::Required);
    }
    let (dept, rest) = (finess.get(..2).unwrap_or_default(), finess.get(2..).unwrap_or_default());
    let dept_ok = dept.bytes().all(|b| b.is_ascii_digit()) || dept == "2A" || dept == "2B";
    if finess.len() == 9 && dept_ok && rest.bytes().all(|b| b.is_ascii_digit()) {
        Ok(finess)
    } else {
        Err(crate::domain::FieldProblem::Invalid)
    }
}

pub const MAX_SLOTS_AT_ONCE: u32 = 12;
pub const MAX_WEEKS: u32 = 12;

/// The form of *Mes créneaux SNP*, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenForm {
    /// `YYYY-MM-DD` (Paris).
    pub date: String,
    /// `HH:MM`, the first slot's start.
    pub start: String,
    /// How many slots, one after the other (1 to 12).
    pub count: String,
    /// Each slot's length in minutes (5 to 120).
    pub minutes: String,
    pub mode: String,
    pub audience: String,
    /// "on": the same slots every week, for `weeks` weeks.
    pub weekly: String,
    pub weeks: String,
}

/// Slots to create.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSlots {
    pub spans: Vec<Slot>,
    pub mode: AppointmentMode,
    pub audience: Audience,
    pub weekly: bool,
}

fn number(raw: &str, field: Field, range: std::ops::RangeInclusive<u32>, errors: &mut FieldErrors) -> Option<u32> {
    match raw.trim().parse::<u32>() {
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) => {
            errors.add(field, FieldProblem::OutOfRange);
            None
        }
        Err(_) if raw.trim().is_empty() => {
            errors.add(field, FieldProblem::Required);
            None
        }
        Err(_) => {
            errors.add(field, FieldProblem::Invalid);
            None
        }
    }
}

impl OpenForm {
    /// The slots the form asks for, from now on: `count` slots of `minutes` from `start` on
    /// `date`, and on the same weekday of the following weeks when weekly (public holidays
    /// skipped). Slots already begun are left out.
    ///
    /// # Errors
    /// One problem per faulty field; `Field::Start` `in_past` when every slot would have begun,
    /// `invalid_time_range` when they would run past midnight.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<NewSlots, FieldErrors> {
        let mut errors = FieldErrors::default();
        let date = match NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(
                    Field::Date,
                    if self.date.trim().is_empty() { FieldProblem::Required } else { FieldProblem::InvalidDate },
                );
                None
            }
        };
        let start = match NaiveTime::parse_from_str(self.start.trim(), "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add(
                    Field::Start,
                    if self.start.trim().is_empty() { FieldProblem::Required } else { FieldProblem::InvalidDate },
                );
                None
            }
        };
        let count = number(&self.count, Field::Count, 1..=MAX_SLOTS_AT_ONCE, &mut errors);
        let minutes = number(&self.minutes, Field::Minutes, 5..=120, &mut errors);
        let mode = choice(&self.mode, AppointmentMode::parse, Field::Mode, &mut errors);
        let audience = choice(&self.audience, Audience::parse, Field::Audience, &mut errors);
        let weekly = matches!(self.weekly.trim(), "on" | "true" | "1");
        let weeks = if weekly { number(&self.weeks, Field::Weeks, 1..=MAX_WEEKS, &mut errors) } else { Some(1) };
        let (Some(date), Some(start), Some(count), Some(minutes), Some(mode), Some(audience), Some(weeks)) =
            (date, start, count, minutes, mode, audience, weeks)
        else {
            return Err(errors);
        };
        if date < paris_date(now) {
            errors.add(Field::Date, FieldProblem::InPast);
            return Err(errors);
        }
        let length = Duration::minutes(i64::from(count * minutes));
        let (end, overflow) = start.overflowing_add_signed(length);
        if overflow != 0 && end != NaiveTime::MIN {
            errors.add(Field::Start, FieldProblem::InvalidTimeRange);
            return Err(errors);
        }
        let spans = spans(date, start, count, minutes, weeks, now);
        if spans.is_empty() {
            errors.add(Field::Start, FieldProblem::InPast);
            return Err(errors);
        }
        Ok(NewSlots { spans, mode, audience, weekly })
    }
}

/// `count` slots of `minutes` from `start`, on `date` and the same weekday of the following
/// `weeks - 1` weeks (public holidays skipped when there is more than one week), Paris time;
/// those begun before `now` are left out.
pub fn spans(date: NaiveDate, start: NaiveTime, count: u32, minutes: u32, weeks: u32, now: DateTime<Utc>) -> Vec<Slot> {
    let block_end = start + Duration::minutes(i64::from(count * minutes));
    let template = [TemplateSlot { weekday: date.weekday(), start, end: block_end }];
    let last = date + Duration::weeks(i64::from(weeks.max(1)) - 1);
    let step = Duration::minutes(i64::from(minutes));
    generate_slots(&template, date, last, weeks > 1)
        .into_iter()
        .flat_map(|block| (0..count).map(move |i| block.starts_at + step * i32::try_from(i).unwrap_or(0)))
        .map(|starts_at| Slot { starts_at, ends_at: starts_at + step })
        .filter(|s| s.starts_at >= now)
        .collect()
}

/// A request as the slots see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Need {
    pub profession: Profession,
    pub teleconsult_ok: bool,
    pub location: GeoPoint,
    pub deadline_at: DateTime<Utc>,
}

/// A slot as a request sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offered {
    pub slot_id: i64,
    pub profession: Profession,
    pub mode: AppointmentMode,
    /// Where the clinician practises.
    pub location: Option<GeoPoint>,
    pub starts_at: DateTime<Utc>,
    pub free: bool,
    pub closed: bool,
}

/// Why a slot does not fit a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Misfit {
    Taken,
    Closed,
    Begun,
    AfterDeadline,
    WrongProfession,
    NoTeleconsultation,
    TooFar,
}

/// Whether `slot` fits `need` at `now`; the distance to the patient when it does (none for a
/// teleconsultation, where distance does not matter).
///
/// # Errors
/// The first reason it does not.
pub fn fit(need: &Need, slot: &Offered, now: DateTime<Utc>, radius_km: f64) -> Result<Option<f64>, Misfit> {
    if slot.closed {
        return Err(Misfit::Closed);
    }
    if !slot.free {
        return Err(Misfit::Taken);
    }
    if slot.starts_at < now {
        return Err(Misfit::Begun);
    }
    if slot.starts_at >= need.deadline_at {
        return Err(Misfit::AfterDeadline);
    }
    if slot.profession != need.profession {
        return Err(Misfit::WrongProfession);
    }
    if slot.mode == AppointmentMode::Teleconsultation {
        return if need.teleconsult_ok { Ok(None) } else { Err(Misfit::NoTeleconsultation) };
    }
    match slot.location.map(|l| l.distance_km(need.location)) {
        Some(d) if d <= radius_km => Ok(Some(d)),
        _ => Err(Misfit::TooFar),
    }
}

/// The slots that fit, soonest first (then nearest).
pub fn fitting(need: &Need, slots: &[Offered], now: DateTime<Utc>, radius_km: f64) -> Vec<(i64, Option<f64>)> {
    let mut out: Vec<(DateTime<Utc>, i64, Option<f64>)> =
        slots.iter().filter_map(|s| fit(need, s, now, radius_km).ok().map(|d| (s.starts_at, s.slot_id, d))).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.unwrap_or(0.0).total_cmp(&b.2.unwrap_or(0.0))).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, id, d)| (id, d)).collect()
}

/// Why a slot cannot be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum BookingError {
    #[error("the slot is already booked")]
    Taken,
    #[error("the slot was closed")]
    Closed,
    #[error("the slot has begun")]
    Begun,
    #[error("the SAS may not book this slot")]
    NotForSas,
}

/// Whether a slot can be booked now by `source`. The store's one-booking-per-slot index is what
/// makes two simultaneous bookings impossible; this says why a booking is refused.
///
/// # Errors
/// See [`BookingError`].
pub fn check_booking(
    audience: Audience,
    closed: bool,
    booked: bool,
    starts_at: DateTime<Utc>,
    source: BookingSource,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    if booked {
        return Err(BookingError::Taken);
    }
    if closed {
        return Err(BookingError::Closed);
    }
    if starts_at < now {
        return Err(BookingError::Begun);
    }
    if source == BookingSource::Sas && audience != Audience::Sas {
        return Err(BookingError::NotForSas);
    }
    Ok(())
}

/// Whether the clinician may say how a booking went: once its slot has begun, while booked.
pub fn may_record(status: BookingStatus, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == BookingStatus::Booked && now >= starts_at
}

#[cfg(test)]
mod tests;
