//! The lock record (`stodrutin.lock`) and the failed-attempt counter (`stodrutin.lock.failures`):
//! two of the three values stored plain, since they are read before the data key is known.
//! The record holds the data key wrapped once for each way to unlock, a key check, and the state
//! of a set-up or re-keying still under way; no value of a case is in it.

use super::crypto::{Argon2Params, SymmetricKey, SALT_LEN, SEALED_KEY_LEN};
use crate::ports::{KeyValue, KvError};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const LOCK_KEY: &str = "stodrutin.lock";
pub const FAILURES_KEY: &str = "stodrutin.lock.failures";
/// The version of the lock record this app writes. A record with a higher one is a newer app's:
/// this one refuses it and writes nothing over it.
pub const RECORD_VERSION: u32 = 1;
/// What the key check seals: any constant does, since only whether it opens is looked at.
pub(crate) const KEY_CHECK_PLAIN: &[u8] = b"stodrutin data key check";

/// How a PIN or passphrase wrap was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    Pin,
    Passphrase,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SecretWrap {
    pub kind: SecretKind,
    pub argon2id: Argon2Params,
    #[serde(with = "b64")]
    pub salt: [u8; SALT_LEN],
    #[serde(with = "b64")]
    pub wrapped: [u8; SEALED_KEY_LEN],
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PasskeyWrap {
    /// As WebAuthn gives it, base64url without padding.
    pub credential_id: String,
    #[serde(with = "b64")]
    pub prf_salt: [u8; 32],
    #[serde(with = "b64")]
    pub wrapped: [u8; SEALED_KEY_LEN],
}

/// The data key sealed with age to the party security officer's public key.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct RecoveryCopy {
    /// The officer's public key (`age1…`) it is sealed to.
    pub to: String,
    /// The armored age file; its plaintext is the 32 bytes of the data key.
    pub sealed: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct LockRecord {
    pub version: u32,
    /// `KEY_CHECK_PLAIN` sealed under the data key: tells a wrong data key from a damaged value.
    #[serde(with = "b64_vec")]
    pub key_check: Vec<u8>,
    /// "Senare": the data key itself, unwrapped. Present exactly when no way to unlock is.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "b64_key")]
    pub unprotected: Option<SymmetricKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretWrap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passkeys: Vec<PasskeyWrap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryCopy>,
    /// During a re-keying: the old data key sealed under the new one, so values not yet re-sealed
    /// still open. Gone once every value is sealed under the new key.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "b64_opt_sealed_key"
    )]
    pub previous_key: Option<[u8; SEALED_KEY_LEN]>,
    /// Some stored values may still be plain (or under the previous key): a set-up or re-keying
    /// was interrupted. Plain values are read as they are only while this is set.
    #[serde(default)]
    pub sealing_pending: bool,
    #[serde(default)]
    pub wipe_after_failures: bool,
}

/// Why a stored lock record is not used. Nothing is written over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RecordError {
    Damaged,
    Newer(u32),
}

impl LockRecord {
    pub(crate) fn parse(text: &str) -> Result<LockRecord, RecordError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        // The version first: a newer record may not parse as this version's.
        match serde_json::from_str::<VersionOnly>(text) {
            Ok(VersionOnly { version }) if version > RECORD_VERSION => {
                return Err(RecordError::Newer(version))
            }
            Ok(VersionOnly { version }) if version >= 1 => {}
            _ => return Err(RecordError::Damaged),
        }
        let record: LockRecord = serde_json::from_str(text).map_err(|_| RecordError::Damaged)?;
        if record.is_consistent() {
            Ok(record)
        } else {
            Err(RecordError::Damaged)
        }
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a lock record always serializes")
    }

    fn is_consistent(&self) -> bool {
        let protected = self.secret.is_some() || !self.passkeys.is_empty();
        protected != self.unprotected.is_some()
            && self
                .secret
                .as_ref()
                .is_none_or(|s| s.argon2id.is_within_bounds())
            && self
                .passkeys
                .iter()
                .all(|p| is_credential_id(&p.credential_id))
    }

    pub(crate) fn is_protected(&self) -> bool {
        self.unprotected.is_none()
    }

    pub(crate) fn passkey(&self, credential_id: &str) -> Option<&PasskeyWrap> {
        self.passkeys
            .iter()
            .find(|p| p.credential_id == credential_id)
    }
}

/// A WebAuthn credential id as the UI hands it over: non-empty base64url without padding.
pub(crate) fn is_credential_id(text: &str) -> bool {
    !text.is_empty() && URL_SAFE_NO_PAD.decode(text).is_ok()
}

/// Reads the lock record: `None` when the lock was never set up (or was wiped).
pub(crate) fn load(kv: &impl KeyValue) -> Result<Option<(LockRecord, String)>, LoadError> {
    let Some(text) = kv.get(LOCK_KEY).map_err(LoadError::Storage)? else {
        return Ok(None);
    };
    let record = LockRecord::parse(&text).map_err(LoadError::Record)?;
    Ok(Some((record, text)))
}

pub(crate) enum LoadError {
    Storage(KvError),
    Record(RecordError),
}

/// The stored counter's width: its longest form, `{"count":4294967295,"last":"…"}` with a
/// time to the nanosecond, is 60 characters.
const FAILURES_WIDTH: usize = 64;

/// Failed unlock attempts: how many since the last success, and when the last one began. Raised
/// before a key is derived, so closing the page during the derivation still counts the attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Failures {
    pub count: u32,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "stodrutin_domain::time::rfc3339::option"
    )]
    pub last: Option<DateTime<Utc>>,
}

impl Failures {
    /// The stored counter. An unreadable one counts as none: whoever can edit storage can also
    /// delete the counter, so it guards only against guessing through the app; Argon2id's cost
    /// is what guards the PIN against a copy of the storage.
    pub(crate) fn load(kv: &impl KeyValue) -> Result<Failures, KvError> {
        Ok(kv
            .get(FAILURES_KEY)?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default())
    }

    /// Writes the counter at a fixed width, and it is never removed (a success stores a zero):
    /// raising it then never needs more room than it already takes, so a storage filled by
    /// cases cannot refuse the write every unlock attempt makes first, which would keep the user
    /// out of their cases. (JSON allows the trailing spaces.) Where even the padding does not
    /// fit (a counter stored before it was padded), the plain form is written.
    pub(crate) fn store(&self, kv: &mut impl KeyValue) -> Result<(), KvError> {
        let text = serde_json::to_string(self).expect("a counter always serializes");
        let padded = format!("{text:<FAILURES_WIDTH$}");
        match kv.set(FAILURES_KEY, &padded) {
            Err(KvError::QuotaExceeded) => kv.set(FAILURES_KEY, &text),
            written => written,
        }
    }
}

/// Fixed-length byte arrays as standard base64 strings.
mod b64 {
    use super::*;
    use serde::de::Error;

    pub fn serialize<S: serde::Serializer, const N: usize>(
        bytes: &[u8; N],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = STANDARD.decode(text).map_err(D::Error::custom)?;
        bytes
            .try_into()
            .map_err(|_| D::Error::custom(format!("not {N} bytes")))
    }
}

mod b64_vec {
    use super::*;
    use serde::de::Error;

    pub fn serialize<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(D::Error::custom)
    }
}

mod b64_opt_sealed_key {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        bytes: &Option<[u8; SEALED_KEY_LEN]>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => super::b64::serialize(bytes, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<[u8; SEALED_KEY_LEN]>, D::Error> {
        super::b64::deserialize(deserializer).map(Some)
    }
}

/// The unwrapped data key of "Senare", read straight into a key that is wiped when dropped.
mod b64_key {
    use super::*;
    use serde::de::Error;
    use zeroize::Zeroizing;

    pub fn serialize<S: serde::Serializer>(
        key: &Option<SymmetricKey>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match key {
            Some(key) => serializer.serialize_str(&Zeroizing::new(STANDARD.encode(key.expose()))),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<SymmetricKey>, D::Error> {
        let text = Zeroizing::new(String::deserialize(deserializer)?);
        let bytes = Zeroizing::new(STANDARD.decode(text.as_bytes()).map_err(D::Error::custom)?);
        SymmetricKey::from_slice(&bytes)
            .map(Some)
            .ok_or_else(|| D::Error::custom("not a 32-byte key"))
    }
}
