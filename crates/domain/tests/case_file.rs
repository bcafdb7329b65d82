#![cfg(not(target_arch = "wasm32"))]
//! The case file: export, read, preview, and a clear error for every kind of bad file.

use proptest::prelude::*;
use stodrutin_domain::case_file::{self, CaseFileError, MAX_FILE_BYTES};
use stodrutin_domain::testing::*;
use stodrutin_domain::{Case, Payload, Role, RowId};

/// Reads a file as a phone would an hour after the case was opened.
fn read(text: &str) -> Result<Case, CaseFileError> {
    case_file::read(text, minutes(60), stodrutin_domain::testing::known).map(|read| read.case)
}

fn recorded_case() -> Case {
    let routine = stodrutin_domain::testing::oxelosund();
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
    let text = case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
    assert!(text.starts_with("{\"format\":\"stodrutin-case\",\"version\":3,"));
    assert_eq!(read(&text).unwrap(), case);
}

#[test]
fn the_file_name_names_the_case_and_date_but_no_person() {
    let name = case_file::file_name(&recorded_case(), "2026-03-01", "json");
    assert_eq!(name, "stodrutin-arende-case1-2026-03-01.json");
    let sealed = case_file::file_name(&recorded_case(), "2026-03-01", "age");
    assert_eq!(sealed, "stodrutin-arende-case1-2026-03-01.age");
}

#[test]
fn preview_counts_what_is_new_and_reimport_changes_nothing() {
    let case = recorded_case();
    let imported = read(&case_file::export(
        &case,
        Some(stodrutin_domain::testing::oxelosund()),
    ))
    .unwrap();
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
    let text = case_file::export(
        &recorded_case(),
        Some(stodrutin_domain::testing::oxelosund()),
    );
    let cases: Vec<(String, CaseFileError)> = vec![
        ("hej".into(), CaseFileError::NotACaseFile),
        (
            "{\"format\":\"något annat\"}".into(),
            CaseFileError::NotACaseFile,
        ),
        (text[..text.len() / 2].to_owned(), CaseFileError::Truncated),
        (
            text.replace("Polisen ringd", "Polisen ringde"),
            CaseFileError::Tampered,
        ),
        (
            text.replacen("\"version\":3", "\"version\":7", 1),
            CaseFileError::NewerFormat(7),
        ),
        ("x".repeat(MAX_FILE_BYTES + 1), CaseFileError::TooLarge),
    ];
    for (input, expected) in cases {
        assert_eq!(read(&input), Err(expected));
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
    // Without the pack (as a version 2 file travelled), it cannot be read here.
    assert_eq!(
        read(&case_file::export(&foreign, None)),
        Err(CaseFileError::UnknownRoutine)
    );
    // A pack that is not the one the case names is a contradiction, not its routine.
    assert_eq!(
        read(&case_file::export(
            &foreign,
            Some(stodrutin_domain::testing::oxelosund())
        )),
        Err(CaseFileError::Contradictory)
    );

    // This device holds an event with the same id but other content.
    let imported = read(&case_file::export(
        &case,
        Some(stodrutin_domain::testing::oxelosund()),
    ))
    .unwrap();
    let mut other = Recorder::new("phone-a", Role::InitialSupport);
    let mut local = Case::open(
        case.id.clone(),
        other.meta(minutes(5)),
        stodrutin_domain::testing::oxelosund(),
        minutes(-30),
    )
    .unwrap();
    local
        .record(
            stodrutin_domain::testing::oxelosund(),
            other.meta(minutes(6)),
            Payload::RowReopened {
                row: RowId("3.1.1-a".into()),
            },
        )
        .unwrap();
    assert_eq!(
        case_file::preview(&imported, Some(&local)),
        Err(CaseFileError::Contradictory)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No input panics; every rejection is one of the documented errors.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read(&text);
    }

    /// Any change to one character of a real file is caught (or leaves an equal case).
    #[test]
    fn a_changed_character_is_caught(position in 0usize..10_000, replacement in any::<char>()) {
        let case = recorded_case();
        let text = case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
        let chars: Vec<char> = text.chars().collect();
        let at = position % chars.len();
        let mut changed = chars.clone();
        changed[at] = replacement;
        let changed: String = changed.into_iter().collect();
        if let Ok(read) = read(&changed) {
            prop_assert_eq!(read, case);
        }
    }
}

fn fixture_text(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/case-files/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// The fixtures' phone reads them the day after their case was recorded.
fn read_fixture(name: &str) -> Result<Case, CaseFileError> {
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T12:00:00Z")
        .unwrap()
        .to_utc();
    case_file::read(&fixture_text(name), now, stodrutin_domain::testing::known)
        .map(|read| read.case)
}

#[test]
fn a_file_the_app_wrote_before_this_reader_imports_and_is_written_alike() {
    // v2-as-written.json was exported by the app as it stood before this reader: every kind of
    // event, a form sheet with an emptied value, text with quotes, markup, tabs and line breaks.
    let case = read_fixture("v2-as-written.json").unwrap();
    assert_eq!(case.event_count(), 11);
    assert_eq!(
        case.state().value("support", "chosen_phone"),
        Some("0701234567")
    );
    assert_eq!(case.state().value("report", "reference"), None);
    // Written again it is a version 3 file carrying the pack: the same case, byte for byte the
    // file this writer wrote when version 3 was made (v3-as-written.json).
    let written = case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
    if std::env::var_os("STODRUTIN_WRITE_FIXTURES").is_some() {
        let path = format!(
            "{}/tests/fixtures/case-files/v3-as-written.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(path, &written).unwrap();
    }
    assert_eq!(
        written,
        fixture_text("v3-as-written.json"),
        "the writer writes the same bytes"
    );
    assert_eq!(read_fixture("v3-as-written.json").unwrap(), case);
}

#[test]
fn a_newer_apps_added_members_are_ignored_not_called_tampering() {
    let plain = read_fixture("v2-as-written.json").unwrap();
    let extended = read_fixture("v2-with-added-members.json").unwrap();
    assert_eq!(extended, plain);
}

#[test]
fn a_changed_value_is_tampering() {
    assert_eq!(
        read_fixture("v2-changed-content.json"),
        Err(CaseFileError::Tampered)
    );
}

#[test]
fn a_version_1_file_still_imports() {
    let case = read_fixture("v1.json").unwrap();
    assert_eq!(case.event_count(), 6);
    // Cases from before packs were pinned name no hash: they follow the pack of that id and
    // version.
    let mut unpinned = stodrutin_domain::testing::oxelosund().reference();
    unpinned.hash = None;
    assert_eq!(case.state().routine, Some(unpinned));
}

#[test]
fn white_space_is_not_content_but_the_order_of_members_is() {
    let text = fixture_text("v2-as-written.json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let indented = serde_json::to_string_pretty(&value).unwrap();
    assert_eq!(read(&indented).map(|c| c.event_count()), Ok(11));
    let reordered = text.replacen(
        "\"routine\":{\"id\":\"oxelosund-bilaga3\",\"version\":1}",
        "\"routine\":{\"version\":1,\"id\":\"oxelosund-bilaga3\"}",
        1,
    );
    assert_ne!(reordered, text);
    assert_eq!(read(&reordered), Err(CaseFileError::Tampered));
}

#[test]
fn the_documented_digest_rule_is_the_one_the_app_follows() {
    let text = case_file::export(
        &recorded_case(),
        Some(stodrutin_domain::testing::oxelosund()),
    );
    assert_eq!(edit_case_file(&text, |_| {}), text);
}

/// A case with two pictures, and its container.
fn case_with_pictures() -> (Case, Vec<u8>, Vec<Vec<u8>>) {
    let routine = oxelosund();
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    let pictures: Vec<Vec<u8>> = vec![
        (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect(),
        Vec::new(),
        b"the second picture".to_vec(),
    ];
    let items: Vec<_> = pictures
        .iter()
        .zip(['a', 'b', 'c'])
        .map(|(bytes, id)| photo_item(id, bytes))
        .collect();
    for (minute, item) in (20..).zip(&items) {
        let payload = Payload::EvidenceAdded { item: item.clone() };
        case.record(routine, support.meta(minutes(minute)), payload)
            .unwrap();
    }
    let with_bytes: Vec<_> = items
        .iter()
        .zip(&pictures)
        .map(|(item, bytes)| (item, bytes.as_slice()))
        .collect();
    let file = case_file::export_container(&case, Some(routine), &with_bytes, minutes(30));
    (case, file, pictures)
}

#[test]
fn a_container_read_in_steps_of_any_size_is_the_container_read_at_once() {
    let (case, file, pictures) = case_with_pictures();
    let whole = case_file::read_container(&file, minutes(60), known).unwrap();
    assert_eq!(whole.read.case, case);
    let total: usize = pictures.iter().map(Vec::len).sum();
    for budget in [1, 4096, 65_536, 199_999, usize::MAX] {
        let mut reading = case_file::ContainerReading::new(file.clone()).unwrap();
        assert_eq!(reading.progress(), (0, total));
        let mut steps = 0;
        let mut last = 0;
        while !reading.step(budget) {
            steps += 1;
            let (done, of) = reading.progress();
            assert!(
                done > last && done < of,
                "each step moves on: {done} of {of}"
            );
            last = done;
        }
        assert_eq!(reading.progress(), (total, total));
        assert!(
            steps >= (total / budget).saturating_sub(1),
            "no step hashed more than its budget"
        );
        let stepped = reading.finish(minutes(60), known).unwrap();
        assert_eq!(stepped.read.case, whole.read.case);
        assert_eq!(stepped.items, whole.items);
    }
}

#[test]
fn a_changed_item_is_named_however_the_container_is_read() {
    let (_, mut file, pictures) = case_with_pictures();
    // The first picture's last byte, in the archive.
    let at = file
        .windows(pictures[0].len())
        .position(|window| window == pictures[0].as_slice())
        .unwrap()
        + pictures[0].len()
        - 1;
    file[at] ^= 1;
    for budget in [1000, usize::MAX] {
        let mut reading = case_file::ContainerReading::new(file.clone()).unwrap();
        while !reading.step(budget) {}
        let refused = reading.finish(minutes(60), known).unwrap_err();
        assert_eq!(
            refused,
            CaseFileError::ItemMismatch {
                item: "a".repeat(32),
                file_name: None,
            }
        );
    }
    assert!(case_file::read_container(&file, minutes(60), known).is_err());
}
