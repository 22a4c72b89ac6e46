//! The RPPS number (Répertoire partagé des professionnels de santé): eleven digits, the last
//! of which is a check digit computed, as the ANS defines it, by the Luhn algorithm over the
//! ten before it.

/// The Luhn sum of `digits` read from the right, the rightmost one doubled when `double_first`.
fn luhn_sum(digits: &[u32], double_first: bool) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if (i % 2 == 0) == double_first {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                *d
            }
        })
        .sum()
}

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

/// Whether `rpps` is eleven ASCII digits whose last is the Luhn check digit of the ten before.
pub fn rpps_is_valid(rpps: &str) -> bool {
    match digits(rpps) {
        Some(d) if d.len() == 11 && rpps.is_ascii() => luhn_sum(&d, false).is_multiple_of(10),
        _ => false,
    }
}

/// The eleven-digit RPPS whose first ten digits are `ten` (`None` unless ten ASCII digits).
pub fn with_check_digit(ten: &str) -> Option<String> {
    let d = digits(ten).filter(|d| d.len() == 10 && ten.is_ascii())?;
    let check = (10 - luhn_sum(&d, true) % 10) % 10;
    Some(format!("{ten}{check}"))
}

/// The RPPS carried by a national identifier of a health professional, as Pro Santé Connect
/// gives it (`preferred_username`, `SubjectNameID`): `8` then the eleven digits of the RPPS. An
/// ADELI-based identifier (`0` then nine digits) or anything else carries none.
pub fn rpps_of_national_id(id: &str) -> Option<String> {
    let rpps = id.trim().strip_prefix('8')?;
    rpps_is_valid(rpps).then(|| rpps.to_string())
}
