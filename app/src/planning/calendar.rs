//! The personal calendar feed (RFC 5545): a secret address per member that a phone's calendar
//! subscribes to, listing their vacations over the next twelve months.
//!
//! The secret is an HMAC of the member and a counter under the server's key: nothing to store,
//! the address can be shown again, and bumping the counter revokes the old one.

use base64::Engine;
use hmac::{Hmac, Mac};
use icalendar::{Calendar, Component, Event, EventLike};
use sha2::Sha256;

use super::store::VacationRow;
use crate::i18n::t;

pub fn feed_token(secret: &[u8], member_id: i64, generation: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("calendar:{member_id}:{generation}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..24])
}

/// The feed's path for a member.
pub fn feed_path(secret: &[u8], member_id: i64, generation: i64) -> String {
    format!("/calendrier/{member_id}/{}.ics", feed_token(secret, member_id, generation))
}

/// Compares in constant time (the token is a secret).
pub fn token_matches(secret: &[u8], member_id: i64, generation: i64, token: &str) -> bool {
    let expected = feed_token(secret, member_id, generation);
    expected.len() == token.len() && expected.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The iCalendar document of a member's vacations, in the current language (the feed's handler
/// draws it in the member's).
pub fn render(member_name: &str, vacations: &[VacationRow]) -> String {
    let mut cal = Calendar::new();
    cal.name(&t::calendar_name(member_name));
    for v in vacations {
        cal.push(
            Event::new()
                .uid(&format!("vacation-{}@relais", v.vacation.id))
                .summary(&t::calendar_event(v.kind, &v.planning_name))
                .description(&format!("{} · {} place(s)", v.planning_name, v.vacation.capacity))
                .starts(v.vacation.slot.starts_at)
                .ends(v.vacation.slot.ends_at)
                .done(),
        );
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::rules::{Slot, Vacation, VacationKind};
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_feed_lists_each_vacation_as_an_event_in_utc() {
        let v = VacationRow {
            vacation: Vacation {
                id: 42,
                planning_id: 1,
                slot: Slot {
                    starts_at: Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap(),
                    ends_at: Utc.with_ymd_and_hms(2026, 11, 30, 11, 0, 0).unwrap(),
                },
                capacity: 2,
                holders: Default::default(),
            },
            kind: VacationKind::SnpOffice,
            planning_name: "SNP médecins généralistes".into(),
        };
        let ics = render("Dr Martin", std::slice::from_ref(&v));
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert!(ics.contains("UID:vacation-42@relais"));
        assert!(ics.contains("DTSTART:20261130T070000Z"));
        assert!(ics.contains("DTEND:20261130T110000Z"));
        assert!(ics.contains("SUMMARY:Garde SNP au cabinet — SNP médecins généralistes"));
        let english = crate::i18n::with_lang(crate::i18n::Lang::En, || render("Dr Martin", std::slice::from_ref(&v)));
        assert!(
            english.contains("SUMMARY:Duty Same-day care at the practice — SNP médecins généralistes"),
            "{english}"
        );
        assert!(english.contains("Dr Martin's duties"), "{english}");
    }

    #[test]
    fn a_new_generation_revokes_the_old_address() {
        let old = feed_token(b"k", 7, 0);
        assert!(token_matches(b"k", 7, 0, &old));
        assert!(!token_matches(b"k", 7, 1, &old));
        assert!(!token_matches(b"k", 8, 0, &old));
    }
}
