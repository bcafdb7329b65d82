//! The lock as the UI sees it: methods of `CaseService` over a `SealedKv`.
//!
//! At start the UI calls `open_storage` (which, in the unprotected mode, puts the data key in
//! place) and shows what its `LockStatus` asks for: the set-up (`NotSetUp`), the lock screen
//! (`Locked`), or the app. Until a data key is in place, every read or write of a sealed value
//! fails with `KvError::Locked`.

use super::crypto::{self, NonceStream, Purpose, SymmetricKey, PRF_LEN};
use super::export;
use super::kv::{key_matches, Opened, SealedKv};
use super::policy::{next_attempt_at, WIPE_AFTER_FAILURES};
use super::prelock::{PreUnlock, PRE_UNLOCK_KEY};
use super::record::{
    self, is_credential_id, Failures, LockRecord, PasskeyWrap, RecoveryCopy, SecretKind,
    SecretWrap, KEY_CHECK_PLAIN, LOCK_KEY, RECORD_VERSION,
};
use super::rules::{check_new_lock_passphrase, check_new_pin};
use super::{LockError, UnlockError};
use crate::device::{Profile, Settings, PROFILE_KEY, SETTINGS_KEY};
use crate::ports::{Clock, KeyValue, KvError};
use crate::service::CaseService;
use chrono::{DateTime, Utc};
use rand_core::{CryptoRng, RngCore};
use stodrutin_age::PublicKey;
use zeroize::Zeroizing;

/// The length of a passkey's PRF salt.
pub const PRF_SALT_LEN: usize = 32;

/// A passkey that unlocks: what the UI passes to WebAuthn to get its PRF output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyInfo {
    /// base64url, as WebAuthn gave it.
    pub credential_id: String,
    pub prf_salt: [u8; PRF_SALT_LEN],
}

/// A set-up lock, as the lock screen and the settings show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockInfo {
    /// A PIN or a passphrase unlocks (at most one of them is set).
    pub secret: Option<SecretKind>,
    pub passkeys: Vec<PasskeyInfo>,
    /// The officer key (an age recipient) the recovery copy is sealed to, when one is stored
    /// (a locked export can be made): the settings compare it with the officer key they hold,
    /// so a copy whose renewal failed is never shown as the current one.
    pub recovery_to: Option<String>,
    pub wipe_after_failures: bool,
    /// Failed attempts since the last unlock.
    pub failures: u32,
    /// When the next attempt may be made; `None`: now.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Some values are not yet sealed under the data key (an interrupted set-up or re-keying);
    /// sealing goes on at the next unlock or `finish_sealing`.
    pub sealing_pending: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockStatus {
    /// No lock record: the first start, which offers the set-up.
    NotSetUp,
    /// "Senare": every value is sealed, but the key lies beside them ("Inte skyddat").
    Unprotected {
        recovery: bool,
        sealing_pending: bool,
    },
    Locked(LockInfo),
    Unlocked(LockInfo),
}

/// How a new data key is to be reachable.
enum Way<'a> {
    Unprotected,
    Secret(SecretKind, &'a str),
    Passkey {
        credential_id: &'a str,
        prf_salt: &'a [u8; PRF_SALT_LEN],
        prf_output: &'a [u8; PRF_LEN],
    },
}

fn sealing_pending(record: &LockRecord) -> bool {
    record.sealing_pending || record.previous_key.is_some()
}

fn seal_key(
    kek: &SymmetricKey,
    nonce: &[u8; crypto::NONCE_LEN],
    purpose: Purpose<'_>,
    key: &SymmetricKey,
) -> [u8; crypto::SEALED_KEY_LEN] {
    crypto::seal(kek, nonce, purpose, key.expose())
        .try_into()
        .expect("a sealed key is nonce, key and tag")
}

fn wrap_purpose(kind: SecretKind) -> Purpose<'static> {
    match kind {
        SecretKind::Pin => Purpose::PinWrap,
        SecretKind::Passphrase => Purpose::PassphraseWrap,
    }
}

impl<K: KeyValue, C: Clock, R: RngCore + CryptoRng> CaseService<SealedKv<K>, C, R> {
    fn sealed(&self) -> &SealedKv<K> {
        &self.lock_parts().0.kv
    }

    fn sealed_mut(&mut self) -> &mut SealedKv<K> {
        &mut self.lock_parts_mut().0.kv
    }

    fn rng(&mut self) -> &mut R {
        self.lock_parts_mut().2
    }

    fn load_record(&self) -> Result<Option<(LockRecord, String)>, LockError> {
        Ok(record::load(self.sealed().inner())?)
    }

    fn put_key_in_place(&mut self, key: SymmetricKey, record: &LockRecord, text: String) {
        let nonces = NonceStream::seeded(self.rng());
        self.sealed_mut()
            .install(Some(Opened::new(key, record, text, nonces)));
    }

    /// The data key is in place for `record`: held already, or taken from it in the
    /// unprotected mode.
    fn require_key(
        &mut self,
        record: &LockRecord,
        text: String,
    ) -> Result<SymmetricKey, LockError> {
        if let Some(opened) = self.sealed().opened().filter(|o| o.matches(record)) {
            return Ok(opened.key.clone());
        }
        let key = record.unprotected.clone().ok_or(LockError::Locked)?;
        self.put_key_in_place(key.clone(), record, text);
        Ok(key)
    }

    // ---- status ----

    pub fn lock_status(&self) -> Result<LockStatus, LockError> {
        let Some((record, _)) = self.load_record()? else {
            return Ok(LockStatus::NotSetUp);
        };
        if !record.is_protected() {
            return Ok(LockStatus::Unprotected {
                recovery: record.recovery.is_some(),
                sealing_pending: sealing_pending(&record),
            });
        }
        let failures = Failures::load(self.sealed().inner())?;
        let info = LockInfo {
            secret: record.secret.as_ref().map(|s| s.kind),
            passkeys: record
                .passkeys
                .iter()
                .map(|p| PasskeyInfo {
                    credential_id: p.credential_id.clone(),
                    prf_salt: p.prf_salt,
                })
                .collect(),
            recovery_to: record.recovery.as_ref().map(|copy| copy.to.clone()),
            wipe_after_failures: record.wipe_after_failures,
            failures: failures.count,
            next_attempt_at: next_attempt_at(failures.count, failures.last, self.now()),
            sealing_pending: sealing_pending(&record),
        };
        let unlocked = self.sealed().opened().is_some_and(|o| o.matches(&record));
        Ok(if unlocked {
            LockStatus::Unlocked(info)
        } else {
            LockStatus::Locked(info)
        })
    }

    /// Opens the storage as far as it opens without the user, and says what the UI must ask.
    /// Call it at start and when another tab may have changed the lock. In the unprotected mode
    /// it puts the data key in place and goes on with sealing left from an interrupted set-up
    /// (if that stops again, the status says sealing is pending, and `finish_sealing` says why).
    pub fn open_storage(&mut self) -> Result<LockStatus, LockError> {
        if let Some((record, text)) = self.load_record()? {
            if !record.is_protected() {
                self.require_key(&record, text)?;
                let _ = self.finish_sealing();
            }
        }
        self.lock_status()
    }

    /// Seals what an interrupted set-up or re-keying left: plain values, and values under the
    /// key before a re-keying. Unlocking and setting up call it themselves.
    pub fn finish_sealing(&mut self) -> Result<(), LockError> {
        let (mut record, text) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        self.require_key(&record, text)?;
        if !sealing_pending(&record) {
            return Ok(());
        }
        self.sealed_mut()
            .reseal_all()
            .map_err(LockError::SealingIncomplete)?;
        record.sealing_pending = false;
        record.previous_key = None;
        self.sealed_mut()
            .write_record(&record)
            .map_err(LockError::SealingIncomplete)
    }

    // ---- setting up and changing the lock ----

    /// "Senare": a data key, kept unwrapped; every value sealed under it. From the unprotected
    /// mode (another tab chose it), it only puts the key in place.
    pub fn set_up_later(&mut self) -> Result<(), LockError> {
        match self.load_record()? {
            None => self.establish(Way::Unprotected),
            Some((record, text)) if !record.is_protected() => {
                self.require_key(&record, text)?;
                self.finish_sealing()
            }
            Some(_) => Err(LockError::AlreadySetUp),
        }
    }

    /// Sets or changes the PIN. From no lock or the unprotected mode: a new data key, and every
    /// value sealed under it. With a lock (unlocked): the same key wrapped anew; a passphrase it
    /// replaces.
    pub fn set_pin(&mut self, pin: &str) -> Result<(), LockError> {
        check_new_pin(pin).map_err(LockError::Pin)?;
        self.protect(Way::Secret(SecretKind::Pin, pin))
    }

    /// As `set_pin`, with a passphrase (which replaces a PIN).
    pub fn set_passphrase(&mut self, passphrase: &str) -> Result<(), LockError> {
        check_new_lock_passphrase(passphrase).map_err(LockError::Passphrase)?;
        self.protect(Way::Secret(SecretKind::Passphrase, passphrase))
    }

    /// Removes the PIN or passphrase, when a passkey still unlocks.
    pub fn remove_pin_or_passphrase(&mut self) -> Result<(), LockError> {
        self.change_protected(|record| {
            if record.secret.is_some() && record.passkeys.is_empty() {
                return Err(LockError::LastMethod);
            }
            record.secret = None;
            Ok(())
        })
    }

    /// A random PRF salt for a passkey about to be created: the UI passes it to WebAuthn, then
    /// the PRF output it gets to `add_passkey` with the same salt.
    pub fn passkey_salt_for_new(&mut self) -> [u8; PRF_SALT_LEN] {
        let mut salt = [0; PRF_SALT_LEN];
        self.rng().fill_bytes(&mut salt);
        salt
    }

    /// Adds a passkey (or replaces one with the same credential id). From no lock or the
    /// unprotected mode, as `set_pin`: a new data key.
    pub fn add_passkey(
        &mut self,
        credential_id: &str,
        prf_salt: &[u8; PRF_SALT_LEN],
        prf_output: &[u8; PRF_LEN],
    ) -> Result<(), LockError> {
        if !is_credential_id(credential_id) {
            return Err(LockError::BadCredentialId);
        }
        self.protect(Way::Passkey {
            credential_id,
            prf_salt,
            prf_output,
        })
    }

    /// Removes a passkey, when another way to unlock remains.
    pub fn remove_passkey(&mut self, credential_id: &str) -> Result<(), LockError> {
        self.change_protected(|record| {
            record
                .passkey(credential_id)
                .ok_or(LockError::NoSuchPasskey)?;
            if record.secret.is_none() && record.passkeys.len() == 1 {
                return Err(LockError::LastMethod);
            }
            record.passkeys.retain(|p| p.credential_id != credential_id);
            Ok(())
        })
    }

    /// Back to the unprotected mode, with the same data key (unlocked first).
    pub fn turn_off(&mut self) -> Result<(), LockError> {
        let (mut record, text) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        let key = self.require_key(&record, text)?;
        if !record.is_protected() {
            return Ok(());
        }
        self.add_way(&mut record, &key, Way::Unprotected);
        self.sealed_mut().write_record(&record)?;
        // The lock is off whether or not the counter's reset fits.
        let _ = Failures::default().store(self.sealed_mut().inner_mut());
        Ok(())
    }

    /// Whether `WIPE_AFTER_FAILURES` failed attempts remove everything (off by default).
    pub fn set_wipe_after_failures(&mut self, wipe: bool) -> Result<(), LockError> {
        let (mut record, text) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        self.require_key(&record, text)?;
        record.wipe_after_failures = wipe;
        Ok(self.sealed_mut().write_record(&record)?)
    }

    /// Seals the recovery copy anew to the officer's key (call when it is stored or changed);
    /// `None` removes the copy. A copy already sealed to that key is left as it is (the data
    /// key it holds is the record's own: a new data key comes with a new record and copy).
    pub fn refresh_recovery(&mut self, officer_key: Option<&PublicKey>) -> Result<(), LockError> {
        let (mut record, text) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        let key = self.require_key(&record, text)?;
        // A copy that no longer parses is sealed again all the same.
        let stored = record.recovery.as_ref().map(|copy| {
            let whole = stodrutin_age::AgeFile::parse(copy.sealed.as_bytes()).is_ok();
            (copy.to.as_str(), whole)
        });
        let as_wanted = match (stored, officer_key) {
            (None, None) => true,
            (Some((to, true)), Some(officer_key)) => to == officer_key.as_str(),
            _ => false,
        };
        if as_wanted {
            return Ok(());
        }
        record.recovery = match officer_key {
            Some(officer_key) => Some(self.recovery_copy(&key, officer_key)?),
            None => None,
        };
        Ok(self.sealed_mut().write_record(&record)?)
    }

    /// With a lock set up (and unlocked), a change to its record that keeps the data key.
    fn change_protected(
        &mut self,
        change: impl FnOnce(&mut LockRecord) -> Result<(), LockError>,
    ) -> Result<(), LockError> {
        let (mut record, text) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        if !record.is_protected() {
            return Err(LockError::NotSetUp);
        }
        self.require_key(&record, text)?;
        change(&mut record)?;
        Ok(self.sealed_mut().write_record(&record)?)
    }

    /// Adds a way to unlock: to the lock as it is (same data key), or, from no lock or the
    /// unprotected mode, with a new data key.
    fn protect(&mut self, way: Way<'_>) -> Result<(), LockError> {
        match self.load_record()? {
            Some((mut record, text)) if record.is_protected() => {
                let key = self.require_key(&record, text)?;
                self.add_way(&mut record, &key, way);
                Ok(self.sealed_mut().write_record(&record)?)
            }
            _ => self.establish(way),
        }
    }

    fn add_way(&mut self, record: &mut LockRecord, key: &SymmetricKey, way: Way<'_>) {
        let nonce = crypto::random_nonce(self.rng());
        match way {
            Way::Unprotected => {
                record.unprotected = Some(key.clone());
                record.secret = None;
                record.passkeys.clear();
            }
            Way::Secret(kind, secret) => {
                let argon2id = self.sealed().argon2();
                let mut salt = [0; crypto::SALT_LEN];
                self.rng().fill_bytes(&mut salt);
                let kek = crypto::secret_kek(&argon2id, secret, &salt)
                    .expect("Argon2Params are checked when made, and the salt is 16 bytes");
                record.secret = Some(SecretWrap {
                    kind,
                    argon2id,
                    salt,
                    wrapped: seal_key(&kek, &nonce, wrap_purpose(kind), key),
                });
                record.unprotected = None;
            }
            Way::Passkey {
                credential_id,
                prf_salt,
                prf_output,
            } => {
                let kek = crypto::passkey_kek(prf_output);
                let wrap = PasskeyWrap {
                    credential_id: credential_id.to_owned(),
                    prf_salt: *prf_salt,
                    wrapped: seal_key(&kek, &nonce, Purpose::PasskeyWrap(credential_id), key),
                };
                record.passkeys.retain(|p| p.credential_id != credential_id);
                record.passkeys.push(wrap);
                record.unprotected = None;
            }
        }
    }

    /// A new data key, reachable by `way`, and every value sealed under it. Values sealed under
    /// an unprotected key are re-sealed: that key, which lay unwrapped, opens nothing afterwards.
    /// Until they all are, the old key stays in the record sealed under the new one (nowhere
    /// unwrapped), so an interruption loses nothing.
    fn establish(&mut self, way: Way<'_>) -> Result<(), LockError> {
        let mut old = self.load_record()?;
        if let Some((record, text)) = old.take() {
            if record.is_protected() {
                return Err(LockError::AlreadySetUp);
            }
            // One re-keying at a time: finish the last one before the old key is replaced.
            if record.previous_key.is_some() {
                self.require_key(&record, text)?;
                self.finish_sealing()?;
                old = self.load_record()?;
            } else {
                old = Some((record, text));
            }
        }
        let old = old.map(|(record, _)| record);
        let key = SymmetricKey::generate(self.rng());
        let check_nonce = crypto::random_nonce(self.rng());
        let previous_nonce = crypto::random_nonce(self.rng());
        let mut record = LockRecord {
            version: RECORD_VERSION,
            key_check: crypto::seal(&key, &check_nonce, Purpose::KeyCheck, KEY_CHECK_PLAIN),
            unprotected: None,
            secret: None,
            passkeys: Vec::new(),
            recovery: None,
            previous_key: old
                .as_ref()
                .and_then(|r| r.unprotected.as_ref())
                .map(|old_key| seal_key(&key, &previous_nonce, Purpose::PreviousKey, old_key)),
            sealing_pending: true,
            wipe_after_failures: old.as_ref().is_some_and(|r| r.wipe_after_failures),
        };
        self.add_way(&mut record, &key, way);
        // The new key goes in place first, so the settings are read whether still plain or
        // under the old key; the key that was there goes back if the record cannot be written.
        let nonces = NonceStream::seeded(self.rng());
        let opened = Opened::new(key.clone(), &record, record.to_json(), nonces);
        let before = self.sealed_mut().install(Some(opened));
        let written = self.stored_settings_recovery(&key).and_then(|recovery| {
            record.recovery = recovery;
            Ok(self.sealed_mut().write_record(&record)?)
        });
        if let Err(err) = written {
            self.sealed_mut().install(before);
            return Err(err);
        }
        self.write_pre_unlock_if_absent();
        // The counter is stored from the start, while there is room: every attempt later only
        // replaces it (`Failures::store`). Left for the first attempt if even this does not fit.
        let _ = Failures::default().store(self.sealed_mut().inner_mut());
        self.finish_sealing()
    }

    fn recovery_copy(
        &mut self,
        key: &SymmetricKey,
        officer_key: &PublicKey,
    ) -> Result<RecoveryCopy, LockError> {
        let sealed = stodrutin_age::seal_to_key(key.expose(), officer_key, self.rng())
            .map_err(LockError::RecoveryKey)?;
        Ok(RecoveryCopy {
            to: officer_key.as_str().to_owned(),
            sealed,
        })
    }

    /// The recovery copy for the officer key in the stored settings, if there is one.
    fn stored_settings_recovery(
        &mut self,
        key: &SymmetricKey,
    ) -> Result<Option<RecoveryCopy>, LockError> {
        match self.stored_settings().and_then(|s| s.officer_key()) {
            Some(officer_key) => self.recovery_copy(key, &officer_key).map(Some),
            None => Ok(None),
        }
    }

    fn stored_settings(&self) -> Option<Settings> {
        let text = self.sealed().get(SETTINGS_KEY).ok()??;
        serde_json::from_str(&text).ok()
    }

    /// The lock screen's record, from the settings and profile, when the UI has not written one:
    /// a device that had call numbers before the lock still shows them when locked. A failure is
    /// left for the UI's next write (it writes one whenever the settings or language change).
    fn write_pre_unlock_if_absent(&mut self) {
        if !matches!(self.sealed().inner().get(PRE_UNLOCK_KEY), Ok(None)) {
            return;
        }
        let profile: Option<Profile> = self
            .sealed()
            .get(PROFILE_KEY)
            .ok()
            .flatten()
            .and_then(|text| serde_json::from_str(&text).ok());
        let pre = PreUnlock::of(
            &self.stored_settings().unwrap_or_default(),
            profile.as_ref(),
        );
        let _ = self.save_pre_unlock(&pre);
    }

    // ---- unlocking and locking ----

    pub fn unlock_with_pin(&mut self, pin: &str) -> Result<(), UnlockError> {
        self.unlock_with(Attempt::Secret(SecretKind::Pin, pin))
    }

    pub fn unlock_with_passphrase(&mut self, passphrase: &str) -> Result<(), UnlockError> {
        self.unlock_with(Attempt::Secret(SecretKind::Passphrase, passphrase))
    }

    /// With the PRF output WebAuthn gave for this credential and its stored PRF salt.
    pub fn unlock_with_passkey(
        &mut self,
        credential_id: &str,
        prf_output: &[u8; PRF_LEN],
    ) -> Result<(), UnlockError> {
        self.unlock_with(Attempt::Passkey(credential_id, prf_output))
    }

    /// The counter is raised and stored before the key is derived, so neither a reload nor a
    /// page closed during the derivation resets it; a right answer resets it.
    fn unlock_with(&mut self, attempt: Attempt<'_>) -> Result<(), UnlockError> {
        let (record, text) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        let found = match attempt {
            Attempt::Secret(kind, _) => record.secret.as_ref().is_some_and(|s| s.kind == kind),
            Attempt::Passkey(credential_id, _) => record.passkey(credential_id).is_some(),
        };
        if !found {
            return Err(UnlockError::NoSuchMethod);
        }
        let now = self.now();
        let failures = Failures::load(self.sealed().inner())?;
        if record.wipe_after_failures && failures.count >= WIPE_AFTER_FAILURES {
            // The limit was reached by an attempt whose page closed before it could wipe.
            self.wipe_all()?;
            return Err(UnlockError::Wiped);
        }
        if let Some(until) = next_attempt_at(failures.count, failures.last, now) {
            return Err(UnlockError::TooEarly { until });
        }
        let raised = Failures {
            count: failures.count + 1,
            last: Some(now),
        };
        raised.store(self.sealed_mut().inner_mut())?;
        let Some(key) = open_wrap(&record, &attempt)? else {
            if record.wipe_after_failures && raised.count >= WIPE_AFTER_FAILURES {
                self.wipe_all()?;
                return Err(UnlockError::Wiped);
            }
            return Err(UnlockError::Wrong {
                failures: raised.count,
                next_attempt_at: next_attempt_at(raised.count, raised.last, now),
            });
        };
        // The answer was right: a counter that cannot be reset now only delays later attempts.
        // (Reset, not removed: see `Failures::store`.)
        let _ = Failures::default().store(self.sealed_mut().inner_mut());
        if !key_matches(&key, &record) {
            return Err(LockError::WrongDataKey.into());
        }
        self.put_key_in_place(key, &record, text);
        // Sealing left from an interruption goes on; if it stops (a full storage), the status
        // says it is pending and `finish_sealing` says why. The unlock stands either way.
        let _ = self.finish_sealing();
        Ok(())
    }

    /// Drops the data key (wiped). In the unprotected mode there is nothing to lock: the key
    /// lies in the lock record, and stays in place.
    pub fn lock(&mut self) {
        let unprotected =
            matches!(self.load_record(), Ok(Some((record, _))) if !record.is_protected());
        if !unprotected {
            self.sealed_mut().install(None);
        }
    }

    // ---- bytes kept in memory across a lock ----

    /// Seals bytes to keep in memory while locked (a draft, unsaved events): they open again
    /// after an unlock, with the same data key.
    pub fn seal_in_memory(&mut self, plain: &[u8]) -> Result<Vec<u8>, LockError> {
        let nonce = crypto::random_nonce(self.rng());
        let opened = self.sealed().opened().ok_or(LockError::Locked)?;
        Ok(crypto::seal(&opened.key, &nonce, Purpose::Memory, plain))
    }

    pub fn open_in_memory(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, LockError> {
        let opened = self.sealed().opened().ok_or(LockError::Locked)?;
        crypto::open(&opened.key, Purpose::Memory, sealed)
            .ok()
            .or_else(|| crypto::open(opened.previous.as_ref()?, Purpose::Memory, sealed).ok())
            .ok_or(LockError::MemoryNotOpened)
    }

    // ---- the officer's way in, the lock screen's values, wiping ----

    /// The locked export (docs/locked-export-format.md): the recovery copy and every sealed
    /// case with its evidence files (`items`: every record of the item store, as stored), for
    /// the officer to open with their private key (`open_locked_export`). Made while locked,
    /// for a forgotten PIN.
    pub fn locked_export(
        &self,
        items: &[(String, Vec<u8>)],
    ) -> Result<export::LockedExportFile, LockError> {
        let (record, _) = self.load_record()?.ok_or(LockError::NotSetUp)?;
        export::build(&record, self.sealed().inner(), items)
    }

    /// The ids of the cases a locked export carries: the item store's records of these, and only
    /// these, are worth reading for it.
    pub fn locked_export_cases(&self) -> Result<Vec<String>, LockError> {
        export::case_ids(self.sealed().inner())
    }

    /// What the lock screen shows: stored plain, readable while locked. Missing or unreadable,
    /// the defaults (Swedish, no numbers).
    pub fn pre_unlock(&self) -> PreUnlock {
        self.sealed()
            .inner()
            .get(PRE_UNLOCK_KEY)
            .ok()
            .flatten()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Stores the lock screen's values (when the settings or the language change).
    pub fn save_pre_unlock(&mut self, pre: &PreUnlock) -> Result<(), KvError> {
        let text = serde_json::to_string(pre).expect("a pre-unlock record always serializes");
        self.sealed_mut().inner_mut().set(PRE_UNLOCK_KEY, &text)
    }

    /// Removes everything the app stored, the lock record first: without it no sealed value
    /// opens, even if the page closes before the rest is removed.
    pub fn wipe_all(&mut self) -> Result<(), KvError> {
        self.sealed_mut().remove(LOCK_KEY)?;
        self.wipe()
    }
}

enum Attempt<'a> {
    Secret(SecretKind, &'a str),
    Passkey(&'a str, &'a [u8; PRF_LEN]),
}

/// The data key, if the attempt's answer opens its wrap.
fn open_wrap(
    record: &LockRecord,
    attempt: &Attempt<'_>,
) -> Result<Option<SymmetricKey>, LockError> {
    match attempt {
        Attempt::Secret(kind, secret) => {
            let wrap = record.secret.as_ref().ok_or(LockError::DamagedRecord)?;
            let kek = crypto::secret_kek(&wrap.argon2id, secret, &wrap.salt)
                .ok_or(LockError::DamagedRecord)?;
            Ok(crypto::open_key(&kek, wrap_purpose(*kind), &wrap.wrapped).ok())
        }
        Attempt::Passkey(credential_id, prf_output) => {
            let wrap = record
                .passkey(credential_id)
                .ok_or(LockError::DamagedRecord)?;
            let kek = crypto::passkey_kek(prf_output);
            Ok(crypto::open_key(&kek, Purpose::PasskeyWrap(credential_id), &wrap.wrapped).ok())
        }
    }
}
