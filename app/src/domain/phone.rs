//! French telephone numbers, as a patient gives them to the operator.

use serde::{Deserialize, Serialize};

/// A French number in E.164 form (`+33` then nine digits), the only form stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrenchPhone(String);

impl FrenchPhone {
    /// Accepts `06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78` or `0033612345678`.
    ///
    /// # Errors
    /// `None` when it is not ten digits starting with 0 (then 1–9), nor the same in
    /// international form.
    pub fn parse(input: &str) -> Option<Self> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}')).collect();
        let national = if let Some(rest) = compact.strip_prefix("+33") {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix("0033") {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest.to_string()
        } else {
            return None;
        };
        let national = national.strip_prefix('0').map(str::to_string).unwrap_or(national);
        let ok = national.len() == 9
            && national.chars().all(|c| c.is_ascii_digit())
            && national.starts_with(|c: char| ('1'..='9').contains(&c));
        ok.then(|| Self(format!("+33{national}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The national form a French reader expects: `06 12 34 56 78`.
    pub fn national(&self) -> String {
        let digits = format!("0{}", &self.0[3..]);
        digits.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect::<Vec<_>>().join(" ")
    }
}

/// How a stored callback number is shown: its national form, or as stored when it is not one
/// (an erased number is empty).
pub fn shown(stored: &str) -> String {
    FrenchPhone::parse(stored).map(|p| p.national()).unwrap_or_else(|| stored.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_number_with_spaces_is_accepted() {
        assert_eq!(FrenchPhone::parse("06 12 34 56 78").unwrap().e164(), "+33612345678");
    }

    #[test]
    fn international_forms_are_accepted() {
        assert_eq!(FrenchPhone::parse("+33 6 12 34 56 78").unwrap().e164(), "+33612345678");
        assert_eq!(FrenchPhone::parse("0033612345678").unwrap().e164(), "+33612345678");
        assert_eq!(FrenchPhone::parse("+33 (0)2 99 12 34 56").unwrap().e164(), "+33299123456");
    }

    #[test]
    fn a_number_with_nine_digits_is_rejected() {
        assert!(FrenchPhone::parse("06 12 34 56 7").is_none());
    }

    #[test]
    fn letters_and_foreign_numbers_are_rejected() {
        assert!(FrenchPhone::parse("06 12 34 56 7a").is_none());
        assert!(FrenchPhone::parse("+44 20 7946 0958").is_none());
        assert!(FrenchPhone::parse("").is_none());
        assert!(FrenchPhone::parse("00 12 34 56 78").is_none());
    }

    #[test]
    fn the_national_form_is_grouped_by_two() {
        assert_eq!(FrenchPhone::parse("+33612345678").unwrap().national(), "06 12 34 56 78");
    }
}
