//! The states a request goes through, the rule that makes the first acceptance win, the waves
//! of offers and when to widen or escalate them.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{AppointmentMode, Reorientation};

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
    /// The coordination books the patient into a clinician's free SNP slot: no offer needed.
    BookSlot,
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
        Transition::BookSlot,
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
            (New | Pushed | Escalated, T::BookSlot) => Booked,
            (Accepted | Booked, T::Complete) => Done,
            (Booked, T::NoShow) => NoShow,
            (s, T::Reorient) if !s.is_closed() => Reoriented,
            (s, T::Cancel) if !s.is_closed() => Cancelled,
            (from, transition) => return Err(IllegalTransition { from, transition }),
        };
        Ok(next)
    }
}

/// The state an acceptance leaves a request in: one that must be seen by teleconsultation is
/// booked at once (the room is the appointment, now); any other waits for its appointment.
pub fn accepted_status(mode: Option<AppointmentMode>) -> RequestStatus {
    if mode == Some(AppointmentMode::Teleconsultation) {
        RequestStatus::Booked
    } else {
        RequestStatus::Accepted
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
