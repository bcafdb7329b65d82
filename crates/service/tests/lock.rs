#![cfg(not(target_arch = "wasm32"))]
//! The lock over memory storage, a clock the test moves, a seeded random source and tiny Argon2id
//! parameters: what a user locking, unlocking, forgetting or mistyping would notice, and what
//! someone holding the phone's storage would (not) find in it.

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Duration;
use common::*;
use rand_chacha::rand_core::SeedableRng;
use stodrutin_age::{AgeError, AgeFile, PrivateKey};
use stodrutin_domain::testing::*;
use stodrutin_domain::{Case, Role};
use stodrutin_service::device::{PRIVATE_KEY_KEY, PROFILE_KEY, SETTINGS_KEY};
use stodrutin_service::lock::{
    check_new_lock_passphrase, check_new_pin, delay_after, next_attempt_at, LockPassphraseError,
    PinError, FAILURES_KEY, LOCK_KEY, PRE_UNLOCK_KEY,
};
use stodrutin_service::ports::{Clock, KeyValue, KvError};
use stodrutin_service::store::case_key;
use stodrutin_service::{
    lock_due, open_locked_export, LockError, LockStatus, LockedExportError, PasskeyInfo, PreUnlock,
    Profile, RecordFailure, SaveError, SecretKind, Settings, UnlockError,
};

const PIN: &str = "730459";
const POLICE_REFERENCE: &str = "5000-K123456-26";
const SUPPORT_NAME: &str = "Robin Lindqvist";
/// As typed; stored as dialled, 0701234567.
const SUPPORT_PHONE_TYPED: &str = "070-123 45 67";
const SUPPORT_PHONE: &str = "0701234567";
const USER_NAME: &str = "Kim Andersson";
const CASE_SECRETS: [&str; 4] = [POLICE_REFERENCE, SUPPORT_NAME, SUPPORT_PHONE, USER_NAME];

fn profile(app: &mut App<impl KeyValue>) -> Profile {
    let mut profile = app.load_profile().unwrap().value;
    profile.role = Some(Role::InitialSupport);
    profile.name = USER_NAME.into();
    app.save_profile(&profile).unwrap();
    profile
}

/// A case with a police reference and a support person's name and phone.
fn record_case(app: &mut App<impl KeyValue>) -> Case {
    let me = profile(app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let case = app
        .record(
            &case,
            &me,
            details(
                "report",
                &[("decision", "report"), ("reference", POLICE_REFERENCE)],
            ),
        )
        .unwrap();
    app.record(
        &case,
        &me,
        details(
            "support",
            &[
                ("chosen_name", SUPPORT_NAME),
                ("chosen_phone", SUPPORT_PHONE_TYPED),
                ("consent", "yes"),
            ],
        ),
    )
    .unwrap()
}

fn info(status: LockStatus) -> stodrutin_service::LockInfo {
    match status {
        LockStatus::Locked(info) | LockStatus::Unlocked(info) => info,
        other => panic!("no lock set up: {other:?}"),
    }
}

fn is_locked(app: &App) -> bool {
    matches!(app.lock_status().unwrap(), LockStatus::Locked(_))
}

#[test]
fn a_pin_locks_the_case_away_and_the_right_pin_brings_it_back() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 1);
    assert_eq!(app.open_storage().unwrap(), LockStatus::NotSetUp);
    // Before any set-up nothing can be stored, so nothing is stored unsealed.
    assert_eq!(app.load_profile().err(), Some(KvError::Locked));

    app.set_pin(PIN).unwrap();
    let status = info(app.lock_status().unwrap());
    assert_eq!(status.secret, Some(SecretKind::Pin));
    assert!(!status.sealing_pending);
    let case = record_case(&mut app);
    app.lock();

    assert!(is_locked(&app));
    assert_no_secret_outside_plain(&kv.borrow(), &CASE_SECRETS);
    assert_eq!(app.load_cases().err(), Some(KvError::Locked));
    assert!(matches!(
        app.record(
            &case,
            &profile_unchecked(),
            details("report", &[("decision", "no_report")])
        ),
        Err(RecordFailure::NotSaved {
            error: SaveError::Storage(KvError::Locked),
            ..
        })
    ));

    app.unlock_with_pin(PIN).unwrap();
    assert!(matches!(
        app.lock_status().unwrap(),
        LockStatus::Unlocked(_)
    ));
    assert_eq!(app.load_cases().unwrap().cases, vec![case.clone()]);

    // Another tab (a reload) over the same storage starts locked and opens with the PIN.
    let mut reloaded = app_over(kv.clone(), &clock, 2);
    assert!(matches!(
        reloaded.open_storage().unwrap(),
        LockStatus::Locked(_)
    ));
    reloaded.unlock_with_pin(PIN).unwrap();
    assert_eq!(reloaded.load_cases().unwrap().cases, vec![case]);
}

fn profile_unchecked() -> Profile {
    Profile::new("d".into())
}

#[test]
fn a_pin_is_stretched_with_the_measured_argon2id_cost() {
    // The cost chosen from the browser measurements, used once here (about 1.5 s unoptimised):
    // every other test uses the smallest cost.
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = stodrutin_service::CaseService::new(
        stodrutin_service::SealedKv::new(kv.clone()),
        clock.clone(),
        rand_chacha::ChaCha20Rng::seed_from_u64(40),
    );
    app.set_pin(PIN).unwrap();
    let secret = &lock_record(&kv)["secret"];
    assert_eq!(
        secret["argon2id"],
        serde_json::json!({"m_kib": 65536, "t": 2, "p": 1})
    );
    assert_eq!(
        STANDARD
            .decode(secret["salt"].as_str().unwrap())
            .unwrap()
            .len(),
        16
    );
    app.lock();
    app.unlock_with_pin(PIN).unwrap();
}

#[test]
fn every_stored_value_but_three_is_in_the_sealed_form() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 3);
    app.set_pin(PIN).unwrap();
    let case = record_case(&mut app);
    app.mark_exported(&case).unwrap();
    app.save_settings(&Settings {
        officer_phone: "0709876543".into(),
        ..Settings::default()
    })
    .unwrap();
    let _ = app.unlock_with_pin("111112");
    for (key, value) in kv.borrow().entries.iter() {
        if [LOCK_KEY, FAILURES_KEY, PRE_UNLOCK_KEY].contains(&key.as_str()) {
            continue;
        }
        assert!(
            value.starts_with(r#"{"schema":3,"sealed":""#),
            "{key} is not sealed: {value}"
        );
    }
    assert_no_secret_outside_plain(&kv.borrow(), &["0709876543"]);
}

#[test]
fn wrong_pins_are_counted_across_reloads_and_wait_longer_after_five() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 4);
    app.set_pin(PIN).unwrap();
    app.lock();
    for n in 1..=4 {
        assert_eq!(
            app.unlock_with_pin("000001"),
            Err(UnlockError::Wrong {
                failures: n,
                next_attempt_at: None
            })
        );
    }
    // A reload does not reset the counter.
    let mut app = app_over(kv.clone(), &clock, 5);
    assert_eq!(info(app.lock_status().unwrap()).failures, 4);
    let fifth_at = clock.now();
    assert_eq!(
        app.unlock_with_pin("000001"),
        Err(UnlockError::Wrong {
            failures: 5,
            next_attempt_at: Some(fifth_at + Duration::seconds(30))
        })
    );
    // Too early: nothing is tried, even the right PIN, and nothing counted.
    clock.advance(Duration::seconds(29));
    assert_eq!(
        app.unlock_with_pin(PIN),
        Err(UnlockError::TooEarly {
            until: fifth_at + Duration::seconds(30)
        })
    );
    let status = info(app.lock_status().unwrap());
    assert_eq!(status.failures, 5);
    assert_eq!(
        status.next_attempt_at,
        Some(fifth_at + Duration::seconds(30))
    );
    clock.advance(Duration::seconds(1));
    let sixth_at = clock.now();
    assert_eq!(
        app.unlock_with_pin("000001"),
        Err(UnlockError::Wrong {
            failures: 6,
            next_attempt_at: Some(sixth_at + Duration::seconds(60))
        })
    );
    clock.advance(Duration::seconds(60));
    app.unlock_with_pin(PIN).unwrap();
    assert_eq!(info(app.lock_status().unwrap()).failures, 0);
    // Reset, and kept in place for the next attempt to replace (see the next test).
    let stored = kv.borrow().entries[FAILURES_KEY].clone();
    assert!(stored.starts_with(r#"{"count":0}"#), "{stored}");
}

/// Cases fill the storage to its last byte while the app is open, then it locks. Every unlock
/// attempt first raises the stored counter: that write must still fit, or the user could never
/// reach their cases again (nor the events the storage had refused, kept only in memory).
#[test]
fn a_full_storage_does_not_keep_the_user_out() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 30);
    app.set_pin(PIN).unwrap();
    let case = record_case(&mut app);
    let full: usize = kv
        .borrow()
        .entries
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    kv.borrow_mut().quota_bytes = Some(full);
    app.lock();
    for n in 1..=12 {
        let attempt = app.unlock_with_pin("000001");
        assert!(
            matches!(attempt, Err(UnlockError::Wrong { failures, .. }) if failures == n),
            "attempt {n}: {attempt:?}"
        );
        clock.advance(Duration::minutes(20));
    }
    app.unlock_with_pin(PIN).unwrap();
    assert_eq!(app.load_cases().unwrap().cases, vec![case]);
    // And again after the success reset the counter.
    app.lock();
    assert!(matches!(
        app.unlock_with_pin("000001"),
        Err(UnlockError::Wrong { failures: 1, .. })
    ));
    app.unlock_with_pin(PIN).unwrap();
}

#[test]
fn the_counter_is_raised_before_the_key_is_derived() {
    // A storage that refuses the counter's write: the attempt is not made at all, so closing
    // the page during a derivation can never leave an attempt uncounted.
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 6);
    app.set_pin(PIN).unwrap();
    app.lock();
    let stops = StopsAfter {
        kv: kv.clone(),
        writes_left: std::rc::Rc::new(std::cell::Cell::new(0)),
    };
    let mut refusing = app_over(stops, &clock, 7);
    assert!(matches!(
        refusing.unlock_with_pin(PIN),
        Err(UnlockError::Lock(LockError::Storage(_)))
    ));
    assert!(matches!(
        refusing.lock_status().unwrap(),
        LockStatus::Locked(_)
    ));
}

#[test]
fn ten_failures_wipe_everything_only_when_the_wipe_is_on() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 8);
    app.set_pin(PIN).unwrap();
    record_case(&mut app);
    app.lock();
    for n in 1..=10 {
        clock.advance(Duration::minutes(15));
        assert!(matches!(
            app.unlock_with_pin("000001"),
            Err(UnlockError::Wrong { failures, .. }) if failures == n
        ));
    }
    // Off (the default): ten failures only wait, at most 15 minutes.
    assert_eq!(delay_after(10), Duration::minutes(15));
    clock.advance(Duration::minutes(15));
    app.unlock_with_pin(PIN).unwrap();
    assert_eq!(app.load_cases().unwrap().cases.len(), 1);

    app.set_wipe_after_failures(true).unwrap();
    app.lock();
    assert!(info(app.lock_status().unwrap()).wipe_after_failures);
    for _ in 1..=9 {
        clock.advance(Duration::minutes(15));
        assert!(matches!(
            app.unlock_with_pin("000001"),
            Err(UnlockError::Wrong { .. })
        ));
    }
    clock.advance(Duration::minutes(15));
    assert_eq!(app.unlock_with_pin("000001"), Err(UnlockError::Wiped));
    assert!(kv.borrow().entries.is_empty());
    assert_eq!(app.lock_status().unwrap(), LockStatus::NotSetUp);
}

#[test]
fn a_page_closed_during_the_tenth_attempt_still_wipes_at_the_next() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 9);
    app.set_pin(PIN).unwrap();
    app.set_wipe_after_failures(true).unwrap();
    record_case(&mut app);
    app.lock();
    // What storage holds when the tenth attempt's counter was stored and the page then closed.
    let counter = format!(r#"{{"count":10,"last":"{}"}}"#, clock.now().to_rfc3339());
    kv.borrow_mut().set(FAILURES_KEY, &counter).unwrap();
    clock.advance(Duration::hours(1));
    assert_eq!(app.unlock_with_pin(PIN), Err(UnlockError::Wiped));
    assert!(kv.borrow().entries.is_empty());
}

#[test]
fn a_damaged_or_newer_lock_record_is_refused_and_nothing_is_written_over_it() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 10);
    app.set_pin(PIN).unwrap();
    record_case(&mut app);
    app.lock();
    let record = kv.borrow().entries[LOCK_KEY].clone();

    let mut newer: serde_json::Value = serde_json::from_str(&record).unwrap();
    newer["version"] = 2.into();
    newer["kdf_of_the_future"] = "balloon".into();
    for (stored, expected) in [
        (
            record.replace("\"version\":1", "\"version\":1,"),
            LockError::DamagedRecord,
        ),
        (
            record[..record.len() / 2].to_owned(),
            LockError::DamagedRecord,
        ),
        (newer.to_string(), LockError::NewerRecord(2)),
    ] {
        kv.borrow_mut().set(LOCK_KEY, &stored).unwrap();
        let before = kv.borrow().entries.clone();
        let mut app = app_over(kv.clone(), &clock, 11);
        assert_eq!(app.open_storage(), Err(expected.clone()));
        assert_eq!(app.lock_status(), Err(expected.clone()));
        assert_eq!(
            app.unlock_with_pin(PIN),
            Err(UnlockError::Lock(expected.clone()))
        );
        assert_eq!(app.set_up_later(), Err(expected.clone()));
        assert_eq!(app.set_pin("975318"), Err(expected.clone()));
        assert_eq!(app.turn_off(), Err(expected.clone()));
        assert_eq!(app.locked_export(&[]), Err(expected.clone()));
        assert_eq!(kv.borrow().entries, before, "{stored}");
    }
}

#[test]
fn under_a_damaged_lock_record_everything_stored_can_be_saved_as_it_is_and_then_wiped() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 12);
    app.set_pin(PIN).unwrap();
    record_case(&mut app);
    app.lock();
    let record = kv.borrow().entries[LOCK_KEY].clone();
    let damaged = record[..record.len() / 2].to_owned();
    kv.borrow_mut().set(LOCK_KEY, &damaged).unwrap();
    kv.borrow_mut()
        .set("another-site.value", "not ours")
        .unwrap();
    let before = kv.borrow().entries.clone();

    let mut app = app_over(kv.clone(), &clock, 13);
    assert_eq!(app.open_storage(), Err(LockError::DamagedRecord));
    let saved = app.stored_as_is().unwrap();
    let ours: Vec<(String, String)> = before
        .iter()
        .filter(|(key, _)| key.starts_with("stodrutin."))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    assert_eq!(saved, ours, "every value of the app's, exactly as stored");
    assert!(saved
        .iter()
        .any(|(key, value)| key == LOCK_KEY && *value == damaged));
    let text = serde_json::to_string(&saved).unwrap();
    for secret in CASE_SECRETS {
        assert!(
            !text.contains(secret),
            "{secret} is sealed in what is saved"
        );
    }
    assert_eq!(kv.borrow().entries, before, "saving changed nothing");

    app.wipe_all().unwrap();
    let left: Vec<String> = kv.borrow().entries.keys().cloned().collect();
    assert_eq!(
        left,
        ["another-site.value"],
        "only another site's value is left"
    );
    assert_eq!(app.open_storage(), Ok(LockStatus::NotSetUp));
}

#[test]
fn a_record_whose_key_check_is_not_its_keys_is_a_wrong_data_key() {
    let clock = TestClock::new();
    let (kv, other) = (Shared::default(), Shared::default());
    let mut app = app(&kv, &clock, 12);
    app.set_pin(PIN).unwrap();
    record_case(&mut app);
    app.lock();
    app_over(other.clone(), &clock, 13).set_pin(PIN).unwrap();
    let mut record = lock_record(&kv);
    record["key_check"] = lock_record(&other)["key_check"].clone();
    kv.borrow_mut().set(LOCK_KEY, &record.to_string()).unwrap();
    let before = sealed_entries(&kv);

    assert_eq!(
        app.unlock_with_pin(PIN),
        Err(UnlockError::Lock(LockError::WrongDataKey))
    );
    assert!(is_locked(&app));
    assert_eq!(sealed_entries(&kv), before);
    assert_eq!(lock_record(&kv), record);
}

#[test]
fn a_tab_holding_an_old_data_key_neither_reads_nor_writes() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut first = app(&kv, &clock, 14);
    first.set_up_later().unwrap();
    let case = record_case(&mut first);
    let mut second = app_over(kv.clone(), &clock, 15);
    assert!(matches!(
        second.open_storage().unwrap(),
        LockStatus::Unprotected { .. }
    ));
    second.set_pin(PIN).unwrap();
    let after_re_keying = kv.borrow().entries.clone();

    assert_eq!(first.load_cases().err(), Some(KvError::WrongKey));
    let me = profile_unchecked();
    assert!(matches!(
        first.record(&case, &me, details("report", &[("decision", "no_report")])),
        Err(RecordFailure::NotSaved {
            error: SaveError::Storage(KvError::WrongKey),
            ..
        })
    ));
    assert_eq!(first.save_profile(&me), Err(KvError::WrongKey));
    assert!(is_locked(&first));
    assert_eq!(kv.borrow().entries, after_re_keying);
    first.unlock_with_pin(PIN).unwrap();
    assert_eq!(first.load_cases().unwrap().cases, vec![case]);
}

/// Two tabs of the officer's device: the key the first made (and support persons seal to) is
/// never replaced by one the second makes; a restored key keeps the one it replaces aside; a
/// damaged stored key is kept aside before anything can replace it.
#[test]
fn the_officers_key_is_never_replaced_without_a_copy() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut first = app(&kv, &clock, 40);
    let officer = with_officer_recovery(&mut first);
    first.set_pin(PIN).unwrap();
    let mut second = app(&kv, &clock, 41);
    second.unlock_with_pin(PIN).unwrap();
    let made = first.generate_key();
    first.store_new_key(&made).unwrap();
    let other = second.generate_key();
    assert_eq!(
        second.store_new_key(&other),
        Err(stodrutin_service::NewKeyError::KeyStored)
    );
    let stored = |app: &mut App| app.load_private_key().unwrap().value.map(|k| k.public());
    assert_eq!(stored(&mut first), Some(made.public()));

    // Restoring a backup of another key: the key it replaces is kept aside, readable.
    second.save_private_key(&other).unwrap();
    assert_eq!(stored(&mut first), Some(other.public()));
    let asides: Vec<String> = kv
        .borrow()
        .entries
        .keys()
        .filter(|k| k.starts_with("stodrutin.aside.private-key"))
        .cloned()
        .collect();
    assert_eq!(asides.len(), 1);
    let data_key = data_key_by_recovery(&kv, &officer);
    let kept = open_stored_with(&data_key, &asides[0], &kv.borrow().entries[&asides[0]]).unwrap();
    assert_eq!(
        PrivateKey::parse(std::str::from_utf8(&kept).unwrap())
            .unwrap()
            .public(),
        made.public(),
        "the replaced key is kept"
    );

    // A damaged stored key: kept aside at load, and a new key may then be made.
    damage_sealed_value(&kv, PRIVATE_KEY_KEY);
    let loaded = first.load_private_key().unwrap();
    assert!(loaded.value.is_none());
    let reported = loaded.unreadable.expect("reported");
    assert_eq!(reported.raw, kv.borrow().entries[&reported.key]);
    let fresh = first.generate_key();
    first.store_new_key(&fresh).unwrap();
    assert_eq!(stored(&mut first), Some(fresh.public()));
}

/// The data key, opened from the lock record's recovery copy with the officer's key.
fn data_key_by_recovery(kv: &Shared, officer: &PrivateKey) -> Vec<u8> {
    let recovery = lock_record(kv)["recovery"]["sealed"]
        .as_str()
        .unwrap()
        .to_owned();
    AgeFile::parse(recovery.as_bytes())
        .unwrap()
        .open_with_key(officer)
        .unwrap()
}

/// A case value that opens but does not read (a newer app's case, written by its tab): listed as
/// stored, sealed, so that "Exportera oläsbara data" writes nothing in the clear.
#[test]
fn an_unreadable_case_is_listed_as_stored_never_as_opened() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 39);
    let officer = with_officer_recovery(&mut app);
    let case = record_case(&mut app);
    app.set_pin(PIN).unwrap();
    let data_key = data_key_by_recovery(&kv, &officer);
    let name = case_key(&case.id);
    let newer = format!("{{\"schema\":99,\"note\":\"{SUPPORT_NAME}\"}}");
    let stored = seal_stored_with(&data_key, &name, newer.as_bytes());
    kv.borrow_mut().set(&name, &stored).unwrap();

    let report = app.load_cases().unwrap();
    assert_eq!(report.unreadable.len(), 1);
    assert_eq!(report.unreadable[0].raw, stored);
    assert_text_holds_no_secret(&report.unreadable[0].raw, &[SUPPORT_NAME]);
}

#[test]
fn a_damaged_sealed_value_is_its_own_error_and_is_not_overwritten() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 16);
    app.set_pin(PIN).unwrap();
    let case = record_case(&mut app);
    let key = case_key(&case.id);
    let stored = kv.borrow().entries[&key].clone();
    // One character of the ciphertext changed, as a failing flash cell or an edit would.
    let at = stored.len() - 10;
    let flipped = if &stored[at..at + 1] == "A" { "B" } else { "A" };
    let damaged = format!("{}{flipped}{}", &stored[..at], &stored[at + 1..]);
    kv.borrow_mut().set(&key, &damaged).unwrap();

    // Listed as unreadable with its stored text; the other values still read.
    let report = app.load_cases().unwrap();
    assert!(report.cases.is_empty());
    assert_eq!(report.unreadable[0].key, key);
    assert_eq!(report.unreadable[0].raw, damaged);
    let me = app.load_profile().unwrap().value;
    assert!(matches!(
        app.record(&case, &me, details("report", &[("decision", "no_report")])),
        Err(RecordFailure::NotSaved {
            error: SaveError::Storage(KvError::Damaged(k)),
            ..
        }) if k == key
    ));
    assert_eq!(kv.borrow().entries[&key], damaged);

    let profile = kv.borrow().entries[PROFILE_KEY].clone();
    kv.borrow_mut()
        .set(
            PROFILE_KEY,
            &profile.replace("\"sealed\":\"", "\"sealed\":\"AAAA"),
        )
        .unwrap();
    let damaged_profile = kv.borrow().entries[PROFILE_KEY].clone();
    // Reported, and kept aside (sealed) before anything can write a new profile over it.
    let loaded = app.load_profile().unwrap();
    let kept = loaded.unreadable.expect("the damaged profile is reported");
    assert_eq!(
        kept.raw,
        kv.borrow().entries[&kept.key],
        "as stored, sealed"
    );
    assert_ne!(kept.raw, damaged_profile, "under the name it is kept by");
    assert!(kv.borrow().entries.contains_key(&kept.key), "kept aside");
}

#[test]
fn sealed_values_swapped_between_keys_do_not_open() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 17);
    app.set_pin(PIN).unwrap();
    let first = record_case(&mut app);
    let second = record_case(&mut app);
    app.save_settings(&Settings::default()).unwrap();
    let (a, b) = (case_key(&first.id), case_key(&second.id));
    let swap = |x: &str, y: &str| {
        let mut kv = kv.borrow_mut();
        let (vx, vy) = (kv.entries[x].clone(), kv.entries[y].clone());
        kv.entries.insert(x.into(), vy);
        kv.entries.insert(y.into(), vx);
    };
    swap(&a, &b);
    let report = app.load_cases().unwrap();
    assert!(
        report.cases.is_empty(),
        "neither opens under the other's name"
    );
    assert_eq!(report.unreadable.len(), 2);
    swap(&a, &b);
    assert_eq!(app.load_cases().unwrap().cases.len(), 2);

    swap(PROFILE_KEY, SETTINGS_KEY);
    assert!(
        app.load_profile().unwrap().unreadable.is_some(),
        "refused and kept aside"
    );
    assert!(
        app.load_settings().unwrap().unreadable.is_some(),
        "refused and kept aside"
    );
}

#[test]
fn senare_then_a_pin_re_seals_everything_under_a_new_key() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 18);
    app.set_up_later().unwrap();
    assert_eq!(
        app.lock_status().unwrap(),
        LockStatus::Unprotected {
            recovery: false,
            sealing_pending: false
        }
    );
    let case = record_case(&mut app);
    // "Senare" seals too: only the key lies beside the values.
    assert_no_secret_outside_plain(&kv.borrow(), &CASE_SECRETS);
    let old_key = STANDARD
        .decode(lock_record(&kv)["unprotected"].as_str().unwrap())
        .unwrap();
    let before = sealed_entries(&kv);
    for (name, value) in &before {
        assert!(open_stored_with(&old_key, name, value).is_some(), "{name}");
    }
    // Locking in the unprotected mode locks nothing: the key lies in the record.
    app.lock();
    assert_eq!(app.load_cases().unwrap().cases, vec![case.clone()]);

    app.set_pin(PIN).unwrap();

    let record = lock_record(&kv);
    assert!(record.get("unprotected").is_none(), "{record}");
    assert!(record.get("previous_key").is_none(), "{record}");
    assert!(!kv.borrow().entries[LOCK_KEY].contains(&STANDARD.encode(&old_key)));
    let after = sealed_entries(&kv);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (name, value) in &after {
        assert_ne!(value, &before[name], "{name} was not re-sealed");
        assert!(open_stored_with(&old_key, name, value).is_none(), "{name}");
    }
    app.lock();
    app.unlock_with_pin(PIN).unwrap();
    assert_eq!(app.load_cases().unwrap().cases, vec![case]);
}

#[test]
fn a_re_keying_cut_short_resumes_at_the_next_unlock_and_loses_nothing() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 19);
    app.set_up_later().unwrap();
    let case = record_case(&mut app);
    let other = record_case(&mut app);
    let old_key = STANDARD
        .decode(lock_record(&kv)["unprotected"].as_str().unwrap())
        .unwrap();

    // The page closes after the new record and one re-sealed value are written.
    let stops = StopsAfter {
        kv: kv.clone(),
        writes_left: std::rc::Rc::new(std::cell::Cell::new(3)),
    };
    let mut closing = app_over(stops, &clock, 20);
    closing.open_storage().unwrap();
    assert!(matches!(
        closing.set_pin(PIN),
        Err(LockError::SealingIncomplete(KvError::Other(_)))
    ));
    let record = lock_record(&kv);
    assert!(record.get("unprotected").is_none(), "{record}");
    assert!(record.get("previous_key").is_some(), "{record}");
    let under_old = sealed_entries(&kv)
        .iter()
        .filter(|(name, value)| open_stored_with(&old_key, name, value).is_some())
        .count();
    assert!(under_old > 0);

    let mut reloaded = app_over(kv.clone(), &clock, 21);
    let status = info(reloaded.open_storage().unwrap());
    assert!(status.sealing_pending);
    reloaded.unlock_with_pin(PIN).unwrap();
    assert!(!info(reloaded.lock_status().unwrap()).sealing_pending);
    let mut cases = reloaded.load_cases().unwrap().cases;
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected = vec![case, other];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(cases, expected);
    assert!(lock_record(&kv).get("previous_key").is_none());
    for (name, value) in sealed_entries(&kv) {
        assert!(
            open_stored_with(&old_key, &name, &value).is_none(),
            "{name}"
        );
    }
}

#[test]
fn changing_the_pin_keeps_the_data_key_and_turning_the_lock_off_keeps_it_too() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 22);
    app.set_pin(PIN).unwrap();
    let case = record_case(&mut app);
    let values = sealed_entries(&kv);

    app.set_pin("975318").unwrap();
    assert_eq!(sealed_entries(&kv), values);
    app.lock();
    assert!(matches!(
        app.unlock_with_pin(PIN),
        Err(UnlockError::Wrong { .. })
    ));
    app.unlock_with_pin("975318").unwrap();

    app.set_passphrase("en lång mening om hösten").unwrap();
    assert_eq!(
        info(app.lock_status().unwrap()).secret,
        Some(SecretKind::Passphrase)
    );
    app.lock();
    assert_eq!(
        app.unlock_with_pin("975318"),
        Err(UnlockError::NoSuchMethod)
    );
    app.unlock_with_passphrase("en lång mening om hösten")
        .unwrap();

    app.turn_off().unwrap();
    assert!(matches!(
        app.lock_status().unwrap(),
        LockStatus::Unprotected { .. }
    ));
    assert_eq!(sealed_entries(&kv), values);
    let mut reloaded = app_over(kv.clone(), &clock, 23);
    reloaded.open_storage().unwrap();
    assert_eq!(reloaded.load_cases().unwrap().cases, vec![case]);
    assert_eq!(
        reloaded.remove_pin_or_passphrase(),
        Err(LockError::NotSetUp)
    );
}

#[test]
fn a_passkey_unlocks_with_its_prf_output_only() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 24);
    app.set_pin(PIN).unwrap();
    let case = record_case(&mut app);
    let credential = "Y3JlZGVudGlhbC0x";
    let salt = app.passkey_salt_for_new();
    assert_ne!(salt, app.passkey_salt_for_new());
    let prf = [0x5a; 32];
    assert_eq!(
        app.add_passkey("not base64url!", &salt, &prf),
        Err(LockError::BadCredentialId)
    );
    app.add_passkey(credential, &salt, &prf).unwrap();
    app.lock();
    assert_eq!(
        info(app.lock_status().unwrap()).passkeys,
        vec![PasskeyInfo {
            credential_id: credential.into(),
            prf_salt: salt
        }]
    );
    assert_eq!(
        app.unlock_with_passkey(credential, &[0x5b; 32]),
        Err(UnlockError::Wrong {
            failures: 1,
            next_attempt_at: None
        })
    );
    assert_eq!(
        app.unlock_with_passkey("b3RoZXI", &prf),
        Err(UnlockError::NoSuchMethod)
    );
    app.unlock_with_passkey(credential, &prf).unwrap();
    assert_eq!(app.load_cases().unwrap().cases, vec![case]);

    app.remove_pin_or_passphrase().unwrap();
    assert_eq!(info(app.lock_status().unwrap()).secret, None);
    assert_eq!(app.remove_passkey(credential), Err(LockError::LastMethod));
    assert_eq!(app.remove_passkey("b3RoZXI"), Err(LockError::NoSuchPasskey));
    app.lock();
    assert_eq!(app.unlock_with_pin(PIN), Err(UnlockError::NoSuchMethod));
    app.unlock_with_passkey(credential, &prf).unwrap();

    // A passkey alone can set up the lock.
    let fresh = Shared::default();
    let mut app = app_over(fresh.clone(), &clock, 25);
    let salt = app.passkey_salt_for_new();
    app.add_passkey(credential, &salt, &prf).unwrap();
    let status = info(app.lock_status().unwrap());
    assert_eq!((status.secret, status.passkeys.len()), (None, 1));
}

/// An unprotected phone that holds the officer's public key (so a recovery copy once locked);
/// the officer's private key.
fn with_officer_recovery(app: &mut App) -> PrivateKey {
    let officer = PrivateKey::generate(&mut rand_chacha::ChaCha20Rng::from_seed([9; 32]));
    app.set_up_later().unwrap();
    app.save_settings(&Settings {
        officer_key: officer.public().as_str().into(),
        ..Settings::default()
    })
    .unwrap();
    app.refresh_recovery(Some(&officer.public())).unwrap();
    officer
}

#[test]
fn the_officer_opens_the_recovery_copy_and_the_locked_export() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 26);
    let officer = with_officer_recovery(&mut app);
    let case = record_case(&mut app);
    // Re-keying seals the recovery copy anew, to the officer key in the settings.
    app.set_pin(PIN).unwrap();
    app.lock();
    assert_eq!(
        info(app.lock_status().unwrap()).recovery_to.as_deref(),
        Some(officer.public().as_str())
    );

    let data_key = data_key_by_recovery(&kv, &officer);
    let name = case_key(&case.id);
    let opened = open_stored_with(&data_key, &name, &kv.borrow().entries[&name]).unwrap();
    assert_eq!(
        stodrutin_service::store::decode(std::str::from_utf8(&opened).unwrap()).unwrap(),
        case
    );

    // The PIN is forgotten: the locked phone makes the export, the officer opens it.
    // Without evidence it is version 1's JSON, which the apps before evidence read.
    let export = app.locked_export(&[]).unwrap();
    assert!(!export.container);
    let export = String::from_utf8(export.bytes).unwrap();
    assert!(export.contains("\"version\":1"));
    assert_text_holds_no_secret(&export, &CASE_SECRETS);
    assert_eq!(
        open_locked_export(export.as_bytes(), &officer)
            .unwrap()
            .cases,
        vec![(case, Default::default())]
    );
    let stranger = PrivateKey::generate(&mut rand_chacha::ChaCha20Rng::from_seed([8; 32]));
    assert_eq!(
        open_locked_export(export.as_bytes(), &stranger),
        Err(LockedExportError::Recovery(AgeError::NoMatch))
    );
    assert_eq!(
        open_locked_export(b"{\"format\":\"x\",\"version\":1}", &officer),
        Err(LockedExportError::NotALockedExport)
    );
    let newer = export.replacen("\"version\":1", "\"version\":3", 1);
    assert_eq!(
        open_locked_export(newer.as_bytes(), &officer),
        Err(LockedExportError::NewerVersion(3))
    );

    app.unlock_with_pin(PIN).unwrap();
    app.refresh_recovery(None).unwrap();
    assert_eq!(info(app.lock_status().unwrap()).recovery_to, None);
    assert_eq!(app.locked_export(&[]), Err(LockError::NoRecovery));
}

#[test]
fn a_recovery_copy_not_renewed_still_names_the_key_it_is_sealed_to() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 27);
    let first = with_officer_recovery(&mut app);
    app.set_pin(PIN).unwrap();
    let recovery_to = |app: &App| info(app.lock_status().unwrap()).recovery_to;
    assert_eq!(recovery_to(&app).as_deref(), Some(first.public().as_str()));

    // The same key again: nothing is written.
    let writes = kv.borrow().writes;
    app.refresh_recovery(Some(&first.public())).unwrap();
    assert_eq!(kv.borrow().writes, writes);

    // A new officer key, and no room for the record: the copy stays the first key's, and
    // says so.
    let second = PrivateKey::generate(&mut rand_chacha::ChaCha20Rng::from_seed([7; 32]));
    let used: usize = kv
        .borrow()
        .entries
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    kv.borrow_mut().quota_bytes = Some(used - 1);
    let before = kv.borrow().entries.clone();
    assert_eq!(
        app.refresh_recovery(Some(&second.public())),
        Err(LockError::Storage(KvError::QuotaExceeded))
    );
    assert_eq!(kv.borrow().entries, before);
    assert_eq!(recovery_to(&app).as_deref(), Some(first.public().as_str()));

    kv.borrow_mut().quota_bytes = None;
    app.refresh_recovery(Some(&second.public())).unwrap();
    assert_eq!(recovery_to(&app).as_deref(), Some(second.public().as_str()));
    assert_eq!(data_key_by_recovery(&kv, &second).len(), 32);
}

/// Changes one byte of a sealed stored value, its base64 still whole: it no longer opens.
fn damage_sealed_value(kv: &Shared, name: &str) {
    let stored = kv.borrow().entries[name].clone();
    let at = stored.find("\"sealed\":\"").unwrap() + 30;
    let swapped = if stored.as_bytes()[at] == b'A' {
        "B"
    } else {
        "A"
    };
    let changed = format!("{}{swapped}{}", &stored[..at], &stored[at + 1..]);
    kv.borrow_mut().entries.insert(name.to_owned(), changed);
}

/// The officer's device: Oxelösund's pack shipped, no lock, the officer's private key stored.
fn officer_device(clock: &TestClock, seed: u64, officer: &PrivateKey) -> App {
    let mut app = app_over(Shared::default(), clock, seed);
    let shipped = [("oxelosund.json".to_owned(), OXELOSUND_PACK.to_owned())];
    assert!(app.set_shipped_routines(&shipped).is_empty());
    app.set_up_later().unwrap();
    app.save_private_key(officer).unwrap();
    app
}

/// One case's stored value damaged on the forgotten-PIN phone: the officer takes in the other
/// cases, and is told which one stayed out and why; with every case damaged, nothing comes in.
#[test]
fn a_damaged_case_in_a_locked_export_leaves_the_others_readable() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 36);
    let officer = with_officer_recovery(&mut app);
    let kept = record_case(&mut app);
    let damaged = record_case(&mut app);
    app.set_pin(PIN).unwrap();
    app.lock();
    // A byte of the damaged case's sealed bytes changed (its base64 still whole).
    let name = case_key(&damaged.id);
    damage_sealed_value(&kv, &name);

    let export = app.locked_export(&[]).unwrap();
    let mut officer_app = officer_device(&clock, 37, &officer);
    let Ok(stodrutin_service::ImportStep::CheckedMany(checked)) =
        officer_app.begin_import(&export.bytes, |_| None)
    else {
        panic!("the readable case comes in");
    };
    assert_eq!(checked.cases.len(), 1);
    assert_eq!(checked.cases[0].case_id(), &kept.id);
    assert_eq!(
        checked.unread,
        vec![stodrutin_service::UnreadCase {
            id: damaged.id.as_str().to_owned(),
            error: stodrutin_service::ImportError::LockedExport(LockedExportError::Damaged(name)),
        }]
    );
    let stored = officer_app
        .commit_import(checked.cases.into_iter().next().unwrap())
        .unwrap();
    assert_eq!(stored.id, kept.id);

    // Every case damaged: the file is refused, naming a damaged value.
    let name = case_key(&kept.id);
    damage_sealed_value(&kv, &name);
    let export = app.locked_export(&[]).unwrap();
    assert!(matches!(
        officer_device(&clock, 38, &officer).begin_import(&export.bytes, |_| None),
        Err(stodrutin_service::ImportError::LockedExport(
            LockedExportError::Damaged(_)
        ))
    ));
}

#[test]
fn a_locked_export_carries_the_packs_the_phone_kept() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    // The phone ships Oxelösund's pack only, and keeps the example's, carried in by a case file.
    let mut app = app(&kv, &clock, 33);
    let shipped = [("oxelosund.json".to_owned(), OXELOSUND_PACK.to_owned())];
    assert!(app.set_shipped_routines(&shipped).is_empty());
    let officer = with_officer_recovery(&mut app);
    let mut elsewhere = service_with_example(&clock);
    let me = profile(&mut elsewhere);
    let case = elsewhere.open_case(&me, example(), t0()).unwrap();
    let file = stodrutin_domain::case_file::export(&case, Some(example()));
    let Ok(stodrutin_service::ImportStep::Checked(checked)) =
        app.begin_import(file.as_bytes(), |_| None)
    else {
        panic!("the case file with its pack is read");
    };
    app.commit_import(checked).unwrap();
    app.set_pin(PIN).unwrap();
    app.lock();
    let export = app.locked_export(&[]).unwrap();
    // The pack travels sealed, as the cases do.
    let text = String::from_utf8(export.bytes.clone()).unwrap();
    assert!(!text.contains("Exempelkommun"));

    // The officer's app, too, ships Oxelösund's pack only: the case opens in the example's.
    let mut officer_app = officer_device(&clock, 34, &officer);
    let stodrutin_service::ImportArrival::Locked(locked) =
        officer_app.arrive(export.bytes).unwrap()
    else {
        panic!("a locked export");
    };
    let reading = officer_app.reading_locked(&locked).unwrap();
    let checked = officer_app.finish_import(reading, &|_| None).unwrap();
    assert_eq!(checked.cases.len(), 1);
    let stored = officer_app
        .commit_import(checked.cases.into_iter().next().unwrap())
        .unwrap();
    assert_eq!(stored.id, case.id);
    assert_eq!(stored.routine().unwrap().id, example().id);
}

/// A service of another phone that ships the example pack.
fn service_with_example(clock: &TestClock) -> App {
    let mut app = app(&Shared::default(), clock, 35);
    let shipped = [("exempel.json".to_owned(), EXAMPLE_PACK.to_owned())];
    assert!(app.set_shipped_routines(&shipped).is_empty());
    app.set_up_later().unwrap();
    app
}

#[test]
fn drafts_sealed_in_memory_open_again_after_an_unlock() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 27);
    app.set_pin(PIN).unwrap();
    let draft = format!("note: {SUPPORT_NAME}");
    let sealed = app.seal_in_memory(draft.as_bytes()).unwrap();
    assert_text_holds_no_secret(&String::from_utf8_lossy(&sealed), &[SUPPORT_NAME]);
    app.lock();
    assert_eq!(app.open_in_memory(&sealed).err(), Some(LockError::Locked));
    assert_eq!(app.seal_in_memory(b"x").err(), Some(LockError::Locked));
    app.unlock_with_pin(PIN).unwrap();
    assert_eq!(
        app.open_in_memory(&sealed).unwrap().as_slice(),
        draft.as_bytes()
    );
    let mut changed = sealed.clone();
    changed[30] ^= 1;
    assert_eq!(
        app.open_in_memory(&changed).err(),
        Some(LockError::MemoryNotOpened)
    );
}

#[test]
fn the_lock_screen_reads_its_values_while_locked() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 28);
    assert_eq!(app.pre_unlock(), PreUnlock::default());
    app.set_pin(PIN).unwrap();
    app.lock();
    let pre = PreUnlock {
        lang: stodrutin_service::Lang::En,
        officer_phone: "0709876543".into(),
        strategist_phone: "0155264000".into(),
    };
    app.save_pre_unlock(&pre).unwrap();
    assert_eq!(app_over(kv.clone(), &clock, 29).pre_unlock(), pre);
}

#[test]
fn wiping_removes_the_lock_and_the_key_with_everything_else() {
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 30);
    app.set_pin(PIN).unwrap();
    record_case(&mut app);
    app.save_pre_unlock(&PreUnlock::default()).unwrap();
    let _ = app.unlock_with_pin("000001");
    app.unlock_with_pin(PIN).unwrap();
    app.wipe_all().unwrap();
    assert!(kv.borrow().entries.is_empty());
    assert_eq!(app.lock_status().unwrap(), LockStatus::NotSetUp);
    // Nothing can be sealed under the dropped key: it would open for nobody.
    assert_eq!(app.load_profile().err(), Some(KvError::Locked));

    // The older wipe goes through the sealed storage and drops the key with the lock record.
    app.set_pin(PIN).unwrap();
    record_case(&mut app);
    app.wipe().unwrap();
    assert!(kv.borrow().entries.is_empty());
    assert_eq!(
        app.save_settings(&Settings::default()),
        Err(KvError::Locked)
    );
    assert!(kv.borrow().entries.is_empty());
}

#[test]
fn a_new_pin_is_refused_when_guessable() {
    for (pin, error) in [
        ("12345", PinError::TooShort { min: 6 }),
        ("12 34 56", PinError::NotDigits),
        ("١٢٣٤٥٦", PinError::NotDigits),
        ("777777", PinError::OneDigit),
        ("123456", PinError::Sequence),
        ("654321", PinError::Sequence),
        ("3456789", PinError::Sequence),
        ("890123", PinError::Sequence),
        ("121212", PinError::RepeatedPattern),
        ("123123", PinError::RepeatedPattern),
        ("696969", PinError::RepeatedPattern),
        ("12341234", PinError::RepeatedPattern),
        ("1231231", PinError::RepeatedPattern),
        ("112233", PinError::Common),
        ("159753", PinError::Common),
        ("147258", PinError::Common),
        ("789456", PinError::Common),
        // Birthdays: 10 March 1989 in each order people write it.
        ("100389", PinError::Date),
        ("890310", PinError::Date),
        ("10031989", PinError::Date),
        ("19890310", PinError::Date),
        // A personal identity number and a coordination number (the day plus 60).
        ("8903101234", PinError::Date),
        ("198903101234", PinError::Date),
        ("8903701234", PinError::Date),
    ] {
        assert_eq!(check_new_pin(pin), Err(error), "{pin}");
    }
    for pin in [
        PIN,
        "975318",
        "2580147",
        "493817",
        "10031789",
        "87613409",
        "8913451234",
    ] {
        assert_eq!(check_new_pin(pin), Ok(()), "{pin}");
    }
    assert_eq!(
        check_new_lock_passphrase("elva tecken"),
        Err(LockPassphraseError::TooShort { min: 12 })
    );
    for simple in [
        "000000000000",
        "123456123456",
        "123456789012",
        "abcabcabcabc",
        "åååååååååååå",
    ] {
        assert_eq!(
            check_new_lock_passphrase(simple),
            Err(LockPassphraseError::TooSimple),
            "{simple}"
        );
    }
    assert_eq!(check_new_lock_passphrase("tolv tecken!"), Ok(()));
    assert_eq!(check_new_lock_passphrase("730459184406"), Ok(()));

    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 31);
    assert_eq!(
        app.set_pin("123456"),
        Err(LockError::Pin(PinError::Sequence))
    );
    assert_eq!(
        app.set_passphrase("kort"),
        Err(LockError::Passphrase(LockPassphraseError::TooShort {
            min: 12
        }))
    );
    assert!(kv.borrow().entries.is_empty());
}

#[test]
fn idle_and_hidden_time_lock_the_app() {
    let start = t0();
    let at = |seconds: i64| start + Duration::seconds(seconds);
    let five = Duration::minutes(5);
    assert!(!lock_due(at(299), start, None, false, five));
    assert!(lock_due(at(300), start, None, false, five));
    assert!(lock_due(at(60), start, None, false, Duration::minutes(1)));
    // Hidden for a minute locks, however recent the last tap.
    assert!(!lock_due(at(100), at(40), Some(at(41)), false, five));
    assert!(lock_due(at(101), at(40), Some(at(41)), false, five));
    // Unless the app itself opened what is in front (a call): 29 minutes in it do not lock;
    // half an hour does (a picker cancelled without a word must not keep the cases open).
    assert!(!lock_due(at(280), at(0), Some(at(1)), true, five));
    assert!(!lock_due(at(29 * 60), at(0), Some(at(1)), true, five));
    assert!(lock_due(at(30 * 60 + 1), at(0), Some(at(1)), true, five));
    // Back in the app, idle time counts again (from the return, which the UI sets).
    assert!(lock_due(at(3600), at(0), None, true, five));
}

#[test]
fn waits_grow_after_five_failures_and_stop_at_fifteen_minutes() {
    let waits: Vec<i64> = (0..=12).map(|n| delay_after(n).num_seconds()).collect();
    assert_eq!(waits, [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
    assert_eq!(delay_after(u32::MAX), Duration::minutes(15));
    let now = t0();
    assert_eq!(next_attempt_at(4, Some(now), now), None);
    assert_eq!(
        next_attempt_at(7, Some(now), now + Duration::seconds(100)),
        Some(now + Duration::seconds(120))
    );
    assert_eq!(
        next_attempt_at(7, Some(now), now + Duration::seconds(120)),
        None
    );
    // A clock moved back before the last failure does not lock the user out.
    assert_eq!(next_attempt_at(9, Some(now), now - Duration::days(1)), None);
}

/// Evidence attached in the "Senare" mode is protected by the PIN set later: its bytes are sealed
/// under the item key, which the PIN's set-up re-seals with every other value; locked, neither
/// the key nor an item opens, and the item opens again after the unlock.
#[test]
fn evidence_from_the_unprotected_mode_is_protected_once_a_pin_is_set() {
    use stodrutin_domain::evidence::EvidenceItem;
    use stodrutin_service::evidence::{store_key, ITEM_KEY_NAME};
    use stodrutin_service::MemoryItems;
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 19);
    app.set_up_later().unwrap();
    let me = profile(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let photo = b"\xff\xd8\xff\xe0 the threatening letter, photographed".to_vec();
    let item = EvidenceItem {
        kept_where: Some("brevet i plastficka hos kansliet".into()),
        ..photo_item('7', &photo)
    };
    // The app's steps: prepare, push the bytes (sealed and checked), store them, then save the
    // event.
    let mut items = MemoryItems::default();
    let mut prepared = app.prepare_evidence(&case, &me, item.clone()).unwrap();
    for piece in photo.chunks(7) {
        prepared.push(piece);
    }
    let ready = prepared.ready().unwrap();
    items
        .items
        .insert(ready.store_key.clone(), ready.sealed.unwrap());
    app.save(ready.case).unwrap();
    let key_value_before = kv.borrow().entries[ITEM_KEY_NAME].clone();
    assert_no_secret_outside_plain(&kv.borrow(), &["brevet i plastficka"]);

    app.set_pin(PIN).unwrap();
    assert_ne!(
        kv.borrow().entries[ITEM_KEY_NAME],
        key_value_before,
        "the item key is sealed anew under the new data key"
    );
    app.lock();
    assert_eq!(app.item_key().err(), Some(KvError::Locked));
    app.unlock_with_pin(PIN).unwrap();
    let kept = items.items[&store_key(&case.id, &item.id)].clone();
    let opened = app
        .item_key()
        .unwrap()
        .open_checked(&case.id, &item, Some(&kept))
        .unwrap();
    assert_eq!(opened.as_slice(), photo.as_slice());
}

/// A forgotten PIN on the phone that holds the only copy of a photo: the locked export carries
/// the file as stored (sealed under the item key, whose sealed value travels with it); the
/// officer opens it, and a changed byte in it is refused by name.
#[test]
fn the_locked_export_carries_the_evidence_files_sealed() {
    use stodrutin_domain::container;
    use stodrutin_domain::evidence::EvidenceItem;
    use stodrutin_service::evidence::store_key;
    let (kv, clock) = (Shared::default(), TestClock::new());
    let mut app = app(&kv, &clock, 31);
    let officer = with_officer_recovery(&mut app);
    let me = profile(&mut app);
    let case = app
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let photo = b"\xff\xd8\xff\xe0 the only copy of the threatening letter".to_vec();
    let item = EvidenceItem {
        kept_where: Some("bara i appen".into()),
        ..photo_item('8', &photo)
    };
    let mut prepared = app.prepare_evidence(&case, &me, item.clone()).unwrap();
    prepared.push(&photo);
    let ready = prepared.ready().unwrap();
    let items = vec![(ready.store_key.clone(), ready.sealed.clone().unwrap())];
    let case = app.save(ready.case).unwrap();
    app.set_pin(PIN).unwrap();
    app.lock();

    let export = app.locked_export(&items).unwrap();
    assert!(export.container);
    assert_eq!(export.left_out, 0);
    assert!(!export.bytes.windows(20).any(|w| w == &photo[10..30]));
    assert_text_holds_no_secret(&String::from_utf8_lossy(&export.bytes), &["bara i appen"]);
    let opened = open_locked_export(&export.bytes, &officer).unwrap().cases;
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].0, case);
    assert_eq!(opened[0].1[&item.id], photo);

    // The officer's device imports it: the case and its file, ready to store.
    let mut officer_app = officer_device(&clock, 32, &officer);
    let stodrutin_service::ImportArrival::Locked(locked) =
        officer_app.arrive(export.bytes.clone()).unwrap()
    else {
        panic!("a locked export is opened with the officer's key");
    };
    // Its files are opened in steps of a bounded share, with progress, to the same cases.
    let mut reading = officer_app.reading_locked(&locked).unwrap();
    let mut shares = vec![reading.progress()];
    while !reading.step(16).unwrap() {
        shares.push(reading.progress());
    }
    assert!(shares.len() >= 2, "{} steps", shares.len());
    assert!(shares.windows(2).all(|w| w[0] <= w[1]) && shares[0] == 0.0);
    let checked = officer_app.finish_import(reading, &|_| None).unwrap().cases;
    assert_eq!(checked.len(), 1);
    assert_eq!(checked[0].evidence(), vec![(item.clone(), true)]);
    let sealed = officer_app.seal_import_items(&checked[0], &[]).unwrap();
    assert_eq!(sealed.len(), 1);
    assert_eq!(sealed[0].0, store_key(&case.id, &item.id));

    // One byte of the file changed on the way: the file is left out, named; the case comes in
    // without it (a forgotten PIN must not cost the cases for one damaged file).
    let entries = container::read_tar(&export.bytes, 10).unwrap();
    let at = export
        .bytes
        .windows(16)
        .position(|w| w == &entries[1].bytes[40..56])
        .unwrap();
    let mut changed = export.bytes.clone();
    changed[at] ^= 1;
    let name = format!("evidence/{}", store_key(&case.id, &item.id));
    let opened = open_locked_export(&changed, &officer).unwrap();
    assert_eq!(opened.cases, vec![(case.clone(), Default::default())]);
    assert_eq!(
        opened.unread,
        vec![stodrutin_service::UnreadCase {
            id: name.clone(),
            error: stodrutin_service::ImportError::LockedExport(LockedExportError::Damaged(name)),
        }]
    );
    // Without the files (an item store the phone cannot read) it is version 1 again.
    assert!(!app.locked_export(&[]).unwrap().container);

    // Within 50 MB, smallest first; files of cases not in the export are not counted.
    let big = |n: u8| {
        (
            store_key(&case.id, &format!("{n:x}").repeat(32)),
            vec![n; 20_000_000],
        )
    };
    let elsewhere = (
        format!("{}/{}", "e".repeat(32), "f".repeat(32)),
        vec![1; 10],
    );
    let export = app
        .locked_export(&[big(1), big(2), big(3), items[0].clone(), elsewhere])
        .unwrap();
    assert_eq!(export.left_out, 1);
    let entries = container::read_tar(&export.bytes, 10).unwrap();
    assert_eq!(
        entries.len(),
        1 + 3,
        "the JSON, the photo and two of the three large files"
    );
    assert!(export.bytes.len() as u64 <= stodrutin_domain::evidence::MAX_CASE_FILE_BYTES);
    assert_eq!(
        app.locked_export_cases().unwrap(),
        vec![case.id.as_str().to_owned()]
    );
}
