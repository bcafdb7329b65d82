//! The ASCII armor: strict PEM (RFC 7468, section 3) with the label `AGE ENCRYPTED FILE`,
//! lines of 64 columns and canonical padded base64.
//!
//! The armor is malleable unless read strictly (c2sp.org/age, "ASCII armor"), so everything but
//! white space before and after the block, and CR LF line ends, is refused: leading white space
//! on a line, trailing white space, empty lines, short lines before the last, headers, anything
//! but padded canonical base64. The age test vectors hold the reader to each of these.

use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::{AgeError, BINARY_BEGIN, COLUMNS};

pub(crate) const BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const END: &str = "-----END AGE ENCRYPTED FILE-----";

/// The white space allowed around the block (as the vectors have it: spaces, tabs, CR, LF).
fn is_white(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether the bytes are read as a binary age file: they agree with its start as far as they go.
/// An empty or cut-off binary file is then named cut off rather than badly armored.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes.starts_with(BINARY_BEGIN) || BINARY_BEGIN.starts_with(bytes)
}

/// The binary file armored, ending in a line feed.
pub fn armor(binary: &[u8]) -> String {
    let encoded = STANDARD.encode(binary);
    let mut out = String::with_capacity(
        BEGIN.len() + END.len() + encoded.len() + encoded.len() / COLUMNS + 3,
    );
    out.push_str(BEGIN);
    out.push('\n');
    for line in encoded.as_bytes().chunks(COLUMNS) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(END);
    out.push('\n');
    out
}

/// Lines ending in LF or CR LF, with a flag for whether the line had its end or the input ended
/// first.
struct Lines<'a> {
    rest: &'a [u8],
}

impl<'a> Lines<'a> {
    fn next(&mut self) -> Option<(&'a [u8], bool)> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, ended) = match self.rest.iter().position(|b| *b == b'\n') {
            Some(end) => {
                let line = &self.rest[..end];
                self.rest = &self.rest[end + 1..];
                (line, true)
            }
            None => (std::mem::take(&mut self.rest), false),
        };
        Some((line.strip_suffix(b"\r").unwrap_or(line), ended))
    }
}

/// The binary file inside the armor, or the bytes as they are when they are a binary file.
pub(crate) fn dearmor(bytes: &[u8]) -> Result<Cow<'_, [u8]>, AgeError> {
    if is_binary(bytes) {
        return Ok(Cow::Borrowed(bytes));
    }
    let start = bytes
        .iter()
        .position(|b| !is_white(b))
        .unwrap_or(bytes.len());
    // White space before the block comes in whole lines: the BEGIN line itself starts at the
    // start of its line.
    if start > 0 && bytes[start - 1] != b'\n' {
        return Err(AgeError::Armor);
    }
    let mut lines = Lines {
        rest: &bytes[start..],
    };
    match lines.next() {
        Some((line, true)) if line == BEGIN.as_bytes() => {}
        Some((line, false)) if line == BEGIN.as_bytes() => return Err(AgeError::Truncated),
        _ => return Err(AgeError::Armor),
    }
    let mut encoded = Vec::with_capacity(lines.rest.len());
    let mut short_line_seen = false;
    loop {
        let Some((line, ended)) = lines.next() else {
            // The input ends before the END line: a cut-off copy.
            return Err(AgeError::Truncated);
        };
        if let Some(after) = line.strip_prefix(END.as_bytes()) {
            // Only white space may follow the block.
            if !after.iter().chain(lines.rest).all(is_white) {
                return Err(AgeError::Armor);
            }
            return STANDARD
                .decode(&encoded)
                .map(Cow::Owned)
                .map_err(|_| AgeError::Armor);
        }
        if !ended && could_be_cut(line) {
            return Err(AgeError::Truncated);
        }
        // Every line but the last is full; the last is not empty (then the one before it was the
        // last). Anything else is damage, not a cut.
        if short_line_seen || line.is_empty() || line.len() > COLUMNS {
            return Err(AgeError::Armor);
        }
        short_line_seen = line.len() < COLUMNS;
        encoded.extend_from_slice(line);
    }
}

/// Whether an unended last line could be the start of a line the armor had before it was cut.
fn could_be_cut(line: &[u8]) -> bool {
    END.as_bytes().starts_with(line)
        || (line.len() <= COLUMNS
            && line
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn armored(lines: &[&str]) -> String {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    /// 48 bytes of base64 in one full line, and 3 more on a short one.
    const FULL: &str = "YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBURWlGMHlwcXIrYnB2Y3FY";
    const SHORT: &str = "YWdl";

    fn decoded(text: &str) -> Result<Vec<u8>, AgeError> {
        dearmor(text.as_bytes()).map(Cow::into_owned)
    }

    #[test]
    fn a_written_armor_reads_back() {
        for len in [1, 47, 48, 49, 96, 1000] {
            let binary: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let text = armor(&binary);
            assert_eq!(decoded(&text), Ok(binary.clone()), "{len} bytes");
            assert_eq!(
                decoded(&text.replace('\n', "\r\n")),
                Ok(binary),
                "{len} bytes, CR LF"
            );
        }
    }

    #[test]
    fn only_white_space_in_whole_lines_may_surround_the_block() {
        let good = armored(&[BEGIN, FULL, SHORT, END]);
        assert!(decoded(&format!("\n \t\r\n{good}\n\t \r\n")).is_ok());
        assert!(decoded(&format!("{}  \n", good.trim_end())).is_ok());
        assert_eq!(decoded(&format!("  {good}")), Err(AgeError::Armor));
        assert_eq!(decoded(&format!("\n {good}")), Err(AgeError::Armor));
        assert_eq!(decoded(&format!("x\n{good}")), Err(AgeError::Armor));
        assert_eq!(decoded(&format!("{good}x")), Err(AgeError::Armor));
        let trailing_junk = armored(&[&format!("{BEGIN} x"), FULL, SHORT, END]);
        assert_eq!(decoded(&trailing_junk), Err(AgeError::Armor));
        let trailing_space = armored(&[&format!("{BEGIN} "), FULL, SHORT, END]);
        assert_eq!(decoded(&trailing_space), Err(AgeError::Armor));
    }

    #[test]
    fn lines_are_full_but_the_last_which_is_not_empty() {
        assert!(decoded(&armored(&[BEGIN, FULL, FULL, END])).is_ok());
        assert_eq!(
            decoded(&armored(&[BEGIN, FULL, FULL, "", END])),
            Err(AgeError::Armor)
        );
        assert_eq!(
            decoded(&armored(&[BEGIN, SHORT, FULL, END])),
            Err(AgeError::Armor)
        );
        assert_eq!(
            decoded(&armored(&[BEGIN, &format!("{FULL}{SHORT}"), END])),
            Err(AgeError::Armor)
        );
        assert_eq!(
            decoded(&armored(&[BEGIN, &format!("{SHORT} "), END])),
            Err(AgeError::Armor)
        );
    }

    #[test]
    fn base64_is_canonical_and_padded() {
        // "YQ==" is canonical for "a"; "YR==" has non-zero trailing bits, "YQ" lacks padding.
        assert_eq!(decoded(&armored(&[BEGIN, "YQ==", END])), Ok(b"a".to_vec()));
        assert_eq!(
            decoded(&armored(&[BEGIN, "YR==", END])),
            Err(AgeError::Armor)
        );
        assert_eq!(decoded(&armored(&[BEGIN, "YQ", END])), Err(AgeError::Armor));
    }

    #[test]
    fn a_cut_copy_is_named_cut() {
        let good = armored(&[BEGIN, FULL, SHORT, END]);
        for cut in [
            BEGIN.len(),
            BEGIN.len() + 1,
            BEGIN.len() + 30,
            good.len() - 10,
        ] {
            assert_eq!(decoded(&good[..cut]), Err(AgeError::Truncated), "at {cut}");
        }
        assert_eq!(decoded(&armored(&[BEGIN, FULL])), Err(AgeError::Truncated));
    }
}
