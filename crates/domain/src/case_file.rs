//! The case file: how a case travels between phones. Documented in docs/case-file-format.md.
//!
//! The content is JSON: a format id and version, the routine followed, the case id, its events,
//! and a SHA-256 digest. The digest covers the file's JSON as it is, with the `sha256` member
//! taken out, written without white space with every member where the file has it. So a newer
//! app may add members: an older one still verifies the digest, and ignores what it does not know.
//!
//! Reading checks every event by the rules recording follows (`rules::check_event`), so a file
//! cannot bring what no one could have recorded.

use crate::case::{Case, CaseId, MergeError};
use crate::container::{self, ContainerError, Entry};
use crate::digest::sha256_hex;
use crate::event::{Event, EventId, Payload};
use crate::evidence::EvidenceItem;
use crate::limits::TimeWindow;
use crate::routine::{PackError, Routine, RoutineRef};
use crate::rules::{check_event, RecordError, Standing};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

pub use crate::limits::{MAX_EVENTS, MAX_FILE_BYTES};

pub const FORMAT_ID: &str = "stodrutin-case";
/// 2 added `details_recorded` events (the forms of `details`); 3 carries the routine pack the case
/// follows (`routine_pack`, the pack file's text) and pins it by hash; 4 adds evidence and
/// witnesses (`evidence_added`, `witness_added`), with the files' bytes beside the JSON in a
/// container (`export_container`). Files of versions 1 and 2 read unchanged: they follow a
/// routine this app must know. A case without evidence is still written as version 3, which the
/// apps before evidence read.
pub const FORMAT_VERSION: u32 = 4;

/// The version a case without evidence or witnesses is written in.
const VERSION_WITHOUT_EVIDENCE: u32 = 3;

/// The case file's name inside a container.
pub const CONTAINER_CASE_NAME: &str = "case.json";

/// The most entries a container may hold: the case file and its items. A case holds a few tens
/// of pictures; the cap bounds the work of reading a hostile file.
pub const MAX_CONTAINER_ENTRIES: usize = 1001;

/// The member that holds the digest.
const DIGEST_MEMBER: &str = "sha256";

/// The members this version writes and reads, in the order it writes them.
#[derive(Serialize, Deserialize)]
struct Content {
    format: String,
    version: u32,
    routine: RoutineRef,
    /// The pack file's text, byte for byte (its SHA-256 is the hash in `routine`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routine_pack: Option<String>,
    case: CaseId,
    events: Vec<Event>,
}

/// Why a case file (its plain content) was not read. Each has its own message in the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseFileError {
    /// Larger than `MAX_FILE_BYTES`.
    TooLarge,
    /// More events than `MAX_EVENTS`.
    TooManyEvents,
    /// Not JSON, or JSON that is not a case file.
    NotACaseFile,
    /// JSON that ends too early: a cut-off download or copy.
    Truncated,
    /// Written by a newer version of the app.
    NewerFormat(u32),
    /// The digest does not match the content: changed after export, or damaged.
    Tampered,
    /// The case follows a routine this app does not know, and the file does not carry it.
    UnknownRoutine,
    /// The routine pack the file carries does not pass the pack's checks.
    BadPack(PackError),
    /// The file carries a pack with the id and version of one this app holds, but other content.
    PackConflict { id: String, version: u32 },
    /// Events that cannot belong together: another case's events, two openings, or an event id
    /// this device holds with other content.
    Contradictory,
    /// The case file holds no opening event.
    NoOpening,
    /// An event that breaks a rule of recording: the first one found, in the order the case
    /// applies its events. `index` is its place in the file's `events` (from 0).
    InvalidEvent {
        index: usize,
        id: EventId,
        reason: RecordError,
    },
    /// The container around the case file is not a well-formed one (`container`).
    Container(ContainerError),
    /// The container holds no `case.json`.
    NoCaseInContainer,
    /// An item's bytes in the container are not the ones its event records (changed or damaged):
    /// the item's id and its own file name, if it had one.
    ItemMismatch {
        item: String,
        file_name: Option<String>,
    },
    /// The container holds an entry no item of the case names.
    UnexpectedEntry(String),
}

impl std::fmt::Display for CaseFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseFileError::TooLarge => write!(f, "the file is larger than {MAX_FILE_BYTES} bytes"),
            CaseFileError::TooManyEvents => {
                write!(f, "the case file has more than {MAX_EVENTS} events")
            }
            CaseFileError::NotACaseFile => f.write_str("not a case file"),
            CaseFileError::Truncated => f.write_str("the case file is cut off"),
            CaseFileError::NewerFormat(v) => write!(f, "the case file has a newer version ({v})"),
            CaseFileError::Tampered => f.write_str("the case file's digest does not match"),
            CaseFileError::UnknownRoutine => f.write_str("the case follows an unknown routine"),
            CaseFileError::BadPack(err) => {
                write!(f, "the routine pack it carries is refused: {err}")
            }
            CaseFileError::PackConflict { id, version } => write!(
                f,
                "it carries routine {id} version {version} with other content than this app's"
            ),
            CaseFileError::Contradictory => {
                f.write_str("the case file's events contradict each other")
            }
            CaseFileError::NoOpening => f.write_str("the case file has no opening event"),
            CaseFileError::InvalidEvent { index, id, reason } => write!(
                f,
                "event {} of the case file ({}) is refused: {reason}",
                index + 1,
                id.0
            ),
            CaseFileError::Container(err) => write!(f, "the container is refused: {err}"),
            CaseFileError::NoCaseInContainer => {
                write!(f, "the container holds no {CONTAINER_CASE_NAME}")
            }
            CaseFileError::ItemMismatch { item, file_name } => write!(
                f,
                "the bytes of item {item} ({}) do not match its SHA-256",
                file_name.as_deref().unwrap_or("-")
            ),
            CaseFileError::UnexpectedEntry(name) => {
                write!(f, "the container holds {name}, which no item names")
            }
        }
    }
}

impl std::error::Error for CaseFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CaseFileError::InvalidEvent { reason, .. } => Some(reason),
            CaseFileError::Container(err) => Some(err),
            _ => None,
        }
    }
}

/// The digest of a file's JSON (without its `sha256` member): SHA-256 of the JSON written without
/// white space, members in the order they stand, as lowercase hexadecimal digits.
fn digest(file_without_digest: &Value) -> String {
    let canonical =
        serde_json::to_vec(file_without_digest).expect("a JSON value always serializes");
    sha256_hex(&canonical)
}

/// Writes a case as a file, carrying `routine`: the pack the case follows (`None` only for a case
/// whose pack this device lacks, which then travels as it came).
pub fn export(case: &Case, routine: Option<&Routine>) -> String {
    let reference = case
        .routine()
        .or_else(|| routine.map(Routine::reference))
        .unwrap_or(RoutineRef {
            id: String::new(),
            version: 0,
            hash: None,
        });
    let has_evidence = case.events().any(|event| {
        matches!(
            event.payload,
            Payload::EvidenceAdded { .. } | Payload::WitnessAdded { .. }
        )
    });
    let content = Content {
        format: FORMAT_ID.to_owned(),
        version: if has_evidence {
            FORMAT_VERSION
        } else {
            VERSION_WITHOUT_EVIDENCE
        },
        routine: reference,
        routine_pack: routine.map(|r| r.text().to_owned()),
        case: case.id.clone(),
        events: case.events().cloned().collect(),
    };
    // Written straight from the typed content rather than through a `serde_json::Value`: the
    // compact JSON of the content is exactly what the digest covers, and the wasm then carries
    // one JSON writer and reader for the events instead of two (the `Value` paths cost about
    // 17 KB before wasm-opt). The digest member goes last, as a `Value` map would append it.
    let mut text = serde_json::to_string(&content).expect("content always serializes");
    let sha256 = sha256_hex(text.as_bytes());
    debug_assert!(text.ends_with('}'));
    text.pop();
    text.push_str(",\"");
    text.push_str(DIGEST_MEMBER);
    text.push_str("\":\"");
    text.push_str(&sha256);
    text.push_str("\"}");
    text
}

/// The case file with its items' bytes, as a tar container (docs/case-file-format.md):
/// `case.json` first, then each item's original bytes as `evidence/<id>.<ext>`, every entry
/// stamped with `exported_at` so the same case and items give the same bytes. `items` pairs an
/// item of the case with its bytes, already checked against its digest by the caller.
pub fn export_container(
    case: &Case,
    routine: Option<&Routine>,
    items: &[(&EvidenceItem, &[u8])],
    exported_at: DateTime<Utc>,
) -> Vec<u8> {
    let json = export(case, routine);
    let mut entries = vec![Entry {
        name: CONTAINER_CASE_NAME.into(),
        bytes: json.as_bytes(),
    }];
    for (item, bytes) in items {
        let name = item.archive_name();
        // One entry per item: an item given twice is written once.
        if !entries.iter().any(|entry| entry.name == name) {
            entries.push(Entry {
                name: name.into(),
                bytes,
            });
        }
    }
    let mtime = u64::try_from(exported_at.timestamp()).unwrap_or(0);
    container::write_tar(&entries, mtime)
        .expect("the case file's and items' names always fit a tar header")
}

/// A case read from a container, with the bytes of the items the container holds (by item
/// id); an item whose bytes were handed over another way is simply absent.
#[derive(Clone, Debug)]
pub struct ReadContainer<'r> {
    pub read: ReadCase<'r>,
    pub items: BTreeMap<String, Vec<u8>>,
}

/// Reads a container made by `export_container`: the case file is read and checked as `read`
/// does, then every other entry must be the bytes of one of the case's file items, matching
/// the size and SHA-256 its event records. The first one that does not is named, and nothing
/// of the file is taken. In one go: `ContainerReading` does the same in steps.
pub fn read_container<'r>(
    bytes: &[u8],
    now: DateTime<Utc>,
    routine_for: impl Fn(&RoutineRef) -> Option<&'r Routine>,
) -> Result<ReadContainer<'r>, CaseFileError> {
    let mut reading = ContainerReading::new(bytes.to_vec())?;
    while !reading.step(usize::MAX) {}
    reading.finish(now, routine_for)
}

/// A container being read in steps: hashing its items (up to 50 MB) is the long part, so
/// `step` hashes a bounded share and returns, and a page can let the user act in between;
/// `finish` then reads it as `read_container` says.
pub struct ContainerReading {
    bytes: Vec<u8>,
    /// Every entry but the case file: its name, where its bytes lie in `bytes`, and its
    /// SHA-256 once hashed (in order: entries before `digests.len()` are done).
    entries: Vec<(String, std::ops::Range<usize>)>,
    case_entry: std::ops::Range<usize>,
    digests: Vec<String>,
    /// The entry being hashed, and how many of its bytes are in `hasher`.
    hasher: Sha256,
    hashed: usize,
}

impl ContainerReading {
    /// Reads the archive's structure (every check of `container::read_tar`); nothing is hashed.
    pub fn new(bytes: Vec<u8>) -> Result<ContainerReading, CaseFileError> {
        // Where a slice of `bytes` lies in it: the archive's entries borrow `bytes`, and the
        // reading must own them across steps.
        let span = |part: &[u8]| {
            let start = part.as_ptr() as usize - bytes.as_ptr() as usize;
            start..start + part.len()
        };
        let parsed =
            container::read_tar(&bytes, MAX_CONTAINER_ENTRIES).map_err(CaseFileError::Container)?;
        let case_entry = parsed
            .iter()
            .find(|entry| entry.name == CONTAINER_CASE_NAME)
            .map(|entry| span(entry.bytes))
            .ok_or(CaseFileError::NoCaseInContainer)?;
        let entries = parsed
            .iter()
            .filter(|entry| entry.name != CONTAINER_CASE_NAME)
            .map(|entry| (entry.name.to_string(), span(entry.bytes)))
            .collect();
        Ok(ContainerReading {
            bytes,
            entries,
            case_entry,
            digests: Vec::new(),
            hasher: Sha256::new(),
            hashed: 0,
        })
    }

    /// Hashes about `budget` more bytes of the items (at least one byte when any is left);
    /// true when every item is hashed.
    pub fn step(&mut self, budget: usize) -> bool {
        let mut left = budget.max(1);
        while let Some((_, range)) = self.entries.get(self.digests.len()) {
            let rest = &self.bytes[range.start + self.hashed..range.end];
            let take = rest.len().min(left);
            self.hasher.update(&rest[..take]);
            self.hashed += take;
            left -= take;
            if take == rest.len() {
                let digest = std::mem::take(&mut self.hasher).finalize();
                self.digests.push(crate::digest::hex(&digest));
                self.hashed = 0;
            }
            if left == 0 {
                break;
            }
        }
        self.digests.len() == self.entries.len()
    }

    /// The items' bytes hashed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        let done: usize = self.entries[..self.digests.len()]
            .iter()
            .map(|(_, range)| range.len())
            .sum();
        let total = self.entries.iter().map(|(_, range)| range.len()).sum();
        (done + self.hashed, total)
    }

    /// Reads the case file and checks every item against it (hashing what `step` left).
    pub fn finish<'r>(
        mut self,
        now: DateTime<Utc>,
        routine_for: impl Fn(&RoutineRef) -> Option<&'r Routine>,
    ) -> Result<ReadContainer<'r>, CaseFileError> {
        while !self.step(usize::MAX) {}
        let text = std::str::from_utf8(&self.bytes[self.case_entry.clone()])
            .map_err(|_| CaseFileError::NotACaseFile)?;
        let read = read(text, now, routine_for)?;
        let state = read.case.state();
        // A case holds tens of items at most: a list searched by name costs less code than a map.
        let named: Vec<(String, &EvidenceItem)> = state
            .evidence
            .iter()
            .filter(|recorded| recorded.what.kind.has_file())
            .map(|recorded| (recorded.what.archive_name(), &recorded.what))
            .collect();
        let mut items = BTreeMap::new();
        for ((name, range), digest) in self.entries.iter().zip(&self.digests) {
            let item = named
                .iter()
                .find(|(item_name, _)| item_name == name)
                .map(|(_, item)| *item)
                .ok_or_else(|| CaseFileError::UnexpectedEntry(name.clone()))?;
            if range.len() as u64 != item.size || *digest != item.sha256 {
                return Err(CaseFileError::ItemMismatch {
                    item: item.id.clone(),
                    file_name: item.file_name.clone(),
                });
            }
            items.insert(item.id.clone(), self.bytes[range.clone()].to_vec());
        }
        Ok(ReadContainer { read, items })
    }
}

/// A case read from a file, and the routine it was checked against.
#[derive(Clone, Debug)]
pub struct ReadCase<'r> {
    pub case: Case,
    pub routine: FileRoutine<'r>,
}

/// The routine a file's case follows: one this app knows, or the pack the file carries, new to
/// this app (to keep with the case).
#[derive(Clone, Debug)]
pub enum FileRoutine<'r> {
    Known(&'r Routine),
    Carried(Box<Routine>),
}

impl FileRoutine<'_> {
    pub fn get(&self) -> &Routine {
        match self {
            FileRoutine::Known(routine) => routine,
            FileRoutine::Carried(routine) => routine,
        }
    }
}

/// Reads and checks a case file at `now` (this phone's clock), with `routine_for` giving the
/// routines this app knows (a reference without a hash: the one of that id and version). A pack
/// the file carries is used when the app has none of that id and version; one that differs from
/// the app's own of that id and version is refused. Nothing is stored or changed here.
///
/// The work is bounded before any event is looked at (`MAX_FILE_BYTES`, `MAX_EVENTS`) and then
/// linear in the file's size: every event is checked once, against the events before it.
pub fn read<'r>(
    text: &str,
    now: DateTime<Utc>,
    routine_for: impl Fn(&RoutineRef) -> Option<&'r Routine>,
) -> Result<ReadCase<'r>, CaseFileError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(CaseFileError::TooLarge);
    }
    let mut file: Value = serde_json::from_str(text.trim()).map_err(|err| {
        if err.is_eof() {
            CaseFileError::Truncated
        } else {
            CaseFileError::NotACaseFile
        }
    })?;
    let members = file.as_object_mut().ok_or(CaseFileError::NotACaseFile)?;
    if members.get("format").and_then(Value::as_str) != Some(FORMAT_ID) {
        return Err(CaseFileError::NotACaseFile);
    }
    let version = members
        .get("version")
        .and_then(Value::as_u64)
        .ok_or(CaseFileError::NotACaseFile)?;
    if version > u64::from(FORMAT_VERSION) {
        // A newer version's content may mean what this one cannot tell: refused before reading it.
        return Err(CaseFileError::NewerFormat(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let event_count = members
        .get("events")
        .and_then(Value::as_array)
        .map(Vec::len);
    if event_count.is_some_and(|count| count > MAX_EVENTS) {
        return Err(CaseFileError::TooManyEvents);
    }
    // `shift_remove` keeps the other members where they stand: their order is part of the digest.
    let Some(Value::String(sha256)) = members.shift_remove(DIGEST_MEMBER) else {
        return Err(CaseFileError::NotACaseFile);
    };
    if digest(&file) != sha256 {
        return Err(CaseFileError::Tampered);
    }
    // The typed content is read from the text itself (its `sha256` member is ignored as any
    // unknown member is), not from the `Value` checked above: see `export`. A member given twice
    // is refused here, so the content read is the content the digest covered.
    drop(file);
    let content: Content =
        serde_json::from_str(text.trim()).map_err(|_| CaseFileError::NotACaseFile)?;
    let carried = match &content.routine_pack {
        Some(text) => {
            let pack = Routine::parse(text).map_err(CaseFileError::BadPack)?;
            if !content.routine.names(&pack) {
                return Err(CaseFileError::Contradictory);
            }
            Some(pack)
        }
        None => None,
    };
    let known = match &carried {
        Some(pack) => {
            let same_name = RoutineRef {
                id: pack.id.clone(),
                version: pack.version,
                hash: None,
            };
            match routine_for(&pack.reference()).or_else(|| routine_for(&same_name)) {
                Some(known) if known.hash() != pack.hash() => {
                    return Err(CaseFileError::PackConflict {
                        id: pack.id.clone(),
                        version: pack.version,
                    })
                }
                found => found,
            }
        }
        None => Some(routine_for(&content.routine).ok_or(CaseFileError::UnknownRoutine)?),
    };
    let routine = match (known, carried) {
        (Some(known), _) => FileRoutine::Known(known),
        (None, Some(pack)) => FileRoutine::Carried(Box::new(pack)),
        (None, None) => return Err(CaseFileError::UnknownRoutine),
    };
    let mut positions: HashMap<EventId, usize> = HashMap::with_capacity(content.events.len());
    for (index, event) in content.events.iter().enumerate() {
        positions.entry(event.id.clone()).or_insert(index);
    }
    // A case this app cannot have made: it could be neither opened nor deleted here.
    if !CaseId::is_well_formed(content.case.as_str()) {
        return Err(CaseFileError::NotACaseFile);
    }
    let case = Case::from_events(content.case, content.events).map_err(|err| match err {
        MergeError::DifferentCase | MergeError::ConflictingEvent(_) => CaseFileError::Contradictory,
    })?;
    check_consistent(&case, &content.routine)?;
    check_events(&case, routine.get(), now, &positions)?;
    Ok(ReadCase { case, routine })
}

/// One opening event, naming the same routine as the file.
fn check_consistent(case: &Case, routine: &RoutineRef) -> Result<(), CaseFileError> {
    let openings: Vec<&RoutineRef> = case
        .openings()
        .filter_map(|e| match &e.payload {
            Payload::CaseOpened { routine, .. } => Some(routine),
            _ => None,
        })
        .collect();
    match openings.as_slice() {
        [] => Err(CaseFileError::NoOpening),
        [only] if *only == routine => Ok(()),
        _ => Err(CaseFileError::Contradictory),
    }
}

/// Every event by the rules of recording, in log order, each against the events before it.
///
/// Events were recorded on several phones whose copies merged, so each is held to what its phone
/// could have seen, not to this log as it now stands: an event's recording time to this phone's
/// clock with `IMPORT_CLOCK_TOLERANCE` (another phone's clock may be off); its other times to the
/// recording time it carries (`TimeWindow::of_event`, as its phone held them), and to the
/// earliest incident time the case has had (a correction of the incident may have come after the
/// event on its phone).
fn check_events(
    case: &Case,
    routine: &Routine,
    now: DateTime<Utc>,
    positions: &HashMap<EventId, usize>,
) -> Result<(), CaseFileError> {
    let in_order = case.events_in_order();
    let earliest_incident = in_order
        .iter()
        .filter_map(|event| match event.payload {
            Payload::CaseOpened { incident_at, .. } | Payload::IncidentTimeSet { incident_at } => {
                Some(incident_at)
            }
            _ => None,
        })
        .min();
    let times = TimeWindow::import(now, earliest_incident);
    let mut before = Standing::default();
    for event in in_order {
        times
            .check_not_future(event.at)
            .map_err(RecordError::from)
            .and_then(|()| check_event(event, routine, times.of_event(event.at), &before))
            .map_err(|reason| CaseFileError::InvalidEvent {
                index: positions[&event.id],
                id: event.id.clone(),
                reason,
            })?;
        before.apply(event, routine);
    }
    Ok(())
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
pub fn preview(imported: &Case, local: Option<&Case>) -> Result<ImportPreview, CaseFileError> {
    if let Some(local) = local {
        local
            .merge(imported)
            .map_err(|_| CaseFileError::Contradictory)?;
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
pub fn file_name(case: &Case, exported_on: &str, extension: &str) -> String {
    let short = case.id.short();
    format!("stodrutin-arende-{short}-{exported_on}.{extension}")
}
