//! The rules every event of a case follows. `Case::record` checks a new event by them before it
//! joins the log, and `case_file::read` checks every event a file brings by the same function, so
//! a file cannot hold what this app would not let anyone record.

use crate::details::{self, DetailError};
use crate::event::{in_log_order, Event, Payload};
use crate::evidence::{self, EvidenceError};
use crate::limits::{
    within_chars, TimeError, TimeWindow, MAX_ID_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS,
};
use crate::routine::Routine;
use crate::state::CaseState;
use std::collections::BTreeSet;

/// Why an event is refused.
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
    /// An event or device id longer than the app makes them.
    IdTooLong {
        max: usize,
    },
    /// An author's name longer than a name.
    NameTooLong {
        max: usize,
    },
    /// An item of evidence or a witness that does not pass its checks.
    Evidence(EvidenceError),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::UnknownRow => f.write_str("the routine has no such row"),
            RecordError::EmptyReason => f.write_str("the reason is empty"),
            RecordError::EmptyNote => f.write_str("the note is empty"),
            RecordError::TextTooLong { max } => {
                write!(f, "the text is longer than {max} characters")
            }
            RecordError::TimeInFuture => f.write_str("the time lies in the future"),
            RecordError::TimeBeforeIncident => f.write_str("the time lies before the incident"),
            RecordError::DuplicateEventId => {
                f.write_str("the case already has an event with this id")
            }
            RecordError::AlreadyOpened => f.write_str("the case is already opened"),
            RecordError::Details(err) => write!(f, "the form record is refused: {err}"),
            RecordError::IdTooLong { max } => write!(f, "an id is longer than {max} characters"),
            RecordError::NameTooLong { max } => {
                write!(f, "the author's name is longer than {max} characters")
            }
            RecordError::Evidence(err) => write!(f, "the evidence is refused: {err}"),
        }
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecordError::Details(err) => Some(err),
            RecordError::Evidence(err) => Some(err),
            _ => None,
        }
    }
}

impl From<TimeError> for RecordError {
    fn from(err: TimeError) -> Self {
        match err {
            TimeError::InFuture => RecordError::TimeInFuture,
            TimeError::BeforeIncident => RecordError::TimeBeforeIncident,
        }
    }
}

/// What the checks of an event need to know of the events before it in the log: the state they
/// fold to, and the forms in which any of them gave consent to keep a person's details (the
/// forms' `needs_consent` rules).
#[derive(Clone, Debug, Default)]
pub struct Standing {
    pub state: CaseState,
    pub consents: BTreeSet<String>,
}

impl Standing {
    /// The standing after `events`, whatever order they come in.
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>, routine: &Routine) -> Standing {
        let mut standing = Standing::default();
        for event in in_log_order(events) {
            standing.apply(event, routine);
        }
        standing
    }

    /// Takes in the next event in log order.
    pub fn apply(&mut self, event: &Event, routine: &Routine) {
        if let Payload::DetailsRecorded { form, values } = &event.payload {
            if routine
                .form(form)
                .is_some_and(|f| details::gives_consent(f, values))
            {
                self.consents.insert(form.clone());
            }
        }
        self.state.apply(event);
    }
}

/// Checks one event against the routine, the times it may hold, and the events before it.
/// `times` is the caller's: recording holds times to this phone's clock and the incident as the
/// case has it now; an import holds them to a tolerance for other phones' clocks.
pub fn check_event(
    event: &Event,
    routine: &Routine,
    times: TimeWindow,
    before: &Standing,
) -> Result<(), RecordError> {
    if !within_chars(&event.id.0, MAX_ID_CHARS) || !within_chars(&event.device.0, MAX_ID_CHARS) {
        return Err(RecordError::IdTooLong { max: MAX_ID_CHARS });
    }
    if let Some(name) = &event.author.name {
        if !within_chars(name, MAX_SHORT_CHARS) {
            return Err(RecordError::NameTooLong {
                max: MAX_SHORT_CHARS,
            });
        }
    }
    if let Some(row) = event.payload.row() {
        if routine.row(row).is_none() {
            return Err(RecordError::UnknownRow);
        }
    }
    match &event.payload {
        Payload::CaseOpened { incident_at, .. } | Payload::IncidentTimeSet { incident_at } => {
            Ok(times.check_not_future(*incident_at)?)
        }
        Payload::RowDone { done_at, .. } => Ok(times.check_happened(*done_at)?),
        Payload::RowNotApplicable { reason, .. } => check_text(reason).map_err(|err| match err {
            RecordError::EmptyNote => RecordError::EmptyReason,
            other => other,
        }),
        Payload::RowReopened { .. } => Ok(()),
        Payload::NoteAdded { text, .. } => check_text(text),
        Payload::DetailsRecorded { form, values } => {
            let context = details::Context {
                times,
                previous: before.state.sheet(form),
            };
            // A list's entries are about different people (each witness): one's consent does
            // not cover the next, so an entry carries its own.
            let is_list = routine.form(form).is_some_and(|f| f.list);
            let consent_given_before = !is_list && before.consents.contains(form);
            details::check_stored(routine.form(form), values, context, consent_given_before)
                .map_err(RecordError::Details)
        }
        Payload::EvidenceAdded { item } => {
            if before.state.has_item(&item.id) {
                return Err(RecordError::Evidence(EvidenceError::DuplicateId));
            }
            evidence::check_item(item, times.latest).map_err(RecordError::Evidence)
        }
        Payload::WitnessAdded { witness } => {
            if before.state.has_item(&witness.id) {
                return Err(RecordError::Evidence(EvidenceError::DuplicateId));
            }
            evidence::check_witness(witness).map_err(RecordError::Evidence)
        }
    }
}

fn check_text(text: &str) -> Result<(), RecordError> {
    if text.trim().is_empty() {
        Err(RecordError::EmptyNote)
    } else if !within_chars(text, MAX_TEXT_CHARS) {
        Err(RecordError::TextTooLong {
            max: MAX_TEXT_CHARS,
        })
    } else {
        Ok(())
    }
}
