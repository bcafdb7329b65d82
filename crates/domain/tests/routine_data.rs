#![cfg(not(target_arch = "wasm32"))]
//! The built-in routine must be the Oxelösund routine, row for row, as the municipality wrote it.

use stodrutin_domain::routine::RoutineError;
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
    let routine = Routine::oxelosund();
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
    for row in &Routine::oxelosund().rows {
        assert!(
            source.contains(&row.sv),
            "row {} text not in source: {}",
            row.id.0,
            row.sv
        );
        assert!(
            source.contains(&row.responsible_sv),
            "row {} responsible not in source: {}",
            row.id.0,
            row.responsible_sv
        );
        for item in &row.list_sv {
            assert!(source.contains(item.as_str()), "list item {item}");
        }
        assert!(!row.en.trim().is_empty(), "row {} lacks English", row.id.0);
        assert!(!row.responsible_en.trim().is_empty());
        assert_eq!(row.list_sv.len(), row.list_en.len());
    }
}

#[test]
fn keeps_the_sources_own_wording() {
    let routine = Routine::oxelosund();
    let text = |id: &str| {
        routine
            .rows
            .iter()
            .find(|r| r.id.0 == id)
            .unwrap()
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
    let routine = Routine::oxelosund();
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
        assert_eq!(row.responsible_sv, *responsible, "row {id}");
        assert_eq!(row.responsible, *roles, "row {id}");
    }
}

#[test]
fn routine_has_id_and_version() {
    let reference = Routine::oxelosund().reference();
    assert_eq!(reference.id, "oxelosund-bilaga3");
    assert_eq!(reference.version, 1);
    assert!(Routine::known(&reference).is_some());
}

#[test]
fn broken_routine_files_are_rejected() {
    assert!(matches!(Routine::parse("{"), Err(RoutineError::Json(_))));
    let builtin = include_str!("../../../routines/oxelosund-2018-06-13.json");
    let duplicated = builtin.replace("\"3.1.1-b\"", "\"3.1.1-a\"");
    assert_eq!(
        Routine::parse(&duplicated),
        Err(RoutineError::DuplicateRow("3.1.1-a".into()))
    );
    let unknown_role = builtin.replacen("\"municipal_chief\"", "\"police\"", 1);
    assert!(matches!(
        Routine::parse(&unknown_role),
        Err(RoutineError::Json(_))
    ));
}
