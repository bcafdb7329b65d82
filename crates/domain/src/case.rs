//! A case: an append-only log of events, recorded with checks and merged by union.

use crate::details;
use crate::event::{in_log_order, Event, EventId, EventMeta, Payload};
use crate::limits::TimeWindow;
use crate::routine::{Routine, RoutineRef};
use crate::rules::{check_event, Standing};
use crate::state::{self, CaseState};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why `record` refuses an event: a rule of `rules`, which a case file's events follow as well.
pub use crate::rules::RecordError;

/// A random 128-bit id, as 32 lowercase hex digits. It names no person.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub String);

impl CaseId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` can be a case's id: 1 to 64 ASCII letters and digits. The app makes 32
    /// hex digits; the id becomes part of a screen's address, a stored value's name and each
    /// evidence item's key (`<case>/<item>`), which nothing else could safely be.
    pub fn is_well_formed(text: &str) -> bool {
        !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    /// Keyed by id: a second copy of an event is the same event.
    #[serde(with = "events_as_list")]
    events: BTreeMap<EventId, Event>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// The two copies are different cases.
    DifferentCase,
    /// The same event id carries different content in the two copies.
    ConflictingEvent(EventId),
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::DifferentCase => f.write_str("the copies are of different cases"),
            MergeError::ConflictingEvent(id) => {
                write!(f, "the copies hold different events with the id {}", id.0)
            }
        }
    }
}

impl std::error::Error for MergeError {}

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
        let mut case = Case {
            id,
            events: BTreeMap::new(),
        };
        let times = TimeWindow::recording(meta.now, None);
        let opening = case.next_event(
            meta,
            Payload::CaseOpened {
                routine: routine.reference(),
                incident_at,
            },
        );
        check_event(&opening, routine, times, &Standing::default())?;
        case.events.insert(opening.id.clone(), opening);
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
        in_log_order(self.events.values())
    }

    pub fn state(&self) -> CaseState {
        state::fold(self.events.values())
    }

    /// The log's opening events: a case made by the app has one (a file or a merge that brings
    /// another is refused).
    pub fn openings(&self) -> impl Iterator<Item = &Event> {
        self.events
            .values()
            .filter(|e| matches!(e.payload, Payload::CaseOpened { .. }))
    }

    /// The first opening event's routine and incident time, as the fold takes them, found
    /// without folding the whole log.
    fn opening(&self) -> Option<(&RoutineRef, DateTime<Utc>)> {
        self.openings()
            .min_by_key(|e| e.log_order())
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
            .max_by_key(|e| e.log_order())
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
        if matches!(payload, Payload::CaseOpened { .. }) {
            return Err(RecordError::AlreadyOpened);
        }
        let before = Standing::of(self.events.values(), routine);
        let times = TimeWindow::recording(meta.now, before.state.incident_at)
            .of_event(self.next_at(meta.now));
        let payload = match payload {
            // A form record as filled in becomes the record as stored (cleaned; for a sheet, what
            // changed), which then passes the checks of every stored event.
            Payload::DetailsRecorded { form, values } => {
                let context = details::Context {
                    times,
                    previous: before.state.sheet(&form),
                };
                let values = details::check(routine.form(&form), &values, context)
                    .map_err(RecordError::Details)?;
                Payload::DetailsRecorded { form, values }
            }
            other => other,
        };
        let event = self.next_event(meta, payload);
        check_event(&event, routine, times, &before)?;
        let id = event.id.clone();
        self.events.insert(id.clone(), event);
        Ok(&self.events[&id])
    }

    /// The recording time of the next event: `now`, or just after the latest event when the log
    /// is ahead of this phone's clock.
    fn next_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.last_event_at() {
            Some(last) if last >= now => last + Duration::milliseconds(1),
            _ => now,
        }
    }

    /// A new event, not yet in the log. Its recording time never goes back behind the log's latest
    /// event, so a device whose clock lags still sees its own corrections take effect.
    fn next_event(&self, meta: EventMeta, payload: Payload) -> Event {
        Event {
            id: meta.id,
            at: self.next_at(meta.now),
            device: meta.device,
            author: meta.author,
            payload,
        }
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
