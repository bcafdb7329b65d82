#![cfg(not(target_arch = "wasm32"))]
//! The case as an event log: recording, the fold, corrections and the deadline.

use chrono::Duration;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::limits::MAX_TEXT_CHARS;
use stodrutin_domain::testing::*;
use stodrutin_domain::{Payload, RecordError, RowStatus};

#[test]
fn a_new_case_records_its_routine_incident_and_deadline() {
    let mut support = support_phone();
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
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(&mut case, minutes(10), row_done("3.1.1-a", minutes(8)));
    support.record(
        &mut case,
        minutes(11),
        row_not_applicable("3.2.3-b", "Ingen kontakt med media"),
    );
    support.record(
        &mut case,
        minutes(12),
        note_added("3.1.1-a", "Ringde kl 20.08"),
    );

    let state = case.state();
    assert!(
        matches!(state.row(&row("3.1.1-a")).status, RowStatus::Done { at, .. } if at == minutes(8))
    );
    assert!(
        matches!(&state.row(&row("3.2.3-b")).status, RowStatus::NotApplicable { reason, .. } if reason == "Ingen kontakt med media")
    );
    assert_eq!(state.row(&row("3.1.1-a")).notes[0].text, "Ringde kl 20.08");

    support.record(&mut case, minutes(13), row_reopened("3.1.1-a"));
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
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(&mut case, minutes(30), row_done("3.2.1-a", minutes(20)));
    // The phone's clock jumps back (a time zone or network time correction).
    support.record(&mut case, minutes(2), row_reopened("3.2.1-a"));
    assert_eq!(case.state().row(&row("3.2.1-a")).status, RowStatus::Open);
}

#[test]
fn bad_records_are_refused_and_change_nothing() {
    let routine = stodrutin_domain::testing::oxelosund();
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    let before = case.clone();
    let cases: Vec<(Payload, RecordError)> = vec![
        (row_done("9.9.9-z", minutes(9)), RecordError::UnknownRow),
        (
            row_done("3.1.1-a", t0() - Duration::hours(1)),
            RecordError::TimeBeforeIncident,
        ),
        (
            row_done("3.1.1-a", minutes(60 * 24)),
            RecordError::TimeInFuture,
        ),
        (
            row_not_applicable("3.1.1-a", "   "),
            RecordError::EmptyReason,
        ),
        (note_added("3.1.1-a", ""), RecordError::EmptyNote),
        (
            note_added("3.1.1-a", &"x".repeat(10_000)),
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
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \"'&";
    support.record(&mut case, minutes(9), note_added("3.1.2-a", hostile));
    assert_eq!(case.state().row(&row("3.1.2-a")).notes[0].text, hostile);
}

#[test]
fn incident_time_can_be_corrected() {
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(
        &mut case,
        minutes(9),
        Payload::IncidentTimeSet {
            incident_at: t0() - Duration::minutes(45),
        },
    );
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
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(&mut case, minutes(9), row_done("3.1.1-a", minutes(9)));
    let json = serde_json::to_string(&case).unwrap();
    let back: stodrutin_domain::Case = serde_json::from_str(&json).unwrap();
    assert_eq!(back, case);
    assert!(json.contains("\"type\":\"row_done\""));
    assert!(json.contains("\"at\":\"2026-03-01T20:09:00Z\""), "{json}");
}

#[test]
fn form_records_are_events_a_sheet_shows_its_latest_and_a_list_every_entry() {
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(
        &mut case,
        minutes(10),
        details("report", &[("decision", "report"), ("reference", " K1 ")]),
    );
    support.record(
        &mut case,
        minutes(11),
        details("report", &[("decision", "report"), ("reference", "K2")]),
    );
    let from = minutes(12).to_rfc3339();
    support.record(
        &mut case,
        minutes(12),
        details("company", &[("who", "Eva"), ("from_at", &from)]),
    );
    support.record(
        &mut case,
        minutes(13),
        details("company", &[("who", "Ali"), ("from_at", &from)]),
    );
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
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(
        &mut case,
        minutes(10),
        details("support", &[("support_now", "Ali")]),
    );
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
    let mut support = support_phone();
    let mut officer = officer_phone();
    let mut a = open_case(&mut support);
    support.record(
        &mut a,
        minutes(10),
        details("report", &[("decision", "undecided")]),
    );
    let mut b = a.clone();
    // The support person adds the reference; the officer, on an older copy, records the decision.
    support.record(
        &mut a,
        minutes(11),
        details("report", &[("decision", "undecided"), ("reference", "K1")]),
    );
    officer.record(
        &mut b,
        minutes(12),
        details("report", &[("decision", "report")]),
    );
    let merged = a.merge(&b).unwrap();
    let state = merged.state();
    assert_eq!(state.value("report", "reference"), Some("K1"));
    assert_eq!(state.value("report", "decision"), Some("report"));
    // Emptying a field is a change of its own.
    let mut emptied = merged.clone();
    support.record(
        &mut emptied,
        minutes(13),
        details("report", &[("decision", "report"), ("reference", "")]),
    );
    assert_eq!(emptied.state().value("report", "reference"), None);
    assert_eq!(emptied.state().value("report", "decision"), Some("report"));
}
