//! The request rules, tested as a coordinator and clinicians would live them.

use chrono::Duration;

use super::*;
use crate::domain::*;
use proptest::prelude::*;

fn form() -> RequestForm {
    RequestForm {
        motive: "fever".into(),
        red_flags: vec![],
        profession: "gp".into(),
        patient_name: "J. D.".into(),
        age_band: "16-64".into(),
        callback_phone: "06 12 34 56 78".into(),
        commune: "Rennes".into(),
        teleconsult_ok: "on".into(),
        deadline: "today".into(),
        source: "patient_call".into(),
        treating_member_id: String::new(),
        note: String::new(),
    }
}

fn communes() -> Vec<String> {
    vec!["Rennes".into(), "Bruz".into()]
}

#[test]
fn a_complete_form_becomes_a_request() {
    let r = form().validate(&communes(), |_| false).unwrap();
    assert_eq!(r.motive, Motive::Fever);
    assert_eq!(r.callback_phone.e164(), "+33612345678");
    assert!(r.teleconsult_ok);
    assert_eq!(r.treating_member_id, None);
}

#[test]
fn a_red_flag_stops_the_request_before_any_other_check() {
    let mut f = RequestForm { red_flags: vec!["chest_pain".into()], ..RequestForm::default() };
    f.patient_name.clear();
    assert_eq!(f.validate(&communes(), |_| false), Err(IntakeError::RedFlags(vec![RedFlag::ChestPain])));
}

#[test]
fn every_faulty_field_is_reported() {
    let f = RequestForm {
        motive: "nope".into(),
        callback_phone: "123".into(),
        commune: "Paris".into(),
        treating_member_id: "42".into(),
        ..RequestForm::default()
    };
    let Err(IntakeError::Invalid(errors)) = f.validate(&communes(), |_| false) else { panic!("expected field errors") };
    assert_eq!(errors.get(Field::Motive), Some(FieldProblem::UnknownChoice));
    assert_eq!(errors.get(Field::Profession), Some(FieldProblem::Required));
    assert_eq!(errors.get(Field::PatientName), Some(FieldProblem::Required));
    assert_eq!(errors.get(Field::CallbackPhone), Some(FieldProblem::InvalidPhone));
    assert_eq!(errors.get(Field::Commune), Some(FieldProblem::UnknownChoice));
    assert_eq!(errors.get(Field::TreatingMemberId), Some(FieldProblem::UnknownChoice));
    assert_eq!(errors.get(Field::Deadline), Some(FieldProblem::Required));
}

#[test]
fn a_treating_doctor_must_be_a_member() {
    let f = RequestForm { treating_member_id: "7".into(), ..form() };
    assert_eq!(f.validate(&communes(), |id| id == 7).unwrap().treating_member_id, Some(7));
}

#[test]
fn control_characters_in_free_text_are_rejected() {
    let f = RequestForm { patient_name: "A\u{0}B".into(), note: "x\u{7}".into(), ..form() };
    let Err(IntakeError::Invalid(errors)) = f.validate(&communes(), |_| false) else { panic!("expected errors") };
    assert_eq!(errors.get(Field::PatientName), Some(FieldProblem::InvalidCharacters));
    assert_eq!(errors.get(Field::Note), Some(FieldProblem::InvalidCharacters));
    let ok = RequestForm { note: "ligne 1\nligne 2".into(), ..form() };
    assert!(ok.validate(&communes(), |_| false).is_ok());
}

#[test]
fn a_too_long_note_is_rejected() {
    let f = RequestForm { note: "x".repeat(NOTE_MAX + 1), ..form() };
    assert!(matches!(f.validate(&communes(), |_| false), Err(IntakeError::Invalid(_))));
}

#[test]
fn completing_a_request_nobody_accepted_is_illegal() {
    assert_eq!(
        RequestStatus::Pushed.apply(Transition::Complete),
        Err(IllegalTransition { from: RequestStatus::Pushed, transition: Transition::Complete })
    );
}

#[test]
fn the_happy_path_goes_from_new_to_done() {
    let s = RequestStatus::New;
    let s = s.apply(Transition::Push).unwrap();
    let s = s.apply(Transition::Accept).unwrap();
    let s = s.apply(Transition::Book).unwrap();
    assert_eq!(s.apply(Transition::Complete), Ok(RequestStatus::Done));
}

#[test]
fn a_second_acceptance_is_already_taken() {
    assert_eq!(check_accept(RequestStatus::Pushed, Some(OfferState::Seen)), Ok(()));
    assert_eq!(check_accept(RequestStatus::Accepted, Some(OfferState::Withdrawn)), Err(AcceptOfferError::AlreadyTaken));
    assert_eq!(check_accept(RequestStatus::Pushed, None), Err(AcceptOfferError::NotOnPanel));
    assert_eq!(check_accept(RequestStatus::Cancelled, Some(OfferState::Withdrawn)), Err(AcceptOfferError::Closed));
}

#[test]
fn waves_widen_then_escalate() {
    let p = WavePolicy::default();
    let t0 = chrono::Utc::now();
    let far = t0 + Duration::hours(10);
    assert_eq!(next_wave_step(RequestStatus::Pushed, 1, t0, far, t0 + Duration::minutes(9), &p), WaveStep::Wait);
    assert_eq!(
        next_wave_step(RequestStatus::Pushed, 1, t0, far, t0 + Duration::minutes(10), &p),
        WaveStep::Widen { to_wave: 2 }
    );
    assert_eq!(
        next_wave_step(RequestStatus::Pushed, 2, t0, far, t0 + Duration::minutes(20), &p),
        WaveStep::Escalate(EscalationReason::WavesExhausted)
    );
    assert_eq!(
        next_wave_step(RequestStatus::Pushed, 1, t0, t0 + Duration::minutes(35), t0 + Duration::minutes(6), &p),
        WaveStep::Escalate(EscalationReason::DeadlineNear)
    );
    assert_eq!(next_wave_step(RequestStatus::Accepted, 1, t0, far, far, &p), WaveStep::Wait);
}

fn any_transition() -> impl Strategy<Value = Transition> {
    proptest::sample::select(Transition::ALL.to_vec())
}

proptest! {
    /// Whatever happens, a request never leaves a terminal state and is never taken twice
    /// (accepted, or booked into a slot).
    #[test]
    fn the_state_machine_never_reaches_an_illegal_state(ts in proptest::collection::vec(any_transition(), 0..40)) {
        let mut s = RequestStatus::New;
        let mut accepts = 0;
        for t in ts {
            let before = s;
            match s.apply(t) {
                Ok(next) => {
                    prop_assert!(!before.is_closed(), "left terminal state {before:?}");
                    // A clinician takes it by accepting an offer or by being booked into their slot.
                    if matches!(t, Transition::Accept | Transition::BookSlot) { accepts += 1; }
                    if matches!(next, RequestStatus::Booked | RequestStatus::Done | RequestStatus::NoShow) {
                        prop_assert!(accepts == 1, "{next:?} without exactly one acceptance");
                    }
                    s = next;
                }
                Err(e) => prop_assert_eq!(e.from, before),
            }
        }
        prop_assert!(accepts <= 1);
    }

    /// However the acceptances of N panel members interleave (the store serialises them),
    /// exactly one wins and every other gets a clean "already taken".
    #[test]
    fn exactly_one_winner_whatever_the_interleaving(order in Just((0..12usize).collect::<Vec<_>>()).prop_shuffle(), refused in proptest::collection::vec(any::<bool>(), 12)) {
        let mut status = RequestStatus::Pushed;
        let mut offers: Vec<OfferState> = refused.iter().map(|r| if *r { OfferState::Refused } else { OfferState::Sent }).collect();
        let mut winners = vec![];
        for member in order {
            match check_accept(status, Some(offers[member])) {
                Ok(()) => {
                    status = status.apply(Transition::Accept).unwrap();
                    for (i, o) in offers.iter_mut().enumerate() {
                        *o = if i == member { OfferState::Accepted } else if o.is_live() { OfferState::Withdrawn } else { *o };
                    }
                    winners.push(member);
                }
                Err(e) => prop_assert!(matches!(e, AcceptOfferError::AlreadyTaken | AcceptOfferError::AlreadyRefused)),
            }
        }
        let eligible = refused.iter().filter(|r| !**r).count();
        prop_assert_eq!(winners.len(), usize::from(eligible > 0));
    }
}
