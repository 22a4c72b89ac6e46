//! [ssr] Turns: one at a time per key, in this process. A crowd of acceptances of one request
//! waits here for its turn instead of queuing for the database's writer, and the one whose turn
//! comes after the request was taken reads so from the turn, without a query.
//!
//! Only a shortcut: the database still decides, under the request's lock; another process
//! (PostgreSQL, several instances) has turns of its own. What a turn remembers lives as long as
//! somebody holds or waits for it — a burst — and is only ever a committed fact.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

type Slot<V> = Arc<AsyncMutex<Option<V>>>;

/// The turns of each key; `V` is what a turn may leave for the next (a committed outcome).
pub struct Turns<V> {
    slots: Mutex<HashMap<i64, Slot<V>>>,
}

impl<V> Default for Turns<V> {
    fn default() -> Self {
        Self { slots: Mutex::default() }
    }
}

impl<V> Turns<V> {
    /// Waits for `key`'s turn (first come, first served).
    pub async fn take(&self, key: i64) -> Turn<'_, V> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots.entry(key).or_default().clone()
        };
        Turn { guard: Some(slot.lock_owned().await), key, turns: self }
    }

    /// Keys somebody holds or waits for.
    pub fn busy(&self) -> usize {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// A key's turn, given up when dropped; the last to give it up forgets the key.
pub struct Turn<'a, V> {
    guard: Option<OwnedMutexGuard<Option<V>>>,
    key: i64,
    turns: &'a Turns<V>,
}

impl<V> Turn<'_, V> {
    /// What an earlier turn of this burst left.
    pub fn left(&self) -> Option<&V> {
        self.guard.as_ref().and_then(|g| g.as_ref())
    }

    /// Leaves `value` for the turns that follow.
    pub fn leave(&mut self, value: V) {
        if let Some(g) = self.guard.as_mut() {
            **g = Some(value);
        }
    }
}

impl<V> Drop for Turn<'_, V> {
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else { return };
        let slot = Arc::clone(OwnedMutexGuard::mutex(&guard));
        drop(guard);
        let mut slots = self.turns.slots.lock().unwrap_or_else(PoisonError::into_inner);
        // Ours and the map's: nobody else waits (a newcomer clones it under the map's lock).
        if Arc::strong_count(&slot) == 2 {
            slots.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Turns;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn one_turn_at_a_time_per_key_and_what_it_leaves_is_read_by_the_next() {
        let turns = Arc::new(Turns::<&'static str>::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let told = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (turns, inside, told) = (turns.clone(), inside.clone(), told.clone());
                tokio::spawn(async move {
                    let mut turn = turns.take(7).await;
                    assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "alone in its turn");
                    if turn.left().is_some() {
                        told.fetch_add(1, Ordering::SeqCst);
                    } else {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        turn.leave("taken");
                    }
                    inside.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(told.load(Ordering::SeqCst), 49, "all but the first read the first's outcome");
        assert_eq!(turns.busy(), 0, "the burst over, the key is forgotten");
        assert!(turns.take(7).await.left().is_none(), "a new burst starts blank");
    }

    #[tokio::test]
    async fn keys_do_not_wait_for_each_other() {
        let turns = Turns::<()>::default();
        let first = turns.take(1).await;
        let other = tokio::time::timeout(Duration::from_secs(1), turns.take(2)).await;
        assert!(other.is_ok(), "another key's turn comes at once");
        assert_eq!(turns.busy(), 2);
        drop(first);
        drop(other);
        assert_eq!(turns.busy(), 0);
    }
}
