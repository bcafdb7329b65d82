//! The rules of Stödrutin, in pure Rust: no browser types live here, so every rule is tested
//! natively with `cargo test`.

pub mod calendar;
pub mod case;
pub mod case_file;
pub mod deadline;
pub mod details;
pub mod encryption;
pub mod event;
pub mod role;
pub mod routine;
pub mod state;
pub mod store;
pub mod time;

pub use case::{Case, CaseId, MergeError, RecordError};
pub use event::{Author, DeviceId, Event, EventId, EventMeta, Payload};
pub use role::Role;
pub use routine::{Routine, RoutineRef, RowId};
pub use state::{CaseState, DetailEntry, RowState, RowStatus};
