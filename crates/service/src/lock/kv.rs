//! `SealedKv`: the `KeyValue` port with every value sealed. The repository and the service above
//! it read and write plain text as before; below it, storage holds only sealed values, apart from
//! the three the lock screen needs before the data key is known.
//!
//! The stored form of a sealed value is `{"schema":3,"sealed":"<base64 of nonce||ciphertext>"}`,
//! XChaCha20-Poly1305 under the data key, with the storage key's name in the associated data, so
//! a value moved to another key does not open. Schema 3 is above the case envelope's schema 2,
//! so an older app meets "written by a newer app" and leaves the value alone.
//!
//! Plain values (anything not in that form, such as a schema-2 case) are read as they are only
//! while the lock record says sealing is pending — from the first set-up until every value has
//! been sealed, and again while a re-keying is under way. After that a plain value is `Damaged`:
//! whoever can write the storage cannot slip plain data past the lock. Values of a schema above
//! 3 are a newer app's and are returned as they are, for the case store to name as newer data
//! and never overwrite.

use super::crypto::{self, NonceStream, Purpose, SymmetricKey};
use super::prelock::PRE_UNLOCK_KEY;
use super::record::{LockRecord, RecordError, FAILURES_KEY, KEY_CHECK_PLAIN, LOCK_KEY};
use super::Argon2Params;
use crate::ports::{KeyValue, KvError};
use crate::store::APP_PREFIX;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The schema of a sealed value's stored form.
pub const SEALED_SCHEMA: u32 = 3;

/// The values stored plain: the lock record, the failed-attempt counter, the pre-unlock record.
pub const PLAIN_KEYS: [&str; 3] = [LOCK_KEY, FAILURES_KEY, PRE_UNLOCK_KEY];

pub fn is_plain_key(name: &str) -> bool {
    PLAIN_KEYS.contains(&name)
}

#[derive(Serialize, Deserialize)]
struct SealedForm<'a> {
    schema: u32,
    #[serde(borrow)]
    sealed: Option<std::borrow::Cow<'a, str>>,
}

/// What a stored value is.
enum Stored {
    /// In the sealed form; the bytes, if its base64 is whole.
    Sealed(Option<Vec<u8>>),
    /// A newer app's form.
    Newer,
    /// Anything else: a value from before the lock.
    Plain,
}

fn classify(text: &str) -> Stored {
    match serde_json::from_str::<SealedForm>(text) {
        Ok(form) if form.schema > SEALED_SCHEMA => Stored::Newer,
        Ok(SealedForm {
            schema: SEALED_SCHEMA,
            sealed,
        }) => Stored::Sealed(sealed.and_then(|s| STANDARD.decode(s.as_bytes()).ok())),
        _ => Stored::Plain,
    }
}

/// The stored form of `plain` sealed under `key` for the storage key `name`.
pub(crate) fn sealed_form(
    key: &SymmetricKey,
    nonce: &[u8; crypto::NONCE_LEN],
    name: &str,
    plain: &[u8],
) -> String {
    let sealed = crypto::seal(key, nonce, Purpose::Value(name), plain);
    serde_json::to_string(&SealedForm {
        schema: SEALED_SCHEMA,
        sealed: Some(STANDARD.encode(sealed).into()),
    })
    .expect("a sealed value always serializes")
}

/// The sealed bytes of a stored value in the sealed form (for the locked export).
pub(crate) fn sealed_bytes(text: &str) -> Option<Vec<u8>> {
    match classify(text) {
        Stored::Sealed(bytes) => bytes,
        Stored::Newer | Stored::Plain => None,
    }
}

fn into_string(plain: Zeroizing<Vec<u8>>) -> Option<String> {
    let mut plain = plain;
    match String::from_utf8(std::mem::take(&mut *plain)) {
        Ok(text) => Some(text),
        Err(err) => {
            // Not text: wipe the bytes that came back inside the error too.
            let _ = Zeroizing::new(err.into_bytes());
            None
        }
    }
}

/// The data key in place, with what the lock record said when it was put there.
pub(crate) struct Opened {
    pub(crate) key: SymmetricKey,
    /// The key before a re-keying not yet finished.
    pub(crate) previous: Option<SymmetricKey>,
    /// Sealing is pending: plain values are read as they are.
    pub(crate) accept_plain: bool,
    /// The lock record's text these were taken from. A write checks the stored record against
    /// it, and looks again only when another tab changed the record.
    record_text: Zeroizing<String>,
    nonces: NonceStream,
}

impl Opened {
    pub(crate) fn new(
        key: SymmetricKey,
        record: &LockRecord,
        record_text: String,
        nonces: NonceStream,
    ) -> Opened {
        let mut opened = Opened {
            key,
            previous: None,
            accept_plain: false,
            record_text: Zeroizing::new(String::new()),
            nonces,
        };
        opened.take_from(record, record_text);
        opened
    }

    /// Whether the lock record's key check opens under this key.
    pub(crate) fn matches(&self, record: &LockRecord) -> bool {
        key_matches(&self.key, record)
    }

    fn take_from(&mut self, record: &LockRecord, record_text: String) {
        self.previous = record
            .previous_key
            .and_then(|sealed| crypto::open_key(&self.key, Purpose::PreviousKey, &sealed).ok());
        self.accept_plain = record.sealing_pending;
        self.record_text = Zeroizing::new(record_text);
    }

    fn open_value(&self, name: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        crypto::open(&self.key, Purpose::Value(name), sealed)
            .ok()
            .or_else(|| {
                let previous = self.previous.as_ref()?;
                crypto::open(previous, Purpose::Value(name), sealed).ok()
            })
    }

    pub(crate) fn next_nonce(&mut self) -> Result<[u8; crypto::NONCE_LEN], KvError> {
        self.nonces
            .next()
            .ok_or_else(|| KvError::Other("the nonce stream is spent: unlock again".into()))
    }
}

pub(crate) fn key_matches(key: &SymmetricKey, record: &LockRecord) -> bool {
    crypto::open(key, Purpose::KeyCheck, &record.key_check)
        .is_ok_and(|plain| bool::from(plain.as_slice().ct_eq(KEY_CHECK_PLAIN)))
}

/// A `KeyValue` whose values are sealed under the data key (see the module's notes). Holds the
/// data key only while unlocked (or in unprotected mode); `keys` and `remove` pass through.
pub struct SealedKv<K> {
    inner: K,
    argon2: Argon2Params,
    opened: Option<Opened>,
}

impl<K: KeyValue> SealedKv<K> {
    /// Over `inner`, with `Argon2Params::LOCK` for new PINs and passphrases. Holds no key until
    /// the service opens it (`CaseService::open_storage`, an unlock or a set-up).
    pub fn new(inner: K) -> SealedKv<K> {
        SealedKv::with_argon2(inner, Argon2Params::LOCK)
    }

    /// As `new`, with other Argon2id parameters for new PINs and passphrases (tests use tiny
    /// ones). Existing wraps keep the parameters stored with them.
    pub fn with_argon2(inner: K, argon2: Argon2Params) -> SealedKv<K> {
        SealedKv {
            inner,
            argon2,
            opened: None,
        }
    }

    /// The storage underneath, as stored: sealed values sealed.
    pub fn inner(&self) -> &K {
        &self.inner
    }

    pub fn into_inner(self) -> K {
        self.inner
    }

    pub(crate) fn inner_mut(&mut self) -> &mut K {
        &mut self.inner
    }

    pub(crate) fn argon2(&self) -> Argon2Params {
        self.argon2
    }

    pub(crate) fn opened(&self) -> Option<&Opened> {
        self.opened.as_ref()
    }

    /// Puts a data key in place (the previous one, if any, is wiped), handing back the one that
    /// was there, for a caller that may have to put it back.
    pub(crate) fn install(&mut self, opened: Option<Opened>) -> Option<Opened> {
        std::mem::replace(&mut self.opened, opened)
    }

    /// Writes the lock record, and takes the state of a re-keying from it.
    pub(crate) fn write_record(&mut self, record: &LockRecord) -> Result<(), KvError> {
        let text = record.to_json();
        self.inner.set(LOCK_KEY, &text)?;
        if let Some(opened) = self.opened.as_mut() {
            opened.take_from(record, text);
        }
        Ok(())
    }

    /// Why a value did not open: the key held is not the record's (another tab re-keyed), or the
    /// value is damaged.
    fn unopened(&self, name: &str, opened: &Opened) -> KvError {
        match self.inner.get(LOCK_KEY) {
            Err(err) => err,
            Ok(None) => KvError::Locked,
            Ok(Some(text)) => match LockRecord::parse(&text) {
                Ok(record) if opened.matches(&record) => KvError::Damaged(name.to_owned()),
                Ok(_) => KvError::WrongKey,
                Err(RecordError::Newer(_)) => KvError::Locked,
                Err(RecordError::Damaged) => KvError::Damaged(LOCK_KEY.to_owned()),
            },
        }
    }

    /// Before a write: the stored lock record is still the one the key was checked against, or a
    /// changed one whose key check still opens under it. Otherwise another tab changed the lock
    /// (or wiped the storage), and a value sealed now would open for nobody.
    fn check_record_before_write(&mut self) -> Result<(), KvError> {
        let stored = self.inner.get(LOCK_KEY)?;
        let opened = self.opened.as_mut().ok_or(KvError::Locked)?;
        let Some(text) = stored else {
            return Err(KvError::Locked);
        };
        if text == *opened.record_text {
            return Ok(());
        }
        match LockRecord::parse(&text) {
            Ok(record) if opened.matches(&record) => {
                opened.take_from(&record, text);
                Ok(())
            }
            Ok(_) => Err(KvError::WrongKey),
            Err(RecordError::Newer(_)) => Err(KvError::Locked),
            Err(RecordError::Damaged) => Err(KvError::Damaged(LOCK_KEY.to_owned())),
        }
    }

    /// Seals every value not yet sealed under the data key: plain ones, and those under the key
    /// before a re-keying. Each is written, read back, opened and compared with what it held
    /// before the next one starts; one that does not read back is put back as it was, and the
    /// error names it. A value stopped half-way stays readable: plain (or under the previous
    /// key), to be sealed next time. Damaged values and a newer app's are left as they are.
    pub(crate) fn reseal_all(&mut self) -> Result<(), KvError> {
        let SealedKv { inner, opened, .. } = self;
        let opened = opened.as_mut().ok_or(KvError::Locked)?;
        for name in inner.keys()? {
            if !name.starts_with(APP_PREFIX) || is_plain_key(&name) {
                continue;
            }
            let Some(stored) = inner.get(&name)? else {
                continue;
            };
            let stored = Zeroizing::new(stored);
            let plain = match classify(&stored) {
                Stored::Plain => Zeroizing::new(stored.as_bytes().to_vec()),
                Stored::Newer | Stored::Sealed(None) => continue,
                Stored::Sealed(Some(bytes)) => {
                    if crypto::open(&opened.key, Purpose::Value(&name), &bytes).is_ok() {
                        continue;
                    }
                    let under_previous = opened.previous.as_ref().and_then(|previous| {
                        crypto::open(previous, Purpose::Value(&name), &bytes).ok()
                    });
                    match under_previous {
                        Some(plain) => plain,
                        None => continue,
                    }
                }
            };
            let nonce = opened.next_nonce()?;
            inner.set(&name, &sealed_form(&opened.key, &nonce, &name, &plain))?;
            let read_back = inner
                .get(&name)?
                .and_then(|text| sealed_bytes(&text))
                .and_then(|bytes| crypto::open(&opened.key, Purpose::Value(&name), &bytes).ok());
            let same = read_back.is_some_and(|back| bool::from(back.as_slice().ct_eq(&plain)));
            if !same {
                inner.set(&name, &stored)?;
                return Err(KvError::Damaged(name));
            }
        }
        Ok(())
    }
}

impl<K: KeyValue> KeyValue for SealedKv<K> {
    fn get_raw(&self, name: &str) -> Result<Option<String>, KvError> {
        self.inner.get(name)
    }

    fn get(&self, name: &str) -> Result<Option<String>, KvError> {
        if is_plain_key(name) {
            return self.inner.get(name);
        }
        // Locked, every read fails alike, whether or not the value exists.
        let opened = self.opened.as_ref().ok_or(KvError::Locked)?;
        let Some(stored) = self.inner.get(name)? else {
            return Ok(None);
        };
        match classify(&stored) {
            Stored::Newer => Ok(Some(stored)),
            Stored::Plain if opened.accept_plain => Ok(Some(stored)),
            Stored::Plain | Stored::Sealed(None) => Err(self.unopened(name, opened)),
            Stored::Sealed(Some(bytes)) => match opened.open_value(name, &bytes) {
                Some(plain) => into_string(plain)
                    .map(Some)
                    .ok_or_else(|| KvError::Damaged(name.to_owned())),
                None => Err(self.unopened(name, opened)),
            },
        }
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), KvError> {
        if is_plain_key(name) {
            return self.inner.set(name, value);
        }
        self.check_record_before_write()?;
        let opened = self.opened.as_mut().ok_or(KvError::Locked)?;
        let nonce = opened.next_nonce()?;
        let sealed = sealed_form(&opened.key, &nonce, name, value.as_bytes());
        self.inner.set(name, &sealed)
    }

    fn keys(&self) -> Result<Vec<String>, KvError> {
        self.inner.keys()
    }

    fn remove(&mut self, name: &str) -> Result<(), KvError> {
        if name == LOCK_KEY {
            // Without its record the key opens nothing that could be shown again; and a value
            // sealed under it afterwards would open for nobody.
            self.opened = None;
        }
        self.inner.remove(name)
    }
}
