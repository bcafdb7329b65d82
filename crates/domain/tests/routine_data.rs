#![cfg(not(target_arch = "wasm32"))]
//! The Oxelösund pack must be the Oxelösund routine, row for row, as the municipality wrote it.

use stodrutin_domain::routine::{PackIssue, PackProblem};
use stodrutin_domain::testing::{known, oxelosund, OXELOSUND_PACK};
use stodrutin_domain::{Role, Routine};

/// The source document as extracted from the PDF, with hyphenation at line ends joined and white
/// space folded, so the routine's rows can be found in it verbatim.
fn source_text() -> String {
    let raw = include_str!("fixtures/oxelosund-2018-06-13-bilaga3.txt");
    let joined = raw.replace("-\n", "");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn has_all_19_rows_of_sections_3_1_1_to_3_2_4() {
    let routine = oxelosund();
    assert_eq!(routine.rows.len(), 19);
    let counts: Vec<(&str, usize)> = routine
        .sections()
        .iter()
        .map(|s| (s.number, s.rows.len()))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("3.1.1", 3),
            ("3.1.2", 1),
            ("3.1.3", 3),
            ("3.2.1", 2),
            ("3.2.2", 3),
            ("3.2.3", 2),
            ("3.2.4", 5),
        ]
    );
}

#[test]
fn every_swedish_text_and_responsible_party_is_verbatim_from_the_source() {
    let source = source_text();
    for row in &oxelosund().rows {
        assert!(
            source.contains(&row.text.sv),
            "row {} text not in source: {}",
            row.id.0,
            row.text.sv
        );
        assert!(
            source.contains(&row.responsible_text.sv),
            "row {} responsible not in source: {}",
            row.id.0,
            row.responsible_text.sv
        );
        for item in &row.list {
            assert!(source.contains(item.sv.as_str()), "list item {}", item.sv);
            assert!(
                !item.en.trim().is_empty(),
                "list item {} lacks English",
                item.sv
            );
        }
        assert!(
            !row.text.en.trim().is_empty(),
            "row {} lacks English",
            row.id.0
        );
        assert!(!row.responsible_text.en.trim().is_empty());
    }
}

#[test]
fn keeps_the_sources_own_wording() {
    let routine = oxelosund();
    let text = |id: &str| {
        routine
            .rows
            .iter()
            .find(|r| r.id.0 == id)
            .unwrap()
            .text
            .sv
            .clone()
    };
    assert!(text("3.2.4-a").ends_with("har hålls"));
    assert!(text("3.2.4-c").contains("har bedöms"));
    assert_eq!(
        text("3.1.1-a"),
        "Den som har blivit utsatt för hot, våld etc informerar partiets säkerhetsansvarig."
    );
}

#[test]
fn responsible_parties_are_exact_and_typed() {
    let routine = oxelosund();
    let expected: [(&str, &str, &[Role]); 19] = [
        (
            "3.1.1-a",
            "Den utsatte. Själv eller genom eget valt ombud, t ex initialt stöd",
            &[Role::Affected, Role::InitialSupport],
        ),
        ("3.1.1-b", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.1.1-c", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.1.2-a", "Kommunens säkerhetsstrateg", &[Role::SecurityStrategist]),
        ("3.1.3-a", "Kommunchefen", &[Role::MunicipalChief]),
        ("3.1.3-b", "Kommunchefen", &[Role::MunicipalChief]),
        ("3.1.3-c", "Kommunchefen", &[Role::MunicipalChief]),
        ("3.2.1-a", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.1-b", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.2-a", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.2-b", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.2-c", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        (
            "3.2.3-a",
            "Partiets säkerhetsansvarig och kommunens säkerhetsstrateg i samråd",
            &[Role::PartySecurityOfficer, Role::SecurityStrategist],
        ),
        ("3.2.3-b", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.4-a", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.4-b", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        ("3.2.4-c", "Partiets säkerhetsansvarig", &[Role::PartySecurityOfficer]),
        (
            "3.2.4-d",
            "Den utsatte i samråd med partiets säkerhetsansvarig och/eller kommunens säkerhetsstrateg",
            &[Role::Affected, Role::PartySecurityOfficer, Role::SecurityStrategist],
        ),
        ("3.2.4-e", "Kommunens säkerhetsstrateg", &[Role::SecurityStrategist]),
    ];
    for ((id, responsible, roles), row) in expected.iter().zip(&routine.rows) {
        assert_eq!(row.id.0, *id);
        assert_eq!(row.responsible_text.sv, *responsible, "row {id}");
        // The pack's role ids are the actor kinds' own keys, and map to those kinds.
        let ids: Vec<&str> = roles.iter().map(|role| role.key()).collect();
        assert_eq!(row.responsible, ids, "row {id}");
        assert_eq!(routine.actors_of(row), *roles, "row {id}");
    }
}

#[test]
fn routine_has_id_and_version() {
    let reference = oxelosund().reference();
    assert_eq!(reference.id, "oxelosund-bilaga3");
    assert_eq!(reference.version, 1);
    assert_eq!(reference.hash.as_deref(), Some(oxelosund().hash()));
    assert!(known(&reference).is_some());
}

#[test]
fn broken_routine_files_are_rejected() {
    let problems = |text: &str| Routine::parse(text).unwrap_err().problems;
    let problem = |path: &str, issue: PackIssue| PackProblem {
        path: path.into(),
        issue,
    };
    assert_eq!(problems("{"), vec![problem("", PackIssue::NotJson)]);
    let builtin = OXELOSUND_PACK;
    let duplicated = builtin.replace("\"3.1.1-b\"", "\"3.1.1-a\"");
    assert_eq!(
        problems(&duplicated),
        vec![problem("rows[1]", PackIssue::Duplicate("3.1.1-a".into()))]
    );
    // A row naming a role the pack does not have.
    let responsible = "\"responsible\": [\n        \"municipal_chief\"";
    assert!(builtin.contains(responsible));
    let unknown_role = builtin.replacen(responsible, "\"responsible\": [\n        \"police\"", 1);
    assert_eq!(
        problems(&unknown_role),
        vec![problem(
            "rows[4].responsible[0]",
            PackIssue::UnknownRole("police".into())
        )]
    );
    // A role mapped to a kind of actor the app does not have.
    let unknown_actor =
        builtin.replacen("\"actor\": \"municipal_chief\"", "\"actor\": \"police\"", 1);
    let found = problems(&unknown_actor);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "roles[4].actor");
    assert!(
        matches!(&found[0].issue, PackIssue::NotOneOf { given, allowed } if given == "police" && allowed.iter().any(|a| a == "municipal_chief")),
        "{:?}",
        found[0].issue
    );
}
