#![cfg(not(target_arch = "wasm32"))]
//! The case file: export, read, preview, and a clear error for every kind of bad file.

mod common;

use common::*;
use proptest::prelude::*;
use stodrutin::domain::case_file::{self, ImportError, MAX_FILE_BYTES};
use stodrutin::domain::{Case, Payload, Role, Routine, RowId};

fn recorded_case() -> Case {
    let routine = Routine::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    for (minute, row) in [(9, "3.1.1-a"), (10, "3.2.1-a")] {
        let payload = Payload::RowDone {
            row: RowId(row.into()),
            done_at: minutes(minute),
        };
        case.record(routine, support.meta(minutes(minute)), payload)
            .unwrap();
    }
    let note = Payload::NoteAdded {
        row: RowId("3.1.2-a".into()),
        text: "Polisen ringd \"kl 21\" <b>".into(),
    };
    case.record(routine, support.meta(minutes(11)), note)
        .unwrap();
    case
}

#[test]
fn a_file_reads_back_as_the_same_case() {
    let case = recorded_case();
    let text = case_file::export(&case);
    assert!(text.starts_with("{\"format\":\"stodrutin-case\",\"version\":2,"));
    assert_eq!(case_file::read(&text).unwrap(), case);
}

#[test]
fn the_file_name_names_the_case_and_date_but_no_person() {
    let name = case_file::file_name(&recorded_case(), "2026-03-01", false);
    assert_eq!(name, "stodrutin-arende-case-1-2026-03-01.json");
    let sealed = case_file::file_name(&recorded_case(), "2026-03-01", true);
    assert_eq!(sealed, "stodrutin-arende-case-1-2026-03-01.age");
}

#[test]
fn preview_counts_what_is_new_and_reimport_changes_nothing() {
    let case = recorded_case();
    let imported = case_file::read(&case_file::export(&case)).unwrap();
    let fresh = case_file::preview(&imported, None).unwrap();
    assert_eq!(
        (fresh.events, fresh.new_here, fresh.known_here),
        (4, 4, false)
    );
    let again = case_file::preview(&imported, Some(&case)).unwrap();
    assert_eq!(
        (again.events, again.new_here, again.known_here),
        (4, 0, true)
    );
    assert_eq!(case.merge(&imported).unwrap(), case);
}

#[test]
fn every_bad_file_gets_its_own_error() {
    let text = case_file::export(&recorded_case());
    let cases: Vec<(String, ImportError)> = vec![
        ("hej".into(), ImportError::NotACaseFile),
        (
            "{\"format\":\"något annat\"}".into(),
            ImportError::NotACaseFile,
        ),
        (text[..text.len() / 2].to_owned(), ImportError::Truncated),
        (
            text.replace("Polisen ringd", "Polisen ringde"),
            ImportError::Tampered,
        ),
        (
            text.replacen("\"version\":2", "\"version\":7", 1),
            ImportError::NewerFormat(7),
        ),
        ("x".repeat(MAX_FILE_BYTES + 1), ImportError::TooLarge),
    ];
    for (input, expected) in cases {
        assert_eq!(case_file::read(&input), Err(expected));
    }
}

#[test]
fn an_unknown_routine_and_contradictions_are_refused() {
    let case = recorded_case();
    // A consistent file (its digest matches) of a case that follows another municipality's routine.
    let mut events: Vec<_> = case.events().cloned().collect();
    for event in &mut events {
        if let Payload::CaseOpened { routine, .. } = &mut event.payload {
            routine.id = "annan-kommun".into();
        }
    }
    let foreign = Case::from_events(case.id.clone(), events).unwrap();
    assert_eq!(
        case_file::read(&case_file::export(&foreign)),
        Err(ImportError::UnknownRoutine)
    );

    // This device holds an event with the same id but other content.
    let imported = case_file::read(&case_file::export(&case)).unwrap();
    let mut other = Recorder::new("phone-a", Role::InitialSupport);
    let mut local = Case::open(
        case.id.clone(),
        other.meta(minutes(5)),
        Routine::oxelosund(),
        minutes(-30),
    )
    .unwrap();
    local
        .record(
            Routine::oxelosund(),
            other.meta(minutes(6)),
            Payload::RowReopened {
                row: RowId("3.1.1-a".into()),
            },
        )
        .unwrap();
    assert_eq!(
        case_file::preview(&imported, Some(&local)),
        Err(ImportError::Contradictory)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No input panics; every rejection is one of the documented errors.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = case_file::read(&text);
    }

    /// Any change to one character of a real file is caught (or leaves an equal case).
    #[test]
    fn a_changed_character_is_caught(position in 0usize..10_000, replacement in any::<char>()) {
        let case = recorded_case();
        let text = case_file::export(&case);
        let chars: Vec<char> = text.chars().collect();
        let at = position % chars.len();
        let mut changed = chars.clone();
        changed[at] = replacement;
        let changed: String = changed.into_iter().collect();
        if let Ok(read) = case_file::read(&changed) {
            prop_assert_eq!(read, case);
        }
    }
}
