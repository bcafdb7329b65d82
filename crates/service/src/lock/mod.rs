//! Locked and encrypted at rest: a lost phone tells nobody anything.
//!
//! Every stored value is sealed under a random 256-bit data key (`SealedKv`), except three plain
//! ones the lock screen needs: the lock record, the failed-attempt counter and the pre-unlock
//! record (language and two call numbers). The lock record holds the data key wrapped for each
//! way to unlock — a PIN or passphrase (Argon2id), passkeys (HKDF of the WebAuthn PRF output), a
//! recovery copy sealed with age to the party security officer — or, in the "Senare" mode, the
//! key itself unwrapped. Existing plain data is sealed value by value at the first set-up;
//! leaving the unprotected mode makes a new key and re-seals everything under it.
//!
//! The service API is in `service_api` (methods of `CaseService<SealedKv<K>, C, R>`); the stored
//! formats are described where they are defined: `kv` (sealed values), `record` (the lock record
//! and the counter), `prelock`, and `export` (docs/locked-export-format.md).

mod crypto;
mod error;
pub(crate) mod export;
mod kv;
mod policy;
mod prelock;
mod record;
mod rules;
mod service_api;

pub use crypto::Argon2Params;
pub use error::{LockError, LockedExportError, UnlockError};
pub use export::{
    open_locked_export, LockedContent, LockedExportFile, LockedOpening, UnlockedCase,
    LOCKED_EXPORT_FORMAT, LOCKED_EXPORT_VERSION,
};
pub use kv::{is_plain_key, SealedKv, PLAIN_KEYS, SEALED_SCHEMA};
pub use policy::{
    delay_after, lock_due, next_attempt_at, within_external_limit, EXTERNAL_LIMIT_MINUTES,
    FIRST_DELAY_SECONDS, FREE_ATTEMPTS, HIDDEN_LIMIT_SECONDS, IDLE_LIMIT_MINUTES,
    MAX_DELAY_SECONDS, WIPE_AFTER_FAILURES,
};
pub use prelock::{PreUnlock, PRE_UNLOCK_KEY};
pub use record::{SecretKind, FAILURES_KEY, LOCK_KEY, RECORD_VERSION};
pub use rules::{
    check_new_lock_passphrase, check_new_pin, LockPassphraseError, PinError,
    MIN_LOCK_PASSPHRASE_CHARS, MIN_PIN_DIGITS,
};
pub use service_api::{LockInfo, LockStatus, PasskeyInfo, PRF_SALT_LEN};
