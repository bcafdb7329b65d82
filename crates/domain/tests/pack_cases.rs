//! Cases under routine packs: a case pins its pack, a case file carries it, and an app that never
//! shipped a pack still opens the case in it — while a carried pack that clashes with a known one,
//! or fails its checks, is refused by name.

use stodrutin_domain::case_file::{self, CaseFileError, FileRoutine};
use stodrutin_domain::routine::{PackIssue, RoutineRef};
use stodrutin_domain::testing::{
    example, minutes, oxelosund, oxelosund_v2, t0, Recorder, EXAMPLE_PACK,
};
use stodrutin_domain::{Case, CaseId, Payload, Role, Routine, RowId};

fn example_case() -> Case {
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let routine = example();
    let mut case = Case::open(
        CaseId("casex".into()),
        support.meta(minutes(5)),
        routine,
        t0(),
    )
    .unwrap();
    let first_row = routine.rows[0].id.clone();
    case.record(
        routine,
        support.meta(minutes(6)),
        Payload::RowDone {
            row: first_row,
            done_at: minutes(6),
        },
    )
    .unwrap();
    case
}

/// An app that ships only Oxelösund's pack.
fn only_oxelosund(reference: &RoutineRef) -> Option<&'static Routine> {
    reference.names(oxelosund()).then(oxelosund)
}

#[test]
fn a_case_pins_its_pack_by_id_version_and_hash() {
    let case = example_case();
    let pinned = case.routine().unwrap();
    assert_eq!(pinned.id, example().id);
    assert_eq!(pinned.version, example().version);
    assert_eq!(pinned.hash.as_deref(), Some(example().hash()));
    // Oxelösund's row ids mean nothing in this pack.
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let mut copy = case.clone();
    let refused = copy.record(
        example(),
        support.meta(minutes(20)),
        Payload::RowDone {
            row: RowId("3.2.4-a".into()),
            done_at: minutes(20),
        },
    );
    assert!(refused.is_err(), "a row the pack does not have");
}

#[test]
fn a_case_file_carries_its_pack_to_an_app_that_never_shipped_it() {
    let case = example_case();
    let text = case_file::export(&case, Some(example()));
    let read = case_file::read(&text, minutes(60), only_oxelosund).unwrap();
    assert_eq!(read.case, case);
    let FileRoutine::Carried(carried) = read.routine else {
        panic!("the pack is new to this app");
    };
    assert_eq!(carried.hash(), example().hash());
    assert_eq!(carried.text(), EXAMPLE_PACK);
    // An app that ships it uses its own and has nothing new to keep.
    let read = case_file::read(&text, minutes(60), stodrutin_domain::testing::known).unwrap();
    assert!(matches!(read.routine, FileRoutine::Known(known) if known.hash() == example().hash()));
}

#[test]
fn a_carried_pack_with_a_shipped_id_and_version_but_other_bytes_is_refused() {
    // The same pack with one text changed: same id and version, another hash.
    let altered_text = EXAMPLE_PACK.replacen("Exempel", "Exampel", 1);
    let altered = Routine::parse(&altered_text).unwrap();
    assert_ne!(altered.hash(), example().hash());
    let mut support = Recorder::new("phone-a", Role::InitialSupport);
    let case = Case::open(
        CaseId("casey".into()),
        support.meta(minutes(5)),
        &altered,
        t0(),
    )
    .unwrap();
    let text = case_file::export(&case, Some(&altered));
    assert_eq!(
        case_file::read(&text, minutes(60), stodrutin_domain::testing::known).map(|r| r.case),
        Err(CaseFileError::PackConflict {
            id: example().id.clone(),
            version: example().version,
        })
    );
    // An app without that pack reads it in the carried pack.
    assert!(case_file::read(&text, minutes(60), only_oxelosund).is_ok());
}

#[test]
fn two_versions_of_one_pack_coexist() {
    let (v1, v2) = (oxelosund(), oxelosund_v2());
    assert_eq!((v1.id.as_str(), v1.version), ("oxelosund-bilaga3", 1));
    assert_eq!((v2.id.as_str(), v2.version), ("oxelosund-bilaga3", 2));
    let known = |reference: &RoutineRef| -> Option<&Routine> {
        [v1, v2].into_iter().find(|r| reference.names(r))
    };
    assert_eq!(known(&v1.reference()).unwrap().version, 1);
    assert_eq!(known(&v2.reference()).unwrap().version, 2);
    // Version 2 adds the witness list, shown with the evidence rather than in its section.
    assert!(v1.witness_form().is_none());
    let witnesses = v2.witness_form().expect("version 2 has a witness list");
    assert!(witnesses.list);
    assert!(v2
        .forms_of(&witnesses.section)
        .all(|form| form.id != witnesses.id));
    // Otherwise the same routine: the same rows in the same words (checked against the source
    // text for version 1, crates/domain/tests/routine_data.rs), roles, contacts and forms.
    assert_eq!(v1.rows, v2.rows);
    assert_eq!(v1.groups, v2.groups);
    assert_eq!(v1.roles, v2.roles);
    assert_eq!(v1.contacts, v2.contacts);
    assert_eq!(v1.checklists, v2.checklists);
    let v2_forms: Vec<_> = v2.forms.iter().filter(|f| f.id != witnesses.id).collect();
    assert_eq!(v1.forms.iter().collect::<Vec<_>>(), v2_forms);
}

#[test]
fn a_carried_pack_that_fails_its_checks_is_refused_with_its_problem() {
    let case = example_case();
    let text = case_file::export(&case, Some(example()));
    // Edit the carried pack: a row names a role the pack does not have; the digest is made again.
    let edited = stodrutin_domain::testing::edit_case_file(&text, |file| {
        let pack = file["routine_pack"].as_str().unwrap().to_owned();
        let mut value: serde_json::Value = serde_json::from_str(&pack).unwrap();
        value["rows"][0]["responsible"][0] = "nobody".into();
        file["routine_pack"] = serde_json::to_string(&value).unwrap().into();
    });
    match case_file::read(&edited, minutes(60), only_oxelosund).map(|r| r.case) {
        Err(CaseFileError::BadPack(err)) => {
            assert_eq!(err.problems[0].path, "rows[0].responsible[0]");
            assert_eq!(
                err.problems[0].issue,
                PackIssue::UnknownRole("nobody".into())
            );
        }
        other => panic!("not refused for its pack: {other:?}"),
    }
}
