//! A case: an append-only log of events, recorded with checks and merged by union.

use crate::domain::details::{self, DetailError};
use crate::domain::event::{Event, EventId, EventMeta, Payload};
use crate::domain::routine::{Routine, RoutineRef};
use crate::domain::state::{self, CaseState};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A random 128-bit id, as 32 lowercase hex digits. It names no person.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub String);

impl CaseId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest note or reason accepted: enough for a careful account, short enough to keep a
/// phone's storage and the screen usable.
pub const MAX_TEXT_CHARS: usize = 4000;

/// How far ahead of the device clock a recorded time may lie (clocks drift; typing is imprecise).
const FUTURE_TOLERANCE_MINUTES: i64 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    /// Keyed by id: a second copy of an event is the same event.
    #[serde(with = "events_as_list")]
    events: BTreeMap<EventId, Event>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    UnknownRow,
    EmptyReason,
    EmptyNote,
    TextTooLong {
        max: usize,
    },
    TimeInFuture,
    TimeBeforeIncident,
    DuplicateEventId,
    AlreadyOpened,
    /// A form record that does not pass its checks.
    Details(DetailError),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// The two copies are different cases.
    DifferentCase,
    /// The same event id carries different content in the two copies.
    ConflictingEvent(EventId),
}

impl CaseId {
    /// The first 8 digits: enough to tell cases apart in a file name or a report.
    pub fn short(&self) -> &str {
        let end = self
            .0
            .char_indices()
            .nth(8)
            .map_or(self.0.len(), |(i, _)| i);
        &self.0[..end]
    }
}

impl Case {
    /// Opens a new case following `routine`, with its incident at `incident_at`.
    pub fn open(
        id: CaseId,
        meta: EventMeta,
        routine: &Routine,
        incident_at: DateTime<Utc>,
    ) -> Result<Case, RecordError> {
        check_not_future(incident_at, meta.now)?;
        let mut case = Case {
            id,
            events: BTreeMap::new(),
        };
        case.append(
            meta,
            Payload::CaseOpened {
                routine: routine.reference(),
                incident_at,
            },
        );
        Ok(case)
    }

    /// Rebuilds a case from stored or imported events, without checks beyond identity.
    pub fn from_events(
        id: CaseId,
        events: impl IntoIterator<Item = Event>,
    ) -> Result<Case, MergeError> {
        let mut case = Case {
            id,
            events: BTreeMap::new(),
        };
        for event in events {
            case.insert(event)?;
        }
        Ok(case)
    }

    fn insert(&mut self, event: Event) -> Result<(), MergeError> {
        match self.events.get(&event.id) {
            Some(existing) if *existing != event => Err(MergeError::ConflictingEvent(event.id)),
            Some(_) => Ok(()),
            None => {
                self.events.insert(event.id.clone(), event);
                Ok(())
            }
        }
    }

    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.values()
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    pub fn contains(&self, id: &EventId) -> bool {
        self.events.contains_key(id)
    }

    /// Events in the order the fold applies them: by recording time, then id.
    pub fn events_in_order(&self) -> Vec<&Event> {
        let mut events: Vec<&Event> = self.events.values().collect();
        events.sort_by_key(|e| log_order(e));
        events
    }

    pub fn state(&self) -> CaseState {
        state::fold(self)
    }

    /// The first opening event's routine and incident time, as the fold takes them, found
    /// without folding the whole log.
    fn opening(&self) -> Option<(&RoutineRef, DateTime<Utc>)> {
        self.events
            .values()
            .filter(|e| matches!(e.payload, Payload::CaseOpened { .. }))
            .min_by_key(|e| log_order(e))
            .and_then(|e| match &e.payload {
                Payload::CaseOpened {
                    routine,
                    incident_at,
                } => Some((routine, *incident_at)),
                _ => None,
            })
    }

    /// The routine the case follows.
    pub fn routine(&self) -> Option<RoutineRef> {
        self.opening().map(|(routine, _)| routine.clone())
    }

    /// The incident's time as the fold gives it (the latest correction wins), without folding.
    pub fn incident_at(&self) -> Option<DateTime<Utc>> {
        let corrected = self
            .events
            .values()
            .filter(|e| matches!(e.payload, Payload::IncidentTimeSet { .. }))
            .max_by_key(|e| log_order(e))
            .and_then(|e| match e.payload {
                Payload::IncidentTimeSet { incident_at } => Some(incident_at),
                _ => None,
            });
        corrected.or_else(|| self.opening().map(|(_, incident_at)| incident_at))
    }

    /// The latest recording time in the log.
    pub fn last_event_at(&self) -> Option<DateTime<Utc>> {
        self.events.values().map(|e| e.at).max()
    }

    /// Checks `payload` against the case as it stands and appends it as a new event.
    pub fn record(
        &mut self,
        routine: &Routine,
        meta: EventMeta,
        payload: Payload,
    ) -> Result<&Event, RecordError> {
        if self.events.contains_key(&meta.id) {
            return Err(RecordError::DuplicateEventId);
        }
        let payload = self.clean_details(payload, &meta)?;
        self.check(routine, &meta, &payload)?;
        let id = self.append(meta, payload);
        Ok(&self.events[&id])
    }

    fn check(
        &self,
        routine: &Routine,
        meta: &EventMeta,
        payload: &Payload,
    ) -> Result<(), RecordError> {
        if let Some(row) = payload.row() {
            if routine.row(row).is_none() {
                return Err(RecordError::UnknownRow);
            }
        }
        match payload {
            Payload::CaseOpened { .. } => Err(RecordError::AlreadyOpened),
            Payload::IncidentTimeSet { incident_at } => check_not_future(*incident_at, meta.now),
            Payload::RowDone { done_at, .. } => {
                check_not_future(*done_at, meta.now)?;
                match self.incident_at() {
                    Some(incident) if *done_at < incident => Err(RecordError::TimeBeforeIncident),
                    _ => Ok(()),
                }
            }
            Payload::RowNotApplicable { reason, .. } => {
                check_text(reason).map_err(|err| match err {
                    RecordError::EmptyNote => RecordError::EmptyReason,
                    other => other,
                })
            }
            Payload::RowReopened { .. } | Payload::DetailsRecorded { .. } => Ok(()),
            Payload::NoteAdded { text, .. } => check_text(text),
        }
    }

    /// A form record, checked and with its values cleaned (trimmed, canonical times and phones).
    fn clean_details(&self, payload: Payload, meta: &EventMeta) -> Result<Payload, RecordError> {
        let Payload::DetailsRecorded { form, values } = payload else {
            return Ok(payload);
        };
        let state = state::fold(self);
        let context = details::Context {
            incident_at: self.incident_at(),
            now: meta.now,
            previous: state.sheet(&form),
        };
        let values = details::check(&form, &values, context).map_err(RecordError::Details)?;
        Ok(Payload::DetailsRecorded { form, values })
    }

    /// Appends without checks. The recording time never goes back behind the log's latest event,
    /// so a device whose clock lags still sees its own corrections take effect.
    fn append(&mut self, meta: EventMeta, payload: Payload) -> EventId {
        let at = match self.last_event_at() {
            Some(last) if last >= meta.now => last + Duration::milliseconds(1),
            _ => meta.now,
        };
        let event = Event {
            id: meta.id.clone(),
            at,
            device: meta.device,
            author: meta.author,
            payload,
        };
        self.events.insert(meta.id.clone(), event);
        meta.id
    }

    /// The union of two copies of the same case. Idempotent, commutative and associative; no
    /// event of either copy is lost.
    pub fn merge(&self, other: &Case) -> Result<Case, MergeError> {
        if self.id != other.id {
            return Err(MergeError::DifferentCase);
        }
        let mut merged = self.clone();
        for event in other.events.values() {
            merged.insert(event.clone())?;
        }
        Ok(merged)
    }

    /// How many of `other`'s events this copy lacks.
    pub fn count_new_from(&self, other: &Case) -> usize {
        other
            .events
            .keys()
            .filter(|id| !self.events.contains_key(*id))
            .count()
    }
}

/// The order the fold applies events in: by recording time, then id.
fn log_order(event: &Event) -> (DateTime<Utc>, &EventId) {
    (event.at, &event.id)
}

fn check_not_future(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), RecordError> {
    if at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        Err(RecordError::TimeInFuture)
    } else {
        Ok(())
    }
}

fn check_text(text: &str) -> Result<(), RecordError> {
    if text.trim().is_empty() {
        Err(RecordError::EmptyNote)
    } else if text.chars().count() > MAX_TEXT_CHARS {
        Err(RecordError::TextTooLong {
            max: MAX_TEXT_CHARS,
        })
    } else {
        Ok(())
    }
}

/// Events are stored as a plain list, in id order.
mod events_as_list {
    use super::{Event, EventId};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        events: &BTreeMap<EventId, Event>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let list: Vec<&Event> = events.values().collect();
        list.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<EventId, Event>, D::Error> {
        let list = Vec::<Event>::deserialize(deserializer)?;
        let mut events = BTreeMap::new();
        for event in list {
            if let Some(previous) = events.insert(event.id.clone(), event) {
                if events[&previous.id] != previous {
                    return Err(serde::de::Error::custom(format!(
                        "two different events share the id {}",
                        previous.id.0
                    )));
                }
            }
        }
        Ok(events)
    }
}
