//! Duty vacations: the store contract on both back-ends, HTTP, reminders and e-mails.

mod contract;
mod http;
mod reminders;
