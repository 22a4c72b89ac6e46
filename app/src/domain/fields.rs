//! The fields of the forms and what can be wrong with them: the vocabulary every capability's
//! validation reports in, and the UI words.

use serde::{Deserialize, Serialize};

/// A form field, named as in the form and the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Motive,
    Profession,
    PatientName,
    AgeBand,
    CallbackPhone,
    Commune,
    Deadline,
    Source,
    TreatingMemberId,
    Note,
    AppointmentAt,
    Mode,
    Reorientation,
    Email,
    Password,
    Name,
    NoticeHours,
    Dimension,
    MaxShare,
    Kind,
    Weekdays,
    Hours,
    From,
    To,
    Capacity,
    Counter,
    Colleague,
    Reason,
    PushEndpoint,
    PushKeys,
    IdempotencyKey,
}

/// What is wrong with a field (the UI words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    UnknownChoice,
    TooLong,
    InvalidPhone,
    InvalidDate,
    InPast,
    OutOfRange,
    Taken,
    InvalidTimeRange,
    InvalidCharacters,
    Invalid,
}

/// One problem per field at most, in form order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(Field, FieldProblem)>);

impl FieldErrors {
    pub fn add(&mut self, field: Field, problem: FieldProblem) {
        if self.get(field).is_none() {
            self.0.push((field, problem));
        }
    }
    pub fn get(&self, field: Field) -> Option<FieldProblem> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
