//! The rules of Stödrutin, in pure Rust: routines, the case as an event log, its fold and merge,
//! the forms, deadlines and the case file. No browser types, no storage and no randomness live
//! here (ids and times come in with each event), so every rule is tested natively with
//! `cargo test`.

pub mod calendar;
pub mod case;
pub mod case_file;
pub mod container;
pub mod deadline;
pub mod details;
pub mod digest;
pub mod event;
pub mod evidence;
pub mod limits;
mod pack_reader;
pub mod role;
pub mod routine;
pub mod rules;
pub mod state;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod time;

pub use case::{Case, CaseId, MergeError, RecordError};
pub use event::{Author, DeviceId, Event, EventId, EventMeta, Payload};
pub use role::Role;
pub use routine::{Routine, RoutineRef, RowId};
pub use state::{CaseState, DetailEntry, Recorded, RowState, RowStatus};
pub use text::{Lang, Text};
