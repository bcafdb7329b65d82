//! Why a lock action did not happen. Each variant has its own message in the UI; none carries a
//! secret.

use super::record::{LoadError, RecordError};
use super::rules::{LockPassphraseError, PinError};
use crate::ports::KvError;
use crate::store::ReadError;
use chrono::{DateTime, Utc};
use stodrutin_age::{AgeError, KeyError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockError {
    /// The storage refused a read or write; nothing changed.
    Storage(KvError),
    /// The lock record is not readable. Nothing is written over it.
    DamagedRecord,
    /// The lock record was written by a newer app (this record version). Nothing is written
    /// over it.
    NewerRecord(u32),
    /// A way to unlock opened a data key that does not open the record's key check: the record
    /// was changed. Nothing is written.
    WrongDataKey,
    /// No lock is set up yet.
    NotSetUp,
    /// The action needs the data key: unlock first.
    Locked,
    /// "Senare" was asked for, and a lock is already set up.
    AlreadySetUp,
    /// Removing it would leave no way to unlock; turning the lock off is the way to that.
    LastMethod,
    /// No passkey with this credential id is stored.
    NoSuchPasskey,
    /// A credential id that is not base64url.
    BadCredentialId,
    /// The new PIN is refused.
    Pin(PinError),
    /// The new passphrase is refused.
    Passphrase(LockPassphraseError),
    /// The lock is set up (or the key changed), but sealing the stored values stopped on this
    /// storage error: a full storage, or a value that did not read back (it was put back as it
    /// was). Every value is either still plain or sealed, and readable; sealing goes on at the
    /// next unlock or `finish_sealing`.
    SealingIncomplete(KvError),
    /// No recovery copy is stored (no officer key was set), so no locked export can be made.
    NoRecovery,
    /// The officer's key was refused for sealing the recovery copy.
    RecoveryKey(KeyError),
    /// Bytes given to `open_in_memory` do not open under the data key.
    MemoryNotOpened,
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Storage(err) => err.fmt(f),
            LockError::DamagedRecord => f.write_str("the lock record is damaged"),
            LockError::NewerRecord(version) => {
                write!(
                    f,
                    "the lock was set up by a newer app (record version {version})"
                )
            }
            LockError::WrongDataKey => f.write_str("the lock record's key check does not open"),
            LockError::NotSetUp => f.write_str("no lock is set up"),
            LockError::Locked => f.write_str("the app is locked"),
            LockError::AlreadySetUp => f.write_str("a lock is already set up"),
            LockError::LastMethod => f.write_str("it is the last way to unlock"),
            LockError::NoSuchPasskey => f.write_str("no such passkey is set up"),
            LockError::BadCredentialId => f.write_str("not a passkey credential id"),
            LockError::Pin(err) => err.fmt(f),
            LockError::Passphrase(err) => err.fmt(f),
            LockError::SealingIncomplete(err) => {
                write!(f, "not every stored value is sealed yet: {err}")
            }
            LockError::NoRecovery => f.write_str("no recovery copy for the officer is stored"),
            LockError::RecoveryKey(err) => err.fmt(f),
            LockError::MemoryNotOpened => f.write_str("the sealed bytes do not open"),
        }
    }
}

impl std::error::Error for LockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LockError::Storage(err) | LockError::SealingIncomplete(err) => Some(err),
            LockError::Pin(err) => Some(err),
            LockError::Passphrase(err) => Some(err),
            LockError::RecoveryKey(err) => Some(err),
            _ => None,
        }
    }
}

impl From<KvError> for LockError {
    fn from(err: KvError) -> Self {
        LockError::Storage(err)
    }
}

impl From<LoadError> for LockError {
    fn from(err: LoadError) -> Self {
        match err {
            LoadError::Storage(err) => LockError::Storage(err),
            LoadError::Record(RecordError::Damaged) => LockError::DamagedRecord,
            LoadError::Record(RecordError::Newer(version)) => LockError::NewerRecord(version),
        }
    }
}

/// Why an unlock attempt did not unlock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnlockError {
    /// The PIN, passphrase or passkey did not open the lock. `failures` counts this one;
    /// `next_attempt_at` is when the next attempt may be made (`None`: at once).
    Wrong {
        failures: u32,
        next_attempt_at: Option<DateTime<Utc>>,
    },
    /// Too soon after the last failures; nothing was tried or counted.
    TooEarly { until: DateTime<Utc> },
    /// The failures reached the limit with the wipe turned on: everything was removed.
    Wiped,
    /// The lock has no such way to unlock (no PIN set, a passphrase asked for as a PIN, an
    /// unknown passkey); nothing was tried or counted.
    NoSuchMethod,
    /// The lock record or the storage stands in the way (damaged or newer record, ...).
    Lock(LockError),
}

impl std::fmt::Display for UnlockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnlockError::Wrong { failures, .. } => {
                write!(f, "that did not unlock ({failures} failed attempts)")
            }
            UnlockError::TooEarly { until } => write!(f, "wait until {until} to try again"),
            UnlockError::Wiped => f.write_str("too many failed attempts: everything was removed"),
            UnlockError::NoSuchMethod => f.write_str("the lock cannot be opened that way"),
            UnlockError::Lock(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for UnlockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UnlockError::Lock(err) => Some(err),
            _ => None,
        }
    }
}

impl From<LockError> for UnlockError {
    fn from(err: LockError) -> Self {
        UnlockError::Lock(err)
    }
}

impl From<KvError> for UnlockError {
    fn from(err: KvError) -> Self {
        UnlockError::Lock(LockError::Storage(err))
    }
}

impl From<LoadError> for UnlockError {
    fn from(err: LoadError) -> Self {
        UnlockError::Lock(err.into())
    }
}

/// Why a locked export did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockedExportError {
    /// Not a locked export (or damaged beyond reading).
    NotALockedExport,
    /// Made by a newer app (this format version).
    NewerVersion(u32),
    /// The recovery copy did not open with the key (sealed to another officer's key, or damaged).
    Recovery(AgeError),
    /// The recovery copy opened, but not to a data key.
    NotADataKey,
    /// The value of this storage key does not open under the data key.
    Damaged(String),
    /// The value of this storage key opened, but is not a case this app reads.
    Case { key: String, error: ReadError },
}

impl std::fmt::Display for LockedExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockedExportError::NotALockedExport => f.write_str("not a locked export"),
            LockedExportError::NewerVersion(version) => {
                write!(f, "a locked export of a newer app (version {version})")
            }
            LockedExportError::Recovery(err) => write!(f, "the recovery copy: {err}"),
            LockedExportError::NotADataKey => f.write_str("the recovery copy holds no data key"),
            LockedExportError::Damaged(key) => write!(f, "the value {key} does not open"),
            LockedExportError::Case { key, error } => write!(f, "the value {key}: {error}"),
        }
    }
}

impl std::error::Error for LockedExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LockedExportError::Recovery(err) => Some(err),
            LockedExportError::Case { error, .. } => Some(error),
            _ => None,
        }
    }
}
