//! What the server sends about the logged-in member.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Profession, Role};

/// The logged-in member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub cpts_name: String,
    /// Holds a duty slot now.
    pub on_duty: bool,
    /// "Available now" until then.
    pub available_until: Option<DateTime<Utc>>,
    /// The language they chose (Réglages); `None`: the browser's.
    #[serde(default)]
    pub lang: Option<crate::i18n::Lang>,
}

use crate::domain::{Field, FieldProblem};
use crate::members::rules::{Channels, InvitationState, InviteeInput, MemberStatus, Notice};

/// A member on the members' page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListedMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub rpps: Option<String>,
    pub commune: Option<String>,
    pub status: MemberStatus,
    /// The admin reading the page (who cannot suspend themselves).
    pub is_me: bool,
}

/// An invitation not used yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub rpps: Option<String>,
    pub commune: Option<String>,
    pub state: InvitationState,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The admin's members page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembersOverview {
    pub members: Vec<ListedMember>,
    pub invitations: Vec<InvitationView>,
    /// The CPTS's communes (the invitation form's choices).
    pub communes: Vec<String>,
    /// Whether members may log in with a password.
    pub password_login: bool,
    /// The active members without a passkey, by name: with passwords off, they cannot log in.
    pub without_passkey: Vec<String>,
}

/// What inviting one person answers: the invitation, and in demo mode its link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invited {
    pub invitation: InvitationView,
    pub demo_link: Option<String>,
}

/// One line of an imported file, as typed, with its problems (none: it will be invited).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportLine {
    /// Its line number in the file (the header is line 1).
    pub line: usize,
    pub input: InviteeInput,
    pub errors: Vec<(Field, FieldProblem)>,
}

/// An import's lines checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// How many lines will be (or were) invited.
    pub valid: usize,
    pub lines: Vec<ImportLine>,
}

/// What an invitation link's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitePage {
    pub name: String,
    pub email: String,
    pub cpts_name: String,
    pub expires_at: DateTime<Utc>,
    /// Whether a password may be chosen (otherwise, a passkey only).
    pub password_login: bool,
}

/// The channels of one kind of notice.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeChoice {
    pub notice: Notice,
    pub channels: Channels,
}

/// A member's profile and preferences, as their page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub rpps: Option<String>,
    pub commune: Option<String>,
    pub communes: Vec<String>,
    pub address: String,
    /// National form (`06 12 34 56 78`), empty when none.
    pub phone: String,
    pub teleconsult: bool,
    /// `HH:MM`, both empty when none.
    pub quiet_start: String,
    pub quiet_end: String,
    pub notices: Vec<NoticeChoice>,
    /// Sessions open on other devices.
    pub other_sessions: i64,
    /// The language chosen for the interface; `None`: the browser's.
    pub lang: Option<crate::i18n::Lang>,
}

/// The profile form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileInput {
    #[serde(default)]
    pub teleconsult: bool,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub quiet_start: String,
    #[serde(default)]
    pub quiet_end: String,
}
