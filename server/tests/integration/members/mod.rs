//! Members and access: invitations, suspension, profile and notice preferences.

mod contract;
mod http;
mod sms;
