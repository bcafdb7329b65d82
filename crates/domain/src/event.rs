//! The events a case is made of. A case is an append-only log of these; its state is a fold.

use crate::evidence::{EvidenceItem, Witness};
use crate::role::Role;
use crate::routine::{RoutineRef, RowId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A random 128-bit id, as 32 lowercase hex digits; unique across devices.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub String);

/// The id a device gives itself once, stamped on every event it records.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(pub String);

/// Who recorded an event: their role in the routine, and a name if they gave one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Author {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What the platform supplies for a new event: a fresh id, the clock, the device and the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventMeta {
    pub id: EventId,
    pub now: DateTime<Utc>,
    pub device: DeviceId,
    pub author: Author,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    /// When it was recorded, in UTC. Never earlier than the case's previous event on this device,
    /// so the fold order follows what the recorder saw.
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    pub device: DeviceId,
    pub author: Author,
    pub payload: Payload,
}

impl Event {
    /// The order a case applies its events in: by recording time, then id. Every copy of a case
    /// sorts the same events the same way, whatever order they arrived in.
    pub fn log_order(&self) -> (DateTime<Utc>, &EventId) {
        (self.at, &self.id)
    }
}

/// `events` in the order a case applies them (`Event::log_order`).
pub fn in_log_order<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<&'a Event> {
    let mut in_order: Vec<&Event> = events.into_iter().collect();
    in_order.sort_by_key(|event| event.log_order());
    in_order
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "PayloadFields")]
pub enum Payload {
    /// The first event of every case.
    CaseOpened {
        routine: RoutineRef,
        #[serde(with = "crate::time::rfc3339")]
        incident_at: DateTime<Utc>,
    },
    /// A correction of the incident's time.
    IncidentTimeSet {
        #[serde(with = "crate::time::rfc3339")]
        incident_at: DateTime<Utc>,
    },
    /// A row of the routine was carried out at `done_at`.
    RowDone {
        row: RowId,
        #[serde(with = "crate::time::rfc3339")]
        done_at: DateTime<Utc>,
    },
    /// A row does not apply to this case, for the stated reason.
    RowNotApplicable { row: RowId, reason: String },
    /// A row is open again (a correction of done or not applicable).
    RowReopened { row: RowId },
    /// A note on a row.
    NoteAdded { row: RowId, text: String },
    /// A record of one of the case's forms (`details::FORMS`): the values as filled in.
    DetailsRecorded {
        form: String,
        values: std::collections::BTreeMap<String, String>,
    },
    /// An item of evidence (`evidence`); a file's bytes are kept beside the log under its id.
    EvidenceAdded { item: EvidenceItem },
    /// A witness to what happened.
    WitnessAdded { witness: Witness },
}

/// A payload as read: its `type` and every member any payload has, each optional. Serde's own
/// reading of an internally tagged enum buffers each payload in a generic `Content` tree and reads
/// every variant a second way from it (about 45 KB of WebAssembly before wasm-opt); no two
/// payloads give one member name two meanings, so one flat record reads them all in a single
/// pass. A member another payload type has is read and then dropped, as an unknown one is.
#[derive(Deserialize)]
struct PayloadFields {
    #[serde(rename = "type")]
    kind: PayloadKind,
    routine: Option<RoutineRef>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    incident_at: Option<DateTime<Utc>>,
    row: Option<RowId>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    done_at: Option<DateTime<Utc>>,
    reason: Option<String>,
    text: Option<String>,
    form: Option<String>,
    values: Option<std::collections::BTreeMap<String, String>>,
    item: Option<EvidenceItem>,
    witness: Option<Witness>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PayloadKind {
    CaseOpened,
    IncidentTimeSet,
    RowDone,
    RowNotApplicable,
    RowReopened,
    NoteAdded,
    DetailsRecorded,
    EvidenceAdded,
    WitnessAdded,
}

/// A member the payload's type requires is missing; worded as serde words it.
struct MissingMember(&'static str);

impl std::fmt::Display for MissingMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

impl TryFrom<PayloadFields> for Payload {
    type Error = MissingMember;

    fn try_from(fields: PayloadFields) -> Result<Payload, MissingMember> {
        fn needs<T>(value: Option<T>, name: &'static str) -> Result<T, MissingMember> {
            value.ok_or(MissingMember(name))
        }
        Ok(match fields.kind {
            PayloadKind::CaseOpened => Payload::CaseOpened {
                routine: needs(fields.routine, "routine")?,
                incident_at: needs(fields.incident_at, "incident_at")?,
            },
            PayloadKind::IncidentTimeSet => Payload::IncidentTimeSet {
                incident_at: needs(fields.incident_at, "incident_at")?,
            },
            PayloadKind::RowDone => Payload::RowDone {
                row: needs(fields.row, "row")?,
                done_at: needs(fields.done_at, "done_at")?,
            },
            PayloadKind::RowNotApplicable => Payload::RowNotApplicable {
                row: needs(fields.row, "row")?,
                reason: needs(fields.reason, "reason")?,
            },
            PayloadKind::RowReopened => Payload::RowReopened {
                row: needs(fields.row, "row")?,
            },
            PayloadKind::NoteAdded => Payload::NoteAdded {
                row: needs(fields.row, "row")?,
                text: needs(fields.text, "text")?,
            },
            PayloadKind::DetailsRecorded => Payload::DetailsRecorded {
                form: needs(fields.form, "form")?,
                values: needs(fields.values, "values")?,
            },
            PayloadKind::EvidenceAdded => Payload::EvidenceAdded {
                item: needs(fields.item, "item")?,
            },
            PayloadKind::WitnessAdded => Payload::WitnessAdded {
                witness: needs(fields.witness, "witness")?,
            },
        })
    }
}

impl Payload {
    /// The routine row the payload is about, if any.
    pub fn row(&self) -> Option<&RowId> {
        match self {
            Payload::RowDone { row, .. }
            | Payload::RowNotApplicable { row, .. }
            | Payload::RowReopened { row }
            | Payload::NoteAdded { row, .. } => Some(row),
            Payload::CaseOpened { .. }
            | Payload::IncidentTimeSet { .. }
            | Payload::DetailsRecorded { .. }
            | Payload::EvidenceAdded { .. }
            | Payload::WitnessAdded { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Payload, String> {
        serde_json::from_str(json).map_err(|err| err.to_string())
    }

    #[test]
    fn a_payload_reads_whatever_the_order_of_its_members() {
        let written = Payload::RowDone {
            row: RowId("3.1.1-a".to_owned()),
            done_at: "2026-11-20T10:00:00Z".parse().unwrap(),
        };
        let json = serde_json::to_string(&written).unwrap();
        assert!(json.starts_with(r#"{"type":"row_done","#), "{json}");
        assert_eq!(read(&json), Ok(written.clone()));
        let type_last = r#"{"done_at":"2026-11-20T10:00:00Z","row":"3.1.1-a","type":"row_done"}"#;
        assert_eq!(read(type_last), Ok(written));
    }

    #[test]
    fn a_payload_without_a_member_its_type_needs_is_refused_by_name() {
        let err = read(r#"{"type":"note_added","row":"3.1.1-a"}"#).unwrap_err();
        assert!(err.starts_with("missing field `text`"), "{err}");
        let err = read(r#"{"type":"case_closed"}"#).unwrap_err();
        assert!(err.starts_with("unknown variant `case_closed`"), "{err}");
        assert!(read(r#"{"row":"3.1.1-a"}"#).is_err());
    }

    #[test]
    fn members_of_another_payload_type_are_dropped_like_unknown_ones() {
        let read_back =
            read(r#"{"type":"row_reopened","row":"3.1.1-a","text":"x","future":1}"#).unwrap();
        assert_eq!(
            read_back,
            Payload::RowReopened {
                row: RowId("3.1.1-a".to_owned())
            }
        );
    }
}
