//! The container of a case file: a POSIX ustar (tar) archive that holds `case.json` and the
//! evidence (`evidence/<id>.<ext>`, the original bytes of photos and the like). It is sealed
//! inside an age file elsewhere; this module only writes and reads the archive.
//!
//! Only a strict subset of ustar (POSIX.1-2001, `pax` utility, "ustar Interchange Format") is
//! written and read: regular files, plus directory entries that the reader skips (GNU tar adds
//! them when it archives a folder). GNU tar and other tar programs extract what `write_tar`
//! writes, and `read_tar` reads what `tar --format=ustar -cf` writes.
//!
//! The reader reads files that may come from anyone, so it checks every header (checksum, magic,
//! octal fields, sizes against the bytes there are) and every name (relative, no `..`, no
//! backslash, no control characters), and refuses anything else. Its work and memory are bounded
//! by the input's length and by `max_entries`.
//!
//! Header layout (offsets in the 512-byte block, from the POSIX ustar format):
//!
//! | field    | offset | length |   | field    | offset | length |
//! |----------|-------:|-------:|---|----------|-------:|-------:|
//! | name     |      0 |    100 |   | linkname |    157 |    100 |
//! | mode     |    100 |      8 |   | magic    |    257 |      6 |
//! | uid      |    108 |      8 |   | version  |    263 |      2 |
//! | gid      |    116 |      8 |   | uname    |    265 |     32 |
//! | size     |    124 |     12 |   | gname    |    297 |     32 |
//! | mtime    |    136 |     12 |   | devmajor |    329 |      8 |
//! | chksum   |    148 |      8 |   | devminor |    337 |      8 |
//! | typeflag |    156 |      1 |   | prefix   |    345 |    155 |

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

/// One file of the archive. The name is borrowed where it can be: a name read from the archive
/// is a slice of it unless the header splits it into prefix and name (then it is joined), and a
/// name to write may be built on the fly (`format!("evidence/{id}.jpg").into()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The path inside the archive, `/`-separated and relative: `case.json`, `evidence/<id>.jpg`.
    pub name: Cow<'a, str>,
    /// The file's content.
    pub bytes: &'a [u8],
}

/// Why an archive was not written or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerError {
    /// Not a POSIX ustar archive (no `ustar` magic, another tar dialect such as GNU's own
    /// format), or one that is malformed between its entries (a lone zero block followed by more
    /// headers).
    NotATar,
    /// The archive ends inside a header, inside an entry's data, or before its end marker.
    Truncated,
    /// A header's checksum does not match it (or is not a number). `entry` counts headers in the
    /// archive from 0, directories included.
    BadChecksum { entry: usize },
    /// A name that is unsafe (absolute, `..`, `.` or empty components, backslash, NUL or other
    /// control character, not UTF-8) or, when writing, does not fit a ustar header.
    BadName(String),
    /// An entry that is neither a regular file nor a directory: links, devices, FIFOs, pax
    /// extended headers, GNU long names.
    UnsupportedEntry { name: String },
    /// Two files with the same name.
    DuplicateName(String),
    /// More files than the reader was allowed to return.
    TooManyEntries { max: usize },
    /// A size field that is not a strict octal number, a directory with data, or (when writing)
    /// a file too large for a ustar header.
    BadSize { name: String },
}

impl std::fmt::Display for ContainerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContainerError::NotATar => f.write_str("the file is not a well-formed ustar archive"),
            ContainerError::Truncated => f.write_str("the archive is cut off"),
            ContainerError::BadChecksum { entry } => write!(
                f,
                "header {} of the archive does not match its checksum",
                entry + 1
            ),
            ContainerError::BadName(name) => write!(
                f,
                "the name {name:?} is unsafe or does not fit in the archive"
            ),
            ContainerError::UnsupportedEntry { name } => write!(
                f,
                "the archive entry {name:?} is not a regular file or a directory"
            ),
            ContainerError::DuplicateName(name) => {
                write!(f, "the archive holds {name:?} more than once")
            }
            ContainerError::TooManyEntries { max } => {
                write!(f, "the archive holds more than {max} files")
            }
            ContainerError::BadSize { name } => {
                write!(f, "the size of the archive entry {name:?} is invalid")
            }
        }
    }
}

impl std::error::Error for ContainerError {}

const BLOCK: usize = 512;

const NAME: Range<usize> = 0..100;
const MODE: Range<usize> = 100..108;
const UID: Range<usize> = 108..116;
const GID: Range<usize> = 116..124;
const SIZE: Range<usize> = 124..136;
const MTIME: Range<usize> = 136..148;
const CHKSUM: Range<usize> = 148..156;
const TYPEFLAG: usize = 156;
const MAGIC: Range<usize> = 257..263;
const VERSION: Range<usize> = 263..265;
const DEVMAJOR: Range<usize> = 329..337;
const DEVMINOR: Range<usize> = 337..345;
const PREFIX: Range<usize> = 345..500;

/// POSIX ustar: "ustar" with a NUL, then version "00". GNU tar's own format has "ustar  \0"
/// here instead; it is not read (its prefix field holds other data).
const USTAR_MAGIC: &[u8; 6] = b"ustar\0";
const USTAR_VERSION: &[u8; 2] = b"00";

/// The largest value an 11-digit octal field holds (size and mtime as written): 8 GiB - 1.
const MAX_OCTAL_11: u64 = 0o777_7777_7777;

/// Writes `entries` as regular files, in the order given, then the two zero blocks that end a
/// ustar archive. Each file gets mode 0644, uid and gid 0, empty uname and gname, and
/// `mtime_unix` as its modification time (the export time): the same entries and time give the
/// same bytes. An mtime past the 11-digit octal field (year 2242) is written as its largest value.
///
/// Refuses a name that is unsafe (the reader's rules) or does not fit a ustar header: at most 100
/// bytes, or up to 256 bytes split at a `/` into a prefix of at most 155 bytes and a name of at
/// most 100. Refuses the same name twice, and a file of 8 GiB or more.
pub fn write_tar(entries: &[Entry<'_>], mtime_unix: u64) -> Result<Vec<u8>, ContainerError> {
    let mut seen = HashSet::with_capacity(entries.len());
    let mut size = 2 * BLOCK;
    for entry in entries {
        let name: &str = &entry.name;
        if !name_is_safe(name, false) || split_name(name).is_none() {
            return Err(ContainerError::BadName(name.to_owned()));
        }
        if !seen.insert(name) {
            return Err(ContainerError::DuplicateName(name.to_owned()));
        }
        if entry.bytes.len() as u64 > MAX_OCTAL_11 {
            return Err(ContainerError::BadSize {
                name: name.to_owned(),
            });
        }
        size += BLOCK + padded(entry.bytes.len());
    }

    let mut out = Vec::with_capacity(size);
    for entry in entries {
        let (prefix, name) = split_name(&entry.name)
            .ok_or_else(|| ContainerError::BadName(entry.name.clone().into_owned()))?;
        let mut header = [0u8; BLOCK];
        header[NAME][..name.len()].copy_from_slice(name.as_bytes());
        put_octal(&mut header[MODE], 0o644);
        put_octal(&mut header[UID], 0);
        put_octal(&mut header[GID], 0);
        put_octal(&mut header[SIZE], entry.bytes.len() as u64);
        put_octal(&mut header[MTIME], mtime_unix.min(MAX_OCTAL_11));
        header[TYPEFLAG] = b'0';
        header[MAGIC].copy_from_slice(USTAR_MAGIC);
        header[VERSION].copy_from_slice(USTAR_VERSION);
        // uname and gname stay empty (all NULs): the owner is of no use to whoever extracts it.
        put_octal(&mut header[DEVMAJOR], 0);
        put_octal(&mut header[DEVMINOR], 0);
        header[PREFIX][..prefix.len()].copy_from_slice(prefix.as_bytes());
        // The checksum is 6 octal digits, a NUL and a space, as GNU tar and others write it.
        let sum = header_sums(&header).0;
        put_octal(&mut header[CHKSUM.start..CHKSUM.end - 1], sum);
        header[CHKSUM.end - 1] = b' ';

        out.extend_from_slice(&header);
        out.extend_from_slice(entry.bytes);
        out.resize(out.len() + padded(entry.bytes.len()) - entry.bytes.len(), 0);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    Ok(out)
}

/// Whether `bytes` start like a ustar archive: "ustar" at offset 257 of the first block. A quick
/// look to tell an archive from other content (a case file's JSON); `read_tar` decides. An empty
/// archive (only zero blocks) does not look like one: it holds no case anyway.
pub fn looks_like_tar(bytes: &[u8]) -> bool {
    bytes.get(MAGIC.start..MAGIC.start + 5) == Some(b"ustar")
}

/// Reads the regular files of a ustar archive, in the archive's order, as slices of `bytes`.
/// Directory entries are checked and skipped. At most `max_entries` files are returned: one
/// more is `TooManyEntries`.
///
/// Strict, since the archive may come from anyone: every header's checksum is checked (the
/// unsigned or the signed sum, as POSIX allows), octal fields must be octal digits followed only
/// by spaces or NULs, every size must fit in the bytes that are left, names must be safe relative
/// paths, and a name may appear only once. The archive ends at two zero blocks (anything after
/// them is ignored, such as the padding of a tar record) or at the end of the data after one.
pub fn read_tar(bytes: &[u8], max_entries: usize) -> Result<Vec<Entry<'_>>, ContainerError> {
    let mut entries = Vec::new();
    let mut seen: HashSet<Cow<'_, str>> = HashSet::new();
    let mut rest = bytes;
    let mut index = 0usize;
    loop {
        let Some((header, after)) = rest.split_first_chunk::<BLOCK>() else {
            // Cut inside a header, unless the input is too short to be an archive at all.
            let at_start = rest.len() == bytes.len();
            return Err(if at_start && !looks_like_tar(rest) {
                ContainerError::NotATar
            } else {
                ContainerError::Truncated
            });
        };
        if is_zero(header) {
            return match after.split_first_chunk::<BLOCK>() {
                // Two zero blocks: the end marker.
                Some((next, _)) if is_zero(next) => Ok(entries),
                // One zero block, then the end of the data: tar programs accept it.
                None if after.is_empty() => Ok(entries),
                None => Err(ContainerError::Truncated),
                // A lone zero block followed by a header: GNU tar stops there with a warning,
                // other readers go on. Refused, so that no reader sees other files than this one.
                Some(_) => Err(ContainerError::NotATar),
            };
        }
        if !looks_like_tar(header) {
            return Err(ContainerError::NotATar);
        }
        let stored = parse_octal(&header[CHKSUM]);
        let (unsigned, signed) = header_sums(header);
        if !stored.is_some_and(|s| s == unsigned || i64::try_from(s) == Ok(signed)) {
            return Err(ContainerError::BadChecksum { entry: index });
        }
        if header[MAGIC] != *USTAR_MAGIC || header[VERSION] != *USTAR_VERSION {
            return Err(ContainerError::NotATar);
        }

        let name_field = until_nul(&header[NAME]);
        let prefix_field = until_nul(&header[PREFIX]);
        let typeflag = header[TYPEFLAG];
        let is_dir = match typeflag {
            b'0' | b'\0' => false,
            b'5' => true,
            // Links ('1', '2'), devices and FIFOs ('3', '4', '6'), contiguous files ('7'), pax
            // extended headers ('x', 'g'), GNU long names ('L', 'K') and anything else. Refusing
            // them is safe: `write_tar` never writes them, and a case archive holds only plain
            // files. Links could point outside an extraction folder, and the extended headers
            // would change the name or size of the next entry: skipping them instead would make
            // this reader see other files than tar programs do.
            _ => {
                return Err(ContainerError::UnsupportedEntry {
                    name: lossy_name(prefix_field, name_field),
                })
            }
        };
        let name = join_name(prefix_field, name_field)
            .filter(|name| name_is_safe(name, is_dir))
            .ok_or_else(|| ContainerError::BadName(lossy_name(prefix_field, name_field)))?;
        let size = parse_octal(&header[SIZE]).ok_or_else(|| ContainerError::BadSize {
            name: name.clone().into_owned(),
        })?;

        if is_dir {
            // POSIX: no data follows a directory header. A size there would be read as data by
            // some readers and not by others, so it is refused.
            if size != 0 {
                return Err(ContainerError::BadSize {
                    name: name.into_owned(),
                });
            }
            rest = after;
        } else {
            if entries.len() >= max_entries {
                return Err(ContainerError::TooManyEntries { max: max_entries });
            }
            // `size` fits in u64 (at most 12 octal digits); compared before it becomes a usize,
            // which is 32 bits in wasm.
            if size.div_ceil(BLOCK as u64) * BLOCK as u64 > after.len() as u64 {
                return Err(ContainerError::Truncated);
            }
            let size = size as usize;
            if !seen.insert(name.clone()) {
                return Err(ContainerError::DuplicateName(name.into_owned()));
            }
            entries.push(Entry {
                name,
                bytes: &after[..size],
            });
            rest = &after[padded(size)..];
        }
        index += 1;
    }
}

/// Whether `name` may be in an archive: not empty, relative, `/`-separated components that are
/// neither empty, `.` nor `..` (one spelling per path, so the duplicate check holds, and nothing
/// lands outside the folder it is extracted to), no backslash (a separator on Windows), no NUL
/// or other control character. A directory's name may end with `/`.
fn name_is_safe(name: &str, is_dir: bool) -> bool {
    let body = match name.strip_suffix('/') {
        Some(body) if is_dir => body,
        _ => name,
    };
    !body.is_empty()
        && !body.starts_with('/')
        && !body.chars().any(|c| c == '\\' || c.is_control())
        && body
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Splits a name into the header's prefix and name fields: the whole name if it fits in 100
/// bytes, else at the first `/` after which the rest fits (the shortest prefix). `None` when no
/// split fits.
fn split_name(name: &str) -> Option<(&str, &str)> {
    if name.len() <= NAME.len() {
        return Some(("", name));
    }
    let at = name
        .match_indices('/')
        .map(|(at, _)| at)
        .find(|&at| name.len() - at - 1 <= NAME.len())?;
    let (prefix, rest) = (&name[..at], &name[at + 1..]);
    (prefix.len() <= PREFIX.len() && !rest.is_empty()).then_some((prefix, rest))
}

/// The name a header gives: `prefix/name`, or `name` when the prefix is empty. `None` if either
/// is not UTF-8.
fn join_name<'a>(prefix: &'a [u8], name: &'a [u8]) -> Option<Cow<'a, str>> {
    let name = std::str::from_utf8(name).ok()?;
    if prefix.is_empty() {
        return Some(Cow::Borrowed(name));
    }
    let prefix = std::str::from_utf8(prefix).ok()?;
    Some(Cow::Owned(format!("{prefix}/{name}")))
}

/// The header's name for an error message, whatever its bytes.
fn lossy_name(prefix: &[u8], name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    if prefix.is_empty() {
        name.into_owned()
    } else {
        format!("{}/{name}", String::from_utf8_lossy(prefix))
    }
}

/// A text field: up to its first NUL, or all of it when full.
fn until_nul(field: &[u8]) -> &[u8] {
    field
        .iter()
        .position(|&b| b == 0)
        .map_or(field, |end| &field[..end])
}

/// A numeric field, strictly: at least one octal digit, then only spaces or NULs. No leading
/// spaces, no sign, no GNU base-256 (a field that starts with 0x80 or 0xff). At most 12 digits,
/// so the value fits in a u64.
fn parse_octal(field: &[u8]) -> Option<u64> {
    let digits = field
        .iter()
        .position(|b| !(b'0'..=b'7').contains(b))
        .unwrap_or(field.len());
    if digits == 0 || !field[digits..].iter().all(|&b| b == b' ' || b == 0) {
        return None;
    }
    Some(
        field[..digits]
            .iter()
            .fold(0u64, |value, &d| value * 8 + u64::from(d - b'0')),
    )
}

/// Writes `value` as zero-filled octal digits that fill the field but its last byte, a NUL.
/// The caller makes sure the value fits.
fn put_octal(field: &mut [u8], value: u64) {
    let digits = format!("{value:0width$o}", width = field.len() - 1);
    debug_assert_eq!(digits.len(), field.len() - 1, "octal value too large");
    field[..digits.len()].copy_from_slice(digits.as_bytes());
    field[digits.len()] = 0;
}

/// The header's checksums, with the checksum field counted as eight spaces: the sum of its bytes
/// as unsigned numbers (what POSIX asks), and as signed ones (what some old tar programs wrote).
fn header_sums(header: &[u8; BLOCK]) -> (u64, i64) {
    header
        .iter()
        .enumerate()
        .map(|(at, &b)| if CHKSUM.contains(&at) { b' ' } else { b })
        .fold((0u64, 0i64), |(unsigned, signed), b| {
            (unsigned + u64::from(b), signed + i64::from(b as i8))
        })
}

fn is_zero(block: &[u8]) -> bool {
    block.iter().all(|&b| b == 0)
}

/// `len` rounded up to whole blocks.
fn padded(len: usize) -> usize {
    len.div_ceil(BLOCK) * BLOCK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_fields_are_strict() {
        assert_eq!(parse_octal(b"00000001750\0"), Some(0o1750));
        assert_eq!(parse_octal(b"0001750 \0\0\0\0"), Some(0o1750));
        assert_eq!(parse_octal(b"777777777777"), Some(0o7777_7777_7777));
        assert_eq!(parse_octal(b"012345\0 "), Some(0o12345));
        assert_eq!(parse_octal(b"\0\0\0\0\0\0\0\0"), None);
        assert_eq!(parse_octal(b"        "), None);
        assert_eq!(parse_octal(b" 0012345"), None);
        assert_eq!(parse_octal(b"0012348\0"), None);
        assert_eq!(parse_octal(b"00123\x0045"), None);
        assert_eq!(parse_octal(b"+0012345"), None);
        assert_eq!(parse_octal(b"\x80\0\0\0\0\0\0\0\0\0\0\x01"), None);
    }

    #[test]
    fn octal_fields_are_written_with_a_nul() {
        let mut field = [0xffu8; 12];
        put_octal(&mut field, 0o1750);
        assert_eq!(&field, b"00000001750\0");
        put_octal(&mut field, MAX_OCTAL_11);
        assert_eq!(&field, b"77777777777\0");
    }

    #[test]
    fn names_split_at_the_shortest_prefix_that_fits() {
        assert_eq!(split_name("case.json"), Some(("", "case.json")));
        let hundred = "a".repeat(100);
        assert_eq!(split_name(&hundred), Some(("", hundred.as_str())));
        assert_eq!(split_name(&"a".repeat(101)), None);
        let long = format!("x/{}/{}", "d".repeat(60), "f".repeat(60));
        assert_eq!(
            split_name(&long),
            Some((&long[..62], &long[63..])),
            "the split after `x/ddd` is the first whose rest fits"
        );
        let widest = format!("{}/{}", "p".repeat(155), "n".repeat(100));
        assert_eq!(split_name(&widest), Some((&widest[..155], &widest[156..])));
        let prefix_too_long = format!("{}/{}", "p".repeat(156), "n".repeat(100));
        assert_eq!(split_name(&prefix_too_long), None);
    }

    #[test]
    fn safe_names() {
        for name in [
            "case.json",
            "evidence/0123.jpg",
            "a/b/c",
            "å/ö.txt",
            "..a",
            "a..",
        ] {
            assert!(name_is_safe(name, false), "{name}");
        }
        for name in [
            "",
            "/",
            "/etc/passwd",
            "../x",
            "a/../x",
            "a/..",
            "..",
            ".",
            "./a",
            "a/./b",
            "a//b",
            "a/",
            "a\\b",
            "a\0b",
            "a\nb",
            "a\u{7f}b",
        ] {
            assert!(!name_is_safe(name, false), "{name:?}");
        }
        assert!(name_is_safe("evidence/", true));
        assert!(name_is_safe("evidence", true));
        assert!(!name_is_safe("evidence//", true));
        assert!(!name_is_safe("../", true));
        assert!(!name_is_safe("/", true));
    }
}
