//! Importing a case file in two steps: `begin` reads the bytes once — plain, sealed to this
//! device's key, or sealed to a passphrase (then it holds the parsed file and waits for the
//! passphrase) — checks the case and merges it with this device's copy, holding the merged case
//! and its preview; `commit` stores that merged case. Nothing is stored before the commit.

use crate::evidence::ItemSealing;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use stodrutin_age::{AgeError, AgeFile, Sealing};
use stodrutin_domain::case_file::{self, CaseFileError, FileRoutine, ImportPreview, ReadContainer};
use stodrutin_domain::container;
use stodrutin_domain::evidence::{EvidenceItem, Witness, MAX_CASE_FILE_BYTES};
use stodrutin_domain::{Case, Routine, RoutineRef};

/// Why a file was not imported. Each has its own message in the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than `MAX_CASE_FILE_BYTES`.
    TooLarge,
    /// The plain case file inside is bad.
    File(CaseFileError),
    /// The age file around it is bad, or the key or passphrase does not open it.
    Sealed(AgeError),
    /// Sealed to a key, and this device holds no private key.
    NoKey,
    /// A locked export that does not open with this device's key, or is damaged.
    LockedExport(crate::lock::LockedExportError),
    /// The file's case and this device's copy disagree on an event.
    Contradictory,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge => {
                write!(f, "the file is larger than {MAX_CASE_FILE_BYTES} bytes")
            }
            ImportError::File(err) => err.fmt(f),
            ImportError::Sealed(err) => err.fmt(f),
            ImportError::NoKey => f.write_str("the file is sealed to a key this device lacks"),
            ImportError::LockedExport(err) => err.fmt(f),
            ImportError::Contradictory => {
                f.write_str("the file's case contradicts this device's copy")
            }
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::File(err) => Some(err),
            ImportError::Sealed(err) => Some(err),
            ImportError::LockedExport(err) => Some(err),
            _ => None,
        }
    }
}

impl From<CaseFileError> for ImportError {
    fn from(err: CaseFileError) -> Self {
        ImportError::File(err)
    }
}

impl From<AgeError> for ImportError {
    fn from(err: AgeError) -> Self {
        ImportError::Sealed(err)
    }
}

/// A file sealed to a passphrase, read once, waiting for the passphrase. A wrong passphrase
/// leaves it waiting: trying again does not read the file again.
pub struct SealedImport {
    pub(crate) file: AgeFile,
}

impl SealedImport {
    /// Whether it waits for a passphrase (or opens with this device's key).
    pub fn needs_passphrase(&self) -> bool {
        needs_passphrase(&self.file)
    }
}

/// A locked export (docs/locked-export-format.md), read once, to open with this device's key
/// (`CaseService::reading_locked`).
pub struct LockedImport {
    pub(crate) bytes: Vec<u8>,
}

/// A checked file, merged with this device's copy: what a commit will store.
#[derive(Clone, Debug)]
pub struct CheckedImport {
    pub preview: ImportPreview,
    pub(crate) merged: Case,
    /// The routine the case follows.
    pub routine: &'static Routine,
    /// The file's pack, new to this device: kept at the commit.
    pub(crate) new_routine: Option<&'static Routine>,
    /// The bytes of the items the file holds, by item id, each checked against its digest: the
    /// commit stores those the item store does not hold yet (`sealing_import_items`), so an item
    /// recorded here without its bytes (a file made without its largest items) gets them.
    pub(crate) items: BTreeMap<String, Vec<u8>>,
    /// The items this device's copy already records.
    known_items: Vec<String>,
}

/// A case read from a file and the pack it follows.
pub(crate) struct Imported {
    pub case: Case,
    pub routine: &'static Routine,
    pub new_routine: bool,
    pub items: BTreeMap<String, Vec<u8>>,
}

impl CheckedImport {
    pub fn case_id(&self) -> &stodrutin_domain::CaseId {
        &self.merged.id
    }

    /// Whether the file holds any evidence file's bytes.
    pub fn brings_files(&self) -> bool {
        !self.items.is_empty()
    }

    /// Whether the file brings a routine pack this device does not have (kept at the commit).
    pub fn brings_routine(&self) -> bool {
        self.new_routine.is_some()
    }

    /// The evidence of the file's case, each with whether the file holds its bytes (a message
    /// or a link is its own text, and always there).
    pub fn evidence(&self) -> Vec<(EvidenceItem, bool)> {
        self.merged
            .state()
            .evidence
            .into_iter()
            .map(|recorded| {
                let id = &recorded.what.id;
                let here = !recorded.what.kind.has_file()
                    || self.items.contains_key(id)
                    || self.known_items.contains(id);
                (recorded.what, here)
            })
            .collect()
    }

    /// The evidence items whose bytes the file holds (each checked against its digest).
    pub fn brought_items(&self) -> Vec<EvidenceItem> {
        self.evidence()
            .into_iter()
            .map(|(item, _)| item)
            .filter(|item| self.items.contains_key(&item.id))
            .collect()
    }

    /// The witnesses of the file's case.
    pub fn witnesses(&self) -> Vec<Witness> {
        self.merged
            .state()
            .witnesses
            .into_iter()
            .map(|recorded| recorded.what)
            .collect()
    }
}

/// An import's items being sealed for the item store (`CaseService::sealing_import_items`):
/// `step` seals a bounded share, so a page can pause between steps; `finish` gives every
/// `(store key, sealed bytes)`.
#[derive(Default)]
pub struct ImportSealing<'c> {
    pub(crate) items: Vec<(String, &'c [u8], ItemSealing)>,
    /// The first item not wholly sealed.
    pub(crate) next: usize,
}

impl ImportSealing<'_> {
    /// Seals about `budget` more bytes (at least one, when any is left); true once all are.
    pub fn step(&mut self, budget: usize) -> bool {
        let mut left = budget.max(1);
        while let Some((_, bytes, sealing)) = self.items.get_mut(self.next) {
            let rest = &bytes[sealing.pushed()..];
            let take = rest.len().min(left);
            sealing.push(&rest[..take]);
            left -= take;
            if take == rest.len() {
                self.next += 1;
            }
            if left == 0 {
                break;
            }
        }
        self.next == self.items.len()
    }

    /// Bytes sealed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.items.iter().map(|(_, _, s)| s.pushed()).sum();
        let total = self.items.iter().map(|(_, bytes, _)| bytes.len()).sum();
        (done, total)
    }

    /// Every item sealed, as `(store key, sealed bytes)`.
    pub fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        while !self.step(usize::MAX) {}
        self.items
            .into_iter()
            .map(|(key, _, sealing)| (key, sealing.finish()))
            .collect()
    }
}

/// What a file is, read once (`CaseService::arrive`).
pub enum ImportArrival {
    /// A plain case file or container, to read in steps.
    Reading(ImportReading<'static>),
    /// Sealed, to a key or to a passphrase (`SealedImport::needs_passphrase`).
    Sealed(SealedImport),
    /// A locked export, to open with this device's key.
    Locked(LockedImport),
}

pub enum ImportStep {
    NeedsPassphrase(SealedImport),
    Checked(CheckedImport),
    /// A locked export from a phone whose PIN was forgotten (docs/locked-export-format.md):
    /// every case in it, each checked and merged like a case file.
    CheckedMany(CheckedFile),
}

/// A file's cases checked and merged, waiting for the user's confirmation; with a locked export,
/// also its cases that could not be taken in (the others can).
#[derive(Debug, Default)]
pub struct CheckedFile {
    pub cases: Vec<CheckedImport>,
    pub unread: Vec<UnreadCase>,
}

/// A case of a locked export left out, by its id, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadCase {
    pub id: String,
    pub error: ImportError,
}

/// Compares the imported case with this device's copy (if any) and merges them once.
pub(crate) fn check(
    imported: Imported,
    local: Option<&Case>,
) -> Result<CheckedImport, ImportError> {
    let Imported {
        case: imported,
        routine,
        new_routine,
        items,
    } = imported;
    let preview = ImportPreview {
        case_id: imported.id.clone(),
        incident_at: imported.incident_at(),
        routine: imported
            .routine()
            .ok_or(ImportError::File(CaseFileError::NoOpening))?,
        events: imported.event_count(),
        new_here: local.map_or(imported.event_count(), |l| l.count_new_from(&imported)),
        known_here: local.is_some(),
    };
    let merged = match local {
        Some(local) => local
            .merge(&imported)
            .map_err(|_| ImportError::Contradictory)?,
        None => imported,
    };
    // A copy of this case opened on another phone (an opening event of its own) is another
    // case under the same id: merged, it would have two openings, and no copy of it would read
    // on any device again.
    if merged.openings().count() != 1 {
        return Err(ImportError::Contradictory);
    }
    let merged_state = merged.state();
    // Two records under one item id (a forked or forged copy): the file's bytes would replace
    // the ones stored for the other. Refused, as any contradiction.
    let mut ids: Vec<&str> = merged_state
        .evidence
        .iter()
        .map(|r| r.what.id.as_str())
        .chain(merged_state.witnesses.iter().map(|r| r.what.id.as_str()))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != count {
        return Err(ImportError::Contradictory);
    }
    let known_items: Vec<String> = local.map_or_else(Vec::new, |local| {
        local
            .state()
            .evidence
            .into_iter()
            .map(|r| r.what.id)
            .collect()
    });
    Ok(CheckedImport {
        preview,
        merged,
        routine,
        new_routine: new_routine.then_some(routine),
        items,
        known_items,
    })
}

/// What the bytes are: a plain file is read as it is; a sealed one is parsed once.
pub(crate) enum Arrived {
    Plain(Vec<u8>),
    Sealed(AgeFile),
    LockedExport(Vec<u8>),
}

pub(crate) fn arrive(bytes: Vec<u8>) -> Result<Arrived, ImportError> {
    // A case file with pictures may be up to `MAX_CASE_FILE_BYTES`; its JSON is still held to
    // `MAX_FILE_BYTES` when it is read.
    if bytes.len() as u64 > MAX_CASE_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    if stodrutin_age::looks_sealed(&bytes) {
        return Ok(Arrived::Sealed(AgeFile::parse(&bytes)?));
    }
    match crate::lock::export::is_locked_export(&bytes) {
        true => Ok(Arrived::LockedExport(bytes)),
        false => Ok(Arrived::Plain(bytes)),
    }
}

pub(crate) fn needs_passphrase(file: &AgeFile) -> bool {
    file.sealing() == Sealing::ToPassphrase
}

/// The plain text of a case file, as UTF-8.
pub(crate) fn text(plain: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(plain).map_err(|_| ImportError::File(CaseFileError::NotACaseFile))
}

/// A file being read in steps, so a page can pause between them: a sealed file is opened
/// (decrypted and authenticated), then a container's items hashed, or a locked export's files
/// opened, each `step` a bounded share (`CaseService::arrive`, `reading_with_key`,
/// `reading_with_passphrase`, `reading_locked`); then read and checked by
/// `CaseService::finish_import`. After an error the reading is done with.
pub struct ImportReading<'a> {
    pub(crate) stage: ReadingStage<'a>,
    /// Whether it was sealed: opening it is then the first half of the work.
    pub(crate) sealed: bool,
}

pub(crate) enum ReadingStage<'a> {
    Opening(stodrutin_age::Opening<'a>),
    Json(Vec<u8>),
    Container(case_file::ContainerReading),
    /// Boxed: the opening of an item is large beside the others.
    Locked(Box<crate::lock::LockedOpening<'a>>),
}

impl<'a> ImportReading<'a> {
    pub(crate) fn plain(plain: Vec<u8>) -> Result<ImportReading<'a>, ImportError> {
        Ok(ImportReading {
            stage: ReadingStage::of_plain(plain)?,
            sealed: false,
        })
    }

    pub(crate) fn sealed(opening: stodrutin_age::Opening<'a>) -> ImportReading<'a> {
        ImportReading {
            stage: ReadingStage::Opening(opening),
            sealed: true,
        }
    }

    pub(crate) fn locked(opening: crate::lock::LockedOpening<'a>) -> ImportReading<'a> {
        ImportReading {
            stage: ReadingStage::Locked(Box::new(opening)),
            sealed: false,
        }
    }

    /// Does about `budget` bytes' more work; true once all is done.
    pub fn step(&mut self, budget: usize) -> Result<bool, ImportError> {
        match &mut self.stage {
            ReadingStage::Opening(opening) => {
                if opening.step(budget)? {
                    let ReadingStage::Opening(opening) =
                        std::mem::replace(&mut self.stage, ReadingStage::Json(Vec::new()))
                    else {
                        unreachable!("the stage was just matched as opening")
                    };
                    self.stage = ReadingStage::of_plain(opening.finish()?)?;
                }
                Ok(false)
            }
            ReadingStage::Json(_) => Ok(true),
            ReadingStage::Container(reading) => Ok(reading.step(budget)),
            ReadingStage::Locked(opening) => {
                opening.step(budget).map_err(ImportError::LockedExport)
            }
        }
    }

    /// The share of the work done, from 0 to 1: for a progress bar.
    pub fn progress(&self) -> f64 {
        let share = |(done, total): (usize, usize)| done as f64 / total.max(1) as f64;
        let opened = if self.sealed { 0.5 } else { 0.0 };
        match &self.stage {
            ReadingStage::Opening(opening) => share(opening.progress()) * 0.5,
            ReadingStage::Json(_) => 1.0,
            ReadingStage::Container(reading) => opened + share(reading.progress()) * (1.0 - opened),
            ReadingStage::Locked(opening) => share(opening.progress()),
        }
    }

    /// Reads and checks the case file, every event with the rules of recording; times may lie
    /// up to a day after `now` (phones' clocks differ). `routine_for` gives the packs this
    /// device knows; a pack the file carries that is new here comes back interned, to keep at
    /// the commit.
    pub(crate) fn finish(
        mut self,
        now: DateTime<Utc>,
        routine_for: &dyn Fn(&RoutineRef) -> Option<&'static Routine>,
    ) -> Result<Imported, ImportError> {
        while !self.step(usize::MAX)? {}
        let (read, items) = match self.stage {
            ReadingStage::Container(reading) => {
                let ReadContainer { read, items } = reading.finish(now, routine_for)?;
                (read, items)
            }
            ReadingStage::Json(plain) => (
                case_file::read(text(&plain)?, now, routine_for)?,
                BTreeMap::new(),
            ),
            ReadingStage::Opening(_) => unreachable!("every step is done"),
            ReadingStage::Locked(_) => {
                unreachable!("a locked export's cases are read by CaseService::finish_import")
            }
        };
        let (routine, new_routine) = match read.routine {
            FileRoutine::Known(routine) => (routine, false),
            FileRoutine::Carried(pack) => (crate::routines::intern(*pack), true),
        };
        Ok(Imported {
            case: read.case,
            routine,
            new_routine,
            items,
        })
    }
}

impl ReadingStage<'_> {
    fn of_plain(plain: Vec<u8>) -> Result<Self, ImportError> {
        // A case file's JSON starts with `{`; only anything else may be a container.
        let json = plain
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{');
        Ok(if !json && container::looks_like_tar(&plain) {
            ReadingStage::Container(case_file::ContainerReading::new(plain)?)
        } else {
            ReadingStage::Json(plain)
        })
    }
}
