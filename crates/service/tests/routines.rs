//! The packs a device knows: a case keeps the pack it was started under (stored once, by hash)
//! even after a newer build drops it; a case file brings its own pack, kept at the commit; a
//! build's packs that clash or fail their checks are named and left out.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::cell::RefCell;
use std::rc::Rc;
use stodrutin_domain::testing::{minutes, t0, EXAMPLE_PACK, OXELOSUND_PACK, OXELOSUND_V2_PACK};
use stodrutin_domain::{Payload, Role};
use stodrutin_service::ports::MemoryKv;
use stodrutin_service::routines::ROUTINE_PREFIX;
use stodrutin_service::{CaseService, ImportStep, Profile, ShippedPackError};

type Shared = Rc<RefCell<MemoryKv>>;
type Service = CaseService<Shared, fn() -> chrono::DateTime<chrono::Utc>, ChaCha20Rng>;

fn at_one_hour() -> chrono::DateTime<chrono::Utc> {
    minutes(60)
}

fn service(kv: Shared, packs: &[(&str, &str)]) -> Service {
    let clock: fn() -> chrono::DateTime<chrono::Utc> = at_one_hour;
    let mut service = CaseService::new(kv, clock, ChaCha20Rng::seed_from_u64(1));
    let files: Vec<(String, String)> = packs
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    assert!(service.set_shipped_routines(&files).is_empty());
    service
}

fn me() -> Profile {
    let mut profile = Profile::new("phone-a".into());
    profile.role = Some(Role::InitialSupport);
    profile
}

fn kept_keys(kv: &Shared) -> Vec<String> {
    kv.borrow()
        .entries
        .keys()
        .filter(|k| k.starts_with(ROUTINE_PREFIX))
        .cloned()
        .collect()
}

#[test]
fn a_new_case_is_offered_the_newest_version_and_the_older_still_opens_its_cases() {
    let kv = Shared::default();
    let mut old_build = service(kv.clone(), &[("oxelosund.json", OXELOSUND_PACK)]);
    let v1 = old_build.shipped_routines()[0];
    let old_case = old_build.open_case(&me(), v1, t0()).unwrap();
    // Whichever order the build lists them in, the newer version is the one offered.
    for order in [
        [OXELOSUND_V2_PACK, EXAMPLE_PACK, OXELOSUND_PACK],
        [OXELOSUND_PACK, EXAMPLE_PACK, OXELOSUND_V2_PACK],
    ] {
        let files: Vec<(&str, &str)> = ["a.json", "b.json", "c.json"]
            .into_iter()
            .zip(order)
            .collect();
        let app = service(kv.clone(), &files);
        let offered: Vec<(&str, u32)> = app
            .offered_routines()
            .iter()
            .map(|r| (r.id.as_str(), r.version))
            .collect();
        let mut expected = vec![("oxelosund-bilaga3", 2), ("exempel-kommun", 2)];
        if order[0] == OXELOSUND_PACK {
            expected.reverse();
        }
        assert_eq!(offered, expected);
        assert!(app
            .offered_routines()
            .iter()
            .all(|r| r.witness_form().is_some()));
    }
    // A build that ships version 2 only: the case opened under version 1 goes on under it, from
    // the copy the phone kept.
    let mut next = service(kv, &[("oxelosund-v2.json", OXELOSUND_V2_PACK)]);
    let cases = next.load_cases().unwrap().cases;
    next.load_routines(&cases).unwrap();
    let routine = next.routine(&old_case.routine().unwrap()).expect("kept");
    assert_eq!((routine.version, routine.hash()), (1, v1.hash()));
    assert!(routine.witness_form().is_none());
}

#[test]
fn a_case_keeps_its_pack_after_a_build_drops_it() {
    let kv = Shared::default();
    let both = [
        ("oxelosund.json", OXELOSUND_PACK),
        ("exempel.json", EXAMPLE_PACK),
    ];
    let mut app = service(kv.clone(), &both);
    assert_eq!(app.shipped_routines().len(), 2);
    let example = app.shipped_routines()[1];
    let case = app.open_case(&me(), example, t0()).unwrap();
    assert_eq!(kept_keys(&kv).len(), 1, "the pack is kept once, by hash");
    // A second case under the same pack stores nothing more.
    app.open_case(&me(), example, t0()).unwrap();
    assert_eq!(kept_keys(&kv).len(), 1);

    // The next build ships only Oxelösund's pack: the case still opens in its own routine.
    let mut next = service(kv.clone(), &[("oxelosund.json", OXELOSUND_PACK)]);
    let cases = next.load_cases().unwrap().cases;
    next.load_routines(&cases).unwrap();
    let routine = next.routine(&case.routine().unwrap()).expect("kept");
    assert_eq!(routine.hash(), example.hash());
    assert!(!next.is_shipped(routine));
    let row = routine.rows[0].id.clone();
    let recorded = next.record(
        &case,
        &me(),
        Payload::RowDone {
            row,
            done_at: minutes(30),
        },
    );
    assert!(recorded.is_ok(), "recording goes on under the kept pack");
}

/// A kept pack's stored copy changed on the device: it is kept aside and the checked text stored
/// again at the next save, which goes through (before, every save under the pack failed).
#[test]
fn a_damaged_kept_pack_is_kept_aside_and_written_again() {
    let kv = Shared::default();
    let both = [
        ("oxelosund.json", OXELOSUND_PACK),
        ("exempel.json", EXAMPLE_PACK),
    ];
    let mut app = service(kv.clone(), &both);
    let example = app.shipped_routines()[1];
    let case = app.open_case(&me(), example, t0()).unwrap();
    let key = kept_keys(&kv)[0].clone();
    kv.borrow_mut().entries.insert(key.clone(), "{\"cut".into());

    let mut next = service(kv.clone(), &both);
    let cases = next.load_cases().unwrap().cases;
    next.load_routines(&cases).unwrap();
    let row = example.rows[0].id.clone();
    let done = Payload::RowDone {
        row,
        done_at: minutes(30),
    };
    assert!(next.record(&case, &me(), done).is_ok());
    assert_eq!(
        kv.borrow().entries[&key],
        EXAMPLE_PACK,
        "the checked text again"
    );
    let aside: Vec<String> = kv
        .borrow()
        .entries
        .iter()
        .filter(|(k, v)| k.starts_with("stodrutin.aside.kept-routine.") && v.as_str() == "{\"cut")
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(aside.len(), 1, "the damaged copy kept aside");
}

#[test]
fn an_imported_case_brings_its_pack_and_keeps_it_at_the_commit() {
    let sender = service(Shared::default(), &[("exempel.json", EXAMPLE_PACK)]);
    let mut sender = sender;
    let example = sender.shipped_routines()[0];
    let case = sender.open_case(&me(), example, t0()).unwrap();
    let file = sender
        .export_file(&case, &[], stodrutin_service::ExportSealing::Plain)
        .unwrap()
        .bytes;

    let kv = Shared::default();
    let mut officer = service(kv.clone(), &[("oxelosund.json", OXELOSUND_PACK)]);
    let Ok(ImportStep::Checked(checked)) = officer.begin_import(&file, |_| None) else {
        panic!("the case opens with the pack it carries");
    };
    assert_eq!(checked.routine.hash(), example.hash());
    assert!(
        kept_keys(&kv).is_empty(),
        "nothing is stored before the commit"
    );
    officer.commit_import(checked).unwrap();
    assert_eq!(kept_keys(&kv).len(), 1);
    assert!(officer.routine(&case.routine().unwrap()).is_some());
}

#[test]
fn a_wipe_removes_the_kept_packs_too() {
    let kv = Shared::default();
    let mut app = service(kv.clone(), &[("exempel.json", EXAMPLE_PACK)]);
    let example = app.shipped_routines()[0];
    app.open_case(&me(), example, t0()).unwrap();
    app.wipe().unwrap();
    assert!(kept_keys(&kv).is_empty());
    // A new case after the wipe keeps its pack again.
    app.open_case(&me(), example, t0()).unwrap();
    assert_eq!(kept_keys(&kv).len(), 1);
}

#[test]
fn a_build_with_a_broken_or_clashing_pack_names_it_and_keeps_the_others() {
    let clock: fn() -> chrono::DateTime<chrono::Utc> = at_one_hour;
    let mut app = CaseService::new(Shared::default(), clock, ChaCha20Rng::seed_from_u64(2));
    let clash = EXAMPLE_PACK.replacen("Exempel", "Exampel", 1);
    let files = vec![
        ("oxelosund.json".to_owned(), OXELOSUND_PACK.to_owned()),
        (
            "broken.json".to_owned(),
            "{\"format\":\"stodrutin-routine-pack\"".to_owned(),
        ),
        ("exempel.json".to_owned(), EXAMPLE_PACK.to_owned()),
        ("exempel-ändrad.json".to_owned(), clash),
    ];
    let errors = app.set_shipped_routines(&files);
    assert_eq!(errors.len(), 2);
    assert!(matches!(&errors[0], ShippedPackError::Invalid { file, .. } if file == "broken.json"));
    assert!(
        matches!(&errors[1], ShippedPackError::Conflict { file, .. } if file == "exempel-ändrad.json")
    );
    assert_eq!(app.shipped_routines().len(), 2);
}
