//! The case file: how a case travels between phones. Documented in docs/case-file-format.md.
//!
//! The content is JSON: a format id and version, the routine followed, the case id, its events,
//! and a SHA-256 digest of the canonical content (the same JSON without the digest, as this module
//! writes it: fields in a fixed order, events in id order, no white space).

use crate::domain::case::{Case, CaseId, MergeError};
use crate::domain::encryption::{self, PrivateKey, Sealing};
use crate::domain::event::{Event, Payload};
use crate::domain::routine::{Routine, RoutineRef};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const FORMAT_ID: &str = "stodrutin-case";
/// 2 added `details_recorded` events (the forms of `details`); version 1 files read unchanged.
pub const FORMAT_VERSION: u32 = 2;
/// Larger files are refused before they are parsed: a real case is a few hundred kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct Content {
    format: String,
    version: u32,
    routine: RoutineRef,
    case: CaseId,
    events: Vec<Event>,
}

#[derive(Serialize, Deserialize)]
struct File {
    #[serde(flatten)]
    content: Content,
    sha256: String,
}

/// Why a file was not imported. Each has its own message in the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than `MAX_FILE_BYTES`.
    TooLarge,
    /// Not JSON, or JSON that is not a case file.
    NotACaseFile,
    /// JSON that ends too early: a cut-off download or copy.
    Truncated,
    /// Written by a newer version of the app.
    NewerFormat(u32),
    /// The digest does not match the content: changed after export, or damaged.
    Tampered,
    /// The case follows a routine this app does not know.
    UnknownRoutine,
    /// Events that cannot belong together: another case's events, two openings, or an event id
    /// this device holds with other content.
    Contradictory,
    /// The case file holds no opening event.
    NoOpening,
    /// Sealed to a key, and this device's key is not the one (or it has none).
    WrongKey,
    /// Sealed to a passphrase, and the one given does not open it.
    WrongPassphrase,
    /// Sealed with a passphrase work factor too costly for a phone (`MAX_OPEN_WORK_FACTOR`).
    TooMuchWork,
    /// An age file whose header or armor is broken.
    Damaged,
    /// Sealed to a passphrase: ask for it, then read again.
    NeedsPassphrase,
    /// Sealed to a key, and this device has no private key.
    NoKey,
}

fn digest(content: &Content) -> String {
    let canonical = serde_json::to_vec(content).expect("content always serializes");
    Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes a case as a file.
pub fn export(case: &Case) -> String {
    let content = Content {
        format: FORMAT_ID.to_owned(),
        version: FORMAT_VERSION,
        routine: case
            .routine()
            .unwrap_or_else(|| Routine::oxelosund().reference()),
        case: case.id.clone(),
        events: case.events().cloned().collect(),
    };
    let sha256 = digest(&content);
    serde_json::to_string(&File { content, sha256 }).expect("a case file always serializes")
}

/// Reads a case file as it arrives: plain JSON, or sealed with age (armored or binary) to this
/// device's key or to a passphrase. Nothing is stored or changed here.
pub fn read_any(
    bytes: &[u8],
    key: Option<&PrivateKey>,
    passphrase: Option<&str>,
) -> Result<Case, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let plain = match encryption::sealing(bytes)? {
        Sealing::None => {
            return std::str::from_utf8(bytes)
                .map_err(|_| ImportError::NotACaseFile)
                .and_then(read)
        }
        Sealing::ToKey => encryption::open_with_key(bytes, key.ok_or(ImportError::NoKey)?)?,
        Sealing::ToPassphrase => match passphrase {
            Some(p) => encryption::open_with_passphrase(bytes, p)?,
            None => return Err(ImportError::NeedsPassphrase),
        },
    };
    read(&plain)
}

/// Reads and checks a case file. Nothing is stored or changed here.
pub fn read(text: &str) -> Result<Case, ImportError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let file = serde_json::from_str::<File>(text.trim()).map_err(|err| classify(text, &err))?;
    if file.content.format != FORMAT_ID {
        return Err(ImportError::NotACaseFile);
    }
    if file.content.version > FORMAT_VERSION {
        return Err(ImportError::NewerFormat(file.content.version));
    }
    if digest(&file.content) != file.sha256 {
        return Err(ImportError::Tampered);
    }
    let content = file.content;
    if Routine::known(&content.routine).is_none() {
        return Err(ImportError::UnknownRoutine);
    }
    let case = Case::from_events(content.case, content.events).map_err(|err| match err {
        MergeError::DifferentCase | MergeError::ConflictingEvent(_) => ImportError::Contradictory,
    })?;
    check_consistent(&case, &content.routine)?;
    Ok(case)
}

/// Why a text did not parse as a case file of this version: cut off, from a newer version (whose
/// content this version may not understand), or not a case file at all.
fn classify(text: &str, err: &serde_json::Error) -> ImportError {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    if err.is_eof() {
        return ImportError::Truncated;
    }
    match serde_json::from_str::<Header>(text.trim()) {
        Ok(Header {
            format: Some(format),
            version: Some(version),
        }) if format == FORMAT_ID && version > FORMAT_VERSION => ImportError::NewerFormat(version),
        _ => ImportError::NotACaseFile,
    }
}

/// One opening event, naming the same routine as the file.
fn check_consistent(case: &Case, routine: &RoutineRef) -> Result<(), ImportError> {
    let openings: Vec<&RoutineRef> = case
        .events()
        .filter_map(|e| match &e.payload {
            Payload::CaseOpened { routine, .. } => Some(routine),
            _ => None,
        })
        .collect();
    match openings.as_slice() {
        [] => Err(ImportError::NoOpening),
        [only] if *only == routine => Ok(()),
        _ => Err(ImportError::Contradictory),
    }
}

/// What an import would do, shown before anything changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPreview {
    pub case_id: CaseId,
    pub incident_at: Option<DateTime<Utc>>,
    pub routine: RoutineRef,
    pub events: usize,
    /// Events this device does not have yet.
    pub new_here: usize,
    /// Whether this device already holds the case.
    pub known_here: bool,
}

/// Compares an imported case with this device's copy (if any). Refuses contradictions.
pub fn preview(imported: &Case, local: Option<&Case>) -> Result<ImportPreview, ImportError> {
    if let Some(local) = local {
        local
            .merge(imported)
            .map_err(|_| ImportError::Contradictory)?;
    }
    Ok(ImportPreview {
        case_id: imported.id.clone(),
        incident_at: imported.incident_at(),
        routine: imported.routine().expect("checked on reading"),
        events: imported.event_count(),
        new_here: local.map_or(imported.event_count(), |l| l.count_new_from(imported)),
        known_here: local.is_some(),
    })
}

/// A file name that says the case and the date but names no person: `.json` for a plain file,
/// `.age` for a sealed one.
pub fn file_name(case: &Case, exported_on: &str, sealed: bool) -> String {
    let short = case.id.short();
    let extension = if sealed { "age" } else { "json" };
    format!("stodrutin-arende-{short}-{exported_on}.{extension}")
}
