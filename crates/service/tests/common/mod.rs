//! What the lock tests share: the service over shared memory storage with a clock the test
//! moves, a seeded random source and tiny Argon2id parameters; the schema-2 device fixture; and
//! the check that no stored value holds a secret in any encoding.
#![allow(dead_code)]

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Duration, Utc};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use stodrutin_domain::testing::t0;
use stodrutin_service::lock::{is_plain_key, Argon2Params, LOCK_KEY};
use stodrutin_service::ports::{Clock, KeyValue, KvError, MemoryKv};
use stodrutin_service::{CaseService, SealedKv};

pub type Shared = Rc<RefCell<MemoryKv>>;
pub type App<K = Shared> = CaseService<SealedKv<K>, TestClock, ChaCha20Rng>;

/// A clock the test moves; clones share the time, as the tabs of one phone do.
#[derive(Clone)]
pub struct TestClock(Rc<Cell<DateTime<Utc>>>);

impl TestClock {
    pub fn new() -> TestClock {
        TestClock(Rc::new(Cell::new(t0())))
    }

    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.get()
    }
}

/// The smallest Argon2id cost (8 KiB, one pass): the tests check the lock's logic; the cost's
/// effect is measured in the browser.
pub fn tiny_argon2() -> Argon2Params {
    Argon2Params::new(8, 1, 1).unwrap()
}

pub fn app_over<K: KeyValue>(kv: K, clock: &TestClock, seed: u64) -> App<K> {
    CaseService::new(
        SealedKv::with_argon2(kv, tiny_argon2()),
        clock.clone(),
        ChaCha20Rng::seed_from_u64(seed),
    )
}

pub fn app(kv: &Shared, clock: &TestClock, seed: u64) -> App {
    app_over(kv.clone(), clock, seed)
}

pub const FIXTURE: &str = include_str!("../fixtures/storage/device-schema-2.json");

/// A device's local storage as the schema-2 app left it (tests/fixtures/storage/
/// device-schema-2.json): a schema-1 and a schema-2 case, an export count, an aside copy, the
/// profile, the settings with the officer's key, and the officer's own private key (generated
/// from a seeded generator for this fixture only).
pub fn fixture_storage() -> Shared {
    let entries: BTreeMap<String, String> = serde_json::from_str(FIXTURE).unwrap();
    Rc::new(RefCell::new(MemoryKv {
        entries,
        ..MemoryKv::default()
    }))
}

pub const FIXTURE_PRIVATE_KEY: &str =
    "AGE-SECRET-KEY-10PYTT4C3HJVG8XTRZ73LNJGZD82KWUGQT42Q5XGCFYUUN6XSMV4QR03S9A";

/// Texts of the fixture that must never be stored readable once it is sealed: case texts, names,
/// phone numbers, the police reference, the private key.
pub const FIXTURE_SECRETS: [&str; 10] = [
    "5000-K123456-26",
    "Robin Lindqvist",
    "0701234567",
    "Hotbrev i brevlådan på Storgatan 12",
    "Kim Andersson",
    "Ingen mediekontakt",
    "Polisen ringd",
    "0709876543",
    "0155264000",
    FIXTURE_PRIVATE_KEY,
];

/// The forms a secret could take in stored text: itself, hex in either case, and base64 (both
/// alphabets) at each of the three byte offsets it could start at inside a longer encoded
/// string — for each, only the characters that its own bytes alone decide.
pub fn encodings(secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![secret.to_owned(), hex.clone(), hex.to_uppercase()];
    for offset in 0..3 {
        let shifted = [vec![0u8; offset], bytes.to_vec()].concat();
        let first = (8 * offset).div_ceil(6);
        let end = 8 * (offset + bytes.len()) / 6;
        for encoded in [
            STANDARD_NO_PAD.encode(&shifted),
            URL_SAFE_NO_PAD.encode(&shifted),
        ] {
            forms.push(encoded[first..end].to_owned());
        }
    }
    forms
}

/// Fails if any stored value but the three plain ones holds any secret in any of its forms.
pub fn assert_no_secret_outside_plain(kv: &MemoryKv, secrets: &[&str]) {
    for secret in secrets {
        let forms = encodings(secret);
        for (key, value) in &kv.entries {
            if is_plain_key(key) {
                continue;
            }
            for form in &forms {
                assert!(
                    !value.contains(form.as_str()),
                    "{key} holds {secret:?} as {form:?}"
                );
            }
        }
    }
}

/// Fails if `text` holds any secret in any form.
pub fn assert_text_holds_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        for form in encodings(secret) {
            assert!(!text.contains(&form), "holds {secret:?} as {form:?}");
        }
    }
}

/// The lock record as JSON.
pub fn lock_record(kv: &Shared) -> serde_json::Value {
    serde_json::from_str(&kv.borrow().entries[LOCK_KEY]).unwrap()
}

/// Seals `plain` as the app stores a value under `name` with the data key `key` (for a value that
/// opens but does not read).
pub fn seal_stored_with(key: &[u8], name: &str, plain: &[u8]) -> String {
    let nonce = [7u8; 24];
    let mut sealed = nonce.to_vec();
    sealed.extend(
        XChaCha20Poly1305::new_from_slice(key)
            .unwrap()
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: format!("stodrutin/value/{name}").as_bytes(),
                },
            )
            .unwrap(),
    );
    serde_json::json!({"schema": 3, "sealed": base64::engine::general_purpose::STANDARD.encode(sealed)})
        .to_string()
}

/// Opens a stored sealed value with `key` outside the app, as docs/locked-export-format.md
/// describes the format: XChaCha20-Poly1305, nonce first, "stodrutin/value/<key name>" as
/// associated data.
pub fn open_stored_with(key: &[u8], name: &str, stored: &str) -> Option<Vec<u8>> {
    let form: serde_json::Value = serde_json::from_str(stored).ok()?;
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(form["sealed"].as_str()?)
        .ok()?;
    let (nonce, ciphertext) = sealed.split_at(24);
    XChaCha20Poly1305::new_from_slice(key)
        .ok()?
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: format!("stodrutin/value/{name}").as_bytes(),
            },
        )
        .ok()
}

/// Every value outside the three plain ones, as stored.
pub fn sealed_entries(kv: &Shared) -> BTreeMap<String, String> {
    kv.borrow()
        .entries
        .iter()
        .filter(|(key, _)| !is_plain_key(key))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A storage that fails once a number of writes have succeeded: a page closed mid-way.
#[derive(Clone)]
pub struct StopsAfter {
    pub kv: Shared,
    pub writes_left: Rc<Cell<usize>>,
}

impl KeyValue for StopsAfter {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.kv.get(key)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        match self.writes_left.get() {
            0 => Err(KvError::Other("the page was closed".into())),
            n => {
                self.writes_left.set(n - 1);
                self.kv.set(key, value)
            }
        }
    }

    fn keys(&self) -> Result<Vec<String>, KvError> {
        self.kv.keys()
    }

    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.kv.remove(key)
    }
}
