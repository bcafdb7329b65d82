//! The ports the application layer works over: a key-value storage (the browser's local storage
//! in the app, `MemoryKv` in tests), a clock, and — passed as `rand_core::RngCore + CryptoRng` —
//! a source of randomness. Every byte the app stores goes through `KeyValue`, so a layer that
//! seals values can wrap it without its callers changing.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvError {
    /// The browser refused the write for lack of space.
    QuotaExceeded,
    /// Storage is disabled or absent (private mode, blocked by settings).
    Unavailable,
    Other(String),
    /// The values are sealed and the data key is not held: the app is locked (or the lock is not
    /// set up yet).
    Locked,
    /// The data key held is not the one the storage is sealed with: another tab changed the lock
    /// (a new key) since this one was unlocked. Nothing was read or written; unlock again.
    WrongKey,
    /// The value under this key does not open with the data key that opens the lock record's
    /// key check: changed or damaged on the device, moved from another key, or a plain value
    /// where only sealed ones are accepted. It is left as it is.
    Damaged(String),
}

impl std::fmt::Display for KvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KvError::QuotaExceeded => f.write_str("the storage is full"),
            KvError::Unavailable => f.write_str("the storage is not available"),
            KvError::Other(why) => write!(f, "the storage failed: {why}"),
            KvError::Locked => f.write_str("the storage is locked"),
            KvError::WrongKey => {
                f.write_str("the lock was changed elsewhere: the key held here no longer opens it")
            }
            KvError::Damaged(key) => write!(f, "the stored value {key} does not open"),
        }
    }
}

impl std::error::Error for KvError {}

/// The least a storage must offer. Writes of one key are atomic.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, KvError>;
    /// The value exactly as stored, even when `get` cannot open it (a sealing layer's sealed
    /// text): what a raw export of unreadable data hands on.
    fn get_raw(&self, key: &str) -> Result<Option<String>, KvError> {
        self.get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError>;
    fn keys(&self) -> Result<Vec<String>, KvError>;
    fn remove(&mut self, key: &str) -> Result<(), KvError>;
}

/// Storage in memory, for tests and as the model of the browser's.
#[derive(Clone, Debug, Default)]
pub struct MemoryKv {
    pub entries: BTreeMap<String, String>,
    /// When set, writes that would make the total exceed this many bytes fail with quota errors.
    pub quota_bytes: Option<usize>,
    /// How many writes succeeded: tests count the work an action does through it.
    pub writes: usize,
}

impl MemoryKv {
    fn used_bytes_with(&self, key: &str, value: &str) -> usize {
        self.entries
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
            + key.len()
            + value.len()
    }
}

impl KeyValue for MemoryKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        if let Some(quota) = self.quota_bytes {
            if self.used_bytes_with(key, value) > quota {
                return Err(KvError::QuotaExceeded);
            }
        }
        self.entries.insert(key.to_owned(), value.to_owned());
        self.writes += 1;
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, KvError> {
        Ok(self.entries.keys().cloned().collect())
    }

    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.entries.remove(key);
        Ok(())
    }
}

/// One storage seen by several repositories, as two tabs see one origin's local storage.
impl<K: KeyValue> KeyValue for std::rc::Rc<std::cell::RefCell<K>> {
    fn get_raw(&self, key: &str) -> Result<Option<String>, KvError> {
        self.borrow().get_raw(key)
    }

    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.borrow().get(key)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        self.borrow_mut().set(key, value)
    }

    fn keys(&self) -> Result<Vec<String>, KvError> {
        self.borrow().keys()
    }

    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.borrow_mut().remove(key)
    }
}

/// The time now. The browser's clock in the app, a fixed or stepped one in tests.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

impl<F: Fn() -> DateTime<Utc>> Clock for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}

/// A store for large binary items (evidence: photos, screenshots), beside the case log: the
/// browser's IndexedDB in the app, memory in tests. Asynchronous, as IndexedDB is; a write has
/// completed when its future is ready, and only then may an event refer to the item
/// (`CaseService::record_with_item`).
#[allow(async_fn_in_trait)] // used on one thread (wasm), never boxed as `Send`
pub trait ItemStore {
    async fn put(&mut self, key: &str, bytes: &[u8]) -> Result<(), KvError>;
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError>;
    async fn remove(&mut self, key: &str) -> Result<(), KvError>;
    async fn keys(&self) -> Result<Vec<String>, KvError>;
}

/// Items in memory, for tests and as the model of IndexedDB.
#[derive(Clone, Debug, Default)]
pub struct MemoryItems {
    pub items: BTreeMap<String, Vec<u8>>,
    /// When set, writes that would make the total exceed this many bytes fail with quota errors.
    pub quota_bytes: Option<usize>,
}

impl ItemStore for MemoryItems {
    async fn put(&mut self, key: &str, bytes: &[u8]) -> Result<(), KvError> {
        let others: usize = self
            .items
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(_, v)| v.len())
            .sum();
        if self
            .quota_bytes
            .is_some_and(|quota| others + bytes.len() > quota)
        {
            return Err(KvError::QuotaExceeded);
        }
        self.items.insert(key.to_owned(), bytes.to_vec());
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self.items.get(key).cloned())
    }

    async fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.items.remove(key);
        Ok(())
    }

    async fn keys(&self) -> Result<Vec<String>, KvError> {
        Ok(self.items.keys().cloned().collect())
    }
}
