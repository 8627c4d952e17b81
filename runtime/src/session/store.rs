//! Where sessions and login throttles live: a small key-value contract with expiry and an
//! atomic counter, which an in-memory map keeps for one instance and Redis for several.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The future a [`Store`] method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A key-value store with expiry, shared by every instance of the application that should
/// behave as one. Keys are palisade's own (hashed session ids, hashed account names); values
/// are opaque bytes.
pub trait Store: Send + Sync + 'static {
    /// The value under `key`, unless it is missing or has expired.
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>>;
    /// Puts `value` under `key`, to expire after `ttl`.
    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()>;
    /// Removes `key`.
    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
    /// Adds one to the counter under `key`, atomically across every user of the store, and
    /// returns the new count; a counter that did not exist starts at one and expires after
    /// `ttl`.
    fn increment<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, u64>;
    /// Takes one back from the counter under `key`, atomically, where it exists and is above
    /// zero (a reservation that was not used); a missing counter stays missing.
    fn decrement<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
    /// Puts `value` under `key` only where `key` holds a live value already, and says whether
    /// it did: a value deleted meanwhile (a session ended by a logout) stays deleted.
    fn replace<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, bool>;
    /// Claims the time slot under `key` (see [`Slot`]): where `key` is missing or holds a time
    /// at or before `slot.now`, it is set to `slot.until` (to expire after `slot.ttl`) and
    /// `None` answers; otherwise the time it holds answers and nothing changes. Atomic across
    /// every user of the store, so that of concurrent callers one claims the slot.
    fn claim<'a>(&'a self, key: &'a str, slot: Slot) -> StoreFuture<'a, Option<u64>>;
    /// Appends `item` to the list under `key` (a new list expires after `ttl`, and every
    /// append renews it), keeps the newest `cap` items, and answers the ones it dropped, oldest
    /// first. Atomic across every user of the store.
    fn append_capped<'a>(
        &'a self,
        key: &'a str,
        item: Vec<u8>,
        cap: usize,
        ttl: Duration,
    ) -> StoreFuture<'a, Vec<Vec<u8>>>;
}

/// A time slot to claim with [`Store::claim`]: the caller's `now` and the end of the slot
/// `until`, in seconds on the caller's clock, and how long the store keeps the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The caller's time.
    pub now: u64,
    /// The end of the slot it claims.
    pub until: u64,
    /// How long the store keeps the claim.
    pub ttl: Duration,
}

/// The store could not answer. Its `Display` names no key and no value: it may reach logs, never
/// a client, which gets a 503 problem.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreError {
    what: &'static str,
}

impl StoreError {
    /// An error saying what failed, in words that carry no data.
    pub const fn new(what: &'static str) -> Self {
        Self { what }
    }
}

impl fmt::Debug for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreError({:?})", self.what)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the session store failed: {}", self.what)
    }
}

impl std::error::Error for StoreError {}

/// The most entries a [`MemoryStore`] holds by default.
pub const MEMORY_STORE_CAPACITY: usize = 1_000_000;

/// The embedded store: a map in this process, for one instance. Expired entries are dropped
/// when read and swept when the map is full; a map still full after the sweep refuses new
/// entries (logins then answer 503) instead of growing without bound.
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Entry>>,
    capacity: usize,
}

enum Value {
    Bytes(Vec<u8>),
    Counter(u64),
    List(std::collections::VecDeque<Vec<u8>>),
}

struct Entry {
    value: Value,
    expires: Instant,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_capacity(MEMORY_STORE_CAPACITY)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// An empty store of [`MEMORY_STORE_CAPACITY`] entries.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that holds at most `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while the lock was held left no half-written entry: every write is one
        // insert or remove.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Room for one more entry under `key`, sweeping expired ones when full.
    fn room(
        &self,
        entries: &mut HashMap<String, Entry>,
        key: &str,
        now: Instant,
    ) -> Result<(), StoreError> {
        if entries.len() < self.capacity || entries.contains_key(key) {
            return Ok(());
        }
        entries.retain(|_, entry| entry.expires > now);
        if entries.len() < self.capacity {
            Ok(())
        } else {
            Err(StoreError::new("the in-memory store is full"))
        }
    }
}

impl Store for MemoryStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        let now = Instant::now();
        let mut entries = self.lock();
        let value = match entries.get(key) {
            Some(entry) if entry.expires <= now => {
                entries.remove(key);
                None
            }
            Some(Entry {
                value: Value::Bytes(bytes),
                ..
            }) => Some(bytes.clone()),
            Some(Entry {
                value: Value::Counter(count),
                ..
            }) => Some(count.to_string().into_bytes()),
            // A list is read by the step that writes it, not by `get`.
            Some(Entry {
                value: Value::List(_),
                ..
            })
            | None => None,
        };
        Box::pin(std::future::ready(Ok(value)))
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()> {
        let now = Instant::now();
        let mut entries = self.lock();
        let result = self.room(&mut entries, key, now).map(|()| {
            entries.insert(
                key.to_owned(),
                Entry {
                    value: Value::Bytes(value),
                    expires: now + ttl,
                },
            );
        });
        Box::pin(std::future::ready(result))
    }

    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        self.lock().remove(key);
        Box::pin(std::future::ready(Ok(())))
    }

    fn increment<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, u64> {
        let now = Instant::now();
        let mut entries = self.lock();
        let result = match entries.get_mut(key) {
            Some(Entry {
                value: Value::Counter(count),
                expires,
            }) if *expires > now => {
                *count += 1;
                Ok(*count)
            }
            _ => self.room(&mut entries, key, now).map(|()| {
                entries.insert(
                    key.to_owned(),
                    Entry {
                        value: Value::Counter(1),
                        expires: now + ttl,
                    },
                );
                1
            }),
        };
        Box::pin(std::future::ready(result))
    }

    fn decrement<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        let now = Instant::now();
        if let Some(Entry {
            value: Value::Counter(count),
            expires,
        }) = self.lock().get_mut(key)
            && *expires > now
        {
            *count = count.saturating_sub(1);
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn replace<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, bool> {
        let now = Instant::now();
        let replaced = match self.lock().get_mut(key) {
            Some(entry) if entry.expires > now => {
                *entry = Entry {
                    value: Value::Bytes(value),
                    expires: now + ttl,
                };
                true
            }
            _ => false,
        };
        Box::pin(std::future::ready(Ok(replaced)))
    }

    fn claim<'a>(&'a self, key: &'a str, slot: Slot) -> StoreFuture<'a, Option<u64>> {
        let instant = Instant::now();
        let mut entries = self.lock();
        let held = match entries.get(key) {
            Some(entry) if entry.expires > instant => match &entry.value {
                Value::Bytes(bytes) => std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|text| text.parse::<u64>().ok()),
                Value::Counter(count) => Some(*count),
                Value::List(_) => None,
            },
            _ => None,
        };
        let result = match held {
            Some(held) if held > slot.now => Ok(Some(held)),
            _ => self.room(&mut entries, key, instant).map(|()| {
                entries.insert(
                    key.to_owned(),
                    Entry {
                        value: Value::Bytes(slot.until.to_string().into_bytes()),
                        expires: instant + slot.ttl,
                    },
                );
                None
            }),
        };
        Box::pin(std::future::ready(result))
    }

    fn append_capped<'a>(
        &'a self,
        key: &'a str,
        item: Vec<u8>,
        cap: usize,
        ttl: Duration,
    ) -> StoreFuture<'a, Vec<Vec<u8>>> {
        let now = Instant::now();
        let mut entries = self.lock();
        let result = match entries.get_mut(key) {
            Some(Entry {
                value: Value::List(items),
                expires,
            }) if *expires > now => {
                items.push_back(item);
                *expires = now + ttl;
                let over = items.len().saturating_sub(cap);
                Ok(items.drain(..over).collect())
            }
            _ => self.room(&mut entries, key, now).map(|()| {
                let mut items = std::collections::VecDeque::from([item]);
                let over = items.len().saturating_sub(cap);
                let dropped = items.drain(..over).collect();
                entries.insert(
                    key.to_owned(),
                    Entry {
                        value: Value::List(items),
                        expires: now + ttl,
                    },
                );
                dropped
            }),
        };
        Box::pin(std::future::ready(result))
    }
}
