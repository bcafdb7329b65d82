#![cfg(not(target_arch = "wasm32"))]
//! The case as an event log: recording, the fold, corrections and the deadline.

use chrono::Duration;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::limits::MAX_TEXT_CHARS;
use stodrutin_domain::testing::*;
use stodrutin_domain::{Payload, RecordError, Role, RowId, RowStatus};

fn row(id: &str) -> RowId {
    RowId(id.into())
}

#[test]
fn a_new_case_records_its_routine_incident_and_deadline() {
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let case = open_case(&mut support);
    let state = case.state();
    assert_eq!(
        state.routine,
        Some(stodrutin_domain::testing::oxelosund().reference())
    );
    assert_eq!(state.incident_at, Some(t0()));
    assert_eq!(
        follow_up_due(
            stodrutin_domain::testing::oxelosund(),
            state.incident_at.unwrap()
        )
        .unwrap(),
        t0() + Duration::days(14)
    );
    assert_eq!(
        state.open_count(
            stodrutin_domain::testing::oxelosund()
                .rows
                .iter()
                .map(|r| &r.id)
        ),
        19
    );
}

#[test]
fn rows_are_done_not_applicable_and_reopened_by_new_events() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    case.record(
        routine,
        support.meta(minutes(10)),
        Payload::RowDone {
            row: row("3.1.1-a"),
            done_at: minutes(8),
        },
    )
    .unwrap();
    case.record(
        routine,
        support.meta(minutes(11)),
        Payload::RowNotApplicable {
            row: row("3.2.3-b"),
            reason: "Ingen kontakt med media".into(),
        },
    )
    .unwrap();
    case.record(
        routine,
        support.meta(minutes(12)),
        Payload::NoteAdded {
            row: row("3.1.1-a"),
            text: "Ringde kl 20.08".into(),
        },
    )
    .unwrap();

    let state = case.state();
    assert!(
        matches!(state.row(&row("3.1.1-a")).status, RowStatus::Done { at, .. } if at == minutes(8))
    );
    assert!(
        matches!(&state.row(&row("3.2.3-b")).status, RowStatus::NotApplicable { reason, .. } if reason == "Ingen kontakt med media")
    );
    assert_eq!(state.row(&row("3.1.1-a")).notes[0].text, "Ringde kl 20.08");

    case.record(
        routine,
        support.meta(minutes(13)),
        Payload::RowReopened {
            row: row("3.1.1-a"),
        },
    )
    .unwrap();
    let state = case.state();
    assert_eq!(state.row(&row("3.1.1-a")).status, RowStatus::Open);
    assert_eq!(
        state.row(&row("3.1.1-a")).notes.len(),
        1,
        "a note survives reopening"
    );
    assert_eq!(
        case.event_count(),
        5,
        "nothing is rewritten: every change is an event"
    );
}

#[test]
fn a_lagging_clock_still_lets_a_correction_win() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    case.record(
        routine,
        support.meta(minutes(30)),
        Payload::RowDone {
            row: row("3.2.1-a"),
            done_at: minutes(20),
        },
    )
    .unwrap();
    // The phone's clock jumps back (a time zone or network time correction).
    case.record(
        routine,
        support.meta(minutes(2)),
        Payload::RowReopened {
            row: row("3.2.1-a"),
        },
    )
    .unwrap();
    assert_eq!(case.state().row(&row("3.2.1-a")).status, RowStatus::Open);
}

#[test]
fn bad_records_are_refused_and_change_nothing() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    let before = case.clone();
    let cases: Vec<(Payload, RecordError)> = vec![
        (
            Payload::RowDone {
                row: row("9.9.9-z"),
                done_at: minutes(9),
            },
            RecordError::UnknownRow,
        ),
        (
            Payload::RowDone {
                row: row("3.1.1-a"),
                done_at: t0() - Duration::hours(1),
            },
            RecordError::TimeBeforeIncident,
        ),
        (
            Payload::RowDone {
                row: row("3.1.1-a"),
                done_at: minutes(60 * 24),
            },
            RecordError::TimeInFuture,
        ),
        (
            Payload::RowNotApplicable {
                row: row("3.1.1-a"),
                reason: "   ".into(),
            },
            RecordError::EmptyReason,
        ),
        (
            Payload::NoteAdded {
                row: row("3.1.1-a"),
                text: "".into(),
            },
            RecordError::EmptyNote,
        ),
        (
            Payload::NoteAdded {
                row: row("3.1.1-a"),
                text: "x".repeat(10_000),
            },
            RecordError::TextTooLong {
                max: MAX_TEXT_CHARS,
            },
        ),
        (
            Payload::IncidentTimeSet {
                incident_at: minutes(60 * 48),
            },
            RecordError::TimeInFuture,
        ),
        (
            Payload::CaseOpened {
                routine: routine.reference(),
                incident_at: t0(),
            },
            RecordError::AlreadyOpened,
        ),
    ];
    for (payload, expected) in cases {
        assert_eq!(
            case.record(routine, support.meta(minutes(9)), payload)
                .unwrap_err(),
            expected
        );
    }
    assert_eq!(case, before);
}

#[test]
fn hostile_text_is_kept_as_plain_data() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \"'&";
    case.record(
        routine,
        support.meta(minutes(9)),
        Payload::NoteAdded {
            row: row("3.1.2-a"),
            text: hostile.into(),
        },
    )
    .unwrap();
    assert_eq!(case.state().row(&row("3.1.2-a")).notes[0].text, hostile);
}

#[test]
fn incident_time_can_be_corrected() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    case.record(
        routine,
        support.meta(minutes(9)),
        Payload::IncidentTimeSet {
            incident_at: t0() - Duration::minutes(45),
        },
    )
    .unwrap();
    let incident = case.state().incident_at.unwrap();
    assert_eq!(incident, t0() - Duration::minutes(45));
    assert_eq!(
        case.incident_at(),
        Some(incident),
        "the shortcut agrees with the fold"
    );
    assert_eq!(case.routine(), case.state().routine);
    assert_eq!(
        follow_up_due(stodrutin_domain::testing::oxelosund(), incident),
        Some(incident + Duration::days(14))
    );
}

#[test]
fn the_stored_form_round_trips() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    case.record(
        routine,
        support.meta(minutes(9)),
        Payload::RowDone {
            row: row("3.1.1-a"),
            done_at: minutes(9),
        },
    )
    .unwrap();
    let json = serde_json::to_string(&case).unwrap();
    let back: stodrutin_domain::Case = serde_json::from_str(&json).unwrap();
    assert_eq!(back, case);
    assert!(json.contains("\"type\":\"row_done\""));
    assert!(json.contains("\"at\":\"2026-03-01T20:09:00Z\""), "{json}");
}

#[test]
fn form_records_are_events_a_sheet_shows_its_latest_and_a_list_every_entry() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    let record = |case: &mut stodrutin_domain::Case, support: &mut Recorder, m, payload| {
        case.record(routine, support.meta(minutes(m)), payload)
            .map(|_| ())
    };
    record(
        &mut case,
        &mut support,
        10,
        details("report", &[("decision", "report"), ("reference", " K1 ")]),
    )
    .unwrap();
    record(
        &mut case,
        &mut support,
        11,
        details("report", &[("decision", "report"), ("reference", "K2")]),
    )
    .unwrap();
    let from = minutes(12).to_rfc3339();
    record(
        &mut case,
        &mut support,
        12,
        details("company", &[("who", "Eva"), ("from_at", &from)]),
    )
    .unwrap();
    record(
        &mut case,
        &mut support,
        13,
        details("company", &[("who", "Ali"), ("from_at", &from)]),
    )
    .unwrap();
    let state = case.state();
    assert_eq!(state.value("report", "reference"), Some("K2"));
    assert_eq!(
        state.entries("report").len(),
        2,
        "the correction is a new event"
    );
    assert_eq!(state.entries("company").len(), 2);
    assert_eq!(state.entries("company")[0].values["who"], "Eva");
    assert_eq!(case.event_count(), 5);
}

#[test]
fn a_refused_record_changes_nothing() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut case = open_case(&mut support);
    case.record(
        routine,
        support.meta(minutes(10)),
        details("support", &[("support_now", "Ali")]),
    )
    .unwrap();
    let before = case.clone();
    let before_incident = (t0() - Duration::days(1)).to_rfc3339();
    for payload in [
        details(
            "support",
            &[("chosen_phone", "ring Robin"), ("consent", "yes")],
        ),
        details("support", &[("chosen_name", "Robin")]),
        details("support", &[("support_now", "Ali")]),
        details("incident", &[("description", &"x".repeat(10_000))]),
        details("followup", &[("talk_at", &before_incident)]),
        details("report", &[("decision", "<script>alert(1)</script>")]),
        details("nonexistent", &[("x", "y")]),
    ] {
        let result = case.record(routine, support.meta(minutes(11)), payload.clone());
        assert!(
            matches!(result, Err(RecordError::Details(_))),
            "{payload:?} was not refused"
        );
        assert_eq!(case, before);
    }
}

#[test]
fn two_phones_changing_other_fields_of_one_sheet_both_keep_their_change() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut officer = Recorder::new("phone-b", Role::PartySecurityOfficer);
    let mut a = open_case(&mut support);
    a.record(
        routine,
        support.meta(minutes(10)),
        details("report", &[("decision", "undecided")]),
    )
    .unwrap();
    let mut b = a.clone();
    // The support person adds the reference; the officer, on an older copy, records the decision.
    a.record(
        routine,
        support.meta(minutes(11)),
        details("report", &[("decision", "undecided"), ("reference", "K1")]),
    )
    .unwrap();
    b.record(
        routine,
        officer.meta(minutes(12)),
        details("report", &[("decision", "report")]),
    )
    .unwrap();
    let merged = a.merge(&b).unwrap();
    let state = merged.state();
    assert_eq!(state.value("report", "reference"), Some("K1"));
    assert_eq!(state.value("report", "decision"), Some("report"));
    // Emptying a field is a change of its own.
    let mut emptied = merged.clone();
    emptied
        .record(
            routine,
            support.meta(minutes(13)),
            details("report", &[("decision", "report"), ("reference", "")]),
        )
        .unwrap();
    assert_eq!(emptied.state().value("report", "reference"), None);
    assert_eq!(emptied.state().value("report", "decision"), Some("report"));
}
