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
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payload {
    /// The first event of every case.
    CaseOpened {
        routine: RoutineRef,
        incident_at: DateTime<Utc>,
    },
    /// A correction of the incident's time.
    IncidentTimeSet { incident_at: DateTime<Utc> },
    /// A row of the routine was carried out at `done_at`.
    RowDone { row: RowId, done_at: DateTime<Utc> },
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
