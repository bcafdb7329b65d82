#![cfg(not(target_arch = "wasm32"))]
//! The application layer over memory, a fixed clock and a seeded random source: what a tap does
//! to storage, and what an import does before and after the user confirms it.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::cell::RefCell;
use std::rc::Rc;
use stodrutin_age::{AgeError, PrivateKey};
use stodrutin_domain::testing::*;
use stodrutin_domain::{Case, Payload, Role, RowId, RowStatus};
use stodrutin_service::device::{PROFILE_KEY, SETTINGS_KEY};
use stodrutin_service::ports::{KeyValue, KvError, MemoryKv};
use stodrutin_service::store::{case_key, SaveError, ASIDE_PREFIX};
use stodrutin_service::{CaseService, ImportError, ImportStep, Profile, RecordFailure, Settings};

type Shared = Rc<RefCell<MemoryKv>>;

fn service(
    kv: Shared,
    seed: u64,
) -> CaseService<Shared, fn() -> chrono::DateTime<chrono::Utc>, ChaCha20Rng> {
    let clock: fn() -> chrono::DateTime<chrono::Utc> = at_one_hour;
    let mut service = CaseService::new(kv, clock, ChaCha20Rng::seed_from_u64(seed));
    // As the app's build ships it.
    let shipped = [(
        "oxelosund-2018-06-13.json".to_owned(),
        stodrutin_domain::testing::OXELOSUND_PACK.to_owned(),
    )];
    assert!(service.set_shipped_routines(&shipped).is_empty());
    service
}

fn at_one_hour() -> chrono::DateTime<chrono::Utc> {
    minutes(60)
}

fn support(
    service: &mut CaseService<Shared, fn() -> chrono::DateTime<chrono::Utc>, ChaCha20Rng>,
) -> Profile {
    let mut profile = service.load_profile().unwrap().value;
    profile.role = Some(Role::InitialSupport);
    profile
}

fn done(row: &str) -> Payload {
    Payload::RowDone {
        row: RowId(row.into()),
        done_at: minutes(50),
    }
}

#[test]
fn a_recorded_event_is_in_storage_before_record_returns() {
    let kv = Shared::default();
    let mut app = service(kv.clone(), 1);
    let me = support(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let recorded = app.record(&case, &me, done("3.1.1-a")).unwrap();
    let stored = kv.borrow().get(&case_key(&case.id)).unwrap().unwrap();
    let stored = stodrutin_service::store::decode(&stored).unwrap();
    assert_eq!(stored, recorded);
    assert!(matches!(
        stored.state().rows[&RowId("3.1.1-a".into())].status,
        RowStatus::Done { at, .. } if at == minutes(50)
    ));
    // The event carries the service's clock, id source and the profile's device and role.
    let last = stored.events().max_by_key(|e| e.at).unwrap();
    // The clock says minute 60 for both events; the second is kept just after the first.
    assert!(
        last.at >= minutes(60) && last.at < minutes(61),
        "{}",
        last.at
    );
    assert_eq!(last.device.0, me.device_id);
    assert_eq!(last.id.0.len(), 32);
}

#[test]
fn a_refused_write_keeps_the_event_in_memory_and_storage_unchanged() {
    let kv = Shared::default();
    let mut app = service(kv.clone(), 2);
    let me = support(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let before = kv.borrow().entries.clone();
    kv.borrow_mut().quota_bytes = Some(10);
    match app.record(&case, &me, done("3.1.1-a")) {
        Err(RecordFailure::NotSaved { case: kept, error }) => {
            assert_eq!(error, SaveError::Storage(KvError::QuotaExceeded));
            assert_eq!(
                kept.event_count(),
                case.event_count() + 1,
                "the event is kept"
            );
        }
        other => panic!("expected a refused write, got {other:?}"),
    }
    assert_eq!(kv.borrow().entries, before);
    // A refused rule changes nothing either.
    kv.borrow_mut().quota_bytes = None;
    assert!(matches!(
        app.record(&case, &me, done("9.9.9-x")),
        Err(RecordFailure::Refused(_))
    ));
    assert_eq!(kv.borrow().entries, before);
}

#[test]
fn two_services_over_one_storage_keep_both_tabs_events() {
    let kv = Shared::default();
    let mut tab_a = service(kv.clone(), 3);
    let mut tab_b = service(kv.clone(), 4);
    let me = support(&mut tab_a);
    let case = tab_a
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    tab_a.record(&case, &me, done("3.1.1-a")).unwrap();
    // Tab B still shows the case as it was opened, and records on that copy.
    let merged = tab_b.record(&case, &me, done("3.1.1-b")).unwrap();
    let state = merged.state();
    for row in ["3.1.1-a", "3.1.1-b"] {
        assert!(
            matches!(
                state.rows[&RowId(row.into())].status,
                RowStatus::Done { .. }
            ),
            "{row}"
        );
    }
    let report = tab_a.load_cases().unwrap();
    assert_eq!(report.cases, vec![merged]);
}

fn recorded_case(seed: u64) -> Case {
    let kv = Shared::default();
    let mut app = service(kv, seed);
    let me = support(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    app.record(&case, &me, done("3.1.1-a")).unwrap()
}

#[test]
fn a_plain_import_is_read_once_and_stored_by_one_write_on_commit() {
    let case = recorded_case(5);
    let file =
        stodrutin_domain::case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
    let kv = Shared::default();
    let mut officer = service(kv.clone(), 6);
    let writes = kv.borrow().writes;
    let ImportStep::Checked(checked) = officer.begin_import(file.as_bytes(), |_| None).unwrap()
    else {
        panic!("a plain file needs no passphrase");
    };
    assert_eq!(
        kv.borrow().writes,
        writes,
        "nothing is stored before the commit"
    );
    assert_eq!(checked.preview.new_here, case.event_count());
    assert!(!checked.preview.known_here);
    let stored = officer.commit_import(checked).unwrap();
    assert_eq!(stored, case);
    assert_eq!(
        kv.borrow().writes,
        writes + 2,
        "two writes: the merged case, and the pack it follows (kept once)"
    );

    // Importing it again finds nothing new and, confirmed, leaves the case as it was.
    let local = stored.clone();
    let ImportStep::Checked(again) = officer
        .begin_import(file.as_bytes(), |_| Some(local.clone()))
        .unwrap()
    else {
        panic!("plain");
    };
    assert_eq!(again.preview.new_here, 0);
    assert!(again.preview.known_here);
    assert_eq!(officer.commit_import(again).unwrap(), case);

    // Deleted here, a held copy is not stored again; imported again by choice, it is.
    officer.delete_case(&case.id).unwrap();
    assert!(matches!(
        officer.save(case.clone()),
        Err(RecordFailure::NotSaved {
            error: stodrutin_service::SaveError::Deleted,
            ..
        })
    ));
    assert!(officer.load_cases().unwrap().cases.is_empty());
    let ImportStep::Checked(back) = officer.begin_import(file.as_bytes(), |_| None).unwrap() else {
        panic!("plain");
    };
    assert_eq!(officer.commit_import(back).unwrap(), case);
    assert_eq!(officer.load_cases().unwrap().cases, vec![case]);
}

#[test]
fn an_incident_typed_ahead_of_the_clock_refuses_neither_klar_nor_the_handover() {
    // At 60 minutes the incident is typed as 63 (within the clock's tolerance); "Klar" at 60.
    let kv = Shared::default();
    let mut app = service(kv, 9);
    let me = support(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), minutes(63))
        .unwrap();
    let now_done = Payload::RowDone {
        row: RowId("3.1.1-a".into()),
        done_at: minutes(60),
    };
    let case = app.record(&case, &me, now_done).unwrap();
    // More than the tolerance before the clock still is before the incident.
    let earlier = Payload::RowDone {
        row: RowId("3.1.1-b".into()),
        done_at: minutes(54),
    };
    assert!(matches!(
        app.record(&case, &me, earlier),
        Err(RecordFailure::Refused(_))
    ));
    // The officer's phone reads the file by the same rule.
    let file =
        stodrutin_domain::case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()));
    let officer = service(Shared::default(), 10);
    let read = officer.begin_import(file.as_bytes(), |_| None);
    assert!(
        matches!(read, Ok(ImportStep::Checked(_))),
        "{:?}",
        read.err()
    );
}

#[test]
fn a_key_sealed_import_opens_with_the_stored_key_only() {
    let case = recorded_case(7);
    let kv = Shared::default();
    let mut officer = service(kv.clone(), 8);
    let key = officer.generate_key();
    let mut support_phone = service(Shared::default(), 9);
    let sealed = support_phone
        .export_file(
            &case,
            &[],
            stodrutin_service::ExportSealing::ToKey(&key.public()),
        )
        .unwrap()
        .bytes;
    assert!(matches!(
        officer.begin_import(&sealed, |_| None),
        Err(ImportError::NoKey)
    ));
    officer.save_private_key(&key).unwrap();
    let Ok(ImportStep::Checked(checked)) = officer.begin_import(&sealed, |_| None) else {
        panic!("the officer's key opens it");
    };
    assert_eq!(officer.commit_import(checked).unwrap(), case);
    let stranger = PrivateKey::generate(&mut ChaCha20Rng::seed_from_u64(10));
    let mut other = service(Shared::default(), 11);
    other.save_private_key(&stranger).unwrap();
    assert!(matches!(
        other.begin_import(&sealed, |_| None),
        Err(ImportError::Sealed(AgeError::NoMatch))
    ));
}

#[test]
fn a_passphrase_import_waits_and_a_wrong_passphrase_can_be_retried() {
    let case = recorded_case(12);
    let sealed = stodrutin_age::seal_with_passphrase_at(
        stodrutin_domain::case_file::export(&case, Some(stodrutin_domain::testing::oxelosund()))
            .as_bytes(),
        "korrekt häst batteri",
        4,
        &mut ChaCha20Rng::seed_from_u64(14),
    )
    .unwrap();
    let kv = Shared::default();
    let mut officer = service(kv.clone(), 15);
    let Ok(ImportStep::NeedsPassphrase(waiting)) =
        officer.begin_import(sealed.as_bytes(), |_| None)
    else {
        panic!("a passphrase file asks for the passphrase");
    };
    assert!(matches!(
        officer.open_import(&waiting, "fel häst", |_| None),
        Err(ImportError::Sealed(AgeError::WrongPassphrase))
    ));
    let writes = kv.borrow().writes;
    let checked = officer
        .open_import(&waiting, "korrekt häst batteri", |_| None)
        .unwrap();
    assert_eq!(kv.borrow().writes, writes);
    assert_eq!(officer.commit_import(checked).unwrap(), case);
    assert_eq!(
        kv.borrow().writes,
        writes + 2,
        "the case, and its pack once"
    );
}

#[test]
fn damaged_device_values_are_kept_aside_and_reported() {
    let kv = Shared::default();
    kv.borrow_mut()
        .set(PROFILE_KEY, "{\"device_id\":\"abc\",\"ro")
        .unwrap();
    kv.borrow_mut().set(SETTINGS_KEY, "not json").unwrap();
    let mut app = service(kv.clone(), 16);
    let profile = app.load_profile().unwrap();
    let kept = profile.unreadable.expect("the damaged profile is reported");
    assert!(kept.key.starts_with(ASIDE_PREFIX));
    assert_eq!(
        kv.borrow().get(&kept.key).unwrap().as_deref(),
        Some("{\"device_id\":\"abc\",\"ro")
    );
    assert_eq!(
        profile.value.device_id.len(),
        32,
        "a new profile replaces it"
    );
    let settings = app.load_settings().unwrap();
    assert_eq!(settings.value, Settings::default());
    let kept = settings.unreadable.expect("reported");
    assert_eq!(
        kv.borrow().get(&kept.key).unwrap().as_deref(),
        Some("not json")
    );
    // Reading again reports nothing new and keeps one copy.
    let aside: Vec<String> = kv
        .borrow()
        .keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.starts_with(ASIDE_PREFIX))
        .collect();
    assert_eq!(aside.len(), 2);
}

/// A tab following another's change reads the profile and settings only: a value it cannot read
/// (a newer version's, written in its tab) is neither kept aside nor replaced.
#[test]
fn following_another_tab_never_writes_a_device_value() {
    let kv = Shared::default();
    let newer = "{\"device_id\":\"abc\",\"role\":\"a_newer_role\"}";
    kv.borrow_mut().set(PROFILE_KEY, newer).unwrap();
    let app = service(kv.clone(), 17);
    let before = kv.borrow().entries.clone();
    assert_eq!(app.read_profile(), None);
    assert_eq!(app.read_settings(), None);
    assert_eq!(kv.borrow().entries, before, "nothing written");
    kv.borrow_mut()
        .set(SETTINGS_KEY, "{\"officer_phone\":\"0701234567\"}")
        .unwrap();
    assert_eq!(app.read_settings().unwrap().officer_phone, "0701234567");
}

/// Runs a future that memory completes at once (the item store in memory never waits).
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => value,
        std::task::Poll::Pending => panic!("memory items are written at once"),
    }
}

#[test]
fn an_event_that_refers_to_an_item_is_recorded_only_after_the_item_is_stored() {
    use stodrutin_domain::evidence::EvidenceItem;
    use stodrutin_service::evidence::{store_key, ITEM_KEY_NAME};
    use stodrutin_service::{ItemFailure, ItemStore, MemoryItems};
    let kv = Shared::default();
    let mut app = service(kv.clone(), 20);
    let me = support(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let mut items = MemoryItems {
        quota_bytes: Some(1000),
        ..MemoryItems::default()
    };
    let photo = |id: char, bytes: &[u8]| EvidenceItem {
        file_name: Some("IMG_0001.jpg".into()),
        kept_where: Some("kvar i telefonens bilder".into()),
        ..stodrutin_domain::testing::photo_item(id, bytes)
    };
    let cases_stored = |kv: &Shared| {
        let mut entries = kv.borrow().entries.clone();
        entries.remove(ITEM_KEY_NAME);
        entries
    };
    // Too large for the item store: nothing recorded, the case as it was.
    let before = cases_stored(&kv);
    let large = [7u8; 2000];
    let refused =
        ready(app.record_with_item(&mut items, &case, &me, photo('a', &large), Some(&large)));
    assert!(matches!(
        refused,
        Err(ItemFailure::ItemNotStored(KvError::QuotaExceeded))
    ));
    assert_eq!(cases_stored(&kv), before);
    assert!(ready(items.keys()).unwrap().is_empty());
    // Bytes that are not the ones the item records: refused before anything is stored.
    let wrong =
        ready(app.record_with_item(&mut items, &case, &me, photo('b', b"one"), Some(b"two")));
    assert!(matches!(wrong, Err(ItemFailure::Record(_))));
    assert!(ready(items.keys()).unwrap().is_empty());
    // Room for it: the bytes are there, sealed, before the event that names them.
    let small = [7u8; 500];
    let stored =
        ready(app.record_with_item(&mut items, &case, &me, photo('c', &small), Some(&small)))
            .unwrap();
    assert_eq!(stored.event_count(), case.event_count() + 1);
    let item = &stored.state().evidence[0].what;
    let kept = ready(items.get(&store_key(&case.id, item.id.as_str())))
        .unwrap()
        .expect("the item is stored");
    assert!(!kept.windows(64).any(|w| w == &small[..64]), "sealed");
    let key = app.item_key().unwrap();
    assert_eq!(
        key.open_checked(&case.id, item, Some(&kept))
            .unwrap()
            .as_slice(),
        &small[..]
    );
}
