//! `CaseService`: everything the app does with what it stores — open, record, list, delete and
//! wipe cases; export and import them; keep the profile, the settings and the officer's key. It
//! holds the one repository over the `KeyValue` port, the clock and the random source.

use crate::device::{
    Profile, Settings, PRIVATE_KEY_ASIDE, PRIVATE_KEY_KEY, PROFILE_ASIDE, PROFILE_KEY,
    SETTINGS_ASIDE, SETTINGS_KEY,
};
use crate::evidence::{self, ItemKey, ItemSealing};
use crate::import::{
    self, Arrived, CheckedFile, CheckedImport, ImportArrival, ImportError, ImportReading,
    ImportSealing, ImportStep, LockedImport, ReadingStage, SealedImport, UnreadCase,
};
use crate::ports::{Clock, KeyValue, KvError};
use crate::routines::{Routines, ShippedPackError};
use crate::store::{
    find_value, keep_aside, CaseRepository, Found, LoadReport, ReadError, SaveError, Unreadable,
};
use chrono::{DateTime, Utc};
use rand_core::{CryptoRng, RngCore};
use std::collections::BTreeMap;
use stodrutin_age::{AgeError, KeyError, PassphraseError, PrivateKey, PublicKey, Sealing};
use stodrutin_domain::evidence::{EvidenceError, EvidenceItem, MAX_CASE_FILE_BYTES};
use stodrutin_domain::{case_file, Author, Case, CaseId, DeviceId, EventId, EventMeta, Payload};
use stodrutin_domain::{RecordError, Routine, RoutineRef};
use zeroize::Zeroizing;

/// Why an event was not recorded, or recorded only in memory.
#[derive(Clone, Debug)]
pub enum RecordFailure {
    /// The rules refused it; nothing changed.
    Refused(RecordError),
    /// The case follows a routine this app does not know; nothing changed.
    UnknownRoutine,
    /// The event is in `case` (to keep in memory and show as not saved), but storage refused it.
    NotSaved { case: Case, error: SaveError },
}

impl std::fmt::Display for RecordFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordFailure::Refused(err) => write!(f, "refused: {err}"),
            RecordFailure::UnknownRoutine => f.write_str("the case follows an unknown routine"),
            RecordFailure::NotSaved { error, .. } => write!(f, "not saved: {error}"),
        }
    }
}

impl std::error::Error for RecordFailure {}

/// scrypt work factor (N = 2^16, 64 MiB) of the officer's key backup. The backup guards the key
/// that opens every case sealed to the officer, and is opened once per new phone, not at the
/// scene, so it takes four times the work of a case file: measured by `make bench` ("open the
/// key backup"), about 1.7 s in Chromium at 4× CPU slowdown, inside the 3 s a restore may take;
/// 2^17 would pass 3 s and ask a phone's browser for 128 MiB.
pub const KEY_BACKUP_WORK_FACTOR: u8 = 16;
/// The backup's passphrase is at least this long: four or more ordinary words fit, and a guess
/// costs an attacker 2^16 scrypt work (see the closing note of the age issue for what that means
/// against a GPU).
pub const MIN_BACKUP_PASSPHRASE_CHARS: usize = 12;

/// Checks a new key-backup passphrase typed twice.
pub fn check_new_backup_passphrase(first: &str, repeat: &str) -> Result<(), PassphraseError> {
    stodrutin_age::check_new_passphrase_of(first, repeat, MIN_BACKUP_PASSPHRASE_CHARS)
}

/// How an exported case file is sealed.
#[derive(Clone, Copy)]
pub enum ExportSealing<'a> {
    /// Not at all (after the user's warning).
    Plain,
    /// To the officer's public key.
    ToKey(&'a PublicKey),
    /// To a passphrase.
    Passphrase(&'a str),
}

/// A case file ready to hand over.
pub struct ExportedFile {
    pub bytes: Vec<u8>,
    /// An age file.
    pub sealed: bool,
    /// A container with items (binary) rather than JSON or armored text.
    pub container: bool,
}

/// A case file being sealed in steps (`CaseService::exporting`): `step` seals a bounded share,
/// so a page can pause between steps; `finish` gives the file.
pub struct ExportWork {
    plain: Vec<u8>,
    sealing: Option<stodrutin_age::SealingInSteps>,
    /// How much of `plain` is sealed.
    pushed: usize,
    container: bool,
}

impl ExportWork {
    /// Seals about `budget` more bytes (at least one, when any is left); true once all are.
    pub fn step(&mut self, budget: usize) -> bool {
        if let Some(sealing) = &mut self.sealing {
            let rest = &self.plain[self.pushed..];
            let take = rest.len().min(budget.max(1));
            sealing.push(&rest[..take]);
            self.pushed += take;
        }
        self.sealing.is_none() || self.pushed == self.plain.len()
    }

    /// Bytes sealed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        match self.sealing {
            Some(_) => (self.pushed, self.plain.len()),
            None => (self.plain.len(), self.plain.len()),
        }
    }

    /// The file: binary when it holds items (a third smaller), an armored age file or plain
    /// JSON otherwise. Refused when sealing made it larger than `MAX_CASE_FILE_BYTES`.
    pub fn finish(mut self) -> Result<ExportedFile, ExportError> {
        while !self.step(usize::MAX) {}
        let sealed = self.sealing.is_some();
        let bytes = match self.sealing {
            None => self.plain,
            Some(sealing) if self.container => sealing.finish(),
            Some(sealing) => stodrutin_age::armor(&sealing.finish()).into_bytes(),
        };
        if bytes.len() as u64 > MAX_CASE_FILE_BYTES {
            return Err(ExportError::TooLarge {
                bytes: bytes.len() as u64,
            });
        }
        Ok(ExportedFile {
            bytes,
            sealed,
            container: self.container,
        })
    }
}

/// Why a case file was not made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    Key(KeyError),
    Passphrase(PassphraseError),
    /// The file would be larger than `MAX_CASE_FILE_BYTES`.
    TooLarge {
        bytes: u64,
    },
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Key(err) => err.fmt(f),
            ExportError::Passphrase(stodrutin_age::PassphraseError::TooShort { min }) => {
                write!(f, "the passphrase is shorter than {min} characters")
            }
            ExportError::Passphrase(stodrutin_age::PassphraseError::Differ) => {
                f.write_str("the two passphrases differ")
            }
            ExportError::TooLarge { bytes } => write!(
                f,
                "the case file would be {bytes} bytes, more than {MAX_CASE_FILE_BYTES}"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// Evidence being made ready to store: see `CaseService::prepare_evidence`. A file's bytes are
/// pushed (in pieces, so a page can pause between them), sealed and hashed as they come; `ready`
/// then gives what to store.
pub struct PreparedEvidence {
    case: Case,
    store_key: String,
    item: EvidenceItem,
    sealing: Option<ItemSealing>,
}

/// Evidence ready to store: the bytes first, then the case.
pub struct ReadyEvidence {
    /// The case with the item's event, to save once the bytes are stored.
    pub case: Case,
    /// Where the item's bytes go in the item store.
    pub store_key: String,
    /// A file's bytes, sealed under the item key; `None` for a message or link.
    pub sealed: Option<Vec<u8>>,
}

impl PreparedEvidence {
    /// Seals (and hashes) the next piece of a file's bytes; a message or link has none.
    pub fn push(&mut self, bytes: &[u8]) {
        if let Some(sealing) = &mut self.sealing {
            sealing.push(bytes);
        }
    }

    /// How many of the file's bytes were pushed, and its recorded size: for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        let pushed = self.sealing.as_ref().map_or(0, ItemSealing::pushed);
        (pushed as u64, self.item.size)
    }

    /// What to store, if the bytes pushed are the ones the item records (its size and SHA-256);
    /// refused otherwise, with nothing to store.
    pub fn ready(self) -> Result<ReadyEvidence, ItemFailure> {
        let sealed = match self.sealing {
            Some(sealing) => Some(sealing.finish_checked(&self.item).map_err(|_| {
                ItemFailure::Record(RecordFailure::Refused(RecordError::Evidence(
                    EvidenceError::DigestMismatch,
                )))
            })?),
            None => None,
        };
        Ok(ReadyEvidence {
            case: self.case,
            store_key: self.store_key,
            sealed,
        })
    }
}

/// Why an event that refers to an item was not recorded.
#[derive(Clone, Debug)]
pub enum ItemFailure {
    /// The item's bytes were not stored; no event was recorded.
    ItemNotStored(KvError),
    /// The item is stored; the event was refused or not saved.
    Record(RecordFailure),
}

impl std::fmt::Display for ItemFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemFailure::ItemNotStored(err) => write!(f, "the item was not stored: {err}"),
            ItemFailure::Record(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for ItemFailure {}

/// Why a key made on this device was not stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewKeyError {
    /// A readable key is stored already (made in another tab or window).
    KeyStored,
    Storage(KvError),
}

/// Why the officer's key backup was not restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupError {
    /// Not a passphrase-sealed file holding an age identity.
    NotABackup,
    /// The passphrase (or the file) did not open.
    Sealed(AgeError),
    Storage(KvError),
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupError::NotABackup => f.write_str("not a key backup"),
            BackupError::Sealed(err) => err.fmt(f),
            BackupError::Storage(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for BackupError {}

/// A device value as read at start: the value (or the default that replaces it) and, when the
/// stored one could not be read, where it was kept aside.
pub struct Loaded<T> {
    pub value: T,
    pub unreadable: Option<Unreadable>,
}

pub struct CaseService<K, C, R> {
    repository: CaseRepository<K>,
    routines: Routines,
    clock: C,
    rng: R,
}

impl<K: KeyValue, C: Clock, R: RngCore + CryptoRng> CaseService<K, C, R> {
    pub fn new(kv: K, clock: C, rng: R) -> Self {
        CaseService {
            repository: CaseRepository::new(kv),
            routines: Routines::default(),
            clock,
            rng,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// 128 random bits as 32 hex digits: ids of cases, events and devices.
    pub fn random_id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        stodrutin_domain::digest::hex(&bytes)
    }

    fn kv(&mut self) -> &mut K {
        &mut self.repository.kv
    }

    // ---- device values ----

    /// Reads a JSON device value. An unreadable one is kept aside (never deleted) and reported.
    fn load_value<T: serde::de::DeserializeOwned>(
        &mut self,
        key: &str,
        aside: &str,
    ) -> Result<(Option<T>, Option<Unreadable>), KvError> {
        // A sealed value that does not open: its stored text is kept aside like any other.
        let Some(found) = find_value(&self.repository.kv, key)? else {
            return Ok((None, None));
        };
        let parsed = match &found {
            Found::Opened(raw) => serde_json::from_str::<T>(raw).map_err(|err| err.to_string()),
            Found::Damaged { why, .. } => Err(why.clone()),
        };
        match parsed {
            Ok(value) => Ok((Some(value), None)),
            Err(why) => {
                // Reported by the copy kept aside, with its text as stored there (sealed under
                // that name), never as opened: a raw export hands the pair on.
                let kept = keep_aside(self.kv(), aside, found.text())?;
                let stored = self.repository.kv.get_raw(&kept)?.unwrap_or_default();
                let error = ReadError::Unreadable(why);
                Ok((
                    None,
                    Some(Unreadable {
                        key: kept,
                        error,
                        raw: stored,
                    }),
                ))
            }
        }
    }

    fn save_value<T: serde::Serialize>(&mut self, key: &str, value: &T) -> Result<(), KvError> {
        let raw = serde_json::to_string(value).expect("device values always serialize");
        self.kv().set(key, &raw)
    }

    /// The stored profile, or a new one with a fresh device id (stored at once, so the id stays).
    /// A damaged stored profile is kept aside and reported before the new one replaces it.
    pub fn load_profile(&mut self) -> Result<Loaded<Profile>, KvError> {
        let (stored, unreadable) = self.load_value::<Profile>(PROFILE_KEY, PROFILE_ASIDE)?;
        let value = match stored {
            Some(profile) => profile,
            None => {
                let profile = Profile::new(self.random_id());
                // A failure here is not fatal: the id is only needed once an event is
                // recorded, and the case's own save reports storage problems.
                let _ = self.save_profile(&profile);
                profile
            }
        };
        Ok(Loaded { value, unreadable })
    }

    /// The stored profile, if there is one this version reads; nothing is written.
    pub fn read_profile(&self) -> Option<Profile> {
        self.read_value(PROFILE_KEY)
    }

    /// The stored settings, if there are some this version reads; nothing is written.
    pub fn read_settings(&self) -> Option<Settings> {
        self.read_value(SETTINGS_KEY)
    }

    fn read_value<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let raw = Zeroizing::new(self.repository.kv.get(key).ok()??);
        serde_json::from_str(&raw).ok()
    }

    pub fn save_profile(&mut self, profile: &Profile) -> Result<(), KvError> {
        self.save_value(PROFILE_KEY, profile)
    }

    /// The stored settings, or none. A damaged stored value is kept aside and reported.
    pub fn load_settings(&mut self) -> Result<Loaded<Settings>, KvError> {
        let (stored, unreadable) = self.load_value::<Settings>(SETTINGS_KEY, SETTINGS_ASIDE)?;
        Ok(Loaded {
            value: stored.unwrap_or_default(),
            unreadable,
        })
    }

    pub fn save_settings(&mut self, settings: &Settings) -> Result<(), KvError> {
        self.save_value(SETTINGS_KEY, settings)
    }

    /// This device's private key, if the officer made or restored one here. A stored value that
    /// is not a key is kept aside and reported.
    pub fn load_private_key(&mut self) -> Result<Loaded<Option<PrivateKey>>, KvError> {
        // A sealed value that does not open is kept aside like one that does not read: a key
        // made or restored afterwards must not be the only copy left.
        let Some(found) = find_value(&self.repository.kv, PRIVATE_KEY_KEY)? else {
            return Ok(Loaded {
                value: None,
                unreadable: None,
            });
        };
        let why = match &found {
            Found::Opened(raw) => match PrivateKey::parse(raw) {
                Ok(key) => {
                    return Ok(Loaded {
                        value: Some(key),
                        unreadable: None,
                    })
                }
                Err(err) => err.to_string(),
            },
            Found::Damaged { why, .. } => why.clone(),
        };
        // Reported by the copy kept aside, with its stored (sealed) text: a raw export must not
        // write a key in the clear.
        let kept = keep_aside(self.kv(), PRIVATE_KEY_ASIDE, found.text())?;
        let stored = self.repository.kv.get_raw(&kept)?.unwrap_or_default();
        Ok(Loaded {
            value: None,
            unreadable: Some(Unreadable {
                key: kept,
                error: ReadError::Unreadable(why),
                raw: stored,
            }),
        })
    }

    /// Whether a readable key is stored on this device (made in another tab, perhaps).
    pub fn has_private_key(&self) -> bool {
        self.private_key().is_some()
    }

    fn private_key(&self) -> Option<PrivateKey> {
        let raw = Zeroizing::new(self.repository.kv.get(PRIVATE_KEY_KEY).ok().flatten()?);
        PrivateKey::parse(&raw).ok()
    }

    /// Stores a key made on this device. Refused when a readable key is stored already (made in
    /// another tab): the key support persons seal to is never replaced unseen. A stored value
    /// that does not read is kept aside first.
    pub fn store_new_key(&mut self, key: &PrivateKey) -> Result<(), NewKeyError> {
        if self.has_private_key() {
            return Err(NewKeyError::KeyStored);
        }
        self.replace_private_key(key).map_err(NewKeyError::Storage)
    }

    /// Stores a key restored from its backup. Another key stored before it (or a value that does
    /// not read) is kept aside first: restoring never loses a key.
    pub fn save_private_key(&mut self, key: &PrivateKey) -> Result<(), KvError> {
        self.replace_private_key(key)
    }

    fn replace_private_key(&mut self, key: &PrivateKey) -> Result<(), KvError> {
        let before = find_value(&self.repository.kv, PRIVATE_KEY_KEY)?;
        let same =
            |raw: &str| PrivateKey::parse(raw).is_ok_and(|stored| stored.public() == key.public());
        match before {
            Some(Found::Opened(raw)) if same(&raw) => return Ok(()),
            Some(found) => {
                keep_aside(self.kv(), PRIVATE_KEY_ASIDE, found.text())?;
            }
            None => {}
        }
        self.kv().set(PRIVATE_KEY_KEY, key.expose())
    }

    pub fn generate_key(&mut self) -> PrivateKey {
        PrivateKey::generate(&mut self.rng)
    }

    // ---- routine packs ----

    /// Takes the packs the build ships, `(file name, text)`; names each file left out.
    pub fn set_shipped_routines(&mut self, files: &[(String, String)]) -> Vec<ShippedPackError> {
        self.routines.set_shipped(files)
    }

    /// One more of the build's packs, after those taken before (see `Routines::add_shipped`).
    pub fn add_shipped_routine(&mut self, file: &str, text: &str) -> Result<(), ShippedPackError> {
        self.routines.add_shipped(file, text)
    }

    /// The packs the build ships, in its order.
    pub fn shipped_routines(&self) -> &[&'static Routine] {
        self.routines.shipped()
    }

    /// The packs a new case may follow: the build's, each routine in its newest version.
    pub fn offered_routines(&self) -> Vec<&'static Routine> {
        self.routines.offered()
    }

    pub fn is_shipped(&self, routine: &Routine) -> bool {
        self.routines.is_shipped(routine)
    }

    /// The pack a case follows, shipped or kept on this device.
    pub fn routine(&self, reference: &RoutineRef) -> Option<&'static Routine> {
        self.routines.find(reference)
    }

    /// Reads the packs this device keeps and keeps the pack of every stored case that follows a
    /// shipped one (cases stored before packs were kept). Run at start and after unlocking.
    pub fn load_routines(&mut self, cases: &[Case]) -> Result<(), KvError> {
        self.routines.load_kept(&self.repository.kv)?;
        self.routines
            .keep_for_cases(&mut self.repository.kv, cases.iter())
    }

    // ---- cases ----

    /// Every stored case that can be read, and every one that cannot, untouched.
    pub fn load_cases(&self) -> Result<LoadReport, KvError> {
        self.repository.load_all()
    }

    fn meta(&mut self, profile: &Profile) -> EventMeta {
        let name = profile.name.trim();
        EventMeta {
            id: EventId(self.random_id()),
            now: self.clock.now(),
            device: DeviceId(profile.device_id.clone()),
            author: Author {
                role: profile.acting_role(),
                name: (!name.is_empty()).then(|| name.to_owned()),
            },
        }
    }

    /// Opens a new case following `routine` and stores it, with the pack kept beside it.
    pub fn open_case(
        &mut self,
        profile: &Profile,
        routine: &'static Routine,
        incident_at: DateTime<Utc>,
    ) -> Result<Case, RecordFailure> {
        let id = CaseId(self.random_id());
        let meta = self.meta(profile);
        let case = Case::open(id, meta, routine, incident_at).map_err(RecordFailure::Refused)?;
        if let Err(error) = self.routines.keep(&mut self.repository.kv, routine) {
            return Err(RecordFailure::NotSaved {
                case,
                error: SaveError::Storage(error),
            });
        }
        self.save(case)
    }

    /// Records `payload` on `case` (this device's copy as shown, unsaved events included) and
    /// stores it. On success, the stored (merged) case.
    pub fn record(
        &mut self,
        case: &Case,
        profile: &Profile,
        payload: Payload,
    ) -> Result<Case, RecordFailure> {
        let routine = case
            .routine()
            .and_then(|r| self.routines.find(&r))
            .ok_or(RecordFailure::UnknownRoutine)?;
        let mut case = case.clone();
        let meta = self.meta(profile);
        case.record(routine, meta, payload)
            .map_err(RecordFailure::Refused)?;
        self.save(case)
    }

    /// The device's item key (made at the first item): what evidence bytes are sealed with.
    pub fn item_key(&mut self) -> Result<ItemKey, KvError> {
        ItemKey::load_or_create(&mut self.repository.kv, &mut self.rng)
    }

    /// The item key, if this device made one: for reading items, which never makes one.
    pub fn stored_item_key(&self) -> Result<Option<ItemKey>, KvError> {
        ItemKey::load(&self.repository.kv)
    }

    /// The first step of attaching evidence: the item's event recorded on a copy of `case` (so
    /// the rules refuse a bad item before anything is stored) and, for a file, a sealing made
    /// ready for its bytes. Nothing is stored yet: the caller pushes the bytes, puts the sealed
    /// value under `store_key`, and only then saves the case (`save`). An event never points at
    /// bytes that are not there.
    pub fn prepare_evidence(
        &mut self,
        case: &Case,
        profile: &Profile,
        item: EvidenceItem,
    ) -> Result<PreparedEvidence, ItemFailure> {
        let routine = self
            .routine_of(case)
            .ok_or(ItemFailure::Record(RecordFailure::UnknownRoutine))?;
        let mut recorded = case.clone();
        let meta = self.meta(profile);
        recorded
            .record(routine, meta, Payload::EvidenceAdded { item: item.clone() })
            .map_err(|e| ItemFailure::Record(RecordFailure::Refused(e)))?;
        let sealing = match item.kind.has_file() {
            true => {
                let item_key = self.item_key().map_err(ItemFailure::ItemNotStored)?;
                Some(item_key.sealing_checked(&case.id, &item, &mut self.rng))
            }
            false => None,
        };
        Ok(PreparedEvidence {
            case: recorded,
            store_key: evidence::store_key(&case.id, &item.id),
            item,
            sealing,
        })
    }

    /// Attaches evidence in one go (`prepare_evidence`, the bytes, the item store's write,
    /// `save`): for callers that may hold the service across the write (tests; the app holds it
    /// in a cell and takes the steps itself).
    pub async fn record_with_item(
        &mut self,
        items: &mut impl crate::ports::ItemStore,
        case: &Case,
        profile: &Profile,
        item: EvidenceItem,
        bytes: Option<&[u8]>,
    ) -> Result<Case, ItemFailure> {
        let mut prepared = self.prepare_evidence(case, profile, item)?;
        prepared.push(bytes.unwrap_or_default());
        let ready = prepared.ready()?;
        if let Some(sealed) = &ready.sealed {
            items
                .put(&ready.store_key, sealed)
                .await
                .map_err(ItemFailure::ItemNotStored)?;
        }
        self.save(ready.case).map_err(ItemFailure::Record)
    }

    /// Stores `case` merged with the stored copy, and keeps the pack it follows (once). Storage
    /// refusing either hands the case back.
    pub fn save(&mut self, case: Case) -> Result<Case, RecordFailure> {
        if let Some(routine) = case.routine().and_then(|r| self.routines.find(&r)) {
            if let Err(error) = self.routines.keep(&mut self.repository.kv, routine) {
                return Err(RecordFailure::NotSaved {
                    case,
                    error: SaveError::Storage(error),
                });
            }
        }
        match self.repository.save(&case) {
            Ok(merged) => Ok(merged),
            Err(error) => Err(RecordFailure::NotSaved { case, error }),
        }
    }

    pub fn delete_case(&mut self, id: &CaseId) -> Result<(), KvError> {
        self.repository.delete(id)
    }

    /// Deletes everything the app stored on this device (a lost or handed-over phone).
    pub fn wipe(&mut self) -> Result<(), KvError> {
        // The kept packs go with the cases; the shipped ones stay known.
        self.routines.forget_kept();
        self.repository.wipe()
    }

    /// Every value the app stored, as stored (behind the lock: the lock record as it reads,
    /// the rest sealed), whatever the lock record's state.
    pub fn stored_as_is(&self) -> Result<Vec<(String, String)>, KvError> {
        self.repository.stored_as_is()
    }

    pub fn used_bytes(&self) -> Result<usize, KvError> {
        self.repository.used_bytes()
    }

    pub fn mark_exported(&mut self, case: &Case) -> Result<(), KvError> {
        self.repository.mark_exported(case)
    }

    pub fn exported_counts(&self) -> Result<BTreeMap<CaseId, usize>, KvError> {
        self.repository.exported_counts()
    }

    // ---- handover ----

    /// The case file with its items' bytes (`items`: each file item with its bytes, checked by
    /// the caller): the container when it holds items, the plain JSON otherwise; sealed as
    /// `how` says, binary when it holds items (a third smaller than armored). Refused when the
    /// file would be larger than `MAX_CASE_FILE_BYTES`.
    pub fn export_file(
        &mut self,
        case: &Case,
        items: &[(&EvidenceItem, &[u8])],
        how: ExportSealing<'_>,
    ) -> Result<ExportedFile, ExportError> {
        self.exporting(case, items, how)?.finish()
    }

    /// Starts making the case file `export_file` makes, sealed in steps (`ExportWork`): the
    /// container is written here, its sealing (the long part) a share per step. A passphrase's
    /// work (about a second) is done here.
    pub fn exporting(
        &mut self,
        case: &Case,
        items: &[(&EvidenceItem, &[u8])],
        how: ExportSealing<'_>,
    ) -> Result<ExportWork, ExportError> {
        let routine = self.routine_of(case);
        let with_items = !items.is_empty();
        let plain = if with_items {
            case_file::export_container(case, routine, items, self.clock.now())
        } else {
            case_file::export(case, routine).into_bytes()
        };
        if plain.len() as u64 > MAX_CASE_FILE_BYTES {
            return Err(ExportError::TooLarge {
                bytes: plain.len() as u64,
            });
        }
        let mut sealing = match how {
            ExportSealing::Plain => None,
            ExportSealing::ToKey(key) => Some(
                stodrutin_age::seal_to_key_in_steps(key, &mut self.rng)
                    .map_err(ExportError::Key)?,
            ),
            ExportSealing::Passphrase(passphrase) => Some(
                stodrutin_age::seal_with_passphrase_in_steps_at(
                    passphrase,
                    stodrutin_age::PASSPHRASE_WORK_FACTOR,
                    &mut self.rng,
                )
                .map_err(ExportError::Passphrase)?,
            ),
        };
        if let Some(sealing) = &mut sealing {
            sealing.reserve(plain.len());
        }
        Ok(ExportWork {
            plain,
            sealing,
            pushed: 0,
            container: with_items,
        })
    }

    /// An import's items the item store does not hold yet (`stored`: the store keys it
    /// holds), sealed for it, as `(store key, sealed bytes)`: the caller stores them all before
    /// `commit_import`, so the case never names bytes that are not there. An item stored already
    /// keeps its bytes (checked against the same digest). In one go: `sealing_import_items`
    /// does it in steps.
    pub fn seal_import_items(
        &mut self,
        checked: &CheckedImport,
        stored: &[String],
    ) -> Result<Vec<(String, Vec<u8>)>, KvError> {
        Ok(self.sealing_import_items(checked, stored)?.finish())
    }

    /// Starts sealing an import's items (`seal_import_items`) a share at a time.
    pub fn sealing_import_items<'c>(
        &mut self,
        checked: &'c CheckedImport,
        stored: &[String],
    ) -> Result<ImportSealing<'c>, KvError> {
        let wanted: Vec<(String, &'c [u8])> = checked
            .items
            .iter()
            .map(|(id, bytes)| (evidence::store_key(checked.case_id(), id), bytes.as_slice()))
            .filter(|(store_key, _)| !stored.contains(store_key))
            .collect();
        if wanted.is_empty() {
            return Ok(ImportSealing::default());
        }
        let key = self.item_key()?;
        let items = wanted
            .into_iter()
            .map(|(store_key, bytes)| {
                let sealing = key.sealing(&store_key, bytes.len(), &mut self.rng);
                (store_key, bytes, sealing)
            })
            .collect();
        Ok(ImportSealing { items, next: 0 })
    }

    /// The officer's key as an age identity file sealed to a passphrase: the key backup.
    pub fn seal_key_backup(
        &mut self,
        key: &PrivateKey,
        passphrase: &str,
        created: &str,
    ) -> Result<String, PassphraseError> {
        check_new_backup_passphrase(passphrase, passphrase)?;
        stodrutin_age::seal_with_passphrase_at(
            key.to_identity_file(created).as_bytes(),
            passphrase,
            KEY_BACKUP_WORK_FACTOR,
            &mut self.rng,
        )
    }

    /// Opens a key backup and stores the key it holds.
    pub fn restore_key_backup(
        &mut self,
        bytes: &[u8],
        passphrase: &str,
    ) -> Result<PrivateKey, BackupError> {
        if !stodrutin_age::looks_sealed(bytes) {
            return Err(BackupError::NotABackup);
        }
        let file = stodrutin_age::AgeFile::parse(bytes).map_err(|_| BackupError::NotABackup)?;
        if file.sealing() != Sealing::ToPassphrase {
            return Err(BackupError::NotABackup);
        }
        let plain = Zeroizing::new(
            file.open_with_passphrase(passphrase)
                .map_err(BackupError::Sealed)?,
        );
        let key = std::str::from_utf8(&plain)
            .ok()
            .and_then(PrivateKey::from_identity_file)
            .ok_or(BackupError::NotABackup)?;
        self.save_private_key(&key).map_err(BackupError::Storage)?;
        Ok(key)
    }

    /// The first step of an import: reads the bytes once. A passphrase file waits for its
    /// passphrase; any other file is opened, checked and merged with `local` (this device's copy
    /// as shown, if it holds the case). In one go: `arrive` and the steps after it do the same
    /// with pauses.
    pub fn begin_import(
        &self,
        bytes: &[u8],
        local: impl Fn(&CaseId) -> Option<Case>,
    ) -> Result<ImportStep, ImportError> {
        match self.arrive(bytes.to_vec())? {
            ImportArrival::Reading(reading) => {
                self.finish_one(reading, local).map(ImportStep::Checked)
            }
            ImportArrival::Sealed(sealed) if sealed.needs_passphrase() => {
                Ok(ImportStep::NeedsPassphrase(sealed))
            }
            ImportArrival::Sealed(sealed) => {
                let reading = self.reading_with_key(&sealed)?;
                self.finish_one(reading, local).map(ImportStep::Checked)
            }
            ImportArrival::Locked(locked) => {
                let reading = self.reading_locked(&locked)?;
                self.finish_import(reading, &local)
                    .map(ImportStep::CheckedMany)
            }
        }
    }

    /// What a file is, read once: a plain file to read (`ImportReading`), a sealed one to open
    /// (`reading_with_key`, `reading_with_passphrase`), or a locked export to open with this
    /// device's key (`reading_locked`).
    pub fn arrive(&self, bytes: Vec<u8>) -> Result<ImportArrival, ImportError> {
        match import::arrive(bytes)? {
            Arrived::LockedExport(bytes) => Ok(ImportArrival::Locked(LockedImport { bytes })),
            Arrived::Plain(plain) => ImportReading::plain(plain).map(ImportArrival::Reading),
            Arrived::Sealed(file) => Ok(ImportArrival::Sealed(SealedImport { file })),
        }
    }

    /// Starts opening a locked export with this device's key (the officer's): its recovery
    /// copy and cases at once, its files in the steps.
    pub fn reading_locked<'a>(
        &self,
        locked: &'a LockedImport,
    ) -> Result<ImportReading<'a>, ImportError> {
        let key = self.private_key().ok_or(ImportError::NoKey)?;
        let opening = crate::lock::LockedOpening::new(&locked.bytes, &key)
            .map_err(ImportError::LockedExport)?;
        Ok(ImportReading::locked(opening))
    }

    /// Starts opening a file sealed to this device's key.
    pub fn reading_with_key<'a>(
        &self,
        sealed: &'a SealedImport,
    ) -> Result<ImportReading<'a>, ImportError> {
        let key = self.private_key().ok_or(ImportError::NoKey)?;
        Ok(ImportReading::sealed(sealed.file.opening_with_key(&key)?))
    }

    /// Starts opening a file sealed to a passphrase (the passphrase's work, about a second, is
    /// done here). A wrong passphrase leaves `sealed` as it was, to try again.
    pub fn reading_with_passphrase<'a>(
        &self,
        sealed: &'a SealedImport,
        passphrase: &str,
    ) -> Result<ImportReading<'a>, ImportError> {
        Ok(ImportReading::sealed(
            sealed.file.opening_with_passphrase(passphrase)?,
        ))
    }

    /// The last step of reading a file: its case, or each case of a locked export, read and
    /// checked, and merged with `local` (this device's copy, if it holds the case). A locked
    /// export's case that does not read or check is left out, named, and the others come in;
    /// when none does, the first one's error is the outcome.
    pub fn finish_import(
        &self,
        reading: ImportReading<'_>,
        local: &dyn Fn(&CaseId) -> Option<Case>,
    ) -> Result<CheckedFile, ImportError> {
        let opening = match reading.stage {
            ReadingStage::Locked(opening) => opening,
            stage => {
                let reading = ImportReading { stage, ..reading };
                return self.finish_one(reading, local).map(|one| CheckedFile {
                    cases: vec![one],
                    unread: Vec::new(),
                });
            }
        };
        let content = opening.finish().map_err(ImportError::LockedExport)?;
        let mut checked = CheckedFile {
            cases: Vec::with_capacity(content.cases.len()),
            unread: content.unread,
        };
        for (case, items) in content.cases {
            // Each case is held to the rules of a case file: re-read as one, carrying its pack
            // (this device's, or the one the phone kept).
            let kept = || {
                let reference = case.routine()?;
                content.packs.iter().find(|pack| reference.names(pack))
            };
            let file = case_file::export(&case, self.routine_of(&case).or_else(kept));
            let local = local(&case.id);
            let outcome = ImportReading::plain(file.into_bytes())
                .and_then(|reading| self.read_through(reading))
                .and_then(|read| import::check(import::Imported { items, ..read }, local.as_ref()));
            match outcome {
                Ok(one) => checked.cases.push(one),
                Err(error) => checked.unread.push(UnreadCase {
                    id: case.id.as_str().to_owned(),
                    error,
                }),
            }
        }
        // Nothing to take in: the first case's reason (not a file's, which says less).
        if checked.cases.is_empty() {
            let is_case = |unread: &&UnreadCase| CaseId::is_well_formed(&unread.id);
            let first = checked
                .unread
                .iter()
                .find(is_case)
                .or(checked.unread.first());
            if let Some(first) = first {
                return Err(first.error.clone());
            }
        }
        Ok(checked)
    }

    /// `finish_import` for a reading of one case file.
    fn finish_one(
        &self,
        reading: ImportReading<'_>,
        local: impl FnOnce(&CaseId) -> Option<Case>,
    ) -> Result<CheckedImport, ImportError> {
        let imported = self.read_through(reading)?;
        let local = local(&imported.case.id);
        import::check(imported, local.as_ref())
    }

    /// Reads and checks a file's case with the packs this device knows (and the one the file
    /// carries).
    fn read_through(&self, reading: ImportReading<'_>) -> Result<import::Imported, ImportError> {
        reading.finish(self.clock.now(), &|r| self.routines.find(r))
    }

    /// Opens a waiting passphrase file. A wrong passphrase leaves `sealed` as it was, to try again.
    pub fn open_import(
        &self,
        sealed: &SealedImport,
        passphrase: &str,
        local: impl FnOnce(&CaseId) -> Option<Case>,
    ) -> Result<CheckedImport, ImportError> {
        let reading = self.reading_with_passphrase(sealed, passphrase)?;
        self.finish_one(reading, local)
    }

    /// Stores a checked import: the merged case, merged once more only if another tab wrote the
    /// case since.
    pub fn commit_import(&mut self, checked: CheckedImport) -> Result<Case, RecordFailure> {
        // Taken in again by the user's choice: a deletion on this device no longer holds.
        if let Err(error) = self.repository.undelete(&checked.merged.id) {
            return Err(RecordFailure::NotSaved {
                case: checked.merged,
                error: SaveError::Storage(error),
            });
        }
        if let Some(routine) = checked.new_routine {
            if let Err(error) = self.routines.keep(&mut self.repository.kv, routine) {
                return Err(RecordFailure::NotSaved {
                    case: checked.merged,
                    error: SaveError::Storage(error),
                });
            }
        }
        self.save(checked.merged)
    }

    /// The pack a case follows, if this device has it.
    fn routine_of(&self, case: &Case) -> Option<&'static Routine> {
        case.routine().and_then(|r| self.routines.find(&r))
    }
}

// ---- the parts the lock API (`crate::lock`, methods of `CaseService<SealedKv<K>, C, R>`) uses ----

impl<K, C, R> CaseService<K, C, R> {
    pub(crate) fn lock_parts(&self) -> (&CaseRepository<K>, &C) {
        (&self.repository, &self.clock)
    }

    pub(crate) fn lock_parts_mut(&mut self) -> (&mut CaseRepository<K>, &C, &mut R) {
        (&mut self.repository, &self.clock, &mut self.rng)
    }
}
