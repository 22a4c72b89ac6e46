//! [ssr] The sessions this instance read in the last seconds, kept in memory: a page, the
//! calls it makes, an acceptance tapped right after, each needed the same session read again,
//! one query out of the two of an acceptance and of the seven of *Mes offres*.
//!
//! A remembered session is only ever older than the database by what this instance has not
//! heard of yet. What changes a session or what it carries is announced once committed, and
//! every instance hears it ([`SessionCache::heard`]: through PostgreSQL for the others): a
//! logout, "log out my other devices", a suspension or removal ([`SESSIONS_CHANGED`]), a
//! member's own profile or language ([`MEMBER_CHANGED`]). When the PostgreSQL listener loses its
//! connection, what was announced meanwhile is unknown: everything is forgotten
//! ([`SessionCache::forget_all`]). A read that began before something was forgotten is not
//! remembered ([`Ticket`]), so that it cannot bring back what was just forgotten; a session ended
//! by a login (the browser's previous one, deleted in the login's transaction) is not remembered
//! again ([`SessionCache::forget`]). The end of a session (its absolute end, its idle time) is
//! checked at each use, as before. A change made to the database by hand reaches the sessions
//! remembered within [`REMEMBERED_FOR`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{MEMBER_CHANGED, SESSIONS_CHANGED};
use crate::members::MemberRow;
use crate::platform::live::{Audience, LiveEvent};

/// How long a session read stays in memory.
pub const REMEMBERED_FOR: Duration = Duration::from_secs(10);

/// Above this many, the sessions past [`REMEMBERED_FOR`] are swept out at the next one kept.
const SWEEP_ABOVE: usize = 4096;

/// A session as read: its member, its absolute end and its last use known here.
#[derive(Clone, Debug)]
pub struct Remembered {
    pub member: MemberRow,
    pub expires_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    read_at: Instant,
}

impl Remembered {
    pub fn new(member: MemberRow, expires_at: DateTime<Utc>, last_seen: DateTime<Utc>) -> Self {
        Self { member, expires_at, last_seen, read_at: Instant::now() }
    }
}

/// Given before a read: the read may be remembered only if nothing was forgotten meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Default)]
struct Inner {
    /// Bumped at each forgetting.
    epoch: u64,
    sessions: HashMap<String, Remembered>,
    /// Sessions ended here, not to be remembered again (when they ended).
    ended: HashMap<String, Instant>,
}

/// Session token hashes → the session as read, for [`REMEMBERED_FOR`].
#[derive(Clone, Default)]
pub struct SessionCache(Arc<Mutex<Inner>>);

impl SessionCache {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session of `token_hash` as read less than [`REMEMBERED_FOR`] ago; otherwise the
    /// ticket to remember the read about to be made.
    pub fn get(&self, token_hash: &str) -> Result<Remembered, Ticket> {
        let inner = self.inner();
        match inner.sessions.get(token_hash) {
            Some(r) if r.read_at.elapsed() < REMEMBERED_FOR => Ok(r.clone()),
            _ => Err(Ticket(inner.epoch)),
        }
    }

    /// Keeps a session read with `ticket`, unless something was forgotten since the ticket.
    pub fn keep(&self, ticket: Ticket, token_hash: &str, session: Remembered) {
        let mut inner = self.inner();
        if inner.epoch != ticket.0 || inner.ended.contains_key(token_hash) {
            return;
        }
        if inner.sessions.len() >= SWEEP_ABOVE {
            inner.sessions.retain(|_, r| r.read_at.elapsed() < REMEMBERED_FOR);
        }
        inner.sessions.insert(token_hash.to_string(), session);
    }

    /// Notes a use of a remembered session (its last use, once the use is written and no longer
    /// pending, is still known here).
    pub fn used(&self, token_hash: &str, at: DateTime<Utc>) {
        if let Some(r) = self.inner().sessions.get_mut(token_hash) {
            r.last_seen = r.last_seen.max(at);
        }
    }

    /// Forgets one session, ended (or about to be, in a transaction not committed yet): it is
    /// not remembered again for [`REMEMBERED_FOR`], whatever a read meanwhile finds.
    pub fn forget(&self, token_hash: &str) {
        let mut inner = self.inner();
        inner.epoch += 1;
        inner.sessions.remove(token_hash);
        inner.ended.retain(|_, at| at.elapsed() < REMEMBERED_FOR);
        inner.ended.insert(token_hash.to_string(), Instant::now());
    }

    /// Forgets every session.
    pub fn forget_all(&self) {
        let mut inner = self.inner();
        inner.epoch += 1;
        inner.sessions.clear();
    }

    /// Forgets every session of a member.
    pub fn forget_member(&self, member_id: i64) {
        let mut inner = self.inner();
        inner.epoch += 1;
        inner.sessions.retain(|_, r| r.member.id != member_id);
    }

    /// Forgets the sessions that committed events say changed ([`SESSIONS_CHANGED`],
    /// [`MEMBER_CHANGED`]), from this instance or, through PostgreSQL, another.
    pub fn heard(&self, event: &LiveEvent) {
        if let (Audience::Member(id), SESSIONS_CHANGED | MEMBER_CHANGED) = (event.audience, event.kind.as_str()) {
            self.forget_member(id);
        }
    }

    /// How many sessions are remembered (swept or not).
    pub fn len(&self) -> usize {
        self.inner().sessions.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn member(id: i64) -> MemberRow {
        MemberRow {
            id,
            cpts_id: 1,
            email: format!("m{id}@example.test"),
            display_name: format!("M{id}"),
            role: Role::Clinician,
            profession: None,
            commune: None,
            location: None,
            teleconsult: false,
            lang: None,
        }
    }

    fn session(id: i64) -> Remembered {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 9, 0, 0).unwrap();
        Remembered::new(member(id), at + chrono::Duration::hours(12), at)
    }

    #[test]
    fn a_read_is_remembered_and_given_back() {
        let cache = SessionCache::default();
        let ticket = cache.get("a").unwrap_err();
        cache.keep(ticket, "a", session(1));
        assert_eq!(cache.get("a").unwrap().member.id, 1);
        assert!(cache.get("b").is_err(), "another token is read from the database");
    }

    #[test]
    fn a_read_that_began_before_a_forgetting_is_not_remembered() {
        let cache = SessionCache::default();
        let ticket = cache.get("a").unwrap_err();
        cache.forget_member(1);
        cache.keep(ticket, "a", session(1));
        assert!(cache.get("a").is_err(), "the read may predate the change that was forgotten");
        let again = cache.get("a").unwrap_err();
        cache.keep(again, "a", session(1));
        assert!(cache.get("a").is_ok());
    }

    #[test]
    fn forgetting_a_member_forgets_all_their_sessions_and_theirs_only() {
        let cache = SessionCache::default();
        for (hash, id) in [("a", 1), ("b", 1), ("c", 2)] {
            let ticket = cache.get(hash).unwrap_err();
            cache.keep(ticket, hash, session(id));
        }
        cache.heard(&LiveEvent::member_notice(1, "offer_new"));
        assert_eq!(cache.len(), 3, "other events change no session");
        cache.heard(&LiveEvent::member_notice(1, SESSIONS_CHANGED));
        assert!(cache.get("a").is_err() && cache.get("b").is_err());
        assert_eq!(cache.get("c").unwrap().member.id, 2);
        cache.heard(&LiveEvent::member_notice(2, MEMBER_CHANGED));
        assert!(cache.is_empty(), "a member's own change forgets their sessions too");
    }

    #[test]
    fn a_session_ended_here_is_not_remembered_again_by_a_read_that_still_found_it() {
        let cache = SessionCache::default();
        // The login that replaces it has deleted it, not committed yet: a read still finds it.
        cache.forget("a");
        let ticket = cache.get("a").unwrap_err();
        cache.keep(ticket, "a", session(1));
        assert!(cache.get("a").is_err());
        let ticket = cache.get("b").unwrap_err();
        cache.keep(ticket, "b", session(1));
        assert!(cache.get("b").is_ok(), "another session is remembered");
    }

    #[test]
    fn everything_is_forgotten_when_announcements_may_have_been_missed() {
        let cache = SessionCache::default();
        let before = cache.get("a").unwrap_err();
        for (hash, id) in [("a", 1), ("b", 2)] {
            let ticket = cache.get(hash).unwrap_err();
            cache.keep(ticket, hash, session(id));
        }
        cache.forget_all();
        assert!(cache.is_empty());
        cache.keep(before, "a", session(1));
        assert!(cache.is_empty(), "nor a read that began before");
    }

    #[test]
    fn a_read_older_than_its_time_is_made_again() {
        let cache = SessionCache::default();
        let ticket = cache.get("a").unwrap_err();
        let mut old = session(1);
        old.read_at = Instant::now().checked_sub(REMEMBERED_FOR).unwrap();
        cache.keep(ticket, "a", old);
        assert!(cache.get("a").is_err());
    }

    #[test]
    fn a_use_noted_is_kept_with_the_session() {
        let cache = SessionCache::default();
        let ticket = cache.get("a").unwrap_err();
        let s = session(1);
        let later = s.last_seen + chrono::Duration::minutes(30);
        cache.keep(ticket, "a", s.clone());
        cache.used("a", later);
        cache.used("a", s.last_seen);
        assert_eq!(cache.get("a").unwrap().last_seen, later);
    }
}
