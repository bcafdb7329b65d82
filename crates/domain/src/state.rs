//! The state of a case, derived by folding its log. Nothing here is stored.

use crate::details::{self, Values};
use crate::event::{in_log_order, Author, Event, EventId, Payload};
use crate::evidence::{EvidenceItem, Witness};
use crate::routine::{Routine, RoutineRef, RowId};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CaseState {
    /// `None` when the log lacks its opening event (a damaged or partial copy).
    pub routine: Option<RoutineRef>,
    pub incident_at: Option<DateTime<Utc>>,
    pub rows: BTreeMap<RowId, RowState>,
    /// Form records by form id, in log order.
    pub details: BTreeMap<String, Vec<DetailEntry>>,
    /// Each sheet form's current values: its records' changes applied in log order.
    pub sheets: BTreeMap<String, Values>,
    /// The evidence, in log order.
    pub evidence: Vec<Recorded<EvidenceItem>>,
    /// The witnesses, in log order.
    pub witnesses: Vec<Recorded<Witness>>,
}

/// Something recorded once, with when and by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded<T> {
    pub at: DateTime<Utc>,
    pub by: Author,
    pub what: T,
}

/// One record of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailEntry {
    pub id: EventId,
    pub at: DateTime<Utc>,
    pub by: Author,
    pub values: Values,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RowState {
    pub status: RowStatus,
    pub notes: Vec<Note>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum RowStatus {
    #[default]
    Open,
    Done {
        at: DateTime<Utc>,
        by: Author,
    },
    NotApplicable {
        reason: String,
        by: Author,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub id: EventId,
    pub at: DateTime<Utc>,
    pub by: Author,
    pub text: String,
}

impl CaseState {
    /// Applies one event, the next in log order.
    pub fn apply(&mut self, event: &Event) {
        match &event.payload {
            Payload::CaseOpened {
                routine,
                incident_at,
            } => {
                // A second opening event can only come from a damaged copy: the first one stands.
                if self.routine.is_none() {
                    self.routine = Some(routine.clone());
                    self.incident_at.get_or_insert(*incident_at);
                }
            }
            Payload::IncidentTimeSet { incident_at } => self.incident_at = Some(*incident_at),
            Payload::RowDone { row, done_at } => {
                self.rows.entry(row.clone()).or_default().status = RowStatus::Done {
                    at: *done_at,
                    by: event.author.clone(),
                }
            }
            Payload::RowNotApplicable { row, reason } => {
                self.rows.entry(row.clone()).or_default().status = RowStatus::NotApplicable {
                    reason: reason.clone(),
                    by: event.author.clone(),
                }
            }
            Payload::RowReopened { row } => {
                self.rows.entry(row.clone()).or_default().status = RowStatus::Open
            }
            Payload::NoteAdded { row, text } => {
                self.rows.entry(row.clone()).or_default().notes.push(Note {
                    id: event.id.clone(),
                    at: event.at,
                    by: event.author.clone(),
                    text: text.clone(),
                })
            }
            Payload::DetailsRecorded { form, values } => {
                // Which forms are sheets is the routine's to say: the fold reads every record as
                // a sheet's changes too, and only a sheet form's callers look at `sheets`.
                let sheet = self.sheets.entry(form.clone()).or_default();
                details::apply_changes(sheet, values);
                self.details
                    .entry(form.clone())
                    .or_default()
                    .push(DetailEntry {
                        id: event.id.clone(),
                        at: event.at,
                        by: event.author.clone(),
                        values: values.clone(),
                    });
            }
            Payload::EvidenceAdded { item } => self.evidence.push(Recorded {
                at: event.at,
                by: event.author.clone(),
                what: item.clone(),
            }),
            Payload::WitnessAdded { witness } => self.witnesses.push(Recorded {
                at: event.at,
                by: event.author.clone(),
                what: witness.clone(),
            }),
        }
    }

    /// Whether the case has an item or witness with this id.
    pub fn has_item(&self, id: &str) -> bool {
        self.evidence.iter().any(|e| e.what.id == id)
            || self.witnesses.iter().any(|w| w.what.id == id)
    }

    /// How many items of evidence and witnesses the case holds: the items, the witnesses noted
    /// before packs had a witness list, and the entries of `routine`'s witness list.
    pub fn evidence_count(&self, routine: &Routine) -> usize {
        let listed = routine
            .witness_form()
            .map_or(0, |form| self.entries(&form.id).len());
        self.evidence.len() + self.witnesses.len() + listed
    }

    pub fn row(&self, id: &RowId) -> RowState {
        self.rows.get(id).cloned().unwrap_or_default()
    }

    /// A sheet form's current values, once it has a record.
    pub fn sheet(&self, form: &str) -> Option<&Values> {
        self.sheets.get(form)
    }

    /// One value of a sheet form, if filled in.
    pub fn value(&self, form: &str, key: &str) -> Option<&str> {
        self.sheet(form)
            .and_then(|v| v.get(key))
            .map(String::as_str)
    }

    /// What a form shows: a list every entry; a sheet its current values, stamped with the time
    /// and author of its latest change (nothing before its first record).
    pub fn shown_entries(&self, form: &details::Form) -> Vec<DetailEntry> {
        let all = self.entries(&form.id);
        match (form.list, all.last(), self.sheet(&form.id)) {
            (true, _, _) => all.to_vec(),
            (false, Some(last), Some(sheet)) => vec![DetailEntry {
                values: sheet.clone(),
                ..last.clone()
            }],
            (false, _, _) => Vec::new(),
        }
    }

    /// A list form's entries, oldest first.
    pub fn entries(&self, form: &str) -> &[DetailEntry] {
        self.details.get(form).map_or(&[], Vec::as_slice)
    }

    /// How many of `row_ids` are still open.
    pub fn open_count<'a>(&self, row_ids: impl IntoIterator<Item = &'a RowId>) -> usize {
        row_ids
            .into_iter()
            .filter(|id| matches!(self.row(id).status, RowStatus::Open))
            .count()
    }
}

/// The state of a log: its events applied in log order (`Event::log_order`), whatever order they
/// come in. Later events win: a correction is a new event.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> CaseState {
    let mut state = CaseState::default();
    for event in in_log_order(events) {
        state.apply(event);
    }
    state
}
