#![cfg(not(target_arch = "wasm32"))]
//! Sealed case files: to the officer's key or to a passphrase, opened here and by the standard
//! `age` tool (Debian's `age` package; `make test` installs it), and every bad file refused with
//! its own error.

use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::io::Write;
use std::process::{Command, Stdio};
use stodrutin_age::{AgeError, PrivateKey, MAX_OPEN_WORK_FACTOR};
use stodrutin_domain::case_file::{self, CaseFileError};
use stodrutin_domain::testing::*;
use stodrutin_domain::Case;
use stodrutin_service::{CaseService, ImportError, ImportStep, MemoryKv};

/// A small work factor keeps the tests quick; the app's own is measured by `make bench`.
const FAST: u8 = 4;

/// A generator seeded anew for each use, so two keys made in one test differ.
fn rng() -> ChaCha20Rng {
    static NEXT_SEED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(11);
    ChaCha20Rng::seed_from_u64(NEXT_SEED.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

fn new_key() -> PrivateKey {
    PrivateKey::generate(&mut rng())
}

fn seal_to_key(plain: &str, key: &stodrutin_age::PublicKey) -> String {
    stodrutin_age::seal_to_key(plain.as_bytes(), key, &mut rng()).unwrap()
}

fn seal_with_passphrase_at(
    plain: &str,
    passphrase: &str,
    work: u8,
) -> Result<String, stodrutin_age::PassphraseError> {
    stodrutin_age::seal_with_passphrase_at(plain.as_bytes(), passphrase, work, &mut rng())
}

/// How a fresh device (holding `key`, if any) reads the bytes through the service's import.
#[derive(Debug, PartialEq)]
enum Read {
    Case(Case),
    NeedsPassphrase,
    Refused(ImportError),
}

fn read_any(bytes: &[u8], key: Option<&PrivateKey>, passphrase: Option<&str>) -> Read {
    let mut service = CaseService::new(MemoryKv::default(), minutes0, rng());
    if let Some(key) = key {
        service.save_private_key(key).unwrap();
    }
    let step = match service.begin_import(bytes, |_| None) {
        Ok(step) => step,
        Err(err) => return Read::Refused(err),
    };
    let checked = match (step, passphrase) {
        (ImportStep::Checked(checked), _) => checked,
        (ImportStep::NeedsPassphrase(_), None) => return Read::NeedsPassphrase,
        (ImportStep::CheckedMany(_), _) => panic!("a case file is one case, not a locked export"),
        (ImportStep::NeedsPassphrase(sealed), Some(phrase)) => {
            match service.open_import(&sealed, phrase, |_| None) {
                Ok(checked) => checked,
                Err(err) => return Read::Refused(err),
            }
        }
    };
    Read::Case(service.commit_import(checked).expect("memory takes it"))
}

fn minutes0() -> chrono::DateTime<chrono::Utc> {
    minutes(60)
}

fn refused_sealed(err: AgeError) -> Read {
    Read::Refused(ImportError::Sealed(err))
}

fn recorded_case() -> Case {
    let mut support = support_phone();
    let mut case = open_case(&mut support);
    support.record(&mut case, minutes(9), row_done("3.1.1-a", minutes(9)));
    support.record(
        &mut case,
        minutes(10),
        details(
            "report",
            &[
                ("decision", "report"),
                ("reference", "5000-K123456-26"),
                ("access_protection", "yes"),
            ],
        ),
    );
    case
}

/// The case file of `case`, as the app exports it.
fn exported(case: &Case) -> String {
    case_file::export(case, Some(stodrutin_domain::testing::oxelosund()))
}

#[test]
fn sealed_to_the_officers_key_only_the_officer_opens_it() {
    let case = recorded_case();
    let officer = new_key();
    let sealed = seal_to_key(&exported(&case), &officer.public());
    assert!(
        !sealed.contains("5000-K123456-26"),
        "the content is not readable"
    );
    assert_eq!(
        read_any(sealed.as_bytes(), Some(&officer), None),
        Read::Case(case)
    );
    let stranger = new_key();
    assert_eq!(
        read_any(sealed.as_bytes(), Some(&stranger), None),
        refused_sealed(AgeError::NoMatch)
    );
    assert_eq!(
        read_any(sealed.as_bytes(), None, None),
        Read::Refused(ImportError::NoKey)
    );
}

#[test]
fn sealed_to_a_passphrase_asks_for_it() {
    let case = recorded_case();
    let sealed = seal_with_passphrase_at(&exported(&case), "korrekt häst", FAST).unwrap();
    assert_eq!(
        read_any(sealed.as_bytes(), None, None),
        Read::NeedsPassphrase
    );
    assert_eq!(
        read_any(sealed.as_bytes(), None, Some("fel häst")),
        refused_sealed(AgeError::WrongPassphrase)
    );
    assert_eq!(
        read_any(sealed.as_bytes(), None, Some("korrekt häst")),
        Read::Case(case)
    );
}

#[test]
fn bad_sealed_files_get_their_own_errors() {
    let case = recorded_case();
    let officer = new_key();
    let sealed = seal_to_key(&exported(&case), &officer.public());
    let read = |text: &str| read_any(text.as_bytes(), Some(&officer), None);
    assert_eq!(
        read(&sealed[..sealed.len() * 2 / 3]),
        refused_sealed(AgeError::Truncated)
    );
    // One base64 character of the payload changed: authentication fails.
    let lines: Vec<&str> = sealed.lines().collect();
    let payload_line = lines.len() - 2;
    let mut changed = lines.clone();
    let flipped: String = changed[payload_line]
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 3 {
                if c == 'A' {
                    'B'
                } else {
                    'A'
                }
            } else {
                c
            }
        })
        .collect();
    changed[payload_line] = &flipped;
    assert_eq!(read(&changed.join("\n")), refused_sealed(AgeError::Payload));
    assert_eq!(
        read(
            "-----BEGIN AGE ENCRYPTED FILE-----\nnot base64 !!\n-----END AGE ENCRYPTED FILE-----\n"
        ),
        refused_sealed(AgeError::Armor)
    );
    // A sealed file whose content is not a case file.
    let not_a_case = seal_to_key("hej", &officer.public());
    assert_eq!(
        read(&not_a_case),
        Read::Refused(ImportError::File(CaseFileError::NotACaseFile))
    );
}

/// A temporary directory for files the `age` tool reads and writes.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stodrutin-age-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn age(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new("age")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the age tool is installed (tools/setup.sh test)");
    // Written from a thread: a long input would otherwise fill the pipes both ways and stall.
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output
}

#[test]
fn the_age_tool_decrypts_an_exported_file_with_the_officers_key() {
    let case = recorded_case();
    let officer = new_key();
    let dir = scratch("decrypt");
    let identity = dir.join("officer.key");
    std::fs::write(&identity, officer.to_identity_file("2026-11-28")).unwrap();
    let sealed = seal_to_key(&exported(&case), &officer.public());
    let out = age(&["-d", "-i", identity.to_str().unwrap()], sealed.as_bytes());
    assert!(
        out.status.success(),
        "age: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plain = String::from_utf8(out.stdout).unwrap();
    assert!(plain.contains("5000-K123456-26"));
    assert_eq!(
        case_file::read(&plain, minutes(60), stodrutin_domain::testing::known)
            .unwrap()
            .case,
        case
    );
}

#[test]
fn a_file_made_by_the_age_tool_imports() {
    let case = recorded_case();
    let officer = new_key();
    let plain = exported(&case);
    let public = officer.public();
    for armor in [true, false] {
        let mut args = vec!["-r", public.as_str()];
        if armor {
            args.push("-a");
        }
        let out = age(&args, plain.as_bytes());
        assert!(
            out.status.success(),
            "age: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            read_any(&out.stdout, Some(&officer), None),
            Read::Case(case.clone()),
            "armored: {armor}"
        );
    }
}

/// The tool reads passphrases only from a terminal; `script` gives it one.
fn age_with_passphrase(args: &str, passphrase: &str, times: usize) -> std::process::Output {
    let mut child = Command::new("script")
        .args(["-qec", &format!("age {args}"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) is installed");
    let mut stdin = child.stdin.take().unwrap();
    for _ in 0..times {
        stdin
            .write_all(format!("{passphrase}\n").as_bytes())
            .unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn passphrase_files_travel_both_ways_with_the_age_tool() {
    let case = recorded_case();
    let plain = exported(&case);
    let dir = scratch("passphrase");
    let ours = dir.join("ours.age");
    std::fs::write(
        &ours,
        seal_with_passphrase_at(&plain, "korrekt häst batteri", FAST).unwrap(),
    )
    .unwrap();
    let out = age_with_passphrase(&format!("-d {}", ours.display()), "korrekt häst batteri", 1);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("5000-K123456-26"),
        "age did not decrypt: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    let input = dir.join("plain.json");
    let theirs = dir.join("theirs.age");
    std::fs::write(&input, &plain).unwrap();
    let made = age_with_passphrase(
        &format!("-p -a -o {} {}", theirs.display(), input.display()),
        "korrekt häst batteri",
        2,
    );
    assert!(made.status.success(), "age -p failed");
    let sealed = std::fs::read(&theirs).expect("age wrote the file");
    // The tool calibrates its work factor to this machine (about 2^18 here); a faster machine
    // may pick more than a phone can take, which the app refuses by name.
    match read_any(&sealed, None, Some("korrekt häst batteri")) {
        Read::Case(read) => assert_eq!(read, case),
        other => assert_eq!(
            other,
            refused_sealed(AgeError::TooMuchWork),
            "max {MAX_OPEN_WORK_FACTOR}"
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No input panics on the whole import path, plain or sealed: arbitrary bytes, and arbitrary
    /// bytes behind an age header or armor. Every rejection is an `ImportError`.
    #[test]
    fn arbitrary_bytes_never_panic(
        prefix in 0usize..3,
        bytes in prop::collection::vec(any::<u8>(), 0..1024),
    ) {
        let key = PrivateKey::parse("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX").ok();
        let mut input = match prefix {
            0 => Vec::new(),
            1 => b"age-encryption.org/v1\n-> X25519 ".to_vec(),
            _ => b"-----BEGIN AGE ENCRYPTED FILE-----\n".to_vec(),
        };
        input.extend_from_slice(&bytes);
        let _ = read_any(&input, key.as_ref(), Some("lösenfras"));
    }

    /// A changed byte anywhere in a sealed file is caught (or, in armor white space, harmless).
    #[test]
    fn a_changed_byte_in_a_sealed_file_is_caught(position in 0usize..100_000, value in any::<u8>()) {
        let case = recorded_case();
        let officer = new_key();
        let mut sealed = seal_to_key(&exported(&case), &officer.public()).into_bytes();
        let at = position % sealed.len();
        sealed[at] = value;
        if let Read::Case(read) = read_any(&sealed, Some(&officer), None) {
            prop_assert_eq!(read, case);
        }
    }
}

/// Payloads of several 64 KiB chunks, and exactly one full chunk (the boundary where the last
/// chunk is full), travel both ways with the age tool.
#[test]
fn long_payloads_and_chunk_boundaries_match_the_age_tool() {
    use stodrutin_age::open_with_key;
    let officer = new_key();
    let dir = scratch("chunks");
    let identity = dir.join("officer.key");
    std::fs::write(&identity, officer.to_identity_file("2026-11-28")).unwrap();
    let public = officer.public();
    for len in [0, 1, 65_535, 65_536, 65_537, 200_000] {
        let text: String = (0..len)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let ours = seal_to_key(&text, &public);
        let out = age(&["-d", "-i", identity.to_str().unwrap()], ours.as_bytes());
        assert!(
            out.status.success(),
            "len {len}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.stdout,
            text.as_bytes(),
            "len {len}: the tool reads ours"
        );
        for armor in [true, false] {
            let mut args = vec!["-r", public.as_str()];
            if armor {
                args.push("-a");
            }
            let theirs = age(&args, text.as_bytes());
            assert_eq!(
                open_with_key(&theirs.stdout, &officer).as_deref(),
                Ok(text.as_bytes()),
                "len {len}, armored {armor}: we read the tool's"
            );
        }
    }
}
