//! Which channel carries which notice, and when: a member chooses, for each kind of notice,
//! push, e-mail and/or SMS, and may set quiet hours. During quiet hours push messages and SMS
//! wait for their end (e-mail goes: it does not ring); an offer of a request never waits, since
//! offers reach only members on duty, available or treating the patient.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// The kinds of notice a member receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// A request offered to them, taken by a colleague, closed.
    Offer,
    /// A reminder before one of their vacations.
    Reminder,
    /// A cession or échange proposed to them, answered, undone; a vacation returned to the pool.
    Planning,
    /// One of their shared slots booked.
    Slot,
}

impl Notice {
    pub const ALL: &'static [Notice] = &[Notice::Offer, Notice::Reminder, Notice::Planning, Notice::Slot];

    pub fn code(self) -> &'static str {
        match self {
            Self::Offer => "offer",
            Self::Reminder => "reminder",
            Self::Planning => "planning",
            Self::Slot => "slot",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|n| n.code() == code)
    }
    /// The notice a push message is, from its payload's kind.
    pub fn of_push(kind: &str) -> Self {
        match kind {
            k if k.starts_with("offer_") => Self::Offer,
            "slot_booked" => Self::Slot,
            "reminder" => Self::Reminder,
            _ => Self::Planning,
        }
    }
    /// Offers never wait for the end of quiet hours.
    pub fn is_urgent(self) -> bool {
        self == Self::Offer
    }
}

/// The channels chosen for one kind of notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channels {
    pub push: bool,
    pub email: bool,
    pub sms: bool,
}

/// What a member gets until they choose: offers by push; reminders by push, e-mail and SMS;
/// planning notices by push and e-mail; booked slots by push.
pub fn default_channels(n: Notice) -> Channels {
    match n {
        Notice::Offer | Notice::Slot => Channels { push: true, email: false, sms: false },
        Notice::Reminder => Channels { push: true, email: true, sms: true },
        Notice::Planning => Channels { push: true, email: true, sms: false },
    }
}

/// Quiet hours, in Paris time: `start` to `end`, across midnight when `end <= start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether `t` falls in them (start included, end excluded).
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start < self.end {
            self.start <= t && t < self.end
        } else if self.start > self.end {
            t >= self.start || t < self.end
        } else {
            false
        }
    }
    /// When quiet hours that contain `at` end (Paris local time).
    pub fn end_after(&self, at: NaiveDateTime) -> NaiveDateTime {
        let same_day = at.date().and_time(self.end);
        if same_day > at {
            same_day
        } else {
            same_day + Duration::days(1)
        }
    }
}

/// A member's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Chosen channels by notice; a notice missing here gets [`default_channels`].
    pub chosen: Vec<(Notice, Channels)>,
    pub quiet: Option<QuietHours>,
    /// SMS need a mobile number.
    pub has_phone: bool,
}

impl Preferences {
    pub fn channels(&self, n: Notice) -> Channels {
        self.chosen.iter().find(|(k, _)| *k == n).map_or_else(|| default_channels(n), |(_, c)| *c)
    }
}

/// When a message on one channel goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Not on this channel.
    Off,
    Now,
    /// At the end of quiet hours (Paris local time).
    After(NaiveDateTime),
}

/// How notice `n` reaches a member at Paris local time `now`: (push, e-mail, SMS).
pub fn resolve(prefs: &Preferences, n: Notice, now: NaiveDateTime) -> (Delivery, Delivery, Delivery) {
    let c = prefs.channels(n);
    let ringing = |on: bool| match prefs.quiet {
        _ if !on => Delivery::Off,
        Some(q) if !n.is_urgent() && q.contains(now.time()) => Delivery::After(q.end_after(now)),
        _ => Delivery::Now,
    };
    let email = if c.email { Delivery::Now } else { Delivery::Off };
    (ringing(c.push), email, ringing(c.sms && prefs.has_phone))
}
