use chrono::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::dispatch::rules::panel::{eligibility, select_panel, Candidate, PanelQuery};
use crate::dispatch::rules::{next_wave_step, EscalationReason, WaveStep};
use crate::domain::geo::GeoPoint;
use crate::domain::Profession;

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
}

fn form() -> TeleconsultForm {
    TeleconsultForm {
        motive: "fever".into(),
        red_flags: vec![],
        patient_name: "J. D.".into(),
        age_band: "16-64".into(),
        callback_phone: "06 12 34 56 78".into(),
        note: "Fièvre depuis hier".into(),
        consent: "on".into(),
    }
}

#[test]
fn a_complete_form_with_consent_is_accepted() {
    let (motive, patient) = form().validate("Chantepie").expect("valid");
    assert_eq!(motive, Motive::Fever);
    assert_eq!(patient.commune, "Chantepie");
    assert_eq!(patient.callback_phone.e164(), "+33612345678");
}

#[test]
fn without_the_patients_consent_nothing_is_sent() {
    let f = TeleconsultForm { consent: String::new(), ..form() };
    let Err(FormError::Invalid(errors)) = f.validate("Chantepie") else { panic!("refused") };
    assert_eq!(errors.get(Field::Consent), Some(FieldProblem::Required));
}

#[test]
fn every_faulty_field_is_reported_at_once() {
    let f = TeleconsultForm {
        motive: "dental_emergency".into(),
        patient_name: String::new(),
        callback_phone: "12".into(),
        consent: String::new(),
        ..form()
    };
    let Err(FormError::Invalid(errors)) = f.validate("Chantepie") else { panic!("refused") };
    assert_eq!(errors.get(Field::Motive), Some(FieldProblem::UnknownChoice));
    assert_eq!(errors.get(Field::PatientName), Some(FieldProblem::Required));
    assert_eq!(errors.get(Field::CallbackPhone), Some(FieldProblem::InvalidPhone));
    assert_eq!(errors.get(Field::Consent), Some(FieldProblem::Required));
}

#[test]
fn a_sign_of_gravity_sends_to_the_15_before_anything_else() {
    let f = TeleconsultForm { red_flags: vec!["chest_pain".into()], consent: String::new(), ..form() };
    assert_eq!(f.validate("Chantepie"), Err(FormError::RedFlags(vec![RedFlag::ChestPain])));
}

#[test]
fn the_link_opens_at_acceptance_and_expires_thirty_minutes_later() {
    let v = Duration::minutes(30);
    let accepted = Some(t(10, 0));
    assert_eq!(room_access(RequestStatus::Pushed, None, t(10, 0), v), RoomAccess::NotYet);
    assert_eq!(room_access(RequestStatus::Booked, accepted, t(10, 0), v), RoomAccess::Open { until: t(10, 30) });
    assert_eq!(room_access(RequestStatus::Booked, accepted, t(10, 29), v), RoomAccess::Open { until: t(10, 30) });
    assert_eq!(room_access(RequestStatus::Booked, accepted, t(10, 30), v), RoomAccess::Expired);
    assert_eq!(room_access(RequestStatus::Done, accepted, t(10, 5), v), RoomAccess::Closed);
    assert_eq!(room_access(RequestStatus::Reoriented, None, t(10, 5), v), RoomAccess::Closed);
}

#[test]
fn only_the_pharmacist_and_the_doctor_are_parties() {
    assert_eq!(party(1, 1, Some(2)), Some(Party::Pharmacist));
    assert_eq!(party(2, 1, Some(2)), Some(Party::Doctor));
    assert_eq!(party(3, 1, Some(2)), None);
    assert_eq!(party(2, 1, None), None);
}

#[test]
fn a_room_name_carries_160_bits_in_lowercase_hex() {
    let name = room_name(&[0xAB; 20]);
    assert_eq!(name.len(), "relais-".len() + 40);
    assert!(name.ends_with(&"ab".repeat(20)));
    assert_ne!(room_name(&[0; 20]), room_name(&[1; 20]));
}

#[test]
fn the_room_address_follows_the_template_and_carries_the_token() {
    assert_eq!(room_url(DEFAULT_ROOM_URL, "relais-ab", None), "https://meet.jit.si/relais-ab");
    assert_eq!(room_url("https://v.example.org/{room}", "r", Some("x.y.z")), "https://v.example.org/r?jwt=x.y.z");
    assert_eq!(room_url("https://v.example.org/m?room={room}", "r", Some("t")), "https://v.example.org/m?room=r&jwt=t");
    assert_eq!(check_template("ftp://x/{room}"), Err(TemplateError::NotHttp));
    assert_eq!(check_template("https://x/room"), Err(TemplateError::NoRoom));
    assert_eq!(check_template(DEFAULT_ROOM_URL), Ok(()));
    assert_eq!(template_host("https://meet.example.org:8443/{room}"), Some("meet.example.org"));
    assert_eq!(template_host(DEFAULT_ROOM_URL), Some("meet.jit.si"));
}

#[test]
fn the_counter_waves_last_five_then_ten_minutes_then_the_pharmacist_is_told() {
    let p = TeleconsultSettings::default().waves;
    let pushed = RequestStatus::Pushed;
    let deadline = t(11, 0);
    assert_eq!(next_wave_step(pushed, 1, t(10, 0), deadline, t(10, 4), &p), WaveStep::Wait);
    assert_eq!(next_wave_step(pushed, 1, t(10, 0), deadline, t(10, 5), &p), WaveStep::Widen { to_wave: 2 });
    assert_eq!(next_wave_step(pushed, 2, t(10, 5), deadline, t(10, 14), &p), WaveStep::Wait);
    assert_eq!(
        next_wave_step(pushed, 2, t(10, 5), deadline, t(10, 15), &p),
        WaveStep::Escalate(EscalationReason::WavesExhausted)
    );
}

#[test]
fn the_doctor_says_what_happened_with_a_conclusion_when_it_took_place() {
    assert_eq!(
        TeleconsultOutcome::parse("done", "prescription", ""),
        Ok(TeleconsultOutcome::Done(Conclusion::Prescription))
    );
    assert_eq!(TeleconsultOutcome::parse("no_show", "", ""), Ok(TeleconsultOutcome::NoShow));
    assert_eq!(
        TeleconsultOutcome::parse("reoriented", "", "sas"),
        Ok(TeleconsultOutcome::Reoriented(Reorientation::Sas))
    );
    let missing = TeleconsultOutcome::parse("done", "", "").unwrap_err();
    assert_eq!(missing.get(Field::Conclusion), Some(FieldProblem::Required));
    let unknown = TeleconsultOutcome::parse("vanished", "", "").unwrap_err();
    assert_eq!(unknown.get(Field::Outcome), Some(FieldProblem::UnknownChoice));
    let nowhere = TeleconsultOutcome::parse("reoriented", "", "mars").unwrap_err();
    assert_eq!(nowhere.get(Field::Reorientation), Some(FieldProblem::UnknownChoice));
}

const CHANTEPIE: GeoPoint = GeoPoint { lat: 48.0886, lon: -1.6158 };

fn doctor(id: i64, km_north: Option<f64>) -> Candidate {
    Candidate {
        member_id: id,
        profession: Profession::Gp,
        location: km_north.map(|k| GeoPoint::new(CHANTEPIE.lat + k / 111.2, CHANTEPIE.lon)),
        on_duty: false,
        volunteering: true,
        accepted_this_week: 0,
        weekly_cap: 10,
        already_asked: false,
        teleconsults: true,
        on_remote_duty: false,
    }
}

fn counter_query() -> PanelQuery {
    PanelQuery {
        motive: Motive::Renewal,
        profession: Profession::Gp,
        location: CHANTEPIE,
        treating_member_id: None,
        teleconsultation: true,
    }
}

#[test]
fn the_first_wave_asks_the_doctors_near_the_pharmacy_the_second_every_one_of_the_cpts() {
    let p = TeleconsultSettings::default().waves;
    let cands = [doctor(1, Some(3.0)), doctor(2, Some(40.0)), doctor(3, None)];
    let ids = |w| select_panel(&counter_query(), &cands, w, &p).iter().map(|e| e.member_id).collect::<Vec<_>>();
    assert_eq!(ids(1), vec![1]);
    assert_eq!(ids(2), vec![1, 2, 3]);
}

#[test]
fn a_renewal_at_the_counter_is_never_offered_to_another_pharmacist() {
    let p = TeleconsultSettings::default().waves;
    let pharmacist = Candidate { profession: Profession::Pharmacist, ..doctor(4, Some(1.0)) };
    assert!(eligibility(&counter_query(), &pharmacist, 2, &p).is_err());
}

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..100_000).prop_map(|m| t(0, 0) + Duration::minutes(m))
}

proptest! {
    /// The room opens only between the acceptance and the end of the link's validity, and never
    /// once the request is closed.
    #[test]
    fn the_room_is_open_only_within_the_links_validity(
        status in proptest::sample::select(RequestStatus::ALL.to_vec()),
        accepted_at in proptest::option::of(any_instant()),
        now in any_instant(),
        minutes in 1i64..240,
    ) {
        let validity = Duration::minutes(minutes);
        let access = room_access(status, accepted_at, now, validity);
        if let RoomAccess::Open { until } = access {
            let from = accepted_at.expect("accepted");
            prop_assert!(!status.is_closed());
            prop_assert!(from <= now && now < until);
            prop_assert_eq!(until, from + validity);
        } else {
            prop_assert!(status.is_closed() || accepted_at.is_none_or(|a| now < a || now >= a + validity));
        }
    }

    /// Whatever the wave and the doctors, a teleconsultation is offered only to doctors who
    /// teleconsult and are available for it.
    #[test]
    fn a_counter_request_goes_only_to_available_teleconsulting_doctors(
        specs in proptest::collection::vec((any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), proptest::option::of(0.0..80.0f64)), 0..20),
        wave in 1..3u8,
    ) {
        let p = TeleconsultSettings::default().waves;
        let cands: Vec<Candidate> = specs.iter().enumerate().map(|(i, (tele, remote, office, volunteer, km))| Candidate {
            teleconsults: *tele,
            on_remote_duty: *remote,
            on_duty: *office,
            volunteering: *volunteer,
            ..doctor(i as i64, *km)
        }).collect();
        for e in select_panel(&counter_query(), &cands, wave, &p) {
            let c = &cands[usize::try_from(e.member_id).expect("index")];
            prop_assert!(c.teleconsults);
            prop_assert!(c.on_remote_duty || c.volunteering);
        }
    }
}
