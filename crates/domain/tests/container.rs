//! The case file's container, a ustar archive: round trips, the exact bytes it writes, GNU tar
//! reading what it writes and the other way round, and the refusals of hostile archives.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;
use stodrutin_domain::container::{looks_like_tar, read_tar, write_tar, ContainerError, Entry};

const BLOCK: usize = 512;
/// 2023-11-14 22:13:20 UTC.
const MTIME: u64 = 1_700_000_000;
const HEX_ID: &str = "0123456789abcdef0123456789abcdef";

fn entry<'a>(name: impl Into<Cow<'a, str>>, bytes: &'a [u8]) -> Entry<'a> {
    Entry {
        name: name.into(),
        bytes,
    }
}

/// Bytes that are not all alike, so a misplaced block would show.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect()
}

fn long_name(total: usize) -> String {
    // `evidence/` + a folder + `/` + a file name of 50 bytes: needs the prefix field past 100.
    let folder = "d".repeat(total - "evidence/".len() - 1 - 50);
    format!("evidence/{folder}/{}", "f".repeat(50))
}

/// Recomputes the checksum of the header at `at` (unsigned sum, as POSIX asks).
fn fix_checksum(archive: &mut [u8], at: usize) {
    let header = &mut archive[at..at + BLOCK];
    header[148..156].fill(b' ');
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

/// Sets a header field (the rest of it NULs) and fixes the checksum.
fn set_field(archive: &mut [u8], header_at: usize, field: std::ops::Range<usize>, value: &[u8]) {
    let header = &mut archive[header_at..header_at + BLOCK];
    header[field.clone()].fill(0);
    header[field.start..field.start + value.len()].copy_from_slice(value);
    fix_checksum(archive, header_at);
}

/// Where each entry's header starts in an archive `write_tar` wrote.
fn header_offsets(entries: &[Entry<'_>]) -> Vec<usize> {
    let mut at = 0;
    entries
        .iter()
        .map(|e| {
            let here = at;
            at += BLOCK + e.bytes.len().div_ceil(BLOCK) * BLOCK;
            here
        })
        .collect()
}

fn sample<'a>(case_json: &'a [u8], photo: &'a [u8], big: &'a [u8]) -> Vec<Entry<'a>> {
    vec![
        entry("case.json", case_json),
        entry(format!("evidence/{HEX_ID}.jpg"), photo),
        entry(format!("evidence/{}.txt", "f".repeat(32)), b""),
        entry(format!("evidence/{}.bin", "e".repeat(32)), big),
        entry(long_name(150), b"in a folder with a long name\n"),
    ]
}

/// A folder under the system's temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("stodrutin-container-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether GNU tar is there to test with (the interop tests are skipped, with a note, without).
fn gnu_tar() -> bool {
    let found = Command::new("tar")
        .arg("--version")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("GNU tar"));
    if !found {
        eprintln!("GNU tar not found: skipping the interoperability test");
    }
    found
}

/// Runs tar, asserts it succeeds without a warning, and returns its output.
fn tar(args: &[&str], dir: &Path) -> String {
    let out = Command::new("tar")
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tar {args:?} failed: {stderr}");
    assert!(stderr.is_empty(), "tar {args:?} warned: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn several_entries_round_trip() {
    let case_json = br#"{"format":"stodrutin-case","version":3}"#.to_vec();
    let photo = pattern(70_000, 1);
    let big = pattern(1024 * 1024 + 1, 2);
    let hundred = format!("evidence/{}", "h".repeat(91));
    assert_eq!(hundred.len(), 100);
    let mut entries = sample(&case_json, &photo, &big);
    entries.push(entry(hundred.as_str(), b"x"));

    let archive = write_tar(&entries, MTIME).unwrap();
    let expected_len: usize = entries
        .iter()
        .map(|e| BLOCK + e.bytes.len().div_ceil(BLOCK) * BLOCK)
        .sum::<usize>()
        + 2 * BLOCK;
    assert_eq!(archive.len(), expected_len);
    assert!(looks_like_tar(&archive));

    let read = read_tar(&archive, entries.len()).unwrap();
    assert_eq!(read, entries);
    // The content is borrowed from the archive, not copied.
    let range = archive.as_ptr_range();
    for e in &read {
        assert!(range.contains(&e.bytes.as_ptr()) || e.bytes.is_empty());
    }
    assert!(matches!(read[0].name, Cow::Borrowed(_)));
    assert!(
        matches!(read[4].name, Cow::Owned(_)),
        "joined from prefix/name"
    );
}

#[test]
fn an_empty_archive_round_trips() {
    let archive = write_tar(&[], MTIME).unwrap();
    assert_eq!(archive, vec![0; 2 * BLOCK]);
    assert_eq!(read_tar(&archive, 0).unwrap(), vec![]);
    assert_eq!(read_tar(&archive[..BLOCK], 0).unwrap(), vec![]);
}

#[test]
fn the_output_is_deterministic_and_has_the_fixed_fields() {
    let big = pattern(3000, 3);
    let entries = sample(b"{}", b"photo", &big);
    let archive = write_tar(&entries, MTIME).unwrap();
    assert_eq!(archive, write_tar(&entries, MTIME).unwrap());

    let header = &archive[..BLOCK];
    assert_eq!(&header[..10], b"case.json\0");
    assert_eq!(&header[100..108], b"0000644\0", "mode");
    assert_eq!(&header[108..116], b"0000000\0", "uid");
    assert_eq!(&header[116..124], b"0000000\0", "gid");
    assert_eq!(&header[124..136], b"00000000002\0", "size");
    assert_eq!(
        &header[136..148],
        format!("{MTIME:011o}\0").as_bytes(),
        "mtime"
    );
    assert_eq!(header[156], b'0', "regular file");
    assert_eq!(&header[257..265], b"ustar\x0000", "POSIX magic and version");
    assert!(
        header[265..329].iter().all(|&b| b == 0),
        "empty uname, gname"
    );
    assert!(header[345..].iter().all(|&b| b == 0), "no prefix");
    let mut unchecked = header.to_vec();
    unchecked[148..156].fill(b' ');
    let sum: u32 = unchecked.iter().map(|&b| u32::from(b)).sum();
    assert_eq!(&header[148..156], format!("{sum:06o}\0 ").as_bytes());

    // Another export time changes only the mtime and checksum fields.
    let later = write_tar(&entries, MTIME + 60).unwrap();
    assert_eq!(later.len(), archive.len());
    let changed: Vec<usize> = (0..archive.len())
        .filter(|&i| archive[i] != later[i])
        .map(|i| i % BLOCK)
        .collect();
    assert!(!changed.is_empty());
    assert!(
        changed.iter().all(|&i| (136..156).contains(&i)),
        "{changed:?}"
    );
}

#[test]
fn a_name_past_100_bytes_uses_the_prefix_field() {
    let name = long_name(150);
    assert_eq!(name.len(), 150);
    let archive = write_tar(&[entry(name.as_str(), b"x")], MTIME).unwrap();
    let (prefix, file) = name.rsplit_once('/').unwrap();
    assert_eq!(&archive[..file.len()], file.as_bytes());
    assert_eq!(archive[file.len()], 0);
    assert_eq!(&archive[345..345 + prefix.len()], prefix.as_bytes());
    assert_eq!(archive[345 + prefix.len()], 0);
    assert_eq!(read_tar(&archive, 1).unwrap()[0].name, name);

    // The widest: a prefix of 155 bytes, `/`, a name of 100.
    let widest = format!("{}/{}", "p".repeat(155), "n".repeat(100));
    let archive = write_tar(&[entry(widest.as_str(), b"")], MTIME).unwrap();
    assert_eq!(read_tar(&archive, 1).unwrap()[0].name, widest);

    for too_long in [
        format!("{}/{}", "p".repeat(156), "n".repeat(100)),
        format!("{}/{}", "p".repeat(10), "n".repeat(101)),
        "n".repeat(101),
    ] {
        assert_eq!(
            write_tar(&[entry(too_long.as_str(), b"")], MTIME),
            Err(ContainerError::BadName(too_long.clone()))
        );
    }
}

#[test]
fn gnu_tar_lists_and_extracts_what_we_write() {
    if !gnu_tar() {
        return;
    }
    let big = pattern(1024 * 1024 + 1, 4);
    let photo = pattern(5000, 5);
    let entries = sample(b"{\"case\":1}\n", &photo, &big);
    let archive = write_tar(&entries, MTIME).unwrap();
    let dir = TempDir::new("gnu-reads");
    std::fs::write(dir.0.join("case.tar"), &archive).unwrap();

    let listed = tar(&["-tf", "case.tar"], &dir.0);
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_ref()).collect();
    assert_eq!(listed.lines().collect::<Vec<_>>(), names);

    let verbose = tar(&["--utc", "--full-time", "-tvf", "case.tar"], &dir.0);
    let first = verbose.lines().next().unwrap();
    assert!(
        first.starts_with("-rw-r--r-- 0/0") && first.contains("2023-11-14 22:13:20 case.json"),
        "{first}"
    );

    let out = dir.0.join("out");
    std::fs::create_dir(&out).unwrap();
    tar(&["-xf", "case.tar", "-C", "out"], &dir.0);
    for e in &entries {
        assert_eq!(
            std::fs::read(out.join(e.name.as_ref())).unwrap(),
            e.bytes,
            "{}",
            e.name
        );
    }
}

#[test]
fn reads_what_gnu_tar_writes_in_ustar_format() {
    if !gnu_tar() {
        return;
    }
    let dir = TempDir::new("gnu-writes");
    let src = dir.0.join("src");
    let deep = format!("evidence/{}/{}", "d".repeat(80), "g".repeat(40));
    let photo = pattern(10_000, 6);
    let files: Vec<(String, Vec<u8>)> = vec![
        ("case.json".into(), b"{\"version\":3}".to_vec()),
        (format!("evidence/{HEX_ID}.jpg"), photo),
        (format!("evidence/{}.txt", "a".repeat(32)), vec![]),
        (deep.clone(), b"deep".to_vec()),
    ];
    for (name, bytes) in &files {
        let path = src.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    tar(
        &[
            "--format=ustar",
            "--sort=name",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-C",
            "src",
            "-cf",
            "gnu.tar",
            "case.json",
            "evidence",
        ],
        &dir.0,
    );
    let archive = std::fs::read(dir.0.join("gnu.tar")).unwrap();
    assert_eq!(archive.len() % 10240, 0, "GNU tar pads to its record size");
    let listed = tar(&["-tf", "gnu.tar"], &dir.0);
    assert!(listed.lines().any(|l| l == "evidence/"), "{listed}");
    assert!(listed.lines().any(|l| l == deep), "{listed}");
    assert!(
        archive.chunks(BLOCK).any(|b| b[156] == b'5'),
        "a directory entry"
    );

    let read = read_tar(&archive, files.len()).unwrap();
    let mut expected: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    expected.sort();
    let got: Vec<(&str, &[u8])> = read.iter().map(|e| (e.name.as_ref(), e.bytes)).collect();
    assert_eq!(got, expected, "the files in order, directories skipped");

    // The other formats GNU tar writes are refused: pax extended headers, and its own format.
    tar(
        &["--format=pax", "-C", "src", "-cf", "pax.tar", "case.json"],
        &dir.0,
    );
    let pax = std::fs::read(dir.0.join("pax.tar")).unwrap();
    assert!(matches!(
        read_tar(&pax, 10),
        Err(ContainerError::UnsupportedEntry { .. })
    ));
    tar(
        &[
            "--format=gnu",
            "-C",
            "src",
            "-cf",
            "gnu-format.tar",
            "case.json",
        ],
        &dir.0,
    );
    let gnu_format = std::fs::read(dir.0.join("gnu-format.tar")).unwrap();
    assert!(looks_like_tar(&gnu_format));
    assert_eq!(read_tar(&gnu_format, 10), Err(ContainerError::NotATar));
}

#[test]
fn a_wrong_checksum_is_refused() {
    let entries = sample(b"{}", b"photo", b"big");
    let archive = write_tar(&entries, MTIME).unwrap();
    let offsets = header_offsets(&entries);
    for (index, &at) in offsets.iter().enumerate() {
        // A digit of the checksum changed.
        let mut bad = archive.clone();
        bad[at + 150] = if bad[at + 150] == b'1' { b'2' } else { b'1' };
        assert_eq!(
            read_tar(&bad, 10),
            Err(ContainerError::BadChecksum { entry: index })
        );
        // A byte of the name changed, the checksum not.
        let mut bad = archive.clone();
        bad[at + 1] ^= 1;
        assert_eq!(
            read_tar(&bad, 10),
            Err(ContainerError::BadChecksum { entry: index })
        );
        // No number at all.
        let mut bad = archive.clone();
        bad[at + 148..at + 156].copy_from_slice(b"  xyz \0 ");
        assert_eq!(
            read_tar(&bad, 10),
            Err(ContainerError::BadChecksum { entry: index })
        );
    }
}

#[test]
fn the_signed_checksum_is_accepted_too() {
    // A name with bytes past 0x7f, where the signed and the unsigned sum differ.
    let name = "evidence/bild-åäö.jpg";
    let mut archive = write_tar(&[entry(name, b"x")], MTIME).unwrap();
    let mut unchecked = archive[..BLOCK].to_vec();
    unchecked[148..156].fill(b' ');
    let signed: i32 = unchecked.iter().map(|&b| i32::from(b as i8)).sum();
    let unsigned: i32 = unchecked.iter().map(|&b| i32::from(b)).sum();
    assert_ne!(signed, unsigned);
    archive[148..156].copy_from_slice(format!("{signed:06o}\0 ").as_bytes());
    assert_eq!(read_tar(&archive, 1).unwrap()[0].name, name);
}

#[test]
fn a_cut_archive_is_refused_at_every_length() {
    // Small: every length, inside headers, data and the end marker.
    let entries = vec![
        entry("case.json", b"{\"a\":1}"),
        entry("evidence/empty.txt", b""),
        entry("evidence/blocks.bin", &[7; 1300]),
    ];
    let archive = write_tar(&entries, MTIME).unwrap();
    let data_end = archive.len() - 2 * BLOCK;
    for len in 0..archive.len() {
        let result = read_tar(&archive[..len], 10);
        if len == data_end + BLOCK {
            assert_eq!(
                result.as_ref(),
                Ok(&entries),
                "one zero block, then the end"
            );
        } else {
            assert!(result.is_err(), "cut at {len}: {result:?}");
        }
        if len < 262 {
            // Cut before the first header's magic: nothing shows it is an archive.
            assert_eq!(result, Err(ContainerError::NotATar), "cut at {len}");
        } else if len % BLOCK != 0 || len <= data_end {
            assert_eq!(result, Err(ContainerError::Truncated), "cut at {len}");
        }
    }

    // Large: every block boundary and a cut inside each header.
    let big = pattern(1024 * 1024 + 1, 8);
    let entries = sample(b"{}", b"photo", &big);
    let archive = write_tar(&entries, MTIME).unwrap();
    let data_end = archive.len() - 2 * BLOCK;
    for len in (BLOCK..=data_end).step_by(BLOCK) {
        assert_eq!(
            read_tar(&archive[..len], 10),
            Err(ContainerError::Truncated)
        );
    }
    for at in header_offsets(&entries) {
        for cut in [1, 100, 156, 260, 300, 511] {
            let expected = if at == 0 && cut < 262 {
                ContainerError::NotATar
            } else {
                ContainerError::Truncated
            };
            assert_eq!(read_tar(&archive[..at + cut], 10), Err(expected));
        }
    }
    // A size larger than what is left.
    let mut bad = archive.clone();
    set_field(&mut bad, 0, 124..136, b"77777777777\0");
    assert_eq!(read_tar(&bad, 10), Err(ContainerError::Truncated));
}

#[test]
fn data_after_the_end_marker_is_ignored() {
    let entries = vec![entry("case.json", b"{}")];
    let mut archive = write_tar(&entries, MTIME).unwrap();
    archive.extend_from_slice(&write_tar(&[entry("more.txt", b"hidden")], MTIME).unwrap());
    archive.extend_from_slice(b"trailing garbage");
    assert_eq!(read_tar(&archive, 10).unwrap(), entries);
}

#[test]
fn a_lone_zero_block_followed_by_a_header_is_refused() {
    let first = write_tar(&[entry("a.txt", b"a")], MTIME).unwrap();
    let second = write_tar(&[entry("b.txt", b"b")], MTIME).unwrap();
    let mut archive = first[..2 * BLOCK].to_vec();
    archive.extend_from_slice(&[0; BLOCK]);
    archive.extend_from_slice(&second);
    assert_eq!(read_tar(&archive, 10), Err(ContainerError::NotATar));
}

#[test]
fn other_content_is_not_a_tar() {
    let json = br#"{"format":"stodrutin-case","version":3,"events":[]}"#;
    assert!(!looks_like_tar(json));
    assert_eq!(read_tar(json, 10), Err(ContainerError::NotATar));
    let long: Vec<u8> = json.iter().copied().cycle().take(4096).collect();
    assert!(!looks_like_tar(&long));
    assert_eq!(read_tar(&long, 10), Err(ContainerError::NotATar));
    assert!(!looks_like_tar(b""));
    assert!(!looks_like_tar(&[0; 1024]));

    // A header whose magic is "ustar" but not POSIX's: another dialect.
    let mut archive = write_tar(&[entry("a.txt", b"a")], MTIME).unwrap();
    set_field(&mut archive, 0, 257..265, b"ustar  \0");
    assert!(looks_like_tar(&archive));
    assert_eq!(read_tar(&archive, 10), Err(ContainerError::NotATar));
}

#[test]
fn unsafe_names_are_refused() {
    let mut names: Vec<Vec<u8>> = [
        "../x",
        "evidence/../../x",
        "evidence/..",
        "/etc/passwd",
        "/",
        "./case.json",
        "evidence//x.jpg",
        "evidence/",
        "evidence\\x.jpg",
        "evidence/x\n.jpg",
        "",
    ]
    .iter()
    .map(|n| n.as_bytes().to_vec())
    .collect();
    names.push(b"evidence/\xff.jpg".to_vec());
    for name in names {
        let mut archive = write_tar(&[entry("placeholder", b"x")], MTIME).unwrap();
        set_field(&mut archive, 0, 0..100, &name);
        let shown = String::from_utf8_lossy(&name).into_owned();
        assert_eq!(
            read_tar(&archive, 10),
            Err(ContainerError::BadName(shown.clone())),
            "{shown:?}"
        );
        if let Ok(name) = std::str::from_utf8(&name) {
            assert_eq!(
                write_tar(&[entry(name, b"x")], MTIME),
                Err(ContainerError::BadName(name.into())),
                "{name:?}"
            );
        }
    }
    // `..` through the prefix field.
    let mut archive = write_tar(&[entry("x.txt", b"x")], MTIME).unwrap();
    set_field(&mut archive, 0, 345..500, b"..");
    assert_eq!(
        read_tar(&archive, 10),
        Err(ContainerError::BadName("../x.txt".into()))
    );
}

#[test]
fn links_devices_and_extended_headers_are_refused() {
    for typeflag in [
        b'1', b'2', b'3', b'4', b'6', b'7', b'x', b'g', b'L', b'K', b'A',
    ] {
        let mut archive = write_tar(&[entry("evidence/x.jpg", b"")], MTIME).unwrap();
        if typeflag == b'2' || typeflag == b'1' {
            set_field(&mut archive, 0, 157..257, b"/etc/passwd");
        }
        set_field(&mut archive, 0, 156..157, &[typeflag]);
        assert_eq!(
            read_tar(&archive, 10),
            Err(ContainerError::UnsupportedEntry {
                name: "evidence/x.jpg".into()
            }),
            "typeflag {}",
            typeflag as char
        );
    }
    // A pax header that would rename the next entry, as GNU tar names them.
    let record = b"26 path=../../etc/passwd\n";
    let mut archive = write_tar(
        &[
            entry("PaxHeaders/case.json", record),
            entry("case.json", b"{}"),
        ],
        MTIME,
    )
    .unwrap();
    set_field(&mut archive, 0, 156..157, b"x");
    assert_eq!(
        read_tar(&archive, 10),
        Err(ContainerError::UnsupportedEntry {
            name: "PaxHeaders/case.json".into()
        })
    );
}

#[test]
fn directories_are_skipped_but_checked() {
    let mut archive = write_tar(
        &[entry("evidence", b""), entry("evidence/x.jpg", b"jpg")],
        MTIME,
    )
    .unwrap();
    set_field(&mut archive, 0, 0..100, b"evidence/");
    set_field(&mut archive, 0, 156..157, b"5");
    let read = read_tar(&archive, 1).unwrap();
    assert_eq!(read, vec![entry("evidence/x.jpg", b"jpg")]);

    let mut bad = archive.clone();
    set_field(&mut bad, 0, 0..100, b"../");
    assert_eq!(
        read_tar(&bad, 1),
        Err(ContainerError::BadName("../".into()))
    );

    // No data follows a directory header: a size there is refused.
    let mut bad = archive.clone();
    set_field(&mut bad, 0, 124..136, b"00000000001\0");
    assert_eq!(
        read_tar(&bad, 1),
        Err(ContainerError::BadSize {
            name: "evidence/".into()
        })
    );
}

#[test]
fn sizes_must_be_strict_octal() {
    for size in [
        &b"0000000000a\0"[..],
        b"00000000009\0",
        b" 0000000001\0",
        b"\0\0\0\0\0\0\0\0\0\0\0\0",
        b"\x80\0\0\0\0\0\0\0\0\0\0\x01",
        b"0000000001\x000",
    ] {
        let mut archive = write_tar(&[entry("a.txt", b"a")], MTIME).unwrap();
        set_field(&mut archive, 0, 124..136, size);
        assert_eq!(
            read_tar(&archive, 10),
            Err(ContainerError::BadSize {
                name: "a.txt".into()
            }),
            "{size:?}"
        );
    }
    // Terminated by spaces and NULs, or filling the field: accepted.
    for size in [
        &b"1 \0\0\0\0\0\0\0\0\0\0"[..],
        b"000000000001",
        b"00000000001 ",
    ] {
        let mut archive = write_tar(&[entry("a.txt", b"a")], MTIME).unwrap();
        set_field(&mut archive, 0, 124..136, size);
        assert_eq!(read_tar(&archive, 10).unwrap()[0].bytes, b"a");
    }
}

#[test]
fn duplicate_names_are_refused() {
    let one = write_tar(&[entry("case.json", b"{}")], MTIME).unwrap();
    let two = write_tar(&[entry("case.json", b"{\"other\":1}")], MTIME).unwrap();
    let mut archive = one[..2 * BLOCK].to_vec();
    archive.extend_from_slice(&two);
    assert_eq!(
        read_tar(&archive, 10),
        Err(ContainerError::DuplicateName("case.json".into()))
    );
    assert_eq!(
        write_tar(
            &[entry("case.json", b"{}"), entry("case.json", b"{}")],
            MTIME
        ),
        Err(ContainerError::DuplicateName("case.json".into()))
    );

    // The same name, once in the name field and once split into prefix and name.
    let name = long_name(100);
    let mut archive = write_tar(&[entry(name.as_str(), b"1"), entry("x", b"2")], MTIME).unwrap();
    let (folder, file) = name.rsplit_once('/').unwrap();
    set_field(&mut archive, 2 * BLOCK, 345..500, folder.as_bytes());
    set_field(&mut archive, 2 * BLOCK, 0..100, file.as_bytes());
    assert_eq!(
        read_tar(&archive, 10),
        Err(ContainerError::DuplicateName(name.clone()))
    );
}

#[test]
fn the_number_of_files_is_bounded() {
    let entries = vec![entry("a", b"1"), entry("b", b"2"), entry("c", b"3")];
    let archive = write_tar(&entries, MTIME).unwrap();
    assert_eq!(
        read_tar(&archive, 2),
        Err(ContainerError::TooManyEntries { max: 2 })
    );
    assert_eq!(
        read_tar(&archive, 0),
        Err(ContainerError::TooManyEntries { max: 0 })
    );
    assert_eq!(read_tar(&archive, 3).unwrap(), entries);
}

#[test]
fn errors_read_as_sentences() {
    let cases = [
        (
            ContainerError::NotATar,
            "the file is not a well-formed ustar archive",
        ),
        (ContainerError::Truncated, "the archive is cut off"),
        (
            ContainerError::BadChecksum { entry: 0 },
            "header 1 of the archive does not match its checksum",
        ),
        (
            ContainerError::BadName("../x".into()),
            "the name \"../x\" is unsafe or does not fit in the archive",
        ),
        (
            ContainerError::TooManyEntries { max: 5 },
            "the archive holds more than 5 files",
        ),
    ];
    for (err, text) in cases {
        assert_eq!(err.to_string(), text);
        let _: &dyn std::error::Error = &err;
    }
}
