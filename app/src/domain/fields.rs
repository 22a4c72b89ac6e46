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
    Criteria,
    Solution,
    Place,
    Outcome,
    Label,
    Dentist,
    AvailableHours,
    Consent,
    Conclusion,
    Date,
    Start,
    Count,
    Minutes,
    Audience,
    Weeks,
    Slot,
    Finess,
    Role,
    Rpps,
    Phone,
    Address,
    QuietHours,
    File,
    Language,
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
    /// Already a member's or a pending invitation's in the CPTS.
    Duplicate,
    /// A number whose check digit is wrong.
    CheckDigit,
}

/// Whether a character may not stand in a free-text field: control characters (outside line
/// breaks and tabs, which `multiline` text keeps), and the bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) that could show a name or a phone number in the coordination's
/// lists as something else than what it is. Such text is refused, never silently changed.
pub fn forbidden_in_text(c: char, multiline: bool) -> bool {
    let line_break = matches!(c, '\n' | '\r' | '\t');
    (c.is_control() && !(multiline && line_break)) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` has any character [`forbidden_in_text`].
pub fn has_forbidden_chars(text: &str, multiline: bool) -> bool {
    text.chars().any(|c| forbidden_in_text(c, multiline))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_and_isolates_are_forbidden_everywhere() {
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            assert!(forbidden_in_text(c, true), "{c:?}");
        }
    }

    #[test]
    fn line_breaks_are_allowed_only_in_multiline_text() {
        assert!(!has_forbidden_chars("ligne 1\nligne 2\tfin", true));
        assert!(has_forbidden_chars("ligne 1\nligne 2", false));
        assert!(has_forbidden_chars("nul\u{0}", true));
        assert!(!has_forbidden_chars("Zoé Ñúñez — 06 12 34 56 78 (دكتور)", false));
    }
}
