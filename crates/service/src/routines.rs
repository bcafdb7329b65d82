//! The routine packs this device knows: those the build ships (files in `routines/`, chosen at
//! `make dist`), and those it keeps because a stored case follows them — a case keeps the pack it
//! was started under, even after a newer build drops or revises it, and a case file brings its
//! own. Kept packs are stored once each, by hash, under `ROUTINE_PREFIX` through the one
//! `KeyValue` port (so they are sealed like everything else).

use crate::ports::{KeyValue, KvError};
use crate::store::{find_value, keep_aside, Found};
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use stodrutin_domain::routine::PackError;
use stodrutin_domain::{Case, Routine, RoutineRef};

/// Where a kept pack is stored: this prefix and the pack's hash.
pub const ROUTINE_PREFIX: &str = "stodrutin.routine.";
/// The name a damaged kept pack is kept aside under (a hyphen: no case id has one).
const KEPT_ROUTINE_ASIDE: &str = "kept-routine";

pub fn routine_key(routine: &Routine) -> String {
    format!("{ROUTINE_PREFIX}{}", routine.hash())
}

/// One parsed copy of each pack, by hash, for the life of the page: the views hold `&'static`
/// references to rows and forms. A pack is a few tens of kilobytes and each distinct one is held
/// once, so what this keeps is bounded by the packs a user ships, keeps or imports.
pub fn intern(routine: Routine) -> &'static Routine {
    static PACKS: OnceLock<Mutex<BTreeMap<String, &'static Routine>>> = OnceLock::new();
    let mut packs = PACKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    packs
        .entry(routine.hash().to_owned())
        .or_insert_with(|| Box::leak(Box::new(routine)))
}

/// Why a shipped pack was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShippedPackError {
    /// The file does not pass the pack's checks.
    Invalid { file: String, error: PackError },
    /// Two shipped files have the same id and version but other content.
    Conflict {
        file: String,
        id: String,
        version: u32,
    },
}

impl std::fmt::Display for ShippedPackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShippedPackError::Invalid { file, error } => write!(f, "{file}: {error}"),
            ShippedPackError::Conflict { file, id, version } => write!(
                f,
                "{file}: another shipped pack has id {id} version {version} with other content"
            ),
        }
    }
}

impl std::error::Error for ShippedPackError {}

#[derive(Default)]
pub struct Routines {
    shipped: Vec<&'static Routine>,
    kept: Vec<&'static Routine>,
}

impl Routines {
    /// The pack a reference names: a shipped one first, then a kept one. A reference without a
    /// hash (cases from before packs were pinned) names the pack of that id and version.
    pub fn find(&self, reference: &RoutineRef) -> Option<&'static Routine> {
        self.shipped
            .iter()
            .chain(&self.kept)
            .copied()
            .find(|routine| reference.names(routine))
    }

    pub fn shipped(&self) -> &[&'static Routine] {
        &self.shipped
    }

    /// The shipped packs a new case may follow, in the build's order: of several versions of one
    /// routine, the newest. The older stay shipped so the cases and case files under them open.
    pub fn offered(&self) -> Vec<&'static Routine> {
        self.shipped
            .iter()
            .copied()
            .filter(|routine| {
                !self
                    .shipped
                    .iter()
                    .any(|other| other.id == routine.id && other.version > routine.version)
            })
            .collect()
    }

    pub fn is_shipped(&self, routine: &Routine) -> bool {
        self.shipped.iter().any(|r| r.hash() == routine.hash())
    }

    fn is_kept(&self, routine: &Routine) -> bool {
        self.kept.iter().any(|r| r.hash() == routine.hash())
    }

    /// Takes the build's packs, `(file name, text)` in the order the build lists them. A file
    /// that fails its checks, or clashes with another, is left out and named.
    pub fn set_shipped(&mut self, files: &[(String, String)]) -> Vec<ShippedPackError> {
        self.shipped.clear();
        files
            .iter()
            .filter_map(|(file, text)| self.add_shipped(file, text).err())
            .collect()
    }

    /// Takes one more of the build's packs, after those taken before (`set_shipped` a file at a
    /// time: the page reads each in a task of its own, so that no single one keeps a tap
    /// waiting).
    pub fn add_shipped(&mut self, file: &str, text: &str) -> Result<(), ShippedPackError> {
        let routine = Routine::parse(text).map_err(|error| ShippedPackError::Invalid {
            file: file.to_owned(),
            error,
        })?;
        let clash = self.shipped.iter().any(|r| {
            r.id == routine.id && r.version == routine.version && r.hash() != routine.hash()
        });
        if clash {
            return Err(ShippedPackError::Conflict {
                file: file.to_owned(),
                id: routine.id.clone(),
                version: routine.version,
            });
        }
        let routine = intern(routine);
        if !self.shipped.iter().any(|r| r.hash() == routine.hash()) {
            self.shipped.push(routine);
        }
        Ok(())
    }

    /// Reads the packs this device keeps. One that cannot be read is left as it is (a case that
    /// follows it then says its routine is missing); the others still load. A pack already read
    /// is not read again: this runs at every write another tab makes, and a pack never changes
    /// under its hash.
    pub fn load_kept(&mut self, kv: &impl KeyValue) -> Result<(), KvError> {
        let mut kept = Vec::new();
        for key in kv.keys()? {
            let Some(hash) = key.strip_prefix(ROUTINE_PREFIX) else {
                continue;
            };
            if let Some(known) = self.kept.iter().find(|r| r.hash() == hash) {
                kept.push(*known);
                continue;
            }
            let Ok(Some(text)) = kv.get(&key) else {
                continue;
            };
            match Routine::parse(&text) {
                Ok(routine) if routine.hash() == hash => kept.push(intern(routine)),
                _ => {}
            }
        }
        self.kept = kept;
        Ok(())
    }

    /// Forgets the kept packs (their stored copies are being wiped).
    pub fn forget_kept(&mut self) {
        self.kept.clear();
    }

    /// Stores `routine` among the kept packs unless it is there already.
    pub fn keep(
        &mut self,
        kv: &mut impl KeyValue,
        routine: &'static Routine,
    ) -> Result<(), KvError> {
        if self.is_kept(routine) {
            return Ok(());
        }
        let key = routine_key(routine);
        // A stored copy that does not open, or is not the text its name (the hash) says: kept
        // aside and replaced by the checked text. Left as it was, every save of a case that
        // follows the pack would fail on it.
        match find_value(kv, &key)? {
            Some(Found::Opened(stored)) if stored.as_str() == routine.text() => {
                self.kept.push(routine);
                return Ok(());
            }
            Some(other) => {
                keep_aside(kv, KEPT_ROUTINE_ASIDE, other.text())?;
            }
            None => {}
        }
        kv.set(&key, routine.text())?;
        self.kept.push(routine);
        Ok(())
    }

    /// Keeps the pack of every case that follows one this device has: run at start, so a case
    /// stored before packs were kept still opens after a build drops its pack.
    pub fn keep_for_cases<'a>(
        &mut self,
        kv: &mut impl KeyValue,
        cases: impl IntoIterator<Item = &'a Case>,
    ) -> Result<(), KvError> {
        for case in cases {
            if let Some(routine) = case.routine().and_then(|r| self.find(&r)) {
                self.keep(kv, routine)?;
            }
        }
        Ok(())
    }
}
