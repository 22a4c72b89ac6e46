//! [ssr] When each session was last used, kept in memory and written to the database in one
//! transaction by the job loop ([`flush`]), instead of one write per request.
//!
//! A session's last use decides when it ends unused (`session_idle_minutes`, hours); it is kept
//! to the minute. Written at once, a crowd of members answering together (500 acceptances of
//! one request) each waited for the one writer of SQLite behind the others. Kept here, a request
//! only reads; this instance reads its own notes ([`SessionUses::last`]), so its answer is the
//! same as if they had been written. Another instance sees them at the next flush (seconds
//! later, against an idle time of hours). A crash forgets at most one interval of uses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::{store, AuthError};
use crate::platform::AppState;

/// Session token hashes → their latest use not yet written.
#[derive(Clone, Default)]
pub struct SessionUses(Arc<Mutex<HashMap<String, DateTime<Utc>>>>);

impl SessionUses {
    /// Notes that the session of `token_hash` was used at `at`.
    pub fn note(&self, token_hash: &str, at: DateTime<Utc>) {
        let mut uses = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let last = uses.entry(token_hash.to_string()).or_insert(at);
        *last = (*last).max(at);
    }

    /// The latest use of a session noted here and not written yet.
    pub fn last(&self, token_hash: &str) -> Option<DateTime<Utc>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).get(token_hash).copied()
    }

    /// How many uses wait to be written.
    pub fn pending(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    fn take(&self) -> HashMap<String, DateTime<Utc>> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Puts back uses that could not be written, keeping any later one noted meanwhile.
    fn restore(&self, uses: HashMap<String, DateTime<Utc>>) {
        for (hash, at) in uses {
            self.note(&hash, at);
        }
    }
}

/// Writes the noted uses in one transaction. Returns how many sessions were written; on a
/// failure, the uses stay noted for the next flush.
///
/// # Errors
/// On a database failure.
pub async fn flush(state: &AppState) -> Result<usize, AuthError> {
    let uses = state.session_uses.take();
    if uses.is_empty() {
        return Ok(0);
    }
    let written = async {
        let mut tx = state.store.begin().await?;
        for (hash, at) in &uses {
            store::touch_session(&mut tx, hash, *at).await?;
        }
        tx.commit().await?;
        Ok::<_, AuthError>(uses.len())
    }
    .await;
    if written.is_err() {
        state.session_uses.restore(uses);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 9, minute, 0).unwrap()
    }

    #[test]
    fn the_latest_use_of_each_session_is_kept() {
        let uses = SessionUses::default();
        uses.note("a", at(5));
        uses.note("a", at(3));
        uses.note("b", at(1));
        assert_eq!(uses.last("a"), Some(at(5)));
        assert_eq!(uses.last("b"), Some(at(1)));
        assert_eq!(uses.last("c"), None);
        assert_eq!(uses.pending(), 2);
    }

    #[test]
    fn uses_put_back_after_a_failed_write_do_not_hide_later_ones() {
        let uses = SessionUses::default();
        uses.note("a", at(5));
        uses.note("b", at(5));
        let taken = uses.take();
        assert_eq!(uses.pending(), 0);
        uses.note("a", at(7));
        uses.restore(taken);
        assert_eq!(uses.last("a"), Some(at(7)));
        assert_eq!(uses.last("b"), Some(at(5)));
    }
}
