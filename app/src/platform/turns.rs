//! [ssr] Turns: one at a time per key, in this process. A crowd of acceptances of one request
//! waits here for its turn instead of queuing for the database's writer, and the one whose turn
//! comes after the request was taken reads so from the turn, without a query.
//!
//! Only a shortcut: the database still decides, under the request's lock; another process
//! (PostgreSQL, several instances) has turns of its own. That a turn settled the key lives as long
//! as somebody holds or waits for it — a burst — and is only ever said of a committed fact.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// A key's turn, and whether a turn of the burst settled it.
type Slot = Arc<AsyncMutex<bool>>;

/// The turns of each key.
#[derive(Default)]
pub struct Turns {
    slots: Mutex<HashMap<i64, Slot>>,
}

impl Turns {
    /// Waits for `key`'s turn (first come, first served).
    pub async fn take(&self, key: i64) -> Turn<'_> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots.entry(key).or_default().clone()
        };
        Turn { guard: Some(slot.lock_owned().await), key, turns: self }
    }

    /// Keys somebody holds or waits for.
    #[cfg(test)]
    fn busy(&self) -> usize {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// A key's turn, given up when dropped; the last to give it up forgets the key.
pub struct Turn<'a> {
    guard: Option<OwnedMutexGuard<bool>>,
    key: i64,
    turns: &'a Turns,
}

impl Turn<'_> {
    /// Whether an earlier turn of this burst settled the key.
    pub fn settled(&self) -> bool {
        self.guard.as_deref().copied().unwrap_or(false)
    }

    /// Tells the turns that follow that the key is settled (a committed fact).
    pub fn settle(&mut self) {
        if let Some(g) = self.guard.as_mut() {
            **g = true;
        }
    }
}

impl Drop for Turn<'_> {
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
    async fn one_turn_at_a_time_per_key_and_the_next_read_that_it_settled() {
        let turns = Arc::new(Turns::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let told = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (turns, inside, told) = (turns.clone(), inside.clone(), told.clone());
                tokio::spawn(async move {
                    let mut turn = turns.take(7).await;
                    assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "alone in its turn");
                    if turn.settled() {
                        told.fetch_add(1, Ordering::SeqCst);
                    } else {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        turn.settle();
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
        assert!(!turns.take(7).await.settled(), "a new burst starts blank");
    }

    #[tokio::test]
    async fn keys_do_not_wait_for_each_other() {
        let turns = Turns::default();
        let first = turns.take(1).await;
        let other = tokio::time::timeout(Duration::from_secs(1), turns.take(2)).await;
        assert!(other.is_ok(), "another key's turn comes at once");
        assert_eq!(turns.busy(), 2);
        drop(first);
        drop(other);
        assert_eq!(turns.busy(), 0);
    }
}
