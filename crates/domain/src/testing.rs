//! Helpers for tests of this crate and the crates above it: a fixed clock, recorders of events (the
//! support person's and the officer's phones), the payloads they record, and an editor of case
//! files. Built only with the `testing` feature.

use crate::{Author, Case, CaseId, DeviceId, EventId, EventMeta, Payload, Role, Routine, RowId};
use std::sync::OnceLock;

/// The Oxelösund pack as the repository ships it.
pub const OXELOSUND_PACK: &str = include_str!("../../../routines/oxelosund-2018-06-13.json");
/// Version 2 of the Oxelösund pack (version 1 with the list of witnesses), as the repository ships
/// it.
pub const OXELOSUND_V2_PACK: &str = include_str!("../../../routines/oxelosund-2018-06-13-v2.json");
/// The example pack for municipalities (its version 2), as the repository ships it.
pub const EXAMPLE_PACK: &str = include_str!("../../../routines/exempel-kommun-2026-v2.json");

/// The Oxelösund routine (Bilaga 3, 2018-06-13), parsed once.
pub fn oxelosund() -> &'static Routine {
    static ROUTINE: OnceLock<Routine> = OnceLock::new();
    ROUTINE.get_or_init(|| Routine::parse(OXELOSUND_PACK).expect("the shipped pack is valid"))
}

/// Version 2 of the Oxelösund routine, parsed once.
pub fn oxelosund_v2() -> &'static Routine {
    static ROUTINE: OnceLock<Routine> = OnceLock::new();
    ROUTINE.get_or_init(|| Routine::parse(OXELOSUND_V2_PACK).expect("the shipped pack is valid"))
}

/// The example pack, parsed once.
pub fn example() -> &'static Routine {
    static ROUTINE: OnceLock<Routine> = OnceLock::new();
    ROUTINE.get_or_init(|| Routine::parse(EXAMPLE_PACK).expect("the shipped pack is valid"))
}
use chrono::{DateTime, Duration, TimeZone, Utc};
use sha2::{Digest, Sha256};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap()
}

pub fn minutes(n: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(n)
}

pub struct Recorder {
    pub device: &'static str,
    pub role: Role,
    pub next: u32,
}

impl Recorder {
    pub fn new(device: &'static str, role: Role) -> Self {
        Recorder {
            device,
            role,
            next: 0,
        }
    }

    pub fn meta(&mut self, now: DateTime<Utc>) -> EventMeta {
        self.next += 1;
        EventMeta {
            id: EventId(format!("{}-{:04}", self.device, self.next)),
            now,
            device: DeviceId(self.device.to_owned()),
            author: Author {
                role: self.role,
                name: None,
            },
        }
    }

    /// Records `payload` in `case`, a case under the Oxelösund routine as `open_case` opens it, as
    /// this device at `now`. A refusal panics: this is for the steps a test builds on; a test of
    /// what the case refuses calls `Case::record` and looks at the error.
    pub fn record(&mut self, case: &mut Case, now: DateTime<Utc>, payload: Payload) {
        case.record(oxelosund(), self.meta(now), payload)
            .expect("the case takes the event");
    }
}

/// The initial support person's phone: the device that opens the case in most tests.
pub fn support_phone() -> Recorder {
    Recorder::new("phone-a", Role::InitialSupport)
}

/// The party security officer's phone: a second device, working on its own copy of a case.
pub fn officer_phone() -> Recorder {
    Recorder::new("phone-b", Role::PartySecurityOfficer)
}

pub fn open_case(recorder: &mut Recorder) -> Case {
    Case::open(
        CaseId("case1".into()),
        recorder.meta(minutes(5)),
        oxelosund(),
        t0(),
    )
    .unwrap()
}

/// The row of the routine with this id.
pub fn row(id: &str) -> RowId {
    RowId(id.into())
}

/// The row `id` done at `done_at`.
pub fn row_done(id: &str, done_at: DateTime<Utc>) -> Payload {
    Payload::RowDone {
        row: row(id),
        done_at,
    }
}

/// The row `id` marked not applicable, for `reason`.
pub fn row_not_applicable(id: &str, reason: &str) -> Payload {
    Payload::RowNotApplicable {
        row: row(id),
        reason: reason.into(),
    }
}

/// The row `id` open again.
pub fn row_reopened(id: &str) -> Payload {
    Payload::RowReopened { row: row(id) }
}

/// A note on the row `id`.
pub fn note_added(id: &str, text: &str) -> Payload {
    Payload::NoteAdded {
        row: row(id),
        text: text.into(),
    }
}

/// A case file changed by `edit` and given a matching digest again, computed by the rule in
/// docs/case-file-format.md (written here on its own, not with the reader's code, so the tests
/// hold the reader to the document): what anyone with a text editor and a SHA-256 tool can make.
pub fn edit_case_file(text: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut file: serde_json::Value = serde_json::from_str(text).expect("a case file is JSON");
    edit(&mut file);
    let members = file.as_object_mut().expect("a case file is a JSON object");
    members.shift_remove("sha256");
    let canonical = serde_json::to_vec(&file).expect("a JSON value always serializes");
    let sha256: String = Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    file.as_object_mut()
        .expect("still an object")
        .insert("sha256".to_owned(), serde_json::Value::String(sha256));
    serde_json::to_string(&file).expect("a JSON value always serializes")
}

/// A form record of `form` with these field values.
pub fn details(form: &str, pairs: &[(&str, &str)]) -> Payload {
    Payload::DetailsRecorded {
        form: form.into(),
        values: values(pairs),
    }
}

/// Form values from (field, value) pairs.
pub fn values(pairs: &[(&str, &str)]) -> crate::details::Values {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The routines the tests know, as an app that ships both packs would look them up.
pub fn known(reference: &crate::RoutineRef) -> Option<&'static Routine> {
    [oxelosund(), oxelosund_v2(), example()]
        .into_iter()
        .find(|routine| reference.names(routine))
}

/// A photo item for `bytes` (its digest and size computed), with the id `id` repeated to 32
/// characters and every optional member empty but the media type: tests fill in what they test.
pub fn photo_item(id: char, bytes: &[u8]) -> crate::evidence::EvidenceItem {
    crate::evidence::EvidenceItem {
        media_type: Some("image/jpeg".into()),
        ..crate::evidence::file_item(
            id.to_string().repeat(32),
            crate::evidence::EvidenceKind::Photo,
            crate::digest::sha256_hex(bytes),
            bytes.len() as u64,
        )
    }
}
