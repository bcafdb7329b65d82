#![cfg(not(target_arch = "wasm32"))]
//! Storing cases: the envelope, merging with another tab's writes, and unreadable data kept aside.

use std::cell::RefCell;
use std::rc::Rc;
use stodrutin_domain::testing::*;
use stodrutin_domain::{Case, Payload, Role, RowId};
use stodrutin_service::ports::{KeyValue, KvError, MemoryKv};
use stodrutin_service::store::{
    case_key, encode, CaseRepository, ReadError, SaveError, ASIDE_PREFIX,
};

#[test]
fn a_saved_case_loads_as_it_was() {
    let mut repo = CaseRepository::new(MemoryKv::default());
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(&mut case, minutes(9), row_done("3.1.1-a", minutes(9)));
    repo.save(&case).unwrap();
    assert_eq!(repo.load(&case.id).unwrap(), Some(case.clone()));
    assert_eq!(repo.load_all().unwrap().cases, vec![case]);
}

/// A case deleted in one tab is not brought back by another tab's save of a copy it held (a file
/// being attached, a retry of events storage refused); taking it in again lifts the mark.
#[test]
fn a_deleted_case_is_not_stored_again_until_taken_in_again() {
    let shared = Rc::new(RefCell::new(MemoryKv::default()));
    let mut tab_a = CaseRepository::new(shared.clone());
    let mut tab_b = CaseRepository::new(shared);
    let (opened, copy_a, copy_b, _) = diverging_copies(&mut tab_a);
    tab_b.save(&copy_b).unwrap();
    tab_a.delete(&opened.id).unwrap();
    assert_eq!(tab_b.save(&copy_b), Err(SaveError::Deleted));
    assert_eq!(tab_a.save(&copy_a), Err(SaveError::Deleted));
    assert_eq!(tab_a.load(&opened.id).unwrap(), None);
    assert!(tab_a.load_all().unwrap().cases.is_empty());
    tab_b.undelete(&opened.id).unwrap();
    assert_eq!(tab_b.save(&copy_b).unwrap(), copy_b);
}

/// A case opened and stored, then changed in two copies independently (two tabs).
fn diverging_copies(repo: &mut CaseRepository<impl KeyValue>) -> (Case, Case, Case, Recorder) {
    let mut tab_a = Recorder::new("tab-a", Role::InitialSupport);
    let mut tab_b = Recorder::new("tab-b", Role::InitialSupport);
    let opened = open_case(&mut tab_a);
    repo.save(&opened).unwrap();
    let mut copy_a = opened.clone();
    let mut copy_b = opened.clone();
    tab_a.record(&mut copy_a, minutes(9), row_done("3.1.1-a", minutes(9)));
    tab_b.record(&mut copy_b, minutes(9), row_done("3.2.1-a", minutes(9)));
    (opened, copy_a, copy_b, tab_a)
}

#[test]
fn two_tabs_appending_to_one_case_both_survive() {
    let shared = Rc::new(RefCell::new(MemoryKv::default()));
    let mut tab_a = CaseRepository::new(shared.clone());
    let mut tab_b = CaseRepository::new(shared);
    let (opened, copy_a, copy_b, _) = diverging_copies(&mut tab_a);
    tab_a.save(&copy_a).unwrap();
    let merged = tab_b.save(&copy_b).unwrap();
    assert_eq!(merged.event_count(), 3);
    assert_eq!(tab_a.load(&opened.id).unwrap().unwrap(), merged);
    // Tab A's next save, from its own older copy, keeps tab B's event too.
    assert_eq!(tab_a.save(&copy_a).unwrap().event_count(), 3);
}

/// A repository that remembers its own writes must still merge what it did not write, and must
/// not skip the merge for a copy that lacks events it wrote.
#[test]
fn one_repository_saving_two_diverging_copies_keeps_both() {
    let mut repo = CaseRepository::new(MemoryKv::default());
    let (opened, copy_a, copy_b, mut tab_a) = diverging_copies(&mut repo);
    repo.save(&copy_a).unwrap();
    assert_eq!(repo.save(&copy_b).unwrap().event_count(), 3);
    // And the skip is taken when it is safe: the stored copy is this repository's own write.
    let merged = repo.load(&opened.id).unwrap().unwrap();
    let mut next = merged.clone();
    tab_a.record(&mut next, minutes(10), row_done("3.2.2-a", minutes(9)));
    assert_eq!(repo.save(&next).unwrap().event_count(), 4);
    assert_eq!(repo.load(&opened.id).unwrap().unwrap().event_count(), 4);
}

#[test]
fn a_full_storage_refuses_the_write_and_keeps_what_was_stored() {
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    let mut repo = CaseRepository::new(MemoryKv::default());
    repo.save(&case).unwrap();
    let stored_before = repo.kv.entries.clone();
    let used: usize = stored_before.iter().map(|(k, v)| k.len() + v.len()).sum();
    repo.kv.quota_bytes = Some(used + 10);

    support.record(&mut case, minutes(9), row_done("3.1.1-a", minutes(9)));
    assert_eq!(
        repo.save(&case),
        Err(SaveError::Storage(KvError::QuotaExceeded))
    );
    assert_eq!(repo.kv.entries, stored_before);
}

#[test]
fn unreadable_values_are_reported_and_never_deleted() {
    let mut support = support_phone();
    let case = open_case(&mut support);
    let mut kv = MemoryKv::default();
    let good = encode(&case);
    kv.set(&case_key(&case.id), &good).unwrap();
    kv.set("stodrutin.case.truncated", &good[..good.len() / 2])
        .unwrap();
    kv.set(
        "stodrutin.case.missing",
        r#"{"schema":1,"case":{"id":"x"}}"#,
    )
    .unwrap();
    kv.set("stodrutin.case.future", r#"{"schema":99,"case":{}}"#)
        .unwrap();
    kv.set("unrelated", "left alone").unwrap();
    let before = kv.entries.clone();
    let repo = CaseRepository::new(kv);

    let report = repo.load_all().unwrap();
    assert_eq!(report.cases, vec![case]);
    let mut keys: Vec<&str> = report.unreadable.iter().map(|u| u.key.as_str()).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "stodrutin.case.future",
            "stodrutin.case.missing",
            "stodrutin.case.truncated"
        ]
    );
    let future = report
        .unreadable
        .iter()
        .find(|u| u.key.ends_with("future"))
        .unwrap();
    assert_eq!(future.error, ReadError::NewerSchema(99));
    assert_eq!(repo.kv.entries, before, "reading changed nothing");
}

#[test]
fn saving_over_an_unreadable_value_keeps_it_aside_first() {
    let mut support = support_phone();
    let case = open_case(&mut support);
    let mut repo = CaseRepository::new(MemoryKv::default());
    repo.kv
        .set(&case_key(&case.id), "{\"schema\":1,\"ca")
        .unwrap();
    repo.save(&case).unwrap();
    let aside: Vec<&String> = repo
        .kv
        .entries
        .keys()
        .filter(|k| k.starts_with(ASIDE_PREFIX))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(repo.kv.entries[aside[0]], "{\"schema\":1,\"ca");
}

#[test]
fn data_from_a_newer_app_is_left_untouched() {
    let mut support = support_phone();
    let case = open_case(&mut support);
    let mut repo = CaseRepository::new(MemoryKv::default());
    let next = stodrutin_service::store::SCHEMA + 1;
    let newer = format!(r#"{{"schema":{next},"case":{{"id":"case1","events":[],"extra":true}}}}"#);
    repo.kv.set(&case_key(&case.id), &newer).unwrap();
    assert_eq!(repo.save(&case), Err(SaveError::NewerSchema(next)));
    assert_eq!(repo.kv.entries[&case_key(&case.id)], newer);
}

/// Every stored format the app has ever written is read by this version: one fixture per schema.
#[test]
fn every_old_schema_fixture_loads() {
    use chrono::TimeZone;
    let fixture = include_str!("fixtures/storage/schema-1.json");
    let case = stodrutin_service::store::decode(fixture).unwrap();
    assert_eq!(case.event_count(), 6);
    let state = case.state();
    assert_eq!(
        state.incident_at,
        Some(chrono::Utc.with_ymd_and_hms(2026, 3, 1, 19, 45, 0).unwrap())
    );
    assert_eq!(
        state.row(&RowId("3.1.1-a".into())).status,
        stodrutin_domain::RowStatus::Open
    );
    assert_eq!(
        state.row(&RowId("3.1.2-a".into())).notes[0].text,
        "Polisen ringd"
    );
}

#[test]
fn delete_and_wipe_remove_only_what_was_named() {
    let mut support = support_phone();
    let case = open_case(&mut support);
    let mut repo = CaseRepository::new(MemoryKv::default());
    repo.save(&case).unwrap();
    repo.kv
        .set(
            "stodrutin.case.other",
            &encode(&case).replace("case1", "other"),
        )
        .unwrap();
    repo.kv.set("someone-else", "kept").unwrap();
    repo.delete(&case.id).unwrap();
    assert_eq!(repo.load_all().unwrap().cases.len(), 1);
    repo.wipe().unwrap();
    assert!(repo.load_all().unwrap().cases.is_empty());
    assert_eq!(repo.kv.entries.keys().collect::<Vec<_>>(), ["someone-else"]);
}

#[path = "old_app/store.rs"]
#[allow(dead_code)]
mod old_store;

/// A case with evidence is stored as schema 3: an app of schema 2 (before evidence) meets it as
/// newer data and leaves it alone, never as damaged data to set aside and overwrite; a case
/// without evidence stays schema 2, which that app reads.
#[test]
fn a_case_with_evidence_is_newer_data_to_the_app_before_evidence() {
    let mut support = support_phone();
    let plain = open_case(&mut support);
    assert!(encode(&plain).starts_with(r#"{"schema":2,"#));
    assert_eq!(old_store::decode(&encode(&plain)).ok(), Some(plain.clone()));

    let mut with_evidence = plain.clone();
    let photo = b"\xff\xd8\xff\xe0 a photo";
    support.record(
        &mut with_evidence,
        minutes(9),
        Payload::EvidenceAdded {
            item: photo_item('a', photo),
        },
    );
    let stored = encode(&with_evidence);
    assert!(stored.starts_with(r#"{"schema":3,"#));
    assert!(matches!(
        old_store::decode(&stored),
        Err(old_store::ReadError::NewerSchema(3))
    ));
    assert_eq!(
        stodrutin_service::store::decode(&stored).ok(),
        Some(with_evidence)
    );
}
