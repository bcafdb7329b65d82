//! How cases are kept on a device, over the `KeyValue` port: every rule of storing — the
//! envelope, its schema version, merging with what another tab wrote, keeping unreadable data
//! aside — lives here, above that interface.

use crate::ports::{KeyValue, KvError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stodrutin_domain::case::{Case, CaseId};
use stodrutin_domain::event::{EventId, Payload};
use zeroize::Zeroizing;

/// The version of the stored envelope. A newer app reads every older one; an older app leaves
/// newer data untouched.
/// 2 added `details_recorded` events: a schema-1 app that met one could not read the case, and
/// must see it as newer data to leave alone, never as damaged data to set aside and overwrite.
/// 3 added evidence and witnesses (`evidence_added`, `witness_added`), for the same reason; a
/// case without them is still written as schema 2, which the apps before evidence read (a
/// witness on the pack's list, a form record, is one of those).
pub const SCHEMA: u32 = 3;

/// The schema a case without evidence or witnesses is written in.
const SCHEMA_WITHOUT_EVIDENCE: u32 = 2;

/// Every key the app writes starts with this.
pub const APP_PREFIX: &str = "stodrutin.";
pub const CASE_PREFIX: &str = "stodrutin.case.";
/// How many events each case had when it was last exported (events are never removed, so a case
/// with more has changes not yet handed over).
pub const EXPORTED_PREFIX: &str = "stodrutin.exported.";
/// Where a stored value that could not be read is kept, untouched, before anything overwrites it.
pub const ASIDE_PREFIX: &str = "stodrutin.aside.";
/// The mark of a case deleted on this device: a save of it (a file being attached, another tab's
/// retry of events it held) must not bring it back. An import, which the user chooses, lifts it.
pub const DELETED_PREFIX: &str = "stodrutin.deleted.";

#[derive(Serialize, Deserialize)]
struct Envelope<C> {
    schema: u32,
    case: C,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Written by a newer version of the app.
    NewerSchema(u32),
    /// Not a stored case: broken JSON, a missing field, a truncated write.
    Unreadable(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NewerSchema(schema) => write!(f, "written by a newer app (schema {schema})"),
            ReadError::Unreadable(why) => write!(f, "unreadable: {why}"),
        }
    }
}

impl std::error::Error for ReadError {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    Storage(KvError),
    /// The stored copy was written by a newer app; nothing was changed.
    NewerSchema(u32),
    /// The stored copy and this one disagree on an event; nothing was changed.
    Conflict,
    /// The case was deleted on this device; it is not stored again.
    Deleted,
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Storage(err) => write!(f, "storage refused the write: {err}"),
            SaveError::NewerSchema(schema) => {
                write!(f, "the stored copy is from a newer app (schema {schema})")
            }
            SaveError::Conflict => f.write_str("the stored copy contradicts this one"),
            SaveError::Deleted => f.write_str("the case was deleted on this device"),
        }
    }
}

impl std::error::Error for SaveError {}

impl From<KvError> for SaveError {
    fn from(err: KvError) -> Self {
        SaveError::Storage(err)
    }
}

/// A stored value that could not be read, kept as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub key: String,
    pub error: ReadError,
    pub raw: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub cases: Vec<Case>,
    pub unreadable: Vec<Unreadable>,
}

fn deleted_key(id: &CaseId) -> String {
    format!("{DELETED_PREFIX}{}", id.as_str())
}

pub fn case_key(id: &CaseId) -> String {
    format!("{CASE_PREFIX}{}", id.as_str())
}

pub fn encode(case: &Case) -> String {
    let has_evidence = case.events().any(|event| {
        matches!(
            event.payload,
            Payload::EvidenceAdded { .. } | Payload::WitnessAdded { .. }
        )
    });
    serde_json::to_string(&Envelope {
        schema: if has_evidence {
            SCHEMA
        } else {
            SCHEMA_WITHOUT_EVIDENCE
        },
        case,
    })
    .expect("a case always serializes")
}

pub fn decode(raw: &str) -> Result<Case, ReadError> {
    #[derive(Deserialize)]
    struct SchemaOnly {
        schema: u32,
    }
    // One parse in the common case; only a failure is looked at again, to tell data from a newer
    // app (which may not parse as a case of this version) from damaged data.
    match serde_json::from_str::<Envelope<Case>>(raw) {
        Ok(envelope) if envelope.schema > SCHEMA => Err(ReadError::NewerSchema(envelope.schema)),
        Ok(envelope) => Ok(envelope.case),
        Err(err) => match serde_json::from_str::<SchemaOnly>(raw) {
            Ok(SchemaOnly { schema }) if schema > SCHEMA => Err(ReadError::NewerSchema(schema)),
            _ => Err(ReadError::Unreadable(err.to_string())),
        },
    }
}

/// A fingerprint of a stored value, to tell whether anyone wrote it since this app did.
fn fingerprint(raw: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    raw.hash(&mut hasher);
    hasher.finish()
}

struct Written {
    fingerprint: u64,
    events: Vec<EventId>,
}

pub struct CaseRepository<K> {
    pub kv: K,
    /// What this repository last wrote for each case: a fingerprint of the stored text and the
    /// events it held. When storage still holds exactly that text and the case being saved has all
    /// those events, the merge would change nothing, so the stored copy is not parsed again.
    written: BTreeMap<CaseId, Written>,
}

impl<K: KeyValue> CaseRepository<K> {
    pub fn new(kv: K) -> Self {
        CaseRepository {
            kv,
            written: BTreeMap::new(),
        }
    }

    /// Every stored case that can be read, and every one that cannot, untouched. Reading never
    /// deletes or rewrites anything.
    pub fn load_all(&self) -> Result<LoadReport, KvError> {
        let mut report = LoadReport::default();
        for key in self.keys_with(CASE_PREFIX)? {
            let raw = match find_value(&self.kv, &key)? {
                Some(Found::Opened(raw)) => raw,
                None => continue,
                // A sealed value that does not open: listed with its stored text, untouched.
                Some(Found::Damaged { stored, why }) => {
                    let error = ReadError::Unreadable(why);
                    report.unreadable.push(Unreadable {
                        key,
                        error,
                        raw: stored,
                    });
                    continue;
                }
            };
            match decode(&raw) {
                Ok(case) => report.cases.push(case),
                // Listed with the text as stored (sealed): what opened is never handed on, as a
                // raw export would write it in the clear.
                Err(error) => {
                    let raw = self.kv.get_raw(&key)?.unwrap_or_default();
                    report.unreadable.push(Unreadable { key, error, raw });
                }
            }
        }
        Ok(report)
    }

    pub fn load(&self, id: &CaseId) -> Result<Option<Case>, KvError> {
        Ok(self
            .kv
            .get(&case_key(id))?
            .and_then(|raw| decode(&raw).ok()))
    }

    /// Stores `case` merged with whatever copy is stored already (another tab may have appended
    /// to it), and returns the merged case. On any error nothing stored has changed.
    pub fn save(&mut self, case: &Case) -> Result<Case, SaveError> {
        if self.is_deleted(&case.id).map_err(SaveError::Storage)? {
            return Err(SaveError::Deleted);
        }
        let key = case_key(&case.id);
        let merged = match self.kv.get(&key).map_err(SaveError::Storage)? {
            None => case.clone(),
            Some(raw) if self.unchanged_since_written(case, &raw) => case.clone(),
            Some(raw) => match decode(&raw) {
                Ok(stored) => case.merge(&stored).map_err(|_| SaveError::Conflict)?,
                Err(ReadError::NewerSchema(schema)) => return Err(SaveError::NewerSchema(schema)),
                Err(ReadError::Unreadable(_)) => {
                    keep_aside(&mut self.kv, case.id.as_str(), &raw)?;
                    case.clone()
                }
            },
        };
        let raw = encode(&merged);
        self.kv.set(&key, &raw).map_err(SaveError::Storage)?;
        let written = Written {
            fingerprint: fingerprint(&raw),
            events: merged.events().map(|e| e.id.clone()).collect(),
        };
        self.written.insert(merged.id.clone(), written);
        Ok(merged)
    }

    fn unchanged_since_written(&self, case: &Case, raw: &str) -> bool {
        self.written.get(&case.id).is_some_and(|written| {
            written.fingerprint == fingerprint(raw)
                && written.events.iter().all(|id| case.contains(id))
        })
    }

    pub fn mark_exported(&mut self, case: &Case) -> Result<(), KvError> {
        let key = format!("{EXPORTED_PREFIX}{}", case.id.as_str());
        self.kv.set(&key, &case.event_count().to_string())
    }

    /// Event counts at the last export, by case.
    pub fn exported_counts(&self) -> Result<BTreeMap<CaseId, usize>, KvError> {
        let mut counts = BTreeMap::new();
        for key in self.kv.keys()? {
            if let Some(id) = key.strip_prefix(EXPORTED_PREFIX) {
                if let Some(count) = self.kv.get(&key)?.and_then(|v| v.parse().ok()) {
                    counts.insert(CaseId(id.to_owned()), count);
                }
            }
        }
        Ok(counts)
    }

    /// Deletes one case (the user confirmed it). Its aside copies go with it.
    pub fn delete(&mut self, id: &CaseId) -> Result<(), KvError> {
        let aside = format!("{ASIDE_PREFIX}{}.", id.as_str());
        for key in self.keys_with(&aside)? {
            self.kv.remove(&key)?;
        }
        self.written.remove(id);
        self.kv
            .remove(&format!("{EXPORTED_PREFIX}{}", id.as_str()))?;
        self.kv.remove(&case_key(id))?;
        // After the removal, which made room for it.
        self.kv.set(&deleted_key(id), "1")
    }

    /// Whether the case was deleted on this device.
    pub fn is_deleted(&self, id: &CaseId) -> Result<bool, KvError> {
        Ok(self.kv.get_raw(&deleted_key(id))?.is_some())
    }

    /// Lifts a case's deletion mark: the user takes the case in again.
    pub fn undelete(&mut self, id: &CaseId) -> Result<(), KvError> {
        self.kv.remove(&deleted_key(id))
    }

    /// Deletes everything the app stored on this device (for a lost or handed-over phone).
    pub fn wipe(&mut self) -> Result<(), KvError> {
        for key in self.keys_with(APP_PREFIX)? {
            self.kv.remove(&key)?;
        }
        self.written.clear();
        Ok(())
    }

    /// The stored keys that start with `prefix` (the storage may hold other sites' or tools'
    /// values too).
    fn keys_with(&self, prefix: &str) -> Result<Vec<String>, KvError> {
        let mut keys = self.kv.keys()?;
        keys.retain(|key| key.starts_with(prefix));
        Ok(keys)
    }

    /// Every value the app stored, exactly as stored (a sealed value stays sealed), in key
    /// order: what a raw export hands on when the lock record no longer reads and nothing can
    /// be opened, for someone who can repair it.
    pub fn stored_as_is(&self) -> Result<Vec<(String, String)>, KvError> {
        let mut stored = Vec::new();
        for key in self.keys_with(APP_PREFIX)? {
            if let Some(value) = self.kv.get_raw(&key)? {
                stored.push((key, value));
            }
        }
        stored.sort();
        Ok(stored)
    }

    /// Bytes the app's stored values take, counted as browsers count local storage (UTF-16):
    /// the values as stored (sealed, a third larger than what they hold), every one of them (a
    /// damaged value takes its room too).
    pub fn used_bytes(&self) -> Result<usize, KvError> {
        let mut total = 0;
        for key in self.keys_with(APP_PREFIX)? {
            let value = self.kv.get_raw(&key)?.unwrap_or_default();
            total += 2 * (key.encode_utf16().count() + value.encode_utf16().count());
        }
        Ok(total)
    }
}

/// A stored value as far as it reads: opened, or, sealed and not opening, its text as stored.
pub(crate) enum Found {
    Opened(Zeroizing<String>),
    Damaged { stored: String, why: String },
}

impl Found {
    /// The text a copy kept aside holds: the value opened, or as stored when it does not open.
    pub(crate) fn text(&self) -> &str {
        match self {
            Found::Opened(text) => text,
            Found::Damaged { stored, .. } => stored,
        }
    }
}

/// Reads `key` for a reader that keeps aside what it cannot use: a sealed value that does not
/// open is no error here, but its stored text (`Found::Damaged`).
pub(crate) fn find_value(kv: &impl KeyValue, key: &str) -> Result<Option<Found>, KvError> {
    match kv.get(key) {
        Ok(value) => Ok(value.map(|text| Found::Opened(Zeroizing::new(text)))),
        Err(KvError::Damaged(why)) => Ok(kv
            .get_raw(key)?
            .map(|stored| Found::Damaged { stored, why })),
        Err(err) => Err(err),
    }
}

/// Copies an unreadable stored value to a key of its own (`stodrutin.aside.<name>.<n>`) before
/// anything overwrites it. An earlier copy under another key is never replaced; the same value is
/// kept once.
pub fn keep_aside(kv: &mut impl KeyValue, name: &str, raw: &str) -> Result<String, KvError> {
    for n in 0.. {
        let aside_key = format!("{ASIDE_PREFIX}{name}.{n}");
        // What is read may be a key kept aside: wiped once compared.
        match kv.get(&aside_key)?.map(zeroize::Zeroizing::new) {
            Some(kept) if kept.as_str() == raw => return Ok(aside_key),
            Some(_) => continue,
            None => return kv.set(&aside_key, raw).map(|()| aside_key),
        }
    }
    unreachable!("some aside key is free")
}
