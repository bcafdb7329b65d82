#![cfg(not(target_arch = "wasm32"))]
//! Evidence from the scene to the officer: attached on one phone (bytes sealed in the item store
//! before the event), exported sealed to the officer's key as a binary age file holding a tar,
//! opened by the standard `age` and `tar` tools with every digest as recorded, imported on the
//! officer's device with the same digests; a changed item refused by name, nothing stored.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use stodrutin_age::PrivateKey;
use stodrutin_domain::case_file::CaseFileError;
use stodrutin_domain::container;
use stodrutin_domain::digest::sha256_hex;
use stodrutin_domain::evidence::{
    text_item, EvidenceItem, EvidenceKind, Witness, MAX_CASE_FILE_BYTES,
};
use stodrutin_domain::routine::Channel;
use stodrutin_domain::testing::{minutes, photo_item, t0, OXELOSUND_PACK};
use stodrutin_domain::{Case, Payload, Role};
use stodrutin_service::evidence::store_key;
use stodrutin_service::{
    CaseService, ExportError, ExportSealing, ImportArrival, ImportError, ImportStep, ItemStore,
    MemoryItems, MemoryKv, Profile,
};

type Service = CaseService<MemoryKv, fn() -> chrono::DateTime<chrono::Utc>, ChaCha20Rng>;

fn at_one_hour() -> chrono::DateTime<chrono::Utc> {
    minutes(60)
}

fn service(seed: u64) -> Service {
    let clock: fn() -> chrono::DateTime<chrono::Utc> = at_one_hour;
    let mut service =
        CaseService::new(MemoryKv::default(), clock, ChaCha20Rng::seed_from_u64(seed));
    let shipped = [("oxelosund.json".to_owned(), OXELOSUND_PACK.to_owned())];
    assert!(service.set_shipped_routines(&shipped).is_empty());
    service
}

fn profile(service: &mut Service) -> Profile {
    let mut profile = service.load_profile().unwrap().value;
    profile.role = Some(Role::InitialSupport);
    profile
}

/// Polls a future that memory items finish at once.
fn ready<T>(future: impl std::future::Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => value,
        std::task::Poll::Pending => panic!("memory items are written at once"),
    }
}

fn photo(id: char, bytes: &[u8], mime: &str, name: &str) -> EvidenceItem {
    EvidenceItem {
        kind: EvidenceKind::File,
        media_type: Some(mime.into()),
        file_name: Some(name.into()),
        file_modified: Some(minutes(3)),
        channel: Some(Channel::SocialMedia),
        platform: Some("Instagram".into()),
        sender: Some("@hotare".into()),
        kept_where: Some("kvar i telefonens bilder".into()),
        ..photo_item(id, bytes)
    }
}

fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut bytes = vec![0; len];
    ChaCha20Rng::seed_from_u64(seed).fill_bytes(&mut bytes);
    bytes
}

/// A case with two pictures, a message, a link and a witness, on a phone's service and items.
struct Scene {
    service: Service,
    items: MemoryItems,
    case: Case,
    files: Vec<(EvidenceItem, Vec<u8>)>,
}

fn scene() -> Scene {
    let mut service = service(1);
    let me = profile(&mut service);
    let mut items = MemoryItems::default();
    let mut case = service
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let jpeg = random_bytes(300_000, 2);
    let png = random_bytes(70_000, 3);
    let files = vec![
        (photo('a', &jpeg, "image/jpeg", "IMG_0001.jpg"), jpeg),
        (photo('b', &png, "image/png", "Skärmbild.png"), png),
    ];
    for (item, bytes) in &files {
        case = ready(service.record_with_item(&mut items, &case, &me, item.clone(), Some(bytes)))
            .unwrap();
    }
    let mut message = text_item(
        "c".repeat(32),
        EvidenceKind::Message,
        "Vi vet var du bor.".into(),
    );
    message.channel = Some(Channel::Sms);
    let link = text_item(
        "d".repeat(32),
        EvidenceKind::Link,
        "https://example.org/@hotare/1".into(),
    );
    for item in [message, link] {
        case = ready(service.record_with_item(&mut items, &case, &me, item, None)).unwrap();
    }
    case = service
        .record(
            &case,
            &me,
            Payload::WitnessAdded {
                witness: Witness {
                    id: "e".repeat(32),
                    name: "Kim Andersson".into(),
                    phone: Some("070-000 00 00".into()),
                    saw: Some("Såg mannen vid bilen.".into()),
                },
            },
        )
        .unwrap();
    Scene {
        service,
        items,
        case,
        files,
    }
}

/// The case's file items with their bytes as the phone holds them, opened and checked.
fn stored_files(scene: &mut Scene) -> Vec<(EvidenceItem, Vec<u8>)> {
    let key = scene.service.item_key().unwrap();
    scene
        .case
        .state()
        .evidence
        .into_iter()
        .filter(|r| r.what.kind.has_file())
        .map(|r| {
            let stored = ready(scene.items.get(&store_key(&scene.case.id, &r.what.id))).unwrap();
            let bytes = key
                .open_checked(&scene.case.id, &r.what, stored.as_deref())
                .unwrap();
            (r.what, bytes.to_vec())
        })
        .collect()
}

fn export(scene: &mut Scene, how: ExportSealing<'_>) -> Vec<u8> {
    let files = stored_files(scene);
    let pairs: Vec<(&EvidenceItem, &[u8])> = files.iter().map(|(i, b)| (i, b.as_slice())).collect();
    let case = scene.case.clone();
    scene.service.export_file(&case, &pairs, how).unwrap().bytes
}

fn run(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} is installed (tools/setup.sh test): {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_officer_opens_the_sealed_file_with_age_and_tar_and_imports_every_item_unchanged() {
    let mut scene = scene();
    let officer = PrivateKey::generate(&mut ChaCha20Rng::seed_from_u64(9));
    let sealed = export(&mut scene, ExportSealing::ToKey(&officer.public()));
    assert!(
        sealed.starts_with(b"age-encryption.org/v1\n"),
        "binary, not armored, when it holds pictures"
    );

    // The standard tools: age -d, then tar -x, then the digests.
    let dir = std::env::temp_dir().join(format!("stodrutin-evidence-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let identity = dir.join("officer.key");
    std::fs::write(&identity, officer.to_identity_file("2026-11-28")).unwrap();
    let plain = run("age", &["-d", "-i", identity.to_str().unwrap()], &sealed);
    assert!(container::looks_like_tar(&plain));
    run("tar", &["-x", "-C", dir.to_str().unwrap()], &plain);
    for (item, bytes) in &scene.files {
        let taken = std::fs::read(dir.join(item.archive_name())).unwrap();
        assert_eq!(&taken, bytes);
        assert_eq!(sha256_hex(&taken), item.sha256);
    }
    let case_json = std::fs::read_to_string(dir.join("case.json")).unwrap();
    assert!(case_json.contains("\"version\":4"));
    let _ = std::fs::remove_dir_all(&dir);

    // The officer's device: the preview lists every item, and the commit stores them.
    let mut officer_app = service(5);
    officer_app.save_private_key(&officer).unwrap();
    let ImportStep::Checked(checked) = officer_app.begin_import(&sealed, |_| None).unwrap() else {
        panic!("a case file sealed to the officer's key opens with it");
    };
    let listed: BTreeMap<String, (String, bool)> = checked
        .evidence()
        .into_iter()
        .map(|(item, here)| (item.id, (item.sha256, here)))
        .collect();
    assert_eq!(listed.len(), 4);
    assert!(listed.values().all(|(_, here)| *here));
    for (item, _) in &scene.files {
        assert_eq!(listed[&item.id].0, item.sha256);
    }
    assert_eq!(checked.witnesses()[0].name, "Kim Andersson");
    let mut officer_items = MemoryItems::default();
    for (key, sealed_item) in officer_app.seal_import_items(&checked, &[]).unwrap() {
        ready(officer_items.put(&key, &sealed_item)).unwrap();
    }
    let imported = officer_app.commit_import(checked).unwrap();
    let key = officer_app.item_key().unwrap();
    for (item, bytes) in &scene.files {
        let stored = ready(officer_items.get(&store_key(&imported.id, &item.id))).unwrap();
        assert!(!stored
            .as_deref()
            .unwrap()
            .windows(32)
            .any(|w| w == &bytes[1000..1032]));
        let opened = key
            .open_checked(&imported.id, item, stored.as_deref())
            .unwrap();
        assert_eq!(opened.as_slice(), bytes.as_slice());
    }
}

#[test]
fn a_file_whose_item_bytes_were_changed_is_refused_by_name_and_nothing_is_stored() {
    let mut scene = scene();
    let tar = export(&mut scene, ExportSealing::Plain);
    assert!(container::looks_like_tar(&tar));
    // One byte of the PNG's content, in place: the tar stays well-formed.
    let (png, png_bytes) = &scene.files[1];
    let at = tar
        .windows(64)
        .position(|w| w == &png_bytes[..64])
        .expect("the PNG is in the tar as it is");
    let mut changed = tar.clone();
    changed[at + 10] ^= 0x01;
    let officer_app = service(6);
    let before = officer_app.used_bytes().unwrap();
    let refused = officer_app.begin_import(&changed, |_| None).err();
    assert_eq!(
        refused,
        Some(ImportError::File(CaseFileError::ItemMismatch {
            item: png.id.clone(),
            file_name: Some("Skärmbild.png".into()),
        }))
    );
    assert_eq!(officer_app.used_bytes().unwrap(), before);
    // The unchanged file imports.
    assert!(matches!(
        officer_app.begin_import(&tar, |_| None),
        Ok(ImportStep::Checked(_))
    ));
}

#[test]
fn an_item_the_case_does_not_name_is_refused() {
    let mut scene = scene();
    let tar = export(&mut scene, ExportSealing::Plain);
    let entries = container::read_tar(&tar, 10).unwrap();
    let mut with_extra = entries.clone();
    with_extra.push(container::Entry {
        name: "evidence/extra.txt".into(),
        bytes: b"smuggled",
    });
    let smuggled = container::write_tar(&with_extra, 0).unwrap();
    assert_eq!(
        service(7).begin_import(&smuggled, |_| None).err(),
        Some(ImportError::File(CaseFileError::UnexpectedEntry(
            "evidence/extra.txt".into()
        )))
    );
}

#[test]
fn a_case_without_evidence_still_travels_as_version_3_json() {
    let mut service = service(8);
    let me = profile(&mut service);
    let case = service
        .open_case(&me, stodrutin_domain::testing::oxelosund(), t0())
        .unwrap();
    let file = service
        .export_file(&case, &[], ExportSealing::Plain)
        .unwrap();
    assert!(!file.container);
    let text = String::from_utf8(file.bytes).unwrap();
    assert!(
        text.contains("\"version\":3"),
        "readable by the apps before evidence"
    );
}

#[test]
fn a_case_file_over_fifty_megabytes_is_neither_made_nor_read() {
    let mut scene = scene();
    // Each within the 25 MB an item may hold; together, with the rest, over the 50 MB a file
    // may hold.
    let big = vec![1u8; 25_000_000];
    let bigger = vec![2u8; 24_900_000];
    let me = profile(&mut scene.service);
    for (id, bytes) in [('f', &big), ('0', &bigger)] {
        scene.case = ready(scene.service.record_with_item(
            &mut scene.items,
            &scene.case,
            &me,
            photo(id, bytes, "image/jpeg", "stor.jpg"),
            Some(bytes),
        ))
        .unwrap();
    }
    let files = stored_files(&mut scene);
    let pairs: Vec<(&EvidenceItem, &[u8])> = files.iter().map(|(i, b)| (i, b.as_slice())).collect();
    let case = scene.case.clone();
    assert!(matches!(
        scene
            .service
            .export_file(&case, &pairs, ExportSealing::Plain)
            .err(),
        Some(ExportError::TooLarge { .. })
    ));
    let too_large = vec![0u8; MAX_CASE_FILE_BYTES as usize + 1];
    assert_eq!(
        service(12).begin_import(&too_large, |_| None).err(),
        Some(ImportError::TooLarge)
    );
}

/// The scene's case exported unencrypted and read back on the same phone.
fn scene_reimported() -> (Scene, stodrutin_service::CheckedImport) {
    let mut scene = scene();
    let tar = export(&mut scene, ExportSealing::Plain);
    let local = scene.case.clone();
    let ImportStep::Checked(checked) = scene
        .service
        .begin_import(&tar, |_| Some(local.clone()))
        .unwrap()
    else {
        panic!("a plain case file is one case");
    };
    (scene, checked)
}

#[test]
fn importing_again_keeps_the_bytes_stored_and_lists_them_as_here() {
    let (mut scene, checked) = scene_reimported();
    let stored: Vec<String> = scene.items.items.keys().cloned().collect();
    assert!(
        scene
            .service
            .seal_import_items(&checked, &stored)
            .unwrap()
            .is_empty(),
        "the items this device holds are not written again"
    );
    assert!(checked.evidence().iter().all(|(_, here)| *here));
}

/// A case sent first without its largest file, then with it: the device that records the item
/// without its bytes stores them from the second file.
#[test]
fn an_item_recorded_without_its_bytes_gets_them_from_a_later_file() {
    let (mut scene, checked) = scene_reimported();
    let missing = store_key(&scene.case.id, &scene.files[0].0.id);
    let stored: Vec<String> = scene
        .items
        .items
        .keys()
        .filter(|key| **key != missing)
        .cloned()
        .collect();
    let sealed = scene.service.seal_import_items(&checked, &stored).unwrap();
    assert_eq!(sealed.len(), 1);
    assert_eq!(sealed[0].0, missing);
    let key = scene.service.item_key().unwrap();
    let opened = key
        .open_checked(&scene.case.id, &scene.files[0].0, Some(&sealed[0].1))
        .unwrap();
    assert_eq!(opened.as_slice(), scene.files[0].1.as_slice());
}

#[test]
fn a_file_that_gives_a_stored_item_other_bytes_is_refused() {
    let scene = scene();
    // A copy of the case in which the first item's event (another event) names other bytes
    // under the same item id: valid on its own, contradicting this device's copy.
    let other = b"other bytes".to_vec();
    let events: Vec<stodrutin_domain::Event> = scene
        .case
        .events()
        .cloned()
        .map(|mut event| {
            if let Payload::EvidenceAdded { item } = &mut event.payload {
                if item.id == scene.files[0].0.id {
                    *item = photo('a', &other, "image/jpeg", "annan.jpg");
                    event.id = stodrutin_domain::EventId("f".repeat(32));
                }
            }
            event
        })
        .collect();
    let forked = Case::from_events(scene.case.id.clone(), events).unwrap();
    let file = stodrutin_domain::case_file::export_container(
        &forked,
        Some(stodrutin_domain::testing::oxelosund()),
        &[(&photo('a', &other, "image/jpeg", "annan.jpg"), &other)],
        minutes(50),
    );
    let local = scene.case.clone();
    assert_eq!(
        scene
            .service
            .begin_import(&file, |_| Some(local.clone()))
            .err(),
        Some(ImportError::Contradictory)
    );
    // On a device without the case, the same file is a case like any other.
    assert!(matches!(
        service(13).begin_import(&file, |_| None),
        Ok(ImportStep::Checked(_))
    ));
}

#[test]
fn a_file_of_this_case_id_opened_elsewhere_is_refused() {
    let scene = scene();
    // The same case id with an opening of its own (another event id, another incident time):
    // valid on its own, another case than this device's.
    let events: Vec<stodrutin_domain::Event> = scene
        .case
        .events()
        .cloned()
        .map(|mut event| {
            if let Payload::CaseOpened { incident_at, .. } = &mut event.payload {
                *incident_at -= chrono::Duration::hours(1);
                event.id = stodrutin_domain::EventId("e".repeat(32));
            }
            event
        })
        .collect();
    let other = Case::from_events(scene.case.id.clone(), events).unwrap();
    let file =
        stodrutin_domain::case_file::export(&other, Some(stodrutin_domain::testing::oxelosund()));
    let local = scene.case.clone();
    assert_eq!(
        scene
            .service
            .begin_import(file.as_bytes(), |_| Some(local.clone()))
            .err(),
        Some(ImportError::Contradictory)
    );
    assert!(matches!(
        service(13).begin_import(file.as_bytes(), |_| None),
        Ok(ImportStep::Checked(_))
    ));
}

/// What a handover gives: the sealed file, the officer's sealed items (store key and bytes),
/// and how many steps it took.
type Handover = (Vec<u8>, Vec<(String, Vec<u8>)>, usize);

/// The app's way: every long part (sealing the file, opening it, hashing and sealing its items)
/// in steps of `budget` bytes, counting the steps.
fn handover_in_steps(budget: usize, officer: &PrivateKey) -> Handover {
    let mut scene = scene();
    let files = stored_files(&mut scene);
    let pairs: Vec<(&EvidenceItem, &[u8])> = files.iter().map(|(i, b)| (i, b.as_slice())).collect();
    let mut steps = 0;
    let mut work = scene
        .service
        .exporting(&scene.case, &pairs, ExportSealing::ToKey(&officer.public()))
        .unwrap();
    let mut last = 0;
    while !work.step(budget) {
        let (done, total) = work.progress();
        assert!(
            done > last && done < total,
            "each step seals more: {done} of {total}"
        );
        last = done;
        steps += 1;
    }
    let sealed = work.finish().unwrap().bytes;

    let mut officer_app = service(5);
    officer_app.save_private_key(officer).unwrap();
    let ImportArrival::Sealed(file) = officer_app.arrive(sealed.clone()).unwrap() else {
        panic!("a sealed file arrives sealed");
    };
    assert!(!file.needs_passphrase());
    let mut reading = officer_app.reading_with_key(&file).unwrap();
    let mut share = 0.0;
    while !reading.step(budget).unwrap() {
        assert!(reading.progress() >= share && reading.progress() < 1.0);
        share = reading.progress();
        steps += 1;
    }
    let mut checked = officer_app.finish_import(reading, &|_| None).unwrap();
    assert_eq!(checked.cases.len(), 1, "a case file is one case");
    assert!(checked.unread.is_empty());
    let checked = checked.cases.remove(0);
    let mut sealing = officer_app.sealing_import_items(&checked, &[]).unwrap();
    while !sealing.step(budget) {
        steps += 1;
    }
    (sealed, sealing.finish(), steps)
}

#[test]
fn the_handover_in_small_steps_gives_the_same_file_and_stored_items_as_in_one_go() {
    let officer = PrivateKey::generate(&mut ChaCha20Rng::seed_from_u64(9));
    // In one go: the file and the officer's sealed items (the same seeds as the steps').
    let mut scene = scene();
    let whole = export(&mut scene, ExportSealing::ToKey(&officer.public()));
    let mut officer_app = service(5);
    officer_app.save_private_key(&officer).unwrap();
    let ImportStep::Checked(checked) = officer_app.begin_import(&whole, |_| None).unwrap() else {
        panic!("a case file sealed to the officer's key opens with it");
    };
    let whole_items = officer_app.seal_import_items(&checked, &[]).unwrap();
    assert_eq!(whole_items.len(), 2);

    let (one_step, _, _) = handover_in_steps(usize::MAX, &officer);
    assert_eq!(one_step, whole);
    let (stepped, stepped_items, steps) = handover_in_steps(64 * 1024, &officer);
    assert_eq!(stepped, whole);
    assert_eq!(stepped_items, whole_items);
    // 370 kB of pictures: sealed, opened, hashed and sealed again, 64 KiB a step.
    assert!(steps > 4 * 370_000 / (64 * 1024) - 8, "{steps} steps");
}
