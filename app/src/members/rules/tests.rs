use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::domain::{Field, FieldProblem, Profession, Role};

fn role_label(r: Role) -> &'static str {
    crate::i18n::t::role(r)
}
fn profession_label(p: Profession) -> &'static str {
    crate::i18n::t::profession(p)
}
fn check(input: &InviteeInput) -> Result<Invitee, crate::domain::FieldErrors> {
    check_invitee(input, &["Rennes".into(), "Cesson-Sévigné".into()], role_label, profession_label)
}
fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap().and_hms_opt(h, m, 0).unwrap()
}
fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn a_real_rpps_passes_its_check_and_a_changed_digit_does_not() {
    // Eleven digits whose last is the Luhn key of the ten before.
    assert!(rpps_is_valid("10003456786"));
    assert!(!rpps_is_valid("10003456787"));
    assert!(!rpps_is_valid("10003546786"), "two digits swapped");
    assert!(!rpps_is_valid("1000345678"), "ten digits");
    assert!(!rpps_is_valid("1000345678a"));
    assert!(!rpps_is_valid("１0003456786"), "a full-width digit is not a digit");
    assert_eq!(with_check_digit("1000345678").as_deref(), Some("10003456786"));
}

#[test]
fn a_pro_sante_connect_identifier_carries_an_rpps_after_its_8() {
    assert_eq!(rpps_of_national_id("810003456786").as_deref(), Some("10003456786"));
    assert_eq!(rpps_of_national_id(" 810003456786 ").as_deref(), Some("10003456786"));
    assert_eq!(rpps_of_national_id("810003456787"), None, "a wrong check digit");
    assert_eq!(rpps_of_national_id("10003456786"), None, "no 8 first");
    assert_eq!(rpps_of_national_id("0751234567"), None, "an ADELI-based identifier");
    assert_eq!(rpps_of_national_id("8"), None);
}

#[test]
fn an_invitation_works_seven_days_then_expires_unless_used_or_withdrawn() {
    let sent = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    let later = |d: i64, s: i64| sent + chrono::Duration::days(d) + chrono::Duration::seconds(s);
    assert_eq!(invitation_state(sent, None, None, later(6, 86_399)), InvitationState::Pending);
    assert_eq!(invitation_state(sent, None, None, later(7, 0)), InvitationState::Expired);
    assert_eq!(invitation_state(sent, Some(later(1, 0)), None, later(9, 0)), InvitationState::Used);
    assert_eq!(invitation_state(sent, None, Some(later(1, 0)), later(2, 0)), InvitationState::Withdrawn);
}

#[test]
fn a_clinician_line_needs_a_profession_and_a_valid_rpps() {
    let ok = check(&InviteeInput {
        email: " Anne.Leroy@Exemple.fr ".into(),
        name: "Dr Anne Leroy".into(),
        profession: "Médecin généraliste".into(),
        rpps: "100 034 567 86".into(),
        commune: "cesson sevigne".into(),
        role: String::new(),
    })
    .unwrap();
    assert_eq!(ok.email, "anne.leroy@exemple.fr");
    assert_eq!((ok.role, ok.profession), (Role::Clinician, Some(Profession::Gp)));
    assert_eq!(ok.rpps.as_deref(), Some("10003456786"));
    assert_eq!(ok.commune.as_deref(), Some("Cesson-Sévigné"));

    let bad = check(&InviteeInput {
        email: "pas-une-adresse".into(),
        name: String::new(),
        profession: String::new(),
        rpps: "10003456787".into(),
        commune: "Paris".into(),
        role: "clinician".into(),
    })
    .unwrap_err();
    assert_eq!(bad.get(Field::Email), Some(FieldProblem::Invalid));
    assert_eq!(bad.get(Field::Name), Some(FieldProblem::Required));
    assert_eq!(bad.get(Field::Profession), Some(FieldProblem::Required));
    assert_eq!(bad.get(Field::Rpps), Some(FieldProblem::CheckDigit));
    assert_eq!(bad.get(Field::Commune), Some(FieldProblem::UnknownChoice));
}

#[test]
fn staff_need_no_rpps_and_keep_no_profession() {
    let c = check(&InviteeInput {
        email: "coord@cpts.fr".into(),
        name: "Camille".into(),
        role: "Coordination".into(),
        profession: "gp".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!((c.role, c.profession, c.rpps), (Role::Coordinator, None, None));
    for (typed, p) in [
        ("Infirmière", Profession::Nurse),
        ("Masseur-kinésithérapeute", Profession::Physio),
        ("kiné", Profession::Physio),
        ("Chirurgien-dentiste", Profession::Dentist),
    ] {
        let line = InviteeInput {
            email: "a@b.fr".into(),
            name: "A".into(),
            profession: typed.into(),
            rpps: "10003456786".into(),
            ..Default::default()
        };
        assert_eq!(check(&line).unwrap().profession, Some(p), "{typed}");
    }
    let unknown = check(&InviteeInput { role: "chef".into(), ..Default::default() }).unwrap_err();
    assert_eq!(unknown.get(Field::Role), Some(FieldProblem::UnknownChoice));
}

#[test]
fn quiet_hours_hold_rings_but_not_emails_nor_offers() {
    let prefs = Preferences {
        chosen: vec![(Notice::Planning, Channels { push: true, email: true, sms: true })],
        quiet: Some(QuietHours { start: hm(21, 0), end: hm(7, 30) }),
        has_phone: true,
    };
    let next_morning = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap().and_time(hm(7, 30));
    assert_eq!(
        resolve(&prefs, Notice::Planning, at(23, 0)),
        (Delivery::After(next_morning), Delivery::Now, Delivery::After(next_morning))
    );
    assert_eq!(resolve(&prefs, Notice::Planning, at(7, 30)), (Delivery::Now, Delivery::Now, Delivery::Now));
    // Offers go at once: only members on duty, available or treating are offered a request.
    assert_eq!(resolve(&prefs, Notice::Offer, at(23, 0)), (Delivery::Now, Delivery::Off, Delivery::Off));
    let early = resolve(&prefs, Notice::Reminder, at(6, 0));
    assert_eq!(early.0, Delivery::After(at(7, 30)));
}

#[test]
fn no_sms_without_a_phone_and_defaults_until_chosen() {
    let prefs = Preferences { chosen: vec![], quiet: None, has_phone: false };
    assert_eq!(resolve(&prefs, Notice::Reminder, at(12, 0)), (Delivery::Now, Delivery::Now, Delivery::Off));
    assert_eq!(prefs.channels(Notice::Offer), default_channels(Notice::Offer));
    assert_eq!(Notice::of_push("offer_new"), Notice::Offer);
    assert_eq!(Notice::of_push("slot_booked"), Notice::Slot);
}

#[test]
fn passwords_have_ten_to_two_hundred_characters() {
    assert!(!password_is_acceptable("court"));
    assert!(!password_is_acceptable("          "));
    assert!(password_is_acceptable("cheval-agrafe"));
    assert!(!password_is_acceptable(&"x".repeat(201)));
}

proptest! {
    #[test]
    fn every_rpps_made_with_its_key_passes_and_any_one_changed_digit_fails(
        ten in "[0-9]{10}", pos in 0usize..11, delta in 1u32..10,
    ) {
        let rpps = with_check_digit(&ten).unwrap();
        prop_assert!(rpps_is_valid(&rpps));
        let mut d: Vec<u32> = rpps.chars().map(|c| c.to_digit(10).unwrap()).collect();
        d[pos] = (d[pos] + delta) % 10;
        let changed: String = d.iter().map(|x| char::from_digit(*x, 10).unwrap()).collect();
        prop_assert!(!rpps_is_valid(&changed));
    }

    #[test]
    fn what_quiet_hours_hold_goes_at_their_end_within_a_day(
        s in 0u32..1440, e in 0u32..1440, now in 0u32..1440,
    ) {
        let q = QuietHours { start: hm(s / 60, s % 60), end: hm(e / 60, e % 60) };
        let prefs = Preferences { chosen: vec![], quiet: Some(q), has_phone: true };
        let t = at(now / 60, now % 60);
        match resolve(&prefs, Notice::Reminder, t).0 {
            Delivery::After(when) => {
                prop_assert!(q.contains(t.time()));
                prop_assert!(when > t && when <= t + chrono::Duration::days(1));
                prop_assert!(!q.contains(when.time()));
            }
            Delivery::Now => prop_assert!(!q.contains(t.time())),
            Delivery::Off => prop_assert!(false, "push is on by default"),
        }
    }
}
