//! The one error type the server functions return, with its HTTP status and a French message
//! for each case: the one place where what went wrong becomes what the caller is told.
//! Internal details are logged on the server and never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::dispatch::rules::{AcceptOfferError, IllegalTransition};
use crate::domain::{FieldErrors, RedFlag};
use crate::i18n::t;
use crate::planning::rules::RuleViolation;

#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ssr", derive(Deserialize))]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("not logged in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("bad credentials")]
    BadCredentials,
    #[error("too many attempts")]
    TooManyAttempts { retry_in_minutes: i64 },
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("red flags: call the 15")]
    RedFlags(Vec<RedFlag>),
    #[error("outside opening hours")]
    OutsideOpeningHours,
    #[error("deadline passed")]
    DeadlinePassed,
    #[error("offer: {0}")]
    Offer(AcceptOfferError),
    #[error("illegal transition")]
    Illegal(IllegalTransition),
    #[error("changed by someone else")]
    Conflict,
    #[error("planning rule: {0}")]
    Rule(RuleViolation),
    #[error("internal error")]
    Internal,
    #[error("database unavailable")]
    Unavailable,
    #[error("body too large")]
    TooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("request: {0}")]
    Request(String),
    /// A dental referral with a sign of a medical emergency: call the 15 (the signs).
    #[error("call the 15")]
    #[serde(rename = "call_the_15")]
    CallThe15(Vec<String>),
    /// Not a case for the dental rota: the patient sees their own dentist.
    #[error("not urgent")]
    NotUrgent,
    /// No dentist holds a morning of the rota ahead.
    #[error("no dentist on the rota")]
    NoDentist,
    /// No teleconsulting doctor of the CPTS is available now: nothing was sent.
    #[error("nobody available")]
    NobodyAvailable,
    /// A teleconsultation's doctors were already asked once more.
    #[error("already widened once")]
    AlreadyRewidened,
    /// A slot cannot be booked (taken, closed, begun, not open to the SAS).
    #[error("slot: {0}")]
    Slot(crate::slots::rules::BookingError),
    /// The slot does not fit the request (profession, mode, distance, deadline).
    #[error("slot does not fit")]
    SlotMisfit,
    /// The member's access is suspended by the CPTS.
    #[error("suspended")]
    Suspended,
    /// The CPTS lets its members in by passkey (or Pro Santé Connect) only.
    #[error("password login disabled")]
    PasswordDisabled,
    /// A passkey the server does not recognise (or whose ceremony is over).
    #[error("passkey refused")]
    Passkey,
    /// Passkeys cannot work at the address Relais is served from.
    #[error("passkeys unavailable")]
    PasskeysUnavailable,
    /// Turning passwords off needs a passkey of one's own first.
    #[error("needs a passkey")]
    NeedsPasskey,
    /// An invitation link that no longer opens an account: used, withdrawn, expired.
    #[error("invitation {0:?}")]
    Invitation(crate::members::rules::InvitationState),
    /// An error as the browser reads it from the server's answer: its `message`, already in the
    /// reader's language. The browser needs nothing more to say what went wrong, so its
    /// WebAssembly carries neither the other errors' details nor their texts (see the
    /// `Deserialize` below). Never sent.
    #[error("{0}")]
    #[serde(skip)]
    Told(String),
}

/// In the browser, an error answer (`{ "code", "field", "message", "detail" }`, see
/// [`AppError::body`]) is read as what it says: [`AppError::Told`].
#[cfg(not(feature = "ssr"))]
impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Answer {
            message: String,
        }
        Answer::deserialize(deserializer).map(|a| AppError::Told(a.message))
    }
}

impl AppError {
    /// What the person reads. In the browser, where an error is what the server told
    /// ([`AppError::Told`]) or a call that did not go through, only those are spelled out.
    #[cfg(not(feature = "ssr"))]
    pub fn message(&self) -> String {
        match self {
            AppError::Told(message) => message.clone(),
            AppError::Request(_) => t::ERR_BAD_REQUEST().into(),
            _ => t::ERR_INTERNAL().into(),
        }
    }

    /// What the person reads.
    #[cfg(feature = "ssr")]
    pub fn message(&self) -> String {
        match self {
            AppError::Unauthenticated => t::ERR_UNAUTHENTICATED().into(),
            AppError::Forbidden => t::ERR_FORBIDDEN().into(),
            AppError::NotFound => t::ERR_NOT_FOUND().into(),
            AppError::BadCredentials => t::ERR_BAD_CREDENTIALS().into(),
            AppError::TooManyAttempts { retry_in_minutes } => t::err_too_many_attempts(*retry_in_minutes),
            AppError::Invalid(errors) => t::invalid_fields(errors),
            AppError::RedFlags(_) => t::ERR_RED_FLAGS().into(),
            AppError::OutsideOpeningHours => t::ERR_OUTSIDE_HOURS().into(),
            AppError::DeadlinePassed => t::ERR_DEADLINE_PASSED().into(),
            AppError::Offer(e) => t::accept_error(*e).into(),
            AppError::Illegal(t) => t::illegal_transition(*t),
            AppError::Conflict => t::ERR_CONFLICT().into(),
            AppError::Rule(r) => t::rule_violation(*r),
            AppError::Internal => t::ERR_INTERNAL().into(),
            AppError::Unavailable => t::ERR_UNAVAILABLE().into(),
            AppError::TooLarge => t::ERR_TOO_LARGE().into(),
            AppError::UnsupportedMediaType => t::ERR_UNSUPPORTED_MEDIA_TYPE().into(),
            AppError::Request(_) => t::ERR_BAD_REQUEST().into(),
            AppError::CallThe15(_) => t::ERR_DENTAL_CALL_15().into(),
            AppError::NotUrgent => t::ERR_NOT_URGENT().into(),
            AppError::NoDentist => t::ERR_NO_DENTIST().into(),
            AppError::NobodyAvailable => t::ERR_NOBODY_AVAILABLE().into(),
            AppError::AlreadyRewidened => t::ERR_ALREADY_REWIDENED().into(),
            AppError::Slot(e) => t::booking_error(*e).into(),
            AppError::SlotMisfit => t::ERR_SLOT_MISFIT().into(),
            AppError::Suspended => t::ERR_SUSPENDED().into(),
            AppError::Passkey => t::ERR_PASSKEY().into(),
            AppError::PasskeysUnavailable => t::ERR_PASSKEYS_UNAVAILABLE().into(),
            AppError::PasswordDisabled => t::ERR_PASSWORD_DISABLED().into(),
            AppError::NeedsPasskey => t::ERR_NEEDS_PASSKEY().into(),
            AppError::Invitation(s) => t::invitation_unusable(*s).into(),
            AppError::Told(message) => message.clone(),
        }
    }

    /// The HTTP status for API clients.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::BadCredentials | AppError::Passkey => 401,
            AppError::PasskeysUnavailable | AppError::NeedsPasskey => 409,
            AppError::Forbidden | AppError::Suspended | AppError::PasswordDisabled => 403,
            AppError::Invitation(_) => 410,
            AppError::NotFound => 404,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Invalid(_)
            | AppError::RedFlags(_)
            | AppError::Request(_)
            | AppError::CallThe15(_)
            | AppError::NotUrgent => 422,
            AppError::NoDentist
            | AppError::NobodyAvailable
            | AppError::AlreadyRewidened
            | AppError::Slot(_)
            | AppError::SlotMisfit => 409,
            AppError::OutsideOpeningHours
            | AppError::DeadlinePassed
            | AppError::Offer(_)
            | AppError::Illegal(_)
            | AppError::Conflict
            | AppError::Rule(_) => 409,
            AppError::Internal | AppError::Told(_) => 500,
            AppError::Unavailable => 503,
            AppError::TooLarge => 413,
            AppError::UnsupportedMediaType => 415,
        }
    }

    /// The field in question, when there is one: the first of a form's errors.
    pub fn field(&self) -> Option<crate::domain::Field> {
        self.field_errors().and_then(|e| e.0.first()).map(|(f, _)| *f)
    }

    /// What every error answers with, whoever produces it (server functions, the security layer,
    /// the body limit): `{ "code", "field", "message", "detail" }`. `code` is stable (docs/api.md),
    /// `field` names the first field in question (or is null), `message` is French and says what
    /// to do, `detail` carries the specifics (every field error, the rule broken, the red flags).
    pub fn body(&self) -> serde_json::Value {
        let mut body = serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({ "code": "internal" }));
        if let Some(map) = body.as_object_mut() {
            map.insert("field".into(), serde_json::to_value(self.field()).unwrap_or_default());
            map.insert("message".into(), self.message().into());
        }
        body
    }

    /// The answer of a download (a CSV export) that cannot be given: its status and its message,
    /// as plain text in the current language, for the browser that followed the link.
    #[cfg(feature = "ssr")]
    pub fn as_text(&self) -> axum::response::Response {
        use axum::response::IntoResponse;
        let status =
            axum::http::StatusCode::from_u16(self.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.message()).into_response()
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(e) => Some(e),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn ser(&self) -> leptos::server_fn::Bytes {
        leptos::server_fn::Bytes::from(self.body().to_string())
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::Deserialization(e) => AppError::Request(e),
            _ => AppError::Internal,
        };
        // On the server, a malformed call is the caller's fault: answer 422, not 500.
        #[cfg(feature = "ssr")]
        let error = super::ctx::finish::<()>(Err(error)).unwrap_err();
        error
    }
}

/// A page's query (with or without its `?`) less what a refused plain form added to it —
/// server_fn's `__err` and `__path` — as it goes after the path: `?…`, or nothing at all.
pub fn query_without_form_error(query: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("__err=") && !p.starts_with("__path="))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

// Each capability's operations say what went wrong in their own terms; here, and only here,
// that becomes what the caller is told. Database failures are logged and answered as an
// internal error: their details never reach the browser.

#[cfg(feature = "ssr")]
impl From<crate::platform::db::StoreError> for AppError {
    fn from(e: crate::platform::db::StoreError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            return AppError::Unavailable;
        }
        tracing::error!(error = %e, "store failure");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::dispatch::DispatchError> for AppError {
    fn from(e: crate::dispatch::DispatchError) -> Self {
        use crate::dispatch::DispatchError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::RedFlags(flags) => AppError::RedFlags(flags),
            E::OutsideOpeningHours => AppError::OutsideOpeningHours,
            E::DeadlinePassed => AppError::DeadlinePassed,
            E::Offer(e) => AppError::Offer(e),
            E::Illegal(t) => AppError::Illegal(t),
            E::Conflict => AppError::Conflict,
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::planning::PlanningError> for AppError {
    fn from(e: crate::planning::PlanningError) -> Self {
        use crate::planning::PlanningError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::Rule(r) => AppError::Rule(r),
            E::Conflict => AppError::Conflict,
            E::UnknownKind => AppError::Request("kind".into()),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::push::PushError> for AppError {
    fn from(e: crate::push::PushError) -> Self {
        use crate::push::PushError as E;
        match e {
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::auth::AuthError> for AppError {
    fn from(e: crate::auth::AuthError) -> Self {
        use crate::auth::AuthError as E;
        match e {
            E::BadCredentials => AppError::BadCredentials,
            E::Suspended => AppError::Suspended,
            E::PasswordDisabled => AppError::PasswordDisabled,
            E::PasskeyRefused => AppError::Passkey,
            E::PasskeysUnavailable => AppError::PasskeysUnavailable,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::TooManyAttempts { retry_in_minutes } => AppError::TooManyAttempts { retry_in_minutes },
            E::Internal => AppError::Internal,
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::members::MembersError> for AppError {
    fn from(e: crate::members::MembersError) -> Self {
        use crate::members::MembersError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::Invitation(state) => AppError::Invitation(state),
            E::Conflict => AppError::Conflict,
            E::Internal => AppError::Internal,
            E::NeedsPasskey => AppError::NeedsPasskey,
            E::PasswordDisabled => AppError::PasswordDisabled,
            E::Passkey(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database failure");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::dental::DentalError> for AppError {
    fn from(e: crate::dental::DentalError) -> Self {
        use crate::dental::DentalError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::CallThe15(signs) => AppError::CallThe15(signs),
            E::NotUrgent => AppError::NotUrgent,
            E::NoDentist => AppError::NoDentist,
            E::Conflict => AppError::Conflict,
            E::Planning(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::teleconsult::TeleconsultError> for AppError {
    fn from(e: crate::teleconsult::TeleconsultError) -> Self {
        use crate::teleconsult::TeleconsultError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::RedFlags(flags) => AppError::RedFlags(flags),
            E::NobodyAvailable => AppError::NobodyAvailable,
            E::AlreadyRewidened => AppError::AlreadyRewidened,
            E::Room(_) => AppError::Conflict,
            E::Token(e) => {
                tracing::error!(error = %e, "teleconsultation token");
                AppError::Internal
            }
            E::Dispatch(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::slots::SlotsError> for AppError {
    fn from(e: crate::slots::SlotsError) -> Self {
        use crate::slots::SlotsError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::Booking(b) => AppError::Slot(b),
            E::Misfit => AppError::SlotMisfit,
            E::Sas(problem) => AppError::Request(problem.diagnostics),
            E::Conflict => AppError::Conflict,
            E::Dispatch(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::indicators::IndicatorsError> for AppError {
    fn from(e: crate::indicators::IndicatorsError) -> Self {
        use crate::indicators::IndicatorsError as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::Invalid(errors) => AppError::Invalid(errors),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::query_without_form_error as q;

    #[test]
    fn a_refused_forms_error_leaves_the_query_and_the_rest_stays() {
        assert_eq!(q("?__path=%2Fmembres&__err=%7B%7D"), "");
        assert_eq!(q("?"), "");
        assert_eq!(q(""), "");
        assert_eq!(q("semaine=2&__err=x"), "?semaine=2");
        assert_eq!(q("?a=1&__path=p&b=2&&"), "?a=1&b=2");
        assert_eq!(q("?my__err=1"), "?my__err=1");
    }
}
