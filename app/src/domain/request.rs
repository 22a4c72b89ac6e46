//! An SNP request: how it is qualified, the states it goes through, and the rule that makes the
//! first acceptance win.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::phone::FrenchPhone;
use super::{AgeBand, AppointmentMode, Deadline, Motive, Profession, RedFlag, Reorientation, Source};

/// The request form as typed by the operator: raw strings, checked by [`RequestForm::validate`].
/// A missing field reads as empty, so that it gets its own error message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub motive: String,
    pub red_flags: Vec<String>,
    pub profession: String,
    pub patient_name: String,
    pub age_band: String,
    pub callback_phone: String,
    pub commune: String,
    /// "on" (a ticked checkbox), "true" or empty.
    pub teleconsult_ok: String,
    pub deadline: String,
    pub source: String,
    /// A member id, or empty.
    pub treating_member_id: String,
    pub note: String,
}

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

/// Why a form was not turned into a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntakeError {
    /// A sign of a medical emergency was ticked: the operator must call the 15, nothing is pushed.
    RedFlags(Vec<RedFlag>),
    Invalid(FieldErrors),
}

/// A qualified request, ready to be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRequest {
    pub motive: Motive,
    pub profession: Profession,
    pub patient_name: String,
    pub age_band: AgeBand,
    pub callback_phone: FrenchPhone,
    pub commune: String,
    pub teleconsult_ok: bool,
    pub deadline: Deadline,
    pub source: Source,
    pub treating_member_id: Option<i64>,
    pub note: String,
}

pub const PATIENT_NAME_MAX: usize = 40;
pub const NOTE_MAX: usize = 280;

impl RequestForm {
    /// Checks every field and reports all problems at once.
    ///
    /// `communes` are the CPTS's communes; `is_member` tells whether an id is a clinician of the
    /// CPTS (for the optional treating doctor).
    ///
    /// # Errors
    /// [`IntakeError::RedFlags`] first if any red flag is ticked, else [`IntakeError::Invalid`]
    /// with one problem per faulty field.
    pub fn validate(&self, communes: &[String], is_member: impl Fn(i64) -> bool) -> Result<NewRequest, IntakeError> {
        let flags: Vec<RedFlag> = self.red_flags.iter().filter_map(|f| RedFlag::parse(f)).collect();
        if !flags.is_empty() {
            return Err(IntakeError::RedFlags(flags));
        }
        let mut errors = FieldErrors::default();
        let motive = choice(&self.motive, Motive::parse, Field::Motive, &mut errors);
        let profession = choice(&self.profession, Profession::parse, Field::Profession, &mut errors);
        let patient_name = self.patient_name.trim().to_string();
        if patient_name.is_empty() {
            errors.add(Field::PatientName, FieldProblem::Required);
        } else if patient_name.chars().any(char::is_control) {
            errors.add(Field::PatientName, FieldProblem::InvalidCharacters);
        } else if patient_name.chars().count() > PATIENT_NAME_MAX {
            errors.add(Field::PatientName, FieldProblem::TooLong);
        }
        let age_band = choice(&self.age_band, AgeBand::parse, Field::AgeBand, &mut errors);
        let phone = if self.callback_phone.trim().is_empty() {
            errors.add(Field::CallbackPhone, FieldProblem::Required);
            None
        } else {
            let p = FrenchPhone::parse(&self.callback_phone);
            if p.is_none() {
                errors.add(Field::CallbackPhone, FieldProblem::InvalidPhone);
            }
            p
        };
        let commune = self.commune.trim().to_string();
        if commune.is_empty() {
            errors.add(Field::Commune, FieldProblem::Required);
        } else if !communes.iter().any(|c| c == &commune) {
            errors.add(Field::Commune, FieldProblem::UnknownChoice);
        }
        let deadline = choice(&self.deadline, Deadline::parse, Field::Deadline, &mut errors);
        let source = choice(&self.source, Source::parse, Field::Source, &mut errors);
        let treating = self.treating_member_id.trim();
        let treating_member_id = if treating.is_empty() {
            None
        } else {
            match treating.parse::<i64>() {
                Ok(id) if is_member(id) => Some(id),
                _ => {
                    errors.add(Field::TreatingMemberId, FieldProblem::UnknownChoice);
                    None
                }
            }
        };
        let note = self.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            errors.add(Field::Note, FieldProblem::TooLong);
        } else if note.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            errors.add(Field::Note, FieldProblem::InvalidCharacters);
        }
        match (motive, profession, age_band, phone, deadline, source) {
            (Some(motive), Some(profession), Some(age_band), Some(callback_phone), Some(deadline), Some(source))
                if errors.is_empty() =>
            {
                Ok(NewRequest {
                    motive,
                    profession,
                    patient_name,
                    age_band,
                    callback_phone,
                    commune,
                    teleconsult_ok: matches!(self.teleconsult_ok.as_str(), "on" | "true" | "1"),
                    deadline,
                    source,
                    treating_member_id,
                    note,
                })
            }
            _ => Err(IntakeError::Invalid(errors)),
        }
    }
}

fn choice<T>(raw: &str, parse: fn(&str) -> Option<T>, field: Field, errors: &mut FieldErrors) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.add(field, FieldProblem::Required);
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        errors.add(field, FieldProblem::UnknownChoice);
    }
    parsed
}

coded!(RequestStatus {
    New => "new",
    Pushed => "pushed",
    Escalated => "escalated",
    Accepted => "accepted",
    Booked => "booked",
    Done => "done",
    NoShow => "no_show",
    Reoriented => "reoriented",
    Cancelled => "cancelled",
});

coded!(OfferState {
    Sent => "sent",
    Seen => "seen",
    Refused => "refused",
    Expired => "expired",
    Withdrawn => "withdrawn",
    Accepted => "accepted",
});

impl OfferState {
    /// An offer the clinician can still answer.
    pub fn is_live(self) -> bool {
        matches!(self, OfferState::Sent | OfferState::Seen)
    }
}

/// What can happen to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    Push,
    Widen,
    Escalate,
    Accept,
    Book,
    Complete,
    NoShow,
    Reorient,
    Cancel,
}

impl Transition {
    pub const ALL: &'static [Transition] = &[
        Transition::Push,
        Transition::Widen,
        Transition::Escalate,
        Transition::Accept,
        Transition::Book,
        Transition::Complete,
        Transition::NoShow,
        Transition::Reorient,
        Transition::Cancel,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IllegalTransition {
    pub from: RequestStatus,
    pub transition: Transition,
}

impl RequestStatus {
    /// Terminal states: nothing more happens to the request.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Done | Self::NoShow | Self::Reoriented | Self::Cancelled)
    }

    /// Waiting for a clinician to accept.
    pub fn is_open_for_offers(self) -> bool {
        matches!(self, Self::Pushed | Self::Escalated)
    }

    /// The state machine of a request.
    ///
    /// # Errors
    /// [`IllegalTransition`] when the transition makes no sense from this state (completing a
    /// request nobody accepted, pushing a cancelled one…).
    pub fn apply(self, t: Transition) -> Result<RequestStatus, IllegalTransition> {
        use RequestStatus::*;
        use Transition as T;
        let next = match (self, t) {
            (New, T::Push) | (Escalated, T::Push) => Pushed,
            (Pushed, T::Widen) => Pushed,
            (Pushed, T::Escalate) => Escalated,
            (Pushed | Escalated, T::Accept) => Accepted,
            (Accepted | Booked, T::Book) => Booked,
            (Accepted | Booked, T::Complete) => Done,
            (Booked, T::NoShow) => NoShow,
            (s, T::Reorient) if !s.is_closed() => Reoriented,
            (s, T::Cancel) if !s.is_closed() => Cancelled,
            (from, transition) => return Err(IllegalTransition { from, transition }),
        };
        Ok(next)
    }
}

/// Why an acceptance was turned down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum AcceptOfferError {
    #[error("this member was not offered the request")]
    NotOnPanel,
    #[error("a colleague accepted first")]
    AlreadyTaken,
    #[error("the offer was already declined")]
    AlreadyRefused,
    #[error("the request is closed or expired")]
    Closed,
    #[error("the member's weekly cap is reached")]
    CapReached,
}

/// The first-accept-wins rule, as the store applies it inside its transaction: an acceptance
/// succeeds only while the request waits for one and the member's offer is live.
///
/// # Errors
/// See [`AcceptOfferError`].
pub fn check_accept(status: RequestStatus, offer: Option<OfferState>) -> Result<(), AcceptOfferError> {
    let offer = offer.ok_or(AcceptOfferError::NotOnPanel)?;
    if offer == OfferState::Refused {
        return Err(AcceptOfferError::AlreadyRefused);
    }
    if status.is_open_for_offers() && offer.is_live() {
        return Ok(());
    }
    match status {
        RequestStatus::Accepted | RequestStatus::Booked | RequestStatus::Done | RequestStatus::NoShow => {
            Err(AcceptOfferError::AlreadyTaken)
        }
        _ => Err(AcceptOfferError::Closed),
    }
}

/// The timing of the waves of offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WavePolicy {
    /// How long the treating doctor alone is asked (wave 0).
    pub treating_timeout: Duration,
    /// How long each wider wave waits (waves 1, 2, …).
    pub wave_timeouts: Vec<Duration>,
    /// The radius of each wider wave, in km.
    pub radii_km: Vec<f64>,
    /// From which wave on neighbouring professions are asked, where the motive allows.
    pub neighbours_from_wave: u8,
    /// How long before the deadline an unanswered request is flagged to the coordinator.
    pub deadline_margin: Duration,
}

impl Default for WavePolicy {
    fn default() -> Self {
        Self {
            treating_timeout: Duration::minutes(10),
            wave_timeouts: vec![Duration::minutes(10), Duration::minutes(20)],
            radii_km: vec![10.0, 25.0],
            neighbours_from_wave: 2,
            deadline_margin: Duration::minutes(30),
        }
    }
}

impl WavePolicy {
    /// The last wave number (waves are 0 = treating doctor, then 1..=last).
    pub fn last_wave(&self) -> u8 {
        self.wave_timeouts.len() as u8
    }

    pub fn timeout(&self, wave: u8) -> Duration {
        if wave == 0 {
            self.treating_timeout
        } else {
            self.wave_timeouts
                .get(usize::from(wave) - 1)
                .copied()
                .unwrap_or_else(|| self.wave_timeouts.last().copied().unwrap_or(Duration::minutes(10)))
        }
    }

    pub fn radius_km(&self, wave: u8) -> f64 {
        let i = usize::from(wave.max(1)) - 1;
        self.radii_km.get(i).or(self.radii_km.last()).copied().unwrap_or(10.0)
    }
}

/// Why a request was flagged to the coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    WavesExhausted,
    DeadlineNear,
    NobodyAvailable,
}

impl EscalationReason {
    pub fn code(self) -> &'static str {
        match self {
            Self::WavesExhausted => "waves_exhausted",
            Self::DeadlineNear => "deadline_near",
            Self::NobodyAvailable => "nobody_available",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [Self::WavesExhausted, Self::DeadlineNear, Self::NobodyAvailable].into_iter().find(|r| r.code() == code)
    }
}

/// What the escalation job must do with a pushed request at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaveStep {
    Wait,
    Widen { to_wave: u8 },
    Escalate(EscalationReason),
}

/// Decides the next step of an unanswered request.
pub fn next_wave_step(
    status: RequestStatus,
    wave: u8,
    wave_started_at: DateTime<Utc>,
    deadline_at: DateTime<Utc>,
    now: DateTime<Utc>,
    policy: &WavePolicy,
) -> WaveStep {
    if status != RequestStatus::Pushed {
        return WaveStep::Wait;
    }
    if now >= deadline_at - policy.deadline_margin {
        return WaveStep::Escalate(EscalationReason::DeadlineNear);
    }
    if now < wave_started_at + policy.timeout(wave) {
        return WaveStep::Wait;
    }
    if wave >= policy.last_wave() {
        WaveStep::Escalate(EscalationReason::WavesExhausted)
    } else {
        WaveStep::Widen { to_wave: wave + 1 }
    }
}

/// The outcome a clinician or the coordinator records.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Booked { at: DateTime<Utc>, mode: AppointmentMode },
    Done,
    NoShow,
    Reoriented(Reorientation),
    Cancelled,
}

impl Outcome {
    pub fn transition(&self) -> Transition {
        match self {
            Outcome::Booked { .. } => Transition::Book,
            Outcome::Done => Transition::Complete,
            Outcome::NoShow => Transition::NoShow,
            Outcome::Reoriented(_) => Transition::Reorient,
            Outcome::Cancelled => Transition::Cancel,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let Err(IntakeError::Invalid(errors)) = f.validate(&communes(), |_| false) else {
            panic!("expected field errors")
        };
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
        assert_eq!(
            check_accept(RequestStatus::Accepted, Some(OfferState::Withdrawn)),
            Err(AcceptOfferError::AlreadyTaken)
        );
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
        /// Whatever happens, a request never leaves a terminal state and never gets accepted twice.
        #[test]
        fn the_state_machine_never_reaches_an_illegal_state(ts in proptest::collection::vec(any_transition(), 0..40)) {
            let mut s = RequestStatus::New;
            let mut accepts = 0;
            for t in ts {
                let before = s;
                match s.apply(t) {
                    Ok(next) => {
                        prop_assert!(!before.is_closed(), "left terminal state {before:?}");
                        if t == Transition::Accept { accepts += 1; }
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
}
