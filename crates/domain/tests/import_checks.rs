#![cfg(not(target_arch = "wasm32"))]
//! A case file is checked event by event by the rules of recording, even when its digest matches:
//! a file cannot bring what no one could have recorded, and a refusal names the event.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::time::Instant;
use stodrutin_domain::case_file::{self, CaseFileError, MAX_EVENTS, MAX_FILE_BYTES};
use stodrutin_domain::details::{DetailError, Problem};
use stodrutin_domain::limits::{MAX_ID_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use stodrutin_domain::testing::*;
use stodrutin_domain::{
    Author, Case, CaseId, DeviceId, Event, EventId, Payload, RecordError, Role, RowId,
};

/// A case as the app records it: rows done, a note, form records.
fn recorded_case() -> Case {
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    let payloads = [
        row_done("3.1.1-a", minutes(8)),
        note_added("3.1.2-a", "Polisen ringd"),
        details("support", &[("support_now", "Ali")]),
        details("report", &[("decision", "undecided")]),
    ];
    for (minute, payload) in (9..).zip(payloads) {
        support.record(&mut case, minutes(minute), payload);
    }
    case
}

/// Reads as a phone whose clock agrees with the recording phone's, an hour after the case opened.
fn read(text: &str) -> Result<Case, CaseFileError> {
    case_file::read(text, minutes(60), stodrutin_domain::testing::known).map(|read| read.case)
}

/// The file of `case` with one more event, `payload` recorded at minute 20 by another phone, its
/// digest recomputed. Returns the file and where the event stands in it.
fn with_event(case: &Case, payload: Value) -> (String, usize) {
    let added = json!({
        "id": "ffffffffffffffffffffffffffffffff",
        "at": minutes(20),
        "device": "phone-b",
        "author": { "role": "party_security_officer" },
        "payload": payload,
    });
    let mut index = 0;
    let text = edit_case_file(
        &case_file::export(case, Some(stodrutin_domain::testing::oxelosund())),
        |file| {
            let events = file["events"].as_array_mut().unwrap();
            // In the middle, as a writer in id order would not put it: the index is the file's.
            index = events.len() / 2;
            events.insert(index, added);
        },
    );
    (text, index)
}

fn refused(payload: Value) -> (usize, RecordError) {
    let (text, index) = with_event(&recorded_case(), payload);
    match read(&text) {
        Err(CaseFileError::InvalidEvent {
            index: named,
            id,
            reason,
        }) => {
            assert_eq!(
                (named, id.0.as_str()),
                (index, "ffffffffffffffffffffffffffffffff")
            );
            (named, reason)
        }
        other => panic!("not refused as an invalid event: {other:?}"),
    }
}

fn detail_error(field: Option<&'static str>, problem: Problem) -> RecordError {
    RecordError::Details(DetailError {
        field: field.map(str::to_owned),
        problem,
    })
}

#[test]
fn a_good_event_added_with_its_digest_recomputed_is_accepted() {
    let (text, _) = with_event(
        &recorded_case(),
        json!({ "type": "note_added", "row": "3.2.1-a", "text": "Ringde Kim" }),
    );
    assert_eq!(read(&text).unwrap().event_count(), 6);
}

#[test]
fn a_hostile_note_and_a_time_years_ahead_are_refused_naming_the_event() {
    let case = recorded_case();
    let markup = "<img src=x onerror=alert(1)>";
    let hostile: String = markup.repeat(100_000 / markup.len() + 1)[..100_000].to_owned();
    let note_id = case
        .events()
        .find(|e| matches!(e.payload, Payload::NoteAdded { .. }))
        .unwrap()
        .id
        .clone();
    let done_id = case
        .events()
        .find(|e| matches!(e.payload, Payload::RowDone { .. }))
        .unwrap()
        .id
        .clone();
    let five_years_ahead = minutes(60) + Duration::days(5 * 365);
    let mut positions = (0, 0);
    let text = edit_case_file(
        &case_file::export(&case, Some(stodrutin_domain::testing::oxelosund())),
        |file| {
            for (index, event) in file["events"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .enumerate()
            {
                if event["id"] == note_id.0.as_str() {
                    event["payload"]["text"] = json!(hostile);
                    positions.0 = index;
                }
                if event["id"] == done_id.0.as_str() {
                    event["at"] = json!(five_years_ahead);
                    event["payload"]["done_at"] = json!(five_years_ahead);
                    positions.1 = index;
                }
            }
        },
    );
    let started = Instant::now();
    let result = read(&text);
    eprintln!(
        "a hostile file of {} bytes refused in {:?}",
        text.len(),
        started.elapsed()
    );
    // The note comes first in the order the case applies its events; the other event is named
    // once the note is fixed.
    assert_eq!(
        result,
        Err(CaseFileError::InvalidEvent {
            index: positions.0,
            id: note_id,
            reason: RecordError::TextTooLong {
                max: MAX_TEXT_CHARS
            },
        })
    );
    let only_the_date = edit_case_file(&text, |file| {
        file["events"][positions.0]["payload"]["text"] = json!("Polisen ringd");
    });
    assert_eq!(
        read(&only_the_date),
        Err(CaseFileError::InvalidEvent {
            index: positions.1,
            id: done_id,
            reason: RecordError::TimeInFuture,
        })
    );
}

#[test]
fn another_phones_clock_may_be_hours_but_not_days_ahead() {
    let text = case_file::export(
        &recorded_case(),
        Some(stodrutin_domain::testing::oxelosund()),
    );
    let latest = recorded_case().last_event_at().unwrap();
    let read_at = |now: DateTime<Utc>| {
        case_file::read(&text, now, stodrutin_domain::testing::known).map(|read| read.case)
    };
    assert_eq!(
        read_at(latest - Duration::minutes(30)),
        Ok(recorded_case()),
        "half an hour ahead"
    );
    assert!(read_at(latest - Duration::hours(23)).is_ok());
    assert!(matches!(
        read_at(latest - Duration::hours(25)),
        Err(CaseFileError::InvalidEvent {
            reason: RecordError::TimeInFuture,
            ..
        })
    ));
}

#[test]
fn an_events_times_are_held_to_the_time_it_carries() {
    // Recorded at minute 20 (`with_event`), a row done at minute 30 could not have been recorded:
    // later than its own time and the tolerance, though well before this phone's clock.
    let (_, reason) =
        refused(json!({ "type": "row_done", "row": "3.2.1-a", "done_at": minutes(30) }));
    assert_eq!(reason, RecordError::TimeInFuture);
    let (text, _) = with_event(
        &recorded_case(),
        json!({ "type": "row_done", "row": "3.2.1-a", "done_at": minutes(24) }),
    );
    assert!(read(&text).is_ok(), "within the tolerance");
}

#[test]
fn each_kind_of_bad_event_is_refused() {
    let long_text = "x".repeat(MAX_TEXT_CHARS + 1);
    let before_incident = (t0() - Duration::days(1)).to_rfc3339();
    let cases: Vec<(Value, RecordError)> = vec![
        (
            json!({ "type": "note_added", "row": "3.1.1-a", "text": long_text }),
            RecordError::TextTooLong {
                max: MAX_TEXT_CHARS,
            },
        ),
        (
            json!({ "type": "row_not_applicable", "row": "3.1.1-a", "reason": long_text }),
            RecordError::TextTooLong {
                max: MAX_TEXT_CHARS,
            },
        ),
        (
            json!({ "type": "row_not_applicable", "row": "3.1.1-a", "reason": " " }),
            RecordError::EmptyReason,
        ),
        (
            json!({ "type": "row_done", "row": "9.9.9-z", "done_at": minutes(10) }),
            RecordError::UnknownRow,
        ),
        (
            json!({ "type": "row_done", "row": "3.1.1-a", "done_at": before_incident }),
            RecordError::TimeBeforeIncident,
        ),
        (
            json!({ "type": "incident_time_set", "incident_at": minutes(60 * 48) }),
            RecordError::TimeInFuture,
        ),
        (
            json!({ "type": "details_recorded", "form": "support",
                    "values": { "chosen_phone": "ring Kim", "consent": "yes" } }),
            detail_error(Some("chosen_phone"), Problem::BadPhone),
        ),
        (
            json!({ "type": "details_recorded", "form": "support",
                    "values": { "chosen_name": "Kim" } }),
            detail_error(Some("consent"), Problem::ConsentMissing),
        ),
        (
            json!({ "type": "details_recorded", "form": "support",
                    "values": { "chosen_name": "Kim", "consent": "no" } }),
            detail_error(Some("consent"), Problem::ConsentMissing),
        ),
        (
            json!({ "type": "details_recorded", "form": "report",
                    "values": { "decision": "report", "colour": "red" } }),
            detail_error(None, Problem::UnknownField),
        ),
        (
            json!({ "type": "details_recorded", "form": "diary", "values": { "x": "y" } }),
            detail_error(None, Problem::UnknownForm),
        ),
        (
            json!({ "type": "details_recorded", "form": "company",
                    "values": { "who": "Eva", "from_at": before_incident } }),
            detail_error(Some("from_at"), Problem::BeforeIncident),
        ),
        (
            json!({ "type": "details_recorded", "form": "officer",
                    "values": { "informed_at": (minutes(60) + Duration::days(2)).to_rfc3339() } }),
            detail_error(Some("informed_at"), Problem::TimeInFuture),
        ),
        (
            json!({ "type": "details_recorded", "form": "report",
                    "values": { "decision": "<script>alert(1)</script>" } }),
            detail_error(Some("decision"), Problem::BadChoice),
        ),
        (
            json!({ "type": "details_recorded", "form": "report", "values": { "decision": "" } }),
            detail_error(Some("decision"), Problem::Required),
        ),
        (
            json!({ "type": "details_recorded", "form": "company", "values": { "who": "Eva" } }),
            detail_error(Some("from_at"), Problem::Required),
        ),
        (
            // A list's record leaves empty values out; only a sheet's records empty a value.
            json!({ "type": "details_recorded", "form": "inform",
                    "values": { "groups": "party", "by": "" } }),
            detail_error(Some("by"), Problem::NotCanonical),
        ),
        (
            json!({ "type": "details_recorded", "form": "incident",
                    "values": { "place": "x".repeat(MAX_SHORT_CHARS + 1) } }),
            detail_error(
                Some("place"),
                Problem::TooLong {
                    max: MAX_SHORT_CHARS,
                },
            ),
        ),
        (
            // The app stores values trimmed: padding is not something it wrote.
            json!({ "type": "details_recorded", "form": "incident",
                    "values": { "place": format!("Torget{}", " ".repeat(100_000)) } }),
            detail_error(Some("place"), Problem::NotCanonical),
        ),
    ];
    for (payload, expected) in cases {
        let description = payload.to_string();
        let (_, reason) = refused(payload);
        assert_eq!(
            reason,
            expected,
            "{}",
            &description[..description.len().min(200)]
        );
    }
}

#[test]
fn a_witness_on_the_list_needs_their_own_consent_not_an_earlier_witnesses() {
    let mut support = support_phone();
    let mut case = Case::open(
        CaseId("case1".into()),
        support.meta(minutes(5)),
        oxelosund_v2(),
        t0(),
    )
    .unwrap();
    let first = details(
        "witnesses",
        &[("consent", "yes"), ("name", "Kim"), ("saw", "Lappen")],
    );
    case.record(oxelosund_v2(), support.meta(minutes(9)), first)
        .unwrap();
    // A second witness's name and number, without a consent of their own: no phone writes that
    // (each entry's form sends its own consent), but a file may bring it.
    let file_with = |values: Value| {
        let added = json!({
            "id": "ffffffffffffffffffffffffffffffff",
            "at": minutes(20),
            "device": "phone-b",
            "author": { "role": "party_security_officer" },
            "payload": { "type": "details_recorded", "form": "witnesses", "values": values },
        });
        edit_case_file(&case_file::export(&case, Some(oxelosund_v2())), |file| {
            file["events"].as_array_mut().unwrap().push(added);
        })
    };
    match read(&file_with(json!({ "name": "Alex", "phone": "0701111111" }))) {
        Err(CaseFileError::InvalidEvent { reason, .. }) => assert_eq!(
            reason,
            detail_error(Some("consent"), Problem::ConsentMissing)
        ),
        other => panic!("a witness without consent was not refused: {other:?}"),
    }
    // What the second witness saw, without a name, needs none; with their consent, the name too.
    assert!(read(&file_with(json!({ "saw": "Bilen" }))).is_ok());
    let read_back = read(&file_with(json!({ "consent": "yes", "name": "Alex" }))).expect("imports");
    assert_eq!(read_back.state().entries("witnesses").len(), 2);
}

#[test]
fn an_author_and_ids_are_held_to_their_lengths() {
    let case = recorded_case();
    let text = case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
    let long_name = edit_case_file(&text, |file| {
        file["events"][1]["author"]["name"] = json!("Å".repeat(MAX_SHORT_CHARS + 1));
    });
    assert!(matches!(
        read(&long_name),
        Err(CaseFileError::InvalidEvent {
            index: 1,
            reason: RecordError::NameTooLong { .. },
            ..
        })
    ));
    let long_device = edit_case_file(&text, |file| {
        file["events"][2]["device"] = json!("d".repeat(MAX_ID_CHARS + 1));
    });
    assert!(matches!(
        read(&long_device),
        Err(CaseFileError::InvalidEvent {
            index: 2,
            reason: RecordError::IdTooLong { .. },
            ..
        })
    ));
}

/// A case id the app could not have made would be imported, then be out of reach: no address
/// leads to it, so it could be neither opened nor deleted (and an id with a `/` would mix up
/// evidence items' keys).
#[test]
fn a_case_id_the_app_cannot_have_made_is_refused() {
    let text = case_file::export(
        &recorded_case(),
        Some(stodrutin_domain::testing::oxelosund()),
    );
    for id in ["", "x-1", "a/b", "ärende", &"a".repeat(65)] {
        let forged = edit_case_file(&text, |file| file["case"] = json!(id));
        assert_eq!(read(&forged), Err(CaseFileError::NotACaseFile), "{id:?}");
    }
    let longest = "a".repeat(64);
    let fine = edit_case_file(&text, |file| file["case"] = json!(longest));
    assert_eq!(read(&fine).map(|case| case.id), Ok(CaseId(longest)));
}

#[test]
fn more_events_than_a_case_can_have_are_refused_before_they_are_read() {
    let text = case_file::export(
        &recorded_case(),
        Some(stodrutin_domain::testing::oxelosund()),
    );
    let crowded = edit_case_file(&text, |file| {
        let events = file["events"].as_array_mut().unwrap();
        let first = events[0].clone();
        events.resize(MAX_EVENTS + 1, first);
    });
    assert!(crowded.len() <= MAX_FILE_BYTES);
    assert_eq!(read(&crowded), Err(CaseFileError::TooManyEvents));
}

/// Copies of a case edited on two phones at once merge into logs no single phone saw. Each event
/// was recorded by the rules; the merged file must import.
#[test]
fn copies_merged_from_phones_that_worked_at_once_import() {
    let mut support = support_phone();
    let mut officer = officer_phone();
    let mut a = open_case(&mut support);
    support.record(
        &mut a,
        minutes(6),
        details(
            "support",
            &[
                ("support_now", "Ali"),
                ("chosen_name", "Kim"),
                ("consent", "yes"),
            ],
        ),
    );
    support.record(
        &mut a,
        minutes(7),
        details("report", &[("decision", "undecided")]),
    );
    let mut b = a.clone();
    // Phone A: the incident was later than first noted; consent to keep Kim's details withdrawn;
    // a police report decided.
    for (minute, payload) in [
        (
            10,
            Payload::IncidentTimeSet {
                incident_at: minutes(3),
            },
        ),
        (
            11,
            details("support", &[("support_now", "Ali"), ("consent", "no")]),
        ),
        (12, details("report", &[("decision", "report")])),
    ] {
        support.record(&mut a, minutes(minute), payload);
    }
    // Phone B, not yet seeing A's changes: a row done before the corrected incident time, Kim's
    // phone number added under the consent it saw, the same decision.
    for (minute, payload) in [
        (13, row_done("3.1.1-b", minutes(2))),
        (
            14,
            details(
                "support",
                &[
                    ("support_now", "Ali"),
                    ("chosen_name", "Kim"),
                    ("chosen_phone", "070-123 45 67"),
                    ("consent", "yes"),
                ],
            ),
        ),
        (15, details("report", &[("decision", "report")])),
    ] {
        officer.record(&mut b, minutes(minute), payload);
    }
    let merged = a.merge(&b).unwrap();
    assert_eq!(
        read(&case_file::export(
            &merged,
            Some(stodrutin_domain::testing::oxelosund())
        )),
        Ok(merged)
    );
}

/// The largest file this app accepts, checked in full: the time is printed, not asserted
/// (`cargo test -p stodrutin-domain --release -- --nocapture largest`).
#[test]
fn the_largest_files_are_checked_in_linear_time() {
    let device = DeviceId("a1b2c3d4e5f60718293a4b5c6d7e8f90".into());
    let author = Author {
        role: Role::PartySecurityOfficer,
        name: Some("Åsa Öberg".into()),
    };
    let event = |n: usize, payload: Payload| Event {
        id: EventId(format!("{n:032x}")),
        at: t0() + Duration::milliseconds(n as i64),
        device: device.clone(),
        author: author.clone(),
        payload,
    };
    let opening = event(
        0,
        Payload::CaseOpened {
            routine: stodrutin_domain::testing::oxelosund().reference(),
            incident_at: t0(),
        },
    );
    let rows: Vec<RowId> = stodrutin_domain::testing::oxelosund()
        .rows
        .iter()
        .map(|r| r.id.clone())
        .collect();
    // The most events, of every kind, the forms' sheets and lists growing all along.
    let many = |n: usize| {
        let row = rows[n % rows.len()].clone();
        let at = (t0() + Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let payload = match n % 6 {
            0 => Payload::RowDone {
                row,
                done_at: t0() + Duration::minutes(1),
            },
            1 => Payload::NoteAdded {
                row,
                text: format!("Anteckning {n}: ringde och talade med polisen om läget."),
            },
            2 => details("report", &[("reference", &format!("K-{n}"))]),
            3 => details(
                "support",
                &[
                    ("chosen_phone", &format!("0701{:06}", n)),
                    ("consent", "yes"),
                ],
            ),
            4 => details("company", &[("who", "Eva"), ("from_at", &at)]),
            _ => Payload::RowReopened { row },
        };
        event(n, payload)
    };
    let first_report = event(1, details("report", &[("decision", "report")]));
    let many_events: Vec<Event> = [opening.clone(), first_report]
        .into_iter()
        .chain((2..MAX_EVENTS).map(many))
        .collect();
    // The longest notes, of characters that take two bytes, until the file is full.
    let long_note = "å".repeat(MAX_TEXT_CHARS);
    let note_bytes = 2 * MAX_TEXT_CHARS + 400;
    let long_events: Vec<Event> = std::iter::once(opening)
        .chain((1..MAX_FILE_BYTES / note_bytes).map(|n| {
            event(
                n,
                Payload::NoteAdded {
                    row: rows[n % rows.len()].clone(),
                    text: long_note.clone(),
                },
            )
        }))
        .collect();
    for (what, events) in [("most events", many_events), ("longest notes", long_events)] {
        let count = events.len();
        let case =
            Case::from_events(CaseId("5f0c2a9e7b1d4e3fa6c8b2d1e0f9a7c3".into()), events).unwrap();
        let text = case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
        assert!(text.len() <= MAX_FILE_BYTES, "{what}: {} bytes", text.len());
        let started = Instant::now();
        let read = case_file::read(
            &text,
            t0() + Duration::hours(1),
            stodrutin_domain::testing::known,
        )
        .map(|read| read.case);
        let elapsed = started.elapsed();
        assert_eq!(read.map(|c| c.event_count()), Ok(count), "{what}");
        eprintln!(
            "{what}: {count} events, {} bytes, read and checked in {elapsed:?}",
            text.len()
        );
    }
}
