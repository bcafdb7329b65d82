//! The locked export (docs/locked-export-format.md): when the PIN is forgotten, the phone — still
//! locked — hands the party security officer a file holding the recovery copy of the data key
//! (sealed to the officer's public key) and every sealed case value as stored, with the evidence
//! files as stored (sealed under the item key, itself a sealed value in the file). Only the
//! officer's private key opens it; nothing in it is readable on the way.

use super::crypto::{self, Purpose, SymmetricKey};
use super::kv::sealed_bytes;
use super::record::LockRecord;
use super::{LockError, LockedExportError};
use crate::evidence::{store_key, ItemKey, ItemOpening, ITEM_KEY_NAME};
use crate::import::{ImportError, UnreadCase};
use crate::ports::KeyValue;
use crate::routines::ROUTINE_PREFIX;
use crate::store::{decode, CASE_PREFIX};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stodrutin_age::{AgeFile, PrivateKey};
use stodrutin_domain::container::{self, Entry};
use stodrutin_domain::evidence::EvidenceItem;
use stodrutin_domain::evidence::MAX_CASE_FILE_BYTES;
use stodrutin_domain::{Case, Routine};
use zeroize::Zeroizing;

pub const LOCKED_EXPORT_FORMAT: &str = "stodrutin-locked-export";
/// 2 carries the evidence files: a tar of the export's JSON (with the sealed item key) and each
/// file as stored. An export without files is still written as version 1, which the apps before
/// it read.
pub const LOCKED_EXPORT_VERSION: u32 = 2;
const VERSION_WITHOUT_ITEMS: u32 = 1;

/// The export's JSON inside a version-2 container, and where its files are.
const CONTAINER_JSON_NAME: &str = "locked-export.json";
const CONTAINER_ITEMS_DIR: &str = "evidence/";

/// A locked export: JSON text, or a tar with the evidence files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockedExportFile {
    pub bytes: Vec<u8>,
    /// A container (tar) rather than JSON text.
    pub container: bool,
    /// The evidence files that did not fit within `MAX_CASE_FILE_BYTES` (they stay on the
    /// phone).
    pub left_out: usize,
}

#[derive(Serialize, Deserialize)]
struct LockedExport {
    format: String,
    version: u32,
    /// The armored age file sealed to the officer's key; its plaintext is the data key.
    recovery: String,
    /// During a re-keying: the previous data key sealed under the data key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous_key: Option<String>,
    /// Storage key → base64 of the sealed value's nonce || ciphertext.
    cases: BTreeMap<String, String>,
    /// Version 2: the item key's stored value, sealed (base64), when the file carries evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item_key: Option<String>,
    /// The routine packs the phone keeps (carried in by case files), as `cases`: a case that
    /// follows one opens where the officer's app lacks it. (Read by apps since; older ones
    /// ignore it.)
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    routines: BTreeMap<String, String>,
}

/// The ids of the cases a locked export carries: those sealed in storage (a case still plain,
/// its sealing pending, must not travel unsealed, and cannot be sealed without the data key).
pub(crate) fn case_ids(kv: &impl KeyValue) -> Result<Vec<String>, LockError> {
    Ok(sealed_values(kv, CASE_PREFIX)?
        .into_keys()
        .filter_map(|key| key.strip_prefix(CASE_PREFIX).map(str::to_owned))
        .collect())
}

/// Every sealed value under `prefix` as stored, by storage key, as base64 of its sealed bytes.
fn sealed_values(kv: &impl KeyValue, prefix: &str) -> Result<BTreeMap<String, String>, LockError> {
    let mut values = BTreeMap::new();
    for key in kv.keys()? {
        if !key.starts_with(prefix) {
            continue;
        }
        if let Some(bytes) = kv.get(&key)?.as_deref().and_then(sealed_bytes) {
            values.insert(key, STANDARD.encode(bytes));
        }
    }
    Ok(values)
}

/// The locked export of the storage under `record`, with `items` (evidence files as the item
/// store holds them, by store key) of the cases in it, as many as fit within
/// `MAX_CASE_FILE_BYTES`, smallest first.
pub(crate) fn build(
    record: &LockRecord,
    kv: &impl KeyValue,
    items: &[(String, Vec<u8>)],
) -> Result<LockedExportFile, LockError> {
    let recovery = record.recovery.as_ref().ok_or(LockError::NoRecovery)?;
    let cases = sealed_values(kv, CASE_PREFIX)?;
    let routines = sealed_values(kv, ROUTINE_PREFIX)?;
    let item_key = kv.get(ITEM_KEY_NAME)?.as_deref().and_then(sealed_bytes);
    let mut export = LockedExport {
        format: LOCKED_EXPORT_FORMAT.to_owned(),
        version: LOCKED_EXPORT_VERSION,
        recovery: recovery.sealed.clone(),
        previous_key: record.previous_key.map(|sealed| STANDARD.encode(sealed)),
        cases,
        item_key: item_key.map(|bytes| STANDARD.encode(bytes)),
        routines,
    };
    // The files of the cases in the file (a tar can name them), smallest first while they fit
    // beside the JSON: a file takes its size and at most 1,024 bytes of tar.
    let mut carried: Vec<&(String, Vec<u8>)> = items
        .iter()
        .filter(|(name, _)| {
            let case = name.rsplit_once('/').map_or("", |(case, _)| case);
            export.cases.contains_key(&format!("{CASE_PREFIX}{case}"))
        })
        .collect();
    let offered = carried.len();
    carried.sort_unstable_by_key(|(_, bytes)| bytes.len());
    let json_len = serde_json::to_string(&export).map_or(0, |json| json.len()) as u64;
    let mut room = MAX_CASE_FILE_BYTES.saturating_sub(json_len + 2048);
    let fitting = carried
        .iter()
        .take_while(|(_, bytes)| {
            let cost = bytes.len() as u64 + 1024;
            let fits = cost <= room;
            room = room.saturating_sub(cost);
            fits
        })
        .count();
    carried.truncate(if export.item_key.is_some() {
        fitting
    } else {
        0
    });
    if !carried.is_empty() {
        let json = serde_json::to_string(&export).expect("a locked export always serializes");
        let names: Vec<String> = carried
            .iter()
            .map(|(name, _)| format!("{CONTAINER_ITEMS_DIR}{name}"))
            .collect();
        let mut entries = vec![Entry {
            name: CONTAINER_JSON_NAME.into(),
            bytes: json.as_bytes(),
        }];
        entries.extend(carried.iter().zip(&names).map(|((_, bytes), name)| Entry {
            name: name.as_str().into(),
            bytes,
        }));
        // A name no tar can hold (a case id from an odd file) leaves the files out, never the
        // cases.
        if let Ok(bytes) = container::write_tar(&entries, 0) {
            return Ok(LockedExportFile {
                bytes,
                container: true,
                left_out: offered - carried.len(),
            });
        }
    }
    export.version = VERSION_WITHOUT_ITEMS;
    export.item_key = None;
    Ok(LockedExportFile {
        bytes: serde_json::to_string(&export)
            .expect("a locked export always serializes")
            .into_bytes(),
        container: false,
        left_out: offered,
    })
}

/// Whether `bytes` are a locked export: its JSON, or a container holding it.
pub(crate) fn is_locked_export(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Format {
        format: Option<String>,
    }
    let json = match container::looks_like_tar(bytes) {
        true => return json_of_container(bytes).is_some(),
        false => bytes,
    };
    std::str::from_utf8(json)
        .ok()
        .and_then(|text| serde_json::from_str::<Format>(text).ok())
        .and_then(|f| f.format)
        .is_some_and(|f| f == LOCKED_EXPORT_FORMAT)
}

/// The export's JSON in a container, if it is one of ours: its first entry.
fn json_of_container(bytes: &[u8]) -> Option<Vec<container::Entry<'_>>> {
    let entries = container::read_tar(bytes, MAX_ENTRIES).ok()?;
    (entries.first()?.name == CONTAINER_JSON_NAME).then_some(entries)
}

/// A locked export holds a case's files at most, and cases: far fewer than this.
const MAX_ENTRIES: usize = 20_000;

/// A case from a locked export, with the bytes of the evidence files the export carries for it
/// (by item id), each opened and checked against its event's SHA-256.
pub type UnlockedCase = (Case, BTreeMap<String, Vec<u8>>);

/// Opens a locked export (its JSON, or the container of version 2) with the officer's private
/// key: every case in it that reads, with its files, and those that do not. In one go: `LockedOpening` does the same in steps.
pub fn open_locked_export(
    bytes: &[u8],
    key: &PrivateKey,
) -> Result<LockedContent, LockedExportError> {
    LockedOpening::new(bytes, key)?.finish()
}

/// Opening a locked export in steps: the recovery copy and the cases (small) at once, then the
/// evidence files a share at a time (`step`), each checked against its event's SHA-256, so that
/// fifty megabytes of files do not hold the page in one task.
pub struct LockedOpening<'a> {
    cases: Vec<UnlockedCase>,
    /// The cases that did not open or read, left out.
    unread: Vec<UnreadCase>,
    /// The routine packs the phone kept, those that open and check under their hash.
    packs: Vec<Routine>,
    /// Opens the files; there is none without files.
    item_key: Option<ItemKey>,
    files: Vec<LockedFile<'a>>,
    /// The file being opened (`files[next]`), once begun.
    next: usize,
    opening: Option<ItemOpening<'a>>,
    /// The stored bytes of the files opened so far, and of all of them.
    done: usize,
    total: usize,
}

/// A file of the export: the case it belongs to (its place in `cases`), the item its event
/// records, the file as stored, and its name in the container (for errors).
struct LockedFile<'a> {
    case: usize,
    item: EvidenceItem,
    stored: &'a [u8],
    name: String,
}

impl<'a> LockedOpening<'a> {
    /// Reads the export and opens its recovery copy and cases; checks that every file is one a
    /// case in it records (the files themselves are opened by `step`).
    pub fn new(bytes: &'a [u8], key: &PrivateKey) -> Result<LockedOpening<'a>, LockedExportError> {
        #[derive(Deserialize)]
        struct Head {
            format: String,
            version: u32,
        }
        let entries = match container::looks_like_tar(bytes) {
            true => json_of_container(bytes).ok_or(LockedExportError::NotALockedExport)?,
            false => vec![Entry {
                name: CONTAINER_JSON_NAME.into(),
                bytes,
            }],
        };
        let text = std::str::from_utf8(entries[0].bytes)
            .map_err(|_| LockedExportError::NotALockedExport)?;
        let head: Head =
            serde_json::from_str(text).map_err(|_| LockedExportError::NotALockedExport)?;
        if head.format != LOCKED_EXPORT_FORMAT {
            return Err(LockedExportError::NotALockedExport);
        }
        if head.version > LOCKED_EXPORT_VERSION {
            return Err(LockedExportError::NewerVersion(head.version));
        }
        let export: LockedExport =
            serde_json::from_str(text).map_err(|_| LockedExportError::NotALockedExport)?;
        let recovery = AgeFile::parse(export.recovery.as_bytes())
            .and_then(|file| file.open_with_key(key))
            .map(Zeroizing::new)
            .map_err(LockedExportError::Recovery)?;
        let data_key = SymmetricKey::from_slice(&recovery).ok_or(LockedExportError::NotADataKey)?;
        let previous = match &export.previous_key {
            None => None,
            Some(sealed) => {
                let sealed = STANDARD
                    .decode(sealed)
                    .map_err(|_| LockedExportError::NotALockedExport)?;
                crypto::open_key(&data_key, Purpose::PreviousKey, &sealed).ok()
            }
        };
        // A stored value, opened under the data key or, failing that, the previous one.
        let open_value = |name: &str, sealed: &str| {
            let damaged = || LockedExportError::Damaged(name.to_owned());
            let sealed = STANDARD.decode(sealed).map_err(|_| damaged())?;
            crypto::open(&data_key, Purpose::Value(name), &sealed)
                .ok()
                .or_else(|| crypto::open(previous.as_ref()?, Purpose::Value(name), &sealed).ok())
                .ok_or_else(damaged)
        };
        // A case that does not open or read is left out and named; the others come in (a
        // forgotten PIN must not cost every case for one damaged value).
        let mut cases = Vec::with_capacity(export.cases.len());
        let mut unread = Vec::new();
        for (name, sealed) in &export.cases {
            let read = open_value(name, sealed).and_then(|plain| {
                let text = std::str::from_utf8(&plain)
                    .map_err(|_| LockedExportError::Damaged(name.clone()))?;
                decode(text).map_err(|error| LockedExportError::Case {
                    key: name.clone(),
                    error,
                })
            });
            match read {
                Ok(case) => cases.push((case, BTreeMap::new())),
                Err(error) => unread.push(UnreadCase {
                    id: name.strip_prefix(CASE_PREFIX).unwrap_or(name).to_owned(),
                    error: ImportError::LockedExport(error),
                }),
            }
        }
        // A kept pack that does not open or check is left out: the cases that follow it then
        // meet "unknown routine" as a case file without its pack would.
        let packs = export
            .routines
            .iter()
            .filter_map(|(name, sealed)| {
                let plain = open_value(name, sealed).ok()?;
                let pack = Routine::parse(std::str::from_utf8(&plain).ok()?).ok()?;
                (name.strip_prefix(ROUTINE_PREFIX) == Some(pack.hash())).then_some(pack)
            })
            .collect();
        let mut opening = LockedOpening {
            cases,
            unread,
            packs,
            item_key: None,
            files: Vec::new(),
            next: 0,
            opening: None,
            done: 0,
            total: 0,
        };
        let entries = &entries[1..];
        if entries.is_empty() {
            return Ok(opening);
        }
        // Every file must be one a case in the file records (each case's records read once:
        // a crafted file of many entries must not read a case's log once per entry).
        let recorded: Vec<Vec<EvidenceItem>> = opening
            .cases
            .iter()
            .map(|(case, _)| case.state().evidence.into_iter().map(|r| r.what).collect())
            .collect();
        for entry in entries {
            let damaged = || LockedExportError::Damaged(entry.name.to_string());
            let name = entry
                .name
                .strip_prefix(CONTAINER_ITEMS_DIR)
                .ok_or_else(damaged)?;
            let (case_id, item_id) = name.rsplit_once('/').ok_or_else(damaged)?;
            // The files of a case left out go with it.
            if opening.unread.iter().any(|unread| unread.id == case_id) {
                continue;
            }
            let case = opening
                .cases
                .iter()
                .position(|(case, _)| case.id.as_str() == case_id)
                .ok_or_else(damaged)?;
            let item = recorded[case]
                .iter()
                .find(|item| item.id == item_id)
                .ok_or_else(damaged)?
                .clone();
            opening.total += entry.bytes.len();
            opening.files.push(LockedFile {
                case,
                item,
                stored: entry.bytes,
                name: entry.name.to_string(),
            });
        }
        opening.item_key = export
            .item_key
            .as_deref()
            .and_then(|sealed| open_value(ITEM_KEY_NAME, sealed).ok())
            .and_then(|plain| ItemKey::from_stored(std::str::from_utf8(&plain).ok()?));
        // Without the key that opens them, the files stay out, named as one; the cases come in.
        // (After the check above: a file no case records still refuses the whole.)
        if opening.item_key.is_none() && !opening.files.is_empty() {
            opening.files.clear();
            opening.total = 0;
            opening.unread.push(UnreadCase {
                id: ITEM_KEY_NAME.to_owned(),
                error: ImportError::LockedExport(LockedExportError::Damaged(
                    ITEM_KEY_NAME.to_owned(),
                )),
            });
        }
        Ok(opening)
    }

    /// Opens about `budget` bytes more of the files; true once all are open. A file whose
    /// bytes do not open, or are not those its event records, is left out and named (its case
    /// comes without it, as a case whose file the phone could not read): a forgotten PIN must
    /// not cost the cases for one damaged file.
    pub fn step(&mut self, budget: usize) -> Result<bool, LockedExportError> {
        let (Some(file), Some(item_key)) = (self.files.get(self.next), &self.item_key) else {
            return Ok(true);
        };
        let opening = match &mut self.opening {
            Some(opening) => Some(opening),
            None => {
                let case = &self.cases[file.case].0;
                let key = store_key(&case.id, &file.item.id);
                item_key
                    .opening(&key, file.stored)
                    .ok()
                    .map(|opening| self.opening.insert(opening))
            }
        };
        let opened = match opening {
            Some(opening) => {
                if !opening.step(budget) {
                    return Ok(false);
                }
                let opening = self.opening.take().expect("the file was being opened");
                opening.finish_checked(&file.item).ok()
            }
            None => None,
        };
        match opened {
            Some(bytes) => {
                self.cases[file.case]
                    .1
                    .insert(file.item.id.clone(), bytes.to_vec());
            }
            None => self.unread.push(UnreadCase {
                id: file.name.clone(),
                error: ImportError::LockedExport(LockedExportError::Damaged(file.name.clone())),
            }),
        }
        self.done += file.stored.len();
        self.next += 1;
        Ok(self.next == self.files.len())
    }

    /// The stored bytes of the files opened, and of all of them: for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        let current = self.opening.as_ref().map_or(0, |o| o.progress().0);
        (self.done + current, self.total)
    }

    /// Every case that reads, with its files (the steps left are done first), the packs the
    /// phone kept, and the cases left out.
    pub fn finish(mut self) -> Result<LockedContent, LockedExportError> {
        while !self.step(usize::MAX)? {}
        Ok(LockedContent {
            cases: self.cases,
            packs: self.packs,
            unread: self.unread,
        })
    }
}

/// What a locked export holds, opened.
#[derive(Debug, PartialEq)]
pub struct LockedContent {
    pub cases: Vec<UnlockedCase>,
    pub packs: Vec<Routine>,
    pub unread: Vec<UnreadCase>,
}
